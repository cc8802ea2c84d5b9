//! The 机关 volunteer calendar (domain.md §2–3): the committee's fixed service occasions, the
//! traditional lunar festivals, legal holidays with their make-up working days (调休), lunar
//! dates for calendar cells, and working-day arithmetic for the 10-working-day recording rule.
//!
//! Festival and holiday dates come from tyme4rs, never from hand-typed tables; the only dates
//! written here are the three occasions that are fixed Gregorian dates by definition.
//!
//! tyme4rs is slow per call (a legal-holiday lookup compiles a regex, ~0.2 ms; a lunar date
//! ~0.07 ms), so the holiday table is read once and festival dates are memoised per year; the
//! month view should build a [`MonthCalendar`] once per month shown rather than call
//! [`lunar_label`] per cell per frame.

use std::collections::{HashMap, HashSet};
use std::ops::RangeInclusive;
use std::sync::{Mutex, OnceLock, PoisonError};

use chrono::{Datelike, NaiveDate, Weekday};
use tyme4rs::tyme::Culture;
use tyme4rs::tyme::festival::{LUNAR_FESTIVAL_NAMES, LunarFestival};
use tyme4rs::tyme::holiday::{LEGAL_HOLIDAY_DATA, LEGAL_HOLIDAY_NAMES};
use tyme4rs::tyme::lunar::LunarMonth;
use tyme4rs::tyme::solar::SolarDay;

/// Column headers of a month view, weeks starting on Monday as Chinese calendars print them.
pub const WEEKDAY_LABELS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

/// What July is for the 机关工委.
pub const ACTIVITY_MONTH_LABEL: &str = "党员志愿服务活动月";

/// Working days allowed between an activity's end and the recording of its service (办法 §11).
pub const RECORDING_LIMIT_WORKING_DAYS: u32 = 10;

/// Years for which lunar dates and festivals are computed. tyme4rs panics on some years at the
/// edges of its range; outside this one there are no festivals and no lunar labels.
pub const SUPPORTED_YEARS: RangeInclusive<i32> = 1900..=2100;

/// Years a statistic or a report may be asked for: from the founding of the People's Republic
/// to the end of the calendar's range. A typo such as 20177 is refused, not reported as empty.
pub const REPORT_YEARS: RangeInclusive<i32> = 1949..=2100;

/// `Err` with the sentence to show when `year` is outside [`REPORT_YEARS`].
pub fn check_report_year(year: i32) -> Result<(), String> {
    if REPORT_YEARS.contains(&year) {
        Ok(())
    } else {
        Err(format!("年份 {year} 不在 {}–{} 之间，请检查输入", REPORT_YEARS.start(), REPORT_YEARS.end()))
    }
}

/// A fixed day of the committee's service year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Occasion {
    /// 3月5日
    LeiFengDay,
    /// 7月1日
    PartyFoundingDay,
    /// 12月5日
    VolunteerDay,
}

impl Occasion {
    pub const ALL: [Occasion; 3] = [Occasion::LeiFengDay, Occasion::PartyFoundingDay, Occasion::VolunteerDay];

    /// (month, day) in the Gregorian calendar.
    pub fn month_day(self) -> (u32, u32) {
        match self {
            Occasion::LeiFengDay => (3, 5),
            Occasion::PartyFoundingDay => (7, 1),
            Occasion::VolunteerDay => (12, 5),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Occasion::LeiFengDay => "学雷锋纪念日",
            Occasion::PartyFoundingDay => "建党节",
            Occasion::VolunteerDay => "国际志愿者日",
        }
    }
}

/// A traditional festival the teams are asked to serve on (清明 is a solar term, the others lunar dates).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Festival {
    SpringFestival,
    Lantern,
    QingMing,
    DragonBoat,
    Qixi,
    MidAutumn,
    DoubleNinth,
}

impl Festival {
    pub const ALL: [Festival; 7] = [
        Festival::SpringFestival,
        Festival::Lantern,
        Festival::QingMing,
        Festival::DragonBoat,
        Festival::Qixi,
        Festival::MidAutumn,
        Festival::DoubleNinth,
    ];

