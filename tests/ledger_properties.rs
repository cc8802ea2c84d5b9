//! Property tests of the ledger: whatever sessions are offered, those the store accepts never
//! overlap for one person, and the totals are the sums of the entries.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use proptest::prelude::*;
use volunteer_desk::domain::identity::id_check_char;
use volunteer_desk::domain::{Minutes, ServiceMode, TeamKind};
use volunteer_desk::store::activities::{NewActivity, insert_activity};
use volunteer_desk::store::attendance::{NewSession, record_session};
use volunteer_desk::store::ledger::{LedgerOf, ledger, totals};
use volunteer_desk::store::stats::year_stats;
use volunteer_desk::store::teams::{NewTeam, insert_team};
use volunteer_desk::store::units::{NewUnit, insert_unit};
use volunteer_desk::store::volunteers::{NewVolunteer, insert_volunteer};
use volunteer_desk::store::{self, Store};

const PEOPLE: usize = 4;
const ACTIVITIES: usize = 3;

fn base() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2017-07-01 08:00", "%Y-%m-%d %H:%M").expect("time")
}

/// Four volunteers and three activities on 2017-07-01, overlapping in time.
fn world() -> (tempfile::TempDir, Store, Vec<i64>, Vec<i64>) {
    let dir = tempfile::tempdir().expect("dir");
    let store = store::open(&dir.path().join("p.sqlite3")).expect("open");
    let conn = store.conn();
    let unit = insert_unit(conn, &NewUnit { name: "市审计局".into(), party_members: 33 }).expect("unit");
    let corps = insert_team(
        conn,
        &NewTeam {
            code: "ZD".into(),
            name: "总队".into(),
            kind: TeamKind::Corps,
            parent_id: None,
            unit_id: unit,
            manager_name: "陈立新".into(),
            manager_phone: "13857700001".into(),
            founded_on: None,
            service_fields: vec![],
        },
    )
    .expect("corps");
    let people = (0..PEOPLE)
        .map(|i| {
            let first17 = format!("3303811988010{}123", i + 1);
            let v = NewVolunteer {
                code: format!("ZY{i:05}"),
                name: format!("队员{i}"),
                id_number: format!("{first17}{}", id_check_char(first17.as_bytes()).expect("digits")),
                phone: format!("1350000000{i}"),
                unit_id: unit,
                team_id: Some(corps),
                political_status: "中共党员".into(),
                skills: String::new(),
                service_categories: String::new(),
                registered_on: NaiveDate::from_ymd_opt(2017, 1, 1).expect("date"),
            };
            insert_volunteer(conn, &v, NaiveDate::from_ymd_opt(2026, 11, 29).expect("date")).expect("volunteer")
        })
        .collect();
    let activities = (0..ACTIVITIES)
        .map(|i| {
            let starts_at = base() + Duration::minutes(i as i64 * 90);
            let a = NewActivity {
                code: format!("HD{i}"),
                name: format!("活动{i}"),
                team_id: corps,
                category: "文明创建".into(),
                mode: ServiceMode::Concentrated,
                starts_at,
                ends_at: starts_at + Duration::minutes(180),
                place: String::new(),
                content: String::new(),
                leader: String::new(),
                capacity: None,
                recruit_from: None,
                recruit_until: None,
            };
            insert_activity(conn, &a).expect("activity")
        })
        .collect();
    (dir, store, people, activities)
}

/// (person, activity, start offset in minutes from 07:00, length in minutes)
fn offered() -> impl Strategy<Value = Vec<(usize, usize, i64, i64)>> {
    prop::collection::vec((0..PEOPLE, 0..ACTIVITIES, 0i64..480, 1i64..300), 1..24)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn accepted_sessions_never_overlap_and_totals_add_up(sessions in offered()) {
        let (_dir, store, people, activities) = world();
        let conn = store.conn();
        let now = NaiveDateTime::parse_from_str("2026-11-29 12:00", "%Y-%m-%d %H:%M").expect("time");
        for (person, activity, offset, length) in sessions {
            let signed_in_at = base() - Duration::minutes(60) + Duration::minutes(offset);
            let session = NewSession {
                activity_id: activities[activity],
                volunteer_id: people[person],
                signed_in_at,
                signed_out_at: Some(signed_in_at + Duration::minutes(length)),
                recorded_by: "测试".into(),
            };
            // Refusals are fine; what was accepted must keep the invariants.
            let _ = record_session(conn, &session, now);
        }
        let mut grand_total = Minutes(0);
        for &person in &people {
            let mut spans: Vec<(String, String)> = conn
                .prepare("SELECT signed_in_at, signed_out_at FROM credit_session WHERE volunteer_id = ?1 ORDER BY signed_in_at")
                .expect("sql")
                .query_map([person], |r| Ok((r.get(0)?, r.get(1)?)))
                .expect("rows")
                .collect::<Result<_, _>>()
                .expect("spans");
            spans.dedup();
            for pair in spans.windows(2) {
                prop_assert!(pair[0].1 <= pair[1].0, "overlap for {person}: {pair:?}");
            }
            let entries = ledger(conn, LedgerOf::Volunteer(person)).expect("ledger");
            let (credit, honor) = totals(&entries);
            let by_entry: i64 = entries.iter().map(|e| e.credit.0).sum();
            prop_assert_eq!(credit.0, by_entry);
            prop_assert_eq!(honor, Minutes(0));
            prop_assert!(entries.iter().all(|e| e.credit.0 >= 0 && e.credit.0 <= 180));
            grand_total += credit;
        }
        prop_assert_eq!(year_stats(conn, 2017).expect("stats").credit, grand_total);
    }
}
