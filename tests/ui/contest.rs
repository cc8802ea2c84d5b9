//! The 家风家训 tab driven through egui_kittest: a judge logs in through the real gate, ticks
//! works with the count left in view, submits once and never sees an author or a unit; the
//! administrator opens the round, sees who has handed in but no count, closes it and only
//! then sees the tally, the tie at the cut-off and the shortlist confirmed.

use crate::Settle as _;
use crate::common;
use crate::type_into;

use std::path::{Path, PathBuf};

use egui::accesskit::Role as A11y;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use volunteer_desk::domain::access::Role;
use volunteer_desk::domain::contest::{Category, CategoryRules, RoundState};
use volunteer_desk::store::accounts::sign_in;
use volunteer_desk::store::accounts::{NewAccount, create_account};
use volunteer_desk::store::contest::ballots::{my_ballot, save_draft, submit_ballot};
use volunteer_desk::store::contest::final_round::open_final;
use volunteer_desk::store::contest::judges::{JudgeOrganisation, JudgeRole, NewJudge, add_judge, issue_login_slips};
use volunteer_desk::store::contest::rounds::rounds;
use volunteer_desk::store::contest::rounds::{close_initial, open_initial};
use volunteer_desk::store::contest::tally::{admit_tie_band, confirm_shortlist, shortlist};
use volunteer_desk::store::contest::works::{NewWork, WorkFilter, add_work, list_works};
use volunteer_desk::store::contest::{set_rules, state};
use volunteer_desk::store::units::{NewUnit, insert_unit, list_units};
use volunteer_desk::store::{self, Actor};
use volunteer_desk::ui::dialogs::FileDialogs;
use volunteer_desk::ui::{App, Tab, fonts, strings as s};

const UNITS: [&str; 3] = ["城南街道党工委", "市住房和城乡建设局", "市文化广电旅游局"];
/// Unit of each work (index into `UNITS`), its author and its text.
const WORKS: [(usize, &str, &str); 5] = [
    (0, "欧阳修远", "勤俭持家久，诗书继世长"),
    (0, "上官婉清", "孝敬父母如敬天，和睦邻里胜千金"),
    (1, "司马正德", "清清白白做人，干干净净做事"),
    (1, "诸葛春晖", "家有良训子孙贤，心存善念福自来"),
    (2, "东方明月", "读书明理修身正，勤劳节俭家业兴"),
];
const NEW_PASSWORD: &str = "judge-new-pass";

struct Contest {
    _dir: tempfile::TempDir,
    path: PathBuf,
    codes: Vec<String>,
    works: Vec<i64>,
    /// Judges of units 0 and 1: (login, one-time password).
    judges: Vec<(String, String)>,
}

/// Three units, five mottos, two judges with their slips; ballots of at most two works.
fn contest() -> Contest {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("contest.sqlite3");
    let store = store::open(&path).expect("open");
    let conn = store.conn();
    let admin = Actor::command_line();
    let units = UNITS.map(|name| insert_unit(conn, &NewUnit { name: name.into(), party_members: 40 }).expect("unit"));
    let rules = CategoryRules { shortlist: 2, ballot_quota: 2, ..Category::Motto.default_rules() };
    set_rules(conn, &admin, Category::Motto, &rules).expect("rules");
    let (mut works, mut codes) = (Vec::new(), Vec::new());
    for (i, (unit, author, content)) in WORKS.iter().enumerate() {
        let work = NewWork {
            code: None,
            category: Category::Motto,
            title: String::new(),
            content: (*content).into(),
            author: (*author).into(),
            author_phone: "13857700123".into(),
            unit_id: units[*unit],
            submitted_on: common::date(&format!("2017-06-{:02}", i + 1)),
        };
        let (id, code) = add_work(conn, &admin, &work).expect("work");
        works.push(id);
        codes.push(code);
    }
    let mut judges = Vec::new();
    for (name, unit) in [("陈评委", units[0]), ("林评委", units[1])] {
        let judge = NewJudge {
            name: name.into(),
            organisation: JudgeOrganisation::Unit(unit),
            title: "机关党委专职副书记".into(),
            role: JudgeRole::Initial,
        };
        let id = add_judge(conn, &admin, &judge).expect("judge");
        let slip = issue_login_slips(conn, &admin, &[id]).expect("slip").remove(0);
        judges.push((slip.login, slip.password));
    }
    Contest { _dir: dir, path, codes, works, judges }
}

/// Saves every workbook as `out.xlsx` in the test's folder; opens nothing.
struct SaveInto(PathBuf);

impl FileDialogs for SaveInto {
    fn open_workbook(&self) -> Option<PathBuf> {
        None
    }
    fn save_workbook(&self, _file_name: &str) -> Option<PathBuf> {
        Some(self.0.join("out.xlsx"))
    }
    fn open_photo(&self) -> Option<PathBuf> {
        None
    }
}

fn harness_with(app: App) -> Harness<'static, App> {
    crate::settled(
        Harness::builder().with_size([1400.0, 900.0]).with_context_setup(fonts::install).build_eframe(|_cc| app),
    )
}

fn click(harness: &mut Harness<'static, App>, label: &str) {
    harness.get_by_label(label).click();
    harness.settle();
}

/// Logs in with a slip's one-time password and sets a new one, as a judge does.
fn judge_logs_in(harness: &mut Harness<'static, App>, login: &str, password: &str) {
    type_into(harness, s::LOGIN_NAME, login);
    type_into(harness, s::PASSWORD, password);
    harness.get_by_role_and_label(A11y::Button, s::LOGIN).click();
    harness.settle();
    harness.get_by_label(s::MUST_CHANGE_PASSWORD_HINT);
    type_into(harness, s::CURRENT_PASSWORD, password);
    type_into(harness, s::NEW_PASSWORD, NEW_PASSWORD);
    type_into(harness, s::REPEAT_PASSWORD, NEW_PASSWORD);
    click(harness, s::SAVE);
    assert!(harness.state().is_open());
}

