//! Reading the year's report off the UI thread: one read at a time, the last one shown until
//! the next arrives.

use chrono::Datelike as _;

use super::{Reports, ReportsData};
use crate::error::Result;
use crate::ui::jobs::Job;
use crate::ui::tab::TabContext;

impl Reports {
    /// Starts reading the year in view when nothing current is shown or being read, and takes
    /// the result when it is ready.
    pub(super) fn read_in_background(&mut self, cx: &TabContext<'_>) -> Result<()> {
        if self.screen.year == 0 {
            self.screen.year = cx.store.latest_year()?.unwrap_or_else(|| cx.today().year());
        }
        if let Some((year, job)) = &self.loading
            && let Some(result) = job.poll()
        {
            let year = *year;
            self.loading = None;
            let report = result?;
            if year == self.screen.year {
                self.data = Some(ReportsData { report });
                self.stale = false;
            }
        }
        let current = !self.stale && self.data.as_ref().is_some_and(|d| d.report.year == self.screen.year);
        // One read at a time: a year passed over while dragging is read to its end and then
        // dropped above, rather than run beside the next one.
        if !current && self.loading.is_none() {
            let (access, year) = (cx.store.access(), self.screen.year);
            let job = Job::spawn(cx.egui, move || access.open()?.year_figures(year));
            self.loading = Some((year, job));
        }
        Ok(())
    }
}
