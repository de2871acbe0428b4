//! expat described directly, through every linkage: a generated 1 MiB
//! document's elements, attributes and text are counted by start, end and
//! text handlers that share the parser's user data; a malformed document
//! gives expat's error; a handler stops the parser it is kept on; and
//! 100,000 parsers given handlers and dropped leave the client's memory as
//! it was.

use ffi_tests::behaviours;
use ffi_tests::expat::expat::*;
use std::ffi::CStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

behaviours!(expat:
    counts_of_a_generated_document,
    a_malformed_document_gives_expats_error,
    a_handler_stops_the_parser_it_is_kept_on,
    a_handler_keeps_no_handler_on_the_view_it_is_given,
    handlers_unset_and_a_parser_reset,
    encodings,
    external_entity_parsers_fire_what_they_copied,
    a_child_parses_while_its_parent_lives,
    a_child_expands_its_parent_s_entities,
);

/// The tests of this file run one at a time: the memory tests read the
/// process's RSS, which the others' documents would move.
fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// What the handlers counted.
#[derive(Default, Debug)]
struct Counts {
    starts: AtomicUsize,
    ends: AtomicUsize,
    attributes: AtomicUsize,
    text: AtomicUsize,
}

impl Counts {
    fn get(&self) -> [usize; 4] {
        [
            self.starts.load(Ordering::Relaxed),
            self.ends.load(Ordering::Relaxed),
            self.attributes.load(Ordering::Relaxed),
            self.text.load(Ordering::Relaxed),
        ]
    }
}

/// A document of about `bytes` bytes, with its element, attribute and text
/// counts (the text as expat hands it: entities decoded).
fn document(bytes: usize) -> (Vec<u8>, [usize; 4]) {
    let mut doc = b"<?xml version=\"1.0\"?><doc version=\"1\">".to_vec();
    let (mut elements, mut attributes, mut text) = (1, 1, 0);
    let mut i = 0usize;
    while doc.len() < bytes {
        let body = format!("item {i} of {} &amp; more", i % 97);
        let decoded = body.len() - "amp;".len();
        doc.extend_from_slice(
            format!(
                "<item id=\"{i}\" kind=\"k{}\"><name>{body}</name><empty/></item>",
                i % 7
            )
            .as_bytes(),
        );
        elements += 3;
        attributes += 2;
        text += decoded;
        i += 1;
    }
    doc.extend_from_slice(b"</doc>");
    (doc, [elements, elements, attributes, text])
}

/// A parser whose start, end and text handlers count into `counts`.
fn counting_parser<L: Expat>(lib: &L, counts: &Arc<Counts>) -> Parser {
    let p = lib.parser_create(None).unwrap();
    count_into(lib, &p, counts);
    p
}

/// Gives `p` start, end and text handlers that count into `counts`.
fn count_into<L: Expat>(lib: &L, p: &Parser, counts: &Arc<Counts>) {
    let (c1, c2, c3) = (counts.clone(), counts.clone(), counts.clone());
    lib.set_element_handler(
        p,
        Some(Box::new(move |_: &Parser, _: &CStr, atts: &[&CStr]| {
            c1.starts.fetch_add(1, Ordering::Relaxed);
            c1.attributes.fetch_add(atts.len() / 2, Ordering::Relaxed);
        })),
        Some(Box::new(move |_: &Parser, _: &CStr| {
            c2.ends.fetch_add(1, Ordering::Relaxed);
        })),
    )
    .unwrap();
    lib.set_character_data_handler(
        p,
        Some(Box::new(move |_: &Parser, s: &[u8]| {
            c3.text.fetch_add(s.len(), Ordering::Relaxed);
        })),
    )
    .unwrap();
}

fn counts_of_a_generated_document<L: Expat>(lib: &L) {
    let _serial = serial();
    let (doc, expected) = document(1 << 20);
    assert!(doc.len() >= 1 << 20);
    let counts = Arc::new(Counts::default());
    let p = counting_parser(lib, &counts);
    // In pieces that cut through tags, then the end.
    for piece in doc.chunks(60_000) {
        assert_eq!(lib.parse(&p, piece, 0).unwrap(), Status::Ok);
    }
    assert_eq!(lib.parse(&p, b"", 1).unwrap(), Status::Ok);
    assert_eq!(
        counts.get(),
        expected,
        "starts, ends, attributes, text bytes"
    );
    assert_eq!(lib.get_error_code(&p).unwrap(), CError::None);
}

