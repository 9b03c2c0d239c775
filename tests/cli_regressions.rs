//! Regression tests for problems found by trying the command line on hand-made inputs.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{extract_into, extract_ok, fixture, run_extract};
use serde_json::{Value, json};

/// Writes `conversations` as a conversations.json array into `dir` under `name`.
fn write_export(dir: &Path, name: &str, conversations: &Value) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, serde_json::to_vec(conversations).expect("serialize")).expect("write");
    path
}

/// Builds a conversation whose single assistant message makes the given tool calls.
fn conversation_with_calls(uuid: &str, updated_at: &str, calls: Vec<Value>) -> Value {
    json!({
        "uuid": uuid, "name": "Chat", "created_at": "2025-01-01T00:00:00Z",
        "updated_at": updated_at,
        "chat_messages": [{"uuid": format!("{uuid}-m"), "sender": "assistant", "content": calls}]
    })
}

fn create_file(path: &str, text: &str) -> Value {
    json!({"type": "tool_use", "name": "create_file", "input": {"path": path, "file_text": text}})
}

fn create_artifact(id: &str, title: &str, kind: &str, content: &str) -> Value {
    json!({"type": "tool_use", "name": "artifacts", "input": {
        "id": id, "command": "create", "type": kind, "title": title, "content": content}})
}

#[test]
fn flat_artifact_named_manifest_keeps_its_content() {
    let temp = tempfile::tempdir().expect("temp dir");
    let calls = vec![create_file(
        "/mnt/user-data/outputs/manifest.json",
        "{\"name\": \"ext\"}",
    )];
    let input = write_export(
        temp.path(),
        "in.json",
        &json!([conversation_with_calls("c1", "2025-01-01T00:00:00Z", calls)]),
    );
    let run = extract_ok(&[input], &["--layout", "flat"]);
    assert_eq!(run.read("manifest (2).json"), "{\"name\": \"ext\"}");
    assert!(run.manifest()["artifactor_version"].is_string());
}

#[test]
fn file_and_folder_names_coexist() {
    let temp = tempfile::tempdir().expect("temp dir");
    let calls = vec![
        create_file("/mnt/user-data/outputs/a", "file"),
        create_file("/mnt/user-data/outputs/a/b.md", "nested"),
    ];
    let input = write_export(
        temp.path(),
        "in.json",
        &json!([conversation_with_calls("c1", "2025-01-01T00:00:00Z", calls)]),
    );
    let run = extract_ok(std::slice::from_ref(&input), &["--layout", "flat"]);
    assert_eq!(run.files(), ["a", "b.md"]);

    let run = extract_ok(&[input], &[]);
    assert_eq!(
        run.files(),
        ["2025-01-01 Chat (c1)/a", "2025-01-01 Chat (c1)/a (2)/b.md"]
    );
}

#[test]
fn newer_copy_of_a_conversation_wins() {
    let temp = tempfile::tempdir().expect("temp dir");
    let old = conversation_with_calls(
        "c1",
        "2025-01-01T00:00:00Z",
        vec![create_artifact(
            "plan",
            "Plan",
            "text/markdown",
            "version one",
        )],
    );
    let new = conversation_with_calls(
        "c1",
        "2025-02-01T00:00:00Z",
        vec![create_artifact(
            "plan",
            "Plan",
            "text/markdown",
            "version TWO",
        )],
    );
    let old_input = write_export(temp.path(), "old.json", &json!([old]));
    let new_input = write_export(temp.path(), "new.json", &json!([new]));
    let run = extract_ok(&[old_input, new_input], &["--json"]);
    assert_eq!(run.content_of("plan"), "version TWO");
    assert_eq!(run.summary()["artifacts"], 1);
    assert_eq!(run.summary()["conversations"], 1);
}

