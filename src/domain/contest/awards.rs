//! The final round: experts' scores averaged per work, the ranking by mean score, awards by
//! tier under quotas (vacancies allowed, one award per work), and the place a work
//! disqualified in 公示 frees for the next ranked.

use std::cmp::Ordering;

/// An award tier: 一等奖 is rank 1. Its name comes from the rank ([`super::tier_name`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tier {
    pub rank: u8,
    /// At most this many works get the tier; fewer is a vacancy (空缺).
    pub quota: u32,
    /// The cash award per work, in yuan.
    pub amount_yuan: i64,
}

impl Tier {
    pub fn name(&self) -> String {
        super::tier_name(self.rank)
    }
}

/// A mean kept as sum and count, so that equal means compare equal exactly (no floating
/// point decides a tie). Equality is the mean's, not the fields': 160/2 equals 240/3, so a
/// work scored by two experts (own-unit exclusion) ties with one scored by three.
#[derive(Clone, Copy, Debug, Default)]
pub struct MeanScore {
    pub sum: i64,
    pub count: i64,
}

impl MeanScore {
    pub fn value(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum as f64 / self.count as f64)
    }

    /// Two decimals, as score sheets print it; `—` with no score.
    pub fn display(&self) -> String {
        self.value().map_or_else(|| "—".to_string(), |v| format!("{v:.2}"))
    }
}

impl Ord for MeanScore {
    /// No score ranks below every score.
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.count > 0, other.count > 0) {
            (false, false) => Ordering::Equal,
            (false, true) => Ordering::Less,
            (true, false) => Ordering::Greater,
            (true, true) => {
                (i128::from(self.sum) * i128::from(other.count)).cmp(&(i128::from(other.sum) * i128::from(self.count)))
            }
        }
    }
}

impl PartialEq for MeanScore {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for MeanScore {}

impl PartialOrd for MeanScore {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A work's place in the final ranking; equal means share a place (1, 2, 2, 4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RankedWork {
    pub place: u32,
    pub work_id: i64,
    pub code: String,
    pub mean: MeanScore,
}

/// Ranks works by mean score, highest first; equal means share a place and are listed by
/// code.
pub fn rank_by_mean(mut works: Vec<(i64, String, MeanScore)>) -> Vec<RankedWork> {
    works.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
    let mut ranked: Vec<RankedWork> = Vec::with_capacity(works.len());
    for (index, (work_id, code, mean)) in works.into_iter().enumerate() {
        let place = match ranked.last() {
            Some(previous) if previous.mean == mean => previous.place,
            _ => index as u32 + 1,
        };
        ranked.push(RankedWork { place, work_id, code, mean });
    }
    ranked
}

/// An award: a work and its tier's rank.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Award {
    pub work_id: i64,
    pub tier: u8,
}

/// What assigning awards straight down the ranking gives.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AwardProposal {
    pub awards: Vec<Award>,
    /// Per tier rank, the places left empty.
    pub vacancies: Vec<(u8, u32)>,
    /// Works level with each other across a tier's last place, per tier rank: they are
    /// proposed for the next tier down, leaving places above empty, for the administrator
    /// to decide (a tie is never broken by id or time).
    pub ties: Vec<(u8, Vec<i64>)>,
}

/// Assigns tiers down the ranking. A group of equal means that does not fit in what is
/// left of a tier moves to the next tier whole; works without a score get nothing.
pub fn propose_awards(ranked: &[RankedWork], tiers: &[Tier]) -> AwardProposal {
    let mut tiers = tiers.to_vec();
    tiers.sort_by_key(|t| t.rank);
    let scored: Vec<&RankedWork> = ranked.iter().filter(|w| w.mean.count > 0).collect();
    let mut proposal = AwardProposal::default();
    let mut next = 0;
    for tier in &tiers {
        let mut left = tier.quota as usize;
        while next < scored.len() && left > 0 {
            let group_end =
                scored[next..].iter().position(|w| w.mean != scored[next].mean).map_or(scored.len(), |n| next + n);
            let group = &scored[next..group_end];
            if group.len() > left {
                proposal.ties.push((tier.rank, group.iter().map(|w| w.work_id).collect()));
                break;
            }
            proposal.awards.extend(group.iter().map(|w| Award { work_id: w.work_id, tier: tier.rank }));
            left -= group.len();
            next = group_end;
        }
        if left > 0 {
            proposal.vacancies.push((tier.rank, left as u32));
        }
    }
    proposal
}

