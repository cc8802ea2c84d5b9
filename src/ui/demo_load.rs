//! 载入示例数据: the demo written on a worker thread through a
//! second connection so the window stays responsive.

use super::jobs::Job;
use crate::store::Access;

/// The demo being written, if it is.
#[derive(Default)]
pub struct DemoLoad {
    job: Option<Job<()>>,
}

impl DemoLoad {
    pub fn is_running(&self) -> bool {
        self.job.is_some()
    }

    /// Writes the demo into the file as `access` may (its account, read-only or not), dated
    /// from `now`.
    pub fn start(&mut self, ctx: &egui::Context, access: Access, now: chrono::NaiveDateTime) {
        if self.job.is_some() {
            return;
        }
        self.job = Some(Job::spawn(ctx, move || {
            let mut store = access.open()?;
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
