//! 电子选票 from the 家风家训 tab: the administrator exports a sealed workbook per judge into
//! one folder and takes the returned ones back, the summary shown in a dialog.

use crate::Settle as _;
use crate::common;
use crate::common::workbook::{read_all, save_filled};

use std::path::PathBuf;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use volunteer_desk::domain::contest::{Category, CategoryRules};
use volunteer_desk::store::contest::judges::{JudgeOrganisation, JudgeRole, NewJudge, add_judge};
use volunteer_desk::store::contest::rounds::open_initial;
use volunteer_desk::store::contest::set_rules;
use volunteer_desk::store::contest::works::add_work;
use volunteer_desk::store::units::{NewUnit, insert_unit};
use volunteer_desk::store::{self, Actor};
use volunteer_desk::ui::dialogs::FileDialogs;
use volunteer_desk::ui::{App, fonts, strings as s};

/// Saves into `选票` (the folder the ballots go to) and opens a file of `交回`.
struct Folders {
    out: PathBuf,
    returned: PathBuf,
}

impl FileDialogs for Folders {
    fn open_workbook(&self) -> Option<PathBuf> {
        Some(self.returned.clone())
    }
    fn save_workbook(&self, _file_name: &str) -> Option<PathBuf> {
        Some(self.out.with_extension("xlsx"))
    }
    fn open_photo(&self) -> Option<PathBuf> {
        None
    }
}

fn click(harness: &mut Harness<'static, App>, label: &str) {
    harness.get_by_label(label).click();
    harness.settle();
}

/// Two units, a motto each, a judge of each (陈评委 of 市财政局 sees only JX0002), quota 1,
/// the initial round open; the window signed in with ballots saved into `选票` and returned
/// ones picked from `交回`.
fn contest_window(dir: &std::path::Path) -> (PathBuf, Harness<'static, App>) {
    let path = dir.join("contest.sqlite3");
    {
        let store = store::open(&path).expect("open");
        let conn = store.conn();
        let admin = Actor::command_line();
        let units = ["市财政局", "市教育局"]
            .map(|name| insert_unit(conn, &NewUnit { name: name.into(), party_members: 9 }).expect("unit"));
        let rules = CategoryRules { shortlist: 1, ballot_quota: 1, ..Category::Motto.default_rules() };
        set_rules(conn, &admin, Category::Motto, &rules).expect("rules");
        for (i, content) in ["勤俭持家久，诗书继世长", "清清白白做人，干干净净做事"].iter().enumerate()
        {
            let work = common::work(Category::Motto, units[i], content, "2017-06-01");
            add_work(conn, &admin, &work).expect("work");
        }
        for (name, unit) in [("陈评委", units[0]), ("林评委", units[1])] {
            let judge = NewJudge {
                name: name.into(),
                organisation: JudgeOrganisation::Unit(unit),
                title: String::new(),
                role: JudgeRole::Initial,
            };
            add_judge(conn, &admin, &judge).expect("judge");
        }
        open_initial(conn, &admin, Category::Motto).expect("open");
    }
    let out = dir.join("选票");
    let back = dir.join("交回");
    std::fs::create_dir(&back).expect("dir");
    let dialogs = Folders { out: out.clone(), returned: back.join("家风家训初评选票_陈评委.xlsx") };
    let app = common::signed_in_app(store::open(&path).expect("open")).with_dialogs(Box::new(dialogs));
    let harness = crate::settled(
        Harness::builder().with_size([1400.0, 900.0]).with_context_setup(fonts::install).build_eframe(|_cc| app),
    );
    (path, harness)
}

