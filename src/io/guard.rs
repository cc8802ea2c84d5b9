//! A panic in an import or an export becomes a refusal in Chinese, with nothing written: a file
//! from outside may reach a path no test took, and a crash would lose the window's unsaved work
//! (issue #25). What was under way is left as a failed call leaves it: a transaction rolls
//! back as it unwinds, an output's temporary file is removed (`output::Staged`).

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use crate::error::{Error, Result};

thread_local! {
    /// How many [`guarded`] calls this thread is inside: their panics are reported by them.
    static GUARDED: Cell<u32> = const { Cell::new(0) };
}

/// Runs `work`; a panic in it is returned as an error saying what was `doing` (「导入“名单.xlsx”」)
/// and that nothing was written. Rust's English panic message is not printed for it.
pub fn guarded<T>(doing: &str, work: impl FnOnce() -> Result<T>) -> Result<T> {
    install_hook();
    GUARDED.with(|g| g.set(g.get() + 1));
    let caught = catch_unwind(AssertUnwindSafe(work));
    GUARDED.with(|g| g.set(g.get().saturating_sub(1)));
    caught.unwrap_or_else(|payload| {
        let detail = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("未知");
        Err(Error::rejected(format!(
            "{doing}时程序内部出错，已中止，未写入任何数据。请把这条信息和所用的文件交给维护人员。（技术信息：{detail}）"
        )))
    })
}

/// Keeps the default hook for every panic outside [`guarded`].
fn install_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) == 0 {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_refusal() {
        let refused = guarded("导入“名单.xlsx”", || -> Result<()> { panic!("index out of bounds") });
        let message = refused.expect_err("refused").to_string();
        assert!(message.starts_with("导入“名单.xlsx”时程序内部出错，已中止，未写入任何数据"), "{message}");
        assert!(message.contains("index out of bounds"), "{message}");
        assert_eq!(guarded("导出", || Ok(7)).expect("no panic"), 7);
    }
}
