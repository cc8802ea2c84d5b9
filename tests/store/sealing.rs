//! Issue #20's "done when": no 身份证号 or mobile number of the data in the bytes of the
//! database, its `-wal` or a backup (after the demo, an import, an upgrade); duplicates still
//! refused naming the holder; phone tails still found; a copy without the key refuses what
//! needs it until the 恢复码 is given, and a wrong code changes nothing.

use crate::common;

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use rusqlite::Connection;
use volunteer_desk::domain::identity::{id_check_char, is_mobile_number, mask_id_number};
use volunteer_desk::domain::search::SearchKey;
use volunteer_desk::io::import::{Progress, apply, preview_as_of};
use volunteer_desk::keystore::Keystore;
use volunteer_desk::store::keys::NO_KEY;
use volunteer_desk::store::volunteers::{NewVolunteer, insert_volunteer};
use volunteer_desk::store::{self, Store, audit, backups};

fn now() -> NaiveDateTime {
    common::at("2026-11-29 09:00")
}

// ---- the byte scan -------------------------------------------------------------------

/// Every 身份证号 (GB 11643-valid, with a real birth date) and mobile number written in clear
/// in `bytes`. A sealed value or an index is hex: a run of hex characters with a letter a–f is
/// one, and the digit runs inside it are chance, not data (about one hex value in 200 holds
/// eleven digits in a row). A piece of such a value left in a page's unused space, cut off
/// from its letters, is chance too: the file holds the whole value elsewhere. SQLite keeps
/// text as UTF-8, so a clear number is its ASCII digits wherever it lies.
fn clear_numbers_in(bytes: &[u8]) -> Vec<String> {
    let found = digit_runs_like_numbers(bytes);
    if found.is_empty() {
        return found;
    }
    let in_hex: Vec<&[u8]> = tokens(bytes).filter(|t| t.iter().any(|b| (b'a'..=b'f').contains(b))).collect();
    let within_hex = |number: &String| in_hex.iter().any(|t| t.windows(number.len()).any(|w| w == number.as_bytes()));
    found.into_iter().filter(|number| !within_hex(number)).collect()
}

/// Runs of letters and digits, eleven or more long.
fn tokens(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    static TOKEN: std::sync::LazyLock<regex::bytes::Regex> =
        std::sync::LazyLock::new(|| regex::bytes::Regex::new("(?-u)[0-9A-Za-z]{11,}").expect("regex"));
    TOKEN.find_iter(bytes).map(|m| m.as_bytes())
}

/// IDs and mobile numbers in the runs without a hex letter.
fn digit_runs_like_numbers(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    for token in tokens(bytes) {
        if token.iter().any(|b| (b'a'..=b'f').contains(b)) {
            continue;
        }
        for window in token.windows(18) {
            if looks_like_an_id(window) {
                found.push(String::from_utf8_lossy(window).into_owned());
            }
        }
        for window in token.windows(11) {
            if window[0] == b'1' && (b'3'..=b'9').contains(&window[1]) && window.iter().all(u8::is_ascii_digit) {
                found.push(String::from_utf8_lossy(window).into_owned());
            }
        }
    }
    found
}

fn looks_like_an_id(window: &[u8]) -> bool {
    let Some(check) = id_check_char(&window[..17]) else { return false };
    let birth = std::str::from_utf8(&window[6..14]).unwrap_or("");
    char::from(window[17]) == check
        && chrono::NaiveDate::parse_from_str(birth, "%Y%m%d").is_ok_and(|d| (1900..=2030).contains(&d.year_ce().1))
}

use chrono::Datelike as _;

/// The database, its `-wal` when there is one, and any further files (backups).
fn files_of(db: &Path, more: &[&Path]) -> Vec<PathBuf> {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    let wal = PathBuf::from(wal);
    let mut files = vec![db.to_path_buf()];
    if wal.exists() {
        files.push(wal);
    }
    files.extend(more.iter().map(|p| p.to_path_buf()));
    files
}

