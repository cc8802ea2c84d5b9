//! The 队伍 tab driven through egui_kittest: search, the volunteer form, the recycle bin and
//! the export, each checked against the store.

use crate::Settle as _;
use crate::common;
use crate::write_units;

use std::path::PathBuf;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use volunteer_desk::domain::TeamKind;
use volunteer_desk::store::Store;
use volunteer_desk::store::volunteers::list_volunteers;
use volunteer_desk::ui::dialogs::FileDialogs;
use volunteer_desk::ui::{App, fonts, strings as s};

const DETACHMENT: &str = "财政局支队";

/// Answers the open dialog with `roster.xlsx` and the save dialog with `名单.xlsx`, both in
/// the test's folder.
struct Answer(PathBuf);

impl FileDialogs for Answer {
    fn open_workbook(&self) -> Option<PathBuf> {
        Some(self.0.join("roster.xlsx"))
    }
    fn save_workbook(&self, _file_name: &str) -> Option<PathBuf> {
        Some(self.0.join("名单.xlsx"))
    }
    fn open_photo(&self) -> Option<PathBuf> {
        None
    }
}

/// A unit with its 支队 under the 总队, and 张三 and 李四 in it.
fn seeded_store(path: &std::path::Path) -> Store {
    let org = common::org_at(path, "市财政局", 80, "ZD-01", DETACHMENT);
    for (code, name, first17, phone) in [
        ("ZY00001", "张三", "33038119800101123", "13812345678"),
        ("ZY00002", "李四", "33038119850505224", "13912340000"),
    ] {
        org.volunteer(org.detachment, code, name, first17, phone);
    }
    org.store
}

fn harness(dir: &tempfile::TempDir) -> Harness<'static, App> {
    let store = seeded_store(&dir.path().join("registry.sqlite3"));
    let folder = dir.path().to_path_buf();
    crate::settled(
        Harness::builder()
            .with_size([1400.0, 900.0])
            .with_context_setup(fonts::install)
            .build_eframe(move |_cc| common::signed_in_app(store).with_dialogs(Box::new(Answer(folder)))),
    )
}

fn search(harness: &mut Harness<'static, App>, query: &str) {
    let field = harness.get_by_role_and_label(Role::TextInput, s::SEARCH);
    field.focus();
    field.type_text(query);
    harness.settle();
}

#[test]
fn pinyin_initials_find_zhang_san() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = harness(&dir);
    harness.get_by_label("李四");
    search(&mut harness, "zs");
    harness.get_by_label("张三");
    assert!(harness.query_by_label("李四").is_none());
    harness.get_by_label("共 1 人");
}

#[test]
fn a_wrong_checksum_is_shown_and_nothing_is_stored_then_a_valid_one_is() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = harness(&dir);
    harness.get_by_label(&format!("{DETACHMENT}（2人）")).click();
    harness.settle();
    harness.get_by_label(s::ADD_VOLUNTEER).click();
    harness.settle();

    let valid = common::id_number("33038119900707123");
    let wrong = format!("{}{}", &valid[..17], if valid.ends_with('0') { '1' } else { '0' });
    let fill = |harness: &mut Harness<'static, App>, label: &str, text: &str| {
        let field = harness.get_by_role_and_label(Role::TextInput, label);
        field.focus();
        field.type_text(text);
        harness.settle();
    };
    fill(&mut harness, s::FIELD_NAME, "王五");
    fill(&mut harness, s::FIELD_ID_NUMBER, &wrong);
    fill(&mut harness, s::FIELD_PHONE, "13700001111");
    harness.get_by_label_contains("校验位不正确");
    harness.get_by_label(s::SAVE).click();
    harness.settle();
    harness.get_by_label("王五：身份证号校验位不正确，请核对");
    assert_eq!(list_volunteers(harness.state().store().conn()).expect("list").len(), 2);

    let field = harness.get_by_role_and_label(Role::TextInput, s::FIELD_ID_NUMBER);
    field.focus();
    harness.key_press(egui::Key::Backspace);
    field.type_text(&valid[17..]);
    harness.settle();
    harness.get_by_label_contains("男 · 出生于 1990-07-07");
    harness.get_by_label(s::SAVE).click();
    harness.settle();

    let stored = list_volunteers(harness.state().store().conn()).expect("list");
    let wang = stored.iter().find(|v| v.name == "王五").expect("王五 stored");
    assert_eq!(
        (wang.code.as_str(), wang.gender.as_str(), wang.team_name.as_deref()),
        ("ZY00003", "男", Some(DETACHMENT))
    );
    harness.get_by_label("王五");
    assert!(harness.query_by_label(s::EDIT_VOLUNTEER).is_none() && harness.query_by_label(s::SAVE).is_none());
}

