//! The world pushing back: a full disk (RLIMIT_FSIZE), read-only files and folders, a path
//! that is not there, and two writers at once.

use std::time::Duration;

use rusqlite::Connection;

use super::support::*;

/// Writes past this many bytes fail with EFBIG, as on a full disk; the demo database is far
/// larger, so only growing files (the log, a copy, a workbook) hit it.
const LIMIT: u64 = 128 * 1024;

#[test]
fn a_full_disk_fails_each_command_cleanly_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_copy(dir.path());
    let workbook = dir.path().join("新增.xlsx");
    volunteer_workbook(&workbook, "市测试局", "110102", 2000);
    let before_exports = exports_logged(&db);

    let backup = dir.path().join("备份.sqlite3");
    let Some(mut full) = with_file_limit(LIMIT, &db, &["backup", "--out", arg(&backup)]) else { return };
    assert_explained(&full.output().expect("run"), &["磁盘空间已满", "磁盘"]);
    assert!(!backup.exists(), "no half backup under its name");

    let report = dir.path().join("考核.xlsx");
    std::fs::write(&report, b"last year's file").expect("old report");
    let mut full = with_file_limit(LIMIT, &db, &["report", "--year", "2017", "--out", arg(&report)]).expect("prlimit");
    let out = full.output().expect("run");
    assert_explained(&out, &["磁盘空间已满"]);
    assert!(text(&out.stderr).contains("考核.xlsx"), "names the file: {}", text(&out.stderr));
    assert_eq!(std::fs::read(&report).expect("old report"), b"last year's file");

    let mut full = with_file_limit(LIMIT, &db, &["import", arg(&workbook)]).expect("prlimit");
    assert_explained(&full.output().expect("run"), &["磁盘"]);
    assert_eq!(integrity(&db), "ok");
    assert_eq!(volunteers(&db), Some(DEMO_VOLUNTEERS), "none of the import");

    let empty = dir.path().join("空.sqlite3");
    let mut full = with_file_limit(LIMIT, &empty, &["demo"]).expect("prlimit");
    assert_explained(&full.output().expect("run"), &["磁盘"]);
    assert_eq!(integrity(&empty), "ok");
    assert!(matches!(volunteers(&empty), None | Some(0)), "none of the demo");

    assert!(temporaries(dir.path()).is_empty(), "{:?}", temporaries(dir.path()));
    assert_eq!(exports_logged(&db), before_exports, "failed exports are not logged");
    // With room again, the same names work.
    assert_eq!(desk(&db, &["backup", "--out", arg(&backup)]).status.code(), Some(0));
    assert_opens(&backup);
    assert_eq!(desk(&db, &["import", arg(&workbook)]).status.code(), Some(0));
    assert_eq!(volunteers(&db), Some(DEMO_VOLUNTEERS + 2000));
}

/// A copy on a CD or a read-only share: the folder and the file may not be written.
#[test]
fn a_read_only_folder_reads_backs_up_and_reports_but_refuses_writes() {
    let dir = open_tempdir();
    let folder = dir.path().join("光盘");
    std::fs::create_dir(&folder).expect("folder");
    let db = demo_copy(&folder);
    // A tally needs the round closed; the demo leaves it open for voting.
    assert_eq!(desk(&db, &["contest", "close", "--category", "家风家训"]).status.code(), Some(0));
    let out = dir.path().join("输出");
    std::fs::create_dir(&out).expect("out");
    let workbook = out.join("新增.xlsx");
    volunteer_workbook(&workbook, "市测试局", "110105", 10);
    chmod(&out, 0o777);
    chmod(&workbook, 0o644);
    chmod(&db, 0o444);
    chmod(&folder, 0o555);
    let original = std::fs::read(&db).expect("bytes");
    let expected = desk(demo_template(), &["stats", "--year", "2017", "--json"]).stdout;

    let Some(mut stats) = as_unprivileged(&db, &["stats", "--year", "2017", "--json"]) else { return };
    let stats = stats.output().expect("run");
    assert_eq!(stats.status.code(), Some(0), "{}", text(&stats.stderr));
    assert_eq!(stats.stdout, expected);
    for (i, name) in ["一.sqlite3", "二.sqlite3"].iter().enumerate() {
        let copy = out.join(name);
        let made = run_bounded(as_unprivileged(&db, &["backup", "--out", arg(&copy)]).expect("unprivileged"));
        assert_eq!(made.status.code(), Some(0), "backup {i}: {}", text(&made.stderr));
        assert_opens(&copy);
    }
    let report = out.join("考核.xlsx");
    let made =
        as_unprivileged(&db, &["report", "--year", "2017", "--out", arg(&report)]).expect("u").output().expect("run");
    assert_eq!(made.status.code(), Some(0), "{}", text(&made.stderr));
    assert!(text(&made.stdout).contains("未能记入操作日志"), "{}", text(&made.stdout));
    assert_opens(&report);
    for reading in [&["audit", "verify"][..], &["check"][..], &["contest", "tally", "--category", "家风家训"][..]] {
        let read = as_unprivileged(&db, reading).expect("u").output().expect("run");
        if reading[0] == "audit" {
            // Another account has no copy of the data key: the log is read, and its signatures
            // are said to be beyond checking here (exit 1), not broken.
            assert_eq!(read.status.code(), Some(1), "{}", text(&read.stderr));
            assert!(text(&read.stderr).contains("无法核对"), "{}", text(&read.stderr));
        } else {
            assert_eq!(read.status.code(), Some(0), "{reading:?}: {}", text(&read.stderr));
        }
    }

    let refused = as_unprivileged(&db, &["import", arg(&workbook)]).expect("u").output().expect("run");
    assert_explained(&refused, &["只读", "无法打开"]);
    assert_eq!(std::fs::read(&db).expect("bytes"), original, "the file is unchanged byte for byte");
    assert_eq!(names(&folder), ["desk.sqlite3"], "nothing was made beside it");
}

