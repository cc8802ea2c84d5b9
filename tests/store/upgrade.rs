//! A file from before the numbers were sealed (version 16) brought up to date: each step said
//! as it begins, the file checked whole before anything is rewritten (issue #25); and masks
//! made before issue #26 lose their check character, in the rows and the signed log.

use std::cell::RefCell;

use volunteer_desk::keystore::Keystore;
use volunteer_desk::store::audit::{self, Verdict};
use volunteer_desk::store::{self, UpgradeStep, fixtures, migrations};

use crate::common;

#[test]
fn a_version_16_file_is_upgraded_saying_each_step() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("旧版.sqlite3");
    fixtures::version_16(&db, 2_000).expect("a version-16 file");
    let heard = RefCell::new(Vec::new());
    let said = |step: &UpgradeStep| heard.borrow_mut().push(step.clone());
    let store = store::open_with_progress(&db, Keystore::for_this_user(), &said).expect("upgrade");
    let heard = heard.into_inner();

    let of = heard[0].of;
    assert_eq!(heard.iter().map(|s| s.number).collect::<Vec<_>>(), (1..=of).collect::<Vec<_>>(), "{heard:?}");
    assert!(heard.iter().all(|s| s.of == of), "{heard:?}");
    let what: Vec<&str> = heard.iter().map(|s| s.what.as_str()).collect();
    let last = migrations::latest_version();
    assert_eq!(what[0], "检查数据库文件（完整性检查）");
    assert_eq!(what[1], "数据版本 16 → 17：加密 2000 位志愿者的身份证号和手机号");
    assert_eq!(what[what.len() - 2], "重新生成操作日志的触发器并记录升级");
    assert_eq!(what[what.len() - 1], "重写数据库文件，清除旧数据页中的明文号码");
    assert_eq!(of as i64, 1 + (last - 16) + 2);
    assert_eq!(heard[1].to_string(), format!("升级数据库 第 2/{of} 步：{}", what[1]));

    assert_eq!(store.counts().expect("counts").volunteers, 2_000);
    assert_eq!(
        store.reveal_id_number(2_000).expect("sealed under the new key"),
        common::id_number("33038119800002000")
    );
    assert_eq!(store.key_status().expect("status").recovery_set_at, None, "no 恢复码 yet: the command line says so");
    // The three entries of the old program's chain are covered by the signed ones after them.
    let verdict = audit::verify(store.conn()).expect("verify");
    assert!(matches!(verdict, Verdict::Intact { signed_from: Some(4), .. }), "{verdict}");
}

#[test]
fn a_damaged_version_16_file_is_refused_before_it_is_rewritten() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("旧版.sqlite3");
    fixtures::version_16(&db, 50).expect("a version-16 file");
    let raw = rusqlite::Connection::open(&db).expect("raw");
    raw.execute_batch(
        "PRAGMA writable_schema = ON;
         UPDATE sqlite_schema SET sql = 'CREATE INDEX team_membership_team ON team_membership(volunteer_id)'
         WHERE name = 'team_membership_team';",
    )
    .expect("desync an index");
    drop(raw);

    let refused = store::open(&db).err().expect("refused").to_string();
    assert!(refused.contains("数据库文件已损坏") && refused.contains("索引与数据不一致"), "{refused}");
    let raw = rusqlite::Connection::open(&db).expect("raw");
    assert_eq!(migrations::current_version(&raw).expect("version"), 16, "left as it was");
}

/// The mask the program wrote before issue #26: the first and the check character.
fn old_mask(number: &str) -> String {
    format!("{}{}{}", &number[..1], "*".repeat(16), &number[17..])
}

/// Where a mask that shows a check character (a digit, sixteen `*`, a digit or X) lies in
/// the file or its write-ahead log: none should.
fn masks_with_check_character(path: &std::path::Path) -> usize {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    [path.to_path_buf(), wal.into()]
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .map(|bytes| {
            bytes
                .windows(18)
                .filter(|w| {
                    w[0].is_ascii_digit()
                        && w[1..17].iter().all(|b| *b == b'*')
                        && (w[17].is_ascii_digit() || w[17] == b'X')
                })
                .count()
        })
        .sum()
}

