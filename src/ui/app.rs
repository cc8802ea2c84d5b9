//! The application: tabs, the top bar, the status bar, and the commands they emit.

use std::path::{Path, PathBuf};

use chrono::Datelike as _;
use egui::{Align, Layout, RichText};
use serde::{Deserialize, Serialize};

use super::attendance::{AttendanceCommand, AttendanceData, AttendanceTab};
use super::calendar::{ActivityDetailData, CalendarCommand, CalendarData, CalendarTab};
use super::contest::{ContestCommand, ContestData, ContestTab};
use super::dialogs::{FileDialogs, NativeDialogs};
use super::import::{ImportDialog, ImportOutcome};
use super::jobs::Job;
use super::registry::{RegistryCommand, RegistryData, RegistryTab};
use super::reports::{Reports, ReportsCommand};
use super::session::{AccountForm, Gate, GateCommand, LoginForm, PasswordForm};
use super::strings as s;
use super::system::{SystemCommand, SystemData, SystemTab};
use crate::domain::access::{Action, Role, allows};
use crate::store::volunteers::{insert_volunteer, next_volunteer_code, set_in_recycle_bin, update_volunteer};
use crate::store::{Actor, Counts, Store, accounts, audit, backups, teams, units, volunteers};

const SETTINGS_KEY: &str = "volunteer-desk-settings";
/// A desk left alone this long locks itself: hours and votes should not be entered in
/// someone else's name.
const IDLE_LIMIT: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// The tabs, in the order of the top bar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tab {
    #[default]
    Registry,
    Calendar,
    Attendance,
    Contest,
    Reports,
    System,
}

impl Tab {
    pub const ALL: [Tab; 6] = [Tab::Registry, Tab::Calendar, Tab::Attendance, Tab::Contest, Tab::Reports, Tab::System];

    /// The tabs a role sees: judges and experts only their contest screen.
    pub fn visible_to(self, role: Role) -> bool {
        match self {
            Tab::Contest => true,
            Tab::System => allows(role, Action::Administer) || allows(role, Action::ReadAudit),
            _ => allows(role, Action::ReadRecords),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Tab::Registry => s::TAB_REGISTRY,
            Tab::Calendar => s::TAB_CALENDAR,
            Tab::Attendance => s::TAB_ATTENDANCE,
            Tab::Contest => s::TAB_CONTEST,
            Tab::Reports => s::TAB_REPORTS,
            Tab::System => s::TAB_SYSTEM,
        }
    }
}

/// Text size for staff who want larger type: the body size in points.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextSize {
    #[default]
    Standard,
    Large,
    ExtraLarge,
}

impl TextSize {
    pub const ALL: [TextSize; 3] = [TextSize::Standard, TextSize::Large, TextSize::ExtraLarge];

    pub fn label(self) -> &'static str {
        match self {
            TextSize::Standard => s::TEXT_SIZE_STANDARD,
            TextSize::Large => s::TEXT_SIZE_LARGE,
            TextSize::ExtraLarge => s::TEXT_SIZE_EXTRA_LARGE,
        }
    }

    fn body_points(self) -> f32 {
        match self {
            TextSize::Standard => 15.0,
            TextSize::Large => 18.0,
            TextSize::ExtraLarge => 22.0,
        }
    }

    /// Scales every text style from the body size.
    fn apply(self, ctx: &egui::Context) {
        let body = self.body_points();
        ctx.all_styles_mut(|style| {
            for (text_style, font) in &mut style.text_styles {
                font.size = match text_style {
                    egui::TextStyle::Heading => body * 1.45,
                    egui::TextStyle::Small => body * 0.8,
                    egui::TextStyle::Monospace => body * 0.95,
                    _ => body,
                };
            }
        });
    }
}

/// What is remembered between runs (window size and position are eframe's own).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub tab: Tab,
    pub text_size: TextSize,
}

/// What the UI asks for; carried out once per frame, after drawing.
#[derive(Clone, Debug, PartialEq)]
enum Command {
    LoadDemo,
    SetTextSize(TextSize),
    Registry(RegistryCommand),
    Calendar(CalendarCommand),
    Attendance(AttendanceCommand),
    Contest(ContestCommand),
    Gate(GateCommand),
    System(SystemCommand),
    SwitchUser,
    Lock,
    RetryWriteAccess,
    Reports(ReportsCommand),
}

/// A status line: what just happened, or what went wrong.
#[derive(Clone, Debug, PartialEq)]
enum Notice {
    Info(String),
    Error(String),
}

pub struct App {
    store: Store,
    settings: Settings,
    counts: Counts,
    notice: Option<Notice>,
    commands: Vec<Command>,
    /// Set while the demo data is written on a worker thread.
    demo_job: Option<Job<()>>,
    import: Option<ImportDialog>,
    text_size_applied: Option<TextSize>,
    /// The settings as last written to eframe's storage.
    settings_saved: Settings,
    registry: RegistryTab,
    /// What the 队伍 tab shows; `None` until read, and again after every change.
    registry_data: Option<RegistryData>,
    calendar: CalendarTab,
    /// What the 日历 tab shows for the month in view; `None` after every change.
    calendar_data: Option<CalendarData>,
    attendance: AttendanceTab,
    /// What the 签到 tab shows; `None` after every change.
    attendance_data: Option<AttendanceData>,
    /// The 报表 tab, its data and the export in progress.
    reports: Reports,
    contest: ContestTab,
    /// What the 家风家训 tab shows; `None` after every change.
    contest_data: Option<ContestData>,
    dialogs: Box<dyn FileDialogs>,
    /// A fixed time for tests; the wall clock otherwise.
    clock: Option<chrono::NaiveDateTime>,
    gate: Gate,
    /// The login name of whoever is logged in, offered again after a lock.
    login: String,
    system: SystemTab,
    system_data: Option<SystemData>,
    /// When the user last touched the window; idle too long, it locks.
    last_input: std::time::Instant,
    idle_limit: std::time::Duration,
    /// Held while this window writes the file; a second window only reads.
    instance_lock: Option<std::fs::File>,
}

