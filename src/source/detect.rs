//! Recognising the content of an input path and turning it into readable parts.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

use super::error::SourceError;
use super::input::Input;
use super::stream::{CountingReader, json_error};

/// The name of the conversations file inside an export archive or folder.
const CONVERSATIONS_FILE: &str = "conversations.json";

/// The location of a part's JSON or text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    /// An entry of a zip archive, read by name and never unpacked to disk.
    ZipEntry {
        archive: PathBuf,
        entry: String,
    },
    /// The process's standard input, read once.
    Stdin,
    /// Text already in memory, such as the clipboard's; `name` appears in messages.
    Text {
        name: String,
        text: Arc<str>,
    },
    /// A response body fetched from `url`.
    // NOTE: the whole body is held in memory, so an export fetched by URL costs its size in
    // memory, unlike a local export, which is streamed.
    Fetched {
        url: String,
        body: Arc<[u8]>,
        /// The published artifact's id when the URL was a published-artifact link.
        published: Option<String>,
    },
}

/// One JSON document that contains conversations: an array of them or one of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub location: Location,
    /// Uncompressed size in bytes, for progress.
    pub size: u64,
}

impl Part {
    /// Returns the name used in messages: the path, or `archive.zip!entry`.
    pub fn display_name(&self) -> String {
        match &self.location {
            Location::File(path) => path.display().to_string(),
            Location::ZipEntry { archive, entry } => format!("{}!{entry}", archive.display()),
            Location::Stdin => "standard input".to_owned(),
            Location::Text { name, .. } => name.clone(),
            Location::Fetched { url, .. } => url.clone(),
        }
    }
}

/// The kind of a file, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FileKind {
    Zip,
    JsonArray,
    JsonObject,
    /// A JSON number, string, boolean or null: valid JSON, but never an export.
    JsonScalar,
    Empty,
    Other,
}

/// The kind of a JSON object, from its top-level keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ObjectKind {
    /// The 2026 export's `manifest-*.json`.
    Manifest,
    /// A conversation or a share snapshot.
    Conversation,
    Unknown,
}

/// Turns one input other than a URL into the parts that hold its conversations. URLs are
/// fetched by the coordinator and become [`Location::Fetched`] parts.
pub fn resolve_input(input: &Input) -> Result<Vec<Part>, SourceError> {
    match input {
        Input::Path(path) => resolve(path),
        Input::Stdin => Ok(vec![Part {
            location: Location::Stdin,
            size: 0,
        }]),
        Input::Clipboard => Ok(vec![text_part(
            "clipboard",
            super::clipboard::read_text()?.into(),
        )]),
        Input::Text { name, text } => Ok(vec![text_part(name, Arc::clone(text))]),
        Input::Url(url) => Err(SourceError::UnknownFormat {
            path: PathBuf::from(url),
            detail: "a URL is fetched, not resolved as a path".to_owned(),
        }),
    }
}

/// Turns one input path into the parts that hold its conversations.
pub fn resolve(path: &Path) -> Result<Vec<Part>, SourceError> {
    let metadata = fs::metadata(path).map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => SourceError::NotFound {
            path: path.to_owned(),
        },
        _ => SourceError::Io {
            path: path.to_owned(),
            source,
        },
    })?;
    if metadata.is_dir() {
        return resolve_folder(path);
    }
    if !metadata.is_file() {
        // A pipe such as `<(cat export.json)` can be read only once, so it is not sniffed:
        // the reader tells an array from an object by itself.
        return Ok(vec![file_part(path, 0)]);
    }

    match sniff_file(path)? {
        FileKind::Zip => zip_parts(path),
        FileKind::JsonArray => Ok(vec![file_part(path, metadata.len())]),
        FileKind::JsonObject => match classify_object(path)? {
            ObjectKind::Manifest => resolve_manifest(path),
            ObjectKind::Conversation => Ok(vec![file_part(path, metadata.len())]),
            ObjectKind::Unknown => Err(SourceError::UnknownFormat {
                path: path.to_owned(),
                detail: "the JSON object has no chat_messages and no data_files".to_owned(),
            }),
        },
        FileKind::JsonScalar => Err(SourceError::UnknownFormat {
            path: path.to_owned(),
            detail: "it holds a single JSON value, not conversations".to_owned(),
        }),
        FileKind::Empty => Err(SourceError::UnknownFormat {
            path: path.to_owned(),
            detail: "the file is empty".to_owned(),
        }),
        FileKind::Other => Err(SourceError::UnknownFormat {
            path: path.to_owned(),
            detail: "it is neither JSON nor a zip archive".to_owned(),
        }),
    }
}

