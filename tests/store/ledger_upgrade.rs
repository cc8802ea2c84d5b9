//! Migration 10 re-lays the stored credit: a file written at schema version 5 (migrations 6–9
//! leave the ledger alone) opens with the same sessions, ids, credit and year figures, and
//! with the ledger's rules still in force.

use crate::common;

use common::at;
use rusqlite::Connection;
use volunteer_desk::domain::Minutes;
use volunteer_desk::store::attendance::{NewSession, record_session, sign_out};
use volunteer_desk::store::ledger::{LedgerOf, ledger, totals};
use volunteer_desk::store::migrations::{current_version, latest_version, migrate_to};
use volunteer_desk::store::stats::{unit_hours, year_stats};

/// Two units, three volunteers, three activities (two in 2017, one in 2018) and, written
/// through the version-5 schema: closed sessions, a session left open and resolved with a
/// 补录 grant, a correction and a plain grant.
const V5_LEDGER: &str = "
INSERT INTO unit (id, name, party_members) VALUES (1, '市民政局', 40), (2, '市财政局', 30);
INSERT INTO team (id, code, name, kind, unit_id, manager_name, manager_phone, founded_on)
VALUES (1, 'ZD', '总队', '总队', 1, '陈立新', '13857700001', '2016-06-30');
INSERT INTO volunteer (id, code, name, gender, birth_date, id_number, phone, unit_id, registered_on) VALUES
    (1, 'ZY1', '张一', '男', '1985-01-01', '330381198501011230', '13900000001', 1, '2017-01-01'),
    (2, 'ZY2', '李二', '女', '1986-01-01', '330381198601011241', '13900000002', 2, '2017-01-01'),
    (3, 'ZY3', '王三', '男', '1987-01-01', '330381198701011252', '13900000003', 2, '2017-01-01');
INSERT INTO activity (id, code, name, team_id, category, mode, starts_at, ends_at) VALUES
    (1, 'HD1', '巡河', 1, '巡河护水', '集中', '2017-07-01 08:00', '2017-07-01 11:00'),
    (2, 'HD2', '义诊', 1, '义诊', '集中', '2017-07-02 08:00', '2017-07-02 10:00'),
    (3, 'HD3', '宣讲', 1, '政策宣讲', '集中', '2018-01-05 14:00', '2018-01-05 16:00');
INSERT INTO credit_session (id, activity_id, volunteer_id, signed_in_at, signed_out_at, recorded_by) VALUES
    (11, 1, 1, '2017-07-01 07:30', '2017-07-01 09:10', '录入员'),
    (12, 1, 2, '2017-07-01 08:00', '2017-07-01 12:00', '录入员'),
    (13, 1, 3, '2017-07-01 08:00', NULL, '录入员'),
    (14, 2, 3, '2017-07-02 08:00', '2017-07-02 09:00', '录入员'),
    (15, 3, 1, '2018-01-05 13:50', '2018-01-05 16:30', '录入员');
INSERT INTO credit_correction (session_id, minutes, reason, recorded_by) VALUES (12, -30, '扫码有误', '管理员');
INSERT INTO honor_grant (id, volunteer_id, minutes, service_date, reason, activity_id, granted_by)
VALUES (1, 3, 90, '2017-07-01', '补录（未签退）：负责人证明', 1, '管理员'),
       (2, 1, 45, '2017-03-05', '学雷锋日补录', NULL, '管理员');
INSERT INTO session_resolution (session_id, grant_id, note, resolved_by) VALUES (13, 1, '负责人证明', '管理员');
";

fn version_5_file(path: &std::path::Path) {
    let mut conn = Connection::open(path).expect("open");
    conn.pragma_update(None, "foreign_keys", true).expect("foreign keys");
    migrate_to(&mut conn, 5).expect("version 5");
    conn.execute_batch(V5_LEDGER).expect("v5 ledger");
    let credit: Vec<(i64, i64)> = conn
        .prepare("SELECT session_id, minutes FROM session_credit ORDER BY session_id")
        .expect("sql")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("credit");
    assert_eq!(credit, [(11, 70), (12, 180), (14, 60), (15, 120)], "version 5 stored this credit");
}

#[test]
fn a_version_5_file_upgrades_with_its_credit_ids_and_totals() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("v5.sqlite3");
    version_5_file(&path);
    let store = volunteer_desk::store::open(&path).expect("upgrade");
    let conn = store.conn();
    assert_eq!(current_version(conn).expect("version"), latest_version());

    let sessions: Vec<(i64, Option<i64>, Option<i64>)> = conn
        .prepare("SELECT id, credit_minutes, resolution_id FROM credit_session ORDER BY id")
        .expect("sql")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("sessions");
    assert_eq!(
        sessions,
        [
            (11, Some(70), None),
            (12, Some(180), None),
            (13, None, Some(13)),
            (14, Some(60), None),
            (15, Some(120), None)
        ]
    );
    let gone: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema WHERE name = 'session_credit'", [], |r| r.get(0))
        .expect("schema");
    assert_eq!(gone, 0, "credit lives on the session now");
    let orphans =
        conn.prepare("PRAGMA foreign_key_check").expect("check").query_map([], |_| Ok(())).expect("rows").count();
    assert_eq!(orphans, 0, "corrections and resolutions still point at their sessions");

    let city = year_stats(conn, 2017).expect("stats");
    assert_eq!((city.credit, city.honor), (Minutes(70 + 150 + 60), Minutes(90 + 45)));
    let units: Vec<(i64, Minutes, Minutes)> =
        unit_hours(conn, 2017).expect("units").into_iter().map(|u| (u.unit_id, u.credit, u.honor)).collect();
    assert_eq!(units, [(1, Minutes(70), Minutes(45)), (2, Minutes(210), Minutes(90))]);
    assert_eq!(year_stats(conn, 2018).expect("2018").credit, Minutes(120));
    assert_eq!(totals(&ledger(conn, LedgerOf::Volunteer(2)).expect("ledger")), (Minutes(150), Minutes(0)));
}

#[test]
fn after_the_upgrade_the_ledger_keeps_its_rules() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("v5.sqlite3");
    version_5_file(&path);
    let store = volunteer_desk::store::open(&path).expect("upgrade");
    let conn = store.conn();
    let now = at("2026-11-29 12:00");

    let resolved = sign_out(conn, 13, at("2017-07-01 10:00"), now).expect_err("resolved before the upgrade");
    assert!(resolved.to_string().contains("不能再签退"), "{resolved}");
    let open = |from: &str| NewSession {
        activity_id: 2,
        volunteer_id: 3,
        signed_in_at: at(from),
        signed_out_at: None,
        recorded_by: "录入员".into(),
    };
    let again = record_session(conn, &open("2017-07-02 09:00"), now).expect("the resolved session is closed");
    let second = record_session(conn, &open("2017-07-02 09:30"), now).expect_err("second open");
    assert!(second.to_string().contains("尚未签退"), "{second}");
    assert_eq!(sign_out(conn, again, at("2017-07-02 10:30"), now).expect("sign out"), Minutes(60));
    let edit = conn.execute("UPDATE credit_session SET signed_in_at = '2017-07-01 08:00' WHERE id = 11", []);
    assert!(volunteer_desk::Error::from(edit.expect_err("append-only")).to_string().contains("只能追加"));
    let moved = conn.execute("UPDATE activity SET ends_at = '2017-07-01 12:00' WHERE id = 1", []);
    assert!(volunteer_desk::Error::from(moved.expect_err("times fixed")).to_string().contains("不能再修改起止时间"));
}
