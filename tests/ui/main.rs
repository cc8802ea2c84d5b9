//! The window, driven headless through egui_kittest: click by Chinese label, type, and check
//! what changed in the store.

#[path = "../common/mod.rs"]
mod common;

mod app;
mod attendance;
mod calendar;
mod contest;
mod first_day;
mod fonts;
mod health;
mod layers;
mod registry;
mod reports;
