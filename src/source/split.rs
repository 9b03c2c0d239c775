//! Splitting a top-level JSON array into its elements without parsing them.
//!
//! Scanning for the end of an element only tracks strings, escapes and bracket depth, which
//! is several times faster than a full parse through `io::Read`. Each element is then parsed
//! from one contiguous slice, so memory grows only with the largest element, and an error's
//! byte offset is exact: the element's offset plus the position inside it.

use std::io::{self, Read};

/// How much more input to request at a time.
const READ_CHUNK_BYTES: usize = 1024 * 1024;

/// An error met while splitting the array.
#[derive(Debug)]
pub(super) enum SplitError {
    Io(io::Error),
    /// The text is not a JSON array at `offset`: a description of what was found.
    Syntax {
        offset: u64,
        message: &'static str,
    },
    /// The input ends at `offset`, inside the element that starts at `start`.
    Unterminated {
        offset: u64,
        start: u64,
    },
}

/// Reads the elements of a top-level JSON array one at a time.
pub(super) struct ArraySplitter<R> {
    reader: R,
    /// Input read so far in `buffer[..end]`, followed by zeroed space for the next read.
    buffer: Vec<u8>,
    /// Index in `buffer` just past the last byte read.
    end: usize,
    /// Index in `buffer` of the first byte not yet handed out.
    start: usize,
    /// Offset in the whole input of `buffer[0]`.
    base: u64,
    eof: bool,
    state: State,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the opening `[`.
    Opening,
    /// After `[`: an element or `]` comes next.
    FirstElement,
    /// After an element: `,` or `]` comes next.
    Separator,
    Done,
}

impl<R: Read> ArraySplitter<R> {
    pub(super) fn new(reader: R) -> Self {
        Self {
            reader,
            buffer: Vec::new(),
            end: 0,
            start: 0,
            base: 0,
            eof: false,
            state: State::Opening,
        }
    }

    /// Returns the number of bytes consumed so far.
    pub(super) fn position(&self) -> u64 {
        self.base + self.start as u64
    }

    /// Returns the next element and its offset, or `None` after the closing `]`.
    pub(super) fn next_element(&mut self) -> Result<Option<(u64, &[u8])>, SplitError> {
        loop {
            match self.state {
                State::Done => return Ok(None),
                State::Opening => {
                    self.skip_whitespace_and_bom()?;
                    self.expect_byte(b'[', "expected '[' at the start of the array")?;
                    self.state = State::FirstElement;
                }
                State::FirstElement => {
                    self.skip_whitespace()?;
                    if self.peek()? == Some(b']') {
                        self.start += 1;
                        return self.finish().map(|()| None);
                    }
                    return self.take_element().map(Some);
                }
                State::Separator => {
                    self.skip_whitespace()?;
                    match self.peek()? {
                        Some(b',') => {
                            self.start += 1;
                            self.skip_whitespace()?;
                            return self.take_element().map(Some);
                        }
                        Some(b']') => {
                            self.start += 1;
                            return self.finish().map(|()| None);
                        }
                        Some(_) => return Err(self.syntax("expected ',' or ']' after an element")),
                        None => return Err(self.syntax("the file ends inside the array")),
                    }
                }
            }
        }
    }

    /// Checks that only whitespace follows the closing `]`.
    fn finish(&mut self) -> Result<(), SplitError> {
        self.state = State::Done;
        self.skip_whitespace()?;
        match self.peek()? {
            None => Ok(()),
            Some(_) => Err(self.syntax("unexpected text after the end of the array")),
        }
    }

    fn take_element(&mut self) -> Result<(u64, &[u8]), SplitError> {
        let offset = self.position();
        let length = self.scan_element()?;
        let element_start = self.start;
        self.start += length;
        self.state = State::Separator;
        Ok((offset, &self.buffer[element_start..element_start + length]))
    }

