//! Parsing one JSON document of an export, with repairs for text that serde_json rejects
//! but a reader can still use.
//!
//! Two kinds of damage are repaired: bytes that are not UTF-8 become U+FFFD, and a
//! `\uD800`-`\uDFFF` escape without its other half becomes `\uFFFD`. JavaScript's
//! `JSON.stringify` writes such an escape for a string cut between the two halves of an emoji.

use std::borrow::Cow;

use serde::de::DeserializeOwned;

use super::split::byte_index;

/// Parses `bytes` as JSON, with the repairs above.
///
/// The whole text is checked for UTF-8 at once, with SIMD, so that serde_json does not check
/// each string again. In a perf profile of an export with long messages, that per-string
/// check took 31% of the samples.
///
/// On failure, returns the error with the index in `bytes` where it was found.
pub(super) fn parse_repaired<T: DeserializeOwned>(
    bytes: &[u8],
) -> Result<T, (serde_json::Error, u64)> {
    let text = match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            tracing::debug!("replaced invalid UTF-8 in a JSON document");
            String::from_utf8_lossy(bytes)
        }
    };
    let first_error = match serde_json::from_str(&text) {
        Ok(parsed) => return Ok(parsed),
        Err(err) => err,
    };
    // A replaced escape has the length of the one it replaces, so the positions of a later
    // error still match `text`.
    let err = match replace_lone_surrogates(&text) {
        Some(repaired) => match serde_json::from_str(&repaired) {
            Ok(parsed) => {
                tracing::debug!("replaced unpaired surrogate escapes in a JSON document");
                return Ok(parsed);
            }
            Err(err) => err,
        },
        None => first_error,
    };
    let inside = byte_index(text.as_bytes(), err.line(), err.column());
    let index = match text {
        Cow::Borrowed(_) => inside,
        Cow::Owned(_) => original_index(bytes, inside),
    };
    Err((err, index as u64))
}

/// Returns `text` with each `\u` escape of a surrogate that is not part of a pair replaced by
/// `\ufffd`, or `None` when there is none.
fn replace_lone_surrogates(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut repaired: Option<String> = None;
    // The end of the part of `text` already copied into `repaired`.
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = bytes.get(at..).and_then(|rest| memchr::memchr(b'\\', rest)) {
        let escape = at + found;
        if bytes.get(escape + 1) != Some(&b'u') {
            // Another escape, such as `\\` or `\"`, whose second character is skipped.
            at = escape + 2;
            continue;
        }
        at = escape + 6;
        let Some(unit) = hex_unit(bytes, escape + 2) else {
            continue;
        };
        if !(0xD800..=0xDFFF).contains(&unit) {
            continue;
        }
        let low_follows = bytes.get(escape + 6..escape + 8) == Some(b"\\u")
            && hex_unit(bytes, escape + 8).is_some_and(|low| (0xDC00..=0xDFFF).contains(&low));
        if unit <= 0xDBFF && low_follows {
            at = escape + 12;
            continue;
        }
        let out = repaired.get_or_insert_with(|| String::with_capacity(text.len()));
        out.push_str(&text[copied..escape]);
        out.push_str("\\ufffd");
        copied = escape + 6;
    }
    let mut out = repaired?;
    out.push_str(&text[copied..]);
    Some(out)
}

/// Reads the four hex digits at `start`, if there are four.
fn hex_unit(bytes: &[u8], start: usize) -> Option<u32> {
    let digits = std::str::from_utf8(bytes.get(start..start + 4)?).ok()?;
    if !digits.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

/// Returns the index in `bytes` of the byte at `index` in the text that
/// `String::from_utf8_lossy` made of them, where each invalid sequence became the three
/// bytes of U+FFFD.
fn original_index(bytes: &[u8], index: usize) -> usize {
    let mut original = 0;
    let mut repaired = 0;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid().len();
        if index < repaired + valid {
            return original + (index - repaired);
        }
        original += valid;
        repaired += valid;
        if !chunk.invalid().is_empty() {
            if index < repaired + '\u{FFFD}'.len_utf8() {
                return original;
            }
            original += chunk.invalid().len();
            repaired += '\u{FFFD}'.len_utf8();
        }
    }
    original
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Named {
        name: String,
    }

    fn name(bytes: &[u8]) -> String {
        parse_repaired::<Named>(bytes)
            .expect("the JSON is repaired")
            .name
    }

    fn error_index(bytes: &[u8]) -> u64 {
        parse_repaired::<Named>(bytes)
            .expect_err("the JSON is broken")
            .1
    }

    #[test]
    fn invalid_utf8_becomes_replacement() {
        assert_eq!(name(b"{\"name\":\"caf\xE9 \xFF\"}"), "caf\u{FFFD} \u{FFFD}");
    }

    #[test]
    fn lone_surrogates_become_replacement() {
        let cases = [
            (r#"{"name":"cut \ud83d"}"#, "cut \u{FFFD}"),
            (r#"{"name":"\ude00 low"}"#, "\u{FFFD} low"),
            (r#"{"name":"\ud83d\ud83d\ude00"}"#, "\u{FFFD}\u{1F600}"),
            (r#"{"name":"\ud83d\n"}"#, "\u{FFFD}\n"),
        ];
        for (json, expected) in cases {
            assert_eq!(name(json.as_bytes()), expected, "{json}");
        }
    }

    #[test]
    fn escaped_backslash_is_not_an_escape() {
        assert_eq!(name(br#"{"name":"a\\ud83d"}"#), "a\\ud83d");
    }

    #[test]
    fn pairs_and_plain_text_unchanged() {
        assert_eq!(replace_lone_surrogates(r#""\ud83d\ude00 \u00e9 \\""#), None);
        assert_eq!(name(br#"{"name":"\ud83d\ude00"}"#), "\u{1F600}");
    }

    /// Returns the index of the last colon in `json`, where the test documents put their
    /// syntax error.
    fn last_colon(json: &[u8]) -> u64 {
        let colon = json
            .iter()
            .rposition(|&byte| byte == b':')
            .expect("a colon");
        colon as u64
    }

    #[test]
    fn syntax_error_index_in_input() {
        // The repaired text has three bytes for each one-byte invalid sequence, so an index
        // taken from it would land past the unexpected colon.
        let json = b"{\"name\":\"\xFF\xFF\xFF\" : ,}";
        assert_eq!(error_index(json), last_colon(json));
    }

    #[test]
    fn syntax_error_after_surrogate_found() {
        let json = br#"{"name":"\ud83d" : ,}"#;
        assert_eq!(error_index(json), last_colon(json));
    }

    #[test]
    fn original_index_skips_replacements() {
        let bytes = b"a\xFF\xFEb";
        // The lossy text is "a", U+FFFD, U+FFFD, "b": 1 + 3 + 3 + 1 bytes.
        assert_eq!(original_index(bytes, 0), 0);
        assert_eq!(original_index(bytes, 1), 1);
        assert_eq!(original_index(bytes, 4), 2);
        assert_eq!(original_index(bytes, 7), 3);
    }
}
