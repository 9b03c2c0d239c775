//! Unique names within one folder.

use std::collections::{HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;

use super::file_name::split_extension;
use super::sanitize::{MAX_FILE_NAME_BYTES, truncate_name};
use crate::stable_hash::stable_hash;

/// Allocator of unique names within one folder, in order of request.
///
/// Names compare after NFC normalization and Unicode lowercasing, because the
/// default file systems of macOS (APFS) and Windows (NTFS) are
/// case-insensitive, so "Report.md" and "report.md" would be one file there.
///
/// The allocator does not sanitize. It expects names from
/// [`sanitize_component`](super::sanitize_component) and the other functions
/// of this module, which leave room for the " (N)" suffix.
#[derive(Debug, Default, Clone)]
pub struct NameAllocator {
    /// Comparison keys of every name handed out or reserved.
    taken_keys: HashSet<u128>,
    /// Next suffix number to try for each requested name, by comparison key,
    /// so that many equal requests do not test 2, 3, ... again each time.
    next_suffix: HashMap<u128, usize>,
}

impl NameAllocator {
    /// Creates an allocator with no name taken.
    pub fn new() -> Self {
        Self::default()
    }

    /// Returns `wanted` if no equal name (ignoring case) was handed out or
    /// reserved yet, and otherwise the first free `"<stem> (N)<extension>"` for
    /// N = 2, 3, ..., which is then taken too.
    ///
    /// The extension is the part after the last dot when it is 1 to 10 ASCII
    /// letters, digits or `+`, so "a.py" gives "a (2).py" and a folder named
    /// "v1.2 notes" gives "v1.2 notes (2)", but a folder named "release.v2"
    /// gives "release (2).v2". A generated name is taken like a requested one,
    /// so a later request for "a (2).py" gets "a (2) (2).py". The stem is cut
    /// when the result would exceed [`MAX_FILE_NAME_BYTES`].
    pub fn allocate(&mut self, wanted: &str) -> String {
        let request_key = comparison_key(wanted);
        if self.taken_keys.insert(request_key) {
            return wanted.to_string();
        }

        let (stem, extension) = split_extension(wanted);
        let mut suffix = self.next_suffix.get(&request_key).copied().unwrap_or(2);
        loop {
            let candidate = numbered_name(stem, suffix, extension);
            suffix += 1;
            if self.reserve(&candidate) {
                self.next_suffix.insert(request_key, suffix);
                return candidate;
            }
        }
    }

    /// Takes `name` as it is and returns whether it was free. A `false` result
    /// means an equal name (ignoring case) was handed out or reserved before,
    /// and the caller must pick another name, for example with
    /// [`allocate`](Self::allocate).
    pub fn reserve(&mut self, name: &str) -> bool {
        self.taken_keys.insert(comparison_key(name))
    }

    /// Frees `name`, handed out or reserved before, so a later request may take it again.
    pub fn release(&mut self, name: &str) {
        self.taken_keys.remove(&comparison_key(name));
    }

    /// Returns whether an equal name (ignoring case) was handed out or reserved.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken_keys.contains(&comparison_key(name))
    }
}

/// Hashes the NFC-normalized, lowercased `name`, so that equal names (ignoring case) get one
/// key.
///
/// The key is a [`stable_hash`], 16 bytes a name in place of a heap-allocated string. Two
/// different names that share a hash would count as equal, so the later one would get a
/// " (N)" suffix it did not need. No two equal names are ever handed out, and the odds of any
/// shared hash among a million names are about 1.5e-27.
fn comparison_key(name: &str) -> u128 {
    // ASCII is already NFC, and its Unicode lowercase is its ASCII lowercase.
    if name.is_ascii() {
        return stable_hash(name.to_ascii_lowercase().as_bytes());
    }
    let lowercase = name.nfc().collect::<String>().to_lowercase();
    let normalized: String = lowercase.nfc().collect();
    stable_hash(normalized.as_bytes())
}

