//! Shell completions and the manual page, generated from the argument definitions.

mod common;

use common::artifactor;

fn stdout_of(args: &[&str]) -> String {
    let output = artifactor().args(args).output().expect("run artifactor");
    assert!(
        output.status.success(),
        "artifactor {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

#[test]
fn completions_cover_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = stdout_of(&["completions", shell]);
        assert!(
            script.contains("extract"),
            "{shell} script lacks the extract command"
        );
        assert!(
            script.contains("all-versions"),
            "{shell} script lacks the --all-versions option"
        );
    }
}

#[test]
fn completions_reject_unknown_shell() {
    let output = artifactor()
        .args(["completions", "tcsh"])
        .output()
        .expect("run artifactor");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn extract_man_page_lists_options() {
    let page = stdout_of(&["man", "extract"]);
    assert!(page.contains(".TH artifactor-extract 1"), "no title header");
    assert!(page.contains(r"max\-download"), "--max-download is missing");
    assert!(page.contains(r"\-\-out"), "--out is missing");
}

#[test]
fn man_pages_exist_for_every_reference() {
    let temp = tempfile::tempdir().expect("temp dir");
    let output = artifactor()
        .args(["man", "--dir"])
        .arg(temp.path())
        .output()
        .expect("run artifactor");
    assert_eq!(output.status.code(), Some(0));
    let top = std::fs::read_to_string(temp.path().join("artifactor.1")).expect("top page");
    for command in ["extract", "completions", "man", "config", "doctor"] {
        assert!(
            top.contains(&format!(r"artifactor\-{command}(1)")),
            "the top page does not refer to {command}"
        );
        let page = temp.path().join(format!("artifactor-{command}.1"));
        assert!(page.is_file(), "{} is missing", page.display());
    }
    for command in ["path", "show"] {
        let page = temp.path().join(format!("artifactor-config-{command}.1"));
        assert!(page.is_file(), "{} is missing", page.display());
    }
    let extract =
        std::fs::read_to_string(temp.path().join("artifactor-extract.1")).expect("extract page");
    assert!(
        extract.contains(r"max\-download"),
        "--max-download is missing"
    );
}

#[test]
fn man_page_of_unknown_command_fails() {
    let output = artifactor()
        .args(["man", "nope"])
        .output()
        .expect("run artifactor");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn man_page_is_roff_with_commands() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH artifactor 1"), "no title header");
    assert!(page.contains("extract"), "the extract command is missing");
    assert!(
        page.contains("headless"),
        "the --headless option is missing"
    );
}
