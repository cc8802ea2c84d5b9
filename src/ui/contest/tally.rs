//! 计票与入围: after a ballot round closes, votes and eligible judges per work, ranked; the
//! cut-off, the tie band with the places left and the administrator's way out of it — a
//! run-off, or admitting the whole band with a written reason — and the shortlist confirmed
//! once and frozen. Nothing here while a round is open.

use egui::{Color32, RichText};
use egui_extras::{Column, TableBuilder};

use super::rounds::progress_ui;
use super::{Confirm, ContestCommand, ContestData, Screen, ask, excerpt, export_button, hint};
use crate::domain::contest::Category;
use crate::store::contest::tally::{RoundTally, ShortlistStatus};
use crate::ui::strings as s;
use crate::ui::widgets::{WriteUi, error_ui, show_dialog};

#[derive(Default)]
pub struct TallyView {
    /// The round whose tally is in view; the latest when none is chosen.
    round: Option<i64>,
    pub admit: Option<AdmitDialog>,
}

#[derive(Clone, Debug)]
pub struct AdmitDialog {
    category: Category,
    lines: Vec<String>,
    reason: String,
    pub error: Option<String>,
}

impl TallyView {
    pub fn ui(&mut self, ui: &mut egui::Ui, screen: &mut Screen<'_>) {
        let category = screen.category;
        let state = screen.state;
        let can_run = screen.can_run;
        let data = screen.data;
        let commands = &mut *screen.commands;
        let confirm = &mut *screen.confirm;
        if !state.initial_tally_visible() || data.tallies.is_empty() {
            hint(ui, "初评投票结束后才能查看计票结果；投票期间任何人（包括管理员）都看不到得票情况。");
            if let Some(progress) = &data.progress {
                egui::ScrollArea::vertical().show(ui, |ui| progress_ui(ui, progress));
            }
            return;
        }
        if let Some(status) = &data.shortlist_status {
            self.status_ui(ui, category, can_run, status, data, confirm);
        }
        ui.separator();
        ui.horizontal_wrapped(|ui| {
            let current = self.shown_round(data);
            for tally in &data.tallies {
                if ui.selectable_label(current == Some(tally.round.id), tally.round.name()).clicked() {
                    self.round = Some(tally.round.id);
                }
            }
            export_button(ui, category, commands);
        });
        let shown = self.shown_round(data);
        if let Some(tally) = data.tallies.iter().find(|t| Some(t.round.id) == shown) {
            summary_ui(ui, tally);
            tally_table_ui(ui, tally, data);
        }
        self.admit_ui(ui.ctx(), commands);
    }

    /// The round chosen, or else the latest closed one (a run-off just closed shows at once).
    fn shown_round(&self, data: &ContestData) -> Option<i64> {
        let latest = data.tallies.last().map(|t| t.round.id);
        self.round.filter(|id| data.tallies.iter().any(|t| t.round.id == *id)).or(latest)
    }

    fn status_ui(
        &mut self,
        ui: &mut egui::Ui,
        category: Category,
        can_run: bool,
        status: &ShortlistStatus,
        data: &ContestData,
        confirm: &mut Option<Confirm>,
    ) {
        let line = format!("入围名额 {} 件，已确定入围 {} 件。", status.quota, status.admitted.len());
        ui.label(RichText::new(line).strong());
        if status.confirmed {
            ui.label(RichText::new("入围名单已确定并冻结。").color(Color32::from_rgb(46, 125, 50)));
            shortlist_ui(ui, data);
            return;
        }
        if let Some(runoff) = &status.runoff_open {
            ui.label(format!("{}正在进行：并列作品由初评评委再投票，争剩余名额。", runoff.name()));
            if let Some(progress) = data.progress.as_ref().filter(|p| p.round.id == runoff.id) {
                progress_ui(ui, progress);
            }
            if can_run && ui.write_button(s::CLOSE_RUNOFF).clicked() {
                let lines = vec!["结束后计票，若仍有并列，可再组织决选或决定全部入围。".to_string()];
                ask(confirm, s::CLOSE_RUNOFF, lines, s::CONFIRM, ContestCommand::CloseRunoff(category));
            }
            return;
        }
        if !status.tie_band.is_empty() {
            let codes: Vec<&str> = status.tie_band.iter().map(|e| e.code.as_str()).collect();
            // A long band is named in part; the whole list is in the table and on hover.
            const NAMED: usize = 12;
            let named = match codes.len() > NAMED {
                true => format!("{} 等", codes[..NAMED].join("、")),
                false => codes.join("、"),
            };
            let band = format!(
                "{}的截止线处有 {} 件作品得票相同（{named}），争剩余 {} 个名额。不按编号或时间取舍，请选择：",
                status.band_round.as_ref().map_or(String::new(), |r| r.name()),
                codes.len(),
                status.places_left
            );
            ui.label(RichText::new(band).color(ui.visuals().warn_fg_color)).on_hover_text(codes.join("、"));
            if can_run {
                ui.horizontal(|ui| {
                    if ui.write_button(s::START_RUNOFF).clicked() {
                        let lines = vec![
                            format!(
                                "并列的 {} 件作品由初评评委再投一轮，每票限选 {} 件。",
                                codes.len(),
                                status.places_left
                            ),
                            "决选期间同样看不到得票情况。".to_string(),
                        ];
                        ask(confirm, s::START_RUNOFF, lines, s::CONFIRM, ContestCommand::StartRunoff(category));
                    }
                    if ui.write_button(s::ADMIT_ALL).clicked() {
                        self.admit = Some(AdmitDialog {
                            category,
                            lines: vec![format!(
                                "并列的 {} 件作品全部入围，入围作品将比名额多 {} 件。",
                                codes.len(),
                                codes.len() as u32 - status.places_left
                            )],
                            reason: String::new(),
                            error: None,
                        });
                    }
                });
            }
            return;
        }
        if can_run && ui.write_button(RichText::new(s::CONFIRM_SHORTLIST).strong()).clicked() {
            let lines = vec![
                format!("入围作品共 {} 件。", status.admitted.len()),
                "确定后入围名单冻结，不能再更改，也不能退回初评。".to_string(),
            ];
            ask(confirm, s::CONFIRM_SHORTLIST, lines, s::CONFIRM, ContestCommand::ConfirmShortlist(category));
        }
    }

