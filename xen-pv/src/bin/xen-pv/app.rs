//! The unikernel-link example application, run in the unikernel (feature
//! `app`): its scenario (`unikernel-link/examples/app/scenario.rs`) and its
//! two descriptions, the very files its host builds compile, over the
//! project's Isolated client on two vchans to the library guest dom0 names
//! (the same `app-domain xen` server the dom0 build uses, serving this
//! domain). Each line it prints is a line the linked build prints on the
//! host; the harness compares them.

use alloc::boxed::Box;
use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use core::cell::RefCell;

use ffi_desc::isolated::IsolatedLinkage;
use xen_pv::channel::{ChannelOptions, VchanChannel};
use xen_pv::platform::Platform;
use xen_pv::println;
use xen_pv::vchan::VchanClient;
use xen_pv::xenstore::XenStore;

#[path = "../../../../unikernel-link/examples/app/scenario.rs"]
mod scenario;
#[path = "../../../../unikernel-link/examples/app/vocab.rs"]
mod vocab;
#[path = "../../../../unikernel-link/examples/app/zlib.rs"]
mod zlib;

use vocab::vocab::{Color, Vocab, VocabIsolated};
use zlib::zlib::ZlibIsolated;

/// How long the library guest may take to publish a vchan.
const CONNECT_MS: u64 = 120_000;

/// What glibc's `strerror` says of the errno values the C libraries set,
/// as Rust's `std::io::Error` prints them: the scenario's line must read as
/// on the host, and the unikernel has no C library to ask.
fn errno_message(errno: ffi_desc::Errno) -> String {
    let text = match errno.0 {
        1 => "Operation not permitted",
        2 => "No such file or directory",
        4 => "Interrupted system call",
        5 => "Input/output error",
        9 => "Bad file descriptor",
        11 => "Resource temporarily unavailable",
        12 => "Cannot allocate memory",
        13 => "Permission denied",
        14 => "Bad address",
        17 => "File exists",
        22 => "Invalid argument",
        28 => "No space left on device",
        33 => "Numerical argument out of domain",
        34 => "Numerical result out of range",
        n => return format!("Unknown error {n} (os error {n})"),
    };
    format!("{text} (os error {})", errno.0)
}

/// A linkage `L` over a vchan to `port` of the library guest `server`.
fn connect<L: IsolatedLinkage>(
    platform: &'static Platform,
    xs: &Rc<RefCell<XenStore<'static>>>,
    server: u16,
    domid: u16,
    port: &str,
) -> Result<L, String> {
    let path = format!("/local/domain/{server}/data/vchan/{domid}/{port}");
    let xs = xs.clone();
    let connector = Box::new(move || {
        let deadline = platform.deadline_ms(CONNECT_MS);
        VchanClient::connect(platform, &mut xs.borrow_mut(), server, &path, deadline)
    });
    let ch = VchanChannel::open(
        platform,
        L::FINGERPRINT,
        ChannelOptions::default(),
        connector,
    )
    .map_err(|e| format!("{port}: {e}"))?;
    Ok(L::from_channel(Box::new(ch)))
}

/// Runs the scenario against the library guest `server`.
pub fn run(
    platform: &'static Platform,
    xs: &Rc<RefCell<XenStore<'static>>>,
    server: u16,
    domid: u16,
) -> Result<(), String> {
    let t0 = platform.now();
    let vocab: VocabIsolated = connect(platform, xs, server, domid, "vocab")?;
    let zlib: ZlibIsolated = connect(platform, xs, server, domid, "zlib")?;
    let connected = platform.now().since(t0);
    let t1 = platform.now();
    let lines = scenario::scenario(&vocab, &zlib).map_err(|e| format!("{e}"))?;
    let ran = platform.now().since(t1);
    for line in &lines {
        println!("xen-pv app: {line}");
    }
    let calls = 200u64;
    let t2 = platform.now();
    for _ in 0..calls {
        vocab.color_next(Color::Red).map_err(|e| format!("{e}"))?;
    }
    let round_trip = platform.now().since(t2) / calls;
    println!(
        "xen-pv: app: connected to vocab and zlib in {} ms, scenario in {} ms, call round trip {} us",
        connected / 1_000_000,
        ran / 1_000_000,
        round_trip / 1000
    );
    Ok(())
}
