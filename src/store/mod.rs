//! The SQLite store: opening the file, the schema, and one module per aggregate.

pub mod accounts;
pub mod activities;
pub mod attendance;
pub mod audit;
pub mod audit_names;
mod backup;
pub mod backups;
pub mod certificates;
pub mod contest;
pub mod errors;
#[cfg(feature = "test-support")]
pub mod fixtures;
pub mod guard;
pub mod health;
pub mod import;
pub mod keys;
mod labels;
pub mod ledger;
pub mod migrations;
pub mod recruitment;
pub mod report;
pub mod resealing;
pub mod schema_guard;
pub mod sealing;
pub mod stats;
pub mod teams;
pub mod units;
pub mod volunteers;
mod wal;

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::error::{DbProblem, Error, Result};
use crate::keystore::Keystore;
pub use guard::Actor;
use guard::{AuditContext, SharedContext};
use keys::{NewKey, SharedKey};
use sealing::DataKey;

use crate::output::{Existing, SQLITE_HEADER, Staged};

/// How long a statement waits for another window or program to finish writing before it
/// gives up with "busy" (a large import elsewhere can take a while).
pub const BUSY_WAIT: Duration = Duration::from_secs(10);

/// Makes a method public for tests and benches (the `test-support` feature, which only the
/// dev-dependency on this crate turns on) and visible only below the window otherwise: the
/// window can never hold the connection, and `cargo build` proves it.
macro_rules! below_the_window {
    ($(#[$meta:meta])* fn $($rest:tt)*) => {
        $(#[$meta])*
        #[cfg(feature = "test-support")]
        pub fn $($rest)*

        $(#[$meta])*
        #[cfg(not(feature = "test-support"))]
        pub(in crate::base) fn $($rest)*
    };
}

/// An open database file, migrated to the schema this program writes.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    actor: Actor,
    /// Another window holds the file: this one only reads.
    read_only: bool,
    audit: SharedContext,
    /// The data key that seals 身份证号 and phones, while this machine has it (keys.rs).
    key: SharedKey,
    /// Where this machine keeps the key.
    keystore: Keystore,
    /// Why the key this machine keeps for the database could not be used (a damaged key
    /// file, another database's key): the file opens locked and the 恢复码 mends it.
    key_problem: Mutex<Option<String>>,
}

/// Opens (creating if needed) the database at `path` and brings its schema up to date.
///
/// A file that is not a SQLite database, one written by a newer program, and one found
/// damaged are refused before anything is written to it.
pub fn open(path: &Path) -> Result<Store> {
    open_with_keystore(path, Keystore::for_this_user())
}

/// [`open`], with the data key looked for in (and a new one kept in) `keystore`.
pub fn open_with_keystore(path: &Path, keystore: &Keystore) -> Result<Store> {
    open_with_progress(path, keystore, &quiet)
}

/// [`open_with_keystore`], saying each step of an upgrade of a file written by an older
/// program as it begins (the command line prints them, the window moves a bar).
pub fn open_with_progress(path: &Path, keystore: &Keystore, progress: Progress<'_>) -> Result<Store> {
    open_writable(path, OpenFlags::SQLITE_OPEN_CREATE, keystore, progress).map_err(|e| e.in_database(path))
}

/// Opens an existing database for a command that only reads (formats.md): a path that is not
/// there is refused and nothing is created; a file or folder that may not be written is
/// opened read-only, so stats, reports and backups work from a CD or a read-only share.
pub fn open_for_reading(path: &Path) -> Result<Store> {
    open_for_reading_with_progress(path, &quiet)
}

/// [`open_for_reading`], saying each step of an upgrade as it begins.
pub fn open_for_reading_with_progress(path: &Path, progress: Progress<'_>) -> Result<Store> {
    require_existing(path)?;
    let keystore = Keystore::for_this_user();
    match open_writable(path, OpenFlags::empty(), keystore, progress) {
        Ok(store) => Ok(store),
        Err(err) if is_unwritable(&err) => open_read_only(path, keystore).map_err(|e| e.in_database(path)),
        Err(err) => Err(err.in_database(path)),
    }
}

/// Refuses a database path that does not exist, without creating anything.
pub fn require_existing(path: &Path) -> Result<()> {
    match path.try_exists() {
        Ok(true) => Ok(()),
        Ok(false) => Err(Error::Missing(path.to_path_buf())),
        Err(e) => Err(Error::file(path, e)),
    }
}

/// Whether opening failed because the file or its folder may not be written.
fn is_unwritable(err: &Error) -> bool {
    use crate::error::DbProblem::{CannotOpen, Permission, ReadOnly};
    match err {
        Error::Database { problem, .. } => matches!(problem, ReadOnly | CannotOpen | Permission),
        Error::File { source, .. } | Error::Io(source) => {
            matches!(source.kind(), std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem)
        }
        _ => false,
    }
}

fn open_writable(path: &Path, create: OpenFlags, keystore: &Keystore, progress: Progress<'_>) -> Result<Store> {
    if create.contains(OpenFlags::SQLITE_OPEN_CREATE) {
        create_private_file(path)?;
    }
    inspect_file(path)?;
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | create | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_WAIT)?;
    let found = migrations::current_version(&conn)?;
    let supported = migrations::latest_version();
    if found > supported {
        return Err(Error::NewerSchema { path: path.to_path_buf(), found, supported });
    }
    // A new file is made, not upgraded: nothing to say.
    let mut steps = UpgradeSteps::new(found, supported, if found > 0 { progress } else { &quiet });
    if found > 0 && found < supported {
        // The upgrade rewrites tables: damage found now is not carried into the new layout.
        steps.next("检查数据库文件（完整性检查）".to_string());
        health::refuse_damage_before_writing(&conn, path)?;
    }
    configure(&conn)?;
    let (audit, key) = lend_functions(&conn, false, None)?;
    // Before anything runs on the file: a planted trigger never fires (issue #26).
    schema_guard::refuse_foreign(&conn)?;
    // A sealed file's own key signs the entries the upgrade writes, as it signs every entry
    // since the signing began, and the log's masks wait for it (`remask_log_once`). Why it
    // cannot be used, if so, is said once the store is assembled.
    if found >= migrations::SEALING_VERSION {
        load_key(&conn, keystore, &key)?;
    }
    if found < supported {
        let new_key = (found < migrations::SEALING_VERSION).then(|| NewKey::make(keystore)).transpose()?;
        if let Some(new_key) = &new_key {
            *key.lock().unwrap_or_else(PoisonError::into_inner) = Some(new_key.key.clone());
        }
        migrate_saying(&mut conn, found, supported, new_key.as_ref(), &mut steps)?;
        if found > 0 && found < migrations::SEALING_VERSION {
            steps.next("重写数据库文件，清除旧数据页中的明文号码".to_string());
        }
        schema_guard::refuse_foreign(&conn)?;
    } else if !audit::triggers_complete(&conn)? {
        // An upgrade that stopped between its last migration and the triggers it re-makes
        // would otherwise leave a table unlogged for good.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        audit::install_triggers(&tx)?;
        tx.commit()?;
    }
    let lent = key.lock().unwrap_or_else(PoisonError::into_inner).clone();
    if let Some(lent) = lent {
        audit::remask_log_once(&conn, &lent)?;
    }
    rewrite_pages_once(&conn)?;
    audit.lock().unwrap_or_else(PoisonError::into_inner).rows = true;
    assemble(conn, path, audit, key, keystore)
}

/// The store on an open, migrated connection: this machine's key looked for, acting for the
/// command line until someone logs in.
fn assemble(conn: Connection, path: &Path, audit: SharedContext, key: SharedKey, keystore: &Keystore) -> Result<Store> {
    let key_problem = Mutex::new(load_key(&conn, keystore, &key)?);
    if key.lock().unwrap_or_else(PoisonError::into_inner).is_some() {
        audit::note_signing(&conn)?;
    }
    seal_ballot_secrets(&conn, &key)?;
    let actor = Actor::command_line();
    let mut store = Store {
        conn,
        path: path.to_path_buf(),
        actor: actor.clone(),
        read_only: false,
        audit,
        key,
        keystore: keystore.clone(),
        key_problem,
    };
    store.bind_sealed_rows()?;
    store.act_as(actor)?;
    Ok(store)
}

/// Puts this machine's copy of the database's key (if it has one) where the SQL functions and
/// the store find it. A key that cannot be used (a damaged key file, another database's key)
/// leaves the file locked rather than unopened: everything that needs no clear number still
/// works, and the 恢复码 replaces the bad copy. Returns why, then.
fn load_key(conn: &Connection, keystore: &Keystore, key: &SharedKey) -> Result<Option<String>> {
    let Some(record) = keys::read_record(conn)? else { return Ok(None) };
    let mut slot = key.lock().unwrap_or_else(PoisonError::into_inner);
    if slot.is_none() {
        match keys::find_key(&record, keystore) {
            Ok(found) => *slot = found,
            Err(problem) => return Ok(Some(problem.to_string())),
        }
    }
    Ok(None)
}

/// Once the key is known: a round's ballot secret still in clear (a file from before
/// migration 19) is sealed, and the file rewritten so no page keeps it (issue #26).
fn seal_ballot_secrets(conn: &Connection, key: &SharedKey) -> Result<()> {
    let key = key.lock().unwrap_or_else(PoisonError::into_inner).clone();
    let Some(key) = key.filter(|_| !conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true)) else { return Ok(()) };
    if contest::workbooks::seal_clear_secrets(conn, &key)? > 0 {
        rewrite_pages_once(conn)?;
    }
    Ok(())
}

