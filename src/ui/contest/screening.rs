//! 查重: the flagged pairs, each shown side by side with the text the two share highlighted,
//! and the decision on it — both kept, merged or one excluded — with a note.

use std::ops::Range;

use egui::text::LayoutJob;
use egui::{Color32, RichText, TextFormat};

use super::{ContestCommand, Screen, hint};
use crate::domain::contest::{PairKind, RoundState};
use crate::store::contest::screening::{Decision, PairSide, PairView};
use crate::ui::strings as s;
use crate::ui::widgets::WriteUi;

/// The marker of shared text: a pale yellow under the characters.
const SHARED: Color32 = Color32::from_rgb(255, 236, 150);

#[derive(Default)]
pub struct ScreeningView {
    show_decided: bool,
    selected: Option<i64>,
    note: String,
}

impl ScreeningView {
    pub fn ui(&mut self, ui: &mut egui::Ui, screen: &mut Screen<'_>) {
        let category = screen.category;
        let state = screen.state;
        let can_run = screen.can_run;
        let data = screen.data;
        let commands = &mut *screen.commands;
        if state == RoundState::Collecting {
            hint(ui, "征集结束、进入查重阶段后，程序比对全部作品，列出完全相同和高度相似的作品对，逐对由人决定。");
            if can_run && ui.write_button(s::START_SCREENING).clicked() {
                commands.push(ContestCommand::Advance { category, to: RoundState::Screening });
            }
            return;
        }
        let waiting = data.pairs.iter().filter(|p| p.needs_decision()).count();
        ui.horizontal(|ui| {
            ui.label(format!("疑似重复 {} 对，待处理 {waiting} 对", data.pairs.len()));
            if state == RoundState::Screening {
                ui.checkbox(&mut self.show_decided, s::SHOW_DECIDED);
            }
        });
        if state != RoundState::Screening {
            hint(ui, "查重阶段已结束，处理结果只能查看。");
        }
        // Once 查重 is over nothing waits: the decisions are what there is to see.
        let show_decided = self.show_decided || state != RoundState::Screening;
        let shown: Vec<&PairView> = data.pairs.iter().filter(|p| show_decided || p.needs_decision()).collect();
        if shown.is_empty() {
            hint(
                ui,
                if data.pairs.is_empty() {
                    "查重没有发现疑似重复的作品。"
                } else {
                    "没有待处理的疑似重复作品。"
                },
            );
            return;
        }
        if !shown.iter().any(|p| Some(p.id) == self.selected) {
            self.selected = shown.first().map(|p| p.id);
            self.note.clear();
        }
        egui::Panel::left("screening_pairs").resizable(true).default_size(240.0).show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                for pair in &shown {
                    let likeness = match pair.kind {
                        PairKind::Exact => pair.kind.label().to_string(),
                        PairKind::Near => format!("{}%", pair.percent),
                    };
                    let mark =
                        if state == RoundState::Screening && !pair.needs_decision() { "（已处理）" } else { "" };
                    let text = format!("{} ↔ {}  {likeness}{mark}", pair.earlier.code, pair.later.code);
                    if ui.selectable_label(self.selected == Some(pair.id), text).clicked() {
                        self.selected = Some(pair.id);
                        self.note.clear();
                    }
                }
            });
        });
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(pair) = shown.iter().find(|p| Some(p.id) == self.selected) {
                self.pair_ui(ui, pair, state == RoundState::Screening, commands);
            }
        });
    }

    fn pair_ui(&mut self, ui: &mut egui::Ui, pair: &PairView, open: bool, commands: &mut Vec<ContestCommand>) {
        ui.heading(format!("{} ↔ {}", pair.earlier.code, pair.later.code));
        ui.label(format!("{}，相似度 {}%；黄色标出两件共有的文字。", pair.kind.label(), pair.percent));
        if let Some(decision) = pair.decision {
            let kept = match pair.kept_id {
                Some(id) if id == pair.later.work_id => format!("，保留 {}", pair.later.code),
                Some(_) => format!("，保留 {}", pair.earlier.code),
                None => String::new(),
            };
            let by = pair.decided_by.as_deref().unwrap_or("");
            let at = pair.decided_at.as_deref().unwrap_or("");
            let note = if pair.note.is_empty() { String::new() } else { format!("（{}）", pair.note) };
            ui.label(RichText::new(format!("已处理：{}{kept}{note}，{by} {at}", decision.label())).strong());
        }
        ui.separator();
        if open {
            self.decision_ui(ui, pair, commands);
            ui.separator();
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.columns(2, |columns| {
                side_ui(&mut columns[0], &pair.earlier, "先提交");
                side_ui(&mut columns[1], &pair.later, "后提交");
            });
        });
    }

    fn decision_ui(&mut self, ui: &mut egui::Ui, pair: &PairView, commands: &mut Vec<ContestCommand>) {
        ui.horizontal(|ui| {
            let name = ui.label(s::DECISION_NOTE);
            ui.add(
                egui::TextEdit::singleline(&mut self.note).hint_text("如：传统家训名句，允许重复").desired_width(360.0),
            )
            .labelled_by(name.id);
        });
        let (left, right) = (pair.earlier.work_id, pair.later.work_id);
        ui.horizontal_wrapped(|ui| {
            for (label, decision, kept) in [
                (s::DECIDE_KEEP, Decision::Keep, None),
                (s::DECIDE_MERGE_KEEP_LEFT, Decision::Merge, Some(left)),
                (s::DECIDE_MERGE_KEEP_RIGHT, Decision::Merge, Some(right)),
                (s::DECIDE_EXCLUDE_KEEP_LEFT, Decision::Exclude, Some(left)),
                (s::DECIDE_EXCLUDE_KEEP_RIGHT, Decision::Exclude, Some(right)),
            ] {
                if ui.write_button(label).clicked() {
                    commands.push(ContestCommand::DecidePair {
                        pair: pair.id,
                        decision,
                        kept,
                        note: std::mem::take(&mut self.note),
                    });
                }
            }
        });
    }
}

