//! The row parsers, one per importable sheet. A later issue adds a sheet here: a module with
//! a `SheetParser` for it and one line in [`all`].

mod activities;
mod contest_ballots;
mod contest_judges;
mod contest_works;
mod grants;
mod refs;
mod sessions;
mod teams;
mod units;
mod volunteers;

use super::check::SheetParser;

/// A fresh parser for every sheet the importer can write.
pub(crate) fn all() -> Vec<Box<dyn SheetParser>> {
    vec![
        Box::<units::Units>::default(),
        Box::<teams::Teams>::default(),
        Box::<volunteers::Volunteers>::default(),
        Box::<activities::Activities>::default(),
        Box::<sessions::Sessions>::default(),
        Box::<grants::Grants>::default(),
        Box::<contest_works::Works>::default(),
        Box::<contest_judges::Judges>::default(),
        Box::<contest_ballots::Ballots>::default(),
    ]
}
