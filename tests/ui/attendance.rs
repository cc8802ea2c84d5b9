//! The 签到 tab driven through egui_kittest: the keyboard-only desk, its choices and questions
//! (it decides nothing on a guess), the live list of open sessions, and an honour grant.

use crate::Settle as _;
use crate::common;

use common::at;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use volunteer_desk::domain::Minutes;
use volunteer_desk::store::Store;
use volunteer_desk::store::activities::insert_activity;
use volunteer_desk::store::ledger::{LedgerOf, ledger, totals};
use volunteer_desk::store::recruitment::{SignupStatus, roster, sign_up};
use volunteer_desk::ui::{App, Tab, fonts, strings as s};

/// 市民政局 with its 支队, 张三 and 李四, and an activity on 2026-11-29 08:00–11:00 that 张三
/// signed up for.
fn seeded(path: &std::path::Path) -> (Store, i64, i64) {
    let (org, zhang, li, _) = seeded_org(path);
    (org.store, zhang, li)
}

fn seeded_org(path: &std::path::Path) -> (common::Org, i64, i64, i64) {
    let org = common::org_at(path, "市民政局", 47, "ZD-13", "民政局支队");
    let zhang = org.volunteer(org.detachment, "ZY00001", "张三", "33038119790101123", "13700000000");
    let li = org.volunteer(org.detachment, "ZY00002", "李四", "33038119790201123", "13700000001");
    let mut a = common::new_activity(org.detachment, "HD2026-001", "2026-11-29 08:00", "2026-11-29 11:00", Some(10));
    a.name = "敬老院陪护".into();
    a.category = "助老助残".into();
    let activity = insert_activity(org.store.conn(), &a).expect("activity");
    common::publish(org.store.conn(), activity);
    sign_up(org.store.conn(), activity, zhang, at("2026-11-20 09:00")).expect("sign up");
    (org, zhang, li, activity)
}

/// Opens the desk on 敬老院陪护 (among all activities when its sign-in is not open now).
fn open_desk(harness: &mut Harness<'static, App>) {
    harness.settle();
    if let Some(all) = harness.query_by_label(s::SHOW_ALL_ACTIVITIES) {
        all.click();
        harness.settle();
    }
    harness.get_by_role_and_label(Role::ComboBox, s::DESK_ACTIVITY).click();
    harness.settle();
    harness.get_by_label_contains("敬老院陪护").click();
    harness.settle();
}

fn type_at_desk(harness: &mut Harness<'static, App>, text: &str) {
    harness.get_by_role_and_label(Role::TextInput, s::DESK_SEARCH).type_text(text);
    harness.settle();
}

/// Opens 时数台账 and picks `person` from what `query` finds.
pub(crate) fn open_ledger_of(harness: &mut Harness<'static, App>, query: &str, person: &str) {
    harness.get_by_label(s::SECTION_LEDGER).click();
    harness.settle();
    let field = harness.get_by_role_and_label(Role::TextInput, s::LEDGER_OF);
    field.focus();
    field.type_text(query);
    harness.settle();
    harness.get_by_label(person).click();
    harness.settle();
}

fn press(harness: &mut Harness<'static, App>, key: egui::Key) {
    harness.key_press(key);
    harness.settle();
}

fn sessions(harness: &Harness<'static, App>) -> i64 {
    let conn = harness.state().store().conn();
    conn.query_row("SELECT count(*) FROM credit_session", [], |r| r.get(0)).expect("count")
}

fn harness(store: Store) -> Harness<'static, App> {
    crate::settled(Harness::builder().with_size([1400.0, 900.0]).with_context_setup(fonts::install).build_eframe(
        move |_cc| {
            let mut app = common::signed_in_app(store);
            app.show_tab(Tab::Attendance);
            app.set_clock(at("2026-11-29 08:05"));
            app
        },
    ))
}

