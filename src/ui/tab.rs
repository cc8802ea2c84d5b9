//! The one shape of a tab. Each tab is a module (`ui/<tab>/`) that owns
//! - its state (what the screen holds: filters, forms, the month in view) and its `Command`s,
//! - its data, read through [`Read`] — the one staleness rule: what was read is read again when
//!   the tab wants it for another key (month, screen, filter) or after any change (`data_changed`),
//! - its `ui`, which reads what is stale, draws, and queues commands,
//! - the running of its commands through the store's API (`run.rs`), once per frame after drawing.
//!
//! The app only routes: it builds a [`TabContext`] each frame and hands it to the tab in view;
//! it holds the six tabs (`app/tabs.rs`), so this shape names none of them.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::command::AppCommand;
use super::dialogs::{FileDialogs, PathDialog, PathGiven};
use super::people::RegistryData;
use super::strings as s;
use crate::domain::access::{Action, Role, allows};
use crate::error::{Error, Result};
use crate::store::Store;

/// What a tab tells the app, which follows it up after the tab is done.
#[derive(Debug)]
pub enum Event {
    /// A command ended: the status bar shows how, and every tab reads again.
    Finished(Result<String>),
    /// Reading failed: the status bar shows why; nothing changed.
    ReadFailed(String),
    /// Something only the app does: the import dialog, another tab.
    Ask(AppCommand),
    /// A backup replaced the data (the sentence for the status bar): the accounts are those of
    /// the file restored, so whoever was logged in logs in again.
    Restored(String),
}

/// What a tab is handed each frame: the store acting for whoever is logged in, the one clock,
/// the file dialogs, and the registry that 队伍, 日历 and 签到 all show.
pub struct TabContext<'a> {
    pub store: &'a mut Store,
    /// The time the window acts at: the wall clock, or the one a test fixed.
    pub now: NaiveDateTime,
    pub dialogs: &'a dyn FileDialogs,
    /// The window's own path dialog, asked where no native dialog can open.
    pub path_dialog: &'a PathDialog,
    pub egui: &'a egui::Context,
    /// Units, teams and volunteers, read once for the tabs that list them.
    pub people: &'a mut Read<(), RegistryData>,
    pub events: Vec<Event>,
}

impl TabContext<'_> {
    pub fn today(&self) -> NaiveDate {
        self.now.date()
    }

    /// Shows how a command ended; the app then has every tab read again.
    pub fn finish(&mut self, outcome: Result<String>) {
        self.events.push(Event::Finished(outcome));
    }

    /// Asks the app for what no tab does alone (`AppCommand`).
    pub fn ask(&mut self, command: AppCommand) {
        self.events.push(Event::Ask(command));
    }

    /// Shows why a read failed, without forgetting anything.
    pub fn read_failed(&mut self, err: &Error) {
        self.events.push(Event::ReadFailed(err.to_string()));
    }

    /// Reads the registry unless it is current; `None` (and the reason shown) when it fails.
    pub fn people(&mut self) -> Option<&RegistryData> {
        if !self.people.is_current(&()) {
            match super::people::read_people(self.store) {
                Ok(people) => self.people.set((), people),
                Err(err) => {
                    self.people.failed(());
                    self.read_failed(&err);
                }
            }
        }
        self.people.get()
    }
}

/// A tab's own part: what it reads and draws, and how it carries out its commands.
pub trait TabScreen: Default {
    /// Cloned to run again a command that had to wait for a typed path.
    type Command: Clone;

    /// Reads what is stale, draws the tab, and queues its commands.
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut TabContext<'_>, commands: &mut Vec<Self::Command>);

