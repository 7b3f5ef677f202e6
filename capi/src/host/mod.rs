//! Functions for hosts only (gateways, the Python package): they use the standard library and
//! the heap internally, so the bare-metal build leaves them out. Each call still frees all it
//! allocates before it returns; the caller owns every buffer.
//!
//! More host-only functions (a columnar decode for Python, the field-sync store and frames)
//! belong in their own files here.

pub mod batch;
pub mod columnar;
pub mod json;
