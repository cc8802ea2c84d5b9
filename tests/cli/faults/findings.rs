//! The seven findings of issue #13, each as the tester met it; every test here failed before.

use std::path::Path;

use super::damage::overwrite_pages;
use super::support::*;

/// Finding 1: `report --out` onto the open database (or a backup, or its log) overwrote it.
#[test]
fn finding_1_a_report_never_overwrites_a_database() {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_copy(dir.path());
    let backup = dir.path().join("备份").join("自动备份-2026-11-29.sqlite3");
    std::fs::create_dir(dir.path().join("备份")).expect("folder");
    std::fs::copy(&db, &backup).expect("a backup");
    let elsewhere = dir.path().join("另一个库.xlsx");
    std::fs::copy(&db, &elsewhere).expect("a SQLite file under a workbook's name");
    let wal = dir.path().join("desk.sqlite3-wal");
    let in_backups = dir.path().join("备份").join("考核.xlsx");

    for target in [&db, &backup, &elsewhere, &wal, &in_backups] {
        let before = std::fs::read(target).ok();
        let refused = desk(&db, &["report", "--year", "2017", "--out", arg(target)]);
        assert_explained(&refused, &["不能写入"]);
        assert!(text(&refused.stderr).contains(arg(target)), "names the file: {}", text(&refused.stderr));
        assert_eq!(std::fs::read(target).ok(), before, "{} unchanged byte for byte", target.display());
    }
    assert_eq!(integrity(&db), "ok");
    assert_eq!(desk(&db, &["check"]).status.code(), Some(0));
}

/// Finding 2: A backup killed or out of room left an invalid file (and a -journal) under the final
/// name, refused as 已存在 on the next run; a report out of room left its `.part` and a
/// ZipWriter line.
#[test]
fn finding_2_a_failed_backup_or_report_leaves_nothing_under_the_name() {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_copy(dir.path());
    let backup = dir.path().join("备份.sqlite3");
    let Some(mut full) = with_file_limit(64 * 1024, &db, &["backup", "--out", arg(&backup)]) else { return };
    assert_explained(&full.output().expect("run"), &["磁盘"]);
    let report = dir.path().join("考核.xlsx");
    let mut full =
        with_file_limit(64 * 1024, &db, &["report", "--year", "2017", "--out", arg(&report)]).expect("limit");
    assert_explained(&full.output().expect("run"), &["磁盘空间已满"]);
    assert_eq!(names(dir.path()), ["desk.sqlite3"]);

    let again = desk(&db, &["backup", "--out", arg(&backup)]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    assert_opens(&backup);
}

/// Finding 3: A backup of a read-only database failed, then spun at 100 % CPU on the second run.
#[test]
fn finding_3_a_read_only_database_backs_up_every_time() {
    let dir = open_tempdir();
    chmod(dir.path(), 0o777);
    let db = demo_copy(dir.path());
    chmod(&db, 0o444);
    for name in ["一.sqlite3", "二.sqlite3", "三.sqlite3"] {
        let copy = dir.path().join(name);
        let Some(backup) = as_unprivileged(&db, &["backup", "--out", arg(&copy)]) else { return };
        let made = run_bounded(backup);
        assert_eq!(made.status.code(), Some(0), "{name}: {}", text(&made.stderr));
        assert_opens(&copy);
    }
}

/// Finding 4: Damaged pages went unnoticed by stats, import, audit verify and backup; a truncated
/// file was called foreign.
#[test]
fn finding_4_damage_is_noticed_by_every_command() {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_copy(dir.path());
    overwrite_pages(&db);
    for args in [&["stats", "--year", "2017"][..], &["audit", "verify"][..]] {
        assert_explained(&desk(&db, args), &["数据库文件已损坏"]);
    }
    let backup = dir.path().join("b.sqlite3");
    assert_explained(&desk(&db, &["backup", "--out", arg(&backup)]), &["数据库文件已损坏"]);
    assert!(!backup.exists(), "no copy of a damaged database");
}

/// Finding 5: A read-only folder made every command say the file is not a database; SQLite's and
/// the system's English reached the user.
#[test]
fn finding_5_a_read_only_folder_is_read_and_errors_are_chinese() {
    let dir = open_tempdir();
    let folder = dir.path().join("只读");
    std::fs::create_dir(&folder).expect("folder");
    let db = demo_copy(&folder);
    // The program makes its files 0600 (issue #26); a copy on a share or CD is read by all.
    chmod(&db, 0o644);
    chmod(&folder, 0o555);
    let Some(mut stats) = as_unprivileged(&db, &["stats", "--year", "2017"]) else { return };
    let stats = stats.output().expect("run");
    assert_eq!(stats.status.code(), Some(0), "{}", text(&stats.stderr));
    assert!(text(&stats.stdout).contains("注册人数 2319 人"));

    let workbook = dir.path().join("新增.xlsx");
    volunteer_workbook(&workbook, "市测试局", "110111", 5);
    chmod(&workbook, 0o644);
    let refused = as_unprivileged(&db, &["import", arg(&workbook)]).expect("u").output().expect("run");
    assert_explained(&refused, &["只读", "无法打开"]);
    let to_folder = desk(&db, &["report", "--year", "2017", "--out", arg(dir.path())]);
    assert_explained(&to_folder, &["是一个文件夹"]);
    let nowhere = desk(&db, &["report", "--year", "2017", "--out", arg(&dir.path().join("无此目录/x.xlsx"))]);
    assert_explained(&nowhere, &["找不到"]);
}

/// Finding 6: A second writer was refused at once, even for a ten-row import (see also
/// `limits::a_busy_database_is_waited_for_then_refused_naming_the_file`).
#[test]
fn finding_6_a_second_writer_waits_its_turn() {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_copy(dir.path());
    let books: Vec<_> = (0..3)
        .map(|i| {
            let book = dir.path().join(format!("十人{i}.xlsx"));
            volunteer_workbook(&book, &format!("市测试{i}局"), &format!("11011{}", i + 2), 10);
            book
        })
        .collect();
    let children: Vec<_> = books
        .iter()
        .map(|book| {
            let mut import = command(&db, &["import", arg(book)]);
            import.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().expect("spawn")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
    assert_eq!(volunteers(&db), Some(DEMO_VOLUNTEERS + 30));
}

/// Finding 7: An export that failed (bad year, full disk, too-long cell) was still logged as 导出.
#[test]
fn finding_7_only_an_export_that_succeeded_is_logged() {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_copy(dir.path());
    let out = dir.path().join("考核.xlsx");
    let before = exports_logged(&db);
    assert_explained(&desk(&db, &["report", "--year", "1800", "--out", arg(&out)]), &["年份"]);
    let mut full = match with_file_limit(16 * 1024, &db, &["report", "--year", "2017", "--out", arg(&out)]) {
        Some(command) => command,
        None => command(&db, &["report", "--year", "1801", "--out", arg(&out)]),
    };
    assert_eq!(full.output().expect("run").status.code(), Some(1));
    assert_eq!(exports_logged(&db), before, "no entry for a failed export");
    assert!(!Path::new(&out).exists());

    assert_eq!(desk(&db, &["report", "--year", "2017", "--out", arg(&out)]).status.code(), Some(0));
    assert_eq!(exports_logged(&db), before + 1);
}
