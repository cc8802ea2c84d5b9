//! Cleaning what staff type into spreadsheets: full-width characters, stray spaces, the many
//! ways of writing a date, and how wide Chinese text is on screen.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// Full-width punctuation that is the correct form in Chinese text and is kept as it is:
/// turning `市委办公室（市档案局）` into `市委办公室(市档案局)` would make the same unit name
/// typed in the window and in a workbook differ.
const CHINESE_PUNCTUATION: [char; 7] = ['（', '）', '，', '：', '；', '！', '？'];

/// Trims a cell and turns full-width digits, letters and symbols (`０-９`, `Ａ-Ｚ`, `ａ-ｚ`,
/// `－`, `／`, `．` …) into ASCII and the ideographic space (U+3000) and no-break spaces into
/// a plain space; zero-width characters are dropped. Chinese punctuation listed in
/// [`CHINESE_PUNCTUATION`] stays.
pub fn normalize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '\u{3000}' | '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' => out.push(' '),
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
            '\u{FF01}'..='\u{FF5E}' if !CHINESE_PUNCTUATION.contains(&c) => {
                out.push(char::from_u32(c as u32 - 0xFEE0).unwrap_or(c));
            }
            _ => out.push(c),
        }
    }
    let trimmed = out.trim();
    if trimmed.len() == out.len() { out } else { trimmed.to_string() }
}

/// The text with every kind of whitespace removed: for numbers staff space out for reading
/// (`138 5778 1234`, `330381 19900101 1234`).
pub fn without_spaces(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

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

/// Reads a date written as `2017-07-01`, `2017/7/1`, `2017.7.1`, `2017年7月1日` or
/// `20170701`; a time after the date (`2017-07-01 08:30`) is ignored.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let date_part = text.trim().split([' ', 'T']).next().unwrap_or_default();
    if date_part.len() == 8 && date_part.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(date_part, "%Y%m%d").ok();
    }
    let unified: String = date_part
        .chars()
        .filter(|c| !matches!(c, '日' | '号'))
        .map(|c| if matches!(c, '年' | '月' | '/' | '.') { '-' } else { c })
        .collect();
    let mut parts = unified.split('-');
    let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    if y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
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

/// Reads a time written as a date and `HH:MM` (`2017-07-01 08:30`, `2017/7/1 8:30`,
/// `2017年7月1日 8:30`, `2017-07-01T08:30:00`); seconds are dropped, as the store keeps whole
/// minutes. A date alone is not a time: staff who leave the hour out mean something else.
pub fn parse_date_time(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim().replacen('T', " ", 1);
    let (date, time) = text.split_once(' ')?;
    let date = parse_date(date)?;
    let time = time.trim().replace('：', ":");
    let mut parts = time.split(':');
    let (Some(h), Some(m)) = (parts.next(), parts.next()) else {
        return None;
    };
    let seconds_ok = parts.next().is_none_or(|s| s.split('.').next().is_some_and(|s| s.parse::<u32>().is_ok()));
    if !seconds_ok || parts.next().is_some() {
        return None;
    }
    Some(date.and_time(NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)?))
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
    fn normalises_full_width_and_spaces() {
        assert_eq!(normalize("　３３０３８１１９９００１０１１２３ｘ "), "33038119900101123x");
        assert_eq!(normalize("０５７７－６５８１２３４５"), "0577-65812345");
        assert_eq!(normalize("ＺＤ－ＣＺＪ\u{00A0}"), "ZD-CZJ");
        assert_eq!(normalize("市委办公室（市档案局）"), "市委办公室（市档案局）");
        assert_eq!(normalize("\u{FEFF}张三\u{200B}"), "张三");
    }

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
    fn reads_the_usual_date_spellings() {
        let july1 = NaiveDate::from_ymd_opt(2017, 7, 1);
        for text in ["2017-07-01", "2017/7/1", "2017.7.1", "2017年7月1日", "20170701", "2017-07-01 08:30"] {
            assert_eq!(parse_date(text), july1, "{text}");
        }
        assert_eq!(parse_date("2017-02-30"), None);
        assert_eq!(parse_date("17-7-1"), None);
        assert_eq!(parse_date("明天"), None);
        assert_eq!(excel_serial_date(42917.0), july1);
        assert_eq!(excel_serial_date(12.0), None);
    }

    #[test]
    fn reads_the_usual_time_spellings() {
        let at = NaiveDate::from_ymd_opt(2017, 7, 1).and_then(|d| d.and_hms_opt(8, 30, 0));
        for text in
            ["2017-07-01 08:30", "2017/7/1 8:30", "2017年7月1日 8:30", "2017-07-01T08:30:59", "2017-07-01 8：30"]
        {
            assert_eq!(parse_date_time(text), at, "{text}");
        }
        assert_eq!(parse_date_time("2017-07-01"), None);
        assert_eq!(parse_date_time("2017-07-01 25:00"), None);
        assert_eq!(parse_date_time("2017-07-01 8点"), None);
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
