//! Generates a large, realistic Claude export for benchmarks and memory measurements.
//!
//! ```sh
//! cargo run --release --example generate_export -- --size-mb 1024 --out /tmp/export.zip
//! ```
//!
//! The output is the single-archive form: a zip holding `conversations.json` (plus small
//! `users.json` and `projects.json`), or a bare `conversations.json` when `--out` ends in
//! `.json`. Conversations mix the three artifact forms: inline tags, the `artifacts` tool
//! with updates, and files mode, plus thinking blocks, long human prompts and regenerated
//! answers on abandoned branches. The same options always produce the same bytes.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use clap::Parser;
use serde_json::{Value, json};

/// Options of the generator.
#[derive(Debug, Parser)]
struct Options {
    /// The output path: a .zip export, or a .json file for a bare conversations.json.
    #[arg(long)]
    out: PathBuf,

    /// Approximate size of conversations.json in MiB.
    #[arg(long, default_value_t = 100)]
    size_mb: u64,

    /// Number of conversations; the size is spread over them.
    #[arg(long, default_value_t = 300)]
    conversations: usize,

    /// Relative weights of inline tags, the artifacts tool and files mode, comma separated.
    #[arg(long, default_value = "1,2,1")]
    mix: String,

    /// Seed of the pseudo-random choices.
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

/// A small deterministic generator (SplitMix64), so runs are reproducible without a crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }
}

const LANGUAGES: [(&str, &str); 8] = [
    (
        "python",
        "def step_{n}(value):\n    return value * {n} + 1\n\n",
    ),
    (
        "typescript",
        "export function step{n}(value: number): number {{\n  return value * {n};\n}}\n\n",
    ),
    (
        "rust",
        "pub fn step_{n}(value: u64) -> u64 {{\n    value * {n}\n}}\n\n",
    ),
    ("sql", "SELECT id, name FROM table_{n} WHERE score > {n};\n"),
    ("bash", "echo \"step {n}\" && sleep 0\n"),
    ("go", "func Step{n}(v int) int {{ return v * {n} }}\n\n"),
    ("java", "static int step{n}(int v) {{ return v * {n}; }}\n"),
    (
        "html",
        "<section id=\"s{n}\"><h2>Section {n}</h2><p>Text {n}</p></section>\n",
    ),
];

fn main() -> io::Result<()> {
    let options = Options::parse();
    let weights = parse_mix(&options.mix)?;
    let target_bytes = options.size_mb * 1024 * 1024;
    let per_conversation = (target_bytes / options.conversations.max(1) as u64).max(4096);
    let mut rng = Rng(options.seed);

    let is_json = options.out.extension().is_some_and(|ext| ext == "json");
    let file = BufWriter::with_capacity(1 << 20, File::create(&options.out)?);
    if is_json {
        let mut file = file;
        write_conversations(&mut file, &options, &weights, per_conversation, &mut rng)?;
        file.flush()?;
    } else {
        let mut zip = zip::ZipWriter::new(file);
        let entry_options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(target_bytes > u32::MAX as u64 / 2)
            .last_modified_time(zip::DateTime::default());
        zip.start_file("conversations.json", entry_options)?;
        write_conversations(&mut zip, &options, &weights, per_conversation, &mut rng)?;
        zip.start_file("users.json", entry_options)?;
        zip.write_all(
            br#"[{"uuid":"00000000-0000-4000-8000-00000000beef","full_name":"Sample User"}]"#,
        )?;
        zip.start_file("projects.json", entry_options)?;
        zip.write_all(b"[]")?;
        zip.finish()?.flush()?;
    }
    eprintln!("wrote {}", options.out.display());
    Ok(())
}

fn parse_mix(mix: &str) -> io::Result<[u64; 3]> {
    let parts: Vec<u64> = mix
        .split(',')
        .map(|part| part.trim().parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|err| io::Error::other(format!("invalid --mix {mix:?}: {err}")))?;
    match parts.as_slice() {
        [tags, tool, files] if tags + tool + files > 0 => Ok([*tags, *tool, *files]),
        _ => Err(io::Error::other(format!(
            "invalid --mix {mix:?}: expected three weights such as 1,2,1"
        ))),
    }
}

fn write_conversations(
    out: &mut impl Write,
    options: &Options,
    weights: &[u64; 3],
    per_conversation: u64,
    rng: &mut Rng,
) -> io::Result<()> {
    out.write_all(b"[")?;
    for index in 0..options.conversations {
        if index > 0 {
            out.write_all(b",\n")?;
        }
        let conversation = conversation(index, weights, per_conversation, rng);
        serde_json::to_writer(&mut *out, &conversation)?;
    }
    out.write_all(b"]\n")
}

fn uuid(kind: u64, a: u64, b: u64) -> String {
    format!(
        "{kind:08x}-{:04x}-4{:03x}-8{:03x}-{b:012x}",
        a & 0xffff,
        a >> 16 & 0xfff,
        b & 0xfff
    )
}

fn timestamp(minutes: u64) -> String {
    let day = 1 + minutes / (24 * 60) % 28;
    let hour = minutes / 60 % 24;
    format!("2025-03-{day:02}T{hour:02}:{:02}:00.000000Z", minutes % 60)
}

