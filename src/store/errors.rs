//! SQLite's errors in the user's words: a refusal by the authorizer becomes a permission
//! error saying why, a busy, read-only, full or damaged file a [`DbProblem`], and a refused
//! constraint the Chinese name it carries.

use rusqlite::ErrorCode;

use super::guard;
use crate::error::{DbProblem, Error};

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Self {
        if err.sqlite_error_code() == Some(ErrorCode::AuthorizationForStatementDenied) {
            let why = guard::last_denial().unwrap_or_else(|| "当前账号无权进行此操作，未做任何改动。".to_string());
            return Error::Forbidden(why);
        }
        if let Some(problem) = problem_of(&err) {
            return Error::Database { path: None, problem };
        }
        Error::Sqlite { message: describe_sqlite(&err), source: err }
    }
}

/// What is wrong with the file, when the error is about the file rather than the data.
pub fn problem_of(err: &rusqlite::Error) -> Option<DbProblem> {
    let rusqlite::Error::SqliteFailure(failure, message) = err else { return None };
    let detail = || message.clone().unwrap_or_else(|| failure.to_string());
    Some(match failure.code {
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => DbProblem::Busy,
        ErrorCode::ReadOnly => DbProblem::ReadOnly,
        ErrorCode::DiskFull => DbProblem::Full,
        ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => DbProblem::Damaged(damage_detail(&detail())),
        ErrorCode::CannotOpen => DbProblem::CannotOpen,
        ErrorCode::PermissionDenied => DbProblem::Permission,
        ErrorCode::SystemIoFailure => DbProblem::Io(io_detail(failure.extended_code)),
        _ => return None,
    })
}

/// SQLite's words for damage, said in Chinese.
fn damage_detail(text: &str) -> String {
    if text.contains("malformed") || text.contains("corrupt") {
        "文件中的数据页已损坏".to_string()
    } else if text.contains("not a database") {
        "文件头或数据页已损坏，无法识别".to_string()
    } else {
        format!("SQLite 报告：{text}")
    }
}

/// Which read or write failed, from SQLite's extended code (sqlite3.h, SQLITE_IOERR_*).
fn io_detail(extended: std::ffi::c_int) -> String {
    let what = match extended >> 8 {
        1 => "读取失败",
        2 => "读取到的内容不完整，文件可能被截短",
        3 => "写入失败",
        4 | 24 => "同步到磁盘失败",
        6 => "调整文件大小失败",
        10 => "删除日志文件失败",
        _ => "磁盘读写失败",
    };
    format!("{what}，错误码 {extended}")
}

/// Turns SQLite's English into a sentence for the user. Triggers raise Chinese messages and
/// CHECK constraints carry Chinese names, so most refusals read well as they are.
fn describe_sqlite(err: &rusqlite::Error) -> String {
    let text = err.to_string();
    if let Some(name) = text.strip_prefix("CHECK constraint failed: ") {
        return name.to_string();
    }
    if let Some(columns) = text.strip_prefix("UNIQUE constraint failed: ") {
        return match column_label(columns) {
            Some(label) => format!("已存在相同的记录（{label}），未保存。"),
            None => "已存在相同的记录，未保存。".to_string(),
        };
    }
    if text.starts_with("FOREIGN KEY constraint failed") {
        return "引用的记录不存在或仍被其他记录引用，未保存。".to_string();
    }
    match err {
        rusqlite::Error::SqliteFailure(_, Some(msg)) if !msg.is_ascii() => msg.clone(),
        _ => format!("数据库错误，未保存：{text}"),
    }
}

/// The Chinese name of a unique key; none for a key not listed (its table and column names
/// are English and would only puzzle the user).
fn column_label(columns: &str) -> Option<&'static str> {
    Some(match columns {
        "unit.name" => "单位名称",
        "team.code" => "队伍编号",
        "team.kind" => "总队只能有一个",
        "volunteer.code" => "志愿者编号",
        "volunteer_sealed.id_index" => "身份证号",
        "activity.code" => "活动编号",
        "credit_session.volunteer_id" => "同一志愿者只能有一个未签退的签到",
        "contest_judge.role, contest_judge.name" => "同一角色的评委姓名",
        "contest_work.code" => "作品编号",
        "account.login" => "登录名",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raised_messages_pass_through() {
        let conn = rusqlite::Connection::open_in_memory().expect("memory db");
        conn.execute_batch(
            "CREATE TABLE t(x);
             CREATE TRIGGER t_refuse BEFORE INSERT ON t BEGIN SELECT RAISE(ABORT, '签退时间早于签到时间'); END;",
        )
        .expect("schema");
        let err = conn.execute("INSERT INTO t VALUES (1)", []).unwrap_err();
        assert_eq!(Error::from(err).to_string(), "签退时间早于签到时间");
    }

    #[test]
    fn file_problems_are_told_apart() {
        let failure = |code: std::ffi::c_int| rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None);
        assert_eq!(problem_of(&failure(rusqlite::ffi::SQLITE_BUSY)), Some(DbProblem::Busy));
        assert_eq!(problem_of(&failure(rusqlite::ffi::SQLITE_READONLY)), Some(DbProblem::ReadOnly));
        assert_eq!(problem_of(&failure(rusqlite::ffi::SQLITE_FULL)), Some(DbProblem::Full));
        assert!(matches!(problem_of(&failure(rusqlite::ffi::SQLITE_CORRUPT)), Some(DbProblem::Damaged(_))));
        assert_eq!(problem_of(&failure(rusqlite::ffi::SQLITE_CONSTRAINT)), None);
        let text = Error::from(failure(rusqlite::ffi::SQLITE_READONLY)).to_string();
        assert!(text.contains("只读") && text.is_char_boundary(0), "{text}");
        assert!(!text.contains("readonly"), "{text}");
    }
}
