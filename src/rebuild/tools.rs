//! Calls of the `artifacts` tool, the artifact format from 2025 on.
//!
//! `create` and `rewrite` carry the full content, and `update` replaces `old_str` by `new_str`
//! in the latest content. Missing or empty `title`, `type` and `language` keep the previous
//! version's value.

use super::display::full_content;
use super::edit::{Edit, apply_edit};
use super::store::{Store, inherit, non_empty};
use crate::artifact::{Origin, Version};
use crate::model::{Block, ToolInput};

/// Applies one accepted `artifacts` call made in `message_uuid`.
pub(super) fn apply_artifacts_call(store: &mut Store, block: &Block, message_uuid: &str) {
    let no_input = ToolInput::default();
    let input = block.input.as_ref().unwrap_or(&no_input);

    let Some(id) = non_empty(input.id.as_deref()) else {
        store.warn(format!(
            "Skipped an `artifacts` call in message {message_uuid} because it has no id."
        ));
        return;
    };

    match input.command.as_deref() {
        Some(command @ ("create" | "rewrite")) => {
            write_full_content(store, block, input, id, command, message_uuid);
        }
        Some("update") if carries_full_content(input) => {
            write_full_content(store, block, input, id, "update", message_uuid);
        }
        Some("update") => {
            let edit = Edit {
                command: "update",
                old_str: input.old_str.as_deref(),
                new_str: input.new_str.as_deref(),
                title: input.title.as_deref(),
                kind: input.kind.as_deref(),
                language: input.language.as_deref(),
            };
            apply_edit(store, Origin::Tool, id, &edit, message_uuid);
        }
        Some(command) => store.warn(format!(
            "Skipped the `{command}` call for `{id}` in message {message_uuid} because the \
             command is not create, rewrite or update."
        )),
        None => store.warn(format!(
            "Skipped an `artifacts` call for `{id}` in message {message_uuid} because it has \
             no command."
        )),
    }
}

/// Returns whether an `update` carries `content` and no `old_str`, as some older updates do. Such an
/// update is a rewrite.
fn carries_full_content(input: &ToolInput) -> bool {
    input.content.is_some() && non_empty(input.old_str.as_deref()).is_none()
}

/// Adds a version with the call's full content, from `content` or `display_content`.
///
/// A `rewrite` (or an `update` with content) for an id without an earlier version on the
/// branch still starts the artifact, because its content is complete, and it adds a
/// conversation-level warning that the earlier versions are missing.
fn write_full_content(
    store: &mut Store,
    block: &Block,
    input: &ToolInput,
    id: &str,
    command: &str,
    message_uuid: &str,
) {
    let display_content = block.display_content.as_ref();
    let Some(full) = full_content(
        input.content.as_deref(),
        input.language.as_deref(),
        display_content,
    ) else {
        store.warn_artifact(
            Origin::Tool,
            id,
            format!(
                "Skipped the `{command}` call for `{id}` in message {message_uuid} because it \
                 has neither content nor display_content with code."
            ),
        );
        return;
    };

    let previous = store.latest(Origin::Tool, id);
    let version = Version {
        content: full.content,
        title: inherit(input.title.as_deref(), previous.map(|v| v.title.as_str())),
        kind: inherit(input.kind.as_deref(), previous.map(|v| v.kind.as_str())),
        language: full
            .language
            .or_else(|| previous.and_then(|v| v.language.clone())),
        message_uuid: message_uuid.to_owned(),
        flags: Vec::new(),
    };

    if previous.is_none() && command != "create" {
        store.warn(format!(
            "The `{command}` call for `{id}` in message {message_uuid} has no earlier version \
             on the active branch, so its full content starts the artifact."
        ));
    }
    store.push_version(Origin::Tool, id, version);
}

#[cfg(test)]
mod tests {
    use crate::artifact::Rebuilt;
    use crate::rebuild::test_support::{
        artifact, assistant, chat, contents, human, quoted, rebuild_json, text_block, tool_result,
        tool_use, warnings,
    };

