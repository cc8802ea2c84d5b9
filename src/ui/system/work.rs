//! The 系统 tab's long work on a worker (jobs.rs), each on its own connection acting for the
//! administrator: restoring a backup (as long as the copy takes), making or entering a 恢复码
//! (argon2, about half a second) and 更换数据密钥 (every sealed value again). Meanwhile a
//! window that cannot be closed says what runs, and, being modal, keeps every button that
//! writes out of reach; the outcome is taken up once that window was on screen.

use std::path::PathBuf;

use chrono::NaiveDateTime;

use super::{ShownCode, System};
use crate::store::backups::{self, OtherDatabase};
use crate::store::{Access, resealing};
use crate::ui::jobs::Job;
use crate::ui::strings as s;
use crate::ui::tab::{Event, TabContext};

/// Work under way, and what its outcome becomes.
pub(super) enum Work {
    /// The safety copy taken before the backup replaced the data.
    Restore(Job<PathBuf>),
    /// The new 恢复码.
    MakeCode(Job<String>),
    /// The key kept on this machine through the code typed.
    Unlock(Job<()>),
    /// The new 恢复码 of the new key.
    ChangeKey(Job<String>),
}

impl Work {
    pub(super) fn restore(cx: &TabContext<'_>, path: PathBuf, other_database: bool, now: NaiveDateTime) -> Self {
        let folder = backups::folder_for(cx.store.path());
        let other = if other_database { OtherDatabase::Confirmed } else { OtherDatabase::Refuse };
        Work::Restore(on_worker(cx, move |access| {
            backups::restore_from(&mut access.open()?, &path, &folder, now, other)
        }))
    }

    pub(super) fn make_code(cx: &TabContext<'_>) -> Self {
        Work::MakeCode(on_worker(cx, |access| access.open()?.make_recovery_code()))
    }

    pub(super) fn unlock(cx: &TabContext<'_>, code: String) -> Self {
        Work::Unlock(on_worker(cx, move |access| access.open()?.unlock_with_recovery_code(&code)))
    }

    pub(super) fn change_key(cx: &TabContext<'_>, now: NaiveDateTime) -> Self {
        Work::ChangeKey(on_worker(cx, move |access| access.open()?.change_data_key(None, now)))
    }

    /// What the window says while the work runs.
    fn saying(&self) -> (&'static str, &'static str) {
        match self {
            Work::Restore(_) => (s::RESTORE_BACKUP, s::RESTORING),
            Work::MakeCode(_) => (s::MAKE_RECOVERY_CODE, s::MAKING_RECOVERY_CODE),
            Work::Unlock(_) => (s::ENTER_RECOVERY_CODE, s::CHECKING_RECOVERY_CODE),
            Work::ChangeKey(_) => (s::CHANGE_DATA_KEY, s::CHANGING_DATA_KEY),
        }
    }

    /// The modal window over everything while the work runs.
    pub(super) fn ui(&self, ctx: &egui::Context) {
        let (title, saying) = self.saying();
        match self {
            Work::Restore(job) => job.modal_ui(ctx, title, saying),
            Work::MakeCode(job) | Work::ChangeKey(job) => job.modal_ui(ctx, title, saying),
            Work::Unlock(job) => job.modal_ui(ctx, title, saying),
        }
    }
}

/// Runs `work` on a worker with the window's access (its account, its keystore).
fn on_worker<T: Send + 'static>(
    cx: &TabContext<'_>,
    work: impl FnOnce(&Access) -> crate::Result<T> + Send + 'static,
) -> Job<T> {
    let access = cx.store.access();
    Job::spawn(cx.egui, move || work(&access))
}

/// How the work ended, the frame it did.
enum Done {
    Restored(crate::Result<PathBuf>),
    Made(crate::Result<String>),
    Unlocked(crate::Result<()>),
    Changed(crate::Result<String>),
}

impl Work {
    fn poll(&self) -> Option<Done> {
        match self {
            Work::Restore(job) => job.poll_shown().map(Done::Restored),
            Work::MakeCode(job) => job.poll_shown().map(Done::Made),
            Work::Unlock(job) => job.poll_shown().map(Done::Unlocked),
            Work::ChangeKey(job) => job.poll_shown().map(Done::Changed),
        }
    }
}

impl System {
    /// Takes up the work's outcome the frame it arrives.
    pub(super) fn take_up_work(&mut self, cx: &mut TabContext<'_>) {
        let Some(done) = self.work.as_ref().and_then(Work::poll) else { return };
        self.work = None;
        let screen = &mut self.screen;
        let outcome = match done {
            Done::Restored(Ok(safety)) => {
                // The worker replaced the content, and perhaps the key's record, under this
                // window's connection.
                let text = format!("已恢复。恢复前的数据另存为 {}", safety.display());
                let text = match cx.store.reload_key() {
                    Ok(()) => text,
                    Err(err) => format!("{text}；{err}"),
                };
                cx.events.push(Event::Restored(text));
                return;
            }
            Done::Restored(Err(err)) => Err(err),
            Done::Made(made) => made.map(|code| {
                screen.recovery = Some(ShownCode { code, saved: None });
                s::RECOVERY_CODE_MADE.to_string()
            }),
            Done::Unlocked(Ok(())) => cx.store.reload_key().map(|()| {
                screen.unlock = None;
                s::RECOVERY_CODE_UNLOCKED.to_string()
            }),
            Done::Unlocked(Err(err)) => {
                // Refused in the form that asked, which stays open; nothing changed.
                if let Some(form) = &mut screen.unlock {
                    form.error = Some(err.to_string());
                }
                return;
            }
            Done::Changed(changed) => changed.and_then(|code| {
                // The new key is in the keystore now, the old one gone from it.
                cx.store.reload_key()?;
                screen.recovery = Some(ShownCode { code, saved: None });
                Ok(resealing::KEY_CHANGED.to_string())
            }),
        };
        cx.finish(outcome);
    }
}
