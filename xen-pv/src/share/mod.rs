//! Granting our own pages to another domain: the server half of grant
//! tables.
//!
//! The domain's grant table is set up once (`GNTTABOP_setup_table`, one
//! frame: 512 version 1 entries) and its frame mapped over a page of
//! `.bss`. The pages we grant come from a pool of `.bss` pages, so their
//! frames are the domain's own and never move. Entries 0 to 7 are the
//! toolstack's (console, XenStore); we use the others.
//!
//! A [`Shared`] run of pages is zeroed before it is granted and revoked on
//! drop. A page whose grant the peer still has mapped when we revoke (a
//! peer that does not unmap) stays granted and is never reused, and so is
//! its entry: the peer keeps the page it has, and nothing of ours is ever
//! put in it again.

pub mod entry;

use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use alloc::vec::Vec;

use crate::abi::{self, gnttabop, GnttabSetupTable, DOMID_SELF};
use crate::hypercall;
use crate::platform::{PageSlot, Platform, PAGE_SIZE};

/// Entries of the one table frame.
pub const TABLE_ENTRIES: usize = PAGE_SIZE / entry::ENTRY_SIZE;
/// `GNTTAB_NR_RESERVED_ENTRIES`: the toolstack's entries.
pub const RESERVED_ENTRIES: usize = 8;
/// Pages of the pool.
pub const POOL_PAGES: usize = 64;
/// How long [`Shared::revoke`] waits for the peer to unmap, in ms: a peer
/// closes its end a moment after ours, and unmaps as it does.
const REVOKE_MS: u64 = 3000;

/// The page the grant table frame is mapped over.
static mut TABLE_SLOT: PageSlot = PageSlot([0; PAGE_SIZE]);
static TABLE_READY: AtomicBool = AtomicBool::new(false);

/// The pages we grant.
static mut POOL: [PageSlot; POOL_PAGES] = [const { PageSlot([0; PAGE_SIZE]) }; POOL_PAGES];

/// Entries in use (or kept by a peer), one bit each.
static REF_USED: [AtomicU64; TABLE_ENTRIES / 64] =
    [const { AtomicU64::new(0) }; TABLE_ENTRIES / 64];
/// Pool pages in use (or kept by a peer).
static PAGE_USED: [AtomicU64; POOL_PAGES / 64] = [const { AtomicU64::new(0) }; POOL_PAGES / 64];

/// Why pages could not be granted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShareError {
    /// `GNTTABOP_setup_table` failed (hypercall result, status).
    SetupTable(i64, i16),
    /// Mapping the table frame failed.
    MapTable(i64),
    /// No run of that many free pages in the pool.
    NoPages(usize),
    /// No free grant entry.
    NoEntries,
    /// A frame beyond the 32 bits a version 1 entry holds.
    Frame(u64),
}

impl core::fmt::Display for ShareError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ShareError::SetupTable(rc, st) => {
                write!(f, "GNTTABOP_setup_table failed ({rc}, status {st})")
            }
            ShareError::MapTable(rc) => write!(f, "cannot map the grant table ({rc})"),
            ShareError::NoPages(n) => write!(f, "no run of {n} free pages to grant"),
            ShareError::NoEntries => write!(f, "no free grant entry"),
            ShareError::Frame(m) => write!(f, "machine frame {m:#x} does not fit a grant entry"),
        }
    }
}

fn bit(set: &[AtomicU64], i: usize) -> bool {
    set[i / 64].load(Ordering::Relaxed) & (1 << (i % 64)) != 0
}

fn put(set: &[AtomicU64], i: usize, used: bool) {
    let b = 1u64 << (i % 64);
    if used {
        set[i / 64].fetch_or(b, Ordering::Relaxed);
    } else {
        set[i / 64].fetch_and(!b, Ordering::Relaxed);
    }
}

fn table() -> *mut u8 {
    (&raw mut TABLE_SLOT).cast()
}

fn pool_page(i: usize) -> *mut u8 {
    (&raw mut POOL).cast::<PageSlot>().wrapping_add(i).cast()
}

