//! 签到 and 荣誉时数: credit sessions (sign-in/sign-out) and honour grants. Both tables are
//! append-only (see the schema's triggers); credit is derived, never typed in.
//!
//! The live desk (`sign_in_or_out`) decides nothing on a guess: it signs in only from the
//! setting's time before the start (`desk_settings`, 2 h unless changed) until the end, and adds
//! someone without a place (not signed up, waiting, withdrawn) only with the caller's explicit
//! `WalkInConsent`, past the capacity only when that is accepted too. Sessions recorded after
//! the fact (`record_session(s)`: the importer, historical records) keep the ledger's rules but
//! not the desk's window, which is about the queue in front of the desk, not about the past.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike as _, NaiveDate, NaiveDateTime, Timelike as _};
use rusqlite::{Connection, OptionalExtension as _, params};

use crate::domain::{Minutes, format_date, format_minute};
use crate::error::{Error, Result};
use crate::store::recruitment::{WalkIn, WalkInConsent, add_walk_in, walk_in_needed};
use crate::store::{Actor, Store};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSession {
    pub activity_id: i64,
    pub volunteer_id: i64,
    pub signed_in_at: NaiveDateTime,
    /// `None` while the volunteer is still signed in.
    pub signed_out_at: Option<NaiveDateTime>,
    pub recorded_by: String,
}

/// Records a sign-in (and its sign-out, when known), refusing what the ledger's rules forbid:
/// a cancelled activity, times in the future, a sign-out before the sign-in, a session that
/// overlaps another of the same person (or a second open one), more than 24 hours in a day.
pub fn record_session(conn: &Connection, s: &NewSession, now: NaiveDateTime) -> Result<i64> {
    let ids = record_sessions(conn, std::slice::from_ref(s), now)?;
    ids.first().copied().ok_or_else(|| Error::rejected("签到记录未写入"))
}

/// Records many sessions with the rules of [`record_session`], checked against each other
/// and the database with a few queries a batch (activities, people's sessions, their grants);
/// returns their ids in the order given. Refuses all of them if one breaks a rule (the message
/// names it when there are several).
pub fn record_sessions(conn: &Connection, sessions: &[NewSession], now: NaiveDateTime) -> Result<Vec<i64>> {
    let which = |i: usize| if sessions.len() > 1 { format!("第{}条签到记录：", i + 1) } else { String::new() };
    let windows = activity_windows(conn, sessions.iter().map(|s| s.activity_id))?;
    let mut credits = Vec::with_capacity(sessions.len());
    let mut by_person: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, s) in sessions.iter().enumerate() {
        let window = windows.get(&s.activity_id).ok_or_else(|| Error::rejected(format!("{}活动不存在", which(i))))?;
        if window.cancelled {
            return Err(Error::rejected(format!("{}活动已取消，不能签到", which(i))));
        }
        if s.signed_in_at > now || s.signed_out_at.is_some_and(|out| out > now) {
            return Err(Error::rejected(format!("{}签到、签退时间不能晚于当前时间", which(i))));
        }
        if s.signed_out_at.is_some_and(|out| out <= s.signed_in_at) {
            return Err(Error::rejected(format!("{}签退时间须晚于签到时间", which(i))));
        }
        credits.push(s.signed_out_at.map(|out| window.clip(s.signed_in_at, out)));
        by_person.entry(s.volunteer_id).or_default().push(i);
    }
    let mut records = PersonRecord::read_all(conn, by_person.keys().copied())?;
    for (volunteer_id, rows) in &by_person {
        let PersonRecord { mut spans, mut days } = records.remove(volunteer_id).unwrap_or_default();
        for &i in rows {
            let s = &sessions[i];
            let span = Span { from: s.signed_in_at, to: s.signed_out_at };
            if let Some(other) = spans.iter().find(|o| o.overlaps(&span)) {
                let at = format_minute(other.from);
                return Err(Error::rejected(match other.to {
                    None => format!("{}该志愿者在 {at} 的签到尚未签退，请先签退", which(i)),
                    Some(_) => format!("{}与该志愿者 {at} 的签到记录时间重叠", which(i)),
                }));
            }
            spans.push(span);
            if let Some(credit) = credits[i] {
                let day = s.signed_in_at.date();
                let total = days.entry(day).or_default();
                *total += credit;
                if *total > MAX_DAY {
                    return Err(Error::rejected(format!(
                        "{}该志愿者 {day} 的服务时数将达 {total} 小时，超过一天24小时，不能登记",
                        which(i)
                    )));
                }
            }
        }
    }
    insert_sessions(conn, sessions, &credits, &windows, now)
}

