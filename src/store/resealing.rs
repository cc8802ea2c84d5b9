//! 更换数据密钥 (issue #26): a new random data key, every value sealed under the old one
//! sealed again under it, every ID index computed again, the audit log signed again, and the
//! new key wrapped under a new 恢复码 — in one transaction, so a failure leaves the old key and
//! the file as they were. The same walk over the places binds, once, the values sealed before
//! they were bound to their rows (format `1`, sealing.rs) at the first open with the key.
//!
//! Why the log is signed again rather than checked stretch by stretch, each with its key: the
//! log's own copies of the sealed values must be sealed again too (else the old key, from an
//! old 恢复码 and an old backup, would open them in today's file), which changes the entries
//! anyway; and keeping the old key to check old stretches would keep what this retires. A
//! chain already broken is refused first, so no edit made outside the program is signed over.

use std::path::Path;
use std::sync::PoisonError;

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension as _, TransactionBehavior, params, params_from_iter};

use super::guard::{self, Actor, SharedContext};
use super::keys::{self, NewKey, SharedKey};
use super::sealing::{self, DataKey, Field, Place};
use super::{Store, audit};
use crate::domain::access::{Action, require};
use crate::error::{Error, Result};

/// Reads every value of one place with `old` and writes it again with `new`, bound to its row.
pub(crate) type Reseal = fn(&Connection, &DataKey, &DataKey) -> Result<()>;

/// Every place whose values are sealed under the data key, but the audit log's copies of them
/// (sealed again with the log's signatures, [`change_key`]). A place sealed under the key
/// later is one line here.
const PLACES: &[Reseal] = &[volunteers, team_managers, work_authors, objectors, ballot_secrets];

/// The contest rounds' ballot secrets and the returned ballots' receipts.
fn ballot_secrets(conn: &Connection, old: &DataKey, new: &DataKey) -> Result<()> {
    super::contest::workbooks::reseal_ballot_secrets(conn, old, new).map(drop)
}

/// A volunteer's ID, its index and phone.
fn volunteers(conn: &Connection, old: &DataKey, new: &DataKey) -> Result<()> {
    let rows: Vec<(i64, String, String)> = conn
        .prepare("SELECT volunteer_id, id_sealed, phone_sealed FROM volunteer_sealed")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut write = conn.prepare(
        "UPDATE volunteer_sealed SET id_sealed = ?2, id_index = ?3, phone_sealed = ?4 WHERE volunteer_id = ?1",
    )?;
    for (id, sealed_id, sealed_phone) in rows {
        let place = Place { table: "volunteer_sealed", row: id };
        let unreadable = |e: Error| Error::rejected(format!("序号 {id} 的志愿者的身份证号或手机号：{e}"));
        let number = old.open_either(Field::IdNumber, place, &sealed_id).map_err(unreadable)?;
        let phone = old.open_either(Field::Phone, place, &sealed_phone).map_err(unreadable)?;
        write.execute(params![
            id,
            new.seal_at(Field::IdNumber, place, &number)?,
            new.index(Field::IdNumber, &number),
            new.seal_at(Field::Phone, place, &phone)?
        ])?;
    }
    Ok(())
}

/// A team manager's phone.
fn team_managers(conn: &Connection, old: &DataKey, new: &DataKey) -> Result<()> {
    reseal_phones(conn, old, new, "team", "manager_phone_sealed", "队伍负责人电话")
}

/// A contest work's author's phone; the work's guard steps aside (a work past collecting is
/// frozen, its sealed phone included).
fn work_authors(conn: &Connection, old: &DataKey, new: &DataKey) -> Result<()> {
    with_triggers_aside(conn, &["contest_work_frozen_after_collecting"], || {
        reseal_phones(conn, old, new, "contest_work", "author_phone_sealed", "作品作者电话")
    })
}

/// An objector's 联系方式; a ruled objection's guard steps aside.
fn objectors(conn: &Connection, old: &DataKey, new: &DataKey) -> Result<()> {
    with_triggers_aside(conn, &["contest_objection_ruled_once"], || {
        reseal_phones(conn, old, new, "contest_objection", "contact_sealed", "异议人联系方式")
    })
}

