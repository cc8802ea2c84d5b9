//! The database's data key as the store holds it (issue #20): found in this machine's
//! keystore when the file opens, or given by the 恢复码, and lent to SQL as functions so a
//! clear number passes from a bound parameter straight into its sealed form and never onto
//! a page of the file.
//!
//! Without the key, everything that needs no clear number still works (lists show the masked
//! forms, reports and exports too); sealing, finding by ID and 显示证件号 are refused with the
//! way out.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::NaiveDateTime;

use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, OptionalExtension as _, params};

use super::sealing::{self, DataKey, Field, Place, RecoveryWrap};
use crate::domain::access::{Action, require};
use crate::domain::identity::{mask_id_number, mask_phone};
use crate::error::{Error, Result};
use crate::keystore::Keystore;
use crate::store::{Store, audit};

/// The key a connection's SQL functions seal with, once it is known.
pub(crate) type SharedKey = Arc<Mutex<Option<DataKey>>>;

/// Why a write or a reveal that needs the key is refused: the way out in the window. The
/// command line adds its own (`cli::run`).
pub const NO_KEY: &str = "本机没有这个数据库的数据密钥，不能录入、查找或显示身份证号和手机号。\
    请管理员在“系统 → 数据密钥 → 输入恢复码”处输入；其余功能不受影响。";

/// What a printed 恢复码 names besides the code, so a sheet found in a drawer years later
/// says which database and which key it opens, and since when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecoverySheet {
    pub database: PathBuf,
    /// The database's own identity, which survives a move or a rename of the file.
    pub identity: Option<String>,
    pub key_id: String,
    pub made_at: NaiveDateTime,
}

impl RecoverySheet {
    /// The sheet for `code`: the code, the database and key it opens, when it was made, and
    /// what to do with it (the command line's `--out` file and the window's 另存为文本文件
    /// write the same). No line but the code's reads as a code (`cli::read_recovery_code`).
    pub fn text(&self, code: &str) -> String {
        let identity = self.identity.as_ref().map(|id| format!("数据库标识：{id}\n")).unwrap_or_default();
        format!(
            "机关党员志愿服务管理 数据库恢复码\n\n    {code}\n\n\
             数据库文件：{}\n{identity}数据密钥编号：{}\n生成时间：{}\n\n\
             用途：在另一台电脑或另一个账户上打开这个数据库（或它的备份）时，输入恢复码即可读取和录入\n\
             身份证号、手机号。恢复码丢失且本机密钥也丢失时，身份证号和手机号无法恢复，其余数据不受影响。\n\n\
             怎样使用：以管理员登录后，在“系统 → 数据密钥 → 输入恢复码”处输入上面的恢复码；\n\
             命令行运行时加 --recovery-code-file 恢复码文件。\n\
             生成本恢复码时，此前的恢复码已作废；以后再生成新的恢复码，本页即作废，请销毁。\n\n\
             请打印后与公章同等保管；不要保存在数据库所在的电脑或备份盘上，打印后删除本文件。\n",
            self.database.display(),
            self.key_id,
            self.made_at.format("%Y年%-m月%-d日 %H:%M"),
        )
    }
}

