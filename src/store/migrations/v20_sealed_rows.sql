-- Migration 20: a volunteer's sealed ID and phone may be bound to their row (issue #26).
--
-- Values sealed from now on are in format 2 (src/store/sealing.rs): the associated data names
-- the kind, the table and the row, so a number moved to another person's row does not open.
-- Format 1 (the kind only) stays allowed until the first open with the key seals every value
-- again in format 2 (src/store/resealing.rs): the CHECK admits both. The table is made again
-- (SQLite cannot change a CHECK); the old rows wait in memory (temp_store is MEMORY), and the
-- old table's freed pages are zeroed (secure_delete).

-- Set once the values are bound: binding is done once, so a format-1 value planted later
-- (from an old backup under the same key) is refused where it lies, never bound to its row.
ALTER TABLE field_key ADD COLUMN rows_bound INTEGER NOT NULL DEFAULT 0;
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE volunteer_sealed_v19 AS SELECT * FROM volunteer_sealed;
DROP TABLE volunteer_sealed;

CREATE TABLE volunteer_sealed (
    volunteer_id INTEGER PRIMARY KEY REFERENCES volunteer(id),
    id_sealed    TEXT NOT NULL CONSTRAINT "身份证号须加密保存" CHECK (id_sealed GLOB '[12][0-9a-f]*'),
    id_index     TEXT NOT NULL UNIQUE,
    phone_sealed TEXT NOT NULL CONSTRAINT "手机号须加密保存" CHECK (phone_sealed GLOB '[12][0-9a-f]*')
);

INSERT INTO volunteer_sealed (volunteer_id, id_sealed, id_index, phone_sealed)
SELECT volunteer_id, id_sealed, id_index, phone_sealed FROM temp.volunteer_sealed_v19;
DROP TABLE temp.volunteer_sealed_v19;
