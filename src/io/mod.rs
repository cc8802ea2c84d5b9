//! Excel in and out: the import workbook of formats.md (reading with calamine), its empty
//! template (writing with rust_xlsxwriter), and the sheet/column schema both share.

pub mod ballot_workbook;
pub mod certificate;
pub mod contest_export;
pub mod contest_lists;
pub mod export;
pub mod guard;
pub mod import;
pub mod report;
pub mod roster;
pub mod sheets;
pub mod template;
pub mod text;
pub mod untrusted;
pub mod window;