/// No clear number in any of `files`: none the scan recognises, and none of `known` (the
/// data's own numbers, as the key opens them) as plain bytes.
fn assert_no_clear_numbers(files: &[PathBuf], known: &[String]) {
    assert!(!known.is_empty(), "an empty pattern would match anywhere");
    // One pass for all the known numbers, in the optimised regex crate: a search per number
    // compiled in the debug profile took minutes over the demo's files.
    let known = regex::bytes::Regex::new(&format!("(?-u){}", known.join("|"))).expect("regex");
    for file in files {
        let bytes = std::fs::read(file).expect("read");
        let found = clear_numbers_in(&bytes);
        assert!(
            found.is_empty(),
            "{} holds {} clear numbers, e.g. {:?}",
            file.display(),
            found.len(),
            &found[..found.len().min(5)]
        );
        if let Some(number) = known.find(&bytes) {
            panic!("{} holds {}", file.display(), String::from_utf8_lossy(number.as_bytes()));
        }
    }
}

#[test]
fn the_scan_finds_a_clear_number_wherever_it_lies() {
    let id = common::id_number("33038119850101123");
    let text = format!("男1985-01-01{id}\u{0}13857700001,\"phone\":\"13900000002\"");
    let found = clear_numbers_in(text.as_bytes());
    assert!(found.contains(&id), "{found:?}");
    assert!(found.contains(&"13857700001".to_string()) && found.contains(&"13900000002".to_string()), "{found:?}");
    // Hex of a sealed value is not data, nor are a masked ID, a masked phone or a date.
    let sealed = "1a3f33038119850101123099b2";
    assert!(
        clear_numbers_in(format!("{sealed} 3***************** 138****5678 2026-11-29 09:00").as_bytes()).is_empty()
    );
    // A piece of a sealed value left in unused space, cut off from its letters (seen once in
    // CI): the whole value is in the file too. A clear number beside it is still found.
    let whole = "5f3a5816220416175875603350094987161128e3895443bec";
    let piece = "\u{0}16220416175875603350094987161128\u{0}";
    let found = clear_numbers_in(format!("{whole}{piece}13900000002\u{0}").as_bytes());
    assert_eq!(found, ["13900000002"]);
}

/// Some of the data's numbers as the key opens them: IDs and phones of every `step`th
/// volunteer, the team managers' phones and the contest authors'.
fn sample_numbers(store: &Store, step: usize) -> Vec<String> {
    let mut known = Vec::new();
    for v in store.volunteers().expect("list").iter().step_by(step) {
        known.push(store.reveal_id_number(v.id).expect("reveal"));
        known.push(common::phone_on_record(store.conn(), v.id));
    }
    for sql in [
        "SELECT open_phone(manager_phone_sealed, 'team', id) FROM team WHERE manager_phone_sealed <> ''",
        "SELECT open_phone(author_phone_sealed, 'contest_work', id) FROM contest_work WHERE author_phone_sealed <> ''",
    ] {
        let mut statement = store.conn().prepare(sql).expect("sql");
        let phones = statement.query_map([], |r| r.get::<_, String>(0)).expect("rows");
        known.extend(phones.map(|p| p.expect("phone")).filter(|p| is_mobile_number(p)));
    }
    for number in &known {
        assert!(number.len() == 11 || number.len() == 18, "{number} is a clear number");
    }
    known
}

#[test]
fn the_demo_and_its_backup_hold_no_clear_number() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("demo.sqlite3");
    let mut store = store::open(&db).expect("open");
    volunteer_desk::demo::load_demo(&mut store, now()).expect("demo");
    let known = sample_numbers(&store, 50);
    assert!(known.len() > 90, "{} numbers sampled", known.len());
    let backup = dir.path().join("备份.sqlite3");
    store.backup_to(&backup).expect("backup");
    assert_no_clear_numbers(&files_of(&db, &[&backup]), &known);
}

/// How many volunteers the import test writes: the 100,000 (about 24 s in the debug
/// test profile on 2 cores, workbook, import, backup and scans together).
const IMPORTED: usize = 100_000;

#[test]
fn an_imported_roster_and_its_backup_hold_no_clear_number() {
    let dir = tempfile::tempdir().expect("dir");
    let workbook = dir.path().join("名册.xlsx");
    common::workbook::volunteers_workbook(&workbook, IMPORTED);
    let db = dir.path().join("import.sqlite3");
    let mut store = store::open(&db).expect("open");
    let plan = preview_as_of(&store, &workbook, common::today(), &Progress::new()).expect("preview");
    assert!(plan.is_ok(), "{:?}", plan.errors().first().map(ToString::to_string));
    apply(&mut store, &plan, &Progress::new()).expect("apply");
    assert_eq!(store.counts().expect("counts").volunteers, IMPORTED as i64);
    let known = sample_numbers(&store, IMPORTED / 40);
    let backup = dir.path().join("备份.sqlite3");
    store.backup_to(&backup).expect("backup");
    assert_no_clear_numbers(&files_of(&db, &[&backup]), &known);
}

