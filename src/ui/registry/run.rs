//! Carrying out the 队伍 tab's commands through the store. A refusal in a form is shown there;
//! the rest in the status bar.

use super::{Registry, RegistryCommand};
use crate::error::Result;
use crate::store::volunteers::{insert_volunteer, next_volunteer_code, set_in_recycle_bin, update_volunteer};
use crate::store::{teams, units, volunteers};
use crate::ui::strings as s;
use crate::ui::tab::TabContext;

impl Registry {
    pub(super) fn run(&mut self, cx: &mut TabContext<'_>, command: RegistryCommand) {
        let today = cx.today();
        let conn = cx.store.conn();
        let outcome = match command {
            RegistryCommand::SaveVolunteer { id, mut volunteer } => {
                let saved = match id {
                    Some(id) => update_volunteer(conn, id, &volunteer, today),
                    None => next_volunteer_code(conn).and_then(|code| {
                        volunteer.code = code;
                        insert_volunteer(conn, &volunteer, today).map(|_| ())
                    }),
                };
                match saved {
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
                }
            }
            RegistryCommand::RecycleVolunteer { id, deleted } => set_in_recycle_bin(conn, id, deleted)
                .map(|()| if deleted { s::MOVED_TO_BIN.to_string() } else { s::RESTORED.to_string() }),
            RegistryCommand::RevealIdNumber(id) => match volunteers::reveal_id_number(conn, cx.store.actor(), id) {
                Ok(_) => {
                    self.screen.reveal(id);
                    return;
                }
                Err(err) => Err(err),
            },
            RegistryCommand::DissolveTeam(id) => {
                teams::dissolve_team(conn, id, today).map(|moved| format!("队伍已撤销，{moved} 名队员转入上级队伍"))
            }
            RegistryCommand::SetPartyMembers { unit_id, party_members } => {
                units::set_party_members(conn, unit_id, party_members).map(|()| "党员总数已更新".to_string())
            }
            RegistryCommand::ExportVolunteers(ids) => export_volunteers(cx, &ids),
            RegistryCommand::WriteTemplate => write_template(cx),
            RegistryCommand::AddUnit { name, party_members } => {
                units::insert_unit(conn, &units::NewUnit { name: name.clone(), party_members })
                    .map(|_| format!("已新增单位 {name}"))
            }
            RegistryCommand::SaveTeam { id, parent_id, team } => {
                let saved = cx.store.transaction(|conn| match id {
                    Some(id) => {
                        teams::update_team(conn, id, &team)?;
                        match parent_id {
                            Some(parent) => teams::move_team(conn, id, parent),
                            None => Ok(()),
                        }
                    }
                    None => teams::insert_team(conn, &team).map(|_| ()),
                });
                match saved {
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
                }
            }
            RegistryCommand::Import => {
                cx.events.push(crate::ui::tab::Event::OpenImport);
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
    crate::io::template::write_template(&path)?;
    Ok(format!("{} {}", s::TEMPLATE_SAVED, path.display()))
}

fn export_volunteers(cx: &TabContext<'_>, ids: &[i64]) -> Result<String> {
    let Some(path) = cx.dialogs.save_workbook("志愿者名单.xlsx") else {
        return Ok(s::CANCELLED.to_string());
    };
    crate::store::audit::exported(cx.store.conn(), cx.store.actor(), "志愿者名单", &path)?;
    let all = volunteers::list_volunteers(cx.store.conn())?;
    let rows: Vec<_> = ids.iter().filter_map(|id| all.iter().find(|v| v.id == *id)).collect();
    crate::io::roster::write_volunteer_list(&path, &rows)?;
    Ok(format!("已导出 {} 名志愿者到 {}", rows.len(), path.display()))
}
