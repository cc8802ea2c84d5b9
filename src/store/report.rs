//! The year-end assessment (年度考核, domain §5): per unit, per team, per activity and per
//! volunteer figures of a year, by month, by category and for July, read in one pass over the
//! ledger so that a million sessions take a second, not a query per unit.
//!
//! Counts follow `stats --year` (formats.md), so every column sums to the city-wide figures
//! and the city's are those sums:
//! teams alive at 31 December; volunteers registered by then and not deleted; activities
//! starting in the year and not cancelled, by the unit of the organising team; credit of the
//! closed sessions at those activities and honour grants dated in the year (both net of
//! corrections), by the unit of the volunteer who earned them and by the team they belonged to
//! on the day of service (hours stay where they were earned).

use std::collections::HashMap;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension as _, params};

use crate::domain::Minutes;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::stats::YearStats;

/// The threshold of hours when nothing else is set; the migration's default too.
pub const DEFAULT_THRESHOLD: Minutes = Minutes(1200);
/// The activity month (党员志愿服务活动月).
pub const ACTIVITY_MONTH: u32 = 7;
/// Contest categories, as the contest stores them.
pub const CONTEST_CATEGORIES: [&str; 2] = ["家风家训", "家风家训故事"];
/// Award tiers counted per unit.
pub const AWARD_TIERS: [&str; 3] = ["一等奖", "二等奖", "三等奖"];
/// Where honour hours not tied to an activity are counted by category.
pub const OTHER_CATEGORY: &str = "其他（补录）";

/// Credit and honour, summed in minutes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hours {
    pub credit: Minutes,
    pub honor: Minutes,
}

impl Hours {
    pub fn total(self) -> Minutes {
        self.credit + self.honor
    }
}

/// The assessment figures of a unit, a team or the city.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    pub teams: i64,
    pub registered: i64,
    /// Registered volunteers with at least one closed session at an activity of the year.
    pub participants: i64,
    pub concentrated: i64,
    pub dispersed: i64,
    pub july_activities: i64,
    pub hours: Hours,
    /// Registered volunteers whose total hours of the year reach the threshold.
    pub meeting_threshold: i64,
    pub contest_works: i64,
    pub contest_awards: i64,
}

impl Figures {
    pub fn activities(&self) -> i64 {
        self.concentrated + self.dispersed
    }

    pub fn participation_rate(&self) -> Option<f64> {
        ratio(self.participants, self.registered)
    }

    pub fn threshold_share(&self) -> Option<f64> {
        ratio(self.meeting_threshold, self.registered)
    }

    /// Total hours per registered volunteer.
    pub fn hours_per_volunteer(&self) -> Option<f64> {
        (self.registered > 0).then(|| self.hours.total().0 as f64 / 60.0 / self.registered as f64)
    }
}

/// `part / whole`, none for an empty whole (a rate of nothing is not 0 %).
pub fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

#[derive(Clone, Debug, PartialEq)]
pub struct UnitFigures {
    pub unit_id: i64,
    pub name: String,
    pub party_members: i64,
    pub figures: Figures,
}

