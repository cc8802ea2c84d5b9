//! 日历 tab: the month (or list) of activities with festivals, holidays and July's 活动月; the
//! activity form, and an activity's detail with its roster, publishing and record.

mod data;
mod life;
mod month;
mod run;

use chrono::{Datelike as _, NaiveDate, NaiveDateTime};
use egui::RichText;

use super::clock;
use super::command::AppCommand;
use super::date_picker::{date_time_field, weekday_label};
use super::people::RegistryData;
use super::people::{person_tag, told_apart};
use super::strings as s;
use super::tab::{Read, TabContext, TabScreen, reading_ui};
use super::widgets::{
    Confirm, FormAction, WriteUi, confirm_ui, escape_pressed, form_window, labelled_text_edit, limited_text_edit,
    window,
};
use crate::domain::calendar::MonthCalendar;
use crate::domain::input::{Moment, PositiveCount};
use crate::domain::limits;
use crate::domain::{ServiceMode, format_minute};
use crate::store::activities::{ActivityRow, NewActivity};
use crate::store::recruitment::{RosterEntry, SignupStatus};
// An activity's life (issue #33): its state and the notices that tell volunteers of it.
use crate::domain::activity_life::{ActivityState, recruitment_notice};

/// How long a new activity lasts until the clerk sets its end.
const DEFAULT_HOURS: i64 = 2;

/// What the calendar asks the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum CalendarCommand {
    SaveActivity { id: Option<i64>, activity: Box<NewActivity> },
    Publish(i64),
    Cancel { id: i64, reason: String },
    Delete(i64),
    SignUp { activity_id: i64, volunteer_id: i64 },
    Withdraw { activity_id: i64, volunteer_id: i64 },
    ExportRoster(i64),
    SignInSheet(i64),
    SaveRecord { activity_id: i64, summary: String, people_served: Option<u32> },
    AddPhoto(i64),
}

/// What the calendar shows for the month in view, read from the store after every change.
pub struct CalendarData {
    pub month: MonthCalendar,
    pub activities: Vec<ActivityRow>,
    pub categories: Vec<String>,
}

/// An open activity's roster, record and photos, read when it is opened or changed.
#[derive(Default)]
pub struct ActivityDetailData {
    pub roster: Vec<RosterEntry>,
    pub summary: String,
    pub people_served: String,
    pub photos: Vec<(i64, String, Vec<u8>)>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum View {
    #[default]
    Month,
    List,
}

/// The 日历 tab: its screen and the month it read.
#[derive(Default)]
pub struct Calendar {
    screen: CalendarTab,
    month: Read<(i32, u32), CalendarData>,
}

impl TabScreen for Calendar {
    type Command = CalendarCommand;

    fn has_open_form(&self) -> bool {
        self.screen.form.is_some()
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut TabContext<'_>, commands: &mut Vec<CalendarCommand>) {
        let shown = self.screen.shown_month(cx.today());
        self.month.refresh(shown, cx.reader(), |store, &month| data::read_month(store, month));
        if let Some(id) = self.screen.open_activity {
            self.screen.detail.refresh(id, cx.reader(), |store, &id| data::read_detail(store, id));
        }
        let (Some(people), Some(month)) = (cx.people(), self.month.get()) else {
            return reading_ui(ui, self.month.is_pending() || cx.people.is_pending());
        };
        self.screen.tab_ui(ui, month, people, commands);
    }

    fn is_reading(&self) -> bool {
        self.month.is_pending() || self.screen.detail.is_pending()
    }

    fn run(&mut self, cx: &mut TabContext<'_>, command: CalendarCommand) {
        self.carry_out(cx, command);
    }

    fn data_changed(&mut self) {
        self.month.forget();
        self.screen.detail.forget();
    }

