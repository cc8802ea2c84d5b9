//! A window that may not write (another window holds the file): a banner at the top says why,
//! every button that writes is disabled with the reason on hover and opens no form, reading
//! stays; 重新获取写权限 once the other window has gone makes it write again.

use crate::Settle as _;
use crate::common;

use egui::accesskit::Role as A11y;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use volunteer_desk::store::{self, Store};
use volunteer_desk::ui::{App, fonts, strings as s};

fn harness_with(app: App) -> Harness<'static, App> {
    crate::settled(
        Harness::builder().with_size([1280.0, 800.0]).with_context_setup(fonts::install).build_eframe(|_cc| app),
    )
}

/// A unit, its 总队 and 支队, and one volunteer: the 队伍 tab lists rather than greets.
fn seeded(path: &std::path::Path) -> Store {
    let org = common::org_at(path, "市财政局", 80, "ZD-01", "财政局支队");
    org.volunteer(org.detachment, "ZY00001", "张三", "33038119800101123", "13812345678");
    org.store
}

fn is_disabled(harness: &Harness<'static, App>, label: &str) -> bool {
    harness.get_by_role_and_label(A11y::Button, label).accesskit_node().is_disabled()
}

fn click(harness: &mut Harness<'static, App>, label: &str) {
    harness.get_by_role_and_label(A11y::Button, label).click();
    harness.settle();
}

#[test]
fn a_second_window_disables_what_writes_and_writes_again_once_the_first_has_gone() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("shared.sqlite3");
    let first = harness_with(common::signed_in_app(seeded(&path)));
    let mut second = harness_with(common::signed_in_app(store::open(&path).expect("open")));
    second.settle();
    second.get_by_label(s::READ_ONLY_BANNER);

    // Writing is closed before anything is typed: no form opens.
    assert!(is_disabled(&second, s::ADD_VOLUNTEER));
    assert!(is_disabled(&second, s::IMPORT));
    click(&mut second, s::ADD_VOLUNTEER);
    assert!(second.query_by_role_and_label(A11y::Button, s::SAVE).is_none(), "a form opened in a read-only window");
    // The reason is on hover, beside the banner's.
    second.get_by_role_and_label(A11y::Button, s::ADD_VOLUNTEER).hover();
    second.settle();
    assert_eq!(second.get_all_by_label(s::READ_ONLY_BANNER).count(), 2, "the reason shows on hover");
    // Reading stays.
    assert!(!is_disabled(&second, s::EXPORT_LIST));
    click(&mut second, s::TAB_CALENDAR);
    assert!(is_disabled(&second, s::NEW_ACTIVITY));

    drop(first);
    click(&mut second, s::RETRY_WRITE);
    assert!(!second.state().store().is_read_only());
    assert!(second.query_by_label(s::READ_ONLY_BANNER).is_none(), "the banner goes with the reason");
    assert!(!is_disabled(&second, s::NEW_ACTIVITY));
    click(&mut second, s::TAB_REGISTRY);
    click(&mut second, s::ADD_VOLUNTEER);
    second.get_by_role_and_label(A11y::Button, s::SAVE);
}

#[test]
fn retrying_while_the_other_window_still_writes_says_so_and_stays_read_only() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("shared.sqlite3");
    let _first = harness_with(common::signed_in_app(seeded(&path)));
    let mut second = harness_with(common::signed_in_app(store::open(&path).expect("open")));
    second.settle();
    click(&mut second, s::RETRY_WRITE);
    assert!(second.state().store().is_read_only());
    second.get_by_label(s::STILL_READ_ONLY);
    assert!(is_disabled(&second, s::ADD_VOLUNTEER));
}
