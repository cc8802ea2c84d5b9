//! 志愿者: the registry of volunteers. The 身份证号 is checked here (GB 11643) and is never
//! used as a key the user sees; the program's own 志愿者编号 is.
//!
//! The ID and the phone are written sealed (keys.rs): the clear values are bound as
//! parameters of the SQL functions that seal them, so they never reach a page of the file.
//! Lists read the masked forms; the ID is found by its keyed index.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension as _, params_from_iter};

use crate::domain::format_date;
use crate::domain::identity::{IdCard, is_mobile_number, parse_id_card};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::sealing::{DataKey, Field, Place};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewVolunteer {
    pub code: String,
    pub name: String,
    /// On an edit, empty keeps the number on record (the form never shows it in clear).
    pub id_number: String,
    /// On an edit, empty keeps the number on record.
    pub phone: String,
    pub unit_id: i64,
    pub team_id: Option<i64>,
    pub political_status: String,
    pub skills: String,
    pub service_categories: String,
    pub registered_on: NaiveDate,
}

/// Registers a volunteer; gender and birth date are read from the ID number.
pub fn insert_volunteer(conn: &Connection, v: &NewVolunteer, today: NaiveDate) -> Result<i64> {
    insert_as(conn, v, today, Holder::Named)
}

/// [`insert_volunteer`], the holder of a registered ID named or not (see [`Holder`]).
fn insert_as(conn: &Connection, v: &NewVolunteer, today: NaiveDate, holder: Holder) -> Result<i64> {
    let card = validate(conn, v, today, None, holder)?
        .ok_or_else(|| Error::rejected(format!("{}：身份证号不能为空", v.name.trim())))?;
    conn.prepare_cached(
        "INSERT INTO volunteer (code, name, gender, birth_date, id_masked, phone_masked, unit_id, team_id,
                                political_status, skills, service_categories, registered_on)
         VALUES (?1, ?2, ?3, ?4, mask_id(?5), mask_phone(?6), ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params_from_iter(bind(v.code.trim().to_owned().into(), v, Some(&card))))?;
    let id = conn.last_insert_rowid();
    conn.prepare_cached(
        "INSERT INTO volunteer_sealed (volunteer_id, id_sealed, id_index, phone_sealed)
         VALUES (?1, seal_id(?2, 'volunteer_sealed', ?1), index_id(?2), seal_phone(?3, 'volunteer_sealed', ?1))",
    )?
    .execute(rusqlite::params![id, card.number, v.phone.trim()])?;
    Ok(id)
}

/// Edits a volunteer. A change of team is a move: the membership history keeps the old one.
/// An empty ID or phone keeps the one on record.
pub fn update_volunteer(conn: &Connection, id: i64, v: &NewVolunteer, today: NaiveDate) -> Result<()> {
    update_as(conn, id, v, today, Holder::Named)
}

/// [`update_volunteer`], the holder of a registered ID named or not (see [`Holder`]).
fn update_as(conn: &Connection, id: i64, v: &NewVolunteer, today: NaiveDate, holder: Holder) -> Result<()> {
    let card = validate(conn, v, today, Some(id), holder)?;
    let changed = conn
        .prepare_cached(
            "UPDATE volunteer SET name = ?2, gender = coalesce(?3, gender), birth_date = coalesce(?4, birth_date),
                    id_masked = CASE WHEN ?5 IS NULL THEN id_masked ELSE mask_id(?5) END,
                    phone_masked = CASE WHEN ?6 IS NULL THEN phone_masked ELSE mask_phone(?6) END,
                    unit_id = ?7, team_id = ?8, political_status = ?9, skills = ?10, service_categories = ?11,
                    registered_on = ?12
             WHERE id = ?1",
        )?
        .execute(params_from_iter(bind(id.into(), v, card.as_ref())))?;
    if changed == 0 {
        return Err(Error::rejected("志愿者不存在"));
    }
    conn.prepare_cached(
        "UPDATE volunteer_sealed SET
                id_sealed = CASE WHEN ?2 IS NULL THEN id_sealed ELSE seal_id(?2, 'volunteer_sealed', volunteer_id) END,
                id_index = CASE WHEN ?2 IS NULL THEN id_index ELSE index_id(?2) END,
                phone_sealed = CASE WHEN ?3 IS NULL THEN phone_sealed ELSE seal_phone(?3, 'volunteer_sealed', volunteer_id) END
         WHERE volunteer_id = ?1 AND (?2 IS NOT NULL OR ?3 IS NOT NULL)",
    )?
    .execute(rusqlite::params![
        id,
        card.as_ref().map(|c| c.number.clone()),
        Some(v.phone.trim()).filter(|p| !p.is_empty())
    ])?;
    Ok(())
}

