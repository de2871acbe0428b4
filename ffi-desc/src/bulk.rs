//! Bulk arguments of the Isolated linkage: `In`/`Out`/`InOut` buffers of
//! plain scalars passed as *segments* instead of inline in the request.
//!
//! A transport that has a shared region (the process domain) places each
//! segment there: the client copies an `In` buffer's bytes in once, the C
//! function reads and writes the region in place, and the client copies an
//! `Out` buffer's written bytes out once. A segment that does not fit travels
//! inline in the frame instead, with the same results.
//!
//! What the client *decides* never comes from the region: where each segment
//! lies is the client's own choice, and the only thing the domain reports
//! back is how many bytes it wrote into each, which arrives in the reply
//! frame (copied out of the ring before it is read) and is checked against
//! the segment's length. The region's bytes themselves are opaque payload:
//! the client copies them into the caller's slice as they are, so a domain
//! that rewrites them meanwhile only garbles its own answer.
//!
//! # The frame
//!
//! A call with segments is a [`crate::frame::Kind::BulkCall`] whose payload
//! is the segment table, then the inline segments' bytes, then the request:
//!
//! | size | field |
//! | --- | --- |
//! | 4 | segment count `n` |
//! | `n` × 17 | per segment: tag (0 in, 1 out, 2 in-out, 3 in from the shared arena: [`SHARED_IN`], 4 out into the out arena: [`SHARED_OUT`], 5 in-out in the out arena: [`SHARED_IN_OUT`]), offset (in the lane's region; `u64::MAX`: inline; for tag 3, in the shared arena; for tags 4 and 5, in the out arena), length in bytes |
//! | 4 | the CPU the caller runs on, where the server should run the call ([`NO_CPU`]: anywhere) |
//! | … | the bytes of every inline `In`/`InOut` segment, in order |
//! | … | the request, as for a [`crate::frame::Kind::Call`] |
//!
//! A segment of tag 3 is an `In` buffer the caller allocated in the
//! channel's shared arena ([`crate::shared::SharedBuf`]): the client copies
//! nothing, and the domain finds the bytes at that offset of its own
//! read-only mapping of the arena, checking offset and length against that
//! mapping (checked arithmetic) and the start against the element's
//! alignment. Such segments may overlap each other: the domain only reads
//! them. Only `In` buffers are sent this way.
//!
//! A segment of tag 4 is an `Out` buffer the caller allocated in the
//! channel's out arena ([`crate::shared_out::SharedOut`]), which the domain
//! maps writable: the client copies nothing either way, the domain checks
//! offset and length against its own mapping (checked arithmetic), the
//! start against the element's alignment and the direction against the
//! parameter's, and C writes there in place. The bytes written still come
//! from the reply's count, checked against the length. The domain may
//! write the whole arena whenever it likes, so such segments need no check
//! against each other.
//!
//! A segment of tag 5 is the same for an `InOut` buffer: C reads what the
//! caller left in the [`crate::shared_out::SharedOut`] and writes over it,
//! in place, with no copy either way.
//!
//! Its reply is a [`crate::frame::Kind::Reply`] whose payload is the bytes
//! written into each segment (`n` × 8; 0 for `In`), then the written bytes of
//! every inline `Out`/`InOut` segment, in order, then the reply proper. In
//! the request, a segment buffer's element count (or capacity) carries
//! [`SEGMENT_FLAG`] and no elements follow it; in the reply proper it has no
//! part at all.

use crate::shared_out::{copy_volatile, SharedOut};
use crate::wire::{Reader, Wire, WireError};
use alloc::vec::Vec;
use core::marker::PhantomData;
use core::ptr::NonNull;

/// Set in a buffer's element count (or capacity) on the wire when the
/// buffer is the next segment of the call rather than inline.
pub const SEGMENT_FLAG: u64 = 1 << 63;

/// The offset of a segment that travels inline in the frame.
pub const INLINE: u64 = u64::MAX;

/// The CPU of a call with no wish where it runs.
pub const NO_CPU: u32 = u32::MAX;

/// The tag of an `In` segment that lies in the channel's shared arena.
pub const SHARED_IN: u8 = 3;

/// The tag of an `Out` segment that lies in the channel's out arena, which
/// the domain maps writable ([`crate::shared_out::SharedOut`]).
pub const SHARED_OUT: u8 = 4;

