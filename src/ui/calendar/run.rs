//! Carrying out the 日历 tab's commands through the store. A refusal in the activity form is
//! shown there; the rest in the status bar.

use chrono::Datelike as _;

use super::{Calendar, CalendarCommand};
use crate::error::{Error, Result};
use crate::store::recruitment::SignupStatus;
use crate::ui::strings as s;
use crate::ui::tab::TabContext;

impl Calendar {
    pub(super) fn carry_out(&mut self, cx: &mut TabContext<'_>, command: CalendarCommand) {
        let now = cx.now;
        let store = &*cx.store;
        let outcome = match command {
            CalendarCommand::SaveActivity { id, activity } => {
                if let Err(err) = store.save_activity(id, &activity) {
                    if let Some(form) = &mut self.screen.form {
                        form.error = Some(err.to_string());
                    }
                    return;
                }
                self.screen.form = None;
                let (year, month) = (activity.starts_at.year(), activity.starts_at.month());
                self.screen.show_month(year, month);
                Ok(format!("已保存活动 {}", activity.name.trim()))
            }
            CalendarCommand::Publish(id) => store.publish_activity(id, now).map(|()| s::PUBLISHED.to_string()),
            CalendarCommand::Cancel { id, reason } => {
                store.cancel_activity(id, &reason, now).map(|()| "活动已取消，报名与记录均保留".to_string())
            }
            CalendarCommand::Delete(id) => store.delete_activity(id).map(|()| {
                self.screen.open_activity = None;
                "活动已删除".to_string()
            }),
            CalendarCommand::SignUp { activity_id, volunteer_id } => {
                store.sign_up(activity_id, volunteer_id, now).map(|status| match status {
                    SignupStatus::Waiting => "名额已满，已加入候补名单".to_string(),
                    _ => "报名成功".to_string(),
                })
            }
            CalendarCommand::Withdraw { activity_id, volunteer_id } => {
                store.withdraw_signup(activity_id, volunteer_id, now).map(|promoted| match promoted {
                    Some(_) => "已退出，候补名单第一位已递补".to_string(),
                    None => "已退出".to_string(),
                })
            }
            CalendarCommand::ExportRoster(id) => self.export_roster(cx, id, false),
            CalendarCommand::SignInSheet(id) => self.export_roster(cx, id, true),
            CalendarCommand::SaveRecord { activity_id, summary, people_served } => {
                store.save_record(activity_id, &summary, people_served).map(|()| "活动记录已保存".to_string())
            }
            CalendarCommand::AddPhoto(id) => add_photo(cx, id),
        };
        cx.finish(outcome);
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
    cx.store.add_photo(activity_id, &name, &bytes)?;
    Ok(format!("已添加照片 {name}"))
}
