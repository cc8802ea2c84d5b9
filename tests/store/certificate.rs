//! 志愿服务证明: issued under the next serial of the register with the ledger's hours by
//! category, refused when there is nothing true to certify, never edited, reprinted with the
//! same serial and figures, and written as a one-page sheet with the ID masked.

use calamine::{Data, Reader as _, open_workbook_auto};
use chrono::{NaiveDate, NaiveDateTime};
use volunteer_desk::demo::load_demo;
use volunteer_desk::domain::Minutes;
use volunteer_desk::io::certificate::{CONTENT_HEADER_ROW, SHEET_NAME, write_certificate};
use volunteer_desk::store::attendance::correct_session;
use volunteer_desk::store::certificates::{
    CertificateRequest, certificate, certificates_of, default_issuing_unit, issue_certificate,
};
use volunteer_desk::store::volunteers::set_in_recycle_bin;
use volunteer_desk::store::{self, Store};

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-29 09:00", "%Y-%m-%d %H:%M").expect("time")
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
}

fn demo(dir: &std::path::Path) -> Store {
    let mut store = store::open(&dir.join("demo.sqlite3")).expect("open");
    load_demo(&mut store, now()).expect("demo");
    store
}

/// A demo volunteer with both credit and honour hours in 2017.
fn volunteer_with_both(store: &Store) -> i64 {
    store
        .conn()
        .query_row(
            "SELECT s.volunteer_id FROM credit_session s JOIN honor_grant g ON g.volunteer_id = s.volunteer_id
             ORDER BY s.volunteer_id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("a volunteer with both kinds of hours")
}

fn request(volunteer_id: i64, from: &str, to: &str) -> CertificateRequest {
    CertificateRequest {
        volunteer_id,
        from: day(from),
        to: day(to),
        issuing_unit: "市直机关党员志愿服务总队".into(),
        issued_by: "陈立新".into(),
    }
}

fn minutes(store: &Store, sql: &str, id: i64) -> Minutes {
    Minutes(store.conn().query_row(sql, [id], |r| r.get(0)).expect(sql))
}

#[test]
fn issues_numbered_certificates_with_the_ledgers_hours_and_reprints_them_unchanged() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = demo(dir.path());
    let id = volunteer_with_both(&store);
    assert_eq!(default_issuing_unit(store.conn()).expect("unit"), "市直机关党员志愿服务总队");

    let first = issue_certificate(&mut store, &request(id, "2017-01-01", "2017-12-31"), now()).expect("issue");
    assert_eq!(first.serial, "ZM2026-00001");
    let credit = minutes(&store, "SELECT sum(credit_minutes) FROM credit_session WHERE volunteer_id = ?1", id);
    let honor = minutes(&store, "SELECT sum(minutes) FROM honor_grant WHERE volunteer_id = ?1", id);
    assert_eq!((first.hours.credit, first.hours.honor), (credit, honor));
    let by_lines: Minutes = first.lines.iter().map(|l| l.hours.total()).sum();
    assert_eq!(by_lines, credit + honor, "the content lines add up to the hours");
    assert!(first.lines.iter().all(|l| l.activities >= 1 || l.category.starts_with("其他")));
    assert_eq!(first.issued_at, "2026-11-29 09:00");
    let unit: String = store
        .conn()
        .query_row("SELECT u.name FROM volunteer v JOIN unit u ON u.id = v.unit_id WHERE v.id = ?1", [id], |r| r.get(0))
        .expect("unit");
    assert_eq!(first.volunteer.unit_name, unit);

    let second = issue_certificate(&mut store, &request(id, "2017-07-01", "2017-07-31"), now()).expect("issue");
    assert_eq!(second.serial, "ZM2026-00002");
    assert_eq!(
        certificates_of(store.conn(), id).expect("register"),
        [
            ("ZM2026-00002".to_string(), "2026-11-29 09:00".to_string()),
            ("ZM2026-00001".into(), "2026-11-29 09:00".into())
        ]
    );

    // A later correction of the ledger does not change what was certified.
    let session: i64 = store
        .conn()
        .query_row("SELECT id FROM credit_session WHERE volunteer_id = ?1 LIMIT 1", [id], |r| r.get(0))
        .expect("session");
    correct_session(store.conn(), session, Minutes(-6), "签退时间登记有误", &crate::common::operator("陈立新"), now())
        .expect("correction");
    assert_eq!(certificate(store.conn(), "ZM2026-00001").expect("reprint"), first);
    let third = issue_certificate(&mut store, &request(id, "2017-01-01", "2017-12-31"), now()).expect("issue");
    assert_eq!(third.hours.credit, Minutes(credit.0 - 6), "a new certificate sees the correction");
}

