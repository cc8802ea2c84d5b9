//! File dialogs behind a trait: the window uses native ones (rfd), tests answer with paths
//! of their own and never open a real dialog.

use std::path::PathBuf;

pub trait FileDialogs {
    /// Asks for an Excel workbook to read.
    fn open_workbook(&self) -> Option<PathBuf>;
    /// Asks where to save a workbook, suggesting `file_name`.
    fn save_workbook(&self, file_name: &str) -> Option<PathBuf>;
    /// Asks for a photo (JPEG or PNG).
    fn open_photo(&self) -> Option<PathBuf>;
    /// Asks where to save a backup of the database.
    fn save_database(&self, _file_name: &str) -> Option<PathBuf> {
        None
    }
    /// Asks for a backup to restore.
    fn open_database(&self) -> Option<PathBuf> {
        None
    }
}

/// The platform's own dialogs. They block, so the app calls them from its command handler,
/// between frames.
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn open_workbook(&self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("选择要导入的 Excel 文件")
            .add_filter("Excel 工作簿", &["xlsx", "xls", "ods"])
            .pick_file()
    }

    fn save_workbook(&self, file_name: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("保存 Excel 文件")
            .set_file_name(file_name)
            .add_filter("Excel 工作簿", &["xlsx"])
            .save_file()
    }

    fn open_photo(&self) -> Option<PathBuf> {
        rfd::FileDialog::new().set_title("选择活动照片").add_filter("照片", &["jpg", "jpeg", "png"]).pick_file()
    }

    fn save_database(&self, file_name: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("保存数据库备份")
            .set_file_name(file_name)
            .add_filter("数据库备份", &["sqlite3"])
            .save_file()
    }

    fn open_database(&self) -> Option<PathBuf> {
        rfd::FileDialog::new().set_title("选择要恢复的备份").add_filter("数据库备份", &["sqlite3", "db"]).pick_file()
    }
}
