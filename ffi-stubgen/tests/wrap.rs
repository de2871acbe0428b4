//! Wrappers for function-like macros and `static inline` functions
//! (`#[wrap]`): golden descriptions under `tests/golden/described/`, written
//! by hand beside their header; each one's check unit must equal `NAME.c`
//! and compile against the header. A wrong description fails naming the
//! function.
//!
//! Re-bless with `BLESS=1 cargo test -p ffi-stubgen --test wrap`.

use ffi_stubgen::{check_compiles, check_unit, description_from_str, StubgenError};
use std::path::{Path, PathBuf};

const DIR: &str = "tests/golden/described";

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("wrap");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn golden_described() {
    let bless = std::env::var_os("BLESS").is_some_and(|v| v != "0");
    let mut descriptions: Vec<PathBuf> = std::fs::read_dir(DIR)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    descriptions.sort();
    assert!(!descriptions.is_empty());
    for path in &descriptions {
        let text = std::fs::read_to_string(path).unwrap();
        let desc = description_from_str(&text, path).unwrap_or_else(|e| panic!("{e}"));
        let unit = check_unit(&desc);
        let expected_path = path.with_extension("c");
        if bless {
            std::fs::write(&expected_path, &unit).unwrap();
        } else {
            let expected = std::fs::read_to_string(&expected_path).unwrap_or_else(|e| {
                panic!("{}: {e} (bless with BLESS=1)", expected_path.display())
            });
            assert_eq!(
                unit,
                expected,
                "{} differs (re-bless with BLESS=1)",
                expected_path.display()
            );
        }
        let stem = path.file_stem().unwrap().to_string_lossy();
        check_compiles(&desc, scratch(&format!("{stem}.c")), &[PathBuf::from(DIR)])
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

#[test]
fn wrappers_are_defined_and_checked() {
    let text = std::fs::read_to_string(Path::new(DIR).join("wrap.rs")).unwrap();
    let desc = description_from_str(&text, "wrap.rs").unwrap();
    let wrapped: Vec<&str> = desc
        .functions
        .iter()
        .filter(|f| f.wrapper)
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(
        wrapped,
        ["wr_add", "wr_sum", "wr_fill", "twice", "max", "reset", "wr_get"]
    );
    assert!(!desc.function("wr_plain").unwrap().wrapper);
    assert_eq!(
        desc.function("twice").unwrap().symbol(),
        "ffi_wrap_WR_TWICE"
    );
    assert_eq!(desc.symbol_of("wr_plain"), "wr_plain");
    let unit = check_unit(&desc);
    // A static inline function is also checked by its exact type; a macro
    // (and a function a macro shadows) by the call and its result.
    assert!(
        unit.contains("#ifndef wr_add\nint (*const ffi_check_wr_add)(int, int) = wr_add;\n#endif")
    );
    assert!(unit.contains("int ffi_wrap_WR_TWICE(int x)\n{\n    _Static_assert(_Generic((WR_TWICE(x)), int: 1, default: 0)"));
    assert!(unit.contains("void ffi_wrap_WR_RESET(int *p)\n{\n    WR_RESET(p);\n}"));
    assert!(unit.contains("long ffi_wrap_wr_sum(const int *xs, size_t n)"));
    // The JSON of a description that wraps nothing has no `wrapper` field,
    // so existing fingerprints stay as they were.
    let json = desc.to_canonical_json();
    assert_eq!(json.matches("\"wrapper\":true").count(), 7);
    assert!(!json.contains("\"wrapper\":false"));
}

/// Compiles a changed copy of wrap.rs; the failure must name `function`.
fn mismatch(from: &str, to: &str, function: &str) -> String {
    let text = std::fs::read_to_string(Path::new(DIR).join("wrap.rs")).unwrap();
    assert!(text.contains(from), "{from}");
    let changed = text.replacen(from, to, 1);
    let desc = description_from_str(&changed, "wrap.rs").unwrap();
    let err = check_compiles(
        &desc,
        scratch(&format!("mismatch_{function}.c")),
        &[PathBuf::from(DIR)],
    )
    .unwrap_err();
    let StubgenError::Check(failure) = &err else {
        panic!("{err}")
    };
    let named: Vec<String> = failure.mismatches.iter().map(|m| m.to_string()).collect();
    assert!(
        named
            .iter()
            .any(|m| m.contains(&format!("function `{function}`"))),
        "{err}"
    );
    named.join("\n")
}

#[test]
fn a_macro_result_of_another_type_fails_naming_the_function() {
    let msg = mismatch(
        "fn twice(x: c_int) -> c_int;",
        "fn twice(x: c_int) -> f64;",
        "twice",
    );
    assert!(msg.contains("(C `WR_TWICE`)"), "{msg}");
    assert!(
        msg.contains("`double (*)(int)` (called through its wrapper)"),
        "{msg}"
    );
}

#[test]
fn an_inline_parameter_of_another_type_fails_naming_the_function() {
    let msg = mismatch(
        "fn wr_add(a: c_int, b: c_int) -> c_int;",
        "fn wr_add(a: c_long, b: c_int) -> c_int;",
        "wr_add",
    );
    assert!(msg.contains("described `int (*)(long, int)`"), "{msg}");
    assert!(
        msg.contains("header declares `int (*)(int,  int)`")
            || msg.contains("header declares `int (*)(int, int)`"),
        "{msg}"
    );
}

/// A macro takes whatever its expansion accepts (`WR_RESET` zeroes a
/// `double` as well as an `int`): the wrapper gives it the described types,
/// so what is checked is that the expansion compiles with them.
#[test]
fn a_macro_argument_its_expansion_rejects_fails_naming_the_function() {
    let msg = mismatch(
        "fn max(a: c_long, b: c_long) -> c_long;",
        "fn max(a: In<c_long>, b: c_long) -> c_long;",
        "max",
    );
    assert!(msg.contains("(called through its wrapper)"), "{msg}");
}

#[test]
fn wrapping_a_name_the_header_lacks_fails_naming_the_function() {
    let msg = mismatch(
        "#[c_name = \"WR_MAX\"]",
        "#[c_name = \"WR_MAXIMUM\"]",
        "max",
    );
    assert!(msg.contains("no such macro or function"), "{msg}");
}

#[test]
fn wrap_takes_no_arguments_and_no_variadic() {
    let text = std::fs::read_to_string(Path::new(DIR).join("wrap.rs")).unwrap();
    let changed = text.replacen(
        "#[wrap]\n        fn wr_add(a: c_int, b: c_int) -> c_int;",
        "#[wrap]\n        #[variadic(fixed = 1)]\n        fn wr_add(a: c_int, b: c_int) -> c_int;",
        1,
    );
    let err = description_from_str(&changed, "wrap.rs").unwrap_err();
    assert!(
        err.to_string()
            .contains("#[wrap] and #[variadic] do not combine"),
        "{err}"
    );
    let changed = text.replacen(
        "#[wrap]\n        fn wr_add",
        "#[wrap(inline)]\n        fn wr_add",
        1,
    );
    let err = description_from_str(&changed, "wrap.rs").unwrap_err();
    assert!(
        err.to_string().contains("#[wrap] takes no arguments"),
        "{err}"
    );
}
