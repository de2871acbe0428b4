//! [`SharedOut`]: a buffer of plain scalars that C fills in place, with no
//! copy, in every linkage, including the Isolated one.
//!
//! A process domain gets, besides the read-only arena of
//! [`crate::shared::SharedBuf`], a second arena that it maps **writable**:
//! the *out arena*. A [`SharedOut`] allocated from an Isolated linkage lives
//! there. Passed to an `Out` slice parameter (at or above the channel's
//! bulk threshold), the client sends only where it
//! lies (`ffi_desc::bulk` documents the table entry, tag
//! [`crate::bulk::SHARED_OUT`]), C writes into it where it lies, and the
//! reply says only how many bytes it wrote: no byte is copied. Passed to
//! an `InOut` slice parameter, the same, tag [`crate::bulk::SHARED_IN_OUT`]:
//! C reads what the caller left there and writes over it in place.
//!
//! # Why there is no `&[T]` of it
//!
//! The domain can write the out arena at any moment, not only during a
//! call: that is what writable means, and a hostile domain does it. Rust
//! assumes the memory behind a `&[T]` does not change while the reference
//! lives, and the compiler acts on it (a bounds check done once and hoisted
//! out of a loop, a value read twice folded into one read). So no `&[T]`
//! or `&mut [T]` of a [`SharedOut`] is ever made, by this crate or by safe
//! code: every element is read and written by a volatile access
//! ([`SharedOut::get`], [`SharedOut::iter`], [`SharedOut::copy_to_slice`],
//! [`SharedOut::to_vec`], [`SharedOut::set`], [`SharedOut::copy_from_slice`]),
//! which the compiler performs exactly as written. What a read returns is a
//! value the domain (or this process) wrote at some moment; nothing more is
//! promised, and nothing needs to be: every bit pattern of a
//! [`crate::bulk::Plain`] scalar is a value.
//!
//! In the Linked and Loaded linkages, and over a channel that shares no
//! memory with its domain, the same type is plain heap memory, with the
//! same accessors.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use core::marker::PhantomData;
use core::ptr::NonNull;

use crate::bulk::Plain;
use crate::shared::SharedBufError;
use crate::shared_block::Block;

/// Memory a channel shares with its domain, which the domain may write at
/// any time.
///
/// # Safety
///
/// [`OutSpace::alloc`] returns `bytes` bytes aligned to
/// [`SHARED_ALIGN`](crate::shared::SHARED_ALIGN),
/// mapped and valid until they are passed to [`OutSpace::free`] (and as
/// long as the space lives), that no other block overlaps. Another process
/// may write them at any time: the caller accesses them only through raw
/// pointers, by volatile accesses.
pub unsafe trait OutSpace: Send + Sync {
    /// A block of `bytes` bytes (`bytes > 0`).
    fn alloc(&self, bytes: usize) -> Result<NonNull<u8>, SharedBufError>;

    /// Returns a block.
    ///
    /// # Safety
    ///
    /// `ptr` and `bytes` are those of a block this space allocated and has
    /// not had back, and it is not accessed afterwards.
    unsafe fn free(&self, ptr: NonNull<u8>, bytes: usize);
}

/// A buffer of `len` plain scalars, zeroed when made, that C fills in place:
/// in the out arena of an Isolated linkage (plain memory in the others).
///
/// # What its contents are
///
/// Passed to an `Out` slice parameter, the buffer holds afterwards what C
/// wrote into it (in place, with no copy, when it is at least the
/// channel's bulk threshold: below, the frame carries C's bytes, as for a
/// slice); the call's result says how many elements C reports having
/// written (checked against the length). Passed to an `InOut` slice
/// parameter, C first reads what the buffer holds, where it lies (below
/// the threshold the frame carries a copy, each element read once). In an
/// Isolated linkage, the contents are **the domain's writes**: the domain
/// maps the out arena writable, so it can write this buffer at any moment,
/// during the call, after the reply, while you read it, whether or not any
/// call passes it, and so can a later incarnation of the domain (every
/// incarnation maps the same arena). A hostile domain can also read it.
///
/// What they are not: a snapshot. Two reads of one element may differ, and
/// the count the call returns says what C reported, not what the memory
/// holds now. To work on stable values, copy them out
/// ([`SharedOut::copy_to_slice`], [`SharedOut::to_vec`]) and validate the
/// copy; decide nothing on a value read twice. Keep nothing in it the
/// domain may not see.
///
/// What the domain cannot do through it: anything else. It holds no
/// reference, so Rust's aliasing rules are never broken; its accessors
/// never read or write outside the buffer; and the arena's size is sealed,
/// so reading it never faults. The caller's other memory, including its
/// [`crate::shared::SharedBuf`]s, is out of reach.
///
/// In Linked and Loaded the buffer is plain memory that C writes in place.
/// In an Isolated linkage whose channel passes no segments, or when the
/// buffer belongs to another domain's arena, the call copies C's writes
/// into it; the domain of that call never sees the buffer (though the
/// domain whose out arena holds it still can write it).
pub struct SharedOut<T: Plain> {
    block: Block<dyn OutSpace>,
    len: usize,
    _owns: PhantomData<T>,
}

