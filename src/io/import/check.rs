//! The checking engine: runs each sheet's row parser over its rows, in two passes (first
//! every sheet declares its keys, so a row may refer to a row further down or on another
//! sheet; then every row is checked), counts new / unchanged / bad rows and collects every
//! issue. Used by the preview and again inside the import's transaction.

use crate::store::volunteers::Holder;
use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;

use super::hours::Hours;
use super::read::RawSheet;
use super::row::RowReader;
use super::{ImportIssue, ImportReading, ImportSummary, Issues, Progress, SheetCounts, Stage, parsers};
use crate::domain::TeamKind;
use crate::error::Result;
use crate::io::sheets::SheetSpec;
use crate::store::import::Existing;
use crate::store::sealing::DataKey;

/// What checking one row concluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Not in the database yet: to be written.
    New,
    /// Already in the database with the same content: skipped.
    Unchanged,
    /// Bad (the reasons are in the row's issues, or in the sheet's header issues).
    Invalid,
}

/// A sheet's row parser: how one sheet of formats.md becomes rows of the database.
///
/// To import a new sheet, implement this for it and list it in `parsers::all()`.
pub(crate) trait SheetParser {
    fn spec(&self) -> &'static SheetSpec;

    /// First pass: record in `ctx` the keys this row offers to other rows (a 队伍编号, a
    /// 单位名称), without reporting anything.
    fn declare(&mut self, _row: &RowReader<'_>, _ctx: &mut Context<'_>) {}

    /// Whether its rows name volunteers of the workbook (through `refs::volunteer`).
    fn refers_to_volunteers(&self) -> bool {
        false
    }

    /// Second pass: check every cell (reporting each bad one on `row`), compare with the
    /// database, and keep the row if it is new. `Err` only when the database fails.
    fn check(&mut self, row: &mut RowReader<'_>, ctx: &mut Context<'_>) -> Result<Verdict>;

    /// Writes the rows kept as new, inside the import's transaction; returns how many.
    fn write(&self, conn: &Connection, ctx: &Context<'_>, tick: &dyn Fn()) -> Result<usize>;

    /// What the preview should say about how this sheet's rows were read.
    fn notes(&self) -> Vec<String> {
        Vec::new()
    }
}

/// A team declared by a row of the workbook.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DeclaredTeam {
    /// `None` when the row's 类型 is not valid (that row reports it).
    pub kind: Option<TeamKind>,
}

/// An activity declared by a row of the workbook.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DeclaredActivity {
    /// Start and end, `None` when the row's times are not valid (that row reports it).
    pub window: Option<(NaiveDateTime, NaiveDateTime)>,
}

/// What the parsers share: the time of the import, the database (a snapshot of its registry,
/// and the connection for a volunteer's hours, queried when first needed), the keys the
/// workbook declares (with the row that declares each, for messages), and the hours the
/// workbook's rows add so far.
pub(crate) struct Context<'c> {
    pub conn: &'c Connection,
    pub today: NaiveDate,
    pub now: NaiveDateTime,
    pub db: Existing,
    pub units: HashMap<String, u32>,
    pub teams: HashMap<String, DeclaredTeam>,
    pub volunteer_codes: HashMap<Box<str>, u32>,
    /// 志愿者编号 → 身份证号 of the workbook's volunteers, and every 身份证号 there (a row
    /// with an empty 编号 gets one only when written, so hours name such people by ID).
    pub volunteer_id_numbers: HashMap<String, String>,
    pub workbook_id_numbers: HashMap<String, u32>,
    /// Whether a sheet refers to volunteers by 编号 or 身份证号 (签到记录, 荣誉时数): only then
    /// are the two maps above filled (half a million rows of a roster alone need neither).
    pub keep_volunteer_refs: bool,
    pub activities: HashMap<String, DeclaredActivity>,
    pub hours: Hours,
    /// Whether a row whose ID is registered may name the holder (issue #26).
    pub holder: Holder,
    /// Rows that found a registered volunteer by 身份证号: logged with every preview.
    pub matched_by_id: std::cell::Cell<usize>,
}

impl Context<'_> {
    pub fn unit_exists(&self, name: &str) -> bool {
        self.units.contains_key(name) || self.db.units.contains_key(name)
    }
}

pub(crate) struct Checked<'c> {
    pub counts: Vec<SheetCounts>,
    pub issues: Issues,
    /// Cells written otherwise than typed, for the preview (the first [`super::LISTED_ERRORS`]).
    pub read_as: Vec<ImportReading>,
    pub notes: Vec<String>,
    /// Rows that found a registered volunteer by 身份证号.
    pub matched_by_id: usize,
    parsers: Vec<(Box<dyn SheetParser>, usize)>,
    ctx: Context<'c>,
}

