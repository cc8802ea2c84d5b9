//! Carrying out the 签到 tab's commands through the store, as the logged-in operator.

use super::{Attendance, AttendanceCommand};
use crate::store::attendance::{self, DeskAction, HonorGrantForm};
use crate::ui::tab::TabContext;

impl Attendance {
    pub(super) fn carry_out(&mut self, cx: &mut TabContext<'_>, command: AttendanceCommand) {
        let now = cx.now;
        let store = &*cx.store;
        let outcome = match command {
            AttendanceCommand::Desk { activity_id, volunteer_id } => {
                let name = volunteer_name(cx, volunteer_id);
                let done = store.sign_in_or_out(activity_id, volunteer_id, now).and_then(|action| {
                    let day = store.day_total(volunteer_id, now.date())?;
                    let warning = if day > attendance::LONG_DAY {
                        format!("（今日已服务 {day} 小时，超过8小时，请核实）")
                    } else {
                        String::new()
                    };
                    Ok(match action {
                        DeskAction::SignedIn => format!("{name} 签到 {}", now.format("%H:%M")),
                        DeskAction::SignedOut(credit) => {
                            format!("{name} 签退，本次 {credit} 小时{warning}")
                        }
                    })
                });
                match done {
                    Ok(message) => {
                        self.screen.desk_message = Some(message.clone());
                        Ok(message)
                    }
                    Err(err) => {
                        self.screen.desk_message = None;
                        Err(err)
                    }
                }
            }
            AttendanceCommand::Resolve { session_id, minutes, reason } => {
                store.resolve_open_session(session_id, minutes, &reason, now).map(|_| "未签退记录已处理".to_string())
            }
            AttendanceCommand::Grant { volunteers, minutes, service_date, reason, activity_id } => {
                let grant = HonorGrantForm { minutes, service_date, reason, activity_id };
                match cx.store.grant_honor_to_each(&volunteers, &grant, now) {
                    Ok(()) => {
                        self.screen.grant_done();
                        Ok(format!("已为 {} 人登记荣誉时数 {minutes} 小时", volunteers.len()))
                    }
                    Err(err) => {
                        self.screen.grant_failed(err.to_string());
                        return;
                    }
                }
            }
            AttendanceCommand::CorrectSession { session_id, minutes, reason } => {
                store.correct_session(session_id, minutes, &reason, now).map(|_| {
                    self.screen.correction_done();
                    "更正已登记".to_string()
                })
            }
            AttendanceCommand::CorrectGrant { grant_id, minutes, reason } => {
                store.correct_grant(grant_id, minutes, &reason, now).map(|_| {
                    self.screen.correction_done();
                    "更正已登记".to_string()
                })
            }
        };
        cx.finish(outcome);
    }
}

fn volunteer_name(cx: &TabContext<'_>, id: i64) -> String {
    cx.people.get().and_then(|d| d.volunteers.iter().find(|v| v.id == id)).map(|v| v.name.clone()).unwrap_or_default()
}
