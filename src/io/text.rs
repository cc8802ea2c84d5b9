//! Cleaning what staff type into spreadsheets: full-width characters, stray spaces, the many
//! ways of writing a date, and how wide Chinese text is on screen.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

// The normalising itself is the domain's, shared with the window's forms (`domain::input`).
pub use crate::domain::input::{normalize, parse_date, parse_date_time, without_spaces};

/// A person's name: spaces typed to line up two-character names (`张  三`) are dropped when
/// the name is all Chinese characters; other names keep their single inner spaces.
pub fn person_name(text: &str) -> String {
    let compact = without_spaces(text);
    if compact.chars().all(is_wide) { compact } else { text.split_whitespace().collect::<Vec<_>>().join(" ") }
}

/// How a header or sheet name is compared: normalised, without spaces, without the marks
/// staff add to required columns (`姓名*`, `姓名（必填）`).
pub fn header_key(raw: &str) -> String {
    let mut key = without_spaces(&normalize(raw));
    for suffix in ["(必填)", "（必填）", "(选填)", "（选填）", "*"] {
        if let Some(stripped) = key.strip_suffix(suffix) {
            key = stripped.to_string();
        }
    }
    key.trim_start_matches('*').to_string()
}

/// An Excel serial day number (1900 date system) for a date typed into a cell that was not
/// formatted as a date: 42917 is 2017-07-01. Only plausible registry dates (1954–2119) count.
pub fn excel_serial_date(serial: f64) -> Option<NaiveDate> {
    if !(20_000.0..=80_000.0).contains(&serial) || serial.fract() != 0.0 {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    epoch.checked_add_days(chrono::Days::new(serial as u64))
}

/// An Excel serial date-time (`42917.354166…` is 2017-07-01 08:30) typed into a cell not
/// formatted as one, rounded to the minute.
pub fn excel_serial_date_time(serial: f64) -> Option<NaiveDateTime> {
    let day = excel_serial_date(serial.floor())?;
    let minutes = ((serial - serial.floor()) * 1440.0).round() as i64;
    day.and_time(NaiveTime::MIN).checked_add_signed(chrono::Duration::minutes(minutes))
}

/// Splits a list cell (`送医下乡、义诊；健康讲座`) on 、 , ， ; ； and line breaks, dropping
/// empty items and repeats.
pub fn split_list(text: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for item in text.split(['、', ',', '，', ';', '；', '\n', '\r']) {
        let item = item.trim();
        if !item.is_empty() && !items.iter().any(|i| i == item) {
            items.push(item.to_string());
        }
    }
    items
}

/// Whether a character takes two columns on screen (CJK ideographs, full-width forms, CJK
/// punctuation).
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// The width of `text` in units of one digit, as Excel measures column widths: a Chinese
/// character is about two digits wide.
pub fn display_width(text: &str) -> f64 {
    text.chars().map(|c| if is_wide(c) { 2.0 } else { 1.0 }).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_names_lose_alignment_spaces_only() {
        assert_eq!(person_name("张  三"), "张三");
        assert_eq!(person_name("Anna  Li"), "Anna Li");
    }

    #[test]
    fn header_keys_ignore_required_marks() {
        assert_eq!(header_key(" 姓名* "), "姓名");
        assert_eq!(header_key("身份证号（必填）"), "身份证号");
        assert_eq!(header_key("手 机 号"), "手机号");
    }

    #[test]
    fn reads_excel_serial_dates_and_times() {
        let july1 = NaiveDate::from_ymd_opt(2017, 7, 1);
        assert_eq!(excel_serial_date(42917.0), july1);
        assert_eq!(excel_serial_date(12.0), None);
        let at = july1.and_then(|d| d.and_hms_opt(8, 30, 0));
        assert_eq!(excel_serial_date_time(42917.0 + 8.5 / 24.0), at);
    }

    #[test]
    fn splits_lists_on_chinese_and_ascii_separators() {
        assert_eq!(split_list("送医下乡、义诊；健康讲座, 义诊"), ["送医下乡", "义诊", "健康讲座"]);
        assert!(split_list(" 、 ").is_empty());
    }

    #[test]
    fn measures_chinese_as_double_width() {
        assert_eq!(display_width("身份证号"), 8.0);
        assert_eq!(display_width("ZY00001"), 7.0);
    }
}
