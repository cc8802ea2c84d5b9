//! 签到 tab: the sign-in desk (keyboard first: type, Enter), sessions left open, honour-hour
//! grants and the ledger with corrections. It shows state and queues commands for `run.rs`.

mod data;
mod run;

use chrono::{NaiveDate, NaiveDateTime};
use egui::{Key, RichText};

use super::date_picker::date_time_field;
use super::people::{RegistryData, person_tag};
use super::strings as s;
use super::tab::{Read, TabContext, TabScreen, reading_ui};
use super::widgets::{WriteUi, show_dialog};
use crate::domain::access::{Action, allows};
use crate::domain::input::Day;
use crate::domain::{MINUTE_FORMAT, Minutes};
use crate::store::activities::ActivityRow;
use crate::store::attendance::{ASK_BEFORE_SIGN_OUT, sign_in_is_open};
use crate::store::ledger::{EntryKind, LedgerEntry, LedgerOf, OpenSession, SignedIn, totals};
use crate::store::recruitment::{RosterEntry, SignupStatus, WalkInConsent};
use crate::store::volunteers::VolunteerRow;

const MATCHES: usize = 8;

#[derive(Clone, Debug, PartialEq)]
pub enum AttendanceCommand {
    /// Sign in, or out when already in; someone without a place only as `consent` allows
    /// (without it the desk asks 现场报名？ first).
    Desk {
        activity_id: i64,
        volunteer_id: i64,
        consent: WalkInConsent,
    },
    Resolve {
        session_id: i64,
        minutes: Minutes,
        reason: String,
    },
    Grant {
        volunteers: Vec<i64>,
        minutes: Minutes,
        service_date: NaiveDate,
        reason: String,
        activity_id: Option<i64>,
    },
    CorrectSession {
        session_id: i64,
        minutes: Minutes,
        reason: String,
    },
    CorrectGrant {
        grant_id: i64,
        minutes: Minutes,
        reason: String,
    },
    /// How long before an activity's start the desk opens sign-in.
    SetSignInOpens(Minutes),
    /// 签退 of one session, from a list of who is signed in.
    SignOut {
        session_id: i64,
        volunteer_id: i64,
    },
}

/// What the tab shows, read from the store after every change.
#[derive(Default)]
pub struct AttendanceData {
    /// Activities of recent days and the next, for the desk and grants.
    pub activities: Vec<ActivityRow>,
    /// At the chosen activity: volunteer id, name, signed in at.
    pub signed_in: Vec<SignedIn>,
    /// The desk's activity's sign-ups, to tell the candidates' standing.
    pub roster: Vec<RosterEntry>,
    /// Every session not signed out, those still running included.
    pub open_sessions: Vec<OpenSession>,
    /// The ledger of the chosen volunteer.
    pub ledger: Vec<LedgerEntry>,
    /// The desk opens sign-in this long before an activity's start (a setting in the file).
    pub sign_in_opens: Minutes,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Section {
    #[default]
    Desk,
    Open,
    Grant,
    Ledger,
}

/// The 签到 tab: its screen and what it read for the desk's activity and the ledger shown.
#[derive(Default)]
pub struct Attendance {
    screen: AttendanceTab,
    data: Read<data::ReadKey, AttendanceData>,
}

impl TabScreen for Attendance {
    type Command = AttendanceCommand;

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut TabContext<'_>, commands: &mut Vec<AttendanceCommand>) {
        let key = (self.screen.activity_id, self.screen.ledger_of, cx.today());
        self.data.refresh(key, cx.reader(), |store, &key| data::read(store, key));
        self.screen.administers = allows(cx.store.actor().role, Action::Administer);
        let now = cx.now;
        let (Some(people), Some(data)) = (cx.people(), self.data.get()) else {
            return reading_ui(ui, self.data.is_pending() || cx.people.is_pending());
        };
        self.screen.tab_ui(ui, data, people, now, commands);
    }

    fn is_reading(&self) -> bool {
        self.data.is_pending()
    }

    fn run(&mut self, cx: &mut TabContext<'_>, command: AttendanceCommand) {
        self.carry_out(cx, command);
    }

    fn data_changed(&mut self) {
        self.data.forget();
    }
}

