//! Reading the system clipboard's text (X11, Wayland, macOS and Windows, through arboard).

use super::error::SourceError;

/// Reads the clipboard's text. Fails when there is no clipboard, as without a display, or
/// when it contains no text.
pub(super) fn read_text() -> Result<String, SourceError> {
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        let set = |name| std::env::var_os(name).is_some_and(|value| !value.is_empty());
        if !set("DISPLAY") && !set("WAYLAND_DISPLAY") {
            return Err(SourceError::Clipboard {
                reason: "neither DISPLAY nor WAYLAND_DISPLAY is set".to_owned(),
            });
        }
    }
    let mut clipboard = arboard::Clipboard::new().map_err(|err| SourceError::Clipboard {
        reason: err.to_string(),
    })?;
    let text = clipboard.get_text().map_err(|err| SourceError::Clipboard {
        reason: err.to_string(),
    })?;
    if text.trim().is_empty() {
        return Err(SourceError::Clipboard {
            reason: "it contains no text".to_owned(),
        });
    }
    Ok(text)
}