    /// A month to show (tests and the dashboard), or a new activity's form, a week ahead as
    /// the 新建活动 button does.
    fn asked(&mut self, command: &AppCommand, now: NaiveDateTime, _commands: &mut Vec<CalendarCommand>) {
        match *command {
            AppCommand::ShowMonth { year, month } => self.screen.show_month(year, month),
            AppCommand::NewActivity => {
                self.screen.form = Some(ActivityForm::on_day(now.date() + chrono::Duration::days(7), now));
            }
            _ => {}
        }
    }
}

/// What the 日历 screen holds: the month in view, filters, the open activity and forms.
#[derive(Default)]
struct CalendarTab {
    year: i32,
    month: u32,
    view: View,
    unit_filter: Option<i64>,
    team_filter: Option<i64>,
    category_filter: Option<String>,
    /// The activity whose detail window is open.
    pub open_activity: Option<i64>,
    detail: Read<i64, ActivityDetailData>,
    pub form: Option<ActivityForm>,
    signup_query: String,
    /// The sign-up whose 退出 waits for confirmation (volunteer id at the open activity).
    confirm_withdraw: Option<i64>,
    /// The activity whose 取消活动 dialog is open, asking for the reason.
    cancelling: Option<i64>,
    cancel_reason: String,
    cancel_error: Option<String>,
    /// A save that moves the time or place of an activity people signed up for, until confirmed.
    pending_change: Option<CalendarCommand>,
    /// A notice to send after a change, a cancellation or a promotion.
    notice: Option<life::Notice>,
    enlarged_photo: Option<i64>,
    /// A one-click action asked about first (deleting an activity).
    confirming: Option<Confirm<CalendarCommand>>,
}

/// The add/edit form of an activity; times as typed, checked by the store on save.
#[derive(Clone, Debug, Default)]
pub struct ActivityForm {
    id: Option<i64>,
    name: String,
    team_id: Option<i64>,
    category: String,
    /// A category typed in when the list lacks it; joins the managed list on save.
    new_category: String,
    mode: Option<ServiceMode>,
    starts_at: String,
    ends_at: String,
    place: String,
    content: String,
    leader: String,
    capacity: String,
    recruit_from: String,
    recruit_until: String,
    contact_phone: String,
    /// The clerk changed 结束时间 / the recruitment window: they no longer follow 开始时间.
    end_set: bool,
    recruit_set: bool,
    pub error: Option<String>,
}

impl ActivityForm {
    /// A new activity on `day`, 09:00–11:00, recruiting from now until the day before.
    pub fn on_day(day: NaiveDate, now: NaiveDateTime) -> Self {
        let mut form = ActivityForm {
            mode: Some(ServiceMode::Concentrated),
            capacity: "20".into(),
            recruit_from: format_minute(now),
            ..Default::default()
        };
        if let Some(starts) = day.and_hms_opt(9, 0, 0) {
            form.starts_at = format_minute(starts);
            form.follow_start(now);
        }
        form
    }

    /// While the clerk has not set them, 结束时间 keeps the activity two hours long and
    /// recruitment closes at 18:00 the day before, or at the start when that has passed (an
    /// activity for today), so a new time is typed once, not four times.
    fn follow_start(&mut self, now: NaiveDateTime) {
        let Ok(Moment(starts)) = self.starts_at.parse() else { return };
        if !self.end_set {
            self.ends_at = format_minute(starts + chrono::Duration::hours(DEFAULT_HOURS));
        }
        if !self.recruit_set {
            let eve = (starts.date() - chrono::Duration::days(1)).and_hms_opt(18, 0, 0).filter(|eve| *eve > now);
            self.recruit_from = format_minute(now.min(starts));
            self.recruit_until = format_minute(eve.unwrap_or(starts));
        }
    }

    fn for_edit(a: &ActivityRow) -> Self {
        ActivityForm {
            id: Some(a.id),
            name: a.name.clone(),
            team_id: Some(a.team_id),
            category: a.category.clone(),
            new_category: String::new(),
            mode: Some(a.mode),
            starts_at: a.starts_at.clone(),
            ends_at: a.ends_at.clone(),
            place: a.place.clone(),
            content: a.content.clone(),
            leader: a.leader.clone(),
            capacity: a.capacity.map(|c| c.to_string()).unwrap_or_default(),
            recruit_from: a.recruit_from.clone().unwrap_or_default(),
            recruit_until: a.recruit_until.clone().unwrap_or_default(),
            contact_phone: a.contact_phone.clone(),
            // An activity on record keeps its times as they are.
            end_set: true,
            recruit_set: true,
            error: None,
        }
    }

