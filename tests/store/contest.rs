//! The contest's integrity rules (issue #7), each with its refusal: over-quota ballots, own-unit
//! votes, votes outside an open round, submitted ballots, the hidden tally, the tie band and
//! the shortlist, award quotas; plus 查重, the state machine and 公示.

use crate::common;
use chrono::NaiveDate;
use volunteer_desk::Error;
use volunteer_desk::domain::access::Role;
use volunteer_desk::domain::contest::awards::Award;
use volunteer_desk::domain::contest::{Category, CategoryRules, RoundState};
use volunteer_desk::store::accounts::sign_in;
use volunteer_desk::store::contest::ballots::{my_ballot, record_paper_ballot, save_draft, submit_ballot};
use volunteer_desk::store::contest::final_round::{
    award_list, close_final, final_ranking, my_score_sheet, open_final, propose_awards, save_scores, set_awards,
    set_awards_with_reason, submit_scores,
};
use volunteer_desk::store::contest::judges::{JudgeOrganisation, JudgeRole, NewJudge, add_judge, issue_login_slips};
use volunteer_desk::store::contest::publicity::{
    NewObjection, Ruling, publish, register_objection, rule_objection, start_publicity,
};
use volunteer_desk::store::contest::rounds::{BallotStatus, close_initial, open_initial, progress, reopen, state_log};
use volunteer_desk::store::contest::screening::{Decision, decide_pair, screening_pairs};
use volunteer_desk::store::contest::tally::{
    admit_tie_band, close_runoff, confirm_shortlist, initial_tally, shortlist, shortlist_status, start_runoff,
};
use volunteer_desk::store::contest::works::{WorkFilter, WorkStatus, add_work, list_works, update_work, withdraw_work};
use volunteer_desk::store::contest::{set_rules, state};
use volunteer_desk::store::units::{NewUnit, insert_unit};
use volunteer_desk::store::{self, Actor, Store};

const MOTTOS: [&str; 6] = [
    "家和万事兴，邻里互助情谊长",
    "勤俭节约好家风，代代相传不能忘",
    "读书明理知荣辱，耕读传家守本分",
    "孝老爱亲敬长辈，尊老爱幼记心间",
    "清白做人，干净做事，勤勉为民",
    "诚实守信立身本，遵纪守法处世宝",
];

struct Contest {
    _dir: tempfile::TempDir,
    store: Store,
    units: [i64; 3],
    /// Motto ids, two per unit: [A, A, B, B, C, C].
    works: Vec<i64>,
    codes: Vec<String>,
    /// Judges of units A, B, C and their (login, password).
    judges: Vec<(i64, String, String)>,
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
}

fn admin() -> Actor {
    Actor::command_line()
}

/// Three units, six mottos (two a unit), three judges (one a unit); quota and shortlist 2.
fn contest() -> Contest {
    let dir = tempfile::tempdir().expect("dir");
    let store = store::open(&dir.path().join("contest.sqlite3")).expect("open");
    let conn = store.conn();
    let units = ["市财政局", "市教育局", "市卫生和计划生育局"]
        .map(|name| insert_unit(conn, &NewUnit { name: name.into(), party_members: 50 }).expect("unit"));
    let rules = CategoryRules { shortlist: 2, ballot_quota: 2, ..Category::Motto.default_rules() };
    set_rules(conn, &admin(), Category::Motto, &rules).expect("rules");
    let mut works = Vec::new();
    let mut codes = Vec::new();
    for (i, text) in MOTTOS.iter().enumerate() {
        let (id, code) = add_work(
            conn,
            &admin(),
            &common::work(Category::Motto, units[i / 2], text, &format!("2017-06-{:02}", i + 1)),
        )
        .expect("work");
        works.push(id);
        codes.push(code);
    }
    let mut judges = Vec::new();
    for (i, name) in ["赵评委", "钱评委", "孙评委"].iter().enumerate() {
        let id = add_judge(
            conn,
            &admin(),
            &NewJudge {
                name: (*name).into(),
                organisation: JudgeOrganisation::Unit(units[i]),
                title: "机关党委专职副书记".into(),
                role: JudgeRole::Initial,
            },
        )
        .expect("judge");
        let slip = issue_login_slips(conn, &admin(), &[id]).expect("slip").remove(0);
        judges.push((id, slip.login, slip.password));
    }
    Contest { _dir: dir, store, units, works, codes, judges }
}

impl Contest {
    fn log_in(&mut self, judge: usize) {
        let (_, login, password) = &self.judges[judge];
        let signed = sign_in(self.store.conn(), login, password).expect("sign in");
        assert!(signed.must_change_password, "a slip's password is one-time");
        self.store.act_as(signed.actor).expect("act as");
    }

    fn as_admin(&mut self) {
        self.store.act_as(admin()).expect("admin");
    }

    fn actor(&self) -> Actor {
        self.store.actor().clone()
    }

    fn open(&mut self) {
        self.as_admin();
        open_initial(self.store.conn(), &admin(), Category::Motto).expect("open");
    }

    /// Logs in judge `judge`, saves `works` (indexes) and submits.
    fn vote(&mut self, judge: usize, works: &[usize]) {
        self.log_in(judge);
        let ids: Vec<i64> = works.iter().map(|&w| self.works[w]).collect();
        let actor = self.actor();
        save_draft(self.store.conn(), &actor, Category::Motto, &ids).expect("draft");
        submit_ballot(self.store.conn(), &actor, Category::Motto).expect("submit");
    }
}

fn refused(result: Result<impl std::fmt::Debug, Error>) -> String {
    result.expect_err("refused").to_string()
}