/// What the 签到 screen holds: the section, the desk's activity and input, the forms.
#[derive(Default)]
struct AttendanceTab {
    section: Section,
    /// The account may change the desk's setting (the store refuses anyone else anyway).
    administers: bool,
    activity_id: Option<i64>,
    query: String,
    /// The last thing the desk did or refused, shown big beside the box where the clerk looks;
    /// gone as soon as the next name is typed.
    desk_message: Option<DeskMessage>,
    /// The activity picker lists every recent activity, not only those open now and today's.
    all_activities: bool,
    /// The candidate chosen with ↑↓ among several matches; Enter signs in only a chosen one.
    highlight: Option<usize>,
    /// 现场报名？ asked before anyone without a place is signed in.
    walk_in: Option<WalkInQuestion>,
    /// 签退？ asked when someone signed in minutes ago is typed again.
    sign_out: Option<SignOutQuestion>,
    /// The sign-in window's setting as typed, and the stored value it was filled from.
    opens_text: String,
    opens_shown: Option<Minutes>,
    resolve_inputs: std::collections::HashMap<i64, (String, String)>,
    grant: GrantForm,
    ledger_of: Option<LedgerOf>,
    ledger_query: String,
    correction: Option<(LedgerEntry, String, String)>,
}

/// What the desk says under its box: done (green) or refused (red).
#[derive(Clone, Debug, PartialEq)]
enum DeskMessage {
    Done(String),
    Refused(String),
}

/// The desk's question before signing in someone without a place.
struct WalkInQuestion {
    activity_id: i64,
    volunteer_id: i64,
    /// Who, told apart: 张三 ZY000123 ·8842（市民政局）.
    who: String,
    /// Where they stand and, past capacity, by how much: 已退出本活动；将超出名额 3/2.
    standing: String,
    /// The confirming button took the focus (once: Tab may move it on), so Enter answers.
    focused: bool,
}

/// The desk's question before signing out someone signed in minutes ago.
struct SignOutQuestion {
    session_id: i64,
    volunteer_id: i64,
    /// 张三 ZY000123 ·8842 于 18:53 签到，不到 10 分钟.
    said: String,
    focused: bool,
}

#[derive(Default)]
struct GrantForm {
    volunteers: Vec<i64>,
    query: String,
    hours: String,
    service_date: String,
    reason: String,
    activity_id: Option<i64>,
    error: Option<String>,
}