    /// The short name of domain.md, as a calendar cell shows it.
    pub fn label(self) -> &'static str {
        match self {
            Festival::SpringFestival => "春节",
            Festival::Lantern => "元宵",
            Festival::QingMing => "清明",
            Festival::DragonBoat => "端午",
            Festival::Qixi => "七夕",
            Festival::MidAutumn => "中秋",
            Festival::DoubleNinth => "重阳",
        }
    }

    /// The full name, as a calendar cell prints it (元宵节, 端午节, 中秋节) and as tyme4rs's
    /// `LUNAR_FESTIVAL_NAMES` has it; looked up by name so that a reordering upstream cannot shift
    /// a festival onto another's date.
    pub fn full_name(self) -> &'static str {
        match self {
            Festival::SpringFestival => "春节",
            Festival::Lantern => "元宵节",
            Festival::QingMing => "清明节",
            Festival::DragonBoat => "端午节",
            Festival::Qixi => "七夕节",
            Festival::MidAutumn => "中秋节",
            Festival::DoubleNinth => "重阳节",
        }
    }

    /// The Gregorian date of this festival in `year`, or `None` outside [`SUPPORTED_YEARS`].
    /// All seven fall in the same Gregorian year as their lunar year.
    pub fn date_in(self, year: i32) -> Option<NaiveDate> {
        let index = Festival::ALL.iter().position(|f| *f == self)?;
        festival_dates(year)[index]
    }
}

/// What a date is on the volunteer calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DayMark {
    Occasion(Occasion),
    Festival(Festival),
    /// A legal rest day (放假); `holiday` is tyme4rs's name for it, e.g. 国庆节, 国庆中秋.
    RestDay {
        holiday: &'static str,
    },
    /// A weekend day worked in exchange for rest days of `holiday` (调休上班).
    MakeUpWorkday {
        holiday: &'static str,
    },
}

impl DayMark {
    /// Full text, for a tooltip or a list: 端午, 国庆节放假, 国庆节调休上班.
    pub fn label(&self) -> String {
        match self {
            DayMark::Occasion(occasion) => occasion.label().to_string(),
            DayMark::Festival(festival) => festival.label().to_string(),
            DayMark::RestDay { holiday } => format!("{holiday}放假"),
            DayMark::MakeUpWorkday { holiday } => format!("{holiday}调休上班"),
        }
    }

    /// The corner badge printed calendars use: 休 on rest days, 班 on make-up working days.
    pub fn badge(&self) -> Option<&'static str> {
        match self {
            DayMark::RestDay { .. } => Some("休"),
            DayMark::MakeUpWorkday { .. } => Some("班"),
            DayMark::Occasion(_) | DayMark::Festival(_) => None,
        }
    }
}

/// Everything the calendar marks on `date`, in a stable order: occasions, festivals, then the
/// legal-holiday status (rest day or make-up working day). July's activity month is a property
/// of the month, see [`is_activity_month`].
pub fn marks_of(date: NaiveDate) -> Vec<DayMark> {
    let mut marks = Vec::new();
    for occasion in Occasion::ALL {
        if (date.month(), date.day()) == occasion.month_day() {
            marks.push(DayMark::Occasion(occasion));
        }
    }
    for (festival, day) in Festival::ALL.into_iter().zip(festival_dates(date.year())) {
        if day == Some(date) {
            marks.push(DayMark::Festival(festival));
        }
    }
    if let Some(legal) = legal_day(date) {
        marks.push(if legal.work {
            DayMark::MakeUpWorkday { holiday: legal.holiday }
        } else {
            DayMark::RestDay { holiday: legal.holiday }
        });
    }
    marks
}

/// July is 党员志愿服务活动月.
pub fn is_activity_month(date: NaiveDate) -> bool {
    date.month() == 7
}

