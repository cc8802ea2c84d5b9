//! 评审进程: where the category stands on the path 征集 → … → 发布, the administrator's next
//! step, a reopen with its reason, who has handed in (never what), paper ballots keyed in,
//! the log of every move, and the category's rules and award tiers.

use egui::{Color32, RichText};

use super::{Confirm, ContestCommand, ContestData, Screen, Section, ask, hint, inline_field};
use crate::domain::contest::{Category, CategoryRules, RoundState, Tier};
use crate::store::contest::rounds::{BallotStatus, RoundKind, RoundProgress};
use crate::store::contest::workbooks::ReturnedWorkbook;
use crate::ui::strings as s;
use crate::ui::widgets::{WriteUi, error_ui, show_dialog};

const WORKBOOK_BALLOTS: &str = "电子选票";
const EXPORT_BALLOTS: &str = "导出选票";
const TAKE_BACK_BALLOTS: &str = "收回选票";
const BALLOT_RETURNS: &str = "电子选票收回情况";
const CONFIRM_ABSTENTIONS: &str = "确认弃权";
const TAKE_AS_ABSTENTIONS: &str = "作为弃权收回";
/// The most the summary of 收回选票 takes before it scrolls.
const RETURNS_HEIGHT: f32 = 480.0;
const RETURNED_BALLOTS: &str = "已收回的电子选票";
const SHOW_RECEIPT: &str = "回执";
const RECEIPT: &str = "电子选票回执";
const COPY_RECEIPT: &str = "复制";
const RECEIPT_COPIED: &str = "已复制，可粘贴到发给评委的消息中";

#[derive(Default)]
pub struct RoundsView {
    pub reopen: Option<ReopenDialog>,
    paper_judge: Option<i64>,
    paper_codes: String,
    /// The rules and tiers as typed, for the category they were typed for.
    settings: Option<SettingsForm>,
    /// The summary of the last 收回选票, shown in a dialog until closed.
    pub ballot_returns: Option<String>,
    /// The ballots of that summary refused only for having no mark: the dialog asks whether
    /// the judges abstained.
    pub unmarked: Vec<std::path::PathBuf>,
    /// The receipts of the ballots that summary took in, to send to each judge.
    pub ballot_receipts: Vec<String>,
    /// A returned ballot's receipt shown again from the list of returned ballots.
    receipt: Option<String>,
    /// The receipt last copied, said so beside its button.
    copied: Option<String>,
}

#[derive(Clone, Debug)]
pub struct ReopenDialog {
    category: Category,
    from: RoundState,
    to: Option<RoundState>,
    reason: String,
    pub error: Option<String>,
}

#[derive(Clone, Debug)]
struct SettingsForm {
    category: Category,
    rules: [String; 4],
    /// Per tier: quota and amount in yuan.
    tiers: Vec<(u8, String, String)>,
}

impl SettingsForm {
    fn new(category: Category, rules: CategoryRules, tiers: &[Tier]) -> Self {
        SettingsForm {
            category,
            rules: [rules.min_chars, rules.max_chars, rules.shortlist, rules.ballot_quota].map(|n| n.to_string()),
            tiers: tiers.iter().map(|t| (t.rank, t.quota.to_string(), t.amount_yuan.to_string())).collect(),
        }
    }

    fn parsed_rules(&self) -> Option<CategoryRules> {
        let [min, max, shortlist, quota] = &self.rules;
        Some(CategoryRules {
            min_chars: min.trim().parse().ok()?,
            max_chars: max.trim().parse().ok()?,
            shortlist: shortlist.trim().parse().ok()?,
            ballot_quota: quota.trim().parse().ok()?,
        })
    }

    fn parsed_tiers(&self) -> Option<Vec<Tier>> {
        self.tiers
            .iter()
            .map(|(rank, quota, amount)| {
                Some(Tier { rank: *rank, quota: quota.trim().parse().ok()?, amount_yuan: amount.trim().parse().ok()? })
            })
            .collect()
    }
}

