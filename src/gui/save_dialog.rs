//! The save dialog: what to save and where, then the save's progress, then its summary with
//! an "Open folder" button.

use std::path::PathBuf;

use egui::{Id, RichText, Ui};

use super::app::Action;
use super::jobs::RunningJob;
use super::settings::{self, Settings};

/// The set of artifacts a save writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SaveScope {
    /// The rows selected in the table.
    Selected,
    /// The rows the table shows with the current search and filters.
    Visible,
    /// Everything loaded.
    All,
}

/// How many artifacts each scope holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ScopeCounts {
    pub(crate) selected: usize,
    pub(crate) visible: usize,
    pub(crate) all: usize,
}

impl ScopeCounts {
    fn of(self, scope: SaveScope) -> usize {
        match scope {
            SaveScope::Selected => self.selected,
            SaveScope::Visible => self.visible,
            SaveScope::All => self.all,
        }
    }
}

/// The end of the last save, in words for the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SaveOutcome {
    /// The dialog's heading: "Save finished", "Save cancelled" or "Save failed".
    pub(crate) heading: &'static str,
    pub(crate) out: PathBuf,
    /// The result, such as "12 files written, 3 unchanged".
    pub(crate) summary: String,
    /// The problem and the next step, if anything went wrong.
    pub(crate) problem: Option<(String, String)>,
}

/// The dialog's state.
#[derive(Debug)]
pub(crate) struct SaveDialog {
    open: bool,
    scope: SaveScope,
    /// Replace files that artifactor did not write. Asked for each save, never remembered.
    force: bool,
    outcome: Option<SaveOutcome>,
}

impl Default for SaveDialog {
    fn default() -> Self {
        Self {
            open: false,
            scope: SaveScope::Visible,
            force: false,
            outcome: None,
        }
    }
}

impl SaveDialog {
    /// Opens the dialog at its options, saving the selection if there is one.
    pub(crate) fn show(&mut self, counts: ScopeCounts) {
        self.open = true;
        self.outcome = None;
        self.force = false;
        self.scope = if counts.selected > 0 {
            SaveScope::Selected
        } else {
            SaveScope::Visible
        };
    }

    /// Opens the dialog at the summary of a finished save.
    pub(crate) fn finished(&mut self, outcome: SaveOutcome) {
        self.open = true;
        self.outcome = Some(outcome);
    }

    /// Draws the dialog if it is open. Returns whether a setting changed.
    pub(crate) fn dialog_ui(
        &mut self,
        ctx: &egui::Context,
        settings: &mut Settings,
        counts: ScopeCounts,
        job: Option<&RunningJob>,
        actions: &mut Vec<Action>,
    ) -> bool {
        if !self.open {
            return false;
        }
        let mut changed = false;
        let modal = egui::Modal::new(Id::unique("save-dialog")).show(ctx, |ui| {
            ui.set_width(460.0);
            if let Some(job) = job.filter(|job| !job.is_load()) {
                running_ui(ui, job, actions);
            } else if let Some(outcome) = &self.outcome {
                if outcome_ui(ui, outcome, actions) {
                    self.open = false;
                }
            } else {
                changed = self.options_ui(ui, settings, counts, actions);
            }
        });
        if modal.should_close() {
            self.open = false;
        }
        changed
    }

    fn options_ui(
        &mut self,
        ui: &mut Ui,
        settings: &mut Settings,
        counts: ScopeCounts,
        actions: &mut Vec<Action>,
    ) -> bool {
        let before = settings.clone();
        ui.heading("Save artifacts");
        ui.add_space(4.0);
        scope_ui(ui, &mut self.scope, counts);
        ui.separator();
        if settings::output_folder_ui(ui, &mut settings.output_folder) {
            actions.push(Action::ChooseOutputFolder);
        }
        ui.separator();
        settings::layout_ui(ui, &mut settings.layout);
        ui.checkbox(&mut settings.all_versions, "Save earlier versions too")
            .on_hover_text("Writes every earlier version beside the final one, as NAME.vN.EXT.");
        ui.checkbox(
            &mut self.force,
            "Replace files that artifactor did not write",
        )
        .on_hover_text("Without this, such files are kept and reported as errors.");
        ui.separator();

        ui.horizontal(|ui| {
            let ready = settings.output_folder.is_some() && counts.of(self.scope) > 0;
            if ui.add_enabled(ready, egui::Button::new("Save")).clicked() {
                actions.push(Action::Save {
                    scope: self.scope,
                    force: self.force,
                });
            }
            if ui.button("Close").clicked() {
                self.open = false;
            }
        });
        *settings != before
    }
}

fn scope_ui(ui: &mut Ui, scope: &mut SaveScope, counts: ScopeCounts) {
    ui.add_enabled_ui(counts.selected > 0, |ui| {
        ui.radio_value(
            scope,
            SaveScope::Selected,
            format!("Selected artifacts ({})", counts.selected),
        );
    });
    ui.radio_value(
        scope,
        SaveScope::Visible,
        format!("Artifacts shown in the table ({})", counts.visible),
    );
    ui.radio_value(
        scope,
        SaveScope::All,
        format!("All loaded artifacts ({})", counts.all),
    );
}

fn running_ui(ui: &mut Ui, job: &RunningJob, actions: &mut Vec<Action>) {
    ui.heading("Saving");
    ui.horizontal(|ui| {
        if job.progress_ui(ui) {
            actions.push(Action::Cancel);
        }
    });
}

/// Draws the summary. Returns whether the user closed the dialog.
fn outcome_ui(ui: &mut Ui, outcome: &SaveOutcome, actions: &mut Vec<Action>) -> bool {
    ui.heading(outcome.heading);
    ui.label(&outcome.summary);
    ui.monospace(outcome.out.display().to_string());
    if let Some((problem, hint)) = &outcome.problem {
        ui.label(RichText::new(problem).color(ui.visuals().error_fg_color));
        ui.label(hint);
    }
    let mut closed = false;
    ui.horizontal(|ui| {
        if ui.button("Open folder").clicked() {
            actions.push(Action::OpenInFileManager(outcome.out.clone()));
        }
        if ui.button("Close").clicked() {
            closed = true;
        }
    });
    closed
}
