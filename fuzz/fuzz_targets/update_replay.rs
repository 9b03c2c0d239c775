//! Replays arbitrary `create`, `update` and `rewrite` calls of the `artifacts` tool, and the
//! same edits as `create_file` and `str_replace` calls of files mode. Both must match a direct
//! model of the rule: an edit applies only when `old_str` occurs exactly once (counted
//! without overlap) in the latest content, and otherwise leaves a warning. Each version's
//! flags must equal a scan that runs every rule on every line.
//! `fuzz/dictionaries/update_replay.dict` contains the words that make the rules match.

#![no_main]

use arbitrary::Arbitrary;
use artifactor::artifact::Rebuilt;
use artifactor::model::{Block, Conversation, Message, ToolInput};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Call {
    Update { old_str: String, new_str: String },
    Rewrite { content: String },
}

#[derive(Debug, Arbitrary)]
struct Replay {
    content: String,
    calls: Vec<Call>,
}

fn tool_use(name: &str, input: ToolInput) -> Block {
    Block {
        kind: "tool_use".to_owned(),
        name: name.to_owned(),
        input: Some(input),
        ..Block::default()
    }
}

fn rebuild(blocks: Vec<Block>) -> Rebuilt {
    let conversation = Conversation {
        uuid: "conversation".to_owned(),
        chat_messages: vec![Message {
            uuid: "message".to_owned(),
            sender: "assistant".to_owned(),
            content: blocks,
            ..Message::default()
        }],
        ..Conversation::default()
    };
    artifactor::rebuild::rebuild(&conversation)
}

/// Returns the expected versions and the number of edits that must be skipped.
fn model(replay: &Replay) -> (Vec<String>, usize) {
    let mut versions = vec![replay.content.clone()];
    let mut skipped = 0;
    for call in &replay.calls {
        let latest = versions.last().cloned().unwrap_or_default();
        match call {
            // Files mode has no rewrite, so a second `create_file` takes its place.
            Call::Rewrite { content } => versions.push(content.clone()),
            Call::Update { old_str, new_str } => {
                if !old_str.is_empty() && latest.matches(old_str.as_str()).count() == 1 {
                    versions.push(latest.replacen(old_str.as_str(), new_str, 1));
                } else {
                    skipped += 1;
                }
            }
        }
    }
    (versions, skipped)
}

fn tool_calls(replay: &Replay) -> Vec<Block> {
    let mut blocks = vec![tool_use(
        "artifacts",
        ToolInput {
            id: Some("doc".to_owned()),
            command: Some("create".to_owned()),
            kind: Some("text/markdown".to_owned()),
            title: Some("Doc".to_owned()),
            content: Some(replay.content.clone()),
            ..ToolInput::default()
        },
    )];
    for call in &replay.calls {
        let input = match call {
            Call::Update { old_str, new_str } => ToolInput {
                command: Some("update".to_owned()),
                old_str: Some(old_str.clone()),
                new_str: Some(new_str.clone()),
                ..ToolInput::default()
            },
            Call::Rewrite { content } => ToolInput {
                command: Some("rewrite".to_owned()),
                content: Some(content.clone()),
                ..ToolInput::default()
            },
        };
        blocks.push(tool_use(
            "artifacts",
            ToolInput {
                id: Some("doc".to_owned()),
                ..input
            },
        ));
    }
    blocks
}

fn file_calls(replay: &Replay) -> Vec<Block> {
    let path = Some("/mnt/user-data/outputs/doc.md".to_owned());
    let create = |text: &str| {
        tool_use(
            "create_file",
            ToolInput {
                path: path.clone(),
                file_text: Some(text.to_owned()),
                ..ToolInput::default()
            },
        )
    };
    let mut blocks = vec![create(&replay.content)];
    for call in &replay.calls {
        blocks.push(match call {
            Call::Update { old_str, new_str } => tool_use(
                "str_replace",
                ToolInput {
                    path: path.clone(),
                    old_str: Some(old_str.clone()),
                    new_str: Some(new_str.clone()),
                    ..ToolInput::default()
                },
            ),
            Call::Rewrite { content } => create(content),
        });
    }
    blocks
}

/// Checks a rebuild against the model. Every version keeps the first call's `title`.
fn check(rebuilt: &Rebuilt, expected: &(Vec<String>, usize), mode: &str, title: &str) {
    assert_eq!(rebuilt.artifacts.len(), 1, "{mode}: one artifact expected");
    let artifact = &rebuilt.artifacts[0];
    let contents: Vec<&str> = artifact
        .versions
        .iter()
        .map(|version| version.content.as_str())
        .collect();
    assert_eq!(
        contents, expected.0,
        "{mode}: versions differ from the model"
    );
    assert_eq!(
        artifact.warnings.len(),
        expected.1,
        "{mode}: skipped edits differ from the model"
    );
    assert!(
        rebuilt.warnings.is_empty(),
        "{mode}: conversation warnings {:?}",
        rebuilt.warnings
    );
    for version in &artifact.versions {
        assert_eq!(version.message_uuid, "message", "{mode}");
        assert_eq!(version.title, title, "{mode}");
        // The reference runs every rule on every line, so a rule whose literals miss one of
        // its matches shows here.
        assert_eq!(
            version.flags,
            artifactor::scan::scan_every_line(&version.content),
            "{mode}: flags differ from the reference scan"
        );
    }
}

fuzz_target!(|replay: Replay| {
    let expected = model(&replay);
    check(
        &rebuild(tool_calls(&replay)),
        &expected,
        "artifacts tool",
        "Doc",
    );
    check(
        &rebuild(file_calls(&replay)),
        &expected,
        "files mode",
        "doc.md",
    );
});
