//! Properties that hold for every input string.

use proptest::prelude::*;

use super::*;

const FORBIDDEN: &[char] = &['<', '>', ':', '"', '/', '\\', '|', '?', '*'];

fn is_bidi_or_zero_width(c: char) -> bool {
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

fn is_reserved_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").trim_end_matches(' ');
    let upper = stem.to_uppercase();
    let devices = ["CON", "PRN", "AUX", "NUL"];
    if devices.contains(&upper.as_str()) {
        return true;
    }
    let digits = [
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '¹', '²', '³',
    ];
    ["COM", "LPT"].iter().any(|prefix| {
        digits
            .iter()
            .any(|digit| upper == format!("{prefix}{digit}"))
    })
}

/// Strings rich in the characters that the rules treat specially: controls,
/// bidi and zero-width characters, forbidden characters, dots, spaces,
/// combining marks, Hangul jamo, multibyte letters and device names.
fn tricky_string() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        any::<char>().prop_map(String::from),
        Just(".".to_string()),
        Just(" ".to_string()),
        Just(": ".to_string()),
        Just("\n".to_string()),
        Just("\u{0301}".to_string()),
        Just("\u{0323}".to_string()),
        Just("\u{0338}".to_string()),
        Just("\u{1100}".to_string()),
        Just("\u{1161}".to_string()),
        Just("\u{11A8}".to_string()),
        Just("\u{200B}".to_string()),
        Just("\u{202E}".to_string()),
        Just("\u{0085}".to_string()),
        Just("<".to_string()),
        Just("CON".to_string()),
        Just("com1".to_string()),
        Just("LPT¹".to_string()),
        Just("数".to_string()),
        Just("ж".to_string()),
        Just("🚀".to_string()),
        Just("e".to_string()),
        Just("a".repeat(60)),
    ];
    prop::collection::vec(pieces, 0..80).prop_map(|pieces| pieces.concat())
}

fn any_input() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), tricky_string()]
}

fn check_component(name: &str) -> Result<(), TestCaseError> {
    prop_assert!(!name.is_empty());
    prop_assert!(name.len() <= MAX_COMPONENT_BYTES, "{} bytes", name.len());
    prop_assert!(
        !name.chars().any(|c| FORBIDDEN.contains(&c)),
        "forbidden character in {name:?}"
    );
    prop_assert!(
        !name.chars().any(char::is_control),
        "control character in {name:?}"
    );
    prop_assert!(
        !name.chars().any(is_bidi_or_zero_width),
        "invisible character in {name:?}"
    );
    prop_assert!(name != "." && name != "..");
    prop_assert!(!name.starts_with('.'), "leading dot in {name:?}");
    prop_assert!(!name.ends_with('.'), "trailing dot in {name:?}");
    prop_assert!(!name.ends_with(' '), "trailing space in {name:?}");
    prop_assert!(!name.starts_with(' '), "leading space in {name:?}");
    prop_assert!(!is_reserved_device_name(name), "reserved name {name:?}");
    Ok(())
}

// Each property runs proptest's default 256 cases. Set PROPTEST_CASES for a
// longer run.
proptest! {
    #[test]
    fn sanitized_component_is_valid(raw in any_input()) {
        let name = sanitize_component(&raw);
        check_component(&name)?;
    }

    #[test]
    fn sanitize_component_idempotent(raw in any_input()) {
        let once = sanitize_component(&raw);
        let twice = sanitize_component(&once);
        prop_assert_eq!(twice, once);
    }

    #[test]
    fn artifact_file_name_is_valid(
        title in any_input(),
        kind in prop_oneof![
            Just(""),
            Just("application/vnd.ant.code"),
            Just("text/markdown"),
            Just("application/vnd.ant.react"),
        ],
        language in proptest::option::of(prop_oneof![
            Just("python"), Just("typescript"), Just("dockerfile"), Just("graphql"), Just("cobol"),
        ]),
        content in any_input(),
    ) {
        let name = artifact_file_name(&title, kind, language, &content);
        check_component(&name)?;
        prop_assert_eq!(sanitize_component(&name), name);
    }

    #[test]
    fn conversation_folder_is_valid(
        uuid in any_input(),
        name in any_input(),
        created_at in proptest::option::of(any_input()),
    ) {
        let folder = conversation_folder(&uuid, &name, created_at.as_deref());
        check_component(&folder)?;
        prop_assert_eq!(sanitize_component(&folder), folder);
    }

    #[test]
    fn path_components_never_escape(path in prop_oneof![
        any_input(),
        tricky_string().prop_map(|tail| format!("/mnt/user-data/outputs/{tail}")),
        prop::collection::vec(prop_oneof![Just(".."), Just("."), Just(""), Just("a"), Just("/")], 0..30)
            .prop_map(|parts| format!("/mnt/user-data/outputs/{}", parts.join("/"))),
    ]) {
        let components = file_path_components(&path);
        prop_assert!(!components.is_empty());
        prop_assert!(components.len() <= MAX_PATH_DEPTH);
        for component in &components {
            prop_assert!(component != "..");
            check_component(component)?;
        }
    }

    #[test]
    fn allocator_names_unique(names in prop::collection::vec(
        prop_oneof![Just("a.py"), Just("A.PY"), Just("a (2).py"), Just("b"), Just("B (2)"), Just("b (2)")],
        0..40,
    )) {
        let mut allocator = NameAllocator::new();
        let mut seen = std::collections::HashSet::new();
        for requested in names {
            let name = allocator.allocate(requested);
            prop_assert!(seen.insert(name.to_lowercase()), "duplicate {}", name);
        }
    }
}
