//! The acting account on a connection: the SQL functions the audit triggers call to learn
//! who is acting, and the SQLite authorizer that holds every statement to that account's role.

use std::cell::{Cell, RefCell};
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use sha2::{Digest, Sha256};

use crate::domain::access::{LOGIN_GUARD_TABLES, Read, Role, may_read, may_write, table_label};
use crate::error::Result;

/// Who the statements on a connection act for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// `None` for the command line, which acts as the file's administrator.
    pub account_id: Option<i64>,
    pub name: String,
    pub role: Role,
}

impl Actor {
    /// The command line, and the window before anyone logged in on a new file.
    pub fn command_line() -> Actor {
        Actor { account_id: None, name: "命令行".to_string(), role: Role::Admin }
    }

    /// How the actor appears in the audit log: the name and the account.
    pub fn audit_name(&self) -> String {
        match self.account_id {
            Some(id) => format!("{}（{}，账号{id}）", self.name, self.role.label()),
            None => self.name.clone(),
        }
    }
}

/// What the audit triggers read through SQL functions; shared with the [`super::Store`].
#[derive(Debug)]
pub(crate) struct AuditContext {
    pub actor: String,
    /// Off while migrations run: an upgrade is logged as one entry, not a row each.
    pub rows: bool,
}

pub(crate) type SharedContext = Arc<Mutex<AuditContext>>;

/// Registers `audit_actor()` and `audit_rows()` on a connection (`audit_hash(...)`, which
/// signs with the data key, is lent with the key: keys.rs).
pub(crate) fn register_functions(conn: &Connection, context: &SharedContext) -> Result<()> {
    // Innocuous: the logging triggers call them while `trusted_schema` is off (mod.rs), and
    // they only name the actor and hash what the trigger hands them.
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_INNOCUOUS;
    let actor = Arc::clone(context);
    conn.create_scalar_function("audit_actor", 0, flags, move |_| {
        Ok(actor.lock().unwrap_or_else(PoisonError::into_inner).actor.clone())
    })?;
    let rows = Arc::clone(context);
    conn.create_scalar_function("audit_rows", 0, flags, move |_| {
        Ok(rows.lock().unwrap_or_else(PoisonError::into_inner).rows)
    })?;
    Ok(())
}

/// SHA-256 (hex) over the previous hash and an entry's fields; NULL and "" differ. The chain
/// of entries written without the data key (and of every entry before it was keyed).
pub fn entry_hash(fields: &[Option<String>]) -> String {
    let mut hasher = Sha256::new();
    feed_entry(fields, |bytes| hasher.update(bytes));
    super::sealing::hex(&hasher.finalize())
}

/// An entry's fields as they are hashed, keyed or not: each NULL or length-prefixed.
pub(crate) fn feed_entry(fields: &[Option<String>], mut update: impl FnMut(&[u8])) {
    for field in fields {
        match field {
            Some(text) => {
                update(&[1u8]);
                update(&(text.len() as u64).to_le_bytes());
                update(text.as_bytes());
            }
            None => update(&[0u8]),
        }
    }
}