#[test]
fn the_desk_works_from_the_keyboard_alone() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, zhang, _) = seeded(&dir.path().join("a.sqlite3"));
    let mut harness = harness(store);
    harness.get_by_role_and_label(Role::ComboBox, s::DESK_ACTIVITY).click();
    harness.settle();
    harness.get_by_label_contains("敬老院陪护").click();
    harness.settle();

    // The search field has the focus: type and press Enter.
    harness.get_by_role_and_label(Role::TextInput, s::DESK_SEARCH).type_text("zs");
    harness.settle();
    harness.key_press(egui::Key::Enter);
    harness.settle();
    assert!(harness.get_all_by_label("张三 ZY00001 ·0000 签到 08:05").count() >= 1, "the desk says who signed in");
    harness.get_by_label_contains("正在服务（1 人）");

    harness.state_mut().set_clock(at("2026-11-29 10:35"));
    harness.get_by_role_and_label(Role::TextInput, s::DESK_SEARCH).type_text("zhangsan");
    harness.settle();
    harness.key_press(egui::Key::Enter);
    harness.settle();
    assert!(harness.get_all_by_label("张三 ZY00001 ·0000 签退，本次 2:30（小时:分钟）").count() >= 1);
    let entries = ledger(harness.state().store().conn(), LedgerOf::Volunteer(zhang)).expect("ledger");
    assert_eq!(totals(&entries), (Minutes(150), Minutes(0)));

    // The ledger shows the credit.
    crate::attendance::open_ledger_of(&mut harness, "zs", "张三 ZY00001 ·0000（市民政局）");
    harness.get_by_label_contains("张三 的时数台账（小时:分钟）：服务信用时数 2:30");
    harness.get_by_label("2026-11-29 08:05 – 10:35");
}

#[test]
fn honour_hours_are_granted_with_a_reason() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, zhang, li) = seeded(&dir.path().join("a.sqlite3"));
    let mut harness = harness(store);
    harness.get_by_label(s::SECTION_GRANT).click();
    harness.settle();
    for query in ["zs", "ls"] {
        let field = harness.get_by_role_and_label(Role::TextInput, s::ADD_GRANTEE);
        field.focus();
        field.type_text(query);
        harness.settle();
        harness.get_by_label_contains("＋").click();
        harness.settle();
    }
    for (label, text) in
        [(s::GRANT_HOURS, "2.5"), (s::SERVICE_DATE, "2017-03-05"), (s::GRANT_REASON, "系统启用前学雷锋服务补录")]
    {
        let field = harness.get_by_role_and_label(Role::TextInput, label);
        field.focus();
        field.type_text(text);
        harness.settle();
    }
    harness.get_by_label(s::GRANT).click();
    harness.settle();
    harness.get_by_label_contains("已为 2 人登记荣誉时数 2.5 小时");
    for id in [zhang, li] {
        let entries = ledger(harness.state().store().conn(), LedgerOf::Volunteer(id)).expect("ledger");
        assert_eq!(totals(&entries), (Minutes(0), Minutes(150)));
        assert_eq!(entries[0].detail, "系统启用前学雷锋服务补录");
    }
}

#[test]
fn two_matches_ask_for_a_choice_and_nothing_is_written_until_one_is_chosen() {
    let dir = tempfile::tempdir().expect("dir");
    let (org, zhang, _, activity) = seeded_org(&dir.path().join("a.sqlite3"));
    let song = org.volunteer(org.detachment, "ZY00003", "张松", "33038119800301123", "13700008842");
    sign_up(org.store.conn(), activity, song, at("2026-11-20 09:05")).expect("sign up");
    let mut harness = harness(org.store);
    open_desk(&mut harness);

    type_at_desk(&mut harness, "zs");
    press(&mut harness, egui::Key::Enter);
    assert_eq!(sessions(&harness), 0, "Enter among two matches signs nobody in");
    harness.get_by_label_contains("有 2 人符合");
    // Told apart by 编号 and phone tail, with their standing on the roster.
    harness.get_by_label("签到：张三 ZY00001 ·0000");
    harness.get_by_label("签到：张松 ZY00003 ·8842");
    assert_eq!(harness.get_all_by_label("市民政局 · 已报名").count(), 2);

    press(&mut harness, egui::Key::ArrowDown);
    press(&mut harness, egui::Key::ArrowDown);
    assert_eq!(sessions(&harness), 0, "choosing writes nothing");
    press(&mut harness, egui::Key::Enter);
    let signed_in = harness.state().store().signed_in_now(activity).expect("signed in");
    let ids: Vec<i64> = signed_in.iter().map(|entry| entry.volunteer_id).collect();
    assert_eq!(ids, [song], "the second candidate, and only they");
    assert!(!ids.contains(&zhang));
    assert!(harness.get_all_by_label("张松 ZY00003 ·8842 签到 08:05").count() >= 1);
}

