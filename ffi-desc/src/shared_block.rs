//! The memory behind a [`crate::shared::SharedBuf`] and a
//! [`crate::shared_out::SharedOut`]: a block of a channel's arena, or of
//! the heap when there is none, aligned to [`SHARED_ALIGN`] and returned
//! where it came from when dropped. What may be done with the bytes (a
//! slice, or only volatile accesses) is each buffer type's to say.

use alloc::sync::Arc;
use core::ptr::NonNull;

use crate::shared::{SharedBufError, SharedSpace, SHARED_ALIGN};
use crate::shared_out::OutSpace;

/// An arena blocks come from: the two space traits, whose contracts differ
/// only in who else may write the bytes.
pub(crate) trait Arena: Send + Sync {
    fn alloc(&self, bytes: usize) -> Result<NonNull<u8>, SharedBufError>;

    /// # Safety
    ///
    /// As the space trait's `free`: a block of this arena, given back once.
    unsafe fn free(&self, ptr: NonNull<u8>, bytes: usize);
}

impl Arena for dyn SharedSpace {
    fn alloc(&self, bytes: usize) -> Result<NonNull<u8>, SharedBufError> {
        SharedSpace::alloc(self, bytes)
    }

    unsafe fn free(&self, ptr: NonNull<u8>, bytes: usize) {
        // SAFETY: the caller's promise is the trait's.
        unsafe { SharedSpace::free(self, ptr, bytes) }
    }
}

impl Arena for dyn OutSpace {
    fn alloc(&self, bytes: usize) -> Result<NonNull<u8>, SharedBufError> {
        OutSpace::alloc(self, bytes)
    }

    unsafe fn free(&self, ptr: NonNull<u8>, bytes: usize) {
        // SAFETY: the caller's promise is the trait's.
        unsafe { OutSpace::free(self, ptr, bytes) }
    }
}

/// `bytes` bytes at `ptr`, owned: from `arena`, or from the heap (zeroed)
/// when it is `None`; dangling when `bytes` is 0.
pub(crate) struct Block<A: ?Sized + Arena> {
    ptr: NonNull<u8>,
    bytes: usize,
    arena: Option<Arc<A>>,
}

impl<A: ?Sized + Arena> Block<A> {
    /// A block for `len` elements of `T`. Heap memory comes zeroed; an
    /// arena's block holds whatever an earlier block left there, which the
    /// buffer type clears in its own way.
    pub(crate) fn for_elements<T>(
        arena: Option<Arc<A>>,
        len: usize,
    ) -> Result<Self, SharedBufError> {
        // Every block (and the heap memory) is aligned to SHARED_ALIGN only.
        let align = core::mem::align_of::<T>();
        if align > SHARED_ALIGN {
            return Err(SharedBufError::Overaligned { align });
        }
        let bytes = len
            .checked_mul(core::mem::size_of::<T>())
            .filter(|&b| b <= isize::MAX as usize - SHARED_ALIGN)
            .ok_or(SharedBufError::TooLarge)?;
        if bytes == 0 {
            let ptr = NonNull::<T>::dangling().cast::<u8>();
            return Ok(Block {
                ptr,
                bytes,
                arena: None,
            });
        }
        let ptr = match &arena {
            Some(arena) => arena.alloc(bytes)?,
            None => {
                let layout = heap_layout(bytes)?;
                // SAFETY: the layout's size is non-zero.
                let raw = unsafe { alloc::alloc::alloc_zeroed(layout) };
                NonNull::new(raw).ok_or(SharedBufError::TooLarge)?
            }
        };
        Ok(Block { ptr, bytes, arena })
    }

    pub(crate) fn ptr(&self) -> NonNull<u8> {
        self.ptr
    }

    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }

    /// Whether the block lies in an arena (rather than on the heap).
    pub(crate) fn in_arena(&self) -> bool {
        self.arena.is_some()
    }
}

fn heap_layout(bytes: usize) -> Result<core::alloc::Layout, SharedBufError> {
    core::alloc::Layout::from_size_align(bytes, SHARED_ALIGN).map_err(|_| SharedBufError::TooLarge)
}

impl<A: ?Sized + Arena> Drop for Block<A> {
    fn drop(&mut self) {
        if self.bytes == 0 {
            return;
        }
        match &self.arena {
            // SAFETY: the block `for_elements` got from this arena, returned once.
            Some(arena) => unsafe { arena.free(self.ptr, self.bytes) },
            None => {
                if let Ok(layout) = heap_layout(self.bytes) {
                    // SAFETY: allocated in `for_elements` with this layout.
                    unsafe { alloc::alloc::dealloc(self.ptr.as_ptr(), layout) }
                }
            }
        }
    }
}
