//! Backups that know their database (issue #25): an identity made with each database, backups
//! named by the database's file and identity, each database's restore list its own, another
//! database's backup refused unless confirmed, and leftovers of a killed backup swept.

use std::path::Path;

use volunteer_desk::store::backups::{self, OtherDatabase};
use volunteer_desk::store::{self, Store, audit};

use crate::common::{self, at, date};

/// Two offices' databases side by side in one folder, so sharing one 备份 folder.
fn two_offices(dir: &Path) -> (Store, Store) {
    let a = common::org_at(&dir.join("市财政局.sqlite3"), "市财政局", 83, "ZD-CZJ", "财政局支队").store;
    let b = common::org_at(&dir.join("市教育局.sqlite3"), "市教育局", 120, "ZD-JYJ", "教育局支队").store;
    (a, b)
}

fn identity(store: &Store) -> String {
    backups::identity(store.conn()).expect("read").expect("every database has one")
}

fn unit_names(store: &Store) -> Vec<String> {
    store
        .conn()
        .prepare("SELECT name FROM unit ORDER BY id")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
}

#[test]
fn two_databases_in_one_folder_each_get_their_own_daily_backup_and_list() {
    let dir = tempfile::tempdir().expect("dir");
    let (a, b) = two_offices(dir.path());
    assert_ne!(identity(&a), identity(&b), "each database is made with an identity of its own");
    assert_eq!(identity(&a).len(), 32);
    let folder = backups::folder_for(a.path());
    assert_eq!(folder, backups::folder_for(b.path()), "one 备份 folder");

    let day = date("2026-12-07");
    let of_a = backups::daily_backup(&a, &folder, day).expect("a").expect("a's backup made");
    let of_b = backups::daily_backup(&b, &folder, day).expect("b").expect("b's backup made too");
    assert_ne!(of_a, of_b);
    let name = of_b.file_name().expect("name").to_string_lossy().into_owned();
    assert_eq!(name, format!("自动备份-2026-12-07-市教育局-{}.sqlite3", &identity(&b)[..8]));

    let (listed, others) = backups::list_for(&b, &folder);
    assert_eq!(listed.iter().map(|(_, p)| p.clone()).collect::<Vec<_>>(), std::slice::from_ref(&of_b), "b's own only");
    assert_eq!(others, 1);
    assert_eq!(backups::origin(&b, &of_a), backups::Origin::Other(identity(&a)));
    assert_eq!(backups::origin(&b, &of_b), backups::Origin::This);
    assert_eq!(backups::restore_warning(&b, &of_b), None);

    // A week of b's backups rotates b's, never a's.
    for d in 8..=20 {
        backups::daily_backup(&b, &folder, date(&format!("2026-12-{d:02}"))).expect("b");
    }
    assert!(of_a.exists(), "another database's backup is not b's to drop");
    assert!(backups::list_for(&b, &folder).0.len() <= 11, "b's own are rotated: 7 days and 4 weeks");
}

#[test]
fn another_databases_backup_is_refused_unless_confirmed_naming_both() {
    let dir = tempfile::tempdir().expect("dir");
    let (a, mut b) = two_offices(dir.path());
    let folder = backups::folder_for(b.path());
    let of_a = backups::daily_backup(&a, &folder, date("2026-12-07")).expect("a").expect("made");
    let before = std::fs::read_dir(&folder).expect("folder").count();

    let err = backups::restore(&mut b, &of_a, &folder, at("2026-12-07 10:00")).expect_err("another office's");
    let text = err.to_string();
    for named in [of_a.display().to_string(), b.path().display().to_string(), identity(&a)[..8].to_string()] {
        assert!(text.contains(&named), "names both databases ({named}): {text}");
    }
    assert!(text.contains("--other-database") && text.contains("未做任何改动"), "{text}");
    assert_eq!(unit_names(&b), ["市教育局"], "nothing replaced");
    assert_eq!(std::fs::read_dir(&folder).expect("folder").count(), before, "no safety copy for a refusal");

    let warning = backups::restore_warning(&b, &of_a).expect("a warning");
    assert!(warning.contains("另一个数据库") && warning.contains(&identity(&b)[..8]), "{warning}");

    let identity_of_a = identity(&a);
    let safety = backups::restore_from(&mut b, &of_a, &folder, at("2026-12-07 10:00"), OtherDatabase::Confirmed)
        .expect("confirmed");
    assert_eq!(unit_names(&b), ["市财政局"]);
    assert_eq!(identity(&b), identity_of_a, "the data restored is a's, identity and all");
    let safety_name = safety.file_name().expect("name").to_string_lossy().into_owned();
    assert!(safety_name.starts_with("恢复前-2026-12-07-100000-市教育局-"), "{safety_name}");
    let logged = audit::latest_of_kind(b.conn(), "恢复备份").expect("read").expect("logged");
    assert!(logged.after.as_deref().is_some_and(|a| a.contains("另一个数据库的备份，管理员已确认")), "{logged:?}");
}

