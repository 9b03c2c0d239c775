//! Settings kept between runs in `settings.toml`, and the settings window.
//!
//! The file lives in the platform's config directory (on Linux `~/.config/artifactor`), or
//! in the directory named by `ARTIFACTOR_CONFIG_DIR`. It is read once before the first frame
//! and written on a helper thread after every change, through a temporary file that is
//! renamed over the old one so that a crash never leaves half a file.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use egui::Ui;
use serde::{Deserialize, Serialize};

use super::activity::Level;
use super::helpers::{HelperResult, Helpers};
use crate::coordinator::Layout;

/// The environment variable that overrides the settings directory.
pub const CONFIG_DIR_ENV: &str = "ARTIFACTOR_CONFIG_DIR";
/// The settings file's name inside the settings directory.
pub const SETTINGS_FILE: &str = "settings.toml";

/// The settings kept between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The folder that saves write into; `None` until the user chooses one.
    pub output_folder: Option<PathBuf>,
    pub layout: Layout,
    /// Save every earlier version beside the final one.
    pub all_versions: bool,
    pub theme: Theme,
    /// How many URLs are fetched at the same time; `None` for the default of 4.
    pub concurrency: Option<u16>,
    /// The address of claude.ai's API that share links are fetched from, for a proxy;
    /// `None` for https://claude.ai. `ARTIFACTOR_BASE_URL` overrides it.
    pub base_url: Option<String>,
}

impl Settings {
    /// Returns the fetch options these settings and `ARTIFACTOR_BASE_URL` give.
    pub fn fetch_options(&self) -> crate::fetch::FetchOptions {
        let mut options = crate::fetch::FetchOptions::default();
        if let Some(concurrency) = self.concurrency.filter(|n| *n > 0) {
            options.concurrency = usize::from(concurrency);
        }
        let from_env = std::env::var(BASE_URL_ENV)
            .ok()
            .filter(|url| !url.trim().is_empty());
        if let Some(base_url) = from_env.or_else(|| self.base_url.clone()) {
            options.base_url = base_url;
        }
        options
    }
}

/// The environment variable that overrides the base URL of claude.ai's API.
pub const BASE_URL_ENV: &str = "ARTIFACTOR_BASE_URL";

/// The colour theme of the window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Follow the operating system's light or dark mode.
    #[default]
    System,
    Light,
    Dark,
}

impl From<Theme> for egui::ThemePreference {
    fn from(theme: Theme) -> Self {
        match theme {
            Theme::System => Self::System,
            Theme::Light => Self::Light,
            Theme::Dark => Self::Dark,
        }
    }
}

/// Returns the settings directory: `ARTIFACTOR_CONFIG_DIR` when set and not empty, else the
/// platform's config directory for artifactor, or `None` when the platform has none.
pub fn config_dir_from_env() -> Option<PathBuf> {
    match std::env::var_os(CONFIG_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => directories::ProjectDirs::from("", "", "artifactor")
            .map(|dirs| dirs.config_dir().to_path_buf()),
    }
}

/// The settings read from the file, with what was wrong in it.
pub(crate) struct LoadedSettings {
    pub settings: Settings,
    /// Each problem names the file and, where it can, the line and the setting.
    pub problems: Vec<String>,
    /// Whether the settings file exists.
    pub exists: bool,
}

