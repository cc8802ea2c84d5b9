//! 系统 → 数据密钥 (issue #20): the 恢复码 asked for after the first administrator is made,
//! shown once and saved to print; a copy on a machine without the key says so, refuses
//! 显示证件号, refuses a wrong code with no change and opens with the right one; backups taken
//! before the numbers were sealed are re-made sealed.

use crate::Settle as _;
use crate::{click_and_watch, type_into};
use std::path::{Path, PathBuf};

use egui::accesskit::Role as A11y;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use volunteer_desk::keystore::Keystore;
use volunteer_desk::store::accounts::sign_in;
use volunteer_desk::store::keys::NO_KEY;
use volunteer_desk::store::{self, Store, backups};
use volunteer_desk::ui::Tab;
use volunteer_desk::ui::dialogs::FileDialogs;
use volunteer_desk::ui::{App, fonts, strings as s};

use crate::common;

/// Saves the 恢复码 sheet into the test's folder; opens nothing.
struct SaveTextInto(PathBuf);

impl FileDialogs for SaveTextInto {
    fn open_workbook(&self) -> Option<PathBuf> {
        None
    }
    fn save_workbook(&self, _file_name: &str) -> Option<PathBuf> {
        None
    }
    fn open_photo(&self) -> Option<PathBuf> {
        None
    }
    fn save_text(&self, file_name: &str) -> Option<PathBuf> {
        Some(self.0.join(file_name))
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

/// The store on `path` acting as its administrator.
fn as_admin(mut store: Store) -> Store {
    let admin = sign_in(store.conn(), common::ADMIN_LOGIN, common::ADMIN_PASSWORD).expect("admin").actor;
    store.act_as(admin).expect("act as");
    store
}

/// A database with one volunteer (ID `330381198001011234`-like, phone 13812345678) and an
/// administrator; with a 恢复码 when `code` is wanted, which is returned.
fn office(dir: &Path, code: bool) -> (PathBuf, Option<String>, String) {
    let org = common::org_at(&dir.join("office.sqlite3"), "市委办公室", 120, "ZD01", "市委办公室支队");
    org.volunteer(org.detachment, "ZY00001", "张三", "33038119800101123", "13812345678");
    let path = org.store.path().to_path_buf();
    drop(common::signed_in_app(org.store));
    let made = code.then(|| as_admin(store::open(&path).expect("open")).make_recovery_code().expect("code"));
    (path, made, common::id_number("33038119800101123"))
}

#[test]
fn the_first_administrator_is_asked_for_a_recovery_code_shown_once_and_saved_to_print() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("new.sqlite3");
    let app = App::new(store::open(&path).expect("open"), None).with_dialogs(Box::new(SaveTextInto(dir.path().into())));
    let mut harness = harness_with(app);
    type_into(&mut harness, s::LOGIN_NAME, "wang");
    type_into(&mut harness, s::DISPLAY_NAME, "王主任");
    type_into(&mut harness, s::PASSWORD, "wang-secret");
    type_into(&mut harness, s::REPEAT_PASSWORD, "wang-secret");
    click_button(&mut harness, s::CREATE_ADMINISTRATOR);
    harness.get_by_label_contains("尚未生成恢复码。");

    // 稍后: the prompt goes, the banner stays and leads to the same place.
    click_button(&mut harness, s::LATER);
    assert!(harness.query_by_label_contains("尚未生成恢复码。").is_none());
    harness.get_by_label(s::NO_RECOVERY_CODE_BANNER);
    assert_eq!(harness.state().store().key_status().expect("status").recovery_set_at, None);
    // argon2 runs on a worker while the window says so.
    assert!(click_and_watch(&mut harness, s::MAKE_RECOVERY_CODE, s::MAKING_RECOVERY_CODE), "the work is on screen");
    assert_eq!(harness.state().tab(), Tab::System);
    let code = harness.state().recovery_code_shown().expect("the code is on screen").to_string();
    harness.get_by_label(&code);
    harness.get_by_label(s::NEW_RECOVERY_CODE_TITLE);
    assert!(harness.state().store().key_status().expect("status").recovery_set_at.is_some());
    assert!(harness.query_by_label(s::NO_RECOVERY_CODE_BANNER).is_none(), "the reminder is done");

    // Esc does not close it: the code is never shown again.
    harness.key_press(egui::Key::Escape);
    harness.settle();
    harness.get_by_label(&code);

    click_button(&mut harness, s::SAVE_RECOVERY_SHEET);
    let sheet = std::fs::read_to_string(dir.path().join("数据库恢复码.txt")).expect("sheet");
    // The sheet names the database and the key it opens, when, and where the code goes.
    let status = harness.state().store().key_status().expect("status");
    let database = std::path::absolute(harness.state().store().path()).expect("absolute");
    for line in [
        format!("    {code}"),
        format!("数据库文件：{}", database.display()),
        format!("数据密钥编号：{}", status.key_id),
        "“系统 → 数据密钥 → 输入恢复码”".to_string(),
    ] {
        assert!(sheet.contains(&line), "{line} in {sheet}");
    }
    assert!(sheet.contains("生成时间：20"), "{sheet}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir.path().join("数据库恢复码.txt")).expect("meta").permissions().mode();
        assert_eq!(mode & 0o077, 0, "the sheet is this account's only");
    }
    click_button(&mut harness, s::RECOVERY_CODE_NOTED);
    assert!(harness.query_by_label(&code).is_none());
    assert_eq!(harness.state().recovery_code_shown(), None);

    // The code opens a copy on a machine that never had the key.
    let copy = dir.path().join("copy.sqlite3");
    harness.state().store().backup_to(&copy).expect("copy");
    let keys = tempfile::tempdir().expect("keys");
    let mut elsewhere = store::open_with_keystore(&copy, &Keystore::Folder(keys.path().into())).expect("open copy");
    assert!(!elsewhere.has_key());
    let admin = sign_in(elsewhere.conn(), "wang", "wang-secret").expect("admin").actor;
    elsewhere.act_as(admin).expect("act");
    elsewhere.unlock_with_recovery_code(&code.to_lowercase()).expect("the code shown unlocks");
    assert!(elsewhere.has_key());
}

#[test]
fn a_new_code_replaces_the_old_one_after_a_question() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, old, _) = office(dir.path(), true);
    let old = old.expect("old code");
    let mut harness = harness_with(common::signed_in_app(store::open(&path).expect("open")));
    harness.state_mut().show_tab(Tab::System);
    harness.settle();
    click_button(&mut harness, s::DATA_KEY);
    harness.get_by_label_contains("恢复码生成于");
    click_button(&mut harness, s::MAKE_RECOVERY_CODE);
    harness.get_by_label(s::REPLACE_RECOVERY_CODE);
    assert_eq!(harness.state().recovery_code_shown(), None, "nothing is made before the answer");
    assert!(click_and_watch(&mut harness, s::CONFIRM_NEW_CODE, s::MAKING_RECOVERY_CODE));
    let new = harness.state().recovery_code_shown().expect("new code").to_string();
    assert_ne!(new, old);
    click_button(&mut harness, s::RECOVERY_CODE_NOTED);

    let copy = dir.path().join("copy.sqlite3");
    harness.state().store().backup_to(&copy).expect("copy");
    let keys = tempfile::tempdir().expect("keys");
    let elsewhere = store::open_with_keystore(&copy, &Keystore::Folder(keys.path().into())).expect("open copy");
    let mut elsewhere = as_admin(elsewhere);
    let refused = elsewhere.unlock_with_recovery_code(&old).expect_err("the old code stopped working");
    assert!(refused.to_string().contains("恢复码不正确"), "{refused}");
    elsewhere.unlock_with_recovery_code(&new).expect("the new one works");
}

