//! Folder names for conversations and relative paths for files that Claude
//! wrote with an explicit path.

use sha2::{Digest, Sha256};

use super::sanitize::{FALLBACK_NAME, MAX_COMPONENT_BYTES, sanitize_nonempty, truncate_name};

/// Leading components of the folder whose sub-folders are kept.
const OUTPUTS_PREFIX: [&str; 3] = ["mnt", "user-data", "outputs"];

/// Maximum number of components that [`file_path_components`] returns.
pub const MAX_PATH_DEPTH: usize = 8;

/// Length of the id at the end of a conversation folder name.
const SHORT_ID_CHARS: usize = 8;

/// Title of a conversation folder when the conversation name is empty.
pub(crate) const UNTITLED_CONVERSATION: &str = "Untitled";

/// Returns the folder name for one conversation:
/// `"<YYYY-MM-DD> <name> (<id>)"`, or `"<name> (<id>)"` without a date.
///
/// - The date is the first 10 characters of `created_at` when they have the
///   form YYYY-MM-DD with month 01-12 and day 01-31.
/// - The name is sanitized like [`sanitize_component`](super::sanitize_component)
///   and is "Untitled" when nothing is left of it.
/// - The id is the first 8 ASCII letters, digits, `-` or `_` of `uuid`. When
///   `uuid` has none, it is the first 8 lowercase hex digits of the SHA-256 of
///   `name` followed by `created_at` (empty when `None`).
///
/// The name is cut so that the whole folder name stays within
/// [`MAX_COMPONENT_BYTES`], and the result is its own sanitized form.
pub fn conversation_folder(uuid: &str, name: &str, created_at: Option<&str>) -> String {
    let date = created_at.and_then(date_prefix);
    let id = short_id(uuid, name, created_at);
    let title = sanitize_nonempty(name).unwrap_or_else(|| UNTITLED_CONVERSATION.to_string());

    // " (" + id + ")", plus the date and its space.
    let overhead = id.len() + 3 + date.map_or(0, |date| date.len() + 1);
    let title = truncate_name(&title, MAX_COMPONENT_BYTES - overhead);

    match date {
        Some(date) => format!("{date} {title} ({id})"),
        None => format!("{title} ({id})"),
    }
}

/// Returns the first 10 characters of `created_at` when they read as a
/// YYYY-MM-DD date, as in "2024-05-01T12:00:00Z".
fn date_prefix(created_at: &str) -> Option<&str> {
    let date = created_at.trim_start().get(..10)?;
    let bytes = date.as_bytes();
    let digits_at = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    let has_form = digits_at(0..4)
        && bytes[4] == b'-'
        && digits_at(5..7)
        && bytes[7] == b'-'
        && digits_at(8..10);
    if !has_form {
        return None;
    }

    let month: u8 = date[5..7].parse().ok()?;
    let day: u8 = date[8..10].parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(date)
}

fn short_id(uuid: &str, name: &str, created_at: Option<&str>) -> String {
    let id: String = uuid
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .take(SHORT_ID_CHARS)
        .collect();
    if !id.is_empty() {
        return id;
    }

    let mut hasher = Sha256::new();
    hasher.update(name.as_bytes());
    hasher.update(created_at.unwrap_or("").as_bytes());
    let digest = hex::encode(hasher.finalize());
    digest[..SHORT_ID_CHARS].to_string()
}

/// Returns the relative path components under which to write a file that
/// Claude created at `path`, each sanitized.
///
/// Both `/` and `\` separate components. Empty, `.` and `..` components are
/// dropped (never resolved), and so are components with nothing left after
/// sanitizing. A path under `/mnt/user-data/outputs/` keeps every component
/// below that folder, and any other path keeps only its last component. Of
/// more than [`MAX_PATH_DEPTH`] components, the first `MAX_PATH_DEPTH - 1`
/// folders and the file name are kept. The result is never empty and is `["untitled"]` when
/// nothing is left.
pub fn file_path_components(path: &str) -> Vec<String> {
    let parts: Vec<&str> = path
        .split(['/', '\\'])
        .filter(|part| !matches!(*part, "" | "." | ".."))
        .collect();

    let selected: &[&str] = if parts.starts_with(&OUTPUTS_PREFIX) {
        &parts[OUTPUTS_PREFIX.len()..]
    } else {
        match parts.last() {
            Some(last) => std::slice::from_ref(last),
            None => &[],
        }
    };

    let mut components: Vec<String> = selected
        .iter()
        .filter_map(|part| sanitize_nonempty(part))
        .collect();
    if components.len() > MAX_PATH_DEPTH {
        let file_name = components.pop();
        components.truncate(MAX_PATH_DEPTH - 1);
        components.extend(file_name);
    }
    if components.is_empty() {
        components.push(FALLBACK_NAME.to_string());
    }
    components
}