impl AttendanceTab {
    fn tab_ui(
        &mut self,
        ui: &mut egui::Ui,
        data: &AttendanceData,
        registry: &RegistryData,
        now: NaiveDateTime,
        commands: &mut Vec<AttendanceCommand>,
    ) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.selectable_value(&mut self.section, Section::Desk, s::SECTION_DESK);
                let open = format!("{}（{}）", s::SECTION_OPEN, data.open_sessions.len());
                ui.selectable_value(&mut self.section, Section::Open, open);
                ui.selectable_value(&mut self.section, Section::Grant, s::SECTION_GRANT);
                ui.selectable_value(&mut self.section, Section::Ledger, s::SECTION_LEDGER);
            });
            ui.separator();
            match self.section {
                Section::Desk => self.desk_ui(ui, data, registry, now, commands),
                Section::Open => self.open_ui(ui, data, registry, commands),
                Section::Grant => self.grant_ui(ui, data, registry, commands),
                Section::Ledger => self.ledger_ui(ui, data, registry, commands),
            }
        });
        self.walk_in_ui(ui.ctx(), commands);
        self.sign_out_question_ui(ui.ctx(), commands);
    }

    /// Asks 现场报名？ (naming the person, where they stand and any run past capacity); only a
    /// yes signs them in. The confirming button starts with the focus: Enter confirms, Tab
    /// moves to 取消, Esc cancels.
    fn walk_in_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<AttendanceCommand>) {
        let Some(question) = &mut self.walk_in else { return };
        let (_, closed) = show_dialog(ctx, s::WALK_IN_QUESTION, |ui| {
            ui.label(&question.who);
            ui.label(RichText::new(&question.standing).color(ui.visuals().warn_fg_color).strong());
            ui.horizontal(|ui| {
                let confirm = ui.write_button(s::WALK_IN_CONFIRM);
                if !std::mem::replace(&mut question.focused, true) {
                    confirm.request_focus();
                }
                if confirm.clicked() {
                    commands.push(AttendanceCommand::Desk {
                        activity_id: question.activity_id,
                        volunteer_id: question.volunteer_id,
                        consent: WalkInConsent::CONFIRMED,
                    });
                    ui.close();
                }
                if ui.button(s::CANCEL).clicked() {
                    ui.close();
                }
            });
        });
        if closed {
            self.walk_in = None;
        }
    }

    /// Asks before signing out someone who signed in minutes ago. The focus starts on 不签退:
    /// a name typed twice in a queue is the likelier mistake, and Enter keeps the sign-in.
    fn sign_out_question_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<AttendanceCommand>) {
        let Some(question) = &mut self.sign_out else { return };
        let (_, closed) = show_dialog(ctx, s::EARLY_SIGN_OUT_QUESTION, |ui| {
            ui.label(&question.said);
            ui.horizontal(|ui| {
                if ui.write_button(s::CONFIRM_SIGN_OUT).clicked() {
                    commands.push(AttendanceCommand::SignOut {
                        session_id: question.session_id,
                        volunteer_id: question.volunteer_id,
                    });
                    ui.close();
                }
                let keep = ui.button(s::KEEP_SIGNED_IN);
                if !std::mem::replace(&mut question.focused, true) {
                    keep.request_focus();
                }
                if keep.clicked() {
                    ui.close();
                }
            });
        });
        if closed {
            self.sign_out = None;
        }
    }

    /// The store's answer to a sign-in needing consent: ask before writing anything.
    fn ask_walk_in(&mut self, activity_id: i64, volunteer: &VolunteerRow, standing: String) {
        let who = format!("{}（{}）", person_tag(volunteer), volunteer.unit_name);
        self.walk_in = Some(WalkInQuestion { activity_id, volunteer_id: volunteer.id, who, standing, focused: false });
    }

    /// The store's answer to the same person typed again minutes after signing in.
    fn ask_sign_out(&mut self, session_id: i64, volunteer: &VolunteerRow, signed_in_at: NaiveDateTime) {
        let said = format!(
            "{} 于 {} 签到，还不到 {} 分钟。现在签退吗？",
            person_tag(volunteer),
            signed_in_at.format("%H:%M"),
            ASK_BEFORE_SIGN_OUT.0
        );
        self.sign_out = Some(SignOutQuestion { session_id, volunteer_id: volunteer.id, said, focused: false });
    }

    /// The grant form's error from the store, shown in the form.
    fn grant_failed(&mut self, error: String) {
        self.grant.error = Some(error);
    }

    /// Clears the grant form after a successful grant.
    fn grant_done(&mut self) {
        self.grant = GrantForm::default();
    }

    fn correction_done(&mut self) {
        self.correction = None;
    }

    fn desk_ui(
        &mut self,
        ui: &mut egui::Ui,
        data: &AttendanceData,
        registry: &RegistryData,
        now: NaiveDateTime,
        commands: &mut Vec<AttendanceCommand>,
    ) {
        ui.horizontal(|ui| {
            let label = ui.label(s::DESK_ACTIVITY);
            let current = self.activity_id.and_then(|id| data.activities.iter().find(|a| a.id == id));
            let choices = DeskChoices::of(&data.activities, data.sign_in_opens, now);
            egui::ComboBox::from_id_salt("desk_activity")
                .selected_text(current.map_or(s::CHOOSE_ACTIVITY.to_string(), activity_label))
                .width(460.0)
                .show_ui(ui, |ui| self.desk_choices_ui(ui, &choices))
                .response
                .labelled_by(label.id);
            if !choices.rest.is_empty() {
                ui.checkbox(&mut self.all_activities, s::SHOW_ALL_ACTIVITIES);
            }
        });
        self.sign_in_window_ui(ui, data.sign_in_opens, commands);
        let Some(activity_id) = self.activity_id else {
            ui.label(RichText::new(s::DESK_HINT).weak());
            return;
        };
        ui.add_space(8.0);
        ui.columns(2, |columns| {
            let ui = &mut columns[0];
            let label = ui.label(RichText::new(s::DESK_SEARCH).strong());
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.query)
                    .hint_text(s::SEARCH_HINT)
                    .desired_width(f32::INFINITY)
                    .font(egui::TextStyle::Heading),
            );
            let field = field.labelled_by(label.id);
            // The queue types here; the setting's field keeps the focus while it is edited.
            if self.query.is_empty() && ui.memory(|m| m.focused().is_none()) {
                field.request_focus();
            }
            self.candidates_ui(ui, &field, activity_id, data, registry, commands);
            let ui = &mut columns[1];
            ui.label(RichText::new(format!("{}（{} 人）", s::SIGNED_IN_NOW, data.signed_in.len())).strong());
            egui::ScrollArea::vertical().id_salt("signed_in").show(ui, |ui| {
                for entry in &data.signed_in {
                    ui.horizontal(|ui| {
                        ui.label(tag_of(registry, entry.volunteer_id, &entry.name));
                        let at = &entry.signed_in_at;
                        ui.label(RichText::new(at.get(11..).unwrap_or(at)).weak());
                        if ui.write_small_button(s::SIGN_OUT).clicked() {
                            commands.push(AttendanceCommand::SignOut {
                                session_id: entry.session_id,
                                volunteer_id: entry.volunteer_id,
                            });
                        }
                    });
                }
            });
        });
    }

    /// The activities open for sign-in now, then today's others; the rest when 显示全部活动 is
    /// ticked.
    fn desk_choices_ui(&mut self, ui: &mut egui::Ui, choices: &DeskChoices<'_>) {
        let mut group = |ui: &mut egui::Ui, title: &str, activities: &[&ActivityRow]| {
            if activities.is_empty() {
                return;
            }
            ui.label(RichText::new(title).weak());
            for a in activities {
                if ui.selectable_label(self.activity_id == Some(a.id), activity_label(a)).clicked() {
                    self.activity_id = Some(a.id);
                    self.desk_message = None;
                }
            }
        };
        if choices.open.is_empty() {
            ui.label(RichText::new(s::NO_ACTIVITY_OPEN_NOW).weak());
        }
        group(ui, s::ACTIVITIES_OPEN_NOW, &choices.open);
        group(ui, s::ACTIVITIES_LATER_TODAY, &choices.today);
        if self.all_activities {
            group(ui, s::ACTIVITIES_OTHER, &choices.rest);
        }
    }

    /// The setting every path reads from the file: sign-in opens this long before the start
    /// and closes at the end (the store refuses a change by anyone but an administrator).
    fn sign_in_window_ui(&mut self, ui: &mut egui::Ui, stored: Minutes, commands: &mut Vec<AttendanceCommand>) {
        if self.opens_shown != Some(stored) {
            self.opens_text = stored.to_string();
            self.opens_shown = Some(stored);
        }
        ui.horizontal(|ui| {
            let label = ui.label(s::SIGN_IN_OPENS_BEFORE);
            if !self.administers {
                ui.label(stored.to_string());
                ui.label(RichText::new(s::SIGN_IN_WINDOW_HINT).weak());
                return;
            }
            ui.add(egui::TextEdit::singleline(&mut self.opens_text).desired_width(48.0)).labelled_by(label.id);
            let typed = Minutes::parse_hours(&self.opens_text);
            if typed != Some(stored) && ui.write_button(s::SAVE).clicked() {
                match typed {
                    Some(before) => commands.push(AttendanceCommand::SetSignInOpens(before)),
                    None => self.opens_text = stored.to_string(),
                }
            }
            ui.label(RichText::new(s::SIGN_IN_WINDOW_HINT).weak());
        });
    }

    /// The people the typed text matches. One is signed in (or out) on Enter; among several
    /// nothing is written until one is chosen with ↑↓ and Enter, or clicked.
    fn candidates_ui(
        &mut self,
        ui: &mut egui::Ui,
        field: &egui::Response,
        activity_id: i64,
        data: &AttendanceData,
        registry: &RegistryData,
        commands: &mut Vec<AttendanceCommand>,
    ) {
        // One more than shown, to tell "8 people" from "more than 8".
        let mut matches = registry.find(&self.query, MATCHES + 1);
        let more = matches.len() > MATCHES;
        matches.truncate(MATCHES);
        if field.changed() {
            self.highlight = None;
            self.desk_message = None;
        }
        let (down, up, enter) =
            ui.input(|i| (i.key_pressed(Key::ArrowDown), i.key_pressed(Key::ArrowUp), i.key_pressed(Key::Enter)));
        if field.has_focus() && !matches.is_empty() {
            let last = matches.len() - 1;
            if down {
                self.highlight = Some(self.highlight.map_or(0, |i| (i + 1).min(last)));
            }
            if up {
                self.highlight = Some(self.highlight.map_or(0, |i| i.saturating_sub(1)));
            }
        }
        let chosen = match (self.highlight, matches.len()) {
            (Some(i), _) => matches.get(i).copied(),
            (None, 1) => matches.first().copied(),
            _ => None,
        };
        if field.lost_focus() && enter {
            if let Some(v) = chosen {
                self.desk_chose(activity_id, v.id, commands);
            } else if matches.is_empty() && !self.query.trim().is_empty() {
                self.desk_message = Some(DeskMessage::Refused(format!("{}{}", s::NO_SUCH_PERSON, self.query.trim())));
            }
            field.request_focus();
        }
        match &self.desk_message {
            Some(DeskMessage::Done(text)) => {
                ui.label(RichText::new(text).heading().color(egui::Color32::from_rgb(46, 125, 50)));
            }
            Some(DeskMessage::Refused(text)) => {
                ui.label(RichText::new(text).heading().color(ui.visuals().error_fg_color));
            }
            None => {}
        }
        if more {
            ui.label(RichText::new(format!("符合的超过 {MATCHES} 人，{}", s::DESK_NARROW)).strong());
        } else if matches.len() > 1 {
            ui.label(RichText::new(format!("有 {} 人符合，{}", matches.len(), s::DESK_CHOOSE)).strong());
        }
        for (i, v) in matches.iter().enumerate() {
            let inside = data.signed_in.iter().any(|entry| entry.volunteer_id == v.id);
            ui.horizontal(|ui| {
                let action = if inside { s::SIGN_OUT } else { s::SIGN_IN };
                let button =
                    egui::Button::selectable(self.highlight == Some(i), format!("{action}：{}", person_tag(v)));
                if ui.add_write(true, button).clicked() {
                    self.desk_chose(activity_id, v.id, commands);
                }
                let standing = if inside { "已签到".to_string() } else { roster_standing(&data.roster, v.id) };
                ui.label(RichText::new(format!("{} · {standing}", v.unit_name)).weak());
            });
        }
    }

    fn desk_chose(&mut self, activity_id: i64, volunteer_id: i64, commands: &mut Vec<AttendanceCommand>) {
        commands.push(AttendanceCommand::Desk { activity_id, volunteer_id, consent: WalkInConsent::default() });
        self.query.clear();
        self.highlight = None;
    }

    fn open_ui(
        &mut self,
        ui: &mut egui::Ui,
        data: &AttendanceData,
        registry: &RegistryData,
        commands: &mut Vec<AttendanceCommand>,
    ) {
        ui.label(RichText::new(s::OPEN_HINT).weak());
        ui.label(RichText::new(s::OPEN_RUNNING_HINT).weak());
        if data.open_sessions.is_empty() {
            ui.label(s::NO_OPEN_SESSIONS);
            return;
        }
        // The inputs and 补录并结案 come first so they stay in view while the rest scrolls
        // sideways.
        egui::ScrollArea::both().show(ui, |ui| {
            egui::Grid::new("open_sessions").striped(true).num_columns(6).show(ui, |ui| {
                for title in ["补录时数 / 事由", "", "志愿者", "活动", "签到时间", "补录上限"] {
                    ui.strong(title);
                }
                ui.end_row();
                for open in &data.open_sessions {
                    let who = tag_of(registry, open.volunteer_id, &open.volunteer_name);
                    if !open.flagged {
                        ui.label(RichText::new(s::SESSION_RUNNING).weak());
                        if ui.write_button(s::SIGN_OUT).clicked() {
                            commands.push(AttendanceCommand::SignOut {
                                session_id: open.session_id,
                                volunteer_id: open.volunteer_id,
                            });
                        }
                        ui.label(who);
                        ui.label(&open.activity_name);
                        ui.label(&open.signed_in_at);
                        ui.label("");
                        ui.end_row();
                        continue;
                    }
                    let (hours, reason) = self.resolve_inputs.entry(open.session_id).or_default();
                    ui.horizontal(|ui| {
                        ui.add(egui::TextEdit::singleline(hours).hint_text("时数").desired_width(50.0));
                        ui.add(
                            egui::TextEdit::singleline(reason)
                                .char_limit(crate::domain::limits::FREE_TEXT)
                                .hint_text("事由（必填）")
                                .desired_width(180.0),
                        );
                    });
                    if ui.write_button(s::RESOLVE).clicked() {
                        let minutes =
                            if hours.trim().is_empty() { Some(Minutes(0)) } else { Minutes::parse_hours(hours) };
                        if let Some(minutes) = minutes {
                            commands.push(AttendanceCommand::Resolve {
                                session_id: open.session_id,
                                minutes,
                                reason: reason.clone(),
                            });
                        } else {
                            hours.clear();
                        }
                    }
                    ui.label(who);
                    ui.label(&open.activity_name);
                    ui.label(&open.signed_in_at);
                    ui.label(format!("{} 小时", open.room));
                    ui.end_row();
                }
            });
        });
    }

    fn grant_ui(
        &mut self,
        ui: &mut egui::Ui,
        data: &AttendanceData,
        registry: &RegistryData,
        commands: &mut Vec<AttendanceCommand>,
    ) {
        let form = &mut self.grant;
        ui.label(RichText::new(s::GRANT_HINT).weak());
        ui.horizontal_wrapped(|ui| {
            ui.label(s::GRANT_TO);
            for id in form.volunteers.clone() {
                if let Some(v) = registry.volunteers.iter().find(|v| v.id == id)
                    && ui.button(format!("{} ×", person_tag(v))).on_hover_text("移出").clicked()
                {
                    form.volunteers.retain(|x| *x != id);
                }
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label(s::ADD_GRANTEE);
            ui.add(egui::TextEdit::singleline(&mut form.query).hint_text(s::SEARCH_HINT).desired_width(240.0))
                .labelled_by(label.id);
        });
        ui.horizontal_wrapped(|ui| {
            for v in find(registry, &form.query) {
                if !form.volunteers.contains(&v.id)
                    && ui.button(format!("＋{}（{}）", person_tag(v), v.unit_name)).clicked()
                {
                    form.volunteers.push(v.id);
                    form.query.clear();
                }
            }
        });
        egui::Grid::new("grant_form").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
            super::widgets::labelled_text_edit(ui, s::GRANT_HOURS, &mut form.hours);
            date_time_field(ui, s::SERVICE_DATE, &mut form.service_date, false);
            super::widgets::limited_text_edit(ui, s::GRANT_REASON, &mut form.reason, crate::domain::limits::FREE_TEXT);
            let label = ui.label(s::GRANT_ACTIVITY);
            let current = form.activity_id.and_then(|id| data.activities.iter().find(|a| a.id == id));
            egui::ComboBox::from_id_salt("grant_activity")
                .selected_text(current.map_or(s::NO_ACTIVITY.to_string(), activity_label))
                .width(380.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut form.activity_id, None, s::NO_ACTIVITY);
                    for a in &data.activities {
                        ui.selectable_value(&mut form.activity_id, Some(a.id), activity_label(a));
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
        });
        if let Some(error) = &form.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        if ui.write_button(s::GRANT).clicked() {
            match grant_command(form) {
                Ok(command) => commands.push(command),
                Err(why) => form.error = Some(why),
            }
        }
    }

    fn ledger_ui(
        &mut self,
        ui: &mut egui::Ui,
        data: &AttendanceData,
        registry: &RegistryData,
        commands: &mut Vec<AttendanceCommand>,
    ) {
        ui.horizontal(|ui| {
            let label = ui.label(s::LEDGER_OF);
            ui.add(egui::TextEdit::singleline(&mut self.ledger_query).hint_text(s::SEARCH_HINT).desired_width(240.0))
                .labelled_by(label.id);
            let label = ui.label(s::LEDGER_OF_ACTIVITY);
            let current = match self.ledger_of {
                Some(LedgerOf::Activity(id)) => data.activities.iter().find(|a| a.id == id),
                _ => None,
            };
            egui::ComboBox::from_id_salt("ledger_activity")
                .selected_text(current.map_or(s::CHOOSE_ANY_ACTIVITY.to_string(), activity_label))
                .width(380.0)
                .show_ui(ui, |ui| {
                    for a in &data.activities {
                        if ui.selectable_label(current.is_some_and(|c| c.id == a.id), activity_label(a)).clicked() {
                            self.ledger_of = Some(LedgerOf::Activity(a.id));
                        }
                    }
                })
                .response
                .labelled_by(label.id);
        });
        ui.horizontal_wrapped(|ui| {
            for v in find(registry, &self.ledger_query) {
                let chosen = self.ledger_of == Some(LedgerOf::Volunteer(v.id));
                if ui.selectable_label(chosen, format!("{}（{}）", person_tag(v), v.unit_name)).clicked() {
                    self.ledger_of = Some(LedgerOf::Volunteer(v.id));
                    self.ledger_query.clear();
                }
            }
        });
        let title = match self.ledger_of {
            Some(LedgerOf::Volunteer(id)) => registry.volunteers.iter().find(|v| v.id == id).map(|v| v.name.clone()),
            Some(LedgerOf::Activity(id)) => data.activities.iter().find(|a| a.id == id).map(|a| a.name.clone()),
            None => None,
        };
        let Some(title) = title else { return };
        let (credit, honor) = totals(&data.ledger);
        ui.heading(format!(
            "{title} 的时数台账（小时:分钟）：服务信用时数 {}，荣誉时数 {}，合计 {}",
            credit.clock(),
            honor.clock(),
            (credit + honor).clock()
        ));
        // 更正 comes first so it stays in view while the wide columns scroll sideways.
        egui::ScrollArea::both().max_height(ui.available_height() - 80.0).show(ui, |ui| {
            egui::Grid::new("ledger").striped(true).num_columns(10).show(ui, |ui| {
                for title in
                    ["", "服务时间", "类型", "志愿者", "活动", "明细", "信用时数", "荣誉时数", "登记人", "登记时间"]
                {
                    ui.strong(title);
                }
                ui.end_row();
                for entry in &data.ledger {
                    let correctable = matches!(entry.kind, EntryKind::Session | EntryKind::Honor) && !entry.open;
                    if correctable && ui.write_small_button(s::CORRECT).clicked() {
                        self.correction = Some((entry.clone(), String::new(), String::new()));
                    }
                    if !correctable {
                        ui.label("");
                    }
                    ui.label(&entry.service_at);
                    ui.label(entry.kind.label());
                    ui.label(&entry.volunteer_name);
                    ui.label(entry.activity_name.as_deref().unwrap_or("—"));
                    ui.label(&entry.detail);
                    ui.label(if entry.open { "未签退".to_string() } else { hours_cell(entry.credit) });
                    ui.label(hours_cell(entry.honor));
                    ui.label(&entry.recorded_by);
                    if entry.late {
                        ui.colored_label(ui.visuals().warn_fg_color, format!("{}（逾期登记）", entry.recorded_at));
                    } else {
                        ui.label(&entry.recorded_at);
                    }
                    ui.end_row();
                }
            });
        });
        self.correction_ui(ui, commands);
    }

    fn correction_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<AttendanceCommand>) {
        let Some((entry, hours, reason)) = &mut self.correction else { return };
        ui.separator();
        ui.label(format!(
            "更正：{} {} {}",
            entry.service_at,
            entry.kind.label(),
            entry.activity_name.as_deref().unwrap_or("")
        ));
        let mut cancel = false;
        ui.horizontal(|ui| {
            let label = ui.label(s::CORRECTION_HOURS);
            ui.add(egui::TextEdit::singleline(hours).hint_text("如 -0.5 或 1").desired_width(70.0))
                .labelled_by(label.id);
            let label = ui.label(s::CORRECTION_REASON);
            ui.add(
                egui::TextEdit::singleline(reason).char_limit(crate::domain::limits::FREE_TEXT).desired_width(260.0),
            )
            .labelled_by(label.id);
            if ui.write_button(s::SAVE_CORRECTION).clicked()
                && let Some(minutes) = Minutes::parse_hours(hours)
            {
                let reason = reason.clone();
                commands.push(match (entry.session_id, entry.grant_id) {
                    (Some(session_id), _) => AttendanceCommand::CorrectSession { session_id, minutes, reason },
                    (None, Some(grant_id)) => AttendanceCommand::CorrectGrant { grant_id, minutes, reason },
                    (None, None) => return,
                });
            }
            cancel = ui.button(s::CANCEL).clicked();
        });
        if cancel {
            self.correction = None;
        }
    }
}

