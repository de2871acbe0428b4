//! Builds the vocab sample C library twice from the same sources:
//!
//! - a static archive `libsample_vocab.a` in `$OUT_DIR`, linked (whole) into
//!   every crate that depends on `sample-libs`, for the Linked linkage;
//! - a shared object `libsample_vocab.so` in `$OUT_DIR/shared/`, a directory
//!   of its own so the static link can never pick it up, for the Loaded
//!   linkage.
//!
//! Dependents' build scripts find the header directory and the shared object
//! through `DEP_SAMPLE_VOCAB_INCLUDE` and `DEP_SAMPLE_VOCAB_SHARED`.

use std::env;
use std::path::PathBuf;
use std::process::Command;

/// The C standard both builds compile against.
const STD: &str = "c11";

fn main() {
    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    let c_dir = manifest_dir.join("c");
    let source = c_dir.join("vocab.c");
    let header = c_dir.join("vocab.h");

    println!("cargo:rerun-if-changed={}", source.display());
    println!("cargo:rerun-if-changed={}", header.display());
    println!("cargo:rerun-if-changed=build.rs");

    // The static archive. `cc` does not emit the link line itself: the
    // archive must be linked whole (`+whole-archive`), because the Rust side
    // of this crate references none of its symbols, and not bundled into the
    // rlib (`-bundle`), because rustc accepts `+whole-archive` on an rlib only
    // without bundling. The search path below reaches dependents' link lines.
    let mut build = cc::Build::new();
    build
        .file(&source)
        .include(&c_dir)
        .std(STD)
        .warnings(true)
        .extra_warnings(true)
        .warnings_into_errors(true)
        .cargo_metadata(false)
        .out_dir(&out_dir);
    build.compile("sample_vocab");
    println!("cargo:rustc-link-search=native={}", out_dir.display());
    println!("cargo:rustc-link-lib=static:-bundle,+whole-archive=sample_vocab");

    // The shared object, built by the same compiler `cc` chose.
    let shared_dir = out_dir.join("shared");
    std::fs::create_dir_all(&shared_dir).expect("create $OUT_DIR/shared");
    let shared = shared_dir.join("libsample_vocab.so");
    let compiler = build.get_compiler();
    let mut cmd: Command = compiler.to_command();
    cmd.arg("-shared")
        .arg("-fPIC")
        .arg("-O2")
        .arg("-Wall")
        .arg("-Wextra")
        .arg("-Werror")
        .arg(format!("-std={STD}"))
        .arg("-Wl,-soname,libsample_vocab.so")
        .arg("-I")
        .arg(&c_dir)
        .arg("-o")
        .arg(&shared)
        .arg(&source);
    let status = cmd
        .status()
        .unwrap_or_else(|e| panic!("cannot run the C compiler {cmd:?}: {e}"));
    assert!(
        status.success(),
        "building {} failed: {cmd:?} exited with {status}",
        shared.display()
    );

    // Metadata for dependents' build scripts (DEP_SAMPLE_VOCAB_*).
    println!("cargo:include={}", c_dir.display());
    println!("cargo:header={}", header.display());
    println!("cargo:source={}", source.display());
    println!("cargo:shared={}", shared.display());
    println!("cargo:shared_dir={}", shared_dir.display());
    println!("cargo:static_dir={}", out_dir.display());
}