/// Fails naming the node if any label or value on screen contains one of `secrets`.
fn assert_nothing_shows(harness: &Harness<'static, App>, secrets: &[&str]) {
    for secret in secrets {
        let leaks: Vec<String> = harness
            .query_all_by(|node| {
                node.label().is_some_and(|l| l.contains(secret)) || node.value().is_some_and(|v| v.contains(secret))
            })
            .map(|node| {
                let node = node.accesskit_node();
                format!("{:?} {:?} {:?}", node.role(), node.label(), node.value())
            })
            .collect();
        assert!(leaks.is_empty(), "“{secret}” is on the judge's screen: {leaks:?}");
    }
}

/// Authors, their phones and every unit: nothing a judge may learn.
fn identities() -> Vec<&'static str> {
    WORKS.iter().map(|(_, author, _)| *author).chain(UNITS).chain(["13857700123", "5770"]).collect()
}

/// A judge's ballot through a second connection, as if cast at another desk.
fn vote(path: &Path, login: &str, password: &str, works: &[i64]) {
    let mut store = store::open(path).expect("open");
    let signed = sign_in(store.conn(), login, password).expect("sign in");
    store.act_as(signed.actor.clone()).expect("act as");
    save_draft(store.conn(), &signed.actor, Category::Motto, works).expect("draft");
    submit_ballot(store.conn(), &signed.actor, Category::Motto).expect("submit");
}

fn checkbox_disabled(harness: &Harness<'static, App>, code: &str) -> bool {
    harness.get_by_role_and_label(A11y::CheckBox, code).accesskit_node().is_disabled()
}

#[test]
fn a_judge_ticks_up_to_the_quota_submits_once_and_never_sees_an_author() {
    let c = contest();
    open_initial(store::open(&c.path).expect("open").conn(), &Actor::command_line(), Category::Motto).expect("open");
    let mut harness = harness_with(App::new(store::open(&c.path).expect("open"), None));
    let (login, password) = c.judges[0].clone();
    judge_logs_in(&mut harness, &login, &password);
    assert_eq!(harness.state().tab(), Tab::Contest);

    // The judge's own unit's works (the first two) are not on the ballot; the others are,
    // by code and text.
    harness.get_by_label("还可选 2 件");
    for code in &c.codes[..2] {
        assert!(harness.query_by_label(code).is_none(), "{code} is of the judge's own unit");
    }
    for (code, (_, _, content)) in c.codes.iter().zip(WORKS).skip(2) {
        harness.get_by_role_and_label(A11y::CheckBox, code);
        harness.get_by_label(content);
    }
    assert_nothing_shows(&harness, &identities());

    harness.get_by_role_and_label(A11y::CheckBox, &c.codes[2]).click();
    harness.settle();
    harness.get_by_label("还可选 1 件");
    harness.get_by_role_and_label(A11y::CheckBox, &c.codes[4]).click();
    harness.settle();
    harness.get_by_label("还可选 0 件");
    assert!(checkbox_disabled(&harness, &c.codes[3]), "a third work cannot be ticked");
    assert!(!checkbox_disabled(&harness, &c.codes[2]), "a tick can still be taken back");

    click(&mut harness, s::SUBMIT_BALLOT);
    harness.get_by_label("您选了 2 件作品（限选 2 件）。");
    click(&mut harness, s::CONFIRM_SUBMIT);
    harness.get_by_label_contains("您的选票已于");
    assert!(harness.query_by_label(s::SUBMIT_BALLOT).is_none());
    for code in &c.codes[2..] {
        assert!(checkbox_disabled(&harness, code), "{code} cannot change after submission");
    }
    harness.get_by_role_and_label(A11y::CheckBox, &c.codes[2]).click();
    harness.settle();
    harness.get_by_label("已选 2 件");
    assert_nothing_shows(&harness, &identities());

    // The store holds the ballot as submitted and refuses a change from any path.
    let mut store = store::open(&c.path).expect("open");
    let judge = sign_in(store.conn(), &login, NEW_PASSWORD).expect("new password").actor;
    store.act_as(judge.clone()).expect("act as");
    let ballot = my_ballot(store.conn(), &judge, Category::Motto).expect("ballot");
    assert!(ballot.submitted_at.is_some());
    let ticked: Vec<i64> = ballot.works.iter().filter(|w| w.ticked).map(|w| w.work_id).collect();
    assert_eq!(ticked, [c.works[2], c.works[4]]);
    let refused = save_draft(store.conn(), &judge, Category::Motto, &[c.works[3]]).expect_err("submitted");
    assert_eq!(refused.to_string(), "选票已提交，不能再修改");
}

