//! The user's requests, from panels and shortcuts, and how each one starts, cancels or
//! changes something.

use std::path::PathBuf;
use std::sync::Arc;

use egui::{Key, KeyboardShortcut, Modifiers};

use super::ArtifactorApp;
use crate::coordinator::{Command, Coordinator, JobId, SaveRequest};
use crate::gui::activity::Level;
use crate::gui::browser;
use crate::gui::desktop;
use crate::gui::format;
use crate::gui::helpers::PickPurpose;
use crate::gui::jobs::{JobKind, RunningJob};
use crate::gui::save_dialog::{SaveScope, ScopeCounts};
use crate::gui::settings;
use crate::source::{Input, looks_like_url};

/// The name that pasted text goes by in messages and in a save's manifest.
pub(super) const PASTED_TEXT: &str = "pasted text";

const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
const FIND: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
const SELECT_ALL: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::A);

/// Something the user asked for, from a panel or a shortcut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    /// Show the file dialog for export files.
    OpenFiles,
    /// Show the folder dialog for an unpacked export.
    OpenFolder,
    /// Load these inputs, adding to what is loaded.
    Load(Vec<PathBuf>),
    /// Fetch these share links or URLs, adding to what is loaded.
    LoadUrls(Vec<String>),
    /// Load pasted text, adding to what is loaded.
    LoadText(String),
    /// Remove every loaded artifact from the window.
    ClearList,
    /// Ask the platform for the clipboard's text, which arrives as a paste event.
    Paste,
    ShowSaveDialog,
    Save {
        scope: SaveScope,
        force: bool,
    },
    /// Cancel the running job.
    Cancel,
    /// Show the folder dialog for the output folder.
    ChooseOutputFolder,
    OpenInFileManager(PathBuf),
    SelectAll,
    FocusSearch,
}

impl ArtifactorApp {
    /// Turns shortcuts, dropped files and pasted text into actions.
    pub(super) fn input_actions(&self, ctx: &egui::Context) -> Vec<Action> {
        let mut actions = Vec::new();
        let typing = ctx.text_edit_focused();
        let busy = self.job.is_some();
        ctx.input_mut(|input| {
            if input.consume_shortcut(&OPEN) {
                actions.push(Action::OpenFiles);
            }
            if input.consume_shortcut(&SAVE) {
                actions.push(Action::ShowSaveDialog);
            }
            if input.consume_shortcut(&FIND) {
                actions.push(Action::FocusSearch);
            }
            if !typing && input.consume_shortcut(&SELECT_ALL) {
                actions.push(Action::SelectAll);
            }
            if busy && input.consume_key(Modifiers::NONE, Key::Escape) {
                actions.push(Action::Cancel);
            }
            let dropped: Vec<PathBuf> = input
                .raw
                .dropped_files
                .iter()
                .map(|file| file.path().to_path_buf())
                .collect();
            if !dropped.is_empty() {
                actions.push(Action::Load(dropped));
            }
            if !typing {
                for event in &input.events {
                    if let egui::Event::Paste(text) = event
                        && !text.trim().is_empty()
                    {
                        actions.push(pasted_action(text));
                    }
                }
            }
        });
        actions
    }

    pub(super) fn apply(&mut self, action: Action, ctx: &egui::Context) {
        match action {
            Action::OpenFiles => {
                let start = self.library.sources().first().map(PathBuf::from);
                let start = start.as_deref().and_then(std::path::Path::parent);
                self.dialogs
                    .open(PickPurpose::OpenFiles, start, &self.helpers);
            }
            Action::OpenFolder => self
                .dialogs
                .open(PickPurpose::OpenFolder, None, &self.helpers),
            Action::Load(inputs) => self.start_load(inputs.into_iter().map(Input::from).collect()),
            Action::LoadUrls(urls) => self.start_fetch(urls),
            Action::LoadText(text) => self.start_load_text(text),
            Action::ClearList => self.clear_list(),
            Action::Paste => ctx.send_viewport_cmd(egui::ViewportCommand::RequestPaste),
            Action::ShowSaveDialog => {
                if self.job.is_none() && !self.library.is_empty() {
                    self.save_dialog.show(self.scope_counts(), &self.settings);
                }
            }
            Action::Save { scope, force } => self.start_save(scope, force),
            Action::Cancel => self.cancel(),
            Action::ChooseOutputFolder => self.choose_output_folder(),
            Action::OpenInFileManager(folder) => desktop::open_folder(&folder, &self.helpers),
            Action::SelectAll => self.selection.select_all(self.filter.rows()),
            Action::FocusSearch => {
                ctx.memory_mut(|memory| memory.request_focus(browser::search_id()))
            }
        }
    }

