//! 队伍 tab: the team tree, the units, and the volunteer table with its filters and forms.
//! It shows state and queues `RegistryCommand`s, which `run.rs` carries out through the store.

mod run;

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use egui::{RichText, TextEdit};
use egui_extras::{Column, TableBuilder};

use super::command::AppCommand;
use super::date_picker::date_time_field;
use super::people::{RegistryData, person_tag};
use super::strings as s;
use super::tab::{TabContext, TabScreen, reading_ui};
use super::widgets::{
    Confirm, FormAction, WriteUi, form_window, labelled_text_edit, limited_text_edit, sealed_text_edit,
};
use crate::domain::input::{self, Count, Day, Mobile, Phone};
use crate::domain::search::Query;
use crate::domain::team::{TEAM_CODE_PATTERN, next_team_code};
use crate::domain::{DATE_FORMAT, TeamKind, limits};
use crate::store::teams::{NewTeam, TeamRow};
use crate::store::units::{NewUnit, UnitRow};
use crate::store::volunteers::{NewVolunteer, VolunteerRow};

pub const POLITICAL_STATUSES: [&str; 4] = ["中共党员", "中共预备党员", "共青团员", "群众"];

/// What the registry asks the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum RegistryCommand {
    SaveVolunteer { id: Option<i64>, volunteer: Box<NewVolunteer> },
    RecycleVolunteer { id: i64, deleted: bool },
    RevealIdNumber(i64),
    DissolveTeam(i64),
    SetPartyMembers { unit_id: i64, party_members: i64 },
    ExportVolunteers(Vec<i64>),
    WriteTemplate,
    Import,
    SaveTeam { id: Option<i64>, parent_id: Option<i64>, team: Box<NewTeam> },
    SaveUnit { id: Option<i64>, unit: NewUnit },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SortColumn {
    Code,
    Name,
    Unit,
    Team,
    Registered,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Filter {
    query: String,
    unit_id: Option<i64>,
    team_id: Option<i64>,
    political_status: Option<&'static str>,
    recycle_bin: bool,
}

/// The add/edit form of a volunteer.
#[derive(Clone, Debug, Default)]
pub struct VolunteerForm {
    id: Option<i64>,
    code: String,
    name: String,
    /// Typed in; on an edit, empty keeps the number on record.
    id_number: String,
    phone: String,
    /// The masked numbers on record, shown as the fields' hints on an edit.
    id_on_record: Option<String>,
    phone_on_record: Option<String>,
    unit_id: Option<i64>,
    team_id: Option<i64>,
    political_status: String,
    skills: String,
    registered_on: String,
    /// The store's refusal of the last save, shown in the form.
    pub error: Option<String>,
}

impl VolunteerForm {
    fn for_new(today: NaiveDate, unit_id: Option<i64>, team_id: Option<i64>) -> Self {
        VolunteerForm {
            unit_id,
            team_id,
            political_status: POLITICAL_STATUSES[0].to_string(),
            registered_on: today.format(DATE_FORMAT).to_string(),
            ..Default::default()
        }
    }

    fn for_edit(v: &VolunteerRow) -> Self {
        VolunteerForm {
            id: Some(v.id),
            code: v.code.clone(),
            name: v.name.clone(),
            id_number: String::new(),
            phone: String::new(),
            id_on_record: Some(v.id_masked.clone()),
            phone_on_record: Some(v.phone_masked.clone()),
            unit_id: Some(v.unit_id),
            team_id: v.team_id,
            political_status: v.political_status.clone(),
            skills: v.skills.clone(),
            registered_on: v.registered_on.clone(),
            error: None,
        }
    }

    /// The record to save, or why the form is not complete yet. Numbers and dates are read
    /// as the importer reads the same columns (`domain::input`): `１３８ 5778 1234` is a phone.
    fn to_volunteer(&self, today: NaiveDate) -> Result<NewVolunteer, String> {
        let unit_id = self.unit_id.ok_or("请选择所属单位")?;
        let Day(registered_on) = self.registered_on.parse::<Day>().map_err(|why| field(s::FIELD_REGISTERED_ON, why))?;
        // Empty keeps the number on record (an edit). A number that does not read goes to the
        // store as typed, which refuses it naming the person (the reason shows by the field).
        let id_number = match input::id_card(&self.id_number, today) {
            Ok(card) => card.number,
            Err(_) => self.id_number.trim().to_string(),
        };
        let phone = match self.phone.trim() {
            "" => String::new(),
            text => text.parse::<Mobile>().map_err(|why| field(s::FIELD_PHONE, why))?.0,
        };
        Ok(NewVolunteer {
            code: self.code.clone(),
            name: self.name.clone(),
            id_number,
            phone,
            unit_id,
            team_id: self.team_id,
            political_status: self.political_status.clone(),
            skills: self.skills.clone(),
            service_categories: String::new(),
            registered_on,
        })
    }
}

/// What the 队伍 screen holds: filters, order, selection and open forms.
#[derive(Default)]
struct RegistryTab {
    filter: Filter,
    /// Indices into the volunteers, filtered and sorted; recomputed only when either changes.
    visible: Vec<usize>,
    visible_for: Option<(Filter, SortColumn, bool)>,
    /// Those that pass every filter but the typed query, in order: a keystroke searches these
    /// (or narrows `visible`) without touching each volunteer's row.
    base: Vec<usize>,
    base_for: Option<(Filter, SortColumn, bool)>,
    /// Every volunteer in the order chosen: sorted when the order or the registry changes, not
    /// on every keystroke of a search (100,000 names took longer to sort than to filter).
    order: Vec<usize>,
    order_for: Option<(SortColumn, bool)>,
    sort: Option<(SortColumn, bool)>,
    selected: Option<i64>,
    /// The 身份证号 an administrator chose to see (显示证件号, logged), opened one at a time.
    revealed: HashMap<i64, String>,
    pub form: Option<VolunteerForm>,
    confirm_dissolve: Option<i64>,
    /// The volunteer whose 删除 waits for confirmation.
    confirm_delete: Option<i64>,
    party_members_edit: Option<(i64, String)>,
    pub team_form: Option<TeamForm>,
    pub unit_form: Option<UnitForm>,
    /// The volunteer table was wider than its place last frame.
    table_too_wide: bool,
}

/// The add/edit form of a unit: its name and its 党员总数.
#[derive(Clone, Debug, Default)]
pub struct UnitForm {
    id: Option<i64>,
    name: String,
    party_members: String,
    pub error: Option<String>,
}

impl UnitForm {
    fn for_edit(unit: &UnitRow) -> Self {
        UnitForm {
            id: Some(unit.id),
            name: unit.name.clone(),
            party_members: unit.party_members.to_string(),
            error: None,
        }
    }

    fn to_unit(&self) -> Result<NewUnit, String> {
        let party_members = match self.party_members.trim() {
            "" => 0,
            text => text.parse::<Count>().map_err(|why| field(s::PARTY_MEMBERS, why))?.0,
        };
        Ok(NewUnit { name: self.name.trim().to_string(), party_members })
    }
}

/// The add/edit form of a team. A new team goes under `parent_id`; its kind follows from the
/// parent's (支队 under the 总队, 专业服务队 under a 支队).
#[derive(Clone, Debug, Default)]
pub struct TeamForm {
    id: Option<i64>,
    kind: Option<TeamKind>,
    parent_id: Option<i64>,
    code: String,
    /// The next free code under the parent, taken when the code is left empty.
    suggested_code: String,
    name: String,
    unit_id: Option<i64>,
    manager_name: String,
    /// Typed in; on an edit, empty keeps the number on record.
    manager_phone: String,
    /// The masked number on record, the field's hint on an edit.
    phone_on_record: Option<String>,
    founded_on: String,
    service_fields: String,
    pub error: Option<String>,
}

impl TeamForm {
    /// The one 总队, at the root of the tree.
    fn for_corps() -> Self {
        TeamForm { kind: Some(TeamKind::Corps), suggested_code: next_team_code(None, []), ..Default::default() }
    }

    /// What the form's window is called: 编辑队伍, or 新建 and the kind.
    fn title(&self) -> &'static str {
        match (self.id, self.kind) {
            (Some(_), _) => s::EDIT_TEAM,
            (None, Some(TeamKind::Corps)) => s::NEW_CORPS,
            (None, Some(TeamKind::Detachment)) => s::NEW_DETACHMENT,
            (None, _) => s::NEW_SPECIALISED,
        }
    }

    fn for_child(parent: &TeamRow, teams: &[TeamRow]) -> Self {
        let kind = if parent.kind == TeamKind::Corps { TeamKind::Detachment } else { TeamKind::Specialised };
        TeamForm {
            kind: Some(kind),
            parent_id: Some(parent.id),
            suggested_code: code_under(parent, teams),
            unit_id: (kind == TeamKind::Specialised).then_some(parent.unit_id),
            ..Default::default()
        }
    }

    fn for_edit(team: &TeamRow) -> Self {
        TeamForm {
            id: Some(team.id),
            kind: Some(team.kind),
            parent_id: team.parent_id,
            code: team.code.clone(),
            suggested_code: String::new(),
            name: team.name.clone(),
            unit_id: Some(team.unit_id),
            manager_name: team.manager_name.clone(),
            manager_phone: String::new(),
            phone_on_record: Some(team.manager_phone_masked.clone()),
            founded_on: team.founded_on.clone().unwrap_or_default(),
            service_fields: team.service_fields.clone(),
            error: None,
        }
    }

    fn to_team(&self) -> Result<NewTeam, String> {
        let founded_on = match self.founded_on.trim() {
            "" => None,
            text => Some(text.parse::<Day>().map_err(|why| field(s::FIELD_FOUNDED_ON, why))?.0),
        };
        // Empty keeps the number on record (an edit).
        let manager_phone = match self.manager_phone.trim() {
            "" => String::new(),
            text => text.parse::<Phone>().map_err(|why| field(s::FIELD_MANAGER_PHONE, why))?.0,
        };
        let code = if self.code.trim().is_empty() { &self.suggested_code } else { &self.code };
        Ok(NewTeam {
            code: code.clone(),
            name: self.name.clone(),
            kind: self.kind.ok_or("队伍类型未定")?,
            parent_id: self.parent_id,
            unit_id: self.unit_id.ok_or("请选择所属单位")?,
            manager_name: self.manager_name.clone(),
            manager_phone,
            founded_on,
            service_fields: self
                .service_fields
                .split(['、', ';', '；', ',', '，'])
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(str::to_string)
                .collect(),
        })
    }
}

