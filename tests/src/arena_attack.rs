//! Ways a hostile domain could try to change the shared arena behind the
//! descriptor it was given, beyond a writable mapping, `mprotect` and
//! `write` (which `rogue-bulk-domain`'s `arena-write` tries): each must fail,
//! because of the memfd's seals or the read-only mapping, not because of the
//! sandbox's allowlist (the test that runs them grants every call used here).
//!
//! [`attack`] returns how many ways claimed success or changed the arena's
//! first page (where the caller's buffer lies), as the domain itself sees it
//! through a fresh read-only mapping.

use std::os::fd::{AsRawFd, OwnedFd};

const PAGE: usize = 4096;
const MARK: u8 = 0xee;

/// The system calls [`attack`] makes that the default sandbox does not
/// allow; a test grants them so that only the seals stand in the way.
pub const SYSCALLS: &[libc::c_long] = &[
    libc::SYS_memfd_create,
    libc::SYS_pipe2,
    libc::SYS_fcntl,
    libc::SYS_pwrite64,
    libc::SYS_splice,
    libc::SYS_vmsplice,
    libc::SYS_sendfile,
    libc::SYS_copy_file_range,
    libc::SYS_pwritev,
    libc::SYS_pwritev2,
    libc::SYS_fallocate,
    libc::SYS_ftruncate,
    libc::SYS_process_vm_writev,
    libc::SYS_getpid,
    libc::SYS_madvise,
    libc::SYS_mremap,
];

/// The first page of `fd`'s file, read through a fresh read-only shared
/// mapping (`None` if it cannot be mapped).
fn first_page(raw: i32) -> Option<Vec<u8>> {
    // SAFETY: a fresh read-only mapping, read and unmapped here.
    unsafe {
        let p = libc::mmap(
            std::ptr::null_mut(),
            PAGE,
            libc::PROT_READ,
            libc::MAP_SHARED,
            raw,
            0,
        );
        if p == libc::MAP_FAILED {
            return None;
        }
        let page = std::slice::from_raw_parts(p.cast::<u8>(), PAGE).to_vec();
        libc::munmap(p, PAGE);
        Some(page)
    }
}

/// A pipe holding `n` bytes of [`MARK`]: (read end, write end).
fn marked_pipe(n: usize) -> Option<(i32, i32)> {
    let mut fds = [0i32; 2];
    // SAFETY: plain system calls on our own descriptors and buffer.
    unsafe {
        if libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) != 0 {
            return None;
        }
        let bytes = vec![MARK; n];
        if libc::write(fds[1], bytes.as_ptr().cast(), n) != n as isize {
            return None;
        }
    }
    Some((fds[0], fds[1]))
}

fn close(fds: (i32, i32)) {
    // SAFETY: descriptors this module opened, closed once.
    unsafe {
        libc::close(fds.0);
        libc::close(fds.1);
    }
}

/// Tries each way; the count of those that claimed success or changed the
/// arena (0 when the seals hold).
pub fn attack(fd: &OwnedFd) -> i64 {
    let raw = fd.as_raw_fd();
    let mut won = 0i64;
    let before = first_page(raw);
    let mut tally = |claimed: bool| {
        if claimed || first_page(raw) != before {
            won += 1;
        }
    };
    // SAFETY: plain system calls on our own descriptors, on fresh mappings
    // of the arena and on our own buffers; every result is checked and
    // nothing is dereferenced but our buffers.
    unsafe {
        // splice from a pipe into the file.
        if let Some(p) = marked_pipe(64) {
            let mut off: libc::loff_t = 0;
            tally(libc::splice(p.0, std::ptr::null_mut(), raw, &mut off, 64, 0) > 0);
            close(p);
        }
        // sendfile and copy_file_range from a file of our own into it.
        let src = libc::memfd_create(c"src".as_ptr(), libc::MFD_CLOEXEC);
        if src >= 0 {
            let bytes = [MARK; 64];
            if libc::pwrite(src, bytes.as_ptr().cast(), 64, 0) == 64 {
                let mut off: libc::off_t = 0;
                tally(libc::sendfile(raw, src, &mut off, 64) > 0);
                let (mut i, mut o): (libc::loff_t, libc::loff_t) = (0, 0);
                tally(libc::copy_file_range(src, &mut i, raw, &mut o, 64, 0) > 0);
            }
            libc::close(src);
        }
        // pwritev and pwritev2.
        let bytes = [MARK; 64];
        let iov = libc::iovec {
            iov_base: bytes.as_ptr().cast_mut().cast(),
            iov_len: 64,
        };
        tally(libc::pwritev(raw, &iov, 1, 0) > 0);
        tally(libc::pwritev2(raw, &iov, 1, 0, 0) > 0);
        // Growing it (the size is sealed both ways).
        tally(libc::fallocate(raw, 0, 0, 1 << 31) == 0);
        tally(libc::ftruncate(raw, 1 << 31) == 0);
        // No seal can be added, and none was taken away.
        let seals = libc::fcntl(raw, libc::F_GET_SEALS);
        tally(libc::fcntl(raw, libc::F_ADD_SEALS, libc::F_SEAL_WRITE) == 0);
        let want =
            libc::F_SEAL_SHRINK | libc::F_SEAL_GROW | libc::F_SEAL_SEAL | libc::F_SEAL_FUTURE_WRITE;
        tally(seals < 0 || seals & want != want);
        attack_mapping(raw, &mut tally);
    }
    won
}