#[test]
fn the_administrator_sees_who_handed_in_but_no_count_until_the_round_is_closed() {
    let c = contest();
    let folder = c.path.parent().expect("folder").to_path_buf();
    let app =
        common::signed_in_app(store::open(&c.path).expect("open")).with_dialogs(Box::new(SaveInto(folder.clone())));
    let mut harness = harness_with(app);
    click(&mut harness, s::TAB_CONTEST);
    click(&mut harness, s::CONTEST_ROUNDS);
    click(&mut harness, s::START_SCREENING);
    click(&mut harness, s::CONFIRM);
    harness.get_by_label("家风家训（查重）");
    click(&mut harness, s::OPEN_INITIAL);
    click(&mut harness, s::CONFIRM);
    harness.get_by_label("家风家训（初评进行中）");
    harness.get_by_label_contains("已交选票 0 / 2 人");

    let (a, b) = (&c.judges[0], &c.judges[1]);
    vote(&c.path, &a.0, &a.1, &[c.works[2], c.works[4]]);
    vote(&c.path, &b.0, &b.1, &[c.works[4], c.works[0]]);

    // Progress shows who handed in; the tally screen shows no work and no count.
    click(&mut harness, s::CONTEST_TALLY);
    harness.get_by_label_contains("已交选票 2 / 2 人");
    assert_eq!(harness.get_all_by_label("已提交").count(), 2);
    assert!(harness.query_by_label("得票").is_none(), "no tally while the round is open");
    for code in &c.codes {
        assert!(harness.query_by_label(code).is_none(), "{code} is listed while the round is open");
    }

    click(&mut harness, s::CONTEST_ROUNDS);
    click(&mut harness, s::CLOSE_INITIAL);
    click(&mut harness, s::CONFIRM);
    harness.get_by_label("家风家训（初评结束）");

    // Now the tally: the third work has both votes; the first and fifth tie for one place.
    click(&mut harness, s::CONTEST_TALLY);
    harness.get_by_label("得票");
    harness.get_by_label_contains("交票 2 张（其中废票 0 张）");
    harness.get_by_label_contains(&format!("（{}、{}），争剩余 1 个名额", c.codes[0], c.codes[2]));
    assert_eq!(harness.get_all_by_label("并列待定").count(), 2);
    harness.get_by_label("入围（初评）");

    // The record holds the tally with the hash of the ballots as they were at closing.
    click(&mut harness, s::EXPORT_RECORD);
    let hash = {
        let store = store::open(&c.path).expect("open");
        rounds(store.conn(), Category::Motto).expect("rounds").remove(0).ballots_hash.expect("hash")
    };
    let sheet = read_sheet(&folder.join("out.xlsx"), "初评计票");
    assert!(sheet.contains(&hash), "the tally sheet carries the ballots' hash");
    // Votes and shares are numbers (a share shown as a percentage), not text.
    assert!(sheet.contains(&format!("{}|2|2|1|入围", c.codes[4])), "{sheet}");
    let row = tally_row(&folder.join("out.xlsx"), "初评计票", &c.codes[4]);
    use calamine::Data;
    assert_eq!(row[1..4], [Data::Float(2.0), Data::Float(2.0), Data::Float(1.0)], "{row:?}");
    assert!(workbook_part(&folder.join("out.xlsx"), "xl/styles.xml").contains(r#"formatCode="0.0%""#));

    click(&mut harness, s::ADMIT_ALL);
    type_into(&mut harness, s::ADMIT_REASON, "两件作品得票相同，均质量较高，经评选办公室研究全部入围");
    click(&mut harness, s::CONFIRM_ADMIT);
    click(&mut harness, s::CONFIRM_SHORTLIST);
    click(&mut harness, s::CONFIRM);
    harness.get_by_label("入围名单已确定并冻结。");
    harness.get_by_label("家风家训（入围确定）");

    let store = store::open(&c.path).expect("open");
    assert_eq!(state(store.conn(), Category::Motto).expect("state"), RoundState::Shortlisted);
    let admitted: Vec<String> = shortlist(store.conn(), &Actor::command_line(), Category::Motto)
        .expect("shortlist")
        .into_iter()
        .map(|e| e.code)
        .collect();
    assert_eq!(admitted, [c.codes[4].clone(), c.codes[0].clone(), c.codes[2].clone()]);
}

/// Who wrote the demo's works and every unit, less any name that is also a word of a work's
/// text or the judge's own name (those are on screen for another reason).
fn demo_identities(path: &Path, judge_name: &str) -> Vec<String> {
    let store = store::open(path).expect("open");
    let admin = Actor::command_line();
    let works = list_works(store.conn(), &admin, &WorkFilter::default()).expect("works");
    let units = list_units(store.conn()).expect("units");
    let texts: String = works.iter().map(|w| format!("{}\n{}\n", w.title, w.content)).collect();
    let mut secrets: Vec<String> =
        works.iter().map(|w| w.author.clone()).chain(units.into_iter().map(|u| u.name)).collect();
    secrets.sort();
    secrets.dedup();
    secrets.retain(|s| !texts.contains(s.as_str()) && !judge_name.contains(s.as_str()));
    assert!(secrets.len() > 500, "enough names to look for: {}", secrets.len());
    secrets
}

#[test]
fn a_demo_judge_votes_through_the_login_gate_and_sees_no_author_or_unit() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("demo.sqlite3");
    let mut store = store::open(&path).expect("open");
    volunteer_desk::demo::load_demo(&mut store, common::at("2026-11-29 09:00")).expect("demo");
    let mut harness = harness_with(App::new(store, None));
    type_into(&mut harness, s::LOGIN_NAME, "pw001");
    type_into(&mut harness, s::PASSWORD, volunteer_desk::demo::DEMO_PASSWORD);
    harness.get_by_role_and_label(A11y::Button, s::LOGIN).click();
    harness.settle();
    assert!(harness.state().is_open());
    let judge_name = harness.state().store().actor().name.clone();
    let secrets = demo_identities(&path, &judge_name);
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();

    harness.get_by_label("还可选 100 件");
    let boxes: Vec<String> = harness
        .query_all_by_role(A11y::CheckBox)
        .filter_map(|node| node.accesskit_node().label())
        .filter(|label| label.starts_with("JX"))
        .take(2)
        .collect();
    assert_eq!(boxes.len(), 2, "works listed by code");
    for code in &boxes {
        harness.get_by_role_and_label(A11y::CheckBox, code).click();
        harness.settle();
    }
    harness.get_by_label("还可选 98 件");
    assert_nothing_shows(&harness, &secrets);

    click(&mut harness, s::SUBMIT_BALLOT);
    click(&mut harness, s::CONFIRM_SUBMIT);
    harness.get_by_label_contains("您的选票已于");
    assert!(boxes.iter().all(|code| checkbox_disabled(&harness, code)));
    assert_nothing_shows(&harness, &secrets);

    // The stories' ballot is open too, and as blind.
    click(&mut harness, "家风家训故事（初评进行中）");
    harness.get_by_label("还可选 20 件");
    assert_nothing_shows(&harness, &secrets);
}

/// A sheet's cells, a row a line, cells joined by `|`.
fn read_sheet(path: &Path, name: &str) -> String {
    use calamine::Reader as _;
    let mut book = calamine::open_workbook_auto(path).expect("workbook");
    let range = book.worksheet_range(name).expect("sheet");
    range
        .rows()
        .map(|row| row.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("|"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The cells of the row of `sheet` that starts with `code`.
fn tally_row(path: &Path, sheet: &str, code: &str) -> Vec<calamine::Data> {
    use calamine::Reader as _;
    let mut book = calamine::open_workbook_auto(path).expect("workbook");
    let range = book.worksheet_range(sheet).expect("sheet");
    range.rows().find(|row| row.first().is_some_and(|c| *c == code)).expect("the work's row").to_vec()
}

/// One part of an `.xlsx` (a zip) as text.
fn workbook_part(path: &Path, part: &str) -> String {
    use std::io::Read as _;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("file")).expect("zip");
    let mut text = String::new();
    zip.by_name(part).expect("part").read_to_string(&mut text).expect("text");
    text
}

/// A staff account of the fixture's file, logged in through the gate.
fn staff_logs_in(c: &Contest, role: Role, login: &str) -> Harness<'static, App> {
    let store = store::open(&c.path).expect("open");
    let account = NewAccount {
        login: login.into(),
        display_name: format!("{}甲", role.label()),
        role,
        unit_id: None,
        password: "staff-pass".into(),
    };
    create_account(store.conn(), &account).expect("account");
    let mut harness = harness_with(App::new(store, None));
    type_into(&mut harness, s::LOGIN_NAME, login);
    type_into(&mut harness, s::PASSWORD, "staff-pass");
    harness.get_by_role_and_label(A11y::Button, s::LOGIN).click();
    harness.settle();
    click(&mut harness, s::TAB_CONTEST);
    harness
}

#[test]
fn a_clerk_enters_a_work_with_the_length_in_view_and_withdraws_it_with_a_reason() {
    let c = contest();
    let store = store::open(&c.path).expect("open");
    insert_unit(store.conn(), &NewUnit { name: "市档案馆".into(), party_members: 12 }).expect("unit");
    drop(store);
    let mut harness = staff_logs_in(&c, Role::Clerk, "luru");
    for hidden in [s::CONTEST_JUDGES, s::CONTEST_ROUNDS, s::CONTEST_TALLY] {
        assert!(harness.query_by_label(hidden).is_none(), "a clerk has no {hidden}");
    }
    click(&mut harness, s::ADD_WORK);
    type_into(&mut harness, s::WORK_CONTENT, "勤俭");
    harness.get_by_label("已输入 2 字，应为 4–50 字（不计空格）");
    type_into(&mut harness, s::WORK_CONTENT, "勤俭持家 久");
    harness.get_by_label("已输入 5 字，应为 4–50 字（不计空格）");
    type_into(&mut harness, s::WORK_AUTHOR, "孙小美");
    harness.get_by_role_and_label(A11y::ComboBox, s::WORK_UNIT).click();
    harness.settle();
    click(&mut harness, "市档案馆");
    type_into(&mut harness, s::WORK_PHONE, "13900001234");
    click(&mut harness, s::SAVE);
    harness.get_by_label("已录入作品 JX0006");
    harness.get_by_label("孙小美");

    let withdraw = harness.get_all_by_label(s::WITHDRAW_WORK).last().expect("the new work's button");
    withdraw.click();
    harness.settle();
    click(&mut harness, s::CONFIRM_WITHDRAW);
    harness.get_by_label("撤回作品须写明原因");
    type_into(&mut harness, s::WITHDRAW_REASON, "作者本人申请撤回");
    click(&mut harness, s::CONFIRM_WITHDRAW);
    harness.get_by_label("作品已撤回");
    harness.get_by_label("已撤回");
}

#[test]
fn the_supervisor_reads_the_rounds_but_has_no_button_that_changes_them() {
    let c = contest();
    let mut harness = staff_logs_in(&c, Role::Supervisor, "jiandu");
    assert!(harness.query_by_label(s::CONTEST_SCREENING).is_none(), "查重 decisions are not the supervisor's");
    click(&mut harness, s::CONTEST_ROUNDS);
    harness.get_by_label("作品征集中，有效作品 5 件。");
    for button in [s::START_SCREENING, s::REOPEN] {
        assert!(harness.query_by_label(button).is_none(), "the supervisor has no {button}");
    }
    click(&mut harness, s::CONTEST_WORKS);
    harness.get_by_label("东方明月");
    assert!(harness.query_by_label(s::ADD_WORK).is_none());
    assert!(harness.query_by_label(s::WITHDRAW_WORK).is_none());
}

#[test]
fn an_expert_scores_the_shortlist_blind_and_submits_once() {
    let c = contest();
    let admin = Actor::command_line();
    {
        let store = store::open(&c.path).expect("open");
        open_initial(store.conn(), &admin, Category::Motto).expect("open");
    }
    vote(&c.path, &c.judges[0].0, &c.judges[0].1, &[c.works[2], c.works[4]]);
    vote(&c.path, &c.judges[1].0, &c.judges[1].1, &[c.works[4], c.works[0]]);
    let store = store::open(&c.path).expect("open");
    let conn = store.conn();
    close_initial(conn, &admin, Category::Motto).expect("close");
    admit_tie_band(conn, &admin, Category::Motto, "得票相同，全部入围").expect("admit");
    confirm_shortlist(conn, &admin, Category::Motto).expect("shortlist");
    let units = list_units(conn).expect("units");
    let expert = NewJudge {
        name: "宋专家".into(),
        organisation: JudgeOrganisation::Unit(units[2].id),
        title: "文联副主席".into(),
        role: JudgeRole::Final,
    };
    let id = add_judge(conn, &admin, &expert).expect("expert");
    let slip = issue_login_slips(conn, &admin, &[id]).expect("slip").remove(0);
    open_final(conn, &admin, Category::Motto).expect("final");

    let mut harness = harness_with(App::new(store, None));
    judge_logs_in(&mut harness, &slip.login, &slip.password);
    // The shortlist less the expert's own unit's work (the fifth), by code and text.
    harness.get_by_label("已评 0 / 2 件");
    assert!(harness.query_by_label(&c.codes[4]).is_none());
    assert_nothing_shows(&harness, &identities());

    type_into(&mut harness, &c.codes[0], "90");
    click(&mut harness, s::SAVE_SCORES);
    harness.get_by_label("已评 1 / 2 件");
    // 提交 is not offered until every work has a score.
    assert!(harness.get_by_role_and_label(A11y::Button, s::SUBMIT_SCORES).accesskit_node().is_disabled());
    harness.get_by_label("还有 1 件未评分，全部评完才能提交。");
    type_into(&mut harness, &c.codes[2], "101");
    click(&mut harness, s::SUBMIT_SCORES);
    harness.get_by_label(&format!("{} 的评分“101”不是 0 到 100 的整数", c.codes[2]));
    harness.get_by_role_and_label(A11y::TextInput, &c.codes[2]).set_text_value_accesskit("85");
    harness.settle();
    click(&mut harness, s::SUBMIT_SCORES);
    click(&mut harness, s::CONFIRM_SUBMIT);
    harness.get_by_label_contains("您的评分已于");
    assert!(harness.get_by_role_and_label(A11y::TextInput, &c.codes[0]).accesskit_node().is_disabled());
    assert_nothing_shows(&harness, &identities());
}

#[test]
fn a_slip_is_shown_once_exported_for_printing_and_gone_for_the_next_user() {
    let c = contest();
    let folder = c.path.parent().expect("folder").to_path_buf();
    let app =
        common::signed_in_app(store::open(&c.path).expect("open")).with_dialogs(Box::new(SaveInto(folder.clone())));
    let mut harness = harness_with(app);
    click(&mut harness, s::TAB_CONTEST);
    click(&mut harness, s::CONTEST_JUDGES);
    harness.get_by_role_and_label(A11y::CheckBox, "林评委").click();
    harness.settle();
    click(&mut harness, s::ISSUE_SLIPS);
    harness.get_by_label("林评委 已有登录单。");
    click(&mut harness, s::CONFIRM);
    let slip = harness.get_by_label_contains("登录名：pw002").accesskit_node().value().expect("slip text");
    let password = slip.split("初始密码：").nth(1).and_then(|rest| rest.split_whitespace().next()).expect("password");
    assert_ne!(password, c.judges[1].1, "a fresh one-time password");
    assert!(
        sign_in(store::open(&c.path).expect("open").conn(), "pw002", &c.judges[1].1).is_err(),
        "the old slip is void"
    );

    click(&mut harness, s::EXPORT_SLIPS);
    let sheet = read_sheet(&folder.join("out.xlsx"), "评委登录条");
    assert!(sheet.contains(&format!("初始密码：{password}")), "{sheet}");

    click(&mut harness, s::SWITCH_USER);
    type_into(&mut harness, s::LOGIN_NAME, common::ADMIN_LOGIN);
    type_into(&mut harness, s::PASSWORD, common::ADMIN_PASSWORD);
    harness.get_by_role_and_label(A11y::Button, s::LOGIN).click();
    harness.settle();
    assert!(harness.query_by_label_contains(password).is_none(), "the slip is not shown again");
}

/// Forty shortlisted mottos (all level at no votes, admitted whole) and an expert of the
/// two experts of the third unit, who score the 36 of the other two; the final round open.
/// Returns the store's path, the codes on an expert's sheet in order, and the experts' slips
/// (login, password).
fn long_score_sheet(dir: &Path) -> (PathBuf, Vec<String>, Vec<(String, String)>) {
    let path = dir.join("scores.sqlite3");
    let store = store::open(&path).expect("open");
    let conn = store.conn();
    let admin = Actor::command_line();
    let units = UNITS.map(|name| insert_unit(conn, &NewUnit { name: name.into(), party_members: 40 }).expect("unit"));
    let rules = CategoryRules { shortlist: 2, ballot_quota: 2, ..Category::Motto.default_rules() };
    set_rules(conn, &admin, Category::Motto, &rules).expect("rules");
    let mut codes = Vec::new();
    for i in 0..40 {
        let unit = if i >= 36 { units[2] } else { units[i % 2] };
        // Four characters each: short enough that 查重 compares them only for equality.
        const NUMERALS: [char; 10] = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
        let content = format!("{}{}家训", NUMERALS[i / 10], NUMERALS[i % 10]);
        let (_, code) =
            add_work(conn, &admin, &common::work(Category::Motto, unit, &content, "2017-06-01")).expect("work");
        if i < 36 {
            codes.push(code);
        }
    }
    let judge = NewJudge {
        name: "陈评委".into(),
        organisation: JudgeOrganisation::Unit(units[0]),
        title: "机关党委专职副书记".into(),
        role: JudgeRole::Initial,
    };
    add_judge(conn, &admin, &judge).expect("judge");
    open_initial(conn, &admin, Category::Motto).expect("open");
    close_initial(conn, &admin, Category::Motto).expect("close");
    admit_tie_band(conn, &admin, Category::Motto, "无人投票，全部进入终审").expect("admit");
    confirm_shortlist(conn, &admin, Category::Motto).expect("shortlist");
    let mut slips = Vec::new();
    for name in ["宋专家", "韩专家"] {
        let expert = NewJudge {
            name: name.into(),
            organisation: JudgeOrganisation::Unit(units[2]),
            title: "文联副主席".into(),
            role: JudgeRole::Final,
        };
        let id = add_judge(conn, &admin, &expert).expect("expert");
        let slip = issue_login_slips(conn, &admin, &[id]).expect("slip").remove(0);
        slips.push((slip.login, slip.password));
    }
    open_final(conn, &admin, Category::Motto).expect("final");
    (path, codes, slips)
}

fn score_field(harness: &Harness<'static, App>, code: &str) -> String {
    harness.get_by_role_and_label(A11y::TextInput, code).accesskit_node().value().unwrap_or_default()
}

#[test]
fn a_score_typed_without_saving_survives_the_desk_changing_hands() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, codes, slips) = long_score_sheet(dir.path());
    let mut harness = harness_with(App::new(store::open(&path).expect("open"), None));
    judge_logs_in(&mut harness, &slips[0].0, &slips[0].1);
    harness.get_by_label("已评 0 / 36 件");
    type_into(&mut harness, &codes[0], "77");
    harness.get_by_label("已评 1 / 36 件");
    // A bad score is marked and named at once, and not saved.
    type_into(&mut harness, &codes[1], "908");
    harness.get_by_label(&format!("{} 的评分“908”不是 0 到 100 的整数", codes[1]));
    harness.get_by_label("已评 1 / 36 件");

    // Another expert takes the desk, then the first comes back.
    click(&mut harness, s::SWITCH_USER);
    judge_logs_in(&mut harness, &slips[1].0, &slips[1].1);
    harness.get_by_label("已评 0 / 36 件");
    assert_eq!(score_field(&harness, &codes[0]), "");
    click(&mut harness, s::SWITCH_USER);
    type_into(&mut harness, s::LOGIN_NAME, &slips[0].0);
    type_into(&mut harness, s::PASSWORD, NEW_PASSWORD);
    harness.get_by_role_and_label(A11y::Button, s::LOGIN).click();
    harness.settle();
    harness.get_by_label("已评 1 / 36 件");
    assert_eq!(score_field(&harness, &codes[0]), "77");
    // Emptying a saved score is refused on the field, never silently kept or dropped.
    harness.get_by_role_and_label(A11y::TextInput, &codes[0]).set_text_value_accesskit("");
    harness.settle();
    harness.get_by_label(&format!("{} 已保存 77 分，评分不能清空，可改为其他分数", codes[0]));
}

