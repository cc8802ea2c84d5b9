//! The audit log: who did what, when, to which object, before and after, hash-chained.
//!
//! Row changes are logged by triggers on every table (made from the schema itself, so a table
//! added later is covered without anyone remembering to); events that change no row — a login,
//! an ID shown, an export, a round opened — are appended by [`record`]. Both write through the
//! same SQL so the chain is computed one way.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::audit_names::{TableNames, referenced_table, table_names};
use super::guard::{Actor, entry_hash};
use super::sealing::DataKey;
use crate::domain::access::{Action, require};
use crate::domain::identity::{mask_id_number, mask_phone};
use crate::error::{Error, Result};
use crate::store::Store;

/// Tables not logged row by row: the log itself, and votes and scores, which would show who voted for what while a round is open (ballots are
/// logged as submitted, and their hash when the round closes); and the ballot seals' keys,
/// which must never be shown; and the data key's record, whose changes are logged as events
/// (a 恢复码 made or entered).
/// The database's identity and the log-in guard's working rows are logged as events too (a
/// restore, a failed log-in, a lock), and so is the rewrite migration 21 leaves pending.
const UNLOGGED: &[&str] = &[
    "audit_log",
    "contest_vote",
    "contest_score",
    "ballot_seal_key",
    "field_key",
    "database_identity",
    "login_failure",
    "login_lock",
    "log_masks_pending",
];

/// The row changes logged, one trigger each: `audit_{table}_{operation}`.
const OPERATIONS: [&str; 3] = ["INSERT", "UPDATE", "DELETE"];

/// The insert both the triggers and [`record`] use: the hash chains onto the latest entry.
const APPEND: &str = "INSERT INTO audit_log (at, actor, kind, object, before, after, hash)
    SELECT at, actor, kind, object, before, after,
           audit_hash((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), at, actor, kind, object, before, after)
    FROM (SELECT strftime('%Y-%m-%d %H:%M:%f', 'now', 'localtime') AS at, {actor} AS actor, {kind} AS kind,
                 {object} AS object, {before} AS before, {after} AS after)";

/// (Re)creates the logging triggers of every table from its current columns.
pub(crate) fn install_triggers(conn: &Connection) -> Result<()> {
    for table in logged_tables(conn)? {
        let columns = columns_of(conn, &table)?;
        let key = key_expression(&table, &columns);
        for (op, kind, before, after) in [
            (OPERATIONS[0], "新增", None, Some("NEW")),
            (OPERATIONS[1], "修改", Some("OLD"), Some("NEW")),
            (OPERATIONS[2], "删除", Some("OLD"), None),
        ] {
            let row = after.or(before).unwrap_or("NEW");
            let sql = APPEND
                .replace("{actor}", "audit_actor()")
                .replace("{kind}", &format!("'{kind}'"))
                .replace("{object}", &key.replace("ROW", row))
                .replace("{before}", &before.map_or("NULL".to_string(), |r| row_json(&columns, r)))
                .replace("{after}", &after.map_or("NULL".to_string(), |r| row_json(&columns, r)));
            conn.execute_batch(&format!(
                "DROP TRIGGER IF EXISTS audit_{table}_{op};
                 CREATE TRIGGER audit_{table}_{op} AFTER {op} ON {table} WHEN audit_rows() BEGIN {sql}; END;"
            ))?;
        }
    }
    Ok(())
}

/// Drops every logging trigger, for bulk work that is logged as one entry: any trigger on a
/// table makes SQLite keep a statement journal for each insert, even one that logs nothing.
pub(crate) fn drop_triggers(conn: &Connection) -> Result<()> {
    for table in logged_tables(conn)? {
        for op in OPERATIONS {
            conn.execute_batch(&format!("DROP TRIGGER IF EXISTS audit_{table}_{op};"))?;
        }
    }
    Ok(())
}

/// Whether every logged table has its three logging triggers.
pub(crate) fn triggers_complete(conn: &Connection) -> Result<bool> {
    let triggers: std::collections::HashSet<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger'")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let tables = logged_tables(conn)?;
    Ok(tables.iter().all(|table| OPERATIONS.iter().all(|op| triggers.contains(&format!("audit_{table}_{op}")))))
}

fn logged_tables(conn: &Connection) -> Result<Vec<String>> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(tables.into_iter().filter(|t| !UNLOGGED.contains(&t.as_str())).collect())
}

struct Column {
    name: String,
    is_blob: bool,
    key_position: i64,
}