/// The lunar date as a printed calendar shows it in a day's cell: the month's name on its first
/// day (正月, 闰四月, 冬月, 腊月 …), otherwise the day (初二 … 三十). Festivals are not
/// substituted here; they are [`DayMark`]s. Empty outside [`SUPPORTED_YEARS`].
pub fn lunar_label(date: NaiveDate) -> String {
    let Some(solar) = solar_day(date) else {
        return String::new();
    };
    let lunar = solar.get_lunar_day();
    if lunar.get_day() == 1 { lunar_month_name(&lunar.get_lunar_month()) } else { lunar.get_name() }
}

/// The months as calendars print them. tyme4rs names the last two 十一月 and 十二月; a Chinese
/// calendar says 冬月 and 腊月.
const LUNAR_MONTH_NAMES: [&str; 12] =
    ["正月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "冬月", "腊月"];

fn lunar_month_name(month: &LunarMonth) -> String {
    let name = month.get_month().checked_sub(1).and_then(|i| LUNAR_MONTH_NAMES.get(i)).copied().unwrap_or_default();
    if month.is_leap() { format!("闰{name}") } else { name.to_string() }
}

/// What a printed calendar writes in a day's cell instead of the lunar date: a holiday of fixed
/// date on its own day (元旦, 劳动节, 国庆节), 除夕 on the eve of 春节 (腊月廿九 when the month
/// is short), a festival by its full name (春节, 清明节, 端午节, 中秋节 …), an occasion (建党节);
/// `None` on other days.
pub fn day_name(date: NaiveDate) -> Option<&'static str> {
    name_among(date, &marks_of(date))
}

/// As [`day_name`], from the day's [`marks_of`] already at hand.
fn name_among(date: NaiveDate, marks: &[DayMark]) -> Option<&'static str> {
    let eve = date.succ_opt().is_some_and(|next| Festival::SpringFestival.date_in(date.year()) == Some(next));
    legal_table().named.get(&date).copied().or(eve.then_some("除夕")).or_else(|| {
        marks.iter().find_map(|mark| match mark {
            DayMark::Festival(festival) => Some(festival.full_name()),
            DayMark::Occasion(occasion) => Some(occasion.label()),
            DayMark::RestDay { .. } | DayMark::MakeUpWorkday { .. } => None,
        })
    })
}

/// Whether tyme4rs knows the State Council's holiday schedule for `year` (it has at least one
/// legal rest day in it). For other years working days are plain Monday–Friday, which the UI
/// should say: the State Council publishes each schedule late in the year before.
pub fn has_holiday_schedule(year: i32) -> bool {
    legal_table().years.contains(&year)
}

/// Monday–Friday unless a legal rest day, plus the weekend days worked in exchange (调休上班).
pub fn is_working_day(date: NaiveDate) -> bool {
    match legal_day(date) {
        Some(legal) => legal.work,
        None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
    }
}

/// The `n`-th working day after `date`; `date` itself is not counted (periods start the next
/// day, as 民法典 §201 counts them), so `n == 0` gives `date`. Saturates at the last date chrono
/// represents.
pub fn add_working_days(date: NaiveDate, n: u32) -> NaiveDate {
    let mut day = date;
    let mut left = n;
    while left > 0 {
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
        if is_working_day(day) {
            left -= 1;
        }
    }
    day
}

/// The number of working days `d` with `from < d <= to`; negative, with the roles swapped, when
/// `to` is before `from`. The inverse of [`add_working_days`]:
/// `working_days_between(d, add_working_days(d, n)) == n`.
pub fn working_days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    if to < from {
        return -working_days_between(to, from);
    }
    from.iter_days().skip(1).take_while(|d| *d <= to).filter(|d| is_working_day(*d)).count() as i64
}

