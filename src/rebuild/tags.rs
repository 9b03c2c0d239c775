//! Inline `<antArtifact>` tags in message text, the artifact format of 2024.
//!
//! A tag looks like `<antArtifact identifier="csv-handler" type="application/vnd.ant.code"
//! language="python" title="CSV File Handler">body</antArtifact>`. Each tag is a full version,
//! so a later tag with the same identifier replaces the content. `<antThinking>` sections are
//! the model's notes, and tags inside them are not artifacts.

use super::attributes::{OpeningTag, parse_opening_tag};
use super::store::{Store, inherit, non_empty};
use crate::artifact::{Origin, Version};

const ARTIFACT_OPEN: &str = "<antArtifact";
const ARTIFACT_CLOSE: &str = "</antArtifact>";
const THINKING_OPEN: &str = "<antThinking>";
const THINKING_CLOSE: &str = "</antThinking>";

/// One `<antArtifact>` tag with its body.
#[derive(Debug)]
pub(super) struct TagArtifact {
    pub opening: OpeningTag,
    /// The body without the one newline after the opening tag and the one before the closing tag.
    pub content: String,
    /// Whether the closing tag was found. An unclosed tag runs to the end of the text.
    pub closed: bool,
}

/// The tags found in one text.
#[derive(Debug, Default)]
pub(super) struct TagScan {
    pub artifacts: Vec<TagArtifact>,
    /// Whether the text ends inside an opening tag, which leaves no usable attributes.
    pub opening_tag_cut: bool,
}

/// Finds every `<antArtifact>` tag in `text`, skipping `<antThinking>` sections.
pub(super) fn scan_tags(text: &str) -> TagScan {
    let mut scan = TagScan::default();
    let mut position = 0;

    while let Some(found) = next_tag(text, position) {
        match found {
            FoundTag::Thinking(start) => position = skip_thinking(text, start),
            FoundTag::Artifact(start) => {
                let attributes_start = start + ARTIFACT_OPEN.len();
                if !starts_attributes(text, attributes_start) {
                    // A longer name such as `<antArtifactX`.
                    position = attributes_start;
                    continue;
                }
                let Some(opening) = parse_opening_tag(text, attributes_start) else {
                    scan.opening_tag_cut = true;
                    break;
                };
                let (artifact, next) = read_body(text, opening);
                scan.artifacts.push(artifact);
                match next {
                    Some(next) => position = next,
                    None => break,
                }
            }
        }
    }

    scan
}

enum FoundTag {
    Artifact(usize),
    Thinking(usize),
}

/// Returns the earliest artifact or thinking tag at or after `position`.
fn next_tag(text: &str, position: usize) -> Option<FoundTag> {
    let rest = text.get(position..)?;
    let artifact = rest.find(ARTIFACT_OPEN).map(|offset| position + offset);
    let thinking = rest.find(THINKING_OPEN).map(|offset| position + offset);
    match (artifact, thinking) {
        (Some(a), Some(t)) if t < a => Some(FoundTag::Thinking(t)),
        (Some(a), _) => Some(FoundTag::Artifact(a)),
        (None, Some(t)) => Some(FoundTag::Thinking(t)),
        (None, None) => None,
    }
}

/// Returns the position after the `</antThinking>` that closes the section at `start`.
/// An unclosed section skips only its opening tag, so later artifacts are still found.
fn skip_thinking(text: &str, start: usize) -> usize {
    let after_open = start + THINKING_OPEN.len();
    match text
        .get(after_open..)
        .and_then(|rest| rest.find(THINKING_CLOSE))
    {
        Some(offset) => after_open + offset + THINKING_CLOSE.len(),
        None => after_open,
    }
}

/// Returns whether the tag name ends at `position`: followed by whitespace, `>`, `/` or the end.
fn starts_attributes(text: &str, position: usize) -> bool {
    match text.as_bytes().get(position) {
        None => true,
        Some(&byte) => byte.is_ascii_whitespace() || byte == b'>' || byte == b'/',
    }
}

