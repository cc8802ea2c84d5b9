//! 电子选票 workbooks (docs/ballot-workbook.md is the contract; other tools fill these):
//! written one per judge for the category's open round, and read back when returned.
//!
//! Sheet 选票: title, judge, instructions, the quota and a live 已选 / 还可选 counter (red over
//! the quota), then a header row 编号 | 标题 | 内容 | 选择 and one row per work. Only 选择
//! can change (a ✓ drop-down); the sheet is otherwise protected and set up for A4.
//! Sheet 封签 (hidden, protected): the round, the judge and the seal, label in A, value in B.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use calamine::{Data, Range};
use rust_xlsxwriter::{
    ConditionalFormatFormula, DataValidation, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet,
    XlsxError,
};

use super::export::{database_of, save_workbook};
use super::untrusted;
use crate::domain::contest::Category;
use crate::error::{Error, Result};
use crate::store::contest::workbooks::{
    BallotReceipt, EXPORTED, IssuedBallot, ReturnedBallot, RoundReturns, UNMARKED, issue_ballots, quoted,
    receive_ballot, round_returns, takes_ballots,
};
use crate::store::{Actor, Store, audit, logged_late};

pub const BALLOT_SHEET: &str = "选票";
pub const SEAL_SHEET: &str = "封签";
/// The mark a vote is: what the drop-down offers. `√` (the Chinese input methods' tick) reads
/// the same.
pub const MARK: &str = "✓";
const MARKS: [&str; 2] = [MARK, "√"];
/// The columns of the ballot sheet's header row, left to right.
pub const COLUMNS: [&str; 4] = ["编号", "标题", "内容", "选择"];
/// 0-based rows of the ballot sheet: the counter cells (column B) and the header row.
const QUOTA_ROW: u32 = 3;
const TICKED_ROW: u32 = 4;
const LEFT_ROW: u32 = 5;
const HEADER_ROW: u32 = 7;
const MARK_COL: u16 = 3;
/// The seal sheet's labels (column A), each with its value in column B.
const SEAL_ROUND: &str = "轮次编号";
const SEAL_JUDGE: &str = "评委编号";
const SEAL_VALUE: &str = "封签";
/// The ballot sheet's rows read back: far more than any round's works.
const BALLOT_ROWS: u32 = 65_536;
/// The ballot sheet's columns a program may have moved 编号 and 选择 into.
const BALLOT_COLUMNS: u32 = 16;

fn xlsx(e: XlsxError) -> Error {
    Error::rejected(format!("写入 Excel 失败：{e}"))
}

/// Writes one ballot workbook per judge who has not voted yet into `dir` (made if missing),
/// each named by category, round and judge; logged with each file's SHA-256, so that a file
/// returned exactly as it went out is known. Returns the files written. Needs the data key,
/// under which the round's secret is sealed.
pub fn export_ballots(store: &Store, category: Category, dir: &Path) -> Result<Vec<PathBuf>> {
    let (conn, actor) = (store.conn(), store.actor());
    let ballots = issue_ballots(conn, actor, &store.ballot_key()?, category)?;
    if ballots.is_empty() {
        return Err(Error::rejected(format!("{}本轮的评委都已投票，没有要发出的电子选票", category.label())));
    }
    fs::create_dir_all(dir).map_err(|source| Error::File { path: dir.to_path_buf(), source })?;
    let database = database_of(conn);
    let mut written = Vec::with_capacity(ballots.len());
    let mut hashes = Vec::with_capacity(ballots.len());
    for ballot in &ballots {
        let path = dir.join(ballot_file_name(ballot));
        save_workbook(&mut ballot_workbook(ballot)?, &path, database.as_deref())?;
        hashes.push(untrusted::sha256_hex(&path)?);
        written.push(path);
    }
    let names: Vec<&str> = ballots.iter().map(|b| b.judge_name.as_str()).collect();
    let detail = format!(
        "{}{}：{} 份（{}）；各份 SHA-256：{}",
        category.label(),
        ballots[0].round_name,
        ballots.len(),
        names.join("、"),
        hashes.join("、")
    );
    audit::record(conn, actor, EXPORTED, &dir.display().to_string(), &detail).map_err(|e| logged_late(dir, e))?;
    Ok(written)
}

