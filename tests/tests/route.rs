//! Handlers kept on a handle whose type finds them through the running call
//! (`#[opaque(.., kept_by_call)]`, `c/route.h` described in `src/route.rs`):
//! C hands the handler NULL or garbage as its user data, and the closure of
//! the handle the call passed runs all the same, through the Linked linkage
//! (the check unit's archive), the Loaded one (the unit built as a shared
//! object), a domain process and the Isolated code over an in-process
//! channel. A handler C calls when no call passing its handle runs on the
//! thread (a thread of C's own, a call taking no handle, after the call
//! returned), or during a call passing two handles, does not run: the
//! call reports it, typed, and nothing crashes. Nor does a handler a child
//! object inherited in C, fired during a call passing the child, whose own
//! table has none: refused alike everywhere, the domain unharmed. A domain
//! that names an empty slot of a handle its call did not pass, or a slot
//! no handle has, is still a protocol violation (`forged_*` below), over a
//! domain process and the loopback alike.
//!
//! A `Cobj` finds its handlers through the user data set on it (`context =
//! cobj_set_user`); a child copies its parent's handlers and user data. The
//! child firing a slot emptied since, or one its own table lacks, is
//! refused alike everywhere; a domain naming a handle no honest library
//! hands (another type's, another incarnation's, one without a table, one
//! dropped, a slot that kept no callback) is a protocol violation.

use ffi_desc::isolated::{
    CallbackDispatch, Channel, IsolatedLinkage, HANDLE_CALLBACK, REFUSED_CALLBACK,
};
use ffi_desc::{DomainFailure, Error};
use ffi_tests::route::route::{self, *};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex};

const NO_CALL: &str = "no call that passed one handle of its type runs on this thread";

/// What the calls a handler made returned.
type Results = Arc<Mutex<Vec<Result<i32, Error>>>>;

/// A handler as `set_handler` keeps it.
type Handler = Box<dyn Fn(&Obj, i32) -> i32 + Send + Sync>;

/// A handler that answers `100 * id + value` for the handle it is given and
/// counts its runs in `runs`.
fn counting<L: Route + Clone + Send + Sync + 'static>(lib: &L, runs: &Arc<AtomicI32>) -> Handler {
    let (lib, runs) = (lib.clone(), runs.clone());
    Box::new(move |o, v| {
        runs.fetch_add(1, Ordering::SeqCst);
        100 * lib.obj_id(o).unwrap() + v
    })
}

/// NULL and garbage user data: the closure of the handle passed runs.
fn whatever_user_data_c_passes<L: Route + Clone + Send + Sync + 'static>(lib: &L) {
    let runs = Arc::new(AtomicI32::new(0));
    let o = lib.obj_new(7).unwrap();
    // Without a handler C calls none: nothing to refuse.
    assert_eq!(lib.run(&o, 3, 0).unwrap(), -1);
    lib.set_handler(&o, Some(counting(lib, &runs))).unwrap();
    for mode in [0, 1] {
        assert_eq!(lib.run(&o, 3, mode).unwrap(), 3 * 700 + 3, "mode {mode}");
    }
    assert_eq!(runs.load(Ordering::SeqCst), 6);
    // Unset, C calls none again.
    lib.set_handler(&o, None).unwrap();
    assert_eq!(lib.run(&o, 3, 1).unwrap(), -1);
    assert_eq!(runs.load(Ordering::SeqCst), 6);
}

/// A handler that runs another handle's `run` from inside: each handle's own
/// closure fires, and the outer handle's again once the inner call returned.
fn a_nested_call_of_another_handle<L: Route + Clone + Send + Sync + 'static>(lib: &L) {
    let inner_runs = Arc::new(AtomicI32::new(0));
    let outer = lib.obj_new(1).unwrap();
    let (l, ir) = (lib.clone(), inner_runs.clone());
    lib.set_handler(
        &outer,
        Some(Box::new(move |o, v| {
            let mine = 100 * l.obj_id(o).unwrap() + v;
            if v != 0 {
                return mine;
            }
            let inner = l.obj_new(2).unwrap();
            let (l2, ir) = (l.clone(), ir.clone());
            l.set_handler(
                &inner,
                Some(Box::new(move |o, v| {
                    ir.fetch_add(1, Ordering::SeqCst);
                    1000 * l2.obj_id(o).unwrap() + v
                })),
            )
            .unwrap();
            // The inner handle's closure, twice: 2000 + 2001.
            mine + l.run(&inner, 2, 1).unwrap()
        })),
    )
    .unwrap();
    // 100 + 4001 for the first value, 101 and 102 for the others.
    assert_eq!(lib.run(&outer, 3, 1).unwrap(), 100 + 4001 + 101 + 102);
    assert_eq!(inner_runs.load(Ordering::SeqCst), 2);
}

