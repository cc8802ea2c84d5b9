//! Saving a workbook the one way every writer does: refused over a database or in its 备份
//! folder, written whole through a temporary file (`crate::output`), and logged as an export
//! only once it is in place. A failed export leaves no file and no log entry.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Workbook, XlsxError};

use crate::domain::access::{Action, require};
use crate::error::{Error, Result};
use crate::output::{self, Existing};
use crate::store::{Actor, audit, logged_late};

/// Refuses, before any work, an account that may not take data out of the program.
pub fn may_export(actor: &Actor) -> Result<()> {
    require(actor.role, Action::Export)
}

/// Saves `workbook` whole at `path`, replacing a file the user chose to overwrite but never
/// a database, its companions or (when `database` is given) a file in its 备份 folder.
pub fn save_workbook(workbook: &mut Workbook, path: &Path, database: Option<&Path>) -> Result<()> {
    output::refuse_protected(path, database)?;
    let bytes = workbook.save_to_buffer().map_err(|e| unwritable(path, e))?;
    output::write_bytes(path, database, Existing::Replace, &bytes)
}

/// Saves `workbook` at `path` and logs the export of `what` by `actor` once it is there. A
/// database that may not be written (a CD) cannot hold the entry; the export still works.
pub fn export_workbook(
    conn: &rusqlite::Connection,
    actor: &Actor,
    what: &str,
    workbook: &mut Workbook,
    path: &Path,
) -> Result<()> {
    may_export(actor)?;
    save_workbook(workbook, path, database_of(conn).as_deref())?;
    log_export(conn, actor, what, path)
}

/// Logs an export that is in place; said plainly if the entry cannot be written.
pub fn log_export(conn: &rusqlite::Connection, actor: &Actor, what: &str, path: &Path) -> Result<()> {
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
        return Ok(());
    }
    audit::record(conn, actor, "导出", what, &path.display().to_string()).map_err(|e| logged_late(path, e))
}

/// The file of the connection's main database; none for one in memory.
pub fn database_of(conn: &rusqlite::Connection) -> Option<PathBuf> {
    conn.path().filter(|p| !p.is_empty()).map(PathBuf::from)
}

fn unwritable(path: &Path, e: XlsxError) -> Error {
    match e {
        XlsxError::IoError(io) => Error::file(path, io),
        other => Error::rejected(format!("生成“{}”失败：{other}，未保存。", path.display())),
    }
}
