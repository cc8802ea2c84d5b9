//! The store side of the workbook importer (`io::import`): what the database already holds,
//! keyed as the workbook keys it (单位名称, 队伍编号, 志愿者编号, 身份证号 and 活动编号), a
//! volunteer's sessions and grants for the checks of hours, and the writes of the new rows,
//! which the importer runs inside one transaction through the store's own insert functions.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension as _};

use crate::domain::{MINUTE_FORMAT, Minutes, TeamKind};
use crate::error::{Error, Result};
use crate::store::activities::{NewActivity, add_service_category, insert_activity, service_categories};
use crate::store::attendance::{NewHonorGrant, NewSession, grant_honor, record_sessions};
use crate::store::sealing::{DataKey, Field, Place};
use crate::store::teams::{NewTeam, insert_team, team_id_by_code};
use crate::store::units::{NewUnit, insert_unit, unit_id_by_name};
use crate::store::volunteers::{NewVolunteer, insert_volunteer, next_volunteer_code};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingUnit {
    pub id: i64,
    pub party_members: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingTeam {
    pub id: i64,
    pub name: String,
    /// The stored label; `None` never happens with the schema's CHECK, but the importer does
    /// not rely on it.
    pub kind: Option<TeamKind>,
    pub parent_code: Option<String>,
    pub unit_name: String,
    pub manager_name: String,
    pub manager_phone: String,
    pub founded_on: Option<String>,
    pub service_fields: String,
    pub dissolved_on: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingVolunteer {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub gender: String,
    /// The keyed index of the 身份证号 (keys.rs): who they are, without the number.
    pub id_index: String,
    pub id_masked: String,
    /// Opened for the comparison with a stated phone only.
    pub phone: String,
    pub unit_name: String,
    pub team_code: Option<String>,
    pub political_status: String,
    pub skills: String,
    pub registered_on: String,
    /// In the recycle bin: the row still holds its 身份证号 and 编号.
    pub deleted: bool,
}

/// An activity as the database holds it; times as stored (`YYYY-MM-DD HH:MM`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingActivity {
    pub id: i64,
    pub name: String,
    pub team_code: String,
    pub category: String,
    pub mode: String,
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub content: String,
    pub leader: String,
    pub capacity: Option<i64>,
    pub recruit_from: Option<String>,
    pub recruit_until: Option<String>,
    pub cancelled_at: Option<String>,
}

impl ExistingActivity {
    /// Start and end; `None` never happens with the schema's CHECKs.
    pub fn window(&self) -> Option<(NaiveDateTime, NaiveDateTime)> {
        Some((parse_minute(&self.starts_at)?, parse_minute(&self.ends_at)?))
    }
}

fn parse_minute(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, MINUTE_FORMAT).ok()
}

/// A snapshot of the registry, loaded once so that checking 100,000 rows costs hash lookups,
/// not queries.
#[derive(Debug, Default)]
pub struct Existing {
    pub units: HashMap<String, ExistingUnit>,
    pub teams: HashMap<String, ExistingTeam>,
    pub activities: HashMap<String, ExistingActivity>,
    volunteers: Vec<ExistingVolunteer>,
    by_code: HashMap<String, usize>,
    by_id_index: HashMap<String, usize>,
    /// Makes the index of a number the workbook states.
    key: Option<DataKey>,
    /// The 志愿者编号 the store would give the next volunteer registered without one.
    pub next_volunteer_code: String,
}

impl Existing {
    /// A phone on record, opened here in Rust: the key is never lent to SQL to open a value
    /// (issue #26), so no statement, trigger or view of a file can read one in clear.
    fn open_phone(&self, sealed: &str, place: Place<'_>) -> Result<String> {
        self.key()?.open_at(Field::Phone, place, sealed)
    }

    /// The key the import reads with.
    pub(crate) fn key(&self) -> Result<&DataKey> {
        self.key.as_ref().ok_or_else(|| Error::rejected(crate::store::keys::NO_KEY))
    }

