//! The unikernel's vchan data path against Xen's own `libxenvchan`
//! (Debian's `libxen-dev`), without a hypervisor: a control page and rings
//! in ordinary memory, `struct libxenvchan` filled in by hand for Xen's
//! side, as `libxenvchan_server_init` / `_client_init` leave it. Each side
//! streams pseudo-random bytes in random-sized pieces to the other, at
//! once, from two threads; both check every byte. Indices start just below
//! `u32::MAX`, so they wrap.
//!
//! Neither side ever waits for a signal: ours polls without asking to be
//! told, so Xen's side never signals its (absent) event channel; Xen's side
//! asks us to tell it, which we may ignore here.

use std::ffi::{c_char, c_int, c_uint, c_void};
use std::sync::atomic::{AtomicU16, AtomicU32, AtomicU8, Ordering};
use std::time::{Duration, Instant};

use xen_pv::vchan::endpoint::{
    Endpoint, Live, RingData, Side, CLI_LIVE, CLI_NOTIFY, LEFT_ORDER, NOTIFY_WRITE, RIGHT_ORDER,
    SRV_LIVE, SRV_NOTIFY,
};
use xen_pv::vchan::layout::{Layout, GRANTS_OFFSET};
use xen_pv::vchan::server::{init_control, ring_data};

/// `struct libxenvchan_ring` (`<libxenvchan.h>`).
#[repr(C)]
struct TheirRing {
    shr: *mut c_void,
    buffer: *mut c_void,
    order: c_int,
}

/// `struct libxenvchan` (`<libxenvchan.h>`, Xen 4.17).
#[repr(C)]
struct Libxenvchan {
    grant_handle: *mut c_void,
    ring: *mut c_void,
    event: *mut c_void,
    event_port: u32,
    /// The bit-fields `is_server:1, server_persist:1, blocking:1`, lowest first.
    flags: c_uint,
    read: TheirRing,
    write: TheirRing,
    xs_path: *mut c_char,
}

#[link(name = "xenvchan")]
extern "C" {
    fn libxenvchan_write(ctrl: *mut Libxenvchan, data: *const c_void, size: usize) -> c_int;
    fn libxenvchan_read(ctrl: *mut Libxenvchan, data: *mut c_void, size: usize) -> c_int;
}

const PAGE: usize = 4096;

/// The shared memory: the control page, then ring pages.
struct Shared {
    mem: Vec<u64>,
}

impl Shared {
    fn new(pages: usize) -> Shared {
        Shared {
            mem: vec![0; pages * PAGE / 8],
        }
    }
    fn base(&mut self) -> *mut u8 {
        self.mem.as_mut_ptr().cast()
    }
}

/// Where each ring is, for orders `(left, right)`: offsets into [`Shared`].
fn ring_offsets(left: u16, right: u16) -> (usize, usize, usize) {
    let place = |order: u16, next_page: &mut usize| {
        if order < 12 {
            1 << order
        } else {
            let at = *next_page * PAGE;
            *next_page += 1 << (order - 12);
            at
        }
    };
    let mut next = 1;
    let l = place(left, &mut next);
    let r = place(right, &mut next);
    (l, r, next)
}

/// splitmix64.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// A byte stream from a seed, with a cursor.
struct Stream {
    rng: Rng,
    made: Vec<u8>,
    pos: usize,
}

impl Stream {
    fn new(seed: u64, len: usize) -> Stream {
        let mut rng = Rng(seed);
        let made = (0..len).map(|_| rng.next() as u8).collect();
        Stream { rng, made, pos: 0 }
    }
    fn piece(&mut self) -> usize {
        let left = self.made.len() - self.pos;
        (1 + self.rng.next() as usize % 3000).min(left)
    }
}

/// Either end, as the exchange drives it.
trait Pipe {
    /// Writes what fits of `data`, without waiting.
    fn put(&mut self, data: &[u8]) -> usize;
    /// Reads what is ready into `buf`, without waiting.
    fn get(&mut self, buf: &mut [u8]) -> usize;
}

impl Pipe for Endpoint {
    fn put(&mut self, data: &[u8]) -> usize {
        self.try_send(data).unwrap().0
    }
    fn get(&mut self, buf: &mut [u8]) -> usize {
        self.try_recv(buf).unwrap().0
    }
}

/// Xen's end: a `struct libxenvchan` over the test's memory.
struct Theirs(*mut Libxenvchan);

