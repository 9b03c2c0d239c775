//! Short-lived helper threads for work the UI thread must not wait for: native file
//! dialogs, settings writes and opening a folder in the file manager.
//!
//! Each helper sends at most one [`HelperResult`] over a bounded channel and then wakes the
//! UI, which drains the channel with `try_recv` at the start of every frame.

use std::path::PathBuf;

use crossbeam_channel::{Receiver, Sender};

use super::activity::Level;

/// Results waiting for the UI thread. Helpers are few and short-lived, so this is never full
/// for long; a helper that finds it full waits.
const RESULT_CAPACITY: usize = 16;

/// The purpose of a file dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PickPurpose {
    /// Export files to load.
    OpenFiles,
    /// An unpacked export folder to load.
    OpenFolder,
    /// The output folder of saves.
    OutputFolder,
}

/// A message from a helper thread to the UI thread.
#[derive(Debug)]
pub(crate) enum HelperResult {
    /// A file dialog closed. `paths` is empty when the user cancelled it or no dialog
    /// could be shown.
    Picked {
        purpose: PickPurpose,
        paths: Vec<PathBuf>,
    },
    /// A line for the activity panel, such as a failed settings write.
    Notice {
        level: Level,
        text: String,
        hint: Option<String>,
    },
}

/// The channel between helper threads and the UI thread.
pub(crate) struct Helpers {
    sender: Sender<HelperResult>,
    receiver: Receiver<HelperResult>,
    ctx: egui::Context,
}

impl Helpers {
    pub(crate) fn new(ctx: egui::Context) -> Self {
        let (sender, receiver) = crossbeam_channel::bounded(RESULT_CAPACITY);
        Self {
            sender,
            receiver,
            ctx,
        }
    }

    /// Runs `work` on a new named thread. Its result, if any, reaches [`Self::try_recv`].
    ///
    /// Returns the thread's handle, or `None` when the thread could not start, in which case
    /// a notice saying so is queued instead.
    pub(crate) fn spawn(
        &self,
        name: &str,
        work: impl FnOnce() -> Option<HelperResult> + Send + 'static,
    ) -> Option<std::thread::JoinHandle<()>> {
        let sender = self.sender.clone();
        let ctx = self.ctx.clone();
        let spawned = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                if let Some(result) = work()
                    && sender.send(result).is_ok()
                {
                    ctx.request_repaint();
                }
            });
        match spawned {
            Ok(handle) => Some(handle),
            Err(err) => {
                tracing::error!(thread = name, cause = %err, "a helper thread could not start");
                let notice = HelperResult::Notice {
                    level: Level::Error,
                    text: format!("Could not start the {name} thread: {err}."),
                    hint: Some(
                        "The system may be out of resources; close other programs and try again."
                            .to_owned(),
                    ),
                };
                // The UI thread is the caller, so a full channel only loses this notice.
                let _ = self.sender.try_send(notice);
                self.ctx.request_repaint();
                None
            }
        }
    }

    /// Returns the context that helpers wake.
    pub(crate) fn ctx(&self) -> &egui::Context {
        &self.ctx
    }

    /// Returns the next waiting result without blocking.
    pub(crate) fn try_recv(&self) -> Option<HelperResult> {
        self.receiver.try_recv().ok()
    }
}
