//! 终审: experts score the shortlist blind (code and text, their own unit's works left out),
//! save drafts and submit once; after closing, the ranking by mean score, awards by tier
//! within quotas (vacancies allowed, one per work), and the authors revealed.

use std::collections::HashMap;

use rusqlite::{Connection, params};

use super::judges::{JudgeRole, judge_of};
use super::rounds::{
    Round, RoundKind, add_round_judges, close_round, find_round, insert_round, judges_of_role, move_state, open_round,
};
use super::{NOW, atomically, require_overseer, state, tiers};
use crate::domain::access::{Action, require};
use crate::domain::contest::awards::{Award, AwardProposal, RankedWork, check_awards, rank_by_mean};
use crate::domain::contest::{Category, MeanScore, RoundState, tier_name};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::{Actor, audit};

/// 入围确定 → 终审进行中, with the experts registered now.
pub fn open_final(conn: &Connection, actor: &Actor, category: Category) -> Result<Round> {
    require(actor.role, Action::RunContestRounds)?;
    atomically(conn, || {
        let experts = judges_of_role(conn, JudgeRole::Final)?;
        if experts.is_empty() {
            return Err(Error::rejected("还没有登记终审专家，不能开始终审"));
        }
        // Opened once: the shortlist is frozen and a reopen goes back to 终审进行中 only.
        move_state(conn, actor, category, RoundState::FinalOpen, "")?;
        let round = insert_round(conn, category, RoundKind::Final, 1, None, None)?;
        add_round_judges(conn, round, &experts)?;
        super::rounds::round_by_id(conn, round)
    })
}

/// 终审进行中 → 终审结束, keeping the hash of all scores.
pub fn close_final(conn: &Connection, actor: &Actor, category: Category) -> Result<Round> {
    require(actor.role, Action::RunContestRounds)?;
    atomically(conn, || {
        let round = find_round(conn, category, RoundKind::Final, 1)?
            .ok_or_else(|| Error::rejected(format!("{}的终审尚未开始", category.label())))?;
        move_state(conn, actor, category, RoundState::FinalClosed, "")?;
        close_round(conn, actor, round.id)
    })
}

/// A work on an expert's score sheet: code and text, and the score saved so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoreItem {
    pub work_id: i64,
    pub code: String,
    pub title: String,
    pub content: String,
    pub score: Option<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoreSheet {
    pub category: Category,
    pub works: Vec<ScoreItem>,
    pub scored: u32,
    pub submitted_at: Option<String>,
}

/// The highest score (scores are whole numbers from 0).
pub const MAX_SCORE: u8 = 100;

/// The acting expert's score sheet in the category's open final round.
pub fn my_score_sheet(conn: &Connection, actor: &Actor, category: Category) -> Result<ScoreSheet> {
    require(actor.role, Action::ScoreFinal)?;
    let expert = judge_of(conn, actor, JudgeRole::Final)?;
    let round = scoring_round(conn, category)?;
    score_sheet(conn, &round, expert.id, expert.unit_id)
}

fn scoring_round(conn: &Connection, category: Category) -> Result<Round> {
    open_round(conn, category)?
        .filter(|r| r.kind == RoundKind::Final)
        .ok_or_else(|| Error::rejected(format!("{}目前没有进行中的终审评分", category.label())))
}

fn score_sheet(conn: &Connection, round: &Round, expert: i64, unit_id: Option<i64>) -> Result<ScoreSheet> {
    let mut stmt = conn.prepare_cached(
        "SELECT w.id, w.code, w.title, w.content, s.score, s.submitted_at
         FROM contest_shortlist l JOIN contest_work w ON w.id = l.work_id
         LEFT JOIN contest_score s ON s.work_id = w.id AND s.round_id = ?2 AND s.judge_id = ?3
         WHERE l.category = ?1 AND w.unit_id IS NOT ?4
         ORDER BY w.code",
    )?;
    let mut submitted_at = None;
    let works: Vec<ScoreItem> = stmt
        .query_map(params![round.category.label(), round.id, expert, unit_id], |r| {
            Ok((
                ScoreItem {
                    work_id: r.get(0)?,
                    code: r.get(1)?,
                    title: r.get(2)?,
                    content: r.get(3)?,
                    score: r.get(4)?,
                },
                r.get::<_, Option<String>>(5)?,
            ))
        })?
        .map(|row| {
            row.map(|(item, at)| {
                submitted_at = submitted_at.take().or(at);
                item
            })
        })
        .collect::<Result<_, _>>()?;
    let scored = works.iter().filter(|w| w.score.is_some()).count() as u32;
    Ok(ScoreSheet { category: round.category, works, scored, submitted_at })
}

