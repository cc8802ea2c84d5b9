//! Damaged files: pages overwritten in a copy, a copy truncated to half. Every command
//! refuses them as 数据库文件已损坏 and changes nothing; `check` names the problem.

use std::io::{Seek as _, SeekFrom, Write as _};
use std::path::Path;

use super::support::*;

/// Overwrites four pages in the middle of the file with a pattern, as a failing disk would.
pub fn overwrite_pages(db: &Path) {
    let length = std::fs::metadata(db).expect("size").len();
    let page = 4096;
    let mut file = std::fs::OpenOptions::new().write(true).open(db).expect("open");
    file.seek(SeekFrom::Start(length / 2 / page * page)).expect("seek");
    file.write_all(&vec![0xAB; 4 * page as usize]).expect("overwrite");
}

#[test]
fn check_passes_the_demo() {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_copy(dir.path());
    let checked = desk(&db, &["check"]);
    assert_eq!(checked.status.code(), Some(0), "{}", text(&checked.stderr));
    assert!(text(&checked.stdout).contains("完好"), "{}", text(&checked.stdout));
}

#[test]
fn overwritten_pages_are_found_and_every_command_refuses_them() {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_copy(dir.path());
    overwrite_pages(&db);
    let damaged = std::fs::read(&db).expect("bytes");
    let workbook = dir.path().join("新增.xlsx");
    volunteer_workbook(&workbook, "市测试局", "110110", 10);

    let checked = desk(&db, &["check"]);
    assert_explained(&checked, &["数据页已损坏"]);
    assert!(text(&checked.stderr).contains(arg(&db)), "names the file: {}", text(&checked.stderr));

    let out = dir.path().join("考核.xlsx");
    let backup = dir.path().join("备份.sqlite3");
    for args in [
        &["stats", "--year", "2017"][..],
        &["import", arg(&workbook)][..],
        &["audit", "verify"][..],
        &["backup", "--out", arg(&backup)][..],
        &["report", "--year", "2017", "--out", arg(&out)][..],
        &["demo"][..],
    ] {
        let refused = desk(&db, args);
        assert_explained(&refused, &["数据库文件已损坏"]);
        assert!(text(&refused.stderr).contains("volunteer-desk check"), "says what to do: {}", text(&refused.stderr));
    }
    assert_eq!(std::fs::read(&db).expect("bytes"), damaged, "nothing was written into it");
    assert!(!backup.exists() && !out.exists());
    assert!(temporaries(dir.path()).is_empty(), "{:?}", temporaries(dir.path()));
}

#[test]
fn a_truncated_copy_is_called_damaged_not_foreign() {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_copy(dir.path());
    let length = std::fs::metadata(&db).expect("size").len();
    std::fs::OpenOptions::new().write(true).open(&db).expect("open").set_len(length / 2).expect("truncate");

    let refused = desk(&db, &["stats", "--year", "2017"]);
    assert_explained(&refused, &["数据库文件已损坏"]);
    let err = text(&refused.stderr);
    assert!(err.contains("截短") && !err.contains("不是本程序"), "{err}");
    let checked = desk(&db, &["check"]);
    assert_explained(&checked, &["截短"]);
}

/// Makes an index disagree with its table, as a crash or another tool can leave it: the
/// schema is told the index covers another column than its entries were made from. Every page
/// still reads, so `quick_check` passes; `integrity_check` does not.
pub fn desync_an_index(db: &Path) {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.execute_batch(
        "PRAGMA writable_schema = ON;
         UPDATE sqlite_schema SET sql = 'CREATE INDEX team_membership_team ON team_membership(volunteer_id)'
         WHERE name = 'team_membership_team';
         PRAGMA writable_schema = OFF;",
    )
    .expect("desync");
    drop(conn);
    let conn = rusqlite::Connection::open(db).expect("open");
    let quick: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).expect("quick_check");
    assert_eq!(quick, "ok", "the damage passes the quick check");
    assert_ne!(integrity(db), "ok");
}

#[test]
fn an_index_that_disagrees_with_its_table_is_refused_before_an_import_writes() {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_copy(dir.path());
    desync_an_index(&db);
    let damaged = std::fs::read(&db).expect("bytes");
    let workbook = dir.path().join("新增.xlsx");
    volunteer_workbook(&workbook, "市测试局", "110110", 5);

    let refused = desk(&db, &["import", arg(&workbook)]);
    assert_explained(&refused, &["索引与数据不一致"]);
    assert!(text(&refused.stderr).contains("数据库文件已损坏"), "{}", text(&refused.stderr));
    assert_eq!(std::fs::read(&db).expect("bytes"), damaged, "no row was written into it");
    assert_eq!(volunteers(&db), Some(DEMO_VOLUNTEERS));
    let checked = desk(&db, &["check"]);
    assert_explained(&checked, &["索引与数据不一致"]);
}
