/* vocab: a sample C library that exercises every element of the description
 * vocabulary. Every function is prefixed `sv_`. The library is built both as a
 * static archive (Linked linkage) and as a shared object (Loaded linkage). */
#ifndef SAMPLE_VOCAB_H
#define SAMPLE_VOCAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- scalars: each returns a + b (floats and doubles too; bool: a != b) ---- */
int8_t sv_add_i8(int8_t a, int8_t b);
int16_t sv_add_i16(int16_t a, int16_t b);
int32_t sv_add_i32(int32_t a, int32_t b);
int64_t sv_add_i64(int64_t a, int64_t b);
uint8_t sv_add_u8(uint8_t a, uint8_t b);
uint16_t sv_add_u16(uint16_t a, uint16_t b);
uint32_t sv_add_u32(uint32_t a, uint32_t b);
uint64_t sv_add_u64(uint64_t a, uint64_t b);
char sv_add_char(char a, char b);
signed char sv_add_schar(signed char a, signed char b);
unsigned char sv_add_uchar(unsigned char a, unsigned char b);
short sv_add_short(short a, short b);
unsigned short sv_add_ushort(unsigned short a, unsigned short b);
int sv_add_int(int a, int b);
unsigned int sv_add_uint(unsigned int a, unsigned int b);
long sv_add_long(long a, long b);
unsigned long sv_add_ulong(unsigned long a, unsigned long b);
long long sv_add_longlong(long long a, long long b);
unsigned long long sv_add_ulonglong(unsigned long long a, unsigned long long b);
size_t sv_add_size(size_t a, size_t b);
ssize_t sv_add_ssize(ssize_t a, ssize_t b);
float sv_add_float(float a, float b);
double sv_add_double(double a, double b);
bool sv_xor_bool(bool a, bool b);
/* no arguments, no result: increments a global counter read by sv_noop_count */
void sv_noop(void);
int sv_noop_count(void);

/* ---- 0 to 15 int arguments: each returns the sum of its arguments ---- */
int sv_int0(void);
int sv_int1(int a1);
int sv_int2(int a1, int a2);
int sv_int3(int a1, int a2, int a3);
int sv_int4(int a1, int a2, int a3, int a4);
int sv_int5(int a1, int a2, int a3, int a4, int a5);
int sv_int6(int a1, int a2, int a3, int a4, int a5, int a6);
int sv_int7(int a1, int a2, int a3, int a4, int a5, int a6, int a7);
int sv_int8(int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8);
int sv_int9(int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9);
int sv_int10(int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9, int a10);
int sv_int11(int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9, int a10,
             int a11);
int sv_int12(int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9, int a10,
             int a11, int a12);
int sv_int13(int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9, int a10,
             int a11, int a12, int a13);
int sv_int14(int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9, int a10,
             int a11, int a12, int a13, int a14);
int sv_int15(int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9, int a10,
             int a11, int a12, int a13, int a14, int a15);

/* ---- pointers: direction and extent ---- */
/* in, one object: returns *p * 2 */
int sv_double_in(const int *p);
/* out, one object: writes a * b to *out, returns 0 */
int sv_mul_out(int a, int b, int *out);
/* in-out, one object: *p += by; returns the new value */
long sv_bump(long *p, long by);
/* in, fixed count 4: returns the sum of v[0..4] */
int sv_sum4(const int v[4]);
/* out, fixed count 4: writes start, start+1, start+2, start+3 */
void sv_iota4(int start, int out[4]);
/* in, length in another parameter: returns the sum of xs[0..n] */
long sv_sum(const int *xs, size_t n);
/* two inputs and one output sharing one length: out[i] = a[i] + b[i] */
void sv_add_vec(const int *a, const int *b, int *out, size_t n);
/* out buffer with capacity: fills buf[0..cap] with byte `fill`, returns cap */
size_t sv_fill(uint8_t *buf, size_t cap, uint8_t fill);
/* in-out buffer with length: reverses bytes in place */
void sv_reverse(uint8_t *buf, size_t len);
/* in-out length (zlib's destLen style): on entry *len is dest's capacity; copies
 * min(src_len, *len) bytes of src into dest, stores that count in *len; returns
 * 0 if everything fit, 1 if it was truncated */
int sv_copy(uint8_t *dest, size_t *len, const uint8_t *src, size_t src_len);
/* a C function that lies: stores cap + 1 into *len (a description-level bug the
 * wrapper must catch rather than hand out a slice past the end) */
int sv_copy_liar(uint8_t *dest, size_t *len);

/* ---- C strings ---- */
/* in: returns strlen(s) */
size_t sv_strlen(const char *s);
/* out, static: a version string that lives forever */
const char *sv_version(void);
/* out, owned: returns malloc'd "hello, <name>!"; free it with sv_string_free */
char *sv_greet(const char *name);
void sv_string_free(char *s);
/* how many strings returned by sv_greet are not yet freed */
int sv_live_strings(void);
/* NULL when fail != 0, otherwise the static "ok" */
const char *sv_maybe_null(int fail);

