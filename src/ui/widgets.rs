//! Small pieces of UI the tabs share.

/// A centred note for a tab or list that has nothing to show yet.
pub fn empty_state_ui(ui: &mut egui::Ui, title: &str, body: &str) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.25);
        ui.heading(title);
        ui.add_space(8.0);
        ui.label(egui::RichText::new(body).weak());
    });
}
