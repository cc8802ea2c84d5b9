//! 家风家训 tab: the 「好家风·好家训」 contest, one screen per stage. Which screens a person
//! sees follows their role: a judge only the ballot, an expert only the score sheet, the
//! administrator everything, the 录入员 works and 查重, the supervisor everything read-only.
//! The screens show what the store gives and queue [`ContestCommand`]s for `run.rs`; the store
//! decides.

mod ballot;
mod data;
mod export;
mod final_round;
mod judges;
mod publicity;
mod rounds;
mod run;
mod screening;
mod tally;
mod works;

use chrono::NaiveDate;
use egui::RichText;

pub use data::ContestData;

use super::command::AppCommand;
use super::strings as s;
use super::tab::{Read, TabContext, TabScreen, reading_ui};
use super::widgets;
use crate::domain::access::{Action, Role, allows};
use crate::domain::contest::awards::Award;
use crate::domain::contest::{Category, CategoryRules, RoundState, Tier};
use crate::store::Actor;
use crate::store::contest::judges::NewJudge;
use crate::store::contest::publicity::{NewObjection, Ruling};
use crate::store::contest::screening::Decision;
use crate::store::contest::tally::RoundTally;
use crate::store::contest::works::NewWork;

/// What the contest screens ask the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum ContestCommand {
    /// Opens the import dialog (the 作品 sheet is one of the sheets it reads).
    Import,
    SaveWork {
        id: Option<i64>,
        work: Box<NewWork>,
    },
    Withdraw {
        id: i64,
        reason: String,
    },
    DecidePair {
        pair: i64,
        decision: Decision,
        kept: Option<i64>,
        note: String,
    },
    AddJudge(NewJudge),
    IssueSlips(Vec<i64>),
    ExportSlips,
    /// A forward move of the state machine that needs nothing but the click.
    Advance {
        category: Category,
        to: RoundState,
    },
    Reopen {
        category: Category,
        to: RoundState,
        reason: String,
    },
    PaperBallot {
        category: Category,
        judge: i64,
        codes: Vec<String>,
    },
    SaveDraft {
        category: Category,
        works: Vec<i64>,
    },
    SubmitBallot {
        category: Category,
        works: Vec<i64>,
    },
    StartRunoff(Category),
    CloseRunoff(Category),
    AdmitTieBand {
        category: Category,
        reason: String,
    },
    ConfirmShortlist(Category),
    SaveScores {
        category: Category,
        scores: Vec<(i64, u8)>,
        submit: bool,
    },
    SetAwards {
        category: Category,
        awards: Vec<Award>,
        /// Why works level on mean score are parted; empty when none are.
        reason: String,
    },
    SetRules {
        category: Category,
        rules: CategoryRules,
    },
    SetTiers {
        category: Category,
        tiers: Vec<Tier>,
    },
    StartPublicity {
        category: Category,
        starts_on: NaiveDate,
        working_days: u32,
    },
    RegisterObjection(Box<NewObjection>),
    RuleObjection {
        id: i64,
        ruling: Ruling,
        text: String,
        ruled_on: NaiveDate,
    },
    /// The category's record as far as it has got: tallies, shortlist, awards, 公示.
    ExportRecord(Category),
    /// 导出选票: a sealed workbook per judge who has not voted, into one folder.
    ExportBallots(Category),
    /// 收回选票: the returned workbooks in a folder, with the summary in a dialog.
    TakeBackBallots,
    /// Ballots with no mark, confirmed by the clerk as the judges' abstentions.
    TakeBackAbstentions(Vec<std::path::PathBuf>),
    /// A returned ballot's receipt shown again (by ballot id), logged.
    ShowReceipt(i64),
}

/// The screens of the tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    Works,
    Screening,
    Judges,
    Rounds,
    Tally,
    Final,
    Publicity,
    Ballot,
    Scoring,
}

impl Section {
    const ALL: [Section; 9] = [
        Section::Works,
        Section::Screening,
        Section::Judges,
        Section::Rounds,
        Section::Tally,
        Section::Final,
        Section::Publicity,
        Section::Ballot,
        Section::Scoring,
    ];

