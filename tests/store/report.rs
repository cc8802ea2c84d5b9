//! The year-end assessment workbook, read back with calamine and checked against the store:
//! the demo's city figures (78 / 2319 / 30 / 196.5 / 222.9), every unit's rates, the July
//! sheet against its own SQL, masked identities, the threshold setting, the contest guard,
//! cancelling, and the command line.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Range, Reader as _, open_workbook_auto};
use chrono::{NaiveDate, NaiveDateTime};
use volunteer_desk::demo::load_demo;
use volunteer_desk::domain::Minutes;
use volunteer_desk::io::report::{
    ExportProgress, HEADER_ROW, SHEET_ACTIVITIES, SHEET_CHARTS, SHEET_CONTEST, SHEET_JULY, SHEET_SUMMARY, SHEET_TEAMS,
    SHEET_VOLUNTEERS, SUMMARY_HEADER_ROW, write_report,
};
use volunteer_desk::store::report::{DEFAULT_THRESHOLD, set_threshold, threshold, year_report};
use volunteer_desk::store::{self, Store};

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-29 09:00", "%Y-%m-%d %H:%M").expect("time")
}

fn today() -> NaiveDate {
    now().date()
}

fn demo(dir: &Path) -> Store {
    let mut store = store::open(&dir.join("demo.sqlite3")).expect("open");
    load_demo(&mut store, now()).expect("demo");
    store
}

fn export(store: &Store, dir: &Path) -> PathBuf {
    let path = dir.join("2017年度考核统计表.xlsx");
    write_report(store.conn(), store.actor(), 2017, &path, today(), &ExportProgress::new()).expect("report");
    path
}

fn sheet(path: &Path, name: &str) -> Range<Data> {
    let mut book = open_workbook_auto(path).expect("workbook");
    book.worksheet_range(name).expect(name)
}

fn text(range: &Range<Data>, row: u32, col: u32) -> String {
    range.get_value((row, col)).map(|d| d.to_string()).unwrap_or_default()
}

fn number(range: &Range<Data>, row: u32, col: u32) -> f64 {
    match range.get_value((row, col)) {
        Some(Data::Float(f)) => *f,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("no number at ({row}, {col}): {other:?}"),
    }
}

/// Hours as their one-decimal cell shows them.
fn shown(hours: f64) -> String {
    format!("{hours:.1}")
}

/// What an hours cell holds: the minutes ÷ 60, unrounded.
fn hours(m: Minutes) -> f64 {
    m.0 as f64 / 60.0
}

/// The row whose column `col` reads `label`.
fn row_of(range: &Range<Data>, col: u32, label: &str) -> u32 {
    (0..range.end().map_or(0, |e| e.0 + 1)).find(|&r| text(range, r, col) == label).expect(label)
}

fn sql_i64(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).expect(sql)
}

