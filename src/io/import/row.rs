//! One row of a sheet as a row parser sees it: typed getters that read a column by its
//! canonical name and report a bad cell in the row's issues instead of failing, so that every
//! bad cell of every row gets reported.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::read::{CellRef, Origin, RawRow, RawSheet};
use crate::domain::identity::IdCard;
use crate::domain::input::{self, Count, Mobile, Phone, PositiveCount};
use crate::domain::limits;
use crate::domain::{Minutes, format_date, format_minute};
use crate::io::text::{excel_serial_date, excel_serial_date_time, parse_date, parse_date_time, without_spaces};

pub(crate) struct RowReader<'a> {
    sheet: &'a RawSheet,
    row: &'a RawRow,
    /// (column index in the spec, reason)
    issues: Vec<(usize, String)>,
    /// (column index, the cell as typed, the value written) where reading changed it.
    read_as: Vec<(usize, String, String)>,
}

impl<'a> RowReader<'a> {
    pub fn new(sheet: &'a RawSheet, row: &'a RawRow) -> RowReader<'a> {
        RowReader { sheet, row, issues: Vec::new(), read_as: Vec::new() }
    }

    pub fn excel_row(&self) -> u32 {
        self.row.excel_row
    }

    fn index(&self, column: &str) -> Option<usize> {
        let index = self.sheet.spec.column_index(column);
        debug_assert!(index.is_some(), "sheet {} has no column {column}", self.sheet.spec.name);
        index
    }

    /// The cell of a column; an uncalculated formula counts as no value (it is reported
    /// once by [`RowReader::check_cells`], not again by every getter).
    pub fn cell(&self, column: &str) -> Option<CellRef<'a>> {
        let index = self.index(column)?;
        self.row.cell(index).filter(|c| c.origin != Origin::Uncalculated)
    }

    /// The cell's text, `None` when empty. An error value (`#N/A`) is reported and read as
    /// empty.
    pub fn text(&mut self, column: &str) -> Option<&'a str> {
        let cell = self.cell(column)?;
        if cell.origin == Origin::Error {
            self.report(column, format!("单元格是错误值 {}，请填写实际内容", cell.text));
            return None;
        }
        Some(cell.text)
    }

    /// The text of `column` on another row of the sheet (by its Excel row number), read as
    /// [`RowReader::peek`] reads it.
    pub fn peek_in_row(&self, excel_row: u32, column: &str) -> Option<&'a str> {
        let index = self.index(column)?;
        let rows = &self.sheet.rows;
        // Rows are kept in the sheet's order, so their numbers ascend.
        let at = rows.binary_search_by_key(&excel_row, |r| r.excel_row).ok()?;
        rows[at].cell(index).filter(|c| !matches!(c.origin, Origin::Uncalculated | Origin::Error)).map(|c| c.text)
    }

    /// The cell's text without reporting anything (for the first pass over the rows).
    pub fn peek(&self, column: &str) -> Option<&'a str> {
        self.cell(column).filter(|c| c.origin != Origin::Error).map(|c| c.text)
    }

    pub fn report(&mut self, column: &str, reason: impl Into<String>) {
        if let Some(index) = self.index(column) {
            self.issues.push((index, reason.into()));
        }
    }

    /// Reports a cell that disagrees with the row already in the database under the same key.
    pub fn compare(&mut self, column: &str, in_database: &str, in_file: &str) {
        if in_database != in_file {
            self.report_difference(column, in_database, in_file);
        }
    }

    /// [`compare`](Self::compare) for a phone or ID number, shown masked: a difference the
    /// masks hide is reported all the same.
    pub fn compare_masked(&mut self, column: &str, in_database: &str, in_file: &str, mask: fn(&str) -> String) {
        if in_database != in_file {
            self.report_difference(column, &mask(in_database), &mask(in_file));
        }
    }

    pub fn report_difference(&mut self, column: &str, in_database: &str, in_file: &str) {
        let shown = |v: &str| if v.is_empty() { "（空）".to_string() } else { format!("“{v}”") };
        self.report(
            column,
            format!("与数据库中已有记录不一致（数据库中为{}，本表为{}）", shown(in_database), shown(in_file)),
        );
    }

    /// Notes that a cell is written otherwise than typed (`党员` as `中共党员`, `2017/7/1` as
    /// `2017-07-01`), for the preview to show beside the cell.
    pub fn read_as(&mut self, column: &str, typed: &str, written: &str) {
        if typed != written
            && let Some(index) = self.index(column)
        {
            self.read_as.push((index, typed.to_string(), written.to_string()));
        }
    }

    /// The cells written otherwise than typed: (column as the file names it, typed, written).
    pub fn take_read_as(&mut self) -> Vec<(String, String, String)> {
        let read_as = std::mem::take(&mut self.read_as);
        read_as.into_iter().map(|(index, typed, written)| (self.sheet.column_label(index), typed, written)).collect()
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

    /// Reports what is wrong with a cell whatever the sheet: an empty cell of a required
    /// column the file has (a required column the file lacks is reported once, under the
    /// header), a formula saved without its result, a text longer than its column's limit.
    pub fn check_cells(&mut self) {
        for (index, column) in self.sheet.spec.columns.iter().enumerate() {
            let present = self.sheet.headers.get(index).is_some_and(Option::is_some);
            let cell = self.row.cell(index);
            match cell {
                None if column.required && present => self.issues.push((index, "必填，不能为空".to_string())),
                None => {}
                Some(cell) if cell.origin == Origin::Uncalculated => self
                    .issues
                    .push((index, format!("公式尚未计算（{}），请在 Excel/WPS 中打开保存后再导入", cell.text))),
                Some(cell) => {
                    let length = cell.text.chars().count();
                    if column.max_chars > 0 && length > column.max_chars {
                        self.issues.push((index, limits::too_long("内容", length, column.max_chars)));
                    }
                }
            }
        }
    }

    /// A date: an Excel date cell, text such as `2017-07-01` / `2017/7/1` / `2017年7月1日`,
    /// or a serial number typed into a cell not formatted as a date.
    pub fn date(&mut self, column: &str) -> Option<NaiveDate> {
        let cell = self.cell(column)?;
        let date = match cell.origin {
            Origin::Number { .. } => {
                cell.text.parse::<f64>().ok().and_then(excel_serial_date).or_else(|| parse_date(cell.text))
            }
            _ => parse_date(cell.text),
        };
        match date {
            Some(date) if cell.origin == Origin::Text => self.read_as(column, cell.text, &format_date(date)),
            Some(_) => {}
            None => self.report(column, format!("“{}”不是有效日期（应为 2017-07-01 这样的日期）", cell.text)),
        }
        date
    }

    /// A time to the minute where the minute decides hours (开始时间, 签到时间 …): an Excel
    /// date-time cell, text such as `2017-07-01 08:30`, or a serial number typed into a cell
    /// not formatted as a date. A bare date is refused: its time would be a guess.
    pub fn date_time(&mut self, column: &str) -> Option<NaiveDateTime> {
        match self.moment(column)? {
            Moment::At(time) => Some(time),
            Moment::Day(day) => {
                self.report(
                    column,
                    format!("只填了日期（{day}），缺少时间；本列决定时数，请写成 {day} 08:30 这样的日期和时间"),
                );
                None
            }
        }
    }

    /// A time that opens a window (招募开始): a bare date opens at the start of that day.
    pub fn window_opens(&mut self, column: &str) -> Option<NaiveDateTime> {
        self.window_edge(column, NaiveTime::MIN)
    }

    /// A time that closes a window (招募截止): a bare date closes at the day's last minute.
    pub fn window_closes(&mut self, column: &str) -> Option<NaiveDateTime> {
        self.window_edge(column, LAST_MINUTE)
    }

    /// A window's edge, a bare date taken at `time` (which the preview shows).
    fn window_edge(&mut self, column: &str, time: NaiveTime) -> Option<NaiveDateTime> {
        let moment = self.moment(column)?;
        let at = moment.or_at(time);
        if let (Moment::Day(_), Some(cell)) = (moment, self.cell(column)) {
            self.read_as(column, cell.text, &format_minute(at));
        }
        Some(at)
    }

    fn moment(&mut self, column: &str) -> Option<Moment> {
        let cell = self.cell(column)?;
        let moment = cell_moment(cell);
        if moment.is_none() {
            self.report(column, format!("“{}”不是有效时间（应为 2017-07-01 08:30 这样的日期和时间）", cell.text));
        }
        moment
    }

    /// The cell's time without reporting anything (for the first pass over the rows); a bare
    /// date is no time here.
    pub fn peek_date_time(&self, column: &str) -> Option<NaiveDateTime> {
        match self.cell(column).and_then(cell_moment)? {
            Moment::At(time) => Some(time),
            Moment::Day(_) => None,
        }
    }

    /// A whole number > 0.
    pub fn positive_integer(&mut self, column: &str) -> Option<i64> {
        let text = self.text(column)?;
        let PositiveCount(n) = self.parsed(column, text)?;
        self.read_as(column, text, &n.to_string());
        Some(n)
    }

    /// The cell read as the window's forms read the same field (`domain::input`), its reason
    /// reported when it does not read.
    fn parsed<T: std::str::FromStr<Err = String>>(&mut self, column: &str, text: &str) -> Option<T> {
        text.parse().map_err(|why| self.report(column, why)).ok()
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
        let Count(n) = self.parsed(column, text)?;
        self.read_as(column, text, &n.to_string());
        Some(n)
    }

    /// A mainland mobile number, spaces, dashes and a +86 prefix removed.
    pub fn mobile(&mut self, column: &str) -> Option<String> {
        let text = self.text(column)?;
        let Mobile(number) = self.parsed(column, text)?;
        self.read_as(column, text, &number);
        Some(number)
    }

    /// A mobile number, or a landline of digits and dashes (`0577-65812345`, `65812345`).
    pub fn phone(&mut self, column: &str) -> Option<String> {
        let text = self.text(column)?;
        let Phone(number) = self.parsed(column, text)?;
        self.read_as(column, text, &number);
        Some(number)
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
        match input::id_card(text, today) {
            Ok(card) => Some(card),
            Err(why) => {
                self.report(column, why);
                None
            }
        }
    }
}