    /// Returns the length of the element starting at `start`, reading more input as needed.
    fn scan_element(&mut self) -> Result<usize, SplitError> {
        let mut index = 0;
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        loop {
            if self.start + index >= self.end {
                if !self.fill()? {
                    return Err(SplitError::Unterminated {
                        offset: self.base + self.end as u64,
                        start: self.position(),
                    });
                }
                continue;
            }
            let byte = self.buffer[self.start + index];
            if in_string {
                if escaped {
                    escaped = false;
                } else if byte == b'\\' {
                    escaped = true;
                } else if byte == b'"' {
                    in_string = false;
                    if depth == 0 {
                        return Ok(index + 1);
                    }
                } else {
                    // Most of an export is string content: jump to the next quote or
                    // backslash instead of looking at every byte.
                    let rest = &self.buffer[self.start + index..self.end];
                    index += memchr::memchr2(b'"', b'\\', rest).unwrap_or(rest.len());
                    continue;
                }
                index += 1;
                continue;
            }
            match byte {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth > 0 => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(index + 1);
                    }
                }
                // A scalar element ends before the next separator or the closing bracket.
                b',' | b']' | b'}' if depth == 0 => return Ok(index),
                b' ' | b'\t' | b'\n' | b'\r' if depth == 0 && index > 0 => return Ok(index),
                _ => {}
            }
            index += 1;
        }
    }

    fn peek(&mut self) -> Result<Option<u8>, SplitError> {
        if self.start >= self.end && !self.fill()? {
            return Ok(None);
        }
        Ok(Some(self.buffer[self.start]))
    }

    fn expect_byte(&mut self, expected: u8, message: &'static str) -> Result<(), SplitError> {
        match self.peek()? {
            Some(byte) if byte == expected => {
                self.start += 1;
                Ok(())
            }
            _ => Err(self.syntax(message)),
        }
    }

    fn skip_whitespace(&mut self) -> Result<(), SplitError> {
        while let Some(byte) = self.peek()? {
            if !matches!(byte, b' ' | b'\t' | b'\n' | b'\r') {
                break;
            }
            self.start += 1;
        }
        Ok(())
    }

    fn skip_whitespace_and_bom(&mut self) -> Result<(), SplitError> {
        const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";
        // A reader may return the mark's three bytes in separate reads.
        while self.end - self.start < BYTE_ORDER_MARK.len() && self.fill()? {}
        if self.buffer[self.start..self.end].starts_with(BYTE_ORDER_MARK) {
            self.start += BYTE_ORDER_MARK.len();
        }
        self.skip_whitespace()
    }

    /// Drops the bytes already handed out and appends more input. Returns `false` at the end
    /// of the input.
    ///
    /// Only space that was never zeroed before is zeroed, so a reader that returns a few bytes
    /// per call, such as a pipe, does not cost a whole chunk of zeroing per call.
    fn fill(&mut self) -> Result<bool, SplitError> {
        if self.eof {
            return Ok(false);
        }
        if self.start > 0 {
            self.buffer.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.base += self.start as u64;
            self.start = 0;
        }
        let min_length = self.end + READ_CHUNK_BYTES;
        if self.buffer.len() < min_length {
            self.buffer.resize(min_length, 0);
        }
        let read = loop {
            match self.reader.read(&mut self.buffer[self.end..]) {
                Ok(read) => break read,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return Err(SplitError::Io(err)),
            }
        };
        self.end += read;
        if read == 0 {
            self.eof = true;
        }
        Ok(read > 0)
    }

    fn syntax(&self, message: &'static str) -> SplitError {
        SplitError::Syntax {
            offset: self.position(),
            message,
        }
    }
}

