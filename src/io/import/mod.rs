//! The workbook importer (formats.md, "The import workbook"): reads every known sheet of a
//! workbook, checks every row of every sheet against the workbook itself and the database,
//! and writes all new rows in one transaction, or nothing.
//!
//! Two steps, so the window can show a preview and ask before writing:
//!
//! ```no_run
//! # fn demo(store: &mut volunteer_desk::store::Store) -> volunteer_desk::Result<()> {
//! use volunteer_desk::io::import::{Progress, apply, preview};
//! let progress = Progress::new();
//! let plan = preview(store, "名单.xlsx".as_ref(), &progress)?;
//! for counts in plan.counts() { println!("{counts}"); }
//! for issue in plan.errors() { println!("{issue}"); }   // 志愿者 第5行 身份证号: …
//! if plan.is_ok() {
//!     let summary = apply(store, &plan, &progress)?;
//!     println!("{summary}");
//! }
//! # Ok(()) }
//! ```
//!
//! Both calls may run on a worker thread (`ImportPlan` is `Send`); share the [`Progress`] in
//! an `Arc` to draw a progress bar. Adding a sheet (作品, 评委 …) means adding its row parser
//! to `parsers` (its columns are already in `io::sheets`); the reader does not change.

mod check;
mod hours;
mod parsers;
mod read;
mod row;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

use chrono::{NaiveDate, NaiveDateTime};

use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::volunteers::Holder;

/// Where a long import is, for a progress bar. Shared with the worker in an `Arc`; all
/// updates are relaxed atomics, cheap enough to bump once a row.
#[derive(Debug, Default)]
pub struct Progress {
    stage: AtomicU8,
    done: AtomicUsize,
    total: AtomicUsize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Idle,
    /// Reading the file; calamine reads a sheet at once, so there is no count here.
    Reading,
    /// Checking rows: `done` of `total` rows.
    Checking,
    /// Writing new rows: `done` of `total`.
    Writing,
    Finished,
}

impl Stage {
    const ALL: [Stage; 5] = [Stage::Idle, Stage::Reading, Stage::Checking, Stage::Writing, Stage::Finished];

    /// The words under the progress bar.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Idle => "等待开始",
            Stage::Reading => "正在读取文件",
            Stage::Checking => "正在检查数据",
            Stage::Writing => "正在写入数据库",
            Stage::Finished => "完成",
        }
    }
}

impl Progress {
    pub fn new() -> Progress {
        Progress::default()
    }

    pub fn stage(&self) -> Stage {
        let index = usize::from(self.stage.load(Ordering::Relaxed));
        Stage::ALL.get(index).copied().unwrap_or(Stage::Idle)
    }

    /// Rows done and the total of the current stage.
    pub fn counts(&self) -> (usize, usize) {
        (self.done.load(Ordering::Relaxed), self.total.load(Ordering::Relaxed))
    }

    /// The share of the current stage done, or `None` while it cannot be told (reading).
    pub fn fraction(&self) -> Option<f32> {
        let (done, total) = self.counts();
        (total > 0).then(|| (done as f32 / total as f32).min(1.0))
    }

    fn start(&self, stage: Stage, total: usize) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
        let index = Stage::ALL.iter().position(|s| *s == stage).unwrap_or(0);
        self.stage.store(u8::try_from(index).unwrap_or(0), Ordering::Relaxed);
    }

    fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }
}

/// One refusal, located as staff find it in their workbook: `工作表 第N行 列名: 原因`, with N
/// the Excel row number (the header is row 1) and the sheet and column named as the file
/// names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportIssue {
    pub sheet: String,
    pub row: Option<u32>,
    pub column: Option<String>,
    pub reason: String,
}

impl fmt::Display for ImportIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.row, &self.column) {
            (Some(row), Some(column)) => write!(f, "{} 第{row}行 {column}: {}", self.sheet, self.reason),
            (Some(row), None) => write!(f, "{} 第{row}行: {}", self.sheet, self.reason),
            (None, Some(column)) => write!(f, "{} {column}: {}", self.sheet, self.reason),
            (None, None) => write!(f, "{}: {}", self.sheet, self.reason),
        }
    }
}

