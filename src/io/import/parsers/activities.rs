//! 活动: 活动编号*, 活动名称*, 组织队伍编号*, 服务类别*, 服务方式*, 开始时间*, 结束时间*, 地点,
//! 招募人数, 招募开始, 招募截止, 负责人, 活动内容. Key: 活动编号. The store's refusals (an end
//! not after the start, recruitment closing after the start, a capacity below 1, a dissolved
//! team) are told here cell by cell, before anything is written; a category not yet in the
//! managed list is added when writing. An empty optional cell of an activity already in the
//! database means "not stated" and is not compared. Imported activities are not published:
//! 发布招募 stays a decision of the staff.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::domain::{ServiceMode, format_minute};
use crate::error::Result;
use crate::io::import::check::{Context, DeclaredActivity, SheetParser, Verdict};
use crate::io::import::row::RowReader;
use crate::io::sheets::{self, SheetSpec};
use crate::io::text::person_name;
use crate::store::activities::NewActivity;
use crate::store::import::{ImportedActivity, insert_activities};

const CODE: &str = "活动编号";
const NAME: &str = "活动名称";
const TEAM: &str = "组织队伍编号";
const CATEGORY: &str = "服务类别";
const MODE: &str = "服务方式";
const STARTS: &str = "开始时间";
const ENDS: &str = "结束时间";
const PLACE: &str = "地点";
const CAPACITY: &str = "招募人数";
const RECRUIT_FROM: &str = "招募开始";
const RECRUIT_UNTIL: &str = "招募截止";
const LEADER: &str = "负责人";
const CONTENT: &str = "活动内容";

#[derive(Default)]
pub(crate) struct Activities {
    /// 活动编号 → the first row with it.
    seen: HashMap<String, u32>,
    new: Vec<ImportedActivity>,
}

impl SheetParser for Activities {
    fn spec(&self) -> &'static SheetSpec {
        &sheets::ACTIVITIES
    }

    fn declare(&mut self, row: &RowReader<'_>, ctx: &mut Context<'_>) {
        if let Some(code) = row.peek(CODE) {
            let window = row.peek_date_time(STARTS).zip(row.peek_date_time(ENDS)).filter(|(from, to)| to > from);
            ctx.activities.entry(code.to_string()).or_insert(DeclaredActivity { window });
        }
    }

    fn check(&mut self, row: &mut RowReader<'_>, ctx: &mut Context<'_>) -> Result<Verdict> {
        let code = row.text(CODE);
        if let Some(code) = code {
            match self.seen.get(code) {
                Some(first) => row.report(CODE, format!("与第{first}行重复")),
                None => {
                    self.seen.insert(code.to_string(), row.excel_row());
                }
            }
        }
        let name = row.text(NAME);
        let team = row.text(TEAM);
        if let Some(team) = team {
            // An activity already on record keeps its team even if the team was dissolved since.
            let on_record = code.is_some_and(|code| ctx.db.activities.contains_key(code));
            check_team(row, ctx, team, on_record);
        }
        let category = row.text(CATEGORY);
        let mode = row.text(MODE).and_then(|label| {
            let mode = ServiceMode::from_label(label);
            if mode.is_none() {
                row.report(MODE, format!("“{label}”不是有效的服务方式，应为 集中 或 分散"));
            }
            mode
        });
        let starts_at = row.date_time(STARTS);
        let ends_at = row.date_time(ENDS);
        if let (Some(from), Some(to)) = (starts_at, ends_at)
            && to <= from
        {
            row.report(ENDS, format!("结束时间须晚于开始时间（{}）", format_minute(from)));
        }
        let place = row.text(PLACE);
        let capacity = row.positive_integer(CAPACITY).and_then(|n| {
            let n = u32::try_from(n).ok();
            if n.is_none() {
                row.report(CAPACITY, "招募人数过大");
            }
            n
        });
        let recruit_from = row.window_opens(RECRUIT_FROM);
        let recruit_until = row.window_closes(RECRUIT_UNTIL);
        if let (Some(until), Some(from)) = (recruit_until, starts_at)
            && until > from
        {
            row.report(RECRUIT_UNTIL, format!("招募截止须不晚于活动开始（{}）", format_minute(from)));
        }
        if let (Some(open), Some(until)) = (recruit_from, recruit_until)
            && open >= until
        {
            row.report(RECRUIT_FROM, format!("招募开始须早于招募截止（{}）", format_minute(until)));
        }
        let leader = row.text(LEADER).map(person_name);
        let content = row.text(CONTENT);

        let (Some(code), Some(name), Some(team), Some(category), Some(mode), Some(starts_at), Some(ends_at)) =
            (code, name, team, category, mode, starts_at, ends_at)
        else {
            return Ok(Verdict::Invalid);
        };
        if row.has_issues() {
            return Ok(Verdict::Invalid);
        }

        if let Some(existing) = ctx.db.activities.get(code) {
            row.compare(NAME, &existing.name, name);
            row.compare(TEAM, &existing.team_code, team);
            row.compare(CATEGORY, &existing.category, category);
            row.compare(MODE, &existing.mode, mode.label());
            row.compare(STARTS, &existing.starts_at, &format_minute(starts_at));
            row.compare(ENDS, &existing.ends_at, &format_minute(ends_at));
            let stated: [(&str, Option<String>, String); 6] = [
                (PLACE, place.map(str::to_string), existing.place.clone()),
                (
                    CAPACITY,
                    capacity.map(|n| n.to_string()),
                    existing.capacity.map(|n| n.to_string()).unwrap_or_default(),
                ),
                (RECRUIT_FROM, recruit_from.map(format_minute), existing.recruit_from.clone().unwrap_or_default()),
                (RECRUIT_UNTIL, recruit_until.map(format_minute), existing.recruit_until.clone().unwrap_or_default()),
                (LEADER, leader.clone(), existing.leader.clone()),
                (CONTENT, content.map(str::to_string), existing.content.clone()),
            ];
            for (column, in_file, in_db) in stated {
                if let Some(in_file) = in_file {
                    row.compare(column, &in_db, &in_file);
                }
            }
            return Ok(if row.has_issues() { Verdict::Invalid } else { Verdict::Unchanged });
        }

        self.new.push(ImportedActivity {
            team_code: team.to_string(),
            activity: NewActivity {
                code: code.to_string(),
                name: name.to_string(),
                team_id: 0,
                category: category.to_string(),
                mode,
                starts_at,
                ends_at,
                place: place.unwrap_or_default().to_string(),
                content: content.unwrap_or_default().to_string(),
                leader: leader.unwrap_or_default(),
                capacity,
                recruit_from,
                recruit_until,
                // The import sheet has no 联系电话 column: the form sets it.
                contact_phone: String::new(),
            },
        });
        Ok(Verdict::New)
    }

    fn write(&self, conn: &Connection, _ctx: &Context<'_>, tick: &dyn Fn()) -> Result<usize> {
        insert_activities(conn, &self.new, tick)
    }
}

/// The organising team: in the workbook or the database, and not dissolved.
fn check_team(row: &mut RowReader<'_>, ctx: &Context<'_>, team: &str, on_record: bool) {
    match ctx.db.teams.get(team) {
        Some(existing) if existing.dissolved_on.is_some() && !on_record => {
            let on = existing.dissolved_on.as_deref().unwrap_or_default();
            row.report(TEAM, format!("服务队“{team}”（{}）已于 {on} 撤销，不能再组织活动", existing.name));
        }
        Some(_) => {}
        None if ctx.teams.contains_key(team) => {}
        None => row.report(TEAM, format!("服务队“{team}”不存在（“服务队”表和系统中都没有）")),
    }
}
