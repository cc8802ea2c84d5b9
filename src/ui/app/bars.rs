//! The top bar (title, tabs, who is logged in, text size), the app-wide banners and the
//! status bar: drawn from the app's state, their clicks queued as the app's commands.

use egui::{Align, Layout, RichText};

use super::{App, Command, Notice};
use crate::ui::settings::TextSize;
use crate::ui::strings as s;
use crate::ui::tab::Tab;

impl App {
    pub(super) fn top_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.label(RichText::new(s::APP_TITLE).strong().size(ui.text_style_height(&egui::TextStyle::Heading)));
            ui.add_space(16.0);
            let role = self.store.actor().role;
            if self.is_open() {
                for tab in Tab::ALL.into_iter().filter(|t| t.visible_to(role)) {
                    if ui.selectable_label(self.settings.tab == tab, tab.label()).clicked() {
                        self.settings.tab = tab;
                    }
                }
            }
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                if self.is_open() {
                    if ui.button(s::LOCK).clicked() {
                        self.commands.push(Command::Lock);
                    }
                    if ui.button(s::SWITCH_USER).clicked() {
                        self.commands.push(Command::SwitchUser);
                    }
                    let actor = self.store.actor();
                    ui.label(format!("{}（{}）", actor.name, actor.role.label()));
                    ui.separator();
                }
                let current = self.settings.text_size;
                egui::ComboBox::from_label(s::TEXT_SIZE).selected_text(current.label()).show_ui(ui, |ui| {
                    for size in TextSize::ALL {
                        if ui.selectable_label(size == current, size.label()).clicked() {
                            self.commands.push(Command::SetTextSize(size));
                        }
                    }
                });
            });
        });
    }

    /// App-wide banners under the top bar, whatever the tab: the place for anything about the
    /// file as a whole. A damaged file has its own banner (`health.rs`), which says it too.
    pub(super) fn banners_ui(&mut self, ui: &mut egui::Ui) {
        let Some(refusal) = self.write_refusal().filter(|_| !self.health.is_damaged()) else { return };
        egui::Panel::top("read_only_banner").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(ui.visuals().warn_fg_color, RichText::new(refusal).strong());
                // Offered once logged in, and only where another window is the reason: claiming
                // the file re-authorizes for the account acting.
                if self.is_open() && refusal == s::READ_ONLY_BANNER && ui.button(s::RETRY_WRITE).clicked() {
                    self.commands.push(Command::RetryWriteAccess);
                }
            });
        });
    }

    pub(super) fn status_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.label(format!("{}：{}", s::STATUS_DATABASE, self.store.path().display()));
            ui.separator();
            let c = self.counts;
            if self.is_open() && !self.store.actor().role.is_contest_only() {
                ui.label(format!(
                    "单位 {} 个 · 队伍 {} 支 · 志愿者 {} 人 · 活动 {} 次",
                    c.units, c.teams, c.volunteers, c.activities
                ));
            }
            match &self.notice {
                Some(Notice::Info(text)) => {
                    ui.separator();
                    ui.label(text);
                }
                Some(Notice::Error(text)) => {
                    ui.separator();
                    ui.colored_label(ui.visuals().error_fg_color, text);
                }
                None => {}
            }
        });
    }
}