/// Writes an older and a newer copy of one conversation whose artifact changed its title,
/// and returns their paths as (older, newer).
fn retitled_copies(dir: &Path) -> (PathBuf, PathBuf) {
    let old = conversation_with_calls(
        "c1",
        "2025-01-01T00:00:00Z",
        vec![
            create_artifact("tool", "Old Title", "application/vnd.ant.code", "print(1)"),
            create_artifact("notes", "Notes", "text/markdown", "same"),
        ],
    );
    let new = conversation_with_calls(
        "c1",
        "2025-02-01T00:00:00Z",
        vec![
            create_artifact("tool", "New Title", "application/vnd.ant.code", "print(2)"),
            create_artifact("notes", "Notes", "text/markdown", "same"),
        ],
    );
    let older = write_export(dir, "older.json", &json!([old]));
    let newer = write_export(dir, "newer.json", &json!([new]));
    (older, newer)
}

/// Checks that only the newer copy's files, entries and counts remain.
fn assert_only_newer_copy(run: &common::Run) {
    let folder = "2025-01-01 Chat (c1)";
    assert_eq!(
        run.files(),
        [
            format!("{folder}/New Title.txt"),
            format!("{folder}/Notes.md")
        ]
    );
    assert_eq!(run.entries().len(), 2);
    assert_eq!(run.entry("tool")["title"], "New Title");
    let summary = run.summary();
    assert_eq!(summary["files_written"], 2);
    assert_eq!(summary["files_unchanged"], 0);
    assert_eq!(summary["artifacts"], 2);
    assert_eq!(summary["warnings"], 1);
}

#[test]
fn newer_copy_removes_older_copy_files() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (older, newer) = retitled_copies(temp.path());
    let run = extract_ok(&[older, newer], &["--json"]);
    assert_only_newer_copy(&run);
}

/// Extracts `input` into `out` with `extra` options and panics with stderr unless it exits 0.
fn extract_into_ok(input: &Path, out: &Path, extra: &[&str]) {
    let output = extract_into(&[input.to_owned()], out, extra);
    assert!(
        output.status.success(),
        "extract {} failed: {}",
        input.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn later_run_removes_retitled_file() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (older, newer) = retitled_copies(temp.path());
    let out = temp.path().join("out");
    extract_into_ok(&older, &out, &[]);
    extract_into_ok(&newer, &out, &[]);

    let folder = "2025-01-01 Chat (c1)";
    assert_eq!(
        common::list_files(&out),
        [
            format!("{folder}/New Title.txt"),
            format!("{folder}/Notes.md"),
            "manifest.json".to_owned()
        ]
    );
    let entries = common::manifest_entries(&common::read_manifest(&out));
    let paths: Vec<&str> = entries
        .iter()
        .map(|entry| entry["path"].as_str().expect("a path"))
        .collect();
    assert_eq!(
        paths,
        [
            format!("{folder}/New Title.txt"),
            format!("{folder}/Notes.md")
        ]
    );
}

#[test]
fn later_run_removes_files_of_emptied_conversation() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (older, _) = retitled_copies(temp.path());
    let emptied = conversation_with_calls("c1", "2025-01-02T00:00:00Z", Vec::new());
    let emptied = write_export(temp.path(), "emptied.json", &json!([emptied]));
    let out = temp.path().join("out");
    extract_into_ok(&older, &out, &[]);
    extract_into_ok(&emptied, &out, &[]);

    assert_eq!(common::list_files(&out), ["manifest.json"]);
    let entries = common::manifest_entries(&common::read_manifest(&out));
    assert!(entries.is_empty(), "{entries:#?}");
}

#[test]
fn later_run_keeps_edited_earlier_file() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (older, newer) = retitled_copies(temp.path());
    let out = temp.path().join("out");
    extract_into_ok(&older, &out, &[]);
    let edited = out.join("2025-01-01 Chat (c1)/Old Title.txt");
    fs::write(&edited, "my own changes").expect("edit the file");
    extract_into_ok(&newer, &out, &[]);

    assert_eq!(
        fs::read_to_string(&edited).expect("the edited file stays"),
        "my own changes"
    );
    let entries = common::manifest_entries(&common::read_manifest(&out));
    assert_eq!(entries.len(), 2, "{entries:#?}");
}

