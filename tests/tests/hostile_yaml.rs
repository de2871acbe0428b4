//! Hostile replies to the copied-out structs and the state of libyaml's
//! description: whatever a domain writes where an event (a `#[copy_out]`
//! struct with a tag, union members and pointer fields), a parser's problem
//! (a `#[view]`) or a new parser (`Init<H, V>`) is expected, the client ends
//! the call in the value a healthy domain gives or a typed error. Never a
//! panic, never an allocation beyond what the reply holds: lengths past the
//! bytes sent, a huge count, a tag no variant has, text that is not UTF-8,
//! a NUL inside a NUL-terminated field, a pointer tag that is neither NULL
//! nor bytes, every truncation of a valid reply, and random bytes.
//!
//! The other calls of each test go to a real server over the loopback
//! channel, so that the attacked call runs on a live parser.

use ffi_desc::isolated::{CallbackDispatch, Channel, LoopbackChannel};
use ffi_desc::{DomainFailure, Error};
use ffi_tests::yaml::yaml::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Mutex;

fn function_index(name: &str) -> u32 {
    ffi_tests::yaml::yaml::description()
        .functions
        .iter()
        .position(|f| f.name == name)
        .unwrap_or_else(|| panic!("{name} is described")) as u32
}

/// The loopback server, but the reply to the calls of function `target`
/// is `forged` (when set); every real reply to `target` is recorded.
struct Forging {
    inner: LoopbackChannel,
    target: u32,
    forged: Mutex<Option<Vec<u8>>>,
    recorded: Mutex<Vec<Vec<u8>>>,
}

impl Channel for Forging {
    fn call(
        &self,
        function: u32,
        request: &[u8],
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
    ) -> Result<(), DomainFailure> {
        if function == self.target {
            if let Some(f) = &*self.forged.lock().unwrap() {
                reply.extend_from_slice(f);
                return Ok(());
            }
        }
        self.inner.call(function, request, reply, callbacks)?;
        if function == self.target {
            self.recorded.lock().unwrap().push(reply.clone());
        }
        Ok(())
    }