impl RoundsView {
    /// Shows a returned ballot's receipt again, in its dialog.
    pub fn show_receipt(&mut self, text: String) {
        self.receipt = Some(text);
        self.copied = None;
    }

    /// Clears the paper ballot form once the store has the ballot.
    pub fn paper_recorded(&mut self) {
        self.paper_codes.clear();
        self.paper_judge = None;
    }

    /// Returns the screen to jump to when the next step is taken elsewhere.
    pub fn ui(&mut self, ui: &mut egui::Ui, screen: &mut Screen<'_>) -> Option<Section> {
        let category = screen.category;
        let state = screen.state;
        let can_run = screen.can_run;
        let data = screen.data;
        let commands = &mut *screen.commands;
        let confirm = &mut *screen.confirm;
        let mut jump = None;
        egui::ScrollArea::vertical().show(ui, |ui| {
            stepper_ui(ui, state);
            ui.add_space(6.0);
            jump = self.next_step_ui(ui, category, state, can_run, data, confirm);
            if let Some(progress) = &data.progress {
                ui.add_space(6.0);
                progress_ui(ui, progress);
                if can_run && state.is_voting() && progress.round.closed_at.is_none() {
                    self.paper_ballot_ui(ui, category, progress, confirm);
                    workbook_ballots_ui(ui, category, commands);
                }
            }
            if can_run && !data.returned.is_empty() {
                returned_ballots_ui(ui, &data.returned, commands);
            }
            ui.add_space(6.0);
            egui::CollapsingHeader::new(s::STATE_LOG).default_open(true).show(ui, |ui| log_ui(ui, data));
            egui::CollapsingHeader::new(s::RULES)
                .show(ui, |ui| self.settings_ui(ui, category, can_run, data, commands));
        });
        self.reopen_ui(ui.ctx(), commands);
        self.returns_ui(ui.ctx(), commands);
        self.receipt_dialog_ui(ui.ctx());
        jump
    }

    /// A returned ballot's receipt shown again, with 复制.
    fn receipt_dialog_ui(&mut self, ctx: &egui::Context) {
        let Some(text) = &self.receipt else { return };
        let copied = &mut self.copied;
        let (closed, escaped) = show_dialog(ctx, RECEIPT, |ui| {
            receipt_ui(ui, text, copied);
            ui.button(s::CLOSE).clicked()
        });
        if closed || escaped {
            self.receipt = None;
        }
    }