#[test]
fn later_run_keeps_other_conversations() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (_, newer) = retitled_copies(temp.path());
    let other = conversation_with_calls(
        "c2",
        "2025-01-01T00:00:00Z",
        vec![create_artifact("other", "Other", "text/markdown", "kept")],
    );
    let other = write_export(temp.path(), "other.json", &json!([other]));
    let out = temp.path().join("out");
    extract_into_ok(&other, &out, &[]);
    extract_into_ok(&newer, &out, &[]);

    let other_file = "2025-01-01 Chat (c2)/Other.md";
    assert!(common::list_files(&out).contains(&other_file.to_owned()));
    let entries = common::manifest_entries(&common::read_manifest(&out));
    assert!(
        entries.iter().any(|entry| entry["path"] == other_file),
        "{entries:#?}"
    );
    assert_eq!(entries.len(), 3, "{entries:#?}");
}

#[test]
fn flat_rerun_keeps_other_conversation_file() {
    let temp = tempfile::tempdir().expect("temp dir");
    let first = conversation_with_calls(
        "c1",
        "2025-01-01T00:00:00Z",
        vec![create_artifact("notes", "Notes", "text/markdown", "ONE")],
    );
    let second = conversation_with_calls(
        "c2",
        "2025-01-01T00:00:00Z",
        vec![create_artifact("notes", "Notes", "text/markdown", "TWO")],
    );
    let both = write_export(temp.path(), "both.json", &json!([first, second.clone()]));
    let only_two = write_export(temp.path(), "two.json", &json!([second]));
    let out = temp.path().join("out");
    extract_into_ok(&both, &out, &["--layout", "flat"]);
    extract_into_ok(&only_two, &out, &["--layout", "flat"]);

    // The second run plans c2's file as Notes.md, which contains c1's artifact.
    assert_eq!(
        fs::read_to_string(out.join("Notes.md")).expect("c1's file stays"),
        "ONE"
    );
    let entries = common::manifest_entries(&common::read_manifest(&out));
    let two_paths: Vec<&str> = entries
        .iter()
        .filter(|entry| entry["conversation_uuid"] == "c2")
        .map(|entry| entry["path"].as_str().expect("a path"))
        .collect();
    assert_eq!(two_paths.len(), 1, "{entries:#?}");
    assert_eq!(
        fs::read_to_string(out.join(two_paths[0])).expect("c2's file"),
        "TWO"
    );
}

#[test]
fn older_copy_after_newer_is_skipped() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (older, newer) = retitled_copies(temp.path());
    let run = extract_ok(&[newer, older], &["--json"]);
    assert_only_newer_copy(&run);
}

#[test]
fn newer_copy_keeps_foreign_files() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (older, newer) = retitled_copies(temp.path());
    let out = temp.path().join("out");
    let folder = out.join("2025-01-01 Chat (c1)");
    fs::create_dir_all(&folder).expect("create folder");
    fs::write(folder.join("Old Title.txt"), "mine").expect("write foreign file");
    let output = extract_into(&[older, newer], &out, &[]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        fs::read_to_string(folder.join("Old Title.txt")).expect("foreign file"),
        "mine"
    );
    assert!(!folder.join("Old Title (artifactor).txt").exists());
    assert!(folder.join("New Title.txt").is_file());
}

#[test]
fn newer_copy_in_flat_layout_takes_same_names() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (older, newer) = retitled_copies(temp.path());
    let run = extract_ok(&[older, newer], &["--layout", "flat", "--json"]);
    assert_eq!(run.files(), ["New Title.txt", "Notes.md"]);
    assert_eq!(run.entries().len(), 2);
    assert_eq!(run.summary()["files_written"], 2);
}

#[test]
fn broken_input_does_not_stop_the_others() {
    let temp = tempfile::tempdir().expect("temp dir");
    let good = conversation_with_calls(
        "c2",
        "2025-01-01T00:00:00Z",
        vec![create_artifact("doc", "Doc", "text/markdown", "kept")],
    );
    let good_input = write_export(temp.path(), "good.json", &json!([good]));
    let run = run_extract(&[fixture("truncated.json"), good_input], &[]);
    assert_eq!(run.code(), 2, "stderr:\n{}", run.stderr());
    assert!(run.stderr().contains("truncated.json"), "{}", run.stderr());
    assert_eq!(run.content_of("doc"), "kept");
}

