//! Issue #27, as a new clerk met the window: 特大 text at 1280×800 (whole dates in the forms,
//! the wide volunteer table, long team names, the status bar) and forms that read input as
//! the importer does (full-width numbers, the next team code, the recruitment window).

use crate::Settle as _;
use crate::common;
use crate::{type_into, wait_for_work};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use volunteer_desk::demo::load_demo;
use volunteer_desk::domain::TeamKind;
use volunteer_desk::domain::team::TEAM_CODE_PATTERN;
use volunteer_desk::store::activities::list_activities;
use volunteer_desk::store::{self, Store};
use volunteer_desk::ui::{App, Tab, TextSize, fonts, strings as s};

const LAPTOP: [f32; 2] = [1280.0, 800.0];
/// 特大's body text, in points (`TextSize::ExtraLarge`).
const EXTRA_LARGE: f32 = 22.0;
const LONG_DETACHMENT: &str = "市发展和改革委员会（市粮食和物资储备局）机关党员志愿服务支队";

fn app_harness(store: Store, size: [f32; 2], now: &str) -> Harness<'static, App> {
    let now = common::at(now);
    let mut harness = crate::settled(
        Harness::builder().with_size(size).with_context_setup(fonts::install).build_eframe(move |_cc| {
            let mut app = common::signed_in_app(store);
            app.set_clock(now);
            app
        }),
    );
    wait_for_work(&mut harness);
    harness
}

/// The demo at 1280×800 in 特大, on the demo's July.
fn demo_extra_large(dir: &tempfile::TempDir) -> Harness<'static, App> {
    let mut store = store::open(&dir.path().join("demo.sqlite3")).expect("open");
    load_demo(&mut store, common::at("2026-11-29 09:00")).expect("demo");
    let mut harness = app_harness(store, LAPTOP, "2017-07-01 09:00");
    extra_large(&mut harness);
    harness
}

fn extra_large(harness: &mut Harness<'static, App>) {
    harness.get_by_label(s::TEXT_SIZE).click();
    harness.settle();
    harness.get_by_label(TextSize::ExtraLarge.label()).click();
    wait_for_work(harness);
}

/// 市发改委 with the 总队 (ZD) and a 支队 (ZD-01) whose name is long.
fn seeded(path: &std::path::Path) -> Store {
    common::org_at(path, "市发改委", 60, "ZD-01", LONG_DETACHMENT).store
}

fn open_tab(harness: &mut Harness<'static, App>, tab: Tab) {
    harness.get_by_role_and_label(Role::Button, tab.label()).click();
    wait_for_work(harness);
}

fn click(harness: &mut Harness<'static, App>, label: &str) {
    harness.get_by_label(label).click();
    wait_for_work(harness);
}

/// How wide `text` is drawn in 特大's body font.
fn text_width(harness: &Harness<'static, App>, text: &str) -> f32 {
    let font = egui::FontId::proportional(EXTRA_LARGE);
    harness.ctx.fonts_mut(|f| f.layout_no_wrap(text.to_string(), font, egui::Color32::BLACK).size().x)
}

fn value_of(harness: &Harness<'static, App>, label: &str) -> String {
    harness.get_by_role_and_label(Role::TextInput, label).value().unwrap_or_default()
}

