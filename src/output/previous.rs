//! The manifest that an earlier run left in an output folder, read one entry at a time.
//!
//! A rerun needs the earlier run's entries: to know which files it may replace, to remove
//! files that no copy of their conversation produces any more, and to keep listing the files
//! of conversations that it did not read. The manifest of 100,412 files takes 53 MB, and
//! parsed whole it took more than 100 MiB, so the entries go to an [`EntryLog`], and only
//! 128-bit hashes of their paths and conversations stay in memory.

use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::entry_log::EntryLog;
use super::manifest::{MANIFEST_FILE, ManifestEntry, is_plain_relative_path};
use super::prepare::OutputError;
use super::write::{Owner, RecordedFiles};
use crate::stable_hash::stable_hash;

/// The manifest of an earlier run, with its entries in a temporary file.
#[derive(Debug)]
pub struct PreviousManifest {
    /// The inputs of the earlier run, as given to it.
    pub inputs: Vec<String>,
    /// Problems found in the manifest: entries that could not be read, or damage after which
    /// the rest was lost. The files of entries left out are treated like files that
    /// artifactor did not write.
    pub problems: Vec<String>,
    entries: Mutex<EntryLog>,
    /// The index of the entry with each path, by the [`stable_hash`] of the path. Two paths
    /// with one hash would count as one, but the odds are as small as for the planner's
    /// uuids.
    by_path: HashMap<u128, usize>,
    /// The hashes of the conversation uuids in the entries, except the empty one, sorted,
    /// each once.
    conversations: Vec<u128>,
}

impl PreviousManifest {
    /// Reads the manifest that an earlier run left in `root`.
    ///
    /// Returns `None` when there is none. A `manifest.json` that artifactor did not write is
    /// an error, because the run would replace another program's file, unless `force` is set.
    /// Entries whose path is not a plain relative path are left out: artifactor writes no
    /// such path, so they were edited by hand, and the files they name are treated like
    /// files that artifactor did not write. Of the entries with one path, the last is kept.
    ///
    /// An entry that cannot be read is left out, and a manifest of artifactor's that is
    /// damaged part way keeps the entries before the damage. [`problems`](Self::problems)
    /// lists both. An empty file, or one of only spaces or NUL bytes, as a power cut can leave,
    /// counts as a damaged manifest of artifactor's. A leading byte order mark is skipped.
    pub fn load(root: &Path, force: bool) -> Result<Option<Self>, OutputError> {
        let path = root.join(MANIFEST_FILE);
        let io_error = |source| OutputError::Io {
            path: path.clone(),
            source,
        };
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(io_error(source)),
        };

        let entries = EntryLog::new(root).map_err(|source| OutputError::Io {
            path: root.to_owned(),
            source,
        })?;
        let mut loading = Loading {
            manifest: Self {
                inputs: Vec::new(),
                problems: Vec::new(),
                entries: Mutex::new(entries),
                by_path: HashMap::new(),
                conversations: Vec::new(),
            },
            path: &path,
            unreadable: 0,
            first_unreadable: None,
            unusual_paths: 0,
        };

        let mut reader = BufReader::with_capacity(1 << 16, file);
        skip_byte_order_mark(&mut reader).map_err(io_error)?;
        let mut deserializer = serde_json::Deserializer::from_reader(reader);
        let read = ManifestSeed(&mut loading)
            .deserialize(&mut deserializer)
            .and_then(|()| deserializer.end());

        let damage = match read {
            Ok(()) => None,
            Err(err) if err.is_io() => return Err(io_error(err.into())),
            Err(err) => Some(err),
        };
        let blank = match &damage {
            None => false,
            Some(_) => {
                let (ours, blank) = inspect(&path).map_err(io_error)?;
                if !ours && !blank {
                    return match force {
                        true => Ok(None),
                        false => Err(OutputError::ForeignManifest { path }),
                    };
                }
                blank
            }
        };

        loading.record_problems(damage, blank);