/// Lends the key to SQL: `seal_id(clear, table, row)`, `seal_phone(clear, table, row)` (the
/// value bound to its place, sealing.rs), `index_id` (and, for tests only,
/// `open_phone(sealed, table, row)`: the program opens values in Rust), and the masks
/// `mask_id`, `mask_phone`, which need no key. A function that needs the key fails with [`NO_KEY`]
/// while there is none.
///
/// The key's functions are `SQLITE_DIRECTONLY`: only the program's own statements may call
/// them, never a trigger, view, index or default a copy of the file brought with it (issue
/// #26). The masks need no key and are not called from the schema either.
pub(crate) fn register_functions(conn: &Connection, key: &SharedKey) -> Result<()> {
    let utf8 = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DIRECTONLY;
    let deterministic = utf8 | FunctionFlags::SQLITE_DETERMINISTIC;
    for (name, field) in [("seal_id", Field::IdNumber), ("seal_phone", Field::Phone)] {
        let bound_key = Arc::clone(key);
        conn.create_scalar_function(name, 3, utf8, move |ctx| {
            let (clear, table, row): (String, String, i64) = (ctx.get(0)?, ctx.get(1)?, ctx.get(2)?);
            with_key(&bound_key, |k| k.seal_at(field, Place { table: &table, row }, &normalized(field, &clear)))
        })?;
        // Migration 17's SQL as it shipped seals by kind only; `resealing` binds its values.
        let unbound_key = Arc::clone(key);
        conn.create_scalar_function(name, 1, utf8, move |ctx| {
            let clear: String = ctx.get(0)?;
            with_key(&unbound_key, |k| k.seal_unbound(field, &normalized(field, &clear)))
        })?;
    }
    let index_key = Arc::clone(key);
    conn.create_scalar_function("index_id", 1, deterministic, move |ctx| {
        let clear: String = ctx.get(0)?;
        with_key(&index_key, |k| Ok(k.index(Field::IdNumber, &normalized(Field::IdNumber, &clear))))
    })?;
    // The program opens phones in Rust (import.rs, contest works); tests check what was
    // sealed with this. A release build lends SQL no way to open a value at all.
    #[cfg(feature = "test-support")]
    {
        let open_key = Arc::clone(key);
        conn.create_scalar_function("open_phone", 3, deterministic, move |ctx| {
            let (sealed, table, row): (String, String, i64) = (ctx.get(0)?, ctx.get(1)?, ctx.get(2)?);
            with_key(&open_key, |k| k.open_at(Field::Phone, Place { table: &table, row }, &sealed))
        })?;
    }
    // The audit chain: an entry is signed with the key when there is one (`k` and the HMAC),
    // chained by plain SHA-256 otherwise (audit.rs says which entries could not be signed).
    // Called by the logging triggers, so innocuous (trusted_schema is off); the schema guard
    // refuses any trigger the program did not make, so none but ours can ask for a signature.
    let chain_key = Arc::clone(key);
    let innocuous = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function("audit_hash", 7, innocuous, move |ctx| {
        let fields: Vec<Option<String>> = (0..7).map(|i| ctx.get(i)).collect::<rusqlite::Result<_>>()?;
        let key = chain_key.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(match key.as_ref() {
            Some(key) => audit::signed_hash(key, &fields),
            None => super::guard::entry_hash(&fields),
        })
    })?;
    // The signature an entry should carry, or NULL without the key: what the check compares.
    let check_key = Arc::clone(key);
    conn.create_scalar_function("audit_signature", 7, utf8, move |ctx| {
        let fields: Vec<Option<String>> = (0..7).map(|i| ctx.get(i)).collect::<rusqlite::Result<_>>()?;
        let key = check_key.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(key.as_ref().map(|key| audit::signed_hash(key, &fields)))
    })?;
    conn.create_scalar_function("mask_id", 1, deterministic, |ctx| Ok(mask_id_number(ctx.get::<String>(0)?.trim())))?;
    conn.create_scalar_function("mask_phone", 1, deterministic, |ctx| Ok(mask_phone(ctx.get::<String>(0)?.trim())))?;
    Ok(())
}

/// A value as it is sealed and indexed: trimmed, and an ID's check letter upper case, so one
/// number always gives one index.
fn normalized(field: Field, clear: &str) -> String {
    match field {
        Field::IdNumber => clear.trim().to_ascii_uppercase(),
        Field::Phone => clear.trim().to_string(),
    }
}

fn with_key(key: &SharedKey, work: impl FnOnce(&DataKey) -> Result<String>) -> rusqlite::Result<String> {
    let guard = key.lock().unwrap_or_else(PoisonError::into_inner);
    let key = guard.as_ref().ok_or_else(|| rusqlite::Error::UserFunctionError(NO_KEY.into()))?;
    work(key).map_err(|e| rusqlite::Error::UserFunctionError(e.to_string().into()))
}

/// What the database keeps of its key.
#[derive(Clone, Debug)]
pub(crate) struct KeyRecord {
    pub key_id: String,
    pub check_value: String,
    pub recovery: Option<RecoveryWrap>,
    pub recovery_set_at: Option<String>,
}