/// One work of a pair: who and when, then its text with the shared spans marked.
fn side_ui(ui: &mut egui::Ui, side: &PairSide, when: &str) {
    ui.label(RichText::new(format!("{}（{when}）", side.code)).strong());
    if !side.title.is_empty() {
        ui.label(format!("标题：{}", side.title));
    }
    ui.label(format!("{} · {} · {} · {}", side.author, side.unit_name, side.submitted_on, side.status.label()));
    ui.add_space(4.0);
    let mut job = highlighted(ui, &side.content, &side.spans);
    // Laid out here at the column's width: a label would stretch the lines of a justified column.
    job.wrap.max_width = ui.available_width() - 8.0;
    let galley = ui.fonts_mut(|fonts| fonts.layout_job(job));
    ui.label(galley);
}

/// The text with `spans` (byte ranges, in order) on the shared-text background.
fn highlighted(ui: &egui::Ui, text: &str, spans: &[Range<usize>]) -> LayoutJob {
    let body = egui::TextStyle::Body.resolve(ui.style());
    let font_id = egui::FontId::new(body.size * 1.15, body.family);
    let plain = TextFormat { font_id: font_id.clone(), color: ui.visuals().text_color(), ..Default::default() };
    let marked = TextFormat { background: SHARED, color: Color32::BLACK, ..plain.clone() };
    let mut job = LayoutJob::default();
    let mut at = 0;
    for span in spans {
        let (Some(before), Some(shared)) = (text.get(at..span.start), text.get(span.clone())) else { continue };
        job.append(before, 0.0, plain.clone());
        job.append(shared, 0.0, marked.clone());
        at = span.end;
    }
    job.append(text.get(at..).unwrap_or(""), 0.0, plain);
    job
}
