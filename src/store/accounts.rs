//! Accounts: who may log in, with which role. Passwords are kept only as argon2id hashes.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest as _, Sha256};

use super::audit;
use super::guard::Actor;
use crate::domain::access::{Action, Role, require};
use crate::domain::password;
use crate::error::{Error, Result};
use crate::store::Store;

/// Failed log-ins of one login within [`FAILURE_WINDOW_MINUTES`] that lock it.
pub const FAILURES_BEFORE_LOCK: i64 = 5;
pub const FAILURE_WINDOW_MINUTES: i64 = 15;
/// How long a lock lasts, unless an administrator lifts it.
pub const LOCK_MINUTES: i64 = 15;
/// How times of the log-in guard are kept: to the second, sortable.
const GUARD_TIME: &str = "%Y-%m-%d %H:%M:%S";

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
    /// One of the demo's accounts, whose published password is exempt from the rule.
    pub demo: bool,
    /// Locked after failed log-ins until then (`YYYY-MM-DD HH:MM:SS`), at the time asked.
    pub locked_until: Option<String>,
}

/// A successful login.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedIn {
    pub actor: Actor,
    /// A one-time initial password: the window asks for a new one first.
    pub must_change_password: bool,
}

/// The hash of a new or changed password, which must pass the rule (domain::password).
pub fn hash_password(password: &str) -> Result<String> {
    if let Some(problem) = password::problem(password) {
        return Err(Error::rejected(problem));
    }
    hash_unchecked(password)
}

/// The hash of one of the demo's published passwords, which keep their shape (the README
/// and the login screen show them); the accounts are marked as demo.
pub(crate) fn hash_demo_password(password: &str) -> Result<String> {
    hash_unchecked(password)
}

fn hash_unchecked(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| Error::rejected(format!("密码无法加密保存：{e}")))
}

fn password_matches(password: &str, stored: &str) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else { return false };
    #[cfg(feature = "test-support")]
    ARGON2_RUNS.with(|runs| runs.set(runs.get() + 1));
    Argon2::default().verify_password(password.as_bytes(), &hash).is_ok()
}

