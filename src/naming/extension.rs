//! File extensions for artifacts, chosen from the artifact type, then the
//! language of a code artifact, then the content itself.

/// Source of a resolved extension, from most to least reliable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExtensionSource {
    Kind,
    Language,
    Content,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ResolvedExtension {
    /// Extension with its leading dot, such as ".py".
    pub extension: &'static str,
    pub source: ExtensionSource,
}

/// Language names and aliases (lowercase) with the extension of their files.
///
/// Dockerfiles and makefiles usually have no extension. They get the
/// extensions that GitHub Linguist lists for them, and `artifact_file_name`
/// keeps a title of exactly "Dockerfile" or "Makefile" without one.
const LANGUAGE_EXTENSIONS: &[(&[&str], &str)] = &[
    (&["python", "py", "python3"], ".py"),
    (&["javascript", "js", "node", "nodejs"], ".js"),
    (&["typescript", "ts"], ".ts"),
    (&["jsx"], ".jsx"),
    (&["tsx"], ".tsx"),
    (&["java"], ".java"),
    (&["c"], ".c"),
    (&["cpp", "c++", "cxx", "cc"], ".cpp"),
    (&["csharp", "c#", "cs"], ".cs"),
    (&["go", "golang"], ".go"),
    (&["rust", "rs"], ".rs"),
    (&["ruby", "rb"], ".rb"),
    (&["php"], ".php"),
    (&["swift"], ".swift"),
    (&["kotlin", "kt"], ".kt"),
    (&["scala"], ".scala"),
    (&["r"], ".r"),
    (
        &[
            "sql",
            "mysql",
            "postgresql",
            "postgres",
            "pgsql",
            "plsql",
            "sqlite",
        ],
        ".sql",
    ),
    (&["bash", "sh", "shell", "zsh"], ".sh"),
    (&["powershell", "ps1", "pwsh"], ".ps1"),
    (&["batch", "bat", "cmd"], ".bat"),
    (&["html"], ".html"),
    (&["css"], ".css"),
    (&["scss"], ".scss"),
    (&["sass"], ".sass"),
    (&["less"], ".less"),
    (&["json"], ".json"),
    (&["yaml", "yml"], ".yaml"),
    (&["toml"], ".toml"),
    (&["xml"], ".xml"),
    (&["markdown", "md"], ".md"),
    (&["lua"], ".lua"),
    (&["perl", "pl"], ".pl"),
    (&["haskell", "hs"], ".hs"),
    (&["dart"], ".dart"),
    (&["elixir", "ex", "exs"], ".ex"),
    (&["clojure", "clj"], ".clj"),
    (&["dockerfile", "docker", "containerfile"], ".dockerfile"),
    (&["makefile", "make", "mk"], ".mk"),
    (&["latex", "tex"], ".tex"),
    (&["mermaid", "mmd"], ".mmd"),
    (&["svg"], ".svg"),
    (&["plaintext", "text", "txt", "plain"], ".txt"),
    (&["vue"], ".vue"),
    (&["svelte"], ".svelte"),
    (&["graphql", "gql"], ".graphql"),
    (&["protobuf", "proto"], ".proto"),
    (&["ini"], ".ini"),
    (&["csv"], ".csv"),
    (&["objective-c", "objectivec", "objc"], ".m"),
    (&["matlab"], ".m"),
    (&["julia", "jl"], ".jl"),
    (&["zig"], ".zig"),
    (&["nim"], ".nim"),
    (&["ocaml", "ml"], ".ml"),
    (&["fsharp", "f#", "fs"], ".fs"),
    (&["erlang", "erl"], ".erl"),
    (&["groovy"], ".groovy"),
    (&["terraform", "hcl", "tf"], ".tf"),
    (&["nix"], ".nix"),
    (&["solidity", "sol"], ".sol"),
    (&["assembly", "asm", "nasm"], ".asm"),
    (&["diff", "patch"], ".diff"),
];

