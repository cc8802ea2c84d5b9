//! What anyone in the window asks the app (after Rerun's `SystemCommand`): the bars, the gate,
//! the first-day steps and the tabs queue an [`AppCommand`]; the app routes it in one place
//! (`app/route.rs`). A command for a tab moves to it and hands it over (`TabScreen::asked`),
//! so nothing outside a tab reaches into its screen.

use super::session::GateCommand;
use super::settings::TextSize;
use super::tab::Tab;
use crate::store::backups::SoundBackup;

#[derive(Clone, Debug, PartialEq)]
pub enum AppCommand {
    /// Move to a tab as it stands.
    ShowTab(Tab),
    /// 日历 on a month.
    ShowMonth {
        year: i32,
        month: u32,
    },
    /// 日历's form for a new activity, a week ahead.
    NewActivity,
    /// 队伍's forms.
    NewUnit,
    NewCorps,
    NewVolunteer,
    /// 队伍 writes the import template (without moving there).
    WriteTemplate,
    /// 系统 → 数据密钥 makes a 恢复码 (a banner or the login prompt asked).
    MakeRecoveryCode,
    /// 系统 → 数据密钥's form that takes a 恢复码 (the no-key banner asked).
    EnterRecoveryCode,
    /// The import dialog (队伍, 家风家训 and the first-day steps share it).
    Import,
    LoadDemo,
    SetTextSize(TextSize),
    Gate(GateCommand),
    SwitchUser,
    Lock,
    RetryWriteAccess,
    RestoreBackup(SoundBackup),
}

impl AppCommand {
    /// The tab the command is for, and whether the window moves there to carry it out.
    pub fn tab(&self) -> Option<(Tab, bool)> {
        match self {
            AppCommand::ShowTab(tab) => Some((*tab, true)),
            AppCommand::ShowMonth { .. } | AppCommand::NewActivity => Some((Tab::Calendar, true)),
            AppCommand::NewUnit | AppCommand::NewCorps | AppCommand::NewVolunteer => Some((Tab::Registry, true)),
            AppCommand::WriteTemplate => Some((Tab::Registry, false)),
            AppCommand::MakeRecoveryCode | AppCommand::EnterRecoveryCode => Some((Tab::System, true)),
            _ => None,
        }
    }
}
