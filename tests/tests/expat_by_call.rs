//! expat with its handlers kept by call (`src/expat_by_call.rs`, the shape
//! the importer drafts): the handler of the parser a `parse` call passes
//! runs, whatever expat hands it as user data (here the parser itself,
//! after `XML_UseParserAsHandlerArg`), and a handler that parses another
//! document with another parser gets that parser's handler for it; through
//! the Linked linkage, the Loaded one, a domain process and the Isolated
//! code over an in-process channel.

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

fn every_behaviour<L: ExpatByCall + Clone + Send + Sync + 'static>(lib: &L) {
    handlers_whatever_expat_hands_them(lib);
    a_handler_parses_with_another_parser(lib);
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

#[test]
fn isolated_over_loopback() {
    every_behaviour(&ExpatByCallIsolated::with_channel(Box::new(
        ffi_desc::isolated::LoopbackChannel::new(expat_by_call::server()),
    )));
}

#[test]
fn isolated_in_a_domain_process() {
    let lib: ExpatByCallIsolated =
        ffi_isolate::Domain::launch(ffi_tests::harness::isolated_options("expat-by-call-domain"))
            .expect("start the expat domain");
    every_behaviour(&lib);
}
