//! Sealed ballot workbooks (issue #18): forty judges get a workbook each; thirty-eight fill
//! theirs as a spreadsheet program would save it, one over the quota, one with a work code
//! changed, one returned twice, one for another (closed) round, one from a judge who voted in
//! the window; the take-back summary says exactly what happened, and the tally equals the one
//! from the same votes cast in the window.

use crate::common;
use std::path::PathBuf;

use calamine::{Data, Reader as _, open_workbook_auto};
use sha2::{Digest as _, Sha256};
use volunteer_desk::domain::contest::{Category, CategoryRules};
use volunteer_desk::io::ballot_workbook::{export_ballots, take_back};
use volunteer_desk::io::contest_export::write_contest_workbook;
use volunteer_desk::store::accounts::sign_in;
use volunteer_desk::store::contest::ballots::{my_ballot, record_paper_ballot, save_draft, submit_ballot};
use volunteer_desk::store::contest::judges::{JudgeOrganisation, JudgeRole, NewJudge, add_judge, issue_login_slips};
use volunteer_desk::store::contest::rounds::{BallotStatus, close_initial, open_initial, progress};
use volunteer_desk::store::contest::set_rules;
use volunteer_desk::store::contest::tally::initial_tally;
use volunteer_desk::store::contest::workbooks::UNMARKED;
use volunteer_desk::store::contest::works::add_work;
use volunteer_desk::store::units::{NewUnit, insert_unit};
use volunteer_desk::store::{self, Actor, Store};

use crate::common::workbook::{Sheets, read_all, save_filled, save_sheets};

const JUDGES: usize = 40;
const UNITS: usize = 8;
const QUOTA: u32 = 5;
/// Characters for works no two of which look alike to 查重.
const POOL: &str = "天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨露结为霜金生丽水玉出昆冈剑号巨阙珠称夜光果珍李柰菜重芥姜海咸河淡鳞潜羽翔龙师火帝鸟官人皇始制文字乃服衣裳推位让国有虞陶唐吊民伐罪周发殷汤坐朝问道垂拱平章爱育黎首臣伏戎羌遐迩壹体率宾归王";

fn admin() -> Actor {
    Actor::command_line()
}

pub(crate) struct Fixture {
    _dir: tempfile::TempDir,
    pub(crate) store: Store,
    /// (judge id, name, login, one-time password), in the order judges were added.
    pub(crate) judges: Vec<(i64, String, String, String)>,
}

/// Deterministic text of `len` characters for work `n`, drawn at random (SplitMix64) from
/// the pool.
fn text(n: usize, len: usize) -> String {
    let pool: Vec<char> = POOL.chars().collect();
    let mut state = (n as u64 + 1).wrapping_mul(0x2545_F491_4F6C_DD1D);
    (0..len)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            pool[((z ^ (z >> 31)) % pool.len() as u64) as usize]
        })
        .collect()
}

/// Eight units, five judges each; 24 mottos (three a unit) and 8 stories, quota 5 both; both
/// initial rounds open. The same every time, so two fixtures have the same codes and ids.
pub(crate) fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("dir");
    let store = store::open(&dir.path().join("ballots.sqlite3")).expect("open");
    let conn = store.conn();
    let units: Vec<i64> = (0..UNITS)
        .map(|i| insert_unit(conn, &NewUnit { name: format!("市第{}局", i + 1), party_members: 50 }).expect("unit"))
        .collect();
    let motto = CategoryRules { shortlist: QUOTA, ballot_quota: QUOTA, ..Category::Motto.default_rules() };
    set_rules(conn, &admin(), Category::Motto, &motto).expect("rules");
    let story = CategoryRules { min_chars: 10, shortlist: 3, ballot_quota: 3, ..Category::Story.default_rules() };
    set_rules(conn, &admin(), Category::Story, &story).expect("rules");
    for n in 0..24 {
        add_work(conn, &admin(), &common::work(Category::Motto, units[n % UNITS], &text(n, 10), "2017-06-01"))
            .expect("motto");
    }
    for n in 0..8 {
        add_work(conn, &admin(), &common::work(Category::Story, units[n % UNITS], &text(100 + n, 40), "2017-06-01"))
            .expect("story");
    }
    let mut judges = Vec::new();
    for i in 0..JUDGES {
        let name = format!("评委{:02}", i + 1);
        let judge = NewJudge {
            name: name.clone(),
            organisation: JudgeOrganisation::Unit(units[i % UNITS]),
            title: "机关党委专职副书记".into(),
            role: JudgeRole::Initial,
        };
        let id = add_judge(conn, &admin(), &judge).expect("judge");
        let slip = issue_login_slips(conn, &admin(), &[id]).expect("slip").remove(0);
        judges.push((id, name, slip.login, slip.password));
    }
    for category in Category::ALL {
        open_initial(conn, &admin(), category).expect("open");
    }
    Fixture { _dir: dir, store, judges }
}

