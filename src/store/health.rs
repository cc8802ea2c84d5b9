//! Is the file sound? SQLite's `quick_check` (fast, before a command that only reads and each
//! backup), `integrity_check` (also every index against its table: the window's start-up check,
//! before every command that writes and before an upgrade), and the full check of
//! `volunteer-desk check`: `integrity_check`, `foreign_key_check`, the write-ahead log, the
//! schema version and the audit chain. Every finding is said in Chinese.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

use super::{audit, immutable_connection, keys, migrations, read_only_connection};
use crate::error::{DbProblem, Error, Result};
use crate::keystore::Keystore;

/// How many findings are listed; a badly damaged file has thousands.
const MOST_FINDINGS: usize = 20;

/// What a check found: nothing when the file is sound.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Health {
    pub problems: Vec<String>,
}

impl Health {
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }

    /// The findings on one line, for a banner or an error message.
    pub fn summary(&self) -> String {
        let mut text = self.problems.iter().take(3).cloned().collect::<Vec<_>>().join("；");
        if self.problems.len() > 3 {
            text.push_str(&format!("；另有 {} 处", self.problems.len() - 3));
        }
        text
    }
}

impl std::fmt::Display for Health {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_sound() {
            write!(f, "数据库完好")
        } else {
            write!(f, "数据库文件已损坏：{}", self.summary())
        }
    }
}

/// SQLite's `quick_check` of the file at `path` on a connection of its own that never
/// writes, so the window can run it in the background beside its own connection.
pub fn quick_check(path: &Path) -> Result<Health> {
    super::require_existing(path)?;
    let conn = read_only_connection(path).map_err(|e| e.in_database(path))?;
    quick_check_conn(&conn)
}

/// SQLite's `quick_check` on an open connection: every page and cell is read, indexes are
/// not matched against their tables (that is `integrity_check`, which takes far longer).
pub fn quick_check_conn(conn: &Connection) -> Result<Health> {
    pragma_check(conn, "quick_check")
}

/// SQLite's `integrity_check` of the file at `path` on a connection of its own that never
/// writes: an index that disagrees with its table passes `quick_check` but not this. The
/// window's start-up check.
pub fn integrity_check(path: &Path) -> Result<Health> {
    super::require_existing(path)?;
    let conn = read_only_connection(path).map_err(|e| e.in_database(path))?;
    pragma_check(&conn, "integrity_check")
}

/// Refuses to go on with a damaged database, naming what is wrong (`quick_check`: for work
/// that only reads).
pub fn refuse_damage(conn: &Connection, path: &Path) -> Result<()> {
    let health = quick_check_conn(conn).map_err(|e| e.in_database(path))?;
    if health.is_sound() { Ok(()) } else { Err(Error::damaged(path, health.summary())) }
}

/// Refuses to write into a damaged database (`integrity_check`): a write into a file whose
/// index disagrees with its table spreads the damage.
pub fn refuse_damage_before_writing(conn: &Connection, path: &Path) -> Result<()> {
    let health = pragma_check(conn, "integrity_check").map_err(|e| e.in_database(path))?;
    if health.is_sound() { Ok(()) } else { Err(Error::damaged(path, health.summary())) }
}

/// Runs `integrity_check` or `quick_check`; a file too damaged to be checked at all is one
/// finding rather than an error.
fn pragma_check(conn: &Connection, pragma: &str) -> Result<Health> {
    let lines = conn
        .prepare(&format!("PRAGMA {pragma}({MOST_FINDINGS})"))
        .and_then(|mut s| s.query_map([], |row| row.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<String>>>());
    match lines {
        Ok(lines) => Ok(Health { problems: lines.iter().filter(|l| *l != "ok").map(|l| integrity_line(l)).collect() }),
        Err(err) => match Error::from(err) {
            Error::Database { problem: DbProblem::Damaged(detail), .. } => {
                let mut problems = vec![detail];
                problems.extend(unreadable_tables(conn));
                Ok(Health { problems })
            }
            other => Err(other),
        },
    }
}

/// The tables that cannot be read to the end, when SQLite stops its check at the first
/// damaged page: they say what the damage touches.
fn unreadable_tables(conn: &Connection) -> Vec<String> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .and_then(|mut s| s.query_map([], |row| row.get(0))?.collect())
        .unwrap_or_default();
    tables
        .into_iter()
        .filter(|table| {
            let sql = format!("SELECT count(*) FROM \"{}\"", table.replace('"', "\"\""));
            conn.query_row(&sql, [], |row| row.get::<_, i64>(0)).is_err()
        })
        .take(MOST_FINDINGS)
        .map(|table| format!("表 {table} 无法完整读取"))
        .collect()
}

