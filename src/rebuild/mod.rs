//! Rebuilds every artifact of a conversation, with all its versions, from the active branch.
//!
//! Three formats are read, in the order the assistant produced them: inline `<antArtifact>`
//! tags in text, calls of the `artifacts` tool, and `create_file`/`str_replace` calls of
//! files mode. Calls that the tool rejected (`is_error: true` in their result) make no version.

mod attributes;
mod branch;
mod display;
mod edit;
mod files;
mod results;
mod store;
mod tags;
mod timestamp;
mod tools;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod test_support;

use std::collections::HashSet;
use std::sync::Arc;

use self::results::CallPosition;
use self::store::Store;
use crate::artifact::{ConversationInfo, Rebuilt};
use crate::model::{Block, Conversation, Message};

/// The versions whose content [`rebuild_with`] scans for risky commands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ScanVersions {
    /// Every version, for callers that show or write earlier versions.
    #[default]
    All,
    /// Only each artifact's final version. Earlier versions keep empty `flags`, so this is
    /// only for callers that use nothing but final versions.
    Final,
}

/// Rebuilds the artifacts of `conversation` from the assistant messages of its active branch,
/// and scans every version for risky commands.
///
/// Problems such as an update that cannot be applied become warnings on the artifact or on
/// the result. Unknown block types and tool names are skipped without a warning.
pub fn rebuild(conversation: &Conversation) -> Rebuilt {
    rebuild_with(conversation, ScanVersions::All)
}

/// Rebuilds like [`rebuild`], scanning only the versions that `scan` names.
pub fn rebuild_with(conversation: &Conversation, scan: ScanVersions) -> Rebuilt {
    let info = Arc::new(ConversationInfo {
        uuid: conversation.uuid.clone(),
        name: conversation.display_name().to_owned(),
        created_at: conversation.created_at.clone(),
        updated_at: conversation.updated_at.clone(),
    });

    let branch = branch::active_branch(conversation);
    let rejected = results::rejected_calls(&branch);

    let mut store = Store::new(info);
    for (message_index, message) in branch.iter().enumerate() {
        if message.sender == "assistant" {
            apply_message(&mut store, message, message_index, &rejected);
        }
    }
    store.finish(scan)
}

/// Adds the versions made by one assistant message at `message_index` on the branch.
///
/// A message with no content blocks is read from `text`, as in old exports. Otherwise `text`
/// is ignored because it contains placeholders, and consecutive text blocks are joined before
/// tags are read, so a tag split across blocks is still found. Only a `tool_use` block ends
/// such a run, which keeps tags and tool calls in the order they were made.
fn apply_message(
    store: &mut Store,
    message: &Message,
    message_index: usize,
    rejected: &HashSet<CallPosition>,
) {
    let uuid = message.uuid.as_str();
    if message.content.is_empty() {
        tags::apply_tags(store, &message.text, uuid);
        return;
    }

    let mut text_run = String::new();
    for (block_index, block) in message.content.iter().enumerate() {
        match block.kind.as_str() {
            "text" => text_run.push_str(&block.text),
            "tool_use" => {
                tags::apply_tags(store, &text_run, uuid);
                text_run.clear();
                let position = CallPosition {
                    message: message_index,
                    block: block_index,
                };
                if !rejected.contains(&position) {
                    apply_tool_use(store, block, uuid);
                }
            }
            _ => {}
        }
    }
    tags::apply_tags(store, &text_run, uuid);
}

