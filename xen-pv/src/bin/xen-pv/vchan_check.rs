//! A vchan to a Linux guest's `libxenvchan` server, when dom0 names one in
//! our `data/vchan-server` key: connect, and open the project's protocol
//! with a hello for a description the server does not serve (all-zero
//! fingerprint). The server must answer `Refused` with its own
//! fingerprint: bytes both ways, through the mapped grants and the bound
//! event channel.

use alloc::format;
use alloc::string::String;

use ffi_desc::frame::{Header, Kind, HEADER_LEN};
use xen_pv::platform::Platform;
use xen_pv::println;
use xen_pv::vchan::VchanClient;
use xen_pv::xenstore::{Tx, XenStore};

/// How long the server's guest may take to boot and publish.
const CONNECT_MS: u64 = 120_000;

/// The library guest dom0 named in our `data/vchan-server`, if any.
pub fn server(xs: &mut XenStore<'_>) -> Result<Option<u16>, String> {
    let named = xs
        .read_opt(Tx::NONE, "data/vchan-server")
        .map_err(|e| format!("read data/vchan-server: {e}"))?;
    let Some(raw) = named else {
        return Ok(None);
    };
    core::str::from_utf8(&raw)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .map(Some)
        .ok_or_else(|| "data/vchan-server is not a domain id".into())
}

/// Runs the check if dom0 named a server.
pub fn run(platform: &Platform, xs: &mut XenStore<'_>, domid: u16) -> Result<(), String> {
    let Some(server) = server(xs)? else {
        println!("xen-pv: vchan: no server named");
        return Ok(());
    };
    let path = format!("/local/domain/{server}/data/vchan/{domid}/vocab");
    let t0 = platform.now();
    let mut vchan = VchanClient::connect(
        platform,
        xs,
        server,
        &path,
        platform.deadline_ms(CONNECT_MS),
    )
    .map_err(|e| format!("connect to {path}: {e}"))?;
    let connected = platform.now().since(t0);
    let (left, right) = vchan.ring_sizes();
    println!(
        "xen-pv: vchan: connected to {path} after {} ms (rings of {left} and {right} bytes)",
        connected / 1_000_000
    );
    let mut hello = [0u8; HEADER_LEN + 24];
    let hello_header = Header {
        kind: Kind::Hello,
        index: 0,
        call_id: 1,
        len: 24,
    };
    hello[..HEADER_LEN].copy_from_slice(&hello_header.encode());
    let t1 = platform.now();
    let deadline = platform.deadline_ms(10_000);
    let e = |err| format!("vchan exchange: {err}");
    vchan.send_all(&hello, deadline).map_err(e)?;
    let mut reply = [0u8; HEADER_LEN];
    vchan.recv_exact(&mut reply, deadline).map_err(e)?;
    match Header::decode(&reply, 16) {
        Ok(h) if h.kind == Kind::Refused && h.len == 16 => {}
        _ => {
            return Err(format!(
                "vchan: the answer to a foreign hello is {reply:02x?}"
            ))
        }
    }
    let mut fingerprint = [0u8; 16];
    vchan.recv_exact(&mut fingerprint, deadline).map_err(e)?;
    let round_trip = platform.now().since(t1);
    let hex: String = fingerprint.iter().map(|b| format!("{b:02x}")).collect();
    println!(
        "xen-pv: vchan: a foreign hello was refused by the server's description {hex} in {} us",
        round_trip / 1000
    );
    // The server ends the refused session: let it close before the
    // application connects, so that its connect meets the next vchan, not
    // this one closing.
    if !vchan
        .wait_server_closed(platform.deadline_ms(10_000))
        .map_err(e)?
    {
        return Err("vchan: the server kept a refused session open for 10 s".into());
    }
    drop(vchan);
    Ok(())
}
