//! Tests that drive the coordinator through its channels, as a front end does.

use std::fs;
use std::path::Path;
use std::time::Duration;

use super::*;
use crate::fetch::FetchOptions;

const WAIT: Duration = Duration::from_secs(30);

const CONVERSATION: &str = r#"[{"uuid":"c0ffee00-1111","name":"Chat","created_at":"2025-03-05T18:06:11Z",
 "chat_messages":[{"uuid":"m1","sender":"assistant","content":[{"type":"text","text":
 "<antArtifact identifier=\"hello\" type=\"application/vnd.ant.code\" language=\"python\" title=\"Hello\">\nprint('hi')\n</antArtifact>"}]}]}]"#;

/// Collects events until the job's `JobFinished`, failing the test after `WAIT`.
fn events_until_finished(coordinator: &Coordinator, job: JobId) -> (Vec<Event>, JobReport) {
    let mut events = Vec::new();
    loop {
        let event = coordinator
            .events()
            .recv_timeout(WAIT)
            .expect("the coordinator should finish the job in time");
        if let Event::JobFinished {
            job: finished,
            report,
        } = &event
            && *finished == job
        {
            let report = (**report).clone();
            return (events, report);
        }
        events.push(event);
    }
}

fn loaded(events: &[Event]) -> Vec<LoadedConversation> {
    events
        .iter()
        .filter_map(|event| match event {
            Event::Loaded { conversations, .. } => Some(conversations.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

fn write_input(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("conversations.json");
    fs::write(&path, CONVERSATION).expect("write input");
    path
}

#[test]
fn extract_writes_files_and_manifest() {
    let temp = tempfile::tempdir().expect("temp dir");
    let input = write_input(temp.path());
    let out = temp.path().join("out");
    let coordinator = Coordinator::start(None).expect("start");
    let job = coordinator.next_job_id();
    let request = ExtractRequest {
        inputs: vec![input.into()],
        out: out.clone(),
        all_versions: false,
        force: false,
        layout: Layout::PerConversation,
        fetch: FetchOptions::default(),
    };
    coordinator
        .send(Command::Extract { job, request })
        .expect("send");
    let (_, report) = events_until_finished(&coordinator, job);
    assert_eq!(report.failure, None);
    assert_eq!(report.totals.files_written, 1);
    assert!(out.join("manifest.json").is_file());
}

#[test]
fn load_sends_artifacts_without_writing() {
    let temp = tempfile::tempdir().expect("temp dir");
    let input = write_input(temp.path());
    let coordinator = Coordinator::start(None).expect("start");
    let job = coordinator.next_job_id();
    coordinator
        .send(Command::Load {
            job,
            inputs: vec![input.into()],
            fetch: FetchOptions::default(),
        })
        .expect("send");
    let (events, report) = events_until_finished(&coordinator, job);
    let conversations = loaded(&events);
    assert_eq!(report.failure, None);
    assert_eq!(conversations.len(), 1);
    assert_eq!(conversations[0].artifacts.len(), 1);
    assert_eq!(fs::read_dir(temp.path()).expect("read").count(), 1);
}

#[test]
fn load_text_rebuilds_tags() {
    let coordinator = Coordinator::start(None).expect("start");
    let job = coordinator.next_job_id();
    let text = "Intro\n<antArtifact identifier=\"a\" type=\"text/markdown\" title=\"Doc\">\n# Doc\n</antArtifact>";
    coordinator
        .send(Command::LoadText {
            job,
            name: "Pasted text".to_owned(),
            text: text.to_owned(),
        })
        .expect("send");
    let (events, _) = events_until_finished(&coordinator, job);
    let conversations = loaded(&events);
    assert_eq!(conversations.len(), 1);
    assert_eq!(
        conversations[0].artifacts[0].final_version().content,
        "# Doc"
    );
}

#[test]
fn save_writes_loaded_artifacts_flat() {
    let temp = tempfile::tempdir().expect("temp dir");
    let input = write_input(temp.path());
    let out = temp.path().join("saved");
    let coordinator = Coordinator::start(None).expect("start");
    let load = coordinator.next_job_id();
    coordinator
        .send(Command::Load {
            job: load,
            inputs: vec![input.into()],
            fetch: FetchOptions::default(),
        })
        .expect("send");
    let (events, _) = events_until_finished(&coordinator, load);
    let artifacts: Vec<_> = loaded(&events)
        .into_iter()
        .flat_map(|conversation| conversation.artifacts)
        .collect();

    let save = coordinator.next_job_id();
    let request = SaveRequest {
        artifacts,
        inputs: vec!["conversations.json".to_owned()],
        out: out.clone(),
        all_versions: false,
        force: false,
        layout: Layout::Flat,
    };
    coordinator
        .send(Command::Save { job: save, request })
        .expect("send");
    let (_, report) = events_until_finished(&coordinator, save);
    assert_eq!(report.failure, None);
    assert_eq!(report.totals.files_written, 1);
    let names = crate::output::sorted_names(&out);
    assert_eq!(names.len(), 2, "one artifact and the manifest: {names:?}");
    assert!(names.contains(&"manifest.json".to_owned()), "{names:?}");
}

#[test]
fn missing_input_is_an_input_failure() {
    let temp = tempfile::tempdir().expect("temp dir");
    let coordinator = Coordinator::start(None).expect("start");
    let job = coordinator.next_job_id();
    let request = ExtractRequest {
        inputs: vec![temp.path().join("missing.zip").into()],
        out: temp.path().join("out"),
        all_versions: false,
        force: false,
        layout: Layout::PerConversation,
        fetch: FetchOptions::default(),
    };
    coordinator
        .send(Command::Extract { job, request })
        .expect("send");
    let (_, report) = events_until_finished(&coordinator, job);
    let failure = report.failure.expect("a failure");
    assert_eq!(failure.kind, FailureKind::Input);
    assert!(
        failure.message.contains("missing.zip"),
        "{}",
        failure.message
    );
    assert!(
        !temp.path().join("out").exists(),
        "an unreadable input must leave no output folder behind"
    );
}

#[test]
fn cancel_ends_a_long_load() {
    let temp = tempfile::tempdir().expect("temp dir");
    let path = temp.path().join("large.json");
    let one: serde_json::Value =
        serde_json::from_str::<serde_json::Value>(CONVERSATION).expect("valid")[0].clone();
    let many = serde_json::Value::Array(vec![one; 200_000]);
    fs::write(&path, serde_json::to_vec(&many).expect("serialize")).expect("write");

    let coordinator = Coordinator::start(None).expect("start");
    let job = coordinator.next_job_id();
    coordinator
        .send(Command::Load {
            job,
            inputs: vec![path.into()],
            fetch: FetchOptions::default(),
        })
        .expect("send");
    // Cancel once the first batch arrived, so the job is surely running.
    loop {
        let event = coordinator.events().recv_timeout(WAIT).expect("an event");
        if matches!(event, Event::Loaded { .. }) {
            break;
        }
    }
    coordinator.send(Command::Cancel { job }).expect("send");
    let (_, report) = events_until_finished(&coordinator, job);
    assert!(report.cancelled);
    assert!(report.totals.conversations < 200_000);
}

#[test]
fn shutdown_joins_the_thread() {
    let coordinator = Coordinator::start(None).expect("start");
    coordinator.shutdown();
}

#[test]
fn wake_runs_after_events() {
    let woken = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&woken);
    let wake: Wake = Arc::new(move || {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    let coordinator = Coordinator::start(Some(wake)).expect("start");
    let job = coordinator.next_job_id();
    coordinator
        .send(Command::LoadText {
            job,
            name: "x".to_owned(),
            text: "[]".to_owned(),
        })
        .expect("send");
    events_until_finished(&coordinator, job);
    assert!(woken.load(Ordering::Relaxed) >= 2);
}

#[test]
fn unusable_output_folder_ends_a_large_job() {
    // More conversations than the pipeline queues hold: the job ends only if the skipped
    // write step releases its queue.
    let temp = tempfile::tempdir().expect("temp dir");
    let one: serde_json::Value =
        serde_json::from_str::<serde_json::Value>(CONVERSATION).expect("valid")[0].clone();
    let input = temp.path().join("many.json");
    let many = serde_json::Value::Array(vec![one; 100]);
    fs::write(&input, serde_json::to_vec(&many).expect("serialize")).expect("write");
    let not_a_folder = temp.path().join("file");
    fs::write(&not_a_folder, "x").expect("write");

    let coordinator = Coordinator::start(None).expect("start");
    let job = coordinator.next_job_id();
    let request = ExtractRequest {
        inputs: vec![input.into()],
        out: not_a_folder,
        all_versions: false,
        force: false,
        layout: Layout::PerConversation,
        fetch: FetchOptions::default(),
    };
    coordinator
        .send(Command::Extract { job, request })
        .expect("send");
    let (_, report) = events_until_finished(&coordinator, job);
    let failure = report.failure.expect("a failure");
    assert_eq!(failure.kind, FailureKind::Output);
}

#[test]
fn save_after_output_folder_deleted() {
    let temp = tempfile::tempdir().expect("temp dir");
    let input = write_input(temp.path());
    let out = temp.path().join("saved");
    let coordinator = Coordinator::start(None).expect("start");
    let load = coordinator.next_job_id();
    coordinator
        .send(Command::Load {
            job: load,
            inputs: vec![input.into()],
            fetch: FetchOptions::default(),
        })
        .expect("send");
    let (events, _) = events_until_finished(&coordinator, load);
    let artifacts: Vec<_> = loaded(&events)
        .into_iter()
        .flat_map(|conversation| conversation.artifacts)
        .collect();
    let save = |artifacts: &[Arc<crate::artifact::Artifact>]| {
        let job = coordinator.next_job_id();
        let request = SaveRequest {
            artifacts: artifacts.to_vec(),
            inputs: vec!["conversations.json".to_owned()],
            out: out.clone(),
            all_versions: false,
            force: false,
            layout: Layout::Flat,
        };
        coordinator
            .send(Command::Save { job, request })
            .expect("send");
        events_until_finished(&coordinator, job).1
    };

    let first = save(&artifacts);
    assert_eq!(first.failure, None);
    fs::remove_dir_all(&out).expect("delete the output folder");

    let second = save(&artifacts);
    assert_eq!(second.failure, None, "the save after the deletion failed");
    assert_eq!(second.totals.files_written, 1);
    assert!(out.join("manifest.json").is_file());
}

#[test]
fn parallel_verify_keeps_entry_order() {
    let temp = tempfile::tempdir().expect("temp dir");
    let mut log = crate::output::EntryLog::new(temp.path()).expect("entry log");
    // Enough entries for several chunks. Every seventh file changed after it was recorded.
    for index in 0..1_000 {
        let path = format!("file {index}.txt");
        let content = if index % 7 == 0 { "changed" } else { "written" };
        fs::write(temp.path().join(&path), content).expect("write");
        log.push(crate::output::ManifestEntry {
            artifact_id: format!("a{index}"),
            bytes: "written".len() as u64,
            ..crate::output::test_entry("c", &path, &crate::output::sha256_hex(b"written"))
        });
    }
    let expected: Vec<String> = (0..1_000)
        .step_by(7)
        .map(|index| format!("file {index}.txt"))
        .collect();

    let mut visited = Vec::new();
    let mut paths = Vec::new();
    jobs::verify_log(temp.path(), &mut log, |indices, chunk, mismatches| {
        visited.extend_from_slice(indices);
        assert_eq!(indices.len(), chunk.len());
        paths.extend(mismatches.into_iter().map(|mismatch| mismatch.path));
    })
    .expect("verify");

    assert_eq!(visited, (0..1_000).collect::<Vec<_>>());
    assert_eq!(paths, expected);
}
