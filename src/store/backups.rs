//! Automatic daily backups kept 7 days and 4 weeks, and restoring a backup safely.
//!
//! Every database carries a random identity (migration 18), and so does every backup of it.
//! Two databases in one folder share its 备份 folder: their backups are named by the
//! database's file and identity (`自动备份-2026-12-07-市财政局-3f9a1c2b.sqlite3`), each
//! database's restore list shows its own, and a backup of another database is restored only
//! when an administrator confirmed a warning naming both.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension as _};

use super::{CopyCheck, Store, audit, health, migrations};
use crate::domain::access::{Action, require};
use crate::error::{Error, Result};

const DAILY_KEPT: usize = 7;
const WEEKLY_KEPT: usize = 4;
const PREFIX: &str = "自动备份-";
const SUFFIX: &str = ".sqlite3";
/// How many hex digits of the identity a backup's name carries: enough to tell the databases
/// of one folder apart; the full identity inside the file decides.
const SHORT_IDENTITY: usize = 8;

/// The identity a database (or backup) holds, or `None` before migration 18.
pub fn identity(conn: &Connection) -> Result<Option<String>> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'database_identity')",
        [],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(None);
    }
    Ok(conn.query_row("SELECT identity FROM database_identity WHERE id = 1", [], |r| r.get(0)).optional()?)
}

/// The identity in a backup file, read as it is on disk; `None` when it has none or cannot
/// be read.
pub fn identity_of_backup(path: &Path) -> Option<String> {
    super::immutable_connection(path).ok().and_then(|conn| identity(&conn).ok().flatten())
}

/// The identity of a database file that may be in use (its log read too); `None` when it
/// has none or cannot be read.
pub fn identity_of_database(path: &Path) -> Option<String> {
    super::read_only_connection(path).ok().and_then(|conn| identity(&conn).ok().flatten())
}

/// Whose a backup is, next to the open database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// This database's (the same identity).
    This,
    /// Another database's: its identity.
    Other(String),
    /// Taken before databases had an identity (or this one's cannot be read): it cannot be told.
    Unknown,
}

/// Whose the backup at `backup` is, next to the store's database.
pub fn origin(store: &Store, backup: &Path) -> Origin {
    let ours = identity(&store.conn).ok().flatten();
    match (ours, identity_of_backup(backup)) {
        (Some(ours), Some(theirs)) if ours == theirs => Origin::This,
        (Some(_), Some(theirs)) => Origin::Other(theirs),
        _ => Origin::Unknown,
    }
}

/// What the administrator confirms before restoring another database's backup (or one that
/// cannot be told), naming both databases; `None` for this database's own.
pub fn restore_warning(store: &Store, backup: &Path) -> Option<String> {
    let ours = identity(&store.conn).ok().flatten().map_or_else(|| "无法读取".to_string(), |id| short(&id).to_string());
    let current = format!("当前数据库“{}”（标识 {ours}）", store.path().display());
    match origin(store, backup) {
        Origin::This => None,
        Origin::Other(theirs) => Some(format!(
            "“{}”是另一个数据库（标识 {}）的备份，不是{current}的备份。恢复会用另一个数据库的数据替换当前全部数据，\
             恢复后须用那个数据库的账号登录。",
            backup.display(),
            short(&theirs)
        )),
        Origin::Unknown => Some(format!(
            "“{}”没有数据库标识（早于本版本的备份），无法确认它是{current}的备份。恢复会用它替换当前全部数据。",
            backup.display()
        )),
    }
}

/// Whether a restore may replace the data with another database's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OtherDatabase {
    Refuse,
    /// An administrator confirmed the warning (the window), or gave `--other-database`.
    Confirmed,
}

fn short(identity: &str) -> &str {
    identity.get(..SHORT_IDENTITY).unwrap_or(identity)
}

/// `-{file stem}-{short identity}.sqlite3`: what names this database's backups.
fn name_tail(store: &Store) -> Result<String> {
    let stem = store.path().file_stem().map_or_else(|| "数据库".into(), |s| s.to_string_lossy());
    let id = identity(&store.conn)?.ok_or_else(|| Error::rejected("数据库没有标识，请用本版本的程序打开一次"))?;
    Ok(format!("-{stem}-{}{SUFFIX}", short(&id)))
}

