//! The application routes and nothing more: the gate (login) and the idle lock, the top and
//! status bars, app-wide banners, and handing each frame to the tab in view (`tab.rs`). The
//! bars are drawn in `app/bars.rs`; every `AppCommand` (the bars', the gate's, the first-day
//! steps', the tabs') is routed in `app/route.rs`; the file as a whole (held, checked,
//! restored) is `app/file.rs`; the six tabs are held in `app/tabs.rs`.

mod bars;
mod file;
mod route;
mod tabs;

use tabs::Tabs;

use super::clock;
use super::command::AppCommand;
use super::demo_load::DemoLoad;
use super::dialogs::{FileDialogs, NativeDialogs, PathDialog, PathGiven, WindowDialogs};
use super::first_day::{self, NextStep};
use super::health::HealthWatch;
use super::import::{ImportDialog, ImportOutcome};
use super::people::RegistryData;
use super::session::Session;
use super::settings::{Settings, TextSize};
use super::strings as s;
use super::tab::{Event, Read, Tab, TabContext};
use super::widgets;
use crate::domain::access::{Action, allows};
use crate::store::keys::KeyStatus;
use crate::store::{Counts, Store};

const SETTINGS_KEY: &str = "volunteer-desk-settings";
/// How often an idle window wakes up to see whether it should lock.
const IDLE_CHECK: std::time::Duration = std::time::Duration::from_secs(30);

/// A status line: what just happened, or what went wrong.
#[derive(Clone, Debug, PartialEq)]
enum Notice {
    Info(String),
    Error(String),
}

pub struct App {
    store: Store,
    settings: Settings,
    /// The settings as last written to eframe's storage.
    settings_saved: Settings,
    text_size_applied: Option<TextSize>,
    counts: Counts,
    notice: Option<Notice>,
    commands: Vec<AppCommand>,
    session: Session,
    tabs: Tabs,
    /// The registry 队伍, 日历 and 签到 show, read once after each change.
    people: Read<(), RegistryData>,
    demo: DemoLoad,
    /// The file's check at start (and after a restore); damage stops writing.
    health: HealthWatch,
    import: Option<ImportDialog>,
    dialogs: Box<dyn FileDialogs>,
    /// Asks for a path where no native dialog can open.
    path_dialog: PathDialog,
    /// The import waits for a typed path.
    import_waits_for_path: bool,
    /// A fixed time for tests; the wall clock otherwise.
    clock: Option<chrono::NaiveDateTime>,
    /// Held while this window writes the file; a second window only reads.
    instance_lock: Option<std::fs::File>,
    /// Where the database's key stands, for an administrator: read again with the counts (the
    /// 恢复码 banner and prompt).
    key: Option<KeyStatus>,
    /// An administrator just logged in to a database without a 恢复码: asked at once.
    recovery_prompt: bool,
}

impl App {
    pub fn new(store: Store, storage: Option<&dyn eframe::Storage>) -> Self {
        let settings = storage.and_then(|s| eframe::get_value(s, SETTINGS_KEY)).unwrap_or_default();
        let mut app = App {
            store,
            settings,
            settings_saved: settings,
            text_size_applied: None,
            counts: Counts::default(),
            notice: None,
            commands: Vec::new(),
            session: Session::default(),
            tabs: Tabs::default(),
            people: Read::default(),
            demo: DemoLoad::default(),
            health: HealthWatch::default(),
            import: None,
            dialogs: Box::new(NativeDialogs::default()),
            path_dialog: PathDialog::default(),
            import_waits_for_path: false,
            clock: None,
            instance_lock: None,
            key: None,
            recovery_prompt: false,
        };
        app.claim_the_file();
        app.close_the_gate(None);
        app
    }

    /// Asks who is there, forgetting what the tabs showed and held for the one before.
    fn close_the_gate(&mut self, note: Option<&str>) {
        self.recovery_prompt = false;
        for tab in self.tabs.iter_mut() {
            tab.gate_closed();
        }
        if let Err(err) = self.session.close(&mut self.store, note) {
            self.notice = Some(Notice::Error(err.to_string()));
        }
        self.forget_data();
    }

    /// Logs in from code: tests, and the gate's own command.
    pub fn sign_in(&mut self, login: &str, password: &str) -> crate::Result<()> {
        let now = self.now();
        self.session.sign_in(&mut self.store, login, password, now)?;
        self.signed_in();
        Ok(())
    }

    /// Shows the new account a tab it may see, and only what it may read.
    fn signed_in(&mut self) {
        let role = self.store.actor().role;
        if !self.settings.tab.visible_to(role) {
            self.settings.tab = Tab::ALL.into_iter().find(|t| t.visible_to(role)).unwrap_or(Tab::Contest);
        }
        self.notice = None;
        self.forget_data();
    }