    /// What the database holds, read with the data key: an import finds people by their ID's
    /// keyed index and compares phones with the ones on record.
    pub fn load(conn: &Connection, key: DataKey) -> Result<Existing> {
        let mut existing =
            Existing { next_volunteer_code: next_volunteer_code(conn)?, key: Some(key), ..Existing::default() };

        let mut units = conn.prepare("SELECT id, name, party_members FROM unit")?;
        let rows = units.query_map([], |r| {
            Ok((r.get::<_, String>(1)?, ExistingUnit { id: r.get(0)?, party_members: r.get(2)? }))
        })?;
        for row in rows {
            let (name, unit) = row?;
            existing.units.insert(name, unit);
        }

        let mut teams = conn.prepare(
            "SELECT t.id, t.code, t.name, t.kind, p.code, u.name, t.manager_name,
                    t.manager_phone, t.manager_phone_sealed,
                    t.founded_on, t.service_fields, t.dissolved_on
             FROM team t JOIN unit u ON u.id = t.unit_id LEFT JOIN team p ON p.id = t.parent_id",
        )?;
        let rows = teams.query_map([], |r| {
            let kind: String = r.get(3)?;
            Ok((
                r.get::<_, String>(8)?,
                r.get::<_, String>(1)?,
                ExistingTeam {
                    id: r.get(0)?,
                    name: r.get(2)?,
                    kind: TeamKind::from_label(&kind),
                    parent_code: r.get(4)?,
                    unit_name: r.get(5)?,
                    manager_name: r.get(6)?,
                    manager_phone: r.get(7)?,
                    founded_on: r.get(9)?,
                    service_fields: r.get(10)?,
                    dissolved_on: r.get(11)?,
                },
            ))
        })?;
        for row in rows {
            let (sealed, code, mut team) = row?;
            if !sealed.is_empty() {
                team.manager_phone = existing.open_phone(&sealed, Place { table: "team", row: team.id })?;
            }
            existing.teams.insert(code, team);
        }

        let mut volunteers = conn.prepare(
            "SELECT v.code, v.name, v.gender, s.id_index, s.phone_sealed, u.name, t.code, v.political_status,
                    v.skills, v.registered_on, v.deleted_at IS NOT NULL, v.id, v.id_masked
             FROM volunteer v JOIN volunteer_sealed s ON s.volunteer_id = v.id JOIN unit u ON u.id = v.unit_id
                  LEFT JOIN team t ON t.id = v.team_id",
        )?;
        let rows = volunteers.query_map([], |r| {
            Ok(ExistingVolunteer {
                id: r.get(11)?,
                code: r.get(0)?,
                name: r.get(1)?,
                gender: r.get(2)?,
                id_index: r.get(3)?,
                id_masked: r.get(12)?,
                phone: r.get(4)?,
                unit_name: r.get(5)?,
                team_code: r.get(6)?,
                political_status: r.get(7)?,
                skills: r.get(8)?,
                registered_on: r.get(9)?,
                deleted: r.get(10)?,
            })
        })?;
        for row in rows {
            let mut volunteer = row?;
            let place = Place { table: "volunteer_sealed", row: volunteer.id };
            volunteer.phone = existing.open_phone(&volunteer.phone, place)?;
            let index = existing.volunteers.len();
            existing.by_code.insert(volunteer.code.clone(), index);
            existing.by_id_index.insert(volunteer.id_index.clone(), index);
            existing.volunteers.push(volunteer);
        }

        let mut activities = conn.prepare(
            "SELECT a.id, a.code, a.name, t.code, a.category, a.mode, a.starts_at, a.ends_at, a.place, a.content,
                    a.leader, a.capacity, a.recruit_from, a.recruit_until, a.cancelled_at
             FROM activity a JOIN team t ON t.id = a.team_id",
        )?;
        let rows = activities.query_map([], |r| {
            Ok((
                r.get::<_, String>(1)?,
                ExistingActivity {
                    id: r.get(0)?,
                    name: r.get(2)?,
                    team_code: r.get(3)?,
                    category: r.get(4)?,
                    mode: r.get(5)?,
                    starts_at: r.get(6)?,
                    ends_at: r.get(7)?,
                    place: r.get(8)?,
                    content: r.get(9)?,
                    leader: r.get(10)?,
                    capacity: r.get(11)?,
                    recruit_from: r.get(12)?,
                    recruit_until: r.get(13)?,
                    cancelled_at: r.get(14)?,
                },
            ))
        })?;
        for row in rows {
            let (code, activity) = row?;
            existing.activities.insert(code, activity);
        }
        Ok(existing)
    }