// ---- what the index and the masks still do -------------------------------------------

fn zhang(org: &common::Org) -> i64 {
    org.volunteer(org.detachment, "ZY00001", "张三", "33038119850101123", "13812345678")
}

#[test]
fn a_duplicate_id_is_refused_naming_its_holder_by_hand_and_by_import() {
    let dir = tempfile::tempdir().expect("dir");
    let workbook = dir.path().join("名册.xlsx");
    let org = common::org_at(&dir.path().join("desk.sqlite3"), "市财政局", 83, "ZD-CZJ", "财政局支队");
    zhang(&org);
    let again = NewVolunteer {
        code: "ZY00002".into(),
        name: "李四".into(),
        id_number: common::id_number("33038119850101123").to_lowercase(),
        phone: "13900000001".into(),
        unit_id: org.unit,
        team_id: Some(org.detachment),
        political_status: "中共党员".into(),
        skills: String::new(),
        service_categories: String::new(),
        registered_on: common::date("2017-01-01"),
    };
    let refused = insert_volunteer(org.store.conn(), &again, common::today()).unwrap_err().to_string();
    assert!(refused.contains("张三") && refused.contains("ZY00001"), "{refused}");
    assert_eq!(org.store.counts().expect("counts").volunteers, 1);

    let li = [("李四".to_string(), common::id_number("33038119850101123"), "13900000001".to_string())];
    common::workbook::write_workbook(&workbook, vec![common::workbook::volunteer_sheet(&li, "市财政局", "ZD-CZJ")]);
    let plan = preview_as_of(&org.store, &workbook, common::today(), &Progress::new()).expect("preview");
    let errors: Vec<String> = plan.errors().iter().map(ToString::to_string).collect();
    // The workbook's row is matched to the holder by the ID's index: the other name is an
    // error naming 张三, never a second record.
    assert!(errors.iter().any(|e| e.contains("数据库中为“张三”，本表为“李四”")), "{errors:?}");
}

#[test]
fn a_phone_tail_still_finds_the_volunteer_and_the_author() {
    let org = common::org("市财政局", 83, "ZD-CZJ", "财政局支队");
    zhang(&org);
    let rows = org.store.volunteers().expect("list");
    assert_eq!(rows[0].phone_masked, "138****5678");
    assert_eq!(rows[0].id_masked, mask_id_number(&common::id_number("33038119850101123")));
    let key = SearchKey::new(&rows[0].name, &rows[0].code, &rows[0].phone_masked);
    assert!(key.matches("5678") && key.matches("678"));
    assert!(!key.matches("1234") && !key.matches("1381"), "only the tail is there to find");
}

#[test]
fn the_contest_finds_an_author_by_the_tail_of_the_phone() {
    use volunteer_desk::store::contest::works::{WorkFilter, list_works};
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store::open(&dir.path().join("demo.sqlite3")).expect("open");
    volunteer_desk::demo::load_demo(&mut store, now()).expect("demo");
    let actor = common::operator("管理员");
    let all = list_works(store.conn(), &actor, &WorkFilter::default()).expect("works");
    let work = all.iter().find(|w| w.author_phone_masked.len() == 11).expect("a work with a phone");
    let clear: String = store
        .conn()
        .query_row(
            "SELECT open_phone(author_phone_sealed, 'contest_work', id) FROM contest_work WHERE code = ?1",
            [&work.code],
            |r| r.get(0),
        )
        .expect("phone");
    assert_eq!(work.author_phone_masked, volunteer_desk::domain::identity::mask_phone(&clear));
    let tail = clear[7..].to_string();
    let found =
        list_works(store.conn(), &actor, &WorkFilter { query: tail.clone(), ..WorkFilter::default() }).expect("search");
    assert!(found.iter().any(|w| w.code == work.code), "{tail} finds {}", work.code);
    assert!(
        found
            .iter()
            .all(|w| w.author_phone_masked.ends_with(&tail) || w.title.contains(&tail) || w.code.contains(&tail))
    );
}

