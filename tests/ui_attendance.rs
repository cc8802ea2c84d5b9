//! The 签到 tab driven through egui_kittest: the keyboard-only desk and an honour grant.

use chrono::{NaiveDate, NaiveDateTime};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use volunteer_desk::domain::identity::id_check_char;
use volunteer_desk::domain::{Minutes, ServiceMode, TeamKind};
use volunteer_desk::store::activities::{NewActivity, insert_activity};
use volunteer_desk::store::ledger::{LedgerOf, ledger, totals};
use volunteer_desk::store::teams::{NewTeam, insert_team};
use volunteer_desk::store::units::{NewUnit, insert_unit};
use volunteer_desk::store::volunteers::{NewVolunteer, insert_volunteer};
use volunteer_desk::store::{self, Store};
use volunteer_desk::ui::{App, Tab, fonts, strings as s};

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("time")
}

/// A 支队 with 张三 and 李四, and an activity on 2026-11-29 08:00–11:00.
fn seeded(path: &std::path::Path) -> (Store, i64, i64) {
    let store = store::open(path).expect("open");
    let conn = store.conn();
    let unit = insert_unit(conn, &NewUnit { name: "市民政局".into(), party_members: 47 }).expect("unit");
    let team = |code: &str, name: &str, kind, parent| NewTeam {
        code: code.into(),
        name: name.into(),
        kind,
        parent_id: parent,
        unit_id: unit,
        manager_name: "陈立新".into(),
        manager_phone: "13857700001".into(),
        founded_on: None,
        service_fields: vec![],
    };
    let corps = insert_team(conn, &team("ZD", "总队", TeamKind::Corps, None)).expect("corps");
    let detachment = insert_team(conn, &team("ZD-13", "民政局支队", TeamKind::Detachment, Some(corps))).expect("team");
    let mut ids = Vec::new();
    for (i, name) in ["张三", "李四"].into_iter().enumerate() {
        let first17 = format!("33038119790{}01123", i + 1);
        let v = NewVolunteer {
            code: format!("ZY0000{}", i + 1),
            name: name.into(),
            id_number: format!("{first17}{}", id_check_char(first17.as_bytes()).expect("digits")),
            phone: format!("1370000000{i}"),
            unit_id: unit,
            team_id: Some(detachment),
            political_status: "中共党员".into(),
            skills: String::new(),
            service_categories: String::new(),
            registered_on: NaiveDate::from_ymd_opt(2017, 1, 1).expect("date"),
        };
        ids.push(insert_volunteer(conn, &v, NaiveDate::from_ymd_opt(2026, 11, 29).expect("date")).expect("volunteer"));
    }
    let a = NewActivity {
        code: "HD2026-001".into(),
        name: "敬老院陪护".into(),
        team_id: detachment,
        category: "助老助残".into(),
        mode: ServiceMode::Concentrated,
        starts_at: at("2026-11-29 08:00"),
        ends_at: at("2026-11-29 11:00"),
        place: "市社会福利院".into(),
        content: String::new(),
        leader: "陈立新".into(),
        capacity: Some(10),
        recruit_from: None,
        recruit_until: None,
    };
    insert_activity(conn, &a).expect("activity");
    (store, ids[0], ids[1])
}

fn harness(store: Store) -> Harness<'static, App> {
    Harness::builder().with_size([1400.0, 900.0]).with_context_setup(fonts::install).build_eframe(move |_cc| {
        let mut app = App::new(store, None);
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
    harness.get_by_label_contains("张三 的时数台账：服务信用时数 2.5 小时");
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
