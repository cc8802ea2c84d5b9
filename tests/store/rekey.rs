//! 更换数据密钥 and sealed values bound to their rows (issue #26): after the change an old
//! 恢复码 with an old backup opens nothing of today's file (the old backup still opens with its
//! own code), the audit log verifies under the new key, a failure midway changes nothing, and
//! a sealed ID moved to another person's row is refused, not shown.

use crate::common;

use std::path::Path;

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use volunteer_desk::keystore::Keystore;
use volunteer_desk::store::audit::Verdict;
use volunteer_desk::store::{self, Store};

fn now() -> chrono::NaiveDateTime {
    common::at("2026-12-07 09:00")
}

/// A connection of its own on the file, as someone with the file but not the program has:
/// the logging triggers stay quiet (they call the program's functions).
fn raw(path: &Path) -> Connection {
    let conn = Connection::open(path).expect("raw");
    let flags = FunctionFlags::SQLITE_UTF8;
    conn.create_scalar_function("audit_rows", 0, flags, |_| Ok(false)).expect("quiet");
    conn.create_scalar_function("audit_actor", 0, flags, |_| Ok(String::new())).expect("quiet");
    conn.create_scalar_function("audit_hash", 7, flags, |_| Ok(String::new())).expect("quiet");
    conn
}

/// Every sealed value, ID index and the key's record, as text: what a failed change must
/// leave as it was, and what must not survive a successful one.
fn sealed_values(conn: &Connection) -> Vec<String> {
    let mut values = Vec::new();
    for sql in [
        "SELECT id_sealed FROM volunteer_sealed UNION ALL SELECT id_index FROM volunteer_sealed
         UNION ALL SELECT phone_sealed FROM volunteer_sealed",
        "SELECT manager_phone_sealed FROM team WHERE manager_phone_sealed <> ''",
        "SELECT key_id || check_value || recovery_sealed FROM field_key",
    ] {
        let mut statement = conn.prepare(sql).expect("read");
        let rows = statement.query_map([], |r| r.get::<_, String>(0)).expect("rows");
        values.extend(rows.map(|r| r.expect("value")));
    }
    values
}

fn key_id(store: &Store) -> String {
    store.key_status().expect("status").key_id
}

fn key_file(key_id: &str) -> std::path::PathBuf {
    match Keystore::for_this_user() {
        Keystore::Folder(dir) => dir.join(format!("{key_id}.key")),
        Keystore::System => panic!("tests keep keys in a folder"),
    }
}

/// The file opened with the keys of `keys` only, acting as its administrator.
fn open_with(path: &Path, keys: &Path) -> Store {
    store::open_with_keystore(path, &Keystore::Folder(keys.to_path_buf())).expect("open")
}

