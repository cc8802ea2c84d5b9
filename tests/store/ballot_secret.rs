//! The rounds' ballot secrets sealed under the data key (issue #26): no clear secret is
//! written; one from an older file is sealed at the first open that has the key and leaves
//! no trace in the file or a backup made after; a copy of the file without the key makes no
//! ballot that passes the seal; and every ballot taken in gets a receipt of what was counted.

use std::path::{Path, PathBuf};

use calamine::Data;
use hmac::{Hmac, KeyInit as _, Mac as _};
use rusqlite::Connection;
use sha2::Sha256;
use volunteer_desk::domain::contest::Category;
use volunteer_desk::io::ballot_workbook::{export_ballots, take_back};
use volunteer_desk::keystore::Keystore;
use volunteer_desk::store::contest::workbooks::NO_KEY_FOR_BALLOTS;
use volunteer_desk::store::health;
use volunteer_desk::store::{self, Store};

use crate::ballot_workbooks::fixture;
use crate::common::workbook::{Sheets, read_all, save_filled};

/// A clear secret as a file from before migration 19 keeps it: easy to find in raw bytes.
const OLD_SECRET: &[u8; 32] = b"CLEAR-BALLOT-SECRET-0123456789AB";

/// The database file and its log, byte for byte.
fn file_bytes(db: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(db).expect("db");
    bytes.extend(std::fs::read(db.with_extension("sqlite3-wal")).unwrap_or_default());
    bytes
}

fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The value beside `label` on a ballot's 封签 sheet.
fn seal_field(sheets: &Sheets, label: &str) -> String {
    let (_, _, rows) = sheets.iter().find(|(name, _, _)| name == "封签").expect("seal sheet");
    rows.iter().find(|r| matches!(&r[0], Data::String(t) if t == label)).map(|r| r[1].to_string()).expect(label)
}

/// The work codes listed under the ballot sheet's 编号 header.
fn codes(sheets: &Sheets) -> Vec<String> {
    let rows = &sheets[0].2;
    let header = rows.iter().position(|r| matches!(r.first(), Some(Data::String(t)) if t == "编号")).expect("header");
    rows[header + 1..].iter().map(|r| r[0].to_string()).collect()
}

