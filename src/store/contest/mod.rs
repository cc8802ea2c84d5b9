//! The 「好家风·好家训」 contest in the store: the service functions the window and the command
//! line call. Each takes the acting account and refuses what its role may not do; the schema
//! (migration 9) enforces the same rules again with constraints and triggers.
//!
//! What a contest screen calls, by stage:
//! - settings: [`overview`], [`rules`] / [`set_rules`], [`tiers`] / [`set_tiers`];
//! - 征集: [`works::add_work`], [`works::update_work`], [`works::withdraw_work`],
//!   [`works::list_works`];
//! - 查重: [`rounds::start_screening`], [`screening::screening_pairs`] (side by side with
//!   the shared spans), [`screening::decide_pair`];
//! - judges: [`judges::add_judge`], [`judges::list_judges`], [`judges::issue_login_slips`];
//! - 初评: [`rounds::open_initial`], [`rounds::progress`], [`rounds::close_initial`]; a judge
//!   calls [`ballots::my_ballot`], [`ballots::save_draft`], [`ballots::submit_ballot`]; the
//!   administrator keys paper ballots with [`ballots::record_paper_ballot`];
//! - tally and shortlist: [`tally::initial_tally`], [`tally::shortlist_status`],
//!   [`tally::start_runoff`], [`tally::close_runoff`], [`tally::admit_tie_band`],
//!   [`tally::confirm_shortlist`], [`tally::shortlist`];
//! - 终审: [`final_round::open_final`], experts' [`final_round::my_score_sheet`],
//!   [`final_round::save_scores`], [`final_round::submit_scores`]; then
//!   [`final_round::close_final`], [`final_round::final_ranking`],
//!   [`final_round::propose_awards`], [`final_round::set_awards`], [`final_round::award_list`];
//! - 公示: [`publicity::start_publicity`], [`publicity::register_objection`],
//!   [`publicity::rule_objection`], [`publicity::objections`], [`publicity::publish`];
//! - any time: [`rounds::state_log`], [`rounds::reopen`].

pub mod ballots;
pub mod final_round;
pub mod judges;
pub mod publicity;
pub mod record;
pub mod rounds;
pub mod screening;
pub mod tally;
pub mod workbooks;
pub mod works;

use rusqlite::{Connection, OptionalExtension as _, params};

use crate::domain::access::{Action, Role, allows, forbidden, require};
use crate::domain::contest::{Category, CategoryRules, RoundState, Tier};
use crate::error::{Error, Result};
use crate::store::Actor;
use crate::store::Store;

/// The time as the contest tables record it: to the second, local.
pub(crate) const NOW: &str = "strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')";

/// Runs `work` so that all of it is written, or none. Outside a transaction it takes the write
/// lock first (waiting for another writer, as `Store::transaction` does): a savepoint there
/// would begin by reading, and another connection's write in between would then refuse it
/// at once. Inside a transaction (an import's) a savepoint nests.
pub(crate) fn atomically<T>(conn: &Connection, work: impl FnOnce() -> Result<T>) -> Result<T> {
    let (begin, commit, rollback) = if conn.is_autocommit() {
        ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")
    } else {
        ("SAVEPOINT contest", "RELEASE contest", "ROLLBACK TO contest; RELEASE contest")
    };
    conn.execute_batch(begin)?;
    match work() {
        Ok(value) => {
            conn.execute_batch(commit)?;
            Ok(value)
        }
        Err(err) => {
            // The error that matters is the one that made us roll back.
            let _ = conn.execute_batch(rollback);
            Err(err)
        }
    }
}

/// The administrator, or the 纪检 supervisor who may read everything: who may look at
/// progress, tallies and rankings (never while a round is open).
pub(crate) fn require_overseer(actor: &Actor, what: &str) -> Result<()> {
    if allows(actor.role, Action::RunContestRounds) || actor.role == Role::Supervisor {
        Ok(())
    } else {
        Err(forbidden(actor.role, what))
    }
}

/// Where a category is.
pub fn state(conn: &Connection, category: Category) -> Result<RoundState> {
    let label: String = conn
        .prepare_cached("SELECT state FROM contest_category WHERE category = ?1")?
        .query_row([category.label()], |r| r.get(0))?;
    RoundState::from_label(&label).ok_or_else(|| Error::rejected(format!("无法识别的评选阶段“{label}”")))
}

pub fn rules(conn: &Connection, category: Category) -> Result<CategoryRules> {
    Ok(conn
        .prepare_cached(
            "SELECT min_chars, max_chars, shortlist, ballot_quota FROM contest_category WHERE category = ?1",
        )?
        .query_row([category.label()], |r| {
            Ok(CategoryRules {
                min_chars: r.get(0)?,
                max_chars: r.get(1)?,
                shortlist: r.get(2)?,
                ballot_quota: r.get(3)?,
            })
        })?)
}