/// A write-protected file in a folder that may be written: the case whose backup once spun.
#[test]
fn a_read_only_file_backs_up_twice_and_refuses_an_import() {
    let dir = open_tempdir();
    let db = demo_copy(dir.path());
    chmod(dir.path(), 0o777);
    chmod(&db, 0o444);
    let workbook = dir.path().join("新增.xlsx");
    volunteer_workbook(&workbook, "市测试局", "110106", 10);
    chmod(&workbook, 0o644);

    for name in ["一.sqlite3", "二.sqlite3"] {
        let copy = dir.path().join(name);
        let Some(backup) = as_unprivileged(&db, &["backup", "--out", arg(&copy)]) else { return };
        let made = run_bounded(backup);
        assert_eq!(made.status.code(), Some(0), "{}", text(&made.stderr));
        assert_opens(&copy);
    }
    let refused = as_unprivileged(&db, &["import", arg(&workbook)]).expect("u").output().expect("run");
    assert_explained(&refused, &["只读"]);
    assert!(text(&refused.stderr).contains(arg(&db)), "names the file: {}", text(&refused.stderr));
    assert_eq!(volunteers(&db), Some(DEMO_VOLUNTEERS));
}

#[test]
fn reading_a_database_that_is_not_there_creates_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let missing = dir.path().join("没有.sqlite3");
    let out = dir.path().join("x.xlsx");
    let backup = dir.path().join("b.sqlite3");
    for args in [
        &["stats", "--year", "2017"][..],
        &["report", "--year", "2017", "--out", arg(&out)][..],
        &["backup", "--out", arg(&backup)][..],
        &["audit", "verify"][..],
        &["check"][..],
        &["contest", "tally", "--category", "家风家训"][..],
    ] {
        let refused = desk(&missing, args);
        assert_eq!(refused.status.code(), Some(1), "{args:?}");
        assert_eq!(text(&refused.stderr).trim(), format!("错误：数据库文件不存在：{}", missing.display()), "{args:?}");
    }
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
}

#[test]
fn two_imports_at_once_each_land_whole_or_are_refused_in_chinese() {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_copy(dir.path());
    let first = dir.path().join("甲.xlsx");
    let second = dir.path().join("乙.xlsx");
    volunteer_workbook(&first, "市甲局", "120101", 1500);
    volunteer_workbook(&second, "市乙局", "130102", 1200);
    let start = |book: &std::path::Path| {
        command(&db, &["import", arg(book)])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    // Both started before either is waited for.
    let (a, b) = (start(&first), start(&second));
    let (a, b) = (a.wait_with_output().expect("a"), b.wait_with_output().expect("b"));
    assert_eq!(integrity(&db), "ok");
    let mut expected = DEMO_VOLUNTEERS;
    for (out, rows) in [(&a, 1500), (&b, 1200)] {
        if out.status.success() {
            expected += rows;
        } else {
            assert_explained(out, &["正被另一个窗口或程序占用"]);
        }
    }
    assert_eq!(volunteers(&db), Some(expected));
}

/// Holds the write lock in this process for `hold`, as another window saving would.
fn hold_write_lock(db: &std::path::Path, hold: Duration) -> std::thread::JoinHandle<()> {
    let conn = Connection::open(db).expect("open");
    conn.busy_timeout(Duration::from_secs(10)).expect("timeout");
    conn.execute_batch("BEGIN IMMEDIATE").expect("lock");
    std::thread::spawn(move || {
        std::thread::sleep(hold);
        conn.execute_batch("COMMIT").expect("release");
    })
}

#[test]
fn a_busy_database_is_waited_for_then_refused_naming_the_file() {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_copy(dir.path());
    let workbook = dir.path().join("十人.xlsx");
    volunteer_workbook(&workbook, "市测试局", "110108", 10);

    // Another writer for a moment: the import waits for it and lands.
    let holder = hold_write_lock(&db, Duration::from_millis(1500));
    let waited = desk(&db, &["import", arg(&workbook)]);
    holder.join().expect("holder");
    assert_eq!(waited.status.code(), Some(0), "{}", text(&waited.stderr));
    assert_eq!(volunteers(&db), Some(DEMO_VOLUNTEERS + 10));

    // Another writer for longer than the wait: refused, in Chinese, naming the file.
    let other = dir.path().join("十人二.xlsx");
    volunteer_workbook(&other, "市测试二局", "110109", 10);
    let holder = hold_write_lock(&db, Duration::from_secs(12));
    let refused = desk(&db, &["import", arg(&other)]);
    holder.join().expect("holder");
    assert_explained(&refused, &["正被另一个窗口或程序占用"]);
    assert!(text(&refused.stderr).contains(arg(&db)), "{}", text(&refused.stderr));
    assert_eq!(volunteers(&db), Some(DEMO_VOLUNTEERS + 10));
}