fn text_part(name: &str, text: Arc<str>) -> Part {
    Part {
        size: text.len() as u64,
        location: Location::Text {
            name: name.to_owned(),
            text,
        },
    }
}

fn file_part(path: &Path, size: u64) -> Part {
    Part {
        location: Location::File(path.to_owned()),
        size,
    }
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> SourceError + '_ {
    move |source| SourceError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Reads the first bytes of a file, past a byte order mark and whitespace.
fn sniff_file(path: &Path) -> Result<FileKind, SourceError> {
    let mut head = Vec::with_capacity(4096);
    File::open(path)
        .and_then(|file| file.take(4096).read_to_end(&mut head))
        .map_err(io_error(path))?;
    Ok(sniff_bytes(&head))
}

/// Tells the kind of a document from its first bytes.
pub(super) fn sniff_bytes(head: &[u8]) -> FileKind {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return FileKind::Zip;
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    match text.iter().find(|byte| !byte.is_ascii_whitespace()) {
        Some(b'[') => FileKind::JsonArray,
        Some(b'{') => FileKind::JsonObject,
        Some(b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') => FileKind::JsonScalar,
        Some(_) => FileKind::Other,
        None => FileKind::Empty,
    }
}

/// Finds `conversations.json` in a zip archive: the single-archive export or one
/// `conversations-NNN.zip` of the 2026 export.
fn zip_parts(path: &Path) -> Result<Vec<Part>, SourceError> {
    let file = File::open(path).map_err(io_error(path))?;
    let mut zip =
        zip::ZipArchive::new(BufReader::new(file)).map_err(|source| SourceError::Zip {
            path: path.to_owned(),
            source,
        })?;
    let (entry, size) = checked_conversations_entry(&mut zip, path)?;
    Ok(vec![Part {
        location: Location::ZipEntry {
            archive: path.to_owned(),
            entry,
        },
        size,
    }])
}

/// Finds `conversations.json` in the archive at `path` and checks its declared sizes against
/// the zip-bomb limits. Returns the entry's name and declared size.
pub(super) fn checked_conversations_entry<R: Read + io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    path: &Path,
) -> Result<(String, u64), SourceError> {
    let Some(entry) = conversations_entry(zip) else {
        return Err(SourceError::UnknownFormat {
            path: path.to_owned(),
            detail: "the zip archive holds no conversations.json".to_owned(),
        });
    };
    let (size, compressed) = zip
        .by_name(&entry)
        .map(|file| (file.size(), file.compressed_size()))
        .map_err(|source| SourceError::Zip {
            path: path.to_owned(),
            source,
        })?;
    check_entry_size(path, &entry, size, compressed)?;
    Ok((entry, size))
}

/// Finds the name of `conversations.json` in an archive. The shortest matching name wins, so
/// a root-level file beats one in a sub-folder. Names that are not valid UTF-8 or CP437
/// cannot be conversations.json and are skipped.
fn conversations_entry<R: Read + io::Seek>(zip: &zip::ZipArchive<R>) -> Option<String> {
    zip.file_names()
        .filter_map(Result::ok)
        .filter(|name| {
            name == CONVERSATIONS_FILE || name.ends_with(&format!("/{CONVERSATIONS_FILE}"))
        })
        .min_by_key(|name| (name.len(), name.to_string()))
        .map(std::borrow::Cow::into_owned)
}

/// The largest uncompressed `conversations.json` read from an archive. Real exports reach a
/// few hundred MB; this leaves ample room while stopping a forged size.
const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024 * 1024;
/// The largest ratio of uncompressed to compressed size accepted for an entry above
/// [`RATIO_CHECK_BYTES`]. JSON text compresses about 5 to 20 times with deflate; only crafted
/// data such as long runs of one byte compresses 1,000 times or more.
const MAX_COMPRESSION_RATIO: u64 = 200;
/// Entries smaller than this are not checked for their ratio.
const RATIO_CHECK_BYTES: u64 = 64 * 1024 * 1024;

/// Rejects an archive entry whose declared sizes mark it as a zip bomb.
fn check_entry_size(
    path: &Path,
    entry: &str,
    size: u64,
    compressed: u64,
) -> Result<(), SourceError> {
    let too_large = size > MAX_ENTRY_BYTES;
    let ratio = size / compressed.max(1);
    let too_compressed = size > RATIO_CHECK_BYTES && ratio > MAX_COMPRESSION_RATIO;
    if too_large || too_compressed {
        return Err(SourceError::UnknownFormat {
            path: path.to_owned(),
            detail: format!(
                "its entry {entry} would unpack to {size} bytes from {compressed} \
                 ({ratio} times), which no real export does; the archive looks crafted"
            ),
        });
    }
    Ok(())
}

/// Finds the parts of a folder: an unpacked single-archive export, or a 2026 export.
fn resolve_folder(dir: &Path) -> Result<Vec<Part>, SourceError> {
    let conversations = dir.join(CONVERSATIONS_FILE);
    if conversations.is_file() {
        let size = fs::metadata(&conversations)
            .map_err(io_error(&conversations))?
            .len();
        return Ok(vec![file_part(&conversations, size)]);
    }

    let names = sorted_file_names(dir)?;
    let manifests: Vec<_> = names
        .iter()
        .filter(|name| name.starts_with("manifest-") && name.ends_with(".json"))
        .collect();
    if !manifests.is_empty() {
        let mut parts = Vec::new();
        for name in manifests {
            parts.extend(resolve_manifest(&dir.join(name))?);
        }
        return Ok(parts);
    }

    let archives = conversation_archives(dir, &names);
    if archives.is_empty() {
        return Err(SourceError::UnknownFormat {
            path: dir.to_owned(),
            detail: "the folder holds no conversations.json, manifest-*.json or \
                     conversations-*.zip"
                .to_owned(),
        });
    }
    let mut parts = Vec::new();
    for archive in archives {
        parts.extend(zip_parts(&archive)?);
    }
    Ok(parts)
}

fn sorted_file_names(dir: &Path) -> Result<Vec<String>, SourceError> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir).map_err(io_error(dir))? {
        let entry = entry.map_err(io_error(dir))?;
        if let Some(name) = entry.file_name().to_str() {
            names.push(name.to_owned());
        }
    }
    names.sort();
    Ok(names)
}

