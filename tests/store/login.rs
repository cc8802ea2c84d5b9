//! Log-in under 等保 2.0 level 2 (domain.md §9, issue #25): the password rule for every new or
//! changed password, the lock after five failures within 15 minutes, lifted by time or by an
//! administrator, every failure and lock in the audit log; the demo's accounts keep theirs.
//! Unknown logins are locked alike and their text never kept (issue #26).

use crate::common;

use chrono::Duration;
use common::{at, org};
use volunteer_desk::domain::access::Role;
use volunteer_desk::store::accounts::{
    self, NewAccount, change_own_password, create_account, lift_lock, sign_in, sign_in_at,
};
use volunteer_desk::store::audit;

fn account(login: &str, role: Role, password: &str) -> NewAccount {
    NewAccount {
        login: login.into(),
        display_name: format!("{login}姓名"),
        role,
        unit_id: None,
        password: password.into(),
    }
}

fn entries_of_kind(conn: &rusqlite::Connection, kind: &str) -> Vec<String> {
    conn.prepare("SELECT after FROM audit_log WHERE kind = ?1 ORDER BY id")
        .expect("prepare")
        .query_map([kind], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
}

#[test]
fn new_and_changed_passwords_need_eight_characters_of_two_kinds() {
    let org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    let conn = org.store.conn();
    let rule = "密码至少 8 位，且须包含字母、数字、符号中的至少两种";
    for weak in ["abc123", "abcdefghij", "1234567890"] {
        let err = create_account(conn, &account("x", Role::Clerk, weak)).expect_err(weak);
        assert_eq!(err.to_string(), rule, "{weak}");
    }
    assert_eq!(conn.query_row("SELECT count(*) FROM account", [], |r| r.get::<_, i64>(0)).expect("count"), 0);
    let id = create_account(conn, &account("luru", Role::Clerk, "clerk-pass")).expect("letters and a symbol");
    let clerk = sign_in(conn, "luru", "clerk-pass").expect("sign in").actor;
    assert_eq!(clerk.account_id, Some(id));
    let err = change_own_password(conn, &clerk, "clerk-pass", "password").expect_err("one kind");
    assert_eq!(err.to_string(), rule);
    change_own_password(conn, &clerk, "clerk-pass", "新的密码2026").expect("letters and digits");
    for _ in 0..50 {
        let slip = accounts::initial_password();
        assert!(volunteer_desk::domain::password::problem(&slip).is_none(), "a slip passes the rule: {slip}");
    }
}

#[test]
fn five_failures_within_fifteen_minutes_lock_the_account_for_fifteen_minutes() {
    let org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    let conn = org.store.conn();
    create_account(conn, &account("luru", Role::Clerk, "clerk-pass")).expect("clerk");
    create_account(conn, &account("admin", Role::Admin, "admin-pass")).expect("admin");
    let start = at("2026-12-07 09:00");

    // Four failures, a good log-in: the count starts again.
    for minute in 0..4 {
        let err = sign_in_at(conn, "luru", "wrong-pass", start + Duration::minutes(minute)).expect_err("wrong");
        assert_eq!(err.to_string(), "登录名或密码不正确");
    }
    sign_in_at(conn, "luru", "clerk-pass", start + Duration::minutes(4)).expect("the right one still works");
    // Failures more than 15 minutes apart do not add up.
    for minute in [10, 20, 30, 40, 50] {
        sign_in_at(conn, "luru", "wrong-pass", start + Duration::minutes(minute)).expect_err("wrong");
    }
    sign_in_at(conn, "luru", "clerk-pass", start + Duration::minutes(51)).expect("not locked: spread out");

    // Five within 15 minutes: locked, even for the right password, until 15 minutes on.
    let t = at("2026-12-07 10:00");
    for minute in 0..4 {
        sign_in_at(conn, "luru", "wrong-pass", t + Duration::minutes(minute * 3)).expect_err("wrong");
    }
    let err = sign_in_at(conn, "luru", "wrong-pass", t + Duration::minutes(12)).expect_err("fifth");
    let locked = "该账号 15 分钟内连续 5 次登录失败，已锁定至 2026-12-07 10:27。请届时再试，或请管理员在“系统 → 账号”中解除锁定。";
    assert_eq!(err.to_string(), locked);
    let err = sign_in_at(conn, "luru", "clerk-pass", t + Duration::minutes(26)).expect_err("locked");
    assert_eq!(err.to_string(), locked, "the password is not even looked at");
    assert!(sign_in_at(conn, "admin", "admin-pass", t + Duration::minutes(26)).is_ok(), "one account only");
    sign_in_at(conn, "luru", "clerk-pass", t + Duration::minutes(27)).expect("the lock ends");

    // Every failure and the lock are in the log.
    let failures = entries_of_kind(conn, "登录失败");
    assert_eq!(failures.len(), 4 + 5 + 5 + 1);
    assert_eq!(failures[13], "密码错误（15 分钟内第 5 次）");
    assert_eq!(failures[14], "账号已锁定至 2026-12-07 10:27:00");
    assert_eq!(entries_of_kind(conn, "账号锁定"), ["15 分钟内连续 5 次密码错误，锁定至 2026-12-07 10:27:00"]);
}

#[test]
fn an_administrator_lifts_a_lock_and_only_an_administrator() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    let clerk = create_account(org.store.conn(), &account("luru", Role::Clerk, "clerk-pass")).expect("clerk");
    create_account(org.store.conn(), &account("admin", Role::Admin, "admin-pass")).expect("admin");
    let now = common::at("2026-12-07 09:00");
    // At the gate, as the window asks: nobody is logged in, and the failures still count.
    org.store.act_for_nobody().expect("gate");
    for _ in 0..5 {
        org.store.sign_in("luru", "wrong-pass", now).expect_err("wrong");
    }
    assert!(org.store.sign_in("luru", "clerk-pass", now).expect_err("locked").to_string().contains("已锁定"));

    let signed = org.store.sign_in("luru", "clerk-pass", now + Duration::minutes(16)).map(|s| s.actor);
    assert!(signed.is_ok(), "after 15 minutes: {signed:?}");
    for _ in 0..5 {
        org.store.sign_in("luru", "wrong-pass", now + Duration::minutes(17)).expect_err("wrong");
    }
    let clerk_actor = volunteer_desk::store::Actor { account_id: Some(clerk), name: "luru".into(), role: Role::Clerk };
    let err = lift_lock(org.store.conn(), &clerk_actor, clerk).expect_err("a clerk may not");
    assert!(err.to_string().contains("无权"), "{err}");

    let admin = org.store.sign_in("admin", "admin-pass", now + Duration::minutes(18)).expect("admin").actor;
    org.store.act_as(admin).expect("act");
    let listed = org.store.accounts(now + Duration::minutes(18)).expect("list");
    let shown = listed.iter().find(|a| a.id == clerk).expect("clerk listed");
    assert_eq!(shown.locked_until.as_deref(), Some("2026-12-07 09:32:00"));
    org.store.lift_lock(clerk).expect("lift");
    assert_eq!(org.store.lift_lock(clerk).expect_err("twice").to_string(), "该账号未被锁定");
    let listed = org.store.accounts(now + Duration::minutes(18)).expect("list");
    assert_eq!(listed.iter().find(|a| a.id == clerk).expect("clerk").locked_until, None);
    org.store.sign_in("luru", "clerk-pass", now + Duration::minutes(18)).expect("lifted");
    let lifted = audit::latest_of_kind(org.store.conn(), "解除锁定").expect("read").expect("logged");
    assert_eq!(lifted.object, format!("account#{clerk}"));
}

