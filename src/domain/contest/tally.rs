//! The tally of an approval-voting round and its cut-off (formats.md, `contest tally`).
//!
//! Works are ranked by votes, high to low. With a quota of N places, the level at the cut-off
//! is the votes of the N-th work. When more works than N reach that level, the level
//! straddles the cut-off: the works above it are in (`shortlist`), the works at it form the
//! tie band, and `places_left` places remain for the administrator to fill by a run-off or
//! by admitting the whole band, never by id or time. Otherwise the first N are in.

use std::cmp::Reverse;

/// One work's line in a tally: its votes and how many judges could have voted for it (the
/// judges of the round not recused from it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TallyRow {
    pub work_id: i64,
    pub code: String,
    pub votes: u32,
    pub eligible: u32,
}

impl TallyRow {
    /// Votes as a share of the eligible judges, for a column next to the raw count (works
    /// whose unit has a judge have fewer eligible voters).
    pub fn share(&self) -> f64 {
        if self.eligible == 0 { 0.0 } else { f64::from(self.votes) / f64::from(self.eligible) }
    }
}

/// Sorts a tally for display: by votes, high to low, then by code. The order inside one
/// level means nothing: [`cut`] never uses it.
pub fn rank(rows: &mut [TallyRow]) {
    rows.sort_by(|a, b| (Reverse(a.votes), &a.code).cmp(&(Reverse(b.votes), &b.code)));
}

/// Where the quota falls in a ranked tally.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cut {
    pub quota: u32,
    /// Works clearly inside the quota, in tally order.
    pub shortlist: Vec<i64>,
    /// Works level with the cut-off when that level straddles it; empty otherwise.
    pub tie_band: Vec<i64>,
    /// Places still to fill from the tie band: `quota − shortlist` when the band is not
    /// empty, else 0.
    pub places_left: u32,
    /// The votes at the cut-off (of the quota-th work); `None` when every work fits.
    pub level: Option<u32>,
}

impl Cut {
    pub fn is_resolved(&self) -> bool {
        self.tie_band.is_empty()
    }
}

/// Cuts a tally at `quota` places. `rows` must be ranked (see [`rank`]).
pub fn cut(rows: &[TallyRow], quota: u32) -> Cut {
    let n = quota as usize;
    if rows.len() <= n {
        let shortlist = rows.iter().map(|r| r.work_id).collect();
        return Cut { quota, shortlist, tie_band: Vec::new(), places_left: 0, level: None };
    }
    if n == 0 {
        return Cut { quota, shortlist: Vec::new(), tie_band: Vec::new(), places_left: 0, level: None };
    }
    let level = rows[n - 1].votes;
    let straddles = rows[n].votes == level;
    if !straddles {
        let shortlist = rows[..n].iter().map(|r| r.work_id).collect();
        return Cut { quota, shortlist, tie_band: Vec::new(), places_left: 0, level: Some(level) };
    }
    let shortlist: Vec<i64> = rows.iter().filter(|r| r.votes > level).map(|r| r.work_id).collect();
    let tie_band = rows.iter().filter(|r| r.votes == level).map(|r| r.work_id).collect();
    let places_left = quota - shortlist.len() as u32;
    Cut { quota, shortlist, tie_band, places_left, level: Some(level) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(votes: &[u32]) -> Vec<TallyRow> {
        let mut rows: Vec<TallyRow> = votes
            .iter()
            .enumerate()
            .map(|(i, &v)| TallyRow { work_id: i as i64 + 1, code: format!("JX{:04}", i + 1), votes: v, eligible: 10 })
            .collect();
        rank(&mut rows);
        rows
    }

    #[test]
    fn a_clean_cut_takes_the_first_n() {
        let tally = rows(&[9, 7, 7, 5, 3, 1]);
        let c = cut(&tally, 3);
        assert_eq!(c.shortlist, [1, 2, 3]);
        assert!(c.tie_band.is_empty() && c.is_resolved());
        assert_eq!((c.places_left, c.level), (0, Some(7)));
    }

    #[test]
    fn a_level_straddling_the_cut_off_is_a_tie_band() {
        // Places 3 to 5 all have 5 votes; the quota of 4 cuts through them.
        let tally = rows(&[9, 7, 5, 5, 5, 3]);
        let c = cut(&tally, 4);
        assert_eq!(c.shortlist, [1, 2]);
        assert_eq!(c.tie_band, [3, 4, 5]);
        assert_eq!((c.places_left, c.level), (2, Some(5)));
        assert!(!c.is_resolved());
    }

    #[test]
    fn a_band_right_at_the_last_place() {
        let c = cut(&rows(&[4, 3, 3]), 2);
        assert_eq!((c.shortlist, c.tie_band, c.places_left), (vec![1], vec![2, 3], 1));
    }

    #[test]
    fn fewer_works_than_places_all_go_on() {
        let c = cut(&rows(&[0, 2, 1]), 5);
        assert_eq!(c.shortlist, [2, 3, 1]);
        assert_eq!((c.tie_band.len(), c.places_left, c.level), (0, 0, None));
    }

    #[test]
    fn nobody_voted_means_everyone_is_tied() {
        let c = cut(&rows(&[0, 0, 0, 0]), 2);
        assert!(c.shortlist.is_empty());
        assert_eq!((c.tie_band.len(), c.places_left), (4, 2));
    }

    #[test]
    fn ranks_by_votes_then_code_and_reports_shares() {
        let tally = rows(&[1, 3, 3]);
        assert_eq!(tally.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["JX0002", "JX0003", "JX0001"]);
        assert_eq!(tally[0].share(), 0.3);
    }
}
