//! Checking the files on disk against the manifest.

use std::fs;
use std::path::Path;

use super::manifest::ManifestEntry;
use super::write::file_sha256;

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
    let metadata = match fs::symlink_metadata(&path) {
        Ok(metadata) => metadata,
        Err(err) => return Some(format!("cannot read it: {err}")),
    };
    if !metadata.is_file() {
        return Some("it is not a regular file".to_owned());
    }
    if metadata.len() != entry.bytes {
        return Some(format!(
            "it has {} bytes, the manifest says {}",
            metadata.len(),
            entry.bytes
        ));
    }
    match file_sha256(&path) {
        Ok(sha256) if sha256 == entry.sha256 => None,
        Ok(sha256) => Some(format!(
            "its SHA-256 is {sha256}, the manifest says {}",
            entry.sha256
        )),
        Err(err) => Some(format!("cannot read it: {err}")),
    }
}