/// The tag of an `InOut` segment that lies in the channel's out arena: C
/// reads and writes it in place.
pub const SHARED_IN_OUT: u8 = 5;

/// Bytes per entry of the segment table.
pub const TABLE_ENTRY: usize = 17;

/// The most segments one call may have (a bound on the table a server
/// decodes; a description has far fewer buffer parameters).
pub const MAX_SEGMENTS: usize = 64;

/// A scalar whose slices may be passed as bytes: every bit pattern is a
/// value, and it has no padding.
///
/// # Safety
/// Implement only for types with no padding and no invalid bit pattern.
pub unsafe trait Plain: Copy + 'static {}

macro_rules! plain {
    ($($t:ty),*) => {$(
        // SAFETY: a primitive integer or float: no padding, every bit pattern valid.
        unsafe impl Plain for $t {}
    )*};
}
plain!(u8, i8, u16, i16, u32, i32, u64, i64, usize, isize, f32, f64);

/// Which way a segment's bytes go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum SegmentDir {
    /// C reads it.
    In = 0,
    /// C writes it.
    Out = 1,
    /// C reads and writes it.
    InOut = 2,
}

impl SegmentDir {
    /// The direction encoded as `b`.
    pub fn from_u8(b: u8) -> Option<SegmentDir> {
        match b {
            0 => Some(SegmentDir::In),
            1 => Some(SegmentDir::Out),
            2 => Some(SegmentDir::InOut),
            _ => None,
        }
    }

    /// Whether C's writes come back.
    pub fn returns(self) -> bool {
        self != SegmentDir::In
    }

    /// Whether the caller's bytes go to C.
    pub fn sends(self) -> bool {
        self != SegmentDir::Out
    }
}

enum Bytes<'a> {
    Shared(&'a [u8]),
    Unique(&'a mut [u8]),
    /// A [`SharedOut`]'s block: memory a domain may write at any time, so
    /// never made a reference; reached by volatile accesses only.
    Raw {
        ptr: NonNull<u8>,
        len: usize,
        _lent: PhantomData<&'a mut [u8]>,
    },
}

/// One buffer of a call, lent by the caller, as bytes.
pub struct Segment<'a> {
    dir: SegmentDir,
    bytes: Bytes<'a>,
    written: usize,
}

// SAFETY: a segment is a `&[u8]` or `&mut [u8]` lent for the call, or a
// `SharedOut`'s block lent as a `&mut` of it would be: the raw pointer is
// only written through by `receive_raw`, which takes `&mut self`.
unsafe impl Send for Segment<'_> {}
// SAFETY: as for `Send`; `&Segment` gives out only `&[u8]` and addresses.
unsafe impl Sync for Segment<'_> {}

fn as_bytes<T: Plain>(s: &[T]) -> &[u8] {
    // SAFETY: `T: Plain` has no padding, so every byte of the slice is
    // initialised; the length is the slice's size in bytes.
    unsafe { core::slice::from_raw_parts(s.as_ptr().cast::<u8>(), core::mem::size_of_val(s)) }
}

fn as_bytes_mut<T: Plain>(s: &mut [T]) -> &mut [u8] {
    // SAFETY: as `as_bytes`; and any bytes written make a valid `T`
    // (`Plain`: every bit pattern is a value).
    unsafe {
        core::slice::from_raw_parts_mut(s.as_mut_ptr().cast::<u8>(), core::mem::size_of_val(s))
    }
}

impl<'a> Segment<'a> {
    /// A buffer C reads.
    pub fn input<T: Plain>(s: &'a [T]) -> Self {
        Segment {
            dir: SegmentDir::In,
            bytes: Bytes::Shared(as_bytes(s)),
            written: 0,
        }
    }

    /// A buffer C writes.
    pub fn output<T: Plain>(s: &'a mut [T]) -> Self {
        Segment {
            dir: SegmentDir::Out,
            bytes: Bytes::Unique(as_bytes_mut(s)),
            written: 0,
        }
    }

    /// A [`SharedOut`] C writes: in place when it lies in the channel's out
    /// arena ([`Segment::raw_out`]), else its bytes are written into it by
    /// volatile stores.
    pub fn shared_output<T: Plain>(s: &'a mut SharedOut<T>) -> Self {
        let len = s.len() * core::mem::size_of::<T>();
        let ptr = NonNull::new(s.as_mut_ptr().cast::<u8>()).unwrap_or(NonNull::dangling());
        Segment {
            dir: SegmentDir::Out,
            bytes: Bytes::Raw {
                ptr,
                len,
                _lent: PhantomData,
            },
            written: 0,
        }
    }

