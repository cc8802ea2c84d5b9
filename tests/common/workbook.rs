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
            let code = row.first().map(|c| c.to_string()).unwrap_or_default();
            if name == "选票" && marked.contains(&code) {
                sheet.write_string(r as u32, 3, "✓").expect("mark");
            }
        }
    }
    book.save(to).expect("save filled");
}
