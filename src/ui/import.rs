//! The 导入 dialog: read and check the workbook in the background, show the counts and every
//! error, and write only when the user confirms.

use std::path::PathBuf;
use std::sync::Arc;

use egui::RichText;

use super::jobs::Job;
use super::strings as s;
use super::widgets::{WriteUi, escape_pressed};
use crate::io::import::{ImportPlan, ImportSummary, Progress, apply};
use crate::io::window::preview_import;
use crate::store::Access;

/// Where an import is.
pub enum ImportDialog {
    Checking {
        file: PathBuf,
        progress: Arc<Progress>,
        job: Job<ImportPlan>,
    },
    /// The plan moves to the writer on confirmation, hence the `Option`.
    Review {
        plan: Option<Box<ImportPlan>>,
    },
    Writing {
        progress: Arc<Progress>,
        job: Job<ImportSummary>,
    },
}

/// What the dialog asks the app to do after a frame.
pub enum ImportOutcome {
    Open,
    Cancelled,
    /// Finished: the message for the status bar, and whether anything was written.
    Done(crate::Result<String>),
}

impl ImportDialog {
    /// Starts checking `file` against the database, on a connection acting for the same account.
    pub fn check(ctx: &egui::Context, access: &Access, file: PathBuf, now: chrono::NaiveDateTime) -> Self {
        let progress = Arc::new(Progress::new());
        let (access, source, shared) = (access.clone(), file.clone(), progress.clone());
        let job = Job::spawn(ctx, move || {
            let store = access.open()?;
            preview_import(&store, &source, now, &shared)
        });
        ImportDialog::Checking { file, progress, job }
    }

    pub fn ui(&mut self, ctx: &egui::Context, access: &Access) -> ImportOutcome {
        let mut outcome = ImportOutcome::Open;
        let mut next = None;
        egui::Window::new(s::IMPORT_TITLE)
            .collapsible(false)
            .default_width(640.0)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| match self {
                ImportDialog::Checking { file, progress, job } => {
                    ui.label(format!("文件：{}", file.display()));
                    progress_ui(ui, progress);
                    match job.poll() {
                        Some(Ok(plan)) => next = Some(ImportDialog::Review { plan: Some(Box::new(plan)) }),
                        Some(Err(err)) => outcome = ImportOutcome::Done(Err(err)),
                        None => {}
                    }
                }
                ImportDialog::Review { plan } => match plan.as_deref().and_then(|p| review_ui(ui, p)) {
                    Some(true) => {
                        if let Some(plan) = plan.take() {
                            next = Some(start_writing(ctx, access, *plan));
                        }
                    }
                    Some(false) => outcome = ImportOutcome::Cancelled,
                    None => {}
                },
                ImportDialog::Writing { progress, job } => {
                    progress_ui(ui, progress);
                    if let Some(result) = job.poll() {
                        outcome = ImportOutcome::Done(
                            result.map(|summary| format!("导入完成：新增 {} 条记录", summary.written())),
                        );
                    }
                }
            });
        // Esc cancels while the user reviews; checking and writing run to their end.
        let reviewing = matches!(self, ImportDialog::Review { .. }) && matches!(outcome, ImportOutcome::Open);
        if reviewing && next.is_none() && escape_pressed(ctx) {
            outcome = ImportOutcome::Cancelled;
        }
        if let Some(next) = next {
            *self = next;
        }
        outcome
    }
}

fn start_writing(ctx: &egui::Context, access: &Access, plan: ImportPlan) -> ImportDialog {
    let progress = Arc::new(Progress::new());
    let (access, shared) = (access.clone(), progress.clone());
    let job = Job::spawn(ctx, move || {
        let mut store = access.open()?;
        apply(&mut store, &plan, &shared)
    });
    ImportDialog::Writing { progress, job }
}

fn progress_ui(ui: &mut egui::Ui, progress: &Progress) {
    let (done, total) = progress.counts();
    let text = match progress.fraction() {
        Some(_) => format!("{}：{done} / {total}", progress.stage().label()),
        None => progress.stage().label().to_string(),
    };
    ui.add(egui::ProgressBar::new(progress.fraction().unwrap_or(0.0)).text(text).animate(true));
    ui.ctx().request_repaint_after(std::time::Duration::from_millis(100));
}

/// The cells the import writes otherwise than typed, beside the cell as typed: nothing
/// changes without the clerk seeing it first (`党员` becomes `中共党员`).
fn read_as_ui(ui: &mut egui::Ui, plan: &ImportPlan) {
    if plan.read_as().is_empty() {
        return;
    }
    ui.label(RichText::new(format!("{}（{} 处）：", s::IMPORT_READ_AS, plan.read_as().len())).strong());
    egui::ScrollArea::vertical().id_salt("import_read_as").max_height(200.0).show(ui, |ui| {
        egui::Grid::new("import_read_as_grid").striped(true).show(ui, |ui| {
            for title in ["位置", "表中填写", "将写入"] {
                ui.label(RichText::new(title).strong());
            }
            ui.end_row();
            for cell in plan.read_as() {
                ui.label(format!("{} 第{}行 {}", cell.sheet, cell.row, cell.column));
                ui.label(format!("“{}”", cell.typed));
                ui.label(format!("“{}”", cell.written));
                ui.end_row();
            }
        });
    });
}

/// The counts and errors; `Some(true)` when the user confirms, `Some(false)` on cancel.
fn review_ui(ui: &mut egui::Ui, plan: &ImportPlan) -> Option<bool> {
    ui.label(format!("文件：{}", plan.source().display()));
    // Errors are counted one way, here and in the heading below: one a bad cell.
    egui::Grid::new("import_counts").striped(true).show(ui, |ui| {
        for title in ["工作表", "新增", "未变（已存在）", s::IMPORT_ERRORS_COLUMN] {
            ui.label(RichText::new(title).strong());
        }
        ui.end_row();
        for sheet in plan.counts() {
            ui.label(sheet.sheet);
            ui.label(sheet.new.to_string());
            ui.label(sheet.unchanged.to_string());
            ui.label(plan.errors_in(sheet.sheet).to_string());
            ui.end_row();
        }
    });
    read_as_ui(ui, plan);
    for note in plan.notes() {
        ui.label(note);
    }
    if !plan.ignored_sheets().is_empty() {
        ui.label(RichText::new(format!("未识别、已忽略的工作表：{}", plan.ignored_sheets().join("、"))).weak());
    }
    if !plan.errors().is_empty() {
        ui.colored_label(
            ui.visuals().error_fg_color,
            format!("共 {} 处错误，整个文件都不会导入。请在 Excel 中改正后重新导入：", plan.error_count()),
        );
        egui::ScrollArea::vertical().max_height(300.0).show(ui, |ui| {
            for issue in plan.errors() {
                ui.label(issue.to_string());
            }
            if plan.unlisted_errors() > 0 {
                ui.label(format!("另有 {} 处错误", plan.unlisted_errors()));
            }
        });
    } else if plan.new_rows() == 0 {
        ui.label(s::IMPORT_NOTHING_NEW);
    }
    let mut answer = None;
    ui.horizontal(|ui| {
        let can_import = plan.is_ok() && plan.new_rows() > 0;
        if ui.add_write(can_import, egui::Button::new(s::CONFIRM_IMPORT)).clicked() {
            answer = Some(true);
        }
        if ui.button(s::CANCEL).clicked() {
            answer = Some(false);
        }
    });
    answer
}
