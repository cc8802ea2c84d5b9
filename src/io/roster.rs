//! Lists written to Excel: the volunteer list as filtered in the window, an activity's sign-up
//! roster, and its printable sign-in sheet. IDs and phones are masked (《志愿服务条例》§20).

use std::path::Path;

use rusqlite::Connection;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::export::{export_workbook, may_export};
use super::text::display_width;
use crate::error::{Error, Result};
use crate::store::Actor;
use crate::store::activities::ActivityRow;
use crate::store::recruitment::{RosterEntry, SignupStatus};
use crate::store::volunteers::VolunteerRow;

fn xlsx(e: XlsxError) -> Error {
    Error::rejected(format!("写入 Excel 失败：{e}"))
}

/// Writes a header row and data rows from row `first_row`, bold frozen header, autofilter,
/// and column widths that fit Chinese text.
pub(crate) fn write_table(sheet: &mut Worksheet, first_row: u32, headers: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let bold = Format::new().set_bold();
    let mut widths: Vec<f64> = headers.iter().map(|h| display_width(h)).collect();
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(first_row, col as u16, *header, &bold).map_err(xlsx)?;
    }
    for (i, row) in rows.iter().enumerate() {
        for (col, cell) in row.iter().enumerate() {
            widths[col] = widths[col].max(display_width(cell));
            sheet.write_string(first_row + 1 + i as u32, col as u16, cell).map_err(xlsx)?;
        }
    }
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, (width + 2.0).min(60.0)).map_err(xlsx)?;
    }
    sheet.set_freeze_panes(first_row + 1, 0).map_err(xlsx)?;
    sheet.autofilter(first_row, 0, first_row + rows.len() as u32, headers.len() as u16 - 1).map_err(xlsx)?;
    Ok(())
}

/// 导出名单: the volunteers as listed, logged as an export by `actor` once in place.
pub fn write_volunteer_list(conn: &Connection, actor: &Actor, path: &Path, volunteers: &[&VolunteerRow]) -> Result<()> {
    may_export(actor)?;
    let headers =
        ["志愿者编号", "姓名", "性别", "出生日期", "所属单位", "服务队", "身份证号", "手机号", "政治面貌", "注册日期"];
    let rows: Vec<Vec<String>> = volunteers
        .iter()
        .map(|v| {
            vec![
                v.code.clone(),
                v.name.clone(),
                v.gender.clone(),
                v.birth_date.clone(),
                v.unit_name.clone(),
                v.team_name.clone().unwrap_or_default(),
                v.id_masked.clone(),
                v.phone_masked.clone(),
                v.political_status.clone(),
                v.registered_on.clone(),
            ]
        })
        .collect();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("志愿者名单").map_err(xlsx)?;
    write_table(sheet, 0, &headers, &rows)?;
    export_workbook(conn, actor, "志愿者名单", &mut workbook, path)
}

/// 导出报名名单: everyone who signed up for an activity, with their status; logged as an
/// export by `actor` once in place.
pub fn write_activity_roster(
    conn: &Connection,
    actor: &Actor,
    path: &Path,
    activity: &ActivityRow,
    roster: &[RosterEntry],
) -> Result<()> {
    may_export(actor)?;
    let headers = ["序号", "志愿者编号", "姓名", "所属单位", "手机号", "状态", "报名时间"];
    let rows: Vec<Vec<String>> = roster
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let status =
                if e.walk_in { format!("{}（现场）", e.status.label()) } else { e.status.label().to_string() };
            vec![
                (i + 1).to_string(),
                e.code.clone(),
                e.name.clone(),
                e.unit_name.clone(),
                e.phone_masked.clone(),
                status,
                e.signed_up_at.clone(),
            ]
        })
        .collect();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("报名名单").map_err(xlsx)?;
    sheet
        .write_string_with_format(0, 0, format!("{} 报名名单", activity.name), &Format::new().set_bold())
        .map_err(xlsx)?;
    write_table(sheet, 1, &headers, &rows)?;
    export_workbook(conn, actor, &format!("activity#{} 报名名单", activity.id), &mut workbook, path)
}

/// 打印签到表: a bordered A4 form with the places taken, blank times and a signature column,
/// and spare rows for walk-ins; logged as an export by `actor` once in place.
pub fn write_sign_in_sheet(
    conn: &Connection,
    actor: &Actor,
    path: &Path,
    activity: &ActivityRow,
    roster: &[RosterEntry],
) -> Result<()> {
    may_export(actor)?;
    const SPARE_ROWS: usize = 8;
    let headers = ["序号", "姓名", "所属单位", "手机号", "签到时间", "签退时间", "本人签名"];
    let widths = [6.0, 12.0, 26.0, 14.0, 12.0, 12.0, 16.0];
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("签到表").map_err(xlsx)?;
    let title = Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center);
    let cell = Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
    let header = cell.clone().set_bold().set_align(FormatAlign::Center);
    let last_col = headers.len() as u16 - 1;
    sheet.merge_range(0, 0, 0, last_col, &format!("{} 签到表", activity.name), &title).map_err(xlsx)?;
    let info = format!(
        "时间：{} 至 {}    地点：{}    组织：{}",
        activity.starts_at,
        activity.ends_at.get(11..).unwrap_or(&activity.ends_at),
        activity.place,
        activity.team_name
    );
    sheet.merge_range(1, 0, 1, last_col, &info, &Format::new()).map_err(xlsx)?;
    for (col, (h, w)) in headers.iter().zip(widths).enumerate() {
        sheet.write_string_with_format(2, col as u16, *h, &header).map_err(xlsx)?;
        sheet.set_column_width(col as u16, w).map_err(xlsx)?;
    }
    let attending: Vec<&RosterEntry> = roster.iter().filter(|e| e.status == SignupStatus::Confirmed).collect();
    for i in 0..attending.len() + SPARE_ROWS {
        let row = 3 + i as u32;
        sheet.set_row_height(row, 24).map_err(xlsx)?;
        let values = match attending.get(i) {
            Some(e) => [(i + 1).to_string(), e.name.clone(), e.unit_name.clone(), e.phone_masked.clone()],
            None => [(i + 1).to_string(), String::new(), String::new(), String::new()],
        };
        for col in 0..headers.len() {
            let value = values.get(col).map_or("", String::as_str);
            sheet.write_string_with_format(row, col as u16, value, &cell).map_err(xlsx)?;
        }
    }
    sheet.set_paper_size(9).set_portrait().set_repeat_rows(2, 2).map_err(xlsx)?;
    sheet.set_print_fit_to_pages(1, 0);
    export_workbook(conn, actor, &format!("activity#{} 签到表", activity.id), &mut workbook, path)
}
