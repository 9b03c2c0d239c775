//! Closing the window while a load runs: the job is cancelled, and the coordinator thread
//! and its runtime's workers are joined before `on_exit` returns.
//!
//! This file contains one test, because it counts the threads of the whole test process, and
//! it runs on Linux only, where `/proc/self/task` lists them.
#![cfg(target_os = "linux")]

#[path = "gui/support.rs"]
#[expect(dead_code, reason = "this test uses only part of the shared helpers")]
mod support;

use std::time::{Duration, Instant};

use support::{Window, write_large_export};

/// Returns the names of this process's threads whose name starts with `prefix`. Linux
/// truncates thread names to 15 bytes.
fn threads_named(prefix: &str) -> Vec<String> {
    let tasks = std::fs::read_dir("/proc/self/task").expect("list this process's threads");
    tasks
        .filter_map(|task| {
            let comm = task.ok()?.path().join("comm");
            std::fs::read_to_string(comm).ok()
        })
        .map(|name| name.trim().to_owned())
        .filter(|name| name.starts_with(prefix))
        .collect()
}

#[test]
fn closing_during_load_joins_coordinator() {
    let input = tempfile::tempdir().expect("temporary input folder");
    let export = write_large_export(input.path(), 60_000);
    let mut window = Window::open(Some(export), None);
    window.wait_for_label("Cancel");
    assert!(!threads_named("artifactor-coor").is_empty());
    assert!(!threads_named("artifactor-work").is_empty());

    let started = Instant::now();
    eframe::App::on_exit(window.harness.state_mut());
    let took = started.elapsed();

    assert!(took < Duration::from_secs(10), "closing took {took:?}");
    assert_eq!(threads_named("artifactor-coor"), Vec::<String>::new());
    assert_eq!(threads_named("artifactor-work"), Vec::<String>::new());
}
