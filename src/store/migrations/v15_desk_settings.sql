-- Migration 15: the sign-in desk's setting, kept in the file so every window (and the command
-- line) reads the same one. The desk opens sign-in this many minutes before an activity
-- starts (2 hours unless changed) and closes it at the activity's end.
CREATE TABLE desk_settings (
    id                    INTEGER PRIMARY KEY CHECK (id = 1),
    sign_in_opens_minutes INTEGER NOT NULL DEFAULT 120
                              CONSTRAINT "提前签到时间应在0至24小时之间" CHECK (sign_in_opens_minutes BETWEEN 0 AND 1440)
);
INSERT INTO desk_settings (id) VALUES (1);
CREATE TRIGGER desk_settings_no_delete BEFORE DELETE ON desk_settings
BEGIN
    SELECT RAISE(ABORT, '签到设置不能删除');
END;
