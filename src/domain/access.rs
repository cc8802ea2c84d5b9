//! Who may do what: the roles of issue #6 and every permission, decided in this one place.
//!
//! The store enforces these rules twice over: service functions call [`require`] for actions
//! that are not a plain row change (revealing an ID, running a round), and a SQLite authorizer
//! asks [`may_write`] / [`may_read`] for every table a statement touches, so no path — window,
//! command line, import — can write or read past an account's role.

use crate::error::{Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// 管理员: everything.
    Admin,
    /// 录入员: data entry — registry, activities, the sign-in desk.
    Clerk,
    /// 评委: an initial-round judge; the ballot screen only.
    Judge,
    /// 专家: a final-round expert; the scoring screen only.
    Expert,
    /// 监督: the 纪检 supervisor; reads everything, the audit log included, writes nothing.
    Supervisor,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::Clerk, Role::Judge, Role::Expert, Role::Supervisor];

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Clerk => "录入员",
            Role::Judge => "评委",
            Role::Expert => "专家",
            Role::Supervisor => "监督",
        }
    }

    pub fn from_label(label: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.label() == label)
    }

    /// Judges and experts work on the contest alone and must not see the registry or hours.
    pub fn is_contest_only(self) -> bool {
        matches!(self, Role::Judge | Role::Expert)
    }
}

/// An action that is more than a row change, or that the window offers as a whole screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Registry, activities, the sign-in desk, imports of those.
    EnterData,
    /// Honour hours, corrections, resolving open sessions.
    GrantHonor,
    /// Seeing a whole 身份证号 or phone number.
    RevealIdentity,
    /// Writing data out of the program (rosters, reports, backups).
    Export,
    /// Accounts, restore, settings of the program.
    Administer,
    /// Reading the audit log.
    ReadAudit,
    /// Round transitions, tally, shortlist, awards, publicity, judges, paper ballots.
    RunContestRounds,
    /// Entering works and deciding 查重 pairs.
    ManageContestWorks,
    /// Filling in one's own initial-round ballot.
    CastBallot,
    /// Scoring the shortlisted works in the final round.
    ScoreFinal,
    /// Looking at the registry, calendar, hours and reports.
    ReadRecords,
}

impl Action {
    fn label(self) -> &'static str {
        match self {
            Action::EnterData => "录入和修改数据",
            Action::GrantHonor => "授予或更正荣誉时数",
            Action::RevealIdentity => "查看完整证件号和手机号",
            Action::Export => "导出数据",
            Action::Administer => "管理账号、恢复备份",
            Action::ReadAudit => "查看操作日志",
            Action::RunContestRounds => "组织评选轮次",
            Action::ManageContestWorks => "管理参评作品",
            Action::CastBallot => "投初评票",
            Action::ScoreFinal => "终审评分",
            Action::ReadRecords => "查看队伍、活动和时数",
        }
    }
}

pub fn allows(role: Role, action: Action) -> bool {
    use Action::*;
    match role {
        Role::Admin => !matches!(action, CastBallot | ScoreFinal),
        Role::Clerk => matches!(action, EnterData | ManageContestWorks | ReadRecords | Export),
        Role::Judge => action == CastBallot,
        Role::Expert => action == ScoreFinal,
        Role::Supervisor => matches!(action, ReadAudit | ReadRecords | Export),
    }
}

/// Refuses, in words the user understands, an action the role does not allow.
pub fn require(role: Role, action: Action) -> Result<()> {
    if allows(role, action) { Ok(()) } else { Err(forbidden(role, action.label())) }
}

pub fn forbidden(role: Role, what: &str) -> Error {
    Error::Forbidden(format!("{}账号无权{what}，未做任何改动。", role.label()))
}

/// Tables whose rows are honour hours and their corrections: the administrator's alone.
const HONOR_TABLES: &[&str] = &["honor_grant", "credit_correction", "session_resolution"];
/// Tables only the administrator changes: accounts and the contest's organisation.
const ADMIN_TABLES: &[&str] = &["account", "report_settings", "desk_settings", "field_key", "ballot_seal_key"];
/// Written by triggers on behalf of every role; the chain itself guards them.
const AUDIT_TABLES: &[&str] = &["audit_log"];
/// The log-in guard's failures and locks: written by every log-in, whoever is at the desk
/// (even a window that only reads: the count must hold there too).
pub const LOGIN_GUARD_TABLES: &[&str] = &["login_failure", "login_lock"];