fn grant_command(form: &GrantForm) -> Result<AttendanceCommand, String> {
    if form.volunteers.is_empty() {
        return Err("请至少选择一名志愿者".into());
    }
    let minutes = Minutes::parse_hours(&form.hours).filter(|m| m.0 > 0).ok_or("时数应为正数，最多一位小数，如 2.5")?;
    let service_date = match form.service_date.trim() {
        "" => return Err("请填写服务日期".into()),
        text => text.parse::<Day>().map_err(|why| format!("{}：{why}", s::SERVICE_DATE))?.0,
    };
    Ok(AttendanceCommand::Grant {
        volunteers: form.volunteers.clone(),
        minutes,
        service_date,
        reason: form.reason.clone(),
        activity_id: form.activity_id,
    })
}

/// The volunteer `id` told apart, or the name as read when the registry lacks them.
fn tag_of(registry: &RegistryData, id: i64, name: &str) -> String {
    registry.volunteers.iter().find(|v| v.id == id).map_or_else(|| name.to_string(), person_tag)
}

/// Where a volunteer stands on the desk's activity: 已报名, 已报名（现场）, 候补, 已退出 or 未报名.
fn roster_standing(roster: &[RosterEntry], volunteer_id: i64) -> String {
    let mine = roster.iter().filter(|e| e.volunteer_id == volunteer_id);
    let best = mine.min_by_key(|e| match e.status {
        SignupStatus::Confirmed => 0,
        SignupStatus::Waiting => 1,
        SignupStatus::Withdrawn => 2,
    });
    match best {
        Some(e) if e.walk_in && e.status == SignupStatus::Confirmed => "已报名（现场）".to_string(),
        Some(e) => e.status.label().to_string(),
        None => "未报名".to_string(),
    }
}

