//! Sanitizing of one path component so that it is a visible, valid file or
//! folder name on Linux, macOS and Windows.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc, is_nfc_quick};

/// Maximum length of a sanitized component in UTF-8 bytes. Linux file systems
/// such as ext4 allow 255 bytes (NAME_MAX) and NTFS 255 UTF-16 code units
/// (never more than the UTF-8 byte count), so 55 bytes stay free for " (NN)"
/// and ".vNN" suffixes.
pub const MAX_COMPONENT_BYTES: usize = 200;

/// Maximum file name length in bytes on Linux (NAME_MAX), and the ceiling for
/// names that carry a " (N)" or ".vN" suffix.
///
/// NOTE: HFS+ stores names decomposed (NFD) and limits them to 255 UTF-16 code
/// units, so a name with more than 85 characters such as "Ǖ", which decompose
/// into three code points each, can still be rejected there.
pub const MAX_FILE_NAME_BYTES: usize = 255;

/// Name used when nothing is left of the input after sanitizing.
pub(crate) const FALLBACK_NAME: &str = "untitled";

/// Sanitizes one path component, returning `untitled` when nothing usable is left.
///
/// The steps, in order:
/// 1. NFC normalization.
/// 2. Whitespace (newline, tab, no-break space and every other Unicode
///    `White_Space` character) becomes a space. Other control characters
///    (C0, DEL, C1), bidi controls and zero-width characters are removed.
/// 3. A colon followed by a space becomes " - " ("Part 1: Intro" gives
///    "Part 1 - Intro"). Every other `< > : " / \ | ? *` becomes `_`.
/// 4. NFC normalization again, because removed characters can leave
///    combinable neighbours.
/// 5. Runs of spaces collapse to one space. Leading spaces and dots and
///    trailing spaces and dots are removed, so no name is hidden, `.` or `..`.
/// 6. A name longer than [`MAX_COMPONENT_BYTES`] is cut at a character
///    boundary, and trailing spaces and dots left by the cut are removed.
/// 7. A Windows device name (CON, PRN, AUX, NUL, COM0-COM9, LPT0-LPT9,
///    COM¹²³, LPT¹²³, in any case, with or without an extension or trailing
///    spaces) gets `_` right after the device name: "con.txt" gives "con_.txt".
///
/// Letters of every script and emoji are kept, but an emoji sequence joined
/// with U+200D falls apart into its parts (`"👩\u{200D}💻"` gives `"👩💻"`).
/// The result is a fixed point: sanitizing it again returns it unchanged.
///
/// ```
/// use artifactor::naming::sanitize_component;
///
/// assert_eq!(sanitize_component("Deploy: staging/prod"), "Deploy - staging_prod");
/// assert_eq!(sanitize_component("con.txt"), "con_.txt");
/// assert_eq!(sanitize_component(".."), "untitled");
/// ```
pub fn sanitize_component(raw: &str) -> String {
    sanitize_nonempty(raw).unwrap_or_else(|| FALLBACK_NAME.to_string())
}

/// Sanitizes like [`sanitize_component`] but returns `None` where that
/// function falls back to `untitled`, so callers can choose their own fallback.
pub(crate) fn sanitize_nonempty(raw: &str) -> Option<String> {
    let normalized = nfc(raw);
    let visible = replace_whitespace_and_drop_invisible(&normalized);
    let portable = replace_forbidden(&visible);
    let renormalized = nfc(&portable);
    let collapsed = collapse_spaces(&renormalized);
    let trimmed = collapsed
        .trim_start_matches([' ', '.'])
        .trim_end_matches([' ', '.']);

    let mut name = truncate_name(trimmed, MAX_COMPONENT_BYTES);
    if reserved_device_name_len(&name).is_some() {
        // One byte stays free for the `_` appended below.
        name = truncate_name(&name, MAX_COMPONENT_BYTES - 1);
        if let Some(device_len) = reserved_device_name_len(&name) {
            name.insert(device_len, '_');
        }
    }

    if name.is_empty() { None } else { Some(name) }
}

