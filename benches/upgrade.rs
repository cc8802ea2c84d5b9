//! Issue #25: the upgrade of a version-16 file (before the numbers were sealed) to the current
//! layout, by size, with the time of each step, then 更换数据密钥 on it (issue #26); and the
//! integrity checks at 100× the seed.
//! `cargo bench --bench upgrade [-- SIZES…]`. Figures are recorded in BENCHMARKS.md.

use std::cell::RefCell;
use std::time::Instant;

use volunteer_desk::keystore::Keystore;
use volunteer_desk::store::{self, UpgradeStep, fixtures, health};

mod common;
use common::{best_of, hundredfold, report, timed};

fn now() -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str("2026-12-08 09:00", "%Y-%m-%d %H:%M").expect("time")
}

fn main() {
    let sizes: Vec<i64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![5_000, 10_000, 20_000, 50_000, 100_000] } else { sizes };
    let dir = tempfile::tempdir().expect("temp dir");
    let keys = Keystore::Folder(dir.path().join("keys"));
    for volunteers in sizes {
        let db = dir.path().join(format!("v16-{volunteers}.sqlite3"));
        let (made, t) = timed(|| fixtures::version_16(&db, volunteers));
        made.expect("fixture");
        report(&format!("make a version-16 file of {volunteers} volunteers"), t);
        // Each step's wall time, from its start to the next one's.
        let steps = RefCell::new(Vec::<(UpgradeStep, Instant)>::new());
        let said = |step: &UpgradeStep| steps.borrow_mut().push((step.clone(), Instant::now()));
        let (store, t) = timed(|| store::open_with_progress(&db, &keys, &said).expect("upgrade"));
        let end = Instant::now();
        let steps = steps.into_inner();
        for (i, (step, began)) in steps.iter().enumerate() {
            let until = steps.get(i + 1).map_or(end, |(_, next)| *next);
            println!("    {step}: {:.2} s", (until - *began).as_secs_f64());
        }
        report(&format!("upgrade {volunteers} volunteers from version 16"), t);
        // 更换数据密钥 on the upgraded file: every number resealed, the log signed again, VACUUM.
        let mut store = store;
        let (code, t) = timed(|| store.change_data_key(None, now()).expect("a new data key"));
        assert_eq!(code.len(), 29, "a 恢复码 of five groups: {code}");
        report(&format!("更换数据密钥 over {volunteers} volunteers"), t);
        drop(store);
    }

    let path = hundredfold::cached();
    let ((), t) = best_of(3, || {
        assert!(health::quick_check(&path).expect("check").is_sound());
    });
    report("quick_check at 100× the seed", t);
    let ((), t) = best_of(3, || {
        assert!(health::integrity_check(&path).expect("check").is_sound());
    });
    report("integrity_check at 100× the seed", t);
}