/// Saves scores (work id, 0–100) as the acting expert's draft; a score can be changed
/// until the sheet is submitted.
pub fn save_scores(conn: &Connection, actor: &Actor, category: Category, scores: &[(i64, u8)]) -> Result<ScoreSheet> {
    require(actor.role, Action::ScoreFinal)?;
    let expert = judge_of(conn, actor, JudgeRole::Final)?;
    let round = scoring_round(conn, category)?;
    if let Some((_, score)) = scores.iter().find(|(_, s)| *s > MAX_SCORE) {
        return Err(Error::rejected(format!("评分 {score} 超出范围，应为0到{MAX_SCORE}的整数")));
    }
    atomically(conn, || {
        let mut upsert = conn.prepare_cached(&format!(
            "INSERT INTO contest_score (round_id, judge_id, work_id, score, saved_at) VALUES (?1, ?2, ?3, ?4, {NOW})
             ON CONFLICT (round_id, judge_id, work_id) DO UPDATE SET score = excluded.score, saved_at = excluded.saved_at"
        ))?;
        for (work, score) in scores {
            upsert.execute(params![round.id, expert.id, work, score])?;
        }
        score_sheet(conn, &round, expert.id, expert.unit_id)
    })
}

/// Submits the acting expert's scores: every work on the sheet must have one. Final.
pub fn submit_scores(conn: &Connection, actor: &Actor, category: Category) -> Result<()> {
    require(actor.role, Action::ScoreFinal)?;
    let expert = judge_of(conn, actor, JudgeRole::Final)?;
    let round = scoring_round(conn, category)?;
    let sheet = score_sheet(conn, &round, expert.id, expert.unit_id)?;
    if sheet.submitted_at.is_some() {
        return Err(Error::rejected("评分已提交，不能重复提交"));
    }
    let missing = sheet.works.len() as u32 - sheet.scored;
    if missing > 0 {
        return Err(Error::rejected(format!("还有 {missing} 件作品未评分，全部评分后才能提交")));
    }
    atomically(conn, || {
        conn.prepare_cached(&format!(
            "UPDATE contest_score SET submitted_at = {NOW} WHERE round_id = ?1 AND judge_id = ?2"
        ))?
        .execute(params![round.id, expert.id])?;
        audit::record(
            conn,
            actor,
            "提交终审评分",
            &format!("contest_round#{}", round.id),
            &format!("{} 件", sheet.scored),
        )
    })
}

/// A work's line in the final ranking. Author and unit appear once the final round is
/// closed (identities are revealed only then).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RankedEntry {
    pub place: u32,
    pub work_id: i64,
    pub code: String,
    pub title: String,
    pub mean: MeanScore,
    pub author: Option<String>,
    pub unit_name: Option<String>,
    /// The tier's rank of the work's current award.
    pub award: Option<u8>,
}

/// The final ranking by mean of the submitted scores; refused while experts are scoring.
pub fn final_ranking(conn: &Connection, actor: &Actor, category: Category) -> Result<Vec<RankedEntry>> {
    require_overseer(actor, "查看终审排名")?;
    let stage = state(conn, category)?;
    if !stage.identities_revealed() {
        return Err(Error::rejected(format!("{}的终审尚未结束，不能查看排名", category.label())));
    }
    let ranked = ranking(conn, category)?;
    let details = work_details(conn, category)?;
    let awards: HashMap<i64, u8> = current_awards(conn, category)?.into_iter().map(|a| (a.work_id, a.tier)).collect();
    Ok(ranked
        .into_iter()
        .map(|w| {
            let (title, author, unit) = details.get(&w.work_id).cloned().unwrap_or_default();
            RankedEntry {
                place: w.place,
                work_id: w.work_id,
                code: w.code,
                title,
                mean: w.mean,
                author: Some(author),
                unit_name: Some(unit),
                award: awards.get(&w.work_id).copied(),
            }
        })
        .collect())
}

/// The shortlisted works still in the contest, ranked by the mean of submitted scores.
pub(crate) fn ranking(conn: &Connection, category: Category) -> Result<Vec<RankedWork>> {
    let mut stmt = conn.prepare_cached(
        "SELECT w.id, w.code,
                coalesce((SELECT sum(s.score) FROM contest_score s JOIN contest_round r ON r.id = s.round_id
                          WHERE s.work_id = w.id AND r.kind = '终审' AND s.submitted_at IS NOT NULL), 0),
                (SELECT count(*) FROM contest_score s JOIN contest_round r ON r.id = s.round_id
                 WHERE s.work_id = w.id AND r.kind = '终审' AND s.submitted_at IS NOT NULL)
         FROM contest_shortlist l JOIN contest_work w ON w.id = l.work_id
         WHERE l.category = ?1 AND w.status = '有效'",
    )?;
    let works = stmt
        .query_map([category.label()], |r| Ok((r.get(0)?, r.get(1)?, MeanScore { sum: r.get(2)?, count: r.get(3)? })))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rank_by_mean(works))
}

