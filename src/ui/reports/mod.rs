//! The 报表 tab: the year at a glance — its figures as large numbers, hours by month, unit and
//! category, the units whose volunteers average below the yearly threshold (a click opens a
//! unit's detail) — the threshold setting, the assessment workbook's export with progress and
//! cancel, and 志愿服务证明 (issue, or reprint by serial).

mod data;
mod run;

use chrono::{Datelike as _, NaiveDate};
use egui::{Color32, RichText};
use egui_plot::{AxisHints, Bar, BarChart, GridInput, GridMark, Plot};

use std::sync::Arc;

use super::date_picker::date_time_field;
use super::jobs::Job;
use super::people::RegistryData;
use super::strings as s;
use super::tab::{Read, TabContext, TabScreen};
use super::widgets::{WriteUi, escape_pressed, window};
use crate::domain::calendar::REPORT_YEARS;
use crate::domain::{DATE_FORMAT, Minutes};
use crate::error::Result;
use crate::io::report::{ExportProgress, ExportSummary};
use crate::store::report::{Figures, Hours, UnitFigures, YearReport, ratio};
use crate::store::volunteers::VolunteerRow;

const CREDIT_COLOR: Color32 = Color32::from_rgb(0x2E, 0x75, 0xB6);
const HONOR_COLOR: Color32 = Color32::from_rgb(0xC0, 0x50, 0x4D);
/// How many units the chart by unit shows (the busiest).
const UNITS_IN_CHART: usize = 15;

/// What the tab asks the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum ReportsCommand {
    SetThreshold(Minutes),
    Export(i32),
    CancelExport,
    IssueCertificate { volunteer_id: i64, name: String, from: NaiveDate, to: NaiveDate },
    Reprint(String),
}

/// What the tab shows: the year's report as read from the store.
pub struct ReportsData {
    pub report: YearReport,
}

/// An export running on a worker thread with its own connection.
struct Export {
    progress: Arc<ExportProgress>,
    job: Job<ExportSummary>,
}

/// The 报表 tab: its screen, the year's report and the export in progress. The report is kept
/// on screen while a change is read again on the tab's worker (a million sessions take a
/// second or two).
#[derive(Default)]
pub struct Reports {
    screen: ReportsTab,
    data: Read<i32, ReportsData>,
    export: Option<Export>,
}

impl TabScreen for Reports {
    type Command = ReportsCommand;

    /// Draws the tab; the year's report is read in the background when it is stale.
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut TabContext<'_>, commands: &mut Vec<ReportsCommand>) {
        if let Err(err) = self.screen.choose_year(cx) {
            cx.read_failed(&err);
        }
        self.data.refresh(self.screen.year, cx.reader(), |store, &year| data::read(store, year));
        match self.data.get() {
            Some(data) if data.report.year == self.screen.year => {
                let export = self.export.as_ref().map(|e| e.progress.as_ref());
                // The registry's search, for the certificate window only.
                let people = if self.screen.certificate.is_some() { cx.people() } else { None };
                self.screen.tab_ui(ui, data, export, people, commands);
            }
            _ => {
                let pending = self.data.is_pending();
                egui::CentralPanel::default().show(ui, |ui| {
                    if pending {
                        ui.weak(s::READING_REPORT);
                    }
                });
            }
        }
    }

    fn run(&mut self, cx: &mut TabContext<'_>, command: ReportsCommand) {
        if let Some(outcome) = self.carry_out(cx, command) {
            cx.finish(outcome);
        }
    }

    /// Something changed in the store: read again.
    fn data_changed(&mut self) {
        self.data.forget();
    }

    /// How the export ended, once it has.
    fn poll(&mut self, cx: &mut TabContext<'_>) {
        if let Some(outcome) = self.poll_export() {
            cx.finish(outcome);
        }
    }

    fn is_busy(&self) -> bool {
        self.export.is_some()
    }

    fn is_reading(&self) -> bool {
        self.data.is_pending()
    }
}

/// What the 报表 screen holds: the year in view, the threshold being typed, open windows.
#[derive(Default)]
struct ReportsTab {
    /// The year in view; 0 until the first read picks the latest year with activities.
    year: i32,
    threshold_text: String,
    /// The threshold `threshold_text` was filled from; refilled when the stored one changes.
    threshold_shown: Option<Minutes>,
    threshold_error: Option<String>,
    open_unit: Option<i64>,
    certificate: Option<CertificateForm>,
}