    pub fn volunteer_by_code(&self, code: &str) -> Option<&ExistingVolunteer> {
        self.by_code.get(code).and_then(|&i| self.volunteers.get(i))
    }

    pub fn volunteer_by_id_number(&self, id_number: &str) -> Option<&ExistingVolunteer> {
        self.by_id_index.get(&self.id_index(id_number)).and_then(|&i| self.volunteers.get(i))
    }

    /// The keyed index of a 身份证号, as the database would make it.
    pub fn id_index(&self, id_number: &str) -> String {
        self.key.as_ref().map(|key| key.index(Field::IdNumber, id_number)).unwrap_or_default()
    }

    /// The 总队 (there is at most one): its code and row.
    pub fn corps(&self) -> Option<(&str, &ExistingTeam)> {
        self.teams.iter().find(|(_, t)| t.kind == Some(TeamKind::Corps)).map(|(code, t)| (code.as_str(), t))
    }
}

/// Inserts new units; returns how many.
pub fn insert_units(conn: &Connection, units: &[NewUnit], tick: &dyn Fn()) -> Result<usize> {
    for unit in units {
        insert_unit(conn, unit)?;
        tick();
    }
    Ok(units.len())
}

/// A team as a workbook names it: its parent by 队伍编号 and its unit by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedTeam {
    pub code: String,
    pub name: String,
    pub kind: TeamKind,
    pub parent_code: Option<String>,
    pub unit_name: String,
    pub manager_name: String,
    pub manager_phone: String,
    pub founded_on: Option<NaiveDate>,
    pub service_fields: Vec<String>,
}

/// Inserts new teams, parents before children (总队, then 支队, then 专业服务队), resolving
/// codes and unit names against what is already written. Returns how many.
pub fn insert_teams(conn: &Connection, teams: &[ImportedTeam], tick: &dyn Fn()) -> Result<usize> {
    let mut ordered: Vec<&ImportedTeam> = teams.iter().collect();
    ordered.sort_by_key(|t| TeamKind::ALL.iter().position(|k| *k == t.kind));
    for team in ordered {
        let unit_id = unit_id_by_name(conn, &team.unit_name)?
            .ok_or_else(|| Error::rejected(format!("单位“{}”不存在", team.unit_name)))?;
        let parent_id = match &team.parent_code {
            Some(code) => {
                Some(team_id_by_code(conn, code)?.ok_or_else(|| Error::rejected(format!("上级队伍“{code}”不存在")))?)
            }
            None => None,
        };
        insert_team(
            conn,
            &NewTeam {
                code: team.code.clone(),
                name: team.name.clone(),
                kind: team.kind,
                parent_id,
                unit_id,
                manager_name: team.manager_name.clone(),
                manager_phone: team.manager_phone.clone(),
                founded_on: team.founded_on,
                service_fields: team.service_fields.clone(),
            },
        )?;
        tick();
    }
    Ok(teams.len())
}

/// A volunteer as a workbook names them: unit by name, team by 队伍编号. Boxed texts and a
/// static 政治面貌 since a roster may hold half a million of these until they are written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedVolunteer {
    pub code: Box<str>,
    pub name: Box<str>,
    pub id_number: Box<str>,
    pub phone: Box<str>,
    pub unit_name: Box<str>,
    pub team_code: Option<Box<str>>,
    pub political_status: &'static str,
    pub skills: Box<str>,
    pub registered_on: NaiveDate,
}

/// Inserts new volunteers through the store's own `insert_volunteer` (so its checks hold
/// here too), resolving unit and team once per distinct name. Returns how many.
pub fn insert_volunteers(
    conn: &Connection,
    volunteers: &[ImportedVolunteer],
    today: NaiveDate,
    tick: &dyn Fn(),
) -> Result<usize> {
    let mut unit_ids: HashMap<&str, i64> = HashMap::new();
    let mut team_ids: HashMap<&str, i64> = HashMap::new();
    for v in volunteers {
        let unit_id = match unit_ids.get(&*v.unit_name) {
            Some(&id) => id,
            None => {
                let id = unit_id_by_name(conn, &v.unit_name)?
                    .ok_or_else(|| Error::rejected(format!("单位“{}”不存在", v.unit_name)))?;
                unit_ids.insert(&*v.unit_name, id);
                id
            }
        };
        let team_id = match v.team_code.as_deref() {
            None => None,
            Some(code) => Some(match team_ids.get(code) {
                Some(&id) => id,
                None => {
                    let id =
                        team_id_by_code(conn, code)?.ok_or_else(|| Error::rejected(format!("服务队“{code}”不存在")))?;
                    team_ids.insert(code, id);
                    id
                }
            }),
        };
        insert_volunteer(
            conn,
            &NewVolunteer {
                code: v.code.to_string(),
                name: v.name.to_string(),
                id_number: v.id_number.to_string(),
                phone: v.phone.to_string(),
                unit_id,
                team_id,
                political_status: v.political_status.to_string(),
                skills: v.skills.to_string(),
                service_categories: String::new(),
                registered_on: v.registered_on,
            },
            today,
        )?;
        tick();
    }
    Ok(volunteers.len())
}