/// The record, or `None` before migration 17.
pub(crate) fn read_record(conn: &Connection) -> Result<Option<KeyRecord>> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'field_key')",
        [],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(None);
    }
    Ok(conn
        .query_row(
            "SELECT key_id, check_value, recovery_salt, recovery_memory_kib, recovery_passes, recovery_sealed,
                    recovery_set_at FROM field_key WHERE id = 1",
            [],
            |r| {
                let recovery =
                    match (r.get::<_, Option<String>>(2)?, r.get(3)?, r.get(4)?, r.get::<_, Option<String>>(5)?) {
                        (Some(salt), Some(memory_kib), Some(passes), Some(sealed)) => {
                            Some(RecoveryWrap { salt, memory_kib, passes, sealed })
                        }
                        _ => None,
                    };
                Ok(KeyRecord { key_id: r.get(0)?, check_value: r.get(1)?, recovery, recovery_set_at: r.get(6)? })
            },
        )
        .optional()?)
}

/// The record, refused in words for a file before migration 17.
pub(crate) fn record_of(conn: &Connection) -> Result<KeyRecord> {
    read_record(conn)?.ok_or_else(|| Error::rejected("数据库尚未升级到加密版本"))
}

/// Writes a 恢复码's wrap into the record, made at `set_at` (now when `None`).
fn write_wrap(conn: &Connection, wrap: &RecoveryWrap, set_at: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE field_key SET recovery_salt = ?1, recovery_memory_kib = ?2, recovery_passes = ?3, recovery_sealed = ?4,
                recovery_set_at = coalesce(?5, datetime('now', 'localtime')) WHERE id = 1",
        params![wrap.salt, wrap.memory_kib, wrap.passes, wrap.sealed, set_at],
    )?;
    Ok(())
}

/// A key made for a database that has none yet (a new file, or one before version 17), kept
/// in the keystore before anything is sealed under it; or an open database's key adopted by
/// a copy sealed under it (an old backup re-made or restored), with its 恢复码 wrap, so the
/// printed code opens that copy too.
#[derive(Clone, Debug)]
pub(crate) struct NewKey {
    pub key_id: String,
    pub key: DataKey,
    pub recovery: Option<(RecoveryWrap, String)>,
}

impl NewKey {
    pub(crate) fn make(keystore: &Keystore) -> Result<NewKey> {
        let key = DataKey::generate()?;
        let key_id = sealing::hex(&DataKey::generate()?.as_bytes()[..8]);
        keystore.save(&key_id, &key).map_err(|e| {
            Error::rejected(format!(
                "无法保存数据库的数据密钥到{}：{e}。数据库未升级，请检查后重试。",
                keystore.describe()
            ))
        })?;
        Ok(NewKey { key_id, key, recovery: None })
    }

    /// The open database's key as a copy adopts it, with the 恢复码 wrap it has.
    pub(crate) fn adopted(record: KeyRecord, key: DataKey) -> NewKey {
        let recovery = record.recovery.zip(record.recovery_set_at);
        NewKey { key_id: record.key_id, key, recovery }
    }

    /// Writes the record of the new key (migration 17), with the adopted 恢复码 wrap if any.
    pub(crate) fn record(&self, conn: &Connection) -> Result<()> {
        conn.execute(
            "INSERT INTO field_key (id, key_id, check_value) VALUES (1, ?1, ?2)",
            params![self.key_id, self.key.check_value()],
        )?;
        match &self.recovery {
            Some((wrap, set_at)) => write_wrap(conn, wrap, Some(set_at)),
            None => Ok(()),
        }
    }
}

/// 更换数据密钥: the record names the new key and keeps its 恢复码's wrap, made now; the file
/// is to be rewritten (`pages_rewritten`), so no freed page keeps what the old key sealed.
pub(crate) fn replace_key(conn: &Connection, new: &NewKey, wrap: &RecoveryWrap) -> Result<()> {
    conn.execute(
        "UPDATE field_key SET key_id = ?1, check_value = ?2, pages_rewritten = 0 WHERE id = 1",
        params![new.key_id, new.key.check_value()],
    )?;
    write_wrap(conn, wrap, None)
}

/// After a restore under the same key: the 恢复码 wrap of the database as it was (`before`)
/// stays when the backup's is older, so the code printed last still opens the file.
pub(crate) fn keep_newer_wrap(conn: &Connection, before: Option<&KeyRecord>) -> Result<()> {
    let (Some(before), Some(restored)) = (before, read_record(conn)?) else { return Ok(()) };
    let (Some(wrap), Some(set_at)) = (&before.recovery, &before.recovery_set_at) else { return Ok(()) };
    if restored.key_id != before.key_id || restored.recovery_set_at.as_ref().is_some_and(|at| at >= set_at) {
        return Ok(());
    }
    write_wrap(conn, wrap, Some(set_at))
}