/// Rewrites the file once after the upgrade that sealed the numbers, whose clear pages are
/// free but still in it (`field_key.pages_rewritten`); an upgrade cut short before the
/// rewrite is finished by the next open.
///
/// It needs the file to itself: while another connection reads, the log cannot be emptied,
/// and a full disk cannot hold the copy VACUUM makes. Then the file opens all the same and the
/// rewrite waits for a later open (the freed pages were zeroed already: `secure_delete`).
fn rewrite_pages_once(conn: &Connection) -> Result<()> {
    guard::maintaining(|| rewrite_pending_pages(conn))
}

fn rewrite_pending_pages(conn: &Connection) -> Result<()> {
    let pending: bool =
        conn.query_row("SELECT EXISTS (SELECT 1 FROM field_key WHERE pages_rewritten = 0)", [], |r| r.get(0))?;
    if pending && overwrite_freed_pages(conn).unwrap_or(false) {
        conn.execute("UPDATE field_key SET pages_rewritten = 1", [])?;
    }
    Ok(())
}

/// Rewrites the whole file and empties the log, so no freed page keeps what was there.
/// Whether the log was emptied whole (no reader held part of it back).
fn overwrite_freed_pages(conn: &Connection) -> Result<bool> {
    let emptied = |conn: &Connection| -> Result<bool> {
        let (busy, log, moved): (i64, i64, i64) =
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(busy == 0 && log == moved)
    };
    if !emptied(conn)? {
        return Ok(false);
    }
    conn.execute_batch("VACUUM")?;
    emptied(conn)
}

