//! Writing files into the output folder: atomic, never through a symbolic link, never over a
//! file that artifactor did not write.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use sha2::{Digest, Sha256};

/// An error that kept one file from being written. Each message names the path and what to do.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(
        "{path} already exists and was not written by artifactor (or was changed since). It \
         was left alone: move it away, or pass --force to replace it"
    )]
    ForeignFile { path: PathBuf },

    #[error("{path} is a symbolic link; artifactor never writes through one. Remove the link")]
    SymbolicLink { path: PathBuf },

    #[error("{path} is in the way: a folder is needed there. Move it away")]
    NotAFolder { path: PathBuf },

    #[error(
        "{path} is in the way: it is not a regular file, and a file is needed there. Move it away"
    )]
    NotAFile { path: PathBuf },

    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl WriteError {
    /// Returns whether the disk or the user's quota is full, so that other files would fail
    /// the same way.
    pub fn is_disk_full(&self) -> bool {
        matches!(self, Self::Io { source, .. }
            if matches!(source.kind(), io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded))
    }
}

/// The outcome of writing one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    Written,
    /// The file already held exactly this content, so it was not touched.
    Unchanged,
}

/// Writes files below one root folder.
///
/// Several threads may write through one `Writer` at the same time if they write into
/// different folders below the root. Then a file's name, the names tried beside it and the
/// temporary files of its folder belong to one thread alone.
#[derive(Debug)]
pub struct Writer {
    root: PathBuf,
    /// The files that the previous run recorded.
    owned: Arc<dyn RecordedFiles>,
    force: bool,
    /// Folders that exist and were cleared of stale temporary files, up to
    /// [`CHECKED_FOLDERS`] of them, each with whether this writer created it.
    checked_folders: Mutex<HashMap<PathBuf, bool>>,
    /// Whether renaming without replacing works in this output folder. It does not on file
    /// systems that have neither `RENAME_NOREPLACE` nor hard links, such as FAT.
    rename_new_works: AtomicBool,
}

/// The files that an earlier run recorded in an output folder.
pub trait RecordedFiles: Send + Sync + fmt::Debug {
    /// Returns the record of the file at `relative`, when the earlier run wrote it.
    fn owner(&self, relative: &str) -> Option<Owner>;
}

impl RecordedFiles for HashMap<String, Owner> {
    fn owner(&self, relative: &str) -> Option<Owner> {
        self.get(relative).cloned()
    }
}

/// The files that a run wrote for an earlier copy of a conversation, by relative path, which
/// a newer copy of the conversation may replace.
///
/// A writer does not remember the files that it wrote: a job of many conversations writes
/// hundreds of thousands of them, and only a newer copy of a conversation replaces any.
pub type EarlierFiles = HashMap<String, Owner>;

/// The maximum number of folders that a writer remembers as checked. A job writes each
/// conversation's folder once in a row, so remembering every folder of an export of
/// 75,000 conversations took about 9 MiB. A folder checked again costs a `stat` and a
/// listing.
const CHECKED_FOLDERS: usize = 1024;

/// The record of a file that artifactor wrote.
///
/// A writer keeps one for every file of the previous run, so the checksum is kept as bytes
/// rather than as hex text, which would take three times the memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    sha256: [u8; 32],
    /// The uuid of the conversation whose artifact the file is, or `""` when unknown.
    conversation: String,
}

impl Owner {
    /// Returns the record of a file whose content has the lowercase hex SHA-256 `sha256`,
    /// written for `conversation`. Returns `None` when `sha256` is not 64 hex digits, as in
    /// a manifest edited by hand.
    pub fn new(sha256: &str, conversation: &str) -> Option<Self> {
        let mut bytes = [0; 32];
        hex::decode_to_slice(sha256, &mut bytes).ok()?;
        Some(Self {
            sha256: bytes,
            conversation: conversation.to_owned(),
        })
    }

    /// Returns whether the file with content `sha256` may be replaced by a file of
    /// `conversation`: artifactor wrote exactly this content, for the same conversation.
    fn allows(&self, sha256: &str, conversation: &str) -> bool {
        hex::encode(self.sha256) == sha256
            && (self.conversation.is_empty()
                || conversation.is_empty()
                || self.conversation == conversation)
    }
}

