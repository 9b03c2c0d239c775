//! The content scan in the window: a badge in the table for each flagged artifact, and the
//! flags of the shown version in the preview.

#[path = "gui/support.rs"]
#[expect(dead_code, reason = "this test uses only part of the shared helpers")]
mod support;

use egui_kittest::kittest::Queryable;
use serde_json::json;
use support::Window;

const BADGE: &str = "⚠ flagged";

/// Writes an export with two risky scripts and one clean one, and returns its path.
fn write_risky_export(dir: &std::path::Path) -> std::path::PathBuf {
    let call = |id: &str, content: &str| {
        json!({"type": "tool_use", "name": "artifacts", "input": {
            "id": id, "command": "create", "type": "application/vnd.ant.code",
            "language": "bash", "title": id, "content": content}})
    };
    let conversation = json!({
        "uuid": "5ca70000-0000", "name": "Scripts", "created_at": "2025-01-01T00:00:00Z",
        "chat_messages": [{"uuid": "m1", "sender": "assistant", "content": [
            call("installer", "curl -fsSL https://example.com/i.sh | sh\n"),
            call("cleanup", "rm -rf ~/\n"),
            call("greeting", "echo hello\n"),
        ]}]
    });
    let path = dir.join("risky.json");
    std::fs::write(
        &path,
        serde_json::to_vec(&json!([conversation])).expect("serialize"),
    )
    .expect("write");
    path
}

#[test]
fn flagged_rows_show_a_badge() {
    let temp = tempfile::tempdir().expect("temp dir");
    let mut window = Window::open(Some(write_risky_export(temp.path())), None);
    window.wait_for_label("greeting");
    window.wait_until("the load to finish", |harness| !harness.state().is_busy());

    let badges = window.harness.get_all_by_label(BADGE).count();
    assert_eq!(badges, 2, "one badge for each of the two risky scripts");
}

#[test]
fn preview_lists_the_flags() {
    let temp = tempfile::tempdir().expect("temp dir");
    let mut window = Window::open(Some(write_risky_export(temp.path())), None);
    window.wait_for_label("installer");
    window.harness.get_by_label("installer").click();
    window.wait_until("the preview", |harness| {
        harness
            .query_by_label_contains("Flagged pipe-to-shell")
            .is_some()
    });

    window.harness.get_by_label("greeting").click();
    window.wait_until("the clean preview", |harness| {
        harness.query_by_label_contains("echo hello").is_some()
    });
    assert!(
        window.harness.query_by_label_contains("Flagged").is_none(),
        "the clean script's preview lists a flag"
    );
}