/// A store on a file that may not be written: nothing is migrated, every write is refused by
/// SQLite as read-only (and so explained), and exports from it cannot be logged.
fn open_read_only(path: &Path, keystore: &Keystore) -> Result<Store> {
    inspect_file(path)?;
    let conn = read_only_connection(path)?;
    let found = migrations::current_version(&conn)?;
    let supported = migrations::latest_version();
    if found > supported {
        return Err(Error::NewerSchema { path: path.to_path_buf(), found, supported });
    }
    if found == 0 {
        return Err(Error::NotADatabase(path.to_path_buf()));
    }
    if found < supported {
        return Err(Error::rejected(format!(
            "数据库“{}”是只读的，且由旧版本的程序创建（数据版本 {found}），需要升级后才能读取。\
             请把它复制到可写的文件夹，用本程序打开一次，再重试。",
            path.display()
        )));
    }
    conn.pragma_update(None, "cache_size", -65_536)?;
    schema_guard::refuse_foreign(&conn)?;
    let (audit, key) = lend_functions(&conn, true, None)?;
    assemble(conn, path, audit, key, keystore)
}

/// The SQL functions a connection of the store needs: the audit log's, acting for the
/// command line (logging rows when `rows`), and the data key's, with `key` if known.
fn lend_functions(conn: &Connection, rows: bool, key: Option<DataKey>) -> Result<(SharedContext, SharedKey)> {
    let audit = Arc::new(Mutex::new(AuditContext { actor: Actor::command_line().audit_name(), rows }));
    guard::register_functions(conn, &audit)?;
    let key = Arc::new(Mutex::new(key));
    keys::register_functions(conn, &key)?;
    Ok((audit, key))
}