/// The values both statements bind: `key` as ?1 (the code to insert, the id to update), then
/// the record, with gender and birth date taken from the checked ID (NULL, kept, when the
/// edit leaves the ID as it is).
fn bind(key: Value, v: &NewVolunteer, card: Option<&IdCard>) -> [Value; 12] {
    let phone = v.phone.trim();
    [
        key,
        v.name.trim().to_owned().into(),
        card.map(|c| c.gender.label().to_owned()).into(),
        card.map(|c| format_date(c.birth_date)).into(),
        card.map(|c| c.number.clone()).into(),
        (!phone.is_empty()).then(|| phone.to_owned()).into(),
        v.unit_id.into(),
        v.team_id.into(),
        v.political_status.trim().to_owned().into(),
        v.skills.trim().to_owned().into(),
        v.service_categories.trim().to_owned().into(),
        format_date(v.registered_on).into(),
    ]
}

/// Moves a volunteer to the recycle bin (`deleted = true`) or back out of it. Nothing is
/// erased: hours and history stay, and the 身份证号 stays taken. Someone signed in and not yet
/// out stays: the desk could no longer find them to sign them out.
pub fn set_in_recycle_bin(conn: &Connection, id: i64, deleted: bool) -> Result<()> {
    if deleted && is_serving(conn, id)? {
        return Err(Error::rejected("该志愿者已签到、尚未签退，请先在签到台签退（或补录结案）后再删除"));
    }
    let sql = if deleted {
        "UPDATE volunteer SET deleted_at = datetime('now', 'localtime') WHERE id = ?1 AND deleted_at IS NULL"
    } else {
        "UPDATE volunteer SET deleted_at = NULL WHERE id = ?1 AND deleted_at IS NOT NULL"
    };
    if conn.prepare_cached(sql)?.execute([id])? == 0 {
        return Err(Error::rejected(if deleted {
            "该志愿者已在回收站中"
        } else {
            "该志愿者不在回收站中"
        }));
    }
    Ok(())
}

fn is_serving(conn: &Connection, id: i64) -> Result<bool> {
    let open: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM credit_session WHERE volunteer_id = ?1 AND signed_out_at IS NULL
               AND resolution_id IS NULL",
        )?
        .query_row([id], |r| r.get(0))?;
    Ok(open > 0)
}

/// The rules every path shares: a valid ID (GB 11643, checked before anything is sealed) not
/// held by someone else, a mobile number, a registration date not in the future. The ID is
/// `None` when an edit leaves it empty (kept as it is).
/// Whether the refusal of an ID already registered names its holder: only to a role that may
/// see whole IDs. Anyone else, naming a person for each candidate number, could find a whole
/// ID from the birth date, gender and region kept in clear (issue #26).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    Named,
    Unnamed,
}

impl Holder {
    pub fn for_role(role: crate::domain::access::Role) -> Holder {
        if crate::domain::access::allows(role, crate::domain::access::Action::RevealIdentity) {
            Holder::Named
        } else {
            Holder::Unnamed
        }
    }
}

/// What an ID already registered is called to a role that may not see whole IDs.
pub const REGISTERED_UNNAMED: &str = "已登记，请联系管理员";

fn validate(
    conn: &Connection,
    v: &NewVolunteer,
    today: NaiveDate,
    except: Option<i64>,
    holder: Holder,
) -> Result<Option<IdCard>> {
    let name = v.name.trim();
    if name.is_empty() {
        return Err(Error::rejected("姓名不能为空"));
    }
    let kept = |text: &str| except.is_some() && text.trim().is_empty();
    let card = if kept(&v.id_number) {
        None
    } else {
        Some(parse_id_card(&v.id_number, today).map_err(|why| Error::rejected(format!("{name}：{why}")))?)
    };
    let phone = v.phone.trim();
    if !kept(phone) && !is_mobile_number(phone) {
        return Err(Error::rejected(format!("{name}：手机号“{phone}”格式不正确（应为1开头的11位数字）")));
    }
    if v.registered_on > today {
        return Err(Error::rejected(format!("{name}：注册日期不能晚于今天")));
    }
    if let Some(card) = &card
        && let Some((other, code, existing)) = volunteer_by_id_number(conn, &card.number)?
        && Some(other) != except
    {
        return Err(Error::rejected(match holder {
            Holder::Named => format!("{name}：身份证号与已登记的志愿者 {existing}（编号 {code}）重复"),
            Holder::Unnamed => format!("{name}：身份证号{REGISTERED_UNNAMED}"),
        }));
    }
    Ok(card)
}

/// The id, code and name of the volunteer holding an ID number, deleted ones included, found
/// by the number's keyed index.
pub(crate) fn volunteer_by_id_number(conn: &Connection, id_number: &str) -> Result<Option<(i64, String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT v.id, v.code, v.name FROM volunteer_sealed s JOIN volunteer v ON v.id = s.volunteer_id
             WHERE s.id_index = index_id(?1)",
        )?
        .query_row([id_number], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .optional()?)
}

/// A volunteer as lists and exports show them, with unit and team names joined in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolunteerRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub gender: String,
    pub birth_date: String,
    /// `3*****************`: what lists and exports show.
    pub id_masked: String,
    /// `138****5678`: its last four digits find and tell apart.
    pub phone_masked: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    pub political_status: String,
    pub skills: String,
    pub registered_on: String,
    /// Set while the volunteer is in the recycle bin.
    pub deleted_at: Option<String>,
}