// ---- a copy opened where the key is not ----------------------------------------------

/// What the field_key row holds, to show a refused code changed nothing.
fn key_record(conn: &Connection) -> String {
    conn.query_row(
        "SELECT quote(key_id) || quote(check_value) || quote(recovery_sealed) || quote(recovery_set_at) FROM field_key",
        [],
        |r| r.get(0),
    )
    .expect("field_key")
}

fn new_volunteer(org_unit: i64, team: i64, name: &str, first17: &str) -> NewVolunteer {
    NewVolunteer {
        code: format!("ZY9{}", &first17[12..]),
        name: name.into(),
        id_number: common::id_number(first17),
        phone: "13911112222".into(),
        unit_id: org_unit,
        team_id: Some(team),
        political_status: "中共党员".into(),
        skills: String::new(),
        service_categories: String::new(),
        registered_on: common::date("2017-01-01"),
    }
}

#[test]
fn a_copy_without_the_key_refuses_ids_until_the_recovery_code_is_given() {
    let dir = tempfile::tempdir().expect("dir");
    let mut org = common::org_at(&dir.path().join("desk.sqlite3"), "市财政局", 83, "ZD-CZJ", "财政局支队");
    let zhang = zhang(&org);
    let zhang_id = common::id_number("33038119850101123");
    let code = org.store.make_recovery_code().expect("code");
    let copy = dir.path().join("另一台电脑.sqlite3");
    org.store.backup_to(&copy).expect("copy");
    let (unit, team) = (org.unit, org.detachment);
    drop(org);

    let keys = dir.path().join("空的密钥文件夹");
    let empty = Keystore::Folder(keys.clone());
    let mut locked = store::open_with_keystore(&copy, &empty).expect("opens without its key");
    assert!(!locked.has_key());
    assert!(!locked.key_status().expect("status").unlocked);
    let rows = locked.volunteers().expect("lists work without the key");
    assert_eq!(
        (rows[0].name.as_str(), rows[0].id_masked.as_str(), rows[0].phone_masked.as_str()),
        ("张三", mask_id_number(&zhang_id).as_str(), "138****5678")
    );
    let refused = locked.reveal_id_number(zhang).unwrap_err().to_string();
    assert!(refused.contains(NO_KEY), "{refused}");
    let li = new_volunteer(unit, team, "李四", "33038119900202234");
    let refused = locked.save_volunteer(None, &li, common::today()).unwrap_err().to_string();
    assert!(refused.contains(NO_KEY), "{refused}");
    assert_eq!(locked.counts().expect("counts").volunteers, 1);

    // A wrong code, and one mistyped to the wrong length: refused, nothing written.
    let record = key_record(locked.conn());
    let entries: i64 = locked.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).expect("log");
    let wrong = if code.starts_with('A') { code.replacen('A', "B", 1) } else { format!("A{}", &code[1..]) };
    let refused = locked.unlock_with_recovery_code(&wrong).unwrap_err().to_string();
    assert!(refused.contains("恢复码不正确"), "{refused}");
    let refused = locked.unlock_with_recovery_code("1234-5678").unwrap_err().to_string();
    assert!(refused.contains("24 个"), "{refused}");
    assert!(!locked.has_key());
    assert_eq!(key_record(locked.conn()), record);
    assert_eq!(
        locked.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get::<_, i64>(0)).expect("log"),
        entries
    );
    assert!(!keys.exists() || std::fs::read_dir(&keys).expect("dir").next().is_none(), "no key saved");
    assert!(locked.reveal_id_number(zhang).is_err());

    // The right code, typed loosely: unlocks, and the key is kept in this keystore.
    locked.unlock_with_recovery_code(&code.to_lowercase().replace('-', " ")).expect("unlock");
    assert_eq!(locked.reveal_id_number(zhang).expect("reveal"), zhang_id);
    locked.save_volunteer(None, &li, common::today()).expect("a new volunteer");
    drop(locked);
    let saved: Vec<_> = std::fs::read_dir(&keys).expect("keys").map(|e| e.expect("entry").path()).collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(std::fs::metadata(&saved[0]).expect("meta").permissions().mode() & 0o077, 0);
    }
    // Another spelling of the folder: read from the file, not from this process's memory.
    let again = store::open_with_keystore(&copy, &Keystore::Folder(keys.join("."))).expect("open again");
    assert!(again.has_key());
    assert_eq!(again.reveal_id_number(zhang).expect("reveal"), zhang_id);
    assert_eq!(again.counts().expect("counts").volunteers, 2);
}

