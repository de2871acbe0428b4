//! The `ffi-stubgen` binary: help, exit codes, one-line reasons.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ffi-stubgen"))
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn help_on_every_subcommand() {
    for args in [
        &["--help"][..],
        &["import", "--help"],
        &["c", "--help"],
        &["json", "--help"],
    ] {
        let out = bin().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Usage: ffi-stubgen"), "{args:?}: {text}");
    }
}

#[test]
fn json_prints_the_ir() {
    let out = bin()
        .args(["json", "--description"])
        .arg(repo().join("tests/src/vocab.rs"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ir: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(ir["library"], "sample_vocab");
    assert!(ir["functions"].as_array().unwrap().len() >= 80);
}

#[test]
fn c_writes_the_check_unit() {
    let out_path = scratch("zlib_check.c");
    let out = bin()
        .args(["c", "--description"])
        .arg(repo().join("tests/src/zlib.rs"))
        .arg("-o")
        .arg(&out_path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let unit = std::fs::read_to_string(&out_path).unwrap();
    assert!(unit.contains("#include \"zlib.h\""));
    assert!(unit.contains("int (*const ffi_check_compress2)(Bytef *, uLongf *, const Bytef *, unsigned long, int) = compress2;"), "{unit}");
}

#[test]
fn failures_exit_non_zero_with_one_line() {
    let out = bin()
        .args(["json", "--description", "/nonexistent/desc.rs"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("ffi-stubgen: error: /nonexistent/desc.rs: "),
        "{err}"
    );

    let bad = scratch("bad.rs");
    std::fs::write(
        &bad,
        "#[foreign(library = \"x\")]\nmod x { pub trait X { fn f(p: *mut u8); } }\n",
    )
    .unwrap();
    let out = bin()
        .args(["c", "--description"])
        .arg(&bad)
        .arg("-o")
        .arg(scratch("bad.c"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.rs:2:31: error: pointer without direction"),
        "{err}"
    );
    assert!(
        err.contains("2 | mod x { pub trait X { fn f(p: *mut u8); } }"),
        "the source line follows: {err}"
    );
    assert!(err.contains("1 error in the description"), "{err}");

    let out = bin()
        .args([
            "import",
            "--header",
            "/nonexistent.h",
            "--library",
            "x",
            "-o",
        ])
        .arg(scratch("none.rs"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("import of /nonexistent.h: no such file"),
        "{err}"
    );
}

#[test]
fn import_writes_a_draft_and_counts_on_stderr() {
    let out_path = scratch("values.rs");
    let out = bin()
        .args(["import", "--header"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/pointers.h"))
        .args(["--library", "ptrs", "-o"])
        .arg(&out_path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("imported 12 functions (3 whole)"), "{err}");
    assert!(err.contains("12 pointers left Unresolved"), "{err}");
    let draft = std::fs::read_to_string(&out_path).unwrap();
    assert!(draft.starts_with("// Drafted by ffi-stubgen from `pointers.h`:"));
}

/// A header named as `#include` names it, found with `-I`, under a link
/// name with a hyphen: the draft is written and reads back with
/// `json --draft`.
#[test]
fn import_finds_an_include_name_and_takes_any_link_name() {
    let out_path = scratch("umb_parse.rs");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = bin()
        .args(["import", "--header", "umb/parse.h", "-I"])
        .arg(manifest.join("tests/umbrella"))
        .args(["--library", "umb-2", "-o"])
        .arg(&out_path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("imported 3 functions (3 whole)"), "{err}");
    let draft = std::fs::read_to_string(&out_path).unwrap();
    assert!(draft.contains("#[foreign(library = \"umb-2\", header = \"umb/parse.h\""));
    let json = bin()
        .args(["json", "--draft", "--description"])
        .arg(&out_path)
        .output()
        .unwrap();
    assert!(
        json.status.success(),
        "{}",
        String::from_utf8_lossy(&json.stderr)
    );
}

/// A header that needs a type it does not include: exit code 1, the type
/// and the flag named on standard error, and no panic.
#[test]
fn import_of_a_header_missing_a_type_names_it_and_exits_1() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = bin()
        .args(["import", "--header"])
        .arg(manifest.join("tests/umbrella/needs_types.h"))
        .args(["--library", "nt", "-o"])
        .arg(scratch("nt.rs"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("ffi-stubgen: error: import of"), "{err}");
    assert!(
        err.contains("`FILE`") && err.contains("--clang-arg=-includestdio.h"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let out = bin()
        .args([
            "import",
            "--header",
            "umb.h",
            "--clang-arg=-std=no-such",
            "-I",
        ])
        .arg(manifest.join("tests/umbrella"))
        .args(["--library", "umb", "-o"])
        .arg(scratch("bad_flag.rs"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("clang refused its arguments"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
