//! References rows make: a unit by name, a volunteer by 志愿者编号 or 身份证号, an activity
//! by 活动编号, each found in the database or in the workbook's own 单位 / 志愿者 / 活动 sheet.

use chrono::NaiveDateTime;

use crate::domain::identity::mask_id_number;
use crate::io::import::check::Context;
use crate::io::import::hours::PersonRef;
use crate::io::import::row::RowReader;

/// The unit a row names, reported when neither the 单位 sheet nor the database has it.
pub(crate) fn unit<'a>(row: &mut RowReader<'a>, ctx: &Context<'_>, column: &str) -> Option<&'a str> {
    let unit = row.text(column);
    if let Some(unit) = unit
        && !ctx.unit_exists(unit)
    {
        row.report(column, format!("单位“{unit}”不存在（“单位”表和系统中都没有）"));
    }
    unit
}

/// The volunteer a row names by either column. Reports an empty pair, an unknown key, a
/// volunteer in the recycle bin, and two columns naming two people.
pub(crate) fn volunteer(
    row: &mut RowReader<'_>,
    ctx: &Context<'_>,
    code_column: &str,
    id_column: &str,
) -> Option<PersonRef> {
    let code = row.text(code_column);
    let card = row.id_card(id_column, ctx.today);
    if code.is_none() && card.is_none() {
        if row.cell(id_column).is_none() {
            row.report(code_column, "志愿者编号与身份证号至少填一项");
        }
        return None;
    }
    let by_code = code.and_then(|code| {
        let found = match ctx.db.volunteer_by_code(code) {
            Some(v) => Some((v.id_index.clone(), Some(v))),
            None => ctx.volunteer_id_numbers.get(code).map(|id| (ctx.db.id_index(id), None)),
        };
        if found.is_none() {
            row.report(code_column, format!("志愿者“{code}”不存在（“志愿者”表和系统中都没有）"));
        }
        found
    });
    let by_id = card.and_then(|card| {
        let found = match ctx.db.volunteer_by_id_number(&card.number) {
            Some(v) => {
                ctx.matched_by_id.set(ctx.matched_by_id.get() + 1);
                Some((v.id_index.clone(), Some(v)))
            }
            None => ctx.workbook_id_numbers.contains_key(&card.number).then(|| (ctx.db.id_index(&card.number), None)),
        };
        if found.is_none() {
            row.report(
                id_column,
                format!("身份证号为 {} 的志愿者不存在（“志愿者”表和系统中都没有）", mask_id_number(&card.number)),
            );
        }
        found
    });
    let (id_index, in_db) = match (by_code, by_id) {
        (Some(a), Some(b)) if a.0 != b.0 => {
            row.report(id_column, format!("与志愿者编号“{}”不是同一人", code.unwrap_or_default()));
            return None;
        }
        (Some(found), _) | (None, Some(found)) => found,
        (None, None) => return None,
    };
    if let Some(v) = in_db
        && v.deleted
    {
        let column = if code.is_some() { code_column } else { id_column };
        let who = match (code, ctx.holder) {
            (None, crate::store::volunteers::Holder::Unnamed) => "该志愿者".to_string(),
            _ => format!("志愿者 {}（编号 {}）", v.name, v.code),
        };
        row.report(column, format!("{who}在回收站中，请先恢复后再导入"));
        return None;
    }
    Some(PersonRef { id_index, db_id: in_db.map(|v| v.id) })
}

/// An activity a row names.
#[derive(Clone, Debug)]
pub(crate) struct ActivityRef {
    pub code: String,
    pub db_id: Option<i64>,
    /// Start and end; `None` when the workbook's row has bad times (it reports them).
    pub window: Option<(NaiveDateTime, NaiveDateTime)>,
    pub cancelled: bool,
}

/// The activity of a 活动编号 cell, reporting one that neither the database nor the workbook has.
pub(crate) fn activity(row: &mut RowReader<'_>, ctx: &Context<'_>, column: &str) -> Option<ActivityRef> {
    let code = row.text(column)?;
    if let Some(a) = ctx.db.activities.get(code) {
        return Some(ActivityRef {
            code: code.to_string(),
            db_id: Some(a.id),
            window: a.window(),
            cancelled: a.cancelled_at.is_some(),
        });
    }
    if let Some(a) = ctx.activities.get(code) {
        return Some(ActivityRef { code: code.to_string(), db_id: None, window: a.window, cancelled: false });
    }
    row.report(column, format!("活动“{code}”不存在（“活动”表和系统中都没有）"));
    None
}
