//! `artifactor extract` on the sample export: the files it writes, the manifest, the `--json`
//! summary, the output options, and runs into a folder that already contains output.

mod common;

use std::fs;
use std::thread;
use std::time::{Duration, SystemTime};

use pretty_assertions::assert_eq;

use common::sample::{self, ARTIFACT_IDS, ARTIFACTS};
use common::{
    artifactor, assert_manifest_matches_disk, extract_into, extract_ok, is_rfc3339, list_files,
    read_manifest, sample_export,
};

#[test]
fn sample_writes_every_artifact() {
    let run = extract_ok(&[sample_export()], &[]);

    let expected: Vec<String> = {
        let mut paths: Vec<String> = ARTIFACTS.iter().map(|(path, _)| path.to_string()).collect();
        paths.sort();
        paths
    };
    assert_eq!(run.files(), expected, "files written for the sample export");
}

#[test]
fn sample_contents_match_byte_for_byte() {
    let run = extract_ok(&[sample_export()], &[]);

    for (path, content) in ARTIFACTS {
        assert_eq!(&run.read(path), content, "content of {path}");
    }
}

#[test]
fn sample_manifest_lists_every_artifact() {
    let run = extract_ok(&[sample_export()], &[]);

    assert_eq!(
        run.entries().len(),
        ARTIFACTS.len(),
        "manifest entries for the sample, ids: {:?}",
        run.artifact_ids()
    );
    for id in ARTIFACT_IDS {
        assert_eq!(
            run.entries_with_id(id).len(),
            1,
            "manifest entries with artifact_id {id:?}"
        );
    }
}

#[test]
fn manifest_matches_files_on_disk() {
    let run = extract_ok(&[sample_export()], &[]);

    assert_manifest_matches_disk(&run.out, false);
}

#[test]
fn manifest_top_level_fields() {
    let run = extract_ok(&[sample_export()], &[]);
    let manifest = run.manifest();

    assert_eq!(
        manifest["artifactor_version"].as_str(),
        Some(env!("CARGO_PKG_VERSION")),
        "artifactor_version in {manifest:#}"
    );
    let created_at = manifest["created_at"].as_str().unwrap_or_default();
    assert!(
        is_rfc3339(created_at),
        "created_at {created_at:?} is not RFC 3339"
    );
    assert_eq!(
        manifest["inputs"].as_array().map(Vec::len),
        Some(1),
        "inputs for one input path: {}",
        manifest["inputs"]
    );
}

#[test]
fn manifest_entry_fields() {
    let run = extract_ok(&[sample_export()], &[]);
    let entry = run.entry("csv-cleaner");

    assert_eq!(
        entry["conversation_uuid"], "5b1e8a3c-2f47-4d1e-9a6b-7c0d3e8f1a24",
        "conversation_uuid"
    );
    assert_eq!(
        entry["conversation_name"], "CSV cleanup script",
        "conversation_name"
    );
    assert_eq!(entry["title"], "CSV Cleaner", "title");
    assert_eq!(entry["type"], "application/vnd.ant.code", "type");
    assert_eq!(entry["language"], "python", "language");
    assert_eq!(
        entry["versions"], 2,
        "versions: two tags with one identifier"
    );
    assert_eq!(
        entry["path"],
        format!("{}/CSV Cleaner.py", sample::CSV_FOLDER),
        "path"
    );
    assert_eq!(
        entry["bytes"].as_u64(),
        Some(sample::CSV_CLEANER_V2.len() as u64),
        "bytes"
    );
    assert_eq!(
        entry["warnings"].as_array().map(Vec::len),
        Some(0),
        "warnings of an artifact rebuilt without problems: {}",
        entry["warnings"]
    );
}

#[test]
fn manifest_keeps_empty_conversation_name() {
    let run = extract_ok(&[sample_export()], &[]);
    let entry = run.entry("inkwell-logo");

    assert_eq!(
        entry["conversation_name"], "",
        "conversation_name of a conversation named \"\""
    );
}

