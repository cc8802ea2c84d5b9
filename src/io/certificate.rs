//! 志愿服务证明 as a print-ready sheet: A4 portrait, one page — the serial, who (ID masked),
//! the period, the hours and the service content by category, the issuing unit with room for
//! its seal, who handled it, and the date (办法 §14–15, 民发〔2015〕149号).

use std::path::Path;

use rust_xlsxwriter::utility::row_col_to_cell;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError};

use super::export::{export_workbook, may_export};
use super::report::{HOURS_FORMAT, HOURS_NOTE, in_hours};
use super::text::display_width;
use crate::error::{Error, Result};
use crate::store::Actor;
use crate::store::certificates::Certificate;

pub const SHEET_NAME: &str = "志愿服务证明";
/// The row of the content table's header (序号, 服务类别, …).
pub const CONTENT_HEADER_ROW: u32 = 9;
const LAST_COL: u16 = 5;

/// The first column holds the widest label, 志愿者编号, whole.
const COLUMN_WIDTHS: [f64; 6] = [15.0, 24.0, 12.0, 12.0, 12.0, 12.0];
const CONTENT_HEADERS: [&str; 6] = ["序号", "服务类别", "参加活动（次）", "信用时数", "荣誉时数", "合计时数"];
/// The value cells of the identity block: one column, and the three merged on the right.
const VALUE_WIDTH: f64 = COLUMN_WIDTHS[1];
const WIDE_VALUE_WIDTH: f64 = COLUMN_WIDTHS[3] + COLUMN_WIDTHS[4] + COLUMN_WIDTHS[5];
/// Column-width units (digits of the default font) a character of 12-point 宋体 takes; a
/// Chinese character counts as two.
const UNITS_PER_CHARACTER: f64 = 1.2;
/// Points a line of 12-point text takes, and a cell's padding.
const LINE_POINTS: f64 = 16.0;
const CELL_PADDING: f64 = 10.0;

/// The lines `text` takes in a wrapping cell `width` units wide, after the indent.
fn lines_in(text: &str, width: f64) -> f64 {
    let usable = width - 3.0;
    text.split('\n').map(|line| (display_width(line) * UNITS_PER_CHARACTER / usable).ceil().max(1.0)).sum()
}

/// A row tall enough for each of its wrapping cells, `(text, width)`: a name or a period too
/// long for one line is shown whole, never cut at the border.
fn row_height(cells: &[(&str, f64)]) -> f64 {
    let lines = cells.iter().map(|(text, width)| lines_in(text, *width)).fold(1.0, f64::max);
    (lines * LINE_POINTS + CELL_PADDING).max(26.0)
}

fn xlsx(e: XlsxError) -> Error {
    Error::rejected(format!("生成志愿服务证明失败：{e}"))
}

/// Writes the certificate to `path`, logged as an export by `actor` once in place; a reprint
/// says so beside the same serial.
pub fn write_certificate(
    conn: &rusqlite::Connection,
    actor: &Actor,
    path: &Path,
    certificate: &Certificate,
    reprint: bool,
) -> Result<()> {
    may_export(actor)?;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    certificate_sheet(sheet, certificate, reprint).map_err(xlsx)?;
    let what = if reprint {
        format!("志愿服务证明 {}（补打）", certificate.serial)
    } else {
        format!("志愿服务证明 {}", certificate.serial)
    };
    export_workbook(conn, actor, &what, &mut workbook, path)
}

struct Styles {
    title: Format,
    serial: Format,
    label: Format,
    value: Format,
    header: Format,
    cell: Format,
    hours: Format,
    total: Format,
    total_hours: Format,
    note: Format,
    sign: Format,
}

