//! 公示: the period in working days, the register of objections (who, when, what, the
//! ruling), a disqualification that frees the place for the next ranked, and publication.

use chrono::{Days, NaiveDate};
use rusqlite::{Connection, OptionalExtension as _, params};

use super::final_round::{current_awards, ranking};
use super::rounds::move_state;
use super::{NOW, atomically, require_overseer, state};
use crate::domain::access::{Action, require};
use crate::domain::calendar::add_working_days;
use crate::domain::contest::awards::{Refill, refill_after_disqualification};
use crate::domain::contest::{Category, RoundState, tier_name};
use crate::domain::format_date;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::{Actor, audit};

/// The usual length of 公示.
pub const DEFAULT_WORKING_DAYS: u32 = 5;
/// The longest period accepted: the end is counted day by day, and a mistyped figure would
/// otherwise count for years.
pub const MAX_WORKING_DAYS: u32 = 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Publicity {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub working_days: u32,
}

/// The last day of a period of `working_days` working days that starts on `starts_on`
/// (counted from it when it is a working day).
pub fn publicity_end(starts_on: NaiveDate, working_days: u32) -> NaiveDate {
    let day_before = starts_on.checked_sub_days(Days::new(1)).unwrap_or(starts_on);
    add_working_days(day_before, working_days)
}

/// Refuses a notice dated before `today`: a backdated 公示 would have run, and perhaps ended,
/// before anyone saw it.
pub fn check_publicity_start(starts_on: NaiveDate, today: NaiveDate) -> Result<()> {
    if starts_on < today {
        return Err(Error::rejected(format!(
            "公示开始日期 {} 早于今天 {}：公示不能倒填日期，须从今天或以后开始",
            format_date(starts_on),
            format_date(today)
        )));
    }
    Ok(())
}

/// 终审结束 → 公示 from `starts_on` (today or later) for `working_days` working days, counted
/// by the calendar (legal holidays skipped, 调休 working weekends counted); at least one
/// award must have been assigned.
pub fn start_publicity(
    conn: &Connection,
    actor: &Actor,
    category: Category,
    starts_on: NaiveDate,
    working_days: u32,
    today: NaiveDate,
) -> Result<Publicity> {
    require(actor.role, Action::RunContestRounds)?;
    check_publicity_start(starts_on, today)?;
    if working_days == 0 {
        return Err(Error::rejected("公示期须至少1个工作日"));
    }
    if working_days > MAX_WORKING_DAYS {
        return Err(Error::rejected(format!("公示期最多{MAX_WORKING_DAYS}个工作日")));
    }
    if current_awards(conn, category)?.is_empty() {
        return Err(Error::rejected(format!("{}尚未授奖，不能公示", category.label())));
    }
    let publicity = Publicity { starts_on, ends_on: publicity_end(starts_on, working_days), working_days };
    atomically(conn, || {
        conn.prepare_cached(
            "INSERT INTO contest_publicity (category, starts_on, ends_on, working_days) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (category) DO UPDATE SET starts_on = excluded.starts_on, ends_on = excluded.ends_on,
                                                 working_days = excluded.working_days",
        )?
        .execute(params![
            category.label(),
            format_date(starts_on),
            format_date(publicity.ends_on),
            working_days
        ])?;
        move_state(conn, actor, category, RoundState::Publicity, "")?;
        Ok(publicity)
    })
}

pub fn publicity(conn: &Connection, category: Category) -> Result<Option<Publicity>> {
    let found: Option<(String, String, u32)> = conn
        .prepare_cached("SELECT starts_on, ends_on, working_days FROM contest_publicity WHERE category = ?1")?
        .query_row([category.label()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    Ok(found.and_then(|(from, to, working_days)| {
        Some(Publicity { starts_on: parse_day(&from)?, ends_on: parse_day(&to)?, working_days })
    }))
}

fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, crate::domain::DATE_FORMAT).ok()
}

/// A written, named objection as received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewObjection {
    pub category: Category,
    /// The work objected to, by code; `None` for an objection to the result as a whole.
    pub work_code: Option<String>,
    pub objector: String,
    /// Sealed as it is written (keys.rs); lists show its mask.
    pub contact: String,
    pub received_on: NaiveDate,
    pub content: String,
}

/// How an objection was ruled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ruling {
    /// 不予受理: not admissible (anonymous, out of time, not in writing).
    NotAdmitted,
    /// 异议不成立: examined and rejected.
    Rejected,
    /// 取消获奖资格: upheld; the work is disqualified and its place goes to the next ranked.
    Disqualify,
}

impl Ruling {
    pub const ALL: [Ruling; 3] = [Ruling::NotAdmitted, Ruling::Rejected, Ruling::Disqualify];