impl UnitFigures {
    pub fn registration_rate(&self) -> Option<f64> {
        ratio(self.figures.registered, self.party_members)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct TeamFigures {
    pub team_id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub figures: Figures,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ActivityFigures {
    pub activity_id: i64,
    pub code: String,
    pub name: String,
    pub team_name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub category: String,
    pub mode: String,
    pub starts_at: String,
    pub ends_at: String,
    pub capacity: Option<i64>,
    pub signed_up: i64,
    pub waiting: i64,
    /// Distinct volunteers with a closed session.
    pub attended: i64,
    pub hours: Hours,
}

/// A volunteer's hours of the year. Identity is kept whole here: whoever shows or writes it
/// masks it (《志愿服务条例》§20).
#[derive(Clone, Debug, PartialEq)]
pub struct VolunteerHours {
    pub volunteer_id: i64,
    pub code: String,
    pub name: String,
    pub gender: String,
    pub id_masked: String,
    pub phone_masked: String,
    pub unit_name: String,
    pub team_name: String,
    pub hours: Hours,
}

/// A unit's July: the activity month.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JulyFigures {
    pub unit_id: i64,
    pub name: String,
    pub concentrated: i64,
    pub dispersed: i64,
    pub participants: i64,
    pub hours: Hours,
}

/// A unit's contest works by category and awards by tier.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UnitContest {
    pub unit_id: i64,
    pub name: String,
    pub works: [i64; 2],
    pub awards: [i64; 3],
}

#[derive(Clone, Debug, PartialEq)]
pub struct CategoryHours {
    pub category: String,
    pub activities: i64,
    pub hours: Hours,
}

/// Everything the assessment workbook and the dashboard show for a year.
#[derive(Clone, Debug, PartialEq)]
pub struct YearReport {
    pub year: i32,
    pub city: YearStats,
    pub threshold: Minutes,
    /// The city's figures as the sum of the units'.
    pub total: Figures,
    pub units: Vec<UnitFigures>,
    pub teams: Vec<TeamFigures>,
    pub activities: Vec<ActivityFigures>,
    /// Empty when read by [`year_figures`] (the dashboard).
    pub volunteers: Vec<VolunteerHours>,
    /// January to December: credit by the month the activity started, honour by service date.
    pub months: [Hours; 12],
    pub categories: Vec<CategoryHours>,
    pub july: Vec<JulyFigures>,
    pub contest: Vec<UnitContest>,
}

/// The yearly threshold of hours (report_settings).
pub fn threshold(conn: &Connection) -> Result<Minutes> {
    let minutes: Option<i64> = conn
        .prepare_cached("SELECT threshold_minutes FROM report_settings WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(minutes.map_or(DEFAULT_THRESHOLD, Minutes))
}

/// Sets the yearly threshold; the schema refuses values outside 0.1–1000 hours.
pub fn set_threshold(conn: &Connection, threshold: Minutes) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO report_settings (id, threshold_minutes) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET threshold_minutes = excluded.threshold_minutes",
    )?
    .execute([threshold.0])?;
    Ok(())
}

/// The unit that files the assessment: the one holding the 总队 (the 机关工委).
pub fn reporting_unit(conn: &Connection) -> Result<String> {
    let name: Option<String> = conn
        .prepare_cached("SELECT u.name FROM team t JOIN unit u ON u.id = t.unit_id WHERE t.kind = '总队'")?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(name.unwrap_or_else(|| "市直机关工委".to_string()))
}

/// The latest year with an activity, for the dashboard to open on.
pub fn latest_year(conn: &Connection) -> Result<Option<i32>> {
    let year: Option<String> = conn
        .prepare_cached("SELECT substr(max(starts_at), 1, 4) FROM activity WHERE cancelled_at IS NULL")?
        .query_row([], |r| r.get(0))?;
    Ok(year.and_then(|y| y.parse().ok()))
}

/// Reads the year's report in one pass over the ledger.
pub fn year_report(conn: &Connection, year: i32) -> Result<YearReport> {
    read_year(conn, year, PeopleRows::Kept)
}

/// The year's figures without a row per volunteer (`volunteers` is empty): what the dashboard
/// shows. At 100,000 people their names, numbers and teams were ~50 MB the window kept.
pub fn year_figures(conn: &Connection, year: i32) -> Result<YearReport> {
    read_year(conn, year, PeopleRows::Left)
}

/// Whether the volunteers' own rows (the 志愿者时数 sheet) are read and kept.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PeopleRows {
    Kept,
    Left,
}

fn read_year(conn: &Connection, year: i32, rows: PeopleRows) -> Result<YearReport> {
    if !(1900..=9998).contains(&year) {
        return Err(Error::rejected(format!("年份 {year} 不正确")));
    }
    let span = YearSpan::new(year);
    let mut tally = Tally::read_registry(conn, &span, threshold(conn)?, rows)?;
    tally.read_activities(conn, &span)?;
    tally.read_sessions(conn)?;
    tally.read_corrections(conn)?;
    tally.read_grants(conn, &span)?;
    tally.read_signups(conn)?;
    let contest = contest_by_unit(conn, year, &tally.units)?;
    Ok(tally.finish(year, contest))
}

