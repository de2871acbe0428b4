//! The lz4 description, shared by the application and its domain.

pub mod lz4;
