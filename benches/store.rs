//! Store benchmarks over generated data: `cargo bench --bench store`.
//! Figures are recorded in BENCHMARKS.md.

use chrono::NaiveDateTime;
use rusqlite::params;
use volunteer_desk::demo::load_demo;
use volunteer_desk::store::ledger::{LedgerOf, ledger};
use volunteer_desk::store::{self, stats::year_stats};

mod common;
use common::{best_of, report, timed};

const VOLUNTEERS: i64 = 50_000;
const ACTIVITIES: i64 = 5_000;
const SESSIONS: i64 = 1_000_000;
const GRANTS: i64 = 200_000;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let now = NaiveDateTime::parse_from_str("2026-11-29 09:00", "%Y-%m-%d %H:%M").expect("time");

    let (mut demo, t) = timed(|| store::open(&dir.path().join("demo.sqlite3")).expect("open"));
    report("create + migrate an empty database", t);
    let ((), t) = timed(|| load_demo(&mut demo, now).expect("demo"));
    report("load the demo data (2319 volunteers, 117 sessions, 84 grants)", t);
    let ((), t) = best_of(20, || {
        year_stats(demo.conn(), 2017).expect("stats");
    });
    report("stats --year 2017 on the demo data", t);

    let mut big = store::open(&dir.path().join("big.sqlite3")).expect("open");
    let ((), t) = timed(|| fill_large(&mut big));
    report(&format!("bulk insert {VOLUNTEERS} volunteers, {SESSIONS} sessions, {GRANTS} grants"), t);
    let ((), t) = best_of(5, || {
        year_stats(big.conn(), 2017).expect("stats");
    });
    report(&format!("stats --year 2017 over {SESSIONS} sessions"), t);
    // What the 时数台账 reads when a volunteer or an activity is picked.
    let mut entries = 0;
    let ((), t) = best_of(20, || {
        entries = ledger(big.conn(), LedgerOf::Volunteer(VOLUNTEERS / 2)).expect("ledger").len();
    });
    report(&format!("the ledger of one volunteer ({entries} entries)"), t);
    let ((), t) = best_of(20, || {
        entries = ledger(big.conn(), LedgerOf::Activity(ACTIVITIES / 2)).expect("ledger").len();
    });
    report(&format!("the ledger of one activity ({entries} entries)"), t);
}

/// One unit, one 总队, volunteers, activities across 2017 and sessions/grants spread over them,
/// inserted with plain SQL in one bulk transaction, as an import writes (the store's rules are
/// exercised by the tests).
fn fill_large(store: &mut store::Store) {
    store
        .bulk(
            "载入",
            "测试数据",
            |conn| {
                conn.execute("INSERT INTO unit (id, name, party_members) VALUES (1, '市财政局', 100000)", [])?;
                conn.execute(
                    "INSERT INTO team (id, code, name, kind, unit_id, manager_name, manager_phone, founded_on)
                 VALUES (1, 'ZD', '总队', '总队', 1, '陈立新', '13800000000', '2016-06-30')",
                    [],
                )?;
                let mut volunteer = conn.prepare_cached(
                "INSERT INTO volunteer (id, code, name, gender, birth_date, id_masked, phone_masked, unit_id, registered_on)
                 VALUES (?1, ?2, '张三', '男', '1980-01-01', mask_id(?3), '138****0000', 1, '2017-01-01')",
            )?;
                for i in 1..=VOLUNTEERS {
                    volunteer.execute(params![i, format!("ZY{i:06}"), format!("3303811980{i:08}")])?;
                }
                let mut activity = conn.prepare_cached(
                    "INSERT INTO activity (id, code, name, team_id, category, mode, starts_at, ends_at)
                 VALUES (?1, ?2, '活动', 1, '文明创建', '集中', ?3, ?4)",
                )?;
                for i in 1..=ACTIVITIES {
                    let day = i % 365;
                    let starts = format!("2017-{:02}-{:02} 08:00", 1 + day / 31 % 12, 1 + day % 28);
                    let ends = format!("{} 11:00", &starts[..10]);
                    activity.execute(params![i, format!("HD{i:06}"), starts, ends])?;
                }
                let mut session = conn.prepare_cached(
                    // 07:50–10:40 at an activity of 08:00–11:00 earns 160 minutes.
                    "INSERT INTO credit_session (activity_id, activity_starts_at, activity_ends_at, volunteer_id,
                                             signed_in_at, signed_out_at, credit_minutes, recorded_by)
                 SELECT ?1, starts_at, ends_at, ?2, substr(starts_at, 1, 11) || '07:50',
                        substr(starts_at, 1, 11) || '10:40', 160, 'bench'
                 FROM activity WHERE id = ?1",
                )?;
                for i in 0..SESSIONS {
                    session.execute(params![1 + i % ACTIVITIES, 1 + i % VOLUNTEERS])?;
                }
                let mut grant = conn.prepare_cached(
                    "INSERT INTO honor_grant (volunteer_id, minutes, service_date, reason, granted_by)
                 VALUES (?1, 90, '2017-05-01', '补录', '管理员')",
                )?;
                for i in 0..GRANTS {
                    grant.execute([1 + i % VOLUNTEERS])?;
                }
                Ok(())
            },
            |()| "基准测试数据".to_string(),
        )
        .expect("fill");
}
