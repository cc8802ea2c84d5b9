//! The audit log's hash chain, and backups and restores (issue #6).

use crate::common;

use std::process::Command;

use common::{at, date, org};
use volunteer_desk::domain::access::Role;
use volunteer_desk::domain::hours::Minutes;
use volunteer_desk::store::accounts::{NewAccount, create_account, sign_in};
use volunteer_desk::store::attendance::{NewHonorGrant, correct_session, grant_honor, sign_in_or_out};
use volunteer_desk::store::audit::{self, Anchor, Verdict};
use volunteer_desk::store::backups::{self, check_backup};
use volunteer_desk::store::recruitment::WalkInConsent;
use volunteer_desk::store::units::set_party_members;
use volunteer_desk::store::{self, recruitment};

/// A day at the desk: a clerk registers and signs people in, the administrator grants and
/// corrects, someone mistypes a password.
fn scripted_day(org: &mut common::Org) {
    let conn = org.store.conn();
    for (login, role) in [("admin", Role::Admin), ("luru", Role::Clerk)] {
        let account = NewAccount {
            login: login.into(),
            display_name: login.into(),
            role,
            unit_id: None,
            password: "secret-1".into(),
        };
        create_account(conn, &account).expect("account");
    }
    let clerk = sign_in(conn, "luru", "secret-1").expect("clerk");
    org.store.act_as(clerk.actor).expect("act");
    let a = org.volunteer(org.detachment, "V1", "张三", "11010119900307123", "13800138000");
    let b = org.volunteer(org.detachment, "V2", "李四", "11010119910408123", "13900139000");
    let activity = org.activity(org.detachment, "A1", "2026-11-28 08:00", "2026-11-28 12:00", Some(10));
    let conn = org.store.conn();
    common::publish(conn, activity);
    recruitment::sign_up(conn, activity, a, at("2026-11-20 09:00")).expect("sign up");
    let luru = common::operator("luru");
    let (plain, walk_in) = (WalkInConsent::default(), WalkInConsent::CONFIRMED);
    sign_in_or_out(conn, activity, a, at("2026-11-28 08:00"), plain, &luru).expect("in");
    sign_in_or_out(conn, activity, b, at("2026-11-28 08:30"), walk_in, &luru).expect("walk-in");
    sign_in_or_out(conn, activity, a, at("2026-11-28 11:00"), plain, &luru).expect("out");
    sign_in_or_out(conn, activity, b, at("2026-11-28 11:30"), plain, &luru).expect("out");
    assert!(sign_in(conn, "admin", "typo").is_err());
    let admin = sign_in(conn, "admin", "secret-1").expect("admin");
    org.store.act_as(admin.actor).expect("act");
    let conn = org.store.conn();
    let grant = NewHonorGrant {
        volunteer_id: b,
        minutes: Minutes(30),
        service_date: date("2026-11-28"),
        reason: "提前布置场地".into(),
        activity_id: Some(activity),
        granted_by: "admin".into(),
    };
    grant_honor(conn, &grant, at("2026-11-29 09:00")).expect("grant");
    let session: i64 = conn.query_row("SELECT min(id) FROM credit_session", [], |r| r.get(0)).expect("session");
    correct_session(
        conn,
        session,
        Minutes(-15),
        "签退时间登记晚了一刻钟",
        &common::operator("admin"),
        at("2026-11-29 09:10"),
    )
    .expect("correct");
    set_party_members(conn, org.unit, 130).expect("unit");
}

