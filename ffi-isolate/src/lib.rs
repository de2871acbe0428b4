//! The Isolated linkage: a described C library runs in a separate, sandboxed
//! domain and every call is a request over a shared-memory ring laid out like
//! Xen's `libxenvchan` page.
//!
//! Everything the domain writes is hostile: frames are copied out of shared
//! memory once and validated in private, indices and lengths are checked with
//! checked arithmetic, and no allocation is sized by the domain without a bound.

pub mod arena;
mod bulk;
mod callers;
pub mod client;
pub mod confine;
pub mod domain;
pub mod executable;
mod free_ranges;
mod incarnation;
mod inplace;
mod lanes;
pub mod out_arena;
mod output;
mod placement;
pub mod ring;
pub mod sandbox;
pub mod server;
mod session;
pub mod shm;
pub mod slot;
pub mod supervise;
mod syscalls;
#[cfg(feature = "xen")]
mod turn;
pub mod wait;
pub mod wire;
#[cfg(feature = "xen")]
pub mod xen;

pub use client::{AsyncCounts, Domain, IsolatedOptions};
pub use domain::RestartPolicy;
pub use server::serve;