/// Writes checked sessions with their credit (the schema refuses any other value).
fn insert_sessions(
    conn: &Connection,
    sessions: &[NewSession],
    credits: &[Option<Minutes>],
    windows: &HashMap<i64, ActivityWindow>,
    now: NaiveDateTime,
) -> Result<Vec<i64>> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO credit_session (activity_id, activity_starts_at, activity_ends_at, volunteer_id, signed_in_at,
                                     signed_out_at, credit_minutes, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    insert.raw_bind_parameter(9, format_second(now))?;
    // In activity order, the activity index grows at a few places a batch rather than at
    // every activity of the year, and the activity's window is bound once for its sessions
    // (SQLite keeps a parameter until it is bound again).
    let mut order: Vec<usize> = (0..sessions.len()).collect();
    order.sort_by_key(|&i| (sessions[i].activity_id, sessions[i].volunteer_id, sessions[i].signed_in_at));
    let mut ids = vec![0; sessions.len()];
    let (mut bound_activity, mut bound_by) = (None, None);
    let (mut signed_in, mut signed_out) = (String::new(), String::new());
    for i in order {
        let s = &sessions[i];
        if bound_activity != Some(s.activity_id) {
            let window = &windows[&s.activity_id];
            insert.raw_bind_parameter(1, s.activity_id)?;
            insert.raw_bind_parameter(2, &window.starts_text)?;
            insert.raw_bind_parameter(3, &window.ends_text)?;
            bound_activity = Some(s.activity_id);
        }
        if bound_by != Some(&s.recorded_by) {
            insert.raw_bind_parameter(8, &s.recorded_by)?;
            bound_by = Some(&s.recorded_by);
        }
        insert.raw_bind_parameter(4, s.volunteer_id)?;
        insert.raw_bind_parameter(5, minute_text(s.signed_in_at, &mut signed_in))?;
        insert.raw_bind_parameter(6, s.signed_out_at.map(|out| minute_text(out, &mut signed_out)))?;
        insert.raw_bind_parameter(7, credits[i].map(|credit| credit.0))?;
        insert.raw_execute()?;
        ids[i] = conn.last_insert_rowid();
    }
    Ok(ids)
}

/// A time as the store writes it (`MINUTE_FORMAT`), digit by digit into a reused buffer: a bulk
/// import writes two a row, and chrono's formatter reads its pattern again on every call.
fn minute_text(time: NaiveDateTime, buf: &mut String) -> &str {
    buf.clear();
    let fields = [
        ("", time.year().unsigned_abs(), 4),
        ("-", time.month(), 2),
        ("-", time.day(), 2),
        (" ", time.hour(), 2),
        (":", time.minute(), 2),
    ];
    for (separator, value, width) in fields {
        buf.push_str(separator);
        for place in (0..width).rev() {
            buf.push(char::from(b'0' + (value / 10u32.pow(place) % 10) as u8));
        }
    }
    buf
}

/// A stretch of service; `to` is `None` while the person has not signed out.
#[derive(Clone, Copy, Debug)]
struct Span {
    from: NaiveDateTime,
    to: Option<NaiveDateTime>,
}

impl Span {
    /// Back-to-back is not an overlap.
    fn overlaps(&self, other: &Span) -> bool {
        other.to.is_none_or(|to| self.from < to) && self.to.is_none_or(|to| other.from < to)
    }
}

/// What the database holds of one person, for checking new sessions against it.
#[derive(Default)]
struct PersonRecord {
    /// Sessions; one resolved without sign-out ends with its activity.
    spans: Vec<Span>,
    /// Service per day: credit (with corrections) and honour grants.
    days: HashMap<NaiveDate, Minutes>,
}

