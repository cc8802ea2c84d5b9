//! SQLite's online backup with a bound: it can wait for a busy file, never spin on one.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};

use super::BUSY_WAIT;
use crate::error::{DbProblem, Error, Result};

/// How long to sleep between tries while the source is busy.
const RETRY_PAUSE: Duration = Duration::from_millis(50);

/// Copies every page of `source` into the (new, empty) file at `dest` in one step, which
/// holds one read snapshot so no writer can make it start over. Busy or locked is retried
/// for [`BUSY_WAIT`], then refused: a source that stays busy (another program's lock) can
/// no longer keep the copy spinning.
pub(crate) fn copy_database(source: &Connection, dest: &Path) -> Result<()> {
    let mut target = Connection::open(dest)?;
    // The copy is discarded if anything fails, so it needs no journal (and leaves none).
    target.pragma_update(None, "journal_mode", "OFF")?;
    let backup = Backup::new(source, &mut target)?;
    let deadline = Instant::now() + BUSY_WAIT;
    loop {
        match backup.step(-1)? {
            StepResult::Done => break,
            StepResult::More | StepResult::Busy | StepResult::Locked if Instant::now() < deadline => {
                std::thread::sleep(RETRY_PAUSE);
            }
            _ => return Err(Error::Database { path: None, problem: DbProblem::Busy }),
        }
    }
    drop(backup);
    target.close().map_err(|(_, e)| Error::from(e))
}
