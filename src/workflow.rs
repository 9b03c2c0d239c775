//! A small engine that runs a job's steps as a dependency graph on Tokio.
//!
//! Each step starts as soon as every step it depends on has finished, so steps without a
//! path between them run in parallel. Scheduling is driven by wake-ups only, from a step's
//! body or from a finished task: there is no polling loop and no timer. The engine records
//! when each step became ready, started and finished, and from that the coordination
//! overhead of the whole run.

use std::collections::VecDeque;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::task::Poll;
use std::time::{Duration, Instant};

use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// A step's body: it receives the shared job context and reports success or an error.
pub type StepFuture = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;
type StepBody<C> = Box<dyn FnOnce(C) -> StepFuture + Send>;

/// Identifies a step inside one [`Workflow`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StepId(usize);

struct StepDef<C> {
    name: &'static str,
    dependencies: Vec<usize>,
    body: StepBody<C>,
}

/// A set of named steps and the dependencies between them.
pub struct Workflow<C> {
    steps: Vec<StepDef<C>>,
}

/// The end state of a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepOutcome {
    Succeeded,
    Failed(String),
    /// Not run, because a step it depends on failed or the run was cancelled first.
    Skipped,
}

/// Timings of one step, measured from the start of the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepTiming {
    pub name: &'static str,
    /// When the last of its dependencies finished.
    pub ready: Duration,
    /// When its body started running on a worker.
    pub started: Duration,
    pub finished: Duration,
    pub outcome: StepOutcome,
}

impl StepTiming {
    /// Returns the time spent inside the step's body.
    pub fn busy(&self) -> Duration {
        self.finished.saturating_sub(self.started)
    }
}

/// Measurements of one run of a workflow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Steps in the order they were added.
    pub steps: Vec<StepTiming>,
    /// From the start of the run until the last step finished.
    pub total: Duration,
    /// `total` minus the step bodies on the critical path: the time the engine itself took.
    pub coordination: Duration,
}

impl RunReport {
    /// Returns the first failure, with the name of the step that failed.
    pub fn first_failure(&self) -> Option<(&'static str, &str)> {
        self.steps.iter().find_map(|step| match &step.outcome {
            StepOutcome::Failed(message) => Some((step.name, message.as_str())),
            _ => None,
        })
    }
}

/// A notification that the engine sends while a workflow runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepEvent {
    Started { name: &'static str },
    Finished { timing: StepTiming },
}

impl<C: Clone + Send + 'static> Default for Workflow<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C: Clone + Send + 'static> Workflow<C> {
    pub fn new() -> Self {
        Self { steps: Vec::new() }
    }

    /// Adds a step that runs after every step in `dependencies` has succeeded.
    pub fn step<F, Fut>(&mut self, name: &'static str, dependencies: &[StepId], body: F) -> StepId
    where
        F: FnOnce(C) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), String>> + Send + 'static,
    {
        let id = self.steps.len();
        self.steps.push(StepDef {
            name,
            dependencies: dependencies.iter().map(|dependency| dependency.0).collect(),
            body: Box::new(move |context| Box::pin(body(context))),
        });
        StepId(id)
    }

    /// Runs every step to completion and returns the timings.
    ///
    /// A failed step skips the steps that depend on it, directly or not, while independent
    /// steps go on. Once `cancel` fires, no further step starts; running steps are expected
    /// to watch the same token and return early.
    ///
    /// A step's body is first polled here, on the task that runs the workflow. A body that
    /// finishes without waiting costs no task of its own. A body that has to wait moves to a
    /// task of its own, so that it runs in parallel with the other steps. So a body that
    /// computes for long before it first waits delays the steps started after it; such work
    /// belongs on the blocking pool anyway.
    pub async fn run(
        self,
        context: C,
        cancel: CancellationToken,
        on_event: impl FnMut(StepEvent),
    ) -> RunReport {
        let mut run = Run::new(self.steps, context, cancel, on_event);
        run.start_ready().await;
        while let Some(joined) = run.tasks.join_next_with_id().await {
            match joined {
                Ok((task, (index, started, finished, result))) => {
                    run.take_task_step(task);
                    run.finish(index, started, finished, result);
                }
                Err(err) => run.finish_panicked(&err),
            }
            run.start_ready().await;
        }
        run.report()
    }
}

