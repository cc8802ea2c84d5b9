//! 服务队: 队伍编号*, 队伍名称*, 类型*, 上级编号, 所属单位*, 负责人*, 负责人电话*, 成立日期,
//! 服务领域. Key: 队伍编号. The tree rules of domain.md §1 are checked against the workbook
//! and the database together: one 总队; a 支队 under the 总队; a 专业服务队 under a 支队.

use std::collections::HashMap;

use rusqlite::Connection;

use super::refs;
use crate::domain::identity::mask_phone;
use crate::domain::{TeamKind, format_date};
use crate::error::Result;
use crate::io::import::check::{Context, DeclaredTeam, SheetParser, Verdict};
use crate::io::import::row::RowReader;
use crate::io::sheets::{self, SheetSpec};
use crate::io::text::{person_name, split_list};
use crate::store::import::{ImportedTeam, insert_teams};

const CODE: &str = "队伍编号";
const NAME: &str = "队伍名称";
const KIND: &str = "类型";
const PARENT: &str = "上级编号";
const UNIT: &str = "所属单位";
const MANAGER: &str = "负责人";
const MANAGER_PHONE: &str = "负责人电话";
const FOUNDED: &str = "成立日期";
const FIELDS: &str = "服务领域";

#[derive(Default)]
pub(crate) struct Teams {
    /// 队伍编号 → the first row with it.
    seen: HashMap<String, u32>,
    /// The first 总队 row of the workbook: (row, code).
    first_corps: Option<(u32, String)>,
    new: Vec<ImportedTeam>,
}

impl SheetParser for Teams {
    fn spec(&self) -> &'static SheetSpec {
        &sheets::TEAMS
    }

    fn declare(&mut self, row: &RowReader<'_>, ctx: &mut Context<'_>) {
        if let Some(code) = row.peek(CODE) {
            let kind = row.peek(KIND).and_then(TeamKind::from_label);
            ctx.teams.entry(code.to_string()).or_insert(DeclaredTeam { kind });
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
        let kind = row.text(KIND).and_then(|label| {
            let kind = TeamKind::from_label(label);
            if kind.is_none() {
                row.report(KIND, format!("“{label}”不是有效的类型，应为 总队、支队 或 专业服务队"));
            }
            kind
        });
        if kind == Some(TeamKind::Corps) {
            self.check_single_corps(row, ctx, code);
        }
        let parent = row.text(PARENT);
        if let Some(kind) = kind {
            check_parent(row, ctx, kind, code, parent);
        }
        let unit = refs::unit(row, ctx, UNIT);
        let manager = row.text(MANAGER).map(person_name);
        let manager_phone = row.phone(MANAGER_PHONE);
        let founded_on = row.date(FOUNDED);
        let fields = row.text(FIELDS).map(split_list);

        let (Some(code), Some(name), Some(kind), Some(unit), Some(manager), Some(manager_phone)) =
            (code, name, kind, unit, manager, manager_phone)
        else {
            return Ok(Verdict::Invalid);
        };
        if row.has_issues() {
            return Ok(Verdict::Invalid);
        }

        if let Some(existing) = ctx.db.teams.get(code) {
            if let Some(dissolved) = &existing.dissolved_on {
                row.report(CODE, format!("队伍“{}”已于 {dissolved} 撤销，不能再导入", existing.name));
                return Ok(Verdict::Invalid);
            }
            row.compare(NAME, &existing.name, name);
            row.compare(KIND, existing.kind.map(TeamKind::label).unwrap_or_default(), kind.label());
            row.compare(PARENT, existing.parent_code.as_deref().unwrap_or_default(), parent.unwrap_or_default());
            row.compare(UNIT, &existing.unit_name, unit);
            row.compare(MANAGER, &existing.manager_name, &manager);
            row.compare_masked(MANAGER_PHONE, &existing.manager_phone, &manager_phone, mask_phone);
            if let Some(founded_on) = founded_on {
                row.compare(FOUNDED, existing.founded_on.as_deref().unwrap_or_default(), &format_date(founded_on));
            }
            if let Some(fields) = &fields {
                row.compare(FIELDS, &split_list(&existing.service_fields).join("、"), &fields.join("、"));
            }
            return Ok(if row.has_issues() { Verdict::Invalid } else { Verdict::Unchanged });
        }

        self.new.push(ImportedTeam {
            code: code.to_string(),
            name: name.to_string(),
            kind,
            parent_code: parent.map(str::to_string),
            unit_name: unit.to_string(),
            manager_name: manager,
            manager_phone,
            founded_on,
            service_fields: fields.unwrap_or_default(),
        });
        Ok(Verdict::New)
    }

    fn write(&self, conn: &Connection, _ctx: &Context<'_>, tick: &dyn Fn()) -> Result<usize> {
        insert_teams(conn, &self.new, tick)
    }
}

impl Teams {
    /// Only one 总队, counting the database and the workbook.
    fn check_single_corps(&mut self, row: &mut RowReader<'_>, ctx: &Context<'_>, code: Option<&str>) {
        if let Some((db_code, corps)) = ctx.db.corps() {
            if code != Some(db_code) {
                row.report(KIND, format!("只能有一个总队，系统中已有总队“{}”（编号 {db_code}）", corps.name));
            }
            return;
        }
        match &self.first_corps {
            Some((first_row, first_code)) if code != Some(first_code.as_str()) => {
                row.report(KIND, format!("只能有一个总队，第{first_row}行已是总队（编号 {first_code}）"));
            }
            Some(_) => {}
            None => self.first_corps = Some((row.excel_row(), code.unwrap_or_default().to_string())),
        }
    }
}

/// 上级编号: empty for the 总队 only; otherwise a team of the right kind, in the workbook or
/// in the database (and not dissolved).
fn check_parent(row: &mut RowReader<'_>, ctx: &Context<'_>, kind: TeamKind, code: Option<&str>, parent: Option<&str>) {
    let expected = match kind {
        TeamKind::Corps => {
            if parent.is_some() {
                row.report(PARENT, "总队没有上级队伍，上级编号应为空");
            }
            return;
        }
        TeamKind::Detachment => TeamKind::Corps,
        TeamKind::Specialised => TeamKind::Detachment,
    };
    let Some(parent) = parent else {
        row.report(PARENT, format!("{}须填写上级编号（所属{}的队伍编号）", kind.label(), expected.label()));
        return;
    };
    if Some(parent) == code {
        row.report(PARENT, "上级编号不能是本队自己的编号");
        return;
    }
    let in_db = ctx.db.teams.get(parent);
    let parent_kind = match (ctx.teams.get(parent), in_db) {
        (Some(declared), _) => declared.kind,
        (None, Some(team)) => team.kind,
        (None, None) => {
            row.report(PARENT, format!("上级队伍“{parent}”不存在（“服务队”表和系统中都没有）"));
            return;
        }
    };
    if let Some(dissolved) = in_db.and_then(|t| t.dissolved_on.as_ref()) {
        row.report(PARENT, format!("上级队伍“{parent}”已于 {dissolved} 撤销"));
    } else if let Some(parent_kind) = parent_kind
        && parent_kind != expected
    {
        row.report(
            PARENT,
            format!("上级队伍“{parent}”是{}，{}的上级须为{}", parent_kind.label(), kind.label(), expected.label()),
        );
    }
}
