//! `volunteer-desk restore --from BACKUP [--other-database]` (formats.md "More commands"): the
//! backup checked whole first, the current file kept as `恢复前-…`, another database's backup
//! refused unless `--other-database` is given.

use std::path::Path;

use crate::faults::support::text;
use crate::keys::desk;

fn arg(path: &Path) -> &str {
    path.to_str().expect("utf-8")
}

fn units(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut statement = conn.prepare("SELECT name FROM unit ORDER BY id").expect("prepare");
    statement.query_map([], |r| r.get(0)).expect("query").collect::<rusqlite::Result<_>>().expect("rows")
}

/// A database holding one unit, made through the library in `dir`.
fn office(dir: &Path, name: &str) -> std::path::PathBuf {
    let db = dir.join(format!("{name}.sqlite3"));
    let keys = dir.join("keys");
    // The key goes where the children look for it.
    let store = volunteer_desk::store::open_with_keystore(&db, &volunteer_desk::keystore::Keystore::Folder(keys))
        .expect("open");
    volunteer_desk::store::units::insert_unit(
        store.conn(),
        &volunteer_desk::store::units::NewUnit { name: name.into(), party_members: 10 },
    )
    .expect("unit");
    db
}

#[test]
fn restore_checks_the_backup_keeps_the_current_file_and_refuses_another_database() {
    let dir = tempfile::tempdir().expect("dir");
    let keys = dir.path().join("keys");
    let (a, b) = (office(dir.path(), "市财政局"), office(dir.path(), "市教育局"));
    let backup_of_a = dir.path().join("财政局备份.sqlite3");
    let made = desk(&a, &keys, &["backup", "--out", arg(&backup_of_a)]);
    assert_eq!(made.status.code(), Some(0), "{}", text(&made.stderr));

    // A damaged or foreign file is refused before anything is touched.
    let junk = dir.path().join("坏.sqlite3");
    std::fs::write(&junk, b"SQLite format 3\0 but nothing after").expect("junk");
    let refused = desk(&b, &keys, &["restore", "--from", arg(&junk)]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused.stderr).contains("不能用于恢复"), "{}", text(&refused.stderr));

    let refused = desk(&b, &keys, &["restore", "--from", arg(&backup_of_a)]);
    assert_eq!(refused.status.code(), Some(1));
    let why = text(&refused.stderr);
    assert!(
        why.contains("另一个数据库") && why.contains("市教育局.sqlite3") && why.contains("--other-database"),
        "{why}"
    );
    assert_eq!(units(&b), ["市教育局"], "nothing replaced");
    assert!(!dir.path().join("备份").exists() || std::fs::read_dir(dir.path().join("备份")).expect("d").count() == 0);

    let restored = desk(&b, &keys, &["restore", "--from", arg(&backup_of_a), "--other-database"]);
    assert_eq!(restored.status.code(), Some(0), "{}", text(&restored.stderr));
    assert_eq!(units(&b), ["市财政局"]);
    let kept: Vec<String> = std::fs::read_dir(dir.path().join("备份"))
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(kept[0].starts_with("恢复前-") && kept[0].contains("市教育局"), "{kept:?}");
    assert_eq!(units(&dir.path().join("备份").join(&kept[0])), ["市教育局"], "the data before is kept whole");

    // Its own backup needs no flag.
    let own = dir.path().join("自己的备份.sqlite3");
    assert_eq!(desk(&b, &keys, &["backup", "--out", arg(&own)]).status.code(), Some(0));
    let again = desk(&b, &keys, &["restore", "--from", arg(&own)]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    assert!(text(&again.stdout).contains("恢复前的数据另存为"));

    let missing = desk(&dir.path().join("没有.sqlite3"), &keys, &["restore", "--from", arg(&own)]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(!dir.path().join("没有.sqlite3").exists(), "restore makes no database");
}