/* ---- structs, unions, enums, fixed arrays in structs ---- */
typedef struct sv_point {
    int32_t x;
    int32_t y;
} sv_point;

typedef struct sv_rect {
    sv_point min;
    sv_point max;
} sv_rect;

typedef enum sv_color { SV_RED = 0, SV_GREEN = 1, SV_BLUE = 2 } sv_color;

/* a struct with mixed alignment, a fixed array and an enum field */
typedef struct sv_record {
    uint8_t tag;
    double weight;
    char name[16];
    int16_t values[3];
    sv_color color;
} sv_record;

typedef union sv_value {
    int64_t i;
    double d;
    uint8_t bytes[8];
} sv_value;

/* by value in and out: returns {a.x + b.x, a.y + b.y} */
sv_point sv_point_add(sv_point a, sv_point b);
/* by pointer in: area of r */
int64_t sv_rect_area(const sv_rect *r);
/* by pointer out: writes {x, y} into *out */
void sv_point_make(int32_t x, int32_t y, sv_point *out);
/* by pointer in-out: scales r by k */
void sv_rect_scale(sv_rect *r, int32_t k);
/* struct with array and enum, by pointer: fills *out with tag, weight,
 * name (copied, NUL-padded, truncated to 15 chars), values {1,2,3}, color */
void sv_record_make(uint8_t tag, double weight, const char *name, sv_color color,
                    sv_record *out);
/* by value: returns r.values[0] + r.values[1] + r.values[2] + r.tag */
int sv_record_sum(sv_record r);
/* union by value: returns v.i when as_int, otherwise (int64_t)v.d */
int64_t sv_value_get(sv_value v, int as_int);
/* union out: v.d = d */
sv_value sv_value_of_double(double d);
/* enum in and out: the next color, cycling */
sv_color sv_color_next(sv_color c);
/* enum out of range: returns (sv_color)raw, which may name no enumerator */
sv_color sv_color_from_raw(int raw);

/* ---- opaque handles ---- */
typedef struct sv_counter sv_counter;
/* NULL when start < 0 */
sv_counter *sv_counter_new(int start);
/* adds by and returns the new value */
int sv_counter_add(sv_counter *c, int by);
int sv_counter_get(const sv_counter *c);
void sv_counter_free(sv_counter *c);
/* counters created and not yet freed */
int sv_counters_live(void);

/* A handle spelled by a typedef of a pointer to characters (as SQLite's
 * sqlite3_filename): a copy of the text, NULL when text is NULL. */
typedef const char *sv_label;
sv_label sv_label_new(const char *text);
size_t sv_label_len(sv_label l);
const char *sv_label_text(sv_label l);
void sv_label_free(sv_label l);
/* labels created and not yet freed */
int sv_labels_live(void);

/* ---- callbacks ---- */
typedef int (*sv_visit_fn)(int value, void *user);
/* called during the call: calls f(xs[i], user) for each i, returns the sum of
 * the results */
int sv_each(const int *xs, size_t n, sv_visit_fn f, void *user);

typedef void (*sv_log_fn)(int level, const char *msg, void *user);
/* stored: keeps f and user (replacing any earlier registration) */
void sv_set_logger(sv_log_fn f, void *user);
/* calls the stored logger, if any, with (level, msg); returns 1 if one was set */
int sv_log(int level, const char *msg);
/* forgets the stored logger */
void sv_clear_logger(void);

/* ---- errno ---- */
/* returns a / b; when b == 0 sets errno = EDOM and returns 0 */
int sv_checked_div(int a, int b);

/* ---- variadic ---- */
/* returns the sum of `count` int arguments that follow */
int sv_sum_ints(int count, ...);
/* returns the sum of `count` double arguments that follow */
double sv_sum_doubles(int count, ...);

/* ==== NULL, out-handles, out-strings, tails, bytes, sentinels ==== */
/* strlen(s), or (size_t)-1 when s is NULL */
size_t sv_opt_strlen(const char *s);
/* the sum of xs[0..n]; -1 when xs is NULL (n is then 0) */
long sv_opt_sum(const int *xs, size_t n);
/* fills buf[0..cap] with `fill` and returns cap; returns 999 when buf is NULL */
size_t sv_opt_fill(uint8_t *buf, size_t cap, uint8_t fill);
/* c's value, or -1 when c is NULL */
int sv_counter_peek(const sv_counter *c);
/* "zero", "one", "two" for 0..2, NULL otherwise */
const char *sv_opt_name(int i);
/* as sv_greet (freed with sv_string_free); NULL when name is NULL */
char *sv_opt_greet(const char *name);
/* as sv_counter_new: NULL when start < 0 */
sv_counter *sv_counter_maybe(int start);
/* writes a new counter to *out and returns 0; writes NULL and returns -1
 * when start < 0 */