/// The 志愿服务证明 window's fields.
#[derive(Clone, Debug, Default)]
pub struct CertificateForm {
    /// A name, pinyin initials, a phone tail or a 志愿者编号, as the registry searches.
    query: String,
    /// The candidate picked from the list, while `query` is still what it was picked for.
    chosen: Option<(i64, String)>,
    from: String,
    to: String,
    serial: String,
    pub error: Option<String>,
}

impl ReportsTab {
    fn tab_ui(
        &mut self,
        ui: &mut egui::Ui,
        data: &ReportsData,
        export: Option<&ExportProgress>,
        people: Option<&RegistryData>,
        commands: &mut Vec<ReportsCommand>,
    ) {
        let report = &data.report;
        if self.threshold_shown != Some(report.threshold) {
            self.threshold_text = report.threshold.to_string();
            self.threshold_shown = Some(report.threshold);
        }
        egui::CentralPanel::default().show(ui, |ui| {
            self.toolbar_ui(ui, export, commands);
            ui.separator();
            egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
                figures_ui(ui, report);
                ui.add_space(12.0);
                charts_ui(ui, report);
                ui.add_space(12.0);
                self.threshold_ui(ui, report, commands);
            });
        });
        self.unit_window(ui.ctx(), report);
        self.certificate_window(ui.ctx(), people, commands);
    }

    fn toolbar_ui(&mut self, ui: &mut egui::Ui, export: Option<&ExportProgress>, commands: &mut Vec<ReportsCommand>) {
        ui.horizontal(|ui| {
            let label = ui.label(s::REPORT_YEAR);
            // Taken on Enter or when the field is left: applied per keystroke, the first digit
            // of a year typed over the old one would be clamped into the range at once.
            let year = egui::DragValue::new(&mut self.year).range(REPORT_YEARS).speed(0.05).update_while_editing(false);
            ui.add(year).labelled_by(label.id);
            ui.add_space(16.0);
            match export {
                Some(progress) => {
                    let (done, total) = progress.counts();
                    let text = format!("{}：{done} / {total} 行", progress.stage().label());
                    ui.add(egui::ProgressBar::new(progress.fraction()).text(text).desired_width(320.0).animate(true));
                    if ui.button(s::CANCEL_EXPORT).clicked() {
                        commands.push(ReportsCommand::CancelExport);
                    }
                    ui.ctx().request_repaint_after(std::time::Duration::from_millis(100));
                }
                None => {
                    if ui.button(s::EXPORT_REPORT).on_hover_text(s::EXPORT_REPORT_HINT).clicked() {
                        commands.push(ReportsCommand::Export(self.year));
                    }
                }
            }
            if ui.button(s::CERTIFICATE).clicked() && self.certificate.is_none() {
                self.certificate = Some(CertificateForm::for_year(self.year, super::clock::today(ui.ctx())));
            }
        });
    }

    fn threshold_ui(&mut self, ui: &mut egui::Ui, report: &YearReport, commands: &mut Vec<ReportsCommand>) {
        ui.heading(s::BELOW_THRESHOLD);
        ui.horizontal(|ui| {
            let label = ui.label(s::THRESHOLD);
            ui.add(egui::TextEdit::singleline(&mut self.threshold_text).desired_width(60.0)).labelled_by(label.id);
            ui.label("小时");
            if ui.write_button(s::SAVE_THRESHOLD).clicked() {
                match Minutes::parse_hours(&self.threshold_text) {
                    Some(minutes) => {
                        self.threshold_error = None;
                        commands.push(ReportsCommand::SetThreshold(minutes));
                    }
                    None => self.threshold_error = Some("请填写时数，如 20 或 12.5".to_string()),
                }
            }
            ui.label(RichText::new(s::THRESHOLD_HINT).weak());
        });
        if let Some(error) = &self.threshold_error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        let threshold_hours = report.threshold.0 as f64 / 60.0;
        let mut below: Vec<&UnitFigures> =
            report.units.iter().filter(|u| u.figures.hours_per_volunteer().unwrap_or(0.0) < threshold_hours).collect();
        below.sort_by(|a, b| per_head(a).total_cmp(&per_head(b)).then(a.name.cmp(&b.name)));
        ui.label(format!(
            "人均服务时数低于 {} 小时的单位 {} 个（共 {} 个）；点击单位查看详情。",
            report.threshold,
            below.len(),
            report.units.len()
        ));
        egui::Grid::new("units_below").striped(true).num_columns(6).spacing([16.0, 4.0]).show(ui, |ui| {
            for title in ["单位", "注册人数", "参与率", "总时数", "人均时数", "达标率"] {
                ui.label(RichText::new(title).strong());
            }
            ui.end_row();
            for unit in below {
                if ui.link(&unit.name).clicked() {
                    self.open_unit = Some(unit.unit_id);
                }
                let f = &unit.figures;
                ui.label(f.registered.to_string());
                ui.label(percent(f.participation_rate()));
                ui.label(f.hours.total().clock());
                ui.label(decimal(f.hours_per_volunteer()));
                ui.label(percent(f.threshold_share()));
                ui.end_row();
            }
        });
    }

    fn unit_window(&mut self, ctx: &egui::Context, report: &YearReport) {
        let Some(unit) = self.open_unit.and_then(|id| report.units.iter().find(|u| u.unit_id == id)) else { return };
        let mut open = true;
        window(format!("{} {}年度详情", unit.name, report.year))
            .open(&mut open)
            .default_width(640.0)
            .show(ctx, |ui| unit_detail_ui(ui, unit, report));
        if !open || escape_pressed(ctx) {
            self.open_unit = None;
        }
    }

    fn certificate_window(
        &mut self,
        ctx: &egui::Context,
        people: Option<&RegistryData>,
        commands: &mut Vec<ReportsCommand>,
    ) {
        let Some(form) = &mut self.certificate else { return };
        let found = people.map_or_else(Vec::new, |p| form.candidates(p));
        let mut open = true;
        let mut close = false;
        egui::Window::new(s::CERTIFICATE)
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                ui.label(RichText::new(s::CERTIFICATE_HINT).weak());
                egui::Grid::new("certificate_form").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                    let label = ui.label(s::CERTIFICATE_VOLUNTEER);
                    ui.add(egui::TextEdit::singleline(&mut form.query).hint_text(s::CERTIFICATE_SEARCH_HINT))
                        .labelled_by(label.id);
                    ui.end_row();
                    ui.label("");
                    form.candidates_ui(ui, &found);
                    ui.end_row();
                    date_time_field(ui, s::CERTIFICATE_FROM, &mut form.from, false);
                    date_time_field(ui, s::CERTIFICATE_TO, &mut form.to, false);
                });
                if ui.write_button(s::ISSUE_CERTIFICATE).clicked() {
                    match form.request(&found) {
                        Ok(command) => commands.push(command),
                        Err(error) => form.error = Some(error),
                    }
                }
                ui.separator();
                ui.horizontal(|ui| {
                    let label = ui.label(s::CERTIFICATE_SERIAL);
                    // A serial is of the year it is issued in, whatever year is in view.
                    let issued = super::clock::today(ctx).year();
                    ui.add(egui::TextEdit::singleline(&mut form.serial).hint_text(format!("ZM{issued}-00001")))
                        .labelled_by(label.id);
                    if ui.button(s::REPRINT).clicked() {
                        commands.push(ReportsCommand::Reprint(form.serial.trim().to_string()));
                    }
                });
                if let Some(error) = &form.error {
                    ui.colored_label(ui.visuals().error_fg_color, error);
                }
                if ui.button(s::CLOSE).clicked() {
                    close = true;
                }
            });
        if !open || close || escape_pressed(ctx) {
            self.certificate = None;
        }
    }
}