#[test]
fn a_copy_without_the_key_says_so_refuses_ids_and_a_wrong_code_then_opens_with_the_right_one() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, code, id_number) = office(dir.path(), true);
    let code = code.expect("code");
    let copy = dir.path().join("copy.sqlite3");
    store::open(&path).expect("open").backup_to(&copy).expect("copy");
    let keys = tempfile::tempdir().expect("an empty credential store");
    let keystore = Keystore::Folder(keys.path().into());
    let mut harness = harness_with(App::new(store::open_with_keystore(&copy, &keystore).expect("open copy"), None));
    harness.get_by_label_contains(s::NO_KEY_BANNER);
    log_in(&mut harness, common::ADMIN_LOGIN, common::ADMIN_PASSWORD);
    assert!(harness.query_by_label_contains("尚未生成恢复码").is_none(), "a code exists: nothing to ask");
    harness.get_by_label_contains(s::NO_KEY_BANNER);

    // 显示证件号 is refused with the store's reason; the list keeps the masked form.
    harness.state_mut().show_tab(Tab::Registry);
    harness.settle();
    harness.get_by_label("张三").click();
    harness.settle();
    click_button(&mut harness, s::REVEAL_ID);
    harness.get_by_label_contains(NO_KEY);
    // The window's way to the key, not the command line's option.
    assert!(NO_KEY.contains("系统 → 数据密钥 → 输入恢复码") && !NO_KEY.contains("--recovery-code-file"));
    assert!(harness.query_by_label(&id_number).is_none());

    // A wrong code is refused in the form; nothing is kept.
    click_button(&mut harness, s::ENTER_RECOVERY_CODE);
    assert_eq!(harness.state().tab(), Tab::System);
    type_into(&mut harness, s::RECOVERY_CODE, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF");
    assert!(click_and_watch(&mut harness, s::UNLOCK, s::CHECKING_RECOVERY_CODE), "checked on a worker");
    harness.get_by_label_contains("恢复码不正确");
    assert!(!harness.state().store().has_key());
    assert_eq!(std::fs::read_dir(keys.path()).expect("keys").count(), 0, "nothing was written to the keystore");
    harness.get_by_label_contains(s::NO_KEY_BANNER);

    // The right one (typed as a person might, lower case) unlocks and is kept on this machine.
    click_button(&mut harness, s::CANCEL);
    assert!(harness.query_by_label(s::UNLOCK).is_none(), "取消 closes the form");
    // The banner's button and the 数据密钥 page's open the same form.
    let buttons = harness.get_all_by_role_and_label(A11y::Button, s::ENTER_RECOVERY_CODE).count();
    assert_eq!(buttons, 2);
    harness.get_all_by_role_and_label(A11y::Button, s::ENTER_RECOVERY_CODE).last().expect("page's").click();
    harness.settle();
    type_into(&mut harness, s::RECOVERY_CODE, &code.to_lowercase());
    assert!(click_and_watch(&mut harness, s::UNLOCK, s::CHECKING_RECOVERY_CODE));
    assert!(harness.state().store().has_key());
    assert!(harness.query_by_label_contains(s::NO_KEY_BANNER).is_none(), "the banner is gone");
    assert!(harness.query_by_label(s::UNLOCK).is_none(), "the form closed");
    assert_eq!(std::fs::read_dir(keys.path()).expect("keys").count(), 1, "the key is kept for next time");
    assert!(store::open_with_keystore(&copy, &keystore).expect("reopen").has_key());

    harness.state_mut().show_tab(Tab::Registry);
    harness.settle();
    harness.get_by_label("张三").click();
    harness.settle();
    click_button(&mut harness, s::REVEAL_ID);
    harness.get_by_label(&id_number);
}