    pub fn label(self) -> &'static str {
        match self {
            Ruling::NotAdmitted => "不予受理",
            Ruling::Rejected => "异议不成立",
            Ruling::Disqualify => "取消获奖资格",
        }
    }

    pub fn from_label(label: &str) -> Option<Ruling> {
        Self::ALL.into_iter().find(|r| r.label() == label)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectionRow {
    pub id: i64,
    pub work_code: Option<String>,
    pub objector: String,
    /// The masked 联系方式.
    pub contact_masked: String,
    pub received_on: String,
    pub content: String,
    pub ruling: Option<Ruling>,
    pub ruling_text: String,
    pub ruled_by: Option<String>,
    pub ruled_on: Option<String>,
}

/// Registers an objection received during the period.
pub fn register_objection(conn: &Connection, actor: &Actor, objection: &NewObjection) -> Result<i64> {
    require(actor.role, Action::RunContestRounds)?;
    let category = objection.category;
    let Some(period) = publicity(conn, category)?.filter(|_| state(conn, category).ok() == Some(RoundState::Publicity))
    else {
        return Err(Error::rejected(format!("{}不在公示期，不能登记异议", category.label())));
    };
    if objection.received_on < period.starts_on || objection.received_on > period.ends_on {
        return Err(Error::rejected(format!(
            "收到日期 {} 不在公示期（{} 至 {}）内",
            format_date(objection.received_on),
            format_date(period.starts_on),
            format_date(period.ends_on)
        )));
    }
    let work_id = match &objection.work_code {
        Some(code) => Some(
            super::works::work_id_by_code(conn, code)?
                .ok_or_else(|| Error::rejected(format!("作品编号“{}”不存在", code.trim())))?,
        ),
        None => None,
    };
    conn.prepare_cached(&format!(
        // The new row's id is chosen here, as SQLite would, so the contact is sealed bound to it.
        "INSERT INTO contest_objection (id, category, work_id, objector, contact, contact_sealed, received_on, content,
                                        recorded_at)
         SELECT n, ?1, ?2, ?3, mask_phone(?4), CASE WHEN ?4 = '' THEN '' ELSE seal_phone(?4, 'contest_objection', n) END,
                ?5, ?6, {NOW}
         FROM (SELECT coalesce(max(id), 0) + 1 AS n FROM contest_objection)"
    ))?
    .execute(params![
        category.label(),
        work_id,
        objection.objector.trim(),
        objection.contact.trim(),
        format_date(objection.received_on),
        objection.content.trim()
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Rules an objection once. Upholding it disqualifies the work: its award is revoked and the
/// next ranked work moves up (see [`Refill`]; a tie below leaves the place for the
/// administrator to assign).
pub fn rule_objection(
    conn: &Connection,
    actor: &Actor,
    objection_id: i64,
    ruling: Ruling,
    text: &str,
    ruled_on: NaiveDate,
) -> Result<Option<Refill>> {
    require(actor.role, Action::RunContestRounds)?;
    if text.trim().is_empty() {
        return Err(Error::rejected("处理异议须写明理由"));
    }
    atomically(conn, || {
        let (category, work_id, ruled): (String, Option<i64>, Option<String>) = conn
            .prepare_cached("SELECT category, work_id, ruling FROM contest_objection WHERE id = ?1")?
            .query_row([objection_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?
            .ok_or_else(|| Error::rejected("异议记录不存在"))?;
        if ruled.is_some() {
            return Err(Error::rejected("该异议已处理，处理结果不能更改"));
        }
        let category = super::category_from_label(&category)?;
        conn.prepare_cached(
            "UPDATE contest_objection SET ruling = ?2, ruling_text = ?3, ruled_by = ?4, ruled_on = ?5 WHERE id = ?1",
        )?
        .execute(params![
            objection_id,
            ruling.label(),
            text.trim(),
            actor.audit_name(),
            format_date(ruled_on)
        ])?;
        if ruling != Ruling::Disqualify {
            return Ok(None);
        }
        let work = work_id.ok_or_else(|| Error::rejected("取消获奖资格须针对某件作品"))?;
        disqualify(conn, actor, category, work, text.trim()).map(Some)
    })
}

fn disqualify(conn: &Connection, actor: &Actor, category: Category, work: i64, reason: &str) -> Result<Refill> {
    let ranked = ranking(conn, category)?;
    let awards = current_awards(conn, category)?;
    let refill = refill_after_disqualification(&ranked, &awards, work, &[]);
    let reason = format!("公示异议成立：{reason}");
    conn.prepare_cached("UPDATE contest_work SET status = '取消资格', status_reason = ?2 WHERE id = ?1")?
        .execute(params![work, reason])?;
    conn.prepare_cached(&format!(
        "UPDATE contest_award SET revoked_at = {NOW}, revoke_reason = ?2 WHERE work_id = ?1 AND revoked_at IS NULL"
    ))?
    .execute(params![work, reason])?;
    for step in &refill.moves {
        match step.from {
            Some(_) => conn
                .prepare_cached("UPDATE contest_award SET tier = ?2 WHERE work_id = ?1")?
                .execute(params![step.work_id, step.to])?,
            None => conn
                .prepare_cached(&format!(
                    "INSERT INTO contest_award (work_id, category, tier, assigned_at) VALUES (?1, ?2, ?3, {NOW})"
                ))?
                .execute(params![step.work_id, category.label(), step.to])?,
        };
    }
    let moves: Vec<String> =
        refill.moves.iter().map(|m| format!("作品#{} 递补{}", m.work_id, tier_name(m.to))).collect();
    audit::record(
        conn,
        actor,
        "取消获奖资格",
        &format!("contest_work#{work}"),
        &format!("{reason}；{}", moves.join("，")),
    )?;
    Ok(refill)
}

/// The objections of a category, in order of receipt.
pub fn objections(conn: &Connection, actor: &Actor, category: Category) -> Result<Vec<ObjectionRow>> {
    require_overseer(actor, "查看异议登记")?;
    let mut stmt = conn.prepare_cached(
        "SELECT o.id, w.code, o.objector, o.contact, o.received_on, o.content, o.ruling, o.ruling_text, o.ruled_by, o.ruled_on
         FROM contest_objection o LEFT JOIN contest_work w ON w.id = o.work_id
         WHERE o.category = ?1 ORDER BY o.received_on, o.id",
    )?;
    let rows = stmt.query_map([category.label()], |r| {
        Ok(ObjectionRow {
            id: r.get(0)?,
            work_code: r.get(1)?,
            objector: r.get(2)?,
            contact_masked: r.get(3)?,
            received_on: r.get(4)?,
            content: r.get(5)?,
            ruling: r.get(6)?,
            ruling_text: r.get(7)?,
            ruled_by: r.get(8)?,
            ruled_on: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// 公示 → 发布: after the period has ended and every objection is ruled.
pub fn publish(conn: &Connection, actor: &Actor, category: Category, today: NaiveDate) -> Result<()> {
    require(actor.role, Action::RunContestRounds)?;
    let period = publicity(conn, category)?.ok_or_else(|| Error::rejected("尚未公示"))?;
    if today <= period.ends_on {
        return Err(Error::rejected(format!("公示期至 {} 结束，期满后才能发布", format_date(period.ends_on))));
    }
    let open = objections(conn, actor, category)?.iter().filter(|o| o.ruling.is_none()).count();
    if open > 0 {
        return Err(Error::rejected(format!("还有 {open} 件异议未处理，不能发布")));
    }
    atomically(conn, || move_state(conn, actor, category, RoundState::Published, ""))
}

/// The window's API: what the screens ask, acting for the store's account.
impl Store {
    /// 公示 → 发布: after the period has ended and every objection is ruled.
    pub fn publish_results(&self, category: Category, today: NaiveDate) -> Result<()> {
        publish(&self.conn, &self.actor, category, today)
    }

    /// Registers an objection received during the period.
    pub fn register_objection(&self, objection: &NewObjection) -> Result<i64> {
        register_objection(&self.conn, &self.actor, objection)
    }

    /// Rules an objection once. Upholding it disqualifies the work: its award is revoked and the
    /// next ranked work moves up (see [`Refill`]; a tie below leaves the place for the
    /// administrator to assign).
    pub fn rule_objection(
        &self,
        objection_id: i64,
        ruling: Ruling,
        text: &str,
        ruled_on: NaiveDate,
    ) -> Result<Option<Refill>> {
        rule_objection(&self.conn, &self.actor, objection_id, ruling, text, ruled_on)
    }

    /// 终审结束 → 公示 from `starts_on` (today or later) for `working_days` working days;
    /// at least one award must have been assigned.
    pub fn start_publicity(
        &self,
        category: Category,
        starts_on: NaiveDate,
        working_days: u32,
        today: NaiveDate,
    ) -> Result<Publicity> {
        start_publicity(&self.conn, &self.actor, category, starts_on, working_days, today)
    }

    pub fn publicity(&self, category: Category) -> Result<Option<Publicity>> {
        publicity(&self.conn, category)
    }

    /// The objections of a category, in order of receipt.
    pub fn objections(&self, category: Category) -> Result<Vec<ObjectionRow>> {
        objections(&self.conn, &self.actor, category)
    }
}
