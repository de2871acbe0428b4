//! [`SharedBuf`]: a buffer of plain scalars that the Isolated linkage passes
//! to its domain without copying it.
//!
//! A process domain gets, besides its rings, a *shared arena*: memory the
//! client maps read-write and the domain maps **read-only**, sealed so that
//! the domain cannot get write access to it by any means (the memfd carries
//! `F_SEAL_FUTURE_WRITE`: a writable shared mapping, `mprotect` to writable,
//! `write` and hole punching all fail). A [`SharedBuf`] allocated from an
//! Isolated linkage lives there. Passed to an `In` slice parameter (it
//! derefs to `&[T]`), the client sends only where it lies (`ffi_desc::bulk`
//! documents the table entry) and C reads it in place: no byte is copied.
//!
//! Passed to an `Out` or `InOut` parameter (as `&mut [T]`), it is an
//! ordinary slice: C's writes are copied into it once, as for any buffer,
//! because C cannot write the arena, and memory a domain could write may
//! never be handed out as a Rust reference (the domain could change it
//! under a `&[T]`, which Rust's aliasing rules forbid and the compiler
//! relies on). For an `Out` buffer C fills in place, with no copy, see
//! [`crate::shared_out::SharedOut`], which the domain may write and which
//! therefore gives no slice.
//!
//! In the Linked and Loaded linkages, and over a channel that shares no
//! memory with its domain, the same type is plain heap memory.

use alloc::sync::Arc;
use core::fmt;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};
use core::ptr::NonNull;

use crate::bulk::Plain;
use crate::shared_block::Block;

/// The alignment of every [`SharedBuf`]'s first element (a cache line).
pub const SHARED_ALIGN: usize = 64;

/// Why a [`SharedBuf`] could not be allocated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SharedBufError {
    /// The linkage's channel was configured without a shared arena.
    NoArena,
    /// The arena has no free block of `requested` bytes (of `capacity`).
    Full {
        /// The bytes asked for (rounded up to [`SHARED_ALIGN`]).
        requested: usize,
        /// The arena's size.
        capacity: usize,
    },
    /// The length in bytes overflows, or the heap refused it.
    TooLarge,
    /// The element type is aligned to `align` bytes, more than the
    /// [`SHARED_ALIGN`] every block is aligned to (a [`Plain`] type may be
    /// over-aligned).
    Overaligned {
        /// The element type's alignment.
        align: usize,
    },
}

impl fmt::Display for SharedBufError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SharedBufError::NoArena => f.write_str("the channel has no shared arena"),
            SharedBufError::Full {
                requested,
                capacity,
            } => write!(
                f,
                "the shared arena ({capacity} bytes) has no free block of {requested} bytes"
            ),
            SharedBufError::TooLarge => f.write_str("the buffer's size overflows"),
            SharedBufError::Overaligned { align } => write!(
                f,
                "the element type is aligned to {align} bytes, more than {SHARED_ALIGN}"
            ),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for SharedBufError {}

/// Memory a channel shares with its domain, which the domain can only read.
///
/// # Safety
///
/// [`SharedSpace::alloc`] returns `bytes` bytes aligned to [`SHARED_ALIGN`],
/// valid until they are passed to [`SharedSpace::free`] (and as long as the
/// space lives), that no other block overlaps and that nothing outside this
/// process can write: the caller hands them out as `&mut [T]`.
pub unsafe trait SharedSpace: Send + Sync {
    /// A block of `bytes` bytes (`bytes > 0`).
    fn alloc(&self, bytes: usize) -> Result<NonNull<u8>, SharedBufError>;

    /// Returns a block.
    ///
    /// # Safety
    ///
    /// `ptr` and `bytes` are those of a block this space allocated and has
    /// not had back, and no reference into it is used afterwards.
    unsafe fn free(&self, ptr: NonNull<u8>, bytes: usize);
}

/// A buffer of `len` plain scalars, zeroed when made, in the shared arena of
/// an Isolated linkage (plain memory in the others).
///
/// # What the domain can do to it
///
/// Read it, at any time while the buffer lives, whether or not a call
/// passes it: the arena is mapped into every incarnation of the domain, so
/// a later incarnation reads what was written while an earlier one ran.
/// Keep nothing in it the domain may not see. Nothing more: the domain maps the arena read-only and cannot obtain
/// write access, so the contents are only ever what this process wrote, and
/// `&[T]`/`&mut [T]` into it are as sound as into any memory. A domain
/// that writes through its mapping anyway faults, and the call fails with
/// the domain's death; the buffer is unchanged.
///
/// # What it saves
///
/// Passed to an `In` slice parameter at or above the channel's bulk
/// threshold, C reads the buffer where it lies: the call copies nothing.
/// Passed to an `Out` or `InOut` parameter it behaves as any `&mut [T]`:
/// C writes into memory of the call, and the client copies the bytes C
/// wrote into the buffer once.
///
/// The buffer stays valid across restarts of the domain (each incarnation
/// gets the same arena), and the arena is unmapped once the linkage and
/// every buffer allocated from it are gone.
pub struct SharedBuf<T: Plain> {
    block: Block<dyn SharedSpace>,
    len: usize,
    _owns: PhantomData<T>,
}

