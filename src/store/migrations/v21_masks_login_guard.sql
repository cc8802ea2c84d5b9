-- Migration 21 (issue #26): 身份证号 masks without the check character, and the log-in guard
-- counting every typed login, whether an account has it or not.

-- A mask kept the first and the check character (3****************4). With the birth date and
-- gender in clear, the check character cut the candidates for the whole number tenfold: the
-- first character only now (domain::identity::mask_id_number). The logging trigger steps
-- aside, as a restore runs this on a connection that logs rows and an entry of the change
-- would keep the old mask in its `before`; the upgrade re-makes it (store::migrate).
DROP TRIGGER IF EXISTS audit_volunteer_UPDATE;
UPDATE volunteer SET id_masked = substr(id_masked, 1, 1) || '*****************'
WHERE substr(id_masked, 2) <> '*****************';

-- The audit log's entries hold masks too, in a chain signed with the data key: they are
-- rewritten and the chain signed again at the first open that has the key
-- (audit::remask_log_once), which drops this table once done.
CREATE TABLE IF NOT EXISTS log_masks_pending (id INTEGER PRIMARY KEY CHECK (id = 1));
INSERT OR IGNORE INTO log_masks_pending (id) VALUES (1);

-- Failures and locks by login instead of by account: an unknown login locked after as many
-- failures as a known one, so the answer no longer tells which logins exist. The key is a
-- salted hash of the login as typed (accounts::LoginKeys), never the text: a password typed
-- into the login field must not land in the file. Working state only (the log keeps the
-- record): the counts of the old layout are dropped.
DROP TABLE IF EXISTS login_lock;
DROP TABLE IF EXISTS login_failure;
CREATE TABLE login_failure (
    id        INTEGER PRIMARY KEY,
    login_key TEXT NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX login_failure_login ON login_failure(login_key, at);
CREATE TABLE login_lock (
    login_key    TEXT PRIMARY KEY,
    locked_at    TEXT NOT NULL,
    locked_until TEXT NOT NULL
);
