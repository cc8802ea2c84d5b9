//! The window, driven headless through egui_kittest: click by Chinese label, type, and check
//! what changed in the store.

#[path = "../common/mod.rs"]
mod common;

mod activity_life;
mod app;
mod attendance;
mod ballot_workbooks;
mod calendar;
mod calendar_month;
mod clerk_window;
mod contest;
mod dialogs;
mod first_day;
mod fonts;
mod health;
mod keys;
mod layers;
mod layouts;
mod long_work;
mod opening;
mod read_only;
mod reading;
mod records;
mod registry;
mod reports;
mod restore_login;
mod untrusted;
mod window_size;

use std::time::Duration;

use egui_kittest::Harness;
use volunteer_desk::ui::App;

/// Steps the window until its background work (demo, import, the file's check) is done, for
/// up to 12 seconds, then lets it settle.
pub fn wait_for_work(harness: &mut Harness<'static, App>) {
    harness.run_steps(2);
    for _ in 0..600 {
        if !harness.state().is_busy() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.settle();
}

/// `Harness::run` for a window whose tabs read on workers: runs, then steps frame by frame
/// while the tab in view waits for a read (up to 600 frames 20 ms apart, never a timed
/// assertion), and runs again once it has arrived; a read started by what arrived is waited
/// for too (a few rounds). Reads chain frames (one starts, its result wakes the next), so
/// coming to rest within `run`'s few steps is not required; the reads arriving is.
pub trait Settle {
    fn settle(&mut self) -> u64;
}

impl Settle for Harness<'static, App> {
    fn settle(&mut self) -> u64 {
        let mut steps = self.run_ok().unwrap_or_default();
        for _ in 0..4 {
            if !self.state().is_reading() {
                break;
            }
            for _ in 0..600 {
                std::thread::sleep(Duration::from_millis(20));
                self.step();
                steps += 1;
                if !self.state().is_reading() {
                    break;
                }
            }
            steps += self.run_ok().unwrap_or_default();
        }
        steps
    }
}

/// A window just built, once its first reads have arrived (up to 600 frames 20 ms apart).
pub fn settled(mut harness: Harness<'static, App>) -> Harness<'static, App> {
    for _ in 0..600 {
        harness.step();
        if !harness.state().is_reading() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    harness.step();
    harness
}

/// Chooses a text size through the top bar, as staff would.
pub fn choose_text_size(harness: &mut Harness<'static, App>, size: volunteer_desk::ui::TextSize) {
    use egui_kittest::kittest::Queryable as _;
    harness.get_by_label(volunteer_desk::ui::strings::TEXT_SIZE).click();
    harness.settle();
    harness.get_by_label(size.label()).click();
    wait_for_work(harness);
    assert_eq!(harness.state().text_size(), size);
}

/// Clicks the button `label` that starts long work on a worker, then steps the window frame by
/// frame while the work runs (up to 600 frames 20 ms apart, never a timed assertion), and
/// returns whether `saying` was on screen on one of those frames.
pub fn click_and_watch(harness: &mut Harness<'static, App>, label: &str, saying: &str) -> bool {
    use egui::accesskit::Role;
    use egui_kittest::kittest::Queryable as _;
    harness.get_by_role_and_label(Role::Button, label).click();
    let mut seen = false;
    for _ in 0..600 {
        harness.step();
        seen |= harness.query_by_label_contains(saying).is_some();
        if !harness.state().is_busy() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    harness.settle();
    seen
}

/// Types `text` into the field labelled `label`, replacing what it held: a password field when
/// the label says 密码, a multi-line one where no single-line field has that label.
pub fn type_into(harness: &mut Harness<'static, App>, label: &str, text: &str) {
    use egui::accesskit::Role;
    use egui_kittest::kittest::Queryable as _;
    let role = if label.contains("密码") { Role::PasswordInput } else { Role::TextInput };
    let field = harness
        .query_by_role_and_label(role, label)
        .unwrap_or_else(|| harness.get_by_role_and_label(Role::MultilineTextInput, label));
    field.focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    field.type_text(text);
    harness.settle();
}

/// A workbook with one 单位 sheet, as staff would import it.
pub fn write_units(path: &std::path::Path, units: &[(&str, &str)]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("单位").expect("name");
    sheet.write_row(0, 0, ["单位名称", "党员总数"]).expect("header");
    for (i, (name, members)) in units.iter().enumerate() {
        sheet.write_row(i as u32 + 1, 0, [*name, *members]).expect("row");
    }
    book.save(path).expect("save");
}