/// The file of this database's automatic backup of `day` in `folder`.
pub fn daily_file(store: &Store, folder: &Path, day: NaiveDate) -> Result<PathBuf> {
    Ok(folder.join(format!("{PREFIX}{}{}", day.format("%Y-%m-%d"), name_tail(store)?)))
}

/// Where the automatic backups of the database at `database` go: beside it.
pub fn folder_for(database: &Path) -> PathBuf {
    database.parent().unwrap_or(Path::new(".")).join(crate::paths::BACKUP_FOLDER)
}

/// Takes the day's backup unless it exists, then drops copies beyond 7 daily and 4 weekly.
/// Returns the new file, if one was made. A damaged database is refused before anything is
/// copied or dropped: the backups kept are then the ones to restore from.
pub fn daily_backup(store: &Store, folder: &Path, today: NaiveDate) -> Result<Option<PathBuf>> {
    health::refuse_damage(store.conn(), store.path())?;
    crate::output::create_private_folder(folder)?;
    let file = daily_file(store, folder, today)?;
    let made = if file.exists() {
        None
    } else {
        store.backup_to(&file)?;
        Some(file)
    };
    // Only this database's: another's in the same folder keeps its own days.
    let tail = name_tail(store)?;
    for stale in stale_backups(&backup_dates(folder, &tail)?) {
        let file = daily_file(store, folder, stale)?;
        std::fs::remove_file(&file).map_err(|e| Error::file(&file, e))?;
    }
    Ok(made)
}

/// The backups in `folder` that are this database's (by the identity inside each), newest
/// first by name; and how many others lie there (another database's, or older than
/// identities), which the restore list does not offer.
pub fn list_for(store: &Store, folder: &Path) -> (Vec<(String, PathBuf)>, usize) {
    let (ours, others): (Vec<_>, Vec<_>) =
        list(folder).into_iter().partition(|(_, path)| origin(store, path) == Origin::This);
    (ours, others.len())
}

/// Every backup in `folder`, newest first, by file name.
pub fn list(folder: &Path) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(folder) else { return Vec::new() };
    let mut found: Vec<(String, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(name, _)| name.ends_with(SUFFIX))
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0));
    found
}

/// The days of the automatic backups in `folder` whose names end in `tail` (one database's).
fn backup_dates(folder: &Path, tail: &str) -> Result<Vec<NaiveDate>> {
    let mut dates = Vec::new();
    let unreadable = |e| Error::file(folder, e);
    for entry in std::fs::read_dir(folder).map_err(unreadable)? {
        let name = entry.map_err(unreadable)?.file_name();
        let name = name.to_string_lossy();
        if let Some(day) = name.strip_prefix(PREFIX).and_then(|rest| rest.strip_suffix(tail))
            && let Ok(date) = NaiveDate::parse_from_str(day, "%Y-%m-%d")
        {
            dates.push(date);
        }
    }
    Ok(dates)
}

/// The backups to delete: all but the newest 7, and the newest of each of the 4 most recent
/// weeks before those.
pub fn stale_backups(dates: &[NaiveDate]) -> Vec<NaiveDate> {
    let mut newest_first: Vec<NaiveDate> = dates.to_vec();
    newest_first.sort_unstable_by(|a, b| b.cmp(a));
    newest_first.dedup();
    let mut keep: BTreeSet<NaiveDate> = newest_first.iter().take(DAILY_KEPT).copied().collect();
    let mut weeks = BTreeSet::new();
    for date in newest_first.iter().skip(DAILY_KEPT) {
        let week = date.iso_week();
        if weeks.len() < WEEKLY_KEPT && weeks.insert((week.year(), week.week())) {
            keep.insert(*date);
        }
    }
    newest_first.into_iter().filter(|d| !keep.contains(d)).collect()
}

/// [`restore_from`] of this database's own backup (or one too old to tell): another
/// database's is refused.
pub fn restore(store: &mut Store, backup: &Path, folder: &Path, now: NaiveDateTime) -> Result<PathBuf> {
    restore_from(store, backup, folder, now, OtherDatabase::Refuse)
}

