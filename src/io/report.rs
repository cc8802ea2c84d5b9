//! The year-end assessment workbook (年度考核统计表): 汇总, 队伍, 活动, 志愿者时数, 活动月,
//! 家风家训 (when the contest has data) and 图表, each laid out as an official form — a merged
//! title, the reporting unit and date, bold frozen headers with a filter, hours in 小时
//! and per cent for rates, widths that fit Chinese text, and A4 landscape printing with the
//! header repeated on every page and the width fitted to the page.
//!
//! Hours are numbers of hours (formats.md, "Hours in workbooks"): minutes ÷ 60 unrounded,
//! shown with one decimal, so a clerk's own `=O8/E8` or ×分值 gives hours (a `[h]:mm` time
//! value gave days). A 合计 is a SUM over the unrounded cells; a note under each such table
//! says that the shown rows may differ from the shown total by rounding (1.2 + 2.0 + 1.9
//! under 5.1).
//! Rows are written in order, one at a time, with the column's format chosen once per sheet;
//! a shared [`ExportProgress`] counts them and can cancel between rows.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};

use chrono::{Datelike as _, NaiveDate};
use rusqlite::Connection;
use rust_xlsxwriter::utility::row_col_to_cell;
use rust_xlsxwriter::{
    Chart, ChartFont, ChartType, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};

use super::text::display_width;
use crate::domain::Minutes;
use crate::error::{Error, Result};
use crate::store::Actor;
use crate::store::report::{
    AWARD_TIERS, CONTEST_CATEGORIES, Figures, Hours, UnitContest, YearReport, reporting_unit, year_report,
};

/// Where an export is, for a progress bar; shared with the worker in an `Arc`.
#[derive(Debug, Default)]
pub struct ExportProgress {
    stage: AtomicU8,
    done: AtomicUsize,
    total: AtomicUsize,
    cancelled: AtomicBool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportStage {
    Reading,
    Writing,
    Saving,
}

impl ExportStage {
    pub fn label(self) -> &'static str {
        match self {
            ExportStage::Reading => "正在汇总全年数据",
            ExportStage::Writing => "正在写入工作表",
            ExportStage::Saving => "正在保存文件",
        }
    }
}

impl ExportProgress {
    pub fn new() -> Self {
        ExportProgress::default()
    }

    pub fn stage(&self) -> ExportStage {
        match self.stage.load(Ordering::Relaxed) {
            0 => ExportStage::Reading,
            1 => ExportStage::Writing,
            _ => ExportStage::Saving,
        }
    }

    /// Rows written and rows to write.
    pub fn counts(&self) -> (usize, usize) {
        (self.done.load(Ordering::Relaxed), self.total.load(Ordering::Relaxed))
    }

    pub fn fraction(&self) -> f32 {
        let (done, total) = self.counts();
        if total == 0 { 0.0 } else { (done as f32 / total as f32).min(1.0) }
    }

    /// Asks the export to stop at the next row; nothing is saved.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    fn set_stage(&self, stage: ExportStage) {
        self.stage.store(stage as u8, Ordering::Relaxed);
    }

    fn check(&self, rows: usize) -> Result<()> {
        self.done.fetch_add(rows, Ordering::Relaxed);
        if self.cancelled.load(Ordering::Relaxed) {
            return Err(Error::rejected("已取消导出，未保存文件"));
        }
        Ok(())
    }
}

/// The 合计 row's height in points.
const TOTAL_ROW_HEIGHT: u16 = 20;

/// Sheet names, in workbook order.
pub const SHEET_SUMMARY: &str = "汇总";
pub const SHEET_TEAMS: &str = "队伍";
pub const SHEET_ACTIVITIES: &str = "活动";
pub const SHEET_VOLUNTEERS: &str = "志愿者时数";
pub const SHEET_JULY: &str = "活动月";
pub const SHEET_CONTEST: &str = "家风家训";
pub const SHEET_CHARTS: &str = "图表";

/// The first row of the 汇总 table (its header) and of the other sheets' tables.
pub const SUMMARY_HEADER_ROW: u32 = 6;
pub const HEADER_ROW: u32 = 2;

/// What was written, for the status line.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportSummary {
    pub path: PathBuf,
    pub units: usize,
    pub volunteers: usize,
    pub activities: usize,
}

/// Reads the year from the store and writes the assessment workbook to `path`, logged as an
/// export by `actor` once it is in place (refused first for a role that may not export). The
/// file is written beside it first and renamed when complete, so a cancelled or failed export
/// leaves no half-written file, an existing one untouched, and no log entry.
pub fn write_report(
    conn: &Connection,
    actor: &Actor,
    year: i32,
    path: &Path,
    today: NaiveDate,
    progress: &ExportProgress,
) -> Result<ExportSummary> {
    write_report_when(conn, actor, year, path, today, progress, || Ok(()))
}

/// [`write_report`], saving only if `may_save` agrees once the workbook is built: the command
/// line checks the file for damage meanwhile.
pub fn write_report_when(
    conn: &Connection,
    actor: &Actor,
    year: i32,
    path: &Path,
    today: NaiveDate,
    progress: &ExportProgress,
    may_save: impl FnOnce() -> Result<()>,
) -> Result<ExportSummary> {
    super::export::may_export(actor)?;
    progress.set_stage(ExportStage::Reading);
    let report = year_report(conn, year)?;
    let unit = reporting_unit(conn)?;
    progress.check(0)?;
    writer_panics_as_errors(path, || {
        let mut workbook = report_workbook(&report, &unit, today, progress)?;
        may_save()?;
        progress.set_stage(ExportStage::Saving);
        super::export::export_workbook(conn, actor, &format!("{year}年度考核统计表"), &mut workbook, path)
    })?;
    Ok(ExportSummary {
        path: path.to_path_buf(),
        units: report.units.len(),
        volunteers: report.volunteers.len(),
        activities: report.activities.len(),
    })
}

fn xlsx(e: XlsxError) -> Error {
    Error::rejected(format!("生成考核统计表失败：{e}"))
}

/// Runs `write`, turning rust_xlsxwriter's panic on a failed write of a constant-memory
/// sheet's temporary file into the error a failed write of `path` gives (「磁盘空间已满」
/// for a full disk). rust_xlsxwriter 0.102 `expect`s those writes (its XML writer, and
/// `rewind().unwrap()` when saving) instead of returning the error, and no check made
/// beforehand can promise the disk still has room when the rows are written. Only a panic
/// that carries an operating-system error is turned so; any other is a bug and goes on.
/// The temporary file is already deleted (it has no name), and the workbook is dropped
/// unused, so nothing the closure touched is seen half-done.
fn writer_panics_as_errors<T>(path: &Path, write: impl FnOnce() -> Result<T>) -> Result<T> {
    quiet_panics::install();
    let caught = quiet_panics::hushed(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(write)));
    match caught {
        Ok(result) => result,
        Err(payload) => match os_error_in(payload.as_ref()) {
            Some(error) => Err(Error::file(path, error)),
            None => std::panic::resume_unwind(payload),
        },
    }
}