impl Writer {
    /// Creates a writer for `root`, which may replace the files in `owned` for the same
    /// conversation, or any file when `force` is set.
    pub fn new(root: PathBuf, owned: Arc<dyn RecordedFiles>, force: bool) -> Self {
        Self {
            root,
            owned,
            force,
            checked_folders: Mutex::new(HashMap::new()),
            rename_new_works: AtomicBool::new(true),
        }
    }

    fn checked_folders(&self) -> MutexGuard<'_, HashMap<PathBuf, bool>> {
        self.checked_folders
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes `content`, an artifact of `conversation`, at the relative path made of
    /// `components`, unless it is already there.
    ///
    /// `earlier` lists the files that this run wrote for an earlier copy of the
    /// conversation, which this write may replace like the previous run's files.
    pub fn write(
        &self,
        components: &[String],
        content: &[u8],
        sha256: &str,
        conversation: &str,
        earlier: &EarlierFiles,
    ) -> Result<WriteOutcome, WriteError> {
        let Some((file_name, folders)) = components.split_last() else {
            return Err(WriteError::NotAFolder {
                path: self.root.clone(),
            });
        };
        let (parent, created) = self.ensure_folders(folders)?;
        let target = parent.join(file_name);
        let outcome = (|| {
            let io_error = |source| WriteError::Io {
                path: target.clone(),
                source,
            };

            // In a folder that this writer created, the file is almost always new. So it is
            // written first and renamed only if nothing has its name, which saves looking the
            // name up. A file that is there after all is checked below like any other.
            let mut written = None;
            if created && self.rename_new_works.load(Ordering::Relaxed) {
                let mut file = temporary_file(&parent).map_err(io_error)?;
                file.write_all(content).map_err(io_error)?;
                match file.persist_noclobber(&target) {
                    Ok(_) => return Ok(WriteOutcome::Written),
                    Err(err) => {
                        if err.error.kind() != io::ErrorKind::AlreadyExists {
                            // The rename is unsupported here, or failed for a reason that the
                            // plain rename below meets again and reports.
                            self.rename_new_works.store(false, Ordering::Relaxed);
                        }
                        written = Some(err.file);
                    }
                }
            }

            if let Some(unchanged) =
                self.check_taken(&target, components, content, sha256, conversation, earlier)?
            {
                return Ok(unchanged);
            }

            match written {
                Some(file) => {
                    file.persist(&target).map_err(|err| io_error(err.error))?;
                }
                None => write_atomically(&parent, &target, content).map_err(io_error)?,
            }
            Ok(WriteOutcome::Written)
        })();
        if outcome.is_err() && created && fs::remove_dir(&parent).is_ok() {
            // The failure left a folder that this writer created empty, so the folder goes
            // too, and a later write creates it again.
            self.checked_folders().remove(&parent);
        }
        outcome
    }

