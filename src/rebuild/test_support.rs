//! Builders of small conversation JSON texts and lookups into the rebuilt result, for tests.

use super::rebuild;
use crate::artifact::{Artifact, Rebuilt};
use crate::model::Conversation;

/// Parses a conversation from JSON text.
pub(crate) fn conversation(json: &str) -> Conversation {
    serde_json::from_str(json).expect("test JSON is a valid conversation")
}

/// Parses a conversation from JSON text and rebuilds its artifacts.
pub(crate) fn rebuild_json(json: &str) -> Rebuilt {
    rebuild(&conversation(json))
}

/// Returns a conversation holding `messages`, each one message object.
pub(crate) fn chat(messages: &[String]) -> String {
    format!(
        r#"{{"uuid": "conv-1", "name": "Test chat", "created_at": "2025-01-01T00:00:00Z",
            "chat_messages": [{}]}}"#,
        messages.join(",")
    )
}

/// Returns an assistant message with the given content blocks and no parent.
pub(crate) fn assistant(uuid: &str, blocks: &[String]) -> String {
    message(uuid, "assistant", blocks)
}

/// Returns a human message with the given content blocks and no parent.
pub(crate) fn human(uuid: &str, blocks: &[String]) -> String {
    message(uuid, "human", blocks)
}

fn message(uuid: &str, sender: &str, blocks: &[String]) -> String {
    format!(
        r#"{{"uuid": "{uuid}", "sender": "{sender}", "text": "placeholder",
            "content": [{}]}}"#,
        blocks.join(",")
    )
}

/// Returns a JSON string literal for `text`.
pub(crate) fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serializes")
}

pub(crate) fn text_block(text: &str) -> String {
    format!(r#"{{"type": "text", "text": {}}}"#, quoted(text))
}

/// Returns a `tool_use` block. `input` is a JSON object text.
pub(crate) fn tool_use(name: &str, id: Option<&str>, input: &str) -> String {
    let id = id.map(quoted).unwrap_or_else(|| "null".to_owned());
    format!(r#"{{"type": "tool_use", "name": "{name}", "id": {id}, "input": {input}}}"#)
}

/// Returns a `tool_result` block for the call `tool_use_id`, or without an id when `None`.
pub(crate) fn tool_result(name: &str, tool_use_id: Option<&str>, is_error: bool) -> String {
    let id_field = tool_use_id
        .map(|id| format!(r#""tool_use_id": {},"#, quoted(id)))
        .unwrap_or_default();
    format!(
        r#"{{"type": "tool_result", "name": "{name}", {id_field} "is_error": {is_error},
            "content": [{{"type": "text", "text": "OK"}}]}}"#
    )
}

pub(crate) fn artifact<'a>(rebuilt: &'a Rebuilt, id: &str) -> Option<&'a Artifact> {
    rebuilt.artifacts.iter().find(|artifact| artifact.id == id)
}

/// Returns the content of every version of artifact `id`, or nothing if it does not exist.
pub(crate) fn contents(rebuilt: &Rebuilt, id: &str) -> Vec<String> {
    artifact(rebuilt, id)
        .map(|artifact| {
            artifact
                .versions
                .iter()
                .map(|version| version.content.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Returns the warnings of artifact `id`, or nothing if it does not exist.
pub(crate) fn warnings(rebuilt: &Rebuilt, id: &str) -> Vec<String> {
    artifact(rebuilt, id)
        .map(|artifact| artifact.warnings.clone())
        .unwrap_or_default()
}