    /// Times and numbers read as the importer reads the same columns (`domain::input`).
    fn to_activity(&self) -> Result<NewActivity, String> {
        let time = |text: &str, what: &str| {
            text.parse::<Moment>().map(|Moment(at)| at).map_err(|why| format!("{what}：{why}"))
        };
        let optional = |text: &str, what: &str| match text.trim() {
            "" => Ok(None),
            t => time(t, what).map(Some),
        };
        let capacity = match self.capacity.trim() {
            "" => None,
            t => {
                let PositiveCount(n) =
                    t.parse::<PositiveCount>().map_err(|why| format!("{}：{why}", s::FIELD_CAPACITY))?;
                Some(u32::try_from(n).map_err(|_| format!("{}：“{t}”太大", s::FIELD_CAPACITY))?)
            }
        };
        Ok(NewActivity {
            code: String::new(),
            name: self.name.clone(),
            team_id: self.team_id.ok_or("请选择组织队伍")?,
            category: if self.new_category.trim().is_empty() {
                self.category.clone()
            } else {
                self.new_category.clone()
            },
            mode: self.mode.ok_or("请选择服务方式")?,
            starts_at: time(&self.starts_at, "开始时间")?,
            ends_at: time(&self.ends_at, "结束时间")?,
            place: self.place.clone(),
            content: self.content.clone(),
            leader: self.leader.clone(),
            capacity,
            recruit_from: optional(&self.recruit_from, "招募开始")?,
            recruit_until: optional(&self.recruit_until, "招募截止")?,
            contact_phone: self.contact_phone.trim().to_string(),
        })
    }
}

impl CalendarTab {
    /// The month shown; the current one until the user moves.
    fn shown_month(&mut self, today: NaiveDate) -> (i32, u32) {
        if self.month == 0 {
            (self.year, self.month) = (today.year(), today.month());
        }
        (self.year, self.month)
    }

    /// Shows another month (the app reloads the data for it).
    pub fn show_month(&mut self, year: i32, month: u32) {
        (self.year, self.month) = (year, month);
    }

    fn tab_ui(
        &mut self,
        ui: &mut egui::Ui,
        data: &CalendarData,
        registry: &RegistryData,
        commands: &mut Vec<CalendarCommand>,
    ) {
        egui::CentralPanel::default().show(ui, |ui| {
            self.header_ui(ui, data, registry);
            ui.separator();
            let visible: Vec<&ActivityRow> = data.activities.iter().filter(|a| self.passes_filters(a)).collect();
            match self.view {
                View::Month => self.month_ui(ui, data, &visible),
                View::List => self.list_ui(ui, &visible),
            }
        });
        self.form_ui(ui.ctx(), data, registry, commands);
        self.detail_ui(ui.ctx(), data, registry, commands);
        self.confirm_ui(ui.ctx(), commands);
        self.confirm_change_ui(ui.ctx(), commands);
        self.notice_ui(ui.ctx());
    }

    /// Asks before an action that cannot be taken back (deleting, cancelling an activity).
    fn confirm_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<CalendarCommand>) {
        confirm_ui(ctx, &mut self.confirming, commands);
    }

    fn passes_filters(&self, a: &ActivityRow) -> bool {
        self.unit_filter.is_none_or(|u| a.unit_id == u)
            && self.team_filter.is_none_or(|t| a.team_id == t)
            && self.category_filter.as_ref().is_none_or(|c| a.category == *c)
    }

