//! Carrying out the 报表 tab's commands: the threshold, the assessment workbook's export on a
//! worker thread, and 志愿服务证明.

use std::sync::Arc;

use chrono::NaiveDate;

use super::{Export, Reports, ReportsCommand};
use crate::error::{Error, Result};
use crate::io::report::ExportProgress;
use crate::store::Store;
use crate::ui::dialogs::FileDialogs;
use crate::ui::jobs::Job;
use crate::ui::strings as s;
use crate::ui::tab::TabContext;

impl Reports {
    /// Carries out a command; the message for the status bar, or `None` when there is nothing
    /// to say yet (an export started) or the form shows the refusal itself.
    pub(super) fn carry_out(&mut self, cx: &mut TabContext<'_>, command: ReportsCommand) -> Option<Result<String>> {
        let now = cx.now;
        match command {
            ReportsCommand::SetThreshold(minutes) => {
                Some(cx.store.set_threshold(minutes).map(|()| format!("年度达标时数已设为 {minutes} 小时")))
            }
            ReportsCommand::Export(year) => self.start_export(cx, year),
            ReportsCommand::CancelExport => {
                if let Some(export) = &self.export {
                    export.progress.cancel();
                }
                None
            }
            ReportsCommand::IssueCertificate { volunteer_id, name, from, to } => {
                let request = Issue { volunteer_id, name: &name, from, to };
                let outcome = issue_and_write(cx.store, cx.dialogs, &request, now);
                self.certificate_outcome(outcome)
            }
            ReportsCommand::Reprint(serial) => {
                let outcome = reprint(cx.store, cx.dialogs, &serial);
                self.certificate_outcome(outcome)
            }
        }
    }

    /// A refusal stays in the certificate window; success closes it.
    fn certificate_outcome(&mut self, outcome: Result<String>) -> Option<Result<String>> {
        match outcome {
            Ok(message) => {
                if message != s::CANCELLED {
                    self.screen.certificate = None;
                }
                Some(Ok(message))
            }
            Err(err) => {
                if let Some(form) = &mut self.screen.certificate {
                    form.error = Some(err.to_string());
                }
                None
            }
        }
    }

    fn start_export(&mut self, cx: &TabContext<'_>, year: i32) -> Option<Result<String>> {
        if self.export.is_some() {
            return None;
        }
        let Some(path) = cx.dialogs.save_workbook(&format!("{year}年度机关党员志愿服务考核统计表.xlsx"))
        else {
            return Some(Ok(s::CANCELLED.to_string()));
        };
        let progress = Arc::new(ExportProgress::new());
        let (access, shared, today) = (cx.store.access(), progress.clone(), cx.today());
        let job = Job::spawn(cx.egui, move || {
            let store = access.open()?;
            crate::io::window::write_report(&store, year, &path, today, &shared)
        });
        self.export = Some(Export { progress, job });
        None
    }

    /// How the export ended, once it has.
    pub(super) fn poll_export(&mut self) -> Option<Result<String>> {
        let outcome = self.export.as_ref()?.job.poll()?;
        self.export = None;
        Some(outcome.map(|done| {
            format!("已导出考核统计表（{} 个单位、{} 名志愿者）到 {}", done.units, done.volunteers, done.path.display())
        }))
    }
}

/// Whose certificate, over which days, as the window chose.
struct Issue<'a> {
    volunteer_id: i64,
    name: &'a str,
    from: NaiveDate,
    to: NaiveDate,
}

fn issue_and_write(
    store: &mut Store,
    dialogs: &dyn FileDialogs,
    issue: &Issue<'_>,
    now: chrono::NaiveDateTime,
) -> Result<String> {
    use crate::store::certificates::{CertificateRequest, issue_certificate};
    let request = CertificateRequest {
        volunteer_id: issue.volunteer_id,
        from: issue.from,
        to: issue.to,
        issuing_unit: store.default_issuing_unit()?,
        issued_by: store.actor().name.clone(),
    };
    // A period without hours (or any other refusal) is said before a save dialog opens.
    store.certifiable_hours(&request, now)?;
    // Where to save is asked next: a serial is taken only for a certificate that is written.
    let name = issue.name;
    let Some(path) = dialogs.save_workbook(&format!("志愿服务证明_{name}.xlsx")) else {
        return Ok(s::CANCELLED.to_string());
    };
    let certificate = issue_certificate(store, &request, now)?;
    crate::io::window::write_certificate(store, &path, &certificate)?;
    Ok(format!("已出具志愿服务证明 {}，保存到 {}", certificate.serial, path.display()))
}

fn reprint(store: &Store, dialogs: &dyn FileDialogs, serial: &str) -> Result<String> {
    if serial.is_empty() {
        return Err(Error::rejected("请填写要补打的证明编号"));
    }
    let certificate = store.certificate(serial)?;
    let Some(path) = dialogs.save_workbook(&format!("志愿服务证明_{}（补打）.xlsx", certificate.serial))
    else {
        return Ok(s::CANCELLED.to_string());
    };
    crate::io::window::reprint_certificate(store, &path, &certificate)?;
    Ok(format!("已补打志愿服务证明 {}，保存到 {}", certificate.serial, path.display()))
}
