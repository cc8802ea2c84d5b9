//! The Chinese date and time field the forms share: type `2017-07-01 08:30`, or pick the day
//! from a month grid (周一…周日) and set the hour and minute.

use chrono::{Datelike as _, NaiveDate, NaiveTime, Timelike as _};
use egui::RichText;

use crate::domain::calendar::{WEEKDAY_LABELS, month_grid};
use crate::domain::{DATE_FORMAT, MINUTE_FORMAT};

/// A text field for a date (`with_time = false`) or a date and time, named by `label`, with a
/// 选择 button that opens the picker. Returns whether the text changed.
pub fn date_time_field(ui: &mut egui::Ui, label: &str, text: &mut String, with_time: bool) -> bool {
    let name = ui.label(label);
    let mut changed = false;
    ui.horizontal(|ui| {
        let hint = if with_time { "2017-07-01 08:30" } else { "2017-07-01" };
        changed |= ui
            .add(egui::TextEdit::singleline(text).desired_width(field_width(ui, hint)).hint_text(hint))
            .labelled_by(name.id)
            .changed();
        let (date, time) = parse(text, with_time);
        if let Some(date) = date {
            ui.label(RichText::new(weekday_label(date)).weak());
        }
        let button = ui.button("选择").on_hover_text(format!("从日历选择{label}"));
        egui::Popup::from_toggle_button_response(&button)
            .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
            .show(|ui| {
                if let Some((new_date, new_time)) = picker_ui(ui, date, time, with_time) {
                    *text = format(new_date, new_time, with_time);
                    changed = true;
                }
            });
    });
    ui.end_row();
    changed
}

/// Wide enough for a whole date (and time) at the chosen text size: fixed widths in points cut
/// `2026-12-14 08:30` to `2026-12-14 0…` at 特大.
fn field_width(ui: &egui::Ui, sample: &str) -> f32 {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let text = ui.painter().layout_no_wrap(sample.to_string(), font, egui::Color32::PLACEHOLDER).size().x;
    // The field's inner margins, and room for the cursor after the last digit.
    text + 2.0 * ui.spacing().button_padding.x + 12.0
}

/// 周一 … 周日 for a date.
pub fn weekday_label(date: NaiveDate) -> &'static str {
    WEEKDAY_LABELS[date.weekday().num_days_from_monday() as usize]
}

fn parse(text: &str, with_time: bool) -> (Option<NaiveDate>, NaiveTime) {
    let default_time = NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN);
    if with_time {
        match chrono::NaiveDateTime::parse_from_str(text.trim(), MINUTE_FORMAT) {
            Ok(dt) => (Some(dt.date()), dt.time()),
            Err(_) => (NaiveDate::parse_from_str(text.trim().get(..10).unwrap_or(""), DATE_FORMAT).ok(), default_time),
        }
    } else {
        (NaiveDate::parse_from_str(text.trim(), DATE_FORMAT).ok(), default_time)
    }
}

fn format(date: NaiveDate, time: NaiveTime, with_time: bool) -> String {
    if with_time { date.and_time(time).format(MINUTE_FORMAT).to_string() } else { date.format(DATE_FORMAT).to_string() }
}

/// The month grid and time controls; `Some` when the user picked something.
fn picker_ui(
    ui: &mut egui::Ui,
    date: Option<NaiveDate>,
    time: NaiveTime,
    with_time: bool,
) -> Option<(NaiveDate, NaiveTime)> {
    let id = ui.scope_id().with("shown_month");
    let today = super::clock::today(ui.ctx());
    let selected = date.unwrap_or(today);
    let (mut year, mut month) =
        ui.data_mut(|d| *d.get_temp_mut_or_insert_with(id, || (selected.year(), selected.month())));
    let mut picked = None;
    ui.horizontal(|ui| {
        if ui.button("◀").on_hover_text("上个月").clicked() {
            (year, month) = if month == 1 { (year - 1, 12) } else { (year, month - 1) };
        }
        ui.strong(format!("{year}年{month}月"));
        if ui.button("▶").on_hover_text("下个月").clicked() {
            (year, month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
        }
        if ui.button("今天").clicked() {
            (year, month) = (today.year(), today.month());
            picked = Some((today, time));
        }
    });
    ui.data_mut(|d| d.insert_temp(id, (year, month)));
    egui::Grid::new(id.with("grid")).spacing([2.0, 2.0]).show(ui, |ui| {
        for label in WEEKDAY_LABELS {
            ui.label(RichText::new(label).small().weak());
        }
        ui.end_row();
        for week in month_grid(year, month) {
            for day in week {
                match day {
                    Some(day) => {
                        let text = RichText::new(day.day().to_string());
                        if ui.selectable_label(date == Some(day), text).clicked() {
                            picked = Some((day, time));
                        }
                    }
                    None => {
                        ui.label("");
                    }
                }
            }
            ui.end_row();
        }
    });
    if with_time {
        let (mut hour, mut minute) = (time.hour(), time.minute());
        let changed = ui
            .horizontal(|ui| {
                let h = ui.add(egui::DragValue::new(&mut hour).range(0..=23).suffix(" 时")).on_hover_text("小时");
                let m = ui
                    .add(egui::DragValue::new(&mut minute).range(0..=59).speed(0.5).suffix(" 分"))
                    .on_hover_text("分钟");
                h.changed() || m.changed()
            })
            .inner;
        if changed && let Some(new_time) = NaiveTime::from_hms_opt(hour, minute, 0) {
            picked = Some((picked.map_or(selected, |(d, _)| d), new_time));
        }
    }
    picked
}