    /// Checks the file that already has `target`'s name, if any, before this write
    /// replaces it. Returns [`WriteOutcome::Unchanged`] when it has `content` already, and
    /// `None` when the name is free or the file may be replaced.
    fn check_taken(
        &self,
        target: &Path,
        components: &[String],
        content: &[u8],
        sha256: &str,
        conversation: &str,
        earlier: &EarlierFiles,
    ) -> Result<Option<WriteOutcome>, WriteError> {
        let io_error = |source| WriteError::Io {
            path: target.to_owned(),
            source,
        };
        match fs::symlink_metadata(target) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                return Err(WriteError::SymbolicLink {
                    path: target.to_owned(),
                });
            }
            // Folders, FIFOs, sockets and devices are rejected before any open, so a FIFO
            // cannot block the run.
            Ok(metadata) if !metadata.is_file() => {
                return Err(WriteError::NotAFile {
                    path: target.to_owned(),
                });
            }
            Ok(metadata) => {
                let existing = file_sha256(target).map_err(io_error)?;
                if metadata.len() == content.len() as u64 && existing == sha256 {
                    return Ok(Some(WriteOutcome::Unchanged));
                }
                // A file written for another conversation is not replaced. In the flat
                // layout, a rerun can plan a file under a name that such a file has.
                let relative = components.join("/");
                let owned = [self.owned.owner(&relative), earlier.get(&relative).cloned()]
                    .into_iter()
                    .flatten()
                    .any(|owner| owner.allows(&existing, conversation));
                if !owned && !self.force {
                    return Err(WriteError::ForeignFile {
                        path: target.to_owned(),
                    });
                }
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(source) => return Err(io_error(source)),
        }
        Ok(None)
    }

    /// Deletes the file at `relative` with content `sha256`, as when a newer copy of its
    /// conversation no longer produces it, like [`remove_recorded`].
    pub fn remove(&self, relative: &str, sha256: &str) -> Result<bool, WriteError> {
        let removed = remove_recorded(&self.root, relative, sha256)?;
        if removed {
            // Removing the file may have removed its folders too, which a later write must
            // create again.
            self.checked_folders().clear();
        }
        Ok(removed)
    }

    /// Writes like [`Writer::write`], but when the path contains a file that artifactor did not
    /// write, writes beside it as `NAME (artifactor).EXT`, then `NAME (artifactor 2).EXT` and so
    /// on, leaving the other file untouched. Returns the components actually written.
    ///
    /// The allocator of planned names only adds ` (N)` suffixes, so these names never take
    /// the place of another planned file.
    pub fn write_beside(
        &self,
        components: &[String],
        content: &[u8],
        sha256: &str,
        conversation: &str,
        earlier: &EarlierFiles,
    ) -> Result<(WriteOutcome, Vec<String>), WriteError> {
        let first_error = match self.write(components, content, sha256, conversation, earlier) {
            Ok(outcome) => return Ok((outcome, components.to_vec())),
            Err(err @ WriteError::ForeignFile { .. }) => err,
            Err(err) => return Err(err),
        };
        let Some((file_name, folders)) = components.split_last() else {
            return Err(first_error);
        };
        for attempt in 1..=MAX_BESIDE_ATTEMPTS {
            let mut alternative = folders.to_vec();
            alternative.push(beside_name(file_name, attempt));
            match self.write(&alternative, content, sha256, conversation, earlier) {
                Ok(outcome) => return Ok((outcome, alternative)),
                Err(WriteError::ForeignFile { .. }) => {}
                Err(err) => return Err(err),
            }
        }
        Err(first_error)
    }

    /// Creates the folders below the root one by one, refusing symbolic links on the way.
    /// Returns the innermost folder and whether this writer created it.
    fn ensure_folders(&self, folders: &[String]) -> Result<(PathBuf, bool), WriteError> {
        let mut path = self.root.clone();
        let mut created = false;
        for folder in folders {
            path.push(folder);
            if let Some(&was_created) = self.checked_folders().get(&path) {
                created = was_created;
                continue;
            }
            // Most folders are new, so creating one is tried before looking at what is there.
            created = match fs::create_dir(&path) {
                Ok(()) => true,
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {
                    match fs::symlink_metadata(&path) {
                        Ok(metadata) if metadata.file_type().is_symlink() => {
                            return Err(WriteError::SymbolicLink { path });
                        }
                        Ok(metadata) if !metadata.is_dir() => {
                            return Err(WriteError::NotAFolder { path });
                        }
                        Ok(_) => remove_stale_temporary_files(&path),
                        Err(source) => return Err(WriteError::Io { path, source }),
                    }
                    false
                }
                Err(source) => return Err(WriteError::Io { path, source }),
            };
            let mut checked = self.checked_folders();
            if checked.len() >= CHECKED_FOLDERS {
                checked.clear();
            }
            checked.insert(path.clone(), created);
        }
        Ok((path, created))
    }
}

