-- Migration 11: dates and times that SQLite cannot read are refused.
--
-- The CHECKs of versions 1–9 compare date(x) = x (or strftime(…, x) = x). For text those
-- functions cannot read they return NULL, the comparison is NULL, and a CHECK lets NULL pass:
-- 'abc' was accepted as a birth date. Migration 10 fixed the session times by rebuilding their
-- table; rebuilding every other table would move its rows, indexes and triggers, so these
-- triggers refuse such rows instead, before they are written. A readable date still has to
-- pass the old CHECK, which holds it to the exact form.

CREATE TRIGGER team_dates_readable BEFORE INSERT ON team
WHEN (NEW.founded_on IS NOT NULL AND date(NEW.founded_on) IS NULL)
  OR (NEW.dissolved_on IS NOT NULL AND date(NEW.dissolved_on) IS NULL)
BEGIN
    SELECT RAISE(ABORT, '队伍的成立日期或撤销日期无法识别，格式应为 YYYY-MM-DD');
END;
CREATE TRIGGER team_dates_readable_on_update BEFORE UPDATE OF founded_on, dissolved_on ON team
WHEN (NEW.founded_on IS NOT NULL AND date(NEW.founded_on) IS NULL)
  OR (NEW.dissolved_on IS NOT NULL AND date(NEW.dissolved_on) IS NULL)
BEGIN
    SELECT RAISE(ABORT, '队伍的成立日期或撤销日期无法识别，格式应为 YYYY-MM-DD');
END;

CREATE TRIGGER volunteer_dates_readable BEFORE INSERT ON volunteer
WHEN date(NEW.birth_date) IS NULL OR date(NEW.registered_on) IS NULL
BEGIN
    SELECT RAISE(ABORT, '志愿者的出生日期或注册日期无法识别，格式应为 YYYY-MM-DD');
END;
CREATE TRIGGER volunteer_dates_readable_on_update BEFORE UPDATE OF birth_date, registered_on ON volunteer
WHEN date(NEW.birth_date) IS NULL OR date(NEW.registered_on) IS NULL
BEGIN
    SELECT RAISE(ABORT, '志愿者的出生日期或注册日期无法识别，格式应为 YYYY-MM-DD');
END;

CREATE TRIGGER activity_times_readable BEFORE INSERT ON activity
WHEN datetime(NEW.starts_at) IS NULL OR datetime(NEW.ends_at) IS NULL
  OR (NEW.recruit_from IS NOT NULL AND datetime(NEW.recruit_from) IS NULL)
  OR (NEW.recruit_until IS NOT NULL AND datetime(NEW.recruit_until) IS NULL)
BEGIN
    SELECT RAISE(ABORT, '活动的起止或招募时间无法识别，格式应为 YYYY-MM-DD HH:MM');
END;
CREATE TRIGGER activity_times_readable_on_update BEFORE UPDATE OF starts_at, ends_at, recruit_from, recruit_until ON activity
WHEN datetime(NEW.starts_at) IS NULL OR datetime(NEW.ends_at) IS NULL
  OR (NEW.recruit_from IS NOT NULL AND datetime(NEW.recruit_from) IS NULL)
  OR (NEW.recruit_until IS NOT NULL AND datetime(NEW.recruit_until) IS NULL)
BEGIN
    SELECT RAISE(ABORT, '活动的起止或招募时间无法识别，格式应为 YYYY-MM-DD HH:MM');
END;

-- Grants and certificates are never updated (their tables refuse it): a check on insert.
CREATE TRIGGER honor_grant_date_readable BEFORE INSERT ON honor_grant
WHEN date(NEW.service_date) IS NULL
BEGIN
    SELECT RAISE(ABORT, '荣誉时数的服务日期无法识别，格式应为 YYYY-MM-DD');
END;

CREATE TRIGGER certificate_dates_readable BEFORE INSERT ON certificate
WHEN date(NEW.period_from) IS NULL OR date(NEW.period_to) IS NULL OR datetime(NEW.issued_at) IS NULL
BEGIN
    SELECT RAISE(ABORT, '证明的期间或出具时间无法识别');
END;

CREATE TRIGGER contest_work_date_readable BEFORE INSERT ON contest_work
WHEN date(NEW.submitted_on) IS NULL
BEGIN
    SELECT RAISE(ABORT, '作品的提交日期无法识别，格式应为 YYYY-MM-DD');
END;
CREATE TRIGGER contest_work_date_readable_on_update BEFORE UPDATE OF submitted_on ON contest_work
WHEN date(NEW.submitted_on) IS NULL
BEGIN
    SELECT RAISE(ABORT, '作品的提交日期无法识别，格式应为 YYYY-MM-DD');
END;

CREATE TRIGGER contest_publicity_dates_readable BEFORE INSERT ON contest_publicity
WHEN date(NEW.starts_on) IS NULL OR date(NEW.ends_on) IS NULL
BEGIN
    SELECT RAISE(ABORT, '公示期的日期无法识别，格式应为 YYYY-MM-DD');
END;
CREATE TRIGGER contest_publicity_dates_readable_on_update BEFORE UPDATE OF starts_on, ends_on ON contest_publicity
WHEN date(NEW.starts_on) IS NULL OR date(NEW.ends_on) IS NULL
BEGIN
    SELECT RAISE(ABORT, '公示期的日期无法识别，格式应为 YYYY-MM-DD');
END;

CREATE TRIGGER contest_objection_date_readable BEFORE INSERT ON contest_objection
WHEN date(NEW.received_on) IS NULL
BEGIN
    SELECT RAISE(ABORT, '异议的收到日期无法识别，格式应为 YYYY-MM-DD');
END;
CREATE TRIGGER contest_objection_date_readable_on_update BEFORE UPDATE OF received_on ON contest_objection
WHEN date(NEW.received_on) IS NULL
BEGIN
    SELECT RAISE(ABORT, '异议的收到日期无法识别，格式应为 YYYY-MM-DD');
END;