/// Refuses a set of awards that gives a work two awards, names a tier that does not exist,
/// or fills a tier past its quota.
pub fn check_awards(awards: &[Award], tiers: &[Tier]) -> Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    for award in awards {
        if !seen.insert(award.work_id) {
            return Err("每件作品只能获一个奖项".to_string());
        }
    }
    for award in awards {
        if !tiers.iter().any(|t| t.rank == award.tier) {
            return Err(format!("没有{}这一奖项", super::tier_name(award.tier)));
        }
    }
    for tier in tiers {
        let given = awards.iter().filter(|a| a.tier == tier.rank).count();
        if given > tier.quota as usize {
            return Err(format!("{}名额为 {} 个，不能授予 {given} 个", tier.name(), tier.quota));
        }
    }
    Ok(())
}

/// One work moving into a tier to fill a freed place (`from` is its tier before, if any).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AwardMove {
    pub work_id: i64,
    pub from: Option<u8>,
    pub to: u8,
}

/// How the place of a disqualified work is filled.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Refill {
    /// Applied in order, each into the place the one before freed.
    pub moves: Vec<AwardMove>,
    /// A place left empty because the next ranked works are level (listed in `tied`),
    /// for the administrator to decide.
    pub vacant: Option<u8>,
    pub tied: Vec<i64>,
}

