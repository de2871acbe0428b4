//! The bulk region of a Xen connection over the in-process ring, with
//! grants stood in for by memfds a registry names by number: the handshake
//! that asks for and hands out the region, calls whose buffers go through
//! it (checked in the server's own pages), buffers larger than it, and
//! hostile servers and clients.

use super::*;
use crate::shm::{SharedMemory, PAGE_SIZE};
use crate::wire::{Header, Kind, HEADER_LEN};
use ffi_desc::bulk::{SegmentDir, TableEntry, NO_CPU};
use ffi_desc::wire::Wire;
use std::sync::atomic::{AtomicU32, Ordering};

/// Three libc functions whose buffers are segments (the C side every test
/// process has): an input, an output and an in-out buffer.
#[ffi_desc::foreign(library = "c", header = "string.h", link = false)]
mod bulk_desc {
    pub trait Bytes {
        fn strnlen(s: In<[u8], len = max>, max: size_t) -> size_t;
        /// Returns its first argument, a pointer: read as a number here.
        fn memset(s: Out<[u8], cap = n>, c: c_int, n: size_t) -> size_t;
        /// XORs each byte with 42; returns its first argument.
        fn memfrob(s: InOut<[u8], len = n>, n: size_t) -> size_t;
    }
}

use bulk_desc::Bytes;

const MIB: usize = 1 << 20;

/// The stand-in grant table: each region's first reference and its pages.
static GRANTED: Mutex<Vec<(u32, Arc<SharedMemory>)>> = Mutex::new(Vec::new());
static NEXT_REF: AtomicU32 = AtomicU32::new(1000);

/// The region a granted reference starts, if one does.
fn granted(first: u32) -> Option<Arc<SharedMemory>> {
    let g = GRANTED.lock().unwrap();
    g.iter().find(|(r, _)| *r == first).map(|(_, m)| m.clone())
}

/// A [`RingLink`] that grants and maps through the registry.
struct Granting(RingLink);

impl Link for Granting {
    fn write_all(&mut self, data: &[u8], deadline: Option<Instant>) -> Result<(), LinkError> {
        self.0.write_all(data, deadline)
    }

    fn read_exact(&mut self, buf: &mut [u8], deadline: Option<Instant>) -> Result<(), LinkError> {
        self.0.read_exact(buf, deadline)
    }

    fn share_pages(&mut self, pages: usize) -> Result<(SharedMemory, Vec<u32>), LinkError> {
        let whole = Arc::new(
            SharedMemory::create(pages * PAGE_SIZE)
                .map_err(|e| LinkError::Failed(e.to_string()))?,
        );
        let first = NEXT_REF.fetch_add(pages as u32, Ordering::Relaxed);
        GRANTED.lock().unwrap().push((first, whole.clone()));
        let mine = SharedMemory::part(&whole, 0, whole.len()).expect("the whole");
        Ok((mine, (first..first + pages as u32).collect()))
    }

    /// Maps consecutive references from a region's first: as `gntdev`, it
    /// fails for any reference that names no granted page.
    fn map_grants(&mut self, refs: &[u32]) -> Result<SharedMemory, LinkError> {
        let whole = granted(refs[0]).ok_or(LinkError::Failed("no such grant".into()))?;
        let consecutive = refs.iter().zip(refs[0]..).all(|(r, want)| *r == want);
        let len = refs.len() * PAGE_SIZE;
        if !consecutive || len > whole.len() {
            return Err(LinkError::Failed("no such grant".into()));
        }
        Ok(SharedMemory::part(&whole, 0, len).expect("inside"))
    }
}

/// A client of `bulk_desc` asking for `ask` bytes of region, served (once
/// per connection) by a granting server bounded by `max_bulk`; how each
/// connection ended goes to the receiver.
fn bulk_lib(
    ask: usize,
    max_bulk: usize,
) -> (
    bulk_desc::BytesIsolated,
    mpsc::Receiver<Result<Served, String>>,
) {
    let (tx, rx) = mpsc::channel();
    let tx = Mutex::new(tx);
    let connect: client::Connector = Box::new(move |_, _| {
        let tx = tx.lock().unwrap().clone();
        let (client, server) = ring_pair();
        std::thread::spawn(move || {
            let mut link = Granting(server);
            let served = serve_link_granting(bulk_desc::server(), &mut link, 1 << 30, max_bulk);
            let _ = tx.send(served);
        });
        Ok(Box::new(Granting(client)) as Box<dyn Link>)
    });
    let mut o = options();
    o.bulk_region = ask;
    let d = XenDomain::with_connector(o, bulk_desc::FINGERPRINT, connect).unwrap();
    (bulk_desc::BytesIsolated::with_channel(Box::new(d)), rx)
}

