//! A file from before the numbers were sealed (version 16) brought up to date: each step said
//! as it begins, the file checked whole before anything is rewritten (issue #25).

use std::cell::RefCell;

use volunteer_desk::keystore::Keystore;
use volunteer_desk::store::audit::{self, Verdict};
use volunteer_desk::store::{self, UpgradeStep, fixtures, migrations};

use crate::common;

#[test]
fn a_version_16_file_is_upgraded_saying_each_step() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("旧版.sqlite3");
    fixtures::version_16(&db, 2_000).expect("a version-16 file");
    let heard = RefCell::new(Vec::new());
    let said = |step: &UpgradeStep| heard.borrow_mut().push(step.clone());
    let store = store::open_with_progress(&db, Keystore::for_this_user(), &said).expect("upgrade");
    let heard = heard.into_inner();

    let of = heard[0].of;
    assert_eq!(heard.iter().map(|s| s.number).collect::<Vec<_>>(), (1..=of).collect::<Vec<_>>(), "{heard:?}");
    assert!(heard.iter().all(|s| s.of == of), "{heard:?}");
    let what: Vec<&str> = heard.iter().map(|s| s.what.as_str()).collect();
    let last = migrations::latest_version();
    assert_eq!(what[0], "检查数据库文件（完整性检查）");
    assert_eq!(what[1], "数据版本 16 → 17：加密 2000 位志愿者的身份证号和手机号");
    assert_eq!(what[what.len() - 2], "重新生成操作日志的触发器并记录升级");
    assert_eq!(what[what.len() - 1], "重写数据库文件，清除旧数据页中的明文号码");
    assert_eq!(of as i64, 1 + (last - 16) + 2);
    assert_eq!(heard[1].to_string(), format!("升级数据库 第 2/{of} 步：{}", what[1]));

    assert_eq!(store.counts().expect("counts").volunteers, 2_000);
    assert_eq!(
        store.reveal_id_number(2_000).expect("sealed under the new key"),
        common::id_number("33038119800002000")
    );
    assert_eq!(store.key_status().expect("status").recovery_set_at, None, "no 恢复码 yet: the command line says so");
    // The three entries of the old program's chain are covered by the signed ones after them.
    let verdict = audit::verify(store.conn()).expect("verify");
    assert!(matches!(verdict, Verdict::Intact { signed_from: Some(4), .. }), "{verdict}");
}

#[test]
fn a_damaged_version_16_file_is_refused_before_it_is_rewritten() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("旧版.sqlite3");
    fixtures::version_16(&db, 50).expect("a version-16 file");
    let raw = rusqlite::Connection::open(&db).expect("raw");
    raw.execute_batch(
        "PRAGMA writable_schema = ON;
         UPDATE sqlite_schema SET sql = 'CREATE INDEX team_membership_team ON team_membership(volunteer_id)'
         WHERE name = 'team_membership_team';",
    )
    .expect("desync an index");
    drop(raw);

    let refused = store::open(&db).err().expect("refused").to_string();
    assert!(refused.contains("数据库文件已损坏") && refused.contains("索引与数据不一致"), "{refused}");
    let raw = rusqlite::Connection::open(&db).expect("raw");
    assert_eq!(migrations::current_version(&raw).expect("version"), 16, "left as it was");
}
