//! The library's error: every message is Chinese and fit to show to the user as it is, naming
//! the file at fault and what to do. SQLite's errors are turned into these by the store
//! (`store::errors`); this module knows nothing of the store.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("“{}”不是本程序的数据库文件（也不是 SQLite 数据库），未做任何改动。", .0.display())]
    NotADatabase(PathBuf),

    /// A command that only reads was pointed at a file that is not there; nothing was made.
    #[error("数据库文件不存在：{}", .0.display())]
    Missing(PathBuf),

    #[error(
        "数据库“{path}”由较新版本的程序创建（数据版本 {found}，本程序支持到 {supported}），\
         为保护数据未做任何改动。请升级程序后再打开。",
        path = .path.display()
    )]
    NewerSchema { path: PathBuf, found: i64, supported: i64 },

    /// The database file could not be used as asked: busy, read-only, full, damaged, …
    /// `path` is filled in by whoever knows which file it was ([`Error::in_database`]).
    #[error("{}", problem.sentence(path.as_deref()))]
    Database { path: Option<PathBuf>, problem: DbProblem },

    /// An output that would destroy data: the database, its companions, a backup.
    #[error("不能写入“{}”：{why}。该文件未做任何改动，请另选文件名或位置。", path.display())]
    Protected { path: PathBuf, why: &'static str },

    /// A rule of the domain refused the change; the text says which and why.
    #[error("{0}")]
    Rejected(String),

    /// The account's role does not allow this; nothing was changed.
    #[error("{0}")]
    Forbidden(String),

    /// Reading or writing a known file failed.
    #[error("{}", describe_file(path, source))]
    File { path: PathBuf, source: std::io::Error },

    #[error("文件读写失败：{}", describe_kind(.0))]
    Io(#[from] std::io::Error),

    /// Any other SQLite error, already put into words by the store.
    #[error("{message}")]
    Sqlite { message: String, source: rusqlite::Error },
}

/// What is wrong with a database file, independent of which file it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DbProblem {
    /// Another window or program held it for longer than the store waits.
    Busy,
    /// The file or its folder may not be written.
    ReadOnly,
    /// The disk is full or the file reached the size the system allows.
    Full,
    /// Pages are damaged or missing; the text says what was found.
    Damaged(String),
    /// SQLite could not open it (missing folder, no access).
    CannotOpen,
    /// The system refused access.
    Permission,
    /// A read or write failed below SQLite.
    Io(String),
}

