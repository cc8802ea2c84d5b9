//! Carrying out the 系统 tab's commands through the store, as the logged-in administrator.

use super::{System, SystemCommand};
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
                screen.restore_pending = cx.dialogs.open_database();
                return;
            }
            SystemCommand::Restore(path) => {
                let folder = backups::folder_for(cx.store.path());
                backups::restore(cx.store, &path, &folder, now)
                    .map(|safety| format!("已恢复。恢复前的数据另存为 {}", safety.display()))
            }
        };
        cx.finish(outcome);
    }
}
