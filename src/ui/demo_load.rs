//! 载入示例数据: the offer on an empty file, and the demo written on a worker thread through a
//! second connection so the window stays responsive.

use std::path::Path;

use super::jobs::Job;
use super::strings as s;

/// The demo being written, if it is.
#[derive(Default)]
pub struct DemoLoad {
    job: Option<Job<()>>,
}

impl DemoLoad {
    pub fn is_running(&self) -> bool {
        self.job.is_some()
    }

    /// Writes the demo into the file at `path`, dated from `now`.
    pub fn start(&mut self, ctx: &egui::Context, path: &Path, now: chrono::NaiveDateTime) {
        if self.job.is_some() {
            return;
        }
        let path = path.to_path_buf();
        self.job = Some(Job::spawn(ctx, move || {
            let mut store = crate::store::open(&path)?;
            crate::demo::load_demo(&mut store, now)
        }));
    }

    /// How the load ended, once it has.
    pub fn poll(&mut self) -> Option<crate::Result<()>> {
        let outcome = self.job.as_ref().and_then(Job::poll)?;
        self.job = None;
        Some(outcome)
    }

    /// The empty file's offer; true when 载入示例数据 was clicked.
    pub fn offer_ui(&self, ui: &mut egui::Ui) -> bool {
        let mut clicked = false;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(ui.available_height() * 0.25);
                ui.heading(s::EMPTY_DATABASE);
                ui.add_space(8.0);
                ui.label(s::EMPTY_DATABASE_HINT);
                ui.add_space(16.0);
                if self.is_running() {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(s::LOADING_DEMO);
                    });
                } else {
                    clicked = ui.button(s::LOAD_DEMO).clicked();
                }
            });
        });
        clicked
    }
}
