//! From a workbook file to normalised cells: finds the known sheets by name and their
//! columns by header, turns every cell (text, number, Excel date) into trimmed text, and
//! drops empty rows and the template's note row. Knows nothing of what a row means.

use std::path::Path;

use calamine::{Data, Dimensions, Range, Reader as _, Sheets, open_workbook_auto};

use super::ImportIssue;
use crate::error::{Error, Result};
use crate::io::sheets::{SheetSpec, is_note, sheet_for_name};
use crate::io::text::{header_key, normalize};

/// Where a cell's text came from, for messages that explain a bad value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    Text,
    /// A number cell; `lossy` when it has more than 15 digits, which Excel does not keep
    /// (an 18-digit 身份证号 typed as a number has already lost its last digits).
    Number {
        lossy: bool,
    },
    /// An Excel date or date-time cell, rendered `YYYY-MM-DD` or `YYYY-MM-DD HH:MM`.
    Date,
    /// An error value such as `#N/A`.
    Error,
    /// A formula the file holds without its result (written by a program that does not
    /// calculate); `text` is the formula.
    Uncalculated,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Cell {
    pub text: String,
    pub origin: Origin,
}

/// One data row: the cells of the sheet's known columns, in the spec's column order
/// (`None` for an empty cell or a column the file does not have).
#[derive(Debug)]
pub(crate) struct RawRow {
    pub excel_row: u32,
    pub cells: Vec<Option<Cell>>,
}

#[derive(Debug)]
pub(crate) struct RawSheet {
    pub spec: &'static SheetSpec,
    /// The sheet's name as the file spells it (it may be an alias).
    pub name: String,
    /// Per spec column, its header as the file spells it, if the file has the column.
    pub headers: Vec<Option<String>>,
    /// Per spec column, its position in the file's rows (for reporting left to right).
    pub positions: Vec<Option<usize>>,
    pub rows: Vec<RawRow>,
    /// Problems with the header row (a required column missing, a column twice); reported
    /// only when the sheet has rows.
    pub header_issues: Vec<ImportIssue>,
    /// Cells of known columns read from a merged cell above them (staff merge 所属单位 over
    /// a unit's rows): each reads as the merged value, and the preview says how many.
    pub merged_cells: usize,
}

impl RawSheet {
    /// The column's name for messages: the file's own header, else the canonical one.
    pub fn column_label(&self, index: usize) -> String {
        match self.headers.get(index).and_then(Option::as_ref) {
            Some(header) => header.clone(),
            None => self.spec.columns.get(index).map(|c| c.name.to_string()).unwrap_or_default(),
        }
    }
}

pub(crate) struct ReadWorkbook {
    pub sheets: Vec<RawSheet>,
    /// Problems with the workbook's sheets (two sheets for the same table).
    pub issues: Vec<ImportIssue>,
    /// Names of sheets that are not part of the import workbook.
    pub ignored: Vec<String>,
}

pub(crate) fn read_workbook(path: &Path) -> Result<ReadWorkbook> {
    let unreadable = |e: calamine::Error| {
        Error::rejected(format!(
            "无法读取工作簿“{}”：{}（技术信息：{e}）",
            path.display(),
            match e {
                calamine::Error::Io(_) => "文件不存在或无法打开",
                _ => "不是可识别的 Excel、WPS 或 LibreOffice 工作簿（.xlsx、.xls、.ods），或文件已损坏、设有密码",
            }
        ))
    };
    let mut workbook = open_workbook_auto(path).map_err(unreadable)?;
    let mut read = ReadWorkbook { sheets: Vec::new(), issues: Vec::new(), ignored: Vec::new() };
    for name in workbook.sheet_names() {
        let Some(spec) = sheet_for_name(&name) else {
            read.ignored.push(name);
            continue;
        };
        if let Some(first) = read.sheets.iter().find(|s| s.spec.name == spec.name) {
            read.issues.push(ImportIssue {
                sheet: name.clone(),
                row: None,
                column: None,
                reason: format!("与工作表“{}”都是{}表，只能保留一个", first.name, spec.name),
            });
            continue;
        }
        let range = workbook.worksheet_range(&name).map_err(unreadable)?;
        let merged = merged_regions(&mut workbook, &name);
        let cells = SheetCells { range: &range, merged: &merged, formulas: None };
        let (mut sheet, gaps) = read_sheet(spec, name.clone(), &cells);
        // A formula without a cached result reads as an empty cell; its text tells them apart.
        // Reading the formulas parses the sheet again, so only where a cell came out empty.
        if gaps && let Ok(formulas) = workbook.worksheet_formula(&name) {
            let cells = SheetCells { formulas: Some(&formulas), ..cells };
            sheet = read_sheet(spec, name, &cells).0;
        }
        read.sheets.push(sheet);
    }
    // Import in dependency order (单位 before 服务队 before 志愿者), whatever the tab order.
    read.sheets.sort_by_key(|s| crate::io::sheets::ALL.iter().position(|spec| spec.name == s.spec.name));
    Ok(read)
}

