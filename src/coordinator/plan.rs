//! Turning rebuilt artifacts into files: folder and file names, and their manifest entries.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::messages::{Layout, LoadedConversation};
use crate::artifact::{Artifact, ConversationInfo, Origin, Version};
use crate::naming::{self, NameAllocator};
use crate::output::{MANIFEST_FILE, ManifestEntry};
use crate::scan::Flag;
use crate::stable_hash::stable_hash;

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

    /// Returns the scan flags of the version to write.
    pub fn flags(&self) -> &[Flag] {
        &self.artifact.versions[self.version].flags
    }
}

/// The files of one conversation, and its warnings with their context.
pub(super) struct ConversationFiles {
    pub files: Vec<PlannedFile>,
    pub warnings: Vec<String>,
    /// How many of `warnings` belong to the conversation rather than to an artifact.
    pub conversation_warnings: usize,
    /// The number of this plan among the planner's plans, counted from 0.
    pub number: usize,
    /// The number of the plan of an earlier copy of this conversation, whose files this
    /// newer copy replaces.
    pub replaces: Option<usize>,
}

impl ConversationFiles {
    /// Returns the bytes of artifact text that these files keep in memory until they are
    /// written: every version of each artifact, not only the versions written.
    pub fn held_bytes(&self) -> usize {
        let mut seen = HashSet::new();
        self.files
            .iter()
            .filter(|file| seen.insert(Arc::as_ptr(&file.artifact)))
            .map(|file| file.artifact.text_bytes())
            .sum()
    }
}

/// Counts of what the planner accepted, with each conversation counted once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct PlanTotals {
    pub conversations: usize,
    pub artifacts: usize,
    pub versions: usize,
}

/// The planner's record of a conversation it planned. A job keeps one for every conversation
/// until it ends, so the record has no heap allocation of its own.
struct Planned {
    /// The number of the plan, or `None` for a copy without artifacts or warnings, which had
    /// no plan and is recorded only so that an older copy after it is skipped.
    number: Option<u32>,
    /// The byte range of the conversation's folder name in `Planner::folder_names`. `None` in
    /// the flat layout, and when the copy had no artifact.
    folder: Option<Range<u32>>,
    /// `updated_at`, parsed. `None` when it is missing or not an RFC 3339 time.
    updated_at: Option<DateTime<Utc>>,
    /// The artifacts and versions that this copy added to the totals, at most `u32::MAX`.
    artifacts: u32,
    versions: u32,
}

/// Hands out names across a whole job, so they are unique and the same on every run.
pub(super) struct Planner {
    all_versions: bool,
    layout: Layout,
    /// Conversation folder names, or every file in the flat layout.
    top_level: FolderNames,
    /// The conversations planned, by the [`stable_hash`] of their uuid. Two uuids with the same
    /// hash would count as copies of one conversation, so one copy would be skipped or
    /// replaced, but the odds for a million uuids are about 1.5e-27. A conversation with an
    /// empty uuid never matches another, so it gets no record.
    planned: HashMap<u128, Planned>,
    /// The folder names of `planned`, one after another.
    folder_names: String,
    /// In the flat layout, the names that each conversation took in the output folder, by the
    /// hash of its uuid, so a newer copy can take them again.
    flat_names: HashMap<u128, Box<[Box<str>]>>,
    totals: PlanTotals,
    /// The number of plans made.
    plans: usize,
}

impl Planner {
    pub fn new(all_versions: bool, layout: Layout) -> Self {
        let mut top_level = FolderNames::default();
        // The manifest lives at the top of the output folder, so no artifact may take its name.
        top_level.names.reserve(MANIFEST_FILE);
        Self {
            all_versions,
            layout,
            top_level,
            planned: HashMap::new(),
            folder_names: String::new(),
            flat_names: HashMap::new(),
            totals: PlanTotals::default(),
            plans: 0,
        }
    }

    pub fn totals(&self) -> PlanTotals {
        self.totals
    }

    /// Returns whether any conversation was planned, with or without files.
    pub fn planned_any(&self) -> bool {
        self.plans > 0
    }

