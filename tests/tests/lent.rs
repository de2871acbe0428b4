//! Handles a C library lends a callback (`c/lent.h`, described in
//! `src/lent.rs`, shaped like SQLite's `sqlite3_context *` and
//! `sqlite3_value **`): a scoped context whose user data a function of it
//! gives, and a counted array of objects, through the Linked linkage (the
//! check unit's archive), the Loaded one (the unit built as a shared object),
//! a domain process and the Isolated code over an in-process channel. What
//! a hostile library may do instead is refused in each: a NULL context, a
//! NULL among the objects, a callback from a thread of its own.

use ffi_desc::Error;
use ffi_tests::lent::lent::{self, *};

const REFUSED: &str = "NULL or no live id for a handle lent to a callback";

/// Two objects, 20 and 22.
fn objects<L: Lent>(lib: &L) -> (Obj, Obj) {
    (lib.obj_new(20).unwrap(), lib.obj_new(22).unwrap())
}

/// The closure reads the objects it is lent and answers through the context,
/// each a call of the library made from inside the callback.
fn lends_a_context_and_objects<L: Lent>(lib: &L) {
    let (a, b) = objects(lib);
    let mut runs = 0;
    let got = lib
        .lend(0, &a, &b, &mut |ctx, objs| {
            runs += 1;
            assert_eq!(objs.len(), 2);
            let sum: i32 = objs.iter().map(|o| lib.obj_get(o).unwrap()).sum();
            lib.ctx_answer(ctx, sum).unwrap();
        })
        .unwrap();
    assert_eq!((runs, got), (1, 42));
    // The objects are the caller's, still: lent views freed nothing.
    assert_eq!(lib.obj_get(&a).unwrap() + lib.obj_get(&b).unwrap(), 42);
}

/// Two callbacks of one call, each lent a context of its own.
fn each_callback_its_own_context<L: Lent>(lib: &L) {
    let (a, b) = objects(lib);
    let mut runs = 0;
    let got = lib
        .lend(4, &a, &b, &mut |ctx, objs| {
            runs += 1;
            lib.ctx_answer(ctx, runs * lib.obj_get(objs[0]).unwrap())
                .unwrap();
        })
        .unwrap();
    assert_eq!((runs, got), (2, 40));
}

/// A NULL context, or a NULL among the objects: the closure does not run,
/// and the call says why.
fn null_handles_are_refused<L: Lent>(lib: &L) {
    let (a, b) = objects(lib);
    for mode in [1, 2] {
        let mut runs = 0;
        let got = lib.lend(mode, &a, &b, &mut |_, _| runs += 1);
        assert_eq!(runs, 0, "mode {mode}");
        assert!(
            matches!(
                got,
                Err(Error::CallbackNotRun {
                    function: "lend",
                    reason: REFUSED,
                })
            ),
            "mode {mode}: {got:?}"
        );
    }
    // Nothing is left pending: the next call is answered.
    assert_eq!(
        lib.lend(0, &a, &b, &mut |ctx, _| lib.ctx_answer(ctx, 7).unwrap())
            .unwrap(),
        7
    );
}

/// A context whose user data C never set: the linkage has no closure to
/// run, so the closure does not run and the call says so.
fn unset_user_data_is_refused<L: Lent>(lib: &L) {
    let (a, b) = objects(lib);
    let mut runs = 0;
    let got = lib.lend(5, &a, &b, &mut |_, _| runs += 1);
    assert_eq!(runs, 0);
    assert!(
        matches!(
            got,
            Err(Error::CallbackNotRun {
                function: "lend",
                ..
            })
        ),
        "{got:?}"
    );
}

/// A callback from a thread C started, during no call of the linkage on
/// that thread: the closure does not run, and C gets no answer. An Isolated
/// domain tells the call (`isolated`); Linked and Loaded cannot, as the
/// callback's user data, which names the call, comes through a function
/// only the calling thread's instance is known to reach.
fn callback_from_a_thread_of_its_own<L: Lent>(lib: &L, isolated: bool) {
    let (a, b) = objects(lib);
    let mut runs = 0;
    let got = lib.lend(3, &a, &b, &mut |_, _| runs += 1);
    assert_eq!(runs, 0);
    if isolated {
        assert!(
            matches!(
                got,
                Err(Error::CallbackNotRun {
                    function: "lend",
                    reason
                }) if reason == ffi_desc::rt::REFUSALS[13]
            ),
            "{got:?}"
        );
    } else {
        assert_eq!(got.unwrap(), -1);
    }
}

fn every_behaviour<L: Lent>(lib: &L, isolated: bool) {
    lends_a_context_and_objects(lib);
    each_callback_its_own_context(lib);
    null_handles_are_refused(lib);
    unset_user_data_is_refused(lib);
    callback_from_a_thread_of_its_own(lib, isolated);
}

/// The view of a lent handle answers to the instance whose call lent it:
/// another instance refuses it.
fn lent_to_one_instance_only<L: Lent>(lib: &L, other: &L) {
    let (a, b) = objects(lib);
    let mut errors = Vec::new();
    let got = lib
        .lend(0, &a, &b, &mut |ctx, objs| {
            errors.push(other.ctx_answer(ctx, 1).unwrap_err());
            errors.push(other.obj_get(objs[0]).unwrap_err());
            lib.ctx_answer(ctx, 2).unwrap();
        })
        .unwrap();
    assert_eq!(got, 2);
    assert!(
        matches!(
            errors.as_slice(),
            [
                Error::ForeignHandle {
                    function: "ctx_answer",
                    param: "ctx"
                },
                Error::ForeignHandle {
                    function: "obj_get",
                    param: "o"
                },
            ]
        ),
        "{errors:?}"
    );
}

fn loaded() -> LentLoaded {
    // SAFETY: the shared object is the check unit of this very description,
    // compiled against `lent.h` by build.rs.
    unsafe { LentLoaded::open(env!("LENT_CHECK_SO")) }.unwrap()
}

fn process() -> LentIsolated {
    ffi_isolate::Domain::launch(ffi_tests::harness::isolated_options("lent-domain"))
        .expect("start the lent domain")
}

fn loopback() -> LentIsolated {
    LentIsolated::with_channel(Box::new(ffi_desc::isolated::LoopbackChannel::new(
        lent::server(),
    )))
}

#[test]
fn linked() {
    every_behaviour(&LentLinked::new(), false);
}

#[test]
fn loaded_from_the_check_unit_built_shared() {
    every_behaviour(&loaded(), false);
    lent_to_one_instance_only(&loaded(), &loaded());
}

#[test]
fn isolated_over_loopback() {
    every_behaviour(&loopback(), true);
    lent_to_one_instance_only(&loopback(), &loopback());
}

#[test]
fn isolated_in_a_domain_process() {
    every_behaviour(&process(), true);
    lent_to_one_instance_only(&process(), &process());
}
