//! A rogue domain for the vocab description that attacks the bulk region
//! (the shared memory where large buffers are passed, `ffi_isolate`'s
//! `bulk` module): what a domain whose library took over its server loop
//! can do with the segments of a call.
//!
//! It attaches to lane 0 as `ffi_isolate::server` does, welcomes the client
//! as the vocab domain, finds its bulk region from the hello, and answers
//! every bulk call (`fill`, `sum`, `reverse` with large buffers) as its
//! first argument says:
//!
//! | mode | the reply |
//! | --- | --- |
//! | `overclaim` | claims one byte more written into each segment than it holds |
//! | `huge-claim` | claims `u64::MAX` bytes written into each segment |
//! | `input-written` | claims bytes written into every segment, input ones included |
//! | `truncated` | a reply of three bytes |
//! | `scribble` | a valid reply, while a thread of its own rewrites the whole region without pause (the client copies out what it finds) |
//! | `shrink` | tries to shrink the shared memory (a system call the default sandbox refuses) |
//! | `poison` | tries to shrink and to grow the shared memory, punches a hole in the region and fills it with `0xff`, then replies validly |
//! | `shared-read` | answers `sum` of a buffer in the shared arena with the sum it reads from its own read-only mapping of the arena at the offset the table names |
//! | `arena-write` | tries to get write access to the shared arena (a writable shared mapping, `mprotect` of a read-only one, `write`), writes through whatever it got, and answers `sum` with how many of the attempts succeeded |
//! | `arena-write-all` | `arena-write`, and also `pwrite`, hole punching and shrinking the arena to nothing (calls the default sandbox refuses: for a test that allows them) |
//! | `arena-write-more` | tries the ways of `ffi_tests::arena_attack::attack` (splice, sendfile, `copy_file_range`, `pwritev`, growing, new seals, `MADV_REMOVE`, vmsplice and `read` into a read-only mapping, `process_vm_writev`, `mremap` then `mprotect`, a private mapping) and answers `sum` with how many worked |
//! | `arena-write-proc` | reopens the arena through `/proc/self/fd` and `/proc/self/mem` for writing (`ffi_tests::arena_attack::reopen`) |
//! | `arena-poke` | writes into a shared `In` buffer through its read-only mapping of the arena (and faults) |
//! | `out-beyond` | for a call with an `Out` or `InOut` segment in the out arena, writes `0xee` into the whole out arena (every other buffer of the caller's in it too), then replies validly |
//! | `out-scribble` | rewrites the whole out arena without pause from a thread of its own, from the first call on, and replies validly (the client reads its buffers meanwhile) |
//!
//! A valid reply says every `Out`/`InOut` segment was written in full and
//! returns what `fill` (the capacity), `sum` (0) or `reverse` (nothing)
//! return. Anything it does not expect ends it with exit code 9.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

use ffi_desc::bulk::{SegmentDir, TableEntry, INLINE};
use ffi_desc::wire::{Reader, Wire};
use ffi_isolate::arena::{ArenaView, ARENA_FD};
use ffi_isolate::domain::EXTRA_FD;
use ffi_isolate::out_arena::{OutArenaView, OUT_ARENA_FD};
use ffi_isolate::ring::{ControlPage, Endpoint, Ring, Side};
use ffi_isolate::shm::{DomainLayout, RingLayout, SharedMemory};
use ffi_isolate::wire::{Header, Kind};
use ffi_tests::rogue::Rogue;

const ROGUE: Rogue = Rogue {
    name: "rogue-bulk-domain",
    max_frame: 64 << 20,
};

fn confused(what: &str) -> ! {
    ROGUE.confused(what)
}

fn recv(ep: &mut Endpoint) -> (Header, Vec<u8>) {
    ROGUE.recv(ep)
}

fn send(ep: &mut Endpoint, kind: Kind, index: u32, call_id: u64, payload: &[u8]) {
    ROGUE.send(ep, kind, index, call_id, payload)
}

/// The region's bytes, written as the hostile peer writes them: atomically
/// on our side (the client copies them meanwhile).
fn region_bytes(region: &SharedMemory) -> &[AtomicU8] {
    // SAFETY: the mapping is `len` bytes and lives as long as `region`;
    // `AtomicU8` has the layout of `u8`.
    unsafe { std::slice::from_raw_parts(region.as_ptr().cast::<AtomicU8>(), region.len()) }
}

/// Rewrites the whole region, over and over, until the process ends.
fn scribble(region: Arc<SharedMemory>) {
    std::thread::spawn(move || {
        let bytes = region_bytes(&region);
        let mut x = 0u8;
        loop {
            for b in bytes {
                b.store(x, Ordering::Relaxed);
                x = x.wrapping_add(37);
            }
        }
    });
}

/// The out arena's bytes, as the hostile peer writes them.
fn out_bytes(out: &OutArenaView) -> &[AtomicU8] {
    // SAFETY: the writable mapping is `len` bytes and lives as long as
    // `out`; `AtomicU8` has the layout of `u8`.
    unsafe { std::slice::from_raw_parts(out.as_ptr().cast::<AtomicU8>(), out.len()) }
}

