//! The file as a whole: held for writing by one window, checked at start, restored from a
//! backup when damaged; and why this window may not write, if it may not.

use super::{App, Notice};
use crate::domain::access::{Action, allows};
use crate::ui::health::Finding;
use crate::ui::strings as s;

impl App {
    /// Takes the file for writing unless another window holds it or it is damaged; then this
    /// one only reads.
    pub(super) fn claim_the_file(&mut self) {
        if self.instance_lock.is_none() {
            self.instance_lock = crate::paths::lock_instance(self.store.path());
        }
        let read_only = self.instance_lock.is_none() || self.health.is_damaged();
        if let Err(err) = self.store.set_read_only(read_only) {
            self.notice = Some(Notice::Error(err.to_string()));
        }
    }

    /// Checks the file in the background and then takes the day's backup (the window does
    /// this as it opens; tests that want it call it).
    pub fn check_the_file(&mut self, ctx: &egui::Context) {
        self.health.start(ctx, &self.store.access(), self.now().date());
    }

    /// Follows the file's check: damage stops writing; a failed daily backup is said.
    pub(super) fn poll_health(&mut self) {
        match self.health.poll() {
            Some(Finding::Damaged { .. }) => {
                if let Err(err) = self.store.set_read_only(true) {
                    self.notice = Some(Notice::Error(err.to_string()));
                }
            }
            Some(Finding::Sound { backup_failed: Some(why) }) => {
                self.notice = Some(Notice::Error(format!("{}{why}", s::DAILY_BACKUP_FAILED)));
            }
            Some(Finding::Sound { backup_failed: None }) | None => {}
        }
    }

    /// Puts the newest sound backup in place of the damaged file, then checks it again. Only
    /// the window that holds the file may: another one may be writing it.
    pub(super) fn restore(&mut self, ctx: &egui::Context, backup: &crate::store::backups::SoundBackup) {
        if self.instance_lock.is_none() {
            self.notice = Some(Notice::Error(s::RESTORE_NEEDS_ADMIN.to_string()));
            return;
        }
        let now = self.now();
        // The restore writes the log and may upgrade the copy: this window writes again for it.
        match self.store.set_read_only(false) {
            Ok(()) => self.health.restore(ctx, &self.store.access(), backup.clone(), now),
            Err(err) => self.restore_failed(err),
        }
    }

    /// Takes up the end of a restore of the damaged file, the frame it ends.
    pub(super) fn poll_restore(&mut self, ctx: &egui::Context) {
        match self.health.poll_restore(&self.store) {
            Some(Ok(text)) => self.restored(ctx, text),
            Some(Err(err)) => self.restore_failed(err),
            None => {}
        }
    }

    fn restore_failed(&mut self, err: crate::Error) {
        // The damaged file stays read-only.
        self.claim_the_file();
        self.finish(Err(err));
    }

    /// After any restore: the file is checked again (the damage found in the one replaced is
    /// gone with it, so this window writes again), and the gate closes, since the one logged
    /// in may not exist in the data restored (and the log must not name them for it).
    pub(super) fn restored(&mut self, ctx: &egui::Context, text: String) {
        self.health.start(ctx, &self.store.access(), self.now().date());
        self.claim_the_file();
        self.close_the_gate(Some(s::RESTORED_NOTE));
        self.notice = Some(Notice::Info(text));
    }

    /// Why this window may not write, if it may not: the damage found (or the check still
    /// looking for it), a file that may not be written, or another window holding it. Every
    /// button that writes is disabled with it.
    pub(super) fn write_refusal(&self) -> Option<&'static str> {
        if self.health.is_damaged() {
            Some(s::DAMAGED_READ_ONLY)
        } else if self.health.is_running() {
            Some(s::CHECKING_FILE)
        } else if self.store.is_read_only_file() {
            Some(s::READ_ONLY_FILE_BANNER)
        } else if self.store.is_read_only() {
            Some(s::READ_ONLY_BANNER)
        } else {
            None
        }
    }

    pub(super) fn may_restore(&self) -> bool {
        self.is_open() && allows(self.store.actor().role, Action::Administer) && self.instance_lock.is_some()
    }
}
