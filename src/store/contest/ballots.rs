//! Ballots of the initial round and its run-offs (approval voting). A judge sees the works by
//! code and text only — never an author, a unit, anyone's votes or a count — without their
//! own unit's works; ticks up to the quota, saves drafts and submits once. The administrator
//! keys in paper ballots; one over the quota is recorded void as a whole.

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension as _, params};

use super::judges::{JudgeRole, judge_of};
use super::rounds::{Round, open_round};
use super::{NOW, atomically};
use crate::domain::access::{Action, require};
use crate::domain::contest::Category;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::guard::reading_own_ballot;
use crate::store::{Actor, audit};

/// A work on a judge's ballot: code and text, nothing else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BallotWork {
    pub work_id: i64,
    pub code: String,
    pub title: String,
    pub content: String,
    pub ticked: bool,
}

/// A judge's ballot as their screen shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BallotView {
    pub category: Category,
    /// `初评` or `决选（第n轮）`.
    pub round_name: String,
    pub quota: u32,
    /// The works the judge may vote for, by code.
    pub works: Vec<BallotWork>,
    pub ticked: u32,
    /// How many more the judge may tick.
    pub left: u32,
    pub submitted_at: Option<String>,
}

/// The acting judge's ballot in the category's open round (a draft is kept between logins).
/// The one way a judge reads votes: their own, found by their account (guard.rs).
pub fn my_ballot(conn: &Connection, actor: &Actor, category: Category) -> Result<BallotView> {
    require(actor.role, Action::CastBallot)?;
    let judge = judge_of(conn, actor, JudgeRole::Initial)?;
    let round = voting_round(conn, category)?;
    reading_own_ballot(|| ballot_view(conn, &round, judge.id, judge.unit_id))
}

pub(super) fn voting_round(conn: &Connection, category: Category) -> Result<Round> {
    open_round(conn, category)?
        .filter(|r| r.quota.is_some())
        .ok_or_else(|| Error::rejected(format!("{}目前没有进行中的投票", category.label())))
}

pub(super) fn ballot_view(conn: &Connection, round: &Round, judge_id: i64, unit_id: Option<i64>) -> Result<BallotView> {
    let ballot = ballot_of(conn, round.id, judge_id)?;
    let ticked: HashSet<i64> = match &ballot {
        Some((id, _)) => votes_of(conn, *id)?.into_iter().collect(),
        None => HashSet::new(),
    };
    let mut stmt = conn.prepare_cached(
        "SELECT w.id, w.code, w.title, w.content FROM contest_work w
         WHERE w.category = ?1 AND w.status = '有效' AND w.unit_id IS NOT ?2
           AND (?3 IS NULL OR w.id IN (SELECT work_id FROM contest_runoff_work WHERE round_id = ?3))
         ORDER BY w.code",
    )?;
    let runoff = (round.kind == super::rounds::RoundKind::RunOff).then_some(round.id);
    let works: Vec<BallotWork> = stmt
        .query_map(params![round.category.label(), unit_id, runoff], |r| {
            let work_id: i64 = r.get(0)?;
            Ok(BallotWork {
                work_id,
                code: r.get(1)?,
                title: r.get(2)?,
                content: r.get(3)?,
                ticked: ticked.contains(&work_id),
            })
        })?
        .collect::<Result<_, _>>()?;
    let quota = round.quota.unwrap_or(0);
    let count = ticked.len() as u32;
    Ok(BallotView {
        category: round.category,
        round_name: round.name(),
        quota,
        works,
        ticked: count,
        left: quota.saturating_sub(count),
        submitted_at: ballot.and_then(|(_, submitted)| submitted),
    })
}

