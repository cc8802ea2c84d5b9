//! 活动: activities published to recruit volunteers.

use chrono::{Datelike as _, NaiveDate, NaiveDateTime};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension as _, params, params_from_iter};

use crate::domain::activity_life::{
    ActivityState, NoticeActivity, Timeline, check_contact_phone, check_recruit_until, chinese_moment,
};
use crate::domain::{ServiceMode, format_minute};
use crate::error::{Error, Result};
use crate::store::Store;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewActivity {
    pub code: String,
    pub name: String,
    pub team_id: i64,
    pub category: String,
    pub mode: ServiceMode,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub place: String,
    pub content: String,
    pub leader: String,
    pub capacity: Option<u32>,
    pub recruit_from: Option<NaiveDateTime>,
    pub recruit_until: Option<NaiveDateTime>,
    /// 联系电话: the organiser's contact printed on notices, in clear (see migration v22).
    pub contact_phone: String,
}

pub fn insert_activity(conn: &Connection, a: &NewActivity) -> Result<i64> {
    let dissolved: Option<Option<String>> = conn
        .prepare_cached("SELECT dissolved_on FROM team WHERE id = ?1")?
        .query_row([a.team_id], |row| row.get(0))
        .optional()?;
    match dissolved {
        None => return Err(Error::rejected("组织队伍不存在")),
        Some(Some(on)) => return Err(Error::rejected(format!("组织队伍已于 {on} 撤销，不能再组织活动"))),
        Some(None) => {}
    }
    check_contact_phone(&a.contact_phone).map_err(Error::rejected)?;
    conn.prepare_cached(
        "INSERT INTO activity (code, name, team_id, category, mode, starts_at, ends_at, place, content,
                               leader, capacity, recruit_from, recruit_until, contact_phone)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params_from_iter(bind(a.code.trim().to_owned().into(), a)))?;
    Ok(conn.last_insert_rowid())
}

/// The values insert and update both bind: `key` as ?1 (the code to insert, the id to
/// update), then the activity's fields in column order.
fn bind(key: Value, a: &NewActivity) -> [Value; 14] {
    [
        key,
        a.name.trim().to_owned().into(),
        a.team_id.into(),
        a.category.trim().to_owned().into(),
        a.mode.label().to_owned().into(),
        format_minute(a.starts_at).into(),
        format_minute(a.ends_at).into(),
        a.place.trim().to_owned().into(),
        a.content.trim().to_owned().into(),
        a.leader.trim().to_owned().into(),
        a.capacity.map(i64::from).into(),
        a.recruit_from.map(format_minute).into(),
        a.recruit_until.map(format_minute).into(),
        a.contact_phone.trim().to_owned().into(),
    ]
}

/// 发布招募: marks the activity as published at `at`, while it has not started and its
/// 招募截止 is still ahead.
pub fn publish_activity(conn: &Connection, activity_id: i64, at: NaiveDateTime) -> Result<()> {
    let timeline = timeline(conn, activity_id)?;
    refuse_when_closed(timeline.state(at), "发布招募")?;
    if at >= timeline.starts_at {
        return Err(Error::rejected("活动已经开始，不能再发布招募"));
    }
    if let Some(until) = timeline.recruit_until {
        check_recruit_until(until, at).map_err(Error::rejected)?;
    }
    let changed = conn
        .prepare_cached("UPDATE activity SET published_at = ?2 WHERE id = ?1 AND cancelled_at IS NULL")?
        .execute(params![activity_id, format_minute(at)])?;
    if changed == 0 {
        return Err(Error::rejected("活动不存在或已取消，不能发布"));
    }
    Ok(())
}

/// An activity as the calendar and its detail show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub team_id: i64,
    pub team_name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub category: String,
    pub mode: ServiceMode,
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub content: String,
    pub leader: String,
    pub capacity: Option<i64>,
    pub recruit_from: Option<String>,
    pub recruit_until: Option<String>,
    pub contact_phone: String,
    pub published_at: Option<String>,
    pub cancelled_at: Option<String>,
    pub cancel_reason: Option<String>,
    /// Places taken and people waiting.
    pub confirmed: i64,
    pub waiting: i64,
    /// Sign-ins recorded at the activity.
    pub attended: i64,
}

