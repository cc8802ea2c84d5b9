//! The store's checks the window uses: quick_check on its own connection, the newest backup
//! that passes the check, the daily backup refusing a damaged file, and backups that never
//! overwrite or copy damage.

use std::io::{Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};

use volunteer_desk::Error;
use volunteer_desk::store::{self, backups, health};

use crate::common::{self, date};

/// A small database of ours with some rows, in its own folder.
fn database() -> (tempfile::TempDir, PathBuf) {
    let org = common::org("市委办公室", 120, "ZD01", "市委办公室支队");
    for i in 0..40 {
        let first17 = format!("11010119800{}{:02}{:03}", 1 + i / 28 % 9, 1 + i % 28, i);
        org.volunteer(org.detachment, &format!("ZY{i:05}"), "张三", &first17, &format!("138{i:08}"));
    }
    let common::Org { dir, store, .. } = org;
    let path = store.path().to_path_buf();
    drop(store);
    (dir.expect("own folder"), path)
}

/// Overwrites the volunteer table's pages, as a failing disk would: data pages, not the
/// schema's (whose place in the file moves as migrations are added).
fn damage(path: &Path) {
    let root: u32 = {
        let conn = rusqlite::Connection::open(path).expect("open");
        conn.query_row("SELECT rootpage FROM sqlite_schema WHERE name = 'volunteer'", [], |r| r.get(0)).expect("root")
    };
    let mut file = std::fs::OpenOptions::new().write(true).open(path).expect("open");
    file.seek(SeekFrom::Start(u64::from(root - 1) * 4096)).expect("seek");
    file.write_all(&vec![0x5A; 4096 * 3]).expect("write");
}

#[test]
fn quick_check_tells_a_sound_file_from_a_damaged_one_in_chinese() {
    let (dir, path) = database();
    let sound = health::quick_check(&path).expect("check");
    assert!(sound.is_sound(), "{sound}");
    assert_eq!(sound.to_string(), "数据库完好");

    let copy = dir.path().join("坏.sqlite3");
    std::fs::copy(&path, &copy).expect("copy");
    damage(&copy);
    let found = health::quick_check(&copy).expect("check");
    assert!(!found.is_sound());
    assert!(found.to_string().starts_with("数据库文件已损坏："), "{found}");

    let missing = dir.path().join("没有.sqlite3");
    assert!(matches!(health::quick_check(&missing), Err(Error::Missing(_))));
    assert!(!missing.exists(), "the check creates nothing");
}

#[test]
fn the_newest_backup_that_passes_is_offered_with_its_date() {
    let (dir, path) = database();
    let folder = backups::folder_for(&path);
    std::fs::create_dir(&folder).expect("folder");
    for day in ["2026-11-27", "2026-11-28", "2026-11-29"] {
        std::fs::copy(&path, folder.join(format!("自动备份-{day}.sqlite3"))).expect("backup");
    }
    damage(&folder.join("自动备份-2026-11-29.sqlite3"));
    std::fs::write(folder.join("自动备份-2026-11-30.sqlite3"), b"half a file").expect("junk");

    let offered = backups::newest_sound_backup(&folder, None).expect("a sound backup");
    assert_eq!(offered.taken, date("2026-11-28"));
    assert_eq!(offered.path, folder.join("自动备份-2026-11-28.sqlite3"));
    assert!(backups::newest_sound_backup(&dir.path().join("无"), None).is_none());
}

#[test]
fn a_damaged_database_gets_no_backup_and_keeps_its_old_ones() {
    let (dir, path) = database();
    let folder = dir.path().join("备份");
    let kept = {
        let store = store::open(&path).expect("open");
        backups::daily_backup(&store, &folder, date("2026-11-28")).expect("daily").expect("made")
    };
    damage(&path);
    let store = store::open(&path).expect("the header is intact");
    let err = backups::daily_backup(&store, &folder, date("2026-11-29")).expect_err("damaged");
    assert!(err.to_string().contains("数据库文件已损坏"), "{err}");
    let err = store.backup_to(&dir.path().join("手动.sqlite3")).expect_err("damaged");
    assert!(err.to_string().contains("数据库文件已损坏"), "{err}");
    assert_eq!(backups::list(&folder).len(), 1);
    assert!(kept.exists());
    assert!(!dir.path().join("手动.sqlite3").exists());
}

#[test]
fn a_backup_never_replaces_a_file_nor_the_database() {
    let (dir, path) = database();
    let store = store::open(&path).expect("open");
    let taken = dir.path().join("已有.sqlite3");
    std::fs::write(&taken, b"keep me").expect("file");
    let err = store.backup_to(&taken).expect_err("exists");
    assert!(err.to_string().contains("已存在"), "{err}");
    assert_eq!(std::fs::read(&taken).expect("read"), b"keep me");
    let err = store.backup_to(&path).expect_err("itself");
    assert!(matches!(err, Error::Protected { .. }), "{err}");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("e").file_name().to_string_lossy().into())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn opening_for_reading_never_creates_a_file() {
    let dir = tempfile::tempdir().expect("dir");
    let missing = dir.path().join("没有.sqlite3");
    let err = store::open_for_reading(&missing).err().expect("missing");
    assert_eq!(err.to_string(), format!("数据库文件不存在：{}", missing.display()));
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
}

#[test]
fn a_damaged_database_is_restored_from_the_newest_sound_backup() {
    let (dir, path) = database();
    let folder = backups::folder_for(&path);
    {
        let store = store::open(&path).expect("open");
        backups::daily_backup(&store, &folder, date("2026-11-28")).expect("daily").expect("made");
    }
    damage(&path);
    let offered =
        backups::newest_sound_backup(&folder, backups::identity_of_database(&path).as_deref()).expect("offered");
    let mut store = store::open(&path).expect("the header is intact");
    assert!(!health::quick_check(&path).expect("check").is_sound());

    let safety = backups::restore(&mut store, &offered.path, &folder, common::at("2026-11-29 09:00")).expect("restore");
    assert!(health::quick_check(&path).expect("check").is_sound());
    assert_eq!(store.counts().expect("counts").volunteers, 40);
    assert!(safety.exists(), "the damaged state is kept for whoever repairs it");
    assert!(!health::quick_check(&safety).expect("check").is_sound(), "kept as it was, damage included");
    drop(dir);
}

#[test]
fn check_names_a_broken_reference_and_a_rewritten_log_entry() {
    let (_dir, path) = database();
    let report = health::check(&path).expect("check");
    assert!(report.is_sound(), "{report}");
    assert!(report.to_string().contains("完好"), "{report}");

    // Another tool, with foreign keys off, deletes a unit its team still names and edits
    // the log.
    let raw = rusqlite::Connection::open(&path).expect("raw");
    raw.execute_batch(
        "PRAGMA foreign_keys = OFF;
         DROP TRIGGER IF EXISTS audit_unit_DELETE;
         DELETE FROM unit;
         DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET actor = '某人' WHERE id = 1;",
    )
    .expect("tamper");
    drop(raw);
    let report = health::check(&path).expect("check");
    assert!(!report.is_sound());
    let text = report.to_string();
    assert!(text.contains("外键缺失：表 volunteer 有 40 行引用的 unit 记录不存在（第 1、2、3、4、5… 行）"), "{text}");
    assert!(text.contains("外键缺失：表 team 有 2 行引用的 unit 记录不存在"), "{text}");
    assert!(text.contains("操作日志校验失败：第 1 条"), "{text}");
}
