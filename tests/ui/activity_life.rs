//! An activity through its life in the 日历 tab (issue #33): changes and cancellations told to
//! those signed up, the waiting list said plainly, and a finished activity offering no action
//! its state refuses.

use crate::Settle as _;
use crate::common;
use crate::type_into;

use common::at;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use volunteer_desk::store::activities::{NewActivity, insert_activity, list_activities, publish_activity};
use volunteer_desk::store::recruitment::{SignupStatus, roster, sign_up};
use volunteer_desk::store::{self, Store};
use volunteer_desk::ui::{App, fonts, strings as s};

const NOW: &str = "2026-12-10 09:00";

/// 市卫健委 with 张三 (·0000), 李四 (·0001) and 叶佳 (·0002), and its 义诊服务 on
/// 2026-12-20 10:00–12:00 at 市民广场, published, with `capacity` places and those of
/// `signed_up` signed up in that order.
fn clinic(path: &std::path::Path, capacity: u32, signed_up: &[usize]) -> (Store, i64) {
    let org = common::org_at(path, "市卫健委", 80, "ZD-31", "卫健委支队");
    let people: Vec<i64> = ["张三", "李四", "叶佳"]
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let first17 = format!("33038119800{}01121", i + 1);
            org.volunteer(org.detachment, &format!("ZY0000{i}"), name, &first17, &format!("1380000000{i}"))
        })
        .collect();
    let activity = NewActivity {
        name: "义诊服务".into(),
        place: "市民广场".into(),
        category: "医疗卫生".into(),
        recruit_from: Some(at("2026-12-01 09:00")),
        recruit_until: Some(at("2026-12-19 18:00")),
        contact_phone: "0577-88881234".into(),
        ..common::new_activity(org.detachment, "HD2026-001", "2026-12-20 10:00", "2026-12-20 12:00", Some(capacity))
    };
    let conn = org.store.conn();
    let id = insert_activity(conn, &activity).expect("activity");
    publish_activity(conn, id, at("2026-12-01 09:00")).expect("publish");
    for (n, &who) in signed_up.iter().enumerate() {
        sign_up(conn, id, people[who], at("2026-12-02 09:00") + chrono::Duration::minutes(n as i64)).expect("sign up");
    }
    (org.store, id)
}

/// The window at `now` on the 日历 tab's list of `year`-`month`, with `name` opened.
fn opened(store: Store, now: &str, (year, month): (i32, u32), name: &str) -> Harness<'static, App> {
    let now = at(now);
    let mut harness = crate::settled(
        Harness::builder().with_size([1400.0, 1000.0]).with_context_setup(fonts::install).build_eframe(move |_cc| {
            let mut app = common::signed_in_app(store);
            app.set_clock(now);
            app.show_calendar_month(year, month);
            app
        }),
    );
    harness.settle();
    harness.get_by_label(s::LIST_VIEW).click();
    harness.settle();
    harness.get_by_role_and_label(Role::Link, name).click();
    harness.settle();
    harness
}

fn statuses(harness: &Harness<'static, App>, id: i64) -> Vec<(String, SignupStatus)> {
    let list = roster(harness.state().store().conn(), id).expect("roster");
    list.into_iter().map(|e| (e.name, e.status)).collect()
}

#[test]
fn a_new_time_asks_first_naming_those_signed_up_and_gives_the_change_notice() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, id) = clinic(&dir.path().join("c.sqlite3"), 3, &[0]);
    let mut harness = opened(store, NOW, (2026, 12), "义诊服务");
    harness.get_by_label(s::EDIT_ACTIVITY).click();
    harness.settle();
    type_into(&mut harness, s::FIELD_STARTS_AT, "2026-12-20 14:00");
    type_into(&mut harness, s::FIELD_ENDS_AT, "2026-12-20 16:00");
    harness.get_by_label(s::SAVE).click();
    harness.settle();

    // Asked first, naming who is signed up; nothing saved yet.
    harness.get_by_label(s::CHANGE_TIME_OR_PLACE);
    harness.get_by_label_contains("已报名的 1 人：张三 ·0000");
    let starts = |h: &Harness<'static, App>| {
        list_activities(h.state().store().conn(), "2026-12-01 00:00", "2027-01-01 00:00").expect("list")[0]
            .starts_at
            .clone()
    };
    assert_eq!(starts(&harness), "2026-12-20 10:00");
    harness.get_by_label(s::CONFIRM_CHANGE).click();
    harness.settle();
    assert_eq!(starts(&harness), "2026-12-20 14:00");

    harness.get_by_label(s::TIME_CHANGE_NOTICE);
    harness.get_by_label_contains(
        "时间：由 2026年12月20日（周日）10:00 至 12:00 改为 2026年12月20日（周日）14:00 至 16:00",
    );
    harness.get_by_label_contains("请已报名的志愿者留意：张三 ·0000");
    harness.get_by_label(s::COPY_NOTICE).click();
    harness.settle();
    assert_eq!(statuses(&harness, id).len(), 1);
}