impl ActivityRow {
    /// The activity as a form edits it.
    pub fn to_new(&self) -> Option<NewActivity> {
        let parse = |t: &str| NaiveDateTime::parse_from_str(t, crate::domain::MINUTE_FORMAT).ok();
        Some(NewActivity {
            code: self.code.clone(),
            name: self.name.clone(),
            team_id: self.team_id,
            category: self.category.clone(),
            mode: self.mode,
            starts_at: parse(&self.starts_at)?,
            ends_at: parse(&self.ends_at)?,
            place: self.place.clone(),
            content: self.content.clone(),
            leader: self.leader.clone(),
            capacity: self.capacity.and_then(|c| u32::try_from(c).ok()),
            recruit_from: self.recruit_from.as_deref().and_then(parse),
            recruit_until: self.recruit_until.as_deref().and_then(parse),
            contact_phone: self.contact_phone.clone(),
        })
    }

    /// Where the activity stands at `now`; `None` only for times the schema would refuse.
    pub fn state(&self, now: NaiveDateTime) -> Option<ActivityState> {
        Some(self.timeline()?.state(now))
    }

    fn timeline(&self) -> Option<Timeline> {
        let parse = |t: &str| NaiveDateTime::parse_from_str(t, crate::domain::MINUTE_FORMAT).ok();
        Some(Timeline {
            published: self.published_at.is_some(),
            cancelled: self.cancelled_at.is_some(),
            starts_at: parse(&self.starts_at)?,
            ends_at: parse(&self.ends_at)?,
            recruit_until: self.recruit_until.as_deref().and_then(parse),
        })
    }

    /// The activity as the notices tell it.
    pub fn notice(&self) -> Option<NoticeActivity> {
        let new = self.to_new()?;
        Some(NoticeActivity { team: self.team_name.clone(), ..notice_of(&new) })
    }
}

/// An activity being saved as the notices tell it (the team's name left to the caller).
pub fn notice_of(a: &NewActivity) -> NoticeActivity {
    NoticeActivity {
        name: a.name.trim().to_string(),
        starts_at: a.starts_at,
        ends_at: a.ends_at,
        place: a.place.trim().to_string(),
        content: a.content.trim().to_string(),
        team: String::new(),
        category: a.category.trim().to_string(),
        mode: a.mode,
        capacity: a.capacity.map(i64::from),
        recruit_until: a.recruit_until,
        leader: a.leader.trim().to_string(),
        contact_phone: a.contact_phone.trim().to_string(),
    }
}

