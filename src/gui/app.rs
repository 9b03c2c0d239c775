//! The window's state, and how it reacts to input, to helper threads and to the
//! coordinator's events.
//!
//! Each frame runs in the same order: drain the coordinator's events (within a time
//! budget), drain helper results, turn keyboard, drop and paste input into [`Action`]s,
//! advance the search, draw the panels (which add more actions), then apply the actions.

mod actions;
mod events;

use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use egui::Ui;

use super::activity::Activity;
use super::browser;
use super::dialogs::Dialogs;
use super::filter::Filter;
use super::helpers::Helpers;
use super::jobs::RunningJob;
use super::library::Library;
use super::preview::{self, PreviewState};
use super::save_dialog::SaveDialog;
use super::selection::Selection;
use super::settings::{self, Settings, SettingsAction, SettingsStore};
use super::table;
use super::toolbar::{self, ToolbarState};
use super::welcome;
use crate::coordinator::{Coordinator, Wake};

pub(crate) use actions::Action;

/// The window's starting state: a file to load and the settings folder.
#[derive(Debug, Clone, Default)]
pub struct Startup {
    /// An export to load at once.
    pub file: Option<PathBuf>,
    /// The folder of `settings.toml`. `None` keeps settings only until the window closes.
    pub config_dir: Option<PathBuf>,
    /// The moment the process started, so that the time to the first frame is logged.
    pub started: Option<Instant>,
}

/// The artifactor window.
pub struct ArtifactorApp {
    /// `None` after shutdown.
    coordinator: Option<Coordinator>,
    helpers: Helpers,
    dialogs: Dialogs,
    library: Library,
    filter: Filter,
    selection: Selection,
    preview: PreviewState,
    /// The job sent last, until its `JobFinished` arrives.
    job: Option<RunningJob>,
    activity: Activity,
    settings: Settings,
    settings_store: SettingsStore,
    settings_open: bool,
    save_dialog: SaveDialog,
    /// The text of the toolbar's link field.
    link_field: String,
    /// The process's start, until the first frame has been laid out and its time logged.
    started: Option<Instant>,
}

impl ArtifactorApp {
    /// Starts the coordinator, reads the settings and, with a file, starts loading it.
    pub fn new(cc: &eframe::CreationContext<'_>, startup: Startup) -> io::Result<Self> {
        let ctx = cc.egui_ctx.clone();
        let wake_ctx = ctx.clone();
        let wake: Wake = Arc::new(move || wake_ctx.request_repaint());
        let coordinator = Coordinator::start(Some(Arc::clone(&wake)))?;
        let filter = Filter::new(wake)?;
        let settings_store = SettingsStore::new(startup.config_dir.as_deref());
        let (settings, settings_problem) = settings_store.load();
        ctx.set_theme(settings.theme);

        let mut app = Self {
            coordinator: Some(coordinator),
            helpers: Helpers::new(ctx),
            dialogs: Dialogs::default(),
            library: Library::default(),
            filter,
            selection: Selection::default(),
            preview: PreviewState::default(),
            job: None,
            activity: Activity::default(),
            settings,
            settings_store,
            settings_open: false,
            save_dialog: SaveDialog::default(),
            link_field: String::new(),
            started: startup.started,
        };
        if startup.config_dir.is_none() {
            tracing::warn!("no settings folder was found, so the settings are not saved");
            app.activity
                .warning("No settings folder was found, so settings last until the window closes.");
        }
        if let Some(problem) = settings_problem {
            tracing::warn!(%problem, "the settings file was not used");
            app.activity.warning(problem);
        }
        if let Some(file) = startup.file {
            app.start_load(vec![file.into()]);
        }
        Ok(app)
    }

    /// Cancels running jobs, stops the coordinator and joins its thread, and waits for
    /// settings writes. Later calls do nothing.
    pub fn shutdown(&mut self) {
        if let Some(coordinator) = self.coordinator.take() {
            coordinator.shutdown();
        }
        self.settings_store.join_writers();
    }

    /// Returns the texts of the activity panel, oldest first.
    pub fn activity_texts(&self) -> Vec<String> {
        self.activity.texts().map(str::to_owned).collect()
    }

    /// Returns whether a job is running.
    pub fn is_busy(&self) -> bool {
        self.job.is_some()
    }

    fn settings_changed(&mut self) {
        self.helpers.ctx().set_theme(self.settings.theme);
        self.settings_store.save(&self.settings, &self.helpers);
    }

    fn panels_ui(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        egui::Panel::top("toolbar").show(ui, |ui| {
            let state = ToolbarState {
                job: self.job.as_ref(),
                has_artifacts: !self.library.entries().is_empty(),
                settings_open: &mut self.settings_open,
                link_field: &mut self.link_field,
            };
            toolbar::toolbar_ui(ui, state, actions);
        });
        egui::Panel::bottom("activity")
            .resizable(true)
            .default_size(170.0)
            .show(ui, |ui| self.activity.panel_ui(ui));

        let loading = self.job.as_ref().is_some_and(RunningJob::is_load);
        if self.library.is_empty() && !loading {
            egui::CentralPanel::default().show(ui, |ui| welcome::welcome_ui(ui, actions));
            return;
        }
        egui::Panel::left("browser")
            .resizable(true)
            .default_size(240.0)
            .show(ui, |ui| {
                browser::browser_ui(ui, &self.library, &mut self.filter)
            });
        egui::Panel::right("preview")
            .resizable(true)
            .default_size(380.0)
            .show(ui, |ui| {
                let focused = self.selection.focused();
                let layout = self.settings.layout;
                preview::preview_ui(ui, &self.library, focused, &mut self.preview, layout);
            });
        egui::CentralPanel::default().show(ui, |ui| {
            table::table_ui(
                ui,
                &self.library,
                &mut self.filter,
                &mut self.selection,
                actions,
            );
        });
    }

    fn windows_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let mut settings_changed = false;
        let mut open = self.settings_open;
        egui::Window::new("Settings")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::RIGHT_TOP, [-8.0, 36.0])
            .show(ctx, |ui| {
                let (changed, action) = settings::settings_ui(ui, &mut self.settings);
                settings_changed |= changed;
                if action == Some(SettingsAction::ChooseOutputFolder) {
                    actions.push(Action::ChooseOutputFolder);
                }
            });
        self.settings_open = open;

        let counts = self.scope_counts();
        settings_changed |=
            self.save_dialog
                .dialog_ui(ctx, &mut self.settings, counts, self.job.as_ref(), actions);
        if settings_changed {
            self.settings_changed();
        }
        welcome::drop_overlay_ui(ctx);
    }
}

impl eframe::App for ArtifactorApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.drain_events(&ctx);
        self.drain_helpers();
        let mut actions = self.input_actions(&ctx);
        if let Some(after) = self.filter.advance(&self.library) {
            ctx.request_repaint_after(after);
        }
        self.panels_ui(ui, &mut actions);
        self.windows_ui(&ctx, &mut actions);
        for action in actions {
            self.apply(action, &ctx);
        }
        if let Some(started) = self.started.take() {
            let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
            tracing::info!(elapsed_ms, "first frame laid out");
        }
    }

    fn on_exit(&mut self) {
        self.shutdown();
    }
}

impl Drop for ArtifactorApp {
    fn drop(&mut self) {
        self.shutdown();
    }
}
