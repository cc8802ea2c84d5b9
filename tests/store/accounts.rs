//! Accounts and roles (issue #6): logins, what each role may do, and that the store — not the
//! window — refuses the rest.

use crate::common;

use common::{at, date, org};
use volunteer_desk::Error;
use volunteer_desk::domain::access::Role;
use volunteer_desk::domain::hours::Minutes;
use volunteer_desk::store::accounts::{self, NewAccount, change_own_password, create_account, sign_in};
use volunteer_desk::store::attendance::{NewHonorGrant, grant_honor};
use volunteer_desk::store::audit::{self, Filter};
use volunteer_desk::store::{Store, volunteers};

fn account(login: &str, role: Role, password: &str) -> NewAccount {
    NewAccount {
        login: login.into(),
        display_name: format!("{login}姓名"),
        role,
        unit_id: None,
        password: password.into(),
    }
}

fn log_in(store: &mut Store, login: &str, password: &str) {
    let signed_in = sign_in(store.conn(), login, password).expect("sign in");
    store.act_as(signed_in.actor).expect("act as");
}

/// Counted on a connection of its own: the store's acting account may not read everything.
fn count(store: &Store, table: &str) -> i64 {
    rusqlite::Connection::open(store.path())
        .expect("open")
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .expect("count")
}

#[test]
fn a_clerk_granting_honour_hours_is_refused_and_nothing_changes() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    let volunteer = org.volunteer(org.detachment, "V1", "张三", "11010119900307123", "13800138000");
    create_account(org.store.conn(), &account("luru", Role::Clerk, "clerk-pass")).expect("clerk");
    log_in(&mut org.store, "luru", "clerk-pass");

    let grant = NewHonorGrant {
        volunteer_id: volunteer,
        minutes: Minutes(120),
        service_date: date("2026-11-20"),
        reason: "防汛值守".into(),
        activity_id: None,
        granted_by: "录入员".into(),
    };
    let before = (count(&org.store, "honor_grant"), count(&org.store, "audit_log"));
    let err = grant_honor(org.store.conn(), &grant, at("2026-11-29 09:00")).expect_err("clerk may not grant");
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    assert_eq!(err.to_string(), "录入员账号无权修改“荣誉时数”，未做任何改动。");
    assert_eq!((count(&org.store, "honor_grant"), count(&org.store, "audit_log")), before);

    // Data entry itself is the clerk's job.
    org.volunteer(org.detachment, "V2", "李四", "11010119910408123", "13900139000");
    assert_eq!(count(&org.store, "volunteer"), 2);
    let raw = rusqlite::Connection::open(org.store.path()).expect("open");
    let (actor, after): (String, String) = raw
        .query_row(
            "SELECT actor, after FROM audit_log WHERE kind = '新增' AND object LIKE 'volunteer#%' ORDER BY id DESC",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("logged");
    assert!(actor.starts_with("luru姓名（录入员"), "{actor}");
    assert!(after.contains("\"name\":\"李四\""), "{after}");
}

#[test]
fn a_judge_reads_nothing_but_the_contest() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    org.volunteer(org.detachment, "V1", "张三", "11010119900307123", "13800138000");
    create_account(org.store.conn(), &account("pingwei", Role::Judge, "judge-pass")).expect("judge");
    log_in(&mut org.store, "pingwei", "judge-pass");

    let err = volunteers::list_volunteers(org.store.conn()).expect_err("judge reads no volunteers");
    assert_eq!(err.to_string(), "评委账号无权查看“志愿者”。");
    assert!(matches!(org.store.counts(), Err(Error::Forbidden(_))));
    let err = org.store.conn().query_row("SELECT count(*) FROM honor_grant", [], |r| r.get::<_, i64>(0));
    assert!(err.is_err());
    assert!(audit::entries(org.store.conn(), org.store.actor(), &Filter::default()).is_err());
    // Their own password they may change.
    let actor = org.store.actor().clone();
    change_own_password(org.store.conn(), &actor, "judge-pass", "new-judge-pass").expect("own password");
}

#[test]
fn a_locked_window_reads_nothing_but_the_accounts_until_someone_logs_in() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    create_account(org.store.conn(), &account("admin", Role::Admin, "right-pass")).expect("admin");
    org.store.act_for_nobody().expect("lock");

    let err = volunteers::list_volunteers(org.store.conn()).expect_err("nobody reads volunteers");
    assert_eq!(err.to_string(), "请先登录。");
    assert!(org.store.counts().is_err());
    assert!(org.store.conn().execute("UPDATE unit SET party_members = 1", []).is_err());
    assert_eq!(count(&org.store, "unit"), 1);
    // The login itself reads the accounts and logs the attempt.
    assert!(org.store.has_accounts().expect("accounts"));
    let err = org.store.sign_in("admin", "wrong-pass", at("2026-11-29 09:00")).expect_err("wrong password");
    assert_eq!(err.to_string(), "登录名或密码不正确");
    let signed_in = org.store.sign_in("admin", "right-pass", at("2026-11-29 09:00")).expect("sign in");
    org.store.act_as(signed_in.actor).expect("act as");
    assert_eq!(org.store.counts().expect("counts").units, 1);
}