#[test]
fn a_judge_sees_codes_and_text_without_their_units_works_and_no_counts() {
    let mut c = contest();
    c.open();
    c.log_in(0);
    let actor = c.actor();
    let ballot = my_ballot(c.store.conn(), &actor, Category::Motto).expect("ballot");
    let codes: Vec<&str> = ballot.works.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["JX0003", "JX0004", "JX0005", "JX0006"], "unit A's works are not on A's judge's ballot");
    assert_eq!((ballot.quota, ballot.ticked, ballot.left), (2, 0, 2));
    assert_eq!(ballot.works[0].content, MOTTOS[2]);

    // The authorizer hides authors from judges even in raw SQL.
    let author: Option<String> = c
        .store
        .conn()
        .query_row("SELECT author FROM contest_work WHERE id = ?1", [c.works[2]], |r| r.get(0))
        .expect("read");
    assert_eq!(author, None);
    // The administrator's views are closed to judges.
    assert!(matches!(list_works(c.store.conn(), &actor, &WorkFilter::default()), Err(Error::Forbidden(_))));
    assert!(matches!(progress(c.store.conn(), &actor, Category::Motto), Err(Error::Forbidden(_))));

    let view = save_draft(c.store.conn(), &actor, Category::Motto, &[c.works[2]]).expect("draft");
    assert_eq!((view.ticked, view.left), (1, 1));
    assert!(view.works.iter().find(|w| w.work_id == c.works[2]).expect("on ballot").ticked);
}

#[test]
fn an_over_quota_online_ballot_is_refused() {
    let mut c = contest();
    c.open();
    c.log_in(0);
    let actor = c.actor();
    let three = [c.works[2], c.works[3], c.works[4]];
    let err = refused(save_draft(c.store.conn(), &actor, Category::Motto, &three));
    assert_eq!(err, "本轮每张选票最多选 2 件作品，您选了 3 件，请减少后再保存");
    assert_eq!(my_ballot(c.store.conn(), &actor, Category::Motto).expect("ballot").ticked, 0, "nothing saved");

    // The schema refuses a third vote whatever path writes it.
    save_draft(c.store.conn(), &actor, Category::Motto, &three[..2]).expect("two");
    c.as_admin();
    let conn = c.store.conn();
    let ballot: i64 = conn.query_row("SELECT id FROM contest_ballot", [], |r| r.get(0)).expect("ballot");
    let err = conn.execute("INSERT INTO contest_vote (ballot_id, work_id) VALUES (?1, ?2)", [ballot, three[2]]);
    assert_eq!(Error::from(err.expect_err("third vote")).to_string(), "已选满本轮限选数，不能再选");
}

#[test]
fn an_over_quota_paper_ballot_is_void_as_a_whole() {
    let mut c = contest();
    c.open();
    let conn = c.store.conn();
    let (judge, _, _) = c.judges[0];
    let three: Vec<String> = c.codes[2..5].to_vec();
    let paper = record_paper_ballot(conn, &admin(), Category::Motto, judge, &three).expect("recorded");
    assert!(paper.void);
    assert_eq!(paper.votes, 3, "kept as cast, never truncated");
    let (judge_b, _, _) = c.judges[1];
    let valid = record_paper_ballot(conn, &admin(), Category::Motto, judge_b, &[c.codes[0].clone()]).expect("valid");
    assert!(!valid.void);
    let err = refused(record_paper_ballot(conn, &admin(), Category::Motto, judge, &[c.codes[2].clone()]));
    assert_eq!(err, "该评委的选票已提交，不能再录入纸质选票");

    let statuses: Vec<BallotStatus> =
        progress(conn, &admin(), Category::Motto).expect("progress").judges.iter().map(|j| j.status).collect();
    assert_eq!(statuses, [BallotStatus::Void, BallotStatus::Paper, BallotStatus::NotStarted]);

    close_initial(conn, &admin(), Category::Motto).expect("close");
    let tally = initial_tally(conn, &admin(), Category::Motto).expect("tally");
    let votes = |code: &str| tally.rows.iter().find(|r| r.code == code).expect("row").votes;
    assert_eq!(
        (votes(&c.codes[0]), votes(&c.codes[2]), votes(&c.codes[3])),
        (1, 0, 0),
        "the void ballot counts nothing"
    );
    assert_eq!((tally.handed_in, tally.void), (2, 1));

    // A void mark that does not match the count is refused by the schema.
    let err = conn.execute("UPDATE contest_ballot SET void = 0 WHERE void = 1", []).expect_err("frozen");
    assert_eq!(Error::from(err).to_string(), "选票已提交，不能再修改");
}

#[test]
fn a_vote_for_an_own_unit_work_is_refused() {
    let mut c = contest();
    c.open();
    c.log_in(1);
    let actor = c.actor();
    let err = refused(save_draft(c.store.conn(), &actor, Category::Motto, &[c.works[2]]));
    assert_eq!(err, "不能给本单位的作品投票（回避）");
    c.as_admin();
    let (judge, _, _) = c.judges[1];
    let err = refused(record_paper_ballot(c.store.conn(), &admin(), Category::Motto, judge, &[c.codes[3].clone()]));
    assert_eq!(err, "不能给本单位的作品投票（回避）");
}

#[test]
fn a_vote_outside_an_open_round_is_refused() {
    let mut c = contest();
    c.log_in(0);
    let actor = c.actor();
    let err = refused(save_draft(c.store.conn(), &actor, Category::Motto, &[c.works[2]]));
    assert_eq!(err, "家风家训目前没有进行中的投票");
    c.open();
    c.vote(0, &[2]);
    c.as_admin();
    close_initial(c.store.conn(), &admin(), Category::Motto).expect("close");
    c.log_in(1);
    let actor = c.actor();
    let err = refused(save_draft(c.store.conn(), &actor, Category::Motto, &[c.works[0]]));
    assert_eq!(err, "家风家训目前没有进行中的投票");

    // Straight into the tables: the schema refuses too.
    c.as_admin();
    let conn = c.store.conn();
    let round: i64 = conn.query_row("SELECT id FROM contest_round", [], |r| r.get(0)).expect("round");
    let err = conn
        .execute(
            "INSERT INTO contest_ballot (round_id, judge_id, entered_by, saved_at) VALUES (?1, ?2, 'x', 'now')",
            [round, c.judges[1].0],
        )
        .expect_err("closed round");
    assert_eq!(Error::from(err).to_string(), "本轮投票未开启或已结束，不能投票");
}