#[cfg(test)]
mod tests {
    use super::super::sanitize_component;
    use super::*;

    const UUID: &str = "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d";

    #[test]
    fn folder_with_date() {
        let folder = conversation_folder(UUID, "Trip plans", Some("2024-05-01T09:30:00.000000Z"));
        assert_eq!(folder, "2024-05-01 Trip plans (1a2b3c4d)");
    }

    #[test]
    fn folder_without_date() {
        assert_eq!(
            conversation_folder(UUID, "Trip plans", None),
            "Trip plans (1a2b3c4d)"
        );
        assert_eq!(
            conversation_folder(UUID, "Trip plans", Some("")),
            "Trip plans (1a2b3c4d)"
        );
        assert_eq!(
            conversation_folder(UUID, "Trip plans", Some("yesterday")),
            "Trip plans (1a2b3c4d)"
        );
        assert_eq!(
            conversation_folder(UUID, "Trip plans", Some("2024-13-01")),
            "Trip plans (1a2b3c4d)"
        );
        assert_eq!(
            conversation_folder(UUID, "Trip plans", Some("2024-05-00")),
            "Trip plans (1a2b3c4d)"
        );
        assert_eq!(
            conversation_folder(UUID, "Trip plans", Some("2024/05/01")),
            "Trip plans (1a2b3c4d)"
        );
        assert_eq!(
            conversation_folder(UUID, "Trip plans", Some("2024-05-0")),
            "Trip plans (1a2b3c4d)"
        );
        assert_eq!(
            conversation_folder(UUID, "Trip plans", Some("２０２４-05-01")),
            "Trip plans (1a2b3c4d)"
        );
    }

    #[test]
    fn folder_date_only_input() {
        assert_eq!(
            conversation_folder(UUID, "x", Some("2024-05-01")),
            "2024-05-01 x (1a2b3c4d)"
        );
    }

    #[test]
    fn folder_empty_name_untitled() {
        assert_eq!(conversation_folder(UUID, "", None), "Untitled (1a2b3c4d)");
        assert_eq!(
            conversation_folder(UUID, "  \n ", Some("2024-05-01")),
            "2024-05-01 Untitled (1a2b3c4d)"
        );
        assert_eq!(
            conversation_folder(UUID, "\u{200B}", None),
            "Untitled (1a2b3c4d)"
        );
    }

    #[test]
    fn folder_name_sanitized() {
        let folder = conversation_folder(UUID, "Q3: plan/budget?\n", Some("2024-05-01"));
        assert_eq!(folder, "2024-05-01 Q3 - plan_budget_ (1a2b3c4d)");
        assert_eq!(conversation_folder(UUID, "CON", None), "CON_ (1a2b3c4d)");
        assert_eq!(
            conversation_folder(UUID, "Отчёт 数据 🚀", None),
            "Отчёт 数据 🚀 (1a2b3c4d)"
        );
    }

    #[test]
    fn folder_uuid_made_safe() {
        assert_eq!(
            conversation_folder("../../etc/passwd", "x", None),
            "x (etcpassw)"
        );
        assert_eq!(conversation_folder("AB:CD/EF", "x", None), "x (ABCDEF)");
        assert_eq!(conversation_folder("short", "x", None), "x (short)");
    }

    #[test]
    fn folder_empty_uuid_uses_hash() {
        // sha256("Trip plans2024-05-01T09:30:00Z") starts with these 8 hex digits.
        let expected_id = &hex::encode(Sha256::digest(b"Trip plans2024-05-01T09:30:00Z"))[..8];
        let folder = conversation_folder("", "Trip plans", Some("2024-05-01T09:30:00Z"));
        assert_eq!(folder, format!("2024-05-01 Trip plans ({expected_id})"));

        let expected_id = &hex::encode(Sha256::digest(b"Trip plans"))[..8];
        assert_eq!(
            conversation_folder("", "Trip plans", None),
            format!("Trip plans ({expected_id})")
        );
        assert_eq!(
            conversation_folder("///", "Trip plans", None),
            format!("Trip plans ({expected_id})")
        );
    }

    #[test]
    fn folder_hash_known_value() {
        // echo -n "abc" | sha256sum gives ba7816bf8f01cfea...
        assert_eq!(conversation_folder("", "abc", None), "abc (ba7816bf)");
    }