/// Both ends of a fresh in-process ring: the client's, the server's.
fn ring_pair() -> (RingLink, RingLink) {
    let layout = RingLayout::new(12, 12).unwrap();
    let shm = Arc::new(SharedMemory::create_for(layout).unwrap());
    let server = Endpoint::create(shm.clone(), Side::Server, layout).unwrap();
    let client = Endpoint::attach(shm, Side::Client).unwrap();
    (RingLink(client), RingLink(server))
}

fn xen(lib: &bulk_desc::BytesIsolated) -> &XenDomain {
    lib.channel().as_any().downcast_ref::<XenDomain>().unwrap()
}

/// The server's pages behind the client's current region.
fn servers_pages(lib: &bulk_desc::BytesIsolated) -> Arc<SharedMemory> {
    let g = GRANTED.lock().unwrap();
    let len = xen(lib).bulk_region_len().unwrap();
    // The newest region of that size: this connection's.
    g.iter()
        .rev()
        .find(|(_, m)| m.len() == len)
        .unwrap()
        .1
        .clone()
}

fn byte_at(m: &SharedMemory, i: usize) -> u8 {
    assert!(i < m.len());
    // SAFETY: inside the mapping; no call is running.
    unsafe { m.as_ptr().add(i).read_volatile() }
}

#[test]
fn one_mib_buffers_go_through_the_granted_pages() {
    let (lib, _served) = bulk_lib(MIB, 2 * MIB);
    assert_eq!(xen(&lib).bulk_region_len(), Some(MIB));
    let pages = servers_pages(&lib);
    // In: C reads the bytes in the region.
    let mut input = vec![b'x'; MIB];
    input[700_000] = 0;
    assert_eq!(lib.strnlen(&input).unwrap(), 700_000);
    assert_eq!(byte_at(&pages, 699_999), b'x');
    // Out: C writes them there, the client copies them out.
    let mut out = vec![0u8; MIB];
    lib.memset(&mut out, 0x5a).unwrap();
    assert!(out.iter().all(|&b| b == 0x5a));
    assert_eq!(byte_at(&pages, MIB - 1), 0x5a);
    // In-out, in place.
    let original: Vec<u8> = (0..MIB).map(|i| (i * 7 % 251) as u8).collect();
    let mut buf = original.clone();
    lib.memfrob(&mut buf).unwrap();
    assert!(buf.iter().zip(&original).all(|(a, b)| *a == b ^ 42));
    assert_eq!(byte_at(&pages, 1), original[1] ^ 42);
}

#[test]
fn a_buffer_larger_than_the_region_travels_inline() {
    let (lib, _served) = bulk_lib(64 << 10, 2 * MIB);
    assert_eq!(xen(&lib).bulk_region_len(), Some(64 << 10));
    let pages = servers_pages(&lib);
    let mut out = vec![0u8; MIB];
    lib.memset(&mut out, 0x77).unwrap();
    assert!(out.iter().all(|&b| b == 0x77));
    // Not through the region.
    assert_eq!(byte_at(&pages, 0), 0);
    // One that fits goes there.
    let mut small = vec![0u8; 32 << 10];
    lib.memset(&mut small, 0x11).unwrap();
    assert!(small.iter().all(|&b| b == 0x11));
    assert_eq!(byte_at(&pages, 0), 0x11);
}

#[test]
fn the_server_grants_at_most_its_bound() {
    let (lib, _served) = bulk_lib(4 * MIB, 256 << 10);
    assert_eq!(xen(&lib).bulk_region_len(), Some(256 << 10));
    let mut out = vec![0u8; MIB];
    lib.memset(&mut out, 3).unwrap();
    assert!(out.iter().all(|&b| b == 3));
}

#[test]
fn without_a_region_the_buffers_travel_inline() {
    // A server that grants none, and one whose link cannot grant.
    let (lib, _served) = bulk_lib(MIB, 0);
    assert_eq!(xen(&lib).bulk_region_len(), None);
    let mut out = vec![0u8; MIB];
    lib.memset(&mut out, 4).unwrap();
    assert!(out.iter().all(|&b| b == 4));
    let (connect, _served) = connector(bulk_desc::server());
    let mut o = options();
    o.bulk_region = MIB;
    let d = XenDomain::with_connector(o, bulk_desc::FINGERPRINT, connect).unwrap();
    let lib = bulk_desc::BytesIsolated::with_channel(Box::new(d));
    assert_eq!(xen(&lib).bulk_region_len(), None);
    // (That server's frames are bounded at 1 MiB.)
    let mut buf = vec![1u8; 256 << 10];
    lib.memfrob(&mut buf).unwrap();
    assert!(buf.iter().all(|&b| b == 1 ^ 42));
}