/// Parses the text of `path`. Text that is not TOML gives the defaults. An invalid value of
/// one setting leaves that setting at its default, so one mistake does not reset the others.
fn parse_settings(text: &str, path: &Path) -> (Settings, Vec<String>) {
    let mut table = match text.parse::<toml::Table>() {
        Ok(table) => table,
        Err(err) => {
            let line = err.span().map_or(String::new(), |span| {
                format!(":{}", line_of(text, span.start))
            });
            let message = format!(
                "{}{line}: the settings file is invalid: {}. Every setting has its default",
                path.display(),
                err.message().trim_end_matches('.')
            );
            return (Settings::default(), vec![message]);
        }
    };
    let mut problems = Vec::new();
    let keys: Vec<String> = table.keys().cloned().collect();
    for key in keys {
        let mut single = toml::Table::new();
        single.insert(key.clone(), table[&key].clone());
        if let Err(err) = toml::Value::Table(single).try_into::<Settings>() {
            let line = key_line(text, &key).map_or(String::new(), |line| format!(":{line}"));
            problems.push(format!(
                "{}{line}: `{key}` is invalid: {}. The setting is ignored",
                path.display(),
                err.message().trim_end_matches('.')
            ));
            table.remove(&key);
        }
    }
    let mut settings = toml::Value::Table(table)
        .try_into::<Settings>()
        .unwrap_or_default();
    settings.output_folder = settings.output_folder.as_deref().map(expand_home);
    (settings, problems)
}

/// Returns the 1-based line number of the byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |before| before.matches('\n').count() + 1)
}

/// Returns the 1-based line number where `key` is set at the top level of `text`, if a line
/// starts with it.
fn key_line(text: &str, key: &str) -> Option<usize> {
    let quoted = format!("\"{key}\"");
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            [key, quoted.as_str()].iter().any(|name| {
                line.strip_prefix(name)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            })
        })
        .map(|index| index + 1)
}

/// Replaces a leading `~` path component with the home folder, as a shell does, so
/// `output_folder = "~/exports"` works. Other paths, and `~user/...`, are returned unchanged.
pub fn expand_home(path: &Path) -> PathBuf {
    let Ok(rest) = path.strip_prefix("~") else {
        return path.to_path_buf();
    };
    match directories::BaseDirs::new() {
        Some(dirs) => dirs.home_dir().join(rest),
        None => path.to_path_buf(),
    }
}

/// Reads and writes `settings.toml`.
pub(crate) struct SettingsStore {
    /// The settings file, or `None` when there is no settings directory.
    path: Option<PathBuf>,
    /// Number of the latest change, so that a slow write never replaces a newer one.
    generation: u64,
    /// The generation that is on disk.
    written: Arc<Mutex<u64>>,
    /// Writes not yet joined; joined on exit so that the last change is not lost.
    writers: Vec<JoinHandle<()>>,
}

impl SettingsStore {
    pub(crate) fn new(dir: Option<&Path>) -> Self {
        Self {
            path: dir.map(|dir| dir.join(SETTINGS_FILE)),
            generation: 0,
            written: Arc::new(Mutex::new(0)),
            writers: Vec::new(),
        }
    }

    /// Reads the settings. A missing file gives the defaults; an unreadable one, or one that
    /// is not TOML, gives the defaults and a message for the activity panel. An invalid value
    /// leaves its setting at the default, with a message naming it.
    ///
    /// This is the one read on the UI thread, once, before the first frame.
    pub(crate) fn load(&self) -> (Settings, Option<String>) {
        let loaded = self.read();
        let message = (!loaded.problems.is_empty()).then(|| loaded.problems.join("\n"));
        (loaded.settings, message)
    }

    /// Reads the settings like [`SettingsStore::load`], returning every problem apart and
    /// whether the file exists.
    pub(crate) fn read(&self) -> LoadedSettings {
        let mut loaded = LoadedSettings {
            settings: Settings::default(),
            problems: Vec::new(),
            exists: false,
        };
        let Some(path) = &self.path else {
            return loaded;
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return loaded,
            Err(err) => {
                loaded.exists = true;
                loaded.problems.push(format!(
                    "Could not read the settings ({err}); using the defaults: {}",
                    path.display()
                ));
                return loaded;
            }
        };
        loaded.exists = true;
        let (settings, problems) = parse_settings(&text, path);
        loaded.settings = settings;
        loaded.problems = problems;
        loaded
    }

