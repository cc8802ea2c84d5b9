//! 志愿服务证明 (办法 §14–15, 民发〔2015〕149号): a certificate of a volunteer's hours and
//! service content over a period, issued free under a serial number from a register the
//! program keeps. The register holds what was certified; a reprint shows the same serial and
//! the same figures, whatever was corrected in the ledger since.

use chrono::{Datelike as _, NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension as _, params};

use crate::domain::{Minutes, format_date, format_minute};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::report::{Hours, OTHER_CATEGORY};

/// What staff ask for: whose hours, over which days, issued by whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateRequest {
    pub volunteer_id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The recording unit that certifies (谁记录谁证明), e.g. 市直机关党员志愿服务总队.
    pub issuing_unit: String,
    pub issued_by: String,
}

/// One line of the certified service content: a service category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateLine {
    pub category: String,
    pub activities: i64,
    pub hours: Hours,
}

/// The volunteer as the certificate names them; the ID number is whole here and masked
/// wherever it is printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertifiedVolunteer {
    pub code: String,
    pub name: String,
    pub gender: String,
    /// `3*****************`.
    pub id_masked: String,
    pub unit_name: String,
}

/// A certificate as the register holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    pub serial: String,
    pub volunteer: CertifiedVolunteer,
    pub period_from: String,
    pub period_to: String,
    pub hours: Hours,
    pub lines: Vec<CertificateLine>,
    pub issuing_unit: String,
    pub issued_by: String,
    pub issued_at: String,
}

/// Issues a certificate: checks the request, sums the ledger over the period, takes the next
/// serial of the year (`ZM2026-00001`) and records it with its content, all in one transaction.
pub fn issue_certificate(store: &mut Store, request: &CertificateRequest, now: NaiveDateTime) -> Result<Certificate> {
    let serial = store.transaction(|conn| {
        let (lines, hours) = certified_content(conn, request, now)?;
        let serial = next_serial(conn, now.year())?;
        conn.prepare_cached(
            "INSERT INTO certificate (serial, volunteer_id, period_from, period_to, credit_minutes, honor_minutes,
                                      issuing_unit, issued_by, issued_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            serial,
            request.volunteer_id,
            format_date(request.from),
            format_date(request.to),
            hours.credit.0,
            hours.honor.0,
            request.issuing_unit.trim(),
            request.issued_by.trim(),
            format_minute(now),
        ])?;
        let id = conn.last_insert_rowid();
        let mut insert = conn.prepare_cached(
            "INSERT INTO certificate_line (certificate_id, line_no, category, activities, credit_minutes, honor_minutes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (no, line) in lines.iter().enumerate() {
            insert.execute(params![
                id,
                no as i64 + 1,
                line.category,
                line.activities,
                line.hours.credit.0,
                line.hours.honor.0
            ])?;
        }
        Ok(serial)
    })?;
    certificate(store.conn(), &serial)
}

/// The content a certificate for `request` would carry and its hours, or why none can be
/// issued: the period, the volunteer, and hours in it. Asked before a save dialog opens, and
/// again inside the issuing transaction.
pub fn certified_content(
    conn: &Connection,
    request: &CertificateRequest,
    now: NaiveDateTime,
) -> Result<(Vec<CertificateLine>, Hours)> {
    if request.to < request.from {
        return Err(Error::rejected("证明期间的结束日期不能早于开始日期"));
    }
    if request.to > now.date() {
        return Err(Error::rejected("证明期间不能晚于今天：尚未发生的服务不能证明"));
    }
    let lines = service_lines(conn, request)?;
    let hours =
        Hours { credit: lines.iter().map(|l| l.hours.credit).sum(), honor: lines.iter().map(|l| l.hours.honor).sum() };
    if hours.total().0 <= 0 {
        return Err(Error::rejected(format!(
            "该志愿者在此期间没有服务时数（{} 至 {}），不能出具证明",
            format_date(request.from),
            format_date(request.to)
        )));
    }
    Ok((lines, hours))
}

/// A volunteer not in the recycle bin, or why not.
fn check_volunteer(conn: &Connection, volunteer_id: i64) -> Result<()> {
    let deleted: Option<Option<String>> = conn
        .prepare_cached("SELECT deleted_at FROM volunteer WHERE id = ?1")?
        .query_row([volunteer_id], |r| r.get(0))
        .optional()?;
    match deleted {
        None => Err(Error::rejected("志愿者不存在")),
        Some(Some(_)) => Err(Error::rejected("该志愿者在回收站中，请先恢复再出具证明")),
        Some(None) => Ok(()),
    }
}

