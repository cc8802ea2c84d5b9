//! The schema as an ordered list of migrations, applied under `PRAGMA user_version`.
//!
//! A migration that has shipped is never edited: later changes append a new one.

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::store::keys::NewKey;

mod sealed_fields;

/// Migration `i` takes a database from version `i` to `i + 1`.
/// Later migrations live in `migrations/` as plain SQL files, one per change.
pub const MIGRATIONS: &[&str] = &[
    V1_REGISTRY_ACTIVITIES_HOURS,
    V2_TEAM_MEMBERSHIP,
    V3_RECRUITMENT,
    V4_LEDGER,
    V5_STORED_CREDIT,
    // Shipped empty: the ledger layout it was reserved for arrived as migration 10.
    include_str!("migrations/v6_credit_layout.sql"),
    include_str!("migrations/v7_accounts_audit.sql"),
    include_str!("migrations/v8_certificates.sql"),
    include_str!("migrations/v9_contest.sql"),
    include_str!("migrations/v10_credit_layout.sql"),
    include_str!("migrations/v11_readable_dates.sql"),
    include_str!("migrations/v12_grant_activity_index.sql"),
    include_str!("migrations/v13_text_limits.sql"),
    include_str!("migrations/v14_external_judges.sql"),
    include_str!("migrations/v15_desk_settings.sql"),
    include_str!("migrations/v16_ballot_workbooks.sql"),
    // Run by `sealed_fields`, with the data key lent to SQL.
    include_str!("migrations/v17_sealed_fields.sql"),
    include_str!("migrations/v18_identity_login_guard.sql"),
    include_str!("migrations/v19_sealed_ballot_secrets.sql"),
    include_str!("migrations/v20_sealed_rows.sql"),
    include_str!("migrations/v21_masks_login_guard.sql"),
    include_str!("migrations/v22_activity_contact.sql"),
];

/// The version whose migration seals 身份证号 and phones: reaching it needs a data key.
pub const SEALING_VERSION: i64 = 17;

/// The schema version this program writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

pub fn current_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// Applies the migrations after the database's version up to `target` (before
/// [`SEALING_VERSION`]: the later ones need the key the store makes), each in its own
/// transaction so a failure leaves the file at the last good version.
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
    migrate_with_key(conn, target, None, &mut |_| {})
}

/// [`migrate_to`], sealing under `new_key` on the way through [`SEALING_VERSION`];
/// `before_each` hears the version each migration starts from.
pub(crate) fn migrate_with_key(
    conn: &mut Connection,
    target: i64,
    new_key: Option<&NewKey>,
    before_each: &mut dyn FnMut(i64),
) -> Result<()> {
    let mut version = current_version(conn)?;
    while version < target {
        before_each(version);
        if version + 1 == SEALING_VERSION {
            let new_key = new_key.ok_or_else(|| Error::rejected("升级到加密身份证号的版本需要数据密钥"))?;
            sealed_fields::migrate_unenforced(conn, MIGRATIONS[version as usize], new_key)?;
        } else {
            let tx = conn.transaction()?;
            tx.execute_batch(MIGRATIONS[version as usize])?;
            tx.pragma_update(None, "user_version", version + 1)?;
            tx.commit()?;
        }
        version += 1;
    }
    Ok(())
}

/// Units, the team tree, volunteers, activities, sign-in sessions and honour grants.
///
/// Times are local, kept as text `YYYY-MM-DD HH:MM` (whole minutes, sortable); dates as
/// `YYYY-MM-DD`. CHECK constraints are named in Chinese because SQLite reports the name.
const V1_REGISTRY_ACTIVITIES_HOURS: &str = r#"
CREATE TABLE unit (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE CONSTRAINT "单位名称不能为空" CHECK (length(trim(name)) > 0),
    party_members INTEGER NOT NULL CONSTRAINT "党员总数不能为负数" CHECK (party_members >= 0),
    created_at    TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);

