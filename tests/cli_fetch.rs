//! `artifactor extract` with share links, published artifact links and URLs, against a test
//! server on 127.0.0.1.

mod common;

use std::time::{Duration, Instant};

use common::server::TestServer;
use common::{artifactor, list_files, read_manifest};

/// Runs `extract` on `inputs` with share links mapped onto `server`.
fn extract(
    server: &TestServer,
    inputs: &[String],
    extra: &[&str],
) -> (tempfile::TempDir, std::process::Output) {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("out");
    let output = artifactor()
        .env("ARTIFACTOR_BASE_URL", server.base_url())
        .arg("extract")
        .args(inputs)
        .arg("--out")
        .arg(&out)
        .args(extra)
        .output()
        .expect("run artifactor");
    (temp, output)
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn share_link_writes_its_artifact() {
    let server = TestServer::start(Duration::ZERO);
    let (temp, output) = extract(&server, &["https://claude.ai/share/abc".to_owned()], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = temp.path().join("out");
    let files = list_files(&out);
    assert_eq!(
        files,
        [
            "2026-03-01 Shared chat abc (snapshot)/Snippet abc.py",
            "manifest.json"
        ],
        "{files:?}"
    );
    let content = std::fs::read_to_string(out.join(&files[0])).expect("read file");
    assert_eq!(content, "print('abc')\n");
    let manifest = read_manifest(&out);
    assert_eq!(manifest["inputs"][0], "https://claude.ai/share/abc");
}

#[test]
fn empty_object_is_not_an_export() {
    let server = TestServer::start(Duration::ZERO);
    let link = "https://claude.ai/share/empty-1".to_owned();
    let (_temp, output) = extract(&server, &[link], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("is not a Claude export"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn twenty_links_stay_within_concurrency() {
    let server = TestServer::start(Duration::from_millis(50));
    let links: Vec<String> = (0..20)
        .map(|index| format!("https://claude.ai/share/link-{index}"))
        .collect();
    let started = Instant::now();
    let (temp, output) = extract(&server, &links, &["--layout", "flat"]);
    let elapsed = started.elapsed();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let files = list_files(&temp.path().join("out"));
    assert_eq!(files.len(), 21, "{files:?}");
    for index in 0..20 {
        assert_eq!(server.requests(&format!("link-{index}")), 1, "link-{index}");
    }
    let connections = server.connections();
    assert!(
        connections <= 4,
        "{connections} connections for 4 concurrent fetches"
    );
    assert!(connections >= 1);
    // One after another, 20 requests of 50 ms take at least a second.
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");
}

#[test]
fn jobs_flag_limits_connections() {
    let server = TestServer::start(Duration::from_millis(20));
    let links: Vec<String> = (0..6)
        .map(|index| format!("https://claude.ai/share/one-{index}"))
        .collect();
    let (_temp, output) = extract(&server, &links, &["--jobs", "1"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(server.connections(), 1);
}

#[test]
fn published_artifact_link_writes_page() {
    let server = TestServer::start(Duration::ZERO);
    let (temp, output) = extract(
        &server,
        &["https://claude.site/artifacts/page-1".to_owned()],
        &["--layout", "flat"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = temp.path().join("out");
    assert_eq!(list_files(&out), ["Published page-1.html", "manifest.json"]);
    let content = std::fs::read_to_string(out.join("Published page-1.html")).expect("read");
    assert_eq!(content, "<h1>page-1</h1>\n");
}

#[test]
fn challenge_page_explains_workaround() {
    let server = TestServer::start(Duration::ZERO);
    let (temp, output) = extract(
        &server,
        &["https://claude.ai/share/challenge-1".to_owned()],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("refused a request that did not come from a browser"),
        "{message}"
    );
    assert!(
        message.contains("HTTP 403 with a challenge page"),
        "{message}"
    );
    assert!(
        message.contains("artifactor extract saved.json"),
        "{message}"
    );
    assert!(!message.contains("invalid JSON"), "{message}");
    assert!(
        !temp.path().join("out").exists(),
        "a failed run leaves no folder"
    );
}

#[test]
fn failed_link_does_not_stop_others() {
    let server = TestServer::start(Duration::ZERO);
    let links = [
        "https://claude.ai/share/good-1".to_owned(),
        "https://claude.ai/share/missing-1".to_owned(),
        "https://claude.ai/share/good-2".to_owned(),
    ];
    let (temp, output) = extract(&server, &links, &["--layout", "flat"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("https://claude.ai/share/missing-1 was not found (HTTP 404)"),
        "{message}"
    );
    let files = list_files(&temp.path().join("out"));
    assert_eq!(
        files,
        ["Snippet good-1.py", "Snippet good-2.py", "manifest.json"]
    );
}

#[test]
fn retries_are_logged_with_reason() {
    let server = TestServer::start(Duration::ZERO);
    let links = [
        "https://claude.ai/share/flaky-1".to_owned(),
        "https://claude.ai/share/busy-1".to_owned(),
    ];
    let (_temp, output) = extract(&server, &links, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains("retrying request"), "{message}");
    assert!(message.contains("HTTP 500"), "{message}");
    assert!(message.contains("HTTP 429"), "{message}");
    assert_eq!(server.requests("flaky-1"), 2);
    assert_eq!(server.requests("busy-1"), 2);
}

#[test]
fn stalled_server_times_out() {
    let server = TestServer::start(Duration::ZERO);
    let started = Instant::now();
    let (_temp, output) = extract(
        &server,
        &["https://claude.ai/share/stall-1".to_owned()],
        &["--timeout", "1"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    let message = stderr(&output);
    assert!(
        message.contains("no complete response within 1 s"),
        "{message}"
    );
    assert!(message.contains("--timeout"), "{message}");
}

#[test]
fn oversized_response_is_rejected() {
    let server = TestServer::start(Duration::ZERO);
    let (_temp, output) = extract(
        &server,
        &["https://claude.ai/share/huge-1".to_owned()],
        &["--max-download", "1"],
    );
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("larger than the 1 MiB limit"), "{message}");
}

#[test]
fn too_many_redirects_are_reported() {
    let server = TestServer::start(Duration::ZERO);
    let url = format!("{}/redirect/9", server.base_url());
    let (_temp, output) = extract(&server, &[url], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("more than 5 redirects"),
        "{}",
        stderr(&output)
    );
    assert_eq!(server.requests("redirect"), 6);
}

#[test]
fn chat_link_is_rejected_before_any_request() {
    let server = TestServer::start(Duration::ZERO);
    let links = [
        "https://claude.ai/share/fine-1".to_owned(),
        "https://claude.ai/chat/0b6e1f6e-1c1d".to_owned(),
    ];
    let (_temp, output) = extract(&server, &links, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("is a chat link"),
        "{}",
        stderr(&output)
    );
    assert_eq!(server.connections(), 0);
}

#[test]
fn other_schemes_are_rejected() {
    let server = TestServer::start(Duration::ZERO);
    let (_temp, output) = extract(&server, &["ftp://127.0.0.1/export.zip".to_owned()], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("only http and https links can be fetched"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn invalid_base_url_names_the_variable() {
    let temp = tempfile::tempdir().expect("temp dir");
    let output = artifactor()
        .env("ARTIFACTOR_BASE_URL", "claude.ai")
        .args(["extract", "https://claude.ai/share/abc", "--out"])
        .arg(temp.path().join("out"))
        .output()
        .expect("run artifactor");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("ARTIFACTOR_BASE_URL"),
        "{}",
        stderr(&output)
    );
}
