//! A callback passed for one call, which C calls from threads of its own or
//! from inside itself (`ln_visit` of `c/lent.h`), through every linkage.
//!
//! The closure is a `&mut dyn FnMut` on the caller's stack, neither `Send`
//! nor `Sync`: run from another thread, or twice at once, it would be a data
//! race in safe code. So it runs only on the thread whose call passed it,
//! and never inside itself; otherwise C gets a zeroed answer and the call
//! fails with `Error::CallbackNotRun`. One test runs every linkage in turn:
//! the domain's record of a callback from a thread of its own is the
//! process's, so tests of it must not run beside each other.

use ffi_desc::rt::REFUSALS;
use ffi_desc::{DomainFailure, Error};
use ffi_tests::lent::lent::{self, *};

/// The reasons given for a callback from another thread, and from inside
/// itself.
const OTHER_THREAD: &str = REFUSALS[13];
const INSIDE_ITSELF: &str = REFUSALS[14];

fn on_the_caller_s_thread_it_runs<L: Lent>(lib: &L) {
    let mut runs = 0;
    let got = lib.visit(0, 5, &mut |v| {
        runs += 1;
        v + 1
    });
    assert_eq!((got.unwrap(), runs), (6, 1));
}

/// From a thread of its own, then from two at once: the closure never
/// runs, and the call says why.
fn from_threads_of_its_own_it_is_refused<L: Lent>(lib: &L) {
    for mode in [1, 2] {
        let mut runs = 0;
        let got = lib.visit(mode, 5, &mut |v| {
            runs += 1;
            v + 1
        });
        assert!(
            matches!(
                &got,
                Err(Error::CallbackNotRun {
                    function: "visit",
                    reason: OTHER_THREAD
                })
            ),
            "mode {mode}: {got:?}"
        );
        assert_eq!(runs, 0, "mode {mode}");
        // Nothing is left for a later call to report.
        assert_eq!(lib.visit(0, 1, &mut |v| v).unwrap(), 1);
    }
}

/// C calls the closure again from a nested call the closure made: the
/// inner call does not run it. In Linked and Loaded the outer call fails
/// with `CallbackNotRun`; in Isolated the domain named a callback the
/// nested call did not pass, a protocol violation, and the call around it
/// fails with the domain's end. Either way the closure ran once.
fn inside_itself_it_is_refused<L: Lent>(lib: &L, isolated: bool) {
    let mut runs = 0;
    let mut inner = None;
    let got = lib.visit(3, 5, &mut |v| {
        runs += 1;
        inner = Some(lib.visit_saved(v + 100));
        v + 1
    });
    assert_eq!(runs, 1);
    if isolated {
        assert!(
            matches!(
                &inner,
                Some(Err(Error::Domain {
                    function: "visit_saved",
                    failure: DomainFailure::Protocol { .. }
                }))
            ),
            "{inner:?}"
        );
        assert!(
            matches!(
                &got,
                Err(Error::Domain {
                    function: "visit",
                    failure: DomainFailure::Unavailable { .. }
                })
            ),
            "{got:?}"
        );
    } else {
        assert!(matches!(inner, Some(Ok(0))), "{inner:?}");
        assert!(
            matches!(
                &got,
                Err(Error::CallbackNotRun {
                    function: "visit",
                    reason: INSIDE_ITSELF
                })
            ),
            "{got:?}"
        );
    }
    assert_eq!(lib.visit(0, 1, &mut |v| v).unwrap(), 1);
}

fn every_behaviour<L: Lent>(lib: &L, isolated: bool) {
    on_the_caller_s_thread_it_runs(lib);
    from_threads_of_its_own_it_is_refused(lib);
    inside_itself_it_is_refused(lib, isolated);
}

#[test]
fn a_callback_for_the_call_runs_only_on_its_thread_and_not_inside_itself() {
    every_behaviour(&LentLinked::new(), false);
    // SAFETY: the shared object is the check unit of this very description,
    // compiled against `lent.h` by build.rs.
    let loaded = unsafe { LentLoaded::open(env!("LENT_CHECK_SO")) }.unwrap();
    every_behaviour(&loaded, false);
    let loopback = LentIsolated::with_channel(Box::new(ffi_desc::isolated::LoopbackChannel::new(
        lent::server(),
    )));
    every_behaviour(&loopback, true);
    let process: LentIsolated =
        ffi_isolate::Domain::launch(ffi_tests::harness::isolated_options("lent-domain"))
            .expect("start the lent domain");
    every_behaviour(&process, true);
}