    /// Plans the files of one conversation. Returns `None` when it has nothing to write or
    /// report.
    ///
    /// When a conversation comes again (from another input), the copy with the later
    /// `updated_at` wins: a newer copy is planned into the same folder, an older or equal one
    /// is skipped with a warning.
    pub fn plan(&mut self, conversation: &LoadedConversation) -> Option<ConversationFiles> {
        let files = self.plan_numbered(conversation, self.plans)?;
        self.plans += 1;
        Some(files)
    }

    /// Plans like [`plan`](Self::plan), giving the plan `number`.
    fn plan_numbered(
        &mut self,
        conversation: &LoadedConversation,
        number: usize,
    ) -> Option<ConversationFiles> {
        let info = &conversation.info;
        let label = conversation_label(info);
        let key = (!info.uuid.is_empty()).then(|| stable_hash(info.uuid.as_bytes()));
        let updated_at = parse_time(info.updated_at.as_deref());
        let mut warnings = Vec::new();
        let mut folder_span = None;
        let mut replaces = None;
        if let Some(key) = key
            && let Some(earlier) = self.planned.get(&key)
        {
            if !is_newer(updated_at, earlier.updated_at) {
                return Some(ConversationFiles {
                    files: Vec::new(),
                    warnings: vec![format!(
                        "{label}: the conversation appears more than once in the inputs; a copy that \
                         is not newer than the first was skipped"
                    )],
                    conversation_warnings: 1,
                    number,
                    replaces: None,
                });
            }
            warnings.push(format!(
                "{label}: the conversation appears more than once in the inputs; the newest copy \
                 was written"
            ));
            folder_span = earlier.folder.clone();
            replaces = earlier.number.map(|number| number as usize);
            for name in self.flat_names.remove(&key).unwrap_or_default() {
                self.top_level.names.release(&name);
            }
            if replaces.is_some() {
                // The record's counts are those added to the totals, so these never wrap.
                self.totals.conversations -= usize::from(earlier.artifacts > 0);
                self.totals.artifacts -= earlier.artifacts as usize;
                self.totals.versions -= earlier.versions as usize;
            }
        }
        // A newer copy without artifacts is still planned, so the older copy's files go.
        if conversation.artifacts.is_empty()
            && conversation.warnings.is_empty()
            && replaces.is_none()
        {
            // Recorded, so that an older copy with artifacts after it is skipped.
            if let Some(key) = key {
                let record = Planned {
                    number: None,
                    folder: None,
                    updated_at,
                    artifacts: 0,
                    versions: 0,
                };
                self.planned.insert(key, record);
            }
            return None;
        }

        warnings.extend(
            conversation
                .warnings
                .iter()
                .map(|warning| format!("{label}: {warning}")),
        );
        let conversation_warnings = warnings.len();
        let mut folder = folder_span
            .clone()
            .map(|span| self.folder_names[span.start as usize..span.end as usize].to_owned());
        if !conversation.artifacts.is_empty()
            && folder.is_none()
            && self.layout == Layout::PerConversation
        {
            let wanted =
                naming::conversation_folder(&info.uuid, &info.name, info.created_at.as_deref());
            let name = self.top_level.names.allocate(&wanted);
            // Only a conversation with a uuid gets a record to point at the stored name.
            if key.is_some() {
                folder_span = self.store_folder_name(&name);
            }
            folder = Some(name);
        }
        let mut files = Vec::new();
        let mut conversation_names = FolderNames::default();
        let names = match self.layout {
            Layout::PerConversation => &mut conversation_names,
            Layout::Flat => &mut self.top_level,
        };
        // Only conversations with artifacts count, so a newer copy without any takes its
        // conversation out of the totals.
        let mut totals = PlanTotals {
            conversations: usize::from(!conversation.artifacts.is_empty()),
            ..PlanTotals::default()
        };
        for artifact in &conversation.artifacts {
            let title = &artifact.final_version().title;
            for warning in &artifact.warnings {
                warnings.push(format!("{label} › {title}: {warning}"));
            }
            totals.artifacts += 1;
            totals.versions += artifact.versions.len();
            let planner = ArtifactPlanner {
                folder: folder.as_deref(),
                flat: self.layout == Layout::Flat,
                all_versions: self.all_versions,
            };
            files.extend(planner.plan(names, artifact));
        }

        self.totals.conversations += totals.conversations;
        self.totals.artifacts += totals.artifacts;
        self.totals.versions += totals.versions;
        if let Some(key) = key {
            if self.layout == Layout::Flat && !files.is_empty() {
                let flat_names = files
                    .iter()
                    .map(|file| Box::from(file.entry.path.as_str()))
                    .collect();
                self.flat_names.insert(key, flat_names);
            }
            let record = Planned {
                // NOTE: past 4 billion plans, a newer copy of a conversation would leave the
                // older copy's files.
                number: u32::try_from(number).ok(),
                folder: folder_span,
                updated_at,
                artifacts: u32::try_from(totals.artifacts).unwrap_or(u32::MAX),
                versions: u32::try_from(totals.versions).unwrap_or(u32::MAX),
            };
            self.planned.insert(key, record);
        }
        Some(ConversationFiles {
            files,
            warnings,
            conversation_warnings,
            number,
            replaces,
        })
    }

