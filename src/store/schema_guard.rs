//! The schema objects the program made, and the refusal of any other (issue #26).
//!
//! A trigger or a view runs whatever SQL it holds whenever the program touches its table, on
//! the machine that holds the key. One planted in a copy, or in a backup later restored, must
//! never run: the open, every restore and `check` compare each trigger and view of a file
//! with those a fresh database of this program has (name and SHA-256 of the SQL), and a table
//! or index whose SQL calls one of the program's functions is refused too. The list is made
//! at run time by applying the migrations to a database in memory, so it cannot drift from
//! them.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, OnceLock};

use rusqlite::Connection;
use sha2::{Digest, Sha256};

use super::keys::{self, NewKey};
use super::sealing::DataKey;
use super::{audit, guard, migrations};
use crate::error::{Error, Result};

/// The functions the program lends to SQL: no schema object but its own may name them.
const PROGRAM_FUNCTIONS: [&str; 10] = [
    "seal_id",
    "seal_phone",
    "index_id",
    "open_phone",
    "mask_id",
    "mask_phone",
    "audit_actor",
    "audit_rows",
    "audit_hash",
    "audit_signature",
];

/// The program's triggers and views: at the latest version (name → hash), and every one
/// any version had on the way there, for a file not yet upgraded.
struct Known {
    latest: BTreeMap<String, String>,
    any_version: BTreeSet<(String, String)>,
}

fn hash(sql: &str) -> String {
    super::sealing::hex(&Sha256::digest(sql.as_bytes()))
}

/// Triggers and views of `conn` as (type, name, hash), and every schema object's SQL.
fn objects(conn: &Connection) -> Result<Vec<(String, String, String, String)>> {
    let mut statement = conn.prepare(
        "SELECT type, name, coalesce(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )?;
    let rows = statement.query_map([], |r| {
        let sql: String = r.get(2)?;
        Ok((r.get(0)?, r.get(1)?, hash(&sql), sql))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn build_known() -> Result<Known> {
    let mut conn = Connection::open_in_memory()?;
    let context = Arc::new(Mutex::new(guard::AuditContext { actor: String::new(), rows: false }));
    guard::register_functions(&conn, &context)?;
    let key = DataKey::generate()?;
    keys::register_functions(&conn, &Arc::new(Mutex::new(Some(key.clone()))))?;
    let new_key = NewKey { key_id: "0".to_string(), key, recovery: None };
    let mut any_version = BTreeSet::new();
    for version in 1..=migrations::latest_version() {
        // The logging triggers of an older file were made by an older program: they are
        // held to their names (`foreign_objects`), and every upgrade re-makes them.
        migrations::migrate_with_key(&mut conn, version, Some(&new_key), &mut |_| {})?;
        for (kind, name, hash, _) in objects(&conn)? {
            if kind == "trigger" || kind == "view" {
                any_version.insert((name, hash));
            }
        }
    }
    audit::install_triggers(&conn)?;
    let latest = objects(&conn)?
        .into_iter()
        .filter(|(kind, ..)| kind == "trigger" || kind == "view")
        .map(|(_, name, hash, _)| (name, hash))
        .collect();
    Ok(Known { latest, any_version })
}

fn known() -> Result<&'static Known> {
    static KNOWN: OnceLock<std::result::Result<Known, String>> = OnceLock::new();
    KNOWN
        .get_or_init(|| build_known().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| Error::rejected(format!("无法生成本程序的数据库结构清单：{e}")))
}

/// What in the file's schema the program did not make, each said in Chinese; empty when
/// nothing. A file at the latest version is held to that version's objects exactly; an
/// older one to those any version had (its logging triggers, which every upgrade re-makes,
/// by name only).
pub fn foreign_objects(conn: &Connection) -> Result<Vec<String>> {
    let known = known()?;
    let latest = migrations::current_version(conn)? == migrations::latest_version();
    let mut found = Vec::new();
    for (kind, name, hash, sql) in objects(conn)? {
        let label = match kind.as_str() {
            "trigger" => "触发器",
            "view" => "视图",
            "index" => "索引",
            _ => "表",
        };
        if kind == "trigger" || kind == "view" {
            let ours = if latest {
                known.latest.get(&name) == Some(&hash)
            } else {
                known.any_version.contains(&(name.clone(), hash)) || (kind == "trigger" && name.starts_with("audit_"))
            };
            if !ours {
                found.push(format!("{label}“{name}”不是本程序创建的"));
            }
        } else if let Some(function) = calls_program_function(&sql) {
            found.push(format!("{label}“{name}”的定义调用了本程序的函数 {function}，不是本程序创建的"));
        }
    }
    Ok(found)
}

/// The first of the program's functions `sql` calls, if any.
fn calls_program_function(sql: &str) -> Option<&'static str> {
    let lower = sql.to_ascii_lowercase();
    PROGRAM_FUNCTIONS.into_iter().find(|f| {
        lower.match_indices(f).any(|(at, _)| {
            let before = lower[..at].chars().next_back();
            let after = lower[at + f.len()..].trim_start().chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_') && after == Some('(')
        })
    })
}

/// Refuses a file whose schema holds what the program did not make, naming it.
pub fn refuse_foreign(conn: &Connection) -> Result<()> {
    let found = foreign_objects(conn)?;
    if found.is_empty() {
        return Ok(());
    }
    Err(Error::rejected(format!("{}。{REFUSAL}", found.join("；"))))
}

/// What the refusal of a planted object adds: what it means and what to do.
pub const REFUSAL: &str = "数据库中有不是本程序创建的对象，可能被人改动过，未打开也未做任何改动。\
    请用“备份”文件夹中一份完好的备份恢复，或交给技术人员检查";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_database_holds_only_known_objects() {
        let known = known().expect("known");
        assert!(known.latest.contains_key("audit_volunteer_INSERT"), "the logging triggers are known");
        assert!(known.latest.contains_key("credit_session_minutes"), "the views are known");
    }

    #[test]
    fn a_call_is_told_from_a_column_name() {
        assert_eq!(calls_program_function("CHECK (x = open_phone (y))"), Some("open_phone"));
        assert_eq!(calls_program_function("CREATE TABLE t (id_index TEXT, reopen_phone(x))"), None);
        assert_eq!(calls_program_function("CREATE TABLE t (index_id TEXT)"), None);
    }
}
