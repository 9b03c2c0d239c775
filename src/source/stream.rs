//! Streaming conversations out of JSON, one at a time, with byte offsets for errors.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::detect::{FileKind, Location, Part, sniff_bytes};
use super::error::SourceError;
use super::repair::parse_repaired;
use super::split::{ArraySplitter, SplitError};
use crate::lenient::Lenient;
use crate::model::Conversation;

const READ_BUFFER_BYTES: usize = 256 * 1024;

/// How far a part has been read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadProgress {
    /// Uncompressed bytes of JSON consumed so far.
    pub bytes: u64,
    /// Conversations handed to the callback so far.
    pub conversations: usize,
    /// JSON values in the array that are not conversations, such as numbers or objects
    /// without `uuid` and `chat_messages`.
    pub skipped: usize,
}

/// Streams the conversations of one part to `on_conversation`, which may stop the read by
/// returning `ControlFlow::Break`. Returns how much was read.
///
/// A top-level array is read one element at a time, so memory grows only with the largest
/// conversation. A top-level object is read as one conversation.
///
/// Files, zip entries and standard input call `cancelled` before each read from the input,
/// and stop with [`SourceError::Cancelled`] once it returns `true`, so that a cancelled job
/// does not wait for the end of a huge conversation. A part held in memory (text or a
/// fetched body) does not call it.
pub fn read_part(
    part: &Part,
    cancelled: &dyn Fn() -> bool,
    on_conversation: &mut dyn FnMut(Conversation, ReadProgress) -> ControlFlow<()>,
) -> Result<ReadProgress, SourceError> {
    match &part.location {
        Location::File(path) => {
            let file = File::open(path).map_err(|source| SourceError::Io {
                path: path.clone(),
                source,
            })?;
            let reader = CancellableReader::new(file, cancelled);
            stream_conversations(reader, &part.display_name(), on_conversation)
        }
        Location::ZipEntry { archive, entry } => {
            let file = File::open(archive).map_err(|source| SourceError::Io {
                path: archive.clone(),
                source,
            })?;
            let reader = BufReader::new(CancellableReader::new(file, cancelled));
            let mut zip =
                zip::ZipArchive::new(reader).map_err(|source| zip_error(archive, source))?;
            stream_entry(
                &mut zip,
                archive,
                entry,
                &part.display_name(),
                on_conversation,
            )
        }
        Location::Stdin => read_stdin(cancelled, on_conversation),
        Location::Text { name, text } => read_text(name, text, on_conversation),
        Location::Fetched {
            url,
            body,
            published: Some(id),
        } => {
            let conversation = super::published::conversation(url, id, body)?;
            Ok(deliver_one(
                conversation,
                body.len() as u64,
                on_conversation,
            ))
        }
        Location::Fetched {
            url,
            body,
            published: None,
        } => read_document(url, body, on_conversation),
    }
}

/// The maximum text read from standard input when it is not JSON, because such text is held
/// whole in memory.
const MAX_TEXT_BYTES: u64 = 256 * 1024 * 1024;

/// Reads standard input: JSON is streamed like a file, and other text is searched for
/// artifacts.
fn read_stdin(
    cancelled: &dyn Fn() -> bool,
    on_conversation: &mut dyn FnMut(Conversation, ReadProgress) -> ControlFlow<()>,
) -> Result<ReadProgress, SourceError> {
    const NAME: &str = "standard input";
    let mut stdin = CancellableReader::new(io::stdin().lock(), cancelled);
    let mut head = Vec::with_capacity(HEAD_BYTES);
    (&mut stdin)
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|err| read_error(NAME, 0, &err))?;
    if starts_like_json(&head) {
        return stream_conversations(head.as_slice().chain(stdin), NAME, on_conversation);
    }
    if sniff_bytes(&head) == FileKind::Zip {
        return Err(SourceError::ZipOnStdin);
    }
    let mut text = head;
    // A terminal's Ctrl+D ends one read, not the input, so a short head is the whole text.
    if text.len() == HEAD_BYTES {
        stdin
            .take(MAX_TEXT_BYTES + 1)
            .read_to_end(&mut text)
            .map_err(|err| read_error(NAME, 0, &err))?;
    }
    if text.len() as u64 > MAX_TEXT_BYTES {
        return Err(SourceError::TextTooLarge {
            name: NAME.to_owned(),
            limit_mib: MAX_TEXT_BYTES / (1024 * 1024),
        });
    }
    read_text(NAME, &String::from_utf8_lossy(&text), on_conversation)
}