fn columns_of(conn: &Connection, table: &str) -> Result<Vec<Column>> {
    Ok(conn
        .prepare(&format!("PRAGMA table_info({table})"))?
        .query_map([], |row| {
            let kind: String = row.get(2)?;
            Ok(Column { name: row.get(1)?, is_blob: kind.eq_ignore_ascii_case("BLOB"), key_position: row.get(5)? })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// `table#key` with ROW standing for NEW or OLD; the primary key, or the rowid.
fn key_expression(table: &str, columns: &[Column]) -> String {
    let mut keys: Vec<&Column> = columns.iter().filter(|c| c.key_position > 0).collect();
    keys.sort_by_key(|c| c.key_position);
    let key = if keys.is_empty() {
        "ROW.rowid".to_string()
    } else {
        keys.iter().map(|c| format!("ROW.\"{}\"", c.name)).collect::<Vec<_>>().join(" || ',' || ")
    };
    format!("'{table}#' || {key}")
}

/// The row as a JSON object; a photo or other blob as its size, JSON cannot hold bytes.
fn row_json(columns: &[Column], row: &str) -> String {
    let pairs: Vec<String> = columns
        .iter()
        .map(|c| {
            let value = if c.is_blob {
                format!("'字节数 ' || length({row}.\"{}\")", c.name)
            } else {
                format!("{row}.\"{}\"", c.name)
            };
            format!("'{}', {value}", c.name)
        })
        .collect();
    format!("json_object({})", pairs.join(", "))
}

/// The columns the log's older entries hold a clear 身份证号 or phone in, and the SQL function
/// that masks each (keys.rs).
const PERSONAL_NUMBERS: [(&str, &str); 5] = [
    ("id_number", "mask_id"),
    ("phone", "mask_phone"),
    ("manager_phone", "mask_phone"),
    ("author_phone", "mask_phone"),
    ("contact", "mask_phone"),
];

/// Migration 17: the numbers the log's entries hold in clear become their masked forms, and
/// the chain is computed again from the first entry that changed.
pub(crate) fn mask_personal_numbers(conn: &Connection) -> Result<()> {
    rewrite_entries(conn, None, "加密证件号", "身份证号、手机号改为脱敏形式", |conn| {
        let mut masked = 0;
        for (column, mask) in PERSONAL_NUMBERS {
            for side in ["before", "after"] {
                masked += conn.execute(
                    &format!(
                        "UPDATE audit_log SET {side} = json_set({side}, '$.{column}', {mask}(json_extract({side}, '$.{column}')))
                         WHERE json_valid({side}) AND json_type({side}, '$.{column}') = 'text'"
                    ),
                    [],
                )?;
            }
        }
        Ok(masked)
    })
}

/// Where the log's entries hold a 身份证号's mask: a volunteer row's `id_masked`, and the
/// `id_number` of the entries from before migration 17, which masked it.
const ID_MASKS: [&str; 2] = ["id_masked", "id_number"];

/// Migration 21 left the 身份证号 masks in the log's entries to rewrite (its table
/// `log_masks_pending` says so): they keep the first character only, no longer the check
/// character, and the chain is computed again from the first entry that changed, the signed
/// entries signed again with `key` — so this waits for the first open that has the key. A
/// file that may not be written waits for one that may.
pub(crate) fn remask_log_once(conn: &Connection, key: &DataKey) -> Result<()> {
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) || !log_masks_pending(conn)? {
        return Ok(());
    }
    super::guard::maintaining(|| {
        let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
        rewrite_entries(
            &tx,
            Some(key),
            "身份证号脱敏",
            "身份证号改为只显示首位的脱敏形式（不再显示校验位）",
            |conn| {
                let mut masked = 0;
                for column in ID_MASKS {
                    for side in ["before", "after"] {
                        let value = format!("json_extract({side}, '$.{column}')");
                        masked += conn.execute(
                            &format!(
                                "UPDATE audit_log SET {side} = json_set({side}, '$.{column}', mask_id({value}))
                             WHERE json_valid({side}) AND json_type({side}, '$.{column}') = 'text'
                               AND mask_id({value}) <> {value}"
                            ),
                            [],
                        )?;
                    }
                }
                Ok(masked)
            },
        )?;
        tx.execute_batch("DROP TABLE log_masks_pending")?;
        tx.commit()?;
        Ok(())
    })
}

fn log_masks_pending(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'log_masks_pending')",
        [],
        |r| r.get(0),
    )?)
}

