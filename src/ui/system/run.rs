//! Carrying out the 系统 tab's commands through the store, as the logged-in administrator.

use super::work::Work;
use super::{PendingRestore, System, SystemCommand, SystemTab};
use crate::store::{accounts, backups};
use crate::ui::strings as s;
use crate::ui::tab::TabContext;

impl System {
    pub(super) fn carry_out(&mut self, cx: &mut TabContext<'_>, command: SystemCommand) {
        let now = cx.now;
        let screen = &mut self.screen;
        screen.error = None;
        let outcome = match command {
            SystemCommand::AddAccount { login, name, role } => {
                let password = accounts::initial_password();
                let account = accounts::NewAccount {
                    login: login.clone(),
                    display_name: name.clone(),
                    role,
                    unit_id: None,
                    password: password.clone(),
                };
                match cx.store.create_with_initial_password(&account) {
                    Ok(_) => {
                        screen.slip = Some((login, name, password));
                        Ok("账号已创建，请把初始密码交给本人".to_string())
                    }
                    Err(err) => {
                        screen.error = Some(err.to_string());
                        return;
                    }
                }
            }
            SystemCommand::ResetPassword(id) => cx.store.reset_password(id).map(|password| {
                let account = self.data.get().and_then(|d| d.accounts.iter().find(|a| a.id == id));
                let (login, name) = account.map(|a| (a.login.clone(), a.display_name.clone())).unwrap_or_default();
                screen.slip = Some((login, name, password));
                "已重置为新的初始密码".to_string()
            }),
            SystemCommand::LiftLock(id) => {
                cx.store.lift_lock(id).map(|()| "已解除锁定，该账号可以再次登录".to_string())
            }
            SystemCommand::SetDisabled { id, disabled } => cx
                .store
                .set_disabled(id, disabled)
                .map(|()| if disabled { "账号已停用" } else { "账号已启用" }.to_string()),
            SystemCommand::SearchAudit => {
                self.data.forget();
                return;
            }
            SystemCommand::VerifyAudit { anchor } => {
                screen.verdict = None;
                match cx.store.check_audit_chain(anchor.as_deref()) {
                    Ok(verdict) => {
                        screen.verdict = Some(verdict);
                        return;
                    }
                    Err(err) => Err(err),
                }
            }
            SystemCommand::BackupNow => {
                let name = format!("志愿服务数据备份-{}.sqlite3", now.format("%Y%m%d-%H%M"));
                match cx.dialogs.save_database(&name) {
                    Some(path) => cx.store.backup_to(&path).map(|()| format!("已备份到 {}", path.display())),
                    None => Ok(s::CANCELLED.to_string()),
                }
            }
            SystemCommand::ChooseRestore => {
                screen.restore_pending = cx
                    .dialogs
                    .open_database()
                    .map(|path| PendingRestore { warning: backups::restore_warning(cx.store, &path), path });
                return;
            }
            SystemCommand::Restore { path, other_database } => {
                self.work = Some(Work::restore(cx, path, other_database, now));
                return;
            }
            SystemCommand::ResealBackups => {
                let folder = backups::folder_for(cx.store.path());
                backups::reseal_backups(cx.store, &folder)
                    .map(|count| format!("已加密 {count} 份旧备份，其中的身份证号和手机号不再是明文"))
            }
            SystemCommand::MakeRecoveryCode => {
                self.work = Some(Work::make_code(cx));
                return;
            }
            SystemCommand::UnlockWithRecoveryCode(code) => {
                self.work = Some(Work::unlock(cx, code));
                return;
            }
            SystemCommand::ChangeDataKey => {
                self.work = Some(Work::change_key(cx, now));
                return;
            }
            SystemCommand::SaveRecoveryCodeSheet => {
                save_recovery_code_sheet(cx, screen);
                return;
            }
        };
        cx.finish(outcome);
    }
}

/// Writes the code on screen to a text file to print, readable by this account only; says in
/// the code's dialog where it went, or why not.
fn save_recovery_code_sheet(cx: &mut TabContext<'_>, screen: &mut SystemTab) {
    let Some(shown) = &mut screen.recovery else { return };
    let Some(path) = cx.dialogs.save_text("数据库恢复码.txt") else { return };
    let written =
        cx.store.recovery_sheet(cx.now).and_then(|sheet| crate::output::write_private(&path, &sheet.text(&shown.code)));
    shown.saved = Some(
        written
            .map(|()| format!("已保存到 {}（仅本账户可读）。打印后请删除该文件。", path.display()))
            .map_err(|err| err.to_string()),
    );
}
