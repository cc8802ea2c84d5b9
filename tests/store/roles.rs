//! The authorizer denies by default (issue #26): through the store's own connection acting as
//! each role, ATTACH, settings, schema changes and temporary triggers are refused, and so are
//! reads of the secrets a role has no use for, another judge's votes included. The flows
//! themselves run in the other modules.

use crate::common;

use common::org;
use volunteer_desk::domain::access::Role;
use volunteer_desk::store::Actor;
use volunteer_desk::store::accounts::{NewAccount, change_own_password, create_account, sign_in};

fn acting(role: Role) -> Actor {
    Actor { account_id: Some(1), name: format!("{}甲", role.label()), role }
}

/// The statement is refused, and the reason the authorizer gave is in Chinese.
fn refused(conn: &rusqlite::Connection, sql: &str) -> String {
    let err = conn.execute_batch(sql).expect_err(sql);
    let text = err.to_string();
    assert!(text.contains("not authorized") || text.contains("prohibited"), "{sql}: {text}");
    volunteer_desk::store::guard::last_denial().unwrap_or_default()
}

const STATEMENTS: &[&str] = &[
    "ATTACH DATABASE ':memory:' AS other",
    "PRAGMA foreign_keys = OFF",
    "PRAGMA trusted_schema = ON",
    "PRAGMA writable_schema = ON",
    "PRAGMA wal_checkpoint(TRUNCATE)",
    "CREATE TABLE stolen (x)",
    "CREATE TEMP TABLE stolen (x)",
    "CREATE TEMP TRIGGER spy AFTER INSERT ON volunteer BEGIN SELECT 1; END",
    "CREATE TRIGGER spy AFTER INSERT ON volunteer BEGIN SELECT 1; END",
    "CREATE VIEW everything AS SELECT * FROM volunteer",
    "DROP TRIGGER audit_log_no_update",
    "ALTER TABLE volunteer ADD COLUMN note TEXT",
    "CREATE INDEX spy ON volunteer (name)",
];

#[test]
fn no_role_attaches_changes_settings_or_the_schema() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    for role in Role::ALL {
        org.store.act_as(acting(role)).expect("act");
        let conn = org.store.conn();
        for sql in STATEMENTS {
            let why = refused(conn, sql);
            assert!(why.starts_with("不允许"), "{role:?} {sql}: {why}");
        }
        // Inspecting stays open: the checks and a setting read without a value.
        let ok: String = conn.query_row("PRAGMA quick_check(10)", [], |r| r.get(0)).expect("quick_check");
        assert_eq!(ok, "ok");
        let _: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("user_version");
    }
    let why = refused(org.store.conn(), "ATTACH DATABASE ':memory:' AS other");
    assert_eq!(why, "不允许附加其他数据库文件，未做任何改动。");
}

#[test]
fn secrets_are_read_by_no_role_without_a_use_for_them() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    // The administrator's connection reads the data key's record and the seals' keys…
    org.store.conn().query_row("SELECT check_value FROM field_key", [], |_| Ok(())).expect("admin reads the record");
    org.store.conn().prepare("SELECT secret FROM ballot_seal_key").expect("admin counts with the seals");
    for role in [Role::Clerk, Role::Supervisor, Role::Judge, Role::Expert] {
        org.store.act_as(acting(role)).expect("act");
        let conn = org.store.conn();
        for sql in [
            "SELECT check_value FROM field_key",
            "SELECT recovery_sealed FROM field_key",
            "SELECT secret FROM ballot_seal_key",
            "SELECT password_hash FROM account",
            "SELECT * FROM account",
        ] {
            let why = refused(conn, sql);
            assert!(why.contains("无权查看"), "{role:?} {sql}: {why}");
        }
        let err = conn.execute("DELETE FROM ballot_seal_key", []).expect_err("nobody but the administrator");
        assert!(err.to_string().contains("not authorized"), "{role:?}: {err}");
    }
    // …but no one's reads a password hash, the administrator's neither.
    org.store.act_as(acting(Role::Admin)).expect("act");
    let why = refused(org.store.conn(), "SELECT password_hash FROM account");
    assert_eq!(why, "管理员账号无权查看“账号”。");
    // Votes: the judge's own ballot and the administrator's count, nobody else's.
    for role in [Role::Clerk, Role::Supervisor, Role::Expert] {
        org.store.act_as(acting(role)).expect("act");
        let why = refused(org.store.conn(), "SELECT ballot_id FROM contest_vote");
        assert_eq!(why, format!("{}账号无权查看“家风家训评选”。", role.label()));
        // The work a vote is for reads as nothing (SQLite's own foreign-key check reads it).
        let per_work: Option<i64> = org
            .store
            .conn()
            .query_row("SELECT max(work_id) FROM contest_vote", [], |r| r.get(0))
            .expect("reads as NULL");
        assert_eq!(per_work, None);
    }
    // A judge's own statements read no vote either: the ballot service reads theirs.
    org.store.act_as(acting(Role::Judge)).expect("act");
    let why = refused(org.store.conn(), "SELECT work_id FROM contest_vote WHERE ballot_id = 1");
    assert_eq!(why, "评委账号无权查看“家风家训评选”。");
}

