//! The records read right: a ledger's rows add up to the total above them.

use crate::Settle as _;
use crate::common;

use common::at;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use volunteer_desk::store::attendance::{NewSession, record_session};
use volunteer_desk::ui::{Tab, fonts, strings as s};

/// 72, 120 and 114 minutes: in one decimal 1.2 + 2.0 + 1.9 stood under 5.1.
#[test]
fn a_ledgers_rows_add_up_to_its_total() {
    let dir = tempfile::tempdir().expect("dir");
    let org = common::org_at(&dir.path().join("a.sqlite3"), "市民政局", 47, "ZD-13", "民政局支队");
    let zhang = org.volunteer(org.detachment, "ZY00001", "张三", "33038119790101123", "13700000000");
    for (day, out) in [("20", "09:12"), ("21", "10:00"), ("22", "09:54")] {
        let code = format!("HD2026-{day}");
        let activity =
            org.activity(org.detachment, &code, &format!("2026-11-{day} 08:00"), &format!("2026-11-{day} 11:00"), None);
        let session = NewSession {
            activity_id: activity,
            volunteer_id: zhang,
            signed_in_at: at(&format!("2026-11-{day} 08:00")),
            signed_out_at: Some(at(&format!("2026-11-{day} {out}"))),
            recorded_by: "管理员".into(),
        };
        record_session(org.store.conn(), &session, at("2026-11-29 08:00")).expect("session");
    }
    let store = org.store;
    let mut harness = crate::settled(
        Harness::builder().with_size([1400.0, 900.0]).with_context_setup(fonts::install).build_eframe(move |_cc| {
            let mut app = common::signed_in_app(store);
            app.show_tab(Tab::Attendance);
            app.set_clock(at("2026-11-29 08:05"));
            app
        }),
    );
    crate::attendance::open_ledger_of(&mut harness, "zs", "张三 ZY00001 ·0000（市民政局）");

    harness.get_by_label("张三 的时数台账（小时:分钟）：服务信用时数 5:06，荣誉时数 0:00，合计 5:06");
    let rows: Vec<i64> = ["1:12", "2:00", "1:54"]
        .into_iter()
        .map(|cell| {
            harness.get_by_label(cell);
            let (h, m) = cell.split_once(':').expect("h:mm");
            h.parse::<i64>().expect("h") * 60 + m.parse::<i64>().expect("mm")
        })
        .collect();
    assert_eq!(rows.iter().sum::<i64>(), 5 * 60 + 6, "the shown rows add up to the shown 5:06");
}

/// A 支队 with a 专业服务队 under it counts its own members and its subtree's, and the list's
/// 共 N 人 when it is chosen is the subtree's.
#[test]
fn the_team_tree_counts_a_teams_own_members_and_its_subtrees() {
    use volunteer_desk::domain::TeamKind;
    use volunteer_desk::store::teams::insert_team;

    let dir = tempfile::tempdir().expect("dir");
    let org = common::org_at(&dir.path().join("a.sqlite3"), "市卫健委", 80, "ZD-05", "卫健委支队");
    let medical = common::team(org.unit, "ZD-05-1", "义诊服务队", TeamKind::Specialised, Some(org.detachment));
    let medical = insert_team(org.store.conn(), &medical).expect("team");
    org.volunteer(org.detachment, "ZY00001", "张三", "33038119800101123", "13812345678");
    org.volunteer(org.detachment, "ZY00002", "李四", "33038119850505224", "13912340000");
    org.volunteer(medical, "ZY00003", "王五", "33038119900101123", "13712340000");
    let store = org.store;
    let mut harness = crate::settled(
        Harness::builder().with_size([1400.0, 900.0]).with_context_setup(fonts::install).build_eframe(move |_cc| {
            let mut app = common::signed_in_app(store);
            app.show_tab(Tab::Registry);
            app
        }),
    );
    harness.settle();
    harness.get_by_label_contains("（0 / 3 人）");
    harness.get_by_label("卫健委支队（2 / 3 人）").click();
    harness.settle();
    harness.get_by_label("共 3 人");
}

