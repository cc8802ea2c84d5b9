//! Service time is kept in whole minutes; hours are shown with one decimal, rounded half up
//! only once, after summing (domain.md §3).

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
    fn rounds_half_up() {
        assert_eq!(Minutes(3).to_string(), "0.1"); // 0.05 h
        assert_eq!(Minutes(2).to_string(), "0.0"); // 0.033 h
        assert_eq!(Minutes(11_790).to_string(), "196.5");
        assert_eq!(Minutes(13_374).to_string(), "222.9");
        assert_eq!(Minutes(-3).to_string(), "-0.1");
        assert_eq!(Minutes(11_790).hours(), 196.5);
    }
}