/// A call passing two handles of the type: which one C means is not known,
/// so the handler does not run and the call says so.
fn two_handles_of_the_type_are_refused<L: Route + Clone + Send + Sync + 'static>(lib: &L) {
    let runs = Arc::new(AtomicI32::new(0));
    let (a, b) = (lib.obj_new(1).unwrap(), lib.obj_new(2).unwrap());
    lib.set_handler(&a, Some(counting(lib, &runs))).unwrap();
    let got = lib.run_pair(&a, &b);
    assert!(
        matches!(
            got,
            Err(Error::CallbackNotRun {
                function: "run_pair",
                reason: NO_CALL
            })
        ),
        "{got:?}"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 0);
    // Nothing is left pending.
    assert_eq!(lib.run(&a, 1, 0).unwrap(), 100);
}

/// A handler C calls from a thread of its own: no call runs there, so it
/// does not run and C gets a zeroed answer.
fn a_thread_of_c_s_own_is_refused<L: Route + Clone + Send + Sync + 'static>(lib: &L) {
    let runs = Arc::new(AtomicI32::new(0));
    let o = lib.obj_new(3).unwrap();
    lib.set_handler(&o, Some(counting(lib, &runs))).unwrap();
    assert_eq!(lib.run_on_thread(&o, 5).unwrap(), 0);
    assert_eq!(runs.load(Ordering::SeqCst), 0);
    assert_eq!(lib.run(&o, 1, 1).unwrap(), 300);
}

/// A handler C calls after the call on its handle returned, from a call
/// taking no handle: it does not run, C gets a zeroed answer, and that call
/// says so.
fn after_the_call_returned_is_refused<L: Route + Clone + Send + Sync + 'static>(lib: &L) {
    let runs = Arc::new(AtomicI32::new(0));
    let o = lib.obj_new(4).unwrap();
    lib.set_handler(&o, Some(counting(lib, &runs))).unwrap();
    assert_eq!(lib.run(&o, 1, 0).unwrap(), 400);
    let got = lib.fire_last(9);
    assert!(
        matches!(
            got,
            Err(Error::CallbackNotRun {
                function: "fire_last",
                reason: NO_CALL
            })
        ),
        "{got:?}"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    // Nothing is left pending.
    assert_eq!(lib.run(&o, 1, 0).unwrap(), 400);
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

/// A view given to a handler keeps no handler: it lives only as long as
/// the callback.
fn a_view_keeps_no_handler<L: Route + Clone + Send + Sync + 'static>(lib: &L) {
    let refused = Arc::new(AtomicI32::new(0));
    let o = lib.obj_new(5).unwrap();
    let (l, r) = (lib.clone(), refused.clone());
    lib.set_handler(
        &o,
        Some(Box::new(move |view, v| {
            if let Err(Error::ForeignHandle { .. }) = l.set_handler(view, Some(Box::new(|_, _| 0)))
            {
                r.fetch_add(1, Ordering::SeqCst);
            }
            v
        })),
    )
    .unwrap();
    assert_eq!(lib.run(&o, 2, 0).unwrap(), 1);
    assert_eq!(refused.load(Ordering::SeqCst), 2);
}

/// A call made with a view lent to a handler records no handle: the
/// handler C fires during it is refused, typed, and the owner's closure does
/// not run again (it would recurse without end).
fn a_call_with_a_view_is_refused<L: Route + Clone + Send + Sync + 'static>(lib: &L) {
    let (runs, refused) = (Arc::new(AtomicI32::new(0)), Arc::new(AtomicI32::new(0)));
    let o = lib.obj_new(9).unwrap();
    let (l, n, r) = (lib.clone(), runs.clone(), refused.clone());
    lib.set_handler(
        &o,
        Some(Box::new(move |view, v| {
            if n.fetch_add(1, Ordering::SeqCst) > 0 {
                return -1000;
            }
            for mode in [0, 1] {
                match l.run(view, 2, mode) {
                    Err(Error::CallbackNotRun {
                        function: "run",
                        reason: NO_CALL,
                    }) => r.fetch_add(1, Ordering::SeqCst),
                    other => panic!("mode {mode}: {other:?}"),
                };
            }
            v + 1
        })),
    )
    .unwrap();
    assert_eq!(lib.run(&o, 1, 0).unwrap(), 1);
    assert_eq!(
        runs.load(Ordering::SeqCst),
        1,
        "the owner's closure ran once"
    );
    assert_eq!(refused.load(Ordering::SeqCst), 2);
    // Nothing is left pending, and the handle's own calls still route.
    runs.store(0, Ordering::SeqCst);
    assert_eq!(lib.run(&o, 1, 0).unwrap(), 1);
}

