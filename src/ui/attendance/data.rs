//! What the 签到 tab shows: recent activities, who is signed in at the desk's activity and who
//! holds a place there, every session left open, and the ledger chosen.

use chrono::NaiveDate;

use super::AttendanceData;
use crate::error::Result;
use crate::store::Store;
use crate::store::ledger::LedgerOf;

/// What the data is read for: the desk's activity, the ledger shown, and the day (an open
/// session is flagged once its activity's day is over, so a new day reads again).
pub type ReadKey = (Option<i64>, Option<LedgerOf>, NaiveDate);

/// How many recent activities the desk and the grant form offer.
const RECENT_ACTIVITIES: usize = 300;

pub fn read(store: &Store, (activity_id, ledger_of, today): ReadKey) -> Result<AttendanceData> {
    // Today's and tomorrow's activities too: the desk opens before an activity starts.
    let activities = store.recent_activities(today + chrono::Duration::days(2), RECENT_ACTIVITIES)?;
    let (signed_in, roster) = match activity_id {
        Some(id) => (store.signed_in_now(id)?, store.roster(id)?),
        None => (Vec::new(), Vec::new()),
    };
    let ledger = match ledger_of {
        Some(of) => store.ledger(of)?,
        None => Vec::new(),
    };
    let open_sessions = store.open_sessions(today)?;
    let sign_in_opens = store.sign_in_opens_before()?;
    Ok(AttendanceData { activities, signed_in, roster, open_sessions, ledger, sign_in_opens })
}
