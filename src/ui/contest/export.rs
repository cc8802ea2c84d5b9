//! The contest's workbooks: login slips to cut out, the tally sheets with the ballots' hash,
//! the shortlist, the award list and the 公示 notice. Written where the user chooses, and
//! every export logged.

use std::path::Path;

use rusqlite::Connection;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::Export;
use crate::domain::contest::Category;
use crate::domain::format_date;
use crate::domain::identity::mask_phone;
use crate::error::{Error, Result};
use crate::io::text::display_width;
use crate::store::contest::final_round::{AwardRow, award_list};
use crate::store::contest::judges::LoginSlip;
use crate::store::contest::publicity::publicity;
use crate::store::contest::rounds::{RoundKind, rounds};
use crate::store::contest::tally::{RoundTally, round_tally, shortlist};
use crate::store::contest::works::{WorkFilter, list_works};
use crate::store::{Actor, audit};
use crate::ui::dialogs::FileDialogs;
use crate::ui::strings as s;

fn xlsx(e: XlsxError) -> Error {
    Error::rejected(format!("写入 Excel 失败：{e}"))
}

/// Asks where to save, logs the export and writes it.
pub fn export(
    conn: &Connection,
    actor: &Actor,
    dialogs: &dyn FileDialogs,
    category: Category,
    what: Export,
) -> Result<String> {
    let name = match what {
        Export::Tally => "计票表",
        Export::Shortlist => "入围名单",
        Export::Awards => "获奖名单",
        Export::Notice => "公示名单",
    };
    let Some(path) = dialogs.save_workbook(&format!("{}{name}.xlsx", category.label())) else {
        return Ok(s::CANCELLED.to_string());
    };
    audit::exported(conn, actor, &format!("{}{name}", category.label()), &path)?;
    match what {
        Export::Tally => write_tallies(conn, actor, category, &path)?,
        Export::Shortlist => write_shortlist(conn, actor, category, &path)?,
        Export::Awards => write_awards(&award_list(conn, actor, category)?, category, &path)?,
        Export::Notice => write_notice(conn, actor, category, &path)?,
    }
    Ok(format!("已保存到 {}", path.display()))
}

/// The slips just issued, one bordered block per judge, to print and cut apart.
pub fn export_slips(
    conn: &Connection,
    actor: &Actor,
    dialogs: &dyn FileDialogs,
    slips: &[LoginSlip],
) -> Result<String> {
    let Some(path) = dialogs.save_workbook("评委登录单.xlsx") else {
        return Ok(s::CANCELLED.to_string());
    };
    audit::exported(conn, actor, &format!("评委登录单 {} 张", slips.len()), &path)?;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("登录单").map_err(xlsx)?;
    sheet.set_column_width(0, 14).map_err(xlsx)?;
    sheet.set_column_width(1, 40).map_err(xlsx)?;
    let boxed = Format::new().set_border(FormatBorder::Thin);
    let title = Format::new().set_bold().set_font_size(14).set_border(FormatBorder::Thin);
    let mut row = 0;
    for slip in slips {
        sheet
            .merge_range(row, 0, row, 1, &format!("「好家风·好家训」评选 {}登录单", slip.role.label()), &title)
            .map_err(xlsx)?;
        for (i, (label, value)) in [
            ("姓名", slip.name.as_str()),
            ("单位", slip.unit_name.as_str()),
            ("登录名", slip.login.as_str()),
            ("初始密码", slip.password.as_str()),
            ("说明", "首次登录后须修改密码；请勿转交他人。"),
        ]
        .into_iter()
        .enumerate()
        {
            let at = row + 1 + i as u32;
            sheet.write_string_with_format(at, 0, label, &boxed).map_err(xlsx)?;
            sheet.write_string_with_format(at, 1, value, &boxed).map_err(xlsx)?;
        }
        sheet.write_string(row + 6, 0, "- - - - - - - 沿此线剪开 - - - - - - -").map_err(xlsx)?;
        row += 8;
    }
    workbook.save(&path).map_err(xlsx)?;
    Ok(format!("已保存 {} 张登录单到 {}", slips.len(), path.display()))
}

