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
            // A key the locked store could not take went to the key folder (`save`).
            Keystore::System => match system::load(SERVICE, key_id) {
                Ok(Some(text)) => Some(text),
                found => read_key_file(&key_file(&default_folder(), key_id))?.map_or(found, |text| Ok(Some(text)))?,
            },
            Keystore::Folder(dir) => read_key_file(&key_file(dir, key_id))?,
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
            // A store that answers may still refuse to save (a keyring left locked, no unlock
            // prompt): the key then goes to the key folder rather than being lost.
            Keystore::System => {
                if system::save(SERVICE, key_id, &text).is_err() {
                    write_key_file(&key_file(&default_folder(), key_id), &text)?;
                }
            }
            Keystore::Folder(dir) => write_key_file(&key_file(dir, key_id), &text)?,
        }
        self.remember(key_id, key);
        Ok(())
    }

    /// Removes the key `key_id` from this machine (更换数据密钥 retires the old key, or drops a
    /// new one whose change failed): from this store, the key folder a locked system store sent
    /// it to, and this process's memory. A key that is not there is no error.
    pub fn forget(&self, key_id: &str) -> Result<()> {
        memory().lock().unwrap_or_else(PoisonError::into_inner).remove(&self.memory_name(key_id));
        if let Keystore::System = self {
            system::forget(SERVICE, key_id)?;
        }
        let dir = match self {
            Keystore::Folder(dir) => dir.clone(),
            Keystore::System => default_folder(),
        };
        let file = key_file(&dir, key_id);
        match std::fs::remove_file(&file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::file(&file, e)),
            _ => Ok(()),
        }
    }

    /// Where this machine keeps the key `key_id`: this store, or the key folder a locked
    /// system store sent it to (`save`).
    pub fn place_of(&self, key_id: &str) -> Keystore {
        let in_folder = || key_file(&default_folder(), key_id).exists();
        match self {
            Keystore::System if !matches!(system::load(SERVICE, key_id), Ok(Some(_))) && in_folder() => {
                Keystore::Folder(default_folder())
            }
            other => other.clone(),
        }
    }

    /// Where the keys are, as the window and the README say it.
    pub fn describe(&self) -> String {
        match self {
            Keystore::System => format!("本机系统凭据库（{}）", system::NAME),
            Keystore::Folder(dir) => format!("密钥文件夹 {}", dir.display()),
        }
    }

    pub fn is_system(&self) -> bool {
        *self == Keystore::System
    }

    /// Whether others may read the key file of `key_id`, said truthfully: a file of this
    /// account's readable by others is closed first (chmod 0600); one that cannot be closed
    /// (another account's file, a file system without modes) is reported. `None` when only
    /// this account may read it, or the key is not in a file.
    pub fn exposure(&self, key_id: &str) -> Option<String> {
        let file = match self.place_of(key_id) {
            Keystore::Folder(dir) => key_file(&dir, key_id),
            Keystore::System => return None,
        };
        close_to_others(&file).err()
    }
}

/// Makes the key file readable by its owner only if others may read it; says why not when it
/// cannot be (and the file is there).
#[cfg(unix)]
fn close_to_others(file: &Path) -> std::result::Result<(), String> {
    use std::os::unix::fs::PermissionsExt as _;
    let Ok(meta) = std::fs::metadata(file) else { return Ok(()) };
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 == 0 {
        return Ok(());
    }
    // Refused when this account does not own the file: said so, with what to do.
    std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600)).map_err(|_| {
        format!(
            "密钥文件 {} 其他账户可读（权限 {mode:04o}），本账户无法收回他人的读权限：请让文件所有者执行 chmod 600，\
             或输入恢复码重新保存密钥",
            file.display()
        )
    })
}

/// On Windows the user's profile folders are already closed to other users.
#[cfg(not(unix))]
fn close_to_others(_file: &Path) -> std::result::Result<(), String> {
    Ok(())
}

/// `~/.config/volunteer-desk/keys` on Linux, `%APPDATA%\jiguan\volunteer-desk\config\keys` on
/// Windows: beside the user's settings, not beside the database, so a copied database folder
/// does not carry its key along.
fn default_folder() -> PathBuf {
    directories::ProjectDirs::from("cn", "jiguan", "volunteer-desk")
        .map(|dirs| dirs.config_dir().join("keys"))
        .unwrap_or_else(|| PathBuf::from("volunteer-desk-keys"))
}

/// The key file of `key_id` in `dir`: `<id>.key`, the id kept to letters and digits.
fn key_file(dir: &Path, key_id: &str) -> PathBuf {
    let safe: String = key_id.chars().filter(char::is_ascii_alphanumeric).collect();
    dir.join(format!("{safe}.key"))
}

/// Reads a key file, closing it to other accounts first when it is this account's
/// (a copy or an unzip can leave it at 0644); one that stays open is reported by `key status`.
fn read_key_file(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            // Reported where the status is shown (`exposure`): the key itself is good.
            let _ = close_to_others(path);
            Ok(Some(text))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::file(path, e)),
    }
}

