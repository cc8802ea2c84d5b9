-- Issue #33: the organiser's contact (联系电话) printed on an activity's notices. It is meant
-- to be published, so it is kept in clear; the store takes a mobile or an office number
-- written with its dash (domain::activity_life::check_contact_phone).
ALTER TABLE activity ADD COLUMN contact_phone TEXT NOT NULL DEFAULT ''
    CONSTRAINT "联系电话不能超过 30 个字符" CHECK (length(contact_phone) <= 30);
