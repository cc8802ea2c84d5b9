//! Workbooks as staff really fill them (formats.md): a bare date bounding a recruitment
//! window, a bare date where the minute decides hours, merged cells, a formula saved without
//! its result, and a text longer than its column allows. Refused workbooks change nothing.

use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook};
use volunteer_desk::io::import::{ImportPlan, Progress, apply, preview_as_of};
use volunteer_desk::store::{self, Store};

use crate::common::id_number;
use crate::common::workbook::{SheetData, V, s, units_and_teams, write_workbook};

const ACTIVITY_HEADERS: &[&str] =
    &["活动编号", "活动名称", "组织队伍编号", "服务类别", "服务方式", "开始时间", "结束时间", "招募开始", "招募截止"];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).expect("date")
}

fn plan_for(store: &Store, workbook: &Path) -> ImportPlan {
    preview_as_of(store, workbook, today(), &Progress::new()).expect("preview")
}

fn errors(plan: &ImportPlan) -> Vec<String> {
    plan.errors().iter().map(ToString::to_string).collect()
}

fn count(store: &Store, table: &str) -> i64 {
    store.conn().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).expect("count")
}

/// A file with one unit, the 总队 and the 财政局's 支队, imported.
fn registry(dir: &Path) -> Store {
    let mut store = store::open(&dir.join("desk.sqlite3")).expect("open");
    let workbook = dir.join("名册.xlsx");
    write_workbook(&workbook, units_and_teams());
    let plan = plan_for(&store, &workbook);
    assert!(plan.is_ok(), "{:?}", errors(&plan));
    apply(&mut store, &plan, &Progress::new()).expect("apply");
    store
}

fn activity_row(start: V, recruit_from: V, recruit_until: V) -> Vec<V> {
    vec![
        s("HD-1"),
        s("七一义诊"),
        s("ZD-CZJ"),
        s("送医下乡"),
        s("集中"),
        start,
        V::T(2017, 7, 1, 11, 30),
        recruit_from,
        recruit_until,
    ]
}

#[test]
fn a_bare_date_opens_a_window_at_its_start_and_closes_it_at_its_end() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = registry(dir.path());
    let workbook = dir.path().join("活动.xlsx");
    let row = activity_row(V::T(2017, 7, 1, 8, 30), V::D(2017, 6, 20), s("2017-06-30"));
    write_workbook(&workbook, vec![SheetData { name: "活动", headers: ACTIVITY_HEADERS, rows: vec![row] }]);
    let plan = plan_for(&store, &workbook);
    assert!(plan.is_ok(), "{:?}", errors(&plan));
    apply(&mut store, &plan, &Progress::new()).expect("apply");
    let window: (String, String) = store
        .conn()
        .query_row("SELECT recruit_from, recruit_until FROM activity WHERE code = 'HD-1'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("activity");
    assert_eq!(window, ("2017-06-20 00:00".to_string(), "2017-06-30 23:59".to_string()));
}

#[test]
fn a_bare_date_where_the_minute_decides_hours_is_refused_with_the_form_expected() {
    let dir = tempfile::tempdir().expect("dir");
    let store = registry(dir.path());
    let workbook = dir.path().join("活动.xlsx");
    write_workbook(
        &workbook,
        vec![
            SheetData {
                name: "活动",
                headers: ACTIVITY_HEADERS,
                rows: vec![activity_row(s("2017-07-01"), V::E, V::E)],
            },
            SheetData {
                name: "志愿者",
                headers: &["志愿者编号", "姓名", "身份证号", "手机号", "所属单位"],
                rows: vec![vec![
                    s("ZY1"),
                    s("张三"),
                    s(id_number("33038119900101123")),
                    s("13857781234"),
                    s("市财政局"),
                ]],
            },
            SheetData {
                name: "签到记录",
                headers: &["活动编号", "志愿者编号", "签到时间", "签退时间"],
                rows: vec![vec![s("HD-1"), s("ZY1"), V::D(2017, 7, 1), V::T(2017, 7, 1, 11, 0)]],
            },
        ],
    );
    let plan = plan_for(&store, &workbook);
    let lines = errors(&plan);
    assert!(
        lines.contains(
            &"活动 第2行 开始时间: 只填了日期（2017-07-01），缺少时间；本列决定时数，请写成 2017-07-01 08:30 这样的日期和时间"
                .to_string()
        ),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("签到记录 第2行 签到时间: 只填了日期（2017-07-01），缺少时间")),
        "{lines:?}"
    );
    let mut store = store;
    assert!(apply(&mut store, &plan, &Progress::new()).is_err());
    assert_eq!((count(&store, "activity"), count(&store, "volunteer")), (0, 0), "a refused workbook changes nothing");
}

