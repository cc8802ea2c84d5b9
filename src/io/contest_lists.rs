//! The contest's lists fit to publish as they are: 入围名单, 获奖名单 and the 公示 notice, each
//! a workbook of its own — titled and dated, the motto's text or the story's title, numbers
//! as numbers, no phone and no score — set up to print on A4 one page wide. Phones, scores
//! and amounts stay in the record (`contest_export`), which is internal.

use std::path::{Path, PathBuf};

use chrono::{Datelike as _, NaiveDate};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::export::export_workbook;
use super::text::display_width;
use crate::domain::contest::{Category, RoundState};
use crate::domain::format_date;
use crate::error::{Error, Result};
use crate::store::Actor;
use crate::store::contest::final_round::award_list;
use crate::store::contest::publicity::publicity;
use crate::store::contest::state;
use crate::store::contest::tally::shortlist;
use crate::store::contest::works::shortlisted_texts;

/// Who publishes the lists.
pub const ISSUER: &str = "市直机关工委";
const CONTEST: &str = "「好家风·好家训」征集评选活动";

fn xlsx(e: XlsxError) -> Error {
    Error::rejected(format!("写入 Excel 失败：{e}"))
}

/// A cell of a list: text, or a number kept as a number.
pub enum Cell {
    Text(String),
    Number(f64),
}

/// A column's header and width (a Chinese character is about 2).
type Column = (&'static str, f64);

/// A printed list: heading, paragraphs before and after the table, the table with each
/// column's width (a Chinese character is about 2), signed and dated at the foot.
struct Page<'a> {
    heading: String,
    before: Vec<String>,
    columns: &'a [Column],
    rows: Vec<Vec<Cell>>,
    after: Vec<String>,
    today: NaiveDate,
}

/// `2026年12月7日`, as a notice is dated.
fn chinese_date(day: NaiveDate) -> String {
    format!("{}年{}月{}日", day.year(), day.month(), day.day())
}

/// The category's word for what a list shows of a work.
fn work_column(category: Category) -> &'static str {
    match category {
        Category::Motto => "家训内容",
        Category::Story => "故事标题",
    }
}

