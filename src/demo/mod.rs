//! Deterministic demo data: a city's 机关 volunteer service in 2017 that reproduces the
//! newspaper's figures exactly — 78 teams, 2319 volunteers, 30 activities, 196.5 credit
//! hours and 222.9 honour hours — spread over units, teams, categories and July.
//!
//! The generator uses its own small PRNG rather than a crate's so the data stays the same
//! across dependency upgrades.

mod contest;
mod contest_text;
mod data;

pub use contest::DEMO_PASSWORD;

use crate::domain::access::{Action, Role, require};
use crate::store::accounts::{NewAccount, create_demo_account, hash_demo_password};
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rusqlite::Connection;

use crate::domain::identity::id_check_char;
use crate::domain::{Minutes, ServiceMode, TeamKind};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::activities::{NewActivity, insert_activity, publish_activity};
use crate::store::attendance::{NewHonorGrant, NewSession, grant_honor, record_session};
use crate::store::recruitment::sign_up;
use crate::store::teams::{NewTeam, insert_team};
use crate::store::units::{NewUnit, insert_unit};
use crate::store::volunteers::{NewVolunteer, insert_volunteer};

pub const DEMO_YEAR: i32 = 2017;
pub const VOLUNTEERS: usize = 2319;
pub const CREDIT: Minutes = Minutes(11_790); // 196.5 h
pub const HONOR: Minutes = Minutes(13_374); // 222.9 h
const HONOR_GRANTS_WITHOUT_ACTIVITY: usize = 48;
const RECORDER: &str = "示例数据";

/// Login, name, role and password of the demo's staff (judges come with the contest).
pub const DEMO_ACCOUNTS: &[(&str, &str, Role, &str)] = &[
    ("admin", "王管理", Role::Admin, "admin123"),
    ("luru", "李录入", Role::Clerk, "luru123"),
    ("jiandu", "赵监督", Role::Supervisor, "jiandu123"),
];

/// The demo database's 恢复码, published in the README: a demo file copied to another machine
/// opens its IDs with it. A real database's code is random and shown once.
pub const DEMO_RECOVERY_CODE: &str = "2017-JGDW-ZYFW-HJFX-HJXN-0000";

/// Fills an empty database with the demo data, in one transaction, and wraps its data key
/// under [`DEMO_RECOVERY_CODE`]. Only an administrator may, and only into a file with no
/// registry and no contest of its own.
pub fn load_demo(store: &mut Store, now: NaiveDateTime) -> Result<()> {
    require(store.actor().role, Action::Administer)?;
    if !store.counts()?.is_empty() || holds_a_contest(store.conn())? {
        return Err(Error::rejected("数据库中已有数据，示例数据只能载入空数据库"));
    }
    let actor = store.actor().clone();
    let generate = |conn: &Connection| {
        Generator::new(conn, now).run()?;
        contest::load(conn, &actor)
    };
    store.bulk("载入示例数据", "数据库", generate, |_| "2017 年示例数据".to_string())?;
    store.wrap_under(DEMO_RECOVERY_CODE)
}

/// Judges (who need no unit) or works entered before any registry.
fn holds_a_contest(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM contest_judge) OR EXISTS (SELECT 1 FROM contest_work)",
        [],
        |r| r.get(0),
    )?)
}

/// SplitMix64: tiny, fast and fixed forever.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn between(&mut self, low: i64, high: i64) -> i64 {
        low + (self.next() % (high - low + 1) as u64) as i64
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

struct Generator<'c> {
    conn: &'c Connection,
    now: NaiveDateTime,
    rng: Rng,
    unit_ids: HashMap<&'static str, i64>,
    /// A unit's 支队, or a specialised team's name, to its team id.
    team_ids: HashMap<&'static str, i64>,
    /// Per unit: the ids of its volunteers (ordered maps: the output must not depend on
    /// hash order).
    volunteers_by_unit: BTreeMap<i64, Vec<i64>>,
    /// Per team: the ids of its volunteers.
    volunteers_by_team: BTreeMap<i64, Vec<i64>>,
}

impl<'c> Generator<'c> {
    fn new(conn: &'c Connection, now: NaiveDateTime) -> Self {
        Generator {
            conn,
            now,
            rng: Rng(2017_0701),
            unit_ids: HashMap::new(),
            team_ids: HashMap::new(),
            volunteers_by_unit: BTreeMap::new(),
            volunteers_by_team: BTreeMap::new(),
        }
    }

