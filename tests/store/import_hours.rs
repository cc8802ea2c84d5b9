//! Importing 活动, 签到记录 and 荣誉时数 (formats.md; issues 4 and 5): rows that name volunteers,
//! teams and activities of the same workbook and of the database land in the ledger; the
//! ledger's rules refuse a bad workbook cell by cell and write nothing; a second import of the
//! same workbook changes nothing.

use crate::common;

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use common::workbook::{SheetData, V, s, units_and_teams, write_workbook};
use volunteer_desk::domain::identity::id_check_char;
use volunteer_desk::domain::{Minutes, ServiceMode};
use volunteer_desk::io::import::{ImportPlan, Progress, SheetCounts, apply, preview_as_of};
use volunteer_desk::store::activities::{NewActivity, cancel_activity, insert_activity, service_categories};
use volunteer_desk::store::attendance::{NewSession, record_session};
use volunteer_desk::store::ledger::{LedgerEntry, LedgerOf, ledger, totals};
use volunteer_desk::store::stats::year_stats;
use volunteer_desk::store::teams::team_id_by_code;
use volunteer_desk::store::volunteers::list_volunteers;
use volunteer_desk::{Error, store};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).expect("date")
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d).and_then(|d| d.and_hms_opt(h, min, 0)).expect("time")
}

fn id(first17: &str) -> String {
    format!("{first17}{}", id_check_char(first17.as_bytes()).expect("17 digits"))
}

fn zhang_id() -> String {
    id("33038119900101123")
}

fn li_id() -> String {
    id("33038119851231004")
}

fn wang_id() -> String {
    id("33030219780615002")
}

fn temp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("desk.sqlite3");
    (dir, db)
}

fn plan_for(store: &store::Store, workbook: &Path) -> ImportPlan {
    preview_as_of(store, workbook, today(), &Progress::new()).expect("preview")
}

fn import(store: &mut store::Store, workbook: &Path) -> ImportPlan {
    let plan = plan_for(store, workbook);
    assert!(plan.is_ok(), "{:#?}", error_lines(&plan));
    apply(store, &plan, &Progress::new()).expect("apply");
    plan
}

fn error_lines(plan: &ImportPlan) -> Vec<String> {
    plan.errors().iter().map(ToString::to_string).collect()
}

fn counts(sheet: &'static str, new: usize, unchanged: usize, errors: usize) -> SheetCounts {
    SheetCounts { sheet, new, unchanged, errors }
}

/// The database before the hours arrive: two units, the 总队 and the 财政局's 支队, 张三
/// (ZY00001), an activity HD-DB on 10 June 2017 where 张三 served 09:00–11:00, and a
/// cancelled activity HD-CANCEL.
fn registry(dir: &Path, store: &mut store::Store) {
    let workbook = dir.join("名册.xlsx");
    write_workbook(
        &workbook,
        units_and_teams()
            .into_iter()
            .chain([SheetData {
                name: "志愿者",
                headers: &["志愿者编号", "姓名", "身份证号", "手机号", "所属单位", "服务队编号", "注册日期"],
                rows: vec![vec![
                    s("ZY00001"),
                    s("张三"),
                    s(zhang_id()),
                    s("13857781234"),
                    s("市财政局"),
                    s("ZD-CZJ"),
                    V::D(2017, 1, 1),
                ]],
            }])
            .collect(),
    );
    import(store, &workbook);

    let conn = store.conn();
    let team_id = team_id_by_code(conn, "ZD-CZJ").expect("query").expect("team");
    let activity = |code: &str, day: u32| NewActivity {
        code: code.to_string(),
        name: format!("活动{code}"),
        team_id,
        category: "文明创建".to_string(),
        mode: ServiceMode::Concentrated,
        starts_at: at(2017, 6, day, 9, 0),
        ends_at: at(2017, 6, day, 12, 0),
        place: String::new(),
        content: String::new(),
        leader: String::new(),
        capacity: None,
        recruit_from: None,
        recruit_until: None,
        contact_phone: String::new(),
    };
    let on_record = insert_activity(conn, &activity("HD-DB", 10)).expect("activity");
    let zhang = list_volunteers(conn).expect("list").into_iter().find(|v| v.name == "张三").expect("张三").id;
    let session = NewSession {
        activity_id: on_record,
        volunteer_id: zhang,
        signed_in_at: at(2017, 6, 10, 9, 0),
        signed_out_at: Some(at(2017, 6, 10, 11, 0)),
        recorded_by: "管理员".to_string(),
    };
    record_session(conn, &session, at(2017, 6, 10, 12, 0)).expect("session");
    let cancelled = insert_activity(conn, &activity("HD-CANCEL", 11)).expect("activity");
    cancel_activity(conn, cancelled, "暴雨", at(2017, 6, 9, 18, 0)).expect("cancel");
}