/// Extensions that name the same kind of file as the key extension, so a
/// title that already ends with one of them keeps it ("config.yml" stays
/// "config.yml" when the language is YAML).
const EQUIVALENT_EXTENSIONS: &[(&str, &[&str])] = &[
    (".py", &[".pyw", ".pyi"]),
    (".js", &[".mjs", ".cjs", ".jsx"]),
    (".ts", &[".mts", ".cts", ".tsx"]),
    (".jsx", &[".js", ".tsx", ".ts"]),
    (".tsx", &[".ts", ".jsx", ".js"]),
    (".c", &[".h"]),
    (
        ".cpp",
        &[".cc", ".cxx", ".c++", ".hpp", ".hh", ".hxx", ".h"],
    ),
    (".m", &[".mm", ".h"]),
    (".sh", &[".bash", ".zsh"]),
    (".ps1", &[".psm1", ".psd1"]),
    (".bat", &[".cmd"]),
    (".html", &[".htm", ".xhtml"]),
    (".md", &[".markdown", ".mdx"]),
    (".yaml", &[".yml"]),
    (".xml", &[".xsd", ".xsl", ".xslt", ".plist"]),
    (".ex", &[".exs"]),
    (".pl", &[".pm"]),
    (".tex", &[".sty", ".cls", ".bib"]),
    (".mmd", &[".mermaid"]),
    (".tf", &[".tfvars", ".hcl"]),
    (".erl", &[".hrl"]),
    (".fs", &[".fsx", ".fsi"]),
    (".ml", &[".mli"]),
    (".dockerfile", &[".containerfile"]),
    (".mk", &[".mak", ".make"]),
    (".diff", &[".patch"]),
];

/// Extensions of documents and data files that are no language of their own
/// but that a file written by Claude may carry.
const DOCUMENT_EXTENSIONS: &[&str] = &[
    ".txt",
    ".text",
    ".log",
    ".rst",
    ".adoc",
    ".org",
    ".tsv",
    ".ipynb",
    ".env",
    ".cfg",
    ".conf",
    ".properties",
    ".lock",
    ".pdf",
    ".doc",
    ".docx",
    ".odt",
    ".rtf",
    ".xls",
    ".xlsx",
    ".ods",
    ".ppt",
    ".pptx",
    ".odp",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".ico",
    ".zip",
];

/// Mermaid diagram declarations that may open a diagram.
const MERMAID_KEYWORDS: &[&str] = &[
    "graph",
    "flowchart",
    "sequenceDiagram",
    "classDiagram",
    "erDiagram",
    "gantt",
    "pie",
    "stateDiagram",
    "stateDiagram-v2",
];

/// Returns the extension, with its dot, for an artifact of MIME-like type
/// `kind` in `language`.
///
/// Known artifact types decide first: `text/markdown` ".md", `text/html`
/// ".html", `image/svg+xml` ".svg", `application/vnd.ant.mermaid` ".mmd" and
/// `application/vnd.ant.react` ".jsx" (".tsx" when the language is typescript,
/// ts or tsx). For `application/vnd.ant.code` and every other type, a known
/// language decides next, in any letter case. Otherwise the content is
/// sniffed: an HTML, SVG or XML start, a python, node or shell shebang, JSON
/// brackets or a Mermaid declaration, and ".txt" for the rest.
pub fn extension_for(kind: &str, language: Option<&str>, content: &str) -> &'static str {
    resolve_extension(kind, language, content).extension
}

pub(crate) fn resolve_extension(
    kind: &str,
    language: Option<&str>,
    content: &str,
) -> ResolvedExtension {
    let language = language
        .map(|name| name.trim().to_lowercase())
        .filter(|name| !name.is_empty());

    if let Some(extension) = extension_for_kind(kind, language.as_deref()) {
        return ResolvedExtension {
            extension,
            source: ExtensionSource::Kind,
        };
    }
    if let Some(extension) = language.as_deref().and_then(extension_for_language) {
        return ResolvedExtension {
            extension,
            source: ExtensionSource::Language,
        };
    }
    ResolvedExtension {
        extension: sniff_extension(content),
        source: ExtensionSource::Content,
    }
}

