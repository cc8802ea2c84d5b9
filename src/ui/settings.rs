//! What the window remembers between runs: the tab in view and the text size.

use serde::{Deserialize, Serialize};

use super::strings as s;
use super::tab::Tab;

/// Text size for staff who want larger type: the body size in points.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextSize {
    #[default]
    Standard,
    Large,
    ExtraLarge,
}

impl TextSize {
    pub const ALL: [TextSize; 3] = [TextSize::Standard, TextSize::Large, TextSize::ExtraLarge];

    pub fn label(self) -> &'static str {
        match self {
            TextSize::Standard => s::TEXT_SIZE_STANDARD,
            TextSize::Large => s::TEXT_SIZE_LARGE,
            TextSize::ExtraLarge => s::TEXT_SIZE_EXTRA_LARGE,
        }
    }

    fn body_points(self) -> f32 {
        match self {
            TextSize::Standard => 15.0,
            TextSize::Large => 18.0,
            TextSize::ExtraLarge => 22.0,
        }
    }

    /// Scales every text style from the body size.
    pub fn apply(self, ctx: &egui::Context) {
        let body = self.body_points();
        ctx.all_styles_mut(|style| {
            for (text_style, font) in &mut style.text_styles {
                font.size = match text_style {
                    egui::TextStyle::Heading => body * 1.45,
                    egui::TextStyle::Small => body * 0.8,
                    egui::TextStyle::Monospace => body * 0.95,
                    _ => body,
                };
            }
        });
    }
}

/// What is remembered between runs (window size and position are eframe's own).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub tab: Tab,
    pub text_size: TextSize,
}
