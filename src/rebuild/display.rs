//! Content of a tool call, taken from its input or from the block's `display_content`.
//!
//! The web app's own JSON fills `display_content` with what it shows for a call, either
//! `{type: "code_block", code, language, filename}` or `{type: "json_block", json_block}`
//! where `json_block` is a JSON string holding `language`, `code` and `filename`. Exports
//! leave it null.

use serde_json::Value;

use super::store::non_empty;

/// The full content of a call and its language, if known.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct FullContent {
    pub content: String,
    pub language: Option<String>,
}

/// Returns the call's full content: `input_content` when it is non-empty, else the code in
/// `display_content`, else `input_content` even if empty.
///
/// The language is `input_language` when non-empty, else the one in `display_content`.
/// Returns `None` when neither source has content.
pub(super) fn full_content(
    input_content: Option<&str>,
    input_language: Option<&str>,
    display_content: Option<&Value>,
) -> Option<FullContent> {
    let display = display_code(display_content);

    let language = match non_empty(input_language) {
        Some(language) => Some(language.to_owned()),
        None => display.as_ref().and_then(|code| code.language.clone()),
    };
    let content = match (non_empty(input_content), display) {
        (Some(content), _) => content.to_owned(),
        (None, Some(code)) => code.code,
        (None, None) => input_content?.to_owned(),
    };

    Some(FullContent { content, language })
}

/// Code shown by the web app for a call.
#[derive(Debug, PartialEq, Eq)]
struct DisplayCode {
    code: String,
    language: Option<String>,
}

/// Reads the code of a `code_block` or `json_block` display. Returns `None` for other
/// display types and for blocks without a string `code`.
fn display_code(display_content: Option<&Value>) -> Option<DisplayCode> {
    let display = display_content?;
    match display.get("type")?.as_str()? {
        "code_block" => code_in(display),
        "json_block" => match display.get("json_block")? {
            Value::String(json) => code_in(&serde_json::from_str(json).ok()?),
            // Accepted too in case a source stores the object instead of its JSON text.
            object @ Value::Object(_) => code_in(object),
            _ => None,
        },
        _ => None,
    }
}

fn code_in(object: &Value) -> Option<DisplayCode> {
    let code = object.get("code")?.as_str()?.to_owned();
    let language = non_empty(object.get("language").and_then(Value::as_str)).map(str::to_owned);
    Some(DisplayCode { code, language })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(json: &str) -> Value {
        serde_json::from_str(json).expect("test JSON is valid")
    }

    fn expected(content: &str, language: Option<&str>) -> Option<FullContent> {
        Some(FullContent {
            content: content.to_owned(),
            language: language.map(str::to_owned),
        })
    }

    #[test]
    fn input_content_preferred() {
        let display = value(r#"{"type": "code_block", "code": "shown", "language": "rust"}"#);
        let full = full_content(Some("input"), None, Some(&display));
        assert_eq!(full, expected("input", Some("rust")));
    }

    #[test]
    fn code_block_used() {
        let display = value(
            r#"{"type": "code_block", "code": "fn main() {}\n", "language": "rust",
                "filename": "main.rs"}"#,
        );
        let full = full_content(None, None, Some(&display));
        assert_eq!(full, expected("fn main() {}\n", Some("rust")));
    }

    #[test]
    fn json_block_used() {
        let display = value(
            r#"{"type": "json_block",
                "json_block": "{\"language\": \"python\", \"code\": \"print(1)\", \"filename\": \"a.py\"}"}"#,
        );
        let full = full_content(None, None, Some(&display));
        assert_eq!(full, expected("print(1)", Some("python")));
    }

    #[test]
    fn input_language_preferred() {
        let display = value(r#"{"type": "code_block", "code": "x", "language": "rust"}"#);
        let full = full_content(None, Some("c"), Some(&display));
        assert_eq!(full, expected("x", Some("c")));
    }

    #[test]
    fn invalid_json_block_ignored() {
        let display = value(r#"{"type": "json_block", "json_block": "{not json"}"#);
        assert_eq!(full_content(None, None, Some(&display)), None);
    }

    #[test]
    fn other_display_types_ignored() {
        let display = value(r#"{"type": "table", "code": "x"}"#);
        assert_eq!(full_content(None, None, Some(&display)), None);
        let wrong_code = value(r#"{"type": "code_block", "code": 42}"#);
        assert_eq!(full_content(None, None, Some(&wrong_code)), None);
        assert_eq!(full_content(None, None, Some(&value("[]"))), None);
    }

    #[test]
    fn empty_input_content_kept() {
        assert_eq!(full_content(Some(""), None, None), expected("", None));
    }

    #[test]
    fn no_source_returns_none() {
        assert_eq!(full_content(None, Some("rust"), None), None);
    }
}
