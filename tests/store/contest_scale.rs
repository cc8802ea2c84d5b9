//! The newspaper's contest at its scale, on the demo data: 1225 mottos, 276 stories and 40
//! judges. A newcomer logs in as a judge; the other judges cast random ballots; the
//! shortlist comes to exactly 100 and 20 (run-offs resolve any tie band); experts score; the
//! awards fill 5/10/20 and 2/5/8; and the record is exported.

use calamine::{Reader as _, open_workbook_auto};
use chrono::NaiveDateTime;
use volunteer_desk::demo::{DEMO_PASSWORD, load_demo};
use volunteer_desk::domain::access::Role;
use volunteer_desk::domain::contest::{Category, RoundState};
use volunteer_desk::io::contest_export::write_contest_workbook;
use volunteer_desk::io::contest_lists::write_lists;
use volunteer_desk::store::accounts::sign_in;
use volunteer_desk::store::contest::ballots::{my_ballot, save_draft, submit_ballot};
use volunteer_desk::store::contest::final_round::{
    award_list, close_final, my_score_sheet, open_final, propose_awards, save_scores, set_awards, submit_scores,
};
use volunteer_desk::store::contest::publicity::start_publicity;
use volunteer_desk::store::contest::rounds::{BallotStatus, close_initial, progress};
use volunteer_desk::store::contest::screening::screening_pairs;
use volunteer_desk::store::contest::tally::{
    close_runoff, confirm_shortlist, initial_tally, shortlist, shortlist_status, start_runoff,
};
use volunteer_desk::store::contest::works::{WorkFilter, list_works};
use volunteer_desk::store::contest::{overview, state};
use volunteer_desk::store::{self, Actor, Store};

/// SplitMix64, so the test's random ballots are the same every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n as u64) as usize
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

fn demo() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store::open(&dir.path().join("demo.sqlite3")).expect("open");
    let now = NaiveDateTime::parse_from_str("2026-11-29 09:00", "%Y-%m-%d %H:%M").expect("time");
    load_demo(&mut store, now).expect("demo");
    (dir, store)
}