#[test]
fn a_submitted_ballot_cannot_change() {
    let mut c = contest();
    c.open();
    c.vote(0, &[2, 4]);
    let actor = c.actor();
    let err = refused(save_draft(c.store.conn(), &actor, Category::Motto, &[c.works[3]]));
    assert_eq!(err, "选票已提交，不能再修改");
    assert_eq!(refused(submit_ballot(c.store.conn(), &actor, Category::Motto)), "选票已提交，不能重复提交");
    let ballot = my_ballot(c.store.conn(), &actor, Category::Motto).expect("ballot");
    assert!(ballot.submitted_at.is_some());
    assert_eq!(ballot.ticked, 2);

    c.as_admin();
    let conn = c.store.conn();
    let err = conn.execute("DELETE FROM contest_vote", []).expect_err("untick");
    assert_eq!(Error::from(err).to_string(), "选票已提交或本轮投票已结束，不能再修改");
    let err = conn.execute("UPDATE contest_ballot SET submitted_at = NULL", []).expect_err("unsubmit");
    assert_eq!(Error::from(err).to_string(), "选票已提交，不能再修改");
}

#[test]
fn the_tally_is_hidden_while_the_round_is_open() {
    let mut c = contest();
    c.open();
    c.vote(0, &[2, 4]);
    // Nor can any other role count the votes in SQL (issue #26): the work a vote is for reads
    // as nothing, the ballot it is on is refused.
    for role in [Role::Clerk, Role::Supervisor, Role::Expert] {
        c.store.act_as(Actor { account_id: Some(99), name: "旁人".into(), role }).expect("act");
        let per_work: Vec<(Option<i64>, i64)> = c
            .store
            .conn()
            .prepare("SELECT work_id, count(*) FROM contest_vote GROUP BY work_id")
            .expect("prepare")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        assert_eq!(per_work, [(None, 2)], "{role:?}");
        assert!(c.store.conn().prepare("SELECT ballot_id FROM contest_vote").is_err(), "{role:?}");
    }
    c.as_admin();
    let conn = c.store.conn();
    let err = refused(initial_tally(conn, &admin(), Category::Motto));
    assert_eq!(err, "家风家训初评正在进行，投票结束前不能查看计票结果");
    assert!(shortlist_status(conn, &admin(), Category::Motto).is_err());
    // Progress says who handed in, nothing of what.
    let progress = progress(conn, &admin(), Category::Motto).expect("progress");
    assert_eq!(progress.handed_in(), 1);
    assert_eq!(progress.judges[0].status, BallotStatus::Submitted);
    close_initial(conn, &admin(), Category::Motto).expect("close");
    let tally = initial_tally(conn, &admin(), Category::Motto).expect("tally");
    assert_eq!(tally.round.ballots_hash.as_ref().map(String::len), Some(64));
}

#[test]
fn a_tie_band_blocks_the_shortlist_until_a_run_off_resolves_it() {
    let mut c = contest();
    c.open();
    // Work 4 (unit C) gets 2 votes; works 0, 2 and 5 get one each: a band of three for one place.
    c.vote(0, &[2, 4]);
    c.vote(1, &[4, 5]);
    c.vote(2, &[0]);
    c.as_admin();
    let conn = c.store.conn();
    close_initial(conn, &admin(), Category::Motto).expect("close");
    let tally = initial_tally(conn, &admin(), Category::Motto).expect("tally");
    let json = serde_json::to_value(tally.to_json()).expect("json");
    assert_eq!(json["shortlist"], serde_json::json!([c.codes[4]]));
    assert_eq!(json["tie_band"], serde_json::json!([c.codes[0], c.codes[2], c.codes[5]]));
    assert_eq!(json["places_left"], 1);
    assert_eq!(json["quota"], 2);
    let eligible = |code: &str| tally.rows.iter().find(|r| r.code == code).expect("row").eligible;
    assert_eq!(eligible(&c.codes[0]), 2, "unit A's judge is recused");

    let err = refused(confirm_shortlist(conn, &admin(), Category::Motto));
    assert_eq!(
        err,
        format!(
            "第2名处有 3 件作品并列（{}、{}、{}），争 1 个名额：请先组织决选或决定全部入围，才能确定入围名单",
            c.codes[0], c.codes[2], c.codes[5]
        )
    );

    let runoff = start_runoff(conn, &admin(), Category::Motto).expect("run-off");
    assert_eq!((runoff.quota, runoff.places), (Some(1), Some(1)));
    assert_eq!(state(conn, Category::Motto).expect("state"), RoundState::RunOff);
    assert!(confirm_shortlist(conn, &admin(), Category::Motto).is_err(), "not while the run-off is open");
    c.log_in(1);
    let actor = c.actor();
    let ballot = my_ballot(c.store.conn(), &actor, Category::Motto).expect("run-off ballot");
    assert_eq!(ballot.works.iter().map(|w| w.code.as_str()).collect::<Vec<_>>(), [&c.codes[0], &c.codes[5]]);
    assert_eq!(ballot.quota, 1);
    c.vote(1, &[5]);
    c.vote(2, &[2]);
    c.vote(0, &[5]);
    c.as_admin();
    let conn = c.store.conn();
    close_runoff(conn, &admin(), Category::Motto).expect("close run-off");
    let confirmed = confirm_shortlist(conn, &admin(), Category::Motto).expect("confirm");
    let codes: Vec<&str> = confirmed.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, [c.codes[4].as_str(), c.codes[5].as_str()]);
    assert_eq!(state(conn, Category::Motto).expect("state"), RoundState::Shortlisted);

    // Frozen.
    let err = conn.execute("DELETE FROM contest_shortlist", []).expect_err("frozen");
    assert_eq!(Error::from(err).to_string(), "入围名单已确定，不能更改");
    assert_eq!(refused(confirm_shortlist(conn, &admin(), Category::Motto)), "入围名单已确定");
}

