//! 报名: sign-ups within capacity, the waiting list (first come, first served), withdrawals
//! that promote the first in line, and the roster of an activity.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension as _, params};

use crate::domain::format_minute;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::activities::refuse_when_locked;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignupStatus {
    /// 已报名: holds a place.
    Confirmed,
    /// 候补: waiting for a place.
    Waiting,
    /// 已退出.
    Withdrawn,
}

impl SignupStatus {
    pub fn label(self) -> &'static str {
        match self {
            SignupStatus::Confirmed => "已报名",
            SignupStatus::Waiting => "候补",
            SignupStatus::Withdrawn => "已退出",
        }
    }

    pub fn from_label(label: &str) -> Option<SignupStatus> {
        [SignupStatus::Confirmed, SignupStatus::Waiting, SignupStatus::Withdrawn]
            .into_iter()
            .find(|s| s.label() == label)
    }
}

struct Window {
    starts_at: String,
    ends_at: String,
    capacity: Option<i64>,
    recruit_from: Option<String>,
    recruit_until: Option<String>,
    published: bool,
    cancelled: bool,
}

fn window(conn: &Connection, activity_id: i64) -> Result<Window> {
    conn.prepare_cached(
        "SELECT starts_at, ends_at, capacity, recruit_from, recruit_until, published_at IS NOT NULL,
                cancelled_at IS NOT NULL
         FROM activity WHERE id = ?1",
    )?
    .query_row([activity_id], |r| {
        Ok(Window {
            starts_at: r.get(0)?,
            ends_at: r.get(1)?,
            capacity: r.get(2)?,
            recruit_from: r.get(3)?,
            recruit_until: r.get(4)?,
            published: r.get(5)?,
            cancelled: r.get(6)?,
        })
    })
    .optional()?
    .ok_or_else(|| Error::rejected("活动不存在"))
}

/// Signs a volunteer up at `now`: a place while there is one, the waiting list after.
pub fn sign_up(conn: &Connection, activity_id: i64, volunteer_id: i64, now: NaiveDateTime) -> Result<SignupStatus> {
    let w = window(conn, activity_id)?;
    let at = format_minute(now);
    if w.cancelled {
        return Err(Error::rejected("活动已取消，不能报名"));
    }
    if !w.published {
        return Err(Error::rejected("活动尚未发布招募，不能报名"));
    }
    if w.recruit_from.as_ref().is_some_and(|from| at < *from) {
        return Err(Error::rejected("招募尚未开始"));
    }
    let closes = w.recruit_until.as_ref().unwrap_or(&w.starts_at);
    if at > *closes {
        return Err(Error::rejected("招募已截止"));
    }
    refuse_double_or_overlap(conn, activity_id, volunteer_id, &w)?;
    let confirmed: i64 = conn
        .prepare_cached("SELECT count(*) FROM signup WHERE activity_id = ?1 AND status = '已报名'")?
        .query_row([activity_id], |r| r.get(0))?;
    let status =
        if w.capacity.is_some_and(|c| confirmed >= c) { SignupStatus::Waiting } else { SignupStatus::Confirmed };
    insert(conn, activity_id, volunteer_id, status, now, false)?;
    Ok(status)
}

/// Where a volunteer who is not holding a place stands on an activity's roster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    NotSignedUp,
    Waiting,
    Withdrawn,
}

impl Standing {
    pub fn label(self) -> &'static str {
        match self {
            Standing::NotSignedUp => "未报名本活动",
            Standing::Waiting => "在候补名单中",
            Standing::Withdrawn => "已退出本活动",
        }
    }
}

/// What signing in someone without a place would mean: where they stand, and the places
/// taken after (with the capacity) when that goes past the capacity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WalkIn {
    pub standing: Standing,
    pub over_capacity: Option<(i64, i64)>,
}

impl WalkIn {
    /// The question the desk asks before writing, e.g. "已退出本活动；将超出名额 3/2".
    pub fn question(&self) -> String {
        match self.over_capacity {
            Some((after, capacity)) => format!("{}；将超出名额 {after}/{capacity}", self.standing.label()),
            None => self.standing.label().to_string(),
        }
    }
}

