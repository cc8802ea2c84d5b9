//! The window: egui, one module per tab as they arrive, turning clicks into commands that
//! the store carries out.

pub mod app;
pub mod attendance;
pub mod calendar;
mod date_picker;
pub mod dialogs;
pub mod fonts;
mod import;
mod jobs;
pub mod registry;
pub mod reports;
pub mod strings;
mod widgets;

use std::path::PathBuf;
use std::process::ExitCode;

pub use app::{App, Tab, TextSize};

const ICON_PNG: &[u8] = include_bytes!("../../assets/icon.png");

/// Opens the window on the database at `path`; a file that cannot be opened is explained in
/// the window instead.
pub fn run_window(path: PathBuf) -> ExitCode {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title(strings::APP_TITLE)
        .with_app_id("volunteer-desk")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([960.0, 600.0]);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(ICON_PNG) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions { viewport, ..Default::default() };
    let result = eframe::run_native(
        "volunteer-desk",
        options,
        Box::new(move |cc| {
            fonts::install(&cc.egui_ctx);
            egui_extras::install_image_loaders(&cc.egui_ctx);
            cc.egui_ctx.set_theme(egui::Theme::Light);
            Ok(match crate::store::open(&path) {
                Ok(store) => Box::new(App::new(store, cc.storage)) as Box<dyn eframe::App>,
                Err(err) => Box::new(app::OpenFailure::new(&path, &err)),
            })
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("错误：无法打开窗口：{err}");
            ExitCode::from(1)
        }
    }
}
