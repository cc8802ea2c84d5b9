//! The gate in front of the tabs: creating the first administrator, logging in (also after a
//! lock or 切换用户), and replacing a one-time password.

use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use super::strings as s;
use super::widgets::{error_ui, labelled_password_edit};
use crate::domain::access::Role;
use crate::error::Result;
use crate::store::Store;
use crate::store::accounts;

/// A desk left alone this long locks itself: hours and votes should not be entered in
/// someone else's name.
const IDLE_LIMIT: Duration = Duration::from_secs(15 * 60);

/// What stands between the user and the tabs.
#[derive(Debug, PartialEq)]
pub enum Gate {
    /// An empty file: create the administrator (or load the demo, which brings accounts).
    FirstRun(AccountForm),
    Login(LoginForm),
    /// Logged in with a one-time password: a new one first.
    ChangePassword(PasswordForm),
    Open,
}

#[derive(Debug, Default, PartialEq)]
pub struct AccountForm {
    pub login: String,
    pub name: String,
    pub password: String,
    pub repeat: String,
    pub error: Option<String>,
    /// The file holds data without accounts (written by `import`): the demo is not offered.
    pub has_data: bool,
}

#[derive(Debug, Default, PartialEq)]
pub struct LoginForm {
    pub login: String,
    pub password: String,
    pub error: Option<String>,
    /// Why the login is asked for again (locked after idling, or 切换用户).
    pub note: Option<String>,
    /// The demo's accounts exist: show their published passwords.
    pub demo_hint: bool,
}

#[derive(Debug, Default, PartialEq)]
pub struct PasswordForm {
    pub current: String,
    pub new: String,
    pub repeat: String,
    pub error: Option<String>,
}

/// What the gate asks the application to do.
#[derive(Clone, Debug, PartialEq)]
pub enum GateCommand {
    CreateAdministrator { login: String, name: String, password: String },
    LoadDemo,
    SignIn { login: String, password: String },
    ChangePassword { current: String, new: String },
}

/// Who is at the desk: the gate, the login offered again after a lock, and when the window
/// was last touched.
pub struct Session {
    pub gate: Gate,
    /// The login name of whoever is logged in, offered again after a lock.
    login: String,
    last_input: Instant,
    pub idle_limit: Duration,
}

/// How a gate command ended, for the app to follow up.
pub enum Passed {
    /// Someone logged in: the tabs read again for them.
    SignedIn,
    PasswordChanged,
    /// Refused: the form shows why.
    Refused,
}

impl Default for Session {
    fn default() -> Self {
        Session { gate: Gate::Open, login: String::new(), last_input: Instant::now(), idle_limit: IDLE_LIMIT }
    }
}

impl Session {
    pub fn is_open(&self) -> bool {
        self.gate == Gate::Open
    }

    /// Asks who is there: the first administrator on a new file, a login otherwise.
    pub fn close(&mut self, store: &mut Store, note: Option<&str>) -> Result<()> {
        if !store.has_accounts()? {
            let has_data = !store.counts()?.is_empty();
            self.gate = Gate::FirstRun(AccountForm { has_data, ..AccountForm::default() });
            return Ok(());
        }
        // A locked window reads nothing but the accounts, to log in.
        let acting = store.act_for_nobody();
        let login = if note == Some(s::LOCKED_NOTE) { self.login.clone() } else { String::new() };
        let demo_hint = store.is_demo();
        self.gate = Gate::Login(LoginForm { login, note: note.map(str::to_string), demo_hint, ..LoginForm::default() });
        acting
    }

    /// Logs in at `now`: the store acts for the account from now on.
    pub fn sign_in(&mut self, store: &mut Store, login: &str, password: &str, now: NaiveDateTime) -> Result<()> {
        let signed_in = store.sign_in(login, password, now)?;
        store.act_as(signed_in.actor)?;
        self.login = login.trim().to_string();
        self.gate =
            if signed_in.must_change_password { Gate::ChangePassword(PasswordForm::default()) } else { Gate::Open };
        self.touched();
        Ok(())
    }

    /// Carries out a command of the gate's forms (not `LoadDemo`, which is the app's).
    pub fn run(&mut self, store: &mut Store, command: GateCommand, now: NaiveDateTime) -> Passed {
        let outcome = match command {
            GateCommand::LoadDemo => return Passed::Refused,
            GateCommand::CreateAdministrator { login, name, password } => {
                let account = accounts::NewAccount {
                    login: login.clone(),
                    display_name: name,
                    role: Role::Admin,
                    unit_id: None,
                    password,
                };
                store
                    .create_account(&account)
                    .and_then(|_| self.sign_in(store, &login, &account.password, now))
                    .map(|()| Passed::SignedIn)
            }
            GateCommand::SignIn { login, password } => {
                self.sign_in(store, &login, &password, now).map(|()| Passed::SignedIn)
            }
            GateCommand::ChangePassword { current, new } => store.change_own_password(&current, &new).map(|()| {
                self.gate = Gate::Open;
                Passed::PasswordChanged
            }),
        };
        outcome.unwrap_or_else(|err| {
            if let Some(error) = self.form_error() {
                *error = Some(err.to_string());
            }
            Passed::Refused
        })
    }

    fn form_error(&mut self) -> Option<&mut Option<String>> {
        match &mut self.gate {
            Gate::FirstRun(form) => Some(&mut form.error),
            Gate::Login(form) => Some(&mut form.error),
            Gate::ChangePassword(form) => Some(&mut form.error),
            Gate::Open => None,
        }
    }

    /// The user did something: the idle time starts again.
    pub fn touched(&mut self) {
        self.last_input = Instant::now();
    }