/// Reads a fetched document: an export's zip, JSON, or text with artifacts.
fn read_document(
    url: &str,
    body: &[u8],
    on_conversation: &mut dyn FnMut(Conversation, ReadProgress) -> ControlFlow<()>,
) -> Result<ReadProgress, SourceError> {
    match sniff_bytes(body) {
        FileKind::Zip => {}
        FileKind::JsonArray | FileKind::JsonObject => {
            return stream_conversations(body, url, on_conversation);
        }
        _ => return read_text(url, &String::from_utf8_lossy(body), on_conversation),
    }
    let path = Path::new(url);
    let mut zip =
        zip::ZipArchive::new(io::Cursor::new(body)).map_err(|source| SourceError::Zip {
            path: path.to_owned(),
            source,
        })?;
    let (entry, _) = super::detect::checked_conversations_entry(&mut zip, path)?;
    stream_entry(
        &mut zip,
        path,
        &entry,
        &format!("{url}!{entry}"),
        on_conversation,
    )
}

/// Streams the conversations of one archive entry whose declared size was checked.
fn stream_entry<R: Read + io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    archive: &Path,
    entry: &str,
    name: &str,
    on_conversation: &mut dyn FnMut(Conversation, ReadProgress) -> ControlFlow<()>,
) -> Result<ReadProgress, SourceError> {
    let mut reader = zip
        .by_name(entry)
        .map_err(|source| zip_error(archive, source))?;
    // Reading stops at the declared size even if the compressed data would unpack to more.
    let declared = reader.size();
    let mut limited = (&mut reader).take(declared);
    let progress = stream_conversations(&mut limited, name, on_conversation)?;
    if limited.limit() > 0 {
        // The read stopped early, as when the job was cancelled.
        return Ok(progress);
    }
    // The zip reader compares the entry's CRC-32 only when a read reaches the end of the
    // entry, which the size limit above never lets happen.
    let damaged = |detail: String| SourceError::DamagedEntry {
        name: name.to_owned(),
        detail,
    };
    match reader.read(&mut [0; 1]) {
        Ok(0) => Ok(progress),
        Ok(_) => Err(damaged(format!(
            "it unpacks to more than the {declared} bytes that the archive declares"
        ))),
        Err(err) if is_cancellation(&err) => Ok(progress),
        Err(err) => Err(damaged(format!("reading its end failed: {err}"))),
    }
}

/// Returns whether text starts, past a byte order mark and whitespace, with `[` or `{`.
fn starts_like_json(head: &[u8]) -> bool {
    matches!(
        sniff_bytes(head),
        FileKind::JsonArray | FileKind::JsonObject
    )
}

/// Streams conversations from any reader of JSON text; `name` appears in errors.
pub fn stream_conversations<R: Read>(
    reader: R,
    name: &str,
    on_conversation: &mut dyn FnMut(Conversation, ReadProgress) -> ControlFlow<()>,
) -> Result<ReadProgress, SourceError> {
    let mut head = Vec::with_capacity(HEAD_BYTES);
    let mut reader = reader;
    (&mut reader)
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|err| read_error(name, 0, &err))?;
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
    let first = text.iter().find(|byte| !byte.is_ascii_whitespace());
    let reader = head.as_slice().chain(reader);
    if first == Some(&b'[') {
        stream_array(reader, name, on_conversation)
    } else {
        read_object(reader, name, on_conversation)
    }
}

/// How many bytes [`stream_conversations`] reads first, in as many reads as it takes, to see
/// whether the input is an array or an object. The array splitter gets these bytes in one
/// piece, and only the later bytes in the sizes that the reader returns.
pub const HEAD_BYTES: usize = 64 * 1024;