    /// A [`SharedOut`] C reads and writes: in place when it lies in the
    /// channel's out arena, else its bytes are read by volatile loads
    /// ([`Segment::put_sent`], [`Segment::copy_sent`]) and C's written back
    /// by volatile stores.
    pub fn shared_in_out<T: Plain>(s: &'a mut SharedOut<T>) -> Self {
        Segment {
            dir: SegmentDir::InOut,
            ..Segment::shared_output(s)
        }
    }

    /// A buffer C reads and writes.
    pub fn in_out<T: Plain>(s: &'a mut [T]) -> Self {
        Segment {
            dir: SegmentDir::InOut,
            bytes: Bytes::Unique(as_bytes_mut(s)),
            written: 0,
        }
    }

    /// Its direction.
    pub fn dir(&self) -> SegmentDir {
        self.dir
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        match &self.bytes {
            Bytes::Shared(b) => b.len(),
            Bytes::Unique(b) => b.len(),
            Bytes::Raw { len, .. } => *len,
        }
    }

    /// Whether it holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The caller's bytes, for C to read (`None` for an `Out` buffer, whose
    /// contents C must not see).
    pub fn sent(&self) -> Option<&[u8]> {
        if !self.dir.sends() {
            return None;
        }
        match &self.bytes {
            Bytes::Shared(b) => Some(b),
            Bytes::Unique(b) => Some(b),
            Bytes::Raw { .. } => None,
        }
    }

    /// Appends the caller's bytes, for C to read (nothing for an `Out`
    /// buffer); a [`SharedOut`]'s are read by volatile loads, since a
    /// domain may be writing them (C then reads its own garbage).
    pub fn put_sent(&self, out: &mut Vec<u8>) {
        if !self.dir.sends() {
            return;
        }
        match &self.bytes {
            Bytes::Shared(b) => out.extend_from_slice(b),
            Bytes::Unique(b) => out.extend_from_slice(b),
            Bytes::Raw { ptr, len, .. } => {
                let at = out.len();
                out.resize(at + len, 0);
                // SAFETY: the block holds `len` bytes; `out` now holds
                // `len` bytes from `at`, in memory of its own.
                unsafe { copy_volatile(ptr.as_ptr(), out.as_mut_ptr().add(at), *len) };
            }
        }
    }

    /// Copies the caller's bytes to `dst` for C to read (nothing for an
    /// `Out` buffer; a [`SharedOut`]'s by volatile loads).
    ///
    /// # Safety
    ///
    /// `dst` is valid for [`Segment::len`] bytes of writes (which another
    /// process may be reading) and does not overlap the caller's buffer.
    pub unsafe fn copy_sent(&self, dst: *mut u8) {
        if !self.dir.sends() {
            return;
        }
        match &self.bytes {
            // SAFETY: the caller's `len` bytes, to `len` bytes at `dst`.
            Bytes::Shared(b) => unsafe { core::ptr::copy_nonoverlapping(b.as_ptr(), dst, b.len()) },
            // SAFETY: as above.
            Bytes::Unique(b) => unsafe { core::ptr::copy_nonoverlapping(b.as_ptr(), dst, b.len()) },
            // SAFETY: the block's `len` bytes, to `len` bytes at `dst`.
            Bytes::Raw { ptr, len, .. } => unsafe { copy_volatile(ptr.as_ptr(), dst, *len) },
        }
    }

    /// Where a [`SharedOut`] segment's bytes start, and how many: the
    /// transport finds whether they lie in its out arena (`None` for any
    /// other segment).
    pub fn raw_out(&self) -> Option<(*const u8, usize)> {
        match &self.bytes {
            Bytes::Raw { ptr, len, .. } => Some((ptr.as_ptr().cast_const(), *len)),
            _ => None,
        }
    }