/// Changes a category's limits: lengths only while collecting, quotas only before the
/// initial round opens (the schema refuses later changes too).
pub fn set_rules(conn: &Connection, actor: &Actor, category: Category, rules: &CategoryRules) -> Result<()> {
    require(actor.role, Action::RunContestRounds)?;
    rules.validate().map_err(Error::rejected)?;
    conn.prepare_cached(
        "UPDATE contest_category SET min_chars = ?2, max_chars = ?3, shortlist = ?4, ballot_quota = ?5 WHERE category = ?1",
    )?
    .execute(params![category.label(), rules.min_chars, rules.max_chars, rules.shortlist, rules.ballot_quota])?;
    Ok(())
}

/// The award tiers of a category, 一等奖 first.
pub fn tiers(conn: &Connection, category: Category) -> Result<Vec<Tier>> {
    let mut stmt =
        conn.prepare_cached("SELECT rank, quota, amount_yuan FROM contest_tier WHERE category = ?1 ORDER BY rank")?;
    let rows =
        stmt.query_map([category.label()], |r| Ok(Tier { rank: r.get(0)?, quota: r.get(1)?, amount_yuan: r.get(2)? }))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Replaces the tiers' quotas and amounts (the tiers themselves stay 一、二、三等奖).
pub fn set_tiers(conn: &Connection, actor: &Actor, category: Category, tiers: &[Tier]) -> Result<()> {
    require(actor.role, Action::RunContestRounds)?;
    atomically(conn, || {
        for tier in tiers {
            let changed = conn
                .prepare_cached(
                    "UPDATE contest_tier SET quota = ?3, amount_yuan = ?4 WHERE category = ?1 AND rank = ?2",
                )?
                .execute(params![category.label(), tier.rank, tier.quota, tier.amount_yuan])?;
            if changed == 0 {
                return Err(Error::rejected(format!("没有{}这一奖项", tier.name())));
            }
        }
        Ok(())
    })
}

/// A category at a glance, for the contest tab's header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryOverview {
    pub category: Category,
    pub state: RoundState,
    pub rules: CategoryRules,
    /// Works still in the contest (有效).
    pub active_works: i64,
    /// Withdrawn, merged, excluded or disqualified.
    pub inactive_works: i64,
    /// 查重 pairs waiting for a decision.
    pub undecided_pairs: i64,
}

/// Both categories. Judges and experts may call it (it shows no counts of votes).
pub fn overview(conn: &Connection) -> Result<Vec<CategoryOverview>> {
    Category::ALL
        .into_iter()
        .map(|category| {
            let (active, inactive): (i64, i64) = conn
                .prepare_cached(
                    "SELECT count(*) FILTER (WHERE status = '有效'), count(*) FILTER (WHERE status <> '有效')
                     FROM contest_work WHERE category = ?1",
                )?
                .query_row([category.label()], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(CategoryOverview {
                category,
                state: state(conn, category)?,
                rules: rules(conn, category)?,
                active_works: active,
                inactive_works: inactive,
                undecided_pairs: screening::undecided_pairs(conn, category)?.len() as i64,
            })
        })
        .collect()
}

/// A category from its label, or a refusal naming the two.
pub fn category_from_label(label: &str) -> Result<Category> {
    Category::from_label(label).ok_or_else(|| {
        Error::rejected(format!("类别“{label}”不存在，应为 {} 或 {}", Category::Motto.label(), Category::Story.label()))
    })
}

/// A unit's name (for the administrator's views: judges may not read the unit table).
pub(crate) fn unit_name(conn: &Connection, unit_id: i64) -> Result<Option<String>> {
    Ok(conn.prepare_cached("SELECT name FROM unit WHERE id = ?1")?.query_row([unit_id], |r| r.get(0)).optional()?)
}

/// The window's API: what the screens ask, acting for the store's account.
impl Store {
    /// Changes a category's limits: lengths only while collecting, quotas only before the
    /// initial round opens (the schema refuses later changes too).
    pub fn set_rules(&self, category: Category, rules: &CategoryRules) -> Result<()> {
        set_rules(&self.conn, &self.actor, category, rules)
    }

    /// Replaces the tiers' quotas and amounts (the tiers themselves stay 一、二、三等奖).
    pub fn set_tiers(&self, category: Category, tiers: &[Tier]) -> Result<()> {
        set_tiers(&self.conn, &self.actor, category, tiers)
    }

    /// Both categories. Judges and experts may call it (it shows no counts of votes).
    pub fn contest_overview(&self) -> Result<Vec<CategoryOverview>> {
        overview(&self.conn)
    }

    /// The award tiers of a category, 一等奖 first.
    pub fn contest_tiers(&self, category: Category) -> Result<Vec<Tier>> {
        tiers(&self.conn, category)
    }
}
