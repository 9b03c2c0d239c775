//! Hostile names: conversation names, artifact titles and files-mode paths that try to climb
//! out of the output folder, hide their extension, use names Windows reserves, or exceed the
//! 255-byte limit of file names. The exact replacement names are not fixed here, only the
//! properties every written path must have.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use pretty_assertions::assert_eq;

use common::{extract_into, fixture, list_files, path_problems, read_manifest};

/// Every artifact id of `hostile-titles.json` made with the `artifacts` tool or a tag, with
/// its content.
const HOSTILE_ARTIFACTS: &[(&str, &str)] = &[
    ("dot-dot", "dot-dot\n"),
    ("reserved-con", "reserved-con\n"),
    ("reserved-aux", "aux\n"),
    ("bidi", "bidi\n"),
    ("long-utf8", "long-utf8\n"),
    ("trailing-dots", "trailing-dots\n"),
    ("controls", "controls\n"),
    ("nul", "nul\n"),
    ("forbidden", "forbidden\n"),
    ("only-dots", "only-dots\n"),
    ("blank", "blank\n"),
    ("harmless", "harmless\n"),
    ("long-ascii", "long\n"),
    ("dotted", "dotted\n"),
    ("in-con", "inside\n"),
];

/// A run on `hostile-titles.json` whose output folder is four levels below the temporary
/// folder, so that a path climbing out with `..` still lands where the test can see it.
struct HostileRun {
    temp: tempfile::TempDir,
    out: PathBuf,
    code: Option<i32>,
    stderr: String,
}

