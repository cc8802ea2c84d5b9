//! 作品: entering works while collecting, the list with search and filters, and withdrawal
//! (works are never deleted).

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension as _, params, params_from_iter};

use super::{atomically, require_overseer, rules, state};
use crate::domain::access::{Action, allows, require};
use crate::domain::contest::Category;
use crate::domain::format_date;
use crate::domain::identity::is_mobile_number;
use crate::domain::search::SearchKey;
use crate::error::{Error, Result};
use crate::store::Actor;
use crate::store::Store;
use crate::store::sealing::{DataKey, Field, Place};

/// A work as entered or imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewWork {
    /// 作品编号; generated (`JX0001`, `GS0001`) when `None`.
    pub code: Option<String>,
    pub category: Category,
    pub title: String,
    pub content: String,
    pub author: String,
    /// Empty when not given; else a mobile number or a landline. Sealed as it is written
    /// (keys.rs); on an edit, empty keeps the number on record.
    pub author_phone: String,
    pub unit_id: i64,
    pub submitted_on: NaiveDate,
}

/// Where a work stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WorkStatus {
    /// 有效: in the contest.
    Active,
    /// 已撤回 by its author.
    Withdrawn,
    /// 已合并 into another work by 查重.
    Merged,
    /// 已排除 by 查重.
    Excluded,
    /// 取消资格 after an objection in 公示.
    Disqualified,
}

impl WorkStatus {
    pub const ALL: [WorkStatus; 5] =
        [WorkStatus::Active, WorkStatus::Withdrawn, WorkStatus::Merged, WorkStatus::Excluded, WorkStatus::Disqualified];

    pub fn label(self) -> &'static str {
        match self {
            WorkStatus::Active => "有效",
            WorkStatus::Withdrawn => "已撤回",
            WorkStatus::Merged => "已合并",
            WorkStatus::Excluded => "已排除",
            WorkStatus::Disqualified => "取消资格",
        }
    }

    pub fn from_label(label: &str) -> Option<WorkStatus> {
        Self::ALL.into_iter().find(|s| s.label() == label)
    }
}

/// A work as the administrator's list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkRow {
    pub id: i64,
    pub code: String,
    pub category: Category,
    pub title: String,
    pub content: String,
    pub author: String,
    /// `138****5678`, or empty.
    pub author_phone_masked: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub submitted_on: String,
    pub status: WorkStatus,
    pub status_reason: String,
    /// The code of the work this one was merged into.
    pub merged_into: Option<String>,
}

/// Which works a list shows; the defaults show every work.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkFilter {
    pub category: Option<Category>,
    pub status: Option<WorkStatus>,
    pub unit_id: Option<i64>,
    pub submitted_from: Option<NaiveDate>,
    pub submitted_to: Option<NaiveDate>,
    /// Finds a work by its code, a word of its title or content, or its author (name,
    /// pinyin initials such as `zs`, or the last digits of the phone).
    pub query: String,
}

/// Enters a work while its category is collecting. Returns its id and code.
pub fn add_work(conn: &Connection, actor: &Actor, work: &NewWork) -> Result<(i64, String)> {
    require(actor.role, Action::ManageContestWorks)?;
    insert_work(conn, work)
}

/// [`add_work`] for the importer, whose connection the authorizer already holds to the
/// importing account's role.
pub(crate) fn insert_work(conn: &Connection, work: &NewWork) -> Result<(i64, String)> {
    atomically(conn, || {
        check_work(conn, work)?;
        let code = match &work.code {
            Some(code) if !code.trim().is_empty() => code.trim().to_string(),
            _ => next_work_code(conn, work.category)?,
        };
        if work_id_by_code(conn, &code)?.is_some() {
            return Err(Error::rejected(format!("作品编号“{code}”已存在")));
        }
        conn.prepare_cached(
            // The new row's id is chosen here, as SQLite would, so the phone is sealed bound to it.
            "INSERT INTO contest_work (id, code, category, title, content, author, author_phone, author_phone_sealed,
                                       unit_id, submitted_on, entered_at)
             SELECT n, ?1, ?2, ?3, ?4, ?5, mask_phone(?6),
                    CASE WHEN ?6 = '' THEN '' ELSE seal_phone(?6, 'contest_work', n) END, ?7, ?8,
                    strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')
             FROM (SELECT coalesce(max(id), 0) + 1 AS n FROM contest_work)",
        )?
        .execute(params_from_iter(bind(code.clone().into(), work)))?;
        Ok((conn.last_insert_rowid(), code))
    })
}

/// Corrects a work while its category is collecting (its code stays).
pub fn update_work(conn: &Connection, actor: &Actor, id: i64, work: &NewWork) -> Result<()> {
    require(actor.role, Action::ManageContestWorks)?;
    let (status, _) = status_of(conn, id)?;
    if status != WorkStatus::Active {
        return Err(Error::rejected(format!("该作品{}，不能修改", status.label())));
    }
    check_work(conn, work)?;
    conn.prepare_cached(
        "UPDATE contest_work SET category = ?2, title = ?3, content = ?4, author = ?5,
                author_phone = CASE WHEN ?6 = '' THEN author_phone ELSE mask_phone(?6) END,
                author_phone_sealed = CASE WHEN ?6 = '' THEN author_phone_sealed ELSE seal_phone(?6, 'contest_work', id) END,
                unit_id = ?7, submitted_on = ?8 WHERE id = ?1",
    )?
    .execute(params_from_iter(bind(id.into(), work)))?;
    Ok(())
}