    /// The summary of the last 收回选票: 已收 / 应收, void, refused with reasons, still missing.
    fn returns_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<ContestCommand>) {
        let Some(summary) = &self.ballot_returns else { return };
        let (unmarked, receipts, copied) = (&self.unmarked, &self.ballot_receipts, &mut self.copied);
        let (closed, escaped) = show_dialog(ctx, BALLOT_RETURNS, |ui| {
            // Its height is the content's up to the limit, never the room the dialog had the
            // last time it was shown (a longer summary would take several frames to settle).
            let scrolled = egui::ScrollArea::vertical().max_height(RETURNS_HEIGHT).min_scrolled_height(RETURNS_HEIGHT);
            scrolled.show(ui, |ui| {
                for line in summary.lines() {
                    let text = RichText::new(line);
                    ui.label(if line.starts_with("拒收") || line.starts_with("作废") {
                        text.color(Color32::from_rgb(180, 30, 30))
                    } else {
                        text
                    });
                }
                if !receipts.is_empty() {
                    ui.separator();
                    ui.label(RichText::new("回执：请复制后发给各位评委，由评委核对计为同意的作品").strong());
                    for (i, receipt) in receipts.iter().enumerate() {
                        ui.push_id(i, |ui| receipt_ui(ui, receipt, copied));
                    }
                }
            });
            if !unmarked.is_empty() && abstentions_ui(ui, unmarked) {
                commands.push(ContestCommand::TakeBackAbstentions(unmarked.clone()));
                return true;
            }
            ui.button(s::CLOSE).clicked()
        });
        if closed || escaped {
            self.ballot_returns = None;
            self.unmarked.clear();
            self.ballot_receipts.clear();
        }
    }

    fn next_step_ui(
        &mut self,
        ui: &mut egui::Ui,
        category: Category,
        state: RoundState,
        can_run: bool,
        data: &ContestData,
        confirm: &mut Option<Confirm>,
    ) -> Option<Section> {
        let overview = data.overview_of(category);
        let active = overview.map_or(0, |o| o.active_works);
        let undecided = overview.map_or(0, |o| o.undecided_pairs);
        let handed_in = data.progress.as_ref().map_or((0, 0), |p| (p.handed_in(), p.judges.len()));
        let mut jump = None;
        ui.horizontal_wrapped(|ui| {
            let (text, elsewhere) = match state {
                RoundState::Collecting => (format!("作品征集中，有效作品 {active} 件。"), None),
                RoundState::Screening if undecided > 0 => {
                    (format!("还有 {undecided} 对疑似重复作品待处理，处理完才能开启初评。"), Some(Section::Screening))
                }
                RoundState::Screening => (format!("查重已处理完毕，有效作品 {active} 件，可以开启初评投票。"), None),
                RoundState::InitialOpen => {
                    (format!("初评投票进行中：已交 {} / {} 人。", handed_in.0, handed_in.1), None)
                }
                RoundState::InitialClosed | RoundState::RunOff => {
                    ("投票已结束：在“计票与入围”中查看计票、处理并列并确定入围名单。".to_string(), Some(Section::Tally))
                }
                RoundState::Shortlisted => ("入围名单已确定，可以开始终审评分。".to_string(), None),
                RoundState::FinalOpen => (format!("终审评分进行中：已交 {} / {} 人。", handed_in.0, handed_in.1), None),
                RoundState::FinalClosed => {
                    ("终审已结束：在“终审与奖项”中授奖，再到“公示”中开始公示。".to_string(), Some(Section::Final))
                }
                RoundState::Publicity => {
                    ("公示中：在“公示”中登记和处理异议，期满后发布。".to_string(), Some(Section::Publicity))
                }
                RoundState::Published => ("评选结果已发布，只能查看和导出。".to_string(), None),
            };
            ui.label(RichText::new(text).strong());
            if let Some(section) = elsewhere
                && ui.button(format!("去“{}”", section.label())).clicked()
            {
                jump = Some(section);
            }
            if !can_run {
                return;
            }
            if let Some((button, command, lines)) = forward_step(category, state, undecided, handed_in)
                && ui.write_button(button).clicked()
            {
                ask(confirm, button, lines, s::CONFIRM, command);
            }
            if !state.reopen_targets().is_empty() && ui.write_button(s::REOPEN).clicked() {
                self.reopen = Some(ReopenDialog {
                    category,
                    from: state,
                    to: state.reopen_targets().first().copied(),
                    reason: String::new(),
                    error: None,
                });
            }
        });
        jump
    }

    fn paper_ballot_ui(
        &mut self,
        ui: &mut egui::Ui,
        category: Category,
        progress: &RoundProgress,
        confirm: &mut Option<Confirm>,
    ) {
        let quota = progress.round.quota.unwrap_or(0);
        egui::CollapsingHeader::new(s::PAPER_BALLOT).show(ui, |ui| {
            hint(ui, "只能为尚未投票的评委录入；超过限选数的纸质选票整张作废，不会截取。录入后不能修改。");
            let waiting: Vec<_> = progress.judges.iter().filter(|j| j.status == BallotStatus::NotStarted).collect();
            egui::Grid::new("paper_ballot").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                let name = ui.label(s::PAPER_JUDGE);
                let chosen = waiting.iter().find(|j| Some(j.judge_id) == self.paper_judge);
                egui::ComboBox::from_id_salt("paper_judge")
                    .selected_text(chosen.map_or("请选择".to_string(), |j| format!("{}（{}）", j.name, j.unit_name)))
                    .width(300.0)
                    .show_ui(ui, |ui| {
                        for judge in &waiting {
                            let text = format!("{}（{}）", judge.name, judge.unit_name);
                            ui.selectable_value(&mut self.paper_judge, Some(judge.judge_id), text);
                        }
                    })
                    .response
                    .labelled_by(name.id);
                ui.end_row();
                let name = ui.label(s::PAPER_CODES);
                ui.add(
                    egui::TextEdit::multiline(&mut self.paper_codes)
                        .hint_text(s::PAPER_CODES_HINT)
                        .desired_rows(3)
                        .desired_width(420.0),
                )
                .labelled_by(name.id);
                ui.end_row();
            });
            let codes = split_codes(&self.paper_codes);
            let over = codes.len() > quota as usize;
            let count = format!(
                "共 {} 件（限选 {quota} 件）{}",
                codes.len(),
                if over { "，超过限选数，将整张记为废票" } else { "" }
            );
            let color = if over { ui.visuals().error_fg_color } else { ui.visuals().text_color() };
            ui.label(RichText::new(count).color(color));
            let ready = chosen_judge(&waiting, self.paper_judge).is_some();
            if ui.add_write(ready, egui::Button::new(s::PAPER_BALLOT)).clicked()
                && let Some(judge) = chosen_judge(&waiting, self.paper_judge)
            {
                let mut lines = vec![format!("评委：{}（{}）", judge.name, judge.unit_name)];
                lines.push(format!("所选作品 {} 件：{}", codes.len(), codes.join("、")));
                if over {
                    lines.push("超过限选数：这张选票将整张记为废票。".to_string());
                }
                lines.push("录入后不能修改。".to_string());
                let command = ContestCommand::PaperBallot { category, judge: judge.judge_id, codes };
                ask(confirm, s::PAPER_BALLOT, lines, s::CONFIRM, command);
            }
        });
    }

    fn settings_ui(
        &mut self,
        ui: &mut egui::Ui,
        category: Category,
        can_run: bool,
        data: &ContestData,
        commands: &mut Vec<ContestCommand>,
    ) {
        let Some(rules) = data.overview_of(category).map(|o| o.rules) else { return };
        if self.settings.as_ref().is_none_or(|f| f.category != category) {
            self.settings = Some(SettingsForm::new(category, rules, &data.tiers));
        }
        let Some(form) = &mut self.settings else { return };
        hint(ui, "字数限制在征集阶段可改；入围名额和每票限选在开启初评前可改。");
        ui.add_enabled_ui(can_run, |ui| {
            egui::Grid::new("contest_rules").num_columns(2).spacing([12.0, 6.0]).show(ui, |ui| {
                let labels = [s::MIN_CHARS, s::MAX_CHARS, s::SHORTLIST_SIZE, s::BALLOT_QUOTA];
                for (label, text) in labels.into_iter().zip(&mut form.rules) {
                    let name = ui.label(label);
                    ui.add(egui::TextEdit::singleline(text).desired_width(80.0)).labelled_by(name.id);
                    ui.end_row();
                }
            });
        });
        if can_run && ui.write_button(s::SAVE_RULES).clicked() {
            match form.parsed_rules() {
                Some(rules) => commands.push(ContestCommand::SetRules { category, rules }),
                None => {
                    form.rules =
                        [rules.min_chars, rules.max_chars, rules.shortlist, rules.ballot_quota].map(|n| n.to_string())
                }
            }
        }
        ui.add_space(6.0);
        ui.add_enabled_ui(can_run, |ui| {
            for (rank, quota, amount) in &mut form.tiers {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(crate::domain::contest::tier_name(*rank)).strong());
                    inline_field(ui, "名额", quota, 60.0);
                    inline_field(ui, "奖金（元）", amount, 80.0);
                });
            }
        });
        if can_run && ui.write_button(s::SAVE_TIERS).clicked() {
            match form.parsed_tiers() {
                Some(tiers) => commands.push(ContestCommand::SetTiers { category, tiers }),
                None => self.settings = None,
            }
        }
    }

    fn reopen_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<ContestCommand>) {
        let Some(dialog) = &mut self.reopen else { return };
        let mut close = false;
        let (_, escaped) = show_dialog(ctx, s::REOPEN_TITLE, |ui| {
            ui.label("退回会记入阶段记录和操作日志；已提交的选票和评分不会改变。");
            egui::Grid::new("reopen_form").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                let name = ui.label(s::REOPEN_TO);
                let targets = dialog.from.reopen_targets();
                egui::ComboBox::from_id_salt("reopen_to")
                    .selected_text(dialog.to.map_or("请选择", RoundState::label))
                    .show_ui(ui, |ui| {
                        for target in targets {
                            ui.selectable_value(&mut dialog.to, Some(target), target.label());
                        }
                    })
                    .response
                    .labelled_by(name.id);
                ui.end_row();
                let name = ui.label(s::REOPEN_REASON);
                ui.add(egui::TextEdit::multiline(&mut dialog.reason).desired_rows(3).desired_width(320.0))
                    .labelled_by(name.id);
                ui.end_row();
            });
            error_ui(ui, dialog.error.as_deref());
            ui.horizontal(|ui| {
                if ui.write_button(s::CONFIRM_REOPEN).clicked() {
                    match dialog.to {
                        Some(to) => commands.push(ContestCommand::Reopen {
                            category: dialog.category,
                            to,
                            reason: dialog.reason.clone(),
                        }),
                        None => dialog.error = Some("请选择退回到哪个阶段".to_string()),
                    }
                }
                close = ui.button(s::CANCEL).clicked();
            });
        });
        if close || escaped {
            self.reopen = None;
        }
    }
}

