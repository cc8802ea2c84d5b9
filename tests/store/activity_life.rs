//! An activity through its life (issue #33): its state follows the clock, a finished one is
//! locked except for its record and photos, and the rules the window relied on are the store's.

use crate::common;

use common::at;
use volunteer_desk::domain::activity_life::ActivityState;
use volunteer_desk::store::activities::{
    NewActivity, activity_state, add_photo, insert_activity, list_activities, publish_activity, save_record,
};
use volunteer_desk::store::recruitment::{sign_up, withdraw};

/// 市水利局's 支队 with 队员1 and 队员2, and its river patrol on 2017-07-02 08:00–11:00,
/// recruiting from 2017-06-20 09:00 until 2017-07-01 18:00.
struct Patrol {
    org: common::Org,
    people: [i64; 2],
    activity: i64,
}

fn patrol() -> Patrol {
    let org = common::org("市水利局", 57, "ZD-21", "ZD-21队");
    let people = [1, 2].map(|i| {
        org.volunteer(
            org.detachment,
            &format!("ZY0000{i}"),
            &format!("队员{i}"),
            &format!("3303811980010{i}121"),
            &format!("1380000000{i}"),
        )
    });
    let activity = insert_activity(org.store.conn(), &river(org.detachment)).expect("activity");
    Patrol { org, people, activity }
}

fn river(team: i64) -> NewActivity {
    NewActivity {
        name: "巡河护水".into(),
        recruit_from: Some(at("2017-06-20 09:00")),
        recruit_until: Some(at("2017-07-01 18:00")),
        ..common::new_activity(team, "HD2017-001", "2017-07-02 08:00", "2017-07-02 11:00", Some(5))
    }
}

fn error(result: Result<impl std::fmt::Debug, volunteer_desk::Error>) -> String {
    result.expect_err("refused").to_string()
}

#[test]
fn the_state_follows_the_clock() {
    let p = patrol();
    let conn = p.org.store.conn();
    let state = |now: &str| activity_state(conn, p.activity, at(now)).expect("state");
    assert_eq!(state("2017-06-21 09:00"), ActivityState::Unpublished);
    publish_activity(conn, p.activity, at("2017-06-21 09:00")).expect("publish");
    let seen: Vec<&str> =
        ["2017-06-21 10:00", "2017-07-01 18:01", "2017-07-02 09:00", "2017-07-02 11:00", "2026-12-07 09:00"]
            .into_iter()
            .map(|now| state(now).label())
            .collect();
    assert_eq!(seen, ["招募中", "招募结束", "进行中", "已结束", "已结束"]);
    // The list computes the same from the row it read.
    let row = list_activities(conn, "2017-07-01 00:00", "2017-08-01 00:00").expect("list").remove(0);
    assert_eq!(row.state(at("2017-07-01 18:01")), Some(ActivityState::RecruitmentClosed));
    assert_eq!(row.state(at("2026-12-07 09:00")), Some(ActivityState::Finished));
}

#[test]
fn a_finished_activity_is_locked_but_takes_its_record_and_photos() {
    let p = patrol();
    let store = &p.org.store;
    let conn = store.conn();
    publish_activity(conn, p.activity, at("2017-06-21 09:00")).expect("publish");
    sign_up(conn, p.activity, p.people[0], at("2017-06-25 10:00")).expect("sign up");
    let later = at("2026-12-07 09:00");

    let mut renamed = river(p.org.detachment);
    renamed.name = "巡河护水（改）".into();
    renamed.recruit_until = None;
    assert!(error(store.save_activity(Some(p.activity), &renamed, later)).contains("活动已结束，不能再修改"));
    assert!(error(publish_activity(conn, p.activity, later)).contains("活动已结束，不能再发布招募"));
    assert!(error(store.cancel_activity(p.activity, "补录取消", later)).contains("活动已结束，不能再取消"));
    assert!(error(withdraw(conn, p.activity, p.people[0], later)).contains("活动已结束，不能再退出报名"));
    assert!(error(sign_up(conn, p.activity, p.people[1], later)).contains("招募已截止"));
    let row = list_activities(conn, "2017-07-01 00:00", "2017-08-01 00:00").expect("list").remove(0);
    assert_eq!((row.name.as_str(), row.cancelled_at, row.confirmed), ("巡河护水", None, 1), "nothing changed");

    // What happened may still be written down.
    store.save_record(p.activity, "清理河道垃圾 12 袋", Some(40), later).expect("record");
    store.add_photo(p.activity, "现场.png", &[0x89, b'P', b'N', b'G'], later).expect("photo");
}