/// The key this keystore holds for the database, checked against the record.
pub(crate) fn find_key(record: &KeyRecord, keystore: &Keystore) -> Result<Option<DataKey>> {
    let Some(key) = keystore.load(&record.key_id)? else { return Ok(None) };
    if key.check_value() != record.check_value {
        return Err(Error::rejected(format!(
            "{}中编号 {} 的数据密钥与这个数据库不符，未使用。请管理员输入恢复码。",
            keystore.describe(),
            record.key_id
        )));
    }
    Ok(Some(key))
}

/// Where the database's key stands, for the window's 数据密钥 page and `key status`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyStatus {
    /// This machine has the key: IDs can be entered, found and shown.
    pub unlocked: bool,
    /// When the current 恢复码 was made; `None` while there is none.
    pub recovery_set_at: Option<String>,
    /// Where this machine keeps keys.
    pub keystore: String,
    pub keystore_is_system: bool,
    pub key_id: String,
    /// Why the key this machine keeps was not used (a damaged key file), while locked.
    pub problem: Option<String>,
    /// Why other accounts of this computer may read the key file, when they may.
    pub exposure: Option<String>,
}

impl std::fmt::Display for KeyStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let private = if self.keystore_is_system || self.exposure.is_some() { "" } else { "，仅本账户可读" };
        if self.unlocked {
            write!(f, "数据密钥：本机已保存（{}{private}，编号 {}）。", self.keystore, self.key_id)?;
        } else {
            write!(f, "数据密钥：本机没有（编号 {}）；身份证号、手机号不能录入或显示，请输入恢复码。", self.key_id)?;
            if let Some(problem) = &self.problem {
                write!(f, "（{problem}）")?;
            }
        }
        match &self.recovery_set_at {
            Some(at) => write!(f, "恢复码生成于 {at}。")?,
            None => write!(f, "尚未生成恢复码：本机密钥一旦丢失，身份证号和手机号将无法恢复。")?,
        }
        match &self.exposure {
            Some(exposure) => write!(f, "警告：{exposure}。"),
            None => Ok(()),
        }
    }
}

impl Store {
    /// Where the database's key stands.
    pub fn key_status(&self) -> Result<KeyStatus> {
        let record = record_of(&self.conn)?;
        let place = self.keystore.place_of(&record.key_id);
        let unlocked = self.has_key();
        Ok(KeyStatus {
            unlocked,
            recovery_set_at: record.recovery_set_at,
            keystore: place.describe(),
            keystore_is_system: place.is_system(),
            problem: if unlocked { None } else { self.key_problem() },
            exposure: self.keystore.exposure(&record.key_id),
            key_id: record.key_id,
        })
    }

    /// What the sheet of a 恢复码 of this database made at `made_at` names.
    pub fn recovery_sheet(&self, made_at: NaiveDateTime) -> Result<RecoverySheet> {
        let record = record_of(&self.conn)?;
        Ok(RecoverySheet {
            database: std::path::absolute(&self.path).unwrap_or_else(|_| self.path.clone()),
            identity: super::backups::identity(&self.conn)?,
            key_id: record.key_id,
            made_at,
        })
    }

    /// Whether this machine has the key.
    pub fn has_key(&self) -> bool {
        self.key.lock().unwrap_or_else(PoisonError::into_inner).is_some()
    }

    /// The key, or the refusal that says how to get it.
    pub(crate) fn data_key(&self) -> Result<DataKey> {
        self.key.lock().unwrap_or_else(PoisonError::into_inner).clone().ok_or_else(|| Error::rejected(NO_KEY))
    }

    /// Makes a new 恢复码 (an administrator's act), replacing the one before: the key is
    /// wrapped under it in the database. The code is returned to be shown once and printed;
    /// it is kept nowhere.
    pub fn make_recovery_code(&mut self) -> Result<String> {
        require(self.actor.role, Action::Administer)?;
        let code = sealing::new_recovery_code()?;
        self.wrap_under(&code)?;
        Ok(code)
    }

