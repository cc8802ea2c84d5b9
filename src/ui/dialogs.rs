//! File dialogs behind a trait: the window uses native ones (rfd), tests answer with paths
//! of their own and never open a real dialog. Where no native dialog can open (a Linux desktop
//! with neither an xdg-desktop-portal nor zenity), the window asks for the path itself
//! ([`PathDialog`]) instead of taking the silence for a cancel.

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::strings as s;
use super::widgets::show_dialog;

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
    /// Asks where to save a text file to print (the 恢复码 sheet), suggesting `file_name`.
    fn save_text(&self, _file_name: &str) -> Option<PathBuf> {
        None
    }
    /// Whether a dialog can open at all; when not, the window asks for the path itself.
    fn can_open(&self) -> bool {
        true
    }
    /// Whether the last dialog that returned nothing failed to open, rather than being
    /// cancelled by the user.
    fn failed_to_open(&self) -> bool {
        false
    }
}

/// Nobody cancels a dialog this fast: a native dialog that returns nothing sooner never opened
/// (rfd falls back from the portal to zenity and, failing both, only logs it). Measured with
/// rfd 0.17 here: no bus and no zenity, 10 ms; zenity without a display, 200–560 ms.
const OPENED_AT_LEAST: Duration = Duration::from_secs(1);

/// The platform's own dialogs. They block, so the app calls them from its command handler,
/// between frames.
#[derive(Default)]
pub struct NativeDialogs {
    failed_to_open: Cell<bool>,
}

impl NativeDialogs {
    /// Runs a dialog, noting whether it came back empty too soon to have been shown.
    fn shown(&self, dialog: impl FnOnce() -> Option<PathBuf>) -> Option<PathBuf> {
        let start = Instant::now();
        let chosen = dialog();
        self.failed_to_open.set(chosen.is_none() && start.elapsed() < OPENED_AT_LEAST);
        chosen
    }
}

impl FileDialogs for NativeDialogs {
    fn open_workbook(&self) -> Option<PathBuf> {
        self.shown(|| {
            rfd::FileDialog::new()
                .set_title("选择要导入的 Excel 文件")
                .add_filter("Excel 工作簿", &["xlsx"])
                .pick_file()
        })
    }

    fn save_workbook(&self, file_name: &str) -> Option<PathBuf> {
        self.shown(|| {
            rfd::FileDialog::new()
                .set_title("保存 Excel 文件")
                .set_file_name(file_name)
                .add_filter("Excel 工作簿", &["xlsx"])
                .save_file()
        })
    }

    fn open_photo(&self) -> Option<PathBuf> {
        self.shown(|| {
            rfd::FileDialog::new().set_title("选择活动照片").add_filter("照片", &["jpg", "jpeg", "png"]).pick_file()
        })
    }

    fn save_database(&self, file_name: &str) -> Option<PathBuf> {
        self.shown(|| {
            rfd::FileDialog::new()
                .set_title("保存数据库备份")
                .set_file_name(file_name)
                .add_filter("数据库备份", &["sqlite3"])
                .save_file()
        })
    }

    fn open_database(&self) -> Option<PathBuf> {
        self.shown(|| {
            rfd::FileDialog::new()
                .set_title("选择要恢复的备份")
                .add_filter("数据库备份", &["sqlite3", "db"])
                .pick_file()
        })
    }

    fn save_text(&self, file_name: &str) -> Option<PathBuf> {
        self.shown(|| {
            rfd::FileDialog::new()
                .set_title("保存文本文件")
                .set_file_name(file_name)
                .add_filter("文本文件", &["txt"])
                .save_file()
        })
    }

    fn can_open(&self) -> bool {
        native_dialog_available()
    }

    fn failed_to_open(&self) -> bool {
        self.failed_to_open.get()
    }
}

