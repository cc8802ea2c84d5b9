//! 台账: every session, correction and grant of a volunteer or an activity in time order,
//! with the late flag (办法 §11), and the sessions left open past their day.

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use crate::domain::calendar::{RECORDING_LIMIT_WORKING_DAYS, is_late};
use crate::domain::{Minutes, format_date};
use crate::error::Result;
use crate::store::Store;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// 签到: a sign-in and its sign-out; credit derived from them.
    Session,
    /// 更正: ± credit on a session.
    SessionCorrection,
    /// 荣誉: honour hours granted.
    Honor,
    /// ± honour hours on a grant.
    HonorCorrection,
}

impl EntryKind {
    pub fn label(self) -> &'static str {
        match self {
            EntryKind::Session => "签到",
            EntryKind::SessionCorrection => "时数更正",
            EntryKind::Honor => "荣誉时数",
            EntryKind::HonorCorrection => "荣誉时数更正",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerEntry {
    pub kind: EntryKind,
    /// When the service happened: the sign-in time, or the grant's service date.
    pub service_at: String,
    pub volunteer_id: i64,
    pub volunteer_name: String,
    pub activity_name: Option<String>,
    /// Sign-in – sign-out, or the reason.
    pub detail: String,
    pub credit: Minutes,
    pub honor: Minutes,
    pub recorded_by: String,
    pub recorded_at: String,
    /// Recorded more than ten working days after the service.
    pub late: bool,
    /// A session without sign-out (earns nothing until resolved).
    pub open: bool,
    /// The session or grant the entry is, for corrections.
    pub session_id: Option<i64>,
    pub grant_id: Option<i64>,
}

/// Whose ledger to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LedgerOf {
    Volunteer(i64),
    Activity(i64),
}

const LEDGER_SQL: &str = "
SELECT 0, s.signed_in_at, s.volunteer_id, v.name, a.name,
       s.signed_in_at || ' – ' || coalesce(substr(s.signed_out_at, 12), '未签退')
           || CASE WHEN r.session_id IS NOT NULL THEN '（已处理：' || r.note || '）' ELSE '' END,
       coalesce(s.credit_minutes, 0), 0, s.recorded_by, s.recorded_at, substr(s.activity_ends_at, 1, 10),
       s.signed_out_at IS NULL, s.id, NULL
FROM credit_session s JOIN activity a ON a.id = s.activity_id JOIN volunteer v ON v.id = s.volunteer_id
LEFT JOIN session_resolution r ON r.session_id = s.id
WHERE (?1 = 'v' AND s.volunteer_id = ?2) OR (?1 = 'a' AND s.activity_id = ?2)
UNION ALL
SELECT 1, s.signed_in_at, s.volunteer_id, v.name, a.name, c.reason, c.minutes, 0, c.recorded_by, c.recorded_at,
       substr(a.ends_at, 1, 10), 0, s.id, NULL
FROM credit_correction c JOIN credit_session s ON s.id = c.session_id
JOIN activity a ON a.id = s.activity_id JOIN volunteer v ON v.id = s.volunteer_id
WHERE (?1 = 'v' AND s.volunteer_id = ?2) OR (?1 = 'a' AND s.activity_id = ?2)
UNION ALL
SELECT CASE WHEN g.corrects_id IS NULL THEN 2 ELSE 3 END, g.service_date, g.volunteer_id, v.name, a.name,
       g.reason, 0, g.minutes, g.granted_by, g.recorded_at, coalesce(substr(a.ends_at, 1, 10), g.service_date),
       0, NULL, coalesce(g.corrects_id, g.id)
FROM honor_grant g JOIN volunteer v ON v.id = g.volunteer_id LEFT JOIN activity a ON a.id = g.activity_id
WHERE (?1 = 'v' AND g.volunteer_id = ?2) OR (?1 = 'a' AND g.activity_id = ?2)
ORDER BY 2, 1, 10";

/// The ledger of a volunteer or an activity, oldest service first.
pub fn ledger(conn: &Connection, of: LedgerOf) -> Result<Vec<LedgerEntry>> {
    let (scope, id) = match of {
        LedgerOf::Volunteer(id) => ("v", id),
        LedgerOf::Activity(id) => ("a", id),
    };
    let mut stmt = conn.prepare_cached(LEDGER_SQL)?;
    let rows = stmt.query_map(params![scope, id], |r| {
        let kind = match r.get::<_, i64>(0)? {
            0 => EntryKind::Session,
            1 => EntryKind::SessionCorrection,
            2 => EntryKind::Honor,
            _ => EntryKind::HonorCorrection,
        };
        let service_end: String = r.get(10)?;
        let recorded_at: String = r.get(9)?;
        Ok(LedgerEntry {
            kind,
            service_at: r.get(1)?,
            volunteer_id: r.get(2)?,
            volunteer_name: r.get(3)?,
            activity_name: r.get(4)?,
            detail: r.get(5)?,
            credit: Minutes(r.get(6)?),
            honor: Minutes(r.get(7)?),
            recorded_by: r.get(8)?,
            late: late(&service_end, &recorded_at),
            recorded_at,
            open: r.get(11)?,
            session_id: r.get(12)?,
            grant_id: r.get(13)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn late(service_end: &str, recorded_at: &str) -> bool {
    let day = |text: &str| NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d").ok();
    match (day(service_end), day(recorded_at)) {
        (Some(end), Some(recorded)) => is_late(end, recorded, RECORDING_LIMIT_WORKING_DAYS),
        _ => false,
    }
}

/// A session still open after its activity's day: flagged, earning nothing until resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenSession {
    pub session_id: i64,
    pub volunteer_id: i64,
    pub volunteer_name: String,
    pub activity_id: i64,
    pub activity_name: String,
    pub signed_in_at: String,
    /// The most a 补录 grant may give: the activity's duration less what was earned there.
    pub room: Minutes,
    /// The activity's day is over: the session earns nothing until it is resolved.
    pub flagged: bool,
}

/// Open, unresolved sessions whose activity ended on a day before `today`.
pub fn flagged_open_sessions(conn: &Connection, today: NaiveDate) -> Result<Vec<OpenSession>> {
    Ok(open_sessions(conn, today)?.into_iter().filter(|s| s.flagged).collect())
}

/// Every open, unresolved session, those still running included; flagged when the activity
/// ended on a day before `today`.
pub fn open_sessions(conn: &Connection, today: NaiveDate) -> Result<Vec<OpenSession>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.volunteer_id, v.name, a.id, a.name, s.signed_in_at, substr(a.ends_at, 1, 10) < ?1
         FROM credit_session s JOIN activity a ON a.id = s.activity_id JOIN volunteer v ON v.id = s.volunteer_id
         WHERE s.signed_out_at IS NULL AND s.resolution_id IS NULL
         ORDER BY s.signed_in_at",
    )?;
    let rows = stmt.query_map([format_date(today)], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
    })?;
    let mut open = Vec::new();
    for row in rows {
        let (session_id, volunteer_id, volunteer_name, activity_id, activity_name, signed_in_at, flagged): (
            i64,
            i64,
            String,
            i64,
            String,
            String,
            bool,
        ) = row?;
        let room = crate::store::attendance::honor_room_at_activity(conn, activity_id, volunteer_id)?;
        open.push(OpenSession {
            session_id,
            volunteer_id,
            volunteer_name,
            activity_id,
            activity_name,
            signed_in_at,
            room,
            flagged,
        });
    }
    Ok(open)
}

/// Someone signed in and not yet out, with the session the desk's 签退 closes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedIn {
    pub session_id: i64,
    pub volunteer_id: i64,
    pub name: String,
    pub signed_in_at: String,
}

/// Who is signed in at an activity right now (open, unresolved sessions), for the desk.
pub fn signed_in_now(conn: &Connection, activity_id: i64) -> Result<Vec<SignedIn>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.volunteer_id, v.name, s.signed_in_at FROM credit_session s JOIN volunteer v ON v.id = s.volunteer_id
         WHERE s.activity_id = ?1 AND s.signed_out_at IS NULL AND s.resolution_id IS NULL
         ORDER BY s.signed_in_at",
    )?;
    let rows = stmt.query_map([activity_id], |r| {
        Ok(SignedIn { session_id: r.get(0)?, volunteer_id: r.get(1)?, name: r.get(2)?, signed_in_at: r.get(3)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A volunteer's totals: credit (net of corrections), honour (net), both.
pub fn totals(entries: &[LedgerEntry]) -> (Minutes, Minutes) {
    let credit = entries.iter().map(|e| e.credit).sum();
    let honor = entries.iter().map(|e| e.honor).sum();
    (credit, honor)
}

/// The window's API: what the screens ask, acting for the store's account.
impl Store {
    /// Who is signed in at an activity right now (open, unresolved sessions), for the desk.
    pub fn signed_in_now(&self, activity_id: i64) -> Result<Vec<SignedIn>> {
        signed_in_now(&self.conn, activity_id)
    }

    /// The ledger of a volunteer or an activity, oldest service first.
    pub fn ledger(&self, of: LedgerOf) -> Result<Vec<LedgerEntry>> {
        ledger(&self.conn, of)
    }

    /// Every open, unresolved session; flagged when its activity's day ended before `today`.
    pub fn open_sessions(&self, today: NaiveDate) -> Result<Vec<OpenSession>> {
        open_sessions(&self.conn, today)
    }
}
