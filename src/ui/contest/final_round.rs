//! 终审: an expert's blind score sheet (code and text, 0–100, saved, then submitted once);
//! for the organisers, the shortlist going in, who has handed in, and once the round is
//! closed the ranking by mean score with authors revealed and the awards by tier within quotas.

use std::collections::HashMap;

use egui::text_selection::CCursorRange;
use egui::{Color32, Key, Modifiers, RichText};
use egui_extras::{Column, TableBuilder};

use super::rounds::progress_ui;
use super::{Confirm, ContestCommand, ContestData, Screen, ask, excerpt, export_button, hint};
use crate::domain::contest::awards::Award;
use crate::domain::contest::{Category, RoundState, tier_name};
use crate::store::contest::final_round::{MAX_SCORE, RankedEntry, ScoreItem, ScoreSheet};
use crate::store::contest::rounds::RoundKind;
use crate::ui::strings as s;
use crate::ui::widgets::{WriteUi, error_ui, show_dialog, write_refusal};

#[derive(Default)]
pub struct FinalView {
    /// The expert's scores as typed, by work. Each valid one is saved as a draft the moment
    /// it is typed, so nothing is lost when the desk changes hands.
    scores: HashMap<i64, String>,
    scores_for: Option<Category>,
    /// The row Tab or Enter moved to, held until the list has scrolled it into view and it
    /// has the keyboard (rows off screen are not drawn, so egui's own Tab wraps to the top).
    focus_row: Option<usize>,
    reading: Option<i64>,
    /// The awards as the administrator is setting them.
    awards: Option<AwardEdit>,
    /// Awards that part works level on mean score, waiting for the reason.
    pub tie_reason: Option<TieReason>,
    pub error: Option<String>,
}

/// The awards being set, and the awards the store held when the editing began: when the
/// store's change (a save, a disqualification), the editing starts again from them.
struct AwardEdit {
    category: Category,
    stored: HashMap<i64, u8>,
    edited: HashMap<i64, u8>,
}

/// A tier tie decided by the administrator: the awards, the level works they part, the
/// reason as typed.
pub struct TieReason {
    category: Category,
    awards: Vec<Award>,
    parted: Vec<String>,
    reason: String,
    pub error: Option<String>,
}

fn stored_awards(data: &ContestData) -> HashMap<i64, u8> {
    data.ranking.iter().filter_map(|r| Some((r.work_id, r.award?))).collect()
}

impl FinalView {
    /// Asks why works level on mean score get different awards before saving them.
    pub fn ask_tie_reason(&mut self, category: Category, awards: Vec<Award>, parted: Vec<String>) {
        self.tie_reason = Some(TieReason { category, awards, parted, reason: String::new(), error: None });
    }

