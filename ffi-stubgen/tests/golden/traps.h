/* ffi-stubgen-flags: --library trap-lib */
/* A header of traps: each function is one where the naive guess (a string,
 * a length, who owns a handle) would draft a safe method that is unsound,
 * next to the shape the importer may infer. What is left Unresolved must
 * stay so, with its guess beside it; the link name has a hyphen, and a
 * macro's parameter list is continued with a backslash. */
#ifndef GOLDEN_TRAPS_H
#define GOLDEN_TRAPS_H

#include <stddef.h>

#define TRAP_CALL(conn, \
                  what) trap_conn_call((conn), (what))

typedef struct trap_conn trap_conn;
typedef struct trap_dict trap_dict;
typedef struct trap_lock trap_lock;

/* Handles: made, borrowed and freed. */
trap_conn *trap_conn_create(const char *name);
void trap_conn_free(trap_conn *c);
/* Frees it too (zlib's gzclose_r): borrowing it would free it twice, so
 * it is left to a person, as is any other function whose name says it frees. */
int trap_conn_close_r(trap_conn *c);
/* Its name says it frees, and it takes more: left to a person. */
int trap_conn_free_after(trap_conn *c, int seconds);
/* Returns the connection a child was made from: not the caller's to free. */
trap_conn *trap_conn_parent(trap_conn *child);
/* New, but made from another it may depend on: left to a person. */
trap_conn *trap_conn_create_child(trap_conn *parent);
/* A new one written through `T **`, and one only looked up. */
int trap_conn_open(const char *name, trap_conn **out);
int trap_conn_lookup(const char *name, trap_conn **out);
/* Named as constructors, but each may return one made before (a cache, a
 * default), which the caller must not free: left with the guess. */
trap_conn *trap_conn_get_or_create(const char *name);
trap_conn *trap_default_conn_open(void);
int trap_conn_find_or_open(const char *name, trap_conn **out);
trap_dict *trap_dict_create(const void *words, size_t wordsSize);
void trap_dict_free(trap_dict *d);
/* Keeps `d` in `c` past the call: a borrow would let `d` be freed first. */
int trap_conn_ref_dict(trap_conn *c, const trap_dict *d);
/* Static for some kinds (sqlite3_mutex_alloc): freeing one is undefined. */
trap_lock *trap_lock_alloc(int kind);
void trap_lock_free(trap_lock *l);

/* Strings and lengths. */
int trap_parse(trap_conn *c, const char *s, int len, int isFinal);
int trap_define(trap_conn *c, const char *zName, int nArg);
int trap_compress(const char *src, char *dst, int srcSize, int dstCapacity);
/* Its source's extent is not in the signature (LZ4_decompress_fast). */
int trap_decompress_fast(const char *src, char *dst, int originalSize);
/* A string that is the library's own kind (sqlite3_filename): the typedef
 * names the pointer, and any other string there is undefined. */
typedef const char *trap_filename;
const char *trap_filename_journal(trap_filename f);
/* Unnamed parameters (sqlite3_bind_text): the int may be the string's
 * length, so the string is no CStr. */
int trap_bind_text(trap_conn *, int, const char *, int);
/* The length is not beside the string: it may count it. */
int trap_hash(const char *data, int seed, size_t len);
size_t trap_read(trap_conn *c, char *buf, size_t size, size_t *nread);
/* `count` may count elements of a size the signature does not say. */
int trap_fill(trap_conn *c, void *records, size_t count);
/* fread's shape: size * nitems bytes. */
size_t trap_fwrite(const void *buf, size_t size, size_t nitems, trap_conn *c);
/* Kept by the connection to read later (yaml_parser_set_input_string). */
void trap_conn_set_input(trap_conn *c, const unsigned char *input, size_t size);
/* zlib's shape: the capacity in, the count out, through one pointer. */
int trap_pack(unsigned char *dest, unsigned long *destLen, const unsigned char *source, unsigned long sourceLen);

/* Keeps the previous block to compress the next against
 * (LZ4_compress_fast_continue): C reads `src` after the call returns. */
int trap_conn_compress_continue(trap_conn *c, const char *src, char *dst, int srcSize, int dstCapacity);
/* A format: drafted with no argument, a `%s` in it reads one never passed. */
int trap_printf(trap_conn *c, const char *format, ...);
/* No format, yet `op` selects what C reads after it (sqlite3_config's
 * SQLITE_CONFIG_LOG reads a function pointer): drafted with no extra
 * argument, C would read one never passed, and call it. */
