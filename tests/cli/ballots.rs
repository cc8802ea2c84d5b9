//! `contest ballots export` and `import FILE_OR_DIR` for returned ballot workbooks, as
//! docs/ballot-workbook.md states them.

use std::path::Path;
use std::process::Command;

use crate::common;
use crate::common::workbook::{read_all, save_filled};
use volunteer_desk::domain::contest::{Category, CategoryRules};
use volunteer_desk::store::contest::{self, judges, works};
use volunteer_desk::store::units::{NewUnit, insert_unit};

fn desk(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_volunteer-desk")).arg("--db").arg(db).args(args).output().expect("run")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Two units, three mottos, a judge of each unit (their ids returned); quota 2.
pub(crate) fn contest(db: &Path) -> Vec<i64> {
    let store = volunteer_desk::store::open(db).expect("open");
    let conn = store.conn();
    let admin = volunteer_desk::store::Actor::command_line();
    let rules = CategoryRules { shortlist: 2, ballot_quota: 2, ..Category::Motto.default_rules() };
    contest::set_rules(conn, &admin, Category::Motto, &rules).expect("rules");
    let units: Vec<i64> = ["市财政局", "市教育局"]
        .iter()
        .map(|name| insert_unit(conn, &NewUnit { name: (*name).into(), party_members: 9 }).expect("unit"))
        .collect();
    for (i, content) in
        ["家和万事兴，邻里互助情谊长", "勤俭节约好家风，代代相传", "读书明理知荣辱，耕读传家"].iter().enumerate()
    {
        let work = common::work(Category::Motto, units[i % 2], content, "2017-06-01");
        works::add_work(conn, &admin, &work).expect("work");
    }
    ["赵评委", "钱评委"]
        .iter()
        .zip(&units)
        .map(|(name, unit)| {
            let judge = judges::NewJudge {
                name: (*name).into(),
                organisation: judges::JudgeOrganisation::Unit(*unit),
                title: String::new(),
                role: judges::JudgeRole::Initial,
            };
            judges::add_judge(conn, &admin, &judge).expect("judge")
        })
        .collect()
}

fn sha256_of(path: &Path) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(std::fs::read(path).expect("file")).iter().map(|b| format!("{b:02x}")).collect()
}

/// Saves `from` again as a spreadsheet program would, with ✓ beside `marked` in 选择.
fn fill(from: &Path, marked: &[&str], to: &Path) {
    let marked: Vec<String> = marked.iter().map(|m| (*m).to_string()).collect();
    save_filled(&read_all(from), &marked, str::to_string, to);
}