// SAFETY: the buffer owns its block; every access is a volatile one through
// a raw pointer, so moving the buffer or sharing `&SharedOut` between
// threads makes no reference to racy memory; `T: Plain` is a scalar.
unsafe impl<T: Plain + Send> Send for SharedOut<T> {}
// SAFETY: as for `Send`: `&SharedOut` only reads, by volatile loads.
unsafe impl<T: Plain + Sync> Sync for SharedOut<T> {}

impl<T: Plain> SharedOut<T> {
    /// `len` zeroed elements where `lib`'s domain writes in place: the out
    /// arena of an Isolated linkage whose channel has one, plain memory for
    /// the other linkages. Fails with [`SharedBufError::NoArena`] for an
    /// Isolated linkage configured without an out arena,
    /// [`SharedBufError::Full`] when it has no room, and
    /// [`SharedBufError::Overaligned`] for an element type aligned to more
    /// than [`SHARED_ALIGN`](crate::shared::SHARED_ALIGN).
    pub fn new<L: crate::Linkage + ?Sized>(lib: &L, len: usize) -> Result<Self, SharedBufError> {
        Self::in_space(lib.shared_out_space()?, len)
    }

    /// `len` zeroed elements in `space`, or in plain memory when `None`.
    pub fn in_space(space: Option<Arc<dyn OutSpace>>, len: usize) -> Result<Self, SharedBufError> {
        let mut buf = SharedOut {
            block: Block::for_elements::<T>(space, len)?,
            len,
            _owns: PhantomData,
        };
        if buf.is_shared() {
            // A block given back by an earlier buffer holds its bytes.
            buf.zero();
        }
        Ok(buf)
    }

    /// Its length in elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it holds no elements.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether the buffer lies in a channel's out arena (rather than in
    /// plain memory).
    pub fn is_shared(&self) -> bool {
        self.block.in_arena()
    }

    /// Its first element, as a raw pointer (no reference is made).
    pub fn as_ptr(&self) -> *const T {
        self.block.ptr().cast::<T>().as_ptr()
    }

    /// Its first element, as a raw pointer C may write through.
    pub fn as_mut_ptr(&mut self) -> *mut T {
        self.block.ptr().cast::<T>().as_ptr()
    }

    fn bytes(&self) -> usize {
        self.len * core::mem::size_of::<T>()
    }

    /// Element `i` as it is now, or `None` past the end.
    pub fn get(&self, i: usize) -> Option<T> {
        if i >= self.len {
            return None;
        }
        // SAFETY: `i < len`: inside the block, aligned; any bits are a `T`.
        Some(unsafe { self.block.ptr().cast::<T>().as_ptr().add(i).read_volatile() })
    }

    /// Writes `value` at `i`; `false` (and nothing written) past the end.
    pub fn set(&mut self, i: usize, value: T) -> bool {
        if i >= self.len {
            return false;
        }
        // SAFETY: `i < len`: inside the block, aligned.
        unsafe {
            self.block
                .ptr()
                .cast::<T>()
                .as_ptr()
                .add(i)
                .write_volatile(value)
        };
        true
    }

    /// The elements, each read as the iterator reaches it.
    pub fn iter(&self) -> Iter<'_, T> {
        Iter { buf: self, next: 0 }
    }

    /// Copies the first `dst.len()` elements (at most [`SharedOut::len`])
    /// into `dst`; returns how many.
    pub fn copy_to_slice(&self, dst: &mut [T]) -> usize {
        let n = dst.len().min(self.len);
        let bytes = n * core::mem::size_of::<T>();
        // SAFETY: `bytes` lie inside the block and inside `dst`, which is
        // ours alone; the block is only read, by volatile loads.
        unsafe {
            copy_volatile(
                self.block.ptr().cast::<T>().as_ptr().cast(),
                dst.as_mut_ptr().cast(),
                bytes,
            )
        };
        n
    }

    /// A copy of the elements as they are now.
    pub fn to_vec(&self) -> Vec<T> {
        let mut v: Vec<T> = Vec::with_capacity(self.len);
        // SAFETY: `len` elements of capacity, all written by the copy below
        // before `set_len` (`T: Plain`: no drop, any bits are a value).
        unsafe {
            copy_volatile(
                self.block.ptr().cast::<T>().as_ptr().cast(),
                v.as_mut_ptr().cast::<u8>(),
                self.bytes(),
            );
            v.set_len(self.len);
        }
        v
    }

    /// Writes `src` into the first `src.len()` elements (at most
    /// [`SharedOut::len`]); returns how many.
    pub fn copy_from_slice(&mut self, src: &[T]) -> usize {
        let n = src.len().min(self.len);
        let bytes = n * core::mem::size_of::<T>();
        // SAFETY: as in `copy_to_slice`, the other way.
        unsafe {
            copy_volatile(
                src.as_ptr().cast(),
                self.block.ptr().cast::<T>().as_ptr().cast(),
                bytes,
            )
        };
        n
    }

    /// Sets every byte to zero (8 at a time: the block is aligned to
    /// [`SHARED_ALIGN`](crate::shared::SHARED_ALIGN)).
    fn zero(&mut self) {
        let base = self.block.ptr().cast::<T>().as_ptr().cast::<u8>();
        let n = self.bytes();
        let words = n / 8;
        for i in 0..words {
            // SAFETY: inside the block, 8-aligned.
            unsafe { base.cast::<u64>().add(i).write_volatile(0) };
        }
        for i in words * 8..n {
            // SAFETY: inside the block.
            unsafe { base.add(i).write_volatile(0) };
        }
    }
}