const EMPTY_SLOT: &str = "no callback kept in its slot";

/// A child that fires the handler it inherited in C, during a call that
/// passed the child: the child's own table has none, so nothing runs and
/// the call says so, typed; the child's own handler, once set, runs.
fn an_inherited_handler_fires_an_empty_slot<L: Route + Clone + Send + Sync + 'static>(lib: &L) {
    let runs = Arc::new(AtomicI32::new(0));
    let parent = lib.obj_new(6).unwrap();
    lib.set_handler(&parent, Some(counting(lib, &runs)))
        .unwrap();
    let child = lib.obj_child(&parent, 8).unwrap();
    for mode in [0, 1] {
        let got = lib.run(&child, 2, mode);
        assert!(
            matches!(
                got,
                Err(Error::CallbackNotRun {
                    function: "run",
                    reason: EMPTY_SLOT
                })
            ),
            "mode {mode}: {got:?}"
        );
    }
    assert_eq!(runs.load(Ordering::SeqCst), 0, "no closure ran");
    // The parent's handler and the library are unharmed.
    assert_eq!(lib.run(&parent, 1, 0).unwrap(), 600);
    lib.set_handler(&child, Some(counting(lib, &runs))).unwrap();
    assert_eq!(lib.run(&child, 2, 1).unwrap(), 800 + 801);
    assert_eq!(runs.load(Ordering::SeqCst), 3);
}

/// A handler of a `Cobj` as `cobj_set_handler` keeps it.
type CHandler = Box<dyn Fn(&Cobj, i32) -> i32 + Send + Sync>;

/// [`counting`] for a `Cobj`.
fn ccounting<L: Route + Clone + Send + Sync + 'static>(lib: &L, runs: &Arc<AtomicI32>) -> CHandler {
    let (lib, runs) = (lib.clone(), runs.clone());
    Box::new(move |o, v| {
        runs.fetch_add(1, Ordering::SeqCst);
        100 * lib.cobj_id(o).unwrap() + v
    })
}

/// `got` is the refusal of a handler fired into an empty slot, reported by
/// `cobj_run`.
fn assert_empty_slot_refused(got: Result<i32, Error>) {
    assert!(
        matches!(
            got,
            Err(Error::CallbackNotRun {
                function: "cobj_run",
                reason: EMPTY_SLOT
            })
        ),
        "{got:?}"
    );
}

/// A child that copied its parent's handler and user data in C runs the
/// parent's closure, given the parent (a view of it); once the parent's
/// slot is emptied in Rust (and in the parent's C object, not the
/// child's), the child's firing is refused, typed, and a new handler of
/// the parent's runs for the child again.
fn a_context_child_fires_its_parent_s_slot<L: Route + Clone + Send + Sync + 'static>(lib: &L) {
    let runs = Arc::new(AtomicI32::new(0));
    let parent = lib.cobj_new(6).unwrap();
    lib.cobj_set_handler(&parent, Some(ccounting(lib, &runs)))
        .unwrap();
    let child = lib.cobj_child(&parent, 8).unwrap();
    assert_eq!(lib.cobj_run(&child, 2).unwrap(), 600 + 601);
    lib.cobj_set_handler(&parent, None).unwrap();
    assert_eq!(lib.cobj_run(&parent, 1).unwrap(), -1, "C calls none");
    assert_empty_slot_refused(lib.cobj_run(&child, 2));
    assert_eq!(runs.load(Ordering::SeqCst), 2, "no closure ran");
    lib.cobj_set_handler(&parent, Some(ccounting(lib, &runs)))
        .unwrap();
    assert_eq!(lib.cobj_run(&child, 1).unwrap(), 600);
    assert_eq!(lib.cobj_run(&parent, 1).unwrap(), 600);
    assert_eq!(runs.load(Ordering::SeqCst), 4);
}

/// A child given a table of its own (by keeping its other handler) fires
/// the handler it inherited in C with that table, which lacks it: refused,
/// typed, and the child's own handler, once kept, runs.
fn a_context_child_s_own_table_lacks_what_it_inherited<L: Route + Clone + Send + Sync + 'static>(
    lib: &L,
) {
    let runs = Arc::new(AtomicI32::new(0));
    let parent = lib.cobj_new(3).unwrap();
    lib.cobj_set_handler(&parent, Some(ccounting(lib, &runs)))
        .unwrap();
    let child = lib.cobj_child(&parent, 4).unwrap();
    lib.cobj_set_other(&child, Some(ccounting(lib, &runs)))
        .unwrap();
    for _ in 0..2 {
        assert_empty_slot_refused(lib.cobj_run(&child, 2));
    }
    assert_eq!(runs.load(Ordering::SeqCst), 0, "no closure ran");
    assert_eq!(lib.cobj_run(&parent, 1).unwrap(), 300);
    lib.cobj_set_handler(&child, Some(ccounting(lib, &runs)))
        .unwrap();
    assert_eq!(lib.cobj_run(&child, 2).unwrap(), 400 + 401);
    assert_eq!(runs.load(Ordering::SeqCst), 3);
}

