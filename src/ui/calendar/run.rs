//! Carrying out the 日历 tab's commands through the store. A refusal in the activity form is
//! shown there; the rest in the status bar.

use chrono::Datelike as _;

use super::{Calendar, CalendarCommand};
use crate::error::{Error, Result};
use crate::store::{activities, audit, recruitment};
use crate::ui::strings as s;
use crate::ui::tab::TabContext;

impl Calendar {
    pub(super) fn run(&mut self, cx: &mut TabContext<'_>, command: CalendarCommand) {
        let now = cx.now;
        let conn = cx.store.conn();
        let outcome = match command {
            CalendarCommand::SaveActivity { id, mut activity } => {
                let saved = activities::add_service_category(conn, &activity.category).and_then(|()| match id {
                    Some(id) => activities::update_activity(conn, id, &activity),
                    None => activities::next_activity_code(conn, activity.starts_at.year()).and_then(|code| {
                        activity.code = code;
                        activities::insert_activity(conn, &activity).map(|_| ())
                    }),
                });
                if let Err(err) = saved {
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
            CalendarCommand::Publish(id) => {
                activities::publish_activity(conn, id, now).map(|()| s::PUBLISHED.to_string())
            }
            CalendarCommand::Cancel { id, reason } => {
                activities::cancel_activity(conn, id, &reason, now).map(|()| "活动已取消，报名与记录均保留".to_string())
            }
            CalendarCommand::Delete(id) => activities::delete_activity(conn, id).map(|()| {
                self.screen.open_activity = None;
                "活动已删除".to_string()
            }),
            CalendarCommand::SignUp { activity_id, volunteer_id } => {
                recruitment::sign_up(conn, activity_id, volunteer_id, now).map(|status| match status {
                    recruitment::SignupStatus::Waiting => "名额已满，已加入候补名单".to_string(),
                    _ => "报名成功".to_string(),
                })
            }
            CalendarCommand::Withdraw { activity_id, volunteer_id } => {
                recruitment::withdraw(conn, activity_id, volunteer_id, now).map(|promoted| match promoted {
                    Some(_) => "已退出，候补名单第一位已递补".to_string(),
                    None => "已退出".to_string(),
                })
            }
            CalendarCommand::ExportRoster(id) => self.export_roster(cx, id, false),
            CalendarCommand::SignInSheet(id) => self.export_roster(cx, id, true),
            CalendarCommand::SaveRecord { activity_id, summary, people_served } => {
                activities::save_record(conn, activity_id, &summary, people_served)
                    .map(|()| "活动记录已保存".to_string())
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
        let conn = cx.store.conn();
        audit::exported(conn, cx.store.actor(), &format!("activity#{activity_id} 名单"), &path)?;
        let roster = recruitment::roster(conn, activity_id)?;
        if sign_in_sheet {
            crate::io::roster::write_sign_in_sheet(&path, activity, &roster)?;
        } else {
            crate::io::roster::write_activity_roster(&path, activity, &roster)?;
        }
        Ok(format!("已保存到 {}", path.display()))
    }
}

fn add_photo(cx: &TabContext<'_>, activity_id: i64) -> Result<String> {
    let Some(path) = cx.dialogs.open_photo() else {
        return Ok(s::CANCELLED.to_string());
    };
    let bytes = std::fs::read(&path)?;
    if image::guess_format(&bytes).is_err() {
        return Err(Error::rejected("这个文件不是可识别的照片（支持 JPEG、PNG）"));
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    activities::add_photo(cx.store.conn(), activity_id, &name, &bytes)?;
    Ok(format!("已添加照片 {name}"))
}
