//! The contest's workbook for the record (internal): per closed ballot round its tally (with
//! the hash of all its ballots at closing), its ballots and the exact lines hashed, so the
//! hash can be recomputed from the file; every expert's score; the shortlist; the award list
//! with authors, units, masked phones and amounts; the 公示 notice and every objection with
//! its ruling; every decision with its reason — whichever the category has reached.

use std::collections::HashMap;
use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::contest_lists::Cell;
use super::export::{database_of, export_workbook, may_export, save_workbook};
use super::roster::write_table;
use super::text::display_width;
use crate::domain::access::{Action, require};
use crate::domain::contest::{Category, RoundState};
use crate::domain::format_date;
use crate::error::{Error, Result};
use crate::store::contest::final_round::{AwardRow, award_list};
use crate::store::contest::judges::LoginSlip;
use crate::store::contest::publicity::{ObjectionRow, Publicity, objections, publicity};
use crate::store::contest::record::{DecisionRecord, HashLine, ScoreRecord, decisions, final_scores, round_hash_lines};
use crate::store::contest::rounds::{Round, RoundKind, rounds};
use crate::store::contest::state;
use crate::store::contest::tally::{RoundTally, round_tally, shortlist};
use crate::store::contest::workbooks::{BallotRecord, round_ballots};
use crate::store::contest::works::shortlisted_texts;
use crate::store::{Actor, audit, logged_late};

fn xlsx(e: XlsxError) -> Error {
    Error::rejected(format!("写入 Excel 失败：{e}"))
}

/// Writes the category's contest workbook to `path` and returns the names of the sheets it
/// holds. Refused before the initial round has closed (there is nothing to put on record).
pub fn write_contest_workbook(
    conn: &rusqlite::Connection,
    actor: &Actor,
    category: Category,
    path: &Path,
) -> Result<Vec<String>> {
    require(actor.role, Action::Export)?;
    let mut workbook = Workbook::new();
    let mut names = Vec::new();
    let closed: Vec<Round> = rounds(conn, category)?.into_iter().filter(|r| r.closed_at.is_some()).collect();
    for round in closed.iter().filter(|r| r.kind != RoundKind::Final) {
        let tally = round_tally(conn, actor, round.id)?;
        let short = tally.round.name().replace(['（', '）'], "");
        let name = format!("{short}计票");
        tally_sheet(workbook.add_worksheet(), &name, &tally)?;
        names.push(name);
        let name = format!("{short}选票");
        ballots_sheet(workbook.add_worksheet(), &name, &tally, &round_ballots(conn, actor, round.id)?)?;
        names.push(name);
        let name = format!("{short}选票原文");
        hash_lines_sheet(workbook.add_worksheet(), &name, round, &round_hash_lines(conn, actor, round.id)?)?;
        names.push(name);
    }
    if names.is_empty() {
        return Err(Error::rejected(format!("{}的初评尚未结束，还没有可以导出的评选结果", category.label())));
    }
    if let Some(round) = closed.iter().find(|r| r.kind == RoundKind::Final) {
        scores_sheet(workbook.add_worksheet(), round, &final_scores(conn, actor, category)?)?;
        names.push("终审评分".to_string());
        let lines = round_hash_lines(conn, actor, round.id)?;
        hash_lines_sheet(workbook.add_worksheet(), "终审评分原文", round, &lines)?;
        names.push("终审评分原文".to_string());
    }
    let listed = shortlist(conn, actor, category)?;
    if !listed.is_empty() {
        let sheet = workbook.add_worksheet();
        sheet.set_name("入围名单").map_err(xlsx)?;
        title(sheet, &format!("{}入围名单（{} 件）", category.label(), listed.len()))?;
        let rows: Vec<Vec<String>> = listed
            .iter()
            .enumerate()
            .map(|(i, e)| {
                vec![(i + 1).to_string(), e.code.clone(), e.title.clone(), e.votes.to_string(), e.source.label().into()]
            })
            .collect();
        write_table(sheet, 2, &["序号", "作品编号", "标题", "初评票数", "入围方式"], &rows)?;
        names.push("入围名单".to_string());
    }
    let awards = award_list(conn, actor, category)?;
    if !awards.is_empty() {
        award_sheet(workbook.add_worksheet(), category, &awards)?;
        names.push("获奖名单".to_string());
    }
    if let Some(period) =
        publicity(conn, category)?.filter(|_| state(conn, category).ok() >= Some(RoundState::Publicity))
    {
        let texts = shortlisted_texts(conn, actor, category)?;
        notice_sheet(workbook.add_worksheet(), category, &period, &awards, &texts)?;
        names.push("公示".to_string());
        objections_sheet(workbook.add_worksheet(), &objections(conn, actor, category)?)?;
        names.push("异议登记".to_string());
    }
    decisions_sheet(workbook.add_worksheet(), &decisions(conn, actor, category)?)?;
    names.push("决定记录".to_string());
    save_workbook(&mut workbook, path, database_of(conn).as_deref())?;
    if !conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
        audit::record(conn, actor, "导出评选结果", &path.display().to_string(), &names.join("、"))
            .map_err(|e| logged_late(path, e))?;
    }
    Ok(names)
}

