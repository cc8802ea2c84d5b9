//! The real window, driven through egui_kittest: tabs by their Chinese labels, the demo offer.

use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use volunteer_desk::store;
use volunteer_desk::ui::{App, Tab, TextSize, fonts, strings as s};

fn harness(path: &std::path::Path) -> Harness<'static, App> {
    let store = store::open(path).expect("open");
    Harness::builder()
        .with_size([1280.0, 800.0])
        .with_context_setup(fonts::install)
        .build_eframe(|_cc| App::new(store, None))
}

#[test]
fn each_tab_opens_by_its_chinese_label() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = harness(&dir.path().join("ui.sqlite3"));
    // The empty database offers the demo data first.
    harness.get_by_label(s::LOAD_DEMO);

    for tab in [Tab::Calendar, Tab::Attendance, Tab::Contest, Tab::Reports, Tab::Registry] {
        harness.get_by_label(tab.label()).click();
        harness.run();
        assert_eq!(harness.state().tab(), tab);
    }
}

#[test]
fn loading_the_demo_fills_the_status_bar() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("ui.sqlite3");
    let mut harness = harness(&path);
    harness.get_by_label(s::LOAD_DEMO).click();
    harness.run_steps(2);
    for _ in 0..600 {
        if !harness.state().is_busy() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.run();

    assert_eq!(harness.state().counts().volunteers, 2319);
    harness.get_by_label_contains("志愿者 2319 人");
    harness.get_by_label(s::DEMO_LOADED);
    // With data, a tab shows what it is for instead of the offer.
    harness.get_by_label(s::TAB_CONTEST).click();
    harness.run();
    assert!(harness.query_by_label(s::LOAD_DEMO).is_none());
    harness.get_by_label("「好家风·好家训」评选");
}

#[test]
fn text_size_can_be_raised() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = harness(&dir.path().join("ui.sqlite3"));
    harness.get_by_label(s::TEXT_SIZE).click();
    harness.run();
    harness.get_by_label(s::TEXT_SIZE_EXTRA_LARGE).click();
    harness.run();
    assert_eq!(harness.state().text_size(), TextSize::ExtraLarge);
    let body = harness.ctx.global_style().text_styles[&egui::TextStyle::Body].size;
    assert_eq!(body, 22.0);
}
