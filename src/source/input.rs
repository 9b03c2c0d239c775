//! The inputs of a job: paths, URLs, standard input and the clipboard.

use std::ffi::OsStr;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// One input of a job, as given on the command line or chosen in the window.
#[derive(Clone, PartialEq, Eq)]
pub enum Input {
    /// An export archive, folder or JSON file, recognised by content.
    Path(PathBuf),
    /// A share link, a published artifact link, or the address of JSON or an export's zip.
    Url(String),
    /// Standard input: JSON is streamed, and any other text is searched for artifacts.
    Stdin,
    /// The system clipboard's text, read like standard input.
    Clipboard,
    /// Text already in memory, such as text pasted into the window; `name` appears in
    /// messages.
    Text { name: String, text: Arc<str> },
}

impl Input {
    /// Reads a command-line argument: `-` is standard input, `SCHEME://...` is a URL, and
    /// anything else is a path.
    pub fn from_arg(arg: &OsStr) -> Self {
        let Some(text) = arg.to_str() else {
            return Self::Path(PathBuf::from(arg));
        };
        if text == "-" {
            return Self::Stdin;
        }
        if looks_like_url(text) {
            return Self::Url(text.to_owned());
        }
        Self::Path(PathBuf::from(text))
    }
}

impl From<PathBuf> for Input {
    fn from(path: PathBuf) -> Self {
        Self::Path(path)
    }
}

/// Shows the size of a text input, not the text: it may hold secrets, and debug output goes
/// to the log file.
impl fmt::Debug for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Path(path) => f.debug_tuple("Path").field(path).finish(),
            Self::Url(url) => f.debug_tuple("Url").field(url).finish(),
            Self::Stdin => f.write_str("Stdin"),
            Self::Clipboard => f.write_str("Clipboard"),
            Self::Text { name, text } => f
                .debug_struct("Text")
                .field("name", name)
                .field("bytes", &text.len())
                .finish(),
        }
    }
}

impl fmt::Display for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Path(path) => write!(f, "{}", path.display()),
            Self::Url(url) => f.write_str(url),
            Self::Stdin => f.write_str("standard input"),
            Self::Clipboard => f.write_str("clipboard"),
            Self::Text { name, .. } => f.write_str(name),
        }
    }
}

/// Returns whether `text` starts with a URL scheme followed by `://`. A Windows path such as
/// `C:\export.zip` has no `//` and stays a path.
pub(crate) fn looks_like_url(text: &str) -> bool {
    let Some((scheme, _)) = text.split_once("://") else {
        return false;
    };
    let mut chars = scheme.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_debug_hides_text() {
        let input = Input::Text {
            name: "pasted text".to_owned(),
            text: "API_KEY=secret".into(),
        };
        let debug = format!("{input:?}");
        assert_eq!(debug, r#"Text { name: "pasted text", bytes: 14 }"#);
    }

    #[test]
    fn dash_is_stdin() {
        assert_eq!(Input::from_arg(OsStr::new("-")), Input::Stdin);
    }

    #[test]
    fn schemes_are_urls() {
        for url in [
            "https://claude.ai/share/abc",
            "http://127.0.0.1:8080/x",
            "ftp://example.org/file",
        ] {
            assert_eq!(Input::from_arg(OsStr::new(url)), Input::Url(url.to_owned()));
        }
    }

    #[test]
    fn paths_stay_paths() {
        for path in [
            "export.zip",
            "./-",
            "C:\\Users\\me\\export.zip",
            "dir/with://inside",
        ] {
            assert_eq!(
                Input::from_arg(OsStr::new(path)),
                Input::Path(PathBuf::from(path)),
                "{path}"
            );
        }
    }
}