#[test]
fn a_tie_band_can_be_admitted_whole_with_a_reason() {
    let mut c = contest();
    c.open();
    c.vote(0, &[2, 4]);
    c.vote(1, &[4, 5]);
    c.as_admin();
    let conn = c.store.conn();
    close_initial(conn, &admin(), Category::Motto).expect("close");
    assert_eq!(refused(admit_tie_band(conn, &admin(), Category::Motto, " ")), "全部入围须写明理由");
    admit_tie_band(conn, &admin(), Category::Motto, "评审组决定并列作品全部入围").expect("admit");
    let status = shortlist_status(conn, &admin(), Category::Motto).expect("status");
    assert!(status.is_resolved());
    assert_eq!(status.admitted.len(), 3, "over the quota, with the reason on record");
    confirm_shortlist(conn, &admin(), Category::Motto).expect("confirm");
    assert_eq!(shortlist(conn, &admin(), Category::Motto).expect("shortlist").len(), 3);
}

/// Shortlist all six by a tie band admitted whole, then the final round with two experts.
fn through_the_final_round(c: &mut Contest) {
    final_round_scored(c, |expert, code| 90 - code - expert as u8);
}

/// As `through_the_final_round`, with `score(expert, code number)` for each work an expert
/// scores. Expert 0 is of unit A, expert 1 of unit C: A's and C's works get one score each,
/// B's two.
fn final_round_scored(c: &mut Contest, score: impl Fn(usize, u8) -> u8) {
    if state(c.store.conn(), Category::Motto).expect("state") < RoundState::InitialOpen {
        c.open();
    }
    c.as_admin();
    let conn = c.store.conn();
    close_initial(conn, &admin(), Category::Motto).expect("close");
    admit_tie_band(conn, &admin(), Category::Motto, "无人投票，全部进入终审").expect("admit");
    confirm_shortlist(conn, &admin(), Category::Motto).expect("confirm");
    let mut experts = Vec::new();
    for (name, unit) in [("周专家", c.units[0]), ("吴专家", c.units[2])] {
        let id = add_judge(
            conn,
            &admin(),
            &NewJudge {
                name: name.into(),
                organisation: JudgeOrganisation::Unit(unit),
                title: String::new(),
                role: JudgeRole::Final,
            },
        )
        .expect("expert");
        experts.push(issue_login_slips(conn, &admin(), &[id]).expect("slip").remove(0));
    }
    open_final(conn, &admin(), Category::Motto).expect("open final");
    for (n, slip) in experts.iter().enumerate() {
        let signed = sign_in(c.store.conn(), &slip.login, &slip.password).expect("sign in");
        c.store.act_as(signed.actor).expect("expert");
        let actor = c.actor();
        let sheet = my_score_sheet(c.store.conn(), &actor, Category::Motto).expect("sheet");
        assert_eq!(sheet.works.len(), 4, "own unit's two works left out");
        let scores: Vec<(i64, u8)> =
            sheet.works.iter().map(|w| (w.work_id, score(n, w.code[2..].parse::<u8>().unwrap_or(0)))).collect();
        assert!(submit_scores(c.store.conn(), &actor, Category::Motto).is_err(), "nothing scored yet");
        save_scores(c.store.conn(), &actor, Category::Motto, &scores).expect("scores");
        submit_scores(c.store.conn(), &actor, Category::Motto).expect("submit");
        assert!(save_scores(c.store.conn(), &actor, Category::Motto, &scores[..1]).is_err(), "final");
    }
    c.as_admin();
    close_final(c.store.conn(), &admin(), Category::Motto).expect("close final");
}

#[test]
fn award_quotas_are_enforced_and_identities_come_with_the_ranking() {
    let mut c = contest();
    through_the_final_round(&mut c);
    let conn = c.store.conn();
    let ranking = final_ranking(conn, &admin(), Category::Motto).expect("ranking");
    assert_eq!(ranking[0].code, c.codes[0]);
    assert_eq!(ranking[0].author.as_deref(), Some("王晓明"));
    assert_eq!(ranking[0].unit_name.as_deref(), Some("市财政局"));

    let tiers = volunteer_desk::store::contest::tiers(conn, Category::Motto).expect("tiers");
    let one_tier = [volunteer_desk::domain::contest::Tier { quota: 1, ..tiers[0] }];
    volunteer_desk::store::contest::set_tiers(conn, &admin(), Category::Motto, &one_tier).expect("one first prize");
    let two_firsts = [Award { work_id: c.works[0], tier: 1 }, Award { work_id: c.works[1], tier: 1 }];
    assert_eq!(refused(set_awards(conn, &admin(), Category::Motto, &two_firsts)), "一等奖名额为 1 个，不能授予 2 个");
    let twice = [Award { work_id: c.works[0], tier: 1 }, Award { work_id: c.works[0], tier: 2 }];
    assert_eq!(refused(set_awards(conn, &admin(), Category::Motto, &twice)), "每件作品只能获一个奖项");

    let proposal = propose_awards(conn, &admin(), Category::Motto).expect("proposal");
    assert_eq!(proposal.awards.iter().filter(|a| a.tier == 1).count(), 1);
    set_awards(conn, &admin(), Category::Motto, &proposal.awards).expect("awards");
    // The schema holds the quota against any path.
    let err = conn
        .execute(
            "INSERT INTO contest_award (work_id, category, tier, assigned_at) VALUES (?1, '家风家训', 1, 'now')",
            [c.works[5]],
        )
        .expect_err("over quota");
    assert_eq!(Error::from(err).to_string(), "该奖项名额已满");
    let listed = award_list(conn, &admin(), Category::Motto).expect("awards");
    assert_eq!(listed[0].tier_name, "一等奖");
    assert_eq!(listed[0].amount_yuan, 1000);
}

