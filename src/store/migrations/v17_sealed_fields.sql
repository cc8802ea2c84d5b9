-- Migration 17: 身份证号 and mobile numbers sealed under the office's data key (issue #20).
--
-- Runs with the key lent to SQL as functions (src/store/keys.rs): seal_id and seal_phone
-- seal a value (SM4-GCM), index_id makes the keyed index that finds an ID (HMAC-SM3),
-- mask_id and mask_phone the masked forms lists show. What needs no key stays in clear:
-- birth date and gender (already columns), the masked forms, whose last four digits find a
-- phone by its tail. src/store/migrations.rs then re-makes volunteer's own indexes and
-- triggers, masks the numbers in the audit log and re-chains it.

-- The database's key: its id in this machine's keystore, a value to recognise it by, and the
-- copy wrapped under the 恢复码 once an administrator has made one.
CREATE TABLE field_key (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    key_id              TEXT NOT NULL,
    check_value         TEXT NOT NULL,
    recovery_salt       TEXT,
    recovery_memory_kib INTEGER,
    recovery_passes     INTEGER,
    recovery_sealed     TEXT,
    recovery_set_at     TEXT,
    -- Set once the file has been rewritten after the upgrade (no freed page keeps a clear
    -- number); an upgrade cut short before that is finished at the next open.
    pages_rewritten     INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);

-- The old rows wait in memory (temp_store is MEMORY), never on a page of the file; the old
-- table's pages are freed, and the VACUUM after the upgrade overwrites them.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE volunteer_v16 AS SELECT * FROM volunteer;
DROP TABLE volunteer;

CREATE TABLE volunteer (
    id                 INTEGER PRIMARY KEY,
    code               TEXT NOT NULL UNIQUE CONSTRAINT "志愿者编号不能为空" CHECK (length(trim(code)) > 0),
    name               TEXT NOT NULL CONSTRAINT "姓名不能为空" CHECK (length(trim(name)) > 0),
    gender             TEXT NOT NULL CONSTRAINT "性别只能是男或女" CHECK (gender IN ('男', '女')),
    birth_date         TEXT NOT NULL CONSTRAINT "出生日期格式应为 YYYY-MM-DD" CHECK (date(birth_date) = birth_date),
    -- The masked forms lists show; the sealed numbers are in volunteer_sealed.
    id_masked          TEXT NOT NULL CONSTRAINT "身份证号应为18位" CHECK (length(id_masked) = 18),
    phone_masked       TEXT NOT NULL CONSTRAINT "手机号应为11位" CHECK (length(phone_masked) = 11),
    unit_id            INTEGER NOT NULL REFERENCES unit(id),
    team_id            INTEGER REFERENCES team(id),
    political_status   TEXT NOT NULL DEFAULT '中共党员',
    skills             TEXT NOT NULL DEFAULT '',
    service_categories TEXT NOT NULL DEFAULT '',
    registered_on      TEXT NOT NULL CONSTRAINT "注册日期格式应为 YYYY-MM-DD" CHECK (date(registered_on) = registered_on),
    deleted_at         TEXT
);

-- A volunteer's sealed ID and phone and the ID's keyed index (unique: one person, one
-- record), in a table of their own: the registry's lists read every volunteer row, and the
-- sealed text (≈ 200 bytes a person) would triple what they read and cache.
CREATE TABLE volunteer_sealed (
    volunteer_id INTEGER PRIMARY KEY REFERENCES volunteer(id),
    id_sealed    TEXT NOT NULL CONSTRAINT "身份证号须加密保存" CHECK (id_sealed GLOB '1[0-9a-f]*'),
    id_index     TEXT NOT NULL UNIQUE,
    phone_sealed TEXT NOT NULL CONSTRAINT "手机号须加密保存" CHECK (phone_sealed GLOB '1[0-9a-f]*')
);

INSERT INTO volunteer (id, code, name, gender, birth_date, id_masked, phone_masked,
                       unit_id, team_id, political_status, skills, service_categories, registered_on, deleted_at)
SELECT id, code, name, gender, birth_date, mask_id(id_number), mask_phone(phone),
       unit_id, team_id, political_status, skills, service_categories, registered_on, deleted_at
FROM temp.volunteer_v16;
INSERT INTO volunteer_sealed (volunteer_id, id_sealed, id_index, phone_sealed)
SELECT id, seal_id(id_number), index_id(id_number), seal_phone(phone) FROM temp.volunteer_v16;
DROP TABLE temp.volunteer_v16;

-- A team's manager and a work's author: the column keeps the masked form, the sealed one
-- sits beside it (landlines too: a manager's number may be one).
ALTER TABLE team ADD COLUMN manager_phone_sealed TEXT NOT NULL DEFAULT '';
UPDATE team SET manager_phone_sealed = seal_phone(manager_phone), manager_phone = mask_phone(manager_phone);

DROP TRIGGER contest_work_frozen_after_collecting;
ALTER TABLE contest_work ADD COLUMN author_phone_sealed TEXT NOT NULL DEFAULT '';
UPDATE contest_work SET author_phone_sealed = seal_phone(author_phone), author_phone = mask_phone(author_phone)
WHERE author_phone <> '';
CREATE TRIGGER contest_work_frozen_after_collecting BEFORE UPDATE OF code, category, title, content, author, author_phone,
    author_phone_sealed, unit_id, submitted_on ON contest_work
WHEN (NEW.code IS NOT OLD.code OR NEW.category IS NOT OLD.category OR NEW.title IS NOT OLD.title
      OR NEW.content IS NOT OLD.content OR NEW.author IS NOT OLD.author OR NEW.author_phone IS NOT OLD.author_phone
      OR NEW.author_phone_sealed IS NOT OLD.author_phone_sealed
      OR NEW.unit_id IS NOT OLD.unit_id OR NEW.submitted_on IS NOT OLD.submitted_on)
     AND ((SELECT state FROM contest_category WHERE category = OLD.category) IS NOT '征集'
          OR (SELECT state FROM contest_category WHERE category = NEW.category) IS NOT '征集')
BEGIN
    SELECT RAISE(ABORT, '作品已进入查重或评审，不能再修改');
END;