/// Returns `text` in NFC, borrowed when it already is, as nearly every name is.
fn nfc(text: &str) -> Cow<'_, str> {
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// Cuts a longer `name` to at most `max_bytes` UTF-8 bytes at a character
/// boundary and removes the trailing spaces and dots that the cut exposes. A
/// name that fits is returned unchanged.
///
/// The input is expected to be NFC. A prefix of NFC text is normally NFC too,
/// and the loop below drops characters from the end if it is not, because
/// [`sanitize_component`] must return its own fixed point.
pub(crate) fn truncate_name(name: &str, max_bytes: usize) -> String {
    if name.len() <= max_bytes {
        return name.to_string();
    }

    let mut end = max_bytes;
    while !name.is_char_boundary(end) {
        end -= 1;
    }

    let mut cut = name[..end].trim_end_matches([' ', '.']);
    while !is_nfc(cut) {
        let last_len = cut.chars().next_back().map_or(0, char::len_utf8);
        cut = cut[..cut.len() - last_len].trim_end_matches([' ', '.']);
    }
    cut.to_string()
}

/// Returns whether `c` is a bidirectional formatting control (LRM, RLM, ALM,
/// the embeddings and overrides U+202A-U+202E, the isolates U+2066-U+2069) or a
/// zero-width character (U+200B-U+200D, word joiner U+2060, BOM U+FEFF).
/// Both are invisible and can make a name display differently from its bytes.
fn is_invisible_format_char(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{061C}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

fn replace_whitespace_and_drop_invisible(text: &str) -> String {
    let mut output = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_whitespace() {
            output.push(' ');
        } else if !c.is_control() && !is_invisible_format_char(c) {
            output.push(c);
        }
    }
    output
}

/// Replaces the characters that Windows forbids in names. Runs after
/// whitespace became plain spaces, so ": " is seen whatever space followed.
fn replace_forbidden(text: &str) -> String {
    let mut output = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ':' if chars.peek() == Some(&' ') => output.push_str(" -"),
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => output.push('_'),
            _ => output.push(c),
        }
    }
    output
}

fn collapse_spaces(text: &str) -> String {
    let mut output = String::with_capacity(text.len());
    let mut previous_was_space = false;
    for c in text.chars() {
        let is_space = c == ' ';
        if !(is_space && previous_was_space) {
            output.push(c);
        }
        previous_was_space = is_space;
    }
    output
}

