//! One entry of a version 1 grant table (`grant_entry_v1`: `flags` at 0,
//! `domid` at 2, `frame` at 4), as the granting domain writes it.
//!
//! Xen reads an entry whenever the grantee maps it, so the order matters:
//! the domain and frame are written first, then a write barrier, then the
//! flags that make the entry valid. Ending access is a compare-and-swap of
//! the flags to 0 that fails while Xen has the frame mapped for the grantee
//! (`GTF_reading`/`GTF_writing`): such a page is still the grantee's to
//! read and write, and must not be reused.

use core::sync::atomic::{fence, AtomicU16, AtomicU32, Ordering};

use crate::abi::{GTF_PERMIT_ACCESS, GTF_READING, GTF_READONLY, GTF_WRITING};

/// Bytes of one entry.
pub const ENTRY_SIZE: usize = 8;

fn flags(entry: *mut u8) -> &'static AtomicU16 {
    // SAFETY: callers pass an 8-aligned entry of a mapped table (see
    // `grant`/`revoke`); Xen changes the flags only atomically.
    unsafe { AtomicU16::from_ptr(entry.cast()) }
}

/// Grants machine frame `frame` to domain `domid` through the entry at
/// `entry`, read-write or read-only.
///
/// # Safety
///
/// `entry` must be an 8-aligned, unused entry of a grant table that stays
/// mapped (its flags 0).
pub unsafe fn grant(entry: *mut u8, domid: u16, frame: u32, readonly: bool) {
    // SAFETY: inside the entry, as the caller vouches.
    unsafe {
        AtomicU16::from_ptr(entry.add(2).cast()).store(domid, Ordering::Relaxed);
        AtomicU32::from_ptr(entry.add(4).cast()).store(frame, Ordering::Relaxed);
    }
    // Xen must never see the flags before the domain and frame they validate.
    fence(Ordering::Release);
    let ro = if readonly { GTF_READONLY } else { 0 };
    flags(entry).store(GTF_PERMIT_ACCESS | ro, Ordering::Release);
}

/// Ends the access the entry at `entry` grants; `false` (and the entry left
/// as it is) while the grantee still has the frame mapped.
///
/// # Safety
///
/// As [`grant`], for an entry this domain granted.
pub unsafe fn revoke(entry: *mut u8) -> bool {
    let f = flags(entry);
    let mut seen = f.load(Ordering::Acquire);
    // Bounded: each failed swap means Xen changed the flags, which it does
    // only as the grantee maps or unmaps.
    for _ in 0..64 {
        if seen & (GTF_READING | GTF_WRITING) != 0 {
            return false;
        }
        match f.compare_exchange(seen, 0, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => return true,
            Err(now) => seen = now,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_written_as_the_header_lays_it_out() {
        let mut table = [0u64; 4];
        let e = table.as_mut_ptr().wrapping_add(1).cast::<u8>();
        // SAFETY: an aligned entry of the array.
        unsafe { grant(e, 7, 0x1234_5678, false) };
        let bytes = table[1].to_le_bytes();
        assert_eq!(bytes, [1, 0, 7, 0, 0x78, 0x56, 0x34, 0x12]);
        // SAFETY: as above.
        unsafe { grant(e.wrapping_add(8), 0, 9, true) };
        assert_eq!(table[2].to_le_bytes()[..2], [1 | 4, 0]);
        assert_eq!(table[0], 0, "the neighbour is untouched");
    }

    #[test]
    fn a_mapped_entry_is_not_revoked() {
        let mut table = [0u64; 1];
        let e = table.as_mut_ptr().cast::<u8>();
        // SAFETY: an aligned entry of the array.
        unsafe { grant(e, 3, 42, false) };
        // What Xen does while the grantee maps the frame.
        flags(e).fetch_or(GTF_READING | GTF_WRITING, Ordering::SeqCst);
        // SAFETY: as above.
        assert!(!unsafe { revoke(e) });
        assert_ne!(flags(e).load(Ordering::SeqCst) & GTF_PERMIT_ACCESS, 0);
        flags(e).fetch_and(!(GTF_READING | GTF_WRITING), Ordering::SeqCst);
        // SAFETY: as above.
        assert!(unsafe { revoke(e) });
        assert_eq!(flags(e).load(Ordering::SeqCst), 0);
    }
}