/// The year's bounds as the store writes dates and times.
struct YearSpan {
    first: String,
    last: String,
    next: String,
}

impl YearSpan {
    fn new(year: i32) -> Self {
        YearSpan {
            first: format!("{year:04}-01-01"),
            last: format!("{year:04}-12-31"),
            next: format!("{:04}-01-01", year + 1),
        }
    }
}

/// A team membership as the volunteer's history keeps it.
struct Membership {
    team: usize,
    joined_on: String,
    left_on: Option<String>,
}

struct Volunteer {
    row: VolunteerHours,
    unit: usize,
    /// Registered by 31 December and not deleted: counted in the registry figures.
    registered: bool,
    memberships: Vec<Membership>,
    /// The team at 31 December, for the registry figures.
    team_at_year_end: Option<usize>,
    participated: bool,
    participated_in_july: bool,
}

impl Volunteer {
    /// The team the volunteer belonged to on `date` (`YYYY-MM-DD`); service before the first
    /// membership counts for the team they joined on registering.
    fn team_on(&self, date: &str) -> Option<usize> {
        match self.memberships.as_slice() {
            [] => None,
            [only] => Some(only.team),
            all => all
                .iter()
                .find(|m| m.joined_on.as_str() <= date && m.left_on.as_deref().is_none_or(|left| date < left))
                .or_else(|| all.first())
                .map(|m| m.team),
        }
    }
}

struct Activity {
    row: ActivityFigures,
    category: usize,
    month: usize,
}

struct Tally {
    rows: PeopleRows,
    threshold: Minutes,
    units: Vec<UnitFigures>,
    unit_index: HashMap<i64, usize>,
    teams: Vec<TeamFigures>,
    team_index: HashMap<i64, usize>,
    team_alive: Vec<bool>,
    volunteers: Vec<Volunteer>,
    volunteer_index: IdIndex,
    activities: Vec<Activity>,
    activity_index: IdIndex,
    categories: Vec<CategoryHours>,
    months: [Hours; 12],
    july: Vec<JulyFigures>,
    /// (activity, volunteer) of every closed session, for distinct attendance.
    attendance: Vec<(u32, u32)>,
}

impl Tally {
    fn read_registry(conn: &Connection, span: &YearSpan, threshold: Minutes, rows: PeopleRows) -> Result<Tally> {
        let units: Vec<UnitFigures> = conn
            .prepare("SELECT id, name, party_members FROM unit ORDER BY id")?
            .query_map([], |r| {
                Ok(UnitFigures {
                    unit_id: r.get(0)?,
                    name: r.get(1)?,
                    party_members: r.get(2)?,
                    figures: Figures::default(),
                })
            })?
            .collect::<Result<_, _>>()?;
        let unit_index: HashMap<i64, usize> = units.iter().enumerate().map(|(i, u)| (u.unit_id, i)).collect();
        let july = units
            .iter()
            .map(|u| JulyFigures { unit_id: u.unit_id, name: u.name.clone(), ..JulyFigures::default() })
            .collect();
        let mut tally = Tally {
            rows,
            threshold,
            units,
            unit_index,
            teams: Vec::new(),
            team_index: HashMap::new(),
            team_alive: Vec::new(),
            volunteers: Vec::new(),
            volunteer_index: IdIndex::default(),
            activities: Vec::new(),
            activity_index: IdIndex::default(),
            categories: Vec::new(),
            months: [Hours::default(); 12],
            july,
            attendance: Vec::new(),
        };
        tally.read_teams(conn, span)?;
        tally.read_volunteers(conn, span)?;
        tally.read_memberships(conn, span)?;
        Ok(tally)
    }