/// The date fields are as wide as a whole date and time at 特大: 新建活动 showed
/// `2026-12-14 0…` and 新增志愿者 `2026-12-`.
#[test]
fn the_forms_show_whole_dates_in_extra_large_text_on_a_laptop() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = demo_extra_large(&dir);
    open_tab(&mut harness, Tab::Calendar);
    click(&mut harness, s::NEW_ACTIVITY);
    for label in [s::FIELD_STARTS_AT, s::FIELD_ENDS_AT, s::FIELD_RECRUIT_FROM, s::FIELD_RECRUIT_UNTIL] {
        let value = value_of(&harness, label);
        let field = harness.get_by_role_and_label(Role::TextInput, label).rect();
        assert!(field.width() > text_width(&harness, &value), "{label}: “{value}” is cut in a field {field:?}");
        assert!(field.max.x <= LAPTOP[0], "{label} lies inside the window");
    }
    harness.key_press(egui::Key::Escape);
    harness.settle();

    open_tab(&mut harness, Tab::Registry);
    click(&mut harness, s::ADD_VOLUNTEER);
    let value = value_of(&harness, s::FIELD_REGISTERED_ON);
    assert_eq!(value, "2017-07-01");
    let field = harness.get_by_role_and_label(Role::TextInput, s::FIELD_REGISTERED_ON).rect();
    assert!(field.width() > text_width(&harness, &value), "注册日期 is cut in a field {field:?}");
}

/// The volunteer table is wider than a laptop at 特大: it says so above it (its scroll bar
/// is drawn solid below it), instead of 政治面貌 cut off at the edge with no cue.
#[test]
fn the_wide_volunteer_table_says_it_scrolls_sideways() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = demo_extra_large(&dir);
    open_tab(&mut harness, Tab::Registry);
    let registered = harness.get_by_label("注册日期").rect();
    assert!(registered.min.x > LAPTOP[0], "the premise: 注册日期 lies past the right edge");
    harness.get_by_label(s::TABLE_SCROLLS_SIDEWAYS);

    // Where the columns fit, the line is not there.
    let dir = tempfile::tempdir().expect("dir");
    let store = seeded(&dir.path().join("fits.sqlite3"));
    let mut harness = app_harness(store, [2400.0, 900.0], "2026-11-29 09:00");
    open_tab(&mut harness, Tab::Registry);
    assert!(harness.query_by_label(s::TABLE_SCROLLS_SIDEWAYS).is_none());
}

/// A 支队 name longer than the tree panel is read whole on hover.
#[test]
fn a_long_team_name_in_the_tree_is_read_whole_on_hover() {
    let dir = tempfile::tempdir().expect("dir");
    let store = seeded(&dir.path().join("tree.sqlite3"));
    let mut harness = app_harness(store, LAPTOP, "2026-11-29 09:00");
    extra_large(&mut harness);
    open_tab(&mut harness, Tab::Registry);
    let whole = format!("{LONG_DETACHMENT}（支队）");
    assert!(harness.query_by_label(&whole).is_none());
    // Where the clerk points: the start of the name, inside the panel (its middle is cut off).
    let name = harness.get_by_label_contains(LONG_DETACHMENT).rect();
    assert!(name.max.x > 340.0, "the premise: the name runs past the tree panel");
    harness.input_mut().events.push(egui::Event::PointerMoved(name.left_center() + egui::vec2(30.0, 0.0)));
    harness.settle();
    harness.get_by_label(&whole);
}

/// The status bar keeps to one line at 特大 (the file's path gives way), and a red refusal
/// does not follow the clerk to another tab.
#[test]
fn the_status_bar_keeps_one_line_and_a_refusal_stays_with_its_tab() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = demo_extra_large(&dir);
    let path = harness.get_by_label_contains(&format!("{}：", s::STATUS_DATABASE)).rect();
    let counts = harness.get_by_label_contains("单位 ").rect();
    assert!(path.height() < 1.5 * EXTRA_LARGE, "the path keeps to one line: {path:?}");
    assert!((path.center().y - counts.center().y).abs() < 2.0, "path {path:?} and counts {counts:?} share a line");
    assert!(path.max.x <= LAPTOP[0] + 1.0, "the path gives way at the window's edge: {path:?}");

    harness.state_mut().show_error("招募已截止".to_string());
    harness.settle();
    harness.get_by_label("招募已截止");
    open_tab(&mut harness, Tab::Calendar);
    assert!(harness.query_by_label("招募已截止").is_none(), "the refusal stayed on its tab");
}

