//! Issue #27 as a new clerk met the command line: help and usage errors in English,
//! `template --out` refused, and `check` leaving a `-wal` and a `-shm` beside the file it
//! was said only to read. Every test here failed before.

use std::path::Path;
use std::process::{Command, Output};

use volunteer_desk::keystore::KEY_DIR_VARIABLE;

const BIN: &str = env!("CARGO_BIN_EXE_volunteer-desk");

/// The binary with `args`, its keys in `keys`.
fn run(keys: &Path, args: &[&str]) -> Output {
    Command::new(BIN).env(KEY_DIR_VARIABLE, keys).args(args).output().expect("run")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// What clap writes in English where no setting is made.
const ENGLISH: [&str; 9] =
    ["Usage", "Options", "Commands", "Arguments", "Print help", "Print version", "[OPTIONS]", "error:", "tip:"];

fn assert_chinese(text: &str) {
    for english in ENGLISH {
        assert!(!text.contains(english), "{english} in:\n{text}");
    }
}

#[test]
fn help_is_all_chinese_at_every_level() {
    let keys = tempfile::tempdir().expect("keys");
    for args in [
        &["--help"][..],
        &["-h"][..],
        &["report", "--help"][..],
        &["import", "--help"][..],
        &["contest", "--help"][..],
        &["contest", "tally", "--help"][..],
        &["key", "recovery-code", "-h"][..],
    ] {
        let help = run(keys.path(), args);
        assert_eq!(help.status.code(), Some(0), "{args:?}: {}", stderr(&help));
        let text = stdout(&help);
        assert!(text.contains("用法：volunteer-desk"), "{args:?}:\n{text}");
        assert!(text.contains("选项:") && text.contains("-h, --help") && text.contains("显示帮助"), "{text}");
        assert_chinese(&text);
    }
    let top = stdout(&run(keys.path(), &["--help"]));
    assert!(top.contains("命令:") && top.contains("template") && top.contains("显示版本号"), "{top}");
    assert!(top.contains("--db <路径>"), "{top}");
    assert!(stdout(&run(keys.path(), &["report", "--help"])).contains("--year <年份>"));
    assert!(stdout(&run(keys.path(), &["import", "--help"])).contains("参数:"));
    let version = run(keys.path(), &["-V"]);
    assert_eq!(version.status.code(), Some(0));
    assert!(stdout(&version).contains(env!("CARGO_PKG_VERSION")));
    // clap's `help` subcommand would print English about itself.
    assert_eq!(run(keys.path(), &["help"]).status.code(), Some(2));
}

#[test]
fn usage_errors_are_chinese_and_exit_2() {
    let keys = tempfile::tempdir().expect("keys");
    let usage = stderr(&run(keys.path(), &["stats"]));
    assert!(usage.contains("\n\n用法：volunteer-desk stats --year <年份>\n"), "{usage}");
    for (args, says) in [
        (&["report", "--year", "2017", "--bogus"][..], "不认识的参数“--bogus”"),
        (&["stats"][..], "缺少必需的参数：--year <年份>"),
        (&["stats", "--year", "abc"][..], "参数 --year <年份> 的取值“abc”无效"),
        (&["contest", "tally", "--category", "诗歌"][..], "可选：家风家训、家风家训故事"),
        (&["statz"][..], "没有“statz”这个命令"),
    ] {
        let refused = run(keys.path(), args);
        assert_eq!(refused.status.code(), Some(2), "{args:?}");
        let text = stderr(&refused);
        assert!(text.starts_with("错误："), "{text}");
        assert!(text.contains(says), "{says} in:\n{text}");
        assert!(text.contains("volunteer-desk --help 查看帮助"), "{text}");
        assert_chinese(&text);
    }
}

#[test]
fn template_takes_out_as_every_command_does_and_the_bare_path_still() {
    let dir = tempfile::tempdir().expect("dir");
    let keys = dir.path().join("keys");
    let with_out = dir.path().join("导入模板.xlsx");
    let made = run(&keys, &["template", "--out", with_out.to_str().expect("utf8")]);
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    assert_eq!(stdout(&made).trim(), format!("已生成导入模板：{}", with_out.display()));
    let bare = dir.path().join("模板二.xlsx");
    assert_eq!(run(&keys, &["template", bare.to_str().expect("utf8")]).status.code(), Some(0));
    let sheets = |path: &Path| {
        use calamine::Reader as _;
        calamine::open_workbook_auto(path).expect("a workbook").sheet_names()
    };
    assert_eq!(sheets(&with_out), sheets(&bare));
    assert!(sheets(&with_out).iter().any(|name| name == "志愿者"), "{:?}", sheets(&with_out));

    let again = run(&keys, &["template", "--out", with_out.to_str().expect("utf8")]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("已存在，未覆盖"), "{}", stderr(&again));
    let both = run(&keys, &["template", "a.xlsx", "--out", "b.xlsx"]);
    assert_eq!(both.status.code(), Some(2), "one path, not two");
    assert_eq!(run(&keys, &["template"]).status.code(), Some(2));
    assert_eq!(names(dir.path()), ["导入模板.xlsx", "模板二.xlsx"], "no database made, nothing else");
}

#[test]
fn check_leaves_nothing_beside_the_file_it_checks() {
    let dir = tempfile::tempdir().expect("dir");
    let desktop = dir.path().join("桌面");
    std::fs::create_dir(&desktop).expect("desktop");
    let backup = desktop.join("志愿服务备份.sqlite3");
    drop(volunteer_desk::store::open(&backup).expect("a database"));
    assert_eq!(names(&desktop), ["志愿服务备份.sqlite3"]);
    let before = std::fs::read(&backup).expect("bytes");

    let keys = dir.path().join("keys");
    let checked = run(&keys, &["--db", backup.to_str().expect("utf8"), "check"]);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    assert_eq!(names(&desktop), ["志愿服务备份.sqlite3"], "no -wal, no -shm");
    assert_eq!(std::fs::read(&backup).expect("bytes"), before, "not a byte changed");
}

#[test]
fn check_of_an_open_database_reads_its_log_and_leaves_it() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("desk.sqlite3");
    let window = volunteer_desk::store::open(&db).expect("open");
    // The window holds the file: its log and shared memory are beside it, pages in the log.
    let other = rusqlite::Connection::open(&db).expect("another connection");
    other
        .execute_batch("PRAGMA wal_autocheckpoint = 0; CREATE TABLE scratch (x); INSERT INTO scratch VALUES (1);")
        .expect("a write left in the log");
    let wal = dir.path().join("desk.sqlite3-wal");
    let logged = std::fs::metadata(&wal).expect("wal").len();
    assert!(logged > 0);

    let keys = dir.path().join("keys");
    let checked = run(&keys, &["--db", db.to_str().expect("utf8"), "check"]);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    assert_eq!(std::fs::metadata(&wal).expect("the log stays").len(), logged);
    let kept: i64 = other.query_row("SELECT x FROM scratch", [], |r| r.get(0)).expect("read");
    assert_eq!(kept, 1);
    drop(window);
}

