//! How artifacts are read out of messages: inline tags in their various forms, old exports
//! with only `text`, `language` null, and the lenient reading of unknown block types, unknown
//! fields, values of the wrong type and conversations without artifacts.

mod common;

use pretty_assertions::assert_eq;
use serde_json::Value;

use common::{assert_manifest_matches_disk, extract_ok, fixture};

#[test]
fn tag_attributes_in_any_order() {
    let run = extract_ok(&[fixture("tags.json")], &[]);
    let entry = run.entry("reordered");

    assert_eq!(
        run.content_of("reordered"),
        "print('attributes in any order')",
        "body without the newlines around it"
    );
    assert_eq!(entry["title"], "Reordered", "title");
    assert_eq!(entry["language"], "python", "language");
}

#[test]
fn tag_strips_one_newline_each_side() {
    let run = extract_ok(&[fixture("tags.json")], &[]);

    assert_eq!(
        run.content_of("trailing-newline"),
        "# Kept\n",
        "a body ending in two newlines keeps one"
    );
    assert_eq!(
        run.content_of("no-newlines"),
        "# Tight",
        "a body without newlines is kept whole"
    );
}

#[test]
fn tag_body_kept_raw() {
    let run = extract_ok(&[fixture("tags.json")], &[]);

    assert_eq!(
        run.content_of("raw-html"),
        "<div id=\"app\"></div>\n<script>\n  if (1 < 2 && 3 > 2) document.getElementById(\"app\").textContent = \"</div>\";\n</script>",
        "markup inside a tag body is not unescaped or cut"
    );
}

#[test]
fn tag_types_all_read() {
    let run = extract_ok(&[fixture("tags.json")], &[]);

    assert_eq!(
        run.artifact_ids(),
        vec![
            "reordered",
            "trailing-newline",
            "no-newlines",
            "flow",
            "dot",
            "counter",
            "raw-html"
        ],
        "artifacts of one message in the order they appear"
    );
    assert_eq!(
        run.content_of("counter"),
        "export default function Counter() {\n  return <button>0</button>;\n}",
        "React tag"
    );
    assert_eq!(run.content_of("flow"), "graph TD\n  A --> B", "Mermaid tag");
}

#[test]
fn antthinking_not_an_artifact() {
    let run = extract_ok(&[fixture("tags.json")], &[]);

    for entry in run.entries() {
        let content = run.read(entry["path"].as_str().unwrap_or_default());
        assert!(
            !content.contains("antThinking"),
            "an <antThinking> block ended up in {}",
            entry["path"]
        );
    }
}

#[test]
fn old_export_text_only() {
    let run = extract_ok(&[fixture("text-only.json")], &[]);

    assert_eq!(
        run.files(),
        vec!["2024-03-12 Old export (01d0e001)/FizzBuzz.py"],
        "files from messages with empty or missing content"
    );
    assert_eq!(
        run.content_of("fizzbuzz"),
        FIZZBUZZ_V2,
        "the second tag with the same identifier is the final version"
    );
    assert_eq!(run.entry("fizzbuzz")["versions"], 2, "versions");
}

#[test]
fn language_null_from_tool() {
    let run = extract_ok(&[fixture("language-null.json")], &[]);
    let entry = run.entry("plain-notes");

    assert_eq!(entry["language"], Value::Null, "language");
    assert_eq!(
        run.content_of("plain-notes"),
        "alpha beta gamma\n",
        "content"
    );
}

#[test]
fn language_missing_from_tag() {
    let run = extract_ok(&[fixture("language-null.json")], &[]);
    let entry = run.entry("snippet");

    assert_eq!(entry["language"], Value::Null, "language");
    assert_eq!(run.content_of("snippet"), "just some words", "content");
}

#[test]
fn unknown_blocks_skipped() {
    let run = extract_ok(&[fixture("unknown-blocks.json")], &[]);

    assert_eq!(
        run.artifact_ids(),
        vec!["todo"],
        "only the artifacts tool call makes an artifact"
    );
    assert_eq!(
        run.content_of("todo"),
        "# Todo\n\n- [ ] Call the plumber\n- [ ] Renew the passport\n",
        "content read past voice_note, token_budget, an invented type and non-object blocks"
    );
}

#[test]
fn wrong_types_tolerated() {
    let run = extract_ok(&[fixture("wrong-types.json")], &[]);
    let entry = run.entry("haiku");

    assert_eq!(
        run.content_of("haiku"),
        "An old silent pond\nA frog jumps into the pond\nSplash! Silence again\n",
        "content"
    );
    assert_eq!(
        entry["conversation_uuid"], "3e000001-0c67-42a1-a06c-da518c313b23",
        "conversation_uuid"
    );
    assert_eq!(
        entry["language"],
        Value::Null,
        "a language that is an array reads as none"
    );
}

#[test]
fn wrong_types_path_uses_uuid() {
    let run = extract_ok(&[fixture("wrong-types.json")], &[]);
    let path = run.entry("haiku")["path"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    assert!(
        path.contains("(3e000001)/"),
        "a conversation whose name and date are numbers still gets a folder with its uuid: {path:?}"
    );
}

#[test]
fn empty_conversations_write_nothing() {
    let run = extract_ok(&[fixture("empty-conversations.json")], &[]);

    assert_eq!(run.entries().len(), 0, "manifest entries");
    assert_eq!(
        run.files(),
        Vec::<String>::new(),
        "files besides manifest.json"
    );
}

#[test]
fn empty_conversations_in_summary() {
    let run = extract_ok(&[fixture("empty-conversations.json")], &["--json"]);

    assert_eq!(
        run.summary()["artifacts"].as_u64(),
        Some(0),
        "`artifacts` in the --json summary"
    );
}

#[test]
fn manifest_matches_disk_for_fixtures() {
    let inputs = [
        "array.json",
        "web-conversation.json",
        "share-snapshot.json",
        "export-2026",
        "export-unpacked",
        "empty-conversations.json",
        "folder-names.json",
        "unicode-titles.json",
        "text-only.json",
        "tags.json",
        "language-null.json",
        "many-artifacts.json",
        "same-title.json",
        "same-conversation-name.json",
        "unknown-blocks.json",
        "wrong-types.json",
        "update-before-create.json",
        "abandoned-branch.json",
        "failed-updates.json",
        "files-mode.json",
        "hostile-titles.json",
    ];
    for input in inputs {
        // Printed only when the test fails, to name the input of a failing check.
        eprintln!("input: {input}");
        let run = extract_ok(&[fixture(input)], &[]);
        assert_manifest_matches_disk(&run.out, false);
    }
}

const FIZZBUZZ_V2: &str = r#"def fizzbuzz(limit):
    for n in range(1, limit + 1):
        if n % 15 == 0:
            print("FizzBuzz")
        elif n % 3 == 0:
            print("Fizz")
        elif n % 5 == 0:
            print("Buzz")
        else:
            print(n)


fizzbuzz(100)"#;