impl PersonRecord {
    /// The records of many people, with one query for their sessions and one for their grants.
    fn read_all(conn: &Connection, volunteer_ids: impl Iterator<Item = i64>) -> Result<HashMap<i64, PersonRecord>> {
        let ids = json_array(volunteer_ids);
        let mut records: HashMap<i64, PersonRecord> = HashMap::new();
        let mut sessions = conn.prepare_cached(
            "SELECT c.volunteer_id, c.signed_in_at,
                    coalesce(c.signed_out_at, CASE WHEN c.resolution_id IS NOT NULL THEN c.activity_ends_at END),
                    coalesce(c.credit_minutes, 0)
                      + (SELECT coalesce(sum(minutes), 0) FROM credit_correction x WHERE x.session_id = c.id)
             FROM credit_session c
             WHERE c.volunteer_id IN (SELECT value FROM json_each(?1))",
        )?;
        let rows = sessions.query_map([&ids], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?, r.get::<_, i64>(3)?))
        })?;
        for row in rows {
            let (volunteer_id, from, to, credit) = row?;
            let from = parse_minute(&from)?;
            let to = to.as_deref().map(parse_minute).transpose()?;
            let record = records.entry(volunteer_id).or_default();
            record.spans.push(Span { from, to });
            *record.days.entry(from.date()).or_default() += Minutes(credit);
        }
        let mut grants = conn.prepare_cached(
            "SELECT volunteer_id, service_date, sum(minutes) FROM honor_grant
             WHERE volunteer_id IN (SELECT value FROM json_each(?1))
             GROUP BY volunteer_id, service_date",
        )?;
        let rows =
            grants.query_map([&ids], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?;
        for row in rows {
            let (volunteer_id, day, minutes) = row?;
            if let Ok(day) = NaiveDate::parse_from_str(&day, crate::domain::DATE_FORMAT) {
                *records.entry(volunteer_id).or_default().days.entry(day).or_default() += Minutes(minutes);
            }
        }
        Ok(records)
    }
}

/// Ids as a JSON array, for `json_each`: one query for a whole batch.
fn json_array(ids: impl Iterator<Item = i64>) -> String {
    let ids: Vec<String> = ids.map(|id| id.to_string()).collect();
    format!("[{}]", ids.join(","))
}

/// Signs out of an open session at `at`; returns the credit it earned.
pub fn sign_out(conn: &Connection, session_id: i64, at: NaiveDateTime, now: NaiveDateTime) -> Result<Minutes> {
    let (activity_id, volunteer_id, signed_in_at, signed_out_at): (i64, i64, String, Option<String>) = conn
        .prepare_cached(
            "SELECT activity_id, volunteer_id, signed_in_at, signed_out_at FROM credit_session WHERE id = ?1",
        )?
        .query_row([session_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?
        .ok_or_else(|| Error::rejected("签到记录不存在"))?;
    if signed_out_at.is_some() {
        return Err(Error::rejected("该签到已签退"));
    }
    let signed_in_at = parse_minute(&signed_in_at)?;
    if at > now {
        return Err(Error::rejected("签退时间不能晚于当前时间"));
    }
    if at <= signed_in_at {
        return Err(Error::rejected("签退时间须晚于签到时间"));
    }
    refuse_overlap(conn, volunteer_id, signed_in_at, Some(at), Some(session_id))?;
    let window = activity_window(conn, activity_id)?;
    let credit = window.clip(signed_in_at, at);
    refuse_over_a_day(conn, volunteer_id, signed_in_at.date(), credit)?;
    conn.prepare_cached("UPDATE credit_session SET signed_out_at = ?2, credit_minutes = ?3 WHERE id = ?1")?
        .execute(params![session_id, format_minute(at), credit.0])?;
    Ok(credit)
}

/// What the sign-in desk did for a volunteer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeskAction {
    SignedIn,
    SignedOut(Minutes),
}

/// What the desk would do for a volunteer, worked out before anything is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeskPlan {
    /// Signed in here and not out yet.
    SignOut,
    /// Signed in here less than [`ASK_BEFORE_SIGN_OUT`] ago: typed again by mistake more
    /// likely than leaving, so the desk asks before signing out (`sign_out_session`).
    ConfirmSignOut { session_id: i64, signed_in_at: NaiveDateTime },
    /// Holds a place: a plain sign-in.
    SignIn,
    /// No place: 现场报名 must be confirmed first (and a run past capacity named).
    WalkIn(WalkIn),
}

