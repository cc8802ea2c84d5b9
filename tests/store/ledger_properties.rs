//! Property tests of the ledger: whatever sessions are offered, those the store accepts never
//! overlap for one person, and the totals are the sums of the entries; offered as one batch,
//! they are written whole or not at all.

use crate::common;

use chrono::{Duration, NaiveDateTime};
use proptest::prelude::*;
use volunteer_desk::domain::Minutes;
use volunteer_desk::store::attendance::{NewSession, record_session, record_sessions};
use volunteer_desk::store::ledger::{LedgerOf, ledger, totals};
use volunteer_desk::store::stats::year_stats;

const PEOPLE: usize = 4;
const ACTIVITIES: usize = 3;

fn base() -> NaiveDateTime {
    common::at("2017-07-01 08:00")
}

/// Four volunteers of the 总队 and three three-hour activities on 2017-07-01, 90 minutes apart
/// so that they overlap.
fn world() -> (common::Org, Vec<i64>, Vec<i64>) {
    let org = common::org("市审计局", 33, "ZD-27", "审计局支队");
    let people = (0..PEOPLE)
        .map(|i| {
            org.volunteer(
                org.corps,
                &format!("ZY{i:05}"),
                &format!("队员{i}"),
                &format!("3303811988010{}123", i + 1),
                &format!("1350000000{i}"),
            )
        })
        .collect();
    let activities = (0..ACTIVITIES)
        .map(|i| {
            let starts_at = base() + Duration::minutes(i as i64 * 90);
            let fmt = |t: NaiveDateTime| t.format("%Y-%m-%d %H:%M").to_string();
            org.activity(org.corps, &format!("HD{i}"), &fmt(starts_at), &fmt(starts_at + Duration::minutes(180)), None)
        })
        .collect();
    (org, people, activities)
}

/// (person, activity, start offset in minutes from 07:00, length in minutes)
fn offered() -> impl Strategy<Value = Vec<(usize, usize, i64, i64)>> {
    prop::collection::vec((0..PEOPLE, 0..ACTIVITIES, 0i64..480, 1i64..300), 1..24)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn accepted_sessions_never_overlap_and_totals_add_up(sessions in offered()) {
        let (org, people, activities) = world();
        let conn = org.store.conn();
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

    #[test]
    fn a_batch_is_written_whole_or_not_at_all(sessions in offered()) {
        let (org, people, activities) = world();
        let conn = org.store.conn();
        let now = NaiveDateTime::parse_from_str("2026-11-29 12:00", "%Y-%m-%d %H:%M").expect("time");
        let batch: Vec<NewSession> = sessions
            .iter()
            .map(|&(person, activity, offset, length)| {
                let signed_in_at = base() - Duration::minutes(60) + Duration::minutes(offset);
                NewSession {
                    activity_id: activities[activity],
                    volunteer_id: people[person],
                    signed_in_at,
                    signed_out_at: Some(signed_in_at + Duration::minutes(length)),
                    recorded_by: "测试".into(),
                }
            })
            .collect();
        let count = || conn.query_row("SELECT count(*) FROM credit_session", [], |r| r.get::<_, i64>(0)).expect("count");
        match record_sessions(conn, &batch, now) {
            Err(_) => prop_assert_eq!(count(), 0),
            Ok(ids) => {
                prop_assert_eq!(count(), batch.len() as i64);
                for (id, session) in ids.iter().zip(&batch) {
                    let (volunteer_id, credit): (i64, i64) = conn
                        .query_row("SELECT volunteer_id, credit_minutes FROM credit_session WHERE id = ?1", [id], |r| {
                            Ok((r.get(0)?, r.get(1)?))
                        })
                        .expect("row");
                    prop_assert_eq!(volunteer_id, session.volunteer_id);
                    prop_assert!((0..=180).contains(&credit));
                }
                for &person in &people {
                    let mine: Vec<&NewSession> = batch.iter().filter(|s| s.volunteer_id == person).collect();
                    for (i, a) in mine.iter().enumerate() {
                        for b in &mine[i + 1..] {
                            prop_assert!(a.signed_out_at <= Some(b.signed_in_at) || b.signed_out_at <= Some(a.signed_in_at));
                        }
                    }
                }
            }
        }
    }
}
