//! A damaged file found when the window opens: the banner stays, nothing can be written, and
//! the administrator restores the newest sound backup after a confirmation.

use crate::Settle as _;
use std::io::{Seek as _, SeekFrom, Write as _};

use egui::accesskit::Role as A11y;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use volunteer_desk::domain::access::Role;
use volunteer_desk::store::accounts::{NewAccount, create_account};
use volunteer_desk::store::{self, backups, health};
use volunteer_desk::ui::{App, fonts, strings as s};

use crate::common;
use crate::{click_and_watch, wait_for_work};

fn log_in(harness: &mut Harness<'static, App>, login: &str, password: &str) {
    for (role, label, text) in [(A11y::TextInput, s::LOGIN_NAME, login), (A11y::PasswordInput, s::PASSWORD, password)] {
        let field = harness.get_by_role_and_label(role, label);
        field.focus();
        field.type_text(text);
        harness.settle();
    }
    harness.get_by_role_and_label(A11y::Button, s::LOGIN).click();
    harness.settle();
}

#[test]
fn a_damaged_file_stops_writing_and_is_restored_from_the_newest_sound_backup() {
    let org = common::org("市委办公室", 120, "ZD01", "市委办公室支队");
    for i in 0..40 {
        let first17 = format!("11010119800{}{:02}{:03}", 1 + i / 28 % 9, 1 + i % 28, i);
        org.volunteer(org.detachment, &format!("ZY{i:05}"), "张三", &first17, &format!("138{i:08}"));
    }
    let admin = NewAccount {
        login: "wang".into(),
        display_name: "王主任".into(),
        role: Role::Admin,
        unit_id: None,
        password: "wang-secret".into(),
    };
    create_account(org.store.conn(), &admin).expect("admin");
    let path = org.store.path().to_path_buf();
    let folder = backups::folder_for(&path);
    backups::daily_backup(&org.store, &folder, common::date("2026-11-28")).expect("daily").expect("made");
    let common::Org { dir, store, .. } = org;
    drop(store);
    // A failing disk: the pages from the certificates table's on are overwritten (data no screen
    // reads at login, not the schema's pages, whose place moves as migrations are added).
    let root: u32 = rusqlite::Connection::open(&path)
        .expect("open")
        .query_row("SELECT rootpage FROM sqlite_schema WHERE name = 'certificate'", [], |r| r.get(0))
        .expect("root");
    let mut file = std::fs::OpenOptions::new().write(true).open(&path).expect("open");
    file.seek(SeekFrom::Start(u64::from(root - 1) * 4096)).expect("seek");
    file.write_all(&vec![0x5A; 4096 * 3]).expect("write");
    drop(file);

    let mut app = App::new(store::open(&path).expect("the header is intact"), None);
    app.set_clock(common::at("2026-11-29 09:00"));
    let mut harness = crate::settled(
        Harness::builder().with_size([1280.0, 800.0]).with_context_setup(fonts::install).build_eframe(|cc| {
            app.check_the_file(&cc.egui_ctx);
            app
        }),
    );
    wait_for_work(&mut harness);
    harness.get_by_label_contains(s::DAMAGED_BANNER);
    assert!(harness.state().store().is_read_only(), "nothing is written to a damaged file");
    let offer = format!("{}（2026-11-28 的备份）", s::RESTORE_NEWEST);
    assert!(
        harness.get_by_label(&offer).accesskit_node().is_disabled(),
        "only an administrator, logged in, may restore"
    );
    let days_backups = std::fs::read_dir(&folder).expect("folder").count();
    assert_eq!(days_backups, 1, "no backup is taken of a damaged file");

    log_in(&mut harness, "wang", "wang-secret");
    harness.get_by_label_contains(s::DAMAGED_BANNER);
    harness.get_by_label(&offer).click();
    harness.settle();
    harness.get_by_label(s::CANCEL).click();
    harness.settle();
    assert!(harness.query_by_label(s::CONFIRM_RESTORE).is_none(), "cancelled: nothing restored");
    assert!(!health::quick_check(&path).expect("check").is_sound());

    harness.get_by_label(&offer).click();
    harness.settle();
    assert!(click_and_watch(&mut harness, s::CONFIRM_RESTORE, s::RESTORING), "the copy runs on a worker");
    assert!(harness.query_by_label_contains(s::DAMAGED_BANNER).is_none(), "the banner goes once the file is sound");
    assert!(health::quick_check(&path).expect("check").is_sound());
    assert!(!harness.state().store().is_read_only(), "the window writes again");
    harness.get_by_label_contains("已从 2026-11-28 的备份恢复");
    assert!(!harness.state().is_open(), "after a restore the window asks who is there again");
    harness.get_by_label(s::RESTORED_NOTE);
    log_in(&mut harness, "wang", "wang-secret");
    assert_eq!(harness.state().counts().volunteers, 40);
    drop(dir);
}

