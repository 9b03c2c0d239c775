//! The job the window is running, its progress bar, and the words for how it ended.

use std::path::PathBuf;

use egui::Ui;

use super::activity::Level;
use super::format;
use crate::coordinator::{FailureKind, JobId, JobReport, Progress};
use crate::workflow::{StepOutcome, StepTiming};

/// Problems listed one by one in the activity panel before the rest are only counted.
pub(crate) const LISTED_PROBLEMS: usize = 20;

/// The kind of a job, with the details the window shows about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JobKind {
    /// Reading inputs; `label` names them, such as `sample-export.zip`.
    Load { label: String },
    /// Writing `artifacts` artifacts into `out`.
    Save { out: PathBuf, artifacts: usize },
}

/// A job sent to the coordinator that has not finished yet.
#[derive(Debug)]
pub(crate) struct RunningJob {
    pub(crate) id: JobId,
    pub(crate) kind: JobKind,
    pub(crate) progress: Progress,
    /// The workflow step that started last.
    pub(crate) step: Option<&'static str>,
    /// A cancel was sent and the coordinator has not confirmed it yet.
    pub(crate) cancelling: bool,
}

impl RunningJob {
    pub(crate) fn new(id: JobId, kind: JobKind) -> Self {
        Self {
            id,
            kind,
            progress: Progress::default(),
            step: None,
            cancelling: false,
        }
    }

    pub(crate) fn is_load(&self) -> bool {
        matches!(self.kind, JobKind::Load { .. })
    }

    /// Draws the progress bar and a Cancel button. Returns whether Cancel was clicked.
    pub(crate) fn progress_ui(&self, ui: &mut Ui) -> bool {
        let (fraction, text) = self.progress_text();
        let bar = match fraction {
            Some(fraction) => egui::ProgressBar::new(fraction),
            None => egui::ProgressBar::new(0.0).animate(true),
        };
        // Leaves room for the Cancel button and the settings toggle on the right.
        let width = (ui.available_width() - 200.0).clamp(240.0, 640.0);
        ui.add(bar.text(text).desired_width(width));
        if self.cancelling {
            ui.add(egui::Spinner::new());
            ui.label("Cancelling…");
            return false;
        }
        ui.button("Cancel")
            .on_hover_text("Stop the running job (Esc)")
            .clicked()
    }

    fn progress_text(&self) -> (Option<f32>, String) {
        let progress = self.progress;
        match &self.kind {
            JobKind::Load { label } => {
                let counts = format!(
                    "{} · {}",
                    format::count(progress.conversations, "conversation", "conversations"),
                    format::count(progress.artifacts, "artifact", "artifacts"),
                );
                if progress.bytes_total == 0 {
                    return (None, format!("Loading {label} · {counts}"));
                }
                let fraction = progress.bytes_read as f64 / progress.bytes_total as f64;
                let text = format!(
                    "Loading {label}: {} of {} · {counts}",
                    format::bytes(progress.bytes_read),
                    format::bytes(progress.bytes_total),
                );
                (Some(fraction as f32), text)
            }
            JobKind::Save { artifacts, .. } => {
                let step = self.step.unwrap_or("starting");
                let text = format!(
                    "Saving {} ({step})",
                    format::count(*artifacts, "artifact", "artifacts")
                );
                if progress.artifacts == 0 || *artifacts == 0 {
                    return (None, text);
                }
                let fraction = progress.artifacts as f64 / *artifacts as f64;
                (Some(fraction.min(1.0) as f32), text)
            }
        }
    }
}

/// One line for the activity panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    pub(crate) level: Level,
    pub(crate) text: String,
    pub(crate) hint: Option<String>,
}

impl Line {
    fn new(level: Level, text: String, hint: Option<&str>) -> Self {
        Self {
            level,
            text,
            hint: hint.map(str::to_owned),
        }
    }
}

/// Describes a finished workflow step, such as `read_source took 120 ms (ready after 2 ms)`.
pub(crate) fn describe_step(timing: &StepTiming) -> Line {
    let took = format::duration(timing.busy());
    let ready = format::duration(timing.ready);
    match &timing.outcome {
        StepOutcome::Succeeded => Line::new(
            Level::Info,
            format!("Step {} took {took} (ready after {ready})", timing.name),
            None,
        ),
        StepOutcome::Failed(message) => Line::new(
            Level::Warning,
            format!("Step {} failed after {took}: {message}", timing.name),
            None,
        ),
        StepOutcome::Skipped => Line::new(
            Level::Info,
            format!("Step {} was skipped", timing.name),
            None,
        ),
    }
}

/// Returns what the user can do about a failure of this kind.
pub(crate) fn failure_hint(kind: FailureKind) -> &'static str {
    match kind {
        FailureKind::Input => {
            "Check that the path is a Claude.ai export (its .zip, the folder it was unpacked \
             into, or a conversations.json) and that it can be read, then open it again."
        }
        FailureKind::Output => {
            "Choose another output folder in Settings, or check that this one is writable and \
             the disk has free space, then save again."
        }
        FailureKind::Internal => {
            "This is a bug in artifactor. Try again; if it happens again, report it with the \
             lines of this panel."
        }
    }
}

