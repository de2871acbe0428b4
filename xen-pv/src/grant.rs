//! Mapping pages another domain granted us.
//!
//! A PV guest maps a grant at a virtual address whose page-table entry
//! already exists. The simplest such addresses are pages of the image:
//! [`WINDOW_PAGES`] page slots of `.bss` are set aside, a mapping takes a
//! run of free slots, and Xen replaces their entries with the granted
//! frames. Unmapping clears the entries, and the slots' own frames are put
//! back with `update_va_mapping`, so the slots can be reused.

use core::sync::atomic::{AtomicU64, Ordering};

use alloc::vec::Vec;

use crate::abi::{self, gnttabop, GnttabMapGrantRef, GnttabUnmapGrantRef};
use crate::hypercall;
use crate::platform::{PageSlot, Platform, PAGE_SIZE};

/// Page slots of the mapping window.
pub const WINDOW_PAGES: usize = 128;

/// The window; only Xen writes it (through the grants mapped over it).
static mut WINDOW: [PageSlot; WINDOW_PAGES] = [const { PageSlot([0; PAGE_SIZE]) }; WINDOW_PAGES];

/// Which slots are in use, one bit each.
static IN_USE: [AtomicU64; WINDOW_PAGES / 64] = [const { AtomicU64::new(0) }; WINDOW_PAGES / 64];

/// Why a mapping failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantError {
    /// No run of that many free slots in the window.
    NoRoom(usize),
    /// The hypercall itself failed.
    Hypercall(i64),
    /// Xen refused grant `gref` with status `status` (`GNTST_*`).
    Refused {
        /// The grant reference.
        gref: u32,
        /// The status.
        status: i16,
    },
}

impl core::fmt::Display for GrantError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            GrantError::NoRoom(n) => write!(f, "no room to map {n} granted pages"),
            GrantError::Hypercall(rc) => write!(f, "GNTTABOP_map_grant_ref failed ({rc})"),
            GrantError::Refused { gref, status } => {
                write!(f, "grant {gref} refused by Xen (status {status})")
            }
        }
    }
}

fn slot_addr(i: usize) -> u64 {
    let base = &raw mut WINDOW;
    base.cast::<PageSlot>().wrapping_add(i) as u64
}

fn slot_used(i: usize) -> bool {
    IN_USE[i / 64].load(Ordering::Relaxed) & (1 << (i % 64)) != 0
}

fn set_slot(i: usize, used: bool) {
    let bit = 1u64 << (i % 64);
    if used {
        IN_USE[i / 64].fetch_or(bit, Ordering::Relaxed);
    } else {
        IN_USE[i / 64].fetch_and(!bit, Ordering::Relaxed);
    }
}

/// Takes the first run of `n` free slots.
fn take_run(n: usize) -> Option<usize> {
    if n == 0 || n > WINDOW_PAGES {
        return None;
    }
    let first = (0..=WINDOW_PAGES - n).find(|&s| (s..s + n).all(|i| !slot_used(i)))?;
    (first..first + n).for_each(|i| set_slot(i, true));
    Some(first)
}

/// Pages of another domain, mapped contiguously; unmapped on drop.
pub struct Mapping<'p> {
    platform: &'p Platform,
    first: usize,
    /// Slots taken for this mapping (the handles cover the first ones).
    reserved: usize,
    handles: Vec<u32>,
}

impl<'p> Mapping<'p> {
    /// Maps the pages `grefs` of domain `dom`, in that order, read-write
    /// (or read-only).
    pub fn map(
        platform: &'p Platform,
        dom: u16,
        grefs: &[u32],
        readonly: bool,
    ) -> Result<Self, GrantError> {
        let first = take_run(grefs.len()).ok_or(GrantError::NoRoom(grefs.len()))?;
        let flags = abi::GNTMAP_HOST_MAP | if readonly { abi::GNTMAP_READONLY } else { 0 };
        let mut ops: Vec<GnttabMapGrantRef> = grefs
            .iter()
            .enumerate()
            .map(|(i, &gref)| GnttabMapGrantRef {
                host_addr: slot_addr(first + i),
                flags,
                gref,
                dom,
                ..Default::default()
            })
            .collect();
        // SAFETY: `ops` are `struct gnttab_map_grant_ref`s naming slots of
        // the window, which nothing else references.
        let rc = unsafe {
            hypercall::grant_table_op(gnttabop::MAP_GRANT_REF, ops.as_mut_ptr(), ops.len() as u32)
        };
        let mut mapping = Mapping {
            platform,
            first,
            reserved: grefs.len(),
            handles: Vec::with_capacity(ops.len()),
        };
        let mut error = (rc != 0).then_some(GrantError::Hypercall(rc));
        for op in &ops {
            if rc == 0 && op.status == abi::GNTST_OKAY {
                mapping.handles.push(op.handle);
            } else {
                error.get_or_insert(GrantError::Refused {
                    gref: op.gref,
                    status: op.status,
                });
                break;
            }
        }
        match error {
            // Dropping the partial mapping unmaps what was mapped and
            // releases the slots that were never mapped.
            Some(e) => Err(e),
            None => Ok(mapping),
        }
    }

    /// The first mapped byte; the pages follow contiguously. The peer may
    /// write them at any time: read them only through volatile or atomic
    /// accesses, into private copies.
    pub fn ptr(&self) -> *mut u8 {
        slot_addr(self.first) as *mut u8
    }

    /// How many pages are mapped.
    pub fn pages(&self) -> usize {
        self.handles.len()
    }
}

impl Drop for Mapping<'_> {
    fn drop(&mut self) {
        let mut ops: Vec<GnttabUnmapGrantRef> = self
            .handles
            .iter()
            .enumerate()
            .map(|(i, &handle)| GnttabUnmapGrantRef {
                host_addr: slot_addr(self.first + i),
                handle,
                ..Default::default()
            })
            .collect();
        let rc = if ops.is_empty() {
            0
        } else {
            // SAFETY: each op names a mapping made by `map` and not yet undone.
            unsafe {
                hypercall::grant_table_op(
                    gnttabop::UNMAP_GRANT_REF,
                    ops.as_mut_ptr(),
                    ops.len() as u32,
                )
            }
        };
        for (i, op) in (self.first..).zip(&ops) {
            if rc != 0 || op.status != abi::GNTST_OKAY {
                // Still the peer's page, or in an unknown state: never reuse it.
                continue;
            }
            let va = slot_addr(i);
            let restored = self
                .platform
                .pfn_to_mfn(va / PAGE_SIZE as u64)
                .is_some_and(|mfn| {
                    let pte = (mfn << 12) | abi::PTE_DATA;
                    // SAFETY: the unmap just cleared the slot's entry; this points
                    // it back at the slot's own frame.
                    unsafe { hypercall::update_va_mapping(va, pte, abi::UVMF_INVLPG) == 0 }
                });
            if restored {
                set_slot(i, false);
            }
        }
        // Slots taken for pages that were never mapped were never changed.
        for i in self.first + self.handles.len()..self.first + self.reserved {
            set_slot(i, false);
        }
    }
}