fn a_malformed_document_gives_expats_error<L: Expat>(lib: &L) {
    let _serial = serial();
    let counts = Arc::new(Counts::default());
    let p = counting_parser(lib, &counts);
    let doc = b"<a>\n<b>text</a>";
    assert_eq!(lib.parse(&p, doc, 1).unwrap(), Status::Error);
    let code = lib.get_error_code(&p).unwrap();
    assert_eq!(code, CError::TagMismatch);
    assert_eq!(
        lib.error_string(code).unwrap().as_deref(),
        Some(c"mismatched tag")
    );
    assert_eq!(lib.get_current_line_number(&p).unwrap(), 2);
    assert_eq!(counts.get()[0], 2, "the handlers ran up to the error");
    assert!(lib
        .expat_version()
        .unwrap()
        .to_bytes()
        .starts_with(b"expat_2."));
}

fn a_handler_stops_the_parser_it_is_kept_on<L: Expat + Clone + Send + Sync + 'static>(lib: &L) {
    let _serial = serial();
    let p = lib.parser_create(None).unwrap();
    let seen = Arc::new(AtomicUsize::new(0));
    let (stopper, count) = (lib.clone(), seen.clone());
    lib.set_element_handler(
        &p,
        Some(Box::new(move |p: &Parser, _: &CStr, _: &[&CStr]| {
            if count.fetch_add(1, Ordering::Relaxed) + 1 == 3 {
                assert_eq!(stopper.stop_parser(p, 0).unwrap(), Status::Ok);
            }
        })),
        None,
    )
    .unwrap();
    let (doc, _) = document(4096);
    assert_eq!(lib.parse(&p, &doc, 1).unwrap(), Status::Error);
    assert_eq!(lib.get_error_code(&p).unwrap(), CError::Aborted);
    assert_eq!(seen.load(Ordering::Relaxed), 3);
}

/// A handler's parser is a view that lives for the callback alone: keeping
/// a handler on it is refused (its table of handlers would go with the view
/// while expat still holds it), and the handlers kept on the parser itself
/// stay as they were.
fn a_handler_keeps_no_handler_on_the_view_it_is_given<L: Expat + Clone + Send + Sync + 'static>(
    lib: &L,
) {
    let _serial = serial();
    let p = lib.parser_create(None).unwrap();
    let seen = Arc::new(AtomicUsize::new(0));
    let refused = Arc::new(Mutex::new(Vec::new()));
    let (l, count, errors) = (lib.clone(), seen.clone(), refused.clone());
    lib.set_element_handler(
        &p,
        Some(Box::new(move |view: &Parser, _: &CStr, _: &[&CStr]| {
            count.fetch_add(1, Ordering::Relaxed);
            if let Err(e) = l.set_character_data_handler(view, Some(Box::new(|_, _| {}))) {
                errors.lock().unwrap().push(e);
            }
        })),
        None,
    )
    .unwrap();
    assert_eq!(
        lib.parse(&p, b"<a><b/><c>text</c></a>", 1).unwrap(),
        Status::Ok
    );
    assert_eq!(seen.load(Ordering::Relaxed), 3, "every start handler ran");
    let refused = refused.lock().unwrap();
    assert_eq!(refused.len(), 3);
    assert!(
        refused.iter().all(|e| matches!(
            e,
            ffi_desc::Error::ForeignHandle {
                function: "set_character_data_handler",
                param: "parser"
            }
        )),
        "{refused:?}"
    );
}

fn handlers_unset_and_a_parser_reset<L: Expat>(lib: &L) {
    let _serial = serial();
    let counts = Arc::new(Counts::default());
    let mut p = counting_parser(lib, &counts);
    assert_eq!(lib.parse(&p, b"<a><b/>", 0).unwrap(), Status::Ok);
    // Unset every handler: what follows is parsed, and counted by none.
    lib.set_element_handler(&p, None, None).unwrap();
    lib.set_character_data_handler(&p, None).unwrap();
    assert_eq!(lib.parse(&p, b"<c>text</c></a>", 1).unwrap(), Status::Ok);
    assert_eq!(counts.get(), [2, 1, 0, 0]);
    // A reset parser forgets handlers and user data; new handlers register
    // the parser's table again.
    assert_eq!(lib.parser_reset(&mut p, None).unwrap(), 1);
    let again = Arc::new(Counts::default());
    let c = again.clone();
    lib.set_character_data_handler(
        &p,
        Some(Box::new(move |_: &Parser, s: &[u8]| {
            c.text.fetch_add(s.len(), Ordering::Relaxed);
        })),
    )
    .unwrap();
    assert_eq!(lib.parse(&p, b"<z>four</z>", 1).unwrap(), Status::Ok);
    assert_eq!(again.get(), [0, 0, 0, 4]);
}

type Names = Arc<Mutex<Vec<String>>>;

