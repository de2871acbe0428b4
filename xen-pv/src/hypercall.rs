//! Hypercalls. A 64-bit PV kernel runs in ring 3 and enters Xen with
//! `syscall`: the number in `rax`, the arguments in `rdi, rsi, rdx, r10,
//! r8`, the result in `rax`; `syscall` itself clobbers `rcx` and `r11`.
//! That is what Xen's hypercall page holds too, so the page is not needed.
//! Xen may rewrite the argument registers (a preempted hypercall is
//! restarted with updated arguments), so they are all clobbers here.

use crate::abi;

/// A raw hypercall with up to three arguments.
///
/// # Safety
///
/// The arguments must be what hypercall `nr` expects: in particular every
/// pointer argument must point to memory of the right layout, valid for
/// Xen to read and write for the duration of the call.
pub unsafe fn hypercall3(nr: u64, a1: u64, a2: u64, a3: u64) -> i64 {
    let ret: i64;
    // SAFETY: the caller vouches for the arguments; `syscall` from a PV
    // kernel enters Xen and returns to the next instruction.
    unsafe {
        core::arch::asm!(
            "syscall",
            inlateout("rax") nr as i64 => ret,
            inlateout("rdi") a1 => _,
            inlateout("rsi") a2 => _,
            inlateout("rdx") a3 => _,
            lateout("r10") _,
            lateout("r8") _,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack)
        );
    }
    ret
}

/// `HYPERVISOR_sched_op(cmd, arg)`.
///
/// # Safety
///
/// `arg` must point to the structure `cmd` takes.
pub unsafe fn sched_op<T>(cmd: u64, arg: *mut T) -> i64 {
    // SAFETY: as the caller vouches.
    unsafe { hypercall3(abi::hypercall::SCHED_OP, cmd, arg as u64, 0) }
}

/// `HYPERVISOR_event_channel_op(cmd, arg)`.
///
/// # Safety
///
/// `arg` must point to the structure `cmd` takes.
pub unsafe fn event_channel_op<T>(cmd: u64, arg: *mut T) -> i64 {
    // SAFETY: as the caller vouches.
    unsafe { hypercall3(abi::hypercall::EVENT_CHANNEL_OP, cmd, arg as u64, 0) }
}

/// `HYPERVISOR_grant_table_op(cmd, ops, count)`.
///
/// # Safety
///
/// `ops` must point to `count` structures of the kind `cmd` takes.
pub unsafe fn grant_table_op<T>(cmd: u64, ops: *mut T, count: u32) -> i64 {
    // SAFETY: as the caller vouches.
    unsafe {
        hypercall3(
            abi::hypercall::GRANT_TABLE_OP,
            cmd,
            ops as u64,
            count.into(),
        )
    }
}

/// `HYPERVISOR_update_va_mapping(va, pte, flags)`: points the page-table
/// entry of `va` at another frame.
///
/// # Safety
///
/// Nothing may rely on what `va` mapped before (no reference into that page
/// may be used again).
pub unsafe fn update_va_mapping(va: u64, pte: u64, flags: u64) -> i64 {
    // SAFETY: Xen validates the entry; the caller vouches for the memory.
    unsafe { hypercall3(abi::hypercall::UPDATE_VA_MAPPING, va, pte, flags) }
}