impl CertificateForm {
    /// The year in view as the default period, up to today: service not yet done is not
    /// certified.
    fn for_year(year: i32, today: NaiveDate) -> Self {
        let end = NaiveDate::from_ymd_opt(year, 12, 31).map_or(today, |end| end.min(today));
        CertificateForm {
            from: format!("{year:04}-01-01"),
            to: end.format(DATE_FORMAT).to_string(),
            ..Default::default()
        }
    }

    /// Who the query finds: the one picked from the list, the one whose 编号 it is, or every
    /// match (at most [`CANDIDATES`]).
    fn candidates<'a>(&self, people: &'a RegistryData) -> Vec<&'a VolunteerRow> {
        let query = self.query.trim();
        let found = people.find(query, CANDIDATES);
        let picked = |v: &&VolunteerRow| {
            self.chosen.as_ref().is_some_and(|(id, picked_for)| v.id == *id && picked_for == query)
                || v.code.eq_ignore_ascii_case(query)
        };
        match found.iter().copied().find(picked) {
            Some(one) => vec![one],
            None => found,
        }
    }

    /// One match: who the certificate is for; several: the list to pick from, told apart by
    /// unit, 编号 and phone tail.
    fn candidates_ui(&mut self, ui: &mut egui::Ui, found: &[&VolunteerRow]) {
        ui.vertical(|ui| match found {
            [] if self.query.trim().is_empty() => {}
            [] => {
                ui.label(RichText::new(s::CERTIFICATE_NOBODY).weak());
            }
            [one] => {
                ui.label(format!("{}{}", s::CERTIFICATE_FOR, candidate_label(one)));
            }
            several => {
                ui.label(RichText::new(format!("找到 {} 位志愿者，请选择：", several.len())).weak());
                for v in several {
                    if ui.selectable_label(false, candidate_label(v)).clicked() {
                        self.chosen = Some((v.id, self.query.trim().to_string()));
                    }
                }
            }
        });
    }

    fn request(&self, found: &[&VolunteerRow]) -> Result<ReportsCommand, String> {
        let volunteer = match found {
            [one] => *one,
            _ if self.query.trim().is_empty() => return Err(s::CERTIFICATE_WHO.to_string()),
            [] => return Err(format!("没有找到“{}”：{}", self.query.trim(), s::CERTIFICATE_SEARCH_HINT)),
            _ => return Err(s::CERTIFICATE_PICK_ONE.to_string()),
        };
        let date = |text: &str, what: &str| {
            NaiveDate::parse_from_str(text.trim(), DATE_FORMAT).map_err(|_| format!("{what}应为 YYYY-MM-DD"))
        };
        Ok(ReportsCommand::IssueCertificate {
            volunteer_id: volunteer.id,
            name: volunteer.name.clone(),
            from: date(&self.from, s::CERTIFICATE_FROM)?,
            to: date(&self.to, s::CERTIFICATE_TO)?,
        })
    }
}

