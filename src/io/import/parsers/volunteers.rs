//! 志愿者: 志愿者编号, 姓名*, 性别, 身份证号*, 手机号*, 所属单位*, 服务队编号, 政治面貌,
//! 专业特长, 注册日期. Key: 志愿者编号, or the 身份证号 when the 编号 is empty. Gender and
//! birth date come from the 身份证号; an empty 编号 is generated, an empty 政治面貌 is 中共党员
//! and an empty 注册日期 is today. An empty optional cell of a row already in the database
//! means "not stated" and is not compared.

use crate::store::volunteers::{Holder, REGISTERED_UNNAMED};
use std::collections::HashMap;

use rusqlite::Connection;

use super::refs;
use crate::domain::format_date;
use crate::domain::identity::{IdCard, mask_id_number, mask_phone};
use crate::error::Result;
use crate::io::import::check::{Context, SheetParser, Verdict};
use crate::io::import::row::RowReader;
use crate::io::sheets::{self, SheetSpec};
use crate::io::text::{person_name, without_spaces};
use crate::store::import::{ExistingVolunteer, ImportedVolunteer, insert_volunteers};

const CODE: &str = "志愿者编号";
const NAME: &str = "姓名";
const GENDER: &str = "性别";
const ID_NUMBER: &str = "身份证号";
const PHONE: &str = "手机号";
const UNIT: &str = "所属单位";
const TEAM: &str = "服务队编号";
const POLITICAL_STATUS: &str = "政治面貌";
const SKILLS: &str = "专业特长";
const REGISTERED_ON: &str = "注册日期";

/// The prefix of generated 志愿者编号 (`store::volunteers::next_volunteer_code`).
const CODE_PREFIX: &str = "ZY";
const DEFAULT_POLITICAL_STATUS: &str = "中共党员";

/// 政治面貌 as GB/T 4762 names them; the template's drop-down offers the first four it uses.
const POLITICAL_STATUSES: &[&str] = &[
    "中共党员",
    "中共预备党员",
    "共青团员",
    "民革党员",
    "民盟盟员",
    "民建会员",
    "民进会员",
    "农工党党员",
    "致公党党员",
    "九三学社社员",
    "台盟盟员",
    "无党派人士",
    "群众",
];

#[derive(Default)]
pub(crate) struct Volunteers {
    /// 身份证号 → the first row with it (its name is read again from that row when a later
    /// row repeats the ID, rather than kept for every row of a roster). The first row of each
    /// 志愿者编号 is `Context::volunteer_codes`, declared in the first pass.
    seen_ids: HashMap<Box<str>, u32>,
    /// The number of the next generated 编号, once one is needed.
    next_number: Option<u64>,
    new: Vec<ImportedVolunteer>,
}

