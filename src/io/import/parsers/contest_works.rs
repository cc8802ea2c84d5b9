//! 作品: 作品编号 (generated when empty), 类别*, 标题, 内容*, 作者*, 单位*, 联系电话, 提交日期*.
//! Key: 作品编号; a row without one is the same work as a stored one with the same category,
//! author and content. New works only while their category is collecting (征集), within its
//! length limits.

use std::collections::HashMap;

use rusqlite::Connection;

use super::refs;
use crate::domain::contest::Category;
use crate::domain::format_date;
use crate::domain::identity::mask_phone;
use crate::error::Result;
use crate::io::import::check::{Context, SheetParser, Verdict};
use crate::io::import::row::RowReader;
use crate::io::sheets::{self, SheetSpec};
use crate::io::text::person_name;
use crate::store::contest::works::{NewWork, code_of_same_work, insert_work, stored_work};
use crate::store::contest::{rules, state};
use crate::store::units::unit_id_by_name;

const CODE: &str = "作品编号";
const CATEGORY: &str = "类别";
const TITLE: &str = "标题";
const CONTENT: &str = "内容";
const AUTHOR: &str = "作者";
const UNIT: &str = "单位";
const PHONE: &str = "联系电话";
const SUBMITTED: &str = "提交日期";

#[derive(Default)]
pub(crate) struct Works {
    /// 作品编号 → the first row with it.
    codes: HashMap<String, u32>,
    /// (category, author, content) → the first row with it.
    texts: HashMap<(Category, String, String), u32>,
    /// New works with their unit's name (the unit may come from this workbook).
    new: Vec<(NewWork, String)>,
}

impl SheetParser for Works {
    fn spec(&self) -> &'static SheetSpec {
        &sheets::WORKS
    }

    fn check(&mut self, row: &mut RowReader<'_>, ctx: &mut Context<'_>) -> Result<Verdict> {
        let code = row.text(CODE);
        if let Some(code) = code {
            match self.codes.get(code) {
                Some(first) => row.report(CODE, format!("与第{first}行重复")),
                None => {
                    self.codes.insert(code.to_string(), row.excel_row());
                }
            }
        }
        let category = row.text(CATEGORY).and_then(|label| {
            let category = Category::from_label(label);
            if category.is_none() {
                row.report(CATEGORY, format!("“{label}”不是有效的类别，应为 家风家训 或 家风家训故事"));
            }
            category
        });
        let title = row.text(TITLE).unwrap_or_default();
        let content = row.text(CONTENT);
        let author = row.text(AUTHOR).map(person_name);
        let unit = refs::unit(row, ctx, UNIT);
        let phone = if row.cell(PHONE).is_some() { row.phone(PHONE) } else { Some(String::new()) };
        let submitted_on = row.date(SUBMITTED);
        if let Some(date) = submitted_on
            && date > ctx.today
        {
            row.report(SUBMITTED, format!("提交日期 {} 晚于今天", format_date(date)));
        }
        if let (Some(category), Some(content)) = (category, content)
            && let Err(why) = rules(ctx.conn, category)?.check_length(category, content)
        {
            row.report(CONTENT, why);
        }
        let (Some(category), Some(content), Some(author), Some(unit), Some(phone), Some(submitted_on)) =
            (category, content, author, unit, phone, submitted_on)
        else {
            return Ok(Verdict::Invalid);
        };
        if row.has_issues() {
            return Ok(Verdict::Invalid);
        }
        let key = (category, author.clone(), content.to_string());
        if let Some(first) = self.texts.get(&key) {
            row.report(CONTENT, format!("与第{first}行是同一作者的同一作品"));
            return Ok(Verdict::Invalid);
        }
        self.texts.insert(key, row.excel_row());

        let stored = match code {
            Some(code) => stored_work(ctx.conn, ctx.db.key()?, code)?,
            None => match code_of_same_work(ctx.conn, category, &author, content)? {
                Some(code) => stored_work(ctx.conn, ctx.db.key()?, &code)?,
                None => None,
            },
        };
        if let Some(stored) = stored {
            row.compare(CATEGORY, &stored.category, category.label());
            row.compare(TITLE, &stored.title, title);
            row.compare(CONTENT, &stored.content, content);
            row.compare(AUTHOR, &stored.author, &author);
            row.compare(UNIT, &stored.unit_name, unit);
            if !phone.is_empty() {
                row.compare_masked(PHONE, &stored.author_phone, &phone, mask_phone);
            }
            row.compare(SUBMITTED, &stored.submitted_on, &format_date(submitted_on));
            return Ok(if row.has_issues() { Verdict::Invalid } else { Verdict::Unchanged });
        }
        let stage = state(ctx.conn, category)?;
        if !stage.accepts_works() {
            row.report(
                CATEGORY,
                format!("{}作品征集已结束（当前为{}阶段），不能再导入作品", category.label(), stage.label()),
            );
            return Ok(Verdict::Invalid);
        }
        let work = NewWork {
            code: code.map(str::to_string),
            category,
            title: title.to_string(),
            content: content.to_string(),
            author,
            author_phone: phone,
            unit_id: 0,
            submitted_on,
        };
        self.new.push((work, unit.to_string()));
        Ok(Verdict::New)
    }

    /// Rows with a 作品编号 first, so generated codes follow the highest one given.
    fn write(&self, conn: &Connection, _ctx: &Context<'_>, tick: &dyn Fn()) -> Result<usize> {
        let (coded, uncoded): (Vec<_>, Vec<_>) = self.new.iter().partition(|(work, _)| work.code.is_some());
        for (work, unit) in coded.into_iter().chain(uncoded) {
            let unit_id = unit_id_by_name(conn, unit)?.unwrap_or_default();
            insert_work(conn, &NewWork { unit_id, ..work.clone() })?;
            tick();
        }
        Ok(self.new.len())
    }
}
