//! `contest export --category C --out DIR`: the window's contest workbooks, without the
//! window — the record always, the lists only once the category's stage allows them.

use std::path::Path;
use std::process::Command;

use crate::ballots::contest;

fn desk(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_volunteer-desk")).arg("--db").arg(db).args(args).output().expect("run")
}

#[test]
fn contest_export_writes_what_the_stage_allows() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("contest.sqlite3");
    contest(&db);
    let out = dir.path().join("评选结果");
    let args = ["contest", "export", "--category", "家风家训", "--out", out.to_str().expect("utf8")];
    let early = desk(&db, &args);
    assert_eq!(early.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&early.stderr).contains("家风家训的初评尚未结束"), "{early:?}");

    assert!(desk(&db, &["contest", "open", "--category", "家风家训"]).status.success());
    assert!(desk(&db, &["contest", "close", "--category", "家风家训"]).status.success());
    let done = desk(&db, &args);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    // No shortlist yet (the tie band at the cut-off waits for a decision): the record only.
    assert_eq!(files, ["家风家训评选记录.xlsx"]);
    let said = String::from_utf8_lossy(&done.stdout);
    assert!(said.contains("初评计票、初评选票、初评选票原文、决定记录"), "{said}");
}
