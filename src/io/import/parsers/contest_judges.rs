//! 评委: 姓名*, 单位*, 职务, 角色* (初评评委/终审专家). Key: 角色 and 姓名. A 单位 that is not a
//! registered unit (市文联, a university) is kept as the judge's own organisation: recusal
//! covers registered units only. Accounts are made when the administrator prints the judges'
//! login slips, not here.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::error::Result;
use crate::io::import::check::{Context, SheetParser, Verdict};
use crate::io::import::row::RowReader;
use crate::io::sheets::{self, SheetSpec};
use crate::io::text::person_name;
use crate::store::contest::judges::{JudgeOrganisation, JudgeRole, NewJudge, insert_judge, judge_by_name};
use crate::store::units::unit_id_by_name;

const NAME: &str = "姓名";
const UNIT: &str = "单位";
const TITLE: &str = "职务";
const ROLE: &str = "角色";

#[derive(Default)]
pub(crate) struct Judges {
    /// (role, name) → the first row with it.
    seen: HashMap<(JudgeRole, String), u32>,
    /// Each new judge with the 单位 as written and whether it names a registered unit.
    new: Vec<(NewJudge, String, bool)>,
}

impl SheetParser for Judges {
    fn spec(&self) -> &'static SheetSpec {
        &sheets::JUDGES
    }

    fn check(&mut self, row: &mut RowReader<'_>, ctx: &mut Context<'_>) -> Result<Verdict> {
        let name = row.text(NAME).map(person_name);
        let unit = row.text(UNIT);
        let title = row.text(TITLE).unwrap_or_default();
        let role = row.text(ROLE).and_then(|label| {
            let role = JudgeRole::from_label(label);
            if role.is_none() {
                row.report(ROLE, format!("“{label}”不是有效的角色，应为 初评评委 或 终审专家"));
            }
            role
        });
        let (Some(name), Some(unit), Some(role)) = (name, unit, role) else {
            return Ok(Verdict::Invalid);
        };
        match self.seen.get(&(role, name.clone())) {
            Some(first) => row.report(NAME, format!("与第{first}行是同一位{}", role.label())),
            None => {
                self.seen.insert((role, name.clone()), row.excel_row());
            }
        }
        if row.has_issues() {
            return Ok(Verdict::Invalid);
        }
        if let Some((_, stored_unit, stored_title)) = judge_by_name(ctx.conn, role, &name)? {
            row.compare(UNIT, &stored_unit, unit);
            if !title.is_empty() {
                row.compare(TITLE, &stored_title, title);
            }
            return Ok(if row.has_issues() { Verdict::Invalid } else { Verdict::Unchanged });
        }
        let registered = ctx.unit_exists(unit);
        let organisation = JudgeOrganisation::Other(unit.to_string());
        let judge = NewJudge { name, organisation, title: title.to_string(), role };
        self.new.push((judge, unit.to_string(), registered));
        Ok(Verdict::New)
    }

    fn write(&self, conn: &Connection, _ctx: &Context<'_>, tick: &dyn Fn()) -> Result<usize> {
        for (judge, unit, registered) in &self.new {
            let organisation = match unit_id_by_name(conn, unit)? {
                Some(unit_id) if *registered => JudgeOrganisation::Unit(unit_id),
                _ => judge.organisation.clone(),
            };
            insert_judge(conn, &NewJudge { organisation, ..judge.clone() })?;
            tick();
        }
        Ok(self.new.len())
    }

    fn notes(&self) -> Vec<String> {
        let outside: Vec<&str> =
            self.new.iter().filter(|(_, _, registered)| !registered).map(|(_, unit, _)| unit.as_str()).collect();
        if outside.is_empty() {
            return Vec::new();
        }
        let mut bodies = outside.clone();
        bodies.sort_unstable();
        bodies.dedup();
        let more = if bodies.len() > 5 { "等" } else { "" };
        bodies.truncate(5);
        vec![format!(
            "“评委”表有 {} 位评委的单位不是已登记的单位（{}{more}），按所填单位记录，评审时不回避任何单位的作品",
            outside.len(),
            bodies.join("、")
        )]
    }
}
