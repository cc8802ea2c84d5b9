//! The database at 100× the seed that the report and frame benches share: 50 units with a
//! 支队 each, 100,000 volunteers, 1,000 activities through 2017, 1,000,000 sessions and
//! 100,000 honour grants. Generating it takes ~20 s, so [`cached`] keeps it under target/.

use std::path::PathBuf;

use chrono::{Duration as Days, NaiveDate, NaiveDateTime};
use rusqlite::params;
use volunteer_desk::store::{self, Store};

pub const UNITS: i64 = 50;
pub const VOLUNTEERS: i64 = 100_000;
pub const ACTIVITIES: i64 = 1_000;
pub const SESSIONS_EACH: i64 = 10;
pub const GRANTS: i64 = 100_000;

/// The generated database in target/bench-data/, made on first use; its path.
pub fn cached() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target").join("bench-data");
    std::fs::create_dir_all(&dir).expect("bench-data folder");
    let path = dir.join("hundredfold.sqlite3");
    if !path.exists() {
        // Built aside and renamed, so an interrupted run leaves no half-made file behind.
        let partial = dir.join("hundredfold.partial.sqlite3");
        let _ = std::fs::remove_file(&partial);
        let mut store = store::open(&partial).expect("open");
        let (_, took) = super::timed(|| setup(&mut store));
        println!("generated {} ({took})", path.display());
        drop(store);
        std::fs::rename(&partial, &path).expect("rename");
    }
    path
}

/// Units with a 支队 each under one 总队, volunteers in them (memberships by the schema's
/// triggers), three activities a day through 2017, ten sessions a person at ten activities,
/// and one honour grant a person.
pub fn setup(store: &mut Store) {
    // One bulk transaction, as an import writes: logged as one entry, not a row each.
    store
        .bulk(
            "载入",
            "测试数据",
            |conn| {
            for u in 1..=UNITS {
                conn.execute(
                    "INSERT INTO unit (id, name, party_members) VALUES (?1, ?2, 2500)",
                    params![u, format!("市第{u}局")],
                )?;
            }
            conn.execute(
                "INSERT INTO team (id, code, name, kind, unit_id, manager_name, manager_phone, founded_on)
                 VALUES (1, 'ZD', '总队', '总队', 1, '陈立新', '13800000000', '2016-06-30')",
                [],
            )?;
            for u in 1..=UNITS {
                conn.execute(
                    "INSERT INTO team (id, code, name, kind, parent_id, unit_id, manager_name, manager_phone, founded_on)
                     VALUES (?1, ?2, ?3, '支队', 1, ?4, '陈立新', '13800000000', '2016-07-01')",
                    params![1 + u, format!("ZD-{u:02}"), format!("市第{u}局党员志愿服务支队"), u],
                )?;
            }
            let mut volunteer = conn.prepare_cached(
                "INSERT INTO volunteer (id, code, name, gender, birth_date, id_masked, phone_masked, unit_id, team_id,
                                        registered_on)
                 VALUES (?1, ?2, '张三', '男', '1980-01-01', mask_id(?3), mask_phone(?4), ?5, ?6, '2017-01-01')",
            )?;
            let mut sealed = conn.prepare_cached(
                "INSERT INTO volunteer_sealed (volunteer_id, id_sealed, id_index, phone_sealed)
                 VALUES (?1, seal_id(?2, 'volunteer_sealed', ?1), index_id(?2), seal_phone(?3, 'volunteer_sealed', ?1))",
            )?;
            for v in 1..=VOLUNTEERS {
                let unit = 1 + v % UNITS;
                let (id_number, phone) = (format!("3303811980{v:08}"), format!("138{v:08}"));
                volunteer.execute(params![v, format!("ZY{v:06}"), id_number, phone, unit, 1 + unit])?;
                sealed.execute(params![v, id_number, phone])?;
            }
            let mut activity = conn.prepare_cached(
                "INSERT INTO activity (id, code, name, team_id, category, mode, starts_at, ends_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            let first = NaiveDateTime::parse_from_str("2017-01-01 08:00", "%Y-%m-%d %H:%M").expect("time");
            let categories = ["文明创建", "平安巡查", "五水共治", "政策宣讲", "助老助残"];
            for a in 0..ACTIVITIES {
                let starts = first + Days::days(a / 3) + Days::hours(4 * (a % 3));
                let ends = starts + Days::hours(3);
                activity.execute(params![
                    a + 1,
                    format!("HD{a:05}"),
                    format!("第{a}次志愿服务活动"),
                    2 + a % UNITS,
                    categories[(a % 5) as usize],
                    if a % 4 == 0 { "分散" } else { "集中" },
                    starts.format("%Y-%m-%d %H:%M").to_string(),
                    ends.format("%Y-%m-%d %H:%M").to_string()
                ])?;
            }
            let mut session = conn.prepare_cached(
                "INSERT INTO credit_session (activity_id, activity_starts_at, activity_ends_at, volunteer_id, signed_in_at,
                                             signed_out_at, credit_minutes, recorded_by)
                 SELECT ?1, starts_at, ends_at, ?2, starts_at, strftime('%Y-%m-%d %H:%M', starts_at, ?3), ?4, 'bench'
                 FROM activity WHERE id = ?1",
            )?;
            for v in 1..=VOLUNTEERS {
                for k in 0..SESSIONS_EACH {
                    let activity_id = 1 + (v * 7 + k * 97) % ACTIVITIES;
                    // Within the three-hour window, so the credit is the time signed in.
                    let minutes = 90 + v % 60;
                    session.execute(params![activity_id, v, format!("+{minutes} minutes"), minutes])?;
                }
            }
            let mut grant = conn.prepare_cached(
                "INSERT INTO honor_grant (volunteer_id, minutes, service_date, reason, granted_by)
                 VALUES (?1, ?2, ?3, '补录', '管理员')",
            )?;
            for g in 0..GRANTS {
                let day = NaiveDate::from_ymd_opt(2017, 1, 1).expect("date") + Days::days(g % 365);
                grant.execute(params![1 + g % VOLUNTEERS, 30 + g % 120, day.format("%Y-%m-%d").to_string()])?;
            }
            Ok(())
            },
            |()| "报表基准测试数据".to_string(),
        )
        .expect("setup");
}
