//! Matching of `tool_result` blocks to their `tool_use` calls.
//!
//! A result with `is_error: true` means the tool rejected the call, so the call made no
//! version. Results carry `tool_use_id` in recent exports. Older exports leave it out, and
//! then results match calls in order: a result belongs to the earliest call with the same
//! tool name that has no result yet.

use std::collections::HashSet;

use super::store::non_empty;
use crate::model::{Block, Message};

/// The place of a `tool_use` block: its message's position on the branch and its position in
/// that message's `content`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct CallPosition {
    pub message: usize,
    pub block: usize,
}

/// A call seen so far while walking the branch.
struct Call<'a> {
    position: CallPosition,
    name: &'a str,
    id: Option<&'a str>,
    has_result: bool,
}

/// Returns the calls on the branch whose result reports an error.
///
/// Results may sit in the same message as their call or in any later one. A result whose
/// `tool_use_id` names no earlier call is ignored.
pub(super) fn rejected_calls(branch: &[&Message]) -> HashSet<CallPosition> {
    let mut calls: Vec<Call> = Vec::new();
    let mut rejected = HashSet::new();

    for (message_index, message) in branch.iter().enumerate() {
        for (block_index, block) in message.content.iter().enumerate() {
            match block.kind.as_str() {
                "tool_use" => calls.push(Call {
                    position: CallPosition {
                        message: message_index,
                        block: block_index,
                    },
                    name: &block.name,
                    id: non_empty(block.id.as_deref()),
                    has_result: false,
                }),
                "tool_result" => {
                    if let Some(call) = call_of_result(&mut calls, block) {
                        call.has_result = true;
                        if block.is_error {
                            rejected.insert(call.position);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    rejected
}

/// Returns the call that `result` belongs to: by `tool_use_id` when the result has one, else
/// the earliest call with the same tool name that has no result yet.
fn call_of_result<'c, 'a>(calls: &'c mut [Call<'a>], result: &Block) -> Option<&'c mut Call<'a>> {
    match non_empty(result.tool_use_id.as_deref()) {
        Some(id) => calls.iter_mut().find(|call| call.id == Some(id)),
        None => calls
            .iter_mut()
            .find(|call| !call.has_result && call.name == result.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rebuild::test_support::{assistant, chat, conversation, tool_result, tool_use};

    fn rejected(messages: &[String]) -> Vec<(usize, usize)> {
        let conversation = conversation(&chat(messages));
        let branch: Vec<&Message> = conversation.chat_messages.iter().collect();
        let mut positions: Vec<(usize, usize)> = rejected_calls(&branch)
            .into_iter()
            .map(|call| (call.message, call.block))
            .collect();
        positions.sort_unstable();
        positions
    }

    #[test]
    fn error_by_id_rejects_call() {
        let message = assistant(
            "m1",
            &[
                tool_use("artifacts", Some("t1"), "{}"),
                tool_use("artifacts", Some("t2"), "{}"),
                tool_result("artifacts", Some("t1"), true),
                tool_result("artifacts", Some("t2"), false),
            ],
        );
        assert_eq!(rejected(&[message]), [(0, 0)]);
    }

    #[test]
    fn error_without_id_rejects_earliest_open_call() {
        let message = assistant(
            "m1",
            &[
                tool_use("artifacts", None, "{}"),
                tool_use("artifacts", None, "{}"),
                tool_result("artifacts", None, true),
            ],
        );
        assert_eq!(rejected(&[message]), [(0, 0)]);
    }

    #[test]
    fn call_of_results_skipped_by_name() {
        let message = assistant(
            "m1",
            &[
                tool_use("artifacts", None, "{}"),
                tool_use("artifacts", None, "{}"),
                tool_result("artifacts", None, false),
                tool_result("artifacts", None, true),
            ],
        );
        assert_eq!(rejected(&[message]), [(0, 1)]);
    }

    #[test]
    fn name_must_match() {
        let message = assistant(
            "m1",
            &[
                tool_use("artifacts", None, "{}"),
                tool_use("web_search", None, "{}"),
                tool_result("artifacts", None, true),
            ],
        );
        assert_eq!(rejected(&[message]), [(0, 0)]);
    }

    #[test]
    fn result_in_later_message() {
        let call = assistant("m1", &[tool_use("create_file", Some("t1"), "{}")]);
        let result = assistant("m2", &[tool_result("create_file", Some("t1"), true)]);
        assert_eq!(rejected(&[call, result]), [(0, 0)]);
    }

    #[test]
    fn unknown_id_ignored() {
        let message = assistant(
            "m1",
            &[
                tool_use("artifacts", Some("t1"), "{}"),
                tool_result("artifacts", Some("other"), true),
            ],
        );
        assert!(rejected(&[message]).is_empty());
    }

    #[test]
    fn result_before_call_ignored() {
        let message = assistant(
            "m1",
            &[
                tool_result("artifacts", None, true),
                tool_use("artifacts", None, "{}"),
            ],
        );
        assert!(rejected(&[message]).is_empty());
    }
}