    fn read_teams(&mut self, conn: &Connection, span: &YearSpan) -> Result<()> {
        let mut stmt = conn.prepare(
            "SELECT t.id, t.code, t.name, t.kind, t.unit_id, u.name,
                    (t.founded_on IS NULL OR t.founded_on <= ?1) AND (t.dissolved_on IS NULL OR t.dissolved_on > ?1)
             FROM team t JOIN unit u ON u.id = t.unit_id ORDER BY t.code",
        )?;
        let mut rows = stmt.query([&span.last])?;
        while let Some(r) = rows.next()? {
            let unit_id: i64 = r.get(4)?;
            let alive: bool = r.get(6)?;
            let team = TeamFigures {
                team_id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                kind: r.get(3)?,
                unit_id,
                unit_name: r.get(5)?,
                figures: Figures { teams: i64::from(alive), ..Figures::default() },
            };
            if alive && let Some(&unit) = self.unit_index.get(&unit_id) {
                self.units[unit].figures.teams += 1;
            }
            self.team_index.insert(team.team_id, self.teams.len());
            self.teams.push(team);
            self.team_alive.push(alive);
        }
        Ok(())
    }

    fn read_volunteers(&mut self, conn: &Connection, span: &YearSpan) -> Result<()> {
        let mut stmt = conn.prepare(
            "SELECT id, code, name, gender, id_masked, phone_masked, unit_id, registered_on <= ?1 AND deleted_at IS NULL
             FROM volunteer ORDER BY code",
        )?;
        let mut rows = stmt.query([&span.last])?;
        while let Some(r) = rows.next()? {
            let Some(&unit) = self.unit_index.get(&r.get::<_, i64>(6)?) else { continue };
            let registered: bool = r.get(7)?;
            if registered {
                self.units[unit].figures.registered += 1;
            }
            let id: i64 = r.get(0)?;
            self.volunteer_index.insert(id, self.volunteers.len());
            let row = match self.rows {
                PeopleRows::Kept => VolunteerHours {
                    volunteer_id: id,
                    code: r.get(1)?,
                    name: r.get(2)?,
                    gender: r.get(3)?,
                    id_masked: r.get(4)?,
                    phone_masked: r.get(5)?,
                    unit_name: self.units[unit].name.clone(),
                    team_name: String::new(),
                    hours: Hours::default(),
                },
                // Empty strings take no memory; only the hours are summed.
                PeopleRows::Left => VolunteerHours {
                    volunteer_id: id,
                    code: String::new(),
                    name: String::new(),
                    gender: String::new(),
                    id_masked: String::new(),
                    phone_masked: String::new(),
                    unit_name: String::new(),
                    team_name: String::new(),
                    hours: Hours::default(),
                },
            };
            self.volunteers.push(Volunteer {
                row,
                unit,
                registered,
                memberships: Vec::new(),
                team_at_year_end: None,
                participated: false,
                participated_in_july: false,
            });
        }
        Ok(())
    }

    fn read_memberships(&mut self, conn: &Connection, span: &YearSpan) -> Result<()> {
        let mut stmt = conn
            .prepare("SELECT volunteer_id, team_id, joined_on, left_on FROM team_membership ORDER BY joined_on, id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (Some(v), Some(&team)) =
                (self.volunteer_index.get(r.get(0)?), self.team_index.get(&r.get::<_, i64>(1)?))
            else {
                continue;
            };
            let membership = Membership { team, joined_on: r.get(2)?, left_on: r.get(3)? };
            let volunteer = &mut self.volunteers[v];
            if membership.joined_on <= span.last && membership.left_on.as_ref().is_none_or(|left| *left > span.last) {
                volunteer.team_at_year_end = Some(team);
            }
            volunteer.memberships.push(membership);
        }
        for volunteer in &mut self.volunteers {
            let Some(team) = volunteer.team_at_year_end else { continue };
            if self.rows == PeopleRows::Kept {
                volunteer.row.team_name = self.teams[team].name.clone();
            }
            if volunteer.registered {
                self.teams[team].figures.registered += 1;
            }
        }
        Ok(())
    }