/// The operating-system error in a panic's message, as `Result::expect` and `unwrap` write
/// it (`… Os { code: 27, kind: FileTooLarge, … }`).
fn os_error_in(payload: &(dyn std::any::Any + Send)) -> Option<std::io::Error> {
    let message =
        payload.downcast_ref::<String>().map(String::as_str).or_else(|| payload.downcast_ref::<&str>().copied())?;
    let (_, rest) = message.split_once("Os { code: ")?;
    let code: String = rest.chars().take_while(char::is_ascii_digit).collect();
    code.parse().ok().map(std::io::Error::from_raw_os_error)
}

/// A panic hook that stays silent about a failed write (a panic carrying an operating-system
/// error) on this thread while [`hushed`] runs: a panic caught and turned into an error must
/// not print Rust's English panic message before 「错误：…」. Every other panic, and every
/// panic of other threads or outside `hushed`, is reported as before.
mod quiet_panics {
    use std::cell::Cell;
    use std::sync::Once;

    thread_local! {
        static HUSHED: Cell<bool> = const { Cell::new(false) };
    }

    pub fn install() {
        static INSTALL: Once = Once::new();
        INSTALL.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                if !(HUSHED.with(Cell::get) && super::os_error_in(info.payload()).is_some()) {
                    previous(info);
                }
            }));
        });
    }

    pub fn hushed<T>(run: impl FnOnce() -> T) -> T {
        let before = HUSHED.with(|h| h.replace(true));
        let out = run();
        HUSHED.with(|h| h.set(before));
        out
    }
}

/// The workbook for a year's report, not yet saved (the benchmark times saving apart).
pub fn report_workbook(
    report: &YearReport,
    reporting_unit: &str,
    today: NaiveDate,
    progress: &ExportProgress,
) -> Result<Workbook> {
    progress.set_stage(ExportStage::Writing);
    let contest = Some(&report.contest).filter(|c| c.iter().any(|u| u.works.iter().sum::<i64>() > 0));
    let rows = report.units.len() * 2
        + report.teams.len()
        + report.activities.len()
        + report.volunteers.len()
        + contest.map_or(0, Vec::len);
    progress.total.store(rows, Ordering::Relaxed);
    progress.done.store(0, Ordering::Relaxed);
    let cx = Context { styles: Styles::new(), line: info_line(reporting_unit, today, report.threshold), progress };
    let mut workbook = Workbook::new();
    // Excel 365's own level: about a third less time compressing for a file ~5% larger.
    workbook.set_zip_compression_level(3);
    summary_sheet(workbook.add_worksheet(), report, &cx)?;
    team_sheet(workbook.add_worksheet(), report, &cx)?;
    activity_sheet(workbook.add_worksheet(), report, &cx)?;
    // One row per volunteer: 100,000 rows of 12 cells held in memory were ≈ 300 MB of the
    // export's peak, so this sheet streams its rows to a temporary file as they are written.
    volunteer_sheet(workbook.add_worksheet_with_constant_memory().map_err(xlsx)?, report, &cx)?;
    july_sheet(workbook.add_worksheet(), report, &cx)?;
    if let Some(contest) = contest {
        contest_sheet(workbook.add_worksheet(), report.year, contest, &cx)?;
    }
    chart_sheet(workbook.add_worksheet(), report, &cx)?;
    Ok(workbook)
}

/// The line under every title: who reports, when, and the units used.
fn info_line(reporting_unit: &str, today: NaiveDate, threshold: Minutes) -> String {
    format!(
        "填报单位：{reporting_unit}　　统计日期：{}年{}月{}日　　时数单位：小时　　年度达标时数：{threshold} 小时",
        today.year(),
        today.month(),
        today.day()
    )
}

/// What every sheet of one workbook shares.
struct Context<'a> {
    styles: Styles,
    /// The unit and date line under each title.
    line: String,
    progress: &'a ExportProgress,
}

struct Styles {
    title: Format,
    info: Format,
    sentence: Format,
    header: Format,
    text: Format,
    count: Format,
    hours: Format,
    decimal: Format,
    rate: Format,
    total_text: Format,
    total_count: Format,
    total_hours: Format,
    total_decimal: Format,
    total_rate: Format,
}

const FONT: &str = "宋体";

/// Hours (a number of hours, not a time of day), one decimal shown.
pub const HOURS_FORMAT: &str = "0.0";

/// The note under a table whose hour rows stand above a 合计 (formats.md).
pub const HOURS_NOTE: &str =
    "注：时数按分钟累计，保留一位小数显示，合计按未舍入值计算，分项之和与合计可能因四舍五入略有差异。";

impl Styles {
    fn new() -> Self {
        let base = Format::new().set_font_name(FONT).set_font_size(10);
        let cell = base.clone().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        let number = cell.clone().set_align(FormatAlign::Right);
        let total = cell.clone().set_bold().set_background_color("#F2F2F2");
        let total_number = total.clone().set_align(FormatAlign::Right);
        Styles {
            title: base
                .clone()
                .set_font_size(16)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            info: base.clone().set_align(FormatAlign::VerticalCenter),
            sentence: base.clone().set_text_wrap().set_align(FormatAlign::VerticalCenter),
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color("#DDEBF7"),
            text: cell.clone(),
            count: number.clone().set_num_format("0"),
            hours: number.clone().set_num_format(HOURS_FORMAT),
            decimal: number.clone().set_num_format("0.0"),
            rate: number.set_num_format("0.0%"),
            total_text: total.clone().set_align(FormatAlign::Center),
            total_count: total_number.clone().set_num_format("0"),
            total_hours: total_number.clone().set_num_format(HOURS_FORMAT),
            total_decimal: total_number.clone().set_num_format("0.0"),
            total_rate: total_number.set_num_format("0.0%"),
        }
    }

    fn data(&self, kind: Kind) -> &Format {
        match kind {
            Kind::Text | Kind::Code => &self.text,
            Kind::Count => &self.count,
            Kind::Hours => &self.hours,
            Kind::Decimal => &self.decimal,
            Kind::Rate => &self.rate,
        }
    }

    fn total(&self, kind: Kind) -> &Format {
        match kind {
            Kind::Text | Kind::Code => &self.total_text,
            Kind::Count => &self.total_count,
            Kind::Hours => &self.total_hours,
            Kind::Decimal => &self.total_decimal,
            Kind::Rate => &self.total_rate,
        }
    }
}

