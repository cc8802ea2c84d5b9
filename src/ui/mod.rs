//! The window: egui. `app` routes (gate, idle lock, bars); each tab is a module of one shape
//! (`tab.rs`) owning its state, its reading, its `ui` and the running of its commands.

pub mod app;
mod attendance;
mod calendar;
mod clock;
mod command;
mod contest;
mod date_picker;
mod demo_load;
pub mod dialogs;
mod first_day;
pub mod fonts;
mod health;
mod import;
mod jobs;
mod open_failure;
mod opening;
mod people;
mod registry;
mod reports;
mod session;
mod settings;
pub mod strings;
mod system;
mod tab;
mod widgets;

use std::path::PathBuf;
use std::process::ExitCode;

pub use app::App;
pub use opening::Opening;
pub use settings::TextSize;
pub use tab::Tab;

const ICON_PNG: &[u8] = include_bytes!("../../assets/icon.png");

/// The window as it first opens: maximized, so it fills the screen's work area whatever the
/// screen and its scaling (a fixed 1280×800 sat under the taskbar of a 1366×768 laptop and of
/// 1920×1080 at 150 %). Un-maximized it takes a size that fits both. eframe keeps the size
/// and state the user leaves it in (app.ron) and opens with them next time instead.
pub fn window_viewport() -> egui::ViewportBuilder {
    let viewport = egui::ViewportBuilder::default()
        .with_title(strings::APP_TITLE)
        .with_app_id("volunteer-desk")
        .with_inner_size([1200.0, 640.0])
        .with_min_inner_size([960.0, 600.0])
        .with_maximized(true);
    match eframe::icon_data::from_png_bytes(ICON_PNG) {
        Ok(icon) => viewport.with_icon(icon),
        Err(_) => viewport,
    }
}

/// Opens the window on the database at `path`; a file that cannot be opened is explained in
/// the window instead.
pub fn run_window(path: PathBuf) -> ExitCode {
    let viewport = window_viewport();
    // The window's remembered settings beside the default database, on every system (eframe's
    // own choice on Windows is another folder than %APPDATA%\jiguan\volunteer-desk\data).
    let persistence_path = crate::paths::data_dir().ok().map(|dir| dir.join("app.ron"));
    let options = eframe::NativeOptions { viewport, persistence_path, ..Default::default() };
    let result = eframe::run_native(
        "volunteer-desk",
        options,
        Box::new(move |cc| {
            fonts::install(&cc.egui_ctx);
            egui_extras::install_image_loaders(&cc.egui_ctx);
            cc.egui_ctx.set_theme(egui::Theme::Light);
            // Opened (and upgraded, if an older program wrote it) on a worker, with a bar.
            Ok(Box::new(Opening::start(&cc.egui_ctx, path.clone())))
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