#[test]
fn values_that_are_not_conversations_are_reported() {
    let temp = tempfile::tempdir().expect("temp dir");
    let input = write_export(
        temp.path(),
        "odd.json",
        &json!([1, "x", null, {"foo": "bar"}]),
    );
    let run = run_extract(&[input], &[]);
    assert_eq!(run.code(), 0, "stderr:\n{}", run.stderr());
    assert!(
        run.stderr().contains("4 JSON values are not conversations"),
        "stderr:\n{}",
        run.stderr()
    );
}

#[test]
fn single_json_value_is_named_as_such() {
    let temp = tempfile::tempdir().expect("temp dir");
    let input = temp.path().join("number.json");
    fs::write(&input, "42").expect("write");
    let run = run_extract(&[input], &[]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("single JSON value"),
        "{}",
        run.stderr()
    );
}

#[test]
fn unchanged_rerun_keeps_the_manifest() {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("out");
    let sample = common::sample_export();
    let first = extract_into(std::slice::from_ref(&sample), &out, &[]);
    assert!(first.status.success());
    let manifest = out.join("manifest.json");
    let before = fs::read(&manifest).expect("manifest");
    let modified = fs::metadata(&manifest)
        .and_then(|m| m.modified())
        .expect("mtime");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = extract_into(&[sample], &out, &[]);
    assert!(second.status.success());
    assert_eq!(fs::read(&manifest).expect("manifest"), before);
    let after = fs::metadata(&manifest)
        .and_then(|m| m.modified())
        .expect("mtime");
    assert_eq!(after, modified);
}