impl App {
    pub fn new(store: Store, storage: Option<&dyn eframe::Storage>) -> Self {
        let settings = storage.and_then(|s| eframe::get_value(s, SETTINGS_KEY)).unwrap_or_default();
        let mut app = App {
            store,
            settings,
            counts: Counts::default(),
            notice: None,
            commands: Vec::new(),
            demo_job: None,
            import: None,
            text_size_applied: None,
            settings_saved: settings,
            registry: RegistryTab::default(),
            registry_data: None,
            calendar: CalendarTab::default(),
            calendar_data: None,
            attendance: AttendanceTab::default(),
            attendance_data: None,
            reports: Reports::default(),
            contest: ContestTab::default(),
            contest_data: None,
            dialogs: Box::new(NativeDialogs),
            clock: None,
            gate: Gate::Open,
            login: String::new(),
            system: SystemTab::default(),
            system_data: None,
            last_input: std::time::Instant::now(),
            idle_limit: IDLE_LIMIT,
            instance_lock: None,
        };
        app.claim_the_file();
        app.close_the_gate(None);
        app
    }

    /// Takes the file for writing unless another window holds it; then this one only reads.
    fn claim_the_file(&mut self) {
        self.instance_lock = crate::paths::lock_instance(self.store.path());
        let read_only = self.instance_lock.is_none();
        if let Err(err) = self.store.set_read_only(read_only) {
            self.notice = Some(Notice::Error(err.to_string()));
        }
    }

    /// Asks who is there: the first administrator on a new file, a login otherwise.
    fn close_the_gate(&mut self, note: Option<&str>) {
        // A one-time password on screen is for the one who asked for it, not the next user.
        self.system.slip = None;
        self.system.restore_pending = None;
        match crate::store::accounts::has_accounts(self.store.conn()) {
            Ok(false) => self.gate = Gate::FirstRun(AccountForm::default()),
            Ok(true) => {
                let nobody = Actor { account_id: None, name: "未登录".to_string(), role: Role::Supervisor };
                if let Err(err) = self.store.act_as(nobody) {
                    self.notice = Some(Notice::Error(err.to_string()));
                }
                let login = if note == Some(s::LOCKED_NOTE) { self.login.clone() } else { String::new() };
                let demo_hint = accounts::is_demo(self.store.conn());
                self.gate =
                    Gate::Login(LoginForm { login, note: note.map(str::to_string), demo_hint, ..LoginForm::default() });
            }
            Err(err) => self.notice = Some(Notice::Error(err.to_string())),
        }
        self.contest.gate_closed();
        self.forget_data();
    }

    /// Logs in from code: tests, and the gate's own command.
    pub fn sign_in(&mut self, login: &str, password: &str) -> crate::Result<()> {
        let signed_in = crate::store::accounts::sign_in(self.store.conn(), login, password)?;
        self.store.act_as(signed_in.actor)?;
        self.login = login.trim().to_string();
        self.gate =
            if signed_in.must_change_password { Gate::ChangePassword(PasswordForm::default()) } else { Gate::Open };
        let role = self.store.actor().role;
        if !self.settings.tab.visible_to(role) {
            self.settings.tab = Tab::ALL.into_iter().find(|t| t.visible_to(role)).unwrap_or(Tab::Contest);
        }
        self.last_input = std::time::Instant::now();
        self.notice = None;
        self.forget_data();
        Ok(())
    }

    pub fn show_error(&mut self, message: String) {
        self.notice = Some(Notice::Error(message));
    }

    /// Locks the window: the same user logs in again to go on.
    pub fn lock(&mut self) {
        self.close_the_gate(Some(s::LOCKED_NOTE));
    }

    pub fn is_open(&self) -> bool {
        self.gate == Gate::Open
    }

    /// Locks after `limit` without input (tests shorten it).
    pub fn set_idle_limit(&mut self, limit: std::time::Duration) {
        self.idle_limit = limit;
    }

    /// Replaces the file dialogs (tests answer them without a window).
    pub fn with_dialogs(mut self, dialogs: Box<dyn FileDialogs>) -> Self {
        self.dialogs = dialogs;
        self
    }

    /// Fixes the time the window acts at (tests use it to sign in and out at chosen times).
    pub fn set_clock(&mut self, now: chrono::NaiveDateTime) {
        self.clock = Some(now);
    }