/// The 队伍 tab. What it shows is the registry the app keeps for 日历 and 签到 too
/// (`TabContext::people`).
#[derive(Default)]
pub struct Registry {
    screen: RegistryTab,
    /// Which of the registry's reads the cached order was made from (`Read::arrivals`).
    people_read: u64,
}

impl TabScreen for Registry {
    type Command = RegistryCommand;

    /// What other screens open here: the empty state's and the checklist's next steps.
    fn asked(&mut self, command: &AppCommand, now: NaiveDateTime, commands: &mut Vec<RegistryCommand>) {
        match command {
            AppCommand::NewUnit => self.screen.unit_form = Some(UnitForm::default()),
            AppCommand::NewCorps => self.screen.team_form = Some(TeamForm::for_corps()),
            AppCommand::NewVolunteer => self.screen.form = Some(VolunteerForm::for_new(now.date(), None, None)),
            AppCommand::WriteTemplate => commands.push(RegistryCommand::WriteTemplate),
            _ => {}
        }
    }

    fn has_open_form(&self) -> bool {
        let screen = &self.screen;
        screen.form.is_some() || screen.team_form.is_some() || screen.unit_form.is_some()
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut TabContext<'_>, commands: &mut Vec<RegistryCommand>) {
        let today = cx.today();
        if cx.people().is_none() {
            return reading_ui(ui, cx.people.is_pending());
        }
        // A new read arrived (the old one was shown meanwhile): the cached order is of the old.
        if self.people_read != cx.people.arrivals() {
            self.people_read = cx.people.arrivals();
            self.data_changed();
        }
        let Some(people) = cx.people.get() else { return };
        self.screen.tab_ui(ui, people, today, commands);
    }

