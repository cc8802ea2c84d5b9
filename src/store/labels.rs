//! Enums stored in SQLite as their Chinese label, read back through one conversion that fails
//! loudly: a label this program does not know is an error naming it, never a default.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ValueRef};

use crate::domain::access::Role;
use crate::domain::contest::{Category, PairKind, RoundState, TransitionKind};
use crate::domain::{ServiceMode, TeamKind};
use crate::store::contest::judges::JudgeRole;
use crate::store::contest::publicity::Ruling;
use crate::store::contest::rounds::RoundKind;
use crate::store::contest::screening::Decision;
use crate::store::contest::tally::ShortlistSource;
use crate::store::contest::works::WorkStatus;
use crate::store::recruitment::SignupStatus;

/// The error of a stored label nobody knows, with what it should have been.
fn unknown(what: &str, label: &str) -> FromSqlError {
    FromSqlError::Other(format!("数据库中的{what}“{label}”无法识别，数据可能已损坏").into())
}

macro_rules! stored_as_label {
    ($($ty:ty => $what:literal),* $(,)?) => {$(
        impl FromSql for $ty {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let label = value.as_str()?;
                <$ty>::from_label(label).ok_or_else(|| unknown($what, label))
            }
        }
    )*};
}

stored_as_label! {
    Role => "账号角色",
    TeamKind => "队伍类型",
    ServiceMode => "服务方式",
    SignupStatus => "报名状态",
    Category => "评选类别",
    RoundState => "评选阶段",
    TransitionKind => "阶段变更类型",
    RoundKind => "轮次类型",
    WorkStatus => "作品状态",
    PairKind => "查重类型",
    Decision => "查重结论",
    ShortlistSource => "入围来源",
    Ruling => "异议处理结论",
    JudgeRole => "评委类型",
}
