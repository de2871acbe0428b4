//! The memory functions the compiler calls (`memcpy`, `memmove`, `memset`,
//! `memcmp`, `bcmp`): with no libc, the unikernel defines them. Copies and
//! fills are `rep movsb` / `rep stosb`, which the compiler cannot turn back
//! into calls to themselves; comparisons read through volatile loads for
//! the same reason.

use core::arch::asm;

/// # Safety
///
/// As C's `memcpy`: `n` bytes readable at `src`, writable at `dst`, not
/// overlapping.
#[no_mangle]
pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    // SAFETY: as the caller vouches; the direction flag is clear (the ABI).
    unsafe {
        asm!("rep movsb", inout("rcx") n => _, inout("rdi") dst => _, inout("rsi") src => _,
             options(nostack, preserves_flags));
    }
    dst
}

/// # Safety
///
/// As C's `memmove`: `n` bytes readable at `src` and writable at `dst`.
#[no_mangle]
pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    if (dst as usize).wrapping_sub(src as usize) >= n {
        // `dst` before `src`, or no overlap: a forward copy is right.
        // SAFETY: as the caller vouches.
        return unsafe { memcpy(dst, src, n) };
    }
    // `dst` inside `[src, src + n)`: copy backwards, from the last byte.
    // SAFETY: as the caller vouches; the direction flag is set only for
    // this instruction and cleared again, as the ABI requires.
    unsafe {
        asm!("std", "rep movsb", "cld",
             inout("rcx") n => _, inout("rdi") dst.add(n).wrapping_sub(1) => _,
             inout("rsi") src.add(n).wrapping_sub(1) => _, options(nostack));
    }
    dst
}

/// # Safety
///
/// As C's `memset`: `n` bytes writable at `dst`.
#[no_mangle]
pub unsafe extern "C" fn memset(dst: *mut u8, c: i32, n: usize) -> *mut u8 {
    // SAFETY: as the caller vouches.
    unsafe {
        asm!("rep stosb", inout("rcx") n => _, inout("rdi") dst => _, in("al") c as u8,
             options(nostack, preserves_flags));
    }
    dst
}

/// # Safety
///
/// As C's `memcmp`: `n` bytes readable at `a` and at `b`.
#[no_mangle]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    for i in 0..n {
        // SAFETY: `i < n`, as the caller vouches.
        let (x, y) = unsafe { (a.add(i).read_volatile(), b.add(i).read_volatile()) };
        if x != y {
            return i32::from(x) - i32::from(y);
        }
    }
    0
}

/// # Safety
///
/// As [`memcmp`].
#[no_mangle]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: as the caller vouches.
    unsafe { memcmp(a, b, n) }
}