/// Rewrites the whole out arena, over and over, until the process ends.
fn scribble_out(out: Arc<OutArenaView>) {
    std::thread::spawn(move || {
        let bytes = out_bytes(&out);
        let mut x = 1u8;
        loop {
            for b in bytes {
                b.store(x, Ordering::Relaxed);
            }
            x = x.wrapping_add(1);
        }
    });
}

/// Tries what a domain could do to the memory itself: shrink it, grow it,
/// punch a hole in the region; then fills the region with `0xff`.
fn poison(whole: &SharedMemory, region: &SharedMemory) {
    let fd = whole.fd().as_raw_fd();
    // SAFETY: plain system calls on a descriptor this process holds.
    let (shrink, grow, punch) = unsafe {
        (
            libc::ftruncate(fd, 0),
            libc::ftruncate(fd, 1 << 34),
            libc::fallocate(
                fd,
                libc::FALLOC_FL_PUNCH_HOLE | libc::FALLOC_FL_KEEP_SIZE,
                region.as_ptr().offset_from(whole.as_ptr()) as i64,
                region.len() as i64,
            ),
        )
    };
    eprintln!(
        "rogue-bulk-domain: ftruncate to 0: {shrink}, to 16 GiB: {grow}, punch hole: {punch}"
    );
    for b in region_bytes(region) {
        b.store(0xff, Ordering::Relaxed);
    }
}

/// The reply to a bulk call with `table`, as `mode` says.
fn reply(mode: &str, table: &[TableEntry], index: u32, fill: u32) -> Vec<u8> {
    let mut out = Vec::new();
    if mode == "truncated" {
        return vec![1, 2, 3];
    }
    for e in table {
        let written = match mode {
            "overclaim" => e.len + 1,
            "huge-claim" => u64::MAX,
            "input-written" => e.len.max(1),
            _ if e.dir == SegmentDir::In => 0,
            _ => e.len,
        };
        written.put(&mut out);
    }
    for e in table {
        if e.offset == INLINE && e.dir != SegmentDir::In {
            confused("an inline segment: the region should hold them all");
        }
    }
    if index == fill {
        table.first().map_or(0, |e| e.len).put(&mut out);
    } else if is_sum(table) {
        0i64.put(&mut out);
    }
    out
}

/// Tries every way to write the arena behind `fd`, and writes through
/// whatever it got; the number of ways that worked. (The sandbox allows
/// `mmap`, `mprotect` and `write`; the seals must refuse them.) With `all`,
/// also `pwrite`, a punched hole and a truncation, which only a sandbox
/// that grants them lets it try.
fn arena_write(fd: &OwnedFd, all: bool) -> i64 {
    let raw = fd.as_raw_fd();
    let page = 4096;
    let mut won = 0;
    // SAFETY: plain system calls; whatever mapping they give is written in
    // its first page only.
    unsafe {
        let rw = libc::mmap(
            std::ptr::null_mut(),
            page,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_SHARED,
            raw,
            0,
        );
        if rw != libc::MAP_FAILED {
            std::ptr::write_bytes(rw.cast::<u8>(), 0xee, page);
            won += 1;
        }
        let ro = libc::mmap(
            std::ptr::null_mut(),
            page,
            libc::PROT_READ,
            libc::MAP_SHARED,
            raw,
            0,
        );
        if ro != libc::MAP_FAILED
            && libc::mprotect(ro, page, libc::PROT_READ | libc::PROT_WRITE) == 0
        {
            std::ptr::write_bytes(ro.cast::<u8>(), 0xee, page);
            won += 1;
        }
        if libc::write(raw, [0xeeu8; 64].as_ptr().cast(), 64) > 0 {
            won += 1;
        }
        if all {
            if libc::pwrite(raw, [0xeeu8; 64].as_ptr().cast(), 64, 0) > 0 {
                won += 1;
            }
            let punch = libc::FALLOC_FL_PUNCH_HOLE | libc::FALLOC_FL_KEEP_SIZE;
            if libc::fallocate(raw, punch, 0, 1 << 20) == 0 {
                won += 1;
            }
            if libc::ftruncate(raw, 0) == 0 {
                won += 1;
            }
        }
    }
    won
}

/// The reply to `sum` of a buffer in the shared arena.
fn shared_sum(mode: &str, arena: &ArenaView, e: &TableEntry) -> Vec<u8> {
    let at = arena
        .at(e.offset, e.len)
        .unwrap_or_else(|| confused("a shared segment outside the arena"));
    let mut sum = 0i64;
    match mode {
        "shared-read" => {
            for i in 0..(e.len as usize / 4) {
                // SAFETY: inside the mapping (checked above), read-only.
                let x = unsafe { std::ptr::read_unaligned(at.add(4 * i).cast::<i32>()) };
                sum += i64::from(x);
            }
        }
        "arena-poke" => {
            // SAFETY: deliberately none: a write through a read-only
            // mapping, which the kernel answers with SIGSEGV.
            unsafe { std::ptr::write_volatile(at.cast_mut(), 0xee) };
        }
        _ => confused("a shared segment in this mode"),
    }
    sum_reply(sum)
}