/// Sets up the grant table and maps its frame, once.
fn ensure_table() -> Result<(), ShareError> {
    if TABLE_READY.load(Ordering::Acquire) {
        return Ok(());
    }
    let mut frames = [0u64; 1];
    let mut op = GnttabSetupTable {
        dom: DOMID_SELF,
        nr_frames: 1,
        frame_list: frames.as_mut_ptr() as u64,
        ..Default::default()
    };
    // SAFETY: one `struct gnttab_setup_table` whose frame list lives on
    // this stack frame for the call.
    let rc = unsafe { hypercall::grant_table_op(gnttabop::SETUP_TABLE, &mut op, 1) };
    if rc != 0 || op.status != abi::GNTST_OKAY {
        return Err(ShareError::SetupTable(rc, op.status));
    }
    let pte = (frames[0] << 12) | abi::PTE_DATA;
    // SAFETY: the slot is a page of the image used for nothing else; no
    // reference into it exists.
    let rc = unsafe { hypercall::update_va_mapping(table() as u64, pte, abi::UVMF_INVLPG) };
    if rc != 0 {
        return Err(ShareError::MapTable(rc));
    }
    TABLE_READY.store(true, Ordering::Release);
    Ok(())
}

fn take_pages(n: usize) -> Option<usize> {
    if n == 0 || n > POOL_PAGES {
        return None;
    }
    let first = (0..=POOL_PAGES - n).find(|&s| (s..s + n).all(|i| !bit(&PAGE_USED, i)))?;
    (first..first + n).for_each(|i| put(&PAGE_USED, i, true));
    Some(first)
}

fn take_ref() -> Option<u32> {
    let r = (RESERVED_ENTRIES..TABLE_ENTRIES).find(|&r| !bit(&REF_USED, r))?;
    put(&REF_USED, r, true);
    Some(r as u32)
}

/// A run of our pages, contiguous, granted to one domain; revoked on drop.
pub struct Shared<'p> {
    platform: &'p Platform,
    first: usize,
    grefs: Vec<u32>,
    reserved: usize,
}

impl<'p> Shared<'p> {
    /// Zeroes `pages` pages of the pool and grants them, read-write, to
    /// domain `dom`.
    pub fn grant(platform: &'p Platform, dom: u16, pages: usize) -> Result<Self, ShareError> {
        ensure_table()?;
        let first = take_pages(pages).ok_or(ShareError::NoPages(pages))?;
        let mut shared = Shared {
            platform,
            first,
            grefs: Vec::with_capacity(pages),
            reserved: pages,
        };
        for i in 0..pages {
            let page = pool_page(first + i);
            // SAFETY: a pool page taken above, not granted yet: ours alone.
            unsafe { core::ptr::write_bytes(page, 0, PAGE_SIZE) };
            let pfn = page as u64 / PAGE_SIZE as u64;
            let mfn = platform.pfn_to_mfn(pfn).ok_or(ShareError::Frame(pfn))?;
            let frame = u32::try_from(mfn).map_err(|_| ShareError::Frame(mfn))?;
            // Dropping the partial run revokes what was granted.
            let gref = take_ref().ok_or(ShareError::NoEntries)?;
            // SAFETY: a free entry of the mapped table, 8-aligned.
            unsafe { entry::grant(entry_ptr(gref), dom, frame, false) };
            shared.grefs.push(gref);
        }
        Ok(shared)
    }

    /// The first byte of the run; the pages follow contiguously. The peer
    /// may write them at any time.
    pub fn ptr(&self) -> *mut u8 {
        pool_page(self.first)
    }

    /// The grant references, one per page, in order.
    pub fn grefs(&self) -> &[u32] {
        &self.grefs
    }

    /// Revokes every grant, trying for a while (the peer unmaps as it
    /// closes), and frees what was revoked; returns how many pages the
    /// peer still maps, which stay out of use for good.
    pub fn revoke(mut self) -> usize {
        let deadline = self.platform.deadline_ms(REVOKE_MS);
        loop {
            let kept = self.try_revoke();
            if kept == 0 || self.platform.now() >= deadline {
                return kept;
            }
            self.platform
                .sleep_until(self.platform.deadline_ms(20).min(deadline));
        }
    }

    /// One pass over the grants still held: the number left.
    fn try_revoke(&mut self) -> usize {
        let mut kept = 0;
        for (i, gref) in self.grefs.iter_mut().enumerate() {
            if *gref == u32::MAX {
                continue;
            }
            // SAFETY: an entry this run granted.
            if unsafe { entry::revoke(entry_ptr(*gref)) } {
                put(&REF_USED, *gref as usize, false);
                put(&PAGE_USED, self.first + i, false);
                *gref = u32::MAX;
            } else {
                kept += 1;
            }
        }
        kept
    }
}

fn entry_ptr(gref: u32) -> *mut u8 {
    table().wrapping_add(gref as usize * entry::ENTRY_SIZE)
}

impl Drop for Shared<'_> {
    fn drop(&mut self) {
        self.try_revoke();
        // Pages taken but never granted were never the peer's.
        for i in self.grefs.len()..self.reserved {
            put(&PAGE_USED, self.first + i, false);
        }
        self.grefs.clear();
        self.reserved = 0;
    }
}