impl SheetParser for Volunteers {
    fn spec(&self) -> &'static SheetSpec {
        &sheets::VOLUNTEERS
    }

    fn declare(&mut self, row: &RowReader<'_>, ctx: &mut Context<'_>) {
        if let Some(code) = row.peek(CODE) {
            ctx.volunteer_codes.entry(code.into()).or_insert(row.excel_row());
        }
        // Only sheets of hours refer to people by these; a roster alone need not hold them.
        if !ctx.keep_volunteer_refs {
            return;
        }
        // As the check reads it, so that 签到记录 and 荣誉时数 rows find the person by either key.
        let id_number = row.peek(ID_NUMBER).map(|text| without_spaces(text).to_ascii_uppercase());
        if let Some(id_number) = id_number {
            if let Some(code) = row.peek(CODE) {
                ctx.volunteer_id_numbers.entry(code.to_string()).or_insert_with(|| id_number.clone());
            }
            ctx.workbook_id_numbers.entry(id_number).or_insert(row.excel_row());
        }
    }

    fn check(&mut self, row: &mut RowReader<'_>, ctx: &mut Context<'_>) -> Result<Verdict> {
        let code = row.text(CODE);
        if let Some(code) = code
            && let Some(&first) = ctx.volunteer_codes.get(code)
            && first != row.excel_row()
        {
            row.report(CODE, format!("与第{first}行重复"));
        }
        let name = row.text(NAME).map(person_name);
        let card = row.id_card(ID_NUMBER, ctx.today);
        if let Some(card) = &card {
            match self.seen_ids.get(card.number.as_str()) {
                Some(&first) => {
                    let other = row.peek_in_row(first, NAME).map(person_name).unwrap_or_default();
                    row.report(ID_NUMBER, format!("与第{first}行（{other}）的身份证号重复"));
                }
                None => {
                    self.seen_ids.insert(card.number.as_str().into(), row.excel_row());
                }
            }
        }
        if let Some(gender) = row.text(GENDER) {
            check_gender(row, gender, card.as_ref());
        }
        let phone = row.mobile(PHONE);
        let unit = refs::unit(row, ctx, UNIT);
        let team = row.text(TEAM);
        if let Some(team) = team {
            check_team(row, ctx, team);
        }
        let political_status = row.text(POLITICAL_STATUS).and_then(|text| {
            let status = political_status(text);
            match status {
                Some(status) => row.read_as(POLITICAL_STATUS, text, status),
                None => row.report(
                    POLITICAL_STATUS,
                    format!("“{text}”不是有效的政治面貌（如 中共党员、中共预备党员、共青团员、群众）"),
                ),
            }
            status
        });
        let skills = row.text(SKILLS);
        let registered_on = row.date(REGISTERED_ON);
        if let Some(date) = registered_on
            && date > ctx.today
        {
            row.report(REGISTERED_ON, format!("注册日期 {} 晚于今天（{}）", format_date(date), format_date(ctx.today)));
        }

        let (Some(name), Some(card), Some(phone), Some(unit)) = (name, card, phone, unit) else {
            return Ok(Verdict::Invalid);
        };
        if row.has_issues() {
            return Ok(Verdict::Invalid);
        }

        let existing = match code {
            Some(code) => {
                let existing = ctx.db.volunteer_by_code(code);
                if existing.is_none()
                    && let Some(holder) = ctx.db.volunteer_by_id_number(&card.number)
                {
                    ctx.matched_by_id.set(ctx.matched_by_id.get() + 1);
                    let said = match ctx.holder {
                        Holder::Named => format!("已登记为志愿者 {}（编号 {}）", holder.name, holder.code),
                        Holder::Unnamed => REGISTERED_UNNAMED.to_string(),
                    };
                    row.report(ID_NUMBER, said);
                    return Ok(Verdict::Invalid);
                }
                existing
            }
            None => {
                let found = ctx.db.volunteer_by_id_number(&card.number);
                if found.is_some() {
                    ctx.matched_by_id.set(ctx.matched_by_id.get() + 1);
                    // Compared with the row, the registered volunteer's name, unit and phone
                    // would tell who holds a guessed ID: to a role that may not see whole IDs
                    // the match says only that it is registered.
                    if ctx.holder == Holder::Unnamed {
                        row.report(ID_NUMBER, REGISTERED_UNNAMED);
                        return Ok(Verdict::Invalid);
                    }
                }
                found
            }
        };
        if let Some(existing) = existing {
            let key = if code.is_some() { CODE } else { ID_NUMBER };
            if existing.deleted {
                row.report(
                    key,
                    format!("志愿者 {}（编号 {}）在回收站中，请先恢复后再导入", existing.name, existing.code),
                );
                return Ok(Verdict::Invalid);
            }
            let id_index = ctx.db.id_index(&card.number);
            let stated = Stated {
                name: &name,
                card: &card,
                id_index: &id_index,
                phone: &phone,
                unit,
                team,
                political_status,
                skills,
            };
            compare_with(row, existing, &stated, registered_on.map(format_date).as_deref());
            return Ok(if row.has_issues() { Verdict::Invalid } else { Verdict::Unchanged });
        }

        let code = match code {
            Some(code) => code.into(),
            None => self.generate_code(ctx).into_boxed_str(),
        };
        self.new.push(ImportedVolunteer {
            code,
            name: name.into_boxed_str(),
            id_number: card.number.into_boxed_str(),
            phone: phone.into_boxed_str(),
            unit_name: unit.into(),
            team_code: team.map(Box::from),
            political_status: political_status.unwrap_or(DEFAULT_POLITICAL_STATUS),
            skills: skills.unwrap_or_default().into(),
            registered_on: registered_on.unwrap_or(ctx.today),
        });
        Ok(Verdict::New)
    }

    fn write(&self, conn: &Connection, ctx: &Context<'_>, tick: &dyn Fn()) -> Result<usize> {
        insert_volunteers(conn, &self.new, ctx.today, tick)
    }
}

