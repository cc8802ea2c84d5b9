//! The top bar (title, tabs, who is logged in, text size), the app-wide banners and the
//! status bar: drawn from the app's state, their clicks queued as the app's commands.

use egui::{Align, Layout, RichText};

use super::{App, Notice};
use crate::domain::access::{Action, allows};
use crate::ui::command::AppCommand;
use crate::ui::settings::TextSize;
use crate::ui::strings as s;
use crate::ui::tab::Tab;
use crate::ui::widgets::{WriteUi as _, show_dialog};

/// The widths the top bar's two halves took last frame, to decide whether they share a row.
#[derive(Clone, Copy, Default)]
struct TopBarWidths {
    tabs: f32,
    controls: f32,
}

impl App {
    /// The title and the tabs on the left, the account and 字号 on the right; when both do
    /// not fit side by side (特大 on a laptop screen) the right half moves to a second row
    /// rather than covering a tab.
    pub(super) fn top_bar_ui(&mut self, ui: &mut egui::Ui) {
        let id = ui.make_persistent_id("top_bar_widths");
        let last: TopBarWidths = ui.data(|d| d.get_temp(id)).unwrap_or_default();
        let gap = 3.0 * ui.spacing().item_spacing.x;
        let one_row = last.tabs + gap + last.controls <= ui.available_width();
        let widths = if one_row {
            ui.horizontal(|ui| {
                let tabs = self.title_and_tabs_ui(ui);
                let controls = ui.with_layout(Layout::right_to_left(Align::Center), |ui| self.controls_ui(ui)).inner;
                TopBarWidths { tabs, controls }
            })
            .inner
        } else {
            let tabs = ui.horizontal(|ui| self.title_and_tabs_ui(ui)).inner;
            let controls = ui
                .horizontal(|ui| ui.with_layout(Layout::right_to_left(Align::Center), |ui| self.controls_ui(ui)).inner)
                .inner;
            TopBarWidths { tabs, controls }
        };
        ui.data_mut(|d| d.insert_temp(id, widths));
        // Measured too late for this pass (the text size changed, or the window): lay it out
        // again at once rather than show a tab covered for a frame.
        if (widths.tabs + gap + widths.controls <= ui.available_width()) != one_row {
            ui.ctx().request_discard("the top bar changes rows");
        }
    }

    /// The title and one button per tab the role may see; returns the width they took.
    fn title_and_tabs_ui(&mut self, ui: &mut egui::Ui) -> f32 {
        ui.horizontal(|ui| {
            ui.label(RichText::new(s::APP_TITLE).strong().size(ui.text_style_height(&egui::TextStyle::Heading)));
            ui.add_space(16.0);
            let role = self.store.actor().role;
            if self.is_open() {
                for tab in Tab::ALL.into_iter().filter(|t| t.visible_to(role)) {
                    if ui.selectable_label(self.settings.tab == tab, tab.label()).clicked() && self.settings.tab != tab
                    {
                        self.settings.tab = tab;
                        // A refusal belongs to the tab it happened on: red text under another
                        // tab reads as that tab's fault.
                        if matches!(self.notice, Some(Notice::Error(_))) {
                            self.notice = None;
                        }
                    }
                }
            }
        })
        .response
        .rect
        .width()
    }

    /// 锁定, 切换用户, who is logged in and 字号, laid out right to left; returns their width.
    fn controls_ui(&mut self, ui: &mut egui::Ui) -> f32 {
        ui.horizontal(|ui| {
            if self.is_open() {
                if ui.button(s::LOCK).clicked() {
                    self.commands.push(AppCommand::Lock);
                }
                if ui.button(s::SWITCH_USER).clicked() {
                    self.commands.push(AppCommand::SwitchUser);
                }
                let actor = self.store.actor();
                ui.label(format!("{}（{}）", actor.name, actor.role.label()));
                ui.separator();
            }
            let current = self.settings.text_size;
            egui::ComboBox::from_label(s::TEXT_SIZE).selected_text(current.label()).show_ui(ui, |ui| {
                for size in TextSize::ALL {
                    if ui.selectable_label(size == current, size.label()).clicked() {
                        self.commands.push(AppCommand::SetTextSize(size));
                    }
                }
            });
        })
        .response
        .rect
        .width()
    }

