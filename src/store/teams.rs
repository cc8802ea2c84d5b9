//! 队伍: the 总队 → 支队 → 专业服务队 tree. The kind/parent rules live in the schema's
//! triggers, so every path (window, import, command line) meets them.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension as _, params};

use crate::domain::{TeamKind, format_date};
use crate::error::{Error, Result};
use crate::store::Store;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTeam {
    pub code: String,
    pub name: String,
    pub kind: TeamKind,
    pub parent_id: Option<i64>,
    pub unit_id: i64,
    pub manager_name: String,
    /// Sealed as it is written (keys.rs); on an edit, empty keeps the number on record.
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
        // The new row's id is chosen here, as SQLite would, so the phone is sealed bound to it.
        "INSERT INTO team (id, code, name, kind, parent_id, unit_id, manager_name, manager_phone, manager_phone_sealed,
                           founded_on, service_fields)
         SELECT n, ?1, ?2, ?3, ?4, ?5, ?6, mask_phone(?7), CASE WHEN ?7 = '' THEN '' ELSE seal_phone(?7, 'team', n) END,
                ?8, ?9
         FROM (SELECT coalesce(max(id), 0) + 1 AS n FROM team)",
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

/// A team as the tree and the detail pane show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: TeamKind,
    pub parent_id: Option<i64>,
    pub unit_id: i64,
    pub unit_name: String,
    pub manager_name: String,
    /// `138****5678`.
    pub manager_phone_masked: String,
    pub founded_on: Option<String>,
    pub service_fields: String,
    pub dissolved_on: Option<String>,
    /// Current members who are not in the recycle bin.
    pub members: i64,
    /// `members` of the team and of every team below it: what the volunteer list shows when
    /// the team is chosen (a 支队 with its 专业服务队).
    pub subtree_members: i64,
}

/// Every team, dissolved ones included, in tree order by code.
pub fn list_teams(conn: &Connection) -> Result<Vec<TeamRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.code, t.name, t.kind, t.parent_id, t.unit_id, u.name, t.manager_name, t.manager_phone,
                t.founded_on, t.service_fields, t.dissolved_on,
                (SELECT count(*) FROM volunteer v WHERE v.team_id = t.id AND v.deleted_at IS NULL)
         FROM team t JOIN unit u ON u.id = t.unit_id
         ORDER BY t.code",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(TeamRow {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            kind: r.get(3)?,
            parent_id: r.get(4)?,
            unit_id: r.get(5)?,
            unit_name: r.get(6)?,
            manager_name: r.get(7)?,
            manager_phone_masked: r.get(8)?,
            founded_on: r.get(9)?,
            service_fields: r.get(10)?,
            dissolved_on: r.get(11)?,
            members: r.get(12)?,
            subtree_members: 0,
        })
    })?;
    let mut teams = rows.collect::<Result<Vec<_>, _>>()?;
    count_subtrees(&mut teams);
    Ok(teams)
}

/// Adds each team's members to itself and to every team above it.
fn count_subtrees(teams: &mut [TeamRow]) {
    let index: HashMap<i64, usize> = teams.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
    for i in 0..teams.len() {
        let members = teams[i].members;
        let mut at = Some(i);
        // The schema keeps the tree acyclic; the step limit only guards against a damaged file.
        for _ in 0..=teams.len() {
            let Some(j) = at else { break };
            teams[j].subtree_members += members;
            at = teams[j].parent_id.and_then(|p| index.get(&p).copied());
        }
    }
}

/// Changes a team's details; its code and kind stay (the tree's shape is `move_team`'s job).
pub fn update_team(conn: &Connection, id: i64, team: &NewTeam) -> Result<()> {
    let changed = conn
        .prepare_cached(
            "UPDATE team SET name = ?2, unit_id = ?3, manager_name = ?4,
                             manager_phone = CASE WHEN ?5 = '' THEN manager_phone ELSE mask_phone(?5) END,
                             manager_phone_sealed = CASE WHEN ?5 = '' THEN manager_phone_sealed ELSE seal_phone(?5, 'team', id) END,
                             founded_on = ?6, service_fields = ?7
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            team.name.trim(),
            team.unit_id,
            team.manager_name.trim(),
            team.manager_phone.trim(),
            team.founded_on.map(format_date),
            team.service_fields.join("、"),
        ])?;
    if changed == 0 {
        return Err(Error::rejected("队伍不存在"));
    }
    Ok(())
}

/// Puts a team under another parent; the schema's triggers refuse a wrong kind of parent.
pub fn move_team(conn: &Connection, id: i64, parent_id: i64) -> Result<()> {
    if dissolved_on(conn, parent_id)?.is_some() {
        return Err(Error::rejected("不能移到已撤销的队伍下"));
    }
    conn.prepare_cached("UPDATE team SET parent_id = ?2 WHERE id = ?1")?.execute(params![id, parent_id])?;
    Ok(())
}

/// Dissolves a team on `on`: it keeps its history (activities, hours, past members), its
/// current members move up to its parent team, and it takes no new members or activities.
/// Returns how many volunteers moved.
pub fn dissolve_team(conn: &Connection, id: i64, on: NaiveDate) -> Result<usize> {
    let (kind, parent_id, dissolved): (String, Option<i64>, Option<String>) = conn
        .prepare_cached("SELECT kind, parent_id, dissolved_on FROM team WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?
        .ok_or_else(|| Error::rejected("队伍不存在"))?;
    if dissolved.is_some() {
        return Err(Error::rejected("该队伍已撤销"));
    }
    let Some(parent_id) = parent_id else {
        return Err(Error::rejected(format!("{kind}不能撤销")));
    };
    let live_children: i64 = conn
        .prepare_cached("SELECT count(*) FROM team WHERE parent_id = ?1 AND dissolved_on IS NULL")?
        .query_row([id], |r| r.get(0))?;
    if live_children > 0 {
        return Err(Error::rejected(format!("该队伍下还有 {live_children} 支未撤销的专业服务队，请先撤销或移走")));
    }
    let moved =
        conn.prepare_cached("UPDATE volunteer SET team_id = ?2 WHERE team_id = ?1")?.execute(params![id, parent_id])?;
    conn.prepare_cached("UPDATE team SET dissolved_on = ?2 WHERE id = ?1")?.execute(params![id, format_date(on)])?;
    Ok(moved)
}

fn dissolved_on(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT dissolved_on FROM team WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .flatten())
}

/// The window's API: what the screens ask, acting for the store's account.
impl Store {
    /// Dissolves a team on `on`: it keeps its history (activities, hours, past members), its
    /// current members move up to its parent team, and it takes no new members or activities.
    /// Returns how many volunteers moved.
    pub fn dissolve_team(&self, id: i64, on: NaiveDate) -> Result<usize> {
        dissolve_team(&self.conn, id, on)
    }

    /// Every team, dissolved ones included, in tree order by code.
    pub fn teams(&self) -> Result<Vec<TeamRow>> {
        list_teams(&self.conn)
    }
}

impl Store {
    /// Saves the team form in one transaction: a change to `id` (moved under `parent_id` when
    /// given), or a new team.
    pub fn save_team(&mut self, id: Option<i64>, parent_id: Option<i64>, team: &NewTeam) -> Result<()> {
        self.transaction(|conn| match id {
            Some(id) => {
                update_team(conn, id, team)?;
                match parent_id {
                    Some(parent) => move_team(conn, id, parent),
                    None => Ok(()),
                }
            }
            None => insert_team(conn, team).map(|_| ()),
        })
    }
}
