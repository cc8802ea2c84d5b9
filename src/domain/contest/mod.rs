//! The 「好家风·好家训」 contest (domain.md §4): the two categories and their default rules,
//! the round state machine, 查重 (normalised text, character n-gram similarity, the shared
//! spans a screen highlights), the initial-round tally with its cut-off and tie band, and the
//! final round's awards by tier. Pure: no SQL, no egui.

pub mod awards;
pub mod round;
pub mod screening;
pub mod similarity;
mod t2s_table;
pub mod tally;
pub mod text;

pub use awards::{MeanScore, Tier};
pub use round::{RoundState, TransitionKind};
pub use screening::{PairKind, ScreeningPair, ScreeningWork};
pub use similarity::SimilarityParams;
pub use tally::{Cut, TallyRow};

/// The two kinds of work, each judged on its own (domain.md §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// 家风家训: a motto, typically up to 50 characters.
    Motto,
    /// 家风家训故事: a story of about 1500 characters.
    Story,
}

impl Category {
    pub const ALL: [Category; 2] = [Category::Motto, Category::Story];

    /// The label stored in the database, written in workbooks and shown on screen.
    pub fn label(self) -> &'static str {
        match self {
            Category::Motto => "家风家训",
            Category::Story => "家风家训故事",
        }
    }

    /// A short word for tabs and column headers.
    pub fn short_label(self) -> &'static str {
        match self {
            Category::Motto => "家训",
            Category::Story => "故事",
        }
    }

    pub fn from_label(label: &str) -> Option<Category> {
        Self::ALL.into_iter().find(|c| c.label() == label.trim())
    }

    /// The prefix of generated 作品编号: `JX0001`, `GS0001`.
    pub fn code_prefix(self) -> &'static str {
        match self {
            Category::Motto => "JX",
            Category::Story => "GS",
        }
    }

    /// The rules a new contest starts with; the administrator may change them before the
    /// round they govern.
    pub fn default_rules(self) -> CategoryRules {
        match self {
            Category::Motto => CategoryRules { min_chars: 4, max_chars: 50, shortlist: 100, ballot_quota: 100 },
            Category::Story => CategoryRules { min_chars: 300, max_chars: 1500, shortlist: 20, ballot_quota: 20 },
        }
    }

    /// 一等奖, 二等奖, 三等奖 with their quotas (mottos 5/10/20, stories 2/5/8) and default
    /// amounts in yuan.
    pub fn default_tiers(self) -> Vec<Tier> {
        let (quotas, amounts) = match self {
            Category::Motto => ([5, 10, 20], [1000, 500, 300]),
            Category::Story => ([2, 5, 8], [3000, 2000, 1000]),
        };
        (1..=3)
            .zip(quotas.into_iter().zip(amounts))
            .map(|(rank, (quota, amount_yuan))| Tier { rank, quota, amount_yuan })
            .collect()
    }

    /// How 查重 compares works of this category: mottos by character bigrams, stories by
    /// four-character shingles.
    pub fn similarity_params(self) -> SimilarityParams {
        match self {
            Category::Motto => SimilarityParams::MOTTO,
            Category::Story => SimilarityParams::STORY,
        }
    }
}

/// Per category: the length of a work's content, the shortlist size and the most votes a
/// ballot may carry (N; normally the shortlist size).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CategoryRules {
    pub min_chars: u32,
    pub max_chars: u32,
    pub shortlist: u32,
    pub ballot_quota: u32,
}

impl CategoryRules {
    /// Refuses content shorter or longer than the limits, saying by how much.
    pub fn check_length(&self, category: Category, content: &str) -> Result<(), String> {
        let n = content_length(content);
        if n < self.min_chars as usize {
            return Err(format!("{}内容 {n} 字，少于下限 {} 字", category.label(), self.min_chars));
        }
        if n > self.max_chars as usize {
            return Err(format!("{}内容 {n} 字，超过上限 {} 字", category.label(), self.max_chars));
        }
        Ok(())
    }

    /// Refuses limits that cannot work.
    pub fn validate(&self) -> Result<(), String> {
        if self.min_chars == 0 || self.min_chars > self.max_chars {
            return Err("字数下限须大于0且不大于上限".to_string());
        }
        if self.shortlist == 0 || self.ballot_quota == 0 {
            return Err("入围名额和每票限选数须大于0".to_string());
        }
        Ok(())
    }
}

/// A work's length as contests count it: every character but whitespace (punctuation counts).
pub fn content_length(content: &str) -> usize {
    content.chars().filter(|c| !c.is_whitespace()).count()
}

/// The name of an award tier by its rank: 一等奖, 二等奖 …
pub fn tier_name(rank: u8) -> String {
    const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    match NUMERALS.get(usize::from(rank).wrapping_sub(1)) {
        Some(n) => format!("{n}等奖"),
        None => format!("{rank}等奖"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::from_label(c.label()), Some(c));
        }
        assert_eq!(Category::from_label(" 家风家训故事 "), Some(Category::Story));
        assert_eq!(Category::from_label("故事"), None);
    }

    #[test]
    fn default_quotas_are_the_newspapers() {
        assert_eq!(Category::Motto.default_rules().shortlist, 100);
        assert_eq!(Category::Story.default_rules().ballot_quota, 20);
        let quotas = |c: Category| c.default_tiers().iter().map(|t| t.quota).collect::<Vec<_>>();
        assert_eq!(quotas(Category::Motto), [5, 10, 20]);
        assert_eq!(quotas(Category::Story), [2, 5, 8]);
        assert_eq!(tier_name(1), "一等奖");
        assert_eq!(tier_name(3), "三等奖");
    }

    #[test]
    fn length_counts_characters_but_not_spaces() {
        let rules = Category::Motto.default_rules();
        assert_eq!(content_length("家和 万事兴。\n"), 6);
        assert!(rules.check_length(Category::Motto, "家和万事兴").is_ok());
        let long = "勤".repeat(51);
        assert_eq!(rules.check_length(Category::Motto, &long).unwrap_err(), "家风家训内容 51 字，超过上限 50 字");
        assert!(rules.check_length(Category::Motto, "勤俭").is_err());
        assert!(CategoryRules { min_chars: 10, max_chars: 5, ..rules }.validate().is_err());
    }
}
