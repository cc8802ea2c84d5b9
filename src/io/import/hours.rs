//! The hours of a workbook, person by person, on top of what the database holds: each
//! person's sessions in time order (the database's, queried once when the person first comes
//! up, and the file's rows so far), their service per day and what the file adds at each
//! activity. The 签到记录 and 荣誉时数 checks read and add to it, so that the rules of the
//! ledger (no overlap, 24 hours a day, the cap at an activity) hold for the file and the
//! database together without writing anything.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;

use crate::domain::Minutes;
use crate::error::Result;
use crate::store::attendance::day_total;
use crate::store::import::{ExistingGrant, volunteer_grants, volunteer_sessions};

/// Someone a row names: by the keyed index of their 身份证号 (the key every volunteer has),
/// with the row id when they are in the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PersonRef {
    pub id_index: String,
    pub db_id: Option<i64>,
}

/// A session holding a stretch of a person's time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub activity_code: String,
    pub signed_in_at: NaiveDateTime,
    pub signed_out_at: Option<NaiveDateTime>,
    /// The end for the overlap rule; `None` while it is open (it holds all later time).
    pub blocks_until: Option<NaiveDateTime>,
    pub source: SpanSource,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SpanSource {
    /// In the database; `matched_by` the file row that repeats it, once one does.
    Database { matched_by: Option<u32> },
    /// Added by this row of the file.
    Row(u32),
}

#[derive(Default)]
pub(crate) struct Person {
    /// Disjoint spans keyed by sign-in time (the rules keep them disjoint, so two never
    /// share a start).
    spans: BTreeMap<NaiveDateTime, Span>,
    /// Service per day: the database's total when first asked, plus what the file adds.
    days: HashMap<NaiveDate, Minutes>,
    /// Credit and honour the file adds at an activity, by 活动编号.
    at_activity: HashMap<String, Minutes>,
    /// The database's grants not yet matched by a row of the file.
    db_grants: Vec<ExistingGrant>,
}

#[derive(Default)]
pub(crate) struct Hours {
    people: HashMap<String, Person>,
}

impl Hours {
    /// The person's hours, loading their sessions and grants from the database the first time.
    pub fn person(&mut self, conn: &Connection, who: &PersonRef) -> Result<&mut Person> {
        let entry = match self.people.entry(who.id_index.clone()) {
            Entry::Occupied(entry) => return Ok(entry.into_mut()),
            Entry::Vacant(entry) => entry,
        };
        let mut person = Person::default();
        if let Some(id) = who.db_id {
            for s in volunteer_sessions(conn, id)? {
                let span = Span {
                    activity_code: s.activity_code,
                    signed_in_at: s.signed_in_at,
                    signed_out_at: s.signed_out_at,
                    blocks_until: s.blocks_until,
                    source: SpanSource::Database { matched_by: None },
                };
                person.spans.insert(s.signed_in_at, span);
            }
            person.db_grants = volunteer_grants(conn, id)?;
        }
        Ok(entry.insert(person))
    }
}

impl Person {
    /// The session that starts at `at`, if any.
    pub fn span_at(&mut self, at: NaiveDateTime) -> Option<&mut Span> {
        self.spans.get_mut(&at)
    }

    /// A session sharing time with `[from, to)` (`to` = `None`: open, holding all later time).
    /// Back-to-back is fine. The spans are disjoint, so only the last one starting at or
    /// before `from` and the first one after it can overlap.
    pub fn overlapping(&self, from: NaiveDateTime, to: Option<NaiveDateTime>) -> Option<&Span> {
        let before = self.spans.range(..=from).next_back().map(|(_, s)| s);
        if let Some(span) = before
            && span.blocks_until.is_none_or(|end| end > from)
        {
            return Some(span);
        }
        let after = self.spans.range((Bound::Excluded(from), Bound::Unbounded)).next().map(|(_, s)| s);
        after.filter(|span| to.is_none_or(|to| span.signed_in_at < to))
    }