/// What a column holds: decides its format and how wide its values are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Text,
    /// Codes, dates and masked numbers: ASCII of a known width.
    Code,
    Count,
    Hours,
    /// Hours per volunteer.
    Decimal,
    Rate,
}

struct Column {
    header: &'static str,
    kind: Kind,
}

const fn col(header: &'static str, kind: Kind) -> Column {
    Column { header, kind }
}

/// One cell of a data row.
enum Cell<'a> {
    Text(Cow<'a, str>),
    Count(i64),
    Hours(Minutes),
    /// A ratio; none is shown as a dash.
    Ratio(Option<f64>),
}

/// A cell of the 合计 row.
enum Total {
    Label(&'static str),
    Blank,
    /// SUM over the column, with the value the program computed as the cached result.
    Sum(f64),
    /// Column `numerator` over column `denominator` of the same row.
    Ratio {
        numerator: u16,
        denominator: u16,
        value: Option<f64>,
    },
    /// Hours per head: an hours column over a count column of the same row.
    HoursPerHead {
        hours: u16,
        heads: u16,
        value: Option<f64>,
    },
}

/// A sheet laid out as an official form, filled row by row.
struct FormSheet<'a> {
    sheet: &'a mut Worksheet,
    styles: &'a Styles,
    columns: &'a [Column],
    header_row: u32,
    next_row: u32,
    widths: Vec<f64>,
    progress: &'a ExportProgress,
    pending: usize,
}

impl<'a> FormSheet<'a> {
    /// Names the sheet, writes the merged title, the unit and date line, and the header.
    fn begin(
        sheet: &'a mut Worksheet,
        cx: &'a Context<'a>,
        name: &str,
        title: &str,
        columns: &'a [Column],
        header_row: u32,
    ) -> Result<Self> {
        let (styles, line, progress) = (&cx.styles, cx.line.as_str(), cx.progress);
        let last = columns.len() as u16 - 1;
        sheet.set_name(name).map_err(xlsx)?;
        sheet.merge_range(0, 0, 0, last, title, &styles.title).map_err(xlsx)?;
        sheet.set_row_height(0, 32).map_err(xlsx)?;
        sheet.merge_range(1, 0, 1, last, line, &styles.info).map_err(xlsx)?;
        sheet.set_row_height(1, 20).map_err(xlsx)?;
        let mut widths = Vec::with_capacity(columns.len());
        for (c, column) in columns.iter().enumerate() {
            sheet.write_string_with_format(header_row, c as u16, column.header, &styles.header).map_err(xlsx)?;
            widths.push(header_width(column.header));
        }
        sheet.set_row_height(header_row, 30).map_err(xlsx)?;
        Ok(FormSheet { sheet, styles, columns, header_row, next_row: header_row + 1, widths, progress, pending: 0 })
    }

    fn first_data_row(&self) -> u32 {
        self.header_row + 1
    }

    fn row(&mut self, cells: &[Cell<'_>]) -> Result<()> {
        let row = self.next_row;
        for (c, (cell, column)) in cells.iter().zip(self.columns).enumerate() {
            let format = self.styles.data(column.kind);
            let col = c as u16;
            let width = match cell {
                Cell::Text(text) => {
                    self.sheet.write_string_with_format(row, col, text.as_ref(), format).map_err(xlsx)?;
                    if column.kind == Kind::Code { text.len() as f64 } else { display_width(text) }
                }
                Cell::Count(n) => {
                    self.sheet.write_number_with_format(row, col, *n as f64, format).map_err(xlsx)?;
                    digits(*n)
                }
                Cell::Hours(m) => {
                    self.sheet.write_number_with_format(row, col, in_hours(*m), format).map_err(xlsx)?;
                    digits(m.0 / 60) + 2.0
                }
                Cell::Ratio(Some(value)) => {
                    self.sheet.write_number_with_format(row, col, *value, format).map_err(xlsx)?;
                    if column.kind == Kind::Rate { 6.0 } else { digits(*value as i64) + 2.0 }
                }
                Cell::Ratio(None) => {
                    self.sheet.write_string_with_format(row, col, "—", format).map_err(xlsx)?;
                    2.0
                }
            };
            if width > self.widths[c] {
                self.widths[c] = width;
            }
        }
        self.next_row += 1;
        self.pending += 1;
        if self.pending == 512 {
            self.progress.check(self.pending)?;
            self.pending = 0;
        }
        Ok(())
    }

    /// The 合计 row: SUM formulas over the data rows and ratios of those sums; `height` in
    /// points, or the default.
    fn total_row(&mut self, cells: &[Total], height: Option<u16>) -> Result<()> {
        let (first, last) = (self.first_data_row(), self.next_row.saturating_sub(1).max(self.first_data_row()));
        let row = self.next_row;
        for (c, (cell, column)) in cells.iter().zip(self.columns).enumerate() {
            let col = c as u16;
            let format = self.styles.total(column.kind);
            match cell {
                Total::Label(text) => self.sheet.write_string_with_format(row, col, *text, format).map(|_| ()),
                Total::Blank => self.sheet.write_blank(row, col, format).map(|_| ()),
                // Without data rows a SUM would have to cover the 合计 cell itself: a circular
                // reference in every spreadsheet program.
                Total::Sum(value) if row == first => {
                    self.sheet.write_number_with_format(row, col, *value, format).map(|_| ())
                }
                Total::Sum(value) => {
                    let formula = format!("=SUM({}:{})", row_col_to_cell(first, col), row_col_to_cell(last, col));
                    let formula = Formula::new(formula).set_result(value.to_string());
                    self.sheet.write_formula_with_format(row, col, formula, format).map(|_| ())
                }
                Total::Ratio { numerator, denominator, value } => {
                    let (n, d) = (row_col_to_cell(row, *numerator), row_col_to_cell(row, *denominator));
                    let formula = Formula::new(format!("=IF({d}>0,{n}/{d},\"—\")"))
                        .set_result(value.map_or_else(|| "—".to_string(), |v| v.to_string()));
                    self.sheet.write_formula_with_format(row, col, formula, format).map(|_| ())
                }
                Total::HoursPerHead { hours, heads, value } => {
                    let (n, d) = (row_col_to_cell(row, *hours), row_col_to_cell(row, *heads));
                    let formula = Formula::new(format!("=IF({d}>0,{n}/{d},\"—\")"))
                        .set_result(value.map_or_else(|| "—".to_string(), |v| v.to_string()));
                    self.sheet.write_formula_with_format(row, col, formula, format).map(|_| ())
                }
            }
            .map_err(xlsx)?;
        }
        if let Some(height) = height {
            self.sheet.set_row_height(row, height).map_err(xlsx)?;
        }
        self.next_row += 1;
        if self.columns.iter().any(|c| c.kind == Kind::Hours) {
            let last = self.columns.len() as u16 - 1;
            self.sheet.merge_range(row + 1, 0, row + 1, last, HOURS_NOTE, &self.styles.info).map_err(xlsx)?;
        }
        Ok(())
    }

    /// Widths, the frozen header, the filter over the data rows (not the 合计) and printing.
    fn finish(self, data_rows: u32) -> Result<()> {
        self.progress.check(self.pending)?;
        for (c, width) in self.widths.iter().enumerate() {
            self.sheet.set_column_width(c as u16, (width + 2.0).clamp(5.0, 42.0)).map_err(xlsx)?;
        }
        let last_col = self.columns.len() as u16 - 1;
        self.sheet.set_freeze_panes(self.header_row + 1, 0).map_err(xlsx)?;
        self.sheet.autofilter(self.header_row, 0, self.header_row + data_rows, last_col).map_err(xlsx)?;
        print_setup(self.sheet, Some(self.header_row))?;
        Ok(())
    }
}

/// A4 landscape, the header row on every page, fitted to the page width, page numbers.
fn print_setup(sheet: &mut Worksheet, header_row: Option<u32>) -> Result<()> {
    sheet.set_paper_size(9).set_landscape();
    if let Some(row) = header_row {
        sheet.set_repeat_rows(row, row).map_err(xlsx)?;
    }
    sheet
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3)
        .set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// Headers wrap onto two lines: the column needs half the header, and room for the filter's
/// arrow.
fn header_width(header: &str) -> f64 {
    (display_width(header) / 2.0).ceil() + 2.0
}

fn digits(n: i64) -> f64 {
    (n.unsigned_abs().checked_ilog10().unwrap_or(0) + 1) as f64
}

/// Minutes as a number of hours, unrounded; shown by [`HOURS_FORMAT`].
pub fn in_hours(m: Minutes) -> f64 {
    m.0 as f64 / 60.0
}

/// The figures' columns shared by 汇总 and 队伍, from 注册人数 on.
fn figure_cells<'a>(f: &Figures, cells: &mut Vec<Cell<'a>>, with_contest: bool) {
    cells.push(Cell::Count(f.participants));
    cells.push(Cell::Ratio(f.participation_rate()));
    cells.push(Cell::Count(f.activities()));
    cells.push(Cell::Count(f.concentrated));
    cells.push(Cell::Count(f.dispersed));
    cells.push(Cell::Count(f.july_activities));
    cells.push(Cell::Hours(f.hours.credit));
    cells.push(Cell::Hours(f.hours.honor));
    cells.push(Cell::Hours(f.hours.total()));
    cells.push(Cell::Ratio(f.hours_per_volunteer()));
    cells.push(Cell::Count(f.meeting_threshold));
    cells.push(Cell::Ratio(f.threshold_share()));
    if with_contest {
        cells.push(Cell::Count(f.contest_works));
        cells.push(Cell::Count(f.contest_awards));
    }
}