impl Page<'_> {
    fn write(&self, sheet: &mut Worksheet, name: &str) -> Result<()> {
        sheet.set_name(name).map_err(xlsx)?;
        let last_col = self.columns.len() as u16 - 1;
        let total: f64 = self.columns.iter().map(|(_, w)| w).sum();
        for (col, (_, width)) in self.columns.iter().enumerate() {
            sheet.set_column_width(col as u16, *width).map_err(xlsx)?;
        }
        let heading = Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center);
        sheet.merge_range(0, 0, 0, last_col, &self.heading, &heading).map_err(xlsx)?;
        sheet.set_row_height(0, 30).map_err(xlsx)?;
        let paragraph = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let mut row = 1;
        for text in &self.before {
            self.paragraph(sheet, row, text, &paragraph, total)?;
            row += 1;
        }
        let header_row = row;
        let border = Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        let header = border.clone().set_bold().set_align(FormatAlign::Center).set_text_wrap();
        for (col, (title, _)) in self.columns.iter().enumerate() {
            sheet.write_string_with_format(header_row, col as u16, *title, &header).map_err(xlsx)?;
        }
        let text = border.clone().set_text_wrap();
        let number = border.set_align(FormatAlign::Center);
        for (i, cells) in self.rows.iter().enumerate() {
            let at = header_row + 1 + i as u32;
            for (col, cell) in cells.iter().enumerate() {
                match cell {
                    Cell::Text(value) => sheet.write_string_with_format(at, col as u16, value, &text),
                    Cell::Number(value) => sheet.write_number_with_format(at, col as u16, *value, &number),
                }
                .map_err(xlsx)?;
            }
            sheet.set_row_height(at, self.row_height(cells)).map_err(xlsx)?;
        }
        row = header_row + 1 + self.rows.len() as u32;
        for text in &self.after {
            self.paragraph(sheet, row, text, &paragraph, total)?;
            row += 1;
        }
        let signed = Format::new().set_align(FormatAlign::Right);
        row += 1;
        sheet.merge_range(row, 0, row, last_col, ISSUER, &signed).map_err(xlsx)?;
        sheet.merge_range(row + 1, 0, row + 1, last_col, &chinese_date(self.today), &signed).map_err(xlsx)?;
        sheet.set_paper_size(9).set_portrait();
        sheet.set_repeat_rows(header_row, header_row).map_err(xlsx)?;
        // One page wide always; one page tall too when a little shrinking saves a last page
        // holding a row or two and the signature.
        let pages_tall = if self.height() <= PAGE_HEIGHT * 1.2 { 1 } else { 0 };
        sheet
            .set_print_fit_to_pages(1, pages_tall)
            .set_print_center_horizontally(true)
            .set_margins(0.6, 0.6, 0.7, 0.7, 0.3, 0.3)
            .set_footer("&C第 &P 页，共 &N 页");
        Ok(())
    }

    /// A paragraph across the page, its row as tall as its wrapped lines.
    fn paragraph(&self, sheet: &mut Worksheet, row: u32, text: &str, format: &Format, total: f64) -> Result<()> {
        let last_col = self.columns.len() as u16 - 1;
        sheet.merge_range(row, 0, row, last_col, text, format).map_err(xlsx)?;
        sheet.set_row_height(row, paragraph_height(text, total)).map_err(xlsx)?;
        Ok(())
    }

    /// The height in points the page's rows take, as they are set in `write`.
    fn height(&self) -> f64 {
        let total: f64 = self.columns.iter().map(|(_, w)| w).sum();
        let paragraphs: f64 = self.before.iter().chain(&self.after).map(|t| paragraph_height(t, total)).sum();
        let rows: f64 = self.rows.iter().map(|cells| self.row_height(cells)).sum();
        // Heading, header row, the blank row and the two lines of the signature.
        30.0 + 20.0 + 3.0 * 15.0 + paragraphs + rows
    }

    /// As tall as the longest wrapped cell: set, since a wrapped cell is not measured by
    /// every spreadsheet on opening.
    fn row_height(&self, cells: &[Cell]) -> f64 {
        let lines = cells
            .iter()
            .zip(self.columns)
            .map(|(cell, (_, width))| match cell {
                Cell::Text(value) => (display_width(value) / (width - 1.0)).ceil().max(1.0),
                Cell::Number(_) => 1.0,
            })
            .fold(1.0, f64::max);
        16.0 * lines + 2.0
    }
}

/// A wrapped paragraph across the page: its height in points.
fn paragraph_height(text: &str, total_width: f64) -> f64 {
    let lines = (display_width(text) / (total_width - 4.0)).ceil().max(1.0);
    16.0 * lines + 6.0
}

/// Points of A4 portrait between the margins `write` sets (0.7 in top and bottom).
const PAGE_HEIGHT: f64 = (11.69 - 1.4) * 72.0;

/// 入围名单: rank, code, the work, initial votes, how it got in. No author: the experts are
/// still to score blind.
fn shortlist_workbook(
    conn: &rusqlite::Connection,
    actor: &Actor,
    category: Category,
    today: NaiveDate,
) -> Result<Option<Workbook>> {
    let listed = shortlist(conn, actor, category)?;
    if listed.is_empty() {
        return Ok(None);
    }
    let texts = shortlisted_texts(conn, actor, category)?;
    let columns =
        [("序号", 6.0), ("作品编号", 11.0), (work_column(category), 52.0), ("初评票数", 10.0), ("入围方式", 14.0)];
    let rows = listed
        .iter()
        .enumerate()
        .map(|(i, e)| {
            vec![
                Cell::Number(i as f64 + 1.0),
                Cell::Text(e.code.clone()),
                Cell::Text(texts.get(&e.work_id).cloned().unwrap_or_default()),
                Cell::Number(f64::from(e.votes)),
                Cell::Text(e.source.label().to_string()),
            ]
        })
        .collect();
    let page = Page {
        heading: format!("{CONTEST}{}入围名单", category.label()),
        before: vec![format!("经初评，以下 {} 件作品进入终审（按初评票数排列）。", listed.len())],
        columns: &columns,
        rows,
        after: Vec::new(),
        today,
    };
    let mut workbook = Workbook::new();
    page.write(workbook.add_worksheet(), "入围名单")?;
    Ok(Some(workbook))
}

