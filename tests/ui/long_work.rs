//! Issue #28: long work runs on a worker while the window keeps drawing. Another connection
//! holds the file's write lock, so the work waits on its worker for as long as the test says:
//! frame after frame the window is drawn, says 正在…, and nothing has changed yet; once the
//! lock goes, the work ends and the store shows it.

use crate::Settle as _;
use std::path::Path;
use std::time::{Duration, Instant};

use egui::accesskit::Role as A11y;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use volunteer_desk::store::backups;
use volunteer_desk::ui::{App, Tab, fonts, strings as s};

use crate::common;

/// Frames drawn while the work waits for the lock: each one comes back (the window does not
/// wait on the work), and the work is still under way after the last.
const FRAMES_WHILE_HELD: usize = 5;

fn harness_on_system(app: App, section: &str) -> Harness<'static, App> {
    let mut harness = crate::settled(
        Harness::builder().with_size([1280.0, 800.0]).with_context_setup(fonts::install).build_eframe(|_cc| app),
    );
    harness.state_mut().show_tab(Tab::System);
    harness.settle();
    harness.get_by_role_and_label(A11y::Button, section).click();
    harness.settle();
    harness
}

/// Another program's write transaction on the file, until dropped.
struct WriteLock(rusqlite::Connection);

impl WriteLock {
    fn take(path: &Path) -> Self {
        let conn = rusqlite::Connection::open(path).expect("open");
        conn.execute_batch("BEGIN IMMEDIATE").expect("the write lock");
        WriteLock(conn)
    }

    fn volunteers(&self) -> i64 {
        self.0.query_row("SELECT count(*) FROM volunteer", [], |r| r.get(0)).expect("count")
    }

    fn key_id(&self) -> String {
        self.0.query_row("SELECT key_id FROM field_key WHERE id = 1", [], |r| r.get(0)).expect("key id")
    }

    fn recovery_wrap(&self) -> Option<String> {
        self.0.query_row("SELECT recovery_sealed FROM field_key WHERE id = 1", [], |r| r.get(0)).expect("wrap")
    }
}

/// Draws frames while `lock` holds the work back: each says `saying`, `unchanged` holds on
/// each; then lets the lock go and steps (bounded) until the work has ended. Prints the
/// longest frame drawn meanwhile (said, not asserted: the machine's load is not the test's).
fn draw_while_held(harness: &mut Harness<'static, App>, lock: WriteLock, saying: &str, unchanged: impl Fn(&WriteLock)) {
    // The frame that takes the click starts the work at its end; egui lays the window saying
    // so out unseen in the next.
    harness.run_steps(2);
    let mut longest = Duration::ZERO;
    for _ in 0..FRAMES_WHILE_HELD {
        let start = Instant::now();
        harness.step();
        longest = longest.max(start.elapsed());
        harness.get_by_label_contains(saying);
        assert!(harness.state().is_busy(), "the work waits for the lock on its worker");
        unchanged(&lock);
    }
    println!("longest frame while the work waited: {longest:?}");
    drop(lock);
    for _ in 0..600 {
        harness.step();
        if !harness.state().is_busy() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    harness.settle();
    assert!(harness.query_by_label_contains(saying).is_none(), "the window saying it runs is gone");
}

#[test]
fn a_restore_waiting_for_the_file_leaves_the_window_drawing_and_then_replaces_the_data() {
    let org = common::org("市委办公室", 120, "ZD01", "市委办公室支队");
    let path = org.store.path().to_path_buf();
    // The administrator is in the backup, to log in again after the restore.
    common::create_admin(org.store.conn());
    backups::daily_backup(&org.store, &backups::folder_for(&path), common::date("2026-12-07"))
        .expect("b")
        .expect("made");
    org.volunteer(org.detachment, "ZY00009", "李四", "33038119900101123", "13812345679");
    let mut app = common::signed_in_app(org.store);
    app.set_clock(common::at("2026-12-08 10:00"));
    let mut harness = harness_on_system(app, s::BACKUPS);

    harness.get_all_by_role_and_label(A11y::Button, s::RESTORE_BACKUP).last().expect("the backup's row").click();
    harness.settle();
    let lock = WriteLock::take(&path);
    assert_eq!(lock.volunteers(), 1);
    harness.get_by_role_and_label(A11y::Button, s::CONFIRM_RESTORE).click();
    draw_while_held(&mut harness, lock, s::RESTORING, |lock| assert_eq!(lock.volunteers(), 1, "nothing replaced yet"));

    let after = rusqlite::Connection::open(&path).expect("raw");
    let volunteers: i64 = after.query_row("SELECT count(*) FROM volunteer", [], |r| r.get(0)).expect("count");
    assert_eq!(volunteers, 0, "the backup's data, taken before 李四 was registered");
    harness.get_by_label_contains("已恢复。恢复前的数据另存为");
    harness.get_by_label(s::RESTORED_NOTE);
    assert!(!harness.state().is_open(), "back at the login");
}

#[test]
fn a_recovery_code_is_made_on_a_worker_while_the_window_draws() {
    let org = common::org("市委办公室", 120, "ZD01", "市委办公室支队");
    let path = org.store.path().to_path_buf();
    let mut harness = harness_on_system(common::signed_in_app(org.store), s::DATA_KEY);
    let lock = WriteLock::take(&path);
    assert_eq!(lock.recovery_wrap(), None);
    harness.get_all_by_role_and_label(A11y::Button, s::MAKE_RECOVERY_CODE).last().expect("the page's").click();
    draw_while_held(&mut harness, lock, s::MAKING_RECOVERY_CODE, |lock| {
        assert_eq!(lock.recovery_wrap(), None, "no code kept yet");
    });

    let code = harness.state().recovery_code_shown().expect("the code is on screen").to_string();
    harness.get_by_label(&code);
    assert!(harness.state().store().key_status().expect("status").recovery_set_at.is_some(), "the store keeps it");
}

#[test]
fn the_data_key_is_changed_on_a_worker_while_the_window_draws() {
    let org = common::org("市委办公室", 120, "ZD01", "市委办公室支队");
    let path = org.store.path().to_path_buf();
    let mut harness = harness_on_system(common::signed_in_app(org.store), s::DATA_KEY);
    let old_key = harness.state().store().key_status().expect("status").key_id;
    harness.get_by_role_and_label(A11y::Button, s::CHANGE_DATA_KEY).click();
    harness.settle();
    let lock = WriteLock::take(&path);
    assert_eq!(lock.key_id(), old_key);
    harness.get_by_role_and_label(A11y::Button, s::CONFIRM_CHANGE_DATA_KEY).click();
    draw_while_held(&mut harness, lock, s::CHANGING_DATA_KEY, |lock| {
        assert_eq!(lock.key_id(), old_key, "the old key until the work commits");
    });

    let status = harness.state().store().key_status().expect("status");
    assert_ne!(status.key_id, old_key, "the store seals with the new key");
    assert!(harness.state().store().has_key(), "the window's connection took up the new key");
    let code = harness.state().recovery_code_shown().expect("the new code is on screen").to_string();
    harness.get_by_label(&code);
}
