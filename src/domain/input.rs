//! What staff type, read one way wherever they type it: a form in the window and a workbook's
//! cell go through the same normalisation (full-width `１２０`, stray spaces, `2017/7/1`,
//! `+86 138-5778-1234`) and the same types, each parsing itself with the Chinese reason on
//! failure. So a value the importer takes, a form takes too, and says why when it does not.

use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::identity::{IdCard, is_mobile_number, parse_id_card};

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

/// A number as typed, for parsing: normalised and without the spaces staff put in for reading.
fn compact(text: &str) -> String {
    without_spaces(&normalize(text))
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

/// A whole number ≥ 0 (党员总数, 招募人数 where 0 is allowed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count(pub i64);

impl FromStr for Count {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        match compact(text).parse::<i64>() {
            Ok(n) if n >= 0 => Ok(Count(n)),
            _ => Err(format!("“{}”不是有效数字，应为不小于0的整数", text.trim())),
        }
    }
}

/// A whole number > 0 (招募人数).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PositiveCount(pub i64);

impl FromStr for PositiveCount {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        match compact(text).parse::<i64>() {
            Ok(n) if n > 0 => Ok(PositiveCount(n)),
            _ => Err(format!("“{}”不是有效数字，应为大于0的整数", text.trim())),
        }
    }
}

/// A day (注册日期, 成立日期, 服务日期).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Day(pub NaiveDate);

impl FromStr for Day {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        parse_date(&normalize(text))
            .map(Day)
            .ok_or_else(|| format!("“{}”不是有效日期（应为 2017-07-01 这样的日期）", text.trim()))
    }
}

/// A time to the minute (开始时间, 招募截止 …): a date and its hour and minute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moment(pub NaiveDateTime);

impl FromStr for Moment {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        parse_date_time(&normalize(text))
            .map(Moment)
            .ok_or_else(|| format!("“{}”不是有效时间（应为 2017-07-01 08:30 这样的日期和时间）", text.trim()))
    }
}

/// A mainland mobile number, spaces, dashes and a +86 prefix removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mobile(pub String);

impl FromStr for Mobile {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let number = mobile_digits(&normalize(text));
        if is_mobile_number(&number) {
            Ok(Mobile(number))
        } else {
            Err(format!("手机号“{}”格式不正确（应为1开头的11位数字）", text.trim()))
        }
    }
}

/// A mobile number, or a landline of digits and dashes (`0577-65812345`, `65812345`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone(pub String);

impl FromStr for Phone {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        if let Ok(Mobile(number)) = text.parse() {
            return Ok(Phone(number));
        }
        let landline = compact(text);
        if is_landline(&landline) {
            Ok(Phone(landline))
        } else {
            Err(format!("电话“{}”格式不正确（应为11位手机号，或如 0577-65812345 的固定电话）", text.trim()))
        }
    }
}

/// A 身份证号 as typed (full-width, spaced, a small x), checked by GB 11643 against `today`.
pub fn id_card(text: &str, today: NaiveDate) -> Result<IdCard, String> {
    parse_id_card(&compact(text), today)
}

/// `+86 138-5778-1234` → `13857781234`.
fn mobile_digits(text: &str) -> String {
    let digits: String = text.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    let digits = digits.strip_prefix('+').unwrap_or(&digits);
    match digits.strip_prefix("86") {
        Some(rest) if rest.len() == 11 => rest.to_string(),
        _ => digits.to_string(),
    }
}

/// A landline: digits and single dashes; with an area code (`0577-65812345`, extension
/// allowed) 10 to 16 digits, without one 7 or 8.
fn is_landline(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.is_empty() || !bytes.iter().all(|b| b.is_ascii_digit() || *b == b'-') {
        return false;
    }
    if text.starts_with('-') || text.ends_with('-') || text.contains("--") {
        return false;
    }
    let digits = bytes.iter().filter(|b| b.is_ascii_digit()).count();
    match bytes[0] {
        b'0' => (10..=16).contains(&digits),
        b'1' => false,
        _ if text.contains('-') => (7..=16).contains(&digits),
        _ => (7..=8).contains(&digits),
    }
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
    fn reads_the_usual_date_spellings() {
        let july1 = NaiveDate::from_ymd_opt(2017, 7, 1);
        for text in ["2017-07-01", "2017/7/1", "2017.7.1", "2017年7月1日", "20170701", "2017-07-01 08:30"] {
            assert_eq!(parse_date(text), july1, "{text}");
        }
        assert_eq!(parse_date("2017-02-30"), None);
        assert_eq!(parse_date("17-7-1"), None);
        assert_eq!(parse_date("明天"), None);
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
    }

    #[test]
    fn reads_phone_spellings() {
        assert_eq!(mobile_digits("+86 138-5778-1234"), "13857781234");
        assert_eq!(mobile_digits("8613857781234"), "13857781234");
        assert!(is_landline("0577-65812345"));
        assert!(is_landline("057765812345"));
        assert!(is_landline("0577-65812345-801"));
        assert!(is_landline("65812345"));
        assert!(is_landline("400-800-1234"));
        assert!(!is_landline("12857781234"));
        assert!(!is_landline("0577--6581234"));
        assert!(!is_landline("123"));
        assert!(!is_landline("0577-6581234x"));
    }

    #[test]
    fn typed_values_parse_themselves_as_the_importer_reads_cells() {
        assert_eq!("１２０".parse::<Count>(), Ok(Count(120)));
        assert_eq!(" 1 200 ".parse::<Count>(), Ok(Count(1200)));
        assert_eq!("0".parse::<Count>(), Ok(Count(0)));
        assert_eq!("-3".parse::<Count>(), Err("“-3”不是有效数字，应为不小于0的整数".to_string()));
        assert_eq!("0".parse::<PositiveCount>(), Err("“0”不是有效数字，应为大于0的整数".to_string()));
        assert_eq!("２０".parse::<PositiveCount>(), Ok(PositiveCount(20)));
        let july1 = NaiveDate::from_ymd_opt(2017, 7, 1).expect("date");
        assert_eq!("２０１７／７／１".parse::<Day>(), Ok(Day(july1)));
        assert_eq!("2017-7".parse::<Day>(), Err("“2017-7”不是有效日期（应为 2017-07-01 这样的日期）".to_string()));
        let at = july1.and_hms_opt(8, 30, 0).expect("time");
        assert_eq!("２０１７-０７-０１　０８：３０".parse::<Moment>(), Ok(Moment(at)));
        assert!("2017-07-01".parse::<Moment>().is_err(), "a bare date is no time");
        assert_eq!("＋86 138 5778 1234".parse::<Mobile>(), Ok(Mobile("13857781234".into())));
        assert_eq!("１２８５７７８１２３４".parse::<Mobile>().map_err(|e| e.contains("格式不正确")), Err(true));
        assert_eq!("０５７７－６５８１２３４５".parse::<Phone>(), Ok(Phone("0577-65812345".into())));
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
        let card = id_card("１１０１０５ １９４９１２３１ ００２ｘ", today).expect("valid");
        assert_eq!(card.number, "11010519491231002X");
    }
}
