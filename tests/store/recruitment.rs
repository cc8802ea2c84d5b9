//! Activities and recruitment: capacity, the waiting list, refusals, cancellation.

use crate::common;

use common::{at, date};
use volunteer_desk::store::activities::{
    NewActivity, cancel_activity, delete_activity, insert_activity, list_activities, next_activity_code,
    publish_activity, service_categories, update_activity,
};
use volunteer_desk::store::recruitment::{SignupStatus, WalkInConsent, add_walk_in, roster, sign_up, withdraw};
use volunteer_desk::store::teams::dissolve_team;

/// A 支队 of 市水利局 with five volunteers (队员1…5).
struct World {
    org: common::Org,
    team: i64,
    people: Vec<i64>,
}

fn world() -> World {
    let org = common::org("市水利局", 57, "ZD-21", "ZD-21队");
    let people = (1..=5)
        .map(|i| {
            let first17 = format!("3303811980010{i}12{}", i % 2);
            org.volunteer(
                org.detachment,
                &format!("ZY0000{i}"),
                &format!("队员{i}"),
                &first17,
                &format!("1380000000{i}"),
            )
        })
        .collect();
    World { team: org.detachment, org, people }
}

/// A river patrol of `team` recruiting from 2017-06-20 09:00 to 2017-07-01 18:00.
fn activity(team: i64, code: &str, start: &str, end: &str, capacity: u32) -> NewActivity {
    NewActivity {
        name: format!("巡河{code}"),
        category: "巡河护水".into(),
        place: "温瑞塘河".into(),
        recruit_from: Some(at("2017-06-20 09:00")),
        recruit_until: Some(at("2017-07-01 18:00")),
        ..common::new_activity(team, code, start, end, Some(capacity))
    }
}

/// The activity, inserted and published when its recruitment opens (2017-06-20 09:00).
fn published(conn: &rusqlite::Connection, a: &NewActivity) -> i64 {
    let id = insert_activity(conn, a).expect("activity");
    publish_activity(conn, id, at("2017-06-20 09:00")).expect("publish");
    id
}

#[test]
fn past_capacity_goes_to_the_waiting_list_and_a_withdrawal_promotes_the_first() {
    let w = world();
    let conn = w.org.store.conn();
    let id = published(conn, &activity(w.team, "HD1", "2017-07-02 08:00", "2017-07-02 11:00", 2));
    let now = at("2017-06-25 10:00");
    let statuses: Vec<SignupStatus> =
        w.people[..4].iter().map(|&p| sign_up(conn, id, p, now).expect("sign up")).collect();
    use SignupStatus::*;
    assert_eq!(statuses, [Confirmed, Confirmed, Waiting, Waiting]);

    let promoted = withdraw(conn, id, w.people[0], at("2017-06-26 10:00")).expect("withdraw");
    assert_eq!(promoted, Some(w.people[2]), "first come, first served");
    let list = roster(conn, id).expect("roster");
    let summary: Vec<(i64, SignupStatus)> = list.iter().map(|e| (e.volunteer_id, e.status)).collect();
    assert_eq!(
        summary,
        [(w.people[1], Confirmed), (w.people[2], Confirmed), (w.people[3], Waiting), (w.people[0], Withdrawn)]
    );

    // Withdrawing from the waiting list promotes nobody.
    assert_eq!(withdraw(conn, id, w.people[3], at("2017-06-26 11:00")).expect("withdraw"), None);
    let err = update_activity(conn, id, &activity(w.team, "HD1", "2017-07-02 08:00", "2017-07-02 11:00", 1));
    assert!(err.expect_err("capacity below places taken").to_string().contains("不能少于已报名人数"));
}

#[test]
fn double_and_overlapping_sign_ups_are_refused() {
    let w = world();
    let conn = w.org.store.conn();
    let now = at("2017-06-25 10:00");
    let morning = published(conn, &activity(w.team, "HD1", "2017-07-02 08:00", "2017-07-02 11:00", 5));
    let late = published(conn, &activity(w.team, "HD2", "2017-07-02 10:30", "2017-07-02 12:00", 5));
    let after = published(conn, &activity(w.team, "HD3", "2017-07-02 11:00", "2017-07-02 12:00", 5));
    sign_up(conn, morning, w.people[0], now).expect("first");
    let twice = sign_up(conn, morning, w.people[0], now).expect_err("twice");
    assert!(twice.to_string().contains("不能重复报名"), "{twice}");
    let overlap = sign_up(conn, late, w.people[0], now).expect_err("overlap");
    assert!(overlap.to_string().contains("同一时段"), "{overlap}");
    sign_up(conn, after, w.people[0], now).expect("back-to-back is fine");

    let early = sign_up(conn, morning, w.people[1], at("2017-06-19 09:00")).expect_err("window not open");
    assert!(early.to_string().contains("尚未开始"));
    let closed = sign_up(conn, morning, w.people[1], at("2017-07-01 18:01")).expect_err("window closed");
    assert!(closed.to_string().contains("已截止"));
    // A walk-in at the desk gets in past capacity and past the window, once the desk says so.
    add_walk_in(conn, morning, w.people[2], at("2017-07-02 08:10"), WalkInConsent::CONFIRMED).expect("walk-in");
    assert_eq!(roster(conn, morning).expect("roster").len(), 2);
}