#[test]
fn tab_and_enter_walk_down_the_whole_score_sheet_scrolling() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, codes, slips) = long_score_sheet(dir.path());
    let mut harness = harness_with(App::new(store::open(&path).expect("open"), None));
    judge_logs_in(&mut harness, &slips[0].0, &slips[0].1);
    type_into(&mut harness, &codes[0], "90");
    // Down 29 rows, by Tab and Enter in turn, typing a score in each.
    for row in 1..30 {
        harness.key_press(if row % 2 == 0 { egui::Key::Enter } else { egui::Key::Tab });
        harness.settle();
        harness.event(egui::Event::Text(format!("{}", 60 + row)));
        harness.settle();
    }
    harness.get_by_label("已评 30 / 36 件");
    assert_eq!(score_field(&harness, &codes[29]), "89");
    assert_eq!(score_field(&harness, &codes[15]), "75");
    assert!(harness.query_by_label(&codes[0]).is_none(), "the list scrolled: the first row is off screen");
    // Back up by Shift+Tab: the score is selected, so typing replaces it.
    harness.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::Tab);
    harness.settle();
    harness.event(egui::Event::Text("70".into()));
    harness.settle();
    assert_eq!(score_field(&harness, &codes[28]), "70");
    harness.get_by_label("已评 30 / 36 件");
}