/// The volunteer's hours over the period by service category: credit of closed sessions (and
/// their corrections) at activities that started in the period, honour grants dated in it.
fn service_lines(conn: &Connection, request: &CertificateRequest) -> Result<Vec<CertificateLine>> {
    check_volunteer(conn, request.volunteer_id)?;
    let from = format_date(request.from);
    let to = format_date(request.to);
    let until = format_date(request.to.succ_opt().unwrap_or(request.to));
    let mut stmt = conn.prepare_cached(
        "WITH served AS (
             SELECT a.category, a.id AS activity_id, s.credit_minutes AS credit, 0 AS honor
             FROM credit_session s JOIN activity a ON a.id = s.activity_id
             WHERE s.credit_minutes IS NOT NULL AND s.volunteer_id = ?1 AND a.cancelled_at IS NULL AND a.starts_at >= ?2 AND a.starts_at < ?4
             UNION ALL
             SELECT a.category, a.id, k.minutes, 0
             FROM credit_correction k JOIN credit_session s ON s.id = k.session_id JOIN activity a ON a.id = s.activity_id
             WHERE s.volunteer_id = ?1 AND a.cancelled_at IS NULL AND a.starts_at >= ?2 AND a.starts_at < ?4
             UNION ALL
             SELECT coalesce(a.category, ?5), g.activity_id, 0, g.minutes
             FROM honor_grant g LEFT JOIN activity a ON a.id = g.activity_id
             WHERE g.volunteer_id = ?1 AND g.service_date BETWEEN ?2 AND ?3)
         SELECT category, count(DISTINCT activity_id), sum(credit), sum(honor) FROM served
         GROUP BY category HAVING sum(credit) + sum(honor) <> 0
         ORDER BY sum(credit) + sum(honor) DESC, category",
    )?;
    let rows = stmt.query_map(params![request.volunteer_id, from, to, until, OTHER_CATEGORY], |r| {
        Ok(CertificateLine {
            category: r.get(0)?,
            activities: r.get(1)?,
            hours: Hours { credit: Minutes(r.get(2)?), honor: Minutes(r.get(3)?) },
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The next serial of the year: the register is append-only, so the highest one plus one.
fn next_serial(conn: &Connection, year: i32) -> Result<String> {
    let prefix = format!("ZM{year:04}-");
    let last: Option<String> = conn
        .prepare_cached("SELECT max(serial) FROM certificate WHERE serial LIKE ?1 || '%'")?
        .query_row([&prefix], |r| r.get(0))?;
    let number = last.and_then(|s| s.strip_prefix(&prefix).and_then(|n| n.parse::<u32>().ok())).unwrap_or(0) + 1;
    Ok(format!("{prefix}{number:05}"))
}

/// A certificate by its serial, as it was issued (for a reprint).
pub fn certificate(conn: &Connection, serial: &str) -> Result<Certificate> {
    let (id, mut certificate) = conn
        .prepare_cached(
            "SELECT c.id, c.serial, v.code, v.name, v.gender, v.id_masked, u.name, c.period_from, c.period_to,
                    c.credit_minutes, c.honor_minutes, c.issuing_unit, c.issued_by, c.issued_at
             FROM certificate c JOIN volunteer v ON v.id = c.volunteer_id JOIN unit u ON u.id = v.unit_id
             WHERE c.serial = ?1",
        )?
        .query_row([serial.trim()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                Certificate {
                    serial: r.get(1)?,
                    volunteer: CertifiedVolunteer {
                        code: r.get(2)?,
                        name: r.get(3)?,
                        gender: r.get(4)?,
                        id_masked: r.get(5)?,
                        unit_name: r.get(6)?,
                    },
                    period_from: r.get(7)?,
                    period_to: r.get(8)?,
                    hours: Hours { credit: Minutes(r.get(9)?), honor: Minutes(r.get(10)?) },
                    lines: Vec::new(),
                    issuing_unit: r.get(11)?,
                    issued_by: r.get(12)?,
                    issued_at: r.get(13)?,
                },
            ))
        })
        .optional()?
        .ok_or_else(|| Error::rejected(format!("证明编号 {} 不在登记簿中", serial.trim())))?;
    let mut lines = conn.prepare_cached(
        "SELECT category, activities, credit_minutes, honor_minutes FROM certificate_line
         WHERE certificate_id = ?1 ORDER BY line_no",
    )?;
    certificate.lines = lines
        .query_map([id], |r| {
            Ok(CertificateLine {
                category: r.get(0)?,
                activities: r.get(1)?,
                hours: Hours { credit: Minutes(r.get(2)?), honor: Minutes(r.get(3)?) },
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(certificate)
}

/// The register: every certificate issued to a volunteer, newest first, as (serial, issued at).
pub fn certificates_of(conn: &Connection, volunteer_id: i64) -> Result<Vec<(String, String)>> {
    let mut stmt =
        conn.prepare_cached("SELECT serial, issued_at FROM certificate WHERE volunteer_id = ?1 ORDER BY id DESC")?;
    let rows = stmt.query_map([volunteer_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The 总队's name: who issues certificates for the city's 机关 volunteers by default.
pub fn default_issuing_unit(conn: &Connection) -> Result<String> {
    let name: Option<String> =
        conn.prepare_cached("SELECT name FROM team WHERE kind = '总队'")?.query_row([], |r| r.get(0)).optional()?;
    Ok(name.unwrap_or_else(|| "市直机关工委".to_string()))
}

/// The window's API: what the screens ask, acting for the store's account.
impl Store {
    /// The 总队's name: who issues certificates for the city's 机关 volunteers by default.
    pub fn default_issuing_unit(&self) -> Result<String> {
        default_issuing_unit(&self.conn)
    }

    /// The hours a certificate for `request` would certify, or why none can be issued; asked
    /// before the save dialog opens.
    pub fn certifiable_hours(&self, request: &CertificateRequest, now: NaiveDateTime) -> Result<Hours> {
        certified_content(&self.conn, request, now).map(|(_, hours)| hours)
    }

    /// A certificate by its serial, as it was issued (for a reprint).
    pub fn certificate(&self, serial: &str) -> Result<Certificate> {
        certificate(&self.conn, serial)
    }
}
