//! The 日历 month view (issue #33): holidays named in their cells (国庆节, 中秋节, 除夕, 春节) and
//! 腊月 for the twelfth lunar month; a long activity name whole on hover at every text size
//! and wrapped at 特大; the toolbar's 类别 beside its list.

use crate::Settle as _;
use crate::common;
use crate::{choose_text_size, wait_for_work};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use volunteer_desk::demo::load_demo;
use volunteer_desk::store;
use volunteer_desk::ui::{App, TextSize, fonts, strings as s};

/// The demo's longest July name, on 2017-07-01 at 08:00.
const LONG_NAME: &str = "建党96周年党员志愿服务集中行动";
const CHIP: &str = "08:00 建党96周年党员志愿服务集中行动";

/// A laptop's window on `store`, showing `month` of `year`.
fn window(store: store::Store, year: i32, month: u32) -> Harness<'static, App> {
    let mut harness = crate::settled(
        Harness::builder().with_size([1280.0, 800.0]).with_context_setup(fonts::install).build_eframe(move |_cc| {
            let mut app = common::signed_in_app(store);
            app.set_clock(common::at("2017-06-01 09:00"));
            app.show_calendar_month(year, month);
            app
        }),
    );
    wait_for_work(&mut harness);
    harness
}

fn demo_july(dir: &tempfile::TempDir) -> Harness<'static, App> {
    let mut store = store::open(&dir.path().join("demo.sqlite3")).expect("open");
    load_demo(&mut store, common::at("2026-11-29 09:00")).expect("demo");
    window(store, 2017, 7)
}

fn small_text_size(harness: &Harness<'static, App>) -> f32 {
    egui::TextStyle::Small.resolve(&harness.ctx.global_style()).size
}

/// The whole name is in the chip's tooltip, beside the team and the sign-ups.
fn assert_whole_name_on_hover(harness: &mut Harness<'static, App>, what: &str) {
    harness.get_by_role_and_label(Role::Button, CHIP).hover();
    harness.settle();
    let tip = format!("{LONG_NAME}\n");
    assert!(harness.query_by_label_contains(&tip).is_some(), "{what}: the whole name on hover");
}

/// Each filter's label sits on its list's row, so the toolbar never wraps between them.
fn assert_labels_beside_their_lists(harness: &Harness<'static, App>, what: &str) {
    for label in [s::FILTER_UNIT, s::FILTER_TEAM, s::FILTER_CATEGORY] {
        let text = harness.get_by_role_and_label(Role::Label, label).rect();
        let list = harness.get_by_role_and_label(Role::ComboBox, label).rect();
        assert!(
            list.y_range().contains(text.center().y) && text.right() <= list.left(),
            "{what}: {label} at {text:?}, its list at {list:?}"
        );
    }
}

#[test]
fn at_extra_large_a_long_name_wraps_whole_and_the_toolbar_keeps_its_pairs() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = demo_july(&dir);
    choose_text_size(&mut harness, TextSize::ExtraLarge);
    let chip = harness.get_by_role_and_label(Role::Button, CHIP).rect();
    // Lines of small text, not one line cut to four characters.
    assert!(chip.height() >= 1.8 * small_text_size(&harness), "{chip:?} holds one line");
    let cell_width = (1280.0 - 8.0) / 7.0;
    assert!(chip.width() <= cell_width, "{chip:?} wider than its day");
    assert_whole_name_on_hover(&mut harness, "特大");
    assert_labels_beside_their_lists(&harness, "特大");
}

#[test]
fn at_standard_size_a_long_name_is_one_line_and_whole_on_hover() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = demo_july(&dir);
    assert_eq!(harness.state().text_size(), TextSize::Standard);
    let chip = harness.get_by_role_and_label(Role::Button, CHIP).rect();
    assert!(chip.height() < 2.0 * small_text_size(&harness), "{chip:?}: one line at 标准");
    assert_whole_name_on_hover(&mut harness, "标准");
    assert_labels_beside_their_lists(&harness, "标准");
}

#[test]
fn holidays_are_named_in_their_cells_and_the_twelfth_month_is_la_yue() {
    let dir = tempfile::tempdir().expect("dir");
    let org = common::org_at(&dir.path().join("c.sqlite3"), "市水利局", 57, "ZD-21", "水利局支队");
    let mut harness = window(org.store, 2017, 10);
    harness.get_by_label("国庆节");
    harness.get_by_label("中秋节");
    harness.get_by_label("重阳节");
    // The other days of the week off keep their lunar date and say why on hover.
    harness.get_by_label("国庆节").hover();
    harness.settle();
    harness.get_by_label("国庆节放假");

    harness.state_mut().show_calendar_month(2026, 2);
    harness.settle();
    harness.get_by_label("除夕");
    harness.get_by_label("春节");
    harness.state_mut().show_calendar_month(2026, 1);
    harness.settle();
    harness.get_by_label("元旦");
    harness.get_by_label("腊月");
    assert!(harness.query_by_label("十二月").is_none(), "腊月, not 十二月");
}

/// Every weekday's column within the window: the grid narrows again after 特大 (its header once
/// kept the widest column it had seen, and 周日 was cut at the window's edge).
#[test]
fn after_extra_large_the_week_fits_the_window_again() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = demo_july(&dir);
    for size in [TextSize::ExtraLarge, TextSize::Standard] {
        choose_text_size(&mut harness, size);
        // 2 July 2017 is a Sunday: its cell, a seventh of the width less the gaps, ends in the window.
        let day = harness.get_by_role_and_label(Role::Button, "2").rect();
        let cell = (1280.0 - 8.0 - 6.0 * 4.0) / 7.0;
        assert!(day.left() - 4.0 + cell <= 1280.0, "{size:?}: 周日 from {} on", day.left());
    }
}
