//! The real window, driven through egui_kittest: the first administrator, logging in, the
//! demo offer, tabs by their Chinese labels, roles, locking and a second window.

use crate::Settle as _;
use crate::common;
use crate::type_into;
use crate::wait_for_work;

use std::time::Duration;

use egui::accesskit::Role as A11y;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use volunteer_desk::domain::access::Role;
use volunteer_desk::store::accounts::{NewAccount, create_account};
use volunteer_desk::store::{self, Store};
use volunteer_desk::ui::{App, Tab, TextSize, fonts, strings as s};

fn harness_with(app: App) -> Harness<'static, App> {
    crate::settled(
        Harness::builder().with_size([1280.0, 800.0]).with_context_setup(fonts::install).build_eframe(|_cc| app),
    )
}

fn harness(path: &std::path::Path) -> Harness<'static, App> {
    harness_with(App::new(store::open(path).expect("open"), None))
}

fn log_in(harness: &mut Harness<'static, App>, login: &str, password: &str) {
    type_into(harness, s::LOGIN_NAME, login);
    type_into(harness, s::PASSWORD, password);
    harness.get_by_role_and_label(A11y::Button, s::LOGIN).click();
    harness.settle();
}

#[test]
fn a_new_file_asks_for_its_administrator_then_opens_every_tab() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = harness(&dir.path().join("ui.sqlite3"));
    harness.get_by_label(s::FIRST_RUN_TITLE);
    assert!(harness.query_by_label(s::TAB_REGISTRY).is_none(), "no tabs before the administrator exists");
    type_into(&mut harness, s::LOGIN_NAME, "wang");
    type_into(&mut harness, s::DISPLAY_NAME, "王主任");
    type_into(&mut harness, s::PASSWORD, "wang-secret");
    type_into(&mut harness, s::REPEAT_PASSWORD, "wang-secret");
    harness.get_by_label(s::CREATE_ADMINISTRATOR).click();
    harness.settle();
    // The administrator is asked for a 恢复码 at once (tests/ui/keys.rs): later.
    harness.get_by_role_and_label(A11y::Button, s::LATER).click();
    harness.settle();
    assert!(harness.state().is_open());
    harness.get_by_label("王主任（管理员）");
    // The empty database still offers the demo data.
    harness.get_by_label(s::LOAD_DEMO);

    for tab in [Tab::Calendar, Tab::Attendance, Tab::Contest, Tab::Reports, Tab::System, Tab::Registry] {
        harness.get_by_label(tab.label()).click();
        harness.settle();
        assert_eq!(harness.state().tab(), tab);
    }
}

#[test]
fn the_demo_brings_accounts_and_a_wrong_password_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = harness(&dir.path().join("ui.sqlite3"));
    harness.get_by_label(s::LOAD_DEMO).click();
    wait_for_work(&mut harness);
    harness.get_by_label(s::DEMO_ACCOUNTS_HINT);

    log_in(&mut harness, "admin", "wrong-password");
    harness.get_by_label("登录名或密码不正确");
    assert!(!harness.state().is_open());

    // The login name stays; only the password is typed again.
    type_into(&mut harness, s::PASSWORD, "admin123");
    harness.get_by_role_and_label(A11y::Button, s::LOGIN).click();
    harness.settle();
    assert!(harness.state().is_open());
    assert_eq!(harness.state().counts().volunteers, 2319);
    harness.get_by_label_contains("志愿者 2319 人");
    harness.get_by_label(s::TAB_CONTEST).click();
    harness.settle();
    assert!(harness.query_by_label(s::LOAD_DEMO).is_none());
}

fn store_with_judge(path: &std::path::Path) -> Store {
    let org = common::org_at(path, "市委办公室", 120, "ZD01", "市委办公室支队");
    let judge = NewAccount {
        login: "pw01".into(),
        display_name: "陈评委".into(),
        role: Role::Judge,
        unit_id: Some(org.unit),
        password: "judge-pass".into(),
    };
    create_account(org.store.conn(), &judge).expect("judge");
    org.store
}