    fn generation(&self) -> u32 {
        self.inner.generation()
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

fn forging(target: &str, forged: Option<Vec<u8>>) -> YamlIsolated {
    YamlIsolated::with_channel(Box::new(Forging {
        inner: LoopbackChannel::new(server()),
        target: function_index(target),
        forged: Mutex::new(forged),
        recorded: Mutex::default(),
    }))
}

fn channel(lib: &YamlIsolated) -> &Forging {
    lib.channel().as_any().downcast_ref::<Forging>().unwrap()
}

/// A live parser of `doc`.
fn parser(lib: &YamlIsolated, doc: &str) -> Parser {
    let (ok, p) = lib.parser_initialize().unwrap();
    assert_eq!(ok, 1);
    let p = p.unwrap();
    lib.parser_set_input_string(&p, doc.as_bytes()).unwrap();
    p
}

/// The parse of the first scalar of `key: value`, fed `reply`: no panic;
/// the event or the error.
fn parse_fed(reply: &[u8]) -> Result<Event, Error> {
    let lib = forging("parser_parse", None);
    let p = parser(&lib, "key: value\n");
    *channel(&lib).forged.lock().unwrap() = Some(reply.to_vec());
    let outcome = catch_unwind(AssertUnwindSafe(|| lib.parser_parse(&p)));
    let outcome = outcome.unwrap_or_else(|_| panic!("parser_parse panicked on {reply:02x?}"));
    outcome.map(|(_, e)| e)
}

fn protocol(e: &Error) -> Option<&str> {
    match e {
        Error::Domain {
            failure: DomainFailure::Protocol { what },
            ..
        } => Some(what),
        _ => None,
    }
}

/// An error a lying domain may cause here.
fn typed(e: &Error) -> bool {
    protocol(e).is_some()
        || matches!(
            e,
            Error::InvalidEnum { .. } | Error::NotUtf8 { .. } | Error::LengthOutOfRange { .. }
        )
}

/// The replies a healthy domain gives the parse of `key: value`, in order:
/// stream start, document start, mapping start, the two scalars, ...
fn healthy_parse_replies() -> Vec<(Vec<u8>, Event)> {
    let lib = forging("parser_parse", None);
    let p = parser(&lib, "key: &a !t value\n");
    let mut events = Vec::new();
    for _ in 0..8 {
        events.push(lib.parser_parse(&p).unwrap().1);
    }
    let replies = channel(&lib).recorded.lock().unwrap().clone();
    replies.into_iter().zip(events).collect()
}

/// A scalar event's reply written by hand, as the server lays it out: the
/// result, the raw tag, then the members the tag selects (anchor, tag,
/// value: a presence byte and counted bytes), the style and both marks.
fn scalar_reply(
    tag: i32,
    anchor: Option<&[u8]>,
    value: Option<&[u8]>,
    count: Option<u64>,
) -> Vec<u8> {
    let mut r = Vec::new();
    r.extend_from_slice(&1i32.to_le_bytes());
    r.extend_from_slice(&tag.to_le_bytes());
    let pointer = |r: &mut Vec<u8>, b: Option<&[u8]>| match b {
        None => r.push(0),
        Some(b) => {
            r.push(1);
            r.extend_from_slice(&count.unwrap_or(b.len() as u64).to_le_bytes());
            r.extend_from_slice(b);
        }
    };
    if tag == EventType::Scalar as i32 {
        pointer(&mut r, anchor);
        pointer(&mut r, None);
        pointer(&mut r, value);
        r.extend_from_slice(&1i32.to_le_bytes());
    }
    for v in [0u64, 0, 5, 10, 0, 10] {
        r.extend_from_slice(&v.to_le_bytes());
    }
    r
}

#[test]
fn healthy_replies_decode_to_the_healthy_events() {
    let replies = healthy_parse_replies();
    let scalar = &replies[4];
    assert_eq!(scalar.1.value.as_deref(), Some("value"));
    assert_eq!(scalar.1.anchor.as_deref(), Some("a"));
    assert_eq!(scalar.1.tag.as_deref(), Some("!t"));
    for (reply, event) in &replies {
        assert_eq!(parse_fed(reply).as_ref(), Ok(event));
    }
    // The hand-written layout is the server's.
    let hand = parse_fed(&scalar_reply(6, Some(b"a"), Some(b"value"), None)).unwrap();
    assert_eq!(
        (
            hand.kind,
            hand.anchor.as_deref(),
            hand.tag,
            hand.value.as_deref()
        ),
        (EventType::Scalar, Some("a"), None, Some("value"))
    );
    assert_eq!(hand.style, Some(ScalarStyle::Plain));
    assert_eq!((hand.end_mark.line, hand.end_mark.column), (0, 10));
}

#[test]
fn a_length_past_the_bytes_sent_is_a_protocol_error() {
    for count in [6, 7, 1 << 20, u64::from(u32::MAX) + 1] {
        // Past the value's bytes into the fields after it, or past the reply.
        let e = parse_fed(&scalar_reply(6, None, Some(b"value"), Some(count))).unwrap_err();
        let what = protocol(&e);
        assert!(
            matches!(
                what,
                Some("count exceeds the payload" | "payload truncated")
            ),
            "{count}: {e:?}"
        );
    }
}

#[test]
fn a_huge_count_is_a_protocol_error_not_an_allocation() {
    for count in [u64::MAX, u64::MAX / 2, 1 << 62, isize::MAX as u64 + 1] {
        let e = parse_fed(&scalar_reply(6, Some(b"a"), None, Some(count))).unwrap_err();
        assert!(protocol(&e).is_some(), "{count}: {e:?}");
    }
}

#[test]
fn a_tag_out_of_range_is_an_invalid_enum() {
    for tag in [11, 99, -1, i32::MAX] {
        let e = parse_fed(&scalar_reply(tag, None, None, None)).unwrap_err();
        assert_eq!(
            e,
            Error::InvalidEnum {
                type_name: "EventType",
                value: tag.into()
            }
        );
    }
}

#[test]
fn text_that_is_not_utf8_is_a_typed_error() {
    for bad in [&b"\xff"[..], b"ok\xc3", b"\xed\xa0\x80", b"a\xc0\xafb"] {
        let e = parse_fed(&scalar_reply(6, None, Some(bad), None)).unwrap_err();
        assert_eq!(
            e,
            Error::NotUtf8 {
                function: "parser_parse",
                ty: "Event",
                field: "value"
            }
        );
    }
    // A counted value may hold a NUL; a NUL-terminated anchor may not.
    let nul = parse_fed(&scalar_reply(6, None, Some(b"a\0b"), None)).unwrap();
    assert_eq!(nul.value.as_deref(), Some("a\0b"));
    let e = parse_fed(&scalar_reply(6, Some(b"a\0b"), None, None)).unwrap_err();
    assert_eq!(
        protocol(&e),
        Some("a NUL-terminated field holds a NUL byte")
    );
}

#[test]
fn a_pointer_tag_neither_null_nor_bytes_is_a_protocol_error() {
    let mut r = scalar_reply(6, None, None, None);
    r[8] = 3;
    assert_eq!(
        protocol(&parse_fed(&r).unwrap_err()),
        Some("bad pointer-field tag")
    );
}

#[test]
fn every_truncation_and_extension_of_healthy_replies_is_an_error() {
    for (reply, _) in healthy_parse_replies() {
        for len in 0..reply.len() {
            let e = parse_fed(&reply[..len]).unwrap_err();
            assert!(protocol(&e).is_some(), "{len} of {reply:02x?}: {e:?}");
        }
        let mut longer = reply.clone();
        longer.push(0);
        assert!(protocol(&parse_fed(&longer).unwrap_err()).is_some());
    }
}

#[test]
fn random_and_bit_flipped_replies_end_in_a_result_or_a_typed_error() {
    let replies = healthy_parse_replies();
    let mut runner = TestRunner::new(Config {
        cases: 2_000,
        failure_persistence: None,
        ..Config::default()
    });
    let flips = (0..replies.len(), any::<usize>(), 0u8..8);
    runner
        .run(&flips, |(i, at, bit)| {
            let mut r = replies[i].0.clone();
            let at = at % r.len();
            r[at] ^= 1 << bit;
            if let Err(e) = parse_fed(&r) {
                prop_assert!(typed(&e), "{e:?} for {r:02x?}");
            }
            Ok(())
        })
        .unwrap();
    runner
        .run(&proptest::collection::vec(any::<u8>(), 0..200), |r| {
            if let Err(e) = parse_fed(&r) {
                prop_assert!(typed(&e), "{e:?} for {r:02x?}");
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_forged_problem_is_checked_as_an_event_is() {
    // The view's reply: a presence byte, then error, problem (pointer
    // field), offset, mark, context, its mark.
    let forge = |error: i32, problem: &[u8]| {
        let mut r = vec![1u8];
        r.extend_from_slice(&error.to_le_bytes());
        r.push(1);
        r.extend_from_slice(&(problem.len() as u64).to_le_bytes());
        r.extend_from_slice(problem);
        r.extend_from_slice(&[0; 8 + 24]);
        r.push(0);
        r.extend_from_slice(&[0; 24]);
        r
    };
    let lib = forging("problem", Some(forge(4, b"did not find")));
    let p = parser(&lib, "a");
    let got = lib.problem(&p).unwrap();
    assert_eq!(
        (got.error, got.problem.as_deref()),
        (ErrorType::ParserError, Some("did not find"))
    );
    *channel(&lib).forged.lock().unwrap() = Some(forge(4, b"\xfe"));
    assert!(matches!(
        lib.problem(&p),
        Err(Error::NotUtf8 {
            field: "problem",
            ..
        })
    ));
    *channel(&lib).forged.lock().unwrap() = Some(forge(8, b"x"));
    assert!(matches!(
        lib.problem(&p),
        Err(Error::InvalidEnum { value: 8, .. })
    ));
    *channel(&lib).forged.lock().unwrap() = Some(forge(4, b"x")[..20].to_vec());
    assert!(protocol(&lib.problem(&p).unwrap_err()).is_some());
    // A state is never NULL: a domain saying so is refused, typed.
    *channel(&lib).forged.lock().unwrap() = Some(vec![0]);
    assert_eq!(
        lib.problem(&p).unwrap_err(),
        Error::NullReturn {
            function: "problem"
        }
    );
    *channel(&lib).forged.lock().unwrap() = Some(vec![2]);
    assert_eq!(
        protocol(&lib.problem(&p).unwrap_err()),
        Some("bad struct tag")
    );
}

#[test]
fn a_new_parser_of_another_incarnation_is_refused() {
    // parser_initialize's reply: the result, then the new handle's id,
    // whose high bits carry the incarnation.
    let lib = forging("parser_initialize", None);
    let (_, p) = lib.parser_initialize().unwrap();
    assert!(p.is_some());
    let healthy = channel(&lib).recorded.lock().unwrap()[0].clone();
    assert_eq!(healthy.len(), 12);
    let mut other = healthy.clone();
    other[11] ^= 0x40;
    *channel(&lib).forged.lock().unwrap() = Some(other);
    let e = lib.parser_initialize().unwrap_err();
    assert!(protocol(&e).is_some(), "{e:?}");
    // A failed initialisation sends id 0: no parser, no error.
    let mut failed = 0i32.to_le_bytes().to_vec();
    failed.extend_from_slice(&0u64.to_le_bytes());
    *channel(&lib).forged.lock().unwrap() = Some(failed);
    assert!(matches!(lib.parser_initialize(), Ok((0, None))));
}

// ---------------------------------------------------------------------------
// A library that lies in the struct it writes (sample-libs' hostile C),
// through every linkage: Linked and Loaded check what C wrote, the server
// sends it raw and the client checks it, and the destructor runs after
// every copy, failed or not.

mod lying_library {
    use ffi_desc::Error;
    use ffi_tests::hostile::hostile::*;

    fn linked() -> HostileLinked {
        HostileLinked::new()
    }

    fn loaded() -> HostileLoaded {
        // SAFETY: the shared object is built from the same source.
        unsafe { HostileLoaded::open(sample_libs::HOSTILE_SHARED_LIBRARY) }
            .expect("open the hostile shared object")
    }

    fn loopback() -> HostileIsolated {
        HostileIsolated::with_channel(Box::new(ffi_desc::isolated::LoopbackChannel::new(server())))
    }

    /// Each mode's outcome, and that the destructor ran once per call.
    /// Linked and loopback share the library's counter: one test at a time.
    fn outcomes<L: Hostile>(lib: &L) -> Vec<Result<Event, Error>> {
        static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let freed = lib.events_freed().unwrap();
        let out: Vec<_> = (0..6).map(|m| lib.event_make(m).map(|(_, e)| e)).collect();
        assert_eq!(
            lib.events_freed().unwrap(),
            freed + 6,
            "one delete per copy"
        );
        out
    }

    fn check<L: Hostile>(lib: &L) {
        let out = outcomes(lib);
        let ev = |kind, text: Option<&str>, bytes: Option<&[u8]>| Event {
            kind,
            text: text.map(Into::into),
            bytes: bytes.map(Into::into),
        };
        assert_eq!(out[0], Ok(ev(EventKind::Text, Some("hello"), None)));
        assert_eq!(
            out[1],
            Err(Error::InvalidEnum {
                type_name: "EventKind",
                value: 7
            })
        );
        assert_eq!(
            out[2],
            Err(Error::NotUtf8 {
                function: "event_make",
                ty: "Event",
                field: "text"
            })
        );
        assert_eq!(out[3], Ok(ev(EventKind::Bytes, None, Some(&[1, 2, 3]))));
        // A length beyond the bound: nothing is read, in any linkage.
        assert_eq!(
            out[4],
            Err(Error::LengthOutOfRange {
                function: "event_make",
                param: "bytes",
                returned: 1 << 62,
                capacity: ffi_desc::state::MAX_COPIED_BYTES,
            })
        );
        assert_eq!(out[5], Ok(ev(EventKind::Text, None, None)));
    }

    /// A struct the library keeps, returned by pointer: copied, NULL is
    /// `None`, and its lies are the same typed errors.
    fn kept<L: Hostile>(lib: &L) {
        assert_eq!(
            lib.event_static(0).unwrap(),
            Some(KeptEvent {
                kind: EventKind::Text,
                text: Some("static".into())
            })
        );
        assert_eq!(lib.event_static(1).unwrap(), None);
        assert_eq!(
            lib.event_static(2),
            Err(Error::InvalidEnum {
                type_name: "EventKind",
                value: 9
            })
        );
    }

    #[test]
    fn a_kept_struct_is_copied_in_every_linkage() {
        kept(&linked());
        kept(&loaded());
        kept(&loopback());
        kept(&ffi_tests::harness::hostile::isolated());
    }

    #[test]
    fn linked_checks_what_c_wrote() {
        check(&linked());
    }

    #[test]
    fn loaded_checks_what_c_wrote() {
        check(&loaded());
    }

    #[test]
    fn loopback_checks_what_the_server_sent() {
        check(&loopback());
    }

    #[test]
    fn isolated_checks_what_the_domain_sent() {
        check(&ffi_tests::harness::hostile::isolated());
    }
}

#[test]
fn a_length_beyond_the_bound_is_the_error_linked_gives() {
    // The value's pointer tag (after the result, the raw tag and two NULL
    // pointer fields) says C's length was beyond the bound.
    let beyond = |len: u64| {
        let mut r = scalar_reply(6, None, None, None);
        let at = 4 + 4 + 1 + 1;
        r[at] = 2;
        r.splice(at + 1..at + 1, len.to_le_bytes());
        r
    };
    assert_eq!(
        parse_fed(&beyond(1 << 40)),
        Err(Error::LengthOutOfRange {
            function: "parser_parse",
            param: "value",
            returned: 1 << 40,
            capacity: ffi_desc::state::MAX_COPIED_BYTES,
        })
    );
    // Within the bound, the domain should have sent the bytes.
    let e = parse_fed(&beyond(5)).unwrap_err();
    assert_eq!(
        protocol(&e),
        Some("a length within the bound sent as beyond it")
    );
}