// ---- files from before the numbers were sealed ---------------------------------------

fn v12_people() -> [(&'static str, String, &'static str); 3] {
    [
        ("张一", common::id_number("33038119850101123"), "13900000001"),
        ("李二", common::id_number("33038119860202124"), "13900000002"),
        ("王三", common::id_number("33038119870303125"), "13900000003"),
    ]
}

const MANAGER_PHONE: &str = "13857700001";
const AUTHOR_PHONE: &str = "13900000009";

/// A file written at schema `version` (before 17) with numbers in clear in its rows and in
/// its audit log, as the triggers of that program wrote it (the chain computed the same way).
fn old_file(path: &Path, version: i64) -> Vec<String> {
    let mut conn = Connection::open(path).expect("open");
    conn.pragma_update(None, "foreign_keys", true).expect("foreign keys");
    store::migrations::migrate_to(&mut conn, version).expect("old version");
    let flags = rusqlite::functions::FunctionFlags::SQLITE_UTF8;
    conn.create_scalar_function("audit_hash", 7, flags, |ctx| {
        let fields: Vec<Option<String>> = (0..7).map(|i| ctx.get(i)).collect::<rusqlite::Result<_>>()?;
        Ok(store::guard::entry_hash(&fields))
    })
    .expect("function");
    let log = |kind: &str, object: &str, before: &str, after: &str| {
        conn.execute_batch(&format!(
            "INSERT INTO audit_log (at, actor, kind, object, before, after, hash)
             SELECT at, actor, kind, object, before, after,
                    audit_hash((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), at, actor, kind, object, before, after)
             FROM (SELECT '2017-01-01 08:00:00.000' AS at, '王管理' AS actor, '{kind}' AS kind, {object} AS object,
                          {before} AS before, {after} AS after)"
        ))
        .expect("log")
    };
    log("登录", "'admin'", "NULL", "NULL");
    conn.execute_batch(&format!(
        "INSERT INTO unit (id, name, party_members) VALUES (1, '市民政局', 40);
         INSERT INTO team (id, code, name, kind, unit_id, manager_name, manager_phone, founded_on)
         VALUES (1, 'ZD', '总队', '总队', 1, '陈立新', '{MANAGER_PHONE}', '2016-06-30');
         INSERT INTO contest_work (code, category, content, author, author_phone, unit_id, submitted_on, entered_at)
         VALUES ('JX001', '家风家训', '勤俭持家，诚信为本', '张一', '{AUTHOR_PHONE}', 1, '2017-05-01', '2017-05-01 10:00');"
    ))
    .expect("rows");
    log("新增", "'team#1'", "NULL", "(SELECT json_object('id', id, 'manager_phone', manager_phone) FROM team)");
    log(
        "新增",
        "'contest_work#1'",
        "NULL",
        "(SELECT json_object('id', id, 'author_phone', author_phone) FROM contest_work)",
    );
    let mut known = vec![MANAGER_PHONE.to_string(), AUTHOR_PHONE.to_string()];
    for (i, (name, id, phone)) in v12_people().into_iter().enumerate() {
        let birth = format!("{}-{}-{}", &id[6..10], &id[10..12], &id[12..14]);
        conn.execute(
            "INSERT INTO volunteer (id, code, name, gender, birth_date, id_number, phone, unit_id, team_id, registered_on)
             VALUES (?1, ?2, ?3, '男', ?4, ?5, ?6, 1, 1, '2017-01-01')",
            rusqlite::params![i as i64 + 1, format!("ZY{}", i + 1), name, birth, id, phone],
        )
        .expect("volunteer");
        let row = format!(
            "(SELECT json_object('id', id, 'name', name, 'id_number', id_number, 'phone', phone) FROM volunteer WHERE id = {})",
            i + 1
        );
        log("新增", &format!("'volunteer#{}'", i + 1), "NULL", &row);
        known.push(id);
        known.push(phone.to_string());
    }
    assert!(matches!(audit::verify(&conn).expect("verify"), audit::Verdict::Intact { entries: 6, .. }));
    drop(conn);
    assert!(!clear_numbers_in(&std::fs::read(path).expect("read")).is_empty(), "the old file holds clear numbers");
    known
}

