//! The people several tabs list (队伍, 日历, 签到, 报表): the registry as read, and a person
//! told apart from namesakes. No tab owns it, so no tab imports another.

use crate::domain::identity::phone_tail;
use crate::domain::search::{Query, SearchIndex};
use crate::error::Result;
use crate::store::Store;
use crate::store::teams::TeamRow;
use crate::store::units::UnitRow;
use crate::store::volunteers::VolunteerRow;

/// Reads the registry, once after each change (the app keeps it in `TabContext::people`).
pub fn read_people(store: &Store) -> Result<RegistryData> {
    Ok(RegistryData::new(store.units()?, store.teams()?, store.volunteers()?))
}

/// What the registry shows, read from the store after every change.
#[derive(Default)]
pub struct RegistryData {
    pub units: Vec<UnitRow>,
    pub teams: Vec<TeamRow>,
    pub volunteers: Vec<VolunteerRow>,
    /// The volunteers' search keys, row for row, in one buffer (a keystroke reads all of them).
    pub(super) keys: SearchIndex,
}

impl RegistryData {
    /// Volunteers not in the recycle bin whom `query` finds, at most `limit`.
    pub fn find(&self, query: &str, limit: usize) -> Vec<&VolunteerRow> {
        let query = Query::new(query);
        if query.is_empty() {
            return Vec::new();
        }
        (0..self.volunteers.len())
            .filter(|&i| self.keys.matches(i, &query))
            .map(|i| &self.volunteers[i])
            .filter(|v| v.deleted_at.is_none())
            .take(limit)
            .collect()
    }

    pub fn new(units: Vec<UnitRow>, teams: Vec<TeamRow>, volunteers: Vec<VolunteerRow>) -> Self {
        // The index keeps a phone's last four digits, all the search needs (and all the
        // masked phone holds in clear).
        let keys = SearchIndex::new(volunteers.iter().map(|v| (&*v.name, &*v.code, &*v.phone_masked)));
        RegistryData { units, teams, volunteers, keys }
    }
}

/// A person told apart from namesakes: 张三 ZY000123 ·8842.
pub fn person_tag(v: &VolunteerRow) -> String {
    told_apart(&v.name, &v.code, &v.phone_masked)
}

/// A name with the 编号 and the phone's last four digits.
pub fn told_apart(name: &str, code: &str, phone: &str) -> String {
    format!("{name} {code} ·{}", phone_tail(phone))
}
