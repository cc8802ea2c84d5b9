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

/// A database whose write-ahead log holds five volunteers added after `database()`'s forty,
/// in five commits nothing has checkpointed yet; copied (file and log) into `into` while the
/// program still has it open, as a copy or a crash leaves them.
fn with_five_in_the_log(into: &Path) -> PathBuf {
    let org = common::org("市委办公室", 120, "ZD01", "市委办公室支队");
    for i in 0..40 {
        let first17 = format!("11010119800{}{:02}{:03}", 1 + i / 28 % 9, 1 + i % 28, i);
        org.volunteer(org.detachment, &format!("ZY{i:05}"), "张三", &first17, &format!("138{i:08}"));
    }
    // From another connection: the store's own may set no pragma. Five volunteers stay well
    // under the automatic checkpoint's 1,000 pages.
    rusqlite::Connection::open(org.store.path())
        .expect("another connection")
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("log emptied");
    for i in 40..45 {
        org.volunteer(
            org.detachment,
            &format!("ZY{i:05}"),
            "李四",
            &format!("11010119850101{i:03}"),
            &format!("139{i:08}"),
        );
    }
    let copy = into.join("副本.sqlite3");
    std::fs::copy(org.store.path(), &copy).expect("copy");
    std::fs::copy(wal_of(org.store.path()), wal_of(&copy)).expect("copy the log");
    copy
}

fn wal_of(db: &Path) -> PathBuf {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    PathBuf::from(wal)
}

/// Flips a byte in the page of the log's second frame.
fn damage_second_frame(wal: &Path) {
    let mut log = std::fs::read(wal).expect("log");
    let page = u32::from_be_bytes([log[8], log[9], log[10], log[11]]) as usize;
    log[32 + (24 + page) + 24 + 200] ^= 0x10;
    std::fs::write(wal, log).expect("write");
}

#[test]
fn a_sound_log_is_read_and_not_reported() {
    let dir = tempfile::tempdir().expect("dir");
    let copy = with_five_in_the_log(dir.path());
    let report = health::check(&copy).expect("check");
    assert!(report.is_sound(), "{report}");
    assert!(report.to_string().contains("预写日志完整"), "{report}");
    let store = store::open(&copy).expect("open");
    assert_eq!(store.counts().expect("counts").volunteers, 45, "the log's five are read");
}

#[test]
fn a_damaged_log_is_reported_at_open_and_by_check_not_dropped_in_silence() {
    let dir = tempfile::tempdir().expect("dir");
    let copy = with_five_in_the_log(dir.path());
    damage_second_frame(&wal_of(&copy));
    let log = std::fs::read(wal_of(&copy)).expect("log");

    // What SQLite alone makes of it: the five are gone and its own check says nothing.
    let aside = dir.path().join("另一份.sqlite3");
    std::fs::copy(&copy, &aside).expect("copy");
    std::fs::copy(wal_of(&copy), wal_of(&aside)).expect("copy the log");
    {
        let raw = rusqlite::Connection::open(&aside).expect("open");
        let (count, quick): (i64, String) = raw
            .query_row(
                "SELECT (SELECT count(*) FROM volunteer), (SELECT quick_check FROM pragma_quick_check)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("read");
        assert_eq!((count, quick.as_str()), (40, "ok"), "SQLite drops the committed five without a word");
    }

    let report = health::check(&copy).expect("check");
    assert!(!report.is_sound(), "{report}");
    let text = report.to_string();
    assert!(
        text.contains("预写日志") && text.contains("第 2 帧校验和不符") && text.contains("次已提交的写入"),
        "{text}"
    );
    assert!(!text.contains("”完好"), "not called sound: {text}");

    let refused = store::open(&copy).err().expect("refused at open");
    let said = refused.to_string();
    assert!(said.contains("数据库文件已损坏") && said.contains("第 2 帧校验和不符"), "{said}");
    assert!(store::open_for_reading(&copy).is_err(), "reading commands are refused too");
    assert_eq!(std::fs::read(wal_of(&copy)).expect("log"), log, "the log is left as it was, for whoever repairs it");
}

/// An index whose entries were made from another column than the schema now says: every page
/// reads, so `quick_check` passes.
fn desync_an_index(path: &Path) {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.execute_batch(
        "PRAGMA writable_schema = ON;
         UPDATE sqlite_schema SET sql = 'CREATE INDEX team_membership_team ON team_membership(volunteer_id)'
         WHERE name = 'team_membership_team';
         PRAGMA writable_schema = OFF;",
    )
    .expect("desync");
}

#[test]
fn an_index_that_disagrees_with_its_table_is_found_before_writing() {
    let (_dir, path) = database();
    desync_an_index(&path);
    assert!(health::quick_check(&path).expect("check").is_sound(), "the quick check misses it");
    let found = health::integrity_check(&path).expect("check");
    assert!(!found.is_sound());
    assert!(found.summary().contains("索引与数据不一致"), "{found}");

    let store = store::open(&path).expect("open");
    assert!(health::refuse_damage(store.conn(), &path).is_ok(), "reading goes on after the quick check");
    let refused = health::refuse_damage_before_writing(store.conn(), &path).expect_err("writing is refused");
    assert!(refused.to_string().contains("索引与数据不一致"), "{refused}");
}