/// Whether service recorded on `recorded_on` for an activity that ended on `activity_end` is late
/// under "record within `limit` working days of the activity's end" (办法 §11, `limit` is
/// normally [`RECORDING_LIMIT_WORKING_DAYS`]).
///
/// The deadline is `add_working_days(activity_end, limit)`: the end day itself is not counted,
/// and legal rest days and weekends are skipped while 调休 working weekends count. An entry
/// recorded on or before the deadline is on time; one recorded on any later date, working day or
/// not, is late. Example: an activity ending Friday 2017-09-29 has until 2017-10-19 (9-30 was a
/// make-up working day, 10-1…10-8 the 国庆/中秋 holiday); 2017-10-20 is late.
pub fn is_late(activity_end: NaiveDate, recorded_on: NaiveDate, limit: u32) -> bool {
    recorded_on > add_working_days(activity_end, limit)
}

/// The weeks of a month for a month view, Monday first (see [`WEEKDAY_LABELS`]); cells outside
/// the month are `None`. Empty for an invalid month.
pub fn month_grid(year: i32, month: u32) -> Vec<[Option<NaiveDate>; 7]> {
    let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
        return Vec::new();
    };
    let mut weeks = Vec::new();
    let mut week = [None; 7];
    for date in first.iter_days().take_while(|d| d.month() == month) {
        let column = date.weekday().num_days_from_monday() as usize;
        week[column] = Some(date);
        if column == 6 {
            weeks.push(week);
            week = [None; 7];
        }
    }
    if week.iter().any(Option::is_some) {
        weeks.push(week);
    }
    weeks
}

/// One day of a [`MonthCalendar`], everything a cell shows apart from the activities.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarDay {
    pub date: NaiveDate,
    /// As [`lunar_label`].
    pub lunar: String,
    /// As [`day_name`]: shown in place of `lunar` when there is one.
    pub name: Option<&'static str>,
    /// As [`marks_of`].
    pub marks: Vec<DayMark>,
    /// As [`is_working_day`].
    pub working: bool,
}

/// A month's calendar knowledge computed once, for the UI to keep while the month is shown:
/// the lunar conversion costs tens of microseconds per day, too much for every cell every frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthCalendar {
    year: i32,
    month: u32,
    weeks: Vec<[Option<NaiveDate>; 7]>,
    days: Vec<CalendarDay>,
}

impl MonthCalendar {
    /// `None` for an invalid month.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        let first = NaiveDate::from_ymd_opt(year, month, 1)?;
        let days = first
            .iter_days()
            .take_while(|d| d.month() == month)
            .map(|date| {
                let marks = marks_of(date);
                CalendarDay {
                    date,
                    lunar: lunar_label(date),
                    name: name_among(date, &marks),
                    marks,
                    working: is_working_day(date),
                }
            })
            .collect();
        Some(Self { year, month, weeks: month_grid(year, month), days })
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    pub fn month(&self) -> u32 {
        self.month
    }

    /// As [`month_grid`].
    pub fn weeks(&self) -> &[[Option<NaiveDate>; 7]] {
        &self.weeks
    }

    /// The month's days in order, the first at index 0.
    pub fn days(&self) -> &[CalendarDay] {
        &self.days
    }

    /// The day for `date`, if it is in this month.
    pub fn day(&self, date: NaiveDate) -> Option<&CalendarDay> {
        if date.year() != self.year || date.month() != self.month {
            return None;
        }
        self.days.get(date.day0() as usize)
    }

    pub fn is_activity_month(&self) -> bool {
        self.month == 7
    }

    /// As [`has_holiday_schedule`] for the month's year.
    pub fn has_holiday_schedule(&self) -> bool {
        has_holiday_schedule(self.year)
    }
}

fn solar_day(date: NaiveDate) -> Option<SolarDay> {
    SUPPORTED_YEARS
        .contains(&date.year())
        .then(|| SolarDay::from_ymd(date.year() as isize, date.month() as usize, date.day() as usize))
}

fn from_solar(day: SolarDay) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(i32::try_from(day.get_year()).ok()?, day.get_month() as u32, day.get_day() as u32)
}

