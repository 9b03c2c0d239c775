//! Fault injection: the binary runs into a full filesystem, a read-only output folder,
//! `kill -9` at varied moments, and a second run into the same folder. After each fault the
//! run must exit with status 1 (or die, for a kill), name the failing path, list in the
//! manifest only complete files whose SHA-256 verifies, and leave the files already in the
//! folder untouched.
//!
//! Full and read-only filesystems are made inside a private mount namespace (`unshare -m`),
//! which needs root or `CAP_SYS_ADMIN`, as CI has. Without it those cases print `SKIPPED`
//! and the reason on the terminal, past the test harness's capture, and pass. A file size
//! limit (`prlimit --fsize`) needs no privileges and takes the place of a full disk everywhere.
//!
//! Linux only: the cases use `unshare`, `prlimit`, bind mounts and Unix signals.
#![cfg(target_os = "linux")]
// TODO: where `unshare -m` is refused, run the read-only cases as an unprivileged user with
// `setpriv` instead of skipping them.

mod common;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use common::faults::{
    FOREIGN_CONTENT, FOREIGN_FILE, assert_complete, assert_consistent, binary, clean_run,
    comparable_contents, contents, conversation, filler_text, is_temporary, large_conversation,
    many_small_conversation, small_conversation, spawn_extract, write_export, write_sample_copies,
};
use common::list_files;

/// Prints that a case was skipped, past the test harness's output capture, so that a skip
/// is visible in `cargo test` output.
fn report_skip(case: &str, reason: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "SKIPPED faults::{case}: {reason}");
}

/// Returns the error lines (`error: …`) of a run's stderr.
fn error_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|line| line.starts_with("error: ") || line.starts_with("artifactor: "))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Private mount namespaces

