//! The newspaper's 「好家风·好家训」 contest in the demo: 1225 mottos and 276 stories from the
//! demo units, a few deliberate copies for 查重 (decided as an administrator would), 40
//! initial-round judges and 7 experts with demo accounts, and the initial round open in both
//! categories, a dozen judges already handed in. A newcomer logs in as `pw001` with
//! [`DEMO_PASSWORD`] and votes.

use chrono::Duration;
use rusqlite::Connection;

use super::contest_text::*;
use super::{Rng, data, date};
use crate::domain::access::Role;
use crate::domain::contest::Category;
use crate::error::Result;
use crate::store::Actor;
use crate::store::accounts::hash_demo_password;
use crate::store::contest::ballots::{my_ballot, save_draft, submit_ballot};
use crate::store::contest::judges::{JudgeOrganisation, JudgeRole, NewJudge, add_judge, demo_account};
use crate::store::contest::rounds::{open_initial, start_screening};
use crate::store::contest::screening::{Decision, decide_pair, screening_pairs};
use crate::store::contest::works::{NewWork, add_work};

/// The password of every demo judge and expert account (`pw001`…`pw040`, `zj041`…`zj047`).
pub const DEMO_PASSWORD: &str = "demo2017";
pub const MOTTOS: usize = 1225;
pub const STORIES: usize = 276;
pub const JUDGES: usize = 40;
pub const EXPERTS: usize = 7;
/// Judges who handed in their ballots before the demo's "now".
const JUDGES_DONE: usize = 12;

/// A work before it is entered, with how 查重 should decide the pair it makes (if it is a
/// deliberate copy of the work at `copy_of`).
struct Planned {
    work: NewWork,
    copy_of: Option<(usize, Decision)>,
}

pub(super) fn load(conn: &Connection, actor: &Actor) -> Result<()> {
    let mut generator = ContestGenerator { conn, actor, rng: Rng(2017_0815), units: Vec::new() };
    generator.run()
}

struct ContestGenerator<'c> {
    conn: &'c Connection,
    actor: &'c Actor,
    rng: Rng,
    /// The demo units, 市直机关工委 first.
    units: Vec<i64>,
}

