//! Feeds arbitrary titles, conversation names and files-mode paths to the name sanitizer and
//! checks every component it returns: valid on Linux, macOS and Windows, within the byte
//! limit, and, for the names within `MAX_COMPONENT_BYTES`, unchanged by a second
//! sanitization.

#![no_main]

use artifactor::naming::{
    MAX_COMPONENT_BYTES, MAX_FILE_NAME_BYTES, MAX_PATH_DEPTH, NameAllocator, artifact_file_name,
    conversation_folder, file_path_components, sanitize_component, version_file_name,
};
use libfuzzer_sys::fuzz_target;

const FORBIDDEN: &[char] = &['<', '>', ':', '"', '/', '\\', '|', '?', '*'];

fn is_reserved_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").trim_end_matches(' ');
    let upper = stem.to_uppercase();
    if ["CON", "PRN", "AUX", "NUL"].contains(&upper.as_str()) {
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

fn check_component(name: &str, limit: usize, function: &str) {
    assert!(!name.is_empty(), "{function}: empty");
    assert!(
        name.len() <= limit,
        "{function}: {} bytes in {name:?}",
        name.len()
    );
    assert!(
        !name
            .chars()
            .any(|c| FORBIDDEN.contains(&c) || c.is_control()),
        "{function}: forbidden or control character in {name:?}"
    );
    assert_ne!(name, ".", "{function}");
    assert_ne!(name, "..", "{function}");
    assert!(
        !name.starts_with('.'),
        "{function}: leading dot in {name:?}"
    );
    assert!(!name.ends_with('.'), "{function}: trailing dot in {name:?}");
    assert!(
        !name.ends_with(' '),
        "{function}: trailing space in {name:?}"
    );
    assert!(
        !name.starts_with(' '),
        "{function}: leading space in {name:?}"
    );
    assert!(
        !is_reserved_device_name(name),
        "{function}: reserved name {name:?}"
    );
}

/// Checks that sanitizing `name` again returns it unchanged. Only names within
/// `MAX_COMPONENT_BYTES` qualify, because sanitizing cuts longer ones.
fn check_fixed_point(name: &str, function: &str) {
    assert_eq!(
        sanitize_component(name),
        name,
        "{function}: not its own sanitized form"
    );
}

fuzz_target!(|input: (String, String, String, u8)| {
    let (title, name, path, number) = input;

    let sanitized = sanitize_component(&title);
    check_component(&sanitized, MAX_COMPONENT_BYTES, "sanitize_component");
    check_fixed_point(&sanitized, "sanitize_component");

    let file_name = artifact_file_name(&title, "application/vnd.ant.code", Some(&name), &path);
    check_component(&file_name, MAX_COMPONENT_BYTES, "artifact_file_name");
    check_fixed_point(&file_name, "artifact_file_name");

    let folder = conversation_folder(&name, &title, Some(&path));
    check_component(&folder, MAX_COMPONENT_BYTES, "conversation_folder");
    check_fixed_point(&folder, "conversation_folder");

    let components = file_path_components(&format!("/mnt/user-data/outputs/{path}"));
    assert!(!components.is_empty());
    assert!(components.len() <= MAX_PATH_DEPTH);
    for component in &components {
        check_component(component, MAX_COMPONENT_BYTES, "file_path_components");
        check_fixed_point(component, "file_path_components");
    }

    let version = version_file_name(&file_name, usize::from(number) + 1);
    check_component(&version, MAX_FILE_NAME_BYTES, "version_file_name");

    let mut allocator = NameAllocator::new();
    let first = allocator.allocate(&file_name);
    let second = allocator.allocate(&file_name);
    assert_ne!(
        first.to_lowercase(),
        second.to_lowercase(),
        "duplicate names"
    );
    check_component(&second, MAX_FILE_NAME_BYTES, "NameAllocator::allocate");
});