#[test]
fn the_demo_accounts_keep_their_published_passwords_marked_as_demo() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = volunteer_desk::store::open(&dir.path().join("demo.sqlite3")).expect("open");
    volunteer_desk::demo::load_demo(&mut store, at("2026-12-07 09:00")).expect("demo");
    for (login, password) in [("luru", "luru123"), ("jiandu", "jiandu123"), ("pw001", "demo2017")] {
        sign_in(store.conn(), login, password).unwrap_or_else(|e| panic!("{login}: {e}"));
    }
    let listed = store.accounts(at("2026-12-07 09:00")).expect("list");
    assert!(listed.iter().all(|a| a.demo), "every demo account says so");
    let own = account("wang", Role::Admin, "wang123");
    assert!(create_account(store.conn(), &own).is_err(), "a new account is held to the rule, demo or not");
}

#[test]
fn a_demo_database_made_before_marks_its_accounts_at_the_upgrade() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("demo.sqlite3");
    let mut store = volunteer_desk::store::open(&path).expect("open");
    volunteer_desk::demo::load_demo(&mut store, at("2026-12-07 09:00")).expect("demo");
    drop(store);
    // As version 17 left it: no mark.
    crate::common::age_to_version_17(&path);
    let store = volunteer_desk::store::open(&path).expect("upgrade");
    let listed = store.accounts(at("2026-12-07 09:00")).expect("list");
    assert!(listed.len() > 40 && listed.iter().all(|a| a.demo), "every demo account marked");
}