    fn run(mut self) -> Result<()> {
        self.units()?;
        self.teams()?;
        self.volunteers()?;
        let (activities, sessions) = self.activities_and_sessions()?;
        self.honor_grants(&activities, &sessions)?;
        self.accounts()?;
        Ok(())
    }

    /// The staff accounts whose passwords the README and the login screen publish.
    fn accounts(&mut self) -> Result<()> {
        let (work_committee, _) = data::UNITS[0];
        for (login, name, role, password) in DEMO_ACCOUNTS {
            let account = NewAccount {
                login: login.to_string(),
                display_name: name.to_string(),
                role: *role,
                unit_id: self.unit_ids.get(work_committee).copied(),
                password: password.to_string(),
            };
            // A file whose administrator was created first may already use the login.
            let taken: bool =
                self.conn.query_row("SELECT EXISTS (SELECT 1 FROM account WHERE login = ?1)", [login], |r| r.get(0))?;
            if !taken {
                create_demo_account(self.conn, &account, &hash_demo_password(password)?)?;
            }
        }
        Ok(())
    }

    fn units(&mut self) -> Result<()> {
        for &(name, party_members) in data::UNITS {
            let id = insert_unit(self.conn, &NewUnit { name: name.to_string(), party_members })?;
            self.unit_ids.insert(name, id);
        }
        Ok(())
    }

    fn teams(&mut self) -> Result<()> {
        let (work_committee, _) = data::UNITS[0];
        let corps = insert_team(
            self.conn,
            &NewTeam {
                code: "ZD".to_string(),
                name: "市直机关党员志愿服务总队".to_string(),
                kind: TeamKind::Corps,
                parent_id: None,
                unit_id: self.unit_ids[work_committee],
                manager_name: "陈立新".to_string(),
                manager_phone: "13857700001".to_string(),
                founded_on: NaiveDate::from_ymd_opt(2016, 6, 30),
                service_fields: vec!["文明创建".to_string(), "政策宣讲".to_string()],
            },
        )?;
        self.team_ids.insert(work_committee, corps);
        for (index, &(unit, _)) in data::UNITS.iter().enumerate().skip(1) {
            let founded = date(2016, 7, 1) + Duration::days(self.rng.between(0, 240));
            let id = insert_team(
                self.conn,
                &NewTeam {
                    code: format!("ZD-{index:02}"),
                    name: format!("{unit}党员志愿服务支队"),
                    kind: TeamKind::Detachment,
                    parent_id: Some(corps),
                    unit_id: self.unit_ids[unit],
                    manager_name: self.person_name().0,
                    manager_phone: self.phone(index as u64),
                    founded_on: Some(founded),
                    service_fields: vec![],
                },
            )?;
            self.team_ids.insert(unit, id);
        }
        let mut per_unit: HashMap<&str, usize> = HashMap::new();
        for &(unit, name, fields) in data::SPECIALISED_TEAMS {
            let n = per_unit.entry(unit).or_default();
            *n += 1;
            let unit_index = data::UNITS.iter().position(|&(u, _)| u == unit).unwrap_or_default();
            let founded = date(2016, 9, 1) + Duration::days(self.rng.between(0, 280));
            let id = insert_team(
                self.conn,
                &NewTeam {
                    code: format!("ZD-{unit_index:02}-{n}"),
                    name: name.to_string(),
                    kind: TeamKind::Specialised,
                    parent_id: Some(self.team_ids[unit]),
                    unit_id: self.unit_ids[unit],
                    manager_name: self.person_name().0,
                    manager_phone: self.phone(100 + unit_index as u64 * 10 + *n as u64),
                    founded_on: Some(founded),
                    service_fields: fields.iter().map(|f| f.to_string()).collect(),
                },
            )?;
            self.team_ids.insert(name, id);
        }
        Ok(())
    }

