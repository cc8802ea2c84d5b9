//! One row of a sheet as a row parser sees it: typed getters that read a column by its
//! canonical name and report a bad cell in the row's issues instead of failing, so that every
//! bad cell of every row gets reported.

use chrono::{NaiveDate, NaiveDateTime};

use super::read::{Cell, Origin, RawRow, RawSheet};
use crate::domain::Minutes;
use crate::domain::identity::{IdCard, is_mobile_number, parse_id_card};
use crate::io::text::{excel_serial_date, excel_serial_date_time, parse_date, parse_date_time, without_spaces};

pub(crate) struct RowReader<'a> {
    sheet: &'a RawSheet,
    row: &'a RawRow,
    /// (column index in the spec, reason)
    issues: Vec<(usize, String)>,
}

impl<'a> RowReader<'a> {
    pub fn new(sheet: &'a RawSheet, row: &'a RawRow) -> RowReader<'a> {
        RowReader { sheet, row, issues: Vec::new() }
    }

    pub fn excel_row(&self) -> u32 {
        self.row.excel_row
    }

    fn index(&self, column: &str) -> Option<usize> {
        let index = self.sheet.spec.column_index(column);
        debug_assert!(index.is_some(), "sheet {} has no column {column}", self.sheet.spec.name);
        index
    }

    pub fn cell(&self, column: &str) -> Option<&'a Cell> {
        let index = self.index(column)?;
        self.row.cells.get(index)?.as_ref()
    }

    /// The cell's text, `None` when empty. An error value (`#N/A`) is reported and read as
    /// empty.
    pub fn text(&mut self, column: &str) -> Option<&'a str> {
        let cell = self.cell(column)?;
        if cell.origin == Origin::Error {
            self.report(column, format!("单元格是错误值 {}，请填写实际内容", cell.text));
            return None;
        }
        Some(&cell.text)
    }

    /// The cell's text without reporting anything (for the first pass over the rows).
    pub fn peek(&self, column: &str) -> Option<&'a str> {
        self.cell(column).filter(|c| c.origin != Origin::Error).map(|c| c.text.as_str())
    }

    pub fn report(&mut self, column: &str, reason: impl Into<String>) {
        if let Some(index) = self.index(column) {
            self.issues.push((index, reason.into()));
        }
    }

    /// Reports a cell that disagrees with the row already in the database under the same key.
    pub fn compare(&mut self, column: &str, in_database: &str, in_file: &str) {
        if in_database == in_file {
            return;
        }
        let shown = |v: &str| if v.is_empty() { "（空）".to_string() } else { format!("“{v}”") };
        self.report(
            column,
            format!("与数据库中已有记录不一致（数据库中为{}，本表为{}）", shown(in_database), shown(in_file)),
        );
    }

    pub fn has_issues(&self) -> bool {
        !self.issues.is_empty()
    }

    /// The issues from left to right as the file's columns go, each column named as the
    /// file names it.
    pub fn into_issues(mut self) -> Vec<(String, String)> {
        let positions = &self.sheet.positions;
        self.issues.sort_by_key(|(index, _)| (positions.get(*index).copied().flatten(), *index));
        self.issues.into_iter().map(|(index, reason)| (self.sheet.column_label(index), reason)).collect()
    }

    /// Reports every empty cell of a required column the file has (a required column the
    /// file lacks is reported once, under the header).
    pub fn check_required(&mut self) {
        for (index, column) in self.sheet.spec.columns.iter().enumerate() {
            let present = self.sheet.headers.get(index).is_some_and(Option::is_some);
            let empty = self.row.cells.get(index).is_none_or(Option::is_none);
            if column.required && present && empty {
                self.issues.push((index, "必填，不能为空".to_string()));
            }
        }
    }

    /// A date: an Excel date cell, text such as `2017-07-01` / `2017/7/1` / `2017年7月1日`,
    /// or a serial number typed into a cell not formatted as a date.
    pub fn date(&mut self, column: &str) -> Option<NaiveDate> {
        let cell = self.cell(column)?;
        let date = match cell.origin {
            Origin::Number { .. } => {
                cell.text.parse::<f64>().ok().and_then(excel_serial_date).or_else(|| parse_date(&cell.text))
            }
            _ => parse_date(&cell.text),
        };
        if date.is_none() {
            self.report(column, format!("“{}”不是有效日期（应为 2017-07-01 这样的日期）", cell.text));
        }
        date
    }

    /// A time to the minute: an Excel date-time cell, text such as `2017-07-01 08:30`, or a
    /// serial number typed into a cell not formatted as a date. An Excel date cell without a
    /// time is midnight (that is how Excel stores 00:00).
    pub fn date_time(&mut self, column: &str) -> Option<NaiveDateTime> {
        let cell = self.cell(column)?;
        let time = cell_date_time(cell);
        if time.is_none() {
            self.report(column, format!("“{}”不是有效时间（应为 2017-07-01 08:30 这样的日期和时间）", cell.text));
        }
        time
    }

    /// The cell's time without reporting anything (for the first pass over the rows).
    pub fn peek_date_time(&self, column: &str) -> Option<NaiveDateTime> {
        self.cell(column).and_then(cell_date_time)
    }

    /// A whole number > 0.
    pub fn positive_integer(&mut self, column: &str) -> Option<i64> {
        let text = self.text(column)?;
        match without_spaces(text).parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                self.report(column, format!("“{text}”不是有效数字，应为大于0的整数"));
                None
            }
        }
    }

    /// Hours with at most one decimal (`2`, `2.5`), as minutes; more than 0.
    pub fn hours(&mut self, column: &str) -> Option<Minutes> {
        let text = self.text(column)?;
        match Minutes::parse_hours(&without_spaces(text)) {
            Some(minutes) if minutes.0 > 0 => Some(minutes),
            Some(_) => {
                self.report(column, format!("时数“{text}”须大于0"));
                None
            }
            None => {
                self.report(column, format!("“{text}”不是有效的时数（小时数，最多一位小数，如 2 或 2.5）"));
                None
            }
        }
    }

    /// A whole number ≥ 0.
    pub fn non_negative_integer(&mut self, column: &str) -> Option<i64> {
        let text = self.text(column)?;
        match without_spaces(text).parse::<i64>() {
            Ok(n) if n >= 0 => Some(n),
            _ => {
                self.report(column, format!("“{text}”不是有效数字，应为不小于0的整数"));
                None
            }
        }
    }

    /// A mainland mobile number, spaces, dashes and a +86 prefix removed.
    pub fn mobile(&mut self, column: &str) -> Option<String> {
        let text = self.text(column)?;
        let number = mobile_digits(text);
        if is_mobile_number(&number) {
            Some(number)
        } else {
            self.report(column, format!("手机号“{text}”格式不正确（应为1开头的11位数字）"));
            None
        }
    }

    /// A mobile number, or a landline of digits and dashes (`0577-65812345`, `65812345`).
    pub fn phone(&mut self, column: &str) -> Option<String> {
        let text = self.text(column)?;
        let mobile = mobile_digits(text);
        if is_mobile_number(&mobile) {
            return Some(mobile);
        }
        let landline = without_spaces(text);
        if is_landline(&landline) {
            Some(landline)
        } else {
            self.report(column, format!("电话“{text}”格式不正确（应为11位手机号，或如 0577-65812345 的固定电话）"));
            None
        }
    }

    /// A 身份证号 checked by GB 11643, with gender and birth date read from it.
    pub fn id_card(&mut self, column: &str, today: NaiveDate) -> Option<IdCard> {
        let cell = self.cell(column)?;
        if cell.origin == (Origin::Number { lossy: true }) {
            self.report(
                column,
                "身份证号被存成了数字，Excel 只保留15位有效数字，末几位已丢失；请把该列设为“文本”格式后重新录入",
            );
            return None;
        }
        let text = self.text(column)?;
        match parse_id_card(&without_spaces(text), today) {
            Ok(card) => Some(card),
            Err(why) => {
                self.report(column, why);
                None
            }
        }
    }
}

