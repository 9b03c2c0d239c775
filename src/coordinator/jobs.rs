//! The jobs: their workflow steps and the state the steps share.
//!
//! An extract job:
//!
//! ```text
//! check_input ──┬─> read_source ══> rebuild ══> write ──> verify
//! fetch ────────┘                                 ^
//! prepare_output ─────────────────────────────────┘
//! ```
//!
//! `──>` is a dependency: the step starts when the other finished. `══>` is a bounded
//! channel: reading, rebuilding and writing run at the same time, one conversation at a time.
//! A load job ends in `deliver` instead of `write`, which sends the rebuilt conversations to
//! the front end. A save job starts from artifacts the front end holds: `feed ══> write`.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::ops::{ControlFlow, Range};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::Shared;
use super::messages::{
    Event, ExtractRequest, FailureKind, JobFailure, JobId, JobReport, Layout, LoadedConversation,
    Progress, SaveRequest, Totals,
};
use super::plan::{ConversationFiles, PlanTotals, Planner};
use crate::artifact::{Artifact, ConversationInfo};
use crate::fetch::FetchOptions;
use crate::model::Conversation;
use crate::output::{
    self, Bits, EarlierFiles, Entries, EntryLog, MANIFEST_FILE, ManifestEntry, ManifestHeader,
    PreparedDir, PreviousManifest, RecordedFiles, WriteError, WriteOutcome, Writer,
};
use crate::rebuild::ScanVersions;
use crate::source::{self, Input, Part};
use crate::workflow::{RunReport, StepEvent, Workflow};

mod fetch;

use fetch::fetch;

/// Batches of conversations waiting between reading and rebuilding. Peak memory grows with
/// this times the size of a batch, which is about [`HANDOFF_BYTES`] at most, or one larger
/// conversation, so it stays small. A few are enough to keep the reader busy while the
/// writer catches up.
const CONVERSATION_QUEUE: usize = 4;
/// Batches of rebuilt conversations waiting to be written; sized like `CONVERSATION_QUEUE`.
const REBUILT_QUEUE: usize = 4;
/// The maximum number of conversations in one batch of [`Handoff`].
const HANDOFF_CONVERSATIONS: usize = 32;
/// The maximum bytes in one batch of [`Handoff`], counted as JSON read or as text rebuilt,
/// unless one conversation is larger on its own.
const HANDOFF_BYTES: usize = 256 << 10;
/// The minimum time between two progress events of one job.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(50);

/// The kind of a job and its request.
pub(super) enum JobSpec {
    Extract(ExtractRequest),
    Load {
        inputs: Vec<Input>,
        fetch: FetchOptions,
    },
    Save(SaveRequest),
}

impl JobSpec {
    fn kind(&self) -> &'static str {
        match self {
            Self::Extract(_) => "extract",
            Self::Load { .. } => "load",
            Self::Save(_) => "save",
        }
    }
}

/// The options that the steps read, the same for every kind of job.
#[derive(Debug, Default)]
struct Options {
    inputs: Vec<Input>,
    fetch: FetchOptions,
    /// The output folder; `None` for jobs that write nothing.
    out: Option<PathBuf>,
    all_versions: bool,
    force: bool,
    layout: Layout,
    /// Whether progress counts bytes written rather than bytes read, as in a save job,
    /// which reads nothing.
    progress_by_writes: bool,
    /// The versions that the rebuild step scans for risky commands.
    scan: ScanVersions,
}

/// Runs one job and sends its events, ending with [`Event::JobFinished`].
pub(super) async fn run(
    job: JobId,
    spec: JobSpec,
    shared: Arc<Shared>,
    cancel: CancellationToken,
    received: Instant,
) {
    shared.events.send(Event::JobStarted { job });
    tracing::info!(job, kind = spec.kind(), "job started");
    let (options, workflow) = build_workflow(spec);
    let state = Arc::new(JobState::new(
        job,
        options,
        Arc::clone(&shared),
        cancel.clone(),
    ));
    let events = shared.events.clone();
    let run = workflow
        .run(Arc::clone(&state), cancel.clone(), |event| match event {
            StepEvent::Started { name } => events.send(Event::StepStarted { job, step: name }),
            StepEvent::Finished { timing } => events.send(Event::StepFinished { job, timing }),
        })
        .await;
    state.remove_unused_output();
    let report = state.report(run, received.elapsed(), cancel.is_cancelled());
    // The front ends show the failure and the file errors. This line records every job in
    // the log file, whichever front end started it.
    tracing::info!(
        job,
        inputs = ?state.options.inputs,
        out = state.options.out.as_deref().map(|out| tracing::field::display(out.display())),
        failure = report.failure.as_ref().map(|failure| failure.message.as_str()),
        cancelled = report.cancelled,
        files_written = report.totals.files_written,
        files_failed = report.totals.files_failed,
        elapsed_ms = report.elapsed.as_millis(),
        "job finished"
    );
    events.send(Event::JobFinished {
        job,
        report: Box::new(report),
    });
}

/// Ends a job whose future panicked outside its step bodies, so that the front end is not
/// left waiting for it.
pub(super) fn report_panic(shared: &Shared, job: JobId, cause: &str, received: Instant) {
    tracing::error!(job, cause, "a job panicked");
    let report = JobReport {
        totals: Totals::default(),
        warnings: Vec::new(),
        file_errors: Vec::new(),
        failure: Some(JobFailure {
            kind: FailureKind::Internal,
            message: format!("the job stopped on an internal error: {cause}"),
        }),
        cancelled: false,
        manifest: None,
        run: RunReport::default(),
        elapsed: received.elapsed(),
    };
    shared.events.send(Event::JobFinished {
        job,
        report: Box::new(report),
    });
}

type State = Arc<JobState>;

/// Builds the workflow of a job and the options its steps read.
fn build_workflow(spec: JobSpec) -> (Options, Workflow<State>) {
    let (conversation_tx, conversation_rx) = mpsc::channel(CONVERSATION_QUEUE);
    let (rebuilt_tx, rebuilt_rx) = mpsc::channel(REBUILT_QUEUE);
    let mut workflow = Workflow::new();

    let options = match spec {
        JobSpec::Extract(request) => {
            let check = workflow.step("check_input", &[], check_input);
            let fetch = workflow.step("fetch", &[], fetch);
            let prepare = workflow.step("prepare_output", &[], prepare_output);
            workflow.step("read_source", &[check, fetch], move |state| {
                read_source(state, conversation_tx)
            });
            workflow.step("rebuild", &[check, fetch], move |state| {
                rebuild(state, conversation_rx, rebuilt_tx)
            });
            let write = workflow.step("write", &[check, fetch, prepare], move |state| {
                write(state, rebuilt_rx)
            });
            workflow.step("verify", &[write], verify);
            Options {
                inputs: request.inputs,
                fetch: request.fetch,
                out: Some(request.out),
                all_versions: request.all_versions,
                force: request.force,
                layout: request.layout,
                progress_by_writes: false,
                // Without --all-versions only final versions are written, so scanning the
                // earlier ones would be wasted.
                scan: if request.all_versions {
                    ScanVersions::All
                } else {
                    ScanVersions::Final
                },
            }
        }
        JobSpec::Load { inputs, fetch } => {
            let check = workflow.step("check_input", &[], check_input);
            let fetch_step = workflow.step("fetch", &[], self::fetch);
            workflow.step("read_source", &[check, fetch_step], move |state| {
                read_source(state, conversation_tx)
            });
            workflow.step("rebuild", &[check, fetch_step], move |state| {
                rebuild(state, conversation_rx, rebuilt_tx)
            });
            workflow.step("deliver", &[check, fetch_step], move |state| {
                deliver(state, rebuilt_rx)
            });
            // The window shows every version with its flags.
            Options {
                inputs,
                fetch,
                scan: ScanVersions::All,
                ..Options::default()
            }
        }
        JobSpec::Save(request) => {
            let prepare = workflow.step("prepare_output", &[], prepare_output);
            let artifacts = request.artifacts;
            workflow.step("feed", &[], move |state| feed(state, artifacts, rebuilt_tx));
            let write = workflow.step("write", &[prepare], move |state| write(state, rebuilt_rx));
            workflow.step("verify", &[write], verify);
            drop((conversation_tx, conversation_rx));
            Options {
                inputs: request
                    .inputs
                    .into_iter()
                    .map(|input| Input::Path(PathBuf::from(input)))
                    .collect(),
                out: Some(request.out),
                all_versions: request.all_versions,
                force: request.force,
                layout: request.layout,
                fetch: FetchOptions::default(),
                progress_by_writes: true,
                // A save job writes artifacts that were rebuilt and scanned before.
                scan: ScanVersions::All,
            }
        }
    };
    (options, workflow)
}

