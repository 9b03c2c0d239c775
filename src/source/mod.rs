//! Inputs: recognising the content of a path and streaming its conversations.
//!
//! An input is recognised by its content, not its name. [`resolve`] turns each path into
//! [`Part`]s, each of which yields conversations; [`read_part`] streams one part.

mod detect;
mod error;
mod split;
mod stream;

pub use detect::{Location, Part, resolve};
pub use error::SourceError;
pub use stream::{ReadProgress, read_part, read_text, stream_conversations};