/// Rewrites values in the log's entries (`rewrite` says how many) and computes the chain again
/// from the first entry that changed, signing with `key` the entries that were signed. Logged
/// as one entry of `kind` saying what changed and from where: an anchor written down before it
/// no longer matches from there on.
fn rewrite_entries(
    conn: &Connection,
    key: Option<&DataKey>,
    kind: &str,
    what: &str,
    rewrite: impl FnOnce(&Connection) -> Result<usize>,
) -> Result<()> {
    // A chain broken before stays broken where it was: computing it again would pass off an
    // edit made outside the program as the rewrite's.
    let broken_before = match verify(conn)? {
        Verdict::Broken { entry, .. } => Some(entry),
        _ => None,
    };
    let guard: Option<String> = conn
        .query_row("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'audit_log_no_update'", [], |r| {
            r.get(0)
        })
        .optional()?;
    conn.execute_batch("DROP TRIGGER IF EXISTS audit_log_no_update")?;
    let changed = rewrite(conn)?;
    let detail = match broken_before {
        _ if changed == 0 => None,
        Some(entry) => Some(format!(
            "操作日志中 {changed} 处{what}；升级前哈希链已自第 {entry} 条起断开（日志在程序之外被改动过），\
             未重新计算，请保留升级前的备份以便核查"
        )),
        None => rechain(conn, key)?.map(|first| {
            format!(
                "操作日志中 {changed} 处{what}；哈希链自第 {first} 条起重新计算，\
                 此前抄录的第 {first} 条及以后的校验码不再适用，请抄录新的校验码"
            )
        }),
    };
    if let Some(sql) = guard {
        conn.execute_batch(&sql)?;
    }
    if let Some(detail) = detail {
        let upgrade = Actor { name: "程序升级".to_string(), ..Actor::command_line() };
        record(conn, &upgrade, kind, "audit_log", &detail)?;
    }
    Ok(())
}

/// What starts an entry's hash when it is signed with the data key.
const SIGNED: &str = "k";

/// An entry's hash signed with the data key: [`SIGNED`] and the HMAC-SM3 of its fields.
pub(crate) fn signed_hash(key: &DataKey, fields: &[Option<String>]) -> String {
    format!("{SIGNED}{}", key.sign_entry(fields))
}

/// Says in the log that its chain is signed with the data key from this entry on, when the
/// newest entry was not signed (a file from before the chain was keyed, or entries written
/// on a machine without the key): the entries before are protected through it, and the
/// 校验码 written down for them still hold.
pub(crate) fn note_signing(conn: &Connection) -> Result<()> {
    let newest: Option<(i64, String)> = conn
        .query_row("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((id, _)) = newest.filter(|(_, hash)| !hash.starts_with(SIGNED)) else { return Ok(()) };
    let detail = format!(
        "自第 {} 条起，操作日志的哈希链用数据密钥签名：没有密钥就无法改写后重新计算；此前的 {id} 条由它一并保护，抄录过的校验码仍然有效",
        id + 1
    );
    let program = Actor { name: "程序".to_string(), ..Actor::command_line() };
    record(conn, &program, "日志签名", "audit_log", &detail)
}

/// 更换数据密钥 (resealing.rs): every signed entry signed again with `key`, in order, and every
/// unsigned one chained again by SHA-256 as it was (still unsigned, so still reported as such).
/// The caller has checked the chain and stepped the log's guard against updates aside.
pub(crate) fn sign_again(conn: &Connection, key: &DataKey) -> Result<()> {
    rechain(conn, Some(key)).map(drop)
}

/// Recomputes every hash in order and writes those that differ; the first entry rewritten.
/// An entry signed with the data key is signed again with `key`; without one it would lose
/// its signature, so only a log from before the signing is rechained without (migration 17).
fn rechain(conn: &Connection, key: Option<&DataKey>) -> Result<Option<i64>> {
    let mut read =
        conn.prepare("SELECT id, at, actor, kind, object, before, after, hash FROM audit_log ORDER BY id")?;
    let mut write = conn.prepare("UPDATE audit_log SET hash = ?2 WHERE id = ?1")?;
    let mut rows = read.query([])?;
    let mut previous: Option<String> = None;
    let mut first = None;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let mut fields = vec![previous.clone()];
        for i in 1..=6 {
            fields.push(row.get(i)?);
        }
        let stored: String = row.get(7)?;
        let hash = match key {
            Some(key) if stored.starts_with(SIGNED) => signed_hash(key, &fields),
            _ => entry_hash(&fields),
        };
        if hash != stored {
            write.execute(params![id, hash])?;
            first.get_or_insert(id);
        }
        previous = Some(hash);
    }
    Ok(first)
}

