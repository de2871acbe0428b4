//! Checks every description of this crate against its real C headers: the
//! C compiler compiles each description's check unit, and a description that
//! disagrees with its header fails the build, naming the item.
//!
//! It also builds the check units of `tests/wrapped.rs` and `src/lent.rs`,
//! whose wrappers are the only symbols of the header-only `c/wrapped.h` and
//! `c/lent.h`, also as shared objects (`WRAPPED_CHECK_SO`, `LENT_CHECK_SO`).

use std::path::PathBuf;
use std::process::Command;

fn main() {
    let vocab_include = std::env::var("DEP_SAMPLE_VOCAB_INCLUDE")
        .expect("sample-libs (links = \"sample_vocab\") sets DEP_SAMPLE_VOCAB_INCLUDE");
    ffi_stubgen::Builder::new("src/vocab.rs")
        .include(&vocab_include)
        .compile("vocab_check");
    // zlib is found through pkg-config; without it, the system's search paths.
    ffi_stubgen::Builder::new("src/zlib.rs")
        .pkg_config("zlib")
        .compile("zlib_check");
    // sqlite3 likewise.
    ffi_stubgen::Builder::new("src/sqlite.rs")
        .pkg_config("sqlite3")
        .compile("sqlite_check");
    // expat likewise.
    ffi_stubgen::Builder::new("src/expat.rs")
        .pkg_config("expat")
        .compile("expat_check");
    // expat again, its handlers kept by call.
    ffi_stubgen::Builder::new("src/expat_by_call.rs")
        .pkg_config("expat")
        .compile("expat_by_call_check");
    // libyaml likewise.
    ffi_stubgen::Builder::new("src/yaml.rs")
        .pkg_config("yaml-0.1")
        .compile("yaml_check");
    // Inline functions and macros of a header-only library, described with
    // #[wrap]: the check unit defines their wrappers. Its archive serves the
    // Linked linkage; the same unit as a shared object (the Builder's
    // `shared`, at WRAPPED_CHECK_SO) serves the Loaded one.
    ffi_stubgen::Builder::new("tests/wrapped.rs")
        .include("c")
        .shared()
        .compile("wrapped_check");
    // Handles lent to callbacks, header-only likewise (LENT_CHECK_SO).
    ffi_stubgen::Builder::new("src/lent.rs")
        .include("c")
        .shared()
        .compile("lent_check");
    // Handlers found through the running call, header-only likewise
    // (ROUTE_CHECK_SO).
    ffi_stubgen::Builder::new("src/route.rs")
        .include("c")
        .shared()
        .compile("route_check");
    loadtime_hooks(&vocab_include);
    println!("cargo:rerun-if-changed=build.rs");
}

/// The loadtime library's load-time hooks (`c/loadtime_hooks.c`), as an
/// object linked into the `loadtime-domain` executable alone: its
/// constructor and `.init_array` entry run before that domain's `main`.
fn loadtime_hooks(include: &str) {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let object = out.join("loadtime_hooks.o");
    let source = "c/loadtime_hooks.c";
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let status = Command::new(&cc)
        .args([
            "-c", "-fPIC", "-O2", "-std=c11", "-Wall", "-Wextra", "-Werror",
        ])
        .args(["-I", include, source, "-o"])
        .arg(&object)
        .status()
        .unwrap_or_else(|e| panic!("run {cc}: {e}"));
    assert!(
        status.success(),
        "{cc} failed to build {}",
        object.display()
    );
    println!("cargo:rerun-if-changed={source}");
    println!(
        "cargo:rustc-link-arg-bin=loadtime-domain={}",
        object.display()
    );
}