CREATE TABLE team (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE CONSTRAINT "队伍编号不能为空" CHECK (length(trim(code)) > 0),
    name           TEXT NOT NULL CONSTRAINT "队伍名称不能为空" CHECK (length(trim(name)) > 0),
    kind           TEXT NOT NULL CONSTRAINT "队伍类型只能是总队、支队或专业服务队"
                       CHECK (kind IN ('总队', '支队', '专业服务队')),
    parent_id      INTEGER REFERENCES team(id),
    unit_id        INTEGER NOT NULL REFERENCES unit(id),
    manager_name   TEXT NOT NULL CONSTRAINT "队伍须有专人管理（负责人姓名）" CHECK (length(trim(manager_name)) > 0),
    manager_phone  TEXT NOT NULL CONSTRAINT "队伍须有负责人电话" CHECK (length(trim(manager_phone)) > 0),
    founded_on     TEXT CONSTRAINT "成立日期格式应为 YYYY-MM-DD"
                       CHECK (founded_on IS NULL OR date(founded_on) = founded_on),
    service_fields TEXT NOT NULL DEFAULT '',
    dissolved_on   TEXT CONSTRAINT "撤销日期格式应为 YYYY-MM-DD"
                       CHECK (dissolved_on IS NULL OR date(dissolved_on) = dissolved_on),
    CONSTRAINT "只有总队没有上级队伍" CHECK ((kind = '总队') = (parent_id IS NULL))
);
CREATE UNIQUE INDEX team_one_corps ON team(kind) WHERE kind = '总队';
CREATE INDEX team_parent ON team(parent_id);
CREATE INDEX team_unit ON team(unit_id);

-- The tree is strictly 总队 → 支队 → 专业服务队, which also rules out cycles.
CREATE TRIGGER team_parent_kind_on_insert BEFORE INSERT ON team
WHEN NEW.kind <> '总队' AND (SELECT kind FROM team WHERE id = NEW.parent_id)
     IS NOT (CASE NEW.kind WHEN '支队' THEN '总队' ELSE '支队' END)
BEGIN
    SELECT RAISE(ABORT, '上级队伍不符：支队的上级须为总队，专业服务队的上级须为支队');
END;
CREATE TRIGGER team_parent_kind_on_update BEFORE UPDATE OF kind, parent_id ON team
WHEN NEW.kind <> '总队' AND (SELECT kind FROM team WHERE id = NEW.parent_id)
     IS NOT (CASE NEW.kind WHEN '支队' THEN '总队' ELSE '支队' END)
BEGIN
    SELECT RAISE(ABORT, '上级队伍不符：支队的上级须为总队，专业服务队的上级须为支队');
END;
CREATE TRIGGER team_kind_keeps_children BEFORE UPDATE OF kind ON team
WHEN NEW.kind <> OLD.kind AND EXISTS (SELECT 1 FROM team WHERE parent_id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, '该队伍下还有下级队伍，不能更改类型');
END;

CREATE TABLE volunteer (
    id                 INTEGER PRIMARY KEY,
    code               TEXT NOT NULL UNIQUE CONSTRAINT "志愿者编号不能为空" CHECK (length(trim(code)) > 0),
    name               TEXT NOT NULL CONSTRAINT "姓名不能为空" CHECK (length(trim(name)) > 0),
    gender             TEXT NOT NULL CONSTRAINT "性别只能是男或女" CHECK (gender IN ('男', '女')),
    birth_date         TEXT NOT NULL CONSTRAINT "出生日期格式应为 YYYY-MM-DD" CHECK (date(birth_date) = birth_date),
    id_number          TEXT NOT NULL UNIQUE CONSTRAINT "身份证号应为18位" CHECK (length(id_number) = 18),
    phone              TEXT NOT NULL CONSTRAINT "手机号应为11位" CHECK (length(phone) = 11),
    unit_id            INTEGER NOT NULL REFERENCES unit(id),
    team_id            INTEGER REFERENCES team(id),
    political_status   TEXT NOT NULL DEFAULT '中共党员',
    skills             TEXT NOT NULL DEFAULT '',
    service_categories TEXT NOT NULL DEFAULT '',
    registered_on      TEXT NOT NULL CONSTRAINT "注册日期格式应为 YYYY-MM-DD" CHECK (date(registered_on) = registered_on),
    deleted_at         TEXT
);
CREATE INDEX volunteer_unit ON volunteer(unit_id);
CREATE INDEX volunteer_team ON volunteer(team_id);

