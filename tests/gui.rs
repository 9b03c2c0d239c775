//! Window tests: the real app and coordinator driven through `egui_kittest`, without a
//! display. Widgets are found by their accessible labels, and every wait for the
//! coordinator is a bounded loop of frames.

#[path = "gui/support.rs"]
mod support;

mod common;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::faults::is_temporary;
use common::{assert_manifest_matches_disk, list_files, manifest_entries, read_manifest, server};
use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT as _, Queryable};
use support::{Window, activity_contains, settings_with_output, write_large_export};

/// Text with one artifact tag, as a user might paste it.
const PASTED: &str = "Here you go.\n\n<antArtifact identifier=\"todo\" type=\"text/markdown\" \
                      title=\"Pasted list\">\n- milk\n</antArtifact>";

#[test]
fn sample_export_fills_table() {
    let window = Window::with_sample(None);
    let (shown, total, selected) = window.table_counts();
    assert!(
        total >= 10,
        "the sample has at least 10 artifacts, found {total}"
    );
    assert_eq!(shown, total);
    assert_eq!(selected, 0);
    for title in ["CSV Cleaner", "main.rs", "index.html", "Library schema"] {
        assert!(
            window.harness.query_by_label(title).is_some(),
            "{title} is not in the table"
        );
    }
    assert!(activity_contains(
        &window.harness,
        "Loaded sample-export.zip"
    ));
    window.harness.check_accessibility();
}

#[test]
fn search_shrinks_the_list() {
    let mut window = Window::with_sample(None);
    let (_, total, _) = window.table_counts();

    window.harness.get_by_label("Search").focus();
    window.harness.step();
    window.harness.get_by_label("Search").type_text("CLEANER");
    window.wait_until("the search to apply", |harness| {
        harness.query_by_label("main.rs").is_none()
    });

    let (shown, _, _) = window.table_counts();
    assert!(shown < total, "search kept all {total} rows");
    assert!(window.harness.query_by_label("CSV Cleaner").is_some());
}

#[test]
fn search_matches_artifact_text() {
    let mut window = Window::with_sample(None);
    window.harness.get_by_label("Search").focus();
    window.harness.step();
    // Only the Rust artifact's code uses a HashMap; no title or name says so.
    window.harness.get_by_label("Search").type_text("hashmap");
    window.wait_until("the search to apply", |harness| {
        harness.query_by_label("CSV Cleaner").is_none()
    });
    assert!(window.harness.query_by_label("main.rs").is_some());
}

#[test]
fn ctrl_f_focuses_search() {
    let mut window = Window::with_sample(None);
    window
        .harness
        .key_press_modifiers(Modifiers::COMMAND, Key::F);
    window.wait_until("the search box to take focus", |harness| {
        harness.get_by_label("Search").is_focused()
    });
}

#[test]
fn selected_row_shows_preview() {
    let mut window = Window::with_sample(None);
    window.harness.get_by_label("CSV Cleaner").click();
    window.wait_until("the preview", |harness| {
        harness.query_by_label_contains("import csv").is_some()
    });

    // The title is now in the table and in the preview's heading.
    assert_eq!(window.harness.get_all_by_label("CSV Cleaner").count(), 2);
    let version = window.harness.get_by_label("Version").value();
    assert_eq!(version.as_deref(), Some("Version 2 of 2 (final)"));
    let (_, _, selected) = window.table_counts();
    assert_eq!(selected, 1);

    window.harness.get_by_label("Copy").click();
    window.harness.step();
    let copied = window.harness.output().platform_output.commands.iter().any(|command| {
        matches!(command, egui::OutputCommand::CopyText(text) if text.contains("import csv"))
    });
    assert!(copied, "Copy put no text with the code on the clipboard");
}

#[test]
fn ctrl_a_selects_every_shown_row() {
    let mut window = Window::with_sample(None);
    window
        .harness
        .key_press_modifiers(Modifiers::COMMAND, Key::A);
    window.harness.step();
    let (shown, _, selected) = window.table_counts();
    assert_eq!(selected, shown);
}

