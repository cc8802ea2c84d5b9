//! 查重 in the store: the flagged pairs of a category, shown side by side with the text they
//! share, and the decision on each — 保留 (both stay), 合并 or 排除 (the other work leaves the
//! contest; the earlier submission is kept unless the decision says otherwise).

use std::ops::Range;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension as _, params};

use super::works::WorkStatus;
use super::{NOW, atomically};
use crate::domain::access::{Action, require};
use crate::domain::contest::screening::{PairKind, ScreeningWork, pair_spans, screen};
use crate::domain::contest::{Category, RoundState};
use crate::error::{Error, Result};
use crate::store::Actor;
use crate::store::Store;

/// What the administrator decided about a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    /// 保留: not a duplicate (an inherited saying, a common phrase): both stay.
    Keep,
    /// 合并: the same work entered twice: the other is merged into the kept one.
    Merge,
    /// 排除: a copy: the other is excluded.
    Exclude,
}

impl Decision {
    pub const ALL: [Decision; 3] = [Decision::Keep, Decision::Merge, Decision::Exclude];

    pub fn label(self) -> &'static str {
        match self {
            Decision::Keep => "保留",
            Decision::Merge => "合并",
            Decision::Exclude => "排除",
        }
    }

    pub fn from_label(label: &str) -> Option<Decision> {
        Self::ALL.into_iter().find(|d| d.label() == label)
    }
}

/// One side of a pair: the work, and the byte ranges of its title-less content to highlight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PairSide {
    pub work_id: i64,
    pub code: String,
    pub title: String,
    pub content: String,
    pub author: String,
    pub unit_name: String,
    pub submitted_on: String,
    pub status: WorkStatus,
    /// Byte ranges of `content` shared with the other side, in order.
    pub spans: Vec<Range<usize>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PairView {
    pub id: i64,
    pub kind: PairKind,
    /// The larger of Jaccard similarity and containment, in percent.
    pub percent: u32,
    /// Submitted first: kept by default.
    pub earlier: PairSide,
    pub later: PairSide,
    pub decision: Option<Decision>,
    /// The work kept by 合并 or 排除.
    pub kept_id: Option<i64>,
    pub note: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
}

impl PairView {
    /// Waiting for a decision: undecided while both works are still in the contest (a pair
    /// whose other work left through another pair or a withdrawal needs none).
    pub fn needs_decision(&self) -> bool {
        self.decision.is_none() && self.earlier.status == WorkStatus::Active && self.later.status == WorkStatus::Active
    }
}