CREATE TABLE activity (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE CONSTRAINT "活动编号不能为空" CHECK (length(trim(code)) > 0),
    name          TEXT NOT NULL CONSTRAINT "活动名称不能为空" CHECK (length(trim(name)) > 0),
    team_id       INTEGER NOT NULL REFERENCES team(id),
    category      TEXT NOT NULL CONSTRAINT "服务类别不能为空" CHECK (length(trim(category)) > 0),
    mode          TEXT NOT NULL CONSTRAINT "服务方式只能是集中或分散" CHECK (mode IN ('集中', '分散')),
    starts_at     TEXT NOT NULL CONSTRAINT "开始时间格式应为 YYYY-MM-DD HH:MM"
                      CHECK (strftime('%Y-%m-%d %H:%M', starts_at) = starts_at),
    ends_at       TEXT NOT NULL CONSTRAINT "结束时间格式应为 YYYY-MM-DD HH:MM"
                      CHECK (strftime('%Y-%m-%d %H:%M', ends_at) = ends_at),
    place         TEXT NOT NULL DEFAULT '',
    content       TEXT NOT NULL DEFAULT '',
    leader        TEXT NOT NULL DEFAULT '',
    capacity      INTEGER CONSTRAINT "招募人数须大于0" CHECK (capacity IS NULL OR capacity > 0),
    recruit_from  TEXT CONSTRAINT "招募开始时间格式应为 YYYY-MM-DD HH:MM"
                      CHECK (recruit_from IS NULL OR strftime('%Y-%m-%d %H:%M', recruit_from) = recruit_from),
    recruit_until TEXT CONSTRAINT "招募截止时间格式应为 YYYY-MM-DD HH:MM"
                      CHECK (recruit_until IS NULL OR strftime('%Y-%m-%d %H:%M', recruit_until) = recruit_until),
    published_at  TEXT,
    cancelled_at  TEXT,
    created_at    TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    CONSTRAINT "结束时间须晚于开始时间" CHECK (ends_at > starts_at),
    CONSTRAINT "招募截止须早于活动开始" CHECK (recruit_until IS NULL OR recruit_until <= starts_at),
    CONSTRAINT "招募开始须早于招募截止" CHECK (recruit_from IS NULL OR recruit_until IS NULL OR recruit_from < recruit_until)
);
CREATE INDEX activity_team ON activity(team_id);
CREATE INDEX activity_starts ON activity(starts_at);

-- A sign-in and its sign-out. Credit is never stored: the view below derives it.
CREATE TABLE credit_session (
    id            INTEGER PRIMARY KEY,
    activity_id   INTEGER NOT NULL REFERENCES activity(id),
    volunteer_id  INTEGER NOT NULL REFERENCES volunteer(id),
    signed_in_at  TEXT NOT NULL CONSTRAINT "签到时间格式应为 YYYY-MM-DD HH:MM"
                      CHECK (strftime('%Y-%m-%d %H:%M', signed_in_at) = signed_in_at),
    signed_out_at TEXT CONSTRAINT "签退时间格式应为 YYYY-MM-DD HH:MM"
                      CHECK (signed_out_at IS NULL OR strftime('%Y-%m-%d %H:%M', signed_out_at) = signed_out_at),
    recorded_by   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    CONSTRAINT "签退时间须晚于签到时间" CHECK (signed_out_at IS NULL OR signed_out_at > signed_in_at)
);
CREATE UNIQUE INDEX credit_session_one_open ON credit_session(volunteer_id) WHERE signed_out_at IS NULL;
CREATE INDEX credit_session_activity ON credit_session(activity_id);
CREATE INDEX credit_session_volunteer ON credit_session(volunteer_id, signed_in_at);

-- Append-only: a session can only be closed once; nothing is edited or deleted.
CREATE TRIGGER credit_session_append_only BEFORE UPDATE ON credit_session
WHEN OLD.signed_out_at IS NOT NULL
  OR NEW.signed_out_at IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.activity_id IS NOT OLD.activity_id
  OR NEW.volunteer_id IS NOT OLD.volunteer_id OR NEW.signed_in_at IS NOT OLD.signed_in_at
  OR NEW.recorded_by IS NOT OLD.recorded_by OR NEW.recorded_at IS NOT OLD.recorded_at
BEGIN
    SELECT RAISE(ABORT, '签到记录只能追加：已有记录不能修改，更正请另行登记');
END;
CREATE TRIGGER credit_session_no_delete BEFORE DELETE ON credit_session
BEGIN
    SELECT RAISE(ABORT, '签到记录只能追加，不能删除');
END;