/// Every volunteer, in the recycle bin or not, ordered by 志愿者编号.
pub fn list_volunteers(conn: &Connection) -> Result<Vec<VolunteerRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT v.id, v.code, v.name, v.gender, v.birth_date, v.id_masked, v.phone_masked, v.unit_id, u.name,
                v.team_id, t.name, v.political_status, v.skills, v.registered_on, v.deleted_at
         FROM volunteer v JOIN unit u ON u.id = v.unit_id LEFT JOIN team t ON t.id = v.team_id
         ORDER BY v.code",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(VolunteerRow {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            gender: r.get(3)?,
            birth_date: r.get(4)?,
            id_masked: r.get(5)?,
            phone_masked: r.get(6)?,
            unit_id: r.get(7)?,
            unit_name: r.get(8)?,
            team_id: r.get(9)?,
            team_name: r.get(10)?,
            political_status: r.get(11)?,
            skills: r.get(12)?,
            registered_on: r.get(13)?,
            deleted_at: r.get(14)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A volunteer's name, for messages.
pub fn name_of(conn: &Connection, id: i64) -> Result<String> {
    Ok(conn.prepare_cached("SELECT name FROM volunteer WHERE id = ?1")?.query_row([id], |r| r.get(0))?)
}

/// The next free 志愿者编号 of the form `ZY00001`, for a volunteer registered without one.
pub fn next_volunteer_code(conn: &Connection) -> Result<String> {
    let highest: Option<i64> = conn
        .prepare_cached(
            "SELECT max(CAST(substr(code, 3) AS INTEGER)) FROM volunteer
             WHERE code GLOB 'ZY[0-9]*' AND substr(code, 3) NOT GLOB '*[^0-9]*'",
        )?
        .query_row([], |row| row.get(0))?;
    Ok(format!("ZY{:05}", highest.unwrap_or(0) + 1))
}

/// A volunteer's whole 身份证号, for an actor allowed to see it; every showing is logged.
/// The number is opened here, one person at a time, and nowhere else.
/// Why 显示证件号 is refused on a file that may not be written.
pub const REVEAL_UNLOGGED: &str = "数据库文件只读，查看完整证件号无法记入操作日志，因此不能显示。\
    请把数据库复制到可写的文件夹，用本程序打开后再查看。";

pub fn reveal_id_number(conn: &Connection, actor: &super::Actor, key: &DataKey, id: i64) -> Result<String> {
    crate::domain::access::require(actor.role, crate::domain::access::Action::RevealIdentity)?;
    // Every showing is logged, or there is none: on a file that cannot be written (a CD, a
    // read-only share) `audit::record` would let it pass unlogged (issue #26).
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
        return Err(Error::rejected(REVEAL_UNLOGGED));
    }
    let sealed: String = conn
        .prepare_cached("SELECT id_sealed FROM volunteer_sealed WHERE volunteer_id = ?1")?
        .query_row([id], |r| r.get(0))?;
    // Bound to this row: a number moved here from another person's row is refused, not shown.
    let place = Place { table: "volunteer_sealed", row: id };
    let id_number = key
        .open_at(Field::IdNumber, place, &sealed)
        .map_err(|e| Error::rejected(format!("序号 {id} 的志愿者的身份证号：{e}")))?;
    super::audit::record(conn, actor, "查看证件号", &format!("volunteer#{id}"), "")?;
    Ok(id_number)
}

/// The window's API: what the screens ask, acting for the store's account.
impl Store {
    /// Moves a volunteer to the recycle bin (`deleted = true`) or back out of it. Nothing is
    /// erased: hours and history stay, and the 身份证号 stays taken.
    pub fn set_in_recycle_bin(&self, id: i64, deleted: bool) -> Result<()> {
        set_in_recycle_bin(&self.conn, id, deleted)
    }

    /// A volunteer's whole 身份证号, for an actor allowed to see it; every showing is logged.
    pub fn reveal_id_number(&self, id: i64) -> Result<String> {
        reveal_id_number(&self.conn, &self.actor, &self.data_key()?, id)
    }

    /// Every volunteer, in the recycle bin or not, ordered by 志愿者编号.
    pub fn volunteers(&self) -> Result<Vec<VolunteerRow>> {
        list_volunteers(&self.conn)
    }
}

impl Store {
    /// Saves the volunteer form: a change to `id`, or a new volunteer under the next 编号.
    /// A duplicate ID names its holder only to a role that may see whole IDs.
    pub fn save_volunteer(&self, id: Option<i64>, volunteer: &NewVolunteer, today: NaiveDate) -> Result<()> {
        let holder = Holder::for_role(self.actor.role);
        match id {
            Some(id) => update_as(&self.conn, id, volunteer, today, holder),
            None => {
                let code = next_volunteer_code(&self.conn)?;
                insert_as(&self.conn, &NewVolunteer { code, ..volunteer.clone() }, today, holder).map(|_| ())
            }
        }
    }
}
