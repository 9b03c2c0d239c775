//! `manifest.json`: the list of files artifactor wrote into an output folder.
//!
//! Scripts read it, so its field names are part of the interface. It also records, for a
//! later run, which files in the folder artifactor owns and may replace.

use std::cell::RefCell;
use std::io::{self, Write};
use std::path::Path;

use serde::ser::{Error as _, SerializeSeq as _, Serializer};
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
    /// Read as empty when missing, as in a manifest edited by hand.
    #[serde(default)]
    pub warnings: Vec<String>,
    /// Names of the risky-content flags that the scan raised for this version, such as
    /// `pipe-to-shell`. The field is left out when there are none, so manifests of clean
    /// artifacts read as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
}

/// Returns whether `path` is `/`-separated components below the output folder, none of them
/// empty, `.` or `..`, and without backslashes, as every path that artifactor writes is.
pub(crate) fn is_plain_relative_path(path: &str) -> bool {
    path.split('/').all(|component| {
        !component.is_empty() && component != "." && component != ".." && !component.contains('\\')
    })
}

/// Writes the manifest atomically: a temporary file in `root`, then a rename.
pub fn write_manifest(root: &Path, manifest: &Manifest) -> Result<(), OutputError> {
    let header = ManifestHeader {
        artifactor_version: &manifest.artifactor_version,
        created_at: &manifest.created_at,
        inputs: &manifest.inputs,
    };
    write_manifest_streamed(root, &header, |visit| {
        manifest
            .artifacts
            .iter()
            .try_for_each(|entry| visit(entry.clone()))
    })
}

/// The fields of a manifest other than its entries.
pub struct ManifestHeader<'a> {
    pub artifactor_version: &'a str,
    pub created_at: &'a str,
    pub inputs: &'a [String],
}

/// A function that passes each entry of a manifest to its argument, in order, and stops at
/// the first error.
pub type EntrySource<'a> =
    dyn FnOnce(&mut dyn FnMut(ManifestEntry) -> io::Result<()>) -> io::Result<()> + 'a;

/// Writes a manifest atomically, like [`write_manifest`], taking its entries one at a time
/// from `entries`, so that they never need to be in memory together.
pub fn write_manifest_streamed<'a>(
    root: &Path,
    header: &ManifestHeader<'_>,
    entries: impl FnOnce(&mut dyn FnMut(ManifestEntry) -> io::Result<()>) -> io::Result<()> + 'a,
) -> Result<(), OutputError> {
    let path = root.join(MANIFEST_FILE);
    let io_error = |source| OutputError::ManifestWrite {
        path: path.clone(),
        source,
    };
    let mut file = super::write::temporary_file(root).map_err(io_error)?;
    let manifest = StreamedManifest {
        artifactor_version: header.artifactor_version,
        created_at: header.created_at,
        inputs: header.inputs,
        artifacts: StreamedEntries(RefCell::new(Some(Box::new(entries)))),
    };
    let mut writer = io::BufWriter::new(file.as_file_mut());
    serde_json::to_writer_pretty(&mut writer, &manifest)
        .map_err(io::Error::from)
        .map_err(io_error)?;
    writer.write_all(b"\n").map_err(io_error)?;
    writer.flush().map_err(io_error)?;
    drop(writer);
    file.persist(&path).map_err(|err| io_error(err.error))?;
    Ok(())
}

/// A manifest whose entries are serialized as they are produced. Its fields are those of
/// [`Manifest`], in the same order.
#[derive(Serialize)]
struct StreamedManifest<'a> {
    artifactor_version: &'a str,
    created_at: &'a str,
    inputs: &'a [String],
    artifacts: StreamedEntries<'a>,
}

/// The entries of a [`StreamedManifest`], which can be serialized once.
struct StreamedEntries<'a>(RefCell<Option<Box<EntrySource<'a>>>>);

