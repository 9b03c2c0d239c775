//! The `artifactor` binary: the startup probe, then the window or the command line.

use std::process::ExitCode;

use artifactor::cli::{self, Cli};
use artifactor::probe::{self, Environment, Mode};
use clap::Parser;

fn main() -> ExitCode {
    let args = Cli::parse();
    init_logging();

    let decision = probe::decide(
        args.command.is_some(),
        args.headless,
        args.file.clone(),
        &Environment::from_process(),
    );
    tracing::debug!(mode = ?decision.mode, reason = decision.reason, "startup probe");
    match decision.mode {
        Mode::Command => match args.command {
            Some(command) => cli::run(command),
            None => ExitCode::from(cli::EXIT_USAGE),
        },
        Mode::HeadlessWithoutCommand => {
            use std::io::IsTerminal;

            // Questions need someone to answer them: a terminal on both ends.
            if args.file.is_none()
                && std::io::stdin().is_terminal()
                && std::io::stderr().is_terminal()
            {
                return cli::prompt::run(decision.reason);
            }
            cli::print_headless_usage(decision.reason, args.file.as_deref());
            ExitCode::from(cli::EXIT_USAGE)
        }
        Mode::Window { file } => artifactor::gui::run(file),
    }
}

/// Logs to stderr at `warn` unless `RUST_LOG` sets another level, in colour only on a terminal
/// and when `NO_COLOR` is not set.
fn init_logging() {
    use std::io::IsTerminal;

    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(colour)
        .without_time()
        .with_target(false)
        .init();
}
