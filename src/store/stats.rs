//! The city-wide figures of a year, as `volunteer-desk stats` prints them (formats.md).

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use rusqlite::{Connection, params};
use serde::Serialize;

use crate::domain::Minutes;
use crate::error::Result;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct YearStats {
    pub teams: i64,
    pub volunteers: i64,
    pub activities: i64,
    pub credit: Minutes,
    pub honor: Minutes,
}

/// The JSON shape of `stats --json`: hours as numbers with one decimal.
#[derive(Serialize)]
pub struct YearStatsJson {
    pub teams: i64,
    pub volunteers: i64,
    pub activities: i64,
    pub credit_hours: f64,
    pub honor_hours: f64,
}

impl YearStats {
    pub fn to_json(self) -> YearStatsJson {
        YearStatsJson {
            teams: self.teams,
            volunteers: self.volunteers,
            activities: self.activities,
            credit_hours: self.credit.hours(),
            honor_hours: self.honor.hours(),
        }
    }
}

/// Counts as formats.md defines them: teams founded by 31 December and not dissolved by
/// then; volunteers registered by then and not deleted; activities starting in the year and
/// not cancelled, with the credit of their closed sessions (net of corrections); honour grants
/// (net of corrections) dated in the year. Corrections are few: the CROSS JOINs make SQLite
/// start from them rather than from the year's sessions.
pub fn year_stats(conn: &Connection, year: i32) -> Result<YearStats> {
    let first = format!("{year:04}-01-01");
    let last = format!("{year:04}-12-31");
    let next = format!("{:04}-01-01", year + 1);
    let row = conn
        .prepare_cached(
            "SELECT
           (SELECT count(*) FROM team
             WHERE (founded_on IS NULL OR founded_on <= ?2) AND (dissolved_on IS NULL OR dissolved_on > ?2)),
           (SELECT count(*) FROM volunteer WHERE registered_on <= ?2 AND deleted_at IS NULL),
           (SELECT count(*) FROM activity WHERE starts_at >= ?1 AND starts_at < ?3 AND cancelled_at IS NULL),
           (SELECT coalesce(sum(s.credit_minutes), 0) FROM credit_session s
              JOIN activity a ON a.id = s.activity_id
             WHERE a.starts_at >= ?1 AND a.starts_at < ?3 AND a.cancelled_at IS NULL)
         + (SELECT coalesce(sum(c.minutes), 0) FROM credit_correction c
              CROSS JOIN credit_session s ON s.id = c.session_id CROSS JOIN activity a ON a.id = s.activity_id
             WHERE a.starts_at >= ?1 AND a.starts_at < ?3 AND a.cancelled_at IS NULL),
           (SELECT coalesce(sum(minutes), 0) FROM honor_grant WHERE service_date BETWEEN ?1 AND ?2)",
        )?
        .query_row(params![first, last, next], |row| {
            Ok(YearStats {
                teams: row.get(0)?,
                volunteers: row.get(1)?,
                activities: row.get(2)?,
                credit: Minutes(row.get(3)?),
                honor: Minutes(row.get(4)?),
            })
        })?;
    Ok(row)
}

/// A unit's hours in a year, earned by its volunteers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitHours {
    pub unit_id: i64,
    pub unit_name: String,
    pub credit: Minutes,
    pub honor: Minutes,
}

/// Every unit's credit (sessions at activities of the year, net of corrections) and honour
/// (grants dated in the year, net of corrections), by the unit of the volunteer who earned them.
///
/// The year's sessions are read once, activity by activity, from the index that holds each
/// session's person and credit, and summed here per person and then per unit: SQLite groups by
/// sorting, and sorting a million rows cost more than the whole reading (BENCHMARKS.md).
pub fn unit_hours(conn: &Connection, year: i32) -> Result<Vec<UnitHours>> {
    let first = format!("{year:04}-01-01");
    let last = format!("{year:04}-12-31");
    let next = format!("{:04}-01-01", year + 1);
    let credit = minutes_by_person(
        conn,
        "SELECT s.volunteer_id, s.credit_minutes
         FROM activity a JOIN credit_session s ON s.activity_id = a.id
         WHERE a.starts_at >= ?1 AND a.starts_at < ?2 AND a.cancelled_at IS NULL AND s.credit_minutes IS NOT NULL
         UNION ALL
         SELECT s.volunteer_id, k.minutes
         FROM credit_correction k CROSS JOIN credit_session s ON s.id = k.session_id
         CROSS JOIN activity a ON a.id = s.activity_id
         WHERE a.starts_at >= ?1 AND a.starts_at < ?2 AND a.cancelled_at IS NULL",
        [&first, &next],
    )?;
    let honor = minutes_by_person(
        conn,
        "SELECT volunteer_id, minutes FROM honor_grant WHERE service_date BETWEEN ?1 AND ?2",
        [&first, &last],
    )?;
    let mut units: BTreeMap<i64, UnitHours> = BTreeMap::new();
    let mut stmt = conn.prepare_cached("SELECT id, name FROM unit")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (unit_id, unit_name) = row?;
        units.insert(unit_id, UnitHours { unit_id, unit_name, credit: Minutes(0), honor: Minutes(0) });
    }
    let mut stmt = conn.prepare_cached("SELECT id, unit_id FROM volunteer")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
        let (volunteer_id, unit_id) = row?;
        if let Some(unit) = units.get_mut(&unit_id) {
            unit.credit += Minutes(credit.get(&volunteer_id).copied().unwrap_or(0));
            unit.honor += Minutes(honor.get(&volunteer_id).copied().unwrap_or(0));
        }
    }
    Ok(units.into_values().collect())
}

/// Sums the minutes of `(volunteer_id, minutes)` rows per volunteer.
fn minutes_by_person(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<ById<i64>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut sums = ById::default();
    while let Some(row) = rows.next()? {
        *sums.entry(row.get(0)?).or_default() += row.get::<_, i64>(1)?;
    }
    Ok(sums)
}

/// A map keyed by row id. Ids are not chosen by an adversary, so one multiplication spreads
/// them well enough; SipHash took a third of the time of a million-row sum.
type ById<V> = HashMap<i64, V, BuildHasherDefault<IdHasher>>;

#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(byte)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_i64(&mut self, id: i64) {
        self.0 = (id as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
