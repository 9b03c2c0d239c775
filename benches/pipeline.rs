//! Throughput of the pipeline's parts: reading conversations, rebuilding artifacts from
//! updates, scanning their content, and writing files.
//!
//! ```sh
//! cargo bench --bench pipeline
//! ```

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::Arc;

use artifactor::model::Conversation;
use artifactor::output::{EarlierFiles, Writer, sha256_hex};
use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use serde_json::{Value, json};

fn main() {
    divan::main();
}

/// Builds a conversation whose assistant creates one artifact and then updates it `updates` times,
/// each message also holding a thinking block and some prose.
fn conversation(index: usize, updates: usize) -> Value {
    let body: String = (0..200)
        .map(|line| format!("def step_{line}(value):\n    return value * {line}\n\n"))
        .collect();
    let mut messages = vec![json!({
        "uuid": format!("c{index}-m0"), "sender": "assistant",
        "content": [
            {"type": "thinking", "thinking": "Planning the module. ".repeat(50)},
            {"type": "tool_use", "id": format!("toolu_{index}_0"), "name": "artifacts",
             "input": {"id": "module", "command": "create", "type": "application/vnd.ant.code",
                       "language": "python", "title": "Module", "content": body}},
        ],
    })];
    for update in 1..=updates {
        messages.push(json!({
            "uuid": format!("c{index}-m{update}"), "sender": "assistant",
            "content": [
                {"type": "text", "text": "Changing one step. ".repeat(20)},
                {"type": "tool_use", "id": format!("toolu_{index}_{update}"), "name": "artifacts",
                 "input": {"id": "module", "command": "update",
                           "old_str": format!("value * {update}\n"),
                           "new_str": format!("value * {update} + 1\n")}},
            ],
        }));
    }
    json!({"uuid": format!("{index:08}"), "name": "Bench", "chat_messages": messages})
}

fn conversations_json(count: usize) -> Vec<u8> {
    let conversations: Vec<Value> = (0..count).map(|index| conversation(index, 4)).collect();
    serde_json::to_vec(&conversations).expect("serialize")
}

/// Reading a conversations.json array of 200 conversations from memory.
#[divan::bench]
fn read_conversations(bencher: Bencher) {
    let json = conversations_json(200);
    bencher.counter(BytesCount::new(json.len())).bench(|| {
        let mut count = 0;
        artifactor::source::stream_conversations(json.as_slice(), "bench", &mut |c, _| {
            count += black_box(c).chat_messages.len();
            ControlFlow::Continue(())
        })
        .expect("valid JSON");
        count
    });
}

/// Rebuilding one conversation with a create and 50 updates.
#[divan::bench]
fn replay_updates(bencher: Bencher) {
    let conversation: Conversation =
        serde_json::from_value(conversation(0, 50)).expect("a conversation");
    bencher.bench(|| artifactor::rebuild::rebuild(black_box(&conversation)));
}

/// Builds about 1 MiB of JavaScript in which many lines contain a literal of the content scan,
/// such as `function` and `fetch`, but no rule matches: as lines, or as one minified line.
fn scan_input(one_line: bool) -> String {
    let line_break = if one_line { ";" } else { "\n" };
    let mut text = String::new();
    for index in 0..16_000 {
        text.push_str(&format!(
            "function step{index}(value) {{ return fetch('/api/' + value){line_break}}}{line_break}"
        ));
    }
    text
}

/// Scanning code for risky commands, as lines and as one minified line.
#[divan::bench(args = [false, true])]
fn scan_content(bencher: Bencher, one_line: bool) {
    let text = scan_input(one_line);
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| artifactor::scan::scan(black_box(&text)));
}

/// Writing 100 files of 8 KiB into a fresh folder, then rewriting them unchanged.
#[divan::bench(args = [false, true])]
fn write_files(bencher: Bencher, unchanged: bool) {
    let content = "x".repeat(8 * 1024);
    let sha256 = sha256_hex(content.as_bytes());
    bencher
        .counter(BytesCount::new(100 * content.len()))
        .with_inputs(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            if unchanged {
                write_all(dir.path(), &content, &sha256);
            }
            dir
        })
        .bench_values(|dir| {
            write_all(dir.path(), &content, &sha256);
            dir
        });
}

fn write_all(root: &std::path::Path, content: &str, sha256: &str) {
    let writer = Writer::new(root.to_owned(), Arc::new(HashMap::new()), false);
    let earlier = EarlierFiles::new();
    for index in 0..100 {
        let components = ["folder".to_owned(), format!("file {index}.txt")];
        writer
            .write(&components, content.as_bytes(), sha256, "bench", &earlier)
            .expect("written");
    }
}
