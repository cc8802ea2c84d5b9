//! The workbook importer and the template (formats.md): realistic rosters with shuffled
//! columns, aliases, full-width characters and Excel dates; all-or-nothing refusals with one
//! message per bad cell; idempotence; the template round trip; and the command line.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use common::workbook::{SheetData, V, s, write_rows, write_workbook};
use volunteer_desk::domain::Minutes;
use volunteer_desk::domain::identity::id_check_char;
use volunteer_desk::io::import::{ImportPlan, Progress, SheetCounts, apply, preview_as_of};
use volunteer_desk::io::template::{template_workbook, write_template};
use volunteer_desk::store::ledger::{LedgerOf, ledger, totals};
use volunteer_desk::store::volunteers::{NewVolunteer, VolunteerRow, insert_volunteer, list_volunteers};
use volunteer_desk::{Error, store};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).expect("date")
}

/// A valid 身份证号 from its first 17 digits.
fn id(first17: &str) -> String {
    format!("{first17}{}", id_check_char(first17.as_bytes()).expect("17 digits"))
}

/// A valid 身份证号 whose check character is X, born on `birth` (YYYYMMDD).
fn id_ending_in_x(birth: &str) -> String {
    (100..1000)
        .map(|seq| format!("330381{birth}{seq}"))
        .find(|first17| id_check_char(first17.as_bytes()) == Some('X'))
        .map(|first17| format!("{first17}X"))
        .expect("some sequence gives X")
}

/// Full-width digits and letters, as some input methods type them.
fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_graphic() { char::from_u32(c as u32 + 0xFEE0).unwrap_or(c) } else { c })
        .collect()
}

fn zhang_id() -> String {
    id("33038119900101123")
}

fn li_id() -> String {
    id_ending_in_x("19851231")
}

fn wang_id() -> String {
    id("33030219780615002")
}

/// A roster as staff keep it: columns shuffled, aliased headers, an extra 备注 column,
/// full-width digits, Excel date cells, a phone typed as a number, stray spaces, and a
/// 专业服务队 listed before the 支队 it belongs to.
fn good_workbook(path: &Path) {
    write_workbook(
        path,
        vec![
            SheetData {
                name: "志愿者",
                headers: &[
                    "手机",
                    "姓名",
                    "公民身份号码",
                    "单位",
                    "队伍编号",
                    "性别",
                    "注册时间",
                    "政治面貌",
                    "专业特长",
                    "编号",
                    "备注",
                ],
                rows: vec![
                    vec![
                        s(full_width("13857781234")),
                        s("张三 "),
                        s(full_width(&zhang_id())),
                        s("市财政局"),
                        s("ZD-CZJ"),
                        s("男"),
                        V::D(2017, 7, 1),
                        s("中共党员"),
                        s("会计 "),
                        V::E,
                        s("老队员"),
                    ],
                    vec![
                        V::N(13957781234.0),
                        s("李  四"),
                        s(format!(" {} ", li_id().to_lowercase())),
                        s("市卫生和计划生育局"),
                        s("ZD-WSJ-YL"),
                        V::E,
                        s("2017/7/2"),
                        s("预备党员"),
                        s("内科医生"),
                        s("ZY00100"),
                        V::E,
                    ],
                    vec![
                        s("139 5778 0000"),
                        s("王五"),
                        s(wang_id()),
                        s("市直机关工委"),
                        V::E,
                        s("女"),
                        V::E,
                        V::E,
                        V::E,
                        V::E,
                        V::E,
                    ],
                ],
            },
            SheetData {
                name: "单位",
                headers: &["党员人数", "单位", "备注"],
                rows: vec![
                    vec![V::N(26.0), s("市直机关工委"), V::E],
                    vec![s("８３"), s("市财政局 "), s("含下属单位")],
                    vec![s("121"), s("市卫生和计划生育局"), V::E],
                ],
            },
            SheetData {
                name: "服务队",
                headers: &[
                    "服务队名称",
                    "队伍代码",
                    "上级队伍编号",
                    "类型",
                    "单位名称",
                    "负责人姓名",
                    "负责人手机",
                    "成立时间",
                    "服务领域",
                ],
                rows: vec![
                    vec![
                        s("市直机关党员志愿服务总队"),
                        s("ZD"),
                        V::E,
                        s("总队"),
                        s("市直机关工委"),
                        s("陈立新"),
                        s(full_width("0577-65812345")),
                        V::D(2016, 6, 30),
                        s("理论宣讲、文明创建"),
                    ],
                    vec![
                        s("医疗专业服务队"),
                        s("ZD-WSJ-YL"),
                        s("ZD-WSJ"),
                        s("专业服务队"),
                        s("市卫生和计划生育局"),
                        s("赵六"),
                        s("13600000001"),
                        s("2017年3月5日"),
                        s("送医下乡；义诊"),
                    ],
                    vec![
                        s("市财政局党员志愿服务支队"),
                        s("ZD-CZJ"),
                        s("ZD"),
                        s("支队"),
                        s("市财政局"),
                        s("王  芳"),
                        V::N(13857780001.0),
                        s("2017-01-10"),
                        s("文明创建, 平安巡查"),
                    ],
                    vec![
                        s("市卫生和计划生育局党员志愿服务支队"),
                        s("ZD-WSJ"),
                        s("ZD"),
                        s("支队"),
                        s("市卫生和计划生育局"),
                        s("孙七"),
                        s("13600000002"),
                        V::E,
                        V::E,
                    ],
                ],
            },
            SheetData { name: "Sheet3", headers: &["随便"], rows: vec![vec![s("不相干")]] },
        ],
    );
}