/// Two units, two mottos each, a judge of each; one vote a ballot, the round open.
fn open_round(store: &volunteer_desk::store::Store) -> (Vec<i64>, Vec<(String, String)>) {
    use volunteer_desk::domain::contest::{Category, CategoryRules};
    use volunteer_desk::store::contest::judges::{
        JudgeOrganisation, JudgeRole, NewJudge, add_judge, issue_login_slips,
    };
    use volunteer_desk::store::contest::rounds::open_initial;
    use volunteer_desk::store::contest::set_rules;
    use volunteer_desk::store::contest::works::add_work;
    use volunteer_desk::store::units::{NewUnit, insert_unit};
    let conn = store.conn();
    let admin = Actor::command_line();
    let units = ["市财政局", "市教育局"]
        .map(|name| insert_unit(conn, &NewUnit { name: name.into(), party_members: 50 }).expect("unit"));
    let rules = CategoryRules { shortlist: 1, ballot_quota: 1, ..Category::Motto.default_rules() };
    set_rules(conn, &admin, Category::Motto, &rules).expect("rules");
    let mottos = ["家和万事兴，邻里互助情谊长", "勤俭节约好家风", "读书明理知荣辱", "孝老爱亲敬长辈"];
    let works = mottos
        .iter()
        .enumerate()
        .map(|(i, text)| {
            add_work(conn, &admin, &common::work(Category::Motto, units[i / 2], text, "2017-06-01")).expect("work").0
        })
        .collect();
    let mut logins = Vec::new();
    for (unit, name) in units.iter().zip(["赵评委", "钱评委"]) {
        let judge = NewJudge {
            name: name.into(),
            organisation: JudgeOrganisation::Unit(*unit),
            title: "机关党委专职副书记".into(),
            role: JudgeRole::Initial,
        };
        let id = add_judge(conn, &admin, &judge).expect("judge");
        let slip = issue_login_slips(conn, &admin, &[id]).expect("slip").remove(0);
        logins.push((slip.login, slip.password));
    }
    open_initial(conn, &admin, Category::Motto).expect("open");
    (works, logins)
}

#[test]
fn a_judge_reads_votes_only_through_their_own_ballot() {
    use volunteer_desk::domain::contest::Category;
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    let (works, logins) = open_round(&org.store);
    let judge = |store: &mut volunteer_desk::store::Store, i: usize| {
        let (login, password) = &logins[i];
        let signed = sign_in(store.conn(), login, password).expect("sign in");
        store.act_as(signed.actor).expect("act");
    };
    // The first judge (市财政局) votes for a work of 市教育局 and hands the ballot in.
    judge(&mut org.store, 0);
    org.store.submit_ballot_with(Category::Motto, &[works[2]]).expect("submitted");

    // The second judge's statements cannot see it, however asked…
    judge(&mut org.store, 1);
    for sql in [
        "SELECT ballot_id, work_id FROM contest_vote",
        "SELECT count(*) FROM contest_vote",
        "SELECT work_id FROM contest_vote WHERE ballot_id = 1",
        "SELECT b.judge_id FROM contest_ballot b WHERE EXISTS (SELECT 1 FROM contest_vote v WHERE v.ballot_id = b.id)",
    ] {
        assert_eq!(refused(org.store.conn(), sql), "评委账号无权查看“家风家训评选”。", "{sql}");
    }
    // …while their own ballot loads, saves and is handed in.
    let view = org.store.my_ballot(Category::Motto).expect("own ballot");
    assert_eq!(view.works.iter().map(|w| w.work_id).collect::<Vec<_>>(), works[..2], "回避: 市教育局's own not listed");
    assert_eq!(view.ticked, 0, "the other judge's vote is not theirs");
    let saved = org.store.save_draft(Category::Motto, &[works[0]]).expect("draft");
    assert_eq!((saved.ticked, saved.left), (1, 0));
    let again = org.store.my_ballot(Category::Motto).expect("own ballot again");
    assert_eq!(again.works.iter().filter(|w| w.ticked).map(|w| w.work_id).collect::<Vec<_>>(), [works[0]]);
    org.store.submit_ballot_with(Category::Motto, &[works[0]]).expect("handed in");
    // The statements the service prepared for the judge's own ballot opened nothing else.
    assert_eq!(refused(org.store.conn(), "SELECT count(*) FROM contest_vote"), "评委账号无权查看“家风家训评选”。");

    // The administrator counts them (after the round: the service refuses an open round's tally).
    org.store.act_as(Actor::command_line()).expect("admin");
    let votes: i64 =
        org.store.conn().query_row("SELECT count(*) FROM contest_vote", [], |r| r.get(0)).expect("counted");
    assert_eq!(votes, 2);
}

#[test]
fn log_in_and_ones_own_password_change_still_read_the_hash() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    let account = NewAccount {
        login: "clerk".into(),
        display_name: "录入甲".into(),
        role: Role::Clerk,
        unit_id: None,
        password: "first-pass1".into(),
    };
    create_account(org.store.conn(), &account).expect("account");
    org.store.act_for_nobody().expect("gate");
    let refusal = refused(org.store.conn(), "SELECT password_hash FROM account");
    assert_eq!(refusal, "请先登录。");
    let signed = sign_in(org.store.conn(), "clerk", "first-pass1").expect("log in");
    org.store.act_as(signed.actor.clone()).expect("act");
    change_own_password(org.store.conn(), &signed.actor, "first-pass1", "second-pass2").expect("own password");
    refused(org.store.conn(), "SELECT password_hash FROM account");
    org.store.act_for_nobody().expect("gate");
    sign_in(org.store.conn(), "clerk", "second-pass2").expect("the new password");
}