/// The desk's sign-in window opens this long before the start unless the setting says otherwise.
pub const DEFAULT_SIGN_IN_OPENS: Minutes = Minutes(120);

/// The desk's toggle does not sign out someone signed in less than this long ago: the same
/// name typed twice in a queue signed people out with 0 minutes and no question.
pub const ASK_BEFORE_SIGN_OUT: Minutes = Minutes(10);

/// Whether the desk takes sign-ins at `now` for an activity from `starts_at` to `ends_at`:
/// from `opens_before` before the start until the end.
pub fn sign_in_is_open(
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    opens_before: Minutes,
    now: NaiveDateTime,
) -> bool {
    starts_at - chrono::Duration::minutes(opens_before.0) <= now && now < ends_at
}

/// How long before an activity's start the desk opens sign-in (the `desk_settings` row).
pub fn sign_in_opens_before(conn: &Connection) -> Result<Minutes> {
    let minutes: Option<i64> = conn
        .prepare_cached("SELECT sign_in_opens_minutes FROM desk_settings WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(minutes.map_or(DEFAULT_SIGN_IN_OPENS, Minutes))
}

/// Sets how long before the start the desk opens sign-in; the schema refuses over 24 hours.
pub fn set_sign_in_opens_before(conn: &Connection, before: Minutes) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO desk_settings (id, sign_in_opens_minutes) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET sign_in_opens_minutes = excluded.sign_in_opens_minutes",
    )?
    .execute([before.0])?;
    Ok(())
}

/// Refuses a live sign-in outside the desk's window: from the setting's time before the
/// start until the end. Only the desk is held to it; imported and typed-in sessions
/// (`record_session`) record past service and keep their own rules.
fn refuse_outside_sign_in_window(conn: &Connection, activity_id: i64, now: NaiveDateTime) -> Result<()> {
    let window = activity_window(conn, activity_id)?;
    if window.cancelled {
        return Err(Error::rejected("活动已取消，不能签到"));
    }
    let before = sign_in_opens_before(conn)?;
    if sign_in_is_open(window.starts_at, window.ends_at, before, now) {
        return Ok(());
    }
    let opens = window.starts_at - chrono::Duration::minutes(before.0);
    Err(Error::rejected(if now < opens {
        format!("活动尚未开始签到：{} 起可签到", format_minute(opens))
    } else {
        format!("活动已结束（{}），不能再签到", format_minute(window.ends_at))
    }))
}

