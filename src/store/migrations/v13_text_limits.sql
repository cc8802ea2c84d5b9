-- Migration 13: text limits (domain.md §1): names ≤ 30 characters, unit, team,
-- organisation and activity names ≤ 60, places ≤ 100, reasons, notes and content ≤ 2,000,
-- counted after trimming. The importer and the forms say the same with the row or field
-- named; these triggers hold every other path (a script, an old window) to it. Rows already
-- stored are left as they are: a limit applies to what is written from now on.

CREATE TRIGGER unit_text_limits BEFORE INSERT ON unit
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.name)) > 60 THEN RAISE(ABORT, '单位名称过长（最多 60 字）')
    END;
END;
CREATE TRIGGER unit_text_limits_on_update BEFORE UPDATE OF name ON unit
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.name)) > 60 THEN RAISE(ABORT, '单位名称过长（最多 60 字）')
    END;
END;

CREATE TRIGGER team_text_limits BEFORE INSERT ON team
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.name)) > 60 THEN RAISE(ABORT, '队伍名称过长（最多 60 字）')
        WHEN length(trim(NEW.manager_name)) > 30 THEN RAISE(ABORT, '负责人姓名过长（最多 30 字）')
        WHEN length(trim(NEW.service_fields)) > 2000 THEN RAISE(ABORT, '服务领域过长（最多 2000 字）')
    END;
END;
CREATE TRIGGER team_text_limits_on_update BEFORE UPDATE OF name, manager_name, service_fields ON team
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.name)) > 60 THEN RAISE(ABORT, '队伍名称过长（最多 60 字）')
        WHEN length(trim(NEW.manager_name)) > 30 THEN RAISE(ABORT, '负责人姓名过长（最多 30 字）')
        WHEN length(trim(NEW.service_fields)) > 2000 THEN RAISE(ABORT, '服务领域过长（最多 2000 字）')
    END;
END;

CREATE TRIGGER volunteer_text_limits BEFORE INSERT ON volunteer
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.name)) > 30 THEN RAISE(ABORT, '姓名过长（最多 30 字）')
        WHEN length(trim(NEW.skills)) > 2000 THEN RAISE(ABORT, '专业特长过长（最多 2000 字）')
    END;
END;
CREATE TRIGGER volunteer_text_limits_on_update BEFORE UPDATE OF name, skills ON volunteer
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.name)) > 30 THEN RAISE(ABORT, '姓名过长（最多 30 字）')
        WHEN length(trim(NEW.skills)) > 2000 THEN RAISE(ABORT, '专业特长过长（最多 2000 字）')
    END;
END;

CREATE TRIGGER activity_text_limits BEFORE INSERT ON activity
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.name)) > 60 THEN RAISE(ABORT, '活动名称过长（最多 60 字）')
        WHEN length(trim(NEW.category)) > 60 THEN RAISE(ABORT, '服务类别过长（最多 60 字）')
        WHEN length(trim(NEW.place)) > 100 THEN RAISE(ABORT, '地点过长（最多 100 字）')
        WHEN length(trim(NEW.leader)) > 30 THEN RAISE(ABORT, '负责人过长（最多 30 字）')
        WHEN length(trim(NEW.content)) > 2000 THEN RAISE(ABORT, '活动内容过长（最多 2000 字）')
        WHEN length(trim(NEW.cancel_reason)) > 2000 THEN RAISE(ABORT, '取消原因过长（最多 2000 字）')
    END;
END;
CREATE TRIGGER activity_text_limits_on_update BEFORE UPDATE OF name, category, place, leader, content, cancel_reason ON activity
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.name)) > 60 THEN RAISE(ABORT, '活动名称过长（最多 60 字）')
        WHEN length(trim(NEW.category)) > 60 THEN RAISE(ABORT, '服务类别过长（最多 60 字）')
        WHEN length(trim(NEW.place)) > 100 THEN RAISE(ABORT, '地点过长（最多 100 字）')
        WHEN length(trim(NEW.leader)) > 30 THEN RAISE(ABORT, '负责人过长（最多 30 字）')
        WHEN length(trim(NEW.content)) > 2000 THEN RAISE(ABORT, '活动内容过长（最多 2000 字）')
        WHEN length(trim(NEW.cancel_reason)) > 2000 THEN RAISE(ABORT, '取消原因过长（最多 2000 字）')
    END;
END;

CREATE TRIGGER activity_record_text_limits BEFORE INSERT ON activity_record
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.summary)) > 2000 THEN RAISE(ABORT, '活动纪实过长（最多 2000 字）')
    END;
END;
CREATE TRIGGER activity_record_text_limits_on_update BEFORE UPDATE OF summary ON activity_record
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.summary)) > 2000 THEN RAISE(ABORT, '活动纪实过长（最多 2000 字）')
    END;
END;

CREATE TRIGGER honor_grant_text_limits BEFORE INSERT ON honor_grant
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.reason)) > 2000 THEN RAISE(ABORT, '事由过长（最多 2000 字）')
        WHEN length(trim(NEW.granted_by)) > 30 THEN RAISE(ABORT, '批准人过长（最多 30 字）')
    END;
END;
CREATE TRIGGER honor_grant_text_limits_on_update BEFORE UPDATE OF reason, granted_by ON honor_grant
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.reason)) > 2000 THEN RAISE(ABORT, '事由过长（最多 2000 字）')
        WHEN length(trim(NEW.granted_by)) > 30 THEN RAISE(ABORT, '批准人过长（最多 30 字）')
    END;
