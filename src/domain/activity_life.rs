//! An activity through its life: its state follows the clock (未发布 → 招募中 → 招募结束 →
//! 进行中 → 已结束, or 已取消), and the notices that tell volunteers about it.

use chrono::{Datelike as _, NaiveDateTime};

use super::ServiceMode;
use super::calendar::WEEKDAY_LABELS;
use super::identity::{is_mobile_number, phone_tail};

/// Where an activity stands at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActivityState {
    Unpublished,
    Recruiting,
    RecruitmentClosed,
    Ongoing,
    Finished,
    Cancelled,
}

impl ActivityState {
    pub fn label(self) -> &'static str {
        match self {
            ActivityState::Unpublished => "未发布",
            ActivityState::Recruiting => "招募中",
            ActivityState::RecruitmentClosed => "招募结束",
            ActivityState::Ongoing => "进行中",
            ActivityState::Finished => "已结束",
            ActivityState::Cancelled => "已取消",
        }
    }

    /// Over or cancelled: only its record and photos may still change.
    pub fn is_closed(self) -> bool {
        matches!(self, ActivityState::Finished | ActivityState::Cancelled)
    }

    /// 发布招募 makes sense only before recruitment could close.
    pub fn may_publish(self) -> bool {
        self == ActivityState::Unpublished
    }

    /// Edits, withdrawals and cancellation: until it is over.
    pub fn may_change(self) -> bool {
        !self.is_closed()
    }

    /// Sign-ups: while recruiting.
    pub fn may_sign_up(self) -> bool {
        self == ActivityState::Recruiting
    }

    /// 活动记录 and photos: once it has started, cancelled or not.
    pub fn may_record(self) -> bool {
        matches!(self, ActivityState::Ongoing | ActivityState::Finished)
    }
}

/// What the state of an activity is computed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeline {
    pub published: bool,
    pub cancelled: bool,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    /// `None`: recruitment closes at the start.
    pub recruit_until: Option<NaiveDateTime>,
}

impl Timeline {
    pub fn state(&self, now: NaiveDateTime) -> ActivityState {
        if self.cancelled {
            ActivityState::Cancelled
        } else if now >= self.ends_at {
            ActivityState::Finished
        } else if now >= self.starts_at {
            ActivityState::Ongoing
        } else if !self.published {
            ActivityState::Unpublished
        } else if now > self.recruit_until.unwrap_or(self.starts_at) {
            ActivityState::RecruitmentClosed
        } else {
            ActivityState::Recruiting
        }
    }
}

/// A 招募截止 chosen now must still be ahead: `Err` says when it was, in words.
pub fn check_recruit_until(until: NaiveDateTime, now: NaiveDateTime) -> Result<(), String> {
    if until < now {
        return Err(format!("招募截止 {} 已经过去，请设为 {} 以后", chinese_moment(until), chinese_moment(now)));
    }
    Ok(())
}

/// `2017年7月2日（周日）08:00`.
pub fn chinese_moment(at: NaiveDateTime) -> String {
    format!("{}年{}月{}日（{}）{}", at.year(), at.month(), at.day(), weekday(at), at.format("%H:%M"))
}

fn weekday(at: NaiveDateTime) -> &'static str {
    WEEKDAY_LABELS[at.weekday().num_days_from_monday() as usize]
}

/// The organiser's contact printed on notices: a mobile, or an office number written with
/// its dash (`0571-87654321`, an extension after a second dash), which no scan for clear
/// mobile numbers can mistake for one. Empty is allowed.
pub fn check_contact_phone(raw: &str) -> Result<(), String> {
    let phone = raw.trim();
    if phone.is_empty() || is_mobile_number(phone) || is_office_number(phone) {
        return Ok(());
    }
    Err(format!("联系电话“{phone}”格式不对：应为手机号，或带区号的座机号（如 0571-87654321）"))
}

fn is_office_number(phone: &str) -> bool {
    let digits = |part: &str, range: std::ops::RangeInclusive<usize>| {
        range.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())
    };
    let mut parts = phone.split('-');
    let (Some(area), Some(number)) = (parts.next(), parts.next()) else { return false };
    let extension_ok = parts.next().is_none_or(|ext| digits(ext, 1..=6));
    area.starts_with('0')
        && digits(area, 3..=4)
        && digits(number, 7..=8)
        && !number.starts_with('0')
        && extension_ok
        && parts.next().is_none()
}

/// An activity as the notices tell it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeActivity {
    pub name: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub place: String,
    pub content: String,
    pub team: String,
    pub category: String,
    pub mode: ServiceMode,
    pub capacity: Option<i64>,
    pub recruit_until: Option<NaiveDateTime>,
    pub leader: String,
    pub contact_phone: String,
}

