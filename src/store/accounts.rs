//! Accounts: who may log in, with which role. Passwords are kept only as argon2id hashes.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use rusqlite::{Connection, OptionalExtension, params};

use super::audit;
use super::guard::Actor;
use crate::domain::access::{Action, Role, require};
use crate::error::{Error, Result};
use crate::store::Store;

pub const MIN_PASSWORD_CHARS: usize = 6;

/// An account to create.
#[derive(Clone, Debug)]
pub struct NewAccount {
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub password: String,
}

/// An account as the administrator's list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub must_change_password: bool,
    pub disabled: bool,
}

/// A successful login.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedIn {
    pub actor: Actor,
    /// A one-time initial password: the window asks for a new one first.
    pub must_change_password: bool,
}

pub fn hash_password(password: &str) -> Result<String> {
    check_password(password)?;
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| Error::rejected(format!("密码无法加密保存：{e}")))
}

fn check_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::rejected(format!("密码至少 {MIN_PASSWORD_CHARS} 位")));
    }
    Ok(())
}

fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
}

/// Adds an account; only an administrator's connection may write accounts.
pub fn create_account(conn: &Connection, account: &NewAccount) -> Result<i64> {
    insert(conn, account, &hash_password(&account.password)?, false)
}

/// Adds an account with a one-time password to hand over on a slip; it must be changed at
/// the first login.
pub fn create_with_initial_password(conn: &Connection, account: &NewAccount) -> Result<i64> {
    insert(conn, account, &hash_password(&account.password)?, true)
}

/// Adds an account whose password was hashed beforehand (the demo gives many accounts one
/// published password, and hashing costs tens of milliseconds each).
pub fn create_with_hash(conn: &Connection, account: &NewAccount, password_hash: &str) -> Result<i64> {
    insert(conn, account, password_hash, false)
}

fn insert(conn: &Connection, account: &NewAccount, password_hash: &str, must_change: bool) -> Result<i64> {
    let login = account.login.trim();
    if conn.query_row("SELECT 1 FROM account WHERE login = ?1", [login], |_| Ok(())).optional()?.is_some() {
        return Err(Error::rejected(format!("登录名“{login}”已被使用")));
    }
    conn.prepare_cached(
        "INSERT INTO account (login, display_name, role, unit_id, password_hash, must_change_password, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, strftime('%Y-%m-%d %H:%M', 'now', 'localtime'))",
    )?
    .execute(params![
        login,
        account.display_name.trim(),
        account.role.label(),
        account.unit_id,
        password_hash,
        must_change
    ])?;
    Ok(conn.last_insert_rowid())
}

/// A one-time password easy to read off a slip: no 0/O or 1/l/I.
pub fn initial_password() -> String {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    let random = argon2::password_hash::generate_salt();
    random.iter().take(8).map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect()
}

/// Whether the demo's administrator is here, so the login screen may show its password.
pub fn is_demo(conn: &Connection) -> bool {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM account WHERE login = 'admin' AND display_name = '王管理')",
        [],
        |r| r.get(0),
    )
    .unwrap_or(false)
}

pub fn has_accounts(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM account)", [], |row| row.get(0))?)
}

/// Checks a login; a failure is logged with the name that was tried, and says no more than
/// that the pair is wrong.
pub fn sign_in(conn: &Connection, login: &str, password: &str) -> Result<SignedIn> {
    let login = login.trim();
    let found = conn
        .query_row(
            "SELECT id, display_name, role, password_hash, must_change_password, disabled_at FROM account WHERE login = ?1",
            [login],
            |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, bool>(4)?,
                    row.get::<_, Option<String>>(5)?,
                ))
            },
        )
        .optional()?;
    let stranger = Actor { account_id: None, name: format!("登录名“{login}”"), role: Role::Supervisor };
    let Some((id, name, role, hash, must_change, disabled)) = found else {
        audit::record(conn, &stranger, "登录失败", "account", "登录名不存在")?;
        return Err(Error::rejected("登录名或密码不正确"));
    };
    let role = Role::from_label(&role).ok_or_else(|| Error::rejected(format!("账号角色“{role}”无法识别")))?;
    let actor = Actor { account_id: Some(id), name, role };
    if !password_matches(password, &hash) {
        audit::record(conn, &actor, "登录失败", &format!("account#{id}"), "密码错误")?;
        return Err(Error::rejected("登录名或密码不正确"));
    }
    if disabled.is_some() {
        audit::record(conn, &actor, "登录失败", &format!("account#{id}"), "账号已停用")?;
        return Err(Error::rejected("该账号已停用，请联系管理员"));
    }
    audit::record(conn, &actor, "登录", &format!("account#{id}"), "")?;
    Ok(SignedIn { actor, must_change_password: must_change })
}