#[test]
fn a_score_sheet_opens_at_the_top_for_the_next_expert() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, codes, slips) = long_score_sheet(dir.path());
    let mut harness = harness_with(App::new(store::open(&path).expect("open"), None));
    judge_logs_in(&mut harness, &slips[0].0, &slips[0].1);
    type_into(&mut harness, &codes[0], "90");
    for _ in 1..30 {
        harness.key_press(egui::Key::Enter);
        harness.settle();
    }
    assert!(harness.query_by_label(&codes[0]).is_none(), "scrolled down the list");
    click(&mut harness, s::SWITCH_USER);
    judge_logs_in(&mut harness, &slips[1].0, &slips[1].1);
    harness.get_by_label("已评 0 / 36 件");
    harness.get_by_role_and_label(A11y::TextInput, &codes[0]);
}

/// The long sheet scored by both experts (every work a distinct mean) and closed; 三等奖's
/// quota raised to 25 so that the 36 works leave 4 places empty.
fn scored_and_closed(path: &Path, slips: &[(String, String)]) {
    score_and_close(path, slips, |i| 99 - i as u8, [5, 10, 25]);
}

/// Both experts give the `i`-th work on their sheet `score(i)` and submit; the round closed
/// and the tiers' quotas set to `quotas`.
fn score_and_close(path: &Path, slips: &[(String, String)], score: impl Fn(usize) -> u8, quotas: [u32; 3]) {
    use volunteer_desk::store::contest::final_round::{close_final, my_score_sheet, save_scores, submit_scores};
    let mut store = store::open(path).expect("open");
    for (login, password) in slips {
        let signed = sign_in(store.conn(), login, password).expect("sign in");
        store.act_as(signed.actor.clone()).expect("expert");
        let sheet = my_score_sheet(store.conn(), &signed.actor, Category::Motto).expect("sheet");
        let scores: Vec<(i64, u8)> = sheet.works.iter().enumerate().map(|(i, w)| (w.work_id, score(i))).collect();
        save_scores(store.conn(), &signed.actor, Category::Motto, &scores).expect("scores");
        submit_scores(store.conn(), &signed.actor, Category::Motto).expect("submit");
    }
    let admin = Actor::command_line();
    store.act_as(admin.clone()).expect("administrator");
    close_final(store.conn(), &admin, Category::Motto).expect("close");
    let mut tiers = volunteer_desk::store::contest::tiers(store.conn(), Category::Motto).expect("tiers");
    for (tier, quota) in tiers.iter_mut().zip(quotas) {
        tier.quota = quota;
    }
    volunteer_desk::store::contest::set_tiers(store.conn(), &admin, Category::Motto, &tiers).expect("tiers");
}

