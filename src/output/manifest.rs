//! `manifest.json`: the list of files artifactor wrote into an output folder.
//!
//! Scripts read it, so its field names are part of the interface. It also records, for a
//! later run, which files in the folder artifactor owns and may replace.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::prepare::OutputError;

/// The manifest's file name inside the output folder.
pub const MANIFEST_FILE: &str = "manifest.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub artifactor_version: String,
    /// RFC 3339 time of the run that wrote it.
    pub created_at: String,
    /// The inputs of that run, as given on the command line.
    pub inputs: Vec<String>,
    pub artifacts: Vec<ManifestEntry>,
}

/// One file in the output folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub conversation_uuid: String,
    pub conversation_name: String,
    /// The tag identifier, the tool's artifact id, or the file path in files mode.
    pub artifact_id: String,
    pub title: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub language: Option<String>,
    /// How many versions the artifact has.
    pub versions: usize,
    /// The number of the version in this file, from 1, and equal to `versions` for the final one.
    pub version: usize,
    /// Relative to the output folder, '/' separated.
    pub path: String,
    pub bytes: u64,
    /// Lowercase hex SHA-256 of the file.
    pub sha256: String,
    pub warnings: Vec<String>,
    /// Names of the risky-content flags that the scan raised for this version, such as
    /// `pipe-to-shell`. The field is left out when there are none, so manifests of clean
    /// artifacts read as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
}

/// Reads the manifest that an earlier run left in `root`.
///
/// Returns `None` when there is none. A `manifest.json` that artifactor did not write is an
/// error, because the run would replace another program's file, unless `force` is set.
pub fn load_previous(root: &Path, force: bool) -> Result<Option<Manifest>, OutputError> {
    let path = root.join(MANIFEST_FILE);
    let text = match fs::read(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(OutputError::Io { path, source }),
    };
    match serde_json::from_slice::<Manifest>(&text) {
        Ok(mut manifest) => {
            // artifactor writes only plain relative paths, so any other entry was edited by
            // hand, and the files it names are treated like files artifactor did not write.
            manifest.artifacts.retain(|entry| {
                let plain = is_plain_relative_path(&entry.path);
                if !plain {
                    tracing::warn!(path = %path.display(), entry = %entry.path, "ignoring a manifest entry whose path is not a plain relative path");
                }
                plain
            });
            Ok(Some(manifest))
        }
        Err(_) if looks_like_ours(&text) => {
            // A damaged manifest of ours is replaced; the files it listed are then treated
            // like any file artifactor did not write.
            tracing::warn!(path = %path.display(), "ignoring an unreadable manifest");
            Ok(None)
        }
        Err(_) if force => Ok(None),
        Err(_) => Err(OutputError::ForeignManifest { path }),
    }
}

/// Returns whether `path` is `/`-separated components below the output folder, none of them
/// empty, `.` or `..`, and without backslashes, as every path that artifactor writes is.
pub(crate) fn is_plain_relative_path(path: &str) -> bool {
    path.split('/').all(|component| {
        !component.is_empty() && component != "." && component != ".." && !component.contains('\\')
    })
}

fn looks_like_ours(text: &[u8]) -> bool {
    text.windows(b"\"artifactor_version\"".len())
        .any(|window| window == b"\"artifactor_version\"")
}

/// Writes the manifest atomically: a temporary file in `root`, then a rename.
pub fn write_manifest(root: &Path, manifest: &Manifest) -> Result<(), OutputError> {
    let path = root.join(MANIFEST_FILE);
    let io_error = |source| OutputError::ManifestWrite {
        path: path.clone(),
        source,
    };
    let mut file = super::write::temporary_file(root).map_err(io_error)?;
    // Written as it is serialized, so that a manifest of many entries is never whole in
    // memory.
    let mut writer = io::BufWriter::new(file.as_file_mut());
    serde_json::to_writer_pretty(&mut writer, manifest)
        .map_err(io::Error::from)
        .map_err(io_error)?;
    writer.write_all(b"\n").map_err(io_error)?;
    writer.flush().map_err(io_error)?;
    drop(writer);
    file.persist(&path).map_err(|err| io_error(err.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earlier_manifest_drops_unusual_paths() {
        let temp = tempfile::tempdir().expect("temporary folder");
        let entry = |path: &str| {
            serde_json::json!({
                "conversation_uuid": "c1", "conversation_name": "Chat", "artifact_id": "a",
                "title": "A", "type": "document", "language": null, "versions": 1,
                "version": 1, "path": path, "bytes": 4, "sha256": "00", "warnings": []
            })
        };
        let paths = [
            "chat/a.md",
            "../outside.md",
            "./a.md",
            "chat//a.md",
            "chat\\a.md",
        ];
        let manifest = serde_json::json!({
            "artifactor_version": "0.1.0",
            "created_at": "2026-12-05T00:00:00Z",
            "inputs": [],
            "artifacts": paths.iter().map(|path| entry(path)).collect::<Vec<_>>(),
        });
        fs::write(temp.path().join(MANIFEST_FILE), manifest.to_string()).expect("write");
        let loaded = load_previous(temp.path(), false)
            .expect("readable")
            .expect("a manifest");
        let loaded_paths: Vec<&str> = loaded
            .artifacts
            .iter()
            .map(|entry| entry.path.as_str())
            .collect();
        assert_eq!(loaded_paths, ["chat/a.md"]);
    }

    #[test]
    fn manifest_write_error_names_file() {
        let temp = tempfile::tempdir().expect("temporary folder");
        let missing = temp.path().join("missing");
        let manifest = Manifest {
            artifactor_version: "0.1.0".to_owned(),
            created_at: "2026-12-05T00:00:00Z".to_owned(),
            inputs: Vec::new(),
            artifacts: Vec::new(),
        };
        let err = write_manifest(&missing, &manifest).expect_err("the folder is missing");
        let message = err.to_string();
        let path = missing.join(MANIFEST_FILE);
        assert!(
            message.starts_with(&format!("failed to write the manifest {}", path.display())),
            "{message}"
        );
        assert!(
            message.contains("The earlier manifest is unchanged"),
            "{message}"
        );
    }
}