/// How many matches the certificate window lists.
const CANDIDATES: usize = 8;

/// A person told apart from namesakes: name, unit, 编号, phone tail.
fn candidate_label(v: &VolunteerRow) -> String {
    format!("{}　{}　{}　尾号{}", v.name, v.unit_name, v.code, crate::domain::identity::phone_tail(&v.phone_masked))
}

fn per_head(unit: &UnitFigures) -> f64 {
    unit.figures.hours_per_volunteer().unwrap_or(0.0)
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_string(), |r| format!("{:.1}%", r * 100.0))
}

fn decimal(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{v:.1}"))
}

/// The year's figures as large numbers, each with its caption.
fn figures_ui(ui: &mut egui::Ui, report: &YearReport) {
    let c = &report.city;
    let t = &report.total;
    let party: i64 = report.units.iter().map(|u| u.party_members).sum();
    let numbers = [
        (c.teams.to_string(), "注册队伍（支）"),
        (c.volunteers.to_string(), "注册人数（人）"),
        (c.activities.to_string(), "组织活动（次）"),
        (c.credit.to_string(), "服务信用时数（小时）"),
        (c.honor.to_string(), "荣誉时数（小时）"),
        (percent(ratio(t.registered, party)), "注册率"),
        (percent(t.participation_rate()), "参与率"),
        (percent(t.threshold_share()), "达标率"),
    ];
    ui.heading(format!("{}年全年概况", report.year));
    ui.horizontal_wrapped(|ui| {
        for (value, caption) in numbers {
            // Sized before it is drawn: a wrapping row moves on to the next line only a
            // widget whose size it is told, and a frame would otherwise run past the edge.
            let size = figure_size(ui, &value, caption);
            ui.allocate_ui(size, |ui| {
                egui::Frame::group(ui.style()).inner_margin(FIGURE_MARGIN).show(ui, |ui| {
                    ui.set_min_width(size.x - 2.0 * FIGURE_MARGIN);
                    ui.vertical(|ui| {
                        ui.label(
                            RichText::new(value).size(FIGURE_POINTS).strong().color(ui.visuals().strong_text_color()),
                        );
                        ui.label(RichText::new(caption).weak());
                    });
                });
            });
        }
    });
}

const FIGURE_MARGIN: f32 = 12.0;
const FIGURE_POINTS: f32 = 30.0;

