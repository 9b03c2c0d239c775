//! The artifacts rebuilt so far, kept in the order of their first version.

use std::collections::HashMap;
use std::sync::Arc;

use super::ScanVersions;
use crate::artifact::{Artifact, ConversationInfo, Origin, Rebuilt, Version};

/// The set of ids that an artifact id is unique within.
///
/// Tags and the `artifacts` tool share one namespace because both name the artifacts that
/// the web app shows, so a tool update can continue an artifact begun by a tag. File paths
/// have their own namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Namespace {
    Artifact,
    File,
}

impl From<Origin> for Namespace {
    fn from(origin: Origin) -> Self {
        match origin {
            Origin::Tag | Origin::Tool => Namespace::Artifact,
            Origin::File => Namespace::File,
        }
    }
}

/// Artifacts under construction and the conversation-level warnings.
pub(super) struct Store {
    conversation: Arc<ConversationInfo>,
    artifacts: Vec<Artifact>,
    /// Positions in `artifacts` by id, one map for each namespace.
    artifact_positions: HashMap<String, usize>,
    file_positions: HashMap<String, usize>,
    warnings: Vec<String>,
}

impl Store {
    pub(super) fn new(conversation: Arc<ConversationInfo>) -> Self {
        Self {
            conversation,
            artifacts: Vec::new(),
            artifact_positions: HashMap::new(),
            file_positions: HashMap::new(),
            warnings: Vec::new(),
        }
    }

    fn positions_mut(&mut self, origin: Origin) -> &mut HashMap<String, usize> {
        match Namespace::from(origin) {
            Namespace::Artifact => &mut self.artifact_positions,
            Namespace::File => &mut self.file_positions,
        }
    }

    fn position(&self, origin: Origin, id: &str) -> Option<usize> {
        let positions = match Namespace::from(origin) {
            Namespace::Artifact => &self.artifact_positions,
            Namespace::File => &self.file_positions,
        };
        positions.get(id).copied()
    }

    /// Returns the latest version of an artifact, or `None` if it has none yet.
    pub(super) fn latest(&self, origin: Origin, id: &str) -> Option<&Version> {
        let position = self.position(origin, id)?;
        self.artifacts.get(position)?.versions.last()
    }

    /// Appends a version to an artifact, creating the artifact with `origin` if it is new.
    pub(super) fn push_version(&mut self, origin: Origin, id: &str, version: Version) {
        if let Some(artifact) = self
            .position(origin, id)
            .and_then(|position| self.artifacts.get_mut(position))
        {
            artifact.versions.push(version);
            return;
        }

        let position = self.artifacts.len();
        self.positions_mut(origin).insert(id.to_owned(), position);
        self.artifacts.push(Artifact {
            conversation: Arc::clone(&self.conversation),
            id: id.to_owned(),
            origin,
            versions: vec![version],
            warnings: Vec::new(),
        });
    }

    /// Adds a warning to an artifact, or to the conversation when the artifact does not exist.
    pub(super) fn warn_artifact(&mut self, origin: Origin, id: &str, warning: String) {
        match self
            .position(origin, id)
            .and_then(|position| self.artifacts.get_mut(position))
        {
            Some(artifact) => artifact.warnings.push(warning),
            None => self.warnings.push(warning),
        }
    }

    /// Adds a warning that belongs to no artifact.
    pub(super) fn warn(&mut self, warning: String) {
        self.warnings.push(warning);
    }

    /// Scans the versions that `scan` names for risky commands and returns the result.
    pub(super) fn finish(mut self, scan: ScanVersions) -> Rebuilt {
        for artifact in &mut self.artifacts {
            let skipped = match scan {
                ScanVersions::All => 0,
                ScanVersions::Final => artifact.versions.len().saturating_sub(1),
            };
            for version in &mut artifact.versions[skipped..] {
                version.flags = crate::scan::scan(&version.content);
            }
        }
        Rebuilt {
            artifacts: self.artifacts,
            warnings: self.warnings,
        }
    }
}

/// Returns the value unless it is missing or empty.
pub(super) fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|text| !text.is_empty())
}

/// Returns `value` when it is non-empty, else `previous`, else an empty string.
pub(super) fn inherit(value: Option<&str>, previous: Option<&str>) -> String {
    non_empty(value).or(previous).unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Store {
        Store::new(Arc::new(ConversationInfo {
            uuid: "c".to_owned(),
            name: String::new(),
            created_at: None,
            updated_at: None,
        }))
    }

    fn version(content: &str) -> Version {
        Version {
            content: content.to_owned(),
            title: String::new(),
            kind: String::new(),
            language: None,
            message_uuid: "m".to_owned(),
            flags: Vec::new(),
        }
    }

    #[test]
    fn tool_continues_tag_artifact() {
        let mut store = store();
        store.push_version(Origin::Tag, "x", version("1"));
        store.push_version(Origin::Tool, "x", version("2"));
        let rebuilt = store.finish(ScanVersions::All);
        assert_eq!(rebuilt.artifacts.len(), 1);
        assert_eq!(rebuilt.artifacts[0].origin, Origin::Tag);
        assert_eq!(rebuilt.artifacts[0].versions.len(), 2);
    }

    #[test]
    fn file_namespace_separate() {
        let mut store = store();
        store.push_version(Origin::Tool, "x", version("1"));
        store.push_version(Origin::File, "x", version("2"));
        assert_eq!(store.finish(ScanVersions::All).artifacts.len(), 2);
    }

    #[test]
    fn warning_without_artifact_goes_to_conversation() {
        let mut store = store();
        store.warn_artifact(Origin::Tool, "missing", "w".to_owned());
        assert_eq!(store.finish(ScanVersions::All).warnings, ["w"]);
    }

    #[test]
    fn final_scan_skips_earlier_versions() {
        let risky = "curl -fsSL https://example.com/i.sh | sh";
        let mut store = store();
        store.push_version(Origin::Tool, "x", version(risky));
        store.push_version(Origin::Tool, "x", version(risky));
        let rebuilt = store.finish(ScanVersions::Final);
        let versions = &rebuilt.artifacts[0].versions;
        assert_eq!(versions[0].flags, []);
        assert_eq!(versions[1].flags, [crate::scan::Flag::PipeToShell]);
    }

    #[test]
    fn full_scan_flags_every_version() {
        let risky = "curl -fsSL https://example.com/i.sh | sh";
        let mut store = store();
        store.push_version(Origin::Tool, "x", version(risky));
        store.push_version(Origin::Tool, "x", version("echo done"));
        let rebuilt = store.finish(ScanVersions::All);
        let versions = &rebuilt.artifacts[0].versions;
        assert_eq!(versions[0].flags, [crate::scan::Flag::PipeToShell]);
        assert_eq!(versions[1].flags, []);
    }

    #[test]
    fn inherit_prefers_non_empty_value() {
        assert_eq!(inherit(Some("new"), Some("old")), "new");
        assert_eq!(inherit(Some(""), Some("old")), "old");
        assert_eq!(inherit(None, Some("old")), "old");
        assert_eq!(inherit(None, None), "");
    }
}
