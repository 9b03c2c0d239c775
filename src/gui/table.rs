//! The artifact table in the middle: filters by type and language, sortable columns, and
//! one row per visible artifact. Only the rows in view are laid out, so tens of thousands
//! of rows scroll smoothly.

use egui::{Label, Ui};
use egui_extras::{Column, TableBuilder};

use super::app::Action;
use super::filter::{Filter, SortColumn};
use super::format;
use super::library::Library;
use super::selection::{ClickModifiers, Selection};
use crate::naming;
use crate::scan::Flag;

/// The columns in display order, with their header text.
const COLUMNS: [(SortColumn, &str); 7] = [
    (SortColumn::Title, "Title"),
    (SortColumn::Type, "Type"),
    (SortColumn::Language, "Language"),
    (SortColumn::Versions, "Versions"),
    (SortColumn::Size, "Size"),
    (SortColumn::Conversation, "Conversation"),
    (SortColumn::Date, "Date"),
];

/// Draws the filter bar and the table.
pub(crate) fn table_ui(
    ui: &mut Ui,
    library: &Library,
    filter: &mut Filter,
    selection: &mut Selection,
    actions: &mut Vec<Action>,
) {
    filters_ui(ui, library, filter);
    summary_ui(ui, library, filter, selection, actions);
    ui.separator();
    if filter.rows().is_empty() && filter.scan_progress(library).is_none() {
        empty_ui(ui, library);
        return;
    }
    rows_ui(ui, library, filter, selection);
}

fn filters_ui(ui: &mut Ui, library: &Library, filter: &mut Filter) {
    ui.horizontal(|ui| {
        let mut kind = filter.kind().map(str::to_owned);
        let selected = kind.as_deref().map_or("All types", format::kind_label);
        let label = ui.label("Type");
        egui::ComboBox::from_id_salt("type-filter")
            .selected_text(selected)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut kind, None, "All types");
                for (value, count) in library.kinds() {
                    let text = format!("{} ({count})", format::kind_label(value));
                    ui.selectable_value(&mut kind, Some(value.clone()), text);
                }
            })
            .response
            .labelled_by(label.id);
        filter.set_kind(kind);

        let mut language = filter.language().map(str::to_owned);
        let selected = language
            .clone()
            .unwrap_or_else(|| "All languages".to_owned());
        let label = ui.label("Language");
        egui::ComboBox::from_id_salt("language-filter")
            .selected_text(selected)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut language, None, "All languages");
                for (value, count) in library.languages() {
                    let text = format!("{value} ({count})");
                    ui.selectable_value(&mut language, Some(value.clone()), text);
                }
            })
            .response
            .labelled_by(label.id);
        filter.set_language(language);
    });
}

fn summary_ui(
    ui: &mut Ui,
    library: &Library,
    filter: &Filter,
    selection: &Selection,
    actions: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        ui.label(format!(
            "Showing {} of {} · {} selected",
            filter.rows().len(),
            format::count(library.entries().len(), "artifact", "artifacts"),
            selection.len(),
        ));
        if ui
            .button("Select all")
            .on_hover_text("Select every artifact shown (Ctrl+A)")
            .clicked()
        {
            actions.push(Action::SelectAll);
        }
    });
}

/// Explains an empty table.
fn empty_ui(ui: &mut Ui, library: &Library) {
    ui.add_space(24.0);
    ui.vertical_centered(|ui| {
        if library.entries().is_empty() {
            ui.weak("No artifacts loaded yet.");
        } else {
            ui.weak("No artifact matches the search, the conversation and the filters.");
            ui.weak(
                "Clear the search box or choose All conversations, All types and All languages.",
            );
        }
    });
}

