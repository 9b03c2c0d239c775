//! Fetching share snapshots, published artifacts and documents over HTTP.
//!
//! One [`Fetcher`] serves the whole process, so connections to a host are pooled and
//! reused across jobs. Each request has a total timeout and a response size limit, follows
//! at most [`MAX_REDIRECTS`] redirects to http or https addresses only, and is retried on
//! connection errors, HTTP 429 and 5xx with exponential backoff and jitter, honouring
//! `Retry-After`. The standard proxy variables (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`,
//! `NO_PROXY`) are honoured.

mod error;
mod link;
mod retry;

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use tokio_util::sync::CancellationToken;

pub use error::FetchError;
pub use link::{DEFAULT_BASE_URL, Link, LinkKind, parse_base_url};
use retry::{Backoff, RetryAfter};

/// The maximum number of redirects followed for one request.
pub const MAX_REDIRECTS: usize = 5;
/// The maximum wait for a TCP and TLS connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Retries after the first attempt, for failures that may pass.
const MAX_RETRIES: u32 = 3;

/// The options of the fetches of one job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchOptions {
    /// The address of claude.ai's API that share and published-artifact links map onto.
    pub base_url: String,
    /// How many URLs are fetched at the same time.
    pub concurrency: usize,
    /// The maximum time one request may take, from connecting to the end of the body.
    pub timeout: Duration,
    /// The largest response body accepted, in bytes.
    pub max_bytes: u64,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            concurrency: DEFAULT_CONCURRENCY,
            timeout: DEFAULT_TIMEOUT,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// URLs fetched at the same time unless configured otherwise.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// The request timeout unless configured otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The response size limit unless configured otherwise. Share snapshots are a few MB; a
/// whole export fetched by URL can reach a few hundred.
pub const DEFAULT_MAX_BYTES: u64 = 512 * 1024 * 1024;

/// A fetched response body and what it is.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub link: Link,
    pub body: Arc<[u8]>,
}

/// The process's HTTP client.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
}

