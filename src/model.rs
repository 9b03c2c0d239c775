//! Serde types for the conversation JSON found in exports, share snapshots and the web app's API.
//!
//! Every field is optional and read leniently. A value of an unexpected type becomes the
//! default instead of failing the whole conversation. Unknown fields are skipped without being
//! stored, and unknown block types are kept with only their `type` so callers can ignore them.

use serde::Deserialize;
use serde_json::Value;

use crate::lenient;

/// One conversation: an element of `conversations.json`, a conversation object from the web
/// app, or a share snapshot.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Conversation {
    #[serde(deserialize_with = "lenient::string")]
    pub uuid: String,

    /// The conversation's name. Exports may leave it empty.
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,

    /// The name of a share snapshot, which has no `name` field.
    #[serde(deserialize_with = "lenient::string")]
    pub snapshot_name: String,

    #[serde(deserialize_with = "lenient::opt_string")]
    pub created_at: Option<String>,

    #[serde(deserialize_with = "lenient::opt_string")]
    pub updated_at: Option<String>,

    /// The branch the user last saw. Only the web app's JSON has it, exports do not.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub current_leaf_message_uuid: Option<String>,

    /// Every message of every branch, in the order the source lists them.
    #[serde(deserialize_with = "lenient::vec")]
    pub chat_messages: Vec<Message>,
}

impl Conversation {
    /// Returns the name to show: `name`, else `snapshot_name`, else an empty string.
    pub fn display_name(&self) -> &str {
        if self.name.trim().is_empty() {
            &self.snapshot_name
        } else {
            &self.name
        }
    }
}

/// One message of a conversation.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Message {
    #[serde(deserialize_with = "lenient::string")]
    pub uuid: String,

    /// `"human"` or `"assistant"`.
    #[serde(deserialize_with = "lenient::string")]
    pub sender: String,

    /// A flattened rendering. Exports put placeholders here for non-text blocks, so it is
    /// only used when `content` is empty.
    #[serde(deserialize_with = "lenient::string")]
    pub text: String,

    #[serde(deserialize_with = "lenient::vec")]
    pub content: Vec<Block>,

    #[serde(deserialize_with = "lenient::opt_string")]
    pub created_at: Option<String>,

    /// Absent in older exports. The root message's parent is [`ROOT_PARENT_UUID`].
    #[serde(deserialize_with = "lenient::opt_string")]
    pub parent_message_uuid: Option<String>,

    /// Position in the conversation, set in share snapshots and the web app's JSON.
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub index: Option<i64>,
}

/// The parent uuid that the root message of a conversation points to.
pub const ROOT_PARENT_UUID: &str = "00000000-0000-4000-8000-000000000000";

/// One content block of a message. Fields that a block type does not use stay empty.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Block {
    /// The block type: `text`, `tool_use`, `tool_result`, `thinking` or one not seen before.
    #[serde(rename = "type", deserialize_with = "lenient::string")]
    pub kind: String,

    /// The text of a `text` block.
    #[serde(deserialize_with = "lenient::string")]
    pub text: String,

    /// The tool name of a `tool_use` or `tool_result` block.
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,

    /// The id of a `tool_use` block (`toolu_...`). Missing in older exports.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,

    /// The arguments of a `tool_use` block.
    #[serde(deserialize_with = "lenient::opt_struct")]
    pub input: Option<ToolInput>,

    /// The id of the `tool_use` block that a `tool_result` belongs to. Missing in older exports.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub tool_use_id: Option<String>,

    /// Whether a `tool_result` reports that the tool rejected the call.
    #[serde(deserialize_with = "lenient::bool")]
    pub is_error: bool,

    /// The web app's rendering of a `tool_use` block. Null in exports.
    #[serde(deserialize_with = "lenient::opt_value")]
    pub display_content: Option<Value>,
}

/// The arguments of the `artifacts`, `create_file` and `str_replace` tools.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ToolInput {
    /// Artifact id of the `artifacts` tool.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,

    /// `create`, `rewrite` or `update` for the `artifacts` tool.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub command: Option<String>,

    /// The artifact type, for example `application/vnd.ant.code`.
    #[serde(rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,

    #[serde(deserialize_with = "lenient::opt_string")]
    pub title: Option<String>,

    #[serde(deserialize_with = "lenient::opt_string")]
    pub language: Option<String>,

    #[serde(deserialize_with = "lenient::opt_string")]
    pub content: Option<String>,

    #[serde(deserialize_with = "lenient::opt_string")]
    pub old_str: Option<String>,

    #[serde(deserialize_with = "lenient::opt_string")]
    pub new_str: Option<String>,

    #[serde(deserialize_with = "lenient::opt_string")]
    pub version_uuid: Option<String>,

    /// File path of `create_file` and `str_replace`.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub path: Option<String>,

    /// Full file text of `create_file`.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub file_text: Option<String>,

    #[serde(deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
}