#[test]
fn manifest_language_null_without_language() {
    let run = extract_ok(&[sample_export()], &[]);
    let entry = run.entry("library-er");

    assert_eq!(
        entry["language"],
        serde_json::Value::Null,
        "language of a Mermaid artifact"
    );
    assert_eq!(entry["type"], "application/vnd.ant.mermaid", "type");
}

#[test]
fn json_summary_parses() {
    let run = extract_ok(&[sample_export()], &["--json"]);
    let summary = run.summary();

    assert!(summary.is_object(), "--json prints an object: {summary}");
    assert_eq!(
        summary["artifacts"].as_u64(),
        Some(run.entries().len() as u64),
        "`artifacts` of the summary against the manifest: {summary:#}"
    );
}

#[test]
fn verbose_and_force_accepted() {
    let run = extract_ok(&[sample_export()], &["--verbose", "--force"]);

    assert_eq!(
        run.entries().len(),
        ARTIFACTS.len(),
        "manifest entries with --verbose --force"
    );
}

#[test]
fn out_defaults_to_artifacts() {
    let temp = tempfile::tempdir().expect("create a temporary folder");

    let output = artifactor()
        .current_dir(temp.path())
        .arg("extract")
        .arg(sample_export())
        .output()
        .expect("start the artifactor binary");

    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        temp.path().join("artifacts/manifest.json").is_file(),
        "no artifacts/manifest.json in the working folder; files: {:?}",
        list_files(temp.path())
    );
}

#[test]
fn all_versions_writes_earlier_versions() {
    let run = extract_ok(&[sample_export()], &["--all-versions"]);
    let dashboard = sample::DASHBOARD_FOLDER;

    assert_eq!(
        run.read(&format!("{}/CSV Cleaner.v1.py", sample::CSV_FOLDER)),
        sample::CSV_CLEANER_V1,
        "first tag version"
    );
    assert_eq!(
        run.read(&format!("{dashboard}/Панель продаж.v1.jsx")),
        sample::DASHBOARD_V1,
        "dashboard as created"
    );
    assert_eq!(
        run.read(&format!("{dashboard}/Панель продаж.v2.jsx")),
        sample::DASHBOARD_V2,
        "dashboard after the first update"
    );
    assert_eq!(
        run.read(&format!("{}/Library schema.v1.sql", sample::LIBRARY_FOLDER)),
        sample::LIBRARY_SCHEMA_V1,
        "schema before the rewrite"
    );
    assert_eq!(
        run.read(&format!("{}/deploy.v1.sh", sample::DEPLOY_FOLDER)),
        sample::DEPLOY_SCRIPT_V1,
        "deploy.sh before str_replace"
    );
}

#[test]
fn all_versions_keeps_final_names() {
    let run = extract_ok(&[sample_export()], &["--all-versions"]);

    for (path, content) in ARTIFACTS {
        assert_eq!(&run.read(path), content, "final version at {path}");
    }
    assert_manifest_matches_disk(&run.out, true);
}

#[test]
fn all_versions_skips_single_versions() {
    let run = extract_ok(&[sample_export()], &["--all-versions"]);
    let logo_v1 = format!("{}/Logo mark.v1.svg", sample::LOGO_FOLDER);

    assert!(
        !run.has_file(&logo_v1),
        "an artifact with one version needs no {logo_v1:?}"
    );
}

#[test]
fn rerun_rewrites_nothing() {
    let run = extract_ok(&[sample_export()], &[]);
    let before = modification_times(&run.out);
    // Longer than the timestamp granularity of common file systems, so a rewrite shows.
    thread::sleep(Duration::from_millis(1100));

    let second = extract_into(&[sample_export()], &run.out, &[]);

    assert_eq!(
        second.status.code(),
        Some(0),
        "second run into the same folder; stderr:\n{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert_eq!(
        modification_times(&run.out),
        before,
        "artifact files rewritten by a second run with the same input"
    );
}