fn temp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("desk.sqlite3");
    (dir, db)
}

fn plan_for(store: &store::Store, workbook: &Path) -> ImportPlan {
    preview_as_of(store, workbook, today(), &Progress::new()).expect("preview")
}

fn import(store: &mut store::Store, workbook: &Path) -> ImportPlan {
    let plan = plan_for(store, workbook);
    assert!(plan.is_ok(), "{:#?}", plan.errors().iter().map(ToString::to_string).collect::<Vec<_>>());
    apply(store, &plan, &Progress::new()).expect("apply");
    plan
}

fn counts(sheet: &'static str, new: usize, unchanged: usize, errors: usize) -> SheetCounts {
    SheetCounts { sheet, new, unchanged, errors }
}

fn volunteer<'a>(rows: &'a [VolunteerRow], name: &str) -> &'a VolunteerRow {
    rows.iter().find(|v| v.name == name).unwrap_or_else(|| panic!("{name} imported"))
}

fn error_lines(plan: &ImportPlan) -> Vec<String> {
    plan.errors().iter().map(ToString::to_string).collect()
}

#[test]
fn a_realistic_roster_lands_in_the_store() {
    let (dir, db) = temp();
    let workbook = dir.path().join("名单.xlsx");
    good_workbook(&workbook);
    let mut store = store::open(&db).expect("open");

    let progress = Progress::new();
    let plan = preview_as_of(&store, &workbook, today(), &progress).expect("preview");
    assert!(plan.is_ok(), "{:#?}", error_lines(&plan));
    assert_eq!(plan.counts(), [counts("单位", 3, 0, 0), counts("服务队", 4, 0, 0), counts("志愿者", 3, 0, 0)]);
    assert_eq!(plan.ignored_sheets(), ["Sheet3"]);
    assert_eq!(store.counts().expect("counts").volunteers, 0, "a preview writes nothing");

    let summary = apply(&mut store, &plan, &progress).expect("apply");
    assert_eq!(summary.written(), 10);
    assert_eq!(progress.counts(), (0, 0), "finished");

    let conn = store.conn();
    let party: i64 =
        conn.query_row("SELECT party_members FROM unit WHERE name = '市财政局'", [], |r| r.get(0)).expect("unit");
    assert_eq!(party, 83, "full-width digits and a trailing space");

    let team = |code: &str| -> (String, String, Option<String>, String, String, Option<String>, String) {
        conn.query_row(
            "SELECT t.name, t.kind, p.code, t.manager_name, open_phone(t.manager_phone_sealed, 'team', t.id), t.founded_on,
                    t.service_fields
             FROM team t LEFT JOIN team p ON p.id = t.parent_id WHERE t.code = ?1",
            [code],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )
        .expect(code)
    };
    let corps = team("ZD");
    assert_eq!((corps.1.as_str(), corps.2.as_deref()), ("总队", None));
    assert_eq!(corps.4, "0577-65812345", "a full-width landline");
    assert_eq!(corps.5.as_deref(), Some("2016-06-30"), "an Excel date cell");
    let finance = team("ZD-CZJ");
    assert_eq!(finance.2.as_deref(), Some("ZD"));
    assert_eq!(finance.3, "王芳", "alignment spaces in a name");
    assert_eq!(finance.4, "13857780001", "a phone typed as a number");
    assert_eq!(finance.6, "文明创建、平安巡查");
    let medical = team("ZD-WSJ-YL");
    assert_eq!((medical.1.as_str(), medical.2.as_deref()), ("专业服务队", Some("ZD-WSJ")), "a forward reference");
    assert_eq!(medical.5.as_deref(), Some("2017-03-05"));
    assert_eq!(medical.6, "送医下乡、义诊");

    let rows = list_volunteers(conn).expect("list");
    assert_eq!(rows.len(), 3);
    let zhang = volunteer(&rows, "张三");
    assert_eq!(zhang.code, "ZY00101", "generated after the highest code in the workbook");
    assert_eq!(store.reveal_id_number(zhang.id).expect("reveal"), zhang_id());
    assert_eq!(common::phone_on_record(store.conn(), zhang.id), "13857781234");
    assert_eq!(zhang.phone_masked, "138****1234");
    assert_eq!((zhang.gender.as_str(), zhang.birth_date.as_str()), ("男", "1990-01-01"));
    assert_eq!(zhang.unit_name, "市财政局");
    assert_eq!(zhang.team_name.as_deref(), Some("市财政局党员志愿服务支队"));
    assert_eq!(zhang.registered_on, "2017-07-01");
    assert_eq!((zhang.political_status.as_str(), zhang.skills.as_str()), ("中共党员", "会计"));

    let li = volunteer(&rows, "李四");
    assert_eq!(li.code, "ZY00100");
    assert_eq!(store.reveal_id_number(li.id).expect("reveal"), li_id(), "lower-case x and spaces");
    assert_eq!(common::phone_on_record(store.conn(), li.id), "13957781234", "a phone typed as a number");
    assert_eq!(li.team_name.as_deref(), Some("医疗专业服务队"));
    assert_eq!((li.registered_on.as_str(), li.political_status.as_str()), ("2017-07-02", "中共预备党员"));
    assert_eq!(li.birth_date, "1985-12-31");

    let wang = volunteer(&rows, "王五");
    assert_eq!(wang.code, "ZY00102");
    assert_eq!(common::phone_on_record(store.conn(), wang.id), "13957780000");
    assert_eq!(wang.team_id, None);
    assert_eq!(wang.gender, "女");
    assert_eq!(wang.registered_on, "2026-11-29", "an empty 注册日期 is the day of the import");
    assert_eq!(wang.political_status, "中共党员");
}