#[test]
fn an_objection_upheld_in_publicity_moves_the_next_ranked_up() {
    let mut c = contest();
    through_the_final_round(&mut c);
    let conn = c.store.conn();
    let ranked = final_ranking(conn, &admin(), Category::Motto).expect("ranking");
    let order: Vec<i64> = ranked.iter().map(|r| r.work_id).collect();
    let awards = [Award { work_id: order[0], tier: 1 }, Award { work_id: order[1], tier: 2 }];
    set_awards(conn, &admin(), Category::Motto, &awards).expect("awards");
    assert_eq!(
        refused(start_publicity(conn, &admin(), Category::Motto, day("2017-09-25"), 31, day("2017-09-25"))),
        "公示期最多30个工作日"
    );
    let publicity =
        start_publicity(conn, &admin(), Category::Motto, day("2017-09-25"), 5, day("2017-09-25")).expect("publicity");
    assert_eq!(publicity.ends_on, day("2017-09-29"));

    let objection = NewObjection {
        category: Category::Motto,
        work_code: Some(ranked[0].code.clone()),
        objector: "李群众".into(),
        contact: "13800000000".into(),
        received_on: day("2017-09-26"),
        content: "该作品抄袭网络文章".into(),
    };
    let late = NewObjection { received_on: day("2017-10-09"), ..objection.clone() };
    assert_eq!(
        refused(register_objection(conn, &admin(), &late)),
        "收到日期 2017-10-09 不在公示期（2017-09-25 至 2017-09-29）内"
    );
    let id = register_objection(conn, &admin(), &objection).expect("registered");
    assert_eq!(refused(publish(conn, &admin(), Category::Motto, day("2017-10-09"))), "还有 1 件异议未处理，不能发布");
    let refill = rule_objection(conn, &admin(), id, Ruling::Disqualify, "经核查属实", day("2017-09-28"))
        .expect("ruled")
        .expect("refill");
    assert_eq!(refill.moves.len(), 2, "second prize moves up, the next ranked gets second prize");
    let listed = award_list(conn, &admin(), Category::Motto).expect("awards");
    let tier_of = |work: i64| listed.iter().find(|a| a.work_id == work && a.revoked.is_none()).map(|a| a.tier);
    assert_eq!((tier_of(order[1]), tier_of(order[2]), tier_of(order[0])), (Some(1), Some(2), None));
    assert!(
        refused(rule_objection(conn, &admin(), id, Ruling::Rejected, "改判", day("2017-09-29"))).contains("已处理")
    );
    assert_eq!(
        refused(publish(conn, &admin(), Category::Motto, day("2017-09-29"))),
        "公示期至 2017-09-29 结束，期满后才能发布"
    );
    publish(conn, &admin(), Category::Motto, day("2017-10-09")).expect("publish");
    let works =
        list_works(conn, &admin(), &WorkFilter { status: Some(WorkStatus::Disqualified), ..Default::default() })
            .expect("works");
    assert_eq!(works.len(), 1);
}

#[test]
fn the_state_machine_logs_every_move_and_reopens_only_with_a_reason() {
    let mut c = contest();
    c.open();
    let conn = c.store.conn();
    let err = refused(reopen(conn, &admin(), Category::Motto, RoundState::Collecting, "补录作品"));
    assert_eq!(err, "家风家训当前为初评进行中阶段，不能退回到征集阶段");
    close_initial(conn, &admin(), Category::Motto).expect("close");
    assert_eq!(
        refused(reopen(conn, &admin(), Category::Motto, RoundState::InitialOpen, " ")),
        "退回（重开）须写明理由"
    );
    reopen(conn, &admin(), Category::Motto, RoundState::InitialOpen, "一位评委因病未能按时投票").expect("reopen");
    c.vote(0, &[2]);
    c.as_admin();
    let conn = c.store.conn();
    close_initial(conn, &admin(), Category::Motto).expect("close again");
    let log = state_log(conn, Category::Motto).expect("log");
    let moves: Vec<(&str, &str)> = log.iter().map(|m| (m.from.label(), m.to.label())).collect();
    assert_eq!(
        moves,
        [
            ("征集", "查重"),
            ("查重", "初评进行中"),
            ("初评进行中", "初评结束"),
            ("初评结束", "初评进行中"),
            ("初评进行中", "初评结束")
        ]
    );
    assert_eq!(log[3].reason, "一位评委因病未能按时投票");
    assert!(log.iter().all(|m| m.actor == "命令行"));

    // Only by the log: a direct state change is refused.
    let err =
        conn.execute("UPDATE contest_category SET state = '发布' WHERE category = '家风家训'", []).expect_err("direct");
    assert_eq!(Error::from(err).to_string(), "评选阶段只能由管理员按流程变更，并记入日志");
    // A judge may not move anything.
    c.log_in(0);
    let actor = c.actor();
    assert!(matches!(close_initial(c.store.conn(), &actor, Category::Motto), Err(Error::Forbidden(_))));
}