impl ContestGenerator<'_> {
    fn run(&mut self) -> Result<()> {
        let mut stmt = self.conn.prepare("SELECT id FROM unit ORDER BY id")?;
        self.units = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        for category in Category::ALL {
            let planned = match category {
                Category::Motto => self.mottos(),
                Category::Story => self.stories(),
            };
            self.enter(category, planned)?;
        }
        let judges = self.judges()?;
        for category in Category::ALL {
            open_initial(self.conn, self.actor, category)?;
        }
        self.early_ballots(&judges)
    }

    /// 1225 mottos: distinct couplets, three inherited sayings submitted three times each,
    /// and three deliberate copies.
    fn mottos(&mut self) -> Vec<Planned> {
        let copies = 3;
        let sayings = INHERITED_SAYINGS.len() * 3;
        let mut couplets: Vec<(usize, usize)> =
            (0..MOTTO_OPENINGS.len()).flat_map(|a| (0..MOTTO_CLOSINGS.len()).map(move |b| (a, b))).collect();
        self.shuffle(&mut couplets);
        let mut planned: Vec<Planned> = couplets
            .into_iter()
            .take(MOTTOS - copies - sayings)
            .map(|(a, b)| {
                let text = format!("{}，{}。", MOTTO_OPENINGS[a], MOTTO_CLOSINGS[b]);
                Planned { work: self.work(Category::Motto, String::new(), text), copy_of: None }
            })
            .collect();
        for saying in INHERITED_SAYINGS {
            for _ in 0..3 {
                let work = self.work(Category::Motto, String::new(), (*saying).to_string());
                planned.push(Planned { work, copy_of: None });
            }
        }
        // The same author again in traditional characters: merged.
        let original = &planned[5].work;
        let traditional = to_traditional(&original.content).replace('。', "！");
        planned.push(Planned {
            work: NewWork { content: traditional, ..self.later(original) },
            copy_of: Some((5, Decision::Merge)),
        });
        // Another unit's author with one character changed: excluded as a copy.
        let original = planned[17].work.clone();
        let mut changed: Vec<char> = original.content.chars().collect();
        changed[2] = '而';
        let copy = NewWork { content: changed.into_iter().collect(), ..self.stranger_copy(&original) };
        planned.push(Planned { work: copy, copy_of: Some((17, Decision::Exclude)) });
        // A couplet built on with a line of one's own: kept (a motto may quote another).
        let original = planned[30].work.clone();
        let extended = format!("{}我家代代立身之本。", original.content.trim_end_matches('。').to_string() + "，");
        let copy = NewWork { content: extended, ..self.stranger_copy(&original) };
        planned.push(Planned { work: copy, copy_of: Some((30, Decision::Keep)) });
        planned
    }

    /// 276 stories written from the sentence templates; one copied by another author
    /// (excluded) and one resubmitted by its author with a new title (merged).
    fn stories(&mut self) -> Vec<Planned> {
        let mut planned: Vec<Planned> = (0..STORIES - 2)
            .map(|_| {
                let (title, text) = self.story();
                Planned { work: self.work(Category::Story, title, text), copy_of: None }
            })
            .collect();
        let original = planned[8].work.clone();
        let paragraphs: Vec<&str> = original.content.split('\n').collect();
        let (_, ending) = self.story();
        let last = ending.split('\n').next_back().unwrap_or_default().to_string();
        let copied = paragraphs[..paragraphs.len() - 1].join("\n") + "\n" + &last;
        let copy =
            NewWork {
                title: format!("{}（征文）", original.title), content: copied, ..self.stranger_copy(&original)
            };
        planned.push(Planned { work: copy, copy_of: Some((8, Decision::Exclude)) });
        let original = planned[40].work.clone();
        let resubmitted = NewWork { title: format!("{}（修改稿）", original.title), ..self.later(&original) };
        planned.push(Planned { work: resubmitted, copy_of: Some((40, Decision::Merge)) });
        planned
    }

    /// Enters the works in order of submission, runs 查重 and decides every pair: the
    /// deliberate ones as planned, the inherited sayings kept.
    fn enter(&mut self, category: Category, planned: Vec<Planned>) -> Result<()> {
        let mut order: Vec<usize> = (0..planned.len()).collect();
        order.sort_by_key(|&i| (planned[i].work.submitted_on, i));
        let mut ids = vec![0; planned.len()];
        for &i in &order {
            ids[i] = add_work(self.conn, self.actor, &planned[i].work)?.0;
        }
        start_screening(self.conn, self.actor, category)?;
        for pair in screening_pairs(self.conn, self.actor, category)? {
            let deliberate = planned.iter().enumerate().find_map(|(i, p)| {
                let (original, decision) = p.copy_of?;
                let pair_ids = [pair.earlier.work_id, pair.later.work_id];
                (pair_ids.contains(&ids[i]) && pair_ids.contains(&ids[original])).then_some((decision, ids[original]))
            });
            let (decision, kept, note) = match deliberate {
                Some((Decision::Merge, original)) => (Decision::Merge, Some(original), "同一作者重复投稿，合并"),
                Some((Decision::Exclude, original)) => {
                    (Decision::Exclude, Some(original), "与先投稿作品雷同，予以排除")
                }
                _ if category == Category::Motto => (Decision::Keep, None, "流传已久的家训名句或化用，允许保留"),
                _ => (Decision::Keep, None, "经核对系常见表述，不构成抄袭，保留"),
            };
            if pair.needs_decision() {
                decide_pair(self.conn, self.actor, pair.id, decision, kept, note)?;
            }
        }
        Ok(())
    }

    /// 40 judges, one from each of units 2–41, and 7 experts from the next units, all with
    /// demo accounts. Returns the judges as they act.
    fn judges(&mut self) -> Result<Vec<Actor>> {
        let hash = hash_demo_password(DEMO_PASSWORD)?;
        let mut judges = Vec::new();
        let units = self.units.clone();
        for (n, unit) in units.iter().skip(1).take(JUDGES).enumerate() {
            let title = if n % 3 == 2 { "党总支书记" } else { "机关党委专职副书记" };
            let judge = NewJudge {
                name: self.name(),
                organisation: JudgeOrganisation::Unit(*unit),
                title: title.to_string(),
                role: JudgeRole::Initial,
            };
            let id = add_judge(self.conn, self.actor, &judge)?;
            let account = demo_account(self.conn, id, &hash)?;
            judges.push(Actor { account_id: Some(account), name: judge.name, role: Role::Judge });
        }
        for unit in units.iter().skip(1 + JUDGES).take(EXPERTS) {
            let expert = NewJudge {
                name: self.name(),
                organisation: JudgeOrganisation::Unit(*unit),
                title: "评审专家".to_string(),
                role: JudgeRole::Final,
            };
            let id = add_judge(self.conn, self.actor, &expert)?;
            demo_account(self.conn, id, &hash)?;
        }
        Ok(judges)
    }

    /// Judges 29–40 handed in: each ticks between half and all of the quota at random.
    fn early_ballots(&mut self, judges: &[Actor]) -> Result<()> {
        for judge in judges.iter().rev().take(JUDGES_DONE) {
            for category in Category::ALL {
                let ballot = my_ballot(self.conn, judge, category)?;
                let quota = ballot.quota as usize;
                let mut pool: Vec<i64> = ballot.works.iter().map(|w| w.work_id).collect();
                self.shuffle(&mut pool);
                let ticks = quota / 2 + self.rng.below(quota / 2 + 1);
                save_draft(self.conn, judge, category, &pool[..ticks.min(pool.len())])?;
                submit_ballot(self.conn, judge, category)?;
            }
        }
        Ok(())
    }

    fn story(&mut self) -> (String, String) {
        let relative = *self.rng.pick(RELATIVES);
        let keepsake = *self.rng.pick(KEEPSAKES);
        let virtue = *self.rng.pick(VIRTUES);
        let place = *self.rng.pick(PLACES);
        let fill = |template: &str, rng: &mut Rng| -> String {
            let (year, job, deed): (&str, &str, &str) = (*rng.pick(YEARS), *rng.pick(JOBS), *rng.pick(DEEDS));
            let (saying, now, child): (&str, &str, &str) = (*rng.pick(SAYINGS), *rng.pick(NOW_DOING), *rng.pick(CHILD));
            template
                .replace("{r}", relative)
                .replace("{k}", keepsake)
                .replace("{v}", virtue)
                .replace("{p}", place)
                .replace("{y}", year)
                .replace("{j}", job)
                .replace("{d}", deed)
                .replace("{s}", saying)
                .replace("{n}", now)
                .replace("{c}", child)
        };
        let template = *self.rng.pick(TITLES);
        let title = fill(template, &mut self.rng);
        // Each template at most once a story: shuffle every pool and take from the front.
        let mut pools: Vec<Vec<&str>> = STORY_PARAGRAPHS.iter().map(|pool| pool.to_vec()).collect();
        for pool in &mut pools {
            self.shuffle(pool);
        }
        let mut paragraphs = Vec::new();
        for &pool in STORY_LAYOUT {
            let take = (2 + self.rng.below(3)).min(pools[pool].len());
            let sentences: Vec<&str> = pools[pool].drain(..take).collect();
            let paragraph: String = sentences.iter().map(|t| fill(&expand(t, &mut self.rng), &mut self.rng)).collect();
            if !paragraph.is_empty() {
                paragraphs.push(format!("　　{paragraph}"));
            }
        }
        (title, paragraphs.join("\n"))
    }

    /// A work by a random author of a random unit, submitted between 2 May and 20 June 2017.
    fn work(&mut self, category: Category, title: String, content: String) -> NewWork {
        let unit_id = *self.rng.pick(&self.units[1..]);
        NewWork {
            code: None,
            category,
            title,
            content,
            author: self.name(),
            author_phone: self.phone(),
            unit_id,
            submitted_on: date(2017, 5, 2) + Duration::days(self.rng.between(0, 49)),
        }
    }

    /// The same author submitting again in the last week of June.
    fn later(&mut self, original: &NewWork) -> NewWork {
        NewWork { submitted_on: date(2017, 6, 24) + Duration::days(self.rng.between(0, 6)), ..original.clone() }
    }

    /// Someone else, of another unit, submitting a copy in the last week of June.
    fn stranger_copy(&mut self, original: &NewWork) -> NewWork {
        let others: Vec<i64> = self.units[1..].iter().copied().filter(|u| *u != original.unit_id).collect();
        NewWork {
            author: self.name(),
            author_phone: self.phone(),
            unit_id: *self.rng.pick(&others),
            ..self.later(original)
        }
    }

    fn name(&mut self) -> String {
        let given = if self.rng.chance(55) { data::GIVEN_MALE } else { data::GIVEN_FEMALE };
        format!("{}{}", self.rng.pick(data::SURNAMES), self.rng.pick(given))
    }

    fn phone(&mut self) -> String {
        format!("13{}{:08}", 5 + self.rng.below(5), self.rng.below(100_000_000))
    }

    /// Fisher–Yates with the demo's own generator.
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.rng.below(i + 1));
        }
    }
}

/// Picks one alternative of every `[a|b|c]` in a template.
fn expand(template: &str, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find(']') else { break };
        let choices: Vec<&str> = rest[open + 1..open + close].split('|').collect();
        let choice = *rng.pick(&choices);
        out.push_str(choice);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// A few traditional forms, enough for a copy that only 查重's normalisation sees through.
fn to_traditional(text: &str) -> String {
    const PAIRS: &[(char, char)] = &[
        ('俭', '儉'),
        ('业', '業'),
        ('兴', '興'),
        ('亲', '親'),
        ('风', '風'),
        ('读', '讀'),
        ('书', '書'),
        ('诚', '誠'),
        ('实', '實'),
        ('传', '傳'),
        ('贤', '賢'),
        ('礼', '禮'),
        ('让', '讓'),
        ('爱', '愛'),
        ('后', '後'),
        ('们', '們'),
        ('为', '為'),
        ('长', '長'),
    ];
    text.chars().map(|c| PAIRS.iter().find(|(s, _)| *s == c).map_or(c, |(_, t)| *t)).collect()
}
