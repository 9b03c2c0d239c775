//! `artifactor config`: where the settings file is and what it sets.
//!
//! The window writes the settings; the command line reads them as defaults that its flags
//! override.

use std::process::ExitCode;

use super::ConfigCommand;
use crate::gui::settings::{SETTINGS_FILE, Settings, SettingsStore, config_dir_from_env};

pub(super) fn run(command: &ConfigCommand) -> ExitCode {
    match command {
        ConfigCommand::Path => match config_dir_from_env() {
            Some(dir) => {
                super::write_stdout(format!("{}\n", dir.join(SETTINGS_FILE).display()).as_bytes())
            }
            None => {
                eprintln!(
                    "artifactor: this platform reports no config folder; set ARTIFACTOR_CONFIG_DIR"
                );
                ExitCode::from(super::EXIT_PARTIAL)
            }
        },
        ConfigCommand::Show => show(),
    }
}

/// Prints the settings in effect. Exits with 1 after printing the problems when the file
/// has any, because those settings then differ from the file.
fn show() -> ExitCode {
    let loaded = SettingsStore::new(config_dir_from_env().as_deref()).read();
    for problem in &loaded.problems {
        eprintln!("artifactor: {}", super::escape_controls(problem));
    }
    let status = match toml::to_string_pretty(&loaded.settings) {
        Ok(text) => super::write_stdout(text.as_bytes()),
        Err(err) => {
            eprintln!("artifactor: cannot show the settings: {err}");
            ExitCode::from(super::EXIT_PARTIAL)
        }
    };
    if loaded.problems.is_empty() {
        status
    } else {
        ExitCode::from(super::EXIT_PARTIAL)
    }
}

/// Reads the settings file, printing a warning for each problem. An invalid setting keeps
/// its default, and a file that is not TOML gives every default.
pub(super) fn load_settings() -> Settings {
    let loaded = SettingsStore::new(config_dir_from_env().as_deref()).read();
    for problem in &loaded.problems {
        eprintln!("warning: {}", super::escape_controls(problem));
    }
    loaded.settings
}