/// The seal docs/ballot-workbook.md states, under `secret`.
fn seal_under(secret: &[u8], round: &str, judge: &str, codes: &[String]) -> String {
    let mut sorted = codes.to_vec();
    sorted.sort();
    let mut mac = <Hmac<Sha256>>::new_from_slice(secret).expect("any length");
    mac.update(format!("volunteer-desk ballot v1\n{round}\n{judge}\n{}", sorted.join("\n")).as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

fn file_of(files: &[PathBuf], judge: &str) -> PathBuf {
    files.iter().find(|f| f.to_string_lossy().ends_with(&format!("_{judge}.xlsx"))).expect("judge's file").clone()
}

fn raw(db: &Path) -> Connection {
    Connection::open(db).expect("raw connection")
}

#[test]
fn a_rounds_secret_is_made_sealed_when_ballots_first_go_out_and_never_written_in_clear() {
    let desk = fixture();
    let count = |store: &Store| -> (i64, i64) {
        store
            .conn()
            .query_row("SELECT count(*), count(secret) FROM ballot_seal_key", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("count")
    };
    assert_eq!(count(&desk.store), (0, 0), "opening a round makes no secret");
    let out = desk.store.path().with_file_name("选票");
    export_ballots(&desk.store, Category::Motto, &out).expect("export");
    assert_eq!(count(&desk.store), (1, 0), "one secret, for the motto round, sealed");
    let sealed: String =
        desk.store.conn().query_row("SELECT sealed FROM ballot_seal_key", [], |r| r.get(0)).expect("sealed");
    assert!(sealed.starts_with('1') && sealed.len() > 2 * (12 + 32 + 16), "{sealed}");

    // The schema refuses a clear secret, and any change but sealing, whoever writes.
    let conn = raw(desk.store.path());
    let round: i64 = conn.query_row("SELECT round_id FROM ballot_seal_key", [], |r| r.get(0)).expect("round");
    let story: i64 =
        conn.query_row("SELECT id FROM contest_round WHERE id <> ?1", [round], |r| r.get(0)).expect("the story round");
    let err = conn
        .execute("INSERT INTO ballot_seal_key (round_id, secret) VALUES (?1, randomblob(32))", [story])
        .expect_err("clear");
    assert!(err.to_string().contains("封签密钥须加密保存"), "{err}");
    let err = conn.execute("UPDATE ballot_seal_key SET secret = randomblob(32), sealed = NULL", []).expect_err("clear");
    assert!(err.to_string().contains("封签密钥不能更改"), "{err}");
    let err = conn.execute("DELETE FROM ballot_seal_key", []).expect_err("delete");
    assert!(err.to_string().contains("封签密钥不能删除"), "{err}");
}

/// Puts [`OLD_SECRET`] in clear for the story round, as migration 19 leaves a file from
/// before it (the schema's guard set aside for the write and put back as it was).
fn plant_old_secret(db: &Path) -> i64 {
    let conn = raw(db);
    let story: i64 = conn
        .query_row("SELECT id FROM contest_round WHERE category = '家风家训故事'", [], |r| r.get(0))
        .expect("story round");
    let guard: String = conn
        .query_row("SELECT sql FROM sqlite_schema WHERE name = 'ballot_seal_key_sealed_only'", [], |r| r.get(0))
        .expect("guard");
    conn.execute_batch("DROP TRIGGER ballot_seal_key_sealed_only").expect("drop");
    conn.execute(
        "INSERT INTO ballot_seal_key (round_id, secret) VALUES (?1, ?2)",
        rusqlite::params![story, &OLD_SECRET[..]],
    )
    .expect("clear secret");
    conn.execute_batch(&guard).expect("guard back");
    story
}

#[test]
fn a_clear_secret_is_sealed_at_the_first_open_with_the_key_and_found_nowhere_after() {
    let desk = fixture();
    let db = desk.store.path().to_path_buf();
    let folder = db.with_file_name("选票");
    drop(desk.store);
    let story = plant_old_secret(&db);
    assert!(holds(&file_bytes(&db), OLD_SECRET), "the test sees a clear secret where there is one");

    // Without the key: the file opens, the round goes on, but no ballot goes out or comes back.
    let no_keys = tempfile::tempdir().expect("keys");
    let locked = store::open_with_keystore(&db, &Keystore::Folder(no_keys.path().to_path_buf())).expect("opens");
    let refused = export_ballots(&locked, Category::Story, &folder).expect_err("no key");
    assert_eq!(refused.to_string(), NO_KEY_FOR_BALLOTS);
    let refused = take_back(&locked, &[folder.join("x.xlsx")], false).expect_err("no key");
    assert_eq!(refused.to_string(), NO_KEY_FOR_BALLOTS);
    assert_eq!(locked.round_returns(story).expect("who handed in").expected, 40);
    drop(locked);
    assert!(holds(&file_bytes(&db), OLD_SECRET), "left in clear: sealing needs the key");

    // With the key: sealed, logged, and gone from every page and from a backup.
    let store = store::open(&db).expect("open with the key");
    let (clear, sealed): (Option<Vec<u8>>, Option<String>) = store
        .conn()
        .query_row("SELECT secret, sealed FROM ballot_seal_key WHERE round_id = ?1", [story], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("row");
    assert_eq!(clear, None);
    assert!(sealed.is_some_and(|s| s.starts_with('1')));
    let logged: String = store
        .conn()
        .query_row("SELECT after FROM audit_log WHERE kind = '加密封签密钥'", [], |r| r.get(0))
        .expect("logged");
    assert!(logged.contains("1 个评审轮次"), "{logged}");
    assert!(!holds(&file_bytes(&db), OLD_SECRET), "no page or log frame keeps the clear secret");
    let backup = db.with_file_name("备份.sqlite3");
    store.backup_to(&backup).expect("backup");
    assert!(!holds(&std::fs::read(&backup).expect("backup"), OLD_SECRET));
    assert!(health::check(&db).expect("check").is_sound(), "the schema is the program's own");

    // The same secret, sealed: a ballot already out still comes back under it.
    let files = export_ballots(&store, Category::Story, &folder).expect("export");
    let sheets = read_all(&files[0]);
    let round = seal_field(&sheets, "轮次编号");
    assert_eq!(round, story.to_string());
    let expected = seal_under(OLD_SECRET, &round, &seal_field(&sheets, "评委编号"), &codes(&sheets));
    assert_eq!(seal_field(&sheets, "封签"), expected);
}

#[test]
fn a_backups_secret_is_useless_without_the_key() {
    let desk = fixture();
    let out = desk.store.path().with_file_name("选票");
    let files = export_ballots(&desk.store, Category::Motto, &out).expect("export");
    let backup = desk.store.path().with_file_name("备份.sqlite3");
    desk.store.backup_to(&backup).expect("backup");

    // What the backup holds of the secret: no clear value, only the sealed text.
    let (clear, sealed): (Option<Vec<u8>>, String) = raw(&backup)
        .query_row("SELECT secret, sealed FROM ballot_seal_key", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("row");
    assert_eq!(clear, None);
    let unhexed: Vec<u8> =
        (1..sealed.len() - 1).step_by(2).map(|i| u8::from_str_radix(&sealed[i..i + 2], 16).expect("hex")).collect();
    let guesses: [&[u8]; 4] = [sealed.as_bytes(), &unhexed, &unhexed[12..44], &unhexed[..32]];

    // 评委02's list with one work taken off, sealed again with each guess: refused.
    let mut sheets = read_all(&file_of(&files, "评委02"));
    let (round, judge, seal) =
        (seal_field(&sheets, "轮次编号"), seal_field(&sheets, "评委编号"), seal_field(&sheets, "封签"));
    let dropped = sheets[0].2.pop().expect("a work row");
    let kept = codes(&sheets);
    assert!(!kept.contains(&dropped[0].to_string()));
    let back = desk.store.path().with_file_name("交回");
    std::fs::create_dir(&back).expect("dir");
    let mut forged = Vec::new();
    for (i, guess) in guesses.iter().enumerate() {
        let forged_seal = seal_under(guess, &round, &judge, &kept);
        let path = back.join(format!("伪造{i}.xlsx"));
        save_filled(&sheets, &kept[..1], |t| if t == seal { forged_seal.clone() } else { t.to_string() }, &path);
        forged.push(path);
    }
    // 评委03's ballot as it went out, marked: taken, so the seal check is what refused the others.
    let genuine = back.join("评委03.xlsx");
    let sheets03 = read_all(&file_of(&files, "评委03"));
    save_filled(&sheets03, &codes(&sheets03)[..1], str::to_string, &genuine);
    let mut all = forged.clone();
    all.push(genuine);
    let summary = take_back(&desk.store, &all, false).expect("take back");
    assert_eq!(summary.taken.iter().map(|t| t.judge.as_str()).collect::<Vec<_>>(), ["评委03"], "{summary}");
    assert_eq!(summary.refused.len(), forged.len(), "{summary}");
    assert!(summary.refused.iter().all(|r| r.reason.starts_with("封签不符")), "{summary}");

    // Opened on a desk without the key, the backup issues and checks nothing.
    let copy = desk.store.path().with_file_name("副本.sqlite3");
    std::fs::copy(&backup, &copy).expect("copy");
    let no_keys = tempfile::tempdir().expect("keys");
    let elsewhere = store::open_with_keystore(&copy, &Keystore::Folder(no_keys.path().to_path_buf())).expect("open");
    let refused = export_ballots(&elsewhere, Category::Story, &out.with_file_name("别处")).expect_err("no key");
    assert_eq!(refused.to_string(), NO_KEY_FOR_BALLOTS);
    let refused = take_back(&elsewhere, &forged, false).expect_err("no key");
    assert_eq!(refused.to_string(), NO_KEY_FOR_BALLOTS);
}

#[test]
fn every_ballot_taken_in_gets_a_receipt_kept_sealed_and_shown_again_logged() {
    let mut desk = fixture();
    let out = desk.store.path().with_file_name("选票");
    let files = export_ballots(&desk.store, Category::Motto, &out).expect("export");
    let sheets = read_all(&file_of(&files, "评委02"));
    let listed = codes(&sheets);
    let marked = vec![listed[4].clone(), listed[1].clone()];
    let returned = desk.store.path().with_file_name("评委02-已填.xlsx");
    save_filled(&sheets, &marked, str::to_string, &returned);
    let summary = take_back(&desk.store, std::slice::from_ref(&returned), false).expect("take back");
    let receipt = summary.taken[0].receipt.to_string();
    let sha: String = {
        use sha2::Digest as _;
        Sha256::digest(std::fs::read(&returned).expect("file")).iter().map(|b| format!("{b:02x}")).collect()
    };
    let mut in_order = marked.clone();
    in_order.sort();
    for line in [
        "电子选票回执".to_string(),
        "评选：「好家风·好家训」家风家训初评".to_string(),
        "评委：评委02".to_string(),
        "文件：“评委02-已填.xlsx”".to_string(),
        format!("文件 SHA-256：{sha}"),
        format!("计为同意的作品（2 件）：{}", in_order.join("、")),
    ] {
        assert!(receipt.lines().any(|l| l == line), "{line} in\n{receipt}");
    }
    assert!(receipt.contains("收回时间：20"), "{receipt}");
    assert_eq!(summary.receipts(), receipt);

    // Kept sealed: the file holds no code list in clear beside the ballot.
    let sealed: String =
        desk.store.conn().query_row("SELECT sealed FROM contest_ballot_receipt", [], |r| r.get(0)).expect("kept");
    assert!(sealed.starts_with('1') && !sealed.contains(&marked[0]));

    // Shown again from the round's list, exactly as given, and logged.
    let round: i64 = seal_field(&sheets, "轮次编号").parse().expect("round");
    let list = desk.store.returned_workbooks(round).expect("list");
    assert_eq!(list.iter().map(|r| (r.judge_name.as_str(), r.has_receipt)).collect::<Vec<_>>(), [("评委02", true)]);
    assert_eq!(desk.store.ballot_receipt(list[0].ballot_id).expect("again"), receipt);
    let shown: i64 = desk
        .store
        .conn()
        .query_row("SELECT count(*) FROM audit_log WHERE kind = '查看电子选票回执'", [], |r| r.get(0))
        .expect("log");
    assert_eq!(shown, 1);
    let taken: String = desk
        .store
        .conn()
        .query_row("SELECT after FROM audit_log WHERE kind = '收回电子选票'", [], |r| r.get(0))
        .expect("log");
    assert!(taken.contains("已出具回执") && !taken.contains(&marked[0]), "no vote in the log: {taken}");

    // Nobody but the administrator shows a receipt; a judge's account neither.
    let judge = {
        let (_, _, login, password) = &desk.judges[0];
        volunteer_desk::store::accounts::sign_in(desk.store.conn(), login, password).expect("sign in").actor
    };
    desk.store.act_as(judge).expect("judge");
    assert!(desk.store.ballot_receipt(list[0].ballot_id).is_err());
    assert!(desk.store.returned_workbooks(round).is_err());
}
