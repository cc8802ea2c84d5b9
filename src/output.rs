//! Writing a file whole or not at all, and never over what must not be replaced.
//!
//! Every file the program writes (workbooks, certificates, backups) goes to a temporary file
//! beside its target, is synced, checked where it can be, and only then renamed into place;
//! the folder is synced after the rename so the new name survives a power cut. On any failure
//! the temporary file is removed and the target is untouched; a crash can leave only a hidden
//! temporary file, never a half-written one under the final name.

use std::fs::File;
use std::io::{ErrorKind, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use crate::error::{Error, Result};
use crate::paths::BACKUP_FOLDER;

/// The first 16 bytes of every SQLite database.
pub const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";
/// The first bytes of a write-ahead log (either byte order) and of a rollback journal.
const WAL_MAGIC: [[u8; 4]; 2] = [[0x37, 0x7f, 0x06, 0x82], [0x37, 0x7f, 0x06, 0x83]];
const JOURNAL_MAGIC: [u8; 8] = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];
/// The files SQLite keeps beside a database.
pub const COMPANIONS: [&str; 3] = ["-wal", "-shm", "-journal"];

/// What to do when the target already exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    /// Replace it in one step (the user chose the name in a save dialog or on the command line).
    Replace,
    /// Refuse, leaving it as it is (backups are never overwritten).
    Keep,
}

/// Refuses a target whose loss would lose data: a SQLite database, journal or log, a
/// companion of a database, and — when the open database is known — that database, its
/// companions and anything in its 备份 folder. A folder is refused too.
pub fn refuse_protected(target: &Path, database: Option<&Path>) -> Result<()> {
    let protected = |why| Err(Error::Protected { path: target.to_path_buf(), why });
    if target.is_dir() {
        return Err(Error::file(target, std::io::Error::from(ErrorKind::IsADirectory)));
    }
    if let Some(why) = sqlite_content(target) {
        return protected(why);
    }
    if companion_of(target).is_some_and(|db| sqlite_content(&db).is_some()) {
        return protected("它是数据库的附属文件（-wal/-shm/-journal），覆盖会毁掉数据库");
    }
    let Some(database) = database else { return Ok(()) };
    let (target, database) = (resolved(target), resolved(database));
    if target == database {
        return protected("它是正在使用的数据库");
    }
    if companion_of(&target).is_some_and(|db| db == database) {
        return protected("它是正在使用的数据库的附属文件（-wal/-shm/-journal）");
    }
    if let Some(folder) = database.parent()
        && target.parent() == Some(folder.join(BACKUP_FOLDER).as_path())
    {
        return protected("它位于数据库的“备份”文件夹中，那里只放备份");
    }
    Ok(())
}

/// Why the file's content must not be overwritten, judged by its first bytes.
fn sqlite_content(path: &Path) -> Option<&'static str> {
    let mut head = [0u8; 16];
    let read = File::open(path).and_then(|mut f| f.read(&mut head)).ok()?;
    let head = &head[..read];
    if head == SQLITE_HEADER {
        Some("它是一个 SQLite 数据库文件（可能是本程序的数据库或备份），覆盖会毁掉其中的数据")
    } else if head.len() >= 4 && WAL_MAGIC.iter().any(|m| head[..4] == *m) || head.starts_with(&JOURNAL_MAGIC) {
        Some("它是 SQLite 数据库的日志文件，覆盖会毁掉数据库")
    } else {
        None
    }
}

/// The database a `-wal`, `-shm` or `-journal` file belongs to.
fn companion_of(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    COMPANIONS.iter().find_map(|suffix| name.strip_suffix(suffix)).map(|db| path.with_file_name(db))
}

/// The path with its folder resolved (links, `..`), so two spellings of one file compare equal.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (folder.canonicalize(), path.file_name()) {
        (Ok(folder), Some(name)) => folder.join(name),
        _ => path.to_path_buf(),
    }
}

/// A temporary file beside a target, removed when dropped unless committed.
pub struct Staged {
    temp: PathBuf,
    target: PathBuf,
    existing: Existing,
    committed: bool,
}

static SERIAL: AtomicU32 = AtomicU32::new(0);