#[test]
fn refuses_what_cannot_be_certified_and_keeps_the_register_unedited() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = demo(dir.path());
    let id = volunteer_with_both(&store);
    let refusal = |store: &mut Store, r: CertificateRequest| {
        issue_certificate(store, &r, now()).expect_err("refused").to_string()
    };

    assert_eq!(refusal(&mut store, request(id, "2017-12-31", "2017-01-01")), "证明期间的结束日期不能早于开始日期");
    assert_eq!(
        refusal(&mut store, request(id, "2026-01-01", "2026-12-31")),
        "证明期间不能晚于今天：尚未发生的服务不能证明"
    );
    assert_eq!(
        refusal(&mut store, request(id, "2015-01-01", "2015-12-31")),
        "该志愿者在此期间没有服务时数（2015-01-01 至 2015-12-31），不能出具证明"
    );
    assert_eq!(refusal(&mut store, request(999_999, "2017-01-01", "2017-12-31")), "志愿者不存在");
    set_in_recycle_bin(store.conn(), id, true).expect("to bin");
    assert_eq!(refusal(&mut store, request(id, "2017-01-01", "2017-12-31")), "该志愿者在回收站中，请先恢复再出具证明");
    set_in_recycle_bin(store.conn(), id, false).expect("restore");
    let mut nameless = request(id, "2017-01-01", "2017-12-31");
    nameless.issued_by = " ".into();
    assert_eq!(refusal(&mut store, nameless), "证明须注明经办人");
    let count =
        |s: &Store| -> i64 { s.conn().query_row("SELECT count(*) FROM certificate", [], |r| r.get(0)).expect("count") };
    assert_eq!(count(&store), 0, "nothing registered by a refusal");

    let issued = issue_certificate(&mut store, &request(id, "2017-01-01", "2017-12-31"), now()).expect("issue");
    let conn = store.conn();
    let err = conn.execute("UPDATE certificate SET credit_minutes = 6000", []).expect_err("edit");
    assert!(err.to_string().contains("一经出具不能修改"), "{err}");
    let err = conn.execute("DELETE FROM certificate", []).expect_err("delete");
    assert!(err.to_string().contains("不能删除"), "{err}");
    let err = conn.execute("UPDATE certificate_line SET credit_minutes = 6000", []).expect_err("edit line");
    assert!(err.to_string().contains("一经出具不能修改"), "{err}");
    issue_certificate(&mut store, &request(id, "2017-07-01", "2017-07-31"), now()).expect("second");
    let err = store
        .conn()
        .execute(
            "INSERT INTO certificate_line VALUES ((SELECT id FROM certificate WHERE serial = ?1), 99, '文明创建', 1, 600, 0)",
            [&issued.serial],
        )
        .expect_err("a line added to an earlier certificate");
    assert!(err.to_string().contains("一经出具不能修改"), "{err}");
    assert_eq!(
        certificate(store.conn(), "ZM2026-09999").expect_err("unknown").to_string(),
        "证明编号 ZM2026-09999 不在登记簿中"
    );
}

#[test]
fn the_printed_certificate_masks_the_id_and_states_the_hours() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = demo(dir.path());
    let id = volunteer_with_both(&store);
    let issued = issue_certificate(&mut store, &request(id, "2017-01-01", "2017-12-31"), now()).expect("issue");
    let path = dir.path().join("证明.xlsx");
    write_certificate(store.conn(), store.actor(), &path, &issued, true).expect("write");
    let logged = volunteer_desk::store::audit::latest_of_kind(store.conn(), "导出").expect("log").expect("logged");
    assert_eq!(logged.object, format!("志愿服务证明 {}（补打）", issued.serial), "the writer logs its own export");

    let mut book = open_workbook_auto(&path).expect("workbook");
    let sheet = book.worksheet_range(SHEET_NAME).expect("sheet");
    let cells: Vec<String> = sheet.used_cells().map(|(_, _, d)| d.to_string()).collect();
    let all = cells.join("|");
    assert!(all.contains("志愿服务证明"));
    assert!(all.contains("编号：ZM2026-00001（补打）"));
    let full_id = store.reveal_id_number(id).expect("reveal");
    assert!(!all.contains(full_id.as_str()), "the full ID number is never printed");
    assert!(all.contains(&format!("{}*****************", &full_id[..1])), "{all}");
    assert!(all.contains("出具单位（盖章）：市直机关党员志愿服务总队"));
    assert!(all.contains("出具日期：2026年11月29日"));
    assert!(all.contains(&issued.hours.total().in_words()), "exact hours and minutes: {all}");
    let header: Vec<String> =
        (0..6).map(|c| sheet.get_value((CONTENT_HEADER_ROW, c)).map(|d| d.to_string()).unwrap_or_default()).collect();
    assert_eq!(header, ["序号", "服务类别", "参加活动（次）", "信用时数", "荣誉时数", "合计时数"]);
    let total_row = CONTENT_HEADER_ROW + 1 + issued.lines.len() as u32;
    match sheet.get_value((total_row, 5)) {
        Some(Data::Float(hours)) => {
            assert_eq!(*hours, issued.hours.total().0 as f64 / 60.0, "a number of hours, unrounded")
        }
        other => panic!("total hours: {other:?}"),
    }
    assert!(all.contains(volunteer_desk::io::report::HOURS_NOTE.trim_start_matches("注：")), "{all}");
}
