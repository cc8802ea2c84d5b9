//! 机关党员志愿服务管理 (volunteer-desk): the registry of a city's 机关 party-member volunteer
//! teams, their activities and hours, the 「好家风·好家训」 contest and the year-end assessment.
//!
//! Layers, with data flowing one way: `domain` (plain rules) ← `store` (SQLite) ← `io`
//! (Excel) ← `ui` (egui) and `cli` (headless subcommands).

pub use base::{cli, clock, demo, domain, error, io, keystore, output, paths, store};
pub mod ui;

/// Everything below the window. `ui` sits outside this module, so what the store keeps
/// `pub(in crate::base)` — its connection, its transactions — is out of the window's reach:
/// a `.conn()` in src/ui does not compile (docs/ARCHITECTURE.md). The files stay where they
/// are (`path = ""`); only the module tree nests them.
#[path = ""]
mod base {
    pub mod cli;
    pub mod clock;
    pub mod demo;
    pub mod domain;
    pub mod error;
    pub mod io;
    pub mod keystore;
    pub mod output;
    pub mod paths;
    pub mod store;
}

pub use error::{Error, Result};
