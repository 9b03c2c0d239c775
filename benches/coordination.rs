//! Coordination overhead of a five-step workflow in which two steps run in parallel.
//!
//! Each iteration follows the coordinator's path for a job. A front end sends a command over
//! the coordinator's command channel, a thread running the coordinator's serve loop polls the
//! workflow, and the finished job is reported back over a bounded crossbeam channel. The step
//! bodies do no work, so the measured time is coordination: channel hops, wake-ups and the
//! engine's scheduling. The run ends with two lines:
//! `coordination: steps=5 workflows=N p50_us=X p99_us=Y`, from sending the command to
//! receiving the completion, and `engine: steps=5 workflows=N p50_us=X p99_us=Y`, the part
//! of it spent inside the workflow run (`RunReport::coordination`).
//!
//! ```sh
//! cargo bench --bench coordination
//! ```
//!
//! Two variables change the run. `PAUSE_US=N` waits N µs before each command, so the
//! coordinator thread has gone to sleep when a command arrives once N exceeds its 200 µs
//! stay-awake time. `WAITING_STEPS=1` makes every step body wait once, so each step runs as a
//! task on a runtime worker, as the steps of a real job that read or write do.

use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use artifactor::coordinator::driver;
use artifactor::workflow::Workflow;
use tokio_util::sync::CancellationToken;

const WARMUP: usize = 1_000;
const WORKFLOWS: usize = 20_000;

/// Builds the graph `a -> (b, c) -> d -> e` with bodies that do no work. With `waiting`,
/// each body yields once before it finishes.
fn five_steps(waiting: bool) -> Workflow<()> {
    let body = move |()| async move {
        if waiting {
            tokio::task::yield_now().await;
        }
        Ok(())
    };
    let mut workflow = Workflow::new();
    let a = workflow.step("a", &[], body);
    let b = workflow.step("b", &[a], body);
    let c = workflow.step("c", &[a], body);
    let d = workflow.step("d", &[b, c], body);
    workflow.step("e", &[d], body);
    workflow
}

fn main() {
    let pause = std::env::var("PAUSE_US")
        .ok()
        .and_then(|micros| micros.parse().ok())
        .map(Duration::from_micros);
    let waiting = std::env::var("WAITING_STEPS").is_ok_and(|value| value == "1");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    let (command_tx, command_rx) = driver::channel::<Instant>(64);
    // Each completion carries when its command was sent, the step bodies' time and the
    // engine's own time.
    let (event_tx, event_rx) = crossbeam_channel::bounded::<(Instant, Duration, Duration)>(1024);

    let coordinator = std::thread::Builder::new()
        .name("bench-coordinator".to_owned())
        .spawn(move || {
            let mut running = driver::Tasks::new();
            runtime.block_on(driver::serve(
                &command_rx,
                &mut running,
                |served, running| {
                    if let driver::Served::Message(submitted) = served {
                        let events = event_tx.clone();
                        running.push(Box::pin(async move {
                            let report = five_steps(waiting)
                                .run((), CancellationToken::new(), |_| {})
                                .await;
                            let bodies = report.total.saturating_sub(report.coordination);
                            // The bench reads every event, so the channel never stays full.
                            let _ = events.send((submitted, bodies, report.coordination));
                        }));
                    }
                    ControlFlow::Continue(())
                },
            ));
        })
        .expect("the coordinator thread");

    let mut overheads = Vec::with_capacity(WORKFLOWS);
    let mut engine = Vec::with_capacity(WORKFLOWS);
    for index in 0..WARMUP + WORKFLOWS {
        if let Some(pause) = pause {
            std::thread::sleep(pause);
        }
        command_tx
            .send(Instant::now())
            .expect("coordinator running");
        let (submitted, bodies, inside) = event_rx.recv().expect("a completion event");
        let overhead = submitted.elapsed().saturating_sub(bodies);
        if index >= WARMUP {
            overheads.push(overhead);
            engine.push(inside);
        }
    }
    drop(command_tx);
    coordinator.join().expect("the coordinator thread ends");

    print_percentiles("coordination", overheads);
    print_percentiles("engine", engine);
}

/// Prints the 50th and 99th percentile of `durations` in microseconds.
fn print_percentiles(label: &str, mut durations: Vec<Duration>) {
    durations.sort_unstable();
    let percentile = |p: f64| {
        let index = ((durations.len() as f64 - 1.0) * p).round() as usize;
        durations[index].as_secs_f64() * 1e6
    };
    println!(
        "{label}: steps=5 workflows={} p50_us={:.1} p99_us={:.1}",
        durations.len(),
        percentile(0.50),
        percentile(0.99)
    );
}