#[test]
fn the_summary_sheet_states_the_newspapers_figures_and_sums_to_them() {
    let dir = tempfile::tempdir().expect("dir");
    let store = demo(dir.path());
    let path = export(&store, dir.path());
    let book = open_workbook_auto(&path).expect("workbook");
    assert_eq!(
        book.sheet_names(),
        [SHEET_SUMMARY, SHEET_TEAMS, SHEET_ACTIVITIES, SHEET_VOLUNTEERS, SHEET_JULY, SHEET_CONTEST, SHEET_CHARTS],
        "the demo's contest has its sheet"
    );

    let summary = sheet(&path, SHEET_SUMMARY);
    assert_eq!(text(&summary, 0, 0), "2017年度机关党员志愿服务考核统计表");
    assert_eq!(
        text(&summary, 1, 0),
        "填报单位：市直机关工委　　统计日期：2026年11月29日　　时数单位：小时　　年度达标时数：20.0 小时"
    );
    assert!(text(&summary, 2, 0).contains(
        "注册的党员志愿服务队达 78 支，注册人数 2319 人，组织活动 30 次，服务信用时数 196.5 小时，荣誉时数 222.9 小时"
    ));
    // The city's figures as numbers, under their labels.
    let city: Vec<f64> = [1, 4, 7, 10, 13, 16].iter().map(|&c| number(&summary, 4, c)).collect();
    assert_eq!(city[..3], [78.0, 2319.0, 30.0]);
    assert_eq!(city[3..].iter().map(|&d| shown(d)).collect::<Vec<_>>(), ["196.5", "222.9", "419.4"]);

    let h = SUMMARY_HEADER_ROW;
    let headers: Vec<String> = (0..20).map(|c| text(&summary, h, c)).collect();
    assert_eq!(&headers[..6], ["排名", "单位", "队伍数", "党员总数", "注册人数", "注册率"]);
    assert_eq!(&headers[12..15], ["信用时数", "荣誉时数", "总时数"]);
    assert_eq!(&headers[18..], ["征集作品", "获奖作品"]);

    // 52 units, then the 合计 row, whose formulas' values are the city figures.
    let total = row_of(&summary, 1, "合计");
    assert_eq!(total, h + 53);
    assert_eq!(number(&summary, total, 2), 78.0);
    assert_eq!(number(&summary, total, 4), 2319.0);
    assert_eq!(number(&summary, total, 8), 30.0);
    assert_eq!(shown(number(&summary, total, 12)), "196.5");
    assert_eq!(shown(number(&summary, total, 13)), "222.9");
    assert_eq!(shown(number(&summary, total, 14)), "419.4");
    let party: i64 = sql_i64(&store, "SELECT sum(party_members) FROM unit");
    assert!((number(&summary, total, 5) - 2319.0 / party as f64).abs() < 1e-12);
    // The ratios divide by 注册人数 (E) the column they are the ratio of: 参与人数 (G), 总时数
    // (O, already in hours) and 达标人数 (Q).
    let mut book = open_workbook_auto(&path).expect("workbook");
    let formulas = book.worksheet_formula(SHEET_SUMMARY).expect("formulas");
    let r = total + 1;
    let formula = |col: u32| formulas.get_value((total, col)).cloned().unwrap_or_default();
    assert_eq!(formula(5), format!("IF(D{r}>0,E{r}/D{r},\"—\")"));
    assert_eq!(formula(7), format!("IF(E{r}>0,G{r}/E{r},\"—\")"));
    assert_eq!(formula(15), format!("IF(E{r}>0,O{r}/E{r},\"—\")"));
    assert_eq!(formula(17), format!("IF(E{r}>0,Q{r}/E{r},\"—\")"));
    assert_eq!(text(&summary, total + 1, 0), volunteer_desk::io::report::HOURS_NOTE);

    // Every unit's row against the store: rates, hours, and the ranking.
    let report = year_report(store.conn(), 2017).expect("report");
    assert_eq!(report.city, volunteer_desk::store::stats::year_stats(store.conn(), 2017).expect("stats"));
    let mut previous_per_head = f64::INFINITY;
    for row in h + 1..total {
        let name = text(&summary, row, 1);
        let unit = report.units.iter().find(|u| u.name == name).expect("unit");
        let registered = sql_i64(
            &store,
            &format!(
                "SELECT count(*) FROM volunteer WHERE unit_id = {} AND registered_on <= '2017-12-31' AND deleted_at IS NULL",
                unit.unit_id
            ),
        );
        assert_eq!(number(&summary, row, 3), unit.party_members as f64, "{name}");
        assert_eq!(number(&summary, row, 4), registered as f64, "{name}");
        assert!((number(&summary, row, 5) - registered as f64 / unit.party_members as f64).abs() < 1e-12, "{name}");
        let participants = unit.figures.participants as f64;
        assert_eq!(number(&summary, row, 6), participants);
        assert!((number(&summary, row, 7) - participants / registered as f64).abs() < 1e-12, "{name}");
        assert_eq!(number(&summary, row, 12), hours(unit.figures.hours.credit), "{name}");
        assert_eq!(number(&summary, row, 13), hours(unit.figures.hours.honor), "{name}");
        let per_head = number(&summary, row, 15);
        assert!(per_head <= previous_per_head, "ranked by hours per volunteer");
        previous_per_head = per_head;
    }
    assert_eq!(number(&summary, h + 1, 0), 1.0);
}

