//! kill -9 at seeded moments during demo, import, report and backup (22 kill points). After
//! each the file passes `integrity_check`, holds all of the change or none of it, the next
//! run recovers, and no output is left under its final name unless it opens.

use std::path::Path;
use std::time::Duration;

use super::support::*;

/// A kill point in `0..=span` (a little past the end too: a kill after the work is done
/// must change nothing either).
fn delays(seed: u64, points: usize, span: Duration) -> Vec<Duration> {
    let mut random = Seeded::new(seed);
    let span = span.as_millis() as u64 * 11 / 10 + 1;
    (0..points).map(|_| Duration::from_millis(random.below(span))).collect()
}

#[test]
fn demo_killed_anywhere_leaves_all_or_nothing_and_the_next_start_recovers() {
    let dir = tempfile::tempdir().expect("dir");
    let span = duration_of(command(&dir.path().join("timed.sqlite3"), &["demo"]));
    for (i, delay) in delays(0x5eed_0001, 6, span).into_iter().enumerate() {
        let db = dir.path().join(format!("demo-{i}.sqlite3"));
        kill_after(command(&db, &["demo"]), delay);
        if !db.exists() {
            continue;
        }
        assert_eq!(integrity(&db), "ok", "kill point {i} after {delay:?}");
        let held = volunteers(&db);
        assert!(matches!(held, None | Some(0) | Some(DEMO_VOLUNTEERS)), "kill point {i}: {held:?} volunteers");
        // The next start finishes an interrupted upgrade and reads the file as it is.
        let stats = desk(&db, &["stats", "--year", "2017"]);
        assert_eq!(stats.status.code(), Some(0), "kill point {i}: {}", text(&stats.stderr));
    }
}

#[test]
fn import_killed_anywhere_is_all_or_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let workbook = dir.path().join("新增志愿者.xlsx");
    volunteer_workbook(&workbook, "市测试局", "110101", 8000);
    let timed = demo_copy(&tempfile::tempdir_in(dir.path()).expect("dir").keep());
    let span = duration_of(command(&timed, &["import", arg(&workbook)]));
    assert_eq!(volunteers(&timed), Some(DEMO_VOLUNTEERS + 8000), "the import itself works");

    for (i, delay) in delays(0x5eed_0002, 6, span).into_iter().enumerate() {
        let folder = dir.path().join(format!("k{i}"));
        std::fs::create_dir(&folder).expect("dir");
        let db = demo_copy(&folder);
        kill_after(command(&db, &["import", arg(&workbook)]), delay);
        assert_eq!(integrity(&db), "ok", "kill point {i} after {delay:?}");
        let held = volunteers(&db).expect("volunteers");
        assert!(held == DEMO_VOLUNTEERS || held == DEMO_VOLUNTEERS + 8000, "kill point {i}: {held} volunteers");
        let verified = desk(&db, &["audit", "verify"]);
        assert_eq!(verified.status.code(), Some(0), "kill point {i}: {}", text(&verified.stderr));
    }
}

#[test]
fn report_killed_anywhere_leaves_the_old_file_or_a_whole_new_one() {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_copy(dir.path());
    let out = dir.path().join("考核.xlsx");
    let span = duration_of(command(&db, &["report", "--year", "2017", "--out", arg(&out)]));
    std::fs::remove_file(&out).expect("start without the file");
    let mut logged = exports_logged(&db);

    for (i, delay) in delays(0x5eed_0003, 5, span).into_iter().enumerate() {
        kill_after(command(&db, &["report", "--year", "2017", "--out", arg(&out)]), delay);
        assert_eq!(integrity(&db), "ok", "kill point {i} after {delay:?}");
        assert_opens(&out);
        let now_logged = exports_logged(&db);
        if !out.exists() {
            assert_eq!(now_logged, logged, "kill point {i}: an export that left no file is not logged");
        }
        logged = now_logged;
        // Start each point from no file, so a kill before the rename is told apart.
        let _ = std::fs::remove_file(&out);
    }
    assert_eq!(volunteers(&db), Some(DEMO_VOLUNTEERS));
}

#[test]
fn backup_killed_anywhere_leaves_no_file_under_its_name_unless_it_opens() {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_copy(dir.path());
    let timed = dir.path().join("timed-backup.sqlite3");
    let span = duration_of(command(&db, &["backup", "--out", arg(&timed)]));

    for (i, delay) in delays(0x5eed_0004, 5, span.max(Duration::from_millis(30))).into_iter().enumerate() {
        let out = dir.path().join(format!("备份-{i}.sqlite3"));
        kill_after(command(&db, &["backup", "--out", arg(&out)]), delay);
        assert_eq!(integrity(&db), "ok", "kill point {i} after {delay:?}");
        assert_opens(&out);
        assert!(!Path::new(&format!("{}-journal", out.display())).exists(), "kill point {i}: a -journal beside it");
        if !out.exists() {
            // The name is free: the next run makes the backup (it was once refused as 已存在).
            let again = desk(&db, &["backup", "--out", arg(&out)]);
            assert_eq!(again.status.code(), Some(0), "kill point {i}: {}", text(&again.stderr));
            assert_opens(&out);
        }
    }
}
