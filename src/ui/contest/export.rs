//! The contest's workbooks from the window, written by `io::contest_export`: the category's
//! record, and the login slips just issued (their passwords exist nowhere else). Each asks
//! where to save and is logged.

use crate::domain::contest::Category;
use crate::error::Result;
use crate::io::window::{export_contest_record, export_login_slips};
use crate::store::Store;
use crate::store::contest::judges::LoginSlip;
use crate::ui::dialogs::FileDialogs;
use crate::ui::strings as s;

/// The category's record as far as it has got.
pub fn export_record(store: &Store, dialogs: &dyn FileDialogs, category: Category) -> Result<String> {
    let Some(path) = dialogs.save_workbook(&format!("{}评选结果.xlsx", category.label())) else {
        return Ok(s::CANCELLED.to_string());
    };
    let sheets = export_contest_record(store, category, &path)?;
    Ok(format!("已导出{}到 {}", sheets.join("、"), path.display()))
}

/// The slips just issued, to print and cut apart.
pub fn export_slips(store: &Store, dialogs: &dyn FileDialogs, slips: &[LoginSlip]) -> Result<String> {
    let Some(path) = dialogs.save_workbook("评委登录单.xlsx") else {
        return Ok(s::CANCELLED.to_string());
    };
    export_login_slips(store, &path, slips)?;
    Ok(format!("已保存 {} 张登录单到 {}", slips.len(), path.display()))
}