#[test]
fn a_tier_tie_resolved_in_the_window_asks_a_reason_and_logs_it() {
    use volunteer_desk::store::contest::final_round::award_list;
    let dir = tempfile::tempdir().expect("dir");
    let (path, codes, slips) = long_score_sheet(dir.path());
    // Ten places (2/3/5); the 10th and 11th works level at 90 across 三等奖's last place.
    score_and_close(&path, &slips, |i| 99 - i.min(9) as u8 - i.saturating_sub(10) as u8, [2, 3, 5]);
    let mut harness = harness_with(common::signed_in_app(store::open(&path).expect("open")));
    click(&mut harness, s::TAB_CONTEST);
    click(&mut harness, s::CONTEST_FINAL);
    let warning = format!("三等奖的最后名额处有平均分相同的作品：{}、{}，请决定。", codes[9], codes[10]);
    harness.get_by_label(&warning);

    // The administrator gives the place to the first of the two.
    click(&mut harness, s::PROPOSE_AWARDS);
    harness.get_by_role_and_label(A11y::ComboBox, &codes[9]).click();
    harness.settle();
    harness.get_all_by_label("三等奖").last().expect("the choice in the list").click();
    harness.settle();
    click(&mut harness, s::SAVE_AWARDS);
    harness.get_by_label(&format!("平均分相同的作品 {}、{} 获奖等次不同。", codes[9], codes[10]));

    // Without a reason: refused in the dialog, nothing saved.
    let admin = Actor::command_line();
    let saved = || award_list(store::open(&path).expect("open").conn(), &admin, Category::Motto).expect("awards");
    click(&mut harness, s::CONFIRM_SAVE_AWARDS);
    harness.get_by_label(&format!("平均分相同的作品（{}、{}）获奖等次不同，须写明理由", codes[9], codes[10]));
    assert!(saved().is_empty(), "nothing saved without a reason");

    // With one: saved, logged with the awards, and the old warning leaves the screen.
    type_into(&mut harness, s::TIE_REASON, "经专家组复议，前者立意更佳");
    click(&mut harness, s::CONFIRM_SAVE_AWARDS);
    let awards = saved();
    assert_eq!(awards.len(), 10);
    let logged: String = store::open(&path)
        .expect("open")
        .conn()
        .query_row("SELECT after FROM audit_log WHERE kind = '授奖' ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .expect("logged");
    assert!(logged.ends_with("理由：经专家组复议，前者立意更佳"), "{logged}");
    assert!(logged.contains(&format!("{}、{}", codes[9], codes[10])), "{logged}");
    assert!(harness.query_by_label(&warning).is_none(), "the tie is decided: no warning left");
    assert!(harness.query_by_label(s::CONFIRM_SAVE_AWARDS).is_none(), "the dialog closed");
}

#[test]
fn a_vacancy_is_said_and_confirmed_on_saving_awards_and_publishing() {
    use volunteer_desk::store::contest::final_round::award_list;
    let dir = tempfile::tempdir().expect("dir");
    let (path, _, slips) = long_score_sheet(dir.path());
    scored_and_closed(&path, &slips);
    let mut app = common::signed_in_app(store::open(&path).expect("open"));
    app.set_clock(common::at("2017-09-26 09:00"));
    let mut harness = harness_with(app);
    click(&mut harness, s::TAB_CONTEST);
    click(&mut harness, s::CONTEST_FINAL);
    click(&mut harness, s::PROPOSE_AWARDS);
    click(&mut harness, s::SAVE_AWARDS);
    harness.get_by_label("三等奖名额 25 个，现有 21 件，空缺 4 个。");
    let admin = Actor::command_line();
    let saved = || award_list(store::open(&path).expect("open").conn(), &admin, Category::Motto).expect("awards");
    assert!(saved().is_empty(), "nothing saved before the vacancy is confirmed");
    click(&mut harness, s::CONFIRM);
    assert_eq!(saved().len(), 36);

    let today = common::date("2017-09-25");
    let store = store::open(&path).expect("open");
    volunteer_desk::store::contest::publicity::start_publicity(store.conn(), &admin, Category::Motto, today, 5, today)
        .expect("publicity");
    drop(store);
    click(&mut harness, s::CONTEST_PUBLICITY);
    click(&mut harness, s::PUBLISH_RESULT);
    harness.get_by_label("公示期：2017-09-25 至 2017-09-29。");
    harness.get_by_label("公示期尚未结束（至 2017-09-29），期满后才能发布。");
    harness.get_by_label("三等奖名额 25 个，现有 21 件，空缺 4 个。");
}

#[test]
fn experts_are_listed_as_experts_with_scores_pending() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, _, _) = long_score_sheet(dir.path());
    let mut harness = harness_with(common::signed_in_app(store::open(&path).expect("open")));
    click(&mut harness, s::TAB_CONTEST);
    click(&mut harness, s::CONTEST_FINAL);
    assert_eq!(harness.get_all_by_label("未评分").count(), 2);
    assert_eq!(harness.get_all_by_label("专家").count(), 3, "the header of each of three columns");
    assert!(harness.query_by_label("未投").is_none());
}

