//! The shared arena of a process domain: memory the client maps read-write
//! and every incarnation of the domain maps read-only, where
//! [`ffi_desc::shared::SharedBuf`]s live so that `In` buffers reach C with
//! no copy.
//!
//! # Why the domain cannot write it
//!
//! The application holds `&[T]` and `&mut [T]` into the arena. If another
//! process could write it, the bytes could change under a shared reference,
//! which Rust's aliasing rules forbid (a length the compiler checked once
//! and then relied on could change under it). So the client creates the
//! memfd, maps it writable, and only then seals it: `F_SEAL_SHRINK` and
//! `F_SEAL_GROW` (its size never changes under either mapping),
//! `F_SEAL_FUTURE_WRITE` (no new writable shared mapping, no `mprotect` of
//! a read-only one to writable, no `write`, no hole punching, for anyone:
//! the client's own mapping, made before, stays writable) and `F_SEAL_SEAL`
//! (no seal can be removed or added). The domain receives the descriptor
//! already sealed. Its size is the client's choice, fixed for the domain's
//! life: nothing the domain says grows or moves it.
//!
//! # The allocator
//!
//! The smallest free range that fits, in blocks of [`SHARED_ALIGN`] bytes,
//! coalesced on free, the free ranges indexed by start and by length: every
//! allocation and free is O(log n) in the free ranges, whatever the order.
//! An allocation that does not fit is [`SharedBufError::Full`].

use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::ptr::NonNull;
use std::sync::Mutex;

use ffi_desc::shared::{SharedBufError, SharedSpace, SHARED_ALIGN};
use rustix::fs::{MemfdFlags, SealFlags};
use rustix::mm::{MapFlags, ProtFlags};

use crate::free_ranges::FreeRanges;
use crate::shm::{ShmError, PAGE_SIZE};

/// The largest arena a client creates and a domain maps.
pub const MAX_ARENA_LEN: usize = 1 << 30;

/// The descriptor number at which a domain finds the shared arena, when its
/// client gives it one.
pub const ARENA_FD: i32 = crate::domain::EXTRA_FD + 1;

fn io_err(op: &'static str) -> impl FnOnce(rustix::io::Errno) -> ShmError {
    move |e| ShmError::Io {
        op,
        source: e.into(),
    }
}

/// The arena's size for `len` asked: rounded up to pages, at most
/// [`MAX_ARENA_LEN`]; 0 for none.
pub fn arena_len(len: usize) -> usize {
    len.min(MAX_ARENA_LEN).next_multiple_of(PAGE_SIZE)
}

/// The client's side: the memfd, its writable mapping and the allocator.
pub struct Arena {
    fd: OwnedFd,
    base: NonNull<u8>,
    len: usize,
    /// The free ranges, in bytes.
    free: Mutex<FreeRanges>,
}

// SAFETY: the mapping lives as long as the value; the allocator's state is
// behind a mutex, and each block is handed to one owner.
unsafe impl Send for Arena {}
// SAFETY: as for `Send`.
unsafe impl Sync for Arena {}

impl std::fmt::Debug for Arena {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Arena").field("len", &self.len).finish()
    }
}

impl Arena {
    /// Creates an arena of `len` bytes (a non-zero multiple of
    /// [`PAGE_SIZE`], at most [`MAX_ARENA_LEN`]), maps it writable, then
    /// seals it against any later write access, resizing and new seals.
    pub fn create(len: usize) -> Result<Arena, ShmError> {
        Self::create_sealed(
            "ffi-isolate-arena",
            len,
            SealFlags::SHRINK | SealFlags::GROW | SealFlags::FUTURE_WRITE | SealFlags::SEAL,
        )
    }

    /// Creates an arena of `len` bytes (a memfd called `name`), maps it
    /// writable, then adds `seals` (after our writable mapping exists).
    pub(crate) fn create_sealed(
        name: &str,
        len: usize,
        seals: SealFlags,
    ) -> Result<Arena, ShmError> {
        if len == 0 || len % PAGE_SIZE != 0 || len > MAX_ARENA_LEN {
            return Err(ShmError::BadSize { len: len as u64 });
        }
        let fd = rustix::fs::memfd_create(name, MemfdFlags::CLOEXEC | MemfdFlags::ALLOW_SEALING)
            .map_err(io_err("memfd_create"))?;
        rustix::fs::ftruncate(&fd, len as u64).map_err(io_err("ftruncate"))?;
        // SAFETY: a fresh mapping chosen by the kernel (no hint, no
        // MAP_FIXED) of a file `len` bytes long.
        let ptr = unsafe {
            rustix::mm::mmap(
                std::ptr::null_mut(),
                len,
                ProtFlags::READ | ProtFlags::WRITE,
                MapFlags::SHARED,
                &fd,
                0,
            )
        }
        .map_err(io_err("mmap"))?;
        let base = NonNull::new(ptr.cast::<u8>()).ok_or(ShmError::Io {
            op: "mmap",
            source: io::Error::other("mmap returned null"),
        })?;
        let arena = Arena {
            fd,
            base,
            len,
            free: Mutex::new(FreeRanges::whole(len)),
        };
        rustix::fs::fcntl_add_seals(&arena.fd, seals).map_err(io_err("F_ADD_SEALS"))?;
        Ok(arena)
    }

