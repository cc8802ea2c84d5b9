//! 志愿者: the registry of volunteers. The 身份证号 is checked here (GB 11643) and is never
//! used as a key the user sees; the program's own 志愿者编号 is.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension as _, params};

use crate::domain::format_date;
use crate::domain::identity::{is_mobile_number, parse_id_card};
use crate::error::{Error, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewVolunteer {
    pub code: String,
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub unit_id: i64,
    pub team_id: Option<i64>,
    pub political_status: String,
    pub skills: String,
    pub service_categories: String,
    pub registered_on: NaiveDate,
}

/// Registers a volunteer; gender and birth date are read from the ID number.
pub fn insert_volunteer(conn: &Connection, v: &NewVolunteer, today: NaiveDate) -> Result<i64> {
    let name = v.name.trim();
    let card = parse_id_card(&v.id_number, today).map_err(|why| Error::rejected(format!("{name}：{why}")))?;
    let phone = v.phone.trim();
    if !is_mobile_number(phone) {
        return Err(Error::rejected(format!("{name}：手机号“{phone}”格式不正确（应为1开头的11位数字）")));
    }
    if v.registered_on > today {
        return Err(Error::rejected(format!("{name}：注册日期不能晚于今天")));
    }
    if let Some((code, existing)) = volunteer_by_id_number(conn, &card.number)? {
        return Err(Error::rejected(format!("{name}：身份证号与已登记的志愿者 {existing}（编号 {code}）重复")));
    }
    conn.prepare_cached(
        "INSERT INTO volunteer (code, name, gender, birth_date, id_number, phone, unit_id, team_id,
                                political_status, skills, service_categories, registered_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        v.code.trim(),
        name,
        card.gender.label(),
        format_date(card.birth_date),
        card.number,
        phone,
        v.unit_id,
        v.team_id,
        v.political_status.trim(),
        v.skills.trim(),
        v.service_categories.trim(),
        format_date(v.registered_on),
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The code and name of the volunteer holding an ID number, deleted ones included.
fn volunteer_by_id_number(conn: &Connection, id_number: &str) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached("SELECT code, name FROM volunteer WHERE id_number = ?1")?
        .query_row([id_number], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?)
}
