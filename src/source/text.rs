//! Artifacts in plain text: copied chat text, pasted snippets and piped files.
//!
//! Three forms are recognised, in this order of precedence:
//!
//! - inline `<antArtifact>` tags, rebuilt like tags in an export;
//! - blocks that start with a line `=== ARTIFACT: <title> ===` and run to the next such
//!   line (or a line `=== END ===`), whose title names the artifact;
//! - fenced code blocks (three or more backticks or tildes). A file name in the info string
//!   (`` ```python app.py ``, `` ```rust:src/main.rs ``, `` ```js title="x.js" ``) or in a
//!   comment on the first line (`# app.py`, `// src/main.rs`) names the file; otherwise the
//!   block's language gives the extension.
//!
//! A named block becomes a file, so a later block with the same name is its next version.

use crate::model::{Block, Conversation, Message, ToolInput};

/// A piece of text that becomes one artifact version.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TextArtifact {
    /// The file name or path that names it, if the text gave one.
    file_name: Option<String>,
    /// The title when there is no file name.
    title: String,
    language: Option<String>,
    content: String,
}

/// Builds the conversation for text that is not JSON. Returns `None` when the text contains no
/// tags, markers or fenced blocks.
pub(super) fn text_conversation(name: &str, text: &str) -> Option<Conversation> {
    let mut message = Message {
        uuid: "pasted-message".to_owned(),
        sender: "assistant".to_owned(),
        ..Default::default()
    };
    if text.contains("<antArtifact") {
        message.text = text.to_owned();
    } else {
        let artifacts = marked_blocks(text).unwrap_or_else(|| fenced_blocks(text));
        if artifacts.is_empty() {
            return None;
        }
        message.content = artifacts.into_iter().enumerate().map(tool_call).collect();
    }
    Some(Conversation {
        uuid: text_uuid(text),
        name: name.to_owned(),
        chat_messages: vec![message],
        ..Default::default()
    })
}

/// Derives a conversation uuid from the text's SHA-256, so different texts get different
/// conversations (and output folders) and the same text gets the same one on every run. The
/// version and variant bits mark it as a version 8 (custom) UUID of RFC 9562.
fn text_uuid(text: &str) -> String {
    use sha2::{Digest, Sha256};

    let mut bytes: [u8; 16] = Sha256::digest(text.as_bytes())[..16]
        .try_into()
        .expect("a SHA-256 digest has 32 bytes");
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// Turns the artifact at `index` into the tool call that would have made it: `create_file`
/// for a named file, else a `create` of the `artifacts` tool.
fn tool_call((index, artifact): (usize, TextArtifact)) -> Block {
    let input = match artifact.file_name {
        Some(path) => ToolInput {
            path: Some(path),
            file_text: Some(artifact.content),
            ..Default::default()
        },
        None => ToolInput {
            id: Some(format!("block-{}", index + 1)),
            command: Some("create".to_owned()),
            kind: Some(kind_for_language(artifact.language.as_deref()).to_owned()),
            title: Some(artifact.title),
            language: artifact.language,
            content: Some(artifact.content),
            ..Default::default()
        },
    };
    let name = if input.path.is_some() {
        "create_file"
    } else {
        "artifacts"
    };
    Block {
        kind: "tool_use".to_owned(),
        name: name.to_owned(),
        id: Some(format!("text-block-{}", index + 1)),
        input: Some(input),
        ..Default::default()
    }
}

/// Maps a fence's language onto the artifact type that Claude uses for it.
fn kind_for_language(language: Option<&str>) -> &'static str {
    match language.map(str::to_ascii_lowercase).as_deref() {
        Some("markdown" | "md") => "text/markdown",
        Some("html") => "text/html",
        Some("svg") => "image/svg+xml",
        Some("mermaid") => "application/vnd.ant.mermaid",
        _ => "application/vnd.ant.code",
    }
}

/// Splits text at `=== ARTIFACT: <title> ===` lines. Returns `None` when there is none.
fn marked_blocks(text: &str) -> Option<Vec<TextArtifact>> {
    let mut artifacts = Vec::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    let mut found = false;
    for line in lines(text) {
        match marker(line) {
            Some(Marker::Start(title)) => {
                found = true;
                artifacts.extend(current.take().map(marked_artifact));
                current = Some((title, Vec::new()));
            }
            Some(Marker::End) => artifacts.extend(current.take().map(marked_artifact)),
            None => {
                if let Some((_, body)) = &mut current {
                    body.push(line);
                }
            }
        }
    }
    artifacts.extend(current.take().map(marked_artifact));
    found.then_some(artifacts)
}

