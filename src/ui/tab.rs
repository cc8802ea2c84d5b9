//! The one shape of a tab. Each tab is a module (`ui/<tab>/`) that owns
//! - its state (what the screen holds: filters, forms, the month in view) and its `Command`s,
//! - its data, read through [`Read`] — the one staleness rule: what was read is read again when
//!   the tab wants it for another key (month, screen, filter) or after any change (`data_changed`),
//! - its `ui`, which starts the read of what is stale (on a worker: the frame never waits for
//!   it), draws what it has, and queues commands,
//! - the running of its commands through the store's API (`run.rs`), once per frame after drawing.
//!
//! The app only routes: it builds a [`TabContext`] each frame and hands it to the tab in view;
//! it holds the six tabs (`app/tabs.rs`), so this shape names none of them.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::command::AppCommand;
use super::dialogs::{FileDialogs, PathDialog, PathGiven};
use super::jobs::Job;
use super::people::RegistryData;
use super::strings as s;
use crate::domain::access::{Action, Role, allows};
use crate::error::{Error, Result};
use crate::store::{Actor, Store};

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

    /// What a [`Read`] needs of this frame to start or take up a read.
    pub fn reader(&mut self) -> Reader<'_> {
        Reader { store: self.store, egui: self.egui, events: &mut self.events }
    }

    /// The registry, read on a worker unless it is current; `None` until the first read
    /// arrives, or when it failed (the reason shown).
    pub fn people(&mut self) -> Option<&RegistryData> {
        let reader = Reader { store: self.store, egui: self.egui, events: &mut self.events };
        self.people.refresh((), reader, |store, ()| super::people::read_people(store));
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

    /// True from the frame one of its reads starts until the frame that takes its result.
    fn is_reading(&self) -> bool {
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
    fn is_reading(&self) -> bool;
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

    fn is_reading(&self) -> bool {
        self.screen.is_reading()
    }

    fn has_open_form(&self) -> bool {
        self.screen.has_open_form()
    }
}

/// What a tab read, and for which key. The one staleness rule: read again when the key
/// wanted differs from the key read, or after `forget`. The read runs on a worker with a
/// connection of its own (`Store::access`), one at a time, while the frame draws what was read
/// before (正在读取… where nothing was); a result for a key no longer wanted is dropped. A
/// read that failed is kept as failed for its key, so it is not tried again every frame (a
/// busy file waits 10 s a try).
pub struct Read<K, T> {
    read: Option<(K, Option<T>)>,
    /// What was read predates a change: shown until the new read arrives.
    stale: bool,
    /// Whom it was read for: nothing read for one account is shown to the next.
    read_as: Option<Actor>,
    reading: Option<Reading<K, T>>,
    /// The worker's connection, kept between reads: opening one checks the schema and loads
    /// the key. A change of data or of who is logged in (`forget`) drops it.
    connection: Option<Store>,
    /// The window it reads for, woken by `forget` so the next frame starts the new read.
    window: Option<egui::Context>,
    /// How many reads have arrived: what is derived from the data is made again when it grows.
    arrivals: u64,
}

/// A read under way: its key, and the worker handing back its connection with the data.
struct Reading<K, T> {
    key: K,
    actor: Actor,
    job: Job<(Option<Store>, Result<T>)>,
}

/// What a read needs of the frame: the store to act as, the window to wake, where a failure goes.
pub struct Reader<'a> {
    pub store: &'a Store,
    pub egui: &'a egui::Context,
    pub events: &'a mut Vec<Event>,
}

impl<K, T> Default for Read<K, T> {
    fn default() -> Self {
        Read { read: None, stale: false, read_as: None, reading: None, connection: None, window: None, arrivals: 0 }
    }
}

impl<K: Clone + PartialEq + Send + 'static, T: Send + 'static> Read<K, T> {
    pub fn is_current(&self, key: &K) -> bool {
        !self.stale && self.read.as_ref().is_some_and(|(read_for, _)| read_for == key)
    }

    /// Takes a finished read, then starts reading for `key` on a worker unless it is current
    /// or a read is under way (one at a time); a failed read leaves nothing and is reported.
    pub fn refresh(&mut self, key: K, reader: Reader<'_>, read: impl FnOnce(&Store, &K) -> Result<T> + Send + 'static) {
        if self.read_as.as_ref() != Some(reader.store.actor()) {
            self.read = None;
        }
        self.take_finished(&key, reader.store.actor(), reader.events);
        self.window.get_or_insert_with(|| reader.egui.clone());
        if self.is_current(&key) || self.reading.is_some() {
            return;
        }
        let kept = self
            .connection
            .take()
            .filter(|kept| kept.actor() == reader.store.actor() && kept.is_read_only() == reader.store.is_read_only());
        let access = reader.store.access();
        let wanted = key.clone();
        let job = Job::spawn(reader.egui, move || {
            let connection = match kept {
                Some(kept) => kept,
                None => match access.open() {
                    Ok(opened) => opened,
                    Err(err) => return Ok((None, Err(err))),
                },
            };
            let data = read(&connection, &wanted);
            Ok((Some(connection), data))
        });
        self.reading = Some(Reading { key, actor: reader.store.actor().clone(), job });
    }

