//! Every input form that `artifactor extract` recognises by its content: the export zip, an
//! unpacked export folder, the 2026 manifest export (folder, manifest file or one archive),
//! a `conversations.json` array, a single conversation object and a share snapshot.

mod common;

use std::fs;

use pretty_assertions::assert_eq;

use common::{extract_ok, fixture, folder, repo_path, sample_export};

const PART_ZERO: &str = "2026-01-01 Manifest export part 0 (d0d0d0d0)/Part zero.py";
const PART_ONE: &str = "2026-01-01 Manifest export part 1 (d1d1d1d1)/Part one.ts";

#[test]
fn zip_export() {
    let run = extract_ok(&[sample_export()], &[]);

    assert_eq!(
        run.read(&format!("{}/index.html", common::sample::BAKERY_FOLDER)),
        common::sample::BAKERY_HTML,
        "an artifact from the zip export"
    );
}

#[test]
fn unpacked_export_folder() {
    let run = extract_ok(&[fixture("export-unpacked")], &[]);

    assert_eq!(
        run.files(),
        vec!["2025-09-09 Unpacked export (e0e0e0e0)/Readme.md"],
        "files from the unpacked export"
    );
    assert_eq!(
        run.content_of("readme"),
        "# Unpacked\n\nRead from a folder.\n",
        "content"
    );
}

#[test]
fn folder_with_only_conversations_json() {
    let temp = tempfile::tempdir().expect("create a temporary folder");
    let input = temp.path().join("export");
    fs::create_dir(&input).expect("create the input folder");
    fs::copy(
        repo_path("assets/sample/conversations.json"),
        input.join("conversations.json"),
    )
    .expect("copy conversations.json");

    let run = extract_ok(&[input], &[]);

    assert_eq!(
        run.entries().len(),
        common::sample::ARTIFACTS.len(),
        "artifacts from a folder holding only conversations.json"
    );
}

#[test]
fn export_2026_folder() {
    let run = extract_ok(&[fixture("export-2026")], &[]);

    assert_eq!(
        run.files(),
        vec![PART_ZERO, PART_ONE],
        "files from both conversation archives named by the manifest"
    );
    assert_eq!(run.read(PART_ZERO), "print(0)\n", "part 0 content");
    assert_eq!(
        run.read(PART_ONE),
        "export const part = 1;\n",
        "part 1 content"
    );
}

#[test]
fn export_2026_manifest_file() {
    let run = extract_ok(&[fixture("export-2026/manifest-2026-01-01.json")], &[]);

    assert_eq!(
        run.files(),
        vec![PART_ZERO, PART_ONE],
        "files from the archives that the manifest names"
    );
}

#[test]
fn export_2026_one_archive() {
    let run = extract_ok(&[fixture("export-2026/conversations-000.zip")], &[]);

    assert_eq!(
        run.files(),
        vec![PART_ZERO],
        "files from conversations-000.zip alone"
    );
}

#[test]
fn conversations_array() {
    let run = extract_ok(&[fixture("array.json")], &[]);

    assert_eq!(
        run.files(),
        vec![
            "2025-03-05 Array form (a1a1a1a1)/Hello.py",
            "2025-03-06 Offset timestamp (a2a2a2a2)/Notes.md",
            "2025-03-07 Short timestamp (a3a3a3a3)/Short.py",
        ],
        "files from a conversations.json array"
    );
    assert_eq!(
        run.content_of("hello"),
        "print(\"hello\")\n",
        "tool artifact"
    );
    assert_eq!(
        run.content_of("notes"),
        "# Notes\n\n- first\n- second",
        "tag artifact"
    );
}

#[test]
fn single_conversation_object() {
    let run = extract_ok(&[fixture("web-conversation.json")], &[]);
    let chat = folder(Some("2025-07-01"), "Web app conversation", "b1b1b1b1");

    assert_eq!(
        run.files(),
        vec![format!("{chat}/Greeting.py"), format!("{chat}/report.md")],
        "files from a conversation object of the web app"
    );
    assert_eq!(
        run.read(&format!("{chat}/report.md")),
        "# Report\n\nSaved from the web app.\n",
        "file with a code_block display_content"
    );
}