#[test]
fn the_chain_holds_after_a_day_and_names_the_entry_edited_outside() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    scripted_day(&mut org);
    let conn = org.store.conn();
    let entries: i64 = conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).expect("count");
    assert!(entries >= 20, "{entries}");
    let newest = audit::verify(conn).expect("verify");
    assert!(
        matches!(newest, Verdict::Intact { entries: n, newest: Some(ref a), .. } if n == entries && a.entry == entries)
    );
    let kinds: Vec<String> = conn
        .prepare("SELECT DISTINCT kind FROM audit_log ORDER BY kind")
        .expect("sql")
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("kinds");
    for kind in ["新增", "修改", "登录", "登录失败"] {
        assert!(kinds.contains(&kind.to_string()), "{kinds:?}");
    }

    // Someone with the sqlite3 shell drops the guard and rewrites who granted the hours.
    let path = org.store.path().to_path_buf();
    let common::Org { dir: _dir, store, .. } = org;
    drop(store);
    let raw = rusqlite::Connection::open(&path).expect("raw");
    let victim: i64 = raw
        .query_row("SELECT id FROM audit_log WHERE object LIKE 'honor_grant#%' AND kind = '新增'", [], |r| r.get(0))
        .expect("grant entry");
    raw.execute_batch("DROP TRIGGER audit_log_no_update").expect("drop guard");
    raw.execute("UPDATE audit_log SET actor = '张三' WHERE id = ?1", [victim]).expect("tamper");
    drop(raw);

    let store = store::open(&path).expect("reopen");
    match audit::verify(store.conn()).expect("verify") {
        Verdict::Broken { entry, reason } => {
            assert_eq!(entry, victim);
            assert!(reason.contains(&format!("第 {victim} 条")), "{reason}");
        }
        intact => panic!("tampering not found: {intact:?}"),
    }
    let cli = Command::new(env!("CARGO_BIN_EXE_volunteer-desk"))
        .arg("--db")
        .arg(&path)
        .args(["audit", "verify"])
        .output()
        .expect("run");
    assert_eq!(cli.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&cli.stderr);
    assert!(stderr.contains(&format!("第 {victim} 条起哈希链断开")), "{stderr}");
}

/// The chain cannot see its newest entries deleted; a 校验码 written down before can, from the
/// store and from the command line.
#[test]
fn a_written_down_anchor_shows_the_newest_entries_deleted() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    scripted_day(&mut org);
    let Verdict::Intact { newest: Some(anchor), .. } = audit::verify(org.store.conn()).expect("verify") else {
        panic!("intact with entries");
    };
    assert_eq!(anchor.code.len(), 19, "four groups of four: {anchor}");
    let written = format!("第{}条：{}", anchor.entry, anchor.code.to_uppercase().replace('-', " "));
    assert_eq!(Anchor::parse(&written).expect("as written down"), anchor);
    assert!(Anchor::parse("12:1a2b").is_err());
    assert!(Anchor::parse("0:1a2b-3c4d-5e6f-7a8b").is_err());
    let checked = audit::verify_against(org.store.conn(), &anchor).expect("check");
    assert!(matches!(checked, Verdict::Intact { confirmed: Some(ref a), .. } if *a == anchor));
    assert!(checked.to_string().contains(&format!("抄录的第 {} 条核对一致", anchor.entry)), "{checked}");

    let path = org.store.path().to_path_buf();
    let common::Org { dir: _dir, store, .. } = org;
    drop(store);
    let raw = rusqlite::Connection::open(&path).expect("raw");
    let cut = anchor.entry - 2;
    raw.execute_batch("DROP TRIGGER audit_log_no_delete").expect("drop guard");
    raw.execute("DELETE FROM audit_log WHERE id >= ?1", [cut]).expect("tamper");
    drop(raw);

    let store = store::open(&path).expect("reopen");
    // Opening logs nothing (no upgrade), so the shortened chain still verifies on its own.
    assert!(
        matches!(audit::verify(store.conn()).expect("verify"), Verdict::Intact { entries, .. } if entries == cut - 1)
    );
    let entry = anchor.entry;
    assert_eq!(
        audit::verify_against(store.conn(), &anchor).expect("check"),
        Verdict::Broken {
            entry, reason: format!("抄录的第 {entry} 条已不在日志中，该条及其后的记录被删除")
        }
    );
    let cli = Command::new(env!("CARGO_BIN_EXE_volunteer-desk"))
        .arg("--db")
        .arg(&path)
        .args(["audit", "verify", "--anchor", &anchor.to_string()])
        .output()
        .expect("run");
    assert_eq!(cli.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&cli.stderr).contains("已不在日志中"), "{cli:?}");
}