const ACTIVITY_HEADERS: &[&str] =
    &["活动编号", "活动名称", "组织队伍编号", "服务类别", "服务方式", "开始时间", "结束时间", "招募人数", "招募截止"];
const SESSION_HEADERS: &[&str] = &["活动编号", "志愿者编号", "身份证号", "签到时间", "签退时间"];
const GRANT_HEADERS: &[&str] = &["志愿者编号", "身份证号", "时数", "服务日期", "事由", "活动编号", "批准人"];

/// New volunteers 李四 (ZY00100) and 王五 (no 编号), a new team, two new activities (one by a
/// team of the database, one by the new team, in a category not yet listed), sessions naming
/// people by 编号 or 身份证号 at new and recorded activities (one back to back with 张三's
/// recorded session, one still open), and two grants (one at the cap of an activity).
fn good_workbook(path: &Path) {
    write_workbook(
        path,
        vec![
            SheetData {
                name: "服务队",
                headers: &["队伍编号", "队伍名称", "类型", "上级编号", "所属单位", "负责人", "负责人电话"],
                rows: vec![vec![
                    s("ZD-CZJ-XJ"),
                    s("财政局宣讲队"),
                    s("专业服务队"),
                    s("ZD-CZJ"),
                    s("市财政局"),
                    s("赵六"),
                    s("13600000001"),
                ]],
            },
            SheetData {
                name: "志愿者",
                headers: &["志愿者编号", "姓名", "身份证号", "手机号", "所属单位", "注册日期"],
                rows: vec![
                    vec![s("ZY00100"), s("李四"), s(li_id()), s("13957781234"), s("市财政局"), V::D(2017, 6, 1)],
                    vec![V::E, s("王五"), s(wang_id()), s("13957780000"), s("市直机关工委"), V::D(2017, 6, 1)],
                ],
            },
            SheetData {
                name: "活动",
                headers: ACTIVITY_HEADERS,
                rows: vec![
                    vec![
                        s("HD2017-001"),
                        s("七一文明创建"),
                        s("ZD-CZJ"),
                        s("文明创建"),
                        s("集中服务"),
                        V::T(2017, 7, 1, 8, 0),
                        V::T(2017, 7, 1, 11, 0),
                        V::N(20.0),
                        V::T(2017, 6, 30, 18, 0),
                    ],
                    vec![
                        s("HD2017-002"),
                        s("垃圾分类入户宣传"),
                        s("ZD-CZJ-XJ"),
                        s("垃圾分类宣传"),
                        s("分散"),
                        s("2017/7/2 14:00"),
                        s("2017-07-02 17:00"),
                        V::E,
                        V::E,
                    ],
                ],
            },
            SheetData {
                name: "签到记录",
                headers: SESSION_HEADERS,
                rows: vec![
                    vec![s("HD2017-001"), s("ZY00001"), V::E, V::T(2017, 7, 1, 8, 30), V::T(2017, 7, 1, 10, 30)],
                    vec![s("HD2017-001"), s("ZY00100"), V::E, V::T(2017, 7, 1, 7, 50), V::T(2017, 7, 1, 11, 10)],
                    vec![s("HD2017-002"), V::E, s(wang_id()), V::T(2017, 7, 2, 14, 0), V::T(2017, 7, 2, 16, 0)],
                    vec![s("HD-DB"), V::E, s(zhang_id()), V::T(2017, 6, 10, 11, 0), V::T(2017, 6, 10, 12, 0)],
                    vec![s("HD2017-002"), s("ZY00100"), s(li_id()), V::T(2017, 7, 2, 14, 0), V::E],
                ],
            },
            SheetData {
                name: "荣誉时数",
                headers: GRANT_HEADERS,
                rows: vec![
                    vec![s("ZY00001"), V::E, V::N(1.0), V::D(2017, 7, 1), s("补录"), s("HD2017-001"), s("陈立新")],
                    vec![V::E, s(wang_id()), s("2.5"), s("2016-05-01"), s("系统启用前的服务"), V::E, s("陈立新")],
                ],
            },
        ],
    );
}

