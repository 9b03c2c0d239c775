//! Turning rebuilt artifacts into files: folder and file names, and their manifest entries.

use std::collections::HashSet;

use crate::artifact::{Artifact, Origin, Rebuilt};
use crate::model::Conversation;
use crate::naming::{self, NameAllocator};
use crate::output::{ManifestEntry, sha256_hex};

/// One file to write.
pub(super) struct PlannedFile {
    /// Path below the output folder, one sanitized component each.
    pub components: Vec<String>,
    pub content: String,
    pub entry: ManifestEntry,
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
    folders: NameAllocator,
    seen_conversations: HashSet<String>,
}

impl Planner {
    pub fn new(all_versions: bool) -> Self {
        Self {
            all_versions,
            folders: NameAllocator::new(),
            seen_conversations: HashSet::new(),
        }
    }

    /// Plans the files of one conversation. Returns `None` when it has nothing to write or
    /// report.
    pub fn plan(&mut self, conversation: &Conversation, rebuilt: Rebuilt) -> Option<ConversationFiles> {
        let label = conversation_label(conversation);
        if !conversation.uuid.is_empty() && !self.seen_conversations.insert(conversation.uuid.clone())
        {
            return Some(ConversationFiles {
                files: Vec::new(),
                warnings: vec![format!(
                    "{label}: the conversation appears in more than one input; only the first \
                     copy was written"
                )],
                conversation_warnings: 1,
            });
        }
        if rebuilt.artifacts.is_empty() && rebuilt.warnings.is_empty() {
            return None;
        }

        let mut warnings: Vec<String> = rebuilt
            .warnings
            .iter()
            .map(|warning| format!("{label}: {warning}"))
            .collect();
        let conversation_warnings = warnings.len();
        let mut files = Vec::new();
        if !rebuilt.artifacts.is_empty() {
            let folder = self.folders.allocate(&naming::conversation_folder(
                &conversation.uuid,
                conversation.display_name(),
                conversation.created_at.as_deref(),
            ));
            let mut names = NameAllocator::new();
            for artifact in rebuilt.artifacts {
                for warning in &artifact.warnings {
                    let title = &artifact.final_version().title;
                    warnings.push(format!("{label} › {title}: {warning}"));
                }
                files.extend(self.plan_artifact(&folder, &mut names, artifact));
            }
        }
        Some(ConversationFiles {
            files,
            warnings,
            conversation_warnings,
        })
    }

    /// Plans the final file of an artifact, and its earlier versions when asked to.
    fn plan_artifact(
        &self,
        folder: &str,
        names: &mut NameAllocator,
        artifact: Artifact,
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
        let Artifact {
            conversation,
            id,
            versions,
            warnings,
            ..
        } = artifact;
        for (index, version) in versions.into_iter().enumerate() {
            let number = index + 1;
            let is_final = number == count;
            if !is_final && !self.all_versions {
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
            let mut components = vec![folder.to_owned()];
            components.extend(name.split('/').map(str::to_owned));
            let entry = ManifestEntry {
                conversation_uuid: conversation.uuid.clone(),
                conversation_name: conversation.name.clone(),
                artifact_id: id.clone(),
                title: version.title.clone(),
                kind: version.kind.clone(),
                language: version.language.clone(),
                versions: count,
                version: number,
                path: components.join("/"),
                bytes: version.content.len() as u64,
                sha256: sha256_hex(version.content.as_bytes()),
                warnings: if is_final { warnings.clone() } else { Vec::new() },
            };
            planned.push(PlannedFile {
                components,
                content: version.content,
                entry,
            });
        }
        planned
    }
}

/// Names a conversation in messages: its name (or "Untitled") and the start of its uuid.
fn conversation_label(conversation: &Conversation) -> String {
    let name = conversation.display_name().trim();
    let name = if name.is_empty() { "Untitled" } else { name };
    let short_uuid: String = conversation.uuid.chars().take(8).collect();
    if short_uuid.is_empty() {
        format!("\"{name}\"")
    } else {
        format!("\"{name}\" ({short_uuid})")
    }
}
