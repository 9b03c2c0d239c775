//! The coordinator: a named thread that owns a Tokio runtime and runs jobs as workflows.
//!
//! Front ends reach it only through two bounded crossbeam channels: [`Command`]s in and
//! [`Event`]s out. The thread drives every job itself, inside the runtime's `block_on`, so a
//! workflow step that finishes on its first poll costs no hand-off to another thread. A step
//! that has to wait moves to the runtime's workers, and blocking work (reading, hashing,
//! writing) runs on Tokio's blocking pool.

pub mod driver;
mod jobs;
mod messages;
mod plan;

use std::collections::HashMap;
use std::io;
use std::ops::ControlFlow;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, TrySendError};
use futures_util::{FutureExt, StreamExt};
use tokio_util::sync::CancellationToken;

pub use messages::{
    Command, Event, ExtractRequest, FailureKind, JobFailure, JobId, JobReport, Layout,
    LoadedConversation, Progress, SaveRequest, Totals,
};

use crate::fetch::{FetchError, FetchOptions, Fetcher};
use crate::output::PreparedDirs;
use crate::source::Input;
use driver::{Served, Tasks, WakingReceiver, WakingSender};
use jobs::JobSpec;

/// Capacity of the command channel.
const COMMAND_CAPACITY: usize = 64;
/// Capacity of the event channel. Only progress events are dropped when it is full.
const EVENT_CAPACITY: usize = 1024;
/// How long shutdown waits for running jobs after cancelling them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// How long shutdown waits, once every job has ended, for blocking tasks that cancelled jobs
/// left running. Such a read ends within milliseconds when it next checks the cancellation,
/// but one stuck in the kernel never ends, and the process must still exit promptly.
const ABANDONED_READ_GRACE: Duration = Duration::from_millis(500);

/// A callback that wakes the front end after an event was sent, such as a repaint request.
pub type Wake = Arc<dyn Fn() + Send + Sync>;

/// The front end's handle to the coordinator thread. Dropping it shuts the thread down.
pub struct Coordinator {
    commands: CommandSender,
    events: Receiver<Event>,
    thread: Option<JoinHandle<()>>,
    next_job: AtomicU64,
}

impl Coordinator {
    /// Starts the coordinator thread. `wake` runs after every event sent.
    pub fn start(wake: Option<Wake>) -> io::Result<Self> {
        let (command_tx, command_rx) = driver::channel(COMMAND_CAPACITY);
        let (event_tx, event_rx) = crossbeam_channel::bounded(EVENT_CAPACITY);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .thread_name("artifactor-worker")
            .enable_all()
            .build()?;
        let sink = EventSink {
            events: event_tx,
            wake,
        };
        let thread = std::thread::Builder::new()
            .name("artifactor-coordinator".to_owned())
            .spawn(move || run(runtime, &command_rx, sink))?;
        Ok(Self {
            commands: CommandSender(command_tx),
            events: event_rx,
            thread: Some(thread),
            next_job: AtomicU64::new(1),
        })
    }

    /// Returns a job id not used before by this coordinator.
    pub fn next_job_id(&self) -> JobId {
        self.next_job.fetch_add(1, Ordering::Relaxed)
    }

    /// Sends a command, waiting if the channel is full.
    pub fn send(&self, command: Command) -> Result<(), CoordinatorGone> {
        self.commands.send(command)
    }

    /// Returns a sender for commands, for callers that outlive a borrow of the handle, such
    /// as a signal handler.
    pub fn command_sender(&self) -> CommandSender {
        self.commands.clone()
    }

    /// Returns the receiver of the coordinator's events, to drain with `recv` or `try_recv`.
    pub fn events(&self) -> &Receiver<Event> {
        &self.events
    }

    /// Cancels all jobs, waits for them, and joins the thread.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let Some(thread) = self.thread.take() else {
            return;
        };
        // The thread may already have ended; then the send fails and join returns at once.
        let _ = self.commands.send(Command::Shutdown);
        // Events still queued would block jobs that are finishing, so they are drained.
        while !thread.is_finished() {
            match self.events.recv_timeout(Duration::from_millis(20)) {
                Ok(_) | Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
                Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break,
            }
        }
        if thread.join().is_err() {
            tracing::error!("the coordinator thread panicked");
        }
    }
}

impl Drop for Coordinator {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The sending side of the command channel. Every command sent also wakes the coordinator
/// thread.
#[derive(Clone)]
pub struct CommandSender(WakingSender<Command>);

impl CommandSender {
    /// Sends a command, waiting while the channel is full.
    pub fn send(&self, command: Command) -> Result<(), CoordinatorGone> {
        self.0.send(command).map_err(|_| CoordinatorGone)
    }