fn conversation_archives(dir: &Path, names: &[String]) -> Vec<PathBuf> {
    names
        .iter()
        .filter(|name| name.starts_with("conversations-") && name.ends_with(".zip"))
        .map(|name| dir.join(name))
        .collect()
}

/// The parts of `manifest-*.json` that matter here.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Manifest {
    #[serde(deserialize_with = "crate::lenient::vec")]
    data_files: Vec<DataFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DataFile {
    #[serde(deserialize_with = "crate::lenient::string")]
    category: String,
    #[serde(deserialize_with = "crate::lenient::string")]
    filename: String,
    #[serde(deserialize_with = "crate::lenient::opt_i64")]
    part: Option<i64>,
    #[serde(deserialize_with = "crate::lenient::opt_i64")]
    batch_index: Option<i64>,
}

/// Reads a 2026 manifest and finds the conversations archives it lists beside it.
fn resolve_manifest(path: &Path) -> Result<Vec<Part>, SourceError> {
    let name = path.display().to_string();
    let file = File::open(path).map_err(io_error(path))?;
    let (reader, position) = CountingReader::new(file).map_err(io_error(path))?;
    let manifest: Manifest =
        serde_json::from_reader(reader).map_err(|err| json_error(&name, &err, position.get()))?;
    let dir = path.parent().unwrap_or(Path::new("."));

    let mut listed: Vec<_> = manifest
        .data_files
        .iter()
        .filter(|file| file.category == "conversations")
        .collect();
    listed.sort_by_key(|file| (file.part.unwrap_or(0), file.batch_index.unwrap_or(0)));

    let mut archives = Vec::new();
    for file in listed {
        // Only the file name is used, so a manifest cannot point outside its folder.
        let Some(file_name) = Path::new(&file.filename).file_name() else {
            continue;
        };
        let archive = dir.join(file_name);
        if !archive.is_file() {
            return Err(SourceError::MissingArchive {
                manifest: path.to_owned(),
                archive: file_name.to_string_lossy().into_owned(),
            });
        }
        archives.push(archive);
    }
    if archives.is_empty() {
        archives = conversation_archives(dir, &sorted_file_names(dir)?);
    }
    if archives.is_empty() {
        return Err(SourceError::NoArchive {
            path: path.to_owned(),
        });
    }

    let mut parts = Vec::new();
    for archive in archives {
        parts.extend(zip_parts(&archive)?);
    }
    Ok(parts)
}

