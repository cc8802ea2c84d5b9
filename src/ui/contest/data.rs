//! What the contest screens show, read from the store once after each change, and only what
//! the screen in view needs (and the role may read: a judge never reaches a list with authors).

use std::collections::HashMap;

use super::{ContestTab, Section};
use crate::domain::access::{Action, allows};
use crate::domain::contest::awards::AwardProposal;
use crate::domain::contest::{Category, RoundState, Tier};
use crate::error::Result;
use crate::store::contest::CategoryOverview;
use crate::store::contest::ballots::BallotView;
use crate::store::contest::final_round::{AwardRow, RankedEntry, ScoreSheet};
use crate::store::contest::judges::JudgeRow;
use crate::store::contest::publicity::{ObjectionRow, Publicity};
use crate::store::contest::rounds::{Round, RoundKind, RoundProgress, StateChange};
use crate::store::contest::screening::PairView;
use crate::store::contest::tally::{RoundTally, ShortlistEntry, ShortlistStatus};
use crate::store::contest::workbooks::ReturnedWorkbook;
use crate::store::contest::works::{WorkFilter, WorkRow};
use crate::store::units::UnitRow;
use crate::store::{Actor, Store};

/// What the data was read for: another login, category, screen or filter means reading again.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadKey {
    account: Option<i64>,
    category: Category,
    section: Section,
    filter: WorkFilter,
}

#[derive(Default)]
pub struct ContestData {
    pub key: Option<ReadKey>,
    pub overview: Vec<CategoryOverview>,
    pub units: Vec<UnitRow>,
    pub works: Vec<WorkRow>,
    pub pairs: Vec<PairView>,
    pub judges: Vec<JudgeRow>,
    pub rounds: Vec<Round>,
    /// Who has handed in, in the category's latest round.
    pub progress: Option<RoundProgress>,
    /// The ballot workbooks taken back in that round (the administrator's): their receipts.
    pub returned: Vec<ReturnedWorkbook>,
    pub log: Vec<StateChange>,
    pub tiers: Vec<Tier>,
    /// Closed ballot rounds: the initial round first, then each run-off.
    pub tallies: Vec<RoundTally>,
    pub shortlist_status: Option<ShortlistStatus>,
    pub shortlist: Vec<ShortlistEntry>,
    /// Title and content by work id, for tallies and shortlists that list codes.
    pub texts: HashMap<i64, (String, String)>,
    pub ballot: Option<BallotView>,
    pub sheet: Option<ScoreSheet>,
    pub ranking: Vec<RankedEntry>,
    pub proposal: Option<AwardProposal>,
    pub awards: Vec<AwardRow>,
    pub publicity: Option<Publicity>,
    pub objections: Vec<ObjectionRow>,
    /// Why a judge's or expert's sheet is not there (no round open).
    pub note: Option<String>,
}

impl ContestData {
    pub fn overview_of(&self, category: Category) -> Option<&CategoryOverview> {
        self.overview.iter().find(|o| o.category == category)
    }

    pub fn state(&self, category: Category) -> RoundState {
        self.overview_of(category).map_or(RoundState::Collecting, |o| o.state)
    }

    pub fn text_of(&self, work_id: i64) -> (&str, &str) {
        self.texts.get(&work_id).map_or(("", ""), |(title, content)| (title.as_str(), content.as_str()))
    }
}

impl ContestTab {
    fn read_key(&self, actor: &Actor) -> ReadKey {
        ReadKey {
            account: actor.account_id,
            category: self.category,
            section: self.section(actor.role),
            filter: self.works.filter(self.category),
        }
    }

    /// Whether `data` still shows what the tab wants.
    pub(super) fn is_current(&self, data: Option<&ContestData>, actor: &Actor) -> bool {
        data.and_then(|d| d.key.as_ref()).is_some_and(|key| *key == self.read_key(actor))
    }

    /// The key of the screen in view, for whoever is logged in (the screen starts afresh for
    /// another login), and the tallies read so far, handed to the worker that reads it.
    pub(super) fn wanted(&mut self, actor: &Actor) -> (ReadKey, Vec<RoundTally>) {
        self.start_afresh_for(actor);
        (self.read_key(actor), self.tallies.clone())
    }

    /// Keeps the tallies a read brought, so each is read (and logged) once.
    pub(super) fn keep_tallies(&mut self, data: &ContestData) {
        for tally in &data.tallies {
            if !self.tallies.contains(tally) {
                self.tallies.push(tally.clone());
            }
        }
    }
}