    /// The memfd, to give to each incarnation.
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }

    /// Its size in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Always `false`: an arena is never empty.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Where `bytes` start in the arena, if they lie wholly inside it.
    pub fn offset_of(&self, bytes: &[u8]) -> Option<u64> {
        self.offset_of_raw(bytes.as_ptr(), bytes.len())
    }

    /// Where the `len` bytes at `ptr` start in the arena, if they lie
    /// wholly inside it.
    pub fn offset_of_raw(&self, ptr: *const u8, len: usize) -> Option<u64> {
        let start = (ptr as usize).checked_sub(self.base.as_ptr() as usize)?;
        let end = start.checked_add(len)?;
        (end <= self.len).then_some(start as u64)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FreeRanges> {
        self.free.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The free bytes (for tests and accounting).
    pub fn free_bytes(&self) -> usize {
        self.lock().total()
    }
}

// SAFETY: blocks are disjoint ranges of the mapping, aligned to
// SHARED_ALIGN (the base is page aligned, every range starts at a multiple
// of SHARED_ALIGN), valid while the arena lives; only this process can
// write the mapping (see the module's doc: the seals). An arena made
// without `F_SEAL_FUTURE_WRITE` is an `OutArena`, which does not implement
// this trait.
unsafe impl SharedSpace for Arena {
    fn alloc(&self, bytes: usize) -> Result<NonNull<u8>, SharedBufError> {
        self.alloc_block(bytes)
    }

    unsafe fn free(&self, ptr: NonNull<u8>, bytes: usize) {
        self.free_block(ptr, bytes)
    }
}

impl Arena {
    /// First fit of `bytes` (rounded up to [`SHARED_ALIGN`]).
    pub(crate) fn alloc_block(&self, bytes: usize) -> Result<NonNull<u8>, SharedBufError> {
        let full = || SharedBufError::Full {
            requested: bytes
                .checked_next_multiple_of(SHARED_ALIGN)
                .unwrap_or(usize::MAX),
            capacity: self.len,
        };
        let want = bytes
            .max(1)
            .checked_next_multiple_of(SHARED_ALIGN)
            .ok_or_else(full)?;
        let start = self.lock().take(want).ok_or_else(full)?;
        // SAFETY: `start + want <= len`: inside the mapping.
        Ok(unsafe { NonNull::new_unchecked(self.base.as_ptr().add(start)) })
    }

    /// Returns a block of `bytes` at `ptr` (one `alloc_block` gave).
    pub(crate) fn free_block(&self, ptr: NonNull<u8>, bytes: usize) {
        let Some(start) = (ptr.as_ptr() as usize).checked_sub(self.base.as_ptr() as usize) else {
            return;
        };
        // As `alloc` rounded it: a block of 0 bytes took one block.
        let len = bytes.max(1).next_multiple_of(SHARED_ALIGN);
        self.lock().give(start, len);
    }
}

impl Drop for Arena {
    fn drop(&mut self) {
        // SAFETY: exactly the mapping made in `create`; every buffer holds
        // the arena alive, so none is left.
        let _ = unsafe { rustix::mm::munmap(self.base.as_ptr().cast(), self.len) };
    }
}

/// The domain's side: its read-only mapping of the arena.
pub struct ArenaView {
    base: NonNull<u8>,
    len: usize,
}

// SAFETY: a read-only mapping owned by the value; the pointer carries no
// thread affinity.
unsafe impl Send for ArenaView {}
// SAFETY: `&ArenaView` hands out only addresses, which C reads.
unsafe impl Sync for ArenaView {}

impl ArenaView {
    /// Maps `fd` read-only: refused unless it is sealed against shrinking
    /// (the client could otherwise make our reads fault) and its size is a
    /// non-zero page multiple of at most [`MAX_ARENA_LEN`]. The descriptor
    /// is closed once mapped.
    pub fn map(fd: OwnedFd) -> Result<ArenaView, ShmError> {
        Self::map_with(fd, ProtFlags::READ)
    }

    /// [`ArenaView::map`] with protection `prot`.
    pub(crate) fn map_with(fd: OwnedFd, prot: ProtFlags) -> Result<ArenaView, ShmError> {
        let seals = rustix::fs::fcntl_get_seals(&fd).map_err(|_| ShmError::NotSealed)?;
        if !seals.contains(SealFlags::SHRINK) {
            return Err(ShmError::NotSealed);
        }
        let st = rustix::fs::fstat(&fd).map_err(io_err("fstat"))?;
        let size = u64::try_from(st.st_size).unwrap_or(0);
        let len = usize::try_from(size)
            .ok()
            .filter(|&l| l != 0 && l % PAGE_SIZE == 0 && l <= MAX_ARENA_LEN)
            .ok_or(ShmError::BadSize { len: size })?;
        // SAFETY: a fresh mapping (read-only, or writable for the out
        // arena) chosen by the kernel of a file at least `len` long, whose
        // size is sealed against shrinking.
        let ptr =
            unsafe { rustix::mm::mmap(std::ptr::null_mut(), len, prot, MapFlags::SHARED, &fd, 0) }
                .map_err(io_err("mmap"))?;
        let base = NonNull::new(ptr.cast::<u8>()).ok_or(ShmError::Io {
            op: "mmap",
            source: io::Error::other("mmap returned null"),
        })?;
        // The mapping stays; the descriptor goes (a plain close: the
        // standard library's debug check on drop is a `fcntl` the sandbox
        // refuses).
        // SAFETY: the descriptor is ours, and closed once.
        unsafe { rustix::io::close(std::os::fd::IntoRawFd::into_raw_fd(fd)) };
        Ok(ArenaView { base, len })
    }

    /// Its size in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Always `false`.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The first of `len` bytes at `offset`, if they lie inside the
    /// mapping (checked arithmetic: the client is not trusted either).
    pub fn at(&self, offset: u64, len: u64) -> Option<*const u8> {
        let end = offset.checked_add(len)?;
        if end > self.len as u64 {
            return None;
        }
        // SAFETY: `offset + len <= self.len`: inside the mapping.
        Some(unsafe { self.base.as_ptr().add(offset as usize) }.cast_const())
    }

    /// The start of the mapping.
    pub fn as_ptr(&self) -> *const u8 {
        self.base.as_ptr()
    }
}

impl Drop for ArenaView {
    fn drop(&mut self) {
        // SAFETY: exactly the mapping made in `map`.
        let _ = unsafe { rustix::mm::munmap(self.base.as_ptr().cast(), self.len) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errno(rc: isize) -> i32 {
        assert_eq!(rc, -1);
        io::Error::last_os_error().raw_os_error().unwrap()
    }

    #[test]
    fn the_domains_mapping_cannot_be_made_writable() {
        let arena = Arena::create(4 * PAGE_SIZE).unwrap();
        let block = arena.alloc(100).unwrap();
        // SAFETY: our block of 100 bytes.
        unsafe { std::ptr::write_bytes(block.as_ptr(), 0x42, 100) };
        let fd = arena.fd().try_clone_to_owned().unwrap();
        let raw = std::os::fd::AsRawFd::as_raw_fd(&fd);
        // SAFETY: plain system calls on our own descriptor and fresh
        // mappings; every result is checked.
        unsafe {
            let rw = libc::mmap(
                std::ptr::null_mut(),
                PAGE_SIZE,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED,
                raw,
                0,
            );
            assert_eq!(rw, libc::MAP_FAILED);
            assert_eq!(io::Error::last_os_error().raw_os_error(), Some(libc::EPERM));
            let ro = libc::mmap(
                std::ptr::null_mut(),
                PAGE_SIZE,
                libc::PROT_READ,
                libc::MAP_SHARED,
                raw,
                0,
            );
            assert_ne!(ro, libc::MAP_FAILED);
            assert_eq!(
                errno(libc::mprotect(ro, PAGE_SIZE, libc::PROT_READ | libc::PROT_WRITE) as isize),
                libc::EACCES
            );
            libc::munmap(ro, PAGE_SIZE);
            assert_eq!(
                errno(libc::write(raw, b"x".as_ptr().cast(), 1)),
                libc::EPERM
            );
            assert_eq!(
                errno(libc::pwrite(raw, b"x".as_ptr().cast(), 1, 0)),
                libc::EPERM
            );
            let punch = libc::FALLOC_FL_PUNCH_HOLE | libc::FALLOC_FL_KEEP_SIZE;
            assert_eq!(
                errno(libc::fallocate(raw, punch, 0, PAGE_SIZE as i64) as isize),
                libc::EPERM
            );
            assert!(errno(libc::ftruncate(raw, 0) as isize) == libc::EPERM);
            // No seal can be taken off or added.
            assert_eq!(
                errno(libc::fcntl(raw, libc::F_ADD_SEALS, libc::F_SEAL_WRITE) as isize),
                libc::EPERM
            );
        }
        // The client's bytes are as it wrote them, and the view reads them.
        let view = ArenaView::map(fd).unwrap();
        assert_eq!(view.len(), 4 * PAGE_SIZE);
        let at = view.at(0, 100).unwrap();
        // SAFETY: 100 bytes inside the view.
        assert!(unsafe { std::slice::from_raw_parts(at, 100) }
            .iter()
            .all(|&b| b == 0x42));
    }

    #[test]
    fn the_view_checks_offsets_with_checked_arithmetic() {
        let arena = Arena::create(2 * PAGE_SIZE).unwrap();
        let view = ArenaView::map(arena.fd().try_clone_to_owned().unwrap()).unwrap();
        let len = view.len() as u64;
        assert!(view.at(0, len).is_some());
        assert!(view.at(len, 0).is_some());
        assert!(view.at(len - 1, 2).is_none());
        assert!(view.at(len + 1, 0).is_none());
        assert!(view.at(u64::MAX, 1).is_none());
        assert!(view.at(1, u64::MAX).is_none());
        assert!(view.at(u64::MAX, u64::MAX).is_none());
    }

    #[test]
    fn an_unsealed_or_badly_sized_descriptor_is_refused() {
        let unsealed = rustix::fs::memfd_create("t", MemfdFlags::CLOEXEC).unwrap();
        rustix::fs::ftruncate(&unsealed, PAGE_SIZE as u64).unwrap();
        assert!(matches!(ArenaView::map(unsealed), Err(ShmError::NotSealed)));
        for len in [0u64, 100, (MAX_ARENA_LEN + PAGE_SIZE) as u64] {
            let fd = rustix::fs::memfd_create("t", MemfdFlags::CLOEXEC | MemfdFlags::ALLOW_SEALING)
                .unwrap();
            rustix::fs::ftruncate(&fd, len).unwrap();
            rustix::fs::fcntl_add_seals(&fd, SealFlags::SHRINK).unwrap();
            assert!(matches!(ArenaView::map(fd), Err(ShmError::BadSize { .. })));
        }
        for len in [0, 100, MAX_ARENA_LEN + PAGE_SIZE] {
            assert!(matches!(Arena::create(len), Err(ShmError::BadSize { .. })));
        }
    }

    #[test]
    fn the_allocator_fits_frees_and_coalesces() {
        let len = 4 * PAGE_SIZE;
        let arena = Arena::create(len).unwrap();
        let a = arena.alloc(1).unwrap();
        let b = arena.alloc(PAGE_SIZE).unwrap();
        let c = arena.alloc(65).unwrap();
        for p in [a, b, c] {
            assert_eq!(p.as_ptr() as usize % SHARED_ALIGN, 0);
        }
        assert_eq!(arena.free_bytes(), len - 64 - PAGE_SIZE - 128);
        assert!(matches!(
            arena.alloc(len),
            Err(SharedBufError::Full { capacity, .. }) if capacity == len
        ));
        // SAFETY: blocks of this arena with their sizes, returned once.
        unsafe {
            arena.free(b, PAGE_SIZE);
            arena.free(a, 1);
        }
        // The freed first two blocks are one range again: it takes them.
        let d = arena.alloc(PAGE_SIZE + 64).unwrap();
        assert_eq!(d, a);
        // SAFETY: as above.
        unsafe {
            arena.free(c, 65);
            arena.free(d, PAGE_SIZE + 64);
        }
        assert_eq!(arena.free_bytes(), len);
        assert_eq!(arena.alloc(len).unwrap(), a);
        assert!(arena.alloc(1).is_err());
        assert!(arena.alloc(usize::MAX).is_err());
    }

    #[test]
    fn offsets_are_found_only_for_bytes_inside() {
        let arena = Arena::create(PAGE_SIZE).unwrap();
        let p = arena.alloc(128).unwrap();
        // SAFETY: our block of 128 bytes.
        let inside = unsafe { std::slice::from_raw_parts(p.as_ptr().add(64), 64) };
        assert_eq!(arena.offset_of(inside), Some(64));
        let outside = vec![0u8; 16];
        assert_eq!(arena.offset_of(&outside), None);
        // SAFETY: the whole mapping, PAGE_SIZE bytes.
        let whole = unsafe { std::slice::from_raw_parts(p.as_ptr(), PAGE_SIZE) };
        assert_eq!(arena.offset_of(whole), Some(0));
    }
}