impl Fixture {
    fn as_judge(&mut self, judge: usize) -> Actor {
        let (_, _, login, password) = &self.judges[judge];
        let signed = sign_in(self.store.conn(), login, password).expect("sign in");
        self.store.act_as(signed.actor.clone()).expect("act as");
        signed.actor
    }

    fn as_admin(&mut self) {
        self.store.act_as(admin()).expect("admin");
    }

    /// Casts `codes` in the window as judge `judge`.
    fn vote_in_window(&mut self, judge: usize, codes: &[String]) {
        let actor = self.as_judge(judge);
        let ballot = my_ballot(self.store.conn(), &actor, Category::Motto).expect("ballot");
        let ids: Vec<i64> =
            codes.iter().map(|c| ballot.works.iter().find(|w| &w.code == c).expect("on the ballot").work_id).collect();
        save_draft(self.store.conn(), &actor, Category::Motto, &ids).expect("draft");
        submit_ballot(self.store.conn(), &actor, Category::Motto).expect("submit");
        self.as_admin();
    }
}

/// The codes on a read ballot sheet, under its 编号 header.
fn codes_of(sheets: &Sheets) -> Vec<String> {
    let rows = &sheets[0].2;
    let header = rows
        .iter()
        .position(|r| r.first().is_some_and(|c| matches!(c, Data::String(t) if t == "编号")))
        .expect("header");
    rows[header + 1..].iter().map(|r| r[0].to_string()).collect()
}

/// Judge `i`'s marks: 0 to QUOTA of their works, spread over the list.
fn marks_for(i: usize, codes: &[String]) -> Vec<String> {
    let count = i % (QUOTA as usize + 1);
    let mut picked: Vec<String> = Vec::new();
    for t in 0.. {
        if picked.len() == count {
            break;
        }
        let code = &codes[(i * 3 + t * 5) % codes.len()];
        if !picked.contains(code) {
            picked.push(code.clone());
        }
    }
    picked
}

fn file_of(files: &[PathBuf], judge: &str) -> PathBuf {
    files.iter().find(|f| f.to_string_lossy().contains(&format!("_{judge}."))).expect("file of judge").clone()
}