impl NoticeActivity {
    /// `2017年7月2日（周日）08:00 至 11:00`; the end's day only when it differs.
    fn when(&self) -> String {
        let end = if self.ends_at.date() == self.starts_at.date() {
            self.ends_at.format("%H:%M").to_string()
        } else {
            chinese_moment(self.ends_at)
        };
        format!("{} 至 {end}", chinese_moment(self.starts_at))
    }

    fn contact(&self) -> String {
        match self.contact_phone.trim() {
            "" => self.leader.clone(),
            phone => format!("{} {phone}", self.leader),
        }
    }
}

/// Someone to tell: their name and masked phone (`138****5678`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    pub name: String,
    pub phone_masked: String,
}

impl Recipient {
    /// `叶佳 ·5678`, the phone's tail as the roster shows it: it tells namesakes apart
    /// without showing the number.
    pub fn told(&self) -> String {
        format!("{} ·{}", self.name, phone_tail(&self.phone_masked))
    }
}

fn recipients_line(people: &[Recipient]) -> String {
    if people.is_empty() {
        return "（暂无报名）".to_string();
    }
    people.iter().map(Recipient::told).collect::<Vec<_>>().join("、")
}

/// The notice staff paste into a WeChat group when recruitment opens.
pub fn recruitment_notice(a: &NoticeActivity) -> String {
    let capacity = a.capacity.map_or("不限".to_string(), |c| format!("{c} 人"));
    let until = a.recruit_until.unwrap_or(a.starts_at);
    format!(
        "【志愿服务招募】{}\n时间：{}\n地点：{}\n服务类别：{}（{}服务）\n内容：{}\n组织：{}\n招募人数：{capacity}\n报名截止：{}\n联系人：{}\n欢迎党员志愿者踊跃报名！",
        a.name,
        a.when(),
        a.place,
        a.category,
        a.mode.label(),
        a.content,
        a.team,
        chinese_moment(until),
        a.contact(),
    )
}

/// 时间变更: what changed, from what to what, and who is signed up; `None` when neither the
/// time nor the place changed.
pub fn change_notice(before: &NoticeActivity, after: &NoticeActivity, people: &[Recipient]) -> Option<String> {
    let time = (before.starts_at, before.ends_at) != (after.starts_at, after.ends_at);
    let place = before.place.trim() != after.place.trim();
    let mut changes = Vec::new();
    if time {
        changes.push(format!("时间：由 {} 改为 {}", before.when(), after.when()));
    }
    if place {
        changes.push(format!("地点：由 {} 改为 {}", before.place, after.place));
    }
    // The heading says what changed: a new place alone is no 时间变更.
    let heading = match (time, place) {
        (false, false) => return None,
        (true, false) => "时间变更",
        (false, true) => "地点变更",
        (true, true) => "时间地点变更",
    };
    Some(format!(
        "【{heading}】{}\n{}\n请已报名的志愿者留意：{}\n如不能参加请告知联系人：{}",
        after.name,
        changes.join("\n"),
        recipients_line(people),
        after.contact(),
    ))
}

/// 取消通知: the activity called off, why, and who is to be told.
pub fn cancellation_notice(a: &NoticeActivity, reason: &str, people: &[Recipient]) -> String {
    format!(
        "【活动取消】{}\n原定时间：{}\n地点：{}\n取消原因：{}\n请已报名的志愿者知悉：{}\n给大家带来不便，敬请谅解。联系人：{}",
        a.name,
        a.when(),
        a.place,
        reason.trim(),
        recipients_line(people),
        a.contact(),
    )
}