#[test]
fn a_bad_workbook_is_refused_cell_by_cell_and_changes_no_byte() {
    let (dir, db) = temp();
    let good = dir.path().join("good.xlsx");
    good_workbook(&good);
    {
        let mut store = store::open(&db).expect("open");
        import(&mut store, &good);
    }
    // Every connection is closed: the WAL is checkpointed into the file and removed, so the
    // file's bytes are the whole database.
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    assert!(!wal.exists());
    let before = content_besides_the_log(&db);

    let bad = dir.path().join("bad.xlsx");
    bad_workbook(&bad);

    let mut store = store::open(&db).expect("open");
    let plan = plan_for(&store, &bad);
    let lines = error_lines(&plan);
    let expected_prefixes = [
        "服务队 第2行 类型: 只能有一个总队，系统中已有总队“市直机关党员志愿服务总队”（编号 ZD）",
        "志愿者 第2行 身份证号: 身份证号校验位不正确",
        "志愿者 第3行 手机号: 手机号“1385778123”格式不正确",
        "志愿者 第5行 身份证号: 与第4行（丙）的身份证号重复",
        "志愿者 第6行 服务队编号: 服务队“ZD-NONE”不存在",
        "志愿者 第7行 身份证号: 已登记为志愿者 张三（编号 ZY00101）",
    ];
    assert_eq!(lines.len(), expected_prefixes.len(), "one message per bad cell: {lines:#?}");
    for (line, prefix) in lines.iter().zip(expected_prefixes) {
        assert!(line.starts_with(prefix), "{line}\n  should start with\n{prefix}");
    }
    assert_eq!(plan.counts(), [counts("服务队", 0, 0, 1), counts("志愿者", 1, 0, 5)]);

    let refused = apply(&mut store, &plan, &Progress::new()).expect_err("refused");
    let Error::Rejected(message) = &refused else { panic!("{refused:?}") };
    for line in &lines {
        assert!(message.contains(line.as_str()), "every line is in the refusal");
    }
    drop(store);

    let out = desk(&db, &["import", bad.to_str().expect("utf8")]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for line in &lines {
        assert!(stderr.lines().any(|l| l == line), "stderr has “{line}”:\n{stderr}");
    }

    // Every preview is logged (issue #26), the refused ones too; nothing else changed.
    let after = content_besides_the_log(&db);
    let changed: Vec<&String> = after.iter().filter(|row| !before.contains(row)).collect();
    assert!(after == before, "every table but the log is unchanged: {changed:#?}");
    let raw = rusqlite::Connection::open(&db).expect("raw");
    let previews: i64 =
        raw.query_row("SELECT count(*) FROM audit_log WHERE kind = '导入预览'", [], |r| r.get(0)).expect("count");
    assert_eq!(previews, 3, "the good workbook's, the bad one's in the store and at the command line");
}

/// Every row of every table but the audit log, as text.
fn content_besides_the_log(db: &Path) -> Vec<String> {
    let raw = rusqlite::Connection::open(db).expect("raw");
    let tables: Vec<String> = raw
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name <> 'audit_log' AND name NOT LIKE 'sqlite%'
             ORDER BY name",
        )
        .expect("tables")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("names");
    let mut rows = Vec::new();
    for table in tables {
        let mut statement = raw.prepare(&format!("SELECT * FROM \"{table}\"")).expect("select");
        let width = statement.column_count();
        let mut found = statement.query([]).expect("rows");
        while let Some(row) = found.next().expect("row") {
            let values: Vec<String> = (0..width).map(|i| format!("{:?}", row.get_ref(i).expect("value"))).collect();
            rows.push(format!("{table}: {}", values.join("|")));
        }
    }
    rows
}

