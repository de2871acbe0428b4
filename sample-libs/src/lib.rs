//! Sample C libraries, built with [`cc`](https://docs.rs/cc) from the C
//! sources under `sample-libs/c/`, for the workspace's tests and the tour.
//!
//! - **vocab** (`c/vocab.h`, `c/vocab.c`): one small C function for every
//!   element of the description vocabulary (scalars of every C type, 0 to 15
//!   arguments, pointers of every direction and extent, C strings static and
//!   owned, structs, unions and enums by value and by pointer, opaque handles,
//!   callbacks called during the call and stored, `errno`, variadics), every
//!   name prefixed `sv_`.
//! - **hostile** (`c/hostile.h`, `c/hostile.c`): a library that misbehaves on
//!   purpose, to test what an isolated domain survives: it segfaults, aborts,
//!   overflows its stack, kills itself, exits, hangs, allocates and forks
//!   without bound, floods stdout and stderr, starts threads that never stop,
//!   tries to escape a sandbox (files, sockets, `execve`, `ptrace`) and
//!   writes to the domain's shared ring behind its back. Every name is
//!   prefixed `hx_`; only `hx_ok` is an ordinary, healthy function. Call the
//!   others only where a crash, a hang or an escape is contained.
//! - **loadtime** (`c/loadtime.h`, `c/loadtime.c`): the attacks a library's
//!   load-time code (constructors, `.init_array`) can make, run by
//!   `hl_attack_from_env` only when the environment asks for one; the hooks
//!   that call it are not part of this crate.
//!
//! Each is built twice:
//!
//! - as a static archive, linked whole into every crate that depends on this
//!   one, so the `sv_*` and `hx_*` symbols are there for the Linked linkage
//!   even though this crate's Rust side never calls them;
//! - as a shared object ([`VOCAB_SHARED_LIBRARY`],
//!   [`HOSTILE_SHARED_LIBRARY`]), for the Loaded linkage (and for anything
//!   that wants to open the library at run time).
//!
//! A dependent that needs only the link must still make rustc load this crate,
//! for instance by naming one of its constants or with `use sample_libs as _;`.
//! Build scripts of dependents find the same paths through the `links`
//! metadata: `DEP_SAMPLE_VOCAB_INCLUDE` (the directory holding `vocab.h` and
//! `hostile.h`), `DEP_SAMPLE_VOCAB_HEADER`, `DEP_SAMPLE_VOCAB_SOURCE`,
//! `DEP_SAMPLE_VOCAB_SHARED` (the vocab `.so`), `DEP_SAMPLE_VOCAB_SHARED_DIR`,
//! `DEP_SAMPLE_VOCAB_STATIC_DIR`, and for hostile
//! `DEP_SAMPLE_VOCAB_HOSTILE_HEADER`, `DEP_SAMPLE_VOCAB_HOSTILE_SOURCE` and
//! `DEP_SAMPLE_VOCAB_HOSTILE_SHARED`.
//!
//! This crate must not depend on the other crates of the workspace: it is the
//! C side that they are tested against, and it exports no Rust API beyond the
//! paths below.

#![no_std]

/// Absolute path of the vocab shared object, `libsample_vocab.so`, built by
/// this crate's build script from the same sources as the static archive.
pub const VOCAB_SHARED_LIBRARY: &str = concat!(env!("OUT_DIR"), "/shared/libsample_vocab.so");

/// Absolute path of the directory holding the C headers, `vocab.h` and
/// `hostile.h`, to pass to a C compiler as an include directory.
pub const VOCAB_HEADER_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/c");

/// Absolute path of the vocab C header, `vocab.h`: the C API contract.
pub const VOCAB_HEADER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/c/vocab.h");

/// Absolute path of the vocab C source, `vocab.c`, for builds that compile
/// the library themselves (for instance inside an isolated domain).
pub const VOCAB_SOURCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/c/vocab.c");

/// Absolute path of the hostile shared object, `libsample_hostile.so`, built
/// by this crate's build script from the same sources as its static archive.
pub const HOSTILE_SHARED_LIBRARY: &str = concat!(env!("OUT_DIR"), "/shared/libsample_hostile.so");

/// Absolute path of the hostile C header, `hostile.h` (in
/// [`VOCAB_HEADER_DIR`]): the API of the misbehaving library.
pub const HOSTILE_HEADER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/c/hostile.h");

/// Absolute path of the hostile C source, `hostile.c`, for builds that
/// compile the library themselves (for instance inside an isolated domain).
pub const HOSTILE_SOURCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/c/hostile.c");