    fn tie_reason_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<ContestCommand>) {
        let Some(dialog) = &mut self.tie_reason else { return };
        let mut close = false;
        let (_, escaped) = show_dialog(ctx, s::SAVE_AWARDS, |ui| {
            ui.label(format!("平均分相同的作品 {} 获奖等次不同。", dialog.parted.join("、")));
            let name = ui.label(s::TIE_REASON);
            ui.add(egui::TextEdit::multiline(&mut dialog.reason).desired_rows(3).desired_width(420.0))
                .labelled_by(name.id);
            error_ui(ui, dialog.error.as_deref());
            ui.horizontal(|ui| {
                if ui.write_button(s::CONFIRM_SAVE_AWARDS).clicked() {
                    commands.push(ContestCommand::SetAwards {
                        category: dialog.category,
                        awards: dialog.awards.clone(),
                        reason: dialog.reason.clone(),
                    });
                }
                close = ui.button(s::CANCEL).clicked();
            });
        });
        if close || escaped {
            self.tie_reason = None;
        }
    }

    pub fn scoring_ui(&mut self, ui: &mut egui::Ui, screen: &mut Screen<'_>) {
        let category = screen.category;
        let data = screen.data;
        let commands = &mut *screen.commands;
        let confirm = &mut *screen.confirm;
        let Some(sheet) = &data.sheet else {
            hint(ui, data.note.as_deref().unwrap_or("目前没有进行中的终审评分。"));
            return;
        };
        if self.scores_for != Some(category) {
            self.scores = sheet.works.iter().filter_map(|w| Some((w.work_id, w.score?.to_string()))).collect();
            self.scores_for = Some(category);
        }
        // Scores are typed only to be saved: closed while the window may not write.
        let open = sheet.submitted_at.is_none() && write_refusal(ui.ctx()).is_none();
        ui.heading(format!("{} 终审评分", category.label()));
        ui.label(RichText::new(format!("已评 {} / {} 件", sheet.scored, sheet.works.len())).strong());
        match &sheet.submitted_at {
            Some(at) => {
                ui.label(RichText::new(format!("您的评分已于 {at} 提交，不能再修改。")).strong());
            }
            None => {
                hint(
                    ui,
                    &format!("每件作品打 0–{MAX_SCORE} 的整数分；保存后可修改，全部评完才能提交，提交后不能修改。"),
                );
                ui.horizontal(|ui| {
                    if ui.write_button(s::SAVE_SCORES).clicked() {
                        self.push_scores(category, sheet, false, commands, confirm);
                    }
                    // Offered once every work has a saved score (the store refuses less anyway).
                    let complete = sheet.scored as usize == sheet.works.len();
                    let submit = ui.add_write(complete, egui::Button::new(RichText::new(s::SUBMIT_SCORES).strong()));
                    if submit.clicked() {
                        self.push_scores(category, sheet, true, commands, confirm);
                    }
                    if !complete {
                        let missing = sheet.works.len() - sheet.scored as usize;
                        hint(ui, &format!("还有 {missing} 件未评分，全部评完才能提交。"));
                    }
                });
            }
        }
        crate::ui::widgets::error_ui(ui, self.error.as_deref());
        let problems: Vec<String> =
            sheet.works.iter().filter_map(|w| score_problem(w, self.typed(w.work_id))).collect();
        if open && !problems.is_empty() {
            crate::ui::widgets::error_ui(ui, Some(&problems.join("；")));
        }
        if let Some(work) = self.reading.and_then(|id| sheet.works.iter().find(|w| w.work_id == id)) {
            let mut keep = true;
            egui::Panel::right("score_reader").resizable(true).default_size(460.0).show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.heading(&work.code);
                    keep = !ui.button("关闭").clicked();
                });
                ui.label(RichText::new(&work.title).strong());
                egui::ScrollArea::vertical().show(ui, |ui| {
                    ui.add(egui::Label::new(RichText::new(&work.content).size(17.0)).wrap());
                });
            });
            if !keep {
                self.reading = None;
            }
        }
        egui::CentralPanel::default().show(ui, |ui| self.sheet_table_ui(ui, sheet, open, commands));
    }

    fn typed(&self, work: i64) -> &str {
        self.scores.get(&work).map_or("", |t| t.trim())
    }

    fn sheet_table_ui(
        &mut self,
        ui: &mut egui::Ui,
        sheet: &ScoreSheet,
        open: bool,
        commands: &mut Vec<ContestCommand>,
    ) {
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 10.0;
        self.move_focus_on_keys(ui, sheet);
        if let Some(row) = self.focus_row {
            ui.memory_mut(|m| m.request_focus(score_field_id(sheet.works[row].work_id)));
        }
        let mut table = TableBuilder::new(ui);
        if let Some(row) = self.focus_row {
            table = table.scroll_to_row(row, None);
        }
        table
            .id_salt("score_sheet")
            .striped(true)
            .column(Column::auto().at_least(70.0))
            .column(Column::auto().at_least(90.0))
            .column(Column::initial(160.0).clip(true))
            .column(Column::remainder().clip(true))
            .header(row_height, |mut header| {
                for title in [s::WORK_CODE, "评分", s::WORK_TITLE, s::WORK_CONTENT] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, sheet.works.len(), |mut row| {
                    let row_index = row.index();
                    let work = &sheet.works[row_index];
                    let mut code = None;
                    row.col(|ui| {
                        code = Some(ui.label(&work.code).id);
                    });
                    row.col(|ui| {
                        let text = self.scores.entry(work.work_id).or_default();
                        let id = score_field_id(work.work_id);
                        let edit = egui::TextEdit::singleline(text).id(id).desired_width(60.0);
                        let field = ui.add_enabled(open, edit);
                        // Entered by key or click, the score is selected: typing replaces it.
                        if field.gained_focus()
                            && let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), id)
                        {
                            state.cursor.set_char_range(Some(CCursorRange::select_all_str(text)));
                            state.store(ui.ctx(), id);
                        }
                        if field.has_focus() && self.focus_row == Some(row_index) {
                            self.focus_row = None;
                        }
                        if field.changed()
                            && let Some(score) = valid_score(text)
                            && work.score != Some(score)
                        {
                            commands.push(ContestCommand::SaveScores {
                                category: sheet.category,
                                scores: vec![(work.work_id, score)],
                                submit: false,
                            });
                        }
                        // Framed so it shows on a white row; red while it holds what cannot be saved.
                        let problem = score_problem(work, text);
                        let visuals = ui.visuals();
                        let stroke = match problem {
                            Some(_) => egui::Stroke::new(1.5, visuals.error_fg_color),
                            None => visuals.widgets.inactive.fg_stroke,
                        };
                        ui.painter().rect_stroke(field.rect, 2.0, stroke, egui::StrokeKind::Inside);
                        let field = match problem {
                            Some(problem) => field.on_hover_text(problem),
                            None => field,
                        };
                        if let Some(code) = code {
                            field.labelled_by(code);
                        }
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(&work.title).truncate());
                    });
                    row.col(|ui| {
                        if sheet.category == Category::Motto {
                            ui.add(egui::Label::new(&work.content).truncate()).on_hover_text(&work.content);
                            return;
                        }
                        ui.horizontal(|ui| {
                            if ui.small_button("阅读全文").clicked() {
                                self.reading = Some(work.work_id);
                            }
                            ui.add(egui::Label::new(excerpt(&work.content, 60)).truncate());
                        });
                    });
                });
            });
    }

    /// Tab and Enter go to the next work's score, Shift+Tab to the one before, down the whole
    /// list rather than the rows on screen.
    fn move_focus_on_keys(&mut self, ui: &mut egui::Ui, sheet: &ScoreSheet) {
        let focused = ui.memory(|m| m.focused());
        let Some(row) = focused.and_then(|id| sheet.works.iter().position(|w| score_field_id(w.work_id) == id)) else {
            return;
        };
        let step = ui.input_mut(|i| {
            if i.consume_key(Modifiers::SHIFT, Key::Tab) {
                Some(-1)
            } else if i.consume_key(Modifiers::NONE, Key::Tab) || i.consume_key(Modifiers::NONE, Key::Enter) {
                Some(1)
            } else {
                None
            }
        });
        if let Some(step) = step {
            // egui's own move was decided from the same key at the start of the frame.
            ui.memory_mut(|m| m.move_focus(egui::FocusDirection::None));
            self.focus_row = Some(row.saturating_add_signed(step).min(sheet.works.len() - 1));
        }
    }

    /// Parses the typed scores; a wrong one is named and nothing is sent.
    fn push_scores(
        &mut self,
        category: Category,
        sheet: &ScoreSheet,
        submit: bool,
        commands: &mut Vec<ContestCommand>,
        confirm: &mut Option<Confirm>,
    ) {
        // The fields that cannot be saved are marked and named above the list.
        if sheet.works.iter().any(|w| score_problem(w, self.typed(w.work_id)).is_some()) {
            return;
        }
        let scores: Vec<(i64, u8)> =
            sheet.works.iter().filter_map(|w| Some((w.work_id, valid_score(self.typed(w.work_id))?))).collect();
        self.error = None;
        let missing = sheet.works.len() - scores.len();
        let command = ContestCommand::SaveScores { category, scores, submit };
        if !submit {
            commands.push(command);
            return;
        }
        let mut lines = vec![format!("共 {} 件作品。", sheet.works.len())];
        if missing > 0 {
            lines.push(format!("还有 {missing} 件未评分：全部评完才能提交。"));
        }
        lines.push("提交后评分不能再修改。".to_string());
        ask(confirm, s::SUBMIT_SCORES, lines, s::CONFIRM_SUBMIT, command);
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, screen: &mut Screen<'_>) {
        let category = screen.category;
        let state = screen.state;
        let can_run = screen.can_run;
        let data = screen.data;
        let commands = &mut *screen.commands;
        if state < RoundState::Shortlisted {
            hint(ui, "入围名单确定后开始终审。");
            return;
        }
        if state < RoundState::FinalClosed {
            if state == RoundState::Shortlisted {
                hint(ui, "在“评审进程”中开始终审评分。专家只看到作品编号和内容。");
            } else {
                hint(ui, "终审评分进行中：结束前任何人都看不到分数和排名。");
            }
            egui::ScrollArea::vertical().show(ui, |ui| {
                let final_round = data.progress.as_ref().filter(|p| p.round.kind == RoundKind::Final);
                if let Some(progress) = final_round {
                    progress_ui(ui, progress);
                }
                shortlist_table_ui(ui, data);
            });
            return;
        }
        let editable = can_run && state == RoundState::FinalClosed;
        let stored = stored_awards(data);
        if self.awards.as_ref().is_none_or(|e| e.category != category || e.stored != stored) {
            self.awards = Some(AwardEdit { category, edited: stored.clone(), stored });
        }
        self.tie_reason_ui(ui.ctx(), commands);
        let Some(AwardEdit { edited: awards, stored, .. }) = &mut self.awards else { return };
        tiers_summary_ui(ui, data, awards);
        // A tie is the administrator's to decide: warned of until awards are saved, and again
        // once they are edited away from what was saved.
        let undecided = stored.is_empty() || awards != stored;
        if let Some(proposal) = data.proposal.as_ref().filter(|_| undecided) {
            for (rank, tied) in &proposal.ties {
                let codes: Vec<&str> = tied
                    .iter()
                    .filter_map(|id| data.ranking.iter().find(|r| r.work_id == *id).map(|r| r.code.as_str()))
                    .collect();
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!("{}的最后名额处有平均分相同的作品：{}，请决定。", tier_name(*rank), codes.join("、")),
                );
            }
        }
        ui.horizontal(|ui| {
            if editable {
                if ui.button(s::PROPOSE_AWARDS).clicked()
                    && let Some(proposal) = &data.proposal
                {
                    *awards = proposal.awards.iter().map(|a| (a.work_id, a.tier)).collect();
                }
                if ui.write_button(RichText::new(s::SAVE_AWARDS).strong()).clicked() {
                    let mut list: Vec<Award> = awards.iter().map(|(w, t)| Award { work_id: *w, tier: *t }).collect();
                    list.sort_by_key(|a| (a.tier, a.work_id));
                    let given = |rank: u8| awards.values().filter(|t| **t == rank).count() as u32;
                    let vacant = super::publicity::vacancies(data, given);
                    let command = ContestCommand::SetAwards { category, awards: list, reason: String::new() };
                    // A vacancy is allowed, but said and confirmed, never saved in passing.
                    if vacant.is_empty() {
                        commands.push(command);
                    } else {
                        let mut lines = vacant;
                        lines.push("确认按空缺保存？".to_string());
                        ask(&mut *screen.confirm, s::SAVE_AWARDS, lines, s::CONFIRM, command);
                    }
                }
            }
            export_button(ui, category, commands);
        });
        let ranks: Vec<u8> = data.tiers.iter().map(|t| t.rank).collect();
        ranking_table_ui(ui, data, &ranks, awards, editable);
    }
}

