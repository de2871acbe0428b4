/* The load-time hooks of the loadtime sample library (sample-libs/c/loadtime.h),
 * linked into the loadtime domain only: each runs before main(), when the
 * dynamic loader relocates and initialises the executable. */
#define _GNU_SOURCE
#include "loadtime.h"

#include <stddef.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

int hl_ifunc(void);

__attribute__((constructor)) static void hl_constructor(void) {
    /* Calling the IFUNC keeps it (and its resolver, which the loader runs
     * while relocating, before this constructor) in the executable. */
    if (hl_ifunc() == 42) hl_attack_from_env("constructor");
}

static void hl_init_array(void) { hl_attack_from_env("init_array"); }

__attribute__((section(".init_array"), used)) static void (*hl_init_entry)(void) = hl_init_array;

/* An IFUNC resolver runs while the loader relocates the executable, before
 * any constructor and before the environment is set up, so it takes its
 * order from what it can read: it attacks (connects out, through raw system
 * calls) when the client set the CPU-time limit to HL_IFUNC_CPU_SECONDS. */
#define HL_IFUNC_CPU_SECONDS 4242

static int hl_ifunc_impl(void) { return 42; }

static int (*hl_ifunc_resolve(void))(void) {
    struct rlimit cpu;
    if (syscall(SYS_prlimit64, 0, RLIMIT_CPU, NULL, &cpu) == 0 && cpu.rlim_cur == HL_IFUNC_CPU_SECONDS) {
        syscall(SYS_socket, 2 /* AF_INET */, 1 /* SOCK_STREAM */, 0);
    }
    return hl_ifunc_impl;
}

int hl_ifunc(void) __attribute__((ifunc("hl_ifunc_resolve")));
