//! 机关党员志愿服务管理 (volunteer-desk): the registry of a city's 机关 party-member volunteer
//! teams, their activities and hours, the 「好家风·好家训」 contest and the year-end assessment.
//!
//! Layers, with data flowing one way: `domain` (plain rules) ← `store` (SQLite) ← `io`
//! (Excel) ← `ui` (egui) and `cli` (headless subcommands).

pub mod cli;
pub mod demo;
pub mod domain;
pub mod error;
pub mod io;
pub mod output;
pub mod paths;
pub mod store;
pub mod ui;

pub use error::{Error, Result};