impl DbProblem {
    /// The sentence for the user: what happened to which file, that nothing was changed, and
    /// what to do.
    pub fn sentence(&self, path: Option<&Path>) -> String {
        let file = path.map_or_else(|| "数据库".to_string(), |p| format!("数据库“{}”", p.display()));
        match self {
            DbProblem::Busy => format!(
                "{file}正被另一个窗口或程序占用，等待 10 秒后仍未释放，未做任何改动。\
                 请关闭其他正在使用它的窗口或程序，稍后再试。"
            ),
            DbProblem::ReadOnly => format!(
                "{file}是只读的（文件或其所在文件夹不允许写入，例如光盘、只读共享或权限不足），\
                 未做任何改动。查看、统计、导出和备份仍可进行；要修改数据，请把它复制到可写的文件夹，\
                 或请管理员开放写权限。"
            ),
            DbProblem::Full => format!(
                "磁盘空间已满（或文件已达到系统允许的大小），{file}的改动未能写入，已全部撤销。\
                 请腾出磁盘空间后再试。"
            ),
            DbProblem::Damaged(detail) => format!(
                "数据库文件已损坏：{file}（{detail}）。为免损坏扩大，未做任何改动。\
                 请运行“volunteer-desk check”查看详情，并用“备份”文件夹中最近一份完好的备份恢复。"
            ),
            DbProblem::CannotOpen => format!(
                "无法打开{file}：文件或其所在文件夹不存在、无法访问，或文件夹不允许写入。\
                 请检查路径和权限；只读的位置请先把文件复制到可写的文件夹。"
            ),
            DbProblem::Permission => format!("没有权限访问{file}，未做任何改动。请检查文件及其文件夹的权限。"),
            DbProblem::Io(detail) => format!(
                "读写{file}时出错（{detail}），改动已撤销。可能是磁盘已满、超出文件大小限制、\
                 磁盘或网络共享故障：请腾出空间、检查磁盘后再试，并运行“volunteer-desk check”检查文件。"
            ),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn rejected(message: impl Into<String>) -> Self {
        Error::Rejected(message.into())
    }

    /// A failed read or write of `path`.
    pub fn file(path: &Path, source: std::io::Error) -> Self {
        Error::File { path: path.to_path_buf(), source }
    }

    /// A database damaged in the way `detail` says.
    pub fn damaged(path: &Path, detail: impl Into<String>) -> Self {
        Error::Database { path: Some(path.to_path_buf()), problem: DbProblem::Damaged(detail.into()) }
    }

    /// Names `path` as the database in a message that did not know the file.
    pub fn in_database(self, path: &Path) -> Self {
        match self {
            Error::Database { path: None, problem } => Error::Database { path: Some(path.to_path_buf()), problem },
            other => other,
        }
    }

    /// What is wrong with the database, if the error is about the file rather than the data.
    pub fn problem(&self) -> Option<&DbProblem> {
        match self {
            Error::Database { problem, .. } => Some(problem),
            _ => None,
        }
    }
}

/// An I/O failure of a named file, said plainly.
fn describe_file(path: &Path, err: &std::io::Error) -> String {
    let file = path.display();
    match err.kind() {
        ErrorKind::NotFound => format!("找不到“{file}”或其所在的文件夹。请检查路径是否正确。"),
        ErrorKind::PermissionDenied => {
            format!("没有权限读写“{file}”。请检查文件及其文件夹的权限，或另选一个可写的位置。")
        }
        ErrorKind::ReadOnlyFilesystem => {
            format!("“{file}”所在的磁盘或文件夹是只读的，无法写入。请另选一个可写的位置。")
        }
        ErrorKind::IsADirectory => format!("“{file}”是一个文件夹，不是文件。请在文件夹内指定文件名。"),
        ErrorKind::NotADirectory => format!("“{file}”的路径中有一部分不是文件夹。请检查路径是否正确。"),
        ErrorKind::StorageFull | ErrorKind::FileTooLarge | ErrorKind::QuotaExceeded => {
            format!("磁盘空间已满（或文件超出了系统允许的大小），“{file}”未能写入，原有文件未改动。请腾出空间后再试。")
        }
        ErrorKind::AlreadyExists => format!("“{file}”已存在，未覆盖。请换一个文件名。"),
        _ => format!("读写“{file}”失败：{}。请检查磁盘和路径后再试。", describe_kind(err)),
    }
}

/// An I/O failure whose file is not known: the kind in Chinese, the system's words after it.
fn describe_kind(err: &std::io::Error) -> String {
    let what = match err.kind() {
        ErrorKind::NotFound => "文件或文件夹不存在",
        ErrorKind::PermissionDenied => "没有权限",
        ErrorKind::ReadOnlyFilesystem => "磁盘或文件夹是只读的",
        ErrorKind::IsADirectory => "这是一个文件夹，不是文件",
        ErrorKind::StorageFull | ErrorKind::FileTooLarge | ErrorKind::QuotaExceeded => "磁盘空间已满或文件过大",
        ErrorKind::AlreadyExists => "文件已存在",
        ErrorKind::UnexpectedEof | ErrorKind::InvalidData => "文件内容不完整或已损坏",
        _ => return format!("系统错误（{err}）"),
    };
    what.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_error_names_the_file_in_chinese() {
        let full = Error::file(Path::new("/media/u/考核.xlsx"), std::io::Error::from_raw_os_error(27));
        let text = full.to_string();
        assert!(text.contains("“/media/u/考核.xlsx”") && text.contains("磁盘空间已满"), "{text}");
        let folder = Error::file(Path::new("/tmp"), std::io::Error::from(ErrorKind::IsADirectory));
        assert!(folder.to_string().contains("是一个文件夹"), "{folder}");
    }

    #[test]
    fn a_database_problem_gets_its_file_once_known() {
        let err = Error::Database { path: None, problem: DbProblem::Busy }.in_database(Path::new("a.sqlite3"));
        assert!(err.to_string().starts_with("数据库“a.sqlite3”正被另一个窗口或程序占用"), "{err}");
    }
}
