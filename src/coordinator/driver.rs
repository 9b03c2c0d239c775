//! The coordinator thread's loop: receive messages, start tasks, poll them, without handing
//! a task to another thread.
//!
//! A message reaches the thread over a bounded crossbeam channel whose sends also wake the
//! thread's task. The thread polls the futures it started itself, inside the runtime's
//! `block_on`, so work that finishes on its first poll runs where the message arrived. After
//! any work the thread stays awake for [`STAY_AWAKE`] before it sleeps.

use std::future::Future;
use std::ops::ControlFlow;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, TryRecvError};
use futures_util::stream::{FuturesUnordered, StreamExt};
use futures_util::task::AtomicWaker;

/// How long the thread keeps looking for work after a message or a finished task before it
/// sleeps. A message sent within this time finds the thread awake. Waking a sleeping thread
/// costs far more than running a workflow: 8-13 µs on a 2-core virtual machine against
/// 0.5 µs for the workflow engine, as measured in BENCHMARKS.md.
pub const STAY_AWAKE: Duration = Duration::from_micros(200);

/// Creates a bounded channel whose sends wake the task that serves its receiver.
pub fn channel<T>(capacity: usize) -> (WakingSender<T>, WakingReceiver<T>) {
    let (sender, receiver) = crossbeam_channel::bounded(capacity);
    let waker = Arc::new(AtomicWaker::new());
    let sending = WakingSender {
        sender,
        waker: WakeOnDrop(Arc::clone(&waker)),
    };
    (sending, WakingReceiver { receiver, waker })
}

/// The sending side of a [`channel`].
pub struct WakingSender<T> {
    // Fields drop in order: the sender first, so that the channel is closed when the waker
    // wakes the serving task.
    sender: Sender<T>,
    waker: WakeOnDrop,
}

/// Wakes the serving task when dropped. Dropping the last sender closes the channel, and the
/// woken task then finds it closed and ends.
struct WakeOnDrop(Arc<AtomicWaker>);

impl Drop for WakeOnDrop {
    fn drop(&mut self) {
        self.0.wake();
    }
}

impl<T> WakingSender<T> {
    /// Sends a message, waiting while the channel is full. Fails with the message when the
    /// receiver is gone.
    pub fn send(&self, message: T) -> Result<(), T> {
        self.sender.send(message).map_err(|err| err.into_inner())?;
        self.waker.0.wake();
        Ok(())
    }

    /// Sends a message unless the channel is full or the receiver is gone. Returns whether
    /// it was sent.
    pub fn try_send(&self, message: T) -> bool {
        let sent = self.sender.try_send(message).is_ok();
        if sent {
            self.waker.0.wake();
        }
        sent
    }
}

impl<T> Clone for WakingSender<T> {
    fn clone(&self) -> Self {
        Self {
            sender: self.sender.clone(),
            waker: WakeOnDrop(Arc::clone(&self.waker.0)),
        }
    }
}

/// The receiving side of a [`channel`], read by [`serve`].
pub struct WakingReceiver<T> {
    receiver: Receiver<T>,
    waker: Arc<AtomicWaker>,
}

/// A task started by [`serve`]'s handler, resolving to a value handed back to the handler.
pub type Task<K> = Pin<Box<dyn Future<Output = K> + Send>>;

/// The tasks that [`serve`] polls.
pub type Tasks<K> = FuturesUnordered<Task<K>>;

/// An input of [`serve`]'s handler.
pub enum Served<T, K> {
    /// A message arrived.
    Message(T),
    /// A task ended with this value.
    Finished(K),
}

/// Hands every message and every finished task to `handle`, which may push new tasks, and
/// polls the tasks, until `handle` breaks or every sender is gone. Tasks still running then
/// stay in `tasks`.
pub async fn serve<T, K>(
    receiver: &WakingReceiver<T>,
    tasks: &mut Tasks<K>,
    mut handle: impl FnMut(Served<T, K>, &mut Tasks<K>) -> ControlFlow<()>,
) {
    let mut awake_until = Instant::now();
    std::future::poll_fn(|cx| {
        loop {
            // Registered before the channel is read, so that a message sent after the read
            // wakes this task again.
            receiver.waker.register(cx.waker());
            let mut worked = false;
            loop {
                match receiver.receiver.try_recv() {
                    Ok(message) => {
                        if handle(Served::Message(message), tasks).is_break() {
                            return Poll::Ready(());
                        }
                        worked = true;
                    }
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => return Poll::Ready(()),
                }
            }
            while let Poll::Ready(Some(value)) = tasks.poll_next_unpin(cx) {
                if handle(Served::Finished(value), tasks).is_break() {
                    return Poll::Ready(());
                }
                worked = true;
            }
            if worked {
                awake_until = Instant::now() + STAY_AWAKE;
                continue;
            }
            if Instant::now() < awake_until {
                // Asks to be polled again at once, so that the thread does not sleep. The
                // yield lets a thread that was woken on this core run first, such as the
                // front end receiving the event just sent.
                std::thread::yield_now();
                cx.waker().wake_by_ref();
            }
            return Poll::Pending;
        }
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `serve` on its own thread with a handler that starts a task per number, which
    /// sleeps that many milliseconds and returns the number.
    fn start_server() -> (
        WakingSender<u64>,
        crossbeam_channel::Receiver<u64>,
        std::thread::JoinHandle<()>,
    ) {
        let (sender, receiver) = channel::<u64>(8);
        let (finished_tx, finished_rx) = crossbeam_channel::unbounded();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("a runtime");
            let mut tasks = Tasks::new();
            runtime.block_on(serve(&receiver, &mut tasks, |served, tasks| {
                match served {
                    Served::Message(0) => return ControlFlow::Break(()),
                    Served::Message(millis) => tasks.push(Box::pin(async move {
                        tokio::time::sleep(Duration::from_millis(millis)).await;
                        millis
                    })),
                    Served::Finished(millis) => finished_tx.send(millis).expect("test reads"),
                }
                ControlFlow::Continue(())
            }));
        });
        (sender, finished_rx, thread)
    }

    #[test]
    fn serve_finishes_short_task_first() {
        let (sender, finished, thread) = start_server();
        sender.send(300).expect("serving");
        sender.send(1).expect("serving");
        assert_eq!(finished.recv(), Ok(1));
        assert_eq!(finished.recv(), Ok(300));
        sender.send(0).expect("serving");
        thread.join().expect("the thread ends");
    }

    #[test]
    fn serve_wakes_after_sleeping() {
        let (sender, finished, thread) = start_server();
        // Long past STAY_AWAKE, so the thread sleeps and only the send can wake it.
        std::thread::sleep(Duration::from_millis(50));
        sender.send(1).expect("serving");
        let got = finished.recv_timeout(Duration::from_secs(5));
        assert_eq!(got, Ok(1));
        sender.send(0).expect("serving");
        thread.join().expect("the thread ends");
    }

    #[test]
    fn serve_ends_without_senders() {
        let (sender, _finished, thread) = start_server();
        let second = sender.clone();
        drop(sender);
        std::thread::sleep(Duration::from_millis(20));
        assert!(!thread.is_finished(), "one sender is left");
        drop(second);
        let deadline = Instant::now() + Duration::from_secs(5);
        while !thread.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(
            thread.is_finished(),
            "serving ended once every sender was gone"
        );
    }
}
