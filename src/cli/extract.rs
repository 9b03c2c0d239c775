//! `artifactor extract`: runs an extract job and renders its progress and summary.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;

use super::{
    EXIT_INTERRUPTED, EXIT_PARTIAL, EXIT_USAGE, ExtractArgs, escape_controls,
    escape_controls_by_line,
};
use crate::coordinator::{
    Command, Coordinator, Event, ExtractRequest, FailureKind, JobReport, Progress,
};
use crate::fetch::FetchOptions;
use crate::gui::settings::{Settings, expand_home};
use crate::source::Input;
use crate::workflow::{StepOutcome, StepTiming};

/// Runs the job and returns the exit status: 0 done, 1 some files not written, 2 unreadable
/// input, 130 interrupted.
pub(super) fn run(args: &ExtractArgs) -> ExitCode {
    let inputs = inputs(args);
    if inputs
        .iter()
        .filter(|input| **input == Input::Stdin)
        .count()
        > 1
    {
        eprintln!(
            "artifactor: '-' is given more than once, but standard input can be read once. \
             Pass '-' once"
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let coordinator = match Coordinator::start(None) {
        Ok(coordinator) => coordinator,
        Err(err) => {
            eprintln!("artifactor: cannot start the worker threads: {err}");
            return ExitCode::from(EXIT_PARTIAL);
        }
    };
    let job = coordinator.next_job_id();
    install_interrupt_handler(&coordinator, job);

    let settings = super::config::load_settings();
    let typing = request_reads_terminal(&inputs);
    if typing && !args.quiet {
        eprintln!("artifactor: reading standard input; paste the text, then press Ctrl+D");
    }
    let request = ExtractRequest {
        inputs,
        out: out_folder(args.out.as_deref(), &settings).0,
        all_versions: args.all_versions || settings.all_versions,
        force: args.force,
        layout: args.layout.map_or(settings.layout, Into::into),
        fetch: fetch_options(args, &settings),
    };
    let out = request.out.clone();
    if coordinator.send(Command::Extract { job, request }).is_err() {
        eprintln!("artifactor: the worker threads stopped before the job started");
        return ExitCode::from(EXIT_PARTIAL);
    }

    // A bar drawn while the user pastes into the same terminal would garble the text.
    let bar = if typing {
        ProgressBar::hidden()
    } else {
        progress_bar(args)
    };
    let mut report = None;
    for event in coordinator.events() {
        match event {
            Event::Progress { progress, .. } => update_bar(&bar, progress),
            Event::JobFinished {
                report: finished, ..
            } => {
                report = Some(finished);
                break;
            }
            Event::JobStarted { .. }
            | Event::StepStarted { .. }
            | Event::StepFinished { .. }
            | Event::Loaded { .. } => {}
        }
    }
    bar.finish_and_clear();
    // A cancelled job finished or discarded every file before it reported, so only reads it
    // stopped waiting for may still run, such as one blocked on a terminal. The process exits
    // without waiting for them, which joining the coordinator would do for up to 0.5 s.
    if report.as_ref().is_some_and(|report| report.cancelled) {
        std::mem::forget(coordinator);
    } else {
        coordinator.shutdown();
    }

    let Some(report) = report else {
        eprintln!("artifactor: the worker threads stopped without a result");
        return ExitCode::from(EXIT_PARTIAL);
    };
    let printed = render(args, &out, &report);
    match exit_status(&report) {
        0 if !printed => ExitCode::from(EXIT_PARTIAL),
        status => ExitCode::from(status),
    }
}

/// Returns the inputs in the order given, with the clipboard last.
fn inputs(args: &ExtractArgs) -> Vec<Input> {
    let mut inputs: Vec<Input> = args.inputs.iter().map(|arg| Input::from_arg(arg)).collect();
    if args.clipboard {
        inputs.push(Input::Clipboard);
    }
    inputs
}

/// Returns whether the inputs include standard input and it is a terminal.
fn request_reads_terminal(inputs: &[Input]) -> bool {
    inputs.contains(&Input::Stdin) && std::io::stdin().is_terminal()
}

/// Returns the fetch options: flags and `ARTIFACTOR_BASE_URL` first, then the settings file.
fn fetch_options(args: &ExtractArgs, settings: &Settings) -> FetchOptions {
    let mut options = settings.fetch_options();
    if let Some(jobs) = args.jobs {
        options.concurrency = usize::from(jobs);
    }
    if let Some(base_url) = &args.base_url {
        options.base_url.clone_from(base_url);
    }
    options.timeout = Duration::from_secs(args.timeout);
    options.max_bytes = args.max_download * 1024 * 1024;
    options
}

/// Returns the output folder that extract writes into, with where it came from: `--out`
/// (`out`), else the settings file's, else `./artifacts`. A leading `~` in `out` is expanded,
/// because a shell leaves it in `--out=~/x`.
pub(super) fn out_folder(out: Option<&Path>, settings: &Settings) -> (PathBuf, &'static str) {
    if let Some(out) = out {
        return (expand_home(out), "from --out");
    }
    match &settings.output_folder {
        Some(folder) => (folder.clone(), "from the settings file"),
        None => (PathBuf::from(DEFAULT_OUT), "the default"),
    }
}

/// The output folder when neither `--out` nor the settings file names one.
const DEFAULT_OUT: &str = "artifacts";

/// Makes Ctrl-C (SIGINT), SIGTERM and SIGHUP cancel the job, so the files finished so far
/// stay listed in the manifest.
fn install_interrupt_handler(coordinator: &Coordinator, job: u64) {
    let commands = coordinator.command_sender();
    let installed = ctrlc::set_handler(move || {
        // A full command channel means the coordinator is busy; the second Ctrl-C retries.
        commands.try_send(Command::Cancel { job });
    });
    if let Err(err) = installed {
        tracing::debug!(cause = %err, "Ctrl-C handler not installed");
    }
}

fn progress_bar(args: &ExtractArgs) -> ProgressBar {
    if args.quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{spinner} [{bar:30}] {bytes}/{total_bytes} {msg} ({eta} left)",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

fn update_bar(bar: &ProgressBar, progress: Progress) {
    bar.set_length(progress.bytes_total);
    bar.set_position(progress.bytes_read);
    bar.set_message(format!(
        "{} conversations, {} artifacts",
        progress.conversations, progress.artifacts
    ));
}

fn exit_status(report: &JobReport) -> u8 {
    if report.cancelled {
        return EXIT_INTERRUPTED;
    }
    match report.failure.as_ref().map(|failure| failure.kind) {
        Some(FailureKind::Input) => EXIT_USAGE,
        Some(FailureKind::Output | FailureKind::Internal) => EXIT_PARTIAL,
        None if !report.file_errors.is_empty() => EXIT_PARTIAL,
        None => 0,
    }
}

/// Prints the warnings, errors and summary. Returns `false` when the summary could not be
/// written to stdout for a reason other than a closed pipe.
fn render(args: &ExtractArgs, out: &Path, report: &JobReport) -> bool {
    let mut stderr = std::io::stderr().lock();
    if !args.quiet {
        for warning in &report.warnings {
            let _ = writeln!(stderr, "warning: {}", escape_controls(warning));
        }
    }
    for error in &report.file_errors {
        let _ = writeln!(stderr, "error: {}", escape_controls(error));
    }
    if let Some(failure) = &report.failure {
        // A failure may list several problems, one a line.
        let message = escape_controls_by_line(&failure.message);
        let _ = writeln!(stderr, "artifactor: {message}");
    }
    if report.cancelled {
        let outcome = if report.manifest.is_some() {
            "the manifest lists the files finished so far"
        } else {
            "nothing was written"
        };
        let _ = writeln!(stderr, "artifactor: interrupted; {outcome}");
    }

    let mut printed = true;
    if args.json {
        printed = super::print_stdout(format!("{}\n", summary_json(out, report)).as_bytes());
    } else if !args.quiet && report.manifest.is_some() {
        printed = super::print_stdout(summary_text(out, report).as_bytes());
    }
    if args.verbose || args.stats {
        let _ = write!(stderr, "{}", timing_table(report));
    }
    if args.stats {
        let _ = writeln!(stderr, "{}", stats_line(report));
    }
    printed
}

fn summary_text(out: &Path, report: &JobReport) -> String {
    let totals = &report.totals;
    let mut text = format!(
        "{} ({}) from {} in {}\n",
        count(totals.artifacts, "artifact"),
        count(totals.versions, "version"),
        count(totals.conversations, "conversation"),
        escape_controls(&out.display().to_string())
    );
    text.push_str(&format!(
        "  {} written, {} unchanged, {} failed, {}, {}, {:.2} s\n",
        count(totals.files_written, "file"),
        totals.files_unchanged,
        totals.files_failed,
        count(totals.warnings, "warning"),
        format_bytes(totals.bytes),
        report.elapsed.as_secs_f64()
    ));
    if totals.flagged_files > 0 {
        text.push_str(&format!(
            "  {} with risky content, written unchanged; see the warnings above and \"flags\" \
             in the manifest\n",
            count(totals.flagged_files, "file")
        ));
    }
    if let Some(manifest) = &report.manifest {
        let manifest = escape_controls(&manifest.display().to_string());
        text.push_str(&format!("  manifest: {manifest}\n"));
    }
    text
}

/// Formats a count with its noun, adding an "s" unless the count is one.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn summary_json(out: &Path, report: &JobReport) -> serde_json::Value {
    let status = if report.cancelled {
        "cancelled"
    } else if report.failure.is_some() {
        "failed"
    } else if !report.file_errors.is_empty() {
        "partial"
    } else {
        "ok"
    };
    let steps: Vec<_> = report.run.steps.iter().map(step_json).collect();
    let totals = &report.totals;
    json!({
        "status": status,
        "out": out.display().to_string(),
        "manifest": report.manifest.as_ref().map(|path| path.display().to_string()),
        "conversations": totals.conversations,
        "artifacts": totals.artifacts,
        "versions": totals.versions,
        "warnings": totals.warnings,
        "files_written": totals.files_written,
        "files_unchanged": totals.files_unchanged,
        "files_failed": totals.files_failed,
        "flagged_files": totals.flagged_files,
        "bytes": totals.bytes,
        "input_bytes": totals.input_bytes,
        "peak_memory_bytes": peak_memory_bytes(),
        "elapsed_ms": report.elapsed.as_secs_f64() * 1e3,
        "coordination_us": report.run.coordination.as_secs_f64() * 1e6,
        "steps": steps,
        "warning_messages": report.warnings,
        "errors": report.file_errors,
        "failure": report.failure.as_ref().map(|failure| failure.message.clone()),
    })
}

fn step_json(step: &StepTiming) -> serde_json::Value {
    json!({
        "name": step.name,
        "outcome": outcome_word(&step.outcome),
        "ready_ms": step.ready.as_secs_f64() * 1e3,
        "started_ms": step.started.as_secs_f64() * 1e3,
        "busy_ms": step.busy().as_secs_f64() * 1e3,
    })
}

fn outcome_word(outcome: &StepOutcome) -> &'static str {
    match outcome {
        StepOutcome::Succeeded => "ok",
        StepOutcome::Failed(_) => "failed",
        StepOutcome::Skipped => "skipped",
    }
}

/// Renders the per-step timings: when each step became ready, started and how long it ran,
/// all in milliseconds from the start of the workflow.
fn timing_table(report: &JobReport) -> String {
    let mut table = format!(
        "{:<16}{:>12}{:>12}{:>12}  outcome\n",
        "step", "ready ms", "start ms", "busy ms"
    );
    for step in &report.run.steps {
        table.push_str(&format!(
            "{:<16}{:>12.3}{:>12.3}{:>12.3}  {}\n",
            step.name,
            step.ready.as_secs_f64() * 1e3,
            step.started.as_secs_f64() * 1e3,
            step.busy().as_secs_f64() * 1e3,
            outcome_word(&step.outcome)
        ));
    }
    table.push_str(&format!(
        "workflow {:.3} ms, coordination overhead {:.1} µs, job {:.3} ms\n",
        report.run.total.as_secs_f64() * 1e3,
        report.run.coordination.as_secs_f64() * 1e6,
        report.elapsed.as_secs_f64() * 1e3
    ));
    table
}

/// Summarises throughput and memory: input bytes per second of the whole job, and the
/// process's peak resident memory where the platform reports it.
fn stats_line(report: &JobReport) -> String {
    let seconds = report.elapsed.as_secs_f64().max(1e-9);
    let input = report.totals.input_bytes;
    let rate = input as f64 / seconds / (1024.0 * 1024.0);
    let memory = peak_memory_bytes().map_or_else(|| "unknown".to_owned(), format_bytes);
    format!(
        "read {} in {seconds:.3} s: {rate:.1} MiB/s; wrote {}; peak memory {memory}",
        format_bytes(input),
        format_bytes(report.totals.bytes)
    )
}

/// Returns the peak resident memory of this process (`VmHWM` on Linux).
fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_pluralizes() {
        assert_eq!(count(1, "file"), "1 file");
        assert_eq!(count(0, "file"), "0 files");
        assert_eq!(count(2, "file"), "2 files");
    }

    #[test]
    fn bytes_use_binary_units() {
        assert_eq!(format_bytes(512), "512 B");
        assert_eq!(format_bytes(1536), "1.5 KiB");
        assert_eq!(format_bytes(3 * 1024 * 1024), "3.0 MiB");
    }
}
