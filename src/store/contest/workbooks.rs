//! 电子选票: a ballot workbook per judge, filled at the judge's own desk and taken back by
//! the desk. Each carries a seal — HMAC-SHA256 under the round's secret, which never leaves
//! the database — over the round, the judge and the works' codes, so a returned ballot is
//! known to be that judge's, for that round, with the list unchanged. A returned ballot is
//! recorded like a paper ballot (void as a whole over the quota) with its file's SHA-256.
//! The layout of the workbook is `io::ballot_workbook`'s; docs/ballot-workbook.md is the
//! contract.

use hmac::{Hmac, KeyInit as _, Mac as _};
use rusqlite::{Connection, OptionalExtension as _, params};
use sha2::Sha256;

use super::ballots::{BallotWork, ballot_of, ballot_view, insert_ballot, voting_round};
use super::rounds::{Round, open_round, round_by_id};
use super::{NOW, atomically, require_overseer};
use crate::domain::access::{Action, require};
use crate::domain::contest::Category;
use crate::error::{Error, Result};
use crate::store::{Actor, audit};

/// Who recorded a returned workbook, as the ballot keeps it (the audit log names the account).
const ENTERED_BY: &str = "电子选票";
/// The audit entry of an export, whose detail lists each file's SHA-256.
pub const EXPORTED: &str = "导出电子选票";
/// The refusal of a ballot with no mark that the clerk has not confirmed as an abstention:
/// a judge who sends back the workbook as it came (or a clerk who picked the export folder)
/// would otherwise lose the vote without anyone noticing.
pub const UNMARKED: &str = "未选任何作品：“选择”列一件也没有选；评委确为弃权的，须经确认才作为弃权收回";

/// One judge's ballot to write out: exactly what their blind ballot shows in the window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedBallot {
    pub round_id: i64,
    pub category: Category,
    /// `初评` or `决选（第n轮）`.
    pub round_name: String,
    pub quota: u32,
    pub judge_id: i64,
    pub judge_name: String,
    /// By code, without the judge's own unit's works.
    pub works: Vec<BallotWork>,
    /// Lower-case hex HMAC-SHA256.
    pub seal: String,
}

/// Ballots to issue in the category's open round: one per judge of the round who has not
/// voted yet (a judge with a ballot in the window, or one already returned, gets none).
pub fn issue_ballots(conn: &Connection, actor: &Actor, category: Category) -> Result<Vec<IssuedBallot>> {
    require(actor.role, Action::RunContestRounds)?;
    let round = voting_round(conn, category)?;
    let mut stmt = conn.prepare_cached(
        "SELECT j.id, j.name, j.unit_id FROM contest_round_judge rj JOIN contest_judge j ON j.id = rj.judge_id
         WHERE rj.round_id = ?1 AND NOT EXISTS (SELECT 1 FROM contest_ballot b WHERE b.round_id = ?1 AND b.judge_id = j.id)
         ORDER BY j.id",
    )?;
    let judges: Vec<(i64, String, Option<i64>)> =
        stmt.query_map([round.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    let key = seal_key(conn, round.id)?;
    judges
        .into_iter()
        .map(|(judge_id, judge_name, unit_id)| {
            let view = ballot_view(conn, &round, judge_id, unit_id)?;
            let codes: Vec<String> = view.works.iter().map(|w| w.code.clone()).collect();
            Ok(IssuedBallot {
                round_id: round.id,
                category,
                round_name: round.name(),
                quota: view.quota,
                judge_id,
                judge_name,
                seal: seal_with(&key, round.id, judge_id, &codes)?,
                works: view.works,
            })
        })
        .collect()
}

fn seal_key(conn: &Connection, round: i64) -> Result<Vec<u8>> {
    conn.prepare_cached("SELECT secret FROM ballot_seal_key WHERE round_id = ?1")?
        .query_row([round], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::rejected("该轮次没有封签密钥，不能发出或收回电子选票"))
}

/// The sealed text: round id, judge id and the codes sorted, one a line (sorting rows in a
/// spreadsheet is no change to the list).
fn seal_message(round: i64, judge: i64, codes: &[String]) -> Vec<u8> {
    let mut sorted: Vec<&str> = codes.iter().map(|c| c.trim()).collect();
    sorted.sort_unstable();
    format!("volunteer-desk ballot v1\n{round}\n{judge}\n{}", sorted.join("\n")).into_bytes()
}

fn mac(key: &[u8], round: i64, judge: i64, codes: &[String]) -> Result<Hmac<Sha256>> {
    let mut mac = <Hmac<Sha256>>::new_from_slice(key).map_err(|_| Error::rejected("封签密钥无效"))?;
    mac.update(&seal_message(round, judge, codes));
    Ok(mac)
}

fn seal_with(key: &[u8], round: i64, judge: i64, codes: &[String]) -> Result<String> {
    Ok(crate::store::sealing::hex(&mac(key, round, judge, codes)?.finalize().into_bytes()))
}

/// Whether `seal` (hex) is the seal of this round, judge and list, compared in constant time.
fn seal_holds(key: &[u8], round: i64, judge: i64, codes: &[String], seal: &str) -> Result<bool> {
    let Some(bytes) = hex_bytes(seal.trim()) else { return Ok(false) };
    Ok(mac(key, round, judge, codes)?.verify_slice(&bytes).is_ok())
}

fn hex_bytes(text: &str) -> Option<Vec<u8>> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok()).collect()
}