impl Serialize for StreamedEntries<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Some(entries) = self.0.borrow_mut().take() else {
            return Err(S::Error::custom("the manifest entries were written before"));
        };
        let mut seq = serializer.serialize_seq(None)?;
        let mut serialize_error = None;
        let produced = entries(&mut |entry| match seq.serialize_element(&entry) {
            Ok(()) => Ok(()),
            Err(err) => {
                let message = err.to_string();
                serialize_error = Some(err);
                Err(io::Error::other(message))
            }
        });
        if let Some(err) = serialize_error {
            return Err(err);
        }
        produced.map_err(S::Error::custom)?;
        seq.end()
    }
}

/// Returns an entry of conversation `uuid` for the file at `path` with checksum `sha256`.
#[cfg(test)]
pub(crate) fn test_entry(uuid: &str, path: &str, sha256: &str) -> ManifestEntry {
    ManifestEntry {
        conversation_uuid: uuid.to_owned(),
        conversation_name: "Chat".to_owned(),
        artifact_id: "a".to_owned(),
        title: "A".to_owned(),
        kind: "document".to_owned(),
        language: None,
        versions: 1,
        version: 1,
        path: path.to_owned(),
        bytes: 4,
        sha256: sha256.to_owned(),
        warnings: Vec::new(),
        flags: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    /// Returns a manifest with `count` entries.
    fn manifest_of(count: usize) -> Manifest {
        let entries = (0..count).map(|number| ManifestEntry {
            conversation_uuid: "c1".to_owned(),
            conversation_name: "Chat \"quoted\"".to_owned(),
            artifact_id: format!("a{number}"),
            title: "Title".to_owned(),
            kind: "application/vnd.ant.code".to_owned(),
            language: Some("rust".to_owned()),
            versions: 2,
            version: 2,
            path: format!("chat/file {number}.rs"),
            bytes: 10,
            sha256: "ab".repeat(32),
            warnings: vec!["a warning".to_owned()],
            flags: if number == 0 {
                vec!["pipe-to-shell".to_owned()]
            } else {
                Vec::new()
            },
        });
        Manifest {
            artifactor_version: "0.1.0".to_owned(),
            created_at: "2026-12-05T00:00:00Z".to_owned(),
            inputs: vec!["export.zip".to_owned()],
            artifacts: entries.collect(),
        }
    }

    #[test]
    fn streamed_manifest_matches_whole_one() {
        for count in [0, 1, 3] {
            let temp = tempfile::tempdir().expect("temporary folder");
            let manifest = manifest_of(count);
            write_manifest(temp.path(), &manifest).expect("the manifest is written");
            let written = fs::read_to_string(temp.path().join(MANIFEST_FILE)).expect("it reads");
            let whole = serde_json::to_string_pretty(&manifest).expect("it serializes") + "\n";
            assert_eq!(written, whole, "{count} entries");
        }
    }

    #[test]
    fn entry_error_keeps_earlier_manifest() {
        let temp = tempfile::tempdir().expect("temporary folder");
        let earlier = manifest_of(1);
        write_manifest(temp.path(), &earlier).expect("the manifest is written");
        let header = ManifestHeader {
            artifactor_version: "0.1.0",
            created_at: "2026-12-06T00:00:00Z",
            inputs: &[],
        };
        let err = write_manifest_streamed(temp.path(), &header, |visit| {
            visit(manifest_of(1).artifacts.remove(0))?;
            Err(io::Error::other("the entries cannot be read"))
        })
        .expect_err("an entry failed");
        assert!(
            err.to_string().contains("the entries cannot be read"),
            "{err}"
        );
        let unchanged = fs::read_to_string(temp.path().join(MANIFEST_FILE)).expect("it reads");
        let expected = serde_json::to_string_pretty(&earlier).expect("it serializes") + "\n";
        assert_eq!(unchanged, expected);
        let names = fs::read_dir(temp.path()).expect("a folder").count();
        assert_eq!(names, 1, "no temporary file is left");
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
