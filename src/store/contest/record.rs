//! What the record workbook holds beyond the tallies: the exact lines each closed round's
//! hash is computed over, every expert's score, every objection and its ruling, and every
//! decision with its reason (moves of the category, tie bands, 查重, works taken out).

use rusqlite::{Connection, params};

use super::require_overseer;
use super::rounds::{hash_lines, round_by_id};
use crate::domain::contest::Category;
use crate::error::{Error, Result};
use crate::store::Actor;

/// One line a closed round's hash runs over, with the name of the judge or expert it is of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HashLine {
    pub line: String,
    pub judge_name: String,
}

/// The lines of a closed round's hash, in the order hashed. Refused while the round is open.
pub fn round_hash_lines(conn: &Connection, actor: &Actor, round_id: i64) -> Result<Vec<HashLine>> {
    require_overseer(actor, "查看选票明细")?;
    let round = round_by_id(conn, round_id)?;
    if round.closed_at.is_none() {
        return Err(Error::rejected(format!(
            "{}{}正在进行，结束前不能查看选票明细",
            round.category.label(),
            round.name()
        )));
    }
    let mut names = conn.prepare_cached("SELECT name FROM contest_judge WHERE id = ?1")?;
    hash_lines(conn, round_id)?
        .into_iter()
        .map(|line| {
            let judge: i64 = line.split('|').nth(1).and_then(|id| id.parse().ok()).unwrap_or_default();
            let judge_name = names.query_row([judge], |r| r.get(0)).unwrap_or_default();
            Ok(HashLine { line, judge_name })
        })
        .collect()
}

/// One expert's score of one work in the final round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoreRecord {
    pub expert: String,
    pub code: String,
    pub score: u8,
    pub saved_at: String,
    /// `None`: a draft never submitted, which counts for nothing.
    pub submitted_at: Option<String>,
}

/// Every score of the category's final round, by expert then code; empty before it closed.
pub fn final_scores(conn: &Connection, actor: &Actor, category: Category) -> Result<Vec<ScoreRecord>> {
    require_overseer(actor, "查看终审评分")?;
    let mut stmt = conn.prepare_cached(
        "SELECT j.name, w.code, s.score, s.saved_at, s.submitted_at
         FROM contest_score s JOIN contest_round r ON r.id = s.round_id
         JOIN contest_judge j ON j.id = s.judge_id JOIN contest_work w ON w.id = s.work_id
         WHERE r.category = ?1 AND r.kind = '终审' AND r.closed_at IS NOT NULL
         ORDER BY j.id, w.code",
    )?;
    let rows = stmt.query_map([category.label()], |r| {
        Ok(ScoreRecord {
            expert: r.get(0)?,
            code: r.get(1)?,
            score: r.get(2)?,
            saved_at: r.get(3)?,
            submitted_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A decision on the record: when, by whom, what, and the reason given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecisionRecord {
    pub at: String,
    pub by: String,
    pub what: String,
    pub reason: String,
}

/// Every decision of a category in time order: each move of its stage (a 退回 with its
/// reason), each tie band resolved, each 查重 pair decided; then the works taken out of the
/// contest with their reasons.
pub fn decisions(conn: &Connection, actor: &Actor, category: Category) -> Result<Vec<DecisionRecord>> {
    require_overseer(actor, "查看评选决定")?;
    let label = category.label();
    let mut found: Vec<DecisionRecord> = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT at, actor, from_state || ' → ' || to_state || '（' || kind || '）', reason
         FROM contest_state_log WHERE category = ?1",
    )?;
    let rows = stmt.query_map([label], |r| {
        Ok(DecisionRecord { at: r.get(0)?, by: r.get(1)?, what: r.get(2)?, reason: r.get(3)? })
    })?;
    found.extend(rows.collect::<Result<Vec<_>, _>>()?);
    let mut stmt = conn.prepare_cached(
        "SELECT t.round_id, t.decided_at, t.decided_by, t.method, t.band, t.places, t.reason
         FROM contest_tie_resolution t JOIN contest_round r ON r.id = t.round_id WHERE r.category = ?1",
    )?;
    let ties: Vec<(i64, String, String, String, String, u32, String)> = stmt
        .query_map([label], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))?
        .collect::<Result<_, _>>()?;
    for (round, at, by, method, band, places, reason) in ties {
        let round = round_by_id(conn, round)?;
        let what = format!("{}并列作品（{band}）争 {places} 个名额：{method}", round.name());
        found.push(DecisionRecord { at, by, what, reason });
    }
    let mut stmt = conn.prepare_cached(
        "SELECT s.decided_at, s.decided_by, '查重 ' || a.code || ' 与 ' || b.code || '（' || s.kind || '）：' || s.decision
                || coalesce('，保留 ' || k.code, ''), s.note
         FROM contest_screening s JOIN contest_work a ON a.id = s.earlier_id JOIN contest_work b ON b.id = s.later_id
         LEFT JOIN contest_work k ON k.id = s.kept_id
         WHERE s.category = ?1 AND s.decision IS NOT NULL",
    )?;
    let rows = stmt.query_map([label], |r| {
        Ok(DecisionRecord { at: r.get(0)?, by: r.get(1)?, what: r.get(2)?, reason: r.get(3)? })
    })?;
    found.extend(rows.collect::<Result<Vec<_>, _>>()?);
    found.sort_by(|a, b| a.at.cmp(&b.at));
    let mut stmt = conn.prepare_cached(
        "SELECT '', '', '作品 ' || code || ' ' || status, status_reason FROM contest_work
         WHERE category = ?1 AND status <> '有效' ORDER BY code",
    )?;
    let rows = stmt.query_map(params![label], |r| {
        Ok(DecisionRecord { at: r.get(0)?, by: r.get(1)?, what: r.get(2)?, reason: r.get(3)? })
    })?;
    found.extend(rows.collect::<Result<Vec<_>, _>>()?);
    Ok(found)
}
