//! Native file dialogs, shown without blocking the UI thread.
//!
//! rfd's async dialogs are created on the UI thread (macOS requires that) and awaited on a
//! helper thread, which sends the chosen paths back as [`HelperResult::Picked`]. On Linux
//! rfd 0.17 calls the XDG desktop portal over D-Bus and falls back to zenity, so no GTK is
//! linked. Without either the dialog returns nothing, but files can still be dropped on
//! the window, typed as a path or given on the command line.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::helpers::{HelperResult, Helpers, PickPurpose};

/// A dialog that closed with nothing chosen sooner than this was most likely never shown.
const UNSHOWN_DIALOG: Duration = Duration::from_millis(1500);

/// The file dialog that is open, if any. Only one is open at a time.
#[derive(Debug, Default)]
pub(crate) struct Dialogs {
    open: Option<(PickPurpose, Instant)>,
}

impl Dialogs {
    /// Opens the dialog for `purpose`, unless one is already open. `start` is the folder
    /// the dialog starts in, if known.
    pub(crate) fn open(&mut self, purpose: PickPurpose, start: Option<&Path>, helpers: &Helpers) {
        if self.open.is_some() {
            return;
        }
        let mut dialog = rfd::AsyncFileDialog::new();
        if let Some(start) = start {
            dialog = dialog.set_directory(start);
        }
        let spawned = match purpose {
            PickPurpose::OpenFiles => {
                let dialog = dialog
                    .set_title("Open a Claude.ai export")
                    .add_filter("Claude.ai export", &["zip", "json"])
                    .add_filter("All files", &["*"]);
                let picked = dialog.pick_files();
                spawn_wait(helpers, purpose, async move {
                    paths(picked.await.unwrap_or_default())
                })
            }
            PickPurpose::OpenFolder => {
                let picked = dialog
                    .set_title("Open an unpacked export folder")
                    .pick_folder();
                spawn_wait(helpers, purpose, async move { paths(picked.await) })
            }
            PickPurpose::OutputFolder => {
                let picked = dialog
                    .set_title("Choose the folder to save artifacts in")
                    .set_can_create_directories(true)
                    .pick_folder();
                spawn_wait(helpers, purpose, async move { paths(picked.await) })
            }
        };
        if spawned {
            self.open = Some((purpose, Instant::now()));
        }
    }

    /// Notes that the dialog for `purpose` closed, with `chosen` paths. Returns whether the
    /// dialog was probably never shown.
    ///
    /// NOTE: rfd returns nothing both when the user cancels and when no dialog could be
    /// shown (no desktop portal and no zenity), so a dialog that closed empty within
    /// [`UNSHOWN_DIALOG`] is taken as never shown. A very quick cancel looks the same.
    pub(crate) fn closed(&mut self, purpose: PickPurpose, chosen: &[PathBuf]) -> bool {
        let Some((open, opened_at)) = self.open else {
            return false;
        };
        if open != purpose {
            return false;
        }
        self.open = None;
        chosen.is_empty() && opened_at.elapsed() < UNSHOWN_DIALOG
    }
}

fn paths(handles: impl IntoIterator<Item = rfd::FileHandle>) -> Vec<PathBuf> {
    handles
        .into_iter()
        .map(|handle| handle.path().to_path_buf())
        .collect()
}

/// Awaits the dialog on a helper thread. Returns whether the thread started.
fn spawn_wait(
    helpers: &Helpers,
    purpose: PickPurpose,
    picked: impl Future<Output = Vec<PathBuf>> + Send + 'static,
) -> bool {
    helpers
        .spawn("artifactor-dialog", move || {
            let paths = pollster::block_on(picked);
            Some(HelperResult::Picked { purpose, paths })
        })
        .is_some()
}