/// The 合计 cells matching [`figure_cells`]; `registered` is the 注册人数 column and `first`
/// the first of the figures' (参与人数), which need not follow it (汇总 has 注册率 between).
fn figure_totals(f: &Figures, registered: u16, first: u16, out: &mut Vec<Total>, with_contest: bool) {
    out.push(Total::Sum(f.participants as f64));
    out.push(Total::Ratio { numerator: first, denominator: registered, value: f.participation_rate() });
    out.push(Total::Sum(f.activities() as f64));
    out.push(Total::Sum(f.concentrated as f64));
    out.push(Total::Sum(f.dispersed as f64));
    out.push(Total::Sum(f.july_activities as f64));
    out.push(Total::Sum(in_hours(f.hours.credit)));
    out.push(Total::Sum(in_hours(f.hours.honor)));
    out.push(Total::Sum(in_hours(f.hours.total())));
    out.push(Total::HoursPerHead { hours: first + 8, heads: registered, value: f.hours_per_volunteer() });
    out.push(Total::Sum(f.meeting_threshold as f64));
    out.push(Total::Ratio { numerator: first + 10, denominator: registered, value: f.threshold_share() });
    if with_contest {
        out.push(Total::Sum(f.contest_works as f64));
        out.push(Total::Sum(f.contest_awards as f64));
    }
}

const FIGURE_COLUMNS: [Column; 12] = [
    col("参与人数", Kind::Count),
    col("参与率", Kind::Rate),
    col("活动次数", Kind::Count),
    col("集中服务", Kind::Count),
    col("分散服务", Kind::Count),
    col("七月活动", Kind::Count),
    col("信用时数", Kind::Hours),
    col("荣誉时数", Kind::Hours),
    col("总时数", Kind::Hours),
    col("人均时数", Kind::Decimal),
    col("达标人数", Kind::Count),
    col("达标率", Kind::Rate),
];
const CONTEST_COLUMNS: [Column; 2] = [col("征集作品", Kind::Count), col("获奖作品", Kind::Count)];

fn summary_columns() -> Vec<Column> {
    let mut columns = vec![
        col("排名", Kind::Count),
        col("单位", Kind::Text),
        col("队伍数", Kind::Count),
        col("党员总数", Kind::Count),
        col("注册人数", Kind::Count),
        col("注册率", Kind::Rate),
    ];
    columns.extend(FIGURE_COLUMNS);
    columns.extend(CONTEST_COLUMNS);
    columns
}

/// Units ranked by total hours per registered volunteer, then by total hours; equal figures
/// share a rank.
pub fn ranked_units(report: &YearReport) -> Vec<(usize, usize)> {
    let key = |i: usize| {
        let f = &report.units[i].figures;
        (f.hours_per_volunteer().unwrap_or(0.0), f.hours.total())
    };
    let mut order: Vec<usize> = (0..report.units.len()).collect();
    order.sort_by(|&a, &b| {
        let (ka, kb) = (key(a), key(b));
        kb.0.total_cmp(&ka.0).then(kb.1.cmp(&ka.1)).then(a.cmp(&b))
    });
    let mut ranked = Vec::with_capacity(order.len());
    for (place, &i) in order.iter().enumerate() {
        let rank = match ranked.last() {
            Some(&(rank, previous)) if key(previous) == key(i) => rank,
            _ => place + 1,
        };
        ranked.push((rank, i));
    }
    ranked
}