enum Marker {
    Start(String),
    End,
}

/// Reads a marker line: `=== ARTIFACT: title ===` or `=== END ===`, with three or more `=`
/// on each side, in any letter case.
fn marker(line: &str) -> Option<Marker> {
    let trimmed = line.trim();
    let inner = trimmed.strip_prefix("===")?.strip_suffix("===")?;
    let inner = inner.trim_matches('=').trim();
    let upper = inner.to_ascii_uppercase();
    if upper == "END" || upper == "END ARTIFACT" {
        return Some(Marker::End);
    }
    let title = upper
        .strip_prefix("ARTIFACT:")
        .map(|rest| inner[inner.len() - rest.len()..].trim())?;
    Some(Marker::Start(title.to_owned()))
}

/// Builds a marked artifact. A body that is a single fenced block is unwrapped, and its
/// language kept.
fn marked_artifact((title, body): (String, Vec<&str>)) -> TextArtifact {
    let body = trim_blank_lines(&body);
    // Text between markers is the chat's own prose, which is Markdown.
    let mut language = Some("markdown".to_owned());
    let mut content_lines = body;
    if let Some(fence) = body.first().and_then(|line| Fence::open(line))
        && let Some(end) = body.iter().skip(1).position(|line| fence.closes(line))
        && end + 2 == body.len()
    {
        language = fence.language();
        content_lines = &body[1..=end];
    }
    let file_name = looks_like_file_name(&title).then(|| title.clone());
    let title = if title.is_empty() {
        "Untitled".to_owned()
    } else {
        title
    };
    TextArtifact {
        file_name,
        title,
        language,
        content: join_lines(content_lines),
    }
}

/// Finds every fenced code block.
fn fenced_blocks(text: &str) -> Vec<TextArtifact> {
    let all: Vec<&str> = lines(text).collect();
    let mut artifacts = Vec::new();
    let mut index = 0;
    while index < all.len() {
        let Some(fence) = Fence::open(all[index]) else {
            index += 1;
            continue;
        };
        let body_start = index + 1;
        // An unclosed fence runs to the end of the text, as in CommonMark.
        let body_end = all[body_start..]
            .iter()
            .position(|line| fence.closes(line))
            .map_or(all.len(), |offset| body_start + offset);
        let body = &all[body_start..body_end];
        let file_name = fence
            .file_name()
            .or_else(|| body.first().and_then(|line| comment_file_name(line)));
        let number = artifacts.len() + 1;
        artifacts.push(TextArtifact {
            title: file_name
                .clone()
                .unwrap_or_else(|| format!("Block {number}")),
            file_name,
            language: fence.language(),
            content: join_lines(body),
        });
        index = body_end + 1;
    }
    artifacts
}

/// An opening code fence.
struct Fence<'a> {
    marker: char,
    length: usize,
    info: &'a str,
}

impl<'a> Fence<'a> {
    /// Reads an opening fence: at most three spaces, then three or more backticks or tildes.
    fn open(line: &'a str) -> Option<Self> {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent > 3 {
            return None;
        }
        let rest = &line[indent..];
        let marker = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
        let length = rest.len() - rest.trim_start_matches(marker).len();
        if length < 3 {
            return None;
        }
        let info = rest[length..].trim();
        if marker == '`' && info.contains('`') {
            return None;
        }
        Some(Self {
            marker,
            length,
            info,
        })
    }

    fn closes(&self, line: &str) -> bool {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = line[indent..].trim_end();
        indent <= 3 && rest.len() >= self.length && rest.chars().all(|c| c == self.marker)
    }

    /// Returns the language: the info string's first word, unless it is a file name, in
    /// which case it is the part before a `:` (as in `rust:src/main.rs`) or nothing.
    fn language(&self) -> Option<String> {
        let first = self.info.split_whitespace().next()?;
        let language = match first.split_once(':') {
            Some((language, _)) => language,
            None if looks_like_file_name(first) => return None,
            None => first,
        };
        let valid = !language.is_empty()
            && !language.contains('=')
            && language
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+#-_.".contains(c));
        valid.then(|| language.to_owned())
    }

    /// Returns a file name given in the info string.
    fn file_name(&self) -> Option<String> {
        for (position, word) in self.info.split_whitespace().enumerate() {
            let value = match word.split_once('=') {
                Some((key, value))
                    if ["title", "file", "filename", "path", "name"]
                        .contains(&key.to_ascii_lowercase().as_str()) =>
                {
                    value.trim_matches(['"', '\''])
                }
                Some(_) => continue,
                None if position == 0 => word.split_once(':').map_or(word, |(_, path)| path),
                None => word,
            };
            if looks_like_file_name(value) {
                return Some(value.to_owned());
            }
        }
        None
    }
}

