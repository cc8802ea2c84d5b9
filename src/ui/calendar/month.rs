//! The month view: the toolbar, the grid of days with holidays and festivals, and the activity chips.

use chrono::{Datelike as _, NaiveDate};
use egui::{Color32, RichText};

use super::{ActivityForm, CalendarData, CalendarTab, View, signup_summary};
use crate::domain::ServiceMode;
use crate::domain::calendar::{ACTIVITY_MONTH_LABEL, DayMark, WEEKDAY_LABELS};
use crate::store::activities::ActivityRow;
use crate::ui::clock;
use crate::ui::people::RegistryData;
use crate::ui::strings as s;
use crate::ui::widgets::WriteUi;

const MAX_IN_CELL: usize = 3;

/// Space between a day cell's edge and what it shows.
const CELL_MARGIN: f32 = 4.0;

/// Characters a chip's line must hold for a name to stay on one line, cut and whole on hover:
/// the time and about eight characters of the name.
const ONE_LINE_FROM: f32 = 11.0;

/// Lines a chip's name wraps onto where a line holds fewer.
const WRAPPED_ROWS: usize = 3;

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
            labelled(ui, s::GO_TO_YEAR, |ui| {
                ui.add(egui::DragValue::new(&mut self.year).range(2000..=2100).suffix(" 年"))
            });
            if ui.button(s::TODAY).clicked() {
                self.month = 0;
                self.shown_month(clock::today(ui.ctx()));
            }
            ui.separator();
            ui.selectable_value(&mut self.view, View::Month, s::MONTH_VIEW);
            ui.selectable_value(&mut self.view, View::List, s::LIST_VIEW);
            ui.separator();
            let unit = self.unit_filter.and_then(|id| registry.units.iter().find(|u| u.id == id));
            labelled(ui, s::FILTER_UNIT, |ui| {
                egui::ComboBox::from_id_salt("calendar_unit")
                    .selected_text(unit.map_or(s::ALL_UNITS, |u| u.name.as_str()))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.unit_filter, None, s::ALL_UNITS);
                        for unit in &registry.units {
                            ui.selectable_value(&mut self.unit_filter, Some(unit.id), &unit.name);
                        }
                    })
                    .response
            });
            let team = self.team_filter.and_then(|id| registry.teams.iter().find(|t| t.id == id));
            labelled(ui, s::FILTER_TEAM, |ui| {
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
            });
            labelled(ui, s::FILTER_CATEGORY, |ui| {
                egui::ComboBox::from_id_salt("calendar_category")
                    .selected_text(self.category_filter.as_deref().unwrap_or(s::ALL_CATEGORIES))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.category_filter, None, s::ALL_CATEGORIES);
                        for c in &data.categories {
                            ui.selectable_value(&mut self.category_filter, Some(c.clone()), c);
                        }
                    })
                    .response
            });
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
        let chip_rows = chip_rows(ui, width - CELL_MARGIN * 2.0);
        let height = ((ui.available_height() - header) / weeks.len().max(1) as f32 - spacing)
            .max(cell_height_for_two(ui, chip_rows));
        egui::ScrollArea::vertical().show(ui, |ui| {
            egui::Grid::new("month_grid").spacing([spacing, spacing]).min_col_width(width).show(ui, |ui| {
                // Exactly a cell wide: a header as wide as the room left would keep last frame's
                // column width, so the grid never narrowed (after 特大, or a scroll bar) and cut 周日.
                for label in WEEKDAY_LABELS {
                    ui.add_sized([width, header], egui::Label::new(RichText::new(label).strong()));
                }
                ui.end_row();
                for week in weeks {
                    for day in week {
                        match day {
                            Some(day) => {
                                self.day_cell_ui(ui, data, visible, *day, egui::vec2(width, height), chip_rows)
                            }
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
        chip_rows: usize,
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
            egui::UiBuilder::new().max_rect(rect.shrink(CELL_MARGIN)).layout(egui::Layout::top_down(egui::Align::Min)),
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
            let note = match info.and_then(|d| d.name) {
                Some(name) => RichText::new(name).small().color(Color32::from_rgb(200, 16, 46)),
                None => RichText::new(info.map(|d| d.lunar.as_str()).unwrap_or_default()).small().weak(),
            };
            let note = ui.label(note);
            if !marks.is_empty() {
                // 国庆节放假、中秋: what 休 and 班 are for, and every festival of the day.
                note.on_hover_text(marks.iter().map(DayMark::label).collect::<Vec<_>>().join("、"));
            }
        });
        let today: Vec<&&ActivityRow> =
            visible.iter().filter(|a| a.starts_at.starts_with(&day.format("%Y-%m-%d").to_string())).collect();
        for a in today.iter().take(MAX_IN_CELL) {
            if activity_chip_ui(&mut cell, a, chip_rows).clicked() {
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

/// A label and its control on one row that the toolbar wraps as a unit: at 特大 类别 must not end
/// a line with its list on the next. The pair's width is last frame's, so the row breaks before
/// it when it would not fit.
fn labelled(ui: &mut egui::Ui, label: &str, control: impl FnOnce(&mut egui::Ui) -> egui::Response) {
    let id = ui.make_persistent_id(("labelled", label));
    let width = ui.data(|d| d.get_temp::<f32>(id)).unwrap_or_default();
    if width > ui.available_size_before_wrap().x {
        ui.end_row();
    }
    let pair = ui.horizontal(|ui| {
        let label = ui.label(label);
        control(ui).labelled_by(label.id);
    });
    ui.data_mut(|d| d.insert_temp(id, pair.response.rect.width()));
}

/// Lines a chip's name may take in a cell `width` wide: one where a line holds
/// [`ONE_LINE_FROM`] Chinese characters, else [`WRAPPED_ROWS`] (特大 cut names to four).
fn chip_rows(ui: &egui::Ui, width: f32) -> usize {
    let padding = ui.spacing().button_padding.x * 2.0;
    // A Chinese character is one em wide.
    let characters = (width - padding) / egui::TextStyle::Small.resolve(ui.style()).size;
    if characters >= ONE_LINE_FROM { 1 } else { WRAPPED_ROWS }
}

/// A cell tall enough for its date and two chips of `chip_rows` lines.
fn cell_height_for_two(ui: &egui::Ui, chip_rows: usize) -> f32 {
    let spacing = ui.spacing();
    let chip = ui.text_style_height(&egui::TextStyle::Small) * chip_rows as f32 + spacing.button_padding.y * 2.0;
    let date = spacing.interact_size.y.max(ui.text_style_height(&egui::TextStyle::Body));
    (CELL_MARGIN * 2.0 + date + 2.0 * (chip + spacing.item_spacing.y)).max(70.0)
}

/// An activity in a day cell: its start time and name on its mode's colour, on `rows` lines at
/// most, cut with … beyond them; the whole name on hover.
fn activity_chip_ui(ui: &mut egui::Ui, a: &ActivityRow, rows: usize) -> egui::Response {
    let color = if a.cancelled_at.is_some() { Color32::GRAY } else { mode_color(a.mode) };
    let time = a.starts_at.get(11..16).unwrap_or("");
    let mut text = RichText::new(format!("{time} {}", a.name)).small().color(Color32::WHITE);
    if a.cancelled_at.is_some() {
        text = text.strikethrough();
    }
    let mut job = std::sync::Arc::unwrap_or_clone(egui::WidgetText::from(text).into_layout_job(
        ui.style(),
        egui::FontSelection::Default,
        egui::Align::Center,
    ));
    job.wrap = egui::text::TextWrapping {
        max_width: ui.available_width() - ui.spacing().button_padding.x * 2.0,
        max_rows: rows,
        break_anywhere: true,
        overflow_character: Some('…'),
    };
    let galley = ui.ctx().fonts_mut(|fonts| fonts.layout_job(job));
    ui.add(egui::Button::new(galley).fill(color)).on_hover_text(format!(
        "{}\n{} · {} · {}\n{}",
        a.name,
        a.team_name,
        a.category,
        a.mode.label(),
        signup_summary(a)
    ))
}
