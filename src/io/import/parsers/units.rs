//! 单位: 单位名称*, 党员总数*. Key: 单位名称.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::error::Result;
use crate::io::import::check::{Context, SheetParser, Verdict};
use crate::io::import::row::RowReader;
use crate::io::sheets::{self, SheetSpec};
use crate::store::import::insert_units;
use crate::store::units::NewUnit;

const NAME: &str = "单位名称";
const PARTY_MEMBERS: &str = "党员总数";

#[derive(Default)]
pub(crate) struct Units {
    /// 单位名称 → the first row naming it.
    seen: HashMap<String, u32>,
    new: Vec<NewUnit>,
}

impl SheetParser for Units {
    fn spec(&self) -> &'static SheetSpec {
        &sheets::UNITS
    }

    fn declare(&mut self, row: &RowReader<'_>, ctx: &mut Context<'_>) {
        if let Some(name) = row.peek(NAME) {
            ctx.units.entry(name.to_string()).or_insert(row.excel_row());
        }
    }

    fn check(&mut self, row: &mut RowReader<'_>, ctx: &mut Context<'_>) -> Result<Verdict> {
        let name = row.text(NAME);
        if let Some(name) = name {
            match self.seen.get(name) {
                Some(first) => row.report(NAME, format!("与第{first}行重复")),
                None => {
                    self.seen.insert(name.to_string(), row.excel_row());
                }
            }
        }
        let party_members = row.non_negative_integer(PARTY_MEMBERS);
        let (Some(name), Some(party_members)) = (name, party_members) else {
            return Ok(Verdict::Invalid);
        };
        if row.has_issues() {
            return Ok(Verdict::Invalid);
        }
        if let Some(existing) = ctx.db.units.get(name) {
            row.compare(PARTY_MEMBERS, &existing.party_members.to_string(), &party_members.to_string());
            return Ok(if row.has_issues() { Verdict::Invalid } else { Verdict::Unchanged });
        }
        self.new.push(NewUnit { name: name.to_string(), party_members });
        Ok(Verdict::New)
    }

    fn write(&self, conn: &Connection, _ctx: &Context<'_>, tick: &dyn Fn()) -> Result<usize> {
        insert_units(conn, &self.new, tick)
    }
}