#[cfg(target_os = "linux")]
#[test]
fn full_stdout_is_an_error() {
    let temp = tempfile::tempdir().expect("temp dir");
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("open /dev/full");
    let binary = common::artifactor().get_program().to_owned();
    let output = std::process::Command::new(binary)
        .env("ARTIFACTOR_CONFIG_DIR", temp.path().join("no-config"))
        .env("ARTIFACTOR_DATA_DIR", temp.path().join("data"))
        .arg("extract")
        .arg(common::sample_export())
        .arg("--out")
        .arg(temp.path().join("out"))
        .arg("--json")
        .stdout(full)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn failed_input_leaves_no_created_folders() {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("new/a/b");
    let output = extract_into(&[temp.path().join("missing.zip")], &out, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(!temp.path().join("new").exists());
}

#[test]
fn force_replaces_a_foreign_manifest() {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("out");
    fs::create_dir(&out).expect("mkdir");
    fs::write(out.join("manifest.json"), "{\"other\": true}").expect("write");
    let refused = extract_into(&[common::sample_export()], &out, &[]);
    assert_eq!(refused.status.code(), Some(1));
    let forced = extract_into(&[common::sample_export()], &out, &["--force"]);
    assert!(forced.status.success());
}

#[cfg(unix)]
#[test]
fn locked_output_folder_is_busy() {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("out");
    fs::create_dir(&out).expect("mkdir");
    // Stands in for another run that is writing into the folder.
    let holder = fs::File::open(&out).expect("open the folder");
    holder.try_lock().expect("lock the folder");
    let output = extract_into(&[common::sample_export()], &out, &[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("another artifactor run"), "{stderr}");
    assert!(!out.join("manifest.json").exists());
    drop(holder);
    let output = extract_into(&[common::sample_export()], &out, &[]);
    assert!(output.status.success());
}

/// Returns every file below `root` with its content, leaving out `manifest.json`'s
/// `created_at`, which differs between any two runs.
#[cfg(unix)]
fn snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
    common::list_files(root)
        .into_iter()
        .map(|path| {
            let content = fs::read(root.join(&path)).expect("read");
            let content = if path == "manifest.json" {
                let mut manifest: Value = serde_json::from_slice(&content).expect("manifest");
                manifest["created_at"] = Value::Null;
                serde_json::to_vec(&manifest).expect("serialize")
            } else {
                content
            };
            (path, content)
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn rerun_after_kill_matches_a_clean_run() {
    let temp = tempfile::tempdir().expect("temp dir");
    let one: Value = serde_json::from_str::<Value>(
        &fs::read_to_string(common::repo_path("assets/sample/conversations.json")).expect("sample"),
    )
    .expect("valid");
    // Many copies with distinct uuids, so the run takes long enough to be killed midway.
    let many: Vec<Value> = (0..400)
        .flat_map(|copy| {
            one.as_array()
                .expect("an array")
                .iter()
                .map(move |conversation| {
                    let mut conversation = conversation.clone();
                    let uuid = conversation["uuid"].as_str().unwrap_or_default().to_owned();
                    conversation["uuid"] = Value::String(format!("{copy:04}{uuid}"));
                    conversation
                })
        })
        .collect();
    let input = write_export(temp.path(), "many.json", &Value::Array(many));

    let clean = temp.path().join("clean");
    assert!(
        extract_into(std::slice::from_ref(&input), &clean, &[])
            .status
            .success()
    );

    let killed = temp.path().join("killed");
    let binary = common::artifactor().get_program().to_owned();
    let mut child = std::process::Command::new(binary)
        .env("ARTIFACTOR_CONFIG_DIR", temp.path().join("no-config"))
        .env("ARTIFACTOR_DATA_DIR", temp.path().join("data"))
        .arg("extract")
        .arg(&input)
        .arg("--out")
        .arg(&killed)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start artifactor");
    std::thread::sleep(std::time::Duration::from_millis(150));
    child.kill().expect("kill -9");
    child.wait().expect("wait");

    assert!(extract_into(&[input], &killed, &[]).status.success());
    let leftovers: Vec<String> = common::list_files(&killed)
        .into_iter()
        .filter(|path| path.contains(".artifactor-"))
        .collect();
    assert_eq!(leftovers, Vec::<String>::new());
    assert!(
        snapshot(&killed) == snapshot(&clean),
        "the rerun differs from a clean run"
    );
}

#[test]
fn foreign_file_keeps_its_place() {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("out");
    let folder = out.join("2024-06-14 CSV cleanup script (5b1e8a3c)");
    fs::create_dir_all(&folder).expect("mkdir");
    fs::write(folder.join("CSV Cleaner.py"), "my own edits").expect("write");

    for run in 0..2 {
        let output = extract_into(&[common::sample_export()], &out, &[]);
        assert!(output.status.success(), "run {run} failed");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("saved as"), "run {run}: {stderr}");
        assert!(
            stderr.contains("or was changed since it was written"),
            "run {run}: {stderr}"
        );
    }
    let mine = fs::read_to_string(folder.join("CSV Cleaner.py")).expect("read");
    assert_eq!(mine, "my own edits");
    assert!(folder.join("CSV Cleaner (artifactor).py").is_file());
    let manifest = common::read_manifest(&out);
    for entry in common::manifest_entries(&manifest) {
        let path = entry["path"].as_str().expect("a path");
        let content = fs::read(out.join(path)).expect("a listed file");
        assert_eq!(entry["sha256"], common::sha256_hex(&content), "{path}");
    }
    let listed_mine = common::manifest_entries(&manifest)
        .iter()
        .any(|entry| entry["path"] == "2024-06-14 CSV cleanup script (5b1e8a3c)/CSV Cleaner.py");
    assert!(!listed_mine, "the user's own file must not be listed");
}

#[test]
fn settings_file_sets_extract_defaults() {
    let temp = tempfile::tempdir().expect("temp dir");
    let config = temp.path().join("config");
    fs::create_dir(&config).expect("mkdir");
    let out = temp.path().join("from-settings");
    let settings = format!(
        "output_folder = {:?}\nlayout = \"flat\"\nall_versions = true\n",
        out.display().to_string()
    );
    fs::write(config.join("settings.toml"), settings).expect("write settings");

    let output = common::artifactor()
        .env("ARTIFACTOR_CONFIG_DIR", &config)
        .current_dir(temp.path())
        .arg("extract")
        .arg(common::sample_export())
        .output()
        .expect("run");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        out.join("manifest.json").is_file(),
        "the settings' folder is used"
    );
    assert!(
        out.join("CSV Cleaner.v1.py").is_file(),
        "flat layout with all versions"
    );

    let path = common::artifactor()
        .env("ARTIFACTOR_CONFIG_DIR", &config)
        .args(["config", "path"])
        .output()
        .expect("run");
    let printed = String::from_utf8_lossy(&path.stdout);
    assert_eq!(
        printed.trim(),
        config.join("settings.toml").display().to_string()
    );
}

#[test]
fn tilde_in_output_folder_means_home() {
    let temp = tempfile::tempdir().expect("temp dir");
    let home = temp.path().join("home");
    let config = temp.path().join("config");
    let work = temp.path().join("work");
    for folder in [&home, &config, &work] {
        fs::create_dir(folder).expect("mkdir");
    }
    fs::write(
        config.join("settings.toml"),
        "output_folder = \"~/from-settings\"\n",
    )
    .expect("write settings");
    let run = |extra: &[&str]| {
        let output = common::artifactor()
            .env("ARTIFACTOR_CONFIG_DIR", &config)
            .env("HOME", &home)
            .current_dir(&work)
            .arg("extract")
            .arg(common::sample_export())
            .args(extra)
            .output()
            .expect("run");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    run(&[]);
    assert!(home.join("from-settings/manifest.json").is_file());
    run(&["--out=~/from-flag"]);
    assert!(home.join("from-flag/manifest.json").is_file());
    assert!(!work.join("~").exists());
}

#[test]
fn doctor_reports_extract_output_folder() {
    let temp = tempfile::tempdir().expect("temp dir");
    let config = temp.path().join("config");
    fs::create_dir(&config).expect("mkdir");
    let doctor = |extra: &[&str]| {
        let output = common::artifactor()
            .env("ARTIFACTOR_CONFIG_DIR", &config)
            .current_dir(temp.path())
            .arg("doctor")
            .args(extra)
            .output()
            .expect("run doctor");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let report = doctor(&[]);
    assert!(
        report.contains("output folder: artifacts (the default)"),
        "{report}"
    );

    let out = temp.path().join("from-settings");
    let settings = format!("output_folder = {:?}\n", out.display().to_string());
    fs::write(config.join("settings.toml"), settings).expect("write settings");
    let report = doctor(&[]);
    let expected = format!("output folder: {} (from the settings file)", out.display());
    assert!(report.contains(&expected), "{report}");

    let report = doctor(&["--out", "elsewhere"]);
    assert!(
        report.contains("output folder: elsewhere (from --out)"),
        "{report}"
    );
}

#[test]
fn config_show_reports_invalid_setting() {
    let temp = tempfile::tempdir().expect("temp dir");
    let config = temp.path().join("config");
    fs::create_dir(&config).expect("mkdir");
    let run = |args: &[&str]| {
        common::artifactor()
            .env("ARTIFACTOR_CONFIG_DIR", &config)
            .args(args)
            .output()
            .expect("run artifactor")
    };

    let doctor = run(&["doctor", "--out", "out"]);
    let report = String::from_utf8_lossy(&doctor.stdout);
    assert!(
        report.contains("settings file: not created yet"),
        "{report}"
    );

    fs::write(
        config.join("settings.toml"),
        "all_versions = true\ntheme = \"neon\"\n",
    )
    .expect("write settings");
    let show = run(&["config", "show"]);
    assert_eq!(show.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&show.stderr);
    assert!(
        stderr.contains("settings.toml:2: `theme` is invalid"),
        "{stderr}"
    );
    assert!(stderr.contains("`light`"), "{stderr}");
    let stdout = String::from_utf8_lossy(&show.stdout);
    assert!(stdout.contains("all_versions = true"), "{stdout}");

    fs::write(config.join("settings.toml"), "all_versions = true\n").expect("write settings");
    let show = run(&["config", "show"]);
    assert_eq!(show.status.code(), Some(0));
    let doctor = run(&["doctor", "--out", "out"]);
    let report = String::from_utf8_lossy(&doctor.stdout);
    assert!(report.contains("settings file: valid"), "{report}");
}

#[test]
fn settings_problem_escapes_controls() {
    let temp = tempfile::tempdir().expect("temp dir");
    fs::write(
        temp.path().join("settings.toml"),
        "theme = \"\\u001b[31mred\"\n",
    )
    .expect("write settings");
    let output = common::artifactor()
        .env("ARTIFACTOR_CONFIG_DIR", temp.path())
        .args(["config", "show"])
        .output()
        .expect("run artifactor");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(stderr.contains(r"\u{1b}[31mred"), "{stderr}");
}