/// A title across the columns, then lines of text under it; returns the next free row.
fn heading(sheet: &mut Worksheet, title: &str, lines: &[String], columns: u16) -> Result<u32> {
    let big = Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center);
    sheet.merge_range(0, 0, 0, columns - 1, title, &big).map_err(xlsx)?;
    sheet.set_row_height(0, 28).map_err(xlsx)?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for (i, line) in lines.iter().enumerate() {
        let row = 1 + i as u32;
        sheet.merge_range(row, 0, row, columns - 1, line, &wrap).map_err(xlsx)?;
        // Long paragraphs need more than one line of height.
        let lines_needed = (display_width(line) / 100.0).ceil().max(1.0);
        sheet.set_row_height(row, 18.0 * lines_needed).map_err(xlsx)?;
    }
    Ok(lines.len() as u32 + 2)
}

/// A bordered table with a bold header from `first_row`, columns as wide as their text.
fn table(sheet: &mut Worksheet, first_row: u32, headers: &[&str], rows: &[Vec<String>]) -> Result<u32> {
    let head = Format::new().set_bold().set_border(FormatBorder::Thin).set_background_color("#EEEEEE");
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let mut widths: Vec<f64> = headers.iter().map(|h| display_width(h)).collect();
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(first_row, col as u16, *header, &head).map_err(xlsx)?;
    }
    for (i, row) in rows.iter().enumerate() {
        for (col, text) in row.iter().enumerate() {
            widths[col] = widths[col].max(display_width(text));
            sheet.write_string_with_format(first_row + 1 + i as u32, col as u16, text, &cell).map_err(xlsx)?;
        }
    }
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, (width + 2.0).min(50.0)).map_err(xlsx)?;
    }
    Ok(first_row + 1 + rows.len() as u32)
}

/// Every closed ballot round of the category, a sheet each, signed at the foot.
fn write_tallies(conn: &Connection, actor: &Actor, category: Category, path: &Path) -> Result<()> {
    let texts = work_texts(conn, actor, category)?;
    let closed: Vec<_> =
        rounds(conn, category)?.into_iter().filter(|r| r.kind != RoundKind::Final && r.closed_at.is_some()).collect();
    if closed.is_empty() {
        return Err(Error::rejected(format!("{}还没有结束的投票，没有计票表可导出", category.label())));
    }
    let mut workbook = Workbook::new();
    for round in closed {
        let tally = round_tally(conn, actor, round.id)?;
        let sheet = workbook.add_worksheet().set_name(tally.round.name()).map_err(xlsx)?;
        tally_sheet(sheet, category, &tally, &texts)?;
    }
    workbook.save(path).map_err(xlsx)
}

fn tally_sheet(
    sheet: &mut Worksheet,
    category: Category,
    tally: &RoundTally,
    texts: &std::collections::HashMap<i64, (String, String)>,
) -> Result<()> {
    let round = &tally.round;
    let lines = vec![
        format!(
            "投票时间：{} 至 {}；评委 {} 人，交票 {} 张，其中废票 {} 张；名额 {} 个。",
            round.opened_at,
            round.closed_at.as_deref().unwrap_or(""),
            tally.judges,
            tally.handed_in,
            tally.void,
            tally.cut.quota
        ),
        format!("全部选票 SHA-256：{}", round.ballots_hash.as_deref().unwrap_or("")),
    ];
    let title = format!("「好家风·好家训」{}{}计票表", category.label(), round.name());
    let first = heading(sheet, &title, &lines, 8)?;
    let mut place = 0;
    let rows: Vec<Vec<String>> = tally
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            if i == 0 || tally.rows[i - 1].votes != row.votes {
                place = i + 1;
            }
            let (title, content) = texts.get(&row.work_id).cloned().unwrap_or_default();
            let result = if tally.cut.shortlist.contains(&row.work_id) {
                "入围"
            } else if tally.cut.tie_band.contains(&row.work_id) {
                "并列待定"
            } else {
                ""
            };
            vec![
                place.to_string(),
                row.code.clone(),
                title,
                content,
                row.votes.to_string(),
                row.eligible.to_string(),
                format!("{:.1}%", row.share() * 100.0),
                result.to_string(),
            ]
        })
        .collect();
    let headers = ["名次", "作品编号", "标题", "内容", "得票", "可投评委", "得票率", "结果"];
    let end = table(sheet, first, &headers, &rows)?;
    sheet.write_string(end + 2, 0, "计票人：").map_err(xlsx)?;
    sheet.write_string(end + 2, 3, "监票人：").map_err(xlsx)?;
    sheet.write_string(end + 2, 6, "日期：").map_err(xlsx)?;
    Ok(())
}