#[test]
fn an_upgraded_version_12_file_holds_no_clear_number() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("旧版.sqlite3");
    let known = old_file(&db, 12);
    let store = store::open(&db).expect("upgrade");
    assert_no_clear_numbers(&files_of(&db, &[]), &known);
    let conn = store.conn();

    assert!(matches!(audit::verify(conn).expect("verify"), audit::Verdict::Intact { .. }));
    let (detail, logged): (String, String) = conn
        .query_row(
            "SELECT after, group_concat(after, '') OVER () FROM audit_log WHERE kind = '加密证件号'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the re-chaining is logged");
    assert!(detail.contains("自第 2 条起"), "{detail}: the login (entry 1) held no number");
    assert!(!logged.is_empty());
    let masked: String = conn
        .query_row("SELECT after FROM audit_log WHERE object = 'volunteer#1' ORDER BY id LIMIT 1", [], |r| r.get(0))
        .expect("entry");
    let id_masked = format!("\"id_number\":\"{}\"", mask_id_number(&v12_people()[0].1));
    assert!(masked.contains(&id_masked) && masked.contains("\"phone\":\"139****0001\""), "{masked}");

    let people = v12_people();
    for (i, (name, id, phone)) in people.iter().enumerate() {
        let volunteer = i as i64 + 1;
        assert_eq!(store.reveal_id_number(volunteer).expect("reveal"), *id, "{name}");
        assert_eq!(common::phone_on_record(conn, volunteer), *phone);
    }
    let team: (String, String) = conn
        .query_row(
            "SELECT manager_phone, open_phone(manager_phone_sealed, 'team', id) FROM team WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("team");
    assert_eq!(team, ("138****0001".to_string(), MANAGER_PHONE.to_string()));
    let work: (String, String) = conn
        .query_row(
            "SELECT author_phone, open_phone(author_phone_sealed, 'contest_work', id) FROM contest_work",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("work");
    assert_eq!(work, ("139****0009".to_string(), AUTHOR_PHONE.to_string()));
    let free: i64 = conn.query_row("PRAGMA freelist_count", [], |r| r.get(0)).expect("freelist");
    assert_eq!(free, 0, "the file was rewritten");

    // The rebuilt table keeps its rules: membership on insert, text limits, one ID one person.
    let new =
        insert_volunteer(conn, &new_volunteer(1, 1, "赵四", "33038119900404126"), common::today()).expect("insert");
    let team_of: i64 = conn
        .query_row("SELECT team_id FROM team_membership WHERE volunteer_id = ?1 AND left_on IS NULL", [new], |r| {
            r.get(0)
        })
        .expect("membership made by the trigger");
    assert_eq!(team_of, 1);
    let long = new_volunteer(1, 1, &"长".repeat(31), "33038119900505127");
    let refused = insert_volunteer(conn, &long, common::today()).unwrap_err().to_string();
    assert!(refused.contains("姓名过长"), "{refused}");
    let twin = new_volunteer(1, 1, "钱五", "33038119850101123");
    let refused = insert_volunteer(conn, &twin, common::today()).unwrap_err().to_string();
    assert!(refused.contains("张一（编号 ZY1）"), "{refused}");
}

#[test]
fn a_chain_broken_before_the_upgrade_is_not_passed_off_as_the_masking() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("旧版.sqlite3");
    let known = old_file(&db, 12);
    {
        // Someone edits the log outside the program before the upgrade.
        let conn = Connection::open(&db).expect("open");
        conn.execute_batch("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = '别人' WHERE id = 1;")
            .expect("tamper");
    }
    let store = store::open(&db).expect("upgrade");
    assert_no_clear_numbers(&files_of(&db, &[]), &known);
    let conn = store.conn();
    assert!(
        matches!(audit::verify(conn).expect("verify"), audit::Verdict::Broken { entry: 1, .. }),
        "the edit still shows where it was made"
    );
    let detail: String = conn
        .query_row("SELECT after FROM audit_log WHERE kind = '加密证件号'", [], |r| r.get(0))
        .expect("the upgrade says so");
    assert!(detail.contains("升级前哈希链已自第 1 条起断开"), "{detail}");
}