    /// Writes the settings on a helper thread; a failure arrives as a notice.
    pub(crate) fn save(&mut self, settings: &Settings, helpers: &Helpers) {
        let Some(path) = self.path.clone() else {
            return;
        };
        self.generation += 1;
        let generation = self.generation;
        let written = Arc::clone(&self.written);
        let settings = settings.clone();
        let spawned = helpers.spawn("artifactor-settings", move || {
            // The lock orders writes: a thread that finds a newer generation on disk skips.
            let mut on_disk = written.lock().unwrap_or_else(PoisonError::into_inner);
            if *on_disk > generation {
                return None;
            }
            match write_settings(&path, &settings) {
                Ok(()) => {
                    *on_disk = generation;
                    None
                }
                Err(err) => {
                    tracing::error!(path = %path.display(), cause = %err, "the settings were not saved");
                    Some(HelperResult::Notice {
                        level: Level::Error,
                        text: format!("Could not save the settings: {err}: {}", path.display()),
                        hint: Some("Check that the folder is writable; the settings apply until the window closes.".to_owned()),
                    })
                }
            }
        });
        self.writers.retain(|writer| !writer.is_finished());
        self.writers.extend(spawned);
    }

    /// Waits for every write to finish. Called when the window closes.
    pub(crate) fn join_writers(&mut self) {
        for writer in self.writers.drain(..) {
            if writer.join().is_err() {
                tracing::error!("the settings writer panicked");
            }
        }
    }
}

/// Serialises the settings and replaces the file atomically.
fn write_settings(path: &Path, settings: &Settings) -> std::io::Result<()> {
    let text = toml::to_string(settings).map_err(std::io::Error::other)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(text.as_bytes())?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|err| err.error)?;
    Ok(())
}

/// A request from the settings window to the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SettingsAction {
    /// Open the folder picker for the output folder.
    ChooseOutputFolder,
}

/// Draws the settings controls. Returns whether a setting changed, and an action.
pub(crate) fn settings_ui(ui: &mut Ui, settings: &mut Settings) -> (bool, Option<SettingsAction>) {
    let before = settings.clone();
    let mut action = None;

    if output_folder_ui(ui, &mut settings.output_folder) {
        action = Some(SettingsAction::ChooseOutputFolder);
    }
    ui.separator();

    layout_ui(ui, &mut settings.layout);
    ui.checkbox(&mut settings.all_versions, "Save earlier versions too")
        .on_hover_text("Writes every earlier version beside the final one, as NAME.vN.EXT.");
    ui.separator();

    ui.label("Theme");
    ui.horizontal(|ui| {
        ui.radio_value(&mut settings.theme, Theme::System, "System");
        ui.radio_value(&mut settings.theme, Theme::Light, "Light");
        ui.radio_value(&mut settings.theme, Theme::Dark, "Dark");
    });

    (*settings != before, action)
}

/// Draws the output folder as a path to edit, and a button for the folder dialog. Returns
/// whether the button was clicked.
pub(crate) fn output_folder_ui(ui: &mut Ui, folder: &mut Option<PathBuf>) -> bool {
    let label = ui.label("Output folder");
    let mut text = folder
        .as_ref()
        .map(|folder| folder.display().to_string())
        .unwrap_or_default();
    let mut choose = false;
    ui.horizontal(|ui| {
        let edit = egui::TextEdit::singleline(&mut text)
            .hint_text("Type a path or choose a folder")
            .desired_width(300.0);
        let response = ui.add(edit).labelled_by(label.id);
        if response.changed() {
            *folder = (!text.is_empty()).then(|| PathBuf::from(&text));
        }
        // A typed `~/…` becomes the home folder once the field is left, so the field shows
        // the folder that a save writes into.
        if response.lost_focus() {
            *folder = folder.as_deref().map(expand_home);
        }
        choose = ui
            .button("Choose…")
            .on_hover_text("Choose the output folder in a file dialog")
            .clicked();
    });
    choose
}