#[test]
fn closing_a_run_off_says_its_turnout_and_the_stage_record_lists_it() {
    use volunteer_desk::store::contest::tally::start_runoff;
    let c = contest();
    let admin = Actor::command_line();
    {
        let store = store::open(&c.path).expect("open");
        open_initial(store.conn(), &admin, Category::Motto).expect("open");
    }
    let (a, b) = (&c.judges[0], &c.judges[1]);
    vote(&c.path, &a.0, &a.1, &[c.works[2], c.works[4]]);
    vote(&c.path, &b.0, &b.1, &[c.works[4], c.works[0]]);
    {
        let store = store::open(&c.path).expect("open");
        close_initial(store.conn(), &admin, Category::Motto).expect("close");
        start_runoff(store.conn(), &admin, Category::Motto).expect("run-off");
    }
    // One judge of two votes in the run-off.
    vote(&c.path, &a.0, &a.1, &[c.works[2]]);
    let mut harness = harness_with(common::signed_in_app(store::open(&c.path).expect("open")));
    click(&mut harness, s::TAB_CONTEST);
    click(&mut harness, s::CONTEST_TALLY);
    click(&mut harness, s::CLOSE_RUNOFF);
    click(&mut harness, s::CONFIRM);
    harness.get_by_label_contains("决选（第1轮）已结束：交回选票 1 / 2 张");
    click(&mut harness, s::CONTEST_ROUNDS);
    harness.get_by_label("决选（第1轮）开始（1 个名额）");
    harness.get_by_label("决选（第1轮）结束");
}

