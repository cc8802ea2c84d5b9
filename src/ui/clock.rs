//! The one clock of the window. The app puts the time it acts at (the wall clock, or the time
//! a test fixed with `App::set_clock`) into the egui context at the start of each frame;
//! drawing code that needs "today" reads it from there, commands get it in `TabContext::now`.

use chrono::{NaiveDate, NaiveDateTime};

fn key() -> egui::Id {
    egui::Id::unique("volunteer-desk-clock")
}

/// The time this frame acts at.
pub fn set(ctx: &egui::Context, now: NaiveDateTime) {
    ctx.data_mut(|d| d.insert_temp(key(), now));
}

pub fn now(ctx: &egui::Context) -> NaiveDateTime {
    ctx.data(|d| d.get_temp(key())).unwrap_or_else(wall)
}

pub fn today(ctx: &egui::Context) -> NaiveDate {
    now(ctx).date()
}

/// The wall clock, when no test fixed the time.
pub fn wall() -> NaiveDateTime {
    crate::clock::now()
}