    /// Appends a folder name to `folder_names` and returns its byte range there.
    ///
    /// NOTE: past 4 GiB of folder names (over 16 million conversations) this returns `None`
    /// and the name is not recorded, so a newer copy of that conversation gets a new folder.
    fn store_folder_name(&mut self, name: &str) -> Option<Range<u32>> {
        let start = u32::try_from(self.folder_names.len()).ok()?;
        let end = u32::try_from(self.folder_names.len() + name.len()).ok()?;
        self.folder_names.push_str(name);
        Some(start..end)
    }
}

/// Parses an RFC 3339 time such as `updated_at`. Returns `None` when the time is missing or
/// invalid.
fn parse_time(time: Option<&str>) -> Option<DateTime<Utc>> {
    let time = DateTime::parse_from_rfc3339(time?).ok()?;
    Some(time.to_utc())
}

/// Returns whether `candidate` is a later time than `current`. A missing or invalid time
/// (`None`) is older than any valid one.
fn is_newer(candidate: Option<DateTime<Utc>>, current: Option<DateTime<Utc>>) -> bool {
    match (candidate, current) {
        (Some(candidate), Some(current)) => candidate > current,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// Names inside one folder: files, and sub-folders made for files-mode paths, which must not
/// take the same name as a file.
#[derive(Default)]
struct FolderNames {
    names: NameAllocator,
    /// Sub-folder paths handed out, '/' separated and lowercased.
    folders: HashSet<String>,
}

impl FolderNames {
    /// Allocates a relative path. A sub-folder whose name a file already has is renamed, and
    /// a file never takes the name of a sub-folder.
    fn allocate_path(&mut self, components: &[String]) -> String {
        let Some((file, folders)) = components.split_last() else {
            return self.names.allocate("untitled");
        };
        let mut path = String::new();
        for folder in folders {
            let wanted = join(&path, folder);
            let key = wanted.to_lowercase();
            if self.folders.contains(&key) {
                path = wanted;
            } else if self.names.reserve(&wanted) {
                self.folders.insert(key);
                path = wanted;
            } else {
                path = self.names.allocate(&wanted);
                self.folders.insert(path.to_lowercase());
            }
        }
        self.names.allocate(&join(&path, file))
    }
}

fn join(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_owned()
    } else {
        format!("{folder}/{name}")
    }
}

/// Plans the files of one artifact.
struct ArtifactPlanner<'a> {
    /// The conversation's folder, or `None` in the flat layout.
    folder: Option<&'a str>,
    flat: bool,
    all_versions: bool,
}

impl ArtifactPlanner<'_> {
    /// Plans the final file of an artifact, and its earlier versions when asked to.
    fn plan(&self, names: &mut FolderNames, artifact: &Arc<Artifact>) -> Vec<PlannedFile> {
        let last = artifact.final_version();
        let final_name = match artifact.origin {
            Origin::File => {
                let mut components = naming::file_path_components(&artifact.id);
                if self.flat {
                    components = components.split_off(components.len().saturating_sub(1));
                }
                names.allocate_path(&components)
            }
            Origin::Tag | Origin::Tool => names.names.allocate(&naming::artifact_file_name(
                &last.title,
                &last.kind,
                last.language.as_deref(),
                &last.content,
            )),
        };
        let count = artifact.versions.len();

        let mut planned = Vec::new();
        for (index, version) in artifact.versions.iter().enumerate() {
            let number = index + 1;
            let is_final = number == count;
            if !is_final && !self.all_versions {
                continue;
            }
            let name = if is_final {
                final_name.clone()
            } else {
                let wanted = earlier_version_name(&final_name, number, artifact, version);
                if names.names.reserve(&wanted) {
                    wanted
                } else {
                    names.names.allocate(&wanted)
                }
            };
            let mut components: Vec<String> = self.folder.into_iter().map(str::to_owned).collect();
            components.extend(name.split('/').map(str::to_owned));
            planned.push(PlannedFile {
                entry: manifest_entry(artifact, version, number, &components),
                components,
                artifact: Arc::clone(artifact),
                version: index,
            });
        }
        planned
    }
}

