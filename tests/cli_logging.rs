//! The log file: where it goes, what it contains, its level, and what happens when it
//! cannot be written.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{artifactor, is_rfc3339, sample_export};
use tempfile::TempDir;

/// A temporary folder with a data folder and an output folder inside it.
struct Folders {
    temp: TempDir,
}

impl Folders {
    fn new() -> Self {
        Self {
            temp: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn data(&self) -> PathBuf {
        self.temp.path().join("data")
    }

    fn logs(&self) -> PathBuf {
        self.data().join("logs")
    }

    fn out(&self) -> PathBuf {
        self.temp.path().join("out")
    }
}

/// Runs `artifactor extract INPUT --out OUT` with the data folder in `folders`.
fn extract(folders: &Folders, input: &Path, rust_log: Option<&str>) -> std::process::Output {
    let mut command = artifactor();
    command
        .env("ARTIFACTOR_DATA_DIR", folders.data())
        .env_remove("RUST_LOG")
        .arg("extract")
        .arg(input)
        .arg("--out")
        .arg(folders.out());
    if let Some(level) = rust_log {
        command.env("RUST_LOG", level);
    }
    command.output().expect("run artifactor")
}

/// Returns the names of the files in `dir`, sorted.
fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read the log folder")
        .map(|entry| {
            entry
                .expect("folder entry")
                .file_name()
                .into_string()
                .expect("UTF-8 name")
        })
        .collect();
    names.sort();
    names
}

/// Returns the text of the only log file, after checking its name.
fn only_log(folders: &Folders) -> String {
    let names = file_names(&folders.logs());
    assert_eq!(names.len(), 1, "expected one log file, found {names:?}");
    let name = &names[0];
    let date = name
        .strip_prefix("artifactor.")
        .and_then(|rest| rest.strip_suffix(".log"))
        .unwrap_or_else(|| panic!("unexpected log file name {name}"));
    assert!(
        chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
        "no date in the log file name {name}"
    );
    fs::read_to_string(folders.logs().join(name)).expect("read the log file")
}

#[test]
fn extract_writes_log_file() {
    let folders = Folders::new();
    let output = extract(&folders, &sample_export(), None);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // tracing-appender prints its own errors on stderr, such as one about a missing folder.
    let stderr = String::from_utf8_lossy(&output.stderr);
    for line in stderr.lines() {
        assert!(
            !line.to_lowercase().contains("log"),
            "stderr mentions the log: {line}"
        );
    }

    let log = only_log(&folders);
    assert!(log.contains("artifactor started"), "{log}");
    assert!(log.contains(r#"job started job=1 kind="extract""#), "{log}");
    assert!(log.contains("job finished job=1"), "{log}");
    assert!(log.contains("files_written="), "{log}");
    assert!(
        !log.contains('\u{1b}'),
        "the log file has colour codes:\n{log}"
    );
    for line in log.lines() {
        let timestamp = line.split_whitespace().next().unwrap_or("");
        assert!(
            is_rfc3339(timestamp),
            "no timestamp at the start of {line:?}"
        );
    }
}

#[test]
fn log_file_keeps_info_not_debug() {
    let folders = Folders::new();
    assert!(extract(&folders, &sample_export(), None).status.success());
    let log = only_log(&folders);
    assert!(log.contains(" INFO "), "{log}");
    assert!(!log.contains("DEBUG"), "{log}");
}

#[test]
fn log_file_level_follows_rust_log() {
    let debug = Folders::new();
    assert!(
        extract(&debug, &sample_export(), Some("debug"))
            .status
            .success()
    );
    let log = only_log(&debug);
    assert!(log.contains("DEBUG"), "{log}");
    assert!(log.contains("startup probe"), "{log}");

    let quiet = Folders::new();
    assert!(
        extract(&quiet, &sample_export(), Some("warn"))
            .status
            .success()
    );
    let log = only_log(&quiet);
    assert!(!log.contains("job started"), "{log}");
}

#[test]
fn failed_extract_logs_input_and_cause() {
    let folders = Folders::new();
    let missing = folders.temp.path().join("missing-export.zip");
    let output = extract(&folders, &missing, None);
    assert_eq!(output.status.code(), Some(2));

    let log = only_log(&folders);
    let finished = log
        .lines()
        .find(|line| line.contains("job finished"))
        .unwrap_or_else(|| panic!("no job finished line in\n{log}"));
    assert!(finished.contains("missing-export.zip"), "{finished}");
    assert!(finished.contains("failure="), "{finished}");
}

#[test]
fn unusable_log_folder_warns_and_goes_on() {
    let folders = Folders::new();
    // A file where the data folder should be, so the logs folder cannot be created.
    fs::write(folders.data(), "not a folder").expect("write");
    let output = extract(&folders, &sample_export(), None);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("the log file could not be opened"),
        "{stderr}"
    );
    assert!(stderr.contains("ARTIFACTOR_DATA_DIR"), "{stderr}");
    assert!(
        folders.out().join("manifest.json").is_file(),
        "nothing was extracted"
    );
}

#[test]
fn printing_commands_write_no_log() {
    let folders = Folders::new();
    for args in [
        &["completions", "bash"][..],
        &["man"],
        &["config", "path"],
        &["doctor", "--out"],
    ] {
        let mut command = artifactor();
        command
            .env("ARTIFACTOR_DATA_DIR", folders.data())
            .args(args);
        if args[0] == "doctor" {
            command.arg(folders.out());
        }
        command.output().expect("run artifactor");
        assert!(
            !folders.data().exists(),
            "artifactor {args:?} created the data folder"
        );
    }
}

#[test]
fn doctor_prints_log_folder() {
    let folders = Folders::new();
    let doctor = || {
        let output = artifactor()
            .env("ARTIFACTOR_DATA_DIR", folders.data())
            .args(["doctor", "--out"])
            .arg(folders.out())
            .output()
            .expect("run artifactor doctor");
        String::from_utf8(output.stdout).expect("UTF-8 report")
    };
    let logs = folders.logs().display().to_string();

    let before = doctor();
    assert!(
        before.contains(&format!("log folder: {logs} (not created yet)")),
        "{before}"
    );

    assert!(extract(&folders, &sample_export(), None).status.success());
    let after = doctor();
    assert!(
        after.contains(&format!("log folder: {logs} (1 log file, artifactor.")),
        "{after}"
    );
}
