//! Waiting between attempts: exponential backoff with jitter, and `Retry-After`.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// The wait before the first retry, before jitter.
const FIRST_WAIT: Duration = Duration::from_millis(250);
/// The maximum wait between attempts that artifactor chooses itself.
const MAX_WAIT: Duration = Duration::from_secs(8);
/// The maximum `Retry-After` that is waited for. A longer one ends the fetch.
pub(super) const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// The wait that a `Retry-After` header requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RetryAfter {
    Wait(Duration),
    /// A wait longer than [`MAX_RETRY_AFTER`], in seconds.
    TooLong(u64),
}

/// Exponential backoff: each wait doubles up to [`MAX_WAIT`], then is scaled by a random
/// factor between 0.5 and 1.5 so that clients retrying together spread out.
pub(super) struct Backoff {
    next: Duration,
}

impl Backoff {
    pub(super) fn new() -> Self {
        Self { next: FIRST_WAIT }
    }

    pub(super) fn next_wait(&mut self) -> Duration {
        let base = self.next;
        self.next = (self.next * 2).min(MAX_WAIT);
        base.mul_f64(0.5 + fastrand::f64())
    }
}

/// Reads `Retry-After` as seconds or as an HTTP date. Returns `None` when it is absent or
/// unreadable.
pub(super) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<RetryAfter> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => {
            let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
            let date = SystemTime::from(date);
            date.duration_since(now).unwrap_or(Duration::ZERO)
        }
    };
    if wait > MAX_RETRY_AFTER {
        Some(RetryAfter::TooLong(wait.as_secs()))
    } else {
        Some(RetryAfter::Wait(wait))
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_str(value).expect("valid header"),
        );
        headers
    }

    #[test]
    fn retry_after_seconds() {
        let after = retry_after(&headers("2"), SystemTime::now());
        assert_eq!(after, Some(RetryAfter::Wait(Duration::from_secs(2))));
    }

    #[test]
    fn retry_after_http_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_470);
        // 2015-10-21 07:28:00 UTC is 1,445,412,480 s after the epoch.
        let after = retry_after(&headers("Wed, 21 Oct 2015 07:28:00 GMT"), now);
        assert_eq!(after, Some(RetryAfter::Wait(Duration::from_secs(10))));
    }

    #[test]
    fn retry_after_in_past_is_zero() {
        let after = retry_after(&headers("Wed, 21 Oct 2015 07:28:00 GMT"), SystemTime::now());
        assert_eq!(after, Some(RetryAfter::Wait(Duration::ZERO)));
    }

    #[test]
    fn retry_after_too_long() {
        let after = retry_after(&headers("3600"), SystemTime::now());
        assert_eq!(after, Some(RetryAfter::TooLong(3600)));
    }

    #[test]
    fn retry_after_garbage_is_ignored() {
        assert_eq!(retry_after(&headers("soon"), SystemTime::now()), None);
        assert_eq!(retry_after(&HeaderMap::new(), SystemTime::now()), None);
    }

    #[test]
    fn backoff_doubles_with_jitter() {
        let mut backoff = Backoff::new();
        let mut base = FIRST_WAIT;
        for _ in 0..8 {
            let wait = backoff.next_wait();
            assert!(wait >= base.mul_f64(0.5), "{wait:?} below half of {base:?}");
            assert!(
                wait <= base.mul_f64(1.5),
                "{wait:?} above 1.5 times {base:?}"
            );
            base = (base * 2).min(MAX_WAIT);
        }
    }
}
