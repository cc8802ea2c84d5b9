//! The row parsers, one per importable sheet. A later issue adds a sheet here: a module with
//! a `SheetParser` for it and one line in [`all`].

mod teams;
mod units;
mod volunteers;

use super::check::SheetParser;

/// A fresh parser for every sheet the importer can write.
pub(crate) fn all() -> Vec<Box<dyn SheetParser>> {
    vec![Box::<units::Units>::default(), Box::<teams::Teams>::default(), Box::<volunteers::Volunteers>::default()]
}
