//! File names for artifacts and for their earlier versions.

use super::extension::{
    ExtensionSource, is_equivalent_extension, is_known_extension, resolve_extension,
};
use super::sanitize::{
    MAX_COMPONENT_BYTES, MAX_FILE_NAME_BYTES, sanitize_component, truncate_name,
};

/// Maximum number of characters after the last dot that still count as an
/// extension. Longer parts, or parts with other characters than ASCII
/// letters, digits and `+`, belong to the stem ("v1.2 notes" has none).
const MAX_EXTENSION_CHARS: usize = 10;

/// Returns the file name for an artifact: the sanitized title plus the
/// extension from [`extension_for`](super::extension_for).
///
/// The title keeps its own extension, and gets none appended, when that
/// extension (in any letter case) is
/// - the chosen one ("main.py" in Python),
/// - an equivalent of it ("config.yml" for YAML, "index.htm" for HTML), or
/// - any known language or document extension, when the chosen extension is
///   ".txt" or came from sniffing the content, because then the title is the
///   better source ("report.docx", "data.csv" as files-mode titles).
///
/// A title of exactly "Dockerfile", "Containerfile", "Makefile" or
/// "GNUmakefile" stays without extension when the language is dockerfile or
/// makefile or when nothing more specific than ".txt" is known. An empty title
/// becomes "untitled". The result is at most [`MAX_COMPONENT_BYTES`] bytes
/// because the stem, never the extension, is cut.
pub fn artifact_file_name(
    title: &str,
    kind: &str,
    language: Option<&str>,
    content: &str,
) -> String {
    let resolved = resolve_extension(kind, language, content);
    let extension = resolved.extension;
    let name = sanitize_component(title);

    let own_extension = split_extension(&name).1.to_lowercase();
    if !own_extension.is_empty() {
        let type_is_generic = extension == ".txt" || resolved.source == ExtensionSource::Content;
        if is_equivalent_extension(extension, &own_extension)
            || (type_is_generic && is_known_extension(&own_extension))
        {
            return name;
        }
    }
    if is_extensionless_build_file(&name, extension) {
        return name;
    }

    let stem = truncate_name(&name, MAX_COMPONENT_BYTES - extension.len());
    format!("{stem}{extension}")
}

/// Returns whether `name` is a build file that goes without extension, such as
/// "Dockerfile", for an artifact whose extension would be `extension`.
fn is_extensionless_build_file(name: &str, extension: &str) -> bool {
    let name = name.to_ascii_lowercase();
    match name.as_str() {
        "dockerfile" | "containerfile" => matches!(extension, ".dockerfile" | ".txt"),
        "makefile" | "gnumakefile" => matches!(extension, ".mk" | ".txt"),
        _ => false,
    }
}

/// Returns the name of version `version` of a file kept beside its final
/// version: `".v<N>"` goes before the extension ("report.md", 2 gives
/// "report.v2.md") or at the end of a name without one ("Dockerfile.v2").
///
/// The extension is the part after the last dot when it is 1 to 10 ASCII
/// letters, digits or `+`, so "archive.tar.gz" gives "archive.tar.v2.gz". The
/// stem is cut when the result would exceed [`MAX_FILE_NAME_BYTES`].
///
/// ```
/// use artifactor::naming::version_file_name;
///
/// assert_eq!(version_file_name("report.md", 2), "report.v2.md");
/// assert_eq!(version_file_name("Dockerfile", 2), "Dockerfile.v2");
/// ```
pub fn version_file_name(file_name: &str, version: usize) -> String {
    let (stem, extension) = split_extension(file_name);
    let marker = format!(".v{version}");
    let room = MAX_FILE_NAME_BYTES.saturating_sub(marker.len() + extension.len());
    let stem = truncate_name(stem, room);
    format!("{stem}{marker}{extension}")
}

