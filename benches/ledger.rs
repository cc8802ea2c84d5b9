//! The ledger at scale: `cargo bench --bench ledger`. One million sessions for 100,000
//! volunteers through the store's own checks, then the year's per-unit totals.
//! Figures are recorded in BENCHMARKS.md.

use chrono::{Duration, NaiveDateTime};
use rusqlite::params;
use volunteer_desk::store::attendance::{NewSession, record_sessions};
use volunteer_desk::store::stats::{unit_hours, year_stats};
use volunteer_desk::store::{self, Store};

mod common;
use common::{report, timed};

const UNITS: i64 = 50;
const VOLUNTEERS: i64 = 100_000;
const ACTIVITIES: i64 = 1_000;
const SESSIONS_EACH: i64 = 10;
const RUNS: usize = 5;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = store::open(&dir.path().join("ledger.sqlite3")).expect("open");
    let ((), took) = timed(|| setup(&mut store));
    report(&format!("setup: {UNITS} units, {VOLUNTEERS} volunteers, {ACTIVITIES} activities"), took);

    let now = NaiveDateTime::parse_from_str("2026-11-29 12:00", "%Y-%m-%d %H:%M").expect("time");
    let activities: Vec<(i64, NaiveDateTime)> = store
        .conn()
        .prepare("SELECT id, starts_at FROM activity ORDER BY id")
        .expect("sql")
        .query_map([], |r| Ok((r.get(0)?, r.get::<_, String>(1)?)))
        .expect("rows")
        .map(|row| {
            let (id, at) = row.expect("row");
            (id, NaiveDateTime::parse_from_str(&at, "%Y-%m-%d %H:%M").expect("time"))
        })
        .collect();
    // As an import hands them over: batches of a thousand people's sessions, built before the
    // clock starts (the importer's own reading is measured by the import bench).
    let batches = session_batches(&activities);
    let mut writing = None;
    // As an import writes them: one bulk transaction, logged as one entry.
    let (_, took) = timed(|| {
        store
            .bulk(
                "导入",
                "签到记录",
                |conn| {
                    let (written, took) =
                        timed(|| batches.iter().try_for_each(|batch| record_sessions(conn, batch, now).map(drop)));
                    writing = Some(took);
                    written
                },
                |_| "签到记录".to_string(),
            )
            .expect("sessions")
    });
    let sessions = VOLUNTEERS * SESSIONS_EACH;
    report(&format!("record {sessions} sessions ({:.0} a second)", sessions as f64 / took.wall.as_secs_f64()), took);
    if let Some(writing) = writing {
        report("  of which record_sessions (checks and inserts)", writing);
        report("  of which the commit (and SQLite's checkpoint of the log)", took.less(writing));
    }

    // The first run comes straight after the insert; the others are a second look at the year.
    for run in 1..=RUNS {
        let (units, took) = timed(|| unit_hours(store.conn(), 2017).expect("unit hours"));
        report(&format!("per-unit credit and honour for 2017 ({} units), run {run}", units.len()), took);
    }
    for run in 1..=RUNS {
        let (city, took) = timed(|| year_stats(store.conn(), 2017).expect("stats"));
        report(&format!("city-wide stats for 2017 (credit {} h), run {run}", city.credit), took);
    }
    println!("(load average at the end: {})", std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim());
}

/// Ten sessions a person at ten different activities, each on its own day; a thousand people a
/// batch.
fn session_batches(activities: &[(i64, NaiveDateTime)]) -> Vec<Vec<NewSession>> {
    let mut batches = Vec::new();
    for first in (1..=VOLUNTEERS).step_by(1_000) {
        let mut batch = Vec::with_capacity(1_000 * SESSIONS_EACH as usize);
        for v in first..(first + 1_000).min(VOLUNTEERS + 1) {
            for k in 0..SESSIONS_EACH {
                let (activity_id, starts_at) = activities[((v * 7 + k * 97) % ACTIVITIES) as usize];
                let signed_in_at = starts_at + Duration::minutes(v % 20);
                batch.push(NewSession {
                    activity_id,
                    volunteer_id: v,
                    signed_in_at,
                    signed_out_at: Some(signed_in_at + Duration::minutes(90 + v % 60)),
                    recorded_by: "bench".into(),
                });
            }
        }
        batches.push(batch);
    }
    batches
}

/// Units, one 总队, volunteers and activities (one a day through 2017, each 3 hours) with
/// plain SQL: the benchmark measures the sessions, not the registry.
fn setup(store: &mut Store) {
    store
        .bulk(
            "载入",
            "测试数据",
            |conn| {
                for u in 1..=UNITS {
                    conn.execute(
                        "INSERT INTO unit (id, name, party_members) VALUES (?1, ?2, 5000)",
                        params![u, format!("单位{u}")],
                    )?;
                }
                conn.execute(
                    "INSERT INTO team (id, code, name, kind, unit_id, manager_name, manager_phone, founded_on)
                 VALUES (1, 'ZD', '总队', '总队', 1, '陈立新', '13800000000', '2016-06-30')",
                    [],
                )?;
                let mut volunteer = conn.prepare_cached(
                "INSERT INTO volunteer (id, code, name, gender, birth_date, id_masked, phone_masked, unit_id, registered_on)
                 VALUES (?1, ?2, '张三', '男', '1980-01-01', mask_id(?3), '138****0000', ?4, '2017-01-01')",
            )?;
                for v in 1..=VOLUNTEERS {
                    volunteer.execute(params![v, format!("ZY{v:06}"), format!("3303811980{v:08}"), 1 + v % UNITS])?;
                }
                let mut activity = conn.prepare_cached(
                    "INSERT INTO activity (id, code, name, team_id, category, mode, starts_at, ends_at)
                 VALUES (?1, ?2, '活动', 1, '文明创建', '集中', ?3, ?4)",
                )?;
                let first = NaiveDateTime::parse_from_str("2017-01-01 08:00", "%Y-%m-%d %H:%M").expect("time");
                for a in 0..ACTIVITIES {
                    // Three activities a day, apart in time, over the year.
                    let starts = first + Duration::days(a / 3) + Duration::hours(4 * (a % 3));
                    let ends = starts + Duration::hours(3);
                    activity.execute(params![
                        a + 1,
                        format!("HD{a:05}"),
                        starts.format("%Y-%m-%d %H:%M").to_string(),
                        ends.format("%Y-%m-%d %H:%M").to_string()
                    ])?;
                }
                Ok(())
            },
            |()| "基准测试的单位、志愿者和活动".to_string(),
        )
        .expect("setup");
}
