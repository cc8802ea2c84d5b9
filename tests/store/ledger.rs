//! 签到 and the ledger: credit from sign-in/sign-out, refusals, open sessions, corrections,
//! the late flag and the rounding.

use crate::common;

use common::{at, date};
use volunteer_desk::domain::Minutes;
use volunteer_desk::store::activities::{cancel_activity, update_activity};
use volunteer_desk::store::attendance::{
    DeskAction, LONG_DAY, NewHonorGrant, NewSession, correct_grant, correct_session, day_total, grant_honor,
    record_session, record_sessions, resolve_open_session, sign_in_or_out, sign_out,
};
use volunteer_desk::store::ledger::{EntryKind, LedgerOf, flagged_open_sessions, ledger, totals};
use volunteer_desk::store::recruitment::WalkInConsent;
use volunteer_desk::store::stats::year_stats;

const NOW: &str = "2026-11-29 12:00";

/// A 支队 of 市民政局 with three volunteers (队员1…3).
pub(crate) struct Desk {
    pub(crate) org: common::Org,
    pub(crate) people: Vec<i64>,
}

pub(crate) fn desk() -> Desk {
    let org = common::org("市民政局", 47, "ZD-13", "ZD-13队");
    let people = (1..=3)
        .map(|i| {
            org.volunteer(
                org.detachment,
                &format!("ZY0000{i}"),
                &format!("队员{i}"),
                &format!("33038119850{i}01122"),
                &format!("1390000000{i}"),
            )
        })
        .collect();
    Desk { org, people }
}

fn activity(d: &Desk, code: &str, start: &str, end: &str) -> i64 {
    d.org.activity(d.org.detachment, code, start, end, None)
}

fn session(activity_id: i64, volunteer_id: i64, from: &str, to: Option<&str>) -> NewSession {
    NewSession {
        activity_id,
        volunteer_id,
        signed_in_at: at(from),
        signed_out_at: to.map(at),
        recorded_by: "录入员".into(),
    }
}

#[test]
fn the_desk_signs_in_then_out_and_credit_is_clipped_to_the_activity() {
    let d = desk();
    let conn = d.org.store.conn();
    let a = activity(&d, "HD1", "2026-11-29 08:00", "2026-11-29 11:00");
    let me = d.people[0];
    assert_eq!(
        sign_in_or_out(conn, a, me, at("2026-11-29 07:40"), WalkInConsent::CONFIRMED, &common::operator("录入员"))
            .expect("in"),
        DeskAction::SignedIn
    );
    let out =
        sign_in_or_out(conn, a, me, at("2026-11-29 11:25"), WalkInConsent::default(), &common::operator("录入员"))
            .expect("out");
    assert_eq!(out, DeskAction::SignedOut(Minutes(180)), "07:40–11:25 at an activity of 08:00–11:00");
    let entries = ledger(conn, LedgerOf::Volunteer(me)).expect("ledger");
    assert_eq!(totals(&entries), (Minutes(180), Minutes(0)));
    let roster = volunteer_desk::store::recruitment::roster(conn, a).expect("roster");
    assert!(roster[0].walk_in, "a walk-in joins the roster");
}