#[test]
fn a_deleted_entry_breaks_the_chain_too() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    scripted_day(&mut org);
    let path = org.store.path().to_path_buf();
    let common::Org { dir: _dir, store, .. } = org;
    drop(store);
    let raw = rusqlite::Connection::open(&path).expect("raw");
    raw.execute_batch("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 5").expect("tamper");
    drop(raw);
    let store = store::open(&path).expect("reopen");
    assert_eq!(
        audit::verify(store.conn()).expect("verify"),
        Verdict::Broken { entry: 6, reason: "第 4 条与第 6 条之间的记录被删除".into() }
    );
}

#[test]
fn backup_while_another_connection_writes_then_restore() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    scripted_day(&mut org);
    let dir = tempfile::tempdir().expect("dir");
    let path = org.store.path().to_path_buf();

    // A second window keeps writing while the backup copies pages.
    let writer = std::thread::spawn(move || {
        let other = store::open(&path).expect("second connection");
        for n in 0..200 {
            set_party_members(other.conn(), 1, 200 + n).expect("write");
        }
    });
    let backup = dir.path().join("备份.sqlite3");
    org.store.backup_to(&backup).expect("backup");
    writer.join().expect("writer");
    check_backup(&backup).expect("an intact database of ours");
    let copy = store::open(&backup).expect("open backup");
    let members: i64 = copy.conn().query_row("SELECT party_members FROM unit", [], |r| r.get(0)).expect("unit");
    assert!(members == 130 || (200..400).contains(&members), "{members}");
    assert_eq!(copy.counts().expect("counts").volunteers, 2);
    assert!(matches!(audit::verify(copy.conn()).expect("verify"), Verdict::Intact { .. }));
    drop(copy);

    // Later a volunteer is deleted by mistake; the backup brings them back.
    org.store.conn().execute("UPDATE volunteer SET deleted_at = '2026-11-29 10:00'", []).expect("delete");
    assert_eq!(org.store.counts().expect("counts").volunteers, 0);
    let folder = dir.path().join("自动备份");
    let safety = backups::restore(&mut org.store, &backup, &folder, at("2026-11-29 10:05")).expect("restore");
    assert_eq!(org.store.counts().expect("counts").volunteers, 2);
    assert!(safety.exists(), "the state before restoring is kept");
    let restored = audit::latest_of_kind(org.store.conn(), "恢复备份").expect("read").expect("logged");
    assert!(restored.after.as_deref().is_some_and(|a| a.contains("恢复前")));
    assert!(matches!(audit::verify(org.store.conn()).expect("verify"), Verdict::Intact { .. }));
}

#[test]
fn restore_refuses_a_file_that_is_not_a_good_backup() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    let dir = tempfile::tempdir().expect("dir");
    let junk = dir.path().join("照片.sqlite3");
    std::fs::write(&junk, b"not a database at all, just some bytes").expect("write");
    let err = backups::restore(&mut org.store, &junk, dir.path(), at("2026-11-29 10:00")).expect_err("junk");
    assert!(err.to_string().contains("不能用于恢复"), "{err}");
    let empty = dir.path().join("空.sqlite3");
    rusqlite::Connection::open(&empty).expect("create").execute_batch("CREATE TABLE t(x)").expect("table");
    let err = backups::restore(&mut org.store, &empty, dir.path(), at("2026-11-29 10:00")).expect_err("foreign");
    assert!(err.to_string().contains("不是本程序的数据库"), "{err}");
    assert_eq!(org.store.counts().expect("counts").units, 1, "nothing replaced");
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 2, "no safety copy for a refused restore");
}

#[test]
fn daily_backups_are_taken_once_a_day_and_rotated() {
    let org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    let dir = tempfile::tempdir().expect("dir");
    let folder = dir.path().join("备份");
    let first = backups::daily_backup(&org.store, &folder, date("2026-11-29")).expect("backup");
    assert!(first.is_some());
    assert_eq!(backups::daily_backup(&org.store, &folder, date("2026-11-29")).expect("again"), None);
    for day in 1..=20 {
        backups::daily_backup(&org.store, &folder, date(&format!("2026-12-{day:02}"))).expect("backup");
    }
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into())
        .collect();
    names.sort();
    let kept: Vec<String> = ["2026-11-29", "2026-12-06"]
        .into_iter()
        .chain(
            ["13", "14", "15", "16", "17", "18", "19", "20"].map(|d| format!("2026-12-{d}")).iter().map(String::as_str),
        )
        .map(|day| {
            let file = backups::daily_file(&org.store, &folder, date(day)).expect("name");
            file.file_name().expect("name").to_string_lossy().into_owned()
        })
        .collect();
    assert_eq!(names, kept);
    assert!(
        kept[0].starts_with("自动备份-2026-11-29-test-"),
        "named by the day, the file and its identity: {}",
        kept[0]
    );
}