/// Builds one conversation of roughly `budget` bytes.
fn conversation(index: usize, weights: &[u64; 3], budget: u64, rng: &mut Rng) -> Value {
    let conversation_uuid = uuid(1, index as u64, rng.next());
    let mut messages = Vec::new();
    let mut parent = "00000000-0000-4000-8000-000000000000".to_owned();
    let mut size = 0u64;
    let mut turn = 0u64;
    let start = index as u64 * 90;
    while size < budget {
        let human_uuid = uuid(2, turn, rng.next());
        let prompt = "Please extend the previous version and explain the change. "
            .repeat(1 + rng.below(40) as usize);
        messages.push(json!({
            "uuid": human_uuid, "sender": "human", "text": prompt,
            "content": [{"type": "text", "text": prompt}],
            "created_at": timestamp(start + turn * 2), "parent_message_uuid": parent,
            "attachments": [], "files": [],
        }));
        // About one turn in five has an abandoned reply before the one the user kept.
        if rng.below(5) == 0 {
            let abandoned = assistant_message(&human_uuid, turn, weights, budget, rng, start);
            size += json_size(&abandoned);
            messages.push(abandoned);
        }
        let kept = assistant_message(&human_uuid, turn, weights, budget, rng, start + 1);
        parent = kept["uuid"].as_str().unwrap_or_default().to_owned();
        size += serde_json::to_vec(&kept)
            .map(|bytes| bytes.len() as u64)
            .unwrap_or(0);
        size += prompt.len() as u64;
        messages.push(kept);
        turn += 1;
    }
    json!({
        "uuid": conversation_uuid,
        "name": format!("Generated conversation {index}"),
        "summary": "",
        "created_at": timestamp(start),
        "updated_at": timestamp(start + turn * 2),
        "account": {"uuid": "00000000-0000-4000-8000-00000000beef"},
        "chat_messages": messages,
    })
}

fn json_size(value: &Value) -> u64 {
    serde_json::to_vec(value).map_or(0, |bytes| bytes.len() as u64)
}

fn assistant_message(
    parent: &str,
    turn: u64,
    weights: &[u64; 3],
    budget: u64,
    rng: &mut Rng,
    minute: u64,
) -> Value {
    let (language, template) = LANGUAGES[rng.below(LANGUAGES.len() as u64) as usize];
    let lines = 20 + rng.below((budget / 2000).clamp(40, 4000));
    let body: String = (0..lines)
        .map(|n| {
            template
                .replace("{n}", &n.to_string())
                .replace("{{", "{")
                .replace("}}", "}")
        })
        .collect();
    let id = format!("artifact-{}", turn % 3);
    let title = format!("Step {} in {language}", turn % 3);
    let total = weights.iter().sum::<u64>();
    let pick = rng.below(total);
    let thinking = json!({"type": "thinking", "thinking": "Let me plan this. ".repeat(20)});
    let content = if pick < weights[0] {
        let text = format!(
            "Here it is.\n<antArtifact identifier=\"{id}\" type=\"application/vnd.ant.code\" \
             language=\"{language}\" title=\"{title}\">\n{body}\n</antArtifact>\nDone."
        );
        vec![thinking, json!({"type": "text", "text": text})]
    } else if pick < weights[0] + weights[1] {
        let tool_id = format!("toolu_{:016x}", rng.next());
        let update_id = format!("toolu_{:016x}", rng.next());
        vec![
            thinking,
            json!({"type": "tool_use", "id": tool_id, "name": "artifacts", "input": {
                "id": id, "command": "create", "type": "application/vnd.ant.code",
                "language": language, "title": title, "content": body}}),
            json!({"type": "tool_result", "tool_use_id": tool_id, "name": "artifacts",
                "content": [{"type": "text", "text": "OK"}], "is_error": false}),
            json!({"type": "tool_use", "id": update_id, "name": "artifacts", "input": {
                "id": id, "command": "update", "old_str": template.replace("{n}", "0")
                    .replace("{{", "{").replace("}}", "}"),
                "new_str": "// replaced first step\n"}}),
            json!({"type": "tool_result", "tool_use_id": update_id, "name": "artifacts",
                "content": [{"type": "text", "text": "OK"}], "is_error": false}),
            json!({"type": "text", "text": "I created it and then updated the first step."}),
        ]
    } else {
        let tool_id = format!("toolu_{:016x}", rng.next());
        let path = format!("/mnt/user-data/outputs/step_{}.{language}", turn % 3);
        vec![
            json!({"type": "tool_use", "id": tool_id, "name": "create_file", "input": {
                "path": path, "file_text": body, "description": "Write the file"}}),
            json!({"type": "tool_result", "tool_use_id": tool_id, "name": "create_file",
                "content": [{"type": "text", "text": "File created"}], "is_error": false}),
            json!({"type": "text", "text": format!("Saved to computer://{path}")}),
        ]
    };
    json!({
        "uuid": uuid(3, turn, rng.next()), "sender": "assistant",
        "text": "This block is not supported on your current device yet.",
        "content": content, "created_at": timestamp(minute + turn * 2),
        "parent_message_uuid": parent, "attachments": [], "files": [],
    })
}
