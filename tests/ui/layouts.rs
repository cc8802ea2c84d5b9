//! 特大 text on a laptop screen (1280×800, 1366×768): every tab button and every table's row
//! actions stay inside the window, on the demo data; the report year can be typed.

use crate::Settle as _;
use crate::common;
use crate::{choose_text_size, wait_for_work};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use volunteer_desk::demo::load_demo;
use volunteer_desk::store;
use volunteer_desk::ui::{App, Tab, TextSize, fonts, strings as s};

const LAPTOPS: [[f32; 2]; 2] = [[1280.0, 800.0], [1366.0, 768.0]];

/// The buttons a row of a table acts with.
const ROW_ACTIONS: [&str; 9] = [
    s::EDIT,
    s::DELETE,
    s::WITHDRAW,
    s::RESOLVE,
    s::CORRECT,
    s::RESET_PASSWORD,
    s::DISABLE,
    s::ENABLE,
    s::WITHDRAW_WORK,
];

/// The demo, logged in as its administrator, in a window of `size`, on the demo's July.
fn demo_harness(dir: &tempfile::TempDir, size: [f32; 2]) -> Harness<'static, App> {
    let mut store = store::open(&dir.path().join("demo.sqlite3")).expect("open");
    load_demo(&mut store, common::at("2026-11-29 09:00")).expect("demo");
    let mut harness = crate::settled(
        Harness::builder().with_size(size).with_context_setup(fonts::install).build_eframe(move |_cc| {
            let mut app = common::signed_in_app(store);
            app.set_clock(common::at("2017-07-01 09:00"));
            app
        }),
    );
    wait_for_work(&mut harness);
    harness
}

fn window(size: [f32; 2]) -> egui::Rect {
    egui::Rect::from_min_size(egui::Pos2::ZERO, size.into())
}

/// Every tab button lies inside the window and under none of the bar's other controls.
fn assert_tabs_inside(harness: &Harness<'static, App>, size: [f32; 2], what: &str) {
    let controls: Vec<egui::Rect> =
        [s::TEXT_SIZE, s::SWITCH_USER, s::LOCK].iter().map(|label| harness.get_by_label(label).rect()).collect();
    for tab in Tab::ALL {
        let button = harness.get_by_role_and_label(Role::Button, tab.label()).rect();
        assert!(window(size).contains_rect(button), "{what}: tab {} at {button:?} is outside the window", tab.label());
        for control in &controls {
            assert!(!control.intersects(button), "{what}: tab {} is covered by a control at {control:?}", tab.label());
        }
    }
}

/// Every row action on screen lies inside the window; returns how many there were.
fn assert_actions_inside(harness: &Harness<'static, App>, size: [f32; 2], what: &str) -> usize {
    let mut seen = 0;
    for label in ROW_ACTIONS {
        for node in harness.query_all_by_label(label) {
            let rect = node.rect();
            let across = rect.min.x >= 0.0 && rect.max.x <= size[0];
            assert!(across, "{what}: {label} at {rect:?} is outside the {}×{} window", size[0], size[1]);
            seen += 1;
        }
    }
    seen
}

fn open_tab(harness: &mut Harness<'static, App>, tab: Tab) {
    harness.get_by_role_and_label(Role::Button, tab.label()).click();
    wait_for_work(harness);
    assert_eq!(harness.state().tab(), tab);
}

fn click(harness: &mut Harness<'static, App>, label: &str) {
    harness.get_by_label(label).click();
    wait_for_work(harness);
}

