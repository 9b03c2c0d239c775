//! Command-line arguments. These definitions are the single source of `--help`.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::coordinator::Layout;

/// Gets every artifact out of Claude.ai conversations and onto disk: named, final, checked.
///
/// Without a subcommand it opens the window (with FILE loaded, if given). Use --headless or
/// HEADLESS=1 for the command line, which is also chosen when no display is available.
#[derive(Debug, Parser)]
#[command(name = "artifactor", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Use the command line even when a display is available.
    #[arg(long, global = true)]
    pub headless: bool,

    /// An export to open in the window.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write every artifact of the inputs to a folder, with a manifest of checksums.
    Extract(ExtractArgs),

    /// Print a shell completion script, generated from these argument definitions.
    Completions {
        /// The shell to generate the script for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Print a manual page in roff format, generated from these argument definitions: the
    /// page of artifactor, or of the command named, as `artifactor man config show`.
    Man {
        /// The command whose page is printed, with its parent commands.
        #[arg(value_name = "COMMAND")]
        command: Vec<String>,

        /// Write every page, one file per command (artifactor.1, artifactor-extract.1, ...),
        /// into DIR instead of printing one.
        #[arg(long, value_name = "DIR", conflicts_with = "command")]
        dir: Option<PathBuf>,
    },

    /// Show where the settings file is, or what it sets.
    #[command(subcommand)]
    Config(ConfigCommand),

    /// Print the version, the startup decision and its reason, the graphics adapters the
    /// window can render with, the settings file and whether it reads, the log folder, and
    /// the free space of the output folder.
    Doctor {
        /// The output folder whose free space is checked. Defaults to the one extract would
        /// use: the output folder in the settings file, else ./artifacts.
        #[arg(short, long, value_name = "DIR")]
        out: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the path of the settings file, which the window also uses.
    Path,
    /// Print the settings in effect, as TOML.
    Show,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Inputs to read, recognised by content: the export's .zip, the folder it was unpacked
    /// into, a 2026 export folder or its manifest-*.json, a conversations-NNN.zip, a
    /// conversations.json, or a conversation's or share snapshot's JSON. Also a share link
    /// (https://claude.ai/share/ID), a published artifact link, the URL of such a file, and a
    /// single - for standard input. Text on standard input that is not JSON is searched for
    /// artifacts.
    #[arg(value_name = "INPUT", required_unless_present = "clipboard")]
    pub inputs: Vec<OsString>,

    /// Also read the system clipboard's text, like standard input.
    #[arg(long)]
    pub clipboard: bool,

    /// Folder to write into; created when missing. Defaults to the output folder in the
    /// settings file, else ./artifacts.
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Also write every earlier version beside the final one, as NAME.vN.EXT. Also on when
    /// the settings file sets `all_versions`.
    #[arg(long)]
    pub all_versions: bool,

    /// The arrangement of files in DIR. Defaults to the layout in the settings file, else
    /// one folder per conversation.
    #[arg(long, value_enum)]
    pub layout: Option<LayoutArg>,

    /// Replace files in DIR that artifactor did not write.
    #[arg(long)]
    pub force: bool,

    /// How many URLs are fetched at the same time. Defaults to `concurrency` in the settings
    /// file, else 4.
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: Option<u16>,

    /// The maximum time one HTTP request may take, in seconds, body included.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,

    /// The largest HTTP response accepted, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..=65536))]
    pub max_download: u64,

    /// The address of claude.ai's API that share and published-artifact links are fetched
    /// from, for a proxy or a test server. Defaults to `base_url` in the settings file, else
    /// https://claude.ai.
    #[arg(long, value_name = "URL", env = "ARTIFACTOR_BASE_URL")]
    pub base_url: Option<String>,

    /// Print the summary as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,

    /// Show each workflow step's timing and the coordination overhead.
    #[arg(short, long)]
    pub verbose: bool,

    /// Print step times, coordination overhead, throughput and peak memory on stderr.
    #[arg(long)]
    pub stats: bool,

    /// Print nothing but errors.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn extract_defaults_out_folder() {
        let cli = Cli::try_parse_from(["artifactor", "extract", "a.zip"]).expect("valid");
        let Some(Command::Extract(args)) = cli.command else {
            panic!("expected extract");
        };
        assert_eq!(args.out, None);
    }

    #[test]
    fn extract_needs_input() {
        assert!(Cli::try_parse_from(["artifactor", "extract"]).is_err());
    }

    #[test]
    fn extract_clipboard_needs_no_input() {
        let cli = Cli::try_parse_from(["artifactor", "extract", "--clipboard"]).expect("valid");
        let Some(Command::Extract(args)) = cli.command else {
            panic!("expected extract");
        };
        assert!(args.clipboard);
        assert!(args.inputs.is_empty());
    }

    #[test]
    fn extract_jobs_range() {
        assert!(Cli::try_parse_from(["artifactor", "extract", "a.zip", "--jobs", "0"]).is_err());
        assert!(Cli::try_parse_from(["artifactor", "extract", "a.zip", "--jobs", "65"]).is_err());
        assert!(Cli::try_parse_from(["artifactor", "extract", "a.zip", "--jobs", "8"]).is_ok());
    }

    #[test]
    fn file_without_subcommand() {
        let cli = Cli::try_parse_from(["artifactor", "export.zip"]).expect("valid");
        assert_eq!(cli.file, Some(PathBuf::from("export.zip")));
        assert!(cli.command.is_none());
    }
}

/// The values of `--layout`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    /// One folder per conversation.
    PerConversation,
    /// Every file directly in DIR.
    Flat,
}

impl From<LayoutArg> for Layout {
    fn from(layout: LayoutArg) -> Self {
        match layout {
            LayoutArg::PerConversation => Layout::PerConversation,
            LayoutArg::Flat => Layout::Flat,
        }
    }
}
