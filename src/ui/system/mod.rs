//! 系统 tab: accounts (administrator), the audit log (administrator and 监督), backups and
//! restoring one (administrator), the database's 数据密钥 and its 恢复码 (administrator). It shows state and queues commands for `run.rs`; the store
//! decides.

mod data;
mod keys;
mod run;
mod work;

use std::path::PathBuf;

use chrono::NaiveDateTime;
use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::command::AppCommand;
use super::strings as s;
use super::tab::{Read, TabContext, TabScreen, reading_ui};
use super::widgets::{Confirm, WriteUi, labelled_text_edit, table_row_height, window};
use crate::domain::access::{Action, Role, allows};
use crate::store::accounts::Account;
use crate::store::audit::{Filter, ShownEntry, Verdict};
use crate::store::keys::KeyStatus;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Section {
    #[default]
    Accounts,
    Audit,
    Backups,
    Keys,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SystemCommand {
    AddAccount {
        login: String,
        name: String,
        role: Role,
    },
    ResetPassword(i64),
    /// Lift the lock of an account after failed log-ins.
    LiftLock(i64),
    SetDisabled {
        id: i64,
        disabled: bool,
    },
    SearchAudit,
    /// Check the chain, and a 校验码 written down earlier when given.
    VerifyAudit {
        anchor: Option<String>,
    },
    BackupNow,
    ChooseRestore,
    /// Restore this backup; `other_database` once the warning that it is not this database's
    /// was confirmed.
    Restore {
        path: PathBuf,
        other_database: bool,
    },
    /// Re-make the backups taken before the numbers were sealed (加密旧备份).
    ResealBackups,
    /// A new 恢复码, shown once; the one before stops working.
    MakeRecoveryCode,
    /// Give this machine the key through the 恢复码 typed in the form.
    UnlockWithRecoveryCode(String),
    /// Write the 恢复码 on screen to a text file to print.
    SaveRecoveryCodeSheet,
    /// 更换数据密钥: a new key, every value sealed again, a new 恢复码 shown once.
    ChangeDataKey,
}

/// What the tab shows, read once after each change.
#[derive(Debug, Default)]
pub struct SystemData {
    pub accounts: Vec<Account>,
    pub entries: Vec<ShownEntry>,
    /// This database's backups.
    pub backups: Vec<(String, PathBuf)>,
    /// How many backups in the folder are another database's (or older than identities).
    pub other_backups: usize,
    /// How many backups were taken before the numbers were sealed (still hold them in clear).
    pub clear_backups: usize,
    /// Where the database's key stands (`None` for a file this program cannot seal: too old
    /// and read-only).
    pub key: Option<KeyStatus>,
}

/// The 系统 tab: its screen and what it read.
#[derive(Default)]
pub struct System {
    screen: SystemTab,
    /// Read again after a change, or when 查询 applies the filter.
    data: Read<(), SystemData>,
    /// Long work on a worker (a restore, a 恢复码, 更换数据密钥), shown over the window.
    work: Option<work::Work>,
}

impl TabScreen for System {
    type Command = SystemCommand;

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut TabContext<'_>, commands: &mut Vec<SystemCommand>) {
        let (filter, now) = (self.screen.filter.clone(), cx.now);
        self.data.refresh((), cx.reader(), move |store, ()| data::read(store, &filter, now));
        let role = cx.store.actor().role;
        match self.data.get() {
            Some(data) => {
                egui::CentralPanel::default().show(ui, |ui| self.screen.tab_ui(ui, role, data, commands));
            }
            None => reading_ui(ui, self.data.is_pending()),
        }
        if let Some(work) = &self.work {
            work.ui(ui.ctx());
        }
    }

    fn poll(&mut self, cx: &mut TabContext<'_>) {
        self.take_up_work(cx);
    }

    fn is_busy(&self) -> bool {
        self.work.is_some()
    }

    fn is_reading(&self) -> bool {
        self.data.is_pending()
    }

    fn run(&mut self, cx: &mut TabContext<'_>, command: SystemCommand) {
        self.carry_out(cx, command);
    }

    fn data_changed(&mut self) {
        self.data.forget();
    }

    fn asked(&mut self, command: &AppCommand, _now: NaiveDateTime, commands: &mut Vec<SystemCommand>) {
        match command {
            AppCommand::MakeRecoveryCode => {
                self.show_keys();
                commands.push(SystemCommand::MakeRecoveryCode);
            }
            AppCommand::EnterRecoveryCode => self.ask_for_recovery_code(),
            _ => {}
        }
    }

    /// A one-time password on screen is for the one who asked for it, not the next user.
    fn gate_closed(&mut self) {
        self.screen.slip = None;
        self.screen.restore_pending = None;
        self.screen.recovery = None;
        self.screen.unlock = None;
        self.screen.change_key_pending = false;
    }
}

