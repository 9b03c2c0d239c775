//! Feeds arbitrary text to the `<antArtifact>` tag parser through a rebuild. Cutting the text
//! into two consecutive text blocks, or giving it as a message's legacy `text` field, must
//! rebuild the same artifacts, because the rebuild joins text blocks before it reads tags.

#![no_main]

use artifactor::artifact::Rebuilt;
use artifactor::model::{Block, Conversation, Message};
use libfuzzer_sys::fuzz_target;

fn text_block(text: &str) -> Block {
    Block {
        kind: "text".to_owned(),
        text: text.to_owned(),
        ..Block::default()
    }
}

fn rebuild(message: Message) -> Rebuilt {
    let conversation = Conversation {
        uuid: "conversation".to_owned(),
        chat_messages: vec![message],
        ..Conversation::default()
    };
    artifactor::rebuild::rebuild(&conversation)
}

fn assistant(text: &str, content: Vec<Block>) -> Message {
    Message {
        uuid: "message".to_owned(),
        sender: "assistant".to_owned(),
        text: text.to_owned(),
        content,
        ..Message::default()
    }
}

fuzz_target!(|input: (String, u16)| {
    let (text, cut) = input;
    let mut cut = usize::from(cut) % (text.len() + 1);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let whole = rebuild(assistant("", vec![text_block(&text)]));
    for artifact in &whole.artifacts {
        assert!(!artifact.versions.is_empty());
        for version in &artifact.versions {
            assert!(
                text.contains(version.content.as_str()),
                "a tag's content is not a part of the text"
            );
        }
    }
    let split = rebuild(assistant(
        "",
        vec![text_block(&text[..cut]), text_block(&text[cut..])],
    ));
    assert_eq!(whole, split, "cutting the text at byte {cut} changed the result");
    let legacy = rebuild(assistant(&text, Vec::new()));
    assert_eq!(whole, legacy, "the legacy text field rebuilt differently");
});
