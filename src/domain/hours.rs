//! Service time is kept in whole minutes; hours are shown with one decimal, rounded half up
//! only once, after summing (domain.md §3).
//!
//! Where a total stands beside its rows (a ledger, a roster, a report table) each shown value
//! is rounded on its own, so one-decimal rows need not add up to their one-decimal total
//! (72 + 120 + 114 minutes read 1.2 + 2.0 + 1.9 under 5.1). There the window shows
//! [`Minutes::clock`] (小时:分钟, exact: 1:12 + 2:00 + 1:54 = 5:06) and workbooks write time
//! values with an `[h]:mm` format and SUM formulas. The one-decimal form stays for single
//! figures and for `stats`, whose numbers are a contract (shared/formats.md).

use std::fmt;

/// A number of minutes of service (credit, honour or both).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Minutes(pub i64);

impl Minutes {
    /// Tenths of an hour, rounded half up (half away from zero for a negative correction).
    pub fn tenths_of_hour(self) -> i64 {
        let tenths_x6 = self.0.abs() * 10;
        let rounded = (tenths_x6 + 30) / 60;
        if self.0 < 0 { -rounded } else { rounded }
    }

    /// Reads hours as staff type them, with at most one decimal: `2`, `2.5`, `-0.5`, `２．５`.
    pub fn parse_hours(text: &str) -> Option<Minutes> {
        let text: String = text
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '．' | '。' => '.',
                '－' => '-',
                _ => c,
            })
            .collect();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.as_str()),
        };
        let (whole, tenth) = match digits.split_once('.') {
            Some((whole, tenth)) if tenth.len() == 1 => (whole, tenth),
            Some(_) => return None,
            None => (digits, "0"),
        };
        if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || !tenth.chars().all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let tenths = whole.parse::<i64>().ok()? * 10 + tenth.parse::<i64>().ok()?;
        Some(Minutes(if negative { -tenths * 6 } else { tenths * 6 }))
    }

    /// Hours and minutes, `1:12`, `196:30`, `-0:30`: exact, so shown rows add up to their
    /// shown total.
    pub fn clock(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let minutes = self.0.unsigned_abs();
        format!("{sign}{}:{:02}", minutes / 60, minutes % 60)
    }

    /// Hours and minutes in words, exact, for a sentence: `2 小时 30 分钟`, `3 小时`.
    pub fn in_words(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let minutes = self.0.unsigned_abs();
        match minutes % 60 {
            0 => format!("{sign}{} 小时", minutes / 60),
            rest => format!("{sign}{} 小时 {rest} 分钟", minutes / 60),
        }
    }

    /// Hours with one decimal, as a number (for JSON and spreadsheets).
    pub fn hours(self) -> f64 {
        self.tenths_of_hour() as f64 / 10.0
    }
}

impl std::ops::Add for Minutes {
    type Output = Minutes;
    fn add(self, rhs: Minutes) -> Minutes {
        Minutes(self.0 + rhs.0)
    }
}

impl std::ops::AddAssign for Minutes {
    fn add_assign(&mut self, rhs: Minutes) {
        self.0 += rhs.0;
    }
}

impl std::iter::Sum for Minutes {
    fn sum<I: Iterator<Item = Minutes>>(iter: I) -> Minutes {
        Minutes(iter.map(|m| m.0).sum())
    }
}

/// Shows hours with one decimal: `196.5`.
impl fmt::Display for Minutes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = self.tenths_of_hour();
        let sign = if tenths < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{}", tenths.abs() / 10, tenths.abs() % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_minutes_before_rounding() {
        let three_sessions: Minutes = [Minutes(20), Minutes(20), Minutes(20)].into_iter().sum();
        assert_eq!(three_sessions.to_string(), "1.0");
    }

    #[test]
    fn reads_typed_hours() {
        assert_eq!(Minutes::parse_hours("2.5"), Some(Minutes(150)));
        assert_eq!(Minutes::parse_hours(" 3 "), Some(Minutes(180)));
        assert_eq!(Minutes::parse_hours("-0.5"), Some(Minutes(-30)));
        assert_eq!(Minutes::parse_hours("２．５"), Some(Minutes(150)));
        assert_eq!(Minutes::parse_hours("2.25"), None);
        assert_eq!(Minutes::parse_hours("两小时"), None);
        assert_eq!(Minutes::parse_hours(""), None);
    }

    #[test]
    fn clock_rows_add_up_to_their_total() {
        let rows = [Minutes(72), Minutes(120), Minutes(114)];
        assert_eq!(rows.map(|m| m.to_string()), ["1.2", "2.0", "1.9"]);
        assert_eq!(rows.into_iter().sum::<Minutes>().to_string(), "5.1", "one decimal: 1.2 + 2.0 + 1.9 ≠ 5.1");
        assert_eq!(rows.map(Minutes::clock), ["1:12", "2:00", "1:54"]);
        assert_eq!(rows.into_iter().sum::<Minutes>().clock(), "5:06");
        assert_eq!(Minutes(11_790).clock(), "196:30");
        assert_eq!(Minutes(-30).clock(), "-0:30");
        assert_eq!(Minutes(0).clock(), "0:00");
        assert_eq!(Minutes(150).in_words(), "2 小时 30 分钟");
        assert_eq!(Minutes(180).in_words(), "3 小时");
    }

    #[test]
    fn rounds_half_up() {
        assert_eq!(Minutes(3).to_string(), "0.1"); // 0.05 h
        assert_eq!(Minutes(2).to_string(), "0.0"); // 0.033 h
        assert_eq!(Minutes(11_790).to_string(), "196.5");
        assert_eq!(Minutes(13_374).to_string(), "222.9");
        assert_eq!(Minutes(-3).to_string(), "-0.1");
        assert_eq!(Minutes(11_790).hours(), 196.5);
    }
}