impl System {
    /// Opens the 数据密钥 section (a banner's or the login prompt's button led here).
    fn show_keys(&mut self) {
        self.screen.section = Section::Keys;
    }

    /// Opens the form that takes the 恢复码.
    fn ask_for_recovery_code(&mut self) {
        self.show_keys();
        self.screen.unlock.get_or_insert_with(UnlockForm::default);
    }

    /// The new 恢复码 on screen, if one is shown (tests read it as a user reads the screen).
    pub fn recovery_code_shown(&self) -> Option<&str> {
        self.screen.recovery.as_ref().map(|shown| shown.code.as_str())
    }
}

/// A new 恢复码 on screen until the administrator says it was taken down.
#[derive(Debug, Default)]
struct ShownCode {
    code: String,
    /// Where the sheet was saved, or why it was not.
    saved: Option<Result<String, String>>,
}

/// A backup to restore once confirmed, with the warning when it is not this database's.
#[derive(Debug)]
struct PendingRestore {
    path: PathBuf,
    warning: Option<String>,
}

/// The form that takes the 恢复码 on a machine without the key.
#[derive(Debug, Default)]
struct UnlockForm {
    code: String,
    /// The store's refusal of the code typed.
    error: Option<String>,
}

/// What the 系统 screen holds: the section, the audit filter, the forms and what to hand over.
#[derive(Debug, Default)]
struct SystemTab {
    section: Section,
    filter: Filter,
    new_login: String,
    new_name: String,
    new_role: Option<Role>,
    /// A one-time password to hand over: (login, name, password).
    slip: Option<(String, String, String)>,
    verdict: Option<Verdict>,
    /// A 校验码 written down earlier, `条号:校验码`, to check against the log.
    anchor: String,
    /// A backup chosen for restoring, waiting for the confirmation.
    restore_pending: Option<PendingRestore>,
    /// An account whose password is to be reset, waiting for the confirmation: (id, name).
    reset_pending: Option<(i64, String)>,
    /// 加密旧备份 asked, waiting for the confirmation.
    reseal_pending: bool,
    /// 生成恢复码 asked while a code exists, waiting for the confirmation.
    replace_code_pending: bool,
    /// 更换数据密钥 asked, waiting for the confirmation.
    change_key_pending: bool,
    recovery: Option<ShownCode>,
    unlock: Option<UnlockForm>,
    error: Option<String>,
}

