//! Segments (bulk buffers, [`ffi_desc::bulk`]) in a lane's shared region:
//! where the client places them and how it reads the answer, and how the
//! server hands them to C.
//!
//! # What the client trusts
//!
//! Nothing it reads from the region decides anything. The client chooses
//! every offset itself and never reads one back; the only number the domain
//! reports is the bytes it wrote into each segment, which comes in the reply
//! frame (already copied out of the ring) and is checked against the
//! segment's length with checked arithmetic before any byte is copied. The
//! bytes themselves are opaque payload, copied from the region straight into
//! the caller's slice: a domain that rewrites them while they are copied
//! garbles only its own answer, and cannot make the client read outside the
//! region, which is sealed against shrinking (see [`crate::shm`]) and stays
//! mapped while the call holds its incarnation.
//!
//! An `In` buffer that lies in the shared arena ([`crate::arena`], a
//! [`ffi_desc::shared::SharedBuf`]) is neither placed nor copied: the table
//! names its offset in the arena, which the domain maps read-only. So is an
//! `Out` buffer that lies in the out arena ([`crate::out_arena`], a
//! [`ffi_desc::shared_out::SharedOut`]): C writes it in place, through the
//! domain's writable mapping, and the reply says only how many bytes.

use crate::arena::{Arena, ArenaView};
use crate::out_arena::{OutArena, OutArenaView};
use crate::shm::SharedMemory;
use ffi_desc::bulk::{Segment, SegmentDir, TableEntry, INLINE, NO_CPU, TABLE_ENTRY};
use ffi_desc::wire::{Reader, Wire, WireError};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Where each segment starts in the region: a cache line.
const SEGMENT_ALIGN: usize = 64;

/// The most bytes of inline segments a server allocates for C to write
/// (those C reads are bounded by the frame that carries them).
const MAX_INLINE_SEGMENT: usize = 1 << 30;

/// The bytes in the region from which a call asks to run on the caller's
/// CPU. Between two CPUs a megabyte moves at about a quarter of the speed it
/// moves within one's caches, while moving the domain's thread there and
/// back costs a few microseconds: worth it only for buffers this large.
const NEAR_CALLER_BYTES: usize = 256 << 10;

/// One lane's bulk region on the client's side.
pub(crate) struct Region {
    shm: Arc<SharedMemory>,
    /// The first byte no call in progress on the lane uses: a nested call
    /// (made by a callback while the outer call's C code runs) places its
    /// segments after the outer call's.
    top: AtomicUsize,
}

/// Where a segment of a call went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// At this offset of the lane's region.
    Region(u64),
    /// In the frame.
    Inline,
    /// An `In` buffer at this offset of the shared arena: nothing copied.
    Arena(u64),
    /// An `Out` buffer at this offset of the out arena: nothing copied.
    OutArena(u64),
}

/// The arenas of the channel a call goes over, where it has them.
#[derive(Clone, Copy, Default)]
pub(crate) struct Arenas<'a> {
    /// The shared arena, read-only to the domain.
    pub(crate) shared: Option<&'a Arena>,
    /// The out arena, writable by the domain.
    pub(crate) out: Option<&'a OutArena>,
}

/// Where a call's segments went, until its reply is read.
pub(crate) struct Placed<'r> {
    region: Option<&'r Region>,
    places: Vec<Place>,
    /// The region's top before this call, restored when it ends.
    below: usize,
}

impl Drop for Placed<'_> {
    fn drop(&mut self) {
        if let Some(region) = self.region {
            region.top.store(self.below, Ordering::Relaxed);
        }
    }
}

impl Region {
    pub(crate) fn new(shm: Arc<SharedMemory>) -> Self {
        Region {
            shm,
            top: AtomicUsize::new(0),
        }
    }

    /// The offset for `len` bytes at or after `top`, if they fit.
    fn fit(&self, top: usize, len: usize) -> Option<usize> {
        let start = top.checked_next_multiple_of(SEGMENT_ALIGN)?;
        let end = start.checked_add(len)?;
        (end <= self.shm.len()).then_some(start)
    }

    /// Copies the bytes `s` sends into the region at `offset`.
    fn copy_in(&self, offset: usize, s: &Segment<'_>) {
        if offset
            .checked_add(s.len())
            .is_some_and(|end| end <= self.shm.len())
        {
            // SAFETY: `offset + len` lies inside the mapping, which lives as
            // long as `self` and is no caller's buffer. The domain may write
            // the same bytes meanwhile: they are opaque payload (see the
            // module's doc).
            unsafe { s.copy_sent(self.shm.as_ptr().add(offset)) }
        }
    }