/// May `role` insert, update or delete rows of `table`?
pub fn may_write(role: Role, table: &str) -> bool {
    if AUDIT_TABLES.contains(&table) || LOGIN_GUARD_TABLES.contains(&table) {
        return true;
    }
    match role {
        Role::Admin => true,
        Role::Clerk => {
            !HONOR_TABLES.contains(&table)
                && !ADMIN_TABLES.contains(&table)
                && (!table.starts_with("contest_") || matches!(table, "contest_work" | "contest_screening"))
        }
        Role::Judge => matches!(table, "contest_ballot" | "contest_vote"),
        Role::Expert => table == "contest_score",
        Role::Supervisor => false,
    }
}

/// What reading a column gives a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Read {
    Allowed,
    /// The column reads as NULL: a judge never learns who wrote a work.
    Hidden,
    Denied,
}

pub fn may_read(role: Role, table: &str, column: &str) -> Read {
    if !role.is_contest_only() {
        return Read::Allowed;
    }
    match table {
        "contest_work" if matches!(column, "author" | "author_phone" | "author_phone_sealed") => Read::Hidden,
        "account" | "login_failure" | "login_lock" => Read::Allowed,
        t if t.starts_with("contest_") => Read::Allowed,
        // SQLite's own catalogue, read when statements are prepared.
        t if t.starts_with("sqlite_") => Read::Allowed,
        _ => Read::Denied,
    }
}

/// The Chinese name of a table, for permission messages.
pub fn table_label(table: &str) -> &str {
    match table {
        "unit" => "单位",
        "team" | "team_membership" => "服务队",
        "volunteer" | "volunteer_sealed" => "志愿者",
        "activity" | "service_category" | "signup" | "activity_record" | "activity_photo" => "活动",
        "credit_session" => "签到记录",
        "honor_grant" | "session_resolution" => "荣誉时数",
        "credit_correction" => "时数更正",
        "account" => "账号",
        "field_key" => "数据密钥",
        "ballot_seal_key" => "选票封签密钥",
        "database_identity" => "数据库标识",
        "login_failure" | "login_lock" => "登录锁定",
        "desk_settings" => "签到设置",
        "audit_log" => "操作日志",
        t if t.starts_with("contest_") => "家风家训评选",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_label(role.label()), Some(role));
        }
        assert_eq!(Role::from_label("游客"), None);
    }

    #[test]
    fn clerk_enters_data_but_grants_nothing() {
        assert!(may_write(Role::Clerk, "volunteer"));
        assert!(may_write(Role::Clerk, "credit_session"));
        assert!(!may_write(Role::Clerk, "honor_grant"));
        assert!(!may_write(Role::Clerk, "account"));
        assert!(!may_write(Role::Clerk, "contest_round"));
        assert!(require(Role::Clerk, Action::GrantHonor).is_err());
        assert!(require(Role::Clerk, Action::RevealIdentity).is_err());
    }

    #[test]
    fn judges_see_works_without_their_authors() {
        assert_eq!(may_read(Role::Judge, "contest_work", "content"), Read::Allowed);
        assert_eq!(may_read(Role::Judge, "contest_work", "author"), Read::Hidden);
        assert_eq!(may_read(Role::Judge, "volunteer", "name"), Read::Denied);
        assert_eq!(may_read(Role::Admin, "volunteer", "name"), Read::Allowed);
        assert!(may_write(Role::Judge, "contest_vote"));
        assert!(!may_write(Role::Judge, "contest_work"));
    }

    #[test]
    fn supervisor_reads_and_never_writes() {
        assert!(!may_write(Role::Supervisor, "volunteer"));
        assert!(may_write(Role::Supervisor, "audit_log"));
        assert!(require(Role::Supervisor, Action::ReadAudit).is_ok());
        assert!(require(Role::Supervisor, Action::Administer).is_err());
        assert!(require(Role::Judge, Action::Export).is_err());
    }
}