#[test]
fn old_backups_are_listed_resealed_and_sealed_on_restore() {
    let dir = tempfile::tempdir().expect("dir");
    let folder = dir.path().join("备份");
    std::fs::create_dir(&folder).expect("folder");
    let old = folder.join("自动备份-2026-11-20.sqlite3");
    let known = old_file(&old, 16);
    let elsewhere = dir.path().join("U盘上的旧备份.sqlite3");
    std::fs::copy(&old, &elsewhere).expect("copy");
    let org = common::org_at(&dir.path().join("desk.sqlite3"), "市财政局", 83, "ZD-CZJ", "财政局支队");
    let mut store = org.store;
    let code = store.make_recovery_code().expect("code");
    let sealed_backup = folder.join("自动备份-2026-11-29.sqlite3");
    store.backup_to(&sealed_backup).expect("today's backup");

    assert_eq!(backups::clear_backups(&folder), std::slice::from_ref(&old));
    assert_eq!(backups::reseal_backups(&store, &folder).expect("reseal"), 1);
    assert!(backups::clear_backups(&folder).is_empty());
    assert_no_clear_numbers(std::slice::from_ref(&old), &known);
    let wal = folder.join("自动备份-2026-11-20.sqlite3-wal");
    assert!(!wal.exists(), "a backup is one file");
    {
        let resealed = store::open(&old).expect("opens with the same key");
        assert!(resealed.has_key());
        assert_eq!(
            resealed.volunteers().expect("list").iter().map(|v| v.name.as_str()).collect::<Vec<_>>(),
            ["张一", "李二", "王三"]
        );
        assert_eq!(resealed.reveal_id_number(1).expect("reveal"), v12_people()[0].1);
        assert!(matches!(audit::verify(resealed.conn()).expect("verify"), audit::Verdict::Intact { .. }));
        assert!(resealed.key_status().expect("status").recovery_set_at.is_some(), "the 恢复码 opens it elsewhere");
    }
    // Carried to another machine, the resealed backup opens with the office's 恢复码.
    let keys = dir.path().join("另一台电脑的密钥");
    let mut elsewhere_store = store::open_with_keystore(&old, &Keystore::Folder(keys)).expect("open elsewhere");
    elsewhere_store.unlock_with_recovery_code(&code).expect("the printed code works for the backup");
    assert_eq!(elsewhere_store.reveal_id_number(1).expect("reveal"), v12_people()[0].1);
    drop(elsewhere_store);

    let safety = backups::restore(&mut store, &elsewhere, &folder, now()).expect("restore");
    assert_no_clear_numbers(&files_of(store.path(), &[&safety]), &known);
    assert!(store.has_key());
    assert_eq!(store.reveal_id_number(2).expect("reveal"), v12_people()[1].1);
    assert_eq!(common::phone_on_record(store.conn(), 3), v12_people()[2].2);
    assert!(matches!(audit::verify(store.conn()).expect("verify"), audit::Verdict::Intact { .. }));
    assert!(store.key_status().expect("status").recovery_set_at.is_some(), "the printed 恢复码 still works");
}

#[test]
fn a_damaged_key_file_leaves_the_database_open_and_locked_until_the_code_is_given() {
    let dir = tempfile::tempdir().expect("dir");
    let keys = dir.path().join("keys");
    let keystore = Keystore::Folder(keys.clone());
    let db = dir.path().join("desk.sqlite3");
    let mut made = store::open_with_keystore(&db, &keystore).expect("create");
    let code = made.make_recovery_code().expect("code");
    let key_id = made.key_status().expect("status").key_id;
    drop(made);
    // Garbage, and another database's key, under this database's key id; read afresh from
    // the file (another spelling of the folder: not from this process's memory).
    let mut spelling = keys.clone();
    for damage in ["not a key".to_string(), "ab".repeat(32)] {
        std::fs::write(keys.join(format!("{key_id}.key")), &damage).expect("damage");
        spelling.push(".");
        let reread = Keystore::Folder(spelling.clone());
        let mut store = store::open_with_keystore(&db, &reread).expect("everything without the key still opens");
        assert!(!store.has_key());
        assert!(store.volunteers().expect("lists").is_empty());
        let status = store.key_status().expect("status").to_string();
        assert!(
            status.contains("本机没有")
                && status.contains(&key_id)
                && (status.contains("不符") || status.contains("已损坏")),
            "{status}"
        );
        store.unlock_with_recovery_code(&code).expect("the code repairs the key file");
        assert!(store.has_key());
    }
}
