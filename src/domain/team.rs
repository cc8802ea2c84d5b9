//! The kinds of team in the 总队 → 支队 → 专业服务队 tree, and the two modes of service.

/// A team's place in the tree (domain.md §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TeamKind {
    /// 总队: the one city-wide corps, held by the 机关工委.
    Corps,
    /// 支队: one per government unit, under the 总队.
    Detachment,
    /// 专业服务队: a specialised team under a 支队.
    Specialised,
}

impl TeamKind {
    pub const ALL: [TeamKind; 3] = [TeamKind::Corps, TeamKind::Detachment, TeamKind::Specialised];

    /// The label stored in the database and shown on screen.
    pub fn label(self) -> &'static str {
        match self {
            TeamKind::Corps => "总队",
            TeamKind::Detachment => "支队",
            TeamKind::Specialised => "专业服务队",
        }
    }

    pub fn from_label(label: &str) -> Option<TeamKind> {
        Self::ALL.into_iter().find(|k| k.label() == label.trim())
    }
}

/// 集中服务 (run by a team) or 分散服务 (individuals or freely formed groups).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ServiceMode {
    Concentrated,
    Dispersed,
}

impl ServiceMode {
    pub const ALL: [ServiceMode; 2] = [ServiceMode::Concentrated, ServiceMode::Dispersed];

    pub fn label(self) -> &'static str {
        match self {
            ServiceMode::Concentrated => "集中",
            ServiceMode::Dispersed => "分散",
        }
    }

    pub fn from_label(label: &str) -> Option<ServiceMode> {
        let label = label.trim().trim_end_matches("服务");
        Self::ALL.into_iter().find(|m| m.label() == label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        for kind in TeamKind::ALL {
            assert_eq!(TeamKind::from_label(kind.label()), Some(kind));
        }
        assert_eq!(ServiceMode::from_label("集中服务"), Some(ServiceMode::Concentrated));
        assert_eq!(ServiceMode::from_label("分散"), Some(ServiceMode::Dispersed));
        assert_eq!(TeamKind::from_label("大队"), None);
    }
}