#[test]
fn rerun_keeps_manifest_consistent() {
    let run = extract_ok(&[sample_export()], &[]);
    let first = run.entries();

    let second = extract_into(&[sample_export()], &run.out, &[]);

    assert_eq!(second.status.code(), Some(0), "second run exit status");
    assert_eq!(
        run.entries(),
        first,
        "manifest entries after a second identical run"
    );
    assert_manifest_matches_disk(&run.out, false);
}

#[test]
fn rerun_restores_edited_file() {
    let run = extract_ok(&[sample_export()], &[]);
    let (path, content) = ARTIFACTS[0];
    fs::write(run.out.join(path), "edited by hand\n").expect("overwrite an artifact");

    let second = extract_into(&[sample_export()], &run.out, &["--force"]);

    assert_eq!(second.status.code(), Some(0), "second run exit status");
    assert_eq!(
        run.read(path),
        content,
        "content after a second run with --force"
    );
}

#[test]
fn no_temporary_files_left() {
    let run = extract_ok(&[sample_export()], &["--all-versions"]);
    let second = extract_into(&[sample_export()], &run.out, &[]);
    assert_eq!(second.status.code(), Some(0), "second run exit status");

    for path in list_files(&run.out) {
        let name = path.rsplit('/').next().unwrap_or_default();
        assert!(
            !name.contains(".tmp") && !name.starts_with(".artifactor"),
            "temporary file left behind: {path:?}"
        );
    }
}

#[test]
fn unwritable_artifact_exits_one() {
    let run = extract_ok(&[sample_export()], &[]);
    let (blocked, _) = ARTIFACTS[0];
    // A non-empty folder where the artifact file belongs cannot be replaced by a file.
    let blocked_path = run.out.join(blocked);
    fs::remove_file(&blocked_path).expect("remove an artifact file");
    fs::create_dir(&blocked_path).expect("create a folder in its place");
    fs::write(blocked_path.join("keep.txt"), "user data\n").expect("write into that folder");

    let second = extract_into(&[sample_export()], &run.out, &[]);

    assert_eq!(
        second.status.code(),
        Some(1),
        "exit status when one artifact cannot be written; stderr:\n{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert_eq!(
        fs::read_to_string(blocked_path.join("keep.txt"))
            .ok()
            .as_deref(),
        Some("user data\n"),
        "the folder in the artifact's place must be left as it was"
    );
    let (other_path, other_content) = ARTIFACTS[3];
    assert_eq!(
        run.read(other_path),
        other_content,
        "other artifacts are still written"
    );
}

#[test]
fn unrelated_files_left_alone() {
    let temp = tempfile::tempdir().expect("create a temporary folder");
    let out = temp.path().join("out");
    fs::create_dir(&out).expect("create the output folder");
    fs::write(out.join("notes.txt"), "mine\n").expect("write a file of the user");

    let output = extract_into(&[sample_export()], &out, &[]);

    assert_eq!(
        output.status.code(),
        Some(0),
        "extract into a folder that contains other files; stderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        fs::read_to_string(out.join("notes.txt")).ok().as_deref(),
        Some("mine\n"),
        "a file that artifactor did not write must be kept"
    );
    assert_eq!(
        common::manifest_entries(&read_manifest(&out)).len(),
        ARTIFACTS.len(),
        "manifest entries"
    );
}

/// Returns the modification time of every artifact file below `out`. `manifest.json` is
/// left out because its `created_at` changes on every run.
fn modification_times(out: &std::path::Path) -> Vec<(String, SystemTime)> {
    list_files(out)
        .into_iter()
        .filter(|path| path != "manifest.json")
        .map(|path| {
            let modified = fs::metadata(out.join(&path))
                .and_then(|metadata| metadata.modified())
                .expect("read a modification time");
            (path, modified)
        })
        .collect()
}