/// Reads the body after an opening tag. Returns the artifact and the position after its
/// closing tag, or `None` as the position when the tag is unclosed.
fn read_body(text: &str, opening: OpeningTag) -> (TagArtifact, Option<usize>) {
    if opening.self_closing {
        let end = opening.end;
        let artifact = TagArtifact {
            opening,
            content: String::new(),
            closed: true,
        };
        return (artifact, Some(end));
    }

    let rest = text.get(opening.end..).unwrap_or_default();
    let (content, closed, next) = match rest.find(ARTIFACT_CLOSE) {
        Some(offset) => {
            let body = rest.get(..offset).unwrap_or_default();
            let content = strip_trailing_newline(strip_leading_newline(body));
            let next = opening.end + offset + ARTIFACT_CLOSE.len();
            (content, true, Some(next))
        }
        None => (strip_leading_newline(rest), false, None),
    };

    let artifact = TagArtifact {
        opening,
        content: content.to_owned(),
        closed,
    };
    (artifact, next)
}

fn strip_leading_newline(body: &str) -> &str {
    body.strip_prefix("\r\n")
        .or_else(|| body.strip_prefix('\n'))
        .unwrap_or(body)
}

fn strip_trailing_newline(body: &str) -> &str {
    body.strip_suffix("\r\n")
        .or_else(|| body.strip_suffix('\n'))
        .unwrap_or(body)
}

/// Adds a version for every tag in `text`, a message's text produced in `message_uuid`.
pub(super) fn apply_tags(store: &mut Store, text: &str, message_uuid: &str) {
    let scan = scan_tags(text);
    for artifact in scan.artifacts {
        apply_tag(store, artifact, message_uuid);
    }
    if scan.opening_tag_cut {
        store.warn(format!(
            "Skipped an <antArtifact> tag in message {message_uuid} because the text ends \
             inside its opening tag."
        ));
    }
}