fn title(sheet: &mut Worksheet, text: &str) -> Result<()> {
    sheet.write_string_with_format(0, 0, text, &Format::new().set_bold().set_font_size(14)).map_err(xlsx)?;
    Ok(())
}

/// A round's tally: the count, the cut-off, and the hash of all ballots at closing.
fn tally_sheet(sheet: &mut Worksheet, name: &str, tally: &RoundTally) -> Result<()> {
    sheet.set_name(name).map_err(xlsx)?;
    let round = &tally.round;
    title(sheet, &format!("{}{}计票结果", round.category.label(), round.name()))?;
    let facts = [
        format!(
            "名额 {}，每票限选 {}；评委 {} 人，交回选票 {} 张，其中废票 {} 张",
            tally.cut.quota,
            round.quota.unwrap_or(0),
            tally.judges,
            tally.handed_in,
            tally.void
        ),
        format!("开始 {}，结束 {}", round.opened_at, round.closed_at.as_deref().unwrap_or("")),
        format!("全部选票哈希（SHA-256，结束时）：{}", round.ballots_hash.as_deref().unwrap_or("")),
        format!("重算方法见“{}选票原文”表", round.name().replace(['（', '）'], "")),
    ];
    for (i, fact) in facts.iter().enumerate() {
        sheet.write_string(1 + i as u32, 0, fact).map_err(xlsx)?;
    }
    let rows: Vec<Vec<Cell>> = tally
        .rows
        .iter()
        .map(|r| {
            let outcome = if tally.cut.shortlist.contains(&r.work_id) {
                "入围"
            } else if tally.cut.tie_band.contains(&r.work_id) {
                "并列待定"
            } else {
                ""
            };
            vec![
                Cell::Text(r.code.clone()),
                Cell::Number(f64::from(r.votes)),
                Cell::Number(f64::from(r.eligible)),
                Cell::Number(r.share()),
                Cell::Text(outcome.to_string()),
            ]
        })
        .collect();
    // Numbers, so they can be sorted and added up; the share shown as a percentage.
    let percent = Format::new().set_num_format(SHARE_FORMAT);
    write_cells_formatted(sheet, 5, &["作品编号", "票数", "可投票评委数", "得票率", "结果"], &rows, &[(3, &percent)])
}

/// The number format of a tally's 得票率 (a share stored as a fraction: 1 shows 100.0%).
pub const SHARE_FORMAT: &str = "0.0%";

