/* A header-only "library" whose objects keep a handler, as an expat parser
 * keeps its element handlers, but which hands the handler whatever user
 * data it likes: NULL, or an address that points at nothing. A description
 * can only find the handler's closure through the call that runs it
 * (#[opaque(.., kept_by_call)]). tests/src/route.rs describes it with
 * #[wrap]; tests/build.rs compiles its check unit (Linked) and builds it as
 * libroute_check.so (Loaded). Besides calling the handler during a call on
 * its object, it calls it from a thread of its own, from a call that takes
 * no object, and after the object's call returned; and a child object
 * calls the handler it inherited from its parent. rt_cobj is the same
 * object with its user data set on it, as expat's parser has. */
#ifndef FFI_TESTS_ROUTE_H
#define FFI_TESTS_ROUTE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

typedef int (*rt_handler)(void *user, int value);

/* An object that keeps one handler. */
typedef struct rt_obj {
    rt_handler handler;
    int id;
} rt_obj;

/* The object whose handler rt_fire_last calls: the last one run on this
 * thread (tests of several linkages share the linked copy at once). */
static _Thread_local rt_obj *rt_last_run;

/* NULL when out of memory. */
static inline rt_obj *rt_new(int id)
{
    rt_obj *o = calloc(1, sizeof *o);
    if (o != NULL)
        o->id = id;
    return o;
}

/* A new object that keeps its parent's handler, as expat's external entity
 * parser inherits its parent's handlers: the child's own table on the Rust
 * side has none. NULL when out of memory. */
static inline rt_obj *rt_child(const rt_obj *parent, int id)
{
    rt_obj *o = rt_new(id);
    if (o != NULL)
        o->handler = parent->handler;
    return o;
}

static inline void rt_free(rt_obj *o)
{
    if (rt_last_run == o)
        rt_last_run = NULL;
    free(o);
}

static inline int rt_id(const rt_obj *o) { return o->id; }

/* Keeps h (NULL: none). */
static inline void rt_set_handler(rt_obj *o, rt_handler h) { o->handler = h; }

/* The user data the handler gets: NULL for mode 0, an address that points
 * at nothing for mode 1. */
static inline void *rt_user(int mode)
{
    return mode == 1 ? (void *)(uintptr_t)0xdead0000u : NULL;
}

/* Calls the handler with 0 .. n-1 and the user data `mode` says; returns
 * the sum of its results, -1 without a handler. */
static inline int rt_run(rt_obj *o, int n, int mode)
{
    int sum = 0;
    rt_last_run = o;
    if (o->handler == NULL)
        return -1;
    for (int i = 0; i < n; i++)
        sum += o->handler(rt_user(mode), i);
    return sum;
}

/* Calls a's handler with 1 while b is passed too: a call of two objects. */
static inline int rt_run_pair(rt_obj *a, rt_obj *b)
{
    (void)b;
    return a->handler == NULL ? -1 : a->handler(NULL, 1);
}

struct rt_thread_call {
    rt_obj *o;
    int value;
    int result;
};

static inline void *rt_thread_main(void *p)
{
    struct rt_thread_call *c = p;
    c->result = c->o->handler(NULL, c->value);
    return NULL;
}

/* Calls the handler with `value` from a thread of its own, joined before it
 * returns; returns its result, -1 without a handler, -2 without a thread. */
static inline int rt_run_on_thread(rt_obj *o, int value)
{
    struct rt_thread_call c = {o, value, 0};
    pthread_t thread;
    if (o->handler == NULL)
        return -1;
    if (pthread_create(&thread, NULL, rt_thread_main, &c) != 0)
        return -2;
    pthread_join(thread, NULL);
    return c.result;
}

/* Calls the handler of the object last run, taking none: after that call
 * returned. Returns its result, -1 without one. */
static inline int rt_fire_last(int value)
{
    if (rt_last_run == NULL || rt_last_run->handler == NULL)
        return -1;
    return rt_last_run->handler(rt_user(1), value);
}

/* An object whose handlers get the user data set on it (as expat's
 * XML_SetUserData sets a parser's): described with a context function.
 * It keeps two handlers; a child copies its parent's handlers and user
 * data, as expat's external entity parser does. */
typedef struct rt_cobj {
    rt_handler handler;
    rt_handler other;
    void *user;
    int id;
} rt_cobj;

/* NULL when out of memory. */
static inline rt_cobj *rt_cnew(int id)
{
    rt_cobj *o = calloc(1, sizeof *o);
    if (o != NULL)
        o->id = id;
    return o;
}

/* A new object with its parent's handlers and user data. NULL when out of
 * memory. */
static inline rt_cobj *rt_cchild(const rt_cobj *parent, int id)
{
    rt_cobj *o = rt_cnew(id);
    if (o != NULL) {
        o->handler = parent->handler;
        o->other = parent->other;
        o->user = parent->user;
    }
    return o;
}

/* rt_cchild, or NULL (and no child) for a negative id. */
static inline rt_cobj *rt_cchild_maybe(const rt_cobj *parent, int id)
{
    return id < 0 ? NULL : rt_cchild(parent, id);
}

/* Writes rt_cchild_maybe's child through out; returns 0, or -1 when it
 * wrote NULL. */
static inline int rt_cchild_open(const rt_cobj *parent, int id, rt_cobj **out)
{
    *out = rt_cchild_maybe(parent, id);
    return *out == NULL ? -1 : 0;
}

static inline void rt_cfree(rt_cobj *o) { free(o); }

static inline int rt_cid(const rt_cobj *o) { return o->id; }

/* The user data every handler of the object gets. */
static inline void rt_cset_user(rt_cobj *o, void *user) { o->user = user; }

/* Keeps h as the handler, or as the other handler (NULL: none). */
static inline void rt_cset_handler(rt_cobj *o, rt_handler h) { o->handler = h; }
static inline void rt_cset_other(rt_cobj *o, rt_handler h) { o->other = h; }

/* Calls the handler with 0 .. n-1 and the object's user data; returns the
 * sum of its results, -1 without a handler. */
static inline int rt_crun(rt_cobj *o, int n)
{
    int sum = 0;
    if (o->handler == NULL)
        return -1;
    for (int i = 0; i < n; i++)
        sum += o->handler(o->user, i);
    return sum;
}

#endif
