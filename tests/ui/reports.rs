//! The 报表 tab driven through egui_kittest on the demo year: its figures, a unit's detail,
//! the threshold setting, the export on a worker thread, and a 志愿服务证明.

use crate::Settle as _;
use crate::common;
use crate::type_into;

use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDateTime;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use volunteer_desk::demo::load_demo;
use volunteer_desk::domain::Minutes;
use volunteer_desk::store::{self, report::threshold};
use volunteer_desk::ui::dialogs::FileDialogs;
use volunteer_desk::ui::{App, Tab, fonts, strings as s};

/// Answers every save dialog with a file in the test's folder named as suggested.
struct SaveInto(PathBuf);

impl FileDialogs for SaveInto {
    fn open_workbook(&self) -> Option<PathBuf> {
        None
    }
    fn save_workbook(&self, file_name: &str) -> Option<PathBuf> {
        Some(self.0.join(file_name))
    }
    fn open_photo(&self) -> Option<PathBuf> {
        None
    }
}

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-29 09:00", "%Y-%m-%d %H:%M").expect("time")
}

fn harness(dir: &tempfile::TempDir) -> Harness<'static, App> {
    let mut store = store::open(&dir.path().join("demo.sqlite3")).expect("open");
    load_demo(&mut store, now()).expect("demo");
    let folder = dir.path().to_path_buf();
    let mut harness = crate::settled(
        Harness::builder().with_size([1500.0, 1000.0]).with_context_setup(fonts::install).build_eframe(move |_cc| {
            let mut app = common::signed_in_app(store).with_dialogs(Box::new(SaveInto(folder)));
            app.set_clock(now());
            app.show_tab(Tab::Reports);
            app
        }),
    );
    // The report is read on a worker thread: step until it is shown.
    harness.run_steps(2);
    wait_idle(&mut harness);
    harness
}

/// Steps the window until the background work is done.
fn wait_idle(harness: &mut Harness<'static, App>) {
    for _ in 0..1500 {
        if !harness.state().is_busy() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.run_steps(3);
}

#[test]
fn the_dashboard_shows_the_demo_years_figures_and_a_units_detail() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = harness(&dir);
    harness.get_by_label("2017年全年概况");
    for (value, caption) in [
        ("78", "注册队伍（支）"),
        ("2319", "注册人数（人）"),
        ("30", "组织活动（次）"),
        ("196.5", "服务信用时数（小时）"),
        ("222.9", "荣誉时数（小时）"),
    ] {
        harness.get_by_label(caption);
        assert!(harness.get_all_by_label(value).next().is_some(), "{value} on the dashboard");
    }
    harness.get_by_label(s::CHART_BY_MONTH);
    harness.get_by_label(s::CHART_BY_UNIT);
    harness.get_by_label(s::CHART_BY_CATEGORY);
    // Every demo unit averages below 20 hours a volunteer.
    harness.get_by_label("人均服务时数低于 20.0 小时的单位 52 个（共 52 个）；点击单位查看详情。");

    // The list is below the charts: scroll to the unit, then click it.
    harness.get_by_role_and_label(Role::Link, "市财政局").scroll_to_me();
    harness.settle();
    harness.get_by_role_and_label(Role::Link, "市财政局").click();
    harness.settle();
    harness.get_by_label("市财政局 2017年度详情");
    harness.get_by_label("市财政局党员志愿服务支队");
}

#[test]
fn the_threshold_is_edited_on_the_dashboard() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = harness(&dir);
    type_into(&mut harness, s::THRESHOLD, "两小时");
    harness.get_by_label(s::SAVE_THRESHOLD).click();
    harness.settle();
    harness.get_by_label("请填写时数，如 20 或 12.5");
    assert_eq!(threshold(harness.state().store().conn()).expect("threshold"), Minutes(1200));

    type_into(&mut harness, s::THRESHOLD, "0");
    harness.get_by_label(s::SAVE_THRESHOLD).click();
    harness.settle();
    harness.get_by_label("达标时数应在0.1至1000小时之间");

    type_into(&mut harness, s::THRESHOLD, "1.5");
    harness.get_by_label(s::SAVE_THRESHOLD).click();
    harness.settle();
    wait_idle(&mut harness);
    assert_eq!(threshold(harness.state().store().conn()).expect("threshold"), Minutes(90));
    harness.get_by_label("年度达标时数已设为 1.5 小时");
    harness.get_by_label_contains("人均服务时数低于 1.5 小时的单位");
}

#[test]
fn the_export_runs_in_the_background_and_writes_the_workbook() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = harness(&dir);
    harness.get_by_label(s::EXPORT_REPORT).click();
    harness.run_steps(2);
    wait_idle(&mut harness);
    let path = dir.path().join("2017年度机关党员志愿服务考核统计表.xlsx");
    harness.get_by_label(&format!("已导出考核统计表（52 个单位、2319 名志愿者）到 {}", path.display()));
    use calamine::Reader as _;
    let mut book = calamine::open_workbook_auto(&path).expect("workbook");
    let summary = book.worksheet_range("汇总").expect("汇总");
    assert_eq!(summary.get_value((4, 1)), Some(&calamine::Data::Float(78.0)));
}

#[test]
fn a_certificate_is_issued_from_the_dashboard_and_reprinted_by_serial() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = harness(&dir);
    harness.get_by_label(s::CERTIFICATE).click();
    harness.settle();
    type_into(&mut harness, s::CERTIFICATE_VOLUNTEER, "ZY99999");
    harness.get_by_label(s::ISSUE_CERTIFICATE).click();
    harness.settle();
    harness.get_by_label("没有找到“ZY99999”：姓名、拼音首字母、手机尾号或编号");

    let (code, name): (String, String) = harness
        .state()
        .store()
        .conn()
        .query_row(
            "SELECT v.code, v.name FROM volunteer v JOIN credit_session s ON s.volunteer_id = v.id ORDER BY v.code LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a volunteer who served");
    type_into(&mut harness, s::CERTIFICATE_VOLUNTEER, &code);
    harness.get_by_label(s::ISSUE_CERTIFICATE).click();
    harness.settle();
    let path = dir.path().join(format!("志愿服务证明_{name}.xlsx"));
    harness.get_by_label(&format!("已出具志愿服务证明 ZM2026-00001，保存到 {}", path.display()));
    assert!(path.exists());

    harness.get_by_label(s::CERTIFICATE).click();
    harness.settle();
    type_into(&mut harness, s::CERTIFICATE_SERIAL, "ZM2026-00001");
    harness.get_by_label(s::REPRINT).click();
    harness.settle();
    assert!(dir.path().join("志愿服务证明_ZM2026-00001（补打）.xlsx").exists());
    let issued: i64 = harness
        .state()
        .store()
        .conn()
        .query_row("SELECT count(*) FROM certificate", [], |r| r.get(0))
        .expect("register");
    assert_eq!(issued, 1, "a reprint takes no new serial");
}

#[test]
fn the_certificate_serial_hint_is_of_the_year_it_is_issued_in() {
    let dir = tempfile::tempdir().expect("dir");
    let mut harness = harness(&dir);
    harness.get_by_label(s::CERTIFICATE).click();
    harness.settle();
    // 2017 is in view, 2026 on the clock: serials are numbered by the year of issue.
    harness.get_by(|node| node.placeholder() == Some("ZM2026-00001"));
    assert!(harness.query_by(|node| node.placeholder() == Some("ZM2017-00001")).is_none());
}
