//! The first instructions, the boot stack and the ELF notes Xen's loader
//! reads.
//!
//! Xen enters `_start` in 64-bit mode, in ring 3, with `rsi` holding the
//! virtual address of `start_info` and `rsp` a bootstrap stack of its own
//! choosing; the entry switches to the image's stack (below which lies an
//! unmapped guard page, see [`unmap_stack_guard`]) and calls
//! `xen_pv_main(start_info)`, which never returns.
//!
//! The notes (`xen/include/public/elfnote.h`): the loader accepts an image
//! whose `LOADER` is "generic"; `XEN_VERSION` must be "xen-3.0";
//! `VIRT_BASE` and `PADDR_OFFSET` 0 make virtual addresses equal
//! pseudo-physical ones.

use xen_pv::abi;
use xen_pv::hypercall;

/// Bytes of the boot stack.
pub const STACK_SIZE: usize = 512 << 10;

core::arch::global_asm!(
    r#"
    .macro XEN_NOTE type, desc:vararg
        .balign 4
        .long 4
        .long 8f - 7f
        .long \type
        .asciz "Xen"
    7:  \desc
    8:  .balign 4
    .endm

    .pushsection .note.Xen, "a", @note
    XEN_NOTE 5, .asciz "xen-3.0"
    XEN_NOTE 6, .asciz "xen-pv-rust"
    XEN_NOTE 7, .asciz "0.1"
    XEN_NOTE 8, .asciz "generic"
    XEN_NOTE 3, .quad 0
    XEN_NOTE 4, .quad 0
    XEN_NOTE 1, .quad _start
    .popsection

    .pushsection .bss.boot_stack, "aw", @nobits
    .balign 4096
    .globl boot_stack_guard
    boot_stack_guard:
    .skip 4096
    boot_stack:
    .skip {stack_size}
    boot_stack_top:
    .popsection

    .pushsection .text.boot, "ax"
    .globl _start
    _start:
        cld
        lea rsp, [rip + boot_stack_top]
        xor ebp, ebp
        mov rdi, rsi
        call xen_pv_main
        ud2
    .popsection
    "#,
    stack_size = const STACK_SIZE,
);

extern "C" {
    static boot_stack_guard: u8;
}

/// Unmaps the page below the boot stack, so that a stack overflow faults
/// (and, with no trap table, crashes the domain, with a register dump in
/// `xl dmesg`) instead of overwriting the image.
pub fn unmap_stack_guard() -> i64 {
    let va = (&raw const boot_stack_guard) as u64;
    // SAFETY: the guard page is the asm's and nothing ever uses it.
    unsafe { hypercall::update_va_mapping(va, 0, abi::UVMF_INVLPG) }
}