/// Start and end handlers that record `tag`, the handler and the name.
fn recording_handlers<L: Expat>(lib: &L, p: &Parser, tag: &'static str, names: &Names) {
    let (starts, ends) = (names.clone(), names.clone());
    lib.set_element_handler(
        p,
        Some(Box::new(move |_: &Parser, name: &CStr, _: &[&CStr]| {
            starts
                .lock()
                .unwrap()
                .push(format!("{tag}:start:{}", name.to_str().unwrap()));
        })),
        Some(Box::new(move |_: &Parser, name: &CStr| {
            ends.lock()
                .unwrap()
                .push(format!("{tag}:end:{}", name.to_str().unwrap()));
        })),
    )
    .unwrap();
}

/// `got` is a parse whose start handler was refused: its slot is empty in
/// the table expat handed it.
fn assert_start_refused(got: Result<Status, ffi_desc::Error>) {
    assert!(
        matches!(
            got,
            Err(ffi_desc::Error::CallbackNotRun {
                function: "parse",
                reason: "no callback kept in its slot"
            })
        ),
        "{got:?}"
    );
}

/// An external entity parser has its parent's handlers and user data in C:
/// parsing with it runs the parent's closures; once the parent's start slot
/// is emptied (in the parent's C parser, not the child's), the child's
/// start is refused, typed, while its end still runs; a child given a table
/// of its own (by a text handler) fires the start and end it copied into
/// that table, which lacks them: refused, its text handler runs. Alike in
/// every linkage, and an Isolated domain is not restarted.
fn external_entity_parsers_fire_what_they_copied<L: Expat>(lib: &L) {
    let _serial = serial();
    let names = Names::default();
    let parent = lib.parser_create(None).unwrap();
    recording_handlers(lib, &parent, "parent", &names);
    let child = |lib: &L| {
        lib.external_entity_parser_create(&parent, c"", None)
            .unwrap()
    };
    let (copied, emptied, own) = (child(lib), child(lib), child(lib));
    assert_eq!(lib.parse(&copied, b"<a/>", 1).unwrap(), Status::Ok);
    let taken = |names: &Names| std::mem::take(&mut *names.lock().unwrap());
    assert_eq!(taken(&names), ["parent:start:a", "parent:end:a"]);

    let ends = names.clone();
    lib.set_element_handler(
        &parent,
        None,
        Some(Box::new(move |_: &Parser, name: &CStr| {
            ends.lock()
                .unwrap()
                .push(format!("parent:end2:{}", name.to_str().unwrap()));
        })),
    )
    .unwrap();
    assert_start_refused(lib.parse(&emptied, b"<b/>", 1));
    assert_eq!(taken(&names), ["parent:end2:b"]);

    let text = names.clone();
    lib.set_character_data_handler(
        &own,
        Some(Box::new(move |_: &Parser, s: &[u8]| {
            text.lock()
                .unwrap()
                .push(format!("own:text:{}", String::from_utf8_lossy(s)));
        })),
    )
    .unwrap();
    assert_start_refused(lib.parse(&own, b"<c>t</c>", 1));
    assert_eq!(taken(&names), ["own:text:t"]);
    // The parent's handlers, as they are now, still run for it.
    assert_eq!(lib.parse(&parent, b"<d/>", 1).unwrap(), Status::Ok);
    assert_eq!(taken(&names), ["parent:end2:d"]);
    // The children go before the parent whose state they share.
    drop((copied, emptied, own));
}

/// A child given handlers of its own parses an external entity of about
/// 64 KiB (in pieces, between pieces of its parent's document) and counts
/// exactly what is in it, while its parent, borrowed, parses on and counts
/// its own; the child goes, the parent still parses, and then the parent
/// goes: every closure of both is dropped.
fn a_child_parses_while_its_parent_lives<L: Expat>(lib: &L) {
    let _serial = serial();
    let (parent_counts, child_counts) = (Arc::new(Counts::default()), Arc::new(Counts::default()));
    let parent = counting_parser(lib, &parent_counts);
    let child = lib
        .external_entity_parser_create(&parent, c"", None)
        .unwrap();
    count_into(lib, &child, &child_counts);
    let (doc, expected) = document(1 << 16);
    // An external entity has no XML declaration (its text declaration
    // would need an encoding).
    let entity = doc.strip_prefix(b"<?xml version=\"1.0\"?>").unwrap();
    let (pieces, parent_pieces) = (entity.chunks(5_000), doc.chunks(7_000));
    for (piece, parent_piece) in pieces.zip(parent_pieces.chain(std::iter::repeat(&b""[..]))) {
        assert_eq!(lib.parse(&child, piece, 0).unwrap(), Status::Ok);
        assert_eq!(lib.parse(&parent, parent_piece, 0).unwrap(), Status::Ok);
    }
    assert_eq!(lib.parse(&child, b"", 1).unwrap(), Status::Ok);
    assert_eq!(child_counts.get(), expected, "the child's entity");
    assert_eq!(lib.get_error_code(&child).unwrap(), CError::None);
    drop(child);
    assert_eq!(
        Arc::strong_count(&child_counts),
        1,
        "the child's closures went"
    );
    assert_eq!(lib.parse(&parent, b"", 1).unwrap(), Status::Ok);
    assert_eq!(parent_counts.get(), expected, "the parent's document");
    drop(parent);
    assert_eq!(
        Arc::strong_count(&parent_counts),
        1,
        "the parent's closures went"
    );
}