#[test]
fn after_a_new_data_key_an_old_code_with_an_old_backup_opens_nothing_of_todays_file() {
    let dir = tempfile::tempdir().expect("dir");
    let desk = dir.path().join("desk.sqlite3");
    let mut org = common::org_at(&desk, "市财政局", 83, "ZD-CZJ", "财政局支队");
    let zhang = org.volunteer(org.detachment, "ZY00001", "张三", "33038119850101123", "13812345678");
    let zhang_id = common::id_number("33038119850101123");
    let old_code = org.store.make_recovery_code().expect("old code");
    let old_backup = dir.path().join("旧备份.sqlite3");
    org.store.backup_to(&old_backup).expect("old backup");
    let old_key = key_id(&org.store);
    let old_values = sealed_values(org.store.conn());

    let new_code = org.store.change_data_key(None, now()).expect("new key");
    assert_ne!(new_code, old_code);
    let new_key = key_id(&org.store);
    assert_ne!(new_key, old_key);
    assert_eq!(org.store.reveal_id_number(zhang).expect("the new key opens"), zhang_id);
    assert_eq!(common::phone_on_record(org.store.conn(), zhang), "13812345678");
    assert!(!key_file(&old_key).exists(), "the old key is kept no longer");
    assert!(key_file(&new_key).exists());
    // The log: every signed entry signed again under the new key, and the change recorded.
    match org.store.check_audit_chain(None).expect("verify") {
        Verdict::Intact { signed_from: Some(_), .. } => {}
        other => panic!("the chain verifies under the new key: {other}"),
    }
    let entry = store::audit::latest_of_kind(org.store.conn(), "更换数据密钥").expect("log").expect("logged");
    assert!(entry.after.expect("detail").contains("旧的恢复码作废"));
    drop(org);

    // Nothing the old key sealed or indexed survives in the file, freed pages included.
    let bytes = std::fs::read(&desk).expect("file");
    let text = String::from_utf8_lossy(&bytes);
    for value in &old_values {
        let kept = value.get(..40).unwrap_or(value);
        assert!(!text.contains(kept), "{kept} is still in the file");
    }

    // The old code opens the old backup (and gives the old key), but not today's file.
    let elsewhere = dir.path().join("另一台电脑");
    let mut backup = open_with(&old_backup, &elsewhere);
    backup.unlock_with_recovery_code(&old_code).expect("the old backup opens with its own code");
    assert_eq!(backup.reveal_id_number(zhang).expect("reveal"), zhang_id);
    drop(backup);
    let mut today = open_with(&desk, &elsewhere);
    assert!(!today.has_key(), "the old key is not the file's");
    let refused = today.unlock_with_recovery_code(&old_code).expect_err("the old code is refused");
    assert!(refused.to_string().contains("恢复码不正确"), "{refused}");
    drop(today);
    // Even under the new key's name, the old key is told apart and not used.
    let renamed = dir.path().join("改名的旧密钥");
    std::fs::create_dir(&renamed).expect("dir");
    std::fs::copy(elsewhere.join(format!("{old_key}.key")), renamed.join(format!("{new_key}.key"))).expect("copy");
    let today = open_with(&desk, &renamed);
    assert!(!today.has_key());
    let status = today.key_status().expect("status");
    assert!(status.problem.expect("a problem").contains("不符"));
    drop(today);

    // The new code opens it anywhere.
    let mut today = open_with(&desk, &dir.path().join("第三台电脑"));
    today.unlock_with_recovery_code(&new_code).expect("the new code opens");
    assert_eq!(today.reveal_id_number(zhang).expect("reveal"), zhang_id);
    assert!(matches!(today.check_audit_chain(None).expect("verify"), Verdict::Intact { .. }));
}

#[test]
fn a_failure_midway_leaves_the_old_key_and_the_file_as_they_were() {
    let dir = tempfile::tempdir().expect("dir");
    let desk = dir.path().join("desk.sqlite3");
    let mut org = common::org_at(&desk, "市财政局", 83, "ZD-CZJ", "财政局支队");
    let zhang = org.volunteer(org.detachment, "ZY00001", "张三", "33038119850101123", "13812345678");
    let code = org.store.make_recovery_code().expect("code");
    let detachment = org.detachment;
    drop(org);
    // A key folder of this test's own, to see which keys are kept.
    let keys = dir.path().join("keys");
    let mut store = open_with(&desk, &keys);
    store.unlock_with_recovery_code(&code).expect("unlock");
    // A team manager's phone damaged: the volunteers are sealed again before the teams are
    // reached, so the change fails midway.
    raw(&desk)
        .execute("UPDATE team SET manager_phone_sealed = '2' || hex(randomblob(40)) WHERE id = ?1", [detachment])
        .expect("damage");
    let before = sealed_values(store.conn());
    let entries = store::audit::latest_id(store.conn()).expect("log");
    let old_key = key_id(&store);
    let kept =
        |keys: &Path| -> Vec<_> { std::fs::read_dir(keys).expect("keys").map(|e| e.expect("entry").path()).collect() };
    assert_eq!(kept(&keys), [keys.join(format!("{old_key}.key"))]);

    let refused = store.change_data_key(None, now()).expect_err("refused midway");
    assert!(refused.to_string().contains("队伍负责人电话"), "{refused}");
    assert_eq!(sealed_values(store.conn()), before, "nothing resealed, the record as it was");
    assert_eq!(store::audit::latest_id(store.conn()).expect("log"), entries, "nothing logged");
    assert_eq!(key_id(&store), old_key);
    assert_eq!(kept(&keys), [keys.join(format!("{old_key}.key"))], "the new key was not kept");
    assert_eq!(store.reveal_id_number(zhang).expect("the old key still opens"), common::id_number("33038119850101123"));
    assert!(matches!(store.check_audit_chain(None).expect("verify"), Verdict::Intact { .. }));
    drop(store);
    let mut copy = open_with(&desk, &dir.path().join("别处"));
    copy.unlock_with_recovery_code(&code).expect("the old code still opens the file");
}