/// 系统 → 操作日志 names objects in Chinese, and 核对 with a code one character off says the code
/// does not match rather than that the log was rewritten.
#[test]
fn the_audit_log_shows_chinese_object_names() {
    use volunteer_desk::store::audit::{self, Verdict};

    let dir = tempfile::tempdir().expect("dir");
    let org = common::org_at(&dir.path().join("a.sqlite3"), "市民政局", 47, "ZD-13", "民政局支队");
    org.volunteer(org.detachment, "ZY00001", "张三", "33038119790101123", "13700000000");
    let Verdict::Intact { newest: Some(anchor), .. } = audit::verify(org.store.conn()).expect("verify") else {
        panic!("entries")
    };
    let mut typo = anchor.code.clone().into_bytes();
    typo[0] = if typo[0] == b'0' { b'1' } else { b'0' };
    let typo = format!("{}:{}", anchor.entry, String::from_utf8(typo).expect("hex"));
    let store = org.store;
    let mut harness = crate::settled(
        Harness::builder().with_size([1400.0, 900.0]).with_context_setup(fonts::install).build_eframe(move |_cc| {
            let mut app = common::signed_in_app(store);
            app.show_tab(Tab::System);
            app
        }),
    );
    harness.get_by_label(s::AUDIT_LOG).click();
    harness.settle();
    harness.get_by_label("志愿者 ZY00001 张三");
    harness.get_by_label("单位 市民政局");
    assert!(harness.query_by_label_contains("volunteer#").is_none(), "no table#key");
    assert!(harness.query_by_label_contains("\"name\"").is_none(), "no raw JSON");
    // One tooltip on hover: the fields as a table, not the line again beside it.
    harness.get_by_label_contains("姓名：张三；").hover();
    harness.settle();
    assert_eq!(harness.get_all_by_label("字段").count(), 1, "one table of the change");
    harness.get_by_label("ZY00001");
    assert_eq!(harness.get_all_by_label_contains("姓名：张三；").count(), 1, "the line is not repeated on hover");

    let field = harness.get_by_role_and_label(Role::TextInput, s::ANCHOR);
    field.focus();
    field.type_text(&typo);
    harness.settle();
    harness.get_by_label(s::CHECK_ANCHOR).click();
    harness.settle();
    harness.get_by_label_contains("校验码不符：抄写有误或日志被改动，请核对。");
    assert!(harness.query_by_label_contains("哈希链断开").is_none());
}

/// Answers save dialogs in a folder and remembers every one it was asked.
struct CountedDialogs(std::path::PathBuf, std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl volunteer_desk::ui::dialogs::FileDialogs for CountedDialogs {
    fn open_workbook(&self) -> Option<std::path::PathBuf> {
        None
    }
    fn save_workbook(&self, file_name: &str) -> Option<std::path::PathBuf> {
        self.1.lock().expect("asked").push(file_name.to_string());
        Some(self.0.join(file_name))
    }
    fn open_photo(&self) -> Option<std::path::PathBuf> {
        None
    }
}

/// 志愿服务证明: "zs" finds 张三 and 张珊, listed with unit, 编号 and phone tail to choose from;
/// a period without hours is refused before any save dialog opens; the chosen one's is issued.
#[test]
fn a_certificate_finds_the_person_by_initials_and_checks_hours_before_asking_where_to_save() {
    let dir = tempfile::tempdir().expect("dir");
    let org = common::org_at(&dir.path().join("a.sqlite3"), "市民政局", 47, "ZD-13", "民政局支队");
    let zhang = org.volunteer(org.detachment, "ZY00001", "张三", "33038119790101123", "13700001111");
    org.volunteer(org.detachment, "ZY00002", "张珊", "33038119790201123", "13700002222");
    let activity = org.activity(org.detachment, "HD2026-01", "2026-11-20 08:00", "2026-11-20 11:00", None);
    let session = NewSession {
        activity_id: activity,
        volunteer_id: zhang,
        signed_in_at: at("2026-11-20 08:00"),
        signed_out_at: Some(at("2026-11-20 10:00")),
        recorded_by: "管理员".into(),
    };
    record_session(org.store.conn(), &session, at("2026-11-29 08:00")).expect("session");
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let dialogs = CountedDialogs(dir.path().to_path_buf(), asked.clone());
    let store = org.store;
    let mut harness = crate::settled(
        Harness::builder().with_size([1400.0, 900.0]).with_context_setup(fonts::install).build_eframe(move |_cc| {
            let mut app = common::signed_in_app(store).with_dialogs(Box::new(dialogs));
            app.set_clock(at("2026-11-29 09:00"));
            app.show_tab(Tab::Reports);
            app
        }),
    );
    crate::wait_for_work(&mut harness);
    harness.get_by_label(s::CERTIFICATE).click();
    harness.settle();
    let field = harness.get_by_role_and_label(Role::TextInput, s::CERTIFICATE_VOLUNTEER);
    field.focus();
    field.type_text("zs");
    harness.settle();
    harness.get_by_label("找到 2 位志愿者，请选择：");
    harness.get_by_label(s::ISSUE_CERTIFICATE).click();
    harness.settle();
    harness.get_by_label(s::CERTIFICATE_PICK_ONE);

    // 张珊 served nothing this year: refused, and no dialog was opened.
    harness.get_by_label("张珊　市民政局　ZY00002　尾号2222").click();
    harness.settle();
    harness.get_by_label("出具给：张珊　市民政局　ZY00002　尾号2222");
    harness.get_by_label(s::ISSUE_CERTIFICATE).click();
    harness.settle();
    harness.get_by_label_contains("该志愿者在此期间没有服务时数");
    assert!(asked.lock().expect("asked").is_empty(), "no save dialog for a period without hours");

    // 张三, found by his phone tail, has two hours.
    let field = harness.get_by_role_and_label(Role::TextInput, s::CERTIFICATE_VOLUNTEER);
    field.focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    field.type_text("1111");
    harness.settle();
    harness.get_by_label("出具给：张三　市民政局　ZY00001　尾号1111");
    harness.get_by_label(s::ISSUE_CERTIFICATE).click();
    harness.settle();
    assert_eq!(*asked.lock().expect("asked"), ["志愿服务证明_张三.xlsx"]);
    assert!(dir.path().join("志愿服务证明_张三.xlsx").exists());
}