/// Returns `Ok` when this process can make a private mount namespace and mount a tmpfs in it,
/// else the reason.
fn mount_namespace_available() -> Result<(), String> {
    let probe = tempfile::tempdir().map_err(|err| err.to_string())?;
    let output = Command::new("unshare")
        .args([
            "-m",
            "sh",
            "-c",
            "mount -t tmpfs -o size=1m tmpfs \"$1\"",
            "sh",
        ])
        .arg(probe.path())
        .stdin(Stdio::null())
        .output();
    match output {
        Ok(output) if output.status.success() => Ok(()),
        Ok(output) => Err(format!(
            "`unshare -m` with a tmpfs mount failed (needs root or CAP_SYS_ADMIN): {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )),
        Err(err) => Err(format!("cannot run unshare: {err}")),
    }
}

/// Runs `script` with `sh -eu` in a private mount namespace, so that its mounts vanish when
/// it exits. The script gets the environment variables `$BIN` (the binary), `$SNAP` (a folder
/// outside the namespace's mounts, for copies of what the test checks) and `variables`.
fn run_in_namespace(script: &str, snap: &Path, variables: &[(&str, &OsStr)]) -> Output {
    let mut command = Command::new("unshare");
    command
        .args(["-m", "sh", "-eu", "-c", script])
        .env("BIN", binary())
        .env("SNAP", snap)
        .env("ARTIFACTOR_CONFIG_DIR", snap.join("no-config"))
        .env_remove("HEADLESS")
        .stdin(Stdio::null());
    for (name, value) in variables {
        command.env(name, value);
    }
    let output = command.output().expect("run unshare");
    assert!(
        output.status.success(),
        "the namespace script failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Reads what a namespace script recorded for a run: `$SNAP/NAME.status` and `NAME.stderr`.
fn recorded_run(snap: &Path, name: &str) -> (i32, String) {
    let status = fs::read_to_string(snap.join(format!("{name}.status"))).expect("status file");
    let stderr = fs::read_to_string(snap.join(format!("{name}.stderr"))).expect("stderr file");
    (status.trim().parse().expect("a status number"), stderr)
}

/// Runs `$BIN extract INPUT --out OUT` and records its status and stderr as `NAME.*`.
const RUN_FUNCTION: &str = r#"
run() {
    status=0
    "$BIN" extract "$2" --out "$3" > "$SNAP/$1.stdout" 2> "$SNAP/$1.stderr" || status=$?
    echo "$status" > "$SNAP/$1.status"
}
"#;

// ---------------------------------------------------------------------------------------
// A full filesystem

#[test]
fn full_filesystem_keeps_files_complete() {
    if let Err(reason) = mount_namespace_available() {
        report_skip("full_filesystem_keeps_files_complete", &reason);
        return;
    }
    let temp = tempfile::tempdir().expect("temp dir");
    let small = write_export(&temp.path().join("small.json"), &[small_conversation()]);
    // 24 MB of artifacts for a 17 MiB filesystem: the run starts with the 16 MiB of free
    // space that it requires, then runs out partway.
    let large = write_export(
        &temp.path().join("large.json"),
        &[small_conversation(), large_conversation(24)],
    );
    let reference = clean_run(temp.path(), "reference", &[large.as_path()]);
    let mount = temp.path().join("mnt");
    let snap = temp.path().join("snap");
    fs::create_dir(&mount).expect("mkdir");
    fs::create_dir(&snap).expect("mkdir");

    let script = format!(
        "{RUN_FUNCTION}
        mount -t tmpfs -o size=17m tmpfs \"$MNT\"
        mkdir \"$MNT/out\"
        printf '%s' \"$FOREIGN\" > \"$MNT/out/{FOREIGN_FILE}\"
        run first \"$SMALL\" \"$MNT/out\"
        cp -a \"$MNT/out\" \"$SNAP/before\"
        run second \"$LARGE\" \"$MNT/out\"
        cp -a \"$MNT/out\" \"$SNAP/after\""
    );
    run_in_namespace(
        &script,
        &snap,
        &[
            ("MNT", mount.as_os_str()),
            ("SMALL", small.as_os_str()),
            ("LARGE", large.as_os_str()),
            ("FOREIGN", OsStr::new(FOREIGN_CONTENT)),
        ],
    );

    let (first, first_stderr) = recorded_run(&snap, "first");
    assert_eq!(
        first, 0,
        "the first run, which fits, failed: {first_stderr}"
    );
    let (second, stderr) = recorded_run(&snap, "second");
    assert_eq!(
        second, 1,
        "a run into a full filesystem must exit with 1: {stderr}"
    );
    let errors = error_lines(&stderr);
    let full = mount.join("out");
    assert!(
        errors
            .iter()
            .any(|line| line.contains(&*full.to_string_lossy())
                && line.contains("No space left on device")),
        "no error names a path in the full folder: {errors:#?}"
    );

    let before = contents(&snap.join("before"));
    let listed = assert_consistent(&snap.join("after"), &before, &contents(&reference));
    assert!(
        listed.len() < list_files(&reference).len() - 2,
        "the filesystem never filled up: {} files listed",
        listed.len()
    );
    // The small conversation's files were written by the first run and stay listed.
    for path in before.keys().filter(|path| path.contains("Small")) {
        assert!(listed.contains(path), "{path} is no longer in the manifest");
    }
}

#[test]
fn full_filesystem_stops_further_writes() {
    if let Err(reason) = mount_namespace_available() {
        report_skip("full_filesystem_stops_further_writes", &reason);
        return;
    }
    let temp = tempfile::tempdir().expect("temp dir");
    // 200 conversations of 256 KB each, 51 MB in all, for a 17 MiB filesystem.
    let conversations: Vec<_> = (0..200)
        .map(|index| {
            let uuid = format!("{index:08}-full");
            let content = filler_text(5_000 + index, 256_000);
            conversation(&uuid, &format!("Chat {index}"), &[content])
        })
        .collect();
    let export = write_export(&temp.path().join("export.json"), &conversations);
    let mount = temp.path().join("mnt");
    let snap = temp.path().join("snap");
    fs::create_dir(&mount).expect("mkdir");
    fs::create_dir(&snap).expect("mkdir");

    let script = format!(
        "{RUN_FUNCTION}
        mount -t tmpfs -o size=17m tmpfs \"$MNT\"
        run full \"$EXPORT\" \"$MNT/out\""
    );
    run_in_namespace(
        &script,
        &snap,
        &[("MNT", mount.as_os_str()), ("EXPORT", export.as_os_str())],
    );

    let (status, stderr) = recorded_run(&snap, "full");
    assert_eq!(
        status, 1,
        "a run into a full filesystem must exit with 1: {stderr}"
    );
    assert!(
        stderr.contains("stopped writing because the disk is full")
            || stderr.contains("failed to write the manifest"),
        "the failure does not say that the disk is full: {stderr}"
    );
    // About 60 conversations fit. Only the writes already under way when the first one
    // failed may fail too, not the 140 that come after.
    let failed = error_lines(&stderr).len();
    assert!(
        failed < 30,
        "{failed} files failed, so the run went on after the disk was full: {stderr}"
    );
}

/// Returns `Ok` when `prlimit` can run a program under a file size limit, else the reason.
fn prlimit_available() -> Result<(), String> {
    match Command::new("prlimit")
        .args(["--fsize=1000000", "true"])
        .output()
    {
        Ok(output) if output.status.success() => Ok(()),
        Ok(output) => Err(format!(
            "prlimit failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )),
        Err(err) => Err(format!("cannot run prlimit (from util-linux): {err}")),
    }
}

/// Runs `artifactor extract INPUT --out OUT` with files limited to 500,000 bytes.
fn extract_under_size_limit(temp: &Path, input: &Path, out: &Path) -> Output {
    // Ignored signals stay ignored across exec, through prlimit to artifactor.
    Command::new("sh")
        .args([
            "-c",
            "trap '' XFSZ && exec prlimit --fsize=500000 \"$0\" extract \"$1\" --out \"$2\"",
        ])
        .arg(binary())
        .arg(input)
        .arg(out)
        .env("ARTIFACTOR_CONFIG_DIR", temp.join("no-config"))
        .env_remove("HEADLESS")
        .stdin(Stdio::null())
        .output()
        .expect("run artifactor under prlimit")
}

/// A full disk as seen by one file: `RLIMIT_FSIZE` makes every write past the limit fail with
/// `EFBIG`, and SIGXFSZ is ignored so that the write fails instead of killing the process.
/// This needs no privileges, so it runs where the mount namespace cases skip.
#[test]
fn file_size_limit_keeps_files_complete() {
    if let Err(reason) = prlimit_available() {
        report_skip("file_size_limit_keeps_files_complete", &reason);
        return;
    }
    let temp = tempfile::tempdir().expect("temp dir");
    let small = write_export(&temp.path().join("small.json"), &[small_conversation()]);
    let large = write_export(
        &temp.path().join("large.json"),
        &[small_conversation(), large_conversation(3)],
    );
    let reference = clean_run(temp.path(), "reference", &[large.as_path()]);
    let out = clean_run(temp.path(), "out", &[small.as_path()]);
    let before = contents(&out);

    let output = extract_under_size_limit(temp.path(), &large, &out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "a run whose files exceed the limit must exit with 1: {stderr}"
    );
    let errors = error_lines(&stderr);
    let root = fs::canonicalize(&out).expect("canonical path");
    let large_folder = root.join("2025-01-01 Large (11111111)");
    assert_eq!(
        errors
            .iter()
            .filter(|line| {
                line.contains(&*large_folder.to_string_lossy()) && line.contains("File too large")
            })
            .count(),
        3,
        "each large file needs an error naming it: {errors:#?}"
    );
    let listed = assert_consistent(&out, &before, &contents(&reference));
    assert_eq!(listed.len(), 3, "only the small files fit: {listed:?}");
}

/// A newer copy of a conversation whose changed file cannot be written keeps the earlier
/// run's copy of that file, on disk and in the manifest.
#[test]
fn failed_rewrite_keeps_earlier_file() {
    if let Err(reason) = prlimit_available() {
        report_skip("failed_rewrite_keeps_earlier_file", &reason);
        return;
    }
    let temp = tempfile::tempdir().expect("temp dir");
    let alpha = filler_text(1, 2_000);
    let older = conversation(
        "33333333-keep",
        "Keep",
        &[alpha.clone(), "beta v1".to_owned()],
    );
    let mut newer = conversation("33333333-keep", "Keep", &[alpha, filler_text(2, 600_000)]);
    newer["updated_at"] = json!("2025-02-01T00:00:00Z");
    let older = write_export(&temp.path().join("older.json"), &[older]);
    let newer = write_export(&temp.path().join("newer.json"), &[newer]);
    let out = clean_run(temp.path(), "out", &[older.as_path()]);
    let beta = out.join("2025-01-01 Keep (33333333)/Part 1.md");
    assert_eq!(
        fs::read_to_string(&beta).expect("the first run wrote it"),
        "beta v1"
    );

    let output = extract_under_size_limit(temp.path(), &newer, &out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "the large file must fail: {stderr}"
    );

    assert_eq!(
        fs::read_to_string(&beta).expect("the earlier copy stays"),
        "beta v1"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("manifest.json")).expect("manifest"))
            .expect("manifest JSON");
    let listed = manifest["artifacts"]
        .as_array()
        .expect("artifacts")
        .iter()
        .any(|entry| entry["path"] == "2025-01-01 Keep (33333333)/Part 1.md");
    assert!(listed, "the earlier copy left the manifest: {manifest:#}");
}

#[test]
fn exhausted_inodes_keep_the_earlier_manifest() {
    if let Err(reason) = mount_namespace_available() {
        report_skip("exhausted_inodes_keep_the_earlier_manifest", &reason);
        return;
    }
    let temp = tempfile::tempdir().expect("temp dir");
    let small = write_export(&temp.path().join("small.json"), &[small_conversation()]);
    let many = write_export(
        &temp.path().join("many.json"),
        &[small_conversation(), many_small_conversation(60)],
    );
    let reference = clean_run(temp.path(), "reference", &[many.as_path()]);
    let mount = temp.path().join("mnt");
    let snap = temp.path().join("snap");
    fs::create_dir(&mount).expect("mkdir");
    fs::create_dir(&snap).expect("mkdir");

    // 40 inodes hold the first run (about 10) but not the 60 files of the second, so the
    // second run fails on files and then on its manifest. The third run gets more inodes.
    let script = format!(
        "{RUN_FUNCTION}
        mount -t tmpfs -o size=64m,nr_inodes=40 tmpfs \"$MNT\"
        mkdir \"$MNT/out\"
        printf '%s' \"$FOREIGN\" > \"$MNT/out/{FOREIGN_FILE}\"
        run first \"$SMALL\" \"$MNT/out\"
        cp -a \"$MNT/out\" \"$SNAP/before\"
        run second \"$MANY\" \"$MNT/out\"
        cp -a \"$MNT/out\" \"$SNAP/after\"
        mount -o remount,nr_inodes=1000 \"$MNT\"
        run third \"$MANY\" \"$MNT/out\"
        cp -a \"$MNT/out\" \"$SNAP/recovered\""
    );
    run_in_namespace(
        &script,
        &snap,
        &[
            ("MNT", mount.as_os_str()),
            ("SMALL", small.as_os_str()),
            ("MANY", many.as_os_str()),
            ("FOREIGN", OsStr::new(FOREIGN_CONTENT)),
        ],
    );

    let (first, first_stderr) = recorded_run(&snap, "first");
    assert_eq!(
        first, 0,
        "the first run, which fits, failed: {first_stderr}"
    );
    let (second, stderr) = recorded_run(&snap, "second");
    assert_eq!(second, 1, "a run out of inodes must exit with 1: {stderr}");
    let manifest_path = mount.join("out/manifest.json");
    assert!(
        error_lines(&stderr)
            .iter()
            .any(|line| line.contains(&*manifest_path.to_string_lossy())),
        "no error names the manifest that could not be written: {stderr}"
    );

    let before = contents(&snap.join("before"));
    let after = contents(&snap.join("after"));
    assert_consistent(&snap.join("after"), &before, &contents(&reference));
    assert!(
        after.get("manifest.json") == before.get("manifest.json"),
        "the earlier manifest changed although the new one could not be written"
    );

    let (third, third_stderr) = recorded_run(&snap, "third");
    assert_eq!(
        third, 0,
        "the rerun with free inodes failed: {third_stderr}"
    );
    assert!(
        comparable_contents(&snap.join("recovered")) == comparable_contents(&reference),
        "the rerun after the failure differs from a clean run"
    );
}

// ---------------------------------------------------------------------------------------
// Read-only output folders

#[test]
fn read_only_output_folder_is_left_alone() {
    if let Err(reason) = mount_namespace_available() {
        report_skip("read_only_output_folder_is_left_alone", &reason);
        return;
    }
    let temp = tempfile::tempdir().expect("temp dir");
    let small = write_export(&temp.path().join("small.json"), &[small_conversation()]);
    let out = clean_run(temp.path(), "out", &[small.as_path()]);
    let before = contents(&out);
    let changed = write_export(
        &temp.path().join("changed.json"),
        &[small_conversation(), many_small_conversation(3)],
    );
    let snap = temp.path().join("snap");
    fs::create_dir(&snap).expect("mkdir");

    let script = format!(
        "{RUN_FUNCTION}
        mount --bind \"$OUT\" \"$OUT\"
        mount -o remount,bind,ro \"$OUT\"
        run second \"$CHANGED\" \"$OUT\""
    );
    run_in_namespace(
        &script,
        &snap,
        &[("OUT", out.as_os_str()), ("CHANGED", changed.as_os_str())],
    );

    let (status, stderr) = recorded_run(&snap, "second");
    assert_eq!(
        status, 1,
        "a run into a read-only folder must exit with 1: {stderr}"
    );
    let root = fs::canonicalize(&out).expect("canonical path");
    assert!(
        error_lines(&stderr).iter().any(|line| {
            line.contains(&*root.to_string_lossy()) && line.contains("Read-only file system")
        }),
        "no error names the read-only folder: {stderr}"
    );
    assert!(contents(&out) == before, "the read-only folder changed");
    assert_consistent(&out, &before, &BTreeMap::new());
}

#[test]
fn read_only_conversation_folder_fails_its_files() {
    if let Err(reason) = mount_namespace_available() {
        report_skip("read_only_conversation_folder_fails_its_files", &reason);
        return;
    }
    let temp = tempfile::tempdir().expect("temp dir");
    let small = write_export(&temp.path().join("small.json"), &[small_conversation()]);
    let out = clean_run(temp.path(), "out", &[small.as_path()]);
    let before = contents(&out);
    let small_folder = fs::read_dir(&out)
        .expect("read the folder")
        .map(|entry| entry.expect("entry").path())
        .find(|path| path.is_dir())
        .expect("the conversation folder");

    // The small conversation gets new content, which cannot go into its read-only folder,
    // and a new conversation, which can be written.
    let mut edited = small_conversation();
    edited["chat_messages"][0]["content"][0]["input"]["content"] = json!("new text\n");
    edited["updated_at"] = json!("2025-02-01T00:00:00Z");
    let changed = write_export(
        &temp.path().join("changed.json"),
        &[edited, many_small_conversation(3)],
    );
    let reference = clean_run(temp.path(), "reference", &[changed.as_path()]);
    let snap = temp.path().join("snap");
    fs::create_dir(&snap).expect("mkdir");

    let script = format!(
        "{RUN_FUNCTION}
        mount --bind \"$FOLDER\" \"$FOLDER\"
        mount -o remount,bind,ro \"$FOLDER\"
        run second \"$CHANGED\" \"$OUT\""
    );
    run_in_namespace(
        &script,
        &snap,
        &[
            ("OUT", out.as_os_str()),
            ("FOLDER", small_folder.as_os_str()),
            ("CHANGED", changed.as_os_str()),
        ],
    );

    let (status, stderr) = recorded_run(&snap, "second");
    assert_eq!(
        status, 1,
        "a run with unwritable files must exit with 1: {stderr}"
    );
    let failed_file = fs::canonicalize(&small_folder)
        .expect("canonical path")
        .join("Part 0.md");
    assert!(
        error_lines(&stderr).iter().any(|line| {
            line.contains(&*failed_file.to_string_lossy()) && line.contains("Read-only file system")
        }),
        "no error names the file in the read-only folder: {stderr}"
    );
    let listed = assert_consistent(&out, &before, &contents(&reference));
    assert!(
        listed.iter().any(|path| path.contains("Many")),
        "the writable conversation was not written: {listed:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Kills and concurrent runs

/// A small deterministic generator (xorshift64), so that every run kills at the same delays.
struct Delays(u64);

impl Delays {
    /// Returns a delay up to `max`.
    fn next(&mut self, max: Duration) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        let micros = max.as_micros().max(1) as u64;
        Duration::from_micros(self.0 % micros)
    }
}

#[test]
fn kills_at_varied_moments_leave_complete_files() {
    use std::os::unix::process::ExitStatusExt;

    let temp = tempfile::tempdir().expect("temp dir");
    // 30 MB of large artifacts come first, so that many kills land while a large file is
    // being written: a run that wrote in place would leave a cut file under its final name.
    let input = write_sample_copies(
        &temp.path().join("copies.json"),
        vec![large_conversation(30)],
        300,
    );
    let reference = clean_run(temp.path(), "reference", &[input.as_path()]);
    // A rerun into a complete folder only compares files, so it is the shortest that any
    // round can take. Kills within its time land while a round is still going.
    let started = Instant::now();
    let rerun = spawn_extract(temp.path(), &input, &reference, Stdio::null())
        .wait()
        .expect("time a rerun");
    let rerun_time = started.elapsed();
    assert!(
        rerun.success(),
        "the rerun into the reference failed: {rerun}"
    );

    let out = temp.path().join("killed");
    fs::create_dir(&out).expect("mkdir");
    fs::write(out.join(FOREIGN_FILE), FOREIGN_CONTENT).expect("write the foreign file");
    let before = contents(&out);
    let allowed = contents(&reference);
    let mut delays = Delays(0x5EED_1234_ABCD_0001);
    let mut killed_midway = 0;
    for round in 0..12 {
        // The margin keeps most kills inside a round on a loaded machine too.
        let delay = delays.next(rerun_time * 3 / 4);
        let mut child = spawn_extract(temp.path(), &input, &out, Stdio::null());
        std::thread::sleep(delay);
        child.kill().expect("kill -9");
        let status = child.wait().expect("wait");
        if status.signal() == Some(9) {
            killed_midway += 1;
        } else {
            assert!(status.success(), "round {round}: the run failed: {status}");
        }
        assert_complete(&out, &before, &allowed);
    }
    assert!(
        killed_midway >= 6,
        "only {killed_midway} of 12 kills hit a running process"
    );

    let rerun = spawn_extract(temp.path(), &input, &out, Stdio::piped())
        .wait_with_output()
        .expect("rerun");
    assert!(
        rerun.status.success(),
        "the rerun after the kills failed: {}",
        String::from_utf8_lossy(&rerun.stderr)
    );
    assert_consistent(&out, &before, &BTreeMap::new());
    assert!(
        comparable_contents(&out) == comparable_contents(&reference),
        "the rerun after the kills differs from a clean run"
    );
}

#[test]
fn concurrent_runs_into_one_folder() {
    let temp = tempfile::tempdir().expect("temp dir");
    let slow = write_sample_copies(&temp.path().join("copies.json"), Vec::new(), 600);
    let small = write_export(&temp.path().join("small.json"), &[small_conversation()]);
    let reference = clean_run(temp.path(), "reference", &[slow.as_path()]);
    let out = temp.path().join("out");
    fs::create_dir(&out).expect("mkdir");
    fs::write(out.join(FOREIGN_FILE), FOREIGN_CONTENT).expect("write the foreign file");
    let before = contents(&out);

    let mut first = spawn_extract(temp.path(), &slow, &out, Stdio::null());
    // A file other than the foreign one shows that the first run holds the folder's lock.
    let waited = Instant::now();
    let written = |out: &Path| {
        list_files(out)
            .into_iter()
            .filter(|path| !is_temporary(path))
            .count()
    };
    while written(&out) < 2 {
        assert!(
            waited.elapsed() < Duration::from_secs(60),
            "the first run wrote nothing"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let others: Vec<_> = (0..3)
        .map(|_| spawn_extract(temp.path(), &small, &out, Stdio::piped()))
        .collect();
    let root = fs::canonicalize(&out).expect("canonical path");
    for other in others {
        let output = other.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            first.try_wait().expect("poll the first run").is_none(),
            "the first run ended before the others, so they did not overlap"
        );
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("another artifactor run is writing into")
                && stderr.contains(&*root.to_string_lossy()),
            "the busy run does not name the folder: {stderr}"
        );
    }
    let status = first.wait().expect("wait");
    assert!(status.success(), "the first run failed: {status}");

    assert_consistent(&out, &before, &BTreeMap::new());
    assert!(
        comparable_contents(&out) == comparable_contents(&reference),
        "the folder differs from a run without the others"
    );
}