    /// Carries out one command (`run.rs`); its outcome goes to `cx`.
    fn run(&mut self, cx: &mut TabContext<'_>, command: Self::Command);

    /// The data changed, or someone else logged in: drop what was read.
    fn data_changed(&mut self);

    /// The app routed a command here (`AppCommand::tab`): open what it names, or queue it.
    fn asked(&mut self, _command: &AppCommand, _now: NaiveDateTime, _commands: &mut Vec<Self::Command>) {}

    /// The window locked or changed hands: forget what was only for the one at the desk.
    fn gate_closed(&mut self) {}

    /// Takes the end of background work (an export), if any.
    fn poll(&mut self, _cx: &mut TabContext<'_>) {}

    /// True while the tab has work running in the background.
    fn is_busy(&self) -> bool {
        false
    }

    /// True while one of its forms is open: an empty state then steps aside for it.
    fn has_open_form(&self) -> bool {
        false
    }
}

/// A tab as the app sees it, whatever its commands (after egui_demo_lib's `Demo`/`View`).
pub trait TabView {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut TabContext<'_>);
    /// Carries out what `ui` queued, once per frame after drawing.
    fn run_commands(&mut self, cx: &mut TabContext<'_>);
    /// The path dialog closed: the command that asked runs again with the path, or is dropped.
    fn path_given(&mut self, cx: &mut TabContext<'_>, given: PathGiven);
    /// A command the app routed here; what it queues runs with this frame's commands.
    fn asked(&mut self, command: &AppCommand, now: NaiveDateTime);
    fn data_changed(&mut self);
    fn gate_closed(&mut self);
    fn poll(&mut self, cx: &mut TabContext<'_>);
    fn is_busy(&self) -> bool;
    fn has_open_form(&self) -> bool;
}

/// A screen, the commands its `ui` queued this frame, and the one waiting for a typed path.
pub struct Queued<S: TabScreen> {
    screen: S,
    commands: Vec<S::Command>,
    waiting_for_path: Option<S::Command>,
}

impl<S: TabScreen> Default for Queued<S> {
    fn default() -> Self {
        Queued { screen: S::default(), commands: Vec::new(), waiting_for_path: None }
    }
}

impl<S: TabScreen> Queued<S> {
    /// What the screen shows, to read (tests read what a user reads); asking goes by `asked`.
    pub fn screen(&self) -> &S {
        &self.screen
    }
}

impl<S: TabScreen> TabView for Queued<S> {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut TabContext<'_>) {
        self.screen.ui(ui, cx, &mut self.commands);
    }

    fn run_commands(&mut self, cx: &mut TabContext<'_>) {
        for command in std::mem::take(&mut self.commands) {
            let again = command.clone();
            self.screen.run(cx, command);
            if cx.path_dialog.take_fresh() {
                self.waiting_for_path = Some(again);
            }
        }
    }

    fn path_given(&mut self, cx: &mut TabContext<'_>, given: PathGiven) {
        if let Some(command) = self.waiting_for_path.take()
            && given == PathGiven::Given
        {
            self.commands.push(command);
            self.run_commands(cx);
        }
    }

    fn asked(&mut self, command: &AppCommand, now: NaiveDateTime) {
        self.screen.asked(command, now, &mut self.commands);
    }

    fn data_changed(&mut self) {
        self.screen.data_changed();
    }

    fn gate_closed(&mut self) {
        self.screen.gate_closed();
    }

    fn poll(&mut self, cx: &mut TabContext<'_>) {
        self.screen.poll(cx);
    }

    fn is_busy(&self) -> bool {
        self.screen.is_busy()
    }

    fn has_open_form(&self) -> bool {
        self.screen.has_open_form()
    }
}

/// What a tab read, and for which key. The one staleness rule: read again when the key
/// wanted differs from the key read, or after `forget`. A read that failed is kept as failed
/// for its key, so it is not tried again every frame (a busy file waits 10 s a try).
pub struct Read<K, T> {
    read: Option<(K, Option<T>)>,
}

impl<K, T> Default for Read<K, T> {
    fn default() -> Self {
        Read { read: None }
    }
}

impl<K: PartialEq, T> Read<K, T> {
    pub fn is_current(&self, key: &K) -> bool {
        self.read.as_ref().is_some_and(|(read_for, _)| read_for == key)
    }

    pub fn set(&mut self, key: K, data: T) {
        self.read = Some((key, Some(data)));
    }

    /// Marks the read for `key` as failed: nothing to show until the next change.
    pub fn failed(&mut self, key: K) {
        self.read = Some((key, None));
    }

    /// Reads for `key` unless already current; a failed read leaves nothing and is reported.
    pub fn refresh(&mut self, key: K, events: &mut Vec<Event>, read: impl FnOnce(&K) -> Result<T>) {
        if self.is_current(&key) {
            return;
        }
        match read(&key) {
            Ok(data) => self.set(key, data),
            Err(err) => {
                self.failed(key);
                events.push(Event::ReadFailed(err.to_string()));
            }
        }
    }

    pub fn get(&self) -> Option<&T> {
        self.read.as_ref().and_then(|(_, data)| data.as_ref())
    }

    pub fn get_mut(&mut self) -> Option<&mut T> {
        self.read.as_mut().and_then(|(_, data)| data.as_mut())
    }

    pub fn forget(&mut self) {
        self.read = None;
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_read_is_tried_again_only_for_another_key_or_after_a_change() {
        let mut read: Read<u32, &str> = Read::default();
        let mut events = Vec::new();
        let mut tries = 0;
        for _ in 0..3 {
            read.refresh(7, &mut events, |_| {
                tries += 1;
                Err(Error::rejected("数据库正忙"))
            });
        }
        assert_eq!((tries, events.len(), read.get()), (1, 1, None), "one try, one message, not one a frame");
        read.forget();
        read.refresh(7, &mut events, |_| Ok("七月"));
        assert_eq!(read.get(), Some(&"七月"));
        read.refresh(8, &mut events, |_| Ok("八月"));
        assert_eq!(read.get(), Some(&"八月"));
    }
}
