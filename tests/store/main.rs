//! The store, the importer, the report and the demo, driven through the library's API.
//! One binary with a module per area, so the test build links once (see shared/architecture.md).

#[path = "../common/mod.rs"]
mod common;

mod accounts;
mod activity_life;
mod audit;
mod backups;
mod ballot_secret;
mod ballot_workbooks;
mod calendar;
mod certificate;
mod contest;
mod contest_import;
mod contest_scale;
mod demo;
mod desk;
mod file_modes;
mod health;
mod import;
mod import_as_filled;
mod import_hours;
mod ledger;
mod ledger_properties;
mod ledger_upgrade;
mod login;
mod planted;
mod recalculation;
mod recruitment;
mod rekey;
mod report;
mod report_figures;
mod roles;
mod sealing;
mod store;
mod untrusted;
mod upgrade;