/// `家风家训初评选票_张三.xlsx`: characters a file name may not hold become `_`.
fn ballot_file_name(ballot: &IssuedBallot) -> String {
    let name = format!("{}{}选票_{}", ballot.category.label(), ballot.round_name, ballot.judge_name);
    let safe: String = name
        .chars()
        .map(|c| if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') { '_' } else { c })
        .collect();
    format!("{safe}.xlsx")
}

fn ballot_workbook(ballot: &IssuedBallot) -> Result<Workbook> {
    let mut workbook = Workbook::new();
    ballot_sheet(workbook.add_worksheet(), ballot)?;
    seal_sheet(workbook.add_worksheet(), ballot)?;
    Ok(workbook)
}

fn ballot_sheet(sheet: &mut Worksheet, ballot: &IssuedBallot) -> Result<()> {
    sheet.set_name(BALLOT_SHEET).map_err(xlsx)?;
    let last_row = HEADER_ROW + ballot.works.len().max(1) as u32;
    let marks = format!("D{}:D{}", HEADER_ROW + 2, last_row + 1);
    let title = Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let bold = Format::new().set_bold();
    sheet
        .merge_range(
            0,
            0,
            0,
            3,
            &format!("「好家风·好家训」{}{}选票", ballot.category.label(), ballot.round_name),
            &title,
        )
        .map_err(xlsx)?;
    sheet.set_row_height(0, 28).map_err(xlsx)?;
    sheet.merge_range(1, 0, 1, 3, &format!("评委：{}", ballot.judge_name), &bold).map_err(xlsx)?;
    let instructions = format!(
        "请在“选择”列中，从下拉框为要投票的作品选“{MARK}”，其余留空。每张选票最多选 {} 件，超出限选数的选票整张作废。\
         本表只有“选择”列可以修改；请勿增删行或改动作品编号，否则选票不予收回。填好后保存，将本文件交回。",
        ballot.quota
    );
    sheet.merge_range(2, 0, 2, 3, &instructions, &wrap).map_err(xlsx)?;
    sheet.set_row_height(2, 60).map_err(xlsx)?;
    sheet.write_string_with_format(QUOTA_ROW, 0, "每票限选", &bold).map_err(xlsx)?;
    sheet.write_number(QUOTA_ROW, 1, ballot.quota).map_err(xlsx)?;
    sheet.write_string_with_format(TICKED_ROW, 0, "已选", &bold).map_err(xlsx)?;
    sheet
        .write_formula(
            TICKED_ROW,
            1,
            Formula::new(format!("=COUNTIF({marks},\"{MARK}\")+COUNTIF({marks},\"√\")")).set_result("0"),
        )
        .map_err(xlsx)?;
    sheet.write_string_with_format(LEFT_ROW, 0, "还可选", &bold).map_err(xlsx)?;
    sheet.write_formula(LEFT_ROW, 1, Formula::new("=B4-B5").set_result(ballot.quota.to_string())).map_err(xlsx)?;
    sheet.write_string(TICKED_ROW, 2, "已选超过限选数时这两格变红：整张选票将作废").map_err(xlsx)?;
    let over = ConditionalFormatFormula::new()
        .set_rule("=$B$5>$B$4")
        .set_format(Format::new().set_background_color("#FFC7CE").set_font_color("#9C0006").set_bold());
    sheet.add_conditional_format(TICKED_ROW, 1, LEFT_ROW, 1, &over).map_err(xlsx)?;
    work_rows(sheet, ballot, last_row)?;
    print_setup(sheet)?;
    sheet.protect();
    Ok(())
}

fn work_rows(sheet: &mut Worksheet, ballot: &IssuedBallot, last_row: u32) -> Result<()> {
    let header = Format::new().set_bold().set_background_color("#DDEBF7").set_border(FormatBorder::Thin);
    for (col, name) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, col as u16, *name, &header).map_err(xlsx)?;
    }
    let cell = Format::new().set_text_wrap().set_align(FormatAlign::Top).set_border(FormatBorder::Thin);
    let mark = Format::new()
        .set_unlocked()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_font_size(14)
        .set_border(FormatBorder::Thin)
        .set_background_color("#FFF2CC");
    for (i, work) in ballot.works.iter().enumerate() {
        let row = HEADER_ROW + 1 + i as u32;
        sheet.write_string_with_format(row, 0, &work.code, &cell).map_err(xlsx)?;
        sheet.write_string_with_format(row, 1, &work.title, &cell).map_err(xlsx)?;
        sheet.write_string_with_format(row, 2, &work.content, &cell).map_err(xlsx)?;
        sheet.write_blank(row, MARK_COL, &mark).map_err(xlsx)?;
    }
    let choices = DataValidation::new()
        .allow_list_strings(&[MARK])
        .map_err(xlsx)?
        .set_error_title("只能选 ✓")
        .map_err(xlsx)?
        .set_error_message("“选择”列只能从下拉框选 ✓，或留空。")
        .map_err(xlsx)?;
    sheet.add_data_validation(HEADER_ROW + 1, MARK_COL, last_row, MARK_COL, &choices).map_err(xlsx)?;
    sheet.set_column_width(0, 11).map_err(xlsx)?;
    sheet.set_column_width(1, 16).map_err(xlsx)?;
    sheet.set_column_width(2, 60).map_err(xlsx)?;
    sheet.set_column_width(3, 8).map_err(xlsx)?;
    Ok(())
}