        let mut manifest = loading.manifest;
        manifest.conversations.sort_unstable();
        manifest.conversations.dedup();
        manifest.conversations.shrink_to_fit();
        Ok(Some(manifest))
    }

    /// Returns the entries, which stay locked while the guard lives.
    pub fn entries(&self) -> MutexGuard<'_, EntryLog> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Returns the number of conversations with entries, not counting entries without a
    /// conversation uuid.
    pub fn conversation_count(&self) -> usize {
        self.conversations.len()
    }

    /// Returns the number of conversation `uuid` among the conversations with entries, from 0
    /// to [`conversation_count`](Self::conversation_count), or `None` when no entry belongs
    /// to it.
    pub fn conversation(&self, uuid: &str) -> Option<usize> {
        if uuid.is_empty() {
            return None;
        }
        self.conversations
            .binary_search(&stable_hash(uuid.as_bytes()))
            .ok()
    }

    /// Returns the index in [`entries`](Self::entries) of the entry with `path`.
    pub fn entry_of_path(&self, path: &str) -> Option<usize> {
        self.by_path.get(&stable_hash(path.as_bytes())).copied()
    }

    fn push(&mut self, mut entry: ManifestEntry) {
        // Checksums are compared as lowercase hex.
        entry.sha256.make_ascii_lowercase();
        if !entry.conversation_uuid.is_empty() {
            // Sorted and deduplicated once every entry is read.
            self.conversations
                .push(stable_hash(entry.conversation_uuid.as_bytes()));
        }
        let key = stable_hash(entry.path.as_bytes());
        let log = self
            .entries
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        let index = log.push(entry);
        if let Some(earlier) = self.by_path.insert(key, index) {
            log.remove(earlier);
        }
    }
}

impl RecordedFiles for PreviousManifest {
    fn owner(&self, relative: &str) -> Option<Owner> {
        let index = *self.by_path.get(&stable_hash(relative.as_bytes()))?;
        match self.entries().get(index) {
            Ok(Some(entry)) if entry.path == relative => {
                Owner::new(&entry.sha256, &entry.conversation_uuid)
            }
            Ok(_) => None,
            // The file then counts as another program's, so it is left alone.
            Err(err) => {
                tracing::warn!(path = relative, error = %err, "reading back an earlier manifest entry failed");
                None
            }
        }
    }
}

/// Skips a UTF-8 byte order mark at the start of `reader`, as some editors write one.
fn skip_byte_order_mark(reader: &mut impl BufRead) -> io::Result<()> {
    const MARK: &[u8] = b"\xEF\xBB\xBF";
    if reader.fill_buf()?.starts_with(MARK) {
        reader.consume(MARK.len());
    }
    Ok(())
}

/// Returns whether the file at `path` contains the key `"artifactor_version"`, which every
/// manifest of artifactor starts with, and whether it contains nothing but whitespace and
/// NUL bytes.
fn inspect(path: &Path) -> io::Result<(bool, bool)> {
    const KEY: &[u8] = b"\"artifactor_version\"";
    let mut file = File::open(path)?;
    let mut buffer = vec![0; 1 << 16];
    let mut blank = true;
    // Bytes carried over from the previous read, so that a key split between two reads is found.
    let mut carried = 0;
    loop {
        let read = file.read(&mut buffer[carried..])?;
        if read == 0 {
            return Ok((false, blank));
        }
        let filled = carried + read;
        blank &= buffer[carried..filled]
            .iter()
            .all(|byte| *byte == 0 || byte.is_ascii_whitespace());
        if buffer[..filled]
            .windows(KEY.len())
            .any(|window| window == KEY)
        {
            return Ok((true, false));
        }
        carried = filled.min(KEY.len() - 1);
        buffer.copy_within(filled - carried..filled, 0);
    }
}

/// A manifest being read.
struct Loading<'a> {
    manifest: PreviousManifest,
    path: &'a Path,
    /// The number of entries that could not be read.
    unreadable: usize,
    /// The reason the first of them could not be read, with its position.
    first_unreadable: Option<String>,
    /// The number of entries left out for their path.
    unusual_paths: usize,
}

