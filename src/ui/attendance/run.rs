//! Carrying out the 签到 tab's commands through the store, as the logged-in operator.

use super::{Attendance, AttendanceCommand, DeskMessage};
use crate::domain::Minutes;
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
                let done = cx
                    .store
                    .sign_out_session(session_id, now)
                    .and_then(|credit| signed_out_message(cx, &name, volunteer_id, credit));
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
                Ok(DeskPlan::ConfirmSignOut { session_id, signed_in_at }) => {
                    let volunteer = cx.people.get().and_then(|d| d.volunteers.iter().find(|v| v.id == volunteer_id));
                    if let Some(volunteer) = volunteer {
                        self.screen.ask_sign_out(session_id, volunteer, signed_in_at);
                        return None;
                    }
                }
                Ok(DeskPlan::SignIn | DeskPlan::SignOut) => {}
                Err(err) => return Some(self.desk_outcome(Err(err))),
            }
        }
        let name = volunteer_name(cx, volunteer_id);
        let done = cx.store.sign_in_or_out(activity_id, volunteer_id, now, consent).and_then(|action| match action {
            DeskAction::SignedIn => Ok(format!("{name} 签到 {}", now.format("%H:%M"))),
            DeskAction::SignedOut(credit) => signed_out_message(cx, &name, volunteer_id, credit),
        });
        Some(self.desk_outcome(done))
    }

    /// Shows the desk's outcome big beside its box, a refusal too (the status bar repeats it).
    fn desk_outcome(&mut self, done: Result<String>) -> Result<String> {
        self.screen.desk_message = Some(match &done {
            Ok(text) => DeskMessage::Done(text.clone()),
            Err(err) => DeskMessage::Refused(err.to_string()),
        });
        done
    }
}

/// A sign-out's credit as the ledger shows it (小时:分钟), and a warning when the day passes
/// 8 hours.
fn signed_out_message(cx: &TabContext<'_>, name: &str, volunteer_id: i64, credit: Minutes) -> Result<String> {
    let day = cx.store.day_total(volunteer_id, cx.now.date())?;
    let warning = if day > attendance::LONG_DAY {
        format!("（今日已服务 {}，超过8小时，请核实）", day.clock())
    } else {
        String::new()
    };
    Ok(format!("{name} 签退，本次 {}（小时:分钟）{warning}", credit.clock()))
}

/// The volunteer told apart from namesakes, for the desk's message.
fn volunteer_name(cx: &TabContext<'_>, id: i64) -> String {
    cx.people.get().and_then(|d| d.volunteers.iter().find(|v| v.id == id)).map(super::person_tag).unwrap_or_default()
}
