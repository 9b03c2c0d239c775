//! The job the window is running, its progress bar, and the words for how it ended.

use std::path::PathBuf;

use egui::Ui;

use super::activity::Level;
use super::format;
use crate::coordinator::{FailureKind, JobId, JobReport, Progress};
use crate::source::Input;
use crate::workflow::{StepOutcome, StepTiming};

/// Problems listed one by one in the activity panel before the rest are only counted.
pub(crate) const LISTED_PROBLEMS: usize = 20;

/// The kind of a job, with the details the window shows about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JobKind {
    /// Reading `inputs`, or pasted text when it is empty; `label` names them, such as
    /// `sample-export.zip`.
    Load { label: String, inputs: Vec<Input> },
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
            JobKind::Load { label, .. } => {
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

/// Logs a finished workflow step at `debug`. The activity panel leaves steps out: a failed
/// step's error reaches it once, in the job's report.
pub(crate) fn log_step(job: JobId, timing: &StepTiming) {
    let busy_ms = timing.busy().as_secs_f64() * 1000.0;
    let ready_ms = timing.ready.as_secs_f64() * 1000.0;
    match &timing.outcome {
        StepOutcome::Succeeded => {
            tracing::debug!(job, step = timing.name, busy_ms, ready_ms, "step finished");
        }
        StepOutcome::Failed(cause) => {
            tracing::debug!(job, step = timing.name, busy_ms, ready_ms, %cause, "step failed");
        }
        StepOutcome::Skipped => tracing::debug!(job, step = timing.name, "step skipped"),
    }
}

/// Returns what the user can do about a load of `inputs` that could not read some of them.
/// Pasted text has no inputs.
fn input_failure_hint(inputs: &[Input]) -> &'static str {
    let links = inputs
        .iter()
        .filter(|input| matches!(input, Input::Url(_)))
        .count();
    if inputs.is_empty() {
        "Check that the pasted text is conversation JSON, or an answer with fenced code blocks \
         or <antArtifact> tags, then paste it again."
    } else if links == inputs.len() {
        "Check the link and that it opens in a browser. If Claude refused the request, open \
         the address given above in a browser where you are signed in, save the page as a \
         .json file, and open that file with Open…"
    } else if links == 0 {
        failure_hint(FailureKind::Input)
    } else {
        "Check each path and link named above: a path must be a Claude.ai export (its .zip, \
         the folder it was unpacked into, or a conversations.json), and a link must open in \
         a browser. Then load again."
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
        JobKind::Load { label, inputs } => describe_load(label, inputs, report),
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
    lines
}

/// Logs how a job ended with the context that the activity panel leaves out: the job id,
/// the step that failed, and the input or output paths. A failure and file errors are
/// logged at `error`, because the window shows them as errors.
pub(crate) fn log_finish(job: &RunningJob, report: &JobReport) {
    let id = job.id;
    let (kind, paths) = match &job.kind {
        JobKind::Load { inputs, .. } if inputs.is_empty() => ("load", "pasted text".to_owned()),
        JobKind::Load { inputs, .. } => ("load", join_inputs(inputs)),
        JobKind::Save { out, .. } => ("save", out.display().to_string()),
    };

    if let Some(failure) = &report.failure {
        let step = report
            .run
            .first_failure()
            .map(|(step, _)| step)
            .or(job.step)
            .unwrap_or("none");
        tracing::error!(
            job = id,
            kind,
            step,
            paths = %paths,
            failure_kind = ?failure.kind,
            cause = %failure.message,
            "the job failed"
        );
    }
    for error in report.file_errors.iter().take(LISTED_PROBLEMS) {
        tracing::error!(job = id, kind, paths = %paths, cause = %error, "a file was not written");
    }
    if report.file_errors.len() > LISTED_PROBLEMS {
        tracing::error!(
            job = id,
            kind,
            paths = %paths,
            not_listed = report.file_errors.len() - LISTED_PROBLEMS,
            "more files were not written"
        );
    }
    if report.cancelled {
        tracing::info!(job = id, kind, paths = %paths, "the job was cancelled");
    }
}

fn join_inputs(inputs: &[Input]) -> String {
    let shown: Vec<String> = inputs.iter().map(ToString::to_string).collect();
    shown.join(", ")
}

fn describe_load(label: &str, inputs: &[Input], report: &JobReport) -> Vec<Line> {
    let totals = report.totals;
    let counts = format!(
        "{} and {}",
        format::count(totals.conversations, "conversation", "conversations"),
        format::count(totals.artifacts, "artifact", "artifacts"),
    );
    let took = format::duration(report.elapsed);
    if let Some(failure) = &report.failure {
        let hint = match failure.kind {
            FailureKind::Input => input_failure_hint(inputs),
            kind => failure_hint(kind),
        };
        // The message names each input that failed, so the others are not called failed.
        let text = if totals.conversations > 0 {
            format!(
                "Loaded {label}: {counts} in {took}, but some inputs could not be read: {}",
                failure.message
            )
        } else {
            format!("Loading {label} failed: {}", failure.message)
        };
        return vec![Line::new(Level::Error, text, Some(hint))];
    }
    if report.cancelled {
        let text = format!("Loading {label} was cancelled after {counts}; those stay listed");
        return vec![Line::new(Level::Warning, text, None)];
    }
    vec![Line::new(
        Level::Info,
        format!("Loaded {label}: {counts} in {took}"),
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
        "Saved {} of files ({files}) in {}: {folder}",
        format::bytes(totals.bytes),
        format::duration(report.elapsed),
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
            inputs: vec![Input::Path(PathBuf::from("/exports/export.zip"))],
        }
    }

    #[test]
    fn load_success_counts_artifacts() {
        let lines = describe_finish(&load(), &report());
        assert_eq!(lines[0].level, Level::Info);
        assert_eq!(
            lines[0].text,
            "Loaded export.zip: 2 conversations and 5 artifacts in 30 ms"
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

    /// Runs `work` with a subscriber that records every event and returns the text.
    fn captured_log(work: impl FnOnce()) -> String {
        use std::sync::{Arc, Mutex};

        #[derive(Clone, Default)]
        struct Buffer(Arc<Mutex<Vec<u8>>>);

        impl std::io::Write for Buffer {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().expect("log buffer").extend_from_slice(bytes);
                Ok(bytes.len())
            }

            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }

        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::TRACE)
            .finish();
        tracing::subscriber::with_default(subscriber, work);
        let bytes = buffer.0.lock().expect("log buffer").clone();
        String::from_utf8(bytes).expect("UTF-8 log")
    }

    fn failed_save() -> (RunningJob, JobReport) {
        let mut job = RunningJob::new(
            7,
            JobKind::Save {
                out: PathBuf::from("/out/folder"),
                artifacts: 3,
            },
        );
        job.step = Some("verify");
        let mut report = report();
        report.failure = Some(JobFailure {
            kind: FailureKind::Output,
            message: "the disk is full".to_owned(),
        });
        report.run.steps.push(StepTiming {
            name: "write",
            ready: Duration::ZERO,
            started: Duration::ZERO,
            finished: Duration::ZERO,
            outcome: StepOutcome::Failed("the disk is full".to_owned()),
        });
        (job, report)
    }

    #[test]
    fn log_finish_names_job_step_and_path() {
        let (job, report) = failed_save();
        let log = captured_log(|| log_finish(&job, &report));
        assert!(log.contains("ERROR"), "{log}");
        assert!(log.contains("the job failed"), "{log}");
        assert!(log.contains("job=7"), "{log}");
        assert!(log.contains(r#"step="write""#), "{log}");
        assert!(log.contains("paths=/out/folder"), "{log}");
        assert!(log.contains("cause=the disk is full"), "{log}");
    }

    #[test]
    fn log_finish_counts_many_file_errors() {
        let (job, mut report) = failed_save();
        report.failure = None;
        report.file_errors = (0..25).map(|index| format!("file {index}")).collect();
        let log = captured_log(|| log_finish(&job, &report));
        let listed = log.matches("a file was not written").count();
        assert_eq!(listed, LISTED_PROBLEMS, "{log}");
        assert!(log.contains("not_listed=5"), "{log}");
        assert!(!log.contains("the job failed"), "{log}");
    }

    #[test]
    fn log_finish_is_silent_on_success() {
        let job = RunningJob::new(1, load());
        let log = captured_log(|| log_finish(&job, &report()));
        assert_eq!(log, "");
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
