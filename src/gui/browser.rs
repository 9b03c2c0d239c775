//! The conversation browser on the left: the search box and the conversations that have
//! matching artifacts.

use egui::{Id, Ui};

use super::filter::Filter;
use super::format;
use super::library::Library;
use super::table::conversation_name;

/// Returns the id of the search box, so that Ctrl+F can focus it.
pub(crate) fn search_id() -> Id {
    Id::unique("artifactor-search")
}

/// Draws the search box and the conversation list.
pub(crate) fn browser_ui(ui: &mut Ui, library: &Library, filter: &mut Filter) {
    search_ui(ui, library, filter);
    ui.separator();
    conversation_list_ui(ui, library, filter);
}

fn search_ui(ui: &mut Ui, library: &Library, filter: &mut Filter) {
    let label = ui.label("Search");
    let edit = egui::TextEdit::singleline(&mut filter.search)
        .id(search_id())
        .hint_text("Names, titles and text (Ctrl+F)")
        .desired_width(f32::INFINITY);
    let response = ui.add(edit).labelled_by(label.id);
    if response.changed() {
        filter.search_changed();
    }
    if let Some(fraction) = filter.scan_progress(library) {
        ui.horizontal(|ui| {
            ui.add(egui::Spinner::new());
            ui.label(format!("Searching… {:.0}%", fraction * 100.0));
        });
    }
}

fn conversation_list_ui(ui: &mut Ui, library: &Library, filter: &mut Filter) {
    let conversation_count = filter.conversation_rows().len();
    let without_artifacts = library.conversations().len() - library.conversations_with_artifacts();
    ui.strong(format::count(
        conversation_count,
        "conversation",
        "conversations",
    ));
    if without_artifacts > 0 {
        ui.weak(format!("{without_artifacts} more without artifacts"));
    }

    let all_selected = filter.conversation().is_none();
    let all = egui::Button::selectable(all_selected, "All conversations")
        .right_text(library.entries().len().to_string())
        .min_size(egui::vec2(ui.available_width(), 0.0));
    if ui.add(all).clicked() {
        filter.set_conversation(None);
    }

    let mut chosen = None;
    let row_height = ui.spacing().interact_size.y;
    egui::ScrollArea::vertical().auto_shrink(false).show_rows(
        ui,
        row_height,
        conversation_count,
        |ui, range| {
            for &index in &filter.conversation_rows()[range] {
                let conversation = &library.conversations()[index];
                let name = conversation_name(&conversation.info.name);
                let selected = filter.conversation() == Some(index);
                let date = format::date(conversation.info.created_at.as_deref());
                let button = egui::Button::selectable(selected, name)
                    .right_text(conversation.artifacts.len().to_string())
                    .truncate()
                    .min_size(egui::vec2(ui.available_width(), row_height));
                let response = ui.add(button);
                if response.on_hover_text(format!("{name}\n{date}")).clicked() {
                    chosen = Some(index);
                }
            }
        },
    );
    if let Some(index) = chosen {
        filter.set_conversation(Some(index));
    }
}