#[test]
fn a_sound_file_gets_the_days_backup_in_the_background() {
    let org = common::org("市委办公室", 120, "ZD01", "市委办公室支队");
    let path = org.store.path().to_path_buf();
    let common::Org { dir, store, .. } = org;
    let mut app = App::new(store, None);
    app.set_clock(common::at("2026-11-29 09:00"));
    let mut harness = crate::settled(
        Harness::builder().with_size([1280.0, 800.0]).with_context_setup(fonts::install).build_eframe(|cc| {
            app.check_the_file(&cc.egui_ctx);
            app
        }),
    );
    wait_for_work(&mut harness);
    assert!(harness.query_by_label_contains(s::DAMAGED_BANNER).is_none());
    assert!(!harness.state().store().is_read_only());
    let taken = backups::daily_file(harness.state().store(), &backups::folder_for(&path), common::date("2026-11-29"))
        .expect("named");
    assert!(health::quick_check(&taken).expect("check").is_sound(), "{}", taken.display());
    drop(dir);
}

#[test]
fn an_index_that_disagrees_with_its_table_stops_writing_at_start() {
    let org = common::org("市委办公室", 120, "ZD01", "市委办公室支队");
    for i in 0..5 {
        org.volunteer(
            org.detachment,
            &format!("ZY{i:05}"),
            "张三",
            &format!("11010119800101{i:03}"),
            &format!("138{i:08}"),
        );
    }
    let path = org.store.path().to_path_buf();
    let common::Org { dir, store, .. } = org;
    drop(store);
    // Every page reads, so the quick check passes; only the full check matches index and table.
    let raw = rusqlite::Connection::open(&path).expect("raw");
    raw.execute_batch(
        "PRAGMA writable_schema = ON;
         UPDATE sqlite_schema SET sql = 'CREATE INDEX team_membership_team ON team_membership(volunteer_id)'
         WHERE name = 'team_membership_team';",
    )
    .expect("desync an index");
    drop(raw);
    assert!(health::quick_check(&path).expect("check").is_sound());

    let mut app = App::new(store::open(&path).expect("open"), None);
    app.set_clock(common::at("2026-11-29 09:00"));
    let mut harness = crate::settled(
        Harness::builder().with_size([1280.0, 800.0]).with_context_setup(fonts::install).build_eframe(|cc| {
            app.check_the_file(&cc.egui_ctx);
            app
        }),
    );
    harness.run_steps(1);
    assert!(
        harness.query_by_label_contains(s::CHECKING_FILE).is_some() || !harness.state().is_busy(),
        "while the check runs the window says it writes nothing"
    );
    wait_for_work(&mut harness);
    harness.get_by_label_contains(s::DAMAGED_BANNER);
    harness.get_by_label_contains("索引与数据不一致");
    assert!(harness.state().store().is_read_only(), "nothing is written to a damaged file");
    drop(dir);
}
