//! What the fault tests share: the binary, a demo database made once, workbooks to import,
//! the checks made after every fault, and running a child as an unprivileged user or with a
//! file-size limit.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::common::id_number;
use crate::common::workbook::{SheetData, V, s, write_workbook};

pub const BIN: &str = env!("CARGO_BIN_EXE_volunteer-desk");

/// The demo's volunteers (formats.md's `stats --year 2017`).
pub const DEMO_VOLUNTEERS: i64 = 2319;

/// The binary on the database at `db`.
pub fn command(db: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command.arg("--db").arg(db).args(args);
    command
}

pub fn desk(db: &Path, args: &[&str]) -> Output {
    command(db, args).output().expect("run the binary")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn arg(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// The demo database, made once per run of the suite, to copy from.
pub fn demo_template() -> &'static Path {
    static DEMO: OnceLock<PathBuf> = OnceLock::new();
    DEMO.get_or_init(|| {
        // In the build's scratch folder, which `cargo clean` empties, not in /tmp.
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("dir").keep();
        let db = dir.join("demo.sqlite3");
        let made = desk(&db, &["demo"]);
        assert!(made.status.success(), "{}", text(&made.stderr));
        db
    })
}

/// A fresh copy of the demo database in `dir`.
pub fn demo_copy(dir: &Path) -> PathBuf {
    let db = dir.join("desk.sqlite3");
    std::fs::copy(demo_template(), &db).expect("copy the demo");
    db
}

/// A workbook adding a unit and `count` volunteers of it; `region` keeps the 身份证号 of
/// different workbooks apart.
pub fn volunteer_workbook(path: &Path, unit: &str, region: &str, count: usize) {
    const SURNAMES: [&str; 10] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
    const GIVEN: [&str; 10] = ["明", "华", "芳", "伟", "娜", "静", "强", "磊", "洋", "艳"];
    let rows = (0..count)
        .map(|i| {
            let born = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("date") + chrono::Days::new(i as u64 / 500);
            let first17 = format!("{region}{}{:03}", born.format("%Y%m%d"), i % 500 * 2 + 1);
            vec![
                s(format!("{}{}{}", SURNAMES[i % 10], GIVEN[i / 10 % 10], GIVEN[i / 100 % 10])),
                s(id_number(&first17)),
                s(format!("139{:08}", i)),
                s(unit),
            ]
        })
        .collect();
    write_workbook(
        path,
        vec![
            SheetData {
                name: "单位", headers: &["单位名称", "党员总数"], rows: vec![vec![s(unit), V::N(40.0)]]
            },
            SheetData { name: "志愿者", headers: &["姓名", "身份证号", "手机号", "所属单位"], rows },
        ],
    );
}

/// SQLite's full check of the file, opened as the program would (a left-over log is read).
pub fn integrity(db: &Path) -> String {
    let conn = Connection::open(db).expect("open for the check");
    conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).expect("integrity_check")
}

/// A number the database answers; `None` when the table is not there (yet).
pub fn count(db: &Path, sql: &str) -> Option<i64> {
    let conn = Connection::open(db).expect("open");
    conn.query_row(sql, [], |row| row.get(0)).ok()
}

pub fn volunteers(db: &Path) -> Option<i64> {
    count(db, "SELECT count(*) FROM volunteer")
}

pub fn exports_logged(db: &Path) -> i64 {
    count(db, "SELECT count(*) FROM audit_log WHERE kind = '导出'").expect("audit log")
}

/// A refusal as formats.md states it: status 1, `错误：` and a Chinese sentence naming one
/// of `causes`, none of SQLite's or the system's English.
pub fn assert_explained(out: &Output, causes: &[&str]) {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stdout {} stderr {err}", text(&out.stdout));
    assert!(err.starts_with("错误："), "{err}");
    assert!(causes.iter().any(|cause| err.contains(cause)), "expected one of {causes:?} in: {err}");
    for english in [
        "database",
        "unable to",
        "readonly",
        "os error",
        "malformed",
        "disk I/O",
        "ZipWriter",
        "Is a directory",
        "attempt to",
    ] {
        assert!(!err.contains(english), "English “{english}” reached the user: {err}");
    }
}

/// Hidden temporary files (`.NAME.PID-N.tmp`) left in `dir` by a failure that was not a kill.
pub fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp") || name.ends_with(".part") || name.ends_with("-journal"))
        .collect()
}

