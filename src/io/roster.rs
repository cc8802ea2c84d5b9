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

/// 导出报名名单: everyone who signed up for an activity, with their status (候补1, 候补2 … in
/// the order they move up), on A4 with a grid, one page wide; logged as an export by `actor`
/// once in place.
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
        .zip(status_labels(roster))
        .enumerate()
        .map(|(i, (e, status))| {
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
    let widths = fitted_widths(&headers, &rows);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("报名名单").map_err(xlsx)?;
    paper_heading(sheet, &format!("{} 报名名单", activity.name), &activity_line(activity), headers.len())?;
    grid(sheet, &headers, &widths, &rows, ROSTER_ROW_HEIGHT)?;
    a4_one_page_wide(sheet, widths.iter().sum::<f64>() > PORTRAIT_WIDTH)?;
    export_workbook(conn, actor, &format!("activity#{} 报名名单", activity.id), &mut workbook, path)
}

/// 打印签到表: an A4 grid with a row to sign for each place taken, then the waiting list
/// (候补1, 候补2 …: whoever comes in for a place that is not used signs there), then spare rows
/// for walk-ins; logged as an export by `actor` once in place.
pub fn write_sign_in_sheet(
    conn: &Connection,
    actor: &Actor,
    path: &Path,
    activity: &ActivityRow,
    roster: &[RosterEntry],
) -> Result<()> {
    may_export(actor)?;
    const SPARE_ROWS: usize = 8;
    let headers = ["序号", "编号", "姓名", "所属单位", "手机号", "签到时间", "签退时间", "本人签名"];
    let on_list: Vec<(&RosterEntry, String)> =
        roster.iter().zip(status_labels(roster)).filter(|(e, _)| e.status != SignupStatus::Withdrawn).collect();
    let confirmed = on_list.iter().filter(|(e, _)| e.status == SignupStatus::Confirmed).count();
    let mut rows: Vec<Vec<String>> = on_list
        .iter()
        .enumerate()
        .map(|(i, (e, status))| {
            // A place is numbered; a waiting person is marked with their turn.
            let number = if e.status == SignupStatus::Confirmed { (i + 1).to_string() } else { status.clone() };
            vec![number, e.code.clone(), e.name.clone(), e.unit_name.clone(), e.phone_masked.clone()]
        })
        .collect();
    rows.extend((confirmed + 1..=confirmed + SPARE_ROWS).map(|n| vec![n.to_string()]));
    let mut widths = fitted_widths(&headers, &rows);
    // Room for a time written by hand and for a signature.
    for (col, least) in [(5, 11.0), (6, 11.0), (7, 18.0)] {
        widths[col] = f64::max(widths[col], least);
    }
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("签到表").map_err(xlsx)?;
    paper_heading(sheet, &format!("{} 签到表", activity.name), &activity_line(activity), headers.len())?;
    grid(sheet, &headers, &widths, &rows, SIGNING_ROW_HEIGHT)?;
    // Portrait keeps more rows on a page; the columns shrink to the page's width.
    a4_one_page_wide(sheet, false)?;
    export_workbook(conn, actor, &format!("activity#{} 签到表", activity.id), &mut workbook, path)
}

/// Rows of a printed roster, in points.
const ROSTER_ROW_HEIGHT: f64 = 20.0;

/// Rows of a sign-in sheet, in points: tall enough to sign in (about a centimetre).
const SIGNING_ROW_HEIGHT: f64 = 30.0;

/// What A4 portrait holds across, in Excel's column units at the margins of
/// [`a4_one_page_wide`] (19 cm at about 7 pixels a unit); a wider table prints landscape.
const PORTRAIT_WIDTH: f64 = 95.0;

/// Widest a column grows before its text wraps in the cell (long unit names).
const WIDEST_COLUMN: f64 = 30.0;

/// The paper's header row, below the title and the activity's line.
const HEADER_ROW: u32 = 2;

/// Each sign-up's status as a paper says it: 已报名, 候补1, 候补2 … (their turn, in the roster's
/// order), 已退出; （现场） after a walk-in.
fn status_labels(roster: &[RosterEntry]) -> Vec<String> {
    let mut waiting = 0;
    roster
        .iter()
        .map(|e| {
            let status = match e.status {
                SignupStatus::Waiting => {
                    waiting += 1;
                    format!("{}{waiting}", e.status.label())
                }
                SignupStatus::Confirmed | SignupStatus::Withdrawn => e.status.label().to_string(),
            };
            if e.walk_in { format!("{status}（现场）") } else { status }
        })
        .collect()
}

/// When, where and who organises, under a paper's title.
fn activity_line(activity: &ActivityRow) -> String {
    format!(
        "时间：{} 至 {}    地点：{}    组织：{}",
        activity.starts_at,
        activity.ends_at.get(11..).unwrap_or(&activity.ends_at),
        activity.place,
        activity.team_name
    )
}

/// Column widths that fit the headers and the text, up to [`WIDEST_COLUMN`].
fn fitted_widths(headers: &[&str], rows: &[Vec<String>]) -> Vec<f64> {
    headers
        .iter()
        .enumerate()
        .map(|(col, header)| {
            let widest = rows.iter().filter_map(|row| row.get(col)).map(|cell| display_width(cell)).fold(0.0, f64::max);
            (display_width(header).max(widest) + 2.0).min(WIDEST_COLUMN)
        })
        .collect()
}

/// The title across the paper's width and the activity's line under it.
fn paper_heading(sheet: &mut Worksheet, title: &str, line: &str, columns: usize) -> Result<()> {
    let last_col = columns as u16 - 1;
    let title_format = Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center);
    sheet.merge_range(0, 0, 0, last_col, title, &title_format).map_err(xlsx)?;
    sheet.set_row_height(0, 28).map_err(xlsx)?;
    sheet.merge_range(1, 0, 1, last_col, line, &Format::new().set_text_wrap()).map_err(xlsx)?;
    Ok(())
}