#[test]
fn an_activity_with_sign_ups_is_cancelled_never_deleted() {
    let w = world();
    let conn = w.org.store.conn();
    let kept = published(conn, &activity(w.team, "HD1", "2017-07-02 08:00", "2017-07-02 11:00", 5));
    let empty = published(conn, &activity(w.team, "HD2", "2017-07-03 08:00", "2017-07-03 11:00", 5));
    sign_up(conn, kept, w.people[0], at("2017-06-25 10:00")).expect("sign up");

    let err = delete_activity(conn, kept).expect_err("has sign-ups");
    assert!(err.to_string().contains("只能取消"), "{err}");
    let raw = conn.execute("DELETE FROM activity WHERE id = ?1", [kept]).expect_err("the schema refuses too");
    assert!(volunteer_desk::Error::from(raw).to_string().contains("只能取消"));
    assert!(cancel_activity(conn, kept, " ", at("2017-06-30 10:00")).is_err(), "a reason is required");
    cancel_activity(conn, kept, "台风预警", at("2017-06-30 10:00")).expect("cancel");
    let err = sign_up(conn, kept, w.people[1], at("2017-06-30 11:00")).expect_err("cancelled");
    assert!(err.to_string().contains("已取消"));
    delete_activity(conn, empty).expect("an untouched activity may go");

    let listed = list_activities(conn, "2017-07-01 00:00", "2017-08-01 00:00").expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].cancel_reason.as_deref(), Some("台风预警"));
}

#[test]
fn the_store_refuses_impossible_activities() {
    let w = world();
    let conn = w.org.store.conn();
    let mut a = activity(w.team, "HD1", "2017-07-02 08:00", "2017-07-02 11:00", 5);
    a.recruit_until = Some(at("2017-07-02 09:00"));
    assert!(insert_activity(conn, &a).expect_err("window").to_string().contains("招募截止须早于活动开始"));
    a.recruit_until = None;
    a.capacity = Some(0);
    assert!(insert_activity(conn, &a).expect_err("capacity").to_string().contains("招募人数须大于0"));
    a.capacity = Some(3);
    dissolve_team(conn, w.team, date("2017-06-01")).expect("dissolve");
    assert!(insert_activity(conn, &a).expect_err("dissolved").to_string().contains("撤销"));
    assert_eq!(next_activity_code(conn, 2017).expect("code"), "HD2017-001");
    assert!(service_categories(conn).expect("categories").iter().any(|c| c == "五水共治"));
}

#[test]
fn the_record_and_its_photos_are_kept_with_the_activity() {
    use volunteer_desk::store::activities::{add_photo, add_service_category, photos, record, save_record};
    let w = world();
    let conn = w.org.store.conn();
    let id = insert_activity(conn, &activity(w.team, "HD1", "2017-07-02 08:00", "2017-07-02 11:00", 5)).expect("a");
    assert_eq!(record(conn, id).expect("none yet"), None);
    let after = at("2017-07-02 12:00");
    save_record(conn, id, "清理河道垃圾 12 袋", Some(40), after).expect("record");
    save_record(conn, id, "清理河道垃圾 15 袋", Some(45), after).expect("rewritten");
    assert_eq!(record(conn, id).expect("record"), Some(("清理河道垃圾 15 袋".to_string(), Some(45))));
    let png = [0x89, b'P', b'N', b'G', 13, 10, 26, 10];
    add_photo(conn, id, "现场.png", &png, after).expect("photo");
    let kept = photos(conn, id).expect("photos");
    assert_eq!((kept.len(), kept[0].1.as_str(), kept[0].2.as_slice()), (1, "现场.png", png.as_slice()));
    // An untouched activity may be deleted, and its record and photos go with it.
    delete_activity(conn, id).expect("delete");
    assert!(photos(conn, id).expect("photos").is_empty());

    add_service_category(conn, "垃圾分类").expect("new category");
    assert!(service_categories(conn).expect("list").contains(&"垃圾分类".to_string()));
    assert!(add_service_category(conn, "  ").is_err());
}
