/* vocab: implementation of vocab.h. Plain C11; every function does exactly
 * what its comment in the header says. Global state lives in file-static
 * variables; the counters touched from several threads are atomic. */
#include "vocab.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* ---- scalars ---- */
int8_t sv_add_i8(int8_t a, int8_t b) { return (int8_t)(a + b); }
int16_t sv_add_i16(int16_t a, int16_t b) { return (int16_t)(a + b); }
int32_t sv_add_i32(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
int64_t sv_add_i64(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
uint8_t sv_add_u8(uint8_t a, uint8_t b) { return (uint8_t)(a + b); }
uint16_t sv_add_u16(uint16_t a, uint16_t b) { return (uint16_t)(a + b); }
uint32_t sv_add_u32(uint32_t a, uint32_t b) { return a + b; }
uint64_t sv_add_u64(uint64_t a, uint64_t b) { return a + b; }
char sv_add_char(char a, char b) { return (char)(a + b); }
signed char sv_add_schar(signed char a, signed char b) { return (signed char)(a + b); }
unsigned char sv_add_uchar(unsigned char a, unsigned char b) { return (unsigned char)(a + b); }
short sv_add_short(short a, short b) { return (short)(a + b); }
unsigned short sv_add_ushort(unsigned short a, unsigned short b)
{
    return (unsigned short)(a + b);
}
int sv_add_int(int a, int b) { return (int)((unsigned int)a + (unsigned int)b); }
unsigned int sv_add_uint(unsigned int a, unsigned int b) { return a + b; }
long sv_add_long(long a, long b) { return (long)((unsigned long)a + (unsigned long)b); }
unsigned long sv_add_ulong(unsigned long a, unsigned long b) { return a + b; }
long long sv_add_longlong(long long a, long long b)
{
    return (long long)((unsigned long long)a + (unsigned long long)b);
}
unsigned long long sv_add_ulonglong(unsigned long long a, unsigned long long b) { return a + b; }
size_t sv_add_size(size_t a, size_t b) { return a + b; }
ssize_t sv_add_ssize(ssize_t a, ssize_t b) { return (ssize_t)((size_t)a + (size_t)b); }
float sv_add_float(float a, float b) { return a + b; }
double sv_add_double(double a, double b) { return a + b; }
bool sv_xor_bool(bool a, bool b) { return a != b; }

static atomic_int noop_count;

void sv_noop(void) { atomic_fetch_add(&noop_count, 1); }
int sv_noop_count(void) { return atomic_load(&noop_count); }

/* ---- 0 to 15 int arguments ---- */
int sv_int0(void) { return 0; }
int sv_int1(int a1) { return a1; }
int sv_int2(int a1, int a2) { return a1 + a2; }
int sv_int3(int a1, int a2, int a3) { return a1 + a2 + a3; }
int sv_int4(int a1, int a2, int a3, int a4) { return a1 + a2 + a3 + a4; }
int sv_int5(int a1, int a2, int a3, int a4, int a5) { return a1 + a2 + a3 + a4 + a5; }
int sv_int6(int a1, int a2, int a3, int a4, int a5, int a6)
{
    return a1 + a2 + a3 + a4 + a5 + a6;
}
int sv_int7(int a1, int a2, int a3, int a4, int a5, int a6, int a7)
{
    return a1 + a2 + a3 + a4 + a5 + a6 + a7;
}
int sv_int8(int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8)
{
    return a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8;
}
int sv_int9(int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9)
{
    return a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9;
}
int sv_int10(int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9, int a10)
{
    return a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10;
}
int sv_int11(int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9, int a10,
             int a11)
{
    return a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
}
int sv_int12(int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9, int a10,
             int a11, int a12)
{
    return a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12;
}
int sv_int13(int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9, int a10,
             int a11, int a12, int a13)
{
    return a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13;
}
int sv_int14(int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9, int a10,
             int a11, int a12, int a13, int a14)
{
    return a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14;
}
int sv_int15(int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9, int a10,
             int a11, int a12, int a13, int a14, int a15)
{
    return a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15;
}

/* ---- pointers: direction and extent ---- */
int sv_double_in(const int *p) { return *p * 2; }

int sv_mul_out(int a, int b, int *out)
{
    *out = a * b;
    return 0;
}

long sv_bump(long *p, long by)
{
    *p += by;
    return *p;
}

int sv_sum4(const int v[4]) { return v[0] + v[1] + v[2] + v[3]; }

void sv_iota4(int start, int out[4])
{
    for (int i = 0; i < 4; i++) {
        out[i] = start + i;
    }
}

long sv_sum(const int *xs, size_t n)
{
    long total = 0;
    for (size_t i = 0; i < n; i++) {
        total += xs[i];
    }
    return total;
}

void sv_add_vec(const int *a, const int *b, int *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        out[i] = a[i] + b[i];
    }
}

size_t sv_fill(uint8_t *buf, size_t cap, uint8_t fill)
{
    if (cap > 0) {
        memset(buf, fill, cap);
    }
    return cap;
}

void sv_reverse(uint8_t *buf, size_t len)
{
    if (len < 2) {
        return;
    }
    for (size_t i = 0, j = len - 1; i < j; i++, j--) {
        uint8_t t = buf[i];
        buf[i] = buf[j];
        buf[j] = t;
    }
}

int sv_copy(uint8_t *dest, size_t *len, const uint8_t *src, size_t src_len)
{
    size_t cap = *len;
    size_t n = src_len < cap ? src_len : cap;
    if (n > 0) {
        memcpy(dest, src, n);
    }
    *len = n;
    return n == src_len ? 0 : 1;
}

int sv_copy_liar(uint8_t *dest, size_t *len)
{
    /* writes nothing into dest: it only lies about how much it wrote */
    (void)dest;
    *len = *len + 1;
    return 0;
}

/* ---- C strings ---- */
size_t sv_strlen(const char *s) { return strlen(s); }

const char *sv_version(void) { return "vocab 1.0.0"; }

static atomic_int live_strings;

char *sv_greet(const char *name)
{
    static const char prefix[] = "hello, ";
    static const char suffix[] = "!";
    size_t name_len = strlen(name);
    size_t total = (sizeof prefix - 1) + name_len + (sizeof suffix - 1) + 1;
    char *s = malloc(total);
    if (s == NULL) {
        return NULL;
    }
    memcpy(s, prefix, sizeof prefix - 1);
    memcpy(s + sizeof prefix - 1, name, name_len);
    memcpy(s + sizeof prefix - 1 + name_len, suffix, sizeof suffix); /* with the NUL */
    atomic_fetch_add(&live_strings, 1);
    return s;
}

void sv_string_free(char *s)
{
    if (s == NULL) {
        return;
    }
    atomic_fetch_sub(&live_strings, 1);
    free(s);
}

int sv_live_strings(void) { return atomic_load(&live_strings); }

const char *sv_maybe_null(int fail) { return fail != 0 ? NULL : "ok"; }

/* ---- structs, unions, enums ---- */
sv_point sv_point_add(sv_point a, sv_point b)
{
    sv_point r = {a.x + b.x, a.y + b.y};
    return r;
}

int64_t sv_rect_area(const sv_rect *r)
{
    int64_t w = (int64_t)r->max.x - (int64_t)r->min.x;
    int64_t h = (int64_t)r->max.y - (int64_t)r->min.y;
    return w * h;
}

void sv_point_make(int32_t x, int32_t y, sv_point *out)
{
    out->x = x;
    out->y = y;
}

void sv_rect_scale(sv_rect *r, int32_t k)
{
    r->min.x *= k;
    r->min.y *= k;
    r->max.x *= k;
    r->max.y *= k;
}

void sv_record_make(uint8_t tag, double weight, const char *name, sv_color color,
                    sv_record *out)
{
    memset(out, 0, sizeof *out);
    out->tag = tag;
    out->weight = weight;
    if (name != NULL) {
        size_t n = strlen(name);
        if (n > sizeof out->name - 1) {
            n = sizeof out->name - 1;
        }
        memcpy(out->name, name, n);
    }
    out->values[0] = 1;
    out->values[1] = 2;
    out->values[2] = 3;
    out->color = color;
}

int sv_record_sum(sv_record r) { return r.values[0] + r.values[1] + r.values[2] + r.tag; }

int64_t sv_value_get(sv_value v, int as_int) { return as_int ? v.i : (int64_t)v.d; }

sv_value sv_value_of_double(double d)
{
    sv_value v;
    memset(&v, 0, sizeof v);
    v.d = d;
    return v;
}

sv_color sv_color_next(sv_color c)
{
    switch (c) {
    case SV_RED:
        return SV_GREEN;
    case SV_GREEN:
        return SV_BLUE;
    case SV_BLUE:
        return SV_RED;
    }
    /* not an enumerator: cycle by value */
    return (sv_color)(((int)c + 1) % 3);
}

sv_color sv_color_from_raw(int raw) { return (sv_color)raw; }

/* ---- opaque handles ---- */
struct sv_counter {
    int value;
};

static atomic_int counters_live;

sv_counter *sv_counter_new(int start)
{
    if (start < 0) {
        return NULL;
    }
    sv_counter *c = malloc(sizeof *c);
    if (c == NULL) {
        return NULL;
    }
    c->value = start;
    atomic_fetch_add(&counters_live, 1);
    return c;
}

int sv_counter_add(sv_counter *c, int by)
{
    c->value += by;
    return c->value;
}

int sv_counter_get(const sv_counter *c) { return c->value; }

void sv_counter_free(sv_counter *c)
{
    if (c == NULL) {
        return;
    }
    atomic_fetch_sub(&counters_live, 1);
    free(c);
}

static atomic_int labels_live;

sv_label sv_label_new(const char *text)
{
    if (text == NULL) {
        return NULL;
    }
    size_t n = strlen(text) + 1;
    char *l = malloc(n);
    if (l == NULL) {
        return NULL;
    }
    memcpy(l, text, n);
    atomic_fetch_add(&labels_live, 1);
    return l;
}

size_t sv_label_len(sv_label l) { return strlen(l); }

const char *sv_label_text(sv_label l) { return l; }

void sv_label_free(sv_label l)
{
    if (l == NULL) {
        return;
    }
    atomic_fetch_sub(&labels_live, 1);
    free((char *)l);
}

int sv_labels_live(void) { return atomic_load(&labels_live); }

int sv_counters_live(void) { return atomic_load(&counters_live); }

/* ---- callbacks ---- */
int sv_each(const int *xs, size_t n, sv_visit_fn f, void *user)
{
    int total = 0;
    for (size_t i = 0; i < n; i++) {
        total += f(xs[i], user);
    }
    return total;
}

/* The stored logger: the function and its user data are set together under a
 * spin lock so sv_log never sees one without the other. */
static atomic_flag logger_lock = ATOMIC_FLAG_INIT;
static sv_log_fn logger_fn;
static void *logger_user;

static void logger_acquire(void)
{
    while (atomic_flag_test_and_set_explicit(&logger_lock, memory_order_acquire)) {
    }
}

static void logger_release(void) { atomic_flag_clear_explicit(&logger_lock, memory_order_release); }

void sv_set_logger(sv_log_fn f, void *user)
{
    logger_acquire();
    logger_fn = f;
    logger_user = user;
    logger_release();
}

int sv_log(int level, const char *msg)
{
    logger_acquire();
    sv_log_fn f = logger_fn;
    void *user = logger_user;
    logger_release();
    if (f == NULL) {
        return 0;
    }
    f(level, msg, user);
    return 1;
}

void sv_clear_logger(void) { sv_set_logger(NULL, NULL); }

/* ---- errno ---- */
int sv_checked_div(int a, int b)
{
    if (b == 0) {
        errno = EDOM;
        return 0;
    }
    return a / b;
}

/* ---- variadic ---- */
int sv_sum_ints(int count, ...)
{
    va_list ap;
    int total = 0;
    va_start(ap, count);
    for (int i = 0; i < count; i++) {
        total += va_arg(ap, int);
    }
    va_end(ap);
    return total;
}

double sv_sum_doubles(int count, ...)
{
    va_list ap;
    double total = 0.0;
    va_start(ap, count);
    for (int i = 0; i < count; i++) {
        total += va_arg(ap, double);
    }
    va_end(ap);
    return total;
}

/* ==== NULL, out-handles, out-strings, tails, bytes, sentinels ==== */
size_t sv_opt_strlen(const char *s) { return s ? strlen(s) : (size_t)-1; }

long sv_opt_sum(const int *xs, size_t n) { return xs ? sv_sum(xs, n) : -1; }

size_t sv_opt_fill(uint8_t *buf, size_t cap, uint8_t fill)
{
    return buf ? sv_fill(buf, cap, fill) : 999;
}

int sv_counter_peek(const sv_counter *c) { return c ? sv_counter_get(c) : -1; }

const char *sv_opt_name(int i)
{
    static const char *const names[] = {"zero", "one", "two"};
    return i >= 0 && i < 3 ? names[i] : NULL;
}

char *sv_opt_greet(const char *name) { return name ? sv_greet(name) : NULL; }

sv_counter *sv_counter_maybe(int start) { return sv_counter_new(start); }

int sv_counter_open(int start, sv_counter **out)
{
    *out = sv_counter_new(start);
    return *out ? 0 : -1;
}

int sv_counter_try_open(int start, sv_counter **out) { return sv_counter_open(start, out); }

int sv_describe(int v, char **msg)
{
    *msg = NULL;
    if (v < 0) {
        return -1;
    }
    /* "value <v>", allocated as sv_greet allocates (and counts) strings. */
    char digits[16];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    char name[16];
    for (size_t i = 0; i < n; i++) {
        name[i] = digits[n - 1 - i];
    }
    name[n] = '\0';
    char *s = sv_greet(name);
    if (s == NULL) {
        return -1;
    }
    /* "hello, <v>!" is longer than "value <v>": rewritten in place. */
    memcpy(s, "value ", 6);
    memcpy(s + 6, name, n + 1);
    *msg = s;
    return 0;
}

int sv_lookup(int i, const char **name)
{
    *name = sv_opt_name(i);
    return *name ? 0 : -1;
}

int sv_first_word_n(const char *s, size_t n, const char **rest)
{
    size_t i = 0;
    while (i < n && s[i] != '\0' && s[i] != ' ') {
        i++;
    }
    size_t word = i;
    while (i < n && s[i] == ' ') {
        i++;
    }
    *rest = s + i;
    return (int)word;
}

int sv_first_word(const char *s, const char **rest)
{
    return sv_first_word_n(s, strlen(s), rest);
}

int sv_tail_liar(const char *s, const char **rest)
{
    (void)s;
    *rest = sv_version();
    return 0;
}

const void *sv_blob(int i)
{
    static const uint8_t three[] = {1, 2, 3};
    static const uint8_t liar[] = {0xff};
    switch (i) {
    case 1:
        return three;
    case 2:
        return liar;
    default:
        return NULL;
    }
}

int sv_blob_len(int i)
{
    switch (i) {
    case 1:
        return 3;
    case 2:
        return -1;
    default:
        return 0;
    }
}

int sv_destructor_kind(const char *s, sv_destructor d)
{
    (void)s;
    if (d == SV_TRANSIENT) {
        return 1;
    }
    return d == SV_STATIC ? 2 : 0;
}

/* ==== arrays of strings, buffers in callbacks, callbacks kept on handles ==== */
/* the decimal digits of v into buf (16 bytes) */
static void decimal(size_t v, char *buf)
{
    char digits[24];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 && n < 15);
    for (size_t i = 0; i < n; i++) {
        buf[i] = digits[n - 1 - i];
    }
    buf[n] = '\0';
}

