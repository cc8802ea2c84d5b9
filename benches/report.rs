//! The assessment workbook at scale: `cargo bench --bench report`. 100,000 volunteers in 50
//! units and their teams, 1,000 activities, 1,000,000 sessions and 100,000 honour grants
//! (setup with plain SQL; the schema's triggers store each session's credit), then:
//! the year's report read from the store, the workbook written by `io::report`, the same
//! cells written with bare rust_xlsxwriter (no formats, widths or formulas), and the whole
//! `write_report` as the window and the command line run it. Figures are in BENCHMARKS.md.

use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{Workbook, Worksheet};
use volunteer_desk::domain::Minutes;
use volunteer_desk::io::export::save_workbook;
use volunteer_desk::io::report::{ExportProgress, ranked_units, report_workbook, write_report};
use volunteer_desk::store;
use volunteer_desk::store::report::{Figures, YearReport, year_report};
use volunteer_desk::store::stats::year_stats;

mod common;
use common::hundredfold::{GRANTS, SESSIONS_EACH, VOLUNTEERS, setup};
use common::{Took, best_of, timed};

const RUNS: usize = 3;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    // REPORT_BENCH_DB=FILE keeps the generated database between runs (made when missing).
    let kept = std::env::var_os("REPORT_BENCH_DB").map(std::path::PathBuf::from);
    let db = kept.clone().unwrap_or_else(|| dir.path().join("report.sqlite3"));
    let fresh = !db.exists();
    let mut store = store::open(&db).expect("open");
    if fresh {
        let (_, took) = timed(|| setup(&mut store));
        let sessions = VOLUNTEERS * SESSIONS_EACH;
        println!("setup: {VOLUNTEERS} volunteers, {sessions} sessions, {GRANTS} grants  {took}");
    }
    let (_, took) = timed(|| year_stats(store.conn(), 2017).expect("stats"));
    println!("year_stats 2017, for comparison (the report sums its units instead)  {took}");
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");

    let (report, read) = best_of(RUNS, || year_report(store.conn(), 2017).expect("report"));
    println!(
        "year_report 2017 ({} units, {} teams, {} activities, {} volunteers, credit {} h)  {read}",
        report.units.len(),
        report.teams.len(),
        report.activities.len(),
        report.volunteers.len(),
        report.city.credit,
    );

    let ours = dir.path().join("ours.xlsx");
    let bare = dir.path().join("bare.xlsx");
    let (mut write_ours, mut write_bare) = (Took::NEVER, Took::NEVER);
    // Alternate the two so a busy moment of the machine does not favour one.
    for _ in 0..RUNS {
        let (_, t) = timed(|| {
            let mut book = report_workbook(&report, "市直机关工委", today, &ExportProgress::new()).expect("workbook");
            save_workbook(&mut book, &ours, None).expect("save");
        });
        write_ours = write_ours.faster(t);
        let (_, t) = timed(|| write_bare_cells(&report, &bare));
        write_bare = write_bare.faster(t);
    }
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len() as f64 / 1e6).unwrap_or_default();
    println!("io::report::report_workbook + save ({:.1} MB)  {write_ours}", size(&ours));
    println!("bare rust_xlsxwriter, the same cells ({:.1} MB)  {write_bare}", size(&bare));
    println!("writing, ours / bare: {}", write_ours.ratio(write_bare));

    let whole = dir.path().join("whole.xlsx");
    let (_, t) = best_of(RUNS, || {
        write_report(store.conn(), store.actor(), 2017, &whole, today, &ExportProgress::new()).expect("write_report")
    });
    println!("write_report: read the store and write the workbook (target < 10 s)  {t}");
    println!("whole export / bare writing: {}", t.ratio(write_bare));
    println!("(load average at the end: {})", std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim());
}

