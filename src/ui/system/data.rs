//! What the 系统 tab shows: accounts and backups (administrator), the audit log as filtered
//! (administrator and 监督).

use super::SystemData;
use crate::domain::access::{Action, allows};
use crate::error::Result;
use crate::store::audit::Filter;
use crate::store::{Store, accounts, audit, backups};

pub fn read(store: &Store, filter: &Filter) -> Result<SystemData> {
    let actor = store.actor();
    let conn = store.conn();
    let mut data = SystemData::default();
    if allows(actor.role, Action::Administer) {
        data.accounts = accounts::list(conn, actor)?;
        data.backups = backups::list(&backups::folder_for(store.path()));
    }
    if allows(actor.role, Action::ReadAudit) {
        data.entries = audit::entries(conn, actor, filter)?;
    }
    Ok(data)
}
