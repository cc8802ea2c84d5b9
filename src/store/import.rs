//! The store side of the workbook importer (`io::import`): what the database already holds,
//! keyed as the workbook keys it (单位名称, 队伍编号, 志愿者编号 and 身份证号), and the writes
//! of the new rows, which the importer runs inside one transaction.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::domain::TeamKind;
use crate::error::{Error, Result};
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
    pub code: String,
    pub name: String,
    pub gender: String,
    pub id_number: String,
    pub phone: String,
    pub unit_name: String,
    pub team_code: Option<String>,
    pub political_status: String,
    pub skills: String,
    pub registered_on: String,
    /// In the recycle bin: the row still holds its 身份证号 and 编号.
    pub deleted: bool,
}

/// A snapshot of the registry, loaded once so that checking 100,000 rows costs hash lookups,
/// not queries.
#[derive(Debug, Default)]
pub struct Existing {
    pub units: HashMap<String, ExistingUnit>,
    pub teams: HashMap<String, ExistingTeam>,
    volunteers: Vec<ExistingVolunteer>,
    by_code: HashMap<String, usize>,
    by_id_number: HashMap<String, usize>,
    /// The 志愿者编号 the store would give the next volunteer registered without one.
    pub next_volunteer_code: String,
}

impl Existing {
    pub fn load(conn: &Connection) -> Result<Existing> {
        let mut existing = Existing { next_volunteer_code: next_volunteer_code(conn)?, ..Existing::default() };

        let mut units = conn.prepare("SELECT id, name, party_members FROM unit")?;
        let rows = units.query_map([], |r| {
            Ok((r.get::<_, String>(1)?, ExistingUnit { id: r.get(0)?, party_members: r.get(2)? }))
        })?;
        for row in rows {
            let (name, unit) = row?;
            existing.units.insert(name, unit);
        }

        let mut teams = conn.prepare(
            "SELECT t.id, t.code, t.name, t.kind, p.code, u.name, t.manager_name, t.manager_phone, t.founded_on,
                    t.service_fields, t.dissolved_on
             FROM team t JOIN unit u ON u.id = t.unit_id LEFT JOIN team p ON p.id = t.parent_id",
        )?;
        let rows = teams.query_map([], |r| {
            let kind: String = r.get(3)?;
            Ok((
                r.get::<_, String>(1)?,
                ExistingTeam {
                    id: r.get(0)?,
                    name: r.get(2)?,
                    kind: TeamKind::from_label(&kind),
                    parent_code: r.get(4)?,
                    unit_name: r.get(5)?,
                    manager_name: r.get(6)?,
                    manager_phone: r.get(7)?,
                    founded_on: r.get(8)?,
                    service_fields: r.get(9)?,
                    dissolved_on: r.get(10)?,
                },
            ))
        })?;
        for row in rows {
            let (code, team) = row?;
            existing.teams.insert(code, team);
        }

        let mut volunteers = conn.prepare(
            "SELECT v.code, v.name, v.gender, v.id_number, v.phone, u.name, t.code, v.political_status, v.skills,
                    v.registered_on, v.deleted_at IS NOT NULL
             FROM volunteer v JOIN unit u ON u.id = v.unit_id LEFT JOIN team t ON t.id = v.team_id",
        )?;
        let rows = volunteers.query_map([], |r| {
            Ok(ExistingVolunteer {
                code: r.get(0)?,
                name: r.get(1)?,
                gender: r.get(2)?,
                id_number: r.get(3)?,
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
            let volunteer = row?;
            let index = existing.volunteers.len();
            existing.by_code.insert(volunteer.code.clone(), index);
            existing.by_id_number.insert(volunteer.id_number.clone(), index);
            existing.volunteers.push(volunteer);
        }
        Ok(existing)
    }

    pub fn volunteer_by_code(&self, code: &str) -> Option<&ExistingVolunteer> {
        self.by_code.get(code).and_then(|&i| self.volunteers.get(i))
    }

    pub fn volunteer_by_id_number(&self, id_number: &str) -> Option<&ExistingVolunteer> {
        self.by_id_number.get(id_number).and_then(|&i| self.volunteers.get(i))
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

/// A volunteer as a workbook names them: unit by name, team by 队伍编号.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedVolunteer {
    pub code: String,
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub unit_name: String,
    pub team_code: Option<String>,
    pub political_status: String,
    pub skills: String,
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
        let unit_id = match unit_ids.get(v.unit_name.as_str()) {
            Some(&id) => id,
            None => {
                let id = unit_id_by_name(conn, &v.unit_name)?
                    .ok_or_else(|| Error::rejected(format!("单位“{}”不存在", v.unit_name)))?;
                unit_ids.insert(&v.unit_name, id);
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
                code: v.code.clone(),
                name: v.name.clone(),
                id_number: v.id_number.clone(),
                phone: v.phone.clone(),
                unit_id,
                team_id,
                political_status: v.political_status.clone(),
                skills: v.skills.clone(),
                service_categories: String::new(),
                registered_on: v.registered_on,
            },
            today,
        )?;
        tick();
    }
    Ok(volunteers.len())
}
