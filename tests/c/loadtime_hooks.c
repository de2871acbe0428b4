/* The load-time hooks of the loadtime sample library (sample-libs/c/loadtime.h),
 * linked into the loadtime domain only: each runs before main(), when the
 * dynamic loader initialises the executable, and attacks if HL_HOOK names it. */
#include "loadtime.h"

__attribute__((constructor)) static void hl_constructor(void) { hl_attack_from_env("constructor"); }

static void hl_init_array(void) { hl_attack_from_env("init_array"); }

__attribute__((section(".init_array"), used)) static void (*hl_init_entry)(void) = hl_init_array;