#[test]
fn an_unknown_login_costs_what_a_known_one_does() {
    let org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    let conn = org.store.conn();
    create_account(conn, &account("admin", Role::Admin, "right-pass")).expect("admin");
    // Counted, not timed: skipping argon2 made an unknown login a hundred times quicker.
    let runs = |login: &str| {
        let before = accounts::argon2_runs();
        sign_in(conn, login, "wrong-pass").expect_err(login);
        accounts::argon2_runs() - before
    };
    assert_eq!((runs("admin"), runs("nobody"), runs("Pa55word-typed-here")), (1, 1, 1));
}

#[test]
fn a_disabled_account_is_told_as_a_wrong_pair_and_logged_as_disabled() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    let conn = org.store.conn();
    let admin = create_account(conn, &account("admin", Role::Admin, "right-pass")).expect("admin");
    let clerk = create_account(conn, &account("clerk", Role::Clerk, "clerk-pass1")).expect("clerk");
    let actor = accounts::sign_in(conn, "admin", "right-pass").expect("admin").actor;
    assert_eq!(actor.account_id, Some(admin));
    org.store.act_as(actor.clone()).expect("act");
    accounts::set_disabled(org.store.conn(), &actor, clerk, true).expect("disable");
    let conn = org.store.conn();
    let right = sign_in(conn, "clerk", "clerk-pass1").expect_err("disabled");
    let wrong = sign_in(conn, "clerk", "wrong-pass1").expect_err("disabled");
    let unknown = sign_in(conn, "nosuch", "wrong-pass1").expect_err("unknown");
    assert_eq!(right.to_string(), "登录名或密码不正确");
    assert_eq!(wrong.to_string(), right.to_string(), "the password changes nothing");
    assert_eq!(unknown.to_string(), right.to_string(), "nor does the login's existence");
    let failures = entries_of_kind(conn, "登录失败");
    assert_eq!(
        failures[failures.len() - 3..],
        ["账号已停用（15 分钟内第 1 次）", "账号已停用（15 分钟内第 2 次）", "登录名不存在（15 分钟内第 1 次）"]
    );
}

/// What each of six wrong log-ins of `login` a minute apart from `start` is told.
fn answers(conn: &rusqlite::Connection, login: &str, start: chrono::NaiveDateTime) -> Vec<String> {
    (0..6)
        .map(|i| sign_in_at(conn, login, "wrong-pass1", start + Duration::minutes(i)).expect_err(login).to_string())
        .collect()
}

