//! The manifest entries of a running job, kept in an unnamed temporary file.
//!
//! A job writes one entry per file, and an export of many small artifacts has hundreds of
//! thousands of files. Kept in memory, their entries took about 600 bytes each (measured
//! on 53,456 and 100,412 files), so the log keeps them on disk as JSON lines and keeps only
//! each line's offset in memory.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::manifest::ManifestEntry;

/// The number of entries collected in memory before they are written to the file together.
const ENTRIES_PER_WRITE: usize = 256;

/// A list of manifest entries in a temporary file, addressed by the index of each push.
///
/// When a write to the file fails, as on a full disk, the entries that it did not take and
/// every later one stay in memory, so that pushing never fails and nothing is lost.
#[derive(Debug)]
pub struct EntryLog {
    file: Option<File>,
    /// Whether entries still go to the file: false once a write failed.
    writable: bool,
    /// The offset of each entry in the file, in push order.
    offsets: Vec<u64>,
    /// The length of the file.
    end: u64,
    /// The entries after the file's: those not written yet, or, once a write failed, every
    /// later one.
    memory: Vec<ManifestEntry>,
    /// The indices of removed entries.
    removed: Bits,
}

impl Default for EntryLog {
    fn default() -> Self {
        Self::in_memory()
    }
}

impl EntryLog {
    /// Creates an empty log in an unnamed file in `folder`, which the system deletes when
    /// the log is dropped or the process ends.
    pub fn new(folder: &Path) -> io::Result<Self> {
        Ok(Self::with_file(Some(tempfile::tempfile_in(folder)?)))
    }

    /// Creates an empty log that keeps every entry in memory.
    pub fn in_memory() -> Self {
        Self::with_file(None)
    }

    fn with_file(file: Option<File>) -> Self {
        Self {
            writable: file.is_some(),
            file,
            offsets: Vec::new(),
            end: 0,
            memory: Vec::new(),
            removed: Bits::default(),
        }
    }

    /// Returns the number of entries pushed, removed ones included.
    pub fn pushed(&self) -> usize {
        self.offsets.len() + self.memory.len()
    }

    /// Returns the number of entries not removed.
    pub fn len(&self) -> usize {
        self.pushed() - self.removed.len()
    }

    /// Returns whether every entry pushed was removed, or none was pushed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds an entry and returns its index.
    pub fn push(&mut self, entry: ManifestEntry) -> usize {
        let index = self.pushed();
        self.memory.push(entry);
        if self.writable && self.memory.len() >= ENTRIES_PER_WRITE {
            self.write_memory();
        }
        index
    }

    /// Removes the entry at `index`. Its index stays taken.
    pub fn remove(&mut self, index: usize) {
        if index < self.pushed() {
            self.removed.insert(index);
        }
    }