    fn list_ui(&mut self, ui: &mut egui::Ui, visible: &[&ActivityRow]) {
        let now = clock::now(ui.ctx());
        if visible.is_empty() {
            ui.label(RichText::new(s::NO_ACTIVITIES).weak());
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            egui::Grid::new("activity_list").striped(true).num_columns(6).show(ui, |ui| {
                for title in ["时间", "活动", "组织队伍", "类别", "报名", "状态"] {
                    ui.strong(title);
                }
                ui.end_row();
                for a in visible {
                    ui.label(&a.starts_at);
                    if ui.link(&a.name).clicked() {
                        self.open(a.id);
                    }
                    ui.label(&a.team_name);
                    ui.label(format!("{} · {}", a.category, a.mode.label()));
                    ui.label(signup_summary(a));
                    ui.label(life::status_label(a, now));
                    ui.end_row();
                }
            });
        });
    }

    fn open(&mut self, activity_id: i64) {
        self.open_activity = Some(activity_id);
        self.detail.forget();
        self.signup_query.clear();
        self.cancel_reason.clear();
        self.cancel_error = None;
        self.cancelling = None;
    }

    fn form_ui(
        &mut self,
        ctx: &egui::Context,
        data: &CalendarData,
        registry: &RegistryData,
        commands: &mut Vec<CalendarCommand>,
    ) {
        let Some(form) = &mut self.form else { return };
        let now = clock::now(ctx);
        let title = if form.id.is_some() { s::EDIT_ACTIVITY } else { s::NEW_ACTIVITY };
        let error = form.error.clone();
        let action = form_window(ctx, title, "activity_form", error.as_deref(), |ui| {
            limited_text_edit(ui, s::FIELD_ACTIVITY_NAME, &mut form.name, limits::NAME);
            let label = ui.label(s::FIELD_ORGANISER);
            let team = form.team_id.and_then(|id| registry.teams.iter().find(|t| t.id == id));
            egui::ComboBox::from_id_salt("activity_team")
                .selected_text(team.map_or("请选择", |t| t.name.as_str()))
                .width(260.0)
                .show_ui(ui, |ui| {
                    for t in registry.teams.iter().filter(|t| t.dissolved_on.is_none()) {
                        ui.selectable_value(&mut form.team_id, Some(t.id), &t.name);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(s::FIELD_CATEGORY);
            egui::ComboBox::from_id_salt("activity_category")
                .selected_text(if form.category.is_empty() { "请选择" } else { form.category.as_str() })
                .show_ui(ui, |ui| {
                    for c in &data.categories {
                        ui.selectable_value(&mut form.category, c.clone(), c);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            limited_text_edit(ui, s::NEW_CATEGORY, &mut form.new_category, limits::NAME);
            ui.label(s::FIELD_MODE);
            ui.horizontal(|ui| {
                for mode in ServiceMode::ALL {
                    ui.radio_value(&mut form.mode, Some(mode), format!("{}服务", mode.label()));
                }
            });
            ui.end_row();
            if date_time_field(ui, s::FIELD_STARTS_AT, &mut form.starts_at, true) {
                form.follow_start(now);
            }
            form.end_set |= date_time_field(ui, s::FIELD_ENDS_AT, &mut form.ends_at, true);
            limited_text_edit(ui, s::FIELD_PLACE, &mut form.place, limits::PLACE);
            limited_text_edit(ui, s::FIELD_LEADER, &mut form.leader, limits::PERSON_NAME);
            labelled_text_edit(ui, s::FIELD_CAPACITY, &mut form.capacity);
            form.recruit_set |= date_time_field(ui, s::FIELD_RECRUIT_FROM, &mut form.recruit_from, true);
            form.recruit_set |= date_time_field(ui, s::FIELD_RECRUIT_UNTIL, &mut form.recruit_until, true);
            let label = ui.label(s::FIELD_CONTACT_PHONE);
            ui.add(
                egui::TextEdit::singleline(&mut form.contact_phone)
                    .char_limit(limits::CONTACT_PHONE)
                    .hint_text(s::CONTACT_PHONE_HINT)
                    .desired_width(220.0),
            )
            .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(s::FIELD_CONTENT);
            ui.add(
                egui::TextEdit::multiline(&mut form.content)
                    .char_limit(limits::FREE_TEXT)
                    .desired_rows(3)
                    .desired_width(260.0),
            )
            .labelled_by(label.id);
            ui.end_row();
        });
        match action {
            FormAction::Save => match form.to_activity() {
                Ok(activity) => {
                    let before = form.id.and_then(|id| data.activities.iter().find(|a| a.id == id));
                    let asks = before.is_some_and(|before| life::concerns_signed_up(before, &activity));
                    let save = CalendarCommand::SaveActivity { id: form.id, activity: Box::new(activity) };
                    if asks {
                        self.pending_change = Some(save);
                    } else {
                        commands.push(save);
                    }
                }
                Err(why) => form.error = Some(why),
            },
            FormAction::Close => self.form = None,
            FormAction::None => {}
        }
    }

    fn detail_ui(
        &mut self,
        ctx: &egui::Context,
        data: &CalendarData,
        registry: &RegistryData,
        commands: &mut Vec<CalendarCommand>,
    ) {
        let Some(a) = self.open_activity.and_then(|id| data.activities.iter().find(|a| a.id == id)) else { return };
        let Some(detail) = self.detail.get_mut() else { return };
        let now = clock::now(ctx);
        let state = a.state(now);
        let may = |allowed: fn(ActivityState) -> bool| state.is_some_and(allowed);
        let mut open = true;
        let mut edit = false;
        // Each activity its own window (and scroll position): a second one never opens where
        // the first was scrolled to.
        window(format!("{} · {}", a.code, a.name))
            .id(egui::Id::unique(("activity_detail", a.id)))
            .open(&mut open)
            .resizable(true)
            .default_size([640.0, 560.0])
            .show(ctx, |ui| {
                egui::ScrollArea::vertical().max_height(ctx.content_rect().height() * 0.8).show(ui, |ui| {
                    activity_facts_ui(ui, a, now);
                    ui.horizontal_wrapped(|ui| {
                        if may(ActivityState::may_change) && ui.write_button(s::EDIT_ACTIVITY).clicked() {
                            edit = true;
                        }
                        if may(ActivityState::may_publish)
                            && ui.write_button(s::PUBLISH).on_hover_text(s::PUBLISH_HINT).clicked()
                        {
                            if let Some(notice) = a.notice() {
                                ui.ctx().copy_text(recruitment_notice(&notice));
                            }
                            commands.push(CalendarCommand::Publish(a.id));
                        }
                        if ui.button(s::EXPORT_ROSTER).clicked() {
                            commands.push(CalendarCommand::ExportRoster(a.id));
                        }
                        if ui.button(s::SIGN_IN_SHEET).clicked() {
                            commands.push(CalendarCommand::SignInSheet(a.id));
                        }
                        if detail.roster.is_empty() && a.attended == 0 && ui.write_button(s::DELETE_ACTIVITY).clicked()
                        {
                            let question = format!("删除活动“{}”？删除后不能恢复。", a.name);
                            self.confirming = Some(Confirm::new(
                                s::DELETE_ACTIVITY,
                                question,
                                s::CONFIRM,
                                CalendarCommand::Delete(a.id),
                            ));
                        }
                        if may(ActivityState::may_change) && ui.write_button(s::CANCEL_ACTIVITY).clicked() {
                            self.cancelling = Some(a.id);
                            self.cancel_error = None;
                        }
                    });
                    ui.separator();
                    roster_ui(ui, a, &detail.roster, may(ActivityState::may_change), &mut self.confirm_withdraw);
                    match state {
                        Some(state) if state.may_sign_up() => {
                            signup_search_ui(ui, a, registry, &detail.roster, &mut self.signup_query, commands);
                        }
                        Some(state) => {
                            ui.label(RichText::new(format!("{}，不能报名", state.label())).weak());
                        }
                        None => {}
                    }
                    ui.separator();
                    record_ui(ui, a, may(ActivityState::may_record), detail, &mut self.enlarged_photo, commands);
                });
            });
        confirm_withdraw_ui(ctx, a, &detail.roster, &mut self.confirm_withdraw, commands);
        self.cancel_dialog_ui(ctx, a, commands);
        if edit {
            self.form = Some(ActivityForm::for_edit(a));
        }
        // Esc closes a photo or a dialog over the detail first.
        let dialog_open = self.confirming.is_some()
            || self.cancelling.is_some()
            || self.pending_change.is_some()
            || self.notice.is_some();
        if !open || (self.enlarged_photo.is_none() && !dialog_open && escape_pressed(ctx)) {
            self.open_activity = None;
            self.detail.forget();
        }
        self.photo_viewer_ui(ctx);
    }

    fn photo_viewer_ui(&mut self, ctx: &egui::Context) {
        let Some(photo_id) = self.enlarged_photo else { return };
        let Some((_, name, bytes)) = self.detail.get().and_then(|d| d.photos.iter().find(|p| p.0 == photo_id)) else {
            self.enlarged_photo = None;
            return;
        };
        let mut open = true;
        window(name.as_str()).open(&mut open).default_size([720.0, 540.0]).show(ctx, |ui| {
            ui.add(egui::Image::from_bytes(format!("bytes://photo-{photo_id}"), bytes.clone()).shrink_to_fit());
        });
        if !open || escape_pressed(ctx) {
            self.enlarged_photo = None;
        }
    }
}

fn signup_summary(a: &ActivityRow) -> String {
    let places =
        a.capacity.map_or_else(|| format!("已报名 {}", a.confirmed), |c| format!("已报名 {}/{c}", a.confirmed));
    if a.waiting > 0 { format!("{places}，候补 {}", a.waiting) } else { places }
}

fn activity_facts_ui(ui: &mut egui::Ui, a: &ActivityRow, now: NaiveDateTime) {
    let day = a.starts_at.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    egui::Grid::new("activity_facts").num_columns(2).show(ui, |ui| {
        let weekday = day.map(weekday_label).unwrap_or_default();
        for (label, value) in [
            ("状态", life::status_label(a, now)),
            ("时间", format!("{} {weekday} 至 {}", a.starts_at, a.ends_at.get(11..).unwrap_or(&a.ends_at))),
            ("组织队伍", format!("{}（{}）", a.team_name, a.unit_name)),
            ("类别", format!("{} · {}服务", a.category, a.mode.label())),
            ("地点", a.place.clone()),
            ("负责人", a.leader.clone()),
            ("联系电话", a.contact_phone.clone()),
            ("招募", format!("{}，截止 {}", signup_summary(a), a.recruit_until.as_deref().unwrap_or("活动开始"))),
            ("签到", format!("{} 人次", a.attended)),
            ("内容", a.content.clone()),
        ] {
            ui.label(RichText::new(label).weak());
            ui.label(value);
            ui.end_row();
        }
    });
}

/// 退出 names the person and asks: the next row's button never takes the click.
fn confirm_withdraw_ui(
    ctx: &egui::Context,
    a: &ActivityRow,
    roster: &[RosterEntry],
    pending: &mut Option<i64>,
    commands: &mut Vec<CalendarCommand>,
) {
    let Some(entry) = pending.and_then(|id| roster.iter().find(|e| e.volunteer_id == id)) else {
        *pending = None;
        return;
    };
    let title = format!("让 {} 退出“{}”？", told_apart(&entry.name, &entry.code, &entry.phone_masked), a.name);
    let promotes = entry.status == SignupStatus::Confirmed && roster.iter().any(|e| e.status == SignupStatus::Waiting);
    let after = if promotes { "退出后名额由候补名单第一位递补。" } else { "" };
    let question = format!("{}，{}。{after}", entry.unit_name, entry.status.label());
    let withdraw = CalendarCommand::Withdraw { activity_id: a.id, volunteer_id: entry.volunteer_id };
    if Confirm::new(title, question, s::CONFIRM_WITHDRAW_SIGNUP, withdraw).show(ctx, commands) {
        *pending = None;
    }
}

/// The roster, the waiting numbered 候补1, 候补2 … in their order; 退出 (while the activity
/// may change) only marks the row for [`confirm_withdraw_ui`] to ask.
fn roster_ui(
    ui: &mut egui::Ui,
    a: &ActivityRow,
    roster: &[RosterEntry],
    may_withdraw: bool,
    confirm_withdraw: &mut Option<i64>,
) {
    ui.strong(format!("报名名单（{}）", signup_summary(a)));
    if roster.is_empty() {
        ui.label(RichText::new(s::NO_SIGNUPS).weak());
        return;
    }
    let mut waiting = 0;
    egui::Grid::new("roster").striped(true).num_columns(5).show(ui, |ui| {
        for entry in roster {
            ui.label(told_apart(&entry.name, &entry.code, &entry.phone_masked));
            ui.label(&entry.unit_name);
            let status = match entry.status {
                SignupStatus::Waiting => {
                    waiting += 1;
                    format!("{}{waiting}", s::WAITING_NUMBER)
                }
                _ => entry.status.label().to_string(),
            };
            ui.label(if entry.walk_in { format!("{status}（现场）") } else { status });
            ui.label(RichText::new(&entry.signed_up_at).weak());
            if entry.status != SignupStatus::Withdrawn && may_withdraw {
                if ui.write_small_button(s::WITHDRAW).clicked() {
                    *confirm_withdraw = Some(entry.volunteer_id);
                }
            } else {
                ui.label("");
            }
            ui.end_row();
        }
    });
}

/// Finds volunteers to sign up: at capacity the button says 候补报名; someone already on the
/// roster is shown with where they stand instead of a button; Enter signs up a single match.
fn signup_search_ui(
    ui: &mut egui::Ui,
    a: &ActivityRow,
    registry: &RegistryData,
    roster: &[RosterEntry],
    query: &mut String,
    commands: &mut Vec<CalendarCommand>,
) {
    let field = ui
        .horizontal(|ui| {
            let label = ui.label(s::SIGN_UP_VOLUNTEER);
            ui.add(egui::TextEdit::singleline(query).hint_text(s::SEARCH_HINT).desired_width(220.0))
                .labelled_by(label.id)
        })
        .inner;
    if query.trim().is_empty() {
        return;
    }
    let on_roster = |id: i64| roster.iter().find(|e| e.volunteer_id == id && e.status != SignupStatus::Withdrawn);
    let matches: Vec<_> = registry.find(query, 8);
    let free: Vec<_> = matches.iter().filter(|v| on_roster(v.id).is_none()).collect();
    if let [only] = free.as_slice()
        && field.lost_focus()
        && ui.input(|i| i.key_pressed(egui::Key::Enter))
    {
        commands.push(CalendarCommand::SignUp { activity_id: a.id, volunteer_id: only.id });
        // The next name is typed straight away, as at the 签到 desk.
        field.request_focus();
    }
    let full = a.capacity.is_some_and(|c| a.confirmed >= c);
    let prefix = if full { s::WAITLIST_SIGN_UP_PREFIX } else { s::SIGN_UP_PREFIX };
    ui.horizontal_wrapped(|ui| {
        for v in &matches {
            let who = format!("{}（{}）", person_tag(v), v.unit_name);
            match on_roster(v.id) {
                Some(entry) => {
                    ui.label(RichText::new(format!("{who} {}", entry.status.label())).weak());
                }
                None => {
                    if ui.write_button(format!("{prefix}{who}")).clicked() {
                        commands.push(CalendarCommand::SignUp { activity_id: a.id, volunteer_id: v.id });
                    }
                }
            }
        }
    });
}

/// A photo's thumbnail in the activity's window, wide enough to see who is in it.
const THUMBNAIL_WIDTH: f32 = 160.0;

fn record_ui(
    ui: &mut egui::Ui,
    a: &ActivityRow,
    may_record: bool,
    detail: &mut ActivityDetailData,
    enlarged: &mut Option<i64>,
    commands: &mut Vec<CalendarCommand>,
) {
    ui.strong(s::ACTIVITY_RECORD);
    if may_record {
        record_editor_ui(ui, a, detail, commands);
    } else {
        ui.label(RichText::new(s::RECORD_AFTER_START).weak());
    }
    ui.horizontal_wrapped(|ui| {
        for (id, name, bytes) in &detail.photos {
            // A fixed box: a wrapped row would otherwise shrink the picture to a stamp.
            let image = egui::Image::from_bytes(format!("bytes://photo-{id}"), bytes.clone())
                .fit_to_exact_size(egui::vec2(THUMBNAIL_WIDTH, THUMBNAIL_WIDTH * 0.75))
                .sense(egui::Sense::click());
            if ui.add(image).on_hover_text(name).clicked() {
                *enlarged = Some(*id);
            }
        }
    });
}

/// 开展情况, 服务人数 and the buttons that save them or add a photo.
fn record_editor_ui(
    ui: &mut egui::Ui,
    a: &ActivityRow,
    detail: &mut ActivityDetailData,
    commands: &mut Vec<CalendarCommand>,
) {
    let label = ui.label(s::RECORD_SUMMARY);
    ui.add(
        egui::TextEdit::multiline(&mut detail.summary)
            .char_limit(limits::FREE_TEXT)
            .desired_rows(3)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    ui.horizontal(|ui| {
        let label = ui.label(s::PEOPLE_SERVED);
        ui.add(egui::TextEdit::singleline(&mut detail.people_served).desired_width(60.0)).labelled_by(label.id);
        if ui.write_button(s::SAVE_RECORD).clicked() {
            commands.push(CalendarCommand::SaveRecord {
                activity_id: a.id,
                summary: detail.summary.clone(),
                people_served: detail.people_served.trim().parse().ok(),
            });
        }
        if ui.write_button(s::ADD_PHOTO).clicked() {
            commands.push(CalendarCommand::AddPhoto(a.id));
        }
    });
}