/// Fills the place `disqualified` held: the best-ranked work below that tier (in a lower
/// tier or without an award) moves up, which may free a place in its own tier, filled the
/// same way, down to a work without an award. `awards` are the current awards, the
/// disqualified work's included; `excluded` are works that can no longer be awarded.
pub fn refill_after_disqualification(
    ranked: &[RankedWork],
    awards: &[Award],
    disqualified: i64,
    excluded: &[i64],
) -> Refill {
    let mut current: Vec<Award> = awards.iter().copied().filter(|a| a.work_id != disqualified).collect();
    let Some(mut freed) = awards.iter().find(|a| a.work_id == disqualified).map(|a| a.tier) else {
        return Refill::default();
    };
    let mut refill = Refill::default();
    loop {
        let tier_of = |work: i64| current.iter().find(|a| a.work_id == work).map(|a| a.tier);
        let candidates: Vec<&RankedWork> = ranked
            .iter()
            .filter(|w| w.work_id != disqualified && !excluded.contains(&w.work_id) && w.mean.count > 0)
            .filter(|w| tier_of(w.work_id).is_none_or(|t| t > freed))
            .collect();
        let Some(best) = candidates.first() else {
            refill.vacant = Some(freed);
            return refill;
        };
        let level: Vec<i64> = candidates.iter().filter(|w| w.mean == best.mean).map(|w| w.work_id).collect();
        if level.len() > 1 {
            refill.vacant = Some(freed);
            refill.tied = level;
            return refill;
        }
        let from = tier_of(best.work_id);
        refill.moves.push(AwardMove { work_id: best.work_id, from, to: freed });
        current.retain(|a| a.work_id != best.work_id);
        current.push(Award { work_id: best.work_id, tier: freed });
        match from {
            Some(tier) => freed = tier,
            None => return refill,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mean(sum: i64, count: i64) -> MeanScore {
        MeanScore { sum, count }
    }

    fn ranking(sums: &[i64]) -> Vec<RankedWork> {
        rank_by_mean(
            sums.iter().enumerate().map(|(i, &s)| (i as i64 + 1, format!("JX{:04}", i + 1), mean(s, 4))).collect(),
        )
    }

    fn tiers(quotas: &[u32]) -> Vec<Tier> {
        quotas.iter().enumerate().map(|(i, &q)| Tier { rank: i as u8 + 1, quota: q, amount_yuan: 100 }).collect()
    }

    #[test]
    fn means_compare_exactly() {
        assert_eq!(mean(10, 3).cmp(&mean(20, 6)), Ordering::Equal);
        assert_eq!(mean(160, 2), mean(240, 3), "equal means are equal whatever the count");
        assert!(mean(271, 3) > mean(270, 3));
        assert!(mean(0, 1) > MeanScore::default());
        assert_eq!(mean(263, 3).display(), "87.67");
        assert_eq!(MeanScore::default().display(), "—");
    }

    #[test]
    fn equal_means_share_a_place() {
        let ranked = ranking(&[300, 360, 360, 200]);
        let places: Vec<(u32, i64)> = ranked.iter().map(|w| (w.place, w.work_id)).collect();
        assert_eq!(places, [(1, 2), (1, 3), (3, 1), (4, 4)]);
        // Two experts behind one 80.00, three behind the others: one place for all.
        let mixed = rank_by_mean(vec![
            (1, "JX0001".into(), mean(240, 3)),
            (2, "JX0002".into(), mean(160, 2)),
            (3, "JX0003".into(), mean(240, 3)),
            (4, "JX0004".into(), mean(270, 3)),
        ]);
        let places: Vec<(u32, i64)> = mixed.iter().map(|w| (w.place, w.work_id)).collect();
        assert_eq!(places, [(1, 4), (2, 1), (2, 2), (2, 3)]);
    }

    #[test]
    fn proposes_down_the_ranking_with_vacancies_for_ties() {
        // Works 1–7 with means 99 … 93; works 3 and 4 level at 97.
        let ranked = ranking(&[396, 392, 388, 388, 380, 376, 372]);
        let proposal = propose_awards(&ranked, &tiers(&[3, 2, 5]));
        let given: Vec<(i64, u8)> = proposal.awards.iter().map(|a| (a.work_id, a.tier)).collect();
        assert_eq!(given, [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3), (7, 3)]);
        assert_eq!(proposal.ties, [(1, vec![3, 4])]);
        assert_eq!(proposal.vacancies, [(1, 1), (3, 2)]);
        assert!(check_awards(&proposal.awards, &tiers(&[3, 2, 5])).is_ok());
    }

    #[test]
    fn a_three_way_tie_at_the_last_place_of_the_last_tier_is_flagged() {
        // Means 99, 98, 97 and three at 96 (one of them scored by three experts, not four).
        let mut works: Vec<(i64, String, MeanScore)> = [396, 392, 388, 384, 384]
            .iter()
            .enumerate()
            .map(|(i, &s)| (i as i64 + 1, format!("JX{i:04}"), mean(s, 4)))
            .collect();
        works.push((6, "JX0005".into(), mean(288, 3)));
        let proposal = propose_awards(&rank_by_mean(works), &tiers(&[1, 1, 2]));
        assert_eq!(proposal.ties, [(3, vec![4, 5, 6])]);
        assert_eq!(proposal.vacancies, [(3, 1)]);
    }

    #[test]
    fn quotas_and_one_award_per_work_are_checked() {
        let t = tiers(&[1, 2]);
        let two_firsts = [Award { work_id: 1, tier: 1 }, Award { work_id: 2, tier: 1 }];
        assert_eq!(check_awards(&two_firsts, &t).unwrap_err(), "一等奖名额为 1 个，不能授予 2 个");
        let twice = [Award { work_id: 1, tier: 1 }, Award { work_id: 1, tier: 2 }];
        assert_eq!(check_awards(&twice, &t).unwrap_err(), "每件作品只能获一个奖项");
        assert!(check_awards(&[Award { work_id: 1, tier: 3 }], &t).is_err());
    }

    #[test]
    fn a_disqualified_first_prize_pulls_everyone_up_one_place() {
        let ranked = ranking(&[396, 392, 388, 384, 380]);
        let awards = [
            Award { work_id: 1, tier: 1 },
            Award { work_id: 2, tier: 2 },
            Award { work_id: 3, tier: 2 },
            Award { work_id: 4, tier: 3 },
        ];
        let refill = refill_after_disqualification(&ranked, &awards, 1, &[]);
        assert_eq!(
            refill.moves,
            [
                AwardMove { work_id: 2, from: Some(2), to: 1 },
                AwardMove { work_id: 4, from: Some(3), to: 2 },
                AwardMove { work_id: 5, from: None, to: 3 },
            ]
        );
        assert_eq!(refill.vacant, None);
    }

    #[test]
    fn a_tie_below_leaves_the_place_for_the_administrator() {
        let ranked = ranking(&[396, 392, 388, 388]);
        let awards = [Award { work_id: 1, tier: 1 }, Award { work_id: 2, tier: 2 }];
        let refill = refill_after_disqualification(&ranked, &awards, 2, &[]);
        assert!(refill.moves.is_empty());
        assert_eq!((refill.vacant, refill.tied), (Some(2), vec![3, 4]));
        assert_eq!(refill_after_disqualification(&ranked, &awards, 4, &[]), Refill::default());
    }
}
