//! Issue #27 as a new clerk met the command line: help and usage errors in English,
//! `template --out` refused, and `check` leaving a `-wal` and a `-shm` beside the file it
//! was said only to read. Every test here failed before.
//!
//! Issue #33's papers: the 报名名单 and the 签到表 as printed, read back with calamine and
//! from the sheet's own XML (grid, page setup, row heights).

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

/// The papers of 义诊服务进社区 (three places, five sign-ups: two wait) written to `dir`.
fn papers_of_five_for_three(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    use crate::common::{self, at};
    use volunteer_desk::store::activities::{insert_activity, list_activities, publish_activity};
    use volunteer_desk::store::recruitment::{roster, sign_up};
    let org = common::org_at(&dir.join("desk.sqlite3"), "市卫生健康委员会", 80, "ZD-31", "卫健委支队");
    let people: Vec<i64> = ["张三", "李四", "王五", "赵六", "叶佳"]
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let first17 = format!("33038119800{}01121", i + 1);
            org.volunteer(org.detachment, &format!("ZY0000{}", i + 1), name, &first17, &format!("1380000000{i}"))
        })
        .collect();
    let conn = org.store.conn();
    let activity = volunteer_desk::store::activities::NewActivity {
        name: "义诊服务进社区".into(),
        place: "市民广场".into(),
        ..common::new_activity(org.detachment, "HD1", "2017-07-02 08:00", "2017-07-02 11:00", Some(3))
    };
    let id = insert_activity(conn, &activity).expect("activity");
    publish_activity(conn, id, at("2017-06-20 09:00")).expect("published");
    for (n, person) in people.iter().enumerate() {
        sign_up(conn, id, *person, at(&format!("2017-06-21 10:0{n}"))).expect("sign-up");
    }
    let row = list_activities(conn, "2017-07-01 00:00", "2017-07-03 00:00").expect("listed").remove(0);
    let list = roster(conn, id).expect("roster");
    let clerk = common::operator("陈立新");
    let (roster_path, sign_in_path) = (dir.join("报名名单.xlsx"), dir.join("签到表.xlsx"));
    volunteer_desk::io::roster::write_activity_roster(conn, &clerk, &roster_path, &row, &list).expect("roster");
    volunteer_desk::io::roster::write_sign_in_sheet(conn, &clerk, &sign_in_path, &row, &list).expect("sheet");
    (roster_path, sign_in_path)
}

/// The text of each cell of the workbook's only sheet, row by row.
fn cells(path: &Path) -> Vec<Vec<String>> {
    let sheets = crate::common::workbook::read_all(path);
    assert_eq!(sheets.len(), 1);
    sheets[0].2.iter().map(|row| row.iter().map(ToString::to_string).collect()).collect()
}

/// A part of the .xlsx as text.
fn part(path: &Path, name: &str) -> String {
    use std::io::Read as _;
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).expect("open")).expect("a zip");
    let mut text = String::new();
    archive.by_name(name).expect("the part").read_to_string(&mut text).expect("text");
    text
}