/// Splits `name` into stem and extension (with its dot). The extension is
/// empty when the name has no dot after its first character or when the part
/// after the last dot is not 1 to 10 ASCII letters, digits or `+`.
pub(crate) fn split_extension(name: &str) -> (&str, &str) {
    let Some(dot) = name.rfind('.') else {
        return (name, "");
    };
    let extension = &name[dot + 1..];
    let is_extension = dot > 0
        && !extension.is_empty()
        && extension.len() <= MAX_EXTENSION_CHARS
        && extension
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+');
    if is_extension {
        name.split_at(dot)
    } else {
        (name, "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: &str = "application/vnd.ant.code";

    #[test]
    fn title_gets_extension() {
        assert_eq!(
            artifact_file_name("My Script", CODE, Some("python"), ""),
            "My Script.py"
        );
        assert_eq!(
            artifact_file_name("README", "text/markdown", None, "# Hi"),
            "README.md"
        );
        assert_eq!(
            artifact_file_name("Landing page", "text/html", None, ""),
            "Landing page.html"
        );
        assert_eq!(
            artifact_file_name("Logo", "image/svg+xml", None, ""),
            "Logo.svg"
        );
        assert_eq!(
            artifact_file_name("Flow", "application/vnd.ant.mermaid", None, ""),
            "Flow.mmd"
        );
        assert_eq!(
            artifact_file_name("Counter", "application/vnd.ant.react", None, ""),
            "Counter.jsx"
        );
    }

    #[test]
    fn empty_title_becomes_untitled() {
        assert_eq!(
            artifact_file_name("", CODE, Some("rust"), ""),
            "untitled.rs"
        );
        assert_eq!(
            artifact_file_name("   ", "text/markdown", None, ""),
            "untitled.md"
        );
        assert_eq!(artifact_file_name("..", "", None, ""), "untitled.txt");
    }

    #[test]
    fn title_with_same_extension_kept() {
        assert_eq!(
            artifact_file_name("main.py", CODE, Some("python"), ""),
            "main.py"
        );
        assert_eq!(
            artifact_file_name("Main.PY", CODE, Some("python"), ""),
            "Main.PY"
        );
        assert_eq!(
            artifact_file_name("index.html", "text/html", None, ""),
            "index.html"
        );
        assert_eq!(
            artifact_file_name("notes.md", "text/markdown", None, ""),
            "notes.md"
        );
        assert_eq!(
            artifact_file_name("lib.rs", CODE, Some("rust"), ""),
            "lib.rs"
        );
    }

    #[test]
    fn title_with_equivalent_extension_kept() {
        assert_eq!(
            artifact_file_name("config.yml", CODE, Some("yaml"), ""),
            "config.yml"
        );
        assert_eq!(
            artifact_file_name("index.htm", "text/html", None, ""),
            "index.htm"
        );
        assert_eq!(
            artifact_file_name("App.js", "application/vnd.ant.react", None, ""),
            "App.js"
        );
        assert_eq!(
            artifact_file_name("App.tsx", "application/vnd.ant.react", None, ""),
            "App.tsx"
        );
        assert_eq!(
            artifact_file_name("util.h", CODE, Some("cpp"), ""),
            "util.h"
        );
        assert_eq!(
            artifact_file_name("run.bash", CODE, Some("bash"), ""),
            "run.bash"
        );
    }

    #[test]
    fn title_with_other_extension_appended() {
        assert_eq!(
            artifact_file_name("main.py", CODE, Some("javascript"), ""),
            "main.py.js"
        );
        assert_eq!(
            artifact_file_name("notes.md", "text/html", None, ""),
            "notes.md.html"
        );
        assert_eq!(
            artifact_file_name("v1.2 notes", "text/markdown", None, ""),
            "v1.2 notes.md"
        );
        assert_eq!(
            artifact_file_name("Intro to C.", CODE, Some("c"), ""),
            "Intro to C.c"
        );
    }

    #[test]
    fn files_mode_title_keeps_extension() {
        // Files written with a path come without type or language, so the
        // title's extension wins over a sniffed one.
        assert_eq!(
            artifact_file_name("report.docx", "", None, "PK"),
            "report.docx"
        );
        assert_eq!(
            artifact_file_name("data.csv", "", None, "a,b\n1,2"),
            "data.csv"
        );
        assert_eq!(artifact_file_name("app.py", "", None, "print(1)"), "app.py");
        assert_eq!(
            artifact_file_name("config.toml", "", None, "[server]\nport = 1"),
            "config.toml"
        );
        assert_eq!(artifact_file_name("notes.txt", "", None, "{}"), "notes.txt");
        assert_eq!(
            artifact_file_name("data.csv", CODE, Some("text"), ""),
            "data.csv"
        );
        assert_eq!(
            artifact_file_name("draft.v2", "", None, "hello"),
            "draft.v2.txt"
        );
    }

    #[test]
    fn build_files_without_extension() {
        assert_eq!(
            artifact_file_name("Dockerfile", CODE, Some("dockerfile"), ""),
            "Dockerfile"
        );
        assert_eq!(
            artifact_file_name("dockerfile", CODE, None, "FROM alpine"),
            "dockerfile"
        );
        assert_eq!(
            artifact_file_name("Makefile", CODE, Some("makefile"), ""),
            "Makefile"
        );
        assert_eq!(
            artifact_file_name("GNUmakefile", CODE, Some("make"), ""),
            "GNUmakefile"
        );
        assert_eq!(
            artifact_file_name("Web image", CODE, Some("dockerfile"), ""),
            "Web image.dockerfile"
        );
        assert_eq!(
            artifact_file_name("Dockerfile", CODE, Some("python"), ""),
            "Dockerfile.py"
        );
    }

    #[test]
    fn title_sanitized_before_extension() {
        assert_eq!(
            artifact_file_name("Part 1: Intro", "text/markdown", None, ""),
            "Part 1 - Intro.md"
        );
        assert_eq!(
            artifact_file_name("a/b\\c", CODE, Some("go"), ""),
            "a_b_c.go"
        );
        assert_eq!(
            artifact_file_name("Line one\nLine two", CODE, Some("sql"), ""),
            "Line one Line two.sql"
        );
        assert_eq!(
            artifact_file_name("CON", CODE, Some("python"), ""),
            "CON_.py"
        );
        assert_eq!(
            artifact_file_name("con.py", CODE, Some("python"), ""),
            "con_.py"
        );
        assert_eq!(
            artifact_file_name("Отчёт", "text/markdown", None, ""),
            "Отчёт.md"
        );
    }

    #[test]
    fn long_title_cut_before_extension() {
        let name = artifact_file_name(&"x".repeat(400), CODE, Some("python"), "");
        assert_eq!(name.len(), MAX_COMPONENT_BYTES);
        assert!(name.ends_with(".py"));

        let name = artifact_file_name(&"数".repeat(100), CODE, Some("typescript"), "");
        assert!(name.len() <= MAX_COMPONENT_BYTES);
        assert!(name.ends_with(".ts"));
        assert_eq!(name.len(), 195 + 3);

        // The cut for ".go" ends right after ". ", which is trimmed away.
        let name = artifact_file_name(&format!("{}. tail", "y".repeat(195)), CODE, Some("go"), "");
        assert_eq!(name, format!("{}.go", "y".repeat(195)));
    }

    #[test]
    fn version_inserted_before_extension() {
        assert_eq!(version_file_name("report.md", 2), "report.v2.md");
        assert_eq!(version_file_name("main.py", 10), "main.v10.py");
        assert_eq!(version_file_name("archive.tar.gz", 3), "archive.tar.v3.gz");
        assert_eq!(version_file_name("report (2).md", 2), "report (2).v2.md");
        assert_eq!(version_file_name("lib.c++", 2), "lib.v2.c++");
    }

    #[test]
    fn version_without_extension_appended() {
        assert_eq!(version_file_name("Dockerfile", 2), "Dockerfile.v2");
        assert_eq!(version_file_name("v1.2 notes", 4), "v1.2 notes.v4");
        assert_eq!(version_file_name(".env", 2), ".env.v2");
        assert_eq!(version_file_name("report .md", 2), "report .v2.md");
    }

    #[test]
    fn version_name_fits_limit() {
        let long = format!("{}.md", "z".repeat(260));
        let name = version_file_name(&long, 12);
        assert!(name.len() <= MAX_FILE_NAME_BYTES);
        assert!(name.ends_with(".v12.md"));
    }

    #[test]
    fn split_extension_cases() {
        assert_eq!(split_extension("report.md"), ("report", ".md"));
        assert_eq!(split_extension("a.b.c"), ("a.b", ".c"));
        assert_eq!(split_extension("noext"), ("noext", ""));
        assert_eq!(split_extension(".hidden"), (".hidden", ""));
        assert_eq!(split_extension("trailing."), ("trailing.", ""));
        assert_eq!(split_extension("v1.2 notes"), ("v1.2 notes", ""));
        assert_eq!(
            split_extension("x.verylongextension"),
            ("x.verylongextension", "")
        );
        assert_eq!(split_extension("Отчёт.md"), ("Отчёт", ".md"));
        assert_eq!(split_extension("a.ü"), ("a.ü", ""));
    }
}
