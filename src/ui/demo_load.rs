//! 载入示例数据: the demo written on a worker thread through a
//! second connection so the window stays responsive.

use std::path::Path;

use super::jobs::Job;

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
}
