//! Names of the written folders and files for ordinary titles: the conversation folder
//! format, extensions from type and language, titles that already carry the extension,
//! duplicates, non-Latin scripts, and the sub-folders of files mode.

mod common;

use pretty_assertions::assert_eq;

use common::{extract_ok, fixture, folder, path_problems, sample, sample_export};

#[test]
fn folder_has_date_name_uuid() {
    let run = extract_ok(&[fixture("array.json")], &[]);

    assert_eq!(
        run.entry("hello")["path"],
        "2025-03-05 Array form (a1a1a1a1)/Hello.py",
        "path of an artifact in a dated, named conversation"
    );
}

#[test]
fn date_from_offset_timestamp() {
    let run = extract_ok(&[fixture("array.json")], &[]);

    assert_eq!(
        run.entry("notes")["path"],
        "2025-03-06 Offset timestamp (a2a2a2a2)/Notes.md",
        "created_at of 2025-03-06T09:00:00+00:00"
    );
    assert_eq!(
        run.entry("short")["path"],
        "2025-03-07 Short timestamp (a3a3a3a3)/Short.py",
        "created_at of 2025-03-07T10:00:00Z"
    );
}

#[test]
fn empty_name_becomes_untitled() {
    let run = extract_ok(&[fixture("folder-names.json")], &[]);

    assert_eq!(
        run.entry("sketch")["path"],
        "2025-02-02 Untitled (e1e1e1e1)/Sketch.svg",
        "conversation named \"\""
    );
}

#[test]
fn missing_date_drops_prefix() {
    let run = extract_ok(&[fixture("folder-names.json")], &[]);

    assert_eq!(
        run.entry("plan")["path"],
        "No date (e2e2e2e2)/Plan.md",
        "conversation without created_at"
    );
    assert_eq!(
        run.entry("draft")["path"],
        "Untitled (e3e3e3e3)/Draft.md",
        "conversation without a name or created_at"
    );
}

#[test]
fn extension_from_type_and_language() {
    let run = extract_ok(&[sample_export()], &[]);
    let cases = [
        ("csv-cleaner", sample::CSV_FOLDER, "CSV Cleaner.py"),
        ("csv-cleaner-usage", sample::CSV_FOLDER, "Usage notes.md"),
        (
            "sales-dashboard",
            sample::DASHBOARD_FOLDER,
            "Панель продаж.jsx",
        ),
        (
            "library-schema",
            sample::LIBRARY_FOLDER,
            "Library schema.sql",
        ),
        ("library-er", sample::LIBRARY_FOLDER, "ER diagram.mmd"),
        ("nightly-backup", sample::LIBRARY_FOLDER, "Backup script.sh"),
        ("inkwell-logo", sample::LOGO_FOLDER, "Logo mark.svg"),
    ];

    for (id, chat, file) in cases {
        assert_eq!(
            run.entry(id)["path"],
            format!("{chat}/{file}"),
            "path of {id}"
        );
    }
}

#[test]
fn title_extension_not_doubled() {
    let run = extract_ok(&[sample_export()], &[]);
    let cases = [
        ("bakery-landing", sample::BAKERY_FOLDER, "index.html"),
        ("word-count", sample::WORD_COUNT_FOLDER, "main.rs"),
        ("word-count-client", sample::WORD_COUNT_FOLDER, "client.ts"),
    ];

    for (id, chat, file) in cases {
        assert_eq!(
            run.entry(id)["path"],
            format!("{chat}/{file}"),
            "path of {id}, whose title ends in its extension"
        );
    }
}

#[test]
fn tag_types_get_extensions() {
    let run = extract_ok(&[fixture("tags.json")], &[]);
    let chat = "2024-05-20 Tag forms (7a970001)";
    let cases = [
        ("reordered", "Reordered.py"),
        ("trailing-newline", "Trailing newline.md"),
        ("flow", "Flow.mmd"),
        ("dot", "Dot.svg"),
        ("counter", "Counter.jsx"),
        ("raw-html", "Raw.html"),
    ];

    for (id, file) in cases {
        assert_eq!(
            run.entry(id)["path"],
            format!("{chat}/{file}"),
            "path of {id}"
        );
    }
}

#[test]
fn unknown_language_gets_txt() {
    let run = extract_ok(&[fixture("language-null.json")], &[]);
    let chat = "2025-02-03 Language null (1a000001)";

    assert_eq!(
        run.entry("plain-notes")["path"],
        format!("{chat}/Notes.txt"),
        "code with language null and plain-word content"
    );
    assert_eq!(
        run.entry("snippet")["path"],
        format!("{chat}/Snippet.txt"),
        "code tag without a language attribute"
    );
}