/// A database as the program before migration 21 left it: masks with the check character in
/// the volunteers' rows and in the log's signed entries of them.
fn file_with_old_masks(db: &std::path::Path) -> Vec<String> {
    use rusqlite::functions::FunctionFlags;
    let org = common::org_at(db, "市民政局", 100, "ZD-01", "市民政局支队");
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DIRECTONLY;
    org.store
        .conn()
        .create_scalar_function("mask_id", 1, flags, |ctx| Ok(old_mask(&ctx.get::<String>(0)?)))
        .expect("the old mask");
    let numbers = ["33038119850101123", "33038119900202456"].map(common::id_number);
    let zhang = org.volunteer(org.detachment, "ZY00001", "张三", "33038119850101123", "13812345678");
    org.volunteer(org.detachment, "ZY00002", "李四", "33038119900202456", "13812345679");
    // An edit: logged with the mask before and after.
    org.store.conn().execute("UPDATE volunteer SET skills = '急救' WHERE id = ?1", [zhang]).expect("edit");
    drop(org);
    let raw = rusqlite::Connection::open(db).expect("raw");
    // Before migration 21, which rewrites the masks: migration 22 taken out too.
    raw.execute_batch(common::UNDO_MIGRATION_22).expect("before migration 22");
    raw.pragma_update(None, "user_version", migrations::latest_version() - 2).expect("before migration 21");
    drop(raw);
    numbers.iter().map(|n| old_mask(n)).collect()
}

#[test]
fn masks_lose_their_check_character_at_the_upgrade_and_the_log_stays_verifiable() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("旧掩码.sqlite3");
    let old = file_with_old_masks(&db);
    assert!(masks_with_check_character(&db) >= 6, "rows and log entries hold them");

    let store = store::open(&db).expect("upgrade");
    let masks: Vec<String> = store
        .conn()
        .prepare("SELECT id_masked FROM volunteer ORDER BY id")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    assert_eq!(masks, ["3*****************", "3*****************"]);
    for mask in &old {
        let logged: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM audit_log WHERE instr(coalesce(before, '') || coalesce(after, ''), ?1) > 0",
                [mask],
                |r| r.get(0),
            )
            .expect("searched");
        assert_eq!(logged, 0, "{mask} is gone from the log");
    }
    let verdict = audit::verify(store.conn()).expect("verify");
    assert!(matches!(verdict, Verdict::Intact { signed_from: Some(_), .. }), "{verdict}");
    let said = audit::latest_of_kind(store.conn(), "身份证号脱敏").expect("read").expect("logged");
    let detail = said.after.unwrap_or_default();
    assert!(detail.contains("处身份证号改为只显示首位的脱敏形式") && detail.contains("哈希链自第"), "{detail}");
    drop(store);

    assert_eq!(masks_with_check_character(&db), 0, "no mask with its check character anywhere in the file");
    let report = store::health::check(&db).expect("check");
    assert!(report.is_sound(), "{report}");
}

#[test]
fn without_the_key_the_log_keeps_its_masks_until_an_open_that_has_it() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("旧掩码.sqlite3");
    let old = file_with_old_masks(&db);
    let elsewhere = Keystore::Folder(dir.path().join("另一台电脑"));
    let store = store::open_with_keystore(&db, &elsewhere).expect("upgrade without the key");
    assert!(!store.has_key());
    let rows: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM volunteer WHERE id_masked = '3*****************'", [], |r| r.get(0))
        .expect("rows");
    assert_eq!(rows, 2, "the rows need no key");
    let logged: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM audit_log WHERE instr(after, ?1) > 0", [&old[0]], |r| r.get(0))
        .expect("searched");
    assert!(logged > 0, "the signed entries wait for the key");
    drop(store);

    let store = store::open(&db).expect("with the key");
    let logged: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM audit_log WHERE instr(after, ?1) > 0", [&old[0]], |r| r.get(0))
        .expect("searched");
    assert_eq!(logged, 0);
    // The upgrade's own entry, written without the key, stays unsigned; nothing is broken.
    let verdict = audit::verify(store.conn()).expect("verify");
    assert!(matches!(verdict, Verdict::Unverified { key_missing: false, .. }), "{verdict}");
    let said = audit::latest_of_kind(store.conn(), "身份证号脱敏").expect("read").expect("logged");
    assert!(said.after.unwrap_or_default().contains("哈希链自第"));
}