/// Reads a file name from a first-line comment such as `# app.py`, `// src/main.rs`,
/// `<!-- index.html -->` or `/* style.css */`, with an optional `file:` label.
fn comment_file_name(line: &str) -> Option<String> {
    let trimmed = line.trim();
    if trimmed.starts_with("#!") {
        return None;
    }
    let inner = ["<!--", "/*", "//", "--", "#", ";"]
        .iter()
        .find_map(|prefix| trimmed.strip_prefix(prefix))?;
    let inner = inner
        .trim()
        .trim_end_matches("-->")
        .trim_end_matches("*/")
        .trim();
    let lower = inner.to_ascii_lowercase();
    let label = ["filename:", "file:", "path:"]
        .iter()
        .find(|label| lower.starts_with(*label));
    let candidate = label.map_or(inner, |label| inner[label.len()..].trim());
    looks_like_file_name(candidate).then(|| candidate.to_owned())
}

/// Returns whether `text` reads as a file name or relative path: no spaces, and a last
/// component with an extension that starts with a letter, such as `app.py` or `src/lib.rs`.
fn looks_like_file_name(text: &str) -> bool {
    if text.is_empty() || text.len() > 255 || text.contains("://") {
        return false;
    }
    if text
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "`\"'<>|*?".contains(c))
    {
        return false;
    }
    let last = text.rsplit(['/', '\\']).next().unwrap_or(text);
    let Some((stem, extension)) = last.rsplit_once('.') else {
        return false;
    };
    !stem.is_empty()
        && (1..=10).contains(&extension.len())
        && extension.starts_with(|c: char| c.is_ascii_alphabetic())
        && extension.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Splits text into lines without their `\n` or `\r\n`.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
}

fn trim_blank_lines<'a, 'b>(body: &'b [&'a str]) -> &'b [&'a str] {
    let start = body
        .iter()
        .position(|line| !line.trim().is_empty())
        .unwrap_or(body.len());
    let end = body
        .iter()
        .rposition(|line| !line.trim().is_empty())
        .map_or(start, |index| index + 1);
    &body[start..end]
}

/// Joins lines with `\n`, ending with a newline as text files do.
fn join_lines(lines: &[&str]) -> String {
    let mut content = lines.join("\n");
    if !content.is_empty() {
        content.push('\n');
    }
    content
}

#[cfg(test)]
mod tests {
    use super::*;

    fn artifact(
        file_name: Option<&str>,
        title: &str,
        language: Option<&str>,
        content: &str,
    ) -> TextArtifact {
        TextArtifact {
            file_name: file_name.map(str::to_owned),
            title: title.to_owned(),
            language: language.map(str::to_owned),
            content: content.to_owned(),
        }
    }

    #[test]
    fn fence_with_language() {
        let text = "Here it is:\n\n```python\nprint('hi')\n```\nDone.";
        assert_eq!(
            fenced_blocks(text),
            vec![artifact(None, "Block 1", Some("python"), "print('hi')\n")]
        );
    }

    #[test]
    fn fence_info_names_file() {
        let cases = [
            ("```python app.py\nbody\n```", Some("python"), "app.py"),
            (
                "```rust:src/main.rs\nbody\n```",
                Some("rust"),
                "src/main.rs",
            ),
            (
                "```js title=\"widget.js\"\nbody\n```",
                Some("js"),
                "widget.js",
            ),
            ("```index.html\nbody\n```", None, "index.html"),
            ("~~~ filename=notes.md\nbody\n~~~", None, "notes.md"),
        ];
        for (text, language, name) in cases {
            let blocks = fenced_blocks(text);
            assert_eq!(blocks.len(), 1, "{text}");
            assert_eq!(blocks[0].file_name.as_deref(), Some(name), "{text}");
            assert_eq!(blocks[0].language.as_deref(), language, "{text}");
            assert_eq!(blocks[0].content, "body\n", "{text}");
        }
    }

