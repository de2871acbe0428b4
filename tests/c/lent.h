/* A header-only "library" that lends handles to a callback, as SQLite lends
 * its functions' callbacks a sqlite3_context * and the sqlite3_value ** of
 * their arguments. tests/tests/lent.rs describes it with #[wrap]; the check
 * unit tests/build.rs compiles defines ffi_wrap_<name> for each function,
 * linked into this crate (Linked) and built as liblent_check.so (Loaded).
 * Besides lending as it should, it lends NULL where a handle is promised,
 * and calls back from a thread of its own, as a hostile library could. */
#ifndef FFI_TESTS_LENT_H
#define FFI_TESTS_LENT_H

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

/* An object the caller owns. */
typedef struct ln_obj {
    int value;
} ln_obj;

/* What ln_lend lends its callback: only ever lent, never returned. */
typedef struct ln_ctx {
    void *user;
    int answer;
    int answered;
} ln_ctx;

typedef void (*ln_fn)(ln_ctx *ctx, int n, ln_obj **objs);

/* NULL when out of memory. */
static inline ln_obj *ln_obj_new(int value)
{
    ln_obj *o = malloc(sizeof *o);
    if (o != NULL)
        o->value = value;
    return o;
}

static inline void ln_obj_free(ln_obj *o) { free(o); }

static inline int ln_obj_get(const ln_obj *o) { return o->value; }

/* The user data ln_lend was given. */
static inline void *ln_ctx_user(ln_ctx *ctx) { return ctx->user; }

/* What ln_lend returns. */
static inline void ln_ctx_answer(ln_ctx *ctx, int value)
{
    ctx->answer = value;
    ctx->answered = 1;
}

struct ln_call {
    ln_fn f;
    ln_ctx *ctx;
    ln_obj **objs;
};

static inline void *ln_call_main(void *p)
{
    struct ln_call *c = p;
    c->f(c->ctx, 2, c->objs);
    return NULL;
}

/* Calls f with a context whose user data is `user` and the objects {a, b}:
 * mode 0 once; 1 with a NULL context; 2 with NULL for b; 3 from a thread of
 * its own, joined before it returns; 4 twice, each time with a context of
 * its own; 5 with a context whose user data is NULL. Returns the last answer given through a context, -1 if none was. */
static inline int ln_lend(int mode, ln_obj *a, ln_obj *b, ln_fn f, void *user)
{
    ln_ctx ctx = {user, 0, 0}, second = {user, 0, 0}, unset = {NULL, 0, 0};
    ln_obj *objs[2] = {a, mode == 2 ? NULL : b};
    struct ln_call call = {f, &ctx, objs};
    pthread_t thread;
    switch (mode) {
    case 1:
        f(NULL, 2, objs);
        break;
    case 3:
        if (pthread_create(&thread, NULL, ln_call_main, &call) != 0)
            return -2;
        pthread_join(thread, NULL);
        break;
    case 5:
        f(&unset, 2, objs);
        break;
    case 4:
        f(&ctx, 2, objs);
        f(&second, 2, objs);
        return second.answered ? second.answer : -1;
    default:
        f(&ctx, 2, objs);
    }
    return ctx.answered ? ctx.answer : -1;
}

typedef int (*ln_visit_fn)(int value, void *user);

struct ln_visit_call {
    ln_visit_fn f;
    void *user;
    int value;
    int got;
};

static inline void *ln_visit_main(void *p)
{
    struct ln_visit_call *c = p;
    c->got = c->f(c->value, c->user);
    return NULL;
}

/* The callback and user data ln_visit last saw in mode 3, for ln_visit_saved. */
static ln_visit_fn ln_saved_f;
static void *ln_saved_user;

/* Calls f(value, user) during the call: mode 0 on the caller's thread; 1
 * from a thread of its own, joined before it returns; 2 from two threads
 * at once; 3 on the caller's thread after saving f and user, which a
 * nested call of ln_visit_saved then calls (inside f itself). Returns the
 * sum of what f returned, or -2 if a thread could not be made. */
static inline int ln_visit(int mode, int value, ln_visit_fn f, void *user)
{
    struct ln_visit_call a = {f, user, value, 0}, b = {f, user, value + 1, 0};
    pthread_t ta, tb;
    switch (mode) {
    case 1:
        if (pthread_create(&ta, NULL, ln_visit_main, &a) != 0)
            return -2;
        pthread_join(ta, NULL);
        return a.got;
    case 2:
        if (pthread_create(&ta, NULL, ln_visit_main, &a) != 0)
            return -2;
        if (pthread_create(&tb, NULL, ln_visit_main, &b) != 0) {
            pthread_join(ta, NULL);
            return -2;
        }
        pthread_join(ta, NULL);
        pthread_join(tb, NULL);
        return a.got + b.got;
    case 3:
        ln_saved_f = f;
        ln_saved_user = user;
        return f(value, user);
    default:
        return f(value, user);
    }
}

/* Calls the callback ln_visit saved in mode 3 with `value` (0 if none was). */
static inline int ln_visit_saved(int value)
{
    return ln_saved_f != NULL ? ln_saved_f(value, ln_saved_user) : 0;
}

#endif