impl SystemTab {
    fn tab_ui(&mut self, ui: &mut egui::Ui, role: Role, data: &SystemData, commands: &mut Vec<SystemCommand>) {
        ui.horizontal(|ui| {
            for (section, label, action) in [
                (Section::Accounts, s::ACCOUNTS, Action::Administer),
                (Section::Audit, s::AUDIT_LOG, Action::ReadAudit),
                (Section::Backups, s::BACKUPS, Action::Administer),
                (Section::Keys, s::DATA_KEY, Action::Administer),
            ] {
                if allows(role, action) && ui.selectable_label(self.section == section, label).clicked() {
                    self.section = section;
                }
            }
        });
        ui.separator();
        match self.section {
            Section::Accounts if allows(role, Action::Administer) => self.accounts_ui(ui, data, commands),
            Section::Backups if allows(role, Action::Administer) => self.backups_ui(ui, data, commands),
            Section::Keys if allows(role, Action::Administer) => self.keys_ui(ui, data, commands),
            _ => self.audit_ui(ui, data, commands),
        }
        self.slip_ui(ui.ctx());
        self.recovery_code_ui(ui.ctx(), commands);
        self.unlock_ui(ui.ctx(), commands);
        self.replace_code_confirmation_ui(ui.ctx(), commands);
        self.change_key_ui(ui.ctx(), commands);
        self.reseal_confirmation_ui(ui.ctx(), data, commands);
        self.restore_confirmation_ui(ui.ctx(), commands);
        self.reset_confirmation_ui(ui.ctx(), commands);
    }