impl Loading<'_> {
    /// Adds to the manifest's problems the entries left out and the `damage` that stopped
    /// reading, if any, in a file that was `blank`.
    fn record_problems(&mut self, damage: Option<serde_json::Error>, blank: bool) {
        let path = self.path.display();
        let entries_kept = self.manifest.entries().len();
        let problems = &mut self.manifest.problems;
        if blank {
            problems.push(format!(
                "{path} is empty, as a crash can leave it, so it is written again"
            ));
        } else if let Some(err) = damage {
            problems.push(format!(
                "{path} is damaged ({err}): the {entries_kept} entries before the damage are \
                 kept, the files of the others are treated like files that artifactor did not \
                 write, and the manifest is written again"
            ));
        }
        if let Some(first) = &self.first_unreadable {
            problems.push(format!(
                "{path}: entries that could not be read were left out ({}, the first: \
                 {first}); the files they name are treated like files that artifactor did \
                 not write",
                self.unreadable
            ));
        }
        if self.unusual_paths > 0 {
            problems.push(format!(
                "{path}: entries whose path leads outside the output folder or is not one \
                 that artifactor writes were left out ({}); the files they name are treated \
                 like files that artifactor did not write",
                self.unusual_paths
            ));
        }
        // The job reports the problems as warnings.
        for problem in problems.iter() {
            tracing::info!("{problem}");
        }
    }
}

/// Reads the fields of a manifest, passing its entries to [`Loading`] one by one.
struct ManifestSeed<'a, 'b>(&'a mut Loading<'b>);

impl<'de> DeserializeSeed<'de> for ManifestSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ManifestSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an artifactor manifest")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = [false; 4];
        const FIELDS: [&str; 4] = ["artifactor_version", "created_at", "inputs", "artifacts"];
        while let Some(key) = map.next_key::<String>()? {
            let Some(field) = FIELDS.iter().position(|field| *field == key) else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            // A repeated field is read again: the last `inputs` counts, as in most JSON
            // readers, and the entries of each `artifacts` list are kept.
            seen[field] = true;
            match field {
                0 | 1 => {
                    map.next_value::<String>()?;
                }
                2 => self.0.manifest.inputs = map.next_value()?,
                _ => map.next_value_seed(EntriesSeed(&mut *self.0))?,
            }
        }
        match seen.iter().position(|seen| !seen) {
            Some(missing) => Err(de::Error::missing_field(FIELDS[missing])),
            None => Ok(()),
        }
    }
}

/// Reads the `artifacts` list of a manifest.
struct EntriesSeed<'a, 'b>(&'a mut Loading<'b>);