/// Per shortlisted work: title, author and unit name (administrator's reads only).
fn work_details(conn: &Connection, category: Category) -> Result<HashMap<i64, (String, String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT w.id, w.title, w.author, u.name FROM contest_shortlist l JOIN contest_work w ON w.id = l.work_id
         JOIN unit u ON u.id = w.unit_id WHERE l.category = ?1",
    )?;
    let rows = stmt.query_map([category.label()], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Awards not revoked.
pub(crate) fn current_awards(conn: &Connection, category: Category) -> Result<Vec<Award>> {
    let mut stmt = conn.prepare_cached(
        "SELECT work_id, tier FROM contest_award WHERE category = ?1 AND revoked_at IS NULL ORDER BY tier, work_id",
    )?;
    let rows = stmt.query_map([category.label()], |r| Ok(Award { work_id: r.get(0)?, tier: r.get(1)? }))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Awards straight down the ranking under the tiers' quotas, for the administrator to accept
/// or adjust; a tie across a tier's last place is left for them (see `AwardProposal::ties`).
pub fn propose_awards(conn: &Connection, actor: &Actor, category: Category) -> Result<AwardProposal> {
    require(actor.role, Action::RunContestRounds)?;
    let stage = state(conn, category)?;
    if stage != RoundState::FinalClosed {
        return Err(Error::rejected(format!("{}当前为{}阶段，终审结束后才能授奖", category.label(), stage.label())));
    }
    Ok(crate::domain::contest::awards::propose_awards(&ranking(conn, category)?, &tiers(conn, category)?))
}

/// Sets the category's awards (replacing any assigned before) while the final round is
/// closed and 公示 has not begun: one award per work, each tier within its quota, only
/// shortlisted works; places may stay empty.
pub fn set_awards(conn: &Connection, actor: &Actor, category: Category, awards: &[Award]) -> Result<()> {
    set_awards_with_reason(conn, actor, category, awards, "")
}

/// Works level on mean score that `awards` puts in different tiers (or one in a tier and one
/// in none), by code: a tie decided other than by the ranking.
fn split_ties(ranked: &[RankedWork], awards: &[Award]) -> Vec<String> {
    let tier = |work: i64| awards.iter().find(|a| a.work_id == work).map(|a| a.tier);
    let mut split = Vec::new();
    for group in ranked.chunk_by(|a, b| a.mean == b.mean).filter(|g| g.len() > 1 && g[0].mean.count > 0) {
        if group.iter().any(|w| tier(w.work_id) != tier(group[0].work_id)) {
            split.extend(group.iter().map(|w| w.code.clone()));
        }
    }
    split
}

/// [`set_awards`], where awards that part works level on mean score (a tier tie decided by
/// the administrator) need a written reason, which is logged with them.
pub fn set_awards_with_reason(
    conn: &Connection,
    actor: &Actor,
    category: Category,
    awards: &[Award],
    reason: &str,
) -> Result<()> {
    require(actor.role, Action::RunContestRounds)?;
    let stage = state(conn, category)?;
    if stage != RoundState::FinalClosed {
        return Err(Error::rejected(format!(
            "{}当前为{}阶段，终审结束后、公示前才能授奖",
            category.label(),
            stage.label()
        )));
    }
    check_awards(awards, &tiers(conn, category)?).map_err(Error::rejected)?;
    let split = split_ties(&ranking(conn, category)?, awards);
    if !split.is_empty() && reason.trim().is_empty() {
        return Err(Error::rejected(format!("平均分相同的作品（{}）获奖等次不同，须写明理由", split.join("、"))));
    }
    atomically(conn, || {
        conn.prepare_cached("DELETE FROM contest_award WHERE category = ?1")?.execute([category.label()])?;
        let mut insert = conn.prepare_cached(&format!(
            "INSERT INTO contest_award (work_id, category, tier, assigned_at) VALUES (?1, ?2, ?3, {NOW})"
        ))?;
        for award in awards {
            insert.execute(params![award.work_id, category.label(), award.tier])?;
        }
        let summary: Vec<String> = tiers(conn, category)?
            .iter()
            .map(|t| format!("{} {} 件", t.name(), awards.iter().filter(|a| a.tier == t.rank).count()))
            .collect();
        let mut detail = summary.join("，");
        if !split.is_empty() {
            detail.push_str(&format!("；平均分相同的 {} 等次不同，理由：{}", split.join("、"), reason.trim()));
        }
        audit::record(conn, actor, "授奖", &format!("contest_category#{}", category.label()), &detail)
    })
}

/// An award with everything the award list and the 公示 notice print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwardRow {
    pub work_id: i64,
    pub code: String,
    pub title: String,
    pub author: String,
    /// `138****5678`, or empty.
    pub author_phone_masked: String,
    pub unit_name: String,
    pub tier: u8,
    pub tier_name: String,
    pub amount_yuan: i64,
    /// Mean of the final scores.
    pub mean: MeanScore,
    /// Set when the award was revoked (the work disqualified in 公示), with the reason.
    pub revoked: Option<String>,
}

/// Every award of a category, by tier then mean score; revoked ones last.
pub fn award_list(conn: &Connection, actor: &Actor, category: Category) -> Result<Vec<AwardRow>> {
    require_overseer(actor, "查看获奖名单")?;
    let means: HashMap<i64, MeanScore> = ranking(conn, category)?.into_iter().map(|w| (w.work_id, w.mean)).collect();
    let mut stmt = conn.prepare_cached(
        "SELECT w.id, w.code, w.title, w.author, w.author_phone, u.name, a.tier, t.amount_yuan, a.revoke_reason
         FROM contest_award a JOIN contest_work w ON w.id = a.work_id JOIN unit u ON u.id = w.unit_id
         JOIN contest_tier t ON t.category = a.category AND t.rank = a.tier
         WHERE a.category = ?1",
    )?;
    let mut rows: Vec<AwardRow> = stmt
        .query_map([category.label()], |r| {
            let work_id: i64 = r.get(0)?;
            let tier: u8 = r.get(6)?;
            Ok(AwardRow {
                work_id,
                code: r.get(1)?,
                title: r.get(2)?,
                author: r.get(3)?,
                author_phone_masked: r.get(4)?,
                unit_name: r.get(5)?,
                tier,
                tier_name: tier_name(tier),
                amount_yuan: r.get(7)?,
                mean: MeanScore::default(),
                revoked: r.get(8)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    for row in &mut rows {
        row.mean = means.get(&row.work_id).copied().unwrap_or_default();
    }
    rows.sort_by(|a, b| {
        (a.revoked.is_some(), a.tier)
            .cmp(&(b.revoked.is_some(), b.tier))
            .then(b.mean.cmp(&a.mean))
            .then(a.code.cmp(&b.code))
    });
    Ok(rows)
}

/// The window's API: what the screens ask, acting for the store's account.
impl Store {
    /// 终审进行中 → 终审结束, keeping the hash of all scores.
    pub fn close_final(&self, category: Category) -> Result<Round> {
        close_final(&self.conn, &self.actor, category)
    }

    /// 入围确定 → 终审进行中, with the experts registered now.
    pub fn open_final(&self, category: Category) -> Result<Round> {
        open_final(&self.conn, &self.actor, category)
    }

    /// Sets the category's awards (replacing any assigned before) while the final round is
    /// closed and 公示 has not begun: one award per work, each tier within its quota, only
    /// shortlisted works; places may stay empty; parting works level on mean score needs a
    /// reason.
    pub fn set_awards(&self, category: Category, awards: &[Award], reason: &str) -> Result<()> {
        set_awards_with_reason(&self.conn, &self.actor, category, awards, reason)
    }

    /// The codes of works level on mean score that `awards` would put in different tiers.
    pub fn level_works_parted(&self, category: Category, awards: &[Award]) -> Result<Vec<String>> {
        Ok(split_ties(&ranking(&self.conn, category)?, awards))
    }

    /// The final ranking by mean of the submitted scores; refused while experts are scoring.
    pub fn final_ranking(&self, category: Category) -> Result<Vec<RankedEntry>> {
        final_ranking(&self.conn, &self.actor, category)
    }

    /// Every award of a category, by tier then mean score; revoked ones last.
    pub fn award_list(&self, category: Category) -> Result<Vec<AwardRow>> {
        award_list(&self.conn, &self.actor, category)
    }

    /// Awards straight down the ranking under the tiers' quotas, for the administrator to accept
    /// or adjust; a tie across a tier's last place is left for them (see `AwardProposal::ties`).
    pub fn propose_awards(&self, category: Category) -> Result<AwardProposal> {
        propose_awards(&self.conn, &self.actor, category)
    }

    /// The acting expert's score sheet in the category's open final round.
    pub fn my_score_sheet(&self, category: Category) -> Result<ScoreSheet> {
        my_score_sheet(&self.conn, &self.actor, category)
    }
}

impl Store {
    /// Saves the scores and, when `submit`, hands the sheet in, in one transaction.
    pub fn save_score_sheet(&mut self, category: Category, scores: &[(i64, u8)], submit: bool) -> Result<ScoreSheet> {
        let actor = self.actor.clone();
        self.transaction(|conn| {
            let sheet = save_scores(conn, &actor, category, scores)?;
            if submit {
                submit_scores(conn, &actor, category)?;
            }
            Ok(sheet)
        })
    }
}
