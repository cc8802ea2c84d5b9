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

/// The code the 总队 takes when none is given: the tree's codes grow from it.
pub const CORPS_CODE: &str = "ZD";

/// How team codes are formed, for the form's hint: a team's code is its parent's and a number.
pub const TEAM_CODE_PATTERN: &str = "上级队伍编号-序号：总队 ZD，支队 ZD-01，专业服务队 ZD-01-1";

/// The next free code under the team coded `parent` (`None` for the 总队): the parent's code,
/// a dash and one more than the highest number used there (`ZD-13` → `ZD-14`), padded as
/// 支队 numbers are (two digits) or as the numbers already used.
pub fn next_team_code<'a>(parent: Option<&str>, existing: impl IntoIterator<Item = &'a str>) -> String {
    let Some(parent) = parent else { return CORPS_CODE.to_string() };
    let prefix = format!("{parent}-");
    let mut highest = 0;
    let mut width = if parent == CORPS_CODE { 2 } else { 1 };
    for code in existing {
        let Some(number) = code.strip_prefix(&prefix) else { continue };
        if let (true, Ok(n)) = (number.bytes().all(|b| b.is_ascii_digit()), number.parse::<u32>()) {
            highest = highest.max(n);
            width = width.max(number.len());
        }
    }
    format!("{prefix}{:0width$}", highest + 1)
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

    #[test]
    fn the_next_team_code_follows_the_parent_and_the_highest_number() {
        assert_eq!(next_team_code(None, []), "ZD");
        assert_eq!(next_team_code(Some("ZD"), []), "ZD-01");
        assert_eq!(next_team_code(Some("ZD"), ["ZD", "ZD-13", "ZD-02", "ZD-13-1", "ZD-CZJ"]), "ZD-14");
        assert_eq!(next_team_code(Some("ZD-13"), ["ZD-13", "ZD-13-1", "ZD-13-2"]), "ZD-13-3");
        assert_eq!(next_team_code(Some("ZD-13"), ["ZD-14-5"]), "ZD-13-1");
        assert_eq!(next_team_code(Some("ZD"), ["ZD-099"]), "ZD-100");
    }
}
