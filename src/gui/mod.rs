//! The desktop window: an eframe app that is a front end to the coordinator.
//!
//! The window parses, fetches and writes nothing itself: loading and saving are coordinator
//! jobs, and the UI thread only drains their events. Native file dialogs, settings writes and
//! the file manager run on short-lived helper threads. See `app` for the order of work in
//! each frame.

mod activity;
mod app;
mod browser;
mod desktop;
mod dialogs;
mod filter;
mod format;
mod helpers;
mod jobs;
mod library;
mod preview;
mod save_dialog;
mod search;
mod selection;
pub(crate) mod settings;
mod table;
mod toolbar;
mod welcome;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

pub use app::{ArtifactorApp, Startup};
pub use settings::{CONFIG_DIR_ENV, SETTINGS_FILE, Settings, Theme, config_dir_from_env};

/// The window's title, also its application id on Wayland and X11.
const TITLE: &str = "artifactor";

/// The window icon, rendered from `assets/icons/artifactor.svg`.
const WINDOW_ICON_PNG: &[u8] = include_bytes!("../../assets/icons/artifactor-64.png");

/// Opens the window, with `file` loading at once if given, and returns when it closes.
/// `started` is the moment the process started, for the time to the first frame in the log.
///
/// Returns exit status 1 when no window can be opened, such as without a display or a
/// usable graphics driver, after printing why and what to run instead.
pub fn run(file: Option<PathBuf>, started: Instant) -> ExitCode {
    let startup = Startup {
        file,
        config_dir: config_dir_from_env(),
        started: Some(started),
    };
    let mut viewport = egui::ViewportBuilder::default()
        .with_title(TITLE)
        .with_app_id(TITLE)
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([720.0, 480.0])
        .with_drag_and_drop(true);
    match eframe::icon_data::from_png_bytes(WINDOW_ICON_PNG) {
        Ok(icon) => viewport = viewport.with_icon(icon),
        Err(err) => tracing::warn!(cause = %err, "the window icon could not be decoded"),
    }
    let options = eframe::NativeOptions {
        viewport,
        ..eframe::NativeOptions::default()
    };
    let result = eframe::run_native(
        TITLE,
        options,
        Box::new(move |cc| Ok(Box::new(ArtifactorApp::new(cc, startup)?))),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!(
                "artifactor: could not open the window: {err}\n\
                 Use the command line instead: `artifactor --headless` shows its usage, and \
                 `artifactor extract EXPORT --out FOLDER` writes every artifact of EXPORT to FOLDER."
            );
            ExitCode::from(1)
        }
    }
}
