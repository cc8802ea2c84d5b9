//! The tally of a closed round (hidden while it is open), the cut-off with its tie band, the
//! run-offs and 全部入围 decisions that resolve a band, and the shortlist, confirmed once and
//! frozen.

use rusqlite::{Connection, params};
use serde::Serialize;

use super::rounds::{
    Round, RoundKind, add_round_judges, close_round, find_round, insert_round, move_state, open_round, rounds,
};
use super::{NOW, atomically, require_overseer, state};
use crate::domain::access::{Action, require};
use crate::domain::contest::tally::{TallyRow, cut, rank};
use crate::domain::contest::{Category, Cut, RoundState};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::{Actor, audit};

/// A closed round's count: per work its votes and eligible judges, ranked, and the cut-off.
#[derive(Clone, Debug, PartialEq)]
pub struct RoundTally {
    pub round: Round,
    /// Ranked by votes, high to low (then by code, which decides nothing).
    pub rows: Vec<TallyRow>,
    pub cut: Cut,
    /// Judges of the round, and how many handed in a ballot (void ones included).
    pub judges: u32,
    pub handed_in: u32,
    pub void: u32,
}

/// `contest tally --json` as formats.md defines it.
#[derive(Serialize)]
pub struct TallyJson {
    pub category: &'static str,
    pub quota: u32,
    pub shortlist: Vec<String>,
    pub tie_band: Vec<String>,
    pub places_left: u32,
    pub tally: Vec<TallyLineJson>,
}

#[derive(Serialize)]
pub struct TallyLineJson {
    pub work: String,
    pub votes: u32,
    pub eligible: u32,
}

impl RoundTally {
    pub fn code_of(&self, work_id: i64) -> &str {
        self.rows.iter().find(|r| r.work_id == work_id).map_or("", |r| r.code.as_str())
    }

    fn codes(&self, ids: &[i64]) -> Vec<String> {
        ids.iter().map(|id| self.code_of(*id).to_string()).collect()
    }

    pub fn to_json(&self) -> TallyJson {
        TallyJson {
            category: self.round.category.label(),
            quota: self.cut.quota,
            shortlist: self.codes(&self.cut.shortlist),
            tie_band: self.codes(&self.cut.tie_band),
            places_left: self.cut.places_left,
            tally: self
                .rows
                .iter()
                .map(|r| TallyLineJson { work: r.code.clone(), votes: r.votes, eligible: r.eligible })
                .collect(),
        }
    }
}

/// The tally of the category's initial round, once it is closed; refused while it is open.
pub fn initial_tally(conn: &Connection, actor: &Actor, category: Category) -> Result<RoundTally> {
    require_overseer(actor, "查看计票结果")?;
    let round = find_round(conn, category, RoundKind::Initial, 1)?
        .ok_or_else(|| Error::rejected(format!("{}的初评尚未开始，没有计票结果", category.label())))?;
    round_tally(conn, actor, round.id)
}

/// The tally of any closed ballot round (初评 or a 决选); refused while it is open.
pub fn round_tally(conn: &Connection, actor: &Actor, round_id: i64) -> Result<RoundTally> {
    require_overseer(actor, "查看计票结果")?;
    let round = super::rounds::round_by_id(conn, round_id)?;
    if round.kind == RoundKind::Final {
        return Err(Error::rejected("终审是评分，请查看终审排名"));
    }
    if round.closed_at.is_none() {
        return Err(Error::rejected(format!(
            "{}{}正在进行，投票结束前不能查看计票结果",
            round.category.label(),
            round.name()
        )));
    }
    let tally = count_round(conn, round)?;
    audit::record(conn, actor, "查看计票", &format!("contest_round#{round_id}"), &tally.round.name())?;
    Ok(tally)
}

