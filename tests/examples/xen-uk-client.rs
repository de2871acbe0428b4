//! dom0's client of a unikernel that serves (`xen-e2e/`): the unikernel
//! (`xen-pv`, `serve` on its command line) grants a vchan page and
//! publishes it under `/local/domain/<uk>/data/vchan/0/rust`; this program
//! connects with Xen's own `libxenvchan` client (`VchanLink::client`) and
//! speaks the project's frames (`ffi_desc::frame`) to it: a session of
//! calls whose answers it checks against the same functions computed here,
//! then sessions that break the protocol (a foreign fingerprint, a length
//! of 4 GiB, bytes that are no frame, a frame cut short and left hanging),
//! each of which the unikernel must end with a `Refused` or a `Fault` and a
//! close, and a last session of calls that shows it still serves.
//!
//! Prints one line per check, without timings (the harness compares them
//! line for line), then one line of timings; exits non-zero on the first
//! answer that is wrong.
//!
//! Usage: `xen-uk-client <unikernel domid>`.

use std::time::{Duration, Instant};

use ffi_desc::frame::{Header, Kind, HEADER_LEN};
use ffi_isolate::xen::{vchan_path, Link, VchanLink};

const FINGERPRINT: [u8; 16] = *b"xen-pv: rust fns";
const FRAME: Duration = Duration::from_secs(20);

fn fail(what: String) -> ! {
    println!("FAIL: {what}");
    std::process::exit(1)
}

