//! The crash scenario (feature `app`): the library guest's C crashes in a
//! call. A unikernel has no toolstack, so dom0 keeps its library guest for
//! it (`XenGuest::keep_for`, the launcher's restart logic): it names the
//! guest's current domain id in our `data/vchan-server`, and when the guest
//! dies writes `<domid> <report>` in `data/vchan-server-exit` and restarts
//! it. The call that crashed must fail with the typed death
//! (`DomainFailure::Signaled { 11, "SIGSEGV" }`, as a crashed process or a
//! dom0 client gives it), and the next call must reach the new incarnation
//! and succeed.

use alloc::boxed::Box;
use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use core::cell::{Cell, RefCell};

use ffi_desc::isolated::IsolatedLinkage;
use ffi_desc::DomainFailure;
use xen_pv::channel::{ChannelOptions, VchanChannel};
use xen_pv::death::relayed_death;
use xen_pv::platform::Platform;
use xen_pv::println;
use xen_pv::vchan::{VchanClient, VchanError};
use xen_pv::xenstore::{Tx, XenStore};

#[path = "../../../../tests/src/hostile.rs"]
mod hostile;

use hostile::hostile::{Hostile, HostileIsolated};

/// Where dom0 names the guest, relative to our own XenStore directory.
const SERVER_KEY: &str = "data/vchan-server";
/// Where dom0 says how an incarnation died.
const EXIT_KEY: &str = "data/vchan-server-exit";
/// How long the (restarted) guest may take to boot and publish.
const CONNECT_MS: u64 = 120_000;
/// How long a closed vchan waits for dom0's word on the death: dom0 looks
/// every 100 ms, then relays; a loaded emulation is slow.
const REPORT_WAIT_MS: u64 = 5_000;
/// How often a key is read again while waiting.
const POLL_MS: u64 = 50;

type Store = Rc<RefCell<XenStore<'static>>>;
/// The domain a connection last reached.
type Reached = Rc<Cell<Option<u16>>>;

/// A small number read from our XenStore; `None` if missing or malformed.
fn read_domid(xs: &Store, key: &str) -> Option<u16> {
    let raw = xs.borrow_mut().read_opt(Tx::NONE, key).ok()??;
    core::str::from_utf8(&raw).ok()?.trim().parse().ok()
}

/// The hostile description over a vchan to whichever guest dom0 names,
/// with its deaths told by dom0. Returns the linkage and the domain id it
/// last reached.
fn connect_kept(
    platform: &'static Platform,
    xs: &Store,
    domid: u16,
) -> Result<(HostileIsolated, Reached), String> {
    let reached: Reached = Rc::default();
    // The incarnation dom0 said is dead: never connected to again.
    let dead: Rc<Cell<Option<u16>>> = Rc::default();
    let (xs_c, reached_c, dead_c) = (xs.clone(), reached.clone(), dead.clone());
    let connector = Box::new(move || {
        let t0 = platform.now();
        let deadline = t0.after_ms(CONNECT_MS);
        // Until dom0 names a guest that is not the dead one.
        let server = loop {
            match read_domid(&xs_c, SERVER_KEY) {
                Some(id) if Some(id) != dead_c.get() => break id,
                named if platform.now() >= deadline => {
                    println!(
                        "xen-pv: fault: after {CONNECT_MS} ms dom0 still names {named:?} (dead: {:?})",
                        dead_c.get()
                    );
                    return Err(VchanError::Timeout);
                }
                _ => platform.sleep_until(platform.deadline_ms(POLL_MS)),
            }
        };
        if let Some(dead) = dead_c.get() {
            println!(
                "xen-pv: fault: dom0 named domain {server} in place of domain {dead} after {} ms",
                platform.now().since(t0) / 1_000_000
            );
        }
        reached_c.set(Some(server));
        let path = format!("/local/domain/{server}/data/vchan/{domid}/hostile");
        VchanClient::connect(platform, &mut xs_c.borrow_mut(), server, &path, deadline)
    });
    let (xs_r, reached_r) = (xs.clone(), reached.clone());
    let report = Box::new(move |deadline| {
        let server = reached_r.get()?;
        let until = platform.deadline_ms(REPORT_WAIT_MS).min(deadline);
        loop {
            let raw = xs_r
                .borrow_mut()
                .read_opt(Tx::NONE, EXIT_KEY)
                .ok()
                .flatten();
            if let Some(death) = raw.and_then(|raw| relayed_death(&raw, server)) {
                dead.set(Some(server));
                return Some(death);
            }
            if platform.now() >= until {
                return None;
            }
            platform.sleep_until(platform.deadline_ms(POLL_MS));
        }
    });
    let ch = VchanChannel::open(
        platform,
        HostileIsolated::FINGERPRINT,
        ChannelOptions::default(),
        connector,
    )
    .map_err(|e| format!("hostile: {e}"))?
    .with_death_report(report);
    Ok((HostileIsolated::from_channel(Box::new(ch)), reached))
}

/// Runs the scenario if dom0 keeps a guest for it.
pub fn run(platform: &'static Platform, xs: &Store, domid: u16) -> Result<(), String> {
    if read_domid(xs, SERVER_KEY).is_none() {
        println!("xen-pv: fault: no library guest named");
        return Ok(());
    }
    let e = |what: &'static str| move |err: ffi_desc::Error| format!("{what}: {err}");
    let (h, reached) = connect_kept(platform, xs, domid)?;
    let before = reached.get().unwrap_or(0);
    if h.ok(1).map_err(e("ok(1)"))? != 2 {
        return Err("ok(1) is not 2".into());
    }
    let t0 = platform.now();
    let err = match h.segfault() {
        Ok(v) => return Err(format!("segfault returned {v}")),
        Err(err) => err,
    };
    let failed_in = platform.now().since(t0);
    match &err {
        ffi_desc::Error::Domain {
            failure: DomainFailure::Signaled { signal: 11, name },
            ..
        } if name == "SIGSEGV" => {}
        other => return Err(format!("expected Signaled {{ 11, SIGSEGV }}, got {other}")),
    }
    let t1 = platform.now();
    if h.ok(41).map_err(e("ok(41) after the restart"))? != 42 {
        return Err("ok(41) is not 42 after the restart".into());
    }
    let after = reached.get().unwrap_or(0);
    if after == before {
        return Err(format!(
            "the call after the crash reached domain {after} again"
        ));
    }
    println!(
        "xen-pv: fault: segfault in domain {before} -> {err} after {} ms; the next call reached the restarted guest, domain {after}, in {} ms",
        failed_in / 1_000_000,
        platform.now().since(t1) / 1_000_000
    );
    Ok(())
}
