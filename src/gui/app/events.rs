//! Handling the coordinator's events and the results of helper threads.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::ArtifactorApp;
use super::actions::PASTED_TEXT;
use crate::coordinator::{Event, JobId, JobReport};
use crate::gui::activity::Level;
use crate::gui::format;
use crate::gui::helpers::{HelperResult, PickPurpose};
use crate::gui::jobs::{self, JobKind, RunningJob};
use crate::gui::save_dialog::SaveOutcome;
use crate::source::Input;

/// The maximum time one frame spends handling coordinator events. Events left over wait
/// for the next frame, which is requested at once.
const EVENT_BUDGET: Duration = Duration::from_millis(8);

impl ArtifactorApp {
    pub(super) fn drain_events(&mut self, ctx: &egui::Context) {
        let started = Instant::now();
        loop {
            if started.elapsed() >= EVENT_BUDGET {
                ctx.request_repaint();
                return;
            }
            let Some(coordinator) = &self.coordinator else {
                return;
            };
            let Ok(event) = coordinator.events().try_recv() else {
                return;
            };
            self.handle_event(event);
        }
    }

    fn handle_event(&mut self, event: Event) {
        match event {
            Event::JobStarted { .. } => {}
            Event::StepStarted { job, step } => {
                if let Some(running) = self.running(job) {
                    running.step = Some(step);
                }
            }
            Event::StepFinished { job, timing } => {
                if self.running(job).is_some() {
                    jobs::log_step(job, &timing);
                }
            }
            Event::Progress { job, progress } => {
                if let Some(running) = self.running(job) {
                    running.progress = progress;
                }
            }
            Event::Loaded { job, conversations } => {
                if self.running(job).is_some_and(|running| running.is_load()) {
                    self.library.add(conversations);
                }
            }
            Event::JobFinished { job, report } => self.finish_job(job, &report),
        }
    }

    /// Returns the running job if it has this id. Events of replaced jobs are ignored.
    fn running(&mut self, job: JobId) -> Option<&mut RunningJob> {
        self.job.as_mut().filter(|running| running.id == job)
    }

    fn finish_job(&mut self, job: JobId, report: &JobReport) {
        let Some(running) = self.job.take_if(|running| running.id == job) else {
            return;
        };
        jobs::log_finish(&running, report);
        tracing::debug!(
            job,
            elapsed_ms = report.elapsed.as_secs_f64() * 1000.0,
            coordination_ms = report.run.coordination.as_secs_f64() * 1000.0,
            "the job ended"
        );
        let succeeded =
            report.failure.is_none() && !report.cancelled && report.file_errors.is_empty();
        if succeeded {
            self.activity.clear_banner();
        }
        for line in jobs::describe_finish(&running.kind, report) {
            self.activity.push(line.level, line.text, line.hint);
        }
        match running.kind {
            JobKind::Load { inputs, .. } => {
                // A save's manifest lists the inputs that artifacts came from, including those
                // of a load that failed or was cancelled part way.
                if report.totals.conversations > 0 {
                    if inputs.is_empty() {
                        self.library.add_source(PASTED_TEXT);
                    }
                    for input in &inputs {
                        self.library.add_source(&input.to_string());
                    }
                }
                let fetched: Vec<&str> = inputs
                    .iter()
                    .filter_map(|input| match input {
                        Input::Url(url) => Some(url.as_str()),
                        _ => None,
                    })
                    .collect();
                let field: Vec<&str> = self.link_field.split_whitespace().collect();
                if succeeded && !fetched.is_empty() && field == fetched {
                    self.link_field.clear();
                }
                self.filter.refresh_now();
                self.report_load_warnings();
            }
            JobKind::Save { out, .. } => self.save_dialog.finished(save_outcome(out, report)),
        }
    }

    /// Lists the problems met while rebuilding, up to [`jobs::LISTED_PROBLEMS`].
    fn report_load_warnings(&mut self) {
        let warnings = self.library.warnings();
        if warnings == 0 {
            return;
        }
        self.activity.warning(format!(
            "{} while rebuilding; the preview of each artifact shows its own",
            format::count(warnings, "problem", "problems")
        ));
        let listed: Vec<String> = self
            .library
            .warning_texts()
            .take(jobs::LISTED_PROBLEMS)
            .collect();
        for warning in listed {
            self.activity.warning(warning);
        }
    }

    pub(super) fn drain_helpers(&mut self) {
        while let Some(result) = self.helpers.try_recv() {
            match result {
                HelperResult::Picked { purpose, paths } => self.picked(purpose, paths),
                HelperResult::Notice { level, text, hint } => self.activity.push(level, text, hint),
            }
        }
    }

    fn picked(&mut self, purpose: PickPurpose, paths: Vec<PathBuf>) {
        if self.dialogs.closed(purpose, &paths) {
            tracing::warn!(
                ?purpose,
                "no file dialog appeared: neither xdg-desktop-portal nor zenity answered"
            );
            self.activity.push(
                Level::Warning,
                "No file dialog appeared: artifactor asks the desktop portal (xdg-desktop-portal), then zenity, and neither answered.",
                Some("Drop files on the window, type a path instead, or install xdg-desktop-portal or zenity.".to_owned()),
            );
        }
        if paths.is_empty() {
            return;
        }
        match purpose {
            PickPurpose::OpenFiles | PickPurpose::OpenFolder => {
                self.start_load(paths.into_iter().map(Input::from).collect());
            }
            // A folder picked from the save dialog is stored only if that dialog saves.
            PickPurpose::OutputFolder if self.save_dialog.is_editing() => {
                if let Some(folder) = paths.into_iter().next() {
                    self.save_dialog.set_output_folder(folder);
                }
            }
            PickPurpose::OutputFolder => {
                self.settings.output_folder = paths.into_iter().next();
                self.settings_changed();
            }
        }
    }
}

fn save_outcome(out: PathBuf, report: &JobReport) -> SaveOutcome {
    let totals = report.totals;
    let summary = format!(
        "{} written, {} unchanged, {} failed · {}",
        format::count(totals.files_written, "file", "files"),
        totals.files_unchanged,
        totals.files_failed,
        format::bytes(totals.bytes),
    );
    let heading = if report.failure.is_some() {
        "Save failed"
    } else if report.cancelled {
        "Save cancelled"
    } else {
        "Save finished"
    };
    let problem = if let Some(failure) = &report.failure {
        Some((
            failure.message.clone(),
            jobs::failure_hint(failure.kind).to_owned(),
        ))
    } else if report.cancelled {
        Some((
            "The save was cancelled.".to_owned(),
            "The files written so far are complete and listed in manifest.json; save again to write the rest.".to_owned(),
        ))
    } else if !report.file_errors.is_empty() {
        Some((
            format::count(
                report.file_errors.len(),
                "file could not be written",
                "files could not be written",
            ),
            "The activity panel lists them; check free space and permissions, then save again."
                .to_owned(),
        ))
    } else {
        None
    };
    SaveOutcome {
        heading,
        out,
        summary,
        problem,
    }
}