/// Children made by a returned handle, one in `Option` and one written
/// out, all borrowing their parent: each runs the parent's closure, through
/// the user data it copied (the parent's table), while the parent lives; a
/// negative id makes none; the children go, then the parent, and with it
/// the closure.
fn children_run_their_parent_s_handler_while_it_lives<L: Route + Clone + Send + Sync + 'static>(
    lib: &L,
) {
    let runs = Arc::new(AtomicI32::new(0));
    let parent = lib.cobj_new(5).unwrap();
    lib.cobj_set_handler(&parent, Some(ccounting(lib, &runs)))
        .unwrap();
    let first = lib.cobj_child(&parent, 1).unwrap();
    let second = lib.cobj_child_maybe(&parent, 2).unwrap().expect("a child");
    assert!(lib.cobj_child_maybe(&parent, -1).unwrap().is_none());
    let (status, third) = lib.cobj_child_open(&parent, 3).unwrap();
    assert_eq!(status, 0);
    let third = third.expect("a child written out");
    let (status, none) = lib.cobj_child_open(&parent, -3).unwrap();
    assert_eq!((status, none.is_none()), (-1, true));
    // The children are themselves: their own ids, the parent's closure.
    for (child, id) in [(&first, 1), (&second, 2), (&third, 3)] {
        assert_eq!(lib.cobj_id(child).unwrap(), id);
        assert_eq!(lib.cobj_run(child, 2).unwrap(), 500 + 501);
    }
    assert_eq!(runs.load(Ordering::SeqCst), 6);
    drop((first, second, third));
    assert_eq!(
        lib.cobj_run(&parent, 1).unwrap(),
        500,
        "the parent is whole"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 7);
    let closure = Arc::downgrade(&runs);
    drop(runs);
    drop(parent);
    assert!(
        closure.upgrade().is_none(),
        "the closure went with the parent"
    );
}

fn every_behaviour<L: Route + Clone + Send + Sync + 'static>(lib: &L) {
    whatever_user_data_c_passes(lib);
    a_nested_call_of_another_handle(lib);
    two_handles_of_the_type_are_refused(lib);
    a_thread_of_c_s_own_is_refused(lib);
    after_the_call_returned_is_refused(lib);
    a_view_keeps_no_handler(lib);
    a_call_with_a_view_is_refused(lib);
    an_inherited_handler_fires_an_empty_slot(lib);
    a_context_child_fires_its_parent_s_slot(lib);
    a_context_child_s_own_table_lacks_what_it_inherited(lib);
    children_run_their_parent_s_handler_while_it_lives(lib);
}

fn loaded() -> RouteLoaded {
    // SAFETY: the shared object is the check unit of this very description,
    // compiled against `route.h` by build.rs.
    unsafe { RouteLoaded::open(env!("ROUTE_CHECK_SO")) }.unwrap()
}

#[test]
fn linked() {
    every_behaviour(&RouteLinked::new());
}

#[test]
fn loaded_from_the_check_unit_built_shared() {
    every_behaviour(&loaded());
}

fn loopback() -> RouteIsolated {
    RouteIsolated::with_channel(Box::new(ffi_desc::isolated::LoopbackChannel::new(
        route::server(),
    )))
}

fn domain_process() -> RouteIsolated {
    ffi_isolate::Domain::launch(ffi_tests::harness::isolated_options("route-domain"))
        .expect("start the route domain")
}

/// Every behaviour, and the incarnation that served them all lives on: a
/// refused callback costs no domain.
fn every_behaviour_in_one_incarnation(lib: &RouteIsolated) {
    let generation = lib.channel().generation();
    every_behaviour(lib);
    assert_eq!(lib.channel().generation(), generation, "no restart");
}

#[test]
fn isolated_over_loopback() {
    every_behaviour_in_one_incarnation(&loopback());
}