    /// Copies the `n` bytes at `offset` of the region into the segment's
    /// buffer; `false` if they do not lie inside the region.
    fn copy_out(&self, offset: usize, n: usize, dst: &mut Segment<'_>) -> bool {
        let inside = offset
            .checked_add(n)
            .is_some_and(|end| end <= self.shm.len());
        // SAFETY: `offset + n` lies inside the mapping, which lives as long
        // as `self` and is no caller's buffer; the bytes are the domain's
        // and may change under the copy, which then holds its garbage.
        inside && unsafe { dst.receive_raw(self.shm.as_ptr().add(offset), n) }
    }
}

/// Where a segment's bytes lie in one of the channel's arenas, if they do:
/// an `In` one in the shared arena (a [`ffi_desc::shared::SharedBuf`] of
/// the channel's), an `Out` or `InOut` one in the out arena (a
/// [`ffi_desc::shared_out::SharedOut`] of the channel's).
fn in_arena(arenas: Arenas<'_>, s: &Segment<'_>) -> Option<Place> {
    match s.dir() {
        SegmentDir::In => arenas.shared?.offset_of(s.sent()?).map(Place::Arena),
        SegmentDir::Out | SegmentDir::InOut => {
            let (ptr, len) = s.raw_out()?;
            arenas.out?.offset_of_raw(ptr, len).map(Place::OutArena)
        }
    }
}

/// The payload of a [`ffi_desc::frame::Kind::BulkCall`] for `request` and
/// its `segments`: one that lies in the arena its direction takes is named
/// by its offset there (nothing copied); each other one that fits is placed in
/// `region` after what the calls in progress on the lane use (its bytes
/// copied in, for C to read); the others travel inline.
pub(crate) fn request<'r>(
    region: Option<&'r Region>,
    arenas: Arenas<'_>,
    segments: &[Segment<'_>],
    request: &[u8],
) -> (Vec<u8>, Placed<'r>) {
    let below = region.map_or(0, |r| r.top.load(Ordering::Relaxed));
    let mut top = below;
    let mut places = Vec::with_capacity(segments.len());
    let mut inline_len = 0usize;
    for s in segments {
        if let Some(place) = in_arena(arenas, s) {
            places.push(place);
            continue;
        }
        match region.and_then(|r| r.fit(top, s.len())) {
            Some(at) => {
                top = at + s.len();
                places.push(Place::Region(at as u64));
            }
            None => {
                places.push(Place::Inline);
                if s.dir().sends() {
                    inline_len = inline_len.saturating_add(s.len());
                }
            }
        }
    }
    let table_len = 4 + TABLE_ENTRY * segments.len() + 4;
    let mut payload = Vec::with_capacity(table_len + inline_len + request.len());
    (segments.len() as u32).put(&mut payload);
    for (s, &place) in segments.iter().zip(&places) {
        let (offset, shared) = match place {
            Place::Region(at) => (at, false),
            Place::Inline => (INLINE, false),
            Place::Arena(at) | Place::OutArena(at) => (at, true),
        };
        let entry = TableEntry {
            dir: s.dir(),
            offset,
            len: s.len() as u64,
            shared,
        };
        entry.put(&mut payload);
    }
    // Only the bytes copied into the region count: an arena buffer was
    // written whenever the caller chose, and moving the domain's thread to
    // the caller's CPU for it measured slower (1 MiB sum: 55 us there
    // against 49 us where the domain runs).
    let cpu = if top - below >= NEAR_CALLER_BYTES {
        caller_cpu()
    } else {
        NO_CPU
    };
    cpu.put(&mut payload);
    for (s, &place) in segments.iter().zip(&places) {
        if !s.dir().sends() {
            continue;
        }
        match (region, place) {
            (_, Place::Arena(_) | Place::OutArena(_)) => {}
            (Some(r), Place::Region(at)) => r.copy_in(at as usize, s),
            _ => s.put_sent(&mut payload),
        }
    }
    payload.extend_from_slice(request);
    if let Some(r) = region {
        r.top.store(top, Ordering::Relaxed);
    }
    let placed = Placed {
        region,
        places,
        below,
    };
    (payload, placed)
}

/// The CPU this thread runs on (read from the vDSO, no system call).
fn caller_cpu() -> u32 {
    // SAFETY: sched_getcpu takes no arguments; -1 (no answer) is NO_CPU.
    u32::try_from(unsafe { libc::sched_getcpu() }).unwrap_or(NO_CPU)
}