fn print_setup(sheet: &mut Worksheet) -> Result<()> {
    sheet
        .set_paper_size(9)
        .set_portrait()
        .set_print_fit_to_pages(1, 0)
        .set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3)
        .set_footer("&C第 &P 页，共 &N 页")
        .set_freeze_panes(HEADER_ROW + 1, 0)
        .map_err(xlsx)?;
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW).map_err(xlsx)?;
    Ok(())
}

fn seal_sheet(sheet: &mut Worksheet, ballot: &IssuedBallot) -> Result<()> {
    sheet.set_name(SEAL_SHEET).map_err(xlsx)?;
    let rows = [
        (SEAL_ROUND, ballot.round_id.to_string()),
        (SEAL_JUDGE, ballot.judge_id.to_string()),
        ("类别", ballot.category.label().to_string()),
        ("轮次", ballot.round_name.clone()),
        ("评委", ballot.judge_name.clone()),
        ("作品数", ballot.works.len().to_string()),
        (SEAL_VALUE, ballot.seal.clone()),
        ("说明", "本表由程序生成，请勿改动；改动后选票不予收回。".to_string()),
    ];
    for (row, (label, value)) in rows.iter().enumerate() {
        sheet.write_string(row as u32, 0, *label).map_err(xlsx)?;
        sheet.write_string(row as u32, 1, value).map_err(xlsx)?;
    }
    sheet.set_column_width(1, 70).map_err(xlsx)?;
    sheet.set_hidden(true).protect();
    Ok(())
}

/// The refusal of a ballot whose 封签 sheet was dropped (saved as another format, sheets
/// copied into a new workbook): nothing says whose ballot it is, for which round.
const SEAL_MISSING: &str = "封签缺失：这是一份电子选票（有“选票”表的“编号”和“选择”列），但隐藏的“封签”工作表不见了\
                            （可能被另存为其他格式，或复制到了新工作簿），无法核对是哪位评委、哪一轮的选票，不予收回；\
                            请评委交回收到的原文件，或重新发出选票";

