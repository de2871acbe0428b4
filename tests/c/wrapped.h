/* A header-only "library": static inline functions and function-like macros,
 * which have no symbol. tests/tests/wrapped.rs describes them with #[wrap];
 * the check unit tests/build.rs compiles defines ffi_wrap_<name> for each,
 * linked into this crate (Linked) and built as libwrapped_check.so (Loaded). */
#ifndef FFI_TESTS_WRAPPED_H
#define FFI_TESTS_WRAPPED_H

#include <stddef.h>

static inline int wd_add(int a, int b) { return a + b; }

static inline long wd_sum(const int *xs, size_t n)
{
    long s = 0;
    for (size_t i = 0; i < n; i++)
        s += xs[i];
    return s;
}

static inline void wd_fill(int *out, size_t n, int v)
{
    for (size_t i = 0; i < n; i++)
        out[i] = v;
}

static inline const char *wd_name(int k)
{
    return k == 0 ? "zero" : k > 0 ? "positive" : "negative";
}

#define WD_TWICE(x) ((x) * 2)
#define WD_CLAMP(v, lo, hi) ((v) < (lo) ? (lo) : (v) > (hi) ? (hi) : (v))
#define WD_SWAP(a, b) do { int wd_t_ = *(a); *(a) = *(b); *(b) = wd_t_; } while (0)

#endif