/// Appends an event that changes no row: a login, an ID shown, an export, a round opened.
/// A file that may not be written (a CD, a read-only share) can hold no new entry: there
/// the reading it would record goes ahead unlogged, as every change is refused anyway.
pub fn record(conn: &Connection, actor: &Actor, kind: &str, object: &str, detail: &str) -> Result<()> {
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
        return Ok(());
    }
    conn.prepare_cached(&RECORD)?.execute(params![actor.audit_name(), kind, object, detail])?;
    Ok(())
}

/// [`APPEND`] with parameters, made once rather than on every event.
static RECORD: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    APPEND
        .replace("{actor}", "?1")
        .replace("{kind}", "?2")
        .replace("{object}", "?3")
        .replace("{before}", "NULL")
        .replace("{after}", "?4")
});

/// One entry as the viewer shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub object: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

fn entry_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        id: row.get(0)?,
        at: row.get(1)?,
        actor: row.get(2)?,
        kind: row.get(3)?,
        object: row.get(4)?,
        before: row.get(5)?,
        after: row.get(6)?,
    })
}

/// What the viewer filters on; empty fields match everything.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub actor: String,
    pub kind: String,
    pub object: String,
    /// `YYYY-MM-DD`, inclusive.
    pub from: String,
    pub to: String,
    pub limit: usize,
}