pub(crate) fn check<'c>(
    conn: &'c Connection,
    key: DataKey,
    sheets: &[RawSheet],
    now: NaiveDateTime,
    holder: Holder,
    progress: &Progress,
) -> Result<Checked<'c>> {
    let mut ctx = Context {
        conn,
        today: now.date(),
        now,
        db: Existing::load(conn, key)?,
        units: HashMap::new(),
        teams: HashMap::new(),
        volunteer_codes: HashMap::new(),
        volunteer_id_numbers: HashMap::new(),
        workbook_id_numbers: HashMap::new(),
        keep_volunteer_refs: false,
        activities: HashMap::new(),
        hours: Hours::default(),
        holder,
        matched_by_id: std::cell::Cell::new(0),
    };
    let mut issues = Issues::default();
    let mut read_as = Vec::new();

    // Pair every sheet with its parser; a known sheet nobody parses yet must be empty.
    let mut parsers_for_sheets: Vec<(Box<dyn SheetParser>, &RawSheet)> = Vec::new();
    let mut unsupported: Vec<ImportIssue> = Vec::new();
    let mut available = parsers::all();
    for sheet in sheets {
        match available.iter().position(|p| p.spec().name == sheet.spec.name) {
            Some(index) => parsers_for_sheets.push((available.swap_remove(index), sheet)),
            None if sheet.rows.is_empty() => {}
            None => unsupported.push(ImportIssue {
                sheet: sheet.name.clone(),
                row: None,
                column: None,
                reason: format!(
                    "本程序暂不能导入“{}”工作表（有 {} 行数据），请删除该工作表或清空后再导入",
                    sheet.spec.name,
                    sheet.rows.len()
                ),
            }),
        }
    }

    ctx.keep_volunteer_refs = parsers_for_sheets.iter().any(|(parser, _)| parser.refers_to_volunteers());
    for (parser, sheet) in &mut parsers_for_sheets {
        for row in &sheet.rows {
            parser.declare(&RowReader::new(sheet, row), &mut ctx);
        }
    }

    progress.start(Stage::Checking, sheets.iter().map(|s| s.rows.len()).sum());
    let mut counts = Vec::new();
    for (parser, sheet) in &mut parsers_for_sheets {
        let mut sheet_counts = SheetCounts { sheet: sheet.spec.name, new: 0, unchanged: 0, errors: 0 };
        issues.extend(sheet.header_issues.iter().cloned());
        for row in &sheet.rows {
            let mut reader = RowReader::new(sheet, row);
            reader.check_cells();
            let verdict = parser.check(&mut reader, &mut ctx)?;
            // Shown in the preview: the first ones are enough to see how a column was read.
            let room = super::LISTED_ERRORS.saturating_sub(read_as.len());
            read_as.extend(reader.take_read_as().into_iter().take(room).map(|(column, typed, written)| {
                ImportReading { sheet: sheet.name.clone(), row: row.excel_row, column, typed, written }
            }));
            if reader.has_issues() || verdict == Verdict::Invalid {
                sheet_counts.errors += 1;
            } else if verdict == Verdict::New {
                sheet_counts.new += 1;
            } else {
                sheet_counts.unchanged += 1;
            }
            issues.extend(reader.into_issues().into_iter().map(|(column, reason)| ImportIssue {
                sheet: sheet.name.clone(),
                row: Some(row.excel_row),
                column: Some(column),
                reason,
            }));
            progress.tick();
        }
        counts.push(sheet_counts);
    }
    issues.extend(unsupported);

    let notes = parsers_for_sheets.iter().flat_map(|(parser, _)| parser.notes()).collect();
    let parsers =
        parsers_for_sheets.into_iter().zip(&counts).map(|((parser, _), counts)| (parser, counts.new)).collect();
    Ok(Checked { counts, issues, read_as, notes, matched_by_id: ctx.matched_by_id.get(), parsers, ctx })
}

impl Checked<'_> {
    /// Writes every parser's new rows, in sheet order (units before the teams that name them).
    pub fn write(self, conn: &Connection, progress: &Progress) -> Result<ImportSummary> {
        progress.start(Stage::Writing, self.parsers.iter().map(|(_, new)| new).sum());
        let tick = || progress.tick();
        let mut sheets = Vec::new();
        for ((parser, _), counts) in self.parsers.iter().zip(&self.counts) {
            let written = parser.write(conn, &self.ctx, &tick)?;
            sheets.push(SheetCounts { new: written, errors: 0, ..counts.clone() });
        }
        Ok(ImportSummary { sheets })
    }
}