/// Adds one tag as a full version. A missing `title` or `type` keeps the previous version's
/// value, but `language` is taken as written because tags carry it only for code.
fn apply_tag(store: &mut Store, tag: TagArtifact, message_uuid: &str) {
    let Some(id) = non_empty(tag.opening.attribute("identifier")).map(str::to_owned) else {
        store.warn(format!(
            "Skipped an <antArtifact> tag in message {message_uuid} because it has no identifier."
        ));
        return;
    };

    let previous = store.latest(Origin::Tag, &id);
    let version = Version {
        title: inherit(
            tag.opening.attribute("title"),
            previous.map(|v| v.title.as_str()),
        ),
        kind: inherit(
            tag.opening.attribute("type"),
            previous.map(|v| v.kind.as_str()),
        ),
        language: non_empty(tag.opening.attribute("language")).map(str::to_owned),
        content: tag.content,
        message_uuid: message_uuid.to_owned(),
        flags: Vec::new(),
    };
    store.push_version(Origin::Tag, &id, version);

    if !tag.closed {
        store.warn_artifact(
            Origin::Tag,
            &id,
            format!(
                "The <antArtifact> tag for `{id}` in message {message_uuid} has no closing tag, \
                 so its content may be cut off."
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rebuild::test_support::{
        artifact, assistant, chat, contents, rebuild_json, text_block,
    };

    fn scan_contents(text: &str) -> Vec<String> {
        scan_tags(text)
            .artifacts
            .into_iter()
            .map(|artifact| artifact.content)
            .collect()
    }

    fn first_attribute(text: &str, name: &str) -> Option<String> {
        let scan = scan_tags(text);
        let artifact = scan.artifacts.first()?;
        artifact.opening.attribute(name).map(str::to_owned)
    }

    #[test]
    fn attribute_orders_parse() {
        let tags = [
            r#"<antArtifact identifier="a" type="text/html" title="T">x</antArtifact>"#,
            r#"<antArtifact title="T" identifier="a" type="text/html">x</antArtifact>"#,
            r#"<antArtifact type="text/html" title="T" identifier="a">x</antArtifact>"#,
        ];
        for tag in tags {
            assert_eq!(first_attribute(tag, "identifier").as_deref(), Some("a"));
            assert_eq!(first_attribute(tag, "type").as_deref(), Some("text/html"));
            assert_eq!(first_attribute(tag, "title").as_deref(), Some("T"));
        }
    }

    #[test]
    fn single_quotes_parse() {
        let tag = "<antArtifact identifier='a' title='It&apos;s \"quoted\"'>x</antArtifact>";
        assert_eq!(first_attribute(tag, "identifier").as_deref(), Some("a"));
        assert_eq!(
            first_attribute(tag, "title").as_deref(),
            Some("It's \"quoted\"")
        );
    }

    #[test]
    fn entities_in_title_decoded() {
        let tag = r#"<antArtifact identifier="a" title="&quot;Q&quot; &amp; A">x</antArtifact>"#;
        assert_eq!(first_attribute(tag, "title").as_deref(), Some("\"Q\" & A"));
    }

    #[test]
    fn one_newline_stripped_each_side() {
        let text = "<antArtifact identifier=\"a\">\n\nbody\n\n</antArtifact>";
        assert_eq!(scan_contents(text), ["\nbody\n"]);
    }

    #[test]
    fn body_without_newlines_kept() {
        let text = "<antArtifact identifier=\"a\">  body  </antArtifact>";
        assert_eq!(scan_contents(text), ["  body  "]);
    }

    #[test]
    fn crlf_counts_as_newline() {
        let text = "<antArtifact identifier=\"a\">\r\nbody\r\n</antArtifact>";
        assert_eq!(scan_contents(text), ["body"]);
    }

    #[test]
    fn lone_newline_body_empty() {
        let text = "<antArtifact identifier=\"a\">\n</antArtifact>";
        assert_eq!(scan_contents(text), [""]);
    }

    #[test]
    fn body_entities_not_decoded() {
        let text = "<antArtifact identifier=\"a\">\na &amp; b\n</antArtifact>";
        assert_eq!(scan_contents(text), ["a &amp; b"]);
    }

    #[test]
    fn several_tags_found() {
        let text = "Intro <antArtifact identifier=\"a\">\n1\n</antArtifact> middle \
                    <antArtifact identifier=\"b\">\n2\n</antArtifact> end";
        assert_eq!(scan_contents(text), ["1", "2"]);
    }

    #[test]
    fn thinking_is_not_artifact() {
        let text = "<antThinking>Make <antArtifact identifier=\"no\">x</antArtifact>?\
                    </antThinking><antArtifact identifier=\"yes\">y</antArtifact>";
        let scan = scan_tags(text);
        assert_eq!(scan.artifacts.len(), 1);
        assert_eq!(
            scan.artifacts[0].opening.attribute("identifier"),
            Some("yes")
        );
    }

    #[test]
    fn unclosed_thinking_skips_only_tag() {
        let text = "<antThinking>note <antArtifact identifier=\"a\">x</antArtifact>";
        assert_eq!(scan_contents(text), ["x"]);
    }

    #[test]
    fn unclosed_tag_keeps_body() {
        let text = "<antArtifact identifier=\"a\">\nline 1\nline 2";
        let scan = scan_tags(text);
        assert_eq!(scan.artifacts.len(), 1);
        assert_eq!(scan.artifacts[0].content, "line 1\nline 2");
        assert!(!scan.artifacts[0].closed);
    }

    #[test]
    fn cut_opening_tag_flagged() {
        let scan = scan_tags("<antArtifact identifier=\"a\" title=\"Cu");
        assert!(scan.artifacts.is_empty());
        assert!(scan.opening_tag_cut);
    }

    #[test]
    fn longer_tag_name_ignored() {
        let text = "<antArtifactory identifier=\"a\">x</antArtifact>";
        assert!(scan_tags(text).artifacts.is_empty());
    }

    #[test]
    fn self_closing_tag_empty() {
        let text = "<antArtifact identifier=\"a\"/> after";
        assert_eq!(scan_contents(text), [""]);
    }

    #[test]
    fn arbitrary_text_does_not_panic() {
        let inputs = [
            "<antArtifact",
            "<antArtifact ",
            "<antArtifact>",
            "<antArtifact =>",
            "<antArtifact identifier=\"é",
            "<antArtifact identifier=é>é</antArtifact",
            "</antArtifact><antThinking>",
            "<antThinking><antArtifact",
            "日本<antArtifact 名=\"値\">本文</antArtifact>語",
        ];
        for text in inputs {
            let _ = scan_tags(text);
        }
        for end in 0..=inputs[8].len() {
            if let Some(prefix) = inputs[8].get(..end) {
                let _ = scan_tags(prefix);
            }
        }
    }

    #[test]
    fn generated_text_does_not_panic() {
        const PIECES: [&str; 16] = [
            "<antArtifact",
            " ",
            "identifier=",
            "\"a\"",
            "\"",
            "'",
            ">",
            "/>",
            "</antArtifact>",
            "<antThinking>",
            "</antThinking>",
            "é",
            "\n",
            "&quot;",
            "=",
            "&#x;",
        ];
        // A fixed linear congruential generator keeps the cases reproducible.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3_000 {
            let mut text = String::new();
            for _ in 0..12 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let choice = (state >> 33) as usize % PIECES.len();
                text.push_str(PIECES[choice]);
            }
            let _ = scan_tags(&text);
        }
    }

    fn rebuild_text(text: &str) -> crate::artifact::Rebuilt {
        rebuild_json(&chat(&[assistant("m1", &[text_block(text)])]))
    }

    #[test]
    fn same_id_twice_two_versions() {
        let rebuilt = rebuild_text(
            "<antArtifact identifier=\"a\" type=\"text/markdown\" title=\"One\">\nv1\n\
             </antArtifact><antArtifact identifier=\"a\" title=\"Two\">\nv2\n</antArtifact>",
        );
        assert_eq!(rebuilt.artifacts.len(), 1);
        assert_eq!(contents(&rebuilt, "a"), ["v1", "v2"]);
        let last = artifact(&rebuilt, "a").map(|a| a.final_version().clone());
        assert_eq!(last.as_ref().map(|v| v.title.as_str()), Some("Two"));
        assert_eq!(
            last.as_ref().map(|v| v.kind.as_str()),
            Some("text/markdown")
        );
    }

    #[test]
    fn version_fields_set() {
        let rebuilt = rebuild_text(
            "<antArtifact language=\"python\" identifier=\"csv\" \
             type=\"application/vnd.ant.code\" title=\"CSV\">\nprint(1)\n</antArtifact>",
        );
        let version = artifact(&rebuilt, "csv").map(|a| a.final_version().clone());
        let version = version.expect("artifact `csv` exists");
        assert_eq!(version.content, "print(1)");
        assert_eq!(version.title, "CSV");
        assert_eq!(version.kind, "application/vnd.ant.code");
        assert_eq!(version.language.as_deref(), Some("python"));
        assert_eq!(version.message_uuid, "m1");
    }

    #[test]
    fn language_optional() {
        let rebuilt = rebuild_text("<antArtifact identifier=\"a\">x</antArtifact>");
        let version = artifact(&rebuilt, "a").map(|a| a.final_version().clone());
        assert_eq!(version.map(|v| v.language), Some(None));
    }

    #[test]
    fn unclosed_tag_warns() {
        let rebuilt = rebuild_text("<antArtifact identifier=\"a\">\npartial");
        assert_eq!(contents(&rebuilt, "a"), ["partial"]);
        let warnings = artifact(&rebuilt, "a").map(|a| a.warnings.clone());
        assert_eq!(warnings.map(|w| w.len()), Some(1));
    }

    #[test]
    fn missing_identifier_warns() {
        let rebuilt = rebuild_text("<antArtifact title=\"x\">body</antArtifact>");
        assert!(rebuilt.artifacts.is_empty());
        assert_eq!(rebuilt.warnings.len(), 1);
    }

    #[test]
    fn non_latin_title_kept() {
        let rebuilt = rebuild_text(
            "<antArtifact identifier=\"r\" title=\"Отчёт: 売上/分析 📈\n2\">x</antArtifact>",
        );
        let title = artifact(&rebuilt, "r").map(|a| a.final_version().title.clone());
        assert_eq!(title.as_deref(), Some("Отчёт: 売上/分析 📈\n2"));
    }
}
