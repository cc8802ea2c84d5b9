//! Issue #25 in the window: another database's backup restored only after a warning naming
//! both, the window back at the login after any restore, and the lock after five failed
//! log-ins said at the login screen.

use crate::Settle as _;
use std::path::{Path, PathBuf};

use egui::accesskit::Role as A11y;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use volunteer_desk::domain::access::Role;
use volunteer_desk::store::accounts::{NewAccount, create_account};
use volunteer_desk::store::{self, backups};
use volunteer_desk::ui::Tab;
use volunteer_desk::ui::dialogs::FileDialogs;
use volunteer_desk::ui::{App, fonts, strings as s};

use crate::{click_and_watch, common, type_into};

/// Answers 从备份恢复 with one file; opens nothing else.
struct OpenBackup(PathBuf);

impl FileDialogs for OpenBackup {
    fn open_workbook(&self) -> Option<PathBuf> {
        None
    }
    fn save_workbook(&self, _file_name: &str) -> Option<PathBuf> {
        None
    }
    fn open_photo(&self) -> Option<PathBuf> {
        None
    }
    fn open_database(&self) -> Option<PathBuf> {
        Some(self.0.clone())
    }
}

fn harness_with(app: App) -> Harness<'static, App> {
    crate::settled(
        Harness::builder().with_size([1280.0, 800.0]).with_context_setup(fonts::install).build_eframe(|_cc| app),
    )
}

fn click_button(harness: &mut Harness<'static, App>, label: &str) {
    harness.get_by_role_and_label(A11y::Button, label).click();
    harness.settle();
}

fn log_in(harness: &mut Harness<'static, App>, login: &str, password: &str) {
    type_into(harness, s::LOGIN_NAME, login);
    type_into(harness, s::PASSWORD, password);
    click_button(harness, s::LOGIN);
}

fn units(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).expect("open");
    let mut statement = conn.prepare("SELECT name FROM unit ORDER BY id").expect("prepare");
    statement.query_map([], |r| r.get(0)).expect("query").collect::<rusqlite::Result<_>>().expect("rows")
}

#[test]
fn another_databases_backup_is_restored_only_after_a_warning_and_the_window_returns_to_the_login() {
    let dir = tempfile::tempdir().expect("dir");
    let finance = common::org_at(&dir.path().join("市财政局.sqlite3"), "市财政局", 83, "ZD-CZJ", "财政局支队");
    let their_admin = NewAccount {
        login: "czj".into(),
        display_name: "财政局管理员".into(),
        role: Role::Admin,
        unit_id: None,
        password: "finance-pass".into(),
    };
    create_account(finance.store.conn(), &their_admin).expect("their administrator");
    let folder = backups::folder_for(finance.store.path());
    let of_finance =
        backups::daily_backup(&finance.store, &folder, common::date("2026-12-07")).expect("b").expect("made");
    drop(finance);
    let education = common::org_at(&dir.path().join("市教育局.sqlite3"), "市教育局", 120, "ZD-JYJ", "教育局支队");
    let path = education.store.path().to_path_buf();
    let mut app = common::signed_in_app(education.store).with_dialogs(Box::new(OpenBackup(of_finance.clone())));
    app.set_clock(common::at("2026-12-07 10:00"));
    let mut harness = harness_with(app);
    harness.state_mut().show_tab(Tab::System);
    harness.settle();
    click_button(&mut harness, s::BACKUPS);
    harness.get_by_label_contains("另有 1 份备份属于其他数据库");

    // Offered as what it is, naming both databases; 取消 changes nothing.
    click_button(&mut harness, s::RESTORE_BACKUP);
    harness.get_by_label(s::RESTORE_OTHER_TITLE);
    harness.get_by_label_contains(&format!("“{}”是另一个数据库", of_finance.display()));
    harness.get_by_label_contains(&format!("当前数据库“{}”", path.display()));
    assert!(harness.query_by_label(s::CONFIRM_RESTORE).is_none(), "not the ordinary 确认恢复");
    click_button(&mut harness, s::CANCEL);
    assert_eq!(units(&path), ["市教育局"]);
    assert!(harness.state().is_open());

    click_button(&mut harness, s::RESTORE_BACKUP);
    assert!(click_and_watch(&mut harness, s::CONFIRM_RESTORE_OTHER, s::RESTORING), "the copy runs on a worker");
    assert_eq!(units(&path), ["市财政局"]);
    // The account logged in does not exist in the data restored: nobody acts until a log-in.
    assert!(!harness.state().is_open(), "back at the login");
    harness.get_by_label(s::RESTORED_NOTE);
    assert_eq!(harness.state().store().actor().account_id, None);
    harness.get_by_label_contains("已恢复。恢复前的数据另存为");
    // Only the restored file's accounts log in now, and the log names who did.
    log_in(&mut harness, common::ADMIN_LOGIN, common::ADMIN_PASSWORD);
    assert!(!harness.state().is_open(), "the account before the restore is not in this data");
    log_in(&mut harness, "czj", "finance-pass");
    assert!(harness.state().is_open());
    assert!(harness.state().store().actor().name.contains("财政局管理员"));
}