fn summary_sheet(sheet: &mut Worksheet, report: &YearReport, cx: &Context<'_>) -> Result<()> {
    let columns = summary_columns();
    let title = format!("{}年度机关党员志愿服务考核统计表", report.year);
    let mut form = FormSheet::begin(sheet, cx, SHEET_SUMMARY, &title, &columns, SUMMARY_HEADER_ROW)?;
    city_block(form.sheet, report, &cx.styles, columns.len() as u16 - 1)?;
    let mut cells = Vec::with_capacity(columns.len());
    for (rank, i) in ranked_units(report) {
        let unit = &report.units[i];
        let f = &unit.figures;
        cells.clear();
        cells.push(Cell::Count(rank as i64));
        cells.push(Cell::Text(Cow::Borrowed(&unit.name)));
        cells.push(Cell::Count(f.teams));
        cells.push(Cell::Count(unit.party_members));
        cells.push(Cell::Count(f.registered));
        cells.push(Cell::Ratio(unit.registration_rate()));
        figure_cells(f, &mut cells, true);
        form.row(&cells)?;
    }
    let t = &report.total;
    let party: i64 = report.units.iter().map(|u| u.party_members).sum();
    let mut totals = vec![
        Total::Blank,
        Total::Label("合计"),
        Total::Sum(t.teams as f64),
        Total::Sum(party as f64),
        Total::Sum(t.registered as f64),
        Total::Ratio { numerator: 4, denominator: 3, value: crate::store::report::ratio(t.registered, party) },
    ];
    figure_totals(t, 4, 6, &mut totals, true);
    form.total_row(&totals, Some(TOTAL_ROW_HEIGHT))?;
    form.finish(report.units.len() as u32)?;
    // The table a leader reads first, whole on one sheet of paper: 合计 never alone on a second.
    sheet.set_print_fit_to_pages(1, 1);
    Ok(())
}

/// The newspaper's sentence, and the same figures as numbers under their labels.
fn city_block(sheet: &mut Worksheet, report: &YearReport, styles: &Styles, last_col: u16) -> Result<()> {
    let c = &report.city;
    let sentence = format!(
        "{}年全市注册的党员志愿服务队达 {} 支，注册人数 {} 人，组织活动 {} 次，服务信用时数 {} 小时，荣誉时数 {} 小时。",
        report.year, c.teams, c.volunteers, c.activities, c.credit, c.honor
    );
    sheet.merge_range(2, 0, 2, last_col, &sentence, &styles.sentence).map_err(xlsx)?;
    sheet.set_row_height(2, 22).map_err(xlsx)?;
    let count = styles.count.clone().set_bold().set_font_size(12).set_align(FormatAlign::Center);
    let hours = styles.hours.clone().set_bold().set_font_size(12).set_align(FormatAlign::Center);
    let figures: [(&str, f64, &Format); 6] = [
        ("队伍（支）", c.teams as f64, &count),
        ("注册人数（人）", c.volunteers as f64, &count),
        ("组织活动（次）", c.activities as f64, &count),
        ("服务信用时数", in_hours(c.credit), &hours),
        ("荣誉时数", in_hours(c.honor), &hours),
        ("合计时数", in_hours(c.credit + c.honor), &hours),
    ];
    for (i, (label, value, format)) in figures.into_iter().enumerate() {
        let (first, last) = (1 + 3 * i as u16, 3 + 3 * i as u16);
        sheet.merge_range(3, first, 3, last, label, &styles.header).map_err(xlsx)?;
        sheet.merge_range(4, first, 4, last, "", format).map_err(xlsx)?;
        sheet.write_number_with_format(4, first, value, format).map_err(xlsx)?;
    }
    sheet.set_row_height(3, 20).map_err(xlsx)?;
    sheet.set_row_height(4, 20).map_err(xlsx)?;
    Ok(())
}

fn team_sheet(sheet: &mut Worksheet, report: &YearReport, cx: &Context<'_>) -> Result<()> {
    let mut columns = vec![
        col("队伍编号", Kind::Code),
        col("队伍名称", Kind::Text),
        col("类型", Kind::Text),
        col("所属单位", Kind::Text),
        col("注册人数", Kind::Count),
    ];
    columns.extend(FIGURE_COLUMNS);
    let title = format!("{}年度党员志愿服务队考核统计表", report.year);
    let mut form = FormSheet::begin(sheet, cx, SHEET_TEAMS, &title, &columns, HEADER_ROW)?;
    let mut cells = Vec::with_capacity(columns.len());
    for team in &report.teams {
        cells.clear();
        cells.push(Cell::Text(Cow::Borrowed(&team.code)));
        cells.push(Cell::Text(Cow::Borrowed(&team.name)));
        cells.push(Cell::Text(Cow::Borrowed(&team.kind)));
        cells.push(Cell::Text(Cow::Borrowed(&team.unit_name)));
        cells.push(Cell::Count(team.figures.registered));
        figure_cells(&team.figures, &mut cells, false);
        form.row(&cells)?;
    }
    let sum = crate::store::report::sum_figures(report.teams.iter().map(|t| &t.figures));
    let mut totals =
        vec![Total::Label("合计"), Total::Blank, Total::Blank, Total::Blank, Total::Sum(sum.registered as f64)];
    figure_totals(&sum, 4, 5, &mut totals, false);
    form.total_row(&totals, Some(TOTAL_ROW_HEIGHT))?;
    form.finish(report.teams.len() as u32)
}

fn activity_sheet(sheet: &mut Worksheet, report: &YearReport, cx: &Context<'_>) -> Result<()> {
    let columns = [
        col("活动编号", Kind::Code),
        col("活动名称", Kind::Text),
        col("组织队伍", Kind::Text),
        col("所属单位", Kind::Text),
        col("服务类别", Kind::Text),
        col("服务方式", Kind::Text),
        col("开始时间", Kind::Code),
        col("结束时间", Kind::Code),
        col("招募人数", Kind::Count),
        col("报名人数", Kind::Count),
        col("候补人数", Kind::Count),
        col("签到人数", Kind::Count),
        col("信用时数", Kind::Hours),
        col("荣誉时数", Kind::Hours),
        col("总时数", Kind::Hours),
    ];
    let title = format!("{}年度党员志愿服务活动统计表", report.year);
    let mut form = FormSheet::begin(sheet, cx, SHEET_ACTIVITIES, &title, &columns, HEADER_ROW)?;
    let mut cells = Vec::with_capacity(columns.len());
    for a in &report.activities {
        cells.clear();
        cells.push(Cell::Text(Cow::Borrowed(&a.code)));
        cells.push(Cell::Text(Cow::Borrowed(&a.name)));
        cells.push(Cell::Text(Cow::Borrowed(&a.team_name)));
        cells.push(Cell::Text(Cow::Borrowed(&a.unit_name)));
        cells.push(Cell::Text(Cow::Borrowed(&a.category)));
        cells.push(Cell::Text(Cow::Borrowed(&a.mode)));
        cells.push(Cell::Text(Cow::Borrowed(&a.starts_at)));
        cells.push(Cell::Text(Cow::Borrowed(&a.ends_at)));
        cells.push(a.capacity.map_or(Cell::Text(Cow::Borrowed("不限")), Cell::Count));
        cells.push(Cell::Count(a.signed_up));
        cells.push(Cell::Count(a.waiting));
        cells.push(Cell::Count(a.attended));
        cells.push(Cell::Hours(a.hours.credit));
        cells.push(Cell::Hours(a.hours.honor));
        cells.push(Cell::Hours(a.hours.total()));
        form.row(&cells)?;
    }
    let sum =
        |f: fn(&crate::store::report::ActivityFigures) -> i64| report.activities.iter().map(f).sum::<i64>() as f64;
    let hours: Hours = Hours {
        credit: report.activities.iter().map(|a| a.hours.credit).sum(),
        honor: report.activities.iter().map(|a| a.hours.honor).sum(),
    };
    let mut totals: Vec<Total> = vec![Total::Label("合计")];
    totals.extend((0..7).map(|_| Total::Blank));
    totals.extend([
        Total::Sum(sum(|a| a.capacity.unwrap_or(0))),
        Total::Sum(sum(|a| a.signed_up)),
        Total::Sum(sum(|a| a.waiting)),
        Total::Sum(sum(|a| a.attended)),
        Total::Sum(in_hours(hours.credit)),
        Total::Sum(in_hours(hours.honor)),
        Total::Sum(in_hours(hours.total())),
    ]);
    form.total_row(&totals, Some(TOTAL_ROW_HEIGHT))?;
    form.finish(report.activities.len() as u32)
}

