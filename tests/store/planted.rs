//! Issue #26: a trigger planted in a copy of the file (or in a backup later restored) never
//! reaches the key: the file is refused on opening, `check` names the trigger, a restore of
//! such a backup changes nothing, and the key's functions cannot be called from a trigger
//! even where one got past the guard.

use crate::common;

use std::path::Path;

use rusqlite::Connection;
use volunteer_desk::store::{self, backups, health};

/// Plants, in the file at `path`, a table and a trigger that copies every clear phone (and an
/// index guess) into it whenever the program logs anything.
fn plant(path: &Path) {
    let conn = Connection::open(path).expect("open raw");
    conn.execute_batch(
        "CREATE TABLE loot (value TEXT);
         CREATE TRIGGER steal AFTER INSERT ON audit_log BEGIN
             INSERT INTO loot SELECT open_phone(phone_sealed, 'volunteer_sealed', volunteer_id) FROM volunteer_sealed;
             INSERT INTO loot SELECT volunteer_id FROM volunteer_sealed
                 WHERE id_index = index_id('330381198501011234');
         END;",
    )
    .expect("plant");
}

fn loot(path: &Path) -> i64 {
    let conn = Connection::open(path).expect("open raw");
    conn.query_row("SELECT count(*) FROM loot", [], |r| r.get(0)).expect("count")
}

#[test]
fn a_planted_trigger_is_refused_on_open_named_by_check_and_never_restored() {
    let dir = tempfile::tempdir().expect("dir");
    let desk = dir.path().join("desk.sqlite3");
    let folder = dir.path().join("备份");
    let org = common::org_at(&desk, "市财政局", 83, "ZD-CZJ", "财政局支队");
    org.volunteer(org.detachment, "ZY00001", "张三", "33038119850101123", "13812345678");
    let mut store = org.store;
    let copy = dir.path().join("副本.sqlite3");
    store.backup_to(&copy).expect("backup");
    plant(&copy);

    let refused = store::open(&copy).err().expect("a planted trigger is refused").to_string();
    assert!(refused.contains("触发器“steal”不是本程序创建的"), "{refused}");
    let refused = store::open_for_reading(&copy).err().expect("also read-only").to_string();
    assert!(refused.contains("触发器“steal”"), "{refused}");
    assert_eq!(loot(&copy), 0, "no clear value reached any table");

    let report = health::check(&copy).expect("check");
    assert!(!report.is_sound(), "{report}");
    assert!(report.problems.iter().any(|p| p == "触发器“steal”不是本程序创建的"), "{report}");
    assert!(health::check(&desk).expect("check").is_sound(), "the program's own file is 完好");

    let before = store.counts().expect("counts");
    let refused = backups::restore(&mut store, &copy, &folder, common::at("2026-11-29 09:00"))
        .expect_err("restore refused")
        .to_string();
    assert!(refused.contains("不能用于恢复") && refused.contains("触发器“steal”"), "{refused}");
    assert_eq!(store.counts().expect("counts"), before);
    let in_desk: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM sqlite_schema WHERE name IN ('steal', 'loot')", [], |r| r.get(0))
        .expect("schema");
    assert_eq!(in_desk, 0, "nothing of the backup reached the database");
}

#[test]
fn a_changed_trigger_of_the_program_and_a_table_calling_the_key_are_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let desk = dir.path().join("desk.sqlite3");
    drop(common::org_at(&desk, "市财政局", 83, "ZD-CZJ", "财政局支队"));
    let copy = dir.path().join("副本.sqlite3");
    std::fs::copy(&desk, &copy).expect("copy");
    {
        let conn = Connection::open(&copy).expect("raw");
        conn.execute_batch(
            "DROP TRIGGER honor_grant_no_delete;
             CREATE TRIGGER honor_grant_no_delete BEFORE DELETE ON honor_grant BEGIN SELECT 1; END;
             CREATE TABLE probe (id TEXT, guess TEXT DEFAULT (index_id('1')));",
        )
        .expect("plant");
    }
    let refused = store::open(&copy).err().expect("refused").to_string();
    assert!(refused.contains("触发器“honor_grant_no_delete”不是本程序创建的"), "{refused}");
    assert!(refused.contains("表“probe”的定义调用了本程序的函数 index_id"), "{refused}");
}

#[test]
fn the_key_cannot_be_called_from_a_trigger_that_got_past_the_guard() {
    let org = common::org("市财政局", 83, "ZD-CZJ", "财政局支队");
    let zhang = org.volunteer(org.detachment, "ZY00001", "张三", "33038119850101123", "13812345678");
    // Planted through another connection (the store's own refuses DDL to every role), past
    // the check made when the file was opened.
    rusqlite::Connection::open(org.store.path())
        .expect("another connection")
        .execute_batch(
            "CREATE TABLE loot (value TEXT);
             CREATE TRIGGER steal AFTER INSERT ON audit_log BEGIN
                 INSERT INTO loot SELECT open_phone(phone_sealed, 'volunteer_sealed', volunteer_id) FROM volunteer_sealed;
             END;",
        )
        .expect("plant");
    let refused = org.store.reveal_id_number(zhang).expect_err("the trigger fails, and the reveal with it");
    assert!(refused.to_string().contains("open_phone"), "{refused}");
    let taken: i64 = org.store.conn().query_row("SELECT count(*) FROM loot", [], |r| r.get(0)).expect("count");
    assert_eq!(taken, 0);
}