#[test]
fn a_walk_in_past_capacity_is_asked_and_warned_and_signed_in_only_on_confirmation() {
    let dir = tempfile::tempdir().expect("dir");
    let (org, zhang, li, activity) = seeded_org(&dir.path().join("a.sqlite3"));
    org.store.conn().execute("UPDATE activity SET capacity = 1 WHERE id = ?1", [activity]).expect("capacity 1");
    let mut harness = harness(org.store);
    open_desk(&mut harness);

    type_at_desk(&mut harness, "ls");
    harness.get_by_label("签到：李四 ZY00002 ·0001");
    harness.get_by_label("市民政局 · 未报名");
    press(&mut harness, egui::Key::Enter);
    harness.get_by_label(s::WALK_IN_QUESTION);
    harness.get_by_label("李四 ZY00002 ·0001（市民政局）");
    harness.get_by_label("未报名本活动；将超出名额 2/1");
    assert_eq!(sessions(&harness), 0, "asked, nothing written");
    let on_roster = |h: &Harness<'static, App>| {
        roster(h.state().store().conn(), activity)
            .expect("roster")
            .iter()
            .filter(|e| e.status == SignupStatus::Confirmed)
            .map(|e| e.volunteer_id)
            .collect::<Vec<_>>()
    };
    assert_eq!(on_roster(&harness), [zhang]);

    // Cancelling leaves everything as it was.
    harness.get_by_label(s::CANCEL).click();
    harness.settle();
    assert!(harness.query_by_label(s::WALK_IN_QUESTION).is_none());
    assert_eq!((sessions(&harness), on_roster(&harness)), (0, vec![zhang]));

    type_at_desk(&mut harness, "ls");
    press(&mut harness, egui::Key::Enter);
    harness.get_by_label(s::WALK_IN_CONFIRM).click();
    harness.settle();
    assert_eq!(sessions(&harness), 1);
    assert_eq!(on_roster(&harness), [zhang, li], "a walk-in past capacity, as confirmed");
    assert!(harness.get_all_by_label("李四 ZY00002 ·0001 签到 08:05").count() >= 1);
}

#[test]
fn a_sign_in_a_day_early_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, _, _) = seeded(&dir.path().join("a.sqlite3"));
    let mut harness = harness(store);
    harness.state_mut().set_clock(at("2026-11-28 08:05"));
    open_desk(&mut harness);
    type_at_desk(&mut harness, "zs");
    press(&mut harness, egui::Key::Enter);
    assert_eq!(sessions(&harness), 0);
    assert_eq!(
        harness.query_all_by_label_contains("活动尚未开始签到：2026-11-29 06:00 起可签到").count(),
        2,
        "at the desk too"
    );

    // The setting, kept in the file: opened a whole day before, the same sign-in is taken.
    harness.get_by_role_and_label(Role::TextInput, s::SIGN_IN_OPENS_BEFORE).focus();
    harness.settle();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_role_and_label(Role::TextInput, s::SIGN_IN_OPENS_BEFORE).type_text("24");
    harness.settle();
    harness.get_by_label(s::SAVE).click();
    harness.settle();
    assert_eq!(harness.state().store().sign_in_opens_before().expect("setting"), Minutes(24 * 60));
    type_at_desk(&mut harness, "zs");
    press(&mut harness, egui::Key::Enter);
    assert_eq!(sessions(&harness), 1, "from 2026-11-28 08:00 on");
}

#[test]
fn the_open_sessions_are_live() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, _, _) = seeded(&dir.path().join("a.sqlite3"));
    let mut harness = harness(store);
    open_desk(&mut harness);
    harness.get_by_label(&format!("{}（0）", s::SECTION_OPEN));
    type_at_desk(&mut harness, "zs");
    press(&mut harness, egui::Key::Enter);
    harness.get_by_label(&format!("{}（1）", s::SECTION_OPEN)).click();
    harness.settle();
    harness.get_by_label(s::SESSION_RUNNING);
    assert!(harness.query_by_label(s::RESOLVE).is_none(), "running: not resolved yet");

    // The next day the session is flagged, without any change to the data.
    harness.state_mut().set_clock(at("2026-11-30 09:00"));
    harness.settle();
    harness.get_by_label(s::RESOLVE);
    assert!(harness.query_by_label(s::SESSION_RUNNING).is_none());
}