#[test]
fn same_title_numbered() {
    let run = extract_ok(&[fixture("same-title.json")], &[]);
    let chat = "2025-02-05 Duplicate titles (5a3e0001)";

    assert_eq!(
        run.entry("helper-a")["path"],
        format!("{chat}/Helper.py"),
        "first artifact titled Helper"
    );
    assert_eq!(
        run.entry("helper-b")["path"],
        format!("{chat}/Helper (2).py"),
        "second artifact titled Helper"
    );
    assert_eq!(
        run.content_of("helper-b"),
        "def b():\n    pass\n",
        "content of the second Helper"
    );
}

#[test]
fn same_title_ignores_case() {
    let run = extract_ok(&[fixture("same-title.json")], &[]);
    let chat = "2025-02-05 Duplicate titles (5a3e0001)";

    assert_eq!(
        run.entry("notes-a")["path"],
        format!("{chat}/Notes.md"),
        "artifact titled Notes"
    );
    assert_eq!(
        run.entry("notes-b")["path"],
        format!("{chat}/NOTES (2).md"),
        "artifact titled NOTES after one titled Notes"
    );
}

#[test]
fn same_conversation_name_two_folders() {
    let run = extract_ok(&[fixture("same-conversation-name.json")], &[]);

    assert_eq!(
        run.files(),
        vec![
            "2025-04-07 Weekly report (9a9a9a9a)/Summary.md",
            "2025-04-07 Weekly report (9b9b9b9b)/Summary.md",
        ],
        "two conversations with one name and date"
    );
    assert_eq!(
        run.read("2025-04-07 Weekly report (9b9b9b9b)/Summary.md"),
        "Week 14: second team\n",
        "content of the second conversation's artifact"
    );
}

#[test]
fn cyrillic_cjk_emoji_kept() {
    let run = extract_ok(&[fixture("unicode-titles.json")], &[]);
    let cases = [
        (
            "summary",
            folder(Some("2025-01-10"), "Отчёт о продажах", "f1f1f1f1"),
            "Сводка.md",
        ),
        (
            "tally",
            folder(Some("2025-01-11"), "売上レポート", "f2f2f2f2"),
            "集計スクリプト.py",
        ),
        (
            "launch",
            folder(Some("2025-01-12"), "🚀 Launch plan 🎉", "f3f3f3f3"),
            "Checklist ✅.md",
        ),
    ];

    for (id, chat, file) in cases {
        assert_eq!(
            run.entry(id)["path"],
            format!("{chat}/{file}"),
            "path of {id}"
        );
    }
}

#[test]
fn slash_and_colon_replaced() {
    let run = extract_ok(&[fixture("unicode-titles.json")], &[]);

    assert_eq!(
        run.entry("slash")["path"],
        "2025-01-13 Q3_Q4 - plan (f4f4f4f4)/a_b - test.py",
        "conversation \"Q3/Q4: plan\" and title \"a/b: test\": '/' gives '_' and ': ' gives ' - '"
    );
}

#[test]
fn newline_in_names_removed() {
    let run = extract_ok(&[fixture("unicode-titles.json")], &[]);
    let path = run.entry("multiline")["path"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    assert_eq!(
        path_problems(&path),
        Vec::<String>::new(),
        "problems of {path:?}"
    );
    assert!(
        path.starts_with("2025-01-14 Line") && path.contains("(f5f5f5f5)/"),
        "folder of the conversation \"Line one\\nLine two\": {path:?}"
    );
}

#[test]
fn files_mode_keeps_subfolders() {
    let run = extract_ok(&[fixture("files-mode.json")], &[]);
    let chat = "2025-10-02 Files mode (f11e0001)";

    assert_eq!(
        run.files(),
        vec![
            format!("{chat}/notes.txt"),
            format!("{chat}/site/css/style.css"),
            format!("{chat}/site/index.html"),
        ],
        "paths below /mnt/user-data/outputs/"
    );
}

#[test]
fn files_mode_sample_subfolder() {
    let run = extract_ok(&[sample_export()], &[]);

    assert!(
        run.has_file(&format!("{}/docs/CHECKLIST.md", sample::DEPLOY_FOLDER)),
        "docs/CHECKLIST.md of the deploy conversation; files: {:#?}",
        run.files()
    );
}