/// An activity as a workbook names it: its organising team by 队伍编号.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedActivity {
    pub team_code: String,
    /// `team_id` is filled in when writing.
    pub activity: NewActivity,
}

/// Inserts new activities through the store's `insert_activity` (its refusals hold here too),
/// adding a service category the managed list lacks. Returns how many.
pub fn insert_activities(conn: &Connection, activities: &[ImportedActivity], tick: &dyn Fn()) -> Result<usize> {
    let mut categories = service_categories(conn)?;
    for imported in activities {
        let team_id = team_id_by_code(conn, &imported.team_code)?
            .ok_or_else(|| Error::rejected(format!("组织队伍“{}”不存在", imported.team_code)))?;
        let category = imported.activity.category.trim();
        if !categories.iter().any(|c| c == category) {
            add_service_category(conn, category)?;
            categories.push(category.to_string());
        }
        let activity = NewActivity { team_id, ..imported.activity.clone() };
        insert_activity(conn, &activity)
            .map_err(|e| Error::rejected(format!("活动“{}”未能写入：{e}", activity.code)))?;
        tick();
    }
    Ok(activities.len())
}

/// One of a volunteer's sessions in the database, for the overlap checks of an import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingSession {
    pub activity_code: String,
    pub signed_in_at: NaiveDateTime,
    pub signed_out_at: Option<NaiveDateTime>,
    /// Where the session ends for the overlap rule: its sign-out; for an open session that
    /// was resolved, the activity's end; for one still open, never (`None`).
    pub blocks_until: Option<NaiveDateTime>,
}

/// Every session of a volunteer, in sign-in order.
pub fn volunteer_sessions(conn: &Connection, volunteer_id: i64) -> Result<Vec<ExistingSession>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.code, c.signed_in_at, c.signed_out_at,
                coalesce(c.signed_out_at,
                         CASE WHEN EXISTS (SELECT 1 FROM session_resolution r WHERE r.session_id = c.id)
                              THEN a.ends_at END)
         FROM credit_session c JOIN activity a ON a.id = c.activity_id
         WHERE c.volunteer_id = ?1 ORDER BY c.signed_in_at",
    )?;
    let rows = stmt.query_map([volunteer_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    let mut sessions = Vec::new();
    for row in rows {
        let (activity_code, signed_in_at, signed_out_at, blocks_until) = row?;
        let bad_time = || Error::rejected(format!("数据库中的签到时间“{signed_in_at}”格式有误"));
        sessions.push(ExistingSession {
            activity_code,
            signed_in_at: parse_minute(&signed_in_at).ok_or_else(bad_time)?,
            signed_out_at: signed_out_at.as_deref().and_then(parse_minute),
            blocks_until: blocks_until.as_deref().and_then(parse_minute),
        });
    }
    Ok(sessions)
}

/// One of a volunteer's honour grants in the database (corrections left out), for the
/// idempotence of an import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingGrant {
    pub service_date: String,
    pub minutes: Minutes,
    pub reason: String,
    pub activity_code: Option<String>,
    pub granted_by: String,
}