#[test]
fn each_connection_has_its_own_region() {
    let (lib, served) = bulk_lib(MIB, MIB);
    let first = servers_pages(&lib);
    let mut out = vec![0u8; MIB];
    lib.memset(&mut out, 1).unwrap();
    xen(&lib).disconnect();
    assert_eq!(served.recv().unwrap(), Ok(Served::Closed));
    lib.memset(&mut out, 2).unwrap();
    assert!(out.iter().all(|&b| b == 2));
    let second = servers_pages(&lib);
    assert_ne!(first.as_ptr(), second.as_ptr());
    assert_eq!((byte_at(&first, 0), byte_at(&second, 0)), (1, 2));
}

/// What a [`rogue_grants`] server does after its hello.
#[derive(Clone, Copy, Debug)]
enum Grant {
    /// A welcome of the fingerprint and these bytes.
    Welcome(&'static [u8]),
    /// A real region, then a reply to the first call claiming one byte
    /// more written into each segment than it holds.
    Overclaim,
}

/// A server that answers the hello as `how` says, on the client's end.
fn rogue_grants(how: Grant) -> Granting {
    let (client, server) = ring_pair();
    std::thread::spawn(move || {
        let mut link = Granting(server);
        let d = Some(Instant::now() + Duration::from_secs(20));
        let recv = |link: &mut Granting| -> Option<(Header, Vec<u8>)> {
            let mut raw = [0u8; HEADER_LEN];
            link.read_exact(&mut raw, d).ok()?;
            let h = Header::decode(&raw, 1 << 24).ok()?;
            let mut payload = vec![0u8; h.len as usize];
            link.read_exact(&mut payload, d).ok()?;
            Some((h, payload))
        };
        let send = |link: &mut Granting, kind, h: &Header, payload: &[u8]| {
            let f = Header::encode_for(kind, h.index, h.call_id, payload).unwrap();
            link.write_all(&f, d)
                .and_then(|()| link.write_all(payload, d))
        };
        let Some((hello, _)) = recv(&mut link) else {
            return;
        };
        let mut welcome = bulk_desc::FINGERPRINT.to_vec();
        let _region = match how {
            Grant::Welcome(rest) => {
                welcome.extend_from_slice(rest);
                None
            }
            Grant::Overclaim => {
                let (region, refs) = link.share_pages(4).unwrap();
                welcome.extend_from_slice(&crate::xen::grant::encode_refs(&refs));
                Some(region)
            }
        };
        if send(&mut link, Kind::Welcome, &hello, &welcome).is_err() {
            return;
        }
        let Some((call, payload)) = recv(&mut link) else {
            return;
        };
        let mut r = ffi_desc::wire::Reader::new(&payload);
        let table = TableEntry::get_table(&mut r).unwrap();
        let mut reply = Vec::new();
        for e in &table {
            (e.len + 1).put(&mut reply);
        }
        0u64.put(&mut reply);
        let _ = send(&mut link, Kind::Reply, &call, &reply);
        let _ = recv(&mut link);
    });
    Granting(client)
}

fn rogue_lib(how: Grant) -> Result<bulk_desc::BytesIsolated, ffi_desc::DomainFailure> {
    let connect: client::Connector =
        Box::new(move |_, _| Ok(Box::new(rogue_grants(how)) as Box<dyn Link>));
    let mut o = options();
    o.bulk_region = 4 * PAGE_SIZE;
    let d = XenDomain::with_connector(o, bulk_desc::FINGERPRINT, connect)?;
    Ok(bulk_desc::BytesIsolated::with_channel(Box::new(d)))
}

fn protocol(r: Result<bulk_desc::BytesIsolated, ffi_desc::DomainFailure>) -> String {
    match r {
        Err(ffi_desc::DomainFailure::Protocol { what }) => what,
        Err(other) => panic!("expected a protocol failure, got {other:?}"),
        Ok(_) => panic!("expected a protocol failure, the handshake passed"),
    }
}

#[test]
fn hostile_grant_lists_fail_the_handshake() {
    // References that name no grant: they do not map.
    let unmapped = protocol(rogue_lib(Grant::Welcome(&[1, 0, 0, 0, 9, 0, 0, 0])));
    assert!(unmapped.contains("do not map"), "{unmapped}");
    // More pages than asked (4).
    let mut five = vec![5, 0, 0, 0];
    five.extend_from_slice(&[0; 20]);
    let five: &'static [u8] = five.leak();
    let more = protocol(rogue_lib(Grant::Welcome(five)));
    assert!(more.contains("5 granted pages"), "{more}");
    // A count the list does not hold.
    let cut = protocol(rogue_lib(Grant::Welcome(&[2, 0, 0, 0, 9, 0, 0])));
    assert!(cut.contains("does not hold"), "{cut}");
    // Bytes that are no list.
    let junk = protocol(rogue_lib(Grant::Welcome(&[7])));
    assert!(junk.contains("does not hold"), "{junk}");
}

#[test]
fn a_grant_list_the_client_did_not_ask_for_fails_the_handshake() {
    let connect: client::Connector = Box::new(move |_, _| {
        Ok(Box::new(rogue_grants(Grant::Welcome(&[1, 0, 0, 0, 1, 0, 0, 0]))) as Box<dyn Link>)
    });
    // The default options ask for no region.
    let e = XenDomain::with_connector(options(), bulk_desc::FINGERPRINT, connect).unwrap_err();
    assert!(
        matches!(&e, ffi_desc::DomainFailure::Protocol { what } if what.contains("did not ask")),
        "{e:?}"
    );
}

#[test]
fn a_reply_claiming_more_than_a_segment_holds_fails_the_call() {
    let lib = rogue_lib(Grant::Overclaim).unwrap();
    assert_eq!(xen(&lib).bulk_region_len(), Some(4 * PAGE_SIZE));
    let before = lib.channel().generation();
    // At the threshold, and filling the region.
    let mut out = vec![9u8; 16 << 10];
    let e = lib.memset(&mut out, 1).unwrap_err();
    let what = match domain_failure(e) {
        ffi_desc::DomainFailure::Protocol { what } => what,
        other => panic!("{other:?}"),
    };
    assert!(what.contains("exceed"), "{what}");
    // Nothing was copied out, and the connection ended.
    assert!(out.iter().all(|&b| b == 9));
    assert_eq!(lib.channel().generation(), before + 1);
    assert_eq!(xen(&lib).bulk_region_len(), None);
}

/// The server checks each segment against its own grant, not against what
/// the client asked for or says.
#[test]
fn the_server_refuses_segments_outside_its_grant() {
    let (client, server) = ring_pair();
    let served = std::thread::spawn(move || {
        let mut link = Granting(server);
        serve_link_granting(bulk_desc::server(), &mut link, 1 << 24, 2 * PAGE_SIZE)
    });
    let mut link = client;
    let d = Some(Instant::now() + Duration::from_secs(20));
    let send = |link: &mut RingLink, kind, payload: &[u8]| {
        let f = Header::encode_for(kind, 2, 7, payload).unwrap();
        link.write_all(&f, d).unwrap();
        link.write_all(payload, d).unwrap();
    };
    let recv = |link: &mut RingLink| {
        let mut raw = [0u8; HEADER_LEN];
        link.read_exact(&mut raw, d).unwrap();
        let h = Header::decode(&raw, 1 << 24).unwrap();
        let mut payload = vec![0u8; h.len as usize];
        link.read_exact(&mut payload, d).unwrap();
        (h, payload)
    };
    // A hello asking for far more than the server grants.
    let mut hello = bulk_desc::FINGERPRINT.to_vec();
    hello.extend_from_slice(&ffi_desc::ir::IR_VERSION.to_le_bytes());
    hello.extend_from_slice(&1u32.to_le_bytes());
    hello.extend_from_slice(&(64u64 << 20).to_le_bytes());
    send(&mut link, Kind::Hello, &hello);
    let (h, welcome) = recv(&mut link);
    assert_eq!(h.kind, Kind::Welcome);
    let refs = crate::xen::grant::decode_refs(&welcome[16..], 1 << 14).unwrap();
    assert_eq!(refs.len(), 2);
    // memset (index 1) of a segment past the grant's two pages, and one
    // that starts inside and ends outside.
    for (offset, len) in [
        (2 * PAGE_SIZE as u64, 64u64),
        (PAGE_SIZE as u64, 2 * PAGE_SIZE as u64),
    ] {
        let mut call = Vec::new();
        1u32.put(&mut call);
        TableEntry {
            dir: SegmentDir::Out,
            offset,
            len,
            shared: false,
        }
        .put(&mut call);
        NO_CPU.put(&mut call);
        send(&mut link, Kind::BulkCall, &call);
        let (h, why) = recv(&mut link);
        assert_eq!(h.kind, Kind::Fault);
        assert_eq!(
            String::from_utf8_lossy(&why),
            "a segment outside the region"
        );
    }
    drop(link);
    assert_eq!(served.join().unwrap(), Ok(Served::Closed));
}
