//! The SQLite store: opening the file, the schema, and one module per aggregate.

pub mod accounts;
pub mod activities;
pub mod attendance;
pub mod audit;
pub mod backups;
pub mod certificates;
pub mod contest;
pub mod guard;
pub mod import;
mod labels;
pub mod ledger;
pub mod migrations;
pub mod recruitment;
pub mod report;
pub mod stats;
pub mod teams;
pub mod units;
pub mod volunteers;

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};
pub use guard::Actor;
use guard::{AuditContext, SharedContext};

/// Makes a method public for tests and benches (the `test-support` feature, which only the
/// dev-dependency on this crate turns on) and visible only below the window otherwise: the
/// window can never hold the connection, and `cargo build` proves it.
macro_rules! below_the_window {
    ($(#[$meta:meta])* fn $($rest:tt)*) => {
        $(#[$meta])*
        #[cfg(feature = "test-support")]
        pub fn $($rest)*

        $(#[$meta])*
        #[cfg(not(feature = "test-support"))]
        pub(in crate::base) fn $($rest)*
    };
}

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// An open database file, migrated to the schema this program writes.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    actor: Actor,
    /// Another window holds the file: this one only reads.
    read_only: bool,
    audit: SharedContext,
}

/// Opens (creating if needed) the database at `path` and brings its schema up to date.
///
/// A file that is not a SQLite database, or one written by a newer program, is refused
/// before anything is written to it.
pub fn open(path: &Path) -> Result<Store> {
    refuse_foreign_file(path)?;
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let found = migrations::current_version(&conn).map_err(|_| Error::NotADatabase(path.to_path_buf()))?;
    let supported = migrations::latest_version();
    if found > supported {
        return Err(Error::NewerSchema { path: path.to_path_buf(), found, supported });
    }
    configure(&conn)?;
    let actor = Actor::command_line();
    let audit = Arc::new(Mutex::new(AuditContext { actor: actor.audit_name(), rows: false }));
    guard::register_functions(&conn, &audit)?;
    if found < supported {
        migrate(&mut conn, found, supported)?;
    } else if !audit::triggers_complete(&conn)? {
        // An upgrade that stopped between its last migration and the triggers it re-makes
        // would otherwise leave a table unlogged for good.
        let tx = conn.transaction()?;
        audit::install_triggers(&tx)?;
        tx.commit()?;
    }
    audit.lock().unwrap_or_else(PoisonError::into_inner).rows = true;
    let mut store = Store { conn, path: path.to_path_buf(), actor: actor.clone(), read_only: false, audit };
    store.act_as(actor)?;
    Ok(store)
}

/// Brings the schema up to date and re-makes the audit triggers from the new columns, all in
/// one transaction: the upgrade is logged as one entry, not a row each.
fn migrate(conn: &mut Connection, found: i64, supported: i64) -> Result<()> {
    migrations::migrate_to(conn, supported)?;
    let tx = conn.transaction()?;
    audit::install_triggers(&tx)?;
    let detail = format!("数据版本 {found} → {supported}");
    audit::record(
        &tx,
        &Actor { name: "程序升级".to_string(), ..Actor::command_line() },
        "升级数据库",
        "schema",
        &detail,
    )?;
    tx.commit()?;
    Ok(())
}

/// Reads the first bytes so a stranger's file is never handed to SQLite for writing.
fn refuse_foreign_file(path: &Path) -> Result<()> {
    let mut header = [0u8; 16];
    let read = match std::fs::File::open(path) {
        Ok(mut file) => file.read(&mut header)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    if read == 0 || &header[..read] == SQLITE_HEADER.as_slice() {
        Ok(())
    } else {
        Err(Error::NotADatabase(path.to_path_buf()))
    }
}

/// Per-connection settings: SQLite forgets them when the connection closes.
fn configure(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Most writes fire triggers, so SQLite keeps a statement journal for each; in a temporary
    // file that costs a write per row on large imports. It is small: keep it in memory.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // 64 MiB of page cache (SQLite's default is 2 MiB): year-end sums read every session.
    conn.pragma_update(None, "cache_size", -65_536)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(())
}

impl Store {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Who the store acts for: every statement is held to this account's role.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// From now on statements act for `actor` (a login, 切换用户, a lock).
    pub fn act_as(&mut self, actor: Actor) -> Result<()> {
        guard::authorize(&mut self.conn, actor.role, self.read_only)?;
        self.audit_context().actor = actor.audit_name();
        self.actor = actor;
        Ok(())
    }

    /// Refuses every data write while another window holds the file.
    pub fn set_read_only(&mut self, read_only: bool) -> Result<()> {
        self.read_only = read_only;
        guard::authorize(&mut self.conn, self.actor.role, read_only)
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// What a worker thread needs to open its own connection acting for the same account.
    pub fn access(&self) -> Access {
        Access { path: self.path.clone(), actor: self.actor.clone(), read_only: self.read_only }
    }

    fn audit_context(&self) -> std::sync::MutexGuard<'_, AuditContext> {
        self.audit.lock().unwrap_or_else(PoisonError::into_inner)
    }

    below_the_window! {
        /// Runs bulk work (an import, the demo) in one transaction logged as one entry saying
        /// what it did, instead of an entry per row. The logging triggers are dropped for the
        /// work and made again before the commit, so no other connection ever sees them missing;
        /// dropping them takes the write lock at once, so other windows wait for the whole work.
        fn bulk<T>(
            &mut self,
            kind: &str,
            object: &str,
            work: impl FnOnce(&Connection) -> Result<T>,
            describe: impl FnOnce(&T) -> String,
        ) -> Result<T> {
            let actor = self.actor.clone();
            self.transaction(|conn| {
                audit::drop_triggers(conn)?;
                let value = work(conn)?;
                audit::install_triggers(conn)?;
                audit::record(conn, &actor, kind, object, &describe(&value))?;
                Ok(value)
            })
        }
    }

    below_the_window! {
        /// The connection, for the layers below the window (and tests and benches).
        fn conn(&self) -> &Connection {
            &self.conn
        }
    }

    below_the_window! {
        /// Runs `work` in one transaction: all of it is written, or none.
        fn transaction<T>(&mut self, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
            let tx = self.conn.transaction()?;
            let value = work(&tx)?;
            tx.commit()?;
            Ok(value)
        }
    }

    /// Copies the database to `out` with SQLite's online backup, safe while others write.
    /// An existing file is never overwritten.
    pub fn backup_to(&self, out: &Path) -> Result<()> {
        if out.exists() {
            return Err(Error::rejected(format!("备份文件“{}”已存在，请换一个文件名", out.display())));
        }
        crate::domain::access::require(self.actor.role, crate::domain::access::Action::Export)?;
        self.conn.backup(rusqlite::MAIN_DB, out, None::<fn(rusqlite::backup::Progress)>)?;
        audit::record(&self.conn, &self.actor, "备份", &out.display().to_string(), "")?;
        Ok(())
    }

    /// How much the file holds, for the status bar and the empty-database offer.
    pub fn counts(&self) -> Result<Counts> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM unit),
                    (SELECT count(*) FROM team WHERE dissolved_on IS NULL),
                    (SELECT count(*) FROM volunteer WHERE deleted_at IS NULL),
                    (SELECT count(*) FROM activity WHERE cancelled_at IS NULL)",
            [],
            |row| {
                Ok(Counts { units: row.get(0)?, teams: row.get(1)?, volunteers: row.get(2)?, activities: row.get(3)? })
            },
        )?)
    }
}

/// The file, the account and the mode of a store, to open another connection like it.
#[derive(Clone, Debug)]
pub struct Access {
    pub path: PathBuf,
    pub actor: Actor,
    pub read_only: bool,
}

impl Access {
    pub fn open(&self) -> Result<Store> {
        let mut store = open(&self.path)?;
        store.read_only = self.read_only;
        store.act_as(self.actor.clone())?;
        Ok(store)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub units: i64,
    pub teams: i64,
    pub volunteers: i64,
    pub activities: i64,
}

impl Counts {
    pub fn is_empty(&self) -> bool {
        *self == Counts::default()
    }
}