impl<'de> DeserializeSeed<'de> for EntriesSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for EntriesSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a list of manifest entries")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut position = 0;
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            position += 1;
            let entry = match serde_json::from_str::<ManifestEntry>(raw.get()) {
                Ok(entry) => entry,
                Err(err) => {
                    self.0.unreadable += 1;
                    self.0
                        .first_unreadable
                        .get_or_insert_with(|| format!("entry {position}, {err}"));
                    continue;
                }
            };
            if !is_plain_relative_path(&entry.path) {
                tracing::info!(path = %self.0.path.display(), entry = %entry.path, "ignoring a manifest entry whose path is not a plain relative path");
                self.0.unusual_paths += 1;
                continue;
            }
            self.0.manifest.push(entry);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::output::manifest::test_entry as entry;
    use crate::output::{Manifest, write_manifest};

    fn write(root: &Path, entries: Vec<ManifestEntry>) {
        let manifest = Manifest {
            artifactor_version: "0.1.0".to_owned(),
            created_at: "2026-12-05T00:00:00Z".to_owned(),
            inputs: vec!["export.zip".to_owned()],
            artifacts: entries,
        };
        write_manifest(root, &manifest).expect("the manifest is written");
    }

    fn paths(manifest: &PreviousManifest) -> Vec<String> {
        let mut paths = Vec::new();
        manifest
            .entries()
            .for_each(|entry| {
                paths.push(entry.path);
                Ok::<_, io::Error>(())
            })
            .expect("the entries read back");
        paths
    }

    #[test]
    fn entries_read_back_in_order() {
        let temp = tempfile::tempdir().expect("temporary folder");
        let expected: Vec<String> = (0..600).map(|n| format!("chat/file {n}.md")).collect();
        let sha = "ab".repeat(32);
        write(
            temp.path(),
            expected
                .iter()
                .map(|path| entry("c1", path, &sha))
                .collect(),
        );
        let manifest = PreviousManifest::load(temp.path(), false)
            .expect("readable")
            .expect("a manifest");
        assert_eq!(manifest.inputs, ["export.zip"]);
        assert_eq!(paths(&manifest), expected);
        assert_eq!(manifest.conversation_count(), 1);
        assert_eq!(manifest.conversation("c1"), Some(0));
        assert_eq!(manifest.conversation("c2"), None);
        assert_eq!(manifest.conversation(""), None);
        assert_eq!(manifest.entry_of_path("chat/file 7.md"), Some(7));
    }

    #[test]
    fn last_entry_of_a_path_is_kept() {
        let temp = tempfile::tempdir().expect("temporary folder");
        let (first, last) = ("01".repeat(32), "02".repeat(32));
        write(
            temp.path(),
            vec![
                entry("c1", "chat/a.md", &first),
                entry("c2", "chat/a.md", &last),
                entry("c3", "chat/b.md", "not hex"),
            ],
        );
        let manifest = PreviousManifest::load(temp.path(), false)
            .expect("readable")
            .expect("a manifest");
        let expected = Owner::new(&last, "c2").expect("a hex checksum");
        assert_eq!(manifest.owner("chat/a.md"), Some(expected));
        assert_eq!(paths(&manifest), ["chat/a.md", "chat/b.md"]);
        assert_eq!(manifest.entry_of_path("chat/a.md"), Some(1));
        assert_eq!(manifest.conversation_count(), 3);
        assert_eq!(
            manifest.owner("chat/b.md"),
            None,
            "a checksum that is not hex"
        );
        assert_eq!(manifest.owner("chat/c.md"), None);
    }

    #[test]
    fn unusual_paths_are_left_out() {
        let temp = tempfile::tempdir().expect("temporary folder");
        let paths_written = [
            "chat/a.md",
            "../outside.md",
            "./a.md",
            "chat//a.md",
            "chat\\a.md",
        ];
        let sha = "ab".repeat(32);
        write(
            temp.path(),
            paths_written
                .iter()
                .map(|path| entry("c1", path, &sha))
                .collect(),
        );
        let manifest = load(temp.path());
        assert_eq!(paths(&manifest), ["chat/a.md"]);
        assert_eq!(manifest.problems.len(), 1);
        assert!(
            manifest.problems[0].contains("were left out (4)"),
            "{:?}",
            manifest.problems
        );
    }

    #[test]
    fn missing_manifest_is_none() {
        let temp = tempfile::tempdir().expect("temporary folder");
        let loaded = PreviousManifest::load(temp.path(), false).expect("no error");
        assert!(loaded.is_none());
    }

    #[test]
    fn foreign_manifest_is_refused_unless_forced() {
        let temp = tempfile::tempdir().expect("temporary folder");
        fs::write(
            temp.path().join(MANIFEST_FILE),
            r#"{"name": "another tool"}"#,
        )
        .expect("write");
        let err = PreviousManifest::load(temp.path(), false).expect_err("another program's");
        assert!(matches!(err, OutputError::ForeignManifest { .. }), "{err}");
        let forced = PreviousManifest::load(temp.path(), true).expect("forced");
        assert!(forced.is_none());
    }

    /// Loads the manifest in `root`, which must be one of artifactor's.
    fn load(root: &Path) -> PreviousManifest {
        PreviousManifest::load(root, false)
            .expect("readable")
            .expect("a manifest")
    }

    #[test]
    fn damaged_manifest_keeps_entries_before_the_damage() {
        let temp = tempfile::tempdir().expect("temporary folder");
        let sha = "ab".repeat(32);
        write(
            temp.path(),
            vec![
                entry("c1", "chat/a.md", &sha),
                entry("c1", "chat/b.md", &sha),
            ],
        );
        let path = temp.path().join(MANIFEST_FILE);
        let text = fs::read_to_string(&path).expect("read");
        let cut = text.find("chat/b.md").expect("the second entry");
        fs::write(&path, &text[..cut]).expect("write");
        let manifest = load(temp.path());
        assert_eq!(paths(&manifest), ["chat/a.md"]);
        assert_eq!(manifest.problems.len(), 1);
        assert!(
            manifest.problems[0].contains("is damaged"),
            "{:?}",
            manifest.problems
        );
    }

    #[test]
    fn damaged_key_far_into_the_file_is_found() {
        let temp = tempfile::tempdir().expect("temporary folder");
        // The key comes after more than one read of the file, split between two reads.
        let padding = " ".repeat((1 << 16) - 5);
        let text = format!("{{{padding}\"artifactor_version\": \"0.1.0\", \"artifacts\": [");
        fs::write(temp.path().join(MANIFEST_FILE), text).expect("write");
        let manifest = load(temp.path());
        assert_eq!(paths(&manifest), Vec::<String>::new());
        assert_eq!(manifest.problems.len(), 1);
    }

    #[test]
    fn manifest_without_entries_field_is_damaged() {
        let temp = tempfile::tempdir().expect("temporary folder");
        let text = r#"{"artifactor_version": "0.1.0", "created_at": "x", "inputs": []}"#;
        fs::write(temp.path().join(MANIFEST_FILE), text).expect("write");
        let manifest = load(temp.path());
        assert!(
            manifest.problems[0].contains("missing field `artifacts`"),
            "{:?}",
            manifest.problems
        );
    }

    #[test]
    fn unreadable_entry_is_left_out() {
        let temp = tempfile::tempdir().expect("temporary folder");
        let sha = "ab".repeat(32);
        let mut bad = serde_json::to_value(entry("c1", "chat/b.md", &sha)).expect("a value");
        bad["bytes"] = serde_json::json!("four");
        let manifest = serde_json::json!({
            "artifactor_version": "0.1.0",
            "created_at": "2026-12-05T00:00:00Z",
            "inputs": ["export.zip"],
            "artifacts": [entry("c1", "chat/a.md", &sha), bad, entry("c1", "chat/c.md", &sha)],
        });
        fs::write(temp.path().join(MANIFEST_FILE), manifest.to_string()).expect("write");
        let manifest = load(temp.path());
        assert_eq!(paths(&manifest), ["chat/a.md", "chat/c.md"]);
        assert_eq!(manifest.problems.len(), 1);
        assert!(
            manifest.problems[0].contains("could not be read were left out (1,")
                && manifest.problems[0].contains("entry 2"),
            "{:?}",
            manifest.problems
        );
    }

    #[test]
    fn repeated_field_and_uppercase_checksum_are_read() {
        let temp = tempfile::tempdir().expect("temporary folder");
        let sha = "AB".repeat(32);
        let mut bare = serde_json::to_value(entry("c1", "chat/a.md", &sha)).expect("a value");
        bare.as_object_mut().expect("an object").remove("warnings");
        let text = format!(
            r#"{{"artifactor_version": "0.1.0", "created_at": "x", "inputs": ["old.zip"],
                "inputs": ["export.zip"], "artifacts": [{bare}]}}"#
        );
        fs::write(temp.path().join(MANIFEST_FILE), text).expect("write");
        let manifest = load(temp.path());
        assert!(manifest.problems.is_empty(), "{:?}", manifest.problems);
        assert_eq!(manifest.inputs, ["export.zip"]);
        let read = manifest.entries().get(0).expect("the entry reads");
        assert_eq!(read.map(|entry| entry.sha256), Some("ab".repeat(32)));
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let temp = tempfile::tempdir().expect("temporary folder");
        write(
            temp.path(),
            vec![entry("c1", "chat/a.md", &"ab".repeat(32))],
        );
        let path = temp.path().join(MANIFEST_FILE);
        let mut text = b"\xEF\xBB\xBF".to_vec();
        text.extend(fs::read(&path).expect("read"));
        fs::write(&path, text).expect("write");
        let manifest = load(temp.path());
        assert_eq!(paths(&manifest), ["chat/a.md"]);
        assert!(manifest.problems.is_empty(), "{:?}", manifest.problems);
    }

    #[test]
    fn blank_manifest_is_written_again() {
        for text in [&b""[..], b"\0\0\0\0", b"  \n"] {
            let temp = tempfile::tempdir().expect("temporary folder");
            fs::write(temp.path().join(MANIFEST_FILE), text).expect("write");
            let manifest = load(temp.path());
            assert_eq!(paths(&manifest), Vec::<String>::new(), "{text:?}");
            assert!(manifest.problems[0].contains("is empty"), "{text:?}");
        }
    }
}
