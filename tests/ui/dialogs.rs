//! Dialogs: a confirmation opens centred in the window and Esc closes it without acting; where
//! no native file dialog can open, a typed path is used and its folder offered next time; the
//! next user at the desk does not find the last one's status line.

use crate::Settle as _;
use crate::common;

use egui::accesskit::Role as A11y;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use std::path::PathBuf;
use volunteer_desk::domain::contest::{Category, RoundState};
use volunteer_desk::store::contest::works::{NewWork, add_work};
use volunteer_desk::store::contest::{set_rules, state};
use volunteer_desk::store::{self, Actor};
use volunteer_desk::ui::dialogs::FileDialogs;
use volunteer_desk::ui::{App, fonts, strings as s};

const SIZE: [f32; 2] = [1280.0, 800.0];

fn harness_with(app: App) -> Harness<'static, App> {
    crate::settled(Harness::builder().with_size(SIZE).with_context_setup(fonts::install).build_eframe(|_cc| app))
}

fn click(harness: &mut Harness<'static, App>, label: &str) {
    harness.get_by_role_and_label(A11y::Button, label).click();
    harness.settle();
}

/// A unit with two mottos handed in: the contest is collecting and may start screening.
fn collecting(path: &std::path::Path) -> store::Store {
    let org = common::org_at(path, "城南街道党工委", 40, "ZD-01", "城南支队");
    let (conn, admin) = (org.store.conn(), Actor::command_line());
    set_rules(conn, &admin, Category::Motto, &Category::Motto.default_rules()).expect("rules");
    for (i, content) in ["勤俭持家久，诗书继世长", "清清白白做人，干干净净做事"].into_iter().enumerate()
    {
        let work = NewWork {
            code: None,
            category: Category::Motto,
            title: String::new(),
            content: content.into(),
            author: format!("作者{i}"),
            author_phone: "13857700123".into(),
            unit_id: org.unit,
            submitted_on: common::date("2017-06-01"),
        };
        add_work(conn, &admin, &work).expect("work");
    }
    org.store
}

/// The rectangle of the dialog on top of everything else, if one is open.
fn top_dialog(harness: &Harness<'static, App>) -> Option<egui::Rect> {
    harness.ctx.memory(|m| m.top_modal_layer().and_then(|layer| m.area_rect(layer.id)))
}

#[test]
fn a_contest_confirmation_opens_centred_and_esc_closes_it_without_acting() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("contest.sqlite3");
    let mut harness = harness_with(common::signed_in_app(collecting(&path)));
    click(&mut harness, s::TAB_CONTEST);
    click(&mut harness, s::CONTEST_ROUNDS);
    click(&mut harness, s::START_SCREENING);
    harness.get_by_role_and_label(A11y::Button, s::CONFIRM);

    let rect = top_dialog(&harness).expect("a dialog is open");
    let centre = egui::pos2(SIZE[0] / 2.0, SIZE[1] / 2.0);
    assert!((rect.center() - centre).length() < 2.0, "dialog at {rect:?}, window centre {centre:?}");

    harness.key_press(egui::Key::Escape);
    harness.settle();
    assert!(harness.query_by_role_and_label(A11y::Button, s::CONFIRM).is_none(), "Esc closed the confirmation");
    let store = store::open(&path).expect("open");
    assert_eq!(state(store.conn(), Category::Motto).expect("state"), RoundState::Collecting, "nothing was done");

    // Asked again, the confirmation acts.
    click(&mut harness, s::START_SCREENING);
    click(&mut harness, s::CONFIRM);
    assert_eq!(state(store.conn(), Category::Motto).expect("state"), RoundState::Screening);
}

#[test]
fn the_next_user_finds_the_status_line_empty() {
    let dir = tempfile::tempdir().expect("dir");
    let store = common::org_at(&dir.path().join("desk.sqlite3"), "市财政局", 80, "ZD-01", "财政局支队").store;
    let mut app = common::signed_in_app(store);
    app.show_error("张三的编号与已有志愿者重复".to_string());
    let mut harness = harness_with(app);
    harness.get_by_label("张三的编号与已有志愿者重复");
    click(&mut harness, s::SWITCH_USER);
    harness.get_by_label(s::SWITCH_USER_NOTE);
    assert!(harness.query_by_label("张三的编号与已有志愿者重复").is_none(), "the last user's message stays");
}