/// Counts a round from its raw ballots: void and unsubmitted ballots count for nothing.
fn count_round(conn: &Connection, round: Round) -> Result<RoundTally> {
    let mut stmt = conn.prepare_cached(
        "SELECT w.id, w.code,
                (SELECT count(*) FROM contest_vote v JOIN contest_ballot b ON b.id = v.ballot_id
                 WHERE v.work_id = w.id AND b.round_id = ?1 AND b.submitted_at IS NOT NULL AND b.void = 0),
                (SELECT count(*) FROM contest_round_judge rj JOIN contest_judge j ON j.id = rj.judge_id
                 WHERE rj.round_id = ?1 AND j.unit_id IS NOT w.unit_id)
         FROM contest_work w
         WHERE w.category = ?2 AND w.status IN ('有效', '取消资格')
           AND (?3 = 0 OR w.id IN (SELECT work_id FROM contest_runoff_work WHERE round_id = ?1))",
    )?;
    let runoff = round.kind == RoundKind::RunOff;
    let mut rows: Vec<TallyRow> = stmt
        .query_map(params![round.id, round.category.label(), runoff], |r| {
            Ok(TallyRow { work_id: r.get(0)?, code: r.get(1)?, votes: r.get(2)?, eligible: r.get(3)? })
        })?
        .collect::<Result<_, _>>()?;
    rank(&mut rows);
    let (judges, handed_in, void): (u32, u32, u32) = conn
        .prepare_cached(
            "SELECT (SELECT count(*) FROM contest_round_judge WHERE round_id = ?1),
                    (SELECT count(*) FROM contest_ballot WHERE round_id = ?1 AND submitted_at IS NOT NULL),
                    (SELECT count(*) FROM contest_ballot WHERE round_id = ?1 AND void = 1)",
        )?
        .query_row([round.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let cut = cut(&rows, round.places.unwrap_or(0));
    Ok(RoundTally { round, rows, cut, judges, handed_in, void })
}

/// How a shortlisted work got in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ShortlistSource {
    /// 初评: clearly inside the quota.
    Initial,
    /// 决选: won a place in a run-off.
    RunOff,
    /// 全部入围: admitted with the whole tie band, with a written reason.
    AdmitAll,
}

impl ShortlistSource {
    pub fn label(self) -> &'static str {
        match self {
            ShortlistSource::Initial => "初评",
            ShortlistSource::RunOff => "决选",
            ShortlistSource::AdmitAll => "全部入围",
        }
    }

    pub fn from_label(label: &str) -> Option<ShortlistSource> {
        [ShortlistSource::Initial, ShortlistSource::RunOff, ShortlistSource::AdmitAll]
            .into_iter()
            .find(|s| s.label() == label)
    }
}

/// A work on the way to (or on) the shortlist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShortlistEntry {
    pub work_id: i64,
    pub code: String,
    pub title: String,
    /// Votes in the initial round.
    pub votes: u32,
    pub source: ShortlistSource,
}

/// Where the shortlist stands after the initial round and any run-offs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShortlistStatus {
    pub quota: u32,
    pub admitted: Vec<ShortlistEntry>,
    /// Works level at the cut-off of `band_round`, waiting for a decision.
    pub tie_band: Vec<ShortlistEntry>,
    pub places_left: u32,
    /// The round whose cut-off the band straddles.
    pub band_round: Option<Round>,
    /// A run-off now open for votes.
    pub runoff_open: Option<Round>,
    pub confirmed: bool,
}

impl ShortlistStatus {
    /// The shortlist can be confirmed: no band left, no run-off running.
    pub fn is_resolved(&self) -> bool {
        self.tie_band.is_empty() && self.runoff_open.is_none()
    }
}

