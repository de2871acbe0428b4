//! The unikernel: a 64-bit Xen PV guest with no libc and no C. It boots
//! (`boot.rs`), sets up its heap, says hello on the console, and runs its
//! checks of the platform (`checks.rs`); the harness (`scripts/xen-e2e`)
//! reads its console log and how it shut down.
#![no_std]
#![no_main]

extern crate alloc;

#[cfg(feature = "app")]
mod app;
mod boot;
mod checks;
#[cfg(feature = "app")]
mod fault;
mod mem;
mod serve;
mod vchan_check;

use xen_pv::abi::{ShutdownReason, StartInfo};
use xen_pv::heap::LockedHeap;
use xen_pv::platform::Platform;
use xen_pv::println;
use xen_pv::shutdown::shutdown;
use xen_pv::xenstore::XenStore;

/// Bytes of the heap.
const HEAP_SIZE: usize = 16 << 20;

#[repr(C, align(4096))]
struct Arena([u8; HEAP_SIZE]);

/// The heap's memory: part of the image's `.bss`, so the domain builder
/// has allocated and mapped it.
static mut ARENA: Arena = Arena([0; HEAP_SIZE]);

#[global_allocator]
static HEAP: LockedHeap = LockedHeap::empty();

/// Called by `_start` on the image's stack, with Xen's `start_info`.
#[no_mangle]
extern "C" fn xen_pv_main(start_info: *const StartInfo) -> ! {
    // SAFETY: `start_info` is what Xen passed in `rsi`; this runs once.
    let platform = match unsafe { Platform::boot(start_info) } {
        Ok(p) => p,
        // Without start_info there is no console: the crash is the report.
        Err(_) => shutdown(ShutdownReason::Crash),
    };
    let guard = boot::unmap_stack_guard();
    // SAFETY: the arena is used by nothing else, for the life of the domain.
    unsafe { HEAP.add_region((&raw mut ARENA).cast(), HEAP_SIZE) };
    println!("xen-pv: hello from a Rust PV guest: no libc, no C");
    println!(
        "xen-pv: {} pages, heap {} KiB, stack guard {}",
        platform.start_info().nr_pages,
        HEAP.free_bytes() >> 10,
        if guard == 0 { "unmapped" } else { "kept" }
    );
    match run(platform) {
        Ok(()) => {
            println!("xen-pv: all checks passed");
            shutdown(ShutdownReason::Poweroff)
        }
        Err(e) => {
            println!("xen-pv: FAIL: {e}");
            shutdown(ShutdownReason::Crash)
        }
    }
}

/// The checks, then (with feature `app`, when dom0 named a library guest)
/// the application; or, with `serve` on the command line, the serving mode.
fn run(platform: &'static Platform) -> Result<(), alloc::string::String> {
    let mut xs = XenStore::open(platform).map_err(|e| alloc::format!("open XenStore: {e}"))?;
    if platform
        .cmdline()
        .split(|&b| b == b' ')
        .any(|w| w == b"serve")
    {
        let me = checks::read_domid(&mut xs)?;
        println!("xen-pv: domid {me}");
        return serve::run(platform, &mut xs, me);
    }
    let domid = checks::run(platform, &mut xs)?;
    #[cfg(feature = "app")]
    if let Some(server) = vchan_check::server(&mut xs)? {
        let xs = alloc::rc::Rc::new(core::cell::RefCell::new(xs));
        app::run(platform, &xs, server, domid)?;
        fault::run(platform, &xs, domid)?;
    }
    let _ = domid;
    Ok(())
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    println!("xen-pv: panic: {info}");
    shutdown(ShutdownReason::Crash)
}

/// The prebuilt `alloc` and `core` (compiled for unwinding) keep cleanup
/// paths that end in `_Unwind_Resume`. Nothing unwinds here (a panic ends
/// the domain), so they are never taken; the symbol exists so that the image
/// links with nothing undefined.
#[no_mangle]
extern "C" fn _Unwind_Resume() -> ! {
    println!("xen-pv: unwinding is not supported");
    shutdown(ShutdownReason::Crash)
}

/// Named by the unwinding tables of the prebuilt libraries, which the
/// linker script discards; never called, for the reason above.
#[no_mangle]
extern "C" fn rust_eh_personality() {}
