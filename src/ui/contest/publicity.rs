//! 公示: the period in working days, the award list as publicised, the register of written
//! objections (who, when, what) with the ruling on each, and publication once the period has
//! ended and every objection is ruled.

use chrono::NaiveDate;
use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{Confirm, ContestCommand, ContestData, Screen, ask, export_button, hint, parse_day};
use crate::domain::contest::{Category, RoundState};
use crate::domain::format_date;
use crate::store::contest::final_round::AwardRow;
use crate::store::contest::publicity::{
    DEFAULT_WORKING_DAYS, MAX_WORKING_DAYS, NewObjection, ObjectionRow, Ruling, check_publicity_start, publicity_end,
};
use crate::ui::date_picker::date_time_field;
use crate::ui::strings as s;
use crate::ui::widgets::{FormAction, form_window, labelled_text_edit};
use crate::ui::widgets::{WriteUi, error_ui, show_dialog};

#[derive(Default)]
pub struct PublicityView {
    starts_on: String,
    days: String,
    pub objection: Option<ObjectionForm>,
    pub ruling: Option<RulingDialog>,
}

#[derive(Clone, Debug, Default)]
pub struct ObjectionForm {
    work_code: String,
    objector: String,
    contact: String,
    received_on: String,
    content: String,
    pub error: Option<String>,
}

#[derive(Clone, Debug)]
pub struct RulingDialog {
    id: i64,
    about: String,
    ruling: Option<Ruling>,
    text: String,
    ruled_on: String,
    pub error: Option<String>,
}

impl PublicityView {
    pub fn ui(&mut self, ui: &mut egui::Ui, screen: &mut Screen<'_>) {
        let category = screen.category;
        let state = screen.state;
        let can_run = screen.can_run;
        let data = screen.data;
        let commands = &mut *screen.commands;
        let confirm = &mut *screen.confirm;
        let today = crate::ui::clock::today(ui.ctx());
        if state < RoundState::FinalClosed {
            hint(ui, "终审结束并授奖后开始公示。");
            return;
        }
        if state == RoundState::FinalClosed {
            if can_run {
                self.start_ui(ui, category, today, data, confirm);
            } else {
                hint(ui, "尚未开始公示。");
            }
            awards_table_ui(ui, data, true);
            return;
        }
        if let Some(period) = &data.publicity {
            let line = format!(
                "公示期：{} 至 {}（{} 个工作日）",
                format_date(period.starts_on),
                format_date(period.ends_on),
                period.working_days
            );
            ui.label(RichText::new(line).strong());
        }
        ui.horizontal(|ui| {
            export_button(ui, category, commands);
            if can_run && state == RoundState::Publicity {
                if ui.write_button(s::REGISTER_OBJECTION).clicked() {
                    self.objection = Some(ObjectionForm { received_on: format_date(today), ..Default::default() });
                }
                if ui.write_button(RichText::new(s::PUBLISH_RESULT).strong()).clicked() {
                    let open = data.objections.iter().filter(|o| o.ruling.is_none()).count();
                    let mut lines = Vec::new();
                    if let Some(period) = &data.publicity {
                        lines.push(format!(
                            "公示期：{} 至 {}。",
                            format_date(period.starts_on),
                            format_date(period.ends_on)
                        ));
                        if today <= period.ends_on {
                            lines.push(format!(
                                "公示期尚未结束（至 {}），期满后才能发布。",
                                format_date(period.ends_on)
                            ));
                        }
                    }
                    lines.extend(vacancy_lines(data));
                    if open > 0 {
                        lines.push(format!("还有 {open} 件异议未处理：处理完才能发布。"));
                    }
                    lines.push("发布后评选结果不能再更改。".to_string());
                    let command = ContestCommand::Advance { category, to: RoundState::Published };
                    ask(confirm, s::PUBLISH_RESULT, lines, s::CONFIRM, command);
                }
            }
        });
        if state == RoundState::Published {
            hint(ui, "评选结果已发布。");
        }
        // The objections and the awards scroll as one under the period and 发布, which stay in
        // view: unbounded, a few long objections pushed the 处理 buttons and the award table
        // (with a scroll bar of its own) below the window at 1280×800 in 特大.
        egui::ScrollArea::vertical().id_salt("publicity_lists").auto_shrink([false, false]).show(ui, |ui| {
            egui::CollapsingHeader::new(format!("异议登记（{} 件）", data.objections.len()))
                .default_open(true)
                .show(ui, |ui| {
                    self.objections_ui(ui, can_run && state == RoundState::Publicity, &data.objections, today)
                });
            awards_table_ui(ui, data, false);
        });
        self.objection_form_ui(ui.ctx(), category, commands);
        self.ruling_ui(ui.ctx(), commands);
    }