#[test]
fn a_stale_sign_out_button_signs_that_session_out_or_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, zhang, _) = seeded(&dir.path().join("a.sqlite3"));
    let mut harness = harness(store);
    open_desk(&mut harness);
    type_at_desk(&mut harness, "zs");
    press(&mut harness, egui::Key::Enter);
    harness.get_by_label_contains("正在服务（1 人）");

    // Another desk signs 张三 out while this window's list still shows him.
    let conn = harness.state().store().conn();
    let session: i64 = conn
        .query_row("SELECT id FROM credit_session WHERE volunteer_id = ?1", [zhang], |r| r.get(0))
        .expect("session");
    volunteer_desk::store::attendance::sign_out(conn, session, at("2026-11-29 09:00"), at("2026-11-29 09:00"))
        .expect("signed out elsewhere");

    harness.state_mut().set_clock(at("2026-11-29 09:30"));
    harness.get_by_label(s::SIGN_OUT).click();
    harness.settle();
    assert_eq!(sessions(&harness), 1, "the old list's 签退 never signs anyone in again");
    let open: i64 = harness
        .state()
        .store()
        .conn()
        .query_row("SELECT count(*) FROM credit_session WHERE signed_out_at IS NULL", [], |r| r.get(0))
        .expect("open");
    assert_eq!(open, 0);
    assert!(harness.get_all_by_label_contains("该签到已签退").count() >= 1, "the refusal is said");
}

/// The desk's message: the green line beside the box, repeated in the status bar.
fn desk_lines(harness: &Harness<'static, App>, text: &str) -> usize {
    harness.query_all_by_label(text).count()
}

#[test]
fn a_name_that_matches_nobody_is_said_and_the_last_outcome_goes_when_typing_starts() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, _, _) = seeded(&dir.path().join("a.sqlite3"));
    let mut harness = harness(store);
    open_desk(&mut harness);
    type_at_desk(&mut harness, "zs");
    press(&mut harness, egui::Key::Enter);
    let signed_in = "张三 ZY00001 ·0000 签到 08:05";
    assert_eq!(desk_lines(&harness, signed_in), 2, "beside the box and in the status bar");

    type_at_desk(&mut harness, "欧阳娜娜");
    assert_eq!(desk_lines(&harness, signed_in), 1, "the desk's line goes once typing starts");
    press(&mut harness, egui::Key::Enter);
    harness.get_by_label("查无此人：欧阳娜娜");
    assert_eq!(sessions(&harness), 1, "nothing written");
    // Correcting the name clears the refusal too.
    type_at_desk(&mut harness, "x");
    assert!(harness.query_by_label("查无此人：欧阳娜娜").is_none());
}

#[test]
fn the_picker_lists_what_signs_in_now_then_today_and_the_rest_on_request() {
    let dir = tempfile::tempdir().expect("dir");
    let (org, _, _, _) = seeded_org(&dir.path().join("a.sqlite3"));
    let mut later = common::new_activity(org.detachment, "HD2026-002", "2026-11-29 14:00", "2026-11-29 16:00", None);
    later.name = "下午义诊".into();
    insert_activity(org.store.conn(), &later).expect("later today");
    let mut past = common::new_activity(org.detachment, "HD2026-003", "2026-11-20 09:00", "2026-11-20 11:00", None);
    past.name = "上周清扫".into();
    insert_activity(org.store.conn(), &past).expect("last week");
    let mut harness = harness(org.store);
    harness.get_by_role_and_label(Role::ComboBox, s::DESK_ACTIVITY).click();
    harness.settle();
    let open = harness.get_by_label_contains("敬老院陪护").rect();
    let today = harness.get_by_label_contains("下午义诊").rect();
    assert!(open.max.y <= today.min.y, "open now comes first");
    harness.get_by_label(s::ACTIVITIES_OPEN_NOW);
    harness.get_by_label(s::ACTIVITIES_LATER_TODAY);
    assert!(harness.query_by_label_contains("上周清扫").is_none(), "a past activity waits behind 显示全部活动");
    harness.get_by_label_contains("下午义诊").click();
    harness.settle();
    assert!(harness.query_by_label(s::ACTIVITIES_OPEN_NOW).is_none(), "chosen: the list closed");
    harness.get_by_label(s::SHOW_ALL_ACTIVITIES).click();
    harness.settle();
    harness.get_by_role_and_label(Role::ComboBox, s::DESK_ACTIVITY).click();
    harness.settle();
    harness.get_by_label_contains("上周清扫").click();
    harness.settle();
    assert!(harness.query_by_label(s::ACTIVITIES_OPEN_NOW).is_none());
    harness.get_by_role_and_label(Role::TextInput, s::DESK_SEARCH);
}