/// A connection that never writes the file or makes files beside it. A WAL database in a
/// folder that may not be written has no shared-memory file and SQLite cannot make one; it is
/// then read as it is on disk (`immutable`), which is right for a CD or a read-only share:
/// nobody can be writing there, and a left-over log would have its -shm beside it.
pub(crate) fn read_only_connection(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_WAIT)?;
    distrust_schema(&conn)?;
    match probe(&conn) {
        Ok(()) => return Ok(conn),
        Err(err) if is_unwritable(&err) => {}
        Err(err) => return Err(err),
    }
    immutable_connection(path)
}

/// A connection to a file nobody else writes (a copy just made, a backup to check): read as
/// it is on disk, with no shared-memory or log file made beside it.
pub(crate) fn immutable_connection(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(immutable_uri(path), flags)?;
    distrust_schema(&conn)?;
    probe(&conn)?;
    Ok(conn)
}

/// Reads the schema, which needs the read lock a WAL database takes in its -shm file.
fn probe(conn: &Connection) -> Result<()> {
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))?;
    Ok(())
}

/// `file:PATH?immutable=1`, with the characters a URI gives meaning escaped.
fn immutable_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let text = absolute.to_string_lossy().replace('\\', "/");
    // `C:/…` on Windows becomes `file:/C:/…`.
    let mut uri = String::from(if text.starts_with('/') { "file:" } else { "file:/" });
    for c in text.chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3F"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// Hears each step of an upgrade as it begins.
pub type Progress<'a> = &'a dyn Fn(&UpgradeStep);

/// Says nothing of an upgrade.
fn quiet(_: &UpgradeStep) {}

/// One step of bringing a file written by an older program up to date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpgradeStep {
    /// From 1.
    pub number: usize,
    pub of: usize,
    pub what: String,
}

impl std::fmt::Display for UpgradeStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "升级数据库 第 {}/{} 步：{}", self.number, self.of, self.what)
    }
}

/// Counts an upgrade's steps and says each: the check, one per migration, the audit triggers
/// and, for a file from before the numbers were sealed, the rewrite of its pages.
struct UpgradeSteps<'a> {
    done: usize,
    of: usize,
    progress: Progress<'a>,
}

impl<'a> UpgradeSteps<'a> {
    fn new(found: i64, supported: i64, progress: Progress<'a>) -> Self {
        let each = usize::try_from(supported - found).unwrap_or(0);
        let rewrite = usize::from(found > 0 && found < migrations::SEALING_VERSION);
        UpgradeSteps { done: 0, of: 1 + each + 1 + rewrite, progress }
    }

    fn next(&mut self, what: String) {
        self.done += 1;
        (self.progress)(&UpgradeStep { number: self.done, of: self.of.max(self.done), what });
    }
}

/// Brings the schema up to date and re-makes the audit triggers from the new columns, all in
/// one transaction: the upgrade is logged as one entry, not a row each.
fn migrate(conn: &mut Connection, found: i64, supported: i64, new_key: Option<&NewKey>) -> Result<()> {
    migrate_saying(conn, found, supported, new_key, &mut UpgradeSteps::new(found, supported, &quiet))
}

/// [`migrate`], saying each step.
fn migrate_saying(
    conn: &mut Connection,
    found: i64,
    supported: i64,
    new_key: Option<&NewKey>,
    steps: &mut UpgradeSteps<'_>,
) -> Result<()> {
    // A restore upgrades an old backup on the administrator's open connection: the schema work
    // is the program's own, which the authorizer allows only inside `maintaining`.
    guard::maintaining(|| migrate_schema(conn, found, supported, new_key, steps))
}

