//! The contest's sheets of the import workbook (formats.md): 作品 and 评委 while collecting,
//! 选票 while the round is open — every bad row reported, nothing written, idempotent.

use crate::common;

use std::path::Path;

use chrono::NaiveDate;
use common::workbook::{SheetData, V, s, write_workbook};
use volunteer_desk::domain::contest::{Category, CategoryRules};
use volunteer_desk::io::import::{ImportPlan, Progress, SheetCounts, apply, preview_as_of};
use volunteer_desk::store::contest::judges::{JudgeRole, list_judges};
use volunteer_desk::store::contest::rounds::{BallotStatus, open_initial, progress};
use volunteer_desk::store::contest::works::{WorkFilter, list_works};
use volunteer_desk::store::{self, Actor, Store};

const WORK_HEADERS: &[&str] = &["类别", "作品编号", "内容", "作者", "单位", "联系电话", "提交日期", "标题"];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2017, 9, 1).expect("date")
}

fn plan(store: &Store, path: &Path) -> ImportPlan {
    preview_as_of(store, path, today(), &Progress::new()).expect("preview")
}

fn import(store: &mut Store, path: &Path) -> ImportPlan {
    let plan = plan(store, path);
    assert!(plan.is_ok(), "{:?}", plan.errors());
    apply(store, &plan, &Progress::new()).expect("apply");
    plan
}

fn errors(plan: &ImportPlan) -> Vec<String> {
    plan.errors().iter().map(ToString::to_string).collect()
}

fn counts(sheet: &'static str, new: usize, unchanged: usize, errors: usize) -> SheetCounts {
    SheetCounts { sheet, new, unchanged, errors }
}

fn units() -> SheetData {
    SheetData {
        name: "单位",
        headers: &["单位名称", "党员总数"],
        rows: vec![vec![s("市财政局"), V::N(83.0)], vec![s("市教育局"), V::N(142.0)]],
    }
}

fn works() -> SheetData {
    let motto = |code: &str, text: &str, author: &str, unit: &str| {
        vec![s("家风家训"), s(code), s(text), s(author), s(unit), s("138 5770 0123"), V::D(2017, 6, 5), V::E]
    };
    SheetData {
        name: "作品",
        headers: WORK_HEADERS,
        rows: vec![
            motto("", "家和万事兴，邻里互助情谊长", "王晓明", "市财政局"),
            motto("", "勤俭节约好家风，代代相传不能忘", "李  芳", "市教育局"),
            motto("JX0100", "读书明理知荣辱，耕读传家守本分", "张伟", "市教育局"),
            motto("", "孝老爱亲敬长辈，尊老爱幼记心间", "陈静", "市财政局"),
        ],
    }
}

fn judges() -> SheetData {
    SheetData {
        name: "评委",
        headers: &["姓名", "单位", "职务", "角色"],
        rows: vec![
            vec![s("赵建国"), s("市财政局"), s("机关党委专职副书记"), s("初评评委")],
            vec![s("钱秀英"), s("市教育局"), s("机关党委专职副书记"), s("初评评委")],
            vec![s("孙明"), s("市教育局"), s("教授"), s("终审专家")],
        ],
    }
}

fn ballots(rows: &[(&str, &str)]) -> SheetData {
    SheetData {
        name: "选票",
        headers: &["评委姓名", "类别", "作品编号"],
        rows: rows.iter().map(|(judge, code)| vec![s(*judge), s("家风家训"), s(*code)]).collect(),
    }
}

fn contest_store(dir: &Path) -> Store {
    let store = store::open(&dir.join("contest.sqlite3")).expect("open");
    let rules = CategoryRules { ballot_quota: 2, shortlist: 2, ..Category::Motto.default_rules() };
    volunteer_desk::store::contest::set_rules(store.conn(), &Actor::command_line(), Category::Motto, &rules)
        .expect("rules");
    store
}