/// Reads the reply to a bulk call: the bytes C wrote into each segment,
/// checked against its length, copied into the caller's slices (from the
/// region, or from the frame for an inline one); returns the reply proper.
pub(crate) fn reply(
    placed: &Placed<'_>,
    segments: &mut [Segment<'_>],
    payload: &[u8],
) -> Result<Vec<u8>, WireError> {
    let mut r = Reader::new(payload);
    let mut written = Vec::with_capacity(segments.len());
    for s in segments.iter() {
        let n = usize::try_from(u64::get(&mut r)?).map_err(|_| WireError("length overflows"))?;
        if n > s.len() {
            return Err(WireError("a segment's written bytes exceed its length"));
        }
        if !s.dir().returns() && n != 0 {
            return Err(WireError("bytes written into an input segment"));
        }
        written.push(n);
    }
    for ((s, &n), &place) in segments.iter_mut().zip(&written).zip(&placed.places) {
        if !s.dir().returns() {
            continue;
        }
        match (placed.region, place) {
            (Some(region), Place::Region(at)) => {
                let offset = usize::try_from(at).map_err(|_| WireError("offset overflows"))?;
                if !region.copy_out(offset, n, s) {
                    return Err(WireError("a segment outside the region"));
                }
            }
            // Only `In` segments go to the shared arena, and they return
            // nothing (refused above).
            (_, Place::Arena(_)) => return Err(WireError("a shared segment written")),
            // C wrote it in place: only the count comes back.
            (_, Place::OutArena(_)) => {}
            _ => {
                if !s.receive(r.bytes(n)?) {
                    return Err(WireError("a segment's written bytes exceed its length"));
                }
            }
        }
        s.set_written(n);
    }
    let rest = r.remaining();
    Ok(payload[payload.len() - rest..].to_vec())
}

/// The arenas of a domain, as the server maps them.
#[derive(Clone, Copy, Default)]
pub(crate) struct ServedArenas<'a> {
    /// The shared arena, mapped read-only.
    pub(crate) shared: Option<&'a ArenaView>,
    /// The out arena, mapped writable.
    pub(crate) out: Option<&'a OutArenaView>,
}

impl ServedArenas<'_> {
    /// Where a shared segment's bytes lie in our own mapping of the arena
    /// its direction takes (checked arithmetic: the client is not trusted
    /// either). Alignment and direction are checked when it is taken.
    fn find(&self, entry: &TableEntry) -> Result<*mut u8, WireError> {
        match entry.dir {
            // Read-only memory: C may only read it (`take` refuses any
            // other direction), and a write faults.
            SegmentDir::In => {
                let arena = self
                    .shared
                    .ok_or(WireError("a shared segment, and no arena"))?;
                let at = arena
                    .at(entry.offset, entry.len)
                    .ok_or(WireError("a shared segment outside the arena"))?;
                Ok(at.cast_mut())
            }
            // Memory the domain may write whenever it likes: C reads what
            // the caller left there (`InOut`) and writes it in place.
            SegmentDir::Out | SegmentDir::InOut => {
                let arena = self
                    .out
                    .ok_or(WireError("an out segment, and no out arena"))?;
                arena
                    .at(entry.offset, entry.len)
                    .ok_or(WireError("an out segment outside the out arena"))
            }
        }
    }
}

/// Checks the inline segments of `table` against the frame before any is
/// allocated: the ones C reads have their bytes among the `remaining`
/// bytes of the frame, and those C only writes take at most
/// [`MAX_INLINE_SEGMENT`] bytes together.
fn check_inline(table: &[TableEntry], remaining: usize) -> Result<(), WireError> {
    let (mut sent, mut written) = (0u64, 0u64);
    for e in table.iter().filter(|e| !e.shared && e.offset == INLINE) {
        let total = if e.dir.sends() {
            &mut sent
        } else {
            &mut written
        };
        *total = total
            .checked_add(e.len)
            .ok_or(WireError("inline segments overflow"))?;
    }
    if sent > remaining as u64 {
        return Err(WireError("inline segments exceed the frame"));
    }
    if written > MAX_INLINE_SEGMENT as u64 {
        return Err(WireError("inline segments above the bound"));
    }
    Ok(())
}

/// One segment of a call the server serves.
struct Served {
    entry: TableEntry,
    /// Its first byte: in the region, or in `private`.
    ptr: *mut u8,
    /// The private copy of an inline segment (8-byte aligned), which `ptr`
    /// points into.
    _private: Vec<u64>,
    written: Cell<usize>,
}

impl Served {
    /// Whether C's writes into it travel in the reply (its bytes are ours).
    fn is_inline_output(&self) -> bool {
        !self.entry.shared && self.entry.offset == INLINE && self.entry.dir.returns()
    }
}

/// The segments of one call the server serves, handed to its server
/// function in order.
pub(crate) struct CallSegments {
    segments: Vec<Served>,
    next: Cell<usize>,
    /// Where the client asked the call to run.
    cpu: u32,
}

impl Default for CallSegments {
    fn default() -> Self {
        CallSegments {
            segments: Vec::new(),
            next: Cell::new(0),
            cpu: NO_CPU,
        }
    }
}

// SAFETY: the pointers point into the lane's region (kept mapped by the
// session that owns these segments) or into `_private`, which moves with
// them; the segments are used by the one thread serving the lane.
unsafe impl Send for CallSegments {}