/// Bulk work runs without the logging triggers (they would cost every insert a statement
/// journal) and is one entry; the triggers are back for what follows, and a failed bulk
/// leaves them as they were.
#[test]
fn bulk_work_is_one_entry_and_row_logging_resumes_after_it() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    let count =
        |store: &store::Store, sql: &str| -> i64 { store.conn().query_row(sql, [], |r| r.get(0)).expect("count") };
    let logging_triggers =
        "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'audit\\_%\\_INSERT' ESCAPE '\\'";
    let triggers = count(&org.store, logging_triggers);
    assert!(triggers > 20, "{triggers}");
    let before = count(&org.store, "SELECT count(*) FROM audit_log");

    let unit = org.unit;
    org.store
        .bulk(
            "导入",
            "名册.xlsx",
            |conn| {
                for i in 0..50 {
                    conn.execute("INSERT INTO unit (name, party_members) VALUES (?1, 10)", [format!("单位{i}")])?;
                }
                Ok(50)
            },
            |n| format!("新增单位 {n} 个"),
        )
        .expect("bulk");
    assert_eq!(count(&org.store, "SELECT count(*) FROM audit_log"), before + 1, "one entry for the whole import");
    assert_eq!(count(&org.store, logging_triggers), triggers);

    set_party_members(org.store.conn(), unit, 131).expect("edit");
    let edits = count(&org.store, "SELECT count(*) FROM audit_log WHERE kind = '修改' AND object LIKE 'unit#%'");
    assert_eq!(edits, 1, "row logging is back after the bulk work");

    let failed = org.store.bulk(
        "导入",
        "名册2.xlsx",
        |conn| {
            conn.execute("INSERT INTO unit (name, party_members) VALUES ('新单位', 10)", [])?;
            Err::<(), _>(volunteer_desk::Error::rejected("第 3 行有误"))
        },
        |()| String::new(),
    );
    assert!(failed.is_err());
    assert_eq!(count(&org.store, logging_triggers), triggers, "the rollback brings the triggers back");
    assert_eq!(count(&org.store, "SELECT count(*) FROM unit WHERE name = '新单位'"), 0);
    assert!(
        matches!(audit::verify(org.store.conn()).expect("verify"), Verdict::Intact { entries, .. } if entries == before + 2)
    );
}

/// An upgrade that stopped after its last migration but before re-making the logging triggers
/// (migration 10 rebuilds `credit_session`, taking its triggers with it) is mended on the next
/// open, so a table is never left unlogged.
#[test]
fn missing_logging_triggers_are_made_again_on_open() {
    let org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    let path = org.store.path().to_path_buf();
    let common::Org { dir: _dir, store, .. } = org;
    drop(store);
    let raw = rusqlite::Connection::open(&path).expect("raw");
    raw.execute_batch(
        "DROP TRIGGER audit_credit_session_INSERT; DROP TRIGGER audit_credit_session_UPDATE;
         DROP TRIGGER audit_credit_session_DELETE;",
    )
    .expect("as a stopped upgrade leaves it");
    drop(raw);

    let store = store::open(&path).expect("reopen");
    let present: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'audit_credit_session_%'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(present, 3);
}

/// Every table the triggers log, and each of its columns, has a Chinese name: a table or
/// column added later without one fails here, before the log shows it in English.
#[test]
fn every_logged_table_and_column_has_a_chinese_name() {
    use volunteer_desk::store::audit_names::table_names;
    let org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    let logged = audit::logged_columns(org.store.conn()).expect("columns");
    assert!(logged.len() > 30, "{}", logged.len());
    let mut missing = Vec::new();
    for (table, columns) in &logged {
        let Some(names) = table_names(table) else {
            missing.push(table.clone());
            continue;
        };
        assert!(!names.name.is_ascii(), "{table}");
        for column in columns {
            if !names.columns.iter().any(|(c, name)| c == column && !name.is_ascii()) {
                missing.push(format!("{table}.{column}"));
            }
        }
        for identity in names.identity {
            assert!(columns.contains(&identity.to_string()), "{table}: {identity} names no column");
        }
    }
    assert!(missing.is_empty(), "no Chinese name for: {missing:?} (add them to store/audit_names.rs)");
}