#[test]
fn works_and_judges_import_once_and_again_unchanged() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = contest_store(dir.path());
    let workbook = dir.path().join("作品与评委.xlsx");
    write_workbook(&workbook, vec![units(), works(), judges()]);
    let first = import(&mut store, &workbook);
    assert_eq!(first.counts(), [counts("单位", 2, 0, 0), counts("作品", 4, 0, 0), counts("评委", 3, 0, 0)]);
    let admin = Actor::command_line();
    let listed = list_works(store.conn(), &admin, &WorkFilter::default()).expect("works");
    let codes: Vec<&str> = listed.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["JX0100", "JX0101", "JX0102", "JX0103"], "generated codes follow the highest");
    let li = listed.iter().find(|w| w.author == "李芳").expect("alignment spaces dropped");
    assert_eq!((li.unit_name.as_str(), li.author_phone_masked.as_str()), ("市教育局", "138****0123"));
    let phone: String = store
        .conn()
        .query_row(
            "SELECT open_phone(author_phone_sealed, 'contest_work', id) FROM contest_work WHERE id = ?1",
            [li.id],
            |r| r.get(0),
        )
        .expect("sealed phone");
    assert_eq!(phone, "13857700123");
    let judges = list_judges(store.conn(), &admin).expect("judges");
    assert_eq!(judges.iter().filter(|j| j.role == JudgeRole::Initial).count(), 2);
    assert!(judges.iter().all(|j| j.login.is_none()), "accounts come with the login slips");

    let again = import(&mut store, &workbook);
    assert_eq!(again.counts(), [counts("单位", 0, 2, 0), counts("作品", 0, 4, 0), counts("评委", 0, 3, 0)]);
}

#[test]
fn bad_work_and_judge_rows_are_each_reported_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = contest_store(dir.path());
    let seed = dir.path().join("先导入.xlsx");
    write_workbook(&seed, vec![units(), works()]);
    import(&mut store, &seed);

    let workbook = dir.path().join("有错.xlsx");
    let mut bad_works = works();
    bad_works.rows = vec![
        vec![s("家训"), V::E, s("家和万事兴"), s("王晓明"), s("市财政局"), V::E, V::D(2017, 6, 5), V::E],
        vec![s("家风家训"), V::E, s("勤".repeat(60)), s("王晓明"), s("市民政局"), V::E, V::D(2017, 6, 5), V::E],
        vec![
            s("家风家训"),
            s("JX0100"),
            s("读书明理知荣辱，耕读传家守本分"),
            s("张伟"),
            s("市财政局"),
            V::E,
            V::D(2017, 6, 5),
            V::E,
        ],
        vec![
            s("家风家训"),
            V::E,
            s("清白做人，干净做事"),
            s("周敏"),
            s("市财政局"),
            s("12345"),
            V::D(2017, 9, 30),
            V::E,
        ],
    ];
    let mut bad_judges = judges();
    bad_judges.rows = vec![
        vec![s("赵建国"), s("市财政局"), V::E, s("评委")],
        vec![s("钱秀英"), s("市教育局"), V::E, s("初评评委")],
        vec![s("钱 秀英"), s("市教育局"), V::E, s("初评评委")],
    ];
    write_workbook(&workbook, vec![bad_works, bad_judges]);
    let plan = plan(&store, &workbook);
    assert_eq!(
        errors(&plan),
        [
            "作品 第2行 类别: “家训”不是有效的类别，应为 家风家训 或 家风家训故事",
            "作品 第3行 内容: 家风家训内容 60 字，超过上限 50 字",
            "作品 第3行 单位: 单位“市民政局”不存在（“单位”表和系统中都没有）",
            "作品 第4行 单位: 与数据库中已有记录不一致（数据库中为“市教育局”，本表为“市财政局”）",
            "作品 第5行 联系电话: 电话“12345”格式不正确（应为11位手机号，或如 0577-65812345 的固定电话）",
            "作品 第5行 提交日期: 提交日期 2017-09-30 晚于今天",
            "评委 第2行 角色: “评委”不是有效的角色，应为 初评评委 或 终审专家",
            "评委 第4行 姓名: 与第3行是同一位初评评委",
        ]
    );
    assert!(apply(&mut store, &plan, &Progress::new()).is_err());
    let listed = list_works(store.conn(), &Actor::command_line(), &WorkFilter::default()).expect("works");
    assert_eq!(listed.len(), 4, "nothing written");
}