#[test]
fn the_july_sheet_matches_its_own_query() {
    let dir = tempfile::tempdir().expect("dir");
    let store = demo(dir.path());
    let path = export(&store, dir.path());
    let july = sheet(&path, SHEET_JULY);
    assert_eq!(text(&july, 0, 0), "2017年党员志愿服务活动月（7月）统计表");
    let headers: Vec<String> = (0..8).map(|c| text(&july, HEADER_ROW, c)).collect();
    assert_eq!(headers, ["单位", "集中服务", "分散服务", "活动次数", "参与人数", "信用时数", "荣誉时数", "总时数"]);
    let total = row_of(&july, 0, "合计");
    assert_eq!(total, HEADER_ROW + 53);

    let july_activities = sql_i64(
        &store,
        "SELECT count(*) FROM activity WHERE starts_at >= '2017-07-01' AND starts_at < '2017-08-01' AND cancelled_at IS NULL",
    );
    assert_eq!(july_activities, 12);
    assert_eq!(number(&july, total, 3), 12.0);
    let dispersed = sql_i64(
        &store,
        "SELECT count(*) FROM activity WHERE starts_at >= '2017-07-01' AND starts_at < '2017-08-01' AND mode = '分散'",
    );
    assert_eq!(number(&july, total, 2), dispersed as f64);
    let credit = Minutes(sql_i64(
        &store,
        "SELECT sum(s.credit_minutes) FROM credit_session s
         JOIN activity a ON a.id = s.activity_id WHERE a.starts_at >= '2017-07-01' AND a.starts_at < '2017-08-01'",
    ));
    let honor = Minutes(sql_i64(
        &store,
        "SELECT sum(minutes) FROM honor_grant WHERE service_date BETWEEN '2017-07-01' AND '2017-07-31'",
    ));
    assert_eq!(number(&july, total, 5), hours(credit));
    assert_eq!(number(&july, total, 6), hours(honor));
    let people = sql_i64(
        &store,
        "SELECT count(DISTINCT s.volunteer_id) FROM credit_session s JOIN activity a ON a.id = s.activity_id
         WHERE s.signed_out_at IS NOT NULL AND a.starts_at >= '2017-07-01' AND a.starts_at < '2017-08-01'",
    );
    assert_eq!(number(&july, total, 4), people as f64);

    // The 图表 sheet's tables: months and categories each add up to the year.
    let charts = sheet(&path, SHEET_CHARTS);
    let months: f64 = (HEADER_ROW + 1..HEADER_ROW + 13).map(|r| number(&charts, r, 1)).sum();
    assert_eq!(shown(months), "196.5");
    assert_eq!(number(&charts, HEADER_ROW + 7, 1), hours(credit), "July");
    let categories = row_of(&charts, 0, "服务类别");
    let honour: f64 =
        (categories + 1..).take_while(|&r| !text(&charts, r, 0).is_empty()).map(|r| number(&charts, r, 2)).sum();
    assert_eq!(shown(honour), "222.9");
    // Units are listed busiest first.
    assert!(number(&july, HEADER_ROW + 1, 3) >= number(&july, HEADER_ROW + 2, 3));
}

#[test]
fn teams_activities_and_volunteers_add_up_and_identities_are_masked() {
    let dir = tempfile::tempdir().expect("dir");
    let store = demo(dir.path());
    let path = export(&store, dir.path());

    let teams = sheet(&path, SHEET_TEAMS);
    assert_eq!(text(&teams, 0, 0), "2017年度党员志愿服务队考核统计表");
    let total = row_of(&teams, 0, "合计");
    assert_eq!(total, HEADER_ROW + 79, "78 teams");
    assert_eq!(text(&teams, HEADER_ROW + 1, 0), "ZD");
    // Every demo volunteer is in a team, so the teams' hours are the city's.
    assert_eq!(number(&teams, total, 4), 2319.0);
    assert_eq!(shown(number(&teams, total, 11)), "196.5");
    assert_eq!(shown(number(&teams, total, 12)), "222.9");

    let activities = sheet(&path, SHEET_ACTIVITIES);
    let total = row_of(&activities, 0, "合计");
    assert_eq!(total, HEADER_ROW + 31, "30 activities");
    let sessions = sql_i64(&store, "SELECT count(DISTINCT activity_id || '-' || volunteer_id) FROM credit_session");
    assert_eq!(number(&activities, total, 11), sessions as f64);
    let signups = sql_i64(&store, "SELECT count(*) FROM signup WHERE status = '已报名'");
    assert_eq!(number(&activities, total, 9), signups as f64);
    assert_eq!(shown(number(&activities, total, 12)), "196.5");
    assert_eq!(text(&activities, HEADER_ROW + 1, 0), "HD2017-001");

    let volunteers = sheet(&path, SHEET_VOLUNTEERS);
    let total = row_of(&volunteers, 1, "合计");
    assert_eq!(total, HEADER_ROW + 2320, "2319 volunteers");
    assert_eq!(shown(number(&volunteers, total, 8)), "196.5");
    assert_eq!(shown(number(&volunteers, total, 9)), "222.9");
    let volunteer: i64 =
        store.conn().query_row("SELECT id FROM volunteer WHERE code = 'ZY00001'", [], |r| r.get(0)).expect("ZY00001");
    let id = store.reveal_id_number(volunteer).expect("reveal");
    let phone = common::phone_on_record(store.conn(), volunteer);
    let first = row_of(&volunteers, 1, "ZY00001");
    assert_eq!(text(&volunteers, first, 6), format!("{}*****************", &id[..1]));
    assert_eq!(text(&volunteers, first, 7), format!("{}****{}", &phone[..3], &phone[7..]));
    for row in HEADER_ROW + 1..total {
        let shown_id = text(&volunteers, row, 6);
        assert!(shown_id.contains("****************"), "row {row}: {shown_id}");
    }
}

