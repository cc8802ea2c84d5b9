//! The wall clock, read in this one place (clippy's `disallowed-methods` keeps it so). The
//! window reads it through `ui::clock`, where a test can fix the time instead; the command
//! line and the import's default "now" read it here.

use chrono::{NaiveDate, NaiveDateTime, Timelike as _};

/// Local time, to the second.
#[allow(clippy::disallowed_methods)]
pub fn now() -> NaiveDateTime {
    let now = chrono::Local::now().naive_local();
    now.with_nanosecond(0).unwrap_or(now)
}

pub fn today() -> NaiveDate {
    now().date()
}