    /// App-wide banners under the top bar, whatever the tab: the place for anything about the
    /// file as a whole. A damaged file has its own banner (`health.rs`), which says it too.
    pub(super) fn banners_ui(&mut self, ui: &mut egui::Ui) {
        self.key_banner_ui(ui);
        let Some(refusal) = self.write_refusal().filter(|_| !self.health.is_damaged()) else { return };
        egui::Panel::top("read_only_banner").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(ui.visuals().warn_fg_color, RichText::new(refusal).strong());
                // Offered once logged in, and only where another window is the reason: claiming
                // the file re-authorizes for the account acting.
                if self.is_open() && refusal == s::READ_ONLY_BANNER && ui.button(s::RETRY_WRITE).clicked() {
                    self.commands.push(AppCommand::RetryWriteAccess);
                }
            });
        });
    }

    /// The data key (issue #20): a machine without it says so to everyone, and offers an
    /// administrator the 恢复码 form; an administrator is reminded until a 恢复码 exists.
    fn key_banner_ui(&mut self, ui: &mut egui::Ui) {
        let administrator = self.is_open() && allows(self.store.actor().role, Action::Administer);
        // Said from the store's own state: the key's record is the administrator's to read.
        let (text, button, command) = if !self.store.has_key() {
            let ask = if administrator { "" } else { s::NO_KEY_ASK_ADMIN };
            (format!("{}{ask}", s::NO_KEY_BANNER), s::ENTER_RECOVERY_CODE, AppCommand::EnterRecoveryCode)
        } else if administrator && self.key.as_ref().is_some_and(super::needs_recovery_code) && !self.recovery_prompt {
            (s::NO_RECOVERY_CODE_BANNER.to_string(), s::MAKE_RECOVERY_CODE, AppCommand::MakeRecoveryCode)
        } else {
            return;
        };
        egui::Panel::top("key_banner").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(ui.visuals().warn_fg_color, RichText::new(text).strong());
                if administrator && ui.write_button(button).clicked() {
                    self.commands.push(command);
                }
            });
        });
    }

    /// Asked once at login while the database has no 恢复码: 生成恢复码 or 稍后 (the banner stays).
    pub(super) fn recovery_prompt_ui(&mut self, ctx: &egui::Context) {
        let still_needed = self.key.as_ref().is_some_and(super::needs_recovery_code);
        // Not over a window that may not write (another window holds the file, or it is
        // damaged): the banner stays for when it may.
        if !self.recovery_prompt || !self.is_open() || !still_needed || self.write_refusal().is_some() {
            return;
        }
        let (answer, closed) = show_dialog(ctx, s::MAKE_RECOVERY_CODE, |ui| {
            ui.label(s::NO_RECOVERY_CODE_PROMPT);
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.write_button(s::MAKE_RECOVERY_CODE).clicked() {
                    Some(true)
                } else if ui.button(s::LATER).clicked() {
                    Some(false)
                } else {
                    None
                }
            })
            .inner
        });
        if answer == Some(true) {
            self.commands.push(AppCommand::MakeRecoveryCode);
        }
        if answer.is_some() || closed {
            self.recovery_prompt = false;
        }
    }

    /// One line: the message first, then the counts, then the file's path, which gives way
    /// (cut short, whole on hover) so that 特大 text still fits a laptop's width. Only a
    /// message longer than the whole width goes on to a second line.
    pub(super) fn status_bar_ui(&mut self, ui: &mut egui::Ui) {
        let lines = ui.horizontal(|ui| {
            match &self.notice {
                Some(Notice::Info(text)) => {
                    ui.add(egui::Label::new(text).wrap());
                    ui.separator();
                }
                Some(Notice::Error(text)) => {
                    ui.add(egui::Label::new(RichText::new(text).color(ui.visuals().error_fg_color)).wrap());
                    ui.separator();
                }
                None => {}
            }
            let c = self.counts;
            if self.is_open() && !self.store.actor().role.is_contest_only() {
                ui.add(
                    egui::Label::new(format!(
                        "单位 {} 个 · 队伍 {} 支 · 志愿者 {} 人 · 活动 {} 次",
                        c.units, c.teams, c.volunteers, c.activities
                    ))
                    .extend(),
                );
                ui.separator();
            }
            // Cut short, a label shows its whole text on hover by itself.
            ui.add(egui::Label::new(format!("{}：{}", s::STATUS_DATABASE, self.store.path().display())).truncate());
        });
        relayout_on_new_height(ui, "status_bar_height", lines.response.rect.height());
    }
}

/// A panel sizes itself from the previous pass: when its content changed height (a message
/// wrapped on to a second line), lay out again at once instead of clipping it for a frame.
fn relayout_on_new_height(ui: &egui::Ui, key: &str, height: f32) {
    let id = ui.make_persistent_id(key);
    let last: Option<f32> = ui.data(|d| d.get_temp(id));
    ui.data_mut(|d| d.insert_temp(id, height));
    if last.is_some_and(|last| (last - height).abs() > 0.5) {
        ui.ctx().request_discard("a bar changed height");
    }
}
