//! Xen system time: nanoseconds since the host booted, from vCPU 0's time
//! record in the shared info page and the TSC. `SCHEDOP_poll` timeouts are
//! absolute values of this clock, so every deadline here is one.

use core::sync::atomic::{fence, AtomicU32, AtomicU64, AtomicU8, Ordering};

use crate::abi::{shared_info, vcpu_time};
use crate::platform::Platform;

/// A point in Xen system time, in nanoseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant(pub u64);

impl Instant {
    /// `ms` milliseconds later (saturating).
    pub fn after_ms(self, ms: u64) -> Instant {
        Instant(self.0.saturating_add(ms.saturating_mul(1_000_000)))
    }

    /// Nanoseconds from `earlier` to `self` (0 if `earlier` is later).
    pub fn since(self, earlier: Instant) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
}

/// One consistent copy of the time record.
struct Record {
    tsc_timestamp: u64,
    system_time: u64,
    mul: u32,
    shift: i8,
}

/// Scales a TSC delta to nanoseconds as `vcpu_time_info` says:
/// `((delta << shift) * mul) >> 32` (a negative shift shifts right).
fn scale(delta: u64, mul: u32, shift: i8) -> u64 {
    let shifted = if shift >= 0 {
        delta.checked_shl(shift as u32).unwrap_or(u64::MAX)
    } else {
        delta.checked_shr(shift.unsigned_abs() as u32).unwrap_or(0)
    };
    ((shifted as u128 * mul as u128) >> 32) as u64
}

fn rdtsc() -> u64 {
    // SAFETY: `rdtsc` reads the time-stamp counter; Xen lets PV guests run it.
    unsafe { core::arch::x86_64::_rdtsc() }
}

impl Platform {
    fn time_record(&self) -> Record {
        let base = self.shared_info().wrapping_add(shared_info::VCPU0_TIME);
        // SAFETY: the fields are inside the shared info page, aligned, and
        // only read through atomics (Xen writes them at any time).
        let (version, tsc, sys, mul, shift) = unsafe {
            (
                AtomicU32::from_ptr(base.add(vcpu_time::VERSION).cast()),
                AtomicU64::from_ptr(base.add(vcpu_time::TSC_TIMESTAMP).cast()),
                AtomicU64::from_ptr(base.add(vcpu_time::SYSTEM_TIME).cast()),
                AtomicU32::from_ptr(base.add(vcpu_time::TSC_TO_SYSTEM_MUL).cast()),
                AtomicU8::from_ptr(base.add(vcpu_time::TSC_SHIFT)),
            )
        };
        // Xen bumps the version to odd before an update and to even after;
        // a copy taken between two equal even versions is consistent. On one
        // vCPU an update cannot be in progress for long, but the loop is
        // bounded anyway.
        let mut last = None;
        for _ in 0..1000 {
            let v = version.load(Ordering::Acquire);
            let r = Record {
                tsc_timestamp: tsc.load(Ordering::Relaxed),
                system_time: sys.load(Ordering::Relaxed),
                mul: mul.load(Ordering::Relaxed),
                shift: shift.load(Ordering::Relaxed) as i8,
            };
            fence(Ordering::Acquire);
            if v & 1 == 0 && version.load(Ordering::Relaxed) == v {
                return r;
            }
            last = Some(r);
        }
        last.expect("the loop ran")
    }

    /// The current Xen system time.
    pub fn now(&self) -> Instant {
        let r = self.time_record();
        let delta = rdtsc().wrapping_sub(r.tsc_timestamp);
        // A TSC read before the record's timestamp (another pCPU's TSC) would
        // wrap to a huge delta: treat it as no time at all.
        let delta = if delta > u64::MAX / 2 { 0 } else { delta };
        Instant(r.system_time.saturating_add(scale(delta, r.mul, r.shift)))
    }

    /// `ms` milliseconds from now.
    pub fn deadline_ms(&self, ms: u64) -> Instant {
        self.now().after_ms(ms)
    }
}

#[cfg(test)]
mod tests {
    use super::scale;

    #[test]
    fn scaling_follows_the_header_formula() {
        // A 2 GHz TSC: mul = 2^31 with shift 0 halves the delta.
        assert_eq!(scale(2_000, 1 << 31, 0), 1_000);
        assert_eq!(scale(2_000, 1 << 31, 1), 2_000);
        assert_eq!(scale(2_000, 1 << 31, -1), 500);
        // Overflowing shifts saturate rather than wrap.
        assert_eq!(scale(u64::MAX, 1, 3), (u64::MAX as u128 >> 32) as u64);
        assert_eq!(scale(5, 1 << 31, -100), 0);
    }
}
