//! 签到记录: 活动编号*, 志愿者编号 or 身份证号*, 签到时间*, 签退时间 (empty = still open).
//! Key: the person, the activity and the sign-in time. The ledger's rules (domain.md §3) are
//! checked in memory against the file and the person's sessions in the database together:
//! sign-out after sign-in, nothing in the future, no session at a cancelled activity, no two
//! sessions of one person overlapping (an open one holds all later time), at most 24 hours a
//! day. The same session already in the database is unchanged; one with another sign-out is
//! a conflict. Writing goes through the store's `record_session`, which checks it all again.

use rusqlite::Connection;

use super::refs;
use crate::domain::format_minute;
use crate::error::Result;
use crate::io::import::check::{Context, SheetParser, Verdict};
use crate::io::import::hours::{Span, SpanSource, clipped};
use crate::io::import::row::RowReader;
use crate::io::sheets::{self, SheetSpec};
use crate::store::attendance::MAX_DAY;
use crate::store::import::{ImportedSession, insert_sessions};

const ACTIVITY: &str = "活动编号";
const CODE: &str = "志愿者编号";
const ID_NUMBER: &str = "身份证号";
const SIGNED_IN: &str = "签到时间";
const SIGNED_OUT: &str = "签退时间";

#[derive(Default)]
pub(crate) struct Sessions {
    new: Vec<ImportedSession>,
}

impl SheetParser for Sessions {
    fn spec(&self) -> &'static SheetSpec {
        &sheets::ATTENDANCE
    }

    fn refers_to_volunteers(&self) -> bool {
        true
    }

    fn check(&mut self, row: &mut RowReader<'_>, ctx: &mut Context<'_>) -> Result<Verdict> {
        let activity = refs::activity(row, ctx, ACTIVITY);
        if let Some(activity) = &activity
            && activity.cancelled
        {
            row.report(ACTIVITY, format!("活动“{}”已取消，不能签到", activity.code));
        }
        let person = refs::volunteer(row, ctx, CODE, ID_NUMBER);
        let signed_in_at = row.date_time(SIGNED_IN);
        let signed_out_at = row.date_time(SIGNED_OUT);
        let now = format_minute(ctx.now);
        if let Some(at) = signed_in_at
            && at > ctx.now
        {
            row.report(SIGNED_IN, format!("签到时间 {} 晚于当前时间（{now}）", format_minute(at)));
        }
        if let Some(at) = signed_out_at
            && at > ctx.now
        {
            row.report(SIGNED_OUT, format!("签退时间 {} 晚于当前时间（{now}）", format_minute(at)));
        }
        if let (Some(from), Some(to)) = (signed_in_at, signed_out_at)
            && to <= from
        {
            row.report(SIGNED_OUT, format!("签退时间须晚于签到时间（{}）", format_minute(from)));
        }
        let (Some(activity), Some(person), Some(signed_in_at)) = (activity, person, signed_in_at) else {
            return Ok(Verdict::Invalid);
        };
        if row.has_issues() {
            return Ok(Verdict::Invalid);
        }

        let conn = ctx.conn;
        let hours = ctx.hours.person(conn, &person)?;
        if let Some(same_start) = hours.span_at(signed_in_at)
            && same_start.activity_code == activity.code
            && let SpanSource::Database { matched_by: matched_by @ None } = &mut same_start.source
        {
            if same_start.signed_out_at == signed_out_at {
                *matched_by = Some(row.excel_row());
                return Ok(Verdict::Unchanged);
            }
            let shown = |t: Option<chrono::NaiveDateTime>| t.map(format_minute).unwrap_or_default();
            row.compare(SIGNED_OUT, &shown(same_start.signed_out_at), &shown(signed_out_at));
            return Ok(Verdict::Invalid);
        }
        if let Some(other) = hours.overlapping(signed_in_at, signed_out_at) {
            row.report(SIGNED_IN, format!("与{}时间重叠", describe(other)));
            return Ok(Verdict::Invalid);
        }
        let credit = match (activity.window, signed_out_at) {
            (Some(window), Some(out)) => Some(clipped(window, signed_in_at, out)),
            _ => None,
        };
        if let Some(credit) = credit {
            let day = signed_in_at.date();
            let total = hours.day_total(conn, &person, day)? + credit;
            if total > MAX_DAY {
                row.report(
                    SIGNED_OUT,
                    format!("该志愿者 {day} 的服务时数将达 {total} 小时（含系统中和本表前面各行），超过一天24小时"),
                );
                return Ok(Verdict::Invalid);
            }
            hours.add_service(day, Some(&activity.code), credit);
        }
        hours.add_span(Span {
            activity_code: activity.code.clone(),
            signed_in_at,
            signed_out_at,
            blocks_until: signed_out_at,
            source: SpanSource::Row(row.excel_row()),
        });
        self.new.push(ImportedSession {
            activity_code: activity.code,
            id_index: person.id_index,
            signed_in_at,
            signed_out_at,
        });
        Ok(Verdict::New)
    }

    fn write(&self, conn: &Connection, ctx: &Context<'_>, tick: &dyn Fn()) -> Result<usize> {
        insert_sessions(conn, &self.new, ctx.now, tick)
    }
}

/// The session another row overlaps, as staff find it: a row of the file, or a record
/// already in the system.
fn describe(span: &Span) -> String {
    let times = match span.signed_out_at {
        Some(out) if out.date() == span.signed_in_at.date() => {
            format!("{} – {}", format_minute(span.signed_in_at), out.format("%H:%M"))
        }
        Some(out) => format!("{} – {}", format_minute(span.signed_in_at), format_minute(out)),
        None => format!("{} 签到，未签退", format_minute(span.signed_in_at)),
    };
    match span.source {
        SpanSource::Row(row) | SpanSource::Database { matched_by: Some(row) } => {
            format!("第{row}行的签到记录（{times}）")
        }
        SpanSource::Database { matched_by: None } => {
            format!("系统中已有的签到记录（活动 {}，{times}）", span.activity_code)
        }
    }
}
