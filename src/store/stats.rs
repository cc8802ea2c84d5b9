//! The city-wide figures of a year, as `volunteer-desk stats` prints them (formats.md).

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
/// (net of corrections) dated in the year.
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
           (SELECT coalesce(sum(s.credit_minutes), 0) FROM credit_session_minutes s
              JOIN activity a ON a.id = s.activity_id
             WHERE a.starts_at >= ?1 AND a.starts_at < ?3 AND a.cancelled_at IS NULL)
         + (SELECT coalesce(sum(c.minutes), 0) FROM credit_correction c
              JOIN credit_session s ON s.id = c.session_id JOIN activity a ON a.id = s.activity_id
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
pub fn unit_hours(conn: &Connection, year: i32) -> Result<Vec<UnitHours>> {
    let first = format!("{year:04}-01-01");
    let last = format!("{year:04}-12-31");
    let next = format!("{:04}-01-01", year + 1);
    let mut stmt = conn.prepare_cached(
        "WITH credit AS MATERIALIZED (
             SELECT unit_id, sum(minutes) AS minutes FROM (
                 SELECT v.unit_id, per_person.minutes FROM (
                     SELECT s.volunteer_id, sum(c.minutes) AS minutes
                     FROM activity a JOIN credit_session s ON s.activity_id = a.id
                     JOIN session_credit c ON c.session_id = s.id
                     WHERE a.starts_at >= ?1 AND a.starts_at < ?3 AND a.cancelled_at IS NULL
                     GROUP BY s.volunteer_id) per_person
                 JOIN volunteer v ON v.id = per_person.volunteer_id
                 UNION ALL
                 SELECT v.unit_id, k.minutes
                 FROM credit_correction k JOIN credit_session s ON s.id = k.session_id
                 JOIN activity a ON a.id = s.activity_id JOIN volunteer v ON v.id = s.volunteer_id
                 WHERE a.starts_at >= ?1 AND a.starts_at < ?3 AND a.cancelled_at IS NULL)
             GROUP BY unit_id),
         honor AS MATERIALIZED (
             SELECT v.unit_id, sum(g.minutes) AS minutes
             FROM honor_grant g JOIN volunteer v ON v.id = g.volunteer_id
             WHERE g.service_date BETWEEN ?1 AND ?2
             GROUP BY v.unit_id)
         SELECT u.id, u.name, coalesce(credit.minutes, 0), coalesce(honor.minutes, 0)
         FROM unit u LEFT JOIN credit ON credit.unit_id = u.id LEFT JOIN honor ON honor.unit_id = u.id
         ORDER BY u.id",
    )?;
    let rows = stmt.query_map(params![first, last, next], |r| {
        Ok(UnitHours {
            unit_id: r.get(0)?,
            unit_name: r.get(1)?,
            credit: Minutes(r.get(2)?),
            honor: Minutes(r.get(3)?),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
