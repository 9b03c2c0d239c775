//! The artifacts the window holds, as the coordinator loaded them, with the derived values
//! that search, filters and sorting read.
//!
//! Every load appends entries and conversations until the list is cleared, so an index into
//! [`Library::entries`] stays valid for the selection and the filter.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::artifact::{Artifact, ConversationInfo, Origin};
use crate::coordinator::LoadedConversation;
use crate::naming;
use crate::scan::Flag;

/// One conversation that was loaded.
#[derive(Debug)]
pub(crate) struct Conversation {
    pub(crate) info: Arc<ConversationInfo>,
    /// The name in lower case, for search.
    pub(crate) name_lower: String,
    /// Indices into [`Library::entries`].
    pub(crate) artifacts: Vec<usize>,
    /// Problems that belong to no single artifact.
    pub(crate) warnings: Vec<String>,
}

/// One loaded artifact.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) artifact: Arc<Artifact>,
    /// Index into [`Library::conversations`].
    pub(crate) conversation: usize,
    /// The final version's title as shown (see [`display_title`]) in lower case, for search
    /// and sorting.
    pub(crate) title_lower: String,
    /// The final version's language, or for files the extension of the file's name.
    pub(crate) language: Option<String>,
    /// Size of the final version in bytes.
    pub(crate) size: usize,
    /// The scan flags raised by any of its versions, in [`Flag::ALL`] order, which the
    /// table shows as a badge.
    pub(crate) flags: Vec<Flag>,
}

impl Entry {
    pub(crate) fn title(&self) -> &str {
        &self.artifact.final_version().title
    }

    /// Returns the final version's title as the window shows it: see [`display_title`].
    pub(crate) fn display_title(&self) -> &str {
        display_title(self.title())
    }

    pub(crate) fn kind(&self) -> &str {
        &self.artifact.final_version().kind
    }

    pub(crate) fn versions(&self) -> usize {
        self.artifact.versions.len()
    }
}

/// Everything loaded since the window opened or the list was last cleared.
#[derive(Debug, Default)]
pub(crate) struct Library {
    conversations: Vec<Conversation>,
    entries: Vec<Entry>,
    /// Artifact types present, with the number of artifacts of each.
    kinds: BTreeMap<String, usize>,
    /// Languages present, with the number of artifacts of each.
    languages: BTreeMap<String, usize>,
    /// The inputs the artifacts came from, recorded in a save's manifest.
    sources: Vec<String>,
    /// Conversation and artifact warnings.
    warnings: usize,
}

impl Library {
    /// Empties the library, keeping `sources` as the inputs of what comes next.
    pub(crate) fn reset(&mut self, sources: Vec<String>) {
        *self = Self {
            sources,
            ..Self::default()
        };
    }

    /// Records another input, such as a file or pasted text, whose artifacts were added.
    pub(crate) fn add_source(&mut self, source: &str) {
        if !self.sources.iter().any(|known| known == source) {
            self.sources.push(source.to_owned());
        }
    }

    /// Adds a batch of loaded conversations.
    pub(crate) fn add(&mut self, batch: Vec<LoadedConversation>) {
        for loaded in batch {
            let conversation = self.conversations.len();
            let mut artifacts = Vec::with_capacity(loaded.artifacts.len());
            for artifact in loaded.artifacts {
                artifacts.push(self.entries.len());
                let entry = self.make_entry(artifact, conversation);
                self.entries.push(entry);
            }
            self.warnings += loaded.warnings.len();
            self.conversations.push(Conversation {
                name_lower: loaded.info.name.to_lowercase(),
                info: loaded.info,
                artifacts,
                warnings: loaded.warnings,
            });
        }
    }

