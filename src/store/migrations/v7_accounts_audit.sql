-- Accounts, roles and the hash-chained audit log (issue #6).

-- A person who logs in. Passwords are argon2id PHC strings; the role is its Chinese label.
CREATE TABLE account (
    id                   INTEGER PRIMARY KEY,
    login                TEXT NOT NULL UNIQUE CONSTRAINT 登录名不能为空 CHECK (length(trim(login)) > 0),
    display_name         TEXT NOT NULL CONSTRAINT 姓名不能为空 CHECK (length(trim(display_name)) > 0),
    role                 TEXT NOT NULL CONSTRAINT 角色只能是管理员、录入员、评委、专家或监督
                             CHECK (role IN ('管理员', '录入员', '评委', '专家', '监督')),
    unit_id              INTEGER REFERENCES unit(id),
    password_hash        TEXT NOT NULL CONSTRAINT 密码须以argon2保存 CHECK (password_hash LIKE '$argon2%'),
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    disabled_at          TEXT,
    created_at           TEXT NOT NULL
);
CREATE TRIGGER account_keeps_an_administrator BEFORE UPDATE OF disabled_at, role ON account
WHEN OLD.role = '管理员' AND OLD.disabled_at IS NULL AND (NEW.role <> '管理员' OR NEW.disabled_at IS NOT NULL)
     AND NOT EXISTS (SELECT 1 FROM account WHERE role = '管理员' AND disabled_at IS NULL AND id <> OLD.id)
BEGIN
    SELECT RAISE(ABORT, '至少要保留一个可用的管理员账号');
END;
CREATE TRIGGER account_no_delete BEFORE DELETE ON account
BEGIN
    SELECT RAISE(ABORT, '账号不能删除，只能停用（操作日志要能找到每个人）');
END;

-- Who did what, when, to which object, with the row before and after (JSON). Each entry
-- holds the SHA-256 of its own fields and the previous entry's hash, so an entry edited or
-- removed outside the program breaks the chain at that point.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    kind    TEXT NOT NULL,
    object  TEXT NOT NULL,
    before  TEXT,
    after   TEXT,
    hash    TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, '操作日志不能修改');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, '操作日志不能删除');
END;
