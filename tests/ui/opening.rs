//! The window on a file written by an older program: the upgrade runs on a worker with a bar
//! saying the step, then the desk opens on the upgraded file (issue #25).

use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use volunteer_desk::store::{fixtures, migrations};
use volunteer_desk::ui::{Opening, fonts, strings as s};

#[test]
fn an_old_file_is_upgraded_behind_a_progress_bar_then_the_desk_opens() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("旧版.sqlite3");
    // Enough people that the upgrade outlasts a few frames.
    fixtures::version_16(&db, 20_000).expect("a version-16 file");
    let path = db.clone();
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_context_setup(fonts::install)
        .build_eframe(move |cc| Opening::start(&cc.egui_ctx, path));

    let mut steps_seen = Vec::new();
    for _ in 0..1_500 {
        harness.step();
        if !harness.state().is_opening() {
            break;
        }
        if let Some(node) = harness.query_by_label_contains("升级数据库 第 ") {
            let label = node.accesskit_node().label().unwrap_or_default().to_string();
            if steps_seen.last() != Some(&label) {
                steps_seen.push(label);
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!harness.state().is_opening(), "opened within the time allowed");
    harness.run_steps(3);
    assert!(!steps_seen.is_empty(), "the bar said a step while the file was upgraded");
    assert!(harness.query_by_label_contains(s::UPGRADING).is_none(), "the bar is gone");
    assert!(harness.state().app().is_some(), "the desk, not a failure");
    let raw = rusqlite::Connection::open(&db).expect("raw");
    assert_eq!(migrations::current_version(&raw).expect("version"), migrations::latest_version());
    let people: i64 = raw.query_row("SELECT count(*) FROM volunteer_sealed", [], |r| r.get(0)).expect("count");
    assert_eq!(people, 20_000);
}