/// A child copies its parent's DTD (its `context` is never NULL, which
/// would share it): an entity the parent's document declared expands in
/// the child's entity, and the parent finishes its document.
fn a_child_expands_its_parent_s_entities<L: Expat>(lib: &L) {
    let _serial = serial();
    let parent = lib.parser_create(None).unwrap();
    let dtd = b"<!DOCTYPE d [<!ENTITY e 'entity text'>]><d>";
    assert_eq!(lib.parse(&parent, dtd, 0).unwrap(), Status::Ok);
    let child = lib
        .external_entity_parser_create(&parent, c"", None)
        .unwrap();
    let text = Arc::new(Mutex::new(Vec::new()));
    let sink = text.clone();
    lib.set_character_data_handler(
        &child,
        Some(Box::new(move |_: &Parser, s: &[u8]| {
            sink.lock().unwrap().extend_from_slice(s)
        })),
    )
    .unwrap();
    let got = lib.parse(&child, b"<a>&e;</a>", 1).unwrap();
    assert_eq!(got, Status::Ok, "{:?}", lib.get_error_code(&child));
    assert_eq!(*text.lock().unwrap(), b"entity text");
    assert_eq!(lib.parse(&parent, b"&e;</d>", 1).unwrap(), Status::Ok);
    drop(child);
}

fn encodings<L: Expat>(lib: &L) {
    let _serial = serial();
    let p = lib.parser_create(Some(c"ISO-8859-1")).unwrap();
    let text = Arc::new(Mutex::new(Vec::new()));
    let sink = text.clone();
    lib.set_character_data_handler(
        &p,
        Some(Box::new(move |_: &Parser, s: &[u8]| {
            sink.lock().unwrap().extend_from_slice(s)
        })),
    )
    .unwrap();
    // 0xE9 is é in Latin-1; expat hands it on as UTF-8.
    assert_eq!(lib.parse(&p, b"<a>caf\xe9</a>", 1).unwrap(), Status::Ok);
    assert_eq!(*text.lock().unwrap(), "café".as_bytes());
    assert_eq!(
        lib.error_string(CError::NoMemory).unwrap().as_deref(),
        Some(c"out of memory")
    );
}

/// The process's resident set, in bytes.
fn rss() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    let kib: usize = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status");
    kib * 1024
}

/// Creates `n` parsers, gives each start, end and text handlers (which
/// capture a counter), parses a little with each, and drops them.
fn churn<L: Expat>(lib: &L, n: usize, counts: &Arc<Counts>) {
    for _ in 0..n {
        let p = counting_parser(lib, counts);
        assert_eq!(lib.parse(&p, b"<a x=\"1\">t</a>", 1).unwrap(), Status::Ok);
    }
}

/// 100,000 parsers with handlers grow the client's RSS by less than 1 MiB:
/// the handlers go with their parser.
fn parsers_with_handlers_leave_memory_as_it_was<L: Expat>(lib: &L) {
    let _serial = serial();
    let counts = Arc::new(Counts::default());
    // Warm up: the allocator's arenas, the ring, lazily made statics.
    churn(lib, 5_000, &counts);
    let before = rss();
    churn(lib, 100_000, &counts);
    let after = rss();
    assert_eq!(counts.get(), [105_000, 105_000, 105_000, 105_000]);
    assert_eq!(Arc::strong_count(&counts), 1, "every handler was dropped");
    let grown = after.saturating_sub(before);
    eprintln!(
        "RSS {} KiB before, {} KiB after 100,000 parsers: +{} KiB",
        before / 1024,
        after / 1024,
        grown / 1024
    );
    assert!(grown < 1 << 20, "RSS grew by {grown} bytes");
}

#[test]
fn parsers_with_handlers_leave_linked_memory_as_it_was() {
    parsers_with_handlers_leave_memory_as_it_was(&ffi_tests::harness::expat::linked());
}

#[test]
fn parsers_with_handlers_leave_isolated_memory_as_it_was() {
    parsers_with_handlers_leave_memory_as_it_was(&ffi_tests::harness::expat::isolated());
}