/// Describes how a job ended, most important line first.
pub(crate) fn describe_finish(kind: &JobKind, report: &JobReport) -> Vec<Line> {
    let mut lines = match kind {
        JobKind::Load { label } => describe_load(label, report),
        JobKind::Save { out, .. } => describe_save(out, report),
    };
    lines.extend(problem_lines(
        &report.warnings,
        Level::Warning,
        "warnings",
        None,
    ));
    lines.extend(problem_lines(
        &report.file_errors,
        Level::Error,
        "file errors",
        Some("Check free space and permissions in the output folder, then save again; files already written are kept."),
    ));
    lines.push(Line::new(
        Level::Info,
        format!(
            "The job took {}; the coordinator's own share was {}",
            format::duration(report.elapsed),
            format::duration(report.run.coordination),
        ),
        None,
    ));
    lines
}

fn describe_load(label: &str, report: &JobReport) -> Vec<Line> {
    let totals = report.totals;
    let counts = format!(
        "{} and {}",
        format::count(totals.conversations, "conversation", "conversations"),
        format::count(totals.artifacts, "artifact", "artifacts"),
    );
    if let Some(failure) = &report.failure {
        let text = format!("Loading {label} failed: {}", failure.message);
        return vec![Line::new(
            Level::Error,
            text,
            Some(failure_hint(failure.kind)),
        )];
    }
    if report.cancelled {
        let text = format!("Loading {label} was cancelled after {counts}; those stay listed");
        return vec![Line::new(Level::Warning, text, None)];
    }
    vec![Line::new(
        Level::Info,
        format!("Loaded {label}: {counts}"),
        None,
    )]
}

fn describe_save(out: &std::path::Path, report: &JobReport) -> Vec<Line> {
    let totals = report.totals;
    let files = format!(
        "{} written, {} unchanged, {} failed",
        totals.files_written, totals.files_unchanged, totals.files_failed
    );
    let folder = out.display();
    if let Some(failure) = &report.failure {
        let text = format!("Saving failed: {}: {folder}", failure.message);
        return vec![Line::new(
            Level::Error,
            text,
            Some(failure_hint(failure.kind)),
        )];
    }
    if report.cancelled {
        let text = format!(
            "Saving was cancelled ({files}); the files written are complete and listed in the manifest: {folder}"
        );
        return vec![Line::new(Level::Warning, text, None)];
    }
    let text = format!(
        "Saved {} of files ({files}): {folder}",
        format::bytes(totals.bytes)
    );
    vec![Line::new(Level::Info, text, None)]
}

/// Lists the first problems one by one, then counts the rest.
fn problem_lines(
    problems: &[String],
    level: Level,
    plural_name: &str,
    hint: Option<&str>,
) -> Vec<Line> {
    let mut lines: Vec<Line> = problems
        .iter()
        .take(LISTED_PROBLEMS)
        .map(|problem| Line::new(level, problem.clone(), hint))
        .collect();
    if problems.len() > LISTED_PROBLEMS {
        let text = format!(
            "{} more {plural_name} not listed",
            problems.len() - LISTED_PROBLEMS
        );
        lines.push(Line::new(level, text, None));
    }
    lines
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::coordinator::{JobFailure, Totals};
    use crate::workflow::RunReport;

    fn report() -> JobReport {
        JobReport {
            totals: Totals {
                conversations: 2,
                artifacts: 5,
                ..Totals::default()
            },
            warnings: Vec::new(),
            file_errors: Vec::new(),
            failure: None,
            cancelled: false,
            manifest: None,
            run: RunReport {
                steps: Vec::new(),
                total: Duration::ZERO,
                coordination: Duration::ZERO,
            },
            elapsed: Duration::from_millis(30),
        }
    }

    fn load() -> JobKind {
        JobKind::Load {
            label: "export.zip".to_owned(),
        }
    }

    #[test]
    fn load_success_counts_artifacts() {
        let lines = describe_finish(&load(), &report());
        assert_eq!(lines[0].level, Level::Info);
        assert_eq!(
            lines[0].text,
            "Loaded export.zip: 2 conversations and 5 artifacts"
        );
    }

    #[test]
    fn load_failure_has_hint() {
        let mut report = report();
        report.failure = Some(JobFailure {
            kind: FailureKind::Input,
            message: "not found".to_owned(),
        });
        let lines = describe_finish(&load(), &report);
        assert_eq!(lines[0].level, Level::Error);
        assert!(lines[0].text.contains("not found"));
        assert!(
            lines[0]
                .hint
                .as_deref()
                .is_some_and(|hint| hint.contains("export"))
        );
    }

    #[test]
    fn cancelled_load_says_cancelled() {
        let mut report = report();
        report.cancelled = true;
        let lines = describe_finish(&load(), &report);
        assert!(lines[0].text.contains("cancelled"), "{}", lines[0].text);
    }

    #[test]
    fn many_file_errors_are_counted() {
        let mut report = report();
        report.file_errors = (0..25).map(|index| format!("file {index}")).collect();
        let kind = JobKind::Save {
            out: PathBuf::from("/out"),
            artifacts: 25,
        };
        let lines = describe_finish(&kind, &report);
        let errors = lines
            .iter()
            .filter(|line| line.level == Level::Error)
            .count();
        assert_eq!(errors, LISTED_PROBLEMS + 1);
        assert!(
            lines
                .iter()
                .any(|line| line.text == "5 more file errors not listed")
        );
    }

    #[test]
    fn save_progress_uses_artifact_counts() {
        let mut job = RunningJob::new(
            1,
            JobKind::Save {
                out: PathBuf::from("/out"),
                artifacts: 4,
            },
        );
        job.progress.artifacts = 1;
        let (fraction, _) = job.progress_text();
        assert_eq!(fraction, Some(0.25));
    }
}
