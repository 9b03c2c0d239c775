//! `artifactor doctor`: a report on this installation, for bug reports and first-run trouble.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use crate::gui::settings::{SETTINGS_FILE, Settings, SettingsStore, config_dir_from_env};
use crate::probe::{self, Environment, Mode};

/// Prints the report on stdout. Exits with 1 when something needs the user's attention.
pub(super) fn run(out: Option<&Path>) -> ExitCode {
    let (report, healthy) = report(out);
    let status = super::write_stdout(report.as_bytes());
    if healthy {
        status
    } else {
        ExitCode::from(super::EXIT_PARTIAL)
    }
}

/// Builds the report and returns whether every check passed. `out` is the `--out` option.
fn report(out: Option<&Path>) -> (String, bool) {
    let mut text = String::new();
    let mut healthy = true;
    let _ = writeln!(text, "artifactor {}", env!("CARGO_PKG_VERSION"));

    let decision = probe::decide(false, false, None, &Environment::from_process());
    let mode = match decision.mode {
        Mode::Window { .. } => "the window",
        Mode::Command | Mode::HeadlessWithoutCommand => "the command line",
    };
    let _ = writeln!(text, "startup: {mode}, because {}", decision.reason);
    let _ = writeln!(text, "renderer: {}", describe_renderer());

    let config_dir = config_dir_from_env();
    let mut settings = Settings::default();
    match &config_dir {
        Some(dir) => {
            let _ = writeln!(text, "settings: {}", dir.join(SETTINGS_FILE).display());
            let loaded = SettingsStore::new(Some(dir)).read();
            settings = loaded.settings;
            if !loaded.exists {
                let _ = writeln!(text, "settings file: not created yet, so defaults apply");
            } else if loaded.problems.is_empty() {
                let _ = writeln!(text, "settings file: valid");
            }
            for problem in &loaded.problems {
                healthy = false;
                let problem = super::escape_controls(problem);
                let _ = writeln!(text, "settings file: {problem}");
            }
        }
        None => {
            healthy = false;
            let _ = writeln!(text, "settings: this platform reports no config folder");
        }
    }

    match crate::logging::log_dir_from_env() {
        Some(dir) => {
            let _ = writeln!(
                text,
                "log folder: {} ({})",
                dir.display(),
                describe_logs(&dir)
            );
        }
        None => {
            let _ = writeln!(
                text,
                "log folder: none, because this platform reports no data folder"
            );
        }
    }

    let (out, source) = super::extract::out_folder(out, &settings);
    let shown = super::escape_controls(&out.display().to_string());
    let _ = writeln!(text, "output folder: {shown} ({source})");
    match free_space(&out) {
        Ok((folder, bytes)) => {
            let _ = writeln!(
                text,
                "output folder {}: {:.1} GiB free (checked at {})",
                out.display(),
                bytes as f64 / (1024.0 * 1024.0 * 1024.0),
                folder.display()
            );
        }
        Err(err) => {
            healthy = false;
            let _ = writeln!(
                text,
                "output folder {}: cannot check free space: {err}",
                out.display()
            );
        }
    }
    (text, healthy)
}

/// Lists the graphics adapters that wgpu, the window's only renderer, finds without opening a
/// window. `WGPU_BACKEND` limits the backends, as it does for the window.
fn describe_renderer() -> String {
    use eframe::wgpu;
    use tracing::subscriber::NoSubscriber;

    // Backends that cannot start log errors while they are tried, such as an EGL driver that
    // fails to load where Vulkan works. The report's line lists what was found, so those
    // errors are kept off stderr.
    let adapters = tracing::subscriber::with_default(NoSubscriber::default(), || {
        let instance =
            wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env());
        pollster::block_on(instance.enumerate_adapters(wgpu::Backends::all()))
    });
    if adapters.is_empty() {
        return "wgpu found no graphics adapter, so the window cannot start; use the command \
                line, or install Mesa's drivers (llvmpipe renders without a GPU)"
            .to_owned();
    }
    let names: Vec<String> = adapters
        .iter()
        .map(|adapter| {
            let info = adapter.get_info();
            format!("{} ({:?}, {:?})", info.name, info.backend, info.device_type)
        })
        .collect();
    format!("wgpu, with {}", names.join("; "))
}

/// Describes the log files in `dir`, such as `3 log files, the newest artifactor.2026-01-02.log`.
fn describe_logs(dir: &Path) -> String {
    use crate::logging::{LOG_FILE_PREFIX, LOG_FILE_SUFFIX};

    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return "not created yet".to_owned();
        }
        Err(err) => return format!("cannot be read: {err}"),
    };
    let prefix = format!("{LOG_FILE_PREFIX}.");
    let suffix = format!(".{LOG_FILE_SUFFIX}");
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.starts_with(&prefix) && name.ends_with(&suffix))
        .collect();
    // The date in the names sorts in time order.
    names.sort_unstable();
    match names.last() {
        None => "no log files yet".to_owned(),
        Some(newest) if names.len() == 1 => format!("1 log file, {newest}"),
        Some(newest) => format!("{} log files, the newest {newest}", names.len()),
    }
}

/// Returns the free space of `out`, or of its nearest existing parent when it does not
/// exist yet, with the folder actually checked.
fn free_space(out: &Path) -> std::io::Result<(std::path::PathBuf, u64)> {
    let absolute = std::path::absolute(out)?;
    let existing = absolute
        .ancestors()
        .find(|folder| folder.is_dir())
        .unwrap_or(Path::new("/"))
        .to_path_buf();
    let bytes = fs4::available_space(&existing)?;
    Ok((existing, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_space_of_missing_folder_uses_parent() {
        let temp = tempfile::tempdir().expect("temp dir");
        let (checked, _) = free_space(&temp.path().join("not/yet")).expect("free space");
        assert_eq!(checked, temp.path());
    }

    #[test]
    fn describe_logs_counts_log_files() {
        let temp = tempfile::tempdir().expect("temp dir");
        for name in [
            "artifactor.2026-01-01.log",
            "artifactor.2026-01-02.log",
            "notes.txt",
        ] {
            std::fs::write(temp.path().join(name), "").expect("write");
        }
        assert_eq!(
            describe_logs(temp.path()),
            "2 log files, the newest artifactor.2026-01-02.log"
        );
    }

    #[test]
    fn describe_logs_of_missing_folder() {
        let temp = tempfile::tempdir().expect("temp dir");
        assert_eq!(describe_logs(&temp.path().join("logs")), "not created yet");
    }

    #[test]
    fn report_names_version_and_startup() {
        let temp = tempfile::tempdir().expect("temp dir");
        let (text, _) = report(Some(temp.path()));
        assert!(text.contains(env!("CARGO_PKG_VERSION")), "{text}");
        assert!(text.contains("startup: "), "{text}");
    }

    #[test]
    fn report_names_renderer() {
        let temp = tempfile::tempdir().expect("temp dir");
        let (text, _) = report(Some(temp.path()));
        let line = text
            .lines()
            .find(|line| line.starts_with("renderer: "))
            .unwrap_or_else(|| panic!("no renderer line in {text}"));
        assert!(
            line.starts_with("renderer: wgpu, with ") || line.contains("no graphics adapter"),
            "{line}"
        );
    }
}
