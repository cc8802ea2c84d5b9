//! Carrying out the 签到 tab's commands through the store, as the logged-in operator.

use super::{Attendance, AttendanceCommand};
use crate::error::Result;
use crate::store::attendance::{self, DeskAction, DeskPlan, HonorGrantForm};
use crate::store::recruitment::WalkInConsent;
use crate::ui::tab::TabContext;

impl Attendance {
    pub(super) fn carry_out(&mut self, cx: &mut TabContext<'_>, command: AttendanceCommand) {
        let now = cx.now;
        let outcome = match command {
            AttendanceCommand::Desk { activity_id, volunteer_id, consent } => {
                match self.desk(cx, activity_id, volunteer_id, consent) {
                    Some(outcome) => outcome,
                    None => return,
                }
            }
            AttendanceCommand::SignOut { session_id, volunteer_id } => {
                let name = volunteer_name(cx, volunteer_id);
                let done = cx.store.sign_out_session(session_id, now).and_then(|credit| {
                    Ok(format!("{name} 签退，本次 {credit} 小时{}", long_day_warning(cx, volunteer_id)?))
                });
                self.desk_outcome(done)
            }
            AttendanceCommand::Resolve { session_id, minutes, reason } => {
                cx.store.resolve_open_session(session_id, minutes, &reason, now).map(|_| "未签退记录已处理".to_string())
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
                cx.store.correct_session(session_id, minutes, &reason, now).map(|_| {
                    self.screen.correction_done();
                    "更正已登记".to_string()
                })
            }
            AttendanceCommand::CorrectGrant { grant_id, minutes, reason } => {
                cx.store.correct_grant(grant_id, minutes, &reason, now).map(|_| {
                    self.screen.correction_done();
                    "更正已登记".to_string()
                })
            }
            AttendanceCommand::SetSignInOpens(before) => cx
                .store
                .set_sign_in_opens_before(before)
                .map(|()| format!("已设置：活动开始前 {before} 小时起可签到，活动结束即停止签到")),
        };
        cx.finish(outcome);
    }

    /// The desk's sign-in or sign-out. Someone without a place is not written without
    /// consent: the desk asks 现场报名？ and `None` says nothing was done yet.
    fn desk(
        &mut self,
        cx: &mut TabContext<'_>,
        activity_id: i64,
        volunteer_id: i64,
        consent: WalkInConsent,
    ) -> Option<Result<String>> {
        let now = cx.now;
        if consent == WalkInConsent::default() {
            match cx.store.desk_plan(activity_id, volunteer_id, now) {
                Ok(DeskPlan::WalkIn(walk_in)) => {
                    let volunteer = cx.people.get().and_then(|d| d.volunteers.iter().find(|v| v.id == volunteer_id));
                    if let Some(volunteer) = volunteer {
                        self.screen.ask_walk_in(activity_id, volunteer, walk_in.question());
                        return None;
                    }
                }
                Ok(DeskPlan::SignIn | DeskPlan::SignOut) => {}
                Err(err) => return Some(self.desk_outcome(Err(err))),
            }
        }
        let name = volunteer_name(cx, volunteer_id);
        let done = cx.store.sign_in_or_out(activity_id, volunteer_id, now, consent).and_then(|action| {
            Ok(match action {
                DeskAction::SignedIn => format!("{name} 签到 {}", now.format("%H:%M")),
                DeskAction::SignedOut(credit) => {
                    format!("{name} 签退，本次 {credit} 小时{}", long_day_warning(cx, volunteer_id)?)
                }
            })
        });
        Some(self.desk_outcome(done))
    }

    /// Shows the desk's outcome big (or clears it on a refusal, which the status bar shows).
    fn desk_outcome(&mut self, done: Result<String>) -> Result<String> {
        self.screen.desk_message = done.as_ref().ok().cloned();
        done
    }
}

/// What the desk adds after a sign-out that takes the day past 8 hours.
fn long_day_warning(cx: &TabContext<'_>, volunteer_id: i64) -> Result<String> {
    let day = cx.store.day_total(volunteer_id, cx.now.date())?;
    Ok(if day > attendance::LONG_DAY {
        format!("（今日已服务 {day} 小时，超过8小时，请核实）")
    } else {
        String::new()
    })
}

/// The volunteer told apart from namesakes, for the desk's message.
fn volunteer_name(cx: &TabContext<'_>, id: i64) -> String {
    cx.people.get().and_then(|d| d.volunteers.iter().find(|v| v.id == id)).map(super::person_tag).unwrap_or_default()
}