/// The clerk `luru` (password `luru-secret`) the lock tests fail to log in as.
fn add_clerk(org: &common::Org) {
    let clerk = NewAccount {
        login: "luru".into(),
        display_name: "李录入".into(),
        role: Role::Clerk,
        unit_id: None,
        password: "luru-secret".into(),
    };
    create_account(org.store.conn(), &clerk).expect("clerk");
}

#[test]
fn five_failed_log_ins_lock_the_account_and_the_login_screen_says_until_when() {
    let org = common::org("市委办公室", 120, "ZD01", "市委办公室支队");
    add_clerk(&org);
    let common::Org { dir, store, .. } = org;
    let path = store.path().to_path_buf();
    let mut app = App::new(store, None);
    app.set_clock(common::at("2026-12-07 09:00"));
    let mut harness = harness_with(app);
    for _ in 0..4 {
        log_in(&mut harness, "luru", "wrong-pass");
        harness.get_by_label("登录名或密码不正确");
    }
    log_in(&mut harness, "luru", "wrong-pass");
    harness.get_by_label_contains("已锁定至 2026-12-07 09:15");
    log_in(&mut harness, "luru", "luru-secret");
    harness.get_by_label_contains("已锁定至 2026-12-07 09:15");
    assert!(!harness.state().is_open(), "the right password waits for the lock to end");

    harness.state_mut().set_clock(common::at("2026-12-07 09:16"));
    log_in(&mut harness, "luru", "luru-secret");
    assert!(harness.state().is_open(), "the lock ends after 15 minutes");
    let locks: i64 = rusqlite::Connection::open(&path)
        .expect("open")
        .query_row("SELECT count(*) FROM audit_log WHERE kind = '账号锁定'", [], |r| r.get(0))
        .expect("count");
    assert_eq!(locks, 1);
    drop(store::open(&path).expect("still opens"));
    drop(dir);
}

#[test]
fn an_administrator_sees_the_lock_in_the_account_list_and_lifts_it() {
    let org = common::org("市委办公室", 120, "ZD01", "市委办公室支队");
    add_clerk(&org);
    // The administrator is there before: the window's log-in then fails nowhere (a failure
    // at the wall clock's time would drop the lock the test clock's failures made, as over).
    common::create_admin(org.store.conn());
    let now = common::at("2026-12-07 09:00");
    for _ in 0..5 {
        org.store.sign_in("luru", "wrong-pass", now).expect_err("wrong");
    }
    let common::Org { dir, store, .. } = org;
    let mut app = common::signed_in_app(store);
    app.set_clock(now);
    let mut harness = harness_with(app);
    harness.state_mut().show_tab(Tab::System);
    harness.settle();
    click_button(&mut harness, s::ACCOUNTS);
    harness.get_by_label("登录失败已锁定至 2026-12-07 09:15");
    click_button(&mut harness, s::LIFT_LOCK);
    harness.get_by_label_contains("已解除锁定");
    assert!(harness.query_by_label_contains("已锁定至").is_none());
    assert!(harness.state().store().sign_in("luru", "luru-secret", now).is_ok(), "the clerk logs in again");
    drop(dir);
}