    fn now(&self) -> chrono::NaiveDateTime {
        self.clock.unwrap_or_else(|| chrono::Local::now().naive_local())
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn tab(&self) -> Tab {
        self.settings.tab
    }

    pub fn counts(&self) -> Counts {
        self.counts
    }

    pub fn text_size(&self) -> TextSize {
        self.settings.text_size
    }

    /// True while work runs in the background (the window keeps repainting to show it).
    pub fn is_busy(&self) -> bool {
        self.demo_job.is_some()
            || matches!(self.import, Some(ImportDialog::Checking { .. } | ImportDialog::Writing { .. }))
            || self.reports.is_exporting()
            || self.reports.is_reading()
    }

    fn refresh_counts(&mut self) {
        if self.store.actor().role.is_contest_only() {
            self.counts = Counts::default();
            return;
        }
        match self.store.counts() {
            Ok(counts) => self.counts = counts,
            Err(err) => self.notice = Some(Notice::Error(err.to_string())),
        }
    }

    fn run_commands(&mut self, ctx: &egui::Context) {
        for command in std::mem::take(&mut self.commands) {
            match command {
                Command::LoadDemo => self.start_demo_load(ctx),
                Command::SetTextSize(size) => self.settings.text_size = size,
                Command::Registry(command) => self.run_registry_command(ctx, command),
                Command::Calendar(command) => self.run_calendar_command(command),
                Command::Attendance(command) => self.run_attendance_command(command),
                Command::Contest(command) => self.run_contest_command(ctx, command),
                Command::Gate(command) => self.run_gate_command(ctx, command),
                Command::System(command) => self.run_system_command(command),
                Command::SwitchUser => self.close_the_gate(Some(s::SWITCH_USER_NOTE)),
                Command::Lock => self.lock(),
                Command::RetryWriteAccess => {
                    self.claim_the_file();
                    if self.store.is_read_only() {
                        self.notice = Some(Notice::Error(s::READ_ONLY_BANNER.to_string()));
                    }
                }
                Command::Reports(command) => {
                    let now = self.now();
                    if let Some(outcome) = self.reports.run(ctx, &mut self.store, self.dialogs.as_ref(), now, command) {
                        self.finish(outcome);
                    }
                }
            }
        }
    }

    fn run_registry_command(&mut self, ctx: &egui::Context, command: RegistryCommand) {
        let conn = self.store.conn();
        let today = chrono::Local::now().date_naive();
        let outcome = match command {
            RegistryCommand::SaveVolunteer { id, mut volunteer } => {
                let saved = match id {
                    Some(id) => update_volunteer(conn, id, &volunteer, today),
                    None => next_volunteer_code(conn).and_then(|code| {
                        volunteer.code = code;
                        insert_volunteer(conn, &volunteer, today).map(|_| ())
                    }),
                };
                match saved {
                    Ok(()) => {
                        self.registry.form = None;
                        Ok(format!("已保存志愿者 {}", volunteer.name.trim()))
                    }
                    Err(err) => {
                        if let Some(form) = &mut self.registry.form {
                            form.error = Some(err.to_string());
                        }
                        return;
                    }
                }
            }
            RegistryCommand::RecycleVolunteer { id, deleted } => set_in_recycle_bin(conn, id, deleted)
                .map(|()| if deleted { s::MOVED_TO_BIN.to_string() } else { s::RESTORED.to_string() }),
            RegistryCommand::RevealIdNumber(id) => match volunteers::reveal_id_number(conn, self.store.actor(), id) {
                Ok(_) => {
                    self.registry.reveal(id);
                    return;
                }
                Err(err) => Err(err),
            },
            RegistryCommand::DissolveTeam(id) => {
                teams::dissolve_team(conn, id, today).map(|moved| format!("队伍已撤销，{moved} 名队员转入上级队伍"))
            }
            RegistryCommand::SetPartyMembers { unit_id, party_members } => {
                units::set_party_members(conn, unit_id, party_members).map(|()| "党员总数已更新".to_string())
            }
            RegistryCommand::ExportVolunteers(ids) => self.export_volunteers(&ids),
            RegistryCommand::WriteTemplate => self.write_template(),
            RegistryCommand::AddUnit { name, party_members } => {
                units::insert_unit(conn, &units::NewUnit { name: name.clone(), party_members })
                    .map(|_| format!("已新增单位 {name}"))
            }
            RegistryCommand::SaveTeam { id, parent_id, team } => {
                let saved = self.store.transaction(|conn| match id {
                    Some(id) => {
                        teams::update_team(conn, id, &team)?;
                        match parent_id {
                            Some(parent) => teams::move_team(conn, id, parent),
                            None => Ok(()),
                        }
                    }
                    None => teams::insert_team(conn, &team).map(|_| ()),
                });
                match saved {
                    Ok(()) => {
                        self.registry.team_form = None;
                        Ok(format!("已保存队伍 {}", team.name.trim()))
                    }
                    Err(err) => {
                        if let Some(form) = &mut self.registry.team_form {
                            form.error = Some(err.to_string());
                        }
                        return;
                    }
                }
            }
            RegistryCommand::Import => {
                if self.import.is_none()
                    && let Some(file) = self.dialogs.open_workbook()
                {
                    self.import = Some(ImportDialog::check(ctx, &self.store.access(), file));
                }
                return;
            }
        };
        self.finish(outcome);
    }

    fn run_calendar_command(&mut self, command: CalendarCommand) {
        use crate::store::{activities, recruitment};
        let now = self.now();
        let conn = self.store.conn();
        let outcome = match command {
            CalendarCommand::SaveActivity { id, mut activity } => {
                let saved = activities::add_service_category(conn, &activity.category).and_then(|()| match id {
                    Some(id) => activities::update_activity(conn, id, &activity),
                    None => activities::next_activity_code(conn, activity.starts_at.year()).and_then(|code| {
                        activity.code = code;
                        activities::insert_activity(conn, &activity).map(|_| ())
                    }),
                });
                if let Err(err) = saved {
                    if let Some(form) = &mut self.calendar.form {
                        form.error = Some(err.to_string());
                    }
                    return;
                }
                self.calendar.form = None;
                let (year, month) = (activity.starts_at.year(), activity.starts_at.month());
                self.calendar.show_month(year, month);
                Ok(format!("已保存活动 {}", activity.name.trim()))
            }
            CalendarCommand::Publish(id) => {
                activities::publish_activity(conn, id, now).map(|()| s::PUBLISHED.to_string())
            }
            CalendarCommand::Cancel { id, reason } => {
                activities::cancel_activity(conn, id, &reason, now).map(|()| "活动已取消，报名与记录均保留".to_string())
            }
            CalendarCommand::Delete(id) => activities::delete_activity(conn, id).map(|()| {
                self.calendar.open_activity = None;
                "活动已删除".to_string()
            }),
            CalendarCommand::SignUp { activity_id, volunteer_id } => {
                recruitment::sign_up(conn, activity_id, volunteer_id, now).map(|status| match status {
                    recruitment::SignupStatus::Waiting => "名额已满，已加入候补名单".to_string(),
                    _ => "报名成功".to_string(),
                })
            }
            CalendarCommand::Withdraw { activity_id, volunteer_id } => {
                recruitment::withdraw(conn, activity_id, volunteer_id, now).map(|promoted| match promoted {
                    Some(_) => "已退出，候补名单第一位已递补".to_string(),
                    None => "已退出".to_string(),
                })
            }
            CalendarCommand::ExportRoster(id) => self.export_roster(id, false),
            CalendarCommand::SignInSheet(id) => self.export_roster(id, true),
            CalendarCommand::SaveRecord { activity_id, summary, people_served } => {
                activities::save_record(conn, activity_id, &summary, people_served)
                    .map(|()| "活动记录已保存".to_string())
            }
            CalendarCommand::AddPhoto(id) => self.add_photo(id),
        };
        self.finish(outcome);
    }

    fn export_roster(&self, activity_id: i64, sign_in_sheet: bool) -> crate::Result<String> {
        let Some(activity) =
            self.calendar_data.as_ref().and_then(|d| d.activities.iter().find(|a| a.id == activity_id))
        else {
            return Err(crate::Error::rejected("活动不存在"));
        };
        let suggested = if sign_in_sheet {
            format!("{}签到表.xlsx", activity.name)
        } else {
            format!("{}报名名单.xlsx", activity.name)
        };
        let Some(path) = self.dialogs.save_workbook(&suggested) else {
            return Ok(s::CANCELLED.to_string());
        };
        let (conn, actor) = (self.store.conn(), self.store.actor());
        let roster = crate::store::recruitment::roster(conn, activity_id)?;
        if sign_in_sheet {
            crate::io::roster::write_sign_in_sheet(conn, actor, &path, activity, &roster)?;
        } else {
            crate::io::roster::write_activity_roster(conn, actor, &path, activity, &roster)?;
        }
        Ok(format!("已保存到 {}", path.display()))
    }

    fn add_photo(&self, activity_id: i64) -> crate::Result<String> {
        let Some(path) = self.dialogs.open_photo() else {
            return Ok(s::CANCELLED.to_string());
        };
        let bytes = std::fs::read(&path)?;
        if image::guess_format(&bytes).is_err() {
            return Err(crate::Error::rejected("这个文件不是可识别的照片（支持 JPEG、PNG）"));
        }
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        crate::store::activities::add_photo(self.store.conn(), activity_id, &name, &bytes)?;
        Ok(format!("已添加照片 {name}"))
    }

    /// Reads the activities of the month in view, once after each change or move.
    fn calendar_data(&mut self) {
        let (year, month) = self.calendar.shown_month();
        let stale = self.calendar_data.as_ref().is_none_or(|d| (d.month.year(), d.month.month()) != (year, month));
        if !stale {
            return;
        }
        let Some(month_calendar) = crate::domain::calendar::MonthCalendar::new(year, month) else { return };
        let from = format!("{year:04}-{month:02}-01 00:00");
        let to = if month == 12 {
            format!("{:04}-01-01 00:00", year + 1)
        } else {
            format!("{year:04}-{:02}-01 00:00", month + 1)
        };
        let conn = self.store.conn();
        let read = crate::store::activities::list_activities(conn, &from, &to)
            .and_then(|activities| Ok((activities, crate::store::activities::service_categories(conn)?)));
        match read {
            Ok((activities, categories)) => {
                self.calendar_data = Some(CalendarData { month: month_calendar, activities, categories });
            }
            Err(err) => self.notice = Some(Notice::Error(err.to_string())),
        }
    }

    /// Reads the open activity's roster, record and photos.
    fn activity_detail_data(&mut self) {
        let Some(id) = self.calendar.open_activity else { return };
        if self.calendar.detail.is_some() {
            return;
        }
        let conn = self.store.conn();
        let read = (|| -> crate::Result<ActivityDetailData> {
            let (summary, people) = crate::store::activities::record(conn, id)?.unwrap_or_default();
            Ok(ActivityDetailData {
                roster: crate::store::recruitment::roster(conn, id)?,
                summary,
                people_served: people.map(|p| p.to_string()).unwrap_or_default(),
                photos: crate::store::activities::photos(conn, id)?,
            })
        })();
        match read {
            Ok(detail) => self.calendar.detail = Some(detail),
            Err(err) => self.notice = Some(Notice::Error(err.to_string())),
        }
    }

    fn run_attendance_command(&mut self, command: AttendanceCommand) {
        use crate::store::attendance;
        let now = self.now();
        let operator = self.store.actor().name.clone();
        let operator = operator.as_str();
        let conn = self.store.conn();
        let outcome = match command {
            AttendanceCommand::Desk { activity_id, volunteer_id } => {
                let name = self.volunteer_name(volunteer_id);
                let done =
                    attendance::sign_in_or_out(conn, activity_id, volunteer_id, now, operator).and_then(|action| {
                        let day = attendance::day_total(conn, volunteer_id, now.date())?;
                        let warning = if day > attendance::LONG_DAY {
                            format!("（今日已服务 {day} 小时，超过8小时，请核实）")
                        } else {
                            String::new()
                        };
                        Ok(match action {
                            attendance::DeskAction::SignedIn => format!("{name} 签到 {}", now.format("%H:%M")),
                            attendance::DeskAction::SignedOut(credit) => {
                                format!("{name} 签退，本次 {credit} 小时{warning}")
                            }
                        })
                    });
                match done {
                    Ok(message) => {
                        self.attendance.desk_message = Some(message.clone());
                        Ok(message)
                    }
                    Err(err) => {
                        self.attendance.desk_message = None;
                        Err(err)
                    }
                }
            }
            AttendanceCommand::Resolve { session_id, minutes, reason } => {
                attendance::resolve_open_session(conn, session_id, minutes, &reason, operator, now)
                    .map(|_| "未签退记录已处理".to_string())
            }
            AttendanceCommand::Grant { volunteers, minutes, service_date, reason, activity_id } => {
                let granted = self.store.transaction(|conn| {
                    for volunteer_id in &volunteers {
                        let grant = attendance::NewHonorGrant {
                            volunteer_id: *volunteer_id,
                            minutes,
                            service_date,
                            reason: reason.clone(),
                            activity_id,
                            granted_by: operator.to_string(),
                        };
                        attendance::grant_honor(conn, &grant, now).map_err(|e| {
                            let name = volunteers::name_of(conn, *volunteer_id).unwrap_or_default();
                            crate::Error::rejected(format!("{name}：{e}"))
                        })?;
                    }
                    Ok(())
                });
                match granted {
                    Ok(()) => {
                        self.attendance.grant_done();
                        Ok(format!("已为 {} 人登记荣誉时数 {minutes} 小时", volunteers.len()))
                    }
                    Err(err) => {
                        self.attendance.grant_failed(err.to_string());
                        return;
                    }
                }
            }
            AttendanceCommand::CorrectSession { session_id, minutes, reason } => {
                attendance::correct_session(conn, session_id, minutes, &reason, operator, now).map(|_| {
                    self.attendance.correction_done();
                    "更正已登记".to_string()
                })
            }
            AttendanceCommand::CorrectGrant { grant_id, minutes, reason } => {
                attendance::correct_grant(conn, grant_id, minutes, &reason, operator, now).map(|_| {
                    self.attendance.correction_done();
                    "更正已登记".to_string()
                })
            }
        };
        self.finish(outcome);
    }

    fn volunteer_name(&self, id: i64) -> String {
        self.registry_data
            .as_ref()
            .and_then(|d| d.volunteers.iter().find(|v| v.id == id))
            .map(|v| v.name.clone())
            .unwrap_or_default()
    }

    /// Reads what the 签到 tab shows, once after each change.
    fn attendance_data(&mut self) {
        let wanted = (self.attendance.activity_id, self.attendance.ledger_of);
        if self.attendance_data.as_ref().is_some_and(|d| d.read_for == wanted) {
            return;
        }
        let today = self.now().date();
        let conn = self.store.conn();
        let until = format!("{} 00:00", today + chrono::Duration::days(2));
        let read = (|| -> crate::Result<AttendanceData> {
            let mut activities = crate::store::activities::list_activities(conn, "0000", &until)?;
            activities.reverse();
            activities.truncate(300);
            let signed_in = match self.attendance.activity_id {
                Some(id) => crate::store::ledger::signed_in_now(conn, id)?,
                None => Vec::new(),
            };
            let ledger = match self.attendance.ledger_of {
                Some(of) => crate::store::ledger::ledger(conn, of)?,
                None => Vec::new(),
            };
            let open_sessions = crate::store::ledger::flagged_open_sessions(conn, today)?;
            Ok(AttendanceData { activities, signed_in, open_sessions, ledger, read_for: wanted })
        })();
        match read {
            Ok(data) => self.attendance_data = Some(data),
            Err(err) => self.notice = Some(Notice::Error(err.to_string())),
        }
    }

    /// Switches to a tab (tests and links between tabs use it).
    pub fn show_tab(&mut self, tab: Tab) {
        self.settings.tab = tab;
    }

    /// Opens the calendar on a month (tests and the dashboard use it).
    pub fn show_calendar_month(&mut self, year: i32, month: u32) {
        self.settings.tab = Tab::Calendar;
        self.calendar.show_month(year, month);
    }

    fn write_template(&self) -> crate::Result<String> {
        let Some(path) = self.dialogs.save_workbook("志愿服务数据导入模板.xlsx") else {
            return Ok(s::CANCELLED.to_string());
        };
        crate::io::template::write_template(&path)?;
        Ok(format!("{} {}", s::TEMPLATE_SAVED, path.display()))
    }

    fn export_volunteers(&self, ids: &[i64]) -> crate::Result<String> {
        let Some(path) = self.dialogs.save_workbook("志愿者名单.xlsx") else {
            return Ok(s::CANCELLED.to_string());
        };
        let all = volunteers::list_volunteers(self.store.conn())?;
        let rows: Vec<_> = ids.iter().filter_map(|id| all.iter().find(|v| v.id == *id)).collect();
        crate::io::roster::write_volunteer_list(self.store.conn(), self.store.actor(), &path, &rows)?;
        Ok(format!("已导出 {} 名志愿者到 {}", rows.len(), path.display()))
    }

    /// Reads what the 队伍 tab shows, once after each change.
    fn registry_data(&mut self) -> &RegistryData {
        if self.registry_data.is_none() {
            let conn = self.store.conn();
            let read = units::list_units(conn)
                .and_then(|u| Ok(RegistryData::new(u, teams::list_teams(conn)?, volunteers::list_volunteers(conn)?)));
            let data = read.unwrap_or_else(|err| {
                self.notice = Some(Notice::Error(err.to_string()));
                RegistryData::default()
            });
            self.registry.data_changed();
            self.registry_data = Some(data);
        }
        self.registry_data.get_or_insert_default()
    }

    /// Writes the demo data through a second connection so the window stays responsive.
    fn start_demo_load(&mut self, ctx: &egui::Context) {
        if self.demo_job.is_some() {
            return;
        }
        let path = self.store.path().to_path_buf();
        self.demo_job = Some(Job::spawn(ctx, move || {
            let mut store = crate::store::open(&path)?;
            crate::demo::load_demo(&mut store, chrono::Local::now().naive_local())
        }));
    }

    fn poll_demo_load(&mut self) {
        let Some(outcome) = self.demo_job.as_ref().and_then(Job::poll) else { return };
        self.demo_job = None;
        let loaded = outcome.is_ok();
        self.finish(outcome.map(|()| s::DEMO_LOADED.to_string()));
        if loaded && !self.is_open() {
            self.close_the_gate(Some(s::DEMO_LOADED));
        }
    }

    /// Drops everything read for the tabs: after a change of data or of who is logged in.
    fn forget_data(&mut self) {
        self.registry_data = None;
        self.calendar_data = None;
        self.calendar.detail = None;
        self.attendance_data = None;
        self.contest_data = None;
        self.system_data = None;
        self.reports.data_changed();
        self.refresh_counts();
    }

    fn run_gate_command(&mut self, ctx: &egui::Context, command: GateCommand) {
        match command {
            GateCommand::LoadDemo => self.start_demo_load(ctx),
            GateCommand::CreateAdministrator { login, name, password } => {
                let account = accounts::NewAccount {
                    login: login.clone(),
                    display_name: name,
                    role: Role::Admin,
                    unit_id: None,
                    password,
                };
                let created = accounts::create_account(self.store.conn(), &account)
                    .and_then(|_| self.sign_in(&login, &account.password));
                if let (Err(err), Gate::FirstRun(form)) = (created, &mut self.gate) {
                    form.error = Some(err.to_string());
                }
            }
            GateCommand::SignIn { login, password } => {
                if let Err(err) = self.sign_in(&login, &password)
                    && let Gate::Login(form) = &mut self.gate
                {
                    form.error = Some(err.to_string());
                }
            }
            GateCommand::ChangePassword { current, new } => {
                let actor = self.store.actor().clone();
                match accounts::change_own_password(self.store.conn(), &actor, &current, &new) {
                    Ok(()) => {
                        self.gate = Gate::Open;
                        self.notice = Some(Notice::Info("密码已修改".to_string()));
                    }
                    Err(err) => {
                        if let Gate::ChangePassword(form) = &mut self.gate {
                            form.error = Some(err.to_string());
                        }
                    }
                }
            }
        }
    }

    fn run_system_command(&mut self, command: SystemCommand) {
        let actor = self.store.actor().clone();
        let conn = self.store.conn();
        self.system.error = None;
        let outcome = match command {
            SystemCommand::AddAccount { login, name, role } => {
                let password = accounts::initial_password();
                let account = accounts::NewAccount {
                    login: login.clone(),
                    display_name: name.clone(),
                    role,
                    unit_id: None,
                    password: password.clone(),
                };
                match accounts::create_with_initial_password(conn, &account) {
                    Ok(_) => {
                        self.system.slip = Some((login, name, password));
                        Ok("账号已创建，请把初始密码交给本人".to_string())
                    }
                    Err(err) => {
                        self.system.error = Some(err.to_string());
                        return;
                    }
                }
            }
            SystemCommand::ResetPassword(id) => accounts::reset_password(conn, &actor, id).map(|password| {
                let account = self.system_data.as_ref().and_then(|d| d.accounts.iter().find(|a| a.id == id));
                let (login, name) = account.map(|a| (a.login.clone(), a.display_name.clone())).unwrap_or_default();
                self.system.slip = Some((login, name, password));
                "已重置为新的初始密码".to_string()
            }),
            SystemCommand::SetDisabled { id, disabled } => accounts::set_disabled(conn, &actor, id, disabled)
                .map(|()| if disabled { "账号已停用" } else { "账号已启用" }.to_string()),
            SystemCommand::SearchAudit => {
                self.system_data = None;
                return;
            }
            SystemCommand::VerifyAudit { anchor } => {
                self.system.verdict = None;
                match audit::check(conn, anchor.as_deref()) {
                    Ok(verdict) => {
                        self.system.verdict = Some(verdict);
                        return;
                    }
                    Err(err) => Err(err),
                }
            }
            SystemCommand::BackupNow => {
                let name = format!("志愿服务数据备份-{}.sqlite3", self.now().format("%Y%m%d-%H%M"));
                match self.dialogs.save_database(&name) {
                    Some(path) => self.store.backup_to(&path).map(|()| format!("已备份到 {}", path.display())),
                    None => Ok(s::CANCELLED.to_string()),
                }
            }
            SystemCommand::ChooseRestore => {
                self.system.restore_pending = self.dialogs.open_database();
                return;
            }
            SystemCommand::Restore(path) => {
                let folder = backups::folder_for(self.store.path());
                let now = self.now();
                backups::restore(&mut self.store, &path, &folder, now)
                    .map(|safety| format!("已恢复。恢复前的数据另存为 {}", safety.display()))
            }
        };
        self.finish(outcome);
    }

    /// Reads what the 系统 tab shows, once after each change.
    fn system_data(&mut self) {
        if self.system_data.is_some() {
            return;
        }
        let actor = self.store.actor().clone();
        let conn = self.store.conn();
        let mut data = SystemData::default();
        if allows(actor.role, Action::Administer) {
            match accounts::list(conn, &actor) {
                Ok(list) => data.accounts = list,
                Err(err) => self.notice = Some(Notice::Error(err.to_string())),
            }
            data.backups = backups::list(&backups::folder_for(self.store.path()));
        }
        if allows(actor.role, Action::ReadAudit) {
            match audit::entries(conn, &actor, &self.system.filter) {
                Ok(entries) => data.entries = entries,
                Err(err) => self.notice = Some(Notice::Error(err.to_string())),
            }
        }
        self.system_data = Some(data);
    }

    /// Carries out a command of the 家风家训 tab; its 导入 is the registry's import dialog.
    fn run_contest_command(&mut self, ctx: &egui::Context, command: ContestCommand) {
        if command == ContestCommand::Import {
            return self.run_registry_command(ctx, RegistryCommand::Import);
        }
        let today = self.now().date();
        match self.contest.run(&mut self.store, self.dialogs.as_ref(), command, today) {
            Some(outcome) => self.finish(outcome),
            None => self.contest_data = None,
        }
    }

    /// Reads what the 家风家训 tab shows, once after each change.
    fn contest_data(&mut self) {
        if !self.contest.is_current(self.contest_data.as_ref(), self.store.actor()) {
            self.contest_data = Some(self.contest.read(self.store.conn(), self.store.actor()));
        }
    }

    /// Shows how a piece of work ended and re-reads what changed.
    fn finish(&mut self, outcome: crate::Result<String>) {
        self.notice = Some(match outcome {
            Ok(text) => Notice::Info(text),
            Err(err) => Notice::Error(err.to_string()),
        });
        self.forget_data();
    }

    fn import_ui(&mut self, ctx: &egui::Context) {
        let Some(dialog) = &mut self.import else { return };
        let access = self.store.access();
        match dialog.ui(ctx, &access) {
            ImportOutcome::Open => {}
            ImportOutcome::Cancelled => self.import = None,
            ImportOutcome::Done(outcome) => {
                self.import = None;
                self.finish(outcome);
            }
        }
    }

    fn top_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.label(RichText::new(s::APP_TITLE).strong().size(ui.text_style_height(&egui::TextStyle::Heading)));
            ui.add_space(16.0);
            let role = self.store.actor().role;
            if self.is_open() {
                for tab in Tab::ALL.into_iter().filter(|t| t.visible_to(role)) {
                    if ui.selectable_label(self.settings.tab == tab, tab.label()).clicked() {
                        self.settings.tab = tab;
                    }
                }
            }
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                if self.is_open() {
                    if ui.button(s::LOCK).clicked() {
                        self.commands.push(Command::Lock);
                    }
                    if ui.button(s::SWITCH_USER).clicked() {
                        self.commands.push(Command::SwitchUser);
                    }
                    let actor = self.store.actor();
                    ui.label(format!("{}（{}）", actor.name, actor.role.label()));
                    ui.separator();
                }
                let current = self.settings.text_size;
                egui::ComboBox::from_label(s::TEXT_SIZE).selected_text(current.label()).show_ui(ui, |ui| {
                    for size in TextSize::ALL {
                        if ui.selectable_label(size == current, size.label()).clicked() {
                            self.commands.push(Command::SetTextSize(size));
                        }
                    }
                });
            });
        });
    }

    fn status_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if self.store.is_read_only() {
                ui.colored_label(ui.visuals().warn_fg_color, s::READ_ONLY_BANNER);
                if ui.small_button(s::RETRY_WRITE).clicked() {
                    self.commands.push(Command::RetryWriteAccess);
                }
                ui.separator();
            }
            ui.label(format!("{}：{}", s::STATUS_DATABASE, self.store.path().display()));
            ui.separator();
            let c = self.counts;
            if self.is_open() && !self.store.actor().role.is_contest_only() {
                ui.label(format!(
                    "单位 {} 个 · 队伍 {} 支 · 志愿者 {} 人 · 活动 {} 次",
                    c.units, c.teams, c.volunteers, c.activities
                ));
            }
            match &self.notice {
                Some(Notice::Info(text)) => {
                    ui.separator();
                    ui.label(text);
                }
                Some(Notice::Error(text)) => {
                    ui.separator();
                    ui.colored_label(ui.visuals().error_fg_color, text);
                }
                None => {}
            }
        });
    }

    fn central_ui(&mut self, ui: &mut egui::Ui) {
        let mut gate_commands = Vec::new();
        let demo_loading = self.demo_job.is_some();
        match &mut self.gate {
            Gate::FirstRun(form) => form.ui(ui, demo_loading, &mut gate_commands),
            Gate::Login(form) => form.ui(ui, &mut gate_commands),
            Gate::ChangePassword(form) => form.ui(ui, &mut gate_commands),
            Gate::Open => {}
        }
        if !self.is_open() {
            self.commands.extend(gate_commands.into_iter().map(Command::Gate));
            return;
        }
        let role = self.store.actor().role;
        if self.counts.is_empty() && allows(role, Action::Administer) && self.settings.tab != Tab::System {
            egui::CentralPanel::default().show(ui, |ui| self.empty_database_ui(ui));
            return;
        }
        match self.settings.tab {
            Tab::Registry => {
                let today = chrono::Local::now().date_naive();
                self.registry_data();
                let mut commands = Vec::new();
                if let Some(data) = &self.registry_data {
                    self.registry.ui(ui, data, today, &mut commands);
                }
                self.commands.extend(commands.into_iter().map(Command::Registry));
            }
            Tab::Calendar => {
                self.registry_data();
                self.calendar_data();
                self.activity_detail_data();
                let mut commands = Vec::new();
                if let (Some(data), Some(registry)) = (&self.calendar_data, &self.registry_data) {
                    self.calendar.ui(ui, data, registry, &mut commands);
                }
                self.commands.extend(commands.into_iter().map(Command::Calendar));
            }
            Tab::Attendance => {
                self.registry_data();
                self.attendance_data();
                let mut commands = Vec::new();
                if let (Some(data), Some(registry)) = (&self.attendance_data, &self.registry_data) {
                    self.attendance.ui(ui, data, registry, &mut commands);
                }
                self.commands.extend(commands.into_iter().map(Command::Attendance));
            }
            Tab::Contest => {
                self.contest_data();
                let mut commands = Vec::new();
                if let Some(data) = &self.contest_data {
                    self.contest.ui(ui, self.store.actor(), data, &mut commands);
                }
                self.commands.extend(commands.into_iter().map(Command::Contest));
            }
            Tab::System => {
                self.system_data();
                let mut commands = Vec::new();
                if let Some(data) = &self.system_data {
                    egui::CentralPanel::default().show(ui, |ui| self.system.ui(ui, role, data, &mut commands));
                }
                self.commands.extend(commands.into_iter().map(Command::System));
            }
            Tab::Reports => {
                let mut commands = Vec::new();
                if let Err(err) = self.reports.ui(ui, &self.store, &mut commands) {
                    self.notice = Some(Notice::Error(err.to_string()));
                }
                self.commands.extend(commands.into_iter().map(Command::Reports));
            }
        }
    }

    fn empty_database_ui(&mut self, ui: &mut egui::Ui) {
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() * 0.25);
            ui.heading(s::EMPTY_DATABASE);
            ui.add_space(8.0);
            ui.label(s::EMPTY_DATABASE_HINT);
            ui.add_space(16.0);
            if self.demo_job.is_some() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(s::LOADING_DEMO);
                });
            } else if ui.button(s::LOAD_DEMO).clicked() {
                self.commands.push(Command::LoadDemo);
            }
        });
    }
}

impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.poll_demo_load();
        if self.is_open() {
            if ctx.input(|i| !i.events.is_empty() || i.pointer.delta() != egui::Vec2::ZERO) {
                self.last_input = std::time::Instant::now();
            } else if self.last_input.elapsed() >= self.idle_limit {
                self.lock();
            }
            // Wake up to lock even when nothing else happens.
            ctx.request_repaint_after(std::time::Duration::from_secs(30));
        }
        if let Some(outcome) = self.reports.poll_export() {
            self.finish(outcome);
        }
        if self.text_size_applied != Some(self.settings.text_size) {
            self.settings.text_size.apply(ctx);
            self.text_size_applied = Some(self.settings.text_size);
            // Panels size themselves from the previous frame: lay out once more at the new size.
            ctx.request_repaint();
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.add_space(4.0);
            self.top_bar_ui(ui);
            ui.add_space(4.0);
        });
        egui::Panel::bottom("status_bar").show(ui, |ui| self.status_bar_ui(ui));
        self.central_ui(ui);
        self.import_ui(ui.ctx());
        self.run_commands(ui.ctx());
        // Save a changed setting at once rather than at eframe's next autosave, which a
        // crash or a killed session would miss.
        if self.settings != self.settings_saved
            && let Some(storage) = frame.storage_mut()
        {
            self.save(storage);
            storage.flush();
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
        self.settings_saved = self.settings;
    }
}

/// The window shown when the database cannot be opened: the reason, and nothing touched.
pub struct OpenFailure {
    path: PathBuf,
    message: String,
}

impl OpenFailure {
    pub fn new(path: &Path, err: &crate::Error) -> Self {
        OpenFailure { path: path.to_path_buf(), message: err.to_string() }
    }
}

impl eframe::App for OpenFailure {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(ui.available_height() * 0.3);
                ui.heading(s::OPEN_FAILED);
                ui.add_space(8.0);
                ui.colored_label(ui.visuals().error_fg_color, &self.message);
                ui.add_space(8.0);
                ui.label(format!("文件：{}", self.path.display()));
                ui.label("可用 --db 参数指定另一个数据库文件。");
            });
        });
    }
}