/// How many errors a plan lists; the others are counted (formats.md: `另有 N 处错误`).
pub const LISTED_ERRORS: usize = 1000;

/// Every error counted, the first [`LISTED_ERRORS`] kept: a workbook of a million bad rows
/// must not hold (or print) a million messages.
#[derive(Debug, Default)]
pub(crate) struct Issues {
    listed: Vec<ImportIssue>,
    more: usize,
    /// Every error counted by its sheet, listed or not, so the preview's counts add up.
    per_sheet: std::collections::HashMap<String, usize>,
}

impl Issues {
    pub fn push(&mut self, issue: ImportIssue) {
        *self.per_sheet.entry(issue.sheet.clone()).or_default() += 1;
        if self.listed.len() < LISTED_ERRORS {
            self.listed.push(issue);
        } else {
            self.more += 1;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }

    pub fn total(&self) -> usize {
        self.listed.len() + self.more
    }

    /// Moves `other`'s errors after these, its unlisted ones counted.
    fn append(&mut self, other: Issues) {
        for (sheet, n) in other.per_sheet {
            *self.per_sheet.entry(sheet).or_default() += n;
        }
        for issue in other.listed {
            if self.listed.len() < LISTED_ERRORS {
                self.listed.push(issue);
            } else {
                self.more += 1;
            }
        }
        self.more += other.more;
    }
}

impl Extend<ImportIssue> for Issues {
    fn extend<I: IntoIterator<Item = ImportIssue>>(&mut self, issues: I) {
        for issue in issues {
            self.push(issue);
        }
    }
}

/// A cell the import writes otherwise than typed (`党员` as `中共党员`, a bare 招募截止 date as
/// its last minute), shown in the preview beside the cell as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReading {
    pub sheet: String,
    pub row: u32,
    pub column: String,
    pub typed: String,
    pub written: String,
}

/// Per sheet: rows that would be (or were) added, rows already in the database with the same
/// content, and rows with at least one error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetCounts {
    /// The sheet's name in formats.md (单位, 服务队, 志愿者 …).
    pub sheet: &'static str,
    pub new: usize,
    pub unchanged: usize,
    pub errors: usize,
}

impl fmt::Display for SheetCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}：新增 {} 条，未变 {} 条", self.sheet, self.new, self.unchanged)?;
        if self.errors > 0 {
            write!(f, "，有错误 {} 条", self.errors)?;
        }
        Ok(())
    }
}

/// What importing a workbook would do: the counts, every error, and the rows read (kept so
/// that [`apply`] checks them again against the database as it is when writing).
#[derive(Debug)]
pub struct ImportPlan {
    source: PathBuf,
    /// The time of the import: sign-ins after it are in the future, and sessions and grants
    /// are recorded at it.
    now: NaiveDateTime,
    sheets: Vec<read::RawSheet>,
    counts: Vec<SheetCounts>,
    errors: Issues,
    read_as: Vec<ImportReading>,
    /// What the parsers noticed about the rows (judges from bodies that are not units).
    parser_notes: Vec<String>,
    ignored_sheets: Vec<String>,
}

impl ImportPlan {
    pub fn source(&self) -> &Path {
        &self.source
    }

    /// One entry per sheet found in the workbook, in the order they are imported.
    pub fn counts(&self) -> &[SheetCounts] {
        &self.counts
    }

    /// The first [`LISTED_ERRORS`] errors, in sheet and row order. Empty when the workbook
    /// can be imported.
    pub fn errors(&self) -> &[ImportIssue] {
        &self.errors.listed
    }

    /// Every error, those listed and those only counted.
    pub fn error_count(&self) -> usize {
        self.errors.total()
    }

