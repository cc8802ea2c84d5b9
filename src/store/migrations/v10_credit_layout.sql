-- Migration 10: the ledger layout for year-end sums at scale (issue #5).
--
-- Version 5 kept credit in session_credit, filled by a trigger on every session and checked
-- by a second one; a bulk import paid for both on every row (and for the statement journal
-- that any trigger on the table costs), and the year's sums joined two tables. Here
-- credit_session is rebuilt so that a session's credit is a column of its row, written once
-- by whoever writes the row and checked by a CHECK constraint against the row itself: the
-- row carries its activity's window, which a composite foreign key pins to the activity.
-- Nothing fires on insert. An index on (activity, person, credit) gives a year's sums
-- without reading the table.

-- The old table is dropped while corrections and resolutions still point at its rows; the
-- rows come back with the same ids before the transaction commits.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE credit_session_v5 AS
SELECT s.*, k.minutes AS credit_minutes FROM credit_session s LEFT JOIN session_credit k ON k.session_id = s.id;

DROP VIEW credit_session_minutes;
DROP TABLE session_credit;
DROP TABLE credit_session;

-- What a session's foreign key points at: an activity with exactly this window.
CREATE UNIQUE INDEX activity_window ON activity(id, starts_at, ends_at);

CREATE TABLE credit_session (
    id                 INTEGER PRIMARY KEY,
    activity_id        INTEGER NOT NULL,
    activity_starts_at TEXT NOT NULL,
    activity_ends_at   TEXT NOT NULL,
    volunteer_id       INTEGER NOT NULL REFERENCES volunteer(id),
    -- datetime() normalises what it reads, so only a real minute in this exact form survives;
    -- IS, not =, because datetime() of what it cannot read is NULL, which a CHECK lets pass.
    signed_in_at       TEXT NOT NULL CONSTRAINT "签到时间格式应为 YYYY-MM-DD HH:MM"
                           CHECK (datetime(signed_in_at) IS signed_in_at || ':00'),
    signed_out_at      TEXT CONSTRAINT "签退时间格式应为 YYYY-MM-DD HH:MM"
                           CHECK (signed_out_at IS NULL OR datetime(signed_out_at) IS signed_out_at || ':00'),
    -- Whole minutes between sign-in and sign-out, clipped to the activity's window; none
    -- while the session is open. Any other value is refused, so nobody can type credit in.
    -- (Not a generated column: SQLite never reads those from an index alone.)
    credit_minutes     INTEGER CONSTRAINT "服务信用时数只能由签到、签退计算得出，不能填写" CHECK (credit_minutes IS (
                           CASE WHEN signed_out_at IS NOT NULL THEN
                               max(0, (unixepoch(min(signed_out_at, activity_ends_at))
                                       - unixepoch(max(signed_in_at, activity_starts_at))) / 60)
                           END)),
    recorded_by        TEXT NOT NULL,
    recorded_at        TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    -- Set (to the row's own id) when an open session is resolved, by the trigger below.
    resolution_id      INTEGER CONSTRAINT "处理标记只能指向本条签到" CHECK (resolution_id IS NULL OR resolution_id = id)
                           REFERENCES session_resolution(session_id),
    CONSTRAINT "签退时间须晚于签到时间" CHECK (signed_out_at IS NULL OR signed_out_at > signed_in_at),
    FOREIGN KEY (activity_id, activity_starts_at, activity_ends_at) REFERENCES activity(id, starts_at, ends_at)
);

INSERT INTO credit_session (id, activity_id, activity_starts_at, activity_ends_at, volunteer_id, signed_in_at,
                            signed_out_at, credit_minutes, recorded_by, recorded_at, resolution_id)
SELECT s.id, s.activity_id, a.starts_at, a.ends_at, s.volunteer_id, s.signed_in_at, s.signed_out_at,
       s.credit_minutes, s.recorded_by, s.recorded_at, r.session_id
FROM credit_session_v5 s JOIN activity a ON a.id = s.activity_id
LEFT JOIN session_resolution r ON r.session_id = s.id
ORDER BY s.id;
DROP TABLE credit_session_v5;

-- A person's sessions are few and read whole: the id alone keeps this index small.
CREATE INDEX credit_session_volunteer ON credit_session(volunteer_id);
-- Year-end sums walk the year's activities and read person and credit from here alone.
CREATE INDEX credit_session_activity_person ON credit_session(activity_id, volunteer_id, credit_minutes);

CREATE VIEW credit_session_minutes AS
SELECT id, activity_id, volunteer_id, signed_in_at, signed_out_at, credit_minutes FROM credit_session;

-- At most one open session a person, resolved ones aside: checked by an index, since a
-- trigger on insert would run for every row of a bulk import.
CREATE UNIQUE INDEX credit_session_one_open ON credit_session(volunteer_id)
WHERE signed_out_at IS NULL AND resolution_id IS NULL;

-- A resolution marks its session, so the index above can see it.
CREATE TRIGGER session_resolution_marks_session AFTER INSERT ON session_resolution
BEGIN
    UPDATE credit_session SET resolution_id = NEW.session_id WHERE id = NEW.session_id;
END;

-- Append-only: an open session can be signed out of (with its credit), or marked resolved,
-- once; nothing else is edited, nothing deleted.
CREATE TRIGGER credit_session_append_only BEFORE UPDATE ON credit_session
WHEN NEW.id IS NOT OLD.id OR NEW.activity_id IS NOT OLD.activity_id
  OR NEW.activity_starts_at IS NOT OLD.activity_starts_at OR NEW.activity_ends_at IS NOT OLD.activity_ends_at
  OR NEW.volunteer_id IS NOT OLD.volunteer_id OR NEW.signed_in_at IS NOT OLD.signed_in_at
  OR NEW.recorded_by IS NOT OLD.recorded_by OR NEW.recorded_at IS NOT OLD.recorded_at
  OR OLD.signed_out_at IS NOT NULL
  OR NOT ((NEW.signed_out_at IS NOT NULL AND NEW.resolution_id IS OLD.resolution_id)
          OR (NEW.signed_out_at IS NULL AND OLD.resolution_id IS NULL AND NEW.resolution_id IS NOT NULL))
BEGIN
    SELECT RAISE(ABORT, '签到记录只能追加：已有记录不能修改，更正请另行登记');
END;
CREATE TRIGGER credit_session_no_sign_out_after_resolution BEFORE UPDATE OF signed_out_at ON credit_session
WHEN OLD.resolution_id IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, '该签到已按未签退处理，不能再签退');
END;
CREATE TRIGGER credit_session_no_delete BEFORE DELETE ON credit_session
BEGIN
    SELECT RAISE(ABORT, '签到记录只能追加，不能删除');
END;
