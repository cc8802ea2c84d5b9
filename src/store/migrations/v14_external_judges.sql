-- Migration 14: judges and experts from bodies that are not registered units (市文联, 作协, a
-- university, retired cadres). Such a judge keeps the organisation as text and no unit, so no
-- work is withheld from their ballot: recusal covers registered units only, and every
-- comparison with the judge's unit (`=`, `IS NOT`) already reads a missing unit as "none of
-- theirs". The table is rebuilt because SQLite cannot drop a NOT NULL; ballots, scores and
-- round lists point at its rows, which come back with the same ids before the commit.

PRAGMA defer_foreign_keys = ON;

CREATE TABLE contest_judge_v13 AS SELECT * FROM contest_judge;
DROP TABLE contest_judge;

CREATE TABLE contest_judge (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL CONSTRAINT "评委姓名不能为空" CHECK (length(trim(name)) > 0),
    unit_id      INTEGER REFERENCES unit(id),
    -- The judge's own organisation when it is not a registered unit; empty otherwise.
    organisation TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL DEFAULT '',
    role         TEXT NOT NULL CONSTRAINT "评委角色只能是初评评委或终审专家" CHECK (role IN ('初评评委', '终审专家')),
    account_id   INTEGER UNIQUE REFERENCES account(id),
    created_at   TEXT NOT NULL,
    UNIQUE (role, name),
    CONSTRAINT "评委须注明单位" CHECK ((unit_id IS NULL) = (length(trim(organisation)) > 0))
);
INSERT INTO contest_judge (id, name, unit_id, title, role, account_id, created_at)
SELECT id, name, unit_id, title, role, account_id, created_at FROM contest_judge_v13;
DROP TABLE contest_judge_v13;

CREATE TRIGGER contest_judge_fixed_once_judging BEFORE UPDATE OF unit_id, organisation, role, name ON contest_judge
WHEN (NEW.unit_id IS NOT OLD.unit_id OR NEW.organisation IS NOT OLD.organisation
      OR NEW.role IS NOT OLD.role OR NEW.name IS NOT OLD.name)
     AND EXISTS (SELECT 1 FROM contest_round_judge WHERE judge_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, '该评委已参加评审轮次，姓名、单位和角色不能再修改');
END;
CREATE TRIGGER contest_judge_no_delete BEFORE DELETE ON contest_judge
WHEN EXISTS (SELECT 1 FROM contest_round_judge WHERE judge_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, '该评委已参加评审轮次，不能删除');
END;
CREATE TRIGGER contest_judge_text_limits BEFORE INSERT ON contest_judge
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.name)) > 30 THEN RAISE(ABORT, '评委姓名过长（最多 30 字）')
        WHEN length(trim(NEW.organisation)) > 60 THEN RAISE(ABORT, '评委单位过长（最多 60 字）')
        WHEN length(trim(NEW.title)) > 60 THEN RAISE(ABORT, '职务过长（最多 60 字）')
    END;
END;
CREATE TRIGGER contest_judge_text_limits_on_update BEFORE UPDATE OF name, organisation, title ON contest_judge
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.name)) > 30 THEN RAISE(ABORT, '评委姓名过长（最多 30 字）')
        WHEN length(trim(NEW.organisation)) > 60 THEN RAISE(ABORT, '评委单位过长（最多 60 字）')
        WHEN length(trim(NEW.title)) > 60 THEN RAISE(ABORT, '职务过长（最多 60 字）')
    END;
END;
