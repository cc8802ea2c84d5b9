//! 签到 and 荣誉时数: credit sessions (sign-in/sign-out) and honour grants. Both tables are
//! append-only (see the schema's triggers); credit is derived, never typed in.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension as _, params};

use crate::domain::{Minutes, format_date, format_minute};
use crate::error::{Error, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSession {
    pub activity_id: i64,
    pub volunteer_id: i64,
    pub signed_in_at: NaiveDateTime,
    /// `None` while the volunteer is still signed in.
    pub signed_out_at: Option<NaiveDateTime>,
    pub recorded_by: String,
}

/// Records a sign-in (and its sign-out, when known), refusing what the ledger's rules forbid.
pub fn record_session(conn: &Connection, s: &NewSession, now: NaiveDateTime) -> Result<i64> {
    let cancelled: Option<Option<String>> = conn
        .prepare_cached("SELECT cancelled_at FROM activity WHERE id = ?1")?
        .query_row([s.activity_id], |row| row.get(0))
        .optional()?;
    match cancelled {
        None => return Err(Error::rejected("活动不存在")),
        Some(Some(_)) => return Err(Error::rejected("活动已取消，不能签到")),
        Some(None) => {}
    }
    if s.signed_in_at > now || s.signed_out_at.is_some_and(|out| out > now) {
        return Err(Error::rejected("签到、签退时间不能晚于当前时间"));
    }
    if s.signed_out_at.is_some_and(|out| out <= s.signed_in_at) {
        return Err(Error::rejected("签退时间须晚于签到时间"));
    }
    let signed_in_at = format_minute(s.signed_in_at);
    let signed_out_at = s.signed_out_at.map(format_minute);
    let overlapping: Option<String> = conn
        .prepare_cached(
            "SELECT signed_in_at FROM credit_session
             WHERE volunteer_id = ?1 AND signed_in_at < coalesce(?3, '9999')
               AND coalesce(signed_out_at, '9999') > ?2
             LIMIT 1",
        )?
        .query_row(params![s.volunteer_id, signed_in_at, signed_out_at], |row| row.get(0))
        .optional()?;
    if let Some(other) = overlapping {
        return Err(Error::rejected(format!("该志愿者在 {other} 已有签到记录，时间重叠或尚未签退")));
    }
    conn.prepare_cached(
        "INSERT INTO credit_session (activity_id, volunteer_id, signed_in_at, signed_out_at, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![s.activity_id, s.volunteer_id, signed_in_at, signed_out_at, s.recorded_by])?;
    Ok(conn.last_insert_rowid())
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewHonorGrant {
    pub volunteer_id: i64,
    pub minutes: Minutes,
    pub service_date: NaiveDate,
    pub reason: String,
    pub activity_id: Option<i64>,
    pub granted_by: String,
}

/// Grants honour hours. Tied to an activity, the grant may not exceed the activity's duration
/// less what that volunteer already earned there (credit and earlier grants).
pub fn grant_honor(conn: &Connection, g: &NewHonorGrant) -> Result<i64> {
    if g.minutes.0 <= 0 {
        return Err(Error::rejected("荣誉时数须大于0"));
    }
    if let Some(activity_id) = g.activity_id {
        let room = honor_room_at_activity(conn, activity_id, g.volunteer_id)?;
        if g.minutes > room {
            return Err(Error::rejected(format!(
                "荣誉时数 {} 小时超过该活动可补录的上限 {} 小时（活动时长减去已获时数）",
                g.minutes, room
            )));
        }
    }
    conn.prepare_cached(
        "INSERT INTO honor_grant (volunteer_id, minutes, service_date, reason, activity_id, granted_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        g.volunteer_id,
        g.minutes.0,
        format_date(g.service_date),
        g.reason.trim(),
        g.activity_id,
        g.granted_by.trim(),
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The activity's duration less the credit and honour a volunteer already has there.
pub fn honor_room_at_activity(conn: &Connection, activity_id: i64, volunteer_id: i64) -> Result<Minutes> {
    let room: Option<i64> = conn
        .prepare_cached(
            "SELECT CAST(round((julianday(a.ends_at) - julianday(a.starts_at)) * 1440) AS INTEGER)
                    - (SELECT coalesce(sum(credit_minutes), 0) FROM credit_session_minutes
                       WHERE activity_id = a.id AND volunteer_id = ?2)
                    - (SELECT coalesce(sum(minutes), 0) FROM honor_grant
                       WHERE activity_id = a.id AND volunteer_id = ?2)
             FROM activity a WHERE a.id = ?1",
        )?
        .query_row(params![activity_id, volunteer_id], |row| row.get(0))
        .optional()?;
    room.map(|m| Minutes(m.max(0))).ok_or_else(|| Error::rejected("活动不存在"))
}
