//! Issue #25's hostile files given to `import`, each run with its heap bounded (RLIMIT_DATA
//! through util-linux's prlimit) and its time bounded: a far cell that made calamine allocate
//! 512 GiB (abort, exit 134), a zip bomb, a cell of tens of megabytes, a FIFO that hung the
//! command. Each is read or refused in Chinese, naming the file, and the database is untouched.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::hostile;

const BIN: &str = env!("CARGO_BIN_EXE_volunteer-desk");

/// The heap the binary may use for any of these files (brk and private mappings).
const HEAP: u64 = 400 * 1024 * 1024;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The binary under a heap limit where prlimit exists (else without, said on stderr), killed
/// and failed after a minute.
fn import(db: &Path, file: &Path) -> Output {
    let mut command = if Command::new("prlimit").arg("--version").output().is_ok() {
        let mut command = Command::new("prlimit");
        command.arg(format!("--data={HEAP}")).arg("--").arg(BIN);
        command
    } else {
        eprintln!("没有 prlimit（util-linux），不限制内存运行");
        Command::new(BIN)
    };
    command.arg("--db").arg(db).arg("import").arg(file);
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("import did not end within a minute");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn units(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row("SELECT count(*) FROM unit", [], |row| row.get(0)).expect("count")
}

/// Refused with status 1, in Chinese, naming the file and `limit`; nothing written.
fn assert_refused(out: &Output, file: &Path, limit: &str) {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stdout {} stderr {err}", text(&out.stdout));
    assert!(err.starts_with("错误：无法读取工作簿“"), "{err}");
    assert!(err.contains(&file.display().to_string()), "names the file: {err}");
    assert!(err.contains(limit), "names the limit {limit}: {err}");
    assert!(!err.contains("panicked") && !err.contains("memory allocation"), "{err}");
}

fn fresh_db(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("desk.sqlite3");
    let template = dir.join("模板.xlsx");
    let made = Command::new(BIN).arg("--db").arg(&db).arg("template").arg(&template).output().expect("run");
    assert!(made.status.success(), "{}", text(&made.stderr));
    // An empty workbook-free import makes the database (and its key) as staff would.
    let out = Command::new(BIN).arg("--db").arg(&db).arg("import").arg(&template).output().expect("run");
    assert!(out.status.success(), "{}", text(&out.stderr));
    db
}

#[test]
fn a_cell_at_xfd1048576_is_imported_as_the_rows_it_has() {
    let dir = tempfile::tempdir().expect("dir");
    let db = fresh_db(dir.path());
    let workbook = dir.path().join("远处.xlsx");
    hostile::far_cell(&workbook, 1_048_575);
    assert!(std::fs::metadata(&workbook).expect("size").len() < 13 * 1024);
    let out = import(&db, &workbook);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("单位：新增 1 条"), "{}", text(&out.stdout));
    assert_eq!(units(&db), 1);
}

#[test]
fn a_zip_bomb_is_refused_by_its_unpacked_size() {
    let dir = tempfile::tempdir().expect("dir");
    let db = fresh_db(dir.path());
    let bomb = dir.path().join("炸弹.xlsx");
    // 10.2 million rows: 540 MB of sheet XML in a file of a few megabytes.
    hostile::many_rows(&bomb, 10_200_000);
    let size = std::fs::metadata(&bomb).expect("size").len();
    assert!(size < 8 * 1024 * 1024, "{size}");
    let out = import(&db, &bomb);
    assert_refused(&out, &bomb, "解压后超过 512 MB");
    assert!(text(&out.stderr).lines().count() < 5, "one refusal, not a line a row");
}

#[test]
fn a_cell_of_forty_megabytes_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().expect("dir");
    let db = fresh_db(dir.path());
    let workbook = dir.path().join("大单元格.xlsx");
    hostile::big_cell(&workbook, 40 << 20);
    let out = import(&db, &workbook);
    assert_refused(&out, &workbook, "超过 1 MB");
    assert_eq!(units(&db), 0);
}

#[test]
fn a_fifo_is_refused_at_once_naming_it() {
    let dir = tempfile::tempdir().expect("dir");
    let db = fresh_db(dir.path());
    let fifo = hostile::fifo(dir.path(), "管道.xlsx");
    let out = import(&db, &fifo);
    assert_refused(&out, &fifo, "不是普通文件");
    let folder = dir.path().join("文件夹.xlsx");
    std::fs::create_dir(&folder).expect("dir");
    let out = import(&db, &folder);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
}
