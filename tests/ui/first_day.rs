//! A real office's first day in the window: an empty file, the administrator, then every
//! step through the window alone — the import from the empty state, a unit, the 总队, a 支队, a
//! volunteer, an activity and a sign-in — until the 开始使用 checklist is done. Also: each role
//! sees only the steps it may take, and the demo never goes into a file that holds data.

use crate::Settle as _;
use crate::common;
use crate::{type_into, wait_for_work, write_units};

use std::path::PathBuf;

use common::at;
use egui::accesskit::Role as A11y;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use volunteer_desk::domain::TeamKind;
use volunteer_desk::domain::access::Role;
use volunteer_desk::store::accounts::{NewAccount, create_account};
use volunteer_desk::store::units::{NewUnit, insert_unit};
use volunteer_desk::store::{self, Store};
use volunteer_desk::ui::dialogs::FileDialogs;
use volunteer_desk::ui::{App, Tab, fonts, strings as s};

/// Answers the open dialog with `units.xlsx` and the save dialog with `模板.xlsx`.
struct Answer(PathBuf);

impl FileDialogs for Answer {
    fn open_workbook(&self) -> Option<PathBuf> {
        Some(self.0.join("units.xlsx"))
    }
    fn save_workbook(&self, _file_name: &str) -> Option<PathBuf> {
        Some(self.0.join("模板.xlsx"))
    }
    fn open_photo(&self) -> Option<PathBuf> {
        None
    }
}

fn harness_with(app: App) -> Harness<'static, App> {
    crate::settled(
        Harness::builder()
            .with_size([1400.0, 1000.0])
            .with_max_steps(16)
            .with_context_setup(fonts::install)
            .build_eframe(|_cc| app),
    )
}

fn choose(harness: &mut Harness<'static, App>, combo: &str, option: &str) {
    harness.get_by_role_and_label(A11y::ComboBox, combo).click();
    harness.settle();
    harness.get_by_label(option).click();
    harness.settle();
}

fn click(harness: &mut Harness<'static, App>, label: &str) {
    harness.get_by_label(label).click();
    harness.settle();
}