/// The state shared by the steps of one job.
struct JobState {
    job: JobId,
    options: Options,
    shared: Arc<Shared>,
    cancel: CancellationToken,
    /// The parts of each input other than a URL, with the input's index.
    local_parts: OnceLock<Vec<(usize, Vec<Part>)>>,
    /// The fetched body of each URL that could be fetched, with the input's index.
    fetched_parts: OnceLock<Vec<(usize, Part)>>,
    /// URLs that could not be fetched; reported once the other inputs are read.
    fetch_failures: Mutex<Vec<String>>,
    prepared: OnceLock<Arc<PreparedDir>>,
    bytes_total: AtomicU64,
    bytes_read: AtomicU64,
    conversations: AtomicUsize,
    artifacts: AtomicUsize,
    failure: Mutex<Option<JobFailure>>,
    results: Mutex<WriteResults>,
    /// The first file error reporting a full disk or quota. No further conversation
    /// starts writing once it is set, because every file would fail the same way.
    disk_full: OnceLock<String>,
}

/// The results of the write and verify steps.
///
/// NOTE: `by_plan`, the planner's records and the folder names still grow with the number of
/// conversations, by about 150 to 250 bytes each, so an export of 115,000 small
/// conversations peaks at about 60 MiB.
#[derive(Debug, Default)]
struct WriteResults {
    totals: Totals,
    /// The totals planned by the write step, once it has finished.
    planned: Option<PlanTotals>,
    /// Entries of files written or confirmed unchanged by this run, in a temporary file in
    /// the output folder. An entry that a newer copy of its conversation replaced is removed,
    /// and the indices that `by_plan` records stay valid.
    entries: EntryLog,
    /// The outcome of writing the file of each entry in `entries`, by index.
    outcomes: Vec<WriteOutcome>,
    warnings: Vec<String>,
    /// Indices in `warnings` of warnings about a copy of a conversation that a newer copy
    /// replaced.
    dropped_warnings: HashSet<usize>,
    /// Records of this run's results for each conversation, so a newer copy can undo them,
    /// by the number of the conversation's plan. A vector takes less memory than a map by
    /// uuid, and the planner gives a newer copy the number of the earlier copy's plan.
    by_plan: Vec<RecordedConversation>,
    file_errors: Vec<String>,
    /// Conversations with a file that failed to write, whose earlier runs' files all stay.
    failed_conversations: HashSet<String>,
    manifest: Option<PathBuf>,
}

/// The results that [`record_written`] added for one copy of a conversation.
///
/// The job has one for every conversation, so it stores no text: the entries of one copy's
/// files are pushed in a row, so a range of indices names them.
#[derive(Debug, Default)]
struct RecordedConversation {
    /// The counts this copy added, except failures, which stay reported.
    totals: AddedTotals,
    /// The range of `WriteResults::warnings` this copy added.
    warnings: Range<usize>,
    /// The indices in `WriteResults::entries` of the files this copy wrote or found
    /// unchanged.
    entries: Range<usize>,
}

/// The counts that one copy of a conversation added to [`Totals`] and that a newer copy
/// takes back. Counts are kept in 32 bits, because no conversation has billions of files or
/// warnings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct AddedTotals {
    warnings: u32,
    files_written: u32,
    files_unchanged: u32,
    flagged_files: u32,
    bytes: u64,
}

/// What an earlier copy of a conversation recorded, taken out for the newer copy that
/// replaces it.
#[derive(Debug)]
struct EarlierCopy {
    recorded: RecordedConversation,
    /// The files that `recorded` lists, read from the entry log once.
    files: Vec<EarlierFile>,
}

/// A file of an earlier copy of a conversation.
#[derive(Debug)]
struct EarlierFile {
    /// The path in the manifest.
    path: String,
    sha256: String,
    /// The index in `WriteResults::entries`.
    index: usize,
    outcome: WriteOutcome,
}

impl WriteResults {
    /// Takes out the record of the copy of a conversation written before, planned as number
    /// `plan`, with the paths of its files.
    fn take_earlier_copy(&mut self, plan: usize) -> Option<EarlierCopy> {
        let recorded = std::mem::take(self.by_plan.get_mut(plan)?);
        let mut files = Vec::with_capacity(recorded.entries.len());
        for index in recorded.entries.clone() {
            match self.entries.get(index) {
                Ok(Some(entry)) => files.push(EarlierFile {
                    path: entry.path,
                    sha256: entry.sha256,
                    index,
                    outcome: self.outcomes[index],
                }),
                Ok(None) => {}
                // NOTE: an entry that cannot be read back stays listed. Writing the manifest
                // reads the same file, so it most likely fails too.
                Err(err) => {
                    tracing::warn!(index, error = %err, "reading back a manifest entry failed");
                }
            }
        }
        Some(EarlierCopy { recorded, files })
    }

    /// Takes back what an earlier copy of a conversation added: its counts, warnings and the
    /// manifest entries at the `removed` indices, whose files the newer copy did not write
    /// again.
    fn forget(&mut self, earlier: &RecordedConversation, removed: &[usize]) {
        let totals = &mut self.totals;
        let added = earlier.totals;
        totals.warnings -= added.warnings as usize;
        totals.files_written -= added.files_written as usize;
        totals.files_unchanged -= added.files_unchanged as usize;
        totals.flagged_files -= added.flagged_files as usize;
        totals.bytes -= added.bytes;
        self.dropped_warnings.extend(earlier.warnings.clone());
        for &index in removed {
            self.entries.remove(index);
        }
    }
}

impl JobState {
    fn new(job: JobId, options: Options, shared: Arc<Shared>, cancel: CancellationToken) -> Self {
        Self {
            job,
            options,
            shared,
            cancel,
            local_parts: OnceLock::new(),
            fetched_parts: OnceLock::new(),
            fetch_failures: Mutex::new(Vec::new()),
            prepared: OnceLock::new(),
            bytes_total: AtomicU64::new(0),
            bytes_read: AtomicU64::new(0),
            conversations: AtomicUsize::new(0),
            artifacts: AtomicUsize::new(0),
            failure: Mutex::new(None),
            results: Mutex::new(WriteResults::default()),
            disk_full: OnceLock::new(),
        }
    }

    /// Records what stopped the job and returns the message for the workflow engine.
    fn fail(&self, kind: FailureKind, message: String) -> Result<(), String> {
        let mut failure = self.failure.lock().unwrap_or_else(PoisonError::into_inner);
        failure.get_or_insert(JobFailure {
            kind,
            message: message.clone(),
        });
        Err(message)
    }

    /// Returns whether a step has recorded what stopped the job.
    fn has_failed(&self) -> bool {
        self.failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    }

    fn results(&self) -> MutexGuard<'_, WriteResults> {
        self.results.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn send_progress(&self) {
        let progress = Progress {
            bytes_read: self.bytes_read.load(Ordering::Relaxed),
            bytes_total: self.bytes_total.load(Ordering::Relaxed),
            conversations: self.conversations.load(Ordering::Relaxed),
            artifacts: self.artifacts.load(Ordering::Relaxed),
        };
        self.shared.events.send_lossy(Event::Progress {
            job: self.job,
            progress,
        });
    }

    /// Removes the output folder again when this job created it and then wrote nothing into
    /// it, as after an unreadable input.
    fn remove_unused_output(&self) {
        let Some(prepared) = self.prepared.get() else {
            return;
        };
        let Some(topmost) = &prepared.created else {
            return;
        };
        if self.results().manifest.is_some() {
            return;
        }
        if let Some(out) = &self.options.out {
            self.shared.prepared.invalidate(out);
        }
        for folder in prepared.root.ancestors() {
            // Fails, leaving the folder and its parents, unless it is empty.
            if std::fs::remove_dir(folder).is_err() || folder == topmost {
                break;
            }
        }
    }

