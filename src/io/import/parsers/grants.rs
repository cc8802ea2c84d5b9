//! 荣誉时数: 志愿者编号 or 身份证号*, 时数*, 服务日期*, 事由*, 活动编号, 批准人*. A grant has
//! no key of its own: the same person, service date, hours, reason and activity already in
//! the database is unchanged (each grant there matches one row), and then a different 批准人
//! is a conflict. Checked in memory with the sessions of the file: hours with at most one
//! decimal, at most 24 hours a day, and at an activity no more than its duration less what the
//! person earned there (in the database and in the earlier rows of the file). Writing goes
//! through the store's `grant_honor`, which checks the cap and the day again.

use rusqlite::Connection;

use super::refs;
use crate::domain::{Minutes, format_date};
use crate::error::Result;
use crate::io::import::check::{Context, SheetParser, Verdict};
use crate::io::import::row::RowReader;
use crate::io::sheets::{self, SheetSpec};
use crate::store::attendance::{MAX_DAY, honor_room_at_activity};
use crate::store::import::{ImportedGrant, insert_grants};

const CODE: &str = "志愿者编号";
const ID_NUMBER: &str = "身份证号";
const HOURS: &str = "时数";
const SERVICE_DATE: &str = "服务日期";
const REASON: &str = "事由";
const ACTIVITY: &str = "活动编号";
const APPROVER: &str = "批准人";

#[derive(Default)]
pub(crate) struct Grants {
    new: Vec<ImportedGrant>,
}

impl SheetParser for Grants {
    fn spec(&self) -> &'static SheetSpec {
        &sheets::HONOR_HOURS
    }

    fn refers_to_volunteers(&self) -> bool {
        true
    }

    fn check(&mut self, row: &mut RowReader<'_>, ctx: &mut Context<'_>) -> Result<Verdict> {
        let person = refs::volunteer(row, ctx, CODE, ID_NUMBER);
        let minutes = row.hours(HOURS);
        if let Some(minutes) = minutes
            && minutes > MAX_DAY
        {
            row.report(HOURS, "单日荣誉时数不能超过24小时");
        }
        let service_date = row.date(SERVICE_DATE);
        if let Some(date) = service_date
            && date > ctx.today
        {
            row.report(SERVICE_DATE, format!("服务日期 {} 晚于今天（{}）", format_date(date), format_date(ctx.today)));
        }
        let reason = row.text(REASON);
        // `Some(None)`: an 活动编号 is given but names nothing (reported).
        let activity = row.cell(ACTIVITY).map(|_| refs::activity(row, ctx, ACTIVITY));
        let approver = row.text(APPROVER);
        let (Some(person), Some(minutes), Some(service_date), Some(reason), Some(approver)) =
            (person, minutes, service_date, reason, approver)
        else {
            return Ok(Verdict::Invalid);
        };
        let activity = match activity {
            Some(None) => return Ok(Verdict::Invalid),
            Some(Some(activity)) => Some(activity),
            None => None,
        };
        if row.has_issues() {
            return Ok(Verdict::Invalid);
        }

        let conn = ctx.conn;
        let hours = ctx.hours.person(conn, &person)?;
        let activity_code = activity.as_ref().map(|a| a.code.as_str());
        if let Some(granted_by) = hours.take_db_grant(&format_date(service_date), minutes, reason, activity_code) {
            row.compare(APPROVER, &granted_by, approver);
            return Ok(if row.has_issues() { Verdict::Invalid } else { Verdict::Unchanged });
        }
        if let Some(activity) = &activity {
            let on_record = match (activity.db_id, person.db_id) {
                (Some(activity_id), Some(volunteer_id)) => {
                    Some(honor_room_at_activity(conn, activity_id, volunteer_id)?)
                }
                _ => activity.window.map(|(from, to)| Minutes((to - from).num_minutes())),
            };
            if let Some(on_record) = on_record {
                let room = Minutes((on_record.0 - hours.earned_in_file_at(&activity.code).0).max(0));
                if minutes > room {
                    row.report(
                        HOURS,
                        format!(
                            "荣誉时数 {minutes} 小时超过该活动可补录的上限 {room} 小时（活动时长减去已获时数，含本表前面各行）"
                        ),
                    );
                    return Ok(Verdict::Invalid);
                }
            }
        }
        let total = hours.day_total(conn, &person, service_date)? + minutes;
        if total > MAX_DAY {
            row.report(
                HOURS,
                format!(
                    "该志愿者 {} 的服务时数将达 {total} 小时（含系统中和本表前面各行），超过一天24小时",
                    format_date(service_date)
                ),
            );
            return Ok(Verdict::Invalid);
        }
        hours.add_service(service_date, activity_code, minutes);
        self.new.push(ImportedGrant {
            id_index: person.id_index,
            minutes,
            service_date,
            reason: reason.to_string(),
            activity_code: activity_code.map(str::to_string),
            granted_by: approver.to_string(),
        });
        Ok(Verdict::New)
    }

    fn write(&self, conn: &Connection, ctx: &Context<'_>, tick: &dyn Fn()) -> Result<usize> {
        insert_grants(conn, &self.new, ctx.now, tick)
    }
}