/// One line of SQLite's integrity report in Chinese, SQLite's own words kept for whoever
/// repairs the file.
fn integrity_line(line: &str) -> String {
    let line = line.trim_start_matches("*** in database main ***").trim();
    let what = if line.contains("missing from index") || line.contains("entries in index") {
        "索引与数据不一致"
    } else if line.contains("never used") {
        "有未被使用的数据页"
    } else if line.contains("NULL value") || line.contains("CHECK constraint") || line.contains("non-") {
        "有数据不符合表的约束"
    } else if line.to_ascii_lowercase().contains("page") || line.contains("btree") || line.contains("Tree") {
        "数据页已损坏"
    } else {
        "完整性检查未通过"
    };
    format!("{what}（SQLite：{}）", line.replace('\n', " "))
}

/// Why a copy just made (or a backup to restore) is not an intact database of this
/// program, if it is not: the full `integrity_check`, a known schema version, the tables.
pub fn sound_copy(path: &Path) -> std::result::Result<(), String> {
    match super::inspect_file(path) {
        Err(Error::NotADatabase(_)) => return Err("不是 SQLite 数据库".to_string()),
        Err(Error::Database { problem: DbProblem::Damaged(detail), .. }) => return Err(format!("已损坏（{detail}）")),
        _ => {}
    }
    let conn = immutable_connection(path).map_err(|e| format!("无法打开（{e}）"))?;
    let health = pragma_check(&conn, "integrity_check").map_err(|e| format!("无法检查（{e}）"))?;
    if !health.is_sound() {
        return Err(format!("已损坏（{}）", health.summary()));
    }
    let version = migrations::current_version(&conn).map_err(|e| format!("无法读取数据版本（{e}）"))?;
    if version > migrations::latest_version() {
        return Err(format!("由较新版本的程序创建（数据版本 {version}）"));
    }
    let has_registry: bool = conn
        .query_row("SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'volunteer')", [], |row| row.get(0))
        .map_err(|e| format!("无法读取（{}）", Error::from(e)))?;
    if version == 0 || !has_registry {
        return Err("不是本程序的数据库".to_string());
    }
    // A planted trigger would run on the machine holding the key once the copy is restored.
    let foreign = super::schema_guard::foreign_objects(&conn).map_err(|e| format!("无法读取数据库结构（{e}）"))?;
    if !foreign.is_empty() {
        return Err(format!("含有不是本程序创建的对象（{}）", foreign.join("；")));
    }
    Ok(())
}

/// The outcome of `volunteer-desk check`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckReport {
    pub path: PathBuf,
    pub problems: Vec<String>,
    pub version: i64,
    pub audit_entries: i64,
    /// Why the audit chain could not be checked whole, when that is no fault of the file.
    pub audit_note: Option<String>,
}

impl CheckReport {
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }
}

impl std::fmt::Display for CheckReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let file = self.path.display();
        if self.is_sound() {
            write!(
                f,
                "数据库“{file}”完好：SQLite 完整性检查通过，预写日志完整，外键引用完整，数据版本 {}（本程序支持到 {}），",
                self.version,
                migrations::latest_version(),
            )?;
            return match &self.audit_note {
                None => write!(f, "操作日志 {} 条、哈希链完整。", self.audit_entries),
                Some(note) => write!(f, "{note}"),
            };
        }
        writeln!(f, "数据库“{file}”发现 {} 个问题：", self.problems.len())?;
        for (i, problem) in self.problems.iter().enumerate() {
            writeln!(f, "{}. {problem}", i + 1)?;
        }
        write!(
            f,
            "请不要再向这个文件写入：先把它另存一份留底，再用“备份”文件夹中最近一份完好的备份恢复\
             （窗口“系统”页的“恢复备份”），或交给技术人员处理。"
        )
    }
}

