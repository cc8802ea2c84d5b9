//! 初评投票: a judge's own ballot. The works by code and text only — no author, no unit, no
//! votes of anyone, no count — without the judge's own unit's works; ticks up to the quota,
//! each tick saved as the draft; one submission, asked twice, after which nothing changes.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{ContestCommand, Screen, ask, excerpt, hint};
use crate::domain::contest::Category;
use crate::store::contest::ballots::{BallotView, BallotWork};
use crate::ui::strings as s;
use crate::ui::widgets::{WriteUi, write_refusal};

#[derive(Default)]
pub struct BallotPane {
    query: String,
    only_ticked: bool,
    /// The work whose whole text is open beside the list (stories are long).
    reading: Option<i64>,
}

impl BallotPane {
    pub fn ui(&mut self, ui: &mut egui::Ui, screen: &mut Screen<'_>) {
        let category = screen.category;
        let data = screen.data;
        let commands = &mut *screen.commands;
        let confirm = &mut *screen.confirm;
        let Some(ballot) = &data.ballot else {
            hint(ui, data.note.as_deref().unwrap_or("目前没有进行中的投票。"));
            return;
        };
        ui.heading(format!("{} {}选票", ballot.category.label(), ballot.round_name));
        ui.horizontal(|ui| {
            ui.label(format!("每票限选 {} 件", ballot.quota));
            ui.separator();
            ui.label(format!("已选 {} 件", ballot.ticked));
            if ballot.submitted_at.is_none() {
                ui.separator();
                ui.label(RichText::new(format!("还可选 {} 件", ballot.left)).strong().size(18.0));
            }
        });
        match &ballot.submitted_at {
            Some(at) => {
                ui.label(RichText::new(format!("您的选票已于 {at} 提交，不能再修改。")).strong());
            }
            None => {
                ui.horizontal(|ui| {
                    hint(ui, s::BALLOT_HINT);
                    if ui.write_button(RichText::new(s::SUBMIT_BALLOT).strong()).clicked() {
                        ask(
                            confirm,
                            s::SUBMIT_BALLOT,
                            submit_lines(ballot),
                            s::CONFIRM_SUBMIT,
                            submit(category, ballot),
                        );
                    }
                });
            }
        }
        ui.horizontal(|ui| {
            let name = ui.label(s::BALLOT_SEARCH);
            ui.add(egui::TextEdit::singleline(&mut self.query).hint_text("编号或内容中的字词").desired_width(220.0))
                .labelled_by(name.id);
            ui.checkbox(&mut self.only_ticked, s::ONLY_TICKED);
            hint(ui, &format!("本票共 {} 件作品，本单位的作品已回避。", ballot.works.len()));
        });
        ui.separator();
        let q = self.query.trim();
        let code = q.to_uppercase();
        let shown: Vec<&BallotWork> = ballot
            .works
            .iter()
            .filter(|w| !self.only_ticked || w.ticked)
            .filter(|w| q.is_empty() || w.code.contains(&code) || w.title.contains(q) || w.content.contains(q))
            .collect();
        if let Some(work) = self.reading.and_then(|id| ballot.works.iter().find(|w| w.work_id == id)) {
            let mut open = true;
            egui::Panel::right("ballot_reader").resizable(true).default_size(460.0).show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.heading(&work.code);
                    // Chosen while reading, the same tick as in the list.
                    let mut ticked = work.ticked;
                    let may_write = write_refusal(ui.ctx()).is_none();
                    let may_tick = may_write && ballot.submitted_at.is_none() && (work.ticked || ballot.left > 0);
                    if ui.add_enabled(may_tick, egui::Checkbox::new(&mut ticked, "选择这件作品")).changed() {
                        commands.push(ContestCommand::SaveDraft { category, works: ticks_after(ballot, work, ticked) });
                    }
                    open = !ui.button("关闭").clicked();
                });
                if !work.title.is_empty() {
                    ui.label(RichText::new(&work.title).strong());
                }
                egui::ScrollArea::vertical().show(ui, |ui| {
                    ui.add(egui::Label::new(RichText::new(&work.content).size(17.0)).wrap());
                });
            });
            if !open {
                self.reading = None;
            }
        }
        egui::CentralPanel::default().show(ui, |ui| self.list_ui(ui, category, ballot, &shown, commands));
    }

    fn list_ui(
        &mut self,
        ui: &mut egui::Ui,
        category: Category,
        ballot: &BallotView,
        shown: &[&BallotWork],
        commands: &mut Vec<ContestCommand>,
    ) {
        // Every tick saves the draft: closed while the window may not write.
        let open = ballot.submitted_at.is_none() && write_refusal(ui.ctx()).is_none();
        let long = category == Category::Story;
        // Mottos often come without a title: no empty column then.
        let titled = ballot.works.iter().any(|w| !w.title.is_empty());
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 10.0;
        let mut table = TableBuilder::new(ui).id_salt("ballot").striped(true).column(Column::auto().at_least(90.0));
        if titled {
            table = table.column(Column::initial(if long { 180.0 } else { 120.0 }).clip(true));
        }
        table
            .column(Column::remainder().clip(true))
            .header(row_height, |mut header| {
                let titles: &[&str] =
                    if titled { &["选择", s::WORK_TITLE, s::WORK_CONTENT] } else { &["选择", s::WORK_CONTENT] };
                for title in titles {
                    header.col(|ui| {
                        ui.strong(*title);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, shown.len(), |mut row| {
                    let work = shown[row.index()];
                    row.set_selected(work.ticked);
                    row.col(|ui| {
                        let mut ticked = work.ticked;
                        let may_tick = open && (work.ticked || ballot.left > 0);
                        if ui.add_enabled(may_tick, egui::Checkbox::new(&mut ticked, &work.code)).changed() {
                            commands
                                .push(ContestCommand::SaveDraft { category, works: ticks_after(ballot, work, ticked) });
                        }
                    });
                    if titled {
                        row.col(|ui| {
                            ui.add(egui::Label::new(&work.title).truncate());
                        });
                    }
                    row.col(|ui| {
                        if long {
                            ui.horizontal(|ui| {
                                if ui.small_button("阅读全文").clicked() {
                                    self.reading = Some(work.work_id);
                                }
                                ui.add(egui::Label::new(excerpt(&work.content, 60)).truncate());
                            });
                        } else {
                            ui.add(egui::Label::new(&work.content).truncate()).on_hover_text(&work.content);
                        }
                    });
                });
            });
    }
}

/// The ticks after one box changed.
fn ticks_after(ballot: &BallotView, changed: &BallotWork, ticked: bool) -> Vec<i64> {
    let mut works: Vec<i64> =
        ballot.works.iter().filter(|w| w.ticked && w.work_id != changed.work_id).map(|w| w.work_id).collect();
    if ticked {
        works.push(changed.work_id);
    }
    works
}

fn submit(category: Category, ballot: &BallotView) -> ContestCommand {
    let works = ballot.works.iter().filter(|w| w.ticked).map(|w| w.work_id).collect();
    ContestCommand::SubmitBallot { category, works }
}

fn submit_lines(ballot: &BallotView) -> Vec<String> {
    let mut lines = vec![format!("您选了 {} 件作品（限选 {} 件）。", ballot.ticked, ballot.quota)];
    if ballot.ticked == 0 {
        lines.push("您一件也没有选：提交的将是一张空票。".to_string());
    }
    lines.push("提交后选票不能再修改，也不能撤回。".to_string());
    lines
}
