//! SQLite's online backup with a bound: it can wait for a busy file, never spin on one.
//! Used for backups and for restoring one.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};

use super::BUSY_WAIT;
use crate::error::{DbProblem, Error, Result};

/// How long to sleep between tries while the source is busy.
const RETRY_PAUSE: Duration = Duration::from_millis(50);

/// Copies every page of `source` into the (new, empty) file at `dest`.
pub(crate) fn copy_database(source: &Connection, dest: &Path) -> Result<()> {
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