/// A Linked call of the same description made inside a loopback callback,
/// where the in-process server's record of its call runs below and no
/// Linked call passing a handle does: the Linked trampoline finds no record
/// (it would read the server's handle id as an address), and refuses. The
/// other way round, the server's trampoline does not take a Linked record
/// for a handle id.
#[test]
fn linked_and_loopback_records_on_one_thread_are_apart() {
    let (linked, iso) = (RouteLinked::new(), loopback());
    let linked_runs = Arc::new(AtomicI32::new(0));
    let got = Results::default();
    let io = iso.obj_new(12).unwrap();
    let (l, lr, g) = (linked, linked_runs.clone(), got.clone());
    iso.set_handler(
        &io,
        Some(Box::new(move |_, v| {
            let lo = l.obj_new(11).unwrap();
            l.set_handler(&lo, Some(counting(&l, &lr))).unwrap();
            // C's last object run on this thread is now the Linked `lo`.
            assert_eq!(l.run(&lo, 1, 0).unwrap(), 1100);
            g.lock().unwrap().push(l.fire_last(5));
            v
        })),
    )
    .unwrap();
    assert_eq!(iso.run(&io, 1, 0).unwrap(), 0);
    assert_fire_last_refused_once(&got, &linked_runs);

    // A Linked handler that makes a loopback call firing the server's
    // object last run: the server's trampoline finds none of its records.
    let iso_runs = Arc::new(AtomicI32::new(0));
    let g = Results::default();
    let (i, ir, seen) = (iso.clone(), iso_runs.clone(), g.clone());
    let lo = linked.obj_new(14).unwrap();
    linked
        .set_handler(
            &lo,
            Some(Box::new(move |_, v| {
                let io = i.obj_new(13).unwrap();
                i.set_handler(&io, Some(counting(&i, &ir))).unwrap();
                assert_eq!(i.run(&io, 1, 0).unwrap(), 1300);
                seen.lock().unwrap().push(i.fire_last(6));
                v
            })),
        )
        .unwrap();
    let generation = iso.channel().generation();
    assert_eq!(linked.run(&lo, 1, 0).unwrap(), 0);
    assert_fire_last_refused_once(&g, &iso_runs);
    assert_eq!(iso.channel().generation(), generation, "no restart");
}

/// The one `fire_last` made inside the other linkage's callback was
/// refused, and the handler it would have found ran only for the `run`
/// that passed its object.
fn assert_fire_last_refused_once(got: &Results, runs: &AtomicI32) {
    let got = std::mem::take(&mut *got.lock().unwrap());
    assert!(
        matches!(
            got[..],
            [Err(Error::CallbackNotRun {
                function: "fire_last",
                reason: NO_CALL
            })]
        ),
        "{got:?}"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 1, "only the run passing it");
}

#[test]
fn isolated_in_a_domain_process() {
    let lib = domain_process();
    every_behaviour_in_one_incarnation(&lib);
    assert_eq!(
        ffi_tests::harness::check::domain(lib.channel()).restarts(),
        0
    );
}

// ---------------------------------------------------------------------------
// A domain that names what its call did not route to.

/// How a [`Forger`] rewrites the handle callbacks the domain sends.
#[derive(Clone, Copy)]
enum Forgery {
    /// Names this handle id instead of the one the domain's call recorded.
    Handle(u64),
    /// Names this callback id instead (a slot no handle type has).
    Id(u32),
}

/// A channel in front of a real domain that rewrites every handle callback
/// frame the domain sends, as a hostile domain would write it, and records
/// the first argument (the handle id) of every request.
struct Forger {
    inner: Box<dyn Channel>,
    forgery: Arc<Mutex<Option<Forgery>>>,
    first_ids: Arc<Mutex<Vec<u64>>>,
    /// A function whose reply begins with this handle id instead of the
    /// domain's own (a returned handle).
    answer: Arc<Mutex<Option<(u32, u64)>>>,
}

impl Channel for Forger {
    fn call(
        &self,
        function: u32,
        request: &[u8],
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
    ) -> Result<(), DomainFailure> {
        if let Some(id) = request.get(..8) {
            let id = u64::from_le_bytes(id.try_into().unwrap());
            self.first_ids.lock().unwrap().push(id);
        }
        let forgery = *self.forgery.lock().unwrap();
        let mut rewrite = |id: u32, args: &[u8], out: &mut Vec<u8>| {
            let of_handle = id & HANDLE_CALLBACK != 0 && id != REFUSED_CALLBACK && args.len() >= 8;
            match forgery {
                Some(Forgery::Handle(h)) if of_handle => {
                    let mut forged = args.to_vec();
                    forged[..8].copy_from_slice(&h.to_le_bytes());
                    callbacks(id, &forged, out)
                }
                Some(Forgery::Id(k)) if of_handle => callbacks(k, args, out),
                _ => callbacks(id, args, out),
            }
        };
        self.inner.call(function, request, reply, &mut rewrite)?;
        match *self.answer.lock().unwrap() {
            Some((f, id)) if f == function && reply.len() >= 8 => {
                reply[..8].copy_from_slice(&id.to_le_bytes())
            }
            _ => {}
        }
        Ok(())
    }

    fn generation(&self) -> u32 {
        self.inner.generation()
    }

    fn violation(&self, generation: u32, what: &str) {
        self.inner.violation(generation, what)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self.inner.as_any()
    }
}