int trap_config(int op, ...);
int trap_conn_config(trap_conn *c, int op, ...);

/* State the caller allocates (yaml_parser_t): a complete struct with a
 * pointer inside, its own initialiser and one free function. Which result
 * of the initialiser means "initialised" is a person's to say. */
typedef struct trap_state_s { int depth; char *buffer; } trap_state_t;
int trap_state_initialize(trap_state_t *state);
void trap_state_delete(trap_state_t *state);
int trap_state_depth(const trap_state_t *state);
/* Kept by the state (yaml_parser_set_input_string): the linkage keeps a
 * copy as long as the state lives, which is right whether C keeps it. */
void trap_state_set_input(trap_state_t *state, const unsigned char *input, size_t size);
/* Two functions may free it, neither the counterpart of an `open`: no
 * handle, since its storage is released after the one free function. */
typedef struct trap_writer_s { int fd; char *pending; } trap_writer_t;
int trap_writer_initialize(trap_writer_t *w);
void trap_writer_delete(trap_writer_t *w);
int trap_writer_close(trap_writer_t *w);
/* The same, with `open` beside `close` (yaml_emitter_t): `close` ends what
 * `open` began, so `delete` is the one free function and the state is
 * drafted, `&H` in `open` and `set_width`. `close` may still free what it
 * ends: borrowing it, `Drop` could free it again, so it is left to a
 * person, as is the initialiser's result. */
typedef struct trap_emitter_s { int fd; char *pending; } trap_emitter_t;
int trap_emitter_initialize(trap_emitter_t *e);
void trap_emitter_delete(trap_emitter_t *e);
int trap_emitter_open(trap_emitter_t *e);
int trap_emitter_close(trap_emitter_t *e);
void trap_emitter_set_width(trap_emitter_t *e, int width);
/* An `open` that takes more than the state is no counterpart of that shape
 * (what it opens, `close` may free with the state): two free functions. */
typedef struct trap_sink_s { int fd; char *path; } trap_sink_t;
int trap_sink_initialize(trap_sink_t *s);
void trap_sink_delete(trap_sink_t *s);
int trap_sink_open(trap_sink_t *s, const char *path);
int trap_sink_close(trap_sink_t *s);

/* State whose initialiser takes more than the state (yaml_document_t):
 * the state is drafted, borrowed by the functions it comes first in and
 * consumed by its free function. Taken after another handle it stays a
 * person's: the emitter may destroy what it emits (`yaml_emitter_dump`),
 * after which `Drop` would free it again, and a loader initialises it. */
typedef struct trap_doc_s { int nodes; char *tags; } trap_doc_t;
int trap_doc_initialize(trap_doc_t *d, const char *version, int implicit);
void trap_doc_delete(trap_doc_t *d);
int trap_doc_append_item(trap_doc_t *d, int node, int item);
int trap_emitter_dump(trap_emitter_t *e, trap_doc_t *d);

/* Callbacks. */
typedef void (*trap_text_cb)(void *user, const char *s, int len);
/* `n` is not beside `s`, so `s` may be `n` bytes or a string: not drafted. */
typedef void (*trap_odd_cb)(const char *s, void *user, int n);
void trap_on_text(trap_conn *c, trap_text_cb cb, void *user);
/* No user data of its own: which one C hands it no signature says, so the
 * handle keeps it by call (`kept_by_call`), which ignores that user data. */
void trap_set_text_handler(trap_conn *c, trap_text_cb cb);
/* Which function sets the user data C hands such a handler no signature
 * says: shape only narrows it to those taking just the handle and a
 * `void *`, here two (the draft picks neither, and keeps the handler by
 * call). One whose name frees is none: given the callback table, C would
 * free it. */
typedef struct trap_feed trap_feed;
void trap_feed_free(trap_feed *f);
void trap_feed_set_handler(trap_feed *f, trap_text_cb cb);
void trap_feed_set_user(trap_feed *f, void *user);
void trap_feed_set_entity_arg(trap_feed *f, void *arg);
void trap_feed_mem_free(trap_feed *f, void *p);

/* A handler kept while two handles are passed: which one keeps it no
 * signature says, so it stays a person's. */
