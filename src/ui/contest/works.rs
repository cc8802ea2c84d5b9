//! 作品: the list with search and filters, the entry form with the length rule shown while
//! typing, and withdrawal with its reason.

use chrono::NaiveDate;
use egui::{Color32, RichText};
use egui_extras::{Column, TableBuilder};

use super::{ContestCommand, ContestData, Screen, excerpt, hint, parse_day};
use crate::domain::contest::{Category, CategoryRules, RoundState, content_length};
use crate::domain::format_date;
use crate::store::contest::works::{NewWork, WorkFilter, WorkRow, WorkStatus};
use crate::store::units::UnitRow;
use crate::ui::strings as s;
use crate::ui::widgets::{FormAction, form_window, labelled_text_edit};
use crate::ui::widgets::{WriteUi, error_ui, show_dialog};

#[derive(Default)]
pub struct WorksView {
    query: String,
    status: Option<WorkStatus>,
    unit: Option<i64>,
    from: String,
    to: String,
    pub form: Option<WorkForm>,
    pub withdraw: Option<WithdrawDialog>,
}

/// The add/edit form as typed; the store checks it on save.
#[derive(Clone, Debug, Default)]
pub struct WorkForm {
    id: Option<i64>,
    category: Option<Category>,
    code: String,
    title: String,
    content: String,
    author: String,
    unit_id: Option<i64>,
    /// Typed in; on an edit, empty keeps the number on record.
    phone: String,
    /// The masked number on record, the field's hint on an edit.
    phone_on_record: Option<String>,
    date: String,
    pub error: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct WithdrawDialog {
    id: i64,
    code: String,
    reason: String,
    pub error: Option<String>,
}

impl WorkForm {
    fn new(category: Category, today: NaiveDate) -> Self {
        WorkForm { category: Some(category), date: format_date(today), ..WorkForm::default() }
    }

    fn for_edit(work: &WorkRow) -> Self {
        WorkForm {
            id: Some(work.id),
            category: Some(work.category),
            code: work.code.clone(),
            title: work.title.clone(),
            content: work.content.clone(),
            author: work.author.clone(),
            unit_id: Some(work.unit_id),
            phone: String::new(),
            phone_on_record: Some(work.author_phone_masked.clone()),
            date: work.submitted_on.clone(),
            error: None,
        }
    }