#[test]
fn a_cancelled_activity_is_locked_too() {
    let p = patrol();
    let store = &p.org.store;
    let conn = store.conn();
    publish_activity(conn, p.activity, at("2017-06-21 09:00")).expect("publish");
    sign_up(conn, p.activity, p.people[0], at("2017-06-25 10:00")).expect("sign up");
    store.cancel_activity(p.activity, "台风预警", at("2017-06-30 10:00")).expect("cancel");
    let now = at("2017-06-30 11:00");
    assert!(error(withdraw(conn, p.activity, p.people[0], now)).contains("活动已取消，不能再退出报名"));
    assert!(error(store.save_activity(Some(p.activity), &river(p.org.detachment), now)).contains("活动已取消"));
    assert!(error(publish_activity(conn, p.activity, now)).contains("活动已取消"));
}

#[test]
fn a_sign_up_to_an_unpublished_activity_is_refused() {
    let p = patrol();
    let conn = p.org.store.conn();
    let err = error(sign_up(conn, p.activity, p.people[0], at("2017-06-25 10:00")));
    assert_eq!(err, "活动尚未发布招募，不能报名");
    publish_activity(conn, p.activity, at("2017-06-25 10:00")).expect("publish");
    sign_up(conn, p.activity, p.people[0], at("2017-06-25 10:01")).expect("published: accepted");
}

#[test]
fn a_recruit_until_in_the_past_is_refused_on_save_and_publish_in_chinese() {
    let p = patrol();
    let store = &p.org.store;
    let now = at("2017-07-01 19:00");
    let err = error(publish_activity(store.conn(), p.activity, now));
    assert_eq!(err, "招募截止 2017年7月1日（周六）18:00 已经过去，请设为 2017年7月1日（周六）19:00 以后");

    let mut new = river(p.org.detachment);
    new.starts_at = at("2017-07-09 08:00");
    new.ends_at = at("2017-07-09 11:00");
    assert!(error(store.save_activity(None, &new, now)).contains("招募截止 2017年7月1日（周六）18:00 已经过去"));
    // An edit that sets it anew is held to the same; one that keeps it as it was is not.
    let mut moved = river(p.org.detachment);
    moved.recruit_until = Some(at("2017-07-01 12:00"));
    assert!(error(store.save_activity(Some(p.activity), &moved, now)).contains("已经过去"));
    let mut renamed = river(p.org.detachment);
    renamed.place = "塘河南岸".into();
    store.save_activity(Some(p.activity), &renamed, now).expect("the stored 招募截止 kept");
    new.recruit_until = Some(at("2017-07-08 18:00"));
    store.save_activity(None, &new, now).expect("ahead: accepted");
}

#[test]
fn a_record_or_a_photo_before_the_activity_starts_is_refused() {
    let p = patrol();
    let store = &p.org.store;
    let before = at("2017-07-02 07:59");
    let record = error(store.save_record(p.activity, "ZY00001", None, before));
    assert_eq!(record, "活动 2017年7月2日（周日）08:00 才开始，开始前不能填写活动记录");
    let photo = error(add_photo(store.conn(), p.activity, "现场.png", &[0x89], before));
    assert_eq!(photo, "活动 2017年7月2日（周日）08:00 才开始，开始前不能添加照片");
    save_record(store.conn(), p.activity, "巡查 3 公里", Some(12), at("2017-07-02 08:00")).expect("once started");
}

#[test]
fn the_contact_phone_is_checked_and_kept() {
    let p = patrol();
    let store = &p.org.store;
    let now = at("2017-06-21 09:00");
    let mut a = river(p.org.detachment);
    a.contact_phone = "0577 88881234".into();
    let err = error(store.save_activity(Some(p.activity), &a, now));
    assert!(err.contains("联系电话“0577 88881234”格式不对"), "{err}");
    a.contact_phone = " 0577-88881234 ".into();
    store.save_activity(Some(p.activity), &a, now).expect("an office number");
    let row = list_activities(store.conn(), "2017-07-01 00:00", "2017-08-01 00:00").expect("list").remove(0);
    assert_eq!(row.contact_phone, "0577-88881234");
    let raw = store.conn().execute("UPDATE activity SET contact_phone = ?1", [&"0".repeat(31)]);
    assert!(volunteer_desk::Error::from(raw.expect_err("too long")).to_string().contains("联系电话不能超过 30 个字符"));
}
