//! Handles lent to callbacks (SQLite's `sqlite3_context *` and the
//! `sqlite3_value *` of `argv`) when what comes from the domain is hostile.
//!
//! A channel between the Isolated client and a real SQLite domain (a
//! sandboxed process, and the in-process loopback) rewrites the context id
//! of every callback frame, as a domain whose server loop a library took
//! over could: the id of the previous callback (dead since that callback
//! returned), an id never lent, the live id of the callback's argument (a
//! handle of another type), an id of another incarnation, or 0. The client
//! refuses the last two before the closure runs (`Error::CallbackNotRun`);
//! the closure's calls with the others fail with a typed error, as the
//! domain never resolves them to an object (a domain process that cannot
//! serve a call is ended and restarted), and the client carries on.

use ffi_desc::isolated::{CallbackDispatch, Channel};
use ffi_desc::{DomainFailure, Error};
use ffi_isolate::Domain;
use ffi_tests::sqlite::sqlite::*;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// How [`Tamper`] rewrites the context id of a callback frame.
#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(u8)]
enum Mode {
    /// As the domain sent it.
    Honest,
    /// The id the previous callback was lent.
    Stale,
    /// An id of this incarnation that was never lent.
    Forged,
    /// The live id of the callback's first argument, a `Value`.
    OtherType,
    /// An id of the next incarnation.
    OtherIncarnation,
    /// 0, no id.
    Zero,
}

/// A channel that passes everything on, but rewrites the context id (the
/// first 8 bytes) of every callback frame as its mode says.
struct Tamper {
    inner: Box<dyn Channel>,
    mode: Arc<AtomicU8>,
    /// The id the last callback frame carried.
    last: Arc<Mutex<Option<u64>>>,
}

impl Tamper {
    fn rewrite(&self, args: &mut [u8]) {
        let mode = self.mode.load(Ordering::SeqCst);
        let real = u64::from_le_bytes(args[..8].try_into().unwrap());
        let generation = u64::from(self.inner.generation());
        let previous = self.last.lock().unwrap().replace(real);
        let id = match mode {
            m if m == Mode::Stale as u8 => previous.expect("a callback before"),
            m if m == Mode::Forged as u8 => (generation << 32) | 0x8000_0000 | 0x7fff_0000,
            // After the context: the arguments' tag (1), count and ids.
            m if m == Mode::OtherType as u8 => u64::from_le_bytes(args[17..25].try_into().unwrap()),
            m if m == Mode::OtherIncarnation as u8 => {
                ((generation + 1) << 32) | (real & 0xffff_ffff)
            }
            m if m == Mode::Zero as u8 => 0,
            _ => real,
        };
        args[..8].copy_from_slice(&id.to_le_bytes());
    }
}