    /// Sends a command, or reports that the coordinator is gone. Returns whether it was sent.
    ///
    /// The send waits only while 64 commands are queued, which a person clicking cannot
    /// cause: the coordinator thread takes each command off the channel at once.
    fn send(&mut self, command: Command) -> bool {
        let sent = self
            .coordinator
            .as_ref()
            .is_some_and(|coordinator| coordinator.send(command).is_ok());
        if !sent {
            tracing::error!("the coordinator thread has stopped, so a command was not sent");
            self.activity.error(
                "The background worker has stopped, so nothing can be loaded or saved.",
                "Restart artifactor; if this happens again, report it with the lines of this panel.",
            );
        }
        sent
    }

    fn next_job_id(&self) -> Option<JobId> {
        self.coordinator.as_ref().map(Coordinator::next_job_id)
    }

    /// Makes room for a new load: cancels a running load. Returns `false` while a save runs.
    fn prepare_load(&mut self) -> bool {
        match &self.job {
            Some(job) if !job.is_load() => {
                tracing::warn!(
                    job = job.id,
                    "a load was rejected because a save is running"
                );
                self.activity.error(
                    "A save is running, so nothing new was loaded.",
                    "Wait for the save to finish, or cancel it with Esc, then load again.",
                );
                false
            }
            Some(job) => {
                // The new load replaces the running one, whose finish is then not shown, so
                // this warning reports what happened to it.
                let id = job.id;
                let label = match &job.kind {
                    JobKind::Load { label, .. } => label.clone(),
                    JobKind::Save { .. } => String::new(),
                };
                self.job = None;
                if self.send(Command::Cancel { job: id }) {
                    tracing::info!(job = id, "a new load cancelled the running one");
                    self.activity.warning(format!(
                        "Loading {label} was cancelled to start the new load; what it had \
                         loaded stays listed"
                    ));
                }
                true
            }
            None => true,
        }
    }

    /// Loads files, folders or URLs and adds their artifacts to those loaded, as every load
    /// does: a load that fails or is cancelled, or an accidental drop, never removes what is
    /// listed. Clear list starts over.
    // NOTE: loading the same export twice lists its artifacts twice.
    pub(super) fn start_load(&mut self, inputs: Vec<Input>) {
        if inputs.is_empty() || !self.prepare_load() {
            return;
        }
        let label = inputs_label(&inputs);
        let Some(job) = self.next_job_id() else {
            return;
        };
        let fetch = self.settings.fetch_options();
        let command = Command::Load {
            job,
            inputs: inputs.clone(),
            fetch,
        };
        if self.send(command) {
            self.announce_load(&label);
            self.job = Some(RunningJob::new(job, JobKind::Load { label, inputs }));
        }
    }

    /// Fetches share links or URLs, after checking that each looks like one: the link field
    /// is no place for a path, which the fetch would reject as a relative URL.
    fn start_fetch(&mut self, urls: Vec<String>) {
        if let Some(not_link) = urls.iter().find(|url| !looks_like_url(url)) {
            tracing::warn!(text = %not_link, "the link field was given something other than a link");
            let text = format!(
                "{not_link} is not a link: the Link field takes share links and URLs such as \
                 https://claude.ai/share/…; open files with Open… or drop them on the window"
            );
            self.activity.push(Level::Error, text, None);
            return;
        }
        self.start_load(urls.into_iter().map(Input::Url).collect());
    }

    /// Loads pasted text and adds its artifacts to those loaded, like every other load.
    fn start_load_text(&mut self, text: String) {
        if !self.prepare_load() {
            return;
        }
        let Some(job) = self.next_job_id() else {
            return;
        };
        let label = format!("{PASTED_TEXT} ({})", format::bytes(text.len() as u64));
        let command = Command::LoadText {
            job,
            name: PASTED_TEXT.to_owned(),
            text,
        };
        if self.send(command) {
            self.announce_load(&label);
            let kind = JobKind::Load {
                label,
                inputs: Vec::new(),
            };
            self.job = Some(RunningJob::new(job, kind));
        }
    }

    /// Says in the activity panel that a load started and whether it adds to a list.
    fn announce_load(&mut self, label: &str) {
        let listed = self.library.entries().len();
        if self.library.is_empty() {
            self.activity.info(format!("Loading {label}"));
        } else {
            self.activity.info(format!(
                "Loading {label}, to be added to the {} already listed",
                format::count(listed, "artifact", "artifacts")
            ));
        }
    }

