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

#[test]
fn contest_open_close_and_tally_as_formats_says() {
    use volunteer_desk::domain::contest::Category;
    use volunteer_desk::store::contest::ballots;

    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("contest.sqlite3");
    let admin = volunteer_desk::store::Actor::command_line();
    let judge_ids = crate::ballots::contest(&db);

    let before = desk(&db, &["contest", "tally", "--category", "家风家训"]);
    assert_eq!(before.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&before.stderr).contains("初评尚未开始"));
    let opened = desk(&db, &["contest", "open", "--category", "家风家训"]);
    assert!(opened.status.success(), "{}", String::from_utf8_lossy(&opened.stderr));
    assert!(String::from_utf8_lossy(&opened.stdout).contains("家风家训初评已开启"));
    let hidden = desk(&db, &["contest", "tally", "--category", "家风家训", "--json"]);
    assert_eq!(hidden.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&hidden.stderr).contains("投票结束前不能查看计票结果"));

    {
        let store = volunteer_desk::store::open(&db).expect("open");
        let conn = store.conn();
        // 市财政局's judge votes for 市教育局's work JX0002; 市教育局's judge for JX0001 and JX0003.
        ballots::record_paper_ballot(conn, &admin, Category::Motto, judge_ids[0], &["JX0002".into()]).expect("paper");
        ballots::record_paper_ballot(conn, &admin, Category::Motto, judge_ids[1], &["JX0001".into(), "JX0003".into()])
            .expect("paper");
    }
    let closed = desk(&db, &["contest", "close", "--category", "家风家训"]);
    assert!(closed.status.success(), "{}", String::from_utf8_lossy(&closed.stderr));
    assert!(String::from_utf8_lossy(&closed.stdout).contains("全部选票哈希"));

    let json = desk(&db, &["contest", "tally", "--category", "家风家训", "--json"]);
    assert_eq!(json.status.code(), Some(0), "{}", String::from_utf8_lossy(&json.stderr));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(
        value,
        serde_json::json!({
            "category": "家风家训", "quota": 2, "shortlist": [], "tie_band": ["JX0001", "JX0002", "JX0003"],
            "places_left": 2,
            "tally": [
                {"work": "JX0001", "votes": 1, "eligible": 1},
                {"work": "JX0002", "votes": 1, "eligible": 1},
                {"work": "JX0003", "votes": 1, "eligible": 1}
            ]
        })
    );
    let text = desk(&db, &["contest", "tally", "--category", "家风家训"]);
    let text = String::from_utf8(text.stdout).expect("utf8");
    assert!(text.contains("第2名处 3 件作品并列（各 1 票），争 2 个名额"), "{text}");

    let usage = desk(&db, &["contest", "open", "--category", "书法"]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn a_year_outside_1949_to_2100_is_refused_by_every_command_before_any_file_is_made() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("新.sqlite3");
    let out = dir.path().join("报表.xlsx");
    for args in [
        vec!["stats", "--year", "20177"],
        vec!["stats", "--year", "1948", "--json"],
        vec!["report", "--year", "2101", "--out", out.to_str().expect("utf8")],
    ] {
        let refused = desk(&db, &args);
        assert_eq!(refused.status.code(), Some(1), "{args:?}");
        let said = String::from_utf8_lossy(&refused.stderr);
        assert!(said.contains("不在 1949–2100 之间"), "{args:?}: {said}");
    }
    assert!(!db.exists() && !out.exists(), "nothing was created");
    let edge = desk(&db, &["demo"]);
    assert!(edge.status.success());
    for year in ["1949", "2100"] {
        assert_eq!(desk(&db, &["stats", "--year", year]).status.code(), Some(0), "{year} is allowed");
    }
}
