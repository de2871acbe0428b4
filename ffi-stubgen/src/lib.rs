//! `ffi-stubgen`: import a C header into a `#[foreign]` description, and emit
//! the C translation unit that makes the C compiler check a description against
//! the real header.