#[test]
fn the_threshold_is_a_setting_with_a_default_and_limits() {
    let dir = tempfile::tempdir().expect("dir");
    let store = demo(dir.path());
    let conn = store.conn();
    assert_eq!(threshold(conn).expect("threshold"), DEFAULT_THRESHOLD);
    assert_eq!(DEFAULT_THRESHOLD.to_string(), "20.0");

    let err = set_threshold(conn, Minutes(0)).expect_err("zero hours");
    assert_eq!(err.to_string(), "达标时数应在0.1至1000小时之间");
    let err = set_threshold(conn, Minutes(60_060)).expect_err("too many hours");
    assert_eq!(err.to_string(), "达标时数应在0.1至1000小时之间");
    let err = conn.execute("DELETE FROM report_settings", []).expect_err("delete");
    assert!(err.to_string().contains("报表设置不能删除"));

    set_threshold(conn, Minutes(120)).expect("two hours");
    assert_eq!(threshold(conn).expect("threshold"), Minutes(120));
    let report = year_report(conn, 2017).expect("report");
    let meeting = sql_i64(
        &store,
        "SELECT count(*) FROM volunteer v WHERE v.registered_on <= '2017-12-31' AND v.deleted_at IS NULL
           AND (SELECT coalesce(sum(s.credit_minutes), 0) FROM credit_session s
                WHERE s.volunteer_id = v.id)
             + (SELECT coalesce(sum(minutes), 0) FROM honor_grant g WHERE g.volunteer_id = v.id) >= 120",
    );
    assert!(meeting > 0);
    assert_eq!(report.total.meeting_threshold, meeting);
    let path = export(&store, dir.path());
    let summary = sheet(&path, SHEET_SUMMARY);
    let total = row_of(&summary, 1, "合计");
    assert_eq!(number(&summary, total, 16), meeting as f64);
    assert!((number(&summary, total, 17) - meeting as f64 / 2319.0).abs() < 1e-12);
}