    fn admit_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<ContestCommand>) {
        let Some(dialog) = &mut self.admit else { return };
        let mut close = false;
        let (_, escaped) = show_dialog(ctx, s::ADMIT_ALL.trim_end_matches('…'), |ui| {
            for line in &dialog.lines {
                ui.label(line);
            }
            let name = ui.label(s::ADMIT_REASON);
            ui.add(egui::TextEdit::multiline(&mut dialog.reason).desired_rows(3).desired_width(420.0))
                .labelled_by(name.id);
            error_ui(ui, dialog.error.as_deref());
            ui.horizontal(|ui| {
                if ui.write_button(s::CONFIRM_ADMIT).clicked() {
                    commands.push(ContestCommand::AdmitTieBand {
                        category: dialog.category,
                        reason: dialog.reason.clone(),
                    });
                }
                close = ui.button(s::CANCEL).clicked();
            });
        });
        if close || escaped {
            self.admit = None;
        }
    }
}

fn summary_ui(ui: &mut egui::Ui, tally: &RoundTally) {
    let round = &tally.round;
    let hash = round.ballots_hash.as_deref().unwrap_or("");
    let text = format!(
        "{}：{} 结束；评委 {} 人，交票 {} 张（其中废票 {} 张）；名额 {} 个。",
        round.name(),
        round.closed_at.as_deref().unwrap_or(""),
        tally.judges,
        tally.handed_in,
        tally.void,
        tally.cut.quota
    );
    ui.horizontal_wrapped(|ui| {
        ui.label(text);
        ui.label(RichText::new(format!("选票哈希 {}…", hash.get(..16).unwrap_or(hash))).monospace().weak())
            .on_hover_text(hash);
    });
}

/// Places with ties sharing one (1, 2, 2, 4), as the tally lists them.
fn places(tally: &RoundTally) -> Vec<usize> {
    let mut places = Vec::with_capacity(tally.rows.len());
    for (i, row) in tally.rows.iter().enumerate() {
        let shared = i > 0 && tally.rows[i - 1].votes == row.votes;
        places.push(if shared { places[i - 1] } else { i + 1 });
    }
    places
}

fn tally_table_ui(ui: &mut egui::Ui, tally: &RoundTally, data: &ContestData) {
    let places = places(tally);
    let admitted = data.shortlist_status.as_ref().map(|s| &s.admitted);
    let band = data.shortlist_status.as_ref().map(|s| &s.tie_band);
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
    TableBuilder::new(ui)
        .id_salt(("tally", tally.round.id))
        .striped(true)
        .column(Column::auto().at_least(44.0))
        .column(Column::auto().at_least(70.0))
        .column(Column::initial(420.0).clip(true))
        .column(Column::auto().at_least(50.0))
        .column(Column::auto().at_least(70.0))
        .column(Column::auto().at_least(60.0))
        .column(Column::remainder())
        .header(row_height, |mut header| {
            for title in ["名次", s::WORK_CODE, "标题 / 内容", "得票", "可投评委", "得票率", "结果"] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, tally.rows.len(), |mut row| {
                let i = row.index();
                let line = &tally.rows[i];
                let (title, content) = data.text_of(line.work_id);
                let shown =
                    if title.is_empty() { excerpt(content, 40) } else { format!("{title}：{}", excerpt(content, 30)) };
                let result = match (
                    admitted.and_then(|a| a.iter().find(|e| e.work_id == line.work_id)),
                    band.is_some_and(|b| b.iter().any(|e| e.work_id == line.work_id)),
                ) {
                    (Some(entry), _) => format!("入围（{}）", entry.source.label()),
                    (None, true) => "并列待定".to_string(),
                    (None, false) => String::new(),
                };
                row.col(|ui| {
                    ui.label(places[i].to_string());
                });
                row.col(|ui| {
                    ui.label(&line.code);
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(shown).truncate()).on_hover_text(content);
                });
                row.col(|ui| {
                    ui.label(line.votes.to_string());
                });
                row.col(|ui| {
                    ui.label(line.eligible.to_string());
                });
                row.col(|ui| {
                    ui.label(format!("{:.0}%", line.share() * 100.0));
                });
                row.col(|ui| {
                    ui.label(result);
                });
            });
        });
}

fn shortlist_ui(ui: &mut egui::Ui, data: &ContestData) {
    ui.label(format!("入围作品 {} 件，见“终审与奖项”。", data.shortlist.len()));
}