/// Walks the initial round's cut-off and each decision on a tie band (a run-off, whose own
/// cut-off may leave a smaller band, or 全部入围) to the shortlist as it stands.
pub fn shortlist_status(conn: &Connection, actor: &Actor, category: Category) -> Result<ShortlistStatus> {
    require_overseer(actor, "查看入围情况")?;
    let initial = find_round(conn, category, RoundKind::Initial, 1)?
        .filter(|r| r.closed_at.is_some())
        .ok_or_else(|| Error::rejected(format!("{}的初评尚未结束", category.label())))?;
    let first = count_round(conn, initial)?;
    let entry = |row: &TallyRow, source| -> Result<ShortlistEntry> {
        Ok(ShortlistEntry {
            work_id: row.work_id,
            code: row.code.clone(),
            title: title_of(conn, row.work_id)?,
            votes: first.rows.iter().find(|r| r.work_id == row.work_id).map_or(0, |r| r.votes),
            source,
        })
    };
    let pick = |tally: &RoundTally, ids: &[i64], source| -> Result<Vec<ShortlistEntry>> {
        ids.iter().filter_map(|id| tally.rows.iter().find(|r| r.work_id == *id)).map(|row| entry(row, source)).collect()
    };
    let mut admitted = pick(&first, &first.cut.shortlist, ShortlistSource::Initial)?;
    let mut band = pick(&first, &first.cut.tie_band, ShortlistSource::Initial)?;
    let mut places_left = first.cut.places_left;
    let mut band_round = Some(first.round.clone());
    let mut runoff_open = None;
    while let Some(round) = band_round.clone().filter(|_| !band.is_empty()) {
        let Some((method, runoff)) = resolution_of(conn, round.id)? else { break };
        if method == ShortlistSource::AdmitAll {
            admitted.extend(band.drain(..).map(|e| ShortlistEntry { source: ShortlistSource::AdmitAll, ..e }));
            break;
        }
        let runoff = super::rounds::round_by_id(conn, runoff.unwrap_or_default())?;
        if runoff.closed_at.is_none() {
            runoff_open = Some(runoff);
            break;
        }
        let tally = count_round(conn, runoff)?;
        admitted.extend(pick(&tally, &tally.cut.shortlist, ShortlistSource::RunOff)?);
        band = pick(&tally, &tally.cut.tie_band, ShortlistSource::Initial)?;
        places_left = tally.cut.places_left;
        band_round = Some(tally.round);
    }
    if band.is_empty() {
        places_left = 0;
        band_round = None;
    }
    let confirmed = state(conn, category)? >= RoundState::Shortlisted;
    Ok(ShortlistStatus {
        quota: first.cut.quota,
        admitted,
        tie_band: band,
        places_left,
        band_round,
        runoff_open,
        confirmed,
    })
}

fn title_of(conn: &Connection, work: i64) -> Result<String> {
    Ok(conn.prepare_cached("SELECT title FROM contest_work WHERE id = ?1")?.query_row([work], |r| r.get(0))?)
}

