//! The sign-in desk decides nothing on a guess: a walk-in (and a run past capacity) only with
//! the caller's explicit consent, and sign-in only inside its window (issue #16).

use crate::common;

use common::at;
use volunteer_desk::domain::Minutes;
use volunteer_desk::store::attendance::{
    DeskAction, DeskPlan, NewSession, desk_plan, record_session, set_sign_in_opens_before, sign_in_opens_before,
    sign_in_or_out,
};
use volunteer_desk::store::ledger::{flagged_open_sessions, open_sessions};
use volunteer_desk::store::recruitment::{SignupStatus, Standing, WalkIn, WalkInConsent, roster, sign_up, withdraw};

/// 市民政局's 支队 with 队员1…3 and an activity of capacity 2 on 2026-11-29 08:00–11:00, where
/// 队员1 and 队员2 hold the places and 队员3 signed up and withdrew.
struct Full {
    org: common::Org,
    people: Vec<i64>,
    activity: i64,
}

fn full() -> Full {
    // 市民政局's 支队 with 队员1…3, as the ledger's tests have it.
    let crate::ledger::Desk { org, people } = crate::ledger::desk();
    let activity = org.activity(org.detachment, "HD1", "2026-11-29 08:00", "2026-11-29 11:00", Some(2));
    let conn = org.store.conn();
    common::publish(conn, activity);
    sign_up(conn, activity, people[2], at("2026-11-20 09:00")).expect("sign up 3");
    sign_up(conn, activity, people[0], at("2026-11-20 09:01")).expect("sign up 1");
    withdraw(conn, activity, people[2], at("2026-11-21 09:00")).expect("3 withdraws");
    sign_up(conn, activity, people[1], at("2026-11-22 09:00")).expect("sign up 2");
    Full { org, people, activity }
}

fn rows(conn: &rusqlite::Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).expect("count")
}

#[test]
fn a_withdrawn_person_is_signed_in_only_with_consent_and_capacity_named() {
    let f = full();
    let conn = f.org.store.conn();
    let desk = common::operator("录入员");
    let now = at("2026-11-29 08:10");
    let withdrawn = f.people[2];
    let question = WalkIn { standing: Standing::Withdrawn, over_capacity: Some((3, 2)) };
    assert_eq!(desk_plan(conn, f.activity, withdrawn, now).expect("plan"), DeskPlan::WalkIn(question));
    assert_eq!(question.question(), "已退出本活动；将超出名额 3/2");
    assert_eq!(desk_plan(conn, f.activity, f.people[0], now).expect("plan"), DeskPlan::SignIn);

    let (signups, sessions) = (rows(conn, "signup"), rows(conn, "credit_session"));
    let plain = sign_in_or_out(conn, f.activity, withdrawn, now, WalkInConsent::default(), &desk)
        .expect_err("no silent re-adding");
    assert!(plain.to_string().contains("已退出本活动，须确认现场报名"), "{plain}");
    let walk_in_only = WalkInConsent { walk_in: true, over_capacity_accepted: false };
    let over = sign_in_or_out(conn, f.activity, withdrawn, now, walk_in_only, &desk).expect_err("past capacity");
    assert!(over.to_string().contains("将超出名额 3/2"), "{over}");
    assert_eq!((rows(conn, "signup"), rows(conn, "credit_session")), (signups, sessions), "nothing written");

    let done = sign_in_or_out(conn, f.activity, withdrawn, now, WalkInConsent::CONFIRMED, &desk).expect("in");
    assert_eq!(done, DeskAction::SignedIn);
    let confirmed: Vec<i64> = roster(conn, f.activity)
        .expect("roster")
        .into_iter()
        .filter(|e| e.status == SignupStatus::Confirmed)
        .map(|e| e.volunteer_id)
        .collect();
    assert_eq!(confirmed.len(), 3, "the walk-in took a place past capacity, as confirmed");
    assert!(confirmed.contains(&withdrawn));
}

#[test]
fn a_sign_in_outside_the_window_is_refused_with_the_reason() {
    let f = full();
    let conn = f.org.store.conn();
    let desk = common::operator("录入员");
    let me = f.people[0];
    assert_eq!(sign_in_opens_before(conn).expect("setting"), Minutes(120), "two hours unless changed");

    let day_early = sign_in_or_out(conn, f.activity, me, at("2026-11-28 08:00"), WalkInConsent::default(), &desk)
        .expect_err("a day early");
    assert_eq!(day_early.to_string(), "活动尚未开始签到：2026-11-29 06:00 起可签到");
    let plan = desk_plan(conn, f.activity, me, at("2026-11-28 08:00")).expect_err("the plan says so too");
    assert_eq!(plan.to_string(), day_early.to_string());
    let over = sign_in_or_out(conn, f.activity, me, at("2026-11-29 11:00"), WalkInConsent::default(), &desk)
        .expect_err("at the end");
    assert!(over.to_string().starts_with("活动已结束"), "{over}");
    assert_eq!(rows(conn, "credit_session"), 0);

    set_sign_in_opens_before(conn, Minutes(30)).expect("half an hour");
    let early = sign_in_or_out(conn, f.activity, me, at("2026-11-29 07:00"), WalkInConsent::default(), &desk)
        .expect_err("the setting is honoured");
    assert!(early.to_string().contains("07:30 起可签到"), "{early}");
    sign_in_or_out(conn, f.activity, me, at("2026-11-29 07:30"), WalkInConsent::default(), &desk).expect("opens");
    let too_long = set_sign_in_opens_before(conn, Minutes(25 * 60)).expect_err("more than a day");
    assert!(too_long.to_string().contains("提前签到时间应在0至24小时之间"), "{too_long}");

    // A past session recorded afterwards (the importer, a typed-in record) is not the desk's:
    // the window does not apply to it.
    let past = NewSession {
        activity_id: f.activity,
        volunteer_id: f.people[1],
        signed_in_at: at("2026-11-29 08:00"),
        signed_out_at: Some(at("2026-11-29 11:00")),
        recorded_by: "录入员".into(),
    };
    record_session(conn, &past, at("2026-12-02 09:00")).expect("historical sessions still import");
}