/// Screens the category's works in the contest and records the pairs flagged; pairs decided
/// earlier keep their decision, undecided ones no longer flagged are dropped. Returns the
/// number of pairs flagged.
pub(crate) fn run_screening(conn: &Connection, category: Category) -> Result<usize> {
    let works: Vec<ScreeningWork> = conn
        .prepare_cached(
            "SELECT id, submitted_on, content FROM contest_work WHERE category = ?1 AND status = '有效' ORDER BY id",
        )?
        .query_map([category.label()], |r| {
            let day: String = r.get(1)?;
            Ok(ScreeningWork {
                id: r.get(0)?,
                submitted_on: NaiveDate::parse_from_str(&day, crate::domain::DATE_FORMAT).unwrap_or_default(),
                content: r.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let pairs = screen(&works, &category.similarity_params());
    conn.prepare_cached("DELETE FROM contest_screening WHERE category = ?1 AND decision IS NULL")?
        .execute([category.label()])?;
    let mut insert = conn.prepare_cached(&format!(
        "INSERT OR IGNORE INTO contest_screening (category, earlier_id, later_id, kind, percent, screened_at)
         VALUES (?1, ?2, ?3, ?4, ?5, {NOW})"
    ))?;
    for pair in &pairs {
        insert.execute(params![
            category.label(),
            pair.earlier,
            pair.later,
            pair.kind.label(),
            pair.similarity.percent()
        ])?;
    }
    Ok(pairs.len())
}

/// The category's flagged pairs, exact copies first, then by similarity. For the
/// administrator and 录入员 (it shows authors).
pub fn screening_pairs(conn: &Connection, actor: &Actor, category: Category) -> Result<Vec<PairView>> {
    require(actor.role, Action::ManageContestWorks)?;
    let params = category.similarity_params();
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.kind, s.percent, s.decision, s.kept_id, s.note, s.decided_by, s.decided_at,
                a.id, a.code, a.title, a.content, a.author, ua.name, a.submitted_on, a.status,
                b.id, b.code, b.title, b.content, b.author, ub.name, b.submitted_on, b.status
         FROM contest_screening s
         JOIN contest_work a ON a.id = s.earlier_id JOIN unit ua ON ua.id = a.unit_id
         JOIN contest_work b ON b.id = s.later_id JOIN unit ub ON ub.id = b.unit_id
         WHERE s.category = ?1
         ORDER BY s.kind = '高度相似', s.percent DESC, a.code, b.code",
    )?;
    let side = |r: &rusqlite::Row<'_>, at: usize| -> rusqlite::Result<PairSide> {
        Ok(PairSide {
            work_id: r.get(at)?,
            code: r.get(at + 1)?,
            title: r.get(at + 2)?,
            content: r.get(at + 3)?,
            author: r.get(at + 4)?,
            unit_name: r.get(at + 5)?,
            submitted_on: r.get(at + 6)?,
            status: r.get(at + 7)?,
            spans: Vec::new(),
        })
    };
    let rows = stmt.query_map([category.label()], |r| {
        Ok(PairView {
            id: r.get(0)?,
            kind: r.get(1)?,
            percent: r.get(2)?,
            decision: r.get(3)?,
            kept_id: r.get(4)?,
            note: r.get(5)?,
            decided_by: r.get(6)?,
            decided_at: r.get(7)?,
            earlier: side(r, 8)?,
            later: side(r, 16)?,
        })
    })?;
    let mut pairs: Vec<PairView> = rows.collect::<Result<_, _>>()?;
    for pair in &mut pairs {
        let (a, b) = pair_spans(&pair.earlier.content, &pair.later.content, &params);
        pair.earlier.spans = a;
        pair.later.spans = b;
    }
    Ok(pairs)
}

/// The pairs of a category still waiting for a decision, as (earlier code, later code).
pub fn undecided_pairs(conn: &Connection, category: Category) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.code, b.code FROM contest_screening s
         JOIN contest_work a ON a.id = s.earlier_id JOIN contest_work b ON b.id = s.later_id
         WHERE s.category = ?1 AND s.decision IS NULL AND a.status = '有效' AND b.status = '有效'
         ORDER BY a.code, b.code",
    )?;
    let rows = stmt.query_map([category.label()], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Decides a pair (or changes the decision while the category is in 查重). `kept` is the
/// work that stays by 合并 or 排除: the earlier one when `None`.
pub fn decide_pair(
    conn: &Connection,
    actor: &Actor,
    pair_id: i64,
    decision: Decision,
    kept: Option<i64>,
    note: &str,
) -> Result<()> {
    require(actor.role, Action::ManageContestWorks)?;
    atomically(conn, || {
        let (category, earlier, later, previous): (String, i64, i64, Option<String>) = conn
            .prepare_cached("SELECT category, earlier_id, later_id, decision FROM contest_screening WHERE id = ?1")?
            .query_row([pair_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?
            .ok_or_else(|| Error::rejected("查重记录不存在"))?;
        let category = super::category_from_label(&category)?;
        let stage = super::state(conn, category)?;
        if stage != RoundState::Screening {
            return Err(Error::rejected(format!(
                "{}当前为{}阶段，只有查重阶段才能处理疑似重复",
                category.label(),
                stage.label()
            )));
        }
        let kept = match decision {
            Decision::Keep => None,
            Decision::Merge | Decision::Exclude => Some(kept.unwrap_or(earlier)),
        };
        if let Some(k) = kept
            && k != earlier
            && k != later
        {
            return Err(Error::rejected("保留的作品须是这两件之一"));
        }
        if previous.is_some() {
            undo_effect(conn, pair_id)?;
        }
        conn.prepare_cached(&format!(
            "UPDATE contest_screening SET decision = ?2, kept_id = ?3, note = ?4, decided_by = ?5, decided_at = {NOW}
             WHERE id = ?1"
        ))?
        .execute(params![pair_id, decision.label(), kept, note.trim(), actor.audit_name()])?;
        if let Some(kept) = kept {
            let other = if kept == earlier { later } else { earlier };
            apply_effect(conn, decision, kept, other)?;
        }
        Ok(())
    })
}

/// Takes the other work out of the contest: merged into the kept one, or excluded.
fn apply_effect(conn: &Connection, decision: Decision, kept: i64, other: i64) -> Result<()> {
    let kept_code: String =
        conn.prepare_cached("SELECT code FROM contest_work WHERE id = ?1")?.query_row([kept], |r| r.get(0))?;
    let (status, merged_into, reason) = match decision {
        Decision::Merge => (WorkStatus::Merged, Some(kept), format!("查重：与{kept_code}为同一作品，已合并")),
        _ => (WorkStatus::Excluded, None, format!("查重：与{kept_code}重复，予以排除")),
    };
    conn.prepare_cached(
        "UPDATE contest_work SET status = ?2, merged_into = ?3, status_reason = ?4 WHERE id = ?1 AND status = '有效'",
    )?
    .execute(params![other, status.label(), merged_into, reason])?;
    Ok(())
}

/// Before a decision changes: the work it took out comes back, unless another decided pair
/// also takes it out.
fn undo_effect(conn: &Connection, pair_id: i64) -> Result<()> {
    let (earlier, later, kept): (i64, i64, Option<i64>) = conn
        .prepare_cached("SELECT earlier_id, later_id, kept_id FROM contest_screening WHERE id = ?1")?
        .query_row([pair_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let Some(kept) = kept else { return Ok(()) };
    let other = if kept == earlier { later } else { earlier };
    let taken_out_elsewhere: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM contest_screening WHERE id <> ?1 AND kept_id IS NOT NULL
                            AND ?2 IN (earlier_id, later_id) AND kept_id <> ?2)",
        )?
        .query_row(params![pair_id, other], |r| r.get(0))?;
    if !taken_out_elsewhere {
        conn.prepare_cached(
            "UPDATE contest_work SET status = '有效', merged_into = NULL, status_reason = ''
             WHERE id = ?1 AND status IN ('已合并', '已排除')",
        )?
        .execute([other])?;
    }
    Ok(())
}

/// The window's API: what the screens ask, acting for the store's account.
impl Store {
    /// Decides a pair (or changes the decision while the category is in 查重). `kept` is the
    /// work that stays by 合并 or 排除: the earlier one when `None`.
    pub fn decide_pair(&self, pair_id: i64, decision: Decision, kept: Option<i64>, note: &str) -> Result<()> {
        decide_pair(&self.conn, &self.actor, pair_id, decision, kept, note)
    }

    /// The category's flagged pairs, exact copies first, then by similarity. For the
    /// administrator and 录入员 (it shows authors).
    pub fn screening_pairs(&self, category: Category) -> Result<Vec<PairView>> {
        screening_pairs(&self.conn, &self.actor, category)
    }
}