pub fn volunteer_grants(conn: &Connection, volunteer_id: i64) -> Result<Vec<ExistingGrant>> {
    let mut stmt = conn.prepare_cached(
        "SELECT g.service_date, g.minutes, g.reason, a.code, g.granted_by
         FROM honor_grant g LEFT JOIN activity a ON a.id = g.activity_id
         WHERE g.volunteer_id = ?1 AND g.corrects_id IS NULL ORDER BY g.id",
    )?;
    let rows = stmt.query_map([volunteer_id], |r| {
        Ok(ExistingGrant {
            service_date: r.get(0)?,
            minutes: Minutes(r.get(1)?),
            reason: r.get(2)?,
            activity_code: r.get(3)?,
            granted_by: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A session as a workbook names it: the activity by 活动编号, the volunteer by the keyed
/// index of their 身份证号 (a 志愿者编号 in the file is resolved to it while checking).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedSession {
    pub activity_code: String,
    pub id_index: String,
    pub signed_in_at: NaiveDateTime,
    pub signed_out_at: Option<NaiveDateTime>,
}

/// Who imported sessions are recorded by in the ledger.
pub const IMPORT_RECORDER: &str = "工作簿导入";

/// Records new sessions through the store's `record_sessions`, which checks the whole batch
/// against each other and the database with a few queries a batch. Returns how many.
pub fn insert_sessions(
    conn: &Connection,
    sessions: &[ImportedSession],
    now: NaiveDateTime,
    tick: &dyn Fn(),
) -> Result<usize> {
    let mut ids = Ids::default();
    let mut batch = Vec::with_capacity(sessions.len());
    for s in sessions {
        batch.push(NewSession {
            activity_id: ids.activity(conn, &s.activity_code)?,
            volunteer_id: ids.volunteer(conn, &s.id_index)?,
            signed_in_at: s.signed_in_at,
            signed_out_at: s.signed_out_at,
            recorded_by: IMPORT_RECORDER.to_string(),
        });
    }
    record_sessions(conn, &batch, now).map_err(|e| Error::rejected(format!("签到记录未能写入：{e}")))?;
    sessions.iter().for_each(|_| tick());
    Ok(sessions.len())
}

/// An honour grant as a workbook names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedGrant {
    /// The keyed index of the volunteer's 身份证号.
    pub id_index: String,
    pub minutes: Minutes,
    pub service_date: NaiveDate,
    pub reason: String,
    pub activity_code: Option<String>,
    pub granted_by: String,
}

/// Grants new honour hours through the store's `grant_honor` (its cap and daily limit hold
/// here too), in the file's order. Returns how many.
pub fn insert_grants(
    conn: &Connection,
    grants: &[ImportedGrant],
    now: NaiveDateTime,
    tick: &dyn Fn(),
) -> Result<usize> {
    let mut ids = Ids::default();
    for g in grants {
        let activity_id = match &g.activity_code {
            Some(code) => Some(ids.activity(conn, code)?),
            None => None,
        };
        let grant = NewHonorGrant {
            volunteer_id: ids.volunteer(conn, &g.id_index)?,
            minutes: g.minutes,
            service_date: g.service_date,
            reason: g.reason.clone(),
            activity_id,
            granted_by: g.granted_by.clone(),
        };
        grant_honor(conn, &grant, now).map_err(|e| {
            Error::rejected(format!("{} 的荣誉时数未能写入：{e}", crate::domain::format_date(g.service_date)))
        })?;
        tick();
    }
    Ok(grants.len())
}

/// Row ids by workbook key, looked up once each while writing (the rows may have been written
/// a moment ago by an earlier sheet).
#[derive(Default)]
struct Ids {
    activities: HashMap<String, i64>,
    volunteers: HashMap<String, i64>,
}

impl Ids {
    fn activity(&mut self, conn: &Connection, code: &str) -> Result<i64> {
        if let Some(&id) = self.activities.get(code) {
            return Ok(id);
        }
        let id: i64 = conn
            .prepare_cached("SELECT id FROM activity WHERE code = ?1")?
            .query_row([code], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::rejected(format!("活动“{code}”不存在")))?;
        self.activities.insert(code.to_string(), id);
        Ok(id)
    }

    fn volunteer(&mut self, conn: &Connection, id_index: &str) -> Result<i64> {
        if let Some(&id) = self.volunteers.get(id_index) {
            return Ok(id);
        }
        let id: i64 = conn
            .prepare_cached("SELECT volunteer_id FROM volunteer_sealed WHERE id_index = ?1")?
            .query_row([id_index], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::rejected("志愿者不存在"))?;
        self.volunteers.insert(id_index.to_string(), id);
        Ok(id)
    }
}