/// The viewer names objects (志愿者 V1 张三, 账号 admin), itemises a change field by field with
/// Chinese column names, names a deleted row from its old values, and never shows a key,
/// JSON, an identity number or a password hash.
#[test]
fn the_log_reads_in_chinese() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    scripted_day(&mut org);
    let conn = org.store.conn();
    conn.execute("INSERT INTO unit (name, party_members) VALUES ('市档案局', 5)", []).expect("unit");
    conn.execute("DELETE FROM unit WHERE name = '市档案局'", []).expect("delete");
    let actor = org.store.actor().clone();
    let shown = audit::shown_entries(conn, &actor, &audit::Filter::default()).expect("entries");
    let find = |kind: &str, object: &str| {
        shown.iter().find(|e| e.entry.kind == kind && e.object == object).unwrap_or_else(|| {
            let objects: Vec<_> = shown.iter().map(|e| (&e.entry.kind, &e.object)).collect();
            panic!("no {kind} {object} in {objects:?}")
        })
    };
    let zhang = find("新增", "志愿者 V1 张三");
    let field = |e: &audit::ShownEntry, column: &str| {
        e.changes.iter().find(|c| c.column == column).cloned().unwrap_or_else(|| panic!("{column}: {:?}", e.changes))
    };
    assert_eq!(field(zhang, "姓名").after, "张三");
    assert_eq!(field(zhang, "所属单位").after, "市委办公室", "a reference by its name");
    assert_eq!(field(zhang, "服务队").after, "ZD01 市委办公室支队");
    assert!(field(zhang, "身份证号").after.contains("****"), "masked: {:?}", field(zhang, "身份证号"));
    assert_eq!(field(find("新增", "账号 admin"), "密码").after, "（已隐藏）");
    find("登录", "账号 luru");
    find("新增", "签到记录 V1 张三 A1 活动A1");
    let unit = find("修改", "单位 市委办公室");
    assert_eq!(
        unit.changes,
        [audit::Change { column: "党员总数".into(), before: "120".into(), after: "130".into() }],
        "only what changed"
    );
    assert_eq!(unit.summary(), "党员总数：120 → 130");
    let deleted = find("删除", "单位 市档案局");
    assert_eq!(field(deleted, "单位名称").before, "市档案局");
    assert_eq!(field(deleted, "单位名称").after, "");
    for e in &shown {
        assert!(!e.object.contains('#'), "{}", e.object);
        let summary = e.summary();
        assert!(!summary.contains('{') && !summary.contains("_id") && !summary.contains("$argon"), "{summary}");
    }
    let by_name = audit::Filter { object: "张三".into(), ..Default::default() };
    let named = audit::shown_entries(conn, &actor, &by_name).expect("entries");
    assert!(!named.is_empty() && named.iter().all(|e| e.object.contains("张三")), "the 对象 filter reads names");
}