fn cell_date_time(cell: &Cell) -> Option<NaiveDateTime> {
    match cell.origin {
        Origin::Number { .. } => cell.text.parse::<f64>().ok().and_then(excel_serial_date_time),
        Origin::Date => {
            parse_date_time(&cell.text).or_else(|| parse_date(&cell.text).and_then(|d| d.and_hms_opt(0, 0, 0)))
        }
        Origin::Text => parse_date_time(&cell.text),
        Origin::Error => None,
    }
}

/// `+86 138-5778-1234` → `13857781234`.
fn mobile_digits(text: &str) -> String {
    let digits: String = text.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    let digits = digits.strip_prefix('+').unwrap_or(&digits);
    match digits.strip_prefix("86") {
        Some(rest) if rest.len() == 11 => rest.to_string(),
        _ => digits.to_string(),
    }
}

/// A landline: digits and single dashes; with an area code (`0577-65812345`, extension
/// allowed) 10 to 16 digits, without one 7 or 8.
fn is_landline(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.is_empty() || !bytes.iter().all(|b| b.is_ascii_digit() || *b == b'-') {
        return false;
    }
    if text.starts_with('-') || text.ends_with('-') || text.contains("--") {
        return false;
    }
    let digits = bytes.iter().filter(|b| b.is_ascii_digit()).count();
    match bytes[0] {
        b'0' => (10..=16).contains(&digits),
        b'1' => false,
        _ if text.contains('-') => (7..=16).contains(&digits),
        _ => (7..=8).contains(&digits),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_phone_spellings() {
        assert_eq!(mobile_digits("+86 138-5778-1234"), "13857781234");
        assert_eq!(mobile_digits("8613857781234"), "13857781234");
        assert!(is_landline("0577-65812345"));
        assert!(is_landline("057765812345"));
        assert!(is_landline("0577-65812345-801"));
        assert!(is_landline("65812345"));
        assert!(is_landline("400-800-1234"));
        assert!(!is_landline("12857781234"));
        assert!(!is_landline("0577--6581234"));
        assert!(!is_landline("123"));
        assert!(!is_landline("0577-6581234x"));
    }
}
