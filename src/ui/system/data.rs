//! What the 系统 tab shows: accounts, backups and the data key (administrator), the audit log
//! as filtered (administrator and 监督).

use chrono::NaiveDateTime;

use super::SystemData;
use crate::domain::access::{Action, allows};
use crate::error::Result;
use crate::store::audit::Filter;
use crate::store::{Store, backups};

pub fn read(store: &Store, filter: &Filter, now: NaiveDateTime) -> Result<SystemData> {
    let role = store.actor().role;
    let mut data = SystemData::default();
    if allows(role, Action::Administer) {
        data.accounts = store.accounts(now)?;
        let folder = backups::folder_for(store.path());
        (data.backups, data.other_backups) = backups::list_for(store, &folder);
        data.clear_backups = backups::clear_backups(&folder).len();
        // A file too old to seal, opened read-only, has no key to speak of: no section then.
        data.key = store.key_status().ok();
    }
    if allows(role, Action::ReadAudit) {
        data.entries = store.audit_entries(filter)?;
    }
    Ok(data)
}