    /// 2319 volunteers over the units, each unit registering between 60% and 100% of its
    /// party members, scaled to the total.
    fn volunteers(&mut self) -> Result<()> {
        let quotas = self.volunteer_quotas();
        let mut id_numbers = HashSet::new();
        let mut serial = 0usize;
        let today = self.now.date();
        for (&(unit, _), quota) in data::UNITS.iter().zip(quotas) {
            let unit_id = self.unit_ids[unit];
            let specialised: Vec<i64> = data::SPECIALISED_TEAMS
                .iter()
                .filter(|(u, _, _)| *u == unit)
                .map(|(_, name, _)| self.team_ids[name])
                .collect();
            for _ in 0..quota {
                serial += 1;
                let (name, male) = self.person_name();
                let id_number = self.id_number(male, &mut id_numbers);
                let team_id = if !specialised.is_empty() && self.rng.chance(40) {
                    *self.rng.pick(&specialised)
                } else {
                    self.team_ids[unit]
                };
                let political_status = match self.rng.below(100) {
                    0..=91 => "中共党员",
                    92..=96 => "中共预备党员",
                    _ => "共青团员",
                };
                let registered_on = date(2016, 9, 1) + Duration::days(self.rng.between(0, 480));
                let volunteer = NewVolunteer {
                    code: format!("ZY{serial:05}"),
                    name,
                    id_number,
                    phone: self.phone(10_000 + serial as u64),
                    unit_id,
                    team_id: Some(team_id),
                    political_status: political_status.to_string(),
                    skills: self.rng.pick(data::SKILLS).to_string(),
                    service_categories: String::new(),
                    registered_on,
                };
                let id = insert_volunteer(self.conn, &volunteer, today)?;
                self.volunteers_by_unit.entry(unit_id).or_default().push(id);
                self.volunteers_by_team.entry(team_id).or_default().push(id);
            }
        }
        Ok(())
    }