/// The state of one run of a workflow.
struct Run<C, E> {
    start: Instant,
    steps: Vec<StepState<C>>,
    context: C,
    cancel: CancellationToken,
    on_event: E,
    /// Steps whose dependencies have all succeeded, in the order they became ready.
    ready: VecDeque<usize>,
    /// Bodies that had to wait, each on its own task.
    tasks: JoinSet<Finished>,
    /// The step that each task runs.
    task_steps: Vec<(tokio::task::Id, usize)>,
}

struct StepState<C> {
    name: &'static str,
    dependencies: Vec<usize>,
    /// Dependencies that have not finished yet.
    waiting_on: usize,
    /// `None` once the body started, or once the step can no longer start.
    body: Option<StepBody<C>>,
    /// When the last of its dependencies finished.
    ready: Duration,
    timing: Option<StepTiming>,
}

/// A step's index, when its body started and finished, and its result.
type Finished = (usize, Duration, Duration, Result<(), String>);

impl<C: Clone + Send + 'static, E: FnMut(StepEvent)> Run<C, E> {
    fn new(steps: Vec<StepDef<C>>, context: C, cancel: CancellationToken, on_event: E) -> Self {
        let steps: Vec<StepState<C>> = steps
            .into_iter()
            .map(|step| StepState {
                name: step.name,
                waiting_on: step.dependencies.len(),
                dependencies: step.dependencies,
                body: Some(step.body),
                ready: Duration::ZERO,
                timing: None,
            })
            .collect();
        let ready = (0..steps.len())
            .filter(|&index| steps[index].waiting_on == 0)
            .collect();
        Self {
            start: Instant::now(),
            steps,
            context,
            cancel,
            on_event,
            ready,
            tasks: JoinSet::new(),
            task_steps: Vec::new(),
        }
    }

    /// Starts every ready step, and the steps that become ready because a body finished
    /// on its first poll.
    async fn start_ready(&mut self) {
        while let Some(index) = self.ready.pop_front() {
            if self.cancel.is_cancelled() {
                self.drop_all();
                return;
            }
            let Some(body) = self.steps[index].body.take() else {
                continue;
            };
            (self.on_event)(StepEvent::Started {
                name: self.steps[index].name,
            });
            let started = self.start.elapsed();
            let mut future = body(self.context.clone());
            // Polls the body once with this task's waker. A panic is caught, so that it is
            // handled like a panic on the step's own task.
            let polled = std::future::poll_fn(|cx| {
                Poll::Ready(panic::catch_unwind(AssertUnwindSafe(|| {
                    future.as_mut().poll(cx)
                })))
            })
            .await;
            match polled {
                Ok(Poll::Ready(result)) => {
                    self.finish(index, started, self.start.elapsed(), result);
                }
                Ok(Poll::Pending) => {
                    // The body moves to its own task, which polls it again and so replaces
                    // the waker it registered with this task's.
                    let start = self.start;
                    let task = self.tasks.spawn(async move {
                        let result = future.await;
                        (index, started, start.elapsed(), result)
                    });
                    self.task_steps.push((task.id(), index));
                }
                Err(payload) => self.panicked(index, started, &panic_message(&*payload)),
            }
        }
    }

    /// Records a finished step, then makes its dependents ready or skips them.
    fn finish(
        &mut self,
        index: usize,
        started: Duration,
        finished: Duration,
        result: Result<(), String>,
    ) {
        let outcome = match result {
            Ok(()) => StepOutcome::Succeeded,
            Err(message) => StepOutcome::Failed(message),
        };
        let succeeded = outcome == StepOutcome::Succeeded;
        let timing = StepTiming {
            name: self.steps[index].name,
            ready: self.steps[index].ready,
            started,
            finished,
            outcome,
        };
        (self.on_event)(StepEvent::Finished {
            timing: timing.clone(),
        });
        self.steps[index].timing = Some(timing);

        if !succeeded {
            // Dropping the bodies that will never run releases what they own, such as
            // the receiving end of a channel that a running step is sending into.
            self.drop_dependents(index);
            return;
        }
        if self.cancel.is_cancelled() {
            self.drop_all();
            return;
        }
        // Steps are added after their dependencies, so only later steps can depend on this
        // one. A workflow has a handful of steps, so scanning them is cheaper than an index.
        for dependent in index + 1..self.steps.len() {
            let step = &mut self.steps[dependent];
            if !step.dependencies.contains(&index) {
                continue;
            }
            step.waiting_on -= 1;
            step.ready = step.ready.max(finished);
            if step.waiting_on == 0 {
                self.ready.push_back(dependent);
            }
        }
    }

    /// Removes a task from `task_steps` and returns the step it ran.
    fn take_task_step(&mut self, task: tokio::task::Id) -> Option<usize> {
        let position = self.task_steps.iter().position(|(id, _)| *id == task)?;
        Some(self.task_steps.swap_remove(position).1)
    }

    /// Handles a step whose task ended without a result: it panicked, or the runtime shut
    /// down and aborted it.
    fn finish_panicked(&mut self, err: &tokio::task::JoinError) {
        let Some(index) = self.take_task_step(err.id()) else {
            return;
        };
        let started = self.steps[index].ready;
        self.panicked(index, started, err);
    }

    /// Fails a step whose body panicked, and cancels the run: a panic is a bug, so nothing
    /// that the step was to produce can be trusted.
    fn panicked(&mut self, index: usize, started: Duration, cause: &dyn std::fmt::Display) {
        tracing::error!(step = self.steps[index].name, %cause, "a workflow step panicked");
        self.cancel.cancel();
        let finished = self.start.elapsed();
        self.finish(
            index,
            started,
            finished,
            Err("the step panicked".to_owned()),
        );
        self.drop_all();
    }

    /// Drops every body that has not started, once the run is cancelled.
    fn drop_all(&mut self) {
        self.ready.clear();
        self.steps.iter_mut().for_each(|step| step.body = None);
    }

    /// Drops the bodies of every step that depends on `index`, directly or not.
    fn drop_dependents(&mut self, index: usize) {
        for dependent in index + 1..self.steps.len() {
            if self.steps[dependent].dependencies.contains(&index)
                && self.steps[dependent].body.take().is_some()
            {
                self.drop_dependents(dependent);
            }
        }
    }

    fn report(self) -> RunReport {
        let total = self.start.elapsed();
        let steps: Vec<StepTiming> = self
            .steps
            .iter()
            .map(|step| {
                step.timing.clone().unwrap_or(StepTiming {
                    name: step.name,
                    ready: step.ready,
                    started: step.ready,
                    finished: step.ready,
                    outcome: StepOutcome::Skipped,
                })
            })
            .collect();
        let dependencies: Vec<&[usize]> = self
            .steps
            .iter()
            .map(|step| step.dependencies.as_slice())
            .collect();
        let critical_path = critical_path(&steps, &dependencies);
        RunReport {
            coordination: total.saturating_sub(critical_path),
            steps,
            total,
        }
    }
}

