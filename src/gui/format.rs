//! Text for sizes, durations, dates and artifact types, as the window shows them.

use std::time::Duration;

/// Formats a byte count in binary units, such as `1.20 MiB`.
pub(crate) fn bytes(count: u64) -> String {
    indicatif::HumanBytes(count).to_string()
}

/// Formats a duration in microseconds below a millisecond, in milliseconds below ten
/// seconds, and in seconds above.
pub(crate) fn duration(duration: Duration) -> String {
    if duration < Duration::from_millis(1) {
        format!("{} µs", duration.as_micros())
    } else if duration < Duration::from_secs(10) {
        format!("{} ms", duration.as_millis())
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

/// Returns `"1 artifact"` or `"3 artifacts"`.
pub(crate) fn count(count: usize, singular: &str, plural: &str) -> String {
    if count == 1 {
        format!("1 {singular}")
    } else {
        format!("{count} {plural}")
    }
}

/// Returns the date part (`YYYY-MM-DD`) of an RFC 3339 time, or an empty string when the
/// time is missing or does not start with a date.
pub(crate) fn date(created_at: Option<&str>) -> &str {
    let Some(created_at) = created_at else {
        return "";
    };
    match created_at.get(..10) {
        Some(date) if is_date(date) => date,
        _ => "",
    }
}

fn is_date(text: &str) -> bool {
    text.bytes().enumerate().all(|(index, byte)| match index {
        4 | 7 => byte == b'-',
        _ => byte.is_ascii_digit(),
    })
}

/// Returns the name of an artifact type (`application/vnd.ant.code` is "Code"). Types
/// artifactor does not know are shown as they are; files written with tools have no type.
pub(crate) fn kind_label(kind: &str) -> &str {
    match kind {
        "application/vnd.ant.code" => "Code",
        "text/markdown" => "Document",
        "text/html" => "HTML",
        "image/svg+xml" => "SVG",
        "application/vnd.ant.mermaid" => "Mermaid",
        "application/vnd.ant.react" => "React",
        "" => "File",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duration_switches_to_seconds() {
        assert_eq!(duration(Duration::from_micros(250)), "250 µs");
        assert_eq!(duration(Duration::from_millis(1234)), "1234 ms");
        assert_eq!(duration(Duration::from_millis(12_345)), "12.3 s");
    }

    #[test]
    fn count_picks_plural() {
        assert_eq!(count(1, "file", "files"), "1 file");
        assert_eq!(count(0, "file", "files"), "0 files");
    }

    #[test]
    fn date_takes_rfc3339_prefix() {
        assert_eq!(date(Some("2024-06-14T09:12:03.118204Z")), "2024-06-14");
        assert_eq!(date(Some("yesterday")), "");
        assert_eq!(date(Some("2024")), "");
        assert_eq!(date(None), "");
    }

    #[test]
    fn kind_label_names_known_types() {
        assert_eq!(kind_label("application/vnd.ant.react"), "React");
        assert_eq!(kind_label(""), "File");
        assert_eq!(kind_label("text/csv"), "text/csv");
    }
}
