//! What only the Loaded linkage can get wrong: opening, resolving, lifetimes.

use ffi_desc::Error;
use ffi_tests::vocab::vocab::{Vocab, VocabLinked, VocabLoaded};
use ffi_tests::zlib::zlib::ZlibLoaded;

#[test]
fn missing_symbols_are_all_listed() {
    // zlib lacks every symbol of the vocab description.
    // SAFETY: opening zlib runs no initialiser of consequence.
    let err = unsafe { VocabLoaded::open("libz.so.1") }.unwrap_err();
    let Error::MissingSymbols { library, missing } = err else {
        panic!("{err:?}")
    };
    assert_eq!(library, "libz.so.1");
    assert_eq!(missing.len(), VocabLoaded::SYMBOLS.len());
    assert!(missing.contains(&"sv_add_i8".to_owned()));
    assert!(missing.contains(&"sv_sum_ints".to_owned()));
}

#[test]
fn some_symbols_missing() {
    // The vocab library lacks zlib's names: every one is reported, not just the first.
    // SAFETY: the vocab library has no initialisers.
    let err = unsafe { ZlibLoaded::open(sample_libs::VOCAB_SHARED_LIBRARY) }.unwrap_err();
    let Error::MissingSymbols { missing, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!(missing.len(), ZlibLoaded::SYMBOLS.len());
}

#[test]
fn open_failure_is_an_error() {
    // SAFETY: the path does not exist; nothing runs.
    let err = unsafe { VocabLoaded::open("/nonexistent/libnothing.so") }.unwrap_err();
    assert!(
        matches!(err, Error::Open { ref library, .. } if library == "/nonexistent/libnothing.so"),
        "{err:?}"
    );
}

/// Held by the tests that make counters: the library counts live counters
/// in one static per loaded copy, shared by this binary's parallel tests.
fn counters() -> std::sync::MutexGuard<'static, ()> {
    static COUNTERS: std::sync::Mutex<()> = std::sync::Mutex::new(());
    COUNTERS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[test]
fn handles_keep_the_library_loaded() {
    let _counting = counters();
    let lib = ffi_tests::harness::vocab::loaded();
    let c = lib.counter_new(10).unwrap();
    let live = lib.counters_live().unwrap();
    let keep = lib.clone();
    drop(lib);
    // The handle still works through the clone, and frees through its own owner.
    assert_eq!(keep.counter_add(&c, 1).unwrap(), 11);
    drop(c);
    assert_eq!(keep.counters_live().unwrap(), live - 1);
}

#[test]
fn handle_from_another_instance_is_refused() {
    let _counting = counters();
    let a = ffi_tests::harness::vocab::loaded();
    let b = ffi_tests::harness::vocab::loaded();
    let c = a.counter_new(1).unwrap();
    assert_eq!(
        b.counter_get(&c).unwrap_err(),
        Error::ForeignHandle {
            function: "counter_get",
            param: "c"
        }
    );
    let linked = VocabLinked::new();
    assert_eq!(
        linked.counter_get(&c).unwrap_err(),
        Error::ForeignHandle {
            function: "counter_get",
            param: "c"
        }
    );
    // A linked handle is refused by a loaded instance as well.
    let d = linked.counter_new(2).unwrap();
    assert!(matches!(
        a.counter_get(&d),
        Err(Error::ForeignHandle { .. })
    ));
    assert_eq!(a.counter_get(&c).unwrap(), 1);
}

#[test]
fn description_ir_is_exposed_and_stable() {
    let d = ffi_tests::vocab::vocab::description();
    assert_eq!(d.ir_version, ffi_desc::ir::IR_VERSION);
    assert_eq!(d.trait_name, "Vocab");
    assert_eq!(d.fingerprint(), ffi_tests::vocab::vocab::FINGERPRINT);
    let record = d.type_def("Record").unwrap();
    let ffi_desc::ir::TypeKind::Struct { layout, fields } = &record.kind else {
        panic!()
    };
    assert_eq!((layout.size, layout.align), (48, 8));
    assert_eq!(
        fields.iter().map(|f| f.offset).collect::<Vec<_>>(),
        [0, 8, 16, 32, 40]
    );
    // JSON round trip keeps the fingerprint.
    let json = serde_json_roundtrip(d);
    assert_eq!(json.fingerprint(), d.fingerprint());
}

fn serde_json_roundtrip(d: &ffi_desc::ir::Description) -> ffi_desc::ir::Description {
    let text = d.to_canonical_json();
    ffi_desc::__private::serde_json::from_str(&text).unwrap()
}
