//! 评委: the initial round's judges and the final round's experts, each of a registered unit
//! (whose works they do not judge) or of another body (市文联, a university) kept as text, and
//! with an account made when their login slip is printed.

use rusqlite::{Connection, OptionalExtension as _, params};

use super::{atomically, require_overseer};
use crate::domain::access::{Action, Role, require};
use crate::error::{Error, Result};
use crate::store::Actor;
use crate::store::Store;
use crate::store::accounts::{
    NewAccount, create_demo_account, create_with_initial_password, initial_password, reset_password,
};

/// Which round a judge serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JudgeRole {
    /// 初评评委: votes in the initial round and its run-offs.
    Initial,
    /// 终审专家: scores the shortlist in the final round.
    Final,
}

impl JudgeRole {
    pub const ALL: [JudgeRole; 2] = [JudgeRole::Initial, JudgeRole::Final];

    pub fn label(self) -> &'static str {
        match self {
            JudgeRole::Initial => "初评评委",
            JudgeRole::Final => "终审专家",
        }
    }

    pub fn from_label(label: &str) -> Option<JudgeRole> {
        Self::ALL.into_iter().find(|r| r.label() == label.trim())
    }

    /// The account role a judge logs in with.
    pub fn account_role(self) -> Role {
        match self {
            JudgeRole::Initial => Role::Judge,
            JudgeRole::Final => Role::Expert,
        }
    }

    /// The prefix of the generated login: `pw001` (评委), `zj001` (专家).
    fn login_prefix(self) -> &'static str {
        match self {
            JudgeRole::Initial => "pw",
            JudgeRole::Final => "zj",
        }
    }
}

/// Where a judge works: a registered unit, whose works they are recused from, or another
/// body named as text, from which nobody's works are withheld.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JudgeOrganisation {
    Unit(i64),
    Other(String),
}

impl JudgeOrganisation {
    fn unit_id(&self) -> Option<i64> {
        match self {
            JudgeOrganisation::Unit(id) => Some(*id),
            JudgeOrganisation::Other(_) => None,
        }
    }

