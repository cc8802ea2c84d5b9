//! 电子选票: a ballot workbook per judge, filled at the judge's own desk and taken back by
//! the desk. Each carries a seal — HMAC-SHA256 under the round's secret — over the round, the
//! judge and the works' codes, so a returned ballot is known to be that judge's, for that
//! round, with the list unchanged. The secret is kept sealed under the data key (issue #26): a
//! copy of the file or a backup without the key cannot seal a ballot. A returned ballot is
//! recorded like a paper ballot (void as a whole over the quota) with its file's SHA-256, and
//! gets a receipt of what was counted for the judge to compare: the seal does not cover the
//! ✓ marks. The layout of the workbook is `io::ballot_workbook`'s; docs/ballot-workbook.md is
//! the contract.

use hmac::{Hmac, KeyInit as _, Mac as _};
use rusqlite::{Connection, OptionalExtension as _, params};
use sha2::Sha256;

use super::ballots::{BallotWork, ballot_of, ballot_view, insert_ballot, voting_round};
use super::rounds::{Round, open_round, round_by_id};
use super::{NOW, atomically, require_overseer};
use crate::domain::access::{Action, require};
use crate::domain::contest::Category;
use crate::error::{Error, Result};
use crate::store::sealing::DataKey;
use crate::store::{Actor, Store, audit};