#[test]
fn an_unknown_login_is_locked_after_as_many_failures_as_a_known_one() {
    let mut org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    let admin = create_account(org.store.conn(), &account("admin", Role::Admin, "right-pass")).expect("admin");
    let clerk = create_account(org.store.conn(), &account("clerk", Role::Clerk, "clerk-pass1")).expect("clerk");
    let actor = sign_in(org.store.conn(), "admin", "right-pass").expect("admin").actor;
    accounts::set_disabled(org.store.conn(), &actor, clerk, true).expect("disable");
    // At the gate, as the window asks.
    org.store.act_for_nobody().expect("gate");
    let conn = org.store.conn();
    let start = at("2026-12-07 10:00");
    let known = answers(conn, "admin", start);
    let wrong = "登录名或密码不正确";
    let locked = "该账号 15 分钟内连续 5 次登录失败，已锁定至 2026-12-07 10:19。请届时再试，或请管理员在“系统 → 账号”中解除锁定。";
    assert_eq!(known, [wrong, wrong, wrong, wrong, locked, locked]);
    assert_eq!(answers(conn, "nobody", start), known, "an unknown login is told the same, in the same order");
    assert_eq!(answers(conn, "clerk", start), known, "and so is a disabled account");
    assert_eq!(answers(conn, "  NoBody ", start), [locked; 6], "the login as typed, trimmed and in any case");
    assert_eq!(
        sign_in_at(conn, "nobody", "wrong-pass1", start + Duration::minutes(20)).expect_err("lock over").to_string(),
        wrong
    );
    org.store.act_as(actor).expect("the administrator reads the log");
    let conn = org.store.conn();
    let locks = entries_of_kind(conn, "账号锁定");
    assert_eq!(
        locks,
        [
            "15 分钟内连续 5 次密码错误，锁定至 2026-12-07 10:19:00",
            "15 分钟内连续 5 次登录名不存在，锁定至 2026-12-07 10:19:00",
            "15 分钟内连续 5 次账号已停用，锁定至 2026-12-07 10:19:00",
        ]
    );
    let admin_entry = audit::latest_of_kind(conn, "账号锁定").expect("read").expect("logged");
    assert_eq!(admin_entry.object, format!("account#{clerk}"));
    assert!(sign_in_at(conn, "admin", "right-pass", start + Duration::minutes(20)).is_ok(), "admin {admin} again");
}

#[test]
fn a_login_is_counted_without_what_was_typed_landing_in_the_file() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("desk.sqlite3");
    let store = volunteer_desk::store::open(&db).expect("open");
    let conn = store.conn();
    create_account(conn, &account("admin", Role::Admin, "right-pass")).expect("admin");
    // The password typed one field too early, five times: counted and locked all the same.
    let typed = "Right-Pass#2026";
    let start = at("2026-12-07 10:00");
    let told: Vec<String> = (0..5)
        .map(|i| sign_in_at(conn, typed, "", start + Duration::minutes(i)).expect_err("no such login").to_string())
        .collect();
    assert!(told[4].contains("已锁定至 2026-12-07 10:19"), "{told:?}");
    let key: String = conn.query_row("SELECT login_key FROM login_lock", [], |r| r.get(0)).expect("locked");
    assert!(key.len() == 64 && key.chars().all(|c| c.is_ascii_hexdigit()), "a hash, not the text: {key}");
    drop(store);
    let mut files = vec![std::fs::read(&db).expect("file")];
    files.extend(std::fs::read(dir.path().join("desk.sqlite3-wal")).ok());
    for text in [typed.to_string(), typed.to_lowercase()] {
        let found = files.iter().any(|bytes| bytes.windows(text.len()).any(|w| w == text.as_bytes()));
        assert!(!found, "“{text}” is nowhere in the file");
    }
}

#[test]
fn a_password_typed_as_the_login_is_not_logged() {
    let org = org("市委办公室", 120, "ZD01", "市委办公室支队");
    let conn = org.store.conn();
    create_account(conn, &account("admin", Role::Admin, "right-pass")).expect("admin");
    for typed in ["right-pass", "Secret#2026", "张三的密码2026", "has space"] {
        sign_in(conn, typed, "").expect_err("no such login");
        let actor: String = conn
            .query_row("SELECT actor FROM audit_log WHERE kind = '登录失败' ORDER BY id DESC LIMIT 1", [], |r| {
                r.get(0)
            })
            .expect("logged");
        assert_eq!(actor, accounts::UNLOGGED_LOGIN, "{typed}");
        let anywhere: i64 = conn
            .query_row(
                "SELECT count(*) FROM audit_log WHERE instr(actor || coalesce(after, ''), ?1) > 0",
                [typed],
                |r| r.get(0),
            )
            .expect("searched");
        assert_eq!(anywhere, 0, "{typed} is nowhere in the log");
    }
    // A mistyped login is still logged as typed: the administrator sees who was tried.
    for typed in ["admn", "pw001", "zhangsan", "李四"] {
        sign_in(conn, typed, "x").expect_err("no such login");
        let actor: String = conn
            .query_row("SELECT actor FROM audit_log WHERE kind = '登录失败' ORDER BY id DESC LIMIT 1", [], |r| {
                r.get(0)
            })
            .expect("logged");
        assert_eq!(actor, format!("登录名“{typed}”"));
    }
}