fn migrate_schema(
    conn: &mut Connection,
    found: i64,
    supported: i64,
    new_key: Option<&NewKey>,
    steps: &mut UpgradeSteps<'_>,
) -> Result<()> {
    // Told before the migrations run: the table is rebuilt by the step that says it.
    let people: i64 = if found < migrations::SEALING_VERSION && found > 0 {
        conn.query_row("SELECT count(*) FROM volunteer", [], |r| r.get(0))?
    } else {
        0
    };
    migrations::migrate_with_key(conn, supported, new_key, &mut |version| {
        let sealing = version + 1 == migrations::SEALING_VERSION;
        let what =
            if sealing { format!("：加密 {people} 位志愿者的身份证号和手机号") } else { String::new() };
        steps.next(format!("数据版本 {version} → {}{what}", version + 1));
    })?;
    steps.next("重新生成操作日志的触发器并记录升级".to_string());
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    audit::install_triggers(&tx)?;
    let detail = format!("数据版本 {found} → {supported}");
    audit::record(
        &tx,
        &Actor { name: "程序升级".to_string(), ..Actor::command_line() },
        "升级数据库",
        "schema",
        &detail,
    )?;
    tx.commit()?;
    Ok(())
}

/// Brings a copy (a backup taken before migration 17) up to date in place, sealing under
/// `adopted` (the open database's key): staged beside it, rewritten whole, checked, and only
/// then put in its place.
fn reseal_copy(path: &Path, adopted: &NewKey) -> Result<()> {
    sealed_copy(path, path, adopted)?.commit()
}

/// A copy of the file at `path`, staged beside `target`, brought up to date and sealed under
/// `adopted`, checked sound; the caller commits it as `target` or reads from it.
fn sealed_copy(path: &Path, target: &Path, adopted: &NewKey) -> Result<Staged> {
    let staged = Staged::beside(target, Existing::Replace)?;
    std::fs::copy(path, staged.path()).map_err(|e| Error::file(path, e))?;
    // `fs::copy` carries the source's permissions over: an old backup may be open to all.
    crate::output::make_private(staged.path())?;
    {
        let mut conn = Connection::open(staged.path())?;
        configure(&conn)?;
        lend_functions(&conn, false, Some(adopted.key.clone()))?;
        let found = migrations::current_version(&conn)?;
        migrate(&mut conn, found, migrations::latest_version(), Some(adopted))?;
        rewrite_pages_once(&conn)?;
        // A backup is one file: the log folds back into it.
        conn.pragma_update(None, "journal_mode", "DELETE")?;
    }
    health::sound_copy(staged.path()).map_err(|why| Error::rejected(format!("重新生成的备份{why}，原备份未改动")))?;
    Ok(staged)
}

/// Makes the (empty) database file closed to other accounts before SQLite writes a page to
/// it; SQLite gives its `-wal` and `-shm` the database file's permissions. A file already
/// there is left as it is.
fn create_private_file(path: &Path) -> Result<()> {
    match std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => {
            drop(file);
            crate::output::make_private(path)
        }
        // There already, or not to be made here: SQLite's own open says what is wrong.
        Err(_) => Ok(()),
    }
}

/// Reads the first bytes so a stranger's file is never handed to SQLite for writing, and a
/// database cut short (a copy that stopped half-way) is called damaged, not foreign; and its
/// write-ahead log, whose damaged frames SQLite would drop without a word (wal.rs).
fn inspect_file(path: &Path) -> Result<()> {
    let mut head = Vec::with_capacity(100);
    let length = match std::fs::File::open(path) {
        Ok(file) => {
            let length = file.metadata().map_err(|e| Error::file(path, e))?.len();
            file.take(100).read_to_end(&mut head).map_err(|e| Error::file(path, e))?;
            length
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::file(path, e)),
    };
    if head.is_empty() {
        return Ok(());
    }
    let shown = head.len().min(SQLITE_HEADER.len());
    if head[..shown] != SQLITE_HEADER[..shown] {
        return Err(Error::NotADatabase(path.to_path_buf()));
    }
    if head.len() < 100 {
        return Err(Error::damaged(path, format!("文件被截短，只剩 {length} 字节")));
    }
    if let Some(expected) = size_in_header(&head)
        && length < expected
        && !has_log(path)
    {
        return Err(Error::damaged(path, format!("文件被截短：应有 {expected} 字节，只有 {length} 字节")));
    }
    // Before SQLite opens the file: its first write would overwrite what it dropped.
    match wal::dropped_frames(path)? {
        Some(dropped) => Err(Error::damaged(path, dropped.to_string())),
        None => Ok(()),
    }
}

