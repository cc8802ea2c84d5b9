//! Small pieces of UI the tabs share.

/// A label and a one-line text field on a grid row, the field named by the label (screen
/// readers and tests find it by that name).
pub fn labelled_text_edit(ui: &mut egui::Ui, label: &str, text: &mut String) -> egui::Response {
    let label = ui.label(label);
    let response = ui.add(egui::TextEdit::singleline(text).desired_width(220.0)).labelled_by(label.id);
    ui.end_row();
    response
}

/// [`labelled_text_edit`] for a text with a limit (`domain::limits`): typing stops there.
pub fn limited_text_edit(ui: &mut egui::Ui, label: &str, text: &mut String, limit: usize) -> egui::Response {
    let label = ui.label(label);
    let edit = egui::TextEdit::singleline(text).char_limit(limit).desired_width(220.0);
    let response = ui.add(edit).labelled_by(label.id);
    ui.end_row();
    response
}

/// A label and a password field (shown as dots) on a grid row, named by the label.
pub fn labelled_password_edit(ui: &mut egui::Ui, label: &str, text: &mut String) -> egui::Response {
    let label = ui.label(label);
    let response = ui.add(egui::TextEdit::singleline(text).password(true).desired_width(220.0)).labelled_by(label.id);
    ui.end_row();
    response
}

/// What the user did with a form window this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormAction {
    None,
    Save,
    Close,
}

/// A centred form window: `fields` on a two-column grid, the store's refusal under them (if
/// any), then 保存 and 取消. Closing the window counts as 取消.
pub fn form_window(
    ctx: &egui::Context,
    title: &str,
    grid_id: &str,
    error: Option<&str>,
    fields: impl FnOnce(&mut egui::Ui),
) -> FormAction {
    let mut open = true;
    let mut action = FormAction::None;
    egui::Window::new(title)
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            egui::Grid::new(grid_id).num_columns(2).spacing([12.0, 8.0]).show(ui, fields);
            error_ui(ui, error);
            ui.horizontal(|ui| {
                if ui.button(super::strings::SAVE).clicked() {
                    action = FormAction::Save;
                }
                if ui.button(super::strings::CANCEL).clicked() {
                    action = FormAction::Close;
                }
            });
        });
    if open { action } else { FormAction::Close }
}

/// A refusal or failure in the error colour, when there is one.
pub fn error_ui(ui: &mut egui::Ui, error: Option<&str>) {
    if let Some(error) = error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
}

/// A table row tall enough for a line of text and a small button at the chosen text size.
pub fn table_row_height(ui: &egui::Ui) -> f32 {
    ui.text_style_height(&egui::TextStyle::Body) + 10.0
}
