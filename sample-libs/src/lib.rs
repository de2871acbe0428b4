//! Sample C libraries, built with [`cc`](https://docs.rs/cc) from the C
//! sources under `sample-libs/c/`, for the workspace's tests and the tour.
//!
//! The one library so far is **vocab** (`c/vocab.h`, `c/vocab.c`): one small C
//! function for every element of the description vocabulary (scalars of every
//! C type, 0 to 15 arguments, pointers of every direction and extent, C
//! strings static and owned, structs, unions and enums by value and by
//! pointer, opaque handles, callbacks called during the call and stored,
//! `errno`, variadics), every name prefixed `sv_`. It is built twice:
//!
//! - as a static archive, linked whole into every crate that depends on this
//!   one, so the `sv_*` symbols are there for the Linked linkage even though
//!   this crate's Rust side never calls them;
//! - as a shared object at [`VOCAB_SHARED_LIBRARY`], for the Loaded linkage
//!   (and for anything that wants to open the library at run time).
//!
//! A dependent that needs only the link must still make rustc load this crate,
//! for instance by naming one of its constants or with `use sample_libs as _;`.
//! Build scripts of dependents find the same paths through the `links`
//! metadata: `DEP_SAMPLE_VOCAB_INCLUDE` (the directory holding `vocab.h`),
//! `DEP_SAMPLE_VOCAB_HEADER`, `DEP_SAMPLE_VOCAB_SOURCE`,
//! `DEP_SAMPLE_VOCAB_SHARED` (the `.so`), `DEP_SAMPLE_VOCAB_SHARED_DIR` and
//! `DEP_SAMPLE_VOCAB_STATIC_DIR`.
//!
//! This crate must not depend on the other crates of the workspace: it is the
//! C side that they are tested against, and it exports no Rust API beyond the
//! paths below.

#![no_std]

/// Absolute path of the vocab shared object, `libsample_vocab.so`, built by
/// this crate's build script from the same sources as the static archive.
pub const VOCAB_SHARED_LIBRARY: &str = concat!(env!("OUT_DIR"), "/shared/libsample_vocab.so");

/// Absolute path of the directory holding `vocab.h`, to pass to a C compiler
/// as an include directory.
pub const VOCAB_HEADER_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/c");

/// Absolute path of the vocab C header, `vocab.h`: the C API contract.
pub const VOCAB_HEADER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/c/vocab.h");

/// Absolute path of the vocab C source, `vocab.c`, for builds that compile
/// the library themselves (for instance inside an isolated domain).
pub const VOCAB_SOURCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/c/vocab.c");