#[test]
fn screening_flags_copies_side_by_side_and_the_earlier_wins_by_default() {
    let c = contest();
    let conn = c.store.conn();
    let traditional = add_work(
        conn,
        &admin(),
        &common::work(Category::Motto, c.units[1], "家和萬事興，鄰里互助情誼長！", "2017-06-20"),
    )
    .expect("copy");
    let near = add_work(
        conn,
        &admin(),
        &common::work(Category::Motto, c.units[2], "清白做人，干净做事，勤勉为民，廉洁奉公", "2017-06-21"),
    )
    .expect("near");
    let withdrawn = add_work(
        conn,
        &admin(),
        &common::work(Category::Motto, c.units[2], "一心为公，两袖清风，三省吾身", "2017-06-22"),
    )
    .expect("w");
    withdraw_work(conn, &admin(), withdrawn.0, "作者申请撤回").expect("withdraw");

    let err = refused(open_initial(conn, &admin(), Category::Motto));
    assert!(err.starts_with("家风家训查重发现 2 对疑似重复作品尚未处理，初评未开启："), "{err}");
    assert_eq!(state(conn, Category::Motto).expect("state"), RoundState::Screening, "查重 is kept");

    let pairs = screening_pairs(conn, &admin(), Category::Motto).expect("pairs");
    assert_eq!(pairs.len(), 2);
    let exact = &pairs[0];
    assert_eq!((exact.earlier.code.as_str(), exact.later.code.as_str()), (c.codes[0].as_str(), traditional.1.as_str()));
    assert_eq!(exact.percent, 100);
    assert_eq!(&exact.later.content[exact.later.spans[0].clone()], "家和萬事興，鄰里互助情誼長");
    let copy = &pairs[1];
    assert_eq!(copy.later.code, near.1);
    assert_eq!(&copy.later.content[copy.later.spans[0].clone()], "清白做人，干净做事，勤勉为民");

    decide_pair(conn, &admin(), exact.id, Decision::Exclude, None, "繁体重复投稿").expect("exclude");
    decide_pair(conn, &admin(), copy.id, Decision::Keep, None, "化用，保留").expect("keep");
    let excluded = list_works(conn, &admin(), &WorkFilter { status: Some(WorkStatus::Excluded), ..Default::default() })
        .expect("list");
    assert_eq!(excluded.iter().map(|w| w.code.as_str()).collect::<Vec<_>>(), [traditional.1.as_str()]);
    // Changing the decision brings the work back.
    decide_pair(conn, &admin(), exact.id, Decision::Merge, Some(c.works[0]), "同一作者重复投稿").expect("merge");
    let merged =
        list_works(conn, &admin(), &WorkFilter { query: traditional.1.clone(), ..Default::default() }).expect("list");
    assert_eq!((merged[0].status, merged[0].merged_into.as_deref()), (WorkStatus::Merged, Some(c.codes[0].as_str())));

    open_initial(conn, &admin(), Category::Motto).expect("open after decisions");
    let err = refused(decide_pair(conn, &admin(), exact.id, Decision::Keep, None, ""));
    assert_eq!(err, "家风家训当前为初评进行中阶段，只有查重阶段才能处理疑似重复");
    let err = refused(add_work(
        conn,
        &admin(),
        &common::work(Category::Motto, c.units[0], "晚到的家训作品一则", "2017-07-01"),
    ));
    assert_eq!(err, "家风家训作品征集已结束（当前为初评进行中阶段），不能再录入或修改作品");
}

#[test]
fn the_refusal_to_open_names_twenty_undecided_pairs_and_counts_the_rest() {
    let c = contest();
    let conn = c.store.conn();
    // Twenty-six copies of one motto: 25 pairs (each with the earliest).
    for i in 0..26 {
        let work = common::work(Category::Motto, c.units[i % 3], "忠厚传家远，诗书继世长", "2017-06-20");
        add_work(conn, &admin(), &work).expect("copy");
    }
    let err = refused(open_initial(conn, &admin(), Category::Motto));
    let (head, pairs) = err.split_once('：').expect("the pairs after the colon");
    assert_eq!(head, "家风家训查重发现 25 对疑似重复作品尚未处理，初评未开启");
    let (pairs, rest) = pairs.split_once('，').expect("the rest counted");
    assert_eq!(pairs.split('、').count(), 20, "{pairs}");
    assert!(pairs.split('、').all(|pair| pair.contains(" 与 ")), "{pairs}");
    assert_eq!(rest, "另有 5 对");
}

#[test]
fn works_are_checked_found_and_never_deleted() {
    let c = contest();
    let conn = c.store.conn();
    let long = "勤".repeat(51);
    assert_eq!(
        refused(add_work(conn, &admin(), &common::work(Category::Motto, c.units[0], &long, "2017-06-01"))),
        "家风家训内容 51 字，超过上限 50 字"
    );
    let err = conn
        .execute(
            "INSERT INTO contest_work (code, category, content, author, unit_id, submitted_on, entered_at)
             VALUES ('X1', '家风家训', ?1, '某', ?2, '2017-06-01', 'now')",
            rusqlite::params![long, c.units[0]],
        )
        .expect_err("schema");
    assert_eq!(Error::from(err).to_string(), "作品字数不符合该类别的字数要求");
    let err = conn.execute("DELETE FROM contest_work", []).expect_err("no delete");
    assert_eq!(Error::from(err).to_string(), "参评作品不能删除，只能撤回");

    let by_author =
        list_works(conn, &admin(), &WorkFilter { query: "wxm".into(), ..Default::default() }).expect("pinyin");
    assert_eq!(by_author.len(), 6);
    let by_text = list_works(conn, &admin(), &WorkFilter { query: "耕读".into(), ..Default::default() }).expect("text");
    assert_eq!(by_text.iter().map(|w| w.code.as_str()).collect::<Vec<_>>(), ["JX0003"]);
    let by_unit =
        list_works(conn, &admin(), &WorkFilter { unit_id: Some(c.units[2]), ..Default::default() }).expect("unit");
    assert_eq!(by_unit.len(), 2);
    assert_eq!(refused(withdraw_work(conn, &admin(), c.works[0], "")), "撤回作品须写明原因");
    withdraw_work(conn, &admin(), c.works[0], "作者申请撤回").expect("withdraw");
    let edit = common::work(Category::Motto, c.units[0], "耕读传家久，诗书继世长", "2017-06-01");
    assert_eq!(refused(update_work(conn, &admin(), c.works[0], &edit)), "该作品已撤回，不能修改");
}