/// Who recorded a returned workbook, as the ballot keeps it (the audit log names the account).
const ENTERED_BY: &str = "电子选票";
/// The audit entry of an export, whose detail lists each file's SHA-256.
pub const EXPORTED: &str = "导出电子选票";
/// The refusal of a ballot with no mark that the clerk has not confirmed as an abstention:
/// a judge who sends back the workbook as it came (or a clerk who picked the export folder)
/// would otherwise lose the vote without anyone noticing.
pub const UNMARKED: &str = "未选任何作品：“选择”列一件也没有选；评委确为弃权的，须经确认才作为弃权收回";
/// Why ballots can be neither issued nor taken back on a desk without the data key: the
/// rounds' secrets are sealed under it. Everything else about the contest works.
pub const NO_KEY_FOR_BALLOTS: &str = "本机没有这个数据库的数据密钥，不能发出或收回电子选票：各轮的封签密钥用数据密钥加密保存，\
    没有它既不能给选票加封签，也不能核对交回选票的封签。请管理员在“系统 → 数据密钥 → 输入恢复码”处输入；\
    在系统中投票、录入纸质选票和计票不受影响。";

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
pub fn issue_ballots(conn: &Connection, actor: &Actor, key: &DataKey, category: Category) -> Result<Vec<IssuedBallot>> {
    require(actor.role, Action::RunContestRounds)?;
    let round = voting_round(conn, category)?;
    let mut stmt = conn.prepare_cached(
        "SELECT j.id, j.name, j.unit_id FROM contest_round_judge rj JOIN contest_judge j ON j.id = rj.judge_id
         WHERE rj.round_id = ?1 AND NOT EXISTS (SELECT 1 FROM contest_ballot b WHERE b.round_id = ?1 AND b.judge_id = j.id)
         ORDER BY j.id",
    )?;
    let judges: Vec<(i64, String, Option<i64>)> =
        stmt.query_map([round.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    let key = issued_secret(conn, key, round.id)?;
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

/// What a round's sealed secret is bound to: the table and the round, so a sealed secret
/// moved to another round's row does not open.
fn secret_aad(round: i64) -> Vec<u8> {
    format!("ballot_seal_key|round:{round}").into_bytes()
}

/// What a returned ballot's sealed receipt is bound to.
fn receipt_aad(ballot: i64) -> Vec<u8> {
    format!("contest_ballot_receipt|ballot:{ballot}").into_bytes()
}

/// A round's secret as the file keeps it.
enum StoredSecret {
    Sealed(String),
    /// Written before migration 19; sealed at the next open that has the key.
    Clear(Vec<u8>),
}

fn stored_secret(conn: &Connection, round: i64) -> Result<Option<StoredSecret>> {
    let row: Option<(Option<Vec<u8>>, Option<String>)> = conn
        .prepare_cached("SELECT secret, sealed FROM ballot_seal_key WHERE round_id = ?1")?
        .query_row([round], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row.and_then(|(clear, sealed)| sealed.map(StoredSecret::Sealed).or(clear.map(StoredSecret::Clear))))
}

/// The round's secret, opened with the data key.
fn round_secret(conn: &Connection, key: &DataKey, round: i64) -> Result<Vec<u8>> {
    match stored_secret(conn, round)? {
        Some(StoredSecret::Sealed(sealed)) => key.open_bytes(&sealed, &secret_aad(round)).ok_or_else(|| {
            Error::rejected("该轮次的封签密钥无法用本机的数据密钥解开（密钥不符或数据已损坏），不能发出或收回电子选票")
        }),
        Some(StoredSecret::Clear(secret)) => Ok(secret),
        None => Err(Error::rejected("该轮次还没有发出过电子选票，没有封签密钥")),
    }
}

/// The round's secret, made when its first ballots are issued: 32 random bytes that exist in
/// clear only in memory, written sealed.
fn issued_secret(conn: &Connection, key: &DataKey, round: i64) -> Result<Vec<u8>> {
    if stored_secret(conn, round)?.is_none() {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|e| Error::rejected(format!("无法取得系统随机数：{e}")))?;
        let sealed = key.seal_bytes(&secret, &secret_aad(round))?;
        // Another window issuing at the same moment made one first: theirs stands.
        conn.prepare_cached("INSERT INTO ballot_seal_key (round_id, sealed) VALUES (?1, ?2) ON CONFLICT DO NOTHING")?
            .execute(params![round, sealed])?;
    }
    round_secret(conn, key, round)
}

fn write_sealed_secret(conn: &Connection, key: &DataKey, round: i64, secret: &[u8]) -> Result<()> {
    let sealed = key.seal_bytes(secret, &secret_aad(round))?;
    conn.prepare_cached("UPDATE ballot_seal_key SET secret = NULL, sealed = ?2 WHERE round_id = ?1")?
        .execute(params![round, sealed])?;
    Ok(())
}

/// Seals under `key` every round secret a file from before migration 19 keeps in clear (at
/// the first open that has the key), and marks the file for the rewrite that follows
/// (`store::rewrite_pages_once`): no freed page or log frame keeps a secret. Logged.
pub(crate) fn seal_clear_secrets(conn: &Connection, key: &DataKey) -> Result<usize> {
    let clear: Vec<(i64, Vec<u8>)> = conn
        .prepare("SELECT round_id, secret FROM ballot_seal_key WHERE secret IS NOT NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    if clear.is_empty() {
        return Ok(0);
    }
    atomically(conn, || {
        for (round, secret) in &clear {
            write_sealed_secret(conn, key, *round, secret)?;
        }
        conn.execute("UPDATE field_key SET pages_rewritten = 0", [])?;
        let program = Actor { name: "程序".to_string(), ..Actor::command_line() };
        let detail = format!("{} 个评审轮次的电子选票封签密钥改为用数据密钥加密保存，数据库文件随后重写", clear.len());
        audit::record(conn, &program, "加密封签密钥", "ballot_seal_key", &detail)
    })?;
    Ok(clear.len())
}

/// Every value this module seals — the rounds' ballot secrets and the returned ballots'
/// receipts — opened with `old` and sealed again under `new` (更换数据密钥); a secret still
/// in clear is sealed under `new`. Runs in the caller's transaction; refuses, changing
/// nothing the caller commits, when a value does not open with `old`.
pub fn reseal_ballot_secrets(conn: &Connection, old: &DataKey, new: &DataKey) -> Result<usize> {
    let secrets: Vec<(i64, Option<Vec<u8>>, Option<String>)> = conn
        .prepare("SELECT round_id, secret, sealed FROM ballot_seal_key ORDER BY round_id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let unreadable = |what: String| Error::rejected(format!("{what}无法用原数据密钥解开，未更换密钥"));
    for (round, clear, sealed) in &secrets {
        let secret = match (clear, sealed) {
            (_, Some(sealed)) => old
                .open_bytes(sealed, &secret_aad(*round))
                .ok_or_else(|| unreadable(format!("第 {round} 轮的封签密钥")))?,
            (Some(clear), None) => clear.clone(),
            (None, None) => continue,
        };
        write_sealed_secret(conn, new, *round, &secret)?;
    }
    let receipts: Vec<(i64, String)> = conn
        .prepare("SELECT ballot_id, sealed FROM contest_ballot_receipt ORDER BY ballot_id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (ballot, sealed) in &receipts {
        let text =
            old.open_bytes(sealed, &receipt_aad(*ballot)).ok_or_else(|| unreadable(format!("选票 {ballot} 的回执")))?;
        conn.prepare_cached("UPDATE contest_ballot_receipt SET sealed = ?2 WHERE ballot_id = ?1")?
            .execute(params![ballot, new.seal_bytes(&text, &receipt_aad(*ballot))?])?;
    }
    Ok(secrets.len() + receipts.len())
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
    /// What was counted, to send to the judge.
    pub receipt: BallotReceipt,
}

/// The receipt of a returned ballot taken in: what was counted as 同意, for the clerk to send
/// to the judge, who compares it with what they marked — the seal covers the list of works,
/// not the ✓ marks, which whoever handled the file could have changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BallotReceipt {
    pub category: Category,
    pub round_name: String,
    pub judge_name: String,
    pub received_at: String,
    pub file_name: String,
    pub file_sha256: String,
    /// The codes marked ✓, in code order.
    pub codes: Vec<String>,
    pub quota: u32,
    /// Over the quota: recorded, counted for nothing.
    pub void: bool,
}

impl std::fmt::Display for BallotReceipt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "电子选票回执")?;
        writeln!(f, "评选：「好家风·好家训」{}{}", self.category.label(), self.round_name)?;
        writeln!(f, "评委：{}", self.judge_name)?;
        writeln!(f, "收回时间：{}", self.received_at)?;
        writeln!(f, "文件：{}", quoted(&self.file_name))?;
        writeln!(f, "文件 SHA-256：{}", self.file_sha256)?;
        let codes = if self.codes.is_empty() {
            "无（经确认作为弃权收回）".to_string()
        } else {
            self.codes.join("、")
        };
        if self.void {
            writeln!(f, "选票上打勾的作品（{} 件）：{codes}", self.codes.len())?;
            writeln!(f, "超出每票限选的 {} 件，整张选票作废，以上作品均不计票。", self.quota)?;
        } else {
            writeln!(f, "计为同意的作品（{} 件）：{codes}", self.codes.len())?;
        }
        write!(f, "请核对：以上作品应正是您在选票“选择”列中打勾的作品，不多不少；如有不符，请立即与评选组织者联系。")
    }
}

