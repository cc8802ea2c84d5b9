//! Gives the Windows .exe its icon and version information. Other targets need nothing: the
//! script then only says which files would make it run again.

use std::path::Path;

const ICON: &str = "assets/icons/volunteer-desk.ico";
const PRODUCT: &str = "机关党员志愿服务管理";
/// Simplified Chinese (PRC), the language of the version information's strings.
const LANGUAGE_ZH_CN: u16 = 0x0804;

fn main() -> std::io::Result<()> {
    // Without these, Cargo would run the script again (and rebuild the crate) on any change
    // in the package, tests included.
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={ICON}");
    // The script runs on the build machine: the target is known only from Cargo's variables.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return Ok(());
    }
    let icon = Path::new(env!("CARGO_MANIFEST_DIR")).join(ICON);
    let mut resource = winresource::WindowsResource::new();
    resource
        .set_icon(&icon.to_string_lossy())
        .set("FileDescription", PRODUCT)
        .set("ProductName", PRODUCT)
        .set("OriginalFilename", "volunteer-desk.exe")
        .set_language(LANGUAGE_ZH_CN);
    resource.compile_for("volunteer-desk")
}