    /// Errors past the first [`LISTED_ERRORS`], counted but not listed.
    pub fn unlisted_errors(&self) -> usize {
        self.errors.more
    }

    /// Sheets whose names the importer does not know (`Sheet1`, `统计`): left alone.
    pub fn ignored_sheets(&self) -> &[String] {
        &self.ignored_sheets
    }

    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// Every cell that will be written otherwise than typed, in sheet and row order.
    pub fn read_as(&self) -> &[ImportReading] {
        &self.read_as
    }

    /// The errors on the sheet formats.md names `sheet` (the file may name it otherwise).
    pub fn errors_in(&self, sheet: &str) -> usize {
        let names: Vec<&str> = self.sheets.iter().filter(|s| s.spec.name == sheet).map(|s| s.name.as_str()).collect();
        names.iter().filter_map(|name| self.errors.per_sheet.get(*name)).sum()
    }

    /// What the preview should say about how the file was read, beside the counts: cells
    /// taken from merged cells, judges from bodies that are not registered units.
    pub fn notes(&self) -> Vec<String> {
        self.sheets
            .iter()
            .filter(|s| s.merged_cells > 0)
            .map(|s| format!("“{}”表有 {} 个单元格在合并单元格内，已按合并的值逐行读取", s.name, s.merged_cells))
            .chain(self.parser_notes.iter().cloned())
            .collect()
    }

    /// Rows that importing would add.
    pub fn new_rows(&self) -> usize {
        self.counts.iter().map(|c| c.new).sum()
    }

    /// The refusal to show when the plan has errors: a first line, then each listed error on
    /// its own line and `另有 N 处错误` for the rest.
    pub fn rejection(&self) -> Option<Error> {
        (!self.errors.is_empty()).then(|| rejection("导入未执行，未写入任何数据。", &self.errors))
    }
}

/// What [`apply`] wrote, per sheet (`errors` is always 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportSummary {
    pub sheets: Vec<SheetCounts>,
}

impl ImportSummary {
    pub fn written(&self) -> usize {
        self.sheets.iter().map(|c| c.new).sum()
    }
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "导入完成，共新增 {} 条。", self.written())?;
        for counts in &self.sheets {
            write!(f, "\n{counts}")?;
        }
        Ok(())
    }
}

/// Reads the workbook at `path` (.xlsx, within `io::untrusted`'s bounds) and checks it
/// against the database, writing nothing. Registration dates left empty default to today.
///
/// `Err` only when the file cannot be read or the database fails; a workbook with bad rows
/// gives a plan whose [`ImportPlan::errors`] lists them.
pub fn preview(store: &Store, path: &Path, progress: &Progress) -> Result<ImportPlan> {
    preview_at(store, path, crate::clock::now(), progress)
}

/// [`preview`] with the date taken as today and the clock at its last minute, so that any
/// time of that day counts as past (for tests and reproducible runs).
pub fn preview_as_of(store: &Store, path: &Path, today: NaiveDate, progress: &Progress) -> Result<ImportPlan> {
    let now = today.and_hms_opt(23, 59, 0).unwrap_or_else(|| today.and_time(chrono::NaiveTime::MIN));
    preview_at(store, path, now, progress)
}

/// [`preview`] with the time of the import given. An import finds people by their ID's keyed
/// index, so it needs this machine to have the data key.
pub fn preview_at(store: &Store, path: &Path, now: NaiveDateTime, progress: &Progress) -> Result<ImportPlan> {
    // A file that may not be written is the first thing to say: no key would help.
    if store.is_read_only_file() {
        return Err(Error::Database {
            path: Some(store.path().to_path_buf()),
            problem: crate::error::DbProblem::ReadOnly,
        });
    }
    // Only who enters data may preview (a 监督 reads but does not import), and every preview
    // is logged with the rows it matched by ID: a workbook of candidate IDs shows (issue #26).
    crate::domain::access::require(store.actor().role, crate::domain::access::Action::EnterData)?;
    let key = store.data_key()?;
    let doing = format!("读取“{}”", path.display());
    crate::io::guard::guarded(&doing, || plan(store, key, path, now, progress))
}