#[test]
fn forty_ballots_out_thirty_eight_back_and_the_tally_matches_the_window() {
    let mut desk = fixture();
    let out = desk._dir.path().join("选票");
    let files = export_ballots(&desk.store, Category::Motto, &out).expect("export");
    assert_eq!(files.len(), JUDGES);
    let story_files = export_ballots(&desk.store, Category::Story, &out).expect("story export");
    close_initial(desk.store.conn(), &admin(), Category::Story).expect("close the story round");

    // What the window's blind ballot shows is what the workbook holds, seal hidden.
    let first = read_all(&file_of(&files, "评委01"));
    assert_eq!(first.iter().map(|(n, h, _)| (n.as_str(), *h)).collect::<Vec<_>>(), [("选票", false), ("封签", true)]);
    let judge1 = desk.as_judge(0);
    let window: Vec<String> = my_ballot(desk.store.conn(), &judge1, Category::Motto)
        .expect("ballot")
        .works
        .into_iter()
        .map(|w| w.code)
        .collect();
    desk.as_admin();
    assert_eq!(codes_of(&first), window);
    assert_eq!(window.len(), 21, "the judge's own unit's three works are left out");

    // 38 judges fill theirs in; judge 39 votes in the window instead and sends it too.
    let back = desk._dir.path().join("交回");
    std::fs::create_dir(&back).expect("dir");
    let mut cast: Vec<(usize, Vec<String>)> = Vec::new();
    for i in 0..39 {
        let name = format!("评委{:02}", i + 1);
        let sheets = read_all(&file_of(&files, &name));
        let codes = codes_of(&sheets);
        let marked = if i == 5 { codes[..QUOTA as usize + 2].to_vec() } else { marks_for(i, &codes) };
        let target = back.join(file_of(&files, &name).file_name().expect("name"));
        if i == 6 {
            // A work code changed by hand: the list no longer matches the seal.
            let changed = codes[0].clone();
            save_filled(&sheets, &marked, |t| if t == changed { format!("{t}9") } else { t.to_string() }, &target);
        } else {
            save_filled(&sheets, &marked, str::to_string, &target);
        }
        if i == 38 {
            desk.vote_in_window(38, &marked);
        }
        if i != 6 {
            cast.push((i, marked));
        }
    }
    // Judge 02's file sent twice; judge 01's story ballot for the closed round.
    let twice = back.join("家风家训初评选票_评委02_副本.xlsx");
    std::fs::copy(back.join(file_of(&files, "评委02").file_name().expect("name")), &twice).expect("copy");
    let story = read_all(&file_of(&story_files, "评委01"));
    save_filled(&story, &[], str::to_string, &back.join("家风家训故事初评选票_评委01.xlsx"));

    let returned: Vec<PathBuf> = volunteer_desk::io::ballot_workbook::ballot_files(&back).expect("files");
    assert_eq!(returned.len(), 41);
    let first = take_back(&desk.store, &returned, false).expect("take back");

    // Six judges ticked nothing: refused until the clerk confirms their abstentions.
    assert_eq!(first.taken.len(), 31, "{first}");
    let unmarked: Vec<String> =
        first.unmarked.iter().map(|p| p.file_name().expect("name").to_string_lossy().into_owned()).collect();
    let abstaining = ["01", "13", "19", "25", "31", "37"];
    assert_eq!(unmarked, abstaining.map(|n| format!("家风家训初评选票_评委{n}.xlsx")));
    let text = first.to_string();
    assert!(text.starts_with("本次 41 个文件：收回 31 份，拒收 10 份。\n家风家训初评：已收 32 / 应收 40"), "{text}");
    assert!(text.contains(&format!("\n拒收：“家风家训初评选票_评委13.xlsx”：{UNMARKED}")), "{text}");
    let summary = take_back(&desk.store, &first.unmarked, true).expect("abstentions");
    assert_eq!(summary.taken.iter().map(|t| t.votes).collect::<Vec<_>>(), [0; 6], "{summary}");
    let text = summary.to_string();
    assert!(
        text.starts_with("本次 6 个文件：收回 6 份，拒收 0 份。\n家风家训初评：已收 38 / 应收 40，其中作废 1 张"),
        "{text}"
    );
    assert!(text.contains("\n家风家训尚未交回（2 人）：评委07、评委40"), "{text}");

    let summary = first;
    let void: Vec<(&str, usize)> = summary.void().map(|t| (t.judge.as_str(), t.votes)).collect();
    assert_eq!(void, [("评委06", 7)]);
    let round = &summary.rounds[..];
    assert_eq!(round.len(), 1, "only the open round is summed up");
    assert_eq!((round[0].received, round[0].expected, round[0].void), (32, 40, 1));
    let refused: Vec<(String, &str)> = summary
        .refused
        .iter()
        .filter(|r| r.reason != UNMARKED)
        .map(|r| (r.file.clone(), r.reason.split('：').next().unwrap_or("")))
        .collect();
    assert_eq!(
        refused,
        [
            ("家风家训初评选票_评委02_副本.xlsx".to_string(), "重复"),
            ("家风家训初评选票_评委07.xlsx".to_string(), "封签不符"),
            ("家风家训初评选票_评委39.xlsx".to_string(), "评委39已在系统中投票（或保存了草稿），不能再收电子选票"),
            (
                "家风家训故事初评选票_评委01.xlsx".to_string(),
                "家风家训故事初评不在投票中（已结束或未开启），这张选票不能收回"
            ),
        ]
    );

    // Progress tells the ways apart (who, never what).
    let progress = progress(desk.store.conn(), &admin(), Category::Motto).expect("progress");
    let status = |name: &str| progress.judges.iter().find(|j| j.name == name).map(|j| j.status);
    assert_eq!(
        [status("评委02"), status("评委06"), status("评委07"), status("评委39")],
        [
            Some(BallotStatus::Workbook),
            Some(BallotStatus::Void),
            Some(BallotStatus::NotStarted),
            Some(BallotStatus::Submitted)
        ]
    );

    // The reverse: a judge whose workbook came back cannot vote in the window.
    let judge2 = desk.as_judge(1);
    let refusal = save_draft(desk.store.conn(), &judge2, Category::Motto, &[]).expect_err("already in");
    assert!(refusal.to_string().contains("已提交"), "{refusal}");
    desk.as_admin();

    // A second take-back of the same folder adds nothing.
    let again = take_back(&desk.store, &returned, true).expect("again");
    assert!(again.taken.is_empty());
    assert_eq!(again.refused.len(), 41);

    // The same votes cast in the window give the same tally.
    let mut other = fixture();
    for (i, marked) in &cast {
        if *i == 5 {
            let id = other.judges[5].0;
            assert!(
                record_paper_ballot(other.store.conn(), &admin(), Category::Motto, id, marked).expect("paper").void
            );
        } else {
            other.vote_in_window(*i, marked);
        }
    }
    let tallies: Vec<_> = [&desk, &other]
        .iter()
        .map(|d| {
            close_initial(d.store.conn(), &admin(), Category::Motto).expect("close");
            let tally = initial_tally(d.store.conn(), &admin(), Category::Motto).expect("tally");
            let rows: Vec<(String, u32)> = tally.rows.iter().map(|r| (r.code.clone(), r.votes)).collect();
            (rows, tally.judges, tally.handed_in, tally.void)
        })
        .collect();
    assert_eq!(tallies[0], tallies[1]);
    assert_eq!((tallies[0].1, tallies[0].2, tallies[0].3), (40, 38, 1));
    assert!(tallies[0].0.iter().map(|r| r.1).sum::<u32>() > 50, "votes were counted");

    // The round's record says which way each ballot came in, with the file's SHA-256.
    let record = desk._dir.path().join("评选结果.xlsx");
    write_contest_workbook(desk.store.conn(), &admin(), Category::Motto, &record).expect("record");
    let mut book = open_workbook_auto(&record).expect("record");
    let ballots = book.worksheet_range("初评选票").expect("ballot sheet");
    let rows: Vec<Vec<String>> = ballots.rows().skip(3).map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let channel = |name: &str| rows.iter().find(|r| r[0] == name).map(|r| (r[1].clone(), r[2].clone(), r[5].clone()));
    let bytes = std::fs::read(back.join("家风家训初评选票_评委02.xlsx")).expect("file");
    let sha: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(channel("评委02"), Some(("电子选票".into(), "有效".into(), sha)));
    assert_eq!(channel("评委06").map(|c| (c.0, c.1)), Some(("电子选票".into(), "废票".into())));
    assert_eq!(channel("评委39"), Some(("系统内".into(), "有效".into(), String::new())));
    assert_eq!(rows.len(), 38);
}