/// 核对: a 校验码 one character off is a slip (no entry has it), another entry's code means a
/// miscopied number, and an entry changed afterwards breaks the chain.
#[test]
fn a_mistyped_code_is_told_apart_from_a_changed_log() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    scripted_day(&mut org);
    let Verdict::Intact { newest: Some(anchor), .. } = audit::verify(org.store.conn()).expect("verify") else {
        panic!("intact with entries");
    };
    let entry = anchor.entry;
    let mut typo = anchor.code.clone().into_bytes();
    typo[0] = if typo[0] == b'0' { b'1' } else { b'0' };
    let typo = format!("{entry}:{}", String::from_utf8(typo).expect("hex"));
    let slip = audit::check(org.store.conn(), Some(&typo)).expect("check");
    assert!(matches!(slip, Verdict::Mismatch { entry: e, .. } if e == entry), "{slip:?}");
    let text = slip.to_string();
    assert!(text.starts_with("校验码不符：抄写有误或日志被改动，请核对"), "{text}");
    assert!(text.contains("只差一个字符，多半是抄写有误"), "{text}");

    let previous: String = org
        .store
        .conn()
        .query_row("SELECT hash FROM audit_log WHERE id = ?1", [entry - 1], |r| r.get(0))
        .expect("hash");
    // A signed entry's hash starts with `k`; its 校验码 is the signature's first digits.
    let earlier = Anchor::parse(&format!("{}:{}", entry - 1, &previous.trim_start_matches('k')[..16])).expect("anchor");
    let miscopied = audit::check(org.store.conn(), Some(&format!("{entry}:{}", earlier.code))).expect("check");
    assert!(miscopied.to_string().contains(&format!("这个校验码属于第 {} 条", entry - 1)), "{miscopied}");

    // The entry itself changed: the chain breaks, whatever code is typed.
    let path = org.store.path().to_path_buf();
    let common::Org { dir: _dir, store, .. } = org;
    drop(store);
    let raw = rusqlite::Connection::open(&path).expect("raw");
    raw.execute_batch("DROP TRIGGER audit_log_no_update").expect("drop guard");
    raw.execute("UPDATE audit_log SET actor = '张三' WHERE id = ?1", [entry]).expect("tamper");
    drop(raw);
    let store = store::open(&path).expect("reopen");
    for typed in [typo, anchor.to_string()] {
        let verdict = audit::check(store.conn(), Some(&typed)).expect("check");
        assert!(matches!(verdict, Verdict::Broken { entry: e, .. } if e == entry), "{verdict:?}");
    }
}

// ---- the chain signed with the data key (issue #25) ------------------------------------

/// Edits an entry outside the program, as anyone with the file can.
fn edit_entry(path: &std::path::Path, victim: i64) {
    let raw = rusqlite::Connection::open(path).expect("raw");
    raw.execute_batch("DROP TRIGGER IF EXISTS audit_log_no_update").expect("drop guard");
    raw.execute("UPDATE audit_log SET actor = '别人' WHERE id = ?1", [victim]).expect("tamper");
}

/// Chains the entries `ids` again with the public recipe: SHA-256, or SHA-256 dressed as a
/// signature (`k` before it).
fn chain_again(path: &std::path::Path, ids: std::ops::RangeInclusive<i64>, dressed: bool) {
    let raw = rusqlite::Connection::open(path).expect("raw");
    raw.execute_batch("DROP TRIGGER IF EXISTS audit_log_no_update").expect("drop guard");
    let rows: Vec<(i64, Vec<Option<String>>, String)> = raw
        .prepare("SELECT id, at, actor, kind, object, before, after, hash FROM audit_log ORDER BY id")
        .expect("read")
        .query_map([], |r| Ok((r.get(0)?, (1..=6).map(|i| r.get(i)).collect::<rusqlite::Result<Vec<_>>>()?, r.get(7)?)))
        .expect("rows")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    let mut previous: Option<String> = None;
    for (id, fields, stored) in rows {
        let hash = if ids.contains(&id) {
            let mut chained = vec![previous.clone()];
            chained.extend(fields);
            let plain = store::guard::entry_hash(&chained);
            if dressed { format!("k{plain}") } else { plain }
        } else {
            stored
        };
        raw.execute("UPDATE audit_log SET hash = ?2 WHERE id = ?1", rusqlite::params![id, hash]).expect("write");
        previous = Some(hash);
    }
}

#[test]
fn a_log_rewritten_and_chained_again_without_the_key_fails() {
    for dressed in [false, true] {
        let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
        scripted_day(&mut org);
        let Verdict::Intact { entries, signed_from: Some(1), .. } = audit::verify(org.store.conn()).expect("verify")
        else {
            panic!("a new file's chain is signed from its first entry");
        };
        let path = org.store.path().to_path_buf();
        let common::Org { dir: _dir, store, .. } = org;
        drop(store);
        edit_entry(&path, 3);
        chain_again(&path, 3..=entries, dressed);

        let store = store::open(&path).expect("reopen");
        let verdict = audit::verify(store.conn()).expect("verify");
        if dressed {
            assert_eq!(verdict, Verdict::Broken { entry: 3, reason: "第 3 条记录的内容或顺序被改动".into() });
        } else {
            let Verdict::Unverified { key_missing: false, ref reason, .. } = verdict else { panic!("{verdict}") };
            assert!(reason.contains(&format!("第 3–{entries} 条")) && reason.contains("没有签名"), "{reason}");
        }
        drop(store);
        let report = store::health::check(&path).expect("check");
        assert!(!report.is_sound(), "check does not call it sound: {report}");
        let cli = Command::new(env!("CARGO_BIN_EXE_volunteer-desk"))
            .arg("--db")
            .arg(&path)
            .args(["audit", "verify"])
            .output()
            .expect("run");
        assert_eq!(cli.status.code(), Some(1), "{cli:?}");
    }
}

