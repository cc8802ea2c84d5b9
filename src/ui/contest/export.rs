//! The contest's workbooks from the window, written by `io::contest_export`: the category's
//! record, the login slips just issued (their passwords exist nowhere else), and the judges'
//! sealed ballot workbooks out and back. Each asks where and is logged.

use crate::domain::contest::Category;
use crate::error::Result;
use chrono::NaiveDate;

use crate::io::ballot_workbook::ReturnSummary;
use crate::io::window::{
    export_ballot_workbooks, export_contest_lists, export_contest_record, export_login_slips, take_back_abstentions,
    take_back_ballot_workbooks,
};
use crate::store::Store;
use crate::store::contest::judges::LoginSlip;
use crate::ui::dialogs::FileDialogs;
use crate::ui::strings as s;

/// The category's record as far as it has got, and beside it the lists fit to publish.
pub fn export_record(store: &Store, dialogs: &dyn FileDialogs, category: Category, today: NaiveDate) -> Result<String> {
    let Some(path) = dialogs.save_workbook(&format!("{}评选记录.xlsx", category.label())) else {
        return Ok(s::CANCELLED.to_string());
    };
    let sheets = export_contest_record(store, category, &path)?;
    let folder = path.parent().unwrap_or(std::path::Path::new("."));
    let lists = export_contest_lists(store, category, folder, today)?;
    let mut message = format!("已导出评选记录（{}）到 {}", sheets.join("、"), path.display());
    if !lists.is_empty() {
        let names: Vec<String> =
            lists.iter().filter_map(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
        message.push_str(&format!("；可公布的名单 {} 在同一文件夹", names.join("、")));
    }
    Ok(message)
}

/// The slips just issued, to print and cut apart.
pub fn export_slips(store: &Store, dialogs: &dyn FileDialogs, slips: &[LoginSlip]) -> Result<String> {
    let Some(path) = dialogs.save_workbook("评委登录单.xlsx") else {
        return Ok(s::CANCELLED.to_string());
    };
    export_login_slips(store, &path, slips)?;
    Ok(format!("已保存 {} 张登录单到 {}", slips.len(), path.display()))
}

/// 导出选票: the name given in the save dialog is the folder the ballots go into.
pub fn export_ballots(store: &Store, dialogs: &dyn FileDialogs, category: Category) -> Result<String> {
    let Some(chosen) = dialogs.save_workbook(&format!("{}电子选票", category.label())) else {
        return Ok(s::CANCELLED.to_string());
    };
    let folder = chosen.with_extension("");
    let files = export_ballot_workbooks(store, category, &folder)?;
    Ok(format!("已生成 {} 份电子选票，存放在文件夹 {}", files.len(), folder.display()))
}

/// 收回选票: every ballot workbook in the folder of the file chosen; the summary to show.
pub fn take_back_ballots(store: &Store, dialogs: &dyn FileDialogs) -> Result<Option<ReturnSummary>> {
    let Some(chosen) = dialogs.open_workbook() else { return Ok(None) };
    let folder = chosen.parent().map_or_else(|| chosen.clone(), std::path::Path::to_path_buf);
    take_back_ballot_workbooks(store, &folder).map(Some)
}

/// The ballots with no mark, once the clerk confirmed them as abstentions.
pub fn take_back_confirmed(store: &Store, files: &[std::path::PathBuf]) -> Result<ReturnSummary> {
    take_back_abstentions(store, files)
}
