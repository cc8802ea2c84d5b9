//! Where every [`AppCommand`] goes: the bars', the gate's, the first-day steps' and the tabs'.
//! A command for a tab moves there (unless it only asks the tab for work) and is handed over;
//! the rest is the app's own.

use super::{App, Notice};
use crate::ui::command::AppCommand;
use crate::ui::session::{GateCommand, Passed};
use crate::ui::strings as s;

impl App {
    /// Carries out what was queued this frame, then the tabs' own commands.
    pub(super) fn run_commands(&mut self, ctx: &egui::Context) {
        for command in std::mem::take(&mut self.commands) {
            self.route(ctx, command);
        }
        self.with_tabs(ctx, |tabs, cx| {
            for tab in tabs.iter_mut() {
                tab.run_commands(cx);
            }
        });
    }

    /// The one place a command is routed.
    pub(super) fn route(&mut self, ctx: &egui::Context, command: AppCommand) {
        if command.tab().is_some() {
            self.ask_tab(&command);
            return;
        }
        let now = self.now();
        match command {
            AppCommand::Import => self.open_import(ctx),
            AppCommand::LoadDemo | AppCommand::Gate(GateCommand::LoadDemo) => self.load_demo(ctx),
            AppCommand::SetTextSize(size) => self.settings.text_size = size,
            AppCommand::Gate(command) => match self.session.run(&mut self.store, command, now) {
                Passed::SignedIn => self.signed_in_at_the_gate(),
                Passed::PasswordChanged => self.notice = Some(Notice::Info("密码已修改".to_string())),
                Passed::Refused => {}
            },
            AppCommand::SwitchUser => self.hand_over(s::SWITCH_USER_NOTE),
            AppCommand::Lock => self.lock(),
            AppCommand::RetryWriteAccess => {
                self.claim_the_file();
                if self.store.is_read_only() {
                    self.notice = Some(Notice::Error(s::STILL_READ_ONLY.to_string()));
                }
            }
            AppCommand::RestoreBackup(backup) => self.restore(ctx, &backup),
            // Routed to a tab above.
            AppCommand::ShowTab(_)
            | AppCommand::ShowMonth { .. }
            | AppCommand::NewActivity
            | AppCommand::NewUnit
            | AppCommand::NewCorps
            | AppCommand::NewVolunteer
            | AppCommand::WriteTemplate
            | AppCommand::MakeRecoveryCode
            | AppCommand::EnterRecoveryCode => {}
        }
    }

    /// Moves to the tab a command is for, if it moves, and hands the command over; what the
    /// tab queues runs with this frame's commands.
    pub(super) fn ask_tab(&mut self, command: &AppCommand) {
        let Some((tab, moves)) = command.tab() else { return };
        if moves {
            self.settings.tab = tab;
        }
        let now = self.now();
        self.tabs.get_mut(tab).asked(command, now);
    }

    /// The demo's data, loaded on a worker. The store refuses a file with data too
    /// (demo::load_demo); the window says why before trying.
    fn load_demo(&mut self, ctx: &egui::Context) {
        if !self.counts.is_empty() {
            self.notice = Some(Notice::Error(s::DEMO_NEEDS_EMPTY.to_string()));
            return;
        }
        let mut access = self.store.access();
        // At the gate of a file with no account yet, whoever sets it up acts as its
        // administrator, as the command line does.
        if !self.is_open() {
            access.actor = crate::store::Actor::command_line();
        }
        self.demo.start(ctx, access, self.now());
    }

    pub(super) fn poll_demo_load(&mut self) {
        let Some(outcome) = self.demo.poll() else { return };
        let loaded = outcome.is_ok();
        self.finish(outcome.map(|()| s::DEMO_LOADED.to_string()));
        if loaded && !self.is_open() {
            self.close_the_gate(Some(s::DEMO_LOADED));
        }
    }
}