    /// Copies the `n` bytes at `src` that C wrote into the caller's buffer
    /// (a slice, or a [`SharedOut`] by volatile stores); `false` for an
    /// `In` segment or `n` above its length, and nothing copied.
    ///
    /// # Safety
    ///
    /// `src` is valid for `n` bytes of reads (which another process may be
    /// writing: they are read by volatile loads) and does not overlap the
    /// caller's buffer.
    pub unsafe fn receive_raw(&mut self, src: *const u8, n: usize) -> bool {
        if !self.dir.returns() || n > self.len() {
            return false;
        }
        match &mut self.bytes {
            Bytes::Shared(_) => return false,
            // SAFETY: `n` bytes inside the caller's slice and at `src`. A
            // plain copy, as fast as the machine copies: the bytes it reads
            // may change under it, and only land, as they are, in memory
            // the caller lent mutably.
            Bytes::Unique(b) => unsafe { core::ptr::copy_nonoverlapping(src, b.as_mut_ptr(), n) },
            // SAFETY: `n` bytes inside the caller's block and at `src`.
            Bytes::Raw { ptr, .. } => unsafe { copy_volatile(src, ptr.as_ptr(), n) },
        }
        true
    }

    /// [`Segment::receive_raw`] of bytes the transport holds itself (an
    /// inline segment's, from the reply frame).
    pub fn receive(&mut self, src: &[u8]) -> bool {
        // SAFETY: a slice of `src.len()` bytes, which cannot overlap a
        // buffer lent mutably to this segment.
        unsafe { self.receive_raw(src.as_ptr(), src.len()) }
    }

    /// The caller's slice, for C's writes to be copied into (`None` for an
    /// `In` buffer).
    pub fn receiver(&mut self) -> Option<&mut [u8]> {
        match &mut self.bytes {
            Bytes::Unique(b) if self.dir.returns() => Some(b),
            _ => None,
        }
    }

    /// Records that C wrote the first `n` bytes (checked by the transport
    /// against [`Segment::len`] before the bytes were copied).
    pub fn set_written(&mut self, n: usize) {
        self.written = n.min(self.len());
    }

    /// How many bytes C wrote, as the transport recorded.
    pub fn written(&self) -> usize {
        self.written
    }
}

/// The elements C wrote into a segment buffer of `T` that holds `capacity`
/// elements, from the bytes the transport recorded.
pub fn written_elements<T: Plain>(bytes: usize, capacity: usize) -> Result<usize, WireError> {
    let size = core::mem::size_of::<T>();
    if bytes % size != 0 {
        return Err(WireError(
            "a segment's written bytes are not whole elements",
        ));
    }
    let n = bytes / size;
    if n > capacity {
        return Err(WireError("more elements than the buffer holds"));
    }
    Ok(n)
}

/// The client: the request's entry for a buffer passed as a segment.
pub fn put_marker(elements: usize, out: &mut Vec<u8>) {
    (SEGMENT_FLAG | elements as u64).put(out);
}

/// One entry of the segment table, as the server reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableEntry {
    /// Its direction.
    pub dir: SegmentDir,
    /// Its offset in the lane's region, or [`INLINE`]; in the shared arena
    /// when `shared`.
    pub offset: u64,
    /// Its length in bytes.
    pub len: u64,
    /// Whether it lies in one of the channel's arenas: an `In` segment in
    /// the shared arena (tag [`SHARED_IN`]), an `Out` or `InOut` one in the
    /// out arena (tags [`SHARED_OUT`], [`SHARED_IN_OUT`]).
    pub shared: bool,
}

impl TableEntry {
    /// Its tag on the wire.
    fn tag(&self) -> u8 {
        match (self.shared, self.dir) {
            (false, dir) => dir as u8,
            (true, SegmentDir::In) => SHARED_IN,
            (true, SegmentDir::Out) => SHARED_OUT,
            (true, SegmentDir::InOut) => SHARED_IN_OUT,
        }
    }

    /// Appends the entry.
    pub fn put(&self, out: &mut Vec<u8>) {
        out.push(self.tag());
        self.offset.put(out);
        self.len.put(out);
    }

