//! The 日历 tab driven through egui_kittest: a day click creates an activity, sign-ups past
//! capacity join the waiting list, and the demo's July 2017 is on the calendar.

use crate::Settle as _;
use crate::common;
use crate::type_into;

use chrono::{Datelike as _, Duration};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use volunteer_desk::store::activities::list_activities;
use volunteer_desk::store::recruitment::{SignupStatus, roster};
use volunteer_desk::store::{self, Store};
use volunteer_desk::ui::{App, fonts, strings as s};

/// 市水利局 with its 支队 and 张三, 李四 in it.
fn seeded(path: &std::path::Path) -> Store {
    let org = common::org_at(path, "市水利局", 57, "ZD-21", "水利局支队");
    for (i, name) in ["张三", "李四"].into_iter().enumerate() {
        let first17 = format!("33038119800{}01121", i + 1);
        org.volunteer(org.detachment, &format!("ZY0000{i}"), name, &first17, &format!("1380000000{i}"));
    }
    org.store
}

fn harness(store: Store, year: i32, month: u32) -> Harness<'static, App> {
    crate::settled(Harness::builder().with_size([1400.0, 1000.0]).with_context_setup(fonts::install).build_eframe(
        move |_cc| {
            let mut app = common::signed_in_app(store);
            app.show_calendar_month(year, month);
            app
        },
    ))
}

fn choose(harness: &mut Harness<'static, App>, combo: &str, option: &str) {
    harness.get_by_role_and_label(Role::ComboBox, combo).click();
    harness.settle();
    harness.get_by_label(option).click();
    harness.settle();
}

#[test]
fn a_day_click_creates_an_activity_and_sign_ups_past_capacity_wait() {
    let dir = tempfile::tempdir().expect("dir");
    let day = volunteer_desk::clock::today() + Duration::days(40);
    let mut harness = harness(seeded(&dir.path().join("c.sqlite3")), day.year(), day.month());

    harness.get_by_label(&day.day().to_string()).click();
    harness.settle();
    type_into(&mut harness, s::FIELD_ACTIVITY_NAME, "巡河护水");
    choose(&mut harness, s::FIELD_ORGANISER, "水利局支队");
    choose(&mut harness, s::FIELD_CATEGORY, "五水共治");
    type_into(&mut harness, s::FIELD_CAPACITY, "1");
    harness.get_by_label(s::SAVE).click();
    harness.settle();

    let conn_activities = |h: &Harness<'static, App>| {
        list_activities(h.state().store().conn(), "2000-01-01 00:00", "2100-01-01 00:00").expect("list")
    };
    let saved = conn_activities(&harness);
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].starts_at, format!("{} 09:00", day.format("%Y-%m-%d")));
    assert_eq!((saved[0].capacity, saved[0].category.as_str()), (Some(1), "五水共治"));

    // The activity is on its day; open it and sign two people up for one place.
    harness.get_by_label("09:00 巡河护水").click();
    harness.settle();
    harness.get_by_label(s::PUBLISH).click();
    harness.settle();
    type_into(&mut harness, s::SIGN_UP_VOLUNTEER, "zs");
    harness.get_by_label_contains("报名：张三 ZY").click();
    harness.settle();
    type_into(&mut harness, s::SIGN_UP_VOLUNTEER, "ls");
    harness.get_by_label_contains("候补报名：李四 ZY").click();
    harness.settle();
    harness.get_by_label("名额已满，已加入候补名单");
    harness.get_by_label("候补1");

    let list = roster(harness.state().store().conn(), saved[0].id).expect("roster");
    let statuses: Vec<(&str, SignupStatus)> = list.iter().map(|e| (e.name.as_str(), e.status)).collect();
    assert_eq!(statuses, [("张三", SignupStatus::Confirmed), ("李四", SignupStatus::Waiting)]);

    // 张三 withdraws: 李四 moves up.
    harness.get_all_by_label(s::WITHDRAW).next().expect("withdraw button").click();
    harness.settle();
    // 退出 names the person and asks; nothing changes until confirmed.
    harness.get_by_label_contains("让 张三 ZY");
    let list = roster(harness.state().store().conn(), saved[0].id).expect("roster");
    assert_eq!((list[0].name.as_str(), list[0].status), ("张三", SignupStatus::Confirmed));
    harness.get_by_label(s::CONFIRM_WITHDRAW_SIGNUP).click();
    harness.settle();
    let list = roster(harness.state().store().conn(), saved[0].id).expect("roster");
    assert_eq!(list[0].name, "李四");
    assert_eq!(list[0].status, SignupStatus::Confirmed);
}

#[test]
fn july_2017_shows_the_demo_activities_and_the_occasions() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store::open(&dir.path().join("demo.sqlite3")).expect("open");
    volunteer_desk::demo::load_demo(&mut store, volunteer_desk::clock::now()).expect("demo");
    let mut harness = harness(store, 2017, 7);
    harness.settle();
    harness.get_by_label_contains("党员志愿服务活动月");
    harness.get_by_label("建党节");
    harness.get_by_label("08:00 建党96周年党员志愿服务集中行动");
    harness.get_by_label("15:00 晚高峰文明交通劝导");

    harness.get_by_label(s::LIST_VIEW).click();
    harness.settle();
    assert_eq!(harness.get_all_by_role(Role::Link).count(), 12, "the twelve July activities of the demo");
}

#[test]
fn the_calendar_opens_on_the_month_of_the_windows_clock() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store::open(&dir.path().join("demo.sqlite3")).expect("open");
    volunteer_desk::demo::load_demo(&mut store, volunteer_desk::clock::now()).expect("demo");
    let mut harness = crate::settled(
        Harness::builder().with_size([1400.0, 1000.0]).with_context_setup(fonts::install).build_eframe(move |_cc| {
            let mut app = common::signed_in_app(store);
            app.set_clock(common::at("2017-07-10 09:30"));
            app.show_tab(volunteer_desk::ui::Tab::Calendar);
            app
        }),
    );
    harness.settle();
    // No month was chosen: the window's clock, not the wall clock, says which to show.
    harness.get_by_label("建党节");
    harness.get_by_label("08:00 建党96周年党员志愿服务集中行动");
}