    fn read_activities(&mut self, conn: &Connection, span: &YearSpan) -> Result<()> {
        let mut stmt = conn.prepare(
            "SELECT a.id, a.code, a.name, a.team_id, a.category, a.mode, a.starts_at, a.ends_at, a.capacity
             FROM activity a
             WHERE a.starts_at >= ?1 AND a.starts_at < ?2 AND a.cancelled_at IS NULL
             ORDER BY a.starts_at, a.code",
        )?;
        let mut rows = stmt.query([&span.first, &span.next])?;
        while let Some(r) = rows.next()? {
            let Some(&team) = self.team_index.get(&r.get::<_, i64>(3)?) else { continue };
            let Some(&unit) = self.unit_index.get(&self.teams[team].unit_id) else { continue };
            let category: String = r.get(4)?;
            let mode: String = r.get(5)?;
            let starts_at: String = r.get(6)?;
            let month = starts_at.get(5..7).and_then(|m| m.parse::<usize>().ok()).unwrap_or(1).clamp(1, 12) - 1;
            let concentrated = mode == "集中";
            let july = month + 1 == ACTIVITY_MONTH as usize;
            let category_index = self.category(&category);
            self.categories[category_index].activities += 1;
            for figures in [&mut self.units[unit].figures, &mut self.teams[team].figures] {
                if concentrated {
                    figures.concentrated += 1;
                } else {
                    figures.dispersed += 1;
                }
                figures.july_activities += i64::from(july);
            }
            if july {
                let in_july = &mut self.july[unit];
                if concentrated {
                    in_july.concentrated += 1;
                } else {
                    in_july.dispersed += 1;
                }
            }
            let id: i64 = r.get(0)?;
            self.activity_index.insert(id, self.activities.len());
            self.activities.push(Activity {
                row: ActivityFigures {
                    activity_id: id,
                    code: r.get(1)?,
                    name: r.get(2)?,
                    team_name: self.teams[team].name.clone(),
                    unit_id: self.units[unit].unit_id,
                    unit_name: self.units[unit].name.clone(),
                    category,
                    mode,
                    starts_at,
                    ends_at: r.get(7)?,
                    capacity: r.get(8)?,
                    signed_up: 0,
                    waiting: 0,
                    attended: 0,
                    hours: Hours::default(),
                },
                category: category_index,
                month,
            });
        }
        Ok(())
    }

    fn category(&mut self, name: &str) -> usize {
        match self.categories.iter().position(|c| c.category == name) {
            Some(i) => i,
            None => {
                self.categories.push(CategoryHours {
                    category: name.to_string(),
                    activities: 0,
                    hours: Hours::default(),
                });
                self.categories.len() - 1
            }
        }
    }

    /// Every closed session's credit, read from the sessions in one pass.
    fn read_sessions(&mut self, conn: &Connection) -> Result<()> {
        let mut stmt = conn.prepare(
            "SELECT credit_minutes, activity_id, volunteer_id, signed_in_at FROM credit_session
             WHERE credit_minutes IS NOT NULL",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let minutes = Minutes(r.get(0)?);
            let (Some(a), Some(v)) = (self.activity_index.get(r.get(1)?), self.volunteer_index.get(r.get(2)?)) else {
                continue;
            };
            self.add_credit(a, v, date_part(r.get_ref(3)?), minutes);
            self.attendance.push((a as u32, v as u32));
            let july = self.activities[a].month + 1 == ACTIVITY_MONTH as usize;
            let volunteer = &mut self.volunteers[v];
            volunteer.participated = true;
            volunteer.participated_in_july |= july;
        }
        Ok(())
    }

    /// Corrections of credit count where the corrected session counted.
    fn read_corrections(&mut self, conn: &Connection) -> Result<()> {
        let mut stmt = conn.prepare(
            "SELECT s.activity_id, s.volunteer_id, s.signed_in_at, k.minutes
             FROM credit_correction k JOIN credit_session s ON s.id = k.session_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (Some(a), Some(v)) = (self.activity_index.get(r.get(0)?), self.volunteer_index.get(r.get(1)?)) else {
                continue;
            };
            let minutes = Minutes(r.get(3)?);
            let day = date_part(r.get_ref(2)?);
            self.add_credit(a, v, day, minutes);
        }
        Ok(())
    }

