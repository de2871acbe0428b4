/* Function-like macros and static inline functions have no symbol to call:
 * wrap.rs describes them by hand with #[wrap], and the check unit (wrap.c)
 * defines a wrapper of the described type for each, which the Linked and
 * Loaded linkages call. */
#ifndef GOLDEN_WRAP_H
#define GOLDEN_WRAP_H

#include <stddef.h>

/* A function with a symbol, for contrast. */
int wr_plain(int x);

static inline int wr_add(int a, int b) { return a + b; }

static inline long wr_sum(const int *xs, size_t n)
{
    long s = 0;
    for (size_t i = 0; i < n; i++)
        s += xs[i];
    return s;
}

static inline void wr_fill(int *out, size_t n, int v)
{
    for (size_t i = 0; i < n; i++)
        out[i] = v;
}

#define WR_TWICE(x) ((x) * 2)
#define WR_MAX(a, b) ((a) > (b) ? (a) : (b))
#define WR_RESET(p) ((void)(*(p) = 0))

/* A function shadowed by a macro of the same name, as zlib's gzgetc. */
int wr_get(const int *p);
#define wr_get(p) (*(p))

#endif
