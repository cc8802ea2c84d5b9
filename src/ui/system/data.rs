//! What the 系统 tab shows: accounts and backups (administrator), the audit log as filtered
//! (administrator and 监督).

use super::SystemData;
use crate::domain::access::{Action, allows};
use crate::error::Result;
use crate::store::audit::Filter;
use crate::store::{Store, backups};

pub fn read(store: &Store, filter: &Filter) -> Result<SystemData> {
    let role = store.actor().role;
    let mut data = SystemData::default();
    if allows(role, Action::Administer) {
        data.accounts = store.accounts()?;
        data.backups = backups::list(&backups::folder_for(store.path()));
    }
    if allows(role, Action::ReadAudit) {
        data.entries = store.audit_entries(filter)?;
    }
    Ok(data)
}