#[test]
fn contest_works_and_awards_are_counted_from_the_contest() {
    use volunteer_desk::domain::contest::Category;
    use volunteer_desk::domain::contest::awards::Award;
    use volunteer_desk::store::Actor;
    use volunteer_desk::store::contest::{final_round, rounds, tally};

    let dir = tempfile::tempdir().expect("dir");
    let mut store = demo(dir.path());
    // The demo's stories to their awards: the tie band admitted whole, one expert's scores.
    let admin = Actor::command_line();
    let conn = store.conn();
    rounds::close_initial(conn, &admin, Category::Story).expect("close");
    if !tally::shortlist_status(conn, &admin, Category::Story).expect("status").is_resolved() {
        tally::admit_tie_band(conn, &admin, Category::Story, "并列作品全部入围").expect("admit");
    }
    tally::confirm_shortlist(conn, &admin, Category::Story).expect("confirm");
    final_round::open_final(conn, &admin, Category::Story).expect("open final");
    let (account, name): (i64, String) = conn
        .query_row("SELECT account_id, name FROM contest_judge WHERE role = '终审专家' ORDER BY id", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("expert");
    let expert = Actor { account_id: Some(account), name, role: volunteer_desk::domain::access::Role::Expert };
    store.act_as(expert.clone()).expect("expert");
    let sheet_works = final_round::my_score_sheet(store.conn(), &expert, Category::Story).expect("sheet").works;
    let scores: Vec<(i64, u8)> = sheet_works.iter().enumerate().map(|(i, w)| (w.work_id, 100 - i as u8)).collect();
    final_round::save_scores(store.conn(), &expert, Category::Story, &scores).expect("scores");
    final_round::submit_scores(store.conn(), &expert, Category::Story).expect("submit");
    store.act_as(admin.clone()).expect("admin");
    let conn = store.conn();
    final_round::close_final(conn, &admin, Category::Story).expect("close final");
    let awards: Vec<Award> = scores
        .iter()
        .take(15)
        .enumerate()
        .map(|(i, (w, _))| Award {
            work_id: *w,
            tier: match i {
                0..=1 => 1,
                2..=6 => 2,
                _ => 3,
            },
        })
        .collect();
    final_round::set_awards(conn, &admin, Category::Story, &awards).expect("awards");

    let path = export(&store, dir.path());
    let contest = sheet(&path, SHEET_CONTEST);
    assert_eq!(text(&contest, 0, 0), "2017年度「好家风·好家训」征集评选统计表");
    let total = row_of(&contest, 0, "合计");
    let totals: Vec<f64> = (1..8).map(|c| number(&contest, total, c)).collect();
    assert_eq!(totals, [1225.0, 276.0, 1501.0, 2.0, 5.0, 8.0, 15.0], "every work submitted in 2017, every award");
    let unit = "市委办公室";
    let works = sql_i64(
        &store,
        "SELECT count(*) FROM contest_work w JOIN unit u ON u.id = w.unit_id WHERE u.name = '市委办公室'",
    );
    let row = row_of(&contest, 0, unit);
    assert_eq!(number(&contest, row, 3), works as f64);
    let summary = sheet(&path, SHEET_SUMMARY);
    let total = row_of(&summary, 1, "合计");
    assert_eq!((number(&summary, total, 18), number(&summary, total, 19)), (1501.0, 15.0));
}

#[test]
fn a_cancelled_export_writes_nothing_and_keeps_the_old_file() {
    let dir = tempfile::tempdir().expect("dir");
    let store = demo(dir.path());
    let path = dir.path().join("考核.xlsx");
    std::fs::write(&path, b"old").expect("old file");
    let progress = ExportProgress::new();
    progress.cancel();
    let err = write_report(store.conn(), store.actor(), 2017, &path, today(), &progress).expect_err("cancelled");
    assert_eq!(err.to_string(), "已取消导出，未保存文件");
    assert_eq!(std::fs::read(&path).expect("old file"), b"old");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".part")), "no half-written file: {names:?}");
}

#[test]
fn an_empty_year_still_makes_a_workbook_with_dashes_for_rates() {
    let dir = tempfile::tempdir().expect("dir");
    let store = demo(dir.path());
    let path = dir.path().join("2030.xlsx");
    write_report(store.conn(), store.actor(), 2030, &path, today(), &ExportProgress::new()).expect("report");
    let summary = sheet(&path, SHEET_SUMMARY);
    let total = row_of(&summary, 1, "合计");
    assert_eq!(number(&summary, total, 8), 0.0);
    assert_eq!(number(&summary, total, 12), 0.0);
    // Everyone registered by 2017 is still registered in 2030; nobody took part.
    assert_eq!(number(&summary, total, 4), 2319.0);
    assert_eq!(number(&summary, total, 7), 0.0);
    let err = write_report(store.conn(), store.actor(), 0, &path, today(), &ExportProgress::new()).expect_err("year 0");
    assert_eq!(err.to_string(), "年份 0 不正确");
}