// SAFETY: the buffer owns its memory exclusively (no other block overlaps
// it, and no one else writes it); `T: Plain` is a scalar, `Send + Sync`.
unsafe impl<T: Plain + Send> Send for SharedBuf<T> {}
// SAFETY: as for `Send`; `&SharedBuf` gives only `&[T]`.
unsafe impl<T: Plain + Sync> Sync for SharedBuf<T> {}

impl<T: Plain> SharedBuf<T> {
    /// `len` zeroed elements where `lib` shares memory with its domain: the
    /// shared arena of an Isolated linkage whose channel has one, plain
    /// memory for the other linkages. Fails with
    /// [`SharedBufError::NoArena`] for an Isolated linkage configured
    /// without an arena, [`SharedBufError::Full`] when the arena has no
    /// room, and [`SharedBufError::Overaligned`] for an element type aligned
    /// to more than [`SHARED_ALIGN`].
    pub fn new<L: crate::Linkage + ?Sized>(lib: &L, len: usize) -> Result<Self, SharedBufError> {
        Self::in_space(lib.shared_space()?, len)
    }

    /// A copy of `data` in the memory [`SharedBuf::new`] chooses.
    pub fn from_slice<L: crate::Linkage + ?Sized>(
        lib: &L,
        data: &[T],
    ) -> Result<Self, SharedBufError> {
        let mut buf = Self::new(lib, data.len())?;
        buf.copy_from_slice(data);
        Ok(buf)
    }

    /// `len` zeroed elements in `space`, or in plain memory when `None`.
    pub fn in_space(
        space: Option<Arc<dyn SharedSpace>>,
        len: usize,
    ) -> Result<Self, SharedBufError> {
        let block = Block::for_elements::<T>(space, len)?;
        if block.in_arena() {
            // SAFETY: the block's bytes are ours alone (an earlier block's
            // bytes may still be there).
            unsafe { core::ptr::write_bytes(block.ptr().as_ptr(), 0, block.bytes()) };
        }
        Ok(SharedBuf {
            block,
            len,
            _owns: PhantomData,
        })
    }

    /// Whether the buffer lies in a channel's shared arena (rather than in
    /// plain memory).
    pub fn is_shared(&self) -> bool {
        self.block.in_arena()
    }

    fn ptr(&self) -> *mut T {
        self.block.ptr().cast::<T>().as_ptr()
    }
}

impl<T: Plain> Deref for SharedBuf<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        // SAFETY: `len` initialised elements (zeroed, then written only
        // through this buffer), aligned, that only this process writes.
        unsafe { core::slice::from_raw_parts(self.ptr(), self.len) }
    }
}

impl<T: Plain> DerefMut for SharedBuf<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        // SAFETY: as for `deref`; `&mut self` makes the borrow unique.
        unsafe { core::slice::from_raw_parts_mut(self.ptr(), self.len) }
    }
}

impl<T: Plain> AsRef<[T]> for SharedBuf<T> {
    fn as_ref(&self) -> &[T] {
        self
    }
}

impl<T: Plain> AsMut<[T]> for SharedBuf<T> {
    fn as_mut(&mut self) -> &mut [T] {
        self
    }
}

impl<T: Plain + fmt::Debug> fmt::Debug for SharedBuf<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedBuf")
            .field("len", &self.len)
            .field("shared", &self.is_shared())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_buffers_are_zeroed_aligned_and_writable() {
        for len in [0usize, 1, 7, 4096, 100_003] {
            let mut b = SharedBuf::<i32>::in_space(None, len).unwrap();
            assert_eq!(b.len(), len);
            assert!(!b.is_shared());
            assert!(b.iter().all(|&x| x == 0));
            if len > 0 {
                assert_eq!(b.as_ptr() as usize % SHARED_ALIGN, 0);
            }
            for (i, x) in b.iter_mut().enumerate() {
                *x = i as i32;
            }
            assert!(b.iter().enumerate().all(|(i, &x)| x == i as i32));
        }
    }

    #[test]
    fn an_overflowing_length_is_refused() {
        assert_eq!(
            SharedBuf::<u64>::in_space(None, usize::MAX / 4).unwrap_err(),
            SharedBufError::TooLarge
        );
        assert_eq!(
            SharedBuf::<u8>::in_space(None, isize::MAX as usize).unwrap_err(),
            SharedBufError::TooLarge
        );
    }
}
