//! The console: the `out` ring of the console page, which dom0's console
//! daemon (`xenconsoled`) drains into its log when the console event
//! channel fires. Debian's Xen refuses `CONSOLEIO_write` from a domU, so
//! this ring is a domU's only output.
//!
//! The daemon's index is not trusted: an impossible one reads as a full
//! ring, and waiting for space is bounded, so a stuck daemon costs at most
//! [`STALL_MS`] and the output is dropped, never a hang.

use core::fmt;
use core::sync::atomic::{AtomicU32, Ordering};

use crate::abi::console::{OUT, OUT_CONS, OUT_PROD, OUT_SIZE};
use crate::events::Port;
use crate::platform::{self, Platform};

/// How long a write waits for the daemon to make room before it drops what
/// is left.
pub const STALL_MS: u64 = 2_000;

struct Ring {
    page: *mut u8,
    port: Port,
}

impl Ring {
    fn index(&self, offset: usize) -> &AtomicU32 {
        // SAFETY: the offsets are the aligned `u32` indices of the console
        // page, which stays mapped; the daemon writes `out_cons` at any time.
        unsafe { AtomicU32::from_ptr(self.page.add(offset).cast()) }
    }

    /// Free bytes in the ring, for our own producer index `prod`.
    fn space(&self, prod: u32) -> u32 {
        let cons = self.index(OUT_CONS).load(Ordering::Acquire);
        match prod.wrapping_sub(cons) {
            used if used <= OUT_SIZE => OUT_SIZE - used,
            _ => 0,
        }
    }

    /// Copies as much of `data` as fits; how much that was.
    fn put(&self, prod: &mut u32, data: &[u8]) -> usize {
        let n = (self.space(*prod) as usize).min(data.len());
        for (i, &b) in data[..n].iter().enumerate() {
            let at = (prod.wrapping_add(i as u32) % OUT_SIZE) as usize;
            // SAFETY: inside the `out` array of the mapped console page.
            unsafe { self.page.add(OUT + at).write_volatile(b) };
        }
        *prod = prod.wrapping_add(n as u32);
        self.index(OUT_PROD).store(*prod, Ordering::Release);
        n
    }
}

/// Writes `data` to the console and signals the daemon; waits (bounded)
/// when the ring is full.
pub fn write_bytes(platform: &Platform, data: &[u8]) {
    let (page, port) = platform.console();
    let ring = Ring {
        page,
        port: Port(port),
    };
    // Our producer index is ours alone: read once per write from the page,
    // where only we store it.
    let mut prod = ring.index(OUT_PROD).load(Ordering::Relaxed);
    let mut rest = data;
    let deadline = platform.deadline_ms(STALL_MS);
    while !rest.is_empty() {
        let n = ring.put(&mut prod, rest);
        rest = &rest[n..];
        let _ = platform.notify(ring.port);
        if rest.is_empty() {
            break;
        }
        platform.take_pending(ring.port);
        if ring.space(prod) == 0 && platform.poll(&[ring.port], deadline).is_err() {
            return;
        }
    }
}

/// Waits (at most `ms`) until the daemon has read everything written, so
/// that output survives the domain's shutdown.
pub fn flush(platform: &Platform, ms: u64) {
    let (page, port) = platform.console();
    let ring = Ring {
        page,
        port: Port(port),
    };
    let deadline = platform.deadline_ms(ms);
    loop {
        let prod = ring.index(OUT_PROD).load(Ordering::Relaxed);
        if ring.space(prod) == OUT_SIZE {
            return;
        }
        platform.take_pending(ring.port);
        if ring.space(prod) == OUT_SIZE || platform.poll(&[ring.port], deadline).is_err() {
            return;
        }
    }
}

/// A `fmt::Write` over the console (does nothing before boot).
pub struct Console;

impl fmt::Write for Console {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if let Some(p) = platform::global() {
            write_bytes(p, s.as_bytes());
        }
        Ok(())
    }
}

/// Prints to the console, like `print!`.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => {{
        let _ = core::fmt::Write::write_fmt(&mut $crate::console::Console, format_args!($($arg)*));
    }};
}

/// Prints a line to the console, like `println!`.
#[macro_export]
macro_rules! println {
    () => { $crate::print!("\n") };
    ($($arg:tt)*) => {{
        $crate::print!($($arg)*);
        $crate::print!("\n");
    }};
}