/// The route domain behind a [`Forger`]: a domain process, or the
/// in-process loopback.
struct Forged {
    lib: RouteIsolated,
    forgery: Arc<Mutex<Option<Forgery>>>,
    first_ids: Arc<Mutex<Vec<u64>>>,
    answer: Arc<Mutex<Option<(u32, u64)>>>,
    process: bool,
}

impl Forged {
    fn start(process: bool) -> Self {
        let inner: Box<dyn Channel> = if process {
            let o = ffi_tests::harness::isolated_options("route-domain");
            Box::new(ffi_isolate::Domain::start(o, RouteIsolated::FINGERPRINT).unwrap())
        } else {
            Box::new(ffi_desc::isolated::LoopbackChannel::new(route::server()))
        };
        let (forgery, first_ids, answer) = (Arc::default(), Arc::default(), Arc::default());
        let forger = Forger {
            inner,
            forgery: Arc::clone(&forgery),
            first_ids: Arc::clone(&first_ids),
            answer: Arc::clone(&answer),
        };
        Forged {
            lib: RouteIsolated::with_channel(Box::new(forger)),
            forgery,
            first_ids,
            answer,
            process,
        }
    }

    /// The id the client sent for `o` (`obj_id` passes it first).
    fn id_of(&self, o: &Obj) -> u64 {
        self.lib.obj_id(o).unwrap();
        *self.first_ids.lock().unwrap().last().unwrap()
    }

    /// The id the client sent for `o` (`cobj_id` passes it first).
    fn cid_of(&self, o: &Cobj) -> u64 {
        self.lib.cobj_id(o).unwrap();
        *self.first_ids.lock().unwrap().last().unwrap()
    }

    /// `run(o, ..)` with every handle callback rewritten by `forgery`: its
    /// protocol violation.
    fn violation(&self, o: &Obj, forgery: Forgery) -> String {
        self.violation_of("run", forgery, || self.lib.run(o, 1, 0))
    }

    /// `call`, the call of `function`, with every handle callback
    /// rewritten by `forgery`: its protocol violation, and (of a domain
    /// process) the incarnation ended, a new one started.
    fn violation_of(
        &self,
        function: &str,
        forgery: Forgery,
        call: impl FnOnce() -> Result<i32, Error>,
    ) -> String {
        let generation = self.lib.channel().generation();
        *self.forgery.lock().unwrap() = Some(forgery);
        let got = call();
        *self.forgery.lock().unwrap() = None;
        let what = match got {
            Err(Error::Domain {
                function: f,
                failure: DomainFailure::Protocol { what },
            }) if f == function => what,
            other => panic!("expected a protocol violation of {function}, got {other:?}"),
        };
        if self.process {
            let domain = ffi_tests::harness::check::domain(self.lib.channel());
            domain.restart().unwrap();
            assert!(self.lib.channel().generation() > generation, "{what}");
        }
        // Nothing was left for a later call (which reports refusals) to
        // report.
        let later = self.lib.obj_new(0).map(drop);
        assert!(later.is_ok(), "{what}: {later:?}");
        what
    }
}

#[test]
fn a_domain_answering_a_child_with_its_parent_s_id_harms_only_itself() {
    for process in [true, false] {
        a_domain_answering_a_child_with_its_parent_s_id(&Forged::start(process));
    }
}

/// A hostile domain answers `cobj_child` with the parent's own id: the
/// child the client holds is the parent under another name, and dropping it
/// frees the parent's object in the domain. The client stays whole: the
/// parent's later calls fail typed, its closures go when it is dropped, and
/// the library serves the next object.
fn a_domain_answering_a_child_with_its_parent_s_id(f: &Forged) {
    let runs = Arc::new(AtomicI32::new(0));
    let parent = f.lib.cobj_new(6).unwrap();
    f.lib
        .cobj_set_handler(&parent, Some(ccounting(&f.lib, &runs)))
        .unwrap();
    let parent_id = f.cid_of(&parent);
    let index = route::description()
        .functions
        .iter()
        .position(|g| g.name == "cobj_child")
        .unwrap() as u32;
    *f.answer.lock().unwrap() = Some((index, parent_id));
    let child = f.lib.cobj_child(&parent, 7).unwrap();
    *f.answer.lock().unwrap() = None;
    assert_eq!(f.lib.cobj_id(&child).unwrap(), 6, "the parent, renamed");
    drop(child);
    // The domain no longer knows the parent's id: the call fails as a
    // protocol violation, and no closure ran.
    let got = f.lib.cobj_run(&parent, 1);
    assert!(
        matches!(
            &got,
            Err(Error::Domain {
                function: "cobj_run",
                failure: DomainFailure::Protocol { what },
            }) if what.contains("unknown handle id")
        ),
        "{got:?}"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 0);
    let closure = Arc::downgrade(&runs);
    drop(runs);
    drop(parent);
    assert!(
        closure.upgrade().is_none(),
        "the closure went with the parent"
    );
    let next = f.lib.cobj_new(9).unwrap();
    assert_eq!(f.lib.cobj_id(&next).unwrap(), 9);
}