/// The workbook of the "Done when": a bad checksum, a bad phone, a duplicate ID, an
/// unknown 服务队编号 and a second 总队; and 己, a new 编号 with 张三's registered ID.
fn bad_workbook(path: &Path) {
    let mut bad_checksum = zhang_id();
    bad_checksum.replace_range(17..18, if bad_checksum.ends_with('0') { "1" } else { "0" });
    let newcomer = id("33038119920202004");
    let row = |code: &str, name: &str, id: String, phone: &str, team: &str| {
        vec![
            if code.is_empty() { V::E } else { s(code) },
            s(name),
            s(id),
            s(phone),
            s("市财政局"),
            if team.is_empty() { V::E } else { s(team) },
        ]
    };
    write_workbook(
        path,
        vec![
            SheetData {
                name: "服务队",
                headers: &["队伍编号", "队伍名称", "类型", "上级编号", "所属单位", "负责人", "负责人电话"],
                rows: vec![vec![
                    s("ZD2"),
                    s("第二个总队"),
                    s("总队"),
                    V::E,
                    s("市财政局"),
                    s("某人"),
                    s("13800000000"),
                ]],
            },
            SheetData {
                name: "志愿者",
                headers: &["志愿者编号", "姓名", "身份证号", "手机号", "所属单位", "服务队编号"],
                rows: vec![
                    row("", "甲", bad_checksum, "13800000001", ""),
                    row("", "乙", id("33038119930303005"), "1385778123", ""),
                    row("", "丙", newcomer.clone(), "13800000003", "ZD-CZJ"),
                    row("", "丁", newcomer, "13800000004", ""),
                    row("", "戊", id("33038119950505007"), "13800000005", "ZD-NONE"),
                    row("ZY09999", "己", zhang_id(), "13800000006", ""),
                ],
            },
        ],
    );
}

#[test]
fn a_repeated_code_or_id_names_the_first_row_that_has_it() {
    // The first row of a 编号 comes from the first pass and the name of the first row of a
    // 身份证号 is read again from that row, as the check reads it (neither is kept per row).
    let (dir, db) = temp();
    let good = dir.path().join("good.xlsx");
    good_workbook(&good);
    let mut store = store::open(&db).expect("open");
    import(&mut store, &good);

    let repeated = dir.path().join("重复.xlsx");
    let first_id = id("33038119920202004");
    let row = |code: &str, name: &str, id: String, phone: &str| vec![s(code), s(name), s(id), s(phone), s("市财政局")];
    write_workbook(
        &repeated,
        vec![SheetData {
            name: "志愿者",
            headers: &["志愿者编号", "姓名", "身份证号", "手机号", "所属单位"],
            rows: vec![
                row("ZY00201", "甲 乙", first_id.clone(), "13800000001"),
                row("ZY00201", "丙", id("33038119930303005"), "13800000002"),
                row("ZY00202", "丁", first_id, "13800000003"),
                row("ZY00201", "戊", id("33038119950505007"), "13800000004"),
            ],
        }],
    );
    let plan = plan_for(&store, &repeated);
    assert_eq!(
        error_lines(&plan),
        [
            "志愿者 第3行 志愿者编号: 与第2行重复",
            "志愿者 第4行 身份证号: 与第2行（甲乙）的身份证号重复",
            "志愿者 第5行 志愿者编号: 与第2行重复",
        ]
    );
    assert_eq!(plan.counts(), [counts("志愿者", 1, 0, 3)]);
}

#[test]
fn importing_the_same_workbook_twice_changes_nothing() {
    let (dir, db) = temp();
    let workbook = dir.path().join("名单.xlsx");
    good_workbook(&workbook);
    let mut store = store::open(&db).expect("open");
    import(&mut store, &workbook);
    let after_first = store.counts().expect("counts");
    let rows_first = list_volunteers(store.conn()).expect("list");

    let again = import(&mut store, &workbook);
    assert_eq!(again.counts(), [counts("单位", 0, 3, 0), counts("服务队", 0, 4, 0), counts("志愿者", 0, 3, 0)]);
    assert_eq!(again.new_rows(), 0);
    assert_eq!(store.counts().expect("counts"), after_first);
    assert_eq!(list_volunteers(store.conn()).expect("list"), rows_first);
}