#[test]
fn a_copy_without_the_key_says_it_cannot_check_the_signed_part() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    scripted_day(&mut org);
    let Verdict::Intact { newest: Some(anchor), entries, .. } = audit::verify(org.store.conn()).expect("verify") else {
        panic!("intact");
    };
    let path = org.store.path().to_path_buf();
    let common::Org { dir: _dir, store, .. } = org;
    drop(store);
    let elsewhere = tempfile::tempdir().expect("another machine's keys");
    let keystore = volunteer_desk::keystore::Keystore::Folder(elsewhere.path().to_path_buf());
    let copy = store::open_with_keystore(&path, &keystore).expect("opens without the key");
    assert!(!copy.has_key());

    let verdict = copy.check_audit_chain(None).expect("verify");
    let Verdict::Unverified { key_missing: true, .. } = verdict else { panic!("{verdict}") };
    let text = verdict.to_string();
    assert!(text.contains(&format!("第 1–{entries} 条中的 {entries} 条用数据密钥签名")), "{text}");
    assert!(text.contains("无法核对") && !text.contains("断开") && !text.contains("完整："), "{text}");
    // The written-down 校验码 still tells whether entries were deleted.
    let held = copy.check_audit_chain(Some(&anchor.to_string())).expect("anchor");
    assert!(held.to_string().contains(&format!("抄录的第 {} 条仍在，校验码一致", anchor.entry)), "{held}");
    let gone = copy.check_audit_chain(Some(&format!("{}:{}", entries + 5, anchor.code))).expect("anchor");
    assert!(matches!(gone, Verdict::Broken { .. }), "{gone}");
}

#[test]
fn an_unsigned_chain_is_signed_from_the_next_entry_and_covers_the_earlier_ones() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    scripted_day(&mut org);
    let path = org.store.path().to_path_buf();
    let common::Org { dir: _dir, store, .. } = org;
    drop(store);
    // The log as the program before issue #25 chained it: SHA-256 alone, no signature.
    let old: i64 = rusqlite::Connection::open(&path)
        .expect("raw")
        .query_row("SELECT max(id) FROM audit_log", [], |r| r.get(0))
        .expect("entries");
    chain_again(&path, 1..=old, false);
    let old_anchor = {
        let raw = rusqlite::Connection::open(&path).expect("raw");
        let Verdict::Intact { newest: Some(anchor), signed_from: None, .. } = audit::verify(&raw).expect("verify")
        else {
            panic!("an unsigned chain");
        };
        anchor
    };

    let store = store::open(&path).expect("open with the key");
    let noted = audit::latest_of_kind(store.conn(), "日志签名").expect("read").expect("said in the log");
    assert_eq!(noted.id, old + 1);
    assert!(noted.after.as_deref().is_some_and(|a| a.contains(&format!("自第 {} 条起", old + 1))), "{noted:?}");
    let verdict = audit::verify_against(store.conn(), &old_anchor).expect("verify");
    let Verdict::Intact { signed_from: Some(first), confirmed: Some(_), .. } = verdict else { panic!("{verdict}") };
    assert_eq!(first, old + 1);
    assert!(verdict.to_string().contains(&format!("第 {first} 条起用数据密钥签名")), "{verdict}");
    drop(store);

    // An earlier, unsigned entry edited and chained again: the first signature no longer holds.
    edit_entry(&path, 2);
    chain_again(&path, 2..=old, false);
    let store = store::open(&path).expect("reopen");
    assert!(matches!(audit::verify(store.conn()).expect("verify"), Verdict::Broken { entry, .. } if entry == old + 1));
}
