//! Turning rebuilt artifacts into files: folder and file names, and their manifest entries.

use std::collections::HashSet;
use std::sync::Arc;

use super::messages::{Layout, LoadedConversation};
use crate::artifact::{Artifact, ConversationInfo, Origin};
use crate::naming::{self, NameAllocator};
use crate::output::{ManifestEntry, sha256_hex};

/// One file to write: one version of an artifact.
pub(super) struct PlannedFile {
    /// Path below the output folder, one sanitized component each.
    pub components: Vec<String>,
    artifact: Arc<Artifact>,
    /// Index into the artifact's versions.
    version: usize,
    pub entry: ManifestEntry,
}

impl PlannedFile {
    /// Returns the text to write.
    pub fn content(&self) -> &str {
        &self.artifact.versions[self.version].content
    }
}

/// The files of one conversation, and its warnings with their context.
pub(super) struct ConversationFiles {
    pub files: Vec<PlannedFile>,
    pub warnings: Vec<String>,
    /// How many of `warnings` belong to the conversation rather than to an artifact.
    pub conversation_warnings: usize,
}

/// Hands out names across a whole job, so they are unique and the same on every run.
pub(super) struct Planner {
    all_versions: bool,
    layout: Layout,
    /// Conversation folder names, or every file name in the flat layout.
    top_level: NameAllocator,
    seen_conversations: HashSet<String>,
}

impl Planner {
    pub fn new(all_versions: bool, layout: Layout) -> Self {
        Self {
            all_versions,
            layout,
            top_level: NameAllocator::new(),
            seen_conversations: HashSet::new(),
        }
    }

    /// Plans the files of one conversation. Returns `None` when it has nothing to write or
    /// report.
    pub fn plan(&mut self, conversation: &LoadedConversation) -> Option<ConversationFiles> {
        let info = &conversation.info;
        let label = conversation_label(info);
        if !info.uuid.is_empty() && !self.seen_conversations.insert(info.uuid.clone()) {
            return Some(ConversationFiles {
                files: Vec::new(),
                warnings: vec![format!(
                    "{label}: the conversation appears in more than one input; only the first \
                     copy was written"
                )],
                conversation_warnings: 1,
            });
        }
        if conversation.artifacts.is_empty() && conversation.warnings.is_empty() {
            return None;
        }

        let mut warnings: Vec<String> = conversation
            .warnings
            .iter()
            .map(|warning| format!("{label}: {warning}"))
            .collect();
        let conversation_warnings = warnings.len();
        let mut files = Vec::new();
        if !conversation.artifacts.is_empty() {
            let mut folder_names = NameAllocator::new();
            let (folder, names) = match self.layout {
                Layout::PerConversation => {
                    let wanted = naming::conversation_folder(
                        &info.uuid,
                        &info.name,
                        info.created_at.as_deref(),
                    );
                    (Some(self.top_level.allocate(&wanted)), &mut folder_names)
                }
                Layout::Flat => (None, &mut self.top_level),
            };
            for artifact in &conversation.artifacts {
                let title = &artifact.final_version().title;
                for warning in &artifact.warnings {
                    warnings.push(format!("{label} › {title}: {warning}"));
                }
                files.extend(plan_artifact(
                    folder.as_deref(),
                    names,
                    artifact,
                    self.all_versions,
                ));
            }
        }
        Some(ConversationFiles {
            files,
            warnings,
            conversation_warnings,
        })
    }
}

/// Plans the final file of an artifact, and its earlier versions when asked to.
fn plan_artifact(
    folder: Option<&str>,
    names: &mut NameAllocator,
    artifact: &Arc<Artifact>,
    all_versions: bool,
) -> Vec<PlannedFile> {
    let last = artifact.final_version();
    let wanted = match artifact.origin {
        Origin::File => naming::file_path_components(&artifact.id).join("/"),
        Origin::Tag | Origin::Tool => naming::artifact_file_name(
            &last.title,
            &last.kind,
            last.language.as_deref(),
            &last.content,
        ),
    };
    let final_name = names.allocate(&wanted);
    let count = artifact.versions.len();

    let mut planned = Vec::new();
    for (index, version) in artifact.versions.iter().enumerate() {
        let number = index + 1;
        let is_final = number == count;
        if !is_final && !all_versions {
            continue;
        }
        let name = if is_final {
            final_name.clone()
        } else {
            let wanted = naming::version_file_name(&final_name, number);
            if names.reserve(&wanted) {
                wanted
            } else {
                names.allocate(&wanted)
            }
        };
        let mut components: Vec<String> = folder.into_iter().map(str::to_owned).collect();
        components.extend(name.split('/').map(str::to_owned));
        let entry = ManifestEntry {
            conversation_uuid: artifact.conversation.uuid.clone(),
            conversation_name: artifact.conversation.name.clone(),
            artifact_id: artifact.id.clone(),
            title: version.title.clone(),
            kind: version.kind.clone(),
            language: version.language.clone(),
            versions: count,
            version: number,
            path: components.join("/"),
            bytes: version.content.len() as u64,
            sha256: sha256_hex(version.content.as_bytes()),
            warnings: if is_final {
                artifact.warnings.clone()
            } else {
                Vec::new()
            },
        };
        planned.push(PlannedFile {
            components,
            artifact: Arc::clone(artifact),
            version: index,
            entry,
        });
    }
    planned
}

/// Names a conversation in messages: its name (or "Untitled") and the start of its uuid.
fn conversation_label(info: &ConversationInfo) -> String {
    let name = info.name.trim();
    let name = if name.is_empty() { "Untitled" } else { name };
    let short_uuid: String = info.uuid.chars().take(8).collect();
    if short_uuid.is_empty() {
        format!("\"{name}\"")
    } else {
        format!("\"{name}\" ({short_uuid})")
    }
}
