//! Interrupts: SIGINT, as Ctrl-C sends it, reaches `artifactor extract` while it writes,
//! while it reads one huge conversation, and while it waits to open a FIFO that no writer
//! ever opens. Each time the run must exit with status 130 soon after the signal, say on
//! stderr that it was interrupted, and leave a manifest that lists exactly the complete
//! files, with no temporary file left behind.
//!
//! Each case prints how long the run took to exit after the signal, past the test harness's
//! output capture. The tests assert a generous bound, [`PROMPT`], so that a loaded machine
//! does not fail them. They run on Linux only, because they read `/proc` to send the signal
//! at the right moment.
#![cfg(target_os = "linux")]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use common::faults::{
    FOREIGN_CONTENT, FOREIGN_FILE, assert_consistent, clean_run, comparable_contents, contents,
    conversation, is_temporary, large_conversation, small_conversation, spawn_extract,
    write_sample_copies,
};
use common::list_files;

/// The maximum time a run may take to exit after SIGINT. Runs normally exit within a second,
/// and the margin is for a loaded machine.
const PROMPT: Duration = Duration::from_secs(10);

/// The maximum time a test waits for a run to reach the moment when the signal is sent.
const SETUP_WAIT: Duration = Duration::from_secs(120);

/// Bytes of the one huge artifact, so that reading its conversation takes a while.
const HUGE_ARTIFACT_BYTES: usize = 240 * 1024 * 1024;

/// Prints how long a case took to exit, past the test harness's output capture.
fn report_exit_time(case: &str, took: Duration) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(
        stderr,
        "interrupt::{case}: exited {:.3} s after the signal",
        took.as_secs_f64()
    );
}

/// Starts `artifactor extract INPUT --out OUT` with stderr going to `OUT.stderr`.
fn start(temp: &Path, input: &Path, out: &Path) -> (Child, PathBuf) {
    let stderr_path = out.with_extension("stderr");
    let stderr = File::create(&stderr_path).expect("create the stderr file");
    let child = spawn_extract(temp, input, out, Stdio::from(stderr));
    (child, stderr_path)
}

/// Sends SIGINT to `child` and waits for it to exit. Returns its status and the time from
/// the signal to the exit. A run still alive after [`PROMPT`] is killed and fails the test.
fn interrupt(child: &mut Child) -> (ExitStatus, Duration) {
    send_signal(child, "INT")
}