    fn run(&mut self, cx: &mut TabContext<'_>, command: RegistryCommand) {
        self.carry_out(cx, command);
    }

    /// Forgets the cached order: the registry is read again.
    fn data_changed(&mut self) {
        self.screen.visible_for = None;
        self.screen.base_for = None;
        self.screen.order_for = None;
    }

    /// A lock or a change of user hides every 身份证号 shown: the next person at the screen
    /// sees the masks, and reveals (logged) what they may.
    fn gate_closed(&mut self) {
        self.screen.revealed.clear();
    }
}

impl RegistryTab {
    /// Shows a full 身份证号 whose revealing the store has logged.
    fn reveal(&mut self, volunteer_id: i64, id_number: String) {
        self.revealed.insert(volunteer_id, id_number);
    }

    /// The volunteers currently listed, for export.
    fn visible_ids(&self, data: &RegistryData) -> Vec<i64> {
        self.visible.iter().map(|&i| data.volunteers[i].id).collect()
    }

    fn tab_ui(
        &mut self,
        ui: &mut egui::Ui,
        data: &RegistryData,
        today: NaiveDate,
        commands: &mut Vec<RegistryCommand>,
    ) {
        egui::Panel::left("team_tree").resizable(true).default_size(340.0).show(ui, |ui| {
            // Long team names at 特大 scroll sideways instead of widening the panel over the table.
            egui::ScrollArea::both().auto_shrink([false, true]).show(ui, |ui| {
                ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
                self.team_tree_ui(ui, data);
                ui.separator();
                self.units_ui(ui, data, commands);
            });
        });
        egui::CentralPanel::default().show(ui, |ui| {
            self.selected_team_ui(ui, data);
            self.toolbar_ui(ui, data, today, commands);
            ui.separator();
            self.refresh_visible(data);
            self.table_ui(ui, data);
        });
        self.form_ui(ui.ctx(), data, today, commands);
        self.team_form_ui(ui.ctx(), data, commands);
        self.unit_form_ui(ui.ctx(), commands);
        self.confirm_ui(ui.ctx(), data, commands);
        self.confirm_delete_ui(ui.ctx(), data, commands);
    }

    fn team_tree_ui(&mut self, ui: &mut egui::Ui, data: &RegistryData) {
        ui.heading(s::TEAM_TREE);
        if ui.selectable_label(self.filter.team_id.is_none(), s::ALL_TEAMS).clicked() {
            self.filter.team_id = None;
        }
        for corps in data.teams.iter().filter(|t| t.kind == TeamKind::Corps) {
            self.team_node_ui(ui, data, corps);
        }
        // The tree grows from the one 总队: offered until it exists, then 支队 under it, said
        // where the 总队 button was so its going away is explained.
        match data.teams.iter().find(|t| t.kind == TeamKind::Corps && t.dissolved_on.is_none()) {
            None => {
                ui.label(RichText::new(s::NO_CORPS_YET).weak());
                if ui.write_button(s::NEW_CORPS).clicked() {
                    self.team_form = Some(TeamForm::for_corps());
                }
            }
            Some(corps) => {
                ui.add_space(4.0);
                if ui.write_button(s::NEW_DETACHMENT).clicked() {
                    self.team_form = Some(TeamForm::for_child(corps, &data.teams));
                }
                ui.label(RichText::new(s::CORPS_EXISTS).weak());
            }
        }
    }