    fn start_ui(
        &mut self,
        ui: &mut egui::Ui,
        category: Category,
        today: NaiveDate,
        data: &ContestData,
        confirm: &mut Option<Confirm>,
    ) {
        if self.starts_on.is_empty() {
            self.starts_on = format_date(today);
            self.days = DEFAULT_WORKING_DAYS.to_string();
        }
        egui::Grid::new("publicity_start").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
            date_time_field(ui, s::PUBLICITY_FROM, &mut self.starts_on, false);
            labelled_text_edit(ui, s::PUBLICITY_DAYS, &mut self.days);
        });
        let starts_on = parse_day(&self.starts_on);
        let days = self.days.trim().parse::<u32>().ok().filter(|d| (1..=MAX_WORKING_DAYS).contains(d));
        match (starts_on, days) {
            (Some(starts_on), Some(_)) if starts_on < today => {
                let backdated = check_publicity_start(starts_on, today).err().map(|e| e.to_string());
                crate::ui::widgets::error_ui(ui, backdated.as_deref());
            }
            (Some(starts_on), Some(days)) => {
                let ends_on = publicity_end(starts_on, days);
                ui.label(format!("公示期至 {}（不含周末和法定节假日）。", format_date(ends_on)));
                if ui.write_button(s::START_PUBLICITY).clicked() {
                    let lines = vec![
                        format!(
                            "公示 {} 至 {}，获奖作品 {} 件。",
                            format_date(starts_on),
                            format_date(ends_on),
                            data.awards.len()
                        ),
                        "公示开始后奖项不能再直接修改；异议成立的，按排名递补。".to_string(),
                    ];
                    let command = ContestCommand::StartPublicity { category, starts_on, working_days: days };
                    ask(confirm, s::START_PUBLICITY, lines, s::CONFIRM, command);
                }
            }
            _ => {
                ui.colored_label(ui.visuals().error_fg_color, "请填写开始日期（如 2017-09-01）和工作日数。");
            }
        }
    }

    fn objections_ui(&mut self, ui: &mut egui::Ui, can_rule: bool, objections: &[ObjectionRow], today: NaiveDate) {
        if objections.is_empty() {
            hint(ui, "没有收到异议。");
            return;
        }
        egui::Grid::new("objections").striped(true).num_columns(7).spacing([12.0, 4.0]).show(ui, |ui| {
            for title in
                [s::OBJECTION_RECEIVED, "作品", s::OBJECTOR, s::OBJECTOR_CONTACT, s::OBJECTION_CONTENT, s::RULING, ""]
            {
                ui.strong(title);
            }
            ui.end_row();
            for objection in objections {
                let about = objection.work_code.clone().unwrap_or_else(|| "整体结果".to_string());
                ui.label(&objection.received_on);
                ui.label(&about);
                ui.label(&objection.objector);
                ui.label(&objection.contact_masked);
                ui.scope(|ui| {
                    ui.set_min_width(240.0);
                    ui.set_max_width(360.0);
                    ui.add(egui::Label::new(&objection.content).wrap());
                });
                match objection.ruling {
                    Some(ruling) => {
                        let by = objection.ruled_by.as_deref().unwrap_or("");
                        let on = objection.ruled_on.as_deref().unwrap_or("");
                        // Wrapped within the column like the content, so a long reason never
                        // pushes the next row's button off to the edge.
                        ui.scope(|ui| {
                            ui.set_min_width(200.0);
                            ui.set_max_width(320.0);
                            let text = format!("{}：{}（{by}，{on}）", ruling.label(), objection.ruling_text);
                            ui.add(egui::Label::new(text).wrap());
                        });
                    }
                    None => {
                        ui.label("待处理");
                    }
                }
                if can_rule && objection.ruling.is_none() && ui.write_button(s::RULE_OBJECTION).clicked() {
                    self.ruling = Some(RulingDialog {
                        id: objection.id,
                        about: format!("{}，{}：{}", about, objection.objector, objection.content),
                        ruling: None,
                        text: String::new(),
                        ruled_on: format_date(today),
                        error: None,
                    });
                }
                ui.end_row();
            }
        });
    }

    fn objection_form_ui(&mut self, ctx: &egui::Context, category: Category, commands: &mut Vec<ContestCommand>) {
        let Some(form) = &mut self.objection else { return };
        let error = form.error.clone();
        let action = form_window(ctx, s::REGISTER_OBJECTION, "objection_form", error.as_deref(), |ui| {
            let name = ui.label(s::OBJECTION_WORK);
            ui.add(
                egui::TextEdit::singleline(&mut form.work_code).hint_text(s::OBJECTION_WORK_HINT).desired_width(220.0),
            )
            .labelled_by(name.id);
            ui.end_row();
            labelled_text_edit(ui, s::OBJECTOR, &mut form.objector);
            labelled_text_edit(ui, s::OBJECTOR_CONTACT, &mut form.contact);
            date_time_field(ui, s::OBJECTION_RECEIVED, &mut form.received_on, false);
            let name = ui.label(s::OBJECTION_CONTENT);
            ui.add(egui::TextEdit::multiline(&mut form.content).desired_rows(4).desired_width(360.0))
                .labelled_by(name.id);
            ui.end_row();
        });
        match action {
            FormAction::None => {}
            FormAction::Close => self.objection = None,
            FormAction::Save => match parse_day(&form.received_on) {
                Some(received_on) => {
                    let code = form.work_code.trim().to_uppercase();
                    commands.push(ContestCommand::RegisterObjection(Box::new(NewObjection {
                        category,
                        work_code: (!code.is_empty()).then_some(code),
                        objector: form.objector.clone(),
                        contact: form.contact.clone(),
                        received_on,
                        content: form.content.clone(),
                    })));
                }
                None => form.error = Some("收到日期应写成 2017-09-01 这样的格式".to_string()),
            },
        }
    }

    fn ruling_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<ContestCommand>) {
        let Some(dialog) = &mut self.ruling else { return };
        let mut close = false;
        let (_, escaped) = show_dialog(ctx, "处理异议", |ui| {
            ui.label(&dialog.about);
            hint(ui, "“取消获奖资格”会撤销该作品的奖项，由排名其后的作品依次递补。处理结果不能更改。");
            egui::Grid::new("ruling_form").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                let name = ui.label(s::RULING);
                egui::ComboBox::from_id_salt("ruling")
                    .selected_text(dialog.ruling.map_or("请选择", Ruling::label))
                    .show_ui(ui, |ui| {
                        for ruling in Ruling::ALL {
                            ui.selectable_value(&mut dialog.ruling, Some(ruling), ruling.label());
                        }
                    })
                    .response
                    .labelled_by(name.id);
                ui.end_row();
                let name = ui.label(s::RULING_TEXT);
                ui.add(egui::TextEdit::multiline(&mut dialog.text).desired_rows(3).desired_width(320.0))
                    .labelled_by(name.id);
                ui.end_row();
                date_time_field(ui, s::RULED_ON, &mut dialog.ruled_on, false);
            });
            error_ui(ui, dialog.error.as_deref());
            ui.horizontal(|ui| {
                if ui.write_button(s::CONFIRM).clicked() {
                    match (dialog.ruling, parse_day(&dialog.ruled_on)) {
                        (Some(ruling), Some(ruled_on)) => commands.push(ContestCommand::RuleObjection {
                            id: dialog.id,
                            ruling,
                            text: dialog.text.clone(),
                            ruled_on,
                        }),
                        (None, _) => dialog.error = Some("请选择处理结果".to_string()),
                        (_, None) => dialog.error = Some("处理日期应写成 2017-09-01 这样的格式".to_string()),
                    }
                }
                close = ui.button(s::CANCEL).clicked();
            });
        });
        if close || escaped {
            self.ruling = None;
        }
    }
}