impl Channel for Tamper {
    fn call(
        &self,
        function: u32,
        request: &[u8],
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
    ) -> Result<(), DomainFailure> {
        let mut tampered = |id: u32, args: &[u8], out: &mut Vec<u8>| {
            let mut args = args.to_vec();
            if args.len() >= 25 {
                self.rewrite(&mut args);
            }
            callbacks(id, &args, out)
        };
        self.inner.call(function, request, reply, &mut tampered)
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

/// What the closure of `twice` saw in one callback.
#[derive(Debug, Default)]
struct Seen {
    /// Callbacks whose closure ran.
    ran: AtomicUsize,
    /// The errors of its calls with the context.
    errors: Mutex<Vec<Error>>,
}

/// `SELECT twice(21)` with the context ids rewritten as `mode` says, on a
/// fresh database; `process`: through a domain process, which the client
/// ends when it cannot serve a call with such an id (a loopback fails that
/// call and the one around it, and lives on).
fn twice_under(lib: &SqliteIsolated, mode_cell: &AtomicU8, mode: Mode, process: bool) {
    let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY;
    let (rc, db) = lib.open_v2(":memory:", flags, None).unwrap();
    assert_eq!(rc, SQLITE_OK);
    let seen = Arc::new(Seen::default());
    let (l, s) = (lib.clone(), seen.clone());
    let define = |name: &str| {
        let (l, s) = (l.clone(), s.clone());
        lib.create_function_v2(&db, name, 1, SQLITE_UTF8, move |ctx, argv| {
            s.ran.fetch_add(1, Ordering::SeqCst);
            // The arguments are untouched: they resolve.
            let x = l.value_int64(argv[0]).unwrap();
            if let Err(e) = l.result_int64(ctx, 2 * x) {
                s.errors.lock().unwrap().push(e);
            }
        })
    };
    assert_eq!(define("twice").unwrap(), SQLITE_OK);
    // A first callback, honest, so that a stale id exists.
    let stmt = lib.prepare_v2(&db, b"select twice(1)").unwrap().1.unwrap();
    assert_eq!(lib.step(&stmt).unwrap(), SQLITE_ROW);
    assert_eq!(lib.column_int64(&stmt, 0).unwrap(), 2);
    lib.finalize(stmt).unwrap();

    mode_cell.store(mode as u8, Ordering::SeqCst);
    let stmt = lib.prepare_v2(&db, b"select twice(21)").unwrap().1.unwrap();
    let step = lib.step(&stmt);
    mode_cell.store(Mode::Honest as u8, Ordering::SeqCst);
    let ran = seen.ran.load(Ordering::SeqCst) - 1;
    let errors = std::mem::take(&mut *seen.errors.lock().unwrap());
    let result = || {
        (lib.column_type(&stmt, 0).unwrap() != SQLITE_NULL)
            .then(|| lib.column_int64(&stmt, 0).unwrap())
    };
    match mode {
        Mode::Honest => {
            assert_eq!(step.unwrap(), SQLITE_ROW);
            assert_eq!((ran, errors.len(), result()), (1, 0, Some(42)));
        }
        Mode::Stale | Mode::Forged | Mode::OtherType => {
            // The closure ran; its call with the context failed, typed.
            assert_eq!((ran, errors.len()), (1, 1), "{mode:?}");
            assert!(
                matches!(
                    &errors[0],
                    Error::Domain {
                        function: "result_int64",
                        ..
                    }
                ),
                "{mode:?}: {:?}",
                errors[0]
            );
            // The domain could not serve it: the client ended it, and the
            // call around it fails (the loopback, which cannot end C, fails
            // it alike).
            assert!(
                matches!(
                    &step,
                    Err(Error::Domain {
                        function: "step",
                        ..
                    })
                ),
                "{mode:?} (process {process}): {step:?}"
            );
            if process {
                // Its handles died with the incarnation.
                return;
            }
        }
        Mode::OtherIncarnation | Mode::Zero => {
            // Refused before the closure ran; SQLite got no result.
            assert_eq!(step.unwrap(), SQLITE_ROW);
            assert_eq!((ran, errors.len(), result()), (0, 0, None), "{mode:?}");
            // The refusal is reported by the thread's next call that passes
            // a callback.
            assert!(
                matches!(
                    define("again"),
                    Err(Error::CallbackNotRun {
                        function: "create_function_v2",
                        reason: "NULL or no live id for a handle lent to a callback",
                    })
                ),
                "{mode:?}"
            );
        }
    }
    lib.finalize(stmt).unwrap();
}

/// Every mode in turn on one client, then an honest call: the client lives.
fn every_mode(lib: &SqliteIsolated, mode: &AtomicU8, process: bool) {
    for m in [
        Mode::Honest,
        Mode::Stale,
        Mode::Forged,
        Mode::OtherType,
        Mode::OtherIncarnation,
        Mode::Zero,
        Mode::Honest,
    ] {
        twice_under(lib, mode, m, process);
    }
}

fn tampered(inner: Box<dyn Channel>) -> (SqliteIsolated, Arc<AtomicU8>) {
    let mode = Arc::new(AtomicU8::new(Mode::Honest as u8));
    let chan = Tamper {
        inner,
        mode: mode.clone(),
        last: Arc::default(),
    };
    (SqliteIsolated::with_channel(Box::new(chan)), mode)
}

#[test]
fn forged_and_stale_context_ids_in_a_domain_process() {
    let mut o = ffi_tests::harness::isolated_options("sqlite-domain");
    o.sandbox.read_paths.push("/dev/urandom".into());
    let domain = Domain::start(o, ffi_tests::sqlite::sqlite::FINGERPRINT).unwrap();
    let (lib, mode) = tampered(Box::new(domain));
    every_mode(&lib, &mode, true);
    // Once for each id the domain could not serve.
    let domain: &Domain = ffi_tests::harness::check::domain(lib.channel());
    assert_eq!(domain.restarts(), 3);
}

#[test]
fn forged_and_stale_context_ids_over_loopback() {
    let (lib, mode) = tampered(Box::new(ffi_desc::isolated::LoopbackChannel::new(
        ffi_tests::sqlite::sqlite::server(),
    )));
    every_mode(&lib, &mode, false);
}

/// A channel whose every call first hands the client a refusal notice, as
/// a domain may at any moment: it records what the client's dispatcher
/// answered.
struct Notices {
    inner: Box<dyn Channel>,
    answers: Arc<Mutex<Vec<bool>>>,
}

impl Channel for Notices {
    fn call(
        &self,
        function: u32,
        request: &[u8],
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
    ) -> Result<(), DomainFailure> {
        let reason = ffi_desc::rt::refusal_code(ffi_desc::rt::REFUSALS[9]);
        let taken = callbacks(
            ffi_desc::isolated::REFUSED_CALLBACK,
            &[reason],
            &mut Vec::new(),
        );
        self.answers.lock().unwrap().push(taken.is_ok());
        self.inner.call(function, request, reply, callbacks)
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

/// A refusal notice is taken only by a call that passes a callback and so
/// reports refusals itself: a call that passes none refuses it, so a
/// hostile domain cannot leave a refusal on the thread for a later call
/// of another library (or linkage) to report.
#[test]
fn refusal_notices_reach_only_calls_that_report_them() {
    let answers = Arc::new(Mutex::new(Vec::new()));
    let lib = SqliteIsolated::with_channel(Box::new(Notices {
        inner: Box::new(ffi_desc::isolated::LoopbackChannel::new(
            ffi_tests::sqlite::sqlite::server(),
        )),
        answers: answers.clone(),
    }));
    assert!(lib.libversion_number().unwrap() > 3_000_000);
    assert_eq!(*answers.lock().unwrap(), [false]);
    // Nothing was left for the next call that reports refusals, here of
    // the Linked linkage on the same thread.
    let linked = SqliteLinked::new();
    let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY;
    let (rc, db) = linked.open_v2(":memory:", flags, None).unwrap();
    assert_eq!(rc, SQLITE_OK);
    let mut rows = 0;
    let got = linked.exec(
        &db,
        c"SELECT 1",
        Some(&mut |_, _| {
            rows += 1;
            0
        }),
    );
    assert!(got.is_ok(), "{got:?}");
    assert_eq!(rows, 1);
}
