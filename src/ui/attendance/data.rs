//! What the 签到 tab shows: recent activities, who is signed in at the desk's activity, sessions
//! left open, and the ledger chosen.

use chrono::NaiveDate;

use super::AttendanceData;
use crate::error::Result;
use crate::store::ledger::LedgerOf;
use crate::store::{Store, activities, ledger};

/// What the data is read for: the desk's activity and the ledger shown.
pub type ReadKey = (Option<i64>, Option<LedgerOf>);

/// How many recent activities the desk and the grant form offer.
const RECENT_ACTIVITIES: usize = 300;

pub fn read(store: &Store, (activity_id, ledger_of): ReadKey, today: NaiveDate) -> Result<AttendanceData> {
    let conn = store.conn();
    let until = format!("{} 00:00", today + chrono::Duration::days(2));
    let mut activities = activities::list_activities(conn, "0000", &until)?;
    activities.reverse();
    activities.truncate(RECENT_ACTIVITIES);
    let signed_in = match activity_id {
        Some(id) => ledger::signed_in_now(conn, id)?,
        None => Vec::new(),
    };
    let ledger = match ledger_of {
        Some(of) => ledger::ledger(conn, of)?,
        None => Vec::new(),
    };
    let open_sessions = ledger::flagged_open_sessions(conn, today)?;
    Ok(AttendanceData { activities, signed_in, open_sessions, ledger })
}
