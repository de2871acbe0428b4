/* ffi-stubgen-flags: --library allocated */
/* A complete struct C allocates and frees (SQLite's sqlite3_snapshot): a
 * function writes one out through `T **` and a one-parameter function
 * frees it, so the caller only ever holds C's pointer and it is drafted as
 * a handle, not described: its functions take &Snap, its free function
 * Owned<Snap>. How the pointer is written out stays a person's (the name
 * `get` says nothing of ownership). The traps stay described structs. */
#ifndef GOLDEN_ALLOCATED_H
#define GOLDEN_ALLOCATED_H

typedef struct al_db al_db;
int al_db_open(const char *name, al_db **out);
int al_db_close(al_db *db);

typedef struct al_snap {
    unsigned char hidden[16];
} al_snap;
int al_snap_get(al_db *db, al_snap **out);
int al_snap_use(al_db *db, al_snap *snap);
int al_snap_cmp(al_snap *a, al_snap *b);
void al_snap_free(al_snap *snap);

/* Trap: written out through `T **` and freed, but also returned by value:
 * a caller holds those, so it stays a struct. */
typedef struct al_pair {
    int a, b;
} al_pair;
al_pair al_pair_make(int a, int b);
int al_pair_find(al_db *db, al_pair **out);
void al_pair_free(al_pair *p);

/* Trap: only a `const T **` is written out (C hands out one it keeps) and
 * nothing frees it: a struct. */
typedef struct al_info {
    int version;
    int flags;
} al_info;
int al_info_get(al_db *db, const al_info **out);
int al_info_flags(const al_info *info);

/* Trap: written out, but no function frees it: a struct (C may point into
 * its own storage). */
typedef struct al_stat {
    long count;
} al_stat;
int al_stat_peek(al_db *db, al_stat **out);

/* Trap: a callback takes it by value: the caller may hold one, a struct. */
typedef struct al_ev {
    int kind;
} al_ev;
typedef void (*al_ev_cb)(void *user, al_ev ev);
void al_watch(al_db *db, al_ev_cb cb, void *user);
int al_ev_next(al_db *db, al_ev **out);
void al_ev_free(al_ev *ev);

/* A complete struct no value can describe (a union with pointer fields,
 * as libyaml's yaml_event_t) that a one-parameter function frees: the
 * caller allocates it and C fills it. No handle: a #[copy_out] struct a
 * person maps could carry it out, which the guess spells with its layout;
 * whether the free function may run after a failed call, and which union
 * member each kind fills, is the library's word. */
typedef struct al_event {
    int kind;
    union {
        struct {
            char *name;
        } open;
        struct {
            int code;
        } close;
    } data;
} al_event;
int al_event_open_initialize(al_event *ev, const char *name);
int al_next_event(al_db *db, al_event *ev);
void al_event_delete(al_event *ev);

#endif
