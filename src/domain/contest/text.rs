//! Text as 查重 compares it: full-width forms folded to half-width, ASCII letters lower-cased,
//! punctuation, symbols and spaces removed, traditional characters turned simplified. Each
//! kept character remembers where it came from, so the spans two works share can be
//! highlighted in the text as it was typed.

use std::ops::Range;

use super::t2s_table::TRADITIONAL_TO_SIMPLIFIED;

/// A work's text reduced for comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NormalizedText {
    chars: Vec<char>,
    /// Per kept character, its byte range in the original text.
    origins: Vec<Range<usize>>,
}

impl NormalizedText {
    pub fn new(original: &str) -> NormalizedText {
        let mut chars = Vec::with_capacity(original.len() / 3);
        let mut origins = Vec::with_capacity(original.len() / 3);
        for (at, c) in original.char_indices() {
            if let Some(kept) = comparable(c) {
                chars.push(kept);
                origins.push(at..at + c.len_utf8());
            }
        }
        NormalizedText { chars, origins }
    }

    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    pub fn as_string(&self) -> String {
        self.chars.iter().collect()
    }

    /// The byte range in the original text that normalised characters `range` came from,
    /// including any punctuation between them.
    pub fn original_range(&self, range: Range<usize>) -> Option<Range<usize>> {
        let first = self.origins.get(range.start)?;
        let last = self.origins.get(range.end.checked_sub(1)?)?;
        Some(first.start..last.end)
    }
}

/// The text as compared, as one string (for exact-duplicate keys and tests).
pub fn normalize_for_comparison(text: &str) -> String {
    NormalizedText::new(text).as_string()
}

/// The character as compared, or `None` when it does not count (punctuation, symbols,
/// spaces, control characters).
fn comparable(c: char) -> Option<char> {
    let c = half_width(c);
    if !c.is_alphanumeric() {
        return None;
    }
    Some(simplified(c.to_ascii_lowercase()))
}

/// Full-width ASCII forms (`ＡＢ１`) and the ideographic space as their half-width selves.
fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// The simplified form of a traditional character (one to one, from Unihan); any other
/// character as it is.
pub fn simplified(c: char) -> char {
    match TRADITIONAL_TO_SIMPLIFIED.binary_search_by_key(&c, |&(t, _)| t) {
        Ok(index) => TRADITIONAL_TO_SIMPLIFIED[index].1,
        Err(_) => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_case_punctuation_and_script() {
        assert_eq!(normalize_for_comparison("家和萬事興！"), "家和万事兴");
        assert_eq!(normalize_for_comparison("  家和，万事兴。 "), "家和万事兴");
        assert_eq!(normalize_for_comparison("ＡＢ１２ 好家風"), "ab12好家风");
        assert_eq!(normalize_for_comparison("“勤儉持家”——傳家寶"), "勤俭持家传家宝");
        assert_eq!(normalize_for_comparison("《家訓》\n第1條"), "家训第1条");
    }

    #[test]
    fn the_table_is_sorted_and_maps_common_characters() {
        assert!(TRADITIONAL_TO_SIMPLIFIED.windows(2).all(|w| w[0].0 < w[1].0));
        for (t, s) in [('風', '风'), ('訓', '训'), ('愛', '爱'), ('學', '学'), ('國', '国'), ('門', '门')] {
            assert_eq!(simplified(t), s);
        }
        assert_eq!(simplified('家'), '家');
    }

    #[test]
    fn remembers_where_each_character_came_from() {
        let original = "家和，萬事興";
        let text = NormalizedText::new(original);
        assert_eq!(text.len(), 5);
        let range = text.original_range(1..3).expect("range");
        assert_eq!(&original[range], "和，萬");
        assert_eq!(text.original_range(4..6), None);
        assert_eq!(text.original_range(0..0), None);
    }
}
