//! Feeds arbitrary text to the `<antArtifact>` tag parser through a rebuild. Cutting the text
//! into two consecutive text blocks, or giving it as a message's legacy `text` field, must
//! rebuild the same artifacts, because the rebuild joins text blocks before it reads tags.
//! A well-formed tag with an arbitrary body, after arbitrary text, must give back that body.

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

/// Checks that a well-formed tag after `prefix` is found with `body` as its exact content.
fn check_known_tag(prefix: &str, body: &str) {
    // A tag or thinking section opened in the prefix can take in the known tag, and a
    // closing tag in the body ends it early. A body ending in `\r` forms `\r\n` with the
    // newline before the closing tag, and that pair is stripped as one line break.
    if prefix.contains("<antArtifact")
        || prefix.contains("<antThinking>")
        || body.contains("</antArtifact>")
        || body.ends_with('\r')
    {
        return;
    }
    let text = format!(
        "{prefix}<antArtifact identifier=\"known\" title=\"Known\">\n{body}\n</antArtifact>"
    );
    let rebuilt = rebuild(assistant("", vec![text_block(&text)]));
    let known = rebuilt
        .artifacts
        .iter()
        .find(|artifact| artifact.id == "known")
        .expect("the known tag was not found");
    let contents: Vec<&str> = known
        .versions
        .iter()
        .map(|version| version.content.as_str())
        .collect();
    assert_eq!(contents, [body], "the known tag's body changed");
    assert_eq!(known.versions[0].title, "Known");
    assert!(known.warnings.is_empty(), "{:?}", known.warnings);
}

fuzz_target!(|input: (String, String, u16)| {
    let (text, body, cut) = input;
    check_known_tag(&text, &body);

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
    assert_eq!(
        whole, split,
        "cutting the text at byte {cut} changed the result"
    );
    let legacy = rebuild(assistant(&text, Vec::new()));
    assert_eq!(whole, legacy, "the legacy text field rebuilt differently");
});