/// A file under a final name must open: a workbook with its sheets, a backup as an intact
/// database of the program.
pub fn assert_opens(path: &Path) {
    if !path.exists() {
        return;
    }
    if path.extension().is_some_and(|e| e == "xlsx") {
        let book = calamine::open_workbook_auto(path);
        assert!(book.is_ok(), "{} is under its final name but does not open", path.display());
    } else {
        let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
        let ok: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).expect("check");
        assert_eq!(ok, "ok", "{}", path.display());
        let ours: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema WHERE name = 'volunteer'", [], |row| row.get(0))
            .expect("schema");
        assert_eq!(ours, 1, "{} is not the program's database", path.display());
    }
}

/// Seeded random numbers (xorshift64*), so a failing kill point can be run again.
pub struct Seeded(u64);

impl Seeded {
    pub fn new(seed: u64) -> Seeded {
        Seeded(seed.max(1))
    }

    /// A number in `0..bound`.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % bound.max(1)
    }
}

/// How long the command takes when left alone, to spread the kill points over it.
pub fn duration_of(mut command: Command) -> Duration {
    let started = Instant::now();
    let out = command.output().expect("run");
    assert!(out.status.success(), "{}", text(&out.stderr));
    started.elapsed()
}

/// Starts the command and kills it (SIGKILL) after `delay`, unless it is done by then.
/// Says whether the kill interrupted it (printed with `--nocapture`, never asserted: where
/// a point lands depends on the machine's load).
pub fn kill_after(mut command: Command, delay: Duration) -> bool {
    use std::os::unix::process::ExitStatusExt as _;
    let mut child: Child = command.stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn");
    std::thread::sleep(delay);
    // It may have finished already; either way it is reaped below.
    let _ = child.kill();
    let interrupted = child.wait().expect("reap").signal() == Some(9);
    eprintln!("kill point after {delay:?}: {}", if interrupted { "interrupted" } else { "already done" });
    interrupted
}

/// Runs a command that must end by itself (a backup once spun forever): killed and failed
/// after a minute.
pub fn run_bounded(mut command: Command) -> Output {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the command did not end within a minute");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

/// The binary run with every file it writes limited to `bytes` (RLIMIT_FSIZE through
/// util-linux's prlimit): SIGXFSZ is ignored, so a write past the limit fails with EFBIG as
/// on a full disk. `None` (and the reason printed) where prlimit is missing.
pub fn with_file_limit(bytes: u64, db: &Path, args: &[&str]) -> Option<Command> {
    if Command::new("prlimit").arg("--version").output().is_err() {
        eprintln!("跳过：没有 prlimit（util-linux），无法模拟磁盘已满");
        return None;
    }
    let mut command = Command::new("sh");
    command
        .args(["-c", r#"trap "" XFSZ; exec prlimit --fsize="$0" -- "$@""#, &bytes.to_string(), BIN, "--db"])
        .arg(db)
        .args(args);
    Some(command)
}

/// Runs the binary as an unprivileged user, for whom permission bits hold (root ignores
/// them). Through util-linux's setpriv when the tests run as root; directly otherwise.
/// `None` (and the reason printed) where that is impossible.
pub fn as_unprivileged(db: &Path, args: &[&str]) -> Option<Command> {
    if !running_as_root() {
        return Some(command(db, args));
    }
    let probe =
        Command::new("setpriv").args(["--reuid=65534", "--regid=65534", "--clear-groups", "--", "true"]).status();
    if !probe.is_ok_and(|s| s.success()) {
        eprintln!("跳过：以 root 运行且无法用 setpriv 切换到普通用户，只读权限对 root 不起作用");
        return None;
    }
    let mut command = Command::new("setpriv");
    command.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--", BIN, "--db"]).arg(db).args(args);
    Some(command)
}

fn running_as_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|out| text(&out.stdout).trim() == "0")
}

/// Sets a file's or folder's permission bits.
pub fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// A temporary folder the unprivileged user can enter (tempfile makes them 0700).
pub fn open_tempdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    chmod(dir.path(), 0o755);
    dir
}

/// The names in a folder, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).expect("dir").map(|e| e.expect("entry").file_name().to_string_lossy().into()).collect();
    names.sort();
    names
}
