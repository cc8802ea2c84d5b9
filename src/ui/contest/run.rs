//! Carrying out the contest screens' commands with the store's service functions, as the
//! acting account. A refusal in a form or dialog is shown there; the rest in the status bar.

use chrono::NaiveDate;

use super::{ContestCommand, ContestTab, export};
use crate::domain::contest::awards::Refill;
use crate::domain::contest::{Category, RoundState, tier_name};
use crate::domain::format_date;
use crate::error::{Error, Result};
use crate::io::ballot_workbook::ReturnSummary;
use crate::store::Store;
use crate::ui::dialogs::FileDialogs;

/// Keeps a refusal in the form that caused it (`None`: nothing for the status bar), or
/// closes the form and reports success.
fn in_form<T>(
    slot: &mut Option<T>,
    error: impl FnOnce(&mut T) -> &mut Option<String>,
    outcome: Result<String>,
) -> Option<Result<String>> {
    match outcome {
        Ok(message) => {
            *slot = None;
            Some(Ok(message))
        }
        Err(err) => {
            if let Some(form) = slot {
                *error(form) = Some(err.to_string());
            }
            None
        }
    }
}

impl ContestTab {
    /// Carries out `command`. `None` when its outcome is already shown where it was asked.
    pub(super) fn run(
        &mut self,
        store: &mut Store,
        dialogs: &dyn FileDialogs,
        command: ContestCommand,
        today: NaiveDate,
    ) -> Option<Result<String>> {
        match command {
            ContestCommand::SubmitBallot { category, works } => {
                let submitted = store.submit_ballot_with(category, &works);
                Some(submitted.map(|()| format!("选票已提交：共选 {} 件，不能再修改", works.len())))
            }
            ContestCommand::SaveScores { category, scores, submit } => {
                let saved = store.save_score_sheet(category, &scores, submit);
                Some(saved.map(|sheet| match submit {
                    true => "评分已提交，不能再修改".to_string(),
                    false => format!("评分已保存：已评 {} / {} 件", sheet.scored, sheet.works.len()),
                }))
            }
            command => self.run_on(store, dialogs, command, today),
        }
    }

    fn run_on(
        &mut self,
        store: &Store,
        dialogs: &dyn FileDialogs,
        command: ContestCommand,
        today: NaiveDate,
    ) -> Option<Result<String>> {
        Some(match command {
            // The app opens its import dialog; the other two are run above.
            ContestCommand::Import | ContestCommand::SubmitBallot { .. } | ContestCommand::SaveScores { .. } => {
                return None;
            }
            ContestCommand::SaveWork { id, work } => {
                let saved = match id {
                    Some(id) => store.update_work(id, &work).map(|()| "作品已修改".to_string()),
                    None => store.add_work(&work).map(|(_, code)| format!("已录入作品 {code}")),
                };
                return in_form(&mut self.works.form, |f| &mut f.error, saved);
            }
            ContestCommand::Withdraw { id, reason } => {
                let done = store.withdraw_work(id, &reason).map(|()| "作品已撤回".to_string());
                return in_form(&mut self.works.withdraw, |d| &mut d.error, done);
            }
            ContestCommand::DecidePair { pair, decision, kept, note } => {
                store.decide_pair(pair, decision, kept, &note).map(|()| format!("已处理：{}", decision.label()))
            }
            ContestCommand::AddJudge(judge) => {
                let added =
                    store.add_judge(&judge).map(|_| format!("已登记{} {}", judge.role.label(), judge.name.trim()));
                return in_form(&mut self.judges.form, |f| &mut f.error, added);
            }
            ContestCommand::IssueSlips(ids) => store.issue_login_slips(&ids).map(|slips| {
                let message = format!("已生成 {} 张登录单：请打印或复制后当面交给评委本人", slips.len());
                self.judges.slips_issued(slips);
                message
            }),
            ContestCommand::ExportSlips => export::export_slips(store, dialogs, self.judges.slips()),
            ContestCommand::Advance { category, to } => advance(store, category, to, today),
            ContestCommand::Reopen { category, to, reason } => {
                let done = store
                    .reopen_round(category, to, &reason)
                    .map(|()| format!("{}已退回到{}阶段（已记录理由）", category.label(), to.label()));
                return in_form(&mut self.rounds.reopen, |d| &mut d.error, done);
            }
            ContestCommand::PaperBallot { category, judge, codes } => {
                store.record_paper_ballot(category, judge, &codes).map(|paper| {
                    self.rounds.paper_recorded();
                    match paper.void {
                        true => format!("纸质选票已录入：选了 {} 件，超过限选数，整张作废", paper.votes),
                        false => format!("纸质选票已录入：{} 票", paper.votes),
                    }
                })
            }
            ContestCommand::SaveDraft { category, works } => store
                .save_draft(category, &works)
                .map(|view| format!("草稿已保存：已选 {} 件，还可选 {} 件", view.ticked, view.left)),
            ContestCommand::StartRunoff(category) => {
                store.start_runoff(category).map(|round| format!("{}已开始，评委登录后即可投票", round.name()))
            }
            ContestCommand::CloseRunoff(category) => store.close_runoff(category).and_then(|round| {
                let returns = store.round_returns(round.id)?;
                let mut message = format!(
                    "{}已结束：交回选票 {} / {} 张，可查看计票",
                    round.name(),
                    returns.received,
                    returns.expected
                );
                // A run-off decided by a handful of ballots is worth a second look.
                if returns.received * 2 < returns.expected {
                    message.push_str("。注意：交回不足半数，名额由少数选票决定");
                }
                Ok(message)
            }),
            ContestCommand::AdmitTieBand { category, reason } => {
                let done =
                    store.admit_tie_band(category, &reason).map(|()| "并列作品已全部入围（已记录理由）".to_string());
                return in_form(&mut self.tally.admit, |d| &mut d.error, done);
            }
            ContestCommand::ConfirmShortlist(category) => store
                .confirm_shortlist(category)
                .map(|list| format!("{}入围名单已确定：{} 件", category.label(), list.len())),
            ContestCommand::SetAwards { category, awards, reason } => {
                // Works level on mean score parted: the store wants a reason, asked first. Once
                // the dialog is open an empty reason goes to the store, whose refusal it shows.
                if reason.trim().is_empty() && self.final_round.tie_reason.is_none() {
                    match store.level_works_parted(category, &awards) {
                        Ok(parted) if !parted.is_empty() => {
                            self.final_round.ask_tie_reason(category, awards, parted);
                            return None;
                        }
                        Ok(_) => {}
                        Err(err) => return Some(Err(err)),
                    }
                }
                let saved = store
                    .set_awards(category, &awards, &reason)
                    .map(|()| format!("奖项已保存：{} 件作品获奖", awards.len()));
                return match &mut self.final_round.tie_reason {
                    Some(_) => in_form(&mut self.final_round.tie_reason, |d| &mut d.error, saved),
                    None => Some(saved),
                };
            }
            ContestCommand::SetRules { category, rules } => {
                store.set_rules(category, &rules).map(|()| format!("{}的规则已保存", category.label()))
            }
            ContestCommand::SetTiers { category, tiers } => {
                store.set_tiers(category, &tiers).map(|()| format!("{}的奖项设置已保存", category.label()))
            }
            ContestCommand::StartPublicity { category, starts_on, working_days } => store
                .start_publicity(category, starts_on, working_days, today)
                .map(|p| format!("公示已开始：{} 至 {}", format_date(p.starts_on), format_date(p.ends_on))),
            ContestCommand::RegisterObjection(objection) => {
                let done = store.register_objection(&objection).map(|_| "异议已登记".to_string());
                return in_form(&mut self.publicity.objection, |f| &mut f.error, done);
            }
            ContestCommand::RuleObjection { id, ruling, text, ruled_on } => {
                let done = store.rule_objection(id, ruling, &text, ruled_on).map(|refill| match refill {
                    None => format!("异议已处理：{}", ruling.label()),
                    Some(refill) => refill_message(&refill),
                });
                return in_form(&mut self.publicity.ruling, |d| &mut d.error, done);
            }
            ContestCommand::ExportRecord(category) => export::export_record(store, dialogs, category, today),
            ContestCommand::ExportBallots(category) => export::export_ballots(store, dialogs, category),
            ContestCommand::TakeBackBallots => export::take_back_ballots(store, dialogs).map(|summary| match summary {
                Some(summary) => self.show_returns(&summary),
                None => crate::ui::strings::CANCELLED.to_string(),
            }),
            ContestCommand::TakeBackAbstentions(files) => {
                export::take_back_confirmed(store, &files).map(|summary| self.show_returns(&summary))
            }
            ContestCommand::ShowReceipt(ballot) => store.ballot_receipt(ballot).map(|text| {
                self.rounds.show_receipt(text);
                "已显示电子选票回执（已记入操作日志）".to_string()
            }),
        })
    }
}