/// Whether the file is a returned ballot — it has the seal sheet, or a 选票 sheet with 编号
/// and 选择 columns (a ballot whose seal was dropped is still a ballot) — for `import`'s
/// routing. The list of sheets is read first (`io::untrusted`); the 选票 sheet only when
/// there is one, and only its first rows and columns.
pub fn is_ballot_workbook(path: &Path) -> bool {
    untrusted::sheet_names(path).is_ok_and(|names| {
        names.iter().any(|name| name == SEAL_SHEET)
            || (names.iter().any(|name| name == BALLOT_SHEET) && has_ballot_sheet(path))
    })
}

fn has_ballot_sheet(path: &Path) -> bool {
    untrusted::open_workbook(path).is_ok_and(|mut book| {
        book.range_within(BALLOT_SHEET, BALLOT_ROWS, BALLOT_COLUMNS).is_ok_and(|sheet| ballot_header(&sheet).is_some())
    })
}

/// Refuses a returned ballot given to the workbook importer: it is never imported as
/// anything else (formats.md, "Files from outside"). A sealed one is to be taken back; one
/// without its seal cannot be.
pub fn refuse_as_import(path: &Path) -> Result<()> {
    let Ok(names) = untrusted::sheet_names(path) else { return Ok(()) };
    let sealed = names.iter().any(|name| name == SEAL_SHEET);
    if !(sealed || names.iter().any(|name| name == BALLOT_SHEET) && has_ballot_sheet(path)) {
        return Ok(());
    }
    let file = quoted(&path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
    Err(Error::rejected(if sealed {
        format!("{file}是交回的电子选票，不作为导入工作簿导入：请在 家风家训 → 评审进程 → 电子选票 中用“收回选票”收回")
    } else {
        format!("{file}：{SEAL_MISSING}。未导入任何数据")
    }))
}

/// Reads a returned ballot; `Err` says, in words for the summary, why it cannot be read.
/// `abstention_confirmed`: the clerk confirmed that a ballot with no mark is an abstention.
pub fn read_returned(path: &Path, abstention_confirmed: bool) -> std::result::Result<ReturnedBallot, String> {
    // Opened within bounds (io::untrusted): a returned file is from outside. Only the sheets'
    // first rows and columns a ballot can use are held.
    let file_sha256 = untrusted::sha256_hex(path).map_err(|e| e.to_string())?;
    let mut book = untrusted::open_workbook(path).map_err(|e| e.to_string())?;
    let names = book.sheet_names();
    let has = |name: &str| names.iter().any(|n| n == name);
    if !has(BALLOT_SHEET) {
        return Err(format!("不是电子选票：没有“{BALLOT_SHEET}”工作表"));
    }
    let ballot = book.range_within(BALLOT_SHEET, BALLOT_ROWS, BALLOT_COLUMNS).map_err(|e| e.to_string())?;
    if !has(SEAL_SHEET) {
        return Err(if ballot_header(&ballot).is_some() {
            SEAL_MISSING.to_string()
        } else {
            format!("不是电子选票：没有“{SEAL_SHEET}”工作表")
        });
    }
    let seal = book.range_within(SEAL_SHEET, 64, 4).map_err(|e| e.to_string())?;
    // A formula in 选择 is no mark a judge made (and one a program left uncalculated reads as
    // empty): only the formulas tell.
    let formulas = book.formulas_within(BALLOT_SHEET, BALLOT_ROWS, BALLOT_COLUMNS).map_err(|e| e.to_string())?;
    let id = |label: &str| {
        seal_field(&seal, label).and_then(|v| v.parse::<i64>().ok()).ok_or_else(|| format!("封签不完整：缺少{label}"))
    };
    let (codes, marked) = read_marks(&ballot, &formulas)?;
    Ok(ReturnedBallot {
        file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        file_sha256,
        round_id: id(SEAL_ROUND)?,
        judge_id: id(SEAL_JUDGE)?,
        codes,
        marked,
        seal: seal_field(&seal, SEAL_VALUE).ok_or_else(|| "封签不完整：缺少封签".to_string())?,
        abstention_confirmed,
    })
}

/// A cell as text; a whole number as written (a program may have turned "12" into 12).
fn text(cell: &Data) -> String {
    match cell {
        Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        Data::Empty => String::new(),
        other => other.to_string().trim().to_string(),
    }
}

fn seal_field(seal: &Range<Data>, label: &str) -> Option<String> {
    seal.rows().find(|row| row.first().is_some_and(|c| text(c) == label)).and_then(|row| row.get(1)).map(text)
}

/// The ballot sheet's header row and its 编号 and 选择 columns (wherever a program moved
/// them), relative to the sheet's start.
fn ballot_header(sheet: &Range<Data>) -> Option<(usize, usize, usize)> {
    let column = |row: &[Data], name: &str| row.iter().position(|c| text(c) == name);
    sheet.rows().enumerate().find_map(|(i, row)| Some((i, column(row, COLUMNS[0])?, column(row, COLUMNS[3])?)))
}

/// Every code on the ballot sheet, and those marked, found under the header row's 编号 and
/// 选择; a formula in 选择 refuses the file.
fn read_marks(
    sheet: &Range<Data>,
    formulas: &Range<String>,
) -> std::result::Result<(Vec<String>, Vec<String>), String> {
    let (header, code_col, mark_col) =
        ballot_header(sheet).ok_or_else(|| "选票表没有“编号”和“选择”两列的表头".to_string())?;
    let (start_row, start_col) = sheet.start().unwrap_or((0, 0));
    let (mut codes, mut marked) = (Vec::new(), Vec::new());
    for (i, row) in sheet.rows().enumerate().skip(header + 1) {
        let code = row.get(code_col).map(text).unwrap_or_default();
        let at = (start_row + i as u32, start_col + mark_col as u32);
        if let Some(formula) = formulas.get_value(at).filter(|f| !f.trim().is_empty()) {
            let work = if code.is_empty() { format!("第{}行", at.0 + 1) } else { format!("作品“{code}”") };
            return Err(format!("{work}的“选择”是公式（={formula}），只能是 {MARK} 或留空"));
        }
        let mark = row.get(mark_col).map(text).unwrap_or_default();
        if code.is_empty() {
            if !mark.is_empty() {
                return Err(format!(
                    "选票表第{}行有标记但没有作品编号",
                    sheet.start().map_or(0, |s| s.0) as usize + i + 1
                ));
            }
            continue;
        }
        if MARKS.contains(&mark.as_str()) {
            marked.push(code.clone());
        } else if !mark.is_empty() {
            return Err(format!("作品“{code}”的“选择”是“{mark}”，只能是 {MARK} 或留空"));
        }
        codes.push(code);
    }
    Ok((codes, marked))
}

/// A file not taken, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub file: String,
    pub reason: String,
}

