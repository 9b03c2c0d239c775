//! The search worker: a thread that matches the search text against artifacts, so that
//! searching a large export never holds up a frame.
//!
//! The UI thread submits [`Job`]s of artifacts and receives [`Chunk`]s of results, both over
//! bounded channels. Every new search text starts a new generation, and the worker drops
//! the rest of a job as soon as its generation is no longer the current one.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender, TrySendError};

use crate::artifact::Artifact;
use crate::coordinator::Wake;

/// Artifacts matched between two result messages and two looks at the generation.
const CHUNK: usize = 2048;
/// Jobs waiting for the worker. The UI thread retries a job that finds the queue full.
const JOB_CAPACITY: usize = 16;
/// Result chunks waiting for the UI thread, which drains them every frame.
const RESULT_CAPACITY: usize = 64;

/// The search text, prepared for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Needle {
    lower: String,
    /// ASCII needles match text byte by byte without lowering a copy of it.
    ascii: bool,
}

impl Needle {
    /// Returns the needle for a search text, or `None` for a blank one.
    pub(crate) fn new(text: &str) -> Option<Self> {
        let lower = text.trim().to_lowercase();
        if lower.is_empty() {
            return None;
        }
        Some(Self {
            ascii: lower.is_ascii(),
            lower,
        })
    }

    /// Returns whether `text` contains the needle, ignoring case.
    pub(crate) fn found_in(&self, text: &str) -> bool {
        if self.ascii {
            contains_ignore_ascii_case(text.as_bytes(), self.lower.as_bytes())
        } else {
            text.to_lowercase().contains(&self.lower)
        }
    }

    /// Returns whether an artifact matches: its conversation's name, its title or the text
    /// of its final version contains the needle.
    pub(crate) fn matches(&self, artifact: &Artifact) -> bool {
        let version = artifact.final_version();
        self.found_in(&artifact.conversation.name)
            || self.found_in(&version.title)
            || self.found_in(&version.content)
    }
}

/// Returns whether `haystack` contains `needle`, which must be lower-case ASCII, ignoring
/// ASCII case. memchr finds the candidates for the first byte, so most of the haystack is
/// skipped at memchr's speed instead of being compared byte by byte.
fn contains_ignore_ascii_case(haystack: &[u8], needle: &[u8]) -> bool {
    let Some((&first, _)) = needle.split_first() else {
        return true;
    };
    let Some(last_start) = haystack.len().checked_sub(needle.len()) else {
        return false;
    };
    let candidates = &haystack[..=last_start];
    let matches_at =
        |start: usize| haystack[start..start + needle.len()].eq_ignore_ascii_case(needle);
    let upper = first.to_ascii_uppercase();
    if upper == first {
        memchr::memchr_iter(first, candidates).any(matches_at)
    } else {
        memchr::memchr2_iter(first, upper, candidates).any(matches_at)
    }
}

/// Artifacts to match, the entries `first..first + artifacts.len()` of the library.
pub(crate) struct Job {
    pub(crate) generation: u64,
    pub(crate) needle: Arc<Needle>,
    pub(crate) first: usize,
    pub(crate) artifacts: Vec<Arc<Artifact>>,
}

/// Whether each artifact of part of a job matched, starting at library entry `first`.
#[derive(Debug)]
pub(crate) struct Chunk {
    pub(crate) generation: u64,
    pub(crate) first: usize,
    pub(crate) matches: Vec<bool>,
}

/// The UI thread's handle to the search thread. Dropping it stops and joins the thread.
pub(crate) struct SearchWorker {
    /// `None` only while dropping, to close the channel before joining.
    jobs: Option<Sender<Job>>,
    results: Receiver<Chunk>,
    /// The current generation; jobs of older generations stop early.
    generation: Arc<AtomicU64>,
    thread: Option<JoinHandle<()>>,
}

impl SearchWorker {
    /// Starts the thread. `wake` runs after every chunk of results sent.
    pub(crate) fn start(wake: Wake) -> io::Result<Self> {
        let (job_sender, jobs) = crossbeam_channel::bounded(JOB_CAPACITY);
        let (result_sender, results) = crossbeam_channel::bounded(RESULT_CAPACITY);
        let generation = Arc::new(AtomicU64::new(0));
        let current = Arc::clone(&generation);
        let thread = std::thread::Builder::new()
            .name("artifactor-search".to_owned())
            .spawn(move || run(&jobs, &result_sender, &current, &wake))?;
        Ok(Self {
            jobs: Some(job_sender),
            results,
            generation,
            thread: Some(thread),
        })
    }