    fn label(self) -> &'static str {
        match self {
            Section::Works => s::CONTEST_WORKS,
            Section::Screening => s::CONTEST_SCREENING,
            Section::Judges => s::CONTEST_JUDGES,
            Section::Rounds => s::CONTEST_ROUNDS,
            Section::Tally => s::CONTEST_TALLY,
            Section::Final => s::CONTEST_FINAL,
            Section::Publicity => s::CONTEST_PUBLICITY,
            Section::Ballot => s::CONTEST_BALLOT,
            Section::Scoring => s::CONTEST_SCORING,
        }
    }

    /// Judges and experts see their own sheet only; the 录入员 works and 查重; the supervisor
    /// every view of the organisers (read-only), but not 查重, which shows pairs to decide.
    fn visible_to(self, role: Role) -> bool {
        let organiser = allows(role, Action::RunContestRounds) || role == Role::Supervisor;
        match self {
            Section::Works => allows(role, Action::ManageContestWorks) || organiser,
            Section::Screening => allows(role, Action::ManageContestWorks),
            Section::Judges | Section::Rounds | Section::Tally | Section::Final | Section::Publicity => organiser,
            Section::Ballot => allows(role, Action::CastBallot),
            Section::Scoring => allows(role, Action::ScoreFinal),
        }
    }
}

/// What every screen works with in a frame.
pub struct Screen<'a> {
    category: Category,
    state: RoundState,
    /// The administrator, who moves the rounds (the supervisor only reads).
    can_run: bool,
    /// The administrator or 录入员, who enter works and decide 查重.
    can_manage: bool,
    data: &'a ContestData,
    commands: &'a mut Vec<ContestCommand>,
    confirm: &'a mut Option<Confirm>,
}

/// An action that cannot be taken back, waiting for a second click.
type Confirm = widgets::Confirm<ContestCommand>;

/// The 家风家训 tab: its screen and what it read for the screen in view.
#[derive(Default)]
pub struct Contest {
    screen: ContestTab,
    data: Read<data::ReadKey, ContestData>,
}

impl TabScreen for Contest {
    type Command = ContestCommand;

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut TabContext<'_>, commands: &mut Vec<ContestCommand>) {
        let actor = cx.store.actor().clone();
        let (key, tallies) = self.screen.wanted(&actor);
        self.data.refresh(key, cx.reader(), move |store, key| data::read(store, key, &tallies));
        match self.data.get() {
            Some(data) => {
                self.screen.keep_tallies(data);
                self.screen.tab_ui(ui, &actor, data, commands);
            }
            None => reading_ui(ui, self.data.is_pending()),
        }
    }

    fn is_reading(&self) -> bool {
        self.data.is_pending()
    }

    /// The import is the registry's dialog, opened by the app; a refusal shown in a form
    /// still has the screen read again.
    fn run(&mut self, cx: &mut TabContext<'_>, command: ContestCommand) {
        if command == ContestCommand::Import {
            cx.ask(AppCommand::Import);
            return;
        }
        let today = cx.today();
        match self.screen.run(cx.store, cx.dialogs, command, today) {
            Some(outcome) => cx.finish(outcome),
            None => self.data.forget(),
        }
    }

    fn data_changed(&mut self) {
        self.data.forget();
    }

    fn gate_closed(&mut self) {
        self.screen.gate_closed();
    }
}

/// The tab's own state: the category and screen in view, what is being typed, and the
/// tallies read so far (reading one is logged, so it is read once per closed round).
struct ContestTab {
    category: Category,
    section: Option<Section>,
    /// Whose state this is: another login starts afresh (slips and drafts are theirs).
    account: Option<Option<i64>>,
    works: works::WorksView,
    screening: screening::ScreeningView,
    judges: judges::JudgesView,
    rounds: rounds::RoundsView,
    ballot: ballot::BallotPane,
    tally: tally::TallyView,
    final_round: final_round::FinalView,
    publicity: publicity::PublicityView,
    confirm: Option<Confirm>,
    tallies: Vec<RoundTally>,
}

impl Default for ContestTab {
    fn default() -> Self {
        ContestTab {
            category: Category::Motto,
            section: None,
            account: None,
            works: Default::default(),
            screening: Default::default(),
            judges: Default::default(),
            rounds: Default::default(),
            ballot: Default::default(),
            tally: Default::default(),
            final_round: Default::default(),
            publicity: Default::default(),
            confirm: None,
            tallies: Vec::new(),
        }
    }
}

impl ContestTab {
    /// The screen in view: the one chosen, if the role may see it, else the role's first.
    fn section(&self, role: Role) -> Section {
        self.section
            .filter(|s| s.visible_to(role))
            .or_else(|| Section::ALL.into_iter().find(|s| s.visible_to(role)))
            .unwrap_or(Section::Ballot)
    }

    /// The window locked or was handed over: one-time passwords and pending confirmations
    /// are not shown to whoever logs in next, even the same person.
    fn gate_closed(&mut self) {
        self.judges.slips_issued(Vec::new());
        self.confirm = None;
    }