#[test]
fn the_ledger_refuses_what_cannot_be_true() {
    let d = desk();
    let conn = d.org.store.conn();
    let now = at(NOW);
    let a = activity(&d, "HD1", "2017-07-01 08:00", "2017-07-01 11:00");
    let b = activity(&d, "HD2", "2017-07-01 10:00", "2017-07-01 12:00");
    let me = d.people[0];

    let reversed = record_session(conn, &session(a, me, "2017-07-01 10:00", Some("2017-07-01 09:00")), now);
    assert!(reversed.expect_err("reversed").to_string().contains("签退时间须晚于签到时间"));
    let future = record_session(conn, &session(a, me, "2026-11-29 13:00", None), now);
    assert!(future.expect_err("future").to_string().contains("不能晚于当前时间"));

    let open = record_session(conn, &session(a, me, "2017-07-01 08:00", None), now).expect("open");
    let second = record_session(conn, &session(b, me, "2017-07-01 10:30", None), now);
    assert!(second.expect_err("second open").to_string().contains("尚未签退"));
    let early = sign_out(conn, open, at("2017-07-01 07:59"), now);
    assert!(early.expect_err("out before in").to_string().contains("须晚于签到时间"));
    sign_out(conn, open, at("2017-07-01 10:30"), now).expect("sign out");
    let overlap = record_session(conn, &session(b, me, "2017-07-01 10:00", Some("2017-07-01 12:00")), now);
    assert!(overlap.expect_err("overlap").to_string().contains("重叠"));
    record_session(conn, &session(b, me, "2017-07-01 10:30", Some("2017-07-01 12:00")), now).expect("back to back");

    cancel_activity(conn, b, "下雨", now).expect("cancel");
    let cancelled = record_session(conn, &session(b, d.people[1], "2017-07-01 10:30", None), now);
    assert!(cancelled.expect_err("cancelled").to_string().contains("已取消"));

    let edit = conn.execute("UPDATE credit_session SET signed_out_at = '2017-07-01 11:00' WHERE id = ?1", [open]);
    assert!(volunteer_desk::Error::from(edit.expect_err("no edits")).to_string().contains("只能追加"));
    let typed = conn.execute("UPDATE credit_session SET credit_minutes = 600 WHERE id = ?1", [open]);
    assert!(volunteer_desk::Error::from(typed.expect_err("no typed credit")).to_string().contains("只能追加"));
    let stored: i64 = conn
        .query_row("SELECT credit_minutes FROM credit_session WHERE id = ?1", [open], |r| r.get(0))
        .expect("credit");
    assert_eq!(stored, 150, "08:00–10:30, computed by the schema");
}

#[test]
fn a_session_left_open_is_flagged_earns_nothing_and_is_resolved_within_the_cap() {
    let d = desk();
    let conn = d.org.store.conn();
    let now = at(NOW);
    let a = activity(&d, "HD1", "2017-07-01 08:00", "2017-07-01 11:00");
    let me = d.people[0];
    let open = record_session(conn, &session(a, me, "2017-07-01 08:00", None), now).expect("open");
    let flagged = flagged_open_sessions(conn, now.date()).expect("flagged");
    assert_eq!(flagged.len(), 1);
    assert_eq!((flagged[0].session_id, flagged[0].room), (open, Minutes(180)));
    assert_eq!(year_stats(conn, 2017).expect("stats").credit, Minutes(0), "an open session earns nothing");

    let over = resolve_open_session(conn, open, Minutes(200), "忘记签退", &common::operator("管理员"), now);
    assert!(over.expect_err("over the cap").to_string().contains("上限"));
    assert_eq!(flagged_open_sessions(conn, now.date()).expect("still flagged").len(), 1);
    resolve_open_session(conn, open, Minutes(150), "忘记签退，负责人证明服务至10:30", &common::operator("管理员"), now)
        .expect("resolve");
    assert!(flagged_open_sessions(conn, now.date()).expect("flagged").is_empty());
    assert_eq!(year_stats(conn, 2017).expect("stats").honor, Minutes(150));
    // The person can sign in elsewhere again.
    let b = activity(&d, "HD2", "2017-07-02 08:00", "2017-07-02 11:00");
    record_session(conn, &session(b, me, "2017-07-02 08:00", Some("2017-07-02 09:00")), now).expect("again");
}