fn stream_array<R: Read>(
    reader: R,
    name: &str,
    on_conversation: &mut dyn FnMut(Conversation, ReadProgress) -> ControlFlow<()>,
) -> Result<ReadProgress, SourceError> {
    let mut splitter = ArraySplitter::new(reader);
    let mut conversations = 0;
    let mut skipped = 0;
    loop {
        let (offset, element) = match splitter.next_element() {
            Ok(Some(next)) => next,
            Ok(None) => break,
            Err(SplitError::Syntax { offset, message }) => {
                return Err(SourceError::InvalidJson {
                    name: name.to_owned(),
                    offset,
                    message: message.to_owned(),
                });
            }
            Err(SplitError::Unterminated { offset, start }) => {
                return Err(SourceError::InvalidJson {
                    name: name.to_owned(),
                    offset,
                    message: format!(
                        "the file ends inside the conversation that starts at byte {start}, \
                         so a quote or bracket in it is missing, or the file was cut off"
                    ),
                });
            }
            Err(SplitError::Io(err)) => return Err(read_error(name, splitter.position(), &err)),
        };
        let conversation = match parse_element(element) {
            Ok(Some(conversation)) => conversation,
            Ok(None) => {
                skipped += 1;
                continue;
            }
            Err((err, inside)) => return Err(json_error(name, &err, offset + inside + 1)),
        };
        conversations += 1;
        let progress = ReadProgress {
            bytes: splitter.position(),
            conversations,
            skipped,
        };
        if on_conversation(conversation, progress).is_break() {
            return Ok(progress);
        }
    }
    Ok(ReadProgress {
        bytes: splitter.position(),
        conversations,
        skipped,
    })
}

/// Parses one array element. Returns `None` for a value that is not a conversation: not an
/// object, or an object with neither `uuid` nor `chat_messages`. On failure, returns the
/// error with its index in `element`.
fn parse_element(element: &[u8]) -> Result<Option<Conversation>, (serde_json::Error, u64)> {
    let parsed = parse_repaired::<Lenient<Conversation>>(element)?;
    Ok(parsed.0.filter(|conversation| {
        !conversation.uuid.is_empty() || !conversation.chat_messages.is_empty()
    }))
}

/// Reads a whole JSON object as one conversation.
fn read_object<R: Read>(
    mut reader: R,
    name: &str,
    on_conversation: &mut dyn FnMut(Conversation, ReadProgress) -> ControlFlow<()>,
) -> Result<ReadProgress, SourceError> {
    let mut text = Vec::new();
    reader
        .read_to_end(&mut text)
        .map_err(|err| read_error(name, text.len() as u64, &err))?;
    let bom = if text.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let body = &text[bom..];
    let conversation = parse_repaired::<Conversation>(body)
        .map_err(|(err, inside)| json_error(name, &err, (bom + 1) as u64 + inside))?;
    // A file is classified before it is read, but standard input and a fetched body are
    // not, so an object such as `{}` is rejected here as it would be for a file.
    if conversation.uuid.is_empty() && conversation.chat_messages.is_empty() {
        return Err(SourceError::UnknownFormat {
            path: PathBuf::from(name),
            detail: "the JSON object has no uuid and no chat_messages".to_owned(),
        });
    }
    Ok(deliver_one(
        conversation,
        text.len() as u64,
        on_conversation,
    ))
}

/// Reads pasted or piped text. JSON (an array or an object) is read like a file. Any other
/// text becomes one conversation whose artifacts come from the tags, marked blocks or fenced
/// code blocks in it. Text with none of these is an error.
pub fn read_text(
    name: &str,
    text: &str,
    on_conversation: &mut dyn FnMut(Conversation, ReadProgress) -> ControlFlow<()>,
) -> Result<ReadProgress, SourceError> {
    if starts_like_json(text.as_bytes()) {
        return stream_conversations(text.as_bytes(), name, on_conversation);
    }
    let Some(conversation) = super::text::text_conversation(name, text) else {
        return Err(SourceError::NoArtifacts {
            name: name.to_owned(),
        });
    };
    Ok(deliver_one(
        conversation,
        text.len() as u64,
        on_conversation,
    ))
}

/// Hands over an input that is a single conversation of `bytes` bytes.
fn deliver_one(
    conversation: Conversation,
    bytes: u64,
    on_conversation: &mut dyn FnMut(Conversation, ReadProgress) -> ControlFlow<()>,
) -> ReadProgress {
    let progress = ReadProgress {
        bytes,
        conversations: 1,
        skipped: 0,
    };
    // A single conversation has nothing left to stop, so the callback's result is not needed.
    let _ = on_conversation(conversation, progress);
    progress
}