/// The button, the command and the confirmation text of the forward move taken on this
/// screen (the others are taken where their decisions are made).
fn forward_step(
    category: Category,
    state: RoundState,
    undecided: i64,
    (handed_in, judges): (usize, usize),
) -> Option<(&'static str, ContestCommand, Vec<String>)> {
    let advance = |to| ContestCommand::Advance { category, to };
    Some(match state {
        RoundState::Collecting => (
            s::START_SCREENING,
            advance(RoundState::Screening),
            vec!["查重开始后作品不能再录入、修改（可退回征集阶段）。".to_string()],
        ),
        RoundState::Screening if undecided == 0 => (
            s::OPEN_INITIAL,
            advance(RoundState::InitialOpen),
            vec![
                "现在登记的初评评委参加本轮投票，评委登录后即可投票。".to_string(),
                "投票期间任何人都看不到得票情况。".to_string(),
            ],
        ),
        RoundState::InitialOpen => (
            s::CLOSE_INITIAL,
            advance(RoundState::InitialClosed),
            vec![
                format!("已交选票 {handed_in} / {judges} 人；未提交的草稿不计票。"),
                "结束后才能查看计票结果；如需让评委补投，可退回重开。".to_string(),
            ],
        ),
        RoundState::Shortlisted => (
            s::OPEN_FINAL,
            advance(RoundState::FinalOpen),
            vec!["现在登记的终审专家参加评分，专家只看到作品编号和内容。".to_string()],
        ),
        RoundState::FinalOpen => (
            s::CLOSE_FINAL,
            advance(RoundState::FinalClosed),
            vec![
                format!("已交评分 {handed_in} / {judges} 人；未提交的评分不计入。"),
                "结束后按平均分排名，并显示作者和单位。".to_string(),
            ],
        ),
        _ => return None,
    })
}