/// What an activity's state is computed from, as stored.
fn timeline(conn: &Connection, id: i64) -> Result<Timeline> {
    let row: Option<(bool, bool, String, String, Option<String>)> = conn
        .prepare_cached(
            "SELECT published_at IS NOT NULL, cancelled_at IS NOT NULL, starts_at, ends_at, recruit_until
             FROM activity WHERE id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .optional()?;
    let (published, cancelled, starts, ends, until) = row.ok_or_else(|| Error::rejected("活动不存在"))?;
    // The schema's checks hold these to the minute format.
    let parse = |t: &str| {
        NaiveDateTime::parse_from_str(t, crate::domain::MINUTE_FORMAT)
            .map_err(|_| Error::rejected(format!("活动时间“{t}”格式不对")))
    };
    let recruit_until = until.as_deref().map(parse).transpose()?;
    Ok(Timeline { published, cancelled, starts_at: parse(&starts)?, ends_at: parse(&ends)?, recruit_until })
}

/// Where the activity stands at `now`, as stored.
pub fn activity_state(conn: &Connection, id: i64, now: NaiveDateTime) -> Result<ActivityState> {
    Ok(timeline(conn, id)?.state(now))
}

/// A finished or cancelled activity is locked: only its record and photos still change.
fn refuse_when_closed(state: ActivityState, what: &str) -> Result<()> {
    match state {
        ActivityState::Finished => Err(Error::rejected(format!("活动已结束，不能再{what}（活动记录和照片仍可补充）"))),
        ActivityState::Cancelled => Err(Error::rejected(format!("活动已取消，不能再{what}"))),
        _ => Ok(()),
    }
}

/// Refuses `what` on an activity that is over or cancelled at `now`.
pub(crate) fn refuse_when_locked(conn: &Connection, id: i64, now: NaiveDateTime, what: &str) -> Result<()> {
    refuse_when_closed(activity_state(conn, id, now)?, what)
}

/// A record or a photo tells what happened: refused before the activity starts.
fn refuse_before_start(conn: &Connection, id: i64, now: NaiveDateTime, what: &str) -> Result<()> {
    let timeline = timeline(conn, id)?;
    if now < timeline.starts_at {
        return Err(Error::rejected(format!("活动 {} 才开始，开始前不能{what}", chinese_moment(timeline.starts_at))));
    }
    Ok(())
}

/// Activities starting in `[from, to)` (times as `YYYY-MM-DD HH:MM`), cancelled ones included.
pub fn list_activities(conn: &Connection, from: &str, to: &str) -> Result<Vec<ActivityRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.code, a.name, a.team_id, t.name, t.unit_id, u.name, a.category, a.mode, a.starts_at,
                a.ends_at, a.place, a.content, a.leader, a.capacity, a.recruit_from, a.recruit_until,
                a.contact_phone, a.published_at, a.cancelled_at, a.cancel_reason,
                (SELECT count(*) FROM signup s WHERE s.activity_id = a.id AND s.status = '已报名'),
                (SELECT count(*) FROM signup s WHERE s.activity_id = a.id AND s.status = '候补'),
                (SELECT count(*) FROM credit_session c WHERE c.activity_id = a.id)
         FROM activity a JOIN team t ON t.id = a.team_id JOIN unit u ON u.id = t.unit_id
         WHERE a.starts_at >= ?1 AND a.starts_at < ?2
         ORDER BY a.starts_at, a.id",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok(ActivityRow {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            team_id: r.get(3)?,
            team_name: r.get(4)?,
            unit_id: r.get(5)?,
            unit_name: r.get(6)?,
            category: r.get(7)?,
            mode: r.get(8)?,
            starts_at: r.get(9)?,
            ends_at: r.get(10)?,
            place: r.get(11)?,
            content: r.get(12)?,
            leader: r.get(13)?,
            capacity: r.get(14)?,
            recruit_from: r.get(15)?,
            recruit_until: r.get(16)?,
            contact_phone: r.get(17)?,
            published_at: r.get(18)?,
            cancelled_at: r.get(19)?,
            cancel_reason: r.get(20)?,
            confirmed: r.get(21)?,
            waiting: r.get(22)?,
            attended: r.get(23)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Changes an activity. The schema refuses a capacity below the places taken, a window that
/// closes after the start, and a dissolved organising team.
pub fn update_activity(conn: &Connection, id: i64, a: &NewActivity) -> Result<()> {
    let has_attendance: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM credit_session WHERE activity_id = ?1)")?
        .query_row([id], |r| r.get(0))?;
    let (starts, ends): (String, String) = conn
        .prepare_cached("SELECT starts_at, ends_at FROM activity WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    if has_attendance && (starts != format_minute(a.starts_at) || ends != format_minute(a.ends_at)) {
        return Err(Error::rejected("该活动已有签到记录，不能再修改起止时间（时数由此计算）"));
    }
    check_contact_phone(&a.contact_phone).map_err(Error::rejected)?;
    conn.prepare_cached(
        "UPDATE activity SET name = ?2, team_id = ?3, category = ?4, mode = ?5, starts_at = ?6, ends_at = ?7,
                place = ?8, content = ?9, leader = ?10, capacity = ?11, recruit_from = ?12, recruit_until = ?13,
                contact_phone = ?14
         WHERE id = ?1",
    )?
    .execute(params_from_iter(bind(id.into(), a)))?;
    Ok(())
}

/// Cancels an activity, keeping it and everything recorded about it.
pub fn cancel_activity(conn: &Connection, id: i64, reason: &str, now: NaiveDateTime) -> Result<()> {
    if reason.trim().is_empty() {
        return Err(Error::rejected("取消活动须注明原因"));
    }
    let changed = conn
        .prepare_cached(
            "UPDATE activity SET cancelled_at = ?2, cancel_reason = ?3 WHERE id = ?1 AND cancelled_at IS NULL",
        )?
        .execute(params![id, format_minute(now), reason.trim()])?;
    if changed == 0 {
        return Err(Error::rejected("活动不存在或已取消"));
    }
    Ok(())
}

