//! An activity through its life in the 日历 tab: the state it is in, the questions asked before
//! a change reaches those signed up (a new time or place, a cancellation), and the notices to
//! send them afterwards.

use chrono::NaiveDateTime;

use super::{CalendarCommand, CalendarTab};
use crate::domain::activity_life::{ActivityState, Recipient};
use crate::domain::{format_minute, limits};
use crate::store::activities::{ActivityRow, NewActivity};
use crate::store::recruitment::{RosterEntry, SignupStatus};
use crate::ui::strings as s;
use crate::ui::widgets::{Confirm, WriteUi as _, error_ui, show_dialog};

/// A notice ready to send, shown until closed: its text and whom to send it to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub title: &'static str,
    pub text: String,
    pub people: Vec<String>,
}

impl Notice {
    pub fn new(title: &'static str, text: String, people: &[Recipient]) -> Self {
        Notice { title, text, people: people.iter().map(Recipient::told).collect() }
    }
}

/// Those a change concerns: everyone holding a place or waiting for one.
pub fn recipients(roster: &[RosterEntry]) -> Vec<Recipient> {
    roster.iter().filter(|e| e.status != SignupStatus::Withdrawn).map(recipient).collect()
}

pub fn recipient(entry: &RosterEntry) -> Recipient {
    Recipient { name: entry.name.clone(), phone_masked: entry.phone_masked.clone() }
}

/// The state as the list and the detail show it; a cancellation with its reason.
pub fn status_label(a: &ActivityRow, now: NaiveDateTime) -> String {
    match a.state(now) {
        Some(ActivityState::Cancelled) => format!("已取消（{}）", a.cancel_reason.as_deref().unwrap_or("")),
        Some(state) => state.label().to_string(),
        None => String::new(),
    }
}

/// The edit moves the time or the place of an activity someone signed up for.
pub fn concerns_signed_up(before: &ActivityRow, after: &NewActivity) -> bool {
    before.confirmed + before.waiting > 0
        && (before.starts_at != format_minute(after.starts_at)
            || before.ends_at != format_minute(after.ends_at)
            || before.place.trim() != after.place.trim())
}

fn told_list(people: &[Recipient]) -> String {
    people.iter().map(Recipient::told).collect::<Vec<_>>().join("、")
}

impl CalendarTab {
    /// The people signed up for the open activity, as read with its detail.
    fn open_recipients(&self) -> Vec<Recipient> {
        self.detail.get().map(|d| recipients(&d.roster)).unwrap_or_default()
    }

    /// Asks before a new time or place reaches those signed up, naming them.
    pub(super) fn confirm_change_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<CalendarCommand>) {
        let Some(save) = &self.pending_change else { return };
        let people = self.open_recipients();
        let question =
            format!("已报名的 {} 人：{}。\n保存后会给出一份变更通知，请发给他们。", people.len(), told_list(&people));
        if Confirm::new(s::CHANGE_TIME_OR_PLACE, question, s::CONFIRM_CHANGE, save.clone()).show(ctx, commands) {
            self.pending_change = None;
        }
    }

    /// 取消活动 asks for the reason in the dialog itself and refuses an empty one there.
    pub(super) fn cancel_dialog_ui(
        &mut self,
        ctx: &egui::Context,
        a: &ActivityRow,
        commands: &mut Vec<CalendarCommand>,
    ) {
        if self.cancelling != Some(a.id) {
            return;
        }
        let people = self.open_recipients();
        let told = if people.is_empty() {
            "还没有人报名。".to_string()
        } else {
            format!("已报名的 {} 人会收到取消通知：{}。", people.len(), told_list(&people))
        };
        let question = format!("取消活动“{}”？活动和已有记录保留，不再接受报名和签到。{told}", a.name);
        let (reason, error) = (&mut self.cancel_reason, self.cancel_error.as_deref());
        let (answer, closed) = show_dialog(ctx, s::CANCEL_ACTIVITY, |ui| {
            ui.label(question);
            let label = ui.label(s::CANCEL_REASON);
            ui.add(
                egui::TextEdit::multiline(reason)
                    .char_limit(limits::FREE_TEXT)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
            error_ui(ui, error);
            ui.horizontal(|ui| {
                if ui.write_button(s::CONFIRM_CANCEL_ACTIVITY).clicked() {
                    Some(true)
                } else if ui.button(s::CANCEL).clicked() {
                    Some(false)
                } else {
                    None
                }
            })
            .inner
        });
        match answer.or(closed.then_some(false)) {
            Some(true) if self.cancel_reason.trim().is_empty() => {
                self.cancel_error = Some(s::CANCEL_REASON_MISSING.to_string());
            }
            Some(true) => {
                commands.push(CalendarCommand::Cancel { id: a.id, reason: self.cancel_reason.trim().to_string() });
                self.cancelling = None;
            }
            Some(false) => self.cancelling = None,
            None => {}
        }
    }

    /// A notice ready to send, with 复制 (the clipboard, for a WeChat group) and 关闭.
    pub(super) fn notice_ui(&mut self, ctx: &egui::Context) {
        let Some(notice) = &self.notice else { return };
        let (close, closed) = show_dialog(ctx, notice.title, |ui| {
            ui.label(&notice.text);
            if !notice.people.is_empty() {
                ui.separator();
                ui.label(format!("{}：{}", s::PEOPLE_TO_TELL, notice.people.join("、")));
            }
            ui.horizontal(|ui| {
                if ui.button(s::COPY_NOTICE).on_hover_text(s::NOTICE_COPIED).clicked() {
                    ui.ctx().copy_text(notice.text.clone());
                }
                ui.button(s::CLOSE).clicked()
            })
            .inner
        });
        if close || closed {
            self.notice = None;
        }
    }
}