    /// Returns the entry at `index`, or `None` when it was removed or never pushed.
    pub fn get(&mut self, index: usize) -> io::Result<Option<ManifestEntry>> {
        if self.removed.contains(index) {
            return Ok(None);
        }
        if let Some(in_memory) = index.checked_sub(self.offsets.len()) {
            return Ok(self.memory.get(in_memory).cloned());
        }
        let file = self.file.as_mut().ok_or_else(lost_file)?;
        let start = self.offsets[index];
        let end = self.offsets.get(index + 1).copied().unwrap_or(self.end);
        let mut line = vec![0; usize::try_from(end - start).map_err(io::Error::other)?];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut line)?;
        parse_line(&line).map(Some)
    }

    /// Calls `visit` with each entry that was not removed, in push order, and stops at the
    /// first error of reading the file or of `visit`.
    pub fn for_each<E: From<io::Error>>(
        &mut self,
        mut visit: impl FnMut(ManifestEntry) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut entries = self.entries()?;
        while let Some((_, entry)) = entries.next_entry()? {
            visit(entry)?;
        }
        Ok(())
    }

    /// Returns a reader of the entries that were not removed, in push order, with their
    /// indices.
    pub fn entries(&mut self) -> io::Result<Entries<'_>> {
        let reader = match &mut self.file {
            Some(file) if !self.offsets.is_empty() => {
                file.seek(SeekFrom::Start(0))?;
                Some(BufReader::new(&*file))
            }
            _ => None,
        };
        Ok(Entries {
            reader,
            offsets: self.offsets.len(),
            memory: &self.memory,
            removed: &self.removed,
            index: 0,
            line: Vec::new(),
        })
    }

    /// Appends the entries in memory to the file, one JSON line each. When that fails, they
    /// stay in memory, and so does every later entry.
    fn write_memory(&mut self) {
        let Some(file) = self.file.as_mut().filter(|_| self.writable) else {
            return;
        };
        let mut lines = Vec::new();
        let mut starts = Vec::with_capacity(self.memory.len());
        let mut written = Ok(());
        for entry in &self.memory {
            starts.push(self.end + lines.len() as u64);
            written = serde_json::to_writer(&mut lines, entry).map_err(io::Error::from);
            if written.is_err() {
                break;
            }
            lines.push(b'\n');
        }
        let written = written
            .and_then(|()| file.seek(SeekFrom::Start(self.end)))
            .and_then(|_| file.write_all(&lines));
        match written {
            Ok(()) => {
                self.offsets.extend(starts);
                self.end += lines.len() as u64;
                self.memory.clear();
            }
            Err(err) => {
                // Logged at info, because the run goes on unharmed and a full disk is
                // reported by the writes of the files themselves.
                tracing::info!(
                    error = %err,
                    "writing manifest entries to a temporary file failed, so they stay in memory"
                );
                // The entries written before stay in the file and are read from there.
                self.writable = false;
            }
        }
    }
}

/// Reads the entries of an [`EntryLog`] one at a time, from [`EntryLog::entries`].
pub struct Entries<'a> {
    /// The log's file, read from its start, while entries in the file remain.
    reader: Option<BufReader<&'a File>>,
    /// The number of entries in the file.
    offsets: usize,
    memory: &'a [ManifestEntry],
    removed: &'a Bits,
    /// The index of the next entry.
    index: usize,
    line: Vec<u8>,
}

impl Entries<'_> {
    /// Returns the next entry that was not removed, with its index, or `None` after the last.
    pub fn next_entry(&mut self) -> io::Result<Option<(usize, ManifestEntry)>> {
        loop {
            let index = self.index;
            let removed = self.removed.contains(index);
            if index < self.offsets {
                let reader = self.reader.as_mut().ok_or_else(lost_file)?;
                self.line.clear();
                reader.read_until(b'\n', &mut self.line)?;
                self.index += 1;
                if !removed {
                    return parse_line(&self.line).map(|entry| Some((index, entry)));
                }
            } else {
                let Some(entry) = self.memory.get(index - self.offsets) else {
                    return Ok(None);
                };
                self.index += 1;
                if !removed {
                    return Ok(Some((index, entry.clone())));
                }
            }
        }
    }
}

/// A set of indices, one bit each up to the largest.
#[derive(Debug, Default)]
pub struct Bits {
    words: Vec<u64>,
    /// The number of bits set.
    len: usize,
}

impl Bits {
    /// Adds `index` to the set.
    pub fn insert(&mut self, index: usize) {
        let word = index / 64;
        if self.words.len() <= word {
            self.words.resize(word + 1, 0);
        }
        let bit = 1 << (index % 64);
        if self.words[word] & bit == 0 {
            self.words[word] |= bit;
            self.len += 1;
        }
    }

    /// Returns whether `index` is in the set.
    pub fn contains(&self, index: usize) -> bool {
        self.words
            .get(index / 64)
            .is_some_and(|word| word & (1 << (index % 64)) != 0)
    }

