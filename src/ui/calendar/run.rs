//! Carrying out the 日历 tab's commands through the store. A refusal in the activity form is
//! shown there; the rest in the status bar.

use chrono::{Datelike as _, NaiveDateTime};

use super::life::{Notice, recipient, recipients};
use super::{Calendar, CalendarCommand};
use crate::domain::activity_life::{NoticeActivity, cancellation_notice, change_notice, promotion_notice};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::activities::{ActivityRow, NewActivity, notice_of};
use crate::store::recruitment::SignupStatus;
use crate::ui::strings as s;
use crate::ui::tab::TabContext;

impl Calendar {
    pub(super) fn carry_out(&mut self, cx: &mut TabContext<'_>, command: CalendarCommand) {
        let now = cx.now;
        let store = &*cx.store;
        let outcome = match command {
            CalendarCommand::SaveActivity { id, activity } => {
                let before = id.and_then(|id| self.activity(id)).and_then(ActivityRow::notice);
                if let Err(err) = store.save_activity(id, &activity, now) {
                    if let Some(form) = &mut self.screen.form {
                        form.error = Some(err.to_string());
                    }
                    return;
                }
                self.screen.form = None;
                if let (Some(id), Some(before)) = (id, before) {
                    self.tell_change(store, id, &before, &activity);
                }
                let (year, month) = (activity.starts_at.year(), activity.starts_at.month());
                self.screen.show_month(year, month);
                Ok(format!("已保存活动 {}", activity.name.trim()))
            }
            CalendarCommand::Publish(id) => store.publish_activity(id, now).map(|()| s::PUBLISHED.to_string()),
            CalendarCommand::Cancel { id, reason } => self.cancel(store, id, &reason, now),
            CalendarCommand::Delete(id) => store.delete_activity(id).map(|()| {
                self.screen.open_activity = None;
                "活动已删除".to_string()
            }),
            CalendarCommand::SignUp { activity_id, volunteer_id } => {
                store.sign_up(activity_id, volunteer_id, now).map(|status| {
                    self.screen.signup_query.clear();
                    match status {
                        SignupStatus::Waiting => "名额已满，已加入候补名单".to_string(),
                        _ => "报名成功".to_string(),
                    }
                })
            }
            CalendarCommand::Withdraw { activity_id, volunteer_id } => {
                store.withdraw_signup(activity_id, volunteer_id, now).and_then(|promoted| match promoted {
                    Some(promoted) => self.tell_promotion(store, activity_id, promoted),
                    None => Ok("已退出".to_string()),
                })
            }
            CalendarCommand::ExportRoster(id) => self.export_roster(cx, id, false),
            CalendarCommand::SignInSheet(id) => self.export_roster(cx, id, true),
            CalendarCommand::SaveRecord { activity_id, summary, people_served } => {
                store.save_record(activity_id, &summary, people_served, now).map(|()| "活动记录已保存".to_string())
            }
            CalendarCommand::AddPhoto(id) => add_photo(cx, id),
        };
        cx.finish(outcome);
    }

    /// The activity as the month in view read it.
    fn activity(&self, id: i64) -> Option<&ActivityRow> {
        self.month.get().and_then(|d| d.activities.iter().find(|a| a.id == id))
    }

    /// After a saved change of time or place, the 时间变更 notice for those signed up.
    fn tell_change(&mut self, store: &Store, id: i64, before: &NoticeActivity, activity: &NewActivity) {
        let people = match store.roster(id) {
            Ok(roster) => recipients(&roster),
            Err(_) => return,
        };
        let after = NoticeActivity { team: before.team.clone(), ..notice_of(activity) };
        if people.is_empty() {
            return;
        }
        if let Some(text) = change_notice(before, &after, &people) {
            self.screen.notice = Some(Notice::new(s::TIME_CHANGE_NOTICE, text, &people));
        }
    }

    /// Cancels, then gives the 取消通知 and the people to tell.
    fn cancel(&mut self, store: &Store, id: i64, reason: &str, now: NaiveDateTime) -> Result<String> {
        let facts = self.activity(id).and_then(ActivityRow::notice);
        store.cancel_activity(id, reason, now)?;
        let people = recipients(&store.roster(id)?);
        if let Some(facts) = facts {
            let text = cancellation_notice(&facts, reason, &people);
            self.screen.notice = Some(Notice::new(s::CANCELLATION_NOTICE, text, &people));
        }
        Ok(format!("活动已取消，报名与记录均保留；取消通知已备好，需通知 {} 人", people.len()))
    }

    /// Names the person promoted from the waiting list, with the notice to send them.
    fn tell_promotion(&mut self, store: &Store, activity_id: i64, promoted: i64) -> Result<String> {
        let roster = store.roster(activity_id)?;
        let Some(entry) = roster.iter().find(|e| e.volunteer_id == promoted && e.status == SignupStatus::Confirmed)
        else {
            return Ok("已退出，候补名单第一位已递补".to_string());
        };
        let person = recipient(entry);
        if let Some(facts) = self.activity(activity_id).and_then(ActivityRow::notice) {
            let text = promotion_notice(&facts, &person);
            self.screen.notice = Some(Notice::new(s::PROMOTION_NOTICE, text, std::slice::from_ref(&person)));
        }
        Ok(format!("已退出；{} 已递补", entry.name))
    }

    fn export_roster(&self, cx: &TabContext<'_>, activity_id: i64, sign_in_sheet: bool) -> Result<String> {
        let Some(activity) = self.month.get().and_then(|d| d.activities.iter().find(|a| a.id == activity_id)) else {
            return Err(Error::rejected("活动不存在"));
        };
        let suggested = if sign_in_sheet {
            format!("{}签到表.xlsx", activity.name)
        } else {
            format!("{}报名名单.xlsx", activity.name)
        };
        let Some(path) = cx.dialogs.save_workbook(&suggested) else {
            return Ok(s::CANCELLED.to_string());
        };
        crate::io::window::export_roster(cx.store, &path, activity, sign_in_sheet)?;
        Ok(format!("已保存到 {}", path.display()))
    }
}

fn add_photo(cx: &TabContext<'_>, activity_id: i64) -> Result<String> {
    let Some(path) = cx.dialogs.open_photo() else {
        return Ok(s::CANCELLED.to_string());
    };
    let (name, bytes) = crate::io::window::read_photo(&path)?;
    cx.store.add_photo(activity_id, &name, &bytes, cx.now)?;
    Ok(format!("已添加照片 {name}"))
}
