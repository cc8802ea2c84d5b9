//! Where the program keeps its files when the user does not say.

use std::path::PathBuf;

const DATABASE_FILE: &str = "volunteer-desk.sqlite3";
/// The folder beside a database that holds its backups; exports are never written there.
pub const BACKUP_FOLDER: &str = "备份";

/// The platform's data directory for the program (created if missing), e.g.
/// `~/.local/share/volunteer-desk` on Linux, `%APPDATA%\jiguan\volunteer-desk\data` on Windows.
pub fn data_dir() -> crate::Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("cn", "jiguan", "volunteer-desk")
        .ok_or_else(|| crate::Error::rejected("无法确定用户数据目录，请用 --db 指定数据库文件"))?;
    let dir = dirs.data_dir().to_path_buf();
    crate::output::create_private_folder(&dir)?;
    Ok(dir)
}

/// The database the window and the command line open without `--db`.
pub fn default_database() -> crate::Result<PathBuf> {
    Ok(data_dir()?.join(DATABASE_FILE))
}

/// Takes the lock that says "this window writes the database at `database`". `None` when
/// another window holds it (or the lock file cannot be made): that window's edits would
/// otherwise race this one's.
pub fn lock_instance(database: &std::path::Path) -> Option<std::fs::File> {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(name).ok()?;
    file.try_lock().ok()?;
    Some(file)
}