/// Replaces the open database's content with the backup at `backup`: the file is checked
/// first (a SQLite file of this program, intact, not from a newer version; another
/// database's only when `other` says it was confirmed), and the current content is backed up
/// into `folder` as `恢复前-…` before anything is replaced. Returns that safety copy.
///
/// The database keeps the backup's identity; a backup older than identities takes the one the
/// database had, so its backups stay its own.
///
/// A backup from before the numbers were sealed (version < 17) is sealed under this
/// database's key as it is restored, so this machine needs the key for it: a copy beside the
/// database is sealed first, and only the sealed copy is read into it, so a failure leaves
/// the database as it was and no clear number ever reaches its pages.
pub fn restore_from(
    store: &mut Store,
    backup: &Path,
    folder: &Path,
    now: NaiveDateTime,
    other: OtherDatabase,
) -> Result<PathBuf> {
    require(store.actor().role, Action::Administer)?;
    check_backup(backup)?;
    let whose = origin(store, backup);
    if let Origin::Other(_) = whose
        && other == OtherDatabase::Refuse
    {
        let warning = restore_warning(store, backup).unwrap_or_default();
        return Err(Error::rejected(format!(
            "{warning}未做任何改动。确需恢复，请在窗口中确认警告，或在命令行加 --other-database。"
        )));
    }
    let identity_before = identity(&store.conn).ok().flatten();
    let adopted = if holds_clear_numbers(backup) { Some(store.key_to_adopt()?) } else { None };
    let key_before = super::keys::read_record(&store.conn)?;
    crate::output::create_private_folder(folder)?;
    let tail = name_tail(store).unwrap_or_else(|_| SUFFIX.to_string());
    let safety = folder.join(format!("恢复前-{}{tail}", now.format("%Y-%m-%d-%H%M%S")));
    // Kept as it is, damage included: it may be all there is of the latest work.
    store.copy_to(&safety, CopyCheck::AsIs)?;
    let sealed = match &adopted {
        Some(adopted) => Some(super::sealed_copy(backup, store.path(), adopted)?),
        None => None,
    };
    let source = super::immutable_connection(sealed.as_ref().map_or(backup, |s| s.path()))?;
    super::backup::copy_all(&source, &mut store.conn).map_err(|e| e.in_database(store.path()))?;
    drop(source);
    // The sealed copy's temporary file goes with it.
    drop(sealed);
    let found = migrations::current_version(&store.conn)?;
    let supported = migrations::latest_version();
    if found < supported {
        super::migrate(&mut store.conn, found, supported, adopted.as_ref())?;
    }
    super::keys::keep_newer_wrap(&store.conn, key_before.as_ref())?;
    if whose == Origin::Unknown
        && let Some(before) = &identity_before
    {
        store.conn.execute("UPDATE database_identity SET identity = ?1 WHERE id = 1", [before])?;
    }
    super::rewrite_pages_once(&store.conn)?;
    store.reload_key()?;
    if let Ok(key) = store.data_key() {
        audit::remask_log_once(&store.conn, &key)?;
    }
    let note = match whose {
        Origin::This => "",
        Origin::Other(_) => "；这是另一个数据库的备份，管理员已确认",
        Origin::Unknown => "；该备份没有数据库标识，无法确认来源",
    };
    let detail = format!("恢复前的数据已另存为“{}”{note}", safety.display());
    audit::record(&store.conn, store.actor(), "恢复备份", &backup.display().to_string(), &detail)?;
    Ok(safety)
}

/// Whether a database or backup file is from before migration 17, so holds 身份证号 and phones
/// in clear: read from its header's `user_version`, without opening it.
pub fn holds_clear_numbers(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = [0u8; 64];
    let read = std::fs::File::open(path).and_then(|mut file| file.read_exact(&mut head));
    let version = i64::from(u32::from_be_bytes([head[60], head[61], head[62], head[63]]));
    read.is_ok() && version > 0 && version < migrations::SEALING_VERSION
}

