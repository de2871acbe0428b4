//! Ending the domain: `SCHEDOP_shutdown` with a reason the toolstack reads
//! (`xl list` shows a powered-off domain as shut down, a crashed one as
//! crashed), after the console has been drained.

use crate::abi::{sched, SchedShutdown, ShutdownReason};
use crate::console;
use crate::hypercall;
use crate::platform;

/// How long the console may take to drain before the domain ends.
const FLUSH_MS: u64 = 2_000;

/// Ends the domain with `reason`.
pub fn shutdown(reason: ShutdownReason) -> ! {
    if let Some(p) = platform::global() {
        console::flush(p, FLUSH_MS);
    }
    let mut arg = SchedShutdown {
        reason: reason as u32,
    };
    loop {
        // SAFETY: `arg` is a `struct sched_shutdown`. Xen does not return
        // from a successful shutdown; if it ever does, ask again.
        unsafe { hypercall::sched_op(sched::SHUTDOWN, &mut arg) };
        core::hint::spin_loop();
    }
}