#[test]
fn corrections_are_new_entries_with_reason_and_author() {
    let d = desk();
    let conn = d.org.store.conn();
    let now = at(NOW);
    let a = activity(&d, "HD1", "2017-07-01 08:00", "2017-07-01 11:00");
    let me = d.people[0];
    let s = record_session(conn, &session(a, me, "2017-07-01 08:00", Some("2017-07-01 09:00")), now).expect("s");
    correct_session(conn, s, Minutes(-20), "扫码时间有误", &common::operator("管理员"), now).expect("minus");
    let err =
        correct_session(conn, s, Minutes(-50), "再减", &common::operator("管理员"), now).expect_err("negative total");
    assert!(err.to_string().contains("不能为负"), "{err}");
    let grant = NewHonorGrant {
        volunteer_id: me,
        minutes: Minutes(60),
        service_date: date("2017-03-05"),
        reason: "系统启用前服务补录".into(),
        activity_id: None,
        granted_by: "管理员".into(),
    };
    let g = grant_honor(conn, &grant, now).expect("grant");
    correct_grant(conn, g, Minutes(-30), "重复登记一半", &common::operator("管理员"), now).expect("correct grant");

    let entries = ledger(conn, LedgerOf::Volunteer(me)).expect("ledger");
    let kinds: Vec<EntryKind> = entries.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EntryKind::Honor, EntryKind::HonorCorrection, EntryKind::Session, EntryKind::SessionCorrection]);
    assert_eq!(totals(&entries), (Minutes(40), Minutes(30)));
    let stats = year_stats(conn, 2017).expect("stats");
    assert_eq!((stats.credit, stats.honor), (Minutes(40), Minutes(30)));
    assert!(entries.iter().all(|e| !e.recorded_by.is_empty()));
    let delete = conn.execute("DELETE FROM credit_correction", []);
    assert!(volunteer_desk::Error::from(delete.expect_err("append-only")).to_string().contains("只能追加"));
}

#[test]
fn entries_after_ten_working_days_are_late_across_the_national_day_holiday() {
    let d = desk();
    let conn = d.org.store.conn();
    let a = activity(&d, "HD1", "2017-09-29 08:00", "2017-09-29 11:00");
    record_session(
        conn,
        &session(a, d.people[0], "2017-09-29 08:00", Some("2017-09-29 11:00")),
        at("2017-10-19 17:00"),
    )
    .expect("on time");
    record_session(
        conn,
        &session(a, d.people[1], "2017-09-29 08:00", Some("2017-09-29 11:00")),
        at("2017-10-20 09:00"),
    )
    .expect("late");
    let entries = ledger(conn, LedgerOf::Activity(a)).expect("ledger");
    let flags: Vec<(String, bool)> = entries.iter().map(|e| (e.volunteer_name.clone(), e.late)).collect();
    assert_eq!(flags, [("队员1".to_string(), false), ("队员2".to_string(), true)]);
}

#[test]
fn hours_are_summed_in_minutes_and_rounded_once() {
    let d = desk();
    let conn = d.org.store.conn();
    let now = at(NOW);
    for (i, hour) in ["08", "09", "10"].iter().enumerate() {
        let a = activity(
            &d,
            &format!("HD{i}"),
            &format!("2017-07-0{} {hour}:00", i + 1),
            &format!("2017-07-0{} {hour}:20", i + 1),
        );
        let from = format!("2017-07-0{} {hour}:00", i + 1);
        let to = format!("2017-07-0{} {hour}:20", i + 1);
        record_session(conn, &session(a, d.people[i], &from, Some(&to)), now).expect("20 minutes");
    }
    assert_eq!(year_stats(conn, 2017).expect("stats").credit.to_string(), "1.0", "three sessions of 20 minutes");
}

#[test]
fn a_long_day_is_allowed_but_more_than_a_day_is_refused() {
    let d = desk();
    let conn = d.org.store.conn();
    let now = at(NOW);
    let me = d.people[0];
    let a = activity(&d, "HD1", "2017-07-01 06:00", "2017-07-01 16:00");
    record_session(conn, &session(a, me, "2017-07-01 06:00", Some("2017-07-01 16:00")), now).expect("ten hours");
    assert!(day_total(conn, me, date("2017-07-01")).expect("total") > LONG_DAY);
    let grant = NewHonorGrant {
        volunteer_id: me,
        minutes: Minutes(15 * 60),
        service_date: date("2017-07-01"),
        reason: "夜间值守补录".into(),
        activity_id: None,
        granted_by: "管理员".into(),
    };
    let err = grant_honor(conn, &grant, now).expect_err("25 hours in a day");
    assert!(err.to_string().contains("超过一天24小时"), "{err}");
}

