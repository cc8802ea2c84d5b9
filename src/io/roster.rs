//! 导出名单: the volunteer list as filtered in the window, with ID and phone masked.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook};

use crate::domain::identity::{mask_id_number, mask_phone};
use crate::error::{Error, Result};
use crate::store::volunteers::VolunteerRow;

const HEADERS: [&str; 10] =
    ["志愿者编号", "姓名", "性别", "出生日期", "所属单位", "服务队", "身份证号", "手机号", "政治面貌", "注册日期"];

/// Writes `rows` to a one-sheet workbook at `path`.
pub fn write_volunteer_list(path: &Path, rows: &[&VolunteerRow]) -> Result<()> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let xlsx = |e: rust_xlsxwriter::XlsxError| Error::rejected(format!("写入 Excel 失败：{e}"));
    sheet.set_name("志愿者名单").map_err(xlsx)?;
    let bold = Format::new().set_bold();
    let mut widths: Vec<usize> = HEADERS.iter().map(|h| display_width(h)).collect();
    for (col, header) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *header, &bold).map_err(xlsx)?;
    }
    for (i, v) in rows.iter().enumerate() {
        let cells = [
            v.code.clone(),
            v.name.clone(),
            v.gender.clone(),
            v.birth_date.clone(),
            v.unit_name.clone(),
            v.team_name.clone().unwrap_or_default(),
            mask_id_number(&v.id_number),
            mask_phone(&v.phone),
            v.political_status.clone(),
            v.registered_on.clone(),
        ];
        for (col, cell) in cells.iter().enumerate() {
            widths[col] = widths[col].max(display_width(cell));
            sheet.write_string(i as u32 + 1, col as u16, cell).map_err(xlsx)?;
        }
    }
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, (*width as f64 + 2.0).min(60.0)).map_err(xlsx)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
    sheet.autofilter(0, 0, rows.len() as u32, HEADERS.len() as u16 - 1).map_err(xlsx)?;
    workbook.save(path).map_err(xlsx)?;
    Ok(())
}

/// Column width in Excel's character units: a Chinese character takes two.
fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}
