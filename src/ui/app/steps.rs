//! The next steps the empty state and the 开始使用 checklist offer, and the demo's load.

use super::{App, Notice};
use crate::ui::first_day::NextStep;
use crate::ui::registry::RegistryCommand;
use crate::ui::strings as s;
use crate::ui::tab::{Tab, TabScreen as _};

impl App {
    /// Opens the form, the tab or the import a step of the empty state or the checklist names.
    pub(super) fn take_step(&mut self, ctx: &egui::Context, step: NextStep) {
        let today = self.now().date();
        match step {
            NextStep::Import => self.open_import(ctx),
            NextStep::Template => {
                self.with_tabs(ctx, |tabs, cx| tabs.registry.screen.run(cx, RegistryCommand::WriteTemplate))
            }
            NextStep::NewUnit | NextStep::NewCorps | NextStep::Teams | NextStep::NewVolunteer => {
                self.settings.tab = Tab::Registry;
                let registry = &mut self.tabs.registry.screen;
                match step {
                    NextStep::NewUnit => registry.open_unit_form(),
                    NextStep::NewCorps => registry.open_corps_form(),
                    NextStep::NewVolunteer => registry.open_volunteer_form(today),
                    _ => {}
                }
            }
            NextStep::NewActivity => {
                self.settings.tab = Tab::Calendar;
                self.tabs.calendar.screen.open_new_activity(self.now());
            }
            NextStep::SignIn => self.settings.tab = Tab::Attendance,
            // The store refuses too (demo::load_demo); the window says why before trying.
            NextStep::LoadDemo if !self.counts.is_empty() => {
                self.notice = Some(Notice::Error(s::DEMO_NEEDS_EMPTY.to_string()));
            }
            NextStep::LoadDemo => {
                let mut access = self.store.access();
                // At the gate of a file with no account yet, whoever sets it up acts as its
                // administrator, as the command line does.
                if !self.is_open() {
                    access.actor = crate::store::Actor::command_line();
                }
                self.demo.start(ctx, access, self.now());
            }
        }
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
