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
