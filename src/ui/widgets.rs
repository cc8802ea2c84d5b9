//! Small pieces of UI the tabs share.

/// A label and a one-line text field on a grid row, the field named by the label (screen
/// readers and tests find it by that name).
pub fn labelled_text_edit(ui: &mut egui::Ui, label: &str, text: &mut String) -> egui::Response {
    let label = ui.label(label);
    let response = ui.add(egui::TextEdit::singleline(text).desired_width(220.0)).labelled_by(label.id);
    ui.end_row();
    response
}

/// [`labelled_text_edit`] for a number kept sealed (issue #20): an edit starts empty, since
/// the form never holds the number in clear, and empty keeps the one on record, whose masked
/// form the hint shows.
pub fn sealed_text_edit(ui: &mut egui::Ui, label: &str, text: &mut String, on_record: Option<&str>) -> egui::Response {
    let label = ui.label(label);
    // Wide enough for an 18-character mask and its note, which a 220-point field cut off.
    let mut edit = egui::TextEdit::singleline(text).desired_width(300.0);
    if let Some(masked) = on_record.filter(|m| !m.is_empty()) {
        edit = edit.hint_text(format!("{masked}（留空不修改）"));
    }
    let response = ui.add(edit).labelled_by(label.id);
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
                if ui.write_button(super::strings::SAVE).clicked() {
                    action = FormAction::Save;
                }
                if ui.button(super::strings::CANCEL).clicked() {
                    action = FormAction::Close;
                }
            });
        });
    if open && !escape_pressed(ctx) { action } else { FormAction::Close }
}

/// The widest a dialog grows, so its lines wrap instead of spanning the window.
const DIALOG_WIDTH: f32 = 520.0;

/// The one way a pop-up that asks something is drawn: centred over the dimmed window (egui's
/// `Modal`), its title on top. Esc closes it as 取消 does; a click beside it does not, so
/// nothing typed in it is lost. Returns what `contents` returned and whether the dialog
/// closes this frame (Esc, or a button in it that called `ui.close()`).
pub fn show_dialog<R>(ctx: &egui::Context, title: &str, contents: impl FnOnce(&mut egui::Ui) -> R) -> (R, bool) {
    let shown = egui::Modal::new(egui::Id::unique(("dialog", title))).show(ctx, |ui| {
        ui.set_max_width(DIALOG_WIDTH);
        ui.heading(title);
        ui.add_space(4.0);
        contents(ui)
    });
    // Only the topmost dialog takes the Esc, and not while one of its own drop-downs is open.
    let escaped = shown.is_top_modal && !shown.any_popup_open && escape_pressed(ctx);
    let closed = escaped || shown.response.should_close();
    (shown.inner, closed)
}

/// [`show_dialog`] for what is shown once and cannot be shown again (a new 恢复码): neither
/// Esc nor a click beside it closes it, only a button in it that says it was taken down.
pub fn show_sticky_dialog<R>(ctx: &egui::Context, title: &str, contents: impl FnOnce(&mut egui::Ui) -> R) -> R {
    egui::Modal::new(egui::Id::unique(("sticky_dialog", title)))
        .show(ctx, |ui| {
            ui.set_max_width(DIALOG_WIDTH);
            ui.heading(title);
            ui.add_space(4.0);
            contents(ui)
        })
        .inner
}

/// The one confirmation: a question before an action that cannot be taken back — its title,
/// what it will do (a label a line), the words on the button that does it, and the command
/// that button queues. 取消 and Esc drop it.
#[derive(Clone, Debug, PartialEq)]
pub struct Confirm<C> {
    pub title: String,
    pub lines: Vec<String>,
    pub button: &'static str,
    pub command: C,
}

impl<C: Clone> Confirm<C> {
    /// A confirmation that asks one question.
    pub fn new(title: impl Into<String>, question: impl Into<String>, button: &'static str, command: C) -> Self {
        Confirm { title: title.into(), lines: vec![question.into()], button, command }
    }

    /// Draws it; on yes `command` is queued. True the frame it closes (yes, 取消 or Esc): the
    /// one who holds it then drops it.
    pub fn show(&self, ctx: &egui::Context, commands: &mut Vec<C>) -> bool {
        match self.answer(ctx) {
            Some(yes) => {
                if yes {
                    commands.push(self.command.clone());
                }
                true
            }
            None => false,
        }
    }

