//! Migration 17 (issue #20): 身份证号 and phones sealed in place, and the audit log's copies of
//! them masked, in the one transaction of the upgrade.

use rusqlite::{Connection, OptionalExtension as _};

use crate::error::Result;
use crate::store::audit;
use crate::store::keys::NewKey;

/// Rebuilds the tables with the sealed columns (the SQL file), re-makes volunteer's own
/// indexes and triggers as they were, keeps the key's record, and masks the numbers the audit
/// log holds.
pub(super) fn migrate(conn: &Connection, sql: &str, new_key: &NewKey) -> Result<()> {
    let volunteer_schema = own_schema(conn, "volunteer")?;
    conn.execute_batch(sql)?;
    for statement in &volunteer_schema {
        conn.execute_batch(statement)?;
    }
    seal_objection_contacts(conn)?;
    new_key.record(conn)?;
    audit::mask_personal_numbers(conn)?;
    Ok(())
}

/// An objector's 联系方式 (a phone, mostly) is sealed beside its mask like the others. Its
/// guard refuses any change to a ruled objection, so it steps aside for the upgrade.
fn seal_objection_contacts(conn: &Connection) -> Result<()> {
    let guard: Option<String> = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'contest_objection_ruled_once'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    conn.execute_batch(
        "DROP TRIGGER IF EXISTS contest_objection_ruled_once;
         ALTER TABLE contest_objection ADD COLUMN contact_sealed TEXT NOT NULL DEFAULT '';
         UPDATE contest_objection SET contact_sealed = seal_phone(contact), contact = mask_phone(contact)
         WHERE contact <> '';",
    )?;
    if let Some(sql) = guard {
        conn.execute_batch(&sql)?;
    }
    Ok(())
}

/// A table's indexes and triggers but the audit log's, which the upgrade re-makes anyway.
fn own_schema(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut statement = conn.prepare(
        "SELECT sql FROM sqlite_schema WHERE tbl_name = ?1 AND type IN ('index', 'trigger') AND sql IS NOT NULL
           AND name NOT LIKE 'audit\\_%' ESCAPE '\\' ORDER BY rowid",
    )?;
    let rows = statement.query_map([table], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