#[test]
fn ballots_import_only_while_the_round_is_open_and_over_quota_ones_are_void() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = contest_store(dir.path());
    let setup = dir.path().join("作品与评委.xlsx");
    write_workbook(&setup, vec![units(), works(), judges()]);
    import(&mut store, &setup);

    // JX0100 and JX0102 are 市教育局's, JX0101 and JX0103 市财政局's: each judge votes for the
    // other unit's two.
    let sheet = || ballots(&[("赵建国", "JX0100"), ("赵建国", "JX0102"), ("钱秀英", "JX0101"), ("钱秀英", "JX0103")]);
    let papers = dir.path().join("选票.xlsx");
    write_workbook(&papers, vec![sheet()]);
    let closed = plan(&store, &papers);
    assert_eq!(errors(&closed)[0], "选票 第2行 类别: 家风家训目前没有进行中的投票，选票须在初评（或决选）开启期间导入");

    open_initial(store.conn(), &Actor::command_line(), Category::Motto).expect("open");
    let mut over = sheet();
    over.rows.push(vec![s("钱秀英"), s("家风家训"), s("JX0103")]);
    over.rows.push(vec![s("钱秀英"), s("家风家训"), s("JX0100")]);
    over.rows.push(vec![s("孙明"), s("家风家训"), s("JX0100")]);
    over.rows.push(vec![s("赵建国"), s("家风家训"), s("JX9999")]);
    write_workbook(&papers, vec![over]);
    assert_eq!(
        errors(&plan(&store, &papers)),
        [
            "选票 第6行 作品编号: 与第5行重复：同一张选票上不能两次选同一作品",
            "选票 第7行 作品编号: 不能给本单位的作品投票（回避）",
            "选票 第8行 评委姓名: 初评评委“孙明”不存在（须先登记评委并在初评开启前登记）",
            "选票 第9行 作品编号: 作品编号“JX9999”不存在",
        ]
    );

    let valid = sheet();
    write_workbook(&papers, vec![valid]);
    let first = import(&mut store, &papers);
    assert_eq!(first.counts(), [counts("选票", 4, 0, 0)]);
    let again = import(&mut store, &papers);
    assert_eq!(again.counts(), [counts("选票", 0, 4, 0)]);
    let statuses: Vec<BallotStatus> = progress(store.conn(), &Actor::command_line(), Category::Motto)
        .expect("progress")
        .judges
        .iter()
        .map(|j| j.status)
        .collect();
    assert_eq!(statuses, [BallotStatus::Paper, BallotStatus::Paper]);

    let changed = ballots(&[("赵建国", "JX0100")]);
    write_workbook(&papers, vec![changed]);
    assert_eq!(
        errors(&plan(&store, &papers)),
        ["选票 第2行 评委姓名: 该评委初评的选票已提交，与本表不一致（已提交 2 票）"]
    );
}

#[test]
fn an_over_quota_paper_ballot_imports_void() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = contest_store(dir.path());
    let setup = dir.path().join("作品与评委.xlsx");
    let mut more_works = works();
    more_works.rows.push(vec![
        s("家风家训"),
        V::E,
        s("诚实守信立身本，遵纪守法处世宝"),
        s("刘洋"),
        s("市教育局"),
        V::E,
        V::D(2017, 6, 6),
        V::E,
    ]);
    write_workbook(&setup, vec![units(), more_works, judges()]);
    import(&mut store, &setup);
    open_initial(store.conn(), &Actor::command_line(), Category::Motto).expect("open");
    let papers = dir.path().join("选票.xlsx");
    write_workbook(&papers, vec![ballots(&[("赵建国", "JX0100"), ("赵建国", "JX0102"), ("赵建国", "JX0104")])]);
    assert_eq!(import(&mut store, &papers).counts(), [counts("选票", 3, 0, 0)]);
    let judges = progress(store.conn(), &Actor::command_line(), Category::Motto).expect("progress").judges;
    assert_eq!((judges[0].status, judges[1].status), (BallotStatus::Void, BallotStatus::NotStarted));
}

