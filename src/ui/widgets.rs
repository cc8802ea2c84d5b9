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

/// A label and a one-line text field on a grid row, the field named by the label (screen
/// readers and tests find it by that name).
pub fn labelled_text_edit(ui: &mut egui::Ui, label: &str, text: &mut String) -> egui::Response {
    let label = ui.label(label);
    let response = ui.add(egui::TextEdit::singleline(text).desired_width(220.0)).labelled_by(label.id);
    ui.end_row();
    response
}