impl CallSegments {
    /// Reads the segment table and the inline segments of a bulk call's
    /// `payload`, with the lane's `region` and the domain's `arenas`;
    /// returns them and the request.
    pub(crate) fn read<'p>(
        payload: &'p [u8],
        region: Option<&SharedMemory>,
        arenas: ServedArenas<'_>,
    ) -> Result<(CallSegments, &'p [u8]), WireError> {
        let mut r = Reader::new(payload);
        let table = TableEntry::get_table(&mut r)?;
        let cpu = u32::get(&mut r)?;
        check_inline(&table, r.remaining())?;
        let mut segments = Vec::with_capacity(table.len());
        for entry in table {
            let len = usize::try_from(entry.len).map_err(|_| WireError("length overflows"))?;
            let mut private = Vec::new();
            let ptr = if entry.shared {
                arenas.find(&entry)?
            } else if entry.offset == INLINE {
                // Bounded, and the bytes of a sent one are in the frame
                // (`check_inline`), before anything is allocated.
                private = vec![0u64; len.div_ceil(8)];
                let ptr = private.as_mut_ptr().cast::<u8>();
                if entry.dir.sends() {
                    let bytes = r.bytes(len)?;
                    // SAFETY: `private` holds at least `len` bytes.
                    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), ptr, len) };
                }
                ptr
            } else {
                let region = region.ok_or(WireError("a segment in a region this lane lacks"))?;
                let offset = usize::try_from(entry.offset)
                    .ok()
                    .filter(|o| o % SEGMENT_ALIGN == 0)
                    .filter(|o| o.checked_add(len).is_some_and(|end| end <= region.len()))
                    .ok_or(WireError("a segment outside the region"))?;
                // SAFETY: `offset + len` lies inside the region's mapping.
                unsafe { region.as_ptr().add(offset) }
            };
            segments.push(Served {
                entry,
                ptr,
                _private: private,
                written: Cell::new(0),
            });
        }
        let rest = r.remaining();
        let calls = CallSegments {
            segments,
            next: Cell::new(0),
            cpu,
        };
        Ok((calls, &payload[payload.len() - rest..]))
    }

    /// The CPU the client asked the call to run on, if it asked.
    pub(crate) fn cpu(&self) -> Option<u32> {
        (self.cpu != NO_CPU).then_some(self.cpu)
    }

    /// The next segment, which must have direction `dir`, `bytes` bytes and
    /// a start aligned to `align`.
    pub(crate) fn take(
        &self,
        dir: SegmentDir,
        bytes: usize,
        align: usize,
    ) -> Result<(usize, *mut u8), WireError> {
        let i = self.next.get();
        let s = self
            .segments
            .get(i)
            .ok_or(WireError("more segment buffers than segments"))?;
        if s.entry.dir != dir || s.entry.len != bytes as u64 {
            return Err(WireError("a segment differs from its buffer"));
        }
        if align == 0 || (s.ptr as usize) % align != 0 {
            return Err(WireError("a misaligned segment"));
        }
        self.next.set(i + 1);
        Ok((i, s.ptr))
    }

    /// C wrote the first `bytes` bytes of segment `index`.
    pub(crate) fn wrote(&self, index: usize, bytes: usize) -> Result<(), WireError> {
        let s = self
            .segments
            .get(index)
            .ok_or(WireError("no such segment"))?;
        if bytes as u64 > s.entry.len {
            return Err(WireError("more bytes written than the segment holds"));
        }
        s.written.set(bytes);
        Ok(())
    }

    /// The reply's prefix, then `out`: the bytes written into each segment,
    /// and the written bytes of the inline ones.
    pub(crate) fn reply(&self, out: &[u8]) -> Vec<u8> {
        let inline: usize = self
            .segments
            .iter()
            .filter(|s| s.is_inline_output())
            .map(|s| s.written.get())
            .sum();
        let mut reply = Vec::with_capacity(8 * self.segments.len() + inline + out.len());
        for s in &self.segments {
            (s.written.get() as u64).put(&mut reply);
        }
        for s in &self.segments {
            if s.is_inline_output() {
                // SAFETY: `written <= len`, the bytes of `private`.
                let bytes = unsafe { std::slice::from_raw_parts(s.ptr, s.written.get()) };
                reply.extend_from_slice(bytes);
            }
        }
        reply.extend_from_slice(out);
        reply
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arena::Arena;
    use crate::shm::PAGE_SIZE;
    use ffi_desc::bulk::{SHARED_IN, SHARED_IN_OUT, SHARED_OUT};
    use ffi_desc::shared::SharedSpace;
    use ffi_desc::shared_out::{OutSpace, SharedOut};

    /// A bulk call's payload with `entries` (tag, offset, length) and an
    /// empty request, as a hostile client could write it.
    fn payload(entries: &[(u8, u64, u64)]) -> Vec<u8> {
        let mut p = Vec::new();
        (entries.len() as u32).put(&mut p);
        for &(tag, offset, len) in entries {
            p.push(tag);
            offset.put(&mut p);
            len.put(&mut p);
        }
        NO_CPU.put(&mut p);
        p
    }

    fn shared(view: &ArenaView) -> ServedArenas<'_> {
        ServedArenas {
            shared: Some(view),
            out: None,
        }
    }

    fn arena() -> (Arena, ArenaView) {
        let arena = Arena::create(2 * PAGE_SIZE).unwrap();
        let view = ArenaView::map(arena.fd().try_clone_to_owned().unwrap()).unwrap();
        (arena, view)
    }

    #[test]
    fn a_shared_segment_is_found_in_the_domains_own_mapping() {
        let (_arena, view) = arena();
        let p = payload(&[(SHARED_IN, 64, 128)]);
        let (calls, rest) = CallSegments::read(&p, None, shared(&view)).unwrap();
        assert!(rest.is_empty());
        let (i, ptr) = calls.take(SegmentDir::In, 128, 4).unwrap();
        assert_eq!(i, 0);
        assert_eq!(ptr.cast_const(), view.at(64, 0).unwrap());
    }

    #[test]
    fn shared_segments_outside_the_arena_or_without_one_are_refused() {
        let (_arena, view) = arena();
        let len = view.len() as u64;
        for (offset, n) in [
            (len - 64, 128),
            (len, 1),
            (len + 4096, 0),
            (u64::MAX, 1),
            (1, u64::MAX),
            (u64::MAX, u64::MAX),
            (0, 1 << 40),
        ] {
            let p = payload(&[(SHARED_IN, offset, n)]);
            let e = CallSegments::read(&p, None, shared(&view)).err();
            assert_eq!(
                e,
                Some(WireError("a shared segment outside the arena")),
                "{offset} + {n}"
            );
        }
        let p = payload(&[(SHARED_IN, 0, 64)]);
        let e = CallSegments::read(&p, None, ServedArenas::default()).err();
        assert_eq!(e, Some(WireError("a shared segment, and no arena")));
    }

    #[test]
    fn a_misaligned_or_mistyped_shared_segment_is_refused_when_taken() {
        let (_arena, view) = arena();
        let p = payload(&[(SHARED_IN, 2, 8)]);
        let (calls, _) = CallSegments::read(&p, None, shared(&view)).unwrap();
        assert_eq!(
            calls.take(SegmentDir::In, 8, 4).err(),
            Some(WireError("a misaligned segment"))
        );
        // A shared segment is an input: C may not be given it to write.
        for dir in [SegmentDir::Out, SegmentDir::InOut] {
            let p = payload(&[(SHARED_IN, 0, 64)]);
            let (calls, _) = CallSegments::read(&p, None, shared(&view)).unwrap();
            assert_eq!(
                calls.take(dir, 64, 1).err(),
                Some(WireError("a segment differs from its buffer"))
            );
        }
        // Its length is the buffer's.
        let p = payload(&[(SHARED_IN, 0, 64)]);
        let (calls, _) = CallSegments::read(&p, None, shared(&view)).unwrap();
        assert!(calls.take(SegmentDir::In, 60, 4).is_err());
        // An unknown tag is no segment at all.
        let p = payload(&[(6, 0, 64)]);
        assert!(CallSegments::read(&p, None, shared(&view)).is_err());
    }

    /// Overlapping shared segments are served: the domain only reads them.
    #[test]
    fn overlapping_shared_segments_are_only_read() {
        let (_arena, view) = arena();
        let p = payload(&[(SHARED_IN, 0, 4096), (SHARED_IN, 64, 4096)]);
        let (calls, _) = CallSegments::read(&p, None, shared(&view)).unwrap();
        let (_, a) = calls.take(SegmentDir::In, 4096, 8).unwrap();
        let (_, b) = calls.take(SegmentDir::In, 4096, 8).unwrap();
        assert_eq!(b as usize - a as usize, 64);
        // Nothing is written back for them.
        assert_eq!(&calls.reply(&[])[..16], &[0u8; 16]);
    }

    proptest::proptest! {
        /// Any table of shared, region and inline entries, with any
        /// offsets and lengths: reading it never panics, and every shared
        /// segment it accepts lies wholly inside the arena's mapping.
        #[test]
        fn any_hostile_table_is_refused_or_inside_the_arena(
            entries in proptest::collection::vec(
                (
                    0u8..5,
                    proptest::prop_oneof![
                        0u64..3 * PAGE_SIZE as u64,
                        proptest::num::u64::ANY,
                        (u64::MAX - 4096)..=u64::MAX,
                    ],
                    proptest::prop_oneof![0u64..3 * PAGE_SIZE as u64, proptest::num::u64::ANY],
                ),
                0..6,
            )
        ) {
            let (_arena, view) = arena();
            let p = payload(&entries);
            if let Ok((calls, _)) = CallSegments::read(&p, None, shared(&view)) {
                let base = view.as_ptr() as usize;
                for s in &calls.segments {
                    if s.entry.shared {
                        let start = s.ptr as usize;
                        proptest::prop_assert!(start >= base);
                        let end = (start - base) as u64 + s.entry.len;
                        proptest::prop_assert!(end <= view.len() as u64);
                    }
                }
            }
        }
    }

    /// The client names an input in the arena by its offset and copies
    /// none of its bytes; a buffer elsewhere is copied as before.
    #[test]
    fn the_client_sends_an_arena_input_by_offset() {
        let (arena, _view) = arena();
        let block = arena.alloc(256).unwrap();
        // SAFETY: our block of 256 bytes, written then read only here.
        let shared = unsafe {
            std::ptr::write_bytes(block.as_ptr(), 7, 256);
            std::slice::from_raw_parts(block.as_ptr(), 256)
        };
        let private = [9u8; 32];
        let segments = [Segment::input(shared), Segment::input(&private[..])];
        let arenas = Arenas {
            shared: Some(&arena),
            out: None,
        };
        let (p, placed) = request(None, arenas, &segments, b"req");
        let mut r = Reader::new(&p);
        let table = TableEntry::get_table(&mut r).unwrap();
        assert_eq!(
            table[0],
            TableEntry {
                dir: SegmentDir::In,
                offset: arena.offset_of(shared).unwrap(),
                len: 256,
                shared: true
            }
        );
        assert_eq!((table[1].offset, table[1].shared), (INLINE, false));
        assert_eq!(u32::get(&mut r).unwrap(), NO_CPU);
        // Only the private buffer's bytes, then the request.
        assert_eq!(r.remaining(), 32 + 3);
        // A reply that claims bytes written into the shared input is refused.
        let mut segments = segments;
        let mut reply_payload = Vec::new();
        8u64.put(&mut reply_payload);
        0u64.put(&mut reply_payload);
        assert!(reply(&placed, &mut segments, &reply_payload).is_err());
        // SAFETY: the block allocated above, no longer used.
        unsafe { arena.free(block, 256) };
    }

    fn out_arena() -> (Arc<OutArena>, OutArenaView) {
        let arena = Arc::new(OutArena::create(2 * PAGE_SIZE).unwrap());
        let view = OutArenaView::map(arena.fd().try_clone_to_owned().unwrap()).unwrap();
        (arena, view)
    }

    fn out(view: &OutArenaView) -> ServedArenas<'_> {
        ServedArenas {
            shared: None,
            out: Some(view),
        }
    }

    #[test]
    fn an_out_segment_is_found_in_the_domains_writable_mapping() {
        let (_arena, view) = out_arena();
        let p = payload(&[(SHARED_OUT, 128, 256)]);
        let (calls, _) = CallSegments::read(&p, None, out(&view)).unwrap();
        let (i, ptr) = calls.take(SegmentDir::Out, 256, 8).unwrap();
        assert_eq!((i, ptr), (0, view.at(128, 0).unwrap()));
        // C writes it in place; only the count goes back, no bytes.
        calls.wrote(0, 100).unwrap();
        assert!(calls.wrote(0, 257).is_err());
        let reply = calls.reply(b"r");
        assert_eq!(reply, [&100u64.to_le_bytes()[..], b"r"].concat());
    }

    /// An in-out one too: C reads and writes it in place, and only the
    /// count goes back; it is no `Out` segment, nor an `In` one.
    #[test]
    fn an_in_out_segment_is_found_in_the_domains_writable_mapping() {
        let (_arena, view) = out_arena();
        let p = payload(&[(SHARED_IN_OUT, 64, 128)]);
        let (calls, _) = CallSegments::read(&p, None, out(&view)).unwrap();
        assert_eq!(
            calls.take(SegmentDir::Out, 128, 8).err(),
            Some(WireError("a segment differs from its buffer"))
        );
        let (calls, rest) = CallSegments::read(&p, None, out(&view)).unwrap();
        assert!(rest.is_empty(), "no inline bytes for it");
        let (i, ptr) = calls.take(SegmentDir::InOut, 128, 8).unwrap();
        assert_eq!((i, ptr), (0, view.at(64, 0).unwrap()));
        calls.wrote(0, 128).unwrap();
        assert_eq!(calls.reply(b""), 128u64.to_le_bytes());
        // Outside the arena, or with no out arena mapped.
        let past = payload(&[(SHARED_IN_OUT, view.len() as u64, 1)]);
        assert!(CallSegments::read(&past, None, out(&view)).is_err());
        assert!(CallSegments::read(&p, None, ServedArenas::default()).is_err());
    }

    #[test]
    fn out_segments_outside_the_arena_misaligned_or_mistyped_are_refused() {
        let (_arena, view) = out_arena();
        let len = view.len() as u64;
        for (offset, n) in [
            (len - 64, 128),
            (len, 1),
            (u64::MAX, 1),
            (1, u64::MAX),
            (u64::MAX, 0),
            (0, 1 << 40),
        ] {
            let p = payload(&[(SHARED_OUT, offset, n)]);
            assert_eq!(
                CallSegments::read(&p, None, out(&view)).err(),
                Some(WireError("an out segment outside the out arena")),
                "{offset} + {n}"
            );
        }
        // No out arena, or only the read-only one.
        let p = payload(&[(SHARED_OUT, 0, 64)]);
        assert_eq!(
            CallSegments::read(&p, None, ServedArenas::default()).err(),
            Some(WireError("an out segment, and no out arena"))
        );
        let (_shared, ro) = arena();
        assert!(CallSegments::read(&p, None, shared(&ro)).is_err());
        // A tag-3 entry never reaches the writable mapping.
        let p = payload(&[(SHARED_IN, 0, 64)]);
        assert!(CallSegments::read(&p, None, out(&view)).is_err());
        // Misaligned for the element, or not the parameter's direction.
        let p = payload(&[(SHARED_OUT, 4, 64)]);
        let (calls, _) = CallSegments::read(&p, None, out(&view)).unwrap();
        assert_eq!(
            calls.take(SegmentDir::Out, 64, 8).err(),
            Some(WireError("a misaligned segment"))
        );
        for dir in [SegmentDir::In, SegmentDir::InOut] {
            let p = payload(&[(SHARED_OUT, 0, 64)]);
            let (calls, _) = CallSegments::read(&p, None, out(&view)).unwrap();
            assert_eq!(
                calls.take(dir, 64, 1).err(),
                Some(WireError("a segment differs from its buffer"))
            );
        }
    }

    /// Inline segments are checked against the frame before any private
    /// buffer is allocated: a length the frame cannot hold is refused at
    /// once, however large.
    #[test]
    fn inline_segments_are_checked_against_the_frame_first() {
        for (tag, len) in [(0u8, 1u64 << 29), (2, 1 << 29), (0, 9), (0, u64::MAX)] {
            let mut p = payload(&[(tag, INLINE, len)]);
            p.extend_from_slice(&[1; 8]);
            assert!(
                matches!(
                    CallSegments::read(&p, None, ServedArenas::default()).err(),
                    Some(WireError("inline segments exceed the frame"))
                ),
                "tag {tag}, {len} bytes"
            );
        }
        // Two sent ones whose sum the frame cannot hold.
        let mut p = payload(&[(0, INLINE, 6), (2, INLINE, 6)]);
        p.extend_from_slice(&[1; 8]);
        assert!(CallSegments::read(&p, None, ServedArenas::default()).is_err());
        // Outputs: at most the bound together, and no overflow.
        let half = (MAX_INLINE_SEGMENT / 2 + 1) as u64;
        for entries in [
            vec![(1u8, INLINE, MAX_INLINE_SEGMENT as u64 + 1)],
            vec![(1, INLINE, half), (1, INLINE, half)],
            vec![(1, INLINE, u64::MAX), (1, INLINE, u64::MAX)],
        ] {
            let p = payload(&entries);
            assert!(CallSegments::read(&p, None, ServedArenas::default()).is_err());
        }
        // What fits is served.
        let mut p = payload(&[(0, INLINE, 8), (1, INLINE, 16)]);
        p.extend_from_slice(&[3; 8]);
        let (calls, rest) = CallSegments::read(&p, None, ServedArenas::default()).unwrap();
        assert!(rest.is_empty());
        let (_, ptr) = calls.take(SegmentDir::In, 8, 8).unwrap();
        // SAFETY: the private copy of 8 bytes.
        assert_eq!(unsafe { std::slice::from_raw_parts(ptr, 8) }, &[3; 8]);
    }

    proptest::proptest! {
        /// Any table against both arenas: never a panic, and every shared
        /// segment accepted lies inside the mapping its direction takes.
        #[test]
        fn any_hostile_table_is_refused_or_inside_its_arena(
            entries in proptest::collection::vec(
                (
                    0u8..6,
                    proptest::prop_oneof![
                        0u64..3 * PAGE_SIZE as u64,
                        proptest::num::u64::ANY,
                    ],
                    proptest::prop_oneof![0u64..3 * PAGE_SIZE as u64, proptest::num::u64::ANY],
                ),
                0..6,
            )
        ) {
            let (_a, ro) = arena();
            let (_b, rw) = out_arena();
            let arenas = ServedArenas { shared: Some(&ro), out: Some(&rw) };
            let p = payload(&entries);
            if let Ok((calls, _)) = CallSegments::read(&p, None, arenas) {
                for s in calls.segments.iter().filter(|s| s.entry.shared) {
                    let (base, len) = match s.entry.dir {
                        SegmentDir::In => (ro.as_ptr() as usize, ro.len()),
                        _ => (rw.as_ptr() as usize, rw.len()),
                    };
                    let start = s.ptr as usize;
                    proptest::prop_assert!(start >= base);
                    proptest::prop_assert!((start - base) as u64 + s.entry.len <= len as u64);
                }
            }
        }
    }

    /// The client names a `SharedOut` of its out arena by its offset and
    /// sends no bytes; one of another arena goes to the frame and gets C's
    /// bytes by volatile stores; a count over the length is refused.
    #[test]
    fn the_client_sends_an_out_arena_buffer_by_offset() {
        let (arena, _view) = out_arena();
        let (other, _) = out_arena();
        let space = arena.clone() as Arc<dyn OutSpace>;
        let mut ours = SharedOut::<u32>::in_space(Some(space), 64).unwrap();
        let mut theirs =
            SharedOut::<u32>::in_space(Some(other.clone() as Arc<dyn OutSpace>), 4).unwrap();
        let at = arena.offset_of_raw(ours.as_ptr().cast(), 256).unwrap();
        let mut segments = [
            Segment::shared_output(&mut ours),
            Segment::shared_output(&mut theirs),
        ];
        let arenas = Arenas {
            shared: None,
            out: Some(&arena),
        };
        let (p, placed) = request(None, arenas, &segments, b"q");
        let mut r = Reader::new(&p);
        let table = TableEntry::get_table(&mut r).unwrap();
        assert_eq!(
            table[0],
            TableEntry {
                dir: SegmentDir::Out,
                offset: at,
                len: 256,
                shared: true
            }
        );
        assert_eq!(p[4], SHARED_OUT);
        assert_eq!((table[1].offset, table[1].shared), (INLINE, false));
        u32::get(&mut r).unwrap();
        assert_eq!(r.remaining(), 1, "no byte of either buffer");
        // 40 bytes in place, 8 inline for the other arena's buffer.
        let mut answer = Vec::new();
        40u64.put(&mut answer);
        8u64.put(&mut answer);
        answer.extend_from_slice(&[1, 0, 0, 0, 2, 0, 0, 0]);
        answer.extend_from_slice(b"rest");
        assert_eq!(reply(&placed, &mut segments, &answer).unwrap(), b"rest");
        assert_eq!((segments[0].written(), segments[1].written()), (40, 8));
        // The segments' borrows end here.
        assert_eq!(theirs.to_vec(), [1, 2, 0, 0]);
        let mut segments = [Segment::shared_output(&mut ours)];
        let (_, placed) = request(None, arenas, &segments, b"q");
        let mut over = Vec::new();
        257u64.put(&mut over);
        assert!(reply(&placed, &mut segments, &over).is_err());
    }

    /// An `InOut` buffer of the channel's out arena goes by its offset with
    /// tag 5, none of its bytes sent; one of another arena sends its
    /// contents inline (read by volatile loads) and gets C's back.
    #[test]
    fn the_client_sends_an_in_out_arena_buffer_by_offset() {
        let (arena, _view) = out_arena();
        let (other, _) = out_arena();
        let mut ours =
            SharedOut::<u8>::in_space(Some(arena.clone() as Arc<dyn OutSpace>), 64).unwrap();
        let mut theirs = SharedOut::<u8>::in_space(Some(other as Arc<dyn OutSpace>), 4).unwrap();
        assert_eq!(theirs.copy_from_slice(&[1, 2, 3, 4]), 4);
        let at = arena.offset_of_raw(ours.as_ptr(), 64).unwrap();
        let mut segments = [
            Segment::shared_in_out(&mut ours),
            Segment::shared_in_out(&mut theirs),
        ];
        let arenas = Arenas {
            shared: None,
            out: Some(&arena),
        };
        let (p, placed) = request(None, arenas, &segments, b"q");
        assert_eq!(p[4], SHARED_IN_OUT);
        let mut r = Reader::new(&p);
        let table = TableEntry::get_table(&mut r).unwrap();
        assert_eq!(
            table[0],
            TableEntry {
                dir: SegmentDir::InOut,
                offset: at,
                len: 64,
                shared: true
            }
        );
        assert_eq!(
            (table[1].dir, table[1].offset, table[1].shared),
            (SegmentDir::InOut, INLINE, false)
        );
        u32::get(&mut r).unwrap();
        assert_eq!(r.bytes(4).unwrap(), [1, 2, 3, 4], "the other's contents");
        assert_eq!(r.remaining(), 1, "then the request alone");
        let mut answer = Vec::new();
        64u64.put(&mut answer);
        4u64.put(&mut answer);
        answer.extend_from_slice(&[4, 3, 2, 1]);
        assert_eq!(reply(&placed, &mut segments, &answer).unwrap(), b"");
        assert_eq!(theirs.to_vec(), [4, 3, 2, 1]);
    }
}
