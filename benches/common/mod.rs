//! Timing the benches share: wall time and the process's CPU time, since the machine the
//! figures are measured on is often shared with other builds. Each bench uses a part of it.
#![allow(dead_code)]

pub mod hundredfold;

use std::time::{Duration, Instant};

/// Wall time and process CPU time of a step.
#[derive(Clone, Copy, Debug)]
pub struct Took {
    pub wall: Duration,
    pub cpu: Duration,
}

impl Took {
    /// Slower than any run: where a search for the fastest starts.
    pub const NEVER: Took = Took { wall: Duration::MAX, cpu: Duration::MAX };

    /// The faster of two runs, by wall time.
    pub fn faster(self, other: Took) -> Took {
        if other.wall < self.wall { other } else { self }
    }

    /// What is left of this step once `part` of it is taken away.
    pub fn less(self, part: Took) -> Took {
        Took { wall: self.wall.saturating_sub(part.wall), cpu: self.cpu.saturating_sub(part.cpu) }
    }

    /// This step's times as multiples of another's.
    pub fn ratio(self, other: Took) -> String {
        format!(
            "{:.2} wall, {:.2} CPU",
            self.wall.as_secs_f64() / other.wall.as_secs_f64(),
            self.cpu.as_secs_f64() / other.cpu.as_secs_f64()
        )
    }
}

impl std::ops::Add for Took {
    type Output = Took;
    fn add(self, other: Took) -> Took {
        Took { wall: self.wall + other.wall, cpu: self.cpu + other.cpu }
    }
}

impl std::fmt::Display for Took {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:>10.1} ms wall {:>8.0} ms CPU", self.wall.as_secs_f64() * 1000.0, self.cpu.as_secs_f64() * 1000.0)
    }
}

pub fn timed<T>(work: impl FnOnce() -> T) -> (T, Took) {
    let (start, cpu_start) = (Instant::now(), cpu_time());
    let value = work();
    (value, Took { wall: start.elapsed(), cpu: cpu_time().saturating_sub(cpu_start) })
}

/// The fastest of `runs` runs by wall time, with the last run's value.
pub fn best_of<T>(runs: usize, mut work: impl FnMut() -> T) -> (T, Took) {
    let (mut value, mut fastest) = timed(&mut work);
    for _ in 1..runs {
        let (v, t) = timed(&mut work);
        value = v;
        fastest = fastest.faster(t);
    }
    (value, fastest)
}

pub fn report(what: &str, took: Took) {
    println!("{what:<75} {took}");
}

/// User + system time of this process so far (Linux's /proc/self/stat, in 10 ms ticks; zero
/// elsewhere).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
    let after_name = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or_default();
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = [11, 12].iter().filter_map(|&i| fields.get(i)?.parse::<u64>().ok()).sum();
    Duration::from_millis(ticks * 10)
}
