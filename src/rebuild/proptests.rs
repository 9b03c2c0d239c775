//! Properties of rebuilding that must hold for any input.

use proptest::prelude::*;

use super::rebuild;
use crate::model::{Block, Conversation, Message, ToolInput};

fn assistant(blocks: Vec<Block>) -> Conversation {
    Conversation {
        uuid: "conv".to_owned(),
        chat_messages: vec![Message {
            uuid: "m1".to_owned(),
            sender: "assistant".to_owned(),
            content: blocks,
            ..Message::default()
        }],
        ..Conversation::default()
    }
}

fn text(text: String) -> Block {
    Block {
        kind: "text".to_owned(),
        text,
        ..Block::default()
    }
}

fn artifacts_call(id: &str, input: ToolInput) -> Block {
    Block {
        kind: "tool_use".to_owned(),
        name: "artifacts".to_owned(),
        id: Some(id.to_owned()),
        input: Some(input),
        ..Block::default()
    }
}

/// Text made of tag fragments and arbitrary characters, so that half-formed, nested and
/// unclosed tags are common.
fn tag_soup() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("<antArtifact".to_owned()),
        Just(" identifier=\"a\"".to_owned()),
        Just(" identifier='b'".to_owned()),
        Just(" type=\"text/markdown\"".to_owned()),
        Just(" title=\"T &quot;x&quot;\"".to_owned()),
        Just(" language=python".to_owned()),
        Just(">".to_owned()),
        Just("/>".to_owned()),
        Just("</antArtifact>".to_owned()),
        Just("<antThinking>".to_owned()),
        Just("</antThinking>".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        ".{0,6}",
    ];
    proptest::collection::vec(fragment, 0..40).prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn tags_never_panic(first in tag_soup(), second in tag_soup()) {
        let rebuilt = rebuild(&assistant(vec![text(first), text(second)]));
        for artifact in &rebuilt.artifacts {
            prop_assert!(!artifact.versions.is_empty());
        }
    }

    #[test]
    fn update_applies_exactly_once(
        content in "[ab\n ]{0,24}",
        old_str in "[ab\n ]{1,4}",
        new_str in "[abc]{0,4}",
    ) {
        let create = artifacts_call("t1", ToolInput {
            id: Some("doc".to_owned()),
            command: Some("create".to_owned()),
            kind: Some("text/markdown".to_owned()),
            title: Some("Doc".to_owned()),
            content: Some(content.clone()),
            ..ToolInput::default()
        });
        let update = artifacts_call("t2", ToolInput {
            id: Some("doc".to_owned()),
            command: Some("update".to_owned()),
            old_str: Some(old_str.clone()),
            new_str: Some(new_str.clone()),
            ..ToolInput::default()
        });
        let rebuilt = rebuild(&assistant(vec![create, update]));
        prop_assert_eq!(rebuilt.artifacts.len(), 1);
        let artifact = &rebuilt.artifacts[0];
        let occurrences = content.matches(old_str.as_str()).count();
        if occurrences == 1 {
            let expected = content.replacen(old_str.as_str(), &new_str, 1);
            prop_assert_eq!(&artifact.final_version().content, &expected);
            prop_assert!(artifact.warnings.is_empty());
        } else {
            prop_assert_eq!(&artifact.final_version().content, &content);
            prop_assert_eq!(artifact.warnings.len(), 1);
        }
    }
}