/// Takes back a returned ballot after checking it: seal, round open, judge of the round, the
/// list the same as the judge's ballot now, no ballot of the judge's yet (window, paper or
/// an earlier workbook), and some mark — or an abstention the clerk confirmed, in a file that
/// is not one of the exported ones unchanged. Over the quota it is recorded void.
/// `Err(Rejected)` says why not ([`UNMARKED`] for a ballot that needs the confirmation).
pub fn receive_ballot(
    conn: &Connection,
    actor: &Actor,
    key: &DataKey,
    returned: &ReturnedBallot,
) -> Result<TakenBallot> {
    require(actor.role, Action::RunContestRounds)?;
    let round = sealed_round(conn, key, returned)?;
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
        let mut codes: Vec<String> = returned.marked.iter().map(|c| c.trim().to_string()).collect();
        codes.sort_unstable();
        let receipt = BallotReceipt {
            category: round.category,
            round_name: round.name(),
            judge_name: judge_name.clone(),
            received_at: received_at(conn, ballot)?,
            file_name: returned.file_name.clone(),
            file_sha256: returned.file_sha256.clone(),
            codes,
            quota: view.quota,
            void,
        };
        keep_receipt(conn, key, ballot, &receipt)?;
        let detail = format!(
            "{judge_name}：{} 票{}；文件 {}，SHA-256 {}；已出具回执",
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
            receipt,
        })
    })
}

fn received_at(conn: &Connection, ballot: i64) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT received_at FROM contest_ballot_workbook WHERE ballot_id = ?1")?
        .query_row([ballot], |r| r.get(0))?)
}

/// The receipt's text, sealed: it lists a judge's votes, which nobody may read from the file
/// while the round is open.
fn keep_receipt(conn: &Connection, key: &DataKey, ballot: i64, receipt: &BallotReceipt) -> Result<()> {
    let sealed = key.seal_bytes(receipt.to_string().as_bytes(), &receipt_aad(ballot))?;
    conn.prepare_cached("INSERT INTO contest_ballot_receipt (ballot_id, sealed) VALUES (?1, ?2)")?
        .execute(params![ballot, sealed])?;
    Ok(())
}

/// A returned ballot workbook of a round, for the list its receipts are shown again from:
/// who and when, never what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReturnedWorkbook {
    pub ballot_id: i64,
    pub judge_name: String,
    pub received_at: String,
    pub file_name: String,
    /// Taken in before receipts were kept (migration 19): none to show.
    pub has_receipt: bool,
}