/// The file size the header states, when SQLite marks that number as current.
fn size_in_header(head: &[u8]) -> Option<u64> {
    let word = |at: usize| head.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    let page_size = match head.get(16..18).map(|b| u16::from_be_bytes([b[0], b[1]]))? {
        1 => 65_536,
        size => u64::from(size),
    };
    let pages = u64::from(word(28)?);
    (pages > 0 && word(24)? == word(92)?).then_some(pages * page_size)
}

/// Whether a write-ahead log with content lies beside the database: pages may then be in the
/// log rather than the file, which is not damage.
fn has_log(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).is_ok_and(|m| m.len() > 0)
}

/// A file's own triggers, views and defaults may call only functions marked innocuous (the
/// logging ones), never the key's (which are direct-only besides): a copy of the file can be
/// anyone's work (issue #26).
pub(crate) fn distrust_schema(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "trusted_schema", false)?;
    Ok(())
}

/// Per-connection settings: SQLite forgets them when the connection closes.
fn configure(conn: &Connection) -> Result<()> {
    distrust_schema(conn)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Most writes fire triggers, so SQLite keeps a statement journal for each; in a temporary
    // file that costs a write per row on large imports. It is small: keep it in memory.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // 64 MiB of page cache (SQLite's default is 2 MiB): year-end sums read every session.
    conn.pragma_update(None, "cache_size", -65_536)?;
    // Freed content is overwritten with zeros: the clear numbers of an upgraded file are gone
    // from its pages even before the rewrite after the upgrade (issue #20).
    conn.pragma_update(None, "secure_delete", true)?;
    Ok(())
}

impl Store {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Who the store acts for: every statement is held to this account's role.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// From now on statements act for `actor` (a login, 切换用户, a lock).
    pub fn act_as(&mut self, actor: Actor) -> Result<()> {
        guard::authorize(&mut self.conn, actor.role, self.read_only)?;
        self.audit_context().actor = actor.audit_name();
        self.actor = actor;
        Ok(())
    }

    /// Refuses every data write while another window holds the file.
    pub fn set_read_only(&mut self, read_only: bool) -> Result<()> {
        self.read_only = read_only;
        guard::authorize(&mut self.conn, self.actor.role, read_only)
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Whether the file itself may not be written (a CD, a read-only share or folder): reading
    /// works, every write is refused, and exports cannot be logged.
    pub fn is_read_only_file(&self) -> bool {
        self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true)
    }

    /// This database's key as a migration adopts it: a backup from before the numbers were
    /// sealed is sealed under the same key as the database it is restored into.
    pub(crate) fn key_to_adopt(&self) -> Result<NewKey> {
        let record = keys::record_of(&self.conn)?;
        Ok(NewKey::adopted(record, self.data_key()?))
    }

    /// Looks for the key again after the content changed under the store (a restore).
    pub(crate) fn reload_key(&self) -> Result<()> {
        *self.key.lock().unwrap_or_else(PoisonError::into_inner) = None;
        let problem = load_key(&self.conn, &self.keystore, &self.key)?;
        *self.key_problem.lock().unwrap_or_else(PoisonError::into_inner) = problem;
        seal_ballot_secrets(&self.conn, &self.key)?;
        self.bind_sealed_rows()
    }

    /// Why this machine's copy of the key was not used, if it was not.
    pub(crate) fn key_problem(&self) -> Option<String> {
        self.key_problem.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// What a worker thread needs to open its own connection acting for the same account.
    pub fn access(&self) -> Access {
        Access {
            path: self.path.clone(),
            actor: self.actor.clone(),
            read_only: self.read_only,
            keystore: self.keystore.clone(),
        }
    }

    fn audit_context(&self) -> std::sync::MutexGuard<'_, AuditContext> {
        self.audit.lock().unwrap_or_else(PoisonError::into_inner)
    }

