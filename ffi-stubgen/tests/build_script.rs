//! What cargo shows when a build script's description is wrong: every error,
//! at its place in the description, once, and nothing else of the script's
//! output (no `cargo:` lines, no panic).

use std::path::{Path, PathBuf};
use std::process::Command;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of `tests/build-script` whose dependency points at this crate,
/// with the workspace's lock file so that it builds offline from the crates
/// the workspace already fetched.
fn fixture_crate() -> PathBuf {
    let dir = manifest_dir().join("../target/build-script-test/crate");
    let src = manifest_dir().join("tests/build-script");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    for f in ["build.rs", "src/lib.rs", "src/desc.rs"] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    let toml = std::fs::read_to_string(src.join("Cargo.toml.in"))
        .unwrap()
        .replace("@STUBGEN@", manifest_dir().to_str().unwrap());
    std::fs::write(dir.join("Cargo.toml"), toml).unwrap();
    std::fs::copy(manifest_dir().join("../Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    dir
}

fn cargo_build(dir: &Path) -> (bool, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(dir)
        .args(["build", "--offline", "--quiet"])
        .env("CARGO_TARGET_DIR", dir.join("../target"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.success(), text)
}

#[test]
fn every_description_error_is_shown_once_with_its_source_and_nothing_else() {
    let dir = fixture_crate();
    let (ok, stderr) = cargo_build(&dir);
    assert!(!ok, "the build must fail:\n{stderr}");
    // Shown as rustc shows paths: relative to the crate.
    let desc = "src/desc.rs";
    let expected = [
        (
            format!("{desc}:7:7: error: "),
            "#[opaque(c_pointer = \"gzFile\")]",
        ),
        (
            format!("{desc}:11:37: error: "),
            "fn crc32(crc: c_ulong, buf: *const u8, len: c_uint) -> c_ulong;",
        ),
        (
            format!("{desc}:12:27: error: "),
            "fn compress(dest: Out<[u8]>,",
        ),
        (
            format!("{desc}:13:37: error: "),
            "fn gzopen(path: CStr, mode: [c_char; 4])",
        ),
    ];
    for (place, source) in &expected {
        assert_eq!(
            stderr.matches(place.as_str()).count(),
            1,
            "`{place}` once in:\n{stderr}"
        );
        assert!(
            !stderr.contains(&format!("/{place}")),
            "a relative path:\n{stderr}"
        );
        assert!(stderr.contains(source), "`{source}` in:\n{stderr}");
    }
    assert!(stderr.contains("4 errors in the description"), "{stderr}");
    assert!(
        stderr.contains('^'),
        "the offending text is underlined:\n{stderr}"
    );
    for noise in [
        "cargo:",
        "PKG_CONFIG",
        "panicked",
        "RUST_BACKTRACE",
        "and 3 more",
    ] {
        assert!(!stderr.contains(noise), "`{noise}` in:\n{stderr}");
    }
    // The errors come last: after the last of them, only the summary line.
    let tail = stderr.rsplit("4 errors in the description").next().unwrap();
    assert!(
        tail.trim().lines().count() <= 1,
        "after the errors:\n{tail}"
    );
}

#[test]
fn a_library_pkg_config_does_not_know_is_named_with_its_package() {
    let dir = manifest_dir().join("../target/build-script-test/missing");
    std::fs::create_dir_all(&dir).unwrap();
    let desc = dir.join("desc.rs");
    std::fs::write(
        &desc,
        "#[foreign(library = \"nosuchlib\", header = \"nosuchlib.h\", soname = \"libnosuchlib.so.1\")]\n\
         pub mod nosuch { pub trait NoSuch { fn nosuch_version() -> c_int; } }\n",
    )
    .unwrap();
    let err = ffi_stubgen::Builder::new(&desc)
        .pkg_config("nosuchlib")
        .out_dir(&dir)
        .cargo_metadata(false)
        .try_compile("nosuch_check")
        .expect_err("a missing header fails the check");
    let text = err.to_string();
    assert!(text.contains("nosuchlib.h"), "the header is named:\n{text}");
    assert!(
        text.contains("note: pkg-config does not know `nosuchlib`: its development files"),
        "{text}"
    );
    assert!(!text.contains("()"), "no empty explanation:\n{text}");
}