#[test]
fn a_clerk_on_a_copy_without_the_key_is_told_to_ask_the_administrator() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, _, _) = office(dir.path(), true);
    let keys = tempfile::tempdir().expect("keys");
    let copy = store::open_with_keystore(&path, &Keystore::Folder(keys.path().into())).expect("open copy");
    let clerk = volunteer_desk::store::accounts::NewAccount {
        login: "luru".into(),
        display_name: "录入员".into(),
        role: volunteer_desk::domain::access::Role::Clerk,
        unit_id: None,
        password: "luru-secret".into(),
    };
    volunteer_desk::store::accounts::create_account(copy.conn(), &clerk).expect("clerk");
    let mut app = App::new(copy, None);
    app.sign_in("luru", "luru-secret").expect("sign in");
    let harness = harness_with(app);
    harness.get_by_label_contains(s::NO_KEY_ASK_ADMIN);
    assert!(harness.query_by_label(s::ENTER_RECOVERY_CODE).is_none(), "the code is the administrator's");
}

/// A backup written by version 16, before the numbers were sealed: 身份证号 and phone in clear.
fn clear_backup(folder: &Path, id_number: &str) -> PathBuf {
    std::fs::create_dir_all(folder).expect("folder");
    let path = folder.join("自动备份-2026-11-01.sqlite3");
    let mut conn = rusqlite::Connection::open(&path).expect("open");
    conn.pragma_update(None, "foreign_keys", true).expect("foreign keys");
    store::migrations::migrate_to(&mut conn, 16).expect("version 16");
    conn.execute("INSERT INTO unit (id, name, party_members) VALUES (1, '市民政局', 40)", []).expect("unit");
    conn.execute(
        "INSERT INTO volunteer (code, name, gender, birth_date, id_number, phone, unit_id, registered_on)
         VALUES ('ZY1', '张一', '男', '1980-01-01', ?1, '13900000001', 1, '2017-01-01')",
        [id_number],
    )
    .expect("volunteer");
    drop(conn);
    path
}