/// A Linux desktop with neither a portal nor zenity: no native dialog can open.
struct NoNativeDialogs;

impl FileDialogs for NoNativeDialogs {
    fn open_workbook(&self) -> Option<PathBuf> {
        None
    }
    fn save_workbook(&self, _file_name: &str) -> Option<PathBuf> {
        None
    }
    fn open_photo(&self) -> Option<PathBuf> {
        None
    }
    fn can_open(&self) -> bool {
        false
    }
}

fn typed_path(harness: &Harness<'static, App>) -> String {
    let field = harness.get_by_role_and_label(A11y::TextInput, s::FILE_PATH);
    field.accesskit_node().value().expect("the field's text")
}

fn replace_path(harness: &mut Harness<'static, App>, path: &std::path::Path) {
    harness.get_by_role_and_label(A11y::TextInput, s::FILE_PATH).focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.settle();
    harness.get_by_role_and_label(A11y::TextInput, s::FILE_PATH).type_text(&path.display().to_string());
    harness.settle();
}

#[test]
fn without_a_native_dialog_a_typed_path_is_used_and_its_folder_offered_again() {
    let dir = tempfile::tempdir().expect("dir");
    let org = common::org_at(&dir.path().join("desk.sqlite3"), "市财政局", 80, "ZD-01", "财政局支队");
    org.volunteer(org.detachment, "ZY00001", "张三", "33038119800101123", "13812345678");
    let app = common::signed_in_app(org.store).with_dialogs(Box::new(NoNativeDialogs));
    let mut harness = harness_with(app);

    click(&mut harness, s::EXPORT_LIST);
    harness.get_by_label(s::TYPE_A_PATH);
    assert!(harness.query_by_label(s::CANCELLED).is_none(), "not taken for a cancel");
    assert_eq!(typed_path(&harness), "志愿者名单.xlsx", "the suggested name, no folder yet");
    // A bare name says where? The dialog asks for the whole path.
    click(&mut harness, s::CONFIRM);
    harness.get_by_label_contains("请输入完整路径");

    let folder = dir.path().join("导出");
    std::fs::create_dir(&folder).expect("folder");
    let first = folder.join("财政局名单.xlsx");
    replace_path(&mut harness, &first);
    click(&mut harness, s::CONFIRM);
    assert!(first.is_file(), "the export went to the typed path");
    harness.get_by_label_contains("已导出 1 名志愿者");
    assert!(harness.query_by_role_and_label(A11y::TextInput, s::FILE_PATH).is_none(), "the dialog closed");

    // The folder is remembered, with the suggested name in it.
    click(&mut harness, s::EXPORT_LIST);
    let offered = folder.join("志愿者名单.xlsx");
    assert_eq!(typed_path(&harness), offered.display().to_string());
    click(&mut harness, s::CONFIRM);
    assert!(offered.is_file());

    // Esc is a cancel: nothing is written.
    click(&mut harness, s::EXPORT_LIST);
    std::fs::remove_file(&offered).expect("remove");
    harness.key_press(egui::Key::Escape);
    harness.settle();
    harness.get_by_label(s::CANCELLED);
    assert!(!offered.exists());
}

#[test]
fn deleting_an_activity_asks_first_and_esc_keeps_it() {
    let dir = tempfile::tempdir().expect("dir");
    let org = common::org_at(&dir.path().join("desk.sqlite3"), "市水利局", 57, "ZD-21", "水利局支队");
    org.activity(org.detachment, "HD01", "2026-11-20 09:00", "2026-11-20 11:00", None);
    let mut app = common::signed_in_app(org.store);
    app.show_calendar_month(2026, 11);
    let mut harness = harness_with(app);
    harness.get_by_label("09:00 活动HD01").click();
    harness.settle();

    click(&mut harness, s::DELETE_ACTIVITY);
    harness.get_by_label_contains("删除后不能恢复");
    assert_eq!(harness.state().counts().activities, 1, "asked, not yet deleted");
    harness.key_press(egui::Key::Escape);
    harness.settle();
    assert!(harness.query_by_label_contains("删除后不能恢复").is_none());
    assert_eq!(harness.state().counts().activities, 1, "Esc keeps the activity");

    click(&mut harness, s::DELETE_ACTIVITY);
    click(&mut harness, s::CONFIRM);
    assert_eq!(harness.state().counts().activities, 0);
}