    /// `Some(true)` the frame the button is clicked, `Some(false)` on 取消 or Esc, `None`
    /// while it is open.
    fn answer(&self, ctx: &egui::Context) -> Option<bool> {
        let (clicked, closed) = show_dialog(ctx, &self.title, |ui| {
            for line in &self.lines {
                ui.label(line);
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.write_button(self.button).clicked() {
                    Some(true)
                } else if ui.button(super::strings::CANCEL).clicked() {
                    Some(false)
                } else {
                    None
                }
            })
            .inner
        });
        clicked.or(closed.then_some(false))
    }
}

/// Draws the confirmation pending, if any, and drops it once answered.
pub fn confirm_ui<C: Clone>(ctx: &egui::Context, pending: &mut Option<Confirm<C>>, commands: &mut Vec<C>) {
    if pending.as_ref().is_some_and(|confirm| confirm.show(ctx, commands)) {
        *pending = None;
    }
}

/// [`Confirm`] answered in place, for the 数据密钥 section (`system/keys.rs`), whose long
/// work is being moved to a worker: `Some(true)` on yes, `Some(false)` on 取消 or Esc.
pub fn confirm_dialog(ctx: &egui::Context, title: &str, question: &str, button: &'static str) -> Option<bool> {
    Confirm::new(title, question, button, ()).answer(ctx)
}

/// The one way a window over the tabs (a detail, a viewer) is drawn: centred across, its top
/// fixed below the top bar, not folded away; the caller closes it on [`escape_pressed`]. Its top
/// stays put as it grows (a sign-up adds a roster line), so the box typed into next does not
/// move from under the pointer, as it did when the window was centred both ways.
pub fn window<'a>(title: impl egui::IntoAtoms<'a>) -> egui::Window<'a> {
    egui::Window::new(title).collapsible(false).anchor(egui::Align2::CENTER_TOP, [0.0, WINDOW_TOP])
}

/// How far below the screen's top a [`window`] begins: under the top bar at every text size.
const WINDOW_TOP: f32 = 96.0;

/// Esc was pressed this frame: taken, so one press closes one dialog. While a drop-down is
/// open the Esc is its own.
pub fn escape_pressed(ctx: &egui::Context) -> bool {
    !egui::Popup::is_any_open(ctx) && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
}

/// A refusal or failure in the error colour, when there is one.
pub fn error_ui(ui: &mut egui::Ui, error: Option<&str>) {
    if let Some(error) = error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
}

fn write_refusal_key() -> egui::Id {
    egui::Id::unique("volunteer-desk-write-refusal")
}

/// Says for this frame why the window may not write (another window holds the file, the file
/// is damaged or read-only), or `None` when it may. The app sets it each frame, as the clock;
/// every button that writes reads it.
pub fn set_write_refusal(ctx: &egui::Context, refusal: Option<&'static str>) {
    ctx.data_mut(|d| d.insert_temp(write_refusal_key(), refusal));
}

/// Why the window may not write this frame, if it may not.
pub fn write_refusal(ctx: &egui::Context) -> Option<&'static str> {
    ctx.data(|d| d.get_temp(write_refusal_key())).flatten()
}

/// Buttons and forms that write: disabled, with the reason on hover, while the window may not
/// write, so nothing is typed only to be refused at 保存.
pub trait WriteUi {
    /// A button that writes (or opens a form that does).
    fn write_button<'a>(&mut self, text: impl egui::IntoAtoms<'a>) -> egui::Response {
        self.add_write(true, egui::Button::new(text))
    }
    /// [`WriteUi::write_button`], small (in table rows).
    fn write_small_button<'a>(&mut self, text: impl egui::IntoAtoms<'a>) -> egui::Response {
        self.add_write(true, egui::Button::new(text).small())
    }
    /// A button that writes when the screen is `ready` for it and the window may write.
    fn add_write(&mut self, ready: bool, button: egui::Button<'_>) -> egui::Response;
    /// Fields typed only to be written: disabled as a whole while the window may not write.
    fn write_scope<R>(&mut self, add: impl FnOnce(&mut egui::Ui) -> R) -> R;
}

impl WriteUi for egui::Ui {
    fn add_write(&mut self, ready: bool, button: egui::Button<'_>) -> egui::Response {
        let refusal = write_refusal(self.ctx());
        let response = self.add_enabled(ready && refusal.is_none(), button);
        match refusal {
            Some(why) => response.on_disabled_hover_text(why),
            None => response,
        }
    }

    fn write_scope<R>(&mut self, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
        let refusal = write_refusal(self.ctx());
        self.add_enabled_ui(refusal.is_none(), add).inner
    }
}

/// A table row tall enough for a line of text and a small button at the chosen text size.
pub fn table_row_height(ui: &egui::Ui) -> f32 {
    ui.text_style_height(&egui::TextStyle::Body) + 10.0
}
