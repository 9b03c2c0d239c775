//! The preview on the right: the focused artifact with syntax highlighting, a version
//! picker, its warnings, the file name a save gives it, and a Copy button.

use egui::{RichText, Ui};
use egui_extras::syntax_highlighting::{CodeTheme, code_view_ui};

use super::format;
use super::library::{self, Entry, Library};
use super::table::conversation_name;
use crate::artifact::Version;
use crate::coordinator::Layout;
use crate::naming;

/// Content preview_text in the preview; longer content is cut there and saved in full.
const PREVIEW_LIMIT: usize = 256 * 1024;
/// Content highlighted; longer content is preview_text as plain text, because highlighting runs on
/// the UI thread.
const HIGHLIGHT_LIMIT: usize = 64 * 1024;

/// The artifact and version that the preview shows.
#[derive(Debug, Default)]
pub(crate) struct PreviewState {
    entry: Option<usize>,
    /// Index into the artifact's versions.
    version: usize,
}

impl PreviewState {
    pub(crate) fn reset(&mut self) {
        *self = Self::default();
    }
}

/// Draws the preview of entry `focused`, or a hint when nothing is focused.
pub(crate) fn preview_ui(
    ui: &mut Ui,
    library: &Library,
    focused: Option<usize>,
    state: &mut PreviewState,
    layout: Layout,
) {
    // Without this the panel shrinks to its content, and later frames keep that width.
    ui.set_min_width(ui.available_width());
    let Some(entry) = focused.and_then(|index| library.entry(index)) else {
        ui.weak("Select an artifact in the table to preview it.");
        return;
    };
    let versions = &entry.artifact.versions;
    if state.entry != focused || state.version >= versions.len() {
        state.entry = focused;
        state.version = versions.len() - 1;
    }
    let version = &versions[state.version];

    ui.heading(library::display_title(&version.title));
    details_ui(ui, library, entry, version, layout);
    actions_ui(ui, state, versions.len(), version);
    warnings_ui(ui, entry);
    flags_ui(ui, version);
    ui.separator();
    code_ui(ui, entry, version);
}

fn details_ui(ui: &mut Ui, library: &Library, entry: &Entry, version: &Version, layout: Layout) {
    let conversation = &library.conversation_of(entry).info;
    ui.label(format!(
        "{} · {} · {} · {}",
        format::kind_label(&version.kind),
        version.language.as_deref().unwrap_or("no language"),
        format::count(entry.versions(), "version", "versions"),
        format::bytes(version.content.len() as u64),
    ));
    ui.label(format!(
        "From “{}” {}",
        conversation_name(&conversation.name),
        format::date(conversation.created_at.as_deref())
    ));
    let final_version = entry.artifact.final_version();
    let file_name = naming::artifact_file_name(
        &final_version.title,
        &final_version.kind,
        final_version.language.as_deref(),
        &final_version.content,
    );
    let path = match layout {
        Layout::PerConversation => {
            let folder = naming::conversation_folder(
                &conversation.uuid,
                &conversation.name,
                conversation.created_at.as_deref(),
            );
            format!("{folder}/{file_name}")
        }
        Layout::Flat => file_name,
    };
    ui.label(RichText::new(format!("Saved as {path}")).small().weak())
        .on_hover_text("Artifacts with the same name get a numbered suffix when saved.");
}

fn actions_ui(ui: &mut Ui, state: &mut PreviewState, count: usize, version: &Version) {
    ui.horizontal(|ui| {
        if count > 1 {
            let text = |index: usize| {
                let mut text = format!("Version {} of {count}", index + 1);
                if index + 1 == count {
                    text.push_str(" (final)");
                }
                text
            };
            let label = ui.label("Version");
            egui::ComboBox::from_id_salt("version")
                .selected_text(text(state.version))
                .show_ui(ui, |ui| {
                    for index in 0..count {
                        ui.selectable_value(&mut state.version, index, text(index));
                    }
                })
                .response
                .labelled_by(label.id);
        }
        if ui
            .button("Copy")
            .on_hover_text("Copy this version's text to the clipboard")
            .clicked()
        {
            ui.ctx().copy_text(version.content.clone());
        }
    });
}

fn warnings_ui(ui: &mut Ui, entry: &Entry) {
    for warning in &entry.artifact.warnings {
        ui.label(RichText::new(format!("Warning: {warning}")).color(ui.visuals().warn_fg_color));
    }
}

/// Lists the scan flags of the shown version.
fn flags_ui(ui: &mut Ui, version: &Version) {
    for flag in &version.flags {
        ui.label(
            RichText::new(format!("Flagged {flag}: {}", flag.description()))
                .color(ui.visuals().warn_fg_color),
        )
        .on_hover_text("artifactor saves this content unchanged and never runs it.");
    }
}

fn code_ui(ui: &mut Ui, entry: &Entry, version: &Version) {
    let content = &version.content;
    let preview_text = cut_at_char_boundary(content, PREVIEW_LIMIT);
    if preview_text.len() < content.len() {
        ui.weak(format!(
            "The preview shows the first {} of {}; saving writes all of it.",
            format::bytes(preview_text.len() as u64),
            format::bytes(content.len() as u64),
        ));
    }
    let language = highlight_language(&version.kind, entry.language.as_deref());
    egui::ScrollArea::both()
        .id_salt("preview-code")
        .auto_shrink(false)
        .show(ui, |ui| {
            // Code keeps its lines; the scroll area scrolls sideways instead.
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            if preview_text.len() <= HIGHLIGHT_LIMIT {
                let theme = CodeTheme::from_memory(ui.ctx(), ui.style());
                code_view_ui(ui, &theme, preview_text, language);
            } else {
                ui.add(egui::Label::new(RichText::new(preview_text).monospace()).selectable(true));
            }
        });
}

/// Returns the longest prefix of `text` of at most `limit` bytes that ends on a character.
fn cut_at_char_boundary(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Returns the syntax name or file extension that syntect uses for the artifact's language.
fn highlight_language<'a>(kind: &str, language: Option<&'a str>) -> &'a str {
    match kind {
        "text/markdown" => return "md",
        "text/html" => return "html",
        "image/svg+xml" => return "xml",
        // JSX is close enough to JavaScript for the syntaxes syntect ships.
        "application/vnd.ant.react" => return "js",
        _ => {}
    }
    let Some(language) = language else {
        return "txt";
    };
    match language.to_ascii_lowercase().as_str() {
        "python" => "py",
        "javascript" | "jsx" | "typescript" | "tsx" | "ts" => "js",
        "rust" => "rs",
        "bash" | "shell" | "zsh" => "sh",
        "c++" => "cpp",
        "csharp" | "c#" => "cs",
        "ruby" => "rb",
        "markdown" => "md",
        "yml" => "yaml",
        "golang" => "go",
        "perl" => "pl",
        "haskell" => "hs",
        _ => language,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_keeps_whole_characters() {
        assert_eq!(cut_at_char_boundary("aé", 2), "a");
        assert_eq!(cut_at_char_boundary("abc", 5), "abc");
    }

    #[test]
    fn language_maps_to_syntect_names() {
        assert_eq!(
            highlight_language("application/vnd.ant.code", Some("Python")),
            "py"
        );
        assert_eq!(highlight_language("text/markdown", None), "md");
        assert_eq!(
            highlight_language("application/vnd.ant.code", Some("go")),
            "go"
        );
        assert_eq!(highlight_language("", None), "txt");
    }
}
