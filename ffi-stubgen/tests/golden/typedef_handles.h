/* ffi-stubgen-flags: --library typedef-handles */
/* A typedef naming a pointer to a value (SQLite's `typedef const char
 * *sqlite3_filename`) is a handle when a one-parameter function frees it and
 * no function takes one and returns one: the caller only holds what C
 * made, so its functions take &Name, though each is a string to C. A
 * result of it that no name says is new is copied as a string (Rust keeps
 * no handle, so nothing is freed twice). */
#ifndef GOLDEN_TYPEDEF_HANDLES_H
#define GOLDEN_TYPEDEF_HANDLES_H

#include <stddef.h>

typedef const char *th_name;
th_name th_name_new(const char *text);
const char *th_name_text(th_name n);
size_t th_name_len(th_name n);
int th_name_same(th_name a, th_name b);
void th_name_free(th_name n);
th_name th_name_find(const char *key);

/* A typedef of `void *` with a free function: a handle too. */
typedef void *th_ctx;
th_ctx th_ctx_new(int n);
int th_ctx_get(th_ctx c);
void th_ctx_free(th_ctx c);

/* Trap: a function takes one and returns one (it may move it, freeing the
 * one it was given, as sds's sdscat does): no handle. */
typedef char *th_buf;
th_buf th_buf_new(void);
th_buf th_buf_cat(th_buf b, const char *s);
void th_buf_free(th_buf b);

/* Trap: nothing frees it: no handle, and since the typedef names the
 * pointer it is no string of the caller's either (left). */
typedef const char *th_label;
int th_label_width(th_label l);

#endif