/// The phones of one column of `table` (keyed by `id`), empty ones left empty.
fn reseal_phones(conn: &Connection, old: &DataKey, new: &DataKey, table: &str, column: &str, what: &str) -> Result<()> {
    let rows: Vec<(i64, String)> = conn
        .prepare(&format!("SELECT id, {column} FROM {table} WHERE {column} <> ''"))?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut write = conn.prepare(&format!("UPDATE {table} SET {column} = ?2 WHERE id = ?1"))?;
    for (id, sealed) in rows {
        let place = Place { table, row: id };
        let phone = old
            .open_either(Field::Phone, place, &sealed)
            .map_err(|e| Error::rejected(format!("序号 {id} 的{what}：{e}")))?;
        write.execute(params![id, new.seal_at(Field::Phone, place, &phone)?])?;
    }
    Ok(())
}

/// The sealed columns a logged row carries, by table; the ID's index is computed again beside
/// its number.
const LOGGED_SEALED: [(&str, &str, Field); 5] = [
    ("volunteer_sealed", "id_sealed", Field::IdNumber),
    ("volunteer_sealed", "phone_sealed", Field::Phone),
    ("team", "manager_phone_sealed", Field::Phone),
    ("contest_work", "author_phone_sealed", Field::Phone),
    ("contest_objection", "contact_sealed", Field::Phone),
];

/// The log's copies of sealed values, in the JSON of the rows it logged: each bound to the row
/// the entry names (`team#3`), as it was sealed there. The log's guard against updates must
/// already stand aside.
fn audit_log_values(conn: &Connection, old: &DataKey, new: &DataKey) -> Result<()> {
    let tables = ["volunteer_sealed", "team", "contest_work", "contest_objection"];
    let wanted: Vec<String> = tables.iter().map(|t| format!("object GLOB '{t}#*'")).collect();
    let entries: Vec<(i64, String, Option<String>, Option<String>)> = conn
        .prepare(&format!("SELECT id, object, before, after FROM audit_log WHERE {}", wanted.join(" OR ")))?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, object, before, after) in entries {
        let Some((table, row)) = object.split_once('#').and_then(|(t, r)| Some((t, r.parse::<i64>().ok()?))) else {
            continue;
        };
        for (side, json) in [("before", before), ("after", after)] {
            let Some(json) = json else { continue };
            let changes = resealed_json_values(&json, Place { table, row }, old, new)
                .map_err(|e| Error::rejected(format!("操作日志第 {id} 条中的密文：{e}")))?;
            if changes.is_empty() {
                continue;
            }
            let pairs = vec!["?, ?"; changes.len()].join(", ");
            let sql = format!("UPDATE audit_log SET {side} = json_set({side}, {pairs}) WHERE id = {id}");
            conn.execute(&sql, params_from_iter(changes.into_iter().flat_map(|(path, value)| [path, value])))?;
        }
    }
    Ok(())
}

/// The JSON paths of a logged row's sealed values and their new forms.
fn resealed_json_values(json: &str, place: Place<'_>, old: &DataKey, new: &DataKey) -> Result<Vec<(String, String)>> {
    let Ok(row) = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(json) else {
        return Ok(Vec::new());
    };
    let mut changes = Vec::new();
    for (_, column, field) in LOGGED_SEALED.iter().filter(|(table, ..)| *table == place.table) {
        let Some(sealed) = row.get(*column).and_then(serde_json::Value::as_str).filter(|s| !s.is_empty()) else {
            continue;
        };
        let clear = old.open_either(*field, place, sealed)?;
        changes.push((format!("$.{column}"), new.seal_at(*field, place, &clear)?));
        if *field == Field::IdNumber && row.contains_key("id_index") {
            changes.push(("$.id_index".to_string(), new.index(Field::IdNumber, &clear)));
        }
    }
    Ok(changes)
}

/// Runs `work` with the named guard triggers dropped, and makes them again as they were (the
/// same SQL, so the schema guard knows them). Inside a transaction, nobody sees them missing.
fn with_triggers_aside<T>(conn: &Connection, names: &[&str], work: impl FnOnce() -> Result<T>) -> Result<T> {
    let mut kept = Vec::new();
    for name in names {
        let sql: Option<String> = conn
            .query_row("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1", [name], |r| r.get(0))
            .optional()?;
        if let Some(sql) = sql {
            conn.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
            kept.push(sql);
        }
    }
    let value = work()?;
    for sql in kept {
        conn.execute_batch(&sql)?;
    }
    Ok(value)
}