    /// Returns the number of indices in the set.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Returns whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

fn parse_line(line: &[u8]) -> io::Result<ManifestEntry> {
    serde_json::from_slice(line).map_err(io::Error::from)
}

fn lost_file() -> io::Error {
    io::Error::other("the temporary file of manifest entries is gone")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::manifest::test_entry;

    /// Returns an entry for `path` with a warning, so that the log's lines carry a list.
    fn entry(path: &str) -> ManifestEntry {
        ManifestEntry {
            warnings: vec!["a warning".to_owned()],
            ..test_entry("c1", path, &"ab".repeat(32))
        }
    }

    fn paths(log: &mut EntryLog) -> Vec<String> {
        let mut paths = Vec::new();
        log.for_each(|entry| {
            paths.push(entry.path);
            Ok::<_, io::Error>(())
        })
        .expect("the log reads");
        paths
    }

    #[test]
    fn entries_read_back_in_order() {
        let temp = tempfile::tempdir().expect("temporary folder");
        let mut log = EntryLog::new(temp.path()).expect("a log");
        // Enough entries for several writes to the file.
        let expected: Vec<String> = (0..2000).map(|n| format!("chat/file {n}.md")).collect();
        for path in &expected {
            log.push(entry(path));
        }
        assert_eq!(log.len(), 2000);
        assert_eq!(paths(&mut log), expected);
        let got = log.get(1234).expect("the log reads");
        assert_eq!(got, Some(entry("chat/file 1234.md")));
    }

    #[test]
    fn removed_entries_are_skipped() {
        let temp = tempfile::tempdir().expect("temporary folder");
        let mut log = EntryLog::new(temp.path()).expect("a log");
        let first = log.push(entry("a.md"));
        log.push(entry("b.md"));
        log.remove(first);
        log.push(entry("c.md"));
        assert_eq!(log.len(), 2);
        assert_eq!(log.get(first).expect("the log reads"), None);
        assert_eq!(paths(&mut log), ["b.md", "c.md"]);
    }

    #[test]
    fn reader_gives_indices_of_entries_left() {
        let temp = tempfile::tempdir().expect("temporary folder");
        let mut log = EntryLog::new(temp.path()).expect("a log");
        // Some entries in the file, the last ones still in memory.
        let count = ENTRIES_PER_WRITE + 44;
        for n in 0..count {
            log.push(entry(&format!("file {n}.md")));
        }
        for index in [0, 100, count - 1, 100] {
            log.remove(index);
        }
        assert_eq!(log.len(), count - 3);
        let mut reader = log.entries().expect("the log reads");
        let mut indices = Vec::new();
        while let Some((index, entry)) = reader.next_entry().expect("the log reads") {
            assert_eq!(entry.path, format!("file {index}.md"));
            indices.push(index);
        }
        let expected: Vec<usize> = (1..count - 1).filter(|&index| index != 100).collect();
        assert_eq!(indices, expected);
    }

    #[test]
    fn log_leaves_no_file_behind() {
        let temp = tempfile::tempdir().expect("temporary folder");
        let mut log = EntryLog::new(temp.path()).expect("a log");
        log.push(entry("a.md"));
        assert_eq!(paths(&mut log), ["a.md"]);
        let names = std::fs::read_dir(temp.path()).expect("a folder").count();
        assert_eq!(names, 0);
    }

    #[test]
    fn failed_write_keeps_entries() {
        let temp = tempfile::tempdir().expect("temporary folder");
        let path = temp.path().join("entries");
        std::fs::write(&path, "").expect("an empty file");
        // A file opened for reading only fails every write.
        let file = File::open(&path).expect("the file opens");
        let mut log = EntryLog::with_file(Some(file));
        let expected: Vec<String> = (0..ENTRIES_PER_WRITE * 2)
            .map(|n| format!("file {n}.md"))
            .collect();
        for path in &expected {
            log.push(entry(path));
        }
        assert_eq!(paths(&mut log), expected);
        assert_eq!(std::fs::read(&path).expect("the file reads"), b"");
    }

    #[test]
    fn in_memory_log_keeps_entries() {
        let mut log = EntryLog::in_memory();
        log.push(entry("a.md"));
        let second = log.push(entry("b.md"));
        log.remove(second);
        log.push(entry("c.md"));
        assert_eq!(paths(&mut log), ["a.md", "c.md"]);
        assert_eq!(
            log.get(0).expect("the log reads").map(|entry| entry.path),
            Some("a.md".to_owned())
        );
    }
}