fn chosen_judge<'a>(
    waiting: &[&'a crate::store::contest::rounds::JudgeProgress],
    chosen: Option<i64>,
) -> Option<&'a crate::store::contest::rounds::JudgeProgress> {
    waiting.iter().copied().find(|j| Some(j.judge_id) == chosen)
}

/// Work codes typed or pasted: split on spaces, commas, 、 and line breaks.
pub fn split_codes(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
        .filter(|code| !code.is_empty())
        .map(|code| code.to_uppercase())
        .collect()
}

/// The ten states in a line: those passed plain, the current one marked, those ahead greyed.
fn stepper_ui(ui: &mut egui::Ui, state: RoundState) {
    ui.horizontal_wrapped(|ui| {
        for (i, step) in RoundState::ALL.into_iter().enumerate() {
            if i > 0 {
                ui.label(RichText::new("→").weak());
            }
            let text = RichText::new(step.label());
            let text = match step.cmp(&state) {
                std::cmp::Ordering::Less => text.color(Color32::from_rgb(46, 125, 50)),
                std::cmp::Ordering::Equal => text.strong().background_color(Color32::from_rgb(255, 236, 150)),
                std::cmp::Ordering::Greater => text.weak(),
            };
            ui.label(text);
        }
    });
}

/// Who has handed in: status per judge and the number handed in, nothing of what they chose.
pub fn progress_ui(ui: &mut egui::Ui, progress: &RoundProgress) {
    let round = &progress.round;
    let when = match &round.closed_at {
        Some(at) => format!("已于 {at} 结束"),
        None => format!("{} 开始，进行中", round.opened_at),
    };
    let what = if round.kind == RoundKind::Final { "交评分" } else { "交选票" };
    ui.label(
        RichText::new(format!(
            "{}：{when}；已{what} {} / {} 人",
            round.name(),
            progress.handed_in(),
            progress.judges.len()
        ))
        .strong(),
    );
    // The final round is scored by experts, not voted on by judges.
    let (who, not_started) =
        if round.kind == RoundKind::Final { ("专家", "未评分") } else { ("评委", "未投") };
    // Three judges a line: forty fit on a screen.
    const PER_LINE: usize = 3;
    egui::Grid::new("round_progress").striped(true).num_columns(3 * PER_LINE).spacing([14.0, 4.0]).show(ui, |ui| {
        for _ in 0..PER_LINE {
            ui.strong(who);
            ui.strong("单位");
            ui.strong("状态");
        }
        ui.end_row();
        for line in progress.judges.chunks(PER_LINE) {
            for judge in line {
                ui.label(&judge.name);
                ui.label(&judge.unit_name);
                let label = match judge.status {
                    BallotStatus::NotStarted => not_started,
                    status => status.label(),
                };
                let status = RichText::new(label);
                ui.label(if judge.status.is_final() { status.color(Color32::from_rgb(46, 125, 50)) } else { status });
            }
            ui.end_row();
        }
    });
}

