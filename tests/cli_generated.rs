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
fn man_page_is_roff_with_commands() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH artifactor 1"), "no title header");
    assert!(page.contains("extract"), "the extract command is missing");
    assert!(
        page.contains("headless"),
        "the --headless option is missing"
    );
}
