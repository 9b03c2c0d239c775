//! The command-line front end: sends jobs to the coordinator and renders its events.

mod args;
mod config;
mod doctor;
mod extract;
pub mod prompt;

use std::process::ExitCode;

pub use args::{Cli, Command, ConfigCommand, ExtractArgs};

/// Exit status when an input or the usage is wrong.
pub const EXIT_USAGE: u8 = 2;
/// Exit status when the job ran but some files could not be written.
pub const EXIT_PARTIAL: u8 = 1;
/// Exit status after Ctrl-C, as shells report a SIGINT. SIGTERM and SIGHUP end a run with
/// it too, because the handler cannot tell the signals apart.
pub const EXIT_INTERRUPTED: u8 = 130;

/// Runs one subcommand and returns the process exit status.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Extract(args) => extract::run(&args),
        Command::Completions { shell } => print_completions(shell),
        Command::Man { command, dir } => match dir {
            Some(dir) => write_man_pages(&dir),
            None => print_man_page(&command),
        },
        Command::Doctor { out } => doctor::run(out.as_deref()),
        Command::Config(command) => config::run(&command),
    }
}

/// Writes the completion script for `shell` to stdout.
fn print_completions(shell: clap_complete::Shell) -> ExitCode {
    use clap::CommandFactory;

    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "artifactor", &mut script);
    write_stdout(&script)
}

/// Returns the command-line definition as the manual pages show it: built, so each
/// subcommand's name is `artifactor-extract` and so on, as the pages refer to each other.
fn man_command() -> clap::Command {
    use clap::CommandFactory;

    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    command
}

/// Writes the manual page of the command at `path` (empty for artifactor itself), in roff,
/// to stdout.
fn print_man_page(path: &[String]) -> ExitCode {
    let mut command = man_command();
    for name in path {
        let Some(subcommand) = command.find_subcommand(name).cloned() else {
            let parent = command.get_display_name().unwrap_or(command.get_name());
            let known: Vec<&str> = command
                .get_subcommands()
                .filter(|subcommand| !subcommand.is_hide_set())
                .map(clap::Command::get_name)
                .collect();
            eprintln!(
                "artifactor: {parent} has no command {name:?}; the pages are for: {}",
                known.join(", ")
            );
            return ExitCode::from(EXIT_USAGE);
        };
        command = subcommand;
    }
    let mut page = Vec::new();
    match man_page(command).render(&mut page) {
        Ok(()) => write_stdout(&page),
        Err(err) => {
            eprintln!("artifactor: cannot render the manual page: {err}");
            ExitCode::from(EXIT_PARTIAL)
        }
    }
}

/// Returns the manual page of `command`, which names artifactor's version as its source.
fn man_page(command: clap::Command) -> clap_mangen::Man {
    clap_mangen::Man::new(command).source(concat!("artifactor ", env!("CARGO_PKG_VERSION")))
}

/// Writes the manual page of every command into `dir`, one file each.
fn write_man_pages(dir: &std::path::Path) -> ExitCode {
    fn write_all(command: clap::Command, dir: &std::path::Path) -> std::io::Result<()> {
        for subcommand in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
            write_all(subcommand.clone(), dir)?;
        }
        man_page(command).generate_to(dir).map(drop)
    }

    match write_all(man_command(), dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!(
                "artifactor: cannot write the manual pages into {}: {err}",
                dir.display()
            );
            ExitCode::from(EXIT_PARTIAL)
        }
    }
}

/// Writes `bytes` to stdout. A closed pipe is not an error; any other failure exits with 1.
fn write_stdout(bytes: &[u8]) -> ExitCode {
    if print_stdout(bytes) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_PARTIAL)
    }
}

/// Writes `bytes` to stdout and returns whether that worked. A closed pipe, as in
/// `artifactor ... | head -1`, counts as success; any other failure, such as a full disk, is
/// reported on stderr.
fn print_stdout(bytes: &[u8]) -> bool {
    use std::io::Write;

    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => true,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => true,
        Err(err) => {
            eprintln!("artifactor: cannot write to stdout: {err}");
            false
        }
    }
}

/// Prints the short usage shown when the command line was chosen without a subcommand.
/// `file` is the file given for the window, used in the example command.
pub fn print_headless_usage(reason: &str, file: Option<&std::path::Path>) {
    let example = file.map_or_else(
        || "data-export.zip".to_owned(),
        |file| shell_quote(&file.display().to_string()),
    );
    eprintln!(
        "artifactor: no command given, and the window was not opened because {reason}.\n\
         \n\
         Run a command instead, for example:\n    \
             artifactor extract {example} --out artifacts\n\
         \n\
         --headless or HEADLESS=1 choose the command line even when a display exists.\n\
         Run 'artifactor --help' for every command and option."
    );
}

/// Escapes control characters (C0, DEL and C1, newlines included) and the bidirectional
/// overrides and isolates (U+202A to U+202E, U+2066 to U+2069) as `\u{1b}`, so text from an
/// export cannot move the cursor, retitle the terminal or reorder what is printed.
fn escape_controls(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if c.is_control() || bidi {
            escaped.extend(c.escape_unicode());
        } else {
            escaped.push(c);
        }
    }
    escaped
}

/// Escapes each line of `text` like [`escape_controls`], keeping the newlines between them.
fn escape_controls_by_line(text: &str) -> String {
    text.split('\n')
        .map(escape_controls)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Quotes `text` for a POSIX shell when it contains characters the shell would interpret.
fn shell_quote(text: &str) -> String {
    let plain = text
        .chars()
        .all(|c| c.is_alphanumeric() || "-_./,:@+=".contains(c));
    if plain && !text.is_empty() {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_controls_escapes_terminal_codes() {
        assert_eq!(
            escape_controls("\u{1b}[31mred\u{1b}]0;t\u{7}"),
            r"\u{1b}[31mred\u{1b}]0;t\u{7}"
        );
        assert_eq!(
            escape_controls("a\u{202e}b\u{2066}c"),
            r"a\u{202e}b\u{2066}c"
        );
        assert_eq!(escape_controls("a\u{9b}b\nc"), r"a\u{9b}b\u{a}c");
        assert_eq!(escape_controls("plain ü › text"), "plain ü › text");
    }

    #[test]
    fn escape_by_line_keeps_newlines() {
        assert_eq!(escape_controls_by_line("a\u{1b}\nb"), "a\\u{1b}\nb");
    }

    #[test]
    fn shell_quote_leaves_plain_paths() {
        assert_eq!(shell_quote("exports/data.zip"), "exports/data.zip");
    }

    #[test]
    fn shell_quote_wraps_spaces_and_quotes() {
        assert_eq!(shell_quote("my export's.zip"), r"'my export'\''s.zip'");
    }
}