/// 电子选票: judges vote from their own desks on sealed workbooks, taken back here.
fn workbook_ballots_ui(ui: &mut egui::Ui, category: Category, commands: &mut Vec<ContestCommand>) {
    egui::CollapsingHeader::new(WORKBOOK_BALLOTS).show(ui, |ui| {
        hint(ui, "为尚未投票的每位评委生成一份加封签的选票工作簿（保存时所起的名字即存放选票的文件夹）；评委填好交回后，选择其中任一文件，收回该文件夹中的全部选票。");
        ui.horizontal(|ui| {
            if ui.write_button(EXPORT_BALLOTS).clicked() {
                commands.push(ContestCommand::ExportBallots(category));
            }
            if ui.write_button(TAKE_BACK_BALLOTS).clicked() {
                commands.push(ContestCommand::TakeBackBallots);
            }
        });
    });
}

/// The round's returned ballot workbooks: who and when, each with its receipt to show again.
fn returned_ballots_ui(ui: &mut egui::Ui, returned: &[ReturnedWorkbook], commands: &mut Vec<ContestCommand>) {
    let title = format!("{RETURNED_BALLOTS}（{} 份）", returned.len());
    egui::CollapsingHeader::new(title).id_salt(RETURNED_BALLOTS).show(ui, |ui| {
        hint(ui, "每份收回的电子选票都有回执（计为同意的作品编号、文件的 SHA-256），可再次查看并复制发给评委核对；查看记入操作日志。");
        egui::Grid::new("returned_ballots").striped(true).num_columns(4).spacing([14.0, 4.0]).show(ui, |ui| {
            for title in ["评委", "收回时间", "文件", ""] {
                ui.strong(title);
            }
            ui.end_row();
            for ballot in returned {
                ui.label(&ballot.judge_name);
                ui.label(&ballot.received_at);
                ui.label(crate::store::contest::workbooks::quoted(&ballot.file_name));
                if !ballot.has_receipt {
                    hint(ui, "收回时尚无回执");
                } else if ui.button(SHOW_RECEIPT).clicked() {
                    commands.push(ContestCommand::ShowReceipt(ballot.ballot_id));
                }
                ui.end_row();
            }
        });
    });
}

