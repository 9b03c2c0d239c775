//! A lock on the output folder, so two runs never write into the same folder at once.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};

use super::prepare::OutputError;

/// An exclusive lock on an output folder, released when dropped or when the process ends,
/// even by `kill -9`.
#[derive(Debug)]
pub struct FolderLock {
    _folder: File,
}

/// Takes the lock on `root`, failing at once when another run holds it.
///
/// The lock is an advisory `flock` on the folder itself, so no lock file is left behind.
/// NOTE: on Windows a folder cannot be opened as a `File`, so there the lock is not taken.
pub fn lock_folder(root: &Path) -> Result<Option<FolderLock>, OutputError> {
    if cfg!(windows) {
        return Ok(None);
    }
    let io_error = |source| OutputError::Io {
        path: root.to_owned(),
        source,
    };
    let folder = File::open(root).map_err(io_error)?;
    match folder.try_lock() {
        Ok(()) => Ok(Some(FolderLock { _folder: folder })),
        Err(TryLockError::WouldBlock) => Err(OutputError::Busy {
            path: PathBuf::from(root),
        }),
        Err(TryLockError::Error(source)) => Err(io_error(source)),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn second_lock_is_busy() {
        let temp = tempfile::tempdir().expect("temp dir");
        let first = lock_folder(temp.path()).expect("first lock");
        assert!(first.is_some());
        let err = lock_folder(temp.path()).expect_err("second lock");
        assert!(matches!(err, OutputError::Busy { .. }), "{err:?}");
    }

    #[test]
    fn lock_is_released_on_drop() {
        let temp = tempfile::tempdir().expect("temp dir");
        drop(lock_folder(temp.path()).expect("first lock"));
        assert!(lock_folder(temp.path()).is_ok());
    }
}