/// Walks every tab and the tables with row actions, checking the tab buttons and the actions.
fn walk_every_table(harness: &mut Harness<'static, App>, size: [f32; 2]) {
    let what = format!("{}×{} in {}", size[0], size[1], harness.state().text_size().label());
    assert_tabs_inside(harness, size, &what);

    open_tab(harness, Tab::Registry);
    click(harness, "ZY00001");
    assert!(assert_actions_inside(harness, size, &what) >= 2, "{what}: 编辑 and 删除 of the selected volunteer");

    open_tab(harness, Tab::Calendar);
    click(harness, s::LIST_VIEW);
    harness.get_all_by_role(Role::Link).next().expect("an activity of July").click();
    wait_for_work(harness);
    assert!(assert_actions_inside(harness, size, &what) >= 1, "{what}: 退出 on the activity's roster");
    harness.key_press(egui::Key::Escape);
    harness.settle();

    open_tab(harness, Tab::Attendance);
    harness.get_by_label_contains(s::SECTION_OPEN).click();
    wait_for_work(harness);
    assert_actions_inside(harness, size, &what);
    click(harness, s::SECTION_LEDGER);
    harness.get_by_label(s::LEDGER_OF_ACTIVITY).click();
    harness.settle();
    harness.get_all_by_label_contains("建党96周年").next().expect("the July 1st activity").click();
    wait_for_work(harness);
    assert!(assert_actions_inside(harness, size, &what) >= 1, "{what}: 更正 in the activity's ledger");

    open_tab(harness, Tab::Contest);
    for section in [s::CONTEST_WORKS, s::CONTEST_JUDGES, s::CONTEST_TALLY, s::CONTEST_FINAL, s::CONTEST_PUBLICITY] {
        click(harness, section);
        assert_actions_inside(harness, size, &what);
    }

    open_tab(harness, Tab::Reports);
    assert_tabs_inside(harness, size, &what);

    open_tab(harness, Tab::System);
    click(harness, s::ACCOUNTS);
    assert!(assert_actions_inside(harness, size, &what) >= 2, "{what}: 重置密码 and 停用 of the accounts");
    assert_tabs_inside(harness, size, &what);
}

#[test]
fn extra_large_text_keeps_every_tab_and_row_action_inside_a_laptop_window() {
    for size in LAPTOPS {
        let dir = tempfile::tempdir().expect("dir");
        let mut harness = demo_harness(&dir, size);
        choose_text_size(&mut harness, TextSize::ExtraLarge);
        walk_every_table(&mut harness, size);
    }
}

#[test]
fn the_other_text_sizes_keep_every_tab_inside_a_laptop_window() {
    for size in LAPTOPS {
        let dir = tempfile::tempdir().expect("dir");
        let mut harness = demo_harness(&dir, size);
        for text_size in [TextSize::Standard, TextSize::Large] {
            choose_text_size(&mut harness, text_size);
            let what = format!("{}×{} in {}", size[0], size[1], text_size.label());
            for tab in Tab::ALL {
                open_tab(&mut harness, tab);
                assert_tabs_inside(&harness, size, &what);
            }
        }
    }
}

#[test]
fn the_report_year_is_typed_over_and_taken_on_enter() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = demo_harness(&dir, [1280.0, 800.0]);
    open_tab(&mut harness, Tab::Reports);
    harness.get_by_label("2017年全年概况");
    let year = harness.get_by_role_and_label(Role::SpinButton, s::REPORT_YEAR);
    year.focus();
    harness.settle();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_role_and_label(Role::SpinButton, s::REPORT_YEAR).type_text("20");
    wait_for_work(&mut harness);
    // Half typed, the year in view has not jumped to the range's start.
    harness.get_by_label("2017年全年概况");
    harness.get_by_role_and_label(Role::SpinButton, s::REPORT_YEAR).type_text("26");
    harness.key_press(egui::Key::Enter);
    wait_for_work(&mut harness);
    harness.get_by_label("2026年全年概况");
    assert!(harness.query_by_label("2017年全年概况").is_none());
}

#[test]
fn a_long_status_message_wraps_inside_the_window() {
    let size = [1280.0, 800.0];
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = demo_harness(&dir, size);
    choose_text_size(&mut harness, TextSize::ExtraLarge);
    let message = "导入失败：第 12 行“身份证号”与第 3 行重复，".repeat(4) + "请改正后再导入。";
    harness.state_mut().show_error(message.clone());
    harness.settle();
    let rect = harness.get_by_label(&message).rect();
    assert!(window(size).contains_rect(rect), "the message at {rect:?} runs past the window");
    assert!(rect.height() > 1.5 * 22.0, "the message goes on to a second line");
}