CREATE VIEW credit_session_minutes AS
SELECT s.id, s.activity_id, s.volunteer_id, s.signed_in_at, s.signed_out_at,
       CASE WHEN s.signed_out_at IS NULL THEN NULL
            ELSE max(0, CAST(round((julianday(min(s.signed_out_at, a.ends_at))
                                  - julianday(max(s.signed_in_at, a.starts_at))) * 1440) AS INTEGER))
       END AS credit_minutes
FROM credit_session s JOIN activity a ON a.id = s.activity_id;

-- Honour hours granted by an administrator. A correction is a new row that names the grant
-- it corrects and carries ± minutes.
CREATE TABLE honor_grant (
    id           INTEGER PRIMARY KEY,
    volunteer_id INTEGER NOT NULL REFERENCES volunteer(id),
    minutes      INTEGER NOT NULL,
    service_date TEXT NOT NULL CONSTRAINT "服务日期格式应为 YYYY-MM-DD" CHECK (date(service_date) = service_date),
    reason       TEXT NOT NULL CONSTRAINT "荣誉时数须注明事由" CHECK (length(trim(reason)) > 0),
    activity_id  INTEGER REFERENCES activity(id),
    granted_by   TEXT NOT NULL CONSTRAINT "荣誉时数须注明批准人" CHECK (length(trim(granted_by)) > 0),
    corrects_id  INTEGER REFERENCES honor_grant(id),
    recorded_at  TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    CONSTRAINT "荣誉时数须大于0（更正记录除外）" CHECK (minutes > 0 OR (corrects_id IS NOT NULL AND minutes <> 0)),
    CONSTRAINT "单日荣誉时数不能超过24小时" CHECK (minutes <= 1440)
);
CREATE INDEX honor_grant_volunteer ON honor_grant(volunteer_id);
CREATE INDEX honor_grant_date ON honor_grant(service_date);
CREATE TRIGGER honor_grant_no_update BEFORE UPDATE ON honor_grant
BEGIN
    SELECT RAISE(ABORT, '荣誉时数记录只能追加：已有记录不能修改，更正请另行登记');
END;
CREATE TRIGGER honor_grant_no_delete BEFORE DELETE ON honor_grant
BEGIN
    SELECT RAISE(ABORT, '荣誉时数记录只能追加，不能删除');
END;
"#;

/// Team membership history: moving a volunteer closes one membership and opens another, so a
/// team's past members (and the hours they earned with it) stay on record. Triggers keep it in
/// step with `volunteer.team_id` whichever path changes it.
const V2_TEAM_MEMBERSHIP: &str = r#"
CREATE TABLE team_membership (
    id           INTEGER PRIMARY KEY,
    volunteer_id INTEGER NOT NULL REFERENCES volunteer(id),
    team_id      INTEGER NOT NULL REFERENCES team(id),
    joined_on    TEXT NOT NULL,
    left_on      TEXT,
    CONSTRAINT "离队日期不能早于入队日期" CHECK (left_on IS NULL OR left_on >= joined_on)
);
CREATE UNIQUE INDEX team_membership_current ON team_membership(volunteer_id) WHERE left_on IS NULL;
CREATE INDEX team_membership_team ON team_membership(team_id);

INSERT INTO team_membership (volunteer_id, team_id, joined_on)
SELECT id, team_id, registered_on FROM volunteer WHERE team_id IS NOT NULL;

CREATE TRIGGER volunteer_joins_live_team BEFORE INSERT ON volunteer
WHEN NEW.team_id IS NOT NULL AND (SELECT dissolved_on FROM team WHERE id = NEW.team_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, '该服务队已撤销，不能再加入');
END;
CREATE TRIGGER volunteer_moves_to_live_team BEFORE UPDATE OF team_id ON volunteer
WHEN NEW.team_id IS NOT OLD.team_id AND NEW.team_id IS NOT NULL
     AND (SELECT dissolved_on FROM team WHERE id = NEW.team_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, '该服务队已撤销，不能再加入');
END;
CREATE TRIGGER volunteer_membership_on_insert AFTER INSERT ON volunteer
WHEN NEW.team_id IS NOT NULL
BEGIN
    INSERT INTO team_membership (volunteer_id, team_id, joined_on) VALUES (NEW.id, NEW.team_id, NEW.registered_on);
