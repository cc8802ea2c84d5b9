//! What the 日历 tab shows: the month in view, and the open activity's roster, record and photos.

use super::{ActivityDetailData, CalendarData};
use crate::domain::calendar::MonthCalendar;
use crate::error::{Error, Result};
use crate::store::Store;

/// The activities of a month and the service categories, for the month view and the form.
pub fn read_month(store: &Store, (year, month): (i32, u32)) -> Result<CalendarData> {
    let calendar =
        MonthCalendar::new(year, month).ok_or_else(|| Error::rejected(format!("没有 {year} 年 {month} 月")))?;
    let activities = store.activities_in_month(year, month)?;
    let categories = store.service_categories()?;
    Ok(CalendarData { month: calendar, activities, categories })
}

/// The open activity's roster, record and photos.
pub fn read_detail(store: &Store, id: i64) -> Result<ActivityDetailData> {
    let (summary, people) = store.activity_record(id)?.unwrap_or_default();
    Ok(ActivityDetailData {
        roster: store.roster(id)?,
        summary,
        people_served: people.map(|p| p.to_string()).unwrap_or_default(),
        photos: store.activity_photos(id)?,
    })
}
