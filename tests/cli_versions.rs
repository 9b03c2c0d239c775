//! How versions are rebuilt: updates applied in order, failed updates kept as warnings,
//! calls the tool rejected, updates without a create, files mode, and the choice of branch
//! when a response was regenerated or a prompt edited.

mod common;

use pretty_assertions::assert_eq;

use common::sample;
use common::{extract_ok, fixture, list_files, sample_export};

#[test]
fn second_tag_replaces_first() {
    let run = extract_ok(&[sample_export()], &[]);

    assert_eq!(
        run.content_of("csv-cleaner"),
        sample::CSV_CLEANER_V2,
        "final version of a tag identifier used twice"
    );
}

#[test]
fn rewrite_replaces_content() {
    let run = extract_ok(&[sample_export()], &[]);

    assert_eq!(
        run.content_of("library-schema"),
        sample::LIBRARY_SCHEMA_V2,
        "content after a rewrite"
    );
    assert_eq!(run.entry("library-schema")["versions"], 2, "versions");
}

#[test]
fn updates_applied_once_each() {
    let run = extract_ok(&[sample_export()], &[]);

    assert_eq!(
        run.content_of("sales-dashboard"),
        sample::DASHBOARD_V3,
        "create, an update, an update with empty new_str; a missed and a rejected update change nothing"
    );
}

#[test]
fn missed_update_warns() {
    let run = extract_ok(&[sample_export()], &[]);
    let entry = run.entry("sales-dashboard");

    assert!(
        !entry["warnings"]
            .as_array()
            .is_none_or(|warnings| warnings.is_empty()),
        "an update whose old_str is not in the artifact needs a warning: {entry:#}"
    );
    assert_eq!(
        entry["versions"], 3,
        "versions: the missed and the rejected update add none"
    );
}

#[test]
fn four_updates_in_one_message() {
    let run = extract_ok(&[fixture("many-artifacts.json")], &[]);

    assert_eq!(
        run.content_of("parser"),
        PARSER_FINAL,
        "four updates applied in order"
    );
    assert_eq!(run.entry("parser")["versions"], 5, "versions");
}

#[test]
fn several_artifacts_in_one_message() {
    let run = extract_ok(&[fixture("many-artifacts.json")], &[]);

    assert_eq!(
        run.artifact_ids(),
        vec!["parser", "parser-tests", "parser-readme"],
        "artifacts of one message"
    );
    assert_eq!(
        run.content_of("parser-tests"),
        "from parser import parse\n\nassert parse('a=b') == ('a', 'b')\n",
        "second artifact"
    );
    assert_eq!(
        run.content_of("parser-readme"),
        "# Parser\n\nParses `key = value` lines.\n",
        "third artifact"
    );
}

#[test]
fn failed_updates_keep_previous() {
    let run = extract_ok(&[fixture("failed-updates.json")], &[]);

    assert_eq!(
        run.content_of("counter"),
        COUNTER_FINAL,
        "old_str found twice and old_str missing change nothing; the later update applies"
    );
    assert_eq!(run.entry("counter")["versions"], 2, "versions");
}

#[test]
fn failed_updates_warn() {
    let run = extract_ok(&[fixture("failed-updates.json")], &[]);
    let entry = run.entry("counter");
    let warnings = entry["warnings"].as_array().map_or(0, Vec::len);

    assert!(
        warnings >= 2,
        "one warning each for the ambiguous and the missing old_str, found {warnings}: {entry:#}"
    );
}

#[test]
fn rejected_rewrite_not_applied() {
    let run = extract_ok(&[fixture("failed-updates.json")], &[]);

    assert!(
        !run.content_of("counter").contains("rejected"),
        "a rewrite whose tool_result has is_error: true must not become a version"
    );
}

#[test]
fn rejected_create_writes_nothing() {
    let run = extract_ok(&[fixture("failed-updates.json")], &[]);

    assert_eq!(
        run.entries_with_id("ghost").len(),
        0,
        "a create whose tool_result has is_error: true makes no artifact"
    );
}

