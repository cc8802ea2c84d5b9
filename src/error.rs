//! The library's error: every message is Chinese and fit to show to the user as it is.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("“{0}”不是本程序的数据库文件（也不是 SQLite 数据库），未做任何改动。")]
    NotADatabase(PathBuf),

    #[error(
        "数据库“{path}”由较新版本的程序创建（数据版本 {found}，本程序支持到 {supported}），\
         为保护数据未做任何改动。请升级程序后再打开。"
    )]
    NewerSchema { path: PathBuf, found: i64, supported: i64 },

    /// A rule of the domain refused the change; the text says which and why.
    #[error("{0}")]
    Rejected(String),

    /// The account's role does not allow this; nothing was changed.
    #[error("{0}")]
    Forbidden(String),

    #[error("文件读写失败：{0}")]
    Io(#[from] std::io::Error),

    #[error("{}", describe_sqlite(.0))]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for Error {
    /// A statement the authorizer refused becomes a permission error saying why.
    fn from(err: rusqlite::Error) -> Self {
        if err.sqlite_error_code() == Some(rusqlite::ErrorCode::AuthorizationForStatementDenied) {
            let why = crate::store::guard::last_denial()
                .unwrap_or_else(|| "当前账号无权进行此操作，未做任何改动。".to_string());
            return Error::Forbidden(why);
        }
        Error::Sqlite(err)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn rejected(message: impl Into<String>) -> Self {
        Error::Rejected(message.into())
    }
}

/// Turns SQLite's English into a sentence for the user. Triggers raise Chinese messages and
/// CHECK constraints carry Chinese names, so most refusals read well as they are.
fn describe_sqlite(err: &rusqlite::Error) -> String {
    let text = err.to_string();
    if let Some(name) = text.strip_prefix("CHECK constraint failed: ") {
        return name.to_string();
    }
    if let Some(columns) = text.strip_prefix("UNIQUE constraint failed: ") {
        return format!("已存在相同的记录（{}），未保存。", column_label(columns));
    }
    if text.starts_with("FOREIGN KEY constraint failed") {
        return "引用的记录不存在或仍被其他记录引用，未保存。".to_string();
    }
    if text.contains("database is locked") || text.contains("database is busy") {
        return "数据库正被另一个窗口或程序占用，请稍后再试。".to_string();
    }
    if text.contains("not a database") {
        return "文件不是有效的数据库。".to_string();
    }
    match err {
        rusqlite::Error::SqliteFailure(_, Some(msg)) if !msg.is_ascii() => msg.clone(),
        _ => format!("数据库错误：{text}"),
    }
}

fn column_label(columns: &str) -> &str {
    match columns {
        "unit.name" => "单位名称",
        "team.code" => "队伍编号",
        "team.kind" => "总队只能有一个",
        "volunteer.code" => "志愿者编号",
        "volunteer.id_number" => "身份证号",
        "activity.code" => "活动编号",
        "credit_session.volunteer_id" => "同一志愿者只能有一个未签退的签到",
        other => other,
    }
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
}