/// Deletes an activity nobody signed up for or attended; anything else must be cancelled.
pub fn delete_activity(conn: &Connection, id: i64) -> Result<()> {
    let has_history: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM signup WHERE activity_id = ?1)
                 OR EXISTS (SELECT 1 FROM credit_session WHERE activity_id = ?1)
                 OR EXISTS (SELECT 1 FROM honor_grant WHERE activity_id = ?1)",
        )?
        .query_row([id], |r| r.get(0))?;
    if has_history {
        // The schema's trigger says the same; checking first keeps the record and photos.
        return Err(Error::rejected("该活动已有报名或签到记录，只能取消，不能删除"));
    }
    conn.prepare_cached("DELETE FROM activity_record WHERE activity_id = ?1")?.execute([id])?;
    conn.prepare_cached("DELETE FROM activity_photo WHERE activity_id = ?1")?.execute([id])?;
    conn.prepare_cached("DELETE FROM activity WHERE id = ?1")?.execute([id])?;
    Ok(())
}

/// The managed list of service categories, in their display order.
pub fn service_categories(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT name FROM service_category ORDER BY sort_order, name")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Adds a category to the managed list (a name already there is left as it is).
pub fn add_service_category(conn: &Connection, name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::rejected("服务类别不能为空"));
    }
    conn.prepare_cached("INSERT OR IGNORE INTO service_category (name) VALUES (?1)")?.execute([name.trim()])?;
    Ok(())
}

/// The next free 活动编号 of a year: `HD2017-031`.
pub fn next_activity_code(conn: &Connection, year: i32) -> Result<String> {
    let prefix = format!("HD{year}-");
    let highest: Option<i64> = conn
        .prepare_cached(
            "SELECT max(CAST(substr(code, length(?1) + 1) AS INTEGER)) FROM activity
             WHERE code LIKE ?1 || '%' AND substr(code, length(?1) + 1) NOT GLOB '*[^0-9]*'",
        )?
        .query_row([&prefix], |r| r.get(0))?;
    Ok(format!("{prefix}{:03}", highest.unwrap_or(0) + 1))
}

/// 活动记录: what was done and how many people were served, once the activity has started.
pub fn save_record(
    conn: &Connection,
    activity_id: i64,
    summary: &str,
    people_served: Option<u32>,
    now: NaiveDateTime,
) -> Result<()> {
    refuse_before_start(conn, activity_id, now, "填写活动记录")?;
    conn.prepare_cached(
        "INSERT INTO activity_record (activity_id, summary, people_served, updated_at)
         VALUES (?1, ?2, ?3, datetime('now', 'localtime'))
         ON CONFLICT (activity_id) DO UPDATE SET summary = excluded.summary, people_served = excluded.people_served,
                                                 updated_at = excluded.updated_at",
    )?
    .execute(params![activity_id, summary.trim(), people_served])?;
    Ok(())
}

