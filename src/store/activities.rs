//! 活动: activities published to recruit volunteers.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension as _, params};

use crate::domain::{ServiceMode, format_minute};
use crate::error::{Error, Result};

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
    conn.prepare_cached(
        "INSERT INTO activity (code, name, team_id, category, mode, starts_at, ends_at, place, content,
                               leader, capacity, recruit_from, recruit_until)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        a.code.trim(),
        a.name.trim(),
        a.team_id,
        a.category.trim(),
        a.mode.label(),
        format_minute(a.starts_at),
        format_minute(a.ends_at),
        a.place.trim(),
        a.content.trim(),
        a.leader.trim(),
        a.capacity,
        a.recruit_from.map(format_minute),
        a.recruit_until.map(format_minute),
    ])?;
    Ok(conn.last_insert_rowid())
}

/// 发布招募: marks the activity as published at `at`.
pub fn publish_activity(conn: &Connection, activity_id: i64, at: NaiveDateTime) -> Result<()> {
    let changed = conn
        .prepare_cached("UPDATE activity SET published_at = ?2 WHERE id = ?1 AND cancelled_at IS NULL")?
        .execute(params![activity_id, format_minute(at)])?;
    if changed == 0 {
        return Err(Error::rejected("活动不存在或已取消，不能发布"));
    }
    Ok(())
}
