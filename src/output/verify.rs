//! Checking the files on disk against the manifest.

use std::fs::{self, File};
use std::io;
use std::path::Path;

use super::manifest::ManifestEntry;
use super::write::read_sha256;

/// A manifest entry whose file does not match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub path: String,
    pub problem: String,
}

/// Rereads every listed file below `root` and compares its size and SHA-256.
pub fn verify_entries(root: &Path, entries: &[ManifestEntry]) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    for entry in entries {
        if let Some(problem) = check_entry(root, entry) {
            mismatches.push(Mismatch {
                path: entry.path.clone(),
                problem,
            });
        }
    }
    mismatches
}

fn check_entry(root: &Path, entry: &ManifestEntry) -> Option<String> {
    let path = entry
        .path
        .split('/')
        .fold(root.to_owned(), |path, part| path.join(part));
    let (file, bytes) = match open_regular(&path) {
        Ok(Some(opened)) => opened,
        Ok(None) => return Some("it is not a regular file".to_owned()),
        Err(err) => return Some(format!("cannot read it: {err}")),
    };
    if bytes != entry.bytes {
        return Some(size_problem(bytes, entry));
    }
    match read_sha256(file, Some(bytes)) {
        // The file changed size since it was opened.
        Ok((_, hashed)) if hashed != entry.bytes => Some(size_problem(hashed, entry)),
        Ok((sha256, _)) if sha256 == entry.sha256 => None,
        Ok((sha256, _)) => Some(format!(
            "its SHA-256 is {sha256}, the manifest says {}",
            entry.sha256
        )),
        Err(err) => Some(format!("cannot read it: {err}")),
    }
}

/// Returns the problem of a file that has `bytes` bytes where `entry` lists another size.
fn size_problem(bytes: u64, entry: &ManifestEntry) -> String {
    format!("it has {bytes} bytes, the manifest says {}", entry.bytes)
}

/// Opens the file at `path` for reading and returns it with its size, or returns `None` when
/// it is not a regular file: a symbolic link, a folder, a FIFO, a socket or a device.
///
/// On Unix the file is opened without following a link and without waiting for a FIFO's
/// writer, then checked through the open file, so its path is looked up once.
/// NOTE: a device node at the path is opened before it is rejected, and opening some
/// devices has side effects. Only root can create one there.
#[cfg(unix)]
fn open_regular(path: &Path) -> io::Result<Option<(File, u64)>> {
    use std::os::unix::fs::OpenOptionsExt;

    let opened = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .and_then(|file| file.metadata().map(|metadata| (file, metadata)));
    match opened {
        Ok((file, metadata)) => Ok(metadata.is_file().then_some((file, metadata.len()))),
        // Opening a link fails with `ELOOP` and a socket with `ENXIO`. A look-up distinguishes
        // these from a file that cannot be read.
        Err(err) => match fs::symlink_metadata(path) {
            Ok(metadata) if !metadata.is_file() => Ok(None),
            _ => Err(err),
        },
    }
}

#[cfg(not(unix))]
fn open_regular(path: &Path) -> io::Result<Option<(File, u64)>> {
    let metadata = fs::symlink_metadata(path)?;
    if !metadata.is_file() {
        return Ok(None);
    }
    Ok(Some((File::open(path)?, metadata.len())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{sha256_hex, test_entry};

    /// Returns the entry of a file at `path` that was written with `content`.
    fn entry(path: &str, content: &str) -> ManifestEntry {
        ManifestEntry {
            bytes: content.len() as u64,
            ..test_entry("c1", path, &sha256_hex(content.as_bytes()))
        }
    }

    /// Returns the problem that verifying `entry` below `root` reports, if any.
    fn problem(root: &Path, entry: ManifestEntry) -> Option<String> {
        verify_entries(root, &[entry])
            .pop()
            .map(|mismatch| mismatch.problem)
    }

    #[test]
    fn matching_file_passes() {
        let temp = tempfile::tempdir().expect("temp dir");
        fs::create_dir(temp.path().join("chat")).expect("mkdir");
        fs::write(temp.path().join("chat/a.md"), "hello").expect("write");
        assert_eq!(problem(temp.path(), entry("chat/a.md", "hello")), None);
    }

    #[test]
    fn changed_size_and_content_are_named() {
        let temp = tempfile::tempdir().expect("temp dir");
        fs::write(temp.path().join("a.md"), "hello!").expect("write");
        let size = problem(temp.path(), entry("a.md", "hello")).expect("a mismatch");
        assert_eq!(size, "it has 6 bytes, the manifest says 5");
        fs::write(temp.path().join("a.md"), "jello").expect("write");
        let content = problem(temp.path(), entry("a.md", "hello")).expect("a mismatch");
        assert!(content.starts_with("its SHA-256 is "), "{content}");
    }

    #[test]
    fn bytes_past_expected_size_are_counted() {
        let temp = tempfile::tempdir().expect("temp dir");
        fs::write(temp.path().join("a.md"), "hello, and more").expect("write");
        let file = File::open(temp.path().join("a.md")).expect("open");
        let (sha256, hashed) = read_sha256(file, Some(5)).expect("read");
        assert_eq!(hashed, 15);
        assert_eq!(sha256, sha256_hex(b"hello, and more"));
    }

    #[cfg(unix)]
    #[test]
    fn socket_is_not_a_regular_file() {
        let temp = tempfile::tempdir().expect("temp dir");
        let _listener =
            std::os::unix::net::UnixListener::bind(temp.path().join("a.md")).expect("bind");
        let found = problem(temp.path(), entry("a.md", "hello"));
        assert_eq!(found.as_deref(), Some("it is not a regular file"));
    }

    #[test]
    fn missing_file_cannot_be_read() {
        let temp = tempfile::tempdir().expect("temp dir");
        let missing = problem(temp.path(), entry("a.md", "hello")).expect("a mismatch");
        assert!(missing.starts_with("cannot read it: "), "{missing}");
    }

    #[test]
    fn folder_is_not_a_regular_file() {
        let temp = tempfile::tempdir().expect("temp dir");
        fs::create_dir(temp.path().join("a.md")).expect("mkdir");
        let found = problem(temp.path(), entry("a.md", "hello"));
        assert_eq!(found.as_deref(), Some("it is not a regular file"));
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_link_is_not_followed() {
        let temp = tempfile::tempdir().expect("temp dir");
        fs::write(temp.path().join("real.md"), "hello").expect("write");
        std::os::unix::fs::symlink("real.md", temp.path().join("a.md")).expect("symlink");
        let found = problem(temp.path(), entry("a.md", "hello"));
        assert_eq!(found.as_deref(), Some("it is not a regular file"));
    }

    #[cfg(unix)]
    #[test]
    fn fifo_is_not_a_regular_file() {
        let temp = tempfile::tempdir().expect("temp dir");
        let fifo = temp.path().join("a.md");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(status.success(), "mkfifo failed");
        let found = problem(temp.path(), entry("a.md", "hello"));
        assert_eq!(found.as_deref(), Some("it is not a regular file"));
    }
}