/// The outer size of one figure's box: its wider line, the margins and the frame.
fn figure_size(ui: &egui::Ui, value: &str, caption: &str) -> egui::Vec2 {
    let painter = ui.painter();
    let color = ui.visuals().text_color();
    let body = egui::TextStyle::Body.resolve(ui.style());
    let number = painter.layout_no_wrap(value.to_string(), egui::FontId::proportional(FIGURE_POINTS), color);
    let words = painter.layout_no_wrap(caption.to_string(), body, color);
    let inner = egui::vec2(
        number.size().x.max(words.size().x).max(120.0),
        number.size().y + ui.spacing().item_spacing.y + words.size().y,
    );
    inner + egui::Vec2::splat(2.0 * FIGURE_MARGIN + 2.0)
}

/// One of the dashboard's charts: its title, its rows and which way its bars run.
struct Chart {
    title: &'static str,
    id: &'static str,
    rows: Vec<(String, Hours)>,
    horizontal: bool,
}

/// Hours by month, by unit and by category, credit and honour stacked: side by side when the
/// window is wide enough for their labels at the text size chosen, otherwise one under another.
fn charts_ui(ui: &mut egui::Ui, report: &YearReport) {
    let months: Vec<(String, Hours)> =
        report.months.iter().enumerate().map(|(m, h)| ((m + 1).to_string(), *h)).collect();
    let mut units: Vec<&UnitFigures> = report.units.iter().collect();
    units.sort_by_key(|u| std::cmp::Reverse(u.figures.hours.total()));
    let units: Vec<(String, Hours)> =
        units.into_iter().take(UNITS_IN_CHART).map(|u| (u.name.clone(), u.figures.hours)).collect();
    let categories: Vec<(String, Hours)> = report.categories.iter().map(|c| (c.category.clone(), c.hours)).collect();
    let charts = [
        Chart { title: s::CHART_BY_MONTH, id: "hours_by_month", rows: months, horizontal: false },
        Chart { title: s::CHART_BY_UNIT, id: "hours_by_unit", rows: units, horizontal: true },
        Chart { title: s::CHART_BY_CATEGORY, id: "hours_by_category", rows: categories, horizontal: true },
    ];
    legend_ui(ui);
    let letter = ui.text_style_height(&egui::TextStyle::Body);
    if ui.available_width() / 3.0 >= 24.0 * letter {
        ui.columns(3, |columns| {
            for (column, chart) in columns.iter_mut().zip(&charts) {
                chart_ui(column, chart);
            }
        });
    } else {
        for chart in &charts {
            chart_ui(ui, chart);
            ui.add_space(8.0);
        }
    }
}

/// The two series' colours once above the charts, where it can never cover a bar.
fn legend_ui(ui: &mut egui::Ui) {
    ui.horizontal(|ui| {
        for (name, color) in [("信用时数", CREDIT_COLOR), ("荣誉时数", HONOR_COLOR)] {
            ui.label(RichText::new("■").color(color));
            ui.label(name);
            ui.add_space(12.0);
        }
    });
}

fn chart_ui(ui: &mut egui::Ui, chart: &Chart) {
    ui.label(RichText::new(chart.title).strong());
    hours_chart(ui, chart.id, &chart.rows, chart.horizontal);
}

