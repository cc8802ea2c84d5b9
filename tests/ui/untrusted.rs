//! Files from outside in the window (issue #25): an import's preview lists the first 1,000
//! errors and counts the rest; a FIFO chosen as the workbook is refused at once, naming it;
//! a workbook with a cell at XFD1048576 is imported, not a crash with unsaved work.

use crate::common;
use crate::common::hostile;
use crate::wait_for_work;

use std::path::PathBuf;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use volunteer_desk::ui::dialogs::FileDialogs;
use volunteer_desk::ui::{App, fonts, strings as s};

/// Answers the open dialog with the file given.
struct Answer(PathBuf);

impl FileDialogs for Answer {
    fn open_workbook(&self) -> Option<PathBuf> {
        Some(self.0.clone())
    }
    fn save_workbook(&self, _file_name: &str) -> Option<PathBuf> {
        None
    }
    fn open_photo(&self) -> Option<PathBuf> {
        None
    }
}

/// The window on a registry of one unit, importing `file` when 导入 is clicked.
fn importing(dir: &tempfile::TempDir, file: PathBuf) -> Harness<'static, App> {
    let store = common::org_at(&dir.path().join("desk.sqlite3"), "市财政局", 80, "ZD-01", "财政局支队").store;
    let mut harness = crate::settled(
        Harness::builder()
            .with_size([1400.0, 900.0])
            .with_context_setup(fonts::install)
            .build_eframe(move |_cc| common::signed_in_app(store).with_dialogs(Box::new(Answer(file)))),
    );
    harness.get_by_label(s::IMPORT).click();
    wait_for_work(&mut harness);
    harness
}

#[test]
fn the_preview_lists_a_thousand_errors_and_counts_the_rest() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("错误很多.xlsx");
    hostile::many_rows(&file, 1_500);
    let harness = importing(&dir, file);
    harness.get_by_label_contains("共 1502 处错误，整个文件都不会导入");
    harness.get_by_label("另有 502 处错误");
}

#[test]
fn a_fifo_chosen_to_import_is_refused_naming_it() {
    let dir = tempfile::tempdir().expect("dir");
    let fifo = hostile::fifo(dir.path(), "管道.xlsx");
    let harness = importing(&dir, fifo);
    harness.get_by_label_contains("管道.xlsx”：这不是普通文件");
}

#[test]
fn a_cell_at_xfd1048576_is_imported() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("远处.xlsx");
    hostile::far_cell(&file, 1_048_575);
    let mut harness = importing(&dir, file);
    harness.get_by_label(s::CONFIRM_IMPORT).click();
    wait_for_work(&mut harness);
    harness.get_by_label_contains("导入完成：新增 1 条记录");
    assert_eq!(harness.state().counts().units, 2);
}