/// Copies `n` bytes from `src` to `dst` by volatile accesses (8 bytes at a
/// time where both are aligned), so that memory another process writes
/// meanwhile is never assumed stable.
///
/// # Safety
///
/// `src` is valid for `n` bytes of reads and `dst` for `n` bytes of
/// writes, and they do not overlap.
pub(crate) unsafe fn copy_volatile(src: *const u8, dst: *mut u8, n: usize) {
    let mut i = 0;
    if (src as usize) % 8 == (dst as usize) % 8 {
        while i < n && (src as usize + i) % 8 != 0 {
            // SAFETY: `i < n` (the caller's contract).
            unsafe { dst.add(i).write_volatile(src.add(i).read_volatile()) };
            i += 1;
        }
        while i + 8 <= n {
            // SAFETY: `i + 8 <= n`; both 8-aligned here.
            unsafe {
                let w = src.add(i).cast::<u64>().read_volatile();
                dst.add(i).cast::<u64>().write_volatile(w);
            }
            i += 8;
        }
    }
    while i < n {
        // SAFETY: `i < n`.
        unsafe { dst.add(i).write_volatile(src.add(i).read_volatile()) };
        i += 1;
    }
}

impl<T: Plain> fmt::Debug for SharedOut<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedOut")
            .field("len", &self.len)
            .field("shared", &self.is_shared())
            .finish()
    }
}

/// The elements of a [`SharedOut`], each read by a volatile load as it is
/// reached.
pub struct Iter<'a, T: Plain> {
    buf: &'a SharedOut<T>,
    next: usize,
}

impl<T: Plain> Iterator for Iter<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let v = self.buf.get(self.next)?;
        self.next += 1;
        Some(v)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.buf.len - self.next;
        (left, Some(left))
    }
}

impl<T: Plain> ExactSizeIterator for Iter<'_, T> {}

impl<'a, T: Plain> IntoIterator for &'a SharedOut<T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::SHARED_ALIGN;

    #[test]
    fn plain_buffers_are_zeroed_aligned_and_read_and_written_by_value() {
        for len in [0usize, 1, 7, 4096, 100_003] {
            let mut b = SharedOut::<i32>::in_space(None, len).unwrap();
            assert_eq!(b.len(), len);
            assert!(!b.is_shared());
            assert!(b.iter().all(|x| x == 0));
            if len > 0 {
                assert_eq!(b.as_ptr() as usize % SHARED_ALIGN, 0);
            }
            for i in 0..len {
                assert!(b.set(i, i as i32 * 3));
            }
            assert!(!b.set(len, 1));
            assert_eq!(b.get(len), None);
            let v = b.to_vec();
            assert!(v.iter().enumerate().all(|(i, &x)| x == i as i32 * 3));
            assert!(b.iter().eq(v.iter().copied()));
            let mut part = vec![0i32; len / 2 + 1];
            assert_eq!(b.copy_to_slice(&mut part), part.len().min(len));
            let mut longer = vec![-1i32; len + 5];
            assert_eq!(b.copy_to_slice(&mut longer), len);
            assert_eq!(&longer[..len], &v[..]);
            assert!(longer[len..].iter().all(|&x| x == -1));
            assert_eq!(b.copy_from_slice(&longer), len);
        }
    }

    #[test]
    fn the_volatile_copy_copies_every_alignment() {
        let src: Vec<u8> = (0..200u8).collect();
        for s in 0..9 {
            for d in 0..9 {
                for n in [0usize, 1, 7, 8, 9, 63, 150] {
                    let mut dst = vec![0xaau8; 200];
                    // SAFETY: `s + n` and `d + n` are inside both vectors.
                    unsafe { copy_volatile(src.as_ptr().add(s), dst.as_mut_ptr().add(d), n) };
                    assert_eq!(&dst[d..d + n], &src[s..s + n]);
                    assert!(dst[..d].iter().chain(&dst[d + n..]).all(|&b| b == 0xaa));
                }
            }
        }
    }

    #[test]
    fn an_overaligned_element_type_is_refused() {
        #[derive(Clone, Copy)]
        #[repr(C, align(128))]
        struct Wide([u8; 128]);
        // SAFETY: 128 bytes, no padding, every bit pattern a value.
        unsafe impl Plain for Wide {}
        assert_eq!(
            SharedOut::<Wide>::in_space(None, 2).unwrap_err(),
            SharedBufError::Overaligned { align: 128 }
        );
    }

    #[test]
    fn an_overflowing_length_is_refused() {
        assert_eq!(
            SharedOut::<u64>::in_space(None, usize::MAX / 4).unwrap_err(),
            SharedBufError::TooLarge
        );
    }
}