/// (ballot id, submitted at) of a judge in a round.
pub(super) fn ballot_of(conn: &Connection, round: i64, judge: i64) -> Result<Option<(i64, Option<String>)>> {
    Ok(conn
        .prepare_cached("SELECT id, submitted_at FROM contest_ballot WHERE round_id = ?1 AND judge_id = ?2")?
        .query_row(params![round, judge], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

fn votes_of(conn: &Connection, ballot: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT work_id FROM contest_vote WHERE ballot_id = ?1 ORDER BY work_id")?;
    let rows = stmt.query_map([ballot], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Saves the acting judge's ticks as their draft (replacing the last draft). More than the
/// quota is refused and nothing is saved.
pub fn save_draft(conn: &Connection, actor: &Actor, category: Category, work_ids: &[i64]) -> Result<BallotView> {
    require(actor.role, Action::CastBallot)?;
    let judge = judge_of(conn, actor, JudgeRole::Initial)?;
    let round = voting_round(conn, category)?;
    let chosen: Vec<i64> = {
        let mut seen = HashSet::new();
        work_ids.iter().copied().filter(|id| seen.insert(*id)).collect()
    };
    let quota = round.quota.unwrap_or(0);
    if chosen.len() > quota as usize {
        return Err(Error::rejected(format!(
            "本轮每张选票最多选 {quota} 件作品，您选了 {} 件，请减少后再保存",
            chosen.len()
        )));
    }
    reading_own_ballot(|| {
        atomically(conn, || {
            let ballot = match ballot_of(conn, round.id, judge.id)? {
                Some((_, Some(_))) => return Err(Error::rejected("选票已提交，不能再修改")),
                Some((id, None)) => {
                    conn.prepare_cached(&format!("UPDATE contest_ballot SET saved_at = {NOW} WHERE id = ?1"))?
                        .execute([id])?;
                    id
                }
                None => insert_ballot(conn, round.id, judge.id, false, &actor.audit_name())?,
            };
            replace_votes(conn, ballot, &chosen)?;
            ballot_view(conn, &round, judge.id, judge.unit_id)
        })
    })
}

pub(super) fn insert_ballot(conn: &Connection, round: i64, judge: i64, paper: bool, entered_by: &str) -> Result<i64> {
    conn.prepare_cached(&format!(
        "INSERT INTO contest_ballot (round_id, judge_id, paper, entered_by, saved_at) VALUES (?1, ?2, ?3, ?4, {NOW})"
    ))?
    .execute(params![round, judge, paper, entered_by])?;
    Ok(conn.last_insert_rowid())
}

/// Makes a draft's votes exactly `chosen`: unticks first, so the quota holds at every step.
fn replace_votes(conn: &Connection, ballot: i64, chosen: &[i64]) -> Result<()> {
    let current: HashSet<i64> = votes_of(conn, ballot)?.into_iter().collect();
    let wanted: HashSet<i64> = chosen.iter().copied().collect();
    let mut untick = conn.prepare_cached("DELETE FROM contest_vote WHERE ballot_id = ?1 AND work_id = ?2")?;
    for work in current.difference(&wanted) {
        untick.execute(params![ballot, work])?;
    }
    let mut tick = conn.prepare_cached("INSERT INTO contest_vote (ballot_id, work_id) VALUES (?1, ?2)")?;
    for work in chosen.iter().filter(|w| !current.contains(w)) {
        tick.execute(params![ballot, work])?;
    }
    Ok(())
}

/// Submits the acting judge's ballot as saved. Final: it can never change.
pub fn submit_ballot(conn: &Connection, actor: &Actor, category: Category) -> Result<()> {
    require(actor.role, Action::CastBallot)?;
    let judge = judge_of(conn, actor, JudgeRole::Initial)?;
    let round = voting_round(conn, category)?;
    // Submitting checks the quota against the ballot's votes (a trigger reads them).
    reading_own_ballot(|| {
        atomically(conn, || {
            let ballot = match ballot_of(conn, round.id, judge.id)? {
                Some((_, Some(_))) => return Err(Error::rejected("选票已提交，不能重复提交")),
                Some((id, None)) => id,
                None => insert_ballot(conn, round.id, judge.id, false, &actor.audit_name())?,
            };
            conn.prepare_cached(&format!("UPDATE contest_ballot SET submitted_at = {NOW} WHERE id = ?1"))?
                .execute([ballot])?;
            audit::record(conn, actor, "提交选票", &format!("contest_ballot#{ballot}"), &round.name())
        })
    })
}

/// How a keyed-in paper ballot was recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaperBallot {
    pub ballot_id: i64,
    pub votes: usize,
    /// More votes than the quota: void as a whole, counted for nothing.
    pub void: bool,
}

/// Keys in a judge's paper ballot for the category's open round, by work codes. An unknown
/// code, a work not in the round or of the judge's own unit is refused; a ballot over the
/// quota is recorded void as a whole (never truncated). A judge who already handed in, or
/// who saved a draft online, is refused.
pub fn record_paper_ballot(
    conn: &Connection,
    actor: &Actor,
    category: Category,
    judge_id: i64,
    codes: &[String],
) -> Result<PaperBallot> {
    require(actor.role, Action::RunContestRounds)?;
    let paper = insert_paper_ballot(conn, &actor.audit_name(), category, judge_id, codes)?;
    let detail = format!("{} 票{}", paper.votes, if paper.void { "，超出限选数，整张作废" } else { "" });
    audit::record(conn, actor, "录入纸质选票", &format!("contest_ballot#{}", paper.ballot_id), &detail)?;
    Ok(paper)
}

/// [`record_paper_ballot`] for the importer (the authorizer holds its connection to the role).
pub(crate) fn insert_paper_ballot(
    conn: &Connection,
    entered_by: &str,
    category: Category,
    judge_id: i64,
    codes: &[String],
) -> Result<PaperBallot> {
    let round = voting_round(conn, category)?;
    atomically(conn, || {
        let mut chosen = Vec::with_capacity(codes.len());
        for code in codes {
            let id = super::works::work_id_by_code(conn, code)?
                .ok_or_else(|| Error::rejected(format!("作品编号“{}”不存在", code.trim())))?;
            if chosen.contains(&id) {
                return Err(Error::rejected(format!("作品“{}”在同一张选票上出现了两次", code.trim())));
            }
            chosen.push(id);
        }
        let ballot = match ballot_of(conn, round.id, judge_id)? {
            Some((_, Some(_))) => return Err(Error::rejected("该评委的选票已提交，不能再录入纸质选票")),
            // The draft is the judge's own: a paper ballot does not overwrite it.
            Some((_, None)) => {
                return Err(Error::rejected("该评委已在网上保存了选票草稿，请由评委本人提交，不能再录入纸质选票"));
            }
            None => insert_ballot(conn, round.id, judge_id, true, entered_by)?,
        };
        let mut tick = conn.prepare_cached("INSERT INTO contest_vote (ballot_id, work_id) VALUES (?1, ?2)")?;
        for work in &chosen {
            tick.execute(params![ballot, work])?;
        }
        let void = chosen.len() > round.quota.unwrap_or(0) as usize;
        conn.prepare_cached(&format!("UPDATE contest_ballot SET submitted_at = {NOW}, void = ?2 WHERE id = ?1"))?
            .execute(params![ballot, void])?;
        Ok(PaperBallot { ballot_id: ballot, votes: chosen.len(), void })
    })
}

/// A judge's ballot in a round as the importer compares it: handed in or a draft, and the
/// codes on it, sorted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredBallot {
    pub submitted: bool,
    pub codes: Vec<String>,
}

pub fn stored_ballot(conn: &Connection, round: i64, judge_id: i64) -> Result<Option<StoredBallot>> {
    let Some((ballot, submitted)) = ballot_of(conn, round, judge_id)? else { return Ok(None) };
    let mut stmt = conn.prepare_cached(
        "SELECT w.code FROM contest_vote v JOIN contest_work w ON w.id = v.work_id WHERE v.ballot_id = ?1 ORDER BY w.code",
    )?;
    let codes = stmt.query_map([ballot], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(Some(StoredBallot { submitted: submitted.is_some(), codes }))
}

/// Why a work cannot be on a judge's ballot in a round, or `None` when it can: the schema's
/// rules, said first for the importer's messages.
pub fn vote_refusal(conn: &Connection, round: &Round, judge_id: i64, code: &str) -> Result<Option<String>> {
    let found: Option<(String, String, i64, bool)> = conn
        .prepare_cached(
            "SELECT w.category, w.status, w.unit_id IS (SELECT unit_id FROM contest_judge WHERE id = ?2),
                    EXISTS (SELECT 1 FROM contest_runoff_work x WHERE x.round_id = ?3 AND x.work_id = w.id)
             FROM contest_work w WHERE w.code = ?1",
        )?
        .query_row(params![code.trim(), judge_id, round.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    let Some((category, status, own_unit, in_runoff)) = found else {
        return Ok(Some(format!("作品编号“{}”不存在", code.trim())));
    };
    Ok(if category != round.category.label() {
        Some(format!("作品“{}”属于{category}，不是{}作品", code.trim(), round.category.label()))
    } else if status != "有效" {
        Some(format!("作品“{}”{status}，不在评选范围内", code.trim()))
    } else if round.kind == super::rounds::RoundKind::RunOff && !in_runoff {
        Some(format!("作品“{}”不在{}范围内", code.trim(), round.name()))
    } else if own_unit == 1 {
        Some("不能给本单位的作品投票（回避）".to_string())
    } else {
        None
    })
}

/// Whether a judge is one of a round's judges.
pub fn is_round_judge(conn: &Connection, round: i64, judge_id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM contest_round_judge WHERE round_id = ?1 AND judge_id = ?2)")?
        .query_row(params![round, judge_id], |r| r.get(0))?)
}

/// The window's API: what the screens ask, acting for the store's account.
impl Store {
    /// Keys in a judge's paper ballot for the category's open round, by work codes. An unknown
    /// code, a work not in the round or of the judge's own unit is refused; a ballot over the
    /// quota is recorded void as a whole (never truncated). A judge who already handed in, or
    /// who saved a draft online, is refused.
    pub fn record_paper_ballot(&self, category: Category, judge_id: i64, codes: &[String]) -> Result<PaperBallot> {
        record_paper_ballot(&self.conn, &self.actor, category, judge_id, codes)
    }

    /// Saves the acting judge's ticks as their draft (replacing the last draft). More than the
    /// quota is refused and nothing is saved.
    pub fn save_draft(&self, category: Category, work_ids: &[i64]) -> Result<BallotView> {
        save_draft(&self.conn, &self.actor, category, work_ids)
    }

    /// The acting judge's ballot in the category's open round (a draft is kept between logins).
    pub fn my_ballot(&self, category: Category) -> Result<BallotView> {
        my_ballot(&self.conn, &self.actor, category)
    }
}

impl Store {
    /// Saves the ticks and hands the ballot in, in one transaction.
    pub fn submit_ballot_with(&mut self, category: Category, work_ids: &[i64]) -> Result<()> {
        let actor = self.actor.clone();
        self.transaction(|conn| {
            save_draft(conn, &actor, category, work_ids)?;
            submit_ballot(conn, &actor, category)
        })
    }
}