    /// Starts a new generation, which stops the jobs of the previous ones, and returns it.
    pub(crate) fn next_generation(&self) -> u64 {
        self.generation.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Queues a job. Returns it when the queue is full, so that the caller can retry.
    pub(crate) fn submit(&self, job: Job) -> Result<(), Job> {
        let Some(jobs) = &self.jobs else {
            return Err(job);
        };
        match jobs.try_send(job) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(job) | TrySendError::Disconnected(job)) => Err(job),
        }
    }

    /// Returns the next chunk of results without blocking.
    pub(crate) fn try_recv(&self) -> Option<Chunk> {
        self.results.try_recv().ok()
    }
}

impl Drop for SearchWorker {
    fn drop(&mut self) {
        self.next_generation();
        self.jobs = None;
        let Some(thread) = self.thread.take() else {
            return;
        };
        // The thread may wait on a full result channel, so results are drained until it ends.
        while !thread.is_finished() {
            let _ = self.results.recv_timeout(Duration::from_millis(5));
        }
        if thread.join().is_err() {
            tracing::error!("the search thread panicked");
        }
    }
}

/// Runs the search thread's loop: one job at a time, until the UI thread drops its sender.
fn run(jobs: &Receiver<Job>, results: &Sender<Chunk>, current: &AtomicU64, wake: &Wake) {
    for job in jobs {
        for (index, artifacts) in job.artifacts.chunks(CHUNK).enumerate() {
            if current.load(Ordering::Relaxed) != job.generation {
                break;
            }
            let chunk = Chunk {
                generation: job.generation,
                first: job.first + index * CHUNK,
                matches: artifacts
                    .iter()
                    .map(|artifact| job.needle.matches(artifact))
                    .collect(),
            };
            if results.send(chunk).is_err() {
                return;
            }
            wake();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::gui::library::test_support::conversation;

    #[test]
    fn ascii_search_ignores_case() {
        assert!(contains_ignore_ascii_case(b"Hello World", b"world"));
        assert!(contains_ignore_ascii_case(b"WORLD", b"world"));
        assert!(contains_ignore_ascii_case(b"x-1", b"-1"));
        assert!(contains_ignore_ascii_case(b"abc", b""));
        assert!(!contains_ignore_ascii_case(b"Hello", b"hello world"));
        assert!(!contains_ignore_ascii_case(b"worl", b"world"));
        assert!(!contains_ignore_ascii_case(b"", b"a"));
    }

    #[test]
    fn blank_text_is_no_needle() {
        assert_eq!(Needle::new("  "), None);
    }

    #[test]
    fn needle_matches_name_title_and_text() {
        let loaded = conversation("Parser help", &[("Lexer", "fn tokenize()")]);
        let artifact = &loaded.artifacts[0];
        for text in ["PARSER", "lexer", "Tokenize"] {
            let needle = Needle::new(text).expect("a needle");
            assert!(needle.matches(artifact), "{text} did not match");
        }
        let absent = Needle::new("missing").expect("a needle");
        assert!(!absent.matches(artifact));
    }

    #[test]
    fn worker_sends_chunks_in_order() {
        let worker = SearchWorker::start(Arc::new(|| {})).expect("the worker starts");
        let loaded = conversation("Many", &[("A", "needle"), ("B", "hay"), ("C", "NEEDLE")]);
        let generation = worker.next_generation();
        let job = Job {
            generation,
            needle: Arc::new(Needle::new("needle").expect("a needle")),
            first: 5,
            artifacts: loaded.artifacts,
        };
        assert!(worker.submit(job).is_ok());

        let started = Instant::now();
        let chunk = loop {
            if let Some(chunk) = worker.try_recv() {
                break chunk;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "no result arrived"
            );
            std::thread::sleep(Duration::from_millis(1));
        };
        assert_eq!(chunk.generation, generation);
        assert_eq!(chunk.first, 5);
        assert_eq!(chunk.matches, [true, false, true]);
    }
}
