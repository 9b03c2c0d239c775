//! `artifactor extract -` and `--clipboard`: text with fenced code blocks, artifact markers
//! and tags, and JSON, read from standard input.

mod common;

use common::{artifactor, list_files};

/// Runs `extract -` with `text` on standard input into a flat output folder.
fn extract_stdin(text: &str) -> (tempfile::TempDir, std::process::Output) {
    let temp = tempfile::tempdir().expect("temp dir");
    let output = artifactor()
        .args(["extract", "-", "--layout", "flat", "--out"])
        .arg(temp.path().join("out"))
        .write_stdin(text)
        .output()
        .expect("run artifactor");
    (temp, output)
}

fn read(temp: &tempfile::TempDir, name: &str) -> String {
    std::fs::read_to_string(temp.path().join("out").join(name)).expect("read output file")
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn fenced_blocks_become_files() {
    let text = "Here is the app:\n\n```python app.py\nprint('hi')\n```\n\nAnd a query:\n\n\
                ```sql\n-- File: schema.sql\nCREATE TABLE t (id int);\n```\n\n\
                A loose snippet:\n\n```rust\nfn main() {}\n```\n";
    let (temp, output) = extract_stdin(text);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        list_files(&temp.path().join("out")),
        ["Block 3.rs", "app.py", "manifest.json", "schema.sql"]
    );
    assert_eq!(read(&temp, "app.py"), "print('hi')\n");
    assert_eq!(
        read(&temp, "schema.sql"),
        "-- File: schema.sql\nCREATE TABLE t (id int);\n"
    );
    assert_eq!(read(&temp, "Block 3.rs"), "fn main() {}\n");
}

#[test]
fn same_file_name_keeps_last_version() {
    let text = "```js app.js\nconsole.log(1)\n```\nFixed:\n```js app.js\nconsole.log(2)\n```\n";
    let temp = tempfile::tempdir().expect("temp dir");
    let output = artifactor()
        .args([
            "extract",
            "-",
            "--layout",
            "flat",
            "--all-versions",
            "--out",
        ])
        .arg(temp.path().join("out"))
        .write_stdin(text)
        .output()
        .expect("run artifactor");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(read(&temp, "app.js"), "console.log(2)\n");
    assert_eq!(read(&temp, "app.v1.js"), "console.log(1)\n");
}

#[test]
fn markers_name_artifacts() {
    let text = "=== ARTIFACT: Release notes ===\n# 1.0\n\nFirst release.\n\
                === ARTIFACT: build.sh ===\n```bash\nmake all\n```\n";
    let (temp, output) = extract_stdin(text);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        list_files(&temp.path().join("out")),
        ["Release notes.md", "build.sh", "manifest.json"]
    );
    assert_eq!(read(&temp, "build.sh"), "make all\n");
    assert_eq!(read(&temp, "Release notes.md"), "# 1.0\n\nFirst release.\n");
}

#[test]
fn tags_in_text_are_rebuilt() {
    let text = "<antArtifact identifier=\"doc\" type=\"text/markdown\" title=\"Guide\">\n# Guide\n</antArtifact>";
    let (temp, output) = extract_stdin(text);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(read(&temp, "Guide.md"), "# Guide");
}

#[test]
fn json_on_stdin_is_streamed() {
    let json = std::fs::read_to_string(common::fixture("array.json")).expect("fixture");
    let from_stdin = extract_stdin(&json);
    assert_eq!(
        from_stdin.1.status.code(),
        Some(0),
        "{}",
        stderr(&from_stdin.1)
    );
    let from_file = common::extract_ok(&[common::fixture("array.json")], &["--layout", "flat"]);
    let stdin_files: Vec<String> = list_files(&from_stdin.0.path().join("out"))
        .into_iter()
        .filter(|path| path != "manifest.json")
        .collect();
    assert_eq!(stdin_files, from_file.files());
}

