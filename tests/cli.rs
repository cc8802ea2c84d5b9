//! The command line as formats.md states it: subcommands, JSON keys and exit statuses.

use std::process::Command;

fn desk(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_volunteer-desk")).arg("--db").arg(db).args(args).output().expect("run")
}

#[test]
fn demo_then_stats_prints_the_year() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("cli.sqlite3");
    let demo = desk(&db, &["demo"]);
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));

    let json = desk(&db, &["stats", "--year", "2017", "--json"]);
    assert_eq!(json.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(
        value,
        serde_json::json!({"teams": 78, "volunteers": 2319, "activities": 30, "credit_hours": 196.5, "honor_hours": 222.9})
    );

    let text = desk(&db, &["stats", "--year", "2017"]);
    let text = String::from_utf8(text.stdout).expect("utf8");
    assert!(text.contains("服务信用时数 196.5 小时，荣誉时数 222.9 小时"), "{text}");

    let backup = dir.path().join("备份.sqlite3");
    let made = desk(&db, &["backup", "--out", backup.to_str().expect("utf8 path")]);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let from_backup = desk(&backup, &["stats", "--year", "2017", "--json"]);
    assert_eq!(from_backup.stdout, json.stdout);
    let twice = desk(&db, &["backup", "--out", backup.to_str().expect("utf8 path")]);
    assert_eq!(twice.status.code(), Some(1), "an existing backup is never overwritten");

    let again = desk(&db, &["demo"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("只能载入空数据库"));
}

#[test]
fn refuses_a_foreign_file_with_status_1_and_bad_usage_with_2() {
    let dir = tempfile::tempdir().expect("dir");
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "这不是数据库，这是一份会议记录。").expect("write");
    let refused = desk(&notes, &["stats", "--year", "2017"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("不是本程序的数据库文件"));

    let usage = desk(&dir.path().join("x.sqlite3"), &["stats"]);
    assert_eq!(usage.status.code(), Some(2));
}
