//! The SQLite store: opening the file, the schema, and one module per aggregate.

pub mod activities;
pub mod attendance;
pub mod certificates;
pub mod import;
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

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// An open database file, migrated to the schema this program writes.
pub struct Store {
    conn: Connection,
    path: PathBuf,
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
    migrations::migrate_to(&mut conn, supported)?;
    Ok(Store { conn, path: path.to_path_buf() })
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

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `work` in one transaction: all of it is written, or none.
    pub fn transaction<T>(&mut self, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction()?;
        let value = work(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Copies the database to `out` with SQLite's online backup, safe while others write.
    /// An existing file is never overwritten.
    pub fn backup_to(&self, out: &Path) -> Result<()> {
        if out.exists() {
            return Err(Error::rejected(format!("备份文件“{}”已存在，请换一个文件名", out.display())));
        }
        self.conn.backup(rusqlite::MAIN_DB, out, None::<fn(rusqlite::backup::Progress)>)?;
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