#[test]
fn the_schema_allows_the_same_moves_as_the_domain() {
    let c = contest();
    let mut in_schema: Vec<(String, String, String)> = c
        .store
        .conn()
        .prepare("SELECT from_state, to_state, kind FROM contest_transition")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    let mut in_domain: Vec<(String, String, String)> = RoundState::transitions()
        .iter()
        .map(|(from, to, kind)| (from.label().to_string(), to.label().to_string(), kind.label().to_string()))
        .collect();
    in_schema.sort();
    in_domain.sort();
    assert_eq!(in_schema, in_domain);
}

#[test]
fn login_slips_print_once_and_a_reprint_voids_the_old_password() {
    use calamine::{Reader as _, open_workbook_auto};
    let mut c = contest();
    let (judge, login, old) = c.judges[0].clone();
    let slips = issue_login_slips(c.store.conn(), &admin(), &[judge]).expect("reprint");
    assert_eq!(slips[0].login, login);
    assert!(sign_in(c.store.conn(), &login, &old).is_err(), "the old slip no longer works");
    c.judges[0].2 = slips[0].password.clone();
    c.log_in(0);
    let path = c._dir.path().join("登录条.xlsx");
    volunteer_desk::io::contest_export::write_login_slips(c.store.conn(), &admin(), &path, &slips).expect("slips");
    let mut book = open_workbook_auto(&path).expect("read");
    let sheet = book.worksheet_range("评委登录条").expect("sheet");
    assert_eq!(
        sheet.get_value((0, 0)).map(ToString::to_string).as_deref(),
        Some("「好家风·好家训」评选 初评评委：赵评委（市财政局）")
    );
    assert_eq!(sheet.get_value((2, 0)).map(ToString::to_string), Some(format!("初始密码：{}", slips[0].password)));
}

#[test]
fn equal_means_share_one_place_and_one_tie_list_whatever_the_number_of_experts() {
    let mut c = contest();
    // JX0001 80/1, JX0002 60/1, JX0003 160/2, JX0004 160/2, JX0005 80/1, JX0006 70/1.
    final_round_scored(&mut c, |expert, code| match (expert, code) {
        (0, 3) | (0, 5) | (1, 1) | (1, 3) => 80,
        (0, 4) => 90,
        (1, 4) => 70,
        (0, 6) => 70,
        _ => 60,
    });
    let conn = c.store.conn();
    let ranking = final_ranking(conn, &admin(), Category::Motto).expect("ranking");
    let places: Vec<(u32, &str, i64)> = ranking.iter().map(|r| (r.place, &r.code[2..], r.mean.count)).collect();
    assert_eq!(
        places,
        [(1, "0001", 1), (1, "0003", 2), (1, "0004", 2), (1, "0005", 1), (5, "0006", 1), (6, "0002", 1)]
    );

    let tiers = volunteer_desk::store::contest::tiers(conn, Category::Motto).expect("tiers");
    let two_firsts = [volunteer_desk::domain::contest::Tier { quota: 2, ..tiers[0] }];
    volunteer_desk::store::contest::set_tiers(conn, &admin(), Category::Motto, &two_firsts).expect("tiers");
    let proposal = propose_awards(conn, &admin(), Category::Motto).expect("proposal");
    let level = vec![c.works[0], c.works[2], c.works[3], c.works[4]];
    assert_eq!(proposal.ties, [(1, level.clone())], "all four at 80.00 in one tie list");
    assert!(proposal.awards.iter().all(|a| a.tier > 1), "the level group is never split by code");

    // Parting the level group is the administrator's decision, with a reason.
    let parted = [Award { work_id: c.works[0], tier: 1 }];
    assert_eq!(
        refused(set_awards(conn, &admin(), Category::Motto, &parted)),
        "平均分相同的作品（JX0001、JX0003、JX0004、JX0005）获奖等次不同，须写明理由"
    );
    set_awards_with_reason(conn, &admin(), Category::Motto, &parted, "经专家组复议，JX0001 列前").expect("reason");

    // A disqualification above a level group names the whole group.
    volunteer_desk::store::contest::set_tiers(conn, &admin(), Category::Motto, &tiers).expect("tiers");
    let awards = [Award { work_id: c.works[5], tier: 1 }];
    set_awards(conn, &admin(), Category::Motto, &awards).expect("awards");
    start_publicity(conn, &admin(), Category::Motto, day("2017-09-25"), 5, day("2017-09-25")).expect("publicity");
    let objection = NewObjection {
        category: Category::Motto,
        work_code: Some(c.codes[5].clone()),
        objector: "李群众".into(),
        contact: "13800000000".into(),
        received_on: day("2017-09-26"),
        content: "该作品抄袭网络文章".into(),
    };
    let id = register_objection(conn, &admin(), &objection).expect("registered");
    let refill = rule_objection(conn, &admin(), id, Ruling::Disqualify, "经核查属实", day("2017-09-28"))
        .expect("ruled")
        .expect("refill");
    assert!(refill.moves.is_empty());
    assert_eq!((refill.vacant, refill.tied), (Some(1), level));
}