/// `１２０` typed in full width is taken by the form as the importer takes it; a word is
/// refused with the same reason the importer gives.
#[test]
fn the_unit_form_reads_a_full_width_count_as_the_importer_does() {
    let dir = tempfile::tempdir().expect("dir");
    let store = seeded(&dir.path().join("unit.sqlite3"));
    let mut harness = app_harness(store, [1400.0, 900.0], "2026-11-29 09:00");
    open_tab(&mut harness, Tab::Registry);
    click(&mut harness, s::NEW_UNIT);
    type_into(&mut harness, s::NEW_UNIT_NAME, "市审计局");
    type_into(&mut harness, s::PARTY_MEMBERS, "一百二");
    click(&mut harness, s::SAVE);
    harness.get_by_label("党员总数：“一百二”不是有效数字，应为不小于0的整数");
    type_into(&mut harness, s::PARTY_MEMBERS, "１２０");
    click(&mut harness, s::SAVE);
    let units = harness.state().store().units().expect("units");
    let audit = units.iter().find(|u| u.name == "市审计局").expect("saved");
    assert_eq!(audit.party_members, 120);
}

/// 新建支队 is offered in the tree once the 总队 exists (saying why 新建总队 is gone), and the
/// code left empty takes the next free one, whose pattern the form shows.
#[test]
fn a_detachment_is_offered_in_the_tree_with_the_next_code() {
    let dir = tempfile::tempdir().expect("dir");
    let store = seeded(&dir.path().join("teams.sqlite3"));
    let mut harness = app_harness(store, [1400.0, 900.0], "2026-11-29 09:00");
    open_tab(&mut harness, Tab::Registry);
    assert!(harness.query_by_label(s::NEW_CORPS).is_none());
    harness.get_by_label(s::CORPS_EXISTS);
    click(&mut harness, s::NEW_DETACHMENT);
    harness.get_by_label(TEAM_CODE_PATTERN);
    type_into(&mut harness, s::FIELD_TEAM_NAME, "审计局支队");
    harness.get_by_role_and_label(Role::ComboBox, s::FIELD_UNIT).click();
    harness.settle();
    harness.get_by_label("市发改委").click();
    harness.settle();
    type_into(&mut harness, s::FIELD_MANAGER, "周杰");
    type_into(&mut harness, s::FIELD_MANAGER_PHONE, "１３６ ０００ ０１２３４");
    click(&mut harness, s::SAVE);
    let teams = harness.state().store().teams().expect("teams");
    let added = teams.iter().find(|t| t.name == "审计局支队").expect("saved");
    let corps = teams.iter().find(|t| t.kind == TeamKind::Corps).expect("corps");
    assert_eq!((added.code.as_str(), added.kind, added.parent_id), ("ZD-02", TeamKind::Detachment, Some(corps.id)));
    assert_eq!(added.manager_phone_masked, "136****1234", "the phone read as the importer reads it");
}

