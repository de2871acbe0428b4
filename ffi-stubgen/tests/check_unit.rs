//! The check units of the repository's descriptions compile against their
//! real headers, and a changed description fails with the item named.

use ffi_stubgen::{check_compiles, description_from_file, description_from_str, StubgenError};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn vocab_include() -> PathBuf {
    repo().join("sample-libs/c")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("check_unit");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn vocab_check_unit_compiles() {
    let desc = description_from_file(repo().join("tests/src/vocab.rs")).unwrap();
    let unit = ffi_stubgen::check_unit(&desc);
    assert!(unit.contains("#include \"vocab.h\""));
    assert!(unit.contains("int (*const ffi_check_sv_add_int)(int, int) = sv_add_int;"));
    assert!(unit.contains("_Static_assert(offsetof(sv_record, weight) == 8, \"struct Record (sv_record): field weight offset 8\");"));
    assert!(unit.contains("_Static_assert(SV_RED == 0, "));
    assert!(unit.contains("int ffi_errno_sv_checked_div(int a, int b, int *ffi_err)"));
    assert!(unit.contains("int (*const ffi_check_sv_sum_ints__sum_ints3)(int, ...) = sv_sum_ints;"));
    if let Err(e) = check_compiles(&desc, scratch("vocab_check.c"), &[vocab_include()]) {
        panic!("{e}");
    }
}

#[test]
fn zlib_check_unit_compiles() {
    let desc = description_from_file(repo().join("tests/src/zlib.rs")).unwrap();
    if let Err(e) = check_compiles(&desc, scratch("zlib_check.c"), &[]) {
        panic!("{e}");
    }
}

/// The vocab description with one parameter type and one field changed.
fn mutated_vocab() -> String {
    let src = std::fs::read_to_string(repo().join("tests/src/vocab.rs")).unwrap();
    let param = "fn add_int(a: c_int, b: c_int) -> c_int;";
    let field = "pub weight: f64,";
    assert!(src.contains(param) && src.contains(field));
    src.replace(param, "fn add_int(a: c_int, b: c_long) -> c_int;")
        .replace(field, "pub weight: f32,")
}

#[test]
fn changed_description_fails_naming_function_and_field() {
    let desc = description_from_str(&mutated_vocab(), "vocab_mutated.rs").unwrap();
    let err = check_compiles(&desc, scratch("vocab_mutated_check.c"), &[vocab_include()])
        .expect_err("a changed description must not compile");
    let StubgenError::Check(failure) = &err else {
        panic!("expected a check failure, got {err}");
    };
    let text = err.to_string();
    println!("{text}");
    assert!(
        text.contains(
            "description of function `add_int` (C `sv_add_int`) does not match the header: \
             described `int (*)(int, long)`, header declares `int (*)(int, int)`"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "description of field `weight` of struct `Record` (C `sv_record.weight`) does not match \
             the header: described type `float`, header declares type `double`"
        ),
        "{text}"
    );
    assert!(
        text.contains("field `weight` of struct `Record` (C `sv_record.weight`) does not match the header: described offset 4, header declares offset 8"),
        "{text}"
    );
    assert!(text.contains("compiler output:"), "{text}");
    // Every mismatch is about add_int or Record, and nothing is left unmapped.
    assert!(failure.unmapped.is_empty(), "{:?}", failure.unmapped);
    for m in &failure.mismatches {
        let s = m.to_string();
        assert!(s.contains("`add_int`") || s.contains("`Record`"), "{s}");
    }
}

#[test]
fn builder_names_the_item_and_keeps_the_compiler_output() {
    let dir = scratch("builder");
    std::fs::create_dir_all(&dir).unwrap();
    let desc = dir.join("vocab_mutated.rs");
    std::fs::write(&desc, mutated_vocab()).unwrap();
    let err = ffi_stubgen::Builder::new(&desc)
        .include(vocab_include())
        .out_dir(&dir)
        .cargo_metadata(false)
        .try_compile("vocab_mutated_check")
        .expect_err("a changed description must fail the build");
    let text = err.to_string();
    assert!(
        text.starts_with("the description `vocab` does not match its C headers"),
        "{text}"
    );
    assert!(
        text.contains("function `add_int` (C `sv_add_int`)"),
        "{text}"
    );
    assert!(text.contains("field `weight` of struct `Record`"), "{text}");
    assert!(
        text.contains("error: initialization of"),
        "the raw output follows: {text}"
    );

    // The real description builds, and its archive holds the errno wrapper.
    let ok = ffi_stubgen::Builder::new(repo().join("tests/src/vocab.rs"))
        .include(vocab_include())
        .out_dir(&dir)
        .cargo_metadata(false)
        .try_compile("vocab_check")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(ok.unit.exists());
    assert!(dir.join("libvocab_check.a").exists());
}

#[test]
fn missing_header_is_named() {
    let desc = description_from_file(repo().join("tests/src/vocab.rs")).unwrap();
    let err = check_compiles(&desc, scratch("vocab_noinclude_check.c"), &[]).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("header `vocab.h` cannot be included"),
        "{text}"
    );
    // Only the header is reported, not every item that depends on it.
    let StubgenError::Check(f) = &err else {
        panic!("{err}")
    };
    assert_eq!(f.mismatches.len(), 1, "{text}");
}

