//! libyaml described directly, through every linkage: a document of
//! mappings, sequences, anchors, aliases and tags is read as events (the
//! events copied out of the `yaml_event_t` libyaml writes, with their
//! pointer fields as owned text) identical in every linkage; a broken
//! document gives the parser's problem text and position; parsers live in
//! storage the linkage allocates, and the input they keep a pointer into
//! outlives the caller's copy. The Isolated linkage's async form reads the
//! same events.

use ffi_tests::behaviours;
use ffi_tests::yaml::yaml::*;

behaviours!(yaml:
    a_document_read_as_events,
    a_broken_document_gives_the_parsers_problem,
    the_input_outlives_the_callers_copy,
    many_parsers_made_and_dropped,
    the_version,
);

const DOCUMENT: &str = "\
%YAML 1.1
---
base: &base
  name: \"first\"
  tags: [a, 'b c']
derived:
  <<: *base
  count: !!int 3
  note: |
    line one
    line two
list:
- !custom {k: v}
- plain
...
";

/// Every event of `doc`, up to the end of the stream (or the first error,
/// with the parser's problem).
fn events<L: Yaml>(lib: &L, doc: &[u8]) -> (Vec<Event>, Option<Problem>) {
    let (ok, parser) = lib.parser_initialize().unwrap();
    assert_eq!(ok, 1);
    let parser = parser.expect("libyaml initialised the parser");
    lib.parser_set_input_string(&parser, doc).unwrap();
    let mut out = Vec::new();
    for _ in 0..10_000 {
        let (ok, event) = lib.parser_parse(&parser).unwrap();
        if ok != 1 {
            return (out, Some(lib.problem(&parser).unwrap()));
        }
        let end = event.kind == EventType::StreamEnd;
        out.push(event);
        if end {
            return (out, None);
        }
    }
    panic!("no end of stream after 10,000 events");
}

/// The events of `DOCUMENT` through the Linked linkage, which every other
/// linkage must equal.
fn linked_events() -> Vec<Event> {
    events(&ffi_tests::harness::yaml::linked(), DOCUMENT.as_bytes()).0
}

fn a_document_read_as_events<L: Yaml>(lib: &L) {
    let (evs, problem) = events(lib, DOCUMENT.as_bytes());
    assert_eq!(problem, None);
    let kinds: Vec<EventType> = evs.iter().map(|e| e.kind).collect();
    use EventType::*;
    assert_eq!(
        kinds[..4],
        [StreamStart, DocumentStart, MappingStart, Scalar]
    );
    assert_eq!(kinds[kinds.len() - 2..], [DocumentEnd, StreamEnd]);
    for k in [SequenceStart, SequenceEnd, MappingEnd, Alias] {
        assert!(kinds.contains(&k), "{k:?} in {kinds:?}");
    }
    let scalar = |v: &str| {
        evs.iter()
            .find(|e| e.value.as_deref() == Some(v))
            .unwrap_or_else(|| panic!("a scalar {v:?}"))
    };
    // `base: &base`: the mapping after the key `base` holds the anchor.
    let base_key = evs
        .iter()
        .position(|e| e.value.as_deref() == Some("base"))
        .unwrap();
    assert_eq!(evs[base_key + 1].kind, MappingStart);
    assert_eq!(evs[base_key + 1].anchor.as_deref(), Some("base"));
    let alias = evs.iter().find(|e| e.kind == Alias).unwrap();
    assert_eq!(alias.anchor.as_deref(), Some("base"));
    assert_eq!((alias.tag.as_deref(), alias.value.as_deref()), (None, None));
    // Tags, as libyaml resolves their handles.
    assert_eq!(scalar("3").tag.as_deref(), Some("tag:yaml.org,2002:int"));
    let custom = evs
        .iter()
        .find(|e| e.tag.as_deref() == Some("!custom"))
        .unwrap();
    assert_eq!(custom.kind, MappingStart);
    // Values with their lengths, styles and positions (lines from 0).
    let first = scalar("first");
    assert_eq!(first.style, Some(ScalarStyle::DoubleQuoted));
    assert_eq!((first.start_mark.line, first.start_mark.column), (3, 8));
    assert_eq!(first.end_mark.column, 15);
    assert_eq!(scalar("b c").style, Some(ScalarStyle::SingleQuoted));
    let note = scalar("line one\nline two\n");
    assert_eq!(note.style, Some(ScalarStyle::Literal));
    assert_eq!(scalar("plain").style, Some(ScalarStyle::Plain));
    assert_eq!(scalar("plain").start_mark.line, 13);
    // Events that are no scalar carry no scalar fields.
    assert!(evs
        .iter()
        .filter(|e| e.kind != Scalar)
        .all(|e| e.value.is_none() && e.style.is_none()));
    assert_eq!(
        evs,
        linked_events(),
        "every field equals the Linked linkage's"
    );
}

