//! The `artifactor` binary: the startup probe, then the window or the command line.

use std::process::ExitCode;

use artifactor::cli::{self, Cli, Command};
use artifactor::probe::{self, Environment, Mode};
use clap::Parser;

fn main() -> ExitCode {
    let args = Cli::parse();
    let decision = probe::decide(
        args.command.is_some(),
        args.headless,
        args.file.clone(),
        &Environment::from_process(),
    );
    // Kept until `main` returns, so that the log file gets every line.
    let _log_guard =
        artifactor::logging::init(keeps_log_file(&decision.mode, args.command.as_ref()));
    tracing::debug!(mode = ?decision.mode, reason = decision.reason, "startup probe");
    tracing::info!(version = env!("CARGO_PKG_VERSION"), mode = ?decision.mode, "artifactor started");
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

/// Returns whether this run writes the log file: the window and the commands that run jobs
/// do, while the commands that only print text (completions, the manual page, settings and
/// the doctor's report) leave the data folder alone.
fn keeps_log_file(mode: &Mode, command: Option<&Command>) -> bool {
    match mode {
        Mode::Window { .. } => true,
        Mode::HeadlessWithoutCommand => false,
        Mode::Command => matches!(command, Some(Command::Extract(_))),
    }
}