/// A stacked bar chart of credit and honour hours; horizontal bars list long names top down.
/// Rows and the name column grow with the text size: egui_plot drops a tick label that does
/// not fit between its neighbours.
fn hours_chart(ui: &mut egui::Ui, id: &str, rows: &[(String, Hours)], horizontal: bool) {
    let letter = ui.text_style_height(&egui::TextStyle::Body);
    let position = |i: usize| if horizontal { -(i as f64) } else { i as f64 + 1.0 };
    let bars = |pick: fn(&Hours) -> Minutes| -> Vec<Bar> {
        rows.iter()
            .enumerate()
            .map(|(i, (name, h))| {
                let bar = Bar::new(position(i), pick(h).0 as f64 / 60.0).name(name).width(0.7);
                if horizontal { bar.horizontal() } else { bar }
            })
            .collect()
    };
    let credit = BarChart::new("信用时数", bars(|h| h.credit)).color(CREDIT_COLOR);
    let honor = BarChart::new("荣誉时数", bars(|h| h.honor)).color(HONOR_COLOR).stack_on(&[&credit]);
    let names: Vec<String> = rows.iter().map(|(name, _)| name.clone()).collect();
    let longest = names.iter().map(|n| n.chars().count()).max().unwrap_or(1) as f32;
    let label = move |mark: GridMark| -> String {
        let index = if horizontal { -mark.value } else { mark.value - 1.0 };
        if index.fract().abs() > 1e-6 || index < 0.0 {
            return String::new();
        }
        names.get(index as usize).cloned().unwrap_or_default()
    };
    let row_height = 1.5 * letter;
    let plot = Plot::new(id)
        .height(if horizontal { row_height * rows.len().max(8) as f32 + 3.0 * letter } else { 10.0 * row_height })
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false);
    let hours = |axis: AxisHints<'static>| axis.label("小时");
    let plot = if horizontal {
        // Names beside every bar, as wide as the longest (a CJK character is about a letter
        // height wide); the hours along the bottom.
        let names = AxisHints::new_y()
            .formatter(move |mark, _| label(mark))
            .label_spacing(10.0..=12.0)
            .min_thickness((longest * letter).min(ui.available_width() / 2.0));
        plot.custom_y_axes(vec![names])
            .y_grid_spacer(every_bar)
            .custom_x_axes(vec![hours(AxisHints::new_x())])
            .include_x(0.0)
    } else {
        let names = AxisHints::new_x().formatter(move |mark, _| label(mark)).label_spacing(20.0..=24.0).label("月");
        plot.custom_x_axes(vec![names])
            .x_grid_spacer(every_bar)
            .custom_y_axes(vec![hours(AxisHints::new_y())])
            .include_y(0.0)
    };
    plot.show(ui, |plot_ui| {
        plot_ui.bar_chart(credit);
        plot_ui.bar_chart(honor);
    });
}

/// A grid mark, and so a label, at every bar.
fn every_bar(input: GridInput) -> Vec<GridMark> {
    let (low, high) = (input.bounds.0.ceil() as i64, input.bounds.1.floor() as i64);
    (low..=high).map(|value| GridMark { value: value as f64, step_size: 1.0 }).collect()
}

fn unit_detail_ui(ui: &mut egui::Ui, unit: &UnitFigures, report: &YearReport) {
    let f = &unit.figures;
    egui::Grid::new("unit_detail").num_columns(4).spacing([24.0, 6.0]).show(ui, |ui| {
        let rows: [(&str, String, &str, String); 6] = [
            ("党员总数", unit.party_members.to_string(), "注册人数", f.registered.to_string()),
            ("注册率", percent(unit.registration_rate()), "参与人数", f.participants.to_string()),
            ("参与率", percent(f.participation_rate()), "活动次数", activities_text(f)),
            ("信用时数", f.hours.credit.clock(), "荣誉时数", f.hours.honor.clock()),
            ("总时数", f.hours.total().clock(), "人均时数", decimal(f.hours_per_volunteer())),
            ("达标人数", f.meeting_threshold.to_string(), "达标率", percent(f.threshold_share())),
        ];
        for (l1, v1, l2, v2) in rows {
            ui.label(RichText::new(l1).weak());
            ui.label(RichText::new(v1).strong());
            ui.label(RichText::new(l2).weak());
            ui.label(RichText::new(v2).strong());
            ui.end_row();
        }
    });
    ui.separator();
    ui.label(RichText::new("队伍").strong());
    egui::Grid::new("unit_teams").striped(true).num_columns(4).show(ui, |ui| {
        for title in ["队伍", "注册人数", "活动次数", "总时数"] {
            ui.label(RichText::new(title).weak());
        }
        ui.end_row();
        for team in report.teams.iter().filter(|t| t.unit_id == unit.unit_id) {
            ui.label(&team.name);
            ui.label(team.figures.registered.to_string());
            ui.label(team.figures.activities().to_string());
            ui.label(team.figures.hours.total().clock());
            ui.end_row();
        }
    });
    ui.separator();
    ui.label(RichText::new("本年活动").strong());
    let activities: Vec<_> = report.activities.iter().filter(|a| a.unit_id == unit.unit_id).collect();
    if activities.is_empty() {
        ui.label(RichText::new("本年没有组织活动").weak());
    }
    for a in activities {
        ui.label(format!(
            "{} {}（{}，签到 {} 人，时数 {}）",
            a.starts_at,
            a.name,
            a.mode,
            a.attended,
            a.hours.total().clock()
        ));
    }
}

fn activities_text(f: &Figures) -> String {
    format!("{}（集中 {}，分散 {}，七月 {}）", f.activities(), f.concentrated, f.dispersed, f.july_activities)
}