    below_the_window! {
        /// Runs bulk work (an import, the demo) in one transaction logged as one entry saying
        /// what it did, instead of an entry per row. The logging triggers are dropped for the
        /// work and made again before the commit, so no other connection ever sees them missing;
        /// dropping them takes the write lock at once, so other windows wait for the whole work.
        fn bulk<T>(
            &mut self,
            kind: &str,
            object: &str,
            work: impl FnOnce(&Connection) -> Result<T>,
            describe: impl FnOnce(&T) -> String,
        ) -> Result<T> {
            let actor = self.actor.clone();
            self.transaction(|conn| {
                // Only the triggers' own statements may change the schema, not the work's.
                guard::maintaining(|| audit::drop_triggers(conn))?;
                let value = work(conn)?;
                guard::maintaining(|| audit::install_triggers(conn))?;
                audit::record(conn, &actor, kind, object, &describe(&value))?;
                Ok(value)
            })
        }
    }

    below_the_window! {
        /// The connection, for the layers below the window (and tests and benches).
        fn conn(&self) -> &Connection {
            &self.conn
        }
    }

    below_the_window! {
        /// Runs `work` in one transaction: all of it is written, or none.
        /// The write lock is taken at the start (waiting up to [`BUSY_WAIT`] for another writer):
        /// a transaction that first reads and then writes would be refused at once instead.
        fn transaction<T>(&mut self, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let value = work(&tx)?;
            tx.commit()?;
            Ok(value)
        }
    }

    /// Copies the database to `out` with SQLite's online backup, safe while others write.
    /// A damaged database is refused; the copy is made beside `out`, must pass
    /// `integrity_check` and open as this program's database, and only then takes the name.
    /// An existing file is never overwritten. Logged once in place (unless the file is
    /// read-only, when it cannot be).
    pub fn backup_to(&self, out: &Path) -> Result<()> {
        crate::domain::access::require(self.actor.role, crate::domain::access::Action::Export)?;
        health::refuse_damage(&self.conn, &self.path)?;
        self.copy_to(out, CopyCheck::Checked)?;
        if !self.is_read_only_file() {
            audit::record(&self.conn, &self.actor, "备份", &out.display().to_string(), "")
                .map_err(|e| logged_late(out, e))?;
        }
        Ok(())
    }

    /// Writes a copy of the database to `out` (never over an existing file), through a
    /// temporary file beside it.
    pub(crate) fn copy_to(&self, out: &Path, check: CopyCheck) -> Result<()> {
        crate::output::refuse_protected(out, None)?;
        let staged = Staged::beside(out, Existing::Keep)?;
        crate::output::make_private(staged.path())?;
        backup::copy_database(&self.conn, staged.path()).map_err(|e| {
            // Waiting and damage are the source's; a full disk or a folder that may not be
            // written is where the copy goes.
            let source = matches!(e.problem(), Some(DbProblem::Busy | DbProblem::Damaged(_)));
            e.in_database(if source { &self.path } else { out })
        })?;
        if check == CopyCheck::Checked
            && let Err(why) = health::sound_copy(staged.path())
        {
            return Err(Error::rejected(format!(
                "备份未完成：副本{why}，未保存“{}”。数据库本身未改动；请运行“volunteer-desk check”检查它。",
                out.display()
            )));
        }
        staged.commit()
    }

    /// How much the file holds, for the status bar and the empty-database offer.
    pub fn counts(&self) -> Result<Counts> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM unit),
                    (SELECT count(*) FROM team WHERE dissolved_on IS NULL),
                    (SELECT count(*) FROM volunteer WHERE deleted_at IS NULL),
                    (SELECT count(*) FROM activity WHERE cancelled_at IS NULL),
                    (SELECT count(*) FROM credit_session)",
            [],
            |row| {
                Ok(Counts {
                    units: row.get(0)?,
                    teams: row.get(1)?,
                    volunteers: row.get(2)?,
                    activities: row.get(3)?,
                    sessions: row.get(4)?,
                })
            },
        )?)
    }
}

