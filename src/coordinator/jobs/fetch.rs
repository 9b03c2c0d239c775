//! The fetch step: every URL among a job's inputs, fetched into memory as a part.

use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};

use super::{FailureKind, Input, State, join_failure};
use crate::fetch::{Link, LinkKind, parse_base_url};
use crate::source::{Location, Part};

/// Fetches every URL among the inputs, up to `concurrency` at a time over the shared client.
///
/// Every link is checked before the first request, and one invalid link fails the step.
/// A link that cannot be fetched does not stop the others: its error is reported with the
/// read failures, after the inputs that could be read were written.
pub(super) async fn fetch(state: State) -> Result<(), String> {
    let options = &state.options.fetch;
    let urls: Vec<(usize, &str)> = state
        .options
        .inputs
        .iter()
        .enumerate()
        .filter_map(|(index, input)| match input {
            Input::Url(url) => Some((index, url.as_str())),
            _ => None,
        })
        .collect();
    if urls.is_empty() {
        let _ = state.fetched_parts.set(Vec::new());
        return Ok(());
    }
    let base = match parse_base_url(&options.base_url) {
        Ok(base) => base,
        Err(err) => return state.fail(FailureKind::Input, err.to_string()),
    };
    let mut links = Vec::new();
    let mut invalid = Vec::new();
    for (index, url) in urls {
        match Link::parse(url, &base) {
            Ok(link) => links.push((index, link)),
            Err(err) => invalid.push(err.to_string()),
        }
    }
    if !invalid.is_empty() {
        return state.fail(FailureKind::Input, invalid.join("\n"));
    }
    let fetcher = match state.shared.fetcher() {
        Ok(fetcher) => fetcher.clone(),
        Err(err) => return state.fail(FailureKind::Internal, err.to_string()),
    };

    let permits = Arc::new(tokio::sync::Semaphore::new(options.concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for (index, link) in links {
        let fetcher = fetcher.clone();
        let permits = Arc::clone(&permits);
        let options = options.clone();
        let cancel = state.cancel.clone();
        tasks.spawn(async move {
            // Acquiring fails only on a closed semaphore, and this one is never closed.
            let _permit = permits.acquire_owned().await;
            (index, fetcher.fetch(link, &options, &cancel).await)
        });
    }
    let mut parts = Vec::new();
    let mut failures = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((index, Ok(fetched))) => {
                let published = match fetched.link.kind {
                    LinkKind::Published { id } => Some(id),
                    _ => None,
                };
                state
                    .bytes_total
                    .fetch_add(fetched.body.len() as u64, Ordering::Relaxed);
                let part = Part {
                    size: fetched.body.len() as u64,
                    location: Location::Fetched {
                        url: fetched.link.url,
                        body: fetched.body,
                        published,
                    },
                };
                parts.push((index, part));
            }
            Ok((index, Err(err))) => failures.push((index, err.to_string())),
            Err(err) => return join_failure(&state, &err),
        }
    }
    failures.sort();
    *state
        .fetch_failures
        .lock()
        .unwrap_or_else(PoisonError::into_inner) =
        failures.into_iter().map(|(_, message)| message).collect();
    let _ = state.fetched_parts.set(parts);
    Ok(())
}