    fn send_loaded(&self, conversations: Vec<LoadedConversation>) {
        self.shared.events.send(Event::Loaded {
            job: self.job,
            conversations,
        });
    }

    fn report(&self, run: RunReport, elapsed: Duration, cancelled: bool) -> JobReport {
        let mut failure = self
            .failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if failure.is_none()
            && let Some((step, message)) = run.first_failure()
        {
            failure = Some(JobFailure {
                kind: FailureKind::Internal,
                message: format!("step {step} failed: {message}"),
            });
        }
        let mut results = self.results();
        let mut totals = results.totals;
        if !self.options.progress_by_writes {
            totals.input_bytes = self.bytes_read.load(Ordering::Relaxed);
        }
        match results.planned {
            // A job that wrote files counts what it planned, each conversation once.
            Some(planned) => {
                totals.conversations = planned.conversations;
                totals.artifacts = planned.artifacts;
            }
            None => {
                totals.conversations = self.conversations.load(Ordering::Relaxed);
                totals.artifacts = self.artifacts.load(Ordering::Relaxed);
            }
        }
        JobReport {
            totals,
            warnings: std::mem::take(&mut results.warnings)
                .into_iter()
                .enumerate()
                .filter(|(index, _)| !results.dropped_warnings.contains(index))
                .map(|(_, warning)| warning)
                .collect(),
            file_errors: std::mem::take(&mut results.file_errors),
            failure,
            cancelled,
            manifest: results.manifest.clone(),
            run,
            elapsed,
        }
    }
}

/// Collects the conversations that one pipeline step hands to the next into batches.
///
/// Sending each conversation on its own costs a thread wake-up per conversation, and when
/// the receiving step is the slower one, a second wake-up of the sender each time a slot of
/// the queue frees. A conversation goes on its own while the queue is empty, so that a step
/// waiting for work gets it at once. Otherwise conversations collect until the batch is full.
struct Handoff<T> {
    batch: Vec<T>,
    bytes: usize,
}

impl<T> Handoff<T> {
    fn new() -> Self {
        Self {
            batch: Vec::new(),
            bytes: 0,
        }
    }

    /// Adds `item`, which counts as `bytes` towards [`HANDOFF_BYTES`], and returns the batch
    /// to send now, if any.
    fn push<U>(&mut self, item: T, bytes: usize, queue: &mpsc::Sender<U>) -> Option<Vec<T>> {
        self.batch.push(item);
        self.bytes += bytes;
        let queue_empty = queue.capacity() == queue.max_capacity();
        if queue_empty || self.bytes >= HANDOFF_BYTES || self.batch.len() >= HANDOFF_CONVERSATIONS {
            self.take()
        } else {
            None
        }
    }

    /// Returns what was collected, unless nothing was.
    fn take(&mut self) -> Option<Vec<T>> {
        self.bytes = 0;
        (!self.batch.is_empty()).then(|| std::mem::take(&mut self.batch))
    }
}

/// Receives the next item of a pipeline queue. Returns `None` when the queue is closed or
/// the job is cancelled, whichever comes first.
async fn receive<T>(cancel: &CancellationToken, queue: &mut mpsc::Receiver<T>) -> Option<T> {
    tokio::select! {
        () = cancel.cancelled() => None,
        item = queue.recv() => item,
    }
}

/// Maps a panic or cancellation of a blocking task to the job's failure.
fn join_failure(state: &JobState, err: &tokio::task::JoinError) -> Result<(), String> {
    state.fail(
        FailureKind::Internal,
        format!("a worker task failed: {err}"),
    )
}

/// Resolves every input other than a URL into parts.
async fn check_input(state: State) -> Result<(), String> {
    if state.options.inputs.is_empty() {
        return state.fail(FailureKind::Input, "no input given".to_owned());
    }
    let inputs = state.options.inputs.clone();
    let resolved = read_unless_cancelled(&state.cancel, move || {
        let mut parts = Vec::new();
        for (index, input) in inputs.iter().enumerate() {
            if !matches!(input, Input::Url(_)) {
                parts.push((index, source::resolve_input(input)?));
            }
        }
        Ok::<_, source::SourceError>(parts)
    })
    .await;
    let Some(resolved) = resolved else {
        return Ok(());
    };
    match resolved {
        Ok(Ok(parts)) => {
            let total = parts
                .iter()
                .flat_map(|(_, parts)| parts)
                .map(|part| part.size)
                .sum();
            state.bytes_total.fetch_add(total, Ordering::Relaxed);
            // Only this step sets the parts, and it runs once.
            let _ = state.local_parts.set(parts);
            Ok(())
        }
        Ok(Err(err)) => state.fail(FailureKind::Input, err.to_string()),
        Err(err) => join_failure(&state, &err),
    }
}

async fn prepare_output(state: State) -> Result<(), String> {
    let Some(out) = state.options.out.clone() else {
        return state.fail(
            FailureKind::Internal,
            "the job has no output folder".to_owned(),
        );
    };
    let task_state = Arc::clone(&state);
    let prepared =
        tokio::task::spawn_blocking(move || task_state.shared.prepared.prepare(&out)).await;
    match prepared {
        Ok(Ok((prepared, cached))) => {
            tracing::debug!(root = %prepared.root.display(), cached, "output folder ready");
            let _ = state.prepared.set(prepared);
            Ok(())
        }
        Ok(Err(err)) => state.fail(FailureKind::Output, err.to_string()),
        Err(err) => join_failure(&state, &err),
    }
}

async fn read_source(
    state: State,
    conversations: mpsc::Sender<Vec<Conversation>>,
) -> Result<(), String> {
    let task_state = Arc::clone(&state);
    let read = read_unless_cancelled(&state.cancel, move || {
        read_parts(&task_state, &conversations)
    })
    .await;
    match read {
        None | Some(Ok(Ok(()))) => Ok(()),
        Some(Ok(Err(message))) => state.fail(FailureKind::Input, message),
        Some(Err(err)) => join_failure(&state, &err),
    }
}

/// Runs `read` on the blocking pool and waits for it or for the job's cancellation, whichever
/// comes first. Returns `None` when the job was cancelled first.
///
/// A cancelled read is left running, so that the job can report at once. It ends by itself
/// when it next checks the cancellation, except a read stuck in the kernel, such as opening a
/// FIFO that no writer opens, which ends only with the process. Only reads are left behind:
/// a step that writes waits for its blocking work, so every file is finished or discarded
/// before the job reports.
async fn read_unless_cancelled<T: Send + 'static>(
    cancel: &CancellationToken,
    read: impl FnOnce() -> T + Send + 'static,
) -> Option<Result<T, tokio::task::JoinError>> {
    let task = tokio::task::spawn_blocking(read);
    tokio::select! {
        biased;
        result = task => Some(result),
        () = cancel.cancelled() => {
            tracing::debug!("a cancelled job stopped waiting for a read");
            None
        }
    }
}