/// A ballot workbook as it came back, read by `io::ballot_workbook`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReturnedBallot {
    pub file_name: String,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub file_sha256: String,
    pub round_id: i64,
    pub judge_id: i64,
    /// Every work code on the ballot, as the file lists them.
    pub codes: Vec<String>,
    /// The codes marked ✓.
    pub marked: Vec<String>,
    pub seal: String,
    /// The clerk confirmed that a ballot with no mark is the judge's abstention.
    pub abstention_confirmed: bool,
}

/// A returned ballot recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TakenBallot {
    pub ballot_id: i64,
    pub round_id: i64,
    pub judge_name: String,
    pub votes: usize,
    /// Over the quota: recorded, counted for nothing.
    pub void: bool,
}

/// Takes back a returned ballot after checking it: seal, round open, judge of the round, the
/// list the same as the judge's ballot now, no ballot of the judge's yet (window, paper or
/// an earlier workbook), and some mark — or an abstention the clerk confirmed, in a file that
/// is not one of the exported ones unchanged. Over the quota it is recorded void.
/// `Err(Rejected)` says why not ([`UNMARKED`] for a ballot that needs the confirmation).
pub fn receive_ballot(conn: &Connection, actor: &Actor, returned: &ReturnedBallot) -> Result<TakenBallot> {
    require(actor.role, Action::RunContestRounds)?;
    let round = sealed_round(conn, returned)?;
    let (judge_name, unit_id): (String, Option<i64>) = conn
        .prepare_cached(
            "SELECT j.name, j.unit_id FROM contest_round_judge rj JOIN contest_judge j ON j.id = rj.judge_id
             WHERE rj.round_id = ?1 AND rj.judge_id = ?2",
        )?
        .query_row(params![round.id, returned.judge_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| Error::rejected("该评委不是本轮的评委"))?;
    let view = ballot_view(conn, &round, returned.judge_id, unit_id)?;
    let mut listed: Vec<&str> = view.works.iter().map(|w| w.code.as_str()).collect();
    let mut returned_codes: Vec<&str> = returned.codes.iter().map(|c| c.trim()).collect();
    listed.sort_unstable();
    returned_codes.sort_unstable();
    if listed != returned_codes {
        return Err(Error::rejected("选票上的作品与本轮该评委应评的作品不一致，请重新发出选票"));
    }
    atomically(conn, || {
        refuse_second_ballot(conn, round.id, returned.judge_id, &judge_name)?;
        if returned.marked.is_empty() {
            refuse_unconfirmed_abstention(conn, returned)?;
        }
        let ballot = insert_ballot(conn, round.id, returned.judge_id, true, ENTERED_BY)?;
        let mut tick = conn.prepare_cached("INSERT INTO contest_vote (ballot_id, work_id) VALUES (?1, ?2)")?;
        for code in &returned.marked {
            let work = view
                .works
                .iter()
                .find(|w| w.code == code.trim())
                .ok_or_else(|| Error::rejected(format!("作品编号“{}”不在这张选票上", code.trim())))?;
            tick.execute(params![ballot, work.work_id])?;
        }
        let void = returned.marked.len() > view.quota as usize;
        conn.prepare_cached(&format!("UPDATE contest_ballot SET submitted_at = {NOW}, void = ?2 WHERE id = ?1"))?
            .execute(params![ballot, void])?;
        conn.prepare_cached(&format!(
            "INSERT INTO contest_ballot_workbook (ballot_id, file_name, file_sha256, received_at) VALUES (?1, ?2, ?3, {NOW})"
        ))?
        .execute(params![ballot, returned.file_name, returned.file_sha256])?;
        let detail = format!(
            "{judge_name}：{} 票{}；文件 {}，SHA-256 {}",
            returned.marked.len(),
            if void {
                "，超出限选数，整张作废"
            } else if returned.marked.is_empty() {
                "（经确认为弃权）"
            } else {
                ""
            },
            quoted(&returned.file_name),
            returned.file_sha256
        );
        audit::record(conn, actor, "收回电子选票", &format!("contest_ballot#{ballot}"), &detail)?;
        Ok(TakenBallot {
            ballot_id: ballot,
            round_id: round.id,
            judge_name: judge_name.clone(),
            votes: returned.marked.len(),
            void,
        })
    })
}

/// The round a returned ballot is sealed for, once the seal holds and the round is open.
fn sealed_round(conn: &Connection, returned: &ReturnedBallot) -> Result<Round> {
    let exists: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM contest_round WHERE id = ?1)")?
        .query_row([returned.round_id], |r| r.get(0))?;
    let sealed = exists
        && seal_holds(
            &seal_key(conn, returned.round_id)?,
            returned.round_id,
            returned.judge_id,
            &returned.codes,
            &returned.seal,
        )?;
    if !sealed {
        return Err(Error::rejected("封签不符：作品编号、评委或轮次与发出时不同，或不是本数据库发出的选票，不予收回"));
    }
    let round = round_by_id(conn, returned.round_id)?;
    let open = open_round(conn, round.category)?.is_some_and(|r| r.id == round.id);
    if !open {
        return Err(Error::rejected(format!(
            "{}{}不在投票中（已结束或未开启），这张选票不能收回",
            round.category.label(),
            round.name()
        )));
    }
    Ok(round)
}