thread_local! {
    /// Why the authorizer last said no on this thread, for the error message.
    static LAST_DENIAL: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The reason of the latest refusal by the authorizer on this thread, taken once.
pub fn last_denial() -> Option<String> {
    LAST_DENIAL.with(|d| d.borrow_mut().take())
}

fn deny(message: String) -> Authorization {
    LAST_DENIAL.with(|d| *d.borrow_mut() = Some(message));
    Authorization::Deny
}

/// Holds every statement prepared on `conn` from now on to `role` (SQLite re-prepares the
/// cached ones). `read_only` refuses all data writes: another window holds the file.
pub(crate) fn authorize(conn: &mut Connection, role: Role, read_only: bool) -> Result<()> {
    conn.authorizer(Some(move |ctx: AuthContext<'_>| decide(role, read_only, &ctx)))?;
    Ok(())
}

fn decide(role: Role, read_only: bool, ctx: &AuthContext<'_>) -> Authorization {
    let in_trigger = ctx.accessor.is_some();
    match ctx.action {
        // The program's own work on the whole file (a backup written afresh, an upgrade) reads
        // every table, secrets included.
        AuthAction::Read { .. } if MAINTAINING.with(Cell::get) => Authorization::Allow,
        AuthAction::Read { table_name: "audit_log", column_name } => {
            // Anyone's action chains onto the last hash; the entries are for the few.
            if in_trigger || matches!(column_name, "id" | "hash") || matches!(role, Role::Admin | Role::Supervisor) {
                Authorization::Allow
            } else {
                deny(format!("{}账号无权查看操作日志。", role.label()))
            }
        }
        // The log-in guard salts with it (accounts.rs), whoever is acting; no secret: every
        // backup's name shows it.
        AuthAction::Read { table_name: "database_identity", .. } => Authorization::Allow,
        AuthAction::Read { table_name, column_name } => {
            if let Some(refusal) = secret_refusal(role, table_name, column_name, ctx.accessor) {
                return refusal;
            }
            match may_read(role, table_name, column_name) {
                Read::Allowed => Authorization::Allow,
                Read::Hidden => Authorization::Ignore,
                Read::Denied => deny(format!("{}账号无权查看“{}”。", role.label(), table_label(table_name))),
            }
        }
        AuthAction::Insert { table_name } | AuthAction::Delete { table_name } => write(role, read_only, table_name),
        // Everyone may change their own password; the service checks whose.
        AuthAction::Update { table_name: "account", column_name: "password_hash" | "must_change_password" } => {
            write(Role::Admin, read_only, "account")
        }
        AuthAction::Update { table_name, .. } => write(role, read_only, table_name),
        _ => statement(&ctx.action),
    }
}

/// Reads of secrets, refused to every role with no use for them whatever `may_read` says:
/// the data key's record and the ballot seals' keys are the administrator's; no role reads a
/// password hash (log-in and one's own password change read it under [`checking_password`]);
/// a judge reads votes only while the ballot service loads or saves that judge's own ballot
/// ([`reading_own_ballot`]), so no statement of a judge's can see how the others vote in an
/// open round; the administrator counts them, and the service refuses a tally of an open
/// round. The program's own logging triggers (`audit_*`) copy what a row change touched.
fn secret_refusal(role: Role, table: &str, column: &str, accessor: Option<&str>) -> Option<Authorization> {
    if accessor.is_some_and(|trigger| trigger.starts_with("audit_")) {
        return None;
    }
    let refused = match table {
        "field_key" | "ballot_seal_key" => role != Role::Admin,
        "account" => column == "password_hash" && !CHECKING_PASSWORD.with(Cell::get),
        // SQLite reads `work_id` itself, unseen, when a clerk enters or corrects a work (the
        // foreign key's check): it reads as NULL, so no count per work can be had from it.
        "contest_vote" if !matches!(role, Role::Admin | Role::Judge) && column == "work_id" => {
            return Some(Authorization::Ignore);
        }
        "contest_vote" => match role {
            Role::Admin => false,
            Role::Judge => !READING_OWN_BALLOT.with(Cell::get),
            _ => true,
        },
        _ => false,
    };
    refused.then(|| deny(format!("{}账号无权查看“{}”。", role.label(), table_label(table))))
}

/// Statements other than reads and row changes. Selecting, transactions and functions are
/// everyone's; ATTACH (another file's tables outside every rule), schema changes, temporary
/// triggers and settings are refused to every role — the administrator included — except
/// while the program itself maintains the schema ([`maintaining`]: an upgrade, a restore, an
/// import re-making the logging triggers). Pragmas that only inspect stay open to all.
fn statement(action: &AuthAction<'_>) -> Authorization {
    match action {
        AuthAction::Select
        | AuthAction::Recursive
        | AuthAction::Transaction { .. }
        | AuthAction::Savepoint { .. }
        | AuthAction::Function { .. } => Authorization::Allow,
        AuthAction::Pragma { pragma_name, pragma_value } if inspects(pragma_name, *pragma_value) => {
            Authorization::Allow
        }
        _ if MAINTAINING.with(Cell::get) => Authorization::Allow,
        AuthAction::Attach { .. } | AuthAction::Detach { .. } => {
            deny("不允许附加其他数据库文件，未做任何改动。".to_string())
        }
        AuthAction::Pragma { pragma_name, .. } => {
            deny(format!("不允许更改数据库设置（{pragma_name}），未做任何改动。"))
        }
        _ => deny("不允许更改数据库结构（表、索引、视图或触发器），未做任何改动。".to_string()),
    }
}

/// Pragmas that report and change nothing: the checks, the catalogue, and a setting read
/// without a value.
fn inspects(name: &str, value: Option<&str>) -> bool {
    const CHECKS: &[&str] = &[
        "integrity_check",
        "quick_check",
        "foreign_key_check",
        "foreign_key_list",
        "table_info",
        "table_xinfo",
        "table_list",
        "index_list",
        "index_info",
        "index_xinfo",
    ];
    const SETTINGS: &[&str] = &[
        "user_version",
        "schema_version",
        "application_id",
        "data_version",
        "page_count",
        "page_size",
        "freelist_count",
        "journal_mode",
        "foreign_keys",
        "secure_delete",
        "trusted_schema",
        "cache_size",
        "synchronous",
        "temp_store",
        "busy_timeout",
        "encoding",
        "auto_vacuum",
    ];
    let name = name.to_ascii_lowercase();
    CHECKS.contains(&name.as_str()) || (value.is_none() && SETTINGS.contains(&name.as_str()))
}

thread_local! {
    /// The program maintains the schema on this thread: see [`maintaining`].
    static MAINTAINING: Cell<bool> = const { Cell::new(false) };
    /// A password is being checked on this thread: see [`checking_password`].
    static CHECKING_PASSWORD: Cell<bool> = const { Cell::new(false) };
    /// A judge's own ballot is being loaded or saved on this thread: see [`reading_own_ballot`].
    static READING_OWN_BALLOT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `work` (the program's own schema work: an upgrade, a restore, the logging triggers
/// dropped and re-made around an import) with schema changes and settings allowed on this
/// thread, whatever the role. The flag is cleared however `work` ends; statements are
/// prepared under it only inside `work`, so none of the user's can ride on it.
pub(crate) fn maintaining<T>(work: impl FnOnce() -> T) -> T {
    with_flag(&MAINTAINING, work)
}

/// Runs `work` (log-in, one's own password change) with the password hash readable.
pub(crate) fn checking_password<T>(work: impl FnOnce() -> T) -> T {
    with_flag(&CHECKING_PASSWORD, work)
}

/// Runs `work` (the ballot service loading, saving or submitting the acting judge's own
/// ballot, which it found by the judge's account) with votes readable by a judge: its
/// statements, and the schema's checks on the votes they write (the quota), are prepared
/// under the flag.
pub(crate) fn reading_own_ballot<T>(work: impl FnOnce() -> T) -> T {
    with_flag(&READING_OWN_BALLOT, work)
}

fn with_flag<T>(flag: &'static std::thread::LocalKey<Cell<bool>>, work: impl FnOnce() -> T) -> T {
    struct Reset(&'static std::thread::LocalKey<Cell<bool>>, bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            self.0.with(|f| f.set(self.1));
        }
    }
    let _reset = Reset(flag, flag.with(|f| f.replace(true)));
    work()
}

fn write(role: Role, read_only: bool, table: &str) -> Authorization {
    if table == "audit_log" || table.starts_with("sqlite_") || LOGIN_GUARD_TABLES.contains(&table) {
        return Authorization::Allow;
    }
    if read_only {
        return deny("另一个窗口正在使用这个数据库，本窗口只能查看，未做任何改动。".to_string());
    }
    if may_write(role, table) {
        Authorization::Allow
    } else {
        deny(format!("{}账号无权修改“{}”，未做任何改动。", role.label(), table_label(table)))
    }
}

impl super::Store {
    /// Nobody is logged in (a new window, a lock, 切换用户): until `act_as` a signed-in
    /// account, statements may read the accounts (to log in) and nothing else.
    pub fn act_for_nobody(&mut self) -> Result<()> {
        let nobody = Actor { account_id: None, name: "未登录".to_string(), role: Role::Supervisor };
        self.conn.authorizer(Some(|ctx: AuthContext<'_>| decide_at_the_gate(&ctx)))?;
        self.audit_context().actor = nobody.audit_name();
        self.actor = nobody;
        Ok(())
    }
}

/// Logging in reads the accounts and the audit chain's last hash, and logs the attempt (and
/// counts a failure, locks, forgets the count: the log-in guard's tables).
fn decide_at_the_gate(ctx: &AuthContext<'_>) -> Authorization {
    match ctx.action {
        AuthAction::Read { table_name: "account", column_name: "password_hash" }
            if !CHECKING_PASSWORD.with(Cell::get) && !ctx.accessor.is_some_and(|t| t.starts_with("audit_")) =>
        {
            deny("请先登录。".to_string())
        }
        AuthAction::Read { table_name: "account", .. } => Authorization::Allow,
        // The log-in guard's salt (accounts.rs): the database's identity, which every
        // backup's name shows anyway.
        AuthAction::Read { table_name, .. }
            if LOGIN_GUARD_TABLES.contains(&table_name) || table_name == "database_identity" =>
        {
            Authorization::Allow
        }
        AuthAction::Read { table_name: "audit_log", column_name: "id" | "hash" } => Authorization::Allow,
        AuthAction::Read { table_name, .. } if table_name.starts_with("sqlite_") => Authorization::Allow,
        AuthAction::Read { .. } => deny("请先登录。".to_string()),
        AuthAction::Insert { table_name }
        | AuthAction::Delete { table_name }
        | AuthAction::Update { table_name, .. } => {
            if table_name == "audit_log"
                || table_name.starts_with("sqlite_")
                || LOGIN_GUARD_TABLES.contains(&table_name)
            {
                Authorization::Allow
            } else {
                deny("请先登录，未做任何改动。".to_string())
            }
        }
        _ => statement(&ctx.action),
    }
}