/// The newest entries matching `filter`, newest first. The administrator and 监督 only.
pub fn entries(conn: &Connection, actor: &Actor, filter: &Filter) -> Result<Vec<Entry>> {
    require(actor.role, Action::ReadAudit)?;
    let like = |s: &str| format!("%{}%", s.trim());
    let limit = if filter.limit == 0 { 1_000 } else { filter.limit };
    let to = if filter.to.trim().is_empty() { "9999".to_string() } else { format!("{} 99", filter.to.trim()) };
    let mut statement = conn.prepare_cached(
        "SELECT id, at, actor, kind, object, before, after FROM audit_log
         WHERE actor LIKE ?1 AND kind LIKE ?2 AND object LIKE ?3 AND at >= ?4 AND at <= ?5
         ORDER BY id DESC LIMIT ?6",
    )?;
    let rows = statement.query_map(
        params![like(&filter.actor), like(&filter.kind), like(&filter.object), filter.from.trim(), to, limit as i64],
        entry_from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One field of a logged row change, in Chinese: 列 原值 → 新值 (empty on the side that has no
/// row, before an insert or after a delete).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub column: String,
    pub before: String,
    pub after: String,
}

/// An entry as the 操作日志 shows it: the object named (志愿者 ZY000123 张三), a row change
/// field by field, an event's own words as its note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownEntry {
    pub entry: Entry,
    pub object: String,
    pub changes: Vec<Change>,
    pub note: String,
}

impl ShownEntry {
    /// The content on one line: `姓名：张三 → 张叁；手机号：…`, or the note.
    pub fn summary(&self) -> String {
        let fields: Vec<String> = self
            .changes
            .iter()
            .map(|c| match (c.before.is_empty(), c.after.is_empty()) {
                (true, _) => format!("{}：{}", c.column, c.after),
                (false, true) => format!("{}：{}", c.column, c.before),
                (false, false) => format!("{}：{} → {}", c.column, c.before, c.after),
            })
            .collect();
        let mut text = fields.join("；");
        if !self.note.is_empty() {
            if !text.is_empty() {
                text.push('；');
            }
            text.push_str(&self.note);
        }
        text
    }
}

/// The newest entries matching `filter` as the viewer shows them. The administrator and 监督 only.
/// The 对象 filter matches the name shown (张三) as well as the key logged (`volunteer#5`), so
/// the entries are named before that filter is applied.
pub fn shown_entries(conn: &Connection, actor: &Actor, filter: &Filter) -> Result<Vec<ShownEntry>> {
    let wanted = filter.object.trim();
    let limit = if filter.limit == 0 { 1_000 } else { filter.limit };
    let unfiltered =
        Filter { object: String::new(), limit: if wanted.is_empty() { limit } else { 20_000 }, ..filter.clone() };
    let mut namer = Namer { conn, names: HashMap::new() };
    let mut shown = Vec::new();
    for entry in entries(conn, actor, &unfiltered)? {
        let entry = namer.show(entry)?;
        if entry.object.contains(wanted) || entry.entry.object.contains(wanted) {
            shown.push(entry);
            if shown.len() == limit {
                break;
            }
        }
    }
    Ok(shown)
}

type Row = serde_json::Map<String, serde_json::Value>;

/// Names rows for the viewer, each looked up once per reading.
struct Namer<'c> {
    conn: &'c Connection,
    names: HashMap<(&'static str, String), Option<String>>,
}

impl Namer<'_> {
    fn show(&mut self, entry: Entry) -> Result<ShownEntry> {
        let as_row = |text: &Option<String>| text.as_deref().and_then(|t| serde_json::from_str::<Row>(t).ok());
        let target = entry.object.split_once('#').and_then(|(table, key)| Some((table_names(table)?, key)));
        let (before, after) = (as_row(&entry.before), as_row(&entry.after));
        let Some((names, key)) = target else {
            let note = entry.after.clone().unwrap_or_default();
            return Ok(ShownEntry { object: entry.object.clone(), changes: Vec::new(), note, entry });
        };
        let logged_row = after.as_ref().or(before.as_ref());
        let identity = match logged_row {
            // A row change carries the row: a deleted object is named from its old values.
            Some(row) => Some(self.identity(names, row, 0)?),
            None => self.lookup(names.table, key, 0)?,
        };
        let object = match identity.filter(|i| !i.is_empty()) {
            Some(identity) => format!("{} {identity}", names.name),
            None => format!("{}（序号 {key}）", names.name),
        };
        let changes = match logged_row {
            Some(_) => self.changes(names, before.as_ref(), after.as_ref())?,
            None => Vec::new(),
        };
        let note = if logged_row.is_some() { String::new() } else { entry.after.clone().unwrap_or_default() };
        Ok(ShownEntry { entry, object, changes, note })
    }

    /// The fields that differ (all of them for an insert or a delete), in the table's order.
    fn changes(&mut self, names: &TableNames, before: Option<&Row>, after: Option<&Row>) -> Result<Vec<Change>> {
        let mut changes = Vec::new();
        let columns: Vec<&String> = after.or(before).map(|row| row.keys().collect()).unwrap_or_default();
        for column in columns {
            let old = before.and_then(|row| row.get(column.as_str()));
            let new = after.and_then(|row| row.get(column.as_str()));
            if old == new || (old.is_none_or(serde_json::Value::is_null) && new.is_none_or(serde_json::Value::is_null))
            {
                continue;
            }
            changes.push(Change {
                column: names.column(column).to_string(),
                before: self.value_text(column, old, 0)?,
                after: self.value_text(column, new, 0)?,
            });
        }
        Ok(changes)
    }

    /// A value as the viewer shows it: a reference by the row's name, identity numbers masked,
    /// the password hash never.
    fn value_text(&mut self, column: &str, value: Option<&serde_json::Value>, depth: usize) -> Result<String> {
        let text = match value {
            None => return Ok(String::new()),
            Some(serde_json::Value::Null) => return Ok("（空）".to_string()),
            Some(serde_json::Value::String(text)) => text.clone(),
            Some(other) => other.to_string(),
        };
        Ok(match column {
            "password_hash" => "（已隐藏）".to_string(),
            "id_sealed"
            | "id_index"
            | "phone_sealed"
            | "manager_phone_sealed"
            | "author_phone_sealed"
            | "contact_sealed" => "（已加密）".to_string(),
            "id_number" => mask_id_number(&text),
            "phone" | "manager_phone" | "author_phone" => mask_phone(&text),
            _ => match referenced_table(column) {
                Some(table) => self.lookup(table, &text, depth + 1)?.filter(|n| !n.is_empty()).unwrap_or(text),
                None => text,
            },
        })
    }

    /// The values of a row's identity columns, joined by a space.
    fn identity(&mut self, names: &TableNames, row: &Row, depth: usize) -> Result<String> {
        let mut parts = Vec::new();
        for column in names.identity {
            let text = self.value_text(column, row.get(*column), depth)?;
            if !text.is_empty() && text != "（空）" {
                parts.push(text);
            }
        }
        Ok(parts.join(" "))
    }

    /// The name of a row as it is now, by its key; none when it is gone. References are
    /// followed two steps (a ballot names its judge and round, not the round's rows).
    fn lookup(&mut self, table: &str, key: &str, depth: usize) -> Result<Option<String>> {
        let Some(names) = table_names(table) else { return Ok(None) };
        if depth > 2 || names.identity.is_empty() {
            return Ok(None);
        }
        if let Some(known) = self.names.get(&(names.table, key.to_string())) {
            return Ok(known.clone());
        }
        let Some(key_column) = single_key(self.conn, names.table)? else { return Ok(None) };
        let pairs: Vec<String> = names.identity.iter().map(|c| format!("'{c}', \"{c}\"")).collect();
        let sql = format!("SELECT json_object({}) FROM {} WHERE \"{key_column}\" = ?1", pairs.join(", "), names.table);
        let json: Option<String> = self.conn.query_row(&sql, [key], |row| row.get(0)).optional()?;
        let name = match json.and_then(|j| serde_json::from_str::<Row>(&j).ok()) {
            Some(row) => Some(self.identity(names, &row, depth)?),
            None => None,
        };
        self.names.insert((names.table, key.to_string()), name.clone());
        Ok(name)
    }
}