/// Returns the byte length of the device name when `name` is one that Windows
/// reserves, such as `CON`, `com1.txt`, `LPT² .log` or `nul.tar.gz`.
///
/// Windows compares the part before the first dot, without trailing spaces,
/// with the device names in any letter case.
fn reserved_device_name_len(name: &str) -> Option<usize> {
    let stem = name.split('.').next().unwrap_or("").trim_end_matches(' ');
    let mut chars = stem.chars();
    let prefix: String = chars.by_ref().take(3).collect();
    let prefix = prefix.to_ascii_uppercase();
    let suffix: Vec<char> = chars.collect();

    let reserved = match (prefix.as_str(), suffix.as_slice()) {
        ("CON" | "PRN" | "AUX" | "NUL", []) => true,
        ("COM" | "LPT", [digit]) => digit.is_ascii_digit() || matches!(digit, '¹' | '²' | '³'),
        _ => false,
    };
    reserved.then_some(stem.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_name_unchanged() {
        assert_eq!(sanitize_component("Quarterly report"), "Quarterly report");
    }

    #[test]
    fn empty_input_becomes_untitled() {
        assert_eq!(sanitize_component(""), "untitled");
        assert_eq!(sanitize_component("   "), "untitled");
        assert_eq!(sanitize_component("\n\t"), "untitled");
        assert_eq!(sanitize_component("\u{200B}\u{FEFF}"), "untitled");
        assert_eq!(sanitize_component("..."), "untitled");
        assert_eq!(sanitize_component(". . ."), "untitled");
    }

    #[test]
    fn dot_names_never_survive() {
        assert_eq!(sanitize_component("."), "untitled");
        assert_eq!(sanitize_component(".."), "untitled");
        assert_eq!(sanitize_component(".bashrc"), "bashrc");
        assert_eq!(sanitize_component("..hidden"), "hidden");
        assert_eq!(sanitize_component(". hidden"), "hidden");
    }

    #[test]
    fn trailing_dots_and_spaces_removed() {
        assert_eq!(sanitize_component("notes."), "notes");
        assert_eq!(sanitize_component("notes..."), "notes");
        assert_eq!(sanitize_component("notes . ."), "notes");
        assert_eq!(sanitize_component("  notes  "), "notes");
        assert_eq!(sanitize_component("v1.2"), "v1.2");
    }

    #[test]
    fn forbidden_characters_replaced() {
        assert_eq!(sanitize_component("a<b>c"), "a_b_c");
        assert_eq!(sanitize_component("say \"hi\""), "say _hi_");
        assert_eq!(sanitize_component("src/main.rs"), "src_main.rs");
        assert_eq!(sanitize_component("C:\\temp"), "C__temp");
        assert_eq!(sanitize_component("a|b"), "a_b");
        assert_eq!(sanitize_component("why?"), "why_");
        assert_eq!(sanitize_component("*.txt"), "_.txt");
    }

    #[test]
    fn colon_before_space_becomes_dash() {
        assert_eq!(sanitize_component("Part 1: Intro"), "Part 1 - Intro");
        assert_eq!(sanitize_component("Rust : ownership"), "Rust - ownership");
        assert_eq!(
            sanitize_component("Note:\nsecond line"),
            "Note - second line"
        );
        assert_eq!(sanitize_component("12:30"), "12_30");
        assert_eq!(sanitize_component("Summary:"), "Summary_");
        assert_eq!(sanitize_component(": leading"), "- leading");
    }

    #[test]
    fn whitespace_becomes_single_space() {
        assert_eq!(
            sanitize_component("line one\nline two"),
            "line one line two"
        );
        assert_eq!(sanitize_component("a\r\n\r\nb"), "a b");
        assert_eq!(sanitize_component("a\tb"), "a b");
        assert_eq!(sanitize_component("a    b"), "a b");
        assert_eq!(sanitize_component("a\u{00A0}b"), "a b");
        assert_eq!(sanitize_component("a\u{3000}b"), "a b");
        assert_eq!(sanitize_component("a\u{2028}b"), "a b");
        assert_eq!(sanitize_component("a\u{0085}b"), "a b");
    }

    #[test]
    fn control_characters_removed() {
        assert_eq!(sanitize_component("a\u{0000}b"), "ab");
        assert_eq!(sanitize_component("a\u{0007}b"), "ab");
        assert_eq!(sanitize_component("a\u{001B}[31mb"), "a[31mb");
        assert_eq!(sanitize_component("a\u{007F}b"), "ab");
        assert_eq!(sanitize_component("a\u{0080}b"), "ab");
        assert_eq!(sanitize_component("a\u{009F}b"), "ab");
    }

    #[test]
    fn bidi_controls_removed() {
        let bidi = [
            '\u{200E}', '\u{200F}', '\u{061C}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}',
            '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
        ];
        for c in bidi {
            let raw = format!("invoice{c}fdp.exe");
            assert_eq!(
                sanitize_component(&raw),
                "invoicefdp.exe",
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn zero_width_characters_removed() {
        for c in ['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}'] {
            let raw = format!("ab{c}cd");
            assert_eq!(sanitize_component(&raw), "abcd", "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn removed_joiner_leaves_nfc() {
        // Removing the zero-width space lets "e" and the acute accent compose.
        assert_eq!(sanitize_component("e\u{200B}\u{0301}"), "\u{00E9}");
    }

    #[test]
    fn output_is_nfc() {
        assert_eq!(sanitize_component("Cafe\u{0301}"), "Caf\u{00E9}");
        assert_eq!(sanitize_component("\u{1100}\u{1161}"), "\u{AC00}");
    }

    #[test]
    fn other_scripts_and_emoji_kept() {
        assert_eq!(sanitize_component("Отчёт за май"), "Отчёт за май");
        assert_eq!(sanitize_component("数据分析报告"), "数据分析报告");
        assert_eq!(sanitize_component("日本語のメモ"), "日本語のメモ");
        assert_eq!(sanitize_component("تقرير المبيعات"), "تقرير المبيعات");
        assert_eq!(sanitize_component("שלום"), "שלום");
        assert_eq!(sanitize_component("Launch 🚀 plan"), "Launch 🚀 plan");
    }

    #[test]
    fn emoji_zwj_sequence_split() {
        // U+200D is removed like every zero-width character, so a joined emoji
        // sequence falls apart into its parts.
        assert_eq!(sanitize_component("👩\u{200D}💻"), "👩💻");
    }

    #[test]
    fn reserved_device_names_suffixed() {
        let cases = [
            ("CON", "CON_"),
            ("con", "con_"),
            ("Prn", "Prn_"),
            ("aux", "aux_"),
            ("NUL", "NUL_"),
            ("COM0", "COM0_"),
            ("com1", "com1_"),
            ("COM9", "COM9_"),
            ("LPT0", "LPT0_"),
            ("lpt5", "lpt5_"),
            ("COM¹", "COM¹_"),
            ("COM²", "COM²_"),
            ("LPT³", "LPT³_"),
            ("con.txt", "con_.txt"),
            ("NUL.tar.gz", "NUL_.tar.gz"),
            ("CON .txt", "CON_ .txt"),
            ("CON   ", "CON_"),
            ("aux.", "aux_"),
            ("CON . . .", "CON_"),
        ];
        for (raw, expected) in cases {
            assert_eq!(sanitize_component(raw), expected, "input {raw:?}");
        }
    }

    #[test]
    fn near_reserved_names_unchanged() {
        for raw in [
            "CONSOLE", "CON1", "COM", "COM10", "LPT", "nul_", "my con", "COM¹0", "COMx",
        ] {
            assert_eq!(sanitize_component(raw), raw);
        }
    }

    #[test]
    fn long_ascii_cut_to_limit() {
        let raw = "a".repeat(300);
        let name = sanitize_component(&raw);
        assert_eq!(name.len(), MAX_COMPONENT_BYTES);
    }

    #[test]
    fn multibyte_cut_at_char_boundary() {
        // Three bytes each, so 200 bytes do not end on a boundary.
        let raw = "数".repeat(100);
        let name = sanitize_component(&raw);
        assert_eq!(name.len(), 198);
        assert_eq!(name.chars().count(), 66);

        // Four bytes each.
        let raw = "🚀".repeat(80);
        let name = sanitize_component(&raw);
        assert_eq!(name.len(), 200);

        // Two bytes each, after a one-byte prefix.
        let raw = format!("x{}", "ж".repeat(150));
        let name = sanitize_component(&raw);
        assert_eq!(name.len(), 199);
    }

    #[test]
    fn cut_leaves_no_trailing_dot_or_space() {
        let raw = format!("{} . tail", "a".repeat(198));
        let name = sanitize_component(&raw);
        assert_eq!(name, "a".repeat(198));

        let raw = format!("{}. tail", "b".repeat(199));
        let name = sanitize_component(&raw);
        assert_eq!(name, "b".repeat(199));
    }

    #[test]
    fn cut_between_base_and_mark() {
        // "q" with an acute accent has no precomposed form, so "q" ends at
        // byte 200 and the accent would start byte 201.
        let raw = format!("{}q\u{0301}zzz", "a".repeat(199));
        let name = sanitize_component(&raw);
        assert_eq!(name, format!("{}q", "a".repeat(199)));
        assert!(is_nfc(&name));
        assert_eq!(sanitize_component(&name), name);

        // "e" with two accents composes to one three-byte character, which
        // does not fit after 199 bytes and is dropped whole.
        let raw = format!("{}e\u{0323}\u{0302}zzz", "a".repeat(199));
        let name = sanitize_component(&raw);
        assert_eq!(name, "a".repeat(199));
    }

    #[test]
    fn reserved_name_after_cut_fits() {
        let raw = format!("CON.{}", "x".repeat(300));
        let name = sanitize_component(&raw);
        assert!(name.starts_with("CON_."));
        assert_eq!(name.len(), MAX_COMPONENT_BYTES);
    }

    #[test]
    fn same_input_same_output() {
        let raw = "  Ünïcödé: <report>\u{202E}  v2.. ";
        let first = sanitize_component(raw);
        for _ in 0..5 {
            assert_eq!(sanitize_component(raw), first);
        }
        assert_eq!(first, "Ünïcödé - _report_ v2");
    }

    #[test]
    fn sanitizing_twice_changes_nothing() {
        let inputs = [
            "Part 1: Intro".to_string(),
            "CON".to_string(),
            "...hidden...".to_string(),
            "a\u{200B}\u{0301}".to_string(),
            "数".repeat(100),
        ];
        for raw in inputs {
            let once = sanitize_component(&raw);
            assert_eq!(sanitize_component(&once), once, "input {raw:?}");
        }
    }

    #[test]
    fn truncate_name_short_input() {
        assert_eq!(truncate_name("abc. ", 10), "abc. ");
        assert_eq!(truncate_name("abcdef", 3), "abc");
        assert_eq!(truncate_name("ab.def", 3), "ab");
    }
}