#[test]
fn forged_an_empty_slot_of_a_handle_the_call_did_not_pass_is_a_violation() {
    for process in [true, false] {
        forged_an_empty_slot_of_a_handle_the_call_did_not_pass(&Forged::start(process));
    }
}

fn forged_an_empty_slot_of_a_handle_the_call_did_not_pass(f: &Forged) {
    let runs = Arc::new(AtomicI32::new(0));
    let a = f.lib.obj_new(1).unwrap();
    f.lib
        .set_handler(&a, Some(counting(&f.lib, &runs)))
        .unwrap();
    // `b` is live, of this incarnation, and its slot is empty; the call
    // passed `a`.
    let b = f.lib.obj_new(2).unwrap();
    let b_id = f.id_of(&b);
    let what = f.violation(&a, Forgery::Handle(b_id));
    assert!(
        what.contains("no callback kept in that slot of that handle"),
        "{what}"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 0, "no closure ran");
}

#[test]
fn forged_a_slot_past_the_table_of_the_handle_the_call_passed_is_a_violation() {
    for process in [true, false] {
        forged_a_slot_past_the_table_of_the_handle_the_call_passed(&Forged::start(process));
    }
}

fn forged_a_slot_past_the_table_of_the_handle_the_call_passed(f: &Forged) {
    let runs = Arc::new(AtomicI32::new(0));
    let parent = f.lib.obj_new(1).unwrap();
    f.lib
        .set_handler(&parent, Some(counting(&f.lib, &runs)))
        .unwrap();
    // The child's slot 0 is empty, which an honest domain may name; the
    // description has no slot 3 (0 is `handler`, 1 and 2 a `Cobj`'s), nor
    // one near the top of the range.
    let child = f.lib.obj_child(&parent, 2).unwrap();
    let what = f.violation(&child, Forgery::Id(HANDLE_CALLBACK | 3));
    assert!(
        what.contains("no callback kept in that slot of that handle"),
        "{what}"
    );
    // The next incarnation: its own parent and child.
    let parent = f.lib.obj_new(3).unwrap();
    f.lib
        .set_handler(&parent, Some(counting(&f.lib, &runs)))
        .unwrap();
    let child = f.lib.obj_child(&parent, 4).unwrap();
    let what = f.violation(&child, Forgery::Id(REFUSED_CALLBACK - 1));
    assert!(
        what.contains("no callback kept in that slot of that handle"),
        "{what}"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 0, "no closure ran");
}

/// Every frame of the `Cobj` handler slot names `forge(tabled)` instead,
/// where `tabled` is a `Cobj` whose table (and the handler) the call's
/// honest frame would reach: a protocol violation, and no closure runs.
fn forged_context_handle(f: &Forged, forge: impl FnOnce(&Forged, u64) -> u64) -> String {
    let runs = Arc::new(AtomicI32::new(0));
    let tabled = f.lib.cobj_new(1).unwrap();
    f.lib
        .cobj_set_handler(&tabled, Some(ccounting(&f.lib, &runs)))
        .unwrap();
    let forged = forge(f, f.cid_of(&tabled));
    let what = f.violation_of("cobj_run", Forgery::Handle(forged), || {
        f.lib.cobj_run(&tabled, 1)
    });
    assert_eq!(runs.load(Ordering::SeqCst), 0, "no closure ran: {what}");
    what
}