#[test]
fn the_command_line_writes_the_workbook() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("cli.sqlite3");
    let desk = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_volunteer-desk")).arg("--db").arg(&db).args(args).output().expect("run")
    };
    assert!(desk(&["demo"]).status.success());
    let out = dir.path().join("考核.xlsx");
    let made = desk(&["report", "--year", "2017", "--out", out.to_str().expect("utf8")]);
    assert_eq!(made.status.code(), Some(0), "{}", String::from_utf8_lossy(&made.stderr));
    assert!(String::from_utf8_lossy(&made.stdout).contains("已生成 2017 年度考核统计表"));
    let summary = sheet(&out, SHEET_SUMMARY);
    assert_eq!(number(&summary, 4, 1), 78.0);
    let logged = volunteer_desk::store::audit::latest_of_kind(store::open(&db).expect("open").conn(), "导出")
        .expect("log")
        .expect("the export is logged, as from the window");
    assert_eq!(logged.object, "2017年度考核统计表");

    assert_eq!(desk(&["report", "--year", "2017"]).status.code(), Some(2), "--out is required");
    let refused =
        desk(&["report", "--year", "2017", "--out", dir.path().join("无此目录/x.xlsx").to_str().expect("utf8")]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).starts_with("错误："));
}

/// One unit's year with the cases that decide what counts: a correction, a cancelled activity,
/// next year's activity and volunteer, a volunteer in the recycle bin with hours, a team
/// dissolved mid-year, and a volunteer who moved teams (hours stay where they were earned).
#[test]
fn the_report_agrees_with_stats_and_keeps_hours_with_the_team_they_were_earned_in() {
    use volunteer_desk::domain::TeamKind;
    use volunteer_desk::store::activities::cancel_activity;
    use volunteer_desk::store::attendance::{NewHonorGrant, NewSession, correct_session, grant_honor, record_session};
    use volunteer_desk::store::stats::year_stats;
    use volunteer_desk::store::teams::{dissolve_team, insert_team};
    use volunteer_desk::store::volunteers::set_in_recycle_bin;

    let org = common::org("市水利局", 10, "ZD-21", "水利局支队");
    let conn = org.store.conn();
    let river = insert_team(
        conn,
        &common::team(org.unit, "ZD-21-1", "巡河护水队", TeamKind::Specialised, Some(org.detachment)),
    )
    .expect("team");
    let dissolved = insert_team(
        conn,
        &common::team(org.unit, "ZD-21-2", "临时服务队", TeamKind::Specialised, Some(org.detachment)),
    )
    .expect("team");
    let a = org.volunteer(org.detachment, "ZY001", "张三", "33038119800101121", "13800000001");
    let b = org.volunteer(org.detachment, "ZY002", "李四", "33038119800201121", "13800000002");
    let at = |t: &str| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").expect("time");
    let session = |activity: i64, volunteer: i64, from: &str, to: &str| {
        let s = NewSession {
            activity_id: activity,
            volunteer_id: volunteer,
            signed_in_at: at(from),
            signed_out_at: Some(at(to)),
            recorded_by: "管理员".into(),
        };
        record_session(conn, &s, now()).expect("session")
    };
    let march = org.activity(org.detachment, "HD1", "2017-03-01 09:00", "2017-03-01 12:00", None);
    let first = session(march, a, "2017-03-01 09:00", "2017-03-01 12:00");
    session(march, b, "2017-03-01 09:00", "2017-03-01 11:00");
    correct_session(conn, first, Minutes(-30), "提前离开", &common::operator("管理员"), now()).expect("correction");
    let cancelled = org.activity(org.detachment, "HD2", "2017-07-02 09:00", "2017-07-02 12:00", None);
    session(cancelled, a, "2017-07-02 09:00", "2017-07-02 12:00");
    cancel_activity(conn, cancelled, "暴雨", now()).expect("cancel");
    let next_year = org.activity(org.detachment, "HD3", "2018-01-05 09:00", "2018-01-05 12:00", None);
    session(next_year, a, "2018-01-05 09:00", "2018-01-05 12:00");
    let grant = |volunteer: i64, date: &str, minutes: i64| {
        let g = NewHonorGrant {
            volunteer_id: volunteer,
            minutes: Minutes(minutes),
            service_date: NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("date"),
            reason: "补录".into(),
            activity_id: None,
            granted_by: "管理员".into(),
        };
        grant_honor(conn, &g, now()).expect("grant")
    };
    grant(b, "2017-05-01", 90);
    // 张三 moves to the river team (today, 2026): his 2017 hours stay with the 支队.
    conn.execute("UPDATE volunteer SET team_id = ?1 WHERE id = ?2", [river, a]).expect("move");
    set_in_recycle_bin(conn, b, true).expect("bin");
    dissolve_team(conn, dissolved, NaiveDate::from_ymd_opt(2017, 6, 1).expect("date")).expect("dissolve");

    let report = year_report(conn, 2017).expect("report");
    let stats = year_stats(conn, 2017).expect("stats");
    assert_eq!(report.city, stats);
    assert_eq!((stats.teams, stats.volunteers, stats.activities), (3, 1, 1), "总队, 支队, 巡河护水队; 张三; HD1");
    assert_eq!((stats.credit, stats.honor), (Minutes(150 + 120), Minutes(90)));

    let team = |code: &str| report.teams.iter().find(|t| t.code == code).expect(code);
    assert_eq!(team("ZD-21").figures.hours.credit, Minutes(270), "earned in the 支队 in 2017");
    assert_eq!(team("ZD-21").figures.hours.honor, Minutes(90));
    assert_eq!(team("ZD-21").figures.registered, 1, "张三 at the end of 2017; 李四 is in the recycle bin");
    assert_eq!(team("ZD-21-1").figures.hours.total(), Minutes(0));
    assert!(report.teams.iter().all(|t| t.code != "ZD-21-2"), "dissolved before the year ended");
    let unit = &report.units[0];
    assert_eq!((unit.figures.registered, unit.figures.participants), (1, 1));
    assert_eq!(report.volunteers.len(), 2, "李四 is listed for the hours she earned");
    assert_eq!(report.activities.len(), 1);
    assert_eq!(report.activities[0].attended, 2);
    assert_eq!(report.months[2].credit, Minutes(270));
    assert_eq!(report.months[4].honor, Minutes(90));
}