/// 递补通知: the first on the waiting list now holds a place.
pub fn promotion_notice(a: &NoticeActivity, person: &Recipient) -> String {
    format!(
        "【候补递补】{}：您报名的“{}”已有名额空出，您已由候补转为正式报名。\n时间：{}\n地点：{}\n如不能参加请告知联系人：{}",
        person.told(),
        a.name,
        a.when(),
        a.place,
        a.contact(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("time")
    }

    fn clinic() -> NoticeActivity {
        NoticeActivity {
            name: "义诊服务".into(),
            starts_at: at("2017-07-02 10:00"),
            ends_at: at("2017-07-02 12:00"),
            place: "市民广场".into(),
            content: "量血压、测血糖".into(),
            team: "卫健委支队".into(),
            category: "医疗卫生".into(),
            mode: ServiceMode::Concentrated,
            capacity: Some(3),
            recruit_until: Some(at("2017-07-01 18:00")),
            leader: "陈立新".into(),
            contact_phone: "0577-88881234".into(),
        }
    }

    fn ye_jia() -> Recipient {
        Recipient { name: "叶佳".into(), phone_masked: "138****5678".into() }
    }

    #[test]
    fn the_state_follows_the_clock() {
        let mut t = Timeline {
            published: false,
            cancelled: false,
            starts_at: at("2017-07-02 10:00"),
            ends_at: at("2017-07-02 12:00"),
            recruit_until: Some(at("2017-07-01 18:00")),
        };
        assert_eq!(t.state(at("2017-06-20 09:00")), ActivityState::Unpublished);
        t.published = true;
        let states: Vec<&str> = ["2017-06-20 09:00", "2017-07-01 18:01", "2017-07-02 10:00", "2017-07-02 12:00"]
            .into_iter()
            .map(|now| t.state(at(now)).label())
            .collect();
        assert_eq!(states, ["招募中", "招募结束", "进行中", "已结束"]);
        t.cancelled = true;
        assert_eq!(t.state(at("2026-12-07 09:00")), ActivityState::Cancelled);
        assert!(!ActivityState::Finished.may_publish() && !ActivityState::Finished.may_change());
        assert!(ActivityState::Finished.may_record() && !ActivityState::Recruiting.may_record());
    }

    #[test]
    fn a_recruit_until_in_the_past_is_said_in_chinese() {
        let err = check_recruit_until(at("2017-07-01 18:00"), at("2017-07-02 09:00")).expect_err("past");
        assert_eq!(err, "招募截止 2017年7月1日（周六）18:00 已经过去，请设为 2017年7月2日（周日）09:00 以后");
        assert!(check_recruit_until(at("2017-07-03 18:00"), at("2017-07-02 09:00")).is_ok());
    }

    #[test]
    fn contact_phones_are_mobiles_or_office_numbers_with_their_dash() {
        for good in ["", "13800001234", "0571-87654321", "0577-8888123", "010-12345678-801"] {
            assert!(check_contact_phone(good).is_ok(), "{good}");
        }
        for bad in ["12345", "01012345678", "0571 87654321", "571-87654321", "0571-0765432", "电话"] {
            assert!(check_contact_phone(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_recruitment_notice_has_the_weekday_the_service_type_and_the_contact() {
        let notice = recruitment_notice(&clinic());
        assert!(notice.contains("时间：2017年7月2日（周日）10:00 至 12:00"), "{notice}");
        assert!(notice.contains("服务类别：医疗卫生（集中服务）"), "{notice}");
        assert!(notice.contains("联系人：陈立新 0577-88881234"), "{notice}");
        assert!(notice.contains("报名截止：2017年7月1日（周六）18:00"), "{notice}");
    }

    #[test]
    fn a_change_notice_says_what_changed_from_what_to_what_and_to_whom() {
        let before = clinic();
        let after = NoticeActivity { starts_at: at("2017-07-02 14:00"), ends_at: at("2017-07-02 16:00"), ..clinic() };
        let notice = change_notice(&before, &after, &[ye_jia()]).expect("changed");
        assert_eq!(
            notice,
            "【时间变更】义诊服务\n时间：由 2017年7月2日（周日）10:00 至 12:00 改为 2017年7月2日（周日）14:00 至 16:00\n\
             请已报名的志愿者留意：叶佳 ·5678\n如不能参加请告知联系人：陈立新 0577-88881234"
        );
        assert_eq!(change_notice(&before, &clinic(), &[ye_jia()]), None, "nothing to tell");
        let moved = NoticeActivity { place: "人民医院".into(), ..clinic() };
        let notice = change_notice(&before, &moved, &[]).expect("moved");
        assert!(notice.starts_with("【地点变更】义诊服务\n地点：由 市民广场 改为 人民医院\n"), "{notice}");
        let both = NoticeActivity { place: "人民医院".into(), ..after };
        let notice = change_notice(&before, &both, &[]).expect("both");
        assert!(notice.starts_with("【时间地点变更】义诊服务\n时间：由"), "{notice}");
    }

    #[test]
    fn cancellation_and_promotion_notices_name_the_people() {
        let cancelled = cancellation_notice(&clinic(), " 台风预警 ", &[ye_jia()]);
        assert!(cancelled.starts_with("【活动取消】义诊服务\n原定时间：2017年7月2日（周日）10:00 至 12:00"));
        assert!(cancelled.contains("取消原因：台风预警\n请已报名的志愿者知悉：叶佳 ·5678"), "{cancelled}");
        let promoted = promotion_notice(&clinic(), &ye_jia());
        assert!(promoted.starts_with("【候补递补】叶佳 ·5678：您报名的“义诊服务”已有名额空出"), "{promoted}");
    }
}