/// Whether a copy must pass the integrity check before it takes its name: a backup must; the
/// safety copy taken before a restore keeps whatever is there, damage included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CopyCheck {
    Checked,
    AsIs,
}

/// The file is in place but its log entry could not be written: say both.
pub fn logged_late(path: &Path, err: Error) -> Error {
    Error::rejected(format!("已保存“{}”，但未能记入操作日志：{err}", path.display()))
}

/// The file, the account and the mode of a store, to open another connection like it.
#[derive(Clone, Debug)]
pub struct Access {
    pub path: PathBuf,
    pub actor: Actor,
    pub read_only: bool,
    pub keystore: Keystore,
}

impl Access {
    pub fn open(&self) -> Result<Store> {
        let mut store = open_with_keystore(&self.path, &self.keystore)?;
        store.read_only = self.read_only;
        store.act_as(self.actor.clone())?;
        Ok(store)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub units: i64,
    pub teams: i64,
    pub volunteers: i64,
    pub activities: i64,
    /// Sign-ins at the desk (签到), open or closed.
    pub sessions: i64,
}

impl Counts {
    pub fn is_empty(&self) -> bool {
        *self == Counts::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reveal_that_cannot_be_logged_is_refused() {
        use crate::domain::TeamKind;
        use crate::domain::identity::id_check_char;
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("desk.sqlite3");
        let keystore = Keystore::Folder(dir.path().join("keys"));
        let store = open_with_keystore(&path, &keystore).expect("open");
        let conn = store.conn();
        let unit =
            units::insert_unit(conn, &units::NewUnit { name: "市财政局".into(), party_members: 9 }).expect("unit");
        let team = teams::NewTeam {
            code: "ZD".into(),
            name: "总队".into(),
            kind: TeamKind::Corps,
            parent_id: None,
            unit_id: unit,
            manager_name: "陈立新".into(),
            manager_phone: "13857700001".into(),
            founded_on: None,
            service_fields: vec![],
        };
        let team = teams::insert_team(conn, &team).expect("team");
        let first17 = "33038119850101123";
        let id_number = format!("{first17}{}", id_check_char(first17.as_bytes()).expect("check"));
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).expect("day");
        let volunteer = volunteers::NewVolunteer {
            code: "ZY00001".into(),
            name: "张三".into(),
            id_number: id_number.clone(),
            phone: "13812345678".into(),
            unit_id: unit,
            team_id: Some(team),
            political_status: "中共党员".into(),
            skills: String::new(),
            service_categories: String::new(),
            registered_on: today,
        };
        let id = volunteers::insert_volunteer(conn, &volunteer, today).expect("volunteer");
        assert_eq!(store.reveal_id_number(id).expect("a writable file logs it"), id_number);
        drop(store);

        let read_only = open_read_only(&path, &keystore).expect("read-only");
        assert!(read_only.is_read_only_file() && read_only.has_key());
        let entries = || -> i64 {
            read_only.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).expect("count")
        };
        let logged = entries();
        let refused = read_only.reveal_id_number(id).expect_err("refused").to_string();
        assert!(refused.contains("无法记入操作日志"), "{refused}");
        assert_eq!(entries(), logged);
    }

    #[test]
    fn an_immutable_uri_escapes_what_uris_give_meaning() {
        assert_eq!(
            immutable_uri(Path::new("/媒体/光盘 #1/50%?.sqlite3")),
            "file:/媒体/光盘 %231/50%25%3F.sqlite3?immutable=1"
        );
        assert!(immutable_uri(Path::new("相对.sqlite3")).starts_with("file:/"), "made absolute");
    }

    #[test]
    fn the_header_states_the_size_only_when_current() {
        let mut head = vec![0u8; 100];
        head[16..18].copy_from_slice(&4096u16.to_be_bytes());
        head[28..32].copy_from_slice(&10u32.to_be_bytes());
        head[24..28].copy_from_slice(&7u32.to_be_bytes());
        head[92..96].copy_from_slice(&7u32.to_be_bytes());
        assert_eq!(size_in_header(&head), Some(40_960));
        head[92..96].copy_from_slice(&6u32.to_be_bytes());
        assert_eq!(size_in_header(&head), None, "written by an old SQLite: the number is stale");
    }
}
