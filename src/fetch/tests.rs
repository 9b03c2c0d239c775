//! Fetches against the loopback test server in `tests/common/server.rs`.

use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use super::*;

#[path = "../../tests/common/server.rs"]
mod server;

use server::TestServer;

fn options(server: &TestServer) -> FetchOptions {
    FetchOptions {
        base_url: server.base_url(),
        timeout: Duration::from_secs(5),
        ..FetchOptions::default()
    }
}

async fn fetch(url: &str, options: &FetchOptions) -> Result<Fetched, FetchError> {
    let link = link(url, options)?;
    let fetcher = Fetcher::new().expect("client");
    fetcher
        .fetch(link, options, &CancellationToken::new())
        .await
}

/// Parses `url` against the base URL of `options`.
fn link(url: &str, options: &FetchOptions) -> Result<Link, FetchError> {
    let base = parse_base_url(&options.base_url).expect("valid base");
    Link::parse(url, &base)
}

fn body_json(fetched: &Fetched) -> serde_json::Value {
    serde_json::from_slice(&fetched.body).expect("JSON body")
}

#[tokio::test]
async fn share_link_fetches_snapshot() {
    let server = TestServer::start(Duration::ZERO);
    let fetched = fetch(&server.share_link("abc"), &options(&server))
        .await
        .expect("fetched");
    assert_eq!(body_json(&fetched), server::snapshot_json("abc"));
    assert_eq!(server.requests("abc"), 1);
}

#[tokio::test]
async fn server_error_is_retried() {
    let server = TestServer::start(Duration::ZERO);
    let fetched = fetch(&server.share_link("flaky-1"), &options(&server))
        .await
        .expect("fetched after a retry");
    assert_eq!(body_json(&fetched), server::snapshot_json("flaky-1"));
    assert_eq!(server.requests("flaky-1"), 2);
}

#[tokio::test]
async fn too_many_requests_honours_retry_after() {
    let server = TestServer::start(Duration::ZERO);
    let started = Instant::now();
    let fetched = fetch(&server.share_link("busy-1"), &options(&server))
        .await
        .expect("fetched after waiting");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(body_json(&fetched), server::snapshot_json("busy-1"));
    assert_eq!(server.requests("busy-1"), 2);
}

