-- Migration 12: honour grants indexed by activity.
--
-- The 时数台账 of a volunteer or an activity reads grants WHERE volunteer_id = ? OR
-- activity_id = ?; with an index on only one of the two columns SQLite walked every grant
-- (through the date index) for either ledger. With both it looks up each side (MULTI-INDEX OR).
CREATE INDEX honor_grant_activity ON honor_grant(activity_id);
