//! Streams arbitrary bytes as conversation JSON, once whole and once through a reader that
//! returns a few bytes per read, and checks that both reads agree: the array splitter must
//! not depend on where its buffer refills fall.
//!
//! `stream_conversations` first reads `HEAD_BYTES` in as many reads as it takes, so inputs
//! shorter than that would reach the splitter in one piece whatever the reader does. Both
//! reads therefore get whitespace in front that ends 1 to 16 bytes into the JSON.

#![no_main]

use std::io::{self, Read};
use std::ops::ControlFlow;

use artifactor::source::{HEAD_BYTES, ReadProgress, stream_conversations};
use libfuzzer_sys::fuzz_target;

/// A reader that returns at most `chunk` bytes per call.
struct Trickle<'a> {
    data: &'a [u8],
    chunk: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let count = self.chunk.min(buffer.len()).min(self.data.len());
        buffer[..count].copy_from_slice(&self.data[..count]);
        self.data = &self.data[count..];
        Ok(count)
    }
}

/// Reads every conversation and returns their debug forms with the final progress, or the
/// error's message.
fn read_all(reader: impl Read) -> Result<(Vec<String>, ReadProgress), String> {
    let mut conversations = Vec::new();
    let progress = stream_conversations(reader, "fuzz", &mut |conversation, _| {
        // Rebuilding every conversation also runs the tag parser, the update replay and the
        // content scan on whatever the JSON holds.
        let rebuilt = artifactor::rebuild::rebuild(&conversation);
        for artifact in &rebuilt.artifacts {
            assert!(!artifact.versions.is_empty());
        }
        conversations.push(format!("{conversation:?}"));
        ControlFlow::Continue(())
    })
    .map_err(|err| err.to_string())?;
    Ok((conversations, progress))
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, json)) = data.split_first() else {
        return;
    };
    // Without padding, a byte order mark or a short input takes paths that padding hides.
    let _ = read_all(json);

    let chunk = usize::from(first % 16) + 1;
    let in_head = usize::from(first / 16) + 1;
    let mut padded = vec![b' '; HEAD_BYTES - in_head];
    padded.extend_from_slice(json);
    let whole = read_all(padded.as_slice());
    // The head is read whole either way, so only the bytes after it come in small reads.
    let (head, rest) = padded.split_at(HEAD_BYTES.min(padded.len()));
    let trickled = read_all(head.chain(Trickle { data: rest, chunk }));
    assert_eq!(
        whole, trickled,
        "reading {chunk} bytes at a time changed the result"
    );
});