#[test]
fn title_header_sorts_rows() {
    let mut window = Window::with_sample(None);
    window.harness.get_by_label("Title").click();
    window.harness.step();
    window.harness.step();
    let top = |window: &Window, label: &str| window.harness.get_by_label(label).rect().top();
    assert!(top(&window, "Backup script") < top(&window, "main.rs"));

    window.harness.get_by_label("Title").click();
    window.harness.step();
    window.harness.step();
    assert!(top(&window, "Backup script") > top(&window, "main.rs"));
}

#[test]
fn save_writes_files_and_manifest() {
    let out = tempfile::tempdir().expect("temporary output folder");
    let settings = settings_with_output(out.path());
    let mut window = Window::with_sample(Some(&settings));

    window
        .harness
        .key_press_modifiers(Modifiers::COMMAND, Key::S);
    window.wait_for_label("Save artifacts");
    window.harness.get_by_label("Save").click();
    window.wait_for_label("Save finished");

    assert!(window.harness.query_by_label("Open folder").is_some());
    let manifest = std::fs::read_to_string(out.path().join("manifest.json"))
        .expect("manifest.json in the output folder");
    let manifest: serde_json::Value = serde_json::from_str(&manifest).expect("valid manifest");
    let entries = manifest["artifacts"]
        .as_array()
        .expect("an artifacts array");
    let (_, total, _) = window.table_counts();
    assert!(
        entries.len() >= total,
        "{} entries for {total} artifacts",
        entries.len()
    );
    for entry in entries {
        let path = entry["path"].as_str().expect("a string path");
        assert!(out.path().join(path).is_file(), "{path} was not written");
    }
    assert!(activity_contains(&window.harness, "Saved "));
}

#[test]
fn save_of_selection_writes_only_it() {
    let out = tempfile::tempdir().expect("temporary output folder");
    let settings = format!("{}layout = \"flat\"\n", settings_with_output(out.path()));
    let mut window = Window::with_sample(Some(&settings));

    window.harness.get_by_label("main.rs").click();
    window.harness.step();
    window
        .harness
        .key_press_modifiers(Modifiers::COMMAND, Key::S);
    window.wait_for_label("Save artifacts");
    assert!(
        window
            .harness
            .query_by_label("Selected artifacts (1)")
            .is_some()
    );
    window.harness.get_by_label("Save").click();
    window.wait_for_label("Save finished");

    assert!(out.path().join("main.rs").is_file());
    let written: Vec<PathBuf> = std::fs::read_dir(out.path())
        .expect("read the output folder")
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| path.file_name().is_some_and(|name| name != "manifest.json"))
        .collect();
    assert_eq!(written.len(), 1, "written: {written:?}");
}

#[test]
fn escape_cancels_a_long_load() {
    let input = tempfile::tempdir().expect("temporary input folder");
    let export = write_large_export(input.path(), 60_000);
    let mut window = Window::open(Some(export), None);

    window.wait_until("loading to make progress", |harness| {
        harness
            .query_by_label_contains("Loading conversations.json:")
            .is_some()
    });
    window.harness.key_press(Key::Escape);
    window.wait_for_activity("was cancelled");

    assert!(!window.harness.state().is_busy());
    assert!(activity_contains(
        &window.harness,
        "Loading conversations.json was cancelled"
    ));
    let (_, total, _) = window.table_counts();
    assert!(total < 60_000, "the load finished before it was cancelled");
}

#[test]
fn cancel_button_stops_a_load() {
    let input = tempfile::tempdir().expect("temporary input folder");
    let export = write_large_export(input.path(), 60_000);
    let mut window = Window::open(Some(export), None);

    window.wait_for_label("Cancel");
    window.harness.get_by_label("Cancel").click();
    window.wait_for_activity("was cancelled");
    assert!(window.harness.query_by_label("Cancel").is_none());
}