/// Everything `volunteer-desk check` looks at, on a connection that never writes. Each part
/// runs even when an earlier one found damage, so the report names every problem.
pub fn check(path: &Path) -> Result<CheckReport> {
    super::require_existing(path)?;
    let mut problems = Vec::new();
    if let Err(err) = super::inspect_file(path) {
        match err {
            Error::Database { problem: DbProblem::Damaged(detail), .. } => problems.push(detail),
            other => return Err(other),
        }
    }
    let conn = match checking_connection(path) {
        Ok(conn) => conn,
        Err(Error::Database { problem: DbProblem::Damaged(detail), .. }) => {
            problems.push(detail);
            return Ok(CheckReport {
                path: path.to_path_buf(),
                problems,
                version: 0,
                audit_entries: 0,
                audit_note: None,
            });
        }
        Err(other) => return Err(other.in_database(path)),
    };
    let found = |e: Error| e.problem().map_or_else(|| e.to_string(), damage_or_text);
    problems.extend(pragma_check(&conn, "integrity_check").map_err(|e| e.in_database(path))?.problems);
    match foreign_key_findings(&conn) {
        Ok(findings) => problems.extend(findings),
        Err(err) => problems.push(format!("外键检查无法完成：{}", found(err))),
    }
    let version = migrations::current_version(&conn).map_err(|e| e.in_database(path))?;
    let has_registry = conn
        .query_row("SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'volunteer')", [], |row| row.get(0))
        .unwrap_or(false);
    if version == 0 && !has_registry && problems.is_empty() {
        return Err(Error::NotADatabase(path.to_path_buf()));
    }
    if version > migrations::latest_version() {
        problems.push(format!(
            "数据版本 {version} 比本程序支持的 {} 新：由较新版本的程序创建，请用新版本检查",
            migrations::latest_version()
        ));
    } else if version == 0 || !has_registry {
        problems.push(format!("数据版本 {version}，缺少本程序的数据表：不是完整的本程序数据库"));
    }
    match super::schema_guard::foreign_objects(&conn) {
        Ok(foreign) => problems.extend(foreign),
        Err(err) => problems.push(format!("数据库结构无法读取：{}", found(err))),
    }
    let mut audit_entries = 0;
    let mut audit_note = None;
    // The chain's signatures are checked with this machine's copy of the data key, if any.
    let key =
        keys::read_record(&conn).ok().flatten().and_then(|r| keys::find_key(&r, Keystore::for_this_user()).ok()?);
    // With the key, each sealed number is checked at its row: one swapped with another
    // person's is named (issue #26).
    if let Some(key) = &key {
        match super::resealing::misplaced_values(&conn, key) {
            Ok(found) => problems.extend(found.into_iter().take(MOST_FINDINGS)),
            Err(err) => problems.push(format!("加密的身份证号无法核对：{}", found(err))),
        }
    }
    keys::register_functions(&conn, &Arc::new(Mutex::new(key))).map_err(|e| e.in_database(path))?;
    match audit::verify(&conn) {
        Ok(audit::Verdict::Intact { entries, .. }) => audit_entries = entries,
        // A copy without the key: the file is not the worse for it, the log is unchecked.
        Ok(verdict @ audit::Verdict::Unverified { entries, key_missing: true, .. }) => {
            audit_entries = entries;
            audit_note = Some(verdict.to_string());
        }
        Ok(broken) => problems.push(broken.to_string()),
        Err(err) => problems.push(format!("操作日志无法校验：{}", found(err))),
    }
    problems.dedup();
    Ok(CheckReport { path: path.to_path_buf(), problems, version, audit_entries, audit_note })
}

/// A connection for `check` that leaves nothing beside the file. SQLite's read-only
/// connection to a WAL database makes an empty `-wal` and a 32 KiB `-shm` and, unable to
/// checkpoint, leaves them. Without a `-wal` (or a `-journal`) no connection is writing the
/// file, so it is read as it lies on disk (`immutable`), making nothing; with one, the log may
/// hold pages, and the check reads through it as SQLite does (those files are already there).
fn checking_connection(path: &Path) -> Result<Connection> {
    let beside = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        Path::new(&name).exists()
    };
    if beside("-wal") || beside("-journal") { read_only_connection(path) } else { immutable_connection(path) }
}

fn damage_or_text(problem: &DbProblem) -> String {
    match problem {
        DbProblem::Damaged(detail) => detail.clone(),
        other => other.sentence(None),
    }
}

/// Rows whose reference points at nothing, one finding per table and referenced table:
/// how many rows, and the first few.
fn foreign_key_findings(conn: &Connection) -> Result<Vec<String>> {
    const SHOWN: usize = 5;
    let mut statement = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = statement
        .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, Option<i64>>(1)?, row.get::<_, String>(2)?)))?;
    let mut groups: Vec<((String, String), usize, Vec<i64>)> = Vec::new();
    for row in rows {
        let (table, rowid, parent) = row?;
        let key = (table, parent);
        let at = match groups.iter().position(|(k, ..)| *k == key) {
            Some(at) => at,
            None => {
                groups.push((key, 0, Vec::new()));
                groups.len() - 1
            }
        };
        let (_, count, shown) = &mut groups[at];
        *count += 1;
        if let Some(id) = rowid.filter(|_| shown.len() < SHOWN) {
            shown.push(id);
        }
    }
    Ok(groups
        .into_iter()
        .take(MOST_FINDINGS)
        .map(|((table, parent), count, shown)| {
            let ids: Vec<String> = shown.iter().map(i64::to_string).collect();
            let more = if count > shown.len() { "…" } else { "" };
            format!("外键缺失：表 {table} 有 {count} 行引用的 {parent} 记录不存在（第 {}{more} 行）", ids.join("、"))
        })
        .collect())
}
