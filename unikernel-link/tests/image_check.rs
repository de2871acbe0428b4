//! `unikernel-image-check` on small C programs built for the purpose: one
//! that is clean, and one for each thing the check must find.

use std::path::{Path, PathBuf};
use std::process::Command;

use ffi_desc::ir::{Description, Function, Return, IR_VERSION};

/// A scratch directory under the target directory, fresh for `name`.
fn scratch(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/deps/<test> -> target/<profile>/image-check-tests/<name>
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .join("image-check-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A description of library `library` with functions named `c_names`.
fn description(module: &str, library: &str, sonames: &[&str], c_names: &[&str]) -> Description {
    Description {
        ir_version: IR_VERSION,
        module: module.into(),
        trait_name: "Lib".into(),
        library: library.into(),
        link: true,
        sonames: sonames.iter().map(|s| s.to_string()).collect(),
        headers: vec![],
        types: vec![],
        callbacks: vec![],
        functions: c_names
            .iter()
            .map(|c| Function {
                name: c.to_lowercase(),
                c_name: c.to_string(),
                params: vec![],
                ret: Return::Void,
                errno: false,
                variadic_fixed: None,
                wrapper: false,
                ret_c_type: None,
                clears: vec![],
                view: false,
                thread_safe: false,
            })
            .collect(),
        constants: vec![],
    }
}

fn zlib() -> Description {
    description(
        "zlib",
        "z",
        &["libz.so.1"],
        &["compressBound", "compress2", "crc32"],
    )
}

fn vocab() -> Description {
    description(
        "vocab",
        "sample_vocab",
        &["libsample_vocab.so"],
        &["sv_add_i32", "sv_version"],
    )
}

/// Writes `descs` as one JSON file (an array, or one object when alone).
fn json(dir: &Path, name: &str, descs: &[Description]) -> PathBuf {
    let path = dir.join(name);
    let text = match descs {
        [one] => serde_json::to_string(one).unwrap(),
        many => serde_json::to_string(many).unwrap(),
    };
    std::fs::write(&path, text).unwrap();
    path
}

/// Compiles `source` into an executable with `flags`.
fn c_program(dir: &Path, name: &str, source: &str, flags: &[&str]) -> PathBuf {
    let src = dir.join(format!("{name}.c"));
    std::fs::write(&src, source).unwrap();
    let exe = dir.join(name);
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let out = Command::new(&cc)
        .arg("-o")
        .arg(&exe)
        .arg(&src)
        .args(flags)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cc}: {e}"));
    assert!(
        out.status.success(),
        "{cc} failed on {name}.c:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    exe
}

/// Runs the check; returns its exit code and standard output.
fn check(args: &[&Path]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_unikernel-image-check"))
        .args(args)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn clean_program_passes() {
    let dir = scratch("clean");
    let exe = c_program(&dir, "clean", "int main(void) { return 0; }\n", &[]);
    let descs = json(&dir, "both.json", &[zlib(), vocab()]);
    let (code, out) = check(&[&exe, &descs]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("clean: none of the 5 described C functions"),
        "{out}"
    );
}

#[test]
fn finds_imported_symbols_and_needed_library() {
    let dir = scratch("imports");
    let exe = c_program(
        &dir,
        "uses_zlib",
        "#include <zlib.h>\nint main(void) { return compressBound(3) == 0; }\n",
        &["-lz"],
    );
    let descs = json(&dir, "zlib.json", &[zlib()]);
    let (code, out) = check(&[&exe, &descs]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("imports `compressBound` of zlib (library `z`)"),
        "{out}"
    );
    assert!(
        out.contains("needs `libz.so.1` (DT_NEEDED) of zlib"),
        "{out}"
    );
    // Only what the image uses is reported: it never calls compress2.
    assert!(!out.contains("compress2"), "{out}");
}

#[test]
fn finds_defined_symbols() {
    let dir = scratch("defines");
    let exe = c_program(
        &dir,
        "defines",
        "int sv_add_i32(int a, int b) { return a + b; }\n\
         const char *sv_version(void) { return \"1\"; }\n\
         int main(void) { return sv_add_i32(1, -1) + (sv_version()[0] != '1'); }\n",
        &[],
    );
    let descs = json(&dir, "vocab.json", &[vocab()]);
    let (code, out) = check(&[&exe, &descs]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("defines `sv_add_i32` of vocab (library `sample_vocab`)"),
        "{out}"
    );
    assert!(out.contains("defines `sv_version` of vocab"), "{out}");
    assert!(out.contains("(2 findings)"), "{out}");
}

#[test]
fn finds_dlopen() {
    let dir = scratch("dlopen");
    let exe = c_program(
        &dir,
        "loader",
        "#include <dlfcn.h>\nint main(int argc, char **argv) {\n\
         (void)argc; return dlopen(argv[1], RTLD_NOW) == 0; }\n",
        &["-ldl"],
    );
    let descs = json(&dir, "zlib.json", &[zlib()]);
    let (code, out) = check(&[&exe, &descs]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("imports `dlopen`: it can load libraries at run time"),
        "{out}"
    );
}

#[test]
fn a_stripped_image_is_a_finding_unless_allowed() {
    let dir = scratch("stripped");
    let exe = c_program(&dir, "stripped", "int main(void) { return 0; }\n", &["-s"]);
    let descs = json(&dir, "vocab.json", &[vocab()]);
    let (code, out) = check(&[&exe, &descs]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("has no .symtab (stripped)"), "{out}");
    let (code, out) = check(&[Path::new("--allow-stripped"), &exe, &descs]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn several_description_files_and_the_canonical_json() {
    let dir = scratch("several");
    let exe = c_program(
        &dir,
        "defines",
        "int sv_add_i32(int a, int b) { return a + b; }\nint main(void) { return sv_add_i32(0, 0); }\n",
        &["-lz"],
    );
    let z = dir.join("zlib.json");
    std::fs::write(&z, zlib().to_canonical_json()).unwrap();
    let v = json(&dir, "vocab.json", &[vocab()]);
    let (code, out) = check(&[&exe, &z, &v]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("defines `sv_add_i32` of vocab"), "{out}");
    // -lz without a use of zlib: --as-needed may drop it, and then there is
    // nothing of zlib to find.
    assert!(!out.contains("imports `compress2`"), "{out}");
}

#[test]
fn unreadable_inputs_exit_2() {
    let dir = scratch("bad");
    let not_elf = dir.join("not-elf");
    std::fs::write(&not_elf, "#!/bin/sh\n").unwrap();
    let descs = json(&dir, "zlib.json", &[zlib()]);
    let (code, out) = check(&[&not_elf, &descs]);
    assert_eq!(code, 2, "{out}");
    let exe = c_program(&dir, "clean", "int main(void) { return 0; }\n", &[]);
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"library\": 3}").unwrap();
    let (code, out) = check(&[&exe, &bad]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("not a description's IR"), "{out}");
    let (code, out) = check(&[&exe]);
    assert_eq!(code, 2, "{out}");
}

#[test]
fn freestanding_refuses_any_c_and_passes_an_image_with_none() {
    let dir = scratch("freestanding");
    let descs = json(&dir, "both.json", &[zlib(), vocab()]);
    // An ordinary C program: clean of the described libraries, but it
    // imports libc and is loaded by an interpreter.
    let hosted = c_program(
        &dir,
        "hosted",
        "#include <stdio.h>\nint main(void) { puts(\"hi\"); return 0; }\n",
        &[],
    );
    let (code, out) = check(&[Path::new("--freestanding"), &hosted, &descs]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("imports `puts`"), "{out}");
    assert!(out.contains("needs `libc.so.6`"), "{out}");
    assert!(out.contains("names the interpreter"), "{out}");
    let (code, out) = check(&[&hosted, &descs]);
    assert_eq!(code, 0, "without the flag the same image is clean: {out}");
    // The same program linked statically imports nothing and needs no
    // library or interpreter, but carries the C library (and the compiler's
    // mark): still C.
    let static_c = c_program(
        &dir,
        "static",
        "#include <stdio.h>\nint main(void) { puts(\"hi\"); return 0; }\n",
        &["-static"],
    );
    let (code, out) = check(&[Path::new("--freestanding"), &static_c, &descs]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("defines `__libc_start_main`"), "{out}");
    assert!(
        out.contains("was built with C: its .comment says `GCC: "),
        "{out}"
    );
    assert!(!out.contains("imports `"), "{out}");
    let (code, out) = check(&[&static_c, &descs]);
    assert_eq!(
        code, 0,
        "without the flag it is clean of zlib and vocab: {out}"
    );
    // No C library, its own entry point, nothing imported: only the C
    // compiler's mark gives it away.
    let bare_c = c_program(
        &dir,
        "bare_c",
        "void _start(void) { for (;;) {} }\n",
        &["-nostdlib", "-static", "-no-pie"],
    );
    let (code, out) = check(&[Path::new("--freestanding"), &bare_c]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("was built with C"), "{out}");
    // An image with no C in it (the same code, not built by a C compiler:
    // here, the mark left out) is freestanding.
    let bare = c_program(
        &dir,
        "bare",
        "void _start(void) { for (;;) {} }\n",
        &["-nostdlib", "-static", "-no-pie", "-fno-ident"],
    );
    let (code, out) = check(&[Path::new("--freestanding"), &bare]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("freestanding: nothing imported"), "{out}");
}