fn run_hostile() -> HostileRun {
    let temp = tempfile::tempdir().expect("create a temporary folder");
    let out = temp.path().join("a/b/c/d/out");
    let output = extract_into(&[fixture("hostile-titles.json")], &out, &[]);
    HostileRun {
        temp,
        out,
        code: output.status.code(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn manifest_paths(run: &HostileRun) -> Vec<String> {
    common::manifest_entries(&read_manifest(&run.out))
        .iter()
        .map(|entry| entry["path"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn hostile_titles_exit_zero() {
    let run = run_hostile();

    assert_eq!(
        run.code,
        Some(0),
        "every hostile name can be made safe, so all artifacts are written; stderr:\n{}",
        run.stderr
    );
}

#[test]
fn nothing_written_outside_out() {
    let run = run_hostile();
    let out_prefix = "a/b/c/d/out/";

    for path in list_files(run.temp.path()) {
        assert!(
            path.starts_with(out_prefix),
            "{path:?} was written outside the output folder"
        );
    }
}

#[test]
fn manifest_paths_are_safe() {
    let run = run_hostile();

    for path in manifest_paths(&run) {
        assert_eq!(
            path_problems(&path),
            Vec::<String>::new(),
            "problems of the manifest path {path:?}"
        );
    }
}

#[test]
fn written_paths_are_safe() {
    let run = run_hostile();

    for path in list_files(&run.out) {
        assert_eq!(
            path_problems(&path),
            Vec::<String>::new(),
            "problems of the written file {path:?}"
        );
    }
}

#[test]
fn no_trailing_dot_or_space() {
    let run = run_hostile();

    for path in list_files(&run.out) {
        for component in path.split('/') {
            assert!(
                !component.ends_with('.') && !component.ends_with(' '),
                "Windows drops a trailing dot or space, so {component:?} in {path:?} would change name"
            );
        }
    }
}

#[test]
fn every_hostile_artifact_written() {
    let run = run_hostile();
    let manifest = read_manifest(&run.out);
    let entries = common::manifest_entries(&manifest);

    for (id, content) in HOSTILE_ARTIFACTS {
        let entry = entries
            .iter()
            .find(|entry| entry["artifact_id"] == *id)
            .unwrap_or_else(|| panic!("no manifest entry for {id:?}"));
        let path = entry["path"].as_str().unwrap_or_default();
        let written = std::fs::read_to_string(run.out.join(path))
            .unwrap_or_else(|error| panic!("cannot read {path:?} of {id:?}: {error}"));
        assert_eq!(&written, content, "content of {id:?} at {path:?}");
    }
}

#[test]
fn hostile_paths_distinct_ignoring_case() {
    let run = run_hostile();
    let mut seen = BTreeSet::new();

    for path in manifest_paths(&run) {
        assert!(
            seen.insert(path.to_lowercase()),
            "{path:?} collides with another path on a case-insensitive file system"
        );
    }
}

#[test]
fn long_names_within_limit() {
    let run = run_hostile();
    let long_ids = ["long-utf8", "long-ascii"];
    let manifest = read_manifest(&run.out);

    for entry in common::manifest_entries(&manifest) {
        if !long_ids.iter().any(|id| entry["artifact_id"] == *id) {
            continue;
        }
        let path = entry["path"].as_str().unwrap_or_default();
        for component in path.split('/') {
            assert!(
                component.len() <= 255,
                "{} bytes in {component:?}",
                component.len()
            );
        }
        assert!(
            !path.contains('\u{FFFD}'),
            "a name cut inside a UTF-8 sequence: {path:?}"
        );
    }
}

#[test]
fn bidi_override_removed() {
    let run = run_hostile();
    let manifest = read_manifest(&run.out);
    let entries = common::manifest_entries(&manifest);
    let entry = entries
        .iter()
        .find(|entry| entry["artifact_id"] == "bidi")
        .expect("manifest entry for the title with U+202E");
    let path = entry["path"].as_str().unwrap_or_default();

    assert!(
        !path.contains('\u{202E}'),
        "U+202E would show {path:?} with a false extension"
    );
    assert!(
        path.ends_with(".md"),
        "the real extension stays last: {path:?}"
    );
}

#[test]
fn files_mode_paths_stay_inside() {
    let run = run_hostile();
    let manifest = read_manifest(&run.out);
    let entries = common::manifest_entries(&manifest);
    let escape_paths: Vec<&str> = entries
        .iter()
        .filter(|entry| {
            entry["conversation_uuid"]
                .as_str()
                .is_some_and(|uuid| uuid.starts_with("0bad0006"))
        })
        .map(|entry| entry["path"].as_str().unwrap_or_default())
        .collect();

    for path in &escape_paths {
        assert!(
            path.contains("(0bad0006)/"),
            "a files-mode path must stay in its conversation folder: {path:?}"
        );
    }
}

/// Writes one conversation whose name and artifact title carry terminal escape sequences and
/// a right-to-left override, with an update that fails so a warning names both.
fn write_escape_export(dir: &std::path::Path) -> PathBuf {
    let conversation = serde_json::json!({
        "uuid": "22222222-2222-4333-8444-555555555555",
        "name": "\u{1b}[31mRED\u{1b}]0;pwned\u{7} \u{202e}evil\u{9b}2J",
        "created_at": "2025-01-01T00:00:00Z",
        "chat_messages": [{"uuid": "m1", "sender": "assistant", "content": [
            {"type": "tool_use", "name": "artifacts", "input": {"id": "x", "command": "create",
                "title": "\u{1b}[32mgreen\u{1b}[0m", "type": "text/markdown", "content": "hi"}},
            {"type": "tool_use", "name": "artifacts", "input": {"id": "x", "command": "update",
                "old_str": "absent", "new_str": "y"}}
        ]}]
    });
    let path = dir.join("escapes.json");
    std::fs::write(
        &path,
        serde_json::to_vec(&[conversation]).expect("serialize"),
    )
    .expect("write export");
    path
}

#[test]
fn escape_sequences_not_printed_raw() {
    let temp = tempfile::tempdir().expect("temp dir");
    let input = write_escape_export(temp.path());
    let out = temp.path().join("out\u{1b}[1m");
    let output = extract_into(&[input], &out, &[]);
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    for printed in [&stderr, &stdout] {
        assert!(!printed.contains('\u{1b}'), "{printed:?}");
        assert!(!printed.contains('\u{7}'), "{printed:?}");
        assert!(!printed.contains('\u{9b}'), "{printed:?}");
        assert!(!printed.contains('\u{202e}'), "{printed:?}");
    }
    assert!(stderr.contains(r"\u{1b}[31mRED"), "{stderr}");
    assert!(stderr.contains(r"\u{202e}evil"), "{stderr}");
    assert!(stdout.contains(r"out\u{1b}[1m"), "{stdout}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn bidi_override_removed_from_folder() {
    let temp = tempfile::tempdir().expect("temp dir");
    let input = write_escape_export(temp.path());
    let out = temp.path().join("out");
    let output = extract_into(&[input], &out, &[]);
    assert_eq!(output.status.code(), Some(0));
    let files = list_files(&out);
    assert_eq!(files.len(), 2, "{files:?}");
    for path in files {
        assert!(!path.contains('\u{202e}'), "{path:?}");
        assert!(!path.chars().any(char::is_control), "{path:?}");
    }
}