END;
CREATE TRIGGER volunteer_membership_on_move AFTER UPDATE OF team_id ON volunteer
WHEN NEW.team_id IS NOT OLD.team_id
BEGIN
    UPDATE team_membership SET left_on = max(joined_on, date('now', 'localtime'))
    WHERE volunteer_id = NEW.id AND left_on IS NULL;
    INSERT INTO team_membership (volunteer_id, team_id, joined_on)
    SELECT NEW.id, NEW.team_id, date('now', 'localtime') WHERE NEW.team_id IS NOT NULL;
END;
"#;

/// Recruitment: the managed list of service categories, sign-ups with a waiting list, the
/// record kept after an activity (with photos), and the rules that protect them.
const V3_RECRUITMENT: &str = r#"
CREATE TABLE service_category (
    name       TEXT PRIMARY KEY CONSTRAINT "服务类别不能为空" CHECK (length(trim(name)) > 0),
    sort_order INTEGER NOT NULL DEFAULT 100
);
INSERT INTO service_category (name, sort_order) VALUES
    ('文明创建', 1), ('平安巡查', 2), ('五水共治', 3), ('交通疏导', 4), ('巡河护水', 5),
    ('帮扶困难群众', 6), ('帮扶贫困学生', 7), ('关爱留守儿童', 8), ('送医下乡', 9), ('义诊', 10),
    ('政策宣讲', 11), ('环境整治', 12), ('助老助残', 13), ('法律服务', 14), ('科普宣传', 15),
    ('文化惠民', 16), ('应急救援', 17);
INSERT OR IGNORE INTO service_category (name) SELECT DISTINCT category FROM activity;

ALTER TABLE activity ADD COLUMN cancel_reason TEXT;

CREATE TABLE signup (
    id           INTEGER PRIMARY KEY,
    activity_id  INTEGER NOT NULL REFERENCES activity(id),
    volunteer_id INTEGER NOT NULL REFERENCES volunteer(id),
    status       TEXT NOT NULL CONSTRAINT "报名状态只能是已报名、候补或已退出"
                     CHECK (status IN ('已报名', '候补', '已退出')),
    -- Seconds, so the waiting list is first come first served.
    signed_up_at TEXT NOT NULL,
    withdrawn_at TEXT,
    walk_in      INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "退出报名须有退出时间" CHECK ((status = '已退出') = (withdrawn_at IS NOT NULL))
);
CREATE UNIQUE INDEX signup_once ON signup(activity_id, volunteer_id) WHERE status <> '已退出';
CREATE INDEX signup_volunteer ON signup(volunteer_id, status);
CREATE INDEX signup_queue ON signup(activity_id, status, signed_up_at);

CREATE TRIGGER signup_within_capacity BEFORE INSERT ON signup
WHEN NEW.status = '已报名' AND NEW.walk_in = 0
     AND (SELECT capacity FROM activity WHERE id = NEW.activity_id) IS NOT NULL
     AND (SELECT count(*) FROM signup WHERE activity_id = NEW.activity_id AND status = '已报名')
         >= (SELECT capacity FROM activity WHERE id = NEW.activity_id)
BEGIN
    SELECT RAISE(ABORT, '报名人数已满，只能进入候补');
END;
CREATE TRIGGER signup_promotion_within_capacity BEFORE UPDATE OF status ON signup
WHEN NEW.status = '已报名' AND OLD.status <> '已报名'
     AND (SELECT capacity FROM activity WHERE id = NEW.activity_id) IS NOT NULL
     AND (SELECT count(*) FROM signup WHERE activity_id = NEW.activity_id AND status = '已报名')
         >= (SELECT capacity FROM activity WHERE id = NEW.activity_id)
BEGIN
    SELECT RAISE(ABORT, '报名人数已满，只能进入候补');
END;
CREATE TRIGGER signup_open_activity BEFORE INSERT ON signup
WHEN (SELECT cancelled_at FROM activity WHERE id = NEW.activity_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, '活动已取消，不能报名');
END;
CREATE TRIGGER activity_capacity_covers_signups BEFORE UPDATE OF capacity ON activity
WHEN NEW.capacity IS NOT NULL
     AND NEW.capacity < (SELECT count(*) FROM signup WHERE activity_id = NEW.id AND status = '已报名' AND walk_in = 0)
BEGIN
    SELECT RAISE(ABORT, '招募人数不能少于已报名人数');
