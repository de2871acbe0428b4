// Drafted by ffi-stubgen from `traps.h`:
//     ffi-stubgen import --header tests/golden/traps.h --library trap-lib -o tests/golden/traps.rs
// 86 functions drafted, 27 whole. 72 pointers are marked `Unresolved<"C type">`: state each one's
// meaning (In<..>, Out<..>, InOut<..>, CStr, a handle, a callback), checking the
// `guess = ".."` beside it where there is one; the description does not build until
// none is left.
// 9 items could not be imported: see the end of this file.

use ffi_desc::foreign;
#[foreign(library = "trap-lib", header = "traps.h", prefix = "trap_")]
pub mod trap_lib {
    #[callback(c_name = "trap_text_cb")]
    pub type TextCb = fn(
        user: UserData,
        #[c_type = "const char *"]
        s: In<[u8], len = len>,
        len: c_int,
    );
    #[callback(c_name = "trap_visit_cb")]
    pub type VisitCb = fn(item: UserData, index: c_int);
    #[callback(c_name = "trap_destructor")]
    pub type Destructor = fn(arg1: UserData);
    /// `void (*)(void *)`, the type of `trap_tdestroy`'s `free_node`.
    pub type TdestroyFreeNode = fn(nodep: UserData);
    /// `int (*)(void *, int)`, the type of `trap_on_busy`'s `busy`.
    pub type OnBusyBusy = fn(user: UserData, tries: c_int) -> c_int;
    /// `void (*)(void *, int)`, the type of `trap_stmt_on_row`'s `row`.
    pub type StmtOnRowRow = fn(arg1: UserData, arg2: c_int);
    /// Keeps callbacks C calls with user data no signature says who sets: they find the handle through the call running when C calls them.
    #[opaque(c_type = "trap_conn", free = conn_free, kept_by_call)]
    pub struct Conn;
    #[opaque(c_type = "trap_dict", free = dict_free)]
    pub struct Dict;
    /// State the caller allocates (size and alignment from the header); `trap_doc_initialize` initialises it.
    #[opaque(c_type = "trap_doc_t", size = 16, align = 8, free = doc_delete)]
    pub struct Doc;
    /// State the caller allocates (size and alignment from the header); `trap_emitter_initialize` initialises it.
    #[opaque(c_type = "trap_emitter_t", size = 16, align = 8, free = emitter_delete)]
    pub struct Emitter;
    /// Keeps callbacks C calls with user data no signature says who sets: they find the handle through the call running when C calls them.
    #[opaque(c_type = "trap_feed", free = feed_free, kept_by_call)]
    pub struct Feed;
    #[opaque(c_type = "trap_lock", free = lock_free)]
    pub struct Lock;
    #[opaque(c_type = "trap_parser", free = parser_free)]
    pub struct Parser;
    /// State the caller allocates (size and alignment from the header); `trap_state_initialize` initialises it.
    #[opaque(c_type = "trap_state_t", size = 16, align = 8, free = state_delete)]
    pub struct State;
    #[opaque(c_type = "trap_stmt", free = stmt_free)]
    pub struct Stmt;
    /// Freed by any of trap_twice_free, trap_twice_destroy: `Drop` calls `trap_twice_free`; choose another if it fits better.
    #[opaque(c_type = "trap_twice", free = twice_free)]
    pub struct Twice;
    /// The functions of `traps.h`.
    pub trait TrapLib {
        fn conn_create(name: CStr) -> Owned<Conn>;
        fn conn_free(c: Owned<Conn>);
        fn conn_close_r(
            c: Unresolved<
                "trap_conn *",
                guess = "Owned<Conn> if this frees it; &Conn if not",
            >,
        ) -> c_int;
        fn conn_free_after(
            c: Unresolved<
                "trap_conn *",
                guess = "Owned<Conn> if this frees it; &Conn if not",
            >,
            seconds: c_int,
        ) -> c_int;
        fn conn_parent(
            child: &Conn,
        ) -> Unresolved<"trap_conn *", guess = "Owned<Conn> if the caller frees it">;
        fn conn_create_child(
            parent: &Conn,
        ) -> Unresolved<"trap_conn *", guess = "Owned<Conn> if the caller frees it">;
        fn conn_open(name: CStr, out: Out<Owned<Conn>>) -> c_int;
        fn conn_lookup(
            name: CStr,
            out: Unresolved<
                "trap_conn **",
                guess = "Out<Owned<Conn>> if C writes a new one there",
            >,
        ) -> c_int;
        fn conn_get_or_create(
            name: CStr,
        ) -> Unresolved<"trap_conn *", guess = "Owned<Conn> if the caller frees it">;
        fn default_conn_open() -> Unresolved<
            "trap_conn *",
            guess = "Owned<Conn> if the caller frees it",
        >;
        fn conn_find_or_open(
            name: CStr,
            out: Unresolved<
                "trap_conn **",
                guess = "Out<Owned<Conn>> if C writes a new one there",
            >,
        ) -> c_int;
        fn dict_create(
            #[c_type = "const void *"]
            words: In<[u8], len = wordsSize>,
            wordsSize: size_t,
        ) -> Owned<Dict>;
        fn dict_free(d: Owned<Dict>);
        fn conn_ref_dict(
            c: &Conn,
            d: Unresolved<
                "const trap_dict *",
                guess = "&Dict if C keeps no pointer to it past the call",
            >,
        ) -> c_int;
        fn lock_alloc(
            kind: c_int,
        ) -> Unresolved<"trap_lock *", guess = "Owned<Lock> if the caller frees it">;
        fn lock_free(l: Owned<Lock>);
        fn parse(
            c: &Conn,
            #[c_type = "const char *"]
            s: In<[u8], len = len>,
            len: c_int,
            isFinal: c_int,
        ) -> c_int;
        fn define(c: &Conn, zName: CStr, nArg: c_int) -> c_int;
        fn compress(
            #[c_type = "const char *"]
            src: In<[u8], len = srcSize>,
            #[c_type = "char *"]
            dst: Out<[u8], cap = dstCapacity>,
            srcSize: c_int,
            dstCapacity: c_int,
        ) -> c_int;
        fn decompress_fast(
            src: Unresolved<
                "const char *",
                guess = "CStr if it is NUL-terminated; else bytes whose count no parameter is named for",
            >,
            dst: Unresolved<"char *">,
            originalSize: c_int,
        ) -> c_int;
        fn filename_journal(
            f: Unresolved<
                "trap_filename",
                guess = "CStr if any NUL-terminated string is a `trap_filename`",
            >,
        ) -> Borrowed<CStr>;
        fn bind_text(
            arg1: &Conn,
            arg2: c_int,
            arg3: Unresolved<
                "const char *",
                guess = "CStr if it is NUL-terminated; else bytes whose count no parameter is named for",
            >,
            arg4: c_int,
        ) -> c_int;
        fn hash(
            data: Unresolved<
                "const char *",
                guess = "CStr if it is NUL-terminated; else bytes whose count no parameter is named for",
            >,
            seed: c_int,
            len: size_t,
        ) -> c_int;
        fn read(
            c: &Conn,
            #[c_type = "char *"]
            buf: Out<[u8], cap = size>,
            size: size_t,
            nread: Unresolved<
                "size_t *",
                guess = "Out<size_t> if C writes one; InOut<size_t> if it reads it too",
            >,
        ) -> size_t;
        fn fill(c: &Conn, records: Unresolved<"void *">, count: size_t) -> c_int;
        fn fwrite(
            buf: Unresolved<
                "const void *",
                guess = "In<[u8], len = ..>: size × nitems of them, a product no one parameter holds",
            >,
            size: size_t,
            nitems: size_t,
            c: &Conn,
        ) -> size_t;
        fn conn_set_input(
            c: &Conn,
            input: Unresolved<
                "const unsigned char *",
                guess = "In<[c_uchar], len = size> if C is done with it when the call returns (it may keep the pointer)",
            >,
            size: size_t,
        );
        fn pack(
            dest: Out<[c_uchar], cap = destLen>,
            destLen: InOut<c_ulong>,
            source: In<[c_uchar], len = sourceLen>,
            sourceLen: c_ulong,
        ) -> c_int;
        fn conn_compress_continue(
            c: &Conn,
            src: Unresolved<
                "const char *",
                guess = "In<[u8], len = srcSize> if C is done with it when the call returns (it may keep the pointer)",
            >,
            dst: Unresolved<
                "char *",
                guess = "Out<[u8], cap = dstCapacity> if C is done with it when the call returns (it may keep the pointer)",
            >,
            srcSize: c_int,
            dstCapacity: c_int,
        ) -> c_int;
        /// Variadic in C: this draft describes the call with no extra argument.
        /// Describe each other use as its own function with #[variadic(fixed = N)].
        #[variadic(fixed = 2)]
        fn printf(
            c: &Conn,
            format: Unresolved<
                "const char *",
                guess = "CStr if it is no format; a format is described with its arguments, one #[variadic(fixed = N)] function per use",
            >,
        ) -> c_int;
        /// Variadic in C: this draft describes the call with no extra argument.
        /// Describe each other use as its own function with #[variadic(fixed = N)].
        #[variadic(fixed = 1)]
        fn config(
            op: Unresolved<
                "int",
                guess = "c_int if C reads no argument after it, whatever its value (this call passes none); each use that passes more is its own #[variadic(fixed = N)] function",
            >,
        ) -> c_int;
        /// Variadic in C: this draft describes the call with no extra argument.
        /// Describe each other use as its own function with #[variadic(fixed = N)].
        #[variadic(fixed = 2)]
        fn conn_config(
            c: &Conn,
            op: Unresolved<
                "int",
                guess = "c_int if C reads no argument after it, whatever its value (this call passes none); each use that passes more is its own #[variadic(fixed = N)] function",
            >,
        ) -> c_int;
        fn state_initialize(
            state: Unresolved<
                "trap_state_t *",
                guess = "Init<State, V> where V is what it returns once it initialised it (any other result releases the storage)",
            >,
        ) -> c_int;
        fn state_delete(state: Owned<State>);
        fn state_depth(#[c_type = "const trap_state_t *"] state: &State) -> c_int;
        fn state_set_input(
            state: &State,
            input: In<[c_uchar], len = size, kept = state>,
            size: size_t,
        );
        fn writer_initialize(w: Unresolved<"trap_writer_t *">) -> c_int;
        fn writer_delete(w: Unresolved<"trap_writer_t *">);
        fn writer_close(w: Unresolved<"trap_writer_t *">) -> c_int;
        fn emitter_initialize(
            e: Unresolved<
                "trap_emitter_t *",
                guess = "Init<Emitter, V> where V is what it returns once it initialised it (any other result releases the storage)",
            >,
        ) -> c_int;
        fn emitter_delete(e: Owned<Emitter>);
        fn emitter_open(e: &Emitter) -> c_int;
        fn emitter_close(
            e: Unresolved<
                "trap_emitter_t *",
                guess = "Owned<Emitter> if this frees it; &Emitter if not",
            >,
        ) -> c_int;
        fn emitter_set_width(e: &Emitter, width: c_int);
        fn sink_initialize(s: Unresolved<"trap_sink_t *">) -> c_int;
        fn sink_delete(s: Unresolved<"trap_sink_t *">);
        fn sink_open(s: Unresolved<"trap_sink_t *">, path: CStr) -> c_int;
        fn sink_close(s: Unresolved<"trap_sink_t *">) -> c_int;
        fn doc_initialize(
            d: Unresolved<
                "trap_doc_t *",
                guess = "Init<Doc, V> where V is what it returns once it initialised it (any other result releases the storage)",
            >,
            version: CStr,
            implicit: c_int,
        ) -> c_int;
        fn doc_delete(d: Owned<Doc>);
        fn doc_append_item(d: &Doc, node: c_int, item: c_int) -> c_int;
        fn emitter_dump(
            e: &Emitter,
            d: Unresolved<
                "trap_doc_t *",
                guess = "&Doc if C neither frees it nor initialises it anew; Init<Doc, V> if it initialises it",
            >,
        ) -> c_int;
        fn on_text(
            c: &Conn,
            cb: Unresolved<
                "trap_text_cb",
                guess = "Callback<TextCb, stored> with `user` its UserData, if C passes the callback `user` and no pointer of its own",
            >,
            user: Unresolved<
                "void *",
                guess = "UserData if C passes it to `cb` unchanged",
            >,
        );
        fn set_text_handler(
            c: &Conn,
            cb: Callback<TextCb, stored = set_text_handler_cb, on = c>,
        );
        fn feed_free(f: Owned<Feed>);
        fn feed_set_handler(
            f: &Feed,
            cb: Callback<TextCb, stored = feed_set_handler_cb, on = f>,
        );
        fn feed_set_user(f: &Feed, user: Unresolved<"void *">);
        fn feed_set_entity_arg(f: &Feed, arg: Unresolved<"void *">);
        fn feed_mem_free(
            f: Unresolved<
                "trap_feed *",
                guess = "Owned<Feed> if this frees it; &Feed if not",
            >,
            p: Unresolved<"void *">,
        );
        fn conn_set_pair_handler(
            a: &Conn,
            b: Unresolved<
                "trap_conn *",
                guess = "&Conn if C keeps no pointer to it past the call",
            >,
            cb: Unresolved<
                "trap_text_cb",
                guess = "Option<Callback<TextCb, stored = slot, on = a>> if C keeps it on `a` and passes it the user data the handle's context function sets (no function takes only a `Conn` and a `void *`, so none can be its context function), and no function kept in the description makes C pass it anything else; Callback<TextCb, user = p> with its user data `p`",
            >,
        );
        fn twice_new() -> Owned<Twice>;
        fn twice_free(t: Owned<Twice>);
        fn twice_destroy(t: Owned<Twice>);
        fn twice_set_handler(
            t: &Twice,
            cb: Unresolved<
                "trap_text_cb",
                guess = "Option<Callback<TextCb, stored = slot, on = t>> if C keeps it on `t` and passes it the user data the handle's context function sets (no function takes only a `Twice` and a `void *`, so none can be its context function), and no function kept in the description makes C pass it anything else; Callback<TextCb, user = p> with its user data `p`",
            >,
        );
        fn tdestroy(
            root: Unresolved<
                "void *",
                guess = "UserData if C passes it to `free_node` unchanged",
            >,
            free_node: Unresolved<
                "void (*)(void *)",
                guess = "Callback<TdestroyFreeNode, stored> with `root` its UserData, if C passes the callback `root` and no pointer of its own",
            >,
        );
        fn conn_each(
            c: &Conn,
            visit: Unresolved<
                "trap_visit_cb",
                guess = "Callback<VisitCb, stored> with `ctx` its UserData, if C passes the callback `ctx` and no pointer of its own",
            >,
            ctx: Unresolved<
                "void *",
                guess = "UserData if C passes it to `visit` unchanged",
            >,
        ) -> c_int;
        fn on_busy(
            c: &Conn,
            busy: Unresolved<
                "int (*)(void *, int)",
                guess = "Callback<OnBusyBusy, stored> with `user` its UserData, if C passes the callback `user` and no pointer of its own",
            >,
            user: Unresolved<
                "void *",
                guess = "UserData if C passes it to `busy` unchanged",
            >,
        ) -> c_int;
        fn conn_write(
            c: &Conn,
            len: c_int,
            buf: Unresolved<
                "const char *",
                guess = "CStr if it is NUL-terminated; else bytes whose count no parameter is named for",
            >,
        ) -> c_int;
        fn name_add(
            name: Unresolved<
                "const char *",
                guess = "CStr if C is done with it when the call returns (it may keep the pointer)",
            >,
            type_: c_int,
            data: Unresolved<
                "const char *",
                guess = "CStr if C is done with it when the call returns (it may keep the pointer)",
            >,
        ) -> c_int;
        fn conn_set0_data(
            c: &Conn,
            data: Unresolved<
                "void *",
                guess = "Out<[u8], cap = len> if C is done with it when the call returns (it may keep the pointer)",
            >,
            len: c_int,
        );
        fn stmt_new(
            c: &Conn,
            sql: CStr,
        ) -> Unresolved<
            "trap_stmt *",
            guess = "Owned<Stmt> if the caller frees it and it keeps no pointer to the Conn it is given; Owned<Stmt, parent = c> if it keeps one",
        >;
        fn conn_prepare(
            c: &Conn,
            sql: CStr,
            out: Unresolved<
                "trap_stmt **",
                guess = "Out<Owned<Stmt>> if C writes a new one there that keeps no pointer to the Conn it is given; Out<Owned<Stmt, parent = c>> if it keeps one",
            >,
        ) -> c_int;
        fn stmt_free(s: Owned<Stmt>);
        fn stmt_bind(
            s: &Stmt,
            data: Unresolved<"const void *">,
            n: c_int,
            destroy: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `data` once done with it: Sentinel<V> with #[c_value = \"C\"] for a value C of its type that makes C copy the data before the call returns (the header defines TRAP_STATIC as ((trap_destructor)0), TRAP_COPY as ((trap_destructor)-1)); NULL, or a value saying the data is static, lets C keep a pointer into a buffer Rust frees after the call",
            >,
        ) -> c_int;
        fn stmt_on_row(
            s: &Stmt,
            row: Unresolved<
                "void (*)(void *, int)",
                guess = "Callback<StmtOnRowRow, stored> with `user` its UserData, if C passes the callback `user` and no pointer of its own",
            >,
            user: Unresolved<
                "void *",
                guess = "UserData if C passes it to `row` unchanged",
            >,
            destroy: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `user` once done with it: Sentinel<0> (NULL: no call) with #[c_type = \"void (*)(void *)\"] when nothing passed as `user` is C's to free (the linkage keeps a stored closure's user data itself)",
            >,
        ) -> c_int;
        fn parser_create() -> Owned<Parser>;
        fn parser_free(p: Owned<Parser>);
        fn parser_get_buffer(
            p: &Parser,
            len: Unresolved<
                "int",
                guess = "c_int if it counts no memory a Parser lent (a buffer a function of it returned), which C would read as far as it says",
            >,
        ) -> Unresolved<"void *">;
        fn parser_parse_buffer(
            p: &Parser,
            len: Unresolved<
                "int",
                guess = "c_int if it counts no memory a Parser lent (a buffer a function of it returned), which C would read as far as it says",
            >,
            isFinal: c_int,
        ) -> c_int;
        fn conn_window(
            c: &Conn,
            offset: size_t,
            size: size_t,
        ) -> Unresolved<
            "const char *",
            guess = "Borrowed<CStr> if it is NUL-terminated; else `size` may count its bytes, past which a CStr would read",
        >;
        fn conn_dealloc(
            c: Unresolved<
                "trap_conn *",
                guess = "Owned<Conn> if this frees it; &Conn if not",
            >,
        );
        fn conn_deinit(
            c: Unresolved<
                "trap_conn *",
                guess = "Owned<Conn> if this frees it; &Conn if not",
            >,
        );
        fn conn_clean_up(
            c: Unresolved<
                "trap_conn *",
                guess = "Owned<Conn> if this frees it; &Conn if not",
            >,
        );
        fn conn_decref(
            c: Unresolved<
                "trap_conn *",
                guess = "Owned<Conn> if this frees it; &Conn if not",
            >,
        );
        fn conn_shutdown(
            c: Unresolved<
                "trap_conn *",
                guess = "Owned<Conn> if this frees it; &Conn if not",
            >,
        );
        fn conn_discard(
            c: Unresolved<
                "trap_conn *",
                guess = "Owned<Conn> if this frees it; &Conn if not",
            >,
        );
    }
}

// Not imported (9):
// - struct `trap_state_t`: field `buffer` is a pointer (`char *`): a described struct holds values only
// - struct `trap_writer_t`: field `pending` is a pointer (`char *`): a described struct holds values only
// - struct `trap_emitter_t`: field `pending` is a pointer (`char *`): a described struct holds values only
// - struct `trap_sink_t`: field `path` is a pointer (`char *`): a described struct holds values only
// - struct `trap_doc_t`: field `tags` is a pointer (`char *`): a described struct holds values only
// - callback type `trap_odd_cb`: parameter `s` is `const char *` and an integer of the callback may count it: CStr if it is NUL-terminated, In<[u8], len = n> if `n` counts its bytes
// - callback type `trap_write_cb`: its `void *` `buf` has the count `len` beside it: it is data, and a described callback's one `void *` is its user data
// - function `trap_shutdown`: its name says it may end the library's state, after which a living handle would dangle: a safe function cannot forbid calling it first, so describe it by hand if a program must
// - function-like macro `TRAP_CALL(conn, what)`: a macro has no C type: describe it by hand with #[wrap] and the signature it is used with