fn volunteer_id(store: &store::Store, name: &str) -> i64 {
    list_volunteers(store.conn()).expect("list").into_iter().find(|v| v.name == name).expect(name).id
}

fn ledger_of(store: &store::Store, name: &str) -> Vec<LedgerEntry> {
    ledger(store.conn(), LedgerOf::Volunteer(volunteer_id(store, name))).expect("ledger")
}

#[test]
fn activities_sessions_and_grants_land_in_the_ledger() {
    let (dir, db) = temp();
    let mut store = store::open(&db).expect("open");
    registry(dir.path(), &mut store);
    let workbook = dir.path().join("时数.xlsx");
    good_workbook(&workbook);

    let plan = import(&mut store, &workbook);
    assert_eq!(
        plan.counts(),
        [
            counts("服务队", 1, 0, 0),
            counts("志愿者", 2, 0, 0),
            counts("活动", 2, 0, 0),
            counts("签到记录", 5, 0, 0),
            counts("荣誉时数", 2, 0, 0),
        ]
    );

    // 张三: 120 recorded, 120 at HD2017-001, 60 back to back at HD-DB; 60 honour (the cap:
    // 180 minutes less the 120 earned there in the same file).
    assert_eq!(totals(&ledger_of(&store, "张三")), (Minutes(300), Minutes(60)));
    // 李四: 07:50–11:10 clipped to 08:00–11:00; the open session earns nothing yet.
    let li = ledger_of(&store, "李四");
    assert_eq!(totals(&li), (Minutes(180), Minutes(0)));
    assert_eq!(li.iter().filter(|e| e.open).count(), 1);
    // 王五, named by 身份证号 only and given a 编号 by the import.
    let wang = ledger_of(&store, "王五");
    assert_eq!(totals(&wang), (Minutes(120), Minutes(150)));
    assert!(wang.iter().all(|e| e.recorded_at.starts_with("2026-11-29 23:59")), "recorded at the import");

    let conn = store.conn();
    let (team, category, mode, published): (String, String, String, Option<String>) = conn
        .query_row(
            "SELECT t.code, a.category, a.mode, a.published_at FROM activity a JOIN team t ON t.id = a.team_id
             WHERE a.code = 'HD2017-002'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("activity");
    assert_eq!((team.as_str(), category.as_str(), mode.as_str()), ("ZD-CZJ-XJ", "垃圾分类宣传", "分散"));
    assert_eq!(published, None, "publishing stays a decision of the staff");
    assert!(service_categories(conn).expect("categories").contains(&"垃圾分类宣传".to_string()));
    let (capacity, until): (Option<i64>, Option<String>) = conn
        .query_row("SELECT capacity, recruit_until FROM activity WHERE code = 'HD2017-001'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("activity");
    assert_eq!((capacity, until.as_deref()), (Some(20), Some("2017-06-30 18:00")));

    let year = year_stats(conn, 2017).expect("stats");
    assert_eq!(year.activities, 3, "HD-DB and the two imported; the cancelled one does not count");
    assert_eq!(year.credit, Minutes(600));
    assert_eq!(year.honor, Minutes(60), "王五's grant is dated 2016");
}

#[test]
fn importing_the_hours_twice_changes_nothing() {
    let (dir, db) = temp();
    let mut store = store::open(&db).expect("open");
    registry(dir.path(), &mut store);
    let workbook = dir.path().join("时数.xlsx");
    good_workbook(&workbook);
    import(&mut store, &workbook);
    let before = store.counts().expect("counts");
    let ledgers: Vec<_> = ["张三", "李四", "王五"].map(|n| ledger_of(&store, n)).into();

    let again = import(&mut store, &workbook);
    assert_eq!(
        again.counts(),
        [
            counts("服务队", 0, 1, 0),
            counts("志愿者", 0, 2, 0),
            counts("活动", 0, 2, 0),
            counts("签到记录", 0, 5, 0),
            counts("荣誉时数", 0, 2, 0),
        ]
    );
    assert_eq!(store.counts().expect("counts"), before);
    let after: Vec<_> = ["张三", "李四", "王五"].map(|n| ledger_of(&store, n)).into();
    assert_eq!(after, ledgers);

    // The same session with another sign-out, the same grant by another approver, and the
    // same activity at another time contradict the database.
    let conflicting = dir.path().join("改动.xlsx");
    write_workbook(
        &conflicting,
        vec![
            SheetData {
                name: "活动",
                headers: ACTIVITY_HEADERS,
                rows: vec![vec![
                    s("HD2017-001"),
                    s("七一文明创建"),
                    s("ZD-CZJ"),
                    s("文明创建"),
                    s("集中"),
                    V::T(2017, 7, 1, 8, 0),
                    V::T(2017, 7, 1, 12, 0),
                    V::E,
                    V::E,
                ]],
            },
            SheetData {
                name: "签到记录",
                headers: SESSION_HEADERS,
                rows: vec![vec![s("HD2017-001"), s("ZY00001"), V::E, V::T(2017, 7, 1, 8, 30), V::T(2017, 7, 1, 11, 0)]],
            },
            SheetData {
                name: "荣誉时数",
                headers: GRANT_HEADERS,
                rows: vec![vec![V::E, s(wang_id()), s("2.5"), s("2016-05-01"), s("系统启用前的服务"), V::E, s("王芳")]],
            },
        ],
    );
    assert_eq!(
        error_lines(&plan_for(&store, &conflicting)),
        [
            "活动 第2行 结束时间: 与数据库中已有记录不一致（数据库中为“2017-07-01 11:00”，本表为“2017-07-01 12:00”）",
            "签到记录 第2行 签退时间: 与数据库中已有记录不一致（数据库中为“2017-07-01 10:30”，本表为“2017-07-01 11:00”）",
            "荣誉时数 第2行 批准人: 与数据库中已有记录不一致（数据库中为“陈立新”，本表为“王芳”）",
        ]
    );
}

/// One bad cell a row: an activity ending before it starts; a reversed session, two
/// overlapping sessions of 张三 in the file, an unknown 活动编号, a session overlapping one
/// on record, a sign-in in the future, a session at a cancelled activity; a grant over the
/// cap of an activity, hours with two decimals, a grant without a reason.
fn bad_workbook(path: &Path) {
    let session = |activity: &str, from: V, to: V| vec![s(activity), s("ZY00001"), V::E, from, to];
    write_workbook(
        path,
        vec![
            SheetData {
                name: "活动",
                headers: ACTIVITY_HEADERS,
                rows: vec![vec![
                    s("HD-BAD"),
                    s("倒着的活动"),
                    s("ZD-CZJ"),
                    s("文明创建"),
                    s("集中"),
                    V::T(2017, 8, 1, 10, 0),
                    V::T(2017, 8, 1, 9, 0),
                    V::E,
                    V::E,
                ]],
            },
            SheetData {
                name: "签到记录",
                headers: SESSION_HEADERS,
                rows: vec![
                    session("HD-DB", V::T(2017, 6, 10, 12, 0), V::T(2017, 6, 10, 11, 30)),
                    session("HD-DB", V::T(2017, 6, 10, 11, 0), V::T(2017, 6, 10, 12, 0)),
                    session("HD-DB", V::T(2017, 6, 10, 11, 30), V::T(2017, 6, 10, 12, 0)),
                    session("HD-NONE", V::T(2017, 6, 12, 9, 0), V::T(2017, 6, 12, 10, 0)),
                    session("HD-DB", V::T(2017, 6, 10, 10, 0), V::T(2017, 6, 10, 10, 30)),
                    session("HD-DB", V::T(2027, 1, 1, 8, 0), V::E),
                    session("HD-CANCEL", V::T(2017, 6, 11, 9, 0), V::T(2017, 6, 11, 10, 0)),
                ],
            },
            SheetData {
                name: "荣誉时数",
                headers: GRANT_HEADERS,
                rows: vec![
                    vec![s("ZY00001"), V::E, V::N(0.5), V::D(2017, 6, 10), s("补录"), s("HD-DB"), s("陈立新")],
                    vec![V::E, s(zhang_id()), s("1.25"), V::D(2017, 6, 12), s("补录"), V::E, s("陈立新")],
                    vec![s("ZY00001"), V::E, V::N(2.0), V::D(2017, 6, 13), V::E, V::E, s("陈立新")],
                ],
            },
        ],
    );
}

#[test]
fn a_bad_hours_workbook_is_refused_cell_by_cell_and_writes_nothing() {
    let (dir, db) = temp();
    let mut store = store::open(&db).expect("open");
    registry(dir.path(), &mut store);
    let before = store.counts().expect("counts");
    let zhang_before = ledger_of(&store, "张三");

    let workbook = dir.path().join("错误.xlsx");
    bad_workbook(&workbook);
    let plan = plan_for(&store, &workbook);
    let lines = error_lines(&plan);
    let expected_prefixes = [
        "活动 第2行 结束时间: 结束时间须晚于开始时间（2017-08-01 10:00）",
        "签到记录 第2行 签退时间: 签退时间须晚于签到时间（2017-06-10 12:00）",
        "签到记录 第4行 签到时间: 与第3行的签到记录（2017-06-10 11:00 – 12:00）时间重叠",
        "签到记录 第5行 活动编号: 活动“HD-NONE”不存在",
        "签到记录 第6行 签到时间: 与系统中已有的签到记录（活动 HD-DB，2017-06-10 09:00 – 11:00）时间重叠",
        "签到记录 第7行 签到时间: 签到时间 2027-01-01 08:00 晚于当前时间",
        "签到记录 第8行 活动编号: 活动“HD-CANCEL”已取消，不能签到",
        // 180 minutes less 120 on record and 60 in row 3 of 签到记录.
        "荣誉时数 第2行 时数: 荣誉时数 0.5 小时超过该活动可补录的上限 0.0 小时",
        "荣誉时数 第3行 时数: “1.25”不是有效的时数",
        "荣誉时数 第4行 事由: 必填，不能为空",
    ];
    assert_eq!(lines.len(), expected_prefixes.len(), "one message per bad cell: {lines:#?}");
    for (line, prefix) in lines.iter().zip(expected_prefixes) {
        assert!(line.starts_with(prefix), "{line}\n  should start with\n{prefix}");
    }
    assert_eq!(
        plan.counts(),
        [counts("活动", 0, 0, 1), counts("签到记录", 1, 0, 6), counts("荣誉时数", 0, 0, 3)],
        "row 3 of 签到记录 is good"
    );

    let refused = apply(&mut store, &plan, &Progress::new()).expect_err("refused");
    let Error::Rejected(message) = &refused else { panic!("{refused:?}") };
    assert!(lines.iter().all(|line| message.contains(line.as_str())));
    assert_eq!(store.counts().expect("counts"), before);
    assert_eq!(ledger_of(&store, "张三"), zhang_before, "no session or grant written");
}

#[test]
fn a_clerk_cannot_import_honour_hours_and_nothing_of_the_workbook_is_written() {
    use volunteer_desk::domain::access::Role;
    use volunteer_desk::store::accounts::{NewAccount, create_account, sign_in};
    let (dir, db) = temp();
    let mut store = store::open(&db).expect("open");
    registry(dir.path(), &mut store);
    let clerk = NewAccount {
        login: "luru".into(),
        display_name: "李录入".into(),
        role: Role::Clerk,
        unit_id: None,
        password: "clerk-pass".into(),
    };
    create_account(store.conn(), &clerk).expect("clerk");
    let signed_in = sign_in(store.conn(), "luru", "clerk-pass").expect("sign in");
    store.act_as(signed_in.actor).expect("act");
    let workbook = dir.path().join("时数.xlsx");
    good_workbook(&workbook);
    let before = store.counts().expect("counts");

    let plan = plan_for(&store, &workbook);
    assert!(plan.is_ok(), "{:#?}", error_lines(&plan));
    let err = apply(&mut store, &plan, &Progress::new()).expect_err("clerk");
    assert!(err.to_string().contains("录入员账号无权修改“荣誉时数”"), "{err}");
    assert_eq!(store.counts().expect("counts"), before, "the activities and sessions of the file were not kept");
}