END;
CREATE TRIGGER activity_kept_with_history BEFORE DELETE ON activity
WHEN EXISTS (SELECT 1 FROM signup WHERE activity_id = OLD.id)
  OR EXISTS (SELECT 1 FROM credit_session WHERE activity_id = OLD.id)
  OR EXISTS (SELECT 1 FROM honor_grant WHERE activity_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, '该活动已有报名或签到记录，只能取消，不能删除');
END;
CREATE TRIGGER activity_live_team BEFORE UPDATE OF team_id ON activity
WHEN NEW.team_id IS NOT OLD.team_id AND (SELECT dissolved_on FROM team WHERE id = NEW.team_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, '组织队伍已撤销，不能再组织活动');
END;

-- 活动记录: what was done after the activity, and its photos.
CREATE TABLE activity_record (
    activity_id   INTEGER PRIMARY KEY REFERENCES activity(id),
    summary       TEXT NOT NULL DEFAULT '',
    people_served INTEGER CONSTRAINT "服务人数不能为负数" CHECK (people_served IS NULL OR people_served >= 0),
    updated_at    TEXT NOT NULL
);
CREATE TABLE activity_photo (
    id          INTEGER PRIMARY KEY,
    activity_id INTEGER NOT NULL REFERENCES activity(id),
    file_name   TEXT NOT NULL,
    image       BLOB NOT NULL,
    added_at    TEXT NOT NULL
);
CREATE INDEX activity_photo_activity ON activity_photo(activity_id);
"#;