impl Styles {
    fn new() -> Self {
        let base = Format::new().set_font_name("宋体").set_font_size(12).set_align(FormatAlign::VerticalCenter);
        let cell = base.clone().set_border(FormatBorder::Thin);
        Styles {
            title: base.clone().set_font_size(24).set_bold().set_align(FormatAlign::Center),
            serial: base.clone().set_font_size(11).set_align(FormatAlign::Right),
            label: cell.clone().set_bold().set_align(FormatAlign::Center).set_background_color("#F2F2F2"),
            value: cell.clone().set_align(FormatAlign::Left).set_indent(1).set_text_wrap(),
            header: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color("#F2F2F2")
                .set_text_wrap(),
            cell: cell.clone().set_align(FormatAlign::Center),
            hours: cell.clone().set_align(FormatAlign::Center).set_num_format(HOURS_FORMAT),
            total: cell.clone().set_bold().set_align(FormatAlign::Center),
            total_hours: cell.set_bold().set_align(FormatAlign::Center).set_num_format(HOURS_FORMAT),
            note: base.clone().set_font_size(10).set_text_wrap().set_align(FormatAlign::Top),
            sign: base.set_align(FormatAlign::Right),
        }
    }
}

/// `2017-07-01` → `2017年7月1日`.
fn chinese_date(date: &str) -> String {
    let mut parts = date.get(..10).unwrap_or(date).split('-').map(|p| p.trim_start_matches('0'));
    match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d)) => format!("{y}年{m}月{d}日"),
        _ => date.to_string(),
    }
}