/// What a domain can name that no honest library hands a handler of a
/// type with a context function: a live handle of the type that was never
/// given a table, a handle of another type that has one, a handle of
/// another incarnation, an id past any table, the id of a handle dropped
/// (and freed), a slot no callback was kept in. Each is a protocol violation, over a domain process and
/// the loopback alike.
#[test]
fn forged_context_handles_are_violations() {
    for process in [true, false] {
        let f = Forged::start(process);
        let tableless = |f: &Forged, _| f.cid_of(&f.lib.cobj_new(2).unwrap());
        let other_type = |f: &Forged, _| {
            let o = f.lib.obj_new(3).unwrap();
            f.lib.set_handler(&o, Some(Box::new(|_, v| v))).unwrap();
            f.id_of(&o)
        };
        let next_incarnation = |_: &Forged, h: u64| h.wrapping_add(1 << 32);
        let past_the_table = |_: &Forged, h: u64| (h & !0xffff_ffff) | 0x7fff_fff0;
        let dropped = |f: &Forged, _| {
            let gone = f.lib.cobj_new(4).unwrap();
            f.lib
                .cobj_set_handler(&gone, Some(Box::new(|_, v| v)))
                .unwrap();
            let id = f.cid_of(&gone);
            drop(gone);
            id
        };
        forged_context_handle(&f, tableless);
        forged_context_handle(&f, other_type);
        forged_context_handle(&f, next_incarnation);
        forged_context_handle(&f, past_the_table);
        let what = forged_context_handle(&f, dropped);
        assert!(
            what.contains("no callback kept in that slot of that handle"),
            "{what}"
        );
        // The `Cobj`'s other slot, of a handle with a table, which kept no
        // callback on any handle: C holds no trampoline of it.
        let runs = Arc::new(AtomicI32::new(0));
        let tabled = f.lib.cobj_new(6).unwrap();
        f.lib
            .cobj_set_handler(&tabled, Some(ccounting(&f.lib, &runs)))
            .unwrap();
        f.violation_of("cobj_run", Forgery::Id(HANDLE_CALLBACK | 2), || {
            f.lib.cobj_run(&tabled, 1)
        });
        assert_eq!(runs.load(Ordering::SeqCst), 0);
        // The honest frames of a live client still run.
        let runs = Arc::new(AtomicI32::new(0));
        let o = f.lib.cobj_new(5).unwrap();
        f.lib
            .cobj_set_handler(&o, Some(ccounting(&f.lib, &runs)))
            .unwrap();
        assert_eq!(f.lib.cobj_run(&o, 2).unwrap(), 500 + 501);
    }
}

/// A loopback call whose callback frame the client cannot answer fails,
/// as a domain process's does, however C went on: the handler's frame
/// names a slot no handle type has, and the C loop that fired it three
/// times got zeroed answers, while no closure ran, not even for the
/// frames after the first.
#[test]
fn a_loopback_callback_the_client_cannot_answer_fails_its_call() {
    let f = Forged::start(false);
    let runs = Arc::new(AtomicI32::new(0));
    let o = f.lib.obj_new(1).unwrap();
    f.lib
        .set_handler(&o, Some(counting(&f.lib, &runs)))
        .unwrap();
    *f.forgery.lock().unwrap() = Some(Forgery::Id(HANDLE_CALLBACK | 7));
    let got = f.lib.run(&o, 3, 0);
    *f.forgery.lock().unwrap() = None;
    assert!(
        matches!(
            &got,
            Err(Error::Domain {
                function: "run",
                failure: DomainFailure::Protocol { what },
            }) if what.contains("no callback kept in that slot of that handle")
        ),
        "{got:?}"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 0);
    assert_eq!(f.lib.run(&o, 3, 0).unwrap(), 3 * 100 + 3);
}

/// A call a handler makes that fails as a protocol violation ends the
/// incarnation of a domain process, so the call whose handler made it fails
/// too, whatever the handler did with the error; the loopback fails it
/// alike. The handler here swallows the error of its nested call, whose
/// callback frame names a slot no handle type has.
#[test]
fn a_nested_call_that_breaks_the_protocol_fails_the_call_around_it() {
    for process in [true, false] {
        let f = Forged::start(process);
        let runs = Arc::new(AtomicI32::new(0));
        let outer = f.lib.obj_new(1).unwrap();
        let nested = Arc::new(Mutex::new(None));
        let (lib, forgery, seen, counted) = (
            f.lib.clone(),
            f.forgery.clone(),
            nested.clone(),
            runs.clone(),
        );
        f.lib
            .set_handler(
                &outer,
                Some(Box::new(move |_, v| {
                    let inner = lib.obj_new(2).unwrap();
                    lib.set_handler(&inner, Some(counting(&lib, &counted)))
                        .unwrap();
                    *forgery.lock().unwrap() = Some(Forgery::Id(HANDLE_CALLBACK | 7));
                    let got = lib.run(&inner, 1, 0);
                    *forgery.lock().unwrap() = None;
                    *seen.lock().unwrap() = Some(got);
                    v
                })),
            )
            .unwrap();
        let got = f.lib.run(&outer, 1, 0);
        let nested = nested.lock().unwrap().take();
        assert!(
            matches!(
                &nested,
                Some(Err(Error::Domain {
                    function: "run",
                    failure: DomainFailure::Protocol { .. },
                }))
            ),
            "process {process}: {nested:?}"
        );
        assert!(
            matches!(
                &got,
                Err(Error::Domain {
                    function: "run",
                    failure: DomainFailure::Unavailable { reason },
                }) if reason.contains("during a callback")
            ),
            "process {process}: {got:?}"
        );
        assert_eq!(runs.load(Ordering::SeqCst), 0);
    }
}