#[test]
fn closing_during_save_keeps_complete_files() {
    const CONVERSATIONS: usize = 20_000;
    let input = tempfile::tempdir().expect("temporary input folder");
    let export = write_large_export(input.path(), CONVERSATIONS);
    let out = tempfile::tempdir().expect("temporary output folder");
    let settings = settings_with_output(out.path());
    let mut window = Window::open(Some(export), Some(&settings));
    window.wait_until("the load to finish", |harness| !harness.state().is_busy());
    let (_, total, _) = window.table_counts();
    assert_eq!(total, CONVERSATIONS, "the load did not list every artifact");

    window
        .harness
        .key_press_modifiers(Modifiers::COMMAND, Key::S);
    window.wait_for_label("Save artifacts");
    window.harness.get_by_label("Save").click();
    // Each conversation gets its own folder and file, so the save takes thousands of writes.
    window.wait_until("the save to write 50 files", |_| {
        let files = list_files(out.path());
        files.iter().filter(|path| !is_temporary(path)).count() >= 50
    });
    let started = Instant::now();
    eframe::App::on_exit(window.harness.state_mut());
    let took = started.elapsed();
    assert!(took < Duration::from_secs(10), "closing took {took:?}");

    let files = list_files(out.path());
    let temporary: Vec<&String> = files.iter().filter(|path| is_temporary(path)).collect();
    assert!(temporary.is_empty(), "temporary files left: {temporary:?}");
    assert_manifest_matches_disk(out.path(), false);
    let listed = manifest_entries(&read_manifest(out.path())).len();
    assert!(
        listed >= 50,
        "{listed} files listed, but 50 were complete before the close"
    );
    assert!(
        listed < CONVERSATIONS,
        "all {listed} files were written, so the save ended before the close"
    );
    // The save job has ended: nothing is written after the window closed.
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        list_files(out.path()),
        files,
        "files changed after the close"
    );
}

#[test]
fn pasted_text_with_tags_loads() {
    let mut window = Window::open(None, None);
    window.harness.event(egui::Event::Paste(PASTED.to_owned()));
    window.wait_for_label("Pasted list");
    window.wait_until("the load to finish", |harness| !harness.state().is_busy());
    assert!(activity_contains(&window.harness, "Loaded pasted text"));
}

#[test]
fn pasted_text_adds_to_loaded_export() {
    let mut window = Window::with_sample(None);
    let (_, before, _) = window.table_counts();
    window.harness.event(egui::Event::Paste(PASTED.to_owned()));
    window.wait_for_label("Pasted list");
    window.wait_until("the load to finish", |harness| !harness.state().is_busy());
    window.harness.step();
    let (_, after, _) = window.table_counts();
    assert_eq!(after, before + 1);
    assert!(window.harness.query_by_label("CSV Cleaner").is_some());
}

#[test]
fn paste_into_search_box_only_searches() {
    let mut window = Window::with_sample(None);
    window.harness.get_by_label("Search").focus();
    window.harness.step();
    window
        .harness
        .event(egui::Event::Paste("cleaner".to_owned()));
    window.wait_until("the search to apply", |harness| {
        harness.query_by_label("main.rs").is_none()
    });
    assert!(
        !window.harness.state().is_busy(),
        "the paste started a load"
    );
}

/// A file dropped on the window, as egui-winit reports it.
#[derive(Debug)]
struct DroppedPath(PathBuf);

impl egui::DroppedFile for DroppedPath {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|err| err.to_string())
    }
}

#[test]
fn dropped_file_loads() {
    let mut window = Window::open(None, None);
    window
        .harness
        .input_mut()
        .dropped_files
        .push(Arc::new(DroppedPath(support::sample_export())));
    window.wait_for_label("CSV Cleaner");
}

#[test]
fn new_load_reports_cancelled_load() {
    let input = tempfile::tempdir().expect("temporary input folder");
    let export = write_large_export(input.path(), 20_000);
    let mut window = Window::open(Some(export), None);
    window.harness.step();
    assert!(
        window.harness.state().is_busy(),
        "the large load is running"
    );
    window
        .harness
        .input_mut()
        .dropped_files
        .push(Arc::new(DroppedPath(support::sample_export())));
    window.wait_for_activity("Loading conversations.json was cancelled to start the new load");
    // The sample's rows may be out of view: what the cancelled load had loaded stays
    // listed, and the table lays out only the rows in view.
    window.wait_for_activity("Loaded sample-export.zip");
}

#[test]
fn missing_file_reports_error_with_hint() {
    let mut window = Window::open(Some(PathBuf::from("/nonexistent/export.zip")), None);
    window.wait_for_activity("Loading export.zip failed");
    window.wait_for_label("Dismiss");
}

