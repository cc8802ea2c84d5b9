//! The 签到 tab driven through egui_kittest: the keyboard-only desk and an honour grant.

use crate::common;

use common::at;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use volunteer_desk::domain::Minutes;
use volunteer_desk::store::Store;
use volunteer_desk::store::activities::insert_activity;
use volunteer_desk::store::ledger::{LedgerOf, ledger, totals};
use volunteer_desk::ui::{App, Tab, fonts, strings as s};

/// 市民政局 with its 支队, 张三 and 李四, and an activity on 2026-11-29 08:00–11:00.
fn seeded(path: &std::path::Path) -> (Store, i64, i64) {
    let org = common::org_at(path, "市民政局", 47, "ZD-13", "民政局支队");
    let zhang = org.volunteer(org.detachment, "ZY00001", "张三", "33038119790101123", "13700000000");
    let li = org.volunteer(org.detachment, "ZY00002", "李四", "33038119790201123", "13700000001");
    let mut a = common::new_activity(org.detachment, "HD2026-001", "2026-11-29 08:00", "2026-11-29 11:00", Some(10));
    a.name = "敬老院陪护".into();
    a.category = "助老助残".into();
    insert_activity(org.store.conn(), &a).expect("activity");
    (org.store, zhang, li)
}

fn harness(store: Store) -> Harness<'static, App> {
    Harness::builder().with_size([1400.0, 900.0]).with_context_setup(fonts::install).build_eframe(move |_cc| {
        let mut app = common::signed_in_app(store);
        app.show_tab(Tab::Attendance);
        app.set_clock(at("2026-11-29 08:05"));
        app
    })
}

#[test]
fn the_desk_works_from_the_keyboard_alone() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, zhang, _) = seeded(&dir.path().join("a.sqlite3"));
    let mut harness = harness(store);
    harness.get_by_role_and_label(Role::ComboBox, s::DESK_ACTIVITY).click();
    harness.run();
    harness.get_by_label_contains("敬老院陪护").click();
    harness.run();

    // The search field has the focus: type and press Enter.
    harness.get_by_role_and_label(Role::TextInput, s::DESK_SEARCH).type_text("zs");
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert!(harness.get_all_by_label("张三 签到 08:05").count() >= 1, "the desk says who signed in");
    harness.get_by_label_contains("正在服务（1 人）");

    harness.state_mut().set_clock(at("2026-11-29 10:35"));
    harness.get_by_role_and_label(Role::TextInput, s::DESK_SEARCH).type_text("zhangsan");
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert!(harness.get_all_by_label("张三 签退，本次 2.5 小时").count() >= 1);
    let entries = ledger(harness.state().store().conn(), LedgerOf::Volunteer(zhang)).expect("ledger");
    assert_eq!(totals(&entries), (Minutes(150), Minutes(0)));

    // The ledger shows the credit.
    harness.get_by_label(s::SECTION_LEDGER).click();
    harness.run();
    let field = harness.get_by_role_and_label(Role::TextInput, s::LEDGER_OF);
    field.focus();
    field.type_text("zs");
    harness.run();
    harness.get_by_label("张三（市民政局）").click();
    harness.run();
    harness.get_by_label_contains("张三 的时数台账（小时:分钟）：服务信用时数 2:30");
    harness.get_by_label("2026-11-29 08:05 – 10:35");
}

#[test]
fn honour_hours_are_granted_with_a_reason() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, zhang, li) = seeded(&dir.path().join("a.sqlite3"));
    let mut harness = harness(store);
    harness.get_by_label(s::SECTION_GRANT).click();
    harness.run();
    for query in ["zs", "ls"] {
        let field = harness.get_by_role_and_label(Role::TextInput, s::ADD_GRANTEE);
        field.focus();
        field.type_text(query);
        harness.run();
        harness.get_by_label_contains("＋").click();
        harness.run();
    }
    for (label, text) in
        [(s::GRANT_HOURS, "2.5"), (s::SERVICE_DATE, "2017-03-05"), (s::GRANT_REASON, "系统启用前学雷锋服务补录")]
    {
        let field = harness.get_by_role_and_label(Role::TextInput, label);
        field.focus();
        field.type_text(text);
        harness.run();
    }
    harness.get_by_label(s::GRANT).click();
    harness.run();
    harness.get_by_label_contains("已为 2 人登记荣誉时数 2.5 小时");
    for id in [zhang, li] {
        let entries = ledger(harness.state().store().conn(), LedgerOf::Volunteer(id)).expect("ledger");
        assert_eq!(totals(&entries), (Minutes(0), Minutes(150)));
        assert_eq!(entries[0].detail, "系统启用前学雷锋服务补录");
    }
}