    /// Takes the read under way if it has ended: kept if its key is still `wanted`, else dropped.
    fn take_finished(&mut self, wanted: &K, actor: &Actor, events: &mut Vec<Event>) {
        let Some(outcome) = self.reading.as_ref().and_then(|reading| reading.job.poll()) else { return };
        let Some(Reading { key, actor: read_as, .. }) = self.reading.take() else { return };
        let data = match outcome {
            Ok((connection, data)) => {
                self.connection = connection;
                data
            }
            Err(err) => Err(err),
        };
        if key != *wanted || read_as != *actor {
            return;
        }
        self.stale = false;
        self.read_as = Some(read_as);
        self.arrivals += 1;
        match data {
            Ok(data) => self.read = Some((key, Some(data))),
            Err(err) => {
                self.read = Some((key, None));
                events.push(Event::ReadFailed(err.to_string()));
            }
        }
    }
}

impl<K, T> Read<K, T> {
    /// True while a read runs on its worker, whether or not a frame has taken it yet.
    pub fn is_reading(&self) -> bool {
        self.reading.as_ref().is_some_and(|reading| reading.job.is_running())
    }

    /// How many reads have arrived so far.
    pub fn arrivals(&self) -> u64 {
        self.arrivals
    }

    /// True from the frame a read starts until the frame its result is taken.
    pub fn is_pending(&self) -> bool {
        self.reading.is_some()
    }

    pub fn get(&self) -> Option<&T> {
        self.read.as_ref().and_then(|(_, data)| data.as_ref())
    }

    pub fn get_mut(&mut self) -> Option<&mut T> {
        self.read.as_mut().and_then(|(_, data)| data.as_mut())
    }

    /// The data changed, or someone else logged in: what was read is read again (and shown
    /// until then), a read under way is dropped (it may predate the change), and so is the
    /// worker's connection (the key may have changed with a restore or 更换数据密钥).
    pub fn forget(&mut self) {
        self.stale = true;
        self.reading = None;
        self.connection = None;
        if let Some(window) = &self.window {
            window.request_repaint();
        }
    }
}

/// Says 正在读取… in a weak label where a tab has nothing to show yet and `reading`; a read
/// that failed leaves the tab empty (the status bar says why).
pub fn reading_ui(ui: &mut egui::Ui, reading: bool) {
    egui::CentralPanel::default().show(ui, |ui| {
        if reading {
            ui.weak(s::READING);
        }
    });
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
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;
    use crate::keystore::Keystore;

    /// Frames of the window: refresh for `key` each frame until no read runs (at most 500).
    fn frames(
        read: &mut Read<u32, &'static str>,
        store: &Store,
        key: u32,
        events: &mut Vec<Event>,
        tries: &Arc<AtomicU32>,
    ) {
        let egui = egui::Context::default();
        for _ in 0..500 {
            let tries = Arc::clone(tries);
            read.refresh(key, Reader { store, egui: &egui, events }, move |_, &key| {
                tries.fetch_add(1, Ordering::SeqCst);
                match key {
                    7 => Err(Error::rejected("数据库正忙")),
                    _ => Ok(if key == 8 { "八月" } else { "七月" }),
                }
            });
            if !read.is_reading() && read.reading.is_none() && read.is_current(&key) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    #[test]
    fn a_failed_read_is_tried_again_only_for_another_key_or_after_a_change() {
        let dir = tempfile::tempdir().expect("dir");
        let keystore = Keystore::Folder(dir.path().join("keys"));
        let store = crate::store::open_with_keystore(&dir.path().join("desk.sqlite3"), &keystore).expect("open");
        let (mut read, mut events, tries) = (Read::default(), Vec::new(), Arc::new(AtomicU32::new(0)));
        for _ in 0..3 {
            frames(&mut read, &store, 7, &mut events, &tries);
        }
        assert_eq!((tries.load(Ordering::SeqCst), events.len(), read.get()), (1, 1, None), "one try, one message");
        read.forget();
        frames(&mut read, &store, 6, &mut events, &tries);
        assert_eq!(read.get(), Some(&"七月"));
        frames(&mut read, &store, 8, &mut events, &tries);
        assert_eq!(read.get(), Some(&"八月"));
    }

    #[test]
    fn a_result_for_a_key_no_longer_wanted_is_dropped() {
        let dir = tempfile::tempdir().expect("dir");
        let keystore = Keystore::Folder(dir.path().join("keys"));
        let store = crate::store::open_with_keystore(&dir.path().join("desk.sqlite3"), &keystore).expect("open");
        let (egui, mut events) = (egui::Context::default(), Vec::new());
        let mut read: Read<u32, &'static str> = Read::default();
        let (release, held) = std::sync::mpsc::channel::<()>();
        read.refresh(7, Reader { store: &store, egui: &egui, events: &mut events }, move |_, _| {
            held.recv().ok();
            Ok("七月")
        });
        // August is wanted while July is still being read: one read at a time, July's first.
        read.refresh(8, Reader { store: &store, egui: &egui, events: &mut events }, |_, _| Ok("八月"));
        release.send(()).expect("release");
        let mut seen = Vec::new();
        for _ in 0..500 {
            read.refresh(8, Reader { store: &store, egui: &egui, events: &mut events }, |_, _| Ok("八月"));
            seen.push(read.get().copied());
            if read.is_current(&8) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(!seen.contains(&Some("七月")), "July's read arrived after August was wanted: never shown");
        assert_eq!((read.get(), events.len()), (Some(&"八月"), 0));
    }
}
