//! Import benchmark: `cargo bench --bench import`. Generates a workbook of 100,000
//! volunteers (with the 52 units and the 总队/支队/专业服务队 they name), then times the
//! preview and the import into a fresh database, and a second preview (all unchanged).
//! Each step prints its wall time and the CPU time the process used (user + system, from
//! /proc/self/stat), since the machine is shared. Figures are recorded in BENCHMARKS.md.

use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use volunteer_desk::domain::identity::id_check_char;
use volunteer_desk::io::import::{Progress, apply, preview_as_of};
use volunteer_desk::store;

mod common;
use common::{report, timed};

const VOLUNTEERS: u32 = 100_000;
const UNITS: u32 = 52;
/// 专业服务队 per unit, besides its 支队.
const SPECIALISED_PER_UNIT: u32 = 2;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let workbook = dir.path().join("十万志愿者.xlsx");
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");

    let ((), t) = timed(|| generate(&workbook));
    let size = std::fs::metadata(&workbook).map(|m| m.len()).unwrap_or(0);
    report(&format!("generate the workbook ({VOLUNTEERS} volunteers, {:.1} MB; setup)", size as f64 / 1e6), t);

    let mut store = store::open(&dir.path().join("bench.sqlite3")).expect("open");
    let progress = Progress::new();
    let (plan, t_preview) = timed(|| preview_as_of(&store, &workbook, today, &progress).expect("preview"));
    assert!(plan.is_ok(), "{:?}", plan.errors().first());
    report("preview: read the workbook and check every row", t_preview);
    let (summary, t_apply) = timed(|| apply(&mut store, &plan, &progress).expect("apply"));
    report(&format!("apply: check again in the transaction and write {} rows", summary.written()), t_apply);
    report("preview + apply into a fresh database", t_preview + t_apply);
    assert_eq!(store.counts().expect("counts").volunteers, i64::from(VOLUNTEERS));

    let (again, t) = timed(|| preview_as_of(&store, &workbook, today, &progress).expect("preview"));
    assert_eq!(again.new_rows(), 0);
    report("preview the same workbook again (all unchanged)", t);
    println!("(load average at the end: {})", std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim());
}

/// 52 units, one 总队, a 支队 per unit and two 专业服务队 under each; volunteers spread over
/// them with valid, distinct 身份证号, registration dates as Excel date cells, no 编号
/// (generated on import), as a roster typed by staff would be.
fn generate(path: &Path) {
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let unit_name = |u: u32| format!("市直单位{u:02}");

    let units = workbook.add_worksheet();
    units.set_name("单位").expect("name");
    units.write_row(0, 0, ["单位名称", "党员总数"]).expect("header");
    for u in 0..UNITS {
        units.write_string(u + 1, 0, unit_name(u)).expect("cell");
        units.write_number(u + 1, 1, 3000.0).expect("cell");
    }

    let teams = workbook.add_worksheet();
    teams.set_name("服务队").expect("name");
    teams
        .write_row(0, 0, ["队伍编号", "队伍名称", "类型", "上级编号", "所属单位", "负责人", "负责人电话"])
        .expect("header");
    teams
        .write_row(1, 0, ["ZD", "市直机关党员志愿服务总队", "总队", "", &unit_name(0), "陈立新", "0577-65812345"])
        .expect("row");
    let mut row = 2;
    for u in 0..UNITS {
        let detachment = format!("ZD-{u:02}");
        let name = format!("{}党员志愿服务支队", unit_name(u));
        teams
            .write_row(row, 0, [detachment.as_str(), &name, "支队", "ZD", &unit_name(u), "王芳", "13800000000"])
            .expect("row");
        row += 1;
        for s in 0..SPECIALISED_PER_UNIT {
            let code = format!("{detachment}-{s}");
            let name = format!("{}专业服务队{s}", unit_name(u));
            teams
                .write_row(
                    row,
                    0,
                    [code.as_str(), &name, "专业服务队", &detachment, &unit_name(u), "李明", "13900000000"],
                )
                .expect("row");
            row += 1;
        }
    }

    let volunteers = workbook.add_worksheet();
    volunteers.set_name("志愿者").expect("name");
    volunteers
        .write_row(0, 0, ["姓名", "身份证号", "手机号", "所属单位", "服务队编号", "专业特长", "注册日期"])
        .expect("header");
    let born = NaiveDate::from_ymd_opt(1960, 1, 1).expect("date");
    for i in 0..VOLUNTEERS {
        let r = i + 1;
        let birth = born + chrono::Days::new(u64::from(i % 12_000));
        let first17 = format!("330381{}{:03}", birth.format("%Y%m%d"), i / 12_000 + 100);
        let id = format!("{first17}{}", id_check_char(first17.as_bytes()).expect("digits"));
        let unit = i % UNITS;
        let team = match i % 3 {
            0 => format!("ZD-{unit:02}"),
            s => format!("ZD-{unit:02}-{}", s - 1),
        };
        volunteers.write_string(r, 0, format!("志愿者{i}")).expect("cell");
        volunteers.write_string(r, 1, id).expect("cell");
        volunteers.write_string(r, 2, format!("138{:08}", i)).expect("cell");
        volunteers.write_string(r, 3, unit_name(unit)).expect("cell");
        volunteers.write_string(r, 4, team).expect("cell");
        volunteers.write_string(r, 5, "文明创建").expect("cell");
        let registered = ExcelDateTime::from_ymd(2017, 1 + (i % 12) as u8, 1 + (i % 28) as u8).expect("date");
        volunteers.write_datetime_with_format(r, 6, &registered, &date).expect("cell");
    }
    workbook.save(path).expect("save");
}
