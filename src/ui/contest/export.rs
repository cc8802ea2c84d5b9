//! The contest's workbooks from the window: the category's record (written by
//! `io::contest_export`) and the login slips just issued, one bordered block per judge to
//! print and cut apart. Every export asks where to save and is logged.

use rusqlite::Connection;
use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};

use crate::domain::contest::Category;
use crate::error::{Error, Result};
use crate::io::contest_export::write_contest_workbook;
use crate::store::contest::judges::LoginSlip;
use crate::store::{Actor, audit};
use crate::ui::dialogs::FileDialogs;
use crate::ui::strings as s;

fn xlsx(e: XlsxError) -> Error {
    Error::rejected(format!("写入 Excel 失败：{e}"))
}

/// The category's record as far as it has got.
pub fn export_record(
    conn: &Connection,
    actor: &Actor,
    dialogs: &dyn FileDialogs,
    category: Category,
) -> Result<String> {
    let Some(path) = dialogs.save_workbook(&format!("{}评选结果.xlsx", category.label())) else {
        return Ok(s::CANCELLED.to_string());
    };
    let sheets = write_contest_workbook(conn, actor, category, &path)?;
    Ok(format!("已导出{}到 {}", sheets.join("、"), path.display()))
}

/// The slips just issued: passwords on paper, never stored readable.
pub fn export_slips(
    conn: &Connection,
    actor: &Actor,
    dialogs: &dyn FileDialogs,
    slips: &[LoginSlip],
) -> Result<String> {
    let Some(path) = dialogs.save_workbook("评委登录单.xlsx") else {
        return Ok(s::CANCELLED.to_string());
    };
    audit::exported(conn, actor, &format!("评委登录单 {} 张", slips.len()), &path)?;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("登录单").map_err(xlsx)?;
    sheet.set_column_width(0, 14).map_err(xlsx)?;
    sheet.set_column_width(1, 40).map_err(xlsx)?;
    let boxed = Format::new().set_border(FormatBorder::Thin);
    let title = Format::new().set_bold().set_font_size(14).set_border(FormatBorder::Thin);
    for (i, slip) in slips.iter().enumerate() {
        let row = i as u32 * 8;
        let heading = format!("「好家风·好家训」评选 {}登录单", slip.role.label());
        sheet.merge_range(row, 0, row, 1, &heading, &title).map_err(xlsx)?;
        for (line, (label, value)) in [
            ("姓名", slip.name.as_str()),
            ("单位", slip.unit_name.as_str()),
            ("登录名", slip.login.as_str()),
            ("初始密码", slip.password.as_str()),
            ("说明", "首次登录后须修改密码；请勿转交他人。"),
        ]
        .into_iter()
        .enumerate()
        {
            let at = row + 1 + line as u32;
            sheet.write_string_with_format(at, 0, label, &boxed).map_err(xlsx)?;
            sheet.write_string_with_format(at, 1, value, &boxed).map_err(xlsx)?;
        }
        sheet.write_string(row + 6, 0, "- - - - - - - 沿此线剪开 - - - - - - -").map_err(xlsx)?;
    }
    workbook.save(&path).map_err(xlsx)?;
    Ok(format!("已保存 {} 张登录单到 {}", slips.len(), path.display()))
}
