//! The questions asked when the command line starts on a terminal without a subcommand.
//!
//! The replies become an ordinary `artifactor extract` command line, which is printed so the
//! user can run it directly next time.

use std::ffi::OsString;
use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use clap::Parser;

use super::{Cli, Command, EXIT_USAGE, shell_quote};

/// The output folder offered when the settings file names none.
const DEFAULT_OUT: &str = "artifacts";

/// The input that the user chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Choice {
    /// Paths or URLs, as typed.
    Inputs(Vec<String>),
    Clipboard,
    /// Text that follows on standard input, up to Ctrl+D.
    PastedText,
}

/// Asks what to extract and where, then runs the extract job. Returns status 2 when the
/// input ends before a choice was made.
pub fn run(reason: &str) -> ExitCode {
    let settings = super::config::load_settings();
    let default_out = settings.output_folder.map_or_else(
        || DEFAULT_OUT.to_owned(),
        |folder| folder.display().to_string(),
    );
    let mut stdin = io::stdin().lock();
    let mut stderr = io::stderr();
    let _ = writeln!(
        stderr,
        "artifactor: no command given, and the window was not opened because {reason}."
    );
    let answers = ask(&mut stdin, &mut stderr, &default_out);
    drop(stdin);
    let Ok(Some((choice, out))) = answers else {
        let _ = writeln!(
            stderr,
            "\nNothing chosen. Run 'artifactor --help' for every command."
        );
        return ExitCode::from(EXIT_USAGE);
    };

    let mut argv: Vec<OsString> = vec!["artifactor".into(), "extract".into()];
    match &choice {
        Choice::Inputs(inputs) => argv.extend(inputs.iter().map(OsString::from)),
        Choice::Clipboard => argv.push("--clipboard".into()),
        Choice::PastedText => argv.push("-".into()),
    }
    argv.push("--out".into());
    argv.push(out.into());
    let printable: Vec<String> = argv
        .iter()
        .map(|arg| shell_quote(&arg.to_string_lossy()))
        .collect();
    let _ = writeln!(stderr, "Running: {}", printable.join(" "));
    match Cli::try_parse_from(argv) {
        Ok(Cli {
            command: Some(command @ Command::Extract(_)),
            ..
        }) => super::run(command),
        Ok(_) => ExitCode::from(EXIT_USAGE),
        Err(err) => {
            let _ = err.print();
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Asks for the input and the output folder. Returns `None` when `input` ends first.
pub(crate) fn ask(
    input: &mut impl BufRead,
    output: &mut impl Write,
    default_out: &str,
) -> io::Result<Option<(Choice, String)>> {
    writeln!(
        output,
        "What should be extracted?\n  \
           1. a file, folder or URL (an export's .zip, a share link, ...)\n  \
           2. the text on the clipboard\n  \
           3. text pasted here"
    )?;
    let choice = loop {
        let Some(answer) = question(input, output, "Choose 1, 2 or 3 [1]: ")? else {
            return Ok(None);
        };
        match answer.as_str() {
            "" | "1" => break None,
            "2" => break Some(Choice::Clipboard),
            "3" => break Some(Choice::PastedText),
            other => writeln!(
                output,
                "'{other}' is not one of the choices; type 1, 2 or 3."
            )?,
        }
    };
    let choice = match choice {
        Some(choice) => choice,
        None => loop {
            let Some(answer) = question(
                input,
                output,
                "Path or URL (several may be separated by spaces): ",
            )?
            else {
                return Ok(None);
            };
            let inputs = split_inputs(&answer);
            if inputs.is_empty() {
                writeln!(
                    output,
                    "Type the path of an export or a share link, or press Ctrl+D to quit."
                )?;
                continue;
            }
            break Choice::Inputs(inputs);
        },
    };
    let prompt = format!("Output folder [{default_out}]: ");
    let Some(out) = question(input, output, &prompt)? else {
        return Ok(None);
    };
    let out = if out.is_empty() {
        default_out.to_owned()
    } else {
        expand_home(&unquote(&out))
    };
    if choice == Choice::PastedText {
        writeln!(
            output,
            "Paste the text, then press Ctrl+D on an empty line."
        )?;
    }
    Ok(Some((choice, out)))
}

/// Prints `prompt` and reads one trimmed line. Returns `None` at the end of the input.
fn question(
    input: &mut impl BufRead,
    output: &mut impl Write,
    prompt: &str,
) -> io::Result<Option<String>> {
    write!(output, "{prompt}")?;
    output.flush()?;
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    Ok(Some(line.trim().to_owned()))
}

/// Splits a reply into inputs. Quoted parts stay whole, as a terminal quotes a dropped file
/// whose name has spaces.
fn split_inputs(answer: &str) -> Vec<String> {
    let mut inputs = Vec::new();
    let mut current = String::new();
    let mut quote = None;
    for c in answer.chars() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(open), _) if c == open => quote = None,
            (None, c) if c.is_whitespace() => {
                if !current.is_empty() {
                    inputs.push(expand_home(&std::mem::take(&mut current)));
                }
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        inputs.push(expand_home(&current));
    }
    inputs
}

fn unquote(text: &str) -> String {
    split_inputs(text).join(" ")
}

/// Replaces a leading `~/` with the home folder, as a shell would.
fn expand_home(path: &str) -> String {
    match (path.strip_prefix("~/"), directories::BaseDirs::new()) {
        (Some(rest), Some(dirs)) => dirs.home_dir().join(rest).display().to_string(),
        _ => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;

    fn answers(text: &str) -> (Option<(Choice, String)>, String) {
        let mut output = Vec::new();
        let result = ask(&mut Cursor::new(text), &mut output, "artifacts").expect("in memory");
        (result, String::from_utf8(output).expect("UTF-8"))
    }

    #[test]
    fn path_and_default_folder() {
        let (result, _) = answers("1\nexport.zip\n\n");
        assert_eq!(
            result,
            Some((
                Choice::Inputs(vec!["export.zip".to_owned()]),
                "artifacts".to_owned()
            ))
        );
    }

    #[test]
    fn empty_choice_means_path() {
        let (result, _) = answers("\nhttps://claude.ai/share/abc\nout\n");
        assert_eq!(
            result,
            Some((
                Choice::Inputs(vec!["https://claude.ai/share/abc".to_owned()]),
                "out".to_owned()
            ))
        );
    }

    #[test]
    fn quoted_paths_stay_whole() {
        let (result, _) = answers("1\n'my export.zip' \"b c.json\" d.json\n\n");
        let Some((Choice::Inputs(inputs), _)) = result else {
            panic!("expected inputs");
        };
        assert_eq!(inputs, ["my export.zip", "b c.json", "d.json"]);
    }

    #[test]
    fn clipboard_and_pasted_text() {
        assert_eq!(
            answers("2\n\n").0,
            Some((Choice::Clipboard, "artifacts".to_owned()))
        );
        let (result, output) = answers("3\nnotes\n");
        assert_eq!(result, Some((Choice::PastedText, "notes".to_owned())));
        assert!(output.contains("Ctrl+D"), "{output}");
    }

    #[test]
    fn wrong_choice_asks_again() {
        let (result, output) = answers("7\n2\n\n");
        assert_eq!(result, Some((Choice::Clipboard, "artifacts".to_owned())));
        assert!(output.contains("'7' is not one of the choices"), "{output}");
    }

    #[test]
    fn empty_path_asks_again() {
        let (result, output) = answers("1\n\nexport.zip\n\n");
        assert!(matches!(result, Some((Choice::Inputs(_), _))));
        assert!(output.contains("Type the path"), "{output}");
    }

    #[test]
    fn end_of_input_chooses_nothing() {
        assert_eq!(answers("").0, None);
        assert_eq!(answers("1\n").0, None);
        assert_eq!(answers("1\nexport.zip\n").0, None);
    }
}