    /// Someone logged in at the gate (the first administrator of a new file too): an
    /// administrator is asked for a 恢复码 at once while the database has none.
    fn signed_in_at_the_gate(&mut self) {
        self.signed_in();
        let administrator = allows(self.store.actor().role, Action::Administer);
        self.recovery_prompt = administrator && self.key.as_ref().is_some_and(needs_recovery_code);
    }

    pub fn show_error(&mut self, message: String) {
        self.notice = Some(Notice::Error(message));
    }

    /// Locks the window: the same user logs in again to go on.
    pub fn lock(&mut self) {
        self.hand_over(s::LOCKED_NOTE);
    }

    /// Closes the gate for whoever comes next (a lock, 切换用户): the last user's status
    /// line is theirs, not the next one's.
    fn hand_over(&mut self, note: &str) {
        self.notice = None;
        self.close_the_gate(Some(note));
    }

    pub fn is_open(&self) -> bool {
        self.session.is_open()
    }

    /// Locks after `limit` without input (tests shorten it).
    pub fn set_idle_limit(&mut self, limit: std::time::Duration) {
        self.session.idle_limit = limit;
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
        self.clock.unwrap_or_else(clock::wall)
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
        self.demo.is_running()
            || self.health.is_running()
            || matches!(self.import, Some(ImportDialog::Checking { .. } | ImportDialog::Writing { .. }))
            || self.tabs.is_busy()
            || self.is_reading()
    }

    /// True while the tab in view waits for its reads, or the registry's read runs.
    pub fn is_reading(&self) -> bool {
        self.people.is_reading() || self.tabs.is_reading(self.settings.tab)
    }

    /// Switches to a tab (tests and links between tabs use it).
    pub fn show_tab(&mut self, tab: Tab) {
        self.settings.tab = tab;
    }

    /// Opens the calendar on a month (tests and the dashboard use it).
    pub fn show_calendar_month(&mut self, year: i32, month: u32) {
        self.ask_tab(&AppCommand::ShowMonth { year, month });
    }

    /// The new 恢复码 on screen, if one is shown (tests read it as the administrator does).
    pub fn recovery_code_shown(&self) -> Option<&str> {
        self.tabs.recovery_code_shown()
    }

    /// The key's record is the administrator's to read (others get `None`), as is a file too
    /// old to seal, opened read-only.
    fn refresh_key_status(&mut self) {
        let administrator = self.is_open() && allows(self.store.actor().role, Action::Administer);
        self.key = if administrator { self.store.key_status().ok() } else { None };
    }

    fn refresh_counts(&mut self) {
        if !self.is_open() || self.store.actor().role.is_contest_only() {
            self.counts = Counts::default();
            return;
        }
        match self.store.counts() {
            Ok(counts) => self.counts = counts,
            Err(err) => self.notice = Some(Notice::Error(err.to_string())),
        }
    }