/// An empty ballot is taken only as a confirmed abstention, and never in a file exactly as it
/// was exported: that is a ballot nobody filled in, picked up from the export folder.
fn refuse_unconfirmed_abstention(conn: &Connection, returned: &ReturnedBallot) -> Result<()> {
    if !returned.abstention_confirmed {
        return Err(Error::rejected(UNMARKED));
    }
    let exported: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM audit_log WHERE kind = ?1 AND instr(after, ?2) > 0)")?
        .query_row(params![EXPORTED, returned.file_sha256], |r| r.get(0))?;
    if exported {
        return Err(Error::rejected(
            "未经填写：这份文件与导出时完全相同，评委没有填写保存过（是否选了存放导出选票的文件夹？），不作为弃权收回",
        ));
    }
    Ok(())
}

/// A file name as summaries and the log show it: quoted, with control characters (a newline
/// in a name would start a fake line of the summary) written out as escapes.
pub fn quoted(name: &str) -> String {
    let mut shown = String::with_capacity(name.len() + 6);
    shown.push('“');
    for c in name.chars() {
        if c.is_control() {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    shown.push('”');
    shown
}

/// One ballot per judge per round, by whatever way it came in.
fn refuse_second_ballot(conn: &Connection, round: i64, judge: i64, judge_name: &str) -> Result<()> {
    let Some((ballot, _)) = ballot_of(conn, round, judge)? else { return Ok(()) };
    let earlier: Option<(String, String)> = conn
        .prepare_cached("SELECT file_name, received_at FROM contest_ballot_workbook WHERE ballot_id = ?1")?
        .query_row([ballot], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let paper: bool =
        conn.prepare_cached("SELECT paper FROM contest_ballot WHERE id = ?1")?.query_row([ballot], |r| r.get(0))?;
    Err(Error::rejected(match (earlier, paper) {
        (Some((file, at)), _) => {
            format!("重复：{judge_name}的电子选票已于 {at} 收回（文件 {}），第二份不予收回", quoted(&file))
        }
        (None, true) => format!("{judge_name}已交纸质选票，不能再收电子选票"),
        (None, false) => format!("{judge_name}已在系统中投票（或保存了草稿），不能再收电子选票"),
    }))
}

/// Whether a round is taking ballots now (a returned file's round, for the summary).
pub fn takes_ballots(conn: &Connection, round_id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM contest_open_round WHERE id = ?1 AND kind IN ('初评', '决选'))")?
        .query_row([round_id], |r| r.get(0))?)
}

/// Where the returns of a round stand: 已收 n / 应收 m, void, and who is still missing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundReturns {
    pub category: Category,
    pub round_name: String,
    /// The round's judges.
    pub expected: usize,
    /// Judges whose ballot is in, by any way (void ones included).
    pub received: usize,
    pub void: usize,
    /// Judges with nothing handed in, by name.
    pub missing: Vec<String>,
}

