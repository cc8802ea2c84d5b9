//! 查重: flags exact and near-duplicate works of one category as pairs, the earlier
//! submission first (it wins by default). Flags, not verdicts: inherited sayings are allowed,
//! and a person decides each pair. Every pair of works is compared exactly (1225 mottos make
//! about 750,000 pairs), through an inverted index of n-grams: nothing is missed by sampling.

use std::collections::HashMap;
use std::ops::Range;

use chrono::NaiveDate;

use super::similarity::{GramSet, Similarity, SimilarityParams, shared_spans};
use super::text::NormalizedText;

/// A work as 查重 sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScreeningWork {
    pub id: i64,
    pub submitted_on: NaiveDate,
    pub content: String,
}

impl ScreeningWork {
    /// Earlier submission first; the same day in order of entry.
    fn order(&self) -> (NaiveDate, i64) {
        (self.submitted_on, self.id)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PairKind {
    /// The same text once normalised.
    Exact,
    /// Enough n-grams in common.
    Near,
}

impl PairKind {
    pub fn label(self) -> &'static str {
        match self {
            PairKind::Exact => "完全相同",
            PairKind::Near => "高度相似",
        }
    }

    pub fn from_label(label: &str) -> Option<PairKind> {
        [PairKind::Exact, PairKind::Near].into_iter().find(|k| k.label() == label)
    }
}

/// Two works flagged together: `earlier` was submitted first.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScreeningPair {
    pub earlier: i64,
    pub later: i64,
    pub kind: PairKind,
    pub similarity: Similarity,
}

/// Flags the pairs among `works`: every later work with the same normalised text as an
/// earlier one is paired with the earliest of them; other pairs are compared by n-grams.
/// Exact pairs come first, then by similarity, highest first.
pub fn screen(works: &[ScreeningWork], params: &SimilarityParams) -> Vec<ScreeningPair> {
    let mut order: Vec<&ScreeningWork> = works.iter().collect();
    order.sort_by_key(|w| w.order());
    let texts: Vec<String> = order.iter().map(|w| NormalizedText::new(&w.content).as_string()).collect();
    let grams: Vec<GramSet> =
        order.iter().map(|w| GramSet::new(&NormalizedText::new(&w.content), params.gram)).collect();

    let mut pairs = Vec::new();
    let mut first_with_text: HashMap<&str, usize> = HashMap::new();
    for (i, text) in texts.iter().enumerate() {
        if text.is_empty() {
            continue;
        }
        match first_with_text.get(text.as_str()) {
            Some(&first) => pairs.push(ScreeningPair {
                earlier: order[first].id,
                later: order[i].id,
                kind: PairKind::Exact,
                similarity: Similarity { jaccard: 1.0, containment: 1.0 },
            }),
            None => {
                first_with_text.insert(text, i);
            }
        }
    }

    let shared = shared_grams(&grams, params.min_grams);
    let n = order.len();
    for i in 0..n {
        for j in i + 1..n {
            let count = shared[i * n + j] as usize;
            if count == 0 || texts[i] == texts[j] {
                continue;
            }
            let similarity = Similarity::from_counts(grams[i].len(), grams[j].len(), count);
            if similarity.is_near(params) {
                pairs.push(ScreeningPair {
                    earlier: order[i].id,
                    later: order[j].id,
                    kind: PairKind::Near,
                    similarity,
                });
            }
        }
    }
    pairs.sort_by(|a, b| {
        (a.kind == PairKind::Near)
            .cmp(&(b.kind == PairKind::Near))
            .then(b.similarity.percent().cmp(&a.similarity.percent()))
            .then(a.earlier.cmp(&b.earlier))
            .then(a.later.cmp(&b.later))
    });
    pairs
}

/// For every pair of texts (i < j, at `i * n + j`), how many n-grams they share, counted
/// through an inverted index: each n-gram adds one to the pairs of texts that hold it, so the
/// work follows what texts have in common rather than every pair's whole sets. Texts with
/// fewer than `min_grams` n-grams are left out (they only match exactly).
fn shared_grams(grams: &[GramSet], min_grams: usize) -> Vec<u32> {
    let n = grams.len();
    let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
    for (i, set) in grams.iter().enumerate().filter(|(_, set)| set.len() >= min_grams) {
        for key in set.keys() {
            postings.entry(*key).or_default().push(i as u32);
        }
    }
    let mut shared = vec![0u32; n * n];
    for holders in postings.values() {
        for (a, &i) in holders.iter().enumerate() {
            let row = i as usize * n;
            for &j in &holders[a + 1..] {
                shared[row + j as usize] += 1;
            }
        }
    }
    shared
}

/// The byte ranges of each text to highlight when a pair is shown side by side.
pub fn pair_spans(earlier: &str, later: &str, params: &SimilarityParams) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    shared_spans(&NormalizedText::new(earlier), &NormalizedText::new(later), params.span_chars)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn work(id: i64, day: u32, content: &str) -> ScreeningWork {
        ScreeningWork {
            id,
            submitted_on: NaiveDate::from_ymd_opt(2017, 6, day).expect("date"),
            content: content.into(),
        }
    }

    #[test]
    fn exact_copies_pair_with_the_earliest_and_near_ones_pair_up() {
        let works = [
            work(1, 5, "家和万事兴，勤俭传家宝。"),
            work(2, 3, "家和萬事興，勤儉傳家寶！"),
            work(3, 9, "家和万事兴 勤俭传家宝"),
            work(4, 4, "家和万事兴，勤俭是传家宝。"),
            work(5, 1, "读书明理，耕读传家，忠厚做人。"),
        ];
        let pairs = screen(&works, &SimilarityParams::MOTTO);
        let summary: Vec<(i64, i64, PairKind)> = pairs.iter().map(|p| (p.earlier, p.later, p.kind)).collect();
        assert_eq!(
            summary,
            [
                (2, 1, PairKind::Exact),
                (2, 3, PairKind::Exact),
                (2, 4, PairKind::Near),
                (4, 1, PairKind::Near),
                (4, 3, PairKind::Near),
            ]
        );
        assert_eq!(pairs[2].similarity.percent(), 89);
    }

    #[test]
    fn short_sayings_only_match_exactly() {
        let works = [work(1, 1, "勤俭持家"), work(2, 2, "勤俭治家"), work(3, 3, "勤俭持家。")];
        let pairs = screen(&works, &SimilarityParams::MOTTO);
        assert_eq!(pairs.len(), 1);
        assert_eq!((pairs[0].earlier, pairs[0].later, pairs[0].kind), (1, 3, PairKind::Exact));
    }

    #[test]
    fn spans_of_a_pair() {
        let (a, b) = pair_spans("清白做人，干净做事。", "我家：清白做人、干净做事、勤勉为民", &SimilarityParams::MOTTO);
        assert_eq!(a, vec![0.."清白做人，干净做事".len()]);
        assert_eq!(b.len(), 1);
        assert_eq!(PairKind::from_label("高度相似"), Some(PairKind::Near));
    }
}