    fn add_credit(&mut self, a: usize, v: usize, day: &str, minutes: Minutes) {
        let activity = &mut self.activities[a];
        activity.row.hours.credit += minutes;
        self.months[activity.month].credit += minutes;
        self.categories[activity.category].hours.credit += minutes;
        let july = activity.month + 1 == ACTIVITY_MONTH as usize;
        let volunteer = &mut self.volunteers[v];
        volunteer.row.hours.credit += minutes;
        self.units[volunteer.unit].figures.hours.credit += minutes;
        if july {
            self.july[volunteer.unit].hours.credit += minutes;
        }
        if let Some(team) = volunteer.team_on(day) {
            self.teams[team].figures.hours.credit += minutes;
        }
    }

    /// Honour grants dated in the year, corrections included (they carry the grant's date).
    fn read_grants(&mut self, conn: &Connection, span: &YearSpan) -> Result<()> {
        let mut stmt = conn.prepare(
            "SELECT volunteer_id, activity_id, service_date, minutes, a.category
             FROM honor_grant g LEFT JOIN activity a ON a.id = g.activity_id
             WHERE service_date BETWEEN ?1 AND ?2",
        )?;
        let mut rows = stmt.query([&span.first, &span.last])?;
        while let Some(r) = rows.next()? {
            let Some(v) = self.volunteer_index.get(r.get(0)?) else { continue };
            let minutes = Minutes(r.get(3)?);
            let day = date_part(r.get_ref(2)?);
            let month = day.get(5..7).and_then(|m| m.parse::<usize>().ok()).unwrap_or(1).clamp(1, 12) - 1;
            self.months[month].honor += minutes;
            let category: Option<String> = r.get(4)?;
            let category = self.category(category.as_deref().unwrap_or(OTHER_CATEGORY));
            self.categories[category].hours.honor += minutes;
            if let Some(a) = r.get::<_, Option<i64>>(1)?.and_then(|id| self.activity_index.get(id)) {
                self.activities[a].row.hours.honor += minutes;
            }
            let volunteer = &mut self.volunteers[v];
            volunteer.row.hours.honor += minutes;
            self.units[volunteer.unit].figures.hours.honor += minutes;
            if month + 1 == ACTIVITY_MONTH as usize {
                self.july[volunteer.unit].hours.honor += minutes;
            }
            if let Some(team) = volunteer.team_on(day) {
                self.teams[team].figures.hours.honor += minutes;
            }
        }
        Ok(())
    }

    fn read_signups(&mut self, conn: &Connection) -> Result<()> {
        let mut stmt = conn.prepare(
            "SELECT activity_id, status, count(*) FROM signup WHERE status <> '已退出' GROUP BY activity_id, status",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let Some(a) = self.activity_index.get(r.get(0)?) else { continue };
            let status: String = r.get(1)?;
            let count: i64 = r.get(2)?;
            let row = &mut self.activities[a].row;
            if status == "候补" {
                row.waiting += count;
            } else {
                row.signed_up += count;
            }
        }
        Ok(())
    }

    /// Participants, threshold and attendance, once every minute is in.
    fn count_people(&mut self) {
        for volunteer in &self.volunteers {
            if !volunteer.registered {
                continue;
            }
            let meets = volunteer.row.hours.total() >= self.threshold;
            let unit = &mut self.units[volunteer.unit].figures;
            unit.participants += i64::from(volunteer.participated);
            unit.meeting_threshold += i64::from(meets);
            self.july[volunteer.unit].participants += i64::from(volunteer.participated_in_july);
            if let Some(team) = volunteer.team_at_year_end {
                let team = &mut self.teams[team].figures;
                team.participants += i64::from(volunteer.participated);
                team.meeting_threshold += i64::from(meets);
            }
        }
        self.attendance.sort_unstable();
        self.attendance.dedup();
        for &(a, _) in &self.attendance {
            self.activities[a as usize].row.attended += 1;
        }
    }

