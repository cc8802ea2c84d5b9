//! Plain types and rules of the domain: no egui, no SQL, no I/O.

pub mod access;
pub mod activity_life;
pub mod calendar;
pub mod contest;
pub mod hours;
pub mod identity;
pub mod input;
pub mod limits;
pub mod password;
pub mod search;
pub mod team;

pub use hours::Minutes;
pub use team::{ServiceMode, TeamKind};

use chrono::{NaiveDate, NaiveDateTime};

/// How times are written in the store, in workbooks and on screen: whole minutes.
pub const MINUTE_FORMAT: &str = "%Y-%m-%d %H:%M";
pub const DATE_FORMAT: &str = "%Y-%m-%d";

pub fn format_minute(time: NaiveDateTime) -> String {
    time.format(MINUTE_FORMAT).to_string()
}

pub fn format_date(date: NaiveDate) -> String {
    date.format(DATE_FORMAT).to_string()
}