/// An activity for today: the new start time carries the end and the recruitment window with
/// it, until the clerk sets them.
#[test]
fn the_recruitment_window_follows_the_start_until_the_clerk_sets_it() {
    let dir = tempfile::tempdir().expect("dir");
    let store = seeded(&dir.path().join("activity.sqlite3"));
    let mut harness = app_harness(store, [1400.0, 1000.0], "2026-11-29 09:00");
    open_tab(&mut harness, Tab::Calendar);
    click(&mut harness, s::NEW_ACTIVITY);
    type_into(&mut harness, s::FIELD_STARTS_AT, "2026-11-29 14:00");
    assert_eq!(value_of(&harness, s::FIELD_ENDS_AT), "2026-11-29 16:00");
    assert_eq!(value_of(&harness, s::FIELD_RECRUIT_FROM), "2026-11-29 09:00");
    assert_eq!(value_of(&harness, s::FIELD_RECRUIT_UNTIL), "2026-11-29 14:00", "today's: open until the start");

    type_into(&mut harness, s::FIELD_RECRUIT_UNTIL, "2026-11-29 12:00");
    type_into(&mut harness, s::FIELD_STARTS_AT, "2026-11-29 15:00");
    assert_eq!(value_of(&harness, s::FIELD_ENDS_AT), "2026-11-29 17:00");
    assert_eq!(value_of(&harness, s::FIELD_RECRUIT_UNTIL), "2026-11-29 12:00", "set by the clerk: kept");

    type_into(&mut harness, s::FIELD_ACTIVITY_NAME, "社区义诊");
    for (combo, option) in [(s::FIELD_ORGANISER, LONG_DETACHMENT), (s::FIELD_CATEGORY, "文明创建")] {
        harness.get_by_role_and_label(Role::ComboBox, combo).click();
        harness.settle();
        harness.get_by_label(option).click();
        harness.settle();
    }
    click(&mut harness, s::SAVE);
    let saved = list_activities(harness.state().store().conn(), "2000-01-01 00:00", "2100-01-01 00:00").expect("list");
    let a = saved.iter().find(|a| a.name == "社区义诊").expect("saved");
    assert_eq!((a.starts_at.as_str(), a.ends_at.as_str()), ("2026-11-29 15:00", "2026-11-29 17:00"));
    assert_eq!(a.recruit_until.as_deref(), Some("2026-11-29 12:00"));
}

/// Answers the open dialog with the test's workbook.
struct Workbook(std::path::PathBuf);

impl volunteer_desk::ui::dialogs::FileDialogs for Workbook {
    fn open_workbook(&self) -> Option<std::path::PathBuf> {
        Some(self.0.clone())
    }
    fn save_workbook(&self, _file_name: &str) -> Option<std::path::PathBuf> {
        None
    }
    fn open_photo(&self) -> Option<std::path::PathBuf> {
        None
    }
}

/// The preview shows each value it will write beside the cell as typed, and counts errors
/// one way: the 错误 column adds up to the heading's 共 N 处错误.
#[test]
fn the_import_preview_shows_what_it_writes_and_counts_errors_one_way() {
    use common::workbook::{SheetData, s as text, write_workbook};
    let dir = tempfile::tempdir().expect("dir");
    let book = dir.path().join("名单.xlsx");
    let good = common::id_number("33038119800101123");
    write_workbook(
        &book,
        vec![SheetData {
            name: "志愿者",
            headers: &["姓名", "身份证号", "手机号", "所属单位", "政治面貌", "注册日期"],
            rows: vec![
                vec![
                    text("王芳"),
                    text(good),
                    text("+86 138-5778-1234"),
                    text("市发改委"),
                    text("党员"),
                    text("2017/7/1"),
                ],
                vec![text("赵六"), text("123"), text("12"), text("市外单位"), text("群众"), text("2017-07-01")],
            ],
        }],
    );
    let store = seeded(&dir.path().join("import.sqlite3"));
    let now = common::at("2026-11-29 09:00");
    let mut harness = crate::settled(
        Harness::builder().with_size([1400.0, 1000.0]).with_context_setup(fonts::install).build_eframe(move |_cc| {
            let mut app = common::signed_in_app(store).with_dialogs(Box::new(Workbook(book)));
            app.set_clock(now);
            app
        }),
    );
    wait_for_work(&mut harness);
    open_tab(&mut harness, Tab::Registry);
    click(&mut harness, s::IMPORT);
    wait_for_work(&mut harness);
    for typed_and_written in
        ["志愿者 第2行 政治面貌", "“党员”", "“中共党员”", "“+86 138-5778-1234”", "“13857781234”", "“2017/7/1”"]
    {
        harness.get_by_label(typed_and_written);
    }
    harness.get_by_label_contains("以下单元格将按规范写入（3 处）");
    harness.get_by_label(s::IMPORT_ERRORS_COLUMN);
    harness.get_by_label_contains("共 3 处错误");
    // 志愿者: 1 new row, and 3 errors (not the 1 row they are on).
    harness.get_by_label("3");
}
