//! A Xen PV unikernel without libc or C: what a `no_std` Rust program needs
//! to run as a 64-bit PV guest and talk to other domains.
//!
//! - [`abi`]: Xen's public structures and numbers, hand-written and checked
//!   against the C headers (`tests/abi.rs`);
//! - [`hypercall`]: `syscall` into Xen;
//! - [`platform`]: `start_info`, frames and addresses, the shared info page;
//! - [`time`], [`events`]: Xen system time, event channels and polling;
//! - [`console`], [`shutdown`]: output and exit;
//! - [`heap`]: the allocator behind `alloc`;
//! - [`shring`], [`xenstore`]: shared rings that distrust the peer, and
//!   the XenStore client;
//! - [`grant`], [`share`], [`vchan`]: mapping granted pages, granting our
//!   own, and the vchan client and server;
//! - [`death`]: dom0's word on a library guest that died;
//! - with feature `app`, `channel`: the project's Isolated client over a
//!   vchan, speaking the frames of `ffi_desc::frame` (the header every
//!   transport of the project shares).
//!
//! The boot code (entry, ELF notes, stack) is the binary's, `src/main.rs`.
//! Everything that does not touch Xen is tested on the host.
#![no_std]

extern crate alloc;

pub mod abi;
#[cfg(feature = "app")]
pub mod channel;
pub mod console;
pub mod death;
pub mod events;
pub mod grant;
pub mod heap;
pub mod hypercall;
pub mod platform;
pub mod serve;
pub mod share;
pub mod shring;
pub mod shutdown;
pub mod time;
pub mod vchan;
pub mod xenstore;