fn write_shortlist(conn: &Connection, actor: &Actor, category: Category, path: &Path) -> Result<()> {
    let entries = shortlist(conn, actor, category)?;
    if entries.is_empty() {
        return Err(Error::rejected(format!("{}的入围名单尚未确定", category.label())));
    }
    let texts = work_texts(conn, actor, category)?;
    let rows: Vec<Vec<String>> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let content = texts.get(&e.work_id).map(|(_, c)| c.clone()).unwrap_or_default();
            vec![
                (i + 1).to_string(),
                e.code.clone(),
                e.title.clone(),
                content,
                e.votes.to_string(),
                e.source.label().to_string(),
            ]
        })
        .collect();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("入围名单").map_err(xlsx)?;
    let title = format!("「好家风·好家训」{}入围名单（{} 件）", category.label(), entries.len());
    let first = heading(sheet, &title, &[], 6)?;
    table(sheet, first, &["序号", "作品编号", "标题", "内容", "初评得票", "入围方式"], &rows)?;
    workbook.save(path).map_err(xlsx)
}

fn write_awards(awards: &[AwardRow], category: Category, path: &Path) -> Result<()> {
    if awards.is_empty() {
        return Err(Error::rejected(format!("{}尚未授奖", category.label())));
    }
    let rows: Vec<Vec<String>> = awards
        .iter()
        .map(|a| {
            vec![
                a.tier_name.clone(),
                a.code.clone(),
                a.title.clone(),
                a.author.clone(),
                a.unit_name.clone(),
                mask_phone(&a.author_phone),
                a.mean.display(),
                a.amount_yuan.to_string(),
                a.revoked.as_ref().map_or(String::new(), |why| format!("已撤销：{why}")),
            ]
        })
        .collect();
    let total: i64 = awards.iter().filter(|a| a.revoked.is_none()).map(|a| a.amount_yuan).sum();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("获奖名单").map_err(xlsx)?;
    let title = format!("「好家风·好家训」{}获奖名单", category.label());
    let first = heading(sheet, &title, &[format!("奖金合计 {total} 元。")], 9)?;
    let headers = ["奖项", "作品编号", "标题", "作者", "单位", "联系电话", "终审平均分", "奖金（元）", "备注"];
    table(sheet, first, &headers, &rows)?;
    workbook.save(path).map_err(xlsx)
}

/// The notice as it is posted: the period, how to object, the awards not revoked.
fn write_notice(conn: &Connection, actor: &Actor, category: Category, path: &Path) -> Result<()> {
    let period =
        publicity(conn, category)?.ok_or_else(|| Error::rejected(format!("{}尚未开始公示", category.label())))?;
    let awards: Vec<AwardRow> =
        award_list(conn, actor, category)?.into_iter().filter(|a| a.revoked.is_none()).collect();
    let lines = vec![
        format!(
            "经作品征集、查重、初评投票和终审评分，{}类拟获奖作品已经产生，现予以公示。公示期为 {} 至 {}（{} 个工作日）。",
            category.label(),
            format_date(period.starts_on),
            format_date(period.ends_on),
            period.working_days
        ),
        "公示期间，对拟获奖作品如有异议，请以书面形式署真实姓名并留联系方式，向市直机关工委反映。匿名或逾期的异议不予受理。".to_string(),
    ];
    let rows: Vec<Vec<String>> = awards
        .iter()
        .map(|a| vec![a.tier_name.clone(), a.code.clone(), a.title.clone(), a.author.clone(), a.unit_name.clone()])
        .collect();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("公示").map_err(xlsx)?;
    let title = format!("关于「好家风·好家训」{}评选结果的公示", category.label());
    let first = heading(sheet, &title, &lines, 5)?;
    let end = table(sheet, first, &["奖项", "作品编号", "标题", "作者", "单位"], &rows)?;
    sheet.write_string(end + 2, 3, "市直机关工委").map_err(xlsx)?;
    sheet.write_string(end + 3, 3, format_date(period.starts_on)).map_err(xlsx)?;
    workbook.save(path).map_err(xlsx)
}

fn work_texts(
    conn: &Connection,
    actor: &Actor,
    category: Category,
) -> Result<std::collections::HashMap<i64, (String, String)>> {
    let filter = WorkFilter { category: Some(category), ..WorkFilter::default() };
    Ok(list_works(conn, actor, &filter)?.into_iter().map(|w| (w.id, (w.title, w.content))).collect())
}
