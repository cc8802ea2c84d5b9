-- The register of 志愿服务证明 serial numbers (issue #8), and the year-end report's settings.
--
-- 民发〔2015〕149号: the issuer keeps a numbered register. A certificate records what it
-- certified when it was issued (hours, service content by category, issuing unit); it is never
-- edited or deleted, and a reprint shows the same serial with the same figures.
CREATE TABLE certificate (
    id             INTEGER PRIMARY KEY,
    serial         TEXT NOT NULL UNIQUE CONSTRAINT "证明编号不能为空" CHECK (length(trim(serial)) > 0),
    volunteer_id   INTEGER NOT NULL REFERENCES volunteer(id),
    period_from    TEXT NOT NULL CONSTRAINT "证明期间开始日期格式应为 YYYY-MM-DD" CHECK (date(period_from) = period_from),
    period_to      TEXT NOT NULL CONSTRAINT "证明期间结束日期格式应为 YYYY-MM-DD" CHECK (date(period_to) = period_to),
    credit_minutes INTEGER NOT NULL CONSTRAINT "证明的信用时数不能为负" CHECK (credit_minutes >= 0),
    honor_minutes  INTEGER NOT NULL CONSTRAINT "证明的荣誉时数不能为负" CHECK (honor_minutes >= 0),
    issuing_unit   TEXT NOT NULL CONSTRAINT "证明须注明出具单位" CHECK (length(trim(issuing_unit)) > 0),
    issued_by      TEXT NOT NULL CONSTRAINT "证明须注明经办人" CHECK (length(trim(issued_by)) > 0),
    issued_at      TEXT NOT NULL CONSTRAINT "出具时间格式应为 YYYY-MM-DD HH:MM"
                       CHECK (strftime('%Y-%m-%d %H:%M', issued_at) = issued_at),
    CONSTRAINT "证明期间的结束日期不能早于开始日期" CHECK (period_to >= period_from),
    CONSTRAINT "证明期间不能晚于出具日期" CHECK (period_to <= substr(issued_at, 1, 10)),
    CONSTRAINT "证明须有服务时数" CHECK (credit_minutes + honor_minutes > 0)
);
CREATE INDEX certificate_volunteer ON certificate(volunteer_id);

-- The service content as certified: one line per service category.
CREATE TABLE certificate_line (
    certificate_id INTEGER NOT NULL REFERENCES certificate(id),
    line_no        INTEGER NOT NULL,
    category       TEXT NOT NULL,
    activities     INTEGER NOT NULL,
    credit_minutes INTEGER NOT NULL,
    honor_minutes  INTEGER NOT NULL,
    PRIMARY KEY (certificate_id, line_no)
);

CREATE TRIGGER certificate_no_update BEFORE UPDATE ON certificate
BEGIN
    SELECT RAISE(ABORT, '志愿服务证明一经出具不能修改；补打沿用原编号，内容不变');
END;
CREATE TRIGGER certificate_no_delete BEFORE DELETE ON certificate
BEGIN
    SELECT RAISE(ABORT, '志愿服务证明登记不能删除');
END;
CREATE TRIGGER certificate_line_no_update BEFORE UPDATE ON certificate_line
BEGIN
    SELECT RAISE(ABORT, '志愿服务证明一经出具不能修改；补打沿用原编号，内容不变');
END;
CREATE TRIGGER certificate_line_no_delete BEFORE DELETE ON certificate_line
BEGIN
    SELECT RAISE(ABORT, '志愿服务证明登记不能删除');
END;
-- Lines belong to the certificate being issued: none is added to one issued earlier.
CREATE TRIGGER certificate_line_only_at_issue BEFORE INSERT ON certificate_line
WHEN NEW.certificate_id IS NOT (SELECT max(id) FROM certificate)
BEGIN
    SELECT RAISE(ABORT, '志愿服务证明一经出具不能修改；补打沿用原编号，内容不变');
END;

-- One row: the yearly threshold of hours the assessment counts volunteers against
-- (domain §5). 20 hours is the lowest yearly requirement found in published local rules.
CREATE TABLE report_settings (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    threshold_minutes INTEGER NOT NULL DEFAULT 1200
                          CONSTRAINT "达标时数应在0.1至1000小时之间" CHECK (threshold_minutes BETWEEN 6 AND 60000)
);
INSERT INTO report_settings (id) VALUES (1);
CREATE TRIGGER report_settings_no_delete BEFORE DELETE ON report_settings
BEGIN
    SELECT RAISE(ABORT, '报表设置不能删除');
END;