#[test]
fn a_notice_dated_before_today_is_refused_in_the_form() {
    use volunteer_desk::store::contest::final_round::{propose_awards, set_awards};
    let dir = tempfile::tempdir().expect("dir");
    let (path, _, slips) = long_score_sheet(dir.path());
    scored_and_closed(&path, &slips);
    {
        let store = store::open(&path).expect("open");
        let admin = Actor::command_line();
        let proposal = propose_awards(store.conn(), &admin, Category::Motto).expect("proposal");
        set_awards(store.conn(), &admin, Category::Motto, &proposal.awards).expect("awards");
    }
    let mut app = common::signed_in_app(store::open(&path).expect("open"));
    app.set_clock(common::at("2026-12-07 09:00"));
    let mut harness = harness_with(app);
    click(&mut harness, s::TAB_CONTEST);
    click(&mut harness, s::CONTEST_PUBLICITY);
    harness.get_by_role_and_label(A11y::Button, s::START_PUBLICITY);
    type_into(&mut harness, s::PUBLICITY_FROM, "2026-11-23");
    harness.get_by_label("公示开始日期 2026-11-23 早于今天 2026-12-07：公示不能倒填日期，须从今天或以后开始");
    assert!(harness.query_by_role_and_label(A11y::Button, s::START_PUBLICITY).is_none(), "nothing to start");
    type_into(&mut harness, s::PUBLICITY_FROM, "2026-12-07");
    harness.get_by_label("公示期至 2026-12-11（不含周末和法定节假日）。");
}

#[test]
fn a_run_off_closed_with_fewer_than_half_the_ballots_says_so() {
    use volunteer_desk::store::contest::tally::start_runoff;
    let c = contest();
    let admin = Actor::command_line();
    {
        let store = store::open(&c.path).expect("open");
        let unit = list_units(store.conn()).expect("units").into_iter().find(|u| u.name == UNITS[2]).expect("unit");
        let judge = NewJudge {
            name: "王评委".into(),
            organisation: JudgeOrganisation::Unit(unit.id),
            title: "机关党委委员".into(),
            role: JudgeRole::Initial,
        };
        add_judge(store.conn(), &admin, &judge).expect("third judge");
        open_initial(store.conn(), &admin, Category::Motto).expect("open");
    }
    let (a, b) = (&c.judges[0], &c.judges[1]);
    vote(&c.path, &a.0, &a.1, &[c.works[2], c.works[4]]);
    vote(&c.path, &b.0, &b.1, &[c.works[4], c.works[0]]);
    {
        let store = store::open(&c.path).expect("open");
        close_initial(store.conn(), &admin, Category::Motto).expect("close");
        start_runoff(store.conn(), &admin, Category::Motto).expect("run-off");
    }
    // One ballot of three decides the place.
    vote(&c.path, &a.0, &a.1, &[c.works[2]]);
    let mut harness = harness_with(common::signed_in_app(store::open(&c.path).expect("open")));
    click(&mut harness, s::TAB_CONTEST);
    click(&mut harness, s::CONTEST_TALLY);
    click(&mut harness, s::CLOSE_RUNOFF);
    click(&mut harness, s::CONFIRM);
    harness.get_by_label_contains(
        "决选（第1轮）已结束：交回选票 1 / 3 张，可查看计票。注意：交回不足半数，名额由少数选票决定",
    );
}

#[test]
fn publish_stays_whole_in_a_laptop_window_in_extra_large_text() {
    use volunteer_desk::store::contest::final_round::{propose_awards, set_awards};
    use volunteer_desk::store::contest::publicity::{NewObjection, Ruling, register_objection, rule_objection};
    let dir = tempfile::tempdir().expect("dir");
    let (path, codes, slips) = long_score_sheet(dir.path());
    scored_and_closed(&path, &slips);
    {
        let store = store::open(&path).expect("open");
        let admin = Actor::command_line();
        let proposal = propose_awards(store.conn(), &admin, Category::Motto).expect("proposal");
        set_awards(store.conn(), &admin, Category::Motto, &proposal.awards).expect("awards");
        let today = common::date("2017-09-25");
        volunteer_desk::store::contest::publicity::start_publicity(
            store.conn(),
            &admin,
            Category::Motto,
            today,
            5,
            today,
        )
        .expect("publicity");
        // Six objections with long texts, four of them ruled with long reasons.
        for (i, code) in codes.iter().take(6).enumerate() {
            let objection = NewObjection {
                category: Category::Motto,
                work_code: Some(code.clone()),
                objector: format!("群众{i}"),
                contact: "13800000000".into(),
                received_on: common::date("2017-09-26"),
                content: "该作品与网络上流传的家训内容高度相似，疑似抄袭，请评选办公室核查后依规处理。".repeat(2),
            };
            let id = register_objection(store.conn(), &admin, &objection).expect("objection");
            if i < 4 {
                let why = "经评选办公室核查，该作品系作者原创，与网络内容仅个别词句相近，不构成抄袭。".repeat(2);
                rule_objection(store.conn(), &admin, id, Ruling::Rejected, &why, common::date("2017-09-27"))
                    .expect("ruled");
            }
        }
    }
    let size = [1280.0, 800.0];
    let mut app = common::signed_in_app(store::open(&path).expect("open"));
    app.set_clock(common::at("2017-09-28 09:00"));
    let mut harness = crate::settled(
        Harness::builder().with_size(size).with_context_setup(fonts::install).build_eframe(move |_cc| app),
    );
    harness.settle();
    harness.get_by_label(s::TEXT_SIZE).click();
    harness.settle();
    harness.get_by_label(volunteer_desk::ui::TextSize::ExtraLarge.label()).click();
    harness.settle();
    click(&mut harness, s::TAB_CONTEST);
    click(&mut harness, s::CONTEST_PUBLICITY);
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, size.into());
    let publish = |h: &Harness<'static, App>| h.get_by_role_and_label(A11y::Button, s::PUBLISH_RESULT).rect();
    assert!(window.contains_rect(publish(&harness)), "发布评选结果 at {:?}", publish(&harness));
    // The two objections waiting for a ruling lie below the window's edge: scrolled into
    // view, each 处理 is whole in the window, and 发布 stays in view above them.
    assert_eq!(harness.query_all_by_label(s::RULE_OBJECTION).count(), 2);
    for i in 0..2 {
        harness.query_all_by_label(s::RULE_OBJECTION).nth(i).expect("处理").scroll_to_me();
        harness.settle();
        let rule = harness.query_all_by_label(s::RULE_OBJECTION).nth(i).expect("处理").rect();
        assert!(window.contains_rect(rule), "处理 of the {}th objection at {rule:?}", i + 5);
        let publish = publish(&harness);
        assert!(window.contains_rect(publish), "发布评选结果 at {publish:?}");
        assert!(!publish.intersects(rule), "处理 drawn over 发布");
    }
}