#[test]
fn text_without_artifacts_is_an_error() {
    let (temp, output) = extract_stdin("Just a sentence, no code.\n");
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("standard input contains no artifacts"),
        "{message}"
    );
    assert!(message.contains("fenced code blocks"), "{message}");
    assert!(!temp.path().join("out").exists());
}

#[test]
fn clipboard_without_display_explains_alternative() {
    let temp = tempfile::tempdir().expect("temp dir");
    let output = artifactor()
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .args(["extract", "--clipboard", "--out"])
        .arg(temp.path().join("out"))
        .output()
        .expect("run artifactor");
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("cannot read the clipboard"), "{message}");
    assert!(message.contains("artifactor extract -"), "{message}");
}

/// An X server of its own for one test, ended when dropped.
struct XServer {
    process: std::process::Child,
    display: String,
}

impl XServer {
    /// Starts Xvfb on a free display number. Returns `None`, with the reason printed, when
    /// Xvfb is not installed.
    fn start() -> Option<Self> {
        for number in 90..140 {
            let lock = format!("/tmp/.X{number}-lock");
            if std::path::Path::new(&lock).exists() {
                continue;
            }
            let display = format!(":{number}");
            let process = match std::process::Command::new("Xvfb")
                .args([
                    display.as_str(),
                    "-screen",
                    "0",
                    "640x480x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
            {
                Ok(process) => process,
                Err(err) => {
                    eprintln!("skipped: Xvfb cannot be started ({err}); install the xvfb package");
                    return None;
                }
            };
            let socket = format!("/tmp/.X11-unix/X{number}");
            let started = std::time::Instant::now();
            while !std::path::Path::new(&socket).exists() {
                assert!(
                    started.elapsed() < std::time::Duration::from_secs(10),
                    "Xvfb did not open {socket}"
                );
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            return Some(Self { process, display });
        }
        panic!("no free X display number between 90 and 139");
    }
}

impl Drop for XServer {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

#[test]
fn clipboard_text_becomes_files() {
    let Some(x) = XServer::start() else {
        return;
    };
    let text = "Notes:\n```toml config.toml\nname = \"demo\"\n```\n";
    // xclip stays in the background as the clipboard's owner until another owner appears.
    let xclip = std::process::Command::new("xclip")
        .args(["-selection", "clipboard", "-i"])
        .env("DISPLAY", &x.display)
        .stdin(std::process::Stdio::piped())
        .spawn();
    let Ok(mut xclip) = xclip else {
        eprintln!("skipped: xclip is not installed; install the xclip package");
        return;
    };
    {
        use std::io::Write as _;
        let mut stdin = xclip.stdin.take().expect("xclip stdin");
        stdin.write_all(text.as_bytes()).expect("write to xclip");
    }
    assert!(xclip.wait().expect("xclip ran").success());

    let temp = tempfile::tempdir().expect("temp dir");
    let output = artifactor()
        .env("DISPLAY", &x.display)
        .env_remove("WAYLAND_DISPLAY")
        .args(["extract", "--clipboard", "--layout", "flat", "--out"])
        .arg(temp.path().join("out"))
        .output()
        .expect("run artifactor");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        list_files(&temp.path().join("out")),
        ["config.toml", "manifest.json"]
    );
    assert_eq!(read(&temp, "config.toml"), "name = \"demo\"\n");
}

#[test]
fn different_pastes_get_own_folders() {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("out");
    let paste = |text: &str| {
        let output = artifactor()
            .args(["extract", "-", "--out"])
            .arg(&out)
            .write_stdin(text)
            .output()
            .expect("run artifactor");
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    };
    paste("```python\nprint(1)\n```\n");
    paste("```python\nprint(2)\n```\n");
    let files = list_files(&out);
    assert_eq!(files.len(), 3, "{files:?}");
    let folders: std::collections::BTreeSet<&str> = files
        .iter()
        .filter_map(|path| path.split_once('/').map(|(folder, _)| folder))
        .collect();
    assert_eq!(folders.len(), 2, "{files:?}");

    paste("```python\nprint(1)\n```\n");
    assert_eq!(list_files(&out), files);
}