    #[test]
    fn folder_long_name_fits() {
        let folder = conversation_folder(UUID, &"名".repeat(200), Some("2024-05-01"));
        assert!(folder.len() <= MAX_COMPONENT_BYTES);
        assert!(folder.starts_with("2024-05-01 名"));
        assert!(folder.ends_with("名 (1a2b3c4d)"));

        let folder = conversation_folder(UUID, &format!("{} . . . x", "a".repeat(176)), None);
        assert!(folder.len() <= MAX_COMPONENT_BYTES);
        assert!(!folder.contains(". ("));
    }

    #[test]
    fn folder_is_sanitized_form() {
        let long_name = "名".repeat(200);
        let names = [
            "Trip plans",
            "",
            "CON",
            "a: b",
            long_name.as_str(),
            ". . .hidden",
        ];
        for name in names {
            let folder = conversation_folder(UUID, name, Some("2024-05-01"));
            assert_eq!(sanitize_component(&folder), folder, "name {name:?}");
        }
    }

    #[test]
    fn folder_deterministic() {
        let first = conversation_folder("", "Same", Some("2024-01-01"));
        assert_eq!(conversation_folder("", "Same", Some("2024-01-01")), first);
        assert_ne!(conversation_folder("", "Same", Some("2024-01-02")), first);
    }

    #[test]
    fn outputs_path_keeps_subfolders() {
        assert_eq!(
            file_path_components("/mnt/user-data/outputs/src/app.py"),
            ["src", "app.py"]
        );
        assert_eq!(
            file_path_components("/mnt/user-data/outputs/report.md"),
            ["report.md"]
        );
        assert_eq!(
            file_path_components("/mnt/user-data/outputs/a/b/c/d.txt"),
            ["a", "b", "c", "d.txt"]
        );
    }

    #[test]
    fn other_paths_keep_last_component() {
        assert_eq!(file_path_components("/home/claude/app.py"), ["app.py"]);
        assert_eq!(
            file_path_components("/mnt/user-data/uploads/data.csv"),
            ["data.csv"]
        );
        assert_eq!(file_path_components("relative/dir/file.rs"), ["file.rs"]);
        assert_eq!(file_path_components("file.rs"), ["file.rs"]);
        assert_eq!(
            file_path_components("C:\\Users\\me\\notes.txt"),
            ["notes.txt"]
        );
        assert_eq!(file_path_components("/tmp/dir/"), ["dir"]);
    }

    #[test]
    fn dot_components_dropped() {
        assert_eq!(
            file_path_components("/mnt/user-data/outputs/../../etc/passwd"),
            ["etc", "passwd"]
        );
        assert_eq!(
            file_path_components("/mnt/user-data/outputs/./src/../x.py"),
            ["src", "x.py"]
        );
        assert_eq!(
            file_path_components("/mnt/./user-data//outputs/x.py"),
            ["x.py"]
        );
        assert_eq!(file_path_components("/tmp/.."), ["tmp"]);
        assert_eq!(file_path_components("/mnt/user-data/outputs/.../x"), ["x"]);
    }

    #[test]
    fn outputs_components_sanitized() {
        assert_eq!(
            file_path_components("/mnt/user-data/outputs/.config/CON/a:b.txt"),
            ["config", "CON_", "a_b.txt"]
        );
        assert_eq!(
            file_path_components("/mnt/user-data/outputs/docs\\guide.md"),
            ["docs", "guide.md"]
        );
        assert_eq!(
            file_path_components("/mnt/user-data/outputs/Отчёт/数据.csv"),
            ["Отчёт", "数据.csv"]
        );
    }

    #[test]
    fn empty_paths_give_untitled() {
        for path in [
            "",
            "/",
            "..",
            "/mnt/user-data/outputs/",
            "/mnt/user-data/outputs/..",
            "\u{200B}",
        ] {
            assert_eq!(file_path_components(path), ["untitled"], "path {path:?}");
        }
    }

    #[test]
    fn deep_paths_cut_to_depth() {
        let path = "/mnt/user-data/outputs/1/2/3/4/5/6/7/8/9/10/file.txt";
        let components = file_path_components(path);
        assert_eq!(components.len(), MAX_PATH_DEPTH);
        assert_eq!(components, ["1", "2", "3", "4", "5", "6", "7", "file.txt"]);

        let path = "/mnt/user-data/outputs/1/2/3/4/5/6/7/file.txt";
        assert_eq!(file_path_components(path).len(), MAX_PATH_DEPTH);
    }

    #[test]
    fn prefix_must_match_whole_components() {
        assert_eq!(
            file_path_components("/mnt/user-data/outputsX/a/b.txt"),
            ["b.txt"]
        );
        assert_eq!(
            file_path_components("/x/mnt/user-data/outputs/a/b.txt"),
            ["b.txt"]
        );
        assert_eq!(
            file_path_components("mnt/user-data/outputs/a/b.txt"),
            ["a", "b.txt"]
        );
    }
}
