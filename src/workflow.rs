//! A small engine that runs a job's steps as a dependency graph on Tokio.
//!
//! Each step starts as soon as every step it depends on has finished, so steps without a
//! path between them run in parallel. Scheduling is driven by task completion only: there is
//! no polling and no timer. The engine records when each step became ready, started and
//! finished, and from that the coordination overhead of the whole run.

use std::future::Future;
use std::pin::Pin;
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
    pub async fn run(
        self,
        context: C,
        cancel: CancellationToken,
        mut on_event: impl FnMut(StepEvent),
    ) -> RunReport {
        let start = Instant::now();
        let count = self.steps.len();
        let mut names = Vec::with_capacity(count);
        let mut waiting_on = Vec::with_capacity(count);
        let mut dependents = vec![Vec::new(); count];
        let mut bodies = Vec::with_capacity(count);
        for (index, step) in self.steps.into_iter().enumerate() {
            names.push(step.name);
            waiting_on.push(step.dependencies.len());
            for &dependency in &step.dependencies {
                dependents[dependency].push(index);
            }
            bodies.push(Some(step.body));
        }

        let mut timings: Vec<Option<StepTiming>> = vec![None; count];
        let mut ready_at = vec![Duration::ZERO; count];
        let mut tasks = JoinSet::new();
        let spawn = |index: usize, tasks: &mut JoinSet<_>, bodies: &mut Vec<Option<_>>| {
            let body: StepBody<C> = bodies[index].take().expect("each step is spawned once");
            let context = context.clone();
            tasks.spawn(async move {
                let started = start.elapsed();
                let result = body(context).await;
                (index, started, start.elapsed(), result)
            });
        };

        for index in 0..count {
            if waiting_on[index] == 0 {
                on_event(StepEvent::Started { name: names[index] });
                spawn(index, &mut tasks, &mut bodies);
            }
        }

        while let Some(joined) = tasks.join_next().await {
            let (index, started, finished, result) = match joined {
                Ok(done) => done,
                Err(err) => {
                    // A panicking step is a bug. Its index is lost with the task, so the
                    // whole run stops here and the unfinished steps are reported as skipped.
                    tracing::error!(cause = %err, "a workflow step panicked");
                    cancel.cancel();
                    continue;
                }
            };
            let outcome = match result {
                Ok(()) => StepOutcome::Succeeded,
                Err(message) => StepOutcome::Failed(message),
            };
            let succeeded = outcome == StepOutcome::Succeeded;
            let timing = StepTiming {
                name: names[index],
                ready: ready_at[index],
                started,
                finished,
                outcome,
            };
            on_event(StepEvent::Finished {
                timing: timing.clone(),
            });
            timings[index] = Some(timing);

            if !succeeded {
                // Dropping the bodies that will never run releases what they own, such as
                // the receiving end of a channel that a running step is sending into.
                drop_dependents(index, &dependents, &mut bodies);
                continue;
            }
            if cancel.is_cancelled() {
                bodies.iter_mut().for_each(|body| *body = None);
                continue;
            }
            for &dependent in &dependents[index] {
                waiting_on[dependent] -= 1;
                ready_at[dependent] = ready_at[dependent].max(finished);
                if waiting_on[dependent] == 0 && !cancel.is_cancelled() {
                    on_event(StepEvent::Started {
                        name: names[dependent],
                    });
                    spawn(dependent, &mut tasks, &mut bodies);
                }
            }
        }

        let total = start.elapsed();
        let steps: Vec<StepTiming> = timings
            .into_iter()
            .enumerate()
            .map(|(index, timing)| {
                timing.unwrap_or(StepTiming {
                    name: names[index],
                    ready: ready_at[index],
                    started: ready_at[index],
                    finished: ready_at[index],
                    outcome: StepOutcome::Skipped,
                })
            })
            .collect();
        let critical_path = critical_path(&steps, &dependents);
        RunReport {
            coordination: total.saturating_sub(critical_path),
            steps,
            total,
        }
    }
}

/// Drops the bodies of every step that depends on `index`, directly or not.
fn drop_dependents<T>(index: usize, dependents: &[Vec<usize>], bodies: &mut [Option<T>]) {
    for &dependent in &dependents[index] {
        if bodies[dependent].take().is_some() {
            drop_dependents(dependent, dependents, bodies);
        }
    }
}

/// Returns the longest chain of step bodies through the graph.
fn critical_path(steps: &[StepTiming], dependents: &[Vec<usize>]) -> Duration {
    // Steps are added after their dependencies, so index order is a topological order.
    let mut longest_to = vec![Duration::ZERO; steps.len()];
    let mut longest = Duration::ZERO;
    for (index, step) in steps.iter().enumerate() {
        let through = longest_to[index] + step.busy();
        longest = longest.max(through);
        for &dependent in &dependents[index] {
            longest_to[dependent] = longest_to[dependent].max(through);
        }
    }
    longest
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
        let dependents = vec![vec![2], vec![2], vec![]];
        assert_eq!(
            critical_path(&steps, &dependents),
            Duration::from_millis(35)
        );
    }
}
