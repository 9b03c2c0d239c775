// TEMPORARY STUB replaced by the window.
pub fn run(_file: Option<std::path::PathBuf>) -> std::process::ExitCode { std::process::ExitCode::from(1) }