    fn text(&self) -> &str {
        match self {
            JudgeOrganisation::Unit(_) => "",
            JudgeOrganisation::Other(name) => name.trim(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewJudge {
    pub name: String,
    pub organisation: JudgeOrganisation,
    /// 职务, e.g. 机关党委专职副书记.
    pub title: String,
    pub role: JudgeRole,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JudgeRow {
    pub id: i64,
    pub name: String,
    /// `None` for a judge from a body that is not a registered unit.
    pub unit_id: Option<i64>,
    /// The unit's name, or the body's as the judge's own text.
    pub unit_name: String,
    pub title: String,
    pub role: JudgeRole,
    /// The login, once a slip has been printed.
    pub login: Option<String>,
}

/// The judge a logged-in account is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JudgeIdentity {
    pub id: i64,
    pub name: String,
    /// The unit whose works the judge does not see; `None` for a body that is not a unit.
    pub unit_id: Option<i64>,
    pub role: JudgeRole,
}

/// A login slip to print and hand over: the password is shown once and must be changed at
/// the first login.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginSlip {
    pub judge_id: i64,
    pub name: String,
    pub unit_name: String,
    pub role: JudgeRole,
    pub login: String,
    pub password: String,
}

pub fn add_judge(conn: &Connection, actor: &Actor, judge: &NewJudge) -> Result<i64> {
    require(actor.role, Action::RunContestRounds)?;
    insert_judge(conn, judge)
}

/// [`add_judge`] for the importer (the authorizer holds its connection to the role).
pub(crate) fn insert_judge(conn: &Connection, judge: &NewJudge) -> Result<i64> {
    let name = judge.name.trim();
    if name.is_empty() {
        return Err(Error::rejected("评委姓名不能为空"));
    }
    if judge_id_by_name(conn, judge.role, name)?.is_some() {
        return Err(Error::rejected(format!("{}“{name}”已登记", judge.role.label())));
    }
    check_organisation(conn, &judge.organisation)?;
    conn.prepare_cached(
        "INSERT INTO contest_judge (name, unit_id, organisation, title, role, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'))",
    )?
    .execute(params![
        name,
        judge.organisation.unit_id(),
        judge.organisation.text(),
        judge.title.trim(),
        judge.role.label()
    ])?;
    Ok(conn.last_insert_rowid())
}

fn check_organisation(conn: &Connection, organisation: &JudgeOrganisation) -> Result<()> {
    match organisation {
        JudgeOrganisation::Unit(id) if super::unit_name(conn, *id)?.is_none() => Err(Error::rejected("评委单位不存在")),
        JudgeOrganisation::Other(name) if name.trim().is_empty() => Err(Error::rejected("评委须注明单位")),
        _ => Ok(()),
    }
}

/// Corrects a judge before they first serve in a round (the schema refuses after).
pub fn update_judge(conn: &Connection, actor: &Actor, id: i64, judge: &NewJudge) -> Result<()> {
    require(actor.role, Action::RunContestRounds)?;
    if let Some(other) = judge_id_by_name(conn, judge.role, judge.name.trim())?
        && other != id
    {
        return Err(Error::rejected(format!("{}“{}”已登记", judge.role.label(), judge.name.trim())));
    }
    check_organisation(conn, &judge.organisation)?;
    let changed = conn
        .prepare_cached(
            "UPDATE contest_judge SET name = ?2, unit_id = ?3, organisation = ?4, title = ?5, role = ?6 WHERE id = ?1",
        )?
        .execute(params![
            id,
            judge.name.trim(),
            judge.organisation.unit_id(),
            judge.organisation.text(),
            judge.title.trim(),
            judge.role.label()
        ])?;
    if changed == 0 {
        return Err(Error::rejected("评委不存在"));
    }
    Ok(())
}

pub fn judge_id_by_name(conn: &Connection, role: JudgeRole, name: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM contest_judge WHERE role = ?1 AND name = ?2")?
        .query_row(params![role.label(), name.trim()], |r| r.get(0))
        .optional()?)
}

/// Every judge and expert, judges first, each by name.
pub fn list_judges(conn: &Connection, actor: &Actor) -> Result<Vec<JudgeRow>> {
    require_overseer(actor, "查看评委名单")?;
    let mut stmt = conn.prepare_cached(
        "SELECT j.id, j.name, j.unit_id, coalesce(u.name, j.organisation), j.title, j.role, a.login
         FROM contest_judge j LEFT JOIN unit u ON u.id = j.unit_id LEFT JOIN account a ON a.id = j.account_id
         ORDER BY j.role DESC, j.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(JudgeRow {
            id: r.get(0)?,
            name: r.get(1)?,
            unit_id: r.get(2)?,
            unit_name: r.get(3)?,
            title: r.get(4)?,
            role: r.get(5)?,
            login: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Prints login slips: a judge without an account gets one (login `pw…`/`zj…`, a one-time
/// password); a judge with one gets a fresh one-time password, which voids the old slip.
pub fn issue_login_slips(conn: &Connection, actor: &Actor, judge_ids: &[i64]) -> Result<Vec<LoginSlip>> {
    require(actor.role, Action::RunContestRounds)?;
    atomically(conn, || judge_ids.iter().map(|&id| issue_slip(conn, actor, id)).collect())
}

fn issue_slip(conn: &Connection, actor: &Actor, judge_id: i64) -> Result<LoginSlip> {
    let (name, unit_id, unit_name, role, account): (String, Option<i64>, String, JudgeRole, Option<i64>) = conn
        .prepare_cached(
            "SELECT j.name, j.unit_id, coalesce(u.name, j.organisation), j.role, j.account_id
             FROM contest_judge j LEFT JOIN unit u ON u.id = j.unit_id WHERE j.id = ?1",
        )?
        .query_row([judge_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .optional()?
        .ok_or_else(|| Error::rejected("评委不存在"))?;
    let (login, password) = match account {
        Some(account_id) => {
            let login: String = conn
                .prepare_cached("SELECT login FROM account WHERE id = ?1")?
                .query_row([account_id], |r| r.get(0))?;
            (login, reset_password(conn, actor, account_id)?)
        }
        None => {
            let login = format!("{}{judge_id:03}", role.login_prefix());
            let password = initial_password();
            let account_id = create_with_initial_password(
                conn,
                &NewAccount {
                    login: login.clone(),
                    display_name: name.clone(),
                    role: role.account_role(),
                    unit_id,
                    password: password.clone(),
                },
            )?;
            conn.prepare_cached("UPDATE contest_judge SET account_id = ?2 WHERE id = ?1")?
                .execute(params![judge_id, account_id])?;
            (login, password)
        }
    };
    Ok(LoginSlip { judge_id, name, unit_name, role, login, password })
}

/// Gives a demo judge an account whose password is published with the demo (hashed once
/// for all of them). Returns the account's id.
pub(crate) fn demo_account(conn: &Connection, judge_id: i64, password_hash: &str) -> Result<i64> {
    let (name, unit_id, role): (String, Option<i64>, JudgeRole) = conn
        .prepare_cached("SELECT name, unit_id, role FROM contest_judge WHERE id = ?1")?
        .query_row([judge_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let account = NewAccount {
        login: format!("{}{judge_id:03}", role.login_prefix()),
        display_name: name,
        role: role.account_role(),
        unit_id,
        password: String::new(),
    };
    let account_id = create_demo_account(conn, &account, password_hash)?;
    conn.prepare_cached("UPDATE contest_judge SET account_id = ?2 WHERE id = ?1")?
        .execute(params![judge_id, account_id])?;
    Ok(account_id)
}

/// The judge (or expert) the acting account is; refuses an account that is not one.
pub fn judge_of(conn: &Connection, actor: &Actor, role: JudgeRole) -> Result<JudgeIdentity> {
    let found = match actor.account_id {
        Some(account_id) => conn
            .prepare_cached("SELECT id, name, unit_id, role FROM contest_judge WHERE account_id = ?1")?
            .query_row([account_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, String>(3)?)))
            .optional()?,
        None => None,
    };
    match found {
        Some((id, name, unit_id, label)) if JudgeRole::from_label(&label) == Some(role) => {
            Ok(JudgeIdentity { id, name, unit_id, role })
        }
        _ => Err(Error::rejected(format!("当前账号不是登记的{}", role.label()))),
    }
}

/// A judge as stored: (id, unit or body name, 职务), for the importer.
pub fn judge_by_name(conn: &Connection, role: JudgeRole, name: &str) -> Result<Option<(i64, String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT j.id, coalesce(u.name, j.organisation), j.title FROM contest_judge j
             LEFT JOIN unit u ON u.id = j.unit_id WHERE j.role = ?1 AND j.name = ?2",
        )?
        .query_row(params![role.label(), name.trim()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

/// The window's API: what the screens ask, acting for the store's account.
impl Store {
    pub fn add_judge(&self, judge: &NewJudge) -> Result<i64> {
        add_judge(&self.conn, &self.actor, judge)
    }

    /// Prints login slips: a judge without an account gets one (login `pw…`/`zj…`, a one-time
    /// password); a judge with one gets a fresh one-time password, which voids the old slip.
    pub fn issue_login_slips(&self, judge_ids: &[i64]) -> Result<Vec<LoginSlip>> {
        issue_login_slips(&self.conn, &self.actor, judge_ids)
    }

    /// Every judge and expert, judges first, each by name.
    pub fn list_judges(&self) -> Result<Vec<JudgeRow>> {
        list_judges(&self.conn, &self.actor)
    }
}
