//! An HTTP server on 127.0.0.1 that replaces claude.ai's API in tests.
//!
//! It serves share snapshots and published artifacts, and fails on purpose for ids with
//! these prefixes: `flaky-*` answers 500 once, `busy-*` answers 429 with `Retry-After: 1` once,
//! `stall-*` never answers, `challenge-*` answers 403 with an HTML page, `login-*` answers 200
//! with an HTML page, `missing-*` answers 404, `empty-*` answers `{}`, `forever-*` always answers 503, and `huge-*`
//! sends 2 MiB of JSON with a declared length, `chunked-*` the same without one. `/redirect/N`
//! redirects N times before serving a snapshot, and `/redirect-ftp` redirects to an ftp
//! address. It counts accepted TCP connections and requests per path. Nothing here opens a
//! connection anywhere but loopback.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;

/// The bytes that `huge-*` and `chunked-*` send.
pub const HUGE_BYTES: usize = 2 * 1024 * 1024;

#[derive(Default)]
struct Counters {
    connections: AtomicUsize,
    requests: Mutex<HashMap<String, usize>>,
}

#[derive(Clone)]
struct ServerState {
    latency: Duration,
    counters: Arc<Counters>,
}

impl ServerState {
    /// Counts a request for `key` and returns how many came before it.
    fn count(&self, key: &str) -> usize {
        let mut requests = self
            .counters
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let seen = requests.entry(key.to_owned()).or_insert(0);
        *seen += 1;
        *seen - 1
    }
}

/// A running test server; it stops when dropped.
pub struct TestServer {
    pub addr: SocketAddr,
    counters: Arc<Counters>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// Starts the server on its own thread; every response waits `latency` first.
    pub fn start(latency: Duration) -> Self {
        let counters = Arc::new(Counters::default());
        let state = ServerState {
            latency,
            counters: Arc::clone(&counters),
        };
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("test server runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind 127.0.0.1");
                addr_tx
                    .send(listener.local_addr().expect("local address"))
                    .expect("send address");
                let connections = Arc::clone(&state.counters);
                let listener = listener.tap_io(move |_| {
                    connections.connections.fetch_add(1, Ordering::SeqCst);
                });
                let app = axum::Router::new()
                    .route("/api/chat_snapshots/{id}", get(snapshot))
                    .route("/api/published_artifacts/{id}", get(published))
                    .route("/redirect/{count}", get(redirect))
                    .route("/redirect-ftp", get(redirect_ftp))
                    .with_state(state);
                // Stopping drops the server at once instead of waiting for connections
                // to close, since a stalled handler never finishes.
                tokio::select! {
                    served = axum::serve(listener, app) => served.expect("serve"),
                    _ = stop_rx => {}
                }
            });
            // Connection tasks still running, such as stalled handlers, are dropped here.
            runtime.shutdown_timeout(Duration::from_millis(100));
        });
        let addr = addr_rx.recv().expect("server address");
        Self {
            addr,
            counters,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    /// Returns the base URL, such as `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Returns the share link of `id` on this server.
    pub fn share_link(&self, id: &str) -> String {
        format!("{}/share/{id}", self.base_url())
    }

    /// Returns how many TCP connections the server accepted.
    pub fn connections(&self) -> usize {
        self.counters.connections.load(Ordering::SeqCst)
    }

    /// Returns how many requests asked for `key`: a snapshot or artifact id, or `redirect`.
    pub fn requests(&self, key: &str) -> usize {
        let requests = self
            .counters
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        requests.get(key).copied().unwrap_or(0)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Returns the snapshot JSON served for `id`: one assistant message that creates the Python
/// artifact `Snippet <id>` with the content `print('<id>')`.
pub fn snapshot_json(id: &str) -> serde_json::Value {
    serde_json::json!({
        "uuid": format!("snapshot-{id}"),
        "snapshot_name": format!("Shared chat {id}"),
        "created_at": "2026-03-01T10:00:00Z",
        "chat_messages": [
            {
                "uuid": format!("{id}-m0"),
                "sender": "human",
                "index": 0,
                "content": [{"type": "text", "text": "Write a snippet"}]
            },
            {
                "uuid": format!("{id}-m1"),
                "sender": "assistant",
                "index": 1,
                "content": [
                    {
                        "type": "tool_use",
                        "name": "artifacts",
                        "id": format!("toolu_{id}"),
                        "input": {
                            "id": "snippet",
                            "command": "create",
                            "type": "application/vnd.ant.code",
                            "language": "python",
                            "title": format!("Snippet {id}"),
                            "content": format!("print('{id}')\n")
                        }
                    }
                ]
            }
        ]
    })
}

async fn snapshot(State(state): State<ServerState>, Path(id): Path<String>) -> Response {
    tokio::time::sleep(state.latency).await;
    let before = state.count(&id);
    let html = [(header::CONTENT_TYPE, "text/html; charset=utf-8")];
    match id.split('-').next().unwrap_or_default() {
        "flaky" if before == 0 => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        "busy" if before == 0 => {
            (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "1")]).into_response()
        }
        "forever" => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        "stall" => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            StatusCode::OK.into_response()
        }
        "challenge" => (
            StatusCode::FORBIDDEN,
            html,
            "<!DOCTYPE html><html><title>Just a moment...</title></html>",
        )
            .into_response(),
        "login" => (StatusCode::OK, html, "<html><body>Log in</body></html>").into_response(),
        "missing" => StatusCode::NOT_FOUND.into_response(),
        "empty" => axum::Json(serde_json::json!({})).into_response(),
        "huge" => (StatusCode::OK, vec![b' '; HUGE_BYTES]).into_response(),
        "chunked" => {
            let chunks = (0..HUGE_BYTES / 65_536)
                .map(|_| Ok::<_, std::io::Error>(axum::body::Bytes::from(vec![b' '; 65_536])));
            Body::from_stream(futures_util::stream::iter(chunks)).into_response()
        }
        _ => axum::Json(snapshot_json(&id)).into_response(),
    }
}

async fn published(State(state): State<ServerState>, Path(id): Path<String>) -> Response {
    tokio::time::sleep(state.latency).await;
    state.count(&id);
    axum::Json(serde_json::json!({
        "uuid": id,
        "title": format!("Published {id}"),
        "type": "text/html",
        "content": format!("<h1>{id}</h1>\n")
    }))
    .into_response()
}

async fn redirect(State(state): State<ServerState>, Path(count): Path<u32>) -> Response {
    state.count("redirect");
    let location = match count {
        0 => "/api/chat_snapshots/redirected".to_owned(),
        n => format!("/redirect/{}", n - 1),
    };
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}

async fn redirect_ftp(State(state): State<ServerState>) -> Response {
    state.count("redirect");
    (
        StatusCode::FOUND,
        [(header::LOCATION, "ftp://127.0.0.1/snapshot.json")],
    )
        .into_response()
}
