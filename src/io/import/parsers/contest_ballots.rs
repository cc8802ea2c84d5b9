//! 选票: 评委姓名*, 类别*, 作品编号*, one row per vote: a judge's paper ballot keyed in, for
//! the category's open round (the initial round, or a run-off). The rows of one judge and
//! category form one ballot; one over the quota is recorded void as a whole. Importing the
//! same ballot again is unchanged; a different one for a judge who already handed in is a
//! conflict.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;

use crate::domain::contest::Category;
use crate::error::Result;
use crate::io::import::check::{Context, SheetParser, Verdict};
use crate::io::import::row::RowReader;
use crate::io::sheets::{self, SheetSpec};
use crate::io::text::person_name;
use crate::store::contest::ballots::{insert_paper_ballot, is_round_judge, stored_ballot, vote_refusal};
use crate::store::contest::judges::{JudgeRole, judge_by_name};
use crate::store::contest::rounds::{Round, open_round};

const JUDGE: &str = "评委姓名";
const CATEGORY: &str = "类别";
const CODE: &str = "作品编号";

/// Who keyed the ballot in, as the ballot records it (the audit log names the account).
const ENTERED_BY: &str = "工作簿导入";

type BallotKey = (String, Category);

#[derive(Default)]
pub(crate) struct Ballots {
    /// Per judge and category, the codes of the sheet's rows, sorted.
    sheet: BTreeMap<BallotKey, Vec<String>>,
    /// Per judge and category: the judge's id and whether the ballot is new (`Some`), or
    /// the reason it cannot be imported (`None` after reporting).
    checked: HashMap<BallotKey, Option<(i64, bool)>>,
    /// (judge name, category, code) → the first row with it.
    seen: HashMap<(String, Category, String), u32>,
    rounds: HashMap<Category, Option<Round>>,
}

impl SheetParser for Ballots {
    fn spec(&self) -> &'static SheetSpec {
        &sheets::BALLOTS
    }

    fn declare(&mut self, row: &RowReader<'_>, _ctx: &mut Context<'_>) {
        if let (Some(judge), Some(category), Some(code)) =
            (row.peek(JUDGE), row.peek(CATEGORY).and_then(Category::from_label), row.peek(CODE))
        {
            let codes = self.sheet.entry((person_name(judge), category)).or_default();
            codes.push(code.to_string());
            codes.sort();
        }
    }

    fn check(&mut self, row: &mut RowReader<'_>, ctx: &mut Context<'_>) -> Result<Verdict> {
        let judge = row.text(JUDGE).map(person_name);
        let category = row.text(CATEGORY).and_then(|label| {
            let category = Category::from_label(label);
            if category.is_none() {
                row.report(CATEGORY, format!("“{label}”不是有效的类别，应为 家风家训 或 家风家训故事"));
            }
            category
        });
        let code = row.text(CODE);
        let (Some(judge), Some(category), Some(code)) = (judge, category, code) else {
            return Ok(Verdict::Invalid);
        };
        let key = (judge.clone(), category, code.to_string());
        if let Some(first) = self.seen.get(&key) {
            row.report(CODE, format!("与第{first}行重复：同一张选票上不能两次选同一作品"));
            return Ok(Verdict::Invalid);
        }
        self.seen.insert(key, row.excel_row());

        let round = match self.rounds.get(&category) {
            Some(round) => round.clone(),
            None => {
                let round = open_round(ctx.conn, category)?.filter(|r| r.quota.is_some());
                self.rounds.insert(category, round.clone());
                round
            }
        };
        let Some(round) = round else {
            row.report(
                CATEGORY,
                format!("{}目前没有进行中的投票，选票须在初评（或决选）开启期间导入", category.label()),
            );
            return Ok(Verdict::Invalid);
        };
        let Some((judge_id, new)) = self.ballot(row, ctx.conn, &round, &judge)? else {
            return Ok(Verdict::Invalid);
        };
        if let Some(why) = vote_refusal(ctx.conn, &round, judge_id, code)? {
            row.report(CODE, why);
            return Ok(Verdict::Invalid);
        }
        Ok(if new { Verdict::New } else { Verdict::Unchanged })
    }

    fn write(&self, conn: &Connection, _ctx: &Context<'_>, tick: &dyn Fn()) -> Result<usize> {
        let mut written = 0;
        for ((judge, category), codes) in &self.sheet {
            let Some(Some((judge_id, true))) = self.checked.get(&(judge.clone(), *category)) else { continue };
            insert_paper_ballot(conn, ENTERED_BY, *category, *judge_id, codes)?;
            for _ in codes {
                tick();
            }
            written += codes.len();
        }
        Ok(written)
    }
}

impl Ballots {
    /// The judge's ballot for this row's category, checked once per judge and category:
    /// `Some((judge id, is new))`, or `None` with the reason reported on this row.
    fn ballot(
        &mut self,
        row: &mut RowReader<'_>,
        conn: &Connection,
        round: &Round,
        judge: &str,
    ) -> Result<Option<(i64, bool)>> {
        let key = (judge.to_string(), round.category);
        if let Some(checked) = self.checked.get(&key) {
            if checked.is_none() {
                row.report(JUDGE, "该评委的这张选票有误，见前面的行");
            }
            return Ok(*checked);
        }
        let checked = self.check_ballot(row, conn, round, judge)?;
        self.checked.insert(key, checked);
        Ok(checked)
    }

    fn check_ballot(
        &self,
        row: &mut RowReader<'_>,
        conn: &Connection,
        round: &Round,
        judge: &str,
    ) -> Result<Option<(i64, bool)>> {
        let Some((judge_id, _, _)) = judge_by_name(conn, JudgeRole::Initial, judge)? else {
            row.report(JUDGE, format!("初评评委“{judge}”不存在（须先登记评委并在初评开启前登记）"));
            return Ok(None);
        };
        if !is_round_judge(conn, round.id, judge_id)? {
            row.report(
                JUDGE,
                format!(
                    "“{judge}”不是{}{}的评委（开启后才登记的评委不能投本轮的票）",
                    round.category.label(),
                    round.name()
                ),
            );
            return Ok(None);
        }
        let in_sheet = self.sheet.get(&(judge.to_string(), round.category)).cloned().unwrap_or_default();
        match stored_ballot(conn, round.id, judge_id)? {
            None => Ok(Some((judge_id, true))),
            Some(stored) if stored.submitted && stored.codes == in_sheet => Ok(Some((judge_id, false))),
            Some(stored) if stored.submitted => {
                row.report(
                    JUDGE,
                    format!("该评委{}的选票已提交，与本表不一致（已提交 {} 票）", round.name(), stored.codes.len()),
                );
                Ok(None)
            }
            Some(_) => {
                row.report(JUDGE, "该评委已在网上保存了选票草稿，请由评委本人提交，不能再导入纸质选票");
                Ok(None)
            }
        }
    }
}
