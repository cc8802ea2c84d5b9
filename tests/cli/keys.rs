//! The data key on the command line (issue #20): `key status`, `key recovery-code --out`, and
//! `--recovery-code-file` for a copy opened where the key is not. Each run gets its own key
//! folder through `VOLUNTEER_DESK_KEY_DIR` on the child only.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

use volunteer_desk::keystore::KEY_DIR_VARIABLE;
use volunteer_desk::store::keys::NO_KEY;

/// The binary on `db` with its keys in `keys` (also `restore.rs`'s).
pub(crate) fn desk(db: &Path, keys: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_volunteer-desk"))
        .env(KEY_DIR_VARIABLE, keys)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The 24 characters of the code in a file `key recovery-code` wrote.
fn code_in(sheet: &str) -> String {
    let line =
        sheet.lines().map(str::trim).find(|l| l.len() == 29 && l.matches('-').count() == 5).expect("a code line");
    line.to_string()
}

#[test]
fn key_status_and_a_new_recovery_code_in_a_private_file() {
    let dir = tempfile::tempdir().expect("dir");
    let (db, keys) = (dir.path().join("demo.sqlite3"), dir.path().join("keys"));
    let demo = desk(&db, &keys, &["demo"]);
    assert!(demo.status.success(), "{}", stderr(&demo));

    let status = desk(&db, &keys, &["key", "status"]);
    assert_eq!(status.status.code(), Some(0), "{}", stderr(&status));
    let text = stdout(&status);
    assert!(text.contains("数据密钥：本机已保存") && text.contains(&keys.display().to_string()), "{text}");
    assert!(text.contains("恢复码生成于"), "the demo's code is made with it: {text}");

    let out = dir.path().join("恢复码.txt");
    let made = desk(&db, &keys, &["key", "recovery-code", "--out", out.to_str().expect("utf8")]);
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    assert!(stdout(&made).contains("已生成新的恢复码"));
    let sheet = std::fs::read_to_string(&out).expect("sheet");
    let code = code_in(&sheet);
    assert_eq!(code.replace('-', "").len(), 24);
    assert_ne!(code, volunteer_desk::demo::DEMO_RECOVERY_CODE);
    // Which database and key it opens, since when, and where it goes (issue #27).
    let key_id = text.split("编号 ").nth(1).and_then(|rest| rest.split('）').next()).expect("key id");
    let today = volunteer_desk::clock::today().format("%Y年%-m月%-d日").to_string();
    for line in [
        format!("数据库文件：{}", std::path::absolute(&db).expect("absolute").display()),
        format!("数据密钥编号：{key_id}"),
        format!("生成时间：{today}"),
        "系统 → 数据密钥 → 输入恢复码".to_string(),
        "--recovery-code-file".to_string(),
    ] {
        assert!(sheet.contains(&line), "{line} in {sheet}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(std::fs::metadata(&out).expect("meta").permissions().mode() & 0o777, 0o600);
    }

    let again = desk(&db, &keys, &["key", "recovery-code", "--out", out.to_str().expect("utf8")]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("已存在，未覆盖"), "{}", stderr(&again));
    assert_eq!(std::fs::read_to_string(&out).expect("sheet"), sheet, "the code on paper stays the valid one");
}

#[test]
fn a_copy_elsewhere_reads_without_the_key_and_unlocks_with_the_code_file() {
    let dir = tempfile::tempdir().expect("dir");
    let (db, keys) = (dir.path().join("demo.sqlite3"), dir.path().join("keys"));
    assert!(desk(&db, &keys, &["demo"]).status.success());
    let sheet = dir.path().join("恢复码.txt");
    let made = desk(&db, &keys, &["key", "recovery-code", "--out", sheet.to_str().expect("utf8")]);
    assert!(made.status.success(), "{}", stderr(&made));
    let copy = dir.path().join("副本.sqlite3");
    assert!(desk(&db, &keys, &["backup", "--out", copy.to_str().expect("utf8")]).status.success());

    let elsewhere = dir.path().join("另一台电脑的密钥");
    std::fs::create_dir(&elsewhere).expect("empty key folder");
    let workbook = dir.path().join("新志愿者.xlsx");
    let people = [("新来的".to_string(), common::id_number("33038119950505123"), "13977770001".to_string())];
    common::workbook::write_workbook(
        &workbook,
        vec![common::workbook::volunteer_sheet(&people, "市委办公室", "ZD-01")],
    );
    let workbook = workbook.to_str().expect("utf8");

    let stats = desk(&copy, &elsewhere, &["stats", "--year", "2017", "--json"]);
    assert_eq!(stats.status.code(), Some(0), "{}", stderr(&stats));
    assert!(stdout(&stats).contains("\"volunteers\":2319"), "{}", stdout(&stats));
    let status = desk(&copy, &elsewhere, &["key", "status"]);
    assert!(stdout(&status).contains("数据密钥：本机没有"), "{}", stdout(&status));
    let refused = desk(&copy, &elsewhere, &["import", workbook]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains(NO_KEY), "{}", stderr(&refused));
    // On the command line the way to the key is the option.
    assert!(stderr(&refused).contains("--recovery-code-file"), "{}", stderr(&refused));

    let wrong = dir.path().join("错的恢复码.txt");
    std::fs::write(&wrong, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF\n").expect("write");
    let refused = desk(&copy, &elsewhere, &["--recovery-code-file", wrong.to_str().expect("utf8"), "import", workbook]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("恢复码不正确"), "{}", stderr(&refused));
    assert_eq!(std::fs::read_dir(&elsewhere).expect("dir").count(), 0, "no key saved");
    assert_eq!(stdout(&desk(&copy, &elsewhere, &["stats", "--year", "2017", "--json"])), stdout(&stats));

    // The file `key recovery-code` wrote, as a script would pass it on.
    let sheet = sheet.to_str().expect("utf8");
    let imported = desk(&copy, &elsewhere, &["--recovery-code-file", sheet, "import", workbook]);
    assert_eq!(imported.status.code(), Some(0), "{}", stderr(&imported));
    assert_eq!(std::fs::read_dir(&elsewhere).expect("dir").count(), 1, "the key is kept on this machine");
    let status = desk(&copy, &elsewhere, &["key", "status"]);
    assert!(stdout(&status).contains("数据密钥：本机已保存"), "{}", stdout(&status));
}

#[test]
fn an_upgrade_says_each_step_and_that_no_recovery_code_exists_yet() {
    let dir = tempfile::tempdir().expect("dir");
    let (db, keys) = (dir.path().join("旧版.sqlite3"), dir.path().join("keys"));
    volunteer_desk::store::fixtures::version_16(&db, 300).expect("a version-16 file");
    let stats = desk(&db, &keys, &["stats", "--year", "2017"]);
    assert_eq!(stats.status.code(), Some(0), "{}", stderr(&stats));
    let said = stderr(&stats);
    let lines: Vec<&str> = said.lines().filter(|l| l.starts_with("升级数据库 第 ")).collect();
    assert!(lines.len() >= 4, "a line a step: {said}");
    assert!(lines[0].starts_with("升级数据库 第 1/") && lines[0].ends_with("检查数据库文件（完整性检查）"), "{said}");
    assert!(said.contains("数据版本 16 → 17：加密 300 位志愿者的身份证号和手机号"), "{said}");
    assert!(said.contains("数据库已升级到数据版本"), "{said}");
    assert!(said.contains("还没有恢复码") && said.contains("volunteer-desk key recovery-code --out"), "{said}");
    assert!(!stdout(&stats).contains("升级"), "stdout stays the command's own: {}", stdout(&stats));

    let again = desk(&db, &keys, &["stats", "--year", "2017"]);
    assert!(!stderr(&again).contains("升级数据库"), "said once: {}", stderr(&again));
}

#[test]
fn audit_verify_on_a_copy_without_the_key_says_it_cannot_check_the_signed_part() {
    let dir = tempfile::tempdir().expect("dir");
    let (db, keys) = (dir.path().join("demo.sqlite3"), dir.path().join("keys"));
    assert!(desk(&db, &keys, &["demo"]).status.success());
    let verified = desk(&db, &keys, &["audit", "verify"]);
    assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));
    assert!(stdout(&verified).contains("全部用数据密钥签名"), "{}", stdout(&verified));

    let elsewhere = dir.path().join("另一台电脑的密钥");
    std::fs::create_dir(&elsewhere).expect("empty key folder");
    let unverified = desk(&db, &elsewhere, &["audit", "verify"]);
    assert_eq!(unverified.status.code(), Some(1));
    let said = stderr(&unverified);
    assert!(said.contains("无法核对") && said.contains("这不表示日志有问题"), "{said}");
    assert!(!said.contains("断开") && !said.contains("校验失败"), "{said}");
    let checked = desk(&db, &elsewhere, &["check"]);
    assert_eq!(checked.status.code(), Some(0), "the file itself is sound: {}", stderr(&checked));
    assert!(stdout(&checked).contains("无法核对"), "{}", stdout(&checked));
}

#[test]
fn key_rotate_writes_a_new_code_and_an_old_code_with_an_old_backup_no_longer_opens_the_file() {
    let dir = tempfile::tempdir().expect("dir");
    let (db, keys) = (dir.path().join("demo.sqlite3"), dir.path().join("keys"));
    assert!(desk(&db, &keys, &["demo"]).status.success());
    let old_sheet = dir.path().join("旧恢复码.txt");
    assert!(desk(&db, &keys, &["key", "recovery-code", "--out", old_sheet.to_str().expect("utf8")]).status.success());
    let old_backup = dir.path().join("旧备份.sqlite3");
    assert!(desk(&db, &keys, &["backup", "--out", old_backup.to_str().expect("utf8")]).status.success());
    let before = stdout(&desk(&db, &keys, &["key", "status"]));

    let new_sheet = dir.path().join("新恢复码.txt");
    let rotated = desk(&db, &keys, &["key", "rotate", "--out", new_sheet.to_str().expect("utf8")]);
    assert_eq!(rotated.status.code(), Some(0), "{}", stderr(&rotated));
    assert!(stdout(&rotated).contains("已更换数据密钥"), "{}", stdout(&rotated));
    let new_code = code_in(&std::fs::read_to_string(&new_sheet).expect("new sheet"));
    assert_ne!(new_code, code_in(&std::fs::read_to_string(&old_sheet).expect("old sheet")));
    let after = stdout(&desk(&db, &keys, &["key", "status"]));
    assert!(after.contains("数据密钥：本机已保存"), "{after}");
    assert_ne!(before, after, "another key id");
    assert_eq!(std::fs::read_dir(&keys).expect("keys").count(), 1, "the old key is removed");

    // The log verifies under the new key, and the file is sound.
    let verified = desk(&db, &keys, &["audit", "verify"]);
    assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));
    assert!(stdout(&verified).contains("全部用数据密钥签名"), "{}", stdout(&verified));
    let checked = desk(&db, &keys, &["check"]);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));

    // An existing file is not overwritten, and nothing changes.
    let again = desk(&db, &keys, &["key", "rotate", "--out", new_sheet.to_str().expect("utf8")]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("已存在"), "{}", stderr(&again));
    assert_eq!(stdout(&desk(&db, &keys, &["key", "status"])), after);

    // Elsewhere: the old code opens the old backup, not today's file; the new code does.
    let elsewhere = dir.path().join("另一台电脑的密钥");
    std::fs::create_dir(&elsewhere).expect("empty key folder");
    let old_sheet = old_sheet.to_str().expect("utf8");
    let status = desk(&old_backup, &elsewhere, &["--recovery-code-file", old_sheet, "key", "status"]);
    assert!(stdout(&status).contains("数据密钥：本机已保存"), "{}{}", stdout(&status), stderr(&status));
    let refused = desk(&db, &elsewhere, &["--recovery-code-file", old_sheet, "key", "status"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("恢复码不正确"), "{}", stderr(&refused));
    let new_sheet = new_sheet.to_str().expect("utf8");
    let opened = desk(&db, &elsewhere, &["--recovery-code-file", new_sheet, "audit", "verify"]);
    assert_eq!(opened.status.code(), Some(0), "{}", stderr(&opened));
}
