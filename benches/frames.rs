//! The window's own time per frame at 100× the seed: `cargo bench --bench frames`. The real
//! `App` in egui_kittest (no renderer: kittest without wgpu tessellates nothing to pixels),
//! logged in as administrator on the report bench's database (target/bench-data/), then for
//! each tab and its heavy moments the CPU time of every frame — our code and egui's layout, on
//! this one thread — as p50, p99 and max over 200 frames (see [`frame`]), their mean by the
//! scheduler's own count, and how long the moment took to open, wall time until its data is
//! shown (the 报表's background read included). A judge's ballot runs on the demo's contest
//! (1,225 mottos). Figures are in BENCHMARKS.md.

use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use egui::accesskit::Role as A11y;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use volunteer_desk::demo::{DEMO_PASSWORD, load_demo};
use volunteer_desk::domain::access::Role;
use volunteer_desk::store::accounts::{NewAccount, create_account, sign_in};
use volunteer_desk::store::{self, Store};
use volunteer_desk::ui::{App, Tab, fonts, strings as s};

mod common;
use common::hundredfold;

const FRAMES: usize = 200;
const ADMIN: &str = "admin";
const PASSWORD: &str = "admin-pass";

type Window = Harness<'static, App>;

fn main() {
    let path = hundredfold::cached();
    open_as_admin(&path); // the administrator, made once: not part of a start
    let start = Instant::now();
    let store = store::open(&path).expect("open");
    let opened = start.elapsed();
    // What a tab's worker pays to open its own connection, were it not kept between reads.
    let access = store.access();
    let start_worker = Instant::now();
    drop(access.open().expect("a worker's connection"));
    let worker_opened = start_worker.elapsed();
    let start = start + worker_opened;
    // Building the harness runs the first frame (the 队伍 tab, reading the registry).
    let mut window = open_window(store, at("2017-03-01 08:30"));
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "start-up to the first frame, login included: {:.0} ms (opening the file {:.0} ms)",
        ms(start.elapsed()),
        ms(opened)
    );
    println!("a worker's own connection (Access::open): {:.1} ms", ms(worker_opened));

    let mut table = Table::default();
    table.measure("队伍", &mut window, |w| w.state_mut().show_tab(Tab::Registry), |_, _| {});
    table.measure("队伍: scrolling the volunteer table", &mut window, hover_the_table, scroll);
    table.measure("队伍: typing a search letter by letter", &mut window, focus_search, type_letter);
    table.measure("日历: July 2017", &mut window, |w| w.state_mut().show_calendar_month(2017, 7), |_, _| {});
    table.measure("签到: the 签到台 lookup", &mut window, open_the_desk, type_letter);
    table.measure("家风家训", &mut window, |w| w.state_mut().show_tab(Tab::Contest), |_, _| {});
    table.measure("报表: opening it", &mut window, |w| w.state_mut().show_tab(Tab::Reports), |_, _| {});
    table.measure("系统: 操作日志", &mut window, open_the_audit_log, scroll);
    let rss = memory();
    drop(window);

    let demo = tempfile::tempdir().expect("temp dir");
    let mut ballot = open_window(judge_on_demo(&demo.path().join("demo.sqlite3")), at("2026-11-29 09:00"));
    table.measure("家风家训: a judge's ballot (demo, 1,225 mottos)", &mut ballot, hover_the_middle, scroll);

    table.print();
    println!("after every tab: {rss}");
    println!("(load average at the end: {})", std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim());
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("time")
}

/// The database with an administrator (made on first use), as the window opens it.
fn open_as_admin(path: &std::path::Path) -> Store {
    let store = store::open(path).expect("open");
    if sign_in(store.conn(), ADMIN, PASSWORD).is_err() {
        let admin = NewAccount {
            login: ADMIN.into(),
            display_name: "基准管理员".into(),
            role: Role::Admin,
            unit_id: None,
            password: PASSWORD.into(),
        };
        create_account(store.conn(), &admin).expect("administrator");
    }
    store
}

fn open_window(store: Store, now: NaiveDateTime) -> Window {
    let login = if store::accounts::is_demo(store.conn()) { "pw040" } else { ADMIN };
    let password = if login == ADMIN { PASSWORD } else { DEMO_PASSWORD };
    let mut window =
        Harness::builder().with_size([1400.0, 900.0]).with_context_setup(fonts::install).build_eframe(move |_cc| {
            let mut app = App::new(store, None);
            app.sign_in(login, password).expect("sign in");
            app.set_clock(now);
            app
        });
    settle(&mut window);
    window
}

/// The demo with its contest, and the window open as a judge who has not voted yet.
fn judge_on_demo(path: &std::path::Path) -> Store {
    let mut store = store::open(path).expect("open");
    load_demo(&mut store, at("2026-11-29 09:00")).expect("demo");
    store
}

fn hover_the_table(w: &mut Window) {
    w.state_mut().show_tab(Tab::Registry);
    w.run_steps(2);
    hover_the_middle(w);
}

fn hover_the_middle(w: &mut Window) {
    w.hover_at(egui::pos2(900.0, 500.0));
}

/// One wheel step down over the middle of the window (kittest runs a frame per event).
fn scroll(w: &mut Window, _frame: usize) {
    w.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, -40.0),
        phase: egui::TouchPhase::Move,
        modifiers: egui::Modifiers::default(),
        source: egui::MouseWheelSource::Wheel,
    });
}