/// The header row at [`HEADER_ROW`] and `rows` under it, every cell bordered (blank ones too,
/// up to the last column), rows `row_height` points tall.
fn grid(sheet: &mut Worksheet, headers: &[&str], widths: &[f64], rows: &[Vec<String>], row_height: f64) -> Result<()> {
    let cell = Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter).set_text_wrap();
    let header = cell.clone().set_bold().set_align(FormatAlign::Center).set_background_color(0xE7E6E6);
    for (col, (title, width)) in headers.iter().zip(widths).enumerate() {
        sheet.write_string_with_format(HEADER_ROW, col as u16, *title, &header).map_err(xlsx)?;
        sheet.set_column_width(col as u16, *width).map_err(xlsx)?;
    }
    sheet.set_row_height(HEADER_ROW, 22).map_err(xlsx)?;
    for (i, values) in rows.iter().enumerate() {
        let row = HEADER_ROW + 1 + i as u32;
        sheet.set_row_height(row, row_height).map_err(xlsx)?;
        for col in 0..headers.len() {
            let value = values.get(col).map_or("", String::as_str);
            sheet.write_string_with_format(row, col as u16, value, &cell).map_err(xlsx)?;
        }
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 0).map_err(xlsx)?;
    Ok(())
}

/// A4, scaled to one page wide and as many long as it takes, the header row on every page,
/// centred, numbered at the foot.
fn a4_one_page_wide(sheet: &mut Worksheet, landscape: bool) -> Result<()> {
    const A4: u8 = 9;
    sheet.set_paper_size(A4);
    if landscape {
        sheet.set_landscape();
    } else {
        sheet.set_portrait();
    }
    sheet.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    sheet.set_print_center_horizontally(true);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_footer("&C第 &P 页，共 &N 页");
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW).map_err(xlsx)?;
    Ok(())
}