/// Builds the error for broken JSON at `offset` bytes into `name`.
pub(super) fn json_error(name: &str, err: &serde_json::Error, offset: u64) -> SourceError {
    let message = err.to_string();
    // serde_json appends " at line L column C"; the message states those fields itself.
    let message = match message.find(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message,
    };
    SourceError::InvalidJson {
        name: name.to_owned(),
        offset: offset.saturating_sub(1),
        message,
    }
}

fn read_error(name: &str, offset: u64, err: &io::Error) -> SourceError {
    if is_cancellation(err) {
        return SourceError::Cancelled {
            name: name.to_owned(),
        };
    }
    SourceError::InvalidJson {
        name: name.to_owned(),
        offset,
        message: format!("reading failed: {err}"),
    }
}

/// Builds the error for a zip archive that could not be read, or [`SourceError::Cancelled`]
/// when the read was cancelled.
fn zip_error(archive: &Path, source: zip::result::ZipError) -> SourceError {
    match source {
        zip::result::ZipError::Io(err) if is_cancellation(&err) => SourceError::Cancelled {
            name: archive.display().to_string(),
        },
        source => SourceError::Zip {
            path: archive.to_owned(),
            source,
        },
    }
}

/// The error that [`CancellableReader`] returns once its job is cancelled.
#[derive(Debug, thiserror::Error)]
#[error("the read was cancelled")]
struct ReadCancelled;

/// Returns whether `err` comes from a [`CancellableReader`] whose job was cancelled.
fn is_cancellation(err: &io::Error) -> bool {
    err.get_ref()
        .is_some_and(|inner| inner.is::<ReadCancelled>())
}

/// A reader that fails with [`ReadCancelled`] once `cancelled` returns `true`, checked before
/// each read. The error is not `ErrorKind::Interrupted`, which `read_to_end` and the array
/// splitter retry.
struct CancellableReader<'a, R> {
    inner: R,
    cancelled: &'a dyn Fn() -> bool,
}

impl<'a, R> CancellableReader<'a, R> {
    fn new(inner: R, cancelled: &'a dyn Fn() -> bool) -> Self {
        Self { inner, cancelled }
    }
}

impl<R: Read> Read for CancellableReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if (self.cancelled)() {
            return Err(io::Error::other(ReadCancelled));
        }
        self.inner.read(buf)
    }
}

impl<R: io::Seek> io::Seek for CancellableReader<'_, R> {
    fn seek(&mut self, position: io::SeekFrom) -> io::Result<u64> {
        self.inner.seek(position)
    }
}

/// A buffered reader that counts the bytes handed out and skips a UTF-8 byte order mark.
pub(super) struct CountingReader<R> {
    inner: BufReader<R>,
    position: Rc<Cell<u64>>,
}