/// A file taken back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Taken {
    pub file: String,
    pub judge: String,
    pub votes: usize,
    pub void: bool,
    /// What was counted, to send to the judge.
    pub receipt: BallotReceipt,
}

/// What taking back a set of files did, and where each round touched now stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReturnSummary {
    pub taken: Vec<Taken>,
    pub refused: Vec<Refused>,
    pub rounds: Vec<RoundReturns>,
    /// Refused only for having no mark: taken as abstentions once the clerk confirms.
    pub unmarked: Vec<PathBuf>,
}

impl ReturnSummary {
    pub fn void(&self) -> impl Iterator<Item = &Taken> {
        self.taken.iter().filter(|t| t.void)
    }

    /// The receipt of each ballot taken, one after another, a blank line between: what the
    /// clerk sends to each judge.
    pub fn receipts(&self) -> String {
        self.taken.iter().map(|t| t.receipt.to_string()).collect::<Vec<_>>().join("\n\n")
    }
}

impl fmt::Display for ReturnSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let files = self.taken.len() + self.refused.len();
        write!(f, "本次 {files} 个文件：收回 {} 份，拒收 {} 份。", self.taken.len(), self.refused.len())?;
        for round in &self.rounds {
            write!(
                f,
                "\n{}{}：已收 {} / 应收 {}，其中作废 {} 张",
                round.category.label(),
                round.round_name,
                round.received,
                round.expected,
                round.void
            )?;
        }
        for taken in self.void() {
            write!(
                f,
                "\n作废：{}（{}）选了 {} 件，超出限选数，整张作废",
                quoted(&taken.file),
                taken.judge,
                taken.votes
            )?;
        }
        for refused in &self.refused {
            write!(f, "\n拒收：{}：{}", quoted(&refused.file), refused.reason)?;
        }
        for round in self.rounds.iter().filter(|r| !r.missing.is_empty()) {
            write!(
                f,
                "\n{}尚未交回（{} 人）：{}",
                round.category.label(),
                round.missing.len(),
                round.missing.join("、")
            )?;
        }
        Ok(())
    }
}