#[test]
fn theme_setting_is_written() {
    let mut window = Window::open(None, None);
    window.harness.get_by_label("Settings").click();
    window.wait_for_label("Dark");
    window.harness.get_by_label("Dark").click();
    let settings = window.config.path().join(artifactor::gui::SETTINGS_FILE);
    window.wait_until("settings.toml to name the dark theme", |_| {
        std::fs::read_to_string(&settings).is_ok_and(|text| text.contains("theme = \"dark\""))
    });
}

#[test]
fn settings_file_sets_layout_and_versions() {
    let settings = "layout = \"flat\"\nall_versions = true\n";
    let mut window = Window::open(None, Some(settings));
    window.harness.get_by_label("Settings").click();
    window.wait_for_label("All files in the output folder");
    let checkbox = window.harness.get_by_label("Save earlier versions too");
    assert_eq!(
        checkbox.accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::True)
    );
}

#[test]
fn large_table_frames_stay_fast() {
    let input = tempfile::tempdir().expect("temporary input folder");
    let export = write_large_export(input.path(), 40_000);
    let mut window = Window::open(Some(export), None);
    window.wait_until("the load to finish", |harness| !harness.state().is_busy());
    window.harness.step();
    let (_, total, _) = window.table_counts();
    assert_eq!(total, 40_000);

    let first_row = window.harness.get_by_label("Note 0").rect().center();
    window.harness.hover_at(first_row);
    window.harness.step();
    let started = std::time::Instant::now();
    for _ in 0..20 {
        window.harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Page,
            delta: egui::vec2(0.0, -1.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: Modifiers::NONE,
        });
        window.harness.step();
    }
    let per_frame = started.elapsed() / 20;
    assert!(
        window.harness.query_by_label("Note 0").is_none(),
        "the table did not scroll"
    );
    // Only the rows in view are laid out: a debug build measured about 4 ms per frame. The
    // bound leaves room for a slow machine running other tests at the same time.
    assert!(
        per_frame < std::time::Duration::from_millis(250),
        "a frame took {per_frame:?} while scrolling 40000 rows"
    );
}

#[test]
fn idle_window_stops_repainting() {
    let mut window = Window::with_sample(None);
    let frames = window.harness.try_run();
    assert!(
        frames.is_ok(),
        "the window kept asking for frames: {frames:?}"
    );
}

#[test]
fn save_to_typed_folder_remembers_it() {
    let out = tempfile::tempdir().expect("temporary output folder");
    let mut window = Window::with_sample(None);
    window
        .harness
        .key_press_modifiers(Modifiers::COMMAND, Key::S);
    window.wait_for_label("Save artifacts");
    window.harness.check_accessibility();
    window.harness.get_by_label("Output folder").focus();
    window.harness.step();
    let folder = out.path().display().to_string();
    window
        .harness
        .get_by_label("Output folder")
        .type_text(&folder);
    window.harness.step();
    window.harness.get_by_label("Save").click();
    window.wait_for_label("Save finished");

    assert!(out.path().join("manifest.json").is_file());
    let settings = window.config.path().join(artifactor::gui::SETTINGS_FILE);
    window.wait_until("settings.toml to name the output folder", |_| {
        std::fs::read_to_string(&settings).is_ok_and(|text| text.contains(&folder))
    });
}

#[test]
fn open_panels_have_accessible_names() {
    let mut window = Window::with_sample(None);
    // The artifact with three versions and a warning shows every part of the preview.
    window.harness.get_by_label("Панель продаж").click();
    window.harness.step();
    window.harness.get_by_label("Settings").click();
    window.harness.step();
    window.harness.step();
    window.harness.check_accessibility();
}

#[test]
fn type_filter_keeps_one_type() {
    let mut window = Window::with_sample(None);
    // The column header is also labelled "Type".
    window
        .harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Type")
        .click();
    window.wait_for_label("Document (1)");
    window.harness.get_by_label("Document (1)").click();
    window.wait_until("the filter to apply", |harness| {
        harness.query_by_label("CSV Cleaner").is_none()
    });
    let (shown, _, _) = window.table_counts();
    assert_eq!(shown, 1);
    assert!(window.harness.query_by_label("Usage notes").is_some());
}