/// The decision on a round's tie band: the method and the run-off round, if any.
fn resolution_of(conn: &Connection, round: i64) -> Result<Option<(ShortlistSource, Option<i64>)>> {
    use rusqlite::OptionalExtension as _;
    let found: Option<(String, Option<i64>)> = conn
        .prepare_cached("SELECT method, runoff_round_id FROM contest_tie_resolution WHERE round_id = ?1")?
        .query_row([round], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(found.map(|(method, runoff)| {
        (if method == "全部入围" { ShortlistSource::AdmitAll } else { ShortlistSource::RunOff }, runoff)
    }))
}

/// The band waiting for a decision, or a refusal saying why there is none.
fn pending_band(conn: &Connection, actor: &Actor, category: Category) -> Result<(ShortlistStatus, Round)> {
    let status = shortlist_status(conn, actor, category)?;
    if status.confirmed {
        return Err(Error::rejected("入围名单已确定，不能更改"));
    }
    if let Some(open) = &status.runoff_open {
        return Err(Error::rejected(format!("{}正在进行，请先结束", open.name())));
    }
    match status.band_round.clone() {
        Some(round) if !status.tie_band.is_empty() => Ok((status, round)),
        _ => Err(Error::rejected("没有需要处理的并列")),
    }
}

fn band_codes(status: &ShortlistStatus) -> String {
    status.tie_band.iter().map(|e| e.code.as_str()).collect::<Vec<_>>().join("、")
}

/// Starts a run-off among the tied works for the places left: the judges of the initial
/// round vote again, at most `places_left` each. Returns the run-off round.
pub fn start_runoff(conn: &Connection, actor: &Actor, category: Category) -> Result<Round> {
    require(actor.role, Action::RunContestRounds)?;
    atomically(conn, || {
        let (status, band_round) = pending_band(conn, actor, category)?;
        let seq = rounds(conn, category)?.iter().filter(|r| r.kind == RoundKind::RunOff).count() as u32 + 1;
        if state(conn, category)? == RoundState::InitialClosed {
            move_state(conn, actor, category, RoundState::RunOff, "")?;
        }
        let places = status.places_left;
        let runoff = insert_round(conn, category, RoundKind::RunOff, seq, Some(places), Some(places))?;
        let mut add = conn.prepare_cached("INSERT INTO contest_runoff_work (round_id, work_id) VALUES (?1, ?2)")?;
        for work in &status.tie_band {
            add.execute(params![runoff, work.work_id])?;
        }
        let judges: Vec<i64> = {
            let initial =
                find_round(conn, category, RoundKind::Initial, 1)?.ok_or_else(|| Error::rejected("初评轮次不存在"))?;
            let mut stmt =
                conn.prepare_cached("SELECT judge_id FROM contest_round_judge WHERE round_id = ?1 ORDER BY judge_id")?;
            stmt.query_map([initial.id], |r| r.get(0))?.collect::<Result<_, _>>()?
        };
        add_round_judges(conn, runoff, &judges)?;
        record_resolution(conn, actor, band_round.id, "决选", Some(runoff), &status, "")?;
        super::rounds::round_by_id(conn, runoff)
    })
}

/// Ends the open run-off; its tally may leave a smaller band for another decision.
pub fn close_runoff(conn: &Connection, actor: &Actor, category: Category) -> Result<Round> {
    require(actor.role, Action::RunContestRounds)?;
    atomically(conn, || {
        let round = open_round(conn, category)?
            .filter(|r| r.kind == RoundKind::RunOff)
            .ok_or_else(|| Error::rejected(format!("{}没有进行中的决选", category.label())))?;
        close_round(conn, actor, round.id)
    })
}

/// Admits every work of the tie band, with a written reason (logged).
pub fn admit_tie_band(conn: &Connection, actor: &Actor, category: Category, reason: &str) -> Result<()> {
    require(actor.role, Action::RunContestRounds)?;
    if reason.trim().is_empty() {
        return Err(Error::rejected("全部入围须写明理由"));
    }
    atomically(conn, || {
        let (status, band_round) = pending_band(conn, actor, category)?;
        record_resolution(conn, actor, band_round.id, "全部入围", None, &status, reason)
    })
}

fn record_resolution(
    conn: &Connection,
    actor: &Actor,
    round: i64,
    method: &str,
    runoff: Option<i64>,
    status: &ShortlistStatus,
    reason: &str,
) -> Result<()> {
    let band = band_codes(status);
    conn.prepare_cached(&format!(
        "INSERT INTO contest_tie_resolution (round_id, method, runoff_round_id, band, places, reason, decided_by, decided_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, {NOW})"
    ))?
    .execute(params![round, method, runoff, band, status.places_left, reason.trim(), actor.audit_name()])?;
    let detail = format!(
        "并列作品 {band} 争 {} 个名额：{method}{}",
        status.places_left,
        if reason.trim().is_empty() { String::new() } else { format!("（{}）", reason.trim()) }
    );
    audit::record(conn, actor, "处理并列", &format!("contest_round#{round}"), &detail)
}

/// Confirms the shortlist (入围确定): refused while a tie band waits for a decision or a
/// run-off is open. Once confirmed it never changes.
pub fn confirm_shortlist(conn: &Connection, actor: &Actor, category: Category) -> Result<Vec<ShortlistEntry>> {
    require(actor.role, Action::RunContestRounds)?;
    atomically(conn, || {
        let status = shortlist_status(conn, actor, category)?;
        if status.confirmed {
            return Err(Error::rejected("入围名单已确定"));
        }
        if let Some(open) = &status.runoff_open {
            return Err(Error::rejected(format!("{}正在进行，结束并处理后才能确定入围名单", open.name())));
        }
        if !status.tie_band.is_empty() {
            return Err(Error::rejected(format!(
                "第{}名处有 {} 件作品并列（{}），争 {} 个名额：请先组织决选或决定全部入围，才能确定入围名单",
                status.quota,
                status.tie_band.len(),
                band_codes(&status),
                status.places_left
            )));
        }
        let mut insert = conn.prepare_cached(&format!(
            "INSERT INTO contest_shortlist (work_id, category, votes, source, confirmed_at) VALUES (?1, ?2, ?3, ?4, {NOW})"
        ))?;
        for entry in &status.admitted {
            insert.execute(params![entry.work_id, category.label(), entry.votes, entry.source.label()])?;
        }
        move_state(conn, actor, category, RoundState::Shortlisted, "")?;
        audit::record(
            conn,
            actor,
            "确定入围名单",
            &format!("contest_category#{}", category.label()),
            &format!("{} 件", status.admitted.len()),
        )?;
        Ok(status.admitted)
    })
}

/// The confirmed shortlist, by initial votes then code (empty before confirmation). It shows
/// votes, so experts do not see it: their score sheet lists the works by code.
pub fn shortlist(conn: &Connection, actor: &Actor, category: Category) -> Result<Vec<ShortlistEntry>> {
    require_overseer(actor, "查看入围名单")?;
    let mut stmt = conn.prepare_cached(
        "SELECT s.work_id, w.code, w.title, s.votes, s.source FROM contest_shortlist s JOIN contest_work w ON w.id = s.work_id
         WHERE s.category = ?1 ORDER BY s.votes DESC, w.code",
    )?;
    let rows = stmt.query_map([category.label()], |r| {
        Ok(ShortlistEntry {
            work_id: r.get(0)?,
            code: r.get(1)?,
            title: r.get(2)?,
            votes: r.get(3)?,
            source: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The window's API: what the screens ask, acting for the store's account.
impl Store {
    /// Admits every work of the tie band, with a written reason (logged).
    pub fn admit_tie_band(&self, category: Category, reason: &str) -> Result<()> {
        admit_tie_band(&self.conn, &self.actor, category, reason)
    }

    /// Ends the open run-off; its tally may leave a smaller band for another decision.
    pub fn close_runoff(&self, category: Category) -> Result<Round> {
        close_runoff(&self.conn, &self.actor, category)
    }

    /// Who has handed in a round's ballot (a turnout, never a count of votes).
    pub fn round_returns(&self, round_id: i64) -> Result<super::workbooks::RoundReturns> {
        super::workbooks::round_returns(&self.conn, &self.actor, round_id)
    }

    /// Confirms the shortlist (入围确定): refused while a tie band waits for a decision or a
    /// run-off is open. Once confirmed it never changes.
    pub fn confirm_shortlist(&self, category: Category) -> Result<Vec<ShortlistEntry>> {
        confirm_shortlist(&self.conn, &self.actor, category)
    }

    /// Starts a run-off among the tied works for the places left: the judges of the initial
    /// round vote again, at most `places_left` each. Returns the run-off round.
    pub fn start_runoff(&self, category: Category) -> Result<Round> {
        start_runoff(&self.conn, &self.actor, category)
    }

    /// The tally of any closed ballot round (初评 or a 决选); refused while it is open.
    pub fn round_tally(&self, round_id: i64) -> Result<RoundTally> {
        round_tally(&self.conn, &self.actor, round_id)
    }

    /// Walks the initial round's cut-off and each decision on a tie band (a run-off, whose own
    /// cut-off may leave a smaller band, or 全部入围) to the shortlist as it stands.
    pub fn shortlist_status(&self, category: Category) -> Result<ShortlistStatus> {
        shortlist_status(&self.conn, &self.actor, category)
    }

    /// The confirmed shortlist, by initial votes then code (empty before confirmation). It shows
    /// votes, so experts do not see it: their score sheet lists the works by code.
    pub fn shortlist(&self, category: Category) -> Result<Vec<ShortlistEntry>> {
        shortlist(&self.conn, &self.actor, category)
    }
}