#[test]
fn current_leaf_chooses_branch() {
    let run = extract_ok(&[fixture("web-conversation.json")], &[]);

    assert_eq!(
        run.content_of("greeting"),
        "print('from the branch the user saw')\n",
        "current_leaf_message_uuid names the older response, so its version wins over the newer one"
    );
}

#[test]
fn share_snapshot() {
    let run = extract_ok(&[fixture("share-snapshot.json")], &[]);
    let path = "2025-08-15 Shared snapshot (c1c1c1c1)/Monthly report.sql";

    assert_eq!(
        run.files(),
        vec![path],
        "files from a share snapshot, named by snapshot_name"
    );
    assert_eq!(
        run.read(path),
        "SELECT month, SUM(total) AS total\nFROM sales\nGROUP BY month\nORDER BY month;\n",
        "the rewrite at index 3 comes after the create at index 1, whatever the array order"
    );
    assert_eq!(run.entry("monthly-report")["versions"], 2, "versions");
}

#[test]
fn several_inputs_at_once() {
    let run = extract_ok(
        &[fixture("array.json"), fixture("share-snapshot.json")],
        &[],
    );

    assert_eq!(
        run.entries().len(),
        4,
        "artifacts from both inputs: {:?}",
        run.artifact_ids()
    );
    assert_eq!(
        run.manifest()["inputs"].as_array().map(Vec::len),
        Some(2),
        "manifest inputs"
    );
}

#[test]
fn detection_ignores_file_names() {
    let temp = tempfile::tempdir().expect("create a temporary folder");
    let archive = temp.path().join("download.bin");
    let array = temp.path().join("export.data");
    fs::copy(sample_export(), &archive).expect("copy the sample export");
    fs::copy(fixture("array.json"), &array).expect("copy array.json");

    let run = extract_ok(&[archive, array], &[]);

    assert_eq!(
        run.entries().len(),
        common::sample::ARTIFACTS.len() + 3,
        "artifacts of a zip and an array under other names: {:?}",
        run.artifact_ids()
    );
}

#[test]
fn stdin_given_twice_is_usage_error() {
    let temp = tempfile::tempdir().expect("temp dir");
    let output = common::artifactor()
        .args(["extract", "-", "-", "--out"])
        .arg(temp.path().join("out"))
        .write_stdin("```python\nprint(1)\n```\n")
        .output()
        .expect("run artifactor");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("standard input can be read once"),
        "{stderr}"
    );
    assert!(!temp.path().join("out").exists());
}

#[test]
fn skipped_values_count_as_warnings() {
    let temp = tempfile::tempdir().expect("temp dir");
    let input = temp.path().join("junk.json");
    std::fs::write(&input, r#"[1, "x", {}, null]"#).expect("write input");
    let output = common::extract_into(&[input], &temp.path().join("out"), &["--json"]);
    assert_eq!(output.status.code(), Some(0));
    let summary: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("summary is JSON");
    assert_eq!(summary["warnings"], 1);
    assert_eq!(
        summary["warning_messages"].as_array().map(Vec::len),
        Some(1)
    );
}

#[test]
fn empty_object_on_stdin_is_not_an_export() {
    let temp = tempfile::tempdir().expect("temp dir");
    let output = common::artifactor()
        .args(["extract", "-", "--out"])
        .arg(temp.path().join("out"))
        .write_stdin("{}")
        .output()
        .expect("run artifactor");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("is not a Claude export"), "{stderr}");
}

#[test]
fn zip_on_stdin_asks_for_its_path() {
    let temp = tempfile::tempdir().expect("temp dir");
    let archive = fs::read(sample_export()).expect("read the sample export");
    let output = common::artifactor()
        .args(["extract", "-", "--out"])
        .arg(temp.path().join("out"))
        .write_stdin(archive)
        .output()
        .expect("run artifactor");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("standard input is a zip archive"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Pass the archive's path instead"),
        "{stderr}"
    );
}