    /// The selected team's particulars and what can be done to it, above the table.
    fn selected_team_ui(&mut self, ui: &mut egui::Ui, data: &RegistryData) {
        let Some(team) = self.filter.team_id.and_then(|id| data.teams.iter().find(|t| t.id == id)) else { return };
        ui.horizontal_wrapped(|ui| {
            ui.strong(&team.name);
            team_detail_ui(ui, team);
        });
        if team.dissolved_on.is_none() {
            ui.horizontal_wrapped(|ui| {
                if ui.write_button(s::EDIT_TEAM).clicked() {
                    self.team_form = Some(TeamForm::for_edit(team));
                }
                if team.kind != TeamKind::Specialised && ui.write_button(s::ADD_CHILD_TEAM).clicked() {
                    self.team_form = Some(TeamForm::for_child(team, &data.teams));
                }
                if team.kind != TeamKind::Corps && ui.write_button(s::DISSOLVE_TEAM).clicked() {
                    self.confirm_dissolve = Some(team.id);
                }
            });
        }
        ui.separator();
    }

    fn team_node_ui(&mut self, ui: &mut egui::Ui, data: &RegistryData, team: &TeamRow) {
        let children: Vec<&TeamRow> = data.teams.iter().filter(|t| t.parent_id == Some(team.id)).collect();
        // A team with teams below it: its own members / its subtree's, the list's 共 N 人 when chosen.
        let mut label = if children.is_empty() {
            format!("{}（{}人）", team.name, team.members)
        } else {
            format!("{}（{} / {} 人）", team.name, team.members, team.subtree_members)
        };
        if team.dissolved_on.is_some() {
            label.push_str(s::DISSOLVED_MARK);
        }
        let selected = self.filter.team_id == Some(team.id);
        // The panel cuts a long 支队 name at its edge: the whole name on hover.
        let hover = format!("{}（{}）", team.name, team.kind.label());
        if children.is_empty() {
            if ui.selectable_label(selected, label).on_hover_text(hover).clicked() {
                self.filter.team_id = Some(team.id);
            }
            return;
        }
        let id = ui.make_persistent_id(("team", team.id));
        egui::collapsing_header::CollapsingState::load_with_default_open(ui.ctx(), id, team.kind == TeamKind::Corps)
            .show_header(ui, |ui| {
                if ui.selectable_label(selected, label).on_hover_text(hover).clicked() {
                    self.filter.team_id = Some(team.id);
                }
            })
            .body(|ui| {
                for child in children {
                    self.team_node_ui(ui, data, child);
                }
            });
    }

    fn units_ui(&mut self, ui: &mut egui::Ui, data: &RegistryData, commands: &mut Vec<RegistryCommand>) {
        if ui.write_button(s::NEW_UNIT).clicked() {
            self.unit_form = Some(UnitForm::default());
        }
        let title = format!("{}（{} 个）", s::UNITS, data.units.len());
        egui::CollapsingHeader::new(title).id_salt("units").default_open(false).show(ui, |ui| {
            egui::Grid::new("units").striped(true).show(ui, |ui| {
                ui.label(RichText::new("单位").strong());
                ui.label(RichText::new("党员总数").strong());
                ui.label(RichText::new("注册率").strong());
                ui.label("");
                ui.end_row();
                for unit in &data.units {
                    ui.label(&unit.name);
                    match &mut self.party_members_edit {
                        Some((id, text)) if *id == unit.id => {
                            let edit =
                                ui.add(TextEdit::singleline(text).desired_width(50.0).hint_text(s::PARTY_MEMBERS));
                            if edit.lost_focus() {
                                if let Ok(Count(n)) = text.parse() {
                                    commands
                                        .push(RegistryCommand::SetPartyMembers { unit_id: unit.id, party_members: n });
                                }
                                self.party_members_edit = None;
                            }
                        }
                        _ => {
                            if ui.link(unit.party_members.to_string()).on_hover_text(s::EDIT_PARTY_MEMBERS).clicked() {
                                self.party_members_edit = Some((unit.id, unit.party_members.to_string()));
                            }
                        }
                    }
                    ui.label(rate(unit.volunteers, unit.party_members));
                    if ui.write_small_button(s::EDIT_UNIT).on_hover_text(&unit.name).clicked() {
                        self.unit_form = Some(UnitForm::for_edit(unit));
                    }
                    ui.end_row();
                }
            });
        });
    }