impl<R: Read> CountingReader<R> {
    /// Wraps `reader`; the returned cell contains the number of bytes consumed so far.
    pub(super) fn new(reader: R) -> io::Result<(Self, Rc<Cell<u64>>)> {
        let mut inner = BufReader::with_capacity(READ_BUFFER_BYTES, reader);
        let position = Rc::new(Cell::new(0));
        if inner.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
            inner.consume(3);
            position.set(3);
        }
        let reader = Self {
            inner,
            position: Rc::clone(&position),
        };
        Ok((reader, position))
    }
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.position.set(self.position.get() + read as u64);
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(json: &str) -> Result<Vec<Conversation>, SourceError> {
        let mut out = Vec::new();
        stream_conversations(json.as_bytes(), "test.json", &mut |conversation, _| {
            out.push(conversation);
            ControlFlow::Continue(())
        })?;
        Ok(out)
    }

    #[test]
    fn array_yields_each_conversation() {
        let conversations = collect(r#"[{"uuid":"a"},{"uuid":"b"}]"#).expect("valid JSON");
        let uuids: Vec<_> = conversations.iter().map(|c| c.uuid.as_str()).collect();
        assert_eq!(uuids, ["a", "b"]);
    }

    #[test]
    fn object_is_one_conversation() {
        let conversations = collect(r#"{"uuid":"a","chat_messages":[]}"#).expect("valid JSON");
        assert_eq!(conversations.len(), 1);
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let conversations = collect("\u{FEFF}[{\"uuid\":\"a\"}]").expect("valid JSON");
        assert_eq!(conversations.len(), 1);
    }

    #[test]
    fn non_object_elements_are_skipped() {
        let conversations = collect(r#"[null, 3, "x", {"uuid":"a"}]"#).expect("valid JSON");
        assert_eq!(conversations.len(), 1);
    }

    #[test]
    fn truncated_array_reports_offset() {
        let json = r#"[{"uuid":"a"},{"uuid":"b","name":"unfinis"#;
        let err = collect(json).expect_err("truncated JSON");
        let SourceError::InvalidJson { offset, .. } = err else {
            panic!("expected InvalidJson, got {err:?}");
        };
        assert!(offset >= 30, "offset {offset} should be near the end");
        assert!(offset <= json.len() as u64, "offset {offset} past the end");
    }

    #[test]
    fn unclosed_string_names_its_conversation() {
        let json = r#"[{"uuid":"a"},{"uuid":"b,"name":"x"}]"#;
        let err = collect(json).expect_err("unclosed string");
        let message = err.to_string();
        assert!(message.contains("starts at byte 14"), "{message}");
        assert!(message.contains("a quote or bracket"), "{message}");
    }

    #[test]
    fn error_message_names_file_and_byte() {
        let err = collect("[{]").expect_err("broken JSON");
        let message = err.to_string();
        assert!(message.contains("test.json"), "{message}");
        assert!(message.contains("at byte 2"), "{message}");
    }

    /// Reads `json` given as bytes, which need not be UTF-8.
    fn collect_bytes(json: &[u8]) -> Result<Vec<Conversation>, SourceError> {
        let mut out = Vec::new();
        stream_conversations(json, "test.json", &mut |conversation, _| {
            out.push(conversation);
            ControlFlow::Continue(())
        })?;
        Ok(out)
    }

    #[test]
    fn invalid_utf8_becomes_replacement_character() {
        let json = b"[{\"uuid\":\"a\",\"name\":\"caf\xE9 \xFF\"},{\"uuid\":\"b\"}]";
        let conversations = collect_bytes(json).expect("readable JSON");
        assert_eq!(conversations.len(), 2);
        assert_eq!(conversations[0].name, "caf\u{FFFD} \u{FFFD}");
    }

    #[test]
    fn broken_invalid_utf8_reports_input_offset() {
        let offset_of = |json: &[u8]| match collect_bytes(json) {
            Err(SourceError::InvalidJson { offset, .. }) => offset,
            other => panic!("expected InvalidJson, got {other:?}"),
        };
        // Three invalid bytes give the offset that three ASCII letters give, although the
        // repaired text has three bytes of U+FFFD for each of them.
        let invalid = offset_of(b"[{\"name\":\"\xFF\xFF\xFF\" : ,\"uuid\":\"a\"}]");
        let ascii = offset_of(b"[{\"name\":\"xyz\" : ,\"uuid\":\"a\"}]");
        assert_eq!(invalid, ascii);
    }

    #[test]
    fn invalid_utf8_object_is_repaired() {
        let conversations =
            collect_bytes(b"{\"uuid\":\"a\",\"name\":\"\xFF\",\"chat_messages\":[]}")
                .expect("a repaired object");
        assert_eq!(conversations[0].name, "\u{FFFD}");
    }

    #[test]
    fn trailing_garbage_is_an_error() {
        assert!(collect("[] x").is_err());
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        // serde_json skips unknown values without recursion, so nesting far past its
        // recursion limit in an ignored field is read, not rejected.
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let json = format!("[{{\"uuid\":\"a\",\"x\":{deep},\"chat_messages\":{deep}}}]");
        let conversations = collect(&json).expect("deep nesting in ignored values");
        assert_eq!(conversations.len(), 1);
    }

    #[test]
    fn deep_nesting_in_read_values_is_an_error() {
        // Values read whole, such as `is_error`, stop at serde_json's recursion limit.
        let deep = format!("{}{}", "[".repeat(1_000), "]".repeat(1_000));
        let block = format!("{{\"type\":\"tool_result\",\"is_error\":{deep}}}");
        let json = format!("[{{\"uuid\":\"a\",\"chat_messages\":[{{\"content\":[{block}]}}]}}]");
        let err = collect(&json).expect_err("recursion limit");
        assert!(matches!(err, SourceError::InvalidJson { .. }), "{err:?}");
    }

    /// Returns a JSON array of one conversation whose name has `bytes` letters.
    fn long_conversation(bytes: usize) -> String {
        format!(
            r#"[{{"uuid":"a","name":"{}","chat_messages":[]}}]"#,
            "x".repeat(bytes)
        )
    }

    /// Reads `part` with a cancellation check that returns `true` from its `calls`-th call on,
    /// and returns the result and how many conversations were delivered.
    fn read_cancelled_after(
        part: &Part,
        calls: usize,
    ) -> (Result<ReadProgress, SourceError>, usize) {
        let checks = Cell::new(0);
        let cancelled = || {
            checks.set(checks.get() + 1);
            checks.get() >= calls
        };
        let mut delivered = 0;
        let result = read_part(part, &cancelled, &mut |_, _| {
            delivered += 1;
            ControlFlow::Continue(())
        });
        (result, delivered)
    }

    /// Checks that `part`, which holds one long conversation, delivers it when not cancelled,
    /// and delivers nothing when cancelled at any of its first checks.
    fn assert_cancel_stops_reading(part: &Part) {
        let (uncancelled, delivered) = read_cancelled_after(part, usize::MAX);
        assert!(uncancelled.is_ok(), "{uncancelled:?}");
        assert_eq!(delivered, 1);

        for calls in [1, 2, 3, 5, 8] {
            let (result, delivered) = read_cancelled_after(part, calls);
            assert!(
                matches!(result, Err(SourceError::Cancelled { .. })),
                "cancelled at check {calls}: {result:?}"
            );
            assert_eq!(delivered, 0, "cancelled at check {calls}");
        }
    }

    #[test]
    fn cancel_stops_a_file_inside_a_conversation() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("long.json");
        let json = long_conversation(8 * 1024 * 1024);
        std::fs::write(&path, &json).expect("write the file");
        let part = Part {
            location: Location::File(path),
            size: json.len() as u64,
        };
        // The splitter reads at most 1 MiB at a time, so the 8 MiB file takes more than 8 reads.
        assert_cancel_stops_reading(&part);
    }

    #[test]
    fn cancel_stops_a_zip_entry() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let json = long_conversation(8 * 1024 * 1024);
        let part = stored_zip_part(folder.path(), &json);
        // Early checks stop the reading of the archive's directory, later ones the entry.
        assert_cancel_stops_reading(&part);
    }

    /// Writes `json` as the stored (uncompressed) entry `conversations.json` of a new zip in
    /// `folder`, and returns the part that reads it.
    fn stored_zip_part(folder: &Path, json: &str) -> Part {
        use std::io::Write as _;

        let archive = folder.join("export.zip");
        let mut zip = zip::ZipWriter::new(File::create(&archive).expect("create the archive"));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("conversations.json", options)
            .expect("start the entry");
        zip.write_all(json.as_bytes()).expect("write the entry");
        zip.finish().expect("finish the archive");
        Part {
            location: Location::ZipEntry {
                archive,
                entry: "conversations.json".to_owned(),
            },
            size: json.len() as u64,
        }
    }

    #[test]
    fn damaged_zip_entry_is_an_error() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let json = r#"[{"uuid":"a","name":"create table books"}]"#;
        let part = stored_zip_part(folder.path(), json);
        let Location::ZipEntry { archive, .. } = &part.location else {
            unreachable!("a zip entry");
        };
        let intact = read_part(&part, &|| false, &mut |_, _| ControlFlow::Continue(()));
        assert!(intact.is_ok(), "{intact:?}");

        // One letter of the stored text changes case, so the JSON stays valid.
        let mut bytes = std::fs::read(archive).expect("read the archive");
        let at = bytes
            .windows(6)
            .position(|window| window == b"create")
            .expect("the stored text");
        bytes[at] = b'C';
        std::fs::write(archive, bytes).expect("write the archive");
        let err = read_part(&part, &|| false, &mut |_, _| ControlFlow::Continue(()))
            .expect_err("a damaged entry");
        assert!(matches!(err, SourceError::DamagedEntry { .. }), "{err:?}");
        assert!(
            err.to_string().contains("download the export again"),
            "{err}"
        );
    }

    #[test]
    fn break_stops_reading() {
        let mut seen = 0;
        let result = stream_conversations(
            r#"[{"uuid":"a"},{"uuid":"b"},{"uuid":"c"}]"#.as_bytes(),
            "test.json",
            &mut |_, _| {
                seen += 1;
                ControlFlow::Break(())
            },
        );
        assert!(result.is_ok());
        assert_eq!(seen, 1);
    }
}
