//! 数据库体检: when the window opens, the file's `integrity_check` runs in the background (the
//! window writes nothing meanwhile: an index that disagrees with its table must be found first), then
//! the day's automatic backup (which checks again before it copies). Damage found becomes a
//! banner that stays: the window stops writing and offers the newest backup that passes the
//! full check, to an administrator, after a confirmation.

use chrono::{NaiveDate, NaiveDateTime};

use super::jobs::Job;
use super::strings as s;
use super::widgets::show_dialog;
use crate::error::DbProblem;
use crate::store::backups::{self, SoundBackup};
use crate::store::{Access, Actor, Store, health};

/// What the background check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// The file is sound; `backup_failed` says why the day's backup was not made, if it was not.
    Sound { backup_failed: Option<String> },
    /// The file is damaged: what is wrong, and the newest sound backup to restore, if any.
    Damaged { summary: String, backup: Option<SoundBackup> },
}

/// The check of the file: not yet started, running, or what it found.
#[derive(Default)]
pub struct HealthWatch {
    job: Option<Job<Finding>>,
    finding: Option<Finding>,
    /// The backup the administrator is asked to confirm restoring.
    confirming: Option<SoundBackup>,
    /// The confirmed restore, on a worker: the sentence for the status bar when it is done.
    restoring: Option<Job<String>>,
}

impl HealthWatch {
    /// Checks the file (as the window opens, and after a restore), then takes the day's
    /// backup if it is sound.
    pub fn start(&mut self, ctx: &egui::Context, access: &Access, today: NaiveDate) {
        self.finding = None;
        self.confirming = None;
        // The day's backup is the program's own work, whoever is at the gate.
        let access = Access {
            actor: Actor { name: s::AUTOMATIC_BACKUP.to_string(), ..Actor::command_line() },
            ..access.clone()
        };
        self.job = Some(Job::spawn(ctx, move || Ok(examine(&access, today))));
    }

    pub fn is_running(&self) -> bool {
        self.job.is_some() || self.restoring.is_some()
    }

    /// Restores `backup` over the damaged file on a worker, through `access` (which must
    /// write: the restore logs itself and may upgrade the copy).
    pub fn restore(&mut self, ctx: &egui::Context, access: &Access, backup: SoundBackup, now: NaiveDateTime) {
        let access = access.clone();
        self.restoring = Some(Job::spawn(ctx, move || restore(&mut access.open()?, &backup, now)));
    }

    /// How the restore ended, the one frame it does. The worker replaced the content, and
    /// perhaps the key's record, under `store`: it looks for the key again.
    pub fn poll_restore(&mut self, store: &Store) -> Option<crate::Result<String>> {
        let outcome = self.restoring.as_ref().and_then(Job::poll_shown)?;
        self.restoring = None;
        Some(outcome.and_then(|text| store.reload_key().map(|()| text)))
    }

    /// What the check found, the one frame it arrives.
    pub fn poll(&mut self) -> Option<Finding> {
        let outcome = self.job.as_ref().and_then(Job::poll)?;
        self.job = None;
        let finding = outcome.unwrap_or_else(|err| Finding::Sound { backup_failed: Some(err.to_string()) });
        self.finding = Some(finding.clone());
        Some(finding)
    }

    pub fn is_damaged(&self) -> bool {
        matches!(self.finding, Some(Finding::Damaged { .. }))
    }

    /// The banner for a damaged file with its restore offer; nothing for a sound one. Returns
    /// the backup to restore once the administrator has confirmed.
    pub fn banner_ui(&mut self, ui: &mut egui::Ui, may_restore: bool) -> Option<SoundBackup> {
        let Some(Finding::Damaged { summary, backup }) = &self.finding else { return None };
        let error = ui.visuals().error_fg_color;
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(error, egui::RichText::new(format!("{}{summary}", s::DAMAGED_BANNER)).strong());
            ui.label(s::DAMAGED_STOPPED);
            match backup {
                Some(backup) => {
                    let label = format!("{}（{} 的备份）", s::RESTORE_NEWEST, backup.taken.format("%Y-%m-%d"));
                    let button = ui.add_enabled(may_restore, egui::Button::new(label));
                    if button.on_disabled_hover_text(s::RESTORE_NEEDS_ADMIN).clicked() {
                        self.confirming = Some(backup.clone());
                    }
                }
                None => {
                    ui.label(s::NO_SOUND_BACKUP);
                }
            }
        });
        if let Some(job) = &self.restoring {
            job.modal_ui(ui.ctx(), s::RESTORE_BACKUP, s::RESTORING);
        }
        self.confirm_ui(ui.ctx())
    }

    fn confirm_ui(&mut self, ctx: &egui::Context) -> Option<SoundBackup> {
        let backup = self.confirming.clone()?;
        let mut confirmed = None;
        let mut cancelled = false;
        let (_, escaped) = show_dialog(ctx, s::RESTORE_BACKUP, |ui| {
            ui.label(format!(
                "将用 {} 的备份“{}”替换当前数据，此后的改动会丢失。当前（已损坏的）数据会先另存到备份文件夹，可交技术人员查看。",
                backup.taken.format("%Y-%m-%d"),
                backup.path.display()
            ));
            ui.horizontal(|ui| {
                if ui.button(s::CONFIRM_RESTORE).clicked() {
                    confirmed = Some(backup.clone());
                }
                if ui.button(s::CANCEL).clicked() {
                    cancelled = true;
                }
            });
        });
        if confirmed.is_some() || cancelled || escaped {
            self.confirming = None;
        }
        confirmed
    }
}

/// The check, then the day's backup of a sound file; runs on a worker thread.
fn examine(access: &Access, today: NaiveDate) -> Finding {
    let folder = backups::folder_for(&access.path);
    let damaged = |summary: String| {
        let identity = backups::identity_of_database(&access.path);
        Finding::Damaged { summary, backup: backups::newest_sound_backup(&folder, identity.as_deref()) }
    };
    match health::integrity_check(&access.path) {
        Ok(found) if !found.is_sound() => damaged(found.summary()),
        Err(err) if matches!(err.problem(), Some(DbProblem::Damaged(_))) => damaged(err.to_string()),
        Err(err) => Finding::Sound { backup_failed: Some(err.to_string()) },
        Ok(_) => {
            let made = access.open().and_then(|store| backups::daily_backup(&store, &folder, today));
            Finding::Sound { backup_failed: made.err().map(|e| e.to_string()) }
        }
    }
}

/// Restores `backup` over the damaged file; returns the sentence for the status bar. Runs on
/// a worker.
fn restore(store: &mut Store, backup: &SoundBackup, now: NaiveDateTime) -> crate::Result<String> {
    let folder = backups::folder_for(store.path());
    let kept = backups::restore(store, &backup.path, &folder, now)?;
    Ok(format!("已从 {} 的备份恢复；恢复前（已损坏的）数据另存为“{}”", backup.taken.format("%Y-%m-%d"), kept.display()))
}