/// rfd on Linux asks the desktop portal over the session bus (D-Bus starts it from its service
/// file; inside Flatpak it is always there), then falls back to the `zenity` program.
#[cfg(target_os = "linux")]
fn native_dialog_available() -> bool {
    let runtime_bus = std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|dir| Path::new(&dir).join("bus").exists());
    let has_bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() || runtime_bus;
    let data_dirs = std::env::var("XDG_DATA_DIRS").unwrap_or_else(|_| "/usr/local/share:/usr/share".to_string());
    let has_portal = data_dirs
        .split(':')
        .any(|dir| Path::new(dir).join("dbus-1/services/org.freedesktop.portal.Desktop.service").exists());
    (has_bus && has_portal) || Path::new("/.flatpak-info").exists() || on_path("zenity")
}

/// Windows and macOS always have their own dialogs.
#[cfg(not(target_os = "linux"))]
fn native_dialog_available() -> bool {
    true
}

#[cfg(target_os = "linux")]
fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// Which file a dialog asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathKind {
    OpenWorkbook,
    SaveWorkbook,
    OpenPhoto,
    SaveDatabase,
    OpenDatabase,
    SaveText,
}

impl PathKind {
    fn saves(self) -> bool {
        matches!(self, PathKind::SaveWorkbook | PathKind::SaveDatabase | PathKind::SaveText)
    }

    fn title(self) -> &'static str {
        match self {
            PathKind::OpenWorkbook => "输入要导入的 Excel 文件路径",
            PathKind::SaveWorkbook => "输入 Excel 文件的保存位置",
            PathKind::OpenPhoto => "输入活动照片的路径",
            PathKind::SaveDatabase => "输入数据库备份的保存位置",
            PathKind::OpenDatabase => "输入要恢复的备份路径",
            PathKind::SaveText => "输入文本文件的保存位置",
        }
    }
}

/// The window's own path dialog, for when no native one can open: a field to type or paste
/// a path, the suggested file name in the folder used last. The command that asked returns as
/// if cancelled; its tab keeps it and runs it again once the path is given (`tab::Queued`),
/// and then the path is the dialog's answer.
#[derive(Default)]
pub struct PathDialog {
    state: RefCell<PathState>,
}

#[derive(Default)]
struct PathState {
    asking: Option<PathKind>,
    /// Set when asked, taken by the tab whose command asked (it keeps the command).
    fresh: bool,
    text: String,
    error: Option<String>,
    answer: Option<(PathKind, PathBuf)>,
    /// The folder of the last path given, offered again (for this session).
    folder: Option<PathBuf>,
}

/// How the user left the path dialog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathGiven {
    Given,
    Cancelled,
}

impl PathDialog {
    /// The path given for `kind`, once: the command that asked for it runs again with it.
    fn take_answer(&self, kind: PathKind) -> Option<PathBuf> {
        self.state.borrow_mut().answer.take_if(|(given_for, _)| *given_for == kind).map(|(_, path)| path)
    }

    /// Asks for a path, suggesting `file_name` in the folder used last.
    fn ask(&self, kind: PathKind, file_name: &str) {
        let mut state = self.state.borrow_mut();
        let folder = state.folder.clone().unwrap_or_default();
        state.text = folder.join(file_name).display().to_string();
        state.asking = Some(kind);
        state.fresh = true;
        state.error = None;
    }

    /// True once after a command asked for a path: its tab keeps the command to run it again.
    pub fn take_fresh(&self) -> bool {
        std::mem::take(&mut self.state.borrow_mut().fresh)
    }

    pub fn is_asking(&self) -> bool {
        self.state.borrow().asking.is_some()
    }