fn a_broken_document_gives_the_parsers_problem<L: Yaml>(lib: &L) {
    let doc = "key: [1, 2\nother: {a: b\n";
    let (evs, problem) = events(lib, doc.as_bytes());
    let problem = problem.expect("libyaml stops at the broken flow sequence");
    assert!(!evs.is_empty());
    assert_eq!(problem.error, ErrorType::ParserError);
    assert_eq!(
        problem.problem.as_deref(),
        Some("did not find expected ',' or ']'")
    );
    assert_eq!(
        problem.context.as_deref(),
        Some("while parsing a flow sequence")
    );
    assert_eq!(problem.context_mark.line, 0);
    assert_eq!(problem.problem_mark.line, 1);
    // A scanner error names its own problem, and the linkages agree on it.
    let (_, tab) = events(lib, b"a:\n\t- b\n");
    let tab = tab.expect("a tab cannot indent");
    assert_eq!(tab.error, ErrorType::ScannerError);
    let (_, linked) = events(&ffi_tests::harness::yaml::linked(), b"a:\n\t- b\n");
    assert_eq!(Some(tab), linked);
}

fn the_input_outlives_the_callers_copy<L: Yaml>(lib: &L) {
    let (_, parser) = lib.parser_initialize().unwrap();
    let parser = parser.unwrap();
    {
        let mut doc = DOCUMENT.as_bytes().to_vec();
        lib.parser_set_input_string(&parser, &doc).unwrap();
        // libyaml reads the input only as it parses: the caller's copy is
        // overwritten and gone before the first event.
        doc.fill(b'#');
    }
    let mut values = 0;
    loop {
        let (ok, event) = lib.parser_parse(&parser).unwrap();
        assert_eq!(ok, 1, "{:?}", lib.problem(&parser));
        values += usize::from(event.value.is_some());
        if event.kind == EventType::StreamEnd {
            break;
        }
    }
    assert_eq!(
        values,
        linked_events().iter().filter(|e| e.value.is_some()).count()
    );
    lib.parser_delete(parser).unwrap();
}

fn many_parsers_made_and_dropped<L: Yaml>(lib: &L) {
    // Each parser is 480 bytes of pinned storage and libyaml's buffers; each
    // keeps a copy of its input. Dropped, the storage is released.
    for i in 0..2_000 {
        let (_, parser) = lib.parser_initialize().unwrap();
        let parser = parser.unwrap();
        let doc = format!("n: {i}\n");
        lib.parser_set_input_string(&parser, doc.as_bytes())
            .unwrap();
        // Stream, document and mapping start, then the key and its value.
        let mut values = Vec::new();
        for _ in 0..5 {
            let (ok, e) = lib.parser_parse(&parser).unwrap();
            assert_eq!(ok, 1);
            values.extend(e.value);
        }
        assert_eq!(values, ["n".to_string(), i.to_string()]);
        if i % 2 == 0 {
            lib.parser_delete(parser).unwrap();
        }
    }
}

fn the_version<L: Yaml>(lib: &L) {
    let v = lib.get_version_string().unwrap();
    let v = v.to_str().unwrap();
    assert_eq!(v.split('.').count(), 3, "{v}");
}

/// The async form of the Isolated linkage reads the same events: the
/// parser made, fed, parsed and deleted by futures, the state and its kept
/// input in the domain all along.
#[test]
fn the_async_form_reads_the_same_events() {
    let lib = ffi_tests::harness::yaml::isolated();
    let asy = lib.to_async();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("a tokio runtime");
    let (evs, problem) = runtime.block_on(async {
        let (ok, p) = asy.parser_initialize().await.unwrap();
        assert_eq!(ok, 1);
        let p = p.unwrap();
        asy.parser_set_input_string(&p, DOCUMENT.as_bytes())
            .await
            .unwrap();
        let mut evs = Vec::new();
        loop {
            let (ok, e) = asy.parser_parse(&p).await.unwrap();
            assert_eq!(ok, 1);
            let end = e.kind == EventType::StreamEnd;
            evs.push(e);
            if end {
                break;
            }
        }
        let problem = asy.problem(&p).await.unwrap();
        asy.parser_delete(p).await.unwrap();
        (evs, problem)
    });
    assert_eq!(evs, linked_events());
    assert_eq!((problem.error, problem.problem), (ErrorType::NoError, None));
}
