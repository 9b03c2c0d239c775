//! The `artifactor` binary: the startup probe, then the window or the command line.

// Release builds on Windows use the GUI subsystem, so that starting the app by double-click
// opens no console window. The command line attaches to its shell's console instead.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use std::process::ExitCode;
use std::time::Instant;

use artifactor::cli::{self, Cli, Command};
use artifactor::probe::{self, Environment, Mode};
use clap::Parser;

fn main() -> ExitCode {
    let started = Instant::now();
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    glibc_malloc::return_large_blocks();
    #[cfg(windows)]
    windows_console::attach_to_parent();
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
        Mode::Window { file } => artifactor::gui::run(file, started),
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

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc_malloc {
    /// Makes glibc's `malloc` map every block of 1 MiB or more on its own, so that freeing it
    /// returns the memory to the system.
    ///
    /// By default glibc raises that size each time such a block is freed, up to 32 MiB, and
    /// then keeps freed hash tables and buffers in its heaps. A rerun of an export of 115,000
    /// conversations peaked at 90 MiB that way, and at 71 MiB with this setting.
    #[expect(unsafe_code, reason = "mallopt has no safe wrapper in libc")]
    pub fn return_large_blocks() {
        // SAFETY: mallopt changes a setting of the allocator and reads no memory of ours. It
        // runs first in `main`, before any other thread exists.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
        }
    }
}

#[cfg(windows)]
mod windows_console {
    use windows_sys::Win32::System::Console::{ATTACH_PARENT_PROCESS, AttachConsole};

    /// Attaches to the console of the process that started this one, if it has one, so that
    /// help, errors and summaries reach the terminal the command was typed in. Output that
    /// is redirected to a file or pipe keeps going there.
    ///
    /// NOTE: a shell does not wait for a GUI-subsystem program, so its prompt can come back
    /// before artifactor's output. Neither this nor the attach itself has run on Windows yet.
    #[expect(
        unsafe_code,
        reason = "AttachConsole has no safe wrapper in windows-sys"
    )]
    pub fn attach_to_parent() {
        // SAFETY: AttachConsole takes a process id by value and reads no memory of ours. It
        // fails when there is no parent console or one is attached already (a debug build),
        // and both cases leave the process as it was, so the result is ignored.
        unsafe {
            AttachConsole(ATTACH_PARENT_PROCESS);
        }
    }
}