/// Names an earlier version beside the final file: `stem.vN.ext`, where the extension is the
/// one that version's own type calls for, so a Markdown draft of a later HTML page stays `.md`.
fn earlier_version_name(
    final_name: &str,
    number: usize,
    artifact: &Artifact,
    version: &Version,
) -> String {
    let name = naming::version_file_name(final_name, number);
    if artifact.origin == Origin::File {
        return name;
    }
    let last = artifact.final_version();
    let final_extension =
        naming::extension_for(&last.kind, last.language.as_deref(), &last.content);
    let own_extension =
        naming::extension_for(&version.kind, version.language.as_deref(), &version.content);
    match name.strip_suffix(final_extension) {
        Some(stem) if own_extension != final_extension => format!("{stem}{own_extension}"),
        _ => name,
    }
}

fn manifest_entry(
    artifact: &Artifact,
    version: &Version,
    number: usize,
    components: &[String],
) -> ManifestEntry {
    let is_final = number == artifact.versions.len();
    ManifestEntry {
        conversation_uuid: artifact.conversation.uuid.clone(),
        conversation_name: artifact.conversation.name.clone(),
        artifact_id: artifact.id.clone(),
        title: version.title.clone(),
        kind: version.kind.clone(),
        language: version.language.clone(),
        versions: artifact.versions.len(),
        version: number,
        path: components.join("/"),
        bytes: version.content.len() as u64,
        // Hashed by the write step on the blocking pool, in parallel with other files.
        sha256: String::new(),
        warnings: if is_final {
            artifact.warnings.clone()
        } else {
            Vec::new()
        },
        flags: version
            .flags
            .iter()
            .map(|flag| flag.name().to_owned())
            .collect(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn artifact(origin: Origin, id: &str, versions: &[(&str, &str, &str)]) -> Arc<Artifact> {
        let info = Arc::new(ConversationInfo {
            uuid: "c0ffee00-0000".to_owned(),
            name: "Chat".to_owned(),
            created_at: Some("2025-01-02T03:04:05Z".to_owned()),
            updated_at: None,
        });
        Arc::new(Artifact {
            conversation: info,
            id: id.to_owned(),
            origin,
            versions: versions
                .iter()
                .map(|(title, kind, content)| Version {
                    content: (*content).to_owned(),
                    title: (*title).to_owned(),
                    kind: (*kind).to_owned(),
                    language: None,
                    message_uuid: "m".to_owned(),
                    flags: Vec::new(),
                })
                .collect(),
            warnings: Vec::new(),
        })
    }

    fn loaded(artifacts: Vec<Arc<Artifact>>, updated_at: Option<&str>) -> LoadedConversation {
        let mut info = (*artifacts[0].conversation).clone();
        info.updated_at = updated_at.map(str::to_owned);
        LoadedConversation {
            info: Arc::new(info),
            artifacts,
            warnings: Vec::new(),
        }
    }

    /// Builds a copy of conversation `uuid`, created on 2025-01-02.
    fn copy_of(
        uuid: &str,
        name: &str,
        updated_at: Option<&str>,
        artifacts: Vec<Arc<Artifact>>,
    ) -> LoadedConversation {
        LoadedConversation {
            info: Arc::new(ConversationInfo {
                uuid: uuid.to_owned(),
                name: name.to_owned(),
                created_at: Some("2025-01-02T03:04:05Z".to_owned()),
                updated_at: updated_at.map(str::to_owned),
            }),
            artifacts,
            warnings: Vec::new(),
        }
    }

    /// Returns a copy of one conversation, "Chat", updated at `updated_at`.
    fn chat_copy(updated_at: Option<&str>, artifacts: Vec<Arc<Artifact>>) -> LoadedConversation {
        copy_of("c0ffee00-aaaa", "Chat", updated_at, artifacts)
    }

    fn doc(content: &str) -> Arc<Artifact> {
        artifact(Origin::Tool, "doc", &[("Doc", "text/markdown", content)])
    }

    fn paths(files: &ConversationFiles) -> Vec<String> {
        files
            .files
            .iter()
            .map(|file| file.entry.path.clone())
            .collect()
    }

    #[test]
    fn flat_layout_never_takes_manifest_name() {
        let mut planner = Planner::new(false, Layout::Flat);
        let manifest = artifact(
            Origin::File,
            "/mnt/user-data/outputs/manifest.json",
            &[("manifest.json", "", "{}")],
        );
        let files = planner
            .plan(&loaded(vec![manifest], None))
            .expect("planned");
        assert_eq!(paths(&files), ["manifest (2).json"]);
    }

    #[test]
    fn file_and_folder_of_same_name_both_fit() {
        let mut planner = Planner::new(false, Layout::PerConversation);
        let file = artifact(Origin::File, "/mnt/user-data/outputs/a", &[("a", "", "x")]);
        let nested = artifact(
            Origin::File,
            "/mnt/user-data/outputs/a/b.md",
            &[("b.md", "", "y")],
        );
        let files = planner
            .plan(&loaded(vec![file, nested], None))
            .expect("planned");
        assert_eq!(
            paths(&files),
            [
                "2025-01-02 Chat (c0ffee00)/a",
                "2025-01-02 Chat (c0ffee00)/a (2)/b.md"
            ]
        );
    }

    #[test]
    fn file_after_folder_gets_another_name() {
        let mut planner = Planner::new(false, Layout::Flat);
        let nested = artifact(
            Origin::File,
            "/mnt/user-data/outputs/a/b.md",
            &[("b.md", "", "y")],
        );
        let file = artifact(Origin::File, "/mnt/user-data/outputs/a", &[("a", "", "x")]);
        let mut planner_per = Planner::new(false, Layout::PerConversation);
        let files = planner_per
            .plan(&loaded(vec![nested.clone(), file.clone()], None))
            .expect("planned");
        assert_eq!(
            paths(&files),
            [
                "2025-01-02 Chat (c0ffee00)/a/b.md",
                "2025-01-02 Chat (c0ffee00)/a (2)"
            ]
        );
        let flat = planner
            .plan(&loaded(vec![nested, file], None))
            .expect("planned");
        assert_eq!(paths(&flat), ["b.md", "a"]);
    }

    #[test]
    fn earlier_version_keeps_its_own_extension() {
        let mut planner = Planner::new(true, Layout::Flat);
        let page = artifact(
            Origin::Tool,
            "page",
            &[
                ("Draft", "text/markdown", "# md"),
                ("Page", "text/html", "<p>x</p>"),
            ],
        );
        let files = planner.plan(&loaded(vec![page], None)).expect("planned");
        assert_eq!(paths(&files), ["Page.v1.md", "Page.html"]);
    }

    #[test]
    fn newer_copy_replaces_older_one() {
        let mut planner = Planner::new(false, Layout::PerConversation);
        let old = artifact(Origin::Tool, "doc", &[("Doc", "text/markdown", "one")]);
        let new = artifact(Origin::Tool, "doc", &[("Doc", "text/markdown", "two")]);
        planner.plan(&loaded(vec![old], Some("2025-01-01T00:00:00Z")));
        let files = planner
            .plan(&loaded(vec![new], Some("2025-02-01T00:00:00Z")))
            .expect("planned");
        assert_eq!(files.files[0].content(), "two");
        assert_eq!((files.number, files.replaces), (1, Some(0)));
        assert_eq!(paths(&files), ["2025-01-02 Chat (c0ffee00)/Doc.md"]);
        assert_eq!(planner.totals().conversations, 1);
        assert_eq!(planner.totals().artifacts, 1);
    }

    #[test]
    fn older_copy_is_skipped() {
        let mut planner = Planner::new(false, Layout::PerConversation);
        let new = artifact(Origin::Tool, "doc", &[("Doc", "text/markdown", "two")]);
        let old = artifact(Origin::Tool, "doc", &[("Doc", "text/markdown", "one")]);
        planner.plan(&loaded(vec![new], Some("2025-02-01T00:00:00Z")));
        let files = planner
            .plan(&loaded(vec![old], Some("2025-01-01T00:00:00Z")))
            .expect("planned");
        assert!(files.files.is_empty());
        assert_eq!(files.warnings.len(), 1);
    }

    #[test]
    fn newer_copy_keeps_numbered_folder() {
        let mut planner = Planner::new(false, Layout::PerConversation);
        // Both uuids start with "c0ffee00", so both conversations want one folder name.
        let first = chat_copy(None, vec![doc("a")]);
        let older = copy_of(
            "c0ffee00-bbbb",
            "Chat",
            Some("2025-01-01T00:00:00Z"),
            vec![doc("b")],
        );
        let newer = copy_of(
            "c0ffee00-bbbb",
            "Renamed chat",
            Some("2025-02-01T00:00:00Z"),
            vec![doc("c")],
        );

        let first = planner.plan(&first).expect("planned");
        assert_eq!(paths(&first), ["2025-01-02 Chat (c0ffee00)/Doc.md"]);
        let older = planner.plan(&older).expect("planned");
        assert_eq!(paths(&older), ["2025-01-02 Chat (c0ffee00) (2)/Doc.md"]);
        let newer = planner.plan(&newer).expect("planned");
        assert_eq!(paths(&newer), ["2025-01-02 Chat (c0ffee00) (2)/Doc.md"]);
        assert_eq!(newer.files[0].content(), "c");
        assert_eq!(newer.replaces, Some(older.number));
        assert_eq!(planner.totals().conversations, 2);
    }

    #[test]
    fn copy_without_artifacts_keeps_folder() {
        let mut planner = Planner::new(false, Layout::PerConversation);
        planner.plan(&chat_copy(Some("2025-01-01T00:00:00Z"), vec![doc("a")]));
        let empty = planner
            .plan(&chat_copy(Some("2025-02-01T00:00:00Z"), Vec::new()))
            .expect("planned");
        assert!(empty.files.is_empty());
        assert_eq!(empty.replaces, Some(0));
        assert_eq!(planner.totals().conversations, 0);
        assert_eq!(planner.totals().artifacts, 0);
        let newest = planner
            .plan(&chat_copy(Some("2025-03-01T00:00:00Z"), vec![doc("c")]))
            .expect("planned");
        assert_eq!(paths(&newest), ["2025-01-02 Chat (c0ffee00)/Doc.md"]);
        assert_eq!(planner.totals().conversations, 1);
        assert_eq!(planner.totals().artifacts, 1);
    }

    #[test]
    fn older_copy_after_empty_newer_one_is_skipped() {
        let mut planner = Planner::new(false, Layout::PerConversation);
        let newer = chat_copy(Some("2025-02-01T00:00:00Z"), Vec::new());
        assert!(planner.plan(&newer).is_none());
        let older = planner
            .plan(&chat_copy(Some("2025-01-01T00:00:00Z"), vec![doc("a")]))
            .expect("planned");
        assert!(older.files.is_empty());
        assert_eq!(older.warnings.len(), 1);
        assert_eq!(planner.totals().conversations, 0);

        let newest = planner
            .plan(&chat_copy(Some("2025-03-01T00:00:00Z"), vec![doc("c")]))
            .expect("planned");
        assert_eq!(paths(&newest), ["2025-01-02 Chat (c0ffee00)/Doc.md"]);
        assert_eq!(newest.replaces, None, "the empty copy wrote nothing");
        assert_eq!(planner.totals().conversations, 1);
    }

    #[test]
    fn invalid_time_loses_to_valid() {
        let invalid = Some("yesterday");
        let valid = Some("2025-01-01T00:00:00Z");

        let mut planner = Planner::new(false, Layout::PerConversation);
        planner.plan(&chat_copy(invalid, vec![doc("a")]));
        let files = planner
            .plan(&chat_copy(valid, vec![doc("b")]))
            .expect("planned");
        assert_eq!(files.replaces, Some(0));
        assert_eq!(files.files[0].content(), "b");

        let mut planner = Planner::new(false, Layout::PerConversation);
        planner.plan(&chat_copy(valid, vec![doc("a")]));
        let files = planner
            .plan(&chat_copy(invalid, vec![doc("b")]))
            .expect("planned");
        assert!(files.replaces.is_none());
        assert!(files.files.is_empty());
    }

    #[test]
    fn missing_times_never_newer() {
        let mut planner = Planner::new(false, Layout::PerConversation);
        planner.plan(&chat_copy(None, vec![doc("a")]));
        for updated_at in [None, Some("not a time")] {
            let files = planner
                .plan(&chat_copy(updated_at, vec![doc("b")]))
                .expect("planned");
            assert!(files.replaces.is_none(), "{updated_at:?}");
            assert!(files.files.is_empty(), "{updated_at:?}");
        }
    }

    #[test]
    fn times_compare_as_instants() {
        let mut planner = Planner::new(false, Layout::PerConversation);
        let first = Some("2025-01-01T00:00:00Z");
        // The same instant in another offset is not newer.
        let same = Some("2025-01-01T01:00:00+01:00");
        // Half a second later as an instant, though its local time reads a day earlier.
        let later = Some("2024-12-31T23:00:00.5-01:00");
        planner.plan(&chat_copy(first, vec![doc("a")]));
        let files = planner
            .plan(&chat_copy(same, vec![doc("b")]))
            .expect("planned");
        assert!(files.replaces.is_none());
        let files = planner
            .plan(&chat_copy(later, vec![doc("c")]))
            .expect("planned");
        assert_eq!(files.replaces, Some(0));
    }

    #[test]
    fn empty_uuid_never_matches() {
        let mut planner = Planner::new(false, Layout::PerConversation);
        let older = Some("2025-01-01T00:00:00Z");
        let newer = Some("2025-02-01T00:00:00Z");
        let first = planner
            .plan(&copy_of("", "Chat", older, vec![doc("a")]))
            .expect("planned");
        let second = planner
            .plan(&copy_of("", "Chat", newer, vec![doc("b")]))
            .expect("planned");
        assert!(second.replaces.is_none());
        assert_eq!(second.warnings.len(), 0);
        assert_ne!(paths(&first), paths(&second));
        assert_eq!(planner.totals().conversations, 2);
        assert!(planner.planned.is_empty());
        assert!(planner.folder_names.is_empty());
    }

    #[test]
    fn replaced_totals_subtracted() {
        let mut planner = Planner::new(true, Layout::PerConversation);
        let two_versions = artifact(
            Origin::Tool,
            "page",
            &[
                ("Page", "text/html", "<p>1</p>"),
                ("Page", "text/html", "<p>2</p>"),
            ],
        );
        planner.plan(&chat_copy(
            Some("2025-01-01T00:00:00Z"),
            vec![two_versions, doc("a")],
        ));
        assert_eq!(
            planner.totals(),
            PlanTotals {
                conversations: 1,
                artifacts: 2,
                versions: 3
            }
        );
        planner.plan(&chat_copy(Some("2025-02-01T00:00:00Z"), vec![doc("b")]));
        assert_eq!(
            planner.totals(),
            PlanTotals {
                conversations: 1,
                artifacts: 1,
                versions: 1
            }
        );
    }

    #[test]
    fn flat_newer_copy_takes_names_again() {
        let mut planner = Planner::new(false, Layout::Flat);
        let older = Some("2025-01-01T00:00:00Z");
        let newer = Some("2025-02-01T00:00:00Z");
        let files = planner
            .plan(&chat_copy(older, vec![doc("a")]))
            .expect("planned");
        assert_eq!(paths(&files), ["Doc.md"]);
        let other = planner
            .plan(&copy_of("c0ffee00-bbbb", "Other", None, vec![doc("b")]))
            .expect("planned");
        assert_eq!(paths(&other), ["Doc (2).md"]);
        let files = planner
            .plan(&chat_copy(newer, vec![doc("c")]))
            .expect("planned");
        assert_eq!(paths(&files), ["Doc.md"]);
        let last = planner
            .plan(&copy_of("c0ffee00-cccc", "Last", None, vec![doc("d")]))
            .expect("planned");
        assert_eq!(paths(&last), ["Doc (3).md"]);
    }

    #[test]
    fn planned_record_fits_40_bytes() {
        // The plan number takes 8 bytes, the folder range and its tag 12, the time 12 and the
        // two counts 8. With the 16-byte key, a map entry then takes 64 bytes.
        assert!(std::mem::size_of::<Planned>() <= 40);
    }
}
