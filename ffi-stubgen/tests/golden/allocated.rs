// Drafted by ffi-stubgen from `allocated.h`:
//     ffi-stubgen import --header tests/golden/allocated.h --library allocated -o tests/golden/allocated.rs
// 18 functions drafted, 7 whole. 12 pointers are marked `Unresolved<"C type">`: state each one's
// meaning (In<..>, Out<..>, InOut<..>, CStr, a handle, a callback), checking the
// `guess = ".."` beside it where there is one; the description does not build until
// none is left.
// 1 item could not be imported: see the end of this file.

use ffi_desc::foreign;
#[foreign(library = "allocated", header = "allocated.h", prefix = "al_")]
pub mod allocated {
    #[c_name = "al_pair"]
    pub struct Pair {
        pub a: c_int,
        pub b: c_int,
    }
    #[c_name = "al_info"]
    pub struct Info {
        pub version: c_int,
        pub flags: c_int,
    }
    #[c_name = "al_stat"]
    pub struct Stat {
        pub count: c_long,
    }
    #[c_name = "al_ev"]
    pub struct Ev {
        pub kind: c_int,
    }
    #[callback(c_name = "al_ev_cb")]
    pub type EvCb = fn(user: UserData, ev: Ev);
    #[opaque(c_type = "al_db", free = db_close)]
    pub struct Db;
    /// A handle though the header completes it: C allocates it (`al_snap_get` writes one out through `al_snap **`) and `al_snap_free` frees it.
    #[opaque(c_type = "al_snap", free = snap_free)]
    pub struct Snap;
    /// The functions of `allocated.h`.
    pub trait Allocated {
        fn db_open(name: CStr, out: Out<Owned<Db>>) -> c_int;
        fn db_close(db: Owned<Db>) -> c_int;
        fn snap_get(
            db: &Db,
            out: Unresolved<
                "al_snap **",
                guess = "Out<Owned<Snap>> if C writes a new one there",
            >,
        ) -> c_int;
        fn snap_use(db: &Db, snap: &Snap) -> c_int;
        fn snap_cmp(a: &Snap, b: &Snap) -> c_int;
        fn snap_free(snap: Owned<Snap>);
        fn pair_make(a: c_int, b: c_int) -> Pair;
        fn pair_find(db: &Db, out: Unresolved<"al_pair **">) -> c_int;
        fn pair_free(p: Unresolved<"al_pair *">);
        fn info_get(db: &Db, out: Unresolved<"const al_info **">) -> c_int;
        fn info_flags(#[c_type = "const al_info *"] info: In<Info>) -> c_int;
        fn stat_peek(db: &Db, out: Unresolved<"al_stat **">) -> c_int;
        fn watch(
            db: &Db,
            cb: Unresolved<
                "al_ev_cb",
                guess = "Callback<EvCb, stored> with `user` its UserData, if C passes the callback `user` and no pointer of its own",
            >,
            user: Unresolved<
                "void *",
                guess = "UserData if C passes it to `cb` unchanged",
            >,
        );
        fn ev_next(db: &Db, out: Unresolved<"al_ev **">) -> c_int;
        fn ev_free(ev: Unresolved<"al_ev *">);
        fn event_open_initialize(
            ev: Unresolved<
                "al_event *",
                guess = "Out<S> with #[copy_out(c_type = \"al_event\", size = 16, align = 8, free = event_delete)] struct S { .. } of the fields to read, if C fills it here (it may read one it is given instead, which no copy can be) and `al_event_delete` may run on what C leaves when the call fails; which union member each tag fills is a person's to map",
            >,
            name: CStr,
        ) -> c_int;
        fn next_event(
            db: &Db,
            ev: Unresolved<
                "al_event *",
                guess = "Out<S> with #[copy_out(c_type = \"al_event\", size = 16, align = 8, free = event_delete)] struct S { .. } of the fields to read, if C fills it here (it may read one it is given instead, which no copy can be) and `al_event_delete` may run on what C leaves when the call fails; which union member each tag fills is a person's to map",
            >,
        ) -> c_int;
        fn event_delete(
            ev: Unresolved<
                "al_event *",
                guess = "Out<S> as the `free = event_delete` of #[copy_out(c_type = \"al_event\", size = 16, align = 8, free = event_delete)] struct S: the linkage calls it after each copy, and it is no method",
            >,
        );
    }
}

// Not imported (1):
// - struct `al_event`: field `data` is `union al_event__bindgen_ty_1`, which cannot be described
