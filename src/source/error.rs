use std::io;
use std::path::PathBuf;

/// An error that made an input unreadable. Each message names the input and what to do next.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("input not found: {path}. Check the path, or pass the export's .zip file")]
    NotFound { path: PathBuf },

    #[error("cannot read {path}: {source}. Check that the file is readable")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error(
        "{path} is not a Claude export: {detail}. Pass the export's .zip file, the folder it \
         was unpacked into, a manifest-*.json, a conversations.json or a conversation's JSON"
    )]
    UnknownFormat { path: PathBuf, detail: String },

    #[error(
        "invalid JSON in {name} at byte {offset}: {message}. The file may be truncated or \
         damaged: download the export again"
    )]
    InvalidJson {
        /// The file, or `archive.zip!entry` for a zip entry.
        name: String,
        /// Offset from the start of the file, counted from 0.
        offset: u64,
        message: String,
    },

    #[error("cannot read the zip archive {path}: {source}. The download may be incomplete")]
    Zip {
        path: PathBuf,
        #[source]
        source: zip::result::ZipError,
    },

    #[error(
        "{name} is damaged: {detail}. The files written from it may be damaged too: download \
         the export again and run again, which replaces them"
    )]
    DamagedEntry { name: String, detail: String },

    #[error(
        "{manifest} lists {archive}, which is missing. Download it from the export's email \
         into the same folder as the manifest"
    )]
    MissingArchive { manifest: PathBuf, archive: String },

    #[error(
        "{path} lists no conversations archive, and no conversations-*.zip was found beside \
         it. Download the export's conversations-*.zip into the same folder"
    )]
    NoArchive { path: PathBuf },

    #[error(
        "{name} contains no artifacts: it has no <antArtifact> tags, no fenced code blocks and no \
         `=== ARTIFACT: title ===` lines. Copy the assistant's whole answer with its code \
         blocks, or pass the conversation's JSON"
    )]
    NoArtifacts { name: String },

    #[error(
        "standard input is a zip archive, which artifactor reads only from a file, because \
         its list of files is at its end. Pass the archive's path instead: artifactor \
         extract EXPORT.zip"
    )]
    ZipOnStdin,

    #[error(
        "{name} contains more than {limit_mib} MiB of text that is not JSON. Save it to a file \
         and split it, or pass the export's JSON instead"
    )]
    TextTooLarge { name: String, limit_mib: u64 },

    #[error(
        "{url} did not return a published artifact: {detail}. Check that the link opens in a browser"
    )]
    NotPublishedArtifact { url: String, detail: String },

    /// The job that read the input was cancelled before the input was read to its end.
    #[error("reading {name} was cancelled")]
    Cancelled {
        /// The input as other messages name it, such as a path or `standard input`.
        name: String,
    },

    #[error(
        "cannot read the clipboard: {reason}. Without a display there is no clipboard: pipe \
         the text into `artifactor extract -` instead"
    )]
    Clipboard { reason: String },
}
