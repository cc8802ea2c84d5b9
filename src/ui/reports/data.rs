//! What the 报表 tab reads on its worker: the year's report. The year in view is chosen first.

use chrono::Datelike as _;

use super::{ReportsData, ReportsTab};
use crate::error::Result;
use crate::store::Store;
use crate::ui::tab::TabContext;

impl ReportsTab {
    /// The latest year with activities until one is chosen (this year on an empty file).
    pub(super) fn choose_year(&mut self, cx: &TabContext<'_>) -> Result<()> {
        if self.year == 0 {
            self.year = cx.store.latest_year()?.unwrap_or_else(|| cx.today().year());
        }
        Ok(())
    }
}

/// Reads the year's report, on the tab's worker.
pub(super) fn read(store: &Store, year: i32) -> Result<ReportsData> {
    Ok(ReportsData { report: store.year_figures(year)? })
}
