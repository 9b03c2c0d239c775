//! Helpers for the tests that break or interrupt runs of the binary: generated exports,
//! runs into a folder, and checks of what an output folder contains afterwards.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use super::{list_files, read_manifest, sha256_hex};

/// Bytes of each large artifact. Every one differs, so none is skipped as unchanged.
pub const LARGE_ARTIFACT_BYTES: usize = 1_000_000;

/// The content of the foreign file that every case puts in the output folder first.
pub const FOREIGN_CONTENT: &str = "notes the user keeps beside the artifacts\n";
pub const FOREIGN_FILE: &str = "my notes.txt";

/// Returns `length` bytes of printable text that differ for each `seed`.
pub fn filler_text(seed: u64, length: usize) -> String {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut text = String::with_capacity(length);
    while text.len() < length {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let letter = b'a' + (state % 26) as u8;
        text.push(if state.is_multiple_of(61) {
            '\n'
        } else {
            letter as char
        });
    }
    text
}

/// Builds a conversation whose one assistant message creates one Markdown artifact per
/// content, titled `Part N`.
pub fn conversation(uuid: &str, name: &str, contents: &[String]) -> Value {
    let calls: Vec<Value> = contents
        .iter()
        .enumerate()
        .map(|(index, content)| {
            json!({"type": "tool_use", "name": "artifacts", "input": {
                "id": format!("part-{index}"), "command": "create", "type": "text/markdown",
                "title": format!("Part {index}"), "content": content}})
        })
        .collect();
    json!({
        "uuid": uuid, "name": name, "created_at": "2025-01-01T00:00:00Z",
        "updated_at": "2025-01-01T00:00:00Z",
        "chat_messages": [{"uuid": format!("{uuid}-m"), "sender": "assistant", "content": calls}]
    })
}

/// Writes `conversations` as a `conversations.json` array at `path`.
pub fn write_export(path: &Path, conversations: &[Value]) -> PathBuf {
    fs::write(path, serde_json::to_vec(conversations).expect("serialize")).expect("write input");
    path.to_owned()
}

/// Returns a small conversation with three short artifacts.
pub fn small_conversation() -> Value {
    let contents: Vec<String> = (0..3).map(|seed| filler_text(seed, 2_000)).collect();
    conversation("00000000-small", "Small", &contents)
}

/// Returns a conversation with `count` large artifacts.
pub fn large_conversation(count: usize) -> Value {
    let contents: Vec<String> = (0..count)
        .map(|seed| filler_text(1_000 + seed as u64, LARGE_ARTIFACT_BYTES))
        .collect();
    conversation("11111111-large", "Large", &contents)
}

/// Returns a conversation with `count` one-line artifacts, which use up inodes rather than
/// bytes.
pub fn many_small_conversation(count: usize) -> Value {
    let contents: Vec<String> = (0..count).map(|index| format!("line {index}\n")).collect();
    conversation("22222222-many", "Many", &contents)
}

/// Returns the path of the `artifactor` binary that Cargo built for these tests.
pub fn binary() -> PathBuf {
    PathBuf::from(super::artifactor().get_program())
}

/// Returns every file below `root` with its bytes.
pub fn contents(root: &Path) -> BTreeMap<String, Vec<u8>> {
    list_files(root)
        .into_iter()
        .map(|path| {
            let bytes = fs::read(root.join(&path)).expect("read a file");
            (path, bytes)
        })
        .collect()
}

/// Returns [`contents`] with `manifest.json`'s `created_at` blanked, which differs between
/// any two runs.
pub fn comparable_contents(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = contents(root);
    if let Some(manifest) = files.get_mut("manifest.json") {
        let mut parsed: Value = serde_json::from_slice(manifest).expect("manifest is JSON");
        parsed["created_at"] = Value::Null;
        *manifest = serde_json::to_vec(&parsed).expect("serialize");
    }
    files
}

/// Returns whether `path` names one of artifactor's temporary files.
pub fn is_temporary(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.starts_with(".artifactor-") && name.ends_with(".tmp")
}

/// Checks the state that every fault must leave, and returns the paths the manifest lists.
///
/// No temporary file remains. Every file of `before` is still there, byte for byte. When
/// there is a manifest, each entry names a file whose size and SHA-256 match. Each file in
/// the folder is listed, equal to its copy in `untracked_allowed`, or unchanged from `before`.
pub fn assert_consistent(
    out: &Path,
    before: &BTreeMap<String, Vec<u8>>,
    untracked_allowed: &BTreeMap<String, Vec<u8>>,
) -> BTreeSet<String> {
    let temporary: Vec<String> = list_files(out)
        .into_iter()
        .filter(|path| is_temporary(path))
        .collect();
    assert!(
        temporary.is_empty(),
        "temporary files left behind: {temporary:?}"
    );
    assert_complete(out, before, untracked_allowed)
}