fn count(r: c_int) -> usize {
    usize::try_from(r).expect("libxenvchan: the peer is gone")
}

impl Pipe for Theirs {
    fn put(&mut self, data: &[u8]) -> usize {
        // SAFETY: a complete struct libxenvchan over live memory, used by
        // one thread; `data` is readable for its length.
        count(unsafe { libxenvchan_write(self.0, data.as_ptr().cast(), data.len()) })
    }
    fn get(&mut self, buf: &mut [u8]) -> usize {
        // SAFETY: as above; `buf` is writable for its length.
        count(unsafe { libxenvchan_read(self.0, buf.as_mut_ptr().cast(), buf.len()) })
    }
}

/// One side's loop: sends `out` and checks what arrives against `inp`.
fn duplex(pipe: &mut dyn Pipe, mut out: Stream, mut inp: Stream, who: &str) {
    let started = Instant::now();
    let mut buf = vec![0u8; 4096];
    while out.pos < out.made.len() || inp.pos < inp.made.len() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{who}: stalled"
        );
        let mut moved = 0;
        if out.pos < out.made.len() {
            let n = out.piece();
            let sent = pipe.put(&out.made[out.pos..out.pos + n]);
            out.pos += sent;
            moved += sent;
        }
        if inp.pos < inp.made.len() {
            let want = inp.piece().min(buf.len());
            let got = pipe.get(&mut buf[..want]);
            assert_eq!(
                &buf[..got],
                &inp.made[inp.pos..inp.pos + got],
                "{who}: wrong bytes at {}",
                inp.pos
            );
            inp.pos += got;
            moved += got;
        }
        if moved == 0 {
            std::thread::yield_now();
        }
    }
}

struct SendPtr<T>(T);
// SAFETY: the pointers name memory kept alive by the test until both
// threads are joined; each side's struct is used by one thread.
unsafe impl<T> Send for SendPtr<T> {}

/// Runs one exchange: `ours` is our side, the other is `libxenvchan`.
fn exchange(ours: Side, left: u16, right: u16) {
    let (_, _, pages) = ring_offsets(left, right);
    let mut shm = Shared::new(pages);
    let base = shm.base();
    // SAFETY: every offset is inside `shm`, alive until the threads are
    // joined below.
    unsafe {
        AtomicU16::from_ptr(base.add(LEFT_ORDER).cast()).store(left, Ordering::SeqCst);
        AtomicU16::from_ptr(base.add(RIGHT_ORDER).cast()).store(right, Ordering::SeqCst);
        for idx in 0..4 {
            AtomicU32::from_ptr(base.add(4 * idx).cast()).store(u32::MAX - 5000, Ordering::SeqCst);
        }
        // As libxenvchan_server_init leaves it: the client not yet there.
        AtomicU8::from_ptr(base.add(CLI_LIVE)).store(2, Ordering::SeqCst);
        AtomicU8::from_ptr(base.add(SRV_LIVE)).store(1, Ordering::SeqCst);
        // Xen's server asks to hear of writes, as it does at init; our
        // server never asks (Xen's client would signal a missing channel).
        if ours == Side::Client {
            AtomicU8::from_ptr(base.add(CLI_NOTIFY)).store(NOTIFY_WRITE, Ordering::SeqCst);
        }
    }
    run(ours, shm, left, right);
}