#[cfg(feature = "test-support")]
thread_local! {
    static ARGON2_RUNS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many passwords this thread has checked with argon2: tests count the work of a log-in
/// (the same whoever is named) instead of timing it.
#[cfg(feature = "test-support")]
pub fn argon2_runs() -> usize {
    ARGON2_RUNS.with(std::cell::Cell::get)
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

/// Adds one of the demo's accounts, its published password hashed beforehand
/// ([`hash_demo_password`]: many accounts share one, and hashing costs tens of milliseconds
/// each). Marked as demo.
pub fn create_demo_account(conn: &Connection, account: &NewAccount, password_hash: &str) -> Result<i64> {
    let id = insert(conn, account, password_hash, false)?;
    conn.prepare_cached("UPDATE account SET demo = 1 WHERE id = ?1")?.execute([id])?;
    Ok(id)
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

/// A one-time password easy to read off a slip: no 0/O or 1/l/I; letters and digits both,
/// as the rule asks (drawn again in the rare case one kind is missing).
pub fn initial_password() -> String {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    loop {
        let random = argon2::password_hash::generate_salt();
        let password: String = random.iter().take(8).map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
        if password::problem(&password).is_none() {
            return password;
        }
    }
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

/// [`sign_in_at`] at the wall clock's time (the command line, tests).
pub fn sign_in(conn: &Connection, login: &str, password: &str) -> Result<SignedIn> {
    sign_in_at(conn, login, password, crate::clock::now())
}

/// Checks a login at `now`: the one place a password is checked. A failure is logged with the
/// name that was tried, and says no more than that the pair is wrong; the fifth failure of a
/// login within 15 minutes locks it for 15 minutes (logged), and a locked login is refused
/// saying until when.
///
/// The answer is the same whoever is named (issue #26): an unknown login, a locked and a
/// disabled account all have their password checked with argon2 (an unknown login against a
/// stand-in hash), so the time taken does not tell which logins exist; and failures are
/// counted per typed login whether an account has it or not (`LoginKeys`), so five on
/// `nobody` lock it as five on `admin` do. A disabled account is refused with the same words
/// as a wrong pair whatever the password: saying 已停用 only after the right password
/// confirmed an old password to whoever tried it, and saying it before would tell anyone that
/// the login exists. The log says 账号已停用 for the administrator. A login field that names
/// no account and looks like a password (someone typed the password one field too early) is
/// logged without what was typed.
pub fn sign_in_at(conn: &Connection, login: &str, password: &str, now: NaiveDateTime) -> Result<SignedIn> {
    let login = login.trim();
    let found = super::guard::checking_password(|| {
        conn.query_row(
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
        .optional()
    })?;
    let key = LoginKeys::read(conn)?.of(login);
    let Some((id, name, role, hash, must_change, disabled)) = found else {
        password_matches(password, stand_in_hash());
        let tried = if plausible_login(login) { format!("登录名“{login}”") } else { UNLOGGED_LOGIN.to_string() };
        let stranger = Actor { account_id: None, name: tried, role: Role::Supervisor };
        return Err(refuse(
            conn,
            &Attempt { actor: &stranger, object: "account", key: &key },
            Failure::NoSuchLogin,
            now,
        )?);
    };
    let right = password_matches(password, &hash);
    let role = Role::from_label(&role).ok_or_else(|| Error::rejected(format!("账号角色“{role}”无法识别")))?;
    let actor = Actor { account_id: Some(id), name, role };
    let object = format!("account#{id}");
    let attempt = Attempt { actor: &actor, object: &object, key: &key };
    if disabled.is_some() {
        return Err(refuse(conn, &attempt, Failure::Disabled, now)?);
    }
    if !right {
        return Err(refuse(conn, &attempt, Failure::WrongPassword, now)?);
    }
    if let Some(until) = locked_until(conn, &key, now)? {
        audit::record(conn, &actor, "登录失败", &object, &format!("账号已锁定至 {until}"))?;
        return Err(locked(&until));
    }
    forget_failures(conn, &key)?;
    audit::record(conn, &actor, "登录", &object, "")?;
    Ok(SignedIn { actor, must_change_password: must_change })
}

/// How the log names a login field that named no account and looked like a password.
pub const UNLOGGED_LOGIN: &str = "登录名（未记录：形似密码）";

/// Whether an unknown login field may be logged as typed: up to 30 letters, digits and
/// `. _ - @` (what logins are made of: `admin`, `pw001`, a name in pinyin), and not of a
/// password's shape (eight or more characters of two kinds, or any other character).
fn plausible_login(login: &str) -> bool {
    let characters = login.chars().count();
    (1..=30).contains(&characters)
        && login.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
        && password::problem(login).is_some()
}

/// A hash of the accounts' kind (argon2id, the same cost) that no password is checked in
/// earnest against: an unknown login costs what a known one does.
fn stand_in_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_unchecked("volunteer-desk: no such login").unwrap_or_default())
}

/// What the log-in guard counts failures and locks under: the SHA-256 of the database's
/// identity (a salt of each file's own) and the login as typed, trimmed and in lower case.
/// The typed text itself is never kept: a login field may hold a password typed one field
/// too early.
struct LoginKeys {
    salt: String,
}

impl LoginKeys {
    fn read(conn: &Connection) -> Result<LoginKeys> {
        let salt = conn.query_row("SELECT identity FROM database_identity WHERE id = 1", [], |r| r.get(0))?;
        Ok(LoginKeys { salt })
    }

    fn of(&self, login: &str) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.salt.as_bytes());
        hasher.update([0u8]);
        hasher.update(login.trim().to_lowercase().as_bytes());
        super::sealing::hex(&hasher.finalize())
    }
}

/// Until when the login is locked at `now`, if it is.
fn locked_until(conn: &Connection, key: &str, now: NaiveDateTime) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT locked_until FROM login_lock WHERE login_key = ?1 AND locked_until > ?2")?
        .query_row(params![key, now.format(GUARD_TIME).to_string()], |r| r.get(0))
        .optional()?)
}

fn locked(until: &str) -> Error {
    let shown = until.get(..16).unwrap_or(until);
    Error::rejected(format!(
        "该账号 {FAILURE_WINDOW_MINUTES} 分钟内连续 {FAILURES_BEFORE_LOCK} 次登录失败，已锁定至 {shown}。\
         请届时再试，或请管理员在“系统 → 账号”中解除锁定。"
    ))
}

/// A failed log-in: who the log names, the object it names, and the key it is counted under.
struct Attempt<'a> {
    actor: &'a Actor,
    object: &'a str,
    key: &'a str,
}

/// Why a log-in failed, as the log says it; the one who tried is told only that the pair is
/// wrong.
#[derive(Clone, Copy)]
enum Failure {
    NoSuchLogin,
    Disabled,
    WrongPassword,
}

impl Failure {
    fn label(self) -> &'static str {
        match self {
            Failure::NoSuchLogin => "登录名不存在",
            Failure::Disabled => "账号已停用",
            Failure::WrongPassword => "密码错误",
        }
    }
}

