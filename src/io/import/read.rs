//! From a workbook file to normalised cells: finds the known sheets by name and their
//! columns by header, turns every cell (text, number, Excel date) into trimmed text, and
//! drops empty rows and the template's note row. Knows nothing of what a row means.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use calamine::Data;

use super::ImportIssue;
use crate::error::{Error, Result};
use crate::io::sheets::{SheetSpec, is_note, sheet_for_name};
use crate::io::text::{header_key, normalize};
use crate::io::untrusted::{self, CellValue};

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

/// A cell as a row parser reads it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct CellRef<'a> {
    pub text: &'a str,
    pub origin: Origin,
}

/// One data row: the cells of the sheet's known columns, in the spec's column order (`None`
/// for an empty cell or a column the file does not have). Packed — the texts end to end in one
/// string, a slot a column — since a roster may hold a million rows: ~250 bytes a row of the
/// 志愿者 sheet instead of ~600 with a `String` a cell.
#[derive(Debug)]
pub(crate) struct RawRow {
    pub excel_row: u32,
    text: Box<str>,
    slots: Box<[Slot]>,
}

/// Where a cell's text ends in the row's text (it starts where the previous slot's ends), and
/// its origin; `None` for no cell.
#[derive(Clone, Copy, Debug)]
struct Slot {
    end: u32,
    origin: Option<Origin>,
}

impl RawRow {
    fn pack(excel_row: u32, cells: &[Option<Cell>]) -> RawRow {
        let mut text = String::with_capacity(cells.iter().flatten().map(|c| c.text.len()).sum());
        let slots = cells
            .iter()
            .map(|cell| {
                if let Some(cell) = cell {
                    text.push_str(&cell.text);
                }
                // A row's cells are each bounded by the cell limit, so the row fits in u32.
                Slot { end: u32::try_from(text.len()).unwrap_or(u32::MAX), origin: cell.as_ref().map(|c| c.origin) }
            })
            .collect();
        RawRow { excel_row, text: text.into_boxed_str(), slots }
    }

    fn unpack(&self) -> Vec<Option<Cell>> {
        (0..self.slots.len())
            .map(|i| self.cell(i).map(|c| Cell { text: c.text.to_string(), origin: c.origin }))
            .collect()
    }

    /// The cell of the spec's column `index`.
    pub fn cell(&self, index: usize) -> Option<CellRef<'_>> {
        let slot = self.slots.get(index)?;
        let start = match index {
            0 => 0,
            _ => self.slots.get(index - 1).map_or(0, |s| s.end),
        };
        let text = self.text.get(start as usize..slot.end as usize)?;
        slot.origin.map(|origin| CellRef { text, origin })
    }

    fn is_empty(&self) -> bool {
        self.slots.iter().all(|s| s.origin.is_none())
    }
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
    let mut workbook = untrusted::open_workbook(path)?;
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
        let sheet = read_sheet(&mut workbook, spec, name)?;
        read.sheets.push(sheet);
    }
    // Import in dependency order (单位 before 服务队 before 志愿者), whatever the tab order.
    read.sheets.sort_by_key(|s| crate::io::sheets::ALL.iter().position(|spec| spec.name == s.spec.name));
    Ok(read)
}