fn focus_search(w: &mut Window) {
    w.state_mut().show_tab(Tab::Registry);
    w.run_steps(2);
    w.get_by_role_and_label(A11y::TextInput, s::SEARCH).focus();
}

/// "zhangsan" a letter a frame, then erased a letter a frame, over and over.
fn type_letter(w: &mut Window, frame: usize) {
    const WORD: &str = "zhangsan";
    let step = frame % (2 * WORD.len());
    match WORD.get(step..=step) {
        Some(letter) => w.event(egui::Event::Text(letter.into())),
        None => w.event(egui::Event::Key {
            key: egui::Key::Backspace,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: egui::Modifiers::default(),
        }),
    }
}

/// The desk with the newest activity on offer chosen; its lookup field has the focus.
fn open_the_desk(w: &mut Window) {
    w.state_mut().show_tab(Tab::Attendance);
    settle(w);
    w.get_by_role_and_label(A11y::ComboBox, s::DESK_ACTIVITY).click();
    settle(w);
    w.get_all_by_label_contains("志愿服务活动").next().expect("an activity today").click();
    settle(w);
    w.get_by_role_and_label(A11y::TextInput, s::DESK_SEARCH).focus();
}

fn open_the_audit_log(w: &mut Window) {
    w.state_mut().show_tab(Tab::System);
    settle(w);
    w.get_by_label(s::AUDIT_LOG).click();
    settle(w);
    hover_the_middle(w);
}

/// This thread's CPU time and its time spent waiting for a core, from the scheduler (/proc's
/// schedstat). The CPU time moves in ticks of 4 ms here, but the waiting time is added exactly
/// each time the thread gets a core back; a frame's wall time less its waiting is its CPU time
/// to the nanosecond, even while other builds share the machine.
fn schedstat() -> (Duration, Duration) {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let mut fields = stat.split_whitespace().map(|n| Duration::from_nanos(n.parse().unwrap_or(0)));
    (fields.next().unwrap_or_default(), fields.next().unwrap_or_default())
}

/// One frame's CPU time: its wall time less the time it waited for a core.
fn frame(w: &mut Window) -> Duration {
    let (start, (_, waited_before)) = (Instant::now(), schedstat());
    w.step();
    let wall = start.elapsed();
    wall.saturating_sub(schedstat().1.saturating_sub(waited_before))
}

thread_local! {
    /// The longest frame of the UI thread since the moment began, its opening included.
    static LONGEST: std::cell::Cell<Duration> = const { std::cell::Cell::new(Duration::ZERO) };
}

/// A frame of the opening, counted into [`LONGEST`].
fn opening_frame(w: &mut Window) {
    let took = frame(w);
    LONGEST.with(|longest| longest.set(longest.get().max(took)));
}

/// Steps until the window's background work (the tabs' reads, the 报表's) is in and shown, up
/// to 60 s.
fn settle(w: &mut Window) {
    opening_frame(w);
    for _ in 0..6000 {
        if !w.state().is_busy() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
        opening_frame(w);
    }
    opening_frame(w);
}

struct Row {
    name: String,
    /// From the moment's first input until its data is shown (background reads included).
    opening: Duration,
    /// CPU time of each frame, sorted.
    frames: Vec<Duration>,
    /// The longest frame of all, those of the opening included.
    longest: Duration,
    /// The scheduler's CPU time of all the frames (a check on their sum).
    cpu: Duration,
}

#[derive(Default)]
struct Table {
    rows: Vec<Row>,
}

impl Table {
    /// `open`, until its data is shown; then `FRAMES` frames with `input` before each.
    fn measure(
        &mut self,
        name: &str,
        w: &mut Window,
        open: impl FnOnce(&mut Window),
        mut input: impl FnMut(&mut Window, usize),
    ) {
        LONGEST.with(|longest| longest.set(Duration::ZERO));
        let start = Instant::now();
        open(w);
        settle(w);
        let opening = start.elapsed();
        let cpu_start = schedstat().0;
        let mut frames: Vec<Duration> = (0..FRAMES)
            .map(|i| {
                input(w, i);
                frame(w)
            })
            .collect();
        let cpu = schedstat().0.saturating_sub(cpu_start);
        frames.sort();
        let longest = LONGEST.with(std::cell::Cell::get).max(frames[frames.len() - 1]);
        self.rows.push(Row { name: name.to_string(), opening, frames, cpu, longest });
    }

    fn print(&self) {
        println!(
            "\n| moment | opening | p50 | p99 | max | longest, opening included | mean (scheduler) |\n|---|---|---|---|---|---|---|"
        );
        let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1e3);
        for Row { name, opening, frames, cpu, longest } in &self.rows {
            let at = |q: f64| frames[((frames.len() - 1) as f64 * q).round() as usize];
            let mean = *cpu / frames.len() as u32;
            println!(
                "| {name} | {} | {} | {} | {} | {} | {} |",
                ms(*opening),
                ms(at(0.5)),
                ms(at(0.99)),
                ms(at(1.0)),
                ms(*longest),
                ms(mean)
            );
        }
    }
}

/// VmRSS and VmHWM of the process.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status.lines().find(|l| l.starts_with(name)).map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
    };
    format!("RSS {}, peak {}", field("VmRSS:").unwrap_or_default(), field("VmHWM:").unwrap_or_default())
}
