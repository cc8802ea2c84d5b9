//! Issue #26: the database, its `-wal` and `-shm`, its backups and the backup folder are
//! closed to the other accounts of the computer (0600 / 0700) wherever the program makes
//! them. Unix only: on Windows the user's profile ACLs do this.
#![cfg(unix)]

use crate::common;

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use volunteer_desk::store::{self, backups};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

fn beside(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

#[test]
fn the_database_its_log_and_backups_are_the_owners_only() {
    let dir = tempfile::tempdir().expect("dir");
    // A folder open to all, as a shared Documents folder may be: what the program makes in
    // it is closed all the same.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let desk = dir.path().join("desk.sqlite3");
    let folder = dir.path().join("备份");
    let org = common::org_at(&desk, "市财政局", 83, "ZD-CZJ", "财政局支队");
    org.volunteer(org.detachment, "ZY00001", "张三", "33038119850101123", "13812345678");
    let mut store = org.store;
    assert_eq!(mode(&desk), 0o600);
    assert_eq!(mode(&beside(&desk, "-wal")), 0o600);
    assert_eq!(mode(&beside(&desk, "-shm")), 0o600);

    let daily = backups::daily_backup(&store, &folder, common::date("2026-11-29")).expect("daily").expect("made");
    assert_eq!(mode(&folder), 0o700);
    assert_eq!(mode(&daily), 0o600);
    let by_hand = dir.path().join("手动备份.sqlite3");
    store.backup_to(&by_hand).expect("backup");
    assert_eq!(mode(&by_hand), 0o600);

    // A backup carried in open to all: the safety copy a restore makes is the owner's only.
    std::fs::set_permissions(&by_hand, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let safety = backups::restore(&mut store, &by_hand, &folder, common::at("2026-11-29 10:00")).expect("restore");
    assert_eq!(mode(&safety), 0o600);
    drop(store);
    assert!(store::open(&desk).is_ok());
}