END;

CREATE TRIGGER credit_correction_text_limits BEFORE INSERT ON credit_correction
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.reason)) > 2000 THEN RAISE(ABORT, '更正原因过长（最多 2000 字）')
    END;
END;
CREATE TRIGGER credit_correction_text_limits_on_update BEFORE UPDATE OF reason ON credit_correction
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.reason)) > 2000 THEN RAISE(ABORT, '更正原因过长（最多 2000 字）')
    END;
END;

CREATE TRIGGER session_resolution_text_limits BEFORE INSERT ON session_resolution
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.note)) > 2000 THEN RAISE(ABORT, '处理说明过长（最多 2000 字）')
    END;
END;
CREATE TRIGGER session_resolution_text_limits_on_update BEFORE UPDATE OF note ON session_resolution
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.note)) > 2000 THEN RAISE(ABORT, '处理说明过长（最多 2000 字）')
    END;
END;

CREATE TRIGGER account_text_limits BEFORE INSERT ON account
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.display_name)) > 30 THEN RAISE(ABORT, '姓名过长（最多 30 字）')
    END;
END;
CREATE TRIGGER account_text_limits_on_update BEFORE UPDATE OF display_name ON account
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.display_name)) > 30 THEN RAISE(ABORT, '姓名过长（最多 30 字）')
    END;
END;

CREATE TRIGGER contest_judge_text_limits BEFORE INSERT ON contest_judge
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.name)) > 30 THEN RAISE(ABORT, '评委姓名过长（最多 30 字）')
        WHEN length(trim(NEW.title)) > 60 THEN RAISE(ABORT, '职务过长（最多 60 字）')
    END;
END;
CREATE TRIGGER contest_judge_text_limits_on_update BEFORE UPDATE OF name, title ON contest_judge
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.name)) > 30 THEN RAISE(ABORT, '评委姓名过长（最多 30 字）')
        WHEN length(trim(NEW.title)) > 60 THEN RAISE(ABORT, '职务过长（最多 60 字）')
    END;
END;

CREATE TRIGGER contest_work_text_limits BEFORE INSERT ON contest_work
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.title)) > 60 THEN RAISE(ABORT, '标题过长（最多 60 字）')
        WHEN length(trim(NEW.author)) > 30 THEN RAISE(ABORT, '作者过长（最多 30 字）')
        WHEN length(trim(NEW.status_reason)) > 2000 THEN RAISE(ABORT, '状态说明过长（最多 2000 字）')
    END;
END;
CREATE TRIGGER contest_work_text_limits_on_update BEFORE UPDATE OF title, author, status_reason ON contest_work
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.title)) > 60 THEN RAISE(ABORT, '标题过长（最多 60 字）')
        WHEN length(trim(NEW.author)) > 30 THEN RAISE(ABORT, '作者过长（最多 30 字）')
        WHEN length(trim(NEW.status_reason)) > 2000 THEN RAISE(ABORT, '状态说明过长（最多 2000 字）')
    END;
END;

CREATE TRIGGER contest_screening_text_limits BEFORE INSERT ON contest_screening
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.note)) > 2000 THEN RAISE(ABORT, '说明过长（最多 2000 字）')
    END;
END;
CREATE TRIGGER contest_screening_text_limits_on_update BEFORE UPDATE OF note ON contest_screening
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.note)) > 2000 THEN RAISE(ABORT, '说明过长（最多 2000 字）')
    END;
END;

CREATE TRIGGER contest_state_log_text_limits BEFORE INSERT ON contest_state_log
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.reason)) > 2000 THEN RAISE(ABORT, '理由过长（最多 2000 字）')
    END;
END;
CREATE TRIGGER contest_state_log_text_limits_on_update BEFORE UPDATE OF reason ON contest_state_log
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.reason)) > 2000 THEN RAISE(ABORT, '理由过长（最多 2000 字）')
    END;
END;

CREATE TRIGGER contest_tie_resolution_text_limits BEFORE INSERT ON contest_tie_resolution
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.reason)) > 2000 THEN RAISE(ABORT, '理由过长（最多 2000 字）')
    END;
END;
CREATE TRIGGER contest_tie_resolution_text_limits_on_update BEFORE UPDATE OF reason ON contest_tie_resolution
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.reason)) > 2000 THEN RAISE(ABORT, '理由过长（最多 2000 字）')
    END;
END;

CREATE TRIGGER contest_award_text_limits BEFORE INSERT ON contest_award
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.revoke_reason)) > 2000 THEN RAISE(ABORT, '撤销理由过长（最多 2000 字）')
    END;
END;
CREATE TRIGGER contest_award_text_limits_on_update BEFORE UPDATE OF revoke_reason ON contest_award
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.revoke_reason)) > 2000 THEN RAISE(ABORT, '撤销理由过长（最多 2000 字）')
    END;
END;

CREATE TRIGGER contest_objection_text_limits BEFORE INSERT ON contest_objection
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.content)) > 2000 THEN RAISE(ABORT, '异议内容过长（最多 2000 字）')
    END;
END;
CREATE TRIGGER contest_objection_text_limits_on_update BEFORE UPDATE OF content ON contest_objection
BEGIN
    SELECT CASE
        WHEN length(trim(NEW.content)) > 2000 THEN RAISE(ABORT, '异议内容过长（最多 2000 字）')
    END;
END;