#[test]
fn a_batch_is_checked_as_a_whole_against_itself_and_the_database() {
    let d = desk();
    let conn = d.org.store.conn();
    let now = at(NOW);
    let a = activity(&d, "HD1", "2017-07-01 08:00", "2017-07-01 11:00");
    let b = activity(&d, "HD2", "2017-07-01 10:00", "2017-07-01 12:00");
    let [me, you, them] = [d.people[0], d.people[1], d.people[2]];
    record_session(conn, &session(a, me, "2017-07-01 08:00", Some("2017-07-01 10:00")), now).expect("on record");
    let count = || conn.query_row("SELECT count(*) FROM credit_session", [], |r| r.get::<_, i64>(0)).expect("count");

    let refused = [
        (
            vec![
                session(b, you, "2017-07-01 10:00", Some("2017-07-01 11:00")),
                session(b, me, "2017-07-01 09:30", None),
            ],
            "第2条签到记录：与该志愿者 2017-07-01 08:00 的签到记录时间重叠",
        ),
        (
            vec![
                session(a, you, "2017-07-01 08:00", Some("2017-07-01 10:30")),
                session(b, you, "2017-07-01 10:00", None),
            ],
            "第2条签到记录：与该志愿者 2017-07-01 08:00 的签到记录时间重叠",
        ),
        (
            vec![session(a, them, "2017-07-01 08:00", None), session(b, them, "2017-07-01 11:00", None)],
            "第2条签到记录：该志愿者在 2017-07-01 08:00 的签到尚未签退",
        ),
        (
            vec![session(a, you, "2017-07-01 08:00", None), session(b, them, "2026-11-29 12:01", None)],
            "第2条签到记录：签到、签退时间不能晚于当前时间",
        ),
    ];
    for (batch, message) in refused {
        let err = record_sessions(conn, &batch, now).expect_err(message);
        assert!(err.to_string().contains(message), "{err}");
        assert_eq!(count(), 1, "nothing of a refused batch is written");
    }
    cancel_activity(conn, b, "下雨", now).expect("cancel");
    let cancelled = [session(a, you, "2017-07-01 08:00", None), session(b, them, "2017-07-01 10:00", None)];
    let err = record_sessions(conn, &cancelled, now).expect_err("cancelled");
    assert!(err.to_string().contains("第2条签到记录：活动已取消"), "{err}");

    // Accepted: ids come back in the order given, whatever order the rows are written in.
    let batch = [
        session(a, them, "2017-07-01 09:00", Some("2017-07-01 12:00")),
        session(a, you, "2017-07-01 07:00", Some("2017-07-01 08:30")),
    ];
    let ids = record_sessions(conn, &batch, now).expect("batch");
    let written: Vec<(i64, i64)> = ids
        .iter()
        .map(|id| {
            conn.query_row("SELECT volunteer_id, credit_minutes FROM credit_session WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .expect("row")
        })
        .collect();
    assert_eq!(written, [(them, 120), (you, 30)], "credit clipped to 08:00–11:00");
}

#[test]
fn the_schema_refuses_what_goes_around_the_store() {
    let d = desk();
    let conn = d.org.store.conn();
    let now = at(NOW);
    let a = activity(&d, "HD1", "2017-07-01 08:00", "2017-07-01 11:00");
    let me = d.people[0];
    let insert = |signed_in_at: &str, window: (&str, &str)| {
        conn.execute(
            "INSERT INTO credit_session (activity_id, activity_starts_at, activity_ends_at, volunteer_id, signed_in_at,
                                         recorded_by)
             VALUES (?1, ?2, ?3, ?4, ?5, '录入员')",
            rusqlite::params![a, window.0, window.1, me, signed_in_at],
        )
        .map_err(volunteer_desk::Error::from)
    };
    let window = ("2017-07-01 08:00", "2017-07-01 11:00");
    let wrong = insert("2017-07-01 08:00", ("2017-07-01 08:00", "2017-07-01 18:00")).expect_err("window");
    assert!(wrong.to_string().contains("引用的记录不存在"), "the window must be the activity's: {wrong}");
    let with_credit = |credit: Option<i64>| {
        conn.execute(
            "INSERT INTO credit_session (activity_id, activity_starts_at, activity_ends_at, volunteer_id, signed_in_at,
                                         signed_out_at, recorded_by, credit_minutes)
             VALUES (?1, '2017-07-01 08:00', '2017-07-01 11:00', ?2, '2017-07-01 07:00', '2017-07-01 09:00', '录入员', ?3)",
            rusqlite::params![a, me, credit],
        )
        .map_err(volunteer_desk::Error::from)
    };
    for typed in [Some(600), Some(120), None] {
        let err = with_credit(typed).expect_err("credit is 08:00–09:00, 60 minutes");
        assert!(err.to_string().contains("服务信用时数只能由签到、签退计算得出，不能填写"), "{typed:?}: {err}");
    }
    for bad in
        ["2017-02-30 08:00", "2017-07-01 08:00:00", "2017-07-01T08:00", "2017-07-01 8:00", "2017-07-01 08:00 ", "昨天"]
    {
        let err = insert(bad, window).expect_err(bad);
        assert!(err.to_string().contains("签到时间格式应为"), "{bad}: {err}");
    }

    insert("2017-07-01 08:00", window).expect("open");
    let open: i64 = conn.last_insert_rowid();
    let second = insert("2017-07-01 10:00", window).expect_err("second open");
    assert!(second.to_string().contains("同一志愿者只能有一个未签退的签到"), "{second}");
    let marked = conn.execute("UPDATE credit_session SET resolution_id = id WHERE id = ?1", [open]);
    assert!(volunteer_desk::Error::from(marked.expect_err("no resolution")).to_string().contains("引用的记录不存在"));

    let closing = conn.execute(
        "UPDATE credit_session SET signed_out_at = '2017-07-01 09:00', credit_minutes = 90 WHERE id = ?1",
        [open],
    );
    assert!(volunteer_desk::Error::from(closing.expect_err("typed at sign-out")).to_string().contains("不能填写"));
    resolve_open_session(conn, open, Minutes(0), "忘记签退", &common::operator("管理员"), now).expect("resolve");
    let late = sign_out(conn, open, at("2017-07-01 10:00"), now).expect_err("resolved");
    assert!(late.to_string().contains("不能再签退"), "{late}");
    insert("2017-07-01 10:00", window).expect("open again once the first is resolved");
}

#[test]
fn an_activity_with_attendance_keeps_its_window_but_not_its_name() {
    let d = desk();
    let conn = d.org.store.conn();
    let now = at(NOW);
    let a = activity(&d, "HD1", "2017-07-01 08:00", "2017-07-01 11:00");
    record_session(conn, &session(a, d.people[0], "2017-07-01 08:00", Some("2017-07-01 09:00")), now).expect("in");
    let mut renamed = common::new_activity(d.org.detachment, "HD1", "2017-07-01 08:00", "2017-07-01 11:00", None);
    renamed.name = "巡河护水（改名）".into();
    update_activity(conn, a, &renamed).expect("a new name, the same window");
    renamed.ends_at = at("2017-07-01 12:00");
    let moved = update_activity(conn, a, &renamed).expect_err("the window is fixed");
    assert!(moved.to_string().contains("不能再修改起止时间"), "{moved}");
    cancel_activity(conn, a, "改期", now).expect("cancel");
    assert_eq!(year_stats(conn, 2017).expect("stats").credit, Minutes(0), "a cancelled activity earns nothing");
}