#[test]
fn a_backup_from_before_identities_keeps_the_database_identity() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut a, _) = two_offices(dir.path());
    let folder = backups::folder_for(a.path());
    let old = dir.path().join("升级前的备份.sqlite3");
    a.backup_to(&old).expect("backup");
    // As a backup taken before migration 18 is: no identity, version 17.
    crate::common::age_to_version_17(&old);
    assert_eq!(backups::origin(&a, &old), backups::Origin::Unknown);
    assert!(backups::restore_warning(&a, &old).is_some_and(|w| w.contains("没有数据库标识")));

    let before = identity(&a);
    backups::restore(&mut a, &old, &folder, at("2026-12-07 11:00")).expect("cannot be told: allowed");
    assert_eq!(identity(&a), before, "its backups stay its own");
}

#[test]
fn leftovers_of_a_killed_backup_are_swept_at_the_next_backup() {
    let dir = tempfile::tempdir().expect("dir");
    let (a, _) = two_offices(dir.path());
    let folder = backups::folder_for(a.path());
    std::fs::create_dir_all(&folder).expect("folder");
    // What a backup killed half-way leaves: a hidden copy named by a process that has ended.
    let leftover = folder.join(".自动备份-2026-12-06-市财政局-0000.sqlite3.4294967294-0.tmp");
    std::fs::write(&leftover, vec![0u8; 1 << 20]).expect("leftover");
    backups::daily_backup(&a, &folder, date("2026-12-07")).expect("backup").expect("made");
    #[cfg(target_os = "linux")]
    assert!(!leftover.exists(), "swept once its process is gone");
    let names: Vec<String> = std::fs::read_dir(&folder)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp") || cfg!(not(target_os = "linux"))), "{names:?}");
}

#[test]
fn an_upgraded_database_gets_an_identity() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("旧.sqlite3");
    let mut conn = rusqlite::Connection::open(&path).expect("raw");
    volunteer_desk::store::migrations::migrate_to(&mut conn, 16).expect("an old file");
    drop(conn);
    let store = store::open(&path).expect("upgrade");
    assert_eq!(identity(&store).len(), 32);
    assert_eq!(backups::identity_of_database(&path), Some(identity(&store)));
}

/// Whether `needle` lies anywhere in the file's bytes, or in its write-ahead log's.
fn file_holds(path: &Path, needle: &[u8]) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    [path.to_path_buf(), wal.into()]
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .any(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
}

#[test]
fn a_backup_carries_no_free_page_while_the_rewrite_is_put_off() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("市财政局.sqlite3");
    let mut store = common::org_at(&db, "市财政局", 83, "ZD-CZJ", "财政局支队").store;
    // As an upgrade whose page rewrite was put off (another window was reading) leaves the
    // file: rows written and dropped by a program that did not zero what it freed, their
    // clear numbers in free pages.
    let clear = common::id_number("33038119850101123");
    let raw = rusqlite::Connection::open(&db).expect("raw");
    raw.pragma_update(None, "secure_delete", false).expect("as before");
    raw.execute_batch("CREATE TABLE old_roster (id_number TEXT)").expect("table");
    for _ in 0..200 {
        raw.execute("INSERT INTO old_roster VALUES (?1)", [&clear]).expect("row");
    }
    raw.execute_batch("DROP TABLE old_roster; UPDATE field_key SET pages_rewritten = 0;").expect("freed");
    drop(raw);
    let free: i64 = store.conn().query_row("PRAGMA freelist_count", [], |r| r.get(0)).expect("free pages");
    assert!(free > 0 && file_holds(&db, clear.as_bytes()), "the number is in free pages of the file");

    let copy = dir.path().join("备份.sqlite3");
    store.backup_to(&copy).expect("backup");
    assert!(!file_holds(&copy, clear.as_bytes()), "a backup holds no free page of the file");
    let folder = backups::folder_for(&db);
    let daily = backups::daily_backup(&store, &folder, date("2026-12-07")).expect("daily").expect("made");
    assert!(!file_holds(&daily, clear.as_bytes()), "nor does the day's backup");

    // The backup is whole: it restores, and the copy kept before the restore holds no free
    // page either.
    let safety = backups::restore(&mut store, &daily, &folder, at("2026-12-07 11:00")).expect("restore");
    assert!(!file_holds(&safety, clear.as_bytes()), "the copy before a restore is a backup too");
    assert_eq!(unit_names(&store), ["市财政局"]);
}
