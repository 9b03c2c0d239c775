//! Published artifacts: the JSON of `GET /api/published_artifacts/<id>`.
//!
//! Only the `content` field is documented. `title` (or `name`), `type` and `language` are
//! used when present.

use serde_json::Value;

use super::error::SourceError;
use crate::model::{Block, Conversation, Message, ToolInput};

/// Builds a one-message conversation that creates the published artifact `id`.
pub(super) fn conversation(url: &str, id: &str, body: &[u8]) -> Result<Conversation, SourceError> {
    let invalid = |detail: &str| SourceError::NotPublishedArtifact {
        url: url.to_owned(),
        detail: detail.to_owned(),
    };
    let value: Value =
        serde_json::from_slice(body).map_err(|err| invalid(&format!("invalid JSON: {err}")))?;
    let Some(object) = value.as_object() else {
        return Err(invalid("the JSON is not an object"));
    };
    let Some(content) = object.get("content").and_then(Value::as_str) else {
        return Err(invalid("the JSON has no content text"));
    };
    let text_field = |key: &str| {
        object
            .get(key)
            .and_then(Value::as_str)
            .filter(|text| !text.trim().is_empty())
            .map(str::to_owned)
    };
    let title = text_field("title")
        .or_else(|| text_field("name"))
        .unwrap_or_else(|| format!("Published artifact {id}"));
    let input = ToolInput {
        id: Some(id.to_owned()),
        command: Some("create".to_owned()),
        kind: text_field("type"),
        title: Some(title.clone()),
        language: text_field("language"),
        content: Some(content.to_owned()),
        ..Default::default()
    };
    let message = Message {
        uuid: format!("published-{id}"),
        sender: "assistant".to_owned(),
        content: vec![Block {
            kind: "tool_use".to_owned(),
            name: "artifacts".to_owned(),
            id: Some(format!("published-{id}")),
            input: Some(input),
            ..Default::default()
        }],
        ..Default::default()
    };
    Ok(Conversation {
        uuid: id.to_owned(),
        name: title,
        created_at: text_field("created_at"),
        updated_at: text_field("updated_at"),
        chat_messages: vec![message],
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_fields_are_used() {
        let body = br#"{"title": "Dashboard", "type": "text/html", "content": "<p>hi</p>"}"#;
        let conversation = conversation("u", "abc", body).expect("valid");
        assert_eq!(conversation.name, "Dashboard");
        let input = conversation.chat_messages[0].content[0]
            .input
            .clone()
            .expect("input");
        assert_eq!(input.content.as_deref(), Some("<p>hi</p>"));
        assert_eq!(input.kind.as_deref(), Some("text/html"));
    }

    #[test]
    fn missing_title_uses_id() {
        let conversation = conversation("u", "abc", br#"{"content": "x"}"#).expect("valid");
        assert_eq!(conversation.name, "Published artifact abc");
    }

    #[test]
    fn missing_content_is_an_error() {
        let err = conversation(
            "https://claude.ai/public/artifacts/abc",
            "abc",
            br#"{"title": "x"}"#,
        )
        .expect_err("no content");
        assert!(err.to_string().contains("no content text"), "{err}");
        assert!(
            err.to_string()
                .contains("https://claude.ai/public/artifacts/abc"),
            "{err}"
        );
    }
}
