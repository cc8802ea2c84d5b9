//! The empty database as a starting point: each tab says what it still lacks and offers the
//! next step, and the 开始使用 checklist (单位 → 队伍 → 志愿者 → 活动 → 签到) shows how far the
//! office has come. Only steps the role may take are offered (`domain::access::allows`); the
//! app carries them out (opening a form, the import, or the demo).

use egui::RichText;

use super::command::AppCommand;
use super::strings as s;
use super::tab::Tab;
use super::widgets::WriteUi;
use crate::domain::access::{Action, Role, allows};
use crate::store::Counts;

/// A step offered on an empty tab or in the checklist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextStep {
    Import,
    Template,
    NewUnit,
    NewCorps,
    /// The 队伍 tab, where 支队 and 专业服务队 are added under a selected team.
    Teams,
    NewVolunteer,
    NewActivity,
    SignIn,
    LoadDemo,
}

impl NextStep {
    fn label(self) -> &'static str {
        match self {
            NextStep::Import => s::IMPORT_WORKBOOK,
            NextStep::Template => s::DOWNLOAD_TEMPLATE,
            NextStep::NewUnit => s::NEW_UNIT,
            NextStep::NewCorps => s::NEW_CORPS,
            NextStep::Teams => s::TAB_REGISTRY,
            NextStep::NewVolunteer => s::ADD_VOLUNTEER,
            NextStep::NewActivity => s::NEW_ACTIVITY,
            NextStep::SignIn => s::TAB_ATTENDANCE,
            NextStep::LoadDemo => s::LOAD_DEMO,
        }
    }

    /// What the app is asked when the step is clicked.
    pub fn command(self) -> AppCommand {
        match self {
            NextStep::Import => AppCommand::Import,
            NextStep::Template => AppCommand::WriteTemplate,
            NextStep::NewUnit => AppCommand::NewUnit,
            NextStep::NewCorps => AppCommand::NewCorps,
            NextStep::Teams => AppCommand::ShowTab(Tab::Registry),
            NextStep::NewVolunteer => AppCommand::NewVolunteer,
            NextStep::NewActivity => AppCommand::NewActivity,
            NextStep::SignIn => AppCommand::ShowTab(Tab::Attendance),
            NextStep::LoadDemo => AppCommand::LoadDemo,
        }
    }

    /// Whether `role` may take the step: the demo is the administrator's, the rest data entry.
    pub fn allowed(self, role: Role) -> bool {
        match self {
            NextStep::LoadDemo => allows(role, Action::Administer),
            _ => allows(role, Action::EnterData),
        }
    }
}

/// What `tab` lacks before it has anything to show: the heading and the hint. The contest
/// keeps its own works and judges (and judges see no counts), so it is never empty here.
fn missing(tab: Tab, c: &Counts) -> Option<(&'static str, &'static str)> {
    match tab {
        Tab::Registry if c.units == 0 => Some((s::NO_UNITS, s::NO_UNITS_HINT)),
        Tab::Calendar if c.teams == 0 => Some((s::NO_TEAMS, s::NO_TEAMS_HINT)),
        Tab::Attendance if c.volunteers == 0 => Some((s::NO_VOLUNTEERS_YET, s::NO_VOLUNTEERS_HINT)),
        Tab::Reports if c.volunteers == 0 => Some((s::NO_RECORDS, s::NO_RECORDS_HINT)),
        _ => None,
    }
}

/// The one form that comes next in 单位 → 队伍 → 志愿者 → 活动.
fn next_form(c: &Counts) -> Option<NextStep> {
    if c.units == 0 {
        Some(NextStep::NewUnit)
    } else if c.teams == 0 {
        Some(NextStep::NewCorps)
    } else if c.volunteers == 0 {
        Some(NextStep::NewVolunteer)
    } else if c.activities == 0 {
        Some(NextStep::NewActivity)
    } else {
        None
    }
}