#[test]
fn a_notice_cannot_be_backdated_and_runs_five_working_days_from_its_real_start() {
    let mut c = contest();
    through_the_final_round(&mut c);
    let conn = c.store.conn();
    let ranked = final_ranking(conn, &admin(), Category::Motto).expect("ranking");
    set_awards(conn, &admin(), Category::Motto, &[Award { work_id: ranked[0].work_id, tier: 1 }]).expect("awards");
    let today = day("2017-09-27");
    start_publicity(conn, &admin(), Category::Motto, today, 5, today).expect("publicity");
    reopen(conn, &admin(), Category::Motto, RoundState::FinalClosed, "奖项需调整").expect("退回");
    // After 退回 the old dates are no longer good: a notice starts today or later.
    assert_eq!(
        refused(start_publicity(conn, &admin(), Category::Motto, day("2017-09-18"), 5, today)),
        "公示开始日期 2017-09-18 早于今天 2017-09-27：公示不能倒填日期，须从今天或以后开始"
    );
    assert_eq!(state(conn, Category::Motto).expect("state"), RoundState::FinalClosed, "nothing moved");
    // Wednesday 9-27: 27, 28, 29, Saturday 9-30 (调休, a working day), then 国庆 to 10-8; 10-9.
    let period = start_publicity(conn, &admin(), Category::Motto, today, 5, today).expect("publicity");
    assert_eq!((period.starts_on, period.ends_on), (today, day("2017-10-09")));
    assert_eq!(
        refused(publish(conn, &admin(), Category::Motto, day("2017-10-09"))),
        "公示期至 2017-10-09 结束，期满后才能发布"
    );
    let objection = NewObjection {
        category: Category::Motto,
        work_code: Some(ranked[0].code.clone()),
        objector: "李群众".into(),
        contact: String::new(),
        received_on: day("2017-09-26"),
        content: "署名有误".into(),
    };
    assert!(
        refused(register_objection(conn, &admin(), &objection)).contains("不在公示期（2017-09-27 至 2017-10-09）内")
    );
    let in_time = NewObjection { received_on: day("2017-10-09"), ..objection };
    register_objection(conn, &admin(), &in_time).expect("an objection on the last day is in time");
}

#[test]
fn the_record_holds_every_ballot_score_objection_and_decision_and_each_hash_recomputes() {
    use calamine::{Data, Reader as _, open_workbook_auto};
    use sha2::{Digest as _, Sha256};
    let mut c = contest();
    c.open();
    // An empty ballot: all six stay level and go through whole.
    c.vote(0, &[]);
    c.as_admin();
    through_the_final_round(&mut c);
    let conn = c.store.conn();
    let ranked = final_ranking(conn, &admin(), Category::Motto).expect("ranking");
    let awards = [Award { work_id: ranked[0].work_id, tier: 1 }, Award { work_id: ranked[1].work_id, tier: 2 }];
    set_awards(conn, &admin(), Category::Motto, &awards).expect("awards");
    let today = day("2017-09-25");
    start_publicity(conn, &admin(), Category::Motto, today, 5, today).expect("publicity");
    let objection = |code: &str, content: &str| NewObjection {
        category: Category::Motto,
        work_code: Some(code.to_string()),
        objector: "李群众".into(),
        contact: "13800000000".into(),
        received_on: day("2017-09-26"),
        content: content.into(),
    };
    let upheld = register_objection(conn, &admin(), &objection(&ranked[0].code, "抄袭网络文章")).expect("one");
    let dismissed = register_objection(conn, &admin(), &objection(&ranked[1].code, "字数超限")).expect("two");
    rule_objection(conn, &admin(), upheld, Ruling::Disqualify, "经核查属实", day("2017-09-27")).expect("upheld");
    rule_objection(conn, &admin(), dismissed, Ruling::Rejected, "字数在规定范围内", day("2017-09-27")).expect("no");

    let path = c._dir.path().join("记录.xlsx");
    let sheets = volunteer_desk::io::contest_export::write_contest_workbook(conn, &admin(), Category::Motto, &path)
        .expect("record");
    for name in ["初评选票原文", "终审评分", "终审评分原文", "异议登记", "决定记录"] {
        assert!(sheets.iter().any(|s| s == name), "{name} in {sheets:?}");
    }
    let mut book = open_workbook_auto(&path).expect("open");
    let mut sheet = |name: &str| -> Vec<Vec<Data>> {
        book.worksheet_range(name).expect(name).rows().map(<[Data]>::to_vec).collect()
    };
    // Each round's hash recomputes from its sheet, as the sheet says.
    let rounds = volunteer_desk::store::contest::rounds::rounds(conn, Category::Motto).expect("rounds");
    for (name, kind) in [("初评选票原文", "初评"), ("终审评分原文", "终审")] {
        let rows = sheet(name);
        let mut hasher = Sha256::new();
        for row in &rows[5..] {
            hasher.update(row[0].to_string().as_bytes());
            hasher.update(b"\n");
        }
        let hash: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let round = rounds.iter().find(|r| r.kind.label() == kind).expect("round");
        assert_eq!(Some(hash), round.ballots_hash, "{name}");
    }
    let ballot_lines = sheet("初评选票原文");
    let line = ballot_lines[5..].iter().find(|r| r[1] == "赵评委").expect("the judge's ballot");
    assert!(line[0].to_string().starts_with(&format!("B|{}|0|0|", c.judges[0].0)), "{:?}", line[0]);
    // Every score, as a number: two experts, four works each.
    let scores = sheet("终审评分");
    assert_eq!(scores.len(), 3 + 8);
    assert!(scores[3..].iter().all(|r| matches!(r[2], Data::Float(_))));
    // Both objections with their outcome and reason.
    let register = sheet("异议登记");
    let ruled: Vec<(String, String)> = register[3..].iter().map(|r| (r[5].to_string(), r[6].to_string())).collect();
    assert_eq!(ruled, [("取消获奖资格".into(), "经核查属实".into()), ("异议不成立".into(), "字数在规定范围内".into())]);
    // Decisions with reasons: the tie band admitted whole and the work disqualified.
    let decided: Vec<String> = sheet("决定记录")[3..].iter().map(|r| format!("{}：{}", r[2], r[3])).collect();
    assert!(decided.iter().any(|d| d.contains("全部入围") && d.ends_with("无人投票，全部进入终审")), "{decided:?}");
    assert!(
        decided.iter().any(|d| d.contains(&ranked[0].code) && d.contains("取消资格") && d.contains("经核查属实")),
        "{decided:?}"
    );
}
