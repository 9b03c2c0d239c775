//! File and folder names for exported artifacts.
//!
//! [`sanitize_component`], [`artifact_file_name`], [`conversation_folder`] and
//! [`file_path_components`] return path components that are valid on Linux,
//! macOS and Windows and at most [`MAX_COMPONENT_BYTES`] bytes long.
//! [`NameAllocator`] and [`version_file_name`] add suffixes to such names and
//! stay within [`MAX_FILE_NAME_BYTES`]. Every function returns the same output
//! for the same input.

mod allocator;
mod extension;
mod file_name;
mod paths;
mod sanitize;

#[cfg(test)]
mod proptests;

pub use allocator::NameAllocator;
pub use extension::extension_for;
pub use file_name::{artifact_file_name, version_file_name};
pub(crate) use paths::UNTITLED_CONVERSATION;
pub use paths::{MAX_PATH_DEPTH, conversation_folder, file_path_components};
pub(crate) use sanitize::FALLBACK_NAME;
pub use sanitize::{MAX_COMPONENT_BYTES, MAX_FILE_NAME_BYTES, sanitize_component};
