//! 单位: the government units, each with its headcount of party members.

use rusqlite::{Connection, params};

use crate::error::{Error, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUnit {
    pub name: String,
    /// 党员总数, the denominator of the registration rate.
    pub party_members: i64,
}

pub fn insert_unit(conn: &Connection, unit: &NewUnit) -> Result<i64> {
    let name = unit.name.trim();
    if unit_id_by_name(conn, name)?.is_some() {
        return Err(Error::rejected(format!("单位“{name}”已存在")));
    }
    conn.prepare_cached("INSERT INTO unit (name, party_members) VALUES (?1, ?2)")?
        .execute(params![name, unit.party_members])?;
    Ok(conn.last_insert_rowid())
}

pub fn unit_id_by_name(conn: &Connection, name: &str) -> Result<Option<i64>> {
    use rusqlite::OptionalExtension as _;
    Ok(conn
        .prepare_cached("SELECT id FROM unit WHERE name = ?1")?
        .query_row([name.trim()], |row| row.get(0))
        .optional()?)
}