/// Returns the extension that the artifact type alone decides, if any.
/// `language` is lowercase.
fn extension_for_kind(kind: &str, language: Option<&str>) -> Option<&'static str> {
    let kind = kind.trim().to_ascii_lowercase();
    match kind.as_str() {
        "text/markdown" => Some(".md"),
        "text/html" => Some(".html"),
        "image/svg+xml" => Some(".svg"),
        "application/vnd.ant.mermaid" => Some(".mmd"),
        "application/vnd.ant.react" => match language {
            Some("typescript" | "ts" | "tsx") => Some(".tsx"),
            _ => Some(".jsx"),
        },
        _ => None,
    }
}

/// Looks up a lowercase language name or alias.
fn extension_for_language(language: &str) -> Option<&'static str> {
    LANGUAGE_EXTENSIONS
        .iter()
        .find(|(names, _)| names.contains(&language))
        .map(|(_, extension)| *extension)
}

/// Returns whether `own` (lowercase, with its dot) names the same kind of
/// file as `chosen`.
pub(crate) fn is_equivalent_extension(chosen: &str, own: &str) -> bool {
    own == chosen
        || EQUIVALENT_EXTENSIONS
            .iter()
            .any(|(key, others)| *key == chosen && others.contains(&own))
}

/// Returns whether `extension` (lowercase, with its dot) belongs to a language
/// in the map, is an equivalent of one, or is a common document type.
pub(crate) fn is_known_extension(extension: &str) -> bool {
    LANGUAGE_EXTENSIONS
        .iter()
        .any(|(_, known)| *known == extension)
        || EQUIVALENT_EXTENSIONS
            .iter()
            .any(|(_, others)| others.contains(&extension))
        || DOCUMENT_EXTENSIONS.contains(&extension)
}

/// Guesses the extension from the first characters of `content`.
fn sniff_extension(content: &str) -> &'static str {
    let text = content.trim_start_matches('\u{FEFF}').trim();

    if starts_with_ignore_ascii_case(text, "<!doctype html")
        || starts_with_ignore_ascii_case(text, "<html")
    {
        return ".html";
    }
    if starts_with_ignore_ascii_case(text, "<svg") {
        return ".svg";
    }
    if starts_with_ignore_ascii_case(text, "<?xml") {
        return if root_element_is_svg(text) {
            ".svg"
        } else {
            ".xml"
        };
    }
    if let Some(extension) = text.strip_prefix("#!").and_then(extension_for_shebang) {
        return extension;
    }
    if looks_like_json(text) {
        return ".json";
    }
    if starts_with_mermaid_declaration(text) {
        return ".mmd";
    }
    ".txt"
}

fn starts_with_ignore_ascii_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

/// Returns whether the first element after the XML declaration, comments and
/// the document type declaration is `<svg`.
fn root_element_is_svg(text: &str) -> bool {
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        rest = &rest[start..];
        if rest.starts_with("<?") || rest.starts_with("<!") {
            rest = &rest[1..];
            continue;
        }
        return starts_with_ignore_ascii_case(rest, "<svg");
    }
    false
}

/// Maps the interpreter of a shebang line (without "#!") to an extension:
/// python to ".py", sh, bash, zsh, dash and ksh to ".sh", node to ".js".
fn extension_for_shebang(shebang: &str) -> Option<&'static str> {
    let line = shebang.lines().next().unwrap_or("");
    let mut words = line.split_whitespace();
    let mut program = words.next()?.rsplit('/').next()?;
    if program == "env" {
        // `#!/usr/bin/env -S node --flag` names the program after the options.
        program = words.find(|word| !word.starts_with('-'))?;
    }

    if program.starts_with("python") {
        Some(".py")
    } else if matches!(program, "sh" | "bash" | "zsh" | "dash" | "ksh") {
        Some(".sh")
    } else if matches!(program, "node" | "nodejs") {
        Some(".js")
    } else {
        None
    }
}