#[test]
fn a_row_that_contradicts_the_database_is_an_error_not_an_overwrite() {
    let (dir, db) = temp();
    let workbook = dir.path().join("名单.xlsx");
    good_workbook(&workbook);
    let mut store = store::open(&db).expect("open");
    import(&mut store, &workbook);

    let conflicting = dir.path().join("改名.xlsx");
    write_workbook(
        &conflicting,
        vec![
            SheetData {
                name: "单位", headers: &["单位名称", "党员总数"], rows: vec![vec![s("市财政局"), V::N(90.0)]]
            },
            SheetData {
                name: "服务队",
                headers: &["队伍编号", "队伍名称", "类型", "上级编号", "所属单位", "负责人", "负责人电话"],
                rows: vec![vec![
                    s("ZD-CZJ"),
                    s("财政局支队"),
                    s("支队"),
                    s("ZD"),
                    s("市财政局"),
                    s("王芳"),
                    s("13857780001"),
                ]],
            },
            SheetData {
                name: "志愿者",
                headers: &["姓名", "身份证号", "手机号", "所属单位"],
                rows: vec![vec![s("张三"), s(zhang_id()), s("13800009999"), s("市财政局")]],
            },
        ],
    );
    let plan = plan_for(&store, &conflicting);
    assert_eq!(
        error_lines(&plan),
        [
            "单位 第2行 党员总数: 与数据库中已有记录不一致（数据库中为“83”，本表为“90”）",
            "服务队 第2行 队伍名称: 与数据库中已有记录不一致（数据库中为“市财政局党员志愿服务支队”，本表为“财政局支队”）",
            "志愿者 第2行 手机号: 与数据库中已有记录不一致（数据库中为“138****1234”，本表为“138****9999”）",
        ]
    );
    assert!(apply(&mut store, &plan, &Progress::new()).is_err());
    let name: String =
        store.conn().query_row("SELECT name FROM team WHERE code = 'ZD-CZJ'", [], |r| r.get(0)).expect("team");
    assert_eq!(name, "市财政局党员志愿服务支队");
}

#[test]
fn the_rules_of_the_tree_and_of_a_volunteer_record_are_checked() {
    let (dir, db) = temp();
    let workbook = dir.path().join("规则.xlsx");
    write_workbook(
        &workbook,
        vec![
            SheetData {
                name: "单位",
                headers: &["单位名称", "党员总数"],
                rows: vec![vec![s("市财政局"), s("-3")], vec![s("市财政局"), s("十个")]],
            },
            SheetData {
                name: "服务队",
                headers: &["队伍编号", "队伍名称", "类型", "上级编号", "所属单位", "负责人", "负责人电话", "成立日期"],
                rows: vec![
                    vec![s("ZD"), s("总队"), s("总队"), V::E, s("市财政局"), s("甲"), s("0577-65812345"), V::E],
                    vec![
                        s("ZD-B"),
                        s("又一个总队"),
                        s("总队"),
                        s("ZD"),
                        s("市财政局"),
                        s("乙"),
                        s("13800000000"),
                        V::E,
                    ],
                    vec![
                        s("ZY-1"),
                        s("专业队"),
                        s("专业服务队"),
                        s("ZD"),
                        s("市税务局"),
                        s("丙"),
                        s("12345"),
                        s("2017-02-30"),
                    ],
                    vec![s("ZD-C"), s("支队"), s("大队"), V::E, s("市财政局"), V::E, s("13800000000"), V::E],
                    vec![s("ZD-D"), s("支队"), s("支队"), V::E, s("市财政局"), s("丁"), s("13800000000"), V::E],
                ],
            },
            SheetData {
                name: "志愿者",
                headers: &["姓名", "性别", "身份证号", "手机号", "所属单位", "注册日期", "政治面貌"],
                rows: vec![
                    vec![
                        s("张三"),
                        s("女"),
                        s(zhang_id()),
                        s("13800000001"),
                        s("市财政局"),
                        s("2027-01-01"),
                        s("党外"),
                    ],
                    vec![s("李四"), V::E, V::N(330381199001011234.0), s("13800000002"), s("市财政局"), V::E, V::E],
                ],
            },
        ],
    );
    let store = store::open(&db).expect("open");
    let plan = plan_for(&store, &workbook);
    assert_eq!(
        error_lines(&plan),
        [
            "单位 第2行 党员总数: “-3”不是有效数字，应为不小于0的整数",
            "单位 第3行 单位名称: 与第2行重复",
            "单位 第3行 党员总数: “十个”不是有效数字，应为不小于0的整数",
            "服务队 第3行 类型: 只能有一个总队，第2行已是总队（编号 ZD）",
            "服务队 第3行 上级编号: 总队没有上级队伍，上级编号应为空",
            "服务队 第4行 上级编号: 上级队伍“ZD”是总队，专业服务队的上级须为支队",
            "服务队 第4行 所属单位: 单位“市税务局”不存在（“单位”表和系统中都没有）",
            "服务队 第4行 负责人电话: 电话“12345”格式不正确（应为11位手机号，或如 0577-65812345 的固定电话）",
            "服务队 第4行 成立日期: “2017-02-30”不是有效日期（应为 2017-07-01 这样的日期）",
            "服务队 第5行 类型: “大队”不是有效的类型，应为 总队、支队 或 专业服务队",
            "服务队 第5行 负责人: 必填，不能为空",
            "服务队 第6行 上级编号: 支队须填写上级编号（所属总队的队伍编号）",
            "志愿者 第2行 性别: 与身份证号不符（身份证号显示为男）",
            "志愿者 第2行 注册日期: 注册日期 2027-01-01 晚于今天（2026-11-29）",
            "志愿者 第2行 政治面貌: “党外”不是有效的政治面貌（如 中共党员、中共预备党员、共青团员、群众）",
            "志愿者 第3行 身份证号: 身份证号被存成了数字，Excel 只保留15位有效数字，末几位已丢失；请把该列设为“文本”格式后重新录入",
        ]
    );
}