    /// Forgets everything typed or shown for the previous login.
    fn start_afresh_for(&mut self, actor: &Actor) {
        if self.account != Some(actor.account_id) {
            *self = ContestTab { category: self.category, account: Some(actor.account_id), ..ContestTab::default() };
        }
    }

    fn tab_ui(&mut self, ui: &mut egui::Ui, actor: &Actor, data: &ContestData, commands: &mut Vec<ContestCommand>) {
        let role = actor.role;
        egui::CentralPanel::default().show(ui, |ui| {
            self.header_ui(ui, role, data);
            ui.separator();
            // Just switched screen or category: its data is being read.
            if !self.is_current(Some(data), actor) {
                ui.weak(s::READING);
                return;
            }
            let section = self.section(role);
            let mut screen = Screen {
                category: self.category,
                state: data.state(self.category),
                can_run: allows(role, Action::RunContestRounds),
                can_manage: allows(role, Action::ManageContestWorks),
                data,
                commands,
                confirm: &mut self.confirm,
            };
            let screen = &mut screen;
            // Scroll positions and open sections are each login's own: a ballot or score sheet
            // never opens where the previous user left it.
            ui.push_id(self.account, |ui| match section {
                Section::Works => self.works.ui(ui, screen),
                Section::Screening => self.screening.ui(ui, screen),
                Section::Judges => self.judges.ui(ui, screen),
                Section::Rounds => {
                    if let Some(section) = self.rounds.ui(ui, screen) {
                        self.section = Some(section);
                    }
                }
                Section::Tally => self.tally.ui(ui, screen),
                Section::Final => self.final_round.ui(ui, screen),
                Section::Publicity => self.publicity.ui(ui, screen),
                Section::Ballot => self.ballot.ui(ui, screen),
                Section::Scoring => self.final_round.scoring_ui(ui, screen),
            });
        });
        self.confirm_ui(ui.ctx(), commands);
    }

    /// The categories with where each stands, and the screens the role may open.
    fn header_ui(&mut self, ui: &mut egui::Ui, role: Role, data: &ContestData) {
        ui.horizontal_wrapped(|ui| {
            for category in Category::ALL {
                let stage = data.overview_of(category).map_or("", |o| o.state.label());
                let text = format!("{}（{stage}）", category.label());
                if ui.selectable_label(self.category == category, text).clicked() {
                    self.category = category;
                }
            }
            let sections: Vec<Section> = Section::ALL.into_iter().filter(|s| s.visible_to(role)).collect();
            if sections.len() > 1 {
                ui.separator();
                let current = self.section(role);
                for section in sections {
                    if ui.selectable_label(current == section, RichText::new(section.label()).strong()).clicked() {
                        self.section = Some(section);
                    }
                }
            }
        });
    }

    fn confirm_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<ContestCommand>) {
        widgets::confirm_ui(ctx, &mut self.confirm, commands);
    }
}

/// Asks before `command`: the title, what it will do, and the button that does it.
fn ask(confirm: &mut Option<Confirm>, title: &str, lines: Vec<String>, button: &'static str, command: ContestCommand) {
    *confirm = Some(Confirm { title: title.to_string(), lines, button, command });
}

/// The first `chars` characters of a text on one line, with … when cut.
fn excerpt(text: &str, chars: usize) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= chars { line } else { format!("{}…", line.chars().take(chars).collect::<String>()) }
}

/// The button that writes the category's record (the same workbook from every screen).
fn export_button(ui: &mut egui::Ui, category: Category, commands: &mut Vec<ContestCommand>) {
    if ui.button(s::EXPORT_RECORD).on_hover_text(s::EXPORT_RECORD_HINT).clicked() {
        commands.push(ContestCommand::ExportRecord(category));
    }
}

/// A refusal the store gave for a dialog, under its fields.
/// A greyed line that says why a screen is empty or what comes next.
fn hint(ui: &mut egui::Ui, text: &str) {
    ui.label(RichText::new(text).weak());
}

/// A one-line labelled text field on a horizontal line (not a grid row).
fn inline_field(ui: &mut egui::Ui, label: &str, text: &mut String, width: f32) -> egui::Response {
    let name = ui.label(label);
    ui.add(egui::TextEdit::singleline(text).desired_width(width)).labelled_by(name.id)
}

/// A date typed as `2017-07-01`.
fn parse_day(text: &str) -> Option<NaiveDate> {
    crate::io::text::parse_date(text.trim())
}
