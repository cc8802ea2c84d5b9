//! What the .deb and the Windows zip ship beside the binary (packaging/, assets/icons/), and the
//! binary's own help: a renamed icon or a menu entry naming another program would only show
//! on an installed system.

use std::path::Path;
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const HICOLOR_SIZES: [u32; 7] = [16, 24, 32, 48, 64, 128, 256];

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(path)).expect(path)
}

/// The value of `key=` in a .desktop file's lines.
fn entry<'a>(desktop: &'a str, key: &str) -> &'a str {
    desktop.lines().find_map(|line| line.strip_prefix(key)?.strip_prefix('=')).unwrap_or_default()
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    (be(16), be(20))
}

#[test]
fn help_and_version_print_and_exit_zero() {
    let bin = env!("CARGO_BIN_EXE_volunteer-desk");
    let help = Command::new(bin).arg("--help").output().expect("run");
    assert_eq!(help.status.code(), Some(0));
    let help = String::from_utf8(help.stdout).expect("utf8");
    for command in ["demo", "stats", "report", "backup"] {
        assert!(help.contains(command), "{help}");
    }
    let version = Command::new(bin).arg("--version").output().expect("run");
    assert_eq!(version.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&version.stdout).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn menu_entry_starts_this_binary_with_its_icon() {
    let desktop = read("packaging/volunteer-desk.desktop");
    assert_eq!(entry(&desktop, "Name"), "机关党员志愿服务管理");
    assert!(entry(&desktop, "Categories").split(';').any(|c| c == "Office"));
    let binary = Path::new(env!("CARGO_BIN_EXE_volunteer-desk")).file_name().expect("name");
    assert_eq!(entry(&desktop, "Exec"), binary.to_string_lossy());
    // The desktop matches the window to its entry by the app id the window sets.
    let wm_class = entry(&desktop, "StartupWMClass");
    assert!(read("src/ui/mod.rs").contains(&format!(".with_app_id(\"{wm_class}\")")), "{wm_class}");

    let icon = entry(&desktop, "Icon");
    for size in HICOLOR_SIZES {
        let path = format!("assets/icons/hicolor/{size}x{size}/apps/{icon}.png");
        let bytes = std::fs::read(Path::new(ROOT).join(&path)).expect(&path);
        assert_eq!(png_size(&bytes), (size, size), "{path}");
    }
}

#[test]
fn windows_icon_holds_the_sizes_explorer_shows() {
    let ico = std::fs::read(Path::new(ROOT).join("assets/icons/volunteer-desk.ico")).expect("ico");
    assert_eq!(&ico[..4], &[0, 0, 1, 0], "an icon resource, not a cursor");
    let count = usize::from(u16::from_le_bytes([ico[4], ico[5]]));
    // Each 16-byte directory entry starts with the width; 0 stands for 256.
    let mut widths: Vec<u32> =
        (0..count).map(|i| ico[6 + 16 * i]).map(|w| if w == 0 { 256 } else { u32::from(w) }).collect();
    widths.sort_unstable();
    assert_eq!(widths, [16, 24, 32, 48, 64, 256]);
}

#[test]
fn every_file_the_deb_lists_is_in_the_source() {
    let manifest = read("Cargo.toml");
    let deb = &manifest[manifest.find("[package.metadata.deb]").expect("deb metadata")..];
    let assets = &deb[deb.find("assets = [").expect("assets")..deb.find("\n]").expect("end of assets")];
    let sources: Vec<&str> =
        assets.lines().filter_map(|line| line.trim().strip_prefix("[\"")?.split('"').next()).collect();
    assert!(sources.len() >= 10, "{sources:?}");
    // Files under target/ are built by cargo or by scripts/package-deb.sh first.
    for source in sources.iter().filter(|s| !s.starts_with("target/")) {
        assert!(Path::new(ROOT).join(source).is_file(), "{source}");
    }
    assert!(Path::new(ROOT).join("packaging/copyright").is_file());
    assert!(read("packaging/copyright").contains("License: OFL-1.1"));
}

#[test]
fn the_windows_notes_give_the_data_folder_the_readme_gives() {
    let windows_database = r"%APPDATA%\jiguan\volunteer-desk\data\volunteer-desk.sqlite3";
    assert!(read("README.md").contains(windows_database));
    assert!(read("packaging/使用说明.txt").contains(windows_database));
}

/// The lines of the NSIS script from the one starting `start` to the next `end`.
fn nsis_block<'a>(script: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    let mut lines = script.lines().map(str::trim).skip_while(|line| !line.starts_with(start)).skip(1);
    let mut block: Vec<&str> = lines.by_ref().take_while(|line| !line.starts_with(end)).collect();
    block.retain(|line| !line.is_empty() && !line.starts_with(';'));
    block
}

#[test]
fn installer_and_uninstaller_ask_to_close_the_running_program_first() {
    let nsi = read("packaging/volunteer-desk.nsi");
    // The check: a running .exe cannot be opened for writing; asked again until closed or cancelled.
    let check = nsis_block(&nsi, "Function ${un}CloseRunningProgram", "FunctionEnd");
    assert!(check.contains(&r#"FileOpen $0 "$INSTDIR\volunteer-desk.exe" a"#), "{check:?}");
    let ask = check.iter().find(|line| line.starts_with("MessageBox")).expect("asks");
    assert!(ask.contains("正在运行") && ask.contains("关闭") && ask.contains("IDRETRY retry"), "{ask}");
    assert!(check.contains(&"Abort"), "cancel stops");
    assert!(nsi.contains("!insertmacro CLOSE_RUNNING_PROGRAM \"un.\""));

    // The uninstaller asks before it removes anything (it removed the shortcuts and left the program).
    let uninstall_start = nsis_block(&nsi, "Function un.onInit", "FunctionEnd");
    assert_eq!(uninstall_start, ["Call un.CloseRunningProgram"]);
    // The installer asks on leaving the folder page, and again before the first file is replaced.
    let pages = nsi.find("!define MUI_PAGE_CUSTOMFUNCTION_LEAVE CloseRunningProgram").expect("leave");
    assert!(nsi[pages..].trim_start().lines().nth(1).expect("next").contains("MUI_PAGE_DIRECTORY"));
    let install = nsis_block(&nsi, "Section \"install\"", "SectionEnd");
    assert_eq!(install.first(), Some(&"Call CloseRunningProgram"), "{install:?}");
}

#[test]
fn the_notes_list_the_template_command() {
    assert!(read("README.md").contains("`template --out FILE.xlsx`"));
    assert!(read("packaging/使用说明.txt").contains("volunteer-desk.exe template --out"));
}
