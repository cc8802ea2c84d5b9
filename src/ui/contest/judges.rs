//! 评委: the initial round's judges and the final round's experts, each of a unit, and their
//! one-time login slips — shown once, to print (Excel) or copy, never stored readable.

use std::collections::HashSet;

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::works::unit_combo;
use super::{ContestCommand, ContestData, Screen, ask, hint};
use crate::store::contest::judges::{JudgeOrganisation, JudgeRole, LoginSlip, NewJudge};
use crate::ui::strings as s;
use crate::ui::widgets::{FormAction, WriteUi, form_window, limited_text_edit, window};

#[derive(Default)]
pub struct JudgesView {
    pub form: Option<JudgeForm>,
    selected: HashSet<i64>,
    /// Slips just issued: their passwords exist nowhere else.
    slips: Vec<LoginSlip>,
}

#[derive(Clone, Debug, Default)]
pub struct JudgeForm {
    name: String,
    unit_id: Option<i64>,
    title: String,
    role: Option<JudgeRole>,
    pub error: Option<String>,
}

impl JudgesView {
    /// Shows slips just issued; the judges they are for are no longer selected.
    pub fn slips_issued(&mut self, slips: Vec<LoginSlip>) {
        self.selected.clear();
        self.slips = slips;
    }

    pub fn slips(&self) -> &[LoginSlip] {
        &self.slips
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, screen: &mut Screen<'_>) {
        let can_run = screen.can_run;
        let data = screen.data;
        let commands = &mut *screen.commands;
        let confirm = &mut *screen.confirm;
        hint(
            ui,
            "初评评委只评本单位以外的作品；登录单上的初始密码只显示这一次，评委首次登录后须修改。评委在开启投票时确定。",
        );
        if can_run {
            ui.horizontal(|ui| {
                if ui.write_button(s::ADD_JUDGE).clicked() {
                    self.form = Some(JudgeForm::default());
                }
                let chosen: Vec<i64> =
                    data.judges.iter().map(|j| j.id).filter(|id| self.selected.contains(id)).collect();
                let issue = ui.add_write(!chosen.is_empty(), egui::Button::new(s::ISSUE_SLIPS));
                if issue.clicked() {
                    let reissued: Vec<&str> = data
                        .judges
                        .iter()
                        .filter(|j| chosen.contains(&j.id) && j.login.is_some())
                        .map(|j| j.name.as_str())
                        .collect();
                    let command = ContestCommand::IssueSlips(chosen.clone());
                    if reissued.is_empty() {
                        commands.push(command);
                    } else {
                        let lines = vec![
                            format!("{} 已有登录单。", reissued.join("、")),
                            "重新生成会换一个初始密码，旧登录单随即作废。".to_string(),
                        ];
                        ask(confirm, s::ISSUE_SLIPS, lines, s::CONFIRM, command);
                    }
                }
                if ui.button("选中所有未发登录单的").clicked() {
                    self.selected = data.judges.iter().filter(|j| j.login.is_none()).map(|j| j.id).collect();
                }
            });
        }
        self.table_ui(ui, can_run, data);
        self.form_ui(ui.ctx(), data, commands);
        self.slips_ui(ui.ctx(), commands);
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, can_run: bool, data: &ContestData) {
        let initial = data.judges.iter().filter(|j| j.role == JudgeRole::Initial).count();
        ui.label(format!("初评评委 {initial} 人，终审专家 {} 人", data.judges.len() - initial));
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        TableBuilder::new(ui)
            .id_salt("judges")
            .striped(true)
            .column(Column::auto().at_least(110.0))
            .column(Column::initial(220.0).clip(true))
            .column(Column::initial(200.0).clip(true))
            .column(Column::auto().at_least(80.0))
            .column(Column::remainder())
            .header(row_height, |mut header| {
                for title in [s::JUDGE_NAME, s::JUDGE_UNIT, s::JUDGE_TITLE, s::JUDGE_ROLE, s::LOGIN_NAME] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, data.judges.len(), |mut row| {
                    let judge = &data.judges[row.index()];
                    row.col(|ui| {
                        if can_run {
                            let mut chosen = self.selected.contains(&judge.id);
                            if ui.checkbox(&mut chosen, &judge.name).changed() {
                                if chosen {
                                    self.selected.insert(judge.id);
                                } else {
                                    self.selected.remove(&judge.id);
                                }
                            }
                        } else {
                            ui.label(&judge.name);
                        }
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(&judge.unit_name).truncate());
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(&judge.title).truncate());
                    });
                    row.col(|ui| {
                        ui.label(judge.role.label());
                    });
                    row.col(|ui| {
                        ui.label(judge.login.as_deref().unwrap_or("未发登录单"));
                    });
                });
            });
    }

    fn form_ui(&mut self, ctx: &egui::Context, data: &ContestData, commands: &mut Vec<ContestCommand>) {
        let Some(form) = &mut self.form else { return };
        let error = form.error.clone();
        let action = form_window(ctx, s::ADD_JUDGE, "judge_form", error.as_deref(), |ui| {
            limited_text_edit(ui, s::JUDGE_NAME, &mut form.name, crate::domain::limits::PERSON_NAME);
            unit_combo(ui, "judge_form_unit", s::JUDGE_UNIT, &mut form.unit_id, &data.units);
            limited_text_edit(ui, s::JUDGE_TITLE, &mut form.title, crate::domain::limits::NAME);
            let name = ui.label(s::JUDGE_ROLE);
            egui::ComboBox::from_id_salt("judge_form_role")
                .selected_text(form.role.map_or("请选择", JudgeRole::label))
                .show_ui(ui, |ui| {
                    for role in JudgeRole::ALL {
                        ui.selectable_value(&mut form.role, Some(role), role.label());
                    }
                })
                .response
                .labelled_by(name.id);
            ui.end_row();
        });
        match action {
            FormAction::None => {}
            FormAction::Close => self.form = None,
            FormAction::Save => match (form.unit_id, form.role) {
                (Some(unit_id), Some(role)) => commands.push(ContestCommand::AddJudge(NewJudge {
                    name: form.name.clone(),
                    organisation: JudgeOrganisation::Unit(unit_id),
                    title: form.title.clone(),
                    role,
                })),
                (None, _) => form.error = Some("请选择评委单位".to_string()),
                (_, None) => form.error = Some("请选择角色".to_string()),
            },
        }
    }

    fn slips_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<ContestCommand>) {
        if self.slips.is_empty() {
            return;
        }
        let mut open = true;
        // Not closed by Esc: the one-time passwords cannot be shown again.
        window(s::LOGIN_SLIPS).open(&mut open).default_height(560.0).show(ctx, |ui| {
            ui.label("初始密码只显示这一次，关闭本窗口后无法再查看；遗失可重新生成（旧登录单作废）。");
            ui.horizontal(|ui| {
                if ui.button(s::EXPORT_SLIPS).clicked() {
                    commands.push(ContestCommand::ExportSlips);
                }
                if ui.button(s::COPY_SLIPS).clicked() {
                    let text: Vec<String> = self.slips.iter().map(slip_text).collect();
                    ui.ctx().copy_text(text.join("\n\n"));
                }
            });
            egui::ScrollArea::vertical().show(ui, |ui| {
                for slip in &self.slips {
                    egui::Frame::group(ui.style()).inner_margin(10.0).show(ui, |ui| {
                        ui.set_min_width(380.0);
                        ui.label(RichText::new(slip_text(slip)).size(17.0));
                    });
                }
            });
        });
        if !open {
            self.slips.clear();
        }
    }
}

/// A slip as text: who, the login, the one-time password.
pub fn slip_text(slip: &LoginSlip) -> String {
    format!(
        "「好家风·好家训」评选 {}登录单\n姓名：{}  单位：{}\n登录名：{}  初始密码：{}\n首次登录后须修改密码。",
        slip.role.label(),
        slip.name,
        slip.unit_name,
        slip.login,
        slip.password
    )
}