/// Deletes the file at `relative` below `root` that artifactor recorded with content
/// `sha256`, and the folders that this leaves empty. Leaves the file alone, returning
/// `Ok(false)`, when the path would leave `root` or pass through a symbolic link, when it is
/// not a regular file, and when its content is no longer the recorded one.
pub fn remove_recorded(root: &Path, relative: &str, sha256: &str) -> Result<bool, WriteError> {
    if !super::manifest::is_plain_relative_path(relative) {
        return Ok(false);
    }
    let components: Vec<&str> = relative.split('/').collect();
    let mut target = root.to_owned();
    for (index, component) in components.iter().enumerate() {
        target.push(component);
        let last = index + 1 == components.len();
        match fs::symlink_metadata(&target) {
            Ok(metadata) if last && metadata.is_file() => {}
            Ok(metadata) if !last && metadata.is_dir() => {}
            Ok(_) => return Ok(false),
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(source) => {
                return Err(WriteError::Io {
                    path: target,
                    source,
                });
            }
        }
    }
    let io_error = |source| WriteError::Io {
        path: target.clone(),
        source,
    };
    if file_sha256(&target).map_err(io_error)? != sha256 {
        return Ok(false);
    }
    fs::remove_file(&target).map_err(io_error)?;
    remove_empty_folders(root, &target);
    Ok(true)
}

/// Removes the folders between `root` and the removed file `target` that are now empty,
/// innermost first, stopping at the first that is not.
fn remove_empty_folders(root: &Path, target: &Path) {
    for folder in target.ancestors().skip(1) {
        if folder == root || fs::remove_dir(folder).is_err() {
            break;
        }
    }
}

/// How many names beside a foreign file are tried before giving up.
const MAX_BESIDE_ATTEMPTS: usize = 20;

/// Returns `NAME (artifactor).EXT` for the first attempt and `NAME (artifactor N).EXT` after.
fn beside_name(file_name: &str, attempt: usize) -> String {
    let marker = if attempt == 1 {
        " (artifactor)".to_owned()
    } else {
        format!(" (artifactor {attempt})")
    };
    let split = file_name.rfind('.').filter(|&dot| {
        let extension = &file_name[dot + 1..];
        dot > 0
            && (1..=10).contains(&extension.len())
            && extension.chars().all(|c| c.is_ascii_alphanumeric())
    });
    match split {
        Some(dot) => format!("{}{marker}{}", &file_name[..dot], &file_name[dot..]),
        None => format!("{file_name}{marker}"),
    }
}