/// The ballot files at `path`: the file itself, or a folder's workbooks (by name; Office's
/// `~$` lock files left out).
pub fn ballot_files(path: &Path) -> Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = fs::read_dir(path).map_err(|source| Error::File { path: path.to_path_buf(), source })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let workbook = [".xlsx", ".xls", ".ods"].iter().any(|ext| name.to_lowercase().ends_with(ext));
            workbook && !name.starts_with("~$") && !name.starts_with('.')
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Takes back every file, each checked and recorded on its own: a refused file leaves the
/// others taken. Refusals are logged with the file's SHA-256. A ballot with no mark is taken
/// only with `accept_empty` (the clerk confirmed the abstentions); without, it is refused and
/// listed in [`ReturnSummary::unmarked`] for the confirmation.
pub fn take_back(store: &Store, files: &[PathBuf], accept_empty: bool) -> Result<ReturnSummary> {
    let (conn, actor) = (store.conn(), store.actor());
    let key = store.ballot_key()?;
    let mut summary =
        ReturnSummary { taken: Vec::new(), refused: Vec::new(), rounds: Vec::new(), unmarked: Vec::new() };
    let mut rounds: Vec<i64> = Vec::new();
    for path in files {
        let file = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let returned = match read_returned(path, accept_empty) {
            Ok(returned) => returned,
            Err(reason) => {
                refuse(conn, actor, &mut summary, file, reason, None)?;
                continue;
            }
        };
        match receive_ballot(conn, actor, &key, &returned) {
            Ok(taken) => {
                if !rounds.contains(&taken.round_id) {
                    rounds.push(taken.round_id);
                }
                summary.taken.push(Taken {
                    file,
                    judge: taken.judge_name,
                    votes: taken.votes,
                    void: taken.void,
                    receipt: taken.receipt,
                });
            }
            Err(Error::Rejected(reason) | Error::Sqlite { message: reason, .. }) => {
                if !rounds.contains(&returned.round_id) && takes_ballots(conn, returned.round_id)? {
                    rounds.push(returned.round_id);
                }
                if reason == UNMARKED {
                    summary.unmarked.push(path.clone());
                }
                refuse(conn, actor, &mut summary, file, reason, Some(&returned.file_sha256))?;
            }
            Err(other) => return Err(other),
        }
    }
    for round in rounds {
        summary.rounds.push(round_returns(conn, actor, round)?);
    }
    Ok(summary)
}

fn refuse(
    conn: &rusqlite::Connection,
    actor: &Actor,
    summary: &mut ReturnSummary,
    file: String,
    reason: String,
    sha256: Option<&str>,
) -> Result<()> {
    let detail = match sha256 {
        Some(hash) => format!("{reason}；SHA-256 {hash}"),
        None => reason.clone(),
    };
    audit::record(conn, actor, "拒收电子选票", &quoted(&file), &detail)?;
    summary.refused.push(Refused { file, reason });
    Ok(())
}