fn plan(
    store: &Store,
    key: crate::store::sealing::DataKey,
    path: &Path,
    now: NaiveDateTime,
    progress: &Progress,
) -> Result<ImportPlan> {
    progress.start(Stage::Reading, 0);
    // A returned ballot is never imported as anything else, whatever its 选票 sheet's rows.
    crate::io::ballot_workbook::refuse_as_import(path)?;
    let workbook = read::read_workbook(path)?;
    let holder = Holder::for_role(store.actor().role);
    let checked = check::check(store.conn(), key, &workbook.sheets, now, holder, progress)?;
    crate::store::audit::record(
        store.conn(),
        store.actor(),
        "导入预览",
        &path.display().to_string(),
        &format!("按身份证号找到已登记的志愿者 {} 行", checked.matched_by_id),
    )?;
    let mut errors = Issues::default();
    errors.extend(workbook.issues);
    errors.append(checked.issues);
    let parser_notes = checked.notes;
    let read_as = checked.read_as;
    if workbook.sheets.is_empty() {
        let known: Vec<&str> = crate::io::sheets::ALL.iter().map(|s| s.name).collect();
        errors.push(ImportIssue {
            sheet: "工作簿".to_string(),
            row: None,
            column: None,
            reason: format!("没有可导入的工作表（工作表名应为 {} 之一）", known.join("、")),
        });
    }
    progress.start(Stage::Finished, 0);
    Ok(ImportPlan {
        source: path.to_path_buf(),
        now,
        sheets: workbook.sheets,
        counts: checked.counts,
        errors,
        read_as,
        parser_notes,
        ignored_sheets: workbook.ignored,
    })
}

/// Writes the plan's new rows in one transaction, or nothing.
///
/// Inside the transaction every row is checked again against the database as it is now;
/// if anything changed since the preview (someone added a volunteer with the same 身份证号,
/// a team was dissolved …) the import is refused and the user previews again.
pub fn apply(store: &mut Store, plan: &ImportPlan, progress: &Progress) -> Result<ImportSummary> {
    crate::domain::access::require(store.actor().role, crate::domain::access::Action::EnterData)?;
    if let Some(refusal) = plan.rejection() {
        return Err(refusal);
    }
    let key = store.data_key()?;
    let doing = format!("导入“{}”", plan.source.display());
    crate::io::guard::guarded(&doing, || write_plan(store, plan, key, progress))
}

fn write_plan(
    store: &mut Store,
    plan: &ImportPlan,
    key: crate::store::sealing::DataKey,
    progress: &Progress,
) -> Result<ImportSummary> {
    let holder = Holder::for_role(store.actor().role);
    let work = |conn: &rusqlite::Connection| {
        let checked = check::check(conn, key, &plan.sheets, plan.now, holder, progress)?;
        if !checked.issues.is_empty() {
            return Err(rejection("数据库在预览之后有改动，重新检查发现以下问题，未写入任何数据。", &checked.issues));
        }
        if checked.counts != plan.counts {
            return Err(Error::rejected(
                "数据库在预览之后有改动，预览的结果已不准确，未写入任何数据。请重新预览后再导入。",
            ));
        }
        checked.write(conn, progress)
    };
    // One audit entry for the workbook, naming what it added, rather than one per row.
    let source = plan.source.display().to_string();
    let summary = store.bulk("导入", &source, work, |summary: &ImportSummary| summary.to_string());
    progress.start(Stage::Finished, 0);
    summary
}

fn rejection(first_line: &str, issues: &Issues) -> Error {
    let mut message = format!("{first_line}共 {} 处错误：", issues.total());
    for issue in &issues.listed {
        message.push('\n');
        message.push_str(&issue.to_string());
    }
    if issues.more > 0 {
        message.push_str(&format!("\n另有 {} 处错误", issues.more));
    }
    Error::rejected(message)
}