#[test]
fn missing_columns_and_unsupported_sheets_are_reported_once() {
    let (dir, db) = temp();
    let workbook = dir.path().join("缺列.xlsx");
    write_workbook(
        &workbook,
        vec![
            SheetData {
                name: "志愿者名单",
                headers: &["姓名", "手机号", "手机", "所属单位"],
                rows: vec![vec![s("张三"), s("13800000001"), s("13800000001"), s("市财政局")]],
            },
            SheetData { name: "作品", headers: &["作品编号"], rows: vec![vec![s("ZP001")]] },
        ],
    );
    let store = store::open(&db).expect("open");
    let lines = error_lines(&plan_for(&store, &workbook));
    assert_eq!(
        lines,
        [
            "志愿者名单 第1行 手机: 与“手机号”列是同一列（手机号），只能保留一列",
            "志愿者名单 第1行 身份证号: 缺少必填列（第1行的列名可写作：身份证号、身份证号码、公民身份号码、身份证、证件号码）",
            "志愿者名单 第2行 所属单位: 单位“市财政局”不存在（“单位”表和系统中都没有）",
            "作品 第1行 类别: 缺少必填列（第1行的列名可写作：类别、作品类别）",
            "作品 第1行 内容: 缺少必填列（第1行的列名可写作：内容、作品内容）",
            "作品 第1行 作者: 缺少必填列（第1行的列名可写作：作者、姓名）",
            "作品 第1行 单位: 缺少必填列（第1行的列名可写作：单位、所属单位、单位名称、工作单位）",
            "作品 第1行 提交日期: 缺少必填列（第1行的列名可写作：提交日期、投稿日期）",
        ]
    );
}

#[test]
fn apply_refuses_when_the_database_changed_after_the_preview() {
    let (dir, db) = temp();
    let workbook = dir.path().join("名单.xlsx");
    good_workbook(&workbook);
    let mut store = store::open(&db).expect("open");
    let units_only = dir.path().join("单位.xlsx");
    write_workbook(
        &units_only,
        vec![SheetData {
            name: "单位",
            headers: &["单位名称", "党员总数"],
            rows: vec![vec![s("市财政局"), V::N(83.0)]],
        }],
    );
    import(&mut store, &units_only);

    let plan = plan_for(&store, &workbook);
    assert!(plan.is_ok());
    // Meanwhile someone registers 王五 by hand, under another code.
    let unit_id = volunteer_desk::store::units::unit_id_by_name(store.conn(), "市财政局").expect("q").expect("unit");
    let registered = NewVolunteer {
        code: "ZY00500".to_string(),
        name: "王五".to_string(),
        id_number: wang_id(),
        phone: "13957780000".to_string(),
        unit_id,
        team_id: None,
        political_status: "中共党员".to_string(),
        skills: String::new(),
        service_categories: String::new(),
        registered_on: today(),
    };
    insert_volunteer(store.conn(), &registered, today()).expect("insert");

    let refused = apply(&mut store, &plan, &Progress::new()).expect_err("refused");
    assert!(refused.to_string().starts_with("数据库在预览之后有改动"), "{refused}");
    assert_eq!(store.counts().expect("counts").volunteers, 1, "nothing of the workbook was written");
    assert_eq!(store.counts().expect("counts").teams, 0);
}