    /// Draws the dialog while a path is asked; says how the user left it, the frame they do.
    pub fn ui(&self, ctx: &egui::Context) -> Option<PathGiven> {
        let mut state = self.state.borrow_mut();
        let kind = state.asking?;
        let mut given = None;
        let (_, closed) = show_dialog(ctx, kind.title(), |ui| {
            ui.label(s::NO_FILE_DIALOG);
            let label = ui.label(s::FILE_PATH);
            let field = egui::TextEdit::singleline(&mut state.text).desired_width(480.0);
            let field = ui.add(field).labelled_by(label.id);
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            super::widgets::error_ui(ui, state.error.as_deref());
            ui.horizontal(|ui| {
                if ui.button(s::CONFIRM).clicked() || entered {
                    given = Some(PathGiven::Given);
                }
                if ui.button(s::CANCEL).clicked() {
                    given = Some(PathGiven::Cancelled);
                }
            });
        });
        if closed {
            given = Some(PathGiven::Cancelled);
        }
        match given? {
            PathGiven::Cancelled => {
                state.asking = None;
                Some(PathGiven::Cancelled)
            }
            PathGiven::Given => match checked_path(kind, state.text.trim()) {
                Ok(path) => {
                    state.folder = path.parent().map(Path::to_path_buf);
                    state.answer = Some((kind, path));
                    state.asking = None;
                    Some(PathGiven::Given)
                }
                Err(why) => {
                    state.error = Some(why);
                    None
                }
            },
        }
    }
}

/// A typed path the command can use: a whole path, to a file that exists (to open) or into a
/// folder that exists (to save).
fn checked_path(kind: PathKind, text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    if !path.is_absolute() {
        return Err("请输入完整路径（从根目录或盘符写起）".to_string());
    }
    if kind.saves() {
        match path.parent() {
            Some(folder) if folder.is_dir() && path.file_name().is_some() => Ok(path),
            _ => Err("文件夹不存在，或没有写文件名".to_string()),
        }
    } else if path.is_file() {
        Ok(path)
    } else {
        Err("找不到这个文件".to_string())
    }
}

/// The dialogs the window hands its tabs: native ones where they can open, the window's own
/// path dialog where they cannot.
pub struct WindowDialogs<'a> {
    pub native: &'a dyn FileDialogs,
    pub typed: &'a PathDialog,
}

impl WindowDialogs<'_> {
    fn ask(&self, kind: PathKind, file_name: &str, native: impl FnOnce() -> Option<PathBuf>) -> Option<PathBuf> {
        if let Some(path) = self.typed.take_answer(kind) {
            return Some(path);
        }
        let can_open = self.native.can_open();
        let chosen = if can_open { native() } else { None };
        if chosen.is_none() && (!can_open || self.native.failed_to_open()) {
            self.typed.ask(kind, file_name);
        }
        chosen
    }
}

impl FileDialogs for WindowDialogs<'_> {
    fn open_workbook(&self) -> Option<PathBuf> {
        self.ask(PathKind::OpenWorkbook, "", || self.native.open_workbook())
    }

    fn save_workbook(&self, file_name: &str) -> Option<PathBuf> {
        self.ask(PathKind::SaveWorkbook, file_name, || self.native.save_workbook(file_name))
    }

    fn open_photo(&self) -> Option<PathBuf> {
        self.ask(PathKind::OpenPhoto, "", || self.native.open_photo())
    }

    fn save_database(&self, file_name: &str) -> Option<PathBuf> {
        self.ask(PathKind::SaveDatabase, file_name, || self.native.save_database(file_name))
    }

    fn open_database(&self) -> Option<PathBuf> {
        self.ask(PathKind::OpenDatabase, "", || self.native.open_database())
    }

    fn save_text(&self, file_name: &str) -> Option<PathBuf> {
        self.ask(PathKind::SaveText, file_name, || self.native.save_text(file_name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_path_is_whole_and_points_where_it_can_be_used() {
        let dir = std::env::temp_dir();
        assert!(checked_path(PathKind::SaveWorkbook, "名单.xlsx").is_err(), "a bare name says no folder");
        let into_missing = dir.join("没有这个文件夹-h4").join("名单.xlsx");
        assert!(checked_path(PathKind::SaveWorkbook, &into_missing.display().to_string()).is_err());
        let to_save = dir.join("名单.xlsx");
        assert_eq!(checked_path(PathKind::SaveWorkbook, &to_save.display().to_string()), Ok(to_save.clone()));
        let missing = dir.join("没有这个文件-h4.xlsx");
        assert!(checked_path(PathKind::OpenWorkbook, &missing.display().to_string()).is_err());
        assert!(checked_path(PathKind::OpenDatabase, &dir.display().to_string()).is_err(), "a folder is no file");
    }
}
