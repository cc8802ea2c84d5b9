-- Migration 16: judges vote from their own desks on sealed ballot workbooks (issue #18).
--
-- Each ballot round has a secret that never leaves the database: the seal on a judge's
-- workbook is an HMAC-SHA256 under it over the round, the judge and the works' codes. The
-- table is not named contest_* so that judges' and experts' accounts cannot read it, and it
-- is not logged row by row (the log would show the key). A new round gets its key as it is
-- made; rounds made before this migration get theirs here.
CREATE TABLE ballot_seal_key (
    round_id INTEGER PRIMARY KEY REFERENCES contest_round(id),
    secret   BLOB NOT NULL CONSTRAINT "封签密钥须为32字节" CHECK (length(secret) = 32)
);
INSERT INTO ballot_seal_key (round_id, secret) SELECT id, randomblob(32) FROM contest_round;
CREATE TRIGGER contest_round_seal_key AFTER INSERT ON contest_round
BEGIN
    INSERT INTO ballot_seal_key (round_id, secret) VALUES (NEW.id, randomblob(32));
END;
CREATE TRIGGER ballot_seal_key_fixed BEFORE UPDATE ON ballot_seal_key
BEGIN
    SELECT RAISE(ABORT, '封签密钥不能更改');
END;
CREATE TRIGGER ballot_seal_key_no_delete BEFORE DELETE ON ballot_seal_key
BEGIN
    SELECT RAISE(ABORT, '封签密钥不能删除');
END;

-- A ballot that came back as a workbook: recorded like a paper ballot (handed in by the desk,
-- void as a whole over the quota), with the returned file's SHA-256. The channel a ballot
-- came in by follows: a row here → 电子选票; paper = 1 otherwise → 纸质选票; else 系统内.
CREATE TABLE contest_ballot_workbook (
    ballot_id   INTEGER PRIMARY KEY REFERENCES contest_ballot(id),
    file_name   TEXT NOT NULL,
    file_sha256 TEXT NOT NULL UNIQUE
                    CONSTRAINT "文件哈希须为64位十六进制" CHECK (length(file_sha256) = 64 AND file_sha256 NOT GLOB '*[^0-9a-f]*'),
    received_at TEXT NOT NULL
);
CREATE TRIGGER contest_ballot_workbook_not_online BEFORE INSERT ON contest_ballot_workbook
WHEN (SELECT paper FROM contest_ballot WHERE id = NEW.ballot_id) IS NOT 1
BEGIN
    SELECT RAISE(ABORT, '该评委已在系统中投票，不能再收电子选票');
END;
CREATE TRIGGER contest_ballot_workbook_fixed BEFORE UPDATE ON contest_ballot_workbook
BEGIN
    SELECT RAISE(ABORT, '收回的电子选票记录不能修改');
END;
CREATE TRIGGER contest_ballot_workbook_no_delete BEFORE DELETE ON contest_ballot_workbook
BEGIN
    SELECT RAISE(ABORT, '收回的电子选票记录不能删除');
END;