#[test]
fn the_template_has_every_sheet_and_round_trips() {
    use calamine::{Data, Reader as _, open_workbook_auto};

    let (dir, db) = temp();
    let empty = dir.path().join("模板.xlsx");
    write_template(&empty).expect("template");
    let mut read = open_workbook_auto(&empty).expect("open template");
    assert_eq!(
        read.sheet_names(),
        ["单位", "服务队", "志愿者", "活动", "签到记录", "荣誉时数", "作品", "评委", "选票"]
    );
    let volunteers = read.worksheet_range("志愿者").expect("sheet");
    assert_eq!(volunteers.get((0, 3)), Some(&Data::String("身份证号".to_string())));
    assert_eq!(volunteers.get((1, 3)), Some(&Data::String("必填；18位，校验位按 GB 11643".to_string())));

    let mut store = store::open(&db).expect("open");
    let plan = plan_for(&store, &empty);
    assert!(plan.is_ok(), "{:#?}", error_lines(&plan));
    assert_eq!(plan.new_rows(), 0, "an empty template imports nothing, without complaint");

    // Staff fill the template in, under the note row.
    let mut workbook = template_workbook().expect("template");
    write_rows(
        workbook.worksheet_from_name("单位").expect("sheet"),
        2,
        &[vec![s("市直机关工委"), V::N(26.0)], vec![s("市教育局"), V::N(142.0)]],
    );
    write_rows(
        workbook.worksheet_from_name("服务队").expect("sheet"),
        2,
        &[
            vec![
                s("ZD"),
                s("市直机关党员志愿服务总队"),
                s("总队"),
                V::E,
                s("市直机关工委"),
                s("陈立新"),
                s("0577-65812345"),
                V::D(2016, 6, 30),
                s("理论宣讲"),
            ],
            vec![
                s("ZD-JYJ"),
                s("市教育局党员志愿服务支队"),
                s("支队"),
                s("ZD"),
                s("市教育局"),
                s("周老师"),
                s("13600000003"),
                V::E,
                s("帮扶贫困学生、留守儿童"),
            ],
        ],
    );
    write_rows(
        workbook.worksheet_from_name("志愿者").expect("sheet"),
        2,
        &[vec![
            V::E,
            s("吴老师"),
            s("女"),
            s(wang_id()),
            s("13600000004"),
            s("市教育局"),
            s("ZD-JYJ"),
            s("中共党员"),
            s("数学教师"),
            V::D(2017, 9, 10),
        ]],
    );
    write_rows(
        workbook.worksheet_from_name("活动").expect("sheet"),
        2,
        &[vec![
            s("HD2017-001"),
            s("留守儿童暑期课堂"),
            s("ZD-JYJ"),
            s("关爱留守儿童"),
            s("集中"),
            V::T(2017, 7, 15, 8, 30),
            V::T(2017, 7, 15, 11, 30),
            s("城西小学"),
            V::N(10.0),
            V::T(2017, 7, 1, 9, 0),
            V::T(2017, 7, 14, 18, 0),
            s("周老师"),
            s("辅导暑假作业"),
        ]],
    );
    write_rows(
        workbook.worksheet_from_name("签到记录").expect("sheet"),
        2,
        &[vec![s("HD2017-001"), V::E, s(wang_id()), V::T(2017, 7, 15, 8, 20), V::T(2017, 7, 15, 10, 30)]],
    );
    write_rows(
        workbook.worksheet_from_name("荣誉时数").expect("sheet"),
        2,
        &[vec![V::E, s(wang_id()), V::N(0.5), V::D(2017, 7, 15), s("补录"), s("HD2017-001"), s("陈立新")]],
    );
    let filled = dir.path().join("已填模板.xlsx");
    workbook.save(&filled).expect("save");

    let plan = import(&mut store, &filled);
    assert_eq!(
        plan.counts(),
        [
            counts("单位", 2, 0, 0),
            counts("服务队", 2, 0, 0),
            counts("志愿者", 1, 0, 0),
            counts("活动", 1, 0, 0),
            counts("签到记录", 1, 0, 0),
            counts("荣誉时数", 1, 0, 0),
            counts("作品", 0, 0, 0),
            counts("评委", 0, 0, 0),
            counts("选票", 0, 0, 0)
        ]
    );
    let rows = list_volunteers(store.conn()).expect("list");
    let wu = volunteer(&rows, "吴老师");
    assert_eq!((wu.code.as_str(), wu.registered_on.as_str()), ("ZY00001", "2017-09-10"));
    assert_eq!(wu.team_name.as_deref(), Some("市教育局党员志愿服务支队"));
    let entries = ledger(store.conn(), LedgerOf::Volunteer(wu.id)).expect("ledger");
    assert_eq!(totals(&entries), (Minutes(120), Minutes(30)), "08:30–10:30 of the window, and the grant");
}

#[test]
fn a_plan_and_its_progress_can_go_to_a_worker_thread() {
    fn send_and_sync<T: Send + Sync>() {}
    send_and_sync::<ImportPlan>();
    send_and_sync::<Progress>();
}

fn desk(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_volunteer-desk")).arg("--db").arg(db).args(args).output().expect("run")
}

#[test]
fn the_command_line_imports_and_writes_templates_with_the_right_exit_codes() {
    let (dir, db) = temp();
    let template = dir.path().join("模板.xlsx");
    let template_arg = template.to_str().expect("utf8");
    let made = desk(&db, &["template", template_arg]);
    assert_eq!(made.status.code(), Some(0), "{}", String::from_utf8_lossy(&made.stderr));
    assert!(template.exists());
    assert!(!db.exists(), "writing a template creates no database");
    let again = desk(&db, &["template", template_arg]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("已存在"));

    let workbook = dir.path().join("名单.xlsx");
    good_workbook(&workbook);
    let imported = desk(&db, &["import", workbook.to_str().expect("utf8")]);
    assert_eq!(imported.status.code(), Some(0), "{}", String::from_utf8_lossy(&imported.stderr));
    let stdout = String::from_utf8_lossy(&imported.stdout);
    assert!(stdout.contains("单位：新增 3 条，未变 0 条"), "{stdout}");
    assert!(stdout.contains("志愿者：新增 3 条，未变 0 条"), "{stdout}");
    let twice = desk(&db, &["import", workbook.to_str().expect("utf8")]);
    assert_eq!(twice.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&twice.stdout).contains("志愿者：新增 0 条，未变 3 条"));

    let missing = desk(&db, &["import", dir.path().join("没有这个文件.xlsx").to_str().expect("utf8")]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("无法读取工作簿"));
    let text = dir.path().join("说明.xlsx");
    std::fs::write(&text, "不是工作簿").expect("write");
    assert_eq!(desk(&db, &["import", text.to_str().expect("utf8")]).status.code(), Some(1));

    assert_eq!(desk(&db, &["import"]).status.code(), Some(2), "a missing FILE is a usage error");
}