    /// Hands the tabs this frame's context, then follows up what they reported.
    fn with_tabs(&mut self, ctx: &egui::Context, work: impl FnOnce(&mut Tabs, &mut TabContext<'_>)) {
        let dialogs = WindowDialogs { native: self.dialogs.as_ref(), typed: &self.path_dialog };
        let mut cx = TabContext {
            now: self.now(),
            store: &mut self.store,
            dialogs: &dialogs,
            path_dialog: &self.path_dialog,
            egui: ctx,
            people: &mut self.people,
            events: Vec::new(),
        };
        work(&mut self.tabs, &mut cx);
        for event in cx.events {
            match event {
                Event::Finished(outcome) => self.finish(outcome),
                Event::ReadFailed(message) => self.notice = Some(Notice::Error(message)),
                Event::Ask(command) => self.route(ctx, command),
                Event::Restored(text) => self.restored(ctx, text),
            }
        }
        // The command that asked came back as if cancelled: say what happens instead.
        if self.path_dialog.is_asking() {
            self.notice = Some(Notice::Info(s::TYPE_A_PATH.to_string()));
        }
    }

    /// The window's own path dialog; once it closes, what asked for the path goes on or stops.
    fn path_dialog_ui(&mut self, ctx: &egui::Context) {
        let Some(given) = self.path_dialog.ui(ctx) else { return };
        if given == PathGiven::Cancelled {
            self.notice = Some(Notice::Info(s::CANCELLED.to_string()));
        }
        if std::mem::take(&mut self.import_waits_for_path) && given == PathGiven::Given {
            self.open_import(ctx);
        }
        self.with_tabs(ctx, |tabs, cx| {
            for tab in tabs.iter_mut() {
                tab.path_given(cx, given);
            }
        });
    }

    /// Shows how a piece of work ended and has every tab read again.
    fn finish(&mut self, outcome: crate::Result<String>) {
        self.notice = Some(match outcome {
            Ok(text) => Notice::Info(text),
            Err(err) => Notice::Error(err.to_string()),
        });
        self.forget_data();
    }

    /// Drops everything read for the tabs: after a change of data or of who is logged in.
    fn forget_data(&mut self) {
        self.people.forget();
        for tab in self.tabs.iter_mut() {
            tab.data_changed();
        }
        self.refresh_counts();
        self.refresh_key_status();
    }

    /// The import dialog, shared by 队伍 and 家风家训.
    fn open_import(&mut self, ctx: &egui::Context) {
        if self.import.is_some() {
            return;
        }
        let dialogs = WindowDialogs { native: self.dialogs.as_ref(), typed: &self.path_dialog };
        match dialogs.open_workbook() {
            Some(file) => self.import = Some(ImportDialog::check(ctx, &self.store.access(), file, self.now())),
            None => {
                self.import_waits_for_path = self.path_dialog.take_fresh();
                if self.import_waits_for_path {
                    self.notice = Some(Notice::Info(s::TYPE_A_PATH.to_string()));
                }
            }
        }
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

    /// The gate while nobody is logged in; otherwise the tab in view.
    fn central_ui(&mut self, ui: &mut egui::Ui) {
        if !self.is_open() {
            let mut gate_commands = Vec::new();
            self.session.ui(ui, self.demo.is_running(), &mut gate_commands);
            self.commands.extend(gate_commands.into_iter().map(AppCommand::Gate));
            return;
        }
        let (role, tab, mut steps) = (self.store.actor().role, self.settings.tab, Vec::new());
        if matches!(tab, Tab::Registry | Tab::Calendar | Tab::Attendance | Tab::Reports) {
            egui::Panel::top("getting_started")
                .show(ui, |ui| first_day::checklist_ui(ui, &self.counts, role, &mut steps));
        }
        // A form a step opened is drawn by its tab: the empty state steps aside for it.
        let empty = !self.tabs.get_mut(tab).has_open_form()
            && first_day::empty_state_ui(ui, tab, &self.counts, role, self.demo.is_running(), &mut steps);
        self.commands.extend(steps.into_iter().map(NextStep::command));
        if empty {
            return;
        }
        let ctx = ui.ctx().clone();
        self.with_tabs(&ctx, |tabs, cx| tabs.get_mut(tab).ui(ui, cx));
    }
}

/// A database whose key this machine has but which has no 恢复码 yet: losing this machine's
/// key would lose its IDs.
fn needs_recovery_code(key: &KeyStatus) -> bool {
    key.unlocked && key.recovery_set_at.is_none()
}

impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.poll_health();
        self.poll_restore(ctx);
        self.poll_demo_load();
        if self.is_open() {
            if ctx.input(|i| !i.events.is_empty() || i.pointer.delta() != egui::Vec2::ZERO) {
                self.session.touched();
            } else if self.session.idle_too_long() {
                self.lock();
            }
            // Wake up to lock even when nothing else happens.
            ctx.request_repaint_after(IDLE_CHECK);
        }
        self.with_tabs(ctx, |tabs, cx| {
            for tab in tabs.iter_mut() {
                tab.poll(cx);
            }
        });
        if self.text_size_applied != Some(self.settings.text_size) {
            self.settings.text_size.apply(ctx);
            self.text_size_applied = Some(self.settings.text_size);
            // Panels size themselves from the previous frame: lay out once more at the new size.
            ctx.request_repaint();
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        clock::set(ui.ctx(), self.now());
        widgets::set_write_refusal(ui.ctx(), self.write_refusal());
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.add_space(4.0);
            self.top_bar_ui(ui);
            ui.add_space(4.0);
        });
        if self.health.is_damaged() {
            let may_restore = self.may_restore();
            egui::Panel::top("damage_banner").show(ui, |ui| {
                if let Some(backup) = self.health.banner_ui(ui, may_restore) {
                    self.commands.push(AppCommand::RestoreBackup(backup));
                }
            });
        }
        self.banners_ui(ui);
        egui::Panel::bottom("status_bar").show(ui, |ui| self.status_bar_ui(ui));
        self.central_ui(ui);
        self.recovery_prompt_ui(ui.ctx());
        self.import_ui(ui.ctx());
        self.path_dialog_ui(ui.ctx());
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
