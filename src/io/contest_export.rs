//! The contest's workbook for the record: a tally sheet per closed ballot round (with the
//! hash of all its ballots at closing), the shortlist, the award list with authors, units and
//! amounts, and the 公示 notice — whichever the category has reached. Phones are masked.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::export::{database_of, export_workbook, may_export, save_workbook};
use super::roster::write_table;
use crate::domain::access::{Action, require};
use crate::domain::contest::{Category, RoundState};
use crate::domain::format_date;
use crate::error::{Error, Result};
use crate::store::contest::final_round::{AwardRow, award_list};
use crate::store::contest::judges::LoginSlip;
use crate::store::contest::publicity::{Publicity, publicity};
use crate::store::contest::rounds::{RoundKind, rounds};
use crate::store::contest::state;
use crate::store::contest::tally::{RoundTally, round_tally, shortlist};
use crate::store::contest::workbooks::{BallotRecord, round_ballots};
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
    for round in rounds(conn, category)?.into_iter().filter(|r| r.kind != RoundKind::Final && r.closed_at.is_some()) {
        let tally = round_tally(conn, actor, round.id)?;
        let name = format!("{}计票", tally.round.name().replace(['（', '）'], ""));
        tally_sheet(workbook.add_worksheet(), &name, &tally)?;
        names.push(name);
        let name = format!("{}选票", tally.round.name().replace(['（', '）'], ""));
        ballots_sheet(workbook.add_worksheet(), &name, &tally, &round_ballots(conn, actor, round.id)?)?;
        names.push(name);
    }
    if names.is_empty() {
        return Err(Error::rejected(format!("{}的初评尚未结束，还没有可以导出的评选结果", category.label())));
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
        notice_sheet(workbook.add_worksheet(), category, &period, &awards)?;
        names.push("公示".to_string());
    }
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
    ];
    for (i, fact) in facts.iter().enumerate() {
        sheet.write_string(1 + i as u32, 0, fact).map_err(xlsx)?;
    }
    let rows: Vec<Vec<String>> = tally
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
                r.code.clone(),
                r.votes.to_string(),
                r.eligible.to_string(),
                format!("{:.1}%", r.share() * 100.0),
                outcome.to_string(),
            ]
        })
        .collect();
    write_table(sheet, 5, &["作品编号", "票数", "可投票评委数", "得票率", "结果"], &rows)
}

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

fn award_rows(awards: &[AwardRow], with_amounts: bool) -> Vec<Vec<String>> {
    awards
        .iter()
        .filter(|a| with_amounts || a.revoked.is_none())
        .map(|a| {
            let mut row =
                vec![a.tier_name.clone(), a.code.clone(), a.title.clone(), a.author.clone(), a.unit_name.clone()];
            if with_amounts {
                row.extend([
                    a.author_phone_masked.clone(),
                    a.mean.display(),
                    a.amount_yuan.to_string(),
                    a.revoked.clone().map_or_else(|| "有效".to_string(), |why| format!("已撤销：{why}")),
                ]);
            }
            row
        })
        .collect()
}

fn award_sheet(sheet: &mut Worksheet, category: Category, awards: &[AwardRow]) -> Result<()> {
    sheet.set_name("获奖名单").map_err(xlsx)?;
    let total: i64 = awards.iter().filter(|a| a.revoked.is_none()).map(|a| a.amount_yuan).sum();
    title(sheet, &format!("{}获奖名单（奖金合计 {total} 元）", category.label()))?;
    let headers = ["奖项", "作品编号", "标题", "作者", "单位", "联系电话", "终审平均分", "奖金（元）", "状态"];
    write_table(sheet, 2, &headers, &award_rows(awards, true))
}

/// The notice as posted: the period, the winners without phones or amounts, how to object.
fn notice_sheet(sheet: &mut Worksheet, category: Category, period: &Publicity, awards: &[AwardRow]) -> Result<()> {
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
    write_table(sheet, 4, &["奖项", "作品编号", "标题", "作者", "单位"], &award_rows(awards, false))
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