/// The backups in `folder` still holding clear numbers (taken before the upgrade).
pub fn clear_backups(folder: &Path) -> Vec<PathBuf> {
    list(folder).into_iter().map(|(_, path)| path).filter(|path| holds_clear_numbers(path)).collect()
}

/// Re-makes each backup that holds clear numbers: the same content, sealed under this
/// database's key and rewritten whole, replacing the old file only once the new one is
/// sound (an administrator's act, logged). Returns how many.
pub fn reseal_backups(store: &Store, folder: &Path) -> Result<usize> {
    require(store.actor().role, Action::Administer)?;
    let adopted = store.key_to_adopt()?;
    let clear = clear_backups(folder);
    for path in &clear {
        super::reseal_copy(path, &adopted).map_err(|e| e.in_database(path))?;
    }
    if !clear.is_empty() {
        let detail = format!("{} 份加密前的备份已重新生成，其中的身份证号和手机号已加密", clear.len());
        audit::record(&store.conn, store.actor(), "加密旧备份", &folder.display().to_string(), &detail)?;
    }
    Ok(clear.len())
}

/// Refuses a file that is not an intact database of this program.
pub fn check_backup(path: &Path) -> Result<()> {
    health::sound_copy(path)
        .map_err(|why| Error::rejected(format!("“{}”不能用于恢复：{why}，未做任何改动。", path.display())))
}

/// A backup that passed the full check, and the day it was taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SoundBackup {
    pub path: PathBuf,
    pub taken: NaiveDate,
}

/// The newest backup in `folder` that passes the check, to offer when the database is found
/// damaged: not another database's (by `identity`, the damaged one's when it can be read).
/// Newest by the day in its name (自动备份-2026-11-29-…, 恢复前-2026-11-29-…), else by the
/// file's time.
pub fn newest_sound_backup(folder: &Path, identity: Option<&str>) -> Option<SoundBackup> {
    let another = |path: &Path| identity.zip(identity_of_backup(path)).is_some_and(|(ours, theirs)| ours != theirs);
    let mut dated: Vec<SoundBackup> = list(folder)
        .into_iter()
        .filter(|(_, path)| !another(path))
        .filter_map(|(name, path)| Some(SoundBackup { taken: taken_on(&name, &path)?, path }))
        .collect();
    dated.sort_by(|a, b| b.taken.cmp(&a.taken).then_with(|| b.path.cmp(&a.path)));
    dated.into_iter().find(|backup| health::sound_copy(&backup.path).is_ok())
}

/// The day a backup was taken: from its name when it has one, else from the file.
fn taken_on(name: &str, path: &Path) -> Option<NaiveDate> {
    let from_name = name
        .strip_suffix(SUFFIX)
        .and_then(|stem| stem.split_once('-'))
        .and_then(|(_, rest)| NaiveDate::parse_from_str(rest.get(..10)?, "%Y-%m-%d").ok());
    from_name.or_else(|| {
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok()?;
        Some(chrono::DateTime::<chrono::Local>::from(modified).date_naive())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn keeps_seven_days_and_four_weeks() {
        // Sixty consecutive days of backups ending Sunday 2026-11-29.
        let last = day("2026-11-29");
        let dates: Vec<NaiveDate> = (0..60).map(|i| last - chrono::Days::new(i)).collect();
        let stale = stale_backups(&dates);
        let kept: Vec<NaiveDate> = dates.iter().filter(|d| !stale.contains(d)).copied().collect();
        assert_eq!(kept.len(), 11);
        // The seven newest days, then the newest left of the weeks before: Sunday 11-22 ends
        // the week of the days already kept, so the weeks are those of 11-22, 11-15, 11-08, 11-01.
        assert_eq!(kept[..7], (0..7).map(|i| last - chrono::Days::new(i)).collect::<Vec<_>>()[..]);
        assert_eq!(kept[7..], [day("2026-11-22"), day("2026-11-15"), day("2026-11-08"), day("2026-11-01")]);
    }

    #[test]
    fn a_few_backups_are_all_kept() {
        assert!(stale_backups(&[day("2026-11-01"), day("2026-11-02")]).is_empty());
    }
}