/// Every command's path below the top, e.g. `["contest", "ballots", "export"]`.
fn command_paths(command: &clap::Command, above: &[String], out: &mut Vec<Vec<String>>) {
    for sub in command.get_subcommands() {
        let mut path = above.to_vec();
        path.push(sub.get_name().to_string());
        command_paths(sub, &path, out);
        out.push(path);
    }
}

#[test]
fn every_commands_help_is_chinese_with_chinese_value_names() {
    use clap::CommandFactory as _;
    let mut paths = vec![Vec::new()];
    command_paths(&volunteer_desk::cli::Cli::command(), &[], &mut paths);
    assert!(paths.len() >= 15, "{paths:?}");
    for path in paths {
        let mut args = vec!["volunteer-desk".to_string()];
        args.extend(path.iter().cloned());
        args.push("--help".to_string());
        let help = volunteer_desk::cli::parse(&args).expect_err("help is printed, not run");
        assert!(!help.is_error, "{path:?}");
        assert_chinese(&help.text);
        // A value name clap makes up from a field (`<YEAR>`) or one written in English (`<FILE>`).
        let english_value = help
            .text
            .split('<')
            .skip(1)
            .filter_map(|rest| rest.split('>').next())
            .find(|name| name.chars().any(|c| c.is_ascii_alphabetic()) && !name.contains(".xlsx"));
        assert_eq!(english_value, None, "{path:?}:\n{}", help.text);
    }
}