int sv_counter_open(int start, sv_counter **out);
int sv_counter_try_open(int start, sv_counter **out);
/* writes a malloc'd "value <v>" (freed with sv_string_free) to *msg and
 * returns 0; writes NULL and returns -1 when v < 0 */
int sv_describe(int v, char **msg);
/* writes sv_opt_name(i) to *name (NULL outside 0..2); returns 0 or -1 */
int sv_lookup(int i, const char **name);
/* writes to *rest the first character after the first word of s and the
 * blanks that follow it; returns the word's length */
int sv_first_word(const char *s, const char **rest);
/* as sv_first_word over the n bytes of s, which need no NUL */
int sv_first_word_n(const char *s, size_t n, const char **rest);
/* a C function that lies: points *rest at a string that is not s */
int sv_tail_liar(const char *s, const char **rest);
/* bytes the library keeps: i = 1 gives {1, 2, 3}, i = 2 {0xff} whose length
 * sv_blob_len says is -1 (a lie), anything else NULL */
const void *sv_blob(int i);
/* the length of sv_blob(i) */
int sv_blob_len(int i);
/* a destructor argument that is one of two special values */
typedef void (*sv_destructor)(void *);
#define SV_STATIC ((sv_destructor)0)
#define SV_TRANSIENT ((sv_destructor)-1)
/* 1 when d is SV_TRANSIENT, 2 when it is SV_STATIC, 0 otherwise; copies
 * nothing */
int sv_destructor_kind(const char *s, sv_destructor d);

/* ==== arrays of strings, buffers in callbacks, callbacks kept on handles ==== */
/* the total length of strs[0..n]; a NULL string counts 1000 */
size_t sv_strings_len(const char *const *strs, size_t n);
/* 1000 times how many strings precede the NULL that ends strs, plus their
 * total length */
size_t sv_strings_nt(const char *const *strs);

/* sqlite3_exec's row callback: argv[i] is NULL for an SQL NULL, names[i] never */
typedef int (*sv_row_fn)(void *user, int argc, char **argv, char **names);
/* calls f for rows 0..rows-1, each of the columns id (the row number), parity
 * ("even", or NULL for an odd row) and const ("x"), until f returns nonzero;
 * returns how many rows f was called for */
int sv_rows(int rows, sv_row_fn f, void *user);
/* calls f(user, -1, NULL, NULL) (a count the linkage refuses) and returns
 * its result */
int sv_rows_negative(sv_row_fn f, void *user);

/* expat's start handler: a name and NULL-terminated name/value pairs */
typedef void (*sv_start_fn)(void *user, const char *name, const char **atts);
/* calls f(user, name, atts) and returns how many strings atts holds */
int sv_start(const char *name, const char *const *atts, sv_start_fn f, void *user);

/* expat's character data handler: bytes with their length */
typedef void (*sv_text_fn)(void *user, const char *s, int len);
/* calls f with text in chunks of `size` bytes (the last one shorter);
 * returns how many; with size 0, calls f(user, NULL, 0) once */
int sv_chunks(const char *text, int size, sv_text_fn f, void *user);

typedef int (*sv_name_fn)(const char *name, void *user);
/* calls f(NULL, user) (a NULL where a string is promised) and returns its result */
int sv_call_with_null(sv_name_fn f, void *user);

/* as sv_each, but f may be NULL: then returns -1 */
int sv_each_maybe(const int *xs, size_t n, sv_visit_fn f, void *user);
/* keeps one hook as sv_set_logger keeps the logger; NULL forgets it */
void sv_set_hook(sv_log_fn f, void *user);
/* calls the hook, if any, with (level, msg); returns 1 if one was set */
int sv_hook(int level, const char *msg);

/* an emitter of elements, which keeps its handlers and one user data for
 * them all, as expat's parser does */
typedef struct sv_emitter sv_emitter;
typedef void (*sv_end_fn)(void *user, const char *name);
sv_emitter *sv_emitter_new(void);
void sv_emitter_set_user(sv_emitter *e, void *user);
/* either may be NULL */
void sv_emitter_set_handlers(sv_emitter *e, sv_start_fn begin, sv_end_fn end);
/* for each of names[0..n]: begin(user, name, {"index", "<i>", NULL}), then
 * end(user, name); stops after the element during which sv_emitter_stop was
 * called; returns how many elements were begun */
int sv_emitter_run(sv_emitter *e, const char *const *names, size_t n);
void sv_emitter_stop(sv_emitter *e);
/* forgets the user data (as XML_ParserReset does) */
void sv_emitter_forget_user(sv_emitter *e);
void sv_emitter_free(sv_emitter *e);
/* emitters created and not yet freed */
int sv_emitters_live(void);

#ifdef __cplusplus
}
#endif

#endif
