//! Field sync from C: a record store in caller memory, frames sized to a link, stream framing
//! with a decoder in caller memory, and anti-entropy summaries.
//!
//! Nothing here allocates, so all of it is in the bare-metal library too. Every buffer and
//! every object is the caller's: a store is a `swapwire_store` plus an array of
//! `swapwire_slot`s, a stream decoder a `swapwire_stream_decoder`. Frames a function reads are
//! frames as a message link delivers them, or as a stream decoder yields them (out of stream
//! framing); frames a function writes carry the link's framing.
//!
//! Where a frame's records come from the link's sender rather than the frame (message links),
//! the reading function takes `link_sender`: a pointer to the sender's origin, or NULL when
//! the link does not say (then a frame that names no sender fails with
//! `SWAPWIRE_UNKNOWN_SENDER`).

pub mod frames;
mod link;
pub mod store;
pub mod stream;
pub mod summary;

pub use link::*;
