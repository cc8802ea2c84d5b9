//! What the contest screens show, read from the store once after each change, and only what
//! the screen in view needs (and the role may read: a judge never reaches a list with authors).

use std::collections::HashMap;

use rusqlite::Connection;

use super::{ContestTab, Section};
use crate::domain::access::{Action, allows};
use crate::domain::contest::awards::AwardProposal;
use crate::domain::contest::{Category, RoundState, Tier};
use crate::error::Result;
use crate::store::Actor;
use crate::store::contest::ballots::{BallotView, my_ballot};
use crate::store::contest::final_round::{
    AwardRow, RankedEntry, ScoreSheet, award_list, final_ranking, my_score_sheet, propose_awards,
};
use crate::store::contest::judges::{JudgeRow, list_judges};
use crate::store::contest::publicity::{ObjectionRow, Publicity, objections, publicity};
use crate::store::contest::rounds::{Round, RoundKind, RoundProgress, StateChange, progress, rounds, state_log};
use crate::store::contest::screening::{PairView, screening_pairs};
use crate::store::contest::tally::{
    RoundTally, ShortlistEntry, ShortlistStatus, round_tally, shortlist, shortlist_status,
};
use crate::store::contest::works::{WorkFilter, WorkRow, list_works};
use crate::store::contest::{CategoryOverview, overview, tiers};
use crate::store::units::{UnitRow, list_units};

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
    pub error: Option<String>,
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

    /// Reads what the screen in view shows.
    pub(super) fn read(&mut self, conn: &Connection, actor: &Actor) -> ContestData {
        self.start_afresh_for(actor);
        let key = self.read_key(actor);
        let mut data = ContestData::default();
        if let Err(err) = self.read_into(conn, actor, &key, &mut data) {
            data.error = Some(err.to_string());
        }
        data.key = Some(key);
        data
    }

    fn read_into(&mut self, conn: &Connection, actor: &Actor, key: &ReadKey, data: &mut ContestData) -> Result<()> {
        data.overview = overview(conn)?;
        let category = key.category;
        let state = data.state(category);
        match key.section {
            Section::Works => {
                data.units = list_units(conn)?;
                data.works = list_works(conn, actor, &key.filter)?;
            }
            Section::Screening => data.pairs = screening_pairs(conn, actor, category)?,
            Section::Judges => {
                data.units = list_units(conn)?;
                data.judges = list_judges(conn, actor)?;
            }
            Section::Rounds => {
                read_rounds(conn, actor, category, data)?;
                data.log = state_log(conn, category)?;
                data.tiers = tiers(conn, category)?;
            }
            Section::Tally => {
                read_rounds(conn, actor, category, data)?;
                read_texts(conn, actor, category, data)?;
                data.tallies = self.closed_tallies(conn, actor, &data.rounds)?;
                if state.initial_tally_visible() && !data.tallies.is_empty() {
                    data.shortlist_status = Some(shortlist_status(conn, actor, category)?);
                }
                if state >= RoundState::Shortlisted {
                    data.shortlist = shortlist(conn, actor, category)?;
                }
            }
            Section::Final => {
                read_rounds(conn, actor, category, data)?;
                data.tiers = tiers(conn, category)?;
                if state >= RoundState::Shortlisted {
                    read_texts(conn, actor, category, data)?;
                    data.shortlist = shortlist(conn, actor, category)?;
                }
                if state.identities_revealed() {
                    data.ranking = final_ranking(conn, actor, category)?;
                    data.awards = award_list(conn, actor, category)?;
                }
                if state == RoundState::FinalClosed && allows(actor.role, Action::RunContestRounds) {
                    data.proposal = Some(propose_awards(conn, actor, category)?);
                }
            }
            Section::Publicity => {
                data.publicity = publicity(conn, category)?;
                if state.identities_revealed() {
                    read_texts(conn, actor, category, data)?;
                    data.awards = award_list(conn, actor, category)?;
                    data.objections = objections(conn, actor, category)?;
                }
            }
            Section::Ballot => match my_ballot(conn, actor, category) {
                Ok(ballot) => data.ballot = Some(ballot),
                Err(err) => data.note = Some(err.to_string()),
            },
            Section::Scoring => match my_score_sheet(conn, actor, category) {
                Ok(sheet) => data.sheet = Some(sheet),
                Err(err) => data.note = Some(err.to_string()),
            },
        }
        Ok(())
    }

    /// The tallies of the closed ballot rounds; each is read (and the reading logged) once.
    fn closed_tallies(&mut self, conn: &Connection, actor: &Actor, rounds: &[Round]) -> Result<Vec<RoundTally>> {
        let closed = rounds.iter().filter(|r| r.kind != RoundKind::Final && r.closed_at.is_some());
        let mut tallies = Vec::new();
        for round in closed {
            let cached = self.tallies.iter().find(|t| t.round == *round);
            let tally = match cached {
                Some(tally) => tally.clone(),
                None => {
                    let tally = round_tally(conn, actor, round.id)?;
                    self.tallies.push(tally.clone());
                    tally
                }
            };
            tallies.push(tally);
        }
        Ok(tallies)
    }
}

/// The category's rounds and, once one exists, who has handed in in the latest.
fn read_rounds(conn: &Connection, actor: &Actor, category: Category, data: &mut ContestData) -> Result<()> {
    data.rounds = rounds(conn, category)?;
    if !data.rounds.is_empty() {
        data.progress = Some(progress(conn, actor, category)?);
    }
    Ok(())
}

/// Titles and texts of the category's works, for lists that carry only codes.
fn read_texts(conn: &Connection, actor: &Actor, category: Category, data: &mut ContestData) -> Result<()> {
    let filter = WorkFilter { category: Some(category), ..WorkFilter::default() };
    data.texts = list_works(conn, actor, &filter)?.into_iter().map(|w| (w.id, (w.title, w.content))).collect();
    Ok(())
}
