//! Copies of the database: a backup written row by row with `VACUUM INTO`, and SQLite's
//! online backup with a bound (it can wait for a busy file, never spin on one) for restoring
//! one and for copying a damaged file as it is.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};

use super::BUSY_WAIT;
use crate::error::{DbProblem, Error, Result};

/// How long to sleep between tries while the source is busy.
const RETRY_PAUSE: Duration = Duration::from_millis(50);

/// Copies `source` into the (new, empty) file at `dest`, written afresh by `VACUUM INTO`: the
/// rows, and none of the free pages or the free space in pages, where an upgrade whose page
/// rewrite was put off (another window reading, a full disk), or rows deleted before
/// `secure_delete`, may still hold clear numbers (issue #26). A damaged source cannot be read
/// row by row: it is copied page by page as it is, damage included, since the safety copy
/// before a restore may be all there is of the latest work (a backup of it is refused before).
pub(crate) fn copy_database(source: &Connection, dest: &Path) -> Result<()> {
    match write_afresh(source, dest) {
        Err(err) if matches!(err.problem(), Some(DbProblem::Damaged(_))) => {
            // Whatever the failed rewrite left is dropped first.
            std::fs::File::create(dest).map_err(|e| Error::file(dest, e))?;
            copy_pages(source, dest)
        }
        done => done,
    }
}

/// `VACUUM INTO`, the program's own statement: the authorizer refuses it to every role outside
/// [`super::guard::maintaining`].
fn write_afresh(source: &Connection, dest: &Path) -> Result<()> {
    let dest_text =
        dest.to_str().ok_or_else(|| Error::rejected(format!("路径“{}”含有无法识别的字符", dest.display())))?;
    super::guard::maintaining(|| source.execute("VACUUM INTO ?1", [dest_text]))?;
    Ok(())
}

/// Copies every page of `source` into the (empty) file at `dest`.
fn copy_pages(source: &Connection, dest: &Path) -> Result<()> {
    let mut target = Connection::open(dest)?;
    super::distrust_schema(&target)?;
    // The copy is discarded if anything fails, so it needs no journal (and leaves none).
    target.pragma_update(None, "journal_mode", "OFF")?;
    copy_all(source, &mut target)?;
    target.close().map_err(|(_, e)| Error::from(e))
}

/// Replaces every page of `target` with those of `source` in one step, which holds one read
/// snapshot so no writer can make it start over. Busy or locked is retried for
/// [`BUSY_WAIT`], then refused. Copying a few pages a step instead spun for ever on a source
/// whose `-shm` is read-only: each step opened a new read transaction, SQLite rebuilt its
/// private wal-index, took the file as changed and restarted the copy from page 1.
pub(crate) fn copy_all(source: &Connection, target: &mut Connection) -> Result<()> {
    let backup = Backup::new(source, target)?;
    let deadline = Instant::now() + BUSY_WAIT;
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More | StepResult::Busy | StepResult::Locked if Instant::now() < deadline => {
                std::thread::sleep(RETRY_PAUSE);
            }
            _ => return Err(Error::Database { path: None, problem: DbProblem::Busy }),
        }
    }
}
