//! Opening a folder in the platform's file manager.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::activity::Level;
use super::helpers::{HelperResult, Helpers};

/// The program that opens a folder in the file manager.
const OPENER: &str = if cfg!(target_os = "macos") {
    "open"
} else if cfg!(target_os = "windows") {
    "explorer"
} else {
    "xdg-open"
};

/// Starts the file manager on `folder` from a helper thread, which waits for the opener so
/// that it does not linger as a zombie. A failure arrives as a notice.
pub(crate) fn open_folder(folder: &Path, helpers: &Helpers) {
    let folder = folder.to_path_buf();
    helpers.spawn("artifactor-open", move || run_opener(&folder));
}

fn run_opener(folder: &PathBuf) -> Option<HelperResult> {
    let status = Command::new(OPENER)
        .arg(folder)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let problem = match status {
        // NOTE: explorer.exe is known to exit with status 1 even after opening the folder, so
        // its status is ignored. This was not checked on Windows here.
        Ok(status) if status.success() || cfg!(target_os = "windows") => return None,
        Ok(status) => format!("{OPENER} exited with {status}"),
        Err(err) => format!("{OPENER} could not start: {err}"),
    };
    tracing::error!(folder = %folder.display(), %problem, "the folder was not opened in the file manager");
    Some(HelperResult::Notice {
        level: Level::Error,
        text: format!(
            "Could not open the folder ({problem}): {}",
            folder.display()
        ),
        hint: Some(format!(
            "Open it in your file manager yourself; on Linux, {OPENER} needs a desktop environment's file manager."
        )),
    })
}
