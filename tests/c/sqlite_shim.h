/* A shim over five sqlite3 calls whose C shapes the description vocabulary
 * cannot state yet (see tests/src/sqlite.rs for each reason). Every function
 * is a plain call of the real one; none adds behaviour beyond fixing an
 * argument the vocabulary cannot pass or returning an out-parameter handle.
 * Compiled by tests/build.rs into the test crate (Linked) and into
 * libffi_sqlite_shim.so, which links libsqlite3 (Loaded). */
#ifndef FFI_SQLITE_SHIM_H
#define FFI_SQLITE_SHIM_H

#include <sqlite3.h>

/* sqlite3_open: the connection written to `sqlite3 **ppDb`, returned.
 * As sqlite3_open, a connection is returned even when opening fails (its
 * sqlite3_errcode/sqlite3_errmsg say why; it must still be closed); NULL
 * only when SQLite cannot allocate one. */
sqlite3 *shim_sqlite3_open(const char *filename);

/* sqlite3_prepare_v2 of the first statement of a NUL-terminated `sql`
 * (nByte = -1, no tail): the statement written to `sqlite3_stmt **ppStmt`,
 * returned; NULL on error (see sqlite3_errcode) or when `sql` holds no
 * statement (sqlite3_errcode is then SQLITE_OK). */
sqlite3_stmt *shim_sqlite3_prepare_v2(sqlite3 *db, const char *sql);

/* sqlite3_exec without a row callback and without an error-message out
 * parameter (the message stays readable through sqlite3_errmsg). */
int shim_sqlite3_exec(sqlite3 *db, const char *sql);

/* sqlite3_bind_text of `n` bytes with the destructor SQLITE_TRANSIENT, so
 * SQLite copies the text before returning. */
int shim_sqlite3_bind_text(sqlite3_stmt *stmt, int index, const char *text, int n);

/* sqlite3_column_text as `const char *` (SQLite's text is UTF-8; the C type
 * is `const unsigned char *`); NULL for an SQL NULL or on allocation failure. */
const char *shim_sqlite3_column_text(sqlite3_stmt *stmt, int column);

#endif
