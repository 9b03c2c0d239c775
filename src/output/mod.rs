//! The output folder: preparing it, writing files atomically, the manifest, verification.

mod entry_log;
mod lock;
mod manifest;
mod prepare;
mod previous;
mod verify;
mod write;

pub use entry_log::{Bits, Entries, EntryLog};
pub use lock::{FolderLock, lock_folder};
pub use manifest::{
    MANIFEST_FILE, Manifest, ManifestEntry, ManifestHeader, write_manifest, write_manifest_streamed,
};
pub use prepare::{OutputError, PreparedDir, PreparedDirs};
pub use previous::PreviousManifest;
pub use verify::{Mismatch, verify_entries};
pub use write::{
    EarlierFiles, Owner, RecordedFiles, WriteError, WriteOutcome, Writer, remove_recorded,
    remove_stale_temporary_files, sha256_hex,
};

#[cfg(test)]
pub(crate) use manifest::test_entry;
#[cfg(test)]
pub(crate) use write::sorted_names;