/// For `check`, with the key: each volunteer whose sealed ID or phone does not open at its row
/// (moved there from another person's, or damaged), or whose ID index is not its number's, by
/// 志愿者编号. Before the values were bound, one in format `1` is checked for its kind only.
pub(crate) fn misplaced_values(conn: &Connection, key: &DataKey) -> Result<Vec<String>> {
    let open = if rows_bound(conn)? { DataKey::open_at } else { DataKey::open_either };
    let mut statement = conn.prepare(
        "SELECT s.volunteer_id, v.code, s.id_sealed, s.id_index, s.phone_sealed
         FROM volunteer_sealed s JOIN volunteer v ON v.id = s.volunteer_id ORDER BY v.code",
    )?;
    let mut rows = statement.query([])?;
    let mut problems = Vec::new();
    while let Some(row) = rows.next()? {
        let (id, code): (i64, String) = (row.get(0)?, row.get(1)?);
        let (sealed_id, index, sealed_phone): (String, String, String) = (row.get(2)?, row.get(3)?, row.get(4)?);
        let place = Place { table: "volunteer_sealed", row: id };
        match open(key, Field::IdNumber, place, &sealed_id) {
            Ok(number) if key.index(Field::IdNumber, &number) != index => {
                problems.push(format!("志愿者 {code} 的证件号索引与其身份证号不符（被替换过）"));
            }
            Ok(_) => {}
            Err(_) => problems.push(format!("志愿者 {code} 的身份证号密文不属于这一行（被从别处移来）或已损坏")),
        }
        if open(key, Field::Phone, place, &sealed_phone).is_err() {
            problems.push(format!("志愿者 {code} 的手机号密文不属于这一行（被从别处移来）或已损坏"));
        }
    }
    Ok(problems)
}

/// Whether any place still holds a value sealed before values were bound to their rows.
fn has_unbound(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM volunteer_sealed WHERE id_sealed GLOB '1*' OR phone_sealed GLOB '1*')
             OR EXISTS (SELECT 1 FROM team WHERE manager_phone_sealed GLOB '1*')
             OR EXISTS (SELECT 1 FROM contest_work WHERE author_phone_sealed GLOB '1*')
             OR EXISTS (SELECT 1 FROM contest_objection WHERE contact_sealed GLOB '1*')",
        [],
        |r| r.get(0),
    )?)
}

/// Whether the values have been bound to their rows (migration 20's `rows_bound`).
fn rows_bound(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT rows_bound FROM field_key WHERE id = 1", [], |r| r.get(0)).optional()?.unwrap_or(false))
}

/// Binds the values sealed before migration 20 to their rows, under the same key, once: at the
/// first open (or 恢复码, or restore) with the key on a file that may be written. Logged as one
/// entry. The audit log's copies stay as they are (never opened, and rewriting them would
/// change entries whose 校验码 may be written down): 更换数据密钥 binds them. Once done, never
/// again: a format-1 value found later was put there from outside, and stays unopenable.
pub(crate) fn bind_unbound(conn: &Connection, audit: &SharedContext, key: &DataKey) -> Result<()> {
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) || rows_bound(conn)? {
        return Ok(());
    }
    unlogged(audit, || {
        guard::maintaining(|| {
            let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
            if has_unbound(&tx)? {
                for place in PLACES {
                    place(&tx, key, key)?;
                }
                let program = Actor { name: "程序".to_string(), ..Actor::command_line() };
                audit::record(
                    &tx,
                    &program,
                    "绑定密文",
                    "数据密钥",
                    "身份证号和手机号的密文与所在的行绑定：移到别人名下即无法解开",
                )?;
            }
            tx.execute("UPDATE field_key SET rows_bound = 1 WHERE id = 1", [])?;
            tx.commit()?;
            Ok(())
        })
    })
}

/// Runs `work` with the logging triggers quiet: sealing again changes no fact, and one entry
/// says what was done instead of one a row.
fn unlogged<T>(audit: &SharedContext, work: impl FnOnce() -> Result<T>) -> Result<T> {
    let was = std::mem::replace(&mut audit.lock().unwrap_or_else(PoisonError::into_inner).rows, false);
    let value = work();
    audit.lock().unwrap_or_else(PoisonError::into_inner).rows = was;
    value
}

/// The work inside the transaction of 更换数据密钥: every place, the log's copies and its
/// signatures, the key's record with the new 恢复码's wrap; then the key lent to SQL is the
/// new one, so the entry that records the change is signed with it.
fn change_key(
    conn: &Connection,
    old: &DataKey,
    new: &NewKey,
    wrap: &sealing::RecoveryWrap,
    lent: &SharedKey,
) -> Result<()> {
    for place in PLACES {
        place(conn, old, &new.key)?;
    }
    with_triggers_aside(conn, &["audit_log_no_update"], || {
        audit_log_values(conn, old, &new.key)?;
        audit::sign_again(conn, &new.key)
    })?;
    keys::replace_key(conn, new, wrap)?;
    *lent.lock().unwrap_or_else(PoisonError::into_inner) = Some(new.key.clone());
    Ok(())
}