/// The merged regions of a sheet; formats that do not record them (.ods, .xlsb) give none.
fn merged_regions(workbook: &mut Sheets<std::io::BufReader<std::fs::File>>, name: &str) -> Vec<Dimensions> {
    match workbook {
        Sheets::Xlsx(xlsx) => xlsx.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xls(xls) => xls.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xlsb(_) | Sheets::Ods(_) => Vec::new(),
    }
}

/// A sheet's values with what changes how a cell reads: merges and formulas.
struct SheetCells<'a> {
    range: &'a Range<Data>,
    merged: &'a [Dimensions],
    formulas: Option<&'a Range<String>>,
}

impl SheetCells<'_> {
    /// The cell at an absolute (row, column), and whether it came from a merged cell above
    /// or left of it. Only a merge's first cell holds the value; the others read as it.
    fn cell(&self, row: u32, column: u32) -> (Option<Cell>, bool) {
        let origin = self.merged.iter().find(|m| m.contains(row, column) && m.start != (row, column)).map(|m| m.start);
        let (at_row, at_column) = origin.unwrap_or((row, column));
        let value = self.range.get_value((at_row, at_column)).and_then(cell_text);
        let value = value.or_else(|| self.uncalculated(at_row, at_column));
        let from_merge = origin.is_some() && value.is_some();
        (value, from_merge)
    }

    fn uncalculated(&self, row: u32, column: u32) -> Option<Cell> {
        let formula = self.formulas?.get_value((row, column))?;
        (!formula.trim().is_empty()).then(|| Cell { text: format!("={formula}"), origin: Origin::Uncalculated })
    }
}

/// The sheet's known columns and rows, and whether any of those rows has an empty cell in a
/// column the file has (where an uncalculated formula could stand).
fn read_sheet(spec: &'static SheetSpec, name: String, cells: &SheetCells<'_>) -> (RawSheet, bool) {
    let columns = spec.columns.len();
    let mut sheet = RawSheet {
        spec,
        name,
        headers: vec![None; columns],
        positions: vec![None; columns],
        rows: Vec::new(),
        header_issues: Vec::new(),
        merged_cells: 0,
    };
    let range = cells.range;
    let Some((first_row, first_column)) = range.start() else {
        return (sheet, false);
    };
    let mut rows = range.rows();
    let Some(header) = rows.next() else {
        return (sheet, false);
    };
    let header_row = first_row + 1;
    let mut issues = Vec::new();

    for (position, cell) in header.iter().enumerate() {
        let Some(text) = cell_text(cell) else { continue };
        let key = header_key(&text.text);
        let Some(index) = spec.columns.iter().position(|c| c.matches(&key)) else { continue };
        match &sheet.headers[index] {
            Some(first) => issues.push(ImportIssue {
                sheet: sheet.name.clone(),
                row: Some(header_row),
                column: Some(text.text.clone()),
                reason: format!("与“{first}”列是同一列（{}），只能保留一列", spec.columns[index].name),
            }),
            None => {
                sheet.headers[index] = Some(text.text);
                sheet.positions[index] = Some(position);
            }
        }
    }

    let data_rows = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    let mut gaps = false;
    for offset in 0..data_rows {
        let absolute_row = first_row + 1 + offset;
        let mut merged_here = 0;
        let row_cells: Vec<Option<Cell>> = sheet
            .positions
            .iter()
            .map(|p| {
                let column = first_column + u32::try_from((*p)?).ok()?;
                let (cell, from_merge) = cells.cell(absolute_row, column);
                merged_here += usize::from(from_merge);
                cell
            })
            .collect();
        if row_cells.iter().all(Option::is_none) {
            continue;
        }
        if sheet.rows.is_empty() && is_note_row(&row_cells) {
            continue;
        }
        sheet.merged_cells += merged_here;
        gaps |= sheet.positions.iter().zip(&row_cells).any(|(p, c)| p.is_some() && c.is_none());
        sheet.rows.push(RawRow { excel_row: absolute_row + 1, cells: row_cells });
    }

    // A header problem matters only when there is something to import.
    if !sheet.rows.is_empty() {
        for (column, header) in spec.columns.iter().zip(&sheet.headers) {
            if column.required && header.is_none() {
                let mut names = vec![column.name];
                names.extend(column.aliases.iter().filter(|a| **a != column.name));
                issues.push(ImportIssue {
                    sheet: sheet.name.clone(),
                    row: Some(header_row),
                    column: Some(column.name.to_string()),
                    reason: format!("缺少必填列（第{header_row}行的列名可写作：{}）", names.join("、")),
                });
            }
        }
        sheet.header_issues = issues;
    }
    (sheet, gaps)
}

