//! Inputs: recognising the content of a path, standard input, the clipboard or a fetched
//! body, and streaming its conversations.
//!
//! An input is recognised by its content, not its name. [`resolve_input`] turns each input
//! other than a URL into [`Part`]s, each of which yields conversations; [`read_part`] streams
//! one part. Text that is not JSON yields the artifacts found in it.

mod clipboard;
mod detect;
mod error;
mod input;
mod published;
mod repair;
mod split;
mod stream;
mod text;

pub use detect::{Location, Part, resolve, resolve_input};
pub use error::SourceError;
pub use input::Input;
pub(crate) use input::looks_like_url;
pub use stream::{HEAD_BYTES, ReadProgress, read_part, read_text, stream_conversations};