fn numbered_name(stem: &str, suffix: usize, extension: &str) -> String {
    let marker = format!(" ({suffix})");
    let room = MAX_FILE_NAME_BYTES.saturating_sub(marker.len() + extension.len());
    let stem = truncate_name(stem, room);
    format!("{stem}{marker}{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_request_gets_name() {
        let mut allocator = NameAllocator::new();
        assert_eq!(allocator.allocate("report.md"), "report.md");
        assert_eq!(allocator.allocate("other.md"), "other.md");
    }

    #[test]
    fn repeats_get_numbered() {
        let mut allocator = NameAllocator::new();
        assert_eq!(allocator.allocate("a.py"), "a.py");
        assert_eq!(allocator.allocate("a.py"), "a (2).py");
        assert_eq!(allocator.allocate("a.py"), "a (3).py");
        assert_eq!(allocator.allocate("a.py"), "a (4).py");
    }

    #[test]
    fn case_insensitive_comparison() {
        let mut allocator = NameAllocator::new();
        assert_eq!(allocator.allocate("Report.md"), "Report.md");
        assert_eq!(allocator.allocate("report.MD"), "report (2).MD");
        assert_eq!(allocator.allocate("REPORT.md"), "REPORT (3).md");
    }

    #[test]
    fn unicode_case_insensitive() {
        let mut allocator = NameAllocator::new();
        assert_eq!(allocator.allocate("Отчёт.md"), "Отчёт.md");
        assert_eq!(allocator.allocate("ОТЧЁТ.md"), "ОТЧЁТ (2).md");
        assert_eq!(allocator.allocate("Ärger"), "Ärger");
        assert_eq!(allocator.allocate("ärger"), "ärger (2)");
    }

    #[test]
    fn normalization_insensitive() {
        let mut allocator = NameAllocator::new();
        assert_eq!(allocator.allocate("caf\u{00E9}"), "caf\u{00E9}");
        assert_eq!(allocator.allocate("cafe\u{0301}"), "cafe\u{0301} (2)");
    }

    #[test]
    fn compatibility_letter_matches_ascii() {
        let mut allocator = NameAllocator::new();
        assert_eq!(allocator.allocate("k.md"), "k.md");
        // KELVIN SIGN becomes "K" under NFC, which lowercases to the ASCII "k".
        assert_eq!(allocator.allocate("\u{212A}.md"), "\u{212A} (2).md");
    }

    #[test]
    fn ascii_keys_match_unicode_path() {
        let unicode_key = |name: &str| {
            let lowercase = name.nfc().collect::<String>().to_lowercase();
            let normalized: String = lowercase.nfc().collect();
            stable_hash(normalized.as_bytes())
        };
        for byte in 0..128u8 {
            let name = format!("Ab{}.Md", char::from(byte));
            assert_eq!(comparison_key(&name), unicode_key(&name), "{name:?}");
        }
    }

    #[test]
    fn comparison_keys_ignore_case_and_form() {
        assert_eq!(comparison_key("Report.md"), comparison_key("report.MD"));
        assert_eq!(
            comparison_key("Caf\u{00E9}"),
            comparison_key("CAFE\u{0301}")
        );
        assert_ne!(comparison_key("report.md"), comparison_key("report.txt"));
        assert_ne!(comparison_key("a"), comparison_key("b"));
    }

    #[test]
    fn release_frees_equal_name() {
        let mut allocator = NameAllocator::new();
        assert_eq!(allocator.allocate("Report.md"), "Report.md");
        allocator.release("REPORT.MD");
        assert!(!allocator.is_taken("report.md"));
        assert_eq!(allocator.allocate("report.md"), "report.md");
        assert_eq!(allocator.allocate("report.md"), "report (2).md");
    }

    #[test]
    fn generated_names_reserved() {
        let mut allocator = NameAllocator::new();
        assert_eq!(allocator.allocate("a.py"), "a.py");
        assert_eq!(allocator.allocate("a.py"), "a (2).py");
        assert_eq!(allocator.allocate("a (2).py"), "a (2) (2).py");
        assert_eq!(allocator.allocate("A (2).PY"), "A (2) (3).PY");
    }

    #[test]
    fn requested_numbered_name_skipped() {
        let mut allocator = NameAllocator::new();
        assert_eq!(allocator.allocate("a (2).py"), "a (2).py");
        assert_eq!(allocator.allocate("a.py"), "a.py");
        assert_eq!(allocator.allocate("a.py"), "a (3).py");
    }

    #[test]
    fn folder_names_numbered_at_end() {
        let mut allocator = NameAllocator::new();
        let folder = "2024-05-01 Plans (1a2b3c4d)";
        assert_eq!(allocator.allocate(folder), folder);
        assert_eq!(
            allocator.allocate(folder),
            "2024-05-01 Plans (1a2b3c4d) (2)"
        );
        assert_eq!(allocator.allocate("v1.2 notes"), "v1.2 notes");
        assert_eq!(allocator.allocate("v1.2 notes"), "v1.2 notes (2)");
        assert_eq!(allocator.allocate("release.v2"), "release.v2");
        assert_eq!(allocator.allocate("release.v2"), "release (2).v2");
    }

    #[test]
    fn reserve_reports_free_names() {
        let mut allocator = NameAllocator::new();
        assert!(allocator.reserve("report.v2.md"));
        assert!(!allocator.reserve("report.v2.md"));
        assert!(!allocator.reserve("REPORT.V2.MD"));
        assert!(allocator.is_taken("Report.v2.md"));
        assert!(!allocator.is_taken("report.md"));
    }

    #[test]
    fn reserved_name_not_allocated() {
        let mut allocator = NameAllocator::new();
        assert!(allocator.reserve("report.v2.md"));
        assert_eq!(allocator.allocate("report.v2.md"), "report.v2 (2).md");
        assert_eq!(allocator.allocate("report.md"), "report.md");
    }

    #[test]
    fn long_name_suffix_fits() {
        let mut allocator = NameAllocator::new();
        let long = format!("{}.md", "x".repeat(252));
        assert_eq!(allocator.allocate(&long), long);
        let second = allocator.allocate(&long);
        assert!(second.len() <= MAX_FILE_NAME_BYTES);
        assert!(second.ends_with(" (2).md"));
    }

    #[test]
    fn many_repeats_unique() {
        let mut allocator = NameAllocator::new();
        let mut seen = HashSet::new();
        for _ in 0..500 {
            let name = allocator.allocate("same.txt");
            assert!(seen.insert(name.to_lowercase()), "duplicate {name}");
        }
        assert_eq!(allocator.allocate("same.txt"), "same (501).txt");
    }
}
