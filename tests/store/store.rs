//! The store: opening, migrating, refusing foreign and newer files, and the schema's rules.

use crate::common;

use chrono::NaiveDate;
use rusqlite::Connection;
use volunteer_desk::domain::identity::id_check_char;
use volunteer_desk::domain::{Minutes, ServiceMode, TeamKind};
use volunteer_desk::store::activities::{NewActivity, insert_activity};
use volunteer_desk::store::attendance::{NewHonorGrant, NewSession, grant_honor, record_session};
use volunteer_desk::store::migrations::{SEALING_VERSION, current_version, latest_version, migrate_to};
use volunteer_desk::store::teams::{NewTeam, dissolve_team, insert_team};
use volunteer_desk::store::units::{NewUnit, insert_unit};
use volunteer_desk::store::volunteers::{
    NewVolunteer, insert_volunteer, list_volunteers, next_volunteer_code, set_in_recycle_bin, update_volunteer,
};
use volunteer_desk::{Error, store};

fn temp_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("desk.sqlite3");
    (dir, path)
}

use common::{at, id_number, today};

#[test]
fn a_stored_label_nobody_knows_fails_loudly_instead_of_becoming_a_default() {
    let org = common::org("市委办公室", 120, "ZD01", "市委办公室支队");
    let clerk = store::accounts::NewAccount {
        login: "luru".into(),
        display_name: "录入员".into(),
        role: volunteer_desk::domain::access::Role::Clerk,
        unit_id: None,
        password: "clerk-pass".into(),
    };
    store::accounts::create_account(org.store.conn(), &clerk).expect("clerk");
    // Damaged past the CHECK constraint, as a foreign tool might; unlogged (audit_rows() = 0).
    let raw = Connection::open(org.store.path()).expect("open");
    let flags = rusqlite::functions::FunctionFlags::SQLITE_UTF8;
    raw.create_scalar_function("audit_rows", 0, flags, |_| Ok(0)).expect("function");
    raw.create_scalar_function("audit_actor", 0, flags, |_| Ok(String::new())).expect("function");
    raw.create_scalar_function("audit_hash", -1, flags, |_| Ok(String::new())).expect("function");
    raw.pragma_update(None, "ignore_check_constraints", true).expect("pragma");
    raw.execute("UPDATE account SET role = '队长' WHERE login = 'luru'", []).expect("damage");

    let err = store::accounts::list(org.store.conn(), org.store.actor(), common::at("2026-11-29 09:00"))
        .expect_err("an unknown role is an error");
    assert!(err.to_string().contains("账号角色“队长”"), "{err}");
}

#[test]
fn creates_migrates_and_reopens() {
    let (_dir, path) = temp_db();
    let store = store::open(&path).expect("create");
    assert_eq!(current_version(store.conn()).expect("version"), latest_version());
    let fk: i64 = store.conn().pragma_query_value(None, "foreign_keys", |r| r.get(0)).expect("pragma");
    let journal: String = store.conn().pragma_query_value(None, "journal_mode", |r| r.get(0)).expect("pragma");
    assert_eq!((fk, journal.as_str()), (1, "wal"));
    insert_unit(store.conn(), &NewUnit { name: "市财政局".into(), party_members: 83 }).expect("unit");
    drop(store);

    let reopened = store::open(&path).expect("reopen");
    assert_eq!(reopened.counts().expect("counts").units, 1);
}

#[test]
fn upgrades_a_database_made_by_every_earlier_step() {
    // A file at the sealing version or later is made only by the store, with its key; the
    // steps after it are upgraded in `backups::a_backup_from_before_identities_keeps_the_database_identity`.
    for step in 0..SEALING_VERSION {
        let (_dir, path) = temp_db();
        let mut old = Connection::open(&path).expect("old file");
        migrate_to(&mut old, step).expect("partial migration");
        assert_eq!(current_version(&old).expect("version"), step);
        drop(old);

        let store = store::open(&path).expect("upgrade");
        assert_eq!(current_version(store.conn()).expect("version"), latest_version(), "from step {step}");
        assert_eq!(store.counts().expect("tables exist").teams, 0);
    }
}

#[test]
fn refuses_a_file_that_is_not_a_database_and_leaves_it_alone() {
    let (dir, path) = temp_db();
    let text = "姓名,手机号\n张三,13800000000\n".repeat(20);
    std::fs::write(&path, &text).expect("write");

    let err = store::open(&path).err().expect("must refuse");
    assert!(matches!(err, Error::NotADatabase(_)));
    assert!(err.to_string().contains("不是本程序的数据库文件"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), text);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert_eq!(leftovers.len(), 1, "no -wal or -shm file was made");
}