/// The Xen transport's descriptions (`libxen-dev`): `libxenvchan`, and
/// `libxenstore`, whose `xs_read` returns its string as `void *`
/// (`#[c_type = "void *"]` on the function). Without that spelling the
/// check unit refuses the description, naming the function.
#[test]
fn xen_descriptions_compile_and_a_returns_spelling_is_checked() {
    for name in ["libxenvchan", "xenstore"] {
        let desc =
            description_from_file(repo().join(format!("ffi-isolate/src/xen/{name}.rs"))).unwrap();
        if let Err(e) = check_compiles(&desc, scratch(&format!("{name}_check.c")), &[]) {
            panic!("{name}: {e}");
        }
    }
    let desc = description_from_file(repo().join("ffi-isolate/src/xen/xenstore.rs")).unwrap();
    let read = desc
        .functions
        .iter()
        .find(|f| f.c_name == "xs_read")
        .unwrap();
    assert_eq!(read.ret_c_type.as_deref(), Some("void *"));
    assert!(ffi_stubgen::check_unit(&desc).contains(
        "void *(*const ffi_check_xs_read)(struct xs_handle *, xs_transaction_t, const char *, unsigned int *) = xs_read;"
    ));

    let src = std::fs::read_to_string(repo().join("ffi-isolate/src/xen/xenstore.rs")).unwrap();
    let spelled = "        #[c_type = \"void *\"]\n        fn read(";
    assert!(src.contains(spelled));
    let unspelled = src.replace(spelled, "        fn read(");
    let desc = description_from_str(&unspelled, "xenstore_unspelled.rs").unwrap();
    let err = check_compiles(&desc, scratch("xenstore_unspelled_check.c"), &[])
        .expect_err("xs_read returns void *, not char *");
    assert!(err.to_string().contains("read"), "{err}");
}

/// A result spelled with `#[c_type]` must agree with the meaning Rust calls
/// it by: `atof` returns `double`; spelled so, it may only mean `f64`.
#[test]
fn a_result_spelling_must_agree_with_its_meaning() {
    let describe = |ret: &str| {
        format!(
            "#[foreign(library = \"c\", header = \"stdlib.h\", link = false)]\n\
             mod libc_atof {{\n\
                 pub trait Atof {{\n\
                     #[c_type = \"double\"]\n\
                     fn atof(s: CStr) -> {ret};\n\
                 }}\n\
             }}\n"
        )
    };
    let right = description_from_str(&describe("f64"), "atof_right.rs").unwrap();
    if let Err(e) = check_compiles(&right, scratch("atof_right_check.c"), &[]) {
        panic!("{e}");
    }
    for wrong in ["c_int", "c_long", "f32"] {
        let desc = description_from_str(&describe(wrong), "atof_wrong.rs").unwrap();
        let err = check_compiles(&desc, scratch(&format!("atof_{wrong}_check.c")), &[])
            .expect_err("the header's double spelled for another meaning");
        let text = err.to_string();
        assert!(
            text.contains("atof") && text.contains("a result spelled `double`"),
            "{wrong}: {text}"
        );
    }
}

#[test]
fn a_constant_that_differs_from_the_header_is_named_with_the_headers_value() {
    // zlib's constants as described, then three of them wrong: a number, a
    // sign and a string; an #[unchecked] one is not looked at.
    let source = std::fs::read_to_string(repo().join("tests/src/zlib.rs"))
        .unwrap()
        .replace(
            "pub const ZLIB_VERNUM: u32 = 4816;",
            "pub const ZLIB_VERNUM: u32 = 4817;",
        )
        .replace(
            "pub const Z_ERRNO: i32 = -1;",
            "pub const Z_ERRNO: i32 = 1;",
        )
        .replace(
            "pub const ZLIB_VERSION: &::std::ffi::CStr = c\"1.2.13\";",
            "pub const ZLIB_VERSION: &::std::ffi::CStr = c\"1.2.14\";\n    \
             #[unchecked]\n    pub const NOT_IN_C: u32 = 7;",
        );
    assert!(source.contains("4817") && source.contains("NOT_IN_C"));
    let desc = description_from_str(&source, "zlib_mutated.rs").unwrap();
    assert_eq!(
        desc.constants
            .iter()
            .filter(|k| k.name == "NOT_IN_C")
            .count(),
        0
    );
    // The constants are not part of the fingerprint: they never cross the wire.
    let real = description_from_file(repo().join("tests/src/zlib.rs")).unwrap();
    assert_eq!(desc.fingerprint(), real.fingerprint());

    let Err(StubgenError::Check(failure)) = check_compiles(&desc, scratch("zlib_consts.c"), &[])
    else {
        panic!("the wrong constants must fail the check")
    };
    let text = failure.to_string();
    assert_eq!(failure.mismatches.len(), 3, "{text}");
    assert!(
        text.contains("constant `ZLIB_VERNUM` (C `ZLIB_VERNUM`)") && text.contains("4816"),
        "the header's value is given: {text}"
    );
    assert!(text.contains("constant `Z_ERRNO`"), "{text}");
    assert!(text.contains("constant `ZLIB_VERSION`"), "{text}");
}

