//! 系统 → 数据密钥 (issue #20): where this machine keeps the database's key, the 恢复码 made
//! and shown once, and the form that takes it on a machine without the key. The store makes,
//! checks and keeps; this only shows and asks.

use egui::RichText;

use super::{SystemCommand, SystemData, SystemTab, UnlockForm};
use crate::store::keys::KeyStatus;
use crate::ui::strings as s;
use crate::ui::widgets::{WriteUi, confirm_dialog, error_ui, show_dialog, show_sticky_dialog};

impl SystemTab {
    pub(super) fn keys_ui(&mut self, ui: &mut egui::Ui, data: &SystemData, commands: &mut Vec<SystemCommand>) {
        let Some(key) = &data.key else {
            ui.label("这个数据库文件尚未升级到加密版本（只读打开），没有数据密钥。");
            return;
        };
        ui.label(key.to_string());
        if let Some(where_kept) = key_file_fallback(key) {
            ui.colored_label(ui.visuals().warn_fg_color, where_kept);
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let make = egui::Button::new(s::MAKE_RECOVERY_CODE);
            if ui.add_write(key.unlocked, make).on_disabled_hover_text(s::NO_KEY_BANNER).clicked() {
                if key.recovery_set_at.is_some() {
                    self.replace_code_pending = true;
                } else {
                    commands.push(SystemCommand::MakeRecoveryCode);
                }
            }
            if !key.unlocked && ui.write_button(s::ENTER_RECOVERY_CODE).clicked() {
                self.unlock = Some(UnlockForm::default());
            }
            let change = egui::Button::new(s::CHANGE_DATA_KEY);
            if ui.add_write(key.unlocked, change).on_disabled_hover_text(s::NO_KEY_BANNER).clicked() {
                self.change_key_pending = true;
            }
        });
        ui.add_space(8.0);
        ui.label(RichText::new(s::RECOVERY_CODE_PURPOSE).weak());
        ui.label(RichText::new(s::CHANGE_DATA_KEY_PURPOSE).weak());
    }

    /// 更换数据密钥: asked first, saying what it does; once confirmed the work runs on a worker
    /// (work.rs), then the new code is shown as when the key was first made.
    pub(super) fn change_key_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<SystemCommand>) {
        if !self.change_key_pending {
            return;
        }
        let confirmed =
            confirm_dialog(ctx, s::CHANGE_DATA_KEY, s::CHANGE_DATA_KEY_QUESTION, s::CONFIRM_CHANGE_DATA_KEY);
        let Some(confirmed) = confirmed else { return };
        self.change_key_pending = false;
        if confirmed {
            commands.push(SystemCommand::ChangeDataKey);
        }
    }

    /// A new 恢复码 replaces the old one: asked first, since the old prints stop working.
    pub(super) fn replace_code_confirmation_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<SystemCommand>) {
        if !self.replace_code_pending {
            return;
        }
        let Some(confirmed) = confirm_dialog(ctx, s::MAKE_RECOVERY_CODE, s::REPLACE_RECOVERY_CODE, s::CONFIRM_NEW_CODE)
        else {
            return;
        };
        if confirmed {
            commands.push(SystemCommand::MakeRecoveryCode);
        }
        self.replace_code_pending = false;
    }

    /// The new code, large, until the administrator says it was taken down: not closed by Esc
    /// or a stray click, since it is never shown again.
    pub(super) fn recovery_code_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<SystemCommand>) {
        let Some(shown) = &self.recovery else { return };
        let noted = show_sticky_dialog(ctx, s::NEW_RECOVERY_CODE_TITLE, |ui| {
            ui.add_space(8.0);
            ui.vertical_centered(|ui| {
                let code = RichText::new(&shown.code).monospace().size(28.0).strong();
                ui.add(egui::Label::new(code).selectable(true));
            });
            ui.add_space(8.0);
            ui.label(s::RECOVERY_CODE_PURPOSE);
            match &shown.saved {
                Some(Ok(saved)) => {
                    ui.label(saved);
                }
                Some(Err(why)) => error_ui(ui, Some(why)),
                None => {}
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button(s::SAVE_RECOVERY_SHEET).clicked() {
                    commands.push(SystemCommand::SaveRecoveryCodeSheet);
                }
                ui.button(s::RECOVERY_CODE_NOTED).clicked()
            })
            .inner
        });
        if noted {
            self.recovery = None;
        }
    }

    /// One field for the code; a wrong one is refused here, in the form, and nothing changes.
    pub(super) fn unlock_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<SystemCommand>) {
        let Some(form) = &mut self.unlock else { return };
        let (cancelled, closed) = show_dialog(ctx, s::ENTER_RECOVERY_CODE, |ui| {
            ui.label(s::ENTER_RECOVERY_CODE_HINT);
            ui.add_space(4.0);
            let label = ui.label(s::RECOVERY_CODE);
            let field = egui::TextEdit::singleline(&mut form.code)
                .hint_text("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
                .font(egui::TextStyle::Monospace)
                .desired_width(360.0);
            let field = ui.add(field).labelled_by(label.id);
            // Ready to type at once.
            if ui.memory(|m| m.focused().is_none()) {
                field.request_focus();
            }
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            error_ui(ui, form.error.as_deref());
            ui.horizontal(|ui| {
                let ready = !form.code.trim().is_empty();
                if ui.add_write(ready, egui::Button::new(s::UNLOCK)).clicked() || (entered && ready) {
                    commands.push(SystemCommand::UnlockWithRecoveryCode(form.code.trim().to_string()));
                }
                ui.button(s::CANCEL).clicked()
            })
            .inner
        });
        if cancelled || closed {
            self.unlock = None;
        }
    }

    /// 加密旧备份 rewrites files in the 备份 folder: asked first.
    pub(super) fn reseal_confirmation_ui(
        &mut self,
        ctx: &egui::Context,
        data: &SystemData,
        commands: &mut Vec<SystemCommand>,
    ) {
        if !self.reseal_pending {
            return;
        }
        let question = format!(
            "把 {} 份加密前的备份重新生成为加密备份？内容不变，其中的身份证号和手机号改为加密保存，原文件被替换。",
            data.clear_backups
        );
        let Some(confirmed) = confirm_dialog(ctx, s::RESEAL_BACKUPS, &question, s::CONFIRM_RESEAL) else { return };
        if confirmed {
            commands.push(SystemCommand::ResealBackups);
        }
        self.reseal_pending = false;
    }
}

/// Said plainly where the key is only a file: anyone who can read this account's files and
/// the database can read the IDs.
pub fn key_file_fallback(key: &KeyStatus) -> Option<String> {
    let kept = if key.unlocked { "密钥保存在" } else { "输入恢复码后，密钥将保存在" };
    (!key.keystore_is_system).then(|| format!("本机没有系统凭据库，{kept}{}中。", key.keystore))
}