/// A sheet's known columns and rows, read cell by cell: the header row is the first row
/// holding a value; of the rows below it only the cells under a known header are kept, so
/// memory follows the data staff typed, not the sheet's declared size or its farthest cell.
/// A merged region's first cell gives its value to the region's other cells in those columns
/// (staff merge 所属单位 over a unit's rows).
fn read_sheet(workbook: &mut untrusted::Workbook, spec: &'static SheetSpec, name: String) -> Result<RawSheet> {
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
    let path = workbook.path().to_path_buf();
    let merges = workbook.merged_regions(&sheet.name);
    let merge_starts: HashSet<(u32, u32)> = merges.iter().map(|m| m.start).collect();
    // The first cells of merged regions, kept until the columns are known (bounded in number
    // when the file was checked, and each by the cell limit).
    let mut start_values: HashMap<(u32, u32), Cell> = HashMap::new();
    let mut header_row: Option<u32> = None;
    let mut header_done = false;
    // Spec column → file column, and back.
    let mut kept: Vec<(u32, usize)> = Vec::new();
    // Rows packed as they are done; the row being read is kept open.
    let mut rows: BTreeMap<u32, RawRow> = BTreeMap::new();
    let mut open: Option<(u32, Vec<Option<Cell>>)> = None;
    let mut last_row = 0;
    let mut issues = Vec::new();
    let Some(mut cells) = workbook.cells(&sheet.name)? else {
        return Ok(sheet);
    };
    while let Some(((row, column), value)) = cells.next_cell()? {
        let cell = match value {
            CellValue::Value(value) => cell_text(&Data::from(value)),
            CellValue::Uncalculated(formula) => {
                Some(Cell { text: format!("={formula}"), origin: Origin::Uncalculated })
            }
        };
        let Some(cell) = cell else { continue };
        if header_row.is_none() && cell.origin == Origin::Uncalculated {
            continue;
        }
        let header = *header_row.get_or_insert(row);
        if row < header || (row == header && cell.origin == Origin::Uncalculated) {
            continue;
        }
        last_row = last_row.max(row);
        if row == header {
            if header_done {
                continue;
            }
            if merge_starts.contains(&(row, column)) {
                start_values.insert((row, column), bounded(&path, &sheet.name, row, cell.clone())?);
            }
            let key = header_key(&cell.text);
            let Some(index) = spec.columns.iter().position(|c| c.matches(&key)) else { continue };
            match &sheet.headers[index] {
                Some(first) => issues.push(ImportIssue {
                    sheet: sheet.name.clone(),
                    row: Some(row + 1),
                    column: Some(cell.text.clone()),
                    reason: format!("与“{first}”列是同一列（{}），只能保留一列", spec.columns[index].name),
                }),
                None => {
                    sheet.headers[index] = Some(cell.text);
                    sheet.positions[index] = Some(column as usize);
                    kept.push((column, index));
                }
            }
            continue;
        }
        header_done = true;
        if merge_starts.contains(&(row, column)) {
            start_values.insert((row, column), bounded(&path, &sheet.name, row, cell.clone())?);
        }
        if let Some((_, index)) = kept.iter().find(|(c, _)| *c == column) {
            let cell = bounded(&path, &sheet.name, row, cell)?;
            if open.as_ref().is_some_and(|(at, _)| *at != row) {
                close(&mut rows, open.take());
            }
            let (_, cells) = open.get_or_insert_with(|| (row, reopen(&mut rows, row, columns)));
            cells[*index] = Some(cell);
        }
    }
    drop(cells);
    close(&mut rows, open.take());
    let Some(header) = header_row else { return Ok(sheet) };

    // Merged regions, as far down as the sheet's last row: every cell but the first reads as
    // the first (whatever it holds itself). Each cell is filled once at most.
    let mut from_merge: HashSet<(u32, usize)> = HashSet::new();
    // Overlapping regions could make this quadratic: no more steps than a full sheet has cells.
    let mut steps_left = u64::from(untrusted::LIMITS.rows) * columns as u64;
    for merge in &merges {
        let Some(value) = start_values.get(&merge.start) else { continue };
        let (first, last) = (merge.start.0.max(header + 1), merge.end.0.min(last_row));
        for &(column, index) in kept.iter().filter(|(c, _)| (merge.start.1..=merge.end.1).contains(c)) {
            for row in first..=last {
                steps_left = steps_left.checked_sub(1).ok_or_else(|| {
                    Error::rejected(format!(
                        "无法读取工作簿“{}”：工作表“{}”的合并单元格互相重叠，未读取其中任何数据",
                        path.display(),
                        sheet.name
                    ))
                })?;
                if (row, column) == merge.start || !from_merge.insert((row, index)) {
                    continue;
                }
                let mut cells = reopen(&mut rows, row, columns);
                cells[index] = Some(value.clone());
                close(&mut rows, Some((row, cells)));
            }
        }
    }

    for (row, raw) in rows {
        if raw.is_empty() {
            continue;
        }
        if sheet.rows.is_empty() && is_note_row(&raw) {
            continue;
        }
        sheet.merged_cells += (0..columns).filter(|index| from_merge.contains(&(row, *index))).count();
        sheet.rows.push(raw);
    }

    // A header problem matters only when there is something to import.
    if !sheet.rows.is_empty() {
        let header_row = header + 1;
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
    Ok(sheet)
}

/// A row read before (rows out of order, a merged region's cells) or a new one, to change.
fn reopen(rows: &mut BTreeMap<u32, RawRow>, row: u32, columns: usize) -> Vec<Option<Cell>> {
    rows.remove(&row).map_or_else(|| vec![None; columns], |raw| raw.unpack())
}

fn close(rows: &mut BTreeMap<u32, RawRow>, open: Option<(u32, Vec<Option<Cell>>)>) {
    if let Some((row, cells)) = open {
        rows.insert(row, RawRow::pack(row + 1, &cells));
    }
}

/// A cell kept for the import, refused past Excel's own limit on a cell's text (only a
/// program, never Excel, writes a longer one).
fn bounded(path: &Path, sheet: &str, row: u32, cell: Cell) -> Result<Cell> {
    let limit = untrusted::LIMITS.cell_chars;
    if cell.text.len() > limit && cell.text.chars().count() > limit {
        return Err(Error::rejected(format!(
            "无法读取工作簿“{}”：工作表“{sheet}”第{}行有单元格超过 {} 个字符（Excel 单元格的上限），未读取其中任何数据",
            path.display(),
            row + 1,
            untrusted::grouped(limit as u64)
        )));
    }
    Ok(cell)
}

/// The template's note row (`必填；18位…`) right under the header.
fn is_note_row(row: &RawRow) -> bool {
    (0..row.slots.len()).filter_map(|i| row.cell(i)).all(|c| c.origin == Origin::Text && is_note(c.text))
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
    fn a_packed_row_gives_back_its_cells() {
        let cells = vec![
            Some(Cell { text: "张三".to_string(), origin: Origin::Text }),
            None,
            Some(Cell { text: "13857781234".to_string(), origin: Origin::Number { lossy: false } }),
            None,
        ];
        let row = RawRow::pack(5, &cells);
        assert_eq!(row.cell(0), Some(CellRef { text: "张三", origin: Origin::Text }));
        assert_eq!(row.cell(1), None);
        assert_eq!(row.cell(2), Some(CellRef { text: "13857781234", origin: Origin::Number { lossy: false } }));
        assert_eq!((row.cell(3), row.cell(4)), (None, None));
        assert_eq!(row.unpack(), cells);
        assert!(!row.is_empty() && RawRow::pack(6, &[None, None]).is_empty());
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