fn volunteer_sheet(sheet: &mut Worksheet, report: &YearReport, cx: &Context<'_>) -> Result<()> {
    let columns = [
        col("序号", Kind::Count),
        col("志愿者编号", Kind::Code),
        col("姓名", Kind::Text),
        col("性别", Kind::Text),
        col("所属单位", Kind::Text),
        col("服务队", Kind::Text),
        col("身份证号", Kind::Code),
        col("手机号", Kind::Code),
        col("信用时数", Kind::Hours),
        col("荣誉时数", Kind::Hours),
        col("总时数", Kind::Hours),
        col("是否达标", Kind::Text),
    ];
    let title = format!("{}年度党员志愿者服务时数统计表", report.year);
    let mut form = FormSheet::begin(sheet, cx, SHEET_VOLUNTEERS, &title, &columns, HEADER_ROW)?;
    let mut cells = Vec::with_capacity(columns.len());
    let mut hours = Hours::default();
    for (n, v) in report.volunteers.iter().enumerate() {
        cells.clear();
        cells.push(Cell::Count(n as i64 + 1));
        cells.push(Cell::Text(Cow::Borrowed(&v.code)));
        cells.push(Cell::Text(Cow::Borrowed(&v.name)));
        cells.push(Cell::Text(Cow::Borrowed(&v.gender)));
        cells.push(Cell::Text(Cow::Borrowed(&v.unit_name)));
        cells.push(Cell::Text(Cow::Borrowed(&v.team_name)));
        cells.push(Cell::Text(Cow::Borrowed(&v.id_masked)));
        cells.push(Cell::Text(Cow::Borrowed(&v.phone_masked)));
        cells.push(Cell::Hours(v.hours.credit));
        cells.push(Cell::Hours(v.hours.honor));
        cells.push(Cell::Hours(v.hours.total()));
        cells.push(Cell::Text(Cow::Borrowed(if v.hours.total() >= report.threshold { "是" } else { "否" })));
        form.row(&cells)?;
        hours.credit += v.hours.credit;
        hours.honor += v.hours.honor;
    }
    let mut totals: Vec<Total> = vec![Total::Blank, Total::Label("合计")];
    totals.extend((0..6).map(|_| Total::Blank));
    totals.extend([
        Total::Sum(in_hours(hours.credit)),
        Total::Sum(in_hours(hours.honor)),
        Total::Sum(in_hours(hours.total())),
        Total::Blank,
    ]);
    // No height of its own for this 合计: rust_xlsxwriter 0.102 writes the last row of a
    // constant-memory sheet twice when it has one, which Excel calls a damaged file.
    form.total_row(&totals, None)?;
    form.finish(report.volunteers.len() as u32)
}

fn july_sheet(sheet: &mut Worksheet, report: &YearReport, cx: &Context<'_>) -> Result<()> {
    let columns = [
        col("单位", Kind::Text),
        col("集中服务", Kind::Count),
        col("分散服务", Kind::Count),
        col("活动次数", Kind::Count),
        col("参与人数", Kind::Count),
        col("信用时数", Kind::Hours),
        col("荣誉时数", Kind::Hours),
        col("总时数", Kind::Hours),
    ];
    let title = format!("{}年党员志愿服务活动月（7月）统计表", report.year);
    let mut form = FormSheet::begin(sheet, cx, SHEET_JULY, &title, &columns, HEADER_ROW)?;
    let mut order: Vec<&crate::store::report::JulyFigures> = report.july.iter().collect();
    order.sort_by(|a, b| {
        (b.concentrated + b.dispersed, b.hours.total()).cmp(&(a.concentrated + a.dispersed, a.hours.total()))
    });
    let mut cells = Vec::with_capacity(columns.len());
    let mut sum = crate::store::report::JulyFigures::default();
    for unit in order {
        cells.clear();
        cells.push(Cell::Text(Cow::Borrowed(&unit.name)));
        cells.push(Cell::Count(unit.concentrated));
        cells.push(Cell::Count(unit.dispersed));
        cells.push(Cell::Count(unit.concentrated + unit.dispersed));
        cells.push(Cell::Count(unit.participants));
        cells.push(Cell::Hours(unit.hours.credit));
        cells.push(Cell::Hours(unit.hours.honor));
        cells.push(Cell::Hours(unit.hours.total()));
        form.row(&cells)?;
        sum.concentrated += unit.concentrated;
        sum.dispersed += unit.dispersed;
        sum.participants += unit.participants;
        sum.hours.credit += unit.hours.credit;
        sum.hours.honor += unit.hours.honor;
    }
    form.total_row(
        &[
            Total::Label("合计"),
            Total::Sum(sum.concentrated as f64),
            Total::Sum(sum.dispersed as f64),
            Total::Sum((sum.concentrated + sum.dispersed) as f64),
            Total::Sum(sum.participants as f64),
            Total::Sum(in_hours(sum.hours.credit)),
            Total::Sum(in_hours(sum.hours.honor)),
            Total::Sum(in_hours(sum.hours.total())),
        ],
        Some(TOTAL_ROW_HEIGHT),
    )?;
    form.finish(report.july.len() as u32)
}

