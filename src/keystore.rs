//! Where this machine keeps the data keys of the databases it opens (issue #20).
//!
//! A database names its key by a random id; the key itself is never in the file. It is kept
//! in the operating system's credential store where one answers (Windows Credential Manager,
//! Secret Service on 统信/麒麟/Debian, the macOS Keychain), otherwise in a key file per database
//! in the user's config directory that only the user may read. `VOLUNTEER_DESK_KEY_DIR` names
//! that folder instead and skips the system store: for scripts, portable installs and tests.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::error::{Error, Result};
use crate::store::sealing::{DataKey, hex, unhex};

/// The variable that puts the keys in a folder of the user's choosing.
pub const KEY_DIR_VARIABLE: &str = "VOLUNTEER_DESK_KEY_DIR";

/// The name the keys go under in the system store.
const SERVICE: &str = "volunteer-desk";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Keystore {
    /// The operating system's credential store.
    System,
    /// One file a key, `<key id>.key`, in this folder.
    Folder(PathBuf),
}

impl Keystore {
    /// This user's store, found once a process: the folder the environment names, else the
    /// system store if it answers, else the key folder in the user's config directory.
    pub fn for_this_user() -> &'static Keystore {
        static CHOSEN: OnceLock<Keystore> = OnceLock::new();
        CHOSEN.get_or_init(|| {
            if let Some(dir) = std::env::var_os(KEY_DIR_VARIABLE).filter(|d| !d.is_empty()) {
                return Keystore::Folder(PathBuf::from(dir));
            }
            if cfg!(feature = "test-support") {
                // Tests never touch the developer's own credential store; one folder for all,
                // so the command-line runs a test starts find the keys of its databases.
                return Keystore::Folder(std::env::temp_dir().join("volunteer-desk-test-keys"));
            }
            if system::answers() {
                return Keystore::System;
            }
            Keystore::Folder(default_folder())
        })
    }

    /// The key with this id, if this store has it.
    pub fn load(&self, key_id: &str) -> Result<Option<DataKey>> {
        if let Some(key) = self.remembered(key_id) {
            return Ok(Some(key));
        }
        let text = match self {
            Keystore::System => system::load(SERVICE, key_id)?,
            Keystore::Folder(dir) => read_key_file(&dir.join(file_name(key_id)))?,
        };
        let Some(text) = text else { return Ok(None) };
        let key = unhex(text.trim())
            .and_then(|bytes| DataKey::from_bytes(&bytes))
            .ok_or_else(|| Error::rejected(format!("{}中的数据密钥已损坏（编号 {key_id}）", self.describe())))?;
        self.remember(key_id, &key);
        Ok(Some(key))
    }

    /// Keeps `key` under `key_id` (replacing what was there).
    pub fn save(&self, key_id: &str, key: &DataKey) -> Result<()> {
        let text = hex(key.as_bytes());
        match self {
            Keystore::System => system::save(SERVICE, key_id, &text)?,
            Keystore::Folder(dir) => write_key_file(dir, &file_name(key_id), &text)?,
        }
        self.remember(key_id, key);
        Ok(())
    }

    /// Where the keys are, as the window and the README say it.
    pub fn describe(&self) -> String {
        match self {
            Keystore::System => format!("本机系统凭据库（{}）", system::NAME),
            Keystore::Folder(dir) => format!("密钥文件夹 {}（仅本账户可读）", dir.display()),
        }
    }

    pub fn is_system(&self) -> bool {
        *self == Keystore::System
    }
}

/// `~/.config/volunteer-desk/keys` on Linux, `%APPDATA%\jiguan\volunteer-desk\config\keys` on
/// Windows: beside the user's settings, not beside the database, so a copied database folder
/// does not carry its key along.
fn default_folder() -> PathBuf {
    directories::ProjectDirs::from("cn", "jiguan", "volunteer-desk")
        .map(|dirs| dirs.config_dir().join("keys"))
        .unwrap_or_else(|| PathBuf::from("volunteer-desk-keys"))
}

fn file_name(key_id: &str) -> String {
    let safe: String = key_id.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("{safe}.key")
}

fn read_key_file(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::file(path, e)),
    }
}

/// Writes the key file whole or not at all, readable by its owner only.
fn write_key_file(dir: &Path, name: &str, text: &str) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::file(dir, e))?;
    restrict_folder(dir)?;
    let path = dir.join(name);
    let staged = dir.join(format!("{name}.tmp"));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let write = |file: &mut std::fs::File| {
        use std::io::Write as _;
        file.write_all(text.as_bytes())?;
        file.sync_all()
    };
    options.open(&staged).and_then(|mut file| write(&mut file)).map_err(|e| Error::file(&staged, e))?;
    std::fs::rename(&staged, &path).map_err(|e| Error::file(&path, e))
}

#[cfg(unix)]
fn restrict_folder(dir: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| Error::file(dir, e))
}

/// On Windows the user's profile folders are already closed to other users.
#[cfg(not(unix))]
fn restrict_folder(_dir: &Path) -> Result<()> {
    Ok(())
}

/// Keys this process has loaded or been given, so a worker's connection or a second window of
/// the same database does not ask the credential store again.
fn memory() -> &'static Mutex<HashMap<String, DataKey>> {
    static KEYS: OnceLock<Mutex<HashMap<String, DataKey>>> = OnceLock::new();
    KEYS.get_or_init(Mutex::default)
}

impl Keystore {
    fn remembered(&self, key_id: &str) -> Option<DataKey> {
        memory().lock().unwrap_or_else(PoisonError::into_inner).get(&self.memory_name(key_id)).cloned()
    }

    fn remember(&self, key_id: &str, key: &DataKey) {
        memory().lock().unwrap_or_else(PoisonError::into_inner).insert(self.memory_name(key_id), key.clone());
    }

    /// Remembered per store: a key given to one store is not found in another.
    fn memory_name(&self, key_id: &str) -> String {
        format!("{self:?}/{key_id}")
    }
}

/// The operating system's credential store.
mod system {
    use crate::error::Result;

    pub const NAME: &str = "未接入";

    pub fn answers() -> bool {
        false
    }

    pub fn load(_service: &str, _key_id: &str) -> Result<Option<String>> {
        Ok(None)
    }

    pub fn save(_service: &str, _key_id: &str, _text: &str) -> Result<()> {
        Err(crate::error::Error::rejected("系统凭据库不可用"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_round_trips_and_only_its_owner_reads_it() {
        let dir = std::env::temp_dir().join(format!("vd-keystore-{}", std::process::id()));
        let store = Keystore::Folder(dir.clone());
        let key = DataKey::generate().unwrap();
        store.save("abc123", &key).unwrap();
        assert_eq!(Keystore::Folder(dir.clone()).load("abc123").unwrap().unwrap().as_bytes(), key.as_bytes());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(dir.join("abc123.key")).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "no one else may read the key file");
        }
        assert!(Keystore::Folder(dir.clone()).load("unknown").unwrap().is_none());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