#[test]
fn deleting_goes_to_the_recycle_bin_and_can_be_undone() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = harness(&dir);
    search(&mut harness, "李");
    harness.get_by_label("李四").click();
    harness.settle();
    harness.get_by_label(s::DELETE).click();
    harness.settle();
    // 删除 names the person and what happens; nothing moves until confirmed.
    harness.get_by_label_contains("删除 李四 ");
    harness.get_by_label_contains("时数、签到和报名记录都保留");
    let in_bin = |h: &Harness<'static, App>| {
        list_volunteers(h.state().store().conn()).expect("list").into_iter().any(|v| v.deleted_at.is_some())
    };
    assert!(!in_bin(&harness));
    harness.get_by_label(s::CONFIRM_DELETE_VOLUNTEER).click();
    harness.settle();
    assert!(harness.query_by_label("李四").is_none());
    let li = |h: &Harness<'static, App>| {
        list_volunteers(h.state().store().conn()).expect("list").into_iter().find(|v| v.name == "李四").expect("kept")
    };
    assert!(li(&harness).deleted_at.is_some());

    harness.get_by_label(s::RECYCLE_BIN).click();
    harness.settle();
    harness.get_by_label("李四").click();
    harness.settle();
    harness.get_by_label(s::RESTORE).click();
    harness.settle();
    assert!(li(&harness).deleted_at.is_none());
}

#[test]
fn ids_are_masked_until_revealed_and_the_export_is_masked() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = harness(&dir);
    search(&mut harness, "zs");
    let id = common::id_number("33038119800101123");
    // The list's mask is the store's (issue #20: first and last character only).
    let masked = volunteer_desk::domain::identity::mask_id_number(&id);
    assert!(!masked.contains("330381"), "{masked}");
    harness.get_by_label(&masked);
    harness.get_by_label("138****5678");
    harness.get_by_label("张三").click();
    harness.settle();
    harness.get_by_label(s::REVEAL_ID).click();
    harness.settle();
    harness.get_by_label(&id);

    harness.get_by_label(s::EXPORT_LIST).click();
    harness.settle();
    let path = dir.path().join("名单.xlsx");
    use calamine::Reader as _;
    let mut book = calamine::open_workbook_auto(&path).expect("exported workbook");
    let sheet = book.worksheet_range("志愿者名单").expect("sheet");
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows.len(), 2, "the header and the one volunteer listed");
    assert_eq!(rows[1][1], "张三");
    assert_eq!(rows[1][6], masked);
    assert_eq!(rows[1][7], "138****5678");
}

