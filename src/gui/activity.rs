//! The activity panel: what each job did and how long it took, and errors in plain words
//! with what to do next. The timing of each workflow step goes to the log at `debug`.

use std::collections::VecDeque;

use egui::{Color32, RichText, Ui};

/// Entries kept; older ones are dropped first.
const MAX_ENTRIES: usize = 2000;

/// The maximum height of the error banner in points; a longer error scrolls inside it.
const BANNER_MAX_HEIGHT: f32 = 96.0;

/// The severity of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Info,
    /// A problem that the job recovered from, such as an artifact update that could not be
    /// applied.
    Warning,
    /// Something failed: a job, a file or a setting.
    Error,
}

/// One line of the activity panel.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// Local wall-clock time, `HH:MM:SS`.
    time: String,
    level: Level,
    text: String,
    /// The next step for the user, if there is one.
    hint: Option<String>,
}

/// The activity log, newest last.
#[derive(Debug, Default)]
pub(crate) struct Activity {
    entries: VecDeque<Entry>,
    /// Entries dropped because the log was full.
    dropped: usize,
    /// The latest error, shown above the log until dismissed.
    banner: Option<Entry>,
}

impl Activity {
    /// Appends an entry, and logs its text at `debug`. The code that reports an error logs
    /// it at `warn` or `error` with its context, such as the job id and the path.
    pub(crate) fn push(&mut self, level: Level, text: impl Into<String>, hint: Option<String>) {
        let entry = Entry {
            time: chrono::Local::now().format("%H:%M:%S").to_string(),
            level,
            text: text.into(),
            hint,
        };
        tracing::debug!(?level, text = %entry.text, "activity");
        if level == Level::Error {
            self.banner = Some(entry.clone());
        }
        if self.entries.len() == MAX_ENTRIES {
            self.entries.pop_front();
            self.dropped += 1;
        }
        self.entries.push_back(entry);
    }

    pub(crate) fn info(&mut self, text: impl Into<String>) {
        self.push(Level::Info, text, None);
    }

    pub(crate) fn warning(&mut self, text: impl Into<String>) {
        self.push(Level::Warning, text, None);
    }

    pub(crate) fn error(&mut self, text: impl Into<String>, hint: impl Into<String>) {
        self.push(Level::Error, text, Some(hint.into()));
    }

    /// Hides the error above the log, which a later job that succeeded has made stale. The
    /// log keeps the error.
    pub(crate) fn clear_banner(&mut self) {
        self.banner = None;
    }

    /// Returns the texts of all entries, oldest first.
    pub(crate) fn texts(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|entry| entry.text.as_str())
    }

    /// Draws the panel: a header, the latest error if any, then the log.
    pub(crate) fn panel_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            ui.heading("Activity");
            if self.dropped > 0 {
                ui.weak(format!("({} older entries dropped)", self.dropped));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Clear activity").clicked() {
                    self.entries.clear();
                    self.dropped = 0;
                    self.banner = None;
                }
            });
        });
        self.banner_ui(ui);
        self.log_ui(ui);
    }

    fn banner_ui(&mut self, ui: &mut Ui) {
        let Some(banner) = &self.banner else {
            return;
        };
        let mut dismissed = false;
        // The text wraps and can be selected, so that advice such as an address to open in a
        // browser can be read in full and copied. A long error scrolls inside the banner.
        egui::Frame::group(ui.style())
            .fill(ui.visuals().extreme_bg_color)
            .show(ui, |ui| {
                if ui.small_button("Dismiss").clicked() {
                    dismissed = true;
                }
                egui::ScrollArea::vertical()
                    .id_salt("error-banner")
                    .max_height(BANNER_MAX_HEIGHT)
                    .show(ui, |ui| {
                        let text = RichText::new(&banner.text).color(level_color(ui, Level::Error));
                        ui.add(egui::Label::new(text).wrap().selectable(true));
                        if let Some(hint) = &banner.hint {
                            ui.add(egui::Label::new(hint).wrap().selectable(true));
                        }
                    });
            });
        if dismissed {
            self.banner = None;
        }
    }

    fn log_ui(&self, ui: &mut Ui) {
        let row_height = ui.text_style_height(&egui::TextStyle::Body);
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .stick_to_bottom(true)
            .show_rows(ui, row_height, self.entries.len(), |ui, range| {
                for entry in self.entries.range(range) {
                    entry_ui(ui, entry);
                }
            });
    }
}

/// Draws one entry on one line; the hover text has the full text and hint.
fn entry_ui(ui: &mut Ui, entry: &Entry) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(&entry.time).monospace().weak());
        let mut line = match entry.level {
            Level::Info => String::new(),
            Level::Warning => "Warning: ".to_owned(),
            Level::Error => "Error: ".to_owned(),
        };
        line.push_str(&entry.text);
        if let Some(hint) = &entry.hint {
            if !line.ends_with('.') {
                line.push('.');
            }
            line.push(' ');
            line.push_str(hint);
        }
        let text = RichText::new(&line).color(level_color(ui, entry.level));
        ui.add(egui::Label::new(text).truncate())
            .on_hover_text(&line);
    });
}

fn level_color(ui: &Ui, level: Level) -> Color32 {
    match level {
        Level::Info => ui.visuals().text_color(),
        Level::Warning => ui.visuals().warn_fg_color,
        Level::Error => ui.visuals().error_fg_color,
    }
}
