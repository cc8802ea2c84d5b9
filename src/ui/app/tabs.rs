//! The six tabs the app holds and routes to; the one place that names every tab.

use crate::ui::attendance::Attendance;
use crate::ui::calendar::Calendar;
use crate::ui::contest::Contest;
use crate::ui::registry::Registry;
use crate::ui::reports::Reports;
use crate::ui::system::System;
use crate::ui::tab::{Queued, Tab, TabView};

/// The six tabs, each owning its state and data (after egui_demo_app's `apps_iter_mut`).
#[derive(Default)]
pub struct Tabs {
    registry: Queued<Registry>,
    calendar: Queued<Calendar>,
    attendance: Queued<Attendance>,
    contest: Queued<Contest>,
    reports: Queued<Reports>,
    system: Queued<System>,
}

impl Tabs {
    pub fn get_mut(&mut self, tab: Tab) -> &mut dyn TabView {
        match tab {
            Tab::Registry => &mut self.registry,
            Tab::Calendar => &mut self.calendar,
            Tab::Attendance => &mut self.attendance,
            Tab::Contest => &mut self.contest,
            Tab::Reports => &mut self.reports,
            Tab::System => &mut self.system,
        }
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut dyn TabView> {
        let tabs: [&mut dyn TabView; 6] = [
            &mut self.registry,
            &mut self.calendar,
            &mut self.attendance,
            &mut self.contest,
            &mut self.reports,
            &mut self.system,
        ];
        tabs.into_iter()
    }

    /// The new 恢复码 on 系统, if one is shown (tests read it as the administrator does).
    pub fn recovery_code_shown(&self) -> Option<&str> {
        self.system.screen().recovery_code_shown()
    }

    pub fn is_busy(&self) -> bool {
        self.all().iter().any(|tab| tab.is_busy())
    }

    fn all(&self) -> [&dyn TabView; 6] {
        [&self.registry, &self.calendar, &self.attendance, &self.contest, &self.reports, &self.system]
    }

    /// True while `tab` waits for one of its reads (only the tab in view takes them).
    pub fn is_reading(&self, tab: Tab) -> bool {
        let view: &dyn TabView = match tab {
            Tab::Registry => &self.registry,
            Tab::Calendar => &self.calendar,
            Tab::Attendance => &self.attendance,
            Tab::Contest => &self.contest,
            Tab::Reports => &self.reports,
            Tab::System => &self.system,
        };
        view.is_reading()
    }
}
