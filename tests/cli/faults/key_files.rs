//! Issue #25's key findings: on a database that may not be written, `key recovery-code --out F`
//! wrote F and then failed, leaving a code that never opens the database; a key file readable
//! by others was used while `key status` said 仅本账户可读.

use std::process::Command;

use volunteer_desk::keystore::KEY_DIR_VARIABLE;

use super::support::*;

#[test]
fn a_recovery_code_file_is_written_only_once_the_database_holds_its_wrap() {
    let dir = open_tempdir();
    chmod(dir.path(), 0o777);
    let keys = dir.path().join("keys");
    let db = dir.path().join("desk.sqlite3");
    let made = command(&db, &["demo"]).env(KEY_DIR_VARIABLE, &keys).output().expect("demo");
    assert!(made.status.success(), "{}", text(&made.stderr));
    // The unprivileged user may read the key (and the database) but not write the database.
    chmod(&keys, 0o755);
    for entry in std::fs::read_dir(&keys).expect("keys") {
        chmod(&entry.expect("key").path(), 0o644);
    }
    chmod(&db, 0o444);
    let out = dir.path().join("恢复码.txt");
    let Some(mut code) = as_unprivileged(&db, &["key", "recovery-code", "--out", arg(&out)]) else { return };
    let refused = code.env(KEY_DIR_VARIABLE, &keys).output().expect("run");
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stdout));
    assert_explained(&refused, &["只读"]);
    assert!(!out.exists(), "no file for a code the database does not hold");
    assert_eq!(temporaries(dir.path()), Vec::<String>::new());

    // The key file is root's and open to others: the unprivileged user cannot close it, and
    // `key status` says so instead of 仅本账户可读.
    let Some(mut status) = as_unprivileged(&db, &["key", "status"]) else { return };
    let status = status.env(KEY_DIR_VARIABLE, &keys).output().expect("run");
    let said = text(&status.stdout);
    assert!(said.contains("警告：密钥文件") && said.contains("其他账户可读（权限 0644）"), "{said}");
    assert!(!said.contains("仅本账户可读"), "never claimed while untrue: {said}");
}

#[test]
fn a_key_file_of_ours_readable_by_others_is_closed() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().expect("dir");
    let keys = dir.path().join("keys");
    let db = dir.path().join("desk.sqlite3");
    let run = |args: &[&str]| command(&db, args).env(KEY_DIR_VARIABLE, &keys).output().expect("run");
    assert!(run(&["key", "status"]).status.code() == Some(1), "no database yet");
    assert!(
        Command::new(BIN)
            .env(KEY_DIR_VARIABLE, &keys)
            .arg("--db")
            .arg(&db)
            .arg("demo")
            .status()
            .expect("demo")
            .success()
    );
    let key_file = std::fs::read_dir(&keys).expect("keys").next().expect("one key").expect("entry").path();
    chmod(&key_file, 0o644);
    let status = run(&["key", "status"]);
    assert_eq!(status.status.code(), Some(0), "{}", text(&status.stderr));
    assert!(text(&status.stdout).contains("仅本账户可读"), "{}", text(&status.stdout));
    let mode = std::fs::metadata(&key_file).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "closed to others as it was read");
}
