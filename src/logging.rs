//! Logging: `tracing` events go to stderr and, for the window and `extract`, also to a log
//! file in the platform's data folder that is rotated daily.
//!
//! Both outputs read their level from `RUST_LOG`. Without it, stderr shows `warn` and above,
//! so that a terminal stays quiet, and the file keeps `info` and above, so that a bug report
//! can show what the jobs did.

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{Layer as _, fmt};

/// The environment variable that overrides the data folder, which contains the `logs` folder.
pub const DATA_DIR_ENV: &str = "ARTIFACTOR_DATA_DIR";
/// The folder inside the data folder that contains the log files.
pub const LOG_DIR_NAME: &str = "logs";
/// The start of every log file's name, which continues with `.YYYY-MM-DD.log`.
pub const LOG_FILE_PREFIX: &str = "artifactor";
/// The end of every log file's name.
pub const LOG_FILE_SUFFIX: &str = "log";
/// The maximum number of log files kept, today's included. At startup and at each daily
/// rotation, tracing-appender deletes the oldest files beyond it.
pub const KEPT_LOG_FILES: usize = 14;

/// The maximum number of lines queued for the log file's writer thread. The queue takes 32
/// bytes per line up front, so tracing-appender's default of 128,000 lines would take 4 MiB,
/// and a job logs a few lines.
const QUEUED_LOG_LINES: usize = 4096;

/// The level that stderr shows when `RUST_LOG` is not set or not valid.
const STDERR_DEFAULT_LEVEL: &str = "warn";
/// The level that the log file keeps when `RUST_LOG` is not set or not valid.
const FILE_DEFAULT_LEVEL: &str = "info";

/// Returns the data folder: `ARTIFACTOR_DATA_DIR` when set and not empty, else the
/// platform's local data folder for artifactor (on Linux `~/.local/share/artifactor`), or
/// `None` when the platform has none.
pub fn data_dir_from_env() -> Option<PathBuf> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => directories::ProjectDirs::from("", "", "artifactor")
            .map(|dirs| dirs.data_local_dir().to_path_buf()),
    }
}

/// Returns the folder of the log files, `logs` inside the data folder.
pub fn log_dir_from_env() -> Option<PathBuf> {
    data_dir_from_env().map(|dir| dir.join(LOG_DIR_NAME))
}

/// The log file's writer thread. Dropping it writes the lines still queued, so `main` keeps
/// it until the program ends.
#[must_use = "dropping the guard at once stops the log file's writer thread"]
pub struct LogGuard {
    _writer: Option<WorkerGuard>,
}

/// Installs the global subscriber: stderr always, and the log file when `log_file` is true.
///
/// When the log folder cannot be created or the file cannot be opened, the program goes on
/// with stderr alone and logs a warning there.
pub fn init(log_file: bool) -> LogGuard {
    let mut layers = vec![stderr_layer()];
    let mut writer = None;
    let mut problem = None;
    match log_file.then(log_dir_from_env) {
        None => {}
        Some(None) => problem = Some("this platform reports no data folder".to_owned()),
        Some(Some(dir)) => match file_layer(&dir) {
            Ok((layer, guard)) => {
                layers.push(layer);
                writer = Some(guard);
            }
            Err(err) => problem = Some(format!("{err}: {}", dir.display())),
        },
    }
    tracing_subscriber::registry().with(layers).init();
    if let Some(problem) = problem {
        tracing::warn!(
            "the log file could not be opened, so messages go to stderr only: {problem}; set \
             {DATA_DIR_ENV} to a writable folder to keep a log file"
        );
    }
    LogGuard { _writer: writer }
}

type BoxedLayer = Box<dyn tracing_subscriber::Layer<tracing_subscriber::Registry> + Send + Sync>;

/// Returns the stderr output: no timestamps, and colour only on a terminal without
/// `NO_COLOR`.
fn stderr_layer() -> BoxedLayer {
    use std::io::IsTerminal as _;

    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(colour)
        .without_time()
        .with_target(false)
        .with_filter(level_filter(STDERR_DEFAULT_LEVEL))
        .boxed()
}

/// Opens today's log file in `dir`, creating the folder, and returns the file output: UTC
/// timestamps, thread names and no colour.
///
/// The lines go through a writer thread, so that no thread waits for the disk. The window's
/// thread must not block on I/O.
fn file_layer(dir: &Path) -> Result<(BoxedLayer, WorkerGuard), String> {
    // tracing-appender would create a missing folder too, but only after its cleanup of old
    // files has printed an error about the missing folder on stderr.
    std::fs::create_dir_all(dir)
        .map_err(|err| format!("failed to create the log folder: {err}"))?;
    // NOTE: tracing-appender 0.2 names and rotates the files by the UTC date, not the local
    // one.
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(LOG_FILE_PREFIX)
        .filename_suffix(LOG_FILE_SUFFIX)
        .max_log_files(KEPT_LOG_FILES)
        .build(dir)
        .map_err(|err| err.to_string())?;
    // NOTE: the writer thread drops lines while QUEUED_LOG_LINES are queued, rather than
    // slowing the program down.
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(QUEUED_LOG_LINES)
        .finish(appender);
    let layer = fmt::layer()
        .with_writer(writer)
        .with_ansi(false)
        .with_thread_names(true)
        .with_filter(level_filter(FILE_DEFAULT_LEVEL))
        .boxed();
    Ok((layer, guard))
}

/// Returns the filter from `RUST_LOG`, or `default` when it is not set or not valid.
fn level_filter(default: &str) -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default))
}
