//! Fixtures the integration tests share: a unit with its 总队 and 支队, volunteers with valid
//! 身份证号, activities. Each test crate uses a different part of it.
#![allow(dead_code)]

pub mod hostile;
pub mod workbook;

use chrono::{NaiveDate, NaiveDateTime};
use volunteer_desk::domain::contest::Category;
use volunteer_desk::domain::identity::id_check_char;
use volunteer_desk::domain::{ServiceMode, TeamKind};
use volunteer_desk::store::activities::{NewActivity, insert_activity};
use volunteer_desk::store::contest::works::NewWork;
use volunteer_desk::store::teams::{NewTeam, insert_team};
use volunteer_desk::store::units::{NewUnit, insert_unit};
use volunteer_desk::store::volunteers::{NewVolunteer, insert_volunteer};
use volunteer_desk::store::{self, Store};

pub fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("time")
}

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
}

/// The day the tests take as today.
pub fn today() -> NaiveDate {
    date("2026-11-29")
}

/// A volunteer's phone as sealed in the store, opened with the store's key (the SQL function
/// the store lends the key to) for tests to check what was written.
pub fn phone_on_record(conn: &rusqlite::Connection, volunteer: i64) -> String {
    conn.query_row("SELECT open_phone(phone_sealed, 'volunteer_sealed', volunteer_id) FROM volunteer_sealed WHERE volunteer_id = ?1", [volunteer], |r| {
        r.get(0)
    })
    .expect("phone")
}

/// A GB 11643-valid 身份证号 from its first 17 digits.
pub fn id_number(first17: &str) -> String {
    format!("{first17}{}", id_check_char(first17.as_bytes()).expect("17 digits"))
}

/// A database with one unit, the 总队 (code ZD) and one 支队.
pub struct Org {
    /// The folder of the database when the fixture made one.
    pub dir: Option<tempfile::TempDir>,
    pub store: Store,
    pub unit: i64,
    pub corps: i64,
    pub detachment: i64,
}

/// The fixture in a folder of its own.
pub fn org(unit_name: &str, party_members: i64, detachment_code: &str, detachment_name: &str) -> Org {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut org = org_at(&dir.path().join("test.sqlite3"), unit_name, party_members, detachment_code, detachment_name);
    org.dir = Some(dir);
    org
}

/// The fixture in a database file the test chose.
pub fn org_at(
    path: &std::path::Path,
    unit_name: &str,
    party_members: i64,
    detachment_code: &str,
    detachment_name: &str,
) -> Org {
    let store = store::open(path).expect("open");
    let conn = store.conn();
    let unit = insert_unit(conn, &NewUnit { name: unit_name.into(), party_members }).expect("unit");
    let corps = insert_team(conn, &team(unit, "ZD", "总队", TeamKind::Corps, None)).expect("corps");
    let detachment =
        insert_team(conn, &team(unit, detachment_code, detachment_name, TeamKind::Detachment, Some(corps)))
            .expect("detachment");
    Org { dir: None, store, unit, corps, detachment }
}

pub fn team(unit: i64, code: &str, name: &str, kind: TeamKind, parent: Option<i64>) -> NewTeam {
    NewTeam {
        code: code.into(),
        name: name.into(),
        kind,
        parent_id: parent,
        unit_id: unit,
        manager_name: "陈立新".into(),
        manager_phone: "13857700001".into(),
        founded_on: NaiveDate::from_ymd_opt(2016, 6, 30),
        service_fields: vec![],
    }
}

impl Org {
    /// Registers a volunteer of the unit in `team`, registered on 2017-01-01.
    pub fn volunteer(&self, team: i64, code: &str, name: &str, first17: &str, phone: &str) -> i64 {
        let v = NewVolunteer {
            code: code.into(),
            name: name.into(),
            id_number: id_number(first17),
            phone: phone.into(),
            unit_id: self.unit,
            team_id: Some(team),
            political_status: "中共党员".into(),
            skills: String::new(),
            service_categories: String::new(),
            registered_on: date("2017-01-01"),
        };
        insert_volunteer(self.store.conn(), &v, today()).expect("volunteer")
    }

    /// An activity of `team` from `start` to `end`, recruiting without a window.
    pub fn activity(&self, team: i64, code: &str, start: &str, end: &str, capacity: Option<u32>) -> i64 {
        insert_activity(self.store.conn(), &new_activity(team, code, start, end, capacity)).expect("activity")
    }
}

/// Publishes an activity's recruitment as of 2026-11-01 08:00 (sign-ups need it).
pub fn publish(conn: &rusqlite::Connection, activity: i64) {
    volunteer_desk::store::activities::publish_activity(conn, activity, at("2026-11-01 08:00")).expect("publish");
}