fn find<'a>(registry: &'a RegistryData, query: &str) -> Vec<&'a VolunteerRow> {
    registry.find(query, MATCHES)
}

/// The desk's activities by when they take sign-ins: open now, later today, the rest.
struct DeskChoices<'a> {
    open: Vec<&'a ActivityRow>,
    today: Vec<&'a ActivityRow>,
    rest: Vec<&'a ActivityRow>,
}

impl<'a> DeskChoices<'a> {
    fn of(activities: &'a [ActivityRow], opens_before: Minutes, now: NaiveDateTime) -> Self {
        let mut choices = DeskChoices { open: Vec::new(), today: Vec::new(), rest: Vec::new() };
        let time = |text: &str| NaiveDateTime::parse_from_str(text, MINUTE_FORMAT).ok();
        for a in activities.iter().filter(|a| a.cancelled_at.is_none()) {
            let (Some(starts), Some(ends)) = (time(&a.starts_at), time(&a.ends_at)) else {
                choices.rest.push(a);
                continue;
            };
            if sign_in_is_open(starts, ends, opens_before, now) {
                choices.open.push(a);
            } else if starts.date() == now.date() && now < ends {
                choices.today.push(a);
            } else {
                choices.rest.push(a);
            }
        }
        for group in [&mut choices.open, &mut choices.today] {
            group.sort_by(|a, b| a.starts_at.cmp(&b.starts_at));
        }
        choices
    }
}

fn activity_label(a: &ActivityRow) -> String {
    format!("{} {}（{}）", a.starts_at, a.name, a.team_name)
}

/// 小时:分钟, exact, so the rows add up to the heading's totals (one decimal each did not).
fn hours_cell(minutes: Minutes) -> String {
    if minutes.0 == 0 { String::new() } else { minutes.clock() }
}