/// libyaml's description with one change `from` → `to`, checked against
/// the installed `yaml.h`: the error names `named`.
fn mutated_yaml_fails_naming(from: &str, to: &str, named: &[&str]) {
    // One check unit per change: the tests run at once.
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let src = std::fs::read_to_string(repo().join("tests/src/yaml.rs")).unwrap();
    assert!(src.contains(from), "{from}");
    let desc = description_from_str(&src.replacen(from, to, 1), "yaml_mutated.rs").unwrap();
    let err = check_compiles(&desc, scratch(&format!("yaml_mutated_{n}_check.c")), &[])
        .expect_err("a changed description must not compile");
    let text = err.to_string();
    println!("{text}");
    for n in named {
        assert!(text.contains(n), "{n:?} in {text}");
    }
}

#[test]
fn yaml_check_unit_compiles() {
    let desc = description_from_file(repo().join("tests/src/yaml.rs")).unwrap();
    let unit = ffi_stubgen::check_unit(&desc);
    assert!(unit.contains("_Static_assert(sizeof(yaml_parser_t) == 480, "));
    assert!(unit.contains("_Static_assert(offsetof(yaml_event_t, data.scalar.value) == 24, "));
    if let Err(e) = check_compiles(&desc, scratch("yaml_check.c"), &[]) {
        panic!("{e}");
    }
}

#[test]
fn a_state_of_another_size_is_named() {
    mutated_yaml_fails_naming(
        "size = 480, align = 8, free = parser_delete",
        "size = 472, align = 8, free = parser_delete",
        &["state `Parser`", "yaml_parser_t", "472"],
    );
}

#[test]
fn a_copied_field_at_another_offset_or_of_another_type_is_named() {
    mutated_yaml_fails_naming(
        "#[c(offset = 24, when(Scalar), field = \"data.scalar.value\", len = length)]",
        "#[c(offset = 16, when(Scalar), field = \"data.scalar.value\", len = length)]",
        &["field `value`", "data.scalar.value", "16"],
    );
    // The scalar's length is a size_t, not an int.
    mutated_yaml_fails_naming(
        "#[c(offset = 32, field = \"data.scalar.length\")]\n        pub length: size_t,",
        "#[c(offset = 32, field = \"data.scalar.length\")]\n        pub length: c_int,",
        &["field `length`", "data.scalar.length"],
    );
    // A mark is no pointer to text.
    mutated_yaml_fails_naming(
        "#[c(offset = 56, field = \"start_mark\")]\n        pub start_mark: Mark,",
        "#[c(offset = 56, field = \"start_mark\")]\n        pub start_mark: Option<String>,",
        &["field `start_mark`", "start_mark"],
    );
}

/// The expat descriptions return children (`Owned<Parser, parent =
/// parser>`): their check units compile against `expat.h`, the parent is in
/// the IR, and the child's C spelling is the handle's own.
#[test]
fn expat_check_units_compile_with_their_children() {
    for file in ["tests/src/expat.rs", "tests/src/expat_by_call.rs"] {
        let desc = description_from_file(repo().join(file)).unwrap();
        let f = desc
            .function("external_entity_parser_create")
            .expect("described");
        assert_eq!(f.parents(), ["parser"], "{file}");
        let unit = ffi_stubgen::check_unit(&desc);
        assert!(
            unit.contains("XML_Parser (*const ffi_check_XML_ExternalEntityParserCreate)(XML_Parser, const XML_Char *, const XML_Char *) = XML_ExternalEntityParserCreate;"),
            "{file}: {unit}"
        );
        let name = format!("{}_check.c", file.rsplit('/').next().unwrap());
        if let Err(e) = check_compiles(&desc, scratch(&name), &[]) {
            panic!("{file}: {e}");
        }
    }
}