    fn finish(mut self, year: i32, contest: Vec<UnitContest>) -> YearReport {
        self.count_people();
        for (unit, works) in self.units.iter_mut().zip(&contest) {
            unit.figures.contest_works = works.works.iter().sum();
            unit.figures.contest_awards = works.awards.iter().sum();
        }
        let total = sum_figures(self.units.iter().map(|u| &u.figures));
        // The units' sums are `stats --year` by construction (tests hold them equal to
        // `year_stats`); calling it again would read the million sessions a second time.
        let city = YearStats {
            teams: total.teams,
            volunteers: total.registered,
            activities: total.activities(),
            credit: total.hours.credit,
            honor: total.hours.honor,
        };
        let teams = self.teams.into_iter().zip(self.team_alive).filter(|(_, alive)| *alive).map(|(t, _)| t).collect();
        self.categories.sort_by(|a, b| b.hours.total().cmp(&a.hours.total()).then(a.category.cmp(&b.category)));
        if self.rows == PeopleRows::Left {
            self.volunteers = Vec::new();
        }
        YearReport {
            year,
            city,
            threshold: self.threshold,
            total,
            units: self.units,
            teams,
            activities: self.activities.into_iter().map(|a| a.row).collect(),
            volunteers: self
                .volunteers
                .into_iter()
                .filter(|v| v.registered || v.row.hours != Hours::default())
                .map(|v| v.row)
                .collect(),
            months: self.months,
            categories: self.categories,
            july: self.july,
            contest,
        }
    }
}

/// Row ids to positions: a vector for the dense rowids SQLite hands out (a million lookups a
/// report), a map for any far beyond the rows there are.
#[derive(Default)]
struct IdIndex {
    dense: Vec<u32>,
    sparse: HashMap<i64, u32>,
}

impl IdIndex {
    const NONE: u32 = u32::MAX;

    fn insert(&mut self, id: i64, position: usize) {
        let position = u32::try_from(position).unwrap_or(Self::NONE);
        match usize::try_from(id) {
            Ok(slot) if slot < 2 * self.dense.len() + 1_000_000 => {
                if slot >= self.dense.len() {
                    self.dense.resize(slot + 1, Self::NONE);
                }
                self.dense[slot] = position;
            }
            _ => {
                self.sparse.insert(id, position);
            }
        }
    }

    fn get(&self, id: i64) -> Option<usize> {
        let position = match usize::try_from(id).ok().and_then(|slot| self.dense.get(slot)) {
            Some(&position) if position != Self::NONE => Some(position),
            _ => self.sparse.get(&id).copied(),
        };
        position.map(|p| p as usize)
    }
}

/// The date of a stored time or date (`YYYY-MM-DD HH:MM` → `YYYY-MM-DD`).
fn date_part(value: ValueRef<'_>) -> &str {
    match value {
        ValueRef::Text(bytes) => std::str::from_utf8(bytes.get(..10).unwrap_or(bytes)).unwrap_or_default(),
        _ => "",
    }
}

/// The sum of several units' or teams' figures.
pub fn sum_figures<'a>(all: impl Iterator<Item = &'a Figures>) -> Figures {
    let mut sum = Figures::default();
    for f in all {
        sum.teams += f.teams;
        sum.registered += f.registered;
        sum.participants += f.participants;
        sum.concentrated += f.concentrated;
        sum.dispersed += f.dispersed;
        sum.july_activities += f.july_activities;
        sum.hours.credit += f.hours.credit;
        sum.hours.honor += f.hours.honor;
        sum.meeting_threshold += f.meeting_threshold;
        sum.contest_works += f.contest_works;
        sum.contest_awards += f.contest_awards;
    }
    sum
}