/// Converts serde_json's 1-based line and column inside `text` to a byte index.
pub(super) fn byte_index(text: &[u8], line: usize, column: usize) -> usize {
    let mut current_line = 1;
    let mut line_start = 0;
    if line > 1 {
        for (index, byte) in text.iter().enumerate() {
            if *byte == b'\n' {
                current_line += 1;
                if current_line == line {
                    line_start = index + 1;
                    break;
                }
            }
        }
    }
    (line_start + column.saturating_sub(1)).min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn split(text: &str) -> Result<Vec<(u64, String)>, String> {
        split_from(text.as_bytes())
    }

    fn split_from(reader: impl Read) -> Result<Vec<(u64, String)>, String> {
        let mut splitter = ArraySplitter::new(reader);
        let mut out = Vec::new();
        loop {
            match splitter.next_element() {
                Ok(Some((offset, bytes))) => {
                    out.push((offset, String::from_utf8_lossy(bytes).into_owned()));
                }
                Ok(None) => return Ok(out),
                Err(SplitError::Syntax { offset, message }) => {
                    return Err(format!("{offset}: {message}"));
                }
                Err(SplitError::Unterminated { offset, start }) => {
                    return Err(format!("ends at {offset} inside the element at {start}"));
                }
                Err(SplitError::Io(err)) => return Err(err.to_string()),
            }
        }
    }

    #[test]
    fn splits_objects_with_offsets() {
        let elements = split(r#"[{"a":1}, {"b":"}"}]"#).expect("valid");
        assert_eq!(
            elements,
            [
                (1, r#"{"a":1}"#.to_owned()),
                (10, r#"{"b":"}"}"#.to_owned())
            ]
        );
    }

    #[test]
    fn escaped_quotes_stay_inside_strings() {
        let elements = split(r#"[{"a":"x\"]}"}]"#).expect("valid");
        assert_eq!(elements.len(), 1);
    }

    #[test]
    fn scalars_are_elements() {
        let elements = split("[1, null ,\"x\"]").expect("valid");
        let texts: Vec<_> = elements.into_iter().map(|(_, text)| text).collect();
        assert_eq!(texts, ["1", "null", "\"x\""]);
    }

    #[test]
    fn empty_array() {
        assert_eq!(split(" \n[ ] ").expect("valid"), []);
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let elements = split("\u{FEFF}[{}]").expect("valid");
        assert_eq!(elements, [(4, "{}".to_owned())]);
    }

    #[test]
    fn truncated_element_is_an_error() {
        let err = split(r#"[{}, {"a":"unfinished"#).expect_err("truncated");
        assert_eq!(err, "ends at 21 inside the element at 5");
    }

    #[test]
    fn missing_separator_is_an_error() {
        assert!(split("[{} {}]").is_err());
    }

    #[test]
    fn trailing_text_is_an_error() {
        assert!(split("[] x").is_err());
    }

    #[test]
    fn not_an_array_is_an_error() {
        assert!(split("{}").is_err());
    }

    #[test]
    fn elements_larger_than_a_chunk() {
        let big = "x".repeat(3 * READ_CHUNK_BYTES);
        let text = format!("[\"{big}\",{{}}]");
        let elements = split(&text).expect("valid");
        assert_eq!(elements.len(), 2);
        assert_eq!(elements[1].0, (big.len() + 4) as u64);
    }

    #[test]
    fn small_reads_split_the_same() {
        let texts = [
            r#"[{"a":"x\"]}"}, 12 ,"s\\",[[]] , null]"#,
            "\u{FEFF} [ {\"b\":\"}\"} ,{}]  ",
            r#"[{"a":"unfinished"#,
            "[1 2]",
            "[] x",
        ];
        for text in texts {
            let whole = split(text);
            for chunk in 1..=17 {
                let trickled = split_from(Trickle {
                    data: text.as_bytes(),
                    chunk,
                });
                assert_eq!(trickled, whole, "{chunk} bytes per read of {text:?}");
            }
        }
    }

    #[test]
    fn byte_index_counts_lines() {
        let text = b"ab\ncd\nef";
        assert_eq!(byte_index(text, 1, 2), 1);
        assert_eq!(byte_index(text, 3, 1), 6);
    }
}
