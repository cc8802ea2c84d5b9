//! Migration 17 (issue #20): 身份证号 and phones sealed in place, and the audit log's copies of
//! them masked, in the one transaction of the upgrade.

use rusqlite::{Connection, OptionalExtension as _};

use crate::error::{Error, Result};
use crate::store::audit;
use crate::store::keys::NewKey;

/// Runs the migration in its own transaction with foreign keys not enforced, and checks the
/// references to volunteers whole before the commit, as SQLite advises for a table rebuilt
/// (lang_altertable.html). Enforced, dropping and refilling the table made SQLite look up
/// every row's referrers, and `team_membership` has no index that lookup can use (its index on
/// the volunteer is partial): a scan of every membership for every volunteer, twice — 50,000
/// volunteers took 132 s.
pub(super) fn migrate_unenforced(conn: &mut Connection, sql: &str, new_key: &NewKey) -> Result<()> {
    let enforced: bool = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
    // A no-op inside a transaction: it is set before this one begins.
    conn.pragma_update(None, "foreign_keys", false)?;
    let migrated = (|| -> Result<()> {
        let tx = conn.transaction()?;
        let broken_before = broken_references(&tx)?;
        migrate(&tx, sql, new_key)?;
        let broken_after = broken_references(&tx)?;
        if broken_after > broken_before {
            return Err(Error::rejected(format!(
                "升级后有 {} 行引用的志愿者记录不存在，已撤销升级，数据库未改动",
                broken_after - broken_before
            )));
        }
        tx.pragma_update(None, "user_version", super::SEALING_VERSION)?;
        tx.commit()?;
        Ok(())
    })();
    conn.pragma_update(None, "foreign_keys", enforced)?;
    migrated
}

/// Rows whose reference to a volunteer, or a volunteer's own, points at nothing: the only
/// references the rebuild could break.
fn broken_references(conn: &Connection) -> Result<i64> {
    let mut tables: Vec<String> = conn
        .prepare(
            "SELECT DISTINCT m.name FROM sqlite_schema m, pragma_foreign_key_list(m.name) f
             WHERE m.type = 'table' AND f.\"table\" = 'volunteer'",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    tables.push("volunteer".to_string());
    let mut broken = 0;
    for table in tables {
        let sql = format!("SELECT count(*) FROM pragma_foreign_key_check('{}')", table.replace('\'', "''"));
        broken += conn.query_row(&sql, [], |r| r.get::<_, i64>(0))?;
    }
    Ok(broken)
}

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