    fn volunteer_quotas(&mut self) -> Vec<usize> {
        let weights: Vec<f64> = data::UNITS
            .iter()
            .map(|&(_, members)| members as f64 * (0.6 + self.rng.below(41) as f64 / 100.0))
            .collect();
        let total: f64 = weights.iter().sum();
        let exact: Vec<f64> = weights.iter().map(|w| w * VOLUNTEERS as f64 / total).collect();
        let mut quotas: Vec<usize> = data::UNITS
            .iter()
            .zip(&exact)
            .map(|(&(_, members), e)| (e.floor() as usize).min(members as usize))
            .collect();
        // Hand out what flooring left, largest remainder first, never past a unit's headcount.
        let mut order: Vec<usize> = (0..quotas.len()).collect();
        order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())));
        let mut missing = VOLUNTEERS - quotas.iter().sum::<usize>();
        while missing > 0 {
            for &i in &order {
                if missing > 0 && (quotas[i] as i64) < data::UNITS[i].1 {
                    quotas[i] += 1;
                    missing -= 1;
                }
            }
        }
        quotas
    }

    fn person_name(&mut self) -> (String, bool) {
        let male = self.rng.chance(55);
        let given = if male { data::GIVEN_MALE } else { data::GIVEN_FEMALE };
        (format!("{}{}", self.rng.pick(data::SURNAMES), self.rng.pick(given)), male)
    }

    /// A GB 11643-valid number, unique in the demo, whose sequence digit matches the gender.
    fn id_number(&mut self, male: bool, taken: &mut HashSet<String>) -> String {
        loop {
            let birth = date(1962, 1, 1) + Duration::days(self.rng.between(0, 12_000));
            let sequence = self.rng.below(500) * 2 + usize::from(male);
            let first17 = format!("{}{}{sequence:03}", self.rng.pick(data::REGION_CODES), birth.format("%Y%m%d"));
            let Some(check) = id_check_char(first17.as_bytes()) else { continue };
            let number = format!("{first17}{check}");
            if taken.insert(number.clone()) {
                return number;
            }
        }
    }

    /// A mobile number made unique by `serial`.
    fn phone(&mut self, serial: u64) -> String {
        let prefix =
            self.rng.pick(&["135", "136", "137", "138", "139", "150", "151", "157", "158", "187", "188", "199"]);
        let scrambled = (serial * 7_919 + self.rng.below(7) as u64 * 1_000_003) % 100_000_000;
        format!("{prefix}{:04}{:04}", serial % 10_000, scrambled % 10_000)
    }

    /// The activities of 2017 and their sign-ins, adjusted so the credit totals 196.5 hours.
    fn activities_and_sessions(&mut self) -> Result<(Vec<Window>, Vec<PlannedSession>)> {
        let mut planned = Vec::new();
        let mut activities = Vec::new();
        for (index, a) in data::ACTIVITIES.iter().enumerate() {
            let starts_at = NaiveDateTime::parse_from_str(&format!("{DEMO_YEAR}-{}", a.start), "%Y-%m-%d %H:%M")
                .map_err(|e| Error::rejected(format!("示例活动时间有误：{e}")))?;
            let ends_at = starts_at + Duration::minutes(a.minutes);
            let team_id = self.team_ids[a.organiser];
            let recruit_from = starts_at - Duration::days(14);
            let id = insert_activity(
                self.conn,
                &NewActivity {
                    code: format!("HD{DEMO_YEAR}-{:03}", index + 1),
                    name: a.name.to_string(),
                    team_id,
                    category: a.category.to_string(),
                    mode: if a.dispersed { ServiceMode::Dispersed } else { ServiceMode::Concentrated },
                    starts_at,
                    ends_at,
                    place: a.place.to_string(),
                    content: format!("{}，服务类别：{}。", a.name, a.category),
                    leader: self.person_name().0,
                    capacity: Some(a.capacity),
                    recruit_from: Some(recruit_from),
                    recruit_until: Some(starts_at - Duration::days(1)),
                    contact_phone: office_phone(index),
                },
            )?;
            publish_activity(self.conn, id, recruit_from)?;
            let window = Window { activity_id: id, starts_at, ends_at };
            activities.push(window);
            for (n, volunteer_id) in self.attendees(team_id, a.attendees).into_iter().enumerate() {
                // They signed up during the fortnight of recruitment.
                let signed_up_at = recruit_from + Duration::hours(6 + n as i64 * 7);
                sign_up(self.conn, id, volunteer_id, signed_up_at)?;
                // People arrive a little late and leave early; clipping does the rest.
                let signed_in_at = starts_at + Duration::minutes(self.rng.between(-10, 40));
                let signed_out_at = ends_at - Duration::minutes(self.rng.between(0, 70));
                planned.push(PlannedSession { window, volunteer_id, signed_in_at, signed_out_at });
            }
        }
        fit_credit_total(&mut planned, CREDIT);
        for s in &planned {
            record_session(
                self.conn,
                &NewSession {
                    activity_id: s.window.activity_id,
                    volunteer_id: s.volunteer_id,
                    signed_in_at: s.signed_in_at,
                    signed_out_at: Some(s.signed_out_at),
                    recorded_by: RECORDER.to_string(),
                },
                // Entered at the desk as it happened.
                s.window.ends_at + Duration::minutes(30),
            )?;
        }
        Ok((activities, planned))
    }

    /// Members of the organising team, topped up from its unit; the 总队 draws on everyone.
    fn attendees(&mut self, team_id: i64, count: usize) -> Vec<i64> {
        let mut pool = self.volunteers_by_team.get(&team_id).cloned().unwrap_or_default();
        if pool.len() < count * 3 {
            let unit_id: i64 = self
                .conn
                .query_row("SELECT unit_id FROM team WHERE id = ?1", [team_id], |row| row.get(0))
                .unwrap_or_default();
            pool.extend(self.volunteers_by_unit.get(&unit_id).into_iter().flatten());
        }
        if pool.len() < count * 3 {
            pool.extend(self.volunteers_by_unit.values().flatten());
        }
        let mut chosen = Vec::new();
        while chosen.len() < count {
            let candidate = *self.rng.pick(&pool);
            if !chosen.contains(&candidate) {
                chosen.push(candidate);
            }
        }
        chosen
    }

    /// Honour grants: service from before the program was in use (no activity), and 补录 for
    /// volunteers who served at an activity without signing in (capped by its duration).
    /// Amounts are whole tenths of an hour, as administrators type them.
    fn honor_grants(&mut self, activities: &[Window], sessions: &[PlannedSession]) -> Result<()> {
        let mut grants = Vec::new();
        for (a, window) in data::ACTIVITIES.iter().zip(activities) {
            let served: HashSet<i64> = sessions
                .iter()
                .filter(|s| s.window.activity_id == window.activity_id)
                .map(|s| s.volunteer_id)
                .collect();
            let team_id = self.team_ids[a.organiser];
            let extra = 1 + usize::from(a.dispersed) * 3;
            for volunteer_id in
                self.attendees(team_id, extra + served.len()).into_iter().filter(|v| !served.contains(v)).take(extra)
            {
                let tenths = self.rng.between(5, a.minutes / 6);
                grants.push((
                    window.ends_at + Duration::days(2),
                    NewHonorGrant {
                        volunteer_id,
                        minutes: Minutes(tenths * 6),
                        service_date: window.starts_at.date(),
                        reason: "现场服务未签到，经核实补录".to_string(),
                        activity_id: Some(window.activity_id),
                        granted_by: "陈立新".to_string(),
                    },
                ));
            }
        }
        let tied: i64 = grants.iter().map(|(_, g)| g.minutes.0).sum();
        // Service from before the program was in use was entered when it arrived.
        let adopted = date(DEMO_YEAR, 6, 1).and_hms_opt(9, 0, 0).unwrap_or_default();
        let historic = HONOR.0 - tied;
        let everyone: Vec<i64> = self.volunteers_by_unit.values().flatten().copied().collect();
        for (i, tenths) in
            split_tenths(historic / 6, HONOR_GRANTS_WITHOUT_ACTIVITY, &mut self.rng).into_iter().enumerate()
        {
            grants.push((
                adopted,
                NewHonorGrant {
                    volunteer_id: everyone[(i * 47 + 11) % everyone.len()],
                    minutes: Minutes(tenths * 6),
                    service_date: date(DEMO_YEAR, 1, 3) + Duration::days(self.rng.between(0, 55)),
                    reason: self.rng.pick(data::HISTORIC_SERVICE).to_string(),
                    activity_id: None,
                    granted_by: "陈立新".to_string(),
                },
            ));
        }
        for (recorded_at, grant) in &grants {
            grant_honor(self.conn, grant, *recorded_at)?;
        }
        Ok(())
    }
}