/// Checks what [`assert_consistent`] checks, except that temporary files may remain, as
/// after `kill -9`. They are never taken for complete files because of their names.
pub fn assert_complete(
    out: &Path,
    before: &BTreeMap<String, Vec<u8>>,
    untracked_allowed: &BTreeMap<String, Vec<u8>>,
) -> BTreeSet<String> {
    let mut now = contents(out);
    now.retain(|path, _| !is_temporary(path));

    for (path, bytes) in before {
        if path == "manifest.json" {
            continue;
        }
        assert!(
            now.get(path) == Some(bytes),
            "{path} was in the folder before the run and changed or disappeared"
        );
    }

    let mut listed = BTreeSet::new();
    if now.contains_key("manifest.json") {
        for entry in super::manifest_entries(&read_manifest(out)) {
            let path = entry["path"].as_str().expect("entry path").to_owned();
            let bytes = now
                .get(&path)
                .unwrap_or_else(|| panic!("the manifest lists {path}, which is missing"));
            assert_eq!(
                entry["bytes"].as_u64(),
                Some(bytes.len() as u64),
                "{path} is not complete: its size differs from the manifest"
            );
            assert_eq!(
                entry["sha256"].as_str(),
                Some(sha256_hex(bytes).as_str()),
                "{path} does not match its SHA-256 in the manifest"
            );
            listed.insert(path);
        }
    }
    for (path, bytes) in &now {
        if path == "manifest.json" || listed.contains(path) {
            continue;
        }
        let kept = before.get(path) == Some(bytes);
        let allowed = untracked_allowed.get(path) == Some(bytes);
        assert!(
            kept || allowed,
            "{path} is in the folder but not in the manifest, and is not a complete artifact \
             ({} bytes)",
            bytes.len()
        );
    }
    listed
}

/// Runs the binary once, cleanly, and returns what it wrote: the reference that a faulty run
/// is compared with.
pub fn clean_run(temp: &Path, name: &str, inputs: &[&Path]) -> PathBuf {
    let out = temp.join(name);
    fs::create_dir_all(&out).expect("create the folder");
    fs::write(out.join(FOREIGN_FILE), FOREIGN_CONTENT).expect("write the foreign file");
    let output = Command::new(binary())
        .env("ARTIFACTOR_CONFIG_DIR", temp.join("no-config"))
        .env("ARTIFACTOR_DATA_DIR", super::test_data_dir())
        .env_remove("HEADLESS")
        .arg("extract")
        .args(inputs)
        .arg("--out")
        .arg(&out)
        .stdin(Stdio::null())
        .output()
        .expect("run artifactor");
    assert!(
        output.status.success(),
        "the clean run failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

/// Writes an export with `first`, then `copies` copies of the bundled sample, each with its
/// own uuids, so that a run takes long enough to be killed or overlapped.
pub fn write_sample_copies(path: &Path, first: Vec<Value>, copies: usize) -> PathBuf {
    let sample: Value = serde_json::from_str(
        &fs::read_to_string(super::repo_path("assets/sample/conversations.json"))
            .expect("read the sample"),
    )
    .expect("the sample is JSON");
    let copies = (0..copies).flat_map(|copy| {
        sample
            .as_array()
            .expect("an array")
            .iter()
            .map(move |conversation| {
                let mut conversation = conversation.clone();
                let uuid = conversation["uuid"].as_str().unwrap_or_default().to_owned();
                conversation["uuid"] = Value::String(format!("{copy:04}{uuid}"));
                conversation
            })
    });
    let conversations: Vec<Value> = first.into_iter().chain(copies).collect();
    write_export(path, &conversations)
}

/// Starts `artifactor extract INPUT --out OUT` without waiting for it. Its stderr goes to
/// `stderr`, because a pipe that is never read would block a run with many warnings once it
/// is full.
pub fn spawn_extract(temp: &Path, input: &Path, out: &Path, stderr: Stdio) -> std::process::Child {
    Command::new(binary())
        .env("ARTIFACTOR_CONFIG_DIR", temp.join("no-config"))
        .env("ARTIFACTOR_DATA_DIR", super::test_data_dir())
        .env_remove("HEADLESS")
        .arg("extract")
        .arg(input)
        .arg("--out")
        .arg(out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("start artifactor")
}