fn contest_sheet(sheet: &mut Worksheet, year: i32, contest: &[UnitContest], cx: &Context<'_>) -> Result<()> {
    let columns = [
        col("单位", Kind::Text),
        col(CONTEST_CATEGORIES[0], Kind::Count),
        col(CONTEST_CATEGORIES[1], Kind::Count),
        col("作品合计", Kind::Count),
        col(AWARD_TIERS[0], Kind::Count),
        col(AWARD_TIERS[1], Kind::Count),
        col(AWARD_TIERS[2], Kind::Count),
        col("获奖合计", Kind::Count),
    ];
    let title = format!("{year}年度「好家风·好家训」征集评选统计表");
    let mut form = FormSheet::begin(sheet, cx, SHEET_CONTEST, &title, &columns, HEADER_ROW)?;
    let mut cells = Vec::with_capacity(columns.len());
    let mut sums = [0i64; 8];
    for unit in contest {
        let values = [
            unit.works[0],
            unit.works[1],
            unit.works.iter().sum(),
            unit.awards[0],
            unit.awards[1],
            unit.awards[2],
            unit.awards.iter().sum(),
        ];
        cells.clear();
        cells.push(Cell::Text(Cow::Borrowed(&unit.name)));
        cells.extend(values.iter().map(|v| Cell::Count(*v)));
        for (sum, v) in sums.iter_mut().zip(values) {
            *sum += v;
        }
        form.row(&cells)?;
    }
    let mut totals = vec![Total::Label("合计")];
    totals.extend(sums.iter().take(7).map(|s| Total::Sum(*s as f64)));
    form.total_row(&totals, Some(TOTAL_ROW_HEIGHT))?;
    form.finish(contest.len() as u32)
}

/// Hours by month (line) and by unit (bar), with the small tables they are drawn from, and the
/// hours by service category.
fn chart_sheet(sheet: &mut Worksheet, report: &YearReport, cx: &Context<'_>) -> Result<()> {
    let (styles, line) = (&cx.styles, cx.line.as_str());
    sheet.set_name(SHEET_CHARTS).map_err(xlsx)?;
    let title = format!("{}年度党员志愿服务时数图表", report.year);
    sheet.merge_range(0, 0, 0, 14, &title, &styles.title).map_err(xlsx)?;
    sheet.set_row_height(0, 32).map_err(xlsx)?;
    sheet.merge_range(1, 0, 1, 14, line, &styles.info).map_err(xlsx)?;
    let months: Vec<(String, Hours)> =
        report.months.iter().enumerate().map(|(m, h)| (format!("{}月", m + 1), *h)).collect();
    let mut name_width = hours_table(sheet, styles, HEADER_ROW, "月份", &months)?;
    let unit_header = UNIT_HEADER_ROW;
    let mut units: Vec<_> = report.units.iter().collect();
    units.sort_by_key(|u| std::cmp::Reverse(u.figures.hours.total()));
    let units: Vec<(String, Hours)> = units.iter().map(|u| (u.name.clone(), u.figures.hours)).collect();
    name_width = name_width.max(hours_table(sheet, styles, unit_header, "单位", &units)?);
    let categories: Vec<(String, Hours)> = report.categories.iter().map(|c| (c.category.clone(), c.hours)).collect();
    let category_header = unit_header + units.len() as u32 + 2;
    name_width = name_width.max(hours_table(sheet, styles, category_header, "服务类别", &categories)?);
    let name_column = name_width + 2.0;
    sheet.set_column_width(0, name_column).map_err(xlsx)?;
    sheet.set_column_range_width(1, 3, HOURS_COLUMN).map_err(xlsx)?;
    // The columns under the charts, as wide in every program (LibreOffice's default is wider
    // than Excel's, which stretched the charts past the page).
    sheet.set_column_range_width(4, CHART_COLUMN + CHART_COLUMNS, DEFAULT_COLUMN_WIDTH).map_err(xlsx)?;

    let months = (HEADER_ROW + 1, HEADER_ROW + 12);
    let mut by_month = Chart::new(ChartType::Line);
    by_month.title().set_name("各月服务时数");
    for (c, name) in [(1u16, "信用时数"), (2, "荣誉时数"), (3, "总时数")] {
        by_month.add_series().set_name(name).set_categories((SHEET_CHARTS, months.0, 0, months.1, 0)).set_values((
            SHEET_CHARTS,
            months.0,
            c,
            months.1,
            c,
        ));
    }
    let busiest_month = report.months.iter().map(|h| h.total()).max().unwrap_or_default();
    by_month.y_axis().set_name("小时").set_num_format("0").set_major_unit(hour_step(busiest_month));
    by_month.set_width(CHART_WIDTH).set_height(MONTH_CHART_HEIGHT);
    sheet.insert_chart(HEADER_ROW, CHART_COLUMN, &by_month).map_err(xlsx)?;

    let last_unit = unit_header + units.len().max(1) as u32;
    let mut by_unit = Chart::new(ChartType::BarStacked);
    by_unit.title().set_name("各单位服务时数");
    for (c, name) in [(1u16, "信用时数"), (2, "荣誉时数")] {
        by_unit
            .add_series()
            .set_name(name)
            .set_categories((SHEET_CHARTS, unit_header + 1, 0, last_unit, 0))
            .set_values((SHEET_CHARTS, unit_header + 1, c, last_unit, c));
    }
    let busiest_unit = units.iter().map(|(_, h)| h.total()).max().unwrap_or_default();
    by_unit.x_axis().set_name("小时").set_num_format("0").set_major_unit(hour_step(busiest_unit));
    // The largest unit on top.
    by_unit.y_axis().set_reverse().set_label_interval(1).set_font(ChartFont::new().set_size(8));
    let unit_chart_height = unit_chart_height(units.len());
    by_unit.set_width(CHART_WIDTH).set_height(unit_chart_height);
    // Beside its table, at the top of a page of its own.
    sheet.insert_chart(unit_header, CHART_COLUMN, &by_unit).map_err(xlsx)?;
    print_setup(sheet, None)?;
    sheet.set_page_breaks(&[unit_header]).map_err(xlsx)?;
    sheet.set_print_scale(chart_print_scale(name_column, unit_chart_height));
    Ok(())
}

