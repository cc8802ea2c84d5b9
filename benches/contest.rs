//! Contest benchmarks at the newspaper's scale (1225 mottos, 276 stories, 40 judges), on the
//! demo data: `cargo bench --bench contest`. Figures are recorded in BENCHMARKS.md.

use chrono::{NaiveDate, NaiveDateTime};
use volunteer_desk::demo::load_demo;
use volunteer_desk::domain::access::Role;
use volunteer_desk::domain::contest::Category;
use volunteer_desk::domain::contest::screening::{ScreeningWork, screen};
use volunteer_desk::store::contest::ballots::{my_ballot, save_draft, submit_ballot};
use volunteer_desk::store::contest::rounds::close_initial;
use volunteer_desk::store::contest::screening::screening_pairs;
use volunteer_desk::store::contest::tally::initial_tally;
use volunteer_desk::store::{self, Actor, Store};

mod common;
use common::{best_of, report, timed};

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let now = NaiveDateTime::parse_from_str("2026-11-29 09:00", "%Y-%m-%d %H:%M").expect("time");
    let mut demo = store::open(&dir.path().join("demo.sqlite3")).expect("open");
    let ((), t) = timed(|| load_demo(&mut demo, now).expect("demo"));
    report("load the demo data with the contest (entry, 查重, judges, 12 ballots)", t);

    let mut flagged = Vec::new();
    let ((), both) = best_of(5, || {
        flagged = Category::ALL.iter().map(|c| screen(&works(&demo, *c), &c.similarity_params()).len()).collect();
    });
    for category in Category::ALL {
        let works = works(&demo, category);
        let ((), t) = best_of(5, || {
            screen(&works, &category.similarity_params());
        });
        report(&format!("查重 {}: {} works, every pair compared", category.label(), works.len()), t);
    }
    report(&format!("查重 both categories, reading the works included ({flagged:?} pairs flagged)"), both);
    let admin = Actor::command_line();
    let ((), t) = best_of(5, || {
        screening_pairs(demo.conn(), &admin, Category::Story).expect("pairs");
    });
    report("the story pairs side by side with their shared spans", t);

    let ((), t) = timed(|| cast_the_other_ballots(&mut demo));
    report("28 judges save and submit ballots in both categories (up to 100 and 20 votes)", t);
    demo.act_as(admin.clone()).expect("admin");
    close_initial(demo.conn(), &admin, Category::Motto).expect("close");
    let ((), t) = best_of(5, || {
        initial_tally(demo.conn(), &admin, Category::Motto).expect("tally");
    });
    report("initial tally of 1223 mottos from 40 ballots, cut-off and tie band", t);
}

fn works(store: &Store, category: Category) -> Vec<ScreeningWork> {
    let mut stmt = store
        .conn()
        .prepare("SELECT id, submitted_on, content FROM contest_work WHERE category = ?1 AND status = '有效'")
        .expect("prepare");
    stmt.query_map([category.label()], |r| {
        let day: String = r.get(1)?;
        Ok(ScreeningWork {
            id: r.get(0)?,
            submitted_on: NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap_or_default(),
            content: r.get(2)?,
        })
    })
    .expect("query")
    .collect::<Result<_, _>>()
    .expect("rows")
}

/// Judges who have not handed in tick every n-th work of their ballot up to the quota.
fn cast_the_other_ballots(store: &mut Store) {
    let judges: Vec<Actor> = store
        .conn()
        .prepare("SELECT account_id, name FROM contest_judge WHERE role = '初评评委' ORDER BY id")
        .expect("prepare")
        .query_map([], |r| Ok(Actor { account_id: Some(r.get(0)?), name: r.get(1)?, role: Role::Judge }))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    for (n, judge) in judges.iter().enumerate() {
        store.act_as(judge.clone()).expect("judge");
        for category in Category::ALL {
            let ballot = my_ballot(store.conn(), judge, category).expect("ballot");
            if ballot.submitted_at.is_some() {
                continue;
            }
            let step = 3 + n % 7;
            let ticks: Vec<i64> =
                ballot.works.iter().skip(n).step_by(step).take(ballot.quota as usize).map(|w| w.work_id).collect();
            save_draft(store.conn(), judge, category, &ticks).expect("draft");
            submit_ballot(store.conn(), judge, category).expect("submit");
        }
    }
}
