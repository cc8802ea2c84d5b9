//! Character n-gram similarity between two normalised texts, and the spans they share.
//!
//! A text becomes the set of its character n-grams (bigrams for mottos, four-character
//! shingles for stories). Two texts are near-duplicates when their sets overlap enough,
//! either as a whole (Jaccard: shared / all) or one inside the other (containment: shared /
//! the smaller set), which catches a motto copied into a longer one.

use std::collections::HashSet;
use std::ops::Range;

use super::text::NormalizedText;

/// How one category is screened.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SimilarityParams {
    /// Characters per n-gram.
    pub gram: usize,
    /// Flag a pair whose Jaccard similarity reaches this…
    pub jaccard: f64,
    /// …or whose containment reaches this.
    pub containment: f64,
    /// Texts with fewer n-grams are only compared for exact equality: two short sayings
    /// sharing a word are not copies.
    pub min_grams: usize,
    /// Shared runs shorter than this many characters are not highlighted.
    pub span_chars: usize,
}

impl SimilarityParams {
    /// Mottos are short: bigrams, and a high bar, since inherited sayings recur.
    pub const MOTTO: SimilarityParams =
        SimilarityParams { gram: 2, jaccard: 0.6, containment: 0.85, min_grams: 4, span_chars: 3 };
    /// Stories are long: four-character shingles; a third of them shared is already a lot.
    pub const STORY: SimilarityParams =
        SimilarityParams { gram: 4, jaccard: 0.3, containment: 0.5, min_grams: 20, span_chars: 8 };
}

/// The distinct n-grams of a text, as sorted keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GramSet(Vec<u64>);

impl GramSet {
    pub fn new(text: &NormalizedText, gram: usize) -> GramSet {
        let mut keys: Vec<u64> = text.chars().windows(gram.max(1)).map(gram_key).collect();
        keys.sort_unstable();
        keys.dedup();
        GramSet(keys)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The n-gram keys, sorted and distinct.
    pub fn keys(&self) -> &[u64] {
        &self.0
    }

    /// How many n-grams both sets hold (a merge of two sorted lists).
    pub fn shared(&self, other: &GramSet) -> usize {
        let (a, b) = (&self.0, &other.0);
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    n += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        n
    }
}

/// Up to three characters pack exactly into 63 bits; longer n-grams are hashed (FNV-1a),
/// where a collision would only nudge a similarity.
fn gram_key(chars: &[char]) -> u64 {
    if chars.len() <= 3 {
        return chars.iter().fold(0u64, |key, &c| (key << 21) | u64::from(u32::from(c)));
    }
    chars
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, &c| (hash ^ u64::from(u32::from(c))).wrapping_mul(0x1_0000_01b3))
}

/// Jaccard similarity and containment of two gram sets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Similarity {
    pub jaccard: f64,
    pub containment: f64,
}

impl Similarity {
    pub fn between(a: &GramSet, b: &GramSet) -> Similarity {
        Similarity::from_counts(a.len(), b.len(), a.shared(b))
    }

    /// From the sizes of two gram sets and how many n-grams they share.
    pub fn from_counts(a: usize, b: usize, shared: usize) -> Similarity {
        let (a, b, shared) = (a as f64, b as f64, shared as f64);
        let union = a + b - shared;
        let smaller = a.min(b);
        Similarity {
            jaccard: if union > 0.0 { shared / union } else { 0.0 },
            containment: if smaller > 0.0 { shared / smaller } else { 0.0 },
        }
    }

    /// Whether the pair is flagged under `params`.
    pub fn is_near(&self, params: &SimilarityParams) -> bool {
        self.jaccard >= params.jaccard || self.containment >= params.containment
    }

    /// The figure a screen shows, as a percentage: the larger of the two measures.
    pub fn percent(&self) -> u32 {
        (self.jaccard.max(self.containment) * 100.0).round() as u32
    }
}