size_t sv_strings_len(const char *const *strs, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        total += strs[i] ? strlen(strs[i]) : 1000;
    }
    return total;
}

size_t sv_strings_nt(const char *const *strs)
{
    size_t count = 0, total = 0;
    for (; strs[count] != NULL; count++) {
        total += strlen(strs[count]);
    }
    return 1000 * count + total;
}

int sv_rows(int rows, sv_row_fn f, void *user)
{
    static char *names[] = {"id", "parity", "const"};
    static char even[] = "even", x[] = "x";
    int i = 0;
    while (i < rows) {
        char id[16];
        decimal((size_t)i, id);
        char *argv[] = {id, i % 2 ? NULL : even, x};
        i++;
        if (f(user, 3, argv, names) != 0) {
            break;
        }
    }
    return i;
}

int sv_rows_negative(sv_row_fn f, void *user) { return f(user, -1, NULL, NULL); }

int sv_start(const char *name, const char *const *atts, sv_start_fn f, void *user)
{
    int n = 0;
    while (atts[n] != NULL) {
        n++;
    }
    f(user, name, (const char **)atts);
    return n;
}

int sv_chunks(const char *text, int size, sv_text_fn f, void *user)
{
    if (size <= 0) {
        f(user, NULL, 0);
        return 1;
    }
    int len = (int)strlen(text), count = 0;
    for (int at = 0; at < len; at += size) {
        f(user, text + at, len - at < size ? len - at : size);
        count++;
    }
    return count;
}

