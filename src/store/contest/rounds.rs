//! The state machine in the store: every move logged (who, when, why), the initial round
//! opened and closed (`contest open` / `contest close`), a reopen with its reason, and the
//! progress of a round (who has submitted, never what).

use rusqlite::{Connection, OptionalExtension as _, params};
use sha2::{Digest, Sha256};

use super::judges::JudgeRole;
use super::{NOW, atomically, require_overseer, screening, state};
use crate::domain::access::{Action, require};
use crate::domain::contest::{Category, RoundState, TransitionKind};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::{Actor, audit};

/// The kind of a ballot round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RoundKind {
    /// 初评: approval voting over every work.
    Initial,
    /// 决选: approval voting over the works tied at a cut-off, for the places left.
    RunOff,
    /// 终审: experts score the shortlist.
    Final,
}

impl RoundKind {
    pub fn label(self) -> &'static str {
        match self {
            RoundKind::Initial => "初评",
            RoundKind::RunOff => "决选",
            RoundKind::Final => "终审",
        }
    }

    pub fn from_label(label: &str) -> Option<RoundKind> {
        [RoundKind::Initial, RoundKind::RunOff, RoundKind::Final].into_iter().find(|k| k.label() == label)
    }
}

/// A ballot round of a category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Round {
    pub id: i64,
    pub category: Category,
    pub kind: RoundKind,
    pub seq: u32,
    /// The most votes a ballot may carry (`None` for 终审).
    pub quota: Option<u32>,
    /// The places the round fills.
    pub places: Option<u32>,
    pub opened_at: String,
    pub closed_at: Option<String>,
    /// SHA-256 of all the round's ballots (or scores) when it closed.
    pub ballots_hash: Option<String>,
}

impl Round {
    /// `初评`, `决选（第2轮）`, `终审`.
    pub fn name(&self) -> String {
        match self.kind {
            RoundKind::RunOff => format!("决选（第{}轮）", self.seq),
            kind => kind.label().to_string(),
        }
    }
}

/// One logged move of a category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateChange {
    pub from: RoundState,
    pub to: RoundState,
    pub kind: TransitionKind,
    pub reason: String,
    pub actor: String,
    pub at: String,
}

/// Moves a category, logging the move (the schema checks it is allowed and does the move).
pub(crate) fn move_state(
    conn: &Connection,
    actor: &Actor,
    category: Category,
    to: RoundState,
    reason: &str,
) -> Result<()> {
    let from = state(conn, category)?;
    let Some(kind) = from.transition_to(to) else {
        return Err(Error::rejected(format!(
            "{}当前为{}阶段，不能{}到{}阶段",
            category.label(),
            from.label(),
            if to < from { "退回" } else { "直接进入" },
            to.label()
        )));
    };
    if kind == TransitionKind::Reopen && reason.trim().is_empty() {
        return Err(Error::rejected("退回（重开）须写明理由"));
    }
    conn.prepare_cached(&format!(
        "INSERT INTO contest_state_log (category, from_state, to_state, kind, reason, actor, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, {NOW})"
    ))?
    .execute(params![
        category.label(),
        from.label(),
        to.label(),
        kind.label(),
        reason.trim(),
        actor.audit_name()
    ])?;
    let detail = match kind {
        TransitionKind::Advance => format!("{} → {}", from.label(), to.label()),
        TransitionKind::Reopen => format!("{} → {}（重开：{}）", from.label(), to.label(), reason.trim()),
    };
    audit::record(conn, actor, "评选阶段", &format!("contest_category#{}", category.label()), &detail)
}