/// Reads what the screen of `key` shows, on the tab's worker; `tallies` were read before.
pub(super) fn read(store: &Store, key: &ReadKey, tallies: &[RoundTally]) -> Result<ContestData> {
    let mut data = ContestData { key: Some(key.clone()), ..ContestData::default() };
    read_into(store, key, tallies, &mut data)?;
    Ok(data)
}

fn read_into(store: &Store, key: &ReadKey, tallies: &[RoundTally], data: &mut ContestData) -> Result<()> {
    let actor = store.actor();
    data.overview = store.contest_overview()?;
    let category = key.category;
    let state = data.state(category);
    match key.section {
        Section::Works => {
            data.units = store.units()?;
            data.works = store.list_works(&key.filter)?;
        }
        Section::Screening => data.pairs = store.screening_pairs(category)?,
        Section::Judges => {
            data.units = store.units()?;
            data.judges = store.list_judges()?;
        }
        Section::Rounds => {
            read_rounds(store, category, data)?;
            if let Some(progress) = &data.progress
                && allows(actor.role, Action::RunContestRounds)
            {
                data.returned = store.returned_workbooks(progress.round.id)?;
            }
            data.log = store.state_log(category)?;
            data.tiers = store.contest_tiers(category)?;
        }
        Section::Tally => {
            read_rounds(store, category, data)?;
            read_texts(store, category, data)?;
            data.tallies = closed_tallies(store, &data.rounds, tallies)?;
            if state.initial_tally_visible() && !data.tallies.is_empty() {
                data.shortlist_status = Some(store.shortlist_status(category)?);
            }
            if state >= RoundState::Shortlisted {
                data.shortlist = store.shortlist(category)?;
            }
        }
        Section::Final => {
            read_rounds(store, category, data)?;
            data.tiers = store.contest_tiers(category)?;
            if state >= RoundState::Shortlisted {
                read_texts(store, category, data)?;
                data.shortlist = store.shortlist(category)?;
            }
            if state.identities_revealed() {
                data.ranking = store.final_ranking(category)?;
                data.awards = store.award_list(category)?;
            }
            if state == RoundState::FinalClosed && allows(actor.role, Action::RunContestRounds) {
                data.proposal = Some(store.propose_awards(category)?);
            }
        }
        Section::Publicity => {
            data.publicity = store.publicity(category)?;
            // The 发布 dialog names any tier left short.
            data.tiers = store.contest_tiers(category)?;
            if state.identities_revealed() {
                read_texts(store, category, data)?;
                data.awards = store.award_list(category)?;
                data.objections = store.objections(category)?;
            }
        }
        Section::Ballot => match store.my_ballot(category) {
            Ok(ballot) => data.ballot = Some(ballot),
            Err(err) => data.note = Some(err.to_string()),
        },
        Section::Scoring => match store.my_score_sheet(category) {
            Ok(sheet) => data.sheet = Some(sheet),
            Err(err) => data.note = Some(err.to_string()),
        },
    }
    Ok(())
}

/// The tallies of the closed ballot rounds; each is read (and the reading logged) once: those in
/// `cached` are not read again.
fn closed_tallies(store: &Store, rounds: &[Round], cached: &[RoundTally]) -> Result<Vec<RoundTally>> {
    let closed = rounds.iter().filter(|r| r.kind != RoundKind::Final && r.closed_at.is_some());
    let mut tallies = Vec::new();
    for round in closed {
        let tally = match cached.iter().find(|t| t.round == *round) {
            Some(tally) => tally.clone(),
            None => store.round_tally(round.id)?,
        };
        tallies.push(tally);
    }
    Ok(tallies)
}

/// The category's rounds and, once one exists, who has handed in in the latest.
fn read_rounds(store: &Store, category: Category, data: &mut ContestData) -> Result<()> {
    data.rounds = store.contest_rounds(category)?;
    if !data.rounds.is_empty() {
        data.progress = Some(store.round_progress(category)?);
    }
    Ok(())
}

/// Titles and texts of the category's works, for lists that carry only codes.
fn read_texts(store: &Store, category: Category, data: &mut ContestData) -> Result<()> {
    let filter = WorkFilter { category: Some(category), ..WorkFilter::default() };
    data.texts = store.list_works(&filter)?.into_iter().map(|w| (w.id, (w.title, w.content))).collect();
    Ok(())
}
