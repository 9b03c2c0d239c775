//! The questions asked when the command line starts on a terminal without a subcommand.
//!
//! The replies become an ordinary `artifactor extract` command line, which is printed so the
//! user can run it directly next time.

use std::ffi::OsString;
use std::io::{self, BufRead, Write};
use std::path::Path;
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
    let _ = writeln!(stderr, "Running: {}", printable_command(&argv));
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

/// Returns `argv` as a shell command line, each argument quoted where a shell needs it.
fn printable_command(argv: &[OsString]) -> String {
    argv.iter()
        .map(|arg| shell_quote(&arg.to_string_lossy()))
        .collect::<Vec<_>>()
        .join(" ")
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
        None => match ask_inputs(input, output)? {
            Some(inputs) => Choice::Inputs(inputs),
            None => return Ok(None),
        },
    };
    if choice == Choice::PastedText {
        writeln!(output, "First the output folder, then the text to paste.")?;
    }
    let prompt = format!("Output folder [{default_out}]: ");
    let Some(out) = question(input, output, &prompt)? else {
        return Ok(None);
    };
    let out = if out.is_empty() {
        default_out.to_owned()
    } else {
        take_path(&out)
    };
    if choice == Choice::PastedText {
        writeln!(
            output,
            "Paste the text now, then press Ctrl+D on an empty line."
        )?;
    }
    Ok(Some((choice, out)))
}