/// Reads a JSON object's top-level keys without keeping any value, checking the whole file
/// is valid JSON on the way.
fn classify_object(path: &Path) -> Result<ObjectKind, SourceError> {
    let file = File::open(path).map_err(io_error(path))?;
    let (reader, position) = CountingReader::new(file).map_err(io_error(path))?;
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    let kind = deserializer
        .deserialize_map(KeyScanner)
        .and_then(|kind| deserializer.end().map(|()| kind));
    kind.map_err(|err| json_error(&path.display().to_string(), &err, position.get()))
}

struct KeyScanner;

impl<'de> Visitor<'de> for KeyScanner {
    type Value = ObjectKind;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ObjectKind, A::Error> {
        let mut kind = ObjectKind::Unknown;
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<IgnoredAny>()?;
            match key.as_str() {
                "data_files" => kind = ObjectKind::Manifest,
                "chat_messages" if kind == ObjectKind::Unknown => {
                    kind = ObjectKind::Conversation;
                }
                _ => {}
            }
        }
        Ok(kind)
    }
}

impl ObjectKind {
    #[cfg(test)]
    fn of(json: &str) -> Result<Self, serde_json::Error> {
        let mut deserializer = serde_json::Deserializer::from_str(json);
        Deserializer::deserialize_map(&mut deserializer, KeyScanner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_recognises_zip() {
        assert_eq!(sniff_bytes(b"PK\x03\x04rest"), FileKind::Zip);
    }

    #[test]
    fn sniff_skips_bom_and_whitespace() {
        assert_eq!(sniff_bytes(b"\xEF\xBB\xBF \n [1]"), FileKind::JsonArray);
    }

    #[test]
    fn sniff_recognises_object() {
        assert_eq!(sniff_bytes(b"{\"a\":1}"), FileKind::JsonObject);
    }

    #[test]
    fn sniff_rejects_text() {
        assert_eq!(sniff_bytes(b"hello"), FileKind::Other);
    }

    #[test]
    fn sniff_empty() {
        assert_eq!(sniff_bytes(b"  \n"), FileKind::Empty);
    }

    #[test]
    fn manifest_is_recognised() {
        let kind = ObjectKind::of(r#"{"created_at":"x","data_files":[]}"#).expect("valid JSON");
        assert_eq!(kind, ObjectKind::Manifest);
    }

    #[test]
    fn snapshot_is_a_conversation() {
        let kind = ObjectKind::of(r#"{"uuid":"u","snapshot_name":"s","chat_messages":[]}"#)
            .expect("valid");
        assert_eq!(kind, ObjectKind::Conversation);
    }

    #[test]
    fn other_object_is_unknown() {
        let kind = ObjectKind::of(r#"{"users":[]}"#).expect("valid JSON");
        assert_eq!(kind, ObjectKind::Unknown);
    }

    #[test]
    fn ordinary_compression_is_accepted() {
        let path = Path::new("export.zip");
        assert!(check_entry_size(path, "conversations.json", 500 << 20, 50 << 20).is_ok());
    }

    #[test]
    fn extreme_ratio_is_rejected() {
        let path = Path::new("bomb.zip");
        let err =
            check_entry_size(path, "conversations.json", 1 << 30, 1 << 20).expect_err("a zip bomb");
        assert!(err.to_string().contains("looks crafted"), "{err}");
    }

    #[test]
    fn small_entries_skip_the_ratio_check() {
        let path = Path::new("small.zip");
        assert!(check_entry_size(path, "conversations.json", 1 << 20, 10).is_ok());
    }

    #[test]
    fn missing_path_is_not_found() {
        let err = resolve(Path::new("/nonexistent/artifactor-input.zip")).expect_err("missing");
        assert!(matches!(err, SourceError::NotFound { .. }), "{err:?}");
    }
}