/// The moves of a category, oldest first.
pub fn state_log(conn: &Connection, category: Category) -> Result<Vec<StateChange>> {
    let mut stmt = conn.prepare_cached(
        "SELECT from_state, to_state, kind, reason, actor, at FROM contest_state_log WHERE category = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([category.label()], |r| {
        Ok(StateChange {
            from: r.get(0)?,
            to: r.get(1)?,
            kind: r.get(2)?,
            reason: r.get(3)?,
            actor: r.get(4)?,
            at: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What starting 查重 found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScreeningStarted {
    pub flagged: usize,
    /// Pairs waiting for a decision, as (earlier code, later code).
    pub undecided: Vec<(String, String)>,
}

/// 征集 → 查重: freezes the works and flags duplicates.
pub fn start_screening(conn: &Connection, actor: &Actor, category: Category) -> Result<ScreeningStarted> {
    require(actor.role, Action::RunContestRounds)?;
    atomically(conn, || {
        if active_works(conn, category)? == 0 {
            return Err(Error::rejected(format!("{}还没有作品，不能进入查重", category.label())));
        }
        move_state(conn, actor, category, RoundState::Screening, "")?;
        let flagged = screening::run_screening(conn, category)?;
        Ok(ScreeningStarted { flagged, undecided: screening::undecided_pairs(conn, category)? })
    })
}

fn active_works(conn: &Connection, category: Category) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM contest_work WHERE category = ?1 AND status = '有效'")?
        .query_row([category.label()], |r| r.get(0))?)
}

/// How many undecided 查重 pairs the refusal to open the initial round names.
pub const UNDECIDED_LISTED: usize = 20;

/// `contest open`: moves the category into 初评进行中, running 查重 on the way when it is
/// still collecting. While flagged pairs wait for a decision it stops in 查重 (that step is
/// kept) and refuses, naming the first [`UNDECIDED_LISTED`] and counting the rest. The
/// judges registered now are the judges of the round.
pub fn open_initial(conn: &Connection, actor: &Actor, category: Category) -> Result<Round> {
    require(actor.role, Action::RunContestRounds)?;
    if state(conn, category)? == RoundState::Collecting {
        start_screening(conn, actor, category)?;
    }
    let undecided = screening::undecided_pairs(conn, category)?;
    if !undecided.is_empty() {
        // A batch of copies makes hundreds of pairs: name the first few, count the rest.
        let listed: Vec<String> = undecided.iter().take(UNDECIDED_LISTED).map(|(a, b)| format!("{a} 与 {b}")).collect();
        let mut message = format!(
            "{}查重发现 {} 对疑似重复作品尚未处理，初评未开启：{}",
            category.label(),
            undecided.len(),
            listed.join("、")
        );
        if undecided.len() > UNDECIDED_LISTED {
            message.push_str(&format!("，另有 {} 对", undecided.len() - UNDECIDED_LISTED));
        }
        return Err(Error::rejected(message));
    }
    atomically(conn, || {
        let stage = state(conn, category)?;
        if stage != RoundState::Screening {
            return Err(Error::rejected(format!("{}当前为{}阶段，不能开启初评", category.label(), stage.label())));
        }
        let judges = judges_of_role(conn, JudgeRole::Initial)?;
        if judges.is_empty() {
            return Err(Error::rejected("还没有登记初评评委，不能开启初评"));
        }
        move_state(conn, actor, category, RoundState::InitialOpen, "")?;
        let rules = super::rules(conn, category)?;
        let round = match find_round(conn, category, RoundKind::Initial, 1)? {
            Some(round) => {
                // Reopened to 查重 before anyone voted: the same round opens again.
                conn.prepare_cached(&format!(
                    "UPDATE contest_round SET quota = ?2, places = ?3, opened_at = {NOW} WHERE id = ?1"
                ))?
                .execute(params![round.id, rules.ballot_quota, rules.shortlist])?;
                conn.prepare_cached("DELETE FROM contest_round_judge WHERE round_id = ?1")?.execute([round.id])?;
                round.id
            }
            None => {
                insert_round(conn, category, RoundKind::Initial, 1, Some(rules.ballot_quota), Some(rules.shortlist))?
            }
        };
        add_round_judges(conn, round, &judges)?;
        round_by_id(conn, round)
    })
}

/// `contest close`: ends the initial round (初评结束) and keeps the hash of all its ballots.
pub fn close_initial(conn: &Connection, actor: &Actor, category: Category) -> Result<Round> {
    require(actor.role, Action::RunContestRounds)?;
    atomically(conn, || {
        let round = find_round(conn, category, RoundKind::Initial, 1)?
            .filter(|_| state(conn, category).is_ok_and(|s| s == RoundState::InitialOpen))
            .ok_or_else(|| Error::rejected(format!("{}的初评未在进行中，无需结束", category.label())))?;
        move_state(conn, actor, category, RoundState::InitialClosed, "")?;
        close_round(conn, actor, round.id)
    })
}

/// Goes back to an earlier state with a written reason (a logged reopen). Reopening a closed
/// round opens it again for the judges who have not submitted; nothing submitted changes.
pub fn reopen(conn: &Connection, actor: &Actor, category: Category, to: RoundState, reason: &str) -> Result<()> {
    require(actor.role, Action::RunContestRounds)?;
    atomically(conn, || {
        let from = state(conn, category)?;
        if from.transition_to(to) != Some(TransitionKind::Reopen) {
            return Err(Error::rejected(format!(
                "{}当前为{}阶段，不能退回到{}阶段",
                category.label(),
                from.label(),
                to.label()
            )));
        }
        move_state(conn, actor, category, to, reason)?;
        let reopened = match (from, to) {
            (RoundState::InitialClosed, RoundState::InitialOpen) => find_round(conn, category, RoundKind::Initial, 1)?,
            (RoundState::FinalClosed, RoundState::FinalOpen) => find_round(conn, category, RoundKind::Final, 1)?,
            _ => None,
        };
        if let Some(round) = reopened {
            conn.prepare_cached("UPDATE contest_round SET closed_at = NULL, ballots_hash = NULL WHERE id = ?1")?
                .execute([round.id])?;
        }
        Ok(())
    })
}

pub(crate) fn insert_round(
    conn: &Connection,
    category: Category,
    kind: RoundKind,
    seq: u32,
    quota: Option<u32>,
    places: Option<u32>,
) -> Result<i64> {
    conn.prepare_cached(&format!(
        "INSERT INTO contest_round (category, kind, seq, quota, places, opened_at) VALUES (?1, ?2, ?3, ?4, ?5, {NOW})"
    ))?
    .execute(params![category.label(), kind.label(), seq, quota, places])?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn judges_of_role(conn: &Connection, role: JudgeRole) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM contest_judge WHERE role = ?1 ORDER BY id")?;
    let rows = stmt.query_map([role.label()], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn add_round_judges(conn: &Connection, round: i64, judges: &[i64]) -> Result<()> {
    let mut insert = conn.prepare_cached("INSERT INTO contest_round_judge (round_id, judge_id) VALUES (?1, ?2)")?;
    for judge in judges {
        insert.execute(params![round, judge])?;
    }
    Ok(())
}

/// Closes a round, keeping the hash of its ballots (or scores), and logs it.
pub(crate) fn close_round(conn: &Connection, actor: &Actor, round: i64) -> Result<Round> {
    let hash = ballots_hash(conn, round)?;
    conn.prepare_cached(&format!("UPDATE contest_round SET closed_at = {NOW}, ballots_hash = ?2 WHERE id = ?1"))?
        .execute(params![round, hash])?;
    let closed = round_by_id(conn, round)?;
    audit::record(
        conn,
        actor,
        "评选轮次结束",
        &format!("contest_round#{round}"),
        &format!("{} {}：全部选票哈希 {hash}", closed.category.label(), closed.name()),
    )?;
    Ok(closed)
}

/// SHA-256 over every ballot of a round in a fixed order: judge, paper or online, void,
/// submitted or not, and the codes voted for (or scored, with the score). Printed on the
/// tally sheets so a later change to any ballot shows.
pub fn ballots_hash(conn: &Connection, round: i64) -> Result<String> {
    let mut hasher = Sha256::new();
    for line in hash_lines(conn, round)? {
        hasher.update(line.as_bytes());
        hasher.update(b"\n");
    }
    Ok(crate::store::sealing::hex(&hasher.finalize()))
}

/// The lines [`ballots_hash`] hashes, in its order: `B|judge id|paper|void|submitted at or
/// 草稿|codes voted for, sorted, comma-separated` per ballot, `S|judge id|code|score|submitted
/// at or 草稿` per score. The record prints them, so the hash can be recomputed from the file.
pub(crate) fn hash_lines(conn: &Connection, round: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT 'B|' || b.judge_id || '|' || b.paper || '|' || b.void || '|' || coalesce(b.submitted_at, '草稿') || '|'
                || coalesce((SELECT group_concat(code, ',') FROM
                    (SELECT w.code FROM contest_vote v JOIN contest_work w ON w.id = v.work_id
                     WHERE v.ballot_id = b.id ORDER BY w.code)), '')
         FROM contest_ballot b WHERE b.round_id = ?1
         UNION ALL
         SELECT 'S|' || s.judge_id || '|' || w.code || '|' || s.score || '|' || coalesce(s.submitted_at, '草稿')
         FROM contest_score s JOIN contest_work w ON w.id = s.work_id WHERE s.round_id = ?1
         ORDER BY 1",
    )?;
    let lines = stmt.query_map([round], |r| r.get::<_, String>(0))?;
    Ok(lines.collect::<Result<_, _>>()?)
}

const ROUND_COLUMNS: &str = "id, category, kind, seq, quota, places, opened_at, closed_at, ballots_hash";

fn round_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Round> {
    Ok(Round {
        id: r.get(0)?,
        category: r.get(1)?,
        kind: r.get(2)?,
        seq: r.get(3)?,
        quota: r.get(4)?,
        places: r.get(5)?,
        opened_at: r.get(6)?,
        closed_at: r.get(7)?,
        ballots_hash: r.get(8)?,
    })
}

pub fn round_by_id(conn: &Connection, id: i64) -> Result<Round> {
    Ok(conn
        .prepare_cached(&format!("SELECT {ROUND_COLUMNS} FROM contest_round WHERE id = ?1"))?
        .query_row([id], round_from_row)?)
}

pub(crate) fn find_round(conn: &Connection, category: Category, kind: RoundKind, seq: u32) -> Result<Option<Round>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {ROUND_COLUMNS} FROM contest_round WHERE category = ?1 AND kind = ?2 AND seq = ?3"
        ))?
        .query_row(params![category.label(), kind.label(), seq], round_from_row)
        .optional()?)
}