fn score_field_id(work: i64) -> egui::Id {
    egui::Id::unique(("score_field", work))
}

/// A typed score the store takes: a whole number from 0 to the maximum.
fn valid_score(text: &str) -> Option<u8> {
    text.trim().parse::<u8>().ok().filter(|s| *s <= MAX_SCORE)
}

/// Why a field's text cannot be saved: not a score, or emptied after a score was saved (a
/// saved score can be changed, never removed).
fn score_problem(work: &ScoreItem, text: &str) -> Option<String> {
    let text = text.trim();
    match (text.is_empty(), work.score) {
        (true, Some(saved)) => Some(format!("{} 已保存 {saved} 分，评分不能清空，可改为其他分数", work.code)),
        (true, None) => None,
        (false, _) if valid_score(text).is_some() => None,
        (false, _) => Some(format!("{} 的评分“{text}”不是 0 到 {MAX_SCORE} 的整数", work.code)),
    }
}

/// Per tier: quota, assigned, the cash amount; over the quota in red.
fn tiers_summary_ui(ui: &mut egui::Ui, data: &ContestData, awards: &HashMap<i64, u8>) {
    ui.horizontal_wrapped(|ui| {
        for tier in &data.tiers {
            let given = awards.values().filter(|t| **t == tier.rank).count() as u32;
            let text = format!("{}：名额 {}，已定 {given}，奖金 {} 元", tier.name(), tier.quota, tier.amount_yuan);
            let text = RichText::new(text);
            ui.label(if given > tier.quota { text.color(ui.visuals().error_fg_color) } else { text.strong() });
            ui.separator();
        }
    });
    hint(ui, "名额可以空缺；每件作品只能获一个奖项。保存后在“公示”中开始公示。");
}