/// The record of an activity, if one was written: summary and people served.
pub fn record(conn: &Connection, activity_id: i64) -> Result<Option<(String, Option<i64>)>> {
    Ok(conn
        .prepare_cached("SELECT summary, people_served FROM activity_record WHERE activity_id = ?1")?
        .query_row([activity_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Adds a photo (the file's bytes, kept in the database so the file travels whole), once
/// the activity has started.
pub fn add_photo(
    conn: &Connection,
    activity_id: i64,
    file_name: &str,
    image: &[u8],
    now: NaiveDateTime,
) -> Result<i64> {
    refuse_before_start(conn, activity_id, now, "添加照片")?;
    conn.prepare_cached(
        "INSERT INTO activity_photo (activity_id, file_name, image, added_at)
         VALUES (?1, ?2, ?3, datetime('now', 'localtime'))",
    )?
    .execute(params![activity_id, file_name, image])?;
    Ok(conn.last_insert_rowid())
}

/// The photos of an activity: id, file name and bytes.
pub fn photos(conn: &Connection, activity_id: i64) -> Result<Vec<(i64, String, Vec<u8>)>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, file_name, image FROM activity_photo WHERE activity_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([activity_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The window's API: what the screens ask, acting for the store's account.
impl Store {
    /// 发布招募: marks the activity as published at `at`.
    pub fn publish_activity(&self, activity_id: i64, at: NaiveDateTime) -> Result<()> {
        publish_activity(&self.conn, activity_id, at)
    }

    /// Cancels an activity that is not over yet, keeping it and everything recorded about it.
    /// (The ledger's own tests cancel finished ones through [`cancel_activity`] to drop their
    /// hours; the window never does.)
    pub fn cancel_activity(&self, id: i64, reason: &str, now: NaiveDateTime) -> Result<()> {
        refuse_when_locked(&self.conn, id, now, "取消")?;
        cancel_activity(&self.conn, id, reason, now)
    }

    /// Deletes an activity nobody signed up for or attended; anything else must be cancelled.
    pub fn delete_activity(&self, id: i64) -> Result<()> {
        delete_activity(&self.conn, id)
    }

    /// 活动记录: what was done and how many people were served, once the activity has started.
    pub fn save_record(
        &self,
        activity_id: i64,
        summary: &str,
        people_served: Option<u32>,
        now: NaiveDateTime,
    ) -> Result<()> {
        save_record(&self.conn, activity_id, summary, people_served, now)
    }

    /// Adds a photo (the file's bytes, kept in the database so the file travels whole), once
    /// the activity has started.
    pub fn add_photo(&self, activity_id: i64, file_name: &str, image: &[u8], now: NaiveDateTime) -> Result<i64> {
        add_photo(&self.conn, activity_id, file_name, image, now)
    }

    /// The managed list of service categories, in their display order.
    pub fn service_categories(&self) -> Result<Vec<String>> {
        service_categories(&self.conn)
    }

    /// The record of an activity, if one was written: summary and people served.
    pub fn activity_record(&self, activity_id: i64) -> Result<Option<(String, Option<i64>)>> {
        record(&self.conn, activity_id)
    }

    /// The photos of an activity: id, file name and bytes.
    pub fn activity_photos(&self, activity_id: i64) -> Result<Vec<(i64, String, Vec<u8>)>> {
        photos(&self.conn, activity_id)
    }
}

impl Store {
    /// Saves the activity form at `now`: its category joins the list, and a new activity takes
    /// the next 编号 of its year. A finished or cancelled activity is locked, and a 招募截止
    /// newly set must still be ahead.
    pub fn save_activity(&self, id: Option<i64>, activity: &NewActivity, now: NaiveDateTime) -> Result<()> {
        let stored_until = match id {
            Some(id) => {
                refuse_when_locked(&self.conn, id, now, "修改")?;
                timeline(&self.conn, id)?.recruit_until
            }
            None => None,
        };
        if let Some(until) = activity.recruit_until.filter(|until| stored_until != Some(*until)) {
            check_recruit_until(until, now).map_err(Error::rejected)?;
        }
        add_service_category(&self.conn, &activity.category)?;
        match id {
            Some(id) => update_activity(&self.conn, id, activity),
            None => {
                let code = next_activity_code(&self.conn, activity.starts_at.year())?;
                insert_activity(&self.conn, &NewActivity { code, ..activity.clone() }).map(|_| ())
            }
        }
    }

    /// The activities starting in a month.
    pub fn activities_in_month(&self, year: i32, month: u32) -> Result<Vec<ActivityRow>> {
        let first = |year: i32, month: u32| format!("{year:04}-{month:02}-01 00:00");
        let next = if month == 12 { first(year + 1, 1) } else { first(year, month + 1) };
        list_activities(&self.conn, &first(year, month), &next)
    }

    /// The latest `limit` activities starting before `until`, newest first.
    pub fn recent_activities(&self, until: NaiveDate, limit: usize) -> Result<Vec<ActivityRow>> {
        let mut activities = list_activities(&self.conn, "0000", &format!("{until} 00:00"))?;
        activities.reverse();
        activities.truncate(limit);
        Ok(activities)
    }
}