/// Contest works submitted in the year and awards won, per unit (in the order of `units`); an
/// award revoked in 公示 (`revoked_at`) does not count.
fn contest_by_unit(conn: &Connection, year: i32, units: &[UnitFigures]) -> Result<Vec<UnitContest>> {
    let mut by_unit: Vec<UnitContest> = units
        .iter()
        .map(|u| UnitContest { unit_id: u.unit_id, name: u.name.clone(), ..UnitContest::default() })
        .collect();
    let index: HashMap<i64, usize> = units.iter().enumerate().map(|(i, u)| (u.unit_id, i)).collect();
    let year = format!("{year:04}");
    let mut works = conn.prepare(
        "SELECT unit_id, category, count(*) FROM contest_work WHERE substr(submitted_on, 1, 4) = ?1
         GROUP BY unit_id, category",
    )?;
    let mut rows = works.query([&year])?;
    while let Some(r) = rows.next()? {
        let (Some(&unit), Some(category)) = (
            index.get(&r.get::<_, i64>(0)?),
            CONTEST_CATEGORIES.iter().position(|c| *c == r.get::<_, String>(1).unwrap_or_default()),
        ) else {
            continue;
        };
        by_unit[unit].works[category] += r.get::<_, i64>(2)?;
    }
    let mut awards = conn.prepare(
        "SELECT w.unit_id, a.tier, count(*) FROM contest_award a JOIN contest_work w ON w.id = a.work_id
         WHERE substr(w.submitted_on, 1, 4) = ?1 AND a.revoked_at IS NULL GROUP BY w.unit_id, a.tier",
    )?;
    let mut rows = awards.query(params![year])?;
    while let Some(r) = rows.next()? {
        let (Some(&unit), Some(tier)) = (index.get(&r.get::<_, i64>(0)?), tier_index(r.get_ref(1)?)) else {
            continue;
        };
        by_unit[unit].awards[tier] += r.get::<_, i64>(2)?;
    }
    Ok(by_unit)
}

/// A tier stored as its rank (1–3) or its name.
fn tier_index(value: ValueRef<'_>) -> Option<usize> {
    match value {
        ValueRef::Integer(rank @ 1..=3) => Some(rank as usize - 1),
        ValueRef::Text(name) => AWARD_TIERS.iter().position(|t| t.as_bytes() == name),
        _ => None,
    }
}

/// The window's API: what the screens ask, acting for the store's account.
impl Store {
    /// The latest year with an activity, for the dashboard to open on.
    pub fn latest_year(&self) -> Result<Option<i32>> {
        latest_year(&self.conn)
    }

    /// Reads the year's figures for the dashboard in one pass over the ledger, without a row
    /// per volunteer (the dashboard shows none; the workbook reads them itself).
    pub fn year_figures(&self, year: i32) -> Result<YearReport> {
        year_figures(&self.conn, year)
    }

    /// Sets the yearly threshold; the schema refuses values outside 0.1–1000 hours.
    pub fn set_threshold(&self, threshold: Minutes) -> Result<()> {
        set_threshold(&self.conn, threshold)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_far_beyond_the_rows_fall_back_to_a_map() {
        let mut index = IdIndex::default();
        index.insert(3, 0);
        index.insert(1, 1);
        index.insert(1 << 40, 2);
        index.insert(-5, 3);
        assert_eq!(
            [index.get(3), index.get(1), index.get(1 << 40), index.get(-5)],
            [Some(0), Some(1), Some(2), Some(3)]
        );
        assert_eq!((index.get(2), index.get(4), index.get(1 << 39)), (None, None, None));
        assert!(index.dense.len() < 10, "no vector sized by the far id");
    }

    #[test]
    fn tiers_are_read_as_ranks_or_names() {
        assert_eq!(tier_index(ValueRef::Integer(1)), Some(0));
        assert_eq!(tier_index(ValueRef::Text("三等奖".as_bytes())), Some(2));
        assert_eq!(tier_index(ValueRef::Integer(4)), None);
        assert_eq!(tier_index(ValueRef::Text("优秀奖".as_bytes())), None);
    }
}