int sv_call_with_null(sv_name_fn f, void *user) { return f(NULL, user); }

int sv_each_maybe(const int *xs, size_t n, sv_visit_fn f, void *user)
{
    return f ? sv_each(xs, n, f, user) : -1;
}

static atomic_flag hook_lock = ATOMIC_FLAG_INIT;
static sv_log_fn hook_fn;
static void *hook_user;

void sv_set_hook(sv_log_fn f, void *user)
{
    while (atomic_flag_test_and_set_explicit(&hook_lock, memory_order_acquire)) {
    }
    hook_fn = f;
    hook_user = user;
    atomic_flag_clear_explicit(&hook_lock, memory_order_release);
}

int sv_hook(int level, const char *msg)
{
    while (atomic_flag_test_and_set_explicit(&hook_lock, memory_order_acquire)) {
    }
    sv_log_fn f = hook_fn;
    void *user = hook_user;
    atomic_flag_clear_explicit(&hook_lock, memory_order_release);
    if (f == NULL) {
        return 0;
    }
    f(level, msg, user);
    return 1;
}

struct sv_emitter {
    void *user;
    sv_start_fn begin;
    sv_end_fn end;
    int stopped;
};

static atomic_int emitters_live;

sv_emitter *sv_emitter_new(void)
{
    sv_emitter *e = calloc(1, sizeof *e);
    if (e != NULL) {
        atomic_fetch_add(&emitters_live, 1);
    }
    return e;
}

void sv_emitter_set_user(sv_emitter *e, void *user) { e->user = user; }

void sv_emitter_set_handlers(sv_emitter *e, sv_start_fn begin, sv_end_fn end)
{
    e->begin = begin;
    e->end = end;
}

int sv_emitter_run(sv_emitter *e, const char *const *names, size_t n)
{
    e->stopped = 0;
    int begun = 0;
    for (size_t i = 0; i < n && !e->stopped; i++) {
        char index[16];
        decimal(i, index);
        const char *atts[] = {"index", index, NULL};
        begun++;
        if (e->begin != NULL) {
            e->begin(e->user, names[i], atts);
        }
        if (e->end != NULL) {
            e->end(e->user, names[i]);
        }
    }
    return begun;
}

void sv_emitter_stop(sv_emitter *e) { e->stopped = 1; }

void sv_emitter_forget_user(sv_emitter *e) { e->user = NULL; }

void sv_emitter_free(sv_emitter *e)
{
    if (e == NULL) {
        return;
    }
    atomic_fetch_sub(&emitters_live, 1);
    free(e);
}

int sv_emitters_live(void) { return atomic_load(&emitters_live); }