#[test]
fn the_first_day_is_done_through_the_window_alone() {
    let dir = tempfile::tempdir().expect("dir");
    write_units(&dir.path().join("units.xlsx"), &[("市审计局", "33"), ("市统计局", "27")]);
    let mut app = App::new(store::open(&dir.path().join("new.sqlite3")).expect("open"), None)
        .with_dialogs(Box::new(Answer(dir.path().to_path_buf())));
    app.set_clock(at("2026-11-20 10:00"));
    let mut harness = harness_with(app);

    for (label, text) in [
        (s::LOGIN_NAME, "wang"),
        (s::DISPLAY_NAME, "王主任"),
        (s::PASSWORD, "wang-secret"),
        (s::REPEAT_PASSWORD, "wang-secret"),
    ] {
        type_into(&mut harness, label, text);
    }
    click(&mut harness, s::CREATE_ADMINISTRATOR);
    // The 恢复码 is asked for at once (tests/ui/keys.rs): later.
    harness.get_by_role_and_label(A11y::Button, s::LATER).click();
    harness.settle();
    assert!(harness.state().is_open());

    // The empty 队伍 tab says what is missing and offers every next step, the demo last.
    harness.get_by_label(s::NO_UNITS);
    for offered in [s::IMPORT_WORKBOOK, s::DOWNLOAD_TEMPLATE, s::NEW_UNIT, s::LOAD_DEMO] {
        harness.get_by_role_and_label(A11y::Button, offered);
    }
    harness.get_by_label("1. 单位：未完成");
    harness.get_by_label("5. 签到：未完成");

    // The template is written where the dialog said.
    click(&mut harness, s::DOWNLOAD_TEMPLATE);
    assert!(dir.path().join("模板.xlsx").exists(), "the template is saved");

    // The import, from the empty state's button.
    harness.get_by_label(s::IMPORT_WORKBOOK).click();
    wait_for_work(&mut harness);
    harness.get_by_label(s::CONFIRM_IMPORT).click();
    wait_for_work(&mut harness);
    assert_eq!(harness.state().counts().units, 2);
    harness.get_by_label_contains("导入完成：新增 2 条记录");
    assert!(harness.query_by_label(s::NO_UNITS).is_none(), "the 队伍 tab shows the registry now");
    assert!(harness.query_by_label(s::LOAD_DEMO).is_none(), "the demo is never offered once data is in");

    // A unit of its own, in the unit form.
    click(&mut harness, s::NEW_UNIT);
    type_into(&mut harness, s::NEW_UNIT_NAME, "市民政局");
    type_into(&mut harness, s::PARTY_MEMBERS, "47");
    click(&mut harness, s::SAVE);
    let units = harness.state().store().units().expect("units");
    let civil = units.iter().find(|u| u.name == "市民政局").expect("the unit was saved");
    assert_eq!(civil.party_members, 47);

    // The 总队, from the empty team tree.
    harness.get_by_label(s::NO_CORPS_YET);
    click(&mut harness, s::NEW_CORPS);
    type_into(&mut harness, s::FIELD_TEAM_CODE, "ZD");
    type_into(&mut harness, s::FIELD_TEAM_NAME, "市直机关志愿服务总队");
    choose(&mut harness, s::FIELD_UNIT, "市民政局");
    type_into(&mut harness, s::FIELD_MANAGER, "周杰");
    type_into(&mut harness, s::FIELD_MANAGER_PHONE, "13600001234");
    click(&mut harness, s::SAVE);
    assert!(harness.query_by_label(s::NO_CORPS_YET).is_none(), "one 总队, and no second offered");

    // A 支队 under it.
    click(&mut harness, "市直机关志愿服务总队（0人）");
    click(&mut harness, s::ADD_CHILD_TEAM);
    harness.get_by_label(TeamKind::Detachment.label());
    type_into(&mut harness, s::FIELD_TEAM_CODE, "ZD-13");
    type_into(&mut harness, s::FIELD_TEAM_NAME, "民政局支队");
    choose(&mut harness, s::FIELD_UNIT, "市民政局");
    type_into(&mut harness, s::FIELD_MANAGER, "李娜");
    type_into(&mut harness, s::FIELD_MANAGER_PHONE, "13600005678");
    click(&mut harness, s::SAVE);
    let teams = harness.state().store().teams().expect("teams");
    let kinds: Vec<(TeamKind, &str)> = teams.iter().map(|t| (t.kind, t.name.as_str())).collect();
    assert_eq!(kinds, [(TeamKind::Corps, "市直机关志愿服务总队"), (TeamKind::Detachment, "民政局支队")]);

    // A volunteer in the 支队.
    click(&mut harness, "民政局支队（0人）");
    click(&mut harness, s::ADD_VOLUNTEER);
    type_into(&mut harness, s::FIELD_NAME, "张三");
    type_into(&mut harness, s::FIELD_ID_NUMBER, &common::id_number("33038119790101123"));
    type_into(&mut harness, s::FIELD_PHONE, "13700000000");
    click(&mut harness, s::SAVE);
    assert_eq!(harness.state().counts().volunteers, 1);

    // An activity, from the checklist's step, on 2026-11-27 09:00–11:00.
    click(&mut harness, "4. 活动：未完成");
    assert_eq!(harness.state().tab(), Tab::Calendar);
    type_into(&mut harness, s::FIELD_ACTIVITY_NAME, "敬老院陪护");
    choose(&mut harness, s::FIELD_ORGANISER, "民政局支队");
    choose(&mut harness, s::FIELD_CATEGORY, "文明创建");
    click(&mut harness, s::SAVE);
    assert_eq!(harness.state().counts().activities, 1);

    // The sign-in, at the desk on the day.
    harness.state_mut().set_clock(at("2026-11-27 09:05"));
    click(&mut harness, "5. 签到：未完成");
    assert_eq!(harness.state().tab(), Tab::Attendance);
    choose(&mut harness, s::DESK_ACTIVITY, "2026-11-27 09:00 敬老院陪护（民政局支队）");
    harness.get_by_role_and_label(A11y::TextInput, s::DESK_SEARCH).type_text("zs");
    harness.settle();
    harness.key_press(egui::Key::Enter);
    harness.settle();
    // Nobody signed up: the desk asks 现场报名？ before writing.
    assert_eq!(harness.state().counts().sessions, 0);
    click(&mut harness, s::WALK_IN_CONFIRM);
    assert_eq!(harness.state().counts().sessions, 1);

    // Every step is done: the checklist says so, folded away until opened.
    click(&mut harness, s::GETTING_STARTED_DONE);
    let lines = [
        "1. 单位：已完成（3 个）",
        "2. 队伍：已完成（2 支）",
        "3. 志愿者：已完成（1 人）",
        "4. 活动：已完成（1 次）",
        "5. 签到：已完成（1 人次）",
    ];
    for line in lines {
        harness.get_by_role_and_label(A11y::Button, line);
    }
}