    fn clear_list(&mut self) {
        if self.job.is_some() || self.library.is_empty() {
            return;
        }
        let listed = self.library.entries().len();
        self.library.reset(Vec::new());
        self.filter.library_reset();
        self.selection.clear();
        self.preview.reset();
        self.activity.info(format!(
            "Cleared the list of {}; files already saved are kept",
            format::count(listed, "artifact", "artifacts")
        ));
    }

    pub(super) fn scope_counts(&self) -> ScopeCounts {
        ScopeCounts {
            selected: self.selection.len(),
            visible: self.filter.rows().len(),
            all: self.library.entries().len(),
        }
    }

    fn start_save(&mut self, scope: SaveScope, force: bool) {
        if self.job.is_some() {
            return;
        }
        let Some(out) = self
            .settings
            .output_folder
            .as_deref()
            .map(settings::expand_home)
        else {
            self.choose_output_folder();
            return;
        };
        let mut indices: Vec<usize> = match scope {
            SaveScope::Selected => self.selection.entries().collect(),
            SaveScope::Visible => self.filter.rows().to_vec(),
            SaveScope::All => (0..self.library.entries().len()).collect(),
        };
        // Load order keeps a conversation's artifacts together and names stable across saves.
        indices.sort_unstable();
        let artifacts: Vec<_> = indices
            .iter()
            .filter_map(|&index| self.library.entry(index))
            .map(|entry| Arc::clone(&entry.artifact))
            .collect();
        let Some(job) = self.next_job_id() else {
            return;
        };
        let count = artifacts.len();
        let request = SaveRequest {
            artifacts,
            inputs: self.library.sources().to_vec(),
            out: out.clone(),
            all_versions: self.settings.all_versions,
            force,
            layout: self.settings.layout,
        };
        if self.send(Command::Save { job, request }) {
            self.activity.info(format!(
                "Saving {} to {}",
                format::count(count, "artifact", "artifacts"),
                out.display()
            ));
            self.job = Some(RunningJob::new(
                job,
                JobKind::Save {
                    out,
                    artifacts: count,
                },
            ));
        }
    }

    fn choose_output_folder(&mut self) {
        let start = self.settings.output_folder.clone();
        self.dialogs
            .open(PickPurpose::OutputFolder, start.as_deref(), &self.helpers);
    }

    fn cancel(&mut self) {
        let Some(job) = &mut self.job else {
            return;
        };
        if job.cancelling {
            return;
        }
        job.cancelling = true;
        let id = job.id;
        if self.send(Command::Cancel { job: id }) {
            self.activity.info("Cancelling the running job");
        }
    }
}

/// Turns pasted text into an action: links alone are fetched, anything else is read as text.
fn pasted_action(text: &str) -> Action {
    let words: Vec<&str> = text.split_whitespace().collect();
    let all_links = !words.is_empty()
        && words
            .iter()
            .all(|word| word.starts_with("https://") || word.starts_with("http://"));
    if all_links {
        Action::LoadUrls(words.into_iter().map(str::to_owned).collect())
    } else {
        Action::LoadText(text.to_owned())
    }
}

/// Names the inputs of a load, such as `export.zip` or `export.zip and 2 more`.
fn inputs_label(inputs: &[Input]) -> String {
    let first = inputs
        .first()
        .map_or_else(String::new, |input| match input {
            Input::Path(path) => path
                .file_name()
                .unwrap_or(path.as_os_str())
                .to_string_lossy()
                .into_owned(),
            other => other.to_string(),
        });
    match inputs.len() {
        0 | 1 => first,
        count => format!("{first} and {} more", count - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_label_counts_the_rest() {
        let inputs = vec![
            Input::Path(PathBuf::from("/data/export.zip")),
            Input::Url("https://claude.ai/share/abc".to_owned()),
        ];
        assert_eq!(inputs_label(&inputs), "export.zip and 1 more");
        assert_eq!(inputs_label(&inputs[..1]), "export.zip");
        assert_eq!(inputs_label(&inputs[1..]), "https://claude.ai/share/abc");
    }

    #[test]
    fn pasted_links_are_fetched() {
        assert_eq!(
            pasted_action(" https://claude.ai/share/a\nhttps://claude.ai/share/b "),
            Action::LoadUrls(vec![
                "https://claude.ai/share/a".to_owned(),
                "https://claude.ai/share/b".to_owned()
            ])
        );
        assert_eq!(
            pasted_action("see https://claude.ai/share/a"),
            Action::LoadText("see https://claude.ai/share/a".to_owned())
        );
    }
}