/// What the desk's operator confirmed for a sign-in that is not a plain one. The store refuses
/// a walk-in (and a walk-in past capacity) unless the caller says so here.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WalkInConsent {
    /// 现场报名: add someone not on the roster, waiting, or withdrawn.
    pub walk_in: bool,
    /// The walk-in may take the activity past its capacity.
    pub over_capacity_accepted: bool,
}

impl WalkInConsent {
    /// Both confirmed: what the desk sends once the user answered 现场报名？ with yes.
    pub const CONFIRMED: WalkInConsent = WalkInConsent { walk_in: true, over_capacity_accepted: true };
}

/// `None` when the volunteer holds a place; otherwise what a walk-in would be.
pub fn walk_in_needed(conn: &Connection, activity_id: i64, volunteer_id: i64) -> Result<Option<WalkIn>> {
    let w = window(conn, activity_id)?;
    let statuses: Vec<String> = conn
        .prepare_cached("SELECT status FROM signup WHERE activity_id = ?1 AND volunteer_id = ?2")?
        .query_map(params![activity_id, volunteer_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    if statuses.iter().any(|s| s == "已报名") {
        return Ok(None);
    }
    let standing = if statuses.iter().any(|s| s == "候补") {
        Standing::Waiting
    } else if statuses.is_empty() {
        Standing::NotSignedUp
    } else {
        Standing::Withdrawn
    };
    let confirmed: i64 = conn
        .prepare_cached("SELECT count(*) FROM signup WHERE activity_id = ?1 AND status = '已报名'")?
        .query_row([activity_id], |r| r.get(0))?;
    let over_capacity = w.capacity.filter(|&c| confirmed + 1 > c).map(|c| (confirmed + 1, c));
    Ok(Some(WalkIn { standing, over_capacity }))
}

/// Adds a volunteer who came without a place (the sign-in desk does this). Someone not signed
/// up, waiting or withdrawn is added only with `consent.walk_in`, and past the capacity only
/// with `consent.over_capacity_accepted`: the desk never re-adds a person on a guess.
pub fn add_walk_in(
    conn: &Connection,
    activity_id: i64,
    volunteer_id: i64,
    now: NaiveDateTime,
    consent: WalkInConsent,
) -> Result<()> {
    let w = window(conn, activity_id)?;
    if w.cancelled {
        return Err(Error::rejected("活动已取消"));
    }
    let Some(walk_in) = walk_in_needed(conn, activity_id, volunteer_id)? else { return Ok(()) };
    if !consent.walk_in {
        return Err(Error::rejected(format!("该志愿者{}，须确认现场报名后才能签到", walk_in.standing.label())));
    }
    if let Some((after, capacity)) = walk_in.over_capacity
        && !consent.over_capacity_accepted
    {
        return Err(Error::rejected(format!("现场报名将超出名额 {after}/{capacity}，须确认超出名额后才能签到")));
    }
    if walk_in.standing == Standing::Waiting {
        conn.prepare_cached(
            "UPDATE signup SET status = '已退出', withdrawn_at = ?3 WHERE activity_id = ?1 AND volunteer_id = ?2
               AND status = '候补'",
        )?
        .execute(params![activity_id, volunteer_id, seconds(now)])?;
    }
    insert(conn, activity_id, volunteer_id, SignupStatus::Confirmed, now, true)
}

fn refuse_double_or_overlap(conn: &Connection, activity_id: i64, volunteer_id: i64, w: &Window) -> Result<()> {
    let clash: Option<(i64, String, String)> = conn
        .prepare_cached(
            "SELECT a.id, a.name, a.starts_at FROM signup s JOIN activity a ON a.id = s.activity_id
             WHERE s.volunteer_id = ?1 AND s.status <> '已退出' AND a.cancelled_at IS NULL
               AND (a.id = ?2 OR (a.starts_at < ?4 AND a.ends_at > ?3))
             ORDER BY a.id = ?2 DESC LIMIT 1",
        )?
        .query_row(params![volunteer_id, activity_id, w.starts_at, w.ends_at], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    match clash {
        Some((id, _, _)) if id == activity_id => Err(Error::rejected("该志愿者已报名本活动，不能重复报名")),
        Some((_, name, starts)) => Err(Error::rejected(format!("该志愿者已报名同一时段的活动“{name}”（{starts}）"))),
        None => Ok(()),
    }
}

fn insert(
    conn: &Connection,
    activity_id: i64,
    volunteer_id: i64,
    status: SignupStatus,
    now: NaiveDateTime,
    walk_in: bool,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO signup (activity_id, volunteer_id, status, signed_up_at, walk_in) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![activity_id, volunteer_id, status.label(), seconds(now), walk_in])?;
    Ok(())
}

/// Withdraws a sign-up from an activity not over yet; a freed place goes to the first on the
/// waiting list, whose id is returned.
pub fn withdraw(conn: &Connection, activity_id: i64, volunteer_id: i64, now: NaiveDateTime) -> Result<Option<i64>> {
    refuse_when_locked(conn, activity_id, now, "退出报名")?;
    let status: Option<String> = conn
        .prepare_cached(
            "SELECT status FROM signup WHERE activity_id = ?1 AND volunteer_id = ?2 AND status <> '已退出'",
        )?
        .query_row(params![activity_id, volunteer_id], |r| r.get(0))
        .optional()?;
    let Some(status) = status else {
        return Err(Error::rejected("该志愿者没有报名本活动"));
    };
    conn.prepare_cached(
        "UPDATE signup SET status = '已退出', withdrawn_at = ?3
         WHERE activity_id = ?1 AND volunteer_id = ?2 AND status <> '已退出'",
    )?
    .execute(params![activity_id, volunteer_id, seconds(now)])?;
    if status != "已报名" {
        return Ok(None);
    }
    let first_waiting: Option<(i64, i64)> = conn
        .prepare_cached(
            "SELECT id, volunteer_id FROM signup WHERE activity_id = ?1 AND status = '候补'
             ORDER BY signed_up_at, id LIMIT 1",
        )?
        .query_row([activity_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((signup_id, promoted)) = first_waiting else { return Ok(None) };
    conn.prepare_cached("UPDATE signup SET status = '已报名' WHERE id = ?1")?.execute([signup_id])?;
    Ok(Some(promoted))
}

/// One line of an activity's roster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterEntry {
    pub volunteer_id: i64,
    pub code: String,
    pub name: String,
    /// `138****5678`.
    pub phone_masked: String,
    pub unit_name: String,
    pub status: SignupStatus,
    pub signed_up_at: String,
    pub walk_in: bool,
}

/// Everyone who signed up: places first, then the waiting list in order, then withdrawals.
pub fn roster(conn: &Connection, activity_id: i64) -> Result<Vec<RosterEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT v.id, v.code, v.name, v.phone_masked, u.name, s.status, s.signed_up_at, s.walk_in
         FROM signup s JOIN volunteer v ON v.id = s.volunteer_id JOIN unit u ON u.id = v.unit_id
         WHERE s.activity_id = ?1
         ORDER BY CASE s.status WHEN '已报名' THEN 0 WHEN '候补' THEN 1 ELSE 2 END, s.signed_up_at, s.id",
    )?;
    let rows = stmt.query_map([activity_id], |r| {
        Ok(RosterEntry {
            volunteer_id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            phone_masked: r.get(3)?,
            unit_name: r.get(4)?,
            status: r.get(5)?,
            signed_up_at: r.get(6)?,
            walk_in: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn seconds(now: NaiveDateTime) -> String {
    now.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// The window's API: what the screens ask, acting for the store's account.
impl Store {
    /// Signs a volunteer up at `now`: a place while there is one, the waiting list after.
    pub fn sign_up(&self, activity_id: i64, volunteer_id: i64, now: NaiveDateTime) -> Result<SignupStatus> {
        sign_up(&self.conn, activity_id, volunteer_id, now)
    }

    /// Withdraws a sign-up; a freed place goes to the first on the waiting list, whose id is
    /// returned.
    pub fn withdraw_signup(&self, activity_id: i64, volunteer_id: i64, now: NaiveDateTime) -> Result<Option<i64>> {
        withdraw(&self.conn, activity_id, volunteer_id, now)
    }

    /// Everyone who signed up: places first, then the waiting list in order, then withdrawals.
    pub fn roster(&self, activity_id: i64) -> Result<Vec<RosterEntry>> {
        roster(&self.conn, activity_id)
    }
}