/// The ways through a read-only shared mapping of the arena.
///
/// # Safety
/// `raw` is an open descriptor of the arena.
unsafe fn attack_mapping(raw: i32, tally: &mut impl FnMut(bool)) {
    // SAFETY: as in `attack`.
    unsafe {
        let ro = libc::mmap(
            std::ptr::null_mut(),
            PAGE,
            libc::PROT_READ,
            libc::MAP_SHARED,
            raw,
            0,
        );
        if ro == libc::MAP_FAILED {
            tally(true);
            return;
        }
        // Punching the page out through the mapping.
        tally(libc::madvise(ro, PAGE, libc::MADV_REMOVE) == 0);
        // The kernel writing into the mapping for us: a pipe's bytes
        // spliced into it, and a write of our own process's memory.
        if let Some(p) = marked_pipe(64) {
            let iov = libc::iovec {
                iov_base: ro,
                iov_len: 64,
            };
            tally(libc::vmsplice(p.0, &iov, 1, 0) > 0);
            tally(libc::read(p.0, ro, 64) > 0);
            close(p);
        }
        let bytes = [MARK; 64];
        let local = libc::iovec {
            iov_base: bytes.as_ptr().cast_mut().cast(),
            iov_len: 64,
        };
        let remote = libc::iovec {
            iov_base: ro,
            iov_len: 64,
        };
        tally(libc::process_vm_writev(libc::getpid(), &local, 1, &remote, 1, 0) > 0);
        // Moved elsewhere, it is still read-only.
        let moved = libc::mremap(ro, PAGE, 2 * PAGE, libc::MREMAP_MAYMOVE);
        let (ro, len) = if moved == libc::MAP_FAILED {
            (ro, PAGE)
        } else {
            (moved, 2 * PAGE)
        };
        tally(libc::mprotect(ro, len, libc::PROT_READ | libc::PROT_WRITE) == 0);
        libc::munmap(ro, len);
        // A private writable mapping is a copy: writing it must leave the
        // arena as it was (`tally` looks at the arena itself).
        let private = libc::mmap(
            std::ptr::null_mut(),
            PAGE,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE,
            raw,
            0,
        );
        if private != libc::MAP_FAILED {
            std::ptr::write_bytes(private.cast::<u8>(), MARK, PAGE);
            tally(false);
            libc::munmap(private, PAGE);
        }
    }
}

/// Reopens the arena through procfs (`/proc/self/fd/N` for write, and
/// `/proc/self/mem` to write its mapping) and writes whatever it got; the
/// count of ways that changed the arena or claimed success. Opening is the
/// supervisor's decision: it never hands out a file of procfs, so a domain
/// whose policy grants `/proc` is ended rather than given one.
pub fn reopen(fd: &OwnedFd) -> i64 {
    let raw = fd.as_raw_fd();
    let before = first_page(raw);
    let mut won = 0i64;
    let bytes = [MARK; 64];
    let path = std::ffi::CString::new(format!("/proc/self/fd/{raw}")).unwrap_or_default();
    // SAFETY: plain system calls on our own descriptors and buffers.
    unsafe {
        let rw = libc::open(path.as_ptr(), libc::O_RDWR | libc::O_CLOEXEC);
        if rw >= 0 {
            won += i64::from(libc::write(rw, bytes.as_ptr().cast(), 64) > 0);
            libc::close(rw);
        }
        let ro = libc::mmap(
            std::ptr::null_mut(),
            PAGE,
            libc::PROT_READ,
            libc::MAP_SHARED,
            raw,
            0,
        );
        let mem = libc::open(c"/proc/self/mem".as_ptr(), libc::O_RDWR | libc::O_CLOEXEC);
        if mem >= 0 && ro != libc::MAP_FAILED {
            let at = ro as libc::off_t;
            won += i64::from(libc::pwrite(mem, bytes.as_ptr().cast(), 64, at) > 0);
            libc::close(mem);
        }
    }
    won + i64::from(first_page(raw) != before)
}
