//! What the 签到 tab shows: recent activities, who is signed in at the desk's activity, sessions
//! left open, and the ledger chosen.

use chrono::NaiveDate;

use super::AttendanceData;
use crate::error::Result;
use crate::store::Store;
use crate::store::ledger::LedgerOf;

/// What the data is read for: the desk's activity and the ledger shown.
pub type ReadKey = (Option<i64>, Option<LedgerOf>);

/// How many recent activities the desk and the grant form offer.
const RECENT_ACTIVITIES: usize = 300;

pub fn read(store: &Store, (activity_id, ledger_of): ReadKey, today: NaiveDate) -> Result<AttendanceData> {
    // Today's and tomorrow's activities too: the desk opens before an activity starts.
    let activities = store.recent_activities(today + chrono::Duration::days(2), RECENT_ACTIVITIES)?;
    let signed_in = match activity_id {
        Some(id) => store.signed_in_now(id)?,
        None => Vec::new(),
    };
    let ledger = match ledger_of {
        Some(of) => store.ledger(of)?,
        None => Vec::new(),
    };
    let open_sessions = store.flagged_open_sessions(today)?;
    Ok(AttendanceData { activities, signed_in, open_sessions, ledger })
}