    /// Left alone long enough to lock.
    pub fn idle_too_long(&self) -> bool {
        self.last_input.elapsed() >= self.idle_limit
    }

    /// Draws the gate's form; its commands go to `commands`.
    pub fn ui(&mut self, ui: &mut egui::Ui, demo_loading: bool, commands: &mut Vec<GateCommand>) {
        match &mut self.gate {
            Gate::FirstRun(form) => form.ui(ui, demo_loading, commands),
            Gate::Login(form) => form.ui(ui, commands),
            Gate::ChangePassword(form) => form.ui(ui, commands),
            Gate::Open => {}
        }
    }
}

impl AccountForm {
    pub fn ui(&mut self, ui: &mut egui::Ui, demo_loading: bool, commands: &mut Vec<GateCommand>) {
        centred_card(ui, s::FIRST_RUN_TITLE, |ui| {
            ui.label(s::FIRST_RUN_HINT);
            ui.add_space(8.0);
            egui::Grid::new("first_run").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                let login = super::widgets::labelled_text_edit(ui, s::LOGIN_NAME, &mut self.login);
                // The form opens ready for typing, as the login form does.
                if ui.memory(|m| m.focused().is_none()) && self.login.is_empty() {
                    login.request_focus();
                }
                super::widgets::limited_text_edit(
                    ui,
                    s::DISPLAY_NAME,
                    &mut self.name,
                    crate::domain::limits::PERSON_NAME,
                );
                labelled_password_edit(ui, s::PASSWORD, &mut self.password);
                labelled_password_edit(ui, s::REPEAT_PASSWORD, &mut self.repeat);
            });
            error_ui(ui, self.error.as_deref());
            if ui.button(s::CREATE_ADMINISTRATOR).clicked() {
                match check_new_password(&self.password, &self.repeat) {
                    Ok(()) => commands.push(GateCommand::CreateAdministrator {
                        login: self.login.trim().to_string(),
                        name: self.name.trim().to_string(),
                        password: self.password.clone(),
                    }),
                    Err(message) => self.error = Some(message),
                }
            }
            ui.add_space(16.0);
            ui.separator();
            if self.has_data {
                ui.label(s::DEMO_NEEDS_EMPTY);
                return;
            }
            ui.label(s::EMPTY_DATABASE_HINT);
            if demo_loading {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(s::LOADING_DEMO);
                });
            } else if ui.button(s::LOAD_DEMO).clicked() {
                commands.push(GateCommand::LoadDemo);
            }
        });
    }
}

impl LoginForm {
    pub fn ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<GateCommand>) {
        centred_card(ui, s::LOGIN_TITLE, |ui| {
            if let Some(note) = &self.note {
                ui.label(note);
                ui.add_space(4.0);
            }
            let mut submit = false;
            egui::Grid::new("login").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                let login = super::widgets::labelled_text_edit(ui, s::LOGIN_NAME, &mut self.login);
                let password = labelled_password_edit(ui, s::PASSWORD, &mut self.password);
                submit = password.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                // Ready to type at once: the name, or after a lock the password.
                if ui.memory(|m| m.focused().is_none()) {
                    if self.login.is_empty() { login.request_focus() } else { password.request_focus() }
                }
            });
            error_ui(ui, self.error.as_deref());
            if ui.button(s::LOGIN).clicked() || submit {
                commands.push(GateCommand::SignIn {
                    login: self.login.trim().to_string(),
                    password: std::mem::take(&mut self.password),
                });
            }
            if self.demo_hint {
                ui.add_space(12.0);
                ui.label(egui::RichText::new(s::DEMO_ACCOUNTS_HINT).weak());
            }
        });
    }
}

impl PasswordForm {
    pub fn ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<GateCommand>) {
        centred_card(ui, s::CHANGE_PASSWORD, |ui| {
            ui.label(s::MUST_CHANGE_PASSWORD_HINT);
            ui.add_space(8.0);
            egui::Grid::new("change_password").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                let current = labelled_password_edit(ui, s::CURRENT_PASSWORD, &mut self.current);
                if ui.memory(|m| m.focused().is_none()) && self.current.is_empty() {
                    current.request_focus();
                }
                labelled_password_edit(ui, s::NEW_PASSWORD, &mut self.new);
                labelled_password_edit(ui, s::REPEAT_PASSWORD, &mut self.repeat);
            });
            error_ui(ui, self.error.as_deref());
            if ui.button(s::SAVE).clicked() {
                match check_new_password(&self.new, &self.repeat) {
                    Ok(()) => commands
                        .push(GateCommand::ChangePassword { current: self.current.clone(), new: self.new.clone() }),
                    Err(message) => self.error = Some(message),
                }
            }
        });
    }
}

/// The window's own check before the store's: the two entries must agree.
fn check_new_password(password: &str, repeat: &str) -> Result<(), String> {
    if password != repeat {
        return Err(s::PASSWORDS_DIFFER.to_string());
    }
    match crate::domain::password::problem(password) {
        Some(problem) => Err(problem),
        None => Ok(()),
    }
}

fn centred_card(ui: &mut egui::Ui, title: &str, body: impl FnOnce(&mut egui::Ui)) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() * 0.15);
            ui.heading(s::APP_TITLE);
            ui.add_space(12.0);
            egui::Frame::group(ui.style()).inner_margin(24.0).show(ui, |ui| {
                ui.set_max_width(460.0);
                ui.vertical_centered(|ui| {
                    ui.heading(title);
                    ui.add_space(8.0);
                    body(ui);
                });
            });
        });
    });
}
