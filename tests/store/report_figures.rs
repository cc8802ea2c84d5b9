//! The dashboard's read of a year: the report's figures without a row per volunteer.

use chrono::NaiveDateTime;
use volunteer_desk::demo::load_demo;
use volunteer_desk::store::report::{year_figures, year_report};
use volunteer_desk::store::{self, Store};

fn demo(dir: &std::path::Path) -> Store {
    let now = NaiveDateTime::parse_from_str("2026-11-29 09:00", "%Y-%m-%d %H:%M").expect("time");
    let mut store = store::open(&dir.join("demo.sqlite3")).expect("open");
    load_demo(&mut store, now).expect("demo");
    store
}

#[test]
fn the_dashboards_figures_are_the_reports_without_the_people() {
    let dir = tempfile::tempdir().expect("dir");
    let store = demo(dir.path());
    let mut report = year_report(store.conn(), 2017).expect("report");
    let figures = year_figures(store.conn(), 2017).expect("figures");
    assert_eq!(report.volunteers.len(), 2319, "the workbook's read keeps every volunteer");
    assert!(figures.volunteers.is_empty());
    report.volunteers.clear();
    assert_eq!(figures, report, "every figure, team and activity the same");
}
