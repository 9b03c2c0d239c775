//! Artifacts rebuilt from a conversation, with every version along its active branch.

use std::sync::Arc;

use crate::scan::Flag;

/// The conversation that an artifact belongs to, shared by all its artifacts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationInfo {
    pub uuid: String,
    /// The display name, which may be empty.
    pub name: String,
    /// RFC 3339 creation time as the source wrote it, if any.
    pub created_at: Option<String>,
    /// RFC 3339 time of the last change, if any, which decides which of two copies is newer.
    pub updated_at: Option<String>,
}

/// The form in which an artifact appeared in the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// An inline `<antArtifact>` tag in message text.
    Tag,
    /// The `artifacts` tool (`create`, `rewrite`, `update`).
    Tool,
    /// A file written with `create_file` or `str_replace`, keyed by its path.
    File,
}

/// One full version of an artifact's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The content, byte for byte as Claude produced it.
    pub content: String,
    pub title: String,
    /// The artifact type, such as `application/vnd.ant.code`. Empty for files.
    pub kind: String,
    pub language: Option<String>,
    /// The message that produced this version.
    pub message_uuid: String,
    /// Risky content that [`crate::scan::scan`] found in `content`. The rebuild sets it once,
    /// so no front end scans again. It stays empty for an earlier version when the rebuild
    /// scanned final versions only ([`crate::rebuild::ScanVersions::Final`]).
    pub flags: Vec<Flag>,
}

/// An artifact of one conversation: identified by the conversation and its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    pub conversation: Arc<ConversationInfo>,
    /// The tag identifier, the tool's artifact id, or the file path in files mode.
    pub id: String,
    pub origin: Origin,
    /// Versions in the order they were made. Never empty.
    pub versions: Vec<Version>,
    /// Problems met while rebuilding, such as an update that could not be applied.
    pub warnings: Vec<String>,
}

impl Artifact {
    /// Returns the last version, which is the one written as the artifact's file.
    pub fn final_version(&self) -> &Version {
        self.versions
            .last()
            .expect("an artifact is created with its first version")
    }

    /// Returns the bytes of text in all of its versions, which it keeps in memory.
    pub fn text_bytes(&self) -> usize {
        self.versions
            .iter()
            .map(|version| version.content.len())
            .sum()
    }
}

/// The result of rebuilding one conversation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rebuilt {
    /// Artifacts in the order of their first version.
    pub artifacts: Vec<Artifact>,
    /// Problems that belong to no artifact, such as an update for an id never created on
    /// the active branch.
    pub warnings: Vec<String>,
}