/// The one primary-key column of a table, or `rowid`; none for a composite key.
fn single_key(conn: &Connection, table: &str) -> Result<Option<String>> {
    let keys: Vec<String> =
        columns_of(conn, table)?.into_iter().filter(|c| c.key_position > 0).map(|c| c.name).collect();
    Ok(match keys.len() {
        0 => Some("rowid".to_string()),
        1 => keys.into_iter().next(),
        _ => None,
    })
}

/// The tables the triggers log and their columns, for the test that each has a Chinese name.
pub fn logged_columns(conn: &Connection) -> Result<Vec<(String, Vec<String>)>> {
    let mut tables = Vec::new();
    for table in logged_tables(conn)? {
        let columns = columns_of(conn, &table)?.into_iter().map(|c| c.name).collect();
        tables.push((table, columns));
    }
    Ok(tables)
}

/// The outcome of checking the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every hash follows; `newest` is the anchor to write down now, `confirmed` the one
    /// written down earlier that was checked and holds.
    /// `signed_from`: the first entry signed with the data key, which vouches for those
    /// before it too.
    Intact { entries: i64, newest: Option<Anchor>, confirmed: Option<Anchor>, signed_from: Option<i64> },
    /// The first entry whose hash does not follow from its fields and its predecessor, or
    /// after which entries are missing, or the written-down anchor that no longer holds.
    Broken { entry: i64, reason: String },
    /// The chain holds and the written-down entry is there, but its 校验码 is not the one
    /// typed: a slip in copying, or the log rewritten from there on; `reason` says which is
    /// likelier.
    Mismatch { entry: i64, reason: String },
    /// Nothing found broken, but part of the chain cannot be vouched for: entries signed with
    /// the data key, checked on a machine without it (a copy elsewhere); or entries after the
    /// signing began that carry no signature. `reason` says which, and from which entry.
    /// `key_missing`: this connection has no key to check signatures with.
    Unverified { entries: i64, reason: String, key_missing: bool },
}

/// An entry's number and the start of its hash, written down or printed (校验码). The chain
/// cannot show that its newest entries were deleted; an anchor taken earlier can: the entry
/// must still be there with the same hash, and with it everything before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    pub entry: i64,
    /// The hash's first 16 hex digits in groups of four: `1a2b-3c4d-5e6f-7a8b`.
    pub code: String,
}

impl Anchor {
    fn of(entry: i64, hash: &str) -> Anchor {
        let hash = hash.strip_prefix(SIGNED).unwrap_or(hash);
        let digits: Vec<String> =
            hash.as_bytes().chunks(4).take(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
        Anchor { entry, code: digits.join("-") }
    }

    /// Reads `条号:校验码` as written down (`1024:1a2b-3c4d-5e6f-7a8b`; spaces, dashes and case
    /// do not matter, a full-width colon is accepted).
    pub fn parse(text: &str) -> Result<Anchor> {
        let invalid =
            || Error::rejected(format!("无法识别“{text}”：请按“条号:校验码”填写，例如 1024:1a2b-3c4d-5e6f-7a8b"));
        let (entry, code) = text.split_once([':', '：']).ok_or_else(invalid)?;
        let entry: i64 =
            entry.trim().trim_start_matches('第').trim_end_matches('条').trim().parse().map_err(|_| invalid())?;
        let digits: String =
            code.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_ascii_lowercase();
        if entry < 1 || digits.len() != 16 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(invalid());
        }
        Ok(Anchor::of(entry, &digits))
    }
}

