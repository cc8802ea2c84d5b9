//! The acting account on a connection: the SQL functions the audit triggers call to learn
//! who is acting, and the SQLite authorizer that holds every statement to that account's role.

use std::cell::RefCell;
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

/// Registers `audit_actor()`, `audit_rows()` and `audit_hash(...)` on a connection.
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
    conn.create_scalar_function("audit_hash", 7, flags | FunctionFlags::SQLITE_DETERMINISTIC, |ctx| {
        let fields: Vec<Option<String>> = (0..7).map(|i| ctx.get(i)).collect::<rusqlite::Result<_>>()?;
        Ok(entry_hash(&fields))
    })?;
    Ok(())
}

/// SHA-256 (hex) over the previous hash and an entry's fields; NULL and "" differ.
pub fn entry_hash(fields: &[Option<String>]) -> String {
    let mut hasher = Sha256::new();
    for field in fields {
        match field {
            Some(text) => {
                hasher.update([1u8]);
                hasher.update((text.len() as u64).to_le_bytes());
                hasher.update(text.as_bytes());
            }
            None => hasher.update([0u8]),
        }
    }
    super::sealing::hex(&hasher.finalize())
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
        AuthAction::Read { table_name: "audit_log", column_name } => {
            // Anyone's action chains onto the last hash; the entries are for the few.
            if in_trigger || matches!(column_name, "id" | "hash") || matches!(role, Role::Admin | Role::Supervisor) {
                Authorization::Allow
            } else {
                deny(format!("{}账号无权查看操作日志。", role.label()))
            }
        }
        AuthAction::Read { table_name, column_name } => match may_read(role, table_name, column_name) {
            Read::Allowed => Authorization::Allow,
            Read::Hidden => Authorization::Ignore,
            Read::Denied => deny(format!("{}账号无权查看“{}”。", role.label(), table_label(table_name))),
        },
        AuthAction::Insert { table_name } | AuthAction::Delete { table_name } => write(role, read_only, table_name),
        // Everyone may change their own password; the service checks whose.
        AuthAction::Update { table_name: "account", column_name: "password_hash" | "must_change_password" } => {
            write(Role::Admin, read_only, "account")
        }
        AuthAction::Update { table_name, .. } => write(role, read_only, table_name),
        _ => Authorization::Allow,
    }
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
        AuthAction::Read { table_name: "account", .. } => Authorization::Allow,
        AuthAction::Read { table_name, .. } if LOGIN_GUARD_TABLES.contains(&table_name) => Authorization::Allow,
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
        _ => Authorization::Allow,
    }
}
