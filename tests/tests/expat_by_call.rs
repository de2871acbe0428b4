//! expat with its handlers kept by call (`src/expat_by_call.rs`, the shape
//! the importer drafts): the handler of the parser a `parse` call passes
//! runs, whatever expat hands it as user data (here the parser itself,
//! after `XML_UseParserAsHandlerArg`), and a handler that parses another
//! document with another parser gets that parser's handler for it, and an
//! external entity parser, which inherits its parent's handlers in C but
//! has none of its own, has them refused (typed, the domain unharmed);
//! through the Linked linkage, the Loaded one, a domain process and the
//! Isolated code over an in-process channel.

use ffi_desc::Error;
use ffi_tests::expat_by_call::expat_by_call::{self, *};
use std::sync::{Arc, Mutex};

type Names = Arc<Mutex<Vec<String>>>;

/// A parser whose end handler records `tag` and each name in `names`.
fn recording<L: ExpatByCall>(lib: &L, tag: &'static str, names: &Names) -> Parser {
    let p = lib.parser_create(None).unwrap();
    let names = names.clone();
    lib.set_end_element_handler(&p, move |_, name| {
        names
            .lock()
            .unwrap()
            .push(format!("{tag}:{}", name.to_str().unwrap()));
    })
    .unwrap();
    p
}

/// expat hands the handler the parser instead of the user data: the
/// closure runs all the same.
fn handlers_whatever_expat_hands_them<L: ExpatByCall>(lib: &L) {
    let names = Names::default();
    let p = recording(lib, "p", &names);
    lib.use_parser_as_handler_arg(&p).unwrap();
    let doc = b"<a><b/><c></c></a>";
    assert_eq!(lib.parse(&p, doc, 1).unwrap(), Status::Ok);
    assert_eq!(*names.lock().unwrap(), ["p:b", "p:c", "p:a"]);
}

/// A handler that parses another document with another parser: each
/// parser's own handler runs, and the outer one's again afterwards.
fn a_handler_parses_with_another_parser<L: ExpatByCall + Clone + Send + Sync + 'static>(lib: &L) {
    let names = Names::default();
    let outer = lib.parser_create(None).unwrap();
    let (l, n) = (lib.clone(), names.clone());
    lib.set_end_element_handler(&outer, move |_, name| {
        n.lock()
            .unwrap()
            .push(format!("outer:{}", name.to_str().unwrap()));
        if name.to_bytes() == b"first" {
            let inner = recording(&l, "inner", &n);
            l.use_parser_as_handler_arg(&inner).unwrap();
            assert_eq!(l.parse(&inner, b"<x><y/></x>", 1).unwrap(), Status::Ok);
        }
    })
    .unwrap();
    assert_eq!(
        lib.parse(&outer, b"<doc><first/><second/></doc>", 1)
            .unwrap(),
        Status::Ok
    );
    assert_eq!(
        *names.lock().unwrap(),
        [
            "outer:first",
            "inner:y",
            "inner:x",
            "outer:second",
            "outer:doc"
        ]
    );
}

/// An external entity parser inherits its parent's end handler in C; a
/// `parse` with it passes the child, whose own table has no handler: the
/// parent's closure does not run and the call says so, in every linkage.
/// The child's own handler, once set, runs.
fn a_child_parser_fires_the_handlers_it_inherited<L: ExpatByCall>(lib: &L) {
    let names = Names::default();
    let parent = recording(lib, "parent", &names);
    let child = lib
        .external_entity_parser_create(&parent, c"", None)
        .unwrap();
    let got = lib.parse(&child, b"<x/>", 1);
    assert!(
        matches!(
            got,
            Err(Error::CallbackNotRun {
                function: "parse",
                reason: "no callback kept in its slot"
            })
        ),
        "{got:?}"
    );
    assert!(names.lock().unwrap().is_empty(), "no closure ran");
    let second = lib
        .external_entity_parser_create(&parent, c"", None)
        .unwrap();
    let n = names.clone();
    lib.set_end_element_handler(&second, move |_, name| {
        n.lock()
            .unwrap()
            .push(format!("child:{}", name.to_str().unwrap()));
    })
    .unwrap();
    assert_eq!(lib.parse(&second, b"<y/>", 1).unwrap(), Status::Ok);
    assert_eq!(lib.parse(&parent, b"<z/>", 1).unwrap(), Status::Ok);
    assert_eq!(*names.lock().unwrap(), ["child:y", "parent:z"]);
    // The children go before the parent whose state they share.
    drop((child, second));
}

fn every_behaviour<L: ExpatByCall + Clone + Send + Sync + 'static>(lib: &L) {
    handlers_whatever_expat_hands_them(lib);
    a_handler_parses_with_another_parser(lib);
    a_child_parser_fires_the_handlers_it_inherited(lib);
}

#[test]
fn linked() {
    every_behaviour(&ExpatByCallLinked::new());
}

#[test]
fn loaded() {
    // SAFETY: the system's expat is the one whose header the description is
    // checked against.
    every_behaviour(&unsafe { ExpatByCallLoaded::open_default() }.unwrap());
}

/// Every behaviour, and the incarnation that served them all lives on: a
/// refused handler costs no domain.
fn every_behaviour_in_one_incarnation(lib: &ExpatByCallIsolated) {
    let generation = lib.channel().generation();
    every_behaviour(lib);
    assert_eq!(lib.channel().generation(), generation, "no restart");
}

#[test]
fn isolated_over_loopback() {
    every_behaviour_in_one_incarnation(&ExpatByCallIsolated::with_channel(Box::new(
        ffi_desc::isolated::LoopbackChannel::new(expat_by_call::server()),
    )));
}

#[test]
fn isolated_in_a_domain_process() {
    let lib: ExpatByCallIsolated =
        ffi_isolate::Domain::launch(ffi_tests::harness::isolated_options("expat-by-call-domain"))
            .expect("start the expat domain");
    every_behaviour_in_one_incarnation(&lib);
    assert_eq!(
        ffi_tests::harness::check::domain(lib.channel()).restarts(),
        0
    );
}