/// Streams every part into the channel; runs on the blocking pool.
///
/// A part that cannot be read to its end does not stop the others: every failure is
/// reported, and the job fails with all of them once the readable parts are done.
fn read_parts(
    state: &JobState,
    conversations: &mpsc::Sender<Vec<Conversation>>,
) -> Result<(), String> {
    let mut parts: Vec<(usize, &Part)> = Vec::new();
    for (index, local) in state
        .local_parts
        .get()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        parts.extend(local.iter().map(|part| (*index, part)));
    }
    for (index, part) in state
        .fetched_parts
        .get()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        parts.push((*index, part));
    }
    // Parts are read in the order of their inputs, so a later input's copy of a
    // conversation is the one compared against the earlier ones.
    parts.sort_by_key(|(index, _)| *index);
    let mut bytes_before = 0;
    let mut last_progress = Instant::now();
    let mut failures = std::mem::take(
        &mut *state
            .fetch_failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner),
    );
    let handoff = RefCell::new(Handoff::new());
    // A send fails only when the rebuild step dropped its queue, and then the next send
    // from the read fails too and stops it.
    let hand_over = || {
        if let Some(batch) = handoff.borrow_mut().take() {
            let _ = conversations.blocking_send(batch);
        }
    };
    // The reader calls this before each read from the input, so no conversation already
    // read waits for a slow or stalled input.
    let before_read = || {
        if state.cancel.is_cancelled() {
            return true;
        }
        hand_over();
        false
    };
    for (_, part) in parts {
        let mut part_bytes = 0;
        let read = source::read_part(part, &before_read, &mut |conversation, progress| {
            if state.cancel.is_cancelled() {
                return ControlFlow::Break(());
            }
            let bytes = progress.bytes - part_bytes;
            part_bytes = progress.bytes;
            state
                .bytes_read
                .store(bytes_before + progress.bytes, Ordering::Relaxed);
            state.conversations.fetch_add(1, Ordering::Relaxed);
            if last_progress.elapsed() >= PROGRESS_INTERVAL {
                last_progress = Instant::now();
                state.send_progress();
            }
            let full = handoff
                .borrow_mut()
                .push(conversation, bytes as usize, conversations);
            let Some(batch) = full else {
                return ControlFlow::Continue(());
            };
            match conversations.blocking_send(batch) {
                Ok(()) => ControlFlow::Continue(()),
                // The rebuild step ended early, because the job is stopping.
                Err(_) => ControlFlow::Break(()),
            }
        });
        hand_over();
        match read {
            Ok(progress) if progress.skipped > 0 => {
                let mut results = state.results();
                results.warnings.push(format!(
                    "{}: {} JSON values are not conversations and were skipped",
                    part.display_name(),
                    progress.skipped
                ));
                results.totals.warnings += 1;
            }
            Ok(_) => {}
            // A read that stopped because the job was cancelled is not a problem of the input.
            Err(_) if state.cancel.is_cancelled() => break,
            Err(err) => failures.push(err.to_string()),
        }
        bytes_before += part.size;
        if state.cancel.is_cancelled() {
            break;
        }
    }
    state.bytes_read.store(bytes_before, Ordering::Relaxed);
    state.send_progress();
    if failures.is_empty() {
        return Ok(());
    }
    // The failure is recorded while the conversation queue is still open, so the write step
    // reads it once the queue closes.
    let message = failures.join("\n");
    let _ = state.fail(FailureKind::Input, message.clone());
    Err(message)
}