#[test]
fn an_administrator_hands_the_desk_to_a_judge_who_sees_only_the_ballot() {
    let dir = tempfile::tempdir().expect("dir");
    let store = store_with_judge(&dir.path().join("ui.sqlite3"));
    let mut harness = harness_with(common::signed_in_app(store));
    harness.get_by_label(s::TAB_REGISTRY);
    harness.get_by_label(s::TAB_SYSTEM);

    harness.get_by_label(s::SWITCH_USER).click();
    harness.settle();
    harness.get_by_label(s::SWITCH_USER_NOTE);
    log_in(&mut harness, "pw01", "judge-pass");
    harness.get_by_label("陈评委（评委）");
    assert_eq!(harness.state().tab(), Tab::Contest);
    for hidden in [s::TAB_REGISTRY, s::TAB_CALENDAR, s::TAB_ATTENDANCE, s::TAB_REPORTS, s::TAB_SYSTEM] {
        assert!(harness.query_by_label(hidden).is_none(), "a judge must not see {hidden}");
    }
    assert!(harness.query_by_label_contains("志愿者").is_none());

    // The judge hands the desk back.
    harness.get_by_label(s::SWITCH_USER).click();
    harness.settle();
    log_in(&mut harness, common::ADMIN_LOGIN, common::ADMIN_PASSWORD);
    // The administrator is asked for a 恢复码 at once (tests/ui/keys.rs): later.
    harness.get_by_role_and_label(A11y::Button, s::LATER).click();
    harness.settle();
    harness.get_by_label(s::TAB_REGISTRY);
}

#[test]
fn an_idle_window_locks_and_the_same_user_unlocks_it() {
    let dir = tempfile::tempdir().expect("dir");
    let store = store_with_judge(&dir.path().join("ui.sqlite3"));
    let mut app = common::signed_in_app(store);
    app.set_idle_limit(Duration::ZERO);
    let mut harness = harness_with(app);
    harness.settle();
    assert!(!harness.state().is_open());
    harness.get_by_label(s::LOCKED_NOTE);
    type_into(&mut harness, s::PASSWORD, common::ADMIN_PASSWORD);
    harness.state_mut().set_idle_limit(Duration::from_secs(3600));
    harness.get_by_role_and_label(A11y::Button, s::LOGIN).click();
    harness.settle();
    assert!(harness.state().is_open(), "the login name was kept");
}

#[test]
fn a_second_window_on_the_same_file_only_reads() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("ui.sqlite3");
    let first = harness_with(common::signed_in_app(store_with_judge(&path)));
    assert!(!first.state().store().is_read_only());
    let mut second = harness_with(common::signed_in_app(store::open(&path).expect("open")));
    second.settle();
    assert!(second.state().store().is_read_only());
    second.get_by_label(s::READ_ONLY_BANNER);
    let err = second.state().store().conn().execute("UPDATE unit SET party_members = 1", []).expect_err("read only");
    assert!(volunteer_desk::Error::from(err).to_string().contains("只能查看"));

    drop(first);
    second.get_by_label(s::RETRY_WRITE).click();
    second.settle();
    assert!(!second.state().store().is_read_only());
}

#[test]
fn text_size_can_be_raised() {
    let dir = tempfile::tempdir().expect("dir");
    let store = store_with_judge(&dir.path().join("ui.sqlite3"));
    let mut harness = harness_with(common::signed_in_app(store));
    harness.get_by_label(s::TEXT_SIZE).click();
    harness.settle();
    harness.get_by_label(s::TEXT_SIZE_EXTRA_LARGE).click();
    harness.settle();
    assert_eq!(harness.state().text_size(), TextSize::ExtraLarge);
    let body = harness.ctx.global_style().text_styles[&egui::TextStyle::Body].size;
    assert_eq!(body, 22.0);
}