/// Every ballot of a round by judge, with the way it came in (系统内, 纸质选票, 电子选票) and,
/// for a workbook, the returned file's SHA-256.
fn ballots_sheet(sheet: &mut Worksheet, name: &str, tally: &RoundTally, ballots: &[BallotRecord]) -> Result<()> {
    sheet.set_name(name).map_err(xlsx)?;
    title(sheet, &format!("{}{}选票明细", tally.round.category.label(), tally.round.name()))?;
    let rows: Vec<Vec<String>> = ballots
        .iter()
        .map(|b| {
            let status = match (&b.submitted_at, b.void) {
                (None, _) => "草稿（未提交，不计票）",
                (Some(_), true) => "废票",
                (Some(_), false) => "有效",
            };
            vec![
                b.judge_name.clone(),
                b.channel.label().to_string(),
                status.to_string(),
                b.votes.to_string(),
                b.submitted_at.clone().unwrap_or_default(),
                b.file_sha256.clone().unwrap_or_default(),
            ]
        })
        .collect();
    write_table(sheet, 2, &["评委", "渠道", "状态", "票数", "提交时间", "电子选票文件 SHA-256"], &rows)
}

/// The awards standing, as the notice lists them: no phone, score or amount.
fn award_rows(awards: &[AwardRow], texts: &HashMap<i64, String>) -> Vec<Vec<String>> {
    awards
        .iter()
        .filter(|a| a.revoked.is_none())
        .map(|a| {
            let shown = texts.get(&a.work_id).cloned().unwrap_or_else(|| a.title.clone());
            vec![a.tier_name.clone(), a.code.clone(), shown, a.author.clone(), a.unit_name.clone()]
        })
        .collect()
}

/// The internal award list: phones, mean scores and amounts (numbers as numbers), revoked
/// awards with their reason. The list to publish is `contest_lists`'.
fn award_sheet(sheet: &mut Worksheet, category: Category, awards: &[AwardRow]) -> Result<()> {
    sheet.set_name("获奖名单").map_err(xlsx)?;
    let total: i64 = awards.iter().filter(|a| a.revoked.is_none()).map(|a| a.amount_yuan).sum();
    title(sheet, &format!("{}获奖名单（内部，含联系电话；奖金合计 {total} 元）", category.label()))?;
    let headers = ["奖项", "作品编号", "标题", "作者", "单位", "联系电话", "终审平均分", "奖金（元）", "状态"];
    let rows: Vec<Vec<Cell>> = awards
        .iter()
        .map(|a| {
            vec![
                Cell::Text(a.tier_name.clone()),
                Cell::Text(a.code.clone()),
                Cell::Text(a.title.clone()),
                Cell::Text(a.author.clone()),
                Cell::Text(a.unit_name.clone()),
                Cell::Text(a.author_phone_masked.clone()),
                a.mean.value().map_or_else(|| Cell::Text("—".into()), |v| Cell::Number((v * 100.0).round() / 100.0)),
                Cell::Number(a.amount_yuan as f64),
                Cell::Text(a.revoked.clone().map_or_else(|| "有效".to_string(), |why| format!("已撤销：{why}"))),
            ]
        })
        .collect();
    write_cells(sheet, 2, &headers, &rows)
}

/// A table of text and numbers under bold headers, with widths that fit Chinese text.
fn write_cells(sheet: &mut Worksheet, first_row: u32, headers: &[&str], rows: &[Vec<Cell>]) -> Result<()> {
    write_cells_formatted(sheet, first_row, headers, rows, &[])
}

