/* ffi-stubgen-flags: --library inf */
/* One function per inference the importer draws from structure; every
 * one is drafted whole, so the draft builds and its check unit compiles
 * against this header. (traps.h holds the shapes it must not infer.) */
#ifndef GOLDEN_INFERENCES_H
#define GOLDEN_INFERENCES_H

#include <stddef.h>

struct inf_point { int x, y; };
typedef struct inf_db inf_db;          /* incomplete: a handle */
typedef struct inf_stmt_s *inf_stmt;   /* a handle through a pointer typedef */
typedef int (*inf_visit)(void *user, const char *name, const char *text, int textLen);

/* Returned strings are borrowed and copied. */
const char *inf_version(void);
/* A string: no integer may count it. */
int inf_open(const char *path, inf_db **db);
/* Its constructor, its free functions, and borrowing it. */
inf_db *inf_db_new(int flags);
int inf_close(inf_db *db);
int inf_close_v2(inf_db *db);
/* A new handle written through a pointer typedef (made from no other
 * handle: one that is may keep it, see traps.h). */
int inf_prepare(const char *sql, int nByte, inf_stmt *stmt);
int inf_finalize(inf_stmt stmt);
int inf_step(inf_stmt stmt);
int inf_column_count(const inf_db *db);
/* Buffers and their counts: beside them, or named after them. */
int inf_write(inf_db *db, const void *buf, size_t len);
int inf_read(inf_db *db, void *buf, size_t cap);
int inf_copy(const char *src, char *dst, int srcSize, int dstCapacity);
int inf_pack(unsigned char *dest, unsigned long *destLen, const unsigned char *source, unsigned long sourceLen);
int inf_sum(const int *xs, size_t n);
/* One struct read. */
int inf_norm(const struct inf_point *p);
/* A callback type is drafted; which pointer C passes it, a function's
 * signature cannot say (traps.h has the shapes). */

#endif