fn certificate_sheet(sheet: &mut Worksheet, c: &Certificate, reprint: bool) -> Result<(), XlsxError> {
    let s = Styles::new();
    sheet.set_name(SHEET_NAME)?;
    for (col, width) in COLUMN_WIDTHS.into_iter().enumerate() {
        sheet.set_column_width(col as u16, width)?;
    }
    sheet.merge_range(0, 0, 0, LAST_COL, "志愿服务证明", &s.title)?;
    sheet.set_row_height(0, 54)?;
    let serial = if reprint { format!("编号：{}（补打）", c.serial) } else { format!("编号：{}", c.serial) };
    sheet.merge_range(1, 0, 1, LAST_COL, &serial, &s.serial)?;
    sheet.set_row_height(1, 24)?;

    let v = &c.volunteer;
    let period = format!("{} 至 {}", chinese_date(&c.period_from), chinese_date(&c.period_to));
    // Exact hours and minutes in words, one kind a line (on one line they overflow the cell);
    // the table below shows hours with one decimal.
    let split = format!("信用时数 {}\n荣誉时数 {}", c.hours.credit.in_words(), c.hours.honor.in_words());
    let total = c.hours.total().in_words();
    let masked = v.id_masked.clone();
    let identity: [(&str, &str, &str, &str); 4] = [
        ("姓名", &v.name, "性别", &v.gender),
        ("志愿者编号", &v.code, "身份证号", &masked),
        ("所属单位", &v.unit_name, "服务期间", &period),
        ("累计时数", &total, "其中", &split),
    ];
    for (i, (l1, v1, l2, v2)) in identity.iter().enumerate() {
        let row = 3 + i as u32;
        sheet.write_string_with_format(row, 0, *l1, &s.label)?;
        sheet.write_string_with_format(row, 1, *v1, &s.value)?;
        sheet.write_string_with_format(row, 2, *l2, &s.label)?;
        sheet.merge_range(row, 3, row, LAST_COL, v2, &s.value)?;
        sheet.set_row_height(row, row_height(&[(v1, VALUE_WIDTH), (v2, WIDE_VALUE_WIDTH)]))?;
    }
    let intro =
        format!("兹证明 {} 同志在上述期间参加志愿服务，服务时数经本单位志愿服务记录核实，服务内容如下：", v.name);
    sheet.merge_range(CONTENT_HEADER_ROW - 1, 0, CONTENT_HEADER_ROW - 1, LAST_COL, &intro, &s.note)?;
    sheet.set_row_height(CONTENT_HEADER_ROW - 1, 36)?;

    for (col, header) in CONTENT_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(CONTENT_HEADER_ROW, col as u16, *header, &s.header)?;
    }
    let headers: Vec<(&str, f64)> = CONTENT_HEADERS.into_iter().zip(COLUMN_WIDTHS).collect();
    sheet.set_row_height(CONTENT_HEADER_ROW, row_height(&headers))?;
    let mut row = CONTENT_HEADER_ROW + 1;
    for (i, line) in c.lines.iter().enumerate() {
        sheet.write_number_with_format(row, 0, (i + 1) as f64, &s.cell)?;
        sheet.write_string_with_format(row, 1, &line.category, &s.cell)?;
        sheet.write_number_with_format(row, 2, line.activities as f64, &s.cell)?;
        sheet.write_number_with_format(row, 3, in_hours(line.hours.credit), &s.hours)?;
        sheet.write_number_with_format(row, 4, in_hours(line.hours.honor), &s.hours)?;
        sheet.write_number_with_format(row, 5, in_hours(line.hours.total()), &s.hours)?;
        sheet.set_row_height(row, 22)?;
        row += 1;
    }
    sheet.merge_range(row, 0, row, 2, "合计", &s.total)?;
    let first = CONTENT_HEADER_ROW + 1;
    for (col, total) in [(3u16, c.hours.credit), (4, c.hours.honor), (5, c.hours.total())] {
        let range = format!("=SUM({}:{})", row_col_to_cell(first, col), row_col_to_cell(row - 1, col));
        let formula = Formula::new(range).set_result(in_hours(total).to_string());
        sheet.write_formula_with_format(row, col, formula, &s.total_hours)?;
    }
    sheet.set_row_height(row, 22)?;

    let note = "说明：本证明依据《志愿服务记录与证明出具办法（试行）》免费出具。服务信用时数来自活动签到、签退记录，\
                荣誉时数为经核实的补录时数，均不含往返交通时间。证明编号已登记备查，补打沿用原编号。";
    let note = format!("{note}{}", HOURS_NOTE.trim_start_matches("注："));
    sheet.merge_range(row + 2, 0, row + 2, LAST_COL, &note, &s.note)?;
    sheet.set_row_height(row + 2, 72)?;
    let signatures = [
        format!("出具单位（盖章）：{}", c.issuing_unit),
        format!("经办人：{}", c.issued_by),
        format!("出具日期：{}", chinese_date(&c.issued_at)),
    ];
    for (i, text) in signatures.iter().enumerate() {
        let r = row + 5 + 2 * i as u32;
        sheet.merge_range(r, 0, r, LAST_COL, text, &s.sign)?;
        sheet.set_row_height(r, 24)?;
    }
    sheet.set_paper_size(9).set_portrait().set_print_fit_to_pages(1, 1).set_print_center_horizontally(true);
    sheet.set_margins(0.8, 0.8, 1.0, 1.0, 0.3, 0.3);
    sheet.set_print_area(0, 0, row + 9, LAST_COL)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `text` shows whole in a wrapping cell `width` units wide and `height` points tall.
    fn shows_whole(text: &str, width: f64, height: f64) -> bool {
        lines_in(text, width) * LINE_POINTS + CELL_PADDING <= height
    }

    #[test]
    fn the_hours_split_and_long_values_show_whole() {
        // 其中 as a clerk met it cut: `…荣誉时数 5 小时 48`.
        let split = "信用时数 1234 小时 56 分钟\n荣誉时数 5 小时 48 分钟";
        let unit = "中共某某市委机关工作委员会办公室（市直机关党员志愿服务总队）";
        let period = "2026年10月10日 至 2026年12月31日";
        for (text, width) in [(split, WIDE_VALUE_WIDTH), (unit, VALUE_WIDTH), (period, WIDE_VALUE_WIDTH)] {
            let height = row_height(&[(text, width)]);
            assert!(shows_whole(text, width, height), "{text}: {height} pt");
        }
        assert!(row_height(&[(split, WIDE_VALUE_WIDTH)]) >= 2.0 * LINE_POINTS, "two lines");
        assert_eq!(row_height(&[("张三", VALUE_WIDTH)]), 26.0, "a short value keeps the row as it was");
        assert!(!shows_whole(&split.replace('\n', "，"), WIDE_VALUE_WIDTH, 26.0), "the old row cut it");
    }

    #[test]
    fn labels_and_headers_show_whole() {
        for label in ["志愿者编号", "所属单位", "累计时数"] {
            assert!(lines_in(label, COLUMN_WIDTHS[0]) == 1.0, "{label} on one line");
        }
        let headers: Vec<(&str, f64)> = CONTENT_HEADERS.into_iter().zip(COLUMN_WIDTHS).collect();
        let height = row_height(&headers);
        for (header, width) in headers {
            assert!(shows_whole(header, width, height), "{header}");
        }
    }
}
