-- Migration 19 (issue #26): each round's ballot secret sealed under the data key.
--
-- Until now the secret lay in clear in the file and every backup, so whoever held a copy
-- could seal ballots of their own. From here on it is kept only sealed (SM4-GCM under the
-- data key, the associated data naming the table and the round: `store::contest::workbooks`),
-- made when the round's first ballots are issued, by the program and never by a trigger
-- (the key is not lent to the schema). A secret from before is sealed at the first open that
-- has the key, which then rewrites the file so no freed page keeps it.
--
-- SQLite cannot drop a NOT NULL: the table is rebuilt, the old rows held in memory (temp_store
-- is MEMORY) and the old table's pages freed (secure_delete zeroes them).
DROP TRIGGER contest_round_seal_key;
DROP TRIGGER ballot_seal_key_fixed;
DROP TRIGGER ballot_seal_key_no_delete;
CREATE TEMP TABLE ballot_seal_key_v18 AS SELECT round_id, secret FROM ballot_seal_key;
DROP TABLE ballot_seal_key;
CREATE TABLE ballot_seal_key (
    round_id INTEGER PRIMARY KEY REFERENCES contest_round(id),
    -- A secret from before this migration, until an open with the key seals it.
    secret   BLOB CONSTRAINT "封签密钥须为32字节" CHECK (secret IS NULL OR length(secret) = 32),
    sealed   TEXT CONSTRAINT "封签密钥须加密保存" CHECK (sealed IS NULL OR sealed GLOB '1[0-9a-f]*'),
    CONSTRAINT "封签密钥只能有一份" CHECK ((secret IS NULL) <> (sealed IS NULL))
);
INSERT INTO ballot_seal_key (round_id, secret) SELECT round_id, secret FROM temp.ballot_seal_key_v18;
DROP TABLE temp.ballot_seal_key_v18;
CREATE TRIGGER ballot_seal_key_sealed_only BEFORE INSERT ON ballot_seal_key
WHEN NEW.secret IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, '封签密钥须加密保存');
END;
-- Sealing a secret from before, and resealing under a new data key, are the only changes.
CREATE TRIGGER ballot_seal_key_fixed BEFORE UPDATE ON ballot_seal_key
WHEN NEW.round_id IS NOT OLD.round_id OR NEW.secret IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, '封签密钥不能更改');
END;
CREATE TRIGGER ballot_seal_key_no_delete BEFORE DELETE ON ballot_seal_key
BEGIN
    SELECT RAISE(ABORT, '封签密钥不能删除');
END;

-- The receipt of each returned ballot: what was counted, the judge, the round, when, and the
-- file's SHA-256, as sent to the judge (the seal covers the list, not the ✓ marks: the judge
-- compares). Kept whole, sealed under the data key like the secrets: it lists a judge's votes,
-- which no list may show while the round is open; the program opens it for the administrator.
CREATE TABLE contest_ballot_receipt (
    ballot_id INTEGER PRIMARY KEY REFERENCES contest_ballot(id),
    sealed    TEXT NOT NULL CONSTRAINT "回执须加密保存" CHECK (sealed GLOB '1[0-9a-f]*')
);
CREATE TRIGGER contest_ballot_receipt_of_workbook BEFORE INSERT ON contest_ballot_receipt
WHEN NOT EXISTS (SELECT 1 FROM contest_ballot_workbook WHERE ballot_id = NEW.ballot_id)
BEGIN
    SELECT RAISE(ABORT, '只有收回的电子选票有回执');
END;
-- Resealing under a new data key is the only change.
CREATE TRIGGER contest_ballot_receipt_fixed BEFORE UPDATE ON contest_ballot_receipt
WHEN NEW.ballot_id IS NOT OLD.ballot_id
BEGIN
    SELECT RAISE(ABORT, '电子选票回执不能更改');
END;
CREATE TRIGGER contest_ballot_receipt_no_delete BEFORE DELETE ON contest_ballot_receipt
BEGIN
    SELECT RAISE(ABORT, '电子选票回执不能删除');
END;
