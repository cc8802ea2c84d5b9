//! What the 队伍 tab shows (and 日历 and 签到 list): units, teams and volunteers.

use super::RegistryData;
use crate::error::Result;
use crate::store::Store;

/// Reads the registry, once after each change (the app keeps it in `TabContext::people`).
pub fn read_people(store: &Store) -> Result<RegistryData> {
    Ok(RegistryData::new(store.units()?, store.teams()?, store.volunteers()?))
}
