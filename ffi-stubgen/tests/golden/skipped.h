/* ffi-stubgen-flags: --library skip */
/* What a description cannot hold: every item here is listed, with its reason,
 * at the end of the draft; but for the static inline function, which is
 * drafted with #[wrap] (the check unit defines a wrapper that calls it). */
#ifndef GOLDEN_SKIPPED_H
#define GOLDEN_SKIPPED_H

#include <stdarg.h>

struct skip_packed { char c; int i; } __attribute__((packed));
struct skip_bits { unsigned a : 3; unsigned b : 5; };
struct skip_flex { int n; int items[]; };
struct skip_ptr { int *p; };
struct skip_anon { int kind; union { int i; float f; }; };
struct skip_holds_ptr { struct skip_ptr inner; };

typedef void (*skip_two)(void *a, void *b);
typedef void (*skip_none)(int x);

enum skip_dup { SKIP_X = 1, SKIP_Y = 1 };

extern int skip_counter;

int skip_printf(const char *fmt, ...);
int skip_vprintf(const char *fmt, va_list ap);
int skip_by_value(struct skip_ptr p);
struct skip_ptr skip_returns(void);

#define SKIP_TWICE(x) ((x) * 2)
static inline int skip_inline(int x) { return x + 1; }

#endif