/// A receipt line by line, and 复制 to paste it into a message to the judge.
fn receipt_ui(ui: &mut egui::Ui, text: &str, copied: &mut Option<String>) {
    egui::Frame::group(ui.style()).inner_margin(8.0).show(ui, |ui| {
        for line in text.lines() {
            ui.label(line);
        }
        ui.horizontal(|ui| {
            if ui.button(COPY_RECEIPT).clicked() {
                ui.ctx().copy_text(text.to_string());
                *copied = Some(text.to_string());
            }
            if copied.as_deref() == Some(text) {
                hint(ui, RECEIPT_COPIED);
            }
        });
    });
}

fn log_ui(ui: &mut egui::Ui, data: &ContestData) {
    if data.log.is_empty() {
        hint(ui, "还没有阶段变更。");
        return;
    }
    // The stage moves and, between them, each run-off opened and closed (a run-off moves no
    // stage but decides places).
    let mut rows: Vec<[String; 5]> = data
        .log
        .iter()
        .map(|change| {
            [
                change.at.clone(),
                format!("{} → {}", change.from.label(), change.to.label()),
                change.kind.label().to_string(),
                change.reason.clone(),
                change.actor.clone(),
            ]
        })
        .collect();
    for round in data.rounds.iter().filter(|r| r.kind == RoundKind::RunOff) {
        let places = round.places.unwrap_or(0);
        rows.push([
            round.opened_at.clone(),
            format!("{}开始（{places} 个名额）", round.name()),
            "决选".into(),
            String::new(),
            String::new(),
        ]);
        if let Some(at) = &round.closed_at {
            rows.push([at.clone(), format!("{}结束", round.name()), "决选".into(), String::new(), String::new()]);
        }
    }
    rows.sort_by(|a, b| a[0].cmp(&b[0]));
    egui::Grid::new("state_log").striped(true).num_columns(5).spacing([16.0, 4.0]).show(ui, |ui| {
        for title in ["时间", "变更", "类型", "理由", "操作人"] {
            ui.strong(title);
        }
        ui.end_row();
        for row in &rows {
            for cell in row {
                ui.label(cell);
            }
            ui.end_row();
        }
    });
}

/// Asks whether the judges of the ballots with no mark abstained, naming the files; true when
/// the clerk confirms.
fn abstentions_ui(ui: &mut egui::Ui, unmarked: &[std::path::PathBuf]) -> bool {
    ui.separator();
    ui.label(RichText::new(CONFIRM_ABSTENTIONS).strong());
    ui.label(format!("以下 {} 份电子选票未选任何作品：", unmarked.len()));
    for path in unmarked {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        ui.label(format!("　{}", crate::store::contest::workbooks::quoted(&name)));
    }
    ui.label("请先向评委核实。确为弃权的，可作为弃权收回（一张空票，不计任何作品）；");
    ui.label("与导出时完全相同、未经评委填写保存的文件不会收回。");
    ui.write_button(TAKE_AS_ABSTENTIONS).clicked()
}