    fn make_entry(&mut self, artifact: Arc<Artifact>, conversation: usize) -> Entry {
        let version = artifact.final_version();
        let language = version
            .language
            .clone()
            .filter(|language| !language.is_empty())
            .or_else(|| file_extension(&artifact));
        *self.kinds.entry(version.kind.clone()).or_default() += 1;
        if let Some(language) = &language {
            *self.languages.entry(language.clone()).or_default() += 1;
        }
        self.warnings += artifact.warnings.len();
        let mut flags: Vec<Flag> = artifact
            .versions
            .iter()
            .flat_map(|version| version.flags.iter().copied())
            .collect();
        flags.sort_unstable();
        flags.dedup();
        Entry {
            title_lower: display_title(&version.title).to_lowercase(),
            size: version.content.len(),
            flags,
            language,
            conversation,
            artifact,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.conversations.is_empty()
    }

    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub(crate) fn entry(&self, index: usize) -> Option<&Entry> {
        self.entries.get(index)
    }

    pub(crate) fn conversations(&self) -> &[Conversation] {
        &self.conversations
    }

    pub(crate) fn conversation_of(&self, entry: &Entry) -> &Conversation {
        &self.conversations[entry.conversation]
    }

    pub(crate) fn kinds(&self) -> &BTreeMap<String, usize> {
        &self.kinds
    }

    pub(crate) fn languages(&self) -> &BTreeMap<String, usize> {
        &self.languages
    }

    pub(crate) fn sources(&self) -> &[String] {
        &self.sources
    }

    pub(crate) fn warnings(&self) -> usize {
        self.warnings
    }

    /// Returns every warning, each prefixed with its conversation and, for an artifact's
    /// warning, the artifact's title.
    pub(crate) fn warning_texts(&self) -> impl Iterator<Item = String> + '_ {
        self.conversations.iter().flat_map(move |conversation| {
            let name = &conversation.info.name;
            let own = conversation
                .warnings
                .iter()
                .map(move |warning| format!("{name}: {warning}"));
            let of_artifacts =
                conversation.artifacts.iter().flat_map(move |&index| {
                    let entry = &self.entries[index];
                    entry.artifact.warnings.iter().map(move |warning| {
                        format!("{name} / {}: {warning}", entry.display_title())
                    })
                });
            own.chain(of_artifacts)
        })
    }

    /// Returns the number of conversations that have at least one artifact.
    pub(crate) fn conversations_with_artifacts(&self) -> usize {
        self.conversations
            .iter()
            .filter(|conversation| !conversation.artifacts.is_empty())
            .count()
    }
}

/// Returns the title to show for an artifact version, which may have none: an empty title is
/// "untitled", the name that the saved file gets.
pub(crate) fn display_title(title: &str) -> &str {
    if title.trim().is_empty() {
        naming::FALLBACK_NAME
    } else {
        title
    }
}

/// Returns the extension of a file artifact's path, such as `py` for `/src/app.py`.
fn file_extension(artifact: &Artifact) -> Option<String> {
    if artifact.origin != Origin::File {
        return None;
    }
    Path::new(&artifact.id)
        .extension()
        .map(|extension| extension.to_string_lossy().to_lowercase())
}

#[cfg(test)]
pub(crate) mod test_support {
    use std::sync::Arc;

    use crate::artifact::{Artifact, ConversationInfo, Origin, Version};
    use crate::coordinator::LoadedConversation;

    /// Builds a loaded conversation with one single-version artifact per `(title, content)`.
    pub(crate) fn conversation(name: &str, artifacts: &[(&str, &str)]) -> LoadedConversation {
        let info = Arc::new(ConversationInfo {
            uuid: format!("uuid-{name}"),
            name: name.to_owned(),
            created_at: Some("2024-06-14T09:12:03Z".to_owned()),
            updated_at: None,
        });
        let artifacts = artifacts
            .iter()
            .map(|(title, content)| {
                Arc::new(Artifact {
                    conversation: Arc::clone(&info),
                    id: title.to_lowercase(),
                    origin: Origin::Tag,
                    versions: vec![Version {
                        content: (*content).to_owned(),
                        title: (*title).to_owned(),
                        kind: "application/vnd.ant.code".to_owned(),
                        language: Some("python".to_owned()),
                        message_uuid: "message".to_owned(),
                        flags: Vec::new(),
                    }],
                    warnings: Vec::new(),
                })
            })
            .collect();
        LoadedConversation {
            info,
            artifacts,
            warnings: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::conversation;
    use super::*;

    #[test]
    fn add_indexes_entries_by_conversation() {
        let mut library = Library::default();
        library.add(vec![
            conversation("First", &[("A", "a"), ("B", "bb")]),
            conversation("Empty", &[]),
            conversation("Second", &[("C", "ccc")]),
        ]);
        assert_eq!(library.entries().len(), 3);
        assert_eq!(library.conversations()[2].artifacts, vec![2]);
        assert_eq!(library.entries()[2].conversation, 2);
        assert_eq!(library.entries()[1].size, 2);
        assert_eq!(library.conversations_with_artifacts(), 2);
        assert_eq!(library.kinds().get("application/vnd.ant.code"), Some(&3));
        assert_eq!(library.languages().get("python"), Some(&3));
    }

    #[test]
    fn reset_keeps_only_sources() {
        let mut library = Library::default();
        library.add(vec![conversation("First", &[("A", "a")])]);
        library.reset(vec!["export.zip".to_owned()]);
        assert!(library.is_empty());
        assert!(library.kinds().is_empty());
        assert_eq!(library.sources(), ["export.zip".to_owned()]);
    }
}