/// Our server's own set-up of the control page (`init_control`, as it
/// publishes a vchan), then `libxenvchan`'s client connecting to it as
/// `libxenvchan_client_init` does, and the exchange.
fn server_setup_exchange(left: u16, right: u16) {
    let (lo, ro, pages) = ring_offsets(left, right);
    let mut shm = Shared::new(pages);
    let base = shm.base();
    let layout = Layout::new(left, right).unwrap();
    // Our placement agrees with the test's own reading of the header.
    let (l, r) = ring_data(base, layout);
    assert_eq!(
        (l.data, r.data),
        (base.wrapping_add(lo), base.wrapping_add(ro))
    );
    assert_eq!((l.size, r.size), (1 << left, 1 << right));
    let grants: Vec<u32> = (0..layout.grant_count() as u32).map(|i| 100 + i).collect();
    // SAFETY: `shm` is zeroed and holds the control page and ring pages.
    unsafe { init_control(base, layout, &grants) };
    // SAFETY: offsets inside the control page, until `shm` is dropped.
    unsafe {
        let byte = |off: usize| AtomicU8::from_ptr(base.add(off)).load(Ordering::SeqCst);
        let half = |off: usize| AtomicU16::from_ptr(base.add(off).cast()).load(Ordering::SeqCst);
        assert_eq!((half(LEFT_ORDER), half(RIGHT_ORDER)), (left, right));
        assert_eq!(
            (byte(CLI_LIVE), byte(SRV_LIVE)),
            (2, 1),
            "not yet connected"
        );
        assert_eq!(
            byte(CLI_NOTIFY),
            NOTIFY_WRITE,
            "the server asks to hear of writes"
        );
        for (i, g) in grants.iter().enumerate() {
            let listed = AtomicU32::from_ptr(base.add(GRANTS_OFFSET + 4 * i).cast());
            assert_eq!(listed.load(Ordering::SeqCst), *g);
        }
        for idx in 0..4 {
            assert_eq!(
                AtomicU32::from_ptr(base.add(4 * idx).cast()).load(Ordering::SeqCst),
                0
            );
        }
        // What `libxenvchan_client_init` writes as it connects. Our server
        // asked it to signal its writes, which it would do through an event
        // channel this test does not have: the request is withdrawn.
        AtomicU8::from_ptr(base.add(CLI_LIVE)).store(1, Ordering::SeqCst);
        AtomicU8::from_ptr(base.add(SRV_NOTIFY)).store(NOTIFY_WRITE, Ordering::SeqCst);
        AtomicU8::from_ptr(base.add(CLI_NOTIFY)).store(0, Ordering::SeqCst);
    }
    run(Side::Server, shm, left, right);
}

/// The exchange over a control page already laid out.
fn run(ours: Side, mut shm: Shared, left: u16, right: u16) {
    const BYTES: usize = 400_000;
    let (lo, ro, _) = ring_offsets(left, right);
    let base = shm.base();
    let data = |off: usize, order: u16| RingData {
        data: base.wrapping_add(off),
        size: 1 << order,
    };
    // SAFETY: the control page and rings stay alive until the threads end.
    let mine = unsafe { Endpoint::new(base, ours, data(lo, left), data(ro, right)) }.unwrap();
    mine.set_live(Live::Connected);
    let their_ring = |shr: usize, off: usize, order: u16| TheirRing {
        shr: base.wrapping_add(shr).cast(),
        buffer: base.wrapping_add(off).cast(),
        order: order.into(),
    };
    let (read, write) = match ours {
        // Xen's side is the server: reads left, writes right.
        Side::Client => (their_ring(0, lo, left), their_ring(8, ro, right)),
        Side::Server => (their_ring(8, ro, right), their_ring(0, lo, left)),
    };
    let mut theirs = Box::new(Libxenvchan {
        grant_handle: std::ptr::null_mut(),
        ring: base.cast(),
        event: std::ptr::null_mut(),
        event_port: 0,
        flags: if ours == Side::Client { 1 } else { 0 },
        read,
        write,
        xs_path: std::ptr::null_mut(),
    });
    let (a, b) = (0x1111 * left as u64, 0x2222 * right as u64);
    let mine = SendPtr(mine);
    let ours_thread = std::thread::spawn(move || {
        let mut mine = mine;
        duplex(
            &mut mine.0,
            Stream::new(a, BYTES),
            Stream::new(b, BYTES),
            "ours",
        );
    });
    let ctrl = SendPtr(Theirs(&mut *theirs as *mut Libxenvchan));
    let their_thread = std::thread::spawn(move || {
        let mut ctrl = ctrl;
        duplex(
            &mut ctrl.0,
            Stream::new(b, BYTES),
            Stream::new(a, BYTES),
            "libxenvchan",
        );
    });
    ours_thread.join().unwrap();
    their_thread.join().unwrap();
    drop(theirs);
    drop(shm);
}

#[test]
fn our_client_against_libxenvchans_server() {
    for (l, r) in [(10, 11), (11, 10), (12, 13)] {
        exchange(Side::Client, l, r);
    }
}

#[test]
fn libxenvchans_client_against_our_server() {
    for (l, r) in [(10, 11), (13, 12)] {
        exchange(Side::Server, l, r);
    }
}

#[test]
fn libxenvchans_client_against_our_servers_setup() {
    // One page (the default), both rings granted, and one of each.
    for (l, r) in [(10, 11), (11, 10), (12, 12), (10, 14)] {
        server_setup_exchange(l, r);
    }
}