#[test]
fn save_to_a_file_path_fails_with_hint() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let not_a_folder = dir.path().join("a-file");
    std::fs::write(&not_a_folder, "not a folder").expect("write the file");
    let settings = settings_with_output(&not_a_folder);
    let mut window = Window::with_sample(Some(&settings));

    window
        .harness
        .key_press_modifiers(Modifiers::COMMAND, Key::S);
    window.wait_for_label("Save artifacts");
    window.harness.get_by_label("Save").click();
    window.wait_for_label("Save failed");

    assert!(activity_contains(&window.harness, "Saving failed"));
    // The hint is in the dialog, in the activity panel's banner and in its log.
    let hints = window
        .harness
        .query_all_by_label_contains("Choose another output folder")
        .count();
    assert!(hints >= 2, "the hint is shown {hints} times");
}

/// Returns `settings.toml` text that sends share links to `server`.
fn settings_with_server(server: &server::TestServer) -> String {
    format!("base_url = {:?}\n", server.base_url())
}

#[test]
fn link_field_fetches_share_link() {
    let server = server::TestServer::start(std::time::Duration::ZERO);
    let mut window = Window::open(None, Some(&settings_with_server(&server)));
    window.harness.get_by_label("Link").focus();
    window.harness.step();
    window.harness.event(egui::Event::Text(
        "https://claude.ai/share/field-1".to_owned(),
    ));
    window.harness.step();
    window.harness.get_by_label("Fetch").click();
    window.wait_for_label("Snippet field-1");
    window.wait_until("the load to finish", |harness| !harness.state().is_busy());
    assert_eq!(server.requests("field-1"), 1);
    window.harness.step();
    let field = window.harness.get_by_label("Link").value();
    assert_eq!(
        field.as_deref(),
        Some(""),
        "the fetched link stays in the field"
    );
}

#[test]
fn pasted_share_links_are_fetched() {
    let server = server::TestServer::start(std::time::Duration::ZERO);
    let mut window = Window::open(None, Some(&settings_with_server(&server)));
    window.harness.event(egui::Event::Paste(
        "https://claude.ai/share/paste-1 https://claude.ai/share/paste-2".to_owned(),
    ));
    window.wait_for_label("Snippet paste-1");
    window.wait_for_label("Snippet paste-2");
}

#[test]
fn failed_share_link_reports_advice() {
    let server = server::TestServer::start(std::time::Duration::ZERO);
    let mut window = Window::open(None, Some(&settings_with_server(&server)));
    window.harness.event(egui::Event::Paste(
        "https://claude.ai/share/challenge-1".to_owned(),
    ));
    window.wait_for_activity("did not come from a browser");
}

#[test]
fn pasted_code_block_loads() {
    let mut window = Window::open(None, None);
    window.harness.event(egui::Event::Paste(
        "Try this:\n```python tidy.py\nprint('tidy')\n```\n".to_owned(),
    ));
    window.wait_for_label("tidy.py");
}

#[test]
fn failed_fetch_keeps_loaded_artifacts() {
    let server = server::TestServer::start(Duration::ZERO);
    let mut window = Window::with_sample(Some(&settings_with_server(&server)));
    let (_, before, _) = window.table_counts();
    window.harness.event(egui::Event::Paste(
        "https://claude.ai/share/challenge-1".to_owned(),
    ));
    window.wait_for_activity("did not come from a browser");
    window.wait_until("the load to finish", |harness| !harness.state().is_busy());
    window.harness.step();

    assert!(window.harness.query_by_label("CSV Cleaner").is_some());
    let (_, after, _) = window.table_counts();
    assert_eq!(after, before);
}

#[test]
fn cancelled_fetch_keeps_loaded_artifacts() {
    let server = server::TestServer::start(Duration::ZERO);
    let mut window = Window::with_sample(Some(&settings_with_server(&server)));
    let (_, before, _) = window.table_counts();
    window.harness.event(egui::Event::Paste(
        "https://claude.ai/share/stall-1".to_owned(),
    ));
    window.wait_for_label("Cancel");
    window.harness.get_by_label("Cancel").click();
    window.wait_for_activity("was cancelled");
    window.wait_until("the load to end", |harness| !harness.state().is_busy());
    window.harness.step();

    assert!(window.harness.query_by_label("CSV Cleaner").is_some());
    let (_, after, _) = window.table_counts();
    assert_eq!(after, before);
}

