//! Old files for tests and benches (feature `test-support`): a database at schema version 16,
//! as the program before the numbers were sealed left it, to measure and test the upgrade.

use std::path::Path;

use rusqlite::{Connection, params};

use super::guard::entry_hash;
use super::migrations;
use crate::domain::identity::id_check_char;
use crate::error::Result;

/// Writes a version-16 database at `path` holding `volunteers` people of one 支队 (身份证号 and
/// phones in clear, memberships made by that schema's triggers) and an audit log of a few
/// entries chained as that program chained them.
pub fn version_16(path: &Path, volunteers: i64) -> Result<()> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    migrations::migrate_to(&mut conn, 16)?;
    let tx = conn.transaction()?;
    tx.execute_batch(
        "INSERT INTO unit (id, name, party_members) VALUES (1, '市民政局', 100000);
         INSERT INTO team (id, code, name, kind, parent_id, unit_id, manager_name, manager_phone, founded_on)
         VALUES (1, 'ZD', '总队', '总队', NULL, 1, '陈立新', '13857700001', '2016-06-30'),
                (2, 'ZD-01', '市民政局支队', '支队', 1, 1, '李明', '13857700002', '2016-07-01');",
    )?;
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO volunteer (id, code, name, gender, birth_date, id_number, phone, unit_id, team_id, registered_on)
             VALUES (?1, ?2, '张三', '男', '1980-01-01', ?3, ?4, 1, 2, '2017-01-01')",
        )?;
        for v in 1..=volunteers {
            let first17 = format!("3303811980{v:07}");
            let id_number = format!("{first17}{}", id_check_char(first17.as_bytes()).unwrap_or('X'));
            insert.execute(params![v, format!("ZY{v:06}"), id_number, format!("138{v:08}")])?;
        }
    }
    let mut previous: Option<String> = None;
    for (kind, object, after) in [
        ("登录", "admin", None),
        ("导入", "志愿者.xlsx", Some(format!("志愿者 {volunteers} 人"))),
        ("新增", "team#2", Some(r#"{"id":2,"manager_phone":"13857700002"}"#.to_string())),
    ] {
        let at = "2017-01-01 08:00:00.000";
        let fields = [
            previous.clone(),
            Some(at.into()),
            Some("王管理".into()),
            Some(kind.into()),
            Some(object.into()),
            None,
            after.clone(),
        ];
        let hash = entry_hash(&fields);
        tx.execute(
            "INSERT INTO audit_log (at, actor, kind, object, before, after, hash) VALUES (?1, '王管理', ?2, ?3, NULL, ?4, ?5)",
            params![at, kind, object, after, hash],
        )?;
        previous = Some(hash);
    }
    tx.commit()?;
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(())
}