    /// The work to save, or what is missing in words.
    fn to_work(&self) -> Result<NewWork, String> {
        let category = self.category.ok_or("请选择类别")?;
        let unit_id = self.unit_id.ok_or("请选择作者单位")?;
        let submitted_on = parse_day(&self.date).ok_or("提交日期应写成 2017-07-01 这样的格式")?;
        Ok(NewWork {
            code: if self.id.is_some() || self.code.trim().is_empty() { None } else { Some(self.code.clone()) },
            category,
            title: self.title.clone(),
            content: self.content.clone(),
            author: self.author.clone(),
            author_phone: self.phone.clone(),
            unit_id,
            submitted_on,
        })
    }
}

impl WorksView {
    /// The filter the list is read with.
    pub fn filter(&self, category: Category) -> WorkFilter {
        WorkFilter {
            category: Some(category),
            status: self.status,
            unit_id: self.unit,
            submitted_from: parse_day(&self.from),
            submitted_to: parse_day(&self.to),
            query: self.query.trim().to_string(),
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, screen: &mut Screen<'_>) {
        let category = screen.category;
        let state = screen.state;
        let can_manage = screen.can_manage;
        let data = screen.data;
        let commands = &mut *screen.commands;
        ui.horizontal_wrapped(|ui| {
            if can_manage {
                let collecting = state.accepts_works();
                let add = ui.add_write(collecting, egui::Button::new(s::ADD_WORK));
                if add.on_disabled_hover_text("征集阶段才能录入作品").clicked() {
                    self.form = Some(WorkForm::new(category, crate::ui::clock::today(ui.ctx())));
                }
                if ui.add_write(collecting, egui::Button::new(s::IMPORT_WORKS)).clicked() {
                    commands.push(ContestCommand::Import);
                }
                ui.separator();
            }
            self.filters_ui(ui, &data.units);
        });
        if let Some(overview) = data.overview_of(category) {
            let rules = overview.rules;
            hint(
                ui,
                &format!(
                    "共 {} 件（有效 {} 件，撤回、合并、排除等 {} 件）。内容 {}–{} 字。",
                    data.works.len(),
                    overview.active_works,
                    overview.inactive_works,
                    rules.min_chars,
                    rules.max_chars
                ),
            );
        }
        if data.works.is_empty() {
            hint(ui, s::NO_WORKS);
        } else {
            self.table_ui(ui, state, can_manage, &data.works);
        }
        self.form_ui(ui.ctx(), data, commands);
        self.withdraw_ui(ui.ctx(), commands);
    }

    fn filters_ui(&mut self, ui: &mut egui::Ui, units: &[UnitRow]) {
        let name = ui.label(s::SEARCH);
        ui.add(egui::TextEdit::singleline(&mut self.query).hint_text(s::WORK_SEARCH_HINT).desired_width(230.0))
            .labelled_by(name.id);
        let name = ui.label(s::WORK_STATUS);
        egui::ComboBox::from_id_salt("work_status")
            .selected_text(self.status.map_or(s::ALL_STATUSES, WorkStatus::label))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut self.status, None, s::ALL_STATUSES);
                for status in WorkStatus::ALL {
                    ui.selectable_value(&mut self.status, Some(status), status.label());
                }
            })
            .response
            .labelled_by(name.id);
        let name = ui.label(s::FILTER_UNIT);
        let chosen = self.unit.and_then(|id| units.iter().find(|u| u.id == id)).map_or(s::ALL_UNITS, |u| &u.name);
        egui::ComboBox::from_id_salt("work_unit")
            .selected_text(chosen)
            .height(400.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut self.unit, None, s::ALL_UNITS);
                for unit in units {
                    ui.selectable_value(&mut self.unit, Some(unit.id), &unit.name);
                }
            })
            .response
            .labelled_by(name.id);
        for (label, text) in [(s::DATE_FROM, &mut self.from), (s::DATE_TO, &mut self.to)] {
            let name = ui.label(label);
            ui.add(egui::TextEdit::singleline(text).hint_text("2017-06-01").desired_width(90.0)).labelled_by(name.id);
        }
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, state: RoundState, can_manage: bool, works: &[WorkRow]) {
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        let editable = can_manage && state.accepts_works();
        let withdrawable = can_manage && matches!(state, RoundState::Collecting | RoundState::Screening);
        // Codes, phones and dates stay on one line; the content column clips instead.
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
        TableBuilder::new(ui)
            .id_salt("works")
            .striped(true)
            .column(Column::auto().at_least(64.0))
            .column(Column::initial(110.0).clip(true))
            // The content takes what is left and clips, so 操作 stays in the window at 特大.
            .column(Column::remainder().at_least(120.0).clip(true))
            .column(Column::auto().at_least(60.0))
            .column(Column::initial(150.0).clip(true))
            .column(Column::auto().at_least(100.0))
            .column(Column::auto().at_least(90.0))
            .column(Column::auto().at_least(60.0))
            .column(Column::auto().at_least(90.0))
            .header(row_height, |mut header| {
                for title in [s::WORK_CODE, s::WORK_TITLE, s::WORK_CONTENT, s::WORK_AUTHOR, s::WORK_UNIT, s::WORK_PHONE]
                    .into_iter()
                    .chain([s::WORK_DATE, s::WORK_STATUS, "操作"])
                {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, works.len(), |mut row| {
                    let work = &works[row.index()];
                    row.col(|ui| {
                        ui.label(&work.code);
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(&work.title).truncate());
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(excerpt(&work.content, 60)).truncate()).on_hover_text(&work.content);
                    });
                    row.col(|ui| {
                        ui.label(&work.author);
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(&work.unit_name).truncate());
                    });
                    row.col(|ui| {
                        ui.label(&work.author_phone_masked);
                    });
                    row.col(|ui| {
                        ui.label(&work.submitted_on);
                    });
                    row.col(|ui| {
                        status_ui(ui, work);
                    });
                    row.col(|ui| {
                        if work.status != WorkStatus::Active {
                            return;
                        }
                        ui.horizontal(|ui| {
                            if editable && ui.write_small_button(s::EDIT).clicked() {
                                self.form = Some(WorkForm::for_edit(work));
                            }
                            if withdrawable && ui.write_small_button(s::WITHDRAW_WORK).clicked() {
                                self.withdraw =
                                    Some(WithdrawDialog { id: work.id, code: work.code.clone(), ..Default::default() });
                            }
                        });
                    });
                });
            });
    }

    fn form_ui(&mut self, ctx: &egui::Context, data: &ContestData, commands: &mut Vec<ContestCommand>) {
        let Some(form) = &mut self.form else { return };
        let title = if form.id.is_some() { s::EDIT_WORK } else { s::ADD_WORK };
        let error = form.error.clone();
        let rules = form.category.and_then(|c| data.overview_of(c)).map(|o| o.rules);
        let action = form_window(ctx, title, "work_form", error.as_deref(), |ui| {
            let name = ui.label(s::WORK_CATEGORY);
            egui::ComboBox::from_id_salt("work_form_category")
                .selected_text(form.category.map_or("请选择", Category::label))
                .show_ui(ui, |ui| {
                    for category in Category::ALL {
                        ui.selectable_value(&mut form.category, Some(category), category.label());
                    }
                })
                .response
                .labelled_by(name.id);
            ui.end_row();
            if form.id.is_none() {
                let name = ui.label(s::WORK_CODE);
                ui.add(egui::TextEdit::singleline(&mut form.code).hint_text(s::WORK_CODE_HINT).desired_width(220.0))
                    .labelled_by(name.id);
                ui.end_row();
            }
            labelled_text_edit(ui, s::WORK_TITLE, &mut form.title);
            let name = ui.label(s::WORK_CONTENT);
            ui.vertical(|ui| {
                ui.set_min_width(520.0);
                let rows = if form.category == Some(Category::Story) { 12 } else { 3 };
                egui::ScrollArea::vertical().max_height(320.0).auto_shrink([false, true]).show(ui, |ui| {
                    ui.add(egui::TextEdit::multiline(&mut form.content).desired_width(520.0).desired_rows(rows))
                        .labelled_by(name.id);
                });
                if let Some(rules) = rules {
                    length_ui(ui, &form.content, &rules);
                }
            });
            ui.end_row();
            labelled_text_edit(ui, s::WORK_AUTHOR, &mut form.author);
            unit_combo(ui, "work_form_unit", s::WORK_UNIT, &mut form.unit_id, &data.units);
            crate::ui::widgets::sealed_text_edit(ui, s::WORK_PHONE, &mut form.phone, form.phone_on_record.as_deref());
            crate::ui::date_picker::date_time_field(ui, s::WORK_DATE, &mut form.date, false);
        });
        match action {
            FormAction::None => {}
            FormAction::Close => self.form = None,
            FormAction::Save => match form.to_work() {
                Ok(work) => commands.push(ContestCommand::SaveWork { id: form.id, work: Box::new(work) }),
                Err(message) => form.error = Some(message),
            },
        }
    }

    fn withdraw_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<ContestCommand>) {
        let Some(dialog) = &mut self.withdraw else { return };
        let mut close = false;
        let (_, escaped) = show_dialog(ctx, &format!("撤回作品 {}", dialog.code), |ui| {
            ui.label("撤回后作品不再参评，记录保留；须写明原因（如作者本人申请）。");
            let name = ui.label(s::WITHDRAW_REASON);
            ui.add(egui::TextEdit::multiline(&mut dialog.reason).desired_rows(2)).labelled_by(name.id);
            error_ui(ui, dialog.error.as_deref());
            ui.horizontal(|ui| {
                if ui.write_button(s::CONFIRM_WITHDRAW).clicked() {
                    commands.push(ContestCommand::Withdraw { id: dialog.id, reason: dialog.reason.clone() });
                }
                close = ui.button(s::CANCEL).clicked();
            });
        });
        if close || escaped {
            self.withdraw = None;
        }
    }
}