/// The template's note row (`必填；18位…`) right under the header.
fn is_note_row(cells: &[Option<Cell>]) -> bool {
    cells.iter().flatten().all(|c| c.origin == Origin::Text && is_note(&c.text))
}

/// A cell as normalised text; `None` when empty.
pub(crate) fn cell_text(data: &Data) -> Option<Cell> {
    let cell = match data {
        Data::Empty => return None,
        Data::String(s) => Cell { text: normalize(s), origin: Origin::Text },
        Data::Int(i) => Cell { text: i.to_string(), origin: Origin::Number { lossy: false } },
        Data::Float(f) => number_cell(*f),
        Data::Bool(b) => Cell { text: if *b { "TRUE" } else { "FALSE" }.to_string(), origin: Origin::Text },
        Data::DateTime(dt) if dt.is_duration() => {
            let minutes = (dt.as_f64() * 24.0 * 60.0).round() as i64;
            Cell { text: format!("{}:{:02}", minutes / 60, minutes % 60), origin: Origin::Text }
        }
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(time) => {
                let format = if time.time() == chrono::NaiveTime::MIN { "%Y-%m-%d" } else { "%Y-%m-%d %H:%M" };
                Cell { text: time.format(format).to_string(), origin: Origin::Date }
            }
            None => number_cell(dt.as_f64()),
        },
        Data::DateTimeIso(s) => Cell { text: normalize(&s.replacen('T', " ", 1)), origin: Origin::Date },
        Data::DurationIso(s) => Cell { text: normalize(s), origin: Origin::Text },
        Data::Error(e) => Cell { text: e.to_string(), origin: Origin::Error },
    };
    (!cell.text.is_empty()).then_some(cell)
}

/// A number as staff meant it: `13857781234`, not `1.3857781234e10`; whole numbers print
/// without a fraction.
fn number_cell(f: f64) -> Cell {
    if !f.is_finite() {
        return Cell { text: f.to_string(), origin: Origin::Number { lossy: false } };
    }
    if f.fract() == 0.0 {
        let lossy = f.abs() >= 1e15;
        return Cell { text: format!("{f:.0}"), origin: Origin::Number { lossy } };
    }
    let text = format!("{f:.10}");
    let text = text.trim_end_matches('0').trim_end_matches('.').to_string();
    Cell { text, origin: Origin::Number { lossy: false } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_staff_typed_them() {
        assert_eq!(number_cell(13857781234.0).text, "13857781234");
        assert_eq!(number_cell(26.0).text, "26");
        assert_eq!(number_cell(1.5).text, "1.5");
        assert_eq!(number_cell(0.1 + 0.2).text, "0.3");
        let id = number_cell(330381199001011234.0);
        assert_eq!(id.origin, Origin::Number { lossy: true });
        assert!(!id.text.contains('e'), "{}", id.text);
    }

    #[test]
    fn dates_read_as_dates() {
        let date = calamine::ExcelDateTime::new(42917.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&Data::DateTime(date)).map(|c| c.text), Some("2017-07-01".to_string()));
        let time = calamine::ExcelDateTime::new(42917.0 + 8.5 / 24.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&Data::DateTime(time)).map(|c| c.text), Some("2017-07-01 08:30".to_string()));
        assert_eq!(cell_text(&Data::String("  ".to_string())), None);
    }
}
