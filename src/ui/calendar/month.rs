//! The month view: the toolbar, the grid of days with holidays and festivals, and the activity chips.

use chrono::{Datelike as _, NaiveDate};
use egui::{Color32, RichText};

use super::{ActivityForm, CalendarData, CalendarTab, View, signup_summary};
use crate::domain::ServiceMode;
use crate::domain::calendar::{ACTIVITY_MONTH_LABEL, DayMark, WEEKDAY_LABELS};
use crate::store::activities::ActivityRow;
use crate::ui::clock;
use crate::ui::registry::RegistryData;
use crate::ui::strings as s;
use crate::ui::widgets::WriteUi;

const MAX_IN_CELL: usize = 3;

impl CalendarTab {
    pub(super) fn header_ui(&mut self, ui: &mut egui::Ui, data: &CalendarData, registry: &RegistryData) {
        ui.horizontal_wrapped(|ui| {
            if ui.button("◀").on_hover_text(s::PREVIOUS_MONTH).clicked() {
                (self.year, self.month) =
                    if self.month == 1 { (self.year - 1, 12) } else { (self.year, self.month - 1) };
            }
            ui.heading(format!("{}年{}月", self.year, self.month));
            if ui.button("▶").on_hover_text(s::NEXT_MONTH).clicked() {
                (self.year, self.month) =
                    if self.month == 12 { (self.year + 1, 1) } else { (self.year, self.month + 1) };
            }
            let label = ui.label(s::GO_TO_YEAR);
            ui.add(egui::DragValue::new(&mut self.year).range(2000..=2100).suffix(" 年")).labelled_by(label.id);
            if ui.button(s::TODAY).clicked() {
                self.month = 0;
                self.shown_month(clock::today(ui.ctx()));
            }
            ui.separator();
            ui.selectable_value(&mut self.view, View::Month, s::MONTH_VIEW);
            ui.selectable_value(&mut self.view, View::List, s::LIST_VIEW);
            ui.separator();
            let label = ui.label(s::FILTER_UNIT);
            let unit = self.unit_filter.and_then(|id| registry.units.iter().find(|u| u.id == id));
            egui::ComboBox::from_id_salt("calendar_unit")
                .selected_text(unit.map_or(s::ALL_UNITS, |u| u.name.as_str()))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.unit_filter, None, s::ALL_UNITS);
                    for unit in &registry.units {
                        ui.selectable_value(&mut self.unit_filter, Some(unit.id), &unit.name);
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label(s::FILTER_TEAM);
            let team = self.team_filter.and_then(|id| registry.teams.iter().find(|t| t.id == id));
            egui::ComboBox::from_id_salt("calendar_team")
                .selected_text(team.map_or(s::ALL_TEAMS, |t| t.name.as_str()))
                .width(200.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.team_filter, None, s::ALL_TEAMS);
                    let in_unit = registry.teams.iter().filter(|t| self.unit_filter.is_none_or(|u| t.unit_id == u));
                    for team in in_unit {
                        ui.selectable_value(&mut self.team_filter, Some(team.id), &team.name);
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label(s::FILTER_CATEGORY);
            egui::ComboBox::from_id_salt("calendar_category")
                .selected_text(self.category_filter.as_deref().unwrap_or(s::ALL_CATEGORIES))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.category_filter, None, s::ALL_CATEGORIES);
                    for c in &data.categories {
                        ui.selectable_value(&mut self.category_filter, Some(c.clone()), c);
                    }
                })
                .response
                .labelled_by(label.id);
            if ui.write_button(s::NEW_ACTIVITY).clicked() {
                let now = clock::now(ui.ctx());
                self.form = Some(ActivityForm::on_day(now.date() + chrono::Duration::days(7), now));
            }
        });
        if data.month.is_activity_month() {
            ui.label(
                RichText::new(format!("七月 · {ACTIVITY_MONTH_LABEL}")).color(Color32::from_rgb(200, 16, 46)).strong(),
            );
        }
        if !data.month.has_holiday_schedule() {
            ui.label(RichText::new(s::NO_HOLIDAY_SCHEDULE).weak());
        }
        ui.horizontal(|ui| {
            legend_ui(ui, mode_color(ServiceMode::Concentrated), "集中服务");
            legend_ui(ui, mode_color(ServiceMode::Dispersed), "分散服务");
            legend_ui(ui, Color32::GRAY, "已取消");
        });
    }

    pub(super) fn month_ui(&mut self, ui: &mut egui::Ui, data: &CalendarData, visible: &[&ActivityRow]) {
        let weeks = data.month.weeks();
        let spacing = 4.0;
        let width = ((ui.available_width() - spacing * 6.0) / 7.0).max(80.0);
        let header = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        let height = ((ui.available_height() - header) / weeks.len().max(1) as f32 - spacing).max(70.0);
        egui::ScrollArea::vertical().show(ui, |ui| {
            egui::Grid::new("month_grid").spacing([spacing, spacing]).min_col_width(width).show(ui, |ui| {
                for label in WEEKDAY_LABELS {
                    ui.vertical_centered(|ui| ui.strong(label));
                }
                ui.end_row();
                for week in weeks {
                    for day in week {
                        match day {
                            Some(day) => self.day_cell_ui(ui, data, visible, *day, egui::vec2(width, height)),
                            None => {
                                ui.allocate_space(egui::vec2(width, height));
                            }
                        }
                    }
                    ui.end_row();
                }
            });
        });
    }

    fn day_cell_ui(
        &mut self,
        ui: &mut egui::Ui,
        data: &CalendarData,
        visible: &[&ActivityRow],
        day: NaiveDate,
        size: egui::Vec2,
    ) {
        let info = data.month.day(day);
        let marks = info.map(|d| d.marks.as_slice()).unwrap_or_default();
        let rest = marks.iter().any(|m| matches!(m, DayMark::RestDay { .. }));
        let fill = if day == clock::today(ui.ctx()) {
            Color32::from_rgb(255, 248, 220)
        } else if rest {
            Color32::from_rgb(253, 236, 236)
        } else {
            ui.visuals().faint_bg_color
        };
        let (rect, background) = ui.allocate_exact_size(size, egui::Sense::click());
        ui.painter().rect_filled(rect, 4.0, fill);
        if background.clicked() {
            self.form = Some(ActivityForm::on_day(day, clock::now(ui.ctx())));
        }
        let mut cell = ui.new_child(
            egui::UiBuilder::new().max_rect(rect.shrink(4.0)).layout(egui::Layout::top_down(egui::Align::Min)),
        );
        cell.set_clip_rect(rect);
        cell.horizontal(|ui| {
            let number = RichText::new(day.day().to_string()).strong();
            let number = if rest || day.weekday().num_days_from_monday() >= 5 {
                number.color(Color32::from_rgb(200, 16, 46))
            } else {
                number
            };
            if ui
                .add_write(true, egui::Button::new(number).frame(false))
                .on_hover_text(s::NEW_ACTIVITY_ON_DAY)
                .clicked()
            {
                self.form = Some(ActivityForm::on_day(day, clock::now(ui.ctx())));
            }
            if let Some(badge) = marks.iter().find_map(DayMark::badge) {
                ui.label(RichText::new(badge).small().color(if badge == "班" {
                    Color32::DARK_GRAY
                } else {
                    Color32::from_rgb(200, 16, 46)
                }));
            }
            let note = marks
                .iter()
                .find(|m| matches!(m, DayMark::Festival(_) | DayMark::Occasion(_)))
                .map(DayMark::label)
                .or_else(|| info.map(|d| d.lunar.clone()))
                .unwrap_or_default();
            let festive = marks.iter().any(|m| matches!(m, DayMark::Festival(_) | DayMark::Occasion(_)));
            ui.label(if festive {
                RichText::new(note).small().color(Color32::from_rgb(200, 16, 46))
            } else {
                RichText::new(note).small().weak()
            });
        });
        let today: Vec<&&ActivityRow> =
            visible.iter().filter(|a| a.starts_at.starts_with(&day.format("%Y-%m-%d").to_string())).collect();
        for a in today.iter().take(MAX_IN_CELL) {
            if activity_chip_ui(&mut cell, a).clicked() {
                self.open(a.id);
            }
        }
        if today.len() > MAX_IN_CELL {
            cell.label(RichText::new(format!("另有 {} 项", today.len() - MAX_IN_CELL)).small().weak());
        }
    }
}

fn legend_ui(ui: &mut egui::Ui, color: Color32, text: &str) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
    ui.painter().rect_filled(rect, 2.0, color);
    ui.label(RichText::new(text).small());
}

fn mode_color(mode: ServiceMode) -> Color32 {
    match mode {
        ServiceMode::Concentrated => Color32::from_rgb(41, 98, 255),
        ServiceMode::Dispersed => Color32::from_rgb(46, 125, 50),
    }
}

/// An activity in a day cell: its start time and name on its mode's colour.
fn activity_chip_ui(ui: &mut egui::Ui, a: &ActivityRow) -> egui::Response {
    let color = if a.cancelled_at.is_some() { Color32::GRAY } else { mode_color(a.mode) };
    let time = a.starts_at.get(11..16).unwrap_or("");
    let mut text = RichText::new(format!("{time} {}", a.name)).small().color(Color32::WHITE);
    if a.cancelled_at.is_some() {
        text = text.strikethrough();
    }
    ui.add(egui::Button::new(text).fill(color).truncate()).on_hover_text(format!(
        "{}\n{} · {} · {}\n{}",
        a.name,
        a.team_name,
        a.category,
        a.mode.label(),
        signup_summary(a)
    ))
}