#[test]
fn refuses_a_database_from_a_newer_program_and_leaves_it_alone() {
    let (_dir, path) = temp_db();
    drop(store::open(&path).expect("create"));
    let newer = latest_version() + 3;
    Connection::open(&path).expect("raw").pragma_update(None, "user_version", newer).expect("bump");
    let before = std::fs::read(&path).expect("read");

    let err = store::open(&path).err().expect("must refuse");
    assert!(matches!(err, Error::NewerSchema { found, .. } if found == newer));
    assert!(err.to_string().contains("较新版本"), "{err}");
    assert_eq!(std::fs::read(&path).expect("read"), before);
}

/// A unit, the 总队, one 支队, 张三 and one activity (2017-07-01 08:00–11:00).
struct Fixture {
    store: store::Store,
    _dir: Option<tempfile::TempDir>,
    unit: i64,
    corps: i64,
    detachment: i64,
    volunteer: i64,
    activity: i64,
}

fn fixture() -> Fixture {
    let org = common::org("市直机关工委", 30, "ZD-01", "ZD-01队");
    let volunteer = org.volunteer(org.detachment, "ZY00001", "张三", "33038119900101123", "13812345678");
    let activity = org.activity(org.detachment, "HD2017-001", "2017-07-01 08:00", "2017-07-01 11:00", Some(20));
    let common::Org { dir, store, unit, corps, detachment } = org;
    Fixture { store, _dir: dir, unit, corps, detachment, volunteer, activity }
}

#[test]
fn the_team_tree_keeps_its_shape() {
    let f = fixture();
    let conn = f.store.conn();
    let mut team = NewTeam {
        code: "ZD-02".into(),
        name: "第二支队".into(),
        kind: TeamKind::Specialised,
        parent_id: Some(f.corps),
        unit_id: f.unit,
        manager_name: "李四".into(),
        manager_phone: "13900000000".into(),
        founded_on: None,
        service_fields: vec![],
    };
    let err = insert_team(conn, &team).expect_err("专业服务队 under the 总队");
    assert!(err.to_string().contains("专业服务队的上级须为支队"), "{err}");

    team.kind = TeamKind::Corps;
    team.parent_id = None;
    let err = insert_team(conn, &team).expect_err("a second 总队");
    assert!(err.to_string().contains("总队只能有一个"), "{err}");

    team.kind = TeamKind::Specialised;
    team.parent_id = Some(f.detachment);
    insert_team(conn, &team).expect("专业服务队 under a 支队");
    let err = conn.execute("UPDATE team SET parent_id = NULL WHERE code = 'ZD-01'", []).expect_err("orphan 支队");
    let message = Error::from(err).to_string();
    assert!(message.contains("支队的上级须为总队"), "{message}");
}

