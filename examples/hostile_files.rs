//! Writes issue #25's files from outside into a folder, to time `volunteer-desk import` on each
//! with `/usr/bin/time -v` (BENCHMARKS.md, "Files from outside"):
//!
//! ```text
//! cargo run --release --example hostile_files -- /tmp/hostile
//! ```
//!
//! 远处.xlsx (one cell at XFD1048576), 远处8000.xlsx (the same at XFD8000), 炸弹.xlsx (2 GB of
//! sheet XML, 16 million rows), 大单元格.xlsx (one cell of 1 GB), 管道.xlsx (a FIFO), and valid
//! rosters: 十万志愿者.xlsx, 五十万志愿者.xlsx, 百万志愿者.xlsx (units, teams and that many
//! volunteers, as benches/import.rs writes them).

use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use volunteer_desk::domain::identity::id_check_char;

#[path = "../tests/common/hostile.rs"]
#[allow(dead_code)]
mod hostile;

const UNITS: u32 = 52;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("用法：hostile_files 文件夹");
        std::process::exit(2);
    };
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).expect("folder");
    hostile::far_cell(&dir.join("远处.xlsx"), 1_048_575);
    hostile::far_cell(&dir.join("远处8000.xlsx"), 7_999);
    hostile::many_rows(&dir.join("炸弹.xlsx"), 16_000_000);
    hostile::big_cell(&dir.join("大单元格.xlsx"), 1 << 30);
    let fifo = dir.join("管道.xlsx");
    if !fifo.exists() {
        hostile::fifo(dir, "管道.xlsx");
    }
    for (name, volunteers) in
        [("十万志愿者.xlsx", 100_000), ("五十万志愿者.xlsx", 500_000), ("百万志愿者.xlsx", 1_000_000)]
    {
        roster(&dir.join(name), volunteers);
    }
    for entry in std::fs::read_dir(dir).expect("list").flatten() {
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        println!("{:>12} {}", size, entry.file_name().to_string_lossy());
    }
}

/// 52 units, a 总队, a 支队 per unit and two 专业服务队 under each, and `volunteers` people with
/// valid, distinct 身份证号 (benches/import.rs's workbook; rows streamed, strings shared as
/// Excel writes them).
fn roster(path: &Path, volunteers: u32) {
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
        for s in 0..2 {
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
    let people = workbook.add_worksheet_with_low_memory().expect("sheet");
    people.set_name("志愿者").expect("name");
    people
        .write_row(0, 0, ["姓名", "身份证号", "手机号", "所属单位", "服务队编号", "专业特长", "注册日期"])
        .expect("header");
    let born = NaiveDate::from_ymd_opt(1960, 1, 1).expect("date");
    for i in 0..volunteers {
        let r = i + 1;
        let birth = born + chrono::Days::new(u64::from(i % 12_000));
        let first17 = format!("330381{}{:03}", birth.format("%Y%m%d"), i / 12_000 + 100);
        let id = format!("{first17}{}", id_check_char(first17.as_bytes()).expect("digits"));
        let unit = i % UNITS;
        let team = match i % 3 {
            0 => format!("ZD-{unit:02}"),
            s => format!("ZD-{unit:02}-{}", s - 1),
        };
        people.write_string(r, 0, format!("志愿者{i}")).expect("cell");
        people.write_string(r, 1, id).expect("cell");
        people.write_string(r, 2, format!("138{:08}", i)).expect("cell");
        people.write_string(r, 3, unit_name(unit)).expect("cell");
        people.write_string(r, 4, team).expect("cell");
        people.write_string(r, 5, "文明创建").expect("cell");
        let registered = ExcelDateTime::from_ymd(2017, 1 + (i % 12) as u8, 1 + (i % 28) as u8).expect("date");
        people.write_datetime_with_format(r, 6, &registered, &date).expect("cell");
    }
    workbook.save(path).expect("save");
}