/// The values both statements bind: `key` as ?1 (the code to insert, the id to update),
/// then the work, trimmed.
fn bind(key: Value, work: &NewWork) -> [Value; 8] {
    [
        key,
        work.category.label().to_owned().into(),
        work.title.trim().to_owned().into(),
        work.content.trim().to_owned().into(),
        work.author.trim().to_owned().into(),
        work.author_phone.trim().to_owned().into(),
        work.unit_id.into(),
        format_date(work.submitted_on).into(),
    ]
}

/// The rules a work must meet, in words: the category still collecting, the length limits,
/// an author, a unit, a plausible phone.
fn check_work(conn: &Connection, work: &NewWork) -> Result<()> {
    let category = work.category;
    let stage = state(conn, category)?;
    if !stage.accepts_works() {
        return Err(Error::rejected(format!(
            "{}作品征集已结束（当前为{}阶段），不能再录入或修改作品",
            category.label(),
            stage.label()
        )));
    }
    rules(conn, category)?.check_length(category, &work.content).map_err(Error::rejected)?;
    if work.author.trim().is_empty() {
        return Err(Error::rejected("作者不能为空"));
    }
    let phone = work.author_phone.trim();
    if !phone.is_empty() && !is_mobile_number(phone) && !phone.chars().all(|c| c.is_ascii_digit() || c == '-') {
        return Err(Error::rejected(format!("联系电话“{phone}”格式不正确")));
    }
    if super::unit_name(conn, work.unit_id)?.is_none() {
        return Err(Error::rejected("作者单位不存在"));
    }
    Ok(())
}

/// Withdraws a work at its author's request, while collecting or screening.
pub fn withdraw_work(conn: &Connection, actor: &Actor, id: i64, reason: &str) -> Result<()> {
    require(actor.role, Action::ManageContestWorks)?;
    if reason.trim().is_empty() {
        return Err(Error::rejected("撤回作品须写明原因"));
    }
    let (status, category) = status_of(conn, id)?;
    if status != WorkStatus::Active {
        return Err(Error::rejected(format!("该作品当前为“{}”，不能撤回", status.label())));
    }
    let stage = state(conn, category)?;
    if !matches!(stage, crate::domain::contest::RoundState::Collecting | crate::domain::contest::RoundState::Screening)
    {
        return Err(Error::rejected(format!("{}已进入评审（{}），作品不能再撤回", category.label(), stage.label())));
    }
    conn.prepare_cached("UPDATE contest_work SET status = '已撤回', status_reason = ?2 WHERE id = ?1")?
        .execute(params![id, reason.trim()])?;
    Ok(())
}

pub(crate) fn status_of(conn: &Connection, id: i64) -> Result<(WorkStatus, Category)> {
    conn.prepare_cached("SELECT status, category FROM contest_work WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| Error::rejected("作品不存在"))
}

pub fn work_id_by_code(conn: &Connection, code: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM contest_work WHERE code = ?1")?
        .query_row([code.trim()], |r| r.get(0))
        .optional()?)
}

/// The next free generated code of a category: `JX0001`, `GS0001` …
pub fn next_work_code(conn: &Connection, category: Category) -> Result<String> {
    let prefix = category.code_prefix();
    let highest: Option<i64> = conn
        .prepare_cached(
            "SELECT max(CAST(substr(code, 3) AS INTEGER)) FROM contest_work
             WHERE substr(code, 1, 2) = ?1 AND substr(code, 3) NOT GLOB '*[^0-9]*' AND length(code) > 2",
        )?
        .query_row([prefix], |r| r.get(0))?;
    Ok(format!("{prefix}{:04}", highest.unwrap_or(0) + 1))
}

