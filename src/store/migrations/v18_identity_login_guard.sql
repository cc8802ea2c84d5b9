-- Migration 18 (issue #25): the database's identity, and the log-in guard.
--
-- Every database gets a random identity when it is made (existing ones here, at the upgrade),
-- kept in it and so in every backup of it: backups are named by it, the restore list shows
-- this database's own, and a backup of another database is refused unless an administrator
-- confirms. Not logged row by row: a restore that changes it is logged as the restore.
CREATE TABLE database_identity (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    identity   TEXT NOT NULL CONSTRAINT "数据库标识须为32位十六进制" CHECK (length(identity) = 32),
    created_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
INSERT INTO database_identity (id, identity) VALUES (1, lower(hex(randomblob(16))));
CREATE TRIGGER database_identity_no_delete BEFORE DELETE ON database_identity
BEGIN
    SELECT RAISE(ABORT, '数据库标识不能删除');
END;

-- 等保 2.0: five failed log-ins for one account within 15 minutes lock it for 15 minutes.
-- The failures of the last minutes and the locks in force; every failure and lock is an
-- entry of the audit log, so these rows are working state, not the record.
CREATE TABLE login_failure (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account(id),
    at         TEXT NOT NULL
);
CREATE INDEX login_failure_account ON login_failure(account_id, at);
CREATE TABLE login_lock (
    account_id   INTEGER PRIMARY KEY REFERENCES account(id),
    locked_at    TEXT NOT NULL,
    locked_until TEXT NOT NULL
);

-- The demo's accounts keep their published passwords, shorter than the rule for every other
-- account, and say so in the account list.
ALTER TABLE account ADD COLUMN demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1));
-- A demo database made before: its staff and its judges' and experts' accounts (pw001…,
-- zj041…), known by the demo's administrator being there.
UPDATE account SET demo = 1
WHERE EXISTS (SELECT 1 FROM account WHERE login = 'admin' AND display_name = '王管理')
  AND ((login = 'admin' AND display_name = '王管理') OR (login = 'luru' AND display_name = '李录入')
       OR (login = 'jiandu' AND display_name = '赵监督')
       OR login GLOB 'pw[0-9][0-9][0-9]' OR login GLOB 'zj[0-9][0-9][0-9]');
