//! Issue #27: the window opened at a fixed 1280×800, its bottom under the taskbar of a
//! 1366×768 laptop and of 1920×1080 at 150 % until maximised.

/// Work areas in points less a title bar: 1366×768 with a 40-point taskbar, and 1920×1080 at
/// 150 % (1280×720 points) with a 32-point one; title bars take about 32.
const SMALL_SCREENS: [[f32; 2]; 2] = [[1366.0, 768.0 - 40.0 - 32.0], [1280.0, 720.0 - 32.0 - 32.0]];

#[test]
fn the_window_opens_filling_the_work_area_and_remembers_the_size_chosen() {
    let viewport = volunteer_desk::ui::window_viewport();
    // Maximized: the system fits it to the work area, taskbar and scaling whatever they are.
    assert_eq!(viewport.maximized, Some(true));
    let restored = viewport.inner_size.expect("a size when un-maximized");
    let smallest = viewport.min_inner_size.expect("a smallest size");
    for [width, height] in SMALL_SCREENS {
        assert!(restored.x <= width && restored.y <= height, "{restored:?} fits {width}×{height}");
        assert!(smallest.x <= width && smallest.y <= height, "{smallest:?} fits {width}×{height}");
    }
    // eframe keeps the size and state the user leaves and opens with them next time.
    assert!(eframe::NativeOptions::default().persist_window);
}
