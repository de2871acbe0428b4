//! The application side of the project: a `no_std` client for the Isolated
//! linkage, the choice of linkage per build target, and the check that an
//! isolated image links none of the described library's C code.
//!
//! The library itself is `#![no_std]` (with `alloc`): it builds the vocab
//! description's Isolated client from the very description the domain
//! serves (same tokens, same fingerprint), with `ffi-desc`'s `std` feature
//! off, so a unikernel can link it. The transport is any
//! [`Channel`](ffi_desc::isolated::Channel): a Xen vchan, or the process
//! ring in tests.
#![no_std]

extern crate alloc;

pub mod client;
