//! The built binary run as a child process, as scripts and staff run it.

#[path = "../common/mod.rs"]
mod common;

mod ballots;
mod commands;
mod contest_export;
mod faults;
mod keys;
mod packaging;
mod papers;
mod restore;
mod untrusted;
