//! The content scan seen from the command line: flags in `manifest.json`, warnings and the
//! summary, while the flagged file itself is written unchanged and never executable.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use common::{extract_into, read_manifest};

const INSTALL_SCRIPT: &str =
    "#!/bin/sh\n# Installs the tool.\ncurl -fsSL https://example.com/install.sh | sh\n";
const DROPPER: &str = "import base64\nexec(base64.b64decode('cHJpbnQoMSk='))\n";
const CLEAN_SCRIPT: &str = "#!/bin/sh\necho hello\n";

/// Writes an export whose one conversation creates a risky shell script, a risky Python
/// script and a clean shell script.
fn write_risky_export(dir: &Path) -> PathBuf {
    let call = |id: &str, language: &str, content: &str| {
        json!({"type": "tool_use", "name": "artifacts", "input": {
            "id": id, "command": "create", "type": "application/vnd.ant.code",
            "language": language, "title": id, "content": content}})
    };
    let conversation = json!({
        "uuid": "5ca70000-0000", "name": "Scripts", "created_at": "2025-01-01T00:00:00Z",
        "chat_messages": [{"uuid": "m1", "sender": "assistant", "content": [
            call("install", "bash", INSTALL_SCRIPT),
            call("dropper", "python", DROPPER),
            call("hello", "bash", CLEAN_SCRIPT),
        ]}]
    });
    let path = dir.join("risky.json");
    fs::write(
        &path,
        serde_json::to_vec(&json!([conversation])).expect("serialize"),
    )
    .expect("write");
    path
}

fn entry<'a>(entries: &'a [Value], artifact_id: &str) -> &'a Value {
    entries
        .iter()
        .find(|entry| entry["artifact_id"] == artifact_id)
        .unwrap_or_else(|| panic!("no manifest entry for {artifact_id}"))
}

#[test]
fn flags_go_into_the_manifest() {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("out");
    let output = extract_into(&[write_risky_export(temp.path())], &out, &[]);
    assert!(output.status.success(), "{output:?}");
    let entries = common::manifest_entries(&read_manifest(&out));

    assert_eq!(
        entry(&entries, "install")["flags"],
        json!(["pipe-to-shell"])
    );
    assert_eq!(
        entry(&entries, "dropper")["flags"],
        json!(["eval-of-decoded-data"])
    );
    let clean = entry(&entries, "hello");
    assert!(
        clean.get("flags").is_none(),
        "a clean entry has no flags field: {clean:#}"
    );
}

#[test]
fn earlier_versions_are_flagged_when_written() {
    // The first version is risky and the rewrite that follows is clean.
    let temp = tempfile::tempdir().expect("temp dir");
    let call = |command: &str, content: &str| {
        json!({"type": "tool_use", "name": "artifacts", "input": {
            "id": "setup", "command": command, "type": "application/vnd.ant.code",
            "language": "bash", "title": "setup", "content": content}})
    };
    let conversation = json!({
        "uuid": "5ca70001-0000", "name": "Setup", "created_at": "2025-01-01T00:00:00Z",
        "chat_messages": [{"uuid": "m1", "sender": "assistant", "content": [
            call("create", INSTALL_SCRIPT),
            call("rewrite", CLEAN_SCRIPT),
        ]}]
    });
    let input = temp.path().join("versions.json");
    fs::write(
        &input,
        serde_json::to_vec(&json!([conversation])).expect("serialize"),
    )
    .expect("write");

    let out = temp.path().join("all");
    let output = extract_into(std::slice::from_ref(&input), &out, &["--all-versions"]);
    assert!(output.status.success(), "{output:?}");
    let entries = common::manifest_entries(&read_manifest(&out));
    let flags: Vec<&Value> = entries.iter().map(|entry| &entry["flags"]).collect();
    assert_eq!(flags, [&json!(["pipe-to-shell"]), &Value::Null]);

    let out = temp.path().join("final");
    let output = extract_into(&[input], &out, &[]);
    assert!(output.status.success(), "{output:?}");
    let entries = common::manifest_entries(&read_manifest(&out));
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["flags"], Value::Null);
}

#[test]
fn flagged_file_is_written_unchanged() {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("out");
    let output = extract_into(&[write_risky_export(temp.path())], &out, &[]);
    assert!(output.status.success(), "{output:?}");
    let entries = common::manifest_entries(&read_manifest(&out));
    let path = entry(&entries, "install")["path"]
        .as_str()
        .expect("a path")
        .to_owned();
    assert!(
        path.ends_with("/install.sh"),
        "the file was renamed: {path}"
    );
    let written = fs::read_to_string(out.join(&path)).expect("read");
    assert_eq!(written, INSTALL_SCRIPT);
}

#[test]
fn flags_are_warnings_in_the_summary() {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("out");
    let input = write_risky_export(temp.path());
    let output = extract_into(std::slice::from_ref(&input), &out, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stderr.contains("install.sh has risky content: pipe-to-shell"),
        "{stderr}"
    );
    assert!(
        stderr.contains("dropper.py has risky content: eval-of-decoded-data"),
        "{stderr}"
    );
    assert!(!stderr.contains("hello.sh"), "{stderr}");
    assert!(stdout.contains("2 files with risky content"), "{stdout}");
    assert!(stdout.contains("2 warnings"), "{stdout}");

    let json_output = extract_into(&[input], &out, &["--json"]);
    let summary: Value = serde_json::from_slice(&json_output.stdout).expect("JSON summary");
    assert_eq!(summary["flagged_files"], 2);
    assert_eq!(summary["status"], "ok");
}

#[cfg(unix)]
#[test]
fn permissive_umask_sets_no_execute_bits() {
    use std::os::unix::fs::PermissionsExt;
    use std::process::Command;

    use common::list_files;

    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("out");
    let binary = common::artifactor().get_program().to_owned();
    let status = Command::new("sh")
        .args(["-c", "umask 000 && exec \"$0\" extract \"$1\" --out \"$2\""])
        .arg(binary)
        .arg(write_risky_export(temp.path()))
        .arg(&out)
        .env("ARTIFACTOR_CONFIG_DIR", temp.path().join("no-config"))
        .env_remove("HEADLESS")
        .status()
        .expect("run artifactor under sh");
    assert!(status.success());

    let files = list_files(&out);
    assert_eq!(files.len(), 4, "{files:?}");
    for file in files {
        let mode = fs::metadata(out.join(&file))
            .expect("stat")
            .permissions()
            .mode();
        // With umask 000 a new file gets exactly the mode that artifactor requests.
        assert_eq!(mode & 0o777, 0o666, "{file} has mode {mode:o}");
    }
}
