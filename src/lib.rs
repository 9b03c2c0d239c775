//! artifactor: gets every artifact out of Claude.ai conversations and onto disk.
//!
//! The core (sources, rebuilding, naming, writing and the coordinator) has no user interface.
//! The command line in `cli` and the window in `gui` are front ends that talk to the
//! [`coordinator`] over channels.

#![forbid(unsafe_code)]

pub mod artifact;
pub mod cli;
pub mod coordinator;
pub mod fetch;
pub mod gui;
pub mod lenient;
pub mod logging;
pub mod model;
pub mod naming;
pub mod output;
pub mod probe;
pub mod rebuild;
pub mod scan;
pub mod source;
mod stable_hash;
pub mod workflow;
