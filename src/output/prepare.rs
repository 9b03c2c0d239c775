//! Preparing an output folder: it exists, is writable and has free space.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The minimum free space a run starts with.
const MIN_FREE_BYTES: u64 = 16 * 1024 * 1024;

/// An error that makes the output folder unusable. Each message names the path and what to do,
/// in words that fit both the command line and the window.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot use the output folder {path}: {source}. Choose another output folder")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error(
        "failed to write the manifest {path}: {source}. The earlier manifest is unchanged; \
         free some space or make the folder writable, then run again"
    )]
    ManifestWrite {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("the output path {path} is a file, not a folder. Choose a folder instead")]
    NotAFolder { path: PathBuf },

    #[error(
        "only {free_mib} MiB free in {path}; at least {needed_mib} MiB are needed. Free some \
         space or choose another output folder"
    )]
    NoSpace {
        path: PathBuf,
        free_mib: u64,
        needed_mib: u64,
    },

    #[error(
        "another artifactor run is writing into {path}. Wait for it to finish, or choose \
         another output folder"
    )]
    Busy { path: PathBuf },

    #[error(
        "{path} exists and was not written by artifactor. Choose another output folder, or \
         allow replacing files that artifactor did not write"
    )]
    ForeignManifest { path: PathBuf },
}

/// An output folder that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedDir {
    /// The canonical path of the folder.
    pub root: PathBuf,
    /// Free bytes when it was checked.
    pub free_bytes: u64,
    /// The topmost folder that the check created (the root or one of its parents), if any.
    pub created: Option<PathBuf>,
}

/// The output folders prepared by this process, so a second job on the same folder skips
/// the filesystem checks.
#[derive(Debug, Default)]
pub struct PreparedDirs {
    prepared: Mutex<HashMap<PathBuf, Arc<PreparedDir>>>,
}

impl PreparedDirs {
    /// Returns the prepared folder for `dir`, checking it fully only on first use. A cached
    /// folder that is no longer a folder (deleted or replaced since) is prepared again.
    pub fn prepare(&self, dir: &Path) -> Result<(Arc<PreparedDir>, bool), OutputError> {
        let cached = self.lock().get(dir).map(Arc::clone);
        if let Some(prepared) = cached {
            // One stat per job: cheap next to the writes, and it catches a folder that was
            // deleted between two saves of the same window.
            if prepared.root.is_dir() {
                return Ok((prepared, true));
            }
            tracing::debug!(root = %prepared.root.display(), "the prepared output folder is gone");
            self.invalidate(dir);
        }
        let prepared = Arc::new(prepare(dir)?);
        self.lock().insert(dir.to_owned(), Arc::clone(&prepared));
        Ok((prepared, false))
    }

    /// Forgets `dir`, so the next job checks it again. Called after a failed write.
    pub fn invalidate(&self, dir: &Path) {
        self.lock().remove(dir);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Arc<PreparedDir>>> {
        // The map stays consistent even if a holder panicked, so a poisoned lock is usable.
        self.prepared
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Creates `dir` if needed, then checks that a file can be created in it and that it has
/// free space.
fn prepare(dir: &Path) -> Result<PreparedDir, OutputError> {
    let io_error = |source| OutputError::Io {
        path: dir.to_owned(),
        source,
    };
    let created = match fs::metadata(dir) {
        Ok(metadata) if !metadata.is_dir() => {
            return Err(OutputError::NotAFolder {
                path: dir.to_owned(),
            });
        }
        Ok(_) => None,
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            let topmost = dir
                .ancestors()
                .take_while(|ancestor| !ancestor.as_os_str().is_empty() && !ancestor.exists())
                .last()
                .map(Path::to_owned);
            fs::create_dir_all(dir).map_err(io_error)?;
            topmost.and_then(|topmost| fs::canonicalize(topmost).ok())
        }
        Err(err) => return Err(io_error(err)),
    };
    let root = fs::canonicalize(dir).map_err(io_error)?;

    let probe = tempfile::Builder::new()
        .prefix(".artifactor-")
        .suffix(".tmp")
        .tempfile_in(&root)
        .map_err(io_error)?;
    drop(probe);

    let free_bytes = fs4::available_space(&root).map_err(io_error)?;
    if free_bytes < MIN_FREE_BYTES {
        return Err(OutputError::NoSpace {
            path: root,
            free_mib: free_bytes / (1024 * 1024),
            needed_mib: MIN_FREE_BYTES / (1024 * 1024),
        });
    }
    Ok(PreparedDir {
        root,
        free_bytes,
        created,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_missing_folder() {
        let temp = tempfile::tempdir().expect("temp dir");
        let dir = temp.path().join("a/b");
        let (prepared, cached) = PreparedDirs::default().prepare(&dir).expect("prepared");
        assert!(dir.is_dir());
        assert!(!cached);
        let topmost = fs::canonicalize(temp.path().join("a")).expect("canonical");
        assert_eq!(prepared.created, Some(topmost));
        assert!(prepared.free_bytes > 0);
    }

    #[test]
    fn second_prepare_is_cached() {
        let temp = tempfile::tempdir().expect("temp dir");
        let dirs = PreparedDirs::default();
        dirs.prepare(temp.path()).expect("first");
        let (_, cached) = dirs.prepare(temp.path()).expect("second");
        assert!(cached);
    }

    #[test]
    fn invalidate_forgets_folder() {
        let temp = tempfile::tempdir().expect("temp dir");
        let dirs = PreparedDirs::default();
        dirs.prepare(temp.path()).expect("first");
        dirs.invalidate(temp.path());
        let (_, cached) = dirs.prepare(temp.path()).expect("second");
        assert!(!cached);
    }

    #[test]
    fn file_is_not_a_folder() {
        let temp = tempfile::tempdir().expect("temp dir");
        let file = temp.path().join("file");
        fs::write(&file, "x").expect("write");
        let err = PreparedDirs::default().prepare(&file).expect_err("a file");
        assert!(matches!(err, OutputError::NotAFolder { .. }), "{err:?}");
    }

    #[test]
    fn leaves_no_probe_file() {
        let temp = tempfile::tempdir().expect("temp dir");
        PreparedDirs::default()
            .prepare(temp.path())
            .expect("prepared");
        let count = fs::read_dir(temp.path()).expect("read").count();
        assert_eq!(count, 0);
    }

    #[test]
    fn messages_name_no_command_line_option() {
        let path = PathBuf::from("/out");
        let errors = [
            OutputError::Io {
                path: path.clone(),
                source: io::Error::from(io::ErrorKind::NotFound),
            },
            OutputError::NotAFolder { path: path.clone() },
            OutputError::NoSpace {
                path: path.clone(),
                free_mib: 1,
                needed_mib: 16,
            },
            OutputError::Busy { path: path.clone() },
            OutputError::ForeignManifest { path },
        ];
        for error in errors {
            let message = error.to_string();
            assert!(!message.contains("--"), "{message}");
        }
    }
}
