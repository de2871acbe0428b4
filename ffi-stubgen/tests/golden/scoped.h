/* ffi-stubgen-flags: --library scoped-lib */
/* Handles C only lends to callbacks (SQLite's sqlite3_context *): a pointer
 * to a record no function frees is drafted scoped only when a callback type
 * takes it and no function returns it, writes it out or may free it. The
 * traps are each handed to a callback too, and must not become scoped. */
#ifndef GOLDEN_SCOPED_H
#define GOLDEN_SCOPED_H

typedef struct sc_db sc_db;
typedef struct sc_ctx sc_ctx;
typedef struct sc_val sc_val;
typedef struct sc_row sc_row;
typedef struct sc_cur sc_cur;
typedef struct sc_tmp sc_tmp;
typedef struct sc_lone sc_lone;
typedef struct sc_hint_s *sc_hint;

sc_db *sc_open(const char *name);
void sc_close(sc_db *db);

/* Lent to the callback with its arguments, never returned nor written:
 * sc_ctx is scoped, and its functions take &Ctx. The arguments are
 * `sc_val **`, which may be an array C lends or a place the callback
 * writes: sc_val is not scoped (it is a handle, freed by sc_val_free). The
 * callback has no `void *`: which function gives its user data, and that
 * argc counts argv, are guesses beside `fn`. */
typedef void (*sc_fn)(sc_ctx *ctx, int argc, sc_val **argv);
int sc_define(sc_db *db, const char *name, sc_fn fn, void *app);
void sc_result_int(sc_ctx *ctx, int value);
void sc_result_null(sc_ctx *ctx);
void *sc_user_data(sc_ctx *ctx);
int sc_val_int(sc_val *v);
sc_val *sc_val_dup(const sc_val *v);
void sc_val_free(sc_val *v);

/* A pointer typedef lent to a callback: scoped too. */
typedef void (*sc_hint_cb)(void *user, sc_hint hint);
void sc_hints(sc_db *db, sc_hint_cb cb, void *user);
void sc_hint_level(sc_hint hint, int level);

/* Trap: handed to a callback, and returned by a function: not scoped. */
typedef int (*sc_each_cb)(void *user, sc_row *row);
int sc_each_row(sc_db *db, sc_each_cb cb, void *user);
sc_row *sc_row_first(sc_db *db);
int sc_row_id(sc_row *row);

/* Trap: handed to a callback, and written out through `sc_cur **`. */
typedef void (*sc_cur_cb)(void *user, sc_cur *cur);
void sc_watch(sc_db *db, sc_cur_cb cb, void *user);
int sc_cursor_open(sc_db *db, sc_cur **out);
int sc_cur_next(sc_cur *cur);

/* Trap: handed to a callback, and taken by a function whose name says it
 * may free it. */
typedef void (*sc_tmp_cb)(void *user, sc_tmp *tmp);
void sc_on_tmp(sc_db *db, sc_tmp_cb cb, void *user);
void sc_tmp_release(sc_tmp *tmp, int flags);
int sc_tmp_size(sc_tmp *tmp);

/* No callback takes it and nothing frees it: no handle at all. */
int sc_lone_size(sc_lone *lone);

#endif
