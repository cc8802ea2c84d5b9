//! Workbooks written the way staff fill them in, for the importer's tests.

use std::path::Path;

use calamine::{Data, Reader as _, SheetVisible, open_workbook_auto};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

/// A cell to write into a generated workbook.
pub enum V {
    S(String),
    N(f64),
    /// An Excel date cell.
    D(u16, u8, u8),
    /// An Excel date-time cell, to the minute.
    T(u16, u8, u8, u16, u8),
    E,
}

pub fn s(text: impl Into<String>) -> V {
    V::S(text.into())
}

pub fn write_rows(sheet: &mut Worksheet, first_row: u32, rows: &[Vec<V>]) {
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let minute = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    for (r, row) in rows.iter().enumerate() {
        let r = first_row + r as u32;
        for (c, value) in row.iter().enumerate() {
            let c = c as u16;
            match value {
                V::S(text) => {
                    sheet.write_string(r, c, text).expect("write");
                }
                V::N(n) => {
                    sheet.write_number(r, c, *n).expect("write");
                }
                V::D(y, m, d) => {
                    let when = ExcelDateTime::from_ymd(*y, *m, *d).expect("date");
                    sheet.write_datetime_with_format(r, c, &when, &date).expect("write");
                }
                V::T(y, m, d, h, min) => {
                    let when = ExcelDateTime::from_ymd(*y, *m, *d).and_then(|t| t.and_hms(*h, *min, 0)).expect("time");
                    sheet.write_datetime_with_format(r, c, &when, &minute).expect("write");
                }
                V::E => {}
            }
        }
    }
}

pub struct SheetData {
    pub name: &'static str,
    pub headers: &'static [&'static str],
    pub rows: Vec<Vec<V>>,
}

pub fn write_workbook(path: &Path, sheets: Vec<SheetData>) {
    let mut workbook = Workbook::new();
    for data in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(data.name).expect("name");
        for (c, header) in data.headers.iter().enumerate() {
            sheet.write_string(0, c as u16, *header).expect("header");
        }
        write_rows(sheet, 1, &data.rows);
    }
    workbook.save(path).expect("save");
}

/// The 单位 and 服务队 sheets of a small city: 市直机关工委 holding the 总队 (ZD), and
/// 市财政局 with its 支队 ZD-CZJ.
pub fn units_and_teams() -> Vec<SheetData> {
    vec![
        SheetData {
            name: "单位",
            headers: &["单位名称", "党员总数"],
            rows: vec![vec![s("市直机关工委"), V::N(26.0)], vec![s("市财政局"), V::N(83.0)]],
        },
        SheetData {
            name: "服务队",
            headers: &["队伍编号", "队伍名称", "类型", "上级编号", "所属单位", "负责人", "负责人电话"],
            rows: vec![
                vec![s("ZD"), s("总队"), s("总队"), V::E, s("市直机关工委"), s("陈立新"), s("0577-65812345")],
                vec![s("ZD-CZJ"), s("财政局支队"), s("支队"), s("ZD"), s("市财政局"), s("王芳"), s("13857780001")],
            ],
        },
    ]
}

/// Every cell of every sheet, as calamine reads them.
pub type Sheets = Vec<(String, bool, Vec<Vec<Data>>)>;

pub fn read_all(path: &Path) -> Sheets {
    let mut book = open_workbook_auto(path).expect("open ballot");
    let meta: Vec<(String, bool)> =
        book.sheets_metadata().iter().map(|s| (s.name.clone(), s.visible != SheetVisible::Visible)).collect();
    meta.into_iter()
        .map(|(name, hidden)| {
            let range = book.worksheet_range(&name).expect("sheet");
            (name, hidden, range.rows().map(<[Data]>::to_vec).collect())
        })
        .collect()
}

/// Writes `sheets` again as a spreadsheet program saves them, with ✓ in 选择 (column D)
/// beside `marked` and `edit` applied to each cell's text.
pub fn save_filled(sheets: &Sheets, marked: &[String], edit: impl Fn(&str) -> String, to: &Path) {
    save_sheets(sheets, to, edit, |sheet, row, code| {
        if marked.iter().any(|m| m == code) {
            sheet.write_string(row, 3, "✓").expect("mark");
        }
    });
}

/// Writes `sheets` again as a program saves them, `edit` applied to each cell's text, and
/// `mark(sheet, row, code)` called on every row of 选票 to fill its 选择 as the test wants.
pub fn save_sheets(
    sheets: &Sheets,
    to: &Path,
    edit: impl Fn(&str) -> String,
    mark: impl Fn(&mut rust_xlsxwriter::Worksheet, u32, &str),
) {
    let mut book = Workbook::new();
    for (name, hidden, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(name).expect("name");
        sheet.set_hidden(*hidden);
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Data::Empty => {}
                    Data::Float(f) => {
                        sheet.write_number(r as u32, c as u16, *f).expect("number");
                    }
                    other => {
                        sheet.write_string(r as u32, c as u16, edit(&other.to_string())).expect("text");
                    }
                }
            }
            if name == "选票" {
                mark(sheet, r as u32, &row.first().map(|c| c.to_string()).unwrap_or_default());
            }
        }
    }
    book.save(to).expect("save filled");
}

/// The columns of a 志愿者 sheet as the template has them (no 编号: generated on import).
pub const VOLUNTEER_HEADERS: &[&str] =
    &["姓名", "身份证号", "手机号", "所属单位", "服务队编号", "专业特长", "注册日期"];

/// A 志愿者 sheet of (name, 身份证号, 手机号) rows, all of `unit`'s team `team`, registered
/// 2017-01-01.
pub fn volunteer_sheet(people: &[(String, String, String)], unit: &str, team: &str) -> SheetData {
    let rows = people
        .iter()
        .map(|(name, id, phone)| {
            vec![s(name.as_str()), s(id.as_str()), s(phone.as_str()), s(unit), s(team), s("文明创建"), V::D(2017, 1, 1)]
        })
        .collect();
    SheetData { name: "志愿者", headers: VOLUNTEER_HEADERS, rows }
}

/// `count` volunteers with valid, distinct 身份证号 (born from 1960 on, as benches/import.rs
/// makes them) and mobile numbers `139…`, in 市财政局's 支队 ZD-CZJ of [`units_and_teams`].
pub fn volunteers_workbook(path: &Path, count: usize) {
    let born = chrono::NaiveDate::from_ymd_opt(1960, 1, 1).expect("date");
    let people: Vec<(String, String, String)> = (0..count)
        .map(|i| {
            let birth = born + chrono::Days::new((i % 12_000) as u64);
            let id = super::id_number(&format!("330381{}{:03}", birth.format("%Y%m%d"), i / 12_000 + 100));
            (format!("志愿者{i}"), id, format!("139{i:08}"))
        })
        .collect();
    let mut sheets = units_and_teams();
    sheets.push(volunteer_sheet(&people, "市财政局", "ZD-CZJ"));
    write_workbook(path, sheets);
}