/// 72, 120 and 114 minutes are 1.2, 2.0 and 1.9 hours, unrounded in their cells (so a clerk's
/// own formulas give hours); the 合计 is a SUM over them, and the note under the table says
/// how one-decimal rows and total may differ.
#[test]
fn hours_are_unrounded_hours_under_a_sum_and_the_rounding_note() {
    use volunteer_desk::store::attendance::{NewSession, record_session};

    let org = common::org("市水利局", 10, "ZD-21", "水利局支队");
    let conn = org.store.conn();
    let activity = org.activity(org.detachment, "HD1", "2017-03-01 08:00", "2017-03-01 12:00", None);
    let at = |t: &str| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").expect("time");
    let people = [("ZY001", "张三", "09:12"), ("ZY002", "李四", "10:00"), ("ZY003", "王五", "09:54")];
    for (n, (code, name, out)) in people.into_iter().enumerate() {
        let id = org.volunteer(org.detachment, code, name, &format!("33038119800101{n}21"), &format!("1380000000{n}"));
        let s = NewSession {
            activity_id: activity,
            volunteer_id: id,
            signed_in_at: at("2017-03-01 08:00"),
            signed_out_at: Some(at(&format!("2017-03-01 {out}"))),
            recorded_by: "管理员".into(),
        };
        record_session(conn, &s, now()).expect("session");
    }
    let dir = tempfile::tempdir().expect("dir");
    let path = export(&org.store, dir.path());
    let volunteers = sheet(&path, SHEET_VOLUNTEERS);
    let total = row_of(&volunteers, 1, "合计");
    let rows: Vec<f64> = (HEADER_ROW + 1..total).map(|r| number(&volunteers, r, 8)).collect();
    assert_eq!(rows, [72.0 / 60.0, 2.0, 114.0 / 60.0]);
    assert_eq!(rows.iter().map(|&h| shown(h)).collect::<Vec<_>>(), ["1.2", "2.0", "1.9"]);
    assert_eq!(shown(number(&volunteers, total, 8)), "5.1");
    assert_eq!(text(&volunteers, total + 1, 0), volunteer_desk::io::report::HOURS_NOTE);
    let mut book = open_workbook_auto(&path).expect("workbook");
    let formulas = book.worksheet_formula(SHEET_VOLUNTEERS).expect("formulas");
    assert_eq!(formulas.get_value((total, 8)).map(String::as_str), Some("SUM(I4:I6)"));
}