/// Checks only the outer brackets of the trimmed text, which is enough to
/// tell a JSON document from prose without parsing it.
fn looks_like_json(text: &str) -> bool {
    (text.starts_with('{') && text.ends_with('}')) || (text.starts_with('[') && text.ends_with(']'))
}

/// Returns whether the first line that is not blank or a `%%` comment starts
/// with a Mermaid diagram declaration. The first word must equal a keyword,
/// and "graph" and "flowchart" may be followed only by a direction, so prose
/// such as "Graph theory notes" or "pie recipes" stays text.
fn starts_with_mermaid_declaration(text: &str) -> bool {
    let Some(line) = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with("%%"))
    else {
        return false;
    };

    let mut words = line.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let first = first.trim_end_matches(';');
    if !MERMAID_KEYWORDS.contains(&first) {
        return false;
    }

    let second = words.next();
    match first {
        "graph" | "flowchart" => second.is_none_or(|direction| {
            matches!(
                direction.trim_end_matches(';'),
                "TB" | "TD" | "BT" | "RL" | "LR"
            )
        }),
        "pie" => second.is_none_or(|word| matches!(word, "title" | "showData")),
        "gantt" => second.is_none(),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: &str = "application/vnd.ant.code";

    #[test]
    fn every_language_alias_mapped() {
        let cases: &[(&str, &str)] = &[
            ("python", ".py"),
            ("py", ".py"),
            ("javascript", ".js"),
            ("js", ".js"),
            ("typescript", ".ts"),
            ("ts", ".ts"),
            ("jsx", ".jsx"),
            ("tsx", ".tsx"),
            ("java", ".java"),
            ("c", ".c"),
            ("cpp", ".cpp"),
            ("c++", ".cpp"),
            ("csharp", ".cs"),
            ("c#", ".cs"),
            ("cs", ".cs"),
            ("go", ".go"),
            ("rust", ".rs"),
            ("rs", ".rs"),
            ("ruby", ".rb"),
            ("rb", ".rb"),
            ("php", ".php"),
            ("swift", ".swift"),
            ("kotlin", ".kt"),
            ("kt", ".kt"),
            ("scala", ".scala"),
            ("r", ".r"),
            ("sql", ".sql"),
            ("bash", ".sh"),
            ("sh", ".sh"),
            ("shell", ".sh"),
            ("zsh", ".sh"),
            ("powershell", ".ps1"),
            ("ps1", ".ps1"),
            ("html", ".html"),
            ("css", ".css"),
            ("scss", ".scss"),
            ("json", ".json"),
            ("yaml", ".yaml"),
            ("yml", ".yaml"),
            ("toml", ".toml"),
            ("xml", ".xml"),
            ("markdown", ".md"),
            ("md", ".md"),
            ("lua", ".lua"),
            ("perl", ".pl"),
            ("haskell", ".hs"),
            ("dart", ".dart"),
            ("elixir", ".ex"),
            ("clojure", ".clj"),
            ("dockerfile", ".dockerfile"),
            ("makefile", ".mk"),
            ("latex", ".tex"),
            ("tex", ".tex"),
            ("mermaid", ".mmd"),
            ("svg", ".svg"),
            ("plaintext", ".txt"),
            ("text", ".txt"),
            ("txt", ".txt"),
            ("vue", ".vue"),
            ("svelte", ".svelte"),
            ("graphql", ".graphql"),
            ("protobuf", ".proto"),
            ("proto", ".proto"),
            ("ini", ".ini"),
            ("csv", ".csv"),
            ("objective-c", ".m"),
            ("matlab", ".m"),
            ("julia", ".jl"),
            ("zig", ".zig"),
            ("nim", ".nim"),
            ("ocaml", ".ml"),
            ("fsharp", ".fs"),
            ("erlang", ".erl"),
            ("groovy", ".groovy"),
            ("terraform", ".tf"),
            ("hcl", ".tf"),
            ("nix", ".nix"),
            ("solidity", ".sol"),
            ("assembly", ".asm"),
            ("asm", ".asm"),
        ];
        for (language, expected) in cases {
            assert_eq!(
                extension_for(CODE, Some(language), ""),
                *expected,
                "language {language}"
            );
        }
    }

    #[test]
    fn every_table_entry_reachable() {
        for (names, expected) in LANGUAGE_EXTENSIONS {
            for name in *names {
                assert_eq!(
                    extension_for(CODE, Some(name), ""),
                    *expected,
                    "language {name}"
                );
            }
        }
    }

    #[test]
    fn language_case_and_spaces_ignored() {
        assert_eq!(extension_for(CODE, Some("Python"), ""), ".py");
        assert_eq!(extension_for(CODE, Some("TypeScript"), ""), ".ts");
        assert_eq!(extension_for(CODE, Some(" RUST "), ""), ".rs");
        assert_eq!(extension_for(CODE, Some("C#"), ""), ".cs");
    }

    #[test]
    fn kind_decides_before_language() {
        assert_eq!(extension_for("text/markdown", Some("python"), ""), ".md");
        assert_eq!(extension_for("text/html", None, ""), ".html");
        assert_eq!(extension_for("image/svg+xml", None, ""), ".svg");
        assert_eq!(
            extension_for("application/vnd.ant.mermaid", None, ""),
            ".mmd"
        );
        assert_eq!(extension_for("Text/Markdown", None, ""), ".md");
    }

    #[test]
    fn react_kind_jsx_or_tsx() {
        let react = "application/vnd.ant.react";
        assert_eq!(extension_for(react, None, ""), ".jsx");
        assert_eq!(extension_for(react, Some("javascript"), ""), ".jsx");
        assert_eq!(extension_for(react, Some("typescript"), ""), ".tsx");
        assert_eq!(extension_for(react, Some("TSX"), ""), ".tsx");
        assert_eq!(extension_for(react, Some("ts"), ""), ".tsx");
    }

    #[test]
    fn unknown_kind_uses_language() {
        assert_eq!(
            extension_for("application/x-unknown", Some("go"), ""),
            ".go"
        );
        assert_eq!(extension_for("", Some("lua"), ""), ".lua");
    }

    #[test]
    fn unknown_language_falls_back_to_content() {
        assert_eq!(extension_for(CODE, Some("cobol"), "DISPLAY 'HI'."), ".txt");
        assert_eq!(extension_for(CODE, Some("unknown"), "{\"a\": 1}"), ".json");
        assert_eq!(extension_for(CODE, Some(""), "#!/bin/sh\necho"), ".sh");
    }

    #[test]
    fn sniff_html() {
        assert_eq!(
            extension_for("", None, "<!DOCTYPE html>\n<html></html>"),
            ".html"
        );
        assert_eq!(extension_for("", None, "<!doctype html>"), ".html");
        assert_eq!(extension_for("", None, "  \n<html lang=\"en\">"), ".html");
        assert_eq!(extension_for("", None, "<HTML>"), ".html");
    }

    #[test]
    fn sniff_svg_and_xml() {
        assert_eq!(
            extension_for("", None, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            ".svg"
        );
        assert_eq!(
            extension_for("", None, "<?xml version=\"1.0\"?>\n<note/>"),
            ".xml"
        );
        let svg_with_prolog = "<?xml version=\"1.0\"?>\n<!-- made by hand -->\n\
                               <!DOCTYPE svg>\n<svg width=\"10\"></svg>";
        assert_eq!(extension_for("", None, svg_with_prolog), ".svg");
    }

    #[test]
    fn sniff_shebang() {
        let cases = [
            ("#!/usr/bin/env python3\nprint(1)", ".py"),
            ("#!/usr/bin/python\n", ".py"),
            ("#!/bin/bash\necho hi", ".sh"),
            ("#!/bin/sh", ".sh"),
            ("#!/usr/bin/env zsh", ".sh"),
            ("#!/usr/bin/env node\nconsole.log(1)", ".js"),
            ("#!/usr/bin/env -S node --no-warnings\n", ".js"),
            ("#! /bin/bash\n", ".sh"),
            ("#!/usr/bin/env ruby\n", ".txt"),
        ];
        for (content, expected) in cases {
            assert_eq!(
                extension_for("", None, content),
                expected,
                "content {content:?}"
            );
        }
    }

    #[test]
    fn sniff_json() {
        assert_eq!(extension_for("", None, "{\"name\": \"x\"}"), ".json");
        assert_eq!(extension_for("", None, "\n [1, 2, 3]\n"), ".json");
        assert_eq!(extension_for("", None, "\u{FEFF}{}"), ".json");
        assert_eq!(extension_for("", None, "{ unterminated"), ".txt");
        assert_eq!(extension_for("", None, "[link] and text"), ".txt");
    }

    #[test]
    fn sniff_mermaid() {
        let cases = [
            ("graph TD\n  A --> B", ".mmd"),
            ("graph LR;\nA-->B", ".mmd"),
            ("flowchart LR\n  A --> B", ".mmd"),
            ("flowchart\nA-->B", ".mmd"),
            ("sequenceDiagram\n  Alice->>Bob: Hi", ".mmd"),
            ("classDiagram\n  Animal <|-- Duck", ".mmd"),
            ("erDiagram\n  A ||--o{ B : has", ".mmd"),
            ("gantt\n  title Plan", ".mmd"),
            ("pie title Pets\n  \"Dogs\" : 3", ".mmd"),
            ("pie\n  \"Dogs\" : 3", ".mmd"),
            ("stateDiagram-v2\n  [*] --> Still", ".mmd"),
            ("stateDiagram\n  [*] --> Still", ".mmd"),
            ("%% comment\ngraph TD\nA-->B", ".mmd"),
            ("Graph theory notes", ".txt"),
            ("graph of sales by month", ".txt"),
            ("pie recipes for autumn", ".txt"),
            ("gantt charts explained", ".txt"),
        ];
        for (content, expected) in cases {
            assert_eq!(
                extension_for("", None, content),
                expected,
                "content {content:?}"
            );
        }
    }

    #[test]
    fn sniff_plain_text() {
        assert_eq!(extension_for("", None, ""), ".txt");
        assert_eq!(extension_for("", None, "Dear team,\nthanks."), ".txt");
        assert_eq!(extension_for("", None, "FROM python:3.12"), ".txt");
    }

    #[test]
    fn sniff_source_reported() {
        let resolved = resolve_extension("", None, "{}");
        assert_eq!(resolved.source, ExtensionSource::Content);
        let resolved = resolve_extension(CODE, Some("go"), "");
        assert_eq!(resolved.source, ExtensionSource::Language);
        let resolved = resolve_extension("text/html", Some("go"), "");
        assert_eq!(resolved.source, ExtensionSource::Kind);
    }

    #[test]
    fn equivalent_and_known_extensions() {
        assert!(is_equivalent_extension(".yaml", ".yml"));
        assert!(is_equivalent_extension(".py", ".py"));
        assert!(!is_equivalent_extension(".py", ".js"));
        assert!(is_known_extension(".docx"));
        assert!(is_known_extension(".rs"));
        assert!(is_known_extension(".htm"));
        assert!(!is_known_extension(".2 notes"));
    }
}