    /// A new 恢复码 written to the new file `out` (readable by this account only) as its
    /// printable sheet. The file is written only once the database holds the code's wrap, in
    /// the same transaction, and removed if that transaction then fails: a file exists only
    /// for a code that opens the database, and on any failure the old code stays the valid one.
    pub fn write_recovery_code(&mut self, out: &std::path::Path, made_at: NaiveDateTime) -> Result<()> {
        require(self.actor.role, Action::Administer)?;
        let key = self.data_key()?;
        let sheet = self.recovery_sheet(made_at)?;
        let code = sealing::new_recovery_code()?;
        let wrap = sealing::wrap_with_recovery_code(&key, &code)?;
        let actor = self.actor.clone();
        let mut written = false;
        let made = self.transaction(|conn| {
            write_wrap(conn, &wrap, None)?;
            audit::record(conn, &actor, "生成恢复码", "数据密钥", "此前的恢复码作废")?;
            crate::output::write_private(out, &sheet.text(&code))?;
            written = true;
            Ok(())
        });
        if made.is_err() && written {
            // The code on it never opened the database; it must not be kept as if it did.
            let _ = std::fs::remove_file(out);
        }
        made
    }

    /// Wraps the key under a given code: the demo's published one.
    pub(crate) fn wrap_under(&mut self, code: &str) -> Result<()> {
        let key = self.data_key()?;
        let wrap = sealing::wrap_with_recovery_code(&key, code)?;
        let actor = self.actor.clone();
        self.transaction(|conn| {
            write_wrap(conn, &wrap, None)?;
            audit::record(conn, &actor, "生成恢复码", "数据密钥", "此前的恢复码作废")
        })
    }

    /// Gives this machine the key through the 恢复码 (an administrator's act): checked
    /// against the database, then kept in this machine's keystore. A wrong code changes
    /// nothing.
    pub fn unlock_with_recovery_code(&mut self, code: &str) -> Result<()> {
        require(self.actor.role, Action::Administer)?;
        let record = record_of(&self.conn)?;
        let wrap = record.recovery.ok_or_else(|| {
            Error::rejected("这个数据库还没有生成过恢复码，无法在本机解锁；请在保存着密钥的电脑上打开它并生成恢复码")
        })?;
        let key = sealing::unwrap_with_recovery_code(&wrap, code)?;
        if key.check_value() != record.check_value {
            return Err(Error::rejected(sealing::WRONG_CODE));
        }
        self.keystore.save(&record.key_id, &key)?;
        *self.key.lock().unwrap_or_else(PoisonError::into_inner) = Some(key);
        audit::record(
            &self.conn,
            &self.actor,
            "输入恢复码",
            "数据密钥",
            &format!("密钥已保存到{}", self.keystore.place_of(&record.key_id).describe()),
        )?;
        self.bind_sealed_rows()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sheet_names_the_database_key_and_date_and_only_the_code_reads_as_one() {
        let sheet = RecoverySheet {
            database: PathBuf::from("/srv/工委/volunteer-desk.sqlite3"),
            identity: Some("3f2a9c0d-identity".to_string()),
            key_id: "00112233aabbccdd".to_string(),
            made_at: chrono::NaiveDate::from_ymd_opt(2026, 12, 7).and_then(|d| d.and_hms_opt(9, 5, 0)).expect("time"),
        };
        let code = "7K3M-AB12-CD34-EF56-GH78-JK9P";
        let text = sheet.text(code);
        for line in [
            "数据库文件：/srv/工委/volunteer-desk.sqlite3",
            "数据库标识：3f2a9c0d-identity",
            "数据密钥编号：00112233aabbccdd",
            "生成时间：2026年12月7日 09:05",
            "“系统 → 数据密钥 → 输入恢复码”",
        ] {
            assert!(text.lines().any(|l| l.contains(line)), "{line} in {text}");
        }
        let codes: Vec<&str> =
            text.lines().map(str::trim).filter(|l| sealing::normalize_recovery_code(l).is_ok()).collect();
        assert_eq!(codes, [code]);
        let without = RecoverySheet { identity: None, ..sheet }.text(code);
        assert!(!without.contains("数据库标识"), "{without}");
    }
}