/// Writes the key file whole or not at all, readable by its owner only.
fn write_key_file(path: &Path, text: &str) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    // A folder made here is closed to others; one the user named is left as it is.
    if !dir.exists() {
        std::fs::create_dir_all(dir).map_err(|e| Error::file(dir, e))?;
        restrict_folder(dir)?;
    }
    let mut staged = path.as_os_str().to_owned();
    staged.push(".tmp");
    let staged = PathBuf::from(staged);
    // A file or link left under the name (a run cut short, or someone's in a folder named by
    // VOLUNTEER_DESK_KEY_DIR) is removed, never written through: removing a link removes the
    // link, and the new file is made with create-new (O_EXCL), which refuses any file or link
    // put there in between instead of following it (issue #26).
    match std::fs::remove_file(&staged) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(Error::file(&staged, e)),
        _ => {}
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let write = |file: &mut std::fs::File| {
        use std::io::Write as _;
        // Exactly 0600 whatever the umask, on the file itself (no path to race).
        #[cfg(unix)]
        file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
        file.write_all(text.as_bytes())?;
        file.sync_all()
    };
    options.open(&staged).and_then(|mut file| write(&mut file)).map_err(|e| Error::file(&staged, e))?;
    std::fs::rename(&staged, path).map_err(|e| Error::file(path, e))
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

/// The operating system's credential store, through keyring-rs v4: `keyring-core`'s entries
/// over one store crate a platform (Cargo.toml). A key is an entry of service `volunteer-desk`
/// and user its key id, its password the key's hex.
mod system {
    use std::sync::{Arc, OnceLock, mpsc};
    use std::time::Duration;

    use keyring_core::{CredentialStore, Entry, Error as StoreError};

    use crate::error::{Error, Result};

    #[cfg(windows)]
    pub const NAME: &str = "Windows 凭据管理器";
    #[cfg(target_os = "macos")]
    pub const NAME: &str = "macOS 钥匙串";
    #[cfg(all(unix, not(any(target_os = "macos", target_os = "ios", target_os = "android"))))]
    pub const NAME: &str = "Secret Service（GNOME 密钥环/KWallet）";
    #[cfg(not(any(windows, all(unix, not(any(target_os = "ios", target_os = "android"))))))]
    pub const NAME: &str = "本平台无";

    /// How long the first look at the store may take. A session bus that is there answers in
    /// milliseconds; one that never answers (a wedged daemon, a service being activated that
    /// never comes up) must not hold the window's start, so past this the key folder is used.
    const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

    /// The entry the probe looks up: never saved, so a store that works answers "no entry".
    const PROBE_SERVICE: &str = "volunteer-desk-probe";
    const PROBE_USER: &str = "no-such-key";

    /// Whether this machine's credential store answers: it opens and says "no entry" for a key
    /// nobody saved. Without a session bus (a server, Xvfb, CI) or without a Secret Service on
    /// it, the answer is no within `PROBE_TIMEOUT`, usually at once.
    pub fn answers() -> bool {
        store().is_some()
    }

    /// The text kept under `key_id`, or None when there is no such entry.
    pub fn load(service: &str, key_id: &str) -> Result<Option<String>> {
        let entry = entry(service, key_id)?;
        match entry.get_password() {
            Ok(text) => Ok(Some(text)),
            Err(StoreError::NoEntry) => Ok(None),
            Err(e) => Err(failed("读取数据密钥", key_id, &e)),
        }
    }

    /// Keeps `text` under `key_id`, replacing what was there.
    pub fn save(service: &str, key_id: &str, text: &str) -> Result<()> {
        entry(service, key_id)?.set_password(text).map_err(|e| failed("保存数据密钥", key_id, &e))
    }

    /// Removes the entry; one that is not there is no error.
    pub fn forget(service: &str, key_id: &str) -> Result<()> {
        match entry(service, key_id)?.delete_credential() {
            Ok(()) | Err(StoreError::NoEntry) => Ok(()),
            Err(e) => Err(failed("删除数据密钥", key_id, &e)),
        }
    }

    fn entry(service: &str, key_id: &str) -> Result<Entry> {
        let store = store().ok_or_else(|| Error::rejected(format!("本机系统凭据库（{NAME}）不可用")))?;
        Entry::new_in_store(&store, service, key_id).map_err(|e| failed("打开数据密钥条目", key_id, &e))
    }

    fn failed(what: &str, key_id: &str, e: &StoreError) -> Error {
        let why = match e {
            StoreError::NoStorageAccess(_) => "凭据库已锁定或拒绝访问，请解锁后重试".to_string(),
            StoreError::Ambiguous(found) => format!("凭据库中有 {} 个同名条目，请删除多余的", found.len()),
            other => other.to_string(),
        };
        Error::rejected(format!("在系统凭据库（{NAME}）中{what}失败（编号 {key_id}）：{why}"))
    }

    /// The store, opened and probed once a process; None if it does not answer.
    fn store() -> Option<Arc<CredentialStore>> {
        static STORE: OnceLock<Option<Arc<CredentialStore>>> = OnceLock::new();
        STORE.get_or_init(probe).clone()
    }

