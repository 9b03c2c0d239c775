//! Selection of the active branch among all branches stored in a conversation.
//!
//! `chat_messages` contains every branch (regenerated responses, edited prompts) as a tree linked by
//! `parent_message_uuid`. The active branch is the path from the root to one leaf.

use std::collections::{HashMap, HashSet};

use super::timestamp::parse_rfc3339;
use crate::model::{Conversation, Message, ROOT_PARENT_UUID};

/// Returns the messages of the active branch, root first.
///
/// Messages are sorted by `index` first when any carries one. The leaf is then
/// `current_leaf_message_uuid` when it names a message, else the newest leaf when messages
/// have parents. Without parents the whole array, in order, is the conversation.
pub(super) fn active_branch(conversation: &Conversation) -> Vec<&Message> {
    let messages = sorted_by_index(&conversation.chat_messages);
    let positions = positions_by_uuid(&messages);

    let current_leaf = conversation
        .current_leaf_message_uuid
        .as_deref()
        .and_then(|uuid| positions.get(uuid).copied());
    if let Some(leaf) = current_leaf {
        return walk_to_root(&messages, &positions, leaf);
    }

    if !messages
        .iter()
        .any(|message| parent_uuid(message).is_some())
    {
        return messages;
    }
    match newest_leaf(&messages) {
        Some(leaf) => walk_to_root(&messages, &positions, leaf),
        None => messages,
    }
}

/// Sorts messages by `index` when any message carries one. Messages without an index go last,
/// and the sort is stable, so equal indexes keep their array order.
fn sorted_by_index(messages: &[Message]) -> Vec<&Message> {
    let mut sorted: Vec<&Message> = messages.iter().collect();
    if sorted.iter().any(|message| message.index.is_some()) {
        sorted.sort_by_key(|message| (message.index.is_none(), message.index));
    }
    sorted
}

/// Maps each uuid to its position. A uuid that occurs twice maps to its later position.
fn positions_by_uuid<'a>(messages: &[&'a Message]) -> HashMap<&'a str, usize> {
    messages
        .iter()
        .enumerate()
        .filter(|(_, message)| !message.uuid.is_empty())
        .map(|(position, message)| (message.uuid.as_str(), position))
        .collect()
}

/// Returns the parent uuid, or `None` for a root (no parent, empty, or the root sentinel).
fn parent_uuid(message: &Message) -> Option<&str> {
    message
        .parent_message_uuid
        .as_deref()
        .filter(|uuid| !uuid.is_empty() && *uuid != ROOT_PARENT_UUID)
}

/// Returns the position of the most recently created leaf, a message that no other message
/// names as its parent.
///
/// Ties, and messages whose `created_at` is missing or invalid, go to the later position in
/// the array. When every message is some message's parent (a cycle), the newest message of
/// all is taken. Returns `None` only for an empty slice.
fn newest_leaf(messages: &[&Message]) -> Option<usize> {
    let parents: HashSet<&str> = messages.iter().filter_map(|m| parent_uuid(m)).collect();
    let leaves: Vec<usize> = (0..messages.len())
        .filter(|&position| !parents.contains(messages[position].uuid.as_str()))
        .collect();
    let candidates = if leaves.is_empty() {
        (0..messages.len()).collect()
    } else {
        leaves
    };

    candidates.into_iter().max_by_key(|&position| {
        let created_at = messages[position].created_at.as_deref();
        (created_at.and_then(parse_rfc3339), position)
    })
}