/// The open session of a volunteer at an activity, if any, and when it began.
fn open_session_at(conn: &Connection, activity_id: i64, volunteer_id: i64) -> Result<Option<(i64, NaiveDateTime)>> {
    let open: Option<(i64, String)> = conn
        .prepare_cached(
            "SELECT id, signed_in_at FROM credit_session
             WHERE activity_id = ?1 AND volunteer_id = ?2 AND signed_out_at IS NULL AND resolution_id IS NULL",
        )?
        .query_row(params![activity_id, volunteer_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    open.map(|(id, at)| Ok((id, parse_minute(&at)?))).transpose()
}

/// Signed in less than [`ASK_BEFORE_SIGN_OUT`] before `now`.
fn just_signed_in(signed_in_at: NaiveDateTime, now: NaiveDateTime) -> bool {
    now - signed_in_at < chrono::Duration::minutes(ASK_BEFORE_SIGN_OUT.0)
}

/// What the desk would do for a volunteer at `now`, writing nothing; refuses a sign-in outside
/// the window (a sign-out is always allowed, after a question within minutes of the sign-in).
pub fn desk_plan(conn: &Connection, activity_id: i64, volunteer_id: i64, now: NaiveDateTime) -> Result<DeskPlan> {
    if let Some((session_id, signed_in_at)) = open_session_at(conn, activity_id, volunteer_id)? {
        return Ok(if just_signed_in(signed_in_at, now) {
            DeskPlan::ConfirmSignOut { session_id, signed_in_at }
        } else {
            DeskPlan::SignOut
        });
    }
    refuse_outside_sign_in_window(conn, activity_id, now)?;
    Ok(match walk_in_needed(conn, activity_id, volunteer_id)? {
        Some(walk_in) => DeskPlan::WalkIn(walk_in),
        None => DeskPlan::SignIn,
    })
}

/// The sign-in desk's one action: sign in, or sign out when the volunteer is already in at
/// this activity. A sign-in is refused outside the window ([`desk_plan`]); someone without a
/// place is added as a walk-in only as `consent` allows. A sign-out within
/// [`ASK_BEFORE_SIGN_OUT`] of the sign-in is refused: it is asked first, then made by
/// [`sign_out`] of that session.
pub fn sign_in_or_out(
    conn: &Connection,
    activity_id: i64,
    volunteer_id: i64,
    now: NaiveDateTime,
    consent: WalkInConsent,
    actor: &Actor,
) -> Result<DeskAction> {
    if let Some((session_id, signed_in_at)) = open_session_at(conn, activity_id, volunteer_id)? {
        if just_signed_in(signed_in_at, now) {
            return Err(Error::rejected(format!(
                "该志愿者 {} 刚签到，{} 分钟内签退须先确认",
                signed_in_at.format("%H:%M"),
                ASK_BEFORE_SIGN_OUT.0
            )));
        }
        return sign_out(conn, session_id, now, now).map(DeskAction::SignedOut);
    }
    refuse_outside_sign_in_window(conn, activity_id, now)?;
    add_walk_in(conn, activity_id, volunteer_id, now, consent)?;
    record_session(
        conn,
        &NewSession {
            activity_id,
            volunteer_id,
            signed_in_at: now,
            signed_out_at: None,
            recorded_by: actor.name.clone(),
        },
        now,
    )?;
    Ok(DeskAction::SignedIn)
}

struct ActivityWindow {
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    /// The window as stored: a session row carries it, and its foreign key compares the text.
    starts_text: String,
    ends_text: String,
    cancelled: bool,
}

impl ActivityWindow {
    /// Credit for a session: its time within the activity's window, in whole minutes.
    fn clip(&self, signed_in_at: NaiveDateTime, signed_out_at: NaiveDateTime) -> Minutes {
        let from = signed_in_at.max(self.starts_at);
        let to = signed_out_at.min(self.ends_at);
        Minutes((to - from).num_minutes().max(0))
    }
}

fn activity_window(conn: &Connection, activity_id: i64) -> Result<ActivityWindow> {
    activity_windows(conn, std::iter::once(activity_id))?
        .remove(&activity_id)
        .ok_or_else(|| Error::rejected("活动不存在"))
}

/// The windows of the activities named, in one query; unknown ids are left out.
fn activity_windows(
    conn: &Connection,
    activity_ids: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, ActivityWindow>> {
    let ids: BTreeSet<i64> = activity_ids.collect();
    let mut stmt = conn.prepare_cached(
        "SELECT id, starts_at, ends_at, cancelled_at IS NOT NULL FROM activity
         WHERE id IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = stmt.query_map([json_array(ids.into_iter())], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, bool>(3)?))
    })?;
    let mut windows = HashMap::new();
    for row in rows {
        let (id, starts_text, ends_text, cancelled) = row?;
        let window = ActivityWindow {
            starts_at: parse_minute(&starts_text)?,
            ends_at: parse_minute(&ends_text)?,
            starts_text,
            ends_text,
            cancelled,
        };
        windows.insert(id, window);
    }
    Ok(windows)
}

/// `recorded_at` stamps: to the second, as SQLite's `datetime()` writes them.
fn format_second(time: NaiveDateTime) -> String {
    time.format("%Y-%m-%d %H:%M:%S").to_string()
}

fn parse_minute(text: &str) -> Result<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, crate::domain::MINUTE_FORMAT)
        .map_err(|_| Error::rejected(format!("时间“{text}”格式有误")))
}