/// The awards still standing, by tier: award, code, the work, author, unit.
fn award_rows(
    conn: &rusqlite::Connection,
    actor: &Actor,
    category: Category,
) -> Result<(Vec<Vec<Cell>>, &'static [Column])> {
    let texts = shortlisted_texts(conn, actor, category)?;
    let rows = award_list(conn, actor, category)?
        .into_iter()
        .filter(|a| a.revoked.is_none())
        .map(|a| {
            vec![
                Cell::Text(a.tier_name),
                Cell::Text(a.code),
                Cell::Text(texts.get(&a.work_id).cloned().unwrap_or(a.title)),
                Cell::Text(a.author),
                Cell::Text(a.unit_name),
            ]
        })
        .collect();
    let columns: &'static [Column] = match category {
        Category::Motto => &[("奖项", 8.0), ("作品编号", 11.0), ("家训内容", 40.0), ("作者", 10.0), ("单位", 24.0)],
        Category::Story => &[("奖项", 8.0), ("作品编号", 11.0), ("故事标题", 40.0), ("作者", 10.0), ("单位", 24.0)],
    };
    Ok((rows, columns))
}

fn award_workbook(
    conn: &rusqlite::Connection,
    actor: &Actor,
    category: Category,
    today: NaiveDate,
) -> Result<Option<Workbook>> {
    let (rows, columns) = award_rows(conn, actor, category)?;
    if rows.is_empty() {
        return Ok(None);
    }
    let page = Page {
        heading: format!("{CONTEST}{}获奖名单", category.label()),
        before: Vec::new(),
        columns,
        rows,
        after: Vec::new(),
        today,
    };
    let mut workbook = Workbook::new();
    page.write(workbook.add_worksheet(), "获奖名单")?;
    Ok(Some(workbook))
}

/// The 公示 notice: what is publicised and for how long, the winners, how to object.
fn notice_workbook(
    conn: &rusqlite::Connection,
    actor: &Actor,
    category: Category,
    today: NaiveDate,
) -> Result<Option<Workbook>> {
    let Some(period) = publicity(conn, category)?.filter(|_| state(conn, category).ok() >= Some(RoundState::Publicity))
    else {
        return Ok(None);
    };
    let (rows, columns) = award_rows(conn, actor, category)?;
    let page = Page {
        heading: format!("{CONTEST}{}评选结果公示", category.label()),
        before: vec![format!(
            "经初评、终审，{}评选结果已产生，现予以公示。公示期为 {} 至 {}（{} 个工作日）。",
            category.label(),
            chinese_date(period.starts_on),
            chinese_date(period.ends_on),
            period.working_days
        )],
        columns,
        rows,
        after: vec![format!(
            "公示期间如有异议，请于 {} 前以书面形式实名向{ISSUER}提出，并注明联系方式；匿名或逾期的异议不予受理。",
            format_date(period.ends_on)
        )],
        today,
    };
    let mut workbook = Workbook::new();
    page.write(workbook.add_worksheet(), "公示")?;
    Ok(Some(workbook))
}

/// Writes into `dir` the lists the category's stage allows — `{类别}入围名单.xlsx` once the
/// shortlist is known, `{类别}获奖名单.xlsx` once awards are set, `{类别}公示.xlsx` from 公示
/// on — each logged as an export; returns the files written.
pub fn write_lists(
    conn: &rusqlite::Connection,
    actor: &Actor,
    category: Category,
    dir: &Path,
    today: NaiveDate,
) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let lists = [
        ("入围名单", shortlist_workbook(conn, actor, category, today)?),
        ("获奖名单", award_workbook(conn, actor, category, today)?),
        ("公示", notice_workbook(conn, actor, category, today)?),
    ];
    for (name, workbook) in lists {
        let Some(mut workbook) = workbook else { continue };
        let path = dir.join(format!("{}{name}.xlsx", category.label()));
        export_workbook(conn, actor, &format!("{}{name}", category.label()), &mut workbook, &path)?;
        written.push(path);
    }
    Ok(written)
}
