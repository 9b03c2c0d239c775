//! The write step writes several conversations at the same time. These tests check that the
//! result is the same as writing them one after the other: the manifest lists files in input
//! order, and a newer copy of a conversation replaces the older one instead of racing it.

mod common;

use std::path::{Path, PathBuf};

use common::{assert_manifest_matches_disk, extract_into, extract_ok, faults, read_manifest};
use serde_json::{Value, json};

/// Writes `conversations` as a conversations.json array at `dir/name`.
fn write_export(dir: &Path, name: &str, conversations: &[Value]) -> PathBuf {
    faults::write_export(&dir.join(name), conversations)
}

/// Builds a conversation with one Markdown artifact per content, with ids `part-N`, updated
/// at `updated_at`.
fn conversation(uuid: &str, updated_at: &str, contents: &[String]) -> Value {
    let mut conversation = faults::conversation(uuid, &format!("Chat {uuid}"), contents);
    conversation["updated_at"] = json!(updated_at);
    conversation
}

/// Returns `count` contents of `bytes` each, different for each `seed` and index.
fn contents(seed: &str, count: usize, bytes: usize) -> Vec<String> {
    (0..count)
        .map(|index| {
            let line = format!("{seed} part {index}\n");
            line.repeat(bytes / line.len() + 1)
        })
        .collect()
}

/// Returns the conversation uuid of each manifest entry, in manifest order.
fn entry_conversations(manifest: &Value) -> Vec<String> {
    manifest["artifacts"]
        .as_array()
        .expect("an artifacts array")
        .iter()
        .map(|entry| {
            entry["conversation_uuid"]
                .as_str()
                .expect("a uuid")
                .to_owned()
        })
        .collect()
}

#[test]
fn manifest_keeps_input_order() {
    // The first conversations have large files and the last ones small files, so writes
    // that run at the same time finish in another order than they started.
    let temp = tempfile::tempdir().expect("temp dir");
    let conversations: Vec<Value> = (0..24)
        .map(|index| {
            let uuid = format!("c{index:02}");
            let bytes = if index < 8 { 400_000 } else { 200 };
            conversation(&uuid, "2025-01-01T00:00:00Z", &contents(&uuid, 6, bytes))
        })
        .collect();
    let input = write_export(temp.path(), "in.json", &conversations);

    let run = extract_ok(std::slice::from_ref(&input), &[]);
    let expected: Vec<String> = (0..24)
        .flat_map(|index| std::iter::repeat_n(format!("c{index:02}"), 6))
        .collect();
    assert_eq!(entry_conversations(&run.manifest()), expected);
    assert_manifest_matches_disk(&run.out, false);

    // A second run into another folder writes the same manifest entries.
    let second = temp.path().join("second");
    let output = extract_into(&[input], &second, &[]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        run.manifest()["artifacts"],
        read_manifest(&second)["artifacts"]
    );
}

#[test]
fn newer_copy_waits_for_older_one() {
    // The older copy's files are large, so its write is still running when the newer copy
    // is planned into the same folder.
    let temp = tempfile::tempdir().expect("temp dir");
    let older = conversation(
        "c1",
        "2025-01-01T00:00:00Z",
        &contents("older", 12, 1_000_000),
    );
    let newer = conversation("c1", "2025-02-01T00:00:00Z", &contents("newer", 12, 100));
    let first = write_export(temp.path(), "first.json", &[older]);
    let second = write_export(temp.path(), "second.json", &[newer]);

    let run = extract_ok(&[first, second], &["--json"]);
    let entries = run.entries();
    assert_eq!(entries.len(), 12);
    for (index, entry) in entries.iter().enumerate() {
        let path = entry["path"].as_str().expect("a path");
        assert!(!path.contains("(artifactor"), "{path}");
        assert_eq!(run.read(path), contents("newer", 12, 100)[index], "{path}");
    }
    assert_eq!(run.files().len(), 12, "{:?}", run.files());
    assert_manifest_matches_disk(&run.out, false);
}