/// Refuses a session that overlaps another of the same person. An open session reaches to
/// the end of time, unless it was resolved, when it ends with its activity.
fn refuse_overlap(
    conn: &Connection,
    volunteer_id: i64,
    from: NaiveDateTime,
    to: Option<NaiveDateTime>,
    except: Option<i64>,
) -> Result<()> {
    let other: Option<(String, bool)> = conn
        .prepare_cached(
            "SELECT signed_in_at, signed_out_at IS NULL FROM credit_session
             WHERE volunteer_id = ?1 AND id IS NOT ?4 AND signed_in_at < coalesce(?3, '9999')
               AND coalesce(signed_out_at, CASE WHEN resolution_id IS NOT NULL THEN activity_ends_at ELSE '9999' END) > ?2
             LIMIT 1",
        )?
        .query_row(params![volunteer_id, format_minute(from), to.map(format_minute), except], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    match other {
        Some((at, true)) => Err(Error::rejected(format!("该志愿者在 {at} 的签到尚未签退，请先签退"))),
        Some((at, false)) => Err(Error::rejected(format!("与该志愿者 {at} 的签到记录时间重叠"))),
        None => Ok(()),
    }
}

/// Service a person has on record for a day: closed sessions that began that day (with
/// their corrections) and honour grants dated that day.
pub fn day_total(conn: &Connection, volunteer_id: i64, day: NaiveDate) -> Result<Minutes> {
    let total: i64 = conn
        .prepare_cached(
            "SELECT (SELECT coalesce(sum(s.credit_minutes), 0) FROM credit_session_minutes s
                     WHERE s.volunteer_id = ?1 AND substr(s.signed_in_at, 1, 10) = ?2)
                  + (SELECT coalesce(sum(c.minutes), 0) FROM credit_correction c JOIN credit_session s ON s.id = c.session_id
                     WHERE s.volunteer_id = ?1 AND substr(s.signed_in_at, 1, 10) = ?2)
                  + (SELECT coalesce(sum(minutes), 0) FROM honor_grant WHERE volunteer_id = ?1 AND service_date = ?2)",
        )?
        .query_row(params![volunteer_id, format_date(day)], |r| r.get(0))?;
    Ok(Minutes(total))
}

/// More than this in one day is refused; more than [`LONG_DAY`] is allowed with a warning.
pub const MAX_DAY: Minutes = Minutes(24 * 60);
pub const LONG_DAY: Minutes = Minutes(8 * 60);

fn refuse_over_a_day(conn: &Connection, volunteer_id: i64, day: NaiveDate, adding: Minutes) -> Result<()> {
    let total = day_total(conn, volunteer_id, day)? + adding;
    if total > MAX_DAY {
        return Err(Error::rejected(format!("该志愿者 {day} 的服务时数将达 {total} 小时，超过一天24小时，不能登记")));
    }
    Ok(())
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

/// Grants honour hours, recorded at `now`. Tied to an activity, the grant may not exceed the
/// activity's duration less what that volunteer already earned there (credit and earlier
/// grants).
pub fn grant_honor(conn: &Connection, g: &NewHonorGrant, now: NaiveDateTime) -> Result<i64> {
    if g.minutes.0 <= 0 {
        return Err(Error::rejected("荣誉时数须大于0"));
    }
    if g.minutes > MAX_DAY {
        return Err(Error::rejected("单日荣誉时数不能超过24小时"));
    }
    refuse_over_a_day(conn, g.volunteer_id, g.service_date, g.minutes)?;
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
        "INSERT INTO honor_grant (volunteer_id, minutes, service_date, reason, activity_id, granted_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        g.volunteer_id,
        g.minutes.0,
        format_date(g.service_date),
        g.reason.trim(),
        g.activity_id,
        g.granted_by.trim(),
        format_second(now),
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
                    - (SELECT coalesce(sum(c.minutes), 0) FROM credit_correction c
                       JOIN credit_session s ON s.id = c.session_id
                       WHERE s.activity_id = a.id AND s.volunteer_id = ?2)
                    - (SELECT coalesce(sum(minutes), 0) FROM honor_grant
                       WHERE activity_id = a.id AND volunteer_id = ?2)
             FROM activity a WHERE a.id = ?1",
        )?
        .query_row(params![activity_id, volunteer_id], |row| row.get(0))
        .optional()?;
    room.map(|m| Minutes(m.max(0))).ok_or_else(|| Error::rejected("活动不存在"))
}

