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
        ConfigCommand::Show => match toml::to_string_pretty(&load_settings()) {
            Ok(text) => super::write_stdout(text.as_bytes()),
            Err(err) => {
                eprintln!("artifactor: cannot show the settings: {err}");
                ExitCode::from(super::EXIT_PARTIAL)
            }
        },
    }
}

/// Reads the settings file, printing a warning and using the defaults when it is invalid.
pub(super) fn load_settings() -> Settings {
    let (settings, problem) = SettingsStore::new(config_dir_from_env().as_deref()).load();
    if let Some(problem) = problem {
        eprintln!("warning: {problem}");
    }
    settings
}