impl Fetcher {
    /// Builds the client. Its connection pool lives as long as the fetcher and its clones.
    pub fn new() -> Result<Self, FetchError> {
        let redirects = reqwest::redirect::Policy::custom(|attempt| {
            if attempt.previous().len() > MAX_REDIRECTS {
                let reason = format!("more than {MAX_REDIRECTS} redirects");
                return attempt.error(reason);
            }
            match attempt.url().scheme() {
                "http" | "https" => attempt.follow(),
                scheme => {
                    let reason =
                        format!("a redirect to a {scheme}: address, which is not followed");
                    attempt.error(reason)
                }
            }
        });
        let client = reqwest::Client::builder()
            .user_agent(concat!("artifactor/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(CONNECT_TIMEOUT)
            .redirect(redirects)
            .build()
            .map_err(|err| FetchError::Client(error_chain(&err)))?;
        Ok(Self { client })
    }

    /// Fetches one link, retrying failures that may pass. Every retry is logged at `warn`
    /// with its reason.
    pub async fn fetch(
        &self,
        link: Link,
        options: &FetchOptions,
        cancel: &CancellationToken,
    ) -> Result<Fetched, FetchError> {
        let mut backoff = Backoff::new();
        let mut attempt = 1;
        loop {
            let outcome = tokio::select! {
                () = cancel.cancelled() => return Err(FetchError::Cancelled { url: link.url }),
                outcome = tokio::time::timeout(options.timeout, self.attempt(&link, options)) => outcome,
            };
            let failure = match outcome {
                Ok(Ok(body)) => return Ok(Fetched { link, body }),
                Ok(Err(Attempt::Fatal(err))) => return Err(err),
                Ok(Err(Attempt::Retry { reason, after })) => (reason, after),
                Err(_elapsed) => {
                    return Err(FetchError::TimedOut {
                        url: link.url,
                        seconds: options.timeout.as_secs(),
                    });
                }
            };
            let (reason, after) = failure;
            if attempt > MAX_RETRIES {
                return Err(FetchError::GaveUp {
                    url: link.url,
                    attempts: attempt,
                    reason,
                });
            }
            let wait = match after {
                Some(RetryAfter::Wait(wait)) => wait,
                Some(RetryAfter::TooLong(seconds)) => {
                    return Err(FetchError::RetryTooLate {
                        url: link.url,
                        seconds,
                        max: retry::MAX_RETRY_AFTER.as_secs(),
                    });
                }
                None => backoff.next_wait(),
            };
            tracing::warn!(
                url = %link.url,
                attempt,
                wait_ms = wait.as_millis() as u64,
                %reason,
                "retrying request"
            );
            tokio::select! {
                () = cancel.cancelled() => return Err(FetchError::Cancelled { url: link.url }),
                () = tokio::time::sleep(wait) => {}
            }
            attempt += 1;
        }
    }

    /// Sends one request and reads its body.
    async fn attempt(&self, link: &Link, options: &FetchOptions) -> Result<Arc<[u8]>, Attempt> {
        let request = self
            .client
            .get(link.fetch_url.clone())
            .header(header::ACCEPT, "application/json, */*;q=0.5");
        let mut response = match request.send().await {
            Ok(response) => response,
            Err(err) => return Err(classify_send_error(link, &err)),
        };
        let status = response.status();
        let html = is_html(response.headers());
        if let Some(failure) = check_status(link, status, response.headers(), html) {
            return Err(failure);
        }
        if let Some(length) = response.content_length()
            && length > options.max_bytes
        {
            return Err(too_large(link, options));
        }

        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if (body.len() + chunk.len()) as u64 > options.max_bytes {
                        return Err(too_large(link, options));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(err) => {
                    return Err(Attempt::Retry {
                        reason: format!("the response was cut off: {}", error_chain(&err)),
                        after: None,
                    });
                }
            }
        }
        if html || looks_like_html(&body) {
            let err = match link.kind {
                LinkKind::Document => FetchError::WebPage {
                    url: link.url.clone(),
                },
                LinkKind::Share { .. } | LinkKind::Published { .. } => {
                    refused(link, status.as_u16(), "a login page")
                }
            };
            return Err(Attempt::Fatal(err));
        }
        Ok(body.into())
    }
}

/// The failure of one attempt.
enum Attempt {
    /// A failure that a later attempt may not have: a connection error, 429 or 5xx.
    Retry {
        reason: String,
        after: Option<RetryAfter>,
    },
    Fatal(FetchError),
}

fn classify_send_error(link: &Link, err: &reqwest::Error) -> Attempt {
    let reason = error_chain(err);
    if err.is_redirect() {
        return Attempt::Fatal(FetchError::Redirect {
            url: link.url.clone(),
            reason,
        });
    }
    if err.is_builder() {
        return Attempt::Fatal(FetchError::Request {
            url: link.url.clone(),
            reason,
        });
    }
    // Connection refused or reset, DNS failures and broken connections may pass.
    Attempt::Retry {
        reason: format!("the request failed: {reason}"),
        after: None,
    }
}

/// Returns the failure for a status that is not a success, or `None` for a success.
fn check_status(
    link: &Link,
    status: StatusCode,
    headers: &HeaderMap,
    html: bool,
) -> Option<Attempt> {
    let challenge = headers
        .get("cf-mitigated")
        .is_some_and(|value| value.as_bytes().eq_ignore_ascii_case(b"challenge"));
    if challenge || (status == StatusCode::FORBIDDEN && html) {
        return Some(Attempt::Fatal(refused(
            link,
            status.as_u16(),
            "a challenge page",
        )));
    }
    if status == StatusCode::UNAUTHORIZED {
        return Some(Attempt::Fatal(refused(
            link,
            status.as_u16(),
            "a login page",
        )));
    }
    if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        return Some(Attempt::Retry {
            reason: format!("HTTP {}", status.as_u16()),
            after: retry::retry_after(headers, std::time::SystemTime::now()),
        });
    }
    if status == StatusCode::NOT_FOUND {
        return Some(Attempt::Fatal(FetchError::NotFound {
            url: link.url.clone(),
        }));
    }
    if !status.is_success() {
        return Some(Attempt::Fatal(FetchError::Status {
            url: link.url.clone(),
            status: status.as_u16(),
        }));
    }
    None
}

fn refused(link: &Link, status: u16, page: &'static str) -> FetchError {
    let host = link
        .fetch_url
        .host_str()
        .map_or_else(|| link.fetch_url.to_string(), str::to_owned);
    FetchError::Refused {
        url: link.url.clone(),
        host,
        status,
        page,
        api_url: link.fetch_url.to_string(),
    }
}

fn too_large(link: &Link, options: &FetchOptions) -> Attempt {
    Attempt::Fatal(FetchError::TooLarge {
        url: link.url.clone(),
        limit_mib: options.max_bytes / (1024 * 1024),
    })
}

fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.to_ascii_lowercase().starts_with("text/html"))
}

/// Returns whether a body that should be JSON or a zip starts like an HTML page.
fn looks_like_html(body: &[u8]) -> bool {
    let start = body
        .iter()
        .position(|byte| !byte.is_ascii_whitespace())
        .map_or(&[][..], |index| &body[index..]);
    let head = &start[..start.len().min(16)];
    let lower = head.to_ascii_lowercase();
    lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html")
}

/// Formats an error with its causes, which reqwest keeps in the source chain.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests;