#[test]
fn the_template_carries_the_contest_sheets_and_reads_back() {
    use common::workbook::write_rows;
    let dir = tempfile::tempdir().expect("dir");
    let mut store = contest_store(dir.path());
    let mut workbook = volunteer_desk::io::template::template_workbook().expect("template");
    write_rows(workbook.worksheet_from_name("单位").expect("sheet"), 2, &[vec![s("市财政局"), V::N(83.0)]]);
    write_rows(
        workbook.worksheet_from_name("作品").expect("sheet"),
        2,
        &[vec![
            V::E,
            s("家风家训"),
            V::E,
            s("勤俭节约好家风，代代相传不能忘"),
            s("王晓明"),
            s("市财政局"),
            V::E,
            V::D(2017, 6, 5),
        ]],
    );
    write_rows(
        workbook.worksheet_from_name("评委").expect("sheet"),
        2,
        &[vec![s("赵建国"), s("市财政局"), s("机关党委专职副书记"), s("初评评委")]],
    );
    let filled = dir.path().join("已填模板.xlsx");
    workbook.save(&filled).expect("save");
    let plan = import(&mut store, &filled);
    let written: Vec<(&str, usize)> = plan.counts().iter().filter(|c| c.new > 0).map(|c| (c.sheet, c.new)).collect();
    assert_eq!(written, [("单位", 1), ("作品", 1), ("评委", 1)]);
}

#[test]
fn a_judge_from_a_body_that_is_not_a_unit_is_kept_with_it_and_recused_from_nothing() {
    use volunteer_desk::store::contest::rounds::close_initial;
    use volunteer_desk::store::contest::tally::initial_tally;

    let dir = tempfile::tempdir().expect("dir");
    let mut store = contest_store(dir.path());
    let mut with_outsiders = judges();
    with_outsiders.rows.push(vec![s("周文"), s("市文联"), s("副主席"), s("初评评委")]);
    with_outsiders.rows.push(vec![s("吴教授"), s("温州大学"), s("教授"), s("终审专家")]);
    let setup = dir.path().join("作品与评委.xlsx");
    write_workbook(&setup, vec![units(), works(), with_outsiders]);
    let plan = import(&mut store, &setup);
    assert_eq!(
        plan.notes(),
        ["“评委”表有 2 位评委的单位不是已登记的单位（市文联、温州大学），按所填单位记录，评审时不回避任何单位的作品"]
    );
    let admin = Actor::command_line();
    let listed = list_judges(store.conn(), &admin).expect("judges");
    let zhou = listed.iter().find(|j| j.name == "周文").expect("周文");
    assert_eq!((zhou.unit_id, zhou.unit_name.as_str()), (None, "市文联"));
    let unit_names: Vec<String> = store
        .conn()
        .prepare("SELECT name FROM unit ORDER BY id")
        .and_then(|mut q| q.query_map([], |r| r.get(0))?.collect())
        .expect("units");
    assert_eq!(unit_names, ["市财政局", "市教育局"], "no unit is made for a judge's body");
    assert_eq!(import(&mut store, &setup).counts()[2], counts("评委", 0, 5, 0), "imports again unchanged");

    // 周文 may vote for works of both units; 赵建国 (市财政局) only for 市教育局's.
    open_initial(store.conn(), &admin, Category::Motto).expect("open");
    let papers = dir.path().join("选票.xlsx");
    write_workbook(&papers, vec![ballots(&[("周文", "JX0100"), ("周文", "JX0101")])]);
    assert_eq!(import(&mut store, &papers).counts(), [counts("选票", 2, 0, 0)]);
    close_initial(store.conn(), &admin, Category::Motto).expect("close");
    let tally = initial_tally(store.conn(), &admin, Category::Motto).expect("tally");
    let eligible: Vec<(String, u32, u32)> = tally.rows.iter().map(|r| (r.code.clone(), r.votes, r.eligible)).collect();
    // Three judges; each work loses only its own unit's judge.
    assert_eq!(
        eligible,
        [
            ("JX0100".to_string(), 1, 2),
            ("JX0101".to_string(), 1, 2),
            ("JX0102".to_string(), 0, 2),
            ("JX0103".to_string(), 0, 2),
        ]
    );
}
