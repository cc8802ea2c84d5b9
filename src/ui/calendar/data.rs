//! What the 日历 tab shows: the month in view, and the open activity's roster, record and photos.

use super::{ActivityDetailData, CalendarData};
use crate::domain::calendar::MonthCalendar;
use crate::error::{Error, Result};
use crate::store::{Store, activities, recruitment};

/// The activities of a month and the service categories, for the month view and the form.
pub fn read_month(store: &Store, (year, month): (i32, u32)) -> Result<CalendarData> {
    let calendar =
        MonthCalendar::new(year, month).ok_or_else(|| Error::rejected(format!("没有 {year} 年 {month} 月")))?;
    let from = format!("{year:04}-{month:02}-01 00:00");
    let to = if month == 12 {
        format!("{:04}-01-01 00:00", year + 1)
    } else {
        format!("{year:04}-{:02}-01 00:00", month + 1)
    };
    let conn = store.conn();
    let activities = activities::list_activities(conn, &from, &to)?;
    let categories = activities::service_categories(conn)?;
    Ok(CalendarData { month: calendar, activities, categories })
}

/// The open activity's roster, record and photos.
pub fn read_detail(store: &Store, id: i64) -> Result<ActivityDetailData> {
    let conn = store.conn();
    let (summary, people) = activities::record(conn, id)?.unwrap_or_default();
    Ok(ActivityDetailData {
        roster: recruitment::roster(conn, id)?,
        summary,
        people_served: people.map(|p| p.to_string()).unwrap_or_default(),
        photos: activities::photos(conn, id)?,
    })
}