#[test]
fn cancelling_asks_for_the_reason_in_the_dialog_and_gives_the_cancellation_notice() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, _) = clinic(&dir.path().join("c.sqlite3"), 3, &[0, 1]);
    let mut harness = opened(store, NOW, (2026, 12), "义诊服务");
    harness.get_by_label(s::CANCEL_ACTIVITY).click();
    harness.settle();
    harness.get_by_label_contains("已报名的 2 人会收到取消通知：张三 ·0000、李四 ·0001");

    // No reason: refused in the dialog, which stays open.
    harness.get_by_label(s::CONFIRM_CANCEL_ACTIVITY).click();
    harness.settle();
    harness.get_by_label(s::CANCEL_REASON_MISSING);
    let cancelled = |h: &Harness<'static, App>| {
        let rows = list_activities(h.state().store().conn(), "2026-12-01 00:00", "2027-01-01 00:00").expect("list");
        rows[0].cancel_reason.clone()
    };
    assert_eq!(cancelled(&harness), None);

    type_into(&mut harness, s::CANCEL_REASON, "场地检修");
    harness.get_by_label(s::CONFIRM_CANCEL_ACTIVITY).click();
    harness.settle();
    assert_eq!(cancelled(&harness).as_deref(), Some("场地检修"));
    harness.get_by_label(s::CANCELLATION_NOTICE);
    harness.get_by_label_contains("【活动取消】义诊服务");
    harness.get_by_label_contains("取消原因：场地检修");
    harness.get_by_label_contains(&format!("{}：张三 ·0000、李四 ·0001", s::PEOPLE_TO_TELL));
}

#[test]
fn at_capacity_the_button_says_waiting_list_and_the_waiting_are_numbered() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, id) = clinic(&dir.path().join("c.sqlite3"), 1, &[0]);
    let mut harness = opened(store, NOW, (2026, 12), "义诊服务");

    // Someone on the roster is shown as such, not silently left out.
    type_into(&mut harness, s::SIGN_UP_VOLUNTEER, "zs");
    harness.get_by_label("张三 ZY00000 ·0000（市卫健委） 已报名");
    assert!(harness.query_by_label_contains("报名：张三").is_none());

    type_into(&mut harness, s::SIGN_UP_VOLUNTEER, "ls");
    harness.get_by_label_contains(&format!("{}李四 ZY00001", s::WAITLIST_SIGN_UP_PREFIX)).click();
    harness.settle();
    type_into(&mut harness, s::SIGN_UP_VOLUNTEER, "yj");
    harness.get_by_label_contains(&format!("{}叶佳 ZY00002", s::WAITLIST_SIGN_UP_PREFIX)).click();
    harness.settle();
    harness.get_by_label("候补1");
    harness.get_by_label("候补2");
    use SignupStatus::*;
    let expected = [("张三", Confirmed), ("李四", Waiting), ("叶佳", Waiting)].map(|(n, st)| (n.to_string(), st));
    assert_eq!(statuses(&harness, id), expected);
}

#[test]
fn enter_on_a_single_match_signs_up() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, id) = clinic(&dir.path().join("c.sqlite3"), 3, &[]);
    let mut harness = opened(store, NOW, (2026, 12), "义诊服务");
    type_into(&mut harness, s::SIGN_UP_VOLUNTEER, "ls");
    harness.key_press(egui::Key::Enter);
    harness.settle();
    assert_eq!(statuses(&harness, id), [("李四".to_string(), SignupStatus::Confirmed)]);
    // The box keeps the keyboard: the next name is typed without a click.
    harness.event(egui::Event::Text("zs".to_string()));
    harness.settle();
    harness.key_press(egui::Key::Enter);
    harness.settle();
    let people: Vec<String> = statuses(&harness, id).into_iter().map(|(name, _)| name).collect();
    assert_eq!(people, ["李四", "张三"]);
}

#[test]
fn a_withdrawal_names_the_person_promoted_with_a_notice_to_send() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, id) = clinic(&dir.path().join("c.sqlite3"), 1, &[0, 2]);
    let mut harness = opened(store, NOW, (2026, 12), "义诊服务");
    harness.get_all_by_label(s::WITHDRAW).next().expect("withdraw button").click();
    harness.settle();
    harness.get_by_label(s::CONFIRM_WITHDRAW_SIGNUP).click();
    harness.settle();
    harness.get_by_label_contains("叶佳 已递补");
    harness.get_by_label(s::PROMOTION_NOTICE);
    harness.get_by_label_contains("【候补递补】叶佳 ·0002：您报名的“义诊服务”已有名额空出");
    assert_eq!(statuses(&harness, id)[0], ("叶佳".to_string(), SignupStatus::Confirmed));
}

#[test]
fn a_2017_activity_offers_no_publishing_cancelling_or_withdrawing() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store::open(&dir.path().join("demo.sqlite3")).expect("open");
    volunteer_desk::demo::load_demo(&mut store, at(NOW)).expect("demo");
    let harness = opened(store, NOW, (2017, 7), "建党96周年党员志愿服务集中行动");
    assert!(harness.get_all_by_label("已结束").count() > 1, "in the list and in the window");
    harness.get_by_label(s::EXPORT_ROSTER);
    for refused in [s::PUBLISH, s::CANCEL_ACTIVITY, s::WITHDRAW, s::EDIT_ACTIVITY] {
        assert!(harness.query_by_label(refused).is_none(), "{refused} offered on a finished activity");
    }
    // Its record may still be written.
    harness.get_by_label(s::SAVE_RECORD);
}

#[test]
fn the_form_takes_a_contact_phone_and_refuses_a_malformed_one() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, _) = clinic(&dir.path().join("c.sqlite3"), 3, &[]);
    let mut harness = opened(store, NOW, (2026, 12), "义诊服务");
    harness.get_by_label(s::EDIT_ACTIVITY).click();
    harness.settle();
    type_into(&mut harness, s::FIELD_CONTACT_PHONE, "0577 8888");
    harness.get_by_label(s::SAVE).click();
    harness.settle();
    harness.get_by_label_contains("联系电话“0577 8888”格式不对");
    type_into(&mut harness, s::FIELD_CONTACT_PHONE, "0577-86661234");
    harness.get_by_label(s::SAVE).click();
    harness.settle();
    let rows = list_activities(harness.state().store().conn(), "2026-12-01 00:00", "2027-01-01 00:00").expect("list");
    assert_eq!(rows[0].contact_phone, "0577-86661234");
    harness.get_by_label("0577-86661234");
}