/// Every round of a category, in the order they were held.
pub fn rounds(conn: &Connection, category: Category) -> Result<Vec<Round>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {ROUND_COLUMNS} FROM contest_round WHERE category = ?1 ORDER BY id"))?;
    let rows = stmt.query_map([category.label()], round_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The round of a category open for ballots or scores now, if any.
pub fn open_round(conn: &Connection, category: Category) -> Result<Option<Round>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {ROUND_COLUMNS} FROM contest_open_round WHERE category = ?1 ORDER BY id DESC LIMIT 1"
        ))?
        .query_row([category.label()], round_from_row)
        .optional()?)
}

/// Where one judge is in a round. Says nothing of what they chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BallotStatus {
    /// 未投: nothing saved.
    NotStarted,
    /// 草稿: saved, not submitted.
    Draft,
    /// 已提交.
    Submitted,
    /// 纸质选票: keyed in by the administrator.
    Paper,
    /// 电子选票: a sealed ballot workbook taken back.
    Workbook,
    /// 废票: a paper ballot over the quota, void as a whole.
    Void,
}

impl BallotStatus {
    pub fn label(self) -> &'static str {
        match self {
            BallotStatus::NotStarted => "未投",
            BallotStatus::Draft => "草稿",
            BallotStatus::Submitted => "已提交",
            BallotStatus::Paper => "纸质选票",
            BallotStatus::Workbook => "电子选票",
            BallotStatus::Void => "废票",
        }
    }

    /// Counts as handed in.
    pub fn is_final(self) -> bool {
        matches!(self, BallotStatus::Submitted | BallotStatus::Paper | BallotStatus::Workbook | BallotStatus::Void)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JudgeProgress {
    pub judge_id: i64,
    pub name: String,
    pub unit_name: String,
    pub status: BallotStatus,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundProgress {
    pub round: Round,
    pub judges: Vec<JudgeProgress>,
}

impl RoundProgress {
    pub fn handed_in(&self) -> usize {
        self.judges.iter().filter(|j| j.status.is_final()).count()
    }
}

/// Who has handed in in the category's latest round: status only, no votes, no counts of
/// votes, no scores (the tally stays hidden while the round is open).
pub fn progress(conn: &Connection, actor: &Actor, category: Category) -> Result<RoundProgress> {
    require_overseer(actor, "查看评审进度")?;
    let round =
        rounds(conn, category)?.pop().ok_or_else(|| Error::rejected(format!("{}还没有开始评审", category.label())))?;
    let sql = if round.kind == RoundKind::Final {
        "SELECT j.id, j.name, coalesce(u.name, j.organisation),
                CASE WHEN EXISTS (SELECT 1 FROM contest_score s WHERE s.round_id = rj.round_id AND s.judge_id = j.id
                                  AND s.submitted_at IS NOT NULL) THEN 2
                     WHEN EXISTS (SELECT 1 FROM contest_score s WHERE s.round_id = rj.round_id AND s.judge_id = j.id)
                     THEN 1 ELSE 0 END, 0, 0, 0
         FROM contest_round_judge rj JOIN contest_judge j ON j.id = rj.judge_id LEFT JOIN unit u ON u.id = j.unit_id
         WHERE rj.round_id = ?1 ORDER BY j.id"
    } else {
        "SELECT j.id, j.name, coalesce(u.name, j.organisation),
                CASE WHEN b.submitted_at IS NOT NULL THEN 2 WHEN b.id IS NOT NULL THEN 1 ELSE 0 END,
                coalesce(b.paper, 0), coalesce(b.void, 0),
                EXISTS (SELECT 1 FROM contest_ballot_workbook x WHERE x.ballot_id = b.id)
         FROM contest_round_judge rj JOIN contest_judge j ON j.id = rj.judge_id LEFT JOIN unit u ON u.id = j.unit_id
         LEFT JOIN contest_ballot b ON b.round_id = rj.round_id AND b.judge_id = j.id
         WHERE rj.round_id = ?1 ORDER BY j.id"
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([round.id], |r| {
        let (stage, paper, void, workbook): (i64, bool, bool, bool) = (r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?);
        let status = match (stage, paper, void) {
            (2, _, true) => BallotStatus::Void,
            (2, true, false) if workbook => BallotStatus::Workbook,
            (2, true, false) => BallotStatus::Paper,
            (2, false, false) => BallotStatus::Submitted,
            (1, _, _) => BallotStatus::Draft,
            _ => BallotStatus::NotStarted,
        };
        Ok(JudgeProgress { judge_id: r.get(0)?, name: r.get(1)?, unit_name: r.get(2)?, status })
    })?;
    let judges = rows.collect::<Result<_, _>>()?;
    Ok(RoundProgress { round, judges })
}

/// The window's API: what the screens ask, acting for the store's account.
impl Store {
    /// `contest close`: ends the initial round (初评结束) and keeps the hash of all its ballots.
    pub fn close_initial(&self, category: Category) -> Result<Round> {
        close_initial(&self.conn, &self.actor, category)
    }

    /// `contest open`: moves the category into 初评进行中, running 查重 on the way when it is
    /// still collecting. While flagged pairs wait for a decision it stops in 查重 (that step is
    /// kept) and refuses, listing them. The judges registered now are the judges of the round.
    pub fn open_initial(&self, category: Category) -> Result<Round> {
        open_initial(&self.conn, &self.actor, category)
    }

    /// Goes back to an earlier state with a written reason (a logged reopen). Reopening a closed
    /// round opens it again for the judges who have not submitted; nothing submitted changes.
    pub fn reopen_round(&self, category: Category, to: RoundState, reason: &str) -> Result<()> {
        reopen(&self.conn, &self.actor, category, to, reason)
    }

    /// 征集 → 查重: freezes the works and flags duplicates.
    pub fn start_screening(&self, category: Category) -> Result<ScreeningStarted> {
        start_screening(&self.conn, &self.actor, category)
    }

    /// Every round of a category, in the order they were held.
    pub fn contest_rounds(&self, category: Category) -> Result<Vec<Round>> {
        rounds(&self.conn, category)
    }

    /// Who has handed in in the category's latest round: status only, no votes, no counts of
    /// votes, no scores (the tally stays hidden while the round is open).
    pub fn round_progress(&self, category: Category) -> Result<RoundProgress> {
        progress(&self.conn, &self.actor, category)
    }

    /// The moves of a category, oldest first.
    pub fn state_log(&self, category: Category) -> Result<Vec<StateChange>> {
        state_log(&self.conn, category)
    }
}