/// Corrects a closed session's credit by ± minutes: a new ledger entry, never an edit.
pub fn correct_session(
    conn: &Connection,
    session_id: i64,
    minutes: Minutes,
    reason: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<i64> {
    let by = actor.name.as_str();
    if minutes.0 == 0 {
        return Err(Error::rejected("更正时数不能为0"));
    }
    conn.prepare_cached(
        "INSERT INTO credit_correction (session_id, minutes, reason, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![session_id, minutes.0, reason.trim(), by.trim(), format_second(now)])?;
    Ok(conn.last_insert_rowid())
}

/// Resolves a session nobody signed out of: closes it for the rules and, when `minutes` is
/// not zero, grants them as a 补录 honour grant at the activity (capped as every such grant).
pub fn resolve_open_session(
    conn: &Connection,
    session_id: i64,
    minutes: Minutes,
    reason: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<Option<i64>> {
    let by = actor.name.as_str();
    if reason.trim().is_empty() {
        return Err(Error::rejected("处理未签退须注明事由"));
    }
    let (activity_id, volunteer_id, signed_in_at): (i64, i64, String) = conn
        .prepare_cached("SELECT activity_id, volunteer_id, signed_in_at FROM credit_session WHERE id = ?1")?
        .query_row([session_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?
        .ok_or_else(|| Error::rejected("签到记录不存在"))?;
    let grant_id = if minutes.0 > 0 {
        let service_date = parse_minute(&signed_in_at)?.date();
        let grant = NewHonorGrant {
            volunteer_id,
            minutes,
            service_date,
            reason: format!("补录（未签退）：{}", reason.trim()),
            activity_id: Some(activity_id),
            granted_by: by.to_string(),
        };
        Some(grant_honor(conn, &grant, now)?)
    } else {
        None
    };
    conn.prepare_cached(
        "INSERT INTO session_resolution (session_id, grant_id, note, resolved_by, resolved_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![session_id, grant_id, reason.trim(), by.trim(), format_second(now)])?;
    Ok(grant_id)
}

/// Corrects an honour grant by ± minutes (a new grant row naming the one it corrects).
pub fn correct_grant(
    conn: &Connection,
    grant_id: i64,
    minutes: Minutes,
    reason: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<i64> {
    let by = actor.name.as_str();
    if minutes.0 == 0 {
        return Err(Error::rejected("更正时数不能为0"));
    }
    let (volunteer_id, service_date, activity_id, net): (i64, String, Option<i64>, i64) = conn
        .prepare_cached(
            "SELECT g.volunteer_id, g.service_date, g.activity_id,
                    g.minutes + (SELECT coalesce(sum(minutes), 0) FROM honor_grant c WHERE c.corrects_id = g.id)
             FROM honor_grant g WHERE g.id = ?1 AND g.corrects_id IS NULL",
        )?
        .query_row([grant_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?
        .ok_or_else(|| Error::rejected("荣誉时数记录不存在"))?;
    if net + minutes.0 < 0 {
        return Err(Error::rejected("更正后荣誉时数不能为负"));
    }
    if minutes.0 > 0
        && let Some(activity_id) = activity_id
        && minutes > honor_room_at_activity(conn, activity_id, volunteer_id)?
    {
        return Err(Error::rejected("更正后超过该活动可补录的上限（活动时长减去已获时数）"));
    }
    conn.prepare_cached(
        "INSERT INTO honor_grant (volunteer_id, minutes, service_date, reason, activity_id, granted_by, corrects_id,
                                  recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        volunteer_id,
        minutes.0,
        service_date,
        reason.trim(),
        activity_id,
        by.trim(),
        grant_id,
        format_second(now)
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The window's API: what the screens ask, acting for the store's account.
impl Store {
    /// The sign-in desk's one action, in one transaction: sign in (a walk-in only as `consent`
    /// allows), or sign out when the volunteer is already in at this activity.
    pub fn sign_in_or_out(
        &mut self,
        activity_id: i64,
        volunteer_id: i64,
        now: NaiveDateTime,
        consent: WalkInConsent,
    ) -> Result<DeskAction> {
        let actor = self.actor.clone();
        self.transaction(|conn| sign_in_or_out(conn, activity_id, volunteer_id, now, consent, &actor))
    }

    /// Signs out one session at `now` (the desk's 签退 button): that session or nothing, so a
    /// list read a moment ago can never sign someone in again.
    pub fn sign_out_session(&mut self, session_id: i64, now: NaiveDateTime) -> Result<Minutes> {
        self.transaction(|conn| sign_out(conn, session_id, now, now))
    }

    /// What the desk would do for a volunteer at `now`, writing nothing.
    pub fn desk_plan(&self, activity_id: i64, volunteer_id: i64, now: NaiveDateTime) -> Result<DeskPlan> {
        desk_plan(&self.conn, activity_id, volunteer_id, now)
    }

    /// How long before an activity's start the desk opens sign-in.
    pub fn sign_in_opens_before(&self) -> Result<Minutes> {
        sign_in_opens_before(&self.conn)
    }

    /// Sets how long before the start the desk opens sign-in (an administrator's setting).
    pub fn set_sign_in_opens_before(&self, before: Minutes) -> Result<()> {
        set_sign_in_opens_before(&self.conn, before)
    }

    /// Service a person has on record for a day: closed sessions that began that day (with
    /// their corrections) and honour grants dated that day.
    pub fn day_total(&self, volunteer_id: i64, day: NaiveDate) -> Result<Minutes> {
        day_total(&self.conn, volunteer_id, day)
    }

    /// Resolves a session nobody signed out of: closes it for the rules and, when `minutes` is
    /// not zero, grants them as a 补录 honour grant at the activity (capped as every such grant).
    pub fn resolve_open_session(
        &self,
        session_id: i64,
        minutes: Minutes,
        reason: &str,
        now: NaiveDateTime,
    ) -> Result<Option<i64>> {
        resolve_open_session(&self.conn, session_id, minutes, reason, &self.actor, now)
    }

    /// Corrects a closed session's credit by ± minutes: a new ledger entry, never an edit.
    pub fn correct_session(&self, session_id: i64, minutes: Minutes, reason: &str, now: NaiveDateTime) -> Result<i64> {
        correct_session(&self.conn, session_id, minutes, reason, &self.actor, now)
    }

    /// Corrects an honour grant by ± minutes (a new grant row naming the one it corrects).
    pub fn correct_grant(&self, grant_id: i64, minutes: Minutes, reason: &str, now: NaiveDateTime) -> Result<i64> {
        correct_grant(&self.conn, grant_id, minutes, reason, &self.actor, now)
    }
}

impl Store {
    /// Grants the same honour hours to each volunteer, granted by the acting account, in one
    /// transaction: a refusal names the volunteer and nothing is granted.
    pub fn grant_honor_to_each(
        &mut self,
        volunteer_ids: &[i64],
        grant: &HonorGrantForm,
        now: NaiveDateTime,
    ) -> Result<()> {
        let granted_by = self.actor.name.clone();
        self.transaction(|conn| {
            for &volunteer_id in volunteer_ids {
                let one = NewHonorGrant {
                    volunteer_id,
                    minutes: grant.minutes,
                    service_date: grant.service_date,
                    reason: grant.reason.clone(),
                    activity_id: grant.activity_id,
                    granted_by: granted_by.clone(),
                };
                grant_honor(conn, &one, now).map_err(|e| {
                    let name = crate::store::volunteers::name_of(conn, volunteer_id).unwrap_or_default();
                    crate::Error::rejected(format!("{name}：{e}"))
                })?;
            }
            Ok(())
        })
    }
}

/// What the grant form says for every volunteer it lists.
#[derive(Clone, Debug, PartialEq)]
pub struct HonorGrantForm {
    pub minutes: Minutes,
    pub service_date: NaiveDate,
    pub reason: String,
    pub activity_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minute_text_writes_what_format_minute_writes() {
        let mut buf = String::new();
        for text in ["2017-07-01 08:05", "2026-12-31 23:59", "0999-01-09 00:00"] {
            let time = parse_minute(text).expect("time");
            assert_eq!(minute_text(time, &mut buf), format_minute(time));
            assert_eq!(minute_text(time, &mut buf), text);
        }
    }
}