#[test]
fn a_running_session_is_listed_open_and_flagged_once_its_day_is_over() {
    let f = full();
    let conn = f.org.store.conn();
    let desk = common::operator("录入员");
    sign_in_or_out(conn, f.activity, f.people[0], at("2026-11-29 08:00"), WalkInConsent::default(), &desk).expect("in");
    let today = open_sessions(conn, at("2026-11-29 09:00").date()).expect("open");
    assert_eq!(today.len(), 1, "a running session is listed");
    assert!(!today[0].flagged);
    assert!(flagged_open_sessions(conn, at("2026-11-29 09:00").date()).expect("flagged").is_empty());
    let next_day = open_sessions(conn, at("2026-11-30 09:00").date()).expect("open");
    assert!(next_day[0].flagged, "left open past its day");
}

#[test]
fn only_an_administrator_changes_the_sign_in_window() {
    use volunteer_desk::domain::access::Role;
    use volunteer_desk::store::accounts::{NewAccount, create_account, sign_in};
    let mut f = full();
    let clerk = NewAccount {
        login: "luru".into(),
        display_name: "录入员".into(),
        role: Role::Clerk,
        unit_id: None,
        password: "secret-1".into(),
    };
    create_account(f.org.store.conn(), &clerk).expect("account");
    let clerk = sign_in(f.org.store.conn(), "luru", "secret-1").expect("clerk");
    f.org.store.act_as(clerk.actor).expect("act");
    let err = f.org.store.set_sign_in_opens_before(Minutes(30)).expect_err("a clerk may not");
    assert!(err.to_string().contains("签到设置"), "{err}");
    assert_eq!(f.org.store.sign_in_opens_before().expect("setting"), Minutes(120), "unchanged");
    // The clerk still runs the desk: a walk-in with consent is theirs to record.
    let done = f.org.store.sign_in_or_out(f.activity, f.people[2], at("2026-11-29 08:00"), WalkInConsent::CONFIRMED);
    assert_eq!(done.expect("the desk"), DeskAction::SignedIn);
}

#[test]
fn someone_signed_in_and_not_out_is_not_deleted() {
    use volunteer_desk::store::volunteers::set_in_recycle_bin;
    let f = full();
    let conn = f.org.store.conn();
    let desk = common::operator("录入员");
    let serving = f.people[0];
    sign_in_or_out(conn, f.activity, serving, at("2026-11-29 08:10"), WalkInConsent::default(), &desk).expect("in");
    let refused = set_in_recycle_bin(conn, serving, true).expect_err("still serving");
    assert!(refused.to_string().contains("尚未签退"), "{refused}");
    let deleted: Option<String> =
        conn.query_row("SELECT deleted_at FROM volunteer WHERE id = ?1", [serving], |r| r.get(0)).expect("row");
    assert_eq!(deleted, None);
    sign_in_or_out(conn, f.activity, serving, at("2026-11-29 10:10"), WalkInConsent::default(), &desk).expect("out");
    set_in_recycle_bin(conn, serving, true).expect("deleted once signed out");
}

#[test]
fn the_desk_does_not_sign_out_minutes_after_a_sign_in_without_asking() {
    use volunteer_desk::store::attendance::sign_out;
    let f = full();
    let conn = f.org.store.conn();
    let desk = common::operator("录入员");
    let me = f.people[0];
    sign_in_or_out(conn, f.activity, me, at("2026-11-29 08:00"), WalkInConsent::default(), &desk).expect("in");
    let session: i64 = conn.query_row("SELECT id FROM credit_session", [], |r| r.get(0)).expect("session");
    let plan = desk_plan(conn, f.activity, me, at("2026-11-29 08:09")).expect("plan");
    assert_eq!(plan, DeskPlan::ConfirmSignOut { session_id: session, signed_in_at: at("2026-11-29 08:00") });
    let again = sign_in_or_out(conn, f.activity, me, at("2026-11-29 08:09"), WalkInConsent::default(), &desk)
        .expect_err("typed again by mistake");
    assert_eq!(again.to_string(), "该志愿者 08:00 刚签到，10 分钟内签退须先确认");
    let open: i64 = conn
        .query_row("SELECT count(*) FROM credit_session WHERE signed_out_at IS NULL", [], |r| r.get(0))
        .expect("open");
    assert_eq!(open, 1, "still signed in");
    // Ten minutes on, the toggle signs out as before; asked and confirmed, the session's own
    // sign-out takes it at once.
    assert_eq!(desk_plan(conn, f.activity, me, at("2026-11-29 08:10")).expect("plan"), DeskPlan::SignOut);
    assert_eq!(sign_out(conn, session, at("2026-11-29 08:01"), at("2026-11-29 08:01")).expect("confirmed"), Minutes(1));
}