#[test]
fn a_refusal_is_shown_at_the_desk_beside_the_box() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, _, _) = seeded(&dir.path().join("a.sqlite3"));
    let mut harness = harness(store);
    open_desk(&mut harness);
    harness.state_mut().set_clock(at("2026-11-29 11:30"));
    type_at_desk(&mut harness, "zs");
    press(&mut harness, egui::Key::Enter);
    assert_eq!(sessions(&harness), 0);
    let field = harness.get_by_role_and_label(Role::TextInput, s::DESK_SEARCH).rect();
    let refusal = "活动已结束（2026-11-29 11:00），不能再签到";
    let at_desk = harness
        .query_all_by_label(refusal)
        .any(|node| node.rect().min.y >= field.max.y && node.rect().min.y < field.max.y + 80.0);
    assert!(at_desk, "the refusal stands right under the box");
}

#[test]
fn the_walk_in_question_answers_to_enter_and_esc() {
    let dir = tempfile::tempdir().expect("dir");
    let (org, _, li, activity) = seeded_org(&dir.path().join("a.sqlite3"));
    let mut harness = harness(org.store);
    open_desk(&mut harness);
    type_at_desk(&mut harness, "ls");
    press(&mut harness, egui::Key::Enter);
    harness.get_by_label(s::WALK_IN_QUESTION);
    press(&mut harness, egui::Key::Escape);
    assert!(harness.query_by_label(s::WALK_IN_QUESTION).is_none(), "Esc cancels");
    assert_eq!(sessions(&harness), 0);

    type_at_desk(&mut harness, "ls");
    press(&mut harness, egui::Key::Enter);
    harness.get_by_label(s::WALK_IN_QUESTION);
    assert!(harness.get_by_label(s::WALK_IN_CONFIRM).is_focused(), "the focus starts on the confirming button");
    press(&mut harness, egui::Key::Enter);
    assert!(harness.query_by_label(s::WALK_IN_QUESTION).is_none());
    let signed_in = harness.state().store().signed_in_now(activity).expect("signed in");
    assert_eq!(signed_in.iter().map(|e| e.volunteer_id).collect::<Vec<_>>(), [li], "Enter confirmed");
}

#[test]
fn the_same_person_typed_again_within_ten_minutes_is_asked_before_signing_out() {
    let dir = tempfile::tempdir().expect("dir");
    let (org, zhang, _, activity) = seeded_org(&dir.path().join("a.sqlite3"));
    let mut harness = harness(org.store);
    open_desk(&mut harness);
    type_at_desk(&mut harness, "zs");
    press(&mut harness, egui::Key::Enter);
    harness.state_mut().set_clock(at("2026-11-29 08:06"));
    type_at_desk(&mut harness, "zs");
    press(&mut harness, egui::Key::Enter);
    harness.get_by_label(s::EARLY_SIGN_OUT_QUESTION);
    harness.get_by_label("张三 ZY00001 ·0000 于 08:05 签到，还不到 10 分钟。现在签退吗？");
    // Enter keeps the sign-in: a name typed twice is the likelier slip.
    press(&mut harness, egui::Key::Enter);
    assert!(harness.query_by_label(s::EARLY_SIGN_OUT_QUESTION).is_none());
    let open = |h: &Harness<'static, App>| h.state().store().signed_in_now(activity).expect("signed in").len();
    assert_eq!(open(&harness), 1, "still signed in");

    type_at_desk(&mut harness, "zs");
    press(&mut harness, egui::Key::Enter);
    harness.get_by_label(s::CONFIRM_SIGN_OUT).click();
    harness.settle();
    assert_eq!(open(&harness), 0);
    // The message speaks as the ledger does: 0:01, not 0.0 小时.
    assert!(harness.query_all_by_label("张三 ZY00001 ·0000 签退，本次 0:01（小时:分钟）").count() >= 1);
    crate::attendance::open_ledger_of(&mut harness, "zs", "张三 ZY00001 ·0000（市民政局）");
    harness.get_by_label_contains("服务信用时数 0:01");
    let entries = ledger(harness.state().store().conn(), LedgerOf::Volunteer(zhang)).expect("ledger");
    assert_eq!(totals(&entries), (Minutes(1), Minutes(0)));
}