#[tokio::test]
async fn persistent_server_error_gives_up() {
    let server = TestServer::start(Duration::ZERO);
    let err = fetch(&server.share_link("forever-1"), &options(&server))
        .await
        .expect_err("gave up");
    assert!(
        matches!(err, FetchError::GaveUp { attempts: 4, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("HTTP 503"), "{err}");
    assert_eq!(server.requests("forever-1"), 4);
}

#[tokio::test]
async fn stalled_response_times_out() {
    let server = TestServer::start(Duration::ZERO);
    let options = FetchOptions {
        timeout: Duration::from_millis(300),
        ..options(&server)
    };
    let started = Instant::now();
    let err = fetch(&server.share_link("stall-1"), &options)
        .await
        .expect_err("timed out");
    assert!(matches!(err, FetchError::TimedOut { .. }), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(err.to_string().contains("--timeout"), "{err}");
}

#[tokio::test]
async fn declared_oversized_body_is_rejected() {
    let server = TestServer::start(Duration::ZERO);
    let options = FetchOptions {
        max_bytes: 1024 * 1024,
        ..options(&server)
    };
    let err = fetch(&server.share_link("huge-1"), &options)
        .await
        .expect_err("too large");
    assert_eq!(
        err,
        FetchError::TooLarge {
            url: server.share_link("huge-1"),
            limit_mib: 1
        }
    );
}

#[tokio::test]
async fn streamed_oversized_body_is_rejected() {
    let server = TestServer::start(Duration::ZERO);
    let options = FetchOptions {
        max_bytes: 1024 * 1024,
        ..options(&server)
    };
    let err = fetch(&server.share_link("chunked-1"), &options)
        .await
        .expect_err("too large");
    assert!(matches!(err, FetchError::TooLarge { .. }), "{err}");
}

#[tokio::test]
async fn challenge_page_explains_browser_workaround() {
    let server = TestServer::start(Duration::ZERO);
    let err = fetch(&server.share_link("challenge-1"), &options(&server))
        .await
        .expect_err("refused");
    let message = err.to_string();
    assert!(message.contains("did not come from a browser"), "{message}");
    assert!(message.contains("a challenge page"), "{message}");
    assert!(
        message.contains("/api/chat_snapshots/challenge-1?rendering_mode=messages"),
        "{message}"
    );
    assert!(
        message.contains("artifactor extract saved.json"),
        "{message}"
    );
    assert_eq!(
        server.requests("challenge-1"),
        1,
        "a challenge is not retried"
    );
}

#[tokio::test]
async fn login_page_is_not_json() {
    let server = TestServer::start(Duration::ZERO);
    let err = fetch(&server.share_link("login-1"), &options(&server))
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("a login page"), "{err}");
}

#[tokio::test]
async fn missing_snapshot_is_not_found() {
    let server = TestServer::start(Duration::ZERO);
    let err = fetch(&server.share_link("missing-1"), &options(&server))
        .await
        .expect_err("not found");
    assert!(matches!(err, FetchError::NotFound { .. }), "{err}");
    assert_eq!(server.requests("missing-1"), 1, "a 404 is not retried");
}

#[tokio::test]
async fn redirects_are_followed_up_to_limit() {
    let server = TestServer::start(Duration::ZERO);
    let url = format!("{}/redirect/{}", server.base_url(), MAX_REDIRECTS - 1);
    let fetched = fetch(&url, &options(&server)).await.expect("followed");
    assert_eq!(body_json(&fetched), server::snapshot_json("redirected"));

    let url = format!("{}/redirect/{}", server.base_url(), MAX_REDIRECTS + 1);
    let err = fetch(&url, &options(&server)).await.expect_err("too many");
    assert!(matches!(err, FetchError::Redirect { .. }), "{err}");
    assert!(err.to_string().contains("more than 5 redirects"), "{err}");
}

#[tokio::test]
async fn redirect_to_other_scheme_is_refused() {
    let server = TestServer::start(Duration::ZERO);
    let url = format!("{}/redirect-ftp", server.base_url());
    let err = fetch(&url, &options(&server)).await.expect_err("refused");
    assert!(err.to_string().contains("ftp:"), "{err}");
    assert_eq!(server.requests("redirect"), 1);
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    // Bind a port, then close it, so that nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("free port")
        .port();
    let options = FetchOptions {
        base_url: format!("http://127.0.0.1:{port}"),
        timeout: Duration::from_secs(20),
        ..FetchOptions::default()
    };
    let link = link(&format!("http://127.0.0.1:{port}/share/abc"), &options).expect("link");
    let err = Fetcher::new()
        .expect("client")
        .fetch(link, &options, &CancellationToken::new())
        .await
        .expect_err("refused");
    assert!(
        matches!(err, FetchError::GaveUp { attempts: 4, .. }),
        "{err}"
    );
}

#[tokio::test]
async fn cancel_stops_a_stalled_fetch() {
    let server = TestServer::start(Duration::ZERO);
    let options = options(&server);
    let link = link(&server.share_link("stall-2"), &options).expect("link");
    let cancel = CancellationToken::new();
    let canceller = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        canceller.cancel();
    });
    let err = Fetcher::new()
        .expect("client")
        .fetch(link, &options, &cancel)
        .await
        .expect_err("cancelled");
    assert!(matches!(err, FetchError::Cancelled { .. }), "{err}");
}

#[tokio::test]
async fn one_client_reuses_connections() {
    let server = TestServer::start(Duration::from_millis(5));
    let options = options(&server);
    let fetcher = Fetcher::new().expect("client");
    for index in 0..10 {
        let link = link(&server.share_link(&format!("seq-{index}")), &options).expect("link");
        fetcher
            .fetch(link, &options, &CancellationToken::new())
            .await
            .expect("fetched");
    }
    assert_eq!(server.connections(), 1);
}