/// Steps the window until its background work is done.
fn wait_for_work(harness: &mut Harness<'static, App>) {
    for _ in 0..500 {
        harness.step();
        if !harness.state().is_busy() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    harness.run_steps(3);
}

#[test]
fn import_previews_then_writes_only_on_confirmation() {
    let dir = tempfile::tempdir().expect("dir");
    write_units(&dir.path().join("roster.xlsx"), &[("市审计局", "33"), ("市统计局", "27")]);
    let mut harness = harness(&dir);
    harness.get_by_label(s::IMPORT).click();
    harness.run_steps(2);
    wait_for_work(&mut harness);
    harness.get_by_label(s::CONFIRM_IMPORT);
    assert_eq!(harness.state().counts().units, 1, "nothing written before confirmation");

    harness.get_by_label(s::CONFIRM_IMPORT).click();
    harness.run_steps(2);
    wait_for_work(&mut harness);
    assert_eq!(harness.state().counts().units, 3);
    harness.get_by_label_contains("导入完成：新增 2 条记录");
}

#[test]
fn an_import_with_errors_lists_them_and_cannot_be_confirmed() {
    let dir = tempfile::tempdir().expect("dir");
    write_units(&dir.path().join("roster.xlsx"), &[("市审计局", "三十三"), ("市统计局", "27")]);
    let mut harness = harness(&dir);
    harness.get_by_label(s::IMPORT).click();
    harness.run_steps(2);
    wait_for_work(&mut harness);
    harness.get_by_label_contains("单位 第2行 党员总数");
    harness.get_by_label(s::CONFIRM_IMPORT).click();
    harness.settle();
    assert_eq!(harness.state().counts().units, 1, "a workbook with errors is never written");
    harness.get_by_label(s::CANCEL).click();
    harness.settle();
    assert!(harness.query_by_label(s::CONFIRM_IMPORT).is_none());
}

#[test]
fn the_template_is_saved_where_the_user_chose() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = harness(&dir);
    harness.get_by_label(s::DOWNLOAD_TEMPLATE).click();
    harness.settle();
    use calamine::Reader as _;
    let book = calamine::open_workbook_auto(dir.path().join("名单.xlsx")).expect("template");
    assert!(book.sheet_names().iter().any(|n| n == "志愿者"));
}

#[test]
fn a_specialised_team_is_added_under_the_selected_detachment() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = harness(&dir);
    harness.get_by_label(&format!("{DETACHMENT}（2人）")).click();
    harness.settle();
    harness.get_by_label(s::ADD_CHILD_TEAM).click();
    harness.settle();
    harness.get_by_label(TeamKind::Specialised.label());
    for (label, text) in [
        (s::FIELD_TEAM_CODE, "ZD-01"),
        (s::FIELD_TEAM_NAME, "财务咨询服务队"),
        (s::FIELD_MANAGER, "周杰"),
        (s::FIELD_MANAGER_PHONE, "13600001234"),
        (s::FIELD_SERVICE_FIELDS, "政策宣讲、帮扶困难群众"),
    ] {
        let field = harness.get_by_role_and_label(Role::TextInput, label);
        field.focus();
        field.type_text(text);
        harness.settle();
    }
    harness.get_by_label(s::SAVE).click();
    harness.settle();
    harness.get_by_label("队伍编号“ZD-01”已存在");

    let field = harness.get_by_role_and_label(Role::TextInput, s::FIELD_TEAM_CODE);
    field.focus();
    field.type_text("-1");
    harness.settle();
    harness.get_by_label(s::SAVE).click();
    harness.settle();
    let teams = volunteer_desk::store::teams::list_teams(harness.state().store().conn()).expect("teams");
    let added = teams.iter().find(|t| t.code == "ZD-01-1").expect("added");
    let parent = teams.iter().find(|t| t.code == "ZD-01").expect("parent");
    assert_eq!((added.kind, added.parent_id, added.unit_id), (TeamKind::Specialised, Some(parent.id), parent.unit_id));
    assert_eq!(added.service_fields, "政策宣讲、帮扶困难群众");
}

#[test]
fn a_returned_ballot_without_its_seal_is_refused_by_the_import() {
    use common::workbook::{SheetData, s as text, write_workbook};
    let dir = tempfile::tempdir().expect("dir");
    let ballot = SheetData {
        name: "选票",
        headers: &["编号", "标题", "内容", "选择"],
        rows: vec![vec![text("JX0001"), text("家训"), text("勤俭持家"), text("✓")]],
    };
    write_workbook(&dir.path().join("roster.xlsx"), vec![ballot]);
    let mut harness = harness(&dir);
    harness.get_by_label(s::IMPORT).click();
    harness.run_steps(2);
    wait_for_work(&mut harness);
    harness.get_by_label_contains("“roster.xlsx”：封签缺失：");
    assert!(harness.query_by_label(s::CONFIRM_IMPORT).is_none(), "nothing to confirm");
}