fn ranking_table_ui(
    ui: &mut egui::Ui,
    data: &ContestData,
    ranks: &[u8],
    awards: &mut HashMap<i64, u8>,
    editable: bool,
) {
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 10.0;
    TableBuilder::new(ui)
        .id_salt("final_ranking")
        .striped(true)
        .column(Column::auto().at_least(44.0))
        .column(Column::auto().at_least(70.0))
        // The title takes what is left and clips, so the 奖项 choice stays in the window at 特大.
        .column(Column::remainder().at_least(120.0).clip(true))
        .column(Column::auto().at_least(110.0))
        .column(Column::auto().at_least(70.0))
        .column(Column::initial(160.0).clip(true))
        .column(Column::auto().at_least(110.0))
        .header(row_height, |mut header| {
            for title in ["名次", s::WORK_CODE, "标题 / 内容", "平均分", s::WORK_AUTHOR, s::WORK_UNIT, "奖项"]
            {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, data.ranking.len(), |mut row| {
                let entry: &RankedEntry = &data.ranking[row.index()];
                let (_, content) = data.text_of(entry.work_id);
                let mut code = None;
                row.col(|ui| {
                    ui.label(entry.place.to_string());
                });
                row.col(|ui| {
                    code = Some(ui.label(&entry.code).id);
                });
                row.col(|ui| {
                    let shown = if entry.title.is_empty() { excerpt(content, 40) } else { entry.title.clone() };
                    ui.add(egui::Label::new(shown).truncate()).on_hover_text(content);
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(format!("{}（{}人）", entry.mean.display(), entry.mean.count)).extend());
                });
                row.col(|ui| {
                    ui.label(entry.author.as_deref().unwrap_or(""));
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(entry.unit_name.as_deref().unwrap_or("")).truncate());
                });
                row.col(|ui| {
                    let current = awards.get(&entry.work_id).copied();
                    let name = current.map_or(s::NO_AWARD.to_string(), tier_name);
                    if !editable {
                        ui.label(RichText::new(name).color(Color32::from_rgb(46, 125, 50)));
                        return;
                    }
                    let mut chosen = current;
                    let combo =
                        egui::ComboBox::from_id_salt(("award", entry.work_id)).selected_text(name).show_ui(ui, |ui| {
                            ui.selectable_value(&mut chosen, None, s::NO_AWARD);
                            for rank in ranks {
                                ui.selectable_value(&mut chosen, Some(*rank), tier_name(*rank));
                            }
                        });
                    if let Some(code) = code {
                        combo.response.labelled_by(code);
                    }
                    match chosen {
                        Some(rank) => awards.insert(entry.work_id, rank),
                        None => awards.remove(&entry.work_id),
                    };
                });
            });
        });
}

/// The confirmed shortlist going into the final round: codes and titles, no authors yet.
fn shortlist_table_ui(ui: &mut egui::Ui, data: &ContestData) {
    ui.label(RichText::new(format!("入围作品 {} 件", data.shortlist.len())).strong());
    egui::Grid::new("final_shortlist").striped(true).num_columns(3).spacing([16.0, 4.0]).show(ui, |ui| {
        for title in [s::WORK_CODE, "标题 / 内容", "初评得票"] {
            ui.strong(title);
        }
        ui.end_row();
        for entry in &data.shortlist {
            let (title, content) = data.text_of(entry.work_id);
            ui.label(&entry.code);
            ui.label(if title.is_empty() { excerpt(content, 40) } else { title.to_string() });
            ui.label(entry.votes.to_string());
            ui.end_row();
        }
    });
}