#[test]
fn volunteers_are_checked_and_never_registered_twice() {
    let f = fixture();
    let conn = f.store.conn();
    let mut v = NewVolunteer {
        code: "ZY00002".into(),
        name: "李四".into(),
        id_number: "330381199001011230".into(),
        phone: "13812345679".into(),
        unit_id: f.unit,
        team_id: None,
        political_status: "中共党员".into(),
        skills: String::new(),
        service_categories: String::new(),
        registered_on: NaiveDate::from_ymd_opt(2017, 1, 1).expect("date"),
    };
    let bad_check = id_check_char(b"33038119900101123").map(|c| if c == '0' { '1' } else { '0' });
    v.id_number = format!("33038119900101123{}", bad_check.expect("char"));
    assert!(insert_volunteer(conn, &v, today()).expect_err("checksum").to_string().contains("校验位"));

    v.id_number = id_number("33038119900101123");
    let err = insert_volunteer(conn, &v, today()).expect_err("same ID as 张三");
    assert!(err.to_string().contains("张三") && err.to_string().contains("ZY00001"), "{err}");

    v.id_number = id_number("33038119920202224");
    v.phone = "12345678901".into();
    assert!(insert_volunteer(conn, &v, today()).expect_err("phone").to_string().contains("手机号"));

    v.phone = "13812345679".into();
    insert_volunteer(conn, &v, today()).expect("valid");
    let (gender, birth): (String, String) = conn
        .query_row("SELECT gender, birth_date FROM volunteer WHERE code = 'ZY00002'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("row");
    assert_eq!((gender.as_str(), birth.as_str()), ("女", "1992-02-02"));
}

#[test]
fn activities_refuse_impossible_times_and_dissolved_teams() {
    let f = fixture();
    let conn = f.store.conn();
    let mut a = NewActivity {
        code: "HD2017-002".into(),
        name: "巡河".into(),
        team_id: f.detachment,
        category: "巡河护水".into(),
        mode: ServiceMode::Concentrated,
        starts_at: at("2017-07-02 11:00"),
        ends_at: at("2017-07-02 08:00"),
        place: String::new(),
        content: String::new(),
        leader: String::new(),
        capacity: Some(10),
        recruit_from: None,
        recruit_until: None,
        contact_phone: String::new(),
    };
    assert!(insert_activity(conn, &a).expect_err("reversed").to_string().contains("结束时间须晚于开始时间"));

    a.ends_at = at("2017-07-02 12:00");
    a.recruit_until = Some(at("2017-07-02 11:30"));
    assert!(insert_activity(conn, &a).expect_err("late window").to_string().contains("招募截止须早于活动开始"));

    a.recruit_until = None;
    conn.execute("UPDATE team SET dissolved_on = '2017-06-30' WHERE id = ?1", [f.detachment]).expect("dissolve");
    assert!(insert_activity(conn, &a).expect_err("dissolved").to_string().contains("撤销"));
}

#[test]
fn credit_is_derived_clipped_and_append_only() {
    let f = fixture();
    let conn = f.store.conn();
    let now = at("2026-11-29 12:00");
    let session = |from: &str, to: Option<&str>| NewSession {
        activity_id: f.activity,
        volunteer_id: f.volunteer,
        signed_in_at: at(from),
        signed_out_at: to.map(at),
        recorded_by: "管理员".into(),
    };
    // 07:30–09:10 at an activity from 08:00 earns 70 minutes, not 100.
    let id = record_session(conn, &session("2017-07-01 07:30", Some("2017-07-01 09:10")), now).expect("session");
    let credit: i64 = conn
        .query_row("SELECT credit_minutes FROM credit_session_minutes WHERE id = ?1", [id], |r| r.get(0))
        .expect("credit");
    assert_eq!(credit, 70);

    let overlap = record_session(conn, &session("2017-07-01 09:00", Some("2017-07-01 10:00")), now);
    assert!(overlap.expect_err("overlap").to_string().contains("重叠"));
    record_session(conn, &session("2017-07-01 09:10", Some("2017-07-01 10:00")), now).expect("back-to-back is fine");
    let reversed = record_session(conn, &session("2017-07-01 10:30", Some("2017-07-01 10:20")), now);
    assert!(reversed.expect_err("reversed").to_string().contains("签退时间须晚于签到时间"));
    let future = record_session(conn, &session("2026-11-29 12:30", None), now);
    assert!(future.expect_err("future").to_string().contains("不能晚于当前时间"));

    let edit = conn.execute("UPDATE credit_session SET signed_in_at = '2017-07-01 08:00' WHERE id = ?1", [id]);
    assert!(Error::from(edit.expect_err("edit")).to_string().contains("只能追加"));
    let delete = conn.execute("DELETE FROM credit_session WHERE id = ?1", [id]);
    assert!(Error::from(delete.expect_err("delete")).to_string().contains("不能删除"));
}

#[test]
fn honour_grants_at_an_activity_are_capped_by_its_duration() {
    let f = fixture();
    let conn = f.store.conn();
    record_session(
        conn,
        &NewSession {
            activity_id: f.activity,
            volunteer_id: f.volunteer,
            signed_in_at: at("2017-07-01 08:00"),
            signed_out_at: Some(at("2017-07-01 09:00")),
            recorded_by: "管理员".into(),
        },
        at("2026-11-29 12:00"),
    )
    .expect("session");
    let mut grant = NewHonorGrant {
        volunteer_id: f.volunteer,
        minutes: Minutes(150),
        service_date: NaiveDate::from_ymd_opt(2017, 7, 1).expect("date"),
        reason: "忘记签退补录".into(),
        activity_id: Some(f.activity),
        granted_by: "管理员".into(),
    };
    // Three hours less the hour already earned leaves two.
    let err = grant_honor(conn, &grant, at("2017-07-02 09:00")).expect_err("over the cap");
    assert!(err.to_string().contains("上限 2.0 小时"), "{err}");
    grant.minutes = Minutes(120);
    let id = grant_honor(conn, &grant, at("2017-07-02 09:00")).expect("within the cap");
    let delete = conn.execute("DELETE FROM honor_grant WHERE id = ?1", [id]);
    assert!(Error::from(delete.expect_err("delete")).to_string().contains("不能删除"));

    grant.activity_id = None;
    grant.reason = "  ".into();
    assert!(
        grant_honor(conn, &grant, at("2017-07-02 09:00")).expect_err("no reason").to_string().contains("须注明事由")
    );
}

#[test]
fn moving_a_volunteer_keeps_the_membership_history() {
    let f = fixture();
    let conn = f.store.conn();
    let mut team = NewTeam {
        code: "ZD-01-1".into(),
        name: "医疗服务队".into(),
        kind: TeamKind::Specialised,
        parent_id: Some(f.detachment),
        unit_id: f.unit,
        manager_name: "李四".into(),
        manager_phone: "13900000000".into(),
        founded_on: None,
        service_fields: vec!["义诊".into()],
    };
    let medical = insert_team(conn, &team).expect("team");
    let rows = list_volunteers(conn).expect("list");
    let mut edit = NewVolunteer {
        code: rows[0].code.clone(),
        name: rows[0].name.clone(),
        // Empty keeps the sealed numbers on record.
        id_number: String::new(),
        phone: String::new(),
        unit_id: f.unit,
        team_id: Some(medical),
        political_status: "中共党员".into(),
        skills: "急救".into(),
        service_categories: String::new(),
        registered_on: NaiveDate::from_ymd_opt(2017, 1, 1).expect("date"),
    };
    update_volunteer(conn, f.volunteer, &edit, today()).expect("move");
    let history: Vec<(i64, bool)> = conn
        .prepare("SELECT team_id, left_on IS NULL FROM team_membership WHERE volunteer_id = ?1 ORDER BY id")
        .expect("sql")
        .query_map([f.volunteer], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("history");
    assert_eq!(history, vec![(f.detachment, false), (medical, true)]);

    // Dissolving the team sends its members back to the 支队 and closes it to newcomers.
    let moved = dissolve_team(conn, medical, today()).expect("dissolve");
    assert_eq!(moved, 1);
    assert_eq!(list_volunteers(conn).expect("list")[0].team_id, Some(f.detachment));
    edit.team_id = Some(medical);
    let err = update_volunteer(conn, f.volunteer, &edit, today()).expect_err("dissolved team");
    assert!(err.to_string().contains("已撤销"), "{err}");
    let err = dissolve_team(conn, f.corps, today()).expect_err("the 总队 stays");
    assert!(err.to_string().contains("总队不能撤销"), "{err}");
    team.code = "ZD-01-2".into();
    insert_team(conn, &team).expect("another specialised team");
    let err = dissolve_team(conn, f.detachment, today()).expect_err("live children");
    assert!(err.to_string().contains("未撤销的专业服务队"), "{err}");
}

#[test]
fn the_recycle_bin_keeps_and_restores() {
    let f = fixture();
    let conn = f.store.conn();
    set_in_recycle_bin(conn, f.volunteer, true).expect("delete");
    assert_eq!(f.store.counts().expect("counts").volunteers, 0);
    assert!(set_in_recycle_bin(conn, f.volunteer, true).is_err());
    set_in_recycle_bin(conn, f.volunteer, false).expect("restore");
    assert_eq!(f.store.counts().expect("counts").volunteers, 1);
    assert_eq!(next_volunteer_code(conn).expect("code"), "ZY00002");
}

/// Text that SQLite's date functions cannot read passed the version-1 CHECKs (the comparison
/// is NULL, which a CHECK lets through); migration 11 refuses it on every path that writes.
#[test]
fn unreadable_dates_are_refused_even_by_plain_sql() {
    let f = fixture();
    let conn = f.store.conn();
    let refused = |sql: &str| -> String {
        let err = conn.execute(sql, []).map_err(Error::from).expect_err(sql);
        err.to_string()
    };
    let team = refused(&format!(
        "INSERT INTO team (code, name, kind, parent_id, unit_id, manager_name, manager_phone, founded_on)
         VALUES ('ZY9', '服务队', '专业服务队', {}, {}, '陈立新', '13800000000', '去年')",
        f.detachment, f.unit
    ));
    assert!(team.contains("成立日期或撤销日期无法识别"), "{team}");
    let volunteer = refused(&format!(
        "INSERT INTO volunteer (code, name, gender, birth_date, id_masked, phone_masked, unit_id, registered_on)
         VALUES ('V9', '张三', '男', 'abc', mask_id('{0}'), '138****0000', {1}, '2017-01-01')",
        id_number("11010119900307123"),
        f.unit
    ));
    assert!(volunteer.contains("出生日期或注册日期无法识别"), "{volunteer}");
    let activity = refused(
        "INSERT INTO activity (code, name, team_id, category, mode, starts_at, ends_at)
         VALUES ('HD9', '活动', 1, '文明创建', '集中', '明天上午', '2017-07-01 11:00')",
    );
    assert!(activity.contains("起止或招募时间无法识别"), "{activity}");
    let moved = refused("UPDATE activity SET recruit_until = '下周' WHERE id = (SELECT min(id) FROM activity)");
    assert!(moved.contains("起止或招募时间无法识别"), "{moved}");
    let grant = refused(
        "INSERT INTO honor_grant (volunteer_id, minutes, service_date, reason, granted_by)
         VALUES ((SELECT min(id) FROM volunteer), 60, '2017年7月1日', '补录', '管理员')",
    );
    assert!(grant.contains("服务日期无法识别"), "{grant}");
    let renamed = refused("UPDATE volunteer SET registered_on = '??' WHERE id = (SELECT min(id) FROM volunteer)");
    assert!(renamed.contains("出生日期或注册日期无法识别"), "{renamed}");
    // A readable date in another form still meets the old CHECK.
    let spelled =
        refused("UPDATE volunteer SET registered_on = '2017-01-01 08:00' WHERE id = (SELECT min(id) FROM volunteer)");
    assert!(spelled.contains("注册日期格式应为 YYYY-MM-DD"), "{spelled}");
}

#[test]
fn texts_over_their_limit_are_refused_by_the_store_whatever_the_path() {
    let f = common::org("市财政局", 83, "ZD-CZJ", "财政局支队");
    let conn = f.store.conn();
    let long_unit = "市".repeat(61);
    let through_the_api = insert_unit(conn, &NewUnit { name: long_unit.clone(), party_members: 3 }).unwrap_err();
    assert_eq!(through_the_api.to_string(), "单位名称过长（最多 60 字）");
    assert!(insert_unit(conn, &NewUnit { name: "市".repeat(60), party_members: 3 }).is_ok(), "60 is allowed");

    let refused = |sql: &str| -> String { Error::from(conn.execute(sql, []).unwrap_err()).to_string() };
    let renamed = refused(&format!("UPDATE unit SET name = '{long_unit}' WHERE id = {}", f.unit));
    assert_eq!(renamed, "单位名称过长（最多 60 字）");
    let team = refused(&format!("UPDATE team SET manager_name = '{}' WHERE id = {}", "陈".repeat(31), f.detachment));
    assert_eq!(team, "负责人姓名过长（最多 30 字）");
    let place = refused(
        "INSERT INTO activity (code, name, team_id, category, mode, starts_at, ends_at, place)
         VALUES ('HD9', '活动', 1, '文明创建', '集中', '2017-07-01 08:00', '2017-07-01 11:00', printf('%.101c', '路'))",
    );
    assert_eq!(place, "地点过长（最多 100 字）");
    let names: Vec<String> = conn
        .prepare("SELECT name FROM unit ORDER BY id")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("units");
    assert_eq!(names, vec!["市财政局".to_string(), "市".repeat(60)], "nothing over the limit was written");
}

#[test]
fn the_unit_form_renames_and_refuses_a_taken_empty_or_negative_unit() {
    let (_dir, path) = temp_db();
    let mut store = store::open(&path).expect("open");
    store.save_unit(None, &NewUnit { name: " 市财政局 ".into(), party_members: 83 }).expect("new unit");
    store.save_unit(None, &NewUnit { name: "市审计局".into(), party_members: 33 }).expect("second unit");
    let id = |store: &store::Store, name: &str| {
        store.units().expect("units").into_iter().find(|u| u.name == name).map(|u| u.id).expect("unit")
    };
    let finance = id(&store, "市财政局");

    store
        .save_unit(Some(finance), &NewUnit { name: "市财政局（市国资委）".into(), party_members: 90 })
        .expect("rename");
    let renamed = store.units().expect("units").into_iter().find(|u| u.id == finance).expect("unit");
    assert_eq!((renamed.name.as_str(), renamed.party_members), ("市财政局（市国资委）", 90));
    // Keeping its own name is no clash.
    store
        .save_unit(Some(finance), &NewUnit { name: "市财政局（市国资委）".into(), party_members: 91 })
        .expect("same name");

    let before = store.units().expect("units");
    for (unit, why) in [
        (NewUnit { name: "市审计局".into(), party_members: 1 }, "单位“市审计局”已存在"),
        (NewUnit { name: "  ".into(), party_members: 1 }, "请填写单位名称"),
        (NewUnit { name: "市统计局".into(), party_members: -1 }, "党员总数不能为负数"),
    ] {
        let refused = store.save_unit(Some(finance), &unit).expect_err("refused");
        assert_eq!(refused.to_string(), why);
    }
    assert_eq!(store.units().expect("units"), before, "a refused change leaves the unit as it was");
}