/// Deletes temporary files that an interrupted run left in `folder`, such as after
/// `kill -9`. The caller holds the output folder's lock, so no other run is writing them.
/// Failures are ignored: a leftover file is untidy but harmless.
pub fn remove_stale_temporary_files(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let is_temporary = name.starts_with(TEMPORARY_PREFIX) && name.ends_with(TEMPORARY_SUFFIX);
        if is_temporary && entry.file_type().is_ok_and(|kind| kind.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The name of every temporary file starts with this, and sanitized names never do, because
/// they never start with a dot.
const TEMPORARY_PREFIX: &str = ".artifactor-";
const TEMPORARY_SUFFIX: &str = ".tmp";

/// Writes a temporary file beside `target`, then renames it over `target`, so a reader sees
/// either the old file or the complete new one.
fn write_atomically(parent: &Path, target: &Path, content: &[u8]) -> io::Result<()> {
    let mut file = temporary_file(parent)?;
    file.write_all(content)?;
    // NOTE: no fsync before the rename, so a power cut (not a crash) can leave an empty file.
    file.persist(target).map_err(|err| err.error)?;
    Ok(())
}

/// Creates a temporary file in `parent` with the permissions of an ordinary new file:
/// read and write for everyone, less the process's umask, and never executable.
/// `tempfile` alone would create it readable by the owner only.
pub(super) fn temporary_file(parent: &Path) -> io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMPORARY_PREFIX).suffix(TEMPORARY_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(parent)
}

/// Returns the lowercase hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Returns the lowercase hex SHA-256 of a file, reading it in chunks.
pub(super) fn file_sha256(path: &Path) -> io::Result<String> {
    let (sha256, _) = read_sha256(File::open(path)?, None)?;
    Ok(sha256)
}

/// Returns the lowercase hex SHA-256 of what `reader` yields until its end, and the number
/// of bytes hashed.
///
/// With `expected` set, a read that falls short of the buffer exactly when `expected`
/// bytes have been hashed counts as the end, which saves the read that would return
/// nothing. A regular file that has grown by then fills the buffer further, so its extra
/// bytes are still hashed and counted.
pub(super) fn read_sha256(
    mut reader: impl Read,
    expected: Option<u64>,
) -> io::Result<(String, u64)> {
    thread_local! {
        // One buffer per thread, so that each of the hundreds of thousands of small files
        // that the verify step reads does not allocate and zero 64 KiB.
        static BUFFER: RefCell<Vec<u8>> = RefCell::new(vec![0; 64 * 1024]);
    }
    let mut hasher = Sha256::new();
    let mut total = 0u64;
    BUFFER.with_borrow_mut(|buffer| {
        loop {
            let read = reader.read(buffer)?;
            if read == 0 {
                return Ok::<_, io::Error>(());
            }
            hasher.update(&buffer[..read]);
            total += read as u64;
            if read < buffer.len() && expected == Some(total) {
                return Ok(());
            }
        }
    })?;
    Ok((hex::encode(hasher.finalize()), total))
}

/// Returns the names in `folder`, sorted.
#[cfg(test)]
pub(crate) fn sorted_names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .expect("read")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_files() -> Arc<dyn RecordedFiles> {
        Arc::new(HashMap::new())
    }

    fn components(path: &str) -> Vec<String> {
        path.split('/').map(str::to_owned).collect()
    }

    fn write(writer: &Writer, path: &str, content: &str) -> Result<WriteOutcome, WriteError> {
        writer.write(
            &components(path),
            content.as_bytes(),
            &sha256_hex(content.as_bytes()),
            "c1",
            &EarlierFiles::new(),
        )
    }

    #[test]
    fn writes_nested_file() {
        let temp = tempfile::tempdir().expect("temp dir");
        let writer = Writer::new(temp.path().to_owned(), no_files(), false);
        let outcome = write(&writer, "a/b/c.txt", "hello").expect("written");
        assert_eq!(outcome, WriteOutcome::Written);
        let text = fs::read_to_string(temp.path().join("a/b/c.txt")).expect("read");
        assert_eq!(text, "hello");
    }

    #[test]
    fn same_content_is_unchanged() {
        let temp = tempfile::tempdir().expect("temp dir");
        let writer = Writer::new(temp.path().to_owned(), no_files(), false);
        write(&writer, "a.txt", "hello").expect("first");
        let outcome = write(&writer, "a.txt", "hello").expect("second");
        assert_eq!(outcome, WriteOutcome::Unchanged);
    }

    #[test]
    fn foreign_file_is_left_alone() {
        let temp = tempfile::tempdir().expect("temp dir");
        fs::write(temp.path().join("a.txt"), "mine").expect("write");
        let writer = Writer::new(temp.path().to_owned(), no_files(), false);
        let err = write(&writer, "a.txt", "theirs").expect_err("foreign");
        assert!(matches!(err, WriteError::ForeignFile { .. }), "{err:?}");
        let text = fs::read_to_string(temp.path().join("a.txt")).expect("read");
        assert_eq!(text, "mine");
    }

    #[test]
    fn foreign_file_gets_a_neighbour() {
        let temp = tempfile::tempdir().expect("temp dir");
        fs::write(temp.path().join("a.txt"), "mine").expect("write");
        let writer = Writer::new(temp.path().to_owned(), no_files(), false);
        let (outcome, written) = writer
            .write_beside(
                &components("a.txt"),
                b"theirs",
                &sha256_hex(b"theirs"),
                "c1",
                &EarlierFiles::new(),
            )
            .expect("written beside");
        assert_eq!(outcome, WriteOutcome::Written);
        assert_eq!(written, ["a (artifactor).txt"]);
        let mine = fs::read_to_string(temp.path().join("a.txt")).expect("read");
        assert_eq!(mine, "mine");
    }

    #[test]
    fn beside_names_keep_the_extension() {
        assert_eq!(beside_name("notes.md", 1), "notes (artifactor).md");
        assert_eq!(beside_name("notes.md", 2), "notes (artifactor 2).md");
        assert_eq!(beside_name("Makefile", 1), "Makefile (artifactor)");
    }

    /// Returns a writer for `root` that owns `a.txt` with content `old`, written for
    /// `conversation`.
    fn writer_owning_old(root: &Path, conversation: &str) -> Writer {
        fs::write(root.join("a.txt"), "old").expect("write");
        let owner = Owner::new(&sha256_hex(b"old"), conversation).expect("a hex checksum");
        Writer::new(
            root.to_owned(),
            Arc::new(HashMap::from([("a.txt".to_owned(), owner)])),
            false,
        )
    }

    #[test]
    fn owned_file_is_replaced() {
        let temp = tempfile::tempdir().expect("temp dir");
        let writer = writer_owning_old(temp.path(), "c1");
        let outcome = write(&writer, "a.txt", "new").expect("replaced");
        assert_eq!(outcome, WriteOutcome::Written);
    }

    #[test]
    fn other_conversation_file_is_kept() {
        let temp = tempfile::tempdir().expect("temp dir");
        let writer = writer_owning_old(temp.path(), "c2");
        let result = write(&writer, "a.txt", "new");
        assert!(
            matches!(result, Err(WriteError::ForeignFile { .. })),
            "{result:?}"
        );
        let content = fs::read_to_string(temp.path().join("a.txt")).expect("read");
        assert_eq!(content, "old");
    }

    #[test]
    fn file_of_an_earlier_copy_is_replaced() {
        let temp = tempfile::tempdir().expect("temp dir");
        let writer = Writer::new(temp.path().to_owned(), no_files(), false);
        write(&writer, "a.txt", "old").expect("first copy");
        let owner = Owner::new(&sha256_hex(b"old"), "c1").expect("a hex checksum");
        let earlier = EarlierFiles::from([("a.txt".to_owned(), owner)]);
        let new = b"new";
        let other_conversation =
            writer.write(&components("a.txt"), new, &sha256_hex(new), "c2", &earlier);
        assert!(
            matches!(other_conversation, Err(WriteError::ForeignFile { .. })),
            "{other_conversation:?}"
        );
        let outcome = writer
            .write(&components("a.txt"), new, &sha256_hex(new), "c1", &earlier)
            .expect("replaced");
        assert_eq!(outcome, WriteOutcome::Written);
    }

    #[test]
    fn folder_emptied_by_a_removal_is_made_again() {
        let temp = tempfile::tempdir().expect("temp dir");
        let writer = Writer::new(temp.path().to_owned(), no_files(), false);
        write(&writer, "chat/docs/a.md", "a").expect("written");
        let removed = writer.remove("chat/docs/a.md", &sha256_hex(b"a"));
        assert!(matches!(removed, Ok(true)), "{removed:?}");
        assert!(!temp.path().join("chat").exists());
        write(&writer, "chat/docs/b.md", "b").expect("written again");
        assert!(temp.path().join("chat/docs/b.md").is_file());
    }

    #[test]
    fn rewrite_without_earlier_copy_is_foreign() {
        let temp = tempfile::tempdir().expect("temp dir");
        let writer = Writer::new(temp.path().to_owned(), no_files(), false);
        write(&writer, "a.txt", "old").expect("first");
        let result = write(&writer, "a.txt", "new");
        assert!(
            matches!(result, Err(WriteError::ForeignFile { .. })),
            "{result:?}"
        );
    }

    #[test]
    fn force_replaces_foreign_file() {
        let temp = tempfile::tempdir().expect("temp dir");
        fs::write(temp.path().join("a.txt"), "mine").expect("write");
        let writer = Writer::new(temp.path().to_owned(), no_files(), true);
        write(&writer, "a.txt", "theirs").expect("forced");
        let text = fs::read_to_string(temp.path().join("a.txt")).expect("read");
        assert_eq!(text, "theirs");
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_folder_is_refused() {
        let temp = tempfile::tempdir().expect("temp dir");
        let outside = tempfile::tempdir().expect("temp dir");
        std::os::unix::fs::symlink(outside.path(), temp.path().join("link")).expect("symlink");
        let writer = Writer::new(temp.path().to_owned(), no_files(), true);
        let err = write(&writer, "link/a.txt", "x").expect_err("symlink");
        assert!(matches!(err, WriteError::SymbolicLink { .. }), "{err:?}");
        assert!(!outside.path().join("a.txt").exists());
    }

    #[cfg(unix)]
    #[test]
    fn written_file_is_not_executable() {
        use std::os::unix::fs::PermissionsExt;
        let temp = tempfile::tempdir().expect("temp dir");
        let writer = Writer::new(temp.path().to_owned(), no_files(), false);
        write(&writer, "run.sh", "#!/bin/sh\n").expect("written");
        let mode = fs::metadata(temp.path().join("run.sh"))
            .expect("stat")
            .permissions()
            .mode();
        assert_eq!(mode & 0o111, 0);
    }

    #[test]
    fn folder_at_file_path_is_in_the_way() {
        let temp = tempfile::tempdir().expect("temp dir");
        fs::create_dir(temp.path().join("a.txt")).expect("mkdir");
        let writer = Writer::new(temp.path().to_owned(), no_files(), true);
        let err = write(&writer, "a.txt", "x").expect_err("a folder");
        assert!(matches!(err, WriteError::NotAFile { .. }), "{err:?}");
    }

    #[test]
    fn stale_temporary_files_are_removed() {
        let temp = tempfile::tempdir().expect("temp dir");
        fs::create_dir(temp.path().join("a")).expect("mkdir");
        let stale = temp.path().join("a/.artifactor-x1y2.tmp");
        fs::write(&stale, "partial").expect("write");
        let writer = Writer::new(temp.path().to_owned(), no_files(), false);
        write(&writer, "a/b.txt", "x").expect("written");
        assert!(!stale.exists());
    }

    #[test]
    fn rewrite_in_new_folder_is_unchanged() {
        let temp = tempfile::tempdir().expect("temp dir");
        let writer = Writer::new(temp.path().to_owned(), no_files(), false);
        write(&writer, "chat/a.txt", "hello").expect("first");
        let outcome = write(&writer, "chat/a.txt", "hello").expect("second");
        assert_eq!(outcome, WriteOutcome::Unchanged);
        assert_eq!(sorted_names(&temp.path().join("chat")), ["a.txt"]);
    }

    #[test]
    fn foreign_file_in_new_folder_kept() {
        let temp = tempfile::tempdir().expect("temp dir");
        let writer = Writer::new(temp.path().to_owned(), no_files(), false);
        write(&writer, "chat/a.txt", "first").expect("creates the folder");
        fs::write(temp.path().join("chat/b.txt"), "mine").expect("write");
        let err = write(&writer, "chat/b.txt", "theirs").expect_err("foreign");
        assert!(matches!(err, WriteError::ForeignFile { .. }), "{err:?}");
        let text = fs::read_to_string(temp.path().join("chat/b.txt")).expect("read");
        assert_eq!(text, "mine");
        assert_eq!(sorted_names(&temp.path().join("chat")), ["a.txt", "b.txt"]);
    }

    #[test]
    fn earlier_copy_in_new_folder_is_replaced() {
        let temp = tempfile::tempdir().expect("temp dir");
        let writer = Writer::new(temp.path().to_owned(), no_files(), false);
        write(&writer, "chat/a.txt", "old").expect("the earlier copy");
        let earlier = EarlierFiles::from([(
            "chat/a.txt".to_owned(),
            Owner::new(&sha256_hex(b"old"), "c1").expect("a hex checksum"),
        )]);
        let outcome = writer
            .write(
                &components("chat/a.txt"),
                b"new",
                &sha256_hex(b"new"),
                "c1",
                &earlier,
            )
            .expect("replaced");
        assert_eq!(outcome, WriteOutcome::Written);
        let text = fs::read_to_string(temp.path().join("chat/a.txt")).expect("read");
        assert_eq!(text, "new");
        assert_eq!(sorted_names(&temp.path().join("chat")), ["a.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn failed_write_removes_new_folder() {
        let temp = tempfile::tempdir().expect("temp dir");
        let writer = Writer::new(temp.path().to_owned(), no_files(), false);
        // Longer than the 255 bytes that common file systems allow for a name.
        let too_long = format!("chat/{}.txt", "x".repeat(300));
        let err = write(&writer, &too_long, "hello").expect_err("name too long");
        assert!(matches!(err, WriteError::Io { .. }), "{err:?}");
        assert!(
            !temp.path().join("chat").exists(),
            "the empty folder stayed"
        );
        write(&writer, "chat/a.txt", "hello").expect("the folder is made again");
        assert_eq!(sorted_names(&temp.path().join("chat")), ["a.txt"]);
    }

    #[test]
    fn failed_write_keeps_folder_with_files() {
        let temp = tempfile::tempdir().expect("temp dir");
        let writer = Writer::new(temp.path().to_owned(), no_files(), false);
        write(&writer, "chat/a.txt", "hello").expect("first");
        fs::create_dir(temp.path().join("chat/b.txt")).expect("mkdir");
        let err = write(&writer, "chat/b.txt", "hello").expect_err("folder in the way");
        assert!(matches!(err, WriteError::NotAFile { .. }), "{err:?}");
        assert_eq!(sorted_names(&temp.path().join("chat")), ["a.txt", "b.txt"]);
    }

    #[test]
    fn leaves_no_temporary_files() {
        let temp = tempfile::tempdir().expect("temp dir");
        let writer = Writer::new(temp.path().to_owned(), no_files(), false);
        write(&writer, "a.txt", "x").expect("written");
        assert_eq!(sorted_names(temp.path()), ["a.txt"]);
    }

    #[test]
    fn remove_recorded_deletes_recorded_file() {
        let temp = tempfile::tempdir().expect("temp dir");
        fs::create_dir(temp.path().join("chat")).expect("mkdir");
        fs::write(temp.path().join("chat/a.md"), "text").expect("write");
        let removed = remove_recorded(temp.path(), "chat/a.md", &sha256_hex(b"text"));
        assert!(matches!(removed, Ok(true)), "{removed:?}");
        assert!(!temp.path().join("chat/a.md").exists());
        assert!(!temp.path().join("chat").exists(), "the empty folder stays");
        assert!(temp.path().exists());
    }

    #[test]
    fn remove_recorded_keeps_changed_file() {
        let temp = tempfile::tempdir().expect("temp dir");
        fs::write(temp.path().join("a.md"), "edited").expect("write");
        let removed = remove_recorded(temp.path(), "a.md", &sha256_hex(b"text"));
        assert!(matches!(removed, Ok(false)), "{removed:?}");
        assert!(temp.path().join("a.md").exists());
    }

    #[test]
    fn remove_recorded_stays_inside_root() {
        let temp = tempfile::tempdir().expect("temp dir");
        let root = temp.path().join("out");
        fs::create_dir(&root).expect("mkdir");
        fs::write(temp.path().join("outside.md"), "text").expect("write");
        let removed = remove_recorded(&root, "../outside.md", &sha256_hex(b"text"));
        assert!(matches!(removed, Ok(false)), "{removed:?}");
        assert!(temp.path().join("outside.md").exists());
    }

    #[cfg(unix)]
    #[test]
    fn remove_recorded_skips_symlinked_folder() {
        let temp = tempfile::tempdir().expect("temp dir");
        let root = temp.path().join("out");
        let elsewhere = temp.path().join("elsewhere");
        fs::create_dir(&root).expect("mkdir");
        fs::create_dir(&elsewhere).expect("mkdir");
        fs::write(elsewhere.join("a.md"), "text").expect("write");
        std::os::unix::fs::symlink(&elsewhere, root.join("chat")).expect("symlink");
        let removed = remove_recorded(&root, "chat/a.md", &sha256_hex(b"text"));
        assert!(matches!(removed, Ok(false)), "{removed:?}");
        assert!(elsewhere.join("a.md").exists());
    }
}
