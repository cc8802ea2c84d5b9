//! Issue #25: a backup killed half-way left its hidden copy (`.NAME.PID-0.tmp`, up to the
//! database's size) for good. The next write into that folder removes it, once its process
//! is gone.

use super::support::*;

#[test]
fn the_copies_of_killed_backups_are_swept_by_the_next_backup_there() {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_copy(dir.path());
    let out = dir.path().join("备份");
    std::fs::create_dir(&out).expect("folder");
    let span = duration_of(command(&db, &["backup", "--out", arg(&dir.path().join("计时.sqlite3"))]));
    // The copy a killed run left, named by a process that has ended (where a kill lands
    // depends on the machine's load, so one is also put there as a kill leaves it).
    let mut ended = std::process::Command::new("true").spawn().expect("spawn");
    let pid = ended.id();
    ended.wait().expect("reap");
    std::fs::copy(&db, out.join(format!(".自动备份-2026-12-07.sqlite3.{pid}-0.tmp"))).expect("a half copy");
    for i in 0..4u32 {
        let target = out.join(format!("被中断-{i}.sqlite3"));
        kill_after(command(&db, &["backup", "--out", arg(&target)]), span * (16 + i) / 20);
    }
    let last = desk(&db, &["backup", "--out", arg(&out.join("之后.sqlite3"))]);
    assert_eq!(last.status.code(), Some(0), "{}", text(&last.stderr));
    assert_eq!(temporaries(&out), Vec::<String>::new());
    assert_opens(&out.join("之后.sqlite3"));
}
