//! Helpers shared by the integration tests: input paths, running the `artifactor` binary,
//! and reading and checking what it wrote.

// Each test binary compiles this module and uses a different subset of it.
#![allow(dead_code)]

pub mod faults;
pub mod sample;
pub mod server;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use sha2::{Digest, Sha256};
use tempfile::TempDir;

/// Upper bound for one run of the binary, so that a run waiting for input fails the test
/// instead of hanging it.
const RUN_TIMEOUT: Duration = Duration::from_secs(120);

/// Returns the path of a file or folder in this repository.
pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Returns the path of an input under `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    repo_path("tests/fixtures").join(name)
}

/// Returns the path of the sample export, `assets/sample-export.zip`.
pub fn sample_export() -> PathBuf {
    repo_path("assets/sample-export.zip")
}

/// Returns a command for the `artifactor` binary with empty standard input, a timeout, no
/// `HEADLESS` variable from the caller's environment, and temporary settings and data
/// folders.
pub fn artifactor() -> Command {
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("artifactor");
    command
        .env_remove("HEADLESS")
        // A folder that does not exist: the user's own settings must not change test runs.
        .env(
            "ARTIFACTOR_CONFIG_DIR",
            std::env::temp_dir().join("artifactor-tests-no-config"),
        )
        // Share links go to a closed port on loopback unless a test points them at its own
        // server, so no test can reach claude.ai. Proxies from the caller are dropped for
        // the same reason.
        .env("ARTIFACTOR_BASE_URL", "http://127.0.0.1:9")
        .env_remove("HTTP_PROXY")
        .env_remove("HTTPS_PROXY")
        .env_remove("ALL_PROXY")
        .env_remove("http_proxy")
        .env_remove("https_proxy")
        .env_remove("all_proxy")
        // Log files go to a shared temporary folder, never to the user's data folder.
        .env("ARTIFACTOR_DATA_DIR", test_data_dir())
        .timeout(RUN_TIMEOUT)
        .write_stdin("");
    command
}

/// Returns the data folder, which contains the log files, for runs that do not choose their own.
pub fn test_data_dir() -> PathBuf {
    std::env::temp_dir().join("artifactor-tests-data")
}

/// Returns the name of a conversation folder: `"<date> <name> (<uuid8>)"`, or
/// `"<name> (<uuid8>)"` without a date.
pub fn folder(date: Option<&str>, name: &str, uuid8: &str) -> String {
    match date {
        Some(date) => format!("{date} {name} ({uuid8})"),
        None => format!("{name} ({uuid8})"),
    }
}

/// One run of `artifactor extract` into a fresh temporary folder.
pub struct Run {
    /// The temporary folder. Dropping the run deletes it.
    pub temp: TempDir,
    /// The output folder given with `--out`, inside `temp`.
    pub out: PathBuf,
    pub output: Output,
}

impl Run {
    /// Returns the exit status, or -1 when the process was ended by a signal.
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Returns `manifest.json` of the output folder, parsed.
    pub fn manifest(&self) -> Value {
        read_manifest(&self.out)
    }

    /// Returns the `artifacts` array of the manifest.
    pub fn entries(&self) -> Vec<Value> {
        manifest_entries(&self.manifest())
    }

    /// Returns the manifest entries whose `artifact_id` is `artifact_id`.
    pub fn entries_with_id(&self, artifact_id: &str) -> Vec<Value> {
        self.entries()
            .into_iter()
            .filter(|entry| entry["artifact_id"] == artifact_id)
            .collect()
    }

    /// Returns the only manifest entry with `artifact_id`, and panics when there is none or
    /// more than one.
    pub fn entry(&self, artifact_id: &str) -> Value {
        let mut matches = self.entries_with_id(artifact_id);
        assert_eq!(
            matches.len(),
            1,
            "expected one manifest entry with artifact_id {artifact_id:?}, found {}; ids: {:?}",
            matches.len(),
            self.artifact_ids()
        );
        matches.remove(0)
    }

    /// Returns every `artifact_id` of the manifest, in manifest order.
    pub fn artifact_ids(&self) -> Vec<String> {
        self.entries()
            .iter()
            .map(|entry| entry["artifact_id"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// Returns the content of the file written for the artifact `artifact_id`.
    pub fn content_of(&self, artifact_id: &str) -> String {
        let entry = self.entry(artifact_id);
        let path = entry["path"]
            .as_str()
            .unwrap_or_else(|| panic!("manifest entry {artifact_id:?} has no string path"));
        self.read(path)
    }

    /// Returns the content of the file at `relative` (with `/` separators) below the output
    /// folder, and panics with the list of written files when it is missing.
    pub fn read(&self, relative: &str) -> String {
        let path = self.out.join(relative);
        fs::read_to_string(&path).unwrap_or_else(|error| {
            panic!(
                "cannot read {relative:?} in the output folder: {error}\nfiles written: {:#?}",
                self.files()
            )
        })
    }

    /// Returns whether a file exists at `relative` below the output folder.
    pub fn has_file(&self, relative: &str) -> bool {
        self.out.join(relative).is_file()
    }

    /// Returns the paths of all files below the output folder except `manifest.json`,
    /// relative and `/`-separated, sorted.
    pub fn files(&self) -> Vec<String> {
        list_files(&self.out)
            .into_iter()
            .filter(|path| path != "manifest.json")
            .collect()
    }

    /// Returns the summary printed with `--json`, parsed.
    pub fn summary(&self) -> Value {
        serde_json::from_slice(&self.output.stdout).unwrap_or_else(|error| {
            panic!(
                "stdout of --json is not one JSON value: {error}\nstdout:\n{}",
                self.stdout()
            )
        })
    }
}

/// Runs `artifactor extract INPUTS --out <temp>/out EXTRA` and returns the run without
/// checking its exit status.
pub fn run_extract(inputs: &[PathBuf], extra: &[&str]) -> Run {
    let temp = tempfile::tempdir().expect("create a temporary folder");
    let out = temp.path().join("out");
    let output = extract_into(inputs, &out, extra);
    Run { temp, out, output }
}

/// Runs `artifactor extract INPUTS --out OUT EXTRA` and returns its output.
pub fn extract_into(inputs: &[PathBuf], out: &Path, extra: &[&str]) -> Output {
    artifactor()
        .arg("extract")
        .args(inputs)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("start the artifactor binary")
}

/// Runs `artifactor extract` like [`run_extract`] and panics with stderr unless it exits 0.
pub fn extract_ok(inputs: &[PathBuf], extra: &[&str]) -> Run {
    let run = run_extract(inputs, extra);
    assert_eq!(
        run.code(),
        0,
        "artifactor extract {inputs:?} {extra:?} failed\nstderr:\n{}",
        run.stderr()
    );
    run
}

/// Returns `DIR/manifest.json`, parsed.
pub fn read_manifest(out: &Path) -> Value {
    let path = out.join("manifest.json");
    let text = fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{} is not valid JSON: {error}", path.display()))
}

/// Returns the `artifacts` array of a manifest.
pub fn manifest_entries(manifest: &Value) -> Vec<Value> {
    manifest["artifacts"]
        .as_array()
        .unwrap_or_else(|| panic!("manifest has no `artifacts` array: {manifest:#}"))
        .clone()
}

/// Returns the paths of all files below `root`, relative and `/`-separated, sorted.
pub fn list_files(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    collect_files(root, root, &mut files);
    files.sort();
    files
}

fn collect_files(root: &Path, folder: &Path, files: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries {
        let entry = entry.expect("read a folder entry");
        let path = entry.path();
        let file_type = entry.file_type().expect("read a file type");
        if file_type.is_dir() {
            collect_files(root, &path, files);
        } else {
            let relative = path.strip_prefix(root).expect("a path below the root");
            let parts: Vec<String> = relative
                .components()
                .map(|part| part.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.push(parts.join("/"));
        }
    }
}

/// Returns the lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Checks that every manifest entry names an existing file below `out` whose size and
/// SHA-256 match the entry, and that every file below `out` except `manifest.json` is named
/// by an entry. With `versions_beside`, files named `<stem>.v<N>.<ext>` beside a listed file
/// (written by `--all-versions`) need no entry of their own.
pub fn assert_manifest_matches_disk(out: &Path, versions_beside: bool) {
    let manifest = read_manifest(out);
    let mut listed = BTreeSet::new();

    for entry in manifest_entries(&manifest) {
        let relative = entry["path"]
            .as_str()
            .unwrap_or_else(|| panic!("manifest entry without a string path: {entry:#}"));
        assert!(
            !relative.contains('\\'),
            "manifest path {relative:?} must use '/' separators"
        );
        let bytes = fs::read(out.join(relative))
            .unwrap_or_else(|error| panic!("manifest path {relative:?} cannot be read: {error}"));
        assert_eq!(
            entry["bytes"].as_u64(),
            Some(bytes.len() as u64),
            "manifest `bytes` of {relative:?} differs from the file size"
        );
        assert_eq!(
            entry["sha256"].as_str(),
            Some(sha256_hex(&bytes).as_str()),
            "manifest `sha256` of {relative:?} differs from the file's hash"
        );
        assert!(
            listed.insert(relative.to_owned()),
            "manifest lists {relative:?} twice"
        );
    }

    for file in list_files(out) {
        if file == "manifest.json" || listed.contains(&file) {
            continue;
        }
        if versions_beside && is_version_of_listed(&file, &listed) {
            continue;
        }
        panic!("{file:?} was written but is not in the manifest; listed: {listed:#?}");
    }
}

/// Returns whether `file` is `<stem>.v<N><rest>` for a listed `<stem><rest>` in the same
/// folder, where `<rest>` is the listed file's extension or empty.
fn is_version_of_listed(file: &str, listed: &BTreeSet<String>) -> bool {
    listed.iter().any(|path| {
        let (stem, extension) = match path.rfind('.') {
            Some(dot) if dot > path.rfind('/').map_or(0, |slash| slash + 1) => path.split_at(dot),
            _ => (path.as_str(), ""),
        };
        let Some(middle) = file
            .strip_prefix(stem)
            .and_then(|rest| rest.strip_suffix(extension))
        else {
            return false;
        };
        let Some(number) = middle.strip_prefix(".v") else {
            return false;
        };
        !number.is_empty() && number.bytes().all(|byte| byte.is_ascii_digit())
    })
}

/// Returns whether `value` is an RFC 3339 date-time such as `2025-03-05T18:06:11.694Z` or
/// `2025-03-05T18:06:11+01:00`.
pub fn is_rfc3339(value: &str) -> bool {
    let bytes = value.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|part| part.iter().all(u8::is_ascii_digit))
    };
    let shape_ok = bytes.len() >= 20
        && digits(0..4)
        && bytes[4] == b'-'
        && digits(5..7)
        && bytes[7] == b'-'
        && digits(8..10)
        && matches!(bytes[10], b'T' | b't' | b' ')
        && digits(11..13)
        && bytes[13] == b':'
        && digits(14..16)
        && bytes[16] == b':'
        && digits(17..19);
    if !shape_ok {
        return false;
    }

    let mut rest = &value[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let length = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if length == 0 {
            return false;
        }
        rest = &fraction[length..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            [h1, h2, m1, m2].iter().all(|byte| byte.is_ascii_digit())
        }
        _ => false,
    }
}

/// Characters that change the displayed order of text: the Unicode bidirectional
/// embeddings, overrides, isolates and marks.
pub fn is_bidi_control(character: char) -> bool {
    matches!(
        character,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Names that Windows reserves for devices, with or without an extension.
pub const WINDOWS_RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Returns the problems of one `/`-separated relative output path: components that climb
/// or are empty, components over 255 bytes, control or bidi characters, characters that
/// Windows forbids, and names that Windows reserves. An empty list means the path is safe.
pub fn path_problems(relative: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if relative.starts_with('/') {
        problems.push("is absolute".to_owned());
    }
    for component in relative.split('/') {
        if component.is_empty() || component == "." || component == ".." {
            problems.push(format!("has the component {component:?}"));
            continue;
        }
        if component.len() > 255 {
            problems.push(format!(
                "component of {} bytes: {component:?}",
                component.len()
            ));
        }
        if component.chars().any(char::is_control) {
            problems.push(format!("control character in {component:?}"));
        }
        if component.chars().any(is_bidi_control) {
            problems.push(format!("bidi control character in {component:?}"));
        }
        if component.chars().any(|c| "<>:\"\\|?*".contains(c)) {
            problems.push(format!("character forbidden on Windows in {component:?}"));
        }
        let device = component.split('.').next().unwrap_or_default().trim_end();
        if WINDOWS_RESERVED
            .iter()
            .any(|reserved| reserved.eq_ignore_ascii_case(device))
        {
            problems.push(format!("name reserved on Windows: {component:?}"));
        }
    }
    problems
}