    fn accounts_ui(&mut self, ui: &mut egui::Ui, data: &SystemData, commands: &mut Vec<SystemCommand>) {
        ui.label(RichText::new(s::ADD_ACCOUNT).strong());
        // Typed only to be written: closed to typing while the window may not write.
        ui.write_scope(|ui| {
            egui::Grid::new("new_account").num_columns(2).spacing([12.0, 6.0]).show(ui, |ui| {
                labelled_text_edit(ui, s::LOGIN_NAME, &mut self.new_login);
                super::widgets::limited_text_edit(
                    ui,
                    s::DISPLAY_NAME,
                    &mut self.new_name,
                    crate::domain::limits::PERSON_NAME,
                );
                let label = ui.label(s::ROLE);
                egui::ComboBox::from_id_salt("new_role")
                    .selected_text(self.new_role.map_or("请选择", Role::label))
                    .show_ui(ui, |ui| {
                        for role in Role::ALL {
                            ui.selectable_value(&mut self.new_role, Some(role), role.label());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
            });
        });
        if let Some(error) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        if ui.write_button(s::ADD_ACCOUNT).clicked() {
            match self.new_role {
                Some(role) => {
                    commands.push(SystemCommand::AddAccount {
                        login: self.new_login.trim().to_string(),
                        name: self.new_name.trim().to_string(),
                        role,
                    });
                }
                None => self.error = Some("请选择角色".to_string()),
            }
        }
        ui.add_space(8.0);
        let row_height = table_row_height(ui);
        TableBuilder::new(ui)
            .id_salt("accounts")
            .striped(true)
            .column(Column::auto().at_least(100.0))
            .column(Column::auto().at_least(100.0))
            .column(Column::auto().at_least(70.0))
            .column(Column::auto().at_least(120.0))
            .column(Column::remainder())
            .header(row_height, |mut header| {
                for title in [s::LOGIN_NAME, s::DISPLAY_NAME, s::ROLE, "状态", "操作"] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, data.accounts.len(), |mut row| {
                    let account = &data.accounts[row.index()];
                    row.col(|ui| {
                        ui.label(&account.login);
                    });
                    row.col(|ui| {
                        ui.label(&account.display_name);
                    });
                    row.col(|ui| {
                        ui.label(account.role.label());
                    });
                    row.col(|ui| {
                        let state = match (account.disabled, &account.locked_until, account.must_change_password) {
                            (true, ..) => "已停用".to_string(),
                            (false, Some(until), _) => format!("登录失败已锁定至 {}", until.get(..16).unwrap_or(until)),
                            (false, None, true) => "待首次登录改密".to_string(),
                            (false, None, false) => "正常".to_string(),
                        };
                        ui.label(if account.demo { format!("{state}（示例账号）") } else { state });
                    });
                    row.col(|ui| {
                        ui.horizontal(|ui| {
                            if account.locked_until.is_some() && ui.write_small_button(s::LIFT_LOCK).clicked() {
                                commands.push(SystemCommand::LiftLock(account.id));
                            }
                            if ui.write_small_button(s::RESET_PASSWORD).clicked() {
                                self.reset_pending = Some((account.id, account.display_name.clone()));
                            }
                            let (label, disabled) =
                                if account.disabled { (s::ENABLE, false) } else { (s::DISABLE, true) };
                            if ui.write_small_button(label).clicked() {
                                commands.push(SystemCommand::SetDisabled { id: account.id, disabled });
                            }
                        });
                    });
                });
            });
    }

    fn audit_ui(&mut self, ui: &mut egui::Ui, data: &SystemData, commands: &mut Vec<SystemCommand>) {
        ui.horizontal_wrapped(|ui| {
            for (label, text) in [
                ("操作人", &mut self.filter.actor),
                ("类型", &mut self.filter.kind),
                ("对象", &mut self.filter.object),
                ("起始日期", &mut self.filter.from),
                ("截止日期", &mut self.filter.to),
            ] {
                let name = ui.label(label);
                ui.add(egui::TextEdit::singleline(text).desired_width(110.0)).labelled_by(name.id);
            }
            if ui.button(s::SEARCH).clicked() {
                commands.push(SystemCommand::SearchAudit);
            }
            if ui.button(s::VERIFY_AUDIT).clicked() {
                commands.push(SystemCommand::VerifyAudit { anchor: None });
            }
        });
        ui.horizontal(|ui| {
            let name = ui.label(s::ANCHOR);
            ui.add(egui::TextEdit::singleline(&mut self.anchor).hint_text("条号:校验码").desired_width(260.0))
                .labelled_by(name.id);
            if ui.add_enabled(!self.anchor.trim().is_empty(), egui::Button::new(s::CHECK_ANCHOR)).clicked() {
                commands.push(SystemCommand::VerifyAudit { anchor: Some(self.anchor.trim().to_string()) });
            }
        });
        match &self.verdict {
            Some(verdict @ Verdict::Intact { .. }) => {
                ui.label(verdict.to_string());
            }
            Some(verdict @ (Verdict::Broken { .. } | Verdict::Mismatch { .. })) => {
                ui.colored_label(ui.visuals().error_fg_color, verdict.to_string());
            }
            Some(verdict @ Verdict::Unverified { .. }) => {
                ui.colored_label(ui.visuals().warn_fg_color, verdict.to_string());
            }
            None => {}
        }
        ui.label(RichText::new(format!("显示最近 {} 条", data.entries.len())).weak());
        let row_height = table_row_height(ui);
        TableBuilder::new(ui)
            .id_salt("audit")
            .striped(true)
            .column(Column::exact(50.0))
            .column(Column::exact(180.0))
            .column(Column::exact(220.0))
            .column(Column::exact(90.0))
            .column(Column::exact(200.0))
            .column(Column::remainder().clip(true))
            .header(row_height, |mut header| {
                for title in ["序号", "时间", "操作人", "类型", "对象", "内容"] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, data.entries.len(), |mut row| {
                    let shown = &data.entries[row.index()];
                    let entry = &shown.entry;
                    for text in [&entry.id.to_string(), &entry.at, &entry.actor, &entry.kind, &shown.object] {
                        row.col(|ui| {
                            // A truncated label shows its whole text on hover by itself: one tooltip.
                            ui.add(egui::Label::new(text.as_str()).truncate());
                        });
                    }
                    row.col(|ui| {
                        if shown.changes.is_empty() {
                            ui.add(egui::Label::new(shown.summary()).truncate());
                        } else {
                            // The fields as a table on hover, instead of the elided line.
                            let summary = egui::Label::new(shown.summary()).truncate().show_tooltip_when_elided(false);
                            ui.add(summary).on_hover_ui(|ui| changes_ui(ui, shown));
                        }
                    });
                });
            });
    }

    fn backups_ui(&mut self, ui: &mut egui::Ui, data: &SystemData, commands: &mut Vec<SystemCommand>) {
        ui.label("每天第一次打开程序时自动备份到数据库旁的“备份”文件夹，保留最近 7 天和 4 周。");
        ui.horizontal(|ui| {
            if ui.button(s::BACKUP_NOW).clicked() {
                commands.push(SystemCommand::BackupNow);
            }
            if ui.write_button(s::RESTORE_BACKUP).clicked() {
                commands.push(SystemCommand::ChooseRestore);
            }
        });
        if data.clear_backups > 0 {
            ui.add_space(8.0);
            ui.horizontal_wrapped(|ui| {
                let warning = format!("{} 份备份为加密前所存，仍含明文身份证号和手机号。", data.clear_backups);
                ui.colored_label(ui.visuals().warn_fg_color, warning);
                if ui.write_button(s::RESEAL_BACKUPS).clicked() {
                    self.reseal_pending = true;
                }
            });
        }
        ui.add_space(8.0);
        for (name, path) in &data.backups {
            ui.horizontal(|ui| {
                ui.label(name);
                if ui.write_small_button(s::RESTORE_BACKUP).clicked() {
                    self.restore_pending = Some(PendingRestore { path: path.clone(), warning: None });
                }
            });
        }
        if data.other_backups > 0 {
            let note = format!(
                "文件夹中另有 {} 份备份属于其他数据库或早于数据库标识，未列出；确需使用请点“{}”选择文件。",
                data.other_backups,
                s::RESTORE_BACKUP
            );
            ui.label(RichText::new(note).weak());
        }
    }

    /// A reset stops the account's password at once: asked first.
    fn reset_confirmation_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<SystemCommand>) {
        let Some((id, name)) = &self.reset_pending else { return };
        let question = format!("重置“{name}”的密码？原密码立即失效，新的初始密码只显示一次，须当面交给本人。");
        if Confirm::new(s::RESET_PASSWORD, question, s::CONFIRM, SystemCommand::ResetPassword(*id)).show(ctx, commands)
        {
            self.reset_pending = None;
        }
    }