#[test]
fn a_unit_merged_over_several_rows_reads_as_repeated_and_the_preview_says_so() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = registry(dir.path());
    let workbook_path = dir.path().join("志愿者.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("志愿者").expect("name");
    for (c, header) in ["姓名", "身份证号", "手机号", "所属单位"].iter().enumerate() {
        sheet.write_string(0, c as u16, *header).expect("header");
    }
    let people = [
        ("张三", "33038119900101123", "13857781234"),
        ("李四", "33038119851231004", "13857781235"),
        ("王五", "33030219780615002", "13857781236"),
    ];
    for (r, (name, id17, phone)) in people.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, *name).expect("name");
        sheet.write_string(r, 1, id_number(id17)).expect("id");
        sheet.write_string(r, 2, *phone).expect("phone");
    }
    sheet.merge_range(1, 3, 3, 3, "市财政局", &Format::new()).expect("merge");
    workbook.save(&workbook_path).expect("save");

    let plan = plan_for(&store, &workbook_path);
    assert!(plan.is_ok(), "{:?}", errors(&plan));
    assert_eq!(plan.notes(), vec!["“志愿者”表有 2 个单元格在合并单元格内，已按合并的值逐行读取".to_string()]);
    apply(&mut store, &plan, &Progress::new()).expect("apply");
    let in_unit: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM volunteer v JOIN unit u ON u.id = v.unit_id WHERE u.name = '市财政局'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(in_unit, 3);
}

#[test]
fn a_formula_saved_without_its_result_is_refused_as_not_yet_calculated() {
    let dir = tempfile::tempdir().expect("dir");
    let store = registry(dir.path());
    let workbook_path = dir.path().join("单位.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("单位").expect("name");
    // What a program that writes formulas but does not calculate them leaves in the file.
    sheet.set_formula_result_default("");
    sheet.write_string(0, 0, "单位名称").expect("header");
    sheet.write_string(0, 1, "党员总数").expect("header");
    sheet.write_string(1, 0, "市水利局").expect("name");
    sheet.write_formula(1, 1, "=20+37").expect("formula");
    workbook.save(&workbook_path).expect("save");

    let plan = plan_for(&store, &workbook_path);
    assert_eq!(
        errors(&plan),
        vec!["单位 第2行 党员总数: 公式尚未计算（=20+37），请在 Excel/WPS 中打开保存后再导入".to_string()]
    );
    assert_eq!(count(&store, "unit"), 2, "nothing written");
}

#[test]
fn a_text_longer_than_its_column_allows_is_refused_with_the_row_named() {
    let dir = tempfile::tempdir().expect("dir");
    let store = registry(dir.path());
    let workbook = dir.path().join("志愿者.xlsx");
    let long_name = "欧阳".repeat(16);
    let long_unit = "市".repeat(61);
    write_workbook(
        &workbook,
        vec![
            SheetData {
                name: "单位", headers: &["单位名称", "党员总数"], rows: vec![vec![s(long_unit), V::N(3.0)]]
            },
            SheetData {
                name: "志愿者",
                headers: &["姓名", "身份证号", "手机号", "所属单位"],
                rows: vec![
                    vec![s("张三"), s(id_number("33038119900101123")), s("13857781234"), s("市财政局")],
                    vec![s(long_name), s(id_number("33038119851231004")), s("13857781235"), s("市财政局")],
                ],
            },
        ],
    );
    let plan = plan_for(&store, &workbook);
    assert_eq!(
        errors(&plan),
        vec![
            "单位 第2行 单位名称: 内容过长（61 字，最多 60 字）".to_string(),
            "志愿者 第3行 姓名: 内容过长（32 字，最多 30 字）".to_string(),
        ]
    );
    assert_eq!((count(&store, "unit"), count(&store, "volunteer")), (2, 0));
}