/// The cells (`A3`, …) whose style draws a thin line on all four sides.
fn boxed_cells(path: &Path) -> std::collections::HashSet<String> {
    let styles = part(path, "xl/styles.xml");
    let section = |tag: &str| {
        let from = styles.find(&format!("<{tag}")).expect("section");
        let to = styles.find(&format!("</{tag}>")).expect("section end");
        styles[from..to].to_string()
    };
    let border = regex::Regex::new(r"(?s)<border(?: [^>]*)?>(.*?)</border>").expect("regex");
    let boxed: Vec<bool> = border
        .captures_iter(&section("borders"))
        .map(|b| {
            ["left", "right", "top", "bottom"].iter().all(|side| b[1].contains(&format!("<{side} style=\"thin\"")))
        })
        .collect();
    let xf = regex::Regex::new(r#"<xf [^>]*?borderId="(\d+)""#).expect("regex");
    let xf_boxed: Vec<bool> =
        xf.captures_iter(&section("cellXfs")).map(|x| boxed[x[1].parse::<usize>().expect("id")]).collect();
    let cell = regex::Regex::new(r#"<c r="([A-Z]+\d+)" s="(\d+)""#).expect("regex");
    cell.captures_iter(&part(path, "xl/worksheets/sheet1.xml"))
        .filter(|c| xf_boxed[c[2].parse::<usize>().expect("style")])
        .map(|c| c[1].to_string())
        .collect()
}

/// Every cell of rows `rows` (1-based, as Excel numbers them) in columns A.. up to `columns`.
fn assert_grid(path: &Path, rows: std::ops::RangeInclusive<u32>, columns: u8) {
    let boxed = boxed_cells(path);
    for row in rows {
        for column in b'A'..b'A' + columns {
            let name = format!("{}{row}", column as char);
            assert!(boxed.contains(&name), "{}: {name} has no grid", path.display());
        }
    }
}

/// A4, one page wide however long, the header row (row 3) on every page.
fn assert_one_a4_page_wide(path: &Path) {
    let sheet = part(path, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "{sheet}");
    let setup = sheet.split("<pageSetup ").nth(1).and_then(|s| s.split("/>").next()).expect("page setup");
    for wanted in [r#"paperSize="9""#, r#"fitToHeight="0""#] {
        assert!(setup.contains(wanted), "{wanted} in {setup}");
    }
    // fitToWidth is 1 unless written otherwise.
    assert!(!setup.contains("fitToWidth") || setup.contains(r#"fitToWidth="1""#), "{setup}");
    let book = part(path, "xl/workbook.xml");
    assert!(book.contains(r#"name="_xlnm.Print_Titles""#) && book.contains("!$3:$3</definedName>"), "{book}");
}

#[test]
fn the_roster_numbers_the_waiting_list_on_a_grid_one_page_wide() {
    let dir = tempfile::tempdir().expect("dir");
    let (roster, _) = papers_of_five_for_three(dir.path());
    let rows = cells(&roster);
    assert_eq!(rows[0][0], "义诊服务进社区 报名名单");
    assert!(rows[1][0].contains("地点：市民广场"), "{:?}", rows[1]);
    assert_eq!(rows[2], ["序号", "志愿者编号", "姓名", "所属单位", "手机号", "状态", "报名时间"]);
    let people: Vec<(&str, &str, &str)> =
        rows[3..].iter().map(|r| (r[0].as_str(), r[2].as_str(), r[5].as_str())).collect();
    assert_eq!(
        people,
        [
            ("1", "张三", "已报名"),
            ("2", "李四", "已报名"),
            ("3", "王五", "已报名"),
            ("4", "赵六", "候补1"),
            ("5", "叶佳", "候补2")
        ]
    );
    assert_eq!(rows[3][4], "138****0000", "phones masked");
    assert_grid(&roster, 3..=8, 7);
    assert_one_a4_page_wide(&roster);
}

#[test]
fn the_sign_in_sheet_has_codes_room_to_sign_and_the_waiting_list_after_the_places() {
    let dir = tempfile::tempdir().expect("dir");
    let (_, sheet) = papers_of_five_for_three(dir.path());
    let rows = cells(&sheet);
    assert_eq!(rows[0][0], "义诊服务进社区 签到表");
    assert_eq!(rows[2], ["序号", "编号", "姓名", "所属单位", "手机号", "签到时间", "签退时间", "本人签名"]);
    let listed: Vec<(&str, &str, &str)> =
        rows[3..8].iter().map(|r| (r[0].as_str(), r[1].as_str(), r[2].as_str())).collect();
    assert_eq!(
        listed,
        [
            ("1", "ZY00001", "张三"),
            ("2", "ZY00002", "李四"),
            ("3", "ZY00003", "王五"),
            ("候补1", "ZY00004", "赵六"),
            ("候补2", "ZY00005", "叶佳")
        ]
    );
    // Spare rows for walk-ins follow, numbered on from the places, blank to fill in.
    let spare: Vec<&str> = rows[8..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(spare, ["4", "5", "6", "7", "8", "9", "10", "11"]);
    assert!(rows[8..].iter().all(|r| r[1..].iter().all(String::is_empty)));
    // 16 people and the header: every cell boxed, every row tall enough to sign.
    let last = 3 + 5 + 8;
    assert_grid(&sheet, 3..=last, 8);
    let xml = part(&sheet, "xl/worksheets/sheet1.xml");
    let height = regex::Regex::new(r#"<row r="(\d+)"[^>]*? ht="([\d.]+)""#).expect("regex");
    let heights: Vec<(u32, f64)> = height
        .captures_iter(&xml)
        .map(|c| (c[1].parse().expect("row"), c[2].parse().expect("height")))
        .filter(|(row, _)| *row >= 4)
        .collect();
    assert_eq!(heights.len(), 13, "{heights:?}");
    assert!(heights.iter().all(|(_, pt)| (28.0..=32.0).contains(pt)), "{heights:?}");
    assert_one_a4_page_wide(&sheet);
}