fn apply_tool_use(store: &mut Store, block: &Block, message_uuid: &str) {
    match block.name.as_str() {
        "artifacts" => tools::apply_artifacts_call(store, block, message_uuid),
        "create_file" => files::apply_create_file(store, block, message_uuid),
        "str_replace" => files::apply_str_replace(store, block, message_uuid),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rebuild::test_support::{
        artifact, assistant, chat, contents, human, quoted, rebuild_json, text_block, tool_use,
    };

    const TAG_A: &str = "<antArtifact identifier=\"a\" title=\"A\">\nbody a\n</antArtifact>";

    #[test]
    fn empty_conversation_rebuilds_nothing() {
        let rebuilt = rebuild_json("{}");
        assert!(rebuilt.artifacts.is_empty());
        assert!(rebuilt.warnings.is_empty());
    }

    #[test]
    fn empty_messages_rebuild_nothing() {
        let rebuilt = rebuild_json(r#"{"uuid": "c", "chat_messages": []}"#);
        assert!(rebuilt.artifacts.is_empty());
    }

    #[test]
    fn conversation_info_shared() {
        let rebuilt = rebuild_json(&chat(&[assistant(
            "m1",
            &[
                text_block(TAG_A),
                text_block(&TAG_A.replace("\"a\"", "\"b\"")),
            ],
        )]));
        let first = &rebuilt.artifacts[0].conversation;
        let second = &rebuilt.artifacts[1].conversation;
        assert_eq!(first.uuid, "conv-1");
        assert_eq!(first.name, "Test chat");
        assert_eq!(first.created_at.as_deref(), Some("2025-01-01T00:00:00Z"));
        assert!(Arc::ptr_eq(first, second));
    }

    #[test]
    fn snapshot_name_used() {
        let json = format!(
            r#"{{"uuid": "s", "snapshot_name": "Shared", "chat_messages": [{}]}}"#,
            assistant("m1", &[text_block(TAG_A)])
        );
        let rebuilt = rebuild_json(&json);
        assert_eq!(rebuilt.artifacts[0].conversation.name, "Shared");
    }

    #[test]
    fn empty_content_uses_text() {
        let json = chat(&[format!(
            r#"{{"uuid": "m1", "sender": "assistant", "content": [], "text": {}}}"#,
            quoted(TAG_A)
        )]);
        assert_eq!(contents(&rebuild_json(&json), "a"), ["body a"]);
    }

    #[test]
    fn text_ignored_with_content() {
        let json = chat(&[format!(
            r#"{{"uuid": "m1", "sender": "assistant", "text": {},
                "content": [{{"type": "text", "text": "no tags"}}]}}"#,
            quoted(TAG_A)
        )]);
        assert!(rebuild_json(&json).artifacts.is_empty());
    }

    #[test]
    fn human_messages_ignored() {
        let rebuilt = rebuild_json(&chat(&[human("m1", &[text_block(TAG_A)])]));
        assert!(rebuilt.artifacts.is_empty());
    }

    #[test]
    fn unknown_blocks_skipped() {
        let rebuilt = rebuild_json(&chat(&[assistant(
            "m1",
            &[
                r#"{"type": "voice_note", "text": "<antArtifact identifier=\"v\">x</antArtifact>"}"#
                    .to_owned(),
                r#"{"type": "thinking", "thinking": "hmm"}"#.to_owned(),
                r#"{"kind": "no type at all"}"#.to_owned(),
                text_block(TAG_A),
            ],
        )]));
        assert_eq!(rebuilt.artifacts.len(), 1);
        assert!(rebuilt.warnings.is_empty());
    }

    #[test]
    fn unknown_tools_skipped() {
        let input = r#"{"path": "/x", "file_text": "y", "command": "create", "id": "z"}"#;
        let rebuilt = rebuild_json(&chat(&[assistant(
            "m1",
            &[
                tool_use("bash_tool", None, input),
                tool_use("Artifacts", None, input),
            ],
        )]));
        assert!(rebuilt.artifacts.is_empty());
        assert!(rebuilt.warnings.is_empty());
    }

    #[test]
    fn wrong_field_types_tolerated() {
        let json = r#"{"uuid": 5, "name": ["x"], "chat_messages": [
            "not a message",
            {"uuid": "m1", "sender": "assistant", "content": "not a list", "text": 3},
            {"uuid": "m2", "sender": "assistant", "index": "first", "content": [
                7,
                {"type": "text", "text": {"nested": true}},
                {"type": "tool_use", "name": "artifacts", "input": [1, 2]},
                {"type": "tool_result", "is_error": "yes"},
                {"type": "text", "text": "<antArtifact identifier=\"ok\">x</antArtifact>"}
            ]}
        ]}"#;
        let rebuilt = rebuild_json(json);
        assert_eq!(contents(&rebuilt, "ok"), ["x"]);
        assert_eq!(rebuilt.artifacts[0].conversation.uuid, "");
    }

    #[test]
    fn text_blocks_joined() {
        let rebuilt = rebuild_json(&chat(&[assistant(
            "m1",
            &[
                text_block("<antArtifact identifier=\"a\">\nfirst "),
                r#"{"type": "unknown"}"#.to_owned(),
                text_block("half\n</antArtifact>"),
            ],
        )]));
        assert_eq!(contents(&rebuilt, "a"), ["first half"]);
        assert!(rebuilt.warnings.is_empty());
    }

    #[test]
    fn tags_and_calls_keep_order() {
        let update = r#"{"id": "a", "command": "update", "old_str": "body a", "new_str": "b2"}"#;
        let rebuilt = rebuild_json(&chat(&[assistant(
            "m1",
            &[
                text_block(TAG_A),
                tool_use("artifacts", None, update),
                text_block(&TAG_A.replace("body a", "body 3")),
            ],
        )]));
        assert_eq!(contents(&rebuilt, "a"), ["body a", "b2", "body 3"]);
    }

    #[test]
    fn abandoned_branch_ignored() {
        let json = format!(
            r#"{{"uuid": "c", "chat_messages": [
                {{"uuid": "h", "sender": "human", "parent_message_uuid":
                  "00000000-0000-4000-8000-000000000000", "content": []}},
                {{"uuid": "old", "sender": "assistant", "parent_message_uuid": "h",
                  "created_at": "2025-01-01T00:00:00Z", "content": [{}]}},
                {{"uuid": "new", "sender": "assistant", "parent_message_uuid": "h",
                  "created_at": "2025-01-02T00:00:00Z", "content": [{}]}}
            ]}}"#,
            text_block(TAG_A),
            text_block(&TAG_A.replace("body a", "regenerated")),
        );
        let rebuilt = rebuild_json(&json);
        assert_eq!(contents(&rebuilt, "a"), ["regenerated"]);
        let version = artifact(&rebuilt, "a").map(|a| a.final_version().message_uuid.clone());
        assert_eq!(version.as_deref(), Some("new"));
    }

    #[test]
    fn content_kept_byte_for_byte() {
        let body = "  tabs\t\r\nno trim  \n\n\u{feff}ünïcödé 🎉  ";
        let tag = format!("<antArtifact identifier=\"a\">\n{body}\n</antArtifact>");
        let rebuilt = rebuild_json(&chat(&[assistant("m1", &[text_block(&tag)])]));
        assert_eq!(contents(&rebuilt, "a"), [body]);
    }

    #[test]
    fn long_message_rebuilt() {
        let body = "line of code\n".repeat(3_000);
        let tag = format!("<antArtifact identifier=\"a\">\n{body}</antArtifact>");
        let rebuilt = rebuild_json(&chat(&[assistant("m1", &[text_block(&tag)])]));
        assert_eq!(contents(&rebuilt, "a"), [body.trim_end_matches('\n')]);
    }
}