impl Volunteers {
    /// `ZY00001`-style codes after the highest such code in the database and the workbook,
    /// counting up within the import.
    fn generate_code(&mut self, ctx: &Context<'_>) -> String {
        let number = *self.next_number.get_or_insert_with(|| {
            let highest_in_workbook = ctx.volunteer_codes.keys().filter_map(|c| code_number(c)).max().unwrap_or(0);
            code_number(&ctx.db.next_volunteer_code).unwrap_or(1).max(highest_in_workbook + 1)
        });
        self.next_number = Some(number + 1);
        format!("{CODE_PREFIX}{number:05}")
    }
}

/// The number in a `ZY00042` code.
fn code_number(code: &str) -> Option<u64> {
    let digits = code.strip_prefix(CODE_PREFIX)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn check_gender(row: &mut RowReader<'_>, gender: &str, card: Option<&IdCard>) {
    let gender = match gender {
        "男" | "男性" => "男",
        "女" | "女性" => "女",
        other => {
            row.report(GENDER, format!("“{other}”不是有效的性别，应为 男 或 女"));
            return;
        }
    };
    if let Some(card) = card
        && card.gender.label() != gender
    {
        row.report(GENDER, format!("与身份证号不符（身份证号显示为{}）", card.gender.label()));
    }
}

fn check_team(row: &mut RowReader<'_>, ctx: &Context<'_>, team: &str) {
    match ctx.db.teams.get(team) {
        Some(existing) if existing.dissolved_on.is_some() => {
            row.report(TEAM, format!("服务队“{team}”（{}）已撤销，不能再加入", existing.name));
        }
        Some(_) => {}
        None if ctx.teams.contains_key(team) => {}
        None => row.report(TEAM, format!("服务队“{team}”不存在（“服务队”表和系统中都没有）")),
    }
}

fn political_status(text: &str) -> Option<&'static str> {
    match text {
        "党员" | "中国共产党党员" => Some("中共党员"),
        "预备党员" => Some("中共预备党员"),
        "团员" | "中国共产主义青年团团员" => Some("共青团员"),
        other => POLITICAL_STATUSES.iter().copied().find(|s| *s == other),
    }
}

/// What a row states about a volunteer already in the database.
struct Stated<'a> {
    name: &'a str,
    card: &'a IdCard,
    /// The keyed index of the stated ID, compared with the one on record.
    id_index: &'a str,
    phone: &'a str,
    unit: &'a str,
    team: Option<&'a str>,
    political_status: Option<&'a str>,
    skills: Option<&'a str>,
}

/// Reports each stated cell that disagrees with the database. The ID and phone are shown
/// masked, as everywhere else.
fn compare_with(
    row: &mut RowReader<'_>,
    existing: &ExistingVolunteer,
    stated: &Stated<'_>,
    registered_on: Option<&str>,
) {
    row.compare(NAME, &existing.name, stated.name);
    if existing.id_index != stated.id_index {
        // Reported even when the masked forms look alike: they show two characters only.
        row.report_difference(ID_NUMBER, &existing.id_masked, &mask_id_number(&stated.card.number));
    }
    row.compare_masked(PHONE, &existing.phone, stated.phone, mask_phone);
    row.compare(UNIT, &existing.unit_name, stated.unit);
    if let Some(team) = stated.team {
        row.compare(TEAM, existing.team_code.as_deref().unwrap_or_default(), team);
    }
    if let Some(status) = stated.political_status {
        row.compare(POLITICAL_STATUS, &existing.political_status, status);
    }
    if let Some(skills) = stated.skills {
        row.compare(SKILLS, &existing.skills, skills);
    }
    if let Some(date) = registered_on {
        row.compare(REGISTERED_ON, &existing.registered_on, date);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_codes_and_statuses() {
        assert_eq!(code_number("ZY00042"), Some(42));
        assert_eq!(code_number("ZY"), None);
        assert_eq!(code_number("ZY-1"), None);
        assert_eq!(political_status("党员"), Some("中共党员"));
        assert_eq!(political_status("九三学社社员"), Some("九三学社社员"));
        assert_eq!(political_status("党外人士"), None);
    }
}