void trap_conn_set_pair_handler(trap_conn *a, trap_conn *b, trap_text_cb cb);
/* A handler kept on a handle two functions may free: kept by call, a
 * callback may run until the handle is freed, which only its one free
 * function may do, and which one `Drop` calls is a person's choice. */
typedef struct trap_twice trap_twice;
trap_twice *trap_twice_new(void);
void trap_twice_free(trap_twice *t);
void trap_twice_destroy(trap_twice *t);
void trap_twice_set_handler(trap_twice *t, trap_text_cb cb);

/* A `void *` beside a callback need not be what C passes it: tdestroy
 * calls `free_node` with each node, not with `root`; a visitor gets its
 * items. Given the closure's pointer as "user data", C walks it as a tree. */
void trap_tdestroy(void *root, void (*free_node)(void *nodep));
typedef void (*trap_visit_cb)(void *item, int index);
int trap_conn_each(trap_conn *c, trap_visit_cb visit, void *ctx);
/* Even the common shape (sqlite3_busy_handler) is the library's word. */
int trap_on_busy(trap_conn *c, int (*busy)(void *user, int tries), void *user);
/* A callback's `void *` with a count beside it is bytes, not user data. */
typedef void (*trap_write_cb)(void *buf, size_t len);

/* The count is right after the handle, not the string
 * (xmlOutputBufferWrite): a handle claims no count, so `len` may count
 * `buf`, which as a NUL-terminated string C would read past. */
int trap_conn_write(trap_conn *c, int len, const char *buf);

/* A registry that keeps both strings, not copies (OBJ_NAME_add): a
 * collection's `add`, `push`, `insert`, `append` may hold the pointer. */
int trap_name_add(const char *name, int type, const char *data);
/* Takes the buffer over and frees it with the connection (OpenSSL's
 * ASN1_STRING_set0): `set0` is `set`, its digit a variant. */
void trap_conn_set0_data(trap_conn *c, void *data, int len);

/* A child made from another handle may keep it (a statement its
 * connection, xmlXPathNewContext its document): `Owned` does not tie the
 * two, so safe code could free the connection and step the statement. */
typedef struct trap_stmt trap_stmt;
trap_stmt *trap_stmt_new(trap_conn *c, const char *sql);
int trap_conn_prepare(trap_conn *c, const char *sql, trap_stmt **out);
void trap_stmt_free(trap_stmt *s);

/* A destructor after the data it destroys (sqlite3_bind_blob's): no
 * callback kept on the statement nor one with user data. The header defines
 * two values of its type, but which one makes C copy the data (and which
 * lets it keep a pointer into the caller's buffer) only the library's word
 * says: the guess names both, the draft passes neither. */
typedef void (*trap_destructor)(void *);
#define TRAP_STATIC ((trap_destructor)0)
#define TRAP_COPY ((trap_destructor)-1)
int trap_stmt_bind(trap_stmt *s, const void *data, int n, void (*destroy)(void *));
/* Its user data's destructor beside a callback: NULL frees nothing. */
int trap_stmt_on_row(trap_stmt *s, void (*row)(void *, int), void *user,
                     void (*destroy)(void *));

/* Memory the connection lends (XML_GetBuffer) and a count of it
 * (XML_ParseBuffer parses `len` bytes of that buffer, trusting `len`):
 * as a plain int, safe code could make C read past the buffer. */
typedef struct trap_parser trap_parser;
trap_parser *trap_parser_create(void);
void trap_parser_free(trap_parser *p);
void *trap_parser_get_buffer(trap_parser *p, int len);
int trap_parser_parse_buffer(trap_parser *p, int len, int isFinal);

/* Ends the library (sqlite3_shutdown: every connection must be closed
 * first): safe code could call it and then use a connection. Not drafted. */
int trap_shutdown(void);

/* `size` bytes of the connection's data, with no NUL after them: copied
 * as a NUL-terminated string, the result would be read past its end. */
const char *trap_conn_window(trap_conn *c, size_t offset, size_t size);

/* Names that may end the handle but do not name its `Drop`: borrowing it
 * would let it be used, and freed, after the call. */
void trap_conn_dealloc(trap_conn *c);
void trap_conn_deinit(trap_conn *c);
void trap_conn_clean_up(trap_conn *c);
void trap_conn_decref(trap_conn *c);
void trap_conn_shutdown(trap_conn *c);
void trap_conn_discard(trap_conn *c);

#endif