    fn toolbar_ui(
        &mut self,
        ui: &mut egui::Ui,
        data: &RegistryData,
        today: NaiveDate,
        commands: &mut Vec<RegistryCommand>,
    ) {
        ui.horizontal_wrapped(|ui| {
            let search = ui.label(s::SEARCH);
            ui.add(TextEdit::singleline(&mut self.filter.query).hint_text(s::SEARCH_HINT).desired_width(220.0))
                .labelled_by(search.id);
            let unit_name = self
                .filter
                .unit_id
                .and_then(|id| data.units.iter().find(|u| u.id == id))
                .map_or(s::ALL_UNITS, |u| u.name.as_str());
            let label = ui.label(s::FILTER_UNIT);
            egui::ComboBox::from_id_salt("filter_unit")
                .selected_text(unit_name)
                .width(160.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.unit_id, None, s::ALL_UNITS);
                    for unit in &data.units {
                        ui.selectable_value(&mut self.filter.unit_id, Some(unit.id), &unit.name);
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label(s::FILTER_POLITICAL);
            egui::ComboBox::from_id_salt("filter_political")
                .selected_text(self.filter.political_status.unwrap_or(s::ALL_POLITICAL))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.political_status, None, s::ALL_POLITICAL);
                    for status in POLITICAL_STATUSES {
                        ui.selectable_value(&mut self.filter.political_status, Some(status), status);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.checkbox(&mut self.filter.recycle_bin, s::RECYCLE_BIN);
        });
        // Wrapped: at 特大 the selected row's 编辑/删除 go on to a second line, not off screen.
        ui.horizontal_wrapped(|ui| {
            if ui.write_button(s::ADD_VOLUNTEER).clicked() {
                let team = self.filter.team_id.and_then(|id| data.teams.iter().find(|t| t.id == id));
                let unit_id = self.filter.unit_id.or(team.map(|t| t.unit_id));
                self.form = Some(VolunteerForm::for_new(today, unit_id, team.map(|t| t.id)));
            }
            if ui.write_button(s::IMPORT).clicked() {
                commands.push(RegistryCommand::Import);
            }
            if ui.button(s::DOWNLOAD_TEMPLATE).clicked() {
                commands.push(RegistryCommand::WriteTemplate);
            }
            if ui.button(s::EXPORT_LIST).clicked() {
                commands.push(RegistryCommand::ExportVolunteers(self.visible_ids(data)));
            }
            ui.label(format!("共 {} 人", self.visible.len()));
            let selected = self.selected.and_then(|id| data.volunteers.iter().find(|v| v.id == id));
            if let Some(v) = selected.filter(|v| v.deleted_at.is_some() == self.filter.recycle_bin) {
                ui.separator();
                ui.add(egui::Label::new(format!("选中：{}", v.name)).extend());
                self.row_actions_ui(ui, v, commands);
            }
        });
    }

    fn refresh_visible(&mut self, data: &RegistryData) {
        let sort = self.sort.unwrap_or((SortColumn::Code, true));
        let key = (self.filter.clone(), sort.0, sort.1);
        // The order holds every row: a registry read again with fewer rows is sorted again.
        if self.visible_for.as_ref() == Some(&key) && self.order.len() == data.volunteers.len() {
            return;
        }
        let previous = self.visible_for.take();
        let base_changed = self.refresh_base(data, sort);
        let query = Query::new(&self.filter.query);
        let shown_for = previous.as_ref().map(|(f, ..)| Query::new(&f.query));
        if !base_changed && shown_for.is_some_and(|shown| query.narrows(&shown)) {
            // The query only grew: whom it finds are among those shown (the first letter
            // searched everyone; the next ones search fewer).
            self.visible.retain(|&i| data.keys.matches(i, &query));
        } else {
            self.visible.clear();
            self.visible.extend(self.base.iter().copied().filter(|&i| data.keys.matches(i, &query)));
        }
        self.visible_for = Some(key);
    }

    /// Recomputes the rows passing every filter but the query when those filters, the order
    /// or the registry changed; says whether it did.
    fn refresh_base(&mut self, data: &RegistryData, sort: (SortColumn, bool)) -> bool {
        let filter = Filter { query: String::new(), ..self.filter.clone() };
        let key = (filter, sort.0, sort.1);
        if self.base_for.as_ref() == Some(&key) && self.order.len() == data.volunteers.len() {
            return false;
        }
        self.refresh_order(data, sort);
        let f = &key.0;
        let subtree = f.team_id.map(|id| subtree_of(&data.teams, id));
        self.base = self
            .order
            .iter()
            .copied()
            .filter(|&i| {
                let v = &data.volunteers[i];
                v.deleted_at.is_some() == f.recycle_bin
                    && f.unit_id.is_none_or(|u| v.unit_id == u)
                    && subtree.as_ref().is_none_or(|teams| v.team_id.is_some_and(|t| teams.contains(&t)))
                    && f.political_status.is_none_or(|p| v.political_status == p)
            })
            .collect();
        self.base_for = Some(key);
        true
    }

    /// Sorts every volunteer by `column` (stable: ties keep the registry's order).
    fn refresh_order(&mut self, data: &RegistryData, (column, ascending): (SortColumn, bool)) {
        if self.order_for == Some((column, ascending)) && self.order.len() == data.volunteers.len() {
            return;
        }
        let mut order: Vec<usize> = (0..data.volunteers.len()).collect();
        order.sort_by(|&a, &b| {
            let (va, vb) = (&data.volunteers[a], &data.volunteers[b]);
            let order = match column {
                SortColumn::Code => va.code.cmp(&vb.code),
                SortColumn::Name => data.keys.pinyin(a).cmp(data.keys.pinyin(b)),
                SortColumn::Unit => va.unit_name.cmp(&vb.unit_name),
                SortColumn::Team => va.team_name.cmp(&vb.team_name),
                SortColumn::Registered => va.registered_on.cmp(&vb.registered_on),
            };
            if ascending { order } else { order.reverse() }
        });
        self.order = order;
        self.order_for = Some((column, ascending));
    }

    /// The table scrolls sideways when its columns are wider than the screen (特大, a laptop):
    /// then the bar stays drawn and a line above says so, since a wheel alone never reaches
    /// 政治面貌 and 注册日期.
    fn table_ui(&mut self, ui: &mut egui::Ui, data: &RegistryData) {
        if self.visible.is_empty() {
            ui.label(RichText::new(s::NO_VOLUNTEERS).weak());
        }
        if self.table_too_wide {
            ui.label(RichText::new(s::TABLE_SCROLLS_SIDEWAYS).weak());
        }
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        ui.spacing_mut().scroll = egui::style::ScrollStyle::solid();
        let shown = egui::ScrollArea::horizontal()
            .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::VisibleWhenNeeded)
            .show(ui, |ui| self.table_body_ui(ui, data, row_height));
        let too_wide = shown.content_size.x > shown.inner_rect.width() + 1.0;
        if too_wide != self.table_too_wide {
            self.table_too_wide = too_wide;
            ui.ctx().request_discard("the table's sideways hint changed");
        }
    }

