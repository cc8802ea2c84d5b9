//! Identity numbers and phones: GB 11643 citizen ID checks, mobile numbers, and the masks
//! used wherever they are listed or exported (《志愿服务条例》§20, PIPL).

use chrono::NaiveDate;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }
}

/// What a valid 18-character 身份证号 tells about its holder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdCard {
    pub number: String,
    pub birth_date: NaiveDate,
    pub gender: Gender,
}

/// The check character (GB 11643) for the first 17 digits of an ID number.
pub fn id_check_char(first17: &[u8]) -> Option<char> {
    if first17.len() != 17 || !first17.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    Some(char::from(CHECK_CHARS[(sum % 11) as usize]))
}

/// Validates an 18-character 身份证号 against GB 11643 and `today`; the error says why, in
/// Chinese, fit to show next to the field.
pub fn parse_id_card(raw: &str, today: NaiveDate) -> Result<IdCard, String> {
    let number = raw.trim().to_ascii_uppercase();
    let bytes = number.as_bytes();
    if bytes.len() != 18 {
        return Err(format!("身份证号应为18位，现为{}位", number.chars().count()));
    }
    let expected = id_check_char(&bytes[..17]).ok_or("身份证号前17位应全为数字")?;
    if char::from(bytes[17]) != expected {
        return Err("身份证号校验位不正确，请核对".to_string());
    }
    let birth_date = NaiveDate::parse_from_str(&number[6..14], "%Y%m%d")
        .map_err(|_| format!("身份证号中的出生日期 {} 不存在", &number[6..14]))?;
    if birth_date > today {
        return Err("身份证号中的出生日期晚于今天".to_string());
    }
    let gender = if (bytes[16] - b'0') % 2 == 1 { Gender::Male } else { Gender::Female };
    Ok(IdCard { number, birth_date, gender })
}

/// A mainland mobile number: `1[3-9]` and nine more digits.
pub fn is_mobile_number(raw: &str) -> bool {
    let b = raw.trim().as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && b.iter().all(u8::is_ascii_digit)
}

/// `3*****************`: the first character only. The birth date and gender are kept in
/// clear beside it, and GB 11643 leaves only the check digit to compute, so a region code and
/// last four shown with them would give the whole number back; the check character itself
/// narrows the candidates tenfold (issue #26).
pub fn mask_id_number(number: &str) -> String {
    mask_middle(number, 1, 0)
}

/// `138****5678`.
pub fn mask_phone(phone: &str) -> String {
    mask_middle(phone, 3, PHONE_TAIL_DIGITS)
}

/// The last four digits of a phone, which tell namesakes apart without showing the number.
pub fn phone_tail(phone: &str) -> &str {
    let start = phone.char_indices().rev().nth(PHONE_TAIL_DIGITS - 1).map_or(0, |(i, _)| i);
    phone.get(start..).unwrap_or(phone)
}

/// How many digits of a phone tell people apart and find them: all a masked phone keeps.
pub const PHONE_TAIL_DIGITS: usize = 4;

fn mask_middle(text: &str, keep_head: usize, keep_tail: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= keep_head + keep_tail {
        return "*".repeat(chars.len());
    }
    let hidden = chars.len() - keep_head - keep_tail;
    let mut out: String = chars[..keep_head].iter().collect();
    out.push_str(&"*".repeat(hidden));
    out.extend(&chars[chars.len() - keep_tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).expect("valid date")
    }

    #[test]
    fn accepts_a_valid_number_and_reads_it() {
        // The worked example of GB 11643-1999.
        let card = parse_id_card("11010519491231002x", today()).expect("valid");
        assert_eq!(card.number, "11010519491231002X");
        assert_eq!(card.birth_date, NaiveDate::from_ymd_opt(1949, 12, 31).expect("date"));
        assert_eq!(card.gender, Gender::Female);
    }

    #[test]
    fn refuses_bad_numbers_with_reasons() {
        assert!(parse_id_card("110105194912310021", today()).unwrap_err().contains("校验位"));
        assert!(parse_id_card("1101051949123100", today()).unwrap_err().contains("18位"));
        let feb30 = format!("33038119900230123{}", id_check_char(b"33038119900230123").expect("digits"));
        assert!(parse_id_card(&feb30, today()).unwrap_err().contains("不存在"));
        let future = format!("33038120300101123{}", id_check_char(b"33038120300101123").expect("digits"));
        assert!(parse_id_card(&future, today()).unwrap_err().contains("晚于今天"));
    }

    #[test]
    fn checks_mobile_numbers() {
        assert!(is_mobile_number("13857781234"));
        assert!(!is_mobile_number("12857781234"));
        assert!(!is_mobile_number("1385778123"));
        assert!(!is_mobile_number("0577-6581234"));
    }

    #[test]
    fn masks_for_lists() {
        assert_eq!(mask_id_number("330381199001011234"), "3*****************");
        assert_eq!(mask_phone("13812345678"), "138****5678");
    }
}