/// The reply to `sum` of one input segment: nothing written, `sum`.
fn sum_reply(sum: i64) -> Vec<u8> {
    let mut out = Vec::new();
    0u64.put(&mut out);
    sum.put(&mut out);
    out
}

fn is_sum(table: &[TableEntry]) -> bool {
    table.len() == 1 && table[0].dir == SegmentDir::In
}

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let spec = ffi_tests::vocab::vocab::server();
    let desc = ffi_tests::vocab::vocab::description();
    let fill = desc
        .functions
        .iter()
        .position(|f| f.name == "fill")
        .unwrap_or_else(|| confused("no fill")) as u32;

    // SAFETY: the client passes the shared memory as descriptor 3 and
    // nothing else in this fresh process owns that number.
    let fd = unsafe { OwnedFd::from_raw_fd(EXTRA_FD) };
    let whole = Arc::new(SharedMemory::from_fd(fd).unwrap_or_else(|e| confused(&e.to_string())));
    let ctrl = ControlPage::new(&whole);
    let order = |ring| ctrl.order(ring).load(Ordering::Acquire);
    let rings = RingLayout::new(order(Ring::Left), order(Ring::Right))
        .unwrap_or_else(|e| confused(&e.to_string()));
    let lane = SharedMemory::part(&whole, 0, rings.total_len()).unwrap_or_else(|| confused("part"));
    let mut ep =
        Endpoint::attach(Arc::new(lane), Side::Server).unwrap_or_else(|e| confused(&e.to_string()));

    let (h, hello) = recv(&mut ep);
    if h.kind != Kind::Hello || hello.len() < 32 {
        confused("the first frame is not a hello with a bulk region");
    }
    let bulk_len = u64::from_le_bytes(hello[24..32].try_into().unwrap_or([0; 8])) as usize;
    let layout = DomainLayout::of_mapping(whole.len(), rings.total_len(), bulk_len)
        .unwrap_or_else(|| confused("the mapping is not whole lanes"));
    let region = Arc::new(
        layout
            .bulk(&whole, 0)
            .unwrap_or_else(|| confused("no region")),
    );
    let announced = |at: usize| {
        hello
            .get(at..at + 8)
            .map_or(0, |b| u64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
    };
    // SAFETY: the client places the arena at ARENA_FD when the hello
    // announces one; nothing else owns that number.
    let arena_fd = (announced(32) != 0).then(|| unsafe { OwnedFd::from_raw_fd(ARENA_FD) });
    // SAFETY: likewise for the out arena at OUT_ARENA_FD.
    let out_fd = (announced(40) != 0).then(|| unsafe { OwnedFd::from_raw_fd(OUT_ARENA_FD) });
    let out = out_fd
        .map(|fd| Arc::new(OutArenaView::map(fd).unwrap_or_else(|e| confused(&e.to_string()))));
    // `arena-write` keeps the descriptor to attack it; the others map it.
    let (arena, arena_fd) = match arena_fd {
        Some(fd) if mode.starts_with("arena-write") => (None, Some(fd)),
        Some(fd) => (
            Some(ArenaView::map(fd).unwrap_or_else(|e| confused(&e.to_string()))),
            None,
        ),
        None => (None, None),
    };
    send(&mut ep, Kind::Welcome, 0, h.call_id, &spec.fingerprint);

    if mode == "scribble" {
        scribble(region.clone());
    }
    if mode == "out-scribble" {
        scribble_out(out.clone().unwrap_or_else(|| confused("no out arena")));
    }
    loop {
        let (h, payload) = recv(&mut ep);
        if h.kind != Kind::BulkCall {
            confused(&format!("mode {mode:?}: unexpected {:?} frame", h.kind));
        }
        let table =
            TableEntry::get_table(&mut Reader::new(&payload)).unwrap_or_else(|e| confused(e.0));
        if mode == "poison" {
            poison(&whole, &region);
        }
        let out_segment = table.iter().any(|e| e.shared && e.dir.returns());
        if mode == "out-beyond" && out_segment {
            let out = out.as_ref().unwrap_or_else(|| confused("no out arena"));
            for b in out_bytes(out) {
                b.store(0xee, Ordering::Relaxed);
            }
        }
        if mode == "shrink" {
            // SAFETY: a plain system call on a descriptor this process holds.
            let _ = unsafe { libc::ftruncate(whole.fd().as_raw_fd(), 0) };
        }
        let shared = table.first().filter(|e| e.shared && is_sum(&table));
        let out = match (shared, &arena, &arena_fd) {
            // While the caller's buffer is lent to the call.
            (Some(_), _, Some(fd)) => sum_reply(match mode.as_str() {
                "arena-write-more" => ffi_tests::arena_attack::attack(fd),
                "arena-write-proc" => ffi_tests::arena_attack::reopen(fd),
                _ => arena_write(fd, mode == "arena-write-all"),
            }),
            (Some(e), Some(arena), _) => shared_sum(&mode, arena, e),
            _ => reply(&mode, &table, h.index, fill),
        };
        send(&mut ep, Kind::Reply, h.index, h.call_id, &out);
    }
}
