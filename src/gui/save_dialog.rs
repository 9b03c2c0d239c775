//! The save dialog: what to save and where, then the save's progress, then its summary with
//! an "Open folder" button.
//!
//! The options are edited on a copy of the settings, which Save stores and Close discards.

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
    /// The settings as edited in the dialog, stored only when Save is clicked.
    draft: Settings,
    outcome: Option<SaveOutcome>,
}

impl Default for SaveDialog {
    fn default() -> Self {
        Self {
            open: false,
            scope: SaveScope::Visible,
            force: false,
            draft: Settings::default(),
            outcome: None,
        }
    }
}

impl SaveDialog {
    /// Opens the dialog at its options, starting from `settings` and saving the selection if
    /// there is one.
    pub(crate) fn show(&mut self, counts: ScopeCounts, settings: &Settings) {
        self.open = true;
        self.outcome = None;
        self.force = false;
        self.draft = settings.clone();
        self.scope = if counts.selected > 0 {
            SaveScope::Selected
        } else {
            SaveScope::Visible
        };
    }

    /// Returns whether the dialog shows its options, whose output folder a folder picked in the
    /// file dialog sets.
    pub(crate) fn is_editing(&self) -> bool {
        self.open && self.outcome.is_none()
    }

    /// Sets the output folder in the dialog's options without storing it in the settings.
    pub(crate) fn set_output_folder(&mut self, folder: PathBuf) {
        self.draft.output_folder = Some(folder);
    }

    /// Opens the dialog at the summary of a finished save.
    pub(crate) fn finished(&mut self, outcome: SaveOutcome) {
        self.open = true;
        self.outcome = Some(outcome);
    }

    /// Draws the dialog if it is open. Returns whether a setting changed, which happens only
    /// when Save copies the dialog's options into `settings`.
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
        ui.heading("Save artifacts");
        ui.add_space(4.0);
        scope_ui(ui, &mut self.scope, counts);
        ui.separator();
        let draft = &mut self.draft;
        if settings::output_folder_ui(ui, &mut draft.output_folder) {
            actions.push(Action::ChooseOutputFolder);
        }
        ui.separator();
        settings::layout_ui(ui, &mut draft.layout);
        ui.checkbox(&mut draft.all_versions, "Save earlier versions too")
            .on_hover_text("Writes every earlier version beside the final one, as NAME.vN.EXT.");
        ui.checkbox(
            &mut self.force,
            "Replace files that artifactor did not write",
        )
        .on_hover_text("Without this, such files are kept and reported as errors.");
        ui.separator();

        let mut changed = false;
        ui.horizontal(|ui| {
            let ready = self.draft.output_folder.is_some() && counts.of(self.scope) > 0;
            if ui.add_enabled(ready, egui::Button::new("Save")).clicked() {
                changed = *settings != self.draft;
                settings.clone_from(&self.draft);
                actions.push(Action::Save {
                    scope: self.scope,
                    force: self.force,
                });
            }
            if ui
                .button("Close")
                .on_hover_text("Close without saving; changes to these options are discarded")
                .clicked()
            {
                self.open = false;
            }
        });
        changed
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
