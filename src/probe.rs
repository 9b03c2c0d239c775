//! The startup probe: decides between the window and the command line before any window
//! code runs.

use std::ffi::OsString;
use std::path::PathBuf;

/// The environment variables the probe reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environment {
    pub headless: Option<OsString>,
    pub display: Option<OsString>,
    pub wayland_display: Option<OsString>,
}

impl Environment {
    /// Reads `HEADLESS`, `DISPLAY` and `WAYLAND_DISPLAY` from the process environment.
    pub fn from_process() -> Self {
        Self {
            headless: std::env::var_os("HEADLESS"),
            display: std::env::var_os("DISPLAY"),
            wayland_display: std::env::var_os("WAYLAND_DISPLAY"),
        }
    }
}

/// The front end the program starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Run the subcommand given on the command line.
    Command,
    /// Open the window, with a file to load if one was given.
    Window { file: Option<PathBuf> },
    /// The command line was chosen but no subcommand was given.
    HeadlessWithoutCommand,
}

/// The probe's decision and the reason for it, in words for `--verbose` and diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub mode: Mode,
    pub reason: &'static str,
}

/// Decides the mode from the parsed command line and the environment.
pub fn decide(
    has_command: bool,
    headless_flag: bool,
    file: Option<PathBuf>,
    env: &Environment,
) -> Decision {
    if has_command {
        return Decision {
            mode: Mode::Command,
            reason: "a subcommand was given",
        };
    }
    let headless_reason = if headless_flag {
        Some("--headless was given")
    } else if env.headless.as_deref().is_some_and(is_truthy) {
        Some("HEADLESS is set")
    } else if !has_display(env) {
        Some("no display was found (DISPLAY and WAYLAND_DISPLAY are not set)")
    } else {
        None
    };
    match headless_reason {
        Some(reason) => Decision {
            mode: Mode::HeadlessWithoutCommand,
            reason,
        },
        None => Decision {
            mode: Mode::Window { file },
            reason: "a display is available",
        },
    }
}

/// Returns whether a `HEADLESS` value requests the command line: `1`, `true` or `yes`.
fn is_truthy(value: &std::ffi::OsStr) -> bool {
    let value = value.to_string_lossy();
    let value = value.trim();
    ["1", "true", "yes"]
        .iter()
        .any(|truthy| value.eq_ignore_ascii_case(truthy))
}

/// Returns whether a window can open. Only X11 and Wayland systems announce their display
/// in the environment; macOS and Windows always have one.
fn has_display(env: &Environment) -> bool {
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        return true;
    }
    let set = |value: &Option<OsString>| value.as_ref().is_some_and(|value| !value.is_empty());
    set(&env.display) || set(&env.wayland_display)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(headless: Option<&str>, display: Option<&str>, wayland: Option<&str>) -> Environment {
        Environment {
            headless: headless.map(OsString::from),
            display: display.map(OsString::from),
            wayland_display: wayland.map(OsString::from),
        }
    }

    #[test]
    fn subcommand_wins() {
        let decision = decide(true, false, None, &env(None, Some(":0"), None));
        assert_eq!(decision.mode, Mode::Command);
    }

    #[test]
    fn display_opens_window_with_file() {
        let file = Some(PathBuf::from("export.zip"));
        let decision = decide(false, false, file.clone(), &env(None, Some(":0"), None));
        assert_eq!(decision.mode, Mode::Window { file });
    }

    #[test]
    fn wayland_alone_opens_window() {
        let decision = decide(false, false, None, &env(None, None, Some("wayland-0")));
        assert_eq!(decision.mode, Mode::Window { file: None });
    }

    #[test]
    fn headless_flag_chooses_command_line() {
        let decision = decide(false, true, None, &env(None, Some(":0"), None));
        assert_eq!(decision.mode, Mode::HeadlessWithoutCommand);
    }

    #[test]
    fn headless_variable_values() {
        for value in ["1", "true", "YES", " yes "] {
            let decision = decide(false, false, None, &env(Some(value), Some(":0"), None));
            assert_eq!(
                decision.mode,
                Mode::HeadlessWithoutCommand,
                "HEADLESS={value}"
            );
        }
    }

    #[test]
    fn headless_variable_false_values() {
        for value in ["0", "false", "no", ""] {
            let decision = decide(false, false, None, &env(Some(value), Some(":0"), None));
            assert_eq!(
                decision.mode,
                Mode::Window { file: None },
                "HEADLESS={value}"
            );
        }
    }

    #[cfg(not(any(target_os = "macos", target_os = "windows")))]
    #[test]
    fn no_display_chooses_command_line() {
        let decision = decide(false, false, None, &env(None, None, None));
        assert_eq!(decision.mode, Mode::HeadlessWithoutCommand);
    }

    #[cfg(not(any(target_os = "macos", target_os = "windows")))]
    #[test]
    fn empty_display_is_no_display() {
        let decision = decide(false, false, None, &env(None, Some(""), Some("")));
        assert_eq!(decision.mode, Mode::HeadlessWithoutCommand);
    }
}