    #[test]
    fn first_line_comment_names_file() {
        let cases = [
            ("# app.py", Some("app.py")),
            ("// src/lib.rs", Some("src/lib.rs")),
            ("<!-- index.html -->", Some("index.html")),
            ("/* style.css */", Some("style.css")),
            ("-- File: schema.sql", Some("schema.sql")),
            ("#!/usr/bin/env python3", None),
            ("# A heading with words", None),
            ("// version 1.2", None),
        ];
        for (line, expected) in cases {
            assert_eq!(comment_file_name(line).as_deref(), expected, "{line}");
        }
    }

    #[test]
    fn comment_name_keeps_the_line() {
        let blocks = fenced_blocks("```python\n# tools.py\nx = 1\n```");
        assert_eq!(
            blocks,
            vec![artifact(
                Some("tools.py"),
                "tools.py",
                Some("python"),
                "# tools.py\nx = 1\n"
            )]
        );
    }

    #[test]
    fn longer_fence_contains_shorter() {
        let text = "````markdown\n```js\nx\n```\n````\n";
        let blocks = fenced_blocks(text);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].content, "```js\nx\n```\n");
    }

    #[test]
    fn unclosed_fence_runs_to_end() {
        let blocks = fenced_blocks("```sh\necho one\necho two");
        assert_eq!(blocks[0].content, "echo one\necho two\n");
    }

    #[test]
    fn crlf_lines_are_read() {
        let blocks = fenced_blocks("```python\r\nx = 1\r\n```\r\n");
        assert_eq!(blocks[0].content, "x = 1\n");
    }

    #[test]
    fn indented_four_spaces_is_not_fence() {
        assert!(fenced_blocks("    ```python\n    x\n    ```").is_empty());
    }

    #[test]
    fn markers_split_artifacts() {
        let text = "intro\n=== ARTIFACT: Plan ===\n\nStep one\n\n=== ARTIFACT: main.rs ===\n```rust\nfn main() {}\n```\n=== END ===\ntrailing";
        assert_eq!(
            marked_blocks(text),
            Some(vec![
                artifact(None, "Plan", Some("markdown"), "Step one\n"),
                artifact(Some("main.rs"), "main.rs", Some("rust"), "fn main() {}\n"),
            ])
        );
    }

    #[test]
    fn marker_is_case_insensitive() {
        let blocks = marked_blocks("==== artifact: Notes ====\ntext").expect("markers");
        assert_eq!(blocks[0].title, "Notes");
    }

    #[test]
    fn no_markers_is_none() {
        assert_eq!(marked_blocks("=== not a marker ===\ntext"), None);
    }

    #[test]
    fn text_without_artifacts_is_none() {
        assert!(text_conversation("pasted", "just words").is_none());
    }

    #[test]
    fn text_uuid_follows_content() {
        let first = text_conversation("pasted", "```py\nprint(1)\n```\n").expect("first");
        let again = text_conversation("pasted", "```py\nprint(1)\n```\n").expect("again");
        let other = text_conversation("pasted", "```py\nprint(2)\n```\n").expect("other");
        assert_eq!(first.uuid, again.uuid);
        assert_ne!(first.uuid, other.uuid);
        assert_eq!(first.uuid.len(), 36);
        assert_eq!(first.uuid.as_bytes()[14], b'8');
    }

    #[test]
    fn tags_take_precedence() {
        let text = "<antArtifact identifier=\"a\" type=\"text/markdown\" title=\"A\">\n```js\nx\n```\n</antArtifact>";
        let conversation = text_conversation("pasted", text).expect("conversation");
        assert_eq!(conversation.chat_messages[0].text, text);
        assert!(conversation.chat_messages[0].content.is_empty());
    }

    #[test]
    fn file_name_rules() {
        for name in [
            "app.py",
            "src/main.rs",
            "a.b.c.json",
            "Makefile.am",
            "x.tsx",
        ] {
            assert!(looks_like_file_name(name), "{name}");
        }
        for name in [
            "",
            "python",
            "1.2",
            "v.2",
            "my file.py",
            "https://x.org/a.js",
            ".env",
            "a.verylongextension",
        ] {
            assert!(!looks_like_file_name(name), "{name}");
        }
    }
}
