//! Files written in "create files" mode with `create_file` and `str_replace`, keyed by path.
//!
//! Files written by `bash_tool` cannot be rebuilt, because the export keeps only the command.

use super::display::full_content;
use super::edit::{Edit, apply_edit};
use super::store::{Store, non_empty};
use crate::artifact::{Origin, Version};
use crate::model::{Block, ToolInput};

/// Applies one accepted `create_file` call: a full version of the file at `path`.
pub(super) fn apply_create_file(store: &mut Store, block: &Block, message_uuid: &str) {
    let no_input = ToolInput::default();
    let input = block.input.as_ref().unwrap_or(&no_input);
    let Some(path) = non_empty(input.path.as_deref()) else {
        warn_missing_path(store, "create_file", message_uuid);
        return;
    };

    let display_content = block.display_content.as_ref();
    let Some(full) = full_content(input.file_text.as_deref(), None, display_content) else {
        store.warn_artifact(
            Origin::File,
            path,
            format!(
                "Skipped the `create_file` call for `{path}` in message {message_uuid} because \
                 it has neither file_text nor display_content with code."
            ),
        );
        return;
    };

    let version = Version {
        content: full.content,
        title: file_name(path).to_owned(),
        kind: String::new(),
        language: full.language,
        message_uuid: message_uuid.to_owned(),
        flags: Vec::new(),
    };
    store.push_version(Origin::File, path, version);
}

/// Applies one accepted `str_replace` call to the latest version of the file at `path`.
pub(super) fn apply_str_replace(store: &mut Store, block: &Block, message_uuid: &str) {
    let no_input = ToolInput::default();
    let input = block.input.as_ref().unwrap_or(&no_input);
    let Some(path) = non_empty(input.path.as_deref()) else {
        warn_missing_path(store, "str_replace", message_uuid);
        return;
    };

    let edit = Edit {
        command: "str_replace",
        old_str: input.old_str.as_deref(),
        new_str: input.new_str.as_deref(),
        title: None,
        kind: None,
        language: None,
    };
    apply_edit(store, Origin::File, path, &edit, message_uuid);
}

fn warn_missing_path(store: &mut Store, command: &str, message_uuid: &str) {
    store.warn(format!(
        "Skipped a `{command}` call in message {message_uuid} because it has no path."
    ));
}

/// Returns the last component of a `/`-separated path, or the whole path when that is empty.
fn file_name(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|name| !name.is_empty())
        .unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifact::Rebuilt;
    use crate::rebuild::test_support::{
        artifact, assistant, chat, contents, quoted, rebuild_json, tool_result, tool_use, warnings,
    };

    const PATH: &str = "/mnt/user-data/outputs/report.md";

    fn create_file(path: &str, text: &str) -> String {
        let input = format!(r#"{{"path": "{path}", "file_text": {}}}"#, quoted(text));
        tool_use("create_file", None, &input)
    }

    fn str_replace(path: &str, old_str: &str, new_str: &str) -> String {
        let input = format!(
            r#"{{"path": "{path}", "old_str": {}, "new_str": {}}}"#,
            quoted(old_str),
            quoted(new_str)
        );
        tool_use("str_replace", None, &input)
    }

    fn one_message(blocks: &[String]) -> Rebuilt {
        rebuild_json(&chat(&[assistant("m1", blocks)]))
    }

    #[test]
    fn create_file_sets_fields() {
        let rebuilt = one_message(&[create_file(PATH, "# Report\n")]);
        let found = artifact(&rebuilt, PATH).expect("file artifact exists");
        let version = found.final_version();
        assert_eq!(found.origin, Origin::File);
        assert_eq!(version.content, "# Report\n");
        assert_eq!(version.title, "report.md");
        assert_eq!(version.kind, "");
        assert_eq!(version.language, None);
    }

    #[test]
    fn str_replace_applies() {
        let rebuilt = one_message(&[create_file(PATH, "a\nb\n"), str_replace(PATH, "b\n", "c\n")]);
        assert_eq!(contents(&rebuilt, PATH), ["a\nb\n", "a\nc\n"]);
    }

    #[test]
    fn str_replace_new_str_defaults_empty() {
        let input = format!(r#"{{"path": "{PATH}", "old_str": "b"}}"#);
        let rebuilt = one_message(&[
            create_file(PATH, "ab"),
            tool_use("str_replace", None, &input),
        ]);
        assert_eq!(contents(&rebuilt, PATH), ["ab", "a"]);
    }

    #[test]
    fn str_replace_found_twice_warns() {
        let rebuilt = one_message(&[create_file(PATH, "x x"), str_replace(PATH, "x", "y")]);
        assert_eq!(contents(&rebuilt, PATH), ["x x"]);
        let warnings = warnings(&rebuilt, PATH);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("found 2 times"));
        assert!(warnings[0].contains(PATH));
    }

    #[test]
    fn str_replace_before_create_warns() {
        let rebuilt = one_message(&[str_replace(PATH, "x", "y")]);
        assert!(rebuilt.artifacts.is_empty());
        assert_eq!(rebuilt.warnings.len(), 1);
    }

    #[test]
    fn error_result_cancels_create() {
        let input = format!(r#"{{"path": "{PATH}", "file_text": "x"}}"#);
        let rebuilt = one_message(&[
            tool_use("create_file", Some("t1"), &input),
            tool_result("create_file", Some("t1"), true),
        ]);
        assert!(rebuilt.artifacts.is_empty());
    }

    #[test]
    fn error_result_cancels_str_replace() {
        let rebuilt = one_message(&[
            create_file(PATH, "x"),
            str_replace(PATH, "x", "y"),
            tool_result("str_replace", None, true),
        ]);
        assert_eq!(contents(&rebuilt, PATH), ["x"]);
    }

    #[test]
    fn display_content_fills_file_text() {
        let block = format!(
            r#"{{"type": "tool_use", "name": "create_file", "input": {{"path": "{PATH}"}},
                "display_content": {{"type": "code_block", "code": "shown",
                "language": "markdown", "filename": "report.md"}}}}"#
        );
        let rebuilt = one_message(&[block]);
        assert_eq!(contents(&rebuilt, PATH), ["shown"]);
    }

    #[test]
    fn missing_file_text_warns() {
        let input = format!(r#"{{"path": "{PATH}"}}"#);
        let rebuilt = one_message(&[tool_use("create_file", None, &input)]);
        assert!(rebuilt.artifacts.is_empty());
        assert_eq!(rebuilt.warnings.len(), 1);
    }

    #[test]
    fn missing_path_warns() {
        let rebuilt = one_message(&[tool_use("create_file", None, r#"{"file_text": "x"}"#)]);
        assert!(rebuilt.artifacts.is_empty());
        assert_eq!(rebuilt.warnings.len(), 1);
    }

    #[test]
    fn file_name_of_paths() {
        assert_eq!(file_name("/mnt/user-data/outputs/x.md"), "x.md");
        assert_eq!(file_name("plain.txt"), "plain.txt");
        assert_eq!(file_name("/dir/sub/"), "sub");
        assert_eq!(file_name("/"), "/");
        assert_eq!(file_name("/данные/отчёт.md"), "отчёт.md");
    }
}