    fn slip_ui(&mut self, ctx: &egui::Context) {
        let Some((login, name, password)) = &self.slip else { return };
        let mut open = true;
        // Not closed by Esc: the one-time password cannot be shown again.
        window("初始密码").open(&mut open).show(ctx, |ui| {
            let text = format!("{name}\n登录名：{login}\n初始密码：{password}\n首次登录后须修改密码。");
            ui.label(RichText::new(&text).size(20.0));
            if ui.button("复制").clicked() {
                ui.ctx().copy_text(text);
            }
        });
        if !open {
            self.slip = None;
        }
    }

    /// Asked before any restore; another database's backup (or one that cannot be told) is
    /// named as such, with both databases, and restored only by 仍要恢复.
    fn restore_confirmation_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<SystemCommand>) {
        let Some(pending) = &self.restore_pending else { return };
        let after = "恢复前会先把当前数据另存到“备份”文件夹，恢复后可再换回来；恢复后须重新登录。";
        let restore = SystemCommand::Restore { path: pending.path.clone(), other_database: pending.warning.is_some() };
        let confirm = match &pending.warning {
            None => {
                let question = format!("用“{}”替换当前数据？{after}", pending.path.display());
                Confirm::new(s::RESTORE_BACKUP, question, s::CONFIRM_RESTORE, restore)
            }
            Some(warning) => {
                Confirm::new(s::RESTORE_OTHER_TITLE, format!("{warning}{after}"), s::CONFIRM_RESTORE_OTHER, restore)
            }
        };
        if confirm.show(ctx, commands) {
            self.restore_pending = None;
        }
    }
}

/// A row change field by field: 字段, 原值, 新值.
fn changes_ui(ui: &mut egui::Ui, shown: &ShownEntry) {
    ui.strong(&shown.object);
    egui::Grid::new("audit_changes").striped(true).num_columns(3).show(ui, |ui| {
        for title in ["字段", "原值", "新值"] {
            ui.strong(title);
        }
        ui.end_row();
        for change in &shown.changes {
            ui.label(&change.column);
            ui.label(&change.before);
            ui.label(&change.after);
            ui.end_row();
        }
    });
}
