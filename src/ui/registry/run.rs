//! Carrying out the 队伍 tab's commands through the store. A refusal in a form is shown there;
//! the rest in the status bar.

use super::{Registry, RegistryCommand};
use crate::error::Result;
use crate::ui::command::AppCommand;
use crate::ui::strings as s;
use crate::ui::tab::TabContext;

impl Registry {
    pub(super) fn carry_out(&mut self, cx: &mut TabContext<'_>, command: RegistryCommand) {
        let today = cx.today();
        let outcome = match command {
            RegistryCommand::SaveVolunteer { id, volunteer } => match cx.store.save_volunteer(id, &volunteer, today) {
                Ok(()) => {
                    self.screen.form = None;
                    Ok(format!("已保存志愿者 {}", volunteer.name.trim()))
                }
                Err(err) => {
                    if let Some(form) = &mut self.screen.form {
                        form.error = Some(err.to_string());
                    }
                    return;
                }
            },
            RegistryCommand::RecycleVolunteer { id, deleted } => cx
                .store
                .set_in_recycle_bin(id, deleted)
                .map(|()| if deleted { s::MOVED_TO_BIN.to_string() } else { s::RESTORED.to_string() }),
            RegistryCommand::RevealIdNumber(id) => match cx.store.reveal_id_number(id) {
                Ok(id_number) => {
                    self.screen.reveal(id, id_number);
                    return;
                }
                Err(err) => Err(err),
            },
            RegistryCommand::DissolveTeam(id) => {
                cx.store.dissolve_team(id, today).map(|moved| format!("队伍已撤销，{moved} 名队员转入上级队伍"))
            }
            RegistryCommand::SetPartyMembers { unit_id, party_members } => {
                cx.store.set_party_members(unit_id, party_members).map(|()| "党员总数已更新".to_string())
            }
            RegistryCommand::ExportVolunteers(ids) => export_volunteers(cx, &ids),
            RegistryCommand::WriteTemplate => write_template(cx),
            RegistryCommand::SaveUnit { id, unit } => match cx.store.save_unit(id, &unit) {
                Ok(()) => {
                    self.screen.unit_form = None;
                    Ok(format!("已保存单位 {}", unit.name))
                }
                Err(err) => {
                    if let Some(form) = &mut self.screen.unit_form {
                        form.error = Some(err.to_string());
                    }
                    return;
                }
            },
            RegistryCommand::SaveTeam { id, parent_id, team } => match cx.store.save_team(id, parent_id, &team) {
                Ok(()) => {
                    self.screen.team_form = None;
                    Ok(format!("已保存队伍 {}", team.name.trim()))
                }
                Err(err) => {
                    if let Some(form) = &mut self.screen.team_form {
                        form.error = Some(err.to_string());
                    }
                    return;
                }
            },
            RegistryCommand::Import => {
                cx.ask(AppCommand::Import);
                return;
            }
        };
        cx.finish(outcome);
    }
}

fn write_template(cx: &TabContext<'_>) -> Result<String> {
    let Some(path) = cx.dialogs.save_workbook("志愿服务数据导入模板.xlsx") else {
        return Ok(s::CANCELLED.to_string());
    };
    crate::io::window::write_template(&path)?;
    Ok(format!("{} {}", s::TEMPLATE_SAVED, path.display()))
}

fn export_volunteers(cx: &TabContext<'_>, ids: &[i64]) -> Result<String> {
    let Some(path) = cx.dialogs.save_workbook("志愿者名单.xlsx") else {
        return Ok(s::CANCELLED.to_string());
    };
    let written = crate::io::window::export_volunteer_list(cx.store, &path, ids)?;
    Ok(format!("已导出 {written} 名志愿者到 {}", path.display()))
}