#[test]
fn fetch_adds_to_loaded_export() {
    let server = server::TestServer::start(Duration::ZERO);
    let mut window = Window::with_sample(Some(&settings_with_server(&server)));
    let (_, before, _) = window.table_counts();
    window.harness.event(egui::Event::Paste(
        "https://claude.ai/share/paste-1".to_owned(),
    ));
    window.wait_for_label("Snippet paste-1");
    window.wait_until("the load to finish", |harness| !harness.state().is_busy());
    window.harness.step();

    assert!(window.harness.query_by_label("CSV Cleaner").is_some());
    let (_, after, _) = window.table_counts();
    assert_eq!(after, before + 1);
    assert!(
        activity_contains(&window.harness, "added to the"),
        "the activity does not say that the load adds"
    );
}

#[test]
fn clear_list_shows_start_screen() {
    let mut window = Window::with_sample(None);
    window.harness.get_by_label("Clear list").click();
    window.wait_for_label("Open export…");
    assert!(window.harness.query_by_label("CSV Cleaner").is_none());
}

#[test]
fn save_dialog_close_discards_folder() {
    let out = tempfile::tempdir().expect("temporary output folder");
    let mut window = Window::with_sample(None);
    window
        .harness
        .key_press_modifiers(Modifiers::COMMAND, Key::S);
    window.wait_for_label("Save artifacts");
    window.harness.get_by_label("Output folder").focus();
    window.harness.step();
    let folder = out.path().display().to_string();
    window
        .harness
        .get_by_label("Output folder")
        .type_text(&folder);
    window.harness.step();
    window.harness.get_by_label("Close").click();
    window.wait_until("the dialog to close", |harness| {
        harness.query_by_label("Save artifacts").is_none()
    });

    window
        .harness
        .key_press_modifiers(Modifiers::COMMAND, Key::S);
    window.wait_for_label("Save artifacts");
    let field = window.harness.get_by_label("Output folder").value();
    assert_eq!(field.as_deref(), Some(""), "Close kept the typed folder");
    window.harness.state_mut().shutdown();
    let settings = window.config.path().join(artifactor::gui::SETTINGS_FILE);
    let text = std::fs::read_to_string(&settings).unwrap_or_default();
    assert!(!text.contains(&folder), "settings.toml stores it: {text}");
}

#[test]
fn save_dialog_expands_home_folder() {
    let mut window = Window::with_sample(None);
    window
        .harness
        .key_press_modifiers(Modifiers::COMMAND, Key::S);
    window.wait_for_label("Save artifacts");
    window.harness.get_by_label("Output folder").focus();
    window.harness.step();
    window
        .harness
        .get_by_label("Output folder")
        .type_text("~/claude/artifacts");
    window.harness.step();
    // Leaving the field for another control turns `~` into the home folder.
    window
        .harness
        .get_by_label("Save earlier versions too")
        .focus();
    window.harness.step();
    window.harness.step();
    let home = directories::BaseDirs::new().expect("a home folder");
    let expected = home.home_dir().join("claude/artifacts");
    let field = window.harness.get_by_label("Output folder").value();
    assert_eq!(field, Some(expected.display().to_string()));
}

#[test]
fn failed_load_is_listed_once() {
    let mut window = Window::open(Some(PathBuf::from("/nonexistent/export.zip")), None);
    window.wait_for_activity("Loading export.zip failed");
    window.wait_until("the load to finish", |harness| !harness.state().is_busy());
    let texts = window.harness.state().activity_texts();
    let listed = texts
        .iter()
        .filter(|text| text.contains("/nonexistent/export.zip"))
        .count();
    assert_eq!(listed, 1, "{texts:#?}");
}

#[test]
fn load_lists_no_step_timings() {
    let window = Window::with_sample(None);
    let texts = window.harness.state().activity_texts();
    assert!(
        !texts.iter().any(|text| text.starts_with("Step ")),
        "{texts:#?}"
    );
}