/// The ledger's corrections and the resolution of sessions nobody signed out of.
///
/// A session left open is never edited: a resolution row closes it for the rules (one open
/// session per person), and a 补录 honour grant carries any hours. The unique index that
/// enforced one open session becomes a trigger, since an index cannot see resolutions.
const V4_LEDGER: &str = r#"
CREATE TABLE credit_correction (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES credit_session(id),
    minutes     INTEGER NOT NULL CONSTRAINT "更正时数不能为0" CHECK (minutes <> 0),
    reason      TEXT NOT NULL CONSTRAINT "更正须注明原因" CHECK (length(trim(reason)) > 0),
    recorded_by TEXT NOT NULL CONSTRAINT "更正须注明登记人" CHECK (length(trim(recorded_by)) > 0),
    recorded_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
CREATE INDEX credit_correction_session ON credit_correction(session_id);
CREATE TRIGGER credit_correction_no_update BEFORE UPDATE ON credit_correction
BEGIN
    SELECT RAISE(ABORT, '更正记录只能追加，不能修改');
END;
CREATE TRIGGER credit_correction_no_delete BEFORE DELETE ON credit_correction
BEGIN
    SELECT RAISE(ABORT, '更正记录只能追加，不能删除');
END;
CREATE TRIGGER credit_correction_keeps_credit_positive BEFORE INSERT ON credit_correction
WHEN (SELECT credit_minutes FROM credit_session_minutes WHERE id = NEW.session_id) IS NULL
  OR (SELECT credit_minutes FROM credit_session_minutes WHERE id = NEW.session_id)
     + (SELECT coalesce(sum(minutes), 0) FROM credit_correction WHERE session_id = NEW.session_id)
     + NEW.minutes < 0
BEGIN
    SELECT RAISE(ABORT, '只能更正已签退的记录，且更正后时数不能为负');
END;

CREATE TABLE session_resolution (
    session_id  INTEGER PRIMARY KEY REFERENCES credit_session(id),
    grant_id    INTEGER REFERENCES honor_grant(id),
    note        TEXT NOT NULL,
    resolved_by TEXT NOT NULL,
    resolved_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
CREATE TRIGGER session_resolution_no_update BEFORE UPDATE ON session_resolution
BEGIN
    SELECT RAISE(ABORT, '处理记录只能追加，不能修改');
END;
CREATE TRIGGER session_resolution_no_delete BEFORE DELETE ON session_resolution
BEGIN
    SELECT RAISE(ABORT, '处理记录只能追加，不能删除');
END;
CREATE TRIGGER session_resolution_only_open BEFORE INSERT ON session_resolution
WHEN (SELECT signed_out_at FROM credit_session WHERE id = NEW.session_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, '该签到已签退，无需处理');
END;
CREATE TRIGGER credit_session_no_sign_out_after_resolution BEFORE UPDATE OF signed_out_at ON credit_session
WHEN EXISTS (SELECT 1 FROM session_resolution WHERE session_id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, '该签到已按未签退处理，不能再签退');
END;

DROP INDEX credit_session_one_open;
CREATE TRIGGER credit_session_one_open BEFORE INSERT ON credit_session
WHEN NEW.signed_out_at IS NULL AND EXISTS (
    SELECT 1 FROM credit_session c
    WHERE c.volunteer_id = NEW.volunteer_id AND c.signed_out_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM session_resolution r WHERE r.session_id = c.id))
BEGIN
    SELECT RAISE(ABORT, '该志愿者还有未签退的签到，请先签退');
END;
"#;

/// Credit kept with the session when it closes, computed by the schema from the sign-in, the
/// sign-out and the activity's window (a row whose minutes differ is refused), so yearly sums
/// over a million sessions read a number instead of two `julianday` calls a row. An
/// activity's times are fixed once anyone signed in, which keeps the stored credit true.
const V5_STORED_CREDIT: &str = r#"
CREATE TABLE session_credit (
    session_id INTEGER PRIMARY KEY REFERENCES credit_session(id),
    minutes    INTEGER NOT NULL CHECK (minutes >= 0)
);
CREATE TRIGGER session_credit_is_derived BEFORE INSERT ON session_credit
WHEN NEW.minutes IS NOT (
    SELECT max(0, CAST(round((julianday(min(s.signed_out_at, a.ends_at)) - julianday(max(s.signed_in_at, a.starts_at))) * 1440) AS INTEGER)) FROM credit_session s JOIN activity a ON a.id = s.activity_id
    WHERE s.id = NEW.session_id AND s.signed_out_at IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, '服务信用时数只能由签到、签退计算得出，不能填写');
END;
CREATE TRIGGER session_credit_no_update BEFORE UPDATE ON session_credit
BEGIN
    SELECT RAISE(ABORT, '服务信用时数不能修改，更正请另行登记');
END;
CREATE TRIGGER session_credit_no_delete BEFORE DELETE ON session_credit
BEGIN
    SELECT RAISE(ABORT, '服务信用时数不能删除');
END;
INSERT INTO session_credit (session_id, minutes)
SELECT s.id, max(0, CAST(round((julianday(min(s.signed_out_at, a.ends_at)) - julianday(max(s.signed_in_at, a.starts_at))) * 1440) AS INTEGER)) FROM credit_session s JOIN activity a ON a.id = s.activity_id WHERE s.signed_out_at IS NOT NULL;

CREATE TRIGGER session_credit_on_insert AFTER INSERT ON credit_session
WHEN NEW.signed_out_at IS NOT NULL
BEGIN
    INSERT INTO session_credit (session_id, minutes)
    SELECT s.id, max(0, CAST(round((julianday(min(s.signed_out_at, a.ends_at)) - julianday(max(s.signed_in_at, a.starts_at))) * 1440) AS INTEGER)) FROM credit_session s JOIN activity a ON a.id = s.activity_id WHERE s.id = NEW.id;
END;
CREATE TRIGGER session_credit_on_sign_out AFTER UPDATE OF signed_out_at ON credit_session
WHEN OLD.signed_out_at IS NULL AND NEW.signed_out_at IS NOT NULL
BEGIN
    INSERT INTO session_credit (session_id, minutes)
    SELECT s.id, max(0, CAST(round((julianday(min(s.signed_out_at, a.ends_at)) - julianday(max(s.signed_in_at, a.starts_at))) * 1440) AS INTEGER)) FROM credit_session s JOIN activity a ON a.id = s.activity_id WHERE s.id = NEW.id;
END;
CREATE TRIGGER activity_times_fixed_after_attendance BEFORE UPDATE OF starts_at, ends_at ON activity
WHEN (NEW.starts_at IS NOT OLD.starts_at OR NEW.ends_at IS NOT OLD.ends_at)
     AND EXISTS (SELECT 1 FROM credit_session WHERE activity_id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, '该活动已有签到记录，不能再修改起止时间（时数由此计算）');
END;

-- Year-end sums walk sessions by activity and need the person, not the row.
CREATE INDEX credit_session_activity_person ON credit_session(activity_id, volunteer_id);
DROP INDEX credit_session_activity;

DROP VIEW credit_session_minutes;
CREATE VIEW credit_session_minutes AS
SELECT s.id, s.activity_id, s.volunteer_id, s.signed_in_at, s.signed_out_at, c.minutes AS credit_minutes
FROM credit_session s LEFT JOIN session_credit c ON c.session_id = s.id;
"#;
