//! The rounds of a category as a state machine: 征集 → 查重 → 初评进行中 → 初评结束 → (决选) →
//! 入围确定 → 终审进行中 → 终审结束 → 公示 → 发布. Only the administrator moves it; every move
//! is logged, and going back is a reopen with a written reason. The store keeps the same
//! table of moves (`contest_transition`), checked against [`RoundState::transitions`] by a
//! test.

/// Where a category is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RoundState {
    /// 征集: works are entered and imported.
    Collecting,
    /// 查重: duplicates are flagged and decided; works are frozen.
    Screening,
    /// 初评进行中: judges vote.
    InitialOpen,
    /// 初评结束: the tally can be seen; a tie at the cut-off waits for a decision.
    InitialClosed,
    /// 决选: a run-off among the works tied at the cut-off.
    RunOff,
    /// 入围确定: the shortlist is confirmed and frozen.
    Shortlisted,
    /// 终审进行中: experts score the shortlist.
    FinalOpen,
    /// 终审结束: ranking by mean score; awards are assigned; identities are revealed.
    FinalClosed,
    /// 公示: the result is publicised and objections are registered.
    Publicity,
    /// 发布: published; read only.
    Published,
}

/// A forward move, or a move back that needs a reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransitionKind {
    Advance,
    Reopen,
}

impl TransitionKind {
    pub fn label(self) -> &'static str {
        match self {
            TransitionKind::Advance => "推进",
            TransitionKind::Reopen => "重开",
        }
    }

    pub fn from_label(label: &str) -> Option<TransitionKind> {
        [TransitionKind::Advance, TransitionKind::Reopen].into_iter().find(|k| k.label() == label)
    }
}

use RoundState::*;

impl RoundState {
    pub const ALL: [RoundState; 10] = [
        Collecting,
        Screening,
        InitialOpen,
        InitialClosed,
        RunOff,
        Shortlisted,
        FinalOpen,
        FinalClosed,
        Publicity,
        Published,
    ];

    /// The label stored in the database and shown on screen.
    pub fn label(self) -> &'static str {
        match self {
            Collecting => "征集",
            Screening => "查重",
            InitialOpen => "初评进行中",
            InitialClosed => "初评结束",
            RunOff => "决选",
            Shortlisted => "入围确定",
            FinalOpen => "终审进行中",
            FinalClosed => "终审结束",
            Publicity => "公示",
            Published => "发布",
        }
    }

    pub fn from_label(label: &str) -> Option<RoundState> {
        Self::ALL.into_iter().find(|s| s.label() == label.trim())
    }

    /// Every allowed move: (from, to, kind). Reopens never cross the confirmed shortlist,
    /// which is frozen, nor leave a published result.
    pub fn transitions() -> &'static [(RoundState, RoundState, TransitionKind)] {
        use TransitionKind::{Advance, Reopen};
        &[
            (Collecting, Screening, Advance),
            (Screening, InitialOpen, Advance),
            (InitialOpen, InitialClosed, Advance),
            (InitialClosed, RunOff, Advance),
            (InitialClosed, Shortlisted, Advance),
            (RunOff, Shortlisted, Advance),
            (Shortlisted, FinalOpen, Advance),
            (FinalOpen, FinalClosed, Advance),
            (FinalClosed, Publicity, Advance),
            (Publicity, Published, Advance),
            // More works arrived, or a decision of 查重 is to be made again.
            (Screening, Collecting, Reopen),
            // Opened too early: only while nobody has voted (the store checks).
            (InitialOpen, Screening, Reopen),
            // A judge could not vote in time.
            (InitialClosed, InitialOpen, Reopen),
            (FinalClosed, FinalOpen, Reopen),
            // An objection calls for the awards to be assigned again.
            (Publicity, FinalClosed, Reopen),
        ]
    }

    /// The kind of the move from `self` to `to`, or `None` when it is not allowed.
    pub fn transition_to(self, to: RoundState) -> Option<TransitionKind> {
        Self::transitions().iter().find(|(f, t, _)| *f == self && *t == to).map(|(_, _, kind)| *kind)
    }

    /// The states reachable by a forward move.
    pub fn next_states(self) -> Vec<RoundState> {
        Self::moves(self, TransitionKind::Advance)
    }

    /// The states a reopen may go back to.
    pub fn reopen_targets(self) -> Vec<RoundState> {
        Self::moves(self, TransitionKind::Reopen)
    }

    fn moves(self, kind: TransitionKind) -> Vec<RoundState> {
        Self::transitions().iter().filter(|(f, _, k)| *f == self && *k == kind).map(|(_, t, _)| *t).collect()
    }

    /// Works can be entered, edited and withdrawn (before 查重 freezes them).
    pub fn accepts_works(self) -> bool {
        self == Collecting
    }

    /// A judges' ballot round can be open in this state: the initial round, or a run-off
    /// (which the store opens and closes within 决选).
    pub fn is_voting(self) -> bool {
        matches!(self, InitialOpen | RunOff)
    }

    /// The initial tally may be seen: the initial round is closed.
    pub fn initial_tally_visible(self) -> bool {
        self > InitialOpen
    }

    /// Authors and units may be shown next to rankings: the final round is closed.
    pub fn identities_revealed(self) -> bool {
        self >= FinalClosed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_runs_forward() {
        let path = [
            Collecting,
            Screening,
            InitialOpen,
            InitialClosed,
            RunOff,
            Shortlisted,
            FinalOpen,
            FinalClosed,
            Publicity,
            Published,
        ];
        for pair in path.windows(2) {
            assert_eq!(pair[0].transition_to(pair[1]), Some(TransitionKind::Advance), "{pair:?}");
        }
        assert_eq!(InitialClosed.next_states(), [RunOff, Shortlisted]);
    }

    #[test]
    fn no_jumps_and_no_way_back_past_the_shortlist() {
        assert_eq!(Collecting.transition_to(InitialOpen), None);
        assert_eq!(InitialOpen.transition_to(Shortlisted), None);
        assert!(Shortlisted.reopen_targets().is_empty());
        assert!(Published.reopen_targets().is_empty());
        assert!(Published.next_states().is_empty());
        assert_eq!(FinalOpen.transition_to(Shortlisted), None);
        assert_eq!(InitialClosed.transition_to(InitialOpen), Some(TransitionKind::Reopen));
        for (from, to, kind) in RoundState::transitions() {
            assert_eq!(*kind == TransitionKind::Reopen, to < from, "{from:?} → {to:?}");
            assert!(!(*kind == TransitionKind::Reopen && *to < Shortlisted && *from > Shortlisted));
        }
    }

    #[test]
    fn labels_round_trip_and_gates() {
        for s in RoundState::ALL {
            assert_eq!(RoundState::from_label(s.label()), Some(s));
        }
        assert!(Collecting.accepts_works() && !Screening.accepts_works());
        assert!(InitialOpen.is_voting() && RunOff.is_voting() && !InitialClosed.is_voting());
        assert!(!InitialOpen.initial_tally_visible() && InitialClosed.initial_tally_visible());
        assert!(!FinalOpen.identities_revealed() && FinalClosed.identities_revealed());
    }
}
