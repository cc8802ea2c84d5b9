//! The embedded Chinese fonts (see assets/fonts/LICENSE-OFL.txt and
//! scripts/make-font-subset.sh). egui's own fonts have no Chinese glyphs; eframe's system-font
//! fallback still covers what these lack (rare characters outside U+4E00–U+9FFF).

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

/// Noto Sans SC: all of U+4E00–U+9FEF, CJK punctuation and full-width forms.
const NOTO_SANS_SC: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-subset.otf");
/// U+9FF0–U+9FFF, which Noto Sans CJK 2.004 predates.
const HAN_EXT: &[u8] = include_bytes!("../../assets/fonts/HanExt-9FF0.ttf");

/// egui's default fonts (Latin, emoji) followed by the Chinese ones, for every family.
pub fn font_definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    for (name, bytes) in [("noto-sans-sc", NOTO_SANS_SC), ("han-ext", HAN_EXT)] {
        fonts.font_data.insert(name.to_string(), Arc::new(FontData::from_static(bytes)));
        for family in [FontFamily::Proportional, FontFamily::Monospace] {
            fonts.families.entry(family).or_default().push(name.to_string());
        }
    }
    fonts
}

/// Installs the fonts on a context: the window does it at start, every test harness too.
pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(font_definitions());
}