/// 23:59, the last minute a window closing on a bare date stays open.
const LAST_MINUTE: NaiveTime = match NaiveTime::from_hms_opt(23, 59, 0) {
    Some(time) => time,
    None => NaiveTime::MIN,
};

/// A date-time cell as written: with its time, or a bare date. An Excel date cell at 00:00
/// is a bare date (Excel stores both alike, and staff who type only the day mean the day).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Moment {
    At(NaiveDateTime),
    Day(NaiveDate),
}

impl Moment {
    fn or_at(self, time: NaiveTime) -> NaiveDateTime {
        match self {
            Moment::At(moment) => moment,
            Moment::Day(day) => day.and_time(time),
        }
    }
}

fn cell_moment(cell: CellRef<'_>) -> Option<Moment> {
    match cell.origin {
        Origin::Number { .. } => {
            let serial = cell.text.parse::<f64>().ok()?;
            if serial.fract() == 0.0 {
                excel_serial_date(serial).map(Moment::Day)
            } else {
                excel_serial_date_time(serial).map(Moment::At)
            }
        }
        Origin::Date | Origin::Text => {
            let text = cell.text.trim();
            // `parse_date` reads the date part of anything; a day alone must be all there is.
            let bare = !text.contains([' ', 'T']);
            parse_date_time(text).map(Moment::At).or_else(|| parse_date(text).filter(|_| bare).map(Moment::Day))
        }
        Origin::Error | Origin::Uncalculated => None,
    }
}