/// Returns the message of a caught panic.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

/// Returns the longest chain of step bodies through the graph.
fn critical_path(steps: &[StepTiming], dependencies: &[&[usize]]) -> Duration {
    // Steps are added after their dependencies, so index order is a topological order.
    let mut longest_through = vec![Duration::ZERO; steps.len()];
    for (index, step) in steps.iter().enumerate() {
        let before = dependencies[index]
            .iter()
            .map(|&dependency| longest_through[dependency])
            .max()
            .unwrap_or_default();
        longest_through[index] = before + step.busy();
    }
    longest_through.into_iter().max().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    type Log = Arc<Mutex<Vec<&'static str>>>;

    fn record(log: &Log, name: &'static str) {
        log.lock().expect("log lock").push(name);
    }

    #[tokio::test]
    async fn dependencies_run_first() {
        let log = Log::default();
        let mut workflow = Workflow::new();
        let a = workflow.step("a", &[], |log: Log| async move {
            record(&log, "a");
            Ok(())
        });
        workflow.step("b", &[a], |log: Log| async move {
            record(&log, "b");
            Ok(())
        });
        workflow
            .run(Arc::clone(&log), CancellationToken::new(), |_| {})
            .await;
        assert_eq!(*log.lock().expect("log lock"), ["a", "b"]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn independent_steps_overlap() {
        // Each of the two steps waits for the other to arrive, so the run finishes only if
        // both are running at the same time.
        let barrier = Arc::new(tokio::sync::Barrier::new(2));
        let mut workflow = Workflow::new();
        for name in ["left", "right"] {
            workflow.step(name, &[], |barrier: Arc<tokio::sync::Barrier>| async move {
                barrier.wait().await;
                Ok(())
            });
        }
        let report = tokio::time::timeout(
            Duration::from_secs(10),
            workflow.run(barrier, CancellationToken::new(), |_| {}),
        )
        .await
        .expect("independent steps must run concurrently");
        assert!(report.first_failure().is_none());
    }

    #[tokio::test]
    async fn failure_skips_dependents_only() {
        let mut workflow = Workflow::new();
        let bad = workflow.step("bad", &[], |()| async { Err("broken".to_owned()) });
        workflow.step("after_bad", &[bad], |()| async { Ok(()) });
        workflow.step("independent", &[], |()| async { Ok(()) });
        let report = workflow.run((), CancellationToken::new(), |_| {}).await;
        let outcomes: Vec<_> = report.steps.iter().map(|s| s.outcome.clone()).collect();
        assert_eq!(
            outcomes,
            [
                StepOutcome::Failed("broken".to_owned()),
                StepOutcome::Skipped,
                StepOutcome::Succeeded
            ]
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn failure_releases_channels_of_skipped_steps() {
        // The producer fills a one-slot channel whose receiver belongs to a step that can
        // never run. The run ends only if that step's body is dropped.
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<u32>(1);
        let mut workflow = Workflow::new();
        let gate = workflow.step("gate", &[], |()| async { Err("broken".to_owned()) });
        workflow.step("producer", &[], move |()| async move {
            for item in 0..10 {
                if sender.send(item).await.is_err() {
                    break;
                }
            }
            Ok(())
        });
        workflow.step("consumer", &[gate], move |()| async move {
            while receiver.recv().await.is_some() {}
            Ok(())
        });
        let report = tokio::time::timeout(
            Duration::from_secs(10),
            workflow.run((), CancellationToken::new(), |_| {}),
        )
        .await
        .expect("the producer must see the receiver dropped");
        assert_eq!(report.steps[2].outcome, StepOutcome::Skipped);
    }

    #[tokio::test]
    async fn cancel_prevents_later_steps() {
        let cancel = CancellationToken::new();
        let mut workflow = Workflow::new();
        let first = workflow.step("first", &[], |cancel: CancellationToken| async move {
            cancel.cancel();
            Ok(())
        });
        workflow.step("second", &[first], |_| async { Ok(()) });
        let report = workflow.run(cancel.clone(), cancel, |_| {}).await;
        assert_eq!(report.steps[1].outcome, StepOutcome::Skipped);
    }

    #[tokio::test]
    async fn events_report_each_step() {
        let mut workflow = Workflow::new();
        let a = workflow.step("a", &[], |()| async { Ok(()) });
        workflow.step("b", &[a], |()| async { Ok(()) });
        let mut events = Vec::new();
        workflow
            .run((), CancellationToken::new(), |event| events.push(event))
            .await;
        let started: Vec<_> = events
            .iter()
            .filter_map(|event| match event {
                StepEvent::Started { name } => Some(*name),
                StepEvent::Finished { .. } => None,
            })
            .collect();
        assert_eq!(started, ["a", "b"]);
        assert_eq!(events.len(), 4);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn waiting_steps_run_in_parallel() {
        // Each step, after waiting once, blocks its thread until the other arrives. Both
        // succeed only if they run on two threads at the same time.
        let arrivals = Arc::new((Mutex::new(0), std::sync::Condvar::new()));
        let mut workflow = Workflow::new();
        for name in ["left", "right"] {
            workflow.step(
                name,
                &[],
                |arrivals: Arc<(Mutex<u32>, std::sync::Condvar)>| async move {
                    tokio::task::yield_now().await;
                    let (count, arrived) = &*arrivals;
                    let mut count = count.lock().expect("count lock");
                    *count += 1;
                    arrived.notify_all();
                    let (count, timeout) = arrived
                        .wait_timeout_while(count, Duration::from_secs(10), |count| *count < 2)
                        .expect("count lock");
                    if timeout.timed_out() {
                        return Err(format!("only {count} of 2 steps arrived"));
                    }
                    Ok(())
                },
            );
        }
        let report = workflow
            .run(arrivals, CancellationToken::new(), |_| {})
            .await;
        assert_eq!(report.first_failure(), None);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn finished_body_needs_no_task() {
        // A body that finishes on its first poll runs on the task that runs the workflow.
        let run = tokio::spawn(async {
            let mut workflow = Workflow::new();
            workflow.step("inline", &[], |()| async {
                Err(format!("{:?}", tokio::task::try_id()))
            });
            let report = workflow.run((), CancellationToken::new(), |_| {}).await;
            (tokio::task::id(), report)
        });
        let (task, report) = run.await.expect("the workflow task");
        let expected = format!("{:?}", Some(task));
        assert_eq!(report.first_failure(), Some(("inline", expected.as_str())));
    }

    #[tokio::test]
    async fn panic_on_first_poll_fails_step() {
        let cancel = CancellationToken::new();
        let mut workflow = Workflow::new();
        let broken = workflow.step("broken", &[], |()| async { panic!("broken step") });
        workflow.step("after", &[broken], |()| async { Ok(()) });
        let report = workflow.run((), cancel.clone(), |_| {}).await;
        assert_eq!(
            report.steps[0].outcome,
            StepOutcome::Failed("the step panicked".to_owned())
        );
        assert_eq!(report.steps[1].outcome, StepOutcome::Skipped);
        assert!(cancel.is_cancelled());
    }

    #[tokio::test]
    async fn panic_after_waiting_fails_step() {
        let cancel = CancellationToken::new();
        let mut workflow = Workflow::new();
        let broken = workflow.step("broken", &[], |()| async {
            tokio::task::yield_now().await;
            panic!("broken step")
        });
        workflow.step("after", &[broken], |()| async { Ok(()) });
        let report = workflow.run((), cancel.clone(), |_| {}).await;
        assert_eq!(
            report.steps[0].outcome,
            StepOutcome::Failed("the step panicked".to_owned())
        );
        assert_eq!(report.steps[1].outcome, StepOutcome::Skipped);
        assert!(cancel.is_cancelled());
    }

    #[test]
    fn critical_path_takes_longest_branch() {
        let timing = |name, started_ms, finished_ms| StepTiming {
            name,
            ready: Duration::ZERO,
            started: Duration::from_millis(started_ms),
            finished: Duration::from_millis(finished_ms),
            outcome: StepOutcome::Succeeded,
        };
        let steps = [timing("a", 0, 10), timing("b", 0, 30), timing("c", 30, 35)];
        let dependencies: [&[usize]; 3] = [&[], &[], &[0, 1]];
        assert_eq!(
            critical_path(&steps, &dependencies),
            Duration::from_millis(35)
        );
    }
}