/// Rebuilds the artifacts of each batch of conversations and hands them on in batches
/// measured by the text of their versions, which can be far larger than their JSON: each
/// update of an artifact adds a full copy of it.
async fn rebuild(
    state: State,
    mut conversations: mpsc::Receiver<Vec<Conversation>>,
    rebuilt: mpsc::Sender<Vec<LoadedConversation>>,
) -> Result<(), String> {
    let mut handoff = Handoff::new();
    loop {
        // Nothing rebuilt waits while this step waits for more conversations. A closed queue
        // is empty too, so the last batch goes here before the loop ends.
        if conversations.is_empty()
            && let Some(batch) = handoff.take()
            && rebuilt.send(batch).await.is_err()
        {
            return Ok(());
        }
        let Some(batch) = receive(&state.cancel, &mut conversations).await else {
            break;
        };
        // NOTE: the batch is freed whole after the loop, because freeing each conversation
        // once it was rebuilt made 115,000 small conversations 12% slower. The cause is not
        // known.
        for conversation in &batch {
            let loaded = rebuild_one(&state, conversation);
            let bytes = loaded.text_bytes();
            if let Some(full) = handoff.push(loaded, bytes, &rebuilt)
                && rebuilt.send(full).await.is_err()
            {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// Rebuilds the artifacts of one conversation and adds them to the job's progress.
fn rebuild_one(state: &JobState, conversation: &Conversation) -> LoadedConversation {
    let result = crate::rebuild::rebuild_with(conversation, state.options.scan);
    state
        .artifacts
        .fetch_add(result.artifacts.len(), Ordering::Relaxed);
    let info = match result.artifacts.first() {
        Some(artifact) => Arc::clone(&artifact.conversation),
        None => Arc::new(ConversationInfo {
            uuid: conversation.uuid.clone(),
            name: conversation.display_name().to_owned(),
            created_at: conversation.created_at.clone(),
            updated_at: conversation.updated_at.clone(),
        }),
    };
    LoadedConversation {
        info,
        artifacts: result.artifacts.into_iter().map(Arc::new).collect(),
        warnings: result.warnings,
    }
}

async fn write(
    state: State,
    mut rebuilt: mpsc::Receiver<Vec<LoadedConversation>>,
) -> Result<(), String> {
    let Some(prepared) = state.prepared.get().cloned() else {
        return state.fail(
            FailureKind::Internal,
            "the output folder was not prepared".into(),
        );
    };
    let root = prepared.root.clone();
    drop(prepared);
    let load_root = root.clone();
    let force = state.options.force;
    let loaded = tokio::task::spawn_blocking(move || {
        // The lock is taken before the manifest is read, so that a second run reads the
        // manifest only after the first one wrote it.
        let lock = output::lock_folder(&load_root)?;
        output::remove_stale_temporary_files(&load_root);
        let previous = PreviousManifest::load(&load_root, force)?;
        let entries = EntryLog::new(&load_root).map_err(|source| output::OutputError::Io {
            path: load_root.clone(),
            source,
        })?;
        Ok::<_, output::OutputError>((lock, previous, entries))
    })
    .await;
    // Held until this function returns, after the manifest is written.
    let (_lock, previous, entries) = match loaded {
        Ok(Ok(loaded)) => loaded,
        Ok(Err(err)) => return state.fail(FailureKind::Output, err.to_string()),
        Err(err) => return join_failure(&state, &err),
    };
    if let Some(previous) = &previous {
        let mut results = state.results();
        results.totals.warnings += previous.problems.len();
        results.warnings.extend(previous.problems.iter().cloned());
    }
    let previous = previous.map(Arc::new);
    let owned: Arc<dyn RecordedFiles> = match &previous {
        Some(previous) => Arc::clone(previous) as Arc<dyn RecordedFiles>,
        None => Arc::new(HashMap::new()),
    };
    state.results().entries = entries;
    // The numbers of the conversations of the earlier manifest that this run read, whether
    // or not they still have artifacts, so that their earlier files that this run did not
    // write again go.
    let mut earlier_read = Bits::default();
    let writer = Arc::new(Writer::new(root.clone(), owned, state.options.force));
    let mut planner = Planner::new(state.options.all_versions, state.options.layout);
    let mut writes = ConversationWrites::default();

    let mut batch = Batch::default();
    let mut received = Vec::new().into_iter();
    while !state.cancel.is_cancelled() && state.disk_full.get().is_none() {
        let Some(next) = received.next() else {
            let next_batch = match rebuilt.try_recv() {
                Ok(next_batch) => Some(next_batch),
                Err(mpsc::error::TryRecvError::Disconnected) => None,
                Err(mpsc::error::TryRecvError::Empty) => {
                    writes
                        .wait_for_next(&state, &mut batch, &writer, &mut rebuilt)
                        .await
                }
            };
            let Some(next_batch) = next_batch else {
                break;
            };
            received = next_batch.into_iter();
            continue;
        };
        if let Some(number) = previous
            .as_ref()
            .and_then(|previous| previous.conversation(&next.info.uuid))
        {
            earlier_read.insert(number);
        }
        let Some(files) = planner.plan(&next) else {
            continue;
        };
        // A newer copy of a conversation undoes what the earlier copy's write recorded, so
        // every write of an earlier conversation ends first.
        let earlier = match files.replaces {
            Some(plan) => {
                writes.start(&state, &mut batch, &writer).await;
                writes.finish_all(&state).await;
                state.results().take_earlier_copy(plan)
            }
            None => None,
        };
        let folder = write_folder(&files, state.options.layout);
        writes.wait_for_folder(&state, folder.as_deref()).await;
        batch.push(files, folder, earlier);
        if batch.is_full() {
            writes.start(&state, &mut batch, &writer).await;
        }
    }
    drop(rebuilt);
    // Planned conversations are written even when the job was cancelled, so that the
    // totals count only conversations whose files were written.
    writes.start(&state, &mut batch, &writer).await;
    // Every write ends before the lock is released and the manifest is written.
    writes.finish_all(&state).await;
    if let Some(err) = writes.panic {
        return join_failure(&state, &err);
    }

    let planned = planner.totals();
    let planned_any = planner.planned_any();
    // The planner, the writer and the replacement records are dropped before the manifest
    // is built, because only the writes used them.
    drop(planner);
    drop(writer);
    {
        let mut results = state.results();
        results.planned = Some(planned);
        results.totals.versions = planned.versions;
        results.by_plan = Vec::new();
        results.outcomes = Vec::new();
    }
    // When no input could be read, or the job was cancelled before any conversation came, an
    // earlier manifest stays as it was, and a folder that this job created stays empty so
    // that it is removed again.
    if !planned_any && (state.has_failed() || state.cancel.is_cancelled()) {
        return Ok(());
    }
    finish_manifest(&state, root, previous, earlier_read).await?;
    // When the manifest could not be written either, its error is the one reported.
    match state.disk_full.get() {
        Some(error) => state.fail(
            FailureKind::Output,
            format!(
                "stopped writing because the disk is full: {error}. Free some space, then run \
                 again: the files written so far are kept, and the next run skips them"
            ),
        ),
        None => Ok(()),
    }
}

/// The maximum number of batches of conversations written at the same time.
///
/// Creating a file costs far more than writing its bytes: the kernel allocates an inode and
/// changes the folder twice, for the temporary file and for the rename. Conversations in
/// different folders are written on the blocking pool at once, so that this work runs on
/// several cores.
/// NOTE: 4 comes from trial runs on a 2-core machine with an ext4 disk (BENCHMARKS.md). With
/// nothing deleted recently, 1 to 8 writers took the same time. Right after 8,254 files were
/// deleted, 4 writers took about 40% less time than 1. Other disks may prefer another value.
const WRITE_CONCURRENCY: usize = 4;

/// The maximum bytes of artifact text that one batch keeps in memory, counting every
/// version of its artifacts. A single larger conversation is a batch of its own.
const BATCH_BYTES: usize = 256 << 10;
/// The maximum number of conversations in one batch.
const BATCH_CONVERSATIONS: usize = 64;

/// Planned conversations that no blocking task writes yet.
///
/// Small conversations are written several to a task, so that each one does not cost two
/// hand-offs between threads. The batch goes to the blocking pool once it is full, once
/// a writer is free and no conversation is waiting, and at the end.
#[derive(Default)]
struct Batch {
    conversations: Vec<(ConversationFiles, Option<String>, Option<EarlierCopy>)>,
    bytes: usize,
}

impl Batch {
    fn push(
        &mut self,
        files: ConversationFiles,
        folder: Option<String>,
        earlier: Option<EarlierCopy>,
    ) {
        self.bytes += files.held_bytes();
        self.conversations.push((files, folder, earlier));
    }

    fn is_full(&self) -> bool {
        self.bytes >= BATCH_BYTES || self.conversations.len() >= BATCH_CONVERSATIONS
    }

    fn is_empty(&self) -> bool {
        self.conversations.is_empty()
    }
}

/// The batches being written on the blocking pool, oldest first.
///
/// Results are recorded in the order the planner planned them, so the manifest and the
/// warnings are the same whatever order the writes finish in.
#[derive(Default)]
struct ConversationWrites {
    running: VecDeque<RunningWrite>,
    /// The first write that panicked.
    panic: Option<tokio::task::JoinError>,
}

/// One batch's write on the blocking pool.
struct RunningWrite {
    /// The folder each conversation writes into, if any.
    folders: Vec<Option<String>>,
    task: JoinHandle<Vec<WrittenConversation>>,
}

impl ConversationWrites {
    /// Gives the batch to the blocking pool, after waiting until fewer than
    /// [`WRITE_CONCURRENCY`] writes are running.
    async fn start(&mut self, state: &JobState, batch: &mut Batch, writer: &Arc<Writer>) {
        if batch.is_empty() {
            return;
        }
        while self.running.len() >= WRITE_CONCURRENCY {
            self.finish_oldest(state).await;
        }
        let conversations = std::mem::take(batch).conversations;
        let mut folders = Vec::with_capacity(conversations.len());
        let mut work = Vec::with_capacity(conversations.len());
        for (files, folder, earlier) in conversations {
            folders.push(folder);
            work.push((files, earlier));
        }
        let writer = Arc::clone(writer);
        let task = tokio::task::spawn_blocking(move || {
            work.into_iter()
                .map(|(files, earlier)| write_conversation(&writer, files, earlier))
                .collect()
        });
        self.running.push_back(RunningWrite { folders, task });
    }

    /// Waits for the next rebuilt conversation while the queue is empty. The batch goes to
    /// the blocking pool first when no write is running, and as soon as the oldest write
    /// ends, so that no writer stays idle while conversations wait in the batch.
    async fn wait_for_next(
        &mut self,
        state: &JobState,
        batch: &mut Batch,
        writer: &Arc<Writer>,
        rebuilt: &mut mpsc::Receiver<Vec<LoadedConversation>>,
    ) -> Option<Vec<LoadedConversation>> {
        loop {
            if batch.is_empty() {
                return receive(&state.cancel, rebuilt).await;
            }
            let Some(oldest) = self.running.front_mut() else {
                self.start(state, batch, writer).await;
                continue;
            };
            tokio::select! {
                next = receive(&state.cancel, rebuilt) => return next,
                finished = &mut oldest.task => {
                    self.record_oldest(state, finished);
                    self.start(state, batch, writer).await;
                }
            }
        }
    }

    /// Waits until no running write writes into `folder`.
    ///
    /// Two conversations share a folder when a newer copy of a conversation replaces an
    /// older one, or in the flat layout. Writing them one after the other keeps the result
    /// of writing the same path twice, and the names chosen beside foreign files, in plan
    /// order. Conversations in one batch are written in plan order anyway.
    async fn wait_for_folder(&mut self, state: &JobState, folder: Option<&str>) {
        let Some(folder) = folder else {
            return;
        };
        while self.running.iter().any(|running| {
            running
                .folders
                .iter()
                .any(|written| written.as_deref() == Some(folder))
        }) {
            self.finish_oldest(state).await;
        }
    }

    /// Waits for the oldest write and records its results.
    async fn finish_oldest(&mut self, state: &JobState) {
        let Some(oldest) = self.running.front_mut() else {
            return;
        };
        let finished = (&mut oldest.task).await;
        self.record_oldest(state, finished);
    }

    /// Removes the oldest write, which has finished, and records its results.
    fn record_oldest(
        &mut self,
        state: &JobState,
        finished: Result<Vec<WrittenConversation>, tokio::task::JoinError>,
    ) {
        if self.running.pop_front().is_none() {
            return;
        }
        match finished {
            Ok(written) => {
                for written in written {
                    record_written(state, written);
                }
            }
            Err(err) => {
                self.panic.get_or_insert(err);
            }
        }
    }

    async fn finish_all(&mut self, state: &JobState) {
        while !self.running.is_empty() {
            self.finish_oldest(state).await;
        }
    }
}

/// Returns the folder below the output folder that a conversation's files go into: its
/// own folder, or the output folder itself (`""`) in the flat layout. `None` when it has no
/// files.
fn write_folder(files: &ConversationFiles, layout: Layout) -> Option<String> {
    let first = files.files.first()?;
    match layout {
        // NOTE: in the flat layout every conversation writes into the output folder, so
        // conversations are written one at a time there.
        Layout::Flat => Some(String::new()),
        Layout::PerConversation => first.components.first().cloned(),
    }
}

/// The outcome of each planned file of one conversation.
struct WrittenConversation {
    files: ConversationFiles,
    outcomes: Vec<FileOutcome>,
    /// The record of an earlier copy of the conversation, which this copy replaces.
    earlier: Option<EarlierCopy>,
    /// Entry indices of the earlier copy's files that this copy did not write again, so
    /// they leave the manifest. Files this run wrote there were deleted.
    removed: Vec<usize>,
    /// Files of an earlier copy that could not be deleted.
    removal_errors: Vec<String>,
}

/// The outcome of writing one file, with the path components written when they differ from
/// the planned ones.
type FileOutcome = Result<(WriteOutcome, Option<Vec<String>>), WriteError>;

/// Hashes and writes one conversation's files, then deletes the files that this run wrote
/// for an `earlier` copy of it and that this copy did not write again. Runs on the blocking
/// pool.
fn write_conversation(
    writer: &Writer,
    mut files: ConversationFiles,
    earlier: Option<EarlierCopy>,
) -> WrittenConversation {
    let earlier_files = earlier.as_ref().map_or(&[][..], |copy| &copy.files);
    let conversation = files
        .files
        .first()
        .map(|file| file.entry.conversation_uuid.clone())
        .unwrap_or_default();
    // A file found unchanged belongs to an earlier run, whose manifest entry decides whether
    // this copy may replace it.
    let replaceable: EarlierFiles = earlier_files
        .iter()
        .filter(|file| file.outcome == WriteOutcome::Written)
        .filter_map(|file| {
            let owner = output::Owner::new(&file.sha256, &conversation)?;
            Some((file.path.clone(), owner))
        })
        .collect();
    let outcomes: Vec<FileOutcome> = files
        .files
        .iter_mut()
        .map(|file| {
            file.entry.sha256 = output::sha256_hex(file.content().as_bytes());
            let content = file.content().as_bytes();
            writer
                .write_beside(
                    &file.components,
                    content,
                    &file.entry.sha256,
                    &file.entry.conversation_uuid,
                    &replaceable,
                )
                .map(|(outcome, written)| {
                    let moved = (written != file.components).then_some(written);
                    (outcome, moved)
                })
        })
        .collect();

    let rewritten: HashSet<String> = files
        .files
        .iter()
        .zip(&outcomes)
        .map(|(file, outcome)| match outcome {
            Ok((_, Some(moved))) => moved.join("/"),
            // The earlier copy's file stays where this copy failed to write its own.
            Ok((_, None)) | Err(_) => file.entry.path.clone(),
        })
        .collect();
    let mut removed = Vec::new();
    let mut removal_errors = Vec::new();
    for file in earlier_files {
        if rewritten.contains(&file.path) {
            continue;
        }
        // A file found unchanged belongs to an earlier run, whose manifest entry keeps it.
        if file.outcome == WriteOutcome::Written
            && let Err(err) = writer.remove(&file.path, &file.sha256)
        {
            removal_errors.push(format!(
                "{err} (a newer copy of its conversation replaced it)"
            ));
        }
        removed.push(file.index);
    }
    WrittenConversation {
        files,
        outcomes,
        earlier,
        removed,
        removal_errors,
    }
}

/// Adds one conversation's outcomes to the job's results, replacing what an earlier copy of
/// the conversation added.
fn record_written(state: &JobState, written: WrittenConversation) {
    let mut results = state.results();
    let earlier = written.earlier;
    let earlier_files: HashMap<&str, &EarlierFile> = earlier
        .iter()
        .flat_map(|copy| &copy.files)
        .map(|file| (file.path.as_str(), file))
        .collect();
    if let Some(copy) = &earlier {
        results.forget(&copy.recorded, &written.removed);
    }
    for error in written.removal_errors {
        results.totals.files_failed += 1;
        results.file_errors.push(error);
    }
    let totals_before = results.totals;
    let warnings_start = results.warnings.len();
    let plan = written.files.number;
    let entries_start = results.entries.pushed();
    results.warnings.extend(written.files.warnings);
    for (file, outcome) in written.files.files.into_iter().zip(written.outcomes) {
        match outcome {
            Ok((outcome, moved)) => {
                let mut file = file;
                if let Some(written) = moved {
                    let path = written.join("/");
                    results.warnings.push(format!(
                        "{} already exists and was not written by artifactor for this \
                         conversation, or was changed since it was written, so it was left \
                         alone and this artifact was saved as {path}. To replace such files \
                         instead, allow replacing files that artifactor did not write \
                         (--force)",
                        file.entry.path
                    ));
                    results.totals.warnings += 1;
                    file.entry.path = path;
                }
                // This copy's entry replaces the earlier copy's for the same path. An
                // earlier copy's file that this copy confirmed unchanged was still written
                // by this run.
                let outcome = match earlier_files.get(file.entry.path.as_str()) {
                    Some(earlier) => {
                        results.entries.remove(earlier.index);
                        if earlier.outcome == WriteOutcome::Written {
                            WriteOutcome::Written
                        } else {
                            outcome
                        }
                    }
                    None => outcome,
                };
                match outcome {
                    WriteOutcome::Written => results.totals.files_written += 1,
                    WriteOutcome::Unchanged => results.totals.files_unchanged += 1,
                }
                if !file.entry.flags.is_empty() {
                    results
                        .warnings
                        .push(flag_warning(&file.entry.path, file.flags()));
                    results.totals.warnings += 1;
                    results.totals.flagged_files += 1;
                }
                results.totals.bytes += file.entry.bytes;
                if state.options.progress_by_writes && file.entry.version == file.entry.versions {
                    state
                        .bytes_read
                        .fetch_add(file.entry.bytes, Ordering::Relaxed);
                }
                if file.entry.version == file.entry.versions {
                    results.totals.warnings += file.entry.warnings.len();
                }
                results.entries.push(file.entry);
                results.outcomes.push(outcome);
            }
            Err(err) => {
                if matches!(err, WriteError::Io { .. })
                    && let Some(out) = &state.options.out
                {
                    state.shared.prepared.invalidate(out);
                }
                if err.is_disk_full() {
                    let _ = state.disk_full.set(err.to_string());
                }
                results.totals.files_failed += 1;
                results.file_errors.push(err.to_string());
                results
                    .failed_conversations
                    .insert(file.entry.conversation_uuid.clone());
            }
        }
    }
    results.totals.warnings += written.files.conversation_warnings;
    let recorded = RecordedConversation {
        totals: totals_added(&totals_before, &results.totals),
        warnings: warnings_start..results.warnings.len(),
        entries: entries_start..results.entries.pushed(),
    };
    if results.by_plan.len() <= plan {
        results
            .by_plan
            .resize_with(plan + 1, RecordedConversation::default);
    }
    results.by_plan[plan] = recorded;
    drop(results);
    if state.options.progress_by_writes {
        state.send_progress();
    }
}

/// Returns the counts that grew from `before` to `after` and that a newer copy of a
/// conversation takes back. Failures are left out, because they stay reported.
fn totals_added(before: &Totals, after: &Totals) -> AddedTotals {
    let added = |before: usize, after: usize| u32::try_from(after - before).unwrap_or(u32::MAX);
    AddedTotals {
        warnings: added(before.warnings, after.warnings),
        files_written: added(before.files_written, after.files_written),
        files_unchanged: added(before.files_unchanged, after.files_unchanged),
        flagged_files: added(before.flagged_files, after.flagged_files),
        bytes: after.bytes - before.bytes,
    }
}

/// Describes a flagged file for the job's warnings, naming each flag as the manifest does.
fn flag_warning(path: &str, flags: &[crate::scan::Flag]) -> String {
    let flags = flags
        .iter()
        .map(|flag| format!("{flag} ({})", flag.description()))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "{path} has risky content: {flags}. It was written unchanged and not executable; \
         read it before running any of it"
    )
}

/// Writes the manifest: this run's files, plus files of earlier runs that are still intact.
///
/// `earlier_read` contains the numbers of the conversations of the earlier manifest that this
/// run read (see [`PreviousManifest::conversation`]), so that the files an earlier run wrote
/// for them and this run did not write again are removed.
async fn finish_manifest(
    state: &JobState,
    root: PathBuf,
    previous: Option<Arc<PreviousManifest>>,
    earlier_read: Bits,
) -> Result<(), String> {
    // The log moves into the task and comes back for the verify step.
    let (mut entries, failed_conversations) = {
        let mut results = state.results();
        let failed = std::mem::take(&mut results.failed_conversations);
        (std::mem::take(&mut results.entries), failed)
    };
    let inputs: Vec<String> = state
        .options
        .inputs
        .iter()
        .map(ToString::to_string)
        .collect();
    let task = tokio::task::spawn_blocking(move || {
        let manifest_path = root.join(MANIFEST_FILE);
        let log_error = |source| output::OutputError::ManifestWrite {
            path: manifest_path.clone(),
            source,
        };
        let mut removal_warnings = Vec::new();
        let mut earlier = previous.as_deref().map(PreviousManifest::entries);
        // A run that changed nothing leaves the manifest as it was, timestamp included.
        let unchanged = match (&previous, &mut earlier) {
            (Some(previous), Some(earlier)) => {
                let same_list = keep_earlier_entries(
                    &root,
                    &mut entries,
                    previous,
                    earlier,
                    earlier_read,
                    &failed_conversations,
                    &mut removal_warnings,
                )
                .map_err(log_error)?;
                // A damaged manifest is written again.
                same_list && previous.inputs == inputs && previous.problems.is_empty()
            }
            _ => false,
        };
        if !unchanged {
            let created_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            let header = ManifestHeader {
                artifactor_version: env!("CARGO_PKG_VERSION"),
                created_at: &created_at,
                inputs: &inputs,
            };
            output::write_manifest_streamed(&root, &header, |visit| {
                entries.for_each(&mut *visit)?;
                match &mut earlier {
                    Some(earlier) => earlier.for_each(visit),
                    None => Ok(()),
                }
            })?;
        }
        drop(earlier);
        Ok::<_, output::OutputError>((manifest_path, entries, removal_warnings))
    });
    match task.await {
        Ok(Ok((path, entries, removal_warnings))) => {
            let mut results = state.results();
            results.manifest = Some(path);
            results.entries = entries;
            results.totals.warnings += removal_warnings.len();
            results.warnings.extend(removal_warnings);
            Ok(())
        }
        Ok(Err(err)) => state.fail(FailureKind::Output, err.to_string()),
        Err(err) => join_failure(state, &err),
    }
}

/// Removes the entries that the new manifest does not list from `earlier`, the entries of the
/// `previous` manifest. These are the files that this run wrote again, and the files that
/// changed or went missing since. They are also the files of conversations that this run read
/// (`rewritten`, by number) but no longer produces, which are deleted. Files of `failed`
/// conversations all stay.
///
/// Returns whether this run's entries and the earlier entries left make the same list as
/// before.
fn keep_earlier_entries(
    root: &Path,
    entries: &mut EntryLog,
    previous: &PreviousManifest,
    earlier: &mut EntryLog,
    mut rewritten: Bits,
    failed: &HashSet<String>,
    warnings: &mut Vec<String>,
) -> std::io::Result<bool> {
    let earlier_count = earlier.len();
    // The indices of earlier entries whose path this run wrote again. Whether this run's
    // entries start the earlier list, as after a rerun that changed nothing, is found in the
    // same pass.
    let mut written = Vec::new();
    let mut same_start = true;
    let mut count = 0;
    {
        let mut earlier_entries = earlier.entries()?;
        entries.for_each(|entry| {
            if same_start {
                same_start = earlier_entries
                    .next_entry()?
                    .is_some_and(|(_, earlier)| earlier == entry);
            }
            count += 1;
            written.extend(previous.entry_of_path(&entry.path));
            if let Some(number) = previous.conversation(&entry.conversation_uuid) {
                rewritten.insert(number);
            }
            Ok::<_, std::io::Error>(())
        })?;
    }
    for index in written {
        earlier.remove(index);
    }

    let mut dropped = Vec::new();
    verify_log(root, earlier, |indices, chunk, mismatches| {
        let broken: HashSet<String> = mismatches
            .into_iter()
            .map(|mismatch| mismatch.path)
            .collect();
        for (&index, entry) in indices.iter().zip(chunk) {
            if broken.contains(&entry.path) {
                dropped.push(index);
                continue;
            }
            // An earlier file of a conversation that this run read, which this run's copy no
            // longer produces, is removed, as within one run.
            // NOTE: in the flat layout, a rerun with conversations in another order plans a
            // file under another conversation's name. That artifact is saved beside it with a
            // warning that the file was left alone, and the file is then removed here as no
            // longer produced. A second run in the same order settles the names.
            let uuid = &entry.conversation_uuid;
            let read = previous
                .conversation(uuid)
                .is_some_and(|number| rewritten.contains(number));
            if !read || failed.contains(uuid) {
                continue;
            }
            match output::remove_recorded(root, &entry.path, &entry.sha256) {
                Ok(true) => dropped.push(index),
                Ok(false) => {}
                Err(err) => warnings.push(format!(
                    "{err} (an earlier run wrote it, and this run no longer produces it)"
                )),
            }
        }
    })?;
    for index in dropped {
        earlier.remove(index);
    }
    Ok(same_start && earlier_count == count + earlier.len())
}

/// The number of entries that a checking thread takes from the log at a time.
const VERIFY_CHUNK: usize = 256;

/// Rereads the files of the entries of `log` below `root`, and passes `visit` each chunk's
/// indices and entries with the mismatches among them, in the order of the log.
///
/// Rereading files that the kernel most likely still caches is bound by the CPU, so one
/// thread per core checks chunks of entries while this thread reads the next chunks from the
/// log and visits the checked ones.
pub(super) fn verify_log(
    root: &Path,
    log: &mut EntryLog,
    mut visit: impl FnMut(&[usize], &[ManifestEntry], Vec<output::Mismatch>),
) -> std::io::Result<()> {
    let checkers = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let (work_tx, work_rx) = crossbeam_channel::bounded::<CheckChunk>(2 * checkers);
    let (done_tx, done_rx) = crossbeam_channel::unbounded::<CheckedChunk>();
    std::thread::scope(|scope| {
        for _ in 0..checkers {
            let work = work_rx.clone();
            let done = done_tx.clone();
            scope.spawn(move || {
                for (number, indices, chunk) in work {
                    let mismatches = output::verify_entries(root, &chunk);
                    if done.send((number, indices, chunk, mismatches)).is_err() {
                        return;
                    }
                }
            });
        }
        drop((work_rx, done_tx));

        // Chunks that were checked before an earlier one, by number.
        let mut checked = BTreeMap::new();
        let mut next_visit = 0;
        let mut visit_ready = |checked: &mut BTreeMap<usize, CheckedChunk>| {
            while let Some((_, indices, chunk, mismatches)) = checked.remove(&next_visit) {
                visit(&indices, &chunk, mismatches);
                next_visit += 1;
            }
        };
        let read = (|| {
            let mut entries = log.entries()?;
            for number in 0.. {
                let (indices, chunk) = read_chunk(&mut entries)?;
                // Sending fails only when every checking thread panicked, and the scope
                // raises that panic once this closure returns.
                if chunk.is_empty() || work_tx.send((number, indices, chunk)).is_err() {
                    break;
                }
                for done in done_rx.try_iter() {
                    checked.insert(done.0, done);
                }
                visit_ready(&mut checked);
            }
            Ok(())
        })();
        drop(work_tx);
        for done in done_rx {
            checked.insert(done.0, done);
        }
        visit_ready(&mut checked);
        read
    })
}

/// A chunk of entries to check: its number in the log, then the entries' indices and the
/// entries.
type CheckChunk = (usize, Vec<usize>, Vec<ManifestEntry>);
/// A checked chunk, with the mismatches among its entries.
type CheckedChunk = (usize, Vec<usize>, Vec<ManifestEntry>, Vec<output::Mismatch>);

/// Reads up to [`VERIFY_CHUNK`] entries, with their indices.
fn read_chunk(entries: &mut Entries<'_>) -> std::io::Result<(Vec<usize>, Vec<ManifestEntry>)> {
    let mut indices = Vec::with_capacity(VERIFY_CHUNK);
    let mut chunk = Vec::with_capacity(VERIFY_CHUNK);
    while chunk.len() < VERIFY_CHUNK {
        let Some((index, entry)) = entries.next_entry()? else {
            break;
        };
        indices.push(index);
        chunk.push(entry);
    }
    Ok((indices, chunk))
}

async fn verify(state: State) -> Result<(), String> {
    let Some(root) = state.prepared.get().map(|prepared| prepared.root.clone()) else {
        return Ok(());
    };
    // Entries kept from earlier runs were checked against the disk when the manifest was
    // built, so only this run's files are read again. Nothing reads the entries after this.
    let mut entries = std::mem::take(&mut state.results().entries);
    let task = tokio::task::spawn_blocking(move || {
        let mut mismatches = Vec::new();
        verify_log(&root, &mut entries, |_, _, found| mismatches.extend(found))?;
        Ok::<_, std::io::Error>(mismatches)
    });
    let mismatches = match task.await {
        Ok(Ok(mismatches)) => mismatches,
        Ok(Err(err)) => {
            return state.fail(
                FailureKind::Output,
                format!(
                    "failed to read back the list of written files to verify them: {err}. The \
                     files and the manifest are written; run again to verify them"
                ),
            );
        }
        Err(err) => return join_failure(&state, &err),
    };
    let mut results = state.results();
    for mismatch in mismatches {
        results.totals.files_failed += 1;
        results.file_errors.push(format!(
            "{} does not match the manifest: {}",
            mismatch.path, mismatch.problem
        ));
    }
    Ok(())
}

/// The maximum number of conversations in one [`Event::Loaded`] batch.
const LOADED_BATCH: usize = 64;

/// Sends rebuilt conversations to the front end in batches.
async fn deliver(
    state: State,
    mut rebuilt: mpsc::Receiver<Vec<LoadedConversation>>,
) -> Result<(), String> {
    let mut batch = Vec::new();
    let mut last_sent = Instant::now();
    while let Some(next) = receive(&state.cancel, &mut rebuilt).await {
        batch.extend(next);
        if batch.len() >= LOADED_BATCH || last_sent.elapsed() >= PROGRESS_INTERVAL {
            state.send_loaded(std::mem::take(&mut batch));
            last_sent = Instant::now();
        }
    }
    if !batch.is_empty() {
        state.send_loaded(batch);
    }
    Ok(())
}

/// Sends the artifacts of a save request into the write step, grouped by conversation.
async fn feed(
    state: State,
    artifacts: Vec<Arc<Artifact>>,
    rebuilt: mpsc::Sender<Vec<LoadedConversation>>,
) -> Result<(), String> {
    let total: usize = artifacts
        .iter()
        .map(|artifact| artifact.final_version().content.len())
        .sum();
    state.bytes_total.store(total as u64, Ordering::Relaxed);
    let mut conversations = group_by_conversation(artifacts).into_iter().peekable();
    while conversations.peek().is_some() {
        let batch: Vec<_> = conversations.by_ref().take(HANDOFF_CONVERSATIONS).collect();
        for conversation in &batch {
            state
                .artifacts
                .fetch_add(conversation.artifacts.len(), Ordering::Relaxed);
        }
        state
            .conversations
            .fetch_add(batch.len(), Ordering::Relaxed);
        if rebuilt.send(batch).await.is_err() {
            break;
        }
    }
    Ok(())
}

/// Groups artifacts by conversation uuid, keeping the order of first appearance.
fn group_by_conversation(artifacts: Vec<Arc<Artifact>>) -> Vec<LoadedConversation> {
    let mut groups: Vec<LoadedConversation> = Vec::new();
    let mut index_of: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for artifact in artifacts {
        let uuid = artifact.conversation.uuid.clone();
        let index = *index_of.entry(uuid).or_insert_with(|| {
            groups.push(LoadedConversation {
                info: Arc::clone(&artifact.conversation),
                artifacts: Vec::new(),
                warnings: Vec::new(),
            });
            groups.len() - 1
        });
        groups[index].artifacts.push(artifact);
    }
    groups
}

#[cfg(test)]
mod handoff_tests {
    use super::*;

    /// Returns a job's state with default options, whose events go nowhere.
    fn job_state() -> State {
        let (events, _) = crossbeam_channel::unbounded();
        let shared = Arc::new(Shared {
            events: super::super::EventSink { events, wake: None },
            prepared: output::PreparedDirs::default(),
            fetcher: OnceLock::new(),
        });
        Arc::new(JobState::new(
            1,
            Options::default(),
            shared,
            CancellationToken::new(),
        ))
    }

    /// Returns a conversation that creates a document of `size` bytes and updates it
    /// `updates` times, so that its versions hold far more text than its JSON.
    fn updated_document(index: usize, size: usize, updates: usize) -> Conversation {
        let document: String = (0..size / 8).map(|line| format!("{line:07}\n")).collect();
        let mut messages = vec![serde_json::json!({
            "uuid": format!("{index}-0"), "sender": "assistant",
            "content": [{"type": "tool_use", "id": format!("t{index}-0"), "name": "artifacts",
                "input": {"id": "doc", "command": "create", "type": "text/markdown",
                          "title": "Doc", "content": document}}],
        })];
        for update in 1..=updates {
            messages.push(serde_json::json!({
                "uuid": format!("{index}-{update}"), "sender": "assistant",
                "parent_message_uuid": format!("{index}-{}", update - 1),
                "content": [{"type": "tool_use", "id": format!("t{index}-{update}"),
                    "name": "artifacts",
                    "input": {"id": "doc", "command": "update",
                              "old_str": format!("{update:07}\n"),
                              "new_str": format!("{update:07}!\n")}}],
            }));
        }
        serde_json::from_value(serde_json::json!({
            "uuid": format!("conversation-{index}"), "name": "Chat", "chat_messages": messages,
        }))
        .expect("a conversation")
    }

    #[tokio::test]
    async fn rebuilt_batches_bounded_by_version_text() {
        let state = job_state();
        let (conversation_tx, conversation_rx) = mpsc::channel(CONVERSATION_QUEUE);
        let (rebuilt_tx, mut rebuilt_rx) = mpsc::channel(REBUILT_QUEUE);
        // One batch of small JSON whose six versions per conversation hold 96 KiB.
        let batch = (0..HANDOFF_CONVERSATIONS)
            .map(|index| updated_document(index, 16 << 10, 5))
            .collect();
        conversation_tx
            .send(batch)
            .await
            .expect("the queue has room");
        drop(conversation_tx);
        let step = tokio::spawn(rebuild(state, conversation_rx, rebuilt_tx));

        let mut batches = Vec::new();
        while let Some(batch) = rebuilt_rx.recv().await {
            batches.push(batch);
        }
        step.await
            .expect("the step ends")
            .expect("the step succeeds");

        let conversations: usize = batches.iter().map(Vec::len).sum();
        assert_eq!(conversations, HANDOFF_CONVERSATIONS);
        assert!(batches.len() > 1, "{} batches", batches.len());
        for batch in &batches {
            let (_, before_last) = batch.split_last().expect("no empty batch");
            let text_before_last: usize =
                before_last.iter().map(LoadedConversation::text_bytes).sum();
            assert!(
                text_before_last < HANDOFF_BYTES,
                "{text_before_last} bytes before the last conversation"
            );
        }
    }

    #[test]
    fn sends_at_once_while_the_queue_is_empty() {
        let (queue, _receiver) = mpsc::channel::<Vec<u32>>(2);
        let mut handoff = Handoff::new();
        assert_eq!(handoff.push(1, 10, &queue), Some(vec![1]));
        assert_eq!(handoff.push(2, 10, &queue), Some(vec![2]));
        assert_eq!(handoff.take(), None);
    }

    #[test]
    fn collects_while_the_queue_holds_a_batch() {
        let (queue, _receiver) = mpsc::channel::<Vec<u32>>(2);
        queue.try_send(vec![0]).expect("the queue has room");
        let mut handoff = Handoff::new();
        for item in 1..HANDOFF_CONVERSATIONS as u32 {
            assert_eq!(handoff.push(item, 10, &queue), None);
        }
        let full = handoff.push(99, 10, &queue).expect("a full batch");
        assert_eq!(full.len(), HANDOFF_CONVERSATIONS);
        assert_eq!(full.last(), Some(&99));
        assert_eq!(handoff.take(), None);
    }

    #[test]
    fn large_conversations_end_a_batch_early() {
        let (queue, _receiver) = mpsc::channel::<Vec<u32>>(2);
        queue.try_send(vec![0]).expect("the queue has room");
        let mut handoff = Handoff::new();
        assert_eq!(handoff.push(1, HANDOFF_BYTES / 2, &queue), None);
        assert_eq!(handoff.push(2, HANDOFF_BYTES / 2, &queue), Some(vec![1, 2]));
        assert_eq!(handoff.push(3, 1, &queue), None);
        assert_eq!(handoff.take(), Some(vec![3]));
        assert_eq!(handoff.take(), None);
    }
}