/// An activity's id and time window.
#[derive(Clone, Copy)]
struct Window {
    activity_id: i64,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
}

struct PlannedSession {
    window: Window,
    volunteer_id: i64,
    signed_in_at: NaiveDateTime,
    signed_out_at: NaiveDateTime,
}

impl PlannedSession {
    /// Credit as the store derives it: the session clipped to the activity's window.
    fn credit(&self) -> i64 {
        let from = self.signed_in_at.max(self.window.starts_at);
        let to = self.signed_out_at.min(self.window.ends_at);
        (to - from).num_minutes().max(0)
    }
}

/// Moves sign-outs (never before sign-in + 30 min, never past the activity's end) until the
/// credit of all sessions adds up to `target`.
fn fit_credit_total(sessions: &mut [PlannedSession], target: Minutes) {
    let mut diff = target.0 - sessions.iter().map(PlannedSession::credit).sum::<i64>();
    let mut round = 0;
    while diff != 0 && round < 1_000 {
        for s in sessions.iter_mut() {
            if diff == 0 {
                break;
            }
            let before = s.credit();
            let step = diff.signum() * diff.abs().min(5);
            let candidate = s.signed_out_at + Duration::minutes(step);
            if candidate > s.signed_in_at + Duration::minutes(30) {
                s.signed_out_at = candidate;
                let after = s.credit();
                if after - before != step {
                    s.signed_out_at -= Duration::minutes(step);
                    continue;
                }
                diff -= step;
            }
        }
        round += 1;
    }
}

/// Splits `total` tenths of an hour into `parts` grants of roughly 1–8 hours.
fn split_tenths(total: i64, parts: usize, rng: &mut Rng) -> Vec<i64> {
    let weights: Vec<i64> = (0..parts).map(|_| rng.between(10, 60)).collect();
    let sum: i64 = weights.iter().sum();
    let mut shares: Vec<i64> = weights.iter().map(|w| total * w / sum).collect();
    let handed_out: i64 = shares.iter().sum();
    shares[0] += total - handed_out;
    shares
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
}

/// The organiser's office line printed on the `index`-th activity's notices: a 0577 number
/// written with its dash, as offices publish them (and never an 11-digit run of a mobile).
fn office_phone(index: usize) -> String {
    format!("0577-8868{:04}", 1_000 + index * 7)
}
