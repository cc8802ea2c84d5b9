//! Automatic daily backups kept 7 days and 4 weeks, and restoring a backup safely.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::{CopyCheck, Store, audit, health, migrations};
use crate::domain::access::{Action, require};
use crate::error::{Error, Result};

const DAILY_KEPT: usize = 7;
const WEEKLY_KEPT: usize = 4;
const PREFIX: &str = "自动备份-";
const SUFFIX: &str = ".sqlite3";

/// Where the automatic backups of the database at `database` go: beside it.
pub fn folder_for(database: &Path) -> PathBuf {
    database.parent().unwrap_or(Path::new(".")).join(crate::paths::BACKUP_FOLDER)
}

/// Takes the day's backup unless it exists, then drops copies beyond 7 daily and 4 weekly.
/// Returns the new file, if one was made. A damaged database is refused before anything is
/// copied or dropped: the backups kept are then the ones to restore from.
pub fn daily_backup(store: &Store, folder: &Path, today: NaiveDate) -> Result<Option<PathBuf>> {
    health::refuse_damage(store.conn(), store.path())?;
    std::fs::create_dir_all(folder).map_err(|e| Error::file(folder, e))?;
    let file = folder.join(format!("{PREFIX}{}{SUFFIX}", today.format("%Y-%m-%d")));
    let made = if file.exists() {
        None
    } else {
        store.backup_to(&file)?;
        Some(file)
    };
    for stale in stale_backups(&backup_dates(folder)?) {
        let file = folder.join(format!("{PREFIX}{}{SUFFIX}", stale.format("%Y-%m-%d")));
        std::fs::remove_file(&file).map_err(|e| Error::file(&file, e))?;
    }
    Ok(made)
}

/// The backups in `folder`, newest first, by file name.
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

fn backup_dates(folder: &Path) -> Result<Vec<NaiveDate>> {
    let mut dates = Vec::new();
    let unreadable = |e| Error::file(folder, e);
    for entry in std::fs::read_dir(folder).map_err(unreadable)? {
        let name = entry.map_err(unreadable)?.file_name();
        let name = name.to_string_lossy();
        if let Some(day) = name.strip_prefix(PREFIX).and_then(|rest| rest.strip_suffix(SUFFIX))
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

/// Replaces the open database's content with the backup at `backup`: the file is checked
/// first (a SQLite file of this program, intact, not from a newer version), and the current
/// content is backed up into `folder` before anything is replaced. Returns that safety copy.
///
/// A backup from before the numbers were sealed (version < 17) is sealed under this
/// database's key as it is restored, so this machine needs the key for it: a copy beside the
/// database is sealed first, and only the sealed copy is read into it, so a failure leaves
/// the database as it was and no clear number ever reaches its pages.
pub fn restore(store: &mut Store, backup: &Path, folder: &Path, now: NaiveDateTime) -> Result<PathBuf> {
    require(store.actor().role, Action::Administer)?;
    check_backup(backup)?;
    let adopted = if holds_clear_numbers(backup) { Some(store.key_to_adopt()?) } else { None };
    let key_before = super::keys::read_record(&store.conn)?;
    std::fs::create_dir_all(folder).map_err(|e| Error::file(folder, e))?;
    let safety = folder.join(format!("恢复前-{}{SUFFIX}", now.format("%Y-%m-%d-%H%M%S")));
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
    super::rewrite_pages_once(&store.conn)?;
    store.reload_key()?;
    let detail = format!("恢复前的数据已另存为“{}”", safety.display());
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
/// damaged. Newest by the day in its name (自动备份-2026-11-29, 恢复前-2026-11-29-…), else by
/// the file's time.
pub fn newest_sound_backup(folder: &Path) -> Option<SoundBackup> {
    let mut dated: Vec<SoundBackup> = list(folder)
        .into_iter()
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