#[test]
fn update_before_create_skipped() {
    let run = extract_ok(&[fixture("update-before-create.json")], &[]);

    assert_eq!(
        run.entries_with_id("orphan").len(),
        0,
        "an update of an id never created has nothing to apply to"
    );
    assert_eq!(
        run.content_of("kept"),
        "kept\n",
        "the other artifact of the message"
    );
}

#[test]
fn regenerated_response_wins() {
    let run = extract_ok(&[sample_export()], &[]);

    assert_eq!(
        run.content_of("word-count"),
        sample::WORD_COUNT_FINAL,
        "the branch of the newest leaf has the final version"
    );
    assert_eq!(
        run.entry("word-count")["versions"],
        1,
        "versions on the active branch"
    );
}

#[test]
fn abandoned_response_never_written() {
    let run = extract_ok(&[sample_export()], &["--all-versions"]);

    for path in list_files(&run.out) {
        assert_ne!(
            run.read(&path),
            sample::WORD_COUNT_ABANDONED,
            "{path} contains the response the user regenerated"
        );
    }
}

#[test]
fn abandoned_branch_updates_ignored() {
    let run = extract_ok(&[fixture("abandoned-branch.json")], &[]);

    assert_eq!(
        run.content_of("poem"),
        "Roses are red\nBorrowck is true\n",
        "only updates on the branch of the newest leaf apply"
    );
    assert_eq!(run.entry("poem")["versions"], 2, "versions");
}

#[test]
fn files_mode_str_replace() {
    let run = extract_ok(&[sample_export()], &[]);
    let path = format!("{}/deploy.sh", sample::DEPLOY_FOLDER);

    assert_eq!(
        run.read(&path),
        sample::DEPLOY_SCRIPT_V2,
        "create_file then str_replace"
    );
}

#[test]
fn files_mode_missing_new_str_deletes() {
    let run = extract_ok(&[fixture("files-mode.json")], &[]);
    let chat = "2025-10-02 Files mode (f11e0001)";

    assert_eq!(
        run.read(&format!("{chat}/site/index.html")),
        SITE_INDEX_FINAL,
        "str_replace without new_str removes old_str"
    );
    assert_eq!(
        run.read(&format!("{chat}/site/css/style.css")),
        "h1 {\n  color: #b91c1c;\n}\n",
        "str_replace with new_str"
    );
}

#[test]
fn files_mode_second_create_replaces() {
    let run = extract_ok(&[fixture("files-mode.json")], &[]);

    assert_eq!(
        run.read("2025-10-02 Files mode (f11e0001)/notes.txt"),
        "second draft\n",
        "create_file on an existing path is a new full version"
    );
}

#[test]
fn files_mode_replace_without_create() {
    let run = extract_ok(&[fixture("files-mode.json")], &[]);

    assert!(
        !run.has_file("2025-10-02 Files mode (f11e0001)/missing.md"),
        "str_replace on a path never created writes no file"
    );
    assert_eq!(run.entries().len(), 3, "files of the conversation");
}

const PARSER_FINAL: &str = r##"def parse(line):
    """Split a `key = value` line. Returns None for blank lines and comments."""
    if not line.strip() or line.lstrip().startswith("#"):
        return None
    key, value = line.split("=", 1)
    return key.strip(), value.strip()
"##;

const COUNTER_FINAL: &str = r#"total = 0
for line in open("log.txt"):
    if "ERROR" in line:
        total += 1
    if "WARN" in line:
        total += 1
print(f"{total} problems")
"#;

const SITE_INDEX_FINAL: &str = r#"<!DOCTYPE html>
<html>
  <head><link rel="stylesheet" href="css/style.css"></head>
  <body>
    <h1>Hello</h1>
  </body>
</html>
"#;