/// Draws the choice of file layout.
pub(crate) fn layout_ui(ui: &mut Ui, layout: &mut Layout) {
    ui.label("Layout");
    ui.radio_value(
        layout,
        Layout::PerConversation,
        "One folder per conversation",
    );
    ui.radio_value(layout, Layout::Flat, "All files in the output folder");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(SETTINGS_FILE);
        let settings = Settings {
            output_folder: Some(PathBuf::from("/tmp/out")),
            layout: Layout::Flat,
            all_versions: true,
            theme: Theme::Dark,
            concurrency: Some(8),
            base_url: Some("http://127.0.0.1:8080".to_owned()),
        };
        write_settings(&path, &settings).expect("write");
        let (loaded, message) = SettingsStore::new(Some(dir.path())).load();
        assert_eq!(loaded, settings);
        assert_eq!(message, None);
    }

    #[test]
    fn missing_file_gives_defaults() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (loaded, message) = SettingsStore::new(Some(dir.path())).load();
        assert_eq!(loaded, Settings::default());
        assert_eq!(message, None);
    }

    #[test]
    fn invalid_file_gives_defaults_and_message() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join(SETTINGS_FILE), "layout = 3").expect("write");
        let (loaded, message) = SettingsStore::new(Some(dir.path())).load();
        assert_eq!(loaded, Settings::default());
        assert!(message.is_some_and(|message| message.contains("invalid")));
    }

    #[test]
    fn output_folder_expands_home() {
        let dir = tempfile::tempdir().expect("temp dir");
        let settings = "output_folder = \"~/exports\"\n";
        std::fs::write(dir.path().join(SETTINGS_FILE), settings).expect("write");
        let (loaded, _) = SettingsStore::new(Some(dir.path())).load();
        let home = directories::BaseDirs::new().expect("home folder");
        assert_eq!(loaded.output_folder, Some(home.home_dir().join("exports")));
    }

    #[test]
    fn expand_home_leaves_other_paths() {
        for path in ["/tmp/~/x", "~user/x", "x~/y", "relative"] {
            assert_eq!(expand_home(Path::new(path)), PathBuf::from(path), "{path}");
        }
    }

    #[test]
    fn invalid_value_keeps_other_settings() {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = "all_versions = true\ntheme = \"neon\"\nlayout = \"flat\"\n";
        std::fs::write(dir.path().join(SETTINGS_FILE), text).expect("write");
        let loaded = SettingsStore::new(Some(dir.path())).read();
        assert!(loaded.exists);
        assert!(loaded.settings.all_versions);
        assert_eq!(loaded.settings.layout, Layout::Flat);
        assert_eq!(loaded.settings.theme, Theme::System);
        assert_eq!(loaded.problems.len(), 1, "{:?}", loaded.problems);
        let problem = &loaded.problems[0];
        assert!(
            problem.contains("settings.toml:2: `theme` is invalid"),
            "{problem}"
        );
        assert!(problem.contains("`dark`"), "{problem}");
    }

    #[test]
    fn layout_accepts_command_line_spelling() {
        let settings: Settings = toml::from_str("layout = \"per-conversation\"\n").expect("parse");
        assert_eq!(settings.layout, Layout::PerConversation);
    }

    #[test]
    fn syntax_error_names_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = "all_versions = true\ntheme = \n";
        std::fs::write(dir.path().join(SETTINGS_FILE), text).expect("write");
        let loaded = SettingsStore::new(Some(dir.path())).read();
        assert_eq!(loaded.settings, Settings::default());
        assert_eq!(loaded.problems.len(), 1);
        assert!(
            loaded.problems[0].contains("settings.toml:2: the settings file is invalid"),
            "{:?}",
            loaded.problems
        );
    }

    #[test]
    fn unknown_keys_are_ignored() {
        let settings: Settings =
            toml::from_str("theme = \"light\"\nfuture_option = 1\n").expect("parse");
        assert_eq!(settings.theme, Theme::Light);
    }

    #[test]
    fn file_uses_snake_case_values() {
        let settings = Settings {
            layout: Layout::PerConversation,
            ..Settings::default()
        };
        let text = toml::to_string(&settings).expect("serialize");
        assert!(text.contains("layout = \"per_conversation\""), "{text}");
        assert!(text.contains("theme = \"system\""), "{text}");
    }
}