/// The judges (or experts) of the demo as they act, by login.
fn people(store: &Store, role: &str) -> Vec<Actor> {
    let mut stmt = store
        .conn()
        .prepare("SELECT a.id, a.display_name FROM contest_judge j JOIN account a ON a.id = j.account_id WHERE j.role = ?1 ORDER BY j.id")
        .expect("prepare");
    let account_role = if role == "初评评委" { Role::Judge } else { Role::Expert };
    stmt.query_map([role], |r| Ok(Actor { account_id: Some(r.get(0)?), name: r.get(1)?, role: account_role }))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

fn admin(store: &mut Store) -> Actor {
    store.act_as(Actor::command_line()).expect("admin");
    Actor::command_line()
}

/// Every judge who has not handed in ticks between half and all of `quota` of their ballot.
fn vote_at_random(store: &mut Store, judges: &[Actor], category: Category, rng: &mut Rng) {
    for judge in judges {
        store.act_as(judge.clone()).expect("judge");
        let ballot = my_ballot(store.conn(), judge, category).expect("ballot");
        if ballot.submitted_at.is_some() {
            continue;
        }
        let mut pool: Vec<i64> = ballot.works.iter().map(|w| w.work_id).collect();
        rng.shuffle(&mut pool);
        let quota = ballot.quota as usize;
        let ticks = (quota.div_ceil(2) + rng.below(quota / 2 + 1)).min(pool.len());
        save_draft(store.conn(), judge, category, &pool[..ticks]).expect("draft");
        submit_ballot(store.conn(), judge, category).expect("submit");
    }
}

#[test]
fn the_demo_contest_is_open_for_a_newcomer_judge() {
    let (_dir, mut store) = demo();
    let admin = admin(&mut store);
    let conn = store.conn();
    let overview = overview(conn).expect("overview");
    let works: Vec<(RoundState, i64, i64, i64)> = overview
        .iter()
        .map(|o| (o.state, o.active_works + o.inactive_works, o.inactive_works, o.undecided_pairs))
        .collect();
    assert_eq!(works, [(RoundState::InitialOpen, 1225, 2, 0), (RoundState::InitialOpen, 276, 2, 0)]);
    let pairs = screening_pairs(conn, &admin, Category::Motto).expect("pairs");
    assert!(pairs.len() >= 9, "the inherited sayings and the deliberate copies are flagged");
    assert!(pairs.iter().all(|p| p.decision.is_some()));
    let handed_in = progress(conn, &admin, Category::Motto).expect("progress");
    assert_eq!((handed_in.judges.len(), handed_in.handed_in()), (40, 12));
    assert_eq!(handed_in.judges[0].status, BallotStatus::NotStarted);

    let signed = sign_in(conn, "pw001", DEMO_PASSWORD).expect("the demo judge logs in");
    assert_eq!(signed.actor.role, Role::Judge);
    store.act_as(signed.actor.clone()).expect("judge");
    let ballot = my_ballot(store.conn(), &signed.actor, Category::Motto).expect("ballot");
    assert_eq!(ballot.quota, 100);
    assert!(
        ballot.works.len() > 1150 && ballot.works.len() < 1223,
        "own unit's works left out: {}",
        ballot.works.len()
    );
    let three: Vec<i64> = ballot.works.iter().take(3).map(|w| w.work_id).collect();
    let saved = save_draft(store.conn(), &signed.actor, Category::Motto, &three).expect("draft");
    assert_eq!((saved.ticked, saved.left), (3, 97));
    assert!(sign_in(store.conn(), "zj041", DEMO_PASSWORD).is_ok(), "experts have demo accounts too");
}

#[test]
fn the_newspapers_contest_runs_from_ballots_to_awards() {
    let (dir, mut store) = demo();
    let mut rng = Rng(7);
    let judges = people(&store, "初评评委");
    assert_eq!(judges.len(), 40);
    for category in Category::ALL {
        vote_at_random(&mut store, &judges, category, &mut rng);
        let admin = admin(&mut store);
        let conn = store.conn();
        close_initial(conn, &admin, category).expect("close");
        let tally = initial_tally(conn, &admin, category).expect("tally");
        let quota = category.default_rules().shortlist;
        assert_eq!(tally.rows.len(), if category == Category::Motto { 1223 } else { 274 });
        assert_eq!((tally.judges, tally.handed_in, tally.void), (40, 40, 0));
        let cut = &tally.cut;
        if cut.tie_band.is_empty() {
            assert_eq!(cut.shortlist.len() as u32, quota);
        } else {
            assert_eq!(cut.shortlist.len() as u32 + cut.places_left, quota, "the band is explicit");
            assert!(cut.tie_band.len() as u32 > cut.places_left);
        }

        // Run-offs until the band is gone (each narrows it).
        for _ in 0..10 {
            let status = shortlist_status(store.conn(), &admin, category).expect("status");
            if status.is_resolved() {
                break;
            }
            start_runoff(store.conn(), &admin, category).expect("run-off");
            vote_at_random(&mut store, &judges, category, &mut rng);
            let admin = self::admin(&mut store);
            close_runoff(store.conn(), &admin, category).expect("close run-off");
        }
        let confirmed = confirm_shortlist(store.conn(), &admin, category).expect("confirm");
        assert_eq!(confirmed.len() as u32, quota, "exactly {quota} for {}", category.label());
    }

    // The final round: each expert scores the works in an order of merit the test fixes, so
    // means are distinct and the proposal fills every tier.
    let experts = people(&store, "终审专家");
    for category in Category::ALL {
        let admin = admin(&mut store);
        let merit: Vec<i64> =
            shortlist(store.conn(), &admin, category).expect("shortlist").iter().map(|e| e.work_id).collect();
        open_final(store.conn(), &admin, category).expect("open final");
        for expert in &experts {
            store.act_as(expert.clone()).expect("expert");
            let sheet = my_score_sheet(store.conn(), expert, category).expect("sheet");
            let place = |work: i64| merit.iter().position(|w| *w == work).unwrap_or(0);
            let scores: Vec<(i64, u8)> =
                sheet.works.iter().map(|w| (w.work_id, (100 - place(w.work_id)) as u8)).collect();
            save_scores(store.conn(), expert, category, &scores).expect("scores");
            submit_scores(store.conn(), expert, category).expect("submit");
        }
        let admin = self::admin(&mut store);
        close_final(store.conn(), &admin, category).expect("close final");
        let proposal = propose_awards(store.conn(), &admin, category).expect("proposal");
        set_awards(store.conn(), &admin, category, &proposal.awards).expect("awards");
        let awards = award_list(store.conn(), &admin, category).expect("award list");
        let per_tier: Vec<usize> = (1..=3).map(|t| awards.iter().filter(|a| a.tier == t).count()).collect();
        let expected: Vec<usize> = category.default_tiers().iter().map(|t| t.quota as usize).collect();
        assert_eq!(per_tier, expected, "{}", category.label());
        assert!(awards.iter().all(|a| !a.author.is_empty() && !a.unit_name.is_empty()));
        let day = chrono::NaiveDate::from_ymd_opt(2017, 9, 25).expect("day");
        start_publicity(store.conn(), &admin, category, day, 5, day).expect("publicity");
        assert_eq!(state(store.conn(), category).expect("state"), RoundState::Publicity);
    }

    let admin = admin(&mut store);
    let path = dir.path().join("家风家训评选结果.xlsx");
    let sheets = write_contest_workbook(store.conn(), &admin, Category::Motto, &path).expect("export");
    assert_eq!(sheets.first().map(String::as_str), Some("初评计票"));
    let tail = ["终审评分", "终审评分原文", "入围名单", "获奖名单", "公示", "异议登记", "决定记录"];
    assert!(sheets.ends_with(&tail.map(String::from)), "{sheets:?}");
    let mut workbook = open_workbook_auto(&path).expect("read back");
    let tally = workbook.worksheet_range("初评计票").expect("tally sheet");
    let hash_line = tally.get_value((3, 0)).map(ToString::to_string).unwrap_or_default();
    let round_hash = initial_tally(store.conn(), &admin, Category::Motto).expect("tally").round.ballots_hash;
    assert_eq!(hash_line, format!("全部选票哈希（SHA-256，结束时）：{}", round_hash.unwrap_or_default()));
    assert_eq!(tally.height(), 6 + 1223, "a row per work under the header");
    let awards = workbook.worksheet_range("获奖名单").expect("award sheet");
    assert_eq!(awards.height(), 3 + 35);

    // The lists fit to publish, one workbook each.
    let today = chrono::NaiveDate::from_ymd_opt(2017, 9, 25).expect("day");
    for category in Category::ALL {
        let files = write_lists(store.conn(), &admin, category, dir.path(), today).expect("lists");
        let names: Vec<String> =
            files.iter().filter_map(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
        let label = category.label();
        assert_eq!(
            names,
            [format!("{label}入围名单.xlsx"), format!("{label}获奖名单.xlsx"), format!("{label}公示.xlsx")]
        );
        check_published_lists(&store, &admin, category, &files);
    }
}

/// Every motto's text or story's title is on the lists, numbers are numbers, and no phone,
/// score or amount is anywhere on them.
fn check_published_lists(store: &Store, admin: &Actor, category: Category, files: &[std::path::PathBuf]) {
    use calamine::Data;
    let works =
        list_works(store.conn(), admin, &WorkFilter { category: Some(category), ..Default::default() }).expect("works");
    let shown = |id: i64| {
        let work = works.iter().find(|w| w.id == id).expect("work");
        match category {
            Category::Motto => work.content.clone(),
            Category::Story => work.title.clone(),
        }
    };
    let cells = |path: &std::path::Path| -> Vec<Vec<Data>> {
        let mut book = open_workbook_auto(path).expect("list");
        let name = book.sheet_names()[0].clone();
        book.worksheet_range(&name).expect("sheet").rows().map(<[Data]>::to_vec).collect()
    };
    let text = |rows: &[Vec<Data>]| -> String {
        rows.iter()
            .map(|r| r.iter().map(ToString::to_string).collect::<Vec<_>>().join("|"))
            .collect::<Vec<_>>()
            .join("\n")
    };

    let listed = shortlist(store.conn(), admin, category).expect("shortlist");
    let rows = cells(&files[0]);
    assert_eq!(rows[0][0].to_string(), format!("「好家风·好家训」征集评选活动{}入围名单", category.label()));
    let header = rows.iter().position(|r| r[0] == "序号").expect("header");
    let body = &rows[header + 1..header + 1 + listed.len()];
    for (row, entry) in body.iter().zip(&listed) {
        assert_eq!(row[1].to_string(), entry.code);
        assert_eq!(row[2].to_string(), shown(entry.work_id), "{}", entry.code);
        assert_eq!(row[3], Data::Float(f64::from(entry.votes)), "votes as a number");
    }
    assert!(matches!(body[0][0], Data::Float(_)), "序号 as a number");

    let awards: Vec<_> = award_list(store.conn(), admin, category)
        .expect("awards")
        .into_iter()
        .filter(|a| a.revoked.is_none())
        .collect();
    for file in &files[1..] {
        let rows = cells(file);
        let all = text(&rows);
        let header = rows.iter().position(|r| r[0] == "奖项").expect("header");
        let heads: Vec<String> = rows[header].iter().map(ToString::to_string).collect();
        let work = if category == Category::Motto { "家训内容" } else { "故事标题" };
        assert_eq!(heads, ["奖项", "作品编号", work, "作者", "单位"]);
        for (row, award) in rows[header + 1..].iter().zip(&awards) {
            assert_eq!(
                (row[0].to_string(), row[1].to_string(), row[2].to_string(), row[3].to_string()),
                (award.tier_name.clone(), award.code.clone(), shown(award.work_id), award.author.clone())
            );
        }
        assert!(
            all.contains(volunteer_desk::io::contest_lists::ISSUER) && all.contains("2017年9月25日"),
            "signed and dated"
        );
        assert!(
            !all.contains("****") && !all.contains("电话") && !all.contains("平均分") && !all.contains("奖金"),
            "{all}"
        );
    }
    assert!(text(&cells(&files[2])).contains("公示期为 2017年9月25日 至 2017年9月29日（5 个工作日）"));
}