#[test]
fn ballots_go_out_come_back_once_and_are_counted() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("contest.sqlite3");
    contest(&db);
    let closed_first = desk(&db, &["contest", "ballots", "export", "--category", "家风家训", "--out", "x"]);
    assert_eq!(closed_first.status.code(), Some(1), "no ballots before the round opens");
    assert!(desk(&db, &["contest", "open", "--category", "家风家训"]).status.success());

    let out = dir.path().join("选票");
    let exported =
        desk(&db, &["contest", "ballots", "export", "--category", "家风家训", "--out", out.to_str().expect("utf8")]);
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    assert!(text(&exported.stdout).contains("已生成 2 份电子选票"), "{}", text(&exported.stdout));

    // 赵评委 (市财政局) sees only 市教育局's JX0002 and ticks it; 钱评委 returns an empty ballot.
    let back = dir.path().join("交回");
    std::fs::create_dir(&back).expect("dir");
    fill(&out.join("家风家训初评选票_赵评委.xlsx"), &["JX0002"], &back.join("赵评委.xlsx"));
    fill(&out.join("家风家训初评选票_钱评委.xlsx"), &[], &back.join("钱评委.xlsx"));
    let taken = desk(&db, &["import", back.to_str().expect("utf8")]);
    assert_eq!(taken.status.code(), Some(1), "the empty ballot waits for a confirmation");
    let stderr = text(&taken.stderr);
    assert!(
        stderr.contains("本次 2 个文件：收回 1 份，拒收 1 份。\n家风家训初评：已收 1 / 应收 2，其中作废 0 张"),
        "{stderr}"
    );
    assert!(stderr.contains("拒收：“钱评委.xlsx”：未选任何作品："), "{stderr}");
    assert!(stderr.contains("加 --accept-empty 再收回一次"), "{stderr}");
    // The ballot taken has its receipt after the summary: the code counted, the file's hash.
    let receipt = stderr.split_once("\n\n电子选票回执\n").map(|(_, r)| r).expect("a receipt after the summary");
    for line in ["评委：赵评委", "文件：“赵评委.xlsx”", "计为同意的作品（1 件）：JX0002"] {
        assert!(receipt.lines().any(|l| l == line), "{line} in {receipt}");
    }
    assert!(receipt.contains(&format!("文件 SHA-256：{}", sha256_of(&back.join("赵评委.xlsx")))), "{receipt}");
    let abstained = desk(&db, &["import", back.join("钱评委.xlsx").to_str().expect("utf8"), "--accept-empty"]);
    assert_eq!(abstained.status.code(), Some(0), "{}", text(&abstained.stderr));
    let stdout = text(&abstained.stdout);
    assert!(
        stdout.starts_with(
            "本次 1 个文件：收回 1 份，拒收 0 份。\n家风家训初评：已收 2 / 应收 2，其中作废 0 张\n\n电子选票回执\n"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("\n评委：钱评委\n"), "{stdout}");
    assert!(stdout.contains("\n计为同意的作品（0 件）：无（经确认作为弃权收回）\n"), "{stdout}");

    let again = desk(&db, &["import", back.join("赵评委.xlsx").to_str().expect("utf8")]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("拒收：“赵评委.xlsx”：重复：赵评委的电子选票已于"), "{}", text(&again.stderr));

    assert!(desk(&db, &["contest", "close", "--category", "家风家训"]).status.success());
    let tally = desk(&db, &["contest", "tally", "--category", "家风家训", "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&tally.stdout).expect("json");
    assert_eq!(value["tally"][0], serde_json::json!({"work": "JX0002", "votes": 1, "eligible": 1}));
    assert_eq!((value["tally"][1]["votes"].as_i64(), value["tally"][2]["votes"].as_i64()), (Some(0), Some(0)));
}

#[test]
fn a_ballot_without_its_seal_given_to_import_is_refused_and_an_unfilled_export_is_no_abstention() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("contest.sqlite3");
    contest(&db);
    assert!(desk(&db, &["contest", "open", "--category", "家风家训"]).status.success());
    let out = dir.path().join("选票");
    let exported =
        desk(&db, &["contest", "ballots", "export", "--category", "家风家训", "--out", out.to_str().expect("utf8")]);
    assert!(exported.status.success(), "{}", text(&exported.stderr));

    // The visible sheet alone, ticked: no seal, so no ballot, and not an import workbook either.
    let sheets: Vec<_> =
        read_all(&out.join("家风家训初评选票_赵评委.xlsx")).into_iter().filter(|(name, _, _)| name == "选票").collect();
    let unsealed = dir.path().join("赵评委.xlsx");
    save_filled(&sheets, &["JX0002".to_string()], str::to_string, &unsealed);
    let refused = desk(&db, &["import", unsealed.to_str().expect("utf8")]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("拒收：“赵评委.xlsx”：封签缺失："), "{stderr}");
    assert!(!stderr.contains("新增"), "{stderr}");

    // The export folder itself, even with --accept-empty: nothing filled in, nothing taken.
    let folder = desk(&db, &["import", out.to_str().expect("utf8"), "--accept-empty"]);
    assert_eq!(folder.status.code(), Some(1));
    let stderr = text(&folder.stderr);
    assert!(stderr.contains("本次 2 个文件：收回 0 份，拒收 2 份。"), "{stderr}");
    assert_eq!(stderr.matches("：未经填写：").count(), 2, "{stderr}");
}

#[test]
fn without_the_data_key_no_ballot_goes_out_and_the_refusal_says_how_to_get_it() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("contest.sqlite3");
    contest(&db);
    assert!(desk(&db, &["contest", "open", "--category", "家风家训"]).status.success());
    let no_keys = dir.path().join("空钥匙夹");
    std::fs::create_dir(&no_keys).expect("dir");
    let out = dir.path().join("选票");
    let refused = Command::new(env!("CARGO_BIN_EXE_volunteer-desk"))
        .env(volunteer_desk::keystore::KEY_DIR_VARIABLE, &no_keys)
        .arg("--db")
        .arg(&db)
        .args(["contest", "ballots", "export", "--category", "家风家训", "--out", out.to_str().expect("utf8")])
        .output()
        .expect("run");
    assert_eq!(refused.status.code(), Some(1));
    let stderr = text(&refused.stderr);
    assert!(stderr.contains(volunteer_desk::store::contest::workbooks::NO_KEY_FOR_BALLOTS), "{stderr}");
    assert!(stderr.contains("--recovery-code-file"), "{stderr}");
    assert!(!out.exists(), "nothing written");
}