    fn table_body_ui(&mut self, ui: &mut egui::Ui, data: &RegistryData, row_height: f32) {
        // A click anywhere on a row selects it; selectable text would swallow the click.
        ui.style_mut().interaction.selectable_labels = false;
        // A 编号 or 身份证号 never breaks over two lines: the columns widen and scroll sideways.
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
        TableBuilder::new(ui)
            .striped(true)
            .sense(egui::Sense::click())
            .column(Column::auto().at_least(80.0))
            .column(Column::auto().at_least(70.0))
            .column(Column::auto().at_least(30.0))
            .column(Column::initial(150.0).clip(true))
            .column(Column::initial(180.0).clip(true))
            .column(Column::auto().at_least(160.0))
            .column(Column::auto().at_least(100.0))
            .column(Column::auto().at_least(90.0))
            .column(Column::auto().at_least(90.0))
            .header(row_height, |mut header| {
                for (title, column) in [
                    ("编号", Some(SortColumn::Code)),
                    ("姓名", Some(SortColumn::Name)),
                    ("性别", None),
                    ("单位", Some(SortColumn::Unit)),
                    ("服务队", Some(SortColumn::Team)),
                    ("身份证号", None),
                    ("手机号", None),
                    ("政治面貌", None),
                    ("注册日期", Some(SortColumn::Registered)),
                ] {
                    header.col(|ui| match column {
                        Some(column) => self.sort_header_ui(ui, title, column),
                        None => {
                            ui.strong(title);
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, self.visible.len(), |mut row| {
                    let v = &data.volunteers[self.visible[row.index()]];
                    row.set_selected(self.selected == Some(v.id));
                    row.col(|ui| {
                        ui.label(&v.code);
                    });
                    row.col(|ui| {
                        ui.label(&v.name);
                    });
                    row.col(|ui| {
                        ui.label(&v.gender);
                    });
                    row.col(|ui| {
                        ui.label(&v.unit_name);
                    });
                    row.col(|ui| {
                        ui.label(v.team_name.as_deref().unwrap_or("—"));
                    });
                    row.col(|ui| {
                        ui.label(self.revealed.get(&v.id).unwrap_or(&v.id_masked));
                    });
                    row.col(|ui| {
                        ui.label(&v.phone_masked);
                    });
                    row.col(|ui| {
                        ui.label(&v.political_status);
                    });
                    row.col(|ui| {
                        ui.label(&v.registered_on);
                    });
                    let response = row.response();
                    if response.clicked() {
                        self.selected = Some(v.id);
                    }
                    if response.double_clicked() && v.deleted_at.is_none() {
                        self.form = Some(VolunteerForm::for_edit(v));
                    }
                });
            });
    }

    fn sort_header_ui(&mut self, ui: &mut egui::Ui, title: &str, column: SortColumn) {
        let arrow = match self.sort {
            Some((c, true)) if c == column => " ▲",
            Some((c, false)) if c == column => " ▼",
            _ => "",
        };
        if ui.button(RichText::new(format!("{title}{arrow}")).strong()).clicked() {
            let ascending = !matches!(self.sort, Some((c, true)) if c == column);
            self.sort = Some((column, ascending));
        }
    }

    fn row_actions_ui(&mut self, ui: &mut egui::Ui, v: &VolunteerRow, commands: &mut Vec<RegistryCommand>) {
        if v.deleted_at.is_some() {
            if ui.write_button(s::RESTORE).clicked() {
                commands.push(RegistryCommand::RecycleVolunteer { id: v.id, deleted: false });
            }
            return;
        }
        if ui.write_button(s::EDIT).clicked() {
            self.form = Some(VolunteerForm::for_edit(v));
        }
        if ui.write_button(s::DELETE).on_hover_text(s::DELETE_HINT).clicked() {
            self.confirm_delete = Some(v.id);
        }
        if !self.revealed.contains_key(&v.id) && ui.button(s::REVEAL_ID).clicked() {
            commands.push(RegistryCommand::RevealIdNumber(v.id));
        }
    }

    fn form_ui(
        &mut self,
        ctx: &egui::Context,
        data: &RegistryData,
        today: NaiveDate,
        commands: &mut Vec<RegistryCommand>,
    ) {
        let Some(form) = &mut self.form else { return };
        let title = if form.id.is_some() { s::EDIT_VOLUNTEER } else { s::ADD_VOLUNTEER };
        let error = form.error.clone();
        let action = form_window(ctx, title, "volunteer_form", error.as_deref(), |ui| {
            if form.id.is_some() {
                ui.label("志愿者编号");
                ui.label(&form.code);
                ui.end_row();
            }
            limited_text_edit(ui, s::FIELD_NAME, &mut form.name, limits::PERSON_NAME);
            sealed_text_edit(ui, s::FIELD_ID_NUMBER, &mut form.id_number, form.id_on_record.as_deref());
            ui.label("");
            match input::id_card(&form.id_number, today) {
                _ if form.id_number.trim().is_empty() && form.id.is_some() => {
                    ui.label(RichText::new("身份证号加密保存，不显示；要更正请输入完整号码").weak())
                }
                _ if form.id_number.trim().is_empty() => {
                    ui.label(RichText::new("性别、出生日期将从身份证号读出").weak())
                }
                Ok(card) => ui.label(format!("{} · 出生于 {}", card.gender.label(), card.birth_date)),
                Err(why) => ui.colored_label(ui.visuals().error_fg_color, why),
            };
            ui.end_row();
            sealed_text_edit(ui, s::FIELD_PHONE, &mut form.phone, form.phone_on_record.as_deref());
            let label = ui.label(s::FIELD_UNIT);
            let unit_name = form
                .unit_id
                .and_then(|id| data.units.iter().find(|u| u.id == id))
                .map_or("请选择", |u| u.name.as_str());
            egui::ComboBox::from_id_salt("form_unit")
                .selected_text(unit_name)
                .width(220.0)
                .show_ui(ui, |ui| {
                    for unit in &data.units {
                        ui.selectable_value(&mut form.unit_id, Some(unit.id), &unit.name);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(s::FIELD_TEAM);
            let team_name = form
                .team_id
                .and_then(|id| data.teams.iter().find(|t| t.id == id))
                .map_or("（不加入服务队）", |t| t.name.as_str());
            egui::ComboBox::from_id_salt("form_team")
                .selected_text(team_name)
                .width(220.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut form.team_id, None, "（不加入服务队）");
                    let live = data.teams.iter().filter(|t| t.dissolved_on.is_none());
                    for team in
                        live.filter(|t| form.unit_id.is_none_or(|u| t.unit_id == u || t.kind == TeamKind::Corps))
                    {
                        ui.selectable_value(&mut form.team_id, Some(team.id), &team.name);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(s::FIELD_POLITICAL);
            egui::ComboBox::from_id_salt("form_political")
                .selected_text(form.political_status.as_str())
                .show_ui(ui, |ui| {
                    for status in POLITICAL_STATUSES {
                        ui.selectable_value(&mut form.political_status, status.to_string(), status);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            limited_text_edit(ui, s::FIELD_SKILLS, &mut form.skills, limits::FREE_TEXT);
            date_time_field(ui, s::FIELD_REGISTERED_ON, &mut form.registered_on, false);
        });
        match action {
            FormAction::Save => match form.to_volunteer(today) {
                Ok(volunteer) => {
                    commands.push(RegistryCommand::SaveVolunteer { id: form.id, volunteer: Box::new(volunteer) })
                }
                Err(why) => form.error = Some(why),
            },
            FormAction::Close => self.form = None,
            FormAction::None => {}
        }
    }

    fn team_form_ui(&mut self, ctx: &egui::Context, data: &RegistryData, commands: &mut Vec<RegistryCommand>) {
        let Some(form) = &mut self.team_form else { return };
        let title = form.title();
        let error = form.error.clone();
        let action = form_window(ctx, title, "team_form", error.as_deref(), |ui| {
            ui.label("类型");
            ui.label(form.kind.map_or("", TeamKind::label));
            ui.end_row();
            if form.id.is_some() {
                ui.label("队伍编号");
                ui.label(&form.code);
                ui.end_row();
            } else {
                let label = ui.label(s::FIELD_TEAM_CODE);
                let hint = format!("留空即用 {}", form.suggested_code);
                ui.add(TextEdit::singleline(&mut form.code).desired_width(220.0).hint_text(hint)).labelled_by(label.id);
                ui.end_row();
                ui.label("");
                ui.label(RichText::new(TEAM_CODE_PATTERN).weak());
                ui.end_row();
            }
            limited_text_edit(ui, s::FIELD_TEAM_NAME, &mut form.name, limits::NAME);
            if form.kind != Some(TeamKind::Corps) {
                let label = ui.label(s::FIELD_PARENT);
                let parent_kind =
                    if form.kind == Some(TeamKind::Detachment) { TeamKind::Corps } else { TeamKind::Detachment };
                let parents = data.teams.iter().filter(|t| t.kind == parent_kind && t.dissolved_on.is_none());
                let current = form
                    .parent_id
                    .and_then(|id| data.teams.iter().find(|t| t.id == id))
                    .map_or("请选择", |t| &t.name);
                egui::ComboBox::from_id_salt("team_parent")
                    .selected_text(current)
                    .width(240.0)
                    .show_ui(ui, |ui| {
                        for parent in parents {
                            if ui.selectable_value(&mut form.parent_id, Some(parent.id), &parent.name).clicked()
                                && form.id.is_none()
                            {
                                form.suggested_code = code_under(parent, &data.teams);
                            }
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
            }
            let label = ui.label(s::FIELD_UNIT);
            let unit_name =
                form.unit_id.and_then(|id| data.units.iter().find(|u| u.id == id)).map_or("请选择", |u| &u.name);
            egui::ComboBox::from_id_salt("team_unit")
                .selected_text(unit_name)
                .width(240.0)
                .show_ui(ui, |ui| {
                    for unit in &data.units {
                        ui.selectable_value(&mut form.unit_id, Some(unit.id), &unit.name);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            limited_text_edit(ui, s::FIELD_MANAGER, &mut form.manager_name, limits::PERSON_NAME);
            sealed_text_edit(ui, s::FIELD_MANAGER_PHONE, &mut form.manager_phone, form.phone_on_record.as_deref());
            date_time_field(ui, s::FIELD_FOUNDED_ON, &mut form.founded_on, false);
            limited_text_edit(ui, s::FIELD_SERVICE_FIELDS, &mut form.service_fields, limits::FREE_TEXT);
        });
        match action {
            FormAction::Save => match form.to_team() {
                Ok(team) => commands.push(RegistryCommand::SaveTeam {
                    id: form.id,
                    parent_id: form.parent_id,
                    team: Box::new(team),
                }),
                Err(why) => form.error = Some(why),
            },
            FormAction::Close => self.team_form = None,
            FormAction::None => {}
        }
    }

    fn unit_form_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<RegistryCommand>) {
        let Some(form) = &mut self.unit_form else { return };
        let title = if form.id.is_some() { s::EDIT_UNIT } else { s::NEW_UNIT };
        let error = form.error.clone();
        let action = form_window(ctx, title, "unit_form", error.as_deref(), |ui| {
            limited_text_edit(ui, s::NEW_UNIT_NAME, &mut form.name, limits::NAME);
            labelled_text_edit(ui, s::PARTY_MEMBERS, &mut form.party_members);
        });
        match action {
            FormAction::Save => match form.to_unit() {
                Ok(unit) => commands.push(RegistryCommand::SaveUnit { id: form.id, unit }),
                Err(why) => form.error = Some(why.to_string()),
            },
            FormAction::Close => self.unit_form = None,
            FormAction::None => {}
        }
    }

    fn confirm_ui(&mut self, ctx: &egui::Context, data: &RegistryData, commands: &mut Vec<RegistryCommand>) {
        let Some(team) = self.confirm_dissolve.and_then(|id| data.teams.iter().find(|t| t.id == id)) else { return };
        let question = format!(
            "撤销后该队伍保留历史活动与时数，不再接收新队员和新活动；现有 {} 名队员将转入上级队伍。",
            team.members
        );
        let confirm = Confirm::new(
            format!("撤销“{}”？", team.name),
            question,
            s::CONFIRM_DISSOLVE,
            RegistryCommand::DissolveTeam(team.id),
        );
        let closed = confirm.show(ctx, commands);
        if closed {
            self.confirm_dissolve = None;
        }
    }

    /// 删除 names the person and says what happens: the recycle bin keeps hours and history.
    fn confirm_delete_ui(&mut self, ctx: &egui::Context, data: &RegistryData, commands: &mut Vec<RegistryCommand>) {
        let Some(v) = self.confirm_delete.and_then(|id| data.volunteers.iter().find(|v| v.id == id)) else {
            // Gone meanwhile (another window, the recycle bin): nothing left to ask about.
            self.confirm_delete = None;
            return;
        };
        let title = format!("删除 {}（{}）？", person_tag(v), v.unit_name);
        let question = "移入回收站：时数、签到和报名记录都保留，可勾选“回收站”查看并恢复。";
        let recycle = RegistryCommand::RecycleVolunteer { id: v.id, deleted: true };
        if Confirm::new(title, question, s::CONFIRM_DELETE_VOLUNTEER, recycle).show(ctx, commands) {
            self.confirm_delete = None;
        }
    }
}

fn team_detail_ui(ui: &mut egui::Ui, team: &TeamRow) {
    let mut parts = vec![
        format!("编号 {}", team.code),
        team.kind.label().to_string(),
        team.unit_name.clone(),
        format!("负责人 {} {}", team.manager_name, team.manager_phone_masked),
    ];
    if let Some(founded) = &team.founded_on {
        parts.push(format!("成立于 {founded}"));
    }
    if !team.service_fields.is_empty() {
        parts.push(format!("服务领域：{}", team.service_fields));
    }
    if let Some(dissolved) = &team.dissolved_on {
        parts.push(format!("已于 {dissolved} 撤销"));
    }
    ui.label(RichText::new(parts.join(" · ")).weak());
}

/// A field's reason, named: the form shows one error line, under all the fields.
fn field(label: &str, why: String) -> String {
    format!("{label}：{why}")
}

/// The next free code for a new team under `parent`.
fn code_under(parent: &TeamRow, teams: &[TeamRow]) -> String {
    next_team_code(Some(&parent.code), teams.iter().map(|t| t.code.as_str()))
}

/// A team and every team below it.
fn subtree_of(teams: &[TeamRow], root: i64) -> HashSet<i64> {
    let mut found = HashSet::from([root]);
    let mut grew = true;
    while grew {
        grew = false;
        for t in teams {
            if t.parent_id.is_some_and(|p| found.contains(&p)) && found.insert(t.id) {
                grew = true;
            }
        }
    }
    found
}

fn rate(part: i64, whole: i64) -> String {
    if whole == 0 { "—".to_string() } else { format!("{:.1}%", part as f64 * 100.0 / whole as f64) }
}
