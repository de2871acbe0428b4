//! The out arena of a process domain: memory the client and every
//! incarnation of the domain map **writable**, where
//! [`ffi_desc::shared_out::SharedOut`]s live so that C fills `Out` buffers
//! in place, with no copy.
//!
//! # What the domain can do with it
//!
//! Write any byte of it and read any byte of it, at any time, as often as
//! it likes: that is the point. Nothing else: the memfd is sealed against
//! shrinking and growing (`F_SEAL_SHRINK`, `F_SEAL_GROW`, then
//! `F_SEAL_SEAL`), so neither mapping ever faults for a missing page and
//! the size is the client's choice, fixed for the domain's life. The client
//! makes no reference into it (a `SharedOut` is read and written by
//! volatile accesses only) and decides nothing on its bytes: where each
//! buffer lies is the client's choice, and how many bytes C wrote comes in
//! the reply frame, checked against the buffer's length.
//!
//! The allocator is the shared arena's ([`crate::arena`]).

use std::os::fd::{BorrowedFd, OwnedFd};
use std::ptr::NonNull;

use ffi_desc::shared::SharedBufError;
use ffi_desc::shared_out::OutSpace;
use rustix::fs::SealFlags;
use rustix::mm::ProtFlags;

use crate::arena::{Arena, ArenaView, ARENA_FD};
use crate::shm::ShmError;

/// The descriptor number at which a domain finds the out arena, when its
/// client gives it one.
pub const OUT_ARENA_FD: i32 = ARENA_FD + 1;

/// The client's side: the memfd, its writable mapping and the allocator.
#[derive(Debug)]
pub struct OutArena(Arena);

impl OutArena {
    /// Creates an out arena of `len` bytes (a non-zero multiple of
    /// [`crate::shm::PAGE_SIZE`], at most [`crate::arena::MAX_ARENA_LEN`]),
    /// maps it writable and seals its size and its seals.
    pub fn create(len: usize) -> Result<OutArena, ShmError> {
        // A name of its own: the shared arena's memfd is told apart by it.
        let seals = SealFlags::SHRINK | SealFlags::GROW | SealFlags::SEAL;
        Arena::create_sealed("ffi-isolate-out", len, seals).map(OutArena)
    }

    /// The memfd, to give to each incarnation.
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.0.fd()
    }

    /// Its size in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`: an arena is never empty.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Where the `len` bytes at `ptr` start in the arena, if they lie
    /// wholly inside it.
    pub fn offset_of_raw(&self, ptr: *const u8, len: usize) -> Option<u64> {
        self.0.offset_of_raw(ptr, len)
    }

    /// The free bytes (for tests and accounting).
    pub fn free_bytes(&self) -> usize {
        self.0.free_bytes()
    }
}

// SAFETY: blocks are disjoint, aligned ranges of the mapping, valid while
// the arena lives (the `Arena` allocator's guarantees); that the domain
// writes them is what `OutSpace` allows for.
unsafe impl OutSpace for OutArena {
    fn alloc(&self, bytes: usize) -> Result<NonNull<u8>, SharedBufError> {
        self.0.alloc_block(bytes)
    }

    unsafe fn free(&self, ptr: NonNull<u8>, bytes: usize) {
        self.0.free_block(ptr, bytes)
    }
}

/// The domain's side: its writable mapping of the out arena.
pub struct OutArenaView(ArenaView);

impl OutArenaView {
    /// Maps `fd` writable: refused unless it is sealed against shrinking
    /// and its size is a non-zero page multiple of at most
    /// [`crate::arena::MAX_ARENA_LEN`]. The descriptor is closed once
    /// mapped.
    pub fn map(fd: OwnedFd) -> Result<OutArenaView, ShmError> {
        ArenaView::map_with(fd, ProtFlags::READ | ProtFlags::WRITE).map(OutArenaView)
    }

    /// Its size in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The first of `len` bytes at `offset`, for C to write, if they lie
    /// inside the mapping (checked arithmetic).
    pub fn at(&self, offset: u64, len: u64) -> Option<*mut u8> {
        self.0.at(offset, len).map(<*const u8>::cast_mut)
    }

    /// The start of the mapping.
    pub fn as_ptr(&self) -> *mut u8 {
        self.0.as_ptr().cast_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shm::PAGE_SIZE;

    #[test]
    fn both_sides_write_and_the_size_is_sealed() {
        let arena = OutArena::create(2 * PAGE_SIZE).unwrap();
        let fd = arena.fd().try_clone_to_owned().unwrap();
        let raw = std::os::fd::AsRawFd::as_raw_fd(&fd);
        // SAFETY: plain system calls on our own descriptor.
        unsafe {
            assert_eq!(libc::ftruncate(raw, 0), -1);
            assert_eq!(libc::ftruncate(raw, 4 * PAGE_SIZE as i64), -1);
            assert_eq!(libc::fcntl(raw, libc::F_ADD_SEALS, libc::F_SEAL_WRITE), -1);
        }
        let view = OutArenaView::map(fd).unwrap();
        assert_eq!(view.len(), 2 * PAGE_SIZE);
        let block = arena.alloc(64).unwrap();
        let at = arena.offset_of_raw(block.as_ptr(), 64).unwrap();
        let theirs = view.at(at, 64).unwrap();
        // SAFETY: 64 bytes inside both mappings of the same file.
        unsafe {
            theirs.write_volatile(0x5a);
            assert_eq!(block.as_ptr().read_volatile(), 0x5a);
            block.as_ptr().add(1).write_volatile(0xa5);
            assert_eq!(theirs.add(1).read_volatile(), 0xa5);
            arena.free(block, 64);
        }
        assert_eq!(arena.free_bytes(), 2 * PAGE_SIZE);
        assert!(view.at(u64::MAX, 1).is_none());
        assert!(view.at(2 * PAGE_SIZE as u64 - 8, 9).is_none());
    }

    #[test]
    fn an_unsealed_descriptor_is_refused() {
        let fd = rustix::fs::memfd_create("t", rustix::fs::MemfdFlags::CLOEXEC).unwrap();
        rustix::fs::ftruncate(&fd, PAGE_SIZE as u64).unwrap();
        assert!(matches!(OutArenaView::map(fd), Err(ShmError::NotSealed)));
    }
}
