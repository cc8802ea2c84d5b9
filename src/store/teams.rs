//! 队伍: the 总队 → 支队 → 专业服务队 tree. The kind/parent rules live in the schema's
//! triggers, so every path (window, import, command line) meets them.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension as _, params};

use crate::domain::{TeamKind, format_date};
use crate::error::{Error, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTeam {
    pub code: String,
    pub name: String,
    pub kind: TeamKind,
    pub parent_id: Option<i64>,
    pub unit_id: i64,
    pub manager_name: String,
    pub manager_phone: String,
    pub founded_on: Option<NaiveDate>,
    pub service_fields: Vec<String>,
}

pub fn insert_team(conn: &Connection, team: &NewTeam) -> Result<i64> {
    let code = team.code.trim();
    if team_id_by_code(conn, code)?.is_some() {
        return Err(Error::rejected(format!("队伍编号“{code}”已存在")));
    }
    conn.prepare_cached(
        "INSERT INTO team (code, name, kind, parent_id, unit_id, manager_name, manager_phone,
                           founded_on, service_fields)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        code,
        team.name.trim(),
        team.kind.label(),
        team.parent_id,
        team.unit_id,
        team.manager_name.trim(),
        team.manager_phone.trim(),
        team.founded_on.map(format_date),
        team.service_fields.join("、"),
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn team_id_by_code(conn: &Connection, code: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM team WHERE code = ?1")?
        .query_row([code.trim()], |row| row.get(0))
        .optional()?)
}
