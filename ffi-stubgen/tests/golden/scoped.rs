// Drafted by ffi-stubgen from `scoped.h`:
//     ffi-stubgen import --header tests/golden/scoped.h --library scoped-lib -o tests/golden/scoped.rs
// 21 functions drafted, 8 whole. 18 pointers are marked `Unresolved<"C type">`: state each one's
// meaning (In<..>, Out<..>, InOut<..>, CStr, a handle, a callback), checking the
// `guess = ".."` beside it where there is one; the description does not build until
// none is left.
// 8 items could not be imported: see the end of this file.

use ffi_desc::foreign;
#[foreign(library = "scoped-lib", header = "scoped.h", prefix = "sc_")]
pub mod scoped_lib {
    #[callback(c_name = "sc_hint_cb")]
    pub type HintCb = fn(user: UserData, hint: &Hint);
    /// Only ever lent to callbacks, for their duration: a callback type takes it, and no function returns it, writes it out or frees it.
    #[opaque(c_type = "sc_ctx", scoped)]
    pub struct Ctx;
    #[opaque(c_type = "sc_db", free = close)]
    pub struct Db;
    /// Only ever lent to callbacks, for their duration: a callback type takes it, and no function returns it, writes it out or frees it.
    #[opaque(c_pointer = "sc_hint", scoped)]
    pub struct Hint;
    #[opaque(c_type = "sc_val", free = val_free)]
    pub struct Val;
    /// The functions of `scoped.h`.
    pub trait ScopedLib {
        fn open(name: CStr) -> Owned<Db>;
        fn close(db: Owned<Db>);
        fn define(
            db: &Db,
            name: CStr,
            fn_: Unresolved<
                "sc_fn",
                guess = "Callback<F, stored> with `type F = fn(#[user_data = f] ctx: &Ctx, argc: c_int, argv: In<[&Val], len = argc>);` if the described `fn f(h: &Ctx) -> UserData` gives back the `void *` this function is given, and `argc` counts `argv` (a guess by its place)",
            >,
            app: Unresolved<"void *">,
        ) -> c_int;
        fn result_int(ctx: &Ctx, value: c_int);
        fn result_null(ctx: &Ctx);
        fn user_data(ctx: &Ctx) -> Unresolved<"void *">;
        fn val_int(v: &Val) -> c_int;
        fn val_dup(#[c_type = "const sc_val *"] v: &Val) -> Owned<Val>;
        fn val_free(v: Owned<Val>);
        fn hints(
            db: &Db,
            cb: Unresolved<
                "sc_hint_cb",
                guess = "Callback<HintCb, stored> with `user` its UserData, if C passes the callback `user` and no pointer of its own",
            >,
            user: Unresolved<
                "void *",
                guess = "UserData if C passes it to `cb` unchanged",
            >,
        );
        fn hint_level(hint: &Hint, level: c_int);
        fn each_row(
            db: &Db,
            cb: Unresolved<"sc_each_cb">,
            user: Unresolved<"void *">,
        ) -> c_int;
        fn row_first(db: &Db) -> Unresolved<"sc_row *">;
        fn row_id(row: Unresolved<"sc_row *">) -> c_int;
        fn watch(db: &Db, cb: Unresolved<"sc_cur_cb">, user: Unresolved<"void *">);
        fn cursor_open(db: &Db, out: Unresolved<"sc_cur **">) -> c_int;
        fn cur_next(cur: Unresolved<"sc_cur *">) -> c_int;
        fn on_tmp(db: &Db, cb: Unresolved<"sc_tmp_cb">, user: Unresolved<"void *">);
        fn tmp_release(tmp: Unresolved<"sc_tmp *">, flags: c_int);
        fn tmp_size(tmp: Unresolved<"sc_tmp *">) -> c_int;
        fn lone_size(lone: Unresolved<"sc_lone *">) -> c_int;
    }
}

// Not imported (8):
// - callback type `sc_fn`: it has 0 `void *` parameters; a described callback has exactly one, its user data
// - callback type `sc_each_cb`: parameter `row` is `sc_row *`, which a callback cannot describe
// - callback type `sc_cur_cb`: parameter `cur` is `sc_cur *`, which a callback cannot describe
// - callback type `sc_tmp_cb`: parameter `tmp` is `sc_tmp *`, which a callback cannot describe
// - handle type `sc_row`: no function evidently frees it; a described handle names its free function: #[opaque(c_type = "sc_row", free = f)]
// - handle type `sc_cur`: no function evidently frees it; a described handle names its free function: #[opaque(c_type = "sc_cur", free = f)]
// - handle type `sc_tmp`: no function evidently frees it; a described handle names its free function: #[opaque(c_type = "sc_tmp", free = f)]
// - handle type `sc_lone`: no function evidently frees it; a described handle names its free function: #[opaque(c_type = "sc_lone", free = f)]