#[test]
fn error_banner_wraps_within_window() {
    let server = server::TestServer::start(Duration::ZERO);
    let mut window = Window::open(None, Some(&settings_with_server(&server)));
    window.harness.event(egui::Event::Paste(
        "https://claude.ai/share/challenge-1".to_owned(),
    ));
    window.wait_for_activity("did not come from a browser");
    window.wait_until("the load to finish", |harness| !harness.state().is_busy());
    window.harness.step();

    // The banner and the log's line both show the error; the log's line is cut off.
    let shown: Vec<_> = window
        .harness
        .query_all_by_label_contains("Open http")
        .map(|node| node.rect())
        .collect();
    assert!(!shown.is_empty(), "the error is not shown");
    for rect in shown {
        assert!(rect.right() <= 1280.0, "the error ends at {rect:?}");
    }
    assert!(
        window
            .harness
            .query_by_label_contains("Check that the path")
            .is_none(),
        "a link failure shows the hint for paths"
    );
}

#[test]
fn partly_failed_fetch_names_failed_link() {
    let server = server::TestServer::start(Duration::ZERO);
    let mut window = Window::open(None, Some(&settings_with_server(&server)));
    window.harness.event(egui::Event::Paste(
        "https://claude.ai/share/paste-1 https://claude.ai/share/challenge-1".to_owned(),
    ));
    window.wait_for_label("Snippet paste-1");
    window.wait_until("the load to finish", |harness| !harness.state().is_busy());

    let texts = window.harness.state().activity_texts();
    assert!(
        !texts.iter().any(|text| text.contains("and 1 more failed")),
        "{texts:#?}"
    );
    let failed = texts
        .iter()
        .filter(|text| text.contains("share/challenge-1:"))
        .count();
    assert_eq!(failed, 1, "{texts:#?}");
    assert!(
        texts
            .iter()
            .any(|text| text.starts_with("Loaded https://claude.ai/share/paste-1 and 1 more")),
        "{texts:#?}"
    );
}

/// Types `text` into the link field and clicks Fetch.
fn fetch_from_link_field(window: &mut Window, text: &str) {
    window.harness.get_by_label("Link").focus();
    window.harness.step();
    window.harness.event(egui::Event::Text(text.to_owned()));
    window.harness.step();
    window.harness.get_by_label("Fetch").click();
    window.harness.step();
}

#[test]
fn link_field_keeps_failed_link() {
    let server = server::TestServer::start(Duration::ZERO);
    let mut window = Window::open(None, Some(&settings_with_server(&server)));
    let link = "https://claude.ai/share/challenge-2";
    fetch_from_link_field(&mut window, link);
    window.wait_for_activity("did not come from a browser");
    window.wait_until("the load to finish", |harness| !harness.state().is_busy());
    window.harness.step();

    let field = window.harness.get_by_label("Link").value();
    assert_eq!(field.as_deref(), Some(link));
}

#[test]
fn link_field_rejects_file_path() {
    let mut window = Window::open(None, None);
    fetch_from_link_field(&mut window, "/home/someone/export.zip");
    window.wait_until("the load to finish", |harness| !harness.state().is_busy());
    window.harness.step();

    let texts = window.harness.state().activity_texts();
    assert!(
        !texts.iter().any(|text| text.contains("relative URL")),
        "{texts:#?}"
    );
    assert!(
        texts.iter().any(|text| text.contains("Open…")),
        "{texts:#?}"
    );
}

#[test]
fn banner_clears_after_later_load() {
    let mut window = Window::open(Some(PathBuf::from("/nonexistent/export.zip")), None);
    window.wait_for_label("Dismiss");
    window
        .harness
        .input_mut()
        .dropped_files
        .push(Arc::new(DroppedPath(support::sample_export())));
    window.wait_for_label("CSV Cleaner");
    window.wait_until("the load to finish", |harness| !harness.state().is_busy());
    window.harness.step();
    assert!(window.harness.query_by_label("Dismiss").is_none());
}

#[test]
fn empty_title_shows_untitled() {
    let mut window = Window::open(None, None);
    window.harness.event(egui::Event::Paste(
        "Here.\n\n<antArtifact identifier=\"blank\" type=\"text/markdown\" title=\"\">\n# x\n</antArtifact>"
            .to_owned(),
    ));
    window.wait_until("the load to finish", |harness| !harness.state().is_busy());
    window.harness.step();
    assert!(
        window.harness.query_by_label("untitled").is_some(),
        "the empty title is not shown as untitled"
    );
}