/// 有效, or the status with its reason on hover.
fn status_ui(ui: &mut egui::Ui, work: &WorkRow) {
    if work.status == WorkStatus::Active {
        ui.label(work.status.label());
        return;
    }
    let reason = match &work.merged_into {
        Some(code) if work.status_reason.is_empty() => format!("并入 {code}"),
        _ => work.status_reason.clone(),
    };
    ui.label(RichText::new(work.status.label()).color(ui.visuals().warn_fg_color)).on_hover_text(reason);
}

/// The length as typed against the category's limits: green inside, red outside.
fn length_ui(ui: &mut egui::Ui, content: &str, rules: &CategoryRules) {
    let n = content_length(content) as u32;
    let text = format!("已输入 {n} 字，应为 {}–{} 字（不计空格）", rules.min_chars, rules.max_chars);
    let inside = (rules.min_chars..=rules.max_chars).contains(&n);
    let color = if inside { Color32::from_rgb(46, 125, 50) } else { ui.visuals().error_fg_color };
    ui.label(RichText::new(text).color(color));
}

/// A unit chosen from the list, on a grid row.
pub fn unit_combo(ui: &mut egui::Ui, id: &str, label: &str, unit: &mut Option<i64>, units: &[UnitRow]) {
    let name = ui.label(label);
    let chosen = unit.and_then(|id| units.iter().find(|u| u.id == id)).map_or("请选择", |u| u.name.as_str());
    egui::ComboBox::from_id_salt(id)
        .selected_text(chosen)
        .width(260.0)
        .height(400.0)
        .show_ui(ui, |ui| {
            for u in units {
                ui.selectable_value(unit, Some(u.id), &u.name);
            }
        })
        .response
        .labelled_by(name.id);
    ui.end_row();
}