#[test]
fn a_ballot_for_a_round_that_closed_meanwhile_is_refused_and_recorded_nowhere() {
    let desk = fixture();
    let out = desk._dir.path().join("选票");
    let files = export_ballots(&desk.store, Category::Motto, &out).expect("export");
    close_initial(desk.store.conn(), &admin(), Category::Motto).expect("close");
    let summary = take_back(&desk.store, &files[..1], true).expect("take back");
    assert!(summary.taken.is_empty() && summary.rounds.is_empty());
    assert!(summary.refused[0].reason.contains("不在投票中"), "{summary}");
    let count: i64 =
        desk.store.conn().query_row("SELECT count(*) FROM contest_ballot", [], |r| r.get(0)).expect("count");
    assert_eq!(count, 0);
}

/// Writes `sheets` back as a program would, with `mark(row)` — a value or a formula — in 选择
/// of the rows it names.
fn save_with(sheets: &Sheets, to: &std::path::Path, mark: impl Fn(&str) -> Option<rust_xlsxwriter::Formula>) {
    save_sheets(sheets, to, str::to_string, |sheet, row, code| {
        if let Some(formula) = mark(code) {
            sheet.write_formula(row, 3, formula).expect("formula");
        }
    });
}

fn ballots_in_db(desk: &Fixture) -> i64 {
    desk.store.conn().query_row("SELECT count(*) FROM contest_ballot", [], |r| r.get(0)).expect("count")
}

