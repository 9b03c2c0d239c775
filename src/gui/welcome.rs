//! The start screen, shown before anything is loaded, and the shade over the window while
//! files are dragged over it.

use std::path::PathBuf;

use egui::{Key, Ui};

use super::app::Action;

/// The approximate width of the path row: its label, field and button.
const PATH_ROW_WIDTH: f32 = 520.0;
/// The width of the path field.
const PATH_FIELD_WIDTH: f32 = 320.0;

/// Draws the start screen.
pub(crate) fn welcome_ui(ui: &mut Ui, actions: &mut Vec<Action>) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() / 4.0);
        ui.heading("Get your artifacts out of a Claude.ai export");
        ui.add_space(8.0);
        ui.label(
            "Open the export's .zip, the folder it was unpacked into, or a conversations.json.",
        );
        ui.label(
            "You can also drop files on this window, or paste conversation JSON or \
             <antArtifact> text with Ctrl+V.",
        );
        ui.add_space(12.0);
        if ui.button("Open export…").clicked() {
            actions.push(Action::OpenFiles);
        }
        ui.add_space(12.0);
        path_ui(ui, actions);
    });
}

/// Draws a field for typing the path of an export, for systems without a file dialog.
fn path_ui(ui: &mut Ui, actions: &mut Vec<Action>) {
    let id = egui::Id::unique("typed-path");
    let mut path: String = ui.data_mut(|data| data.get_temp(id)).unwrap_or_default();
    ui.horizontal(|ui| {
        // Centres the row: vertical_centered does not centre the contents of a row.
        ui.add_space((ui.available_width() - PATH_ROW_WIDTH).max(0.0) / 2.0);
        let label = ui.label("Or type its path");
        let edit = egui::TextEdit::singleline(&mut path).desired_width(PATH_FIELD_WIDTH);
        let response = ui.add(edit).labelled_by(label.id);
        let entered = response.lost_focus() && ui.input(|input| input.key_pressed(Key::Enter));
        let clicked = ui
            .add_enabled(!path.is_empty(), egui::Button::new("Load"))
            .clicked();
        if (entered || clicked) && !path.is_empty() {
            actions.push(Action::Load(vec![PathBuf::from(&path)]));
        }
    });
    ui.data_mut(|data| data.insert_temp(id, path));
}

/// Shades the window while files are dragged over it.
pub(crate) fn drop_overlay_ui(ctx: &egui::Context) {
    let hovering = ctx.input(|input| !input.raw.hovered_files.is_empty());
    if !hovering {
        return;
    }
    let layer = egui::LayerId::new(egui::Order::Foreground, egui::Id::unique("drop-overlay"));
    let painter = ctx.layer_painter(layer);
    let rect = ctx.content_rect();
    painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(160));
    painter.text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        "Drop to load",
        egui::FontId::proportional(28.0),
        egui::Color32::WHITE,
    );
}
