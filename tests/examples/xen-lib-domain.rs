//! The library domain of the real-Xen harness (`xen-e2e/`): runs in a Xen
//! guest and serves the vocab, zlib and hostile descriptions to dom0, each
//! over its own vchan, published under this guest's own XenStore directory
//! (`/local/domain/<own id>/data/vchan/0/<port>`, written relative to it).
//!
//! Beside them, `badgrants` welcomes a client as the vocab server would,
//! then attacks its bulk region, one way per connection (see
//! [`bad_grants`]).
//!
//! One process serves all three, so a crash of any of the C libraries ends
//! the domain's server, as a crash ends a library domain; a supervisor
//! process publishes how it ended (`ffi_isolate::xen::supervise`).

use ffi_desc::frame::{Header, Kind, HEADER_LEN};
use ffi_isolate::xen::server::{run, supervise};
use ffi_isolate::xen::{Link, VchanLink, XenServeOptions};
use ffi_tests::{hostile::hostile, vocab::vocab, zlib::zlib};

fn main() {
    // The servers run in a child process; the supervisor publishes how it
    // ended, so that dom0 reports a crash as the signal it was.
    supervise(serve_all)
}

fn serve_all() {
    let serve = |spec: ffi_desc::isolated::ServerSpec, port: &str| {
        // A relative XenStore path is below the domain's own directory.
        let opts = XenServeOptions::new(0, format!("data/vchan/0/{port}"));
        let port = port.to_string();
        std::thread::spawn(move || {
            if let Err(e) = run(spec, &opts) {
                eprintln!("xen-lib-domain: {port}: {e}");
                std::process::exit(3)
            }
        })
    };
    let threads = [
        serve(vocab::server(), "vocab"),
        serve(zlib::server(), "zlib"),
        serve(hostile::server(), "hostile"),
        std::thread::spawn(bad_grants),
    ];
    println!("xen-lib-domain: serving vocab, zlib, hostile, badgrants");
    for t in threads {
        let _ = t.join();
    }
}

/// How `badgrants` answers its n-th client (the last one repeats).
const BAD_GRANTS: [&str; 4] = ["unmappable", "too-many", "overclaim", "revoked"];

/// A hostile server under `data/vchan/0/badgrants`: welcomes each client
/// with vocab's fingerprint, and, one way per connection:
///
/// | mode | what it does |
/// | --- | --- |
/// | `unmappable` | grant references that name no grant |
/// | `too-many` | one reference more than the pages asked for |
/// | `overclaim` | real pages; answers the first call claiming one byte more written into each segment than it holds |
/// | `revoked` | real pages; once the first call comes (the client has mapped them), unmaps them and ends their grants (closes the device), then answers the call as written in full |
fn bad_grants() {
    for n in 0.. {
        let mode = BAD_GRANTS[n.min(BAD_GRANTS.len() - 1)];
        let link = VchanLink::server(0, "data/vchan/0/badgrants", 64 << 10, 64 << 10);
        let mut link = match link {
            Ok(l) => l,
            Err(e) => {
                eprintln!("xen-lib-domain: badgrants: {e}");
                return;
            }
        };
        if let Err(e) = link
            .wait_connected(None)
            .map_err(|e| e.to_string())
            .and_then(|()| bad_grant_session(&mut link, mode))
        {
            eprintln!("xen-lib-domain: badgrants {mode}: {e}");
        }
    }
}

fn recv_frame(link: &mut VchanLink) -> Result<(Header, Vec<u8>), String> {
    let mut raw = [0u8; HEADER_LEN];
    link.read_exact(&mut raw, None).map_err(|e| e.to_string())?;
    let h = Header::decode(&raw, 64 << 20).map_err(|e| e.to_string())?;
    let mut payload = vec![0u8; h.len as usize];
    link.read_exact(&mut payload, None)
        .map_err(|e| e.to_string())?;
    Ok((h, payload))
}

fn send_frame(link: &mut VchanLink, h: &Header, kind: Kind, payload: &[u8]) -> Result<(), String> {
    let header = Header::encode_for(kind, h.index, h.call_id, payload).ok_or("too long")?;
    link.write_all(&header, None).map_err(|e| e.to_string())?;
    link.write_all(payload, None).map_err(|e| e.to_string())
}

fn refs_payload(refs: &[u32]) -> Vec<u8> {
    let mut p = vocab::FINGERPRINT.to_vec();
    p.extend_from_slice(&(refs.len() as u32).to_le_bytes());
    for r in refs {
        p.extend_from_slice(&r.to_le_bytes());
    }
    p
}

fn bad_grant_session(link: &mut VchanLink, mode: &str) -> Result<(), String> {
    let (hello, payload) = recv_frame(link)?;
    let asked = payload
        .get(24..32)
        .map(|b| u64::from_le_bytes(b.try_into().unwrap_or_default()))
        .ok_or("a hello that asks for no region")?;
    let pages = (asked as usize).div_ceil(4096).clamp(1, 1024);
    let region = match mode {
        "unmappable" => {
            let refs: Vec<u32> = (0..pages as u32).map(|i| 0x7fff_0000 + i).collect();
            return send_frame(link, &hello, Kind::Welcome, &refs_payload(&refs));
        }
        "too-many" => {
            let refs: Vec<u32> = (0..=pages as u32).collect();
            return send_frame(link, &hello, Kind::Welcome, &refs_payload(&refs));
        }
        _ => {
            let (region, refs) = link.share_pages(pages).map_err(|e| e.to_string())?;
            send_frame(link, &hello, Kind::Welcome, &refs_payload(&refs))?;
            region
        }
    };
    // The client mapped the pages before it could call.
    let (call, payload) = recv_frame(link)?;
    if call.kind != Kind::BulkCall {
        return Err(format!("a {:?} frame", call.kind));
    }
    if mode == "revoked" {
        // Unmapped here and the grants ended, mid-call, while the client
        // maps them.
        drop(region);
    }
    let mut r = ffi_desc::wire::Reader::new(&payload);
    let table = ffi_desc::bulk::TableEntry::get_table(&mut r).map_err(|e| e.to_string())?;
    let mut reply = Vec::new();
    let mut total = 0u64;
    for e in &table {
        let claim = if mode == "overclaim" {
            e.len + 1
        } else {
            e.len
        };
        reply.extend_from_slice(&claim.to_le_bytes());
        total += e.len;
    }
    // `fill` returns the bytes it wrote.
    reply.extend_from_slice(&total.to_le_bytes());
    send_frame(link, &call, Kind::Reply, &reply)?;
    // Wait for the client to close.
    let _ = recv_frame(link);
    Ok(())
}
