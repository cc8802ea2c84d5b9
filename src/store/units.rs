//! 单位: the government units, each with its headcount of party members.

use rusqlite::{Connection, params};

use crate::error::{Error, Result};
use crate::store::Store;

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

/// A unit with its registration figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitRow {
    pub id: i64,
    pub name: String,
    pub party_members: i64,
    /// Registered volunteers not in the recycle bin.
    pub volunteers: i64,
}

pub fn list_units(conn: &Connection) -> Result<Vec<UnitRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.id, u.name, u.party_members,
                (SELECT count(*) FROM volunteer v WHERE v.unit_id = u.id AND v.deleted_at IS NULL)
         FROM unit u ORDER BY u.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(UnitRow { id: r.get(0)?, name: r.get(1)?, party_members: r.get(2)?, volunteers: r.get(3)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Renames a unit and sets its 党员总数; the name stays unique.
pub fn update_unit(conn: &Connection, id: i64, unit: &NewUnit) -> Result<()> {
    let name = unit.name.trim();
    if unit_id_by_name(conn, name)?.is_some_and(|other| other != id) {
        return Err(Error::rejected(format!("单位“{name}”已存在")));
    }
    set_party_members(conn, id, unit.party_members)?;
    conn.prepare_cached("UPDATE unit SET name = ?2 WHERE id = ?1")?.execute(params![id, name])?;
    Ok(())
}

/// Changes a unit's 党员总数.
pub fn set_party_members(conn: &Connection, id: i64, party_members: i64) -> Result<()> {
    if party_members < 0 {
        return Err(Error::rejected("党员总数不能为负数"));
    }
    conn.prepare_cached("UPDATE unit SET party_members = ?2 WHERE id = ?1")?.execute(params![id, party_members])?;
    Ok(())
}

/// The window's API: what the screens ask, acting for the store's account.
impl Store {
    /// Changes a unit's 党员总数.
    pub fn set_party_members(&self, id: i64, party_members: i64) -> Result<()> {
        set_party_members(&self.conn, id, party_members)
    }

    /// Saves the unit form: a change to `id`, or a new unit, in one transaction.
    pub fn save_unit(&mut self, id: Option<i64>, unit: &NewUnit) -> Result<()> {
        if unit.name.trim().is_empty() {
            return Err(Error::rejected("请填写单位名称"));
        }
        self.transaction(|conn| match id {
            Some(id) => update_unit(conn, id, unit),
            None => insert_unit(conn, unit).map(|_| ()),
        })
    }

    pub fn units(&self) -> Result<Vec<UnitRow>> {
        list_units(&self.conn)
    }
}