fn rows_ui(ui: &mut Ui, library: &Library, filter: &mut Filter, selection: &mut Selection) {
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let mut sort_clicked = None;
    let mut row_clicked = None;
    // Cell labels must not take the click for text selection: the row handles it.
    ui.style_mut().interaction.selectable_labels = false;

    TableBuilder::new(ui)
        .id_salt("artifacts")
        .striped(true)
        .resizable(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::remainder().at_least(100.0).clip(true))
        .column(Column::initial(76.0).at_least(40.0).clip(true))
        .column(Column::initial(76.0).at_least(40.0).clip(true))
        .column(Column::initial(62.0).at_least(40.0))
        .column(Column::initial(66.0).at_least(40.0))
        .column(Column::initial(124.0).at_least(60.0).clip(true))
        .column(Column::initial(80.0).at_least(60.0))
        .header(row_height + 4.0, |mut header| {
            for (column, name) in COLUMNS {
                header.col(|ui| {
                    if header_cell_ui(ui, filter, column, name) {
                        sort_clicked = Some(column);
                    }
                });
            }
        })
        .body(|body| {
            let rows = filter.rows();
            body.rows(row_height, rows.len(), |mut row| {
                let index = rows[row.index()];
                let Some(entry) = library.entry(index) else {
                    return;
                };
                let conversation = library.conversation_of(entry);
                row.set_selected(selection.is_selected(index));
                row.col(|ui| {
                    if !entry.flags.is_empty() {
                        flag_badge_ui(ui, &entry.flags);
                    }
                    ui.add(Label::new(entry.display_title()).truncate());
                });
                row.col(|ui| {
                    ui.add(Label::new(format::kind_label(entry.kind())).truncate());
                });
                row.col(|ui| {
                    ui.add(Label::new(entry.language.as_deref().unwrap_or("")).truncate());
                });
                row.col(|ui| {
                    ui.label(entry.versions().to_string());
                });
                row.col(|ui| {
                    ui.label(format::bytes(entry.size as u64));
                });
                row.col(|ui| {
                    ui.add(Label::new(conversation_name(&conversation.info.name)).truncate());
                });
                row.col(|ui| {
                    ui.label(format::date(conversation.info.created_at.as_deref()));
                });
                if row.response().clicked() {
                    row_clicked = Some(index);
                }
            });
        });

    if let Some(column) = sort_clicked {
        filter.sort_by(column);
    }
    if let Some(index) = row_clicked {
        let modifiers = ui.input(|input| input.modifiers);
        let modifiers = ClickModifiers {
            toggle: modifiers.command,
            range: modifiers.shift,
        };
        selection.click(index, modifiers, filter.rows());
    }
}

/// Draws the badge of an artifact whose content raised scan flags, before its title so that
/// truncation never hides it. Hovering lists the flags.
fn flag_badge_ui(ui: &mut Ui, flags: &[Flag]) {
    let badge = egui::RichText::new("⚠ flagged")
        .small()
        .color(ui.visuals().warn_fg_color);
    let details = flags
        .iter()
        .map(|flag| format!("{flag}: {}", flag.description()))
        .collect::<Vec<_>>()
        .join("\n");
    ui.add(Label::new(badge)).on_hover_text(format!(
        "Risky content. artifactor saves it unchanged and never runs it.\n{details}"
    ));
}

/// Draws a header cell as a button that sorts by its column. Returns whether it was clicked.
fn header_cell_ui(ui: &mut Ui, filter: &Filter, column: SortColumn, name: &str) -> bool {
    let sort = filter.sort();
    let active = sort.column == column;
    let clicked = ui
        .add(egui::Button::selectable(
            active,
            egui::RichText::new(name).strong(),
        ))
        .on_hover_text(format!("Sort by {}", name.to_lowercase()))
        .clicked();
    if active {
        ui.label(if sort.ascending { "↑" } else { "↓" })
            .on_hover_text(if sort.ascending {
                "Ascending"
            } else {
                "Descending"
            });
    }
    clicked
}

/// Returns the name to show for a conversation, which may have none: an empty name is
/// "Untitled", as in the name of the conversation's folder when saved.
pub(crate) fn conversation_name(name: &str) -> &str {
    if name.trim().is_empty() {
        naming::UNTITLED_CONVERSATION
    } else {
        name
    }
}
