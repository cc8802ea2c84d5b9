//! What the compiler cannot refuse in src/ui: opening a database of its own, reading files,
//! reading the wall clock. (`Store::conn` and transactions it refuses: docs/ARCHITECTURE.md.)

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src/ui") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn the_window_holds_no_connection_reads_no_files_and_no_wall_clock() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui"), &mut files);
    assert!(files.len() > 20, "src/ui was read");
    let forbidden = ["rusqlite", "Connection", "std::fs::read", "File::open", "Local::now", "Utc::now"];
    let mut leaks = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("source");
        for word in forbidden.iter().filter(|w| text.contains(*w)) {
            leaks.push(format!("{}: {word}", file.display()));
        }
    }
    assert!(leaks.is_empty(), "below the window's layer: {leaks:#?}");
}

/// The tabs that are modules of their own (`ui/<tab>/`).
const TABS: [&str; 6] = ["attendance", "calendar", "contest", "registry", "reports", "system"];

/// The files under `src/ui` that reach the tab `tab`'s module without being part of it.
fn reaching(files: &[PathBuf], tab: &str) -> Vec<String> {
    let reaches = [format!("super::{tab}"), format!("crate::ui::{tab}")];
    files
        .iter()
        .filter(|file| {
            let text = std::fs::read_to_string(file).expect("source");
            reaches.iter().any(|r| text.contains(&format!("{r}::")) || text.contains(&format!("{r};")))
        })
        .map(|file| format!("{} → {tab}", file.display()))
        .collect()
}

#[test]
fn no_tab_imports_another_tab_nor_does_the_shape_they_share() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    // What no tab owns names no tab: the shape, the people, the commands, the widgets.
    let shared: Vec<PathBuf> = ["tab.rs", "people.rs", "command.rs", "widgets.rs"].map(|f| ui.join(f)).into();
    let mut leaks = Vec::new();
    for tab in TABS {
        let mut files = Vec::new();
        rust_files(&ui.join(tab), &mut files);
        assert!(!files.is_empty(), "src/ui/{tab} was read");
        for other in TABS.iter().filter(|other| **other != tab) {
            leaks.extend(reaching(&files, other));
        }
        leaks.extend(reaching(&shared, tab));
    }
    assert!(leaks.is_empty(), "a tab reached from outside app/ (shared parts go in src/ui/people.rs): {leaks:#?}");
}