#[test]
fn an_account_made_on_the_system_tab_shows_its_slip_once() {
    let dir = tempfile::tempdir().expect("dir");
    let store = store_with_judge(&dir.path().join("ui.sqlite3"));
    let mut harness = harness_with(common::signed_in_app(store));
    harness.get_by_label(s::TAB_SYSTEM).click();
    harness.settle();
    type_into(&mut harness, s::LOGIN_NAME, "luru2");
    type_into(&mut harness, s::DISPLAY_NAME, "孙录入");
    harness.get_by_role_and_label(A11y::ComboBox, s::ROLE).click();
    harness.settle();
    harness.get_by_label(Role::Clerk.label()).click();
    harness.settle();
    harness.get_by_role_and_label(A11y::Button, s::ADD_ACCOUNT).click();
    harness.settle();
    let slip = harness.get_by_label_contains("初始密码：").accesskit_node().value().expect("slip text");
    let password = slip.lines().find_map(|l| l.strip_prefix("初始密码：")).expect("password line").to_string();
    assert_eq!(password.len(), 8);

    // The next user at the desk does not see it, nor does the same administrator coming back.
    harness.get_by_label(s::SWITCH_USER).click();
    harness.settle();
    log_in(&mut harness, common::ADMIN_LOGIN, common::ADMIN_PASSWORD);
    // The administrator is asked for a 恢复码 at once (tests/ui/keys.rs): later.
    harness.get_by_role_and_label(A11y::Button, s::LATER).click();
    harness.settle();
    assert!(harness.query_by_label_contains("初始密码：").is_none());

    // The slip works once, and asks for a new password first.
    harness.get_by_label(s::SWITCH_USER).click();
    harness.settle();
    log_in(&mut harness, "luru2", &password);
    harness.get_by_label(s::MUST_CHANGE_PASSWORD_HINT);
    type_into(&mut harness, s::CURRENT_PASSWORD, &password);
    type_into(&mut harness, s::NEW_PASSWORD, "my-own-pass");
    type_into(&mut harness, s::REPEAT_PASSWORD, "my-own-pass");
    harness.get_by_role_and_label(A11y::Button, s::SAVE).click();
    harness.settle();
    assert!(harness.state().is_open());
    harness.get_by_label("孙录入（录入员）");
    assert!(harness.query_by_label(s::TAB_SYSTEM).is_none(), "a clerk has no 系统 tab");
}

/// 系统 → 操作日志: the check gives the newest entry's 校验码 to write down, and a code written
/// down is checked against the log.
#[test]
fn the_audit_check_gives_a_code_to_write_down_and_checks_one() {
    let dir = tempfile::tempdir().expect("dir");
    let store = store_with_judge(&dir.path().join("ui.sqlite3"));
    let mut harness = harness_with(common::signed_in_app(store));
    harness.get_by_label(s::TAB_SYSTEM).click();
    harness.settle();
    harness.get_by_label(s::AUDIT_LOG).click();
    harness.settle();
    harness.get_by_role_and_label(A11y::Button, s::VERIFY_AUDIT).click();
    harness.settle();
    let shown = harness.get_by_label_contains("最新一条的校验码：").accesskit_node().value().expect("verdict text");
    let code = shown.split_once("校验码：").and_then(|(_, rest)| rest.split_once('（')).expect("code").0.to_string();
    assert!(code.contains(':'), "{shown}");

    type_into(&mut harness, s::ANCHOR, &code);
    harness.get_by_role_and_label(A11y::Button, s::CHECK_ANCHOR).click();
    harness.settle();
    harness.get_by_label_contains("核对一致");

    let (entry, _) = code.split_once(':').expect("entry");
    let wrong = format!("{entry}:0000-0000-0000-0000");
    harness.get_by_role_and_label(A11y::TextInput, s::ANCHOR).focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.settle();
    harness.get_by_role_and_label(A11y::TextInput, s::ANCHOR).type_text(&wrong);
    harness.settle();
    harness.get_by_role_and_label(A11y::Button, s::CHECK_ANCHOR).click();
    harness.settle();
    harness.get_by_label_contains("校验码不符：抄写有误或日志被改动，请核对");
}