#[test]
fn a_wrong_password_is_refused_and_logged() {
    let org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    let conn = org.store.conn();
    create_account(conn, &account("admin", Role::Admin, "right-pass")).expect("admin");

    let err = sign_in(conn, "admin", "wrong-pass").expect_err("wrong password");
    assert_eq!(err.to_string(), "登录名或密码不正确");
    let failed = audit::latest_of_kind(conn, "登录失败").expect("read").expect("logged");
    assert_eq!(failed.after.as_deref(), Some("密码错误（15 分钟内第 1 次）"));
    assert!(failed.actor.starts_with("admin姓名"), "{}", failed.actor);

    let err = sign_in(conn, "nobody", "whatever").expect_err("unknown login");
    assert_eq!(err.to_string(), "登录名或密码不正确");
    assert_eq!(
        audit::latest_of_kind(conn, "登录失败").expect("read").expect("logged").after.as_deref(),
        Some("登录名不存在（15 分钟内第 1 次）")
    );

    let ok = sign_in(conn, "admin", "right-pass").expect("right password");
    assert_eq!(ok.actor.role, Role::Admin);
    assert!(audit::latest_of_kind(conn, "登录").expect("read").is_some());
}

#[test]
fn passwords_are_hashed_short_ones_refused_and_the_last_administrator_kept() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    let conn = org.store.conn();
    let err = create_account(conn, &account("x", Role::Clerk, "12345")).expect_err("too short");
    assert_eq!(err.to_string(), "密码至少 8 位，且须包含字母、数字、符号中的至少两种");
    let admin = create_account(conn, &account("admin", Role::Admin, "right-pass")).expect("admin");
    // Not even the administrator's connection reads a hash (issue #26): the file itself does.
    let err = conn.query_row("SELECT password_hash FROM account", [], |r| r.get::<_, String>(0)).expect_err("hidden");
    assert!(err.to_string().contains("prohibited"), "{err}");
    let raw = rusqlite::Connection::open(org.store.path()).expect("raw");
    let stored: String = raw.query_row("SELECT password_hash FROM account", [], |r| r.get(0)).expect("hash");
    assert!(stored.starts_with("$argon2id$"), "{stored}");
    assert!(!stored.contains("right-pass"));
    let err = create_account(conn, &account("admin", Role::Clerk, "another-pass")).expect_err("duplicate login");
    assert_eq!(err.to_string(), "登录名“admin”已被使用");

    let err = conn.execute("UPDATE account SET role = '录入员' WHERE id = ?1", [admin]).expect_err("last admin");
    assert_eq!(Error::from(err).to_string(), "至少要保留一个可用的管理员账号");

    let judge =
        accounts::create_with_initial_password(conn, &account("pw01", Role::Judge, &accounts::initial_password()))
            .expect("judge");
    log_in(&mut org.store, "admin", "right-pass");
    let actor = org.store.actor().clone();
    let slip = accounts::reset_password(org.store.conn(), &actor, judge).expect("reset");
    assert_eq!(slip.len(), 8);
    let signed = sign_in(org.store.conn(), "pw01", &slip).expect("slip works");
    assert!(signed.must_change_password);
    accounts::set_disabled(org.store.conn(), &actor, judge, true).expect("disable");
    // Told as a wrong pair, right password or not: the answer confirms neither (issue #26).
    let err = sign_in(org.store.conn(), "pw01", &slip).expect_err("disabled");
    assert_eq!(err.to_string(), "登录名或密码不正确");
    let err = sign_in(org.store.conn(), "pw01", "wrong-guess1").expect_err("disabled");
    assert_eq!(err.to_string(), "登录名或密码不正确");
}

#[test]
fn a_read_only_window_writes_nothing() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    org.store.set_read_only(true).expect("read only");
    let err = org.store.conn().execute("UPDATE unit SET party_members = 1", []).expect_err("read only");
    assert_eq!(Error::from(err).to_string(), "另一个窗口正在使用这个数据库，本窗口只能查看，未做任何改动。");
    assert_eq!(org.store.counts().expect("reads still work").units, 1);
    org.store.set_read_only(false).expect("writable");
    org.store.conn().execute("UPDATE unit SET party_members = 121", []).expect("writes again");
}

#[test]
fn showing_a_whole_id_number_is_for_administrators_and_logged() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    let volunteer = org.volunteer(org.detachment, "V1", "张三", "11010119900307123", "13800138000");
    create_account(org.store.conn(), &account("luru", Role::Clerk, "clerk-pass")).expect("clerk");
    create_account(org.store.conn(), &account("admin", Role::Admin, "admin-pass")).expect("admin");

    log_in(&mut org.store, "luru", "clerk-pass");
    let err = org.store.reveal_id_number(volunteer).expect_err("clerk");
    assert_eq!(err.to_string(), "录入员账号无权查看完整证件号和手机号，未做任何改动。");

    log_in(&mut org.store, "admin", "admin-pass");
    let shown = org.store.reveal_id_number(volunteer).expect("admin");
    assert_eq!(shown, common::id_number("11010119900307123"));
    let entry = audit::latest_of_kind(org.store.conn(), "查看证件号").expect("read").expect("logged");
    assert_eq!(entry.object, format!("volunteer#{volunteer}"));
    assert!(entry.actor.starts_with("admin姓名（管理员"), "{}", entry.actor);
}
