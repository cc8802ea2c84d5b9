//! The empty import template (formats.md): every sheet with its headers, a grey note row
//! under them that the importer skips, drop-down lists where a column has fixed values,
//! ID and phone columns kept as text, a frozen header, and column widths that fit Chinese.

use std::path::Path;

use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::error::{Error, Result};
use crate::io::sheets::{self, ColumnKind, ColumnSpec, SheetSpec};
use crate::io::text::display_width;

/// The last row a drop-down list covers (Excel's last row, 0-based).
const LAST_ROW: u32 = 1_048_575;
/// Column widths in Excel units (about one digit each).
const MIN_WIDTH: f64 = 8.0;
const MAX_WIDTH: f64 = 40.0;
/// Height of one line of the note row, in points.
const LINE_HEIGHT: f64 = 15.0;

/// Writes the template whole to `path`, replacing a file that is there (the window's save
/// dialog has asked; the command line refuses an existing file before calling this) unless
/// it is a database. It holds no data, so it is not logged as an export.
pub fn write_template(path: &Path) -> Result<()> {
    let mut workbook = template_workbook()?;
    super::export::save_workbook(&mut workbook, path, None)
}

/// The template as a workbook, for callers that add rows before saving (tests fill it in
/// and import it back).
pub fn template_workbook() -> Result<Workbook> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    for spec in sheets::ALL {
        let sheet = workbook.add_worksheet();
        write_sheet(sheet, spec, &formats).map_err(|e| Error::rejected(format!("生成导入模板失败：{e}")))?;
    }
    Ok(workbook)
}

struct Formats {
    header: Format,
    required_header: Format,
    note: Format,
    text: Format,
    date: Format,
    datetime: Format,
    wrap: Format,
}

impl Formats {
    fn new() -> Formats {
        let header = Format::new()
            .set_bold()
            .set_background_color("#E7EEF7")
            .set_border_bottom(FormatBorder::Thin)
            .set_align(rust_xlsxwriter::FormatAlign::Center);
        Formats {
            required_header: header.clone().set_font_color("#9C0006"),
            header,
            note: Format::new()
                .set_italic()
                .set_font_color("#7F7F7F")
                .set_font_size(9)
                .set_text_wrap()
                .set_align(rust_xlsxwriter::FormatAlign::Top)
                .set_num_format("@"),
            text: Format::new().set_num_format("@"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            wrap: Format::new().set_text_wrap(),
        }
    }

    /// The format of a column's data cells, if it needs one.
    fn for_kind(&self, kind: ColumnKind) -> Option<&Format> {
        match kind {
            ColumnKind::Code | ColumnKind::IdNumber | ColumnKind::Phone => Some(&self.text),
            ColumnKind::Date => Some(&self.date),
            ColumnKind::DateTime => Some(&self.datetime),
            ColumnKind::LongText => Some(&self.wrap),
            _ => None,
        }
    }
}

fn write_sheet(sheet: &mut Worksheet, spec: &SheetSpec, formats: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(spec.name)?;
    let mut note_lines = 1.0_f64;
    for (index, column) in spec.columns.iter().enumerate() {
        let col = u16::try_from(index).unwrap_or(u16::MAX);
        let width = column_width(column);
        sheet.set_column_width(col, width)?;
        if let Some(format) = formats.for_kind(column.kind) {
            sheet.set_column_format(col, format)?;
        }
        let header_format = if column.required { &formats.required_header } else { &formats.header };
        sheet.write_string_with_format(0, col, column.name, header_format)?;
        let note = column.note_text();
        sheet.write_string_with_format(1, col, &note, &formats.note)?;
        // Notes are in a smaller font: about 0.8 of a digit per half-width character.
        note_lines = note_lines.max((display_width(&note) * 0.8 / (width - 1.0)).ceil());
        if let Some(validation) = validation_for(column)? {
            sheet.add_data_validation(2, col, LAST_ROW, col, &validation)?;
        }
    }
    sheet.set_row_height(1, LINE_HEIGHT * note_lines)?;
    sheet.set_freeze_panes(2, 0)?;
    Ok(())
}

/// Wide enough for the header (bold, plus a drop-down arrow), for a typical value of the
/// column, and for the note on a line or two; a Chinese character counts as two digits.
fn column_width(column: &ColumnSpec) -> f64 {
    let header = display_width(column.name) * 1.15 + 3.0;
    let value: f64 = match column.kind {
        ColumnKind::IdNumber => 21.0,
        ColumnKind::Phone => 15.0,
        ColumnKind::Code | ColumnKind::Date => 12.0,
        ColumnKind::DateTime => 17.0,
        ColumnKind::LongText => MAX_WIDTH,
        ColumnKind::Integer | ColumnKind::Decimal => 8.0,
        ColumnKind::Choice(values) | ColumnKind::Suggested(values) => {
            values.iter().map(|v| display_width(v)).fold(0.0, f64::max) + 4.0
        }
        ColumnKind::Text => 14.0,
    };
    let note = (display_width(&column.note_text()) * 0.8 / 2.0).min(24.0);
    header.max(value).max(note).clamp(MIN_WIDTH, MAX_WIDTH)
}

fn validation_for(column: &ColumnSpec) -> Result<Option<DataValidation>, XlsxError> {
    let (values, strict) = match column.kind {
        ColumnKind::Choice(values) => (values, true),
        ColumnKind::Suggested(values) => (values, false),
        _ => return Ok(None),
    };
    let mut validation = DataValidation::new()
        .allow_list_strings(values)?
        .set_error_title(format!("{}不正确", column.name))?
        .set_error_message(format!("请从下拉列表中选择：{}", values.join("、")))?;
    if !strict {
        validation = validation.set_error_style(DataValidationErrorStyle::Warning);
    }
    Ok(Some(validation))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_headers_get_room() {
        let id = sheets::VOLUNTEERS.columns.iter().find(|c| c.name == "身份证号").expect("column");
        assert!(column_width(id) >= 20.0);
        let kind = sheets::TEAMS.columns.iter().find(|c| c.name == "类型").expect("column");
        assert!(column_width(kind) >= display_width("专业服务队") + 2.0);
        for sheet in sheets::ALL {
            for column in sheet.columns {
                assert!(column_width(column) >= display_width(column.name), "{}", column.name);
            }
        }
    }
}