/// The 图表 sheet's layout. Each chart starts a page (the month chart the first, the unit chart
/// the second, by a page break) and the print scale makes the sheet as wide as the page and
/// each chart no taller than it: fitted to the width alone, a tall unit chart ran across two.
const CHART_COLUMN: u16 = 5;
/// The unit table's header row: the month table (13 rows) and a blank row above it.
const UNIT_HEADER_ROW: u32 = HEADER_ROW + 14;
/// Twelve default columns.
const CHART_COLUMNS: u16 = 12;
const CHART_WIDTH: u32 = 64 * CHART_COLUMNS as u32;
/// Down to the unit table, so the page break above it never cuts the month chart.
const MONTH_CHART_HEIGHT: u32 = 20 * (UNIT_HEADER_ROW - HEADER_ROW);
const HOURS_COLUMN: f64 = 9.0;
/// Excel's default column width, in characters.
const DEFAULT_COLUMN_WIDTH: f64 = 8.43;
/// A4 landscape inside [`print_setup`]'s margins (0.5 in left and right, 0.6 in top and
/// bottom), in pixels at 96 per inch, as charts are sized; 5 % kept for the rounding of row
/// heights and column widths a program makes.
const PAGE_WIDTH_PX: f64 = (11.69 - 1.0) * 96.0 * 0.95;
const PAGE_HEIGHT_PX: f64 = (8.27 - 1.2) * 96.0 * 0.95;
/// The title row's 32 points and every other row's default 15, in pixels.
const TITLE_PX: f64 = 32.0 * 4.0 / 3.0;
const ROW_PX: f64 = 20.0;

/// A bar per unit: 14 pixels keeps the 8-point names apart.
fn unit_chart_height(units: usize) -> u32 {
    (14 * units as u32 + 120).max(MONTH_CHART_HEIGHT)
}

/// A column's width in pixels, as Excel draws the default font (7 per character, 5 padding).
fn column_px(width: f64) -> f64 {
    (width * 7.0).round() + 5.0
}

/// The print scale in per cent (10–100) at which the 图表 sheet is as wide as the page, and
/// the first page (down to the unit table) and the unit chart each no taller.
fn chart_print_scale(name_column: f64, unit_chart_height: u32) -> u16 {
    let width = column_px(name_column)
        + 3.0 * column_px(HOURS_COLUMN)
        + column_px(DEFAULT_COLUMN_WIDTH)
        + f64::from(CHART_WIDTH);
    let above = |row: u32| TITLE_PX + ROW_PX * f64::from(row - 1);
    let first_page = above(UNIT_HEADER_ROW).max(above(HEADER_ROW) + f64::from(MONTH_CHART_HEIGHT));
    let fits = [PAGE_WIDTH_PX / width, PAGE_HEIGHT_PX / first_page, PAGE_HEIGHT_PX / f64::from(unit_chart_height)];
    let scale = fits.into_iter().fold(1.0, f64::min);
    (scale * 100.0).floor().clamp(10.0, 100.0) as u16
}

/// An hours axis's step in whole hours (1, 2, 5, 10, 20, 50 …) giving at most ten steps up to
/// `largest`.
fn hour_step(largest: Minutes) -> f64 {
    let hours = (largest.0.max(60) as f64 / 60.0).ceil();
    let mut step = 1.0;
    for factor in [2.0, 2.5, 2.0].into_iter().cycle() {
        if hours / step <= 10.0 {
            break;
        }
        step *= factor;
    }
    step
}

/// A header and rows of name, credit, honour and total hours from `header_row`; the widest
/// name.
fn hours_table(
    sheet: &mut Worksheet,
    styles: &Styles,
    header_row: u32,
    first: &'static str,
    rows: &[(String, Hours)],
) -> Result<f64> {
    for (c, h) in [first, "信用时数", "荣誉时数", "总时数"].iter().enumerate() {
        sheet.write_string_with_format(header_row, c as u16, *h, &styles.header).map_err(xlsx)?;
    }
    let mut width = 0.0_f64;
    for (i, (name, hours)) in rows.iter().enumerate() {
        let row = header_row + 1 + i as u32;
        width = width.max(display_width(name));
        sheet.write_string_with_format(row, 0, name, &styles.text).map_err(xlsx)?;
        for (c, m) in [hours.credit, hours.honor, hours.total()].into_iter().enumerate() {
            sheet.write_number_with_format(row, 1 + c as u16, in_hours(m), &styles.hours).map_err(xlsx)?;
        }
    }
    Ok(width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_chart_prints_on_one_page_as_wide_as_the_sheet() {
        // A short name column, the demo's 52 units with long names, and a city of 400.
        for (name_column, units) in [(8.0, 1), (30.0, 52), (42.0, 400)] {
            let height = unit_chart_height(units);
            let scale = f64::from(chart_print_scale(name_column, height)) / 100.0;
            assert!(f64::from(height) * scale <= PAGE_HEIGHT_PX, "{units} units: the unit chart on one page");
            let month_chart_bottom = TITLE_PX + ROW_PX * f64::from(HEADER_ROW - 1) + f64::from(MONTH_CHART_HEIGHT);
            let unit_table_top = TITLE_PX + ROW_PX * f64::from(UNIT_HEADER_ROW - 1);
            assert!(month_chart_bottom <= unit_table_top, "the break above the unit table is below the month chart");
            assert!(month_chart_bottom * scale <= PAGE_HEIGHT_PX, "the month chart on the first page");
            let width =
                column_px(name_column) + 3.0 * column_px(HOURS_COLUMN) + column_px(DEFAULT_COLUMN_WIDTH) + 768.0;
            assert!(width * scale <= PAGE_WIDTH_PX, "{units} units: one page wide");
        }
        let demo = unit_chart_height(52);
        assert!(f64::from(chart_print_scale(30.0, demo)) >= 70.0, "still readable");
    }

    #[test]
    fn time_axes_step_in_whole_hours() {
        let step_in_hours = |hours: i64| hour_step(Minutes(hours * 60)).round() as i64;
        assert_eq!(step_in_hours(0), 1);
        assert_eq!(step_in_hours(9), 1);
        assert_eq!(step_in_hours(45), 5);
        assert_eq!(step_in_hours(120), 20);
        assert_eq!(step_in_hours(1_000), 100);
        assert_eq!(step_in_hours(1_001), 200);
    }

    #[test]
    fn a_writer_panic_on_a_full_disk_is_the_file_error() {
        let path = Path::new("考核.xlsx");
        let full = writer_panics_as_errors(path, || -> Result<()> {
            // What rust_xlsxwriter's XML writer does with a failed write.
            full_disk_write().expect("Couldn't write to xml file");
            Ok(())
        });
        let text = full.expect_err("an error").to_string();
        assert!(text.contains("磁盘空间已满") && text.contains("考核.xlsx"), "{text}");
        assert_eq!(writer_panics_as_errors(path, || Ok(7)).expect("no panic"), 7);
    }

    fn full_disk_write() -> std::io::Result<()> {
        Err(std::io::Error::from_raw_os_error(27))
    }

    #[test]
    fn any_other_panic_goes_on() {
        let bug = std::panic::catch_unwind(|| {
            writer_panics_as_errors(Path::new("x.xlsx"), || -> Result<()> { panic!("a bug") })
        });
        assert!(bug.is_err());
    }
}
