//! The fonts the window installs draw every character of the CJK Unified Ideographs block.

use egui::FontId;
use volunteer_desk::ui::fonts;

#[test]
fn every_cjk_unified_ideograph_has_a_glyph() {
    let ctx = egui::Context::default();
    fonts::install(&ctx);
    // Fonts are built on the first pass; its texture upload is not needed here.
    ctx.run_ui(egui::RawInput::default(), |_| {}).textures_delta.clear();
    let missing: Vec<String> = ctx.fonts_mut(|f| {
        (0x4E00..=0x9FFF)
            .filter_map(char::from_u32)
            .chain("，。、；：？！“”‘’（）《》【】…—·０１２ＡＢＣ◀▶▲▼×＋–".chars())
            .filter(|&c| !f.has_glyph(&FontId::proportional(14.0), c))
            .map(|c| format!("U+{:04X}", c as u32))
            .collect()
    });
    assert!(missing.is_empty(), "{} characters have no glyph: {:?}", missing.len(), &missing[..missing.len().min(20)]);
}
