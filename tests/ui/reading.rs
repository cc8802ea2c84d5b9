//! Tabs read on a worker (#28): the frame draws while a read runs, saying 正在读取… where
//! nothing was read yet, and a read that fails says why in the status bar.

use crate::Settle as _;
use crate::common;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use volunteer_desk::ui::{App, fonts, strings as s};

fn harness_with(app: App) -> Harness<'static, App> {
    crate::settled(
        Harness::builder().with_size([1280.0, 800.0]).with_context_setup(fonts::install).build_eframe(|_cc| app),
    )
}

#[test]
fn a_tab_draws_reading_while_its_data_is_read_and_shows_it_once_there() {
    let dir = tempfile::tempdir().expect("dir");
    let org = common::org_at(&dir.path().join("r.sqlite3"), "市民政局", 47, "ZD-13", "民政局支队");
    org.volunteer(org.detachment, "ZY00001", "张三", "33038119790101123", "13700000000");
    let mut harness = harness_with(common::signed_in_app(org.store));
    harness.get_by_label_contains("张三");
    harness.get_by_role_and_label(Role::Button, s::TAB_ATTENDANCE).click();
    // The first frame that draws 签到 is the one that starts its read: it cannot have the data.
    let mut reading_frame = None;
    for frame in 0..2 {
        harness.step();
        if harness.query_by_label(s::READING).is_some() {
            reading_frame = Some(frame);
            assert!(harness.query_by_label(s::DESK_ACTIVITY).is_none(), "no data on the frame that reads");
            break;
        }
    }
    assert!(reading_frame.is_some(), "正在读取… on a frame while the read ran");
    harness.settle();
    assert!(harness.query_by_label(s::READING).is_none());
    harness.get_by_role_and_label(Role::ComboBox, s::DESK_ACTIVITY);
}

#[test]
fn a_read_that_fails_says_why_in_the_status_bar() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("r.sqlite3");
    let org = common::org_at(&path, "市民政局", 47, "ZD-13", "民政局支队");
    let app = common::signed_in_app(org.store);
    // Planted after the window opened the file: the worker's own connection refuses it.
    let raw = rusqlite::Connection::open(&path).expect("raw");
    raw.execute_batch("CREATE VIEW planted AS SELECT 1").expect("plant");
    let mut harness = harness_with(app);
    harness.settle();
    harness.get_by_label_contains("数据库中有不是本程序创建的对象");
    assert!(harness.query_by_label(s::READING).is_none(), "a failed read is not said to be running");
}
