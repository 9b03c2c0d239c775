//! Attributes of an opening `<antArtifact ...>` tag.
//!
//! Attributes come in any order, with double quotes, single quotes or no quotes, and a value
//! may contain `>` inside its quotes. Character references such as `&quot;` are decoded.

/// The parsed opening tag.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct OpeningTag {
    /// Attribute names and decoded values, in source order.
    pub attributes: Vec<(String, String)>,
    /// Byte position just past the tag's `>`.
    pub end: usize,
    /// Whether the tag ends with `/>` and so has no body.
    pub self_closing: bool,
}

impl OpeningTag {
    /// Returns the value of the first attribute with this name, compared ignoring ASCII case.
    pub(super) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Parses the attributes that start at byte `start` of `text`, up to the `>` that ends the tag.
///
/// Returns `None` when the text ends before the tag does, as in a truncated message.
pub(super) fn parse_opening_tag(text: &str, start: usize) -> Option<OpeningTag> {
    let bytes = text.as_bytes();
    let mut tag = OpeningTag::default();
    let mut position = start;

    loop {
        position = skip_whitespace(bytes, position);
        match bytes.get(position)? {
            b'>' => {
                tag.end = position + 1;
                return Some(tag);
            }
            b'/' if bytes.get(position + 1) == Some(&b'>') => {
                tag.end = position + 2;
                tag.self_closing = true;
                return Some(tag);
            }
            _ => {}
        }

        let name_end = scan_name(bytes, position);
        if name_end == position {
            // A stray `=`, `/` or quote: all ASCII, so one byte keeps a char boundary.
            position += 1;
            continue;
        }
        let name = slice(text, position, name_end).to_owned();

        position = skip_whitespace(bytes, name_end);
        if bytes.get(position) != Some(&b'=') {
            tag.attributes.push((name, String::new()));
            continue;
        }
        position = skip_whitespace(bytes, position + 1);
        let (raw_value, value_end) = scan_value(text, position)?;
        tag.attributes.push((name, decode_entities(raw_value)));
        position = value_end;
    }
}

/// Returns `text[start..end]`, or `""` when the range is not on char boundaries.
///
/// Every range in this module starts and ends at an ASCII delimiter or at the end of the text,
/// so the fallback is never taken, but it keeps the parser free of panics.
fn slice(text: &str, start: usize, end: usize) -> &str {
    text.get(start..end).unwrap_or_default()
}

fn skip_whitespace(bytes: &[u8], mut position: usize) -> usize {
    while bytes.get(position).is_some_and(u8::is_ascii_whitespace) {
        position += 1;
    }
    position
}

/// Returns the end of an attribute name. Names stop at whitespace, `=`, `>`, `/` and quotes.
fn scan_name(bytes: &[u8], mut position: usize) -> usize {
    while let Some(&byte) = bytes.get(position) {
        if byte.is_ascii_whitespace() || matches!(byte, b'=' | b'>' | b'/' | b'"' | b'\'') {
            break;
        }
        position += 1;
    }
    position
}

/// Reads a quoted or unquoted value and returns it undecoded with the position after it.
///
/// Returns `None` when a quoted value has no closing quote.
fn scan_value(text: &str, start: usize) -> Option<(&str, usize)> {
    let bytes = text.as_bytes();
    match bytes.get(start) {
        Some(&quote @ (b'"' | b'\'')) => {
            let value_start = start + 1;
            let length = bytes.get(value_start..)?.iter().position(|&b| b == quote)?;
            let value_end = value_start + length;
            Some((slice(text, value_start, value_end), value_end + 1))
        }
        _ => {
            let mut end = start;
            while bytes
                .get(end)
                .is_some_and(|&b| !b.is_ascii_whitespace() && b != b'>')
            {
                end += 1;
            }
            Some((slice(text, start, end), end))
        }
    }
}

/// Maximum length in bytes of a decoded entity name, as in `&#x10FFFF;`. A longer run between
/// `&` and `;` is kept as written.
const MAX_ENTITY_LENGTH: usize = 10;

/// Decodes the character references of an attribute value: the five XML entities, `&nbsp;`
/// and numeric references. Anything else starting with `&` is kept as written.
pub(super) fn decode_entities(text: &str) -> String {
    let mut decoded = String::with_capacity(text.len());
    let mut rest = text;

    while let Some((before, after)) = rest.split_once('&') {
        decoded.push_str(before);
        let reference = after
            .split_once(';')
            .filter(|(name, _)| name.len() <= MAX_ENTITY_LENGTH)
            .and_then(|(name, tail)| Some((decode_entity(name)?, tail)));
        match reference {
            Some((character, tail)) => {
                decoded.push(character);
                rest = tail;
            }
            None => {
                decoded.push('&');
                rest = after;
            }
        }
    }

    decoded.push_str(rest);
    decoded
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "quot" => Some('"'),
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attributes(tag: &str) -> Vec<(String, String)> {
        parse_opening_tag(tag, 0)
            .map(|tag| tag.attributes)
            .unwrap_or_default()
    }

    fn pair(name: &str, value: &str) -> (String, String) {
        (name.to_owned(), value.to_owned())
    }

    #[test]
    fn double_quotes_parse() {
        let parsed = attributes(r#" identifier="a-b" type="text/html">"#);
        assert_eq!(
            parsed,
            [pair("identifier", "a-b"), pair("type", "text/html")]
        );
    }

    #[test]
    fn single_quotes_parse() {
        let parsed = attributes(" title='Bob \"the\" report' identifier='x'>");
        assert_eq!(
            parsed,
            [pair("title", "Bob \"the\" report"), pair("identifier", "x")]
        );
    }

    #[test]
    fn unquoted_and_spaced_values_parse() {
        let parsed = attributes(" identifier = x\n\ttype=text/markdown>");
        assert_eq!(
            parsed,
            [pair("identifier", "x"), pair("type", "text/markdown")]
        );
    }

    #[test]
    fn gt_inside_quotes_kept() {
        let parsed = attributes(r#" title="a > b">"#);
        assert_eq!(parsed, [pair("title", "a > b")]);
    }

    #[test]
    fn end_points_past_gt() {
        let text = r#" identifier="x">body"#;
        let tag = parse_opening_tag(text, 0).unwrap_or_default();
        assert_eq!(text.get(tag.end..), Some("body"));
    }

    #[test]
    fn self_closing_detected() {
        let tag = parse_opening_tag(r#" identifier="x"/>"#, 0).unwrap_or_default();
        assert!(tag.self_closing);
    }

    #[test]
    fn truncated_tag_returns_none() {
        assert_eq!(parse_opening_tag(r#" identifier="x" title="Cut"#, 0), None);
        assert_eq!(parse_opening_tag(r#" identifier="x""#, 0), None);
        assert_eq!(parse_opening_tag("", 0), None);
    }

    #[test]
    fn lookup_ignores_case() {
        let tag = parse_opening_tag(r#" Identifier="x">"#, 0).unwrap_or_default();
        assert_eq!(tag.attribute("identifier"), Some("x"));
    }

    #[test]
    fn stray_characters_skipped() {
        let parsed = attributes(r#" = "junk" / identifier="x">"#);
        assert!(parsed.contains(&pair("identifier", "x")));
    }

    #[test]
    fn entities_decoded() {
        assert_eq!(decode_entities("&quot;A&quot; &amp; B"), "\"A\" & B");
        assert_eq!(decode_entities("&lt;&gt;&apos;"), "<>'");
        assert_eq!(decode_entities("&#39;&#x41;&#X42;"), "'AB");
    }

    #[test]
    fn unknown_entities_kept() {
        assert_eq!(decode_entities("AT&T"), "AT&T");
        assert_eq!(decode_entities("a & b; c"), "a & b; c");
        assert_eq!(decode_entities("&bogus;"), "&bogus;");
        assert_eq!(decode_entities("&#xD800;"), "&#xD800;");
        assert_eq!(decode_entities("&"), "&");
    }

    #[test]
    fn non_latin_values_kept() {
        let parsed = attributes(" title=\"Отчёт 報告 📊\">");
        assert_eq!(parsed, [pair("title", "Отчёт 報告 📊")]);
    }

    #[test]
    fn non_latin_names_do_not_panic() {
        let parsed = attributes(" тип=значение 名前>");
        assert_eq!(parsed, [pair("тип", "значение"), pair("名前", "")]);
    }
}