/// The cells of every sheet, as values only, in rust_xlsxwriter's default (in-memory) sheets.
fn write_bare_cells(report: &YearReport, path: &Path) {
    let mut book = Workbook::new();
    // Compressed as `report_workbook` compresses, so the two differ only in what they write.
    book.set_zip_compression_level(3);
    let sheet = book.add_worksheet();
    for (row, (rank, i)) in ranked_units(report).into_iter().enumerate() {
        let u = &report.units[i];
        let r = row as u32 + 7;
        num(sheet, r, 0, rank as f64);
        text(sheet, r, 1, &u.name);
        num(sheet, r, 3, u.party_members as f64);
        num(sheet, r, 5, u.registration_rate().unwrap_or_default());
        figures(sheet, r, 2, &u.figures);
    }
    let sheet = book.add_worksheet();
    for (row, t) in report.teams.iter().enumerate() {
        let r = row as u32 + 3;
        text(sheet, r, 0, &t.code);
        text(sheet, r, 1, &t.name);
        text(sheet, r, 2, &t.kind);
        text(sheet, r, 3, &t.unit_name);
        figures(sheet, r, 4, &t.figures);
    }
    let sheet = book.add_worksheet();
    for (row, a) in report.activities.iter().enumerate() {
        let r = row as u32 + 3;
        for (c, s) in [&a.code, &a.name, &a.team_name, &a.unit_name, &a.category, &a.mode, &a.starts_at, &a.ends_at]
            .into_iter()
            .enumerate()
        {
            text(sheet, r, c as u16, s);
        }
        for (c, n) in [a.capacity.unwrap_or(0), a.signed_up, a.waiting, a.attended].into_iter().enumerate() {
            num(sheet, r, 8 + c as u16, n as f64);
        }
        hours(sheet, r, 12, [a.hours.credit, a.hours.honor, a.hours.total()]);
    }
    let sheet = book.add_worksheet();
    for (row, v) in report.volunteers.iter().enumerate() {
        let r = row as u32 + 3;
        num(sheet, r, 0, row as f64 + 1.0);
        text(sheet, r, 1, &v.code);
        text(sheet, r, 2, &v.name);
        text(sheet, r, 3, &v.gender);
        text(sheet, r, 4, &v.unit_name);
        text(sheet, r, 5, &v.team_name);
        text(sheet, r, 6, &v.id_masked);
        text(sheet, r, 7, &v.phone_masked);
        hours(sheet, r, 8, [v.hours.credit, v.hours.honor, v.hours.total()]);
        text(sheet, r, 11, if v.hours.total() >= report.threshold { "是" } else { "否" });
    }
    let sheet = book.add_worksheet();
    for (row, u) in report.july.iter().enumerate() {
        let r = row as u32 + 3;
        text(sheet, r, 0, &u.name);
        for (c, n) in
            [u.concentrated, u.dispersed, u.concentrated + u.dispersed, u.participants].into_iter().enumerate()
        {
            num(sheet, r, 1 + c as u16, n as f64);
        }
        hours(sheet, r, 5, [u.hours.credit, u.hours.honor, u.hours.total()]);
    }
    let sheet = book.add_worksheet();
    for (m, h) in report.months.iter().enumerate() {
        hours(sheet, 3 + m as u32, 1, [h.credit, h.honor, h.total()]);
    }
    book.save(path).expect("save bare");
}

fn figures(sheet: &mut Worksheet, r: u32, first: u16, f: &Figures) {
    let counts =
        [f.teams, f.registered, f.participants, f.activities(), f.concentrated, f.dispersed, f.july_activities];
    for (c, n) in counts.into_iter().enumerate() {
        num(sheet, r, first + c as u16, n as f64);
    }
    hours(sheet, r, first + 7, [f.hours.credit, f.hours.honor, f.hours.total()]);
    num(sheet, r, first + 10, f.hours_per_volunteer().unwrap_or_default());
    num(sheet, r, first + 11, f.meeting_threshold as f64);
    num(sheet, r, first + 12, f.threshold_share().unwrap_or_default());
}

fn text(sheet: &mut Worksheet, r: u32, c: u16, s: &str) {
    sheet.write_string(r, c, s).expect("cell");
}

fn num(sheet: &mut Worksheet, r: u32, c: u16, n: f64) {
    sheet.write_number(r, c, n).expect("cell");
}

fn hours(sheet: &mut Worksheet, r: u32, first: u16, values: [Minutes; 3]) {
    for (c, m) in values.into_iter().enumerate() {
        num(sheet, r, first + c as u16, m.0 as f64 / 60.0);
    }
}