/// The dates of [`Festival::ALL`] in `year`, memoised: each costs a fraction of a millisecond.
fn festival_dates(year: i32) -> [Option<NaiveDate>; 7] {
    if !SUPPORTED_YEARS.contains(&year) {
        return [None; 7];
    }
    static CACHE: OnceLock<Mutex<HashMap<i32, [Option<NaiveDate>; 7]>>> = OnceLock::new();
    // The map only ever gains complete entries, so a panic elsewhere cannot leave it inconsistent.
    let mut cache = CACHE.get_or_init(Default::default).lock().unwrap_or_else(PoisonError::into_inner);
    *cache.entry(year).or_insert_with(|| Festival::ALL.map(|festival| compute_festival_date(festival, year)))
}

fn compute_festival_date(festival: Festival, year: i32) -> Option<NaiveDate> {
    let index = LUNAR_FESTIVAL_NAMES.iter().position(|name| *name == festival.full_name())?;
    let day = LunarFestival::from_index(year as isize, index)?.get_day().get_solar_day();
    from_solar(day)
}

/// One entry of tyme4rs's legal-holiday table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct LegalDay {
    holiday: &'static str,
    /// A make-up working day rather than a rest day.
    work: bool,
}

struct LegalTable {
    days: HashMap<NaiveDate, LegalDay>,
    /// Years with at least one rest day: the years whose schedule tyme4rs has.
    years: HashSet<i32>,
    /// Each holiday's own day (国庆节 on 10-01, 春节 on 正月初一), by its name.
    named: HashMap<NaiveDate, &'static str>,
}

/// One record of the table: the day, and how many days away the holiday itself is.
struct LegalRecord {
    date: NaiveDate,
    legal: LegalDay,
    offset: i64,
}

fn legal_day(date: NaiveDate) -> Option<LegalDay> {
    legal_table().days.get(&date).copied()
}

/// tyme4rs's `LegalHoliday::from_ymd` compiles a regex over the whole table on every call
/// (~0.2 ms), far too slow for per-cell and per-ledger-row checks, so its table is read once.
/// Each 13-character record is `yyyymmdd`, `0` work / `1` rest, the index into
/// `LEGAL_HOLIDAY_NAMES`, and a signed offset to the holiday itself; the unit tests check the
/// reading against `LegalHoliday::from_ymd` and the named days against tyme4rs's festivals.
fn legal_table() -> &'static LegalTable {
    static TABLE: OnceLock<LegalTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let records: Vec<LegalRecord> =
            LEGAL_HOLIDAY_DATA.as_bytes().chunks_exact(13).filter_map(parse_legal_record).collect();
        let days: HashMap<NaiveDate, LegalDay> = records.iter().map(|r| (r.date, r.legal)).collect();
        let years = days.iter().filter(|(_, legal)| !legal.work).map(|(date, _)| date.year()).collect();
        LegalTable { days, years, named: own_days(&records) }
    })
}

/// The own day of each holiday of fixed date: its first rest day in the year that points at
/// itself. Only the first: a few records later in a 国庆 week also say offset 0 (2014-10-04).
/// The lunar holidays are left to their [`Festival`] dates: 2008–2010 point 春节 at 除夕.
fn own_days(records: &[LegalRecord]) -> HashMap<NaiveDate, &'static str> {
    let lunar = |holiday: &str| Festival::ALL.iter().any(|f| f.full_name() == holiday);
    let mut seen = HashSet::new();
    records
        .iter()
        .filter(|r| !r.legal.work && r.offset == 0 && !lunar(r.legal.holiday))
        .filter(|r| seen.insert((r.date.year(), r.legal.holiday)))
        // 国庆中秋 is the week's name; its own day is 国庆节.
        .map(|r| (r.date, if r.legal.holiday == "国庆中秋" { "国庆节" } else { r.legal.holiday }))
        .collect()
}