/// [`write_cells`], the numbers of each column listed in `formats` shown in its format.
fn write_cells_formatted(
    sheet: &mut Worksheet,
    first_row: u32,
    headers: &[&str],
    rows: &[Vec<Cell>],
    formats: &[(usize, &Format)],
) -> Result<()> {
    let bold = Format::new().set_bold();
    let mut widths: Vec<f64> = headers.iter().map(|h| display_width(h)).collect();
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(first_row, col as u16, *header, &bold).map_err(xlsx)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let at = first_row + 1 + i as u32;
        for (col, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(text) => {
                    widths[col] = widths[col].max(display_width(text));
                    sheet.write_string(at, col as u16, text)
                }
                Cell::Number(n) => match formats.iter().find(|(c, _)| *c == col) {
                    Some((_, format)) => sheet.write_number_with_format(at, col as u16, *n, format),
                    None => sheet.write_number(at, col as u16, *n),
                },
            }
            .map_err(xlsx)?;
        }
    }
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, (width + 2.0).min(60.0)).map_err(xlsx)?;
    }
    sheet.set_freeze_panes(first_row + 1, 0).map_err(xlsx)?;
    Ok(())
}

/// The lines a closed round's hash runs over, exactly as hashed, with how to recompute it.
fn hash_lines_sheet(sheet: &mut Worksheet, name: &str, round: &Round, lines: &[HashLine]) -> Result<()> {
    sheet.set_name(name).map_err(xlsx)?;
    title(sheet, &format!("{}{}全部选票（评分）原文", round.category.label(), round.name()))?;
    let how = [
        format!("结束时记录的哈希（SHA-256）：{}", round.ballots_hash.as_deref().unwrap_or("")),
        "重算方法：把 A 列第 6 行起的每一格按原样以 UTF-8 编码，每格末尾加一个换行符（\n），依次连接后计算 SHA-256，应与上面的哈希相同。".to_string(),
        "格式：选票 B|评委编号|纸质(1/0)|作废(1/0)|提交时间或“草稿”|所选作品编号（排序，逗号分隔）；评分 S|专家编号|作品编号|分数|提交时间或“草稿”。".to_string(),
    ];
    for (i, line) in how.iter().enumerate() {
        sheet.write_string(1 + i as u32, 0, line).map_err(xlsx)?;
    }
    let rows: Vec<Vec<String>> = lines.iter().map(|l| vec![l.line.clone(), l.judge_name.clone()]).collect();
    sheet.write_string_with_format(4, 0, "原文（参与哈希）", &Format::new().set_bold()).map_err(xlsx)?;
    sheet.write_string_with_format(4, 1, "评委（专家）", &Format::new().set_bold()).map_err(xlsx)?;
    for (i, row) in rows.iter().enumerate() {
        sheet.write_string(5 + i as u32, 0, &row[0]).map_err(xlsx)?;
        sheet.write_string(5 + i as u32, 1, &row[1]).map_err(xlsx)?;
    }
    sheet.set_column_width(0, 80.0).map_err(xlsx)?;
    sheet.set_column_width(1, 16.0).map_err(xlsx)?;
    Ok(())
}

/// Every expert's score of every work, drafts never submitted marked as not counted.
fn scores_sheet(sheet: &mut Worksheet, round: &Round, scores: &[ScoreRecord]) -> Result<()> {
    sheet.set_name("终审评分").map_err(xlsx)?;
    title(sheet, &format!("{}终审评分明细（全部专家、全部作品）", round.category.label()))?;
    let rows: Vec<Vec<Cell>> = scores
        .iter()
        .map(|s| {
            vec![
                Cell::Text(s.expert.clone()),
                Cell::Text(s.code.clone()),
                Cell::Number(f64::from(s.score)),
                Cell::Text(s.saved_at.clone()),
                Cell::Text(s.submitted_at.clone().unwrap_or_else(|| "未提交（草稿，不计分）".to_string())),
            ]
        })
        .collect();
    write_cells(sheet, 2, &["专家", "作品编号", "评分", "保存时间", "提交时间"], &rows)
}

