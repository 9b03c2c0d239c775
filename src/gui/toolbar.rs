//! The bar at the top: open, save, the running job's progress, and the settings toggle.

use egui::Ui;

use super::app::Action;
use super::jobs::RunningJob;

/// The state that the toolbar shows and changes.
pub(crate) struct ToolbarState<'a> {
    pub(crate) job: Option<&'a RunningJob>,
    /// Whether there are artifacts to save.
    pub(crate) has_artifacts: bool,
    /// Whether the settings window is open; the toggle flips it.
    pub(crate) settings_open: &'a mut bool,
    /// The text of the field for share links and URLs.
    pub(crate) link_field: &'a mut String,
}

/// Draws the field for share links and its Fetch button. Enter in the field also fetches.
/// The text stays until a fetch of it succeeds, so a failed link can be corrected.
fn link_ui(ui: &mut Ui, link_field: &mut String, actions: &mut Vec<Action>) {
    let label = ui.label("Link");
    let field = ui
        .add(
            egui::TextEdit::singleline(link_field)
                .hint_text("https://claude.ai/share/…")
                .desired_width(240.0),
        )
        .labelled_by(label.id);
    let entered = field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
    let links: Vec<String> = link_field.split_whitespace().map(str::to_owned).collect();
    let fetch = ui
        .add_enabled(!links.is_empty(), egui::Button::new("Fetch"))
        .on_hover_text("Fetch the share links or URLs in the field, separated by spaces")
        .clicked();
    if (fetch || entered) && !links.is_empty() {
        actions.push(Action::LoadUrls(links));
    }
}

/// Draws the toolbar and appends what the user asked for to `actions`.
pub(crate) fn toolbar_ui(ui: &mut Ui, state: ToolbarState<'_>, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        let saving = state.job.is_some_and(|job| !job.is_load());
        ui.add_enabled_ui(!saving, |ui| {
            if ui
                .button("Open…")
                .on_hover_text("Open export files: a .zip or .json (Ctrl+O)")
                .clicked()
            {
                actions.push(Action::OpenFiles);
            }
            if ui
                .button("Open folder…")
                .on_hover_text("Open the folder an export was unpacked into")
                .clicked()
            {
                actions.push(Action::OpenFolder);
            }
            if ui
                .button("Paste")
                .on_hover_text(
                    "Read the clipboard: conversation JSON, an answer with code blocks or \
                     tags, or share links (Ctrl+V)",
                )
                .clicked()
            {
                actions.push(Action::Paste);
            }
            link_ui(ui, state.link_field, actions);
        });
        let can_save = state.has_artifacts && state.job.is_none();
        if ui
            .add_enabled(can_save, egui::Button::new("Save…"))
            .on_hover_text("Save artifacts to a folder (Ctrl+S)")
            .clicked()
        {
            actions.push(Action::ShowSaveDialog);
        }
        if ui
            .add_enabled(can_save, egui::Button::new("Clear list"))
            .on_hover_text(
                "Remove every loaded artifact from this window; each load adds to the list. \
                 Saved files are kept.",
            )
            .clicked()
        {
            actions.push(Action::ClearList);
        }
        ui.separator();
        if let Some(job) = state.job
            && job.progress_ui(ui)
        {
            actions.push(Action::Cancel);
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.toggle_value(state.settings_open, "Settings")
                .on_hover_text("Output folder, layout, versions and theme");
        });
    });
}
