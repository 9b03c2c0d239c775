//! Helpers for the window tests: a harness around the real app with its own settings
//! folder, bounded waits for coordinator events, and generated inputs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use artifactor::gui::{ArtifactorApp, SETTINGS_FILE, Startup};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use tempfile::TempDir;

/// The maximum time a test waits for one condition, such as a load finishing.
pub const WAIT: Duration = Duration::from_secs(60);

/// The window under test and the temporary folders it uses.
pub struct Window {
    pub harness: Harness<'static, ArtifactorApp>,
    /// The settings folder, passed as `Startup::config_dir`.
    pub config: TempDir,
}

impl Window {
    /// Opens the window with `file` loading and, if given, `settings` as `settings.toml`.
    pub fn open(file: Option<PathBuf>, settings: Option<&str>) -> Self {
        let config = tempfile::tempdir().expect("temporary settings folder");
        if let Some(settings) = settings {
            std::fs::write(config.path().join(SETTINGS_FILE), settings).expect("write settings");
        }
        let startup = Startup {
            file,
            config_dir: Some(config.path().to_path_buf()),
            started: None,
        };
        // The sample has Japanese names, which egui's built-in fonts lack; the real window
        // draws them with the system's fonts.
        let harness = Harness::builder()
            .with_size([1280.0, 800.0])
            .allow_missing_glyphs()
            .build_eframe(move |cc| ArtifactorApp::new(cc, startup).expect("the app starts"));
        Self { harness, config }
    }

    /// Opens the window with the sample export and waits until its artifacts are listed.
    pub fn with_sample(settings: Option<&str>) -> Self {
        let mut window = Self::open(Some(sample_export()), settings);
        window.wait_for_label("CSV Cleaner");
        window.wait_until("the load to finish", |harness| !harness.state().is_busy());
        window
    }

    /// Runs frames until `condition` holds, and panics after [`WAIT`].
    pub fn wait_until(
        &mut self,
        description: &str,
        condition: impl Fn(&Harness<'static, ArtifactorApp>) -> bool,
    ) {
        let started = Instant::now();
        loop {
            self.harness.step();
            if condition(&self.harness) {
                return;
            }
            assert!(
                started.elapsed() < WAIT,
                "timed out after {WAIT:?} waiting for {description}; activity:\n{}",
                self.harness.state().activity_texts().join("\n")
            );
            // Gives the coordinator's threads time between frames.
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Runs frames until a widget labelled exactly `label` is shown.
    pub fn wait_for_label(&mut self, label: &str) {
        self.wait_until(&format!("a widget labelled {label:?}"), |harness| {
            harness.query_by_label(label).is_some()
        });
    }

    /// Runs frames until an activity entry contains `text`.
    pub fn wait_for_activity(&mut self, text: &str) {
        self.wait_until(&format!("an activity entry with {text:?}"), |harness| {
            activity_contains(harness, text)
        });
    }

    /// Returns the numbers in the table's summary: `(shown, total, selected)`.
    pub fn table_counts(&self) -> (usize, usize, usize) {
        let node = self.harness.get_by_label_contains("Showing ");
        // A label's text is its accessible value.
        let label = node.value().unwrap_or_default();
        parse_counts(&label).unwrap_or_else(|| panic!("unexpected summary {label:?}"))
    }
}

/// Returns whether an activity entry contains `text`.
pub fn activity_contains(harness: &Harness<'static, ArtifactorApp>, text: &str) -> bool {
    harness
        .state()
        .activity_texts()
        .iter()
        .any(|entry| entry.contains(text))
}

/// Parses "Showing 3 of 12 artifacts · 1 selected".
fn parse_counts(label: &str) -> Option<(usize, usize, usize)> {
    let numbers: Vec<usize> = label
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .map(|part| part.parse().ok())
        .collect::<Option<_>>()?;
    match numbers[..] {
        [shown, total, selected] => Some((shown, total, selected)),
        _ => None,
    }
}

/// Returns the path of the sample export in this repository.
pub fn sample_export() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample-export.zip")
}

/// Returns `settings.toml` text that saves into `out`.
pub fn settings_with_output(out: &Path) -> String {
    format!("output_folder = {:?}\n", out.display().to_string())
}

/// Writes a `conversations.json` of `count` conversations, each with one artifact tag, and
/// returns its path. About 1.3 KB per conversation.
pub fn write_large_export(dir: &Path, count: usize) -> PathBuf {
    let mut json = String::from("[");
    for index in 0..count {
        if index > 0 {
            json.push(',');
        }
        let text = format!(
            "Here it is.\\n\\n<antArtifact identifier=\\\"note-{index}\\\" type=\\\"text/markdown\\\" \
             title=\\\"Note {index}\\\">\\n# Note {index}\\n\\n{}\\n</antArtifact>",
            "Lorem ipsum dolor sit amet. ".repeat(20)
        );
        write!(
            json,
            r#"{{"uuid":"00000000-0000-4000-8000-{index:012}","name":"Generated {index}","created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-01T00:00:00Z","chat_messages":[{{"uuid":"10000000-0000-4000-8000-{index:012}","text":"Write a note.","content":[{{"type":"text","text":"Write a note."}}],"sender":"human","created_at":"2024-01-01T00:00:00Z","parent_message_uuid":"00000000-0000-4000-8000-000000000000"}},{{"uuid":"20000000-0000-4000-8000-{index:012}","text":"{text}","content":[{{"type":"text","text":"{text}"}}],"sender":"assistant","created_at":"2024-01-01T00:00:01Z","parent_message_uuid":"10000000-0000-4000-8000-{index:012}"}}]}}"#
        )
        .expect("writing to a String");
    }
    json.push(']');
    let path = dir.join("conversations.json");
    std::fs::write(&path, json).expect("write the generated export");
    path
}
