//! The files the window reads and writes. Each takes the store as it stands (acting for the
//! logged-in account) and what the screen has — ids, a path the user chose — so the
//! connection stays below the window. Each writer logs its own export once the file is in place.

use std::path::Path;

use chrono::NaiveDateTime;

use crate::domain::contest::Category;
use crate::error::Result;
use crate::io::guard::guarded;
use crate::io::import::{ImportPlan, Progress};
use crate::io::report::{ExportProgress, ExportSummary};
use crate::store::Store;
use crate::store::activities::ActivityRow;
use crate::store::certificates::Certificate;
use crate::store::contest::judges::LoginSlip;

/// The empty import template.
pub fn write_template(path: &Path) -> Result<()> {
    exporting(path, || crate::io::template::write_template(path))
}

/// The listed volunteers, in the order given; returns how many were written.
pub fn export_volunteer_list(store: &Store, path: &Path, ids: &[i64]) -> Result<usize> {
    exporting(path, || {
        let all = store.volunteers()?;
        let rows: Vec<_> = ids.iter().filter_map(|id| all.iter().find(|v| v.id == *id)).collect();
        crate::io::roster::write_volunteer_list(store.conn(), store.actor(), path, &rows)?;
        Ok(rows.len())
    })
}

/// An activity's roster, or its printable sign-in sheet.
pub fn export_roster(store: &Store, path: &Path, activity: &ActivityRow, sign_in_sheet: bool) -> Result<()> {
    exporting(path, || {
        let roster = store.roster(activity.id)?;
        if sign_in_sheet {
            crate::io::roster::write_sign_in_sheet(store.conn(), store.actor(), path, activity, &roster)
        } else {
            crate::io::roster::write_activity_roster(store.conn(), store.actor(), path, activity, &roster)
        }
    })
}

/// A certificate just issued.
pub fn write_certificate(store: &Store, path: &Path, certificate: &Certificate) -> Result<()> {
    exporting(path, || crate::io::certificate::write_certificate(store.conn(), store.actor(), path, certificate, false))
}

/// A certificate issued before, printed again and marked as such.
pub fn reprint_certificate(store: &Store, path: &Path, certificate: &Certificate) -> Result<()> {
    exporting(path, || crate::io::certificate::write_certificate(store.conn(), store.actor(), path, certificate, true))
}

/// The year's assessment workbook (run on a worker thread with its own store).
pub fn write_report(
    store: &Store,
    year: i32,
    path: &Path,
    today: chrono::NaiveDate,
    progress: &ExportProgress,
) -> Result<ExportSummary> {
    exporting(path, || crate::io::report::write_report(store.conn(), store.actor(), year, path, today, progress))
}

/// The category's contest record; the names of the sheets written.
pub fn export_contest_record(store: &Store, category: Category, path: &Path) -> Result<Vec<String>> {
    exporting(path, || crate::io::contest_export::write_contest_workbook(store.conn(), store.actor(), category, path))
}

/// The lists fit to publish that the category's stage allows, into `dir`, dated `today`.
pub fn export_contest_lists(
    store: &Store,
    category: Category,
    dir: &Path,
    today: chrono::NaiveDate,
) -> Result<Vec<std::path::PathBuf>> {
    crate::io::contest_lists::write_lists(store.conn(), store.actor(), category, dir, today)
}

/// One sealed ballot workbook per judge who has not voted, into `dir`; the files written.
pub fn export_ballot_workbooks(store: &Store, category: Category, dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    exporting(dir, || crate::io::ballot_workbook::export_ballots(store, category, dir))
}

/// Takes back every ballot workbook in `dir`, each checked on its own; ballots with no mark
/// are refused, listed for the clerk to confirm as abstentions.
pub fn take_back_ballot_workbooks(store: &Store, dir: &Path) -> Result<crate::io::ballot_workbook::ReturnSummary> {
    guarded(&format!("收回“{}”中的电子选票", dir.display()), || {
        let files = crate::io::ballot_workbook::ballot_files(dir)?;
        crate::io::ballot_workbook::take_back(store, &files, false)
    })
}

/// Takes back ballots with no mark that the clerk confirmed as the judges' abstentions.
pub fn take_back_abstentions(
    store: &Store,
    files: &[std::path::PathBuf],
) -> Result<crate::io::ballot_workbook::ReturnSummary> {
    guarded("收回确认弃权的电子选票", || crate::io::ballot_workbook::take_back(store, files, true))
}

/// The login slips just issued, to print and cut apart.
pub fn export_login_slips(store: &Store, path: &Path, slips: &[LoginSlip]) -> Result<()> {
    exporting(path, || crate::io::contest_export::write_login_slips(store.conn(), store.actor(), path, slips))
}

/// Reads and checks a workbook against the database, as of `now`, before anything is written.
pub fn preview_import(store: &Store, path: &Path, now: NaiveDateTime, progress: &Progress) -> Result<ImportPlan> {
    crate::io::import::preview_at(store, path, now, progress)
}

/// A photo the user chose: its file name and bytes, refused unless it is a JPEG or PNG within
/// the size and pixel limits (`io::untrusted`).
pub fn read_photo(path: &Path) -> Result<(String, Vec<u8>)> {
    let bytes = crate::io::untrusted::read_photo(path)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok((name, bytes))
}

/// An export in the window: a panic in it is refused in words, the file left unwritten.
fn exporting<T>(path: &Path, work: impl FnOnce() -> Result<T>) -> Result<T> {
    guarded(&format!("导出“{}”", path.display()), work)
}