/// The refusal of a failed log-in: a login locked already is told until when; otherwise the
/// failure is counted, locking the login at the fifth within the window. A file that may not be
/// written keeps no count (nothing can change it).
fn refuse(conn: &Connection, attempt: &Attempt<'_>, failure: Failure, now: NaiveDateTime) -> Result<Error> {
    let Attempt { actor, object, key } = *attempt;
    if let Some(until) = locked_until(conn, key, now)? {
        audit::record(conn, actor, "登录失败", object, &format!("{}，账号已锁定至 {until}", failure.label()))?;
        return Ok(locked(&until));
    }
    let wrong = Error::rejected("登录名或密码不正确");
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
        return Ok(wrong);
    }
    let at = now.format(GUARD_TIME).to_string();
    let since = (now - chrono::Duration::minutes(FAILURE_WINDOW_MINUTES)).format(GUARD_TIME).to_string();
    // Counts past the window and locks run out are dropped: nothing typed stays longer than
    // it counts, even as a hash.
    conn.prepare_cached("DELETE FROM login_failure WHERE at <= ?1")?.execute([&since])?;
    conn.prepare_cached("DELETE FROM login_lock WHERE locked_until <= ?1")?.execute([&at])?;
    conn.prepare_cached("INSERT INTO login_failure (login_key, at) VALUES (?1, ?2)")?.execute(params![key, at])?;
    let failures: i64 = conn
        .prepare_cached("SELECT count(*) FROM login_failure WHERE login_key = ?1 AND at > ?2")?
        .query_row(params![key, since], |r| r.get(0))?;
    let label = failure.label();
    let detail = format!("{label}（{FAILURE_WINDOW_MINUTES} 分钟内第 {failures} 次）");
    audit::record(conn, actor, "登录失败", object, &detail)?;
    if failures < FAILURES_BEFORE_LOCK {
        return Ok(wrong);
    }
    let until = (now + chrono::Duration::minutes(LOCK_MINUTES)).format(GUARD_TIME).to_string();
    forget_failures(conn, key)?;
    conn.prepare_cached("INSERT INTO login_lock (login_key, locked_at, locked_until) VALUES (?1, ?2, ?3)")?
        .execute(params![key, at, until])?;
    let detail = format!("{FAILURE_WINDOW_MINUTES} 分钟内连续 {failures} 次{label}，锁定至 {until}");
    audit::record(conn, actor, "账号锁定", object, &detail)?;
    Ok(locked(&until))
}

/// The login's failures and any lock, gone: a good log-in, a lock taken or lifted.
fn forget_failures(conn: &Connection, key: &str) -> Result<()> {
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
        return Ok(());
    }
    conn.prepare_cached("DELETE FROM login_failure WHERE login_key = ?1")?.execute([key])?;
    conn.prepare_cached("DELETE FROM login_lock WHERE login_key = ?1")?.execute([key])?;
    Ok(())
}

/// Lifts the lock of an account after failed log-ins (an administrator's act, logged).
pub fn lift_lock(conn: &Connection, actor: &Actor, id: i64) -> Result<()> {
    require(actor.role, Action::Administer)?;
    let login: String = conn
        .query_row("SELECT login FROM account WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::rejected("账号不存在"))?;
    let key = LoginKeys::read(conn)?.of(&login);
    let locked: bool =
        conn.query_row("SELECT EXISTS (SELECT 1 FROM login_lock WHERE login_key = ?1)", [&key], |r| r.get(0))?;
    if !locked {
        return Err(Error::rejected("该账号未被锁定"));
    }
    forget_failures(conn, &key)?;
    audit::record(conn, actor, "解除锁定", &format!("account#{id}"), "管理员解除登录失败锁定")
}

/// Changes the actor's own password, which needs the current one.
pub fn change_own_password(conn: &Connection, actor: &Actor, current: &str, new: &str) -> Result<()> {
    let id = actor.account_id.ok_or_else(|| Error::rejected("命令行没有账号密码"))?;
    // The one hash a logged-in account reads: its own, to check the current password.
    let stored: String = super::guard::checking_password(|| {
        conn.query_row("SELECT password_hash FROM account WHERE id = ?1", [id], |row| row.get(0))
    })?;
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

/// The accounts, with the locks in force at `now`.
pub fn list(conn: &Connection, actor: &Actor, now: NaiveDateTime) -> Result<Vec<Account>> {
    require(actor.role, Action::Administer)?;
    let mut statement = conn.prepare(
        "SELECT id, login, display_name, role, unit_id, must_change_password, disabled_at IS NOT NULL, demo
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
            demo: row.get(7)?,
            locked_until: None,
        })
    })?;
    let mut listed: Vec<Account> = rows.collect::<rusqlite::Result<_>>()?;
    let keys = LoginKeys::read(conn)?;
    for account in &mut listed {
        account.locked_until = locked_until(conn, &keys.of(&account.login), now)?;
    }
    Ok(listed)
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

    /// The accounts, with the locks in force at `now`.
    pub fn accounts(&self, now: NaiveDateTime) -> Result<Vec<Account>> {
        list(&self.conn, &self.actor, now)
    }

    /// Lifts the lock of an account after failed log-ins.
    pub fn lift_lock(&self, id: i64) -> Result<()> {
        lift_lock(&self.conn, &self.actor, id)
    }

    pub fn has_accounts(&self) -> Result<bool> {
        has_accounts(&self.conn)
    }

    /// Whether the demo's administrator is here, so the login screen may show its password.
    pub fn is_demo(&self) -> bool {
        is_demo(&self.conn)
    }

    /// Checks a login at `now` ([`sign_in_at`]).
    pub fn sign_in(&self, login: &str, password: &str, now: NaiveDateTime) -> Result<SignedIn> {
        sign_in_at(&self.conn, login, password, now)
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