/// An empty file with an administrator, a 录入员 and a 监督.
fn staffed(path: &std::path::Path) -> Store {
    let store = store::open(path).expect("open");
    for (login, name, role) in
        [("admin", "王主任", Role::Admin), ("luru", "李录入", Role::Clerk), ("jiandu", "赵监督", Role::Supervisor)]
    {
        let account = NewAccount {
            login: login.into(),
            display_name: name.into(),
            role,
            unit_id: None,
            password: format!("{login}-pass"),
        };
        create_account(store.conn(), &account).expect("account");
    }
    store
}

fn signed_in(store: Store, login: &str) -> Harness<'static, App> {
    let mut app = App::new(store, None);
    app.sign_in(login, &format!("{login}-pass")).expect("sign in");
    harness_with(app)
}

#[test]
fn each_role_is_offered_only_the_steps_it_may_take() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("roles.sqlite3");
    drop(staffed(&path));

    // A 录入员 enters data but never loads the demo.
    let clerk = signed_in(store::open(&path).expect("open"), "luru");
    clerk.get_by_label(s::NO_UNITS);
    for offered in [s::IMPORT_WORKBOOK, s::DOWNLOAD_TEMPLATE, s::NEW_UNIT] {
        clerk.get_by_role_and_label(A11y::Button, offered);
    }
    assert!(clerk.query_by_label(s::LOAD_DEMO).is_none(), "the demo is the administrator's");
    assert!(clerk.query_by_label(s::DEMO_NEEDS_EMPTY).is_none());
    clerk.get_by_role_and_label(A11y::Button, "1. 单位：未完成");
    drop(clerk);

    // A 监督 reads: the empty state says who fills it, and offers nothing.
    let supervisor = signed_in(store::open(&path).expect("open"), "jiandu");
    supervisor.get_by_label(s::NO_UNITS);
    supervisor.get_by_label(s::READ_ONLY_EMPTY_HINT);
    for withheld in [s::IMPORT_WORKBOOK, s::DOWNLOAD_TEMPLATE, s::NEW_UNIT, s::LOAD_DEMO] {
        assert!(supervisor.query_by_label(withheld).is_none(), "a supervisor must not be offered {withheld}");
    }
    assert!(supervisor.query_by_role_and_label(A11y::Button, "1. 单位：未完成").is_none(), "a step shown, not offered");
    supervisor.get_by_label("1. 单位：未完成");
}

#[test]
fn the_demo_is_refused_with_the_reason_on_a_file_that_holds_data() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("data.sqlite3");
    let store = store::open(&path).expect("open");
    insert_unit(store.conn(), &NewUnit { name: "市审计局".into(), party_members: 33 }).expect("unit");

    // Imported from the command line, no accounts yet: the gate says why there is no demo.
    let gate = harness_with(App::new(store, None));
    gate.get_by_label(s::FIRST_RUN_TITLE);
    gate.get_by_label(s::DEMO_NEEDS_EMPTY);
    assert!(gate.query_by_label(s::LOAD_DEMO).is_none());
    drop(gate);

    // Logged in: the empty 日历 offers the 总队 and says why there is no demo.
    let mut harness = harness_with(common::signed_in_app(store::open(&path).expect("open")));
    harness.state_mut().show_tab(Tab::Calendar);
    harness.settle();
    harness.get_by_label(s::NO_TEAMS);
    harness.get_by_role_and_label(A11y::Button, s::NEW_CORPS);
    harness.get_by_label(s::DEMO_NEEDS_EMPTY);
    assert!(harness.query_by_label(s::LOAD_DEMO).is_none());

    // The store refuses it too, and nothing changes.
    let mut store = store::open(&path).expect("open");
    let before = store.counts().expect("counts");
    let refused = volunteer_desk::demo::load_demo(&mut store, at("2026-11-20 10:00")).expect_err("refused");
    assert_eq!(refused.to_string(), s::DEMO_NEEDS_EMPTY);
    assert_eq!(store.counts().expect("counts"), before);
}

