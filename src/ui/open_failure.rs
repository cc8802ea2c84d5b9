//! The window shown instead of the desk when the database cannot be opened.

use std::path::{Path, PathBuf};

use super::strings as s;

/// The window shown when the database cannot be opened: the reason, and nothing touched.
pub struct OpenFailure {
    path: PathBuf,
    message: String,
}

impl OpenFailure {
    pub fn new(path: &Path, err: &crate::Error) -> Self {
        OpenFailure { path: path.to_path_buf(), message: err.to_string() }
    }
}

impl eframe::App for OpenFailure {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(ui.available_height() * 0.3);
                ui.heading(s::OPEN_FAILED);
                ui.add_space(8.0);
                ui.colored_label(ui.visuals().error_fg_color, &self.message);
                ui.add_space(8.0);
                ui.label(format!("文件：{}", self.path.display()));
                ui.label("可用 --db 参数指定另一个数据库文件。");
            });
        });
    }
}
