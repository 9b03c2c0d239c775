//! In-place edits: `update` of the `artifacts` tool and `str_replace` of files mode.
//!
//! Both tools replace `old_str` by `new_str` only when `old_str` occurs exactly once in the
//! latest content, whitespace included. An edit that breaks this rule is skipped with a
//! warning, and the previous version stays the latest.

use std::fmt;

use super::store::{Store, inherit, non_empty};
use crate::artifact::{Origin, Version};

/// The reason an edit could not be applied.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum EditError {
    MissingOldStr,
    NotFound,
    FoundMany(usize),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::MissingOldStr => f.write_str("old_str is missing or empty"),
            EditError::NotFound => f.write_str("old_str was not found in the latest content"),
            EditError::FoundMany(count) => {
                write!(f, "old_str was found {count} times in the latest content")
            }
        }
    }
}

/// Replaces the only occurrence of `old_str` in `content` by `new_str`.
///
/// NOTE: occurrences are counted without overlap, as Python's `str.count` does, so `"aa"`
/// occurs once in `"aaa"`. Whether the tools count the same way is unverified.
pub(super) fn replace_once(
    content: &str,
    old_str: Option<&str>,
    new_str: &str,
) -> Result<String, EditError> {
    let old_str = non_empty(old_str).ok_or(EditError::MissingOldStr)?;
    match content.matches(old_str).count() {
        0 => Err(EditError::NotFound),
        1 => Ok(content.replacen(old_str, new_str, 1)),
        count => Err(EditError::FoundMany(count)),
    }
}

/// An edit call: the replacement and the metadata it may change.
pub(super) struct Edit<'a> {
    /// The command name used in warnings, `update` or `str_replace`.
    pub command: &'a str,
    pub old_str: Option<&'a str>,
    /// The replacement. Missing means `""`, a deletion.
    pub new_str: Option<&'a str>,
    /// New metadata. Missing or empty values keep the previous version's value.
    pub title: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub language: Option<&'a str>,
}

/// Applies an edit to the latest version of `id` as a new version made by `message_uuid`.
///
/// An id without an earlier version on the branch gets a conversation-level warning, and an
/// edit that breaks the exactly-once rule gets a warning on the artifact.
pub(super) fn apply_edit(
    store: &mut Store,
    origin: Origin,
    id: &str,
    edit: &Edit,
    message_uuid: &str,
) {
    let command = edit.command;
    let Some(previous) = store.latest(origin, id) else {
        store.warn(format!(
            "Skipped the `{command}` call for `{id}` in message {message_uuid} because no \
             earlier version of it exists on the active branch."
        ));
        return;
    };

    let new_str = edit.new_str.unwrap_or_default();
    let content = match replace_once(&previous.content, edit.old_str, new_str) {
        Ok(content) => content,
        Err(error) => {
            store.warn_artifact(
                origin,
                id,
                format!(
                    "Skipped the `{command}` call for `{id}` in message {message_uuid} \
                     because {error}."
                ),
            );
            return;
        }
    };

    let version = Version {
        content,
        title: inherit(edit.title, Some(&previous.title)),
        kind: inherit(edit.kind, Some(&previous.kind)),
        language: non_empty(edit.language)
            .or(previous.language.as_deref())
            .map(str::to_owned),
        message_uuid: message_uuid.to_owned(),
        flags: Vec::new(),
    };
    store.push_version(origin, id, version);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_occurrence_replaced() {
        let result = replace_once("let a = 1;\nlet b = 2;", Some("b = 2"), "b = 3");
        assert_eq!(result, Ok("let a = 1;\nlet b = 3;".to_owned()));
    }

    #[test]
    fn not_found_rejected() {
        let result = replace_once("abc", Some("xyz"), "");
        assert_eq!(result, Err(EditError::NotFound));
    }

    #[test]
    fn whitespace_must_match() {
        let result = replace_once("a  b", Some("a b"), "c");
        assert_eq!(result, Err(EditError::NotFound));
    }

    #[test]
    fn two_occurrences_rejected() {
        let result = replace_once("x = 1\nx = 1\n", Some("x = 1"), "x = 2");
        assert_eq!(result, Err(EditError::FoundMany(2)));
    }

    #[test]
    fn empty_old_str_rejected() {
        assert_eq!(
            replace_once("a", Some(""), "b"),
            Err(EditError::MissingOldStr)
        );
        assert_eq!(replace_once("a", None, "b"), Err(EditError::MissingOldStr));
    }

    #[test]
    fn empty_new_str_deletes() {
        let result = replace_once("keep drop keep", Some(" drop"), "");
        assert_eq!(result, Ok("keep keep".to_owned()));
    }

    #[test]
    fn overlap_counts_once() {
        assert_eq!(replace_once("aaa", Some("aa"), "b"), Ok("ba".to_owned()));
    }

    #[test]
    fn reasons_name_counts() {
        assert_eq!(
            EditError::FoundMany(3).to_string(),
            "old_str was found 3 times in the latest content"
        );
        assert_eq!(
            EditError::NotFound.to_string(),
            "old_str was not found in the latest content"
        );
    }
}