    /// Sends a command unless the channel is full or the coordinator has stopped. Returns
    /// whether it was sent.
    pub fn try_send(&self, command: Command) -> bool {
        self.0.try_send(command)
    }
}

/// The coordinator thread has ended, so no command can reach it.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the coordinator has stopped")]
pub struct CoordinatorGone;

/// The sending side of the event channel, shared by all jobs.
#[derive(Clone)]
pub(crate) struct EventSink {
    events: Sender<Event>,
    wake: Option<Wake>,
}

impl EventSink {
    /// Sends an event, waiting while the channel is full. A front end that went away is
    /// not an error: the job finishes regardless.
    pub(crate) fn send(&self, event: Event) {
        if self.events.send(event).is_ok() {
            self.wake();
        }
    }

    /// Sends an event unless the channel is full.
    pub(crate) fn send_lossy(&self, event: Event) {
        match self.events.try_send(event) {
            Ok(()) => self.wake(),
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {}
        }
    }

    fn wake(&self) {
        if let Some(wake) = &self.wake {
            wake();
        }
    }
}

/// State shared by every job of one coordinator.
pub(crate) struct Shared {
    pub(crate) events: EventSink,
    pub(crate) prepared: PreparedDirs,
    /// The HTTP client of every job, built when the first URL is fetched.
    fetcher: OnceLock<Result<Fetcher, FetchError>>,
}

impl Shared {
    /// Returns the HTTP client, building it on first use.
    pub(crate) fn fetcher(&self) -> Result<&Fetcher, &FetchError> {
        self.fetcher.get_or_init(Fetcher::new).as_ref()
    }
}

/// Runs the coordinator thread: handles commands and drives the jobs until `Shutdown`, or
/// until every front end dropped its sender, then ends the jobs and the runtime.
fn run(runtime: tokio::runtime::Runtime, commands: &WakingReceiver<Command>, events: EventSink) {
    let mut jobs = Jobs {
        shared: Arc::new(Shared {
            events,
            prepared: PreparedDirs::default(),
            fetcher: OnceLock::new(),
        }),
        root: CancellationToken::new(),
        cancels: HashMap::new(),
    };
    // Each job's future, resolving to its id. This thread polls them itself.
    let mut running = Tasks::new();
    runtime.block_on(async {
        driver::serve(commands, &mut running, |served, running| match served {
            Served::Message(command) => jobs.handle(command, running),
            Served::Finished(job) => {
                jobs.cancels.remove(&job);
                ControlFlow::Continue(())
            }
        })
        .await;
        jobs.shut_down(&mut running).await;
    });
    drop(running);
    // Every job has ended or was abandoned, so no job waits for the blocking tasks still
    // running: reads that cancelled jobs stopped waiting for, and the work of a job abandoned
    // above.
    runtime.shutdown_timeout(ABANDONED_READ_GRACE);
}

/// The jobs of one coordinator.
struct Jobs {
    shared: Arc<Shared>,
    /// The parent of every job's cancellation token, cancelled on shutdown.
    root: CancellationToken,
    cancels: HashMap<JobId, CancellationToken>,
}

impl Jobs {
    /// Starts or cancels a job. Breaks on `Shutdown`.
    fn handle(&mut self, command: Command, running: &mut Tasks<JobId>) -> ControlFlow<()> {
        let (job, spec) = match command {
            Command::Extract { job, request } => (job, JobSpec::Extract(request)),
            Command::Load { job, inputs, fetch } => (job, JobSpec::Load { inputs, fetch }),
            Command::LoadText { job, name, text } => {
                let inputs = vec![Input::Text {
                    name,
                    text: text.into(),
                }];
                let fetch = FetchOptions::default();
                (job, JobSpec::Load { inputs, fetch })
            }
            Command::Save { job, request } => (job, JobSpec::Save(request)),
            Command::Cancel { job } => {
                if let Some(cancel) = self.cancels.get(&job) {
                    tracing::info!(job, "cancelling job");
                    cancel.cancel();
                }
                return ControlFlow::Continue(());
            }
            Command::Shutdown => return ControlFlow::Break(()),
        };
        let received = Instant::now();
        let cancel = self.root.child_token();
        let task = jobs::run(
            job,
            spec,
            Arc::clone(&self.shared),
            cancel.clone(),
            received,
        );
        let shared = Arc::clone(&self.shared);
        self.cancels.insert(job, cancel);
        running.push(Box::pin(async move {
            // A panic outside the step bodies ends this job only, and the thread goes on
            // serving the others. The workflow engine catches panics in step bodies itself.
            if let Err(payload) = AssertUnwindSafe(task).catch_unwind().await {
                let cause = crate::workflow::panic_message(&*payload);
                jobs::report_panic(&shared, job, &cause, received);
            }
            job
        }));
        ControlFlow::Continue(())
    }

    /// Cancels every job and polls them until they end, for at most [`SHUTDOWN_GRACE`].
    async fn shut_down(&mut self, running: &mut Tasks<JobId>) {
        self.root.cancel();
        let ended = tokio::time::timeout(SHUTDOWN_GRACE, async {
            while let Some(job) = running.next().await {
                self.cancels.remove(&job);
            }
        })
        .await;
        if ended.is_err() {
            for job in self.cancels.keys() {
                tracing::error!(
                    job,
                    grace_s = SHUTDOWN_GRACE.as_secs(),
                    "a cancelled job did not end in time and was abandoned"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests;
