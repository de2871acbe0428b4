//! Builds each sample C library twice from the same sources:
//!
//! - a static archive `libsample_<name>.a` in `$OUT_DIR`, linked (whole) into
//!   every crate that depends on `sample-libs`, for the Linked linkage;
//! - a shared object `libsample_<name>.so` in `$OUT_DIR/shared/`, a directory
//!   of its own so the static link can never pick it up, for the Loaded
//!   linkage.
//!
//! The libraries are **vocab** (`c/vocab.{h,c}`), **hostile**
//! (`c/hostile.{h,c}`, which misbehaves on purpose) and **loadtime**
//! (`c/loadtime.{h,c}`, whose load-time hooks attack). Dependents' build scripts
//! find the header directory and the shared objects through
//! `DEP_SAMPLE_VOCAB_INCLUDE`, `DEP_SAMPLE_VOCAB_SHARED` and
//! `DEP_SAMPLE_VOCAB_HOSTILE_SHARED`.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The C standard both builds compile against.
const STD: &str = "c11";

/// Where one library's outputs are.
struct Built {
    header: PathBuf,
    source: PathBuf,
    shared: PathBuf,
}

/// Builds `c/<name>.c` (declared in `c/<name>.h`) as the static archive
/// `libsample_<name>.a` in `out_dir`, linked whole into dependents, and as the
/// shared object `shared_dir/libsample_<name>.so`. `extra` are flags for both
/// compilations (and the shared link).
fn build_library(
    name: &str,
    c_dir: &Path,
    out_dir: &Path,
    shared_dir: &Path,
    extra: &[&str],
) -> Built {
    let source = c_dir.join(format!("{name}.c"));
    let header = c_dir.join(format!("{name}.h"));
    println!("cargo:rerun-if-changed={}", source.display());
    println!("cargo:rerun-if-changed={}", header.display());
    let lib = format!("sample_{name}");

    // The static archive. `cc` does not emit the link line itself: the
    // archive must be linked whole (`+whole-archive`), because the Rust side
    // of this crate references none of its symbols, and not bundled into the
    // rlib (`-bundle`), because rustc accepts `+whole-archive` on an rlib only
    // without bundling. The search path reaches dependents' link lines.
    let mut build = cc::Build::new();
    build
        .file(&source)
        .include(c_dir)
        .std(STD)
        .warnings(true)
        .extra_warnings(true)
        .warnings_into_errors(true)
        .cargo_metadata(false)
        .out_dir(out_dir);
    for flag in extra {
        build.flag(flag);
    }
    build.compile(&lib);
    println!("cargo:rustc-link-lib=static:-bundle,+whole-archive={lib}");

    // The shared object, built by the same compiler `cc` chose.
    let shared = shared_dir.join(format!("lib{lib}.so"));
    let compiler = build.get_compiler();
    let mut cmd: Command = compiler.to_command();
    cmd.arg("-shared")
        .arg("-fPIC")
        .arg("-O2")
        .arg("-Wall")
        .arg("-Wextra")
        .arg("-Werror")
        .arg(format!("-std={STD}"))
        .args(extra)
        .arg(format!("-Wl,-soname,lib{lib}.so"))
        .arg("-I")
        .arg(c_dir)
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

    Built {
        header,
        source,
        shared,
    }
}

fn main() {
    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    let c_dir = manifest_dir.join("c");
    println!("cargo:rerun-if-changed=build.rs");

    let shared_dir = out_dir.join("shared");
    std::fs::create_dir_all(&shared_dir).expect("create $OUT_DIR/shared");
    println!("cargo:rustc-link-search=native={}", out_dir.display());

    let vocab = build_library("vocab", &c_dir, &out_dir, &shared_dir, &[]);
    // hostile starts threads (glibc before 2.34 keeps pthreads in libpthread).
    let hostile = build_library("hostile", &c_dir, &out_dir, &shared_dir, &["-pthread"]);
    // loadtime's functions; its load-time hooks are linked into one test
    // domain only (tests/c/loadtime_hooks.c).
    build_library("loadtime", &c_dir, &out_dir, &shared_dir, &[]);

    // Metadata for dependents' build scripts (DEP_SAMPLE_VOCAB_*). The
    // unprefixed keys describe vocab; `include` holds both headers.
    println!("cargo:include={}", c_dir.display());
    println!("cargo:header={}", vocab.header.display());
    println!("cargo:source={}", vocab.source.display());
    println!("cargo:shared={}", vocab.shared.display());
    println!("cargo:shared_dir={}", shared_dir.display());
    println!("cargo:static_dir={}", out_dir.display());
    println!("cargo:hostile_header={}", hostile.header.display());
    println!("cargo:hostile_source={}", hostile.source.display());
    println!("cargo:hostile_shared={}", hostile.shared.display());
}
