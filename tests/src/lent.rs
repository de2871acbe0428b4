//! A header-only library that lends handles to a callback (`c/lent.h`,
//! shaped like SQLite's `sqlite3_context *` and `sqlite3_value **`), whose
//! functions are wrapped by its check unit (`build.rs` links the unit's
//! archive into this crate, and builds it as `LENT_CHECK_SO` for Loaded).

use ffi_desc::foreign;

/// The header-only library `c/lent.h`.
#[foreign(library = "lent", header = "lent.h", link = false)]
pub mod lent {
    /// An object the caller owns.
    #[opaque(c_type = "ln_obj", free = obj_free)]
    pub struct Obj;

    /// What `ln_lend` lends its callback, for the callback alone.
    #[opaque(c_type = "ln_ctx", scoped)]
    pub struct Ctx;

    /// The callback: the context, whose user data `ctx_user` gives, and the
    /// objects.
    #[callback(c_name = "ln_fn")]
    pub type LendFn = fn(#[user_data = ctx_user] ctx: &Ctx, n: c_int, objs: In<[&Obj], len = n>);

    /// The functions of `lent.h`.
    /// A callback for the call, with no handle: C may call it from threads
    /// of its own, or from inside itself (`ln_visit`'s modes 1 to 3).
    #[callback(c_name = "ln_visit_fn")]
    pub type VisitFn = fn(value: c_int, user: UserData) -> c_int;

    pub trait Lent {
        /// A new object holding `value`.
        #[wrap]
        #[c_name = "ln_obj_new"]
        fn obj_new(value: c_int) -> Owned<Obj>;
        /// Frees an object.
        #[wrap]
        #[c_name = "ln_obj_free"]
        fn obj_free(o: Owned<Obj>);
        /// The object's value.
        #[wrap]
        #[c_name = "ln_obj_get"]
        fn obj_get(#[c_type = "const ln_obj *"] o: &Obj) -> c_int;
        /// The context's user data: the linkages' to call.
        #[wrap]
        #[c_name = "ln_ctx_user"]
        fn ctx_user(ctx: &Ctx) -> UserData;
        /// What `lend` returns.
        #[wrap]
        #[c_name = "ln_ctx_answer"]
        fn ctx_answer(ctx: &Ctx, value: c_int);
        /// Calls `f` with a context and `{a, b}` as `mode` says (see `lent.h`).
        #[wrap]
        #[c_name = "ln_lend"]
        fn lend(mode: c_int, a: &Obj, b: &Obj, f: Callback<LendFn>, user: UserData) -> c_int;
        #[wrap]
        #[c_name = "ln_visit"]
        fn visit(mode: c_int, value: c_int, f: Callback<VisitFn>, user: UserData) -> c_int;
        #[wrap]
        #[c_name = "ln_visit_saved"]
        fn visit_saved(value: c_int) -> c_int;
    }
}