/// Someone at the desk with `role`, for the import's role checks.
fn acting(role: volunteer_desk::domain::access::Role) -> store::Actor {
    store::Actor { account_id: Some(7), name: format!("{}甲", role.label()), role }
}

/// A workbook of candidate IDs for one person (issue #26): birth date, gender and region in
/// clear leave a few hundred numbers; a preview that named the holder of the one registered
/// told which was theirs. To a clerk it names nobody, and the preview is logged with the
/// number of rows it matched by ID.
#[test]
fn a_workbook_of_candidate_ids_names_nobody_and_is_logged() {
    use volunteer_desk::domain::access::Role;
    let (dir, db) = temp();
    let workbook = dir.path().join("名单.xlsx");
    good_workbook(&workbook);
    let mut store = store::open(&db).expect("open");
    import(&mut store, &workbook);
    // 张三 is 33038119900101123·; the candidates share his birth date and region.
    let candidates: Vec<String> = (100..140).map(|seq| id(&format!("33038119900101{seq}"))).collect();
    assert!(candidates.contains(&zhang_id()));
    let guesses = dir.path().join("候选.xlsx");
    write_workbook(
        &guesses,
        vec![SheetData {
            name: "志愿者",
            headers: &["姓名", "身份证号", "手机号", "所属单位"],
            rows: candidates.iter().map(|c| vec![s("某某"), s(c.clone()), s("13800000000"), s("市财政局")]).collect(),
        }],
    );
    store.act_as(acting(Role::Clerk)).expect("clerk");
    let plan = plan_for(&store, &guesses);
    let lines = error_lines(&plan);
    let row = 2 + candidates.iter().position(|c| *c == zhang_id()).expect("among them");
    assert_eq!(lines, [format!("志愿者 第{row}行 身份证号: 已登记，请联系管理员")]);
    let everything = format!("{lines:?}");
    for said in ["张三", "ZY", "138****", "数据库中为"] {
        assert!(!everything.contains(said), "{said} in {everything}");
    }
    store.act_as(store::Actor::command_line()).expect("admin");
    let (actor, after): (String, String) = store
        .conn()
        .query_row("SELECT actor, after FROM audit_log WHERE kind = '导入预览' ORDER BY id DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("logged");
    assert_eq!(actor, "录入员甲（录入员，账号7）");
    assert_eq!(after, "按身份证号找到已登记的志愿者 1 行");
    // The administrator, who may see whole IDs, is told whose it is.
    let plan = plan_for(&store, &guesses);
    assert!(format!("{:?}", error_lines(&plan)).contains("张三"));

    // The new-volunteer form says the same to a clerk.
    let unit_id = volunteer_desk::store::units::unit_id_by_name(store.conn(), "市财政局").expect("q").expect("unit");
    let twin = NewVolunteer {
        code: String::new(),
        name: "某某".to_string(),
        id_number: zhang_id(),
        phone: "13957780000".to_string(),
        unit_id,
        team_id: None,
        political_status: "群众".to_string(),
        skills: String::new(),
        service_categories: String::new(),
        registered_on: today(),
    };
    let admin_told = store.save_volunteer(None, &twin, today()).expect_err("duplicate").to_string();
    assert!(admin_told.contains("张三"), "{admin_told}");
    store.act_as(acting(Role::Clerk)).expect("clerk");
    let told = store.save_volunteer(None, &twin, today()).expect_err("duplicate").to_string();
    assert_eq!(told, "某某：身份证号已登记，请联系管理员");

    // A 监督 reads everything but imports nothing: not even a preview.
    store.act_as(acting(Role::Supervisor)).expect("supervisor");
    let refused = preview_as_of(&store, &guesses, today(), &Progress::new()).expect_err("no preview");
    assert_eq!(refused.to_string(), "监督账号无权录入和修改数据，未做任何改动。");
    let plan_of_admin = plan;
    let refused = apply(&mut store, &plan_of_admin, &Progress::new()).expect_err("no import");
    assert_eq!(refused.to_string(), "监督账号无权录入和修改数据，未做任何改动。");
}
