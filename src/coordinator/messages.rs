//! The messages between a front end and the coordinator: [`Command`] in, [`Event`] out.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::artifact::{Artifact, ConversationInfo};
use crate::fetch::FetchOptions;
use crate::source::Input;
use crate::workflow::{RunReport, StepTiming};

/// Identifies a job; chosen by the front end with [`super::Coordinator::next_job_id`].
pub type JobId = u64;

/// A request from a front end to the coordinator.
#[derive(Debug, Clone)]
pub enum Command {
    /// Read the inputs, rebuild their artifacts and write them with a manifest.
    Extract { job: JobId, request: ExtractRequest },
    /// Read the inputs and rebuild their artifacts, sending them back as
    /// [`Event::Loaded`] without writing anything.
    Load {
        job: JobId,
        inputs: Vec<Input>,
        fetch: FetchOptions,
    },
    /// Like `Load`, for pasted text: conversation JSON, or text with `<antArtifact>` tags.
    /// `name` stands for the text in messages.
    LoadText {
        job: JobId,
        name: String,
        text: String,
    },
    /// Write the given artifacts with a manifest, as `Extract` would.
    Save { job: JobId, request: SaveRequest },
    /// Stop a running job. Files it finished stay valid and listed in the manifest.
    Cancel { job: JobId },
    /// Cancel every job, wait for them to end, then end the coordinator thread.
    Shutdown,
}

/// The options of an extract job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractRequest {
    /// Export archives, folders or JSON files (recognised by content), URLs, standard input
    /// or the clipboard.
    pub inputs: Vec<Input>,
    /// The output folder, created when missing.
    pub out: PathBuf,
    /// Also write every earlier version beside the final one.
    pub all_versions: bool,
    /// Replace files in the output folder that artifactor did not write.
    pub force: bool,
    pub layout: Layout,
    /// The options for fetching URLs among the inputs.
    pub fetch: FetchOptions,
}

/// The arrangement of files in the output folder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// One folder per conversation. Settings files may also spell it as the command line
    /// does, `per-conversation`.
    #[default]
    #[serde(alias = "per-conversation")]
    PerConversation,
    /// Every file directly in the output folder.
    Flat,
}

/// The options of a save job, which writes artifacts that a front end received from `Load`.
#[derive(Debug, Clone)]
pub struct SaveRequest {
    /// Artifacts to write, grouped by conversation in the order given.
    pub artifacts: Vec<Arc<Artifact>>,
    /// The sources of the artifacts, recorded in the manifest.
    pub inputs: Vec<String>,
    pub out: PathBuf,
    pub all_versions: bool,
    pub force: bool,
    pub layout: Layout,
}

/// One conversation after rebuilding.
#[derive(Debug, Clone)]
pub struct LoadedConversation {
    pub info: Arc<ConversationInfo>,
    /// Artifacts in the order of their first version.
    pub artifacts: Vec<Arc<Artifact>>,
    /// Problems that belong to no single artifact.
    pub warnings: Vec<String>,
}

impl LoadedConversation {
    /// Returns the bytes of text in all versions of its artifacts.
    pub fn text_bytes(&self) -> usize {
        self.artifacts
            .iter()
            .map(|artifact| artifact.text_bytes())
            .sum()
    }
}

/// A report from the coordinator to the front end. Every job sends [`Event::JobStarted`] first and
/// [`Event::JobFinished`] last.
#[derive(Debug, Clone)]
pub enum Event {
    /// The job was accepted and its workflow is starting.
    JobStarted { job: JobId },
    /// A workflow step began running.
    StepStarted { job: JobId, step: &'static str },
    /// A workflow step ended, successfully or not.
    StepFinished { job: JobId, timing: StepTiming },
    /// Reading advanced. Sent at most every few tens of milliseconds, and dropped when the
    /// front end is behind.
    Progress { job: JobId, progress: Progress },
    /// A batch of conversations rebuilt by a `Load` or `LoadText` job.
    Loaded {
        job: JobId,
        conversations: Vec<LoadedConversation>,
    },
    /// The job ended, and the report describes how.
    JobFinished { job: JobId, report: Box<JobReport> },
}

/// How far a job has come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Uncompressed input bytes read so far; for a save job, bytes of final versions written.
    pub bytes_read: u64,
    /// The total that `bytes_read` counts towards, when known.
    pub bytes_total: u64,
    pub conversations: usize,
    pub artifacts: usize,
}

/// The reason a job stopped before its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// An input is missing or unreadable.
    Input,
    /// The output folder cannot be used.
    Output,
    /// A bug: a step panicked or an invariant broke.
    Internal,
}

/// A problem that stopped the job, in words for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobFailure {
    pub kind: FailureKind,
    pub message: String,
}

/// Counts for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Totals {
    pub conversations: usize,
    pub artifacts: usize,
    pub versions: usize,
    pub warnings: usize,
    pub files_written: usize,
    pub files_unchanged: usize,
    pub files_failed: usize,
    /// Files listed in the manifest by this run whose content raised a scan flag. Each one
    /// also counts as a warning.
    pub flagged_files: usize,
    /// Bytes of the files listed in the manifest by this run.
    pub bytes: u64,
    /// Uncompressed input bytes read.
    pub input_bytes: u64,
}

/// The outcome of a job.
#[derive(Debug, Clone)]
pub struct JobReport {
    pub totals: Totals,
    /// Rebuild problems, each prefixed with its conversation and artifact.
    pub warnings: Vec<String>,
    /// Files that could not be written or did not verify.
    pub file_errors: Vec<String>,
    /// The problem that stopped the job early, if any.
    pub failure: Option<JobFailure>,
    pub cancelled: bool,
    /// The manifest written by this run, if one was.
    pub manifest: Option<PathBuf>,
    pub run: RunReport,
    /// From the coordinator receiving the command to sending this report.
    pub elapsed: Duration,
}
