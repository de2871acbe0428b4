//! A header-only library whose objects keep a handler but hand it any user
//! data (`c/route.h`): the handler's closure is found through the call
//! running on the thread that passed its object (`kept_by_call`), never
//! through what C passes; those of a `Cobj` through the user data set on
//! it (`context = cobj_set_user`). Its functions are wrapped by its check unit
//! (`build.rs` links the unit's archive into this crate, and builds it as
//! `ROUTE_CHECK_SO` for Loaded).

use ffi_desc::foreign;

/// The header-only library `c/route.h`.
#[foreign(library = "route", header = "route.h", link = false)]
pub mod route {
    /// An object that keeps one handler.
    #[opaque(c_type = "rt_obj", free = obj_free, kept_by_call)]
    pub struct Obj;

    /// An object whose handlers get the user data set on it.
    #[opaque(c_type = "rt_cobj", free = cobj_free, context = cobj_set_user)]
    pub struct Cobj;

    /// The handler: C's user data (NULL or garbage) and a value.
    #[callback(c_name = "rt_handler")]
    pub type Handler = fn(user: UserData, value: c_int) -> c_int;

    /// The functions of `route.h`.
    pub trait Route {
        /// A new object.
        #[wrap]
        #[c_name = "rt_new"]
        fn obj_new(id: c_int) -> Owned<Obj>;
        /// A new object that keeps `parent`'s handler in C (none in its own
        /// table).
        #[wrap]
        #[c_name = "rt_child"]
        fn obj_child(#[c_type = "const rt_obj *"] parent: &Obj, id: c_int) -> Owned<Obj>;
        /// Frees an object.
        #[wrap]
        #[c_name = "rt_free"]
        fn obj_free(o: Owned<Obj>);
        /// The object's id.
        #[wrap]
        #[c_name = "rt_id"]
        fn obj_id(#[c_type = "const rt_obj *"] o: &Obj) -> c_int;
        /// Keeps the handler (`None`: none).
        #[wrap]
        #[c_name = "rt_set_handler"]
        fn set_handler(o: &Obj, h: Option<Callback<Handler, stored = handler, on = o>>);
        /// Calls the handler `n` times, with NULL (mode 0) or garbage (1) as
        /// its user data; the sum of its results.
        #[wrap]
        #[c_name = "rt_run"]
        fn run(o: &Obj, n: c_int, mode: c_int) -> c_int;
        /// Calls `a`'s handler while `b` is passed too.
        #[wrap]
        #[c_name = "rt_run_pair"]
        fn run_pair(a: &Obj, b: &Obj) -> c_int;
        /// Calls the handler from a thread of C's own.
        #[wrap]
        #[c_name = "rt_run_on_thread"]
        fn run_on_thread(o: &Obj, value: c_int) -> c_int;
        /// Calls the handler of the object last run, taking none.
        #[wrap]
        #[c_name = "rt_fire_last"]
        fn fire_last(value: c_int) -> c_int;
        /// A new object with user data.
        #[wrap]
        #[c_name = "rt_cnew"]
        fn cobj_new(id: c_int) -> Owned<Cobj>;
        /// A new object with `parent`'s handlers and user data in C (none
        /// in its own table). The user data is `parent`'s table, which goes
        /// with `parent`: the child goes first.
        #[wrap]
        #[c_name = "rt_cchild"]
        fn cobj_child(
            #[c_type = "const rt_cobj *"] parent: &Cobj,
            id: c_int,
        ) -> Owned<Cobj, parent = parent>;
        /// `cobj_child`, or none for a negative `id`.
        #[wrap]
        #[c_name = "rt_cchild_maybe"]
        fn cobj_child_maybe(
            #[c_type = "const rt_cobj *"] parent: &Cobj,
            id: c_int,
        ) -> Option<Owned<Cobj, parent = parent>>;
        /// `cobj_child_maybe`, written through `out`: 0, or -1 for none.
        #[wrap]
        #[c_name = "rt_cchild_open"]
        fn cobj_child_open(
            #[c_type = "const rt_cobj *"] parent: &Cobj,
            id: c_int,
            out: Out<Option<Owned<Cobj, parent = parent>>>,
        ) -> c_int;
        /// Frees an object with user data.
        #[wrap]
        #[c_name = "rt_cfree"]
        fn cobj_free(o: Owned<Cobj>);
        /// The object's id.
        #[wrap]
        #[c_name = "rt_cid"]
        fn cobj_id(#[c_type = "const rt_cobj *"] o: &Cobj) -> c_int;
        /// Sets the user data every handler of the object gets: the
        /// linkage's to call.
        #[wrap]
        #[c_name = "rt_cset_user"]
        fn cobj_set_user(o: &Cobj, user: UserData);
        /// Keeps the handler (`None`: none).
        #[wrap]
        #[c_name = "rt_cset_handler"]
        fn cobj_set_handler(o: &Cobj, h: Option<Callback<Handler, stored = chandler, on = o>>);
        /// Keeps the other handler, which nothing calls (`None`: none).
        #[wrap]
        #[c_name = "rt_cset_other"]
        fn cobj_set_other(o: &Cobj, h: Option<Callback<Handler, stored = cother, on = o>>);
        /// Calls the handler `n` times with the object's user data; the sum
        /// of its results.
        #[wrap]
        #[c_name = "rt_crun"]
        fn cobj_run(o: &Cobj, n: c_int) -> c_int;
    }
}