/// Connects to the vchan the unikernel publishes, waiting up to 60 s for
/// it; a vchan whose server already closed (`state` 0) is let go.
fn connect(uk: u16, path: &str) -> VchanLink {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match VchanLink::client(uk, path) {
            Ok(link) if link.state() == Ok(1) => return link,
            Ok(_) | Err(_) if Instant::now() < deadline => {}
            Ok(link) => fail(format!(
                "the vchan at {path} is in state {:?}",
                link.state()
            )),
            Err(e) => fail(format!("connect to {path}: {e}")),
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits (up to 20 s) for the unikernel to close the session: it removes
/// its entries before it clears its live byte, so the next connect cannot
/// reach this vchan again.
fn wait_closed(link: VchanLink) {
    let deadline = Instant::now() + FRAME;
    while !link.peer_closed() {
        if Instant::now() >= deadline {
            fail("the unikernel kept the session open".into());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn send(link: &mut VchanLink, kind: Kind, index: u32, call_id: u64, payload: &[u8]) {
    let header = Header::encode_for(kind, index, call_id, payload).expect("a small frame");
    let deadline = Some(Instant::now() + FRAME);
    let sent = link
        .write_all(&header, deadline)
        .and_then(|()| link.write_all(payload, deadline));
    if let Err(e) = sent {
        fail(format!("send {kind:?}: {e}"));
    }
}

fn recv(link: &mut VchanLink) -> (Header, Vec<u8>) {
    let deadline = Some(Instant::now() + FRAME);
    let mut raw = [0u8; HEADER_LEN];
    if let Err(e) = link.read_exact(&mut raw, deadline) {
        fail(format!("receive a header: {e}"));
    }
    let h = Header::decode(&raw, 1 << 20).unwrap_or_else(|e| fail(format!("a bad header: {e}")));
    let mut payload = vec![0u8; h.len as usize];
    if let Err(e) = link.read_exact(&mut payload, deadline) {
        fail(format!("receive a payload: {e}"));
    }
    (h, payload)
}

fn hello(link: &mut VchanLink, fingerprint: [u8; 16]) -> (Header, Vec<u8>) {
    let mut p = fingerprint.to_vec();
    p.extend_from_slice(&[0; 8]);
    send(link, Kind::Hello, 0, 1, &p);
    recv(link)
}

/// Calls function `index` with `args`: the reply's payload, or the
/// fault's reason as an error.
fn call(link: &mut VchanLink, index: u32, id: u64, args: &[u8]) -> Result<Vec<u8>, String> {
    send(link, Kind::Call, index, id, args);
    let (h, payload) = recv(link);
    if h.call_id != id {
        fail(format!("the answer to call {id} names call {}", h.call_id));
    }
    match h.kind {
        Kind::Reply => Ok(payload),
        Kind::Fault => Err(String::from_utf8_lossy(&payload).into_owned()),
        k => fail(format!("call {id} answered by {k:?}")),
    }
}

fn fnv1a64(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn open(uk: u16, path: &str) -> VchanLink {
    let mut link = connect(uk, path);
    match hello(&mut link, FINGERPRINT) {
        (h, fp) if h.kind == Kind::Welcome && fp == FINGERPRINT => link,
        (h, _) => fail(format!("our hello was answered by {:?}", h.kind)),
    }
}

/// The calls, each answer checked against the function computed here.
fn calls(uk: u16, path: &str) {
    let mut link = open(uk, path);
    println!(
        "session 1: welcomed by \"{}\"",
        String::from_utf8_lossy(&FINGERPRINT)
    );
    let data: Vec<u8> = (0..10_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let back = call(&mut link, 0, 2, &data).unwrap_or_else(|e| fail(e));
    let want: Vec<u8> = data.iter().rev().copied().collect();
    println!(
        "reverse of {} bytes, equal to Rust's reverse here: {}",
        data.len(),
        back == want
    );
    let nums: Vec<u8> = (1..=1000u32).flat_map(u32::to_le_bytes).collect();
    let sum = call(&mut link, 1, 3, &nums).unwrap_or_else(|e| fail(e));
    let sum = u64::from_le_bytes(
        sum.try_into()
            .unwrap_or_else(|_| fail("a sum of 8 bytes".into())),
    );
    println!("sum_u32 of 1..=1000 = {sum}");
    let text = b"hello, unikernel";
    let h = call(&mut link, 2, 4, text).unwrap_or_else(|e| fail(e));
    let h = u64::from_le_bytes(
        h.try_into()
            .unwrap_or_else(|_| fail("a hash of 8 bytes".into())),
    );
    println!(
        "fnv1a64 of \"hello, unikernel\" = {h:#018x}, as computed here: {}",
        h == fnv1a64(text)
    );
    for (index, args) in [(9, &b""[..]), (1, &b"abc"[..])] {
        match call(&mut link, index, 5, args) {
            Err(why) => println!("function {index} on {} bytes: fault \"{why}\"", args.len()),
            Ok(_) => fail(format!("function {index} on {} bytes answered", args.len())),
        }
    }
    call(&mut link, 3, 6, b"").unwrap_or_else(|e| fail(e));
    wait_closed(link);
    println!("bye: the unikernel closed the session");
}

/// Sessions that break the protocol: each must be refused or faulted, then
/// closed by the unikernel.
fn hostile(uk: u16, path: &str) {
    let mut link = connect(uk, path);
    match hello(&mut link, [0; 16]) {
        (h, fp) if h.kind == Kind::Refused && fp == FINGERPRINT => {
            println!("session 2: a foreign fingerprint, refused with the unikernel's")
        }
        (h, _) => fail(format!("a foreign hello answered by {:?}", h.kind)),
    }
    wait_closed(link);

    let mut link = open(uk, path);
    let mut header = Header::encode_for(Kind::Call, 0, 7, &[]).expect("a header");
    header[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
    let sent = link.write_all(&header, Some(Instant::now() + FRAME));
    sent.unwrap_or_else(|e| fail(format!("send: {e}")));
    match recv(&mut link) {
        (h, why) if h.kind == Kind::Fault => println!(
            "session 3: a call of 4 GiB, fault \"{}\"",
            String::from_utf8_lossy(&why)
        ),
        (h, _) => fail(format!("a 4 GiB call answered by {:?}", h.kind)),
    }
    wait_closed(link);

    let mut link = connect(uk, path);
    let junk: Vec<u8> = (0..64u8).map(|i| i.wrapping_mul(37) ^ 0x5a).collect();
    let sent = link.write_all(&junk, Some(Instant::now() + FRAME));
    sent.unwrap_or_else(|e| fail(format!("send: {e}")));
    match recv(&mut link) {
        (h, why) if h.kind == Kind::Fault => println!(
            "session 4: 64 bytes that are no frame, fault \"{}\"",
            String::from_utf8_lossy(&why)
        ),
        (h, _) => fail(format!("junk answered by {:?}", h.kind)),
    }
    wait_closed(link);

    let mut link = open(uk, path);
    let header = Header {
        kind: Kind::Call,
        index: 0,
        call_id: 8,
        len: 100,
    };
    let sent = link
        .write_all(&header.encode(), Some(Instant::now() + FRAME))
        .and_then(|()| link.write_all(&[1; 10], Some(Instant::now() + FRAME)));
    sent.unwrap_or_else(|e| fail(format!("send: {e}")));
    wait_closed(link);
    println!("session 5: a call cut short at 10 of 100 bytes, closed by the unikernel's deadline");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(uk) = args.get(1).and_then(|a| a.parse::<u16>().ok()) else {
        eprintln!("usage: xen-uk-client <unikernel domid>");
        std::process::exit(2)
    };
    let path = vchan_path(uk, 0, "rust");
    let t0 = Instant::now();
    calls(uk, &path);
    let t1 = Instant::now();
    hostile(uk, &path);
    let mut link = open(uk, &path);
    let back = call(&mut link, 0, 9, b"still serving").unwrap_or_else(|e| fail(e));
    println!(
        "session 6: reverse of \"still serving\" = \"{}\"",
        String::from_utf8_lossy(&back)
    );
    let t2 = Instant::now();
    let mut rtt = Vec::new();
    for id in 0..20 {
        let t = Instant::now();
        call(&mut link, 2, 10 + id, b"x").unwrap_or_else(|e| fail(e));
        rtt.push(t.elapsed());
    }
    rtt.sort();
    call(&mut link, 4, 99, b"").unwrap_or_else(|e| fail(e));
    wait_closed(link);
    println!("stop: the unikernel ended its service");
    println!(
        "TIMES first session {} ms, hostile sessions {} ms, a call's round trip {} us (median of 20)",
        (t1 - t0).as_millis(),
        (t2 - t1).as_millis(),
        rtt[10].as_micros()
    );
}