pub fn new_activity(team: i64, code: &str, start: &str, end: &str, capacity: Option<u32>) -> NewActivity {
    NewActivity {
        code: code.into(),
        name: format!("活动{code}"),
        team_id: team,
        category: "文明创建".into(),
        mode: ServiceMode::Concentrated,
        starts_at: at(start),
        ends_at: at(end),
        place: String::new(),
        content: String::new(),
        leader: "陈立新".into(),
        capacity,
        recruit_from: None,
        recruit_until: None,
        contact_phone: String::new(),
    }
}

pub const ADMIN_LOGIN: &str = "admin";
pub const ADMIN_PASSWORD: &str = "admin-pass";

/// The tests' administrator ([`ADMIN_LOGIN`], [`ADMIN_PASSWORD`]) added to the file.
pub fn create_admin(conn: &rusqlite::Connection) {
    use volunteer_desk::domain::access::Role;
    use volunteer_desk::store::accounts::{NewAccount, create_account};
    let admin = NewAccount {
        login: ADMIN_LOGIN.into(),
        display_name: "测试管理员".into(),
        role: Role::Admin,
        unit_id: None,
        password: ADMIN_PASSWORD.into(),
    };
    create_account(conn, &admin).expect("administrator");
}

/// The window on `store`, logged in as an administrator (created when the file has none).
pub fn signed_in_app(store: Store) -> volunteer_desk::ui::App {
    use volunteer_desk::store::accounts::sign_in;
    // The demo's administrator has the password the README publishes.
    let password = if volunteer_desk::store::accounts::is_demo(store.conn()) { "admin123" } else { ADMIN_PASSWORD };
    if sign_in(store.conn(), ADMIN_LOGIN, password).is_err() {
        create_admin(store.conn());
    }
    let mut app = volunteer_desk::ui::App::new(store, None);
    app.sign_in(ADMIN_LOGIN, password).expect("sign in");
    app
}

/// Someone at the desk, for the store functions that record who acted.
pub fn operator(name: &str) -> volunteer_desk::store::Actor {
    volunteer_desk::store::Actor {
        account_id: None,
        name: name.to_string(),
        role: volunteer_desk::domain::access::Role::Admin,
    }
}

/// A work by 王晓明 of `unit_id`, submitted on `submitted`, its code generated.
pub fn work(category: Category, unit_id: i64, content: &str, submitted: &str) -> NewWork {
    NewWork {
        code: None,
        category,
        title: String::new(),
        content: content.into(),
        author: "王晓明".into(),
        author_phone: "13857700123".into(),
        unit_id,
        submitted_on: date(submitted),
    }
}

/// What migration 22 added (an activity's 联系电话), taken out again: with its logging
/// triggers, which the upgrade makes again for the new column.
pub const UNDO_MIGRATION_22: &str =
    "DROP TRIGGER audit_activity_INSERT; DROP TRIGGER audit_activity_UPDATE; DROP TRIGGER audit_activity_DELETE;
     ALTER TABLE activity DROP COLUMN contact_phone;";

/// Takes migration 19's objects out of a file being aged to an older version in a test: its
/// receipts table goes, and the ballot secrets' trigger of migration 16 is back, word for word
/// (the schema guard knows it by its hash), so the upgrade runs 19 again.
const UNDO_MIGRATION_19: &str = "DROP TABLE contest_ballot_receipt; DROP TRIGGER ballot_seal_key_sealed_only;
CREATE TRIGGER contest_round_seal_key AFTER INSERT ON contest_round
BEGIN
    INSERT INTO ballot_seal_key (round_id, secret) VALUES (NEW.id, randomblob(32));
END;";

/// Ages the file at `path` to version 17, as a file or a backup made before migration 18 is:
/// no database identity, no log-in guard, no demo mark, no row binding, no receipts or
/// contact phone; the upgrade then runs 18 to the latest again.
pub fn age_to_version_17(path: &std::path::Path) {
    let raw = rusqlite::Connection::open(path).expect("raw");
    raw.execute_batch(
        "DROP TABLE database_identity; DROP TABLE login_lock; DROP TABLE login_failure;
         DROP TRIGGER audit_account_INSERT; DROP TRIGGER audit_account_UPDATE; DROP TRIGGER audit_account_DELETE;
         ALTER TABLE account DROP COLUMN demo; ALTER TABLE field_key DROP COLUMN rows_bound;
         PRAGMA user_version = 17;",
    )
    .expect("age it");
    raw.execute_batch(UNDO_MIGRATION_22).expect("age it");
    raw.execute_batch(UNDO_MIGRATION_19).expect("age it");
}