/// The steps an empty tab offers, in the order shown; the demo last, and only on an empty file.
pub fn offered(c: &Counts, role: Role) -> Vec<NextStep> {
    let mut steps = vec![NextStep::Import, NextStep::Template];
    steps.extend(next_form(c));
    if c.is_empty() {
        steps.push(NextStep::LoadDemo);
    }
    steps.retain(|step| step.allowed(role));
    steps
}

/// Draws `tab`'s empty state when it lacks what it shows; false (nothing drawn) otherwise.
pub fn empty_state_ui(
    ui: &mut egui::Ui,
    tab: Tab,
    counts: &Counts,
    role: Role,
    demo_running: bool,
    steps: &mut Vec<NextStep>,
) -> bool {
    let Some((heading, hint)) = missing(tab, counts) else { return false };
    egui::CentralPanel::default().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() * 0.15);
            ui.heading(heading);
            ui.add_space(8.0);
            ui.label(hint);
            ui.add_space(16.0);
            let offered = offered(counts, role);
            if offered.is_empty() {
                ui.label(RichText::new(s::READ_ONLY_EMPTY_HINT).weak());
            }
            for step in offered {
                if step == NextStep::LoadDemo {
                    ui.add_space(16.0);
                    ui.label(RichText::new(s::EMPTY_DATABASE_HINT).weak());
                    if demo_running {
                        ui.horizontal(|ui| {
                            ui.spinner();
                            ui.label(s::LOADING_DEMO);
                        });
                        continue;
                    }
                }
                if ui.write_button(step.label()).clicked() {
                    steps.push(step);
                }
            }
            // Said rather than offered: the demo never merges into an office's own data.
            if !counts.is_empty() && NextStep::LoadDemo.allowed(role) {
                ui.add_space(16.0);
                ui.label(RichText::new(s::DEMO_NEEDS_EMPTY).weak());
            }
        });
    });
    true
}

/// One line of the checklist: what, how many, and the step that adds one.
struct Check {
    label: &'static str,
    count: i64,
    measure: &'static str,
    step: NextStep,
}

fn checks(c: &Counts) -> [Check; 5] {
    let teams_step = if c.teams == 0 { NextStep::NewCorps } else { NextStep::Teams };
    [
        Check { label: s::STEP_UNITS, count: c.units, measure: "个", step: NextStep::NewUnit },
        Check { label: s::STEP_TEAMS, count: c.teams, measure: "支", step: teams_step },
        Check { label: s::STEP_VOLUNTEERS, count: c.volunteers, measure: "人", step: NextStep::NewVolunteer },
        Check { label: s::STEP_ACTIVITIES, count: c.activities, measure: "次", step: NextStep::NewActivity },
        Check { label: s::STEP_SIGN_IN, count: c.sessions, measure: "人次", step: NextStep::SignIn },
    ]
}

/// 「1. 单位：已完成（3 个）」 or 「2. 队伍：未完成」.
pub fn check_text(number: usize, label: &str, count: i64, measure: &str) -> String {
    if count > 0 {
        format!("{number}. {label}：已完成（{count} {measure}）")
    } else {
        format!("{number}. {label}：未完成")
    }
}

/// The 开始使用 checklist, open until every step is done; each step opens its form.
pub fn checklist_ui(ui: &mut egui::Ui, counts: &Counts, role: Role, steps: &mut Vec<NextStep>) {
    let checks = checks(counts);
    let done = checks.iter().all(|c| c.count > 0);
    let title = if done { s::GETTING_STARTED_DONE } else { s::GETTING_STARTED };
    // A new id once all is done, so the finished list folds away by itself.
    egui::CollapsingHeader::new(title).id_salt(("getting_started", done)).default_open(!done).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            for (i, check) in checks.iter().enumerate() {
                if i > 0 {
                    ui.label("→");
                }
                let text = check_text(i + 1, check.label, check.count, check.measure);
                let text = if check.count > 0 { RichText::new(text) } else { RichText::new(text).strong() };
                if !check.step.allowed(role) {
                    ui.label(text);
                } else if ui.write_button(text).clicked() {
                    steps.push(check.step);
                }
            }
        });
    });
}
