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

#endif