impl std::fmt::Display for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.entry, self.code)
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Verdict::Intact { entries, newest, confirmed, signed_from } => {
                write!(f, "操作日志完整：共 {entries} 条，哈希链校验通过")?;
                match signed_from {
                    Some(1) => write!(f, "，全部用数据密钥签名。")?,
                    Some(first) => write!(f, "，第 {first} 条起用数据密钥签名（此前的记录由它一并保护）。")?,
                    None => write!(f, "。")?,
                }
                if let Some(anchor) = confirmed {
                    write!(f, "抄录的第 {} 条核对一致，它及其之前的记录都在。", anchor.entry)?;
                }
                match newest {
                    Some(anchor) => write!(
                        f,
                        "最新一条的校验码：{anchor}（请抄录或打印留存；日后核对时，这一条及其之前的记录都应还在）"
                    ),
                    None => Ok(()),
                }
            }
            Verdict::Broken { entry, reason } => write!(f, "操作日志校验失败：第 {entry} 条起哈希链断开（{reason}）。"),
            Verdict::Mismatch { reason, .. } => write!(f, "校验码不符：抄写有误或日志被改动，请核对。{reason}"),
            Verdict::Unverified { entries, reason, .. } => write!(f, "操作日志共 {entries} 条，未能全部核对：{reason}"),
        }
    }
}

/// Recomputes every hash from the first entry on: a signed entry's with the data key the
/// connection has been lent (keys.rs), an unsigned one's by SHA-256.
pub fn verify(conn: &Connection) -> Result<Verdict> {
    const READ: &str =
        "SELECT id, at, actor, kind, object, before, after, hash, {signature} FROM audit_log ORDER BY id";
    let signature = "CASE WHEN hash GLOB 'k*' THEN audit_signature(lag(hash) OVER (ORDER BY id), at, actor, kind, object, before, after) END";
    // A connection without the store's functions (or with no key in them) checks no signature.
    let mut statement = match conn.prepare(&READ.replace("{signature}", signature)) {
        Ok(statement) => statement,
        Err(_) => conn.prepare(&READ.replace("{signature}", "NULL"))?,
    };
    let mut rows = statement.query([])?;
    let mut previous: Option<(i64, String)> = None;
    let mut count = 0;
    let mut signed_from = None;
    // Signed entries this connection could not check, and unsigned ones after the signing began.
    let (mut unchecked, mut unsigned): (Vec<i64>, Vec<i64>) = (Vec::new(), Vec::new());
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let fields: Vec<Option<String>> = (1..=6).map(|i| row.get(i)).collect::<rusqlite::Result<_>>()?;
        let stored: String = row.get(7)?;
        if let Some((before, _)) = &previous
            && id != before + 1
        {
            return Ok(Verdict::Broken {
                entry: id, reason: format!("第 {before} 条与第 {id} 条之间的记录被删除")
            });
        }
        let expected = if stored.starts_with(SIGNED) {
            signed_from.get_or_insert(id);
            let signature: Option<String> = row.get(8)?;
            if signature.is_none() {
                unchecked.push(id);
            }
            signature
        } else {
            if signed_from.is_some() {
                unsigned.push(id);
            }
            let mut chained = vec![previous.as_ref().map(|(_, hash)| hash.clone())];
            chained.extend(fields);
            Some(entry_hash(&chained))
        };
        if expected.is_some_and(|expected| expected != stored) {
            return Ok(Verdict::Broken { entry: id, reason: format!("第 {id} 条记录的内容或顺序被改动") });
        }
        previous = Some((id, stored));
        count += 1;
    }
    let span = |ids: &[i64]| match ids {
        [one] => format!("第 {one} 条"),
        [first, .., last] => format!("第 {first}–{last} 条中的 {} 条", ids.len()),
        [] => String::new(),
    };
    if let Some(first) = unchecked.first() {
        let before = if *first > 1 { format!("第 1–{} 条的哈希链完整；", first - 1) } else { String::new() };
        return Ok(Verdict::Unverified {
            entries: count,
            key_missing: true,
            reason: format!(
                "{before}{}用数据密钥签名，本机没有这个数据库的数据密钥，无法核对（这不表示日志有问题）。\
                 请在保存着密钥的电脑上核对，或由管理员输入恢复码后再核对。",
                span(&unchecked)
            ),
        });
    }
    if !unsigned.is_empty() {
        return Ok(Verdict::Unverified {
            entries: count,
            key_missing: false,
            reason: format!(
                "日志自第 {} 条起用数据密钥签名，但其后{}没有签名：写入时那台电脑没有数据密钥，或日志在程序之外被改写后重新计算过，\
                 无法确认它们未被改动。请与抄录的校验码核对。",
                signed_from.unwrap_or(1),
                span(&unsigned)
            ),
        });
    }
    Ok(Verdict::Intact {
        entries: count,
        newest: previous.map(|(id, hash)| Anchor::of(id, &hash)),
        confirmed: None,
        signed_from,
    })
}

