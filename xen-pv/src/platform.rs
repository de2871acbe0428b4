//! What Xen hands the domain at boot, and the memory rules of a PV guest.
//!
//! The domain builder maps the image, the pfn-to-mfn list, `start_info`, the
//! XenStore and console rings, the page tables and the boot stack in one
//! run from virtual address 0 (the image's `VIRT_BASE`), so that the
//! virtual address of pseudo-physical frame `pfn` is `pfn * 4096`. Xen
//! names frames by machine number (mfn); its read-only machine-to-physical
//! table turns one into a pfn.

use core::cell::UnsafeCell;
use core::mem::MaybeUninit;
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::abi::{self, StartInfo};
use crate::hypercall;

/// Bytes in a page.
pub const PAGE_SIZE: usize = 4096;

/// A page of the image, aligned, that a foreign frame can be mapped over.
#[repr(C, align(4096))]
pub struct PageSlot(pub [u8; PAGE_SIZE]);

/// The domain's view of itself: a copy of `start_info`, and the shared info
/// page mapped into the image.
pub struct Platform {
    start: StartInfo,
    shared_info: *mut u8,
}

// SAFETY: the domain has one vCPU and takes no interrupts, so nothing runs
// concurrently with the code holding a `&Platform`; the pages its pointers
// name are shared with Xen and the peers, and only touched with atomics.
unsafe impl Sync for Platform {}

/// The platform, once [`Platform::boot`] has run.
struct Global {
    ready: AtomicBool,
    value: UnsafeCell<MaybeUninit<Platform>>,
}

// SAFETY: written once, before `ready` is set with release ordering; read
// only after `ready` is seen with acquire ordering.
unsafe impl Sync for Global {}

static GLOBAL: Global = Global {
    ready: AtomicBool::new(false),
    value: UnsafeCell::new(MaybeUninit::uninit()),
};

/// The platform [`Platform::boot`] set up, if it has run.
pub fn global() -> Option<&'static Platform> {
    if GLOBAL.ready.load(Ordering::Acquire) {
        // SAFETY: `ready` is set only after the value was written, once.
        Some(unsafe { (*GLOBAL.value.get()).assume_init_ref() })
    } else {
        None
    }
}

/// Why the platform could not be set up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BootError {
    /// `start_info`'s magic is not `xen-3.0-x86_64`.
    Magic,
    /// A frame named by `start_info` is outside the domain.
    Frame(u64),
    /// `update_va_mapping` of the shared info page failed.
    SharedInfo(i64),
}

impl core::fmt::Display for BootError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            BootError::Magic => write!(f, "start_info has no xen-3.0-x86_64 magic"),
            BootError::Frame(mfn) => write!(f, "machine frame {mfn:#x} is not the domain's"),
            BootError::SharedInfo(rc) => write!(f, "cannot map the shared info page ({rc})"),
        }
    }
}

/// The page the shared info frame is mapped over.
static mut SHARED_INFO_SLOT: PageSlot = PageSlot([0; PAGE_SIZE]);

/// Pages allocated to the domain, for [`pfn_in_domain`] (set once at boot).
static NR_PAGES: AtomicU64 = AtomicU64::new(0);

fn pfn_in_domain(pfn: u64) -> bool {
    pfn < NR_PAGES.load(Ordering::Relaxed)
}

/// The pfn of machine frame `mfn`, from Xen's machine-to-physical table, if
/// it is one of the domain's frames.
pub fn mfn_to_pfn(mfn: u64) -> Option<u64> {
    let entries = (abi::MACH2PHYS_VIRT_END - abi::MACH2PHYS_VIRT_START) / 8;
    if mfn >= entries {
        return None;
    }
    let entry = (abi::MACH2PHYS_VIRT_START + mfn * 8) as *const u64;
    // SAFETY: Xen maps the table read-only into every 64-bit PV guest; the
    // index is inside it. Entries of frames Xen has not populated may be
    // unmapped, but only the domain's own frames (named by Xen) are looked up.
    let pfn = unsafe { entry.read_volatile() };
    pfn_in_domain(pfn).then_some(pfn)
}