impl ContestTab {
    /// The summary in its dialog, with the ballots that had no mark for the clerk to confirm
    /// as abstentions; its first line for the status bar.
    fn show_returns(&mut self, summary: &ReturnSummary) -> String {
        let text = summary.to_string();
        let first = text.lines().next().unwrap_or_default().to_string();
        self.rounds.ballot_returns = Some(text);
        self.rounds.unmarked = summary.unmarked.clone();
        self.rounds.ballot_receipts = summary.taken.iter().map(|t| t.receipt.to_string()).collect();
        format!("电子选票已收回：{first}")
    }
}

/// What a disqualification did to the awards below it.
fn refill_message(refill: &Refill) -> String {
    let moved = format!("已取消获奖资格，{} 件作品依次递补", refill.moves.len());
    match refill.vacant {
        Some(tier) if !refill.tied.is_empty() => format!(
            "{moved}；其后 {} 件作品平均分相同，{}空出的名额须退回“终审结束”阶段后决定",
            refill.tied.len(),
            tier_name(tier)
        ),
        Some(tier) => format!("{moved}；没有可递补的作品，{}空缺一个名额", tier_name(tier)),
        None => moved,
    }
}

/// The forward moves that need nothing but the click.
fn advance(store: &Store, category: Category, to: RoundState, today: NaiveDate) -> Result<String> {
    let name = category.label();
    match to {
        RoundState::Screening => store.start_screening(category).map(|found| {
            format!("{name}已进入查重：发现疑似重复 {} 对，待处理 {} 对", found.flagged, found.undecided.len())
        }),
        RoundState::InitialOpen => store.open_initial(category).map(|_| format!("{name}初评投票已开启")),
        RoundState::InitialClosed => store.close_initial(category).map(|_| format!("{name}初评投票已结束，可查看计票")),
        RoundState::FinalOpen => store.open_final(category).map(|_| format!("{name}终审评分已开始")),
        RoundState::FinalClosed => store.close_final(category).map(|_| format!("{name}终审评分已结束，可以授奖")),
        RoundState::Published => store.publish_results(category, today).map(|()| format!("{name}评选结果已发布")),
        other => Err(Error::rejected(format!("{}阶段须在相应页面中进入", other.label()))),
    }
}