impl Staged {
    /// Reserves a new, hidden temporary name beside `target`.
    pub fn beside(target: &Path, existing: Existing) -> Result<Staged> {
        if existing == Existing::Keep && target.exists() {
            return Err(Error::file(target, std::io::Error::from(ErrorKind::AlreadyExists)));
        }
        let name = target.file_name().ok_or_else(|| Error::rejected(format!("“{}”不是文件名", target.display())))?;
        sweep_leftovers(target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")));
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".{}-{}.tmp", std::process::id(), SERIAL.fetch_add(1, Ordering::Relaxed)));
        let temp = target.with_file_name(temp_name);
        std::fs::OpenOptions::new().write(true).create_new(true).open(&temp).map_err(|e| Error::file(target, e))?;
        Ok(Staged { temp, target: target.to_path_buf(), existing, committed: false })
    }

    /// The temporary file, to write to and check.
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Syncs the temporary file, puts it under the target's name and syncs the folder.
    pub fn commit(mut self) -> Result<()> {
        let fail = |e| Error::file(&self.target, e);
        File::options().read(true).write(true).open(&self.temp).and_then(|f| f.sync_all()).map_err(fail)?;
        match self.existing {
            Existing::Replace => std::fs::rename(&self.temp, &self.target).map_err(fail)?,
            Existing::Keep => place_new(&self.temp, &self.target).map_err(fail)?,
        }
        self.committed = true;
        sync_folder(&self.target);
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            // The temporary file may be gone already; nothing else can be done about it here.
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Removes the temporary files a killed run of this program left in `folder`
/// (`.NAME.PID-N.tmp` and its journal, up to a database's size for a backup), once their
/// process is gone.
/// Best effort: a file that cannot be removed now is tried again at the next write there.
fn sweep_leftovers(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(leftover_pid) else { continue };
        let path = entry.path();
        if pid != std::process::id() && entry.file_type().is_ok_and(|t| t.is_file()) && process_gone(pid, &path) {
            // Another run may have swept it a moment ago; either way it is gone.
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// The process id in a name [`Staged::beside`] makes: `.NAME.PID-N.tmp`, or SQLite's journal
/// beside it (a backup is written by `VACUUM INTO`, killed mid-way it leaves `…tmp-journal`).
fn leftover_pid(name: &str) -> Option<u32> {
    let name = ["-journal", "-wal", "-shm"].iter().find_map(|c| name.strip_suffix(c)).unwrap_or(name);
    let rest = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (_, stamp) = rest.rsplit_once('.')?;
    let (pid, serial) = stamp.split_once('-')?;
    serial.parse::<u32>().ok()?;
    pid.parse().ok()
}

/// Whether the process that made a temporary file has ended: asked of the system where it
/// tells without unsafe code (Linux's /proc); elsewhere a file untouched for a day is taken
/// as left behind (no write of this program takes that long).
#[cfg(target_os = "linux")]
fn process_gone(pid: u32, _file: &Path) -> bool {
    !Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(not(target_os = "linux"))]
fn process_gone(_pid: u32, file: &Path) -> bool {
    const LEFT_BEHIND: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);
    std::fs::metadata(file)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > LEFT_BEHIND)
}

/// Gives `temp` the name `target` only if that name is free, in one step where the file
/// system allows (a hard link fails on an existing name), else by checking first.
fn place_new(temp: &Path, target: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(temp, target) {
        Ok(()) => std::fs::remove_file(temp),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(e),
        // FAT-formatted sticks and some shares have no hard links.
        Err(_) if target.exists() => Err(std::io::Error::from(ErrorKind::AlreadyExists)),
        Err(_) => std::fs::rename(temp, target),
    }
}

/// Makes a rename in the folder of `path` durable (POSIX); Windows does so by itself.
fn sync_folder(path: &Path) {
    #[cfg(unix)]
    if let Some(folder) = path.parent() {
        let folder = if folder.as_os_str().is_empty() { Path::new(".") } else { folder };
        // The file is complete and in place; a folder that cannot be synced only weakens
        // durability across a power cut, which is no reason to report the write as failed.
        let _ = File::open(folder).and_then(|f| f.sync_all());
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Writes `bytes` whole to `target` (temporary file, sync, rename), refusing a protected
/// target (see [`refuse_protected`]).
pub fn write_bytes(target: &Path, database: Option<&Path>, existing: Existing, bytes: &[u8]) -> Result<()> {
    refuse_protected(target, database)?;
    let staged = Staged::beside(target, existing)?;
    let mut file =
        File::options().write(true).truncate(true).open(staged.path()).map_err(|e| Error::file(target, e))?;
    file.write_all(bytes).map_err(|e| Error::file(target, e))?;
    drop(file);
    staged.commit()
}

/// Writes a secret (a 恢复码) to a new file only its owner may read, never over an existing one.
/// Closes a file the program made to every other account of the computer (0600), whatever
/// the umask: the database, its backups and copies hold the file's secrets (issue #26). On
/// Windows the user's profile ACLs already close the program's folders to other users, so
/// nothing is changed there.
pub fn make_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(|e| Error::file(path, e))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Makes the folder `dir` (and its parents) if it is missing, closed to other accounts
/// (0700, whatever the umask); a folder already there is left as it is, as it may be the
/// user's own choice. Windows: left to the profile ACLs (see [`make_private`]).
pub fn create_private_folder(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::file(dir, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| Error::file(dir, e))?;
    }
    Ok(())
}

pub fn write_private(target: &Path, text: &str) -> Result<()> {
    refuse_protected(target, None)?;
    let staged = Staged::beside(target, Existing::Keep)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(staged.path(), std::fs::Permissions::from_mode(0o600))
            .map_err(|e| Error::file(target, e))?;
    }
    let mut file =
        File::options().write(true).truncate(true).open(staged.path()).map_err(|e| Error::file(target, e))?;
    file.write_all(text.as_bytes()).map_err(|e| Error::file(target, e))?;
    drop(file);
    staged.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_folder_made_for_the_data_is_the_owners_only_and_one_there_is_left_alone() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().expect("dir");
        let data = dir.path().join("share").join("volunteer-desk");
        create_private_folder(&data).expect("made");
        assert_eq!(std::fs::metadata(&data).expect("meta").permissions().mode() & 0o777, 0o700);
        let chosen = dir.path().join("共享");
        std::fs::create_dir(&chosen).expect("dir");
        std::fs::set_permissions(&chosen, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        create_private_folder(&chosen).expect("there");
        assert_eq!(std::fs::metadata(&chosen).expect("meta").permissions().mode() & 0o777, 0o755);
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_whole_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("表.xlsx");
        std::fs::write(&target, b"old").expect("old");
        write_bytes(&target, None, Existing::Replace, b"new").expect("write");
        assert_eq!(std::fs::read(&target).expect("read"), b"new");
        assert_eq!(names(dir.path()), ["表.xlsx"]);
    }

    #[test]
    fn keep_refuses_an_existing_name() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("a.sqlite3.bak");
        std::fs::write(&target, b"old").expect("old");
        let err = write_bytes(&target, None, Existing::Keep, b"new").expect_err("exists");
        assert!(err.to_string().contains("已存在"), "{err}");
        assert_eq!(std::fs::read(&target).expect("read"), b"old");
        assert_eq!(names(dir.path()), ["a.sqlite3.bak"]);
    }

    #[test]
    fn a_dropped_stage_removes_its_file() {
        let dir = tempfile::tempdir().expect("dir");
        let staged = Staged::beside(&dir.path().join("x.xlsx"), Existing::Replace).expect("stage");
        assert_eq!(names(dir.path()).len(), 1);
        drop(staged);
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn leftovers_of_ended_processes_are_swept_at_the_next_write() {
        let dir = tempfile::tempdir().expect("dir");
        // A process id no process has (Linux's pid_max is at most 2^22).
        let gone = dir.path().join(".自动备份-2026-12-07.sqlite3.4294967294-0.tmp");
        let ours = dir.path().join(format!(".表.xlsx.{}-99.tmp", std::process::id()));
        let alive = dir.path().join(".表.xlsx.1-0.tmp");
        let stranger = dir.path().join(".别人的.tmp");
        for file in [&gone, &ours, &alive, &stranger] {
            std::fs::write(file, b"x").expect("leftover");
        }
        write_bytes(&dir.path().join("报表.xlsx"), None, Existing::Replace, b"new").expect("write");
        let left = names(dir.path());
        #[cfg(target_os = "linux")]
        assert!(!left.contains(&gone.file_name().expect("name").to_string_lossy().into_owned()), "{left:?}");
        for kept in [&ours, &alive, &stranger] {
            let name = kept.file_name().expect("name").to_string_lossy().into_owned();
            assert!(left.contains(&name), "{name} is not a leftover of an ended run: {left:?}");
        }
        assert_eq!(leftover_pid(".a.b.sqlite3.123-4.tmp"), Some(123));
        assert_eq!(leftover_pid(".a.tmp"), None);
        assert_eq!(leftover_pid(".a.b.sqlite3.123-4.tmp-journal"), Some(123));
        assert_eq!(leftover_pid(".a.b.sqlite3.123-4.tmp-other"), None);
    }

    #[test]
    fn refuses_databases_their_companions_and_the_backup_folder() {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("desk.sqlite3");
        let mut header = SQLITE_HEADER.to_vec();
        header.resize(4096, 0);
        std::fs::write(&db, &header).expect("db");
        let other = dir.path().join("其他.xlsx");
        std::fs::write(&other, &header).expect("sqlite under another name");
        std::fs::create_dir(dir.path().join(BACKUP_FOLDER)).expect("folder");
        for target in [
            db.clone(),
            dir.path().join("desk.sqlite3-wal"),
            dir.path().join("desk.sqlite3-shm"),
            dir.path().join("desk.sqlite3-journal"),
            dir.path().join(BACKUP_FOLDER).join("报表.xlsx"),
            other,
        ] {
            let err = refuse_protected(&target, Some(&db)).expect_err("protected");
            assert!(matches!(err, Error::Protected { .. }), "{}: {err}", target.display());
            assert!(err.to_string().contains(&target.display().to_string()), "{err}");
        }
        refuse_protected(&dir.path().join("报表.xlsx"), Some(&db)).expect("an ordinary name");
        let folder = refuse_protected(dir.path(), Some(&db)).expect_err("a folder");
        assert!(folder.to_string().contains("是一个文件夹"), "{folder}");
    }
}
