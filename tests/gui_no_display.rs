//! Starting the window where no display can be opened: a clear message and exit status 1.

#![cfg(target_os = "linux")]

use std::time::Duration;

use predicates::str::contains;

#[test]
fn unreachable_display_exits_with_advice() {
    let config = tempfile::tempdir().expect("temporary settings folder");
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("artifactor");
    // DISPLAY is set, so the startup probe picks the window, but no X server listens there.
    command
        .env("DISPLAY", ":54321")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("HEADLESS")
        .env("ARTIFACTOR_CONFIG_DIR", config.path())
        .env("ARTIFACTOR_DATA_DIR", config.path().join("data"))
        .timeout(Duration::from_secs(60))
        .write_stdin("");
    command
        .assert()
        .code(1)
        .stderr(contains("could not open the window"))
        .stderr(contains("artifactor --headless"))
        .stderr(contains("artifactor extract"));
}