/// Sends the signal named `signal` (such as `TERM`) to `child`, then waits as [`interrupt`]
/// does.
fn send_signal(child: &mut Child, signal: &str) -> (ExitStatus, Duration) {
    let pid = child.id().to_string();
    let sent = Command::new("kill")
        .args([format!("-{signal}").as_str(), &pid])
        .status()
        .expect("run kill");
    assert!(sent.success(), "kill -{signal} {pid} failed: {sent}");
    let signalled = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("poll the run") {
            return (status, signalled.elapsed());
        }
        if signalled.elapsed() > PROMPT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the run was still running {PROMPT:?} after SIG{signal}, so it was killed");
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Runs `check` every millisecond until it returns `true`. Panics with `what` when the run
/// exits first or after [`SETUP_WAIT`].
fn wait_for(child: &mut Child, what: &str, mut check: impl FnMut() -> bool) {
    let started = Instant::now();
    while !check() {
        if let Some(status) = child.try_wait().expect("poll the run") {
            panic!("the run exited ({status}) before {what}");
        }
        assert!(
            started.elapsed() < SETUP_WAIT,
            "waited {SETUP_WAIT:?} for {what}"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Returns the artifact files below `out`: every file except the manifest, temporary files
/// and the foreign file.
fn artifact_files(out: &Path) -> Vec<String> {
    list_files(out)
        .into_iter()
        .filter(|path| path != "manifest.json" && path != FOREIGN_FILE && !is_temporary(path))
        .collect()
}

/// Creates the output folder with the foreign file in it, and returns what it contains.
fn prepare_out(out: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::create_dir(out).expect("create the output folder");
    fs::write(out.join(FOREIGN_FILE), FOREIGN_CONTENT).expect("write the foreign file");
    contents(out)
}

/// Returns how far process `pid` has read into its open file `path`: the `pos` of the first
/// descriptor that points at it, from `/proc/PID/fdinfo`.
fn read_position(pid: u32, path: &Path) -> Option<u64> {
    let fds = fs::read_dir(format!("/proc/{pid}/fd")).ok()?;
    for fd in fds.flatten() {
        if fs::read_link(fd.path()).ok().as_deref() != Some(path) {
            continue;
        }
        let info = fs::read_to_string(format!(
            "/proc/{pid}/fdinfo/{}",
            fd.file_name().to_string_lossy()
        ))
        .ok()?;
        let pos = info.lines().find_map(|line| line.strip_prefix("pos:"))?;
        return pos.trim().parse().ok();
    }
    None
}

/// Returns whether a thread of process `pid` sleeps in the kernel function `function`, as
/// `/proc/PID/task/TID/wchan` names it.
fn thread_sleeps_in(pid: u32, function: &str) -> bool {
    let Ok(tasks) = fs::read_dir(format!("/proc/{pid}/task")) else {
        return false;
    };
    tasks.flatten().any(|task| {
        fs::read_to_string(task.path().join("wchan")).is_ok_and(|wchan| wchan.trim() == function)
    })
}

/// Checks the exit status and stderr of an interrupted run.
fn assert_interrupted(status: ExitStatus, stderr_path: &Path) {
    let stderr = fs::read_to_string(stderr_path).expect("read stderr");
    assert_eq!(
        status.code(),
        Some(130),
        "an interrupted run must exit with 130, not {status}: {stderr}"
    );
    assert!(
        stderr.contains("artifactor: interrupted"),
        "stderr does not say that the run was interrupted: {stderr}"
    );
}

#[test]
fn sigint_while_writing_keeps_complete_files() {
    let temp = tempfile::tempdir().expect("temp dir");
    let input = write_sample_copies(
        &temp.path().join("copies.json"),
        vec![large_conversation(10)],
        400,
    );
    let reference = clean_run(temp.path(), "reference", &[input.as_path()]);
    let reference_files = contents(&reference);
    let total = artifact_files(&reference).len();

    let out = temp.path().join("interrupted");
    let before = prepare_out(&out);
    let (mut child, stderr_path) = start(temp.path(), &input, &out);
    // The large conversation's 10 files come first. Past them, the run is in the sample's
    // copies, with thousands of files still to write.
    wait_for(&mut child, "it wrote 100 files", || {
        artifact_files(&out).len() >= 100
    });
    let (status, took) = interrupt(&mut child);
    report_exit_time("sigint_while_writing_keeps_complete_files", took);
    assert_interrupted(status, &stderr_path);

    // No file outside the manifest is allowed, except the foreign file from before.
    let listed = assert_consistent(&out, &before, &BTreeMap::new());
    assert!(
        listed.len() >= 100,
        "{} files listed, but 100 were on disk before the signal",
        listed.len()
    );
    assert!(
        listed.len() < total,
        "all {total} files were written, so the signal came too late"
    );
    let written = contents(&out);
    for path in &listed {
        assert!(
            reference_files.get(path) == written.get(path),
            "{path} differs from the clean run's copy"
        );
    }

    let rerun = spawn_extract(temp.path(), &input, &out, Stdio::null())
        .wait()
        .expect("rerun");
    assert!(rerun.success(), "the rerun after SIGINT failed: {rerun}");
    assert_consistent(&out, &before, &BTreeMap::new());
    assert!(
        comparable_contents(&out) == comparable_contents(&reference),
        "the rerun after SIGINT differs from a clean run"
    );
}

/// SIGTERM, as a service manager sends it, and SIGHUP, as a closed terminal sends it, end a
/// run the way Ctrl-C does.
#[test]
fn sigterm_and_sighup_keep_complete_files() {
    let temp = tempfile::tempdir().expect("temp dir");
    let input = write_sample_copies(
        &temp.path().join("copies.json"),
        vec![large_conversation(10)],
        400,
    );
    for signal in ["TERM", "HUP"] {
        let out = temp.path().join(format!("signalled-{signal}"));
        let before = prepare_out(&out);
        let (mut child, stderr_path) = start(temp.path(), &input, &out);
        wait_for(&mut child, "it wrote 100 files", || {
            artifact_files(&out).len() >= 100
        });
        let (status, took) = send_signal(&mut child, signal);
        report_exit_time(&format!("sig{}_while_writing", signal.to_lowercase()), took);
        assert_interrupted(status, &stderr_path);
        let listed = assert_consistent(&out, &before, &BTreeMap::new());
        assert!(
            listed.len() >= 100,
            "SIG{signal}: {} files listed, but 100 were on disk before the signal",
            listed.len()
        );
    }
}

/// Writes an export of the small conversation, then one conversation whose one artifact has
/// [`HUGE_ARTIFACT_BYTES`] of text. The text is streamed to the file, so the test never has
/// all of it in memory.
fn write_huge_export(path: &Path) -> PathBuf {
    const PLACEHOLDER: &str = "CONTENT-GOES-HERE";
    let huge = conversation("44444444-huge", "Huge", &[PLACEHOLDER.to_owned()]);
    let json = serde_json::to_string(&[small_conversation(), huge]).expect("serialize");
    let (prefix, suffix) = json.split_once(PLACEHOLDER).expect("the placeholder");

    let mut file = BufWriter::new(File::create(path).expect("create the export"));
    file.write_all(prefix.as_bytes()).expect("write the export");
    // `\n` is escaped in JSON, so each line is 80 bytes of text and 81 bytes in the file.
    let text = "huge conversation text ".repeat(4);
    let line = format!("{}\\n", &text[..79]);
    for _ in 0..HUGE_ARTIFACT_BYTES / 80 {
        file.write_all(line.as_bytes()).expect("write the export");
    }
    file.write_all(suffix.as_bytes()).expect("write the export");
    file.flush().expect("write the export");
    fs::canonicalize(path).expect("canonical path")
}

#[test]
fn sigint_inside_huge_conversation_exits_promptly() {
    let temp = tempfile::tempdir().expect("temp dir");
    let input = write_huge_export(&temp.path().join("huge.json"));
    let size = fs::metadata(&input).expect("export size").len();

    let out = temp.path().join("out");
    let before = prepare_out(&out);
    let (mut child, stderr_path) = start(temp.path(), &input, &out);
    let pid = child.id();
    // The small conversation's three files are written while the huge one is still being
    // read. The signal comes once a quarter of the huge one has been read.
    wait_for(&mut child, "it read into the huge conversation", || {
        let position = read_position(pid, &input).unwrap_or(0);
        artifact_files(&out).len() == 3 && position > size / 4
    });
    let position = read_position(pid, &input).unwrap_or(size);
    assert!(
        position < size,
        "the run read the whole file before the signal"
    );
    let (status, took) = interrupt(&mut child);
    report_exit_time("sigint_inside_huge_conversation_exits_promptly", took);
    assert_interrupted(status, &stderr_path);

    let listed = assert_consistent(&out, &before, &BTreeMap::new());
    let small: BTreeSet<String> = artifact_files(&out)
        .into_iter()
        .filter(|path| path.contains("Small"))
        .collect();
    assert_eq!(small.len(), 3, "the small conversation's files: {small:?}");
    assert_eq!(
        listed, small,
        "the manifest must list the small conversation's files and nothing else"
    );
}

#[test]
fn sigint_while_opening_fifo_exits_promptly() {
    let temp = tempfile::tempdir().expect("temp dir");
    let fifo = temp.path().join("export.json");
    let mkfifo = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("run mkfifo");
    assert!(mkfifo.success(), "mkfifo failed: {mkfifo}");

    let out = temp.path().join("out");
    let before = prepare_out(&out);
    let (mut child, stderr_path) = start(temp.path(), &fifo, &out);
    let pid = child.id();
    // Linux's open() of a FIFO sleeps in `wait_for_partner` until a writer opens it too.
    wait_for(&mut child, "a thread blocked opening the FIFO", || {
        thread_sleeps_in(pid, "wait_for_partner")
    });
    let (status, took) = interrupt(&mut child);
    report_exit_time("sigint_while_opening_fifo_exits_promptly", took);
    assert_interrupted(status, &stderr_path);

    let listed = assert_consistent(&out, &before, &BTreeMap::new());
    assert!(listed.is_empty(), "nothing was read, yet {listed:?} listed");
}

#[test]
fn sigint_during_download_writes_nothing() {
    let server = common::server::TestServer::start(Duration::ZERO);
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("out");
    let stderr_path = temp.path().join("out.stderr");
    let stderr = File::create(&stderr_path).expect("create the stderr file");
    let mut child = Command::new(common::faults::binary())
        .env("ARTIFACTOR_CONFIG_DIR", temp.path().join("no-config"))
        .env("ARTIFACTOR_DATA_DIR", common::test_data_dir())
        .env("ARTIFACTOR_BASE_URL", server.base_url())
        .env_remove("HEADLESS")
        .args(["extract", "https://claude.ai/share/stall-1", "--out"])
        .arg(&out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(stderr))
        .spawn()
        .expect("start artifactor");
    wait_for(&mut child, "the download started", || {
        server.requests("stall-1") >= 1
    });
    let (status, took) = interrupt(&mut child);
    report_exit_time("sigint_during_download_writes_nothing", took);
    assert_interrupted(status, &stderr_path);
    let stderr = fs::read_to_string(&stderr_path).expect("read stderr");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!stderr.contains("manifest"), "{stderr}");
    assert!(!out.exists(), "the output folder was left behind");
}

#[test]
fn sigint_while_stdin_waits_writes_nothing() {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("out");
    let stderr_path = temp.path().join("out.stderr");
    let stderr = File::create(&stderr_path).expect("create the stderr file");
    let mut child = Command::new(common::faults::binary())
        .env("ARTIFACTOR_CONFIG_DIR", temp.path().join("no-config"))
        .env("ARTIFACTOR_DATA_DIR", common::test_data_dir())
        .env_remove("HEADLESS")
        .args(["extract", "-", "--out"])
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::from(stderr))
        .spawn()
        .expect("start artifactor");
    // The pipe stays open without an end, as a terminal does while the user types.
    let mut stdin = child.stdin.take().expect("stdin pipe");
    stdin.write_all(b"some line\n").expect("write to stdin");
    let pid = child.id();
    // Depending on the kernel version, wchan names this wait pipe_read or anon_pipe_read
    // (seen on Linux 6.18.44).
    wait_for(&mut child, "it waits on standard input", || {
        thread_sleeps_in(pid, "pipe_read") || thread_sleeps_in(pid, "anon_pipe_read")
    });
    let (status, took) = interrupt(&mut child);
    report_exit_time("sigint_while_stdin_waits_writes_nothing", took);
    drop(stdin);
    assert_interrupted(status, &stderr_path);
    let stderr = fs::read_to_string(&stderr_path).expect("read stderr");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!out.exists(), "the output folder was left behind");
}