/// Changes the actor's own password, which needs the current one.
pub fn change_own_password(conn: &Connection, actor: &Actor, current: &str, new: &str) -> Result<()> {
    let id = actor.account_id.ok_or_else(|| Error::rejected("命令行没有账号密码"))?;
    let stored: String = conn.query_row("SELECT password_hash FROM account WHERE id = ?1", [id], |row| row.get(0))?;
    if !password_matches(current, &stored) {
        return Err(Error::rejected("原密码不正确"));
    }
    if current == new {
        return Err(Error::rejected("新密码不能与原密码相同"));
    }
    conn.execute(
        "UPDATE account SET password_hash = ?1, must_change_password = 0 WHERE id = ?2",
        params![hash_password(new)?, id],
    )?;
    Ok(())
}

/// Gives an account a new one-time password (a judge who lost the slip). Returns it.
pub fn reset_password(conn: &Connection, actor: &Actor, id: i64) -> Result<String> {
    require(actor.role, Action::Administer)?;
    let password = initial_password();
    let changed = conn.execute(
        "UPDATE account SET password_hash = ?1, must_change_password = 1 WHERE id = ?2",
        params![hash_password(&password)?, id],
    )?;
    if changed == 0 {
        return Err(Error::rejected("账号不存在"));
    }
    Ok(password)
}

/// Stops or restores an account's logins; accounts are never deleted.
pub fn set_disabled(conn: &Connection, actor: &Actor, id: i64, disabled: bool) -> Result<()> {
    require(actor.role, Action::Administer)?;
    if disabled && actor.account_id == Some(id) {
        return Err(Error::rejected("不能停用自己正在使用的账号"));
    }
    conn.execute(
        "UPDATE account SET disabled_at = CASE WHEN ?2 THEN strftime('%Y-%m-%d %H:%M', 'now', 'localtime') END
         WHERE id = ?1",
        params![id, disabled],
    )?;
    Ok(())
}

pub fn list(conn: &Connection, actor: &Actor) -> Result<Vec<Account>> {
    require(actor.role, Action::Administer)?;
    let mut statement = conn.prepare(
        "SELECT id, login, display_name, role, unit_id, must_change_password, disabled_at IS NOT NULL
         FROM account ORDER BY role, login",
    )?;
    let rows = statement.query_map([], |row| {
        Ok(Account {
            id: row.get(0)?,
            login: row.get(1)?,
            display_name: row.get(2)?,
            role: row.get(3)?,
            unit_id: row.get(4)?,
            must_change_password: row.get(5)?,
            disabled: row.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The window's API: what the screens ask, acting for the store's account.
impl Store {
    /// Adds an account with a one-time password to hand over on a slip; it must be changed at
    /// the first login.
    pub fn create_with_initial_password(&self, account: &NewAccount) -> Result<i64> {
        create_with_initial_password(&self.conn, account)
    }

    /// Gives an account a new one-time password (a judge who lost the slip). Returns it.
    pub fn reset_password(&self, id: i64) -> Result<String> {
        reset_password(&self.conn, &self.actor, id)
    }

    /// Stops or restores an account's logins; accounts are never deleted.
    pub fn set_disabled(&self, id: i64, disabled: bool) -> Result<()> {
        set_disabled(&self.conn, &self.actor, id, disabled)
    }

    pub fn accounts(&self) -> Result<Vec<Account>> {
        list(&self.conn, &self.actor)
    }

    pub fn has_accounts(&self) -> Result<bool> {
        has_accounts(&self.conn)
    }

    /// Whether the demo's administrator is here, so the login screen may show its password.
    pub fn is_demo(&self) -> bool {
        is_demo(&self.conn)
    }

    /// Checks a login; a failure is logged with the name that was tried, and says no more than
    /// that the pair is wrong.
    pub fn sign_in(&self, login: &str, password: &str) -> Result<SignedIn> {
        sign_in(&self.conn, login, password)
    }

    /// Adds an account; only an administrator's connection may write accounts.
    pub fn create_account(&self, account: &NewAccount) -> Result<i64> {
        create_account(&self.conn, account)
    }

    /// Changes the actor's own password, which needs the current one.
    pub fn change_own_password(&self, current: &str, new: &str) -> Result<()> {
        change_own_password(&self.conn, &self.actor, current, new)
    }
}