/// Walks from `leaf` up through the parents and returns the path, root first.
///
/// The walk stops at a root, at a parent that is not in the conversation, and at a message
/// already visited, so a cycle ends it instead of looping.
fn walk_to_root<'a>(
    messages: &[&'a Message],
    positions: &HashMap<&str, usize>,
    leaf: usize,
) -> Vec<&'a Message> {
    let mut visited = HashSet::new();
    let mut path = Vec::new();
    let mut next = Some(leaf);

    while let Some(position) = next {
        if !visited.insert(position) {
            break;
        }
        let Some(message) = messages.get(position) else {
            break;
        };
        path.push(*message);
        next = parent_uuid(message).and_then(|uuid| positions.get(uuid).copied());
    }

    path.reverse();
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rebuild::test_support::conversation;

    fn branch_uuids(json: &str) -> Vec<String> {
        let conversation = conversation(json);
        active_branch(&conversation)
            .iter()
            .map(|message| message.uuid.clone())
            .collect()
    }

    const TREE: &str = r#"{"chat_messages": [
        {"uuid": "a", "parent_message_uuid": "00000000-0000-4000-8000-000000000000",
         "created_at": "2025-01-01T10:00:00Z"},
        {"uuid": "b1", "parent_message_uuid": "a", "created_at": "2025-01-01T10:01:00Z"},
        {"uuid": "b2", "parent_message_uuid": "a", "created_at": "2025-01-01T10:05:00+00:00"},
        {"uuid": "c1", "parent_message_uuid": "b1", "created_at": "2025-01-01T10:02:00.5Z"}
    ]}"#;

    #[test]
    fn newest_leaf_chosen() {
        assert_eq!(branch_uuids(TREE), ["a", "b2"]);
    }

    #[test]
    fn current_leaf_chosen() {
        let json = TREE.replacen('{', r#"{"current_leaf_message_uuid": "c1","#, 1);
        assert_eq!(branch_uuids(&json), ["a", "b1", "c1"]);
    }

    #[test]
    fn unknown_current_leaf_ignored() {
        let json = TREE.replacen('{', r#"{"current_leaf_message_uuid": "zz","#, 1);
        assert_eq!(branch_uuids(&json), ["a", "b2"]);
    }

    #[test]
    fn offsets_compared_as_instants() {
        // 10:30+02:00 is 08:30Z, older than 10:01Z.
        let json = r#"{"chat_messages": [
            {"uuid": "a"},
            {"uuid": "b1", "parent_message_uuid": "a", "created_at": "2025-01-01T10:01:00Z"},
            {"uuid": "b2", "parent_message_uuid": "a", "created_at": "2025-01-01T10:30:00+02:00"}
        ]}"#;
        assert_eq!(branch_uuids(json), ["a", "b1"]);
    }

    #[test]
    fn tie_goes_to_later_position() {
        let json = r#"{"chat_messages": [
            {"uuid": "a"},
            {"uuid": "b1", "parent_message_uuid": "a", "created_at": "2025-01-01T10:01:00Z"},
            {"uuid": "b2", "parent_message_uuid": "a", "created_at": "2025-01-01T10:01:00.000Z"}
        ]}"#;
        assert_eq!(branch_uuids(json), ["a", "b2"]);
    }

    #[test]
    fn no_parents_keeps_array_order() {
        let json = r#"{"chat_messages": [
            {"uuid": "x", "created_at": "2025-01-02T00:00:00Z"},
            {"uuid": "y", "created_at": "2025-01-01T00:00:00Z"},
            {"uuid": "z"}
        ]}"#;
        assert_eq!(branch_uuids(json), ["x", "y", "z"]);
    }

    #[test]
    fn index_sorts_before_walk() {
        let json = r#"{"chat_messages": [
            {"uuid": "z", "index": 2},
            {"uuid": "x", "index": 0},
            {"uuid": "y", "index": 1}
        ]}"#;
        assert_eq!(branch_uuids(json), ["x", "y", "z"]);
    }

    #[test]
    fn index_breaks_timestamp_tie() {
        // Both leaves share a timestamp, so the one with the higher index wins.
        let json = r#"{"chat_messages": [
            {"uuid": "b2", "index": 2, "parent_message_uuid": "a", "created_at": "2025-01-01"},
            {"uuid": "b1", "index": 1, "parent_message_uuid": "a", "created_at": "2025-01-01"},
            {"uuid": "a", "index": 0}
        ]}"#;
        assert_eq!(branch_uuids(json), ["a", "b2"]);
    }

    #[test]
    fn cycle_stops_walk() {
        let json = r#"{"chat_messages": [
            {"uuid": "a", "parent_message_uuid": "b", "created_at": "2025-01-01T00:00:00Z"},
            {"uuid": "b", "parent_message_uuid": "a", "created_at": "2025-01-02T00:00:00Z"}
        ]}"#;
        assert_eq!(branch_uuids(json), ["a", "b"]);
    }

    #[test]
    fn self_parent_stops_walk() {
        let json = r#"{"current_leaf_message_uuid": "a",
            "chat_messages": [{"uuid": "a", "parent_message_uuid": "a"}]}"#;
        assert_eq!(branch_uuids(json), ["a"]);
    }

    #[test]
    fn missing_parent_stops_walk() {
        let json = r#"{"chat_messages": [
            {"uuid": "b", "parent_message_uuid": "gone"},
            {"uuid": "c", "parent_message_uuid": "b"}
        ]}"#;
        assert_eq!(branch_uuids(json), ["b", "c"]);
    }

    #[test]
    fn invalid_timestamp_ranks_lowest() {
        let json = r#"{"chat_messages": [
            {"uuid": "a"},
            {"uuid": "b1", "parent_message_uuid": "a", "created_at": "2025-01-01T00:00:00Z"},
            {"uuid": "b2", "parent_message_uuid": "a", "created_at": "not a time"}
        ]}"#;
        assert_eq!(branch_uuids(json), ["a", "b1"]);
    }

    #[test]
    fn empty_conversation_empty_branch() {
        assert!(branch_uuids("{}").is_empty());
    }
}
