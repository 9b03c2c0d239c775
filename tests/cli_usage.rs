//! Command-line usage and exit statuses: no subcommand without a display, `--version`, bad
//! options, and inputs that cannot be read (missing, broken JSON, not JSON, a zip without
//! conversations). Exit status 2 stands for bad usage or an unreadable input.

mod common;

use std::fs;
use std::path::PathBuf;

use pretty_assertions::assert_eq;

use common::{artifactor, fixture, run_extract};

#[test]
fn no_subcommand_without_display() {
    let output = artifactor()
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("start the artifactor binary");
    let stderr = String::from_utf8_lossy(&output.stderr);

    assert_eq!(
        output.status.code(),
        Some(2),
        "exit status without a subcommand or a display; stderr:\n{stderr}"
    );
    assert!(
        stderr.contains("--headless"),
        "usage on stderr should mention --headless:\n{stderr}"
    );
}

#[test]
fn headless_without_terminal() {
    let output = artifactor()
        .env("HEADLESS", "1")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("start the artifactor binary");
    let stderr = String::from_utf8_lossy(&output.stderr);

    assert_eq!(
        output.status.code(),
        Some(2),
        "exit status with HEADLESS=1 and standard input that is not a terminal; stderr:\n{stderr}"
    );
    assert!(
        stderr.contains("extract"),
        "stderr should show how to run the extract command:\n{stderr}"
    );
}

#[test]
fn version_flag() {
    let output = artifactor()
        .arg("--version")
        .output()
        .expect("start the artifactor binary");
    let stdout = String::from_utf8_lossy(&output.stdout);

    assert_eq!(output.status.code(), Some(0), "exit status of --version");
    assert!(
        stdout.contains(env!("CARGO_PKG_VERSION")),
        "--version should print {}: {stdout:?}",
        env!("CARGO_PKG_VERSION")
    );
}

#[test]
fn extract_help_lists_options() {
    let output = artifactor()
        .args(["extract", "--help"])
        .output()
        .expect("start the artifactor binary");
    let stdout = String::from_utf8_lossy(&output.stdout);

    assert_eq!(
        output.status.code(),
        Some(0),
        "exit status of extract --help"
    );
    for option in ["--out", "--all-versions", "--json", "--verbose", "--force"] {
        assert!(
            stdout.contains(option),
            "extract --help should list {option}:\n{stdout}"
        );
    }
}

#[test]
fn extract_without_input() {
    let output = artifactor()
        .arg("extract")
        .output()
        .expect("start the artifactor binary");

    assert_eq!(
        output.status.code(),
        Some(2),
        "exit status of extract without an input"
    );
}

#[test]
fn unknown_option_rejected() {
    let run = run_extract(&[fixture("array.json")], &["--no-such-option"]);

    assert_eq!(run.code(), 2, "exit status; stderr:\n{}", run.stderr());
}

#[test]
fn missing_input_names_path() {
    let temp = tempfile::tempdir().expect("create a temporary folder");
    let missing = temp.path().join("no-such-export.zip");

    let run = run_extract(std::slice::from_ref(&missing), &[]);

    assert_eq!(run.code(), 2, "exit status for a missing input");
    assert!(
        run.stderr().contains(&*missing.to_string_lossy()),
        "stderr should name {}:\n{}",
        missing.display(),
        run.stderr()
    );
}

#[test]
fn truncated_json_names_byte() {
    let run = run_extract(&[fixture("truncated.json")], &[]);
    let stderr = run.stderr();

    assert_eq!(
        run.code(),
        2,
        "exit status for truncated JSON; stderr:\n{stderr}"
    );
    assert!(
        stderr.contains("truncated.json"),
        "stderr should name the file:\n{stderr}"
    );
    assert!(
        stderr.contains("byte"),
        "stderr should give the byte offset of the error:\n{stderr}"
    );
}

#[test]
fn not_json_names_file() {
    let run = run_extract(&[fixture("not-json.json")], &[]);
    let stderr = run.stderr();

    assert_eq!(
        run.code(),
        2,
        "exit status for a file that is not JSON; stderr:\n{stderr}"
    );
    assert!(
        stderr.contains("not-json.json"),
        "stderr should name the file:\n{stderr}"
    );
}

#[test]
fn zip_without_conversations() {
    let run = run_extract(&[fixture("no-conversations.zip")], &[]);
    let stderr = run.stderr();

    assert_eq!(
        run.code(),
        2,
        "exit status for a zip without conversations.json; stderr:\n{stderr}"
    );
    assert!(
        stderr.contains("no-conversations.zip"),
        "stderr should name the archive:\n{stderr}"
    );
}

#[test]
fn empty_file_rejected() {
    let temp = tempfile::tempdir().expect("create a temporary folder");
    let empty = temp.path().join("empty.json");
    fs::write(&empty, "").expect("write an empty file");

    let run = run_extract(&[empty], &[]);

    assert_eq!(
        run.code(),
        2,
        "exit status for an empty file; stderr:\n{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("empty.json"),
        "stderr should name the file:\n{}",
        run.stderr()
    );
}

#[test]
fn folder_without_export_rejected() {
    let temp = tempfile::tempdir().expect("create a temporary folder");
    let folder: PathBuf = temp.path().join("nothing-here");
    fs::create_dir(&folder).expect("create an empty folder");

    let run = run_extract(&[folder], &[]);

    assert_eq!(
        run.code(),
        2,
        "exit status for a folder without an export; stderr:\n{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("nothing-here"),
        "stderr should name the folder:\n{}",
        run.stderr()
    );
}

#[test]
fn bad_input_among_good() {
    let run = run_extract(&[fixture("array.json"), fixture("truncated.json")], &[]);

    assert_eq!(
        run.code(),
        2,
        "exit status when one of two inputs is unreadable; stderr:\n{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("truncated.json"),
        "stderr should name the unreadable input:\n{}",
        run.stderr()
    );
}