#[test]
fn a_form_stops_typing_at_the_text_limit_and_the_store_refuses_longer() {
    let dir = tempfile::tempdir().expect("dir");
    let org = common::org_at(&dir.path().join("limits.sqlite3"), "市审计局", 33, "ZD-01", "审计局支队");
    let mut harness = harness_with(common::signed_in_app(org.store));
    click(&mut harness, s::NEW_UNIT);
    type_into(&mut harness, s::NEW_UNIT_NAME, &"长".repeat(70));
    let typed = harness.get_by_role_and_label(A11y::TextInput, s::NEW_UNIT_NAME).accesskit_node().value();
    assert_eq!(typed.map(|v| v.chars().count()), Some(60), "a unit name holds 60 characters");
    click(&mut harness, s::SAVE);
    let units = harness.state().store().units().expect("units");
    assert!(units.iter().any(|u| u.name == "长".repeat(60)), "the 60 characters typed are saved");

    let mut store = store::open(&dir.path().join("limits.sqlite3")).expect("open");
    let refused = store.save_unit(None, &NewUnit { name: "短".repeat(61), party_members: 0 }).expect_err("too long");
    assert!(refused.to_string().contains("过长"), "{refused}");
    assert_eq!(store.units().expect("units").len(), 2, "nothing written");
}

#[test]
fn a_unit_is_renamed_in_its_form_and_a_taken_name_is_refused_there() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("units.sqlite3");
    let org = common::org_at(&path, "市审计局", 33, "ZD-01", "审计局支队");
    insert_unit(org.store.conn(), &NewUnit { name: "市统计局".into(), party_members: 27 }).expect("unit");
    let mut harness = harness_with(common::signed_in_app(org.store));
    click(&mut harness, "单位与党员总数（2 个）");
    harness.get_all_by_label(s::EDIT_UNIT).next().expect("an edit button per unit").click();
    harness.settle();
    harness.get_by_role_and_label(A11y::Window, s::EDIT_UNIT);
    type_into(&mut harness, s::NEW_UNIT_NAME, "市统计局");
    click(&mut harness, s::SAVE);
    harness.get_by_label("单位“市统计局”已存在");

    type_into(&mut harness, s::NEW_UNIT_NAME, "市审计局（市审计委员会办公室）");
    type_into(&mut harness, s::PARTY_MEMBERS, "35");
    click(&mut harness, s::SAVE);
    let units = harness.state().store().units().expect("units");
    let renamed: Vec<(&str, i64)> = units.iter().map(|u| (u.name.as_str(), u.party_members)).collect();
    assert_eq!(renamed, [("市审计局（市审计委员会办公室）", 35), ("市统计局", 27)]);
    harness.get_by_label_contains("已保存单位 市审计局（市审计委员会办公室）");
}

#[test]
fn the_empty_states_new_unit_opens_its_form_on_a_file_with_nothing_in_it() {
    let dir = tempfile::tempdir().expect("dir");
    let mut app = App::new(store::open(&dir.path().join("new.sqlite3")).expect("open"), None);
    app.set_clock(at("2026-11-20 10:00"));
    let mut harness = harness_with(app);
    for (label, text) in [
        (s::LOGIN_NAME, "wang"),
        (s::DISPLAY_NAME, "王主任"),
        (s::PASSWORD, "wang-secret"),
        (s::REPEAT_PASSWORD, "wang-secret"),
    ] {
        type_into(&mut harness, label, text);
    }
    click(&mut harness, s::CREATE_ADMINISTRATOR);
    // The 恢复码 is asked for at once (tests/ui/keys.rs): later.
    harness.get_by_role_and_label(A11y::Button, s::LATER).click();
    harness.settle();
    harness.get_by_label(s::NO_UNITS);
    // Nothing else exists yet: the form must show although the tab has nothing to list.
    click(&mut harness, s::NEW_UNIT);
    type_into(&mut harness, s::NEW_UNIT_NAME, "市民政局");
    click(&mut harness, s::SAVE);
    let units = harness.state().store().units().expect("units");
    assert_eq!(units.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(), ["市民政局"]);
    assert!(harness.query_by_label(s::NO_UNITS).is_none(), "the empty state has gone");
}

#[test]
fn a_step_on_another_tab_moves_to_the_tab_it_names_with_its_form_open() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("steps.sqlite3");
    let mut harness = signed_in(staffed(&path), "luru");
    harness.state_mut().show_tab(Tab::Reports);
    harness.settle();
    click(&mut harness, "1. 单位：未完成");
    assert_eq!(harness.state().tab(), Tab::Registry, "the step asked the app, which moved to 队伍");
    type_into(&mut harness, s::NEW_UNIT_NAME, "市民政局");
    click(&mut harness, s::SAVE);
    assert_eq!(harness.state().counts().units, 1, "the unit form the step opened saved the unit");

    // The 队伍 step, from 日历: the 总队's form on 队伍.
    harness.state_mut().show_tab(Tab::Calendar);
    harness.settle();
    click(&mut harness, "2. 队伍：未完成");
    assert_eq!(harness.state().tab(), Tab::Registry);
    harness.get_by_label(s::FIELD_TEAM_CODE);
}