/// The awards as publicised: tier, work, author and unit, the cash amount; revoked ones last.
/// `vscroll`: the table scrolls itself (off inside a scroll area of the screen's).
fn awards_table_ui(ui: &mut egui::Ui, data: &ContestData, vscroll: bool) {
    let awards: &[AwardRow] = &data.awards;
    if awards.is_empty() {
        hint(ui, "尚未授奖。");
        return;
    }
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
    TableBuilder::new(ui)
        .id_salt("award_list")
        .vscroll(vscroll)
        .striped(true)
        .column(Column::auto().at_least(60.0))
        .column(Column::auto().at_least(70.0))
        .column(Column::initial(260.0).clip(true))
        .column(Column::auto().at_least(70.0))
        .column(Column::initial(180.0).clip(true))
        .column(Column::auto().at_least(70.0))
        .column(Column::remainder())
        .header(row_height, |mut header| {
            for title in ["奖项", s::WORK_CODE, "标题 / 内容", s::WORK_AUTHOR, s::WORK_UNIT, "奖金（元）", "备注"]
            {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, awards.len(), |mut row| {
                let award = &awards[row.index()];
                let (_, content) = data.text_of(award.work_id);
                let shown = if award.title.is_empty() { super::excerpt(content, 30) } else { award.title.clone() };
                for text in [
                    award.tier_name.clone(),
                    award.code.clone(),
                    shown,
                    award.author.clone(),
                    award.unit_name.clone(),
                    award.amount_yuan.to_string(),
                    award.revoked.as_ref().map_or(String::new(), |why| format!("已撤销：{why}")),
                ] {
                    row.col(|ui| {
                        ui.add(egui::Label::new(text).truncate());
                    });
                }
            });
        });
}

/// Per tier left short of its quota by the awards standing: `三等奖名额 20 个，现有 19 件，空缺 1 个。`
pub(super) fn vacancy_lines(data: &ContestData) -> Vec<String> {
    let standing = |rank: u8| data.awards.iter().filter(|a| a.tier == rank && a.revoked.is_none()).count() as u32;
    vacancies(data, standing)
}

/// Per tier short of its quota when `given(rank)` works hold it.
pub(super) fn vacancies(data: &ContestData, given: impl Fn(u8) -> u32) -> Vec<String> {
    data.tiers
        .iter()
        .filter(|t| given(t.rank) < t.quota)
        .map(|t| {
            let n = given(t.rank);
            format!("{}名额 {} 个，现有 {n} 件，空缺 {} 个。", t.name(), t.quota, t.quota - n)
        })
        .collect()
}