/// What the window and `audit verify` run: the chain, and the anchor as typed when given.
pub fn check(conn: &Connection, anchor: Option<&str>) -> Result<Verdict> {
    match anchor {
        Some(text) => verify_against(conn, &Anchor::parse(text)?),
        None => verify(conn),
    }
}

/// Verifies the chain and that a written-down anchor still holds.
pub fn verify_against(conn: &Connection, anchor: &Anchor) -> Result<Verdict> {
    let verdict = verify(conn)?;
    if matches!(verdict, Verdict::Broken { .. } | Verdict::Mismatch { .. }) {
        return Ok(verdict);
    }
    let hash: Option<String> =
        conn.query_row("SELECT hash FROM audit_log WHERE id = ?1", [anchor.entry], |row| row.get(0)).optional()?;
    let entry = anchor.entry;
    Ok(match hash {
        None => Verdict::Broken {
            entry, reason: format!("抄录的第 {entry} 条已不在日志中，该条及其后的记录被删除")
        },
        Some(hash) if Anchor::of(entry, &hash) != *anchor => {
            Verdict::Mismatch { entry, reason: mismatch_reason(conn, anchor, &Anchor::of(entry, &hash))? }
        }
        Some(_) => match verdict {
            Verdict::Intact { entries, newest, signed_from, .. } => {
                Verdict::Intact { entries, newest, confirmed: Some(anchor.clone()), signed_from }
            }
            // The written-down code holds where the chain itself cannot be checked.
            Verdict::Unverified { entries, reason, key_missing } => Verdict::Unverified {
                entries,
                key_missing,
                reason: format!("{reason}抄录的第 {entry} 条仍在，校验码一致：它之前的记录没有被删除。"),
            },
            other => other,
        },
    })
}

/// Why a typed 校验码 differs from its entry's: it is another entry's (the number miscopied), it
/// is one character off and no entry has it (a slip), or nothing tells (the entry rewritten, or
/// a worse slip). The entry's own code is never shown: it would let a rewritten log pass.
fn mismatch_reason(conn: &Connection, typed: &Anchor, actual: &Anchor) -> Result<String> {
    let digits = |a: &Anchor| a.code.replace('-', "");
    let other: Option<i64> = conn
        .query_row(
            "SELECT id FROM audit_log WHERE substr(ltrim(hash, 'k'), 1, 16) = ?1 LIMIT 1",
            [digits(typed)],
            |row| row.get(0),
        )
        .optional()?;
    let entry = typed.entry;
    if let Some(other) = other {
        return Ok(format!("这个校验码属于第 {other} 条，不是第 {entry} 条：请核对抄录的条号。"));
    }
    let differing = digits(typed).chars().zip(digits(actual).chars()).filter(|(a, b)| a != b).count();
    Ok(if differing == 1 {
        format!(
            "没有哪一条记录有这个校验码，它与第 {entry} 条的只差一个字符，多半是抄写有误；请对照抄录的原件重新输入。"
        )
    } else {
        format!(
            "没有哪一条记录有这个校验码，与第 {entry} 条的相差 {differing} 个字符：请对照原件核对；若抄录无误，第 {entry} 条及其后的日志已被改写。"
        )
    })
}

/// The id of the newest entry, to tell a caller what its own work appended.
pub fn latest_id(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT max(id) FROM audit_log", [], |row| row.get::<_, Option<i64>>(0))?.unwrap_or(0))
}

/// The newest entry of a kind, for tests and the status bar.
pub fn latest_of_kind(conn: &Connection, kind: &str) -> Result<Option<Entry>> {
    Ok(conn
        .query_row(
            "SELECT id, at, actor, kind, object, before, after FROM audit_log WHERE kind = ?1 ORDER BY id DESC LIMIT 1",
            [kind],
            entry_from_row,
        )
        .optional()?)
}

/// The window's API: what the screens ask, acting for the store's account.
impl Store {
    /// What the window and `audit verify` run: the chain, and the anchor as typed when given.
    pub fn check_audit_chain(&self, anchor: Option<&str>) -> Result<Verdict> {
        check(&self.conn, anchor)
    }

    /// The newest entries matching `filter`, newest first, named and itemised in Chinese.
    /// The administrator and 监督 only.
    pub fn audit_entries(&self, filter: &Filter) -> Result<Vec<ShownEntry>> {
        shown_entries(&self.conn, &self.actor, filter)
    }
}