#[test]
fn a_chain_broken_outside_the_program_is_not_signed_over_by_a_new_key() {
    let dir = tempfile::tempdir().expect("dir");
    let desk = dir.path().join("desk.sqlite3");
    let mut org = common::org_at(&desk, "市财政局", 83, "ZD-CZJ", "财政局支队");
    org.volunteer(org.detachment, "ZY00001", "张三", "33038119850101123", "13812345678");
    let conn = raw(&desk);
    let guard: String = conn
        .query_row("SELECT sql FROM sqlite_schema WHERE name = 'audit_log_no_update'", [], |r| r.get(0))
        .expect("guard");
    conn.execute_batch("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = '他人' WHERE id = 2;")
        .expect("edit");
    conn.execute_batch(&guard).expect("guard again");
    let old_key = key_id(&org.store);
    let refused = org.store.change_data_key(None, now()).expect_err("refused");
    assert!(refused.to_string().contains("哈希链断开"), "{refused}");
    assert_eq!(key_id(&org.store), old_key);
    assert!(matches!(org.store.check_audit_chain(None).expect("verify"), Verdict::Broken { entry: 2, .. }));
}

#[test]
fn an_id_and_its_index_swapped_between_two_people_are_refused_not_shown() {
    let dir = tempfile::tempdir().expect("dir");
    let desk = dir.path().join("desk.sqlite3");
    let org = common::org_at(&desk, "市财政局", 83, "ZD-CZJ", "财政局支队");
    let zhang = org.volunteer(org.detachment, "ZY00001", "张三", "33038119850101123", "13812345678");
    let li = org.volunteer(org.detachment, "ZY00002", "李四", "33038119900202234", "13812345679");
    let conn = raw(&desk);
    conn.execute_batch(&format!(
        "CREATE TEMP TABLE s AS SELECT * FROM volunteer_sealed;
         UPDATE volunteer_sealed SET id_index = 'x' || volunteer_id;
         UPDATE volunteer_sealed SET
             id_sealed = (SELECT id_sealed FROM s WHERE volunteer_id = CASE volunteer_sealed.volunteer_id
                          WHEN {zhang} THEN {li} ELSE {zhang} END),
             id_index = (SELECT id_index FROM s WHERE volunteer_id = CASE volunteer_sealed.volunteer_id
                          WHEN {zhang} THEN {li} ELSE {zhang} END);"
    ))
    .expect("swap");
    for (person, other) in [(zhang, "33038119900202234"), (li, "33038119850101123")] {
        let refused = org.store.reveal_id_number(person).expect_err("not the other's number");
        assert!(refused.to_string().contains("不属于这一行"), "{refused}");
        assert!(!refused.to_string().contains(other));
    }
    let report = store::health::check(&desk).expect("check");
    for code in ["ZY00001", "ZY00002"] {
        let named = format!("志愿者 {code} 的身份证号密文不属于这一行");
        assert!(report.problems.iter().any(|p| p.contains(&named)), "{:?}", report.problems);
    }
}

