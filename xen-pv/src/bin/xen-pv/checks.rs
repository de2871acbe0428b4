//! What the unikernel checks of its platform, one console line each:
//! XenStore (read, write, directory, permissions, a transaction, a watch),
//! event channels (a loopback pair: send, poll, a poll that times out),
//! and, when dom0 names a vchan server, a vchan to it.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use xen_pv::platform::Platform;
use xen_pv::println;
use xen_pv::xenstore::{Tx, XenStore};

use crate::vchan_check;

/// Runs the checks over `xs`; the first failure ends them. Returns our
/// domain id.
pub fn run(platform: &Platform, xs: &mut XenStore<'_>) -> Result<u16, String> {
    let started = platform.now();
    let cmdline = String::from_utf8_lossy(platform.cmdline()).into_owned();
    println!("xen-pv: command line \"{cmdline}\"");
    let squares: Vec<u64> = (1..=1000u64).map(|i| i * i).collect();
    println!(
        "xen-pv: heap: 1000 squares sum to {}",
        squares.iter().sum::<u64>()
    );
    let domid = read_domid(xs)?;
    println!("xen-pv: domid {domid}");
    store_checks(xs, domid)?;
    watch_check(platform, xs)?;
    event_checks(platform, domid)?;
    vchan_check::run(platform, xs, domid)?;
    println!(
        "xen-pv: checks took {} ms of Xen system time",
        platform.now().since(started) / 1_000_000
    );
    Ok(domid)
}

pub fn read_domid(xs: &mut XenStore<'_>) -> Result<u16, String> {
    let raw = xs
        .read(Tx::NONE, "domid")
        .map_err(|e| format!("read domid: {e}"))?;
    core::str::from_utf8(&raw)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            format!(
                "domid {:?} is not a domain id",
                String::from_utf8_lossy(&raw)
            )
        })
}

fn store_checks(xs: &mut XenStore<'_>, domid: u16) -> Result<(), String> {
    let e = |what: &str| {
        let what = String::from(what);
        move |err| format!("XenStore {what}: {err}")
    };
    xs.write(Tx::NONE, "data/xen-pv/greeting", b"hello")
        .map_err(e("write"))?;
    let back = xs
        .read(Tx::NONE, "data/xen-pv/greeting")
        .map_err(e("read"))?;
    if back != b"hello" {
        return Err(format!("XenStore read back {back:?}"));
    }
    // Owned by us, readable by dom0, nobody else.
    let owner = format!("n{domid}");
    xs.set_perms(Tx::NONE, "data/xen-pv/greeting", &[&owner, "r0"])
        .map_err(e("set_perms"))?;
    let tx = xs.transaction_start().map_err(e("transaction start"))?;
    xs.write(tx, "data/xen-pv/in-transaction", b"committed")
        .map_err(e("write in a transaction"))?;
    xs.transaction_end(tx, true).map_err(e("transaction end"))?;
    let names = xs
        .directory(Tx::NONE, "data/xen-pv")
        .map_err(e("directory"))?;
    let listed: Vec<String> = names
        .iter()
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();
    if !listed.iter().any(|n| n == "in-transaction") {
        return Err(format!("XenStore directory lists {listed:?}"));
    }
    let missing = xs
        .read_opt(Tx::NONE, "data/xen-pv/never-written")
        .map_err(e("read of a missing node"))?;
    if missing.is_some() {
        return Err("a node never written reads as present".into());
    }
    println!(
        "xen-pv: xenstore: wrote and read back data/xen-pv/greeting, set its permissions, committed a transaction, listed {listed:?}"
    );
    Ok(())
}

fn watch_check(platform: &Platform, xs: &mut XenStore<'_>) -> Result<(), String> {
    let e = |err| format!("XenStore watch: {err}");
    let path = "data/xen-pv/watched";
    xs.watch(path, "w1").map_err(e)?;
    let deadline = platform.deadline_ms(5_000);
    // The daemon fires a new watch once, at once.
    let first = xs.wait_watch(deadline).map_err(e)?;
    xs.write(Tx::NONE, path, b"1").map_err(e)?;
    let t0 = platform.now();
    let fired = loop {
        let ev = xs.wait_watch(deadline).map_err(e)?;
        if ev.token == b"w1" && ev.path.ends_with(path.as_bytes()) {
            break ev;
        }
    };
    let took = platform.now().since(t0);
    xs.unwatch(path, "w1").map_err(e)?;
    println!(
        "xen-pv: xenstore watch: first event for {}, then {} fired {} us after the write",
        String::from_utf8_lossy(&first.path),
        String::from_utf8_lossy(&fired.path),
        took / 1000
    );
    Ok(())
}

fn event_checks(platform: &Platform, domid: u16) -> Result<(), String> {
    let e = |err| format!("event channel: {err}");
    // A loopback pair: a port for ourselves, and our own binding to it.
    let a = platform.alloc_unbound(domid).map_err(e)?;
    let b = platform.bind_interdomain(domid, a.0).map_err(e)?;
    platform.unmask(a).map_err(e)?;
    platform.take_pending(a);
    let t0 = platform.now();
    platform.notify(b).map_err(e)?;
    platform.poll(&[a], t0.after_ms(1_000)).map_err(e)?;
    if !platform.take_pending(a) {
        return Err("event channel: the send did not arrive".into());
    }
    let sent = platform.now().since(t0);
    // Nothing will come: the poll must end at its timeout, not before.
    let t1 = platform.now();
    let deadline = t1.after_ms(50);
    let mut woke = 0;
    while platform.poll(&[a], deadline).is_ok() {
        woke += 1;
        if woke > 100 {
            return Err("event channel: a poll never timed out".into());
        }
    }
    let waited = platform.now().since(t1);
    if waited < 50_000_000 {
        return Err(format!(
            "event channel: a 50 ms poll ended after {waited} ns"
        ));
    }
    platform.close_port(b).map_err(e)?;
    platform.close_port(a).map_err(e)?;
    println!(
        "xen-pv: event channels: loopback send polled in {} us, a 50 ms poll timed out after {} ms",
        sent / 1000,
        waited / 1_000_000
    );
    Ok(())
}