/// Every objection received in 公示 and its ruling.
fn objections_sheet(sheet: &mut Worksheet, objections: &[ObjectionRow]) -> Result<()> {
    sheet.set_name("异议登记").map_err(xlsx)?;
    title(sheet, "公示期异议登记")?;
    let rows: Vec<Vec<String>> = objections
        .iter()
        .map(|o| {
            vec![
                o.received_on.clone(),
                o.work_code.clone().unwrap_or_else(|| "（整体结果）".to_string()),
                o.objector.clone(),
                o.contact_masked.clone(),
                o.content.clone(),
                o.ruling.map_or_else(|| "未处理".to_string(), |r| r.label().to_string()),
                o.ruling_text.clone(),
                o.ruled_by.clone().unwrap_or_default(),
                o.ruled_on.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let headers =
        ["收到日期", "作品编号", "异议人", "联系方式", "异议内容", "处理结果", "处理理由", "处理人", "处理日期"];
    write_table(sheet, 2, &headers, &rows)
}

/// Every decision with its reason, in time order.
fn decisions_sheet(sheet: &mut Worksheet, decisions: &[DecisionRecord]) -> Result<()> {
    sheet.set_name("决定记录").map_err(xlsx)?;
    title(sheet, "评选过程中的决定及理由")?;
    let rows: Vec<Vec<String>> =
        decisions.iter().map(|d| vec![d.at.clone(), d.by.clone(), d.what.clone(), d.reason.clone()]).collect();
    write_table(sheet, 2, &["时间", "决定人", "决定", "理由"], &rows)
}

/// The notice as posted: the period, the winners without phones or amounts, how to object.
fn notice_sheet(
    sheet: &mut Worksheet,
    category: Category,
    period: &Publicity,
    awards: &[AwardRow],
    texts: &HashMap<i64, String>,
) -> Result<()> {
    sheet.set_name("公示").map_err(xlsx)?;
    title(sheet, &format!("「好家风·好家训」征集评选活动{}评选结果公示", category.label()))?;
    let lines = [
        format!(
            "经初评、终审，现将{}评选结果予以公示。公示期为 {} 至 {}（{} 个工作日）。",
            category.label(),
            format_date(period.starts_on),
            format_date(period.ends_on),
            period.working_days
        ),
        "公示期间如有异议，请以书面形式实名向市直机关工委提出，并注明联系方式；匿名或逾期的异议不予受理。".to_string(),
    ];
    for (i, line) in lines.iter().enumerate() {
        sheet.write_string(1 + i as u32, 0, line).map_err(xlsx)?;
    }
    let work = if category == Category::Motto { "家训内容" } else { "故事标题" };
    write_table(sheet, 4, &["奖项", "作品编号", work, "作者", "单位"], &award_rows(awards, texts))
}

/// The judges' login slips on one sheet, one slip of four lines each with a gap to cut
/// along: who, the login, the one-time password, and that it must be changed at first login.
/// The passwords exist only in `slips` (the database keeps their hashes), so the file is
/// written straight from what [`crate::store::contest::judges::issue_login_slips`] returned,
/// and logged as an export by `actor` once in place.
pub fn write_login_slips(conn: &rusqlite::Connection, actor: &Actor, path: &Path, slips: &[LoginSlip]) -> Result<()> {
    may_export(actor)?;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("评委登录条").map_err(xlsx)?;
    sheet.set_column_width(0, 48.0).map_err(xlsx)?;
    let bold = Format::new().set_bold().set_font_size(13);
    for (i, slip) in slips.iter().enumerate() {
        let row = i as u32 * 5;
        let heading = format!("「好家风·好家训」评选 {}：{}（{}）", slip.role.label(), slip.name, slip.unit_name);
        sheet.write_string_with_format(row, 0, &heading, &bold).map_err(xlsx)?;
        sheet.write_string(row + 1, 0, format!("登录名：{}", slip.login)).map_err(xlsx)?;
        sheet.write_string(row + 2, 0, format!("初始密码：{}", slip.password)).map_err(xlsx)?;
        sheet.write_string(row + 3, 0, "首次登录后须修改密码；本条请妥善保管，勿转交他人。").map_err(xlsx)?;
    }
    export_workbook(conn, actor, &format!("评委登录单 {} 张", slips.len()), &mut workbook, path)
}