/// The virtual address of the domain's machine frame `mfn`.
pub fn mfn_to_va(mfn: u64) -> Option<*mut u8> {
    mfn_to_pfn(mfn).map(|pfn| (pfn as usize * PAGE_SIZE) as *mut u8)
}

impl Platform {
    /// Reads `start_info` (at the address Xen passed in `rsi`), maps the
    /// shared info page, and makes the platform [`global`].
    ///
    /// # Safety
    ///
    /// `start_info` must be the pointer Xen passed at entry, and this must
    /// be called once.
    pub unsafe fn boot(start_info: *const StartInfo) -> Result<&'static Platform, BootError> {
        if GLOBAL.ready.load(Ordering::Acquire) {
            return Ok(global().expect("ready"));
        }
        // SAFETY: as the caller vouches.
        let platform = unsafe { Self::set_up(start_info) }?;
        // SAFETY: the only write, before `ready` is set (one vCPU, called once).
        unsafe { (*GLOBAL.value.get()).write(platform) };
        GLOBAL.ready.store(true, Ordering::Release);
        Ok(global().expect("just set"))
    }

    /// # Safety
    ///
    /// As [`Platform::boot`].
    unsafe fn set_up(start_info: *const StartInfo) -> Result<Platform, BootError> {
        // SAFETY: Xen maps start_info read-write for the guest at boot.
        let start = unsafe { start_info.read_volatile() };
        if !start.magic.starts_with(b"xen-3.0-x86_64") {
            return Err(BootError::Magic);
        }
        NR_PAGES.store(start.nr_pages, Ordering::Relaxed);
        let slot = &raw mut SHARED_INFO_SLOT;
        let va = slot as u64;
        let pte = (start.shared_info & !(PAGE_SIZE as u64 - 1)) | abi::PTE_DATA;
        // SAFETY: the slot is a page of the image used for nothing else, and
        // nothing holds a reference into it.
        let rc = unsafe { hypercall::update_va_mapping(va, pte, abi::UVMF_INVLPG) };
        if rc != 0 {
            return Err(BootError::SharedInfo(rc));
        }
        for mfn in [start.store_mfn, start.console_mfn] {
            mfn_to_va(mfn).ok_or(BootError::Frame(mfn))?;
        }
        Ok(Platform {
            start,
            shared_info: slot.cast(),
        })
    }

    /// The copy of `start_info`.
    pub fn start_info(&self) -> &StartInfo {
        &self.start
    }

    /// The shared info page (Xen writes it at any time: atomics only).
    pub fn shared_info(&self) -> *mut u8 {
        self.shared_info
    }

    /// The console ring page and its event channel.
    pub fn console(&self) -> (*mut u8, u32) {
        let va = mfn_to_va(self.start.console_mfn).expect("checked at boot");
        (va, self.start.console_evtchn)
    }

    /// The XenStore ring page and its event channel.
    pub fn xenstore(&self) -> (*mut u8, u32) {
        let va = mfn_to_va(self.start.store_mfn).expect("checked at boot");
        (va, self.start.store_evtchn)
    }

    /// The command line, up to its first NUL.
    pub fn cmdline(&self) -> &[u8] {
        let line = &self.start.cmd_line;
        let end = line.iter().position(|&b| b == 0).unwrap_or(line.len());
        &line[..end]
    }

    /// The machine frame of the domain's pseudo-physical frame `pfn`, from
    /// the pfn-to-mfn list Xen built.
    pub fn pfn_to_mfn(&self, pfn: u64) -> Option<u64> {
        if !pfn_in_domain(pfn) {
            return None;
        }
        let list = self.start.mfn_list as *const u64;
        // SAFETY: the list has `nr_pages` entries, mapped at boot.
        Some(unsafe { list.add(pfn as usize).read_volatile() })
    }
}