    fn create(id: &str, content: &str) -> String {
        let input = format!(
            r#"{{"id": "{id}", "command": "create", "type": "application/vnd.ant.code",
                "title": "Title {id}", "language": "python", "content": {}}}"#,
            quoted(content)
        );
        tool_use("artifacts", None, &input)
    }

    fn update(id: &str, old_str: &str, new_str: &str) -> String {
        let input = format!(
            r#"{{"id": "{id}", "command": "update", "old_str": {}, "new_str": {}}}"#,
            quoted(old_str),
            quoted(new_str)
        );
        tool_use("artifacts", None, &input)
    }

    fn call(input: &str) -> String {
        tool_use("artifacts", None, input)
    }

    fn one_message(blocks: &[String]) -> Rebuilt {
        rebuild_json(&chat(&[assistant("m1", blocks)]))
    }

    fn final_title(rebuilt: &Rebuilt, id: &str) -> Option<String> {
        artifact(rebuilt, id).map(|a| a.final_version().title.clone())
    }

    #[test]
    fn create_sets_fields() {
        let rebuilt = one_message(&[create("a", "x = 1\n")]);
        let version = artifact(&rebuilt, "a").map(|a| a.final_version().clone());
        let version = version.expect("artifact `a` exists");
        assert_eq!(version.content, "x = 1\n");
        assert_eq!(version.title, "Title a");
        assert_eq!(version.kind, "application/vnd.ant.code");
        assert_eq!(version.language.as_deref(), Some("python"));
        assert_eq!(version.message_uuid, "m1");
    }

    #[test]
    fn four_updates_in_one_message() {
        let rebuilt = one_message(&[
            create("a", "one two three four"),
            create("b", "other"),
            update("a", "one", "1"),
            update("a", "two", "2"),
            update("b", "other", "changed"),
            update("a", "three", "3"),
            update("a", "four", "4"),
        ]);
        let expected_a = [
            "one two three four",
            "1 two three four",
            "1 2 three four",
            "1 2 3 four",
            "1 2 3 4",
        ];
        assert_eq!(contents(&rebuilt, "a"), expected_a);
        assert_eq!(contents(&rebuilt, "b"), ["other", "changed"]);
        assert!(rebuilt.warnings.is_empty());
    }

    #[test]
    fn artifacts_in_first_version_order() {
        let rebuilt = one_message(&[create("z", "1"), create("a", "2"), create("z", "3")]);
        let ids: Vec<&str> = rebuilt.artifacts.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["z", "a"]);
    }

    #[test]
    fn create_twice_two_versions() {
        let rebuilt = one_message(&[create("a", "first"), create("a", "second")]);
        assert_eq!(contents(&rebuilt, "a"), ["first", "second"]);
    }

    #[test]
    fn update_not_found_warns() {
        let rebuilt = one_message(&[create("a", "abc"), update("a", "xyz", "q")]);
        assert_eq!(contents(&rebuilt, "a"), ["abc"]);
        let warnings = warnings(&rebuilt, "a");
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("`a`"));
        assert!(warnings[0].contains("not found"));
    }

    #[test]
    fn update_found_twice_warns() {
        let rebuilt = one_message(&[create("a", "x\nx\n"), update("a", "x", "y")]);
        assert_eq!(contents(&rebuilt, "a"), ["x\nx\n"]);
        let warnings = warnings(&rebuilt, "a");
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("found 2 times"));
    }

    #[test]
    fn update_missing_old_str_warns() {
        let input = r#"{"id": "a", "command": "update", "new_str": "y"}"#;
        let rebuilt = one_message(&[create("a", "x"), call(input)]);
        assert_eq!(contents(&rebuilt, "a"), ["x"]);
        assert_eq!(warnings(&rebuilt, "a").len(), 1);
    }

    #[test]
    fn update_empty_new_str_deletes() {
        let rebuilt = one_message(&[create("a", "keep\ndrop\n"), update("a", "drop\n", "")]);
        assert_eq!(contents(&rebuilt, "a"), ["keep\ndrop\n", "keep\n"]);
    }

    #[test]
    fn update_missing_new_str_deletes() {
        let input = r#"{"id": "a", "command": "update", "old_str": " drop"}"#;
        let rebuilt = one_message(&[create("a", "keep drop"), call(input)]);
        assert_eq!(contents(&rebuilt, "a"), ["keep drop", "keep"]);
    }

    #[test]
    fn update_keeps_metadata() {
        let rebuilt = one_message(&[create("a", "x"), update("a", "x", "y")]);
        let version = artifact(&rebuilt, "a").map(|a| a.final_version().clone());
        let version = version.expect("artifact `a` exists");
        assert_eq!(version.title, "Title a");
        assert_eq!(version.language.as_deref(), Some("python"));
    }

    #[test]
    fn update_with_content_rewrites() {
        let input = r#"{"id": "a", "command": "update", "content": "whole new"}"#;
        let rebuilt = one_message(&[create("a", "old"), call(input)]);
        assert_eq!(contents(&rebuilt, "a"), ["old", "whole new"]);
        assert!(warnings(&rebuilt, "a").is_empty());
    }

    #[test]
    fn update_before_create_warns() {
        let rebuilt = one_message(&[update("a", "x", "y")]);
        assert!(rebuilt.artifacts.is_empty());
        assert_eq!(rebuilt.warnings.len(), 1);
        assert!(rebuilt.warnings[0].contains("`a`"));
    }

    #[test]
    fn rewrite_before_create_starts_artifact() {
        let input = r#"{"id": "a", "command": "rewrite", "title": "T", "content": "full"}"#;
        let rebuilt = one_message(&[call(input)]);
        assert_eq!(contents(&rebuilt, "a"), ["full"]);
        assert_eq!(rebuilt.warnings.len(), 1);
    }

    #[test]
    fn rewrite_changes_title() {
        let input = r#"{"id": "a", "command": "rewrite", "title": "New", "content": "v2"}"#;
        let rebuilt = one_message(&[create("a", "v1"), call(input)]);
        assert_eq!(contents(&rebuilt, "a"), ["v1", "v2"]);
        assert_eq!(final_title(&rebuilt, "a").as_deref(), Some("New"));
    }

    #[test]
    fn rewrite_keeps_missing_fields() {
        let input = r#"{"id": "a", "command": "rewrite", "content": "v2"}"#;
        let rebuilt = one_message(&[create("a", "v1"), call(input)]);
        let version = artifact(&rebuilt, "a").map(|a| a.final_version().clone());
        let version = version.expect("artifact `a` exists");
        assert_eq!(version.title, "Title a");
        assert_eq!(version.kind, "application/vnd.ant.code");
        assert_eq!(version.language.as_deref(), Some("python"));
    }

    #[test]
    fn error_result_by_id_cancels() {
        let failed = r#"{"id": "a", "command": "update", "old_str": "x", "new_str": "bad"}"#;
        let rebuilt = one_message(&[
            create("a", "x"),
            tool_use("artifacts", Some("t2"), failed),
            tool_result("artifacts", Some("t2"), true),
            update("a", "x", "good"),
        ]);
        assert_eq!(contents(&rebuilt, "a"), ["x", "good"]);
    }

    #[test]
    fn error_result_without_id_cancels() {
        let rebuilt = one_message(&[
            create("a", "x"),
            tool_result("artifacts", None, false),
            update("a", "x", "bad"),
            tool_result("artifacts", None, true),
        ]);
        assert_eq!(contents(&rebuilt, "a"), ["x"]);
    }

    #[test]
    fn error_result_in_later_message() {
        let failed = r#"{"id": "a", "command": "create", "content": "never"}"#;
        let rebuilt = rebuild_json(&chat(&[
            assistant("m1", &[tool_use("artifacts", Some("t1"), failed)]),
            human("m2", &[tool_result("artifacts", Some("t1"), true)]),
            assistant("m3", &[create("a", "real")]),
        ]));
        assert_eq!(contents(&rebuilt, "a"), ["real"]);
    }

    #[test]
    fn ok_result_keeps_call() {
        let rebuilt = one_message(&[
            tool_use(
                "artifacts",
                Some("t1"),
                r#"{"id": "a", "command": "create", "content": "x"}"#,
            ),
            tool_result("artifacts", Some("t1"), false),
        ]);
        assert_eq!(contents(&rebuilt, "a"), ["x"]);
    }

    #[test]
    fn code_block_fills_create() {
        let block = r#"{"type": "tool_use", "name": "artifacts",
            "input": {"id": "a", "command": "create", "title": "T"},
            "display_content": {"type": "code_block", "code": "shown", "language": "go"}}"#;
        let rebuilt = one_message(&[block.to_owned()]);
        assert_eq!(contents(&rebuilt, "a"), ["shown"]);
        let language = artifact(&rebuilt, "a").and_then(|a| a.final_version().language.clone());
        assert_eq!(language.as_deref(), Some("go"));
    }

    #[test]
    fn json_block_fills_rewrite() {
        let block = r#"{"type": "tool_use", "name": "artifacts",
            "input": {"id": "a", "command": "rewrite"},
            "display_content": {"type": "json_block",
                "json_block": "{\"language\": \"js\", \"code\": \"let x;\", \"filename\": \"x.js\"}"}}"#;
        let rebuilt = one_message(&[create("a", "old"), block.to_owned()]);
        assert_eq!(contents(&rebuilt, "a"), ["old", "let x;"]);
    }

    #[test]
    fn create_without_content_warns() {
        let rebuilt = one_message(&[call(r#"{"id": "a", "command": "create"}"#)]);
        assert!(rebuilt.artifacts.is_empty());
        assert_eq!(rebuilt.warnings.len(), 1);
    }

    #[test]
    fn missing_id_warns() {
        let rebuilt = one_message(&[call(r#"{"command": "create", "content": "x"}"#)]);
        assert!(rebuilt.artifacts.is_empty());
        assert_eq!(rebuilt.warnings.len(), 1);
    }

    #[test]
    fn unknown_command_warns() {
        let rebuilt = one_message(&[create("a", "x"), call(r#"{"id": "a", "command": "view"}"#)]);
        assert_eq!(contents(&rebuilt, "a"), ["x"]);
        assert_eq!(rebuilt.warnings.len(), 1);
    }

    #[test]
    fn wrong_input_types_tolerated() {
        let rebuilt = one_message(&[
            call(r#"{"id": 7, "command": "create", "content": "x"}"#),
            call(r#"{"id": "b", "command": "create", "content": "y", "title": ["list"]}"#),
            tool_use("artifacts", None, r#""not an object""#),
        ]);
        assert_eq!(contents(&rebuilt, "b"), ["y"]);
        assert_eq!(final_title(&rebuilt, "b").as_deref(), Some(""));
        assert_eq!(rebuilt.warnings.len(), 2);
    }

    #[test]
    fn tag_then_tool_update() {
        let tag = text_block("<antArtifact identifier=\"a\" title=\"T\">\nold\n</antArtifact>");
        let rebuilt = one_message(&[tag, update("a", "old", "new")]);
        assert_eq!(contents(&rebuilt, "a"), ["old", "new"]);
    }

    #[test]
    fn non_latin_title_kept() {
        let input =
            r#"{"id": "a", "command": "create", "title": "Таблица / 表: 🚀", "content": "x"}"#;
        let rebuilt = one_message(&[call(input)]);
        assert_eq!(
            final_title(&rebuilt, "a").as_deref(),
            Some("Таблица / 表: 🚀")
        );
    }
}