#[test]
fn backups_from_before_the_sealing_are_named_and_resealed() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, _, _) = office(dir.path(), true);
    let folder = backups::folder_for(&path);
    let old_id = common::id_number("11010119800101001");
    let old = clear_backup(&folder, &old_id);
    assert!(std::fs::read(&old).expect("bytes").windows(18).any(|w| w == old_id.as_bytes()), "clear before");
    let mut harness = harness_with(common::signed_in_app(store::open(&path).expect("open")));
    harness.state_mut().show_tab(Tab::System);
    harness.settle();
    click_button(&mut harness, s::BACKUPS);
    harness.get_by_label_contains("1 份备份为加密前所存，仍含明文身份证号");

    click_button(&mut harness, s::RESEAL_BACKUPS);
    click_button(&mut harness, s::CANCEL);
    assert_eq!(backups::clear_backups(&folder), std::slice::from_ref(&old), "取消 changes nothing");

    click_button(&mut harness, s::RESEAL_BACKUPS);
    click_button(&mut harness, s::CONFIRM_RESEAL);
    harness.get_by_label_contains("已加密 1 份旧备份");
    assert!(backups::clear_backups(&folder).is_empty());
    assert!(harness.query_by_label_contains("份备份为加密前所存").is_none());
    let bytes = std::fs::read(&old).expect("bytes");
    assert!(!bytes.windows(18).any(|w| w == old_id.as_bytes()), "no clear 身份证号 left in the backup");
    assert!(!bytes.windows(11).any(|w| w == b"13900000001"), "no clear phone left in the backup");
    backups::check_backup(&old).expect("the re-made backup is sound");
}

#[test]
fn changing_the_data_key_asks_first_shows_the_new_code_once_and_the_store_seals_with_it() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, old, zhang_id) = office(dir.path(), true);
    let old = old.expect("old code");
    let mut harness = harness_with(common::signed_in_app(store::open(&path).expect("open")));
    let old_key = harness.state().store().key_status().expect("status").key_id;
    harness.state_mut().show_tab(Tab::System);
    harness.settle();
    click_button(&mut harness, s::DATA_KEY);
    click_button(&mut harness, s::CHANGE_DATA_KEY);
    harness.get_by_label(s::CHANGE_DATA_KEY_QUESTION);
    assert_eq!(harness.state().store().key_status().expect("status").key_id, old_key, "nothing before the answer");

    // Confirmed: the work runs on a worker while the window says so, then the new code is shown.
    let said = click_and_watch(&mut harness, s::CONFIRM_CHANGE_DATA_KEY, s::CHANGING_DATA_KEY);
    assert!(said, "the progress is on screen");
    let code = harness.state().recovery_code_shown().expect("the new code is on screen").to_string();
    assert_ne!(code, old);
    harness.get_by_label(s::NEW_RECOVERY_CODE_TITLE);
    harness.get_by_label(&code);
    let status = harness.state().store().key_status().expect("status");
    assert_ne!(status.key_id, old_key, "the store seals with the new key");
    assert!(harness.state().store().has_key());
    let zhang = harness.state().store().volunteers().expect("list")[0].id;
    assert_eq!(harness.state().store().reveal_id_number(zhang).expect("reveal"), zhang_id);
    click_button(&mut harness, s::RECOVERY_CODE_NOTED);
    assert_eq!(harness.state().recovery_code_shown(), None, "shown once");

    let copy = dir.path().join("copy.sqlite3");
    harness.state().store().backup_to(&copy).expect("copy");
    let keys = tempfile::tempdir().expect("keys");
    let mut elsewhere =
        as_admin(store::open_with_keystore(&copy, &Keystore::Folder(keys.path().into())).expect("copy"));
    let refused = elsewhere.unlock_with_recovery_code(&old).expect_err("the old code opens nothing now");
    assert!(refused.to_string().contains("恢复码不正确"), "{refused}");
    elsewhere.unlock_with_recovery_code(&code).expect("the new one opens");
    assert_eq!(elsewhere.reveal_id_number(zhang).expect("reveal"), zhang_id);
}