/// The works a filter selects, by code. For the administrator, 录入员 and supervisor: it
/// shows authors, so judges and experts are refused.
pub fn list_works(conn: &Connection, actor: &Actor, filter: &WorkFilter) -> Result<Vec<WorkRow>> {
    if !allows(actor.role, Action::ManageContestWorks) {
        require_overseer(actor, "查看作品及作者")?;
    }
    let mut stmt = conn.prepare_cached(
        "SELECT w.id, w.code, w.category, w.title, w.content, w.author, w.author_phone, w.unit_id, u.name,
                w.submitted_on, w.status, w.status_reason, m.code
         FROM contest_work w JOIN unit u ON u.id = w.unit_id LEFT JOIN contest_work m ON m.id = w.merged_into
         WHERE (?1 IS NULL OR w.category = ?1) AND (?2 IS NULL OR w.status = ?2) AND (?3 IS NULL OR w.unit_id = ?3)
           AND (?4 IS NULL OR w.submitted_on >= ?4) AND (?5 IS NULL OR w.submitted_on <= ?5)
         ORDER BY w.code",
    )?;
    let rows = stmt.query_map(
        params![
            filter.category.map(Category::label),
            filter.status.map(WorkStatus::label),
            filter.unit_id,
            filter.submitted_from.map(format_date),
            filter.submitted_to.map(format_date)
        ],
        |r| {
            Ok(WorkRow {
                id: r.get(0)?,
                code: r.get(1)?,
                category: r.get(2)?,
                title: r.get(3)?,
                content: r.get(4)?,
                author: r.get(5)?,
                author_phone_masked: r.get(6)?,
                unit_id: r.get(7)?,
                unit_name: r.get(8)?,
                submitted_on: r.get(9)?,
                status: r.get(10)?,
                status_reason: r.get(11)?,
                merged_into: r.get(12)?,
            })
        },
    )?;
    let mut works: Vec<WorkRow> = rows.collect::<Result<_, _>>()?;
    let query = filter.query.trim();
    if !query.is_empty() {
        works.retain(|w| {
            w.title.contains(query)
                || w.content.contains(query)
                || w.unit_name.contains(query)
                || SearchKey::new(&w.author, &w.code, &w.author_phone_masked).matches(query)
        });
    }
    Ok(works)
}

/// A work as stored, for the importer's comparison with a row of the 作品 sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredWork {
    pub category: String,
    pub title: String,
    pub content: String,
    pub author: String,
    pub author_phone: String,
    pub unit_name: String,
    pub submitted_on: String,
}

/// The author's phone is opened here with `key`, never by SQL (issue #26).
pub fn stored_work(conn: &Connection, key: &DataKey, code: &str) -> Result<Option<StoredWork>> {
    let stored = conn
        .prepare_cached(
            "SELECT w.category, w.title, w.content, w.author, w.author_phone_sealed, u.name, w.submitted_on, w.id
             FROM contest_work w JOIN unit u ON u.id = w.unit_id WHERE w.code = ?1",
        )?
        .query_row([code.trim()], |r| {
            let work = StoredWork {
                category: r.get(0)?,
                title: r.get(1)?,
                content: r.get(2)?,
                author: r.get(3)?,
                author_phone: r.get(4)?,
                unit_name: r.get(5)?,
                submitted_on: r.get(6)?,
            };
            Ok((r.get::<_, i64>(7)?, work))
        })
        .optional()?;
    let Some((work_id, mut work)) = stored else { return Ok(None) };
    if !work.author_phone.is_empty() {
        work.author_phone =
            key.open_at(Field::Phone, Place { table: "contest_work", row: work_id }, &work.author_phone)?;
    }
    Ok(Some(work))
}

/// The code of a work already entered with the same category, author and content (a row
/// without 作品编号 imported again).
pub fn code_of_same_work(conn: &Connection, category: Category, author: &str, content: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT code FROM contest_work WHERE category = ?1 AND author = ?2 AND content = ?3")?
        .query_row(params![category.label(), author.trim(), content.trim()], |r| r.get(0))
        .optional()?)
}

/// The window's API: what the screens ask, acting for the store's account.
impl Store {
    /// Enters a work while its category is collecting. Returns its id and code.
    pub fn add_work(&self, work: &NewWork) -> Result<(i64, String)> {
        add_work(&self.conn, &self.actor, work)
    }

    /// Corrects a work while its category is collecting (its code stays).
    pub fn update_work(&self, id: i64, work: &NewWork) -> Result<()> {
        update_work(&self.conn, &self.actor, id, work)
    }

    /// Withdraws a work at its author's request, while collecting or screening.
    pub fn withdraw_work(&self, id: i64, reason: &str) -> Result<()> {
        withdraw_work(&self.conn, &self.actor, id, reason)
    }

    /// The works a filter selects, by code. For the administrator, 录入员 and supervisor: it
    /// shows authors, so judges and experts are refused.
    pub fn list_works(&self, filter: &WorkFilter) -> Result<Vec<WorkRow>> {
        list_works(&self.conn, &self.actor, filter)
    }
}

/// What a published list shows of each shortlisted work, by id: a motto's text, a story's
/// title (its opening words when it has none). No author: the shortlist is read blind.
pub fn shortlisted_texts(
    conn: &Connection,
    actor: &Actor,
    category: Category,
) -> Result<std::collections::HashMap<i64, String>> {
    require_overseer(actor, "查看入围作品")?;
    let mut stmt = conn.prepare_cached(
        "SELECT w.id, w.title, w.content FROM contest_shortlist l JOIN contest_work w ON w.id = l.work_id
         WHERE l.category = ?1",
    )?;
    let rows = stmt.query_map([category.label()], |r| {
        let (title, content): (String, String) = (r.get(1)?, r.get(2)?);
        let shown = match category {
            Category::Motto => content.trim().to_string(),
            Category::Story if !title.trim().is_empty() => title.trim().to_string(),
            Category::Story => content.trim().chars().take(20).chain("…".chars()).collect(),
        };
        Ok((r.get(0)?, shown))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