/// The round's returned ballot workbooks, in the order taken in.
pub fn returned_workbooks(conn: &Connection, actor: &Actor, round_id: i64) -> Result<Vec<ReturnedWorkbook>> {
    require(actor.role, Action::RunContestRounds)?;
    let mut stmt = conn.prepare_cached(
        "SELECT b.id, j.name, x.received_at, x.file_name,
                EXISTS (SELECT 1 FROM contest_ballot_receipt r WHERE r.ballot_id = b.id)
         FROM contest_ballot_workbook x JOIN contest_ballot b ON b.id = x.ballot_id
         JOIN contest_judge j ON j.id = b.judge_id
         WHERE b.round_id = ?1 ORDER BY x.received_at, b.id",
    )?;
    let rows = stmt.query_map([round_id], |r| {
        Ok(ReturnedWorkbook {
            ballot_id: r.get(0)?,
            judge_name: r.get(1)?,
            received_at: r.get(2)?,
            file_name: r.get(3)?,
            has_receipt: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A returned ballot's receipt as it was given when the ballot was taken in, to send again
/// (the administrator's, logged).
pub fn ballot_receipt(conn: &Connection, actor: &Actor, key: &DataKey, ballot_id: i64) -> Result<String> {
    require(actor.role, Action::RunContestRounds)?;
    let (sealed, judge): (String, String) = conn
        .prepare_cached(
            "SELECT r.sealed, j.name FROM contest_ballot_receipt r JOIN contest_ballot b ON b.id = r.ballot_id
             JOIN contest_judge j ON j.id = b.judge_id WHERE r.ballot_id = ?1",
        )?
        .query_row([ballot_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| Error::rejected("这张选票没有回执（不是收回的电子选票，或收回于本功能之前）"))?;
    let unreadable = || Error::rejected("回执无法用本机的数据密钥解开（密钥不符或数据已损坏）");
    let text = key.open_bytes(&sealed, &receipt_aad(ballot_id)).ok_or_else(unreadable)?;
    let text = String::from_utf8(text).map_err(|_| unreadable())?;
    audit::record(conn, actor, "查看电子选票回执", &format!("contest_ballot#{ballot_id}"), &judge)?;
    Ok(text)
}

/// The window's API for ballot workbooks, acting for the logged-in account.
impl Store {
    /// The data key, or the refusal that says why ballots need it.
    pub(crate) fn ballot_key(&self) -> Result<DataKey> {
        self.data_key().map_err(|_| Error::rejected(NO_KEY_FOR_BALLOTS))
    }

    /// The round's returned ballot workbooks.
    pub fn returned_workbooks(&self, round_id: i64) -> Result<Vec<ReturnedWorkbook>> {
        returned_workbooks(&self.conn, &self.actor, round_id)
    }

    /// A returned ballot's receipt again, logged.
    pub fn ballot_receipt(&self, ballot_id: i64) -> Result<String> {
        ballot_receipt(&self.conn, &self.actor, &self.ballot_key()?, ballot_id)
    }
}

/// The round a returned ballot is sealed for, once the seal holds and the round is open.
fn sealed_round(conn: &Connection, key: &DataKey, returned: &ReturnedBallot) -> Result<Round> {
    let exists: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM contest_round WHERE id = ?1)")?
        .query_row([returned.round_id], |r| r.get(0))?;
    let has_secret = exists && stored_secret(conn, returned.round_id)?.is_some();
    let sealed = has_secret
        && seal_holds(
            &round_secret(conn, key, returned.round_id)?,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resealing_keeps_every_secret_and_receipt_bound_to_its_row_under_the_new_key_only() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE ballot_seal_key (round_id INTEGER PRIMARY KEY, secret BLOB, sealed TEXT);
             CREATE TABLE contest_ballot_receipt (ballot_id INTEGER PRIMARY KEY, sealed TEXT NOT NULL);",
        )
        .unwrap();
        let (old, new) = (DataKey::generate().unwrap(), DataKey::generate().unwrap());
        let (clear, kept) = ([7u8; 32], [9u8; 32]);
        conn.execute("INSERT INTO ballot_seal_key (round_id, secret) VALUES (1, ?1)", [&clear[..]]).unwrap();
        let sealed = old.seal_bytes(&kept, &secret_aad(2)).unwrap();
        conn.execute("INSERT INTO ballot_seal_key (round_id, sealed) VALUES (2, ?1)", [&sealed]).unwrap();
        let receipt = old.seal_bytes("回执".as_bytes(), &receipt_aad(5)).unwrap();
        conn.execute("INSERT INTO contest_ballot_receipt (ballot_id, sealed) VALUES (5, ?1)", [&receipt]).unwrap();
        assert!(old.open_bytes(&sealed, &secret_aad(1)).is_none(), "bound to its round");

        assert_eq!(reseal_ballot_secrets(&conn, &old, &new).unwrap(), 3);
        assert_eq!(round_secret(&conn, &new, 1).unwrap(), clear, "the clear one sealed");
        assert_eq!(round_secret(&conn, &new, 2).unwrap(), kept);
        assert!(round_secret(&conn, &old, 2).is_err());
        let receipt: String = conn.query_row("SELECT sealed FROM contest_ballot_receipt", [], |r| r.get(0)).unwrap();
        assert_eq!(new.open_bytes(&receipt, &receipt_aad(5)).unwrap(), "回执".as_bytes());
        let refused = reseal_ballot_secrets(&conn, &old, &new).unwrap_err().to_string();
        assert!(refused.contains("无法用原数据密钥解开"), "{refused}");
    }
}