    pub fn add_span(&mut self, span: Span) {
        self.spans.insert(span.signed_in_at, span);
    }

    /// Service on `day`: the database's and the file's so far.
    pub fn day_total(&mut self, conn: &Connection, who: &PersonRef, day: NaiveDate) -> Result<Minutes> {
        if let Some(total) = self.days.get(&day) {
            return Ok(*total);
        }
        let total = match who.db_id {
            Some(id) => day_total(conn, id, day)?,
            None => Minutes(0),
        };
        self.days.insert(day, total);
        Ok(total)
    }

    /// Adds service to a day whose total was read with [`Person::day_total`] and to an
    /// activity.
    pub fn add_service(&mut self, day: NaiveDate, activity_code: Option<&str>, minutes: Minutes) {
        let total = self.days.entry(day).or_insert(Minutes(0));
        *total += minutes;
        if let Some(code) = activity_code {
            let earned = self.at_activity.entry(code.to_string()).or_insert(Minutes(0));
            *earned += minutes;
        }
    }

    /// What the file's earlier rows add at an activity.
    pub fn earned_in_file_at(&self, activity_code: &str) -> Minutes {
        self.at_activity.get(activity_code).copied().unwrap_or(Minutes(0))
    }

    /// Takes the first database grant with this content (each matches one row of the file);
    /// returns who granted it.
    pub fn take_db_grant(
        &mut self,
        service_date: &str,
        minutes: Minutes,
        reason: &str,
        activity_code: Option<&str>,
    ) -> Option<String> {
        let index = self.db_grants.iter().position(|g| {
            g.service_date == service_date
                && g.minutes == minutes
                && g.reason == reason
                && g.activity_code.as_deref() == activity_code
        })?;
        Some(self.db_grants.swap_remove(index).granted_by)
    }
}

/// Credit for a session: its time within the activity's window, in whole minutes (the store
/// computes the same when it records it).
pub(crate) fn clipped(window: (NaiveDateTime, NaiveDateTime), from: NaiveDateTime, to: NaiveDateTime) -> Minutes {
    let start = from.max(window.0);
    let end = to.min(window.1);
    Minutes((end - start).num_minutes().max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2017, 7, 1).and_then(|d| d.and_hms_opt(h, m, 0)).expect("time")
    }

    fn span(from: NaiveDateTime, to: Option<NaiveDateTime>, row: u32) -> Span {
        Span {
            activity_code: "HD".to_string(),
            signed_in_at: from,
            signed_out_at: to,
            blocks_until: to,
            source: SpanSource::Row(row),
        }
    }

    #[test]
    fn finds_overlaps_on_either_side_and_allows_back_to_back() {
        let mut person = Person::default();
        person.add_span(span(at(8, 0), Some(at(10, 0)), 2));
        person.add_span(span(at(14, 0), Some(at(16, 0)), 3));
        assert_eq!(person.overlapping(at(10, 0), Some(at(14, 0))), None, "back to back on both sides");
        assert_eq!(person.overlapping(at(9, 0), Some(at(11, 0))).map(|s| s.source), Some(SpanSource::Row(2)));
        assert_eq!(person.overlapping(at(11, 0), Some(at(15, 0))).map(|s| s.source), Some(SpanSource::Row(3)));
        assert_eq!(person.overlapping(at(7, 0), Some(at(17, 0))).map(|s| s.source), Some(SpanSource::Row(2)));
        assert_eq!(person.overlapping(at(12, 0), None).map(|s| s.source), Some(SpanSource::Row(3)), "open");
        person.add_span(span(at(18, 0), None, 4));
        assert_eq!(person.overlapping(at(20, 0), Some(at(21, 0))).map(|s| s.source), Some(SpanSource::Row(4)));
    }

    #[test]
    fn credit_is_clipped_to_the_window() {
        assert_eq!(clipped((at(8, 0), at(11, 0)), at(7, 30), at(12, 0)), Minutes(180));
        assert_eq!(clipped((at(8, 0), at(11, 0)), at(12, 0), at(13, 0)), Minutes(0));
    }
}