/// The byte ranges of each original text covered by runs of at least `min_chars`
/// normalised characters that also occur in the other, merged and in order: what a screen
/// highlights side by side.
pub fn shared_spans(
    a_text: &NormalizedText,
    b_text: &NormalizedText,
    min_chars: usize,
) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let k = min_chars.max(1).min(a_text.len()).min(b_text.len());
    if k == 0 {
        return (Vec::new(), Vec::new());
    }
    (covered(a_text, b_text, k), covered(b_text, a_text, k))
}

/// The original ranges of `text` whose `k`-character windows also occur in `other`.
fn covered(text: &NormalizedText, other: &NormalizedText, k: usize) -> Vec<Range<usize>> {
    let windows: HashSet<&[char]> = other.chars().windows(k).collect();
    let mut marked = vec![false; text.len()];
    for (start, window) in text.chars().windows(k).enumerate() {
        if windows.contains(window) {
            marked[start..start + k].iter_mut().for_each(|m| *m = true);
        }
    }
    let mut runs = Vec::new();
    let mut start = None;
    for (i, &m) in marked.iter().chain(std::iter::once(&false)).enumerate() {
        match (m, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    runs.into_iter().filter_map(|run| text.original_range(run)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grams(text: &str, n: usize) -> GramSet {
        GramSet::new(&NormalizedText::new(text), n)
    }

    #[test]
    fn a_small_edit_is_near_and_a_shared_saying_is_not() {
        let p = SimilarityParams::MOTTO;
        let a = grams("家和万事兴，勤俭传家宝。", 2);
        let b = grams("家和万事兴，勤俭是传家宝！", 2);
        let near = Similarity::between(&a, &b);
        assert!(near.is_near(&p), "{near:?}");
        assert_eq!(near.containment, 8.0 / 9.0);

        let c = grams("家和万事兴，读书明事理，劳动创幸福。", 2);
        let d = grams("家和万事兴，孝老敬亲情。", 2);
        let apart = Similarity::between(&c, &d);
        assert!(!apart.is_near(&p), "{apart:?}");
    }

    #[test]
    fn a_motto_copied_into_a_longer_one_is_contained() {
        let short = grams("清白做人，干净做事，勤勉为民", 2);
        let long = grams("清白做人、干净做事、勤勉为民，此乃我家立身之本", 2);
        let s = Similarity::between(&short, &long);
        assert_eq!(s.containment, 1.0);
        assert!(s.jaccard < 0.6);
        assert!(s.is_near(&SimilarityParams::MOTTO));
    }

    #[test]
    fn identical_sets_and_empty_sets() {
        let a = grams("勤俭持家", 2);
        assert_eq!(Similarity::between(&a, &a).jaccard, 1.0);
        let empty = grams("。", 2);
        assert!(empty.is_empty());
        assert_eq!(Similarity::between(&a, &empty), Similarity { jaccard: 0.0, containment: 0.0 });
        assert_eq!(grams("一二三四五", 4).len(), 2);
        assert_eq!(Similarity { jaccard: 0.5, containment: 0.875 }.percent(), 88);
    }

    #[test]
    fn shared_spans_point_into_the_original_texts() {
        let a = "我家家训：勤俭持家，耕读传家。";
        let b = "耕讀傳家久，诗书继世长。";
        let (in_a, in_b) = shared_spans(&NormalizedText::new(a), &NormalizedText::new(b), 3);
        assert_eq!(in_a.iter().map(|r| &a[r.clone()]).collect::<Vec<_>>(), ["耕读传家"]);
        assert_eq!(in_b.iter().map(|r| &b[r.clone()]).collect::<Vec<_>>(), ["耕讀傳家"]);
    }

    #[test]
    fn spans_bridge_punctuation_and_merge_overlaps() {
        let a = "家和，万事兴";
        let b = "家和万事兴";
        let (in_a, in_b) = shared_spans(&NormalizedText::new(a), &NormalizedText::new(b), 3);
        assert_eq!(in_a.iter().map(|r| &a[r.clone()]).collect::<Vec<_>>(), ["家和，万事兴"]);
        assert_eq!(in_b, vec![0..b.len()]);
        let (none, _) = shared_spans(&NormalizedText::new("甲乙丙"), &NormalizedText::new("丁戊己"), 3);
        assert!(none.is_empty());
    }
}