/// Asks for paths or URLs until every path among them exists. Returns `None` when `input`
/// ends first.
fn ask_inputs(
    input: &mut impl BufRead,
    output: &mut impl Write,
) -> io::Result<Option<Vec<String>>> {
    loop {
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
        let missing: Vec<&String> = inputs
            .iter()
            .filter(|input| !input.contains("://") && !Path::new(input).exists())
            .collect();
        if let Some(first) = missing.first() {
            writeln!(
                output,
                "{} does not exist. Type the path again, or press Ctrl+D to quit. When you give \
                 several paths, quote a path with spaces.",
                shell_quote(first)
            )?;
            continue;
        }
        return Ok(Some(inputs));
    }
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

/// Splits a reply into inputs. A reply that is the path of an existing file or folder as a
/// whole is one input, spaces included. Otherwise words split at spaces as in a POSIX shell:
/// quoted parts and backslash-escaped spaces stay whole, as a terminal inserts them for a
/// dropped file whose name has spaces.
fn split_inputs(answer: &str) -> Vec<String> {
    let whole = expand_home(answer);
    if !answer.is_empty() && Path::new(&whole).exists() {
        return vec![whole];
    }
    shell_words(answer)
        .iter()
        .map(|word| expand_home(word))
        .collect()
}

/// Returns one path from a reply: the reply itself when that path exists, or else the reply
/// with its quotes and backslash escapes removed.
fn take_path(answer: &str) -> String {
    let whole = expand_home(answer);
    if Path::new(&whole).exists() {
        return whole;
    }
    expand_home(&shell_words(answer).join(" "))
}

/// Splits `text` into words by the quoting rules of a POSIX shell: single quotes keep
/// everything, double quotes keep everything but `\"` and `\\`, and outside quotes a
/// backslash keeps the next character. An unclosed quote runs to the end.
fn shell_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    // A word may be empty but quoted, as `''`.
    let mut in_word = false;
    let mut quote = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some('\''), '\'') | (Some('"'), '"') => quote = None,
            (Some('\''), _) => current.push(c),
            (Some(_), '\\') => match chars.next() {
                Some(next @ ('"' | '\\')) => current.push(next),
                Some(next) => {
                    current.push('\\');
                    current.push(next);
                }
                None => current.push('\\'),
            },
            (Some(_), _) => current.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '\\') => {
                current.extend(chars.next());
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            (None, _) => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(current);
    }
    words
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

    /// Creates empty files with `names` in a new temporary folder.
    fn files(names: &[&str]) -> tempfile::TempDir {
        let temp = tempfile::tempdir().expect("temp dir");
        for name in names {
            std::fs::write(temp.path().join(name), "").expect("create file");
        }
        temp
    }

    fn path_in(temp: &tempfile::TempDir, name: &str) -> String {
        temp.path().join(name).display().to_string()
    }

    #[test]
    fn path_and_default_folder() {
        let temp = files(&["export.zip"]);
        let export = path_in(&temp, "export.zip");
        let (result, _) = answers(&format!("1\n{export}\n\n"));
        assert_eq!(
            result,
            Some((Choice::Inputs(vec![export]), "artifacts".to_owned()))
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
        let temp = files(&["my export.zip", "b c.json", "d.json"]);
        let folder = temp.path().display();
        let (result, _) = answers(&format!(
            "1\n'{folder}/my export.zip' \"{folder}/b c.json\" {folder}/d.json\n\n"
        ));
        let Some((Choice::Inputs(inputs), _)) = result else {
            panic!("expected inputs");
        };
        assert_eq!(
            inputs,
            [
                path_in(&temp, "my export.zip"),
                path_in(&temp, "b c.json"),
                path_in(&temp, "d.json")
            ]
        );
    }

    #[test]
    fn unquoted_path_with_spaces_is_whole() {
        let temp = files(&["my export.json"]);
        let export = path_in(&temp, "my export.json");
        let (result, _) = answers(&format!("1\n{export}\nout dir\n"));
        assert_eq!(
            result,
            Some((Choice::Inputs(vec![export]), "out dir".to_owned()))
        );
    }

    #[test]
    fn escaped_spaces_stay_whole() {
        let temp = files(&["my export.json", "b.json"]);
        let folder = temp.path().display();
        let (result, _) = answers(&format!(
            "1\n{folder}/my\\ export.json {folder}/b.json\nmy\\ out\n"
        ));
        let Some((Choice::Inputs(inputs), out)) = result else {
            panic!("expected inputs");
        };
        assert_eq!(
            inputs,
            [path_in(&temp, "my export.json"), path_in(&temp, "b.json")]
        );
        assert_eq!(out, "my out");
    }

    #[test]
    fn missing_path_asks_again() {
        let temp = files(&["export.zip"]);
        let export = path_in(&temp, "export.zip");
        let (result, output) = answers(&format!("1\n{export}.missing\n{export}\n\n"));
        assert_eq!(
            result,
            Some((Choice::Inputs(vec![export.clone()]), "artifacts".to_owned()))
        );
        assert!(
            output.contains(&format!("{export}.missing does not exist")),
            "{output}"
        );
    }

    #[test]
    fn shell_words_follow_posix_quoting() {
        let cases: &[(&str, &[&str])] = &[
            (r"a\ b c", &["a b", "c"]),
            (r#""a \" b" 'c \ d'"#, &[r#"a " b"#, r"c \ d"]),
            ("''  x", &["", "x"]),
            (r"'unclosed b", &["unclosed b"]),
            (r#""a\nb""#, &[r"a\nb"]),
        ];
        for (text, expected) in cases {
            assert_eq!(shell_words(text), *expected, "{text}");
        }
    }

    #[test]
    fn clipboard_and_pasted_text() {
        assert_eq!(
            answers("2\n\n").0,
            Some((Choice::Clipboard, "artifacts".to_owned()))
        );
        let (result, output) = answers("3\nnotes\n");
        assert_eq!(result, Some((Choice::PastedText, "notes".to_owned())));
        let folder_first = output.find("First the output folder").expect("folder note");
        let folder_question = output.find("Output folder [").expect("folder question");
        let paste = output.find("Paste the text now").expect("paste request");
        assert!(folder_first < folder_question, "{output}");
        assert!(folder_question < paste, "{output}");
        assert!(output.contains("Ctrl+D"), "{output}");
    }

    #[test]
    fn printed_command_quotes_arguments() {
        let argv: Vec<OsString> = [
            "artifactor",
            "extract",
            "/tmp/my export.json",
            "--out",
            "a'b",
        ]
        .into_iter()
        .map(OsString::from)
        .collect();
        assert_eq!(
            printable_command(&argv),
            r"artifactor extract '/tmp/my export.json' --out 'a'\''b'"
        );
    }

    #[test]
    fn wrong_choice_asks_again() {
        let (result, output) = answers("7\n2\n\n");
        assert_eq!(result, Some((Choice::Clipboard, "artifacts".to_owned())));
        assert!(output.contains("'7' is not one of the choices"), "{output}");
    }

    #[test]
    fn empty_path_asks_again() {
        let (result, output) = answers("1\n\nhttps://claude.ai/share/abc\n\n");
        assert!(matches!(result, Some((Choice::Inputs(_), _))));
        assert!(output.contains("Type the path"), "{output}");
    }

    #[test]
    fn end_of_input_chooses_nothing() {
        assert_eq!(answers("").0, None);
        assert_eq!(answers("1\n").0, None);
        assert_eq!(answers("1\nhttps://claude.ai/share/abc\n").0, None);
    }
}
