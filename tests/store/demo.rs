//! The demo data reproduces the newspaper's 2017 figures from stored sessions and grants.

use chrono::NaiveDateTime;
use volunteer_desk::demo::load_demo;
use volunteer_desk::store::{self, stats::year_stats};

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-29 09:00", "%Y-%m-%d %H:%M").expect("time")
}

fn demo_store() -> (tempfile::TempDir, store::Store) {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store::open(&dir.path().join("demo.sqlite3")).expect("open");
    load_demo(&mut store, now()).expect("demo");
    (dir, store)
}

#[test]
fn reproduces_the_newspaper_figures_for_2017() {
    let (_dir, store) = demo_store();
    let stats = year_stats(store.conn(), 2017).expect("stats");
    assert_eq!((stats.teams, stats.volunteers, stats.activities), (78, 2319, 30));
    assert_eq!(stats.credit.to_string(), "196.5");
    assert_eq!(stats.honor.to_string(), "222.9");
    let json = serde_json::to_string(&stats.to_json()).expect("json");
    assert_eq!(json, r#"{"teams":78,"volunteers":2319,"activities":30,"credit_hours":196.5,"honor_hours":222.9}"#);
}

#[test]
fn unit_hours_add_up_to_the_city_figures() {
    let (_dir, store) = demo_store();
    let units = volunteer_desk::store::stats::unit_hours(store.conn(), 2017).expect("units");
    assert_eq!(units.len(), 52);
    let credit: volunteer_desk::domain::Minutes = units.iter().map(|u| u.credit).sum();
    let honor: volunteer_desk::domain::Minutes = units.iter().map(|u| u.honor).sum();
    assert_eq!((credit.to_string(), honor.to_string()), ("196.5".to_string(), "222.9".to_string()));
    assert!(units.iter().filter(|u| u.credit.0 > 0).count() > 15, "spread over many units");
}

#[test]
fn is_spread_like_real_data() {
    let (_dir, store) = demo_store();
    let conn = store.conn();
    let one = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
    assert_eq!(one("SELECT count(*) FROM team WHERE kind = '总队'"), 1);
    assert_eq!(one("SELECT count(*) FROM team WHERE kind = '支队'"), 51);
    assert_eq!(one("SELECT count(*) FROM team WHERE kind = '专业服务队'"), 26);
    assert!(one("SELECT count(*) FROM credit_session") > 100, "many sessions, not one big one");
    assert!(one("SELECT max(credit_minutes) FROM credit_session_minutes") <= 180);
    assert!(one("SELECT count(*) FROM honor_grant") > 50);
    assert!(one("SELECT count(*) FROM activity WHERE substr(starts_at, 6, 2) = '07'") >= 10, "July is busiest");
    assert!(one("SELECT count(DISTINCT category) FROM activity") >= 10);
    assert!(one("SELECT count(DISTINCT unit_id) FROM volunteer") == 52);
    assert_eq!(
        one("SELECT count(*) FROM unit u
             WHERE (SELECT count(*) FROM volunteer v WHERE v.unit_id = u.id) > u.party_members"),
        0
    );
    assert!(one("SELECT count(*) FROM activity WHERE mode = '分散'") >= 1);
    assert_eq!(
        one("SELECT count(*) FROM credit_session c WHERE NOT EXISTS
               (SELECT 1 FROM signup s WHERE s.activity_id = c.activity_id AND s.volunteer_id = c.volunteer_id)"),
        0,
        "everyone who attended had signed up"
    );
}

#[test]
fn is_deterministic_and_only_for_an_empty_database() {
    let (_dir_a, mut a) = demo_store();
    let (_dir_b, b) = demo_store();
    let digest = |s: &store::Store| -> String {
        s.conn()
            .query_row(
                "SELECT group_concat(name || birth_date || id_masked || phone_masked || coalesce(team_id, ''), ';')
                 FROM volunteer",
                [],
                |r| r.get(0),
            )
            .expect("digest")
    };
    assert_eq!(digest(&a), digest(&b));
    let err = load_demo(&mut a, now()).expect_err("second load");
    assert!(err.to_string().contains("只能载入空数据库"));
    assert_eq!(a.counts().expect("counts").volunteers, 2319);
}

#[test]
fn the_demo_is_for_an_administrator_and_a_file_with_nothing_of_its_own() {
    use volunteer_desk::domain::access::Role;
    use volunteer_desk::store::Actor;
    use volunteer_desk::store::contest::judges::{JudgeOrganisation, JudgeRole, NewJudge, add_judge};

    let dir = tempfile::tempdir().expect("dir");
    let mut store = store::open(&dir.path().join("demo.sqlite3")).expect("open");
    store.act_as(Actor { account_id: Some(9), name: "李录入".into(), role: Role::Clerk }).expect("clerk");
    assert!(load_demo(&mut store, now()).is_err(), "a clerk may not load the demo");
    store.act_as(Actor::command_line()).expect("admin");

    // A judge from 市文联 needs no unit: the registry is empty, the file is not.
    let judge = NewJudge {
        name: "周文".into(),
        organisation: JudgeOrganisation::Other("市文联".into()),
        title: String::new(),
        role: JudgeRole::Initial,
    };
    add_judge(store.conn(), &Actor::command_line(), &judge).expect("judge");
    let refused = load_demo(&mut store, now()).expect_err("refused");
    assert_eq!(refused.to_string(), "数据库中已有数据，示例数据只能载入空数据库");
    assert_eq!(store.counts().expect("counts").units, 0, "nothing of the demo was written");
}