#[test]
fn a_ballot_whose_seal_was_dropped_is_refused_as_a_ballot_and_never_imported() {
    let desk = fixture();
    let out = desk._dir.path().join("选票");
    let files = export_ballots(&desk.store, Category::Motto, &out).expect("export");
    let sheets = read_all(&file_of(&files, "评委01"));
    let codes = codes_of(&sheets);
    // The judge copied the visible sheet into a new workbook: the hidden 封签 stayed behind.
    let unsealed: Sheets = sheets.into_iter().filter(|(name, _, _)| name == "选票").collect();
    let back = desk._dir.path().join("交回");
    std::fs::create_dir(&back).expect("dir");
    // A name with a newline cannot write a line of its own into the summary.
    let file = back.join("评委01\n拒收：无.xlsx");
    save_filled(&unsealed, &codes[..2], str::to_string, &file);

    assert!(volunteer_desk::io::ballot_workbook::is_ballot_workbook(&file), "routed as a ballot");
    let summary = take_back(&desk.store, std::slice::from_ref(&file), true).expect("take back");
    assert!(summary.taken.is_empty());
    assert!(summary.refused[0].reason.starts_with("封签缺失："), "{summary}");
    let text = summary.to_string();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.ends_with(&format!("\n拒收：“评委01\\n拒收：无.xlsx”：{}", summary.refused[0].reason)), "{text}");

    // Given to the importer, it is refused as the same ballot, not read as a 选票 sheet of rows.
    let progress = volunteer_desk::io::import::Progress::new();
    let refusal = volunteer_desk::io::import::preview(&desk.store, &file, &progress).expect_err("refused");
    assert!(refusal.to_string().contains("封签缺失"), "{refusal}");
    assert!(refusal.to_string().contains("“评委01\\n拒收：无.xlsx”"), "{refusal}");
    // A sealed ballot is not imported either: it is taken back.
    let sealed = volunteer_desk::io::import::preview(&desk.store, &files[0], &progress).expect_err("refused");
    assert!(sealed.to_string().contains("收回选票"), "{sealed}");
    assert_eq!(ballots_in_db(&desk), 0);
}

#[test]
fn an_empty_ballot_is_an_abstention_only_when_confirmed_and_never_straight_from_the_export() {
    let desk = fixture();
    let out = desk._dir.path().join("选票");
    let files = export_ballots(&desk.store, Category::Motto, &out).expect("export");
    // The clerk picked the export folder itself: forty unfilled ballots.
    let exported = volunteer_desk::io::ballot_workbook::ballot_files(&out).expect("files");
    let unconfirmed = take_back(&desk.store, &exported, false).expect("take back");
    assert!(unconfirmed.taken.is_empty());
    assert_eq!(unconfirmed.unmarked.len(), JUDGES);
    assert!(unconfirmed.refused.iter().all(|r| r.reason == UNMARKED), "{unconfirmed}");
    // Confirmed as abstentions, they are still refused: nobody filled them in.
    let confirmed = take_back(&desk.store, &unconfirmed.unmarked, true).expect("take back");
    assert!(confirmed.taken.is_empty());
    assert!(confirmed.refused.iter().all(|r| r.reason.starts_with("未经填写：")), "{confirmed}");
    assert_eq!(ballots_in_db(&desk), 0);

    // A judge who opened the ballot, ticked nothing and saved it abstains, once confirmed.
    let back = desk._dir.path().join("交回");
    std::fs::create_dir(&back).expect("dir");
    let saved = back.join("评委03.xlsx");
    save_filled(&read_all(&file_of(&files, "评委03")), &[], str::to_string, &saved);
    let refused = take_back(&desk.store, std::slice::from_ref(&saved), false).expect("take back");
    assert_eq!((refused.taken.len(), refused.unmarked.len()), (0, 1), "{refused}");
    let taken = take_back(&desk.store, &refused.unmarked, true).expect("take back");
    assert_eq!(taken.taken.len(), 1, "{taken}");
    assert_eq!((taken.taken[0].votes, taken.taken[0].void), (0, false));
    assert_eq!(taken.rounds[0].received, 1);
}

#[test]
fn a_formula_in_the_choice_column_is_refused_cached_or_not() {
    let desk = fixture();
    let out = desk._dir.path().join("选票");
    let files = export_ballots(&desk.store, Category::Motto, &out).expect("export");
    let sheets = read_all(&file_of(&files, "评委01"));
    let codes = codes_of(&sheets);
    let back = desk._dir.path().join("交回");
    std::fs::create_dir(&back).expect("dir");
    let ticked = codes[1].clone();
    let uncached = back.join("uncached.xlsx");
    save_with(&sheets, &uncached, |code| (code == ticked).then(|| rust_xlsxwriter::Formula::new("=IF(TRUE,\"✓\")")));
    let cached = back.join("cached.xlsx");
    save_with(&sheets, &cached, |code| {
        (code == ticked).then(|| rust_xlsxwriter::Formula::new("=IF(TRUE,\"✓\")").set_result("✓"))
    });
    let summary = take_back(&desk.store, &[cached, uncached], true).expect("take back");
    assert!(summary.taken.is_empty());
    for refused in &summary.refused {
        assert_eq!(refused.reason, format!("作品“{ticked}”的“选择”是公式（=IF(TRUE,\"✓\")），只能是 ✓ 或留空"));
    }
    assert_eq!(ballots_in_db(&desk), 0);
}