/// The returns of a round: who has handed in, never what they chose.
pub fn round_returns(conn: &Connection, actor: &Actor, round_id: i64) -> Result<RoundReturns> {
    require_overseer(actor, "查看选票收回情况")?;
    let round = round_by_id(conn, round_id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT j.name, b.submitted_at IS NOT NULL, coalesce(b.void, 0)
         FROM contest_round_judge rj JOIN contest_judge j ON j.id = rj.judge_id
         LEFT JOIN contest_ballot b ON b.round_id = rj.round_id AND b.judge_id = j.id
         WHERE rj.round_id = ?1 ORDER BY j.id",
    )?;
    let judges: Vec<(String, bool, bool)> =
        stmt.query_map([round_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    Ok(RoundReturns {
        category: round.category,
        round_name: round.name(),
        expected: judges.len(),
        received: judges.iter().filter(|(_, handed_in, _)| *handed_in).count(),
        void: judges.iter().filter(|(_, _, void)| *void).count(),
        missing: judges.into_iter().filter(|(_, handed_in, _)| !handed_in).map(|(name, _, _)| name).collect(),
    })
}

/// The way a ballot came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Channel {
    /// Cast by the judge in the window.
    Window,
    /// Keyed in from paper by the desk.
    Paper,
    /// A returned ballot workbook.
    Workbook,
}

impl Channel {
    pub fn label(self) -> &'static str {
        match self {
            Channel::Window => "系统内",
            Channel::Paper => "纸质选票",
            Channel::Workbook => "电子选票",
        }
    }
}

/// One ballot of a closed round, for the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BallotRecord {
    pub judge_name: String,
    pub channel: Channel,
    pub submitted_at: Option<String>,
    pub votes: u32,
    pub void: bool,
    /// The returned file's SHA-256, for a workbook.
    pub file_sha256: Option<String>,
}

/// Every ballot of a closed round, by judge, with the way it came in. Refused while the round
/// is open (how many votes a ballot carries is a count).
pub fn round_ballots(conn: &Connection, actor: &Actor, round_id: i64) -> Result<Vec<BallotRecord>> {
    require_overseer(actor, "查看选票明细")?;
    let round = round_by_id(conn, round_id)?;
    if round.closed_at.is_none() {
        return Err(Error::rejected(format!(
            "{}{}正在进行，投票结束前不能查看选票明细",
            round.category.label(),
            round.name()
        )));
    }
    let mut stmt = conn.prepare_cached(
        "SELECT j.name, b.paper, x.file_sha256, b.submitted_at,
                (SELECT count(*) FROM contest_vote v WHERE v.ballot_id = b.id), b.void
         FROM contest_ballot b JOIN contest_judge j ON j.id = b.judge_id
         LEFT JOIN contest_ballot_workbook x ON x.ballot_id = b.id
         WHERE b.round_id = ?1 ORDER BY j.id",
    )?;
    let rows = stmt.query_map([round_id], |r| {
        let (paper, file_sha256): (bool, Option<String>) = (r.get(1)?, r.get(2)?);
        let channel = match (&file_sha256, paper) {
            (Some(_), _) => Channel::Workbook,
            (None, true) => Channel::Paper,
            (None, false) => Channel::Window,
        };
        Ok(BallotRecord {
            judge_name: r.get(0)?,
            channel,
            submitted_at: r.get(3)?,
            votes: r.get(4)?,
            void: r.get(5)?,
            file_sha256,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