/// Refuses to sign over a chain already broken or edited: that must be looked into first.
fn refuse_broken_chain(conn: &Connection) -> Result<()> {
    match audit::verify(conn)? {
        audit::Verdict::Broken { entry, .. } => Err(Error::rejected(format!(
            "操作日志自第 {entry} 条起哈希链断开（日志在程序之外被改动过），不能更换数据密钥：\
             新密钥会重新签名整个日志，把改动一并认可。请先用“校验哈希链”核查，必要时从完好的备份恢复。"
        ))),
        _ => Ok(()),
    }
}

/// What 更换数据密钥 says in the log and to whoever ran it.
pub const KEY_CHANGED: &str = "已更换数据密钥：全部身份证号和手机号已用新密钥重新加密，操作日志已用新密钥重新签名，\
    旧的恢复码作废；此前抄录的校验码不再适用，请抄录新的校验码。此前的备份仍由各自当时的恢复码打开。";

impl Store {
    /// 更换数据密钥 (an administrator's act): see the module. Returns the new 恢复码, to be
    /// shown once; with `out`, its printable sheet is written there (a new file, readable by
    /// this account only) inside the transaction, and removed if the transaction then fails.
    ///
    /// The order makes a crash at any point safe: the new key is kept in the keystore under a
    /// new id before the transaction, the file names the key it is sealed under (the old id
    /// until the commit, the new one after), and the old key is removed from this machine only
    /// after the commit. The file is then rewritten (VACUUM) so no freed page keeps a value
    /// the old key opens; if another connection holds it back, the next open finishes it.
    pub fn change_data_key(&mut self, out: Option<&Path>, made_at: NaiveDateTime) -> Result<String> {
        require(self.actor.role, Action::Administer)?;
        if self.read_only || self.is_read_only_file() {
            return Err(Error::rejected("数据库只读，不能更换数据密钥"));
        }
        let old = self.data_key()?;
        let old_id = keys::record_of(&self.conn)?.key_id;
        refuse_broken_chain(&self.conn)?;
        if let Some(out) = out.filter(|out| out.exists()) {
            return Err(Error::rejected(format!("文件“{}”已存在，未覆盖；请换一个文件名", out.display())));
        }
        let new = NewKey::make(&self.keystore)?;
        let code = sealing::new_recovery_code()?;
        let wrap = sealing::wrap_with_recovery_code(&new.key, &code)?;
        let sheet = self.recovery_sheet(made_at)?;
        let sheet = keys::RecoverySheet { key_id: new.key_id.clone(), ..sheet };
        let (actor, lent, audit) = (self.actor.clone(), self.key.clone(), self.audit.clone());
        let mut written = false;
        let changed = unlogged(&audit, || {
            self.transaction(|conn| {
                guard::maintaining(|| change_key(conn, &old, &new, &wrap, &lent))?;
                audit::record(conn, &actor, "更换数据密钥", "数据密钥", KEY_CHANGED)?;
                if let Some(out) = out {
                    crate::output::write_private(out, &sheet.text(&code))?;
                    written = true;
                }
                Ok(())
            })
        });
        if let Err(err) = changed {
            *self.key.lock().unwrap_or_else(PoisonError::into_inner) = Some(old);
            // Neither the new key nor a code that never opened the file is kept.
            let _ = self.keystore.forget(&new.key_id);
            if let (true, Some(out)) = (written, out) {
                let _ = std::fs::remove_file(out);
            }
            return Err(err);
        }
        // The file opens with the new key only: the old one is kept no longer. A failure here
        // leaves an unused key behind, which opens nothing of today's file.
        let _ = self.keystore.forget(&old_id);
        super::rewrite_pages_once(&self.conn)?;
        Ok(code)
    }

    /// Binds the values sealed before migration 20 to their rows, once the key is here.
    pub(crate) fn bind_sealed_rows(&self) -> Result<()> {
        let Some(key) = self.key.lock().unwrap_or_else(PoisonError::into_inner).clone() else { return Ok(()) };
        bind_unbound(&self.conn, &self.audit, &key)
    }
}
