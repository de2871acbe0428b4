/* ffi-stubgen-flags: --library ptrs */
/* Pointers whose meaning a header does not say: each becomes an
 * `Unresolved<"C type">` marker, and the draft does not parse until a person
 * resolves them (the expected parser errors are in pointers.err). */
#ifndef GOLDEN_POINTERS_H
#define GOLDEN_POINTERS_H

#include <stddef.h>

typedef struct ptr_handle ptr_handle; /* opaque */
typedef struct ptr_file_s *ptr_file;  /* a handle through a pointer typedef */
struct ptr_file_s { int fd; };

typedef void (*ptr_cb)(int event, void *user);

ptr_handle *ptr_open(const char *name);
int ptr_read(ptr_handle *h, char *buf, size_t cap);
int ptr_stat(const ptr_handle *h, long *size);
void ptr_close(ptr_handle *h);

ptr_file ptr_fopen(const char *path);
int ptr_fclose(ptr_file f);

char *ptr_strdup(const char *s);
void ptr_free(void *p);
void ptr_watch(ptr_handle *h, ptr_cb cb, void *user);
int ptr_sum(const int *xs, const int *ys);
int ptr_first(const int *xs);
/* fread's shape: `size * nitems` bytes, which no one parameter counts. */
size_t ptr_fwrite(const void *buf, size_t size, size_t nitems, ptr_file f);

#endif
