//! Excel in and out.

pub mod roster;