fn parse_legal_record(record: &[u8]) -> Option<LegalRecord> {
    let text = std::str::from_utf8(record).ok()?;
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
    let date = NaiveDate::from_ymd_opt(i32::try_from(number(0..4)?).ok()?, number(4..6)?, number(6..8)?)?;
    let work = match record.get(8)? {
        b'0' => true,
        b'1' => false,
        _ => return None,
    };
    let holiday = LEGAL_HOLIDAY_NAMES.get(number(9..10)? as usize)?;
    let offset = text.get(10..13)?.parse::<i64>().ok()?;
    Some(LegalRecord { date, legal: LegalDay { holiday, work }, offset })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tyme4rs::tyme::holiday::LegalHoliday;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn via_tyme4rs(date: NaiveDate) -> Option<LegalDay> {
        let found = LegalHoliday::from_ymd(date.year() as isize, date.month() as usize, date.day() as usize)?;
        let name = found.get_name();
        let holiday = LEGAL_HOLIDAY_NAMES.iter().find(|n| **n == name).expect("a known holiday name");
        Some(LegalDay { holiday, work: found.is_work() })
    }

    #[test]
    fn every_table_record_is_read() {
        // Guards the record format on a tyme4rs upgrade.
        assert_eq!(LEGAL_HOLIDAY_DATA.len() % 13, 0);
        assert_eq!(legal_table().days.len(), LEGAL_HOLIDAY_DATA.len() / 13);
    }

    #[test]
    fn the_table_reads_as_tyme4rs_reads_it() {
        for (date, legal) in &legal_table().days {
            assert_eq!(via_tyme4rs(*date), Some(*legal), "{date}");
        }
        // And no day is missed: every day of two years, one with 国庆 and 中秋 apart, one together.
        for date in ymd(2017, 1, 1).iter_days().take_while(|d| d.year() == 2017) {
            assert_eq!(legal_day(date), via_tyme4rs(date), "{date}");
        }
        for date in ymd(2026, 1, 1).iter_days().take_while(|d| d.year() == 2026) {
            assert_eq!(legal_day(date), via_tyme4rs(date), "{date}");
        }
    }

    #[test]
    fn festivals_agree_with_the_lunar_day_lookup() {
        for year in [2017, 2020, 2023, 2026] {
            for festival in Festival::ALL {
                let date = festival.date_in(year).expect("a supported year");
                let lunar = solar_day(date).expect("supported").get_lunar_day();
                let found = lunar.get_festival().expect("a festival").get_name();
                assert_eq!(found, festival.full_name(), "{year} {date}");
            }
        }
    }

    #[test]
    fn the_founding_day_is_tyme4rs_s_jian_dang_jie() {
        let (m, d) = Occasion::PartyFoundingDay.month_day();
        let festival = SolarDay::from_ymd(2017, m as usize, d as usize).get_festival().expect("a festival");
        assert_eq!(festival.get_name(), "建党节");
    }

    #[test]
    fn the_last_two_lunar_months_are_dong_yue_and_la_yue() {
        // 2026 春节 is 02-17 after a 腊月 of 29 days: 腊月初一 is 01-19, 冬月初一 2025-12-20.
        assert_eq!(lunar_label(ymd(2026, 1, 19)), "腊月");
        assert_eq!(lunar_label(ymd(2025, 12, 20)), "冬月");
        assert_eq!(lunar_label(ymd(2026, 2, 17)), "正月");
        assert_eq!(lunar_label(ymd(2018, 1, 17)), "腊月");
        assert_eq!(lunar_label(ymd(2017, 7, 23)), "闰六月");
        // Every other month keeps tyme4rs's name.
        for date in ymd(2017, 1, 1).iter_days().take_while(|d| d.year() <= 2026) {
            let lunar = solar_day(date).expect("supported").get_lunar_day();
            if lunar.get_day() != 1 {
                continue;
            }
            let tyme = lunar.get_lunar_month().get_name().replace("十一月", "冬月").replace("十二月", "腊月");
            assert_eq!(lunar_label(date), tyme, "{date}");
        }
    }

    #[test]
    fn holidays_are_named_on_their_own_days_in_2017() {
        for (date, name) in [
            (ymd(2017, 1, 1), "元旦"),
            (ymd(2017, 1, 27), "除夕"),
            (ymd(2017, 1, 28), "春节"),
            (ymd(2017, 2, 11), "元宵节"),
            (ymd(2017, 4, 4), "清明节"),
            (ymd(2017, 5, 1), "劳动节"),
            (ymd(2017, 5, 30), "端午节"),
            (ymd(2017, 7, 1), "建党节"),
            (ymd(2017, 10, 1), "国庆节"),
            (ymd(2017, 10, 4), "中秋节"),
        ] {
            assert_eq!(day_name(date), Some(name), "{date}");
        }
        // The other days of the 国庆 week, and the Saturday worked for it, keep their lunar date.
        assert_eq!(day_name(ymd(2017, 10, 2)), None);
        assert_eq!(day_name(ymd(2017, 9, 30)), None);
        assert_eq!(day_name(ymd(2017, 9, 29)), None);
    }

    #[test]
    fn the_eve_of_2026_is_the_twenty_ninth_of_la_yue() {
        // No 大年三十 in 2026: 腊月 has 29 days, so 除夕 is 廿九, and tyme4rs calls it 除夕 too.
        let eve = ymd(2026, 2, 16);
        assert_eq!(day_name(eve), Some("除夕"));
        assert_eq!(lunar_label(eve), "廿九");
        let lunar = solar_day(eve).expect("supported").get_lunar_day();
        assert_eq!(lunar.get_festival().expect("a festival").get_name(), "除夕");
        assert_eq!(day_name(ymd(2026, 2, 17)), Some("春节"));
        assert_eq!(day_name(ymd(2026, 2, 18)), None);
        assert_eq!(day_name(ymd(2026, 9, 25)), Some("中秋节"));
        assert_eq!(day_name(ymd(2026, 10, 1)), Some("国庆节"));
        // 2025's week is 国庆中秋: 10-01 is 国庆节, 中秋 (10-06) inside it still named.
        assert_eq!(day_name(ymd(2025, 10, 1)), Some("国庆节"));
        assert_eq!(day_name(ymd(2025, 10, 6)), Some("中秋节"));
        // A stray offset 0 later in a 国庆 week names nothing.
        assert_eq!(day_name(ymd(2014, 10, 4)), None);
    }

    #[test]
    fn every_named_legal_day_is_tyme4rs_s_festival_of_that_name() {
        let table = legal_table();
        assert!(table.named.len() > 70, "{}", table.named.len());
        for (date, name) in &table.named {
            let solar = solar_day(*date).expect("supported").get_festival().map(|f| f.get_name());
            assert!(solar.as_deref() == Some(*name) || *name == "抗战胜利日", "{date} {name}");
        }
        // 2008's schedule points 春节 at 除夕; the cells follow the lunar calendar.
        assert_eq!(day_name(ymd(2008, 2, 6)), Some("除夕"));
        assert_eq!(day_name(ymd(2008, 2, 7)), Some("春节"));
    }

    #[test]
    fn a_month_calendar_carries_the_names() {
        let october = MonthCalendar::new(2017, 10).expect("a month");
        let named: Vec<(u32, &str)> = october.days().iter().filter_map(|d| d.name.map(|n| (d.date.day(), n))).collect();
        assert_eq!(named, [(1, "国庆节"), (4, "中秋节"), (28, "重阳节")]);
    }

    #[test]
    fn coverage_follows_the_table() {
        assert!(!has_holiday_schedule(2001)); // only the 2002 元旦 make-up days of late 2001
        assert!(has_holiday_schedule(2002));
        assert!(has_holiday_schedule(2026));
    }

    #[test]
    fn outside_supported_years_nothing_panics() {
        for date in [NaiveDate::MIN, ymd(1, 1, 1), ymd(9999, 12, 31), NaiveDate::MAX] {
            assert_eq!(lunar_label(date), "");
            let _ = marks_of(date);
            let _ = is_working_day(date);
        }
        assert_eq!(add_working_days(NaiveDate::MAX, 3), NaiveDate::MAX);
    }
}