    /// Opens the store and looks up an entry nobody saved, on a thread of its own so that a
    /// store that never answers costs `PROBE_TIMEOUT` and not the program. A panic in the
    /// platform crate ends that thread and reads as "does not answer".
    fn probe() -> Option<Arc<CredentialStore>> {
        let (sender, receiver) = mpsc::channel();
        let spawned = std::thread::Builder::new().name("keystore-probe".into()).spawn(move || {
            let answer =
                open().and_then(|store| match Entry::new_in_store(&store, PROBE_SERVICE, PROBE_USER)?.get_password() {
                    Err(StoreError::NoEntry) | Ok(_) => Ok(store),
                    Err(e) => Err(e),
                });
            // The receiver is gone only if the wait timed out; nobody is left to tell.
            let _ = sender.send(answer.ok());
        });
        if spawned.is_err() {
            return None;
        }
        receiver.recv_timeout(PROBE_TIMEOUT).ok().flatten()
    }

    #[cfg(windows)]
    fn open() -> keyring_core::Result<Arc<CredentialStore>> {
        Ok(windows_native_keyring_store::Store::new()?)
    }

    #[cfg(target_os = "macos")]
    fn open() -> keyring_core::Result<Arc<CredentialStore>> {
        Ok(apple_native_keyring_store::keychain::Store::new()?)
    }

    #[cfg(all(unix, not(any(target_os = "macos", target_os = "ios", target_os = "android"))))]
    fn open() -> keyring_core::Result<Arc<CredentialStore>> {
        Ok(zbus_secret_service_keyring_store::Store::new()?)
    }

    #[cfg(not(any(windows, all(unix, not(any(target_os = "ios", target_os = "android"))))))]
    fn open() -> keyring_core::Result<Arc<CredentialStore>> {
        Err(StoreError::NotSupportedByStore("no credential store on this platform".into()))
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

    #[cfg(unix)]
    #[test]
    fn the_key_is_never_written_through_a_file_or_link_left_as_its_temporary_file() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("他人的文件");
        std::fs::write(&victim, "他人的内容").unwrap();
        std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).unwrap();
        let keys = dir.path().join("keys");
        std::fs::create_dir(&keys).unwrap();
        std::os::unix::fs::symlink(&victim, keys.join("abc123.key.tmp")).unwrap();
        let key = DataKey::generate().unwrap();
        Keystore::Folder(keys.clone()).save("abc123", &key).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "他人的内容", "not written through the link");
        let file = keys.join("abc123.key");
        assert!(!std::fs::symlink_metadata(&file).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(&victim).unwrap().permissions().mode() & 0o777, 0o644);

        // A plain file left there, open to everyone, does not lend the key its permissions.
        std::fs::write(keys.join("def456.key.tmp"), "").unwrap();
        std::fs::set_permissions(keys.join("def456.key.tmp"), std::fs::Permissions::from_mode(0o666)).unwrap();
        Keystore::Folder(keys.clone()).save("def456", &key).unwrap();
        assert_eq!(std::fs::metadata(keys.join("def456.key")).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(Keystore::Folder(keys).load("def456").unwrap().unwrap().as_bytes(), key.as_bytes());
    }

    /// Quick, whatever the machine has: a store that answers does at once, and one that is not
    /// there or never answers is given up on after the probe's timeout.
    #[test]
    fn asking_whether_the_system_store_answers_never_hangs() {
        let started = std::time::Instant::now();
        let answers = system::answers();
        println!("system store answers: {answers}, in {:?}", started.elapsed());
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "took {:?}", started.elapsed());
    }

    /// Saves and loads a key through the real system store, so it is not run by `cargo test`
    /// (CI has no session bus). On Linux, in a throwaway session with an unlocked keyring:
    ///
    /// ```sh
    /// sudo apt-get install -y gnome-keyring dbus-x11
    /// dbus-run-session -- bash -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null;
    ///   cargo test --lib keystore -- --ignored --nocapture'
    /// ```
    ///
    /// On Windows and macOS, `cargo test --lib keystore -- --ignored` against the user's own
    /// store (it removes the entry it made).
    #[test]
    #[ignore = "needs the operating system's credential store (see the comment)"]
    fn a_key_round_trips_through_the_system_store() {
        assert!(system::answers(), "no credential store answers here");
        let key_id = format!("test{}", std::process::id());
        assert_eq!(system::load(SERVICE, &key_id).unwrap(), None);
        let key = DataKey::generate().unwrap();
        Keystore::System.save(&key_id, &key).unwrap();
        // Past the process's memory of keys, straight from the store.
        assert_eq!(system::load(SERVICE, &key_id).unwrap().as_deref(), Some(hex(key.as_bytes()).as_str()));
        let other = DataKey::generate().unwrap();
        system::save(SERVICE, &key_id, &hex(other.as_bytes())).unwrap();
        assert_eq!(system::load(SERVICE, &key_id).unwrap(), Some(hex(other.as_bytes())), "a save replaces");
        system::forget(SERVICE, &key_id).unwrap();
        assert_eq!(system::load(SERVICE, &key_id).unwrap(), None);
        println!("round trip through {} passed", Keystore::System.describe());
    }
}