#[test]
fn ballots_go_out_to_a_folder_and_come_back_with_a_summary() {
    let dir = tempfile::tempdir().expect("dir");
    let (_, mut harness) = contest_window(dir.path());
    let (out, back) = (dir.path().join("选票"), dir.path().join("交回"));
    click(&mut harness, s::TAB_CONTEST);
    click(&mut harness, s::CONTEST_ROUNDS);
    click(&mut harness, "电子选票");
    click(&mut harness, "导出选票");
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["家风家训初评选票_林评委.xlsx", "家风家训初评选票_陈评委.xlsx"]);
    harness.get_by_label_contains("已生成 2 份电子选票");

    // The ballot exactly as it went out: no mark, so the clerk is asked; confirmed, it is still
    // refused, as nobody filled it in.
    let returned = back.join("家风家训初评选票_陈评委.xlsx");
    std::fs::copy(out.join("家风家训初评选票_陈评委.xlsx"), &returned).expect("copy");
    click(&mut harness, "收回选票");
    harness.get_by_label("确认弃权");
    harness.get_by_label("以下 1 份电子选票未选任何作品：");
    click(&mut harness, "作为弃权收回");
    harness.get_by_label("电子选票收回情况");
    harness.get_by_label_contains("：未经填写：");
    harness.get_by_label("家风家训初评：已收 0 / 应收 2，其中作废 0 张");
    click(&mut harness, s::CLOSE);

    // 陈评委 opened it, ticked nothing and saved it: an abstention, once confirmed.
    save_filled(&read_all(&out.join("家风家训初评选票_陈评委.xlsx")), &[], str::to_string, &returned);
    click(&mut harness, "收回选票");
    harness.get_by_label("确认弃权");
    click(&mut harness, "作为弃权收回");
    harness.get_by_label("电子选票收回情况");
    harness.get_by_label("家风家训初评：已收 1 / 应收 2，其中作废 0 张");
    harness.get_by_label("家风家训尚未交回（1 人）：林评委");
    click(&mut harness, s::CLOSE);
    assert!(harness.query_by_label("电子选票收回情况").is_none());
}

#[test]
fn a_ballot_taken_in_shows_its_receipt_to_copy_and_again_from_the_list() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, mut harness) = contest_window(dir.path());
    let (out, back) = (dir.path().join("选票"), dir.path().join("交回"));
    click(&mut harness, s::TAB_CONTEST);
    click(&mut harness, s::CONTEST_ROUNDS);
    click(&mut harness, "电子选票");
    click(&mut harness, "导出选票");
    let returned = back.join("家风家训初评选票_陈评委.xlsx");
    save_filled(
        &read_all(&out.join("家风家训初评选票_陈评委.xlsx")),
        &["JX0002".to_string()],
        str::to_string,
        &returned,
    );
    let sha: String = {
        use sha2::Digest as _;
        sha2::Sha256::digest(std::fs::read(&returned).expect("file")).iter().map(|b| format!("{b:02x}")).collect()
    };

    // Taken in: the summary, then the receipt with the code counted and the file's hash.
    click(&mut harness, "收回选票");
    harness.get_by_label("电子选票收回情况");
    harness.get_by_label("家风家训初评：已收 1 / 应收 2，其中作废 0 张");
    harness.get_by_label("评委：陈评委");
    harness.get_by_label("计为同意的作品（1 件）：JX0002");
    harness.get_by_label(&format!("文件 SHA-256：{sha}"));
    click(&mut harness, "复制");
    harness.get_by_label("已复制，可粘贴到发给评委的消息中");
    click(&mut harness, s::CLOSE);

    // Again from the round's list of returned ballots, logged.
    click(&mut harness, "已收回的电子选票（1 份）");
    click(&mut harness, "回执");
    harness.get_by_label("计为同意的作品（1 件）：JX0002");
    harness.get_by_label("文件：“家风家训初评选票_陈评委.xlsx”");
    click(&mut harness, s::CLOSE);
    assert!(harness.query_by_label("计为同意的作品（1 件）：JX0002").is_none());
    let store = store::open(&path).expect("open");
    let shown: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM audit_log WHERE kind = '查看电子选票回执'", [], |r| r.get(0))
        .expect("log");
    assert_eq!(shown, 1);
}