#[test]
fn values_sealed_before_rows_were_bound_are_bound_at_the_next_open_with_the_key() {
    let dir = tempfile::tempdir().expect("dir");
    let desk = dir.path().join("desk.sqlite3");
    let org = common::org_at(&desk, "市财政局", 83, "ZD-CZJ", "财政局支队");
    let zhang = org.volunteer(org.detachment, "ZY00001", "张三", "33038119850101123", "13812345678");
    // Sealed the way migration 17 sealed, by kind only, as if before the binding.
    org.store.conn().execute("UPDATE field_key SET rows_bound = 0", []).expect("before the binding");
    org.store
        .conn()
        .execute(
            "UPDATE volunteer_sealed SET phone_sealed = seal_phone('13900001111') WHERE volunteer_id = ?1",
            [zhang],
        )
        .expect("unbound");
    org.store.conn().execute("UPDATE team SET manager_phone_sealed = seal_phone('13900002222')", []).expect("unbound");
    drop(org);

    let store = store::open(&desk).expect("open");
    let unbound: i64 = store
        .conn()
        .query_row(
            "SELECT (SELECT count(*) FROM volunteer_sealed WHERE phone_sealed GLOB '1*' OR id_sealed GLOB '1*')
                  + (SELECT count(*) FROM team WHERE manager_phone_sealed GLOB '1*')",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(unbound, 0);
    assert_eq!(common::phone_on_record(store.conn(), zhang), "13900001111");
    assert!(store::audit::latest_of_kind(store.conn(), "绑定密文").expect("log").is_some());
    assert!(matches!(store.check_audit_chain(None).expect("verify"), Verdict::Intact { .. }));

    // Bound once: a value sealed by kind only put there later (from an old backup under the
    // same key) is not bound to the row it was put in, and check names it.
    store
        .conn()
        .execute(
            "UPDATE volunteer_sealed SET phone_sealed = seal_phone('13900003333') WHERE volunteer_id = ?1",
            [zhang],
        )
        .expect("planted");
    drop(store);
    let store = store::open(&desk).expect("open");
    let planted: String = store
        .conn()
        .query_row("SELECT phone_sealed FROM volunteer_sealed WHERE volunteer_id = ?1", [zhang], |r| r.get(0))
        .expect("phone");
    assert!(planted.starts_with('1'), "not bound");
    drop(store);
    let report = store::health::check(&desk).expect("check");
    assert!(
        report.problems.iter().any(|p| p.contains("志愿者 ZY00001 的手机号密文不属于这一行")),
        "{:?}",
        report.problems
    );
}

/// How many values of `column` in `table` are not empty, and how many open at their rows with
/// the store's key.
fn opened_at_rows(conn: &Connection, table: &str, key: &str, column: &str) -> (i64, i64) {
    conn.query_row(
        &format!(
            "SELECT count(*), sum(open_phone({column}, '{table}', {key}) IS NOT NULL) FROM {table} WHERE {column} <> ''"
        ),
        [],
        |r| Ok((r.get(0)?, r.get::<_, Option<i64>>(1)?.unwrap_or(0))),
    )
    .expect("open")
}

#[test]
fn the_demo_under_a_new_key_opens_every_number_at_its_row_and_keeps_its_guards() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("demo.sqlite3");
    let mut store = store::open(&path).expect("open");
    volunteer_desk::demo::load_demo(&mut store, now()).expect("demo");
    let places = [
        ("volunteer_sealed", "volunteer_id", "phone_sealed"),
        ("team", "id", "manager_phone_sealed"),
        ("contest_work", "id", "author_phone_sealed"),
    ];
    let before: Vec<(i64, i64)> = places.iter().map(|(t, k, c)| opened_at_rows(store.conn(), t, k, c)).collect();
    assert!(before.iter().all(|(count, opened)| count > &0 && opened == count), "{before:?}");
    let frozen: String = store
        .conn()
        .query_row("SELECT sql FROM sqlite_schema WHERE name = 'contest_work_frozen_after_collecting'", [], |r| {
            r.get(0)
        })
        .expect("the works are frozen in the demo");

    store.change_data_key(None, now()).expect("new key");
    let after: Vec<(i64, i64)> = places.iter().map(|(t, k, c)| opened_at_rows(store.conn(), t, k, c)).collect();
    assert_eq!(after, before, "every number opens at its row under the new key");
    let guard: String = store
        .conn()
        .query_row("SELECT sql FROM sqlite_schema WHERE name = 'contest_work_frozen_after_collecting'", [], |r| {
            r.get(0)
        })
        .expect("the guard is back");
    assert_eq!(guard, frozen);
    drop(store);
    let report = store::health::check(&path).expect("check");
    assert!(report.is_sound(), "{report}");
    assert!(store::open(&path).is_ok(), "the schema guard knows every trigger");
}