    /// Reads a segment table: its count (at most [`MAX_SEGMENTS`]) and
    /// entries.
    pub fn get_table(r: &mut Reader<'_>) -> Result<Vec<TableEntry>, WireError> {
        let n = u32::get(r)? as usize;
        if n > MAX_SEGMENTS {
            return Err(WireError("too many segments"));
        }
        let mut table = Vec::with_capacity(n);
        for _ in 0..n {
            let tag = u8::get(r)?;
            let (dir, shared) = match tag {
                SHARED_IN => (SegmentDir::In, true),
                SHARED_OUT => (SegmentDir::Out, true),
                SHARED_IN_OUT => (SegmentDir::InOut, true),
                _ => (
                    SegmentDir::from_u8(tag).ok_or(WireError("bad segment direction"))?,
                    false,
                ),
            };
            let offset = u64::get(r)?;
            let len = u64::get(r)?;
            table.push(TableEntry {
                dir,
                offset,
                len,
                shared,
            });
        }
        Ok(table)
    }
}

/// A buffer parameter as the domain's server function holds it: decoded
/// into memory it owns, or a segment (in the shared region, or a private
/// copy of an inline one) that the session keeps for the call.
pub enum ServerBuf<T> {
    /// Decoded from the request.
    Owned(Vec<T>),
    /// Segment `index` of the call: `len` elements at `ptr`.
    Segment {
        /// Which segment of the call.
        index: usize,
        /// Its first element.
        ptr: *mut T,
        /// Its length in elements.
        len: usize,
    },
}

// The server side runs only in a domain, which has std.
#[cfg(feature = "std")]
impl<T: Plain + Wire + Default> ServerBuf<T> {
    /// Reads a buffer parameter of direction `dir`: inline elements (or an
    /// `Out` buffer's capacity, at most `max`), or a segment marker, whose
    /// segment the session of `ctx` hands out.
    pub fn decode(
        ctx: &dyn crate::isolated::ServerCtx,
        r: &mut Reader<'_>,
        dir: SegmentDir,
        max: usize,
    ) -> Result<Self, WireError> {
        let raw = u64::get(r)?;
        if raw & SEGMENT_FLAG != 0 {
            let len = usize::try_from(raw & !SEGMENT_FLAG)
                .ok()
                .filter(|&n| n <= max)
                .ok_or(WireError("segment above the bound"))?;
            let bytes = len
                .checked_mul(core::mem::size_of::<T>())
                .ok_or(WireError("segment length overflows"))?;
            let (index, ptr) = ctx.segment(dir, bytes, core::mem::align_of::<T>())?;
            return Ok(ServerBuf::Segment {
                index,
                ptr: ptr.cast::<T>(),
                len,
            });
        }
        let n = usize::try_from(raw).map_err(|_| WireError("count overflows"))?;
        if !dir.sends() {
            if n > max {
                return Err(WireError("capacity above the bound"));
            }
            return Ok(ServerBuf::Owned(alloc::vec![T::default(); n]));
        }
        let bytes = n
            .checked_mul(T::SIZE.max(1))
            .ok_or(WireError("count times size overflows"))?;
        if bytes > r.remaining() {
            return Err(WireError("count exceeds the payload"));
        }
        let mut v = alloc::vec![T::default(); n];
        T::get_many(r, &mut v)?;
        Ok(ServerBuf::Owned(v))
    }

    /// Its length in elements.
    pub fn len(&self) -> usize {
        match self {
            ServerBuf::Owned(v) => v.len(),
            ServerBuf::Segment { len, .. } => *len,
        }
    }

    /// Whether it holds no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Its first element, for C to read.
    pub fn as_ptr(&self) -> *const T {
        match self {
            ServerBuf::Owned(v) => v.as_ptr(),
            ServerBuf::Segment { ptr, .. } => *ptr,
        }
    }

    /// Its first element, for C to write.
    pub fn as_mut_ptr(&mut self) -> *mut T {
        match self {
            ServerBuf::Owned(v) => v.as_mut_ptr(),
            ServerBuf::Segment { ptr, .. } => *ptr,
        }
    }

    /// After C ran: the first `n` elements (bounded by the length) are what
    /// C wrote. Inline, they are encoded into `out`; a segment's count is
    /// told to the session, which puts it in the reply's prefix.
    pub fn put_written(
        &self,
        ctx: &dyn crate::isolated::ServerCtx,
        n: usize,
        out: &mut Vec<u8>,
    ) -> Result<(), WireError> {
        let n = n.min(self.len());
        match self {
            ServerBuf::Owned(v) => {
                crate::wire::put_slice(&v[..n], out);
                Ok(())
            }
            ServerBuf::Segment { index, .. } => {
                ctx.segment_written(*index, n * core::mem::size_of::<T>())
            }
        }
    }
}
